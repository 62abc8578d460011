/*
 * page.c -- pagination: count, page query, links and meta as Laravel 10
 * builds them (LengthAwarePaginator with onEachSide = 3).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "export.h"
#include "page.h"
#include "query.h"
#include "router.h"
#include "valid.h"

#define ON_EACH_SIDE 3

const struct valid_value *
page_value(const struct req *r, const char *name)
{
	if (r->route == NULL || r->route->h == NULL || r->vals == NULL)
		return NULL;
	for (size_t i = 0; i < r->route->h->nfields && i < r->nvals; i++)
		if (strcmp(r->route->h->fields[i].name, name) == 0)
			return r->vals[i].present ? &r->vals[i] : NULL;
	return NULL;
}

/*
 * The URL of page n: this request's URL with its query and page=n. What
 * comes before the number is the same for every link of a page: it is
 * made once per request, in r->link_base.
 */
static struct json_object *
page_url(struct req *r, int64_t n)
{
	struct buf *b = &r->link_base;
	char num[24];
	struct json_object *s;
	size_t base;
	int count;

	if (b->len == 0) {
		buf_adds(b, r->scheme_host);
		buf_adds(b, r->path);
		buf_addc(b, '?');
		count = query_build(b, r->query, "page");
		buf_adds(b, count > 0 ? "&page=" : "page=");
		if (b->oom) {
			buf_free(b);
			return NULL;
		}
	}
	base = b->len;
	snprintf(num, sizeof(num), "%lld", (long long)n);
	buf_adds(b, num);
	s = b->oom ? NULL : json_object_new_string_len(b->p, (int)b->len);
	b->len = base;	/* the base stays for the next link */
	if (b->p != NULL)
		b->p[base] = '\0';
	return s;
}

static void
add_link(struct json_object *links, struct json_object *url, const char *label, bool active)
{
	struct json_object *l = json_object_new_object();

	json_object_object_add(l, "url", url);
	json_object_object_add(l, "label", json_object_new_string(label));
	json_object_object_add(l, "active", json_object_new_boolean(active));
	json_object_array_add(links, l);
}

static void
add_range(struct req *r, struct json_object *links, int64_t from, int64_t to, int64_t cur)
{
	char label[24];

	for (int64_t p = from; p <= to; p++) {
		snprintf(label, sizeof(label), "%lld", (long long)p);
		add_link(links, page_url(r, p), label, p == cur);
	}
}

/* meta.links: Laravel's UrlWindow and linkCollection(). */
static struct json_object *
link_window(struct req *r, int64_t cur, int64_t last)
{
	struct json_object *links = json_object_new_array();
	int64_t window = ON_EACH_SIDE + 4;

	add_link(links, cur > 1 ? page_url(r, cur - 1) : NULL, "\u00ab Previous", false);
	if (last < ON_EACH_SIDE * 2 + 8)
		add_range(r, links, 1, last, cur);
	else if (cur <= window) {
		add_range(r, links, 1, window + ON_EACH_SIDE, cur);
		add_link(links, NULL, "...", false);
		add_range(r, links, last - 1, last, cur);
	} else if (cur > last - window) {
		add_range(r, links, 1, 2, cur);
		add_link(links, NULL, "...", false);
		add_range(r, links, last - (window + (ON_EACH_SIDE - 1)), last, cur);
	} else {
		add_range(r, links, 1, 2, cur);
		add_link(links, NULL, "...", false);
		add_range(r, links, cur - ON_EACH_SIDE, cur + ON_EACH_SIDE, cur);
		add_link(links, NULL, "...", false);
		add_range(r, links, last - 1, last, cur);
	}
	add_link(links, cur < last ? page_url(r, cur + 1) : NULL, "Next \u00bb", false);
	return links;
}

struct json_object *
page_envelope(struct req *r, struct json_object *data, int64_t total, int64_t page,
    int64_t per_page)
{
	struct json_object *env, *links, *meta;
	int64_t last = total > 0 ? (total + per_page - 1) / per_page : 1;
	size_t count = json_object_array_length(data);
	struct buf path = { 0 };

	env = json_object_new_object();
	json_object_object_add(env, "data", data);

	links = json_object_new_object();
	json_object_object_add(links, "first", page_url(r, 1));
	json_object_object_add(links, "last", page_url(r, last));
	json_object_object_add(links, "prev", page > 1 ? page_url(r, page - 1) : NULL);
	json_object_object_add(links, "next", page < last ? page_url(r, page + 1) : NULL);
	json_object_object_add(env, "links", links);

	meta = json_object_new_object();
	json_object_object_add(meta, "current_page", json_object_new_int64(page));
	json_object_object_add(meta, "from", count > 0 ?
	    json_object_new_int64((page - 1) * per_page + 1) : NULL);
	json_object_object_add(meta, "last_page", json_object_new_int64(last));
	json_object_object_add(meta, "links", link_window(r, page, last));
	buf_adds(&path, r->scheme_host);
	buf_adds(&path, r->path);
	json_object_object_add(meta, "path", path.oom ? NULL :
	    json_object_new_string_len(path.p, (int)path.len));
	buf_free(&path);
	json_object_object_add(meta, "per_page", json_object_new_int64(per_page));
	json_object_object_add(meta, "to", count > 0 ?
	    json_object_new_int64((page - 1) * per_page + (int64_t)count) : NULL);
	json_object_object_add(meta, "total", json_object_new_int64(total));
	json_object_object_add(env, "meta", meta);
	return env;
}

struct json_object *
page_plain(struct req *r, struct json_object *data, int64_t total, int64_t page,
    int64_t per_page)
{
	struct json_object *env = json_object_new_object();
	int64_t last = total > 0 ? (total + per_page - 1) / per_page : 1;
	int64_t count = (int64_t)json_object_array_length(data);
	struct buf path = { 0 };

	json_object_object_add(env, "current_page", json_object_new_int64(page));
	json_object_object_add(env, "data", data);
	json_object_object_add(env, "first_page_url", page_url(r, 1));
	json_object_object_add(env, "from", count > 0 ?
	    json_object_new_int64((page - 1) * per_page + 1) : NULL);
	json_object_object_add(env, "last_page", json_object_new_int64(last));
	json_object_object_add(env, "last_page_url", page_url(r, last));
	json_object_object_add(env, "links", link_window(r, page, last));
	json_object_object_add(env, "next_page_url", page < last ? page_url(r, page + 1) : NULL);
	buf_adds(&path, r->scheme_host);
	buf_adds(&path, r->path);
	json_object_object_add(env, "path", path.oom ? NULL :
	    json_object_new_string_len(path.p, (int)path.len));
	buf_free(&path);
	json_object_object_add(env, "per_page", json_object_new_int64(per_page));
	json_object_object_add(env, "prev_page_url", page > 1 ? page_url(r, page - 1) : NULL);
	json_object_object_add(env, "to", count > 0 ?
	    json_object_new_int64((page - 1) * per_page + count) : NULL);
	json_object_object_add(env, "total", json_object_new_int64(total));
	return env;
}

void
page_count_sql(const struct page_query *pq, struct sql *count)
{
	if (pq->count_query != NULL)
		sql_append(count, pq->count_query);
	else if (pq->grouped) {
		/* One row per group: count the groups, not a group's rows. */
		sql_add(count, "SELECT COUNT(*) FROM (SELECT 1 AS one");
		sql_append(count, pq->count_from ? pq->count_from : pq->from);
		sql_add(count, ") g");
	} else {
		sql_add(count, "SELECT COUNT(*)");
		sql_append(count, pq->count_from ? pq->count_from : pq->from);
	}
}

void
page_rows_sql(struct req *r, const struct page_query *pq, struct sql *q)
{
	const struct valid_value *vo = page_value(r, "sort_by");

	sql_add(q, pq->columns);
	sql_append(q, pq->from);
	sql_add(q, " ORDER BY ");
	if (pq->order_first != NULL) {
		sql_add(q, pq->order_first);
		sql_add(q, ", ");
	}
	if (vo != NULL) {
		/* The column comes from the route's allow-list, never the input. */
		sql_add(q, vo->sort->sql);
		sql_add(q, vo->desc ? " DESC, " : " ASC, ");
		sql_add(q, pq->tiebreak);
		sql_add(q, vo->desc ? " DESC" : " ASC");
	} else
		sql_add(q, pq->default_order);
}

enum api_err
page_list_run(struct req *r, const struct page_list *pl)
{
	const struct valid_value *vf = page_value(r, "format");
	struct page_query pq = { 0 };
	struct sql from = { 0 }, count_from = { 0 };
	enum api_err e;

	if ((e = pl->query(r, &pq, &from, &count_from)) == API_OK) {
		if (from.oom || count_from.oom)
			e = API_SERVER;
		else if (vf != NULL)
			e = export_queue(r, pl, vf->s, vf->len);
		else
			e = page_run(r, &pq, pl->shape);
	}
	sql_free(&from);
	sql_free(&count_from);
	return e;
}

/* r's validated `size` (pq's default without one) and `page` (1). */
static void
page_numbers(const struct req *r, const struct page_query *pq, int64_t *per_page,
    int64_t *page)
{
	const struct valid_value *vs = page_value(r, "size"), *vp = page_value(r, "page");

	*per_page = vs ? vs->i : pq->default_size;
	*page = vp ? vp->i : 1;
}

void
page_window(const struct req *r, const struct page_query *pq, struct sql *q)
{
	int64_t per_page, page;

	page_numbers(r, pq, &per_page, &page);
	sql_int(q, " LIMIT ?", per_page);
	sql_int(q, " OFFSET ?", (page - 1) * per_page);
}

enum api_err
page_run(struct req *r, const struct page_query *pq, page_shape_fn shape)
{
	int64_t per_page, page, total = 0;
	struct sql q = { 0 }, count = { 0 };
	struct json_object *rows = NULL;
	enum db_rc rc;
	bool found;

	page_numbers(r, pq, &per_page, &page);
	page_count_sql(pq, &count);
	if (count.oom) {
		sql_free(&count);
		return API_SERVER;
	}
	rc = db_select_int(count.text.p, count.p, count.np, &total, &found);
	sql_free(&count);
	if (rc != DB_OK)
		return db_api_err(rc);

	page_rows_sql(r, pq, &q);
	if (!pq->windowed)
		page_window(r, pq, &q);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return db_api_err(rc);
	if (shape != NULL) {
		enum api_err e = shape(r, rows);
		if (e != API_OK) {
			json_object_put(rows);
			return e;
		}
	}
	http_set_json(r, 200, pq->plain ? page_plain(r, rows, total, page, per_page) :
	    page_envelope(r, rows, total, page, per_page));
	return API_OK;
}
