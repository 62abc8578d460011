/*
 * test_access.c -- authentication, routing errors, headers and limits,
 * through nginx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "client.h"
#include "router.h"

/* The eight endpoints of the foundation, as method and path. */
static const char *const eight[][2] = {
	{ "GET", "/v2/store-categories" },
	{ "GET", "/v2/advertiser-groups" },
	{ "GET", "/v2/clients" },
	{ "GET", "/v2/users" },
	{ "GET", "/v2/user-tags" },
	{ "GET", "/v2/advertisers/1/blocklist" },
	{ "POST", "/v2/advertisers/1/blocklist" },
	{ "DELETE", "/v2/advertisers/1/blocklist/1" },
};

Test(auth, every_published_route_wants_a_token)
{
	const char *top = getenv("top_srcdir");
	char path[1024], line[512], url[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/t/data/endpoints.tsv", top ? top : ".");
	cr_assert_not_null(f = fopen(path, "r"), "%s", path);
	cr_assert_not_null(fgets(line, sizeof(line), f));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *methods = strtok(line, "\t"), *pattern = strtok(NULL, "\t");
		size_t k = 0;
		for (const char *c = pattern; *c && k + 2 < sizeof(url); c++) {
			if (*c == '{') {
				url[k++] = '1';
				c = strchr(c, '}');
			} else
				url[k++] = *c;
		}
		url[k] = '\0';
		for (char *m = strtok(methods, ","); m != NULL; m = strtok(NULL, ",")) {
			struct resp r = req(m, url, NULL, m[0] == 'G' || m[0] == 'D' ? NULL : "{}");
			cr_expect_eq(r.status, 401, "%s %s: %ld", m, url, r.status);
			cr_expect_str_eq(r.body, error_body(401), "%s %s", m, url);
			resp_free(&r);
			n++;
		}
	}
	fclose(f);
	cr_expect_geq(n, 62);
}

Test(auth, forged_and_stale_tokens_refused)
{
	long now = (long)time(NULL);
	char claims[16][256];
	const char *algs[16];
	int n = 0;

	/* Each: the claims and the algorithm, signed with the stack's real secret. */
#define CASE(alg, ...) do { snprintf(claims[n], sizeof(claims[n]), __VA_ARGS__); \
	algs[n++] = alg; } while (0)
	CASE("HS256", "{\"sub\":\"1\",\"exp\":%ld}", now - 3600);		/* expired */
	CASE("HS256", "{\"sub\":\"1\",\"exp\":%ld,\"nbf\":%ld}", now + 3600, now + 600);
	CASE("HS256", "{\"sub\":\"1\"}");					/* no exp */
	CASE("HS256", "{\"sub\":\"999999\",\"exp\":%ld}", now + 3600);	/* unknown user */
	CASE("HS256", "{\"sub\":\"admin\",\"exp\":%ld}", now + 3600);	/* not numeric */
	CASE("HS512", "{\"sub\":\"1\",\"exp\":%ld}", now + 3600);		/* other alg */
#undef CASE
	char *toks[20];
	int nt = 0;
	for (int i = 0; i < n; i++)
		toks[nt++] = tok_claims(algs[i], claims[i]);
	/* alg none, and a valid token with a flipped signature byte. */
	toks[nt++] = strdup("Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
	    "eyJzdWIiOiIxIiwiZXhwIjo0MTAyNDQ0ODAwfQ.");
	char *t = strdup(tok(1));
	t[strlen(t) - 3] = t[strlen(t) - 3] == 'A' ? 'B' : 'A';
	toks[nt++] = t;
	toks[nt++] = strdup("Bearer");
	toks[nt++] = strdup("Basic YWRtaW46YWRtaW4=");

	for (size_t e = 0; e < sizeof(eight) / sizeof(eight[0]); e++)
		for (int i = 0; i < nt; i++) {
			struct resp r = req(eight[e][0], eight[e][1], toks[i],
			    eight[e][0][0] == 'P' ? "{\"user_ids\":[9]}" : NULL);
			cr_expect_eq(r.status, 401, "%s %s token %d: %ld", eight[e][0], eight[e][1],
			    i, r.status);
			cr_expect_str_eq(r.body, error_body(401));
			cr_expect_null(resp_header(&r, "X-RateLimit-Limit"));
			resp_free(&r);
		}
	for (int i = 0; i < nt; i++)
		free(toks[i]);
	/* A bare token (no "Bearer ") is accepted, as the reference shows it. */
	struct resp r = req("GET", "/v2/store-categories", tok(1) + 7, NULL);
	cr_expect_eq(r.status, 200);
	resp_free(&r);
}

Test(auth, deleted_user_is_unknown)
{
	struct resp r;

	char claims[64];

	free(sql("UPDATE users SET deleted_at = UTC_TIMESTAMP() WHERE id = 6"));
	snprintf(claims, sizeof(claims), "{\"sub\":\"6\",\"exp\":%ld}", (long)time(NULL) + 3600);
	char *t = tok_claims("HS256", claims);
	r = req("GET", "/v2/store-categories", t, NULL);
	expect_error(r, 401);
	resp_free(&r);
	free(sql("UPDATE users SET deleted_at = NULL WHERE id = 6"));
	r = req("GET", "/v2/store-categories", t, NULL);
	cr_expect_eq(r.status, 200, "rights come from the database, at once");
	resp_free(&r);
	free(t);
}

Test(access, admin_only_routes)
{
	static const char *const admin_only[] = { "/v2/advertiser-groups", "/v2/clients",
		"/v2/users" };
	for (size_t i = 0; i < 3; i++)
		for (int u = 2; u <= 5; u++) {
			struct resp r = req("GET", admin_only[i], tok(u), NULL);
			expect_error(r, 403);
			resp_free(&r);
		}
}

Test(routing, not_found_method_and_preflight)
{
	struct resp r = req("GET", "/v2/no-such-thing", tok(1), NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = req("GET", "/v2/users/1/2/3", NULL, NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = req("GET", "/v2/../etc/passwd", tok(1), NULL);
	cr_expect(r.status == 404 || r.status == 400, "%ld", r.status);
	resp_free(&r);

	r = req("PUT", "/v2/users", tok(1), "{}");
	expect_error(r, 405);
	cr_expect_str_eq(resp_header(&r, "Allow"), "GET, HEAD");
	resp_free(&r);
	r = req("DELETE", "/v2/advertisers/1/blocklist", NULL, NULL);
	expect_error(r, 405);
	cr_expect_str_eq(resp_header(&r, "Allow"), "GET, HEAD, POST");
	resp_free(&r);

	r = req("HEAD", "/v2/users", tok(1), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(r.len, 0);
	resp_free(&r);

	r = req_ex("OPTIONS", "/v2/advertisers/1/blocklist", NULL, NULL, 0, NULL,
	    "Origin: https://app.metapic.test");
	cr_expect_eq(r.status, 204);
	cr_expect_str_eq(resp_header(&r, "Access-Control-Allow-Origin"), "*");
	cr_expect_str_eq(resp_header(&r, "Access-Control-Allow-Methods"),
	    "GET, HEAD, POST, OPTIONS");
	cr_expect(strstr(resp_header(&r, "Access-Control-Allow-Headers"), "Authorization"));
	cr_expect_null(resp_header(&r, "Access-Control-Allow-Credentials"));
	resp_free(&r);
}

/*
 * Every route of the published reference has its handler: none answers
 * 501 "Not implemented." any more. (The pipeline still would, after
 * authentication and the access check, for a row without one.)
 */
Test(routing, every_route_is_built)
{
	int unbuilt = 0;

	for (size_t i = 0; i < nroutes; i++)
		if (routes[i].h == NULL) {
			cr_expect_not_null(routes[i].h, "%s has no handler", routes[i].pattern);
			unbuilt++;
		}
	cr_expect_eq(unbuilt, 0);
	cr_expect_geq(nroutes, 63, "routes: %zu", nroutes);
	/* No token is still no one, on every kind of route. */
	struct resp r = req("GET", "/v2/return-ads", NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);
	r = req("GET", "/v2/user-media", tok(3), NULL);
	expect_error(r, 403);
	resp_free(&r);
}

Test(headers, cors_request_id_rate_headers)
{
	struct resp r = req_ex("GET", "/v2/store-categories", tok(3), NULL, 0, NULL,
	    "X-Request-Id: trace-abc-123");

	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(resp_header(&r, "Access-Control-Allow-Origin"), "*");
	/* Our id is nginx's (32 hex digits), never the client's own. */
	const char *rid = resp_header(&r, "X-Request-Id");
	cr_assert_not_null(rid);
	cr_expect_eq(strlen(rid), 32, "%s", rid);
	cr_expect_eq(strspn(rid, "0123456789abcdef"), 32, "%s", rid);
	cr_expect_str_eq(resp_header(&r, "X-RateLimit-Limit"), getenv("METAPIC_RATE_LIMIT"));
	cr_expect_not_null(resp_header(&r, "X-RateLimit-Remaining"));
	resp_free(&r);

	r = req("GET", "/v2/store-categories", tok(3), NULL);
	cr_expect_eq(strlen(resp_header(&r, "X-Request-Id")), 32, "nginx's id when none given");
	resp_free(&r);
	/* Errors carry CORS too, so that a browser can read them. */
	r = req("GET", "/v2/users", NULL, NULL);
	cr_expect_str_eq(resp_header(&r, "Access-Control-Allow-Origin"), "*");
	resp_free(&r);
}

Test(limits, bodies_over_the_limit)
{
	size_t n = 1100 * 1024;
	char *big = malloc(n + 1);

	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	struct resp r = req_ex("POST", "/v2/advertisers/1/blocklist", tok(2), big, n, NULL, NULL);
	expect_error(r, 413);
	resp_free(&r);
	free(big);

	/* JSON nested deeper than 32: 400, not a crash. */
	char deep[400] = "{\"user_ids\":";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	for (int i = 0; i < 40; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	r = req("POST", "/v2/advertisers/1/blocklist", tok(2), deep);
	expect_error(r, 400);
	resp_free(&r);
}

/* Writes rate_limit into the stack's config and reloads the pool. */
static void
set_rate_limit(int limit)
{
	char stmt[256];

	snprintf(stmt, sizeof(stmt), "'s/^rate_limit = .*/rate_limit = %d/'", limit);
	cr_assert_eq(harness("sed-config", stmt), 0);
	cr_assert_eq(harness("pool-reload", NULL), 0);
	/* The old workers finish; new ones carry the new limit. */
	for (int i = 0; i < 50; i++) {
		struct resp r = req("GET", "/healthz", NULL, NULL);
		resp_free(&r);
		usleep(100000);
		char want[16];
		snprintf(want, sizeof(want), "%d", limit);
		r = req("GET", "/v2/store-categories", tok(1), NULL);
		bool done = resp_header(&r, "X-RateLimit-Limit") &&
		    strcmp(resp_header(&r, "X-RateLimit-Limit"), want) == 0;
		resp_free(&r);
		if (done)
			return;
	}
	cr_assert_fail("the reload did not take effect");
}

Test(limits, rate_limit_per_user)
{
	set_rate_limit(5);
	/* Users 7 and 9 make no other requests in the suite. */
	int statuses[12] = { 0 };
	char remaining[12][16];
	for (int i = 0; i < 12; i++) {
		struct resp r = req("GET", "/v2/store-categories", tok(7), NULL);
		statuses[i] = (int)r.status;
		snprintf(remaining[i], sizeof(remaining[i]), "%s",
		    resp_header(&r, "X-RateLimit-Remaining") ?: "-");
		if (r.status == 429) {
			cr_expect_str_eq(r.body, error_body(429));
			cr_expect_not_null(resp_header(&r, "Retry-After"));
			cr_expect_str_eq(remaining[i], "0");
		}
		resp_free(&r);
	}
	/* Another user is not limited by user 7's requests. */
	struct resp other = req("GET", "/v2/store-categories", tok(9), NULL);
	set_rate_limit(atoi(getenv("METAPIC_RATE_LIMIT")));
	int ok = 0, limited = 0;
	for (int i = 0; i < 12; i++) {
		ok += statuses[i] == 200;
		limited += statuses[i] == 429;
	}
	/* Five a minute: at most ten even if a minute ends inside the loop. */
	cr_expect_geq(limited, 2, "of 12 requests in a row, %d were limited", limited);
	cr_expect_eq(ok + limited, 12);
	cr_expect_eq(statuses[0], 200);
	cr_expect_eq(other.status, 200);
	resp_free(&other);
}

Test(https, served_with_https_links)
{
	char url[256];

	snprintf(url, sizeof(url), "%s/v2/users?size=5", base_https());
	struct resp r = req("GET", url, tok(1), NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(strncmp(jstr(r.json, "links.first"), "https://", 8) == 0, "%s",
	    jstr(r.json, "links.first"));
	resp_free(&r);
}

/* Regression: a parameter whose name is only spaces crashed the worker. */
Test(hostile, odd_parameter_names_keep_workers_alive)
{
	static const char *const urls[] = { "/healthz?+", "/healthz?%20=1", "/v2/users?+=1&++=2",
		"/v2/users?%20%20[]=1", "/v2/users?=1", "/v2/users?[x]=1", "/v2/users?a[=1" };
	char before[4096], after[4096], cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "pgrep -P \"$(cat '%s/pool.pid')\" | sort -n | tr '\\n' ' '",
	    getenv("METAPIC_DIR"));
	cr_assert_not_null(p = popen(cmd, "r"));
	if (fgets(before, sizeof(before), p) == NULL)
		before[0] = '\0';
	pclose(p);
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct resp r = req("GET", urls[i], tok(1), NULL);
		cr_expect_eq(r.status, 200, "%s: %ld %s", urls[i], r.status, r.body);
		resp_free(&r);
	}
	struct resp r = req_ex("POST", "/v2/advertisers/1/blocklist", tok(2), "+=1&%20=2", 0,
	    "application/x-www-form-urlencoded", NULL);
	cr_expect_eq(r.status, 422, "%s", r.body);
	resp_free(&r);
	cr_assert_not_null(p = popen(cmd, "r"));
	if (fgets(after, sizeof(after), p) == NULL)
		after[0] = '\0';
	pclose(p);
	cr_expect_str_eq(after, before, "no worker died");
}
