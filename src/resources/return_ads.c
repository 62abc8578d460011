/*
 * return_ads.c -- return ads: ads shown on advertisers' pages that link
 * back to an advertiser through an affiliate link.
 *   GET       /v2/return-ads                    (list: filters, sort, stats)
 *   GET       /v2/return-ads/{id}
 *   POST      /v2/return-ads                    (admins; 201)
 *   PUT|PATCH /v2/return-ads/{id}               (admins; absent fields kept)
 *   DELETE    /v2/return-ads/{id}               (admins; soft, 204)
 *   POST      /v2/return-ads/{returnAd_id}/pause, /unpause (admins)
 *   GET       /v2/advertisers/{store_id}/return-ads (any user: what to show)
 * The status is derived in SQL as the campaigns' is; the stats come from
 * the kept counters (clicks, views) and the ad's orders, in SQL.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../conf.h"
#include "../log.h"
#include "../media.h"
#include "../page.h"
#include "../tx.h"
#include "../util.h"
#include "affiliate_links.h"
#include "resources.h"

/* Where a used upload goes, relative to media_dir. */
#define IMAGE_DIR "return-ads"
/* The most ads the advertiser's list answers. */
#define SHOWN_MAX 100

/*
 * The derived status of the ad aliased a (SPEC.md "Statuses"): deleted,
 * then paused, then scheduled, then ended, else active.
 */
#define STATUS_SQL \
	"(CASE WHEN a.deleted_at IS NOT NULL THEN 'deleted'" \
	" WHEN a.paused_at IS NOT NULL THEN 'paused'" \
	" WHEN a.starts_at > UTC_TIMESTAMP() THEN 'scheduled'" \
	" WHEN a.ends_at < UTC_TIMESTAMP() THEN 'ended'" \
	" ELSE 'active' END)"

/* Each status as a condition on the columns, in statuses[]'s order. */
static const char *const statuses[] = { "deleted", "ended", "scheduled", "paused", "active",
	NULL };

#define RUNNING_SQL \
	"(a.deleted_at IS NULL AND a.paused_at IS NULL AND (a.starts_at IS NULL" \
	" OR a.starts_at <= UTC_TIMESTAMP()) AND (a.ends_at IS NULL" \
	" OR a.ends_at >= UTC_TIMESTAMP()))"

static const char *const status_where[] = {
	"a.deleted_at IS NOT NULL",
	"(a.deleted_at IS NULL AND a.paused_at IS NULL AND (a.starts_at IS NULL"
	" OR a.starts_at <= UTC_TIMESTAMP()) AND a.ends_at < UTC_TIMESTAMP())",
	"(a.deleted_at IS NULL AND a.paused_at IS NULL AND a.starts_at > UTC_TIMESTAMP())",
	"(a.deleted_at IS NULL AND a.paused_at IS NOT NULL)",
	RUNNING_SQL,
};

/*
 * The ad's orders that count (not rejected): how many, their value and
 * their commission (what the advertiser pays: the ad's earnings), per ad.
 * MariaDB materialises it per ad joined (split materialisation).
 */
#define ORDERS_JOIN \
	" LEFT JOIN (SELECT x.return_ad_id, COUNT(*) AS n, SUM(x.order_value) AS v," \
	" SUM(x.commission) AS c FROM orders x WHERE x.return_ad_id IS NOT NULL" \
	" AND x.status <> 'rejected' GROUP BY x.return_ad_id) os ON os.return_ad_id = a.id"

#define ORDER_COUNT_SQL "CAST(COALESCE(os.n, 0) AS SIGNED)"
#define ORDER_VALUE_SQL "CAST(COALESCE(os.v, 0) AS SIGNED)"
#define EARNINGS_SQL "CAST(COALESCE(os.c, 0) AS SIGNED)"
/* Fractions with 4 places; null when there is nothing to divide by. */
#define CTR_SQL \
	"IF(a.current_views = 0, NULL, ROUND(a.current_clicks / a.current_views, 4))"
#define CONVERSION_SQL \
	"IF(a.current_clicks = 0, NULL, ROUND(COALESCE(os.n, 0) / a.current_clicks, 4))"

/*
 * An ad as the reference shows it. affiliate_link and image hold the
 * link's id and the storage path until shape_rows() replaces them.
 */
#define ITEM_COLUMNS \
	"SELECT a.id, a.name, a.store_group_id AS advertiser_group_id," \
	" a.affiliate_link_id AS affiliate_link, a.author_id," \
	" a.display_for_all_advertisers, " STATUS_SQL " AS status," \
	" a.styles AS `styles:json`, a.image_path AS image, a.starts_at, a.ends_at," \
	" a.current_clicks AS `stats.current_clicks`," \
	" a.current_views AS `stats.current_views`," \
	" " ORDER_COUNT_SQL " AS `stats.order_count`," \
	" " ORDER_VALUE_SQL " AS `stats.order_value`," \
	" " EARNINGS_SQL " AS `stats.earnings`," \
	" " CTR_SQL " AS `stats.click_through_rate`," \
	" " CONVERSION_SQL " AS `stats.conversion_rate`"

/* ---------------------------------------------------------------- */
/* The item's shape                                                  */
/* ---------------------------------------------------------------- */

/*
 * Replaces each row's affiliate_link id by the link object (read once per
 * link of the page) and its image path by the image object.
 */
static enum api_err
shape_rows(struct req *r, struct json_object *rows)
{
	struct json_object *links = NULL, *row, *v, *obj;
	char key[24];
	enum api_err e = API_OK;
	enum db_rc rc;

	if ((links = json_object_new_object()) == NULL)
		return API_SERVER;
	for (size_t i = 0; i < json_object_array_length(rows) && e == API_OK; i++) {
		row = json_object_array_get_idx(rows, i);
		if (json_object_object_get_ex(row, "image", &v) && v != NULL) {
			obj = media_image(r->conf, json_object_get_string(v),
			    MEDIA_PRESET_RETURN_AD);
			if (obj == NULL) {
				e = API_SERVER;
				break;
			}
			json_object_object_add(row, "image", obj);
		}
		if (!json_object_object_get_ex(row, "affiliate_link", &v) || v == NULL)
			continue;
		snprintf(key, sizeof(key), "%lld", (long long)json_object_get_int64(v));
		if (!json_object_object_get_ex(links, key, &obj)) {
			obj = NULL;
			rc = affiliate_link_read(r, json_object_get_int64(v), &obj);
			if (rc != DB_OK) {
				e = db_api_err(rc);
				break;
			}
			json_object_object_add(links, key, obj);
		}
		json_object_object_add(row, "affiliate_link", json_object_get(obj));
	}
	json_object_put(links);
	return e;
}

/* Reads ad id (deleted ones too) into *out, or NULL when there is none. */
static enum api_err
read_ad(struct req *r, int64_t id, struct json_object **out)
{
	struct db_param p[] = { DB_INT(id) };
	struct json_object *rows = NULL;
	enum api_err e;
	enum db_rc rc;

	*out = NULL;
	if ((rc = db_select(ITEM_COLUMNS " FROM return_ads a" ORDERS_JOIN " WHERE a.id = ?", p,
	    1, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) > 0 && (e = shape_rows(r, rows)) != API_OK) {
		json_object_put(rows);
		return e;
	}
	if (json_object_array_length(rows) > 0)
		*out = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	return API_OK;
}

/* Answers ad id with status. */
static enum api_err
answer_ad(struct req *r, int64_t id, int status)
{
	struct json_object *o = NULL;
	enum api_err e;

	if ((e = read_ad(r, id, &o)) != API_OK)
		return e;
	if (o == NULL)
		return API_NOT_FOUND;	/* gone since the scope found it */
	http_set_json(r, status, o);
	return API_OK;
}

/* ---------------------------------------------------------------- */
/* GET /v2/return-ads/{id}                                           */
/* ---------------------------------------------------------------- */

static enum api_err
return_ads_show(struct req *r)
{
	return answer_ad(r, r->scope.id, 200);
}

const struct handler h_return_ads_show = HANDLER_NO_INPUT(return_ads_show);

/* ---------------------------------------------------------------- */
/* GET /v2/return-ads                                                */
/* ---------------------------------------------------------------- */

static const struct sort_col list_sort[] = {
	{ "name", "a.name" },
	{ "created_at", "a.created_at" },
	{ "starts_at", "a.starts_at" },
	{ "ends_at", "a.ends_at" },
	{ "current_clicks", "a.current_clicks" },
	{ "current_views", "a.current_views" },
	{ "order_count", ORDER_COUNT_SQL },
	{ "order_value", ORDER_VALUE_SQL },
	{ "earnings", EARNINGS_SQL },
	{ "click_through_rate", CTR_SQL },
	{ "conversion_rate", CONVERSION_SQL },
	{ NULL, NULL },
};

enum { L_SIZE, L_PAGE, L_QUERY, L_GROUPS, L_STORES, L_STATUSES, L_CREATED_BY, L_OR_ID, L_SORT };

static const struct valid_field list_fields[] = {
	[L_SIZE] = VALID_SIZE(100),
	[L_PAGE] = VALID_PAGE,
	[L_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 64 },
	[L_GROUPS] = { .name = "advertiser_group_ids", .type = &valid_int_list,
	    .max_items = 100 },
	[L_STORES] = { .name = "advertiser_ids", .type = &valid_int_list, .max_items = 1000 },
	[L_STATUSES] = { .name = "statuses", .type = &valid_str_list, .in = statuses,
	    .max_items = 5 },
	[L_CREATED_BY] = { .name = "created_by", .type = &valid_int },
	[L_OR_ID] = { .name = "or_id", .type = &valid_int },
	[L_SORT] = VALID_SORT(list_sort),
};

/* The filters that or_id is OR'd with. */
static void
list_filters(struct req *r, struct sql *q)
{
	const struct valid_value *v = r->vals;
	int64_t id;

	sql_add(q, "1 = 1");
	if (v[L_STATUSES].present) {
		sql_add(q, " AND (");
		for (size_t i = 0; i < v[L_STATUSES].n; i++)
			for (size_t k = 0; statuses[k] != NULL; k++)
				if (strlen(statuses[k]) == v[L_STATUSES].lens[i] &&
				    memcmp(statuses[k], v[L_STATUSES].strs[i],
				    v[L_STATUSES].lens[i]) == 0) {
					sql_add(q, i ? " OR " : "");
					sql_add(q, status_where[k]);
				}
		sql_add(q, ")");
	}
	if (v[L_QUERY].present) {
		sql_add(q, " AND (");
		if (util_parse_int64(v[L_QUERY].s, v[L_QUERY].len, &id) == 0)
			sql_int(q, "a.id = ? OR ", id);
		sql_like(q, "a.name LIKE ?)", v[L_QUERY].s, v[L_QUERY].len);
	}
	if (v[L_GROUPS].present) {
		sql_add(q, " AND a.store_group_id IN ");
		sql_in_ints(q, v[L_GROUPS].ints, v[L_GROUPS].n);
	}
	if (v[L_STORES].present) {
		sql_add(q, " AND a.store_id IN ");
		sql_in_ints(q, v[L_STORES].ints, v[L_STORES].n);
	}
	if (v[L_CREATED_BY].present)
		sql_int(q, " AND a.author_id = ?", v[L_CREATED_BY].i);
}

/*
 * WHERE: the caller's stores (admins: all), deleted ads only when
 * `statuses` asks for them, and the filters, or the ad or_id.
 */
static void
list_where(struct req *r, struct sql *q)
{
	const struct valid_value *v = r->vals;

	sql_add(q, " WHERE ");
	if (!r->caller.admin && r->caller.nstores == 0)
		sql_add(q, "1 = 0 AND ");	/* the access check lets no one so in */
	else if (!r->caller.admin) {
		sql_add(q, "a.store_id IN ");
		sql_in_ints(q, r->caller.stores, r->caller.nstores);
		sql_add(q, " AND ");
	}
	if (!valid_list_has(&v[L_STATUSES], "deleted"))
		sql_add(q, "a.deleted_at IS NULL AND ");
	sql_add(q, "((");
	list_filters(r, q);
	sql_add(q, ")");
	if (v[L_OR_ID].present)
		sql_int(q, " OR a.id = ?", v[L_OR_ID].i);
	sql_add(q, ")");
}

static enum api_err
return_ads_list(struct req *r)
{
	struct sql from = { 0 }, count_from = { 0 };
	struct page_query pq = {
		.columns = ITEM_COLUMNS, .from = &from, .count_from = &count_from,
		.default_order = "a.created_at DESC, a.id DESC", .tiebreak = "a.id",
		.default_size = 20,
	};
	enum api_err e;

	sql_add(&from, " FROM return_ads a" ORDERS_JOIN);
	list_where(r, &from);
	sql_add(&count_from, " FROM return_ads a");
	list_where(r, &count_from);
	e = from.oom || count_from.oom ? API_SERVER : page_run(r, &pq, shape_rows);
	sql_free(&from);
	sql_free(&count_from);
	return e;
}

const struct handler h_return_ads_list = HANDLER(return_ads_list, list_fields);

/* ---------------------------------------------------------------- */
/* GET /v2/advertisers/{store_id}/return-ads                         */
/* ---------------------------------------------------------------- */

/*
 * The ads to show on the store: running, of its market (with return ads
 * enabled), under their click and view limits, and shown on all the
 * market's advertisers, or on this one by name, or by one of its
 * categories. By id.
 */
static enum api_err
return_ads_for_store(struct req *r)
{
	struct sql q = { 0 };
	struct json_object *rows = NULL;
	enum api_err e;
	enum db_rc rc;

	sql_add(&q, ITEM_COLUMNS " FROM return_ads a" ORDERS_JOIN);
	sql_int(&q, " JOIN stores s ON s.id = ? AND s.store_group_id = a.store_group_id"
	    " JOIN store_groups g ON g.id = s.store_group_id AND g.return_ad_enabled = 1"
	    " WHERE " RUNNING_SQL, r->scope.store_id);
	sql_add(&q, " AND (a.click_limit IS NULL OR a.current_clicks < a.click_limit)"
	    " AND (a.view_limit IS NULL OR a.current_views < a.view_limit)"
	    " AND (a.display_for_all_advertisers = 1"
	    " OR EXISTS (SELECT 1 FROM return_ad_advertisers ra"
	    " WHERE ra.return_ad_id = a.id AND ra.store_id = s.id)"
	    " OR EXISTS (SELECT 1 FROM return_ad_categories rc JOIN store_store_category sc"
	    " ON sc.store_category_id = rc.store_category_id"
	    " WHERE rc.return_ad_id = a.id AND sc.store_id = s.id))");
	sql_int(&q, " ORDER BY a.id LIMIT ?", SHOWN_MAX);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return db_api_err(rc);
	if ((e = shape_rows(r, rows)) != API_OK) {
		json_object_put(rows);
		return e;
	}
	http_set_json(r, 200, rows);
	return API_OK;
}

const struct handler h_return_ads_for_store = HANDLER_NO_INPUT(return_ads_for_store);

/* ---------------------------------------------------------------- */
/* DELETE /v2/return-ads/{id}                                        */
/* ---------------------------------------------------------------- */

/* A soft delete; run again after an unknown COMMIT outcome, the same 204. */
static enum api_err
remove_ad(struct req *r, void *arg)
{
	struct db_param p[] = { DB_INT(*(int64_t *)arg) };
	enum db_rc rc;

	rc = db_exec("UPDATE return_ads SET deleted_at = UTC_TIMESTAMP() WHERE id = ?"
	    " AND deleted_at IS NULL", p, 1, NULL, NULL);
	if (rc != DB_OK)
		return db_api_err(rc);
	http_set_json(r, 204, NULL);
	return API_OK;
}

static enum api_err
return_ads_remove(struct req *r)
{
	int64_t id = r->scope.id;

	return tx_run(r, TX_RERUN_SAFE, remove_ad, &id);
}

const struct handler h_return_ads_remove = HANDLER_NO_INPUT(return_ads_remove);

/* ---------------------------------------------------------------- */
/* POST /v2/return-ads/{returnAd_id}/pause, /unpause                 */
/* ---------------------------------------------------------------- */

struct pause_ctx {
	int64_t id;
	bool pause;
};

/*
 * Locks the ad and reads its status: an ended ad cannot be paused (a
 * deleted one is not found); pausing a paused one, or unpausing a running
 * one, changes nothing.
 */
static enum api_err
set_paused(struct req *r, void *arg)
{
	struct pause_ctx *c = arg;
	struct db_param p[] = { DB_INT(c->id) };
	struct json_object *rows = NULL, *v;
	char status[16];
	enum db_rc rc = DB_OK;

	rc = db_select("SELECT " STATUS_SQL " AS status FROM return_ads a WHERE a.id = ?"
	    " AND a.deleted_at IS NULL FOR UPDATE", p, 1, &rows);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	json_object_object_get_ex(json_object_array_get_idx(rows, 0), "status", &v);
	snprintf(status, sizeof(status), "%s", json_object_get_string(v));
	json_object_put(rows);
	if (c->pause && strcmp(status, "ended") == 0) {
		http_validation_error(r, "returnAd_id", "An ended return ad cannot be paused.");
		return API_VALIDATION;
	}
	if (c->pause && strcmp(status, "paused") != 0)
		rc = db_exec("UPDATE return_ads SET paused_at = UTC_TIMESTAMP() WHERE id = ?", p,
		    1, NULL, NULL);
	else if (!c->pause)
		rc = db_exec("UPDATE return_ads SET paused_at = NULL WHERE id = ?"
		    " AND paused_at IS NOT NULL", p, 1, NULL, NULL);
	if (rc != DB_OK)
		return db_api_err(rc);
	return answer_ad(r, c->id, 200);
}

static enum api_err
return_ads_pause(struct req *r)
{
	struct pause_ctx c = { r->scope.id, true };

	return tx_run(r, TX_RERUN_SAFE, set_paused, &c);
}

static enum api_err
return_ads_unpause(struct req *r)
{
	struct pause_ctx c = { r->scope.id, false };

	return tx_run(r, TX_RERUN_SAFE, set_paused, &c);
}

const struct handler h_return_ads_pause = HANDLER_NO_INPUT(return_ads_pause);
const struct handler h_return_ads_unpause = HANDLER_NO_INPUT(return_ads_unpause);

/* ---------------------------------------------------------------- */
/* POST /v2/return-ads, PUT|PATCH /v2/return-ads/{id}                */
/* ---------------------------------------------------------------- */

/* The keys a styles object may have; each a string. */
enum {
	S_COLOR, S_BACKGROUND, S_BACKGROUND_COLOR, S_BORDER_COLOR, S_BUTTON_COLOR,
	S_BUTTON_TEXT_COLOR, S_FONT_FAMILY, S_FONT_SIZE, S_TEXT_ALIGN
};

#define STYLE(k) { .name = (k), .type = &valid_string, .flags = V_MAX, .max = 255 }

static const struct valid_field style_fields[] = {
	[S_COLOR] = STYLE("color"),
	[S_BACKGROUND] = STYLE("background"),
	[S_BACKGROUND_COLOR] = STYLE("background_color"),
	[S_BORDER_COLOR] = STYLE("border_color"),
	[S_BUTTON_COLOR] = STYLE("button_color"),
	[S_BUTTON_TEXT_COLOR] = STYLE("button_text_color"),
	[S_FONT_FAMILY] = STYLE("font_family"),
	[S_FONT_SIZE] = STYLE("font_size"),
	[S_TEXT_ALIGN] = STYLE("text_align"),
};

/*
 * The body. The update's table is the first W_UPDATE_FIELDS of these:
 * the market and the advertiser are chosen once, on create.
 */
enum {
	W_NAME, W_LINK, W_ALL, W_STORES, W_CATEGORIES, W_STYLES, W_IMAGE, W_STARTS, W_ENDS,
	W_CLICK_LIMIT, W_VIEW_LIMIT, W_UPDATE_FIELDS, W_GROUP = W_UPDATE_FIELDS, W_STORE
};

#define LIMIT(k) { .name = (k), .type = &valid_int, .flags = V_NULLABLE | V_MIN | V_MAX, \
	.min = 0, .max = 4294967295LL }

#define WRITE_FIELDS(req) \
	[W_NAME] = { .name = "name", .type = &valid_string, .flags = (req) | V_MAX, \
	    .max = 255 }, \
	[W_LINK] = { .name = "return_link", .type = &valid_url, .flags = (req) }, \
	[W_ALL] = { .name = "display_for_all_advertisers", .type = &valid_bool }, \
	[W_STORES] = { .name = "advertiser_ids", .type = &valid_int_list, .max_items = 1000, \
	    .exists = "stores" }, \
	[W_CATEGORIES] = { .name = "advertiser_category_ids", .type = &valid_int_list, \
	    .max_items = 100, .exists = "store_categories" }, \
	[W_STYLES] = { .name = "styles", .type = &valid_object, .flags = V_NULLABLE, \
	    VALID_NESTED(style_fields) }, \
	[W_IMAGE] = { .name = "image_key", .type = &valid_string, \
	    .flags = V_NULLABLE | V_MAX, .max = 1024 }, \
	[W_STARTS] = { .name = "starts_at", .type = &valid_when, .flags = V_NULLABLE }, \
	[W_ENDS] = { .name = "ends_at", .type = &valid_when, .flags = V_NULLABLE, \
	    .after = "starts_at" }, \
	[W_CLICK_LIMIT] = LIMIT("click_limit"), \
	[W_VIEW_LIMIT] = LIMIT("view_limit")

static const struct valid_field create_fields[] = {
	WRITE_FIELDS(V_REQUIRED),
	[W_GROUP] = { .name = "advertiser_group_id", .type = &valid_int, .flags = V_REQUIRED,
	    .exists = "store_groups" },
	[W_STORE] = { .name = "advertiser_id", .type = &valid_int, .flags = V_REQUIRED,
	    .exists = "stores" },
};

static const struct valid_field update_fields[] = { WRITE_FIELDS(0) };

/*
 * The path an image key (base64 of the path) names, in the columns'
 * collation so that the path's index serves; a key that is not base64 is
 * NULL and names none.
 */
#define KEY_PATH_SQL "CONVERT(FROM_BASE64(?) USING utf8mb4) COLLATE utf8mb4_unicode_ci"

struct write_ctx {
	bool create;
	int64_t id;		/* the ad (update; create: once inserted) */
	int64_t group_id;	/* its market */
	int64_t store_id;	/* its advertiser */
	char ends[20];		/* ends_at to store (a bare date: its last second) */
	char *styles;		/* the styles object as JSON text, or NULL */
	char from[300];		/* the upload taken, relative to media_dir ("" none) */
	char to[300];		/* where it goes */
	bool moved;		/* the file is at `to` */
	char old[1100];		/* the image it replaces, "" for none */
};

/* Whether path is an upload's as image_uploads.c makes it: tmp/NAME.EXT. */
static bool
upload_path_ok(const char *path)
{
	const char *name = path + 4;

	if (strncmp(path, "tmp/", 4) != 0 || *name == '\0' || *name == '.')
		return false;
	for (const char *c = name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
			return false;
	return strlen(name) < 200;
}

/* {media_dir}/rel into out; false when it does not fit. */
static bool
media_path(const struct req *r, const char *rel, char *out, size_t sz)
{
	return r->conf->media_dir != NULL &&
	    snprintf(out, sz, "%s/%s", r->conf->media_dir, rel) < (int)sz;
}

/*
 * Moves the taken upload from tmp/ to IMAGE_DIR. Run again (a retried
 * transaction, a request retried after an unknown outcome), it finds the
 * file moved already.
 */
static enum api_err
move_upload(struct req *r, struct write_ctx *c)
{
	char src[1100], dst[1100], dir[1100];
	struct stat st;

	if (c->moved || c->from[0] == '\0')
		return API_OK;
	if (!media_path(r, c->from, src, sizeof(src)) ||
	    !media_path(r, c->to, dst, sizeof(dst)) ||
	    !media_path(r, IMAGE_DIR, dir, sizeof(dir)))
		return API_SERVER;
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_error("rid=%s cannot make %s: %s", r->id, dir, strerror(errno));
		return API_SERVER;
	}
	if (rename(src, dst) == -1) {
		if (errno == ENOENT && stat(dst, &st) == 0) {
			c->moved = true;
			return API_OK;
		}
		if (errno == ENOENT) {
			http_validation_error(r, "image_key", "The selected image key is invalid.");
			return API_VALIDATION;
		}
		log_error("rid=%s cannot move %s: %s", r->id, src, strerror(errno));
		return API_SERVER;
	}
	c->moved = true;
	return API_OK;
}

/* Puts the upload back where it was, when the write did not happen. */
static void
unmove_upload(struct req *r, struct write_ctx *c)
{
	char src[1100], dst[1100];

	if (!c->moved)
		return;
	if (media_path(r, c->to, dst, sizeof(dst)) &&
	    media_path(r, c->from, src, sizeof(src)) && rename(dst, src) == 0)
		c->moved = false;
}

/*
 * Takes the upload image_key names (base64 of its path): an unused one,
 * locked and marked used. On update, the key of the ad's own image keeps
 * it. *path is set to the image's new path, "" when unchanged.
 */
static enum api_err
take_image(struct req *r, struct write_ctx *c, char *path, size_t sz)
{
	const struct valid_value *v = &r->vals[W_IMAGE];
	struct db_param p[] = { DB_STR(v->s, v->len) };
	struct json_object *rows = NULL, *x;
	int64_t id, same = 0;
	bool found;
	enum db_rc rc;

	path[0] = '\0';
	c->from[0] = '\0';
	if (!c->create) {
		struct db_param q[] = { DB_INT(c->id), DB_STR(v->s, v->len) };
		rc = db_select_int("SELECT COUNT(*) FROM return_ads WHERE id = ?"
		    " AND image_path = " KEY_PATH_SQL, q, 2, &same, &found);
		if (rc != DB_OK)
			return db_api_err(rc);
		if (same > 0)
			return API_OK;
	}
	rc = db_select("SELECT id, path FROM image_uploads WHERE path = " KEY_PATH_SQL
	    " AND used_at IS NULL FOR UPDATE", p, 1, &rows);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0 ||
	    !json_object_object_get_ex(json_object_array_get_idx(rows, 0), "path", &x) ||
	    !upload_path_ok(json_object_get_string(x))) {
		json_object_put(rows);
		http_validation_error(r, "image_key", "The selected image key is invalid.");
		return API_VALIDATION;
	}
	snprintf(c->from, sizeof(c->from), "%s", json_object_get_string(x));
	json_object_object_get_ex(json_object_array_get_idx(rows, 0), "id", &x);
	id = json_object_get_int64(x);
	json_object_put(rows);
	snprintf(c->to, sizeof(c->to), IMAGE_DIR "/%s", c->from + 4);
	snprintf(path, sz, "%s", c->to);
	struct db_param u[] = { DB_INT(id) };
	if ((rc = db_exec("UPDATE image_uploads SET used_at = UTC_TIMESTAMP() WHERE id = ?", u, 1,
	    NULL, NULL)) != DB_OK)
		return db_api_err(rc);
	return API_OK;
}

/*
 * The ad's link from return_link: a new link of the caller to the ad's
 * advertiser; on update the current one when it is for the same URL, so
 * that running the update again makes no second link. *link 0: none.
 */
static enum api_err
make_link(struct req *r, struct write_ctx *c, int64_t current, int64_t *link)
{
	const struct valid_value *v = &r->vals[W_LINK];
	enum db_rc rc;
	bool found;

	*link = 0;
	if (!v->present)
		return API_OK;
	if (current > 0) {
		struct db_param p[] = { DB_INT(current), DB_STR(v->s, v->len),
		    DB_INT(c->store_id) };
		int64_t n = 0;
		rc = db_select_int("SELECT COUNT(*) FROM affiliate_links WHERE id = ?"
		    " AND original_url = ? AND store_id = ?", p, 3, &n, &found);
		if (rc != DB_OK)
			return db_api_err(rc);
		if (n > 0) {
			*link = current;
			return API_OK;
		}
	}
	rc = affiliate_link_insert(r->caller.id, c->store_id, 0, v->s, v->len, link);
	return rc == DB_OK ? API_OK : db_api_err(rc);
}

/*
 * return_link must lead to the ad's advertiser: one of the stores of the
 * ad's market whose domains match its host.
 */
static enum api_err
check_link(struct req *r, struct write_ctx *c)
{
	const struct valid_value *v = &r->vals[W_LINK];
	struct json_object *stores = NULL;
	bool ok = false;
	enum db_rc rc;

	if (!v->present)
		return API_OK;
	if ((rc = affiliate_match(v->s, v->len, c->group_id, &stores)) != DB_OK)
		return db_api_err(rc);
	for (size_t i = 0; i < json_object_array_length(stores) && !ok; i++)
		ok = json_object_get_int64(json_object_object_get(
		    json_object_array_get_idx(stores, i), "id")) == c->store_id;
	json_object_put(stores);
	if (!ok) {
		http_validation_error(r, "return_link",
		    "The return link field must be a link to the advertiser.");
		return API_VALIDATION;
	}
	return API_OK;
}

/* Replaces the ad's rows of table (column col) by ids[0..n). */
static enum db_rc
write_set(int64_t id, const char *table, const char *col, const struct valid_value *v)
{
	struct sql q = { 0 };
	enum db_rc rc;

	sql_add(&q, "DELETE FROM ");
	sql_add(&q, table);
	sql_int(&q, " WHERE return_ad_id = ?", id);
	if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK || v->n == 0)
		return rc;
	sql_add(&q, "INSERT IGNORE INTO ");
	sql_add(&q, table);
	sql_add(&q, " (return_ad_id, ");
	sql_add(&q, col);
	sql_int(&q, ") SELECT ?, j.id FROM ", id);
	sql_json_ints(&q, v->ints, v->n);
	sql_add(&q, " j");
	return db_exec_sql(&q, NULL, NULL);
}

/* Binds a nullable limit, datetime or string field. */
static void
bind_nullable_int(struct sql *q, const struct valid_value *v)
{
	if (v->present)
		sql_int(q, "?", v->i);
	else
		sql_add(q, "NULL");
}

/*
 * Reads and locks the ad (update): its advertiser, market, link, image
 * and window; checks the window the update leaves.
 */
static enum api_err
lock_ad(struct req *r, struct write_ctx *c, int64_t *link)
{
	const struct valid_value *v = r->vals;
	struct db_param p[] = { DB_INT(c->id) };
	struct json_object *rows = NULL, *row, *x;
	char from[20] = "", until[20] = "";
	enum db_rc rc;

	rc = db_select("SELECT store_id, store_group_id, affiliate_link_id, image_path,"
	    " starts_at, ends_at FROM return_ads WHERE id = ? AND deleted_at IS NULL FOR UPDATE",
	    p, 1, &rows);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	row = json_object_array_get_idx(rows, 0);
	json_object_object_get_ex(row, "store_id", &x);
	c->store_id = json_object_get_int64(x);
	json_object_object_get_ex(row, "store_group_id", &x);
	c->group_id = json_object_get_int64(x);
	*link = json_object_object_get_ex(row, "affiliate_link_id", &x) && x != NULL ?
	    json_object_get_int64(x) : 0;
	if (json_object_object_get_ex(row, "image_path", &x) && x != NULL)
		snprintf(c->old, sizeof(c->old), "%s", json_object_get_string(x));
	if (json_object_object_get_ex(row, "starts_at", &x) && x != NULL)
		snprintf(from, sizeof(from), "%s", json_object_get_string(x));
	if (json_object_object_get_ex(row, "ends_at", &x) && x != NULL)
		snprintf(until, sizeof(until), "%s", json_object_get_string(x));
	json_object_put(rows);
	if (v[W_STARTS].state != V_ABSENT)
		snprintf(from, sizeof(from), "%s", v[W_STARTS].present ? v[W_STARTS].s : "");
	if (v[W_ENDS].state != V_ABSENT)
		snprintf(until, sizeof(until), "%s", v[W_ENDS].present ? c->ends : "");
	if (from[0] != '\0' && until[0] != '\0' && strcmp(until, from) <= 0) {
		http_validation_error(r, "ends_at", "The ends at field must be a date after"
		    " starts at.");
		return API_VALIDATION;
	}
	return API_OK;
}

/*
 * The advertisers the ad is shown on must be of its market, as its
 * advertiser must be (create).
 */
static enum api_err
check_market(struct req *r, struct write_ctx *c)
{
	const struct valid_value *v = &r->vals[W_STORES];
	struct json_object *rows = NULL;
	struct sql q = { 0 };
	char key[40];
	bool bad = false;
	enum db_rc rc;

	if (!v->present)
		return API_OK;
	sql_int(&q, "SELECT id FROM stores WHERE store_group_id = ? AND id IN ", c->group_id);
	sql_in_ints(&q, v->ints, v->n);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return db_api_err(rc);
	for (size_t i = 0; i < v->n; i++) {
		bool ok = false;
		for (size_t k = 0; k < json_object_array_length(rows) && !ok; k++)
			ok = json_object_get_int64(json_object_object_get(
			    json_object_array_get_idx(rows, k), "id")) == v->ints[i];
		if (!ok) {
			bad = true;
			snprintf(key, sizeof(key), "advertiser_ids.%zu", i);
			http_validation_error(r, key, "The selected advertiser ids.%zu is invalid.",
			    i);
		}
	}
	json_object_put(rows);
	return bad ? API_VALIDATION : API_OK;
}

/* The whole write, in one transaction. */
static enum api_err
write_ad(struct req *r, void *arg)
{
	struct write_ctx *c = arg;
	const struct valid_value *v = r->vals;
	struct sql q = { 0 };
	char image[300] = "";
	int64_t current = 0, link = 0;
	uint64_t id = 0;
	enum api_err e;
	enum db_rc rc;

	c->old[0] = '\0';
	if (!c->create && (e = lock_ad(r, c, &current)) != API_OK)
		return e;
	if ((e = check_market(r, c)) != API_OK || (e = check_link(r, c)) != API_OK)
		return e;
	if (v[W_IMAGE].present && (e = take_image(r, c, image, sizeof(image))) != API_OK)
		return e;
	if ((e = make_link(r, c, current, &link)) != API_OK)
		return e;
	if (c->create) {
		struct db_param p[] = { DB_STR(v[W_NAME].s, v[W_NAME].len), DB_INT(c->group_id),
		    DB_INT(c->store_id), DB_INT(link), DB_INT(r->caller.id) };
		rc = db_exec("INSERT INTO return_ads (name, store_group_id, store_id,"
		    " affiliate_link_id, author_id) VALUES (?, ?, ?, ?, ?)", p, 5, NULL, &id);
		if (rc != DB_OK)
			return db_api_err(rc);
		c->id = (int64_t)id;
	}
	sql_add(&q, "UPDATE return_ads SET updated_at = UTC_TIMESTAMP()");
	if (v[W_NAME].present)
		sql_str(&q, ", name = ?", v[W_NAME].s, v[W_NAME].len);
	if (link > 0)
		sql_int(&q, ", affiliate_link_id = ?", link);
	if (v[W_ALL].present)
		sql_int(&q, ", display_for_all_advertisers = ?", v[W_ALL].b ? 1 : 0);
	if (v[W_STYLES].state == V_NULL)
		sql_add(&q, ", styles = NULL");
	else if (v[W_STYLES].present)
		sql_str(&q, ", styles = ?", c->styles, strlen(c->styles));
	if (v[W_IMAGE].state == V_NULL)
		sql_add(&q, ", image_path = NULL");
	else if (image[0] != '\0')
		sql_str(&q, ", image_path = ?", image, strlen(image));
	if (v[W_STARTS].state != V_ABSENT) {
		sql_add(&q, ", starts_at = ");
		if (v[W_STARTS].present)
			sql_str(&q, "?", v[W_STARTS].s, 19);
		else
			sql_add(&q, "NULL");
	}
	if (v[W_ENDS].state != V_ABSENT) {
		sql_add(&q, ", ends_at = ");
		if (v[W_ENDS].present)
			sql_str(&q, "?", c->ends, 19);
		else
			sql_add(&q, "NULL");
	}
	if (v[W_CLICK_LIMIT].state != V_ABSENT) {
		sql_add(&q, ", click_limit = ");
		bind_nullable_int(&q, &v[W_CLICK_LIMIT]);
	}
	if (v[W_VIEW_LIMIT].state != V_ABSENT) {
		sql_add(&q, ", view_limit = ");
		bind_nullable_int(&q, &v[W_VIEW_LIMIT]);
	}
	sql_int(&q, " WHERE id = ?", c->id);
	if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK)
		return db_api_err(rc);
	if (v[W_STORES].state == V_VALUE &&
	    (rc = write_set(c->id, "return_ad_advertisers", "store_id", &v[W_STORES])) != DB_OK)
		return db_api_err(rc);
	if (v[W_CATEGORIES].state == V_VALUE && (rc = write_set(c->id, "return_ad_categories",
	    "store_category_id", &v[W_CATEGORIES])) != DB_OK)
		return db_api_err(rc);
	if ((e = move_upload(r, c)) != API_OK)
		return e;
	return answer_ad(r, c->id, c->create ? 201 : 200);
}

/*
 * What the table cannot say: styles has only the allowed keys (Laravel's
 * array:keys rule), and its text to store.
 */
static enum api_err
check_styles(struct req *r, struct write_ctx *c)
{
	const struct valid_value *v = &r->vals[W_STYLES];
	struct json_object *in = NULL, *out;
	const char *s;

	if (!v->present)
		return API_OK;
	json_object_object_get_ex(r->input, "styles", &in);
	if (json_object_is_type(in, json_type_object)) {
		json_object_object_foreach(in, k, val) {
			bool known = false;
			(void)val;
			for (size_t i = 0; i < VALID_COUNT(style_fields) && !known; i++)
				known = strcmp(style_fields[i].name, k) == 0;
			if (!known) {
				http_validation_error(r, "styles",
				    "The styles field must be an array.");
				return API_VALIDATION;
			}
		}
	}
	if ((out = json_object_new_object()) == NULL)
		return API_SERVER;
	for (size_t i = 0; i < VALID_COUNT(style_fields); i++) {
		const struct valid_value *x = &valid_row(v, 0)[i];
		if (x->present)
			json_object_object_add(out, style_fields[i].name,
			    json_object_new_string_len(x->s, (int)x->len));
	}
	s = json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	c->styles = s != NULL ? strdup(s) : NULL;
	json_object_put(out);
	return c->styles != NULL ? API_OK : API_SERVER;
}

/*
 * On create: the market must have return ads, and the advertiser must be
 * of it.
 */
static enum api_err
check_advertiser(struct req *r, struct write_ctx *c)
{
	struct db_param g[] = { DB_INT(c->group_id) };
	struct db_param s[] = { DB_INT(c->store_id), DB_INT(c->group_id) };
	int64_t n = 0;
	bool found;
	enum db_rc rc;

	rc = db_select_int("SELECT COUNT(*) FROM store_groups WHERE id = ?"
	    " AND return_ad_enabled = 1", g, 1, &n, &found);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (n == 0) {
		http_validation_error(r, "advertiser_group_id",
		    "The selected advertiser group id is invalid.");
		return API_VALIDATION;
	}
	rc = db_select_int("SELECT COUNT(*) FROM stores WHERE id = ? AND store_group_id = ?"
	    " AND deleted_at IS NULL", s, 2, &n, &found);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (n == 0) {
		http_validation_error(r, "advertiser_id",
		    "The selected advertiser id is invalid.");
		return API_VALIDATION;
	}
	return API_OK;
}

static enum api_err
run_write(struct req *r, bool create, int64_t id)
{
	struct write_ctx c;
	const struct valid_value *ends = &r->vals[W_ENDS];
	enum api_err e;

	memset(&c, 0, sizeof(c));
	c.create = create;
	c.id = id;
	if (create) {
		c.group_id = r->vals[W_GROUP].i;
		c.store_id = r->vals[W_STORE].i;
		if ((e = check_advertiser(r, &c)) != API_OK)
			return e;
	}
	if ((e = check_styles(r, &c)) != API_OK)
		goto out;
	/* ends_at as stored: a bare date means its whole day. */
	if (ends->present) {
		memcpy(c.ends, ends->s, 19);
		if (ends->b)
			memcpy(c.ends + 11, "23:59:59", 8);
	}
	/*
	 * A create is not safe to run twice (a second ad): an unknown COMMIT
	 * outcome is settled by the idempotency key when there is one. An
	 * update converges: the same link and image again.
	 */
	e = tx_run(r, create ? 0 : TX_RERUN_SAFE, write_ad, &c);
	/* The image replaced or cleared goes once the change is committed. */
	if (e == API_OK && c.old[0] != '\0' && (c.moved ||
	    r->vals[W_IMAGE].state == V_NULL) && strcmp(c.old, c.to) != 0)
		media_remove(r->conf, c.old);
	else if (e != API_OK && e != API_UNAVAILABLE)
		unmove_upload(r, &c);
out:
	free(c.styles);
	return e;
}

static enum api_err
return_ads_create(struct req *r)
{
	return run_write(r, true, 0);
}

static enum api_err
return_ads_update(struct req *r)
{
	return run_write(r, false, r->scope.id);
}

const struct handler h_return_ads_create = HANDLER(return_ads_create, create_fields);
const struct handler h_return_ads_update = HANDLER(return_ads_update, update_fields);
