/*
 * affiliate_links.c -- a creator's affiliate links:
 *   POST /v2/affiliate-links       (any user; idempotent through the core)
 *   GET  /v2/affiliate-links/{id}  (its creator or an admin: the route's scope)
 * and what return ads make their link with (affiliate_links.h).
 *
 * A URL belongs to the stores one of whose domains is its host or a parent
 * domain of it, "www." dropped: store_domains keeps hosts lower-case and
 * without "www.", unique, so the host and its parents are looked up with
 * one `domain IN (...)` through uq_store_domains_domain, never a scan.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../conf.h"
#include "../target.h"
#include "../tx.h"
#include "resources.h"
#include "affiliate_links.h"

/* A host name is at most 253 characters (RFC 1035). */
#define HOST_MAX 253

/*
 * Copies the host of url[0..len) into host (HOST_MAX + 1 bytes), ASCII
 * lower-cased, without user info, port, a trailing dot and one leading
 * "www.". Returns its length, 0 when the URL has no host name (no
 * "scheme://", an IP literal in brackets, an empty or too long host).
 */
static size_t
link_host(const char *url, size_t len, char *host)
{
	const char *p, *end = url + len, *at, *h, *he;
	size_t n;

	for (p = url; p + 3 <= end && memcmp(p, "://", 3) != 0; p++)
		if (*p == '/' || *p == '?' || *p == '#')
			return 0;
	if (p + 3 > end)
		return 0;
	p += 3;
	for (he = p; he < end && *he != '/' && *he != '?' && *he != '#' && *he != '\\'; he++)
		continue;
	/* user info ends at the authority's last '@' */
	for (h = p, at = p; at < he; at++)
		if (*at == '@')
			h = at + 1;
	if (h < he && *h == '[')
		return 0;
	for (at = h; at < he && *at != ':'; at++)
		continue;
	he = at;
	if (he > h && he[-1] == '.')
		he--;
	if (he - h > 4 && strncasecmp(h, "www.", 4) == 0)
		h += 4;
	n = (size_t)(he - h);
	if (n == 0 || n > HOST_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = h[i];

		host[i] = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
	}
	host[n] = '\0';
	return n;
}

enum db_rc
affiliate_match(const char *url, size_t len, int64_t store_group_id,
    struct json_object **stores)
{
	char host[HOST_MAX + 1];
	struct sql q = { 0 };
	size_t n;

	*stores = NULL;
	if ((n = link_host(url, len, host)) == 0) {
		*stores = json_object_new_array();
		return *stores == NULL ? DB_ERROR : DB_OK;
	}
	/*
	 * The host, then each parent domain that still has a dot ("a.b.se",
	 * "b.se"; not "se"): suffixes of host, bound with their lengths.
	 */
	/*
	 * The domains first, by their unique index, then their stores: with
	 * few rows the optimiser would rather read the market's stores and
	 * their domains by store_id, a scan that grows with the market.
	 */
	sql_add(&q, "SELECT DISTINCT s.id, s.name"
	    " FROM store_domains d FORCE INDEX (uq_store_domains_domain)"
	    " STRAIGHT_JOIN stores s FORCE INDEX (PRIMARY) ON s.id = d.store_id"
	    " WHERE d.domain IN (");
	sql_str(&q, "?", host, n);
	for (size_t i = 0; i < n; i++)
		if (host[i] == '.' && memchr(host + i + 1, '.', n - i - 1) != NULL)
			sql_str(&q, ",?", host + i + 1, n - i - 1);
	sql_add(&q, ") AND s.deleted_at IS NULL");
	if (store_group_id > 0)
		sql_int(&q, " AND s.store_group_id = ?", store_group_id);
	sql_add(&q, " ORDER BY s.id");
	return db_select_sql(&q, stores);
}

enum db_rc
affiliate_link_insert(int64_t user_id, int64_t store_id, int64_t offer_id,
    const char *url, size_t len, int64_t *id)
{
	/* country and provider are the store's: the network its links go through. */
	static const char ins[] =
	    "INSERT INTO affiliate_links (user_id, store_id, offer_id, url, original_url,"
	    " country, provider, created_at, updated_at)"
	    " SELECT ?, s.id, NULLIF(?, 0), ?, ?, s.country, s.affiliate_provider,"
	    " UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM stores s WHERE s.id = ?";
	struct db_param p[] = { DB_INT(user_id), DB_INT(offer_id), DB_STR(url, len),
	    DB_STR(url, len), DB_INT(store_id) };
	uint64_t affected = 0, insert_id = 0;
	enum db_rc rc;

	*id = 0;
	rc = db_exec(ins, p, VALID_COUNT(p), &affected, &insert_id);
	if (rc != DB_OK)
		return rc;
	if (affected != 1 || insert_id == 0)
		return DB_ERROR;	/* no such store: the caller's bug */
	*id = (int64_t)insert_id;
	return DB_OK;
}

/*
 * The prefix of every short link: short_link_base without a trailing '/',
 * then '/'. NULL when out of memory; the caller frees it.
 */
static char *
link_prefix(const struct req *r)
{
	const char *base = r->conf->short_link_base != NULL ? r->conf->short_link_base : "";
	size_t n = strlen(base);
	char *s;

	while (n > 0 && base[n - 1] == '/')
		n--;
	if ((s = malloc(n + 2)) == NULL)
		return NULL;
	memcpy(s, base, n);
	s[n] = '/';
	s[n + 1] = '\0';
	return s;
}

enum db_rc
affiliate_link_read(struct req *r, int64_t id, struct json_object **out)
{
	static const char sel[] =
	    "SELECT l.id, l.url, l.original_url, CONCAT(?, l.id) AS mtpc_url, l.user_id,"
	    " l.country, l.provider, s.id AS `advertiser.id`, s.name AS `advertiser.name`"
	    " FROM affiliate_links l JOIN stores s ON s.id = l.store_id WHERE l.id = ?";
	struct json_object *rows = NULL;
	char *prefix;
	enum db_rc rc;

	*out = NULL;
	if ((prefix = link_prefix(r)) == NULL)
		return DB_ERROR;
	struct db_param p[] = { DB_STR(prefix, strlen(prefix)), DB_INT(id) };
	rc = db_select(sel, p, VALID_COUNT(p), &rows);
	free(prefix);
	if (rc == DB_OK && json_object_array_length(rows) > 0)
		*out = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	return rc;
}

/* ---------------------------------------------------------------- */
/* POST /v2/affiliate-links                                          */
/* ---------------------------------------------------------------- */

enum { F_URL, F_ADVERTISER, F_GROUP, F_PREVIEW, F_DRY };

static const struct valid_field create_fields[] = {
	[F_URL] = { .name = "url", .type = &valid_url, .flags = V_REQUIRED },
	[F_ADVERTISER] = { .name = "advertiser_id", .type = &valid_int, .flags = V_MIN,
	    .min = 1, .exists = "stores" },
	[F_GROUP] = { .name = "advertiser_group_id", .type = &valid_int, .flags = V_MIN,
	    .min = 1, .exists = "store_groups" },
	[F_PREVIEW] = { .name = "advertiser_preview", .type = &valid_bool },
	[F_DRY] = { .name = "dry", .type = &valid_bool },
};

/*
 * The market the caller makes links in (0: any). A creator's is the store
 * group of their client: advertiser_group_id may only repeat it. A user
 * without one (an admin, a store member, a client without a market)
 * names it with advertiser_group_id, or matches stores of every market.
 */
static enum api_err
link_market(struct req *r, int64_t *group)
{
	const struct valid_value *g = &r->vals[F_GROUP];
	struct db_param p[] = { DB_INT(r->caller.client_id) };
	int64_t own = 0;
	bool found = false;
	enum db_rc rc;

	*group = g->present ? g->i : 0;
	if (r->caller.client_id == 0)
		return API_OK;
	rc = db_select_int("SELECT COALESCE(store_group_id, 0) FROM clients WHERE id = ?", p, 1,
	    &own, &found);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (!found || own == 0)
		return API_OK;
	if (g->present && g->i != own) {
		http_validation_error(r, "advertiser_group_id",
		    "The selected advertiser group id is invalid.");
		return API_VALIDATION;
	}
	*group = own;
	return API_OK;
}

/* Whether user uid, or one of their tags, is on store_id's blocklist. */
static enum api_err
link_blocked(int64_t store_id, int64_t uid, bool *blocked)
{
	struct sql q = { 0 };
	struct json_object *rows = NULL;
	enum db_rc rc;

	*blocked = true;
	sql_int(&q, "SELECT s.id FROM stores s WHERE s.id = ?", store_id);
	target_not_blocked(&q, "s.id", uid);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return db_api_err(rc);
	*blocked = json_object_array_length(rows) == 0;
	json_object_put(rows);
	return API_OK;
}

/*
 * The link a dry run would make, as affiliate_link_read() shows a made
 * one, with id and mtpc_url null: into *out (new), NULL if the store is
 * gone.
 */
static enum api_err
link_dry(struct req *r, int64_t store_id, struct json_object **out)
{
	static const char sel[] =
	    "SELECT s.country, s.affiliate_provider AS provider, s.id AS `advertiser.id`,"
	    " s.name AS `advertiser.name` FROM stores s WHERE s.id = ?";
	static const char *const store_keys[] = { "country", "provider", "advertiser" };
	const struct valid_value *url = &r->vals[F_URL];
	struct db_param p[] = { DB_INT(store_id) };
	struct json_object *rows = NULL, *row, *o = NULL, *v;
	enum api_err e = API_OK;
	enum db_rc rc;

	*out = NULL;
	if ((rc = db_select(sel, p, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0)
		goto out;
	row = json_object_array_get_idx(rows, 0);
	if ((o = json_object_new_object()) == NULL) {
		e = API_SERVER;
		goto out;
	}
	json_object_object_add(o, "id", NULL);
	json_object_object_add(o, "url", json_object_new_string_len(url->s, (int)url->len));
	json_object_object_add(o, "original_url",
	    json_object_new_string_len(url->s, (int)url->len));
	json_object_object_add(o, "mtpc_url", NULL);
	json_object_object_add(o, "user_id", json_object_new_int64(r->caller.id));
	for (size_t i = 0; i < VALID_COUNT(store_keys); i++) {
		v = NULL;
		json_object_object_get_ex(row, store_keys[i], &v);
		json_object_object_add(o, store_keys[i], json_object_get(v));
	}
	*out = o;
out:
	json_object_put(rows);
	return e;
}

/*
 * advertiser_preview: the link's "advertiser" becomes the store's details
 * and the creator's commission on its orders, stores.commission_rate (the
 * store's default creator commission, a fraction of the order value; null
 * when the store has none).
 */
static enum api_err
link_preview(struct json_object *link, int64_t store_id)
{
	static const char sel[] =
	    "SELECT s.id, s.name, s.logo_url, s.country, s.currency, s.language,"
	    " s.store_group_id AS advertiser_group_id, s.commission_rate"
	    " FROM stores s WHERE s.id = ?";
	struct db_param p[] = { DB_INT(store_id) };
	struct json_object *rows = NULL;
	enum db_rc rc;

	if ((rc = db_select(sel, p, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) > 0)
		json_object_object_add(link, "advertiser",
		    json_object_get(json_object_array_get_idx(rows, 0)));
	json_object_put(rows);
	return API_OK;
}

struct create_ctx {
	int64_t store_id;
	bool preview;
};

/* The write of POST: the link, then its answer read in the transaction. */
static enum api_err
link_create(struct req *r, void *arg)
{
	const struct create_ctx *c = arg;
	const struct valid_value *url = &r->vals[F_URL];
	struct json_object *link = NULL;
	enum api_err e;
	enum db_rc rc;
	int64_t id;

	rc = affiliate_link_insert(r->caller.id, c->store_id, 0, url->s, url->len, &id);
	if (rc == DB_OK)
		rc = affiliate_link_read(r, id, &link);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (link == NULL)
		return API_SERVER;
	if (c->preview && (e = link_preview(link, c->store_id)) != API_OK) {
		json_object_put(link);
		return e;
	}
	http_set_json(r, 201, link);
	return API_OK;
}

/* The advertisers a URL matches, for the app to choose one: 200. */
static enum api_err
link_choices(struct req *r, struct json_object *stores)
{
	struct json_object *body;

	if ((body = json_object_new_object()) == NULL)
		return API_SERVER;
	json_object_object_add(body, "advertisers", json_object_get(stores));
	http_set_json(r, 200, body);
	return API_OK;
}

static enum api_err
links_create(struct req *r)
{
	const struct valid_value *url = &r->vals[F_URL], *adv = &r->vals[F_ADVERTISER];
	struct json_object *stores = NULL, *link = NULL;
	struct create_ctx ctx = { 0, r->vals[F_PREVIEW].present && r->vals[F_PREVIEW].b };
	enum api_err e;
	enum db_rc rc;
	int64_t group;
	size_t n;
	bool blocked = true;

	if ((e = link_market(r, &group)) != API_OK)
		return e;
	if ((rc = affiliate_match(url->s, url->len, group, &stores)) != DB_OK)
		return db_api_err(rc);
	if ((n = json_object_array_length(stores)) == 0) {
		http_validation_error(r, "url", "The url does not belong to any advertiser.");
		e = API_VALIDATION;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t id = json_object_get_int64(json_object_object_get(
		    json_object_array_get_idx(stores, i), "id"));

		if (adv->present ? id == adv->i : n == 1)
			ctx.store_id = id;
	}
	if (ctx.store_id == 0 && adv->present) {
		http_validation_error(r, "advertiser_id", "The selected advertiser id is invalid.");
		e = API_VALIDATION;
		goto out;
	}
	if (ctx.store_id == 0) {
		e = link_choices(r, stores);
		goto out;
	}
	if ((e = link_blocked(ctx.store_id, r->caller.id, &blocked)) != API_OK)
		goto out;
	if (blocked) {
		e = API_FORBIDDEN;
		goto out;
	}
	if (!(r->vals[F_DRY].present && r->vals[F_DRY].b)) {
		e = tx_run(r, 0, link_create, &ctx);
		goto out;
	}
	if ((e = link_dry(r, ctx.store_id, &link)) != API_OK)
		goto out;
	if (link == NULL) {
		e = API_NOT_FOUND;	/* the store went away meanwhile */
		goto out;
	}
	if (ctx.preview && (e = link_preview(link, ctx.store_id)) != API_OK)
		goto out;
	http_set_json(r, 200, link);
	link = NULL;
out:
	json_object_put(link);
	json_object_put(stores);
	return e;
}

const struct handler h_affiliate_links_create = HANDLER(links_create, create_fields);

/* ---------------------------------------------------------------- */
/* GET /v2/affiliate-links/{id}                                      */
/* ---------------------------------------------------------------- */

static enum api_err
links_show(struct req *r)
{
	struct json_object *link = NULL;
	enum db_rc rc;

	if ((rc = affiliate_link_read(r, r->scope.id, &link)) != DB_OK)
		return db_api_err(rc);
	if (link == NULL)
		return API_NOT_FOUND;
	http_set_json(r, 200, link);
	return API_OK;
}

const struct handler h_affiliate_links_show = HANDLER_NO_INPUT(links_show);
