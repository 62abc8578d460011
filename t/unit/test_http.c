/*
 * test_http.c -- reading a request: path, query limits, JSON bodies and
 * the merge of query and body into one input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "conf.h"
#include "http.h"

/* A request as the web server would describe it. */
struct fake {
	const char *params[16][2];
	const char *body;
	size_t off;
};

static const char *
fake_param(void *ctx, const char *name)
{
	struct fake *f = ctx;

	for (int i = 0; i < 16 && f->params[i][0]; i++)
		if (strcmp(f->params[i][0], name) == 0)
			return f->params[i][1];
	return NULL;
}

static long
fake_read(void *ctx, char *buf, size_t n)
{
	struct fake *f = ctx;
	size_t left = f->body ? strlen(f->body) - f->off : 0;

	if (n > left)
		n = left;
	memcpy(buf, f->body + f->off, n);
	f->off += n;
	return (long)n;
}

static int
fake_write(void *ctx, const char *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return 0;
}

static struct conf conf = {
	.max_body_bytes = 4096, .max_query_params = 50, .max_query_bytes = 512,
};

static enum api_err
run(struct fake *f, struct req *r, bool body)
{
	struct http_io io = { fake_read, fake_write, fake_param, f };
	enum api_err e;

	http_req_init(r, &conf, &io);
	if ((e = http_read_head(r)) != API_OK || !body)
		return e;
	return http_read_body(r);
}

static const struct {
	const char *uri;
	enum api_err e;
	const char *path;
} path_cases[] = {
	{ "/v2/users", API_OK, "/v2/users" },
	{ "/v2/users/", API_OK, "/v2/users" },
	{ "//v2///users", API_OK, "/v2/users" },
	{ "/v2/users?x=1", API_OK, "/v2/users" },
	{ "/v2/%75sers", API_OK, "/v2/users" },
	{ "/", API_OK, "/" },
	{ "/v2/../etc/passwd", API_NOT_FOUND, NULL },
	{ "/v2/%2e%2e/etc", API_NOT_FOUND, NULL },
	{ "/v2/./users", API_NOT_FOUND, NULL },
	{ "/v2/a%2fb", API_NOT_FOUND, NULL },
	{ "/v2/a\\b", API_NOT_FOUND, NULL },
	{ "relative", API_NOT_FOUND, NULL },
	{ "/v2/x%0a2025 info: access uid=1", API_NOT_FOUND, NULL },
	{ "/v2/x%0d", API_NOT_FOUND, NULL },
	{ "/v2/x%7f", API_NOT_FOUND, NULL },
	{ "/v2/x%09y", API_NOT_FOUND, NULL },
};

Test(http, paths)
{
	for (size_t i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		struct fake f = { { { "REQUEST_URI", path_cases[i].uri } }, NULL, 0 };
		struct req r;
		cr_expect_eq(run(&f, &r, false), path_cases[i].e, "%s", path_cases[i].uri);
		if (path_cases[i].path)
			cr_expect_str_eq(r.path, path_cases[i].path, "%s", path_cases[i].uri);
		http_req_free(&r);
	}
}

Test(http, query_limits)
{
	char big[600];
	struct req r;

	memset(big, 'a', sizeof(big) - 1);
	big[0] = 'q';
	big[1] = '=';
	big[sizeof(big) - 1] = '\0';
	struct fake f = { { { "REQUEST_URI", "/v2/users" }, { "QUERY_STRING", big } }, NULL, 0 };
	cr_expect_eq(run(&f, &r, false), API_TOO_LARGE, "query over max_query_bytes");
	http_req_free(&r);

	char many[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(many, "a[]=1&");
	struct fake g = { { { "REQUEST_URI", "/v2/users" }, { "QUERY_STRING", many } }, NULL, 0 };
	cr_expect_eq(run(&g, &r, false), API_TOO_LARGE, "more than max_query_params");
	http_req_free(&r);
}

static char *
nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 16);
	size_t n = 0;

	s[n++] = '{';
	memcpy(s + n, "\"a\":", 4);
	n += 4;
	for (int i = 1; i < depth; i++)
		s[n++] = '[';
	for (int i = 1; i < depth; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

Test(http, json_bodies)
{
	static const struct {
		const char *body;
		enum api_err e;
	} cases[] = {
		{ "{\"a\":1}", API_OK },
		{ "  {\"a\":1}\n", API_OK },
		{ "null", API_OK },
		{ "[1,2]", API_OK },
		{ "{\"a\":1", API_BAD_JSON },
		{ "{\"a\":1}x", API_BAD_JSON },
		{ "{\"a\":1}{}", API_BAD_JSON },
		{ "{'a':1}", API_BAD_JSON },
		{ "{\"a\":\"\xff\"}", API_BAD_JSON },
		{ "{\"a\":01}", API_BAD_JSON },
		{ "{\"a\":NaN}", API_BAD_JSON },
		{ "nul", API_BAD_JSON },
	};
	char len[24];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		snprintf(len, sizeof(len), "%zu", strlen(cases[i].body));
		struct fake f = { { { "REQUEST_URI", "/v2/x" }, { "CONTENT_LENGTH", len },
			{ "CONTENT_TYPE", "application/json" } }, cases[i].body, 0 };
		cr_expect_eq(run(&f, &r, true), cases[i].e, "body %s", cases[i].body);
		http_req_free(&r);
	}
}

Test(http, json_depth_limit)
{
	char len[24];
	struct req r;
	char *ok = nested(32), *deep = nested(33);

	snprintf(len, sizeof(len), "%zu", strlen(ok));
	struct fake f = { { { "REQUEST_URI", "/v2/x" }, { "CONTENT_LENGTH", len },
		{ "CONTENT_TYPE", "application/json" } }, ok, 0 };
	cr_expect_eq(run(&f, &r, true), API_OK, "32 deep");
	http_req_free(&r);
	snprintf(len, sizeof(len), "%zu", strlen(deep));
	struct fake g = { { { "REQUEST_URI", "/v2/x" }, { "CONTENT_LENGTH", len },
		{ "CONTENT_TYPE", "application/json" } }, deep, 0 };
	cr_expect_eq(run(&g, &r, true), API_BAD_JSON, "33 deep");
	http_req_free(&r);
	free(ok);
	free(deep);
}

Test(http, body_limits)
{
	struct req r;
	struct fake f = { { { "REQUEST_URI", "/v2/x" }, { "CONTENT_LENGTH", "4097" },
		{ "CONTENT_TYPE", "application/json" } }, "{}", 0 };
	cr_expect_eq(run(&f, &r, true), API_TOO_LARGE);
	cr_expect_eq(f.off, 0, "nothing read before refusing");
	http_req_free(&r);

	struct fake g = { { { "REQUEST_URI", "/v2/x" }, { "CONTENT_LENGTH", "10" },
		{ "CONTENT_TYPE", "application/json" } }, "{}", 0 };
	cr_expect_eq(run(&g, &r, true), API_BAD_JSON, "truncated body");
	http_req_free(&r);

	struct fake h = { { { "REQUEST_URI", "/v2/x" }, { "CONTENT_LENGTH", "1x" } }, "{}", 0 };
	cr_expect_eq(run(&h, &r, true), API_BAD_JSON, "bad Content-Length");
	http_req_free(&r);
}

Test(http, input_merge_like_laravel)
{
	struct req r;
	const char *body = "{\"size\":5,\"name\":\"  body  \",\"blank\":\"   \",\"list\":[\" a \",\"\"]}";
	char len[24];

	snprintf(len, sizeof(len), "%zu", strlen(body));
	struct fake f = { { { "REQUEST_URI", "/v2/x?size=9&q=%20x%20&e=" },
		{ "QUERY_STRING", "size=9&q=%20x%20&e=" }, { "CONTENT_LENGTH", len },
		{ "CONTENT_TYPE", "application/json; charset=utf-8" } }, body, 0 };
	cr_assert_eq(run(&f, &r, true), API_OK);
	cr_expect_str_eq(json_object_to_json_string_ext(r.input, JSON_C_TO_STRING_PLAIN),
	    "{\"size\":5,\"q\":\"x\",\"e\":null,\"name\":\"body\",\"blank\":null,"
	    "\"list\":[\"a\",null]}");
	http_req_free(&r);
	http_req_free(&r);	/* the destructor is safe twice */
}

Test(http, form_bodies)
{
	struct req r;
	const char *body = "user_ids[]=1&user_ids[]=2";
	char len[24];

	snprintf(len, sizeof(len), "%zu", strlen(body));
	struct fake f = { { { "REQUEST_URI", "/v2/x" }, { "CONTENT_LENGTH", len },
		{ "CONTENT_TYPE", "application/x-www-form-urlencoded" } }, body, 0 };
	cr_assert_eq(run(&f, &r, true), API_OK);
	cr_expect_str_eq(json_object_to_json_string_ext(r.input, JSON_C_TO_STRING_PLAIN),
	    "{\"user_ids\":{\"0\":\"1\",\"1\":\"2\"}}");
	http_req_free(&r);
}

Test(http, request_id_and_links_base)
{
	struct req r;
	struct fake f = { { { "REQUEST_URI", "/v2/x" }, { "HTTP_X_REQUEST_ID", "abc-123" },
		{ "HTTP_HOST", "api.test:8443" }, { "HTTPS", "on" } }, NULL, 0 };
	cr_assert_eq(run(&f, &r, false), API_OK);
	cr_expect_str_eq(r.id, "abc-123");
	cr_expect_str_eq(r.scheme_host, "https://api.test:8443");
	http_req_free(&r);

	struct fake g = { { { "REQUEST_URI", "/v2/x" }, { "HTTP_X_REQUEST_ID", "bad id\r\n" },
		{ "HTTP_HOST", "evil\"host" } }, NULL, 0 };
	cr_assert_eq(run(&g, &r, false), API_OK);
	cr_expect_eq(strlen(r.id), 32, "generated id");
	cr_expect_str_eq(r.scheme_host, "http://localhost");
	http_req_free(&r);
}
