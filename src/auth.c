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
	/* Never decode with an empty key: libjwt then accepts anything. */
	if (jwt_decode(&jwt, tok, c->jwt_key, (int)c->jwt_key_len) != 0 || jwt == NULL)
		goto out;
	if (jwt_get_alg(jwt) != alg_of[c->jwt_alg])
		goto out;
	if (!grant_int(jwt, "exp", &exp) || now > exp + c->jwt_leeway)
		goto out;
	/* nbf is optional, but when present it must be a number. */
	if ((raw = jwt_get_grants_json(jwt, "nbf")) != NULL) {
		free(raw);
		if (!grant_int(jwt, "nbf", &nbf) || now + c->jwt_leeway < nbf)
			goto out;
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
out:
	jwt_free(jwt);
	return e;
}

enum api_err
auth_load_caller(struct req *r, int64_t sub)
{
	static const char sql_user[] =
	    "SELECT u.id, u.is_admin, u.client_id, "
	    "GROUP_CONCAT(su.store_id ORDER BY su.store_id SEPARATOR ',') AS stores "
	    "FROM users u LEFT JOIN store_users su ON su.user_id = u.id "
	    "WHERE u.id = ? AND u.deleted_at IS NULL GROUP BY u.id";
	struct db_param p[] = { DB_INT(sub) };
	struct json_object *rows, *row, *v;
	const char *list, *c;
	enum db_rc rc;
	size_t n = 0;

	if ((rc = db_select(sql_user, p, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_UNAUTHENTICATED;
	}
	row = json_object_array_get_idx(rows, 0);
	r->caller.id = sub;
	r->caller.admin = json_object_object_get_ex(row, "is_admin", &v) &&
	    json_object_get_boolean(v);
	r->caller.client_id = json_object_object_get_ex(row, "client_id", &v) && v ?
	    json_object_get_int64(v) : 0;
	if (json_object_object_get_ex(row, "stores", &v) && v != NULL) {
		list = json_object_get_string(v);
		for (c = list; *c; c++)
			if (*c == ',')
				n++;
		n++;
		if ((r->caller.stores = calloc(n, sizeof(int64_t))) == NULL) {
			json_object_put(rows);
			return API_SERVER;
		}
		for (c = list; *c; ) {
			int64_t id = 0;
			size_t len = strcspn(c, ",");
			if (util_parse_int64(c, len, &id) == 0)
				r->caller.stores[r->caller.nstores++] = id;
			c += len;
			if (*c == ',')
				c++;
		}
	}
	json_object_put(rows);
	r->authenticated = true;
	return API_OK;
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
