/*
 * participants_write.c -- a store's changes to a participant's card, and
 * the card's activity log:
 *   PATCH /v2/offers/{offer_id}/participants/{participant_id}/update-status
 *   PATCH .../participants/{participant_id}/todo
 *   PATCH .../participants/{participant_id}/overrides/clicks
 *   PATCH .../participants/{participant_id}/overrides/costs
 *   GET   /v2/offer-users/{offer_user}/activities
 * Each PATCH locks the participant's row, makes its change and writes the
 * change's activity row (activity_add) in one transaction: both or
 * neither. A PATCH that changes nothing writes nothing, activity
 * included. Each answers the participant in the list's shape
 * (participants.h).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../page.h"
#include "../tx.h"
#include "participants.h"
#include "resources.h"

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/*
 * Locks participant id's row for the rest of the transaction and reads
 * the columns of sel ("status", "click_limit"; "id" for none) into *row
 * (a new object). API_NOT_FOUND when it is gone.
 */
static enum api_err
lock_participant(int64_t id, const char *sel, struct json_object **row)
{
	struct sql q = { 0 };
	struct json_object *rows = NULL;
	enum db_rc rc;

	*row = NULL;
	/* sel is program text, one of the column lists above, never input. */
	sql_add(&q, "SELECT ");
	sql_add(&q, sel);
	sql_int(&q, " FROM offer_users WHERE id = ? FOR UPDATE", id);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	*row = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	return API_OK;
}

/* ---------------------------------------------------------------- */
/* PATCH .../participants/{participant_id}/update-status             */
/* ---------------------------------------------------------------- */

/* SPEC.md's participant statuses, in the order of the column's ENUM. */
enum status {
	ST_SUGGESTION, ST_OPEN, ST_ACCEPTED, ST_PRODUCT_SENT, ST_HAVE_RECEIVED, ST_DONE,
	ST_STORE_DENIED, ST__MAX
};

static const char *const status_names[ST__MAX + 1] = {
	[ST_SUGGESTION] = "suggestion",
	[ST_OPEN] = "open",
	[ST_ACCEPTED] = "accepted",
	[ST_PRODUCT_SENT] = "product_sent",
	[ST_HAVE_RECEIVED] = "have_received",
	[ST_DONE] = "done",
	[ST_STORE_DENIED] = "store_denied",
	[ST__MAX] = NULL,
};

/*
 * The moves a store may make: moves[from][to]. Staying is no move (200,
 * nothing written); every move not listed is a 422 naming it.
 *
 *   from           may move to
 *   suggestion     open, store_denied
 *   open           accepted, store_denied
 *   accepted       product_sent, done, store_denied
 *   product_sent   have_received, store_denied
 *   have_received  done
 *   store_denied   open
 *   done           (nothing)
 */
static const bool moves[ST__MAX][ST__MAX] = {
	[ST_SUGGESTION] = { [ST_OPEN] = true, [ST_STORE_DENIED] = true },
	[ST_OPEN] = { [ST_ACCEPTED] = true, [ST_STORE_DENIED] = true },
	[ST_ACCEPTED] = { [ST_PRODUCT_SENT] = true, [ST_DONE] = true,
	    [ST_STORE_DENIED] = true },
	[ST_PRODUCT_SENT] = { [ST_HAVE_RECEIVED] = true, [ST_STORE_DENIED] = true },
	[ST_HAVE_RECEIVED] = { [ST_DONE] = true },
	[ST_STORE_DENIED] = { [ST_OPEN] = true },
	[ST_DONE] = { 0 },
};

enum { S_STATUS };

static const struct valid_field status_fields[] = {
	[S_STATUS] = { .name = "status", .type = &valid_enum, .flags = V_REQUIRED,
	    .in = status_names },
};

static int
status_index(const char *s)
{
	for (int i = 0; i < ST__MAX; i++)
		if (strcmp(status_names[i], s) == 0)
			return i;
	return -1;
}

static enum api_err
status_write(struct req *r, void *arg)
{
	int to = (int)r->vals[S_STATUS].i, from;
	struct db_param p[] = { DB_STR(status_names[to], strlen(status_names[to])),
		DB_INT(r->scope.id) };
	struct json_object *row = NULL, *data = NULL;
	enum api_err e;
	enum db_rc rc;

	(void)arg;
	if ((e = lock_participant(r->scope.id, "status", &row)) != API_OK)
		return e;
	from = status_index(json_object_get_string(get(row, "status")));
	json_object_put(row);
	if (from < 0)
		return API_SERVER;
	if (from == to)
		return participant_answer(r, r->scope.id, 200);
	if (!moves[from][to]) {
		http_validation_error(r, "status", "The status cannot change from %s to %s.",
		    status_names[from], status_names[to]);
		return API_VALIDATION;
	}
	if ((rc = db_exec("UPDATE offer_users SET status = ? WHERE id = ?", p, 2, NULL,
	    NULL)) != DB_OK)
		return db_api_err(rc);
	if ((data = json_object_new_object()) == NULL ||
	    json_object_object_add(data, "from", json_object_new_string(status_names[from])) ||
	    json_object_object_add(data, "to", json_object_new_string(status_names[to]))) {
		json_object_put(data);
		return API_SERVER;
	}
	rc = activity_add(r->scope.id, r->caller.id, "status_changed", data);
	json_object_put(data);
	if (rc != DB_OK)
		return db_api_err(rc);
	return participant_answer(r, r->scope.id, 200);
}

static enum api_err
participants_update_status(struct req *r)
{
	/* Again after an unknown COMMIT: the status is there, nothing moves. */
	return tx_run(r, TX_RERUN_SAFE, status_write, NULL);
}

/* ---------------------------------------------------------------- */
/* PATCH .../participants/{participant_id}/todo                      */
/* ---------------------------------------------------------------- */

#define TODO_ITEMS_MAX 100	/* a campaign's todo list has at most 100 items */

enum { T_KEY, T_VALUE };

static const struct valid_field todo_item_fields[] = {
	[T_KEY] = { .name = "key", .type = &valid_string, .flags = V_REQUIRED },
	[T_VALUE] = { .name = "value", .type = &valid_bool, .flags = V_REQUIRED },
};

enum { T_TODO };

static const struct valid_field todo_fields[] = {
	[T_TODO] = { .name = "todo", .type = &valid_objects, .flags = V_REQUIRED,
	    .max_items = TODO_ITEMS_MAX, VALID_NESTED(todo_item_fields) },
};

/* Whether value v (a validated string) is s of n bytes. */
static bool
same_text(const struct valid_value *v, const char *s, size_t n)
{
	return v->len == n && memcmp(v->s, s, n) == 0;
}

/* The campaign's todo item of key v in items (rows of id, key, done), or NULL. */
static struct json_object *
find_item(struct json_object *items, const struct valid_value *v)
{
	struct json_object *it, *k;

	for (size_t i = 0; i < json_object_array_length(items); i++) {
		it = json_object_array_get_idx(items, i);
		k = get(it, "key");
		if (same_text(v, json_object_get_string(k),
		    (size_t)json_object_get_string_len(k)))
			return it;
	}
	return NULL;
}

/*
 * Each item's key once and on the campaign's list, in item order as
 * Laravel's distinct then in rules report them.
 */
static enum api_err
todo_check(struct req *r, struct json_object *items)
{
	const struct valid_value *todo = &r->vals[T_TODO], *a, *b;
	enum api_err e = API_OK;
	char key[48];
	bool dup;

	for (size_t i = 0; i < todo->n; i++) {
		a = &valid_row(todo, i)[T_KEY];
		dup = false;
		for (size_t j = 0; j < todo->n && !dup; j++) {
			b = &valid_row(todo, j)[T_KEY];
			dup = j != i && same_text(a, b->s, b->len);
		}
		snprintf(key, sizeof(key), "todo.%zu.key", i);
		if (dup)
			http_validation_error(r, key,
			    "The todo.%zu.key field has a duplicate value.", i);
		else if (find_item(items, a) == NULL)
			http_validation_error(r, key, "The selected todo.%zu.key is invalid.", i);
		else
			continue;
		e = API_VALIDATION;
	}
	return e;
}

/* Sets one item's state and writes its activity row. */
static enum db_rc
todo_set(struct req *r, int64_t item_id, const struct valid_value *v)
{
	struct db_param p[] = { DB_INT(r->scope.id), DB_INT(item_id), DB_INT(v[T_VALUE].b),
		DB_INT(r->caller.id) };
	struct json_object *data = NULL;
	enum db_rc rc;

	rc = db_exec("INSERT INTO offer_user_todos (offer_user_id, offer_todo_item_id, is_done,"
	    " updated_by) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE is_done = VALUES(is_done),"
	    " updated_by = VALUES(updated_by)", p, 4, NULL, NULL);
	if (rc != DB_OK)
		return rc;
	if ((data = json_object_new_object()) == NULL ||
	    json_object_object_add(data, "key",
	    json_object_new_string_len(v[T_KEY].s, (int)v[T_KEY].len)) ||
	    json_object_object_add(data, "value", json_object_new_boolean(v[T_VALUE].b))) {
		json_object_put(data);
		return DB_ERROR;
	}
	rc = activity_add(r->scope.id, r->caller.id, "todo_changed", data);
	json_object_put(data);
	return rc;
}

static enum api_err
todo_write(struct req *r, void *arg)
{
	const struct valid_value *todo = &r->vals[T_TODO], *v;
	struct db_param p[] = { DB_INT(r->scope.id) };
	struct json_object *row = NULL, *items = NULL, *it;
	enum api_err e;
	enum db_rc rc;

	(void)arg;
	if ((e = lock_participant(r->scope.id, "id", &row)) != API_OK)
		return e;
	json_object_put(row);
	rc = db_select("SELECT t.id, t.todo_key AS `key`, COALESCE(d.is_done, 0) AS done"
	    " FROM offer_users ou JOIN offer_todo_items t ON t.offer_id = ou.offer_id"
	    " LEFT JOIN offer_user_todos d ON d.offer_user_id = ou.id"
	    " AND d.offer_todo_item_id = t.id WHERE ou.id = ?", p, 1, &items);
	if (rc != DB_OK)
		return db_api_err(rc);
	if ((e = todo_check(r, items)) != API_OK)
		goto out;
	for (size_t i = 0; i < todo->n; i++) {
		v = valid_row(todo, i);
		it = find_item(items, &v[T_KEY]);
		/* Only what changes is written, and has its activity row. */
		if (json_object_get_boolean(get(it, "done")) == v[T_VALUE].b)
			continue;
		rc = todo_set(r, json_object_get_int64(get(it, "id")), v);
		if (rc != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
	}
	e = participant_answer(r, r->scope.id, 200);
out:
	json_object_put(items);
	return e;
}

static enum api_err
participants_todo(struct req *r)
{
	return tx_run(r, TX_RERUN_SAFE, todo_write, NULL);
}

/* ---------------------------------------------------------------- */
/* PATCH .../participants/{participant_id}/overrides/clicks          */
/* ---------------------------------------------------------------- */

enum { K_LIMIT };

/* Present, and a count (the column is INT UNSIGNED) or null to clear. */
static const struct valid_field clicks_fields[] = {
	[K_LIMIT] = { .name = "click_limit", .type = &valid_int,
	    .flags = V_REQUIRED | V_NULLABLE | V_MIN | V_MAX, .min = 0, .max = 4294967295LL },
};

static enum api_err
clicks_write(struct req *r, void *arg)
{
	const struct valid_value *v = &r->vals[K_LIMIT];
	struct json_object *row = NULL, *old, *data = NULL;
	struct db_param p[] = { DB_INT(v->i), DB_INT(r->scope.id) };
	enum api_err e;
	enum db_rc rc;

	(void)arg;
	if ((e = lock_participant(r->scope.id, "click_limit", &row)) != API_OK)
		return e;
	old = get(row, "click_limit");
	if (old == NULL ? !v->present : v->present && json_object_get_int64(old) == v->i) {
		json_object_put(row);
		return participant_answer(r, r->scope.id, 200);
	}
	if (!v->present)
		p[0].type = DBP_NULL;
	rc = db_exec("UPDATE offer_users SET click_limit = ? WHERE id = ?", p, 2, NULL, NULL);
	if (rc != DB_OK) {
		json_object_put(row);
		return db_api_err(rc);
	}
	if ((data = json_object_new_object()) == NULL ||
	    json_object_object_add(data, "from", json_object_get(old)) ||
	    json_object_object_add(data, "to",
	    v->present ? json_object_new_int64(v->i) : NULL)) {
		json_object_put(data);
		json_object_put(row);
		return API_SERVER;
	}
	rc = activity_add(r->scope.id, r->caller.id, "click_limit_overridden", data);
	json_object_put(data);
	json_object_put(row);
	if (rc != DB_OK)
		return db_api_err(rc);
	return participant_answer(r, r->scope.id, 200);
}

static enum api_err
participants_clicks(struct req *r)
{
	return tx_run(r, TX_RERUN_SAFE, clicks_write, NULL);
}

/* ---------------------------------------------------------------- */
/* PATCH .../participants/{participant_id}/overrides/costs           */
/* ---------------------------------------------------------------- */

enum { M_AMOUNT, M_CURRENCY };

/*
 * A cost per click in major units, at most 2 places, read exactly; in
 * minor units it must fit a signed 64-bit integer, as valid_money's do.
 */
static const struct valid_field cpc_fields[] = {
	[M_AMOUNT] = { .name = "amount", .type = &valid_decimal, .flags = V_REQUIRED,
	    .scale = 2, .dmin = "0", .dmax = "92233720368547758.07" },
	[M_CURRENCY] = { .name = "currency", .type = &valid_currency, .flags = V_REQUIRED },
};

enum { O_SOURCE, O_CPC, O_CPA };

static const struct valid_field override_fields[] = {
	[O_SOURCE] = { .name = "source", .type = &valid_int, .flags = V_REQUIRED | V_MIN | V_MAX,
	    .min = 0, .max = 4 },
	[O_CPC] = { .name = "cpc", .type = &valid_object, .flags = V_NULLABLE,
	    VALID_NESTED(cpc_fields) },
	[O_CPA] = { .name = "cpa", .type = &valid_decimal, .flags = V_NULLABLE, .scale = 6,
	    .dmin = "0", .dmax = "1" },
};

enum { O_COSTS };

static const struct valid_field costs_fields[] = {
	[O_COSTS] = { .name = "traffic_sources_costs", .type = &valid_objects,
	    .flags = V_REQUIRED, .max_items = 5, VALID_NESTED(override_fields) },
};

/*
 * Minor units of a normalised decimal of at most 2 places ("1.2" -> 120),
 * digit by digit: never through a double. The bound of cpc_fields keeps
 * it within int64_t.
 */
static int64_t
minor_units(const char *s)
{
	int64_t v = 0;
	int frac = -1;

	for (; *s != '\0' && frac < 2; s++) {
		if (*s == '.') {
			frac = 0;
			continue;
		}
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	for (frac = frac < 0 ? 0 : frac; frac < 2; frac++)
		v *= 10;
	return v;
}

/* The cpc object of row v, or NULL when it was null or absent. */
static const struct valid_value *
cpc_of(const struct valid_value *v)
{
	return v[O_CPC].present ? valid_row(&v[O_CPC], 0) : NULL;
}

/*
 * What the table cannot say: each source once, and a cpc in the
 * campaign's currency (its store's). Laravel reports the distinct rule of
 * every item before the currency of any.
 */
static enum api_err
costs_check(struct req *r, const char *currency)
{
	const struct valid_value *costs = &r->vals[O_COSTS], *cpc;
	enum api_err e = API_OK;
	char key[64];

	for (size_t i = 0; i < costs->n; i++)
		for (size_t j = 0; j < costs->n; j++)
			if (j != i && valid_row(costs, j)[O_SOURCE].i ==
			    valid_row(costs, i)[O_SOURCE].i) {
				snprintf(key, sizeof(key), "traffic_sources_costs.%zu.source", i);
				http_validation_error(r, key,
				    "The traffic sources costs.%zu.source field has a duplicate"
				    " value.", i);
				e = API_VALIDATION;
				break;
			}
	for (size_t i = 0; i < costs->n; i++) {
		cpc = cpc_of(valid_row(costs, i));
		if (cpc == NULL || strcmp(cpc[M_CURRENCY].s, currency) == 0)
			continue;
		snprintf(key, sizeof(key), "traffic_sources_costs.%zu.cpc.currency", i);
		http_validation_error(r, key,
		    "The selected traffic sources costs.%zu.cpc.currency is invalid.", i);
		e = API_VALIDATION;
	}
	return e;
}

/*
 * Item v of the list as given, normalised: {"source", "cpc": {"amount":
 * "1.20", "currency"} or null, "cpa": the exact number given or null}.
 * NULL when out of memory.
 */
static struct json_object *
cost_item(const struct valid_value *v)
{
	const struct valid_value *cpc = cpc_of(v);
	struct json_object *item, *money = NULL, *cpa = NULL;
	char amount[32];
	int64_t minor;
	bool ok;

	if ((item = json_object_new_object()) == NULL)
		return NULL;
	if (cpc != NULL) {
		minor = minor_units(cpc[M_AMOUNT].s);
		snprintf(amount, sizeof(amount), "%lld.%02lld", (long long)(minor / 100),
		    (long long)(minor % 100));
		if ((money = json_object_new_object()) == NULL ||
		    json_object_object_add(money, "amount", json_object_new_string(amount)) ||
		    json_object_object_add(money, "currency",
		    json_object_new_string(cpc[M_CURRENCY].s))) {
			json_object_put(money);
			json_object_put(item);
			return NULL;
		}
	}
	/* The number's text as given (normalised), as the demo data has it. */
	if (v[O_CPA].present &&
	    (cpa = json_object_new_double_s(strtod(v[O_CPA].s, NULL), v[O_CPA].s)) == NULL) {
		json_object_put(money);
		json_object_put(item);
		return NULL;
	}
	ok = json_object_object_add(item, "source", json_object_new_int64(v[O_SOURCE].i)) == 0;
	if (json_object_object_add(item, "cpc", money) != 0) {
		json_object_put(money);
		ok = false;
	}
	if (json_object_object_add(item, "cpa", cpa) != 0) {
		json_object_put(cpa);
		ok = false;
	}
	if (!ok) {
		json_object_put(item);
		return NULL;
	}
	return item;
}

/* {"traffic_sources_costs": [cost_item() of each]}, or NULL. */
static struct json_object *
costs_data(const struct valid_value *costs)
{
	struct json_object *data, *list, *item;

	if ((data = json_object_new_object()) == NULL)
		return NULL;
	if ((list = json_object_new_array()) == NULL ||
	    json_object_object_add(data, "traffic_sources_costs", list) != 0) {
		json_object_put(list);
		json_object_put(data);
		return NULL;
	}
	for (size_t i = 0; i < costs->n; i++) {
		if ((item = cost_item(valid_row(costs, i))) == NULL ||
		    json_object_array_add(list, item) != 0) {
			json_object_put(item);
			json_object_put(data);
			return NULL;
		}
	}
	return data;
}

/*
 * Replaces the participant's overrides by the items that override
 * something; *changed says whether any row was added, changed or removed.
 */
static enum db_rc
costs_replace(struct req *r, const char *currency, bool *changed)
{
	const struct valid_value *costs = &r->vals[O_COSTS], *v, *cpc;
	struct sql q = { 0 };
	uint64_t n = 0;
	bool first = true;
	enum db_rc rc;

	*changed = false;
	sql_int(&q, "DELETE FROM offer_user_cost_overrides WHERE offer_user_id = ?", r->scope.id);
	for (size_t i = 0; i < costs->n; i++) {
		v = valid_row(costs, i);
		if (!v[O_CPC].present && !v[O_CPA].present)
			continue;	/* both null: this source is the campaign's again */
		sql_int(&q, first ? " AND source NOT IN (?" : ", ?", v[O_SOURCE].i);
		first = false;
	}
	if (!first)
		sql_add(&q, ")");
	if ((rc = db_exec_sql(&q, &n, NULL)) != DB_OK)
		return rc;
	*changed = n > 0;
	for (size_t i = 0; i < costs->n; i++) {
		v = valid_row(costs, i);
		cpc = cpc_of(v);
		if (cpc == NULL && !v[O_CPA].present)
			continue;
		sql_int(&q, "INSERT INTO offer_user_cost_overrides (offer_user_id, source, cpc,"
		    " cpa, currency) VALUES (?", r->scope.id);
		sql_int(&q, ", ?", v[O_SOURCE].i);
		if (cpc != NULL)
			sql_int(&q, ", ?", minor_units(cpc[M_AMOUNT].s));
		else
			sql_add(&q, ", NULL");
		if (v[O_CPA].present)
			sql_str(&q, ", ?", v[O_CPA].s, v[O_CPA].len);
		else
			sql_add(&q, ", NULL");
		sql_str(&q, ", ?)", currency, strlen(currency));
		/* Without CLIENT_FOUND_ROWS an upsert that changes nothing counts 0. */
		sql_add(&q, " ON DUPLICATE KEY UPDATE cpc = VALUES(cpc), cpa = VALUES(cpa),"
		    " currency = VALUES(currency)");
		if ((rc = db_exec_sql(&q, &n, NULL)) != DB_OK)
			return rc;
		if (n > 0)
			*changed = true;
	}
	return DB_OK;
}

static enum api_err
costs_write(struct req *r, void *arg)
{
	struct db_param p[] = { DB_INT(r->scope.store_id) };
	struct json_object *row = NULL, *cur = NULL, *data;
	const char *currency;
	bool changed;
	enum api_err e;
	enum db_rc rc;

	(void)arg;
	if ((e = lock_participant(r->scope.id, "id", &row)) != API_OK)
		return e;
	json_object_put(row);
	rc = db_select("SELECT currency FROM stores WHERE id = ?", p, 1, &cur);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(cur) == 0) {
		e = API_NOT_FOUND;
		goto out;
	}
	currency = json_object_get_string(get(json_object_array_get_idx(cur, 0), "currency"));
	if ((e = costs_check(r, currency)) != API_OK)
		goto out;
	if ((rc = costs_replace(r, currency, &changed)) != DB_OK) {
		e = db_api_err(rc);
		goto out;
	}
	if (changed) {
		if ((data = costs_data(&r->vals[O_COSTS])) == NULL) {
			e = API_SERVER;
			goto out;
		}
		rc = activity_add(r->scope.id, r->caller.id, "costs_overridden", data);
		json_object_put(data);
		if (rc != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
	}
	e = participant_answer(r, r->scope.id, 200);
out:
	json_object_put(cur);
	return e;
}

static enum api_err
participants_costs(struct req *r)
{
	/* A replacement: running it again converges (and then changes nothing). */
	return tx_run(r, TX_RERUN_SAFE, costs_write, NULL);
}

/* ---------------------------------------------------------------- */
/* GET /v2/offer-users/{offer_user}/activities                      */
/* ---------------------------------------------------------------- */

enum { A_SIZE, A_PAGE };

static const struct valid_field activity_fields[] = {
	[A_SIZE] = VALID_SIZE(100),
	[A_PAGE] = VALID_PAGE,
};

/* An activity: data parsed from its JSON, the actor null for the system. */
#define ACTIVITY_COLUMNS \
	"SELECT a.id, a.type, a.data AS `data:json`, u.id AS `actor.id`," \
	" u.username AS `actor.username`, a.created_at"

static enum api_err
activities_list(struct req *r)
{
	struct sql from = { 0 }, count = { 0 };
	struct page_query pq = {
		.columns = ACTIVITY_COLUMNS, .from = &from, .count_from = &count,
		/* idx_offer_user_activities_ou, read backwards */
		.default_order = "a.created_at DESC, a.id DESC", .tiebreak = "a.id",
		.default_size = 20,
	};
	enum api_err e;

	sql_int(&from, " FROM offer_user_activities a LEFT JOIN users u ON u.id = a.actor_id"
	    " WHERE a.offer_user_id = ?", r->scope.id);
	sql_int(&count, " FROM offer_user_activities a WHERE a.offer_user_id = ?", r->scope.id);
	e = from.oom || count.oom ? API_SERVER : page_run(r, &pq, NULL);
	sql_free(&from);
	sql_free(&count);
	return e;
}

const struct handler h_participants_update_status =
    HANDLER(participants_update_status, status_fields);
const struct handler h_participants_todo = HANDLER(participants_todo, todo_fields);
const struct handler h_participants_clicks = HANDLER(participants_clicks, clicks_fields);
const struct handler h_participants_costs = HANDLER(participants_costs, costs_fields);
const struct handler h_participant_activities = HANDLER(activities_list, activity_fields);
