/*
 * test_http.c -- reading a request: path, query limits, JSON bodies and
 * the merge of query and body into one input; writing the response:
 * status line, headers, Content-Length, HEAD, 204 and the error bodies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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

/* A request's parameters, and what http_respond() wrote. */
struct out {
	struct fake f;
	char *text;	/* everything written, NUL-terminated */
	size_t len;
	int writes;
	int fail;	/* writes answer -1 when set */
};

static int
out_write(void *ctx, const char *buf, size_t n)
{
	struct out *o = ctx;

	o->writes++;
	if (o->fail)
		return -1;
	o->text = realloc(o->text, o->len + n + 1);
	cr_assert_not_null(o->text);
	memcpy(o->text + o->len, buf, n);
	o->len += n;
	o->text[o->len] = '\0';
	return 0;
}

static const char *
out_param(void *ctx, const char *name)
{
	return fake_param(&((struct out *)ctx)->f, name);
}

static long
out_read(void *ctx, char *buf, size_t n)
{
	return fake_read(&((struct out *)ctx)->f, buf, n);
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
	/* The id is nginx's $request_id, never the client's X-Request-Id. */
	struct fake f = { { { "REQUEST_URI", "/v2/x" }, { "REQUEST_ID", "abc-123" },
		{ "HTTP_X_REQUEST_ID", "client-1" }, { "HTTP_HOST", "api.test:8443" },
		{ "HTTPS", "on" } }, NULL, 0 };
	cr_assert_eq(run(&f, &r, false), API_OK);
	cr_expect_str_eq(r.id, "abc-123");
	cr_expect_str_eq(r.scheme_host, "https://api.test:8443");
	http_req_free(&r);

	struct fake g = { { { "REQUEST_URI", "/v2/x" }, { "REQUEST_ID", "bad id\r\n" },
		{ "HTTP_HOST", "evil\"host" } }, NULL, 0 };
	cr_assert_eq(run(&g, &r, false), API_OK);
	cr_expect_eq(strlen(r.id), 32, "generated id");
	cr_expect_str_eq(r.scheme_host, "http://localhost");
	http_req_free(&r);

	struct fake h = { { { "REQUEST_URI", "/v2/x" }, { "HTTP_X_REQUEST_ID", "abc-123" } },
		NULL, 0 };
	cr_assert_eq(run(&h, &r, false), API_OK);
	cr_expect_str_neq(r.id, "abc-123", "a client's X-Request-Id is not our id");
	cr_expect_eq(strlen(r.id), 32, "generated id");
	http_req_free(&r);
}

/* ------------------------------------------------------------------ */
/* Responses                                                           */
/* ------------------------------------------------------------------ */

/* A request for /v2/x with method, read as the web server would give it. */
static void
start(struct req *r, struct out *o, const char *method)
{
	struct http_io io = { out_read, out_write, out_param, o };

	memset(o, 0, sizeof(*o));
	o->f.params[0][0] = "REQUEST_URI";
	o->f.params[0][1] = "/v2/x";
	o->f.params[1][0] = "REQUEST_METHOD";
	o->f.params[1][1] = method;
	o->f.params[2][0] = "REQUEST_ID";
	o->f.params[2][1] = "rid-1";
	http_req_init(r, &conf, &io);
	cr_assert_eq(http_read_head(r), API_OK);
}

/* The head (up to and including the blank line's CRLF CRLF) and body. */
static void
split(const struct out *o, char **head, const char **body, size_t *blen)
{
	char *end;

	cr_assert_not_null(o->text, "nothing was written");
	end = strstr(o->text, "\r\n\r\n");
	cr_assert_not_null(end, "no blank line after the headers: %s", o->text);
	*head = strndup(o->text, (size_t)(end - o->text) + 2);
	*body = end + 4;
	*blen = o->len - (size_t)(end + 4 - o->text);
}

/* The value of header name in head (a copy), or NULL; fails on two. */
static char *
header(const char *head, const char *name)
{
	char *found = NULL;
	size_t n = strlen(name);

	for (const char *l = head; *l; ) {
		const char *e = strstr(l, "\r\n");
		cr_assert_not_null(e, "a header line without CRLF in %s", head);
		if ((size_t)(e - l) > n + 1 && strncasecmp(l, name, n) == 0 && l[n] == ':') {
			cr_assert_null(found, "header %s twice in %s", name, head);
			const char *v = l + n + 1;
			while (*v == ' ')
				v++;
			found = strndup(v, (size_t)(e - v));
		}
		l = e + 2;
	}
	return found;
}

/* Every line of head ends in CRLF and holds no other CR or LF. */
static void
expect_clean_lines(const char *head)
{
	for (const char *c = head; *c; c++) {
		if (*c == '\r')
			cr_expect(c[1] == '\n', "a bare CR in %s", head);
		if (*c == '\n')
			cr_expect(c > head && c[-1] == '\r', "a bare LF in %s", head);
	}
}

Test(respond, content_length_is_the_body_s_exact_bytes)
{
	static const char *const bodies[] = {
		"{}",
		"{\"a\":\"b\"}",
		"{\"url\":\"https://x.test/a/b\"}",	/* slashes not escaped */
		"{\"name\":\"Åsa Öberg 🙂\"}",	/* multibyte: bytes, not characters */
		"[1,2,3]",
		"{\"q\":\"\\\"quoted\\\" \\\\ back\"}",
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct req r;
		struct out o;
		char *head, *cl, *ct;
		const char *body;
		size_t blen;

		start(&r, &o, "GET");
		http_set_json(&r, 0, json_tokener_parse(bodies[i]));
		cr_assert_eq(http_respond(&r, API_OK), 200);
		split(&o, &head, &body, &blen);
		cr_expect(strncmp(head, "Status: 200 OK\r\n", 16) == 0, "%s", head);
		cl = header(head, "Content-Length");
		ct = header(head, "Content-Type");
		cr_assert_not_null(cl, "%s", head);
		cr_expect_eq(strtoul(cl, NULL, 10), blen, "Content-Length %s for %zu bytes", cl,
		    blen);
		cr_expect_eq(blen, strlen(bodies[i]), "%s", bodies[i]);
		cr_expect(memcmp(body, bodies[i], blen) == 0, "body %s, want %s", body, bodies[i]);
		cr_expect_str_eq(ct, "application/json");
		expect_clean_lines(head);
		free(cl);
		free(ct);
		free(head);
		free(o.text);
		http_req_free(&r);
	}
}

Test(respond, header_values_lose_cr_and_lf)
{
	static const struct {
		const char *value;
		const char *sent;
	} cases[] = {
		{ "plain", "plain" },
		{ "a\r\nInjected: 1", "a" },
		{ "a\nInjected: 1", "a" },
		{ "a\rInjected: 1", "a" },
		{ "\r\nInjected: 1", "" },
		{ "attachment; filename=\"x.zip\"", "attachment; filename=\"x.zip\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		struct out o;
		char *head, *v;
		const char *body;
		size_t blen;

		start(&r, &o, "GET");
		http_add_header(&r, "X-Test", "%s", cases[i].value);
		http_set_json(&r, 200, json_object_new_object());
		http_respond(&r, API_OK);
		split(&o, &head, &body, &blen);
		v = header(head, "X-Test");
		cr_assert_not_null(v, "%s", head);
		cr_expect_str_eq(v, cases[i].sent, "value %zu", i);
		cr_expect_null(strstr(head, "Injected"), "a header was injected: %s", head);
		cr_expect_null(strstr(body, "Injected"), "a body was injected: %s", body);
		expect_clean_lines(head);
		free(v);
		free(head);
		free(o.text);
		http_req_free(&r);
	}
}

/* http_add_header: no fixed-size cut; the value still stops at CR/LF. */
Test(respond, long_header_values_arrive_whole)
{
	struct req r;
	struct out o;
	char *head, *big, *split_v, *want;
	const char *body;
	size_t blen, n = 20000;

	cr_assert_not_null(want = malloc(n + 1));
	memset(want, 'v', n);
	want[n] = '\0';
	start(&r, &o, "GET");
	cr_expect_eq(http_add_header(&r, "X-Big", "%s", want), 0);
	cr_expect_eq(http_add_header(&r, "X-Split", "%s-%d\r\nInjected: 1", "a", 7), 0);
	http_set_json(&r, 200, json_object_new_array());
	cr_assert_eq(http_respond(&r, API_OK), 200);
	split(&o, &head, &body, &blen);
	big = header(head, "X-Big");
	split_v = header(head, "X-Split");
	cr_assert_not_null(big);
	cr_expect_eq(strlen(big), n, "cut at %zu bytes", strlen(big));
	cr_expect_str_eq(big, want);
	cr_expect_str_eq(split_v, "a-7");
	cr_expect_null(header(head, "Injected"));
	free(big);
	free(split_v);
	free(want);
	free(head);
	free(o.text);
	http_req_free(&r);
}

Test(respond, head_sends_the_headers_of_get_but_no_body)
{
	const char *doc = "{\"data\":[1,2,3]}";
	struct req r;
	struct out o;
	char *head, *cl;
	const char *body;
	size_t blen;

	start(&r, &o, "HEAD");
	cr_assert_eq(r.method, HTTP_HEAD);
	http_set_json(&r, 200, json_tokener_parse(doc));
	cr_assert_eq(http_respond(&r, API_OK), 200);
	split(&o, &head, &body, &blen);
	cr_expect_eq(blen, 0, "HEAD sent a body: %s", body);
	cl = header(head, "Content-Length");
	cr_assert_not_null(cl);
	cr_expect_eq(strtoul(cl, NULL, 10), strlen(doc), "the length GET would send");
	free(cl);
	free(head);
	free(o.text);
	http_req_free(&r);

	/* An error to HEAD: the same, the error body's length and no body. */
	start(&r, &o, "HEAD");
	http_respond(&r, API_NOT_FOUND);
	split(&o, &head, &body, &blen);
	cr_expect(strncmp(head, "Status: 404 Not Found\r\n", 23) == 0, "%s", head);
	cr_expect_eq(blen, 0);
	cl = header(head, "Content-Length");
	cr_assert_not_null(cl);
	cr_expect_eq(strtoul(cl, NULL, 10), strlen("{\"message\":\"Not found.\"}"));
	free(cl);
	free(head);
	free(o.text);
	http_req_free(&r);
}

Test(respond, no_content_has_no_length_and_no_body)
{
	/* Without a body, and with one a handler left behind. */
	for (int with_body = 0; with_body < 2; with_body++) {
		struct req r;
		struct out o;
		char *head, *cl, *ct;
		const char *body;
		size_t blen;

		start(&r, &o, "DELETE");
		http_set_json(&r, 204, with_body ? json_tokener_parse("{\"x\":1}") : NULL);
		cr_assert_eq(http_respond(&r, API_OK), 204);
		split(&o, &head, &body, &blen);
		cr_expect(strncmp(head, "Status: 204 No Content\r\n", 24) == 0, "%s", head);
		cl = header(head, "Content-Length");
		ct = header(head, "Content-Type");
		cr_expect_null(cl, "204 with Content-Length %s", cl);
		cr_expect_null(ct, "204 with Content-Type %s", ct);
		cr_expect_eq(blen, 0, "204 with a body: %s", body);
		free(cl);
		free(ct);
		free(head);
		free(o.text);
		http_req_free(&r);
	}
}

Test(respond, empty_answer_says_length_zero)
{
	struct req r;
	struct out o;
	char *head, *cl;
	const char *body;
	size_t blen;

	start(&r, &o, "POST");
	r.status = 202;
	cr_assert_eq(http_respond(&r, API_OK), 202);
	split(&o, &head, &body, &blen);
	cr_expect(strncmp(head, "Status: 202 Accepted\r\n", 22) == 0, "%s", head);
	cl = header(head, "Content-Length");
	cr_expect_str_eq(cl, "0");
	cr_expect_eq(blen, 0);
	free(cl);
	free(head);
	free(o.text);
	http_req_free(&r);
}

/* Each error: its status line and SPEC.md's body. */
Test(respond, every_error_answers_its_documented_body)
{
	static const struct {
		enum api_err e;
		const char *status;
		const char *body;
	} cases[] = {
		{ API_BAD_JSON, "400 Bad Request", "{\"message\":\"Malformed JSON body.\"}" },
		{ API_UNAUTHENTICATED, "401 Unauthorized", "{\"message\":\"Unauthenticated.\"}" },
		{ API_FORBIDDEN, "403 Forbidden", "{\"message\":\"This action is unauthorized.\"}" },
		{ API_NOT_FOUND, "404 Not Found", "{\"message\":\"Not found.\"}" },
		{ API_METHOD, "405 Method Not Allowed", "{\"message\":\"Method not allowed.\"}" },
		{ API_CONFLICT, "409 Conflict",
		    "{\"message\":\"A request with this idempotency key is in progress.\"}" },
		{ API_TOO_LARGE, "413 Payload Too Large", "{\"message\":\"Payload too large.\"}" },
		{ API_VALIDATION, "422 Unprocessable Content",
		    "{\"message\":\"The given data was invalid.\"}" },
		{ API_RATE_LIMITED, "429 Too Many Requests", "{\"message\":\"Too Many Attempts.\"}" },
		{ API_SERVER, "500 Internal Server Error", "{\"message\":\"Server Error\"}" },
		{ API_NOT_IMPLEMENTED, "501 Not Implemented", "{\"message\":\"Not implemented.\"}" },
		{ API_UNAVAILABLE, "503 Service Unavailable", "{\"message\":\"Service Unavailable\"}" },
	};
	char want[64];

	cr_assert_eq(sizeof(cases) / sizeof(cases[0]), API_ERR__MAX - 1, "every error is here");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		struct out o;
		char *head, *cl, *ra;
		const char *body;
		size_t blen;

		start(&r, &o, "GET");
		/* A handler's half-built answer is replaced by the error's. */
		http_set_json(&r, 200, json_tokener_parse("{\"data\":[1]}"));
		cr_expect_eq(http_respond(&r, cases[i].e), http_errors[cases[i].e].status);
		split(&o, &head, &body, &blen);
		snprintf(want, sizeof(want), "Status: %s\r\n", cases[i].status);
		cr_expect(strncmp(head, want, strlen(want)) == 0, "want %s, got %s", want, head);
		cr_expect_eq(blen, strlen(cases[i].body));
		cr_expect(strncmp(body, cases[i].body, blen) == 0, "%s: %s", cases[i].status, body);
		cl = header(head, "Content-Length");
		cr_expect_eq(cl ? strtoul(cl, NULL, 10) : 0, blen);
		ra = header(head, "Retry-After");
		if (cases[i].e == API_UNAVAILABLE)
			cr_expect_str_eq(ra, "5");
		else
			cr_expect_null(ra, "%s with Retry-After", cases[i].status);
		free(cl);
		free(ra);
		free(head);
		free(o.text);
		http_req_free(&r);
	}
}

Test(respond, validation_message_counts_the_other_errors)
{
	static const struct {
		int n;		/* errors added, field f<i % 2>, message m<i> */
		const char *message;
	} cases[] = {
		{ 1, "m0" },
		{ 2, "m0 (and 1 more error)" },
		{ 3, "m0 (and 2 more errors)" },
		{ 12, "m0 (and 11 more errors)" },
	};
	char field[8], body_want[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		struct out o;
		struct json_object *doc, *want;
		char *head;
		const char *body;
		size_t blen;

		start(&r, &o, "POST");
		want = json_object_new_object();
		for (int k = 0; k < cases[i].n; k++) {
			struct json_object *list;
			snprintf(field, sizeof(field), "f%d", k % 2);
			http_validation_error(&r, field, "m%d", k);
			if (!json_object_object_get_ex(want, field, &list)) {
				list = json_object_new_array();
				json_object_object_add(want, field, list);
			}
			snprintf(body_want, sizeof(body_want), "m%d", k);
			json_object_array_add(list, json_object_new_string(body_want));
		}
		cr_assert_eq(http_respond(&r, API_VALIDATION), 422);
		split(&o, &head, &body, &blen);
		doc = json_tokener_parse(body);
		cr_assert_not_null(doc, "%s", body);
		cr_expect_str_eq(json_object_get_string(json_object_object_get(doc, "message")),
		    cases[i].message);
		cr_expect(json_object_equal(json_object_object_get(doc, "errors"), want),
		    "errors %s", body);
		cr_expect_eq(json_object_object_length(doc), 2, "only message and errors: %s", body);
		json_object_put(doc);
		json_object_put(want);
		free(head);
		free(o.text);
		http_req_free(&r);
	}
}

Test(respond, method_not_allowed_names_the_allowed_methods)
{
	struct req r;
	struct out o;
	char *head, *allow;
	const char *body;
	size_t blen;

	start(&r, &o, "PUT");
	http_add_header(&r, "Allow", "%s", "GET, POST");
	cr_assert_eq(http_respond(&r, API_METHOD), 405);
	split(&o, &head, &body, &blen);
	cr_expect(strncmp(head, "Status: 405 Method Not Allowed\r\n", 32) == 0, "%s", head);
	allow = header(head, "Allow");
	cr_expect_str_eq(allow, "GET, POST");
	cr_expect_eq(blen, strlen("{\"message\":\"Method not allowed.\"}"));
	cr_expect(strncmp(body, "{\"message\":\"Method not allowed.\"}", blen) == 0, "%s", body);
	free(allow);
	free(head);
	free(o.text);
	http_req_free(&r);
}

Test(respond, common_headers_and_one_answer_only)
{
	struct req r;
	struct out o;
	char *head, *rid, *lim, *rem;
	const char *body;
	size_t blen;

	start(&r, &o, "GET");
	r.rl_limit = 60;
	r.rl_remaining = 59;
	http_set_json(&r, 200, json_object_new_array());
	cr_assert_eq(http_respond(&r, API_OK), 200);
	/* A second call writes nothing and reports the status sent. */
	cr_expect_eq(http_respond(&r, API_SERVER), 200);
	cr_expect_eq(o.writes, 1);
	split(&o, &head, &body, &blen);
	rid = header(head, "X-Request-Id");
	lim = header(head, "X-RateLimit-Limit");
	rem = header(head, "X-RateLimit-Remaining");
	cr_expect_str_eq(rid, "rid-1");
	cr_expect_str_eq(lim, "60");
	cr_expect_str_eq(rem, "59");
	free(rid);
	free(lim);
	free(rem);
	free(head);
	free(o.text);
	http_req_free(&r);

	/* Without rate limiting, no rate-limit headers. */
	start(&r, &o, "GET");
	http_respond(&r, API_NOT_FOUND);
	split(&o, &head, &body, &blen);
	lim = header(head, "X-RateLimit-Limit");
	cr_expect_null(lim);
	free(lim);
	free(head);
	free(o.text);
	http_req_free(&r);
}

Test(respond, a_client_gone_is_not_an_error_of_the_request)
{
	struct req r;
	struct out o;

	start(&r, &o, "GET");
	o.fail = 1;
	http_set_json(&r, 200, json_object_new_object());
	cr_expect_eq(http_respond(&r, API_OK), 200);
	cr_expect_eq(o.writes, 1);
	http_req_free(&r);
}

/*
 * File answers streamed by the app: the bytes whole, Content-Length, a
 * safe Content-Disposition (RFC 6266: no quote, backslash, separator or
 * control in the fallback; filename* for a name that is not ASCII), an
 * ETag, 304 on If-None-Match, HEAD without the body.
 */
Test(respond, file_answers_and_their_names)
{
	static const struct { const char *name, *want; } names[] = {
		{ "invoices-2025-01.zip", "attachment; filename=\"invoices-2025-01.zip\"" },
		{ "a\"b\\c/d;e%f\r\ng.zip", "attachment; filename=\"a_b_c_d_e_f__g.zip\"" },
		{ "fakturor-\xc3\xa5\xc3\xa4\xc3\xb6.zip",
		    "attachment; filename=\"fakturor-______.zip\"; "
		    "filename*=UTF-8''fakturor-%C3%A5%C3%A4%C3%B6.zip" },
		{ "space name.zip", "attachment; filename=\"space name.zip\"" },
	};
	char path[] = "/tmp/metapic-test-file-XXXXXX", *head, *v, etag[64];
	const char *body;
	size_t blen;
	struct req r;
	struct out o;
	int fd = mkstemp(path);
	static char data[200000];

	cr_assert_geq(fd, 0);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7);
	cr_assert_eq(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
	close(fd);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		start(&r, &o, "GET");
		cr_assert_eq(http_set_file(&r, path, names[i].name, "application/zip"), API_OK);
		cr_assert_eq(http_respond(&r, API_OK), 200);
		split(&o, &head, &body, &blen);
		cr_expect_eq(blen, sizeof(data));
		cr_expect(memcmp(body, data, sizeof(data)) == 0, "the bytes, whole");
		v = header(head, "Content-Disposition");
		cr_expect_str_eq(v, names[i].want, "%s", names[i].name);
		free(v);
		v = header(head, "Content-Length");
		cr_expect_str_eq(v, "200000");
		free(v);
		v = header(head, "ETag");
		cr_assert_not_null(v);
		snprintf(etag, sizeof(etag), "%s", v);
		free(v);
		free(head);
		free(o.text);
		http_req_free(&r);
	}
	/* If-None-Match with its tag: 304, no body, no Content-Length. */
	start(&r, &o, "GET");
	o.f.params[3][0] = "HTTP_IF_NONE_MATCH";
	o.f.params[3][1] = etag;
	cr_assert_eq(http_set_file(&r, path, "x.zip", "application/zip"), API_OK);
	cr_expect_eq(http_respond(&r, API_OK), 304);
	split(&o, &head, &body, &blen);
	cr_expect_eq(blen, 0);
	v = header(head, "Content-Length");
	cr_expect_null(v);
	free(v);
	free(head);
	free(o.text);
	http_req_free(&r);

	/* HEAD: the headers of GET, no body. */
	start(&r, &o, "HEAD");
	cr_assert_eq(http_set_file(&r, path, "x.zip", "application/zip"), API_OK);
	cr_expect_eq(http_respond(&r, API_OK), 200);
	split(&o, &head, &body, &blen);
	cr_expect_eq(blen, 0);
	v = header(head, "Content-Length");
	cr_expect_str_eq(v, "200000");
	free(v);
	free(head);
	free(o.text);
	http_req_free(&r);

	/* No such file: 404 before anything is written. */
	start(&r, &o, "GET");
	cr_expect_eq(http_set_file(&r, "/nonexistent/file.zip", "x.zip", "application/zip"),
	    API_NOT_FOUND);
	http_req_free(&r);
	free(o.text);
	unlink(path);
}
