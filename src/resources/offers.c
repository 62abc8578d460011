/*
 * offers.c -- campaigns (offers): reading them.
 *   GET  /v2/offers/{offer_id}            (the Display shape; deleted too)
 *   GET  /v2/offer-by-token/{offer_token} (the same, for creators)
 *   GET  /v2/offers                       (the list, filters, includes)
 *   DELETE /v2/offers/{id}                (soft delete)
 *   POST /v2/offers/{offer_id}/pause, /unpause
 *   POST /v2/offers/{offer_id}/uploads    (the campaign's image)
 * Creating and updating: offer_write.c; targets: offer_targets.c; stats
 * and a creator's campaigns: offer_stats.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../image.h"
#include "../media.h"
#include "../multipart.h"
#include "../page.h"
#include "../search.h"
#include "../target.h"
#include "../tx.h"
#include "../util.h"
#include "offers.h"
#include "resources.h"

const char *const offer_source_names[5] = { "General", "Instagram", "TikTok", "YouTube",
	"Blog" };

enum api_err
offer_images(struct req *r, struct json_object *rows)
{
	struct json_object *row, *v, *img;
	const char *path;

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (!json_object_object_get_ex(row, "image_url", &v) || v == NULL)
			continue;
		path = json_object_get_string(v);
		if ((img = media_image(r->conf, path, MEDIA_PRESET_OFFER)) == NULL)
			return API_SERVER;
		if (!json_object_object_get_ex(img, "url", &v)) {
			json_object_put(img);
			return API_SERVER;
		}
		/* Replacing a key keeps its place: the reference's key order. */
		json_object_object_add(row, "image_url", json_object_get(v));
		json_object_object_add(row, "image", img);
	}
	return API_OK;
}

enum api_err
offer_group_rows(struct json_object *rows, struct json_object *by_offer)
{
	struct json_object *row, *v, *list;
	char key[24];
	enum api_err e = API_OK;

	for (size_t i = 0; i < json_object_array_length(rows) && e == API_OK; i++) {
		row = json_object_array_get_idx(rows, i);
		if (!json_object_object_get_ex(row, "offer_id", &v) || v == NULL) {
			e = API_SERVER;
			break;
		}
		snprintf(key, sizeof(key), "%lld", (long long)json_object_get_int64(v));
		json_object_object_del(row, "offer_id");
		if (!json_object_object_get_ex(by_offer, key, &list)) {
			if ((list = json_object_new_array()) == NULL ||
			    json_object_object_add(by_offer, key, list) != 0) {
				json_object_put(list);
				e = API_SERVER;
				break;
			}
		}
		if (json_object_array_add(list, json_object_get(row)) != 0) {
			json_object_put(row);
			e = API_SERVER;
		}
	}
	json_object_put(rows);
	return e;
}

/*
 * A cost as the Display shape shows it: cpc in minor units, cpc_v2 the
 * money object (amount in major units as exact text), cpa a fraction.
 */
#define COSTS_SELECT \
	"SELECT c.offer_id, c.id, c.source," \
	" ELT(c.source + 1, 'General', 'Instagram', 'TikTok', 'YouTube', 'Blog')" \
	" AS source_name, c.cpc," \
	" CONCAT(c.cpc DIV 100, '.', LPAD(c.cpc MOD 100, 2, '0')) AS `cpc_v2.amount`," \
	" s.currency AS `cpc_v2.currency`, c.cpa, s.currency" \
	" FROM offer_traffic_source_costs c JOIN offers o ON o.id = c.offer_id" \
	" JOIN stores s ON s.id = o.store_id WHERE c.offer_id IN "

enum db_rc
offer_costs_read(const int64_t *ids, size_t n, struct json_object **by_offer)
{
	struct sql q = { 0 };
	struct json_object *rows = NULL;
	enum db_rc rc;

	if ((*by_offer = json_object_new_object()) == NULL)
		return DB_ERROR;
	if (n == 0)
		return DB_OK;
	sql_add(&q, COSTS_SELECT);
	sql_in_ints(&q, ids, n);
	sql_add(&q, " ORDER BY c.offer_id, c.source");
	if ((rc = db_select_sql(&q, &rows)) != DB_OK ||
	    offer_group_rows(rows, *by_offer) != API_OK) {
		json_object_put(*by_offer);
		*by_offer = NULL;
		return rc != DB_OK ? rc : DB_ERROR;
	}
	return DB_OK;
}

/* The Display shape but its costs, which come from offer_costs_read(). */
static const char display_sql[] =
    "SELECT o.id, o.campaign_title, o.campaign_text, o.has_product_seeding,"
    " o.has_onetime_payment, " OFFER_STATUS_SQL " AS status,"
    " o.image_path AS image_url, NULL AS image, o.store_id, s.name AS store_name,"
    " s.logo_url AS store_logo_url, s.logo_url AS store_logo, s.currency, o.token,"
    " NULL AS traffic_sources_costs, o.type"
    " FROM offers o JOIN stores s ON s.id = o.store_id WHERE o.id = ?";

enum db_rc
offer_display(struct req *r, int64_t id, struct json_object **out)
{
	struct db_param p[] = { DB_INT(id) };
	struct json_object *rows = NULL, *costs = NULL, *row, *list;
	char key[24];
	enum db_rc rc;

	*out = NULL;
	if ((rc = db_select(display_sql, p, 1, &rows)) != DB_OK)
		return rc;
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return DB_OK;
	}
	if ((rc = offer_costs_read(&id, 1, &costs)) != DB_OK) {
		json_object_put(rows);
		return rc;
	}
	if (offer_images(r, rows) != API_OK) {
		rc = DB_ERROR;
		goto out;
	}
	row = json_object_array_get_idx(rows, 0);
	snprintf(key, sizeof(key), "%lld", (long long)id);
	if (json_object_object_get_ex(costs, key, &list))
		json_object_get(list);
	else if ((list = json_object_new_array()) == NULL) {
		rc = DB_ERROR;
		goto out;
	}
	json_object_object_add(row, "traffic_sources_costs", list);
	*out = json_object_get(row);
out:
	json_object_put(costs);
	json_object_put(rows);
	return rc;
}

/* Answers the Display shape of offer id with status. */
static enum api_err
answer_display(struct req *r, int64_t id, int status)
{
	struct json_object *o = NULL;
	enum db_rc rc;

	if ((rc = offer_display(r, id, &o)) != DB_OK)
		return db_api_err(rc);
	if (o == NULL)
		return API_NOT_FOUND;	/* gone since the scope found it */
	http_set_json(r, status, o);
	return API_OK;
}

/* ---------------------------------------------------------------- */
/* GET /v2/offers/{offer_id}, GET /v2/offer-by-token/{offer_token}   */
/* ---------------------------------------------------------------- */

static enum api_err
offers_show(struct req *r)
{
	return answer_display(r, r->scope.id, 200);
}

const struct handler h_offers_show = HANDLER_NO_INPUT(offers_show);

/* The token scope found the offer and let the caller see it. */
const struct handler h_offers_by_token = HANDLER_NO_INPUT(offers_show);

/* ---------------------------------------------------------------- */
/* GET /v2/offers                                                    */
/* ---------------------------------------------------------------- */

static const char *const statuses[] = { "deleted", "ended", "scheduled", "paused", "active",
	NULL };

/*
 * Each derived status as a condition on the columns, in statuses[]'s
 * order, so that the filter can use idx_offers_store_window.
 */
static const char *const status_where[] = {
	"o.deleted_at IS NOT NULL",
	"(o.deleted_at IS NULL AND o.paused_at IS NULL AND (o.valid_from IS NULL"
	" OR o.valid_from <= UTC_TIMESTAMP()) AND o.valid_until < UTC_TIMESTAMP())",
	"(o.deleted_at IS NULL AND o.paused_at IS NULL AND o.valid_from > UTC_TIMESTAMP())",
	"(o.deleted_at IS NULL AND o.paused_at IS NOT NULL)",
	"(o.deleted_at IS NULL AND o.paused_at IS NULL AND (o.valid_from IS NULL"
	" OR o.valid_from <= UTC_TIMESTAMP()) AND (o.valid_until IS NULL"
	" OR o.valid_until >= UTC_TIMESTAMP()))",
};

static const char *const customs[] = { "ends_soon", NULL };
static const char *const includes[] = { "trafficSourcesCosts", "store", "targets",
	"sharedBudget", NULL };
static const char *const formats[] = { "csv", "xlsx", NULL };

/* Active first, then the nearest end; campaigns without an end last. */
#define ENDS_SOON_ORDER \
	"(o.deleted_at IS NULL AND o.paused_at IS NULL AND (o.valid_from IS NULL" \
	" OR o.valid_from <= UTC_TIMESTAMP()) AND (o.valid_until IS NULL" \
	" OR o.valid_until >= UTC_TIMESTAMP())) DESC, o.valid_until IS NULL ASC," \
	" o.valid_until ASC"

static const struct sort_col list_sort[] = {
	{ "id", "o.id" },
	{ "name", "o.name" },
	{ "campaign_title", "o.campaign_title" },
	{ "created_at", "o.created_at" },
	{ "updated_at", "o.updated_at" },
	{ "valid_from", "o.valid_from" },
	{ "valid_until", "o.valid_until" },
	{ NULL, NULL },
};

enum {
	L_QUERY, L_STATUSES, L_STORES, L_GROUPS, L_CREATED_BY, L_OR_ID, L_TARGET_USER,
	L_SIZE, L_PAGE, L_SORT, L_CUSTOM, L_INCLUDE, L_FORMAT
};

static const struct valid_field list_fields[] = {
	[L_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 64 },
	[L_STATUSES] = { .name = "statuses", .type = &valid_str_list, .in = statuses,
	    .max_items = 5 },
	[L_STORES] = { .name = "store_ids", .type = &valid_int_list, .max_items = 1000 },
	[L_GROUPS] = { .name = "store_group_ids", .type = &valid_int_list, .max_items = 100 },
	[L_CREATED_BY] = { .name = "created_by", .type = &valid_int, .flags = V_REQUIRED },
	[L_OR_ID] = { .name = "or_id", .type = &valid_int },
	[L_TARGET_USER] = { .name = "target_user_id", .type = &valid_int },
	[L_SIZE] = VALID_SIZE(100),
	[L_PAGE] = VALID_PAGE,
	[L_SORT] = VALID_SORT(list_sort),
	[L_CUSTOM] = { .name = "custom_sort_by", .type = &valid_enum, .in = customs },
	[L_INCLUDE] = { .name = "include", .type = &valid_str_list, .in = includes,
	    .max_items = 4 },
	[L_FORMAT] = { .name = "format", .type = &valid_enum, .in = formats },
};

/* The filters that or_id is OR'd with. */
static void
list_filters(struct req *r, struct sql *q)
{
	const struct valid_value *v = r->vals;
	int64_t id;

	sql_int(q, "o.created_by = ?", v[L_CREATED_BY].i);
	if (v[L_STATUSES].present) {
		sql_add(q, " AND (");
		for (size_t i = 0; i < v[L_STATUSES].n; i++) {
			for (size_t k = 0; statuses[k] != NULL; k++)
				if (strlen(statuses[k]) == v[L_STATUSES].lens[i] &&
				    memcmp(statuses[k], v[L_STATUSES].strs[i],
				    v[L_STATUSES].lens[i]) == 0) {
					sql_add(q, i ? " OR " : "");
					sql_add(q, status_where[k]);
				}
		}
		sql_add(q, ")");
	}
	if (v[L_QUERY].present) {
		sql_add(q, " AND (");
		if (util_parse_int64(v[L_QUERY].s, v[L_QUERY].len, &id) == 0)
			sql_int(q, "o.id = ? OR ", id);
		sql_like(q, "o.name LIKE ?", v[L_QUERY].s, v[L_QUERY].len);
		sql_like(q, " OR o.campaign_title LIKE ?)", v[L_QUERY].s, v[L_QUERY].len);
	}
	if (v[L_STORES].present) {
		sql_add(q, " AND o.store_id IN ");
		sql_in_ints(q, v[L_STORES].ints, v[L_STORES].n);
	}
	if (v[L_GROUPS].present) {
		sql_add(q, " AND o.store_group_id IN ");
		sql_in_ints(q, v[L_GROUPS].ints, v[L_GROUPS].n);
	}
	if (v[L_TARGET_USER].present) {
		sql_add(q, " AND o.id IN (");
		target_offer_ids(q, v[L_TARGET_USER].i);
		sql_add(q, ")");
		target_not_blocked(q, "o.store_id", v[L_TARGET_USER].i);
	}
}

/*
 * FROM and WHERE: the caller's stores (admins: all), deleted campaigns
 * only when `statuses` asks for them, and the filters, or the offer or_id.
 * page: for the page, not the count. A member of one store gets the page
 * of their campaigns newest first by (store_id, created_by, created_at),
 * read backwards until the page is full (MariaDB chose to read the whole
 * store's and sort them: 2.5 ms at 1,000); the count by the index that
 * holds every column it checks (idx_offers_store_author_window: at 1M
 * campaigns MariaDB took the store's index and read 10k rows for
 * created_by, 30 ms a count). Not with or_id or target_user_id: their ORs
 * and joins want the store's rows.
 */
static void
list_from(struct req *r, struct sql *q, bool page)
{
	const struct valid_value *v = r->vals;
	int64_t extra[2];
	size_t nextra = 0;

	if (v[L_QUERY].present) {
		/* The rows the text may be in, and the ids shown whatever it is. */
		if (util_parse_int64(v[L_QUERY].s, v[L_QUERY].len, &extra[nextra]) == 0)
			nextra++;
		if (v[L_OR_ID].present)
			extra[nextra++] = v[L_OR_ID].i;
		search_from(q, "offers o", "o.id", SEARCH_OFFERS, v[L_QUERY].s, v[L_QUERY].len,
		    extra, nextra);
	} else if (!r->caller.admin && r->caller.nstores == 1 && !v[L_OR_ID].present &&
	    !v[L_TARGET_USER].present)
		sql_add(q, page ? " FROM offers o FORCE INDEX (idx_offers_store_author_created)" :
		    " FROM offers o FORCE INDEX (idx_offers_store_author_window)");
	else
		sql_add(q, " FROM offers o");
	sql_add(q, " WHERE ");
	if (!r->caller.admin && r->caller.nstores == 0)
		sql_add(q, "1 = 0 AND ");	/* the access check lets no one so in */
	else if (!r->caller.admin) {
		sql_add(q, "o.store_id IN ");
		sql_in_ints(q, r->caller.stores, r->caller.nstores);
		sql_add(q, " AND ");
	}
	if (!valid_list_has(&v[L_STATUSES], "deleted"))
		sql_add(q, "o.deleted_at IS NULL AND ");
	sql_add(q, "((");
	list_filters(r, q);
	sql_add(q, ")");
	if (v[L_OR_ID].present)
		sql_int(q, " OR o.id = ?", v[L_OR_ID].i);
	sql_add(q, ")");
}

/* The ids of a page's rows, and of one column of them. */
static int64_t *
rows_ids(struct json_object *rows, const char *key, size_t *n)
{
	size_t len = json_object_array_length(rows);
	int64_t *ids = calloc(len ? len : 1, sizeof(*ids));
	struct json_object *v;

	*n = 0;
	for (size_t i = 0; ids != NULL && i < len; i++)
		if (json_object_object_get_ex(json_object_array_get_idx(rows, i), key, &v) &&
		    v != NULL)
			ids[(*n)++] = json_object_get_int64(v);
	return ids;
}

/* Sets each row's key to what by (keyed by the row's id column) holds, or
 * to empty (a new array), or null when empty is NULL. */
static enum api_err
attach(struct json_object *rows, const char *idcol, const char *key, struct json_object *by,
    bool as_array)
{
	struct json_object *row, *v, *val;
	char k[24];

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		val = NULL;
		if (json_object_object_get_ex(row, idcol, &v) && v != NULL) {
			snprintf(k, sizeof(k), "%lld", (long long)json_object_get_int64(v));
			if (json_object_object_get_ex(by, k, &val))
				json_object_get(val);
		}
		if (val == NULL && as_array && (val = json_object_new_array()) == NULL)
			return API_SERVER;
		json_object_object_add(row, key, val);
	}
	return API_OK;
}

/* One row per key of by: rows keyed by their "id". */
static enum api_err
index_rows(struct json_object *rows, const char *idcol, struct json_object *by)
{
	struct json_object *v;
	char k[24];

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *row = json_object_array_get_idx(rows, i);
		if (!json_object_object_get_ex(row, idcol, &v) || v == NULL)
			return API_SERVER;
		snprintf(k, sizeof(k), "%lld", (long long)json_object_get_int64(v));
		if (json_object_object_add(by, k, json_object_get(row)) != 0)
			return API_SERVER;
	}
	return API_OK;
}

static enum db_rc
read_stores(const int64_t *ids, size_t n, struct json_object **by)
{
	struct sql q = { 0 };
	struct json_object *rows = NULL;
	enum db_rc rc;

	sql_add(&q, "SELECT s.id, s.name, s.logo_url, s.currency, s.store_group_id"
	    " FROM stores s WHERE s.id IN ");
	sql_in_ints(&q, ids, n);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return rc;
	if ((*by = json_object_new_object()) == NULL || index_rows(rows, "id", *by) != API_OK)
		rc = DB_ERROR;
	json_object_put(rows);
	return rc;
}

static enum db_rc
read_budgets(const int64_t *ids, size_t n, struct json_object **by)
{
	struct sql q = { 0 };
	struct json_object *rows = NULL;
	enum db_rc rc;

	sql_add(&q, "SELECT o.id AS offer_key, b.id, b.title, b.amount, "
	    SHARED_BUDGET_CONSUMED_SQL " AS consumed_budget, s.currency"
	    " FROM offers o JOIN shared_budgets b ON b.id = o.shared_budget_id"
	    " JOIN stores s ON s.id = b.store_id WHERE o.id IN ");
	sql_in_ints(&q, ids, n);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return rc;
	if ((*by = json_object_new_object()) == NULL ||
	    index_rows(rows, "offer_key", *by) != API_OK)
		rc = DB_ERROR;
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		json_object_object_del(json_object_array_get_idx(rows, i), "offer_key");
	json_object_put(rows);
	return rc;
}

/* The includes: what each reads, for which column of the rows, into which key. */
static const struct include {
	const char *name;	/* the include[] value */
	const char *idcol;	/* the rows' column whose ids the read takes */
	const char *key;	/* the key it fills in each row */
	bool as_array;		/* a row without any: [] (else null) */
	enum db_rc (*read)(const int64_t *ids, size_t n, struct json_object **by);
} include_reads[] = {
	{ "trafficSourcesCosts", "id", "traffic_sources_costs", true, offer_costs_read },
	{ "store", "store_id", "store", false, read_stores },
	{ "targets", "id", "targets", false, offer_targets_read },
	{ "sharedBudget", "id", "shared_budget", false, read_budgets },
};

/* The page's images and includes: one query per include for all rows. */
static enum api_err
list_shape(struct req *r, struct json_object *rows)
{
	const struct valid_value *inc = &r->vals[L_INCLUDE];
	struct json_object *by;
	int64_t *ids;
	size_t n;
	enum api_err e;
	enum db_rc rc;

	if ((e = offer_images(r, rows)) != API_OK || !inc->present ||
	    json_object_array_length(rows) == 0)
		return e;
	for (size_t i = 0; i < VALID_COUNT(include_reads) && e == API_OK; i++) {
		const struct include *x = &include_reads[i];
		if (!valid_list_has(inc, x->name))
			continue;
		if ((ids = rows_ids(rows, x->idcol, &n)) == NULL)
			return API_SERVER;
		by = NULL;
		rc = x->read(ids, n, &by);
		free(ids);
		if (rc != DB_OK)
			return db_api_err(rc);
		e = attach(rows, x->idcol, x->key, by, x->as_array);
		json_object_put(by);
	}
	return e;
}

/* What the list's query cannot check, then its query. */
static enum api_err
list_query(struct req *r, struct page_query *pq, struct sql *from, struct sql *count_from)
{
	const struct valid_value *v = r->vals;

	/* created_by is the caller's own id, unless an admin asks. */
	if (!r->caller.admin && v[L_CREATED_BY].i != r->caller.id) {
		http_validation_error(r, "created_by", "The selected created by is invalid.");
		return API_VALIDATION;
	}
	pq->columns = OFFER_ITEM_COLUMNS;
	pq->from = from;
	pq->default_order = "o.created_at DESC, o.id DESC";
	pq->tiebreak = "o.id";
	pq->default_size = 20;
	if (v[L_CUSTOM].present)
		pq->order_first = ENDS_SOON_ORDER;
	list_from(r, from, true);
	list_from(r, count_from, false);
	pq->count_from = count_from;
	return API_OK;
}

/* An export's columns: the item's keys, in its order, with the includes'. */
static const struct page_column list_columns[] = {
	{ .path = "id" }, { .path = "campaign_title" }, { .path = "campaign_text" },
	{ .path = "has_product_seeding" }, { .path = "has_onetime_payment" },
	{ .path = "status" }, { .path = "image_url" }, { .path = "image.key" },
	{ .path = "image.url" }, { .path = "image.base_url" }, { .path = "image.base64" },
	{ .path = "store_id" }, { .path = "token" }, { .path = "type" },
	{ .path = "traffic_sources_costs", .include = "trafficSourcesCosts" },
	{ .path = "store.id", .include = "store" },
	{ .path = "store.name", .include = "store" },
	{ .path = "store.logo_url", .include = "store" },
	{ .path = "store.currency", .include = "store" },
	{ .path = "store.store_group_id", .include = "store" },
	{ .path = "targets", .include = "targets" },
	{ .path = "shared_budget.id", .include = "sharedBudget" },
	{ .path = "shared_budget.title", .include = "sharedBudget" },
	{ .path = "shared_budget.amount", .include = "sharedBudget" },
	{ .path = "shared_budget.consumed_budget", .include = "sharedBudget" },
	{ .path = "shared_budget.currency", .include = "sharedBudget" },
	{ .path = NULL },
};

const struct page_list offers_listing = {
	.kind = "offers", .path = "/v2/offers", .query = list_query, .shape = list_shape,
	.columns = list_columns,
};

static enum api_err
offers_list(struct req *r)
{
	return page_list_run(r, &offers_listing);
}

const struct handler h_offers_list = HANDLER(offers_list, list_fields);

/* ---------------------------------------------------------------- */
/* DELETE /v2/offers/{id}                                            */
/* ---------------------------------------------------------------- */

/*
 * A soft delete. Run again after a COMMIT whose outcome was unknown, it
 * finds the campaign deleted already and answers the same 204.
 */
static enum api_err
remove_offer(struct req *r, void *arg)
{
	struct db_param p[] = { DB_INT(*(int64_t *)arg) };
	enum db_rc rc;

	rc = db_exec("UPDATE offers SET deleted_at = UTC_TIMESTAMP() WHERE id = ?"
	    " AND deleted_at IS NULL", p, 1, NULL, NULL);
	if (rc != DB_OK)
		return db_api_err(rc);
	http_set_json(r, 204, NULL);
	return API_OK;
}

static enum api_err
offers_remove(struct req *r)
{
	int64_t id = r->scope.id;

	return tx_run(r, TX_RERUN_SAFE, remove_offer, &id);
}

const struct handler h_offers_remove = HANDLER_NO_INPUT(offers_remove);

/* ---------------------------------------------------------------- */
/* POST /v2/offers/{offer_id}/pause, /unpause                        */
/* ---------------------------------------------------------------- */

struct pause_ctx {
	int64_t id;
	bool pause;
};

/*
 * Locks the campaign's row and reads its status. A deleted campaign can be
 * neither paused nor unpaused, an ended one not paused; pausing a paused
 * one (or unpausing a running one) changes nothing.
 */
static enum api_err
set_paused(struct req *r, void *arg)
{
	struct pause_ctx *c = arg;
	struct db_param p[] = { DB_INT(c->id) };
	struct json_object *rows = NULL, *v;
	const char *status;
	enum api_err e = API_OK;
	enum db_rc rc;

	rc = db_select("SELECT " OFFER_STATUS_SQL " AS status FROM offers o WHERE o.id = ?"
	    " FOR UPDATE", p, 1, &rows);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	json_object_object_get_ex(json_object_array_get_idx(rows, 0), "status", &v);
	status = json_object_get_string(v);
	if (strcmp(status, "deleted") == 0)
		http_validation_error(r, "offer_id", "A deleted campaign cannot be %s.",
		    c->pause ? "paused" : "unpaused");
	else if (c->pause && strcmp(status, "ended") == 0)
		http_validation_error(r, "offer_id", "An ended campaign cannot be paused.");
	else if (c->pause && strcmp(status, "paused") != 0)
		rc = db_exec("UPDATE offers SET paused_at = UTC_TIMESTAMP() WHERE id = ?", p, 1,
		    NULL, NULL);
	else if (!c->pause)
		rc = db_exec("UPDATE offers SET paused_at = NULL WHERE id = ?"
		    " AND paused_at IS NOT NULL", p, 1, NULL, NULL);
	if (strcmp(status, "deleted") == 0 || (c->pause && strcmp(status, "ended") == 0))
		e = API_VALIDATION;
	json_object_put(rows);
	if (e != API_OK)
		return e;
	if (rc != DB_OK)
		return db_api_err(rc);
	return answer_display(r, c->id, 200);
}

static enum api_err
offers_pause(struct req *r)
{
	struct pause_ctx c = { r->scope.id, true };

	return tx_run(r, TX_RERUN_SAFE, set_paused, &c);
}

static enum api_err
offers_unpause(struct req *r)
{
	struct pause_ctx c = { r->scope.id, false };

	return tx_run(r, TX_RERUN_SAFE, set_paused, &c);
}

const struct handler h_offers_pause = HANDLER_NO_INPUT(offers_pause);
const struct handler h_offers_unpause = HANDLER_NO_INPUT(offers_unpause);

/* ---------------------------------------------------------------- */
/* POST /v2/offers/{offer_id}/uploads                                */
/* ---------------------------------------------------------------- */

#define MAX_PARTS 16

struct image_ctx {
	int64_t id;
	const char *path;	/* the new file */
	char old[1024];		/* the file it replaces, "" for none */
};

/* Points the campaign at the new file; remembers the old one. */
static enum api_err
set_image(struct req *r, void *arg)
{
	struct image_ctx *c = arg;
	struct db_param p[] = { DB_INT(c->id) };
	struct db_param u[] = { DB_STR(c->path, strlen(c->path)), DB_INT(c->id) };
	struct json_object *rows = NULL, *v;
	enum db_rc rc;

	c->old[0] = '\0';
	rc = db_select("SELECT image_path FROM offers WHERE id = ? AND deleted_at IS NULL"
	    " FOR UPDATE", p, 1, &rows);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	if (json_object_object_get_ex(json_object_array_get_idx(rows, 0), "image_path", &v) &&
	    v != NULL)
		snprintf(c->old, sizeof(c->old), "%s", json_object_get_string(v));
	json_object_put(rows);
	if ((rc = db_exec("UPDATE offers SET image_path = ? WHERE id = ?", u, 2, NULL, NULL)) !=
	    DB_OK)
		return db_api_err(rc);
	return answer_display(r, c->id, 200);
}

/* The image part: `default` as the reference names it, or `image`. */
static const struct mp_part *
image_part(const struct mp_form *form)
{
	const struct mp_part *p = mp_find(form, "default");

	return p != NULL && p->len > 0 ? p : mp_find(form, "image");
}

static enum api_err
offers_upload(struct req *r)
{
	const char *ct = r->io.param(r->io.ctx, "CONTENT_TYPE");
	struct mp_form form;
	const struct mp_part *part;
	struct image_info info;
	struct image_ctx c;
	char rel[256], dir[64];
	enum api_err e;
	int rc;

	memset(&form, 0, sizeof(form));
	memset(&c, 0, sizeof(c));
	if (!mp_is_form_data(ct) || r->body == NULL) {
		http_validation_error(r, "default", "The default field is required.");
		return API_VALIDATION;
	}
	rc = mp_parse(ct, r->body, r->body_len, MAX_PARTS, &form);
	if (rc == MP_TOO_MANY || rc == MP_NOMEM) {
		e = rc == MP_TOO_MANY ? API_TOO_LARGE : API_SERVER;
		goto out;
	}
	if (rc != MP_OK || (part = image_part(&form)) == NULL || part->len == 0) {
		http_validation_error(r, "default", "The default field is required.");
		e = API_VALIDATION;
		goto out;
	}
	if (part->filename == NULL) {
		http_validation_error(r, "default", "The default field must be a file.");
		e = API_VALIDATION;
		goto out;
	}
	if (image_probe(part->data, part->len, &info) == -1 || !image_size_ok(&info)) {
		http_validation_error(r, "default", "The default field must be an image.");
		e = API_VALIDATION;
		goto out;
	}
	snprintf(dir, sizeof(dir), "offers");
	if ((e = media_store(r, dir, info.ext, part->data, part->len, rel, sizeof(rel))) !=
	    API_OK)
		goto out;
	c.id = r->scope.id;
	c.path = rel;
	/*
	 * Setting the same new path twice is one change: an unknown COMMIT
	 * outcome is settled by running it again. The old file goes once the
	 * change is committed; the new one when it was not (a 503 may leave
	 * it: the sweep of unused files takes it).
	 */
	e = tx_run(r, TX_RERUN_SAFE, set_image, &c);
	if (e == API_OK && c.old[0] != '\0' && strcmp(c.old, rel) != 0)
		media_remove(r->conf, c.old);
	else if (e != API_OK && e != API_UNAVAILABLE)
		media_remove(r->conf, rel);
out:
	mp_free(&form);
	return e;
}

const struct handler h_offers_upload = HANDLER_UPLOAD(offers_upload);
