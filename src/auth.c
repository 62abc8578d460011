/*
 * auth.c -- JWT verification (libjwt) and the caller's rights.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jwt.h>

#include "auth.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "router.h"
#include "scope.h"
#include "util.h"

static const jwt_alg_t alg_of[CONF_JWT__MAX] = {
	[CONF_JWT_HS256] = JWT_ALG_HS256,
	[CONF_JWT_RS256] = JWT_ALG_RS256,
	[CONF_JWT_ES256] = JWT_ALG_ES256,
};

/* A numeric claim; false when missing or not an integer. */
static bool
grant_int(jwt_t *jwt, const char *name, long *out)
{
	char *json = jwt_get_grants_json(jwt, name);
	struct json_object *j = NULL;
	bool ok = false;

	/* libjwt cannot tell 0 from a string; read the claim's JSON. */
	if (json == NULL)
		return false;
	if (http_parse_json(json, strlen(json), 4, &j) == 0 &&
	    json_object_is_type(j, json_type_int)) {
		*out = (long)json_object_get_int64(j);
		ok = true;
	}
	json_object_put(j);
	free(json);
	return ok;
}

/* header.payload.signature, each part non-empty base64url. */
static bool
segments_ok(const char *tok)
{
	int seg = 0;
	size_t len = 0;

	for (const char *c = tok;; c++) {
		if (*c == '.' || *c == '\0') {
			if (len == 0)
				return false;
			seg++;
			len = 0;
			if (*c == '\0')
				break;
			continue;
		}
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '='))
			return false;
		len++;
	}
	return seg == 3;
}

/* The audience claim: a string, or an array that must contain want. */
static bool
audience_ok(jwt_t *jwt, const char *want)
{
	char *json = jwt_get_grants_json(jwt, "aud");
	struct json_object *j = NULL;
	bool ok = false;

	if (json == NULL)
		return false;
	if (http_parse_json(json, strlen(json), 4, &j) == 0) {
		if (json_object_is_type(j, json_type_string))
			ok = strcmp(json_object_get_string(j), want) == 0;
		else if (json_object_is_type(j, json_type_array))
			for (size_t i = 0; i < json_object_array_length(j); i++) {
				struct json_object *a = json_object_array_get_idx(j, i);
				if (json_object_is_type(a, json_type_string) &&
				    strcmp(json_object_get_string(a), want) == 0)
					ok = true;
			}
	}
	json_object_put(j);
	free(json);
	return ok;
}

/*
 * The cap on a token's lifetime, jwt_max_ttl (0: none): exp no further than
 * that from now (plus the leeway, for clock skew) nor, when the token has
 * an `iat`, from its iat; an iat that is not an integer is refused. No sum
 * involving a claim is computed, so no value in a token can overflow.
 */
static bool
lifetime_ok(const struct conf *c, jwt_t *jwt, long exp, time_t now)
{
	char *raw;
	long iat;

	if (c->jwt_max_ttl <= 0)
		return true;
	if (exp > (long)now + c->jwt_leeway + c->jwt_max_ttl)
		return false;
	if ((raw = jwt_get_grants_json(jwt, "iat")) == NULL)
		return true;
	free(raw);
	if (!grant_int(jwt, "iat", &iat))
		return false;
	/* exp - iat <= max_ttl; exp >= now - leeway here, so no overflow. */
	return iat >= exp - c->jwt_max_ttl;
}

/*
 * Verified tokens, per process: decoding a token (base64, JSON, HMAC or a
 * signature) is the largest part of a small request. A token is looked
 * up by its whole text and the configuration's key and claims rules; a
 * hit re-checks what depends on the time (exp, nbf, the longest
 * lifetime) and nothing else can change, since the text is the same.
 * Only tokens that passed are kept; the least recently used goes.
 */
#define TOKEN_CACHE 64
#define TOKEN_CACHE_MAX_LEN 2048	/* longer tokens are verified every time */

struct token_entry {
	uint64_t hash;		/* of the token, 0 for a free slot */
	uint64_t conf;		/* the configuration it was verified under */
	char tok[TOKEN_CACHE_MAX_LEN + 1];
	size_t len;
	int64_t sub;
	long exp;
	bool has_nbf;
	long nbf;
	uint64_t used;
};

static struct token_entry *token_cache;
static uint64_t token_clock;

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

/* What a verification depends on in the configuration, as a number. */
static uint64_t
conf_print(const struct conf *c)
{
	uint64_t h = 1469598103934665603ull;
	int alg = (int)c->jwt_alg;

	h = fnv(h, &alg, sizeof(alg));
	h = fnv(h, c->jwt_key, c->jwt_key_len);
	h = fnv(h, "\0i", 2);
	if (c->jwt_issuer != NULL)
		h = fnv(h, c->jwt_issuer, strlen(c->jwt_issuer));
	h = fnv(h, "\0a", 2);
	if (c->jwt_audience != NULL)
		h = fnv(h, c->jwt_audience, strlen(c->jwt_audience));
	return h;
}

/* The time checks of auth_verify() for a token's exp and nbf. */
static bool
times_ok(const struct conf *c, long exp, bool has_nbf, long nbf, time_t now)
{
	if (exp < (long)now - c->jwt_leeway)
		return false;
	if (c->jwt_max_ttl > 0 && exp > (long)now + c->jwt_leeway + c->jwt_max_ttl)
		return false;
	return !has_nbf || now + c->jwt_leeway >= nbf;
}

static struct token_entry *
cache_find(uint64_t h, uint64_t cp, const char *tok, size_t n)
{
	if (token_cache == NULL)
		return NULL;
	for (int i = 0; i < TOKEN_CACHE; i++) {
		struct token_entry *e = &token_cache[i];
		if (e->hash == h && e->conf == cp && e->len == n && memcmp(e->tok, tok, n) == 0)
			return e;
	}
	return NULL;
}

static void
cache_put(uint64_t h, uint64_t cp, const char *tok, size_t n, int64_t sub, long exp,
    bool has_nbf, long nbf)
{
	struct token_entry *e, *victim;

	if (n > TOKEN_CACHE_MAX_LEN)
		return;
	if (token_cache == NULL &&
	    (token_cache = calloc(TOKEN_CACHE, sizeof(*token_cache))) == NULL)
		return;	/* no cache: every token verified, as before */
	victim = &token_cache[0];
	for (int i = 0; i < TOKEN_CACHE; i++) {
		e = &token_cache[i];
		if (e->hash == 0) {
			victim = e;
			break;
		}
		if (e->used < victim->used)
			victim = e;
	}
	victim->hash = h;
	victim->conf = cp;
	memcpy(victim->tok, tok, n);
	victim->tok[n] = '\0';
	victim->len = n;
	victim->sub = sub;
	victim->exp = exp;
	victim->has_nbf = has_nbf;
	victim->nbf = nbf;
	victim->used = ++token_clock;
}

void
auth_cache_clear(void)
{
	free(token_cache);
	token_cache = NULL;
	token_clock = 0;
}

enum api_err
auth_verify(const struct conf *c, const char *header, time_t now, int64_t *sub)
{
	jwt_t *jwt = NULL;
	const char *tok, *s;
	char *raw;
	long exp, nbf, num;
	enum api_err e = API_UNAUTHENTICATED;
	size_t n;

	if (header == NULL || c->jwt_key == NULL || c->jwt_key_len == 0)
		return API_UNAUTHENTICATED;
	tok = header;
	if (strncasecmp(tok, "Bearer ", 7) == 0)
		tok += 7;
	while (*tok == ' ')
		tok++;
	n = strlen(tok);
	if (n == 0 || n > 8192)
		return API_UNAUTHENTICATED;
	/*
	 * Three non-empty segments, or libjwt 1.10 reads and writes a byte
	 * past a 0-byte allocation (an empty header or payload segment).
	 */
	if (!segments_ok(tok))
		return API_UNAUTHENTICATED;
	uint64_t h = fnv(1469598103934665603ull, tok, n) | 1, cp = conf_print(c);
	struct token_entry *hit = cache_find(h, cp, tok, n);
	if (hit != NULL) {
		if (!times_ok(c, hit->exp, hit->has_nbf, hit->nbf, now))
			return API_UNAUTHENTICATED;
		hit->used = ++token_clock;
		*sub = hit->sub;
		return API_OK;
	}
	bool has_nbf = false;
	nbf = 0;
	/* Never decode with an empty key: libjwt then accepts anything. */
	if (jwt_decode(&jwt, tok, c->jwt_key, (int)c->jwt_key_len) != 0 || jwt == NULL)
		goto out;
	if (jwt_get_alg(jwt) != alg_of[c->jwt_alg])
		goto out;
	/* Not now > exp + leeway: the token's exp + leeway can overflow. */
	if (!grant_int(jwt, "exp", &exp) || exp < (long)now - c->jwt_leeway ||
	    !lifetime_ok(c, jwt, exp, now))
		goto out;
	/* nbf is optional, but when present it must be a number. */
	if ((raw = jwt_get_grants_json(jwt, "nbf")) != NULL) {
		free(raw);
		if (!grant_int(jwt, "nbf", &nbf) || now + c->jwt_leeway < nbf)
			goto out;
		has_nbf = true;
	}
	if (c->jwt_issuer != NULL && *c->jwt_issuer &&
	    ((s = jwt_get_grant(jwt, "iss")) == NULL || strcmp(s, c->jwt_issuer) != 0))
		goto out;
	if (c->jwt_audience != NULL && *c->jwt_audience && !audience_ok(jwt, c->jwt_audience))
		goto out;
	if ((s = jwt_get_grant(jwt, "sub")) != NULL) {
		if (util_parse_int64(s, strlen(s), sub) == -1 || *sub <= 0 || s[0] == '0')
			goto out;
	} else if (grant_int(jwt, "sub", &num) && num > 0)
		*sub = num;
	else
		goto out;
	e = API_OK;
	cache_put(h, cp, tok, n, *sub, exp, has_nbf, nbf);
out:
	jwt_free(jwt);
	return e;
}

/* The caller's own columns; the scope's come after them. */
#define CALLER_COLUMNS \
	"SELECT u.id, u.is_admin, u.client_id, " \
	"(SELECT GROUP_CONCAT(m.store_id ORDER BY m.store_id SEPARATOR ',')" \
	" FROM store_users m WHERE m.user_id = u.id) AS stores, " \
	"(SELECT COUNT(*) FROM store_users m WHERE m.user_id = u.id) AS nstores"

#define SCOPE_COLUMNS \
	", sc.id AS scope_id, sc.store_id AS scope_store, sc.owner_id AS scope_owner, " \
	"sc.author_id AS scope_author, " \
	"EXISTS (SELECT 1 FROM store_users m WHERE m.user_id = u.id" \
	" AND m.store_id = sc.store_id) AS scope_member"

static int64_t
row_int(struct json_object *row, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(row, key, &v) && v != NULL ?
	    json_object_get_int64(v) : 0;
}

/* Parses the comma-separated store ids into r->caller; -1 when cut short. */
static int
read_stores(struct req *r, struct json_object *row)
{
	struct json_object *v;
	const char *list, *c;
	int64_t want = row_int(row, "nstores");

	if (want == 0)
		return 0;
	if (!json_object_object_get_ex(row, "stores", &v) || v == NULL)
		return -1;
	if ((r->caller.stores = calloc((size_t)want, sizeof(int64_t))) == NULL)
		return -1;
	list = json_object_get_string(v);
	for (c = list; *c && (int64_t)r->caller.nstores < want; ) {
		int64_t id = 0;
		size_t len = strcspn(c, ",");
		if (util_parse_int64(c, len, &id) == -1)
			return -1;
		r->caller.stores[r->caller.nstores++] = id;
		c += len;
		if (*c == ',')
			c++;
	}
	/*
	 * A list cut by group_concat_max_len would end in a partial id:
	 * every id must be there, whole, or the request fails.
	 */
	return (int64_t)r->caller.nstores == want && *c == '\0' ? 0 : -1;
}

enum api_err
auth_load_caller(struct req *r, int64_t sub)
{
	struct sql q = { 0 }, join = { 0 };
	struct json_object *rows = NULL, *row, *v;
	bool scoped = r->route != NULL && r->route->scope != SCOPE_NONE;
	enum api_err e, bad_path = API_OK;
	enum db_rc rc;

	/* A path that cannot name an object is a 404, after the caller. */
	if (scoped && (bad_path = scope_join(r, &join)) != API_OK)
		scoped = false;
	sql_add(&q, CALLER_COLUMNS);
	if (scoped) {
		sql_add(&q, SCOPE_COLUMNS);
		scope_participant_column(r, sub, &q);
	}
	sql_add(&q, " FROM users u");
	if (scoped)
		sql_append(&q, &join);
	sql_int(&q, " WHERE u.id = ? AND u.deleted_at IS NULL", sub);
	rc = db_select_sql(&q, &rows);
	sql_free(&join);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_UNAUTHENTICATED;
	}
	row = json_object_array_get_idx(rows, 0);
	r->caller.id = sub;
	r->caller.admin = json_object_object_get_ex(row, "is_admin", &v) &&
	    json_object_get_boolean(v);
	r->caller.client_id = row_int(row, "client_id");
	if (read_stores(r, row) == -1) {
		log_error("rid=%s the store list of user %lld is incomplete", r->id,
		    (long long)sub);
		json_object_put(rows);
		return API_SERVER;
	}
	r->authenticated = true;
	e = API_OK;
	r->scope_result = bad_path;
	if (scoped)
		r->scope_result = scope_decide(r,
		    json_object_object_get_ex(row, "scope_id", &v) && v != NULL,
		    row_int(row, "scope_id"), row_int(row, "scope_store"),
		    row_int(row, "scope_owner"), row_int(row, "scope_author"),
		    row_int(row, "scope_member") != 0, row_int(row, "scope_participant") != 0);
	json_object_put(rows);
	return e;
}

enum api_err
auth_check_access(const struct req *r)
{
	switch (r->route->access) {
	case ACC_ADMIN:
		return r->caller.admin ? API_OK : API_FORBIDDEN;
	case ACC_STORE:
		return r->caller.admin || r->caller.nstores > 0 ? API_OK : API_FORBIDDEN;
	default:
		return API_OK;
	}
}

bool
auth_can_manage_store(const struct caller *c, int64_t store_id)
{
	if (c->admin)
		return true;
	for (size_t i = 0; i < c->nstores; i++)
		if (c->stores[i] == store_id)
			return true;
	return false;
}

char *
auth_make_token(const struct conf *c, int64_t sub, long ttl, time_t now, char *err,
    size_t errsz)
{
	jwt_t *jwt = NULL;
	unsigned char *key = NULL;
	size_t klen = 0;
	char subs[24], *out = NULL;

	if (c->jwt_alg == CONF_JWT_HS256) {
		key = c->jwt_key;
		klen = c->jwt_key_len;
	} else {
		if (c->jwt_private_key_file == NULL ||
		    (key = conf_read_file(c->jwt_private_key_file, &klen)) == NULL) {
			snprintf(err, errsz, "jwt_private_key_file is needed to sign %s tokens",
			    c->jwt_alg == CONF_JWT_RS256 ? "RS256" : "ES256");
			return NULL;
		}
	}
	snprintf(subs, sizeof(subs), "%lld", (long long)sub);
	if (jwt_new(&jwt) != 0 ||
	    jwt_add_grant(jwt, "sub", subs) != 0 ||
	    jwt_add_grant_int(jwt, "iat", (long)now) != 0 ||
	    jwt_add_grant_int(jwt, "exp", (long)(now + ttl)) != 0 ||
	    (c->jwt_issuer && *c->jwt_issuer && jwt_add_grant(jwt, "iss", c->jwt_issuer) != 0) ||
	    (c->jwt_audience && *c->jwt_audience &&
	    jwt_add_grant(jwt, "aud", c->jwt_audience) != 0) ||
	    jwt_set_alg(jwt, alg_of[c->jwt_alg], key, (int)klen) != 0 ||
	    (out = jwt_encode_str(jwt)) == NULL)
		snprintf(err, errsz, "cannot sign the token: %s", strerror(errno));
	jwt_free(jwt);
	if (key != c->jwt_key)
		free(key);
	return out;
}
