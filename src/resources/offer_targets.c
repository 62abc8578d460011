/*
 * offer_targets.c -- who a campaign is for:
 *   GET  /v2/offers/{offer_id}/targets  (by kind, with what they resolve to)
 *   POST /v2/offers/{offer_id}/targets  (adds; skipped ones reported)
 * and the targets of a campaign's create and update (offer_write.c).
 * Who a target reaches: src/target.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tx.h"
#include "offers.h"
#include "resources.h"

#define TARGETS_MAX 1000	/* items of one kind in one request */

const struct valid_field offer_target_fields[OFFER_TARGET_KINDS] = {
	[T_USERS] = { .name = "user_ids", .type = &valid_int_list, .max_items = TARGETS_MAX },
	[T_TAGS] = { .name = "user_tag_ids", .type = &valid_int_list,
	    .max_items = TARGETS_MAX },
	[T_GROUPS] = { .name = "store_group_ids", .type = &valid_int_list,
	    .max_items = TARGETS_MAX },
	[T_EMAILS] = { .name = "emails", .type = &valid_str_list, .flags = V_MAX, .max = 255,
	    .max_items = TARGETS_MAX },
	[T_IDENTIFIERS] = { .name = "social_media_identifiers", .type = &valid_str_list,
	    .flags = V_MAX, .max = 255, .max_items = TARGETS_MAX },
	[T_CLIENTS] = { .name = "client_ids", .type = &valid_int_list,
	    .max_items = TARGETS_MAX },
	[T_TIERS] = { .name = "revenue_tier_ids", .type = &valid_int_list,
	    .max_items = TARGETS_MAX },
};

/* The offer_targets kind and column of each kind of target. */
static const struct {
	const char *kind, *column;
} kinds[OFFER_TARGET_KINDS] = {
	[T_USERS] = { "user", "user_id" },
	[T_TAGS] = { "user_tag", "user_tag_id" },
	[T_GROUPS] = { "store_group", "store_group_id" },
	[T_EMAILS] = { "email", "email" },
	[T_IDENTIFIERS] = { "social_media_identifier", "social_media_identifier" },
	[T_CLIENTS] = { "client", "client_id" },
	[T_TIERS] = { "revenue_tier", "revenue_tier_id" },
};

/* User uj (an SQL expression) is on store st's blocklist, or a tag of theirs is. */
#define BLOCKED(uj) \
	"EXISTS (SELECT 1 FROM blocklist_entries b WHERE b.store_id = st.id" \
	" AND (b.user_id = " uj " OR b.user_tag_id IN (SELECT x.user_tag_id" \
	" FROM user_tag_user x WHERE x.user_id = " uj ")))"

/* User uj belongs to another market than store st (or to none). */
#define ELSEWHERE(uj) \
	"NOT EXISTS (SELECT 1 FROM users mu JOIN clients mc ON mc.id = mu.client_id" \
	" WHERE mu.id = " uj " AND mc.store_group_id = st.store_group_id)"

/*
 * When a target of each kind applies to store st (j.id or j.v the target):
 * the thing exists, belongs to the store's market, and no one it names is
 * blocked by the store. A user tag must also be one the store may use
 * (open to all stores, or its own; admins any: TAG_ADMIN is appended).
 */
static const char *const applies[OFFER_TARGET_KINDS] = {
	[T_USERS] = "EXISTS (SELECT 1 FROM users u WHERE u.id = j.id AND u.deleted_at IS NULL)"
	    " AND NOT " ELSEWHERE("j.id") " AND NOT " BLOCKED("j.id"),
	[T_TAGS] = "NOT EXISTS (SELECT 1 FROM blocklist_entries b WHERE b.store_id = st.id"
	    " AND b.user_tag_id = j.id) AND EXISTS (SELECT 1 FROM user_tags t WHERE t.id = j.id"
	    " AND (t.access_level = 1 OR (t.access_level = 2 AND t.store_id = st.id) OR ",
	[T_GROUPS] = "j.id = st.store_group_id",
	[T_EMAILS] = "NOT EXISTS (SELECT 1 FROM users u WHERE u.email = j.v COLLATE"
	    " utf8mb4_unicode_ci AND u.deleted_at IS NULL AND (" ELSEWHERE("u.id")
	    " OR " BLOCKED("u.id") "))",
	[T_IDENTIFIERS] = "NOT EXISTS (SELECT 1 FROM social_media_accounts a"
	    " JOIN users u ON u.id = a.user_id AND u.deleted_at IS NULL"
	    " WHERE a.identifier = j.v COLLATE utf8mb4_unicode_ci AND (" ELSEWHERE("u.id")
	    " OR " BLOCKED("u.id") "))",
	[T_CLIENTS] = "EXISTS (SELECT 1 FROM clients c WHERE c.id = j.id"
	    " AND c.store_group_id = st.store_group_id)",
	[T_TIERS] = "EXISTS (SELECT 1 FROM revenue_tiers rt JOIN clients c ON c.id = rt.client_id"
	    " WHERE rt.id = j.id AND c.store_group_id = st.store_group_id)",
};

/* Pre-registered participants: the emails and identifiers of no user. */
static const char *const no_user[OFFER_TARGET_KINDS] = {
	[T_EMAILS] = "NOT EXISTS (SELECT 1 FROM users u WHERE u.email = j.v COLLATE"
	    " utf8mb4_unicode_ci AND u.deleted_at IS NULL)",
	[T_IDENTIFIERS] = "NOT EXISTS (SELECT 1 FROM social_media_accounts a"
	    " JOIN users u ON u.id = a.user_id AND u.deleted_at IS NULL"
	    " WHERE a.identifier = j.v COLLATE utf8mb4_unicode_ci)",
};

static bool
is_text(int k)
{
	return k == T_EMAILS || k == T_IDENTIFIERS;
}

/* " FROM JSON_TABLE(the values) j JOIN stores st ON st.id = ? WHERE (applies)" */
static void
kind_from(struct req *r, struct sql *q, int k, const struct valid_value *v, int64_t store_id,
    bool apply)
{
	sql_add(q, " FROM ");
	if (is_text(k))
		sql_json_strs(q, v->strs, v->lens, v->n);
	else
		sql_json_ints(q, v->ints, v->n);
	sql_int(q, " j JOIN stores st ON st.id = ?", store_id);
	sql_add(q, apply ? " WHERE (" : " WHERE NOT (");
	sql_add(q, applies[k]);
	if (k == T_TAGS)
		sql_add(q, r->caller.admin ? "1 = 1))" : "1 = 0))");
	sql_add(q, ")");
}

enum api_err
offer_targets_apply(struct req *r, int64_t offer_id, int64_t store_id,
    const struct valid_value *vals, struct json_object *skipped)
{
	struct json_object *rows, *list, *row, *v;
	enum db_rc rc;

	for (int k = 0; k < OFFER_TARGET_KINDS; k++) {
		const struct valid_value *val = &vals[k];
		struct sql q = { 0 };

		if (!val->present || val->n == 0)
			continue;
		/* What is skipped, once each, in the order given. */
		sql_add(&q, is_text(k) ? "SELECT j.v AS t, MIN(j.n) AS n" :
		    "SELECT j.id AS t, MIN(j.id) AS n");
		kind_from(r, &q, k, val, store_id, false);
		sql_add(&q, " GROUP BY t ORDER BY n");
		rows = NULL;
		if ((rc = db_select_sql(&q, &rows)) != DB_OK)
			return db_api_err(rc);
		if (json_object_array_length(rows) > 0) {
			if ((list = json_object_new_array()) == NULL) {
				json_object_put(rows);
				return API_SERVER;
			}
			for (size_t i = 0; i < json_object_array_length(rows); i++) {
				row = json_object_array_get_idx(rows, i);
				json_object_object_get_ex(row, "t", &v);
				json_object_array_add(list, json_object_get(v));
			}
			json_object_object_add(skipped, offer_target_fields[k].name, list);
		}
		json_object_put(rows);

		/* The rest, never twice. */
		sql_add(&q, "INSERT INTO offer_targets (offer_id, kind, ");
		sql_add(&q, kinds[k].column);
		sql_int(&q, ") SELECT DISTINCT ?", offer_id);
		sql_str(&q, ", ?", kinds[k].kind, strlen(kinds[k].kind));
		sql_add(&q, is_text(k) ? ", j.v" : ", j.id");
		kind_from(r, &q, k, val, store_id, true);
		sql_add(&q, " ON DUPLICATE KEY UPDATE offer_id = offer_id");
		if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK)
			return db_api_err(rc);
		if (no_user[k] == NULL)
			continue;
		sql_add(&q, "INSERT INTO offer_users (offer_id, ");
		sql_add(&q, k == T_EMAILS ? "pre_registered_email" : "pre_registered_identifier");
		sql_int(&q, ") SELECT DISTINCT ?, j.v", offer_id);
		kind_from(r, &q, k, val, store_id, true);
		sql_add(&q, " AND ");
		sql_add(&q, no_user[k]);
		sql_add(&q, " ON DUPLICATE KEY UPDATE offer_id = offer_id");
		if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK)
			return db_api_err(rc);
	}
	return API_OK;
}

enum api_err
offer_targets_check(struct req *r, const char *prefix, const struct valid_value *vals)
{
	static const struct valid_field email = { .name = "email", .type = &valid_email,
		.flags = V_MAX, .max = 255 };
	const struct valid_value *v = &vals[T_EMAILS];
	char key[96], attr[96];
	enum api_err e = API_OK, one;

	for (size_t i = 0; v->present && i < v->n; i++) {
		struct valid_value out = { 0 };
		struct json_object *item = json_object_new_string_len(v->strs[i], (int)v->lens[i]);
		snprintf(key, sizeof(key), "%semails.%zu", prefix, i);
		valid_attr(key, attr, sizeof(attr));
		struct valid_ctx c = { r, key, attr };
		if (item == NULL)
			return API_SERVER;
		one = valid_email.check(&c, &email, item, &out);
		valid_value_free(&out);
		json_object_put(item);
		if (one == API_SERVER)
			return one;
		if (one != API_OK)
			e = one;
	}
	return e;
}

/* ---------------------------------------------------------------- */
/* Reading targets                                                   */
/* ---------------------------------------------------------------- */

/*
 * Each target with what it resolves to: the named user, tag, market,
 * client or tier; for an e-mail address or an identifier, the user who
 * has it, or else the participant pre-registered with it.
 */
static const char read_sql[] =
    "SELECT t.offer_id, t.kind, t.user_id, t.user_tag_id, t.store_group_id, t.client_id,"
    " t.revenue_tier_id, t.email, t.social_media_identifier,"
    " u.username, ut.name AS tag_name, sg.name AS group_name, cl.name AS client_name,"
    " rt.name AS tier_name,"
    " (SELECT MIN(eu.id) FROM users eu WHERE eu.email = t.email AND eu.deleted_at IS NULL)"
    " AS email_user,"
    " (SELECT MIN(a.user_id) FROM social_media_accounts a JOIN users au ON au.id = a.user_id"
    " AND au.deleted_at IS NULL WHERE a.identifier = t.social_media_identifier)"
    " AS identifier_user,"
    " (SELECT MIN(p.id) FROM offer_users p WHERE p.offer_id = t.offer_id"
    " AND (p.pre_registered_email = t.email"
    " OR p.pre_registered_identifier = t.social_media_identifier)) AS participant"
    " FROM offer_targets t"
    " LEFT JOIN users u ON u.id = t.user_id"
    " LEFT JOIN user_tags ut ON ut.id = t.user_tag_id"
    " LEFT JOIN store_groups sg ON sg.id = t.store_group_id"
    " LEFT JOIN clients cl ON cl.id = t.client_id"
    " LEFT JOIN revenue_tiers rt ON rt.id = t.revenue_tier_id"
    " WHERE t.offer_id IN ";

/* The resolved lists, by kind, under "resolved". */
static const char *const resolved_names[OFFER_TARGET_KINDS] = {
	[T_USERS] = "users", [T_TAGS] = "user_tags", [T_GROUPS] = "store_groups",
	[T_EMAILS] = "emails", [T_IDENTIFIERS] = "social_media_identifiers",
	[T_CLIENTS] = "clients", [T_TIERS] = "revenue_tiers",
};

/* The name column of each id kind's resolved object. */
static const char *const name_cols[OFFER_TARGET_KINDS] = {
	[T_USERS] = "username", [T_TAGS] = "tag_name", [T_GROUPS] = "group_name",
	[T_CLIENTS] = "client_name", [T_TIERS] = "tier_name",
};

/* An empty targets object: every kind, an empty list. */
static struct json_object *
targets_new(void)
{
	struct json_object *o = json_object_new_object(), *res = json_object_new_object();

	if (o == NULL || res == NULL) {
		json_object_put(o);
		json_object_put(res);
		return NULL;
	}
	for (int k = 0; k < OFFER_TARGET_KINDS; k++)
		json_object_object_add(o, offer_target_fields[k].name, json_object_new_array());
	for (int k = 0; k < OFFER_TARGET_KINDS; k++)
		json_object_object_add(res, resolved_names[k], json_object_new_array());
	json_object_object_add(o, "resolved", res);
	return o;
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* Adds target row t to its offer's targets object o. */
static void
targets_add(struct json_object *o, struct json_object *t)
{
	const char *kind = json_object_get_string(get(t, "kind"));
	struct json_object *res = get(o, "resolved"), *x;
	const char *uname;
	int k;

	for (k = 0; k < OFFER_TARGET_KINDS; k++)
		if (strcmp(kinds[k].kind, kind) == 0)
			break;
	if (k == OFFER_TARGET_KINDS)
		return;
	json_object_array_add(get(o, offer_target_fields[k].name),
	    json_object_get(get(t, kinds[k].column)));
	if ((x = json_object_new_object()) == NULL)
		return;
	if (is_text(k)) {
		struct json_object *user = get(t, k == T_EMAILS ? "email_user" : "identifier_user");
		json_object_object_add(x, k == T_EMAILS ? "email" : "identifier",
		    json_object_get(get(t, kinds[k].column)));
		json_object_object_add(x, "user_id", json_object_get(user));
		json_object_object_add(x, "participant_id",
		    user == NULL ? json_object_get(get(t, "participant")) : NULL);
	} else {
		if (get(t, name_cols[k]) == NULL) {	/* gone meanwhile */
			json_object_put(x);
			return;
		}
		json_object_object_add(x, "id", json_object_get(get(t, kinds[k].column)));
		uname = k == T_USERS ? "username" : "name";
		json_object_object_add(x, uname, json_object_get(get(t, name_cols[k])));
	}
	json_object_array_add(get(res, resolved_names[k]), x);
}

enum db_rc
offer_targets_read(const int64_t *ids, size_t n, struct json_object **by_offer)
{
	struct sql q = { 0 };
	struct json_object *rows = NULL, *o, *t;
	char key[24];
	enum db_rc rc = DB_OK;

	if ((*by_offer = json_object_new_object()) == NULL)
		return DB_ERROR;
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%lld", (long long)ids[i]);
		if ((o = targets_new()) == NULL || json_object_object_add(*by_offer, key, o) != 0) {
			json_object_put(o);
			rc = DB_ERROR;
			goto fail;
		}
	}
	if (n == 0)
		return DB_OK;
	sql_add(&q, read_sql);
	sql_in_ints(&q, ids, n);
	sql_add(&q, " ORDER BY t.offer_id, t.id");
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		goto fail;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		t = json_object_array_get_idx(rows, i);
		snprintf(key, sizeof(key), "%lld", (long long)json_object_get_int64(get(t,
		    "offer_id")));
		if ((o = get(*by_offer, key)) != NULL)
			targets_add(o, t);
	}
	json_object_put(rows);
	return DB_OK;
fail:
	json_object_put(*by_offer);
	*by_offer = NULL;
	return rc;
}

/* ---------------------------------------------------------------- */
/* GET /v2/offers/{offer_id}/targets                                 */
/* ---------------------------------------------------------------- */

/* Answers offer id's targets object. */
static enum api_err
answer_targets(struct req *r, int64_t id, int status, struct json_object *warnings)
{
	struct json_object *by = NULL, *o;
	char key[24];
	enum db_rc rc;

	if ((rc = offer_targets_read(&id, 1, &by)) != DB_OK)
		return db_api_err(rc);
	snprintf(key, sizeof(key), "%lld", (long long)id);
	o = json_object_get(get(by, key));
	json_object_put(by);
	if (o == NULL)
		return API_SERVER;
	if (warnings != NULL) {
		/* As a campaign's create: {"data": {..., "warnings"}, "warnings"}. */
		struct json_object *body = json_object_new_object();
		if (body == NULL) {
			json_object_put(o);
			return API_SERVER;
		}
		json_object_object_add(o, "warnings", json_object_get(warnings));
		json_object_object_add(body, "data", o);
		json_object_object_add(body, "warnings", json_object_get(warnings));
		o = body;
	}
	http_set_json(r, status, o);
	return API_OK;
}

static enum api_err
targets_list(struct req *r)
{
	return answer_targets(r, r->scope.id, 200, NULL);
}

const struct handler h_offer_targets_list = HANDLER_NO_INPUT(targets_list);

/* ---------------------------------------------------------------- */
/* POST /v2/offers/{offer_id}/targets                                */
/* ---------------------------------------------------------------- */

/*
 * Adds the targets and answers them all, with the skipped ones under
 * warnings.skipped_targets. Adding twice adds nothing more: an unknown
 * COMMIT outcome is settled by running it again.
 */
static enum api_err
add_targets(struct req *r, void *arg)
{
	struct json_object *warnings = json_object_new_object(),
	    *skipped = json_object_new_object();
	enum api_err e;

	(void)arg;
	if (warnings == NULL || skipped == NULL) {
		json_object_put(warnings);
		json_object_put(skipped);
		return API_SERVER;
	}
	json_object_object_add(warnings, "skipped_targets", skipped);
	e = offer_targets_apply(r, r->scope.id, r->scope.store_id, r->vals, skipped);
	if (e == API_OK)
		e = answer_targets(r, r->scope.id, 200, warnings);
	json_object_put(warnings);
	return e;
}

static enum api_err
targets_add_h(struct req *r)
{
	enum api_err e;
	bool any = false;

	if ((e = offer_targets_check(r, "", r->vals)) != API_OK)
		return e;
	for (int k = 0; k < OFFER_TARGET_KINDS; k++)
		any = any || (r->vals[k].present && r->vals[k].n > 0);
	if (!any) {
		/* Laravel's required_without_all over the seven kinds. */
		http_validation_error(r, "user_ids", "The user ids field is required when none of"
		    " user tag ids / store group ids / emails / social media identifiers /"
		    " client ids / revenue tier ids are present.");
		return API_VALIDATION;
	}
	return tx_run(r, TX_RERUN_SAFE, add_targets, NULL);
}

const struct handler h_offer_targets_add = HANDLER(targets_add_h, offer_target_fields);
