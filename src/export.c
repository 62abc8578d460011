/*
 * export.c -- export jobs: queueing them (the API) and writing one job's
 * rows (the worker), with the list's own validation, query and shape.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "conf.h"
#include "db.h"
#include "export.h"
#include "export_file.h"
#include "log.h"
#include "page.h"
#include "resources/resources.h"
#include "router.h"
#include "valid.h"

/* Rows read and shaped at a time: one query per include per batch. */
#define EXPORT_BATCH 500

/*
 * The stream's read time-out: a big export may sort for a while before
 * its first row, far longer than a request's db_read_timeout.
 */
#define EXPORT_READ_TIMEOUT 900

/*
 * Exports a user may have waiting or running at once: more is a 429, so
 * that one caller cannot fill the queue (and export_dir) for everyone.
 */
#define EXPORT_MAX_PENDING 10

/* The input keys that are not filters: the format and the page window. */
static const char *const not_filters[] = { "format", "page", "size", NULL };

static const struct page_list *const lists[] = { &offers_listing, &user_media_listing };

const struct page_list *
export_list(const char *kind)
{
	for (size_t i = 0; kind != NULL && i < VALID_COUNT(lists); i++)
		if (strcmp(lists[i]->kind, kind) == 0)
			return lists[i];
	return NULL;
}

static bool
is_filter(const char *name)
{
	for (size_t i = 0; not_filters[i] != NULL; i++)
		if (strcmp(not_filters[i], name) == 0)
			return false;
	return true;
}

enum api_err
export_queue(struct req *r, const struct page_list *pl, const char *fmt, size_t len)
{
	const struct handler *h = r->route->h;
	struct json_object *filters, *v, *body;
	struct db_param p[4];
	const char *text;
	size_t tlen;
	uint64_t id = 0;
	enum db_rc rc;
	struct buf url = { 0 };

	struct db_param u[1] = { DB_INT(r->caller.id) };
	int64_t pending = 0;
	bool found;

	rc = db_select_int("SELECT COUNT(*) FROM exports WHERE user_id = ?"
	    " AND status IN ('queued', 'running')", u, 1, &pending, &found);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (pending >= EXPORT_MAX_PENDING) {
		http_add_header(r, "Retry-After", "%d", 30);
		return API_RATE_LIMITED;
	}
	/* Only the route's own fields, as they came: the worker validates them again. */
	if ((filters = json_object_new_object()) == NULL)
		return API_SERVER;
	for (size_t i = 0; i < h->nfields; i++)
		if (is_filter(h->fields[i].name) &&
		    json_object_object_get_ex(r->input, h->fields[i].name, &v))
			json_object_object_add(filters, h->fields[i].name, json_object_get(v));
	text = http_json_text(filters, &tlen);
	if (text == NULL) {
		json_object_put(filters);
		return API_SERVER;
	}
	p[0] = (struct db_param)DB_INT(r->caller.id);
	p[1] = (struct db_param)DB_STR(pl->kind, strlen(pl->kind));
	p[2] = (struct db_param)DB_STR(fmt, len);
	p[3] = (struct db_param)DB_STR(text, tlen);
	rc = db_exec("INSERT INTO exports (user_id, kind, format, filters) VALUES (?, ?, ?, ?)",
	    p, 4, NULL, &id);
	json_object_put(filters);
	if (rc != DB_OK)
		return db_api_err(rc);
	log_info("rid=%s export %llu queued: %s as %.*s for user %lld", r->id,
	    (unsigned long long)id, pl->kind, (int)len, fmt, (long long)r->caller.id);

	buf_adds(&url, r->scheme_host);
	buf_addf(&url, "/v2/exports/%llu", (unsigned long long)id);
	if (url.oom || (body = json_object_new_object()) == NULL) {
		buf_free(&url);
		return API_SERVER;
	}
	json_object_object_add(body, "id", json_object_new_int64((int64_t)id));
	json_object_object_add(body, "status", json_object_new_string("queued"));
	json_object_object_add(body, "url", json_object_new_string_len(url.p, (int)url.len));
	buf_free(&url);
	http_set_json(r, 202, body);
	return API_OK;
}

/* ---------------------------------------------------------------- */
/* The worker's side                                                 */
/* ---------------------------------------------------------------- */

/* The first message of r's 422, for the job's error. */
static void
first_message(struct req *r, char *out, size_t outsz)
{
	struct json_object *msgs;

	snprintf(out, outsz, "The export's filters are no longer valid.");
	if (r->verrors == NULL)
		return;
	json_object_object_foreach(r->verrors, k, v) {
		(void)k;
		msgs = v;
		if (json_object_array_length(msgs) > 0) {
			snprintf(out, outsz, "The export's filters are no longer valid: %s",
			    json_object_get_string(json_object_array_get_idx(msgs, 0)));
			return;
		}
	}
}

/*
 * Makes r the request the job's caller made, validated: the caller's
 * rights as they are now, the list's route and its input.
 */
static enum export_result
job_request(struct req *r, const struct page_list *pl, const struct export_job *job,
    char *reason, size_t rsz)
{
	unsigned allowed;
	enum api_err e;

	r->method = HTTP_GET;
	if ((r->path = strdup(pl->path)) == NULL ||
	    (r->scheme_host = strdup(r->conf->base_url ? r->conf->base_url : "")) == NULL)
		return EXPORT_RETRY;
	snprintf(r->id, sizeof(r->id), "export-%lld", (long long)job->id);
	if (route_match(r->path, r->method, &r->route, r->path_params, &allowed) != API_OK ||
	    r->route->h == NULL) {
		snprintf(reason, rsz, "This kind of export is no longer offered.");
		return EXPORT_FAILED;
	}
	r->input = json_object_get(job->filters);
	e = auth_load_caller(r, job->user_id);
	if (e == API_OK)
		e = auth_check_access(r);
	if (e == API_UNAUTHENTICATED || e == API_FORBIDDEN || e == API_NOT_FOUND) {
		snprintf(reason, rsz, "The user who asked for this export may no longer see "
		    "these rows.");
		return EXPORT_FAILED;
	}
	if (e != API_OK)
		return EXPORT_RETRY;
	e = valid_run(r, r->route->h->fields, r->route->h->nfields);
	if (e == API_VALIDATION) {
		first_message(r, reason, rsz);
		return EXPORT_FAILED;
	}
	return e == API_OK ? EXPORT_DONE : EXPORT_RETRY;
}

/*
 * The columns of pl for r (those of the includes r asks for too), and in
 * *dates (the caller frees it) which of them hold dates.
 */
static const char **
job_columns(struct req *r, const struct page_list *pl, size_t *n, bool **dates)
{
	const struct valid_value *inc = page_value(r, "include");
	const char **cols;
	size_t k = 0;

	for (*n = 0; pl->columns[k].path != NULL; k++)
		;
	cols = calloc(k + 1, sizeof(*cols));
	*dates = calloc(k + 1, sizeof(**dates));
	if (cols == NULL || *dates == NULL) {
		free(cols);
		free(*dates);
		*dates = NULL;
		return NULL;
	}
	for (size_t i = 0; i < k; i++)
		if (pl->columns[i].include == NULL || valid_list_has(inc, pl->columns[i].include)) {
			(*dates)[*n] = pl->columns[i].date;
			cols[(*n)++] = pl->columns[i].path;
		}
	return cols;
}

/* Reads, shapes and writes the rows of q. */
static enum export_result
job_rows(struct req *r, const struct page_list *pl, struct sql *q, struct export_file *f,
    export_keep_fn keep, void *ctx, int64_t *nrows, char *reason, size_t rsz)
{
	struct db_stream *s = NULL;
	struct json_object *rows;
	enum export_result res = EXPORT_DONE;
	enum db_rc rc;
	size_t n;

	if ((rc = db_stream_open(q, EXPORT_READ_TIMEOUT, &s)) != DB_OK) {
		snprintf(reason, rsz, "The rows could not be read from the database.");
		return rc == DB_DOWN ? EXPORT_RETRY : EXPORT_FAILED;
	}
	for (;;) {
		if ((rc = db_stream_next(s, EXPORT_BATCH, &rows)) != DB_OK) {
			res = rc == DB_DOWN ? EXPORT_RETRY : EXPORT_FAILED;
			snprintf(reason, rsz, "The rows could not be read from the database.");
			break;
		}
		if ((n = json_object_array_length(rows)) == 0) {
			json_object_put(rows);
			break;
		}
		if (pl->shape != NULL && pl->shape(r, rows) != API_OK) {
			json_object_put(rows);
			res = EXPORT_RETRY;
			break;
		}
		for (size_t i = 0; i < n && res == EXPORT_DONE; i++)
			if (export_file_row(f, json_object_array_get_idx(rows, i), reason, rsz) != 0)
				res = EXPORT_FAILED;
		json_object_put(rows);
		if (res != EXPORT_DONE)
			break;
		*nrows += (int64_t)n;
		if (keep != NULL && !keep(ctx, *nrows)) {
			res = EXPORT_STOPPED;
			break;
		}
	}
	db_stream_close(s);
	return res;
}

enum export_result
export_write(const struct conf *c, const struct export_job *job, const char *path,
    const char *tmpdir, export_keep_fn keep, void *ctx, int64_t *rows, int64_t *bytes,
    char *reason, size_t rsz)
{
	static const struct http_io no_io = { 0 };
	const struct page_list *pl = export_list(job->kind);
	int fmt = export_format_parse(job->format);
	struct export_file *f = NULL;
	struct page_query pq = { 0 };
	struct sql from = { 0 }, count_from = { 0 }, q = { 0 };
	struct req r;
	const char **cols = NULL;
	bool *dates = NULL;
	size_t ncols = 0;
	enum export_result res;
	enum api_err e;

	*rows = 0;
	*bytes = 0;
	http_req_init(&r, c, &no_io);
	if (pl == NULL || fmt < 0) {
		snprintf(reason, rsz, "This kind of export is not offered.");
		res = EXPORT_FAILED;
		goto out;
	}
	if ((res = job_request(&r, pl, job, reason, rsz)) != EXPORT_DONE)
		goto out;
	if ((e = pl->query(&r, &pq, &from, &count_from)) != API_OK) {
		res = e == API_VALIDATION ? EXPORT_FAILED : EXPORT_RETRY;
		if (e == API_VALIDATION)
			first_message(&r, reason, rsz);
		goto out;
	}
	page_rows_sql(&r, &pq, &q);
	if (from.oom || q.oom || (cols = job_columns(&r, pl, &ncols, &dates)) == NULL) {
		res = EXPORT_RETRY;
		goto out;
	}
	if ((f = export_file_open((enum export_format)fmt, path, cols, ncols, tmpdir, reason,
	    rsz)) == NULL) {
		res = EXPORT_FAILED;
		goto out;
	}
	export_file_dates(f, dates);
	res = job_rows(&r, pl, &q, f, keep, ctx, rows, reason, rsz);
	if (res == EXPORT_DONE) {
		if (export_file_finish(f, bytes, reason, rsz) != 0)
			res = EXPORT_FAILED;
	} else
		export_file_abort(f);
out:
	if (res != EXPORT_DONE && res != EXPORT_FAILED)
		reason[0] = '\0';
	free(cols);
	free(dates);
	sql_free(&q);
	sql_free(&from);
	sql_free(&count_from);
	http_req_free(&r);
	return res;
}
