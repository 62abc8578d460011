/*
 * test_page.c -- the pagination envelope and Laravel's link window.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "page.h"
#include "query.h"

static struct req r;

static void
setup(const char *qs)
{
	memset(&r, 0, sizeof(r));
	r.scheme_host = strdup("https://api.test");
	r.path = strdup("/v2/users");
	cr_assert_eq(query_parse(qs, strlen(qs), 100, &r.query), 0);
}

static void
teardown(void)
{
	free(r.scheme_host);
	free(r.path);
	json_object_put(r.query);
}

/* The labels of meta.links for page cur of last, joined by spaces. */
static char *
labels(int64_t cur, int64_t last)
{
	struct json_object *data = json_object_new_array(), *env, *meta, *links;
	static char out[512];

	env = page_envelope(&r, data, last * 10, cur, 10);
	json_object_object_get_ex(env, "meta", &meta);
	json_object_object_get_ex(meta, "links", &links);
	out[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(links); i++) {
		struct json_object *l = json_object_array_get_idx(links, i), *lab, *act;
		json_object_object_get_ex(l, "label", &lab);
		json_object_object_get_ex(l, "active", &act);
		strcat(out, i ? " " : "");
		strcat(out, json_object_get_boolean(act) ? "*" : "");
		strcat(out, json_object_get_string(lab));
	}
	json_object_put(env);
	return out;
}

Test(page, link_window_like_laravel, .fini = teardown)
{
	setup("");
	cr_expect_str_eq(labels(1, 1), "\u00ab Previous *1 Next \u00bb");
	cr_expect_str_eq(labels(2, 3), "\u00ab Previous 1 *2 3 Next \u00bb");
	cr_expect_str_eq(labels(1, 13),
	    "\u00ab Previous *1 2 3 4 5 6 7 8 9 10 11 12 13 Next \u00bb");
	cr_expect_str_eq(labels(1, 14),
	    "\u00ab Previous *1 2 3 4 5 6 7 8 9 10 ... 13 14 Next \u00bb");
	cr_expect_str_eq(labels(7, 20),
	    "\u00ab Previous 1 2 3 4 5 6 *7 8 9 10 ... 19 20 Next \u00bb");
	cr_expect_str_eq(labels(8, 20),
	    "\u00ab Previous 1 2 ... 5 6 7 *8 9 10 11 ... 19 20 Next \u00bb");
	cr_expect_str_eq(labels(13, 20),
	    "\u00ab Previous 1 2 ... 10 11 12 *13 14 15 16 ... 19 20 Next \u00bb");
	cr_expect_str_eq(labels(14, 20),
	    "\u00ab Previous 1 2 ... 11 12 13 *14 15 16 17 18 19 20 Next \u00bb");
	cr_expect_str_eq(labels(15, 20),
	    "\u00ab Previous 1 2 ... 11 12 13 14 *15 16 17 18 19 20 Next \u00bb");
}

Test(page, envelope_urls_keep_the_query, .fini = teardown)
{
	struct json_object *data = json_object_new_array(), *env, *v, *links, *meta;

	setup("query=ab+c&statuses[]=x&page=2&size=1");
	json_object_array_add(data, json_object_new_int(1));
	env = page_envelope(&r, data, 3, 2, 1);
	json_object_object_get_ex(env, "links", &links);
	json_object_object_get_ex(links, "first", &v);
	cr_expect_str_eq(json_object_get_string(v),
	    "https://api.test/v2/users?query=ab%20c&statuses%5B0%5D=x&size=1&page=1");
	json_object_object_get_ex(links, "next", &v);
	cr_expect_str_eq(json_object_get_string(v),
	    "https://api.test/v2/users?query=ab%20c&statuses%5B0%5D=x&size=1&page=3");
	json_object_object_get_ex(env, "meta", &meta);
	json_object_object_get_ex(meta, "path", &v);
	cr_expect_str_eq(json_object_get_string(v), "https://api.test/v2/users");
	json_object_object_get_ex(meta, "from", &v);
	cr_expect_eq(json_object_get_int(v), 2);
	json_object_object_get_ex(meta, "to", &v);
	cr_expect_eq(json_object_get_int(v), 2);
	json_object_object_get_ex(meta, "last_page", &v);
	cr_expect_eq(json_object_get_int(v), 3);
	json_object_put(env);
}

Test(page, empty_page, .fini = teardown)
{
	struct json_object *env, *meta, *v, *links;

	setup("");
	env = page_envelope(&r, json_object_new_array(), 0, 1, 20);
	json_object_object_get_ex(env, "meta", &meta);
	cr_expect(json_object_object_get_ex(meta, "from", &v) && v == NULL);
	cr_expect(json_object_object_get_ex(meta, "to", &v) && v == NULL);
	json_object_object_get_ex(meta, "last_page", &v);
	cr_expect_eq(json_object_get_int(v), 1);
	json_object_object_get_ex(env, "links", &links);
	cr_expect(json_object_object_get_ex(links, "prev", &v) && v == NULL);
	cr_expect(json_object_object_get_ex(links, "next", &v) && v == NULL);
	cr_expect_str_eq(json_object_to_json_string_ext(env, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE),
	    "{\"data\":[],\"links\":{\"first\":\"https://api.test/v2/users?page=1\","
	    "\"last\":\"https://api.test/v2/users?page=1\",\"prev\":null,\"next\":null},"
	    "\"meta\":{\"current_page\":1,\"from\":null,\"last_page\":1,\"links\":["
	    "{\"url\":null,\"label\":\"\u00ab Previous\",\"active\":false},"
	    "{\"url\":\"https://api.test/v2/users?page=1\",\"label\":\"1\",\"active\":true},"
	    "{\"url\":null,\"label\":\"Next \u00bb\",\"active\":false}],"
	    "\"path\":\"https://api.test/v2/users\",\"per_page\":20,\"to\":null,\"total\":0}}");
	json_object_put(env);
}

Test(page, plain_paginator_shape, .fini = teardown)
{
	struct json_object *data = json_object_new_array(), *env;
	static const struct {
		int64_t total, page, per_page, nrows;
		const char *want;
	} cases[] = {
		{ 12, 2, 5, 5,
		    "{\"current_page\":2,\"data\":[0,1,2,3,4],"
		    "\"first_page_url\":\"https://api.test/v2/users?group=1&page=1\","
		    "\"from\":6,\"last_page\":3,"
		    "\"last_page_url\":\"https://api.test/v2/users?group=1&page=3\","
		    "\"links\":[{\"url\":\"https://api.test/v2/users?group=1&page=1\","
		    "\"label\":\"\u00ab Previous\",\"active\":false},"
		    "{\"url\":\"https://api.test/v2/users?group=1&page=1\",\"label\":\"1\",\"active\":false},"
		    "{\"url\":\"https://api.test/v2/users?group=1&page=2\",\"label\":\"2\",\"active\":true},"
		    "{\"url\":\"https://api.test/v2/users?group=1&page=3\",\"label\":\"3\",\"active\":false},"
		    "{\"url\":\"https://api.test/v2/users?group=1&page=3\",\"label\":\"Next \u00bb\","
		    "\"active\":false}],"
		    "\"next_page_url\":\"https://api.test/v2/users?group=1&page=3\","
		    "\"path\":\"https://api.test/v2/users\",\"per_page\":5,"
		    "\"prev_page_url\":\"https://api.test/v2/users?group=1&page=1\","
		    "\"to\":10,\"total\":12}" },
		{ 0, 1, 20, 0,
		    "{\"current_page\":1,\"data\":[],"
		    "\"first_page_url\":\"https://api.test/v2/users?group=1&page=1\","
		    "\"from\":null,\"last_page\":1,"
		    "\"last_page_url\":\"https://api.test/v2/users?group=1&page=1\","
		    "\"links\":[{\"url\":null,\"label\":\"\u00ab Previous\",\"active\":false},"
		    "{\"url\":\"https://api.test/v2/users?group=1&page=1\",\"label\":\"1\",\"active\":true},"
		    "{\"url\":null,\"label\":\"Next \u00bb\",\"active\":false}],"
		    "\"next_page_url\":null,\"path\":\"https://api.test/v2/users\",\"per_page\":20,"
		    "\"prev_page_url\":null,\"to\":null,\"total\":0}" },
		{ 3, 9, 2, 0,
		    "{\"current_page\":9,\"data\":[],"
		    "\"first_page_url\":\"https://api.test/v2/users?group=1&page=1\","
		    "\"from\":null,\"last_page\":2,"
		    "\"last_page_url\":\"https://api.test/v2/users?group=1&page=2\","
		    "\"links\":[{\"url\":\"https://api.test/v2/users?group=1&page=8\","
		    "\"label\":\"\u00ab Previous\",\"active\":false},"
		    "{\"url\":\"https://api.test/v2/users?group=1&page=1\",\"label\":\"1\",\"active\":false},"
		    "{\"url\":\"https://api.test/v2/users?group=1&page=2\",\"label\":\"2\",\"active\":false},"
		    "{\"url\":null,\"label\":\"Next \u00bb\",\"active\":false}],"
		    "\"next_page_url\":null,\"path\":\"https://api.test/v2/users\",\"per_page\":2,"
		    "\"prev_page_url\":\"https://api.test/v2/users?group=1&page=8\","
		    "\"to\":null,\"total\":3}" },
	};

	setup("group=1&page=4");
	json_object_put(data);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		data = json_object_new_array();
		for (int64_t k = 0; k < cases[i].nrows; k++)
			json_object_array_add(data, json_object_new_int64(k));
		env = page_plain(&r, data, cases[i].total, cases[i].page, cases[i].per_page);
		cr_expect_str_eq(json_object_to_json_string_ext(env, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE), cases[i].want, "case %zu", i);
		json_object_put(env);
	}
}
