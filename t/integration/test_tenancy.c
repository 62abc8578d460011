/*
 * test_tenancy.c -- who may call what, over the whole route table: the
 * admin-only and store-only routes refuse everyone else with the
 * documented body, the forged-token set is refused on every route, and
 * writes with extra fields never set columns the handler does not name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "client.h"

struct row {
	char methods[32];
	char pattern[160];
};

static int
load_routes(struct row *rows, int max)
{
	const char *top = getenv("top_srcdir");
	char path[1024], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/t/data/endpoints.tsv", top ? top : ".");
	cr_assert_not_null(f = fopen(path, "r"));
	cr_assert_not_null(fgets(line, sizeof(line), f));
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		char *m = strtok(line, "\t"), *p = strtok(NULL, "\t");
		snprintf(rows[n].methods, sizeof(rows[n].methods), "%s", m);
		snprintf(rows[n].pattern, sizeof(rows[n].pattern), "%s", p);
		n++;
	}
	fclose(f);
	return n;
}

/* A concrete path: every {param} becomes v. */
static void
concrete(const char *pattern, const char *v, char *out, size_t sz)
{
	size_t k = 0;

	for (const char *c = pattern; *c && k + strlen(v) + 1 < sz; c++) {
		if (*c == '{') {
			k += (size_t)snprintf(out + k, sz - k, "%s", v);
			c = strchr(c, '}');
		} else
			out[k++] = *c;
	}
	out[k] = '\0';
}

/*
 * Sends every route of the published list, with each of toks[0..n), and
 * expects the documented 401 each time. Returns the number of requests.
 */
static int
refused_on_every_route(char *const *toks, int n)
{
	struct row rows[80];
	char url[256];
	int nr = load_routes(rows, 80), sent = 0;

	for (int i = 0; i < nr; i++) {
		concrete(rows[i].pattern, "1", url, sizeof(url));
		for (char *m = strtok(rows[i].methods, ","); m; m = strtok(NULL, ","))
			for (int k = 0; k < n; k++) {
				struct resp r = req(m, url, toks[k], m[0] == 'G' ? NULL : "{}");
				cr_expect_eq(r.status, 401, "%s %s token %d: %ld", m, url, k, r.status);
				cr_expect_str_eq(r.body, error_body(401));
				resp_free(&r);
				sent++;
			}
	}
	return sent;
}

/* Admin only, as SPEC.md lists them. */
static bool
admin_only(const char *method, const char *p)
{
	return strcmp(p, "/v2/clients") == 0 || strcmp(p, "/v2/users") == 0 ||
	    strcmp(p, "/v2/match-users") == 0 || strncmp(p, "/v2/payments/", 13) == 0 ||
	    strcmp(p, "/v2/advertiser-groups") == 0 || strcmp(p, "/v2/user-media") == 0 ||
	    (strncmp(p, "/v2/return-ads", 14) == 0 && strcmp(method, "GET") != 0);
}

Test(tenancy, admin_only_routes_refuse_everyone_else)
{
	struct row rows[80];
	int n = load_routes(rows, 80), checked = 0;
	char url[256];

	for (int i = 0; i < n; i++) {
		concrete(rows[i].pattern, "1", url, sizeof(url));
		for (char *m = strtok(rows[i].methods, ","); m; m = strtok(NULL, ",")) {
			if (!admin_only(m, rows[i].pattern))
				continue;
			for (int u = 2; u <= 5; u++) {
				struct resp r = req(m, url, tok(u), m[0] == 'G' ? NULL : "{}");
				cr_expect_eq(r.status, 403, "%s %s as %d: %ld", m, url, u, r.status);
				cr_expect_str_eq(r.body, error_body(403));
				resp_free(&r);
				checked++;
			}
		}
	}
	cr_expect_geq(checked, 4 * 12);
}

Test(tenancy, store_routes_refuse_creators)
{
	static const char *const store_only[][2] = {
		{ "GET", "/v2/advertisers/1/blocklist" }, { "POST", "/v2/advertisers/1/blocklist" },
		{ "DELETE", "/v2/advertisers/1/blocklist/1" }, { "GET", "/v2/user-tags" },
		{ "GET", "/v2/stores" }, { "GET", "/v2/offers" }, { "GET", "/v2/offers/1" },
		{ "GET", "/v2/stores/1/shared-budgets" }, { "GET", "/v2/return-ads" },
		{ "GET", "/v2/offers/1/participants" },
	};
	for (size_t i = 0; i < sizeof(store_only) / sizeof(store_only[0]); i++)
		for (int u = 3; u <= 5; u += 2) {
			struct resp r = req(store_only[i][0], store_only[i][1], tok(u),
			    store_only[i][0][0] == 'P' ? "{}" : NULL);
			cr_expect_eq(r.status, 403, "%s %s as %d", store_only[i][0], store_only[i][1], u);
			cr_expect_str_eq(r.body, error_body(403));
			resp_free(&r);
		}
}

Test(tenancy, forged_tokens_on_every_route)
{
	int sent = 0;
	long now = (long)time(NULL);
	char claims[8][160];
	char *toks[12];
	int nt = 0;

	snprintf(claims[0], sizeof(claims[0]), "{\"sub\":\"1\",\"exp\":%ld}", now - 100);
	snprintf(claims[1], sizeof(claims[1]), "{\"sub\":\"1\",\"exp\":%ld,\"nbf\":%ld}", now + 900,
	    now + 600);
	snprintf(claims[2], sizeof(claims[2]), "{\"sub\":\"1\"}");
	snprintf(claims[3], sizeof(claims[3]), "{\"sub\":\"888888\",\"exp\":%ld}", now + 900);
	snprintf(claims[4], sizeof(claims[4]), "{\"sub\":\"one\",\"exp\":%ld}", now + 900);
	for (int i = 0; i < 5; i++)
		toks[nt++] = tok_claims("HS256", claims[i]);
	toks[nt++] = tok_claims("HS384", claims[3] + 0);
	toks[nt++] = strdup("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwiZXhwIjo0MTAyNDQ0ODAwfQ.");
	char *t = strdup(tok(1));
	t[strlen(t) - 4] = t[strlen(t) - 4] == 'x' ? 'y' : 'x';
	toks[nt++] = t;

	sent = refused_on_every_route(toks, nt);
	for (int k = 0; k < nt; k++)
		free(toks[k]);
	cr_expect_geq(sent, 62 * 8);
}

Test(tenancy, no_mass_assignment)
{
	char *before = sql("SELECT is_admin FROM users WHERE id = 2");
	struct resp r = req("POST", "/v2/advertisers/1/blocklist?store_id=2", tok(2),
	    "{\"user_ids\":[9],\"id\":777777,\"store_id\":2,\"created_by\":1,\"is_admin\":true,"
	    "\"created_at\":\"2000-01-01 00:00:00\",\"user_tag_ids\":[],\"advertiser_id\":2}");

	cr_assert_eq(r.status, 201, "%s", r.body);
	char *row = sql("SELECT CONCAT_WS(',', id <> 777777, store_id, created_by, "
	    "created_at > '2001-01-01') FROM blocklist_entries WHERE user_id = 9 AND store_id = 1");
	cr_expect_str_eq(row, "1,1,2,1", "id, store_id, created_by, created_at are the server's");
	char *other = sql("SELECT COUNT(*) FROM blocklist_entries WHERE user_id = 9 AND store_id = 2");
	cr_expect_str_eq(other, "0", "nothing written to store 2");
	char *after = sql("SELECT is_admin FROM users WHERE id = 2");
	cr_expect_str_eq(after, before);
	resp_free(&r);
	free(sql("DELETE FROM blocklist_entries WHERE user_id = 9 AND store_id = 1"));
	free(before);
	free(after);
	free(row);
	free(other);
}

#include <jwt.h>
#include <unistd.h>

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void
write_all(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* "Bearer <jwt>" for claims, signed with alg and key. */
static char *
sign_with(jwt_alg_t alg, const char *key, size_t klen, const char *claims)
{
	jwt_t *jwt = NULL;
	char *t, *out;

	cr_assert_eq(jwt_new(&jwt), 0);
	cr_assert_eq(jwt_add_grants_json(jwt, claims), 0);
	cr_assert_eq(jwt_set_alg(jwt, alg, (const unsigned char *)key, (int)klen), 0);
	cr_assert_not_null(t = jwt_encode_str(jwt));
	jwt_free(jwt);
	out = malloc(strlen(t) + 8);
	sprintf(out, "Bearer %s", t);
	free(t);
	return out;
}

static bool
accepted(const char *auth)
{
	struct resp r = req("GET", "/v2/store-categories", auth, NULL);
	bool ok = r.status == 200;

	resp_free(&r);
	return ok;
}

Test(tenancy, forged_tokens_with_rs256_issuer_and_audience)
{
	const char *top = getenv("top_srcdir");
	char conf_path[512], path[512], claims[6][256], *cfg, *newcfg;
	size_t publen, privlen;
	long now = (long)time(NULL);

	snprintf(conf_path, sizeof(conf_path), "%s/metapic.conf", getenv("METAPIC_DIR"));
	cfg = read_all(conf_path, NULL);
	snprintf(path, sizeof(path), "%s/t/data/test-rsa.pub.pem", top);
	char *pub = read_all(path, &publen);
	snprintf(path, sizeof(path), "%s/t/data/test-rsa.pem", top);
	char *priv = read_all(path, &privlen);

	newcfg = malloc(strlen(cfg) + 1024);
	sprintf(newcfg, "%s\njwt_algorithm = RS256\njwt_public_key_file = %s/t/data/test-rsa.pub.pem\n"
	    "jwt_issuer = https://auth.metapic.test\njwt_audience = metapic-api\n", cfg, top);
	write_all(conf_path, newcfg);
	cr_assert_eq(harness("pool-reload", NULL), 0);

	snprintf(claims[0], 256, "{\"sub\":\"1\",\"exp\":%ld,\"iss\":\"https://auth.metapic.test\","
	    "\"aud\":\"metapic-api\"}", now + 900);
	char *good = sign_with(JWT_ALG_RS256, priv, privlen, claims[0]);
	bool took = false;
	for (int i = 0; i < 50 && !took; i++) {
		took = accepted(good);
		if (!took)
			usleep(100000);
	}
	cr_expect(took, "a right RS256 token is accepted after the reload");

	snprintf(claims[1], 256, "{\"sub\":\"1\",\"exp\":%ld,\"iss\":\"https://evil.test\","
	    "\"aud\":\"metapic-api\"}", now + 900);
	snprintf(claims[2], 256, "{\"sub\":\"1\",\"exp\":%ld,\"iss\":\"https://auth.metapic.test\","
	    "\"aud\":\"someone-else\"}", now + 900);
	snprintf(claims[3], 256, "{\"sub\":\"1\",\"exp\":%ld,\"aud\":\"metapic-api\"}", now + 900);
	snprintf(claims[4], 256, "{\"sub\":\"1\",\"exp\":%ld,\"iss\":\"https://auth.metapic.test\"}",
	    now + 900);
	char *forged[8];
	int nf = 0;
	/* The classic confusion: HS256 keyed with the RS256 public key. */
	forged[nf++] = sign_with(JWT_ALG_HS256, pub, publen, claims[0]);
	for (int i = 1; i <= 4; i++)
		forged[nf++] = sign_with(JWT_ALG_RS256, priv, privlen, claims[i]);
	forged[nf++] = strdup(tok(1));	/* the HS256 demo token of the old config */

	int sent = refused_on_every_route(forged, nf);
	cr_expect_geq(sent, 62 * 6);

	write_all(conf_path, cfg);
	cr_assert_eq(harness("pool-reload", NULL), 0);
	took = false;
	for (int i = 0; i < 50 && !took; i++) {
		took = accepted(tok(1));
		if (!took)
			usleep(100000);
	}
	cr_expect(took, "HS256 again after restoring the config");
	for (int k = 0; k < nf; k++)
		free(forged[k]);
	free(good);
	free(pub);
	free(priv);
	free(cfg);
	free(newcfg);
}
