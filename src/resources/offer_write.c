/*
 * offer_write.c -- creating and changing a campaign:
 *   POST      /v2/stores/{store_id}/offers  (201)
 *   PUT|PATCH /v2/offers/{id}              (absent fields kept)
 * Each is one transaction: the campaign, its todo list, its costs per
 * traffic source, a new shared budget, its targets and the pre-registered
 * participants they make, or nothing at all. Both answer
 * {"data": {item..., "warnings"}, "warnings"} as the reference shows.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tx.h"
#include "../util.h"
#include "offers.h"
#include "resources.h"

#define TODO_MAX 100		/* items of a todo list */
#define TOKEN_TRIES 5		/* a token taken already: draw again */
#define KEY_MAX 220		/* a todo key: a slug of 255 characters at most */

static const char *const types[] = { "standard", "suggestion", NULL };

enum { C_SOURCE, C_CPC, C_CPA, C_INVOICE_CPC, C_INVOICE_CPA, C_USER_REVENUE };

/* One cost row: cpc in minor units, the rest fractions 0-1, exact. */
static const struct valid_field cost_fields[] = {
	[C_SOURCE] = { .name = "source", .type = &valid_int, .flags = V_REQUIRED | V_MIN | V_MAX,
	    .min = 0, .max = 4 },
	[C_CPC] = { .name = "cpc", .type = &valid_money },
	[C_CPA] = { .name = "cpa", .type = &valid_decimal, .scale = 6, .dmin = "0", .dmax = "1" },
	[C_INVOICE_CPC] = { .name = "invoice_cpc", .type = &valid_money, .flags = V_NULLABLE },
	[C_INVOICE_CPA] = { .name = "invoice_cpa", .type = &valid_decimal, .flags = V_NULLABLE,
	    .scale = 6, .dmin = "0", .dmax = "1" },
	[C_USER_REVENUE] = { .name = "user_revenue", .type = &valid_decimal, .scale = 6,
	    .dmin = "0", .dmax = "1" },
};

enum { B_TITLE, B_AMOUNT };

static const struct valid_field budget_fields[] = {
	[B_TITLE] = { .name = "title", .type = &valid_string, .flags = V_REQUIRED | V_MAX,
	    .max = 255 },
	[B_AMOUNT] = { .name = "amount", .type = &valid_money, .flags = V_REQUIRED },
};

enum {
	F_GROUP, F_TYPE, F_NAME, F_TITLE, F_TEXT, F_SEEDING, F_ONETIME, F_PER_USER, F_PAYMENT,
	F_BUDGET_LIMIT, F_MAX_CLICKS, F_FROM, F_UNTIL, F_TODO, F_SHOW, F_PRIORITY, F_BUDGET_ID,
	F_BUDGET, F_TARGETS, F_COSTS, F__MAX
};

#define FIELDS(name_flags) { \
	[F_GROUP] = { .name = "store_group_id", .type = &valid_int, .exists = "store_groups" }, \
	[F_TYPE] = { .name = "type", .type = &valid_enum, .in = types }, \
	[F_NAME] = { .name = "name", .type = &valid_string, .flags = (name_flags) | V_MAX, \
	    .max = 255 }, \
	[F_TITLE] = { .name = "campaign_title", .type = &valid_string, .flags = V_MAX, \
	    .max = 255 }, \
	[F_TEXT] = { .name = "campaign_text", .type = &valid_string, \
	    .flags = V_NULLABLE | V_MAX, .max = 65535 }, \
	[F_SEEDING] = { .name = "has_product_seeding", .type = &valid_bool }, \
	[F_ONETIME] = { .name = "has_onetime_payment", .type = &valid_bool }, \
	[F_PER_USER] = { .name = "per_user_limit", .type = &valid_bool }, \
	[F_PAYMENT] = { .name = "one_time_payment", .type = &valid_money, .flags = V_NULLABLE }, \
	[F_BUDGET_LIMIT] = { .name = "budget_limit", .type = &valid_money, \
	    .flags = V_NULLABLE }, \
	[F_MAX_CLICKS] = { .name = "max_clicks", .type = &valid_int, \
	    .flags = V_NULLABLE | V_MIN | V_MAX, .min = 0, .max = 4294967295LL }, \
	[F_FROM] = { .name = "valid_from", .type = &valid_when, .flags = V_NULLABLE }, \
	[F_UNTIL] = { .name = "valid_until", .type = &valid_when, .flags = V_NULLABLE, \
	    .after = "valid_from" }, \
	[F_TODO] = { .name = "todo", .type = &valid_str_list, .flags = V_MAX, .max = 255, \
	    .max_items = TODO_MAX }, \
	[F_SHOW] = { .name = "show_for_advertiser", .type = &valid_bool }, \
	[F_PRIORITY] = { .name = "priority_after", .type = &valid_int, \
	    .flags = V_NULLABLE | V_MIN | V_MAX, .min = 0, .max = 4294967295LL }, \
	[F_BUDGET_ID] = { .name = "shared_budget_id", .type = &valid_int, \
	    .flags = V_NULLABLE }, \
	[F_BUDGET] = { .name = "shared_budget", .type = &valid_object, \
	    VALID_NESTED(budget_fields) }, \
	[F_TARGETS] = { .name = "targets", .type = &valid_object, \
	    VALID_NESTED(offer_target_fields) }, \
	[F_COSTS] = { .name = "traffic_sources_costs", .type = &valid_objects, .max_items = 5, \
	    VALID_NESTED(cost_fields) }, \
}

static const struct valid_field create_fields[] = FIELDS(V_REQUIRED);
static const struct valid_field update_fields[] = FIELDS(0);

/* The plain columns, in the order of the fields they come from. */
static const struct {
	int field;
	const char *column;
} columns[] = {
	{ F_GROUP, "store_group_id" }, { F_TYPE, "type" }, { F_NAME, "name" },
	{ F_TITLE, "campaign_title" }, { F_TEXT, "campaign_text" },
	{ F_SEEDING, "has_product_seeding" }, { F_ONETIME, "has_onetime_payment" },
	{ F_PER_USER, "per_user_limit" }, { F_PAYMENT, "one_time_payment" },
	{ F_BUDGET_LIMIT, "budget_limit" }, { F_MAX_CLICKS, "max_clicks" },
	{ F_FROM, "valid_from" }, { F_UNTIL, "valid_until" },
	{ F_SHOW, "show_for_advertiser" }, { F_PRIORITY, "priority_after" },
};

struct write_ctx {
	int64_t store_id;
	int64_t id;		/* the campaign (update; create: once inserted) */
	bool create;
	char until[20];		/* valid_until to store (a bare date: its last second) */
	struct json_object *warnings;
};

/* ---------------------------------------------------------------- */

/* A token: 16 characters [a-z0-9], uniform, from the OS's random source. */
static int
new_token(char out[17])
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char b[64];
	size_t k = 0;

	while (k < 16) {
		if (util_random(b, sizeof(b)) == -1)
			return -1;
		/* 252 = 7 * 36: bytes above would favour the first letters. */
		for (size_t i = 0; i < sizeof(b) && k < 16; i++)
			if (b[i] < 252)
				out[k++] = alphabet[b[i] % 36];
	}
	out[16] = '\0';
	return 0;
}

/* Binds field f's value as its column takes it. */
static void
bind_value(struct sql *q, const struct valid_field *f, const struct valid_value *v,
    const struct write_ctx *c)
{
	if (v->state == V_NULL)
		sql_add(q, "NULL");
	else if (f->type == &valid_enum || f->type == &valid_string)
		sql_str(q, "?", v->s, v->len);
	else if (f->type == &valid_when)
		sql_str(q, "?", f == &update_fields[F_UNTIL] || f == &create_fields[F_UNTIL] ?
		    c->until : v->s, 19);
	else if (f->type == &valid_bool)
		sql_int(q, "?", v->b ? 1 : 0);
	else
		sql_int(q, "?", v->i);
}

/*
 * The todo keys, keys[i] for item i: the text's slug, "-2", "-3" ...
 * after a key an earlier item took.
 */
static void
todo_keys(const struct valid_value *todo, char (*keys)[KEY_MAX])
{
	char base[200];

	for (size_t i = 0; i < todo->n; i++) {
		size_t n = 0;
		bool dash = false;

		for (size_t k = 0; k < todo->lens[i] && n < sizeof(base) - 1; k++) {
			unsigned char ch = (unsigned char)todo->strs[i][k];
			if (isalnum(ch) && ch < 0x80) {
				base[n++] = (char)tolower(ch);
				dash = false;
			} else if (n > 0 && !dash) {
				base[n++] = '-';
				dash = true;
			}
		}
		while (n > 0 && base[n - 1] == '-')
			n--;
		if (n == 0)
			n = (size_t)snprintf(base, sizeof(base), "todo");
		base[n] = '\0';
		snprintf(keys[i], KEY_MAX, "%s", base);
		for (int seq = 2;; seq++) {
			bool taken = false;
			for (size_t j = 0; j < i && !taken; j++)
				taken = strcmp(keys[j], keys[i]) == 0;
			if (!taken)
				break;
			snprintf(keys[i], KEY_MAX, "%s-%d", base, seq);
		}
	}
}

/* Makes the todo list todo: items kept by key, the rest removed. */
static enum db_rc
write_todo(struct write_ctx *c, const struct valid_value *todo)
{
	struct sql q = { 0 };
	char (*keys)[KEY_MAX];
	enum db_rc rc;

	/* The builder borrows what it binds: every key has its own place. */
	if ((keys = calloc(todo->n ? todo->n : 1, sizeof(*keys))) == NULL)
		return DB_ERROR;
	todo_keys(todo, keys);
	/*
	 * A new campaign has no items to remove. The DELETE would still lock
	 * the gap at the index's end, where every new campaign's rows go: two
	 * creates at once each held it and waited for the other's (a
	 * deadlock, seen at 64 concurrent creates).
	 */
	rc = DB_OK;
	if (!c->create) {
		sql_int(&q, "DELETE FROM offer_todo_items WHERE offer_id = ?", c->id);
		if (todo->n > 0) {
			sql_add(&q, " AND todo_key NOT IN (");
			for (size_t i = 0; i < todo->n; i++)
				sql_str(&q, i ? ", ?" : "?", keys[i], strlen(keys[i]));
			sql_add(&q, ")");
		}
		rc = db_exec_sql(&q, NULL, NULL);
	}
	for (size_t i = 0; i < todo->n && rc == DB_OK; i++) {
		struct db_param p[] = { DB_INT(c->id), DB_INT((int64_t)i),
		    DB_STR(keys[i], strlen(keys[i])), DB_STR(todo->strs[i], todo->lens[i]) };
		rc = db_exec("INSERT INTO offer_todo_items (offer_id, position, todo_key, text)"
		    " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE position = VALUES(position),"
		    " text = VALUES(text)", p, 4, NULL, NULL);
	}
	free(keys);
	return rc;
}

/* Makes the costs those of costs: sources not given are removed. */
static enum db_rc
write_costs(struct write_ctx *c, const struct valid_value *costs)
{
	struct sql q = { 0 };
	enum db_rc rc;

	/* A new campaign has none to remove (and see write_todo). */
	if (!c->create) {
		sql_int(&q, "DELETE FROM offer_traffic_source_costs WHERE offer_id = ?", c->id);
		if (costs->n > 0) {
			sql_add(&q, " AND source NOT IN (");
			for (size_t i = 0; i < costs->n; i++)
				sql_int(&q, i ? ", ?" : "?", valid_row(costs, i)[C_SOURCE].i);
			sql_add(&q, ")");
		}
		if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK)
			return rc;
	}
	for (size_t i = 0; i < costs->n; i++) {
		const struct valid_value *v = valid_row(costs, i);
		sql_int(&q, "INSERT INTO offer_traffic_source_costs (offer_id, source, cpc, cpa,"
		    " invoice_cpc, invoice_cpa, user_revenue) VALUES (?", c->id);
		sql_int(&q, ", ?", v[C_SOURCE].i);
		sql_int(&q, ", ?", v[C_CPC].present ? v[C_CPC].i : 0);
		if (v[C_CPA].present)
			sql_str(&q, ", ?", v[C_CPA].s, v[C_CPA].len);
		else
			sql_add(&q, ", 0");
		if (v[C_INVOICE_CPC].present)
			sql_int(&q, ", ?", v[C_INVOICE_CPC].i);
		else
			sql_add(&q, ", NULL");
		if (v[C_INVOICE_CPA].present)
			sql_str(&q, ", ?", v[C_INVOICE_CPA].s, v[C_INVOICE_CPA].len);
		else
			sql_add(&q, ", NULL");
		if (v[C_USER_REVENUE].present)
			sql_str(&q, ", ?", v[C_USER_REVENUE].s, v[C_USER_REVENUE].len);
		else
			sql_add(&q, ", 1");
		sql_add(&q, ") ON DUPLICATE KEY UPDATE cpc = VALUES(cpc), cpa = VALUES(cpa),"
		    " invoice_cpc = VALUES(invoice_cpc), invoice_cpa = VALUES(invoice_cpa),"
		    " user_revenue = VALUES(user_revenue)");
		if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK)
			return rc;
	}
	return DB_OK;
}

/*
 * The shared budget the campaign draws from: an existing one of the same
 * store (locked, so that it is not deleted meanwhile), or a new one.
 * *id 0 with API_OK: leave it as it is.
 */
static enum api_err
write_budget(struct req *r, struct write_ctx *c, int64_t *id, bool *set)
{
	const struct valid_value *bid = &r->vals[F_BUDGET_ID], *nb = &r->vals[F_BUDGET];
	int64_t found_id = 0;
	bool found = false;
	uint64_t ins = 0;
	enum db_rc rc;

	*set = false;
	*id = 0;
	if (bid->present) {
		struct db_param p[] = { DB_INT(bid->i), DB_INT(c->store_id) };
		rc = db_select_int("SELECT id FROM shared_budgets WHERE id = ? AND store_id = ?"
		    " FOR UPDATE", p, 2, &found_id, &found);
		if (rc != DB_OK)
			return db_api_err(rc);
		if (!found) {
			http_validation_error(r, "shared_budget_id",
			    "The selected shared budget id is invalid.");
			return API_VALIDATION;
		}
		*id = bid->i;
		*set = true;
	} else if (bid->state == V_NULL)
		*set = true;	/* draws from none */
	else if (nb->present) {
		const struct valid_value *b = valid_row(nb, 0);
		struct db_param p[] = { DB_INT(c->store_id), DB_STR(b[B_TITLE].s, b[B_TITLE].len),
		    DB_INT(b[B_AMOUNT].i), DB_INT(r->caller.id) };
		rc = db_exec("INSERT INTO shared_budgets (store_id, title, amount, created_by)"
		    " VALUES (?, ?, ?, ?)", p, 4, NULL, &ins);
		if (rc != DB_OK)
			return db_api_err(rc);
		*id = (int64_t)ins;
		*set = true;
	}
	return API_OK;
}

/* Appends "col = value" for each given plain field (update). */
static bool
set_columns(struct req *r, struct sql *q, const struct valid_field *fields,
    const struct write_ctx *c)
{
	bool any = false;

	for (size_t i = 0; i < VALID_COUNT(columns); i++) {
		const struct valid_value *v = &r->vals[columns[i].field];
		if (v->state == V_ABSENT)
			continue;
		sql_add(q, any ? ", " : "");
		sql_add(q, columns[i].column);
		sql_add(q, " = ");
		bind_value(q, &fields[columns[i].field], v, c);
		any = true;
	}
	return any;
}

/* Inserts the campaign with a fresh token (drawn again if taken). */
static enum api_err
insert_offer(struct req *r, struct write_ctx *c, int64_t budget_id)
{
	char token[17];
	uint64_t id = 0;
	enum db_rc rc = DB_DUPLICATE;

	for (int t = 0; t < TOKEN_TRIES && rc == DB_DUPLICATE; t++) {
		struct sql q = { 0 };
		if (new_token(token) == -1)
			return API_SERVER;
		sql_int(&q, "INSERT INTO offers (store_id, name, created_by, token,"
		    " shared_budget_id, store_group_id) SELECT s.id, '', ?", r->caller.id);
		sql_str(&q, ", ?", token, 16);
		if (budget_id > 0)
			sql_int(&q, ", ?", budget_id);
		else
			sql_add(&q, ", NULL");
		sql_int(&q, ", s.store_group_id FROM stores s WHERE s.id = ?", c->store_id);
		rc = db_exec_sql(&q, NULL, &id);
		if (rc == DB_DUPLICATE && strcmp(db_duplicate_key(), "uq_offers_token") != 0)
			return API_SERVER;
	}
	if (rc != DB_OK)
		return rc == DB_DUPLICATE ? API_SERVER : db_api_err(rc);
	c->id = (int64_t)id;
	return API_OK;
}

/* Answers the campaign as the list shows it, with the warnings. */
static enum api_err
answer(struct req *r, struct write_ctx *c)
{
	struct db_param p[] = { DB_INT(c->id) };
	struct json_object *rows = NULL, *data, *body;
	enum api_err e;
	enum db_rc rc;

	if ((rc = db_select(OFFER_ITEM_COLUMNS " FROM offers o WHERE o.id = ?", p, 1, &rows)) !=
	    DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	if ((e = offer_images(r, rows)) != API_OK || (body = json_object_new_object()) == NULL) {
		json_object_put(rows);
		return e != API_OK ? e : API_SERVER;
	}
	data = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	json_object_object_add(data, "warnings", json_object_get(c->warnings));
	json_object_object_add(body, "data", data);
	json_object_object_add(body, "warnings", json_object_get(c->warnings));
	http_set_json(r, c->create ? 201 : 200, body);
	return API_OK;
}

/*
 * The whole write. On update the row is locked first and the validity
 * window checked against what is stored; the CHECK constraint of the
 * table would refuse the same, as a server error.
 */
static enum api_err
write_offer(struct req *r, void *arg)
{
	struct write_ctx *c = arg;
	const struct valid_field *fields = c->create ? create_fields : update_fields;
	const struct valid_value *v = r->vals;
	struct json_object *skipped;
	struct sql q = { 0 };
	int64_t budget_id;
	bool budget_set;
	enum api_err e;
	enum db_rc rc;

	json_object_put(c->warnings);
	c->warnings = NULL;
	if (!c->create) {
		struct db_param p[] = { DB_INT(c->id) };
		struct json_object *rows = NULL, *row, *x;
		char from[20] = "", until[20] = "";
		rc = db_select("SELECT valid_from, valid_until FROM offers WHERE id = ?"
		    " AND deleted_at IS NULL FOR UPDATE", p, 1, &rows);
		if (rc != DB_OK)
			return db_api_err(rc);
		if (json_object_array_length(rows) == 0) {
			json_object_put(rows);
			return API_NOT_FOUND;
		}
		row = json_object_array_get_idx(rows, 0);
		if (json_object_object_get_ex(row, "valid_from", &x) && x != NULL)
			snprintf(from, sizeof(from), "%s", json_object_get_string(x));
		if (json_object_object_get_ex(row, "valid_until", &x) && x != NULL)
			snprintf(until, sizeof(until), "%s", json_object_get_string(x));
		json_object_put(rows);
		if (v[F_FROM].state != V_ABSENT)
			snprintf(from, sizeof(from), "%s", v[F_FROM].present ? v[F_FROM].s : "");
		if (v[F_UNTIL].state != V_ABSENT)
			snprintf(until, sizeof(until), "%s", v[F_UNTIL].present ? c->until : "");
		if (from[0] != '\0' && until[0] != '\0' && strcmp(until, from) <= 0) {
			http_validation_error(r, "valid_until",
			    "The valid until field must be a date after valid from.");
			return API_VALIDATION;
		}
	}
	if ((e = write_budget(r, c, &budget_id, &budget_set)) != API_OK)
		return e;
	if (c->create && (e = insert_offer(r, c, budget_id)) != API_OK)
		return e;
	sql_add(&q, "UPDATE offers SET ");
	if (!set_columns(r, &q, fields, c))
		sql_add(&q, "id = id");
	if (!c->create && budget_set) {
		if (budget_id > 0)
			sql_int(&q, ", shared_budget_id = ?", budget_id);
		else
			sql_add(&q, ", shared_budget_id = NULL");
	}
	sql_int(&q, " WHERE id = ?", c->id);
	if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK)
		return db_api_err(rc);
	if (v[F_TODO].state == V_VALUE && (rc = write_todo(c, &v[F_TODO])) != DB_OK)
		return db_api_err(rc);
	if (v[F_COSTS].state == V_VALUE && (rc = write_costs(c, &v[F_COSTS])) != DB_OK)
		return db_api_err(rc);
	if ((c->warnings = json_object_new_object()) == NULL)
		return API_SERVER;
	if (v[F_TARGETS].present) {
		/* The targets given are the campaign's targets from now on. */
		struct db_param p[] = { DB_INT(c->id) };
		if (!c->create && (rc = db_exec("DELETE FROM offer_targets WHERE offer_id = ?", p, 1,
		    NULL, NULL)) != DB_OK)
			return db_api_err(rc);
		if ((skipped = json_object_new_object()) == NULL)
			return API_SERVER;
		e = offer_targets_apply(r, c->id, c->store_id, valid_row(&v[F_TARGETS], 0),
		    skipped);
		if (e != API_OK) {
			json_object_put(skipped);
			return e;
		}
		if (json_object_object_length(skipped) > 0)
			json_object_object_add(c->warnings, "skipped_targets", skipped);
		else
			json_object_put(skipped);
	}
	return answer(r, c);
}

/* What the table cannot say: costs once per source, one budget choice. */
static enum api_err
check_more(struct req *r)
{
	const struct valid_value *costs = &r->vals[F_COSTS];
	enum api_err e = API_OK;
	char key[64];

	for (size_t i = 0; costs->present && i < costs->n; i++)
		for (size_t j = 0; j < costs->n; j++)
			if (j != i && valid_row(costs, j)[C_SOURCE].i ==
			    valid_row(costs, i)[C_SOURCE].i) {
				snprintf(key, sizeof(key), "traffic_sources_costs.%zu.source", i);
				http_validation_error(r, key, "The traffic sources costs.%zu.source"
				    " field has a duplicate value.", i);
				e = API_VALIDATION;
				break;
			}
	if (r->vals[F_BUDGET].present && r->vals[F_BUDGET_ID].state != V_ABSENT) {
		http_validation_error(r, "shared_budget", "The shared budget field prohibits"
		    " shared budget id from being present.");
		e = API_VALIDATION;
	}
	if (r->vals[F_TARGETS].present) {
		enum api_err t = offer_targets_check(r, "targets.",
		    valid_row(&r->vals[F_TARGETS], 0));
		if (t != API_OK)
			e = t;
	}
	return e;
}

/* valid_until as stored: a bare date means its whole day. */
static void
until_text(const struct valid_value *v, char out[20])
{
	out[0] = '\0';
	if (!v->present)
		return;
	memcpy(out, v->s, 19);
	out[19] = '\0';
	if (v->b)
		memcpy(out + 11, "23:59:59", 8);
}

static enum api_err
run_write(struct req *r, bool create, int64_t store_id, int64_t id)
{
	struct write_ctx c = { .store_id = store_id, .id = id, .create = create };
	enum api_err e;

	if ((e = check_more(r)) != API_OK)
		return e;
	until_text(&r->vals[F_UNTIL], c.until);
	/*
	 * A create is not safe to run twice (a second campaign): an unknown
	 * COMMIT outcome is settled by the idempotency key when there is one.
	 */
	e = tx_run(r, create ? 0 : TX_RERUN_SAFE, write_offer, &c);
	json_object_put(c.warnings);
	return e;
}

static enum api_err
offers_create(struct req *r)
{
	return run_write(r, true, r->scope.store_id, 0);
}

static enum api_err
offers_update(struct req *r)
{
	return run_write(r, false, r->scope.store_id, r->scope.id);
}

const struct handler h_offers_create = HANDLER(offers_create, create_fields);
const struct handler h_offers_update = HANDLER(offers_update, update_fields);
