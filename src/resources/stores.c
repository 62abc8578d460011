/*
 * stores.c -- stores (advertisers):
 *   GET  /v2/stores                                (admins: all; members: theirs)
 *   POST /v2/stores                                (any user: a self-service store)
 *   PUT  /v2/stores/{store_id}/payment             (admins and the store's members)
 *   GET  /v2/users/{user_id}/stores-by-categories  (the user themselves or an admin)
 *   GET  /v2/users/{user_id}/stores-by-toplist     (the same)
 * A store shows as {id, name}, as the reference's list does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../page.h"
#include "../search.h"
#include "../tx.h"
#include "../util.h"
#include "resources.h"

#define KEY_MAX 256		/* longest error key of a domain ("domains.12.3") */
#define DOMAINS_MAX 100		/* host names of one store, in all */

/* ---------------------------------------------------------------- */
/* GET /v2/stores                                                    */
/* ---------------------------------------------------------------- */

static const struct sort_col list_sort[] = {
	{ "id", "s.id" },
	{ "name", "s.name" },
	{ "created_at", "s.created_at" },
	{ NULL, NULL },
};

enum { L_QUERY, L_GROUP, L_SIZE, L_PAGE, L_SORT };

static const struct valid_field list_fields[] = {
	[L_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 255 },
	[L_GROUP] = { .name = "store_group_id", .type = &valid_int },
	[L_SIZE] = VALID_SIZE(100),
	[L_PAGE] = VALID_PAGE,
	[L_SORT] = VALID_SORT(list_sort),
};

/*
 * The stores the caller manages, with the filters: admins every store,
 * members those of store_users (the access check let no one else in).
 */
static void
list_from(struct req *r, struct sql *q)
{
	const struct valid_value *text = &r->vals[L_QUERY], *group = &r->vals[L_GROUP];
	int64_t id;

	if (text->present)
		search_from(q, "stores s", "s.id", SEARCH_STORES, text->s, text->len, &id,
		    util_parse_int64(text->s, text->len, &id) == 0);
	else
		sql_add(q, " FROM stores s");
	if (!r->caller.admin)
		sql_int(q, " JOIN store_users su ON su.store_id = s.id AND su.user_id = ?",
		    r->caller.id);
	sql_add(q, " WHERE s.deleted_at IS NULL");
	if (text->present) {
		sql_add(q, " AND (");
		if (util_parse_int64(text->s, text->len, &id) == 0)
			sql_int(q, "s.id = ? OR ", id);
		sql_like(q, "s.name LIKE ?)", text->s, text->len);
	}
	if (group->present)
		sql_int(q, " AND s.store_group_id = ?", group->i);
}

static enum api_err
stores_list(struct req *r)
{
	struct sql from = { 0 }, kept = { 0 };
	struct page_query pq = {
		.columns = "SELECT s.id, s.name", .from = &from,
		.default_order = "s.id ASC", .tiebreak = "s.id", .default_size = 20,
	};
	enum api_err e;

	list_from(r, &from);
	/* An admin's whole list: its count is kept with the rows (0013). */
	if (r->caller.admin && !r->vals[L_QUERY].present && !r->vals[L_GROUP].present) {
		sql_add(&kept, "SELECT n FROM row_counts WHERE name = 'stores_active'");
		pq.count_query = &kept;
	}
	e = from.oom || kept.oom ? API_SERVER : page_run(r, &pq, NULL);
	sql_free(&from);
	sql_free(&kept);
	return e;
}

const struct handler h_stores_list = HANDLER(stores_list, list_fields);

/* ---------------------------------------------------------------- */
/* POST /v2/stores: the domains type                                 */
/* ---------------------------------------------------------------- */

/*
 * `domains` is an array of arrays of host names ([["a.se", "b.se"],
 * ["c.se"]]), or PHP-style maps of them from a form or the query string.
 * Each host is checked as valid_host under its own key ("domains.0.1"),
 * lower-cased, and written without a leading "www." (store_domains keeps
 * hosts so: a link's host is looked up with its parent domains). Two
 * hosts that end up the same are Laravel's `distinct`: "The domains.1.0
 * field has a duplicate value."
 *
 * out->n hosts in out->strs/out->lens (owned arrays); the text lives in
 * out->own, where each host is followed by its NUL and then the NUL-ended
 * error key it was given under: domain_key() reads it.
 */

/* The items of a JSON array or the values of a map, with their keys. */
struct items {
	struct json_object *v;
	size_t i, n;
	struct json_object_iterator it, end;
};

static bool
items_start(struct items *t, struct json_object *v)
{
	memset(t, 0, sizeof(*t));
	t->v = v;
	if (json_object_is_type(v, json_type_array)) {
		t->n = json_object_array_length(v);
		return true;
	}
	if (!json_object_is_type(v, json_type_object))
		return false;
	t->it = json_object_iter_begin(v);
	t->end = json_object_iter_end(v);
	return true;
}

/* The number of items of an array or a map; 0 for anything else. */
static size_t
items_count(struct json_object *v)
{
	if (json_object_is_type(v, json_type_array))
		return json_object_array_length(v);
	if (json_object_is_type(v, json_type_object))
		return (size_t)json_object_object_length(v);
	return 0;
}

/* The next item into *item and its key (index or map key) into key[]. */
static bool
items_next(struct items *t, const char *prefix, char *key, size_t keysz,
    struct json_object **item)
{
	if (json_object_is_type(t->v, json_type_array)) {
		if (t->i >= t->n)
			return false;
		snprintf(key, keysz, "%s.%zu", prefix, t->i);
		*item = json_object_array_get_idx(t->v, t->i++);
		return true;
	}
	if (json_object_iter_equal(&t->it, &t->end))
		return false;
	snprintf(key, keysz, "%s.%s", prefix, json_object_iter_peek_name(&t->it));
	*item = json_object_iter_peek_value(&t->it);
	json_object_iter_next(&t->it);
	return true;
}

/* One host name, as valid_host checks it. */
static const struct valid_field host_field = {
	.name = "domain", .type = &valid_host, .flags = V_MAX, .max = 253,
};

/* The error key a host of a domains value was given under. */
static const char *
domain_key(const struct valid_value *v, size_t i)
{
	return v->strs[i] + v->lens[i] + 1;
}

/* Whether host s[0..n) is among the first k hosts of b at offsets off[]. */
static bool
domain_seen(const struct buf *b, const size_t *off, const size_t *lens, size_t k,
    const char *s, size_t n)
{
	for (size_t i = 0; i < k; i++)
		if (lens[i] == n && memcmp(b->p + off[i], s, n) == 0)
			return true;
	return false;
}

/* Checks one host; appends it and its key to b when it is new. */
static enum api_err
domain_one(const struct valid_ctx *ic, struct json_object *item, struct buf *b, size_t *off,
    size_t *lens, size_t *k)
{
	struct valid_value hv = { 0 };
	enum api_err e;
	const char *s;
	size_t n;

	if (item == NULL)
		return valid_fail(ic, "The %s field must be a string.", ic->attr);
	if ((e = valid_host.check(ic, &host_field, item, &hv)) != API_OK)
		goto out;
	s = hv.s;
	n = hv.len;
	if (n > 4 && memcmp(s, "www.", 4) == 0 && memchr(s + 4, '.', n - 4) != NULL) {
		s += 4;
		n -= 4;
	}
	/*
	 * A store's domain is a registered name, never a bare top-level one:
	 * a store owning "se" would take every .se link no other store has.
	 */
	if (memchr(s, '.', n) == NULL || s[n - 1] == '.') {
		e = valid_fail(ic, "The %s field format is invalid.", ic->attr);
		goto out;
	}
	if (domain_seen(b, off, lens, *k, s, n)) {
		e = valid_fail(ic, "The %s field has a duplicate value.", ic->attr);
		goto out;
	}
	off[*k] = b->len;
	lens[*k] = n;
	buf_add(b, s, n);
	buf_addc(b, '\0');
	buf_adds(b, ic->key);
	buf_addc(b, '\0');
	(*k)++;
	e = b->oom ? API_SERVER : API_OK;
out:
	valid_value_free(&hv);
	return e;
}

static enum api_err
check_domains(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	char key[KEY_MAX], attr[KEY_MAX], hkey[KEY_MAX], hattr[KEY_MAX];
	struct valid_ctx lc = { c->r, key, attr }, hc = { c->r, hkey, hattr };
	struct json_object *list, *item;
	struct items outer, inner;
	struct buf b = { 0 };
	size_t off[DOMAINS_MAX], lens[DOMAINS_MAX], total = 0, k = 0;
	enum api_err e = API_OK, ie;

	if (!items_start(&outer, v))
		return valid_fail(c, "The %s field must be an array.", c->attr);
	/* The counts first, so that nothing past the limit is looked at. */
	while (items_next(&outer, c->key, key, sizeof(key), &list))
		total += items_count(list);
	if (total > DOMAINS_MAX)
		return valid_fail(c, "The %s field must not have more than %d items.", c->attr,
		    DOMAINS_MAX);
	if ((f->flags & V_REQUIRED) && items_count(v) == 0)
		return valid_fail(c, "The %s field is required.", c->attr);
	items_start(&outer, v);
	while (items_next(&outer, c->key, key, sizeof(key), &list)) {
		valid_attr(key, attr, sizeof(attr));
		if (list == NULL || !items_start(&inner, list)) {
			ie = valid_fail(&lc, "The %s field must be an array.", attr);
		} else if ((f->flags & V_REQUIRED) && items_count(list) == 0) {
			ie = valid_fail(&lc, "The %s field is required.", attr);
		} else {
			ie = API_OK;
			while (ie != API_SERVER && items_next(&inner, key, hkey, sizeof(hkey), &item)) {
				valid_attr(hkey, hattr, sizeof(hattr));
				if ((ie = domain_one(&hc, item, &b, off, lens, &k)) == API_VALIDATION)
					e = ie;
			}
		}
		if (ie == API_SERVER) {
			e = ie;
			break;
		}
		if (ie != API_OK)
			e = ie;
	}
	if (e != API_OK || k == 0) {
		buf_free(&b);
		return e;
	}
	out->strs = calloc(k, sizeof(*out->strs));
	out->lens = calloc(k, sizeof(*out->lens));
	if (out->strs == NULL || out->lens == NULL) {
		buf_free(&b);
		return API_SERVER;
	}
	out->own = b.p;		/* out owns the text now */
	for (size_t i = 0; i < k; i++) {
		out->strs[i] = b.p + off[i];
		out->lens[i] = lens[i];
	}
	out->n = k;
	return API_OK;
}

static const struct valid_type valid_domains = { "domains", check_domains };

/* ---------------------------------------------------------------- */
/* POST /v2/stores                                                   */
/* ---------------------------------------------------------------- */

enum { B_COMPANY, B_STREET, B_POSTAL, B_CITY, B_VAT };

static const struct valid_field billing_fields[] = {
	[B_COMPANY] = { .name = "company_name", .type = &valid_string,
	    .flags = V_REQUIRED | V_MAX, .max = 255 },
	[B_STREET] = { .name = "street", .type = &valid_string, .flags = V_MAX, .max = 255 },
	[B_POSTAL] = { .name = "postal_code", .type = &valid_string, .flags = V_MAX, .max = 32 },
	[B_CITY] = { .name = "city", .type = &valid_string, .flags = V_MAX, .max = 255 },
	[B_VAT] = { .name = "vat_number", .type = &valid_string, .flags = V_MAX, .max = 64 },
};

enum { C_NAME, C_DOMAINS, C_CATEGORIES, C_LOGO, C_COUNTRY, C_CURRENCY, C_LANGUAGE,
	C_BILLING };

static const struct valid_field create_fields[] = {
	[C_NAME] = { .name = "name", .type = &valid_string, .flags = V_REQUIRED | V_MAX,
	    .max = 255 },
	[C_DOMAINS] = { .name = "domains", .type = &valid_domains, .flags = V_REQUIRED },
	[C_CATEGORIES] = { .name = "categories", .type = &valid_int_list,
	    .flags = V_REQUIRED, .max_items = 50, .exists = "store_categories" },
	[C_LOGO] = { .name = "logo_url", .type = &valid_url, .flags = V_MAX, .max = 2048 },
	[C_COUNTRY] = { .name = "country", .type = &valid_country, .flags = V_REQUIRED },
	[C_CURRENCY] = { .name = "currency", .type = &valid_currency, .flags = V_REQUIRED },
	[C_LANGUAGE] = { .name = "language", .type = &valid_language, .flags = V_REQUIRED },
	[C_BILLING] = { .name = "billing", .type = &valid_object, .flags = V_REQUIRED,
	    VALID_NESTED(billing_fields) },
};

static const char sql_market[] =
    "SELECT id FROM store_groups WHERE `key` = ? ORDER BY id LIMIT 1";

/*
 * The hosts among ours that a store has already: a locking read, so that
 * it sees what other transactions committed, and its gap locks make a
 * concurrent insert of the same host wait for us (or deadlock, which
 * tx_run runs again: the second run then finds the host taken).
 */
static const char sql_taken[] =
    "SELECT d.domain FROM JSON_TABLE(?, '$[*]' COLUMNS (domain VARCHAR(253) PATH '$')) j"
    " JOIN store_domains d ON d.domain = j.domain FOR UPDATE";

static const char sql_insert_store[] =
    "INSERT INTO stores (name, store_group_id, logo_url, country, currency, language,"
    " is_self_service, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, 1, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())";

static const char sql_insert_domains[] =
    "INSERT INTO store_domains (store_id, domain, created_at)"
    " SELECT ?, j.domain, UTC_TIMESTAMP()"
    " FROM JSON_TABLE(?, '$[*]' COLUMNS (domain VARCHAR(253) PATH '$')) j";

static const char sql_insert_billing[] =
    "INSERT INTO store_billing (store_id, company_name, street, postal_code, city, vat_number,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())";

static const char sql_insert_member[] =
    "INSERT INTO store_users (store_id, user_id, created_at) VALUES (?, ?, UTC_TIMESTAMP())";

struct create_ctx {
	const struct valid_value *v;	/* r->vals */
	const char *hosts;		/* the hosts as a JSON array */
	size_t hosts_len;
};

/* A string parameter, or NULL when the value is absent. */
static struct db_param
str_or_null(const struct valid_value *v)
{
	struct db_param p = { DBP_NULL, 0, NULL, 0 };

	if (v->present) {
		p.type = DBP_STR;
		p.s = v->s;
		p.len = v->len;
	}
	return p;
}

/* The store group of the store's market: "{language}_{country}". */
static enum api_err
find_market(struct req *r, const struct valid_value *v, int64_t *group)
{
	char key[8];
	struct db_param p[1];
	enum db_rc rc;
	bool found;

	snprintf(key, sizeof(key), "%.2s_%.2s", v[C_LANGUAGE].s, v[C_COUNTRY].s);
	p[0] = (struct db_param)DB_STR(key, strlen(key));
	if ((rc = db_select_int(sql_market, p, 1, group, &found)) != DB_OK)
		return db_api_err(rc);
	if (found)
		return API_OK;
	http_validation_error(r, "country",
	    "The selected country has no market for the language %.2s.", v[C_LANGUAGE].s);
	return API_VALIDATION;
}

/*
 * Whether host s[0..n) is among the rows' `domain`s, compared as the
 * column's collation does for these ASCII names: case-insensitively.
 */
static bool
host_in(struct json_object *rows, const char *s, size_t n)
{
	struct json_object *host;

	for (size_t i = 0; i < json_object_array_length(rows); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(rows, i), "domain",
		    &host) && (size_t)json_object_get_string_len(host) == n &&
		    strncasecmp(json_object_get_string(host), s, n) == 0)
			return true;
	return false;
}

/*
 * 422 on each host that another store has, in the order given: "The
 * domains.0.1 has already been taken."
 */
static enum api_err
check_taken(struct req *r, const struct create_ctx *c)
{
	const struct valid_value *d = &c->v[C_DOMAINS];
	struct db_param p[] = { DB_STR(c->hosts, c->hosts_len) };
	struct json_object *rows = NULL;
	char attr[KEY_MAX];
	enum api_err e = API_OK;
	enum db_rc rc;

	if ((rc = db_select(sql_taken, p, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	for (size_t k = 0; k < d->n && json_object_array_length(rows) > 0; k++)
		if (host_in(rows, d->strs[k], d->lens[k])) {
			http_validation_error(r, domain_key(d, k), "The %s has already been taken.",
			    valid_attr(domain_key(d, k), attr, sizeof(attr)));
			e = API_VALIDATION;
		}
	json_object_put(rows);
	return e;
}

static const struct tx_unique create_unique[] = {
	{ "uq_store_domains_domain", "domains" },
	{ NULL, NULL },
};

/*
 * The write of POST: the store, its domains, categories, billing and the
 * caller's membership, all or nothing. Not safe to run twice (it would
 * make a second store): an unknown COMMIT is settled by the request's
 * Idempotency-Key, or answered 503.
 */
static enum api_err
create_store(struct req *r, void *arg)
{
	struct create_ctx *c = arg;
	const struct valid_value *v = c->v, *b = valid_row(&v[C_BILLING], 0);
	const struct valid_value *cats = &v[C_CATEGORIES];
	struct json_object *body;
	struct sql q = { 0 };
	uint64_t id = 0;
	int64_t group;
	enum api_err e;
	enum db_rc rc;

	if ((e = find_market(r, v, &group)) != API_OK)
		return e;
	if ((e = check_taken(r, c)) != API_OK)
		return e;
	struct db_param ps[] = {
		DB_STR(v[C_NAME].s, v[C_NAME].len), DB_INT(group), str_or_null(&v[C_LOGO]),
		DB_STR(v[C_COUNTRY].s, v[C_COUNTRY].len),
		DB_STR(v[C_CURRENCY].s, v[C_CURRENCY].len),
		DB_STR(v[C_LANGUAGE].s, v[C_LANGUAGE].len), DB_INT(r->caller.id),
	};
	if ((rc = db_exec(sql_insert_store, ps, VALID_COUNT(ps), NULL, &id)) != DB_OK)
		return db_api_err(rc);
	struct db_param pd[] = { DB_INT((int64_t)id), DB_STR(c->hosts, c->hosts_len) };
	rc = db_exec(sql_insert_domains, pd, VALID_COUNT(pd), NULL, NULL);
	if (rc == DB_DUPLICATE) {
		/* Taken since our locking read: cannot be, but name it if so. */
		if ((e = check_taken(r, c)) != API_OK)
			return e;
		return tx_duplicate(r, create_unique);
	}
	if (rc != DB_OK)
		return db_api_err(rc);
	/* One statement text whatever the count; a category given twice once. */
	sql_int(&q, "INSERT INTO store_store_category (store_id, store_category_id)"
	    " SELECT DISTINCT ?, j.id FROM ", (int64_t)id);
	sql_json_ints(&q, cats->ints, cats->n);
	sql_add(&q, " j");
	if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK)
		return db_api_err(rc);
	struct db_param pb[] = {
		DB_INT((int64_t)id), DB_STR(b[B_COMPANY].s, b[B_COMPANY].len),
		str_or_null(&b[B_STREET]), str_or_null(&b[B_POSTAL]), str_or_null(&b[B_CITY]),
		str_or_null(&b[B_VAT]),
	};
	if ((rc = db_exec(sql_insert_billing, pb, VALID_COUNT(pb), NULL, NULL)) != DB_OK)
		return db_api_err(rc);
	struct db_param pm[] = { DB_INT((int64_t)id), DB_INT(r->caller.id) };
	if ((rc = db_exec(sql_insert_member, pm, VALID_COUNT(pm), NULL, NULL)) != DB_OK)
		return db_api_err(rc);
	if ((body = json_object_new_object()) == NULL)
		return API_SERVER;
	json_object_object_add(body, "id", json_object_new_int64((int64_t)id));
	json_object_object_add(body, "name",
	    json_object_new_string_len(v[C_NAME].s, (int)v[C_NAME].len));
	http_set_json(r, 201, body);
	return API_OK;
}

static enum api_err
stores_create(struct req *r)
{
	const struct valid_value *d = &r->vals[C_DOMAINS];
	struct json_object *hosts;
	struct create_ctx ctx = { r->vals, NULL, 0 };
	enum api_err e;

	if ((hosts = json_object_new_array()) == NULL)
		return API_SERVER;
	for (size_t i = 0; i < d->n; i++)
		json_object_array_add(hosts, json_object_new_string_len(d->strs[i],
		    (int)d->lens[i]));
	ctx.hosts = http_json_text(hosts, &ctx.hosts_len);
	e = ctx.hosts == NULL ? API_SERVER : tx_run(r, 0, create_store, &ctx);
	json_object_put(hosts);
	return e;
}

const struct handler h_stores_create = HANDLER(stores_create, create_fields);

/* ---------------------------------------------------------------- */
/* PUT /v2/stores/{store_id}/payment                                 */
/* ---------------------------------------------------------------- */

static const char sql_lock_store[] =
    "SELECT is_self_service FROM stores WHERE id = ? FOR UPDATE";

/* The first setup stays: who and when are those of the first PUT. */
static const char sql_payment_setup[] =
    "UPDATE stores SET payment_setup_at = UTC_TIMESTAMP(), payment_setup_by = ?"
    " WHERE id = ? AND payment_setup_at IS NULL";

static const char sql_store_item[] = "SELECT id, name FROM stores WHERE id = ?";

static enum api_err
set_payment(struct req *r, void *arg)
{
	struct db_param ps[] = { DB_INT(r->scope.store_id) };
	struct db_param pu[] = { DB_INT(r->caller.id), DB_INT(r->scope.store_id) };
	struct json_object *rows = NULL, *row;
	int64_t self_service = 0;
	enum db_rc rc;
	bool found;

	(void)arg;
	if ((rc = db_select_int(sql_lock_store, ps, 1, &self_service, &found)) != DB_OK)
		return db_api_err(rc);
	if (!found)
		return API_NOT_FOUND;
	if (!self_service) {
		http_validation_error(r, "store_id",
		    "The payment can only be set up for a self-service store.");
		return API_VALIDATION;
	}
	if ((rc = db_exec(sql_payment_setup, pu, 2, NULL, NULL)) != DB_OK)
		return db_api_err(rc);
	if ((rc = db_select(sql_store_item, ps, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	if ((row = json_object_array_get_idx(rows, 0)) == NULL) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	http_set_json(r, 200, json_object_get(row));
	json_object_put(rows);
	return API_OK;
}

static enum api_err
stores_payment(struct req *r)
{
	return tx_run(r, TX_RERUN_SAFE, set_payment, NULL);
}

const struct handler h_stores_payment = HANDLER_NO_INPUT(stores_payment);

/* ---------------------------------------------------------------- */
/* GET /v2/users/{user_id}/stores-by-categories, -by-toplist         */
/* ---------------------------------------------------------------- */

/*
 * The stores user ? may work with: active, not deleted, of the store
 * group of the user's client, and blocklisting neither the user nor any
 * of the user's tags. A user with no client has none. The stores are read
 * from idx_stores_group_visible alone (migration 0008); the blocked ones
 * are found once, by the user's few tags and by the user, and joined as
 * a set: per store that is one probe, where two correlated subqueries
 * cost four index lookups (a third of the time, measured at 10k stores).
 * The three `?` are all the user's id.
 */
#define USER_STORES_FROM \
	" FROM users u JOIN clients cl ON cl.id = u.client_id" \
	" JOIN stores s ON s.store_group_id = cl.store_group_id AND s.is_active = 1" \
	" AND s.deleted_at IS NULL"

#define USER_STORES_WHERE \
	" LEFT JOIN (SELECT bt.store_id FROM user_tag_user tu" \
	" JOIN blocklist_entries bt ON bt.user_tag_id = tu.user_tag_id WHERE tu.user_id = ?" \
	" UNION SELECT b.store_id FROM blocklist_entries b WHERE b.user_id = ?) blocked" \
	" ON blocked.store_id = s.id" \
	" WHERE u.id = ? AND blocked.store_id IS NULL"

/* A store in each of its categories; a store without one shows in none. */
static const char sql_by_categories[] =
    "SELECT s.id, s.name, sc.id AS `category.id`, sc.name AS `category.name`"
    USER_STORES_FROM
    " JOIN store_store_category ssc ON ssc.store_id = s.id"
    " JOIN store_categories sc ON sc.id = ssc.store_category_id"
    USER_STORES_WHERE
    " ORDER BY sc.name, sc.id, s.name, s.id";

/* Rank 1 first; stores off the toplist after the ranked ones, by name. */
static const char sql_by_toplist[] =
    "SELECT s.id, s.name"
    USER_STORES_FROM
    USER_STORES_WHERE
    " ORDER BY s.toplist_rank IS NULL, s.toplist_rank, s.name, s.id";

/*
 * Folds rows ordered by category into [{"category": {...}, "stores":
 * [...]}]: each row's `category` leaves it and heads a group when it
 * differs from the one before. Takes rows over; NULL when out of memory.
 */
static struct json_object *
group_by_category(struct json_object *rows)
{
	struct json_object *out, *group = NULL, *stores = NULL, *row, *cat, *id;
	int64_t last = 0;
	size_t n = json_object_array_length(rows);

	if ((out = json_object_new_array()) == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		row = json_object_array_get_idx(rows, i);
		if (!json_object_object_get_ex(row, "category", &cat) ||
		    !json_object_object_get_ex(cat, "id", &id))
			continue;
		if (group == NULL || json_object_get_int64(id) != last) {
			last = json_object_get_int64(id);
			if ((group = json_object_new_object()) == NULL ||
			    json_object_array_add(out, group) != 0) {
				json_object_put(group);
				goto fail;
			}
			if ((stores = json_object_new_array()) == NULL)
				goto fail;
			json_object_object_add(group, "category", json_object_get(cat));
			json_object_object_add(group, "stores", stores);
		}
		json_object_object_del(row, "category");
		if (json_object_array_add(stores, json_object_get(row)) != 0) {
			json_object_put(row);
			goto fail;
		}
	}
	json_object_put(rows);
	return out;
fail:
	json_object_put(out);
	json_object_put(rows);
	return NULL;
}

static enum api_err
user_stores(struct req *r, const char *query, bool by_category)
{
	struct db_param p[] = { DB_INT(r->scope.id), DB_INT(r->scope.id), DB_INT(r->scope.id) };
	struct json_object *rows;
	enum db_rc rc;

	if ((rc = db_select(query, p, VALID_COUNT(p), &rows)) != DB_OK)
		return db_api_err(rc);
	if (by_category && (rows = group_by_category(rows)) == NULL)
		return API_SERVER;
	http_set_json(r, 200, rows);
	return API_OK;
}

static enum api_err
stores_by_categories(struct req *r)
{
	return user_stores(r, sql_by_categories, true);
}

static enum api_err
stores_by_toplist(struct req *r)
{
	return user_stores(r, sql_by_toplist, false);
}

const struct handler h_stores_by_categories = HANDLER_NO_INPUT(stores_by_categories);
const struct handler h_stores_by_toplist = HANDLER_NO_INPUT(stores_by_toplist);
