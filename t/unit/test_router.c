/*
 * test_router.c -- the route table and path matching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "router.h"

static void
free_params(char *p[HTTP_MAX_PATH_PARAMS])
{
	for (int i = 0; i < HTTP_MAX_PATH_PARAMS; i++) {
		free(p[i]);
		p[i] = NULL;
	}
}

static enum http_method
method_of(const char *s)
{
	for (int i = 0; i < HTTP_OTHER; i++)
		if (strcmp(s, http_method_names[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

/* Every endpoint of the published list is in the table, with its methods. */
Test(router, every_published_endpoint_is_routed)
{
	const char *top = getenv("top_srcdir");
	char path[1024], line[512], example[512];
	FILE *f;
	int rows = 0;

	snprintf(path, sizeof(path), "%s/t/data/endpoints.tsv", top ? top : ".");
	cr_assert_not_null(f = fopen(path, "r"), "open %s", path);
	cr_assert_not_null(fgets(line, sizeof(line), f));	/* header */
	while (fgets(line, sizeof(line), f) != NULL) {
		char *methods = strtok(line, "\t"), *pattern = strtok(NULL, "\t");
		cr_assert_not_null(pattern);
		/* Make a concrete path: every {param} becomes 7. */
		size_t n = 0;
		for (const char *c = pattern; *c && n + 2 < sizeof(example); c++) {
			if (*c == '{') {
				example[n++] = '7';
				c = strchr(c, '}');
			} else
				example[n++] = *c;
		}
		example[n] = '\0';
		for (char *m = strtok(methods, ","); m != NULL; m = strtok(NULL, ",")) {
			const struct route *rt;
			char *params[HTTP_MAX_PATH_PARAMS] = { 0 };
			unsigned allowed;
			enum api_err e = route_match(example, method_of(m), &rt, params, &allowed);
			cr_expect_eq(e, API_OK, "%s %s", m, example);
			if (e == API_OK) {
				cr_expect_str_eq(rt->pattern, pattern, "%s %s", m, example);
				cr_expect_neq(rt->access, ACC_PUBLIC, "%s must need a token", pattern);
			}
			free_params(params);
		}
		rows++;
	}
	fclose(f);
	cr_expect_eq(rows, 62);
	/* SPEC.md's two export routes are not in the reference. */
	cr_expect_eq(nroutes, 65, "62 endpoints, /healthz and the two of exports");
}

Test(router, params_and_errors)
{
	const struct route *rt;
	char *p[HTTP_MAX_PATH_PARAMS] = { 0 };
	unsigned allowed;
	char allow[128];

	cr_assert_eq(route_match("/v2/advertisers/12/blocklist/34", HTTP_DELETE, &rt, p,
	    &allowed), API_OK);
	cr_expect_str_eq(p[0], "12");
	cr_expect_str_eq(p[1], "34");
	free_params(p);

	cr_expect_eq(route_match("/v2/nope", HTTP_GET, &rt, p, &allowed), API_NOT_FOUND);
	cr_expect_eq(route_match("/v2/advertisers//blocklist", HTTP_GET, &rt, p, &allowed),
	    API_NOT_FOUND);
	cr_expect_eq(route_match("/v2/users/extra", HTTP_GET, &rt, p, &allowed), API_NOT_FOUND);

	cr_expect_eq(route_match("/v2/users", HTTP_POST, &rt, p, &allowed), API_METHOD);
	cr_expect_str_eq(route_allow(allowed, allow, sizeof(allow)), "GET, HEAD");

	cr_expect_eq(route_match("/v2/offers/5", HTTP_POST, &rt, p, &allowed), API_METHOD);
	cr_expect_str_eq(route_allow(allowed, allow, sizeof(allow)),
	    "GET, HEAD, PUT, PATCH, DELETE");

	cr_expect_eq(route_match("/v2/users", HTTP_HEAD, &rt, p, &allowed), API_OK);
	cr_expect_str_eq(rt->pattern, "/v2/users");
	free_params(p);
}

Test(router, ids)
{
	static const struct {
		const char *s;
		enum api_err e;
	} cases[] = {
		{ "1", API_OK }, { "42", API_OK }, { "0", API_NOT_FOUND },
		{ "-1", API_NOT_FOUND }, { "007", API_NOT_FOUND }, { "1e3", API_NOT_FOUND },
		{ "abc", API_NOT_FOUND }, { "99999999999999999999", API_NOT_FOUND },
	};
	struct req r;
	int64_t id;

	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.path_params[0] = (char *)cases[i].s;
		cr_expect_eq(route_id(&r, 0, &id), cases[i].e, "id %s", cases[i].s);
	}
}
