/*
 * directory.c -- who is who:
 *   POST /v2/match-users  (admins): users by ids and e-mail addresses
 *   GET  /v2/entrypoint   (anyone): what an app needs to start for the
 *                         caller: the user, their abilities there, and for
 *                         the store app their stores and the selected one
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../auth.h"
#include "../db.h"
#include "../util.h"
#include "resources.h"

/* The user as GET /v2/users lists one. */
#define USER_KEYS "id, username, email, client_id"

/* ---------------------------------------------------------------- */
/* POST /v2/match-users                                              */
/* ---------------------------------------------------------------- */

/*
 * Runs type t's check on v without recording its message: *ok tells
 * whether v is a valid t, its value then in *out (the caller frees what
 * out owns, either way). The request's errors are set aside meanwhile, so
 * that a failed try leaves no trace. API_OK, or API_SERVER when out of
 * memory.
 */
static enum api_err
probe(const struct valid_ctx *c, const struct valid_type *t, struct json_object *v,
    struct valid_value *out, bool *ok)
{
	static const struct valid_field plain = { .name = "item" };
	struct json_object *kept = c->r->verrors;
	enum api_err e;

	memset(out, 0, sizeof(*out));
	c->r->verrors = NULL;
	e = t->check(c, &plain, v, out);
	json_object_put(c->r->verrors);
	c->r->verrors = kept;
	*ok = e == API_OK;
	return e == API_SERVER ? API_SERVER : API_OK;
}

/*
 * Item i of a reference list, keyed c->key: an id, else an address, else
 * an error under its key. API_OK, API_VALIDATION or API_SERVER.
 */
static enum api_err
check_ref(const struct valid_ctx *c, struct json_object *item, struct valid_value *out,
    size_t i)
{
	struct valid_value iv;
	enum api_err e;
	bool ok = false;

	if (item != NULL) {
		if ((e = probe(c, &valid_int, item, &iv, &ok)) == API_OK && ok)
			out->ints[i] = iv.i;
		valid_value_free(&iv);
		if (e == API_OK && !ok &&
		    (e = probe(c, &valid_email, item, &iv, &ok)) == API_OK && ok) {
			out->strs[i] = iv.s;	/* borrowed from the input */
			out->lens[i] = iv.len;
		}
		valid_value_free(&iv);	/* owns nothing of s */
		if (e != API_OK)
			return e;
	}
	if (ok)
		return API_OK;
	return valid_fail(c, "The %s field must be an integer or a valid email address.",
	    c->attr);
}

/*
 * A list (a JSON array, or a PHP-style map from the query string) of user
 * ids and e-mail addresses, mixed: out->n items; item i is the id
 * out->ints[i] when out->strs[i] is NULL, else the address out->strs[i]
 * (out->lens[i] bytes, borrowed). An item is an id when valid_int takes
 * it (12, "12"), else an address when valid_email takes it; anything
 * else is "The x.i field must be an integer or a valid email address."
 * (every item is checked). The list's own rules are valid_int_list's:
 * "must be an array.", "must not have more than N items." (max_items),
 * and V_REQUIRED refuses an empty list.
 */
static enum api_err
check_refs(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	char key[256], attr[256];
	struct valid_ctx ic = { c->r, key, attr };
	enum api_err e = API_OK, ie;
	bool isarr = json_object_is_type(v, json_type_array);
	size_t n, i = 0;

	if (!isarr && !json_object_is_type(v, json_type_object))
		return valid_fail(c, "The %s field must be an array.", c->attr);
	n = isarr ? json_object_array_length(v) : (size_t)json_object_object_length(v);
	if (f->max_items > 0 && n > f->max_items)
		return valid_fail(c, "The %s field must not have more than %zu items.", c->attr,
		    f->max_items);
	if ((f->flags & V_REQUIRED) && n == 0)
		return valid_fail(c, "The %s field is required.", c->attr);
	if (n == 0)
		return API_OK;
	out->ints = calloc(n, sizeof(*out->ints));
	out->strs = calloc(n, sizeof(*out->strs));
	out->lens = calloc(n, sizeof(*out->lens));
	if (out->ints == NULL || out->strs == NULL || out->lens == NULL)
		return API_SERVER;
	out->n = n;
	if (isarr) {
		for (i = 0; i < n && e != API_SERVER; i++) {
			snprintf(key, sizeof(key), "%s.%zu", c->key, i);
			valid_attr(key, attr, sizeof(attr));
			ie = check_ref(&ic, json_object_array_get_idx(v, i), out, i);
			if (ie != API_OK)
				e = ie;
		}
		return e;
	}
	json_object_object_foreach(v, k, item) {
		snprintf(key, sizeof(key), "%s.%s", c->key, k);
		valid_attr(key, attr, sizeof(attr));
		if ((ie = check_ref(&ic, item, out, i++)) == API_SERVER)
			return ie;
		if (ie != API_OK)
			e = ie;
	}
	return e;
}

static const struct valid_type refs_type = { "user id or email list", check_refs };

enum { M_REFS, M_GROUP };

static const struct valid_field match_fields[] = {
	[M_REFS] = { .name = "user_emails_or_ids", .type = &refs_type, .flags = V_REQUIRED,
	    .max_items = 1000 },
	[M_GROUP] = { .name = "advertiser_group_id", .type = &valid_int,
	    .exists = "store_groups" },
};

/*
 * One row per answer, in input order: the first input that names each
 * user (with the user), and the first spelling of each input that names
 * none (user null). The inputs travel as one JSON array of {"id":n} and
 * {"email":"..."}: one statement text for any list. An address matches
 * case-insensitively only: the column's collation (utf8mb4_unicode_ci)
 * also equates accents ("é" = "e", "ß" = "ss"), which would answer
 * another person's account, so the lower-cased texts must be equal too.
 */
#define MATCH_SELECT \
	"SELECT d.i, d.id AS `user.id`, d.username AS `user.username`," \
	" d.email AS `user.email`, d.client_id AS `user.client_id` FROM (" \
	"SELECT t.i, u.id, u.username, u.email, u.client_id," \
	" ROW_NUMBER() OVER (PARTITION BY u.id," \
	" IF(u.id IS NULL, IFNULL(t.id, LOWER(t.email)), NULL) ORDER BY t.i) AS rn" \
	" FROM JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, id BIGINT PATH '$.id'," \
	" email VARCHAR(255) PATH '$.email')) t" \
	" LEFT JOIN users ue ON ue.email = t.email" \
	" AND LOWER(ue.email) COLLATE utf8mb4_bin = LOWER(t.email) COLLATE utf8mb4_bin" \
	" LEFT JOIN users u ON u.id = IFNULL(t.id, ue.id) AND u.deleted_at IS NULL"
#define MATCH_GROUP \
	" AND u.client_id IN (SELECT c.id FROM clients c WHERE c.store_group_id = ?)"
#define MATCH_END ") d WHERE d.rn = 1 ORDER BY d.i"

/* The inputs as the JSON array MATCH_SELECT reads; NULL when out of memory. */
static struct json_object *
refs_json(const struct valid_value *refs)
{
	struct json_object *a, *o, *x;

	if ((a = json_object_new_array_ext((int)refs->n)) == NULL)
		return NULL;
	for (size_t i = 0; i < refs->n; i++) {
		x = refs->strs[i] != NULL ?
		    json_object_new_string_len(refs->strs[i], (int)refs->lens[i]) :
		    json_object_new_int64(refs->ints[i]);
		if (x == NULL || (o = json_object_new_object()) == NULL) {
			json_object_put(x);
			json_object_put(a);
			return NULL;
		}
		/* From here o owns x, and then a owns o. */
		if (json_object_object_add(o, refs->strs[i] != NULL ? "email" : "id", x) != 0 ||
		    json_object_array_add(a, o) != 0) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static enum api_err
match_users(struct req *r)
{
	const struct valid_value *refs = &r->vals[M_REFS];
	struct json_object *in = NULL, *rows = NULL, *data = NULL, *unmatched = NULL;
	struct json_object *body = NULL, *row, *user, *v, *x;
	struct sql q = { 0 };
	const char *text;
	size_t len;
	enum api_err e = API_SERVER;
	enum db_rc rc;
	int64_t i;

	if ((in = refs_json(refs)) == NULL)
		goto out;
	if ((text = http_json_text(in, &len)) == NULL)
		goto out;
	sql_str(&q, MATCH_SELECT, text, len);
	if (r->vals[M_GROUP].present)
		sql_int(&q, MATCH_GROUP, r->vals[M_GROUP].i);
	sql_add(&q, MATCH_END);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK) {
		e = db_api_err(rc);
		goto out;
	}
	if ((data = json_object_new_array()) == NULL ||
	    (unmatched = json_object_new_array()) == NULL)
		goto out;
	for (size_t k = 0; k < json_object_array_length(rows); k++) {
		row = json_object_array_get_idx(rows, k);
		if (!json_object_object_get_ex(row, "i", &v) ||
		    (i = json_object_get_int64(v) - 1) < 0 || (size_t)i >= refs->n)
			goto out;
		if (json_object_object_get_ex(row, "user", &user) && user != NULL) {
			if (json_object_array_add(data, json_object_get(user)) != 0) {
				json_object_put(user);
				goto out;
			}
			continue;
		}
		/* As given: ids as numbers (a query string's "12" too). */
		x = refs->strs[i] != NULL ?
		    json_object_new_string_len(refs->strs[i], (int)refs->lens[i]) :
		    json_object_new_int64(refs->ints[i]);
		if (x == NULL || json_object_array_add(unmatched, x) != 0) {
			json_object_put(x);
			goto out;
		}
	}
	if ((body = json_object_new_object()) == NULL)
		goto out;
	json_object_object_add(body, "data", data);
	json_object_object_add(body, "unmatched", unmatched);
	data = unmatched = NULL;
	http_set_json(r, 200, body);
	e = API_OK;
out:
	sql_free(&q);
	json_object_put(in);
	json_object_put(rows);
	json_object_put(data);
	json_object_put(unmatched);
	return e;
}

const struct handler h_match_users = HANDLER(match_users, match_fields);

/* ---------------------------------------------------------------- */
/* GET /v2/entrypoint                                                */
/* ---------------------------------------------------------------- */

enum app { APP_ADMIN, APP_STORE, APP_CREATOR, APP__MAX };

static const char *const app_names[] = { "admin", "store", "creator", NULL };

/*
 * The roles a caller holds in an app. Admin app: admins only (R_ADMIN).
 * Store app: admins (R_ADMIN | R_MEMBER: whatever a member may do, on any
 * store) and members of a store (R_MEMBER). Creator app: every user
 * (R_ANY), as every user has their own profile, links and participations.
 */
#define R_ADMIN 0x1u
#define R_MEMBER 0x2u
#define R_ANY 0x4u

/*
 * What a caller may do in each app, after SPEC.md's "Who may do what":
 * an ability is listed when the caller holds one of the roles of its
 * column. README's table is this one.
 */
static const struct ability {
	const char *name;
	unsigned in[APP__MAX];	/* roles holding it, per app */
} abilities[] = {
	/*  name			   admin    store               creator */
	{ "advertiser_groups.view",	{ R_ADMIN, 0, 0 } },
	{ "clients.view",		{ R_ADMIN, 0, 0 } },
	{ "users.view",			{ R_ADMIN, 0, 0 } },
	{ "users.match",		{ R_ADMIN, 0, 0 } },
	{ "payments.manage",		{ R_ADMIN, 0, 0 } },
	{ "user_media.view",		{ R_ADMIN, 0, 0 } },
	{ "return_ads.manage",		{ R_ADMIN, R_ADMIN, 0 } },
	{ "return_ads.view",		{ R_ADMIN, R_MEMBER, 0 } },
	{ "stores.view",		{ R_ADMIN, R_MEMBER, 0 } },
	{ "stores.create",		{ 0, R_MEMBER, R_ANY } },
	{ "stores.payment",		{ 0, R_MEMBER, 0 } },
	{ "offers.manage",		{ R_ADMIN, R_MEMBER, 0 } },
	{ "participants.manage",	{ R_ADMIN, R_MEMBER, 0 } },
	{ "comments.manage",		{ R_ADMIN, R_MEMBER, 0 } },
	{ "shared_budgets.manage",	{ R_ADMIN, R_MEMBER, 0 } },
	{ "blocklist.manage",		{ R_ADMIN, R_MEMBER, 0 } },
	{ "user_tags.view",		{ R_ADMIN, R_MEMBER, 0 } },
	{ "profile.manage",		{ 0, 0, R_ANY } },
	{ "stores.browse",		{ 0, 0, R_ANY } },
	{ "offers.join",		{ 0, 0, R_ANY } },
	{ "affiliate_links.manage",	{ 0, 0, R_ANY } },
	{ "comments.own",		{ 0, 0, R_ANY } },
};

enum { E_APP, E_STORE };

static const struct valid_field entry_fields[] = {
	[E_APP] = { .name = "app", .type = &valid_enum, .flags = V_REQUIRED, .in = app_names },
	/*
	 * No `exists` here: it would tell any caller which store ids exist.
	 * A store that is not theirs is a 403 whether it exists or not; only
	 * an admin learns that an id names no store (422).
	 */
	[E_STORE] = { .name = "store_id", .type = &valid_int },
};

/* The roles of caller c in app; 0: the app is not for them. */
static unsigned
app_roles(const struct caller *c, enum app app)
{
	switch (app) {
	case APP_ADMIN:
		return c->admin ? R_ADMIN : 0;
	case APP_STORE:
		return c->admin ? R_ADMIN | R_MEMBER : c->nstores > 0 ? R_MEMBER : 0;
	default:
		return R_ANY;
	}
}

/* The user as GET /v2/users shows one. */
static enum api_err
load_user(int64_t id, struct json_object **user)
{
	struct db_param p[] = { DB_INT(id) };
	struct json_object *rows = NULL;
	enum db_rc rc;

	*user = NULL;
	rc = db_select("SELECT " USER_KEYS " FROM users WHERE id = ?", p, 1, &rows);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 1)
		*user = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	return *user != NULL ? API_OK : API_SERVER;
}

static bool
is_member(const struct caller *c, int64_t store_id)
{
	for (size_t i = 0; i < c->nstores; i++)
		if (c->stores[i] == store_id)
			return true;
	return false;
}

/*
 * The store app's "stores" (the caller's, by name) and "store" (the one
 * asked for, or the first of them; null when there is none) into body.
 * API_FORBIDDEN when a caller who is not an admin has no live store.
 */
static enum api_err
add_stores(struct req *r, struct json_object *body, int64_t want)
{
	struct json_object *rows = NULL, *mine = NULL, *row, *v, *chosen = NULL;
	struct sql q = { 0 };
	enum api_err e = API_SERVER;
	enum db_rc rc;
	int64_t id;
	bool member;

	if ((mine = json_object_new_array()) == NULL)
		goto out;
	if (r->caller.nstores > 0 || want > 0) {
		sql_add(&q, "SELECT id, name, logo_url, currency FROM stores"
		    " WHERE deleted_at IS NULL AND (id = ");
		sql_int(&q, "?", want);
		if (r->caller.nstores > 0) {
			sql_add(&q, " OR id IN ");
			sql_in_ints(&q, r->caller.stores, r->caller.nstores);
		}
		sql_add(&q, ") ORDER BY name, id");
		if ((rc = db_select_sql(&q, &rows)) != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
		for (size_t k = 0; k < json_object_array_length(rows); k++) {
			row = json_object_array_get_idx(rows, k);
			id = json_object_object_get_ex(row, "id", &v) ?
			    json_object_get_int64(v) : 0;
			member = is_member(&r->caller, id);
			if (id == want || (want == 0 && chosen == NULL && member))
				chosen = row;
			if (member &&
			    json_object_array_add(mine, json_object_get(row)) != 0) {
				json_object_put(row);
				goto out;
			}
		}
	}
	if (!r->caller.admin && json_object_array_length(mine) == 0) {
		e = API_FORBIDDEN;
		goto out;
	}
	if (want > 0 && chosen == NULL) {
		/* An admin's unknown (or deleted) store, or a caller's own
		 * store deleted since: only they may hear it is not there. */
		http_validation_error(r, "store_id", "The selected store id is invalid.");
		e = API_VALIDATION;
		goto out;
	}
	json_object_object_add(body, "stores", mine);
	mine = NULL;
	json_object_object_add(body, "store", json_object_get(chosen));
	e = API_OK;
out:
	sql_free(&q);
	json_object_put(mine);
	json_object_put(rows);
	return e;
}

static enum api_err
entrypoint(struct req *r)
{
	enum app app = (enum app)r->vals[E_APP].i;
	int64_t want = r->vals[E_STORE].present ? r->vals[E_STORE].i : 0;
	struct json_object *body = NULL, *user = NULL, *list = NULL, *s;
	unsigned roles = app_roles(&r->caller, app);
	enum api_err e = API_SERVER;

	if (roles == 0)
		return API_FORBIDDEN;
	/* Only an admin may open a store that is not theirs. */
	if (app == APP_STORE && want > 0 && !auth_can_manage_store(&r->caller, want))
		return API_FORBIDDEN;
	if ((e = load_user(r->caller.id, &user)) != API_OK)
		return e;
	e = API_SERVER;
	if ((body = json_object_new_object()) == NULL ||
	    (list = json_object_new_array()) == NULL)
		goto out;
	for (size_t i = 0; i < VALID_COUNT(abilities); i++) {
		if ((abilities[i].in[app] & roles) == 0)
			continue;
		if ((s = json_object_new_string(abilities[i].name)) == NULL ||
		    json_object_array_add(list, s) != 0) {
			json_object_put(s);
			goto out;
		}
	}
	if ((s = json_object_new_string(app_names[app])) == NULL)
		goto out;
	json_object_object_add(body, "app", s);
	json_object_object_add(body, "user", user);
	json_object_object_add(body, "abilities", list);
	user = list = NULL;
	if (app == APP_STORE && (e = add_stores(r, body, want)) != API_OK)
		goto out;
	http_set_json(r, 200, body);
	body = NULL;
	e = API_OK;
out:
	json_object_put(body);
	json_object_put(user);
	json_object_put(list);
	return e;
}

const struct handler h_entrypoint = HANDLER(entrypoint, entry_fields);
