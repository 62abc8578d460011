/*
 * offer_stats.c -- a campaign's numbers and a creator's campaigns:
 *   GET /v2/offers/{offer_id}/stats?start_date&end_date
 *                                  (admins and the store's members,
 *                                   deleted campaigns too)
 *   GET /v2/users/{user_id}/offers (the user themselves or an admin)
 * See offers.h for what the campaign handlers share.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../page.h"
#include "../report.h"
#include "../target.h"
#include "offers.h"
#include "resources.h"

/* ---------------------------------------------------------------- */
/* GET /v2/offers/{offer_id}/stats                                   */
/* ---------------------------------------------------------------- */

/* The longest period, in days, both ends included (a leap year). */
#define STATS_MAX_DAYS 366

enum { S_START, S_END };

static const struct valid_field stats_fields[] = {
	[S_START] = { .name = "start_date", .type = &valid_date, .flags = V_REQUIRED },
	[S_END] = { .name = "end_date", .type = &valid_date, .flags = V_REQUIRED,
	    .after_or_equal = "start_date" },
};

static const char stats_currency_sql[] =
    "SELECT s.currency FROM offers o JOIN stores s ON s.id = o.store_id WHERE o.id = ?";

/*
 * The offer's clicks by UTC day over [start 00:00:00, end 23:59:59]
 * (DATETIME holds whole seconds), through idx_clicks_offer_time. A click
 * without a visitor hash is a visitor of its own. WITH ROLLUP adds the
 * period's row (date NULL), whose unique count is over the whole period,
 * not a sum of the days'. SUM and COUNT(DISTINCT) + SUM are DECIMAL in
 * MariaDB: cast back to integers.
 */
static const char stats_clicks_sql[] =
    "SELECT DATE(c.occurred_at) AS `date`, COUNT(*) AS clicks,"
    " CAST(COUNT(DISTINCT c.visitor_hash) + SUM(c.visitor_hash IS NULL) AS SIGNED)"
    " AS unique_clicks,"
    " CAST(SUM(c.cost) AS SIGNED) AS cost, CAST(SUM(c.earning) AS SIGNED) AS earning"
    " FROM clicks c WHERE c.offer_id = ? AND c.occurred_at >= ? AND c.occurred_at <= ?"
    " GROUP BY DATE(c.occurred_at) WITH ROLLUP";

/*
 * The offer's orders by UTC day over the same period, rejected ones left
 * out (the store does not pay them, the creator does not earn them),
 * through idx_orders_offer_time; the period's row as above.
 */
static const char stats_orders_sql[] =
    "SELECT DATE(x.occurred_at) AS `date`, COUNT(*) AS orders,"
    " CAST(SUM(x.order_value) AS SIGNED) AS order_value,"
    " CAST(SUM(x.commission) AS SIGNED) AS commission,"
    " CAST(SUM(x.earning) AS SIGNED) AS earning"
    " FROM orders x WHERE x.offer_id = ? AND x.occurred_at >= ? AND x.occurred_at <= ?"
    " AND x.status <> 'rejected'"
    " GROUP BY DATE(x.occurred_at) WITH ROLLUP";

static const char *const stats_click_keys[] = { "clicks", "unique_clicks", "cost", "earning" };
static const char *const stats_order_keys[] = { "orders", "order_value", "commission",
	"earning" };

/* The integer under key of object o; 0 when o is NULL or has none. */
static int64_t
stats_num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	return json_object_get_int64(v);
}

/* The period's row of a WITH ROLLUP result (the one whose date is NULL). */
static struct json_object *
stats_rollup(struct json_object *rows)
{
	struct json_object *row, *v;

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (json_object_object_get_ex(row, "date", &v) && v == NULL)
			return row;
	}
	return NULL;
}

/*
 * One entry of the answer from a click row c and an order row o (either
 * NULL: zeros): {"date"?, clicks, unique_clicks, orders, order_value,
 * cost, earnings}, the date first when date is not NULL. What the store
 * pays is the clicks' cost and the orders' commission; what the creator
 * earns, the earnings of both. A new object, or NULL when out of memory.
 */
static struct json_object *
stats_entry(const char *date, struct json_object *c, struct json_object *o)
{
	struct json_object *e;
	const struct {
		const char *key;
		int64_t v;
	} kv[] = {
		{ "clicks", stats_num(c, "clicks") },
		{ "unique_clicks", stats_num(c, "unique_clicks") },
		{ "orders", stats_num(o, "orders") },
		{ "order_value", stats_num(o, "order_value") },
		{ "cost", stats_num(c, "cost") + stats_num(o, "commission") },
		{ "earnings", stats_num(c, "earning") + stats_num(o, "earning") },
	};

	if ((e = json_object_new_object()) == NULL)
		return NULL;
	if (date != NULL && json_object_object_add(e, "date", json_object_new_string(date)) != 0)
		goto fail;
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (json_object_object_add(e, kv[i].key, json_object_new_int64(kv[i].v)) != 0)
			goto fail;
	return e;
fail:
	json_object_put(e);
	return NULL;
}

/* Reads one of the grouped queries for offer id over [from, to] into *rows. */
static enum db_rc
stats_select(const char *query, int64_t id, const char *from, const char *to,
    struct json_object **rows)
{
	struct db_param p[] = { DB_INT(id), DB_STR(from, strlen(from)), DB_STR(to, strlen(to)) };

	return db_select(query, p, 3, rows);
}

static enum api_err
offer_stats(struct req *r)
{
	const struct valid_value *vs = &r->vals[S_START], *ve = &r->vals[S_END];
	struct json_object *cur = NULL, *crows = NULL, *orows = NULL, *cdays = NULL,
	    *odays = NULL, *days = NULL, *out = NULL, *e, *v;
	int64_t id = r->scope.id;
	char start[11], end[11], from[20], to[20];
	enum api_err err = API_SERVER;
	enum db_rc rc;
	long a, b;
	size_t n;

	snprintf(start, sizeof(start), "%.*s", (int)vs->len, vs->s);
	snprintf(end, sizeof(end), "%.*s", (int)ve->len, ve->s);
	if (report_day(start, strlen(start), &a) == -1 ||
	    report_day(end, strlen(end), &b) == -1)
		return API_SERVER;	/* valid_date let through what it must not */
	if (b - a + 1 > STATS_MAX_DAYS) {
		http_validation_error(r, "end_date",
		    "The end date field must be a date within %d days of the start date.",
		    STATS_MAX_DAYS);
		return API_VALIDATION;
	}
	snprintf(from, sizeof(from), "%s 00:00:00", start);
	snprintf(to, sizeof(to), "%s 23:59:59", end);

	{
		struct db_param p[] = { DB_INT(id) };

		if ((rc = db_select(stats_currency_sql, p, 1, &cur)) != DB_OK ||
		    (rc = stats_select(stats_clicks_sql, id, from, to, &crows)) != DB_OK ||
		    (rc = stats_select(stats_orders_sql, id, from, to, &orows)) != DB_OK) {
			err = db_api_err(rc);
			goto out;
		}
	}
	if (json_object_array_length(cur) == 0) {
		err = API_NOT_FOUND;	/* gone since the scope found it */
		goto out;
	}

	cdays = report_days(start, end, crows, stats_click_keys,
	    sizeof(stats_click_keys) / sizeof(stats_click_keys[0]), STATS_MAX_DAYS);
	odays = report_days(start, end, orows, stats_order_keys,
	    sizeof(stats_order_keys) / sizeof(stats_order_keys[0]), STATS_MAX_DAYS);
	if (cdays == NULL || odays == NULL)
		goto out;
	n = json_object_array_length(cdays);
	if (json_object_array_length(odays) != n ||
	    (days = json_object_new_array_ext((int)n)) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(cdays, i),
		    *o = json_object_array_get_idx(odays, i);

		if (!json_object_object_get_ex(c, "date", &v) ||
		    (e = stats_entry(json_object_get_string(v), c, o)) == NULL)
			goto out;
		if (json_object_array_add(days, e) != 0) {
			json_object_put(e);
			goto out;
		}
	}

	if ((out = json_object_new_object()) == NULL ||
	    !json_object_object_get_ex(json_object_array_get_idx(cur, 0), "currency", &v) ||
	    (e = stats_entry(NULL, stats_rollup(crows), stats_rollup(orows))) == NULL)
		goto out;
	json_object_object_add(out, "offer_id", json_object_new_int64(id));
	json_object_object_add(out, "start_date", json_object_new_string(start));
	json_object_object_add(out, "end_date", json_object_new_string(end));
	json_object_object_add(out, "currency", json_object_get(v));
	json_object_object_add(out, "total", e);
	json_object_object_add(out, "days", days);
	days = NULL;
	http_set_json(r, 200, out);
	out = NULL;
	err = API_OK;
out:
	json_object_put(out);
	json_object_put(days);
	json_object_put(odays);
	json_object_put(cdays);
	json_object_put(orows);
	json_object_put(crows);
	json_object_put(cur);
	return err;
}

const struct handler h_offer_stats = HANDLER(offer_stats, stats_fields);

/* ---------------------------------------------------------------- */
/* GET /v2/users/{user_id}/offers                                    */
/* ---------------------------------------------------------------- */

/* The participant statuses of SPEC.md (offer_users.status). */
static const char *const participant_statuses[] = { "suggestion", "open", "accepted",
	"product_sent", "have_received", "done", "store_denied", NULL };

enum { U_STATUS, U_NAME, U_SIZE, U_PAGE };

static const struct valid_field user_offers_fields[] = {
	[U_STATUS] = { .name = "status", .type = &valid_enum, .in = participant_statuses },
	[U_NAME] = { .name = "name", .type = &valid_string, .flags = V_MAX, .max = 255 },
	[U_SIZE] = VALID_SIZE(100),
	[U_PAGE] = VALID_PAGE,
};

/* An item of List campaigns, then the user's participation (or null). */
#define USER_OFFER_COLUMNS \
	OFFER_ITEM_COLUMNS ", ou.id AS `participation.id`," \
	" ou.status AS `participation.status`, ou.joined_at AS `participation.joined_at`"

/*
 * The campaigns of user uid: the ids of those they take part in and,
 * unless status asks for a participation, of those that target them
 * (target.h: each kind through its own index), as one derived table
 * (UNION: each once); then the campaigns by primary key and the user's
 * participation by (offer_id, user_id). A campaign only targeting them
 * is left out when its store blocklists them; a participation stays
 * whatever the blocklist says. Deleted campaigns never show.
 */
static void
user_offers_from(struct sql *q, int64_t uid, const struct valid_value *status,
    const struct valid_value *name)
{
	sql_int(q, " FROM (SELECT p.offer_id FROM offer_users p WHERE p.user_id = ?", uid);
	if (status->present)
		sql_str(q, " AND p.status = ?", status->s, status->len);
	else {
		sql_add(q, " UNION SELECT t.offer_id FROM (");
		target_offer_ids(q, uid);
		sql_add(q, ") t");
	}
	sql_add(q, ") ids JOIN offers o ON o.id = ids.offer_id");
	sql_int(q, " LEFT JOIN offer_users ou ON ou.offer_id = o.id AND ou.user_id = ?", uid);
	sql_add(q, " WHERE o.deleted_at IS NULL");
	if (!status->present) {
		sql_add(q, " AND (ou.id IS NOT NULL OR (1 = 1");
		target_not_blocked(q, "o.store_id", uid);
		sql_add(q, "))");
	}
	if (name->present) {
		sql_like(q, " AND (o.name LIKE ?", name->s, name->len);
		sql_like(q, " OR o.campaign_title LIKE ?)", name->s, name->len);
	}
}

static enum api_err
user_offers(struct req *r)
{
	struct sql from = { 0 };
	struct page_query pq = {
		.columns = USER_OFFER_COLUMNS, .from = &from,
		.default_order = "o.created_at DESC, o.id DESC", .tiebreak = "o.id",
		.default_size = 20,
	};
	enum api_err e;

	user_offers_from(&from, r->scope.id, &r->vals[U_STATUS], &r->vals[U_NAME]);
	e = from.oom ? API_SERVER : page_run(r, &pq, offer_images);
	sql_free(&from);
	return e;
}

const struct handler h_user_offers = HANDLER(user_offers, user_offers_fields);
