/*
 * test_multipart.c -- the multipart/form-data reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "multipart.h"
#include "util.h"

/* A string literal and its length, NULs included. */
#define B(s) s, sizeof(s) - 1

#define CT "multipart/form-data; boundary=XyZ"
#define CD "Content-Disposition: form-data; "

struct want_part {
	const char *name;
	const char *filename;	/* NULL: absent */
	const char *ctype;	/* NULL: absent */
	const char *data;
	size_t len;
};

static const struct {
	const char *label;
	const char *ct;
	const char *body;
	size_t len;
	size_t nparts;
	struct want_part parts[4];
} ok_cases[] = {
	{ "two fields and a file", CT, B(
	    "--XyZ\r\n"
	    CD "name=\"title\"\r\n"
	    "\r\n"
	    "Hello\r\n"
	    "--XyZ\r\n"
	    CD "name=\"tags\"\r\n"
	    "\r\n"
	    "a,b\r\n"
	    "--XyZ\r\n"
	    CD "name=\"image\"; filename=\"cat.png\"\r\n"
	    "Content-Type: image/png\r\n"
	    "\r\n"
	    "\x89PNG\r\n\x1a\n\r\n"
	    "--XyZ--\r\n"), 3, {
		{ "title", NULL, NULL, B("Hello") },
		{ "tags", NULL, NULL, B("a,b") },
		{ "image", "cat.png", "image/png", B("\x89PNG\r\n\x1a\n") },
	} },
	{ "quoted boundary with bchars, preamble and epilogue",
	    "multipart/form-data; boundary=\"a b:c?(1)\"", B(
	    "This is the preamble.\r\n"
	    "--a b:c?(1)\r\n"
	    CD "name=x\r\n"
	    "\r\n"
	    "1\r\n"
	    "--a b:c?(1)--\r\n"
	    "This is the epilogue.\r\n"), 1, {
		{ "x", NULL, NULL, B("1") },
	} },
	{ "unquoted boundary after another parameter, any case",
	    " Multipart/Form-Data ; charset=utf-8;BOUNDARY=----WebKitFormBoundary7MA4YWxkTrZu0gW;",
	    B("------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
	    "content-disposition: FORM-DATA; NAME=\"q\"\r\n"
	    "\r\n"
	    "v\r\n"
	    "------WebKitFormBoundary7MA4YWxkTrZu0gW--"), 1, {
		{ "q", NULL, NULL, B("v") },
	} },
	{ "filename* wins over filename, UTF-8 and ISO-8859-1", CT, B(
	    "--XyZ\r\n"
	    CD "name=\"a\"; filename=\"fallback.txt\"; filename*=UTF-8''na%C3%AFve%20file.txt\r\n"
	    "\r\n"
	    "A\r\n"
	    "--XyZ\r\n"
	    CD "name=\"b\"; filename*=iso-8859-1'en'caf%E9\r\n"
	    "\r\n"
	    "B\r\n"
	    "--XyZ--\r\n"), 2, {
		{ "a", "na\xc3\xafve file.txt", NULL, B("A") },
		{ "b", "caf\xc3\xa9", NULL, B("B") },
	} },
	{ "empty parts, no file chosen", CT, B(
	    "--XyZ\r\n"
	    CD "name=\"empty\"\r\n"
	    "\r\n"
	    "\r\n"
	    "--XyZ\r\n"
	    CD "name=\"upload\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "\r\n"
	    "\r\n"
	    "--XyZ--\r\n"), 2, {
		{ "empty", NULL, NULL, B("") },
		{ "upload", "", "application/octet-stream", B("") },
	} },
	{ "a part without data: the empty line is the delimiter's CRLF", CT, B(
	    "--XyZ\r\n"
	    CD "name=\"nodata\"\r\n"
	    "\r\n"
	    "--XyZ--"), 1, {
		{ "nodata", NULL, NULL, B("") },
	} },
	{ "binary data: --, CR, LF, NUL, the boundary without CRLF", CT, B(
	    "--XyZ\r\n"
	    CD "name=\"bin\"; filename=\"b.bin\"\r\n"
	    "Content-Type:application/octet-stream  \r\n"
	    "\r\n"
	    "\0\r\n--\r\n\0--XyZ\r\n\xff\r--XyZ\n--XyZ--\r\r\n\r\n"
	    "--XyZ--\r\n"), 1, {
		{ "bin", "b.bin", "application/octet-stream",
		    B("\0\r\n--\r\n\0--XyZ\r\n\xff\r--XyZ\n--XyZ--\r\r\n") },
	} },
	{ "boundary-like lines that are not delimiters", CT, B(
	    "--XyZZ\r\n"
	    "--XyZ\r\n"
	    CD "name=\"t\"\r\n"
	    "\r\n"
	    "\r\n--XyZZ\r\n--XyZ x\r\n--XyZ-\r\n--XyZ \tx"
	    "\r\n--XyZ--\r\n"), 1, {
		{ "t", NULL, NULL, B("\r\n--XyZZ\r\n--XyZ x\r\n--XyZ-\r\n--XyZ \tx") },
	} },
	{ "transport padding after delimiters", CT, B(
	    "--XyZ \t \r\n"
	    CD "name=\"p\"\r\n"
	    "\r\n"
	    "x\r\n"
	    "--XyZ\t\r\n"
	    CD "name=\"q\"\r\n"
	    "\r\n"
	    "y\r\n"
	    "--XyZ--  \r\n"), 2, {
		{ "p", NULL, NULL, B("x") },
		{ "q", NULL, NULL, B("y") },
	} },
	{ "escapes, unknown parameters and headers ignored", CT, B(
	    "--XyZ\r\n"
	    "X-Whatever: 1\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Content-Disposition:form-data;name=\"a\\\"b\\\\c\" ; size=3; filename=\"C:\\\\x\\\".txt\"\r\n"
	    "\r\n"
	    "abc\r\n"
	    "--XyZ--\r\n"), 1, {
		{ "a\"b\\c", "C:\\x\".txt", NULL, B("abc") },
	} },
	{ "invalid UTF-8 and NUL become U+FFFD", CT, B(
	    "--XyZ\r\n"
	    CD "name=\"n\xe9\"; filename*=UTF-8''a%00b%FF\r\n"
	    "Content-Type: text/plain; charset=\xff\r\n"
	    "\r\n"
	    "x\r\n"
	    "--XyZ--\r\n"), 1, {
		{ "n\xef\xbf\xbd", "a\xef\xbf\xbd" "b\xef\xbf\xbd",
		    "text/plain; charset=\xef\xbf\xbd", B("x") },
	} },
	{ "no parts", CT, B("--XyZ--\r\n"), 0, { { NULL, NULL, NULL, NULL, 0 } } },
	{ "a 70-character boundary",
	    "multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789",
	    B("--0123456789012345678901234567890123456789012345678901234567890123456789\r\n"
	    CD "name=long\r\n"
	    "\r\n"
	    "L\r\n"
	    "--0123456789012345678901234567890123456789012345678901234567890123456789--"), 1, {
		{ "long", NULL, NULL, B("L") },
	} },
	{ "sixteen header lines", CT, B(
	    "--XyZ\r\n"
	    "H1: x\r\nH2: x\r\nH3: x\r\nH4: x\r\nH5: x\r\nH6: x\r\nH7: x\r\nH8: x\r\n"
	    "H9: x\r\nH10: x\r\nH11: x\r\nH12: x\r\nH13: x\r\nH14: x\r\nH15: x\r\n"
	    CD "name=\"h\"\r\n"
	    "\r\n"
	    "h\r\n"
	    "--XyZ--\r\n"), 1, {
		{ "h", NULL, NULL, B("h") },
	} },
};

static void
check_part(const char *label, size_t i, const struct mp_part *got, const struct want_part *want,
    const char *body, size_t len)
{
	cr_expect_str_eq(got->name, want->name, "%s: part %zu name", label, i);
	if (want->filename == NULL)
		cr_expect_null(got->filename, "%s: part %zu filename", label, i);
	else {
		cr_assert_not_null(got->filename, "%s: part %zu filename", label, i);
		cr_expect_str_eq(got->filename, want->filename, "%s: part %zu filename", label, i);
	}
	if (want->ctype == NULL)
		cr_expect_null(got->ctype, "%s: part %zu ctype", label, i);
	else {
		cr_assert_not_null(got->ctype, "%s: part %zu ctype", label, i);
		cr_expect_str_eq(got->ctype, want->ctype, "%s: part %zu ctype", label, i);
	}
	cr_assert(got->data >= body && got->data <= body + len &&
	    got->len <= (size_t)(body + len - got->data), "%s: part %zu data outside the body",
	    label, i);
	cr_assert_eq(got->len, want->len, "%s: part %zu length %zu, want %zu", label, i,
	    got->len, want->len);
	cr_expect(memcmp(got->data, want->data, want->len) == 0, "%s: part %zu data", label, i);
}

Test(multipart, well_formed)
{
	for (size_t c = 0; c < sizeof(ok_cases) / sizeof(ok_cases[0]); c++) {
		struct mp_form form;
		int rc;

		/* A copy that ends where the body ends, so that ASan sees overreads. */
		char *body = malloc(ok_cases[c].len ? ok_cases[c].len : 1);
		cr_assert_not_null(body);
		memcpy(body, ok_cases[c].body, ok_cases[c].len);
		rc = mp_parse(ok_cases[c].ct, body, ok_cases[c].len, 10, &form);
		cr_assert_eq(rc, MP_OK, "%s: rc %d (%s)", ok_cases[c].label, rc, form.why);
		cr_assert_null(form.why, "%s", ok_cases[c].label);
		cr_assert_eq(form.nparts, ok_cases[c].nparts, "%s: %zu parts", ok_cases[c].label,
		    form.nparts);
		for (size_t i = 0; i < form.nparts; i++)
			check_part(ok_cases[c].label, i, &form.parts[i], &ok_cases[c].parts[i], body,
			    ok_cases[c].len);
		mp_free(&form);
		cr_expect_null(form.parts);
		cr_expect_eq(form.nparts, 0);
		mp_free(&form);	/* twice is safe */
		free(body);
	}
}

#define ONE(headers, data) B("--XyZ\r\n" headers "\r\n" data "\r\n--XyZ--\r\n")

static const struct {
	const char *label;
	const char *ct;
	const char *body;
	size_t len;
	int rc;
	const char *why;
} bad_cases[] = {
	{ "no content type", NULL, ONE(CD "name=a\r\n", "x"), MP_MALFORMED,
	    "not multipart/form-data" },
	{ "another media type", "multipart/mixed; boundary=XyZ", ONE(CD "name=a\r\n", "x"),
	    MP_MALFORMED, "not multipart/form-data" },
	{ "media type prefix", "multipart/form-datax; boundary=XyZ", ONE(CD "name=a\r\n", "x"),
	    MP_MALFORMED, "not multipart/form-data" },
	{ "no boundary parameter", "multipart/form-data", ONE(CD "name=a\r\n", "x"),
	    MP_MALFORMED, "no boundary parameter" },
	{ "other parameters only", "multipart/form-data; charset=utf-8",
	    ONE(CD "name=a\r\n", "x"), MP_MALFORMED, "no boundary parameter" },
	{ "empty boundary", "multipart/form-data; boundary=\"\"", B("--\r\n--"),
	    MP_MALFORMED, "boundary is not 1 to 70 characters" },
	{ "boundary of 71 characters",
	    "multipart/form-data; boundary=01234567890123456789012345678901234567890123456789012345678901234567890",
	    B("--01234567890123456789012345678901234567890123456789012345678901234567890--"),
	    MP_MALFORMED, "boundary is not 1 to 70 characters" },
	{ "boundary ending in a space", "multipart/form-data; boundary=\"XyZ \"",
	    ONE(CD "name=a\r\n", "x"), MP_MALFORMED, "boundary is not 1 to 70 characters" },
	{ "boundary outside bchars", "multipart/form-data; boundary=\"Xy@Z\"",
	    ONE(CD "name=a\r\n", "x"), MP_MALFORMED,
	    "boundary has a character outside RFC 2046 bchars" },
	{ "two boundaries", "multipart/form-data; boundary=XyZ; boundary=XyZ",
	    ONE(CD "name=a\r\n", "x"), MP_MALFORMED, "repeated boundary parameter" },
	{ "unterminated quoted boundary", "multipart/form-data; boundary=\"XyZ",
	    ONE(CD "name=a\r\n", "x"), MP_MALFORMED, "malformed Content-Type parameters" },
	{ "garbage after the media type", "multipart/form-data boundary=XyZ",
	    ONE(CD "name=a\r\n", "x"), MP_MALFORMED, "not multipart/form-data" },
	{ "garbage after a parameter", "multipart/form-data; boundary=XyZ x",
	    ONE(CD "name=a\r\n", "x"), MP_MALFORMED, "malformed Content-Type parameters" },
	{ "empty body", CT, B(""), MP_MALFORMED, "no delimiter" },
	{ "no delimiter", CT, B("name=a&b=c"), MP_MALFORMED, "no delimiter" },
	{ "missing closing delimiter", CT, B("--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ\r\n"),
	    MP_MALFORMED, "truncated part headers" },
	{ "truncated data", CT, B("--XyZ\r\n" CD "name=a\r\n\r\nxyz"),
	    MP_MALFORMED, "no closing delimiter" },
	{ "closing delimiter cut short", CT, B("--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ-"),
	    MP_MALFORMED, "no closing delimiter" },
	{ "bare LF before the delimiter", CT, B("--XyZ\r\n" CD "name=a\r\n\r\nx\n--XyZ--\n"),
	    MP_MALFORMED, "no closing delimiter" },
	{ "truncated headers", CT, B("--XyZ\r\n" CD "name=a"),
	    MP_MALFORMED, "truncated part headers" },
	{ "header without colon", CT, ONE(CD "name=a\r\nX-Broken\r\n", "x"),
	    MP_MALFORMED, "part header without colon" },
	{ "space before the colon", CT, ONE("Content-Disposition : form-data; name=a\r\n", "x"),
	    MP_MALFORMED, "malformed part header name" },
	{ "empty header name", CT, ONE(": x\r\n" CD "name=a\r\n", "x"),
	    MP_MALFORMED, "malformed part header name" },
	{ "bare LF in headers", CT, B("--XyZ\r\n" CD "name=a\n\r\nx\r\n--XyZ--\r\n"),
	    MP_MALFORMED, "bare LF in part headers" },
	{ "bare CR in a header", CT, ONE(CD "name=\"a\rb\"\r\n", "x"),
	    MP_MALFORMED, "control character in part header" },
	{ "NUL in a header", CT, ONE(CD "name=\"a\0b\"\r\n", "x"),
	    MP_MALFORMED, "control character in part header" },
	{ "folded header", CT, ONE("X-A: 1\r\n folded\r\n" CD "name=a\r\n", "x"),
	    MP_MALFORMED, "folded part header line" },
	{ "missing Content-Disposition", CT, ONE("Content-Type: text/plain\r\n", "x"),
	    MP_MALFORMED, "part without Content-Disposition" },
	{ "no headers at all", CT, ONE("", "x"),
	    MP_MALFORMED, "part without Content-Disposition" },
	{ "second part without Content-Disposition", CT,
	    B("--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ\r\nX: y\r\n\r\ny\r\n--XyZ--"),
	    MP_MALFORMED, "part without Content-Disposition" },
	{ "two Content-Dispositions", CT, ONE(CD "name=a\r\n" CD "name=b\r\n", "x"),
	    MP_MALFORMED, "repeated Content-Disposition" },
	{ "two Content-Types", CT,
	    ONE(CD "name=a\r\nContent-Type: a/b\r\nContent-Type: a/b\r\n", "x"),
	    MP_MALFORMED, "repeated Content-Type" },
	{ "attachment, not form-data", CT,
	    ONE("Content-Disposition: attachment; name=a\r\n", "x"),
	    MP_MALFORMED, "Content-Disposition is not form-data" },
	{ "no name", CT, ONE(CD "filename=\"a.txt\"\r\n", "x"),
	    MP_MALFORMED, "Content-Disposition without name" },
	{ "two names", CT, ONE(CD "name=a; name=b\r\n", "x"),
	    MP_MALFORMED, "repeated Content-Disposition parameter" },
	{ "two filenames", CT, ONE(CD "name=a; filename=b; filename=c\r\n", "x"),
	    MP_MALFORMED, "repeated Content-Disposition parameter" },
	{ "unterminated quoted name", CT, ONE(CD "name=\"a\r\n", "x"),
	    MP_MALFORMED, "malformed Content-Disposition parameters" },
	{ "parameter without value", CT, ONE(CD "name=a; filename\r\n", "x"),
	    MP_MALFORMED, "malformed Content-Disposition parameters" },
	{ "garbage after a value", CT, ONE(CD "name=a b\r\n", "x"),
	    MP_MALFORMED, "malformed Content-Disposition parameters" },
	{ "filename* without quotes", CT, ONE(CD "name=a; filename*=UTF-8%41\r\n", "x"),
	    MP_MALFORMED, "filename* is not charset'language'value" },
	{ "filename* in another charset", CT,
	    ONE(CD "name=a; filename*=KOI8-R''%C1\r\n", "x"),
	    MP_MALFORMED, "filename* charset is neither UTF-8 nor ISO-8859-1" },
	{ "filename* with a bad escape", CT, ONE(CD "name=a; filename*=UTF-8''a%4\r\n", "x"),
	    MP_MALFORMED, "bad percent-escape in filename*" },
	{ "seventeen header lines", CT, ONE(
	    "H1: x\r\nH2: x\r\nH3: x\r\nH4: x\r\nH5: x\r\nH6: x\r\nH7: x\r\nH8: x\r\n"
	    "H9: x\r\nH10: x\r\nH11: x\r\nH12: x\r\nH13: x\r\nH14: x\r\nH15: x\r\nH16: x\r\n"
	    CD "name=\"h\"\r\n", "h"), MP_MALFORMED, "too many part headers" },
	{ "four parts, three allowed", CT, B(
	    "--XyZ\r\n" CD "name=a\r\n\r\n1\r\n"
	    "--XyZ\r\n" CD "name=b\r\n\r\n2\r\n"
	    "--XyZ\r\n" CD "name=c\r\n\r\n3\r\n"
	    "--XyZ\r\n" CD "name=d\r\n\r\n4\r\n"
	    "--XyZ--\r\n"), MP_TOO_MANY, "too many parts" },
	{ "too many parts wins over a later error", CT, B(
	    "--XyZ\r\n" CD "name=a\r\n\r\n1\r\n"
	    "--XyZ\r\n" CD "name=b\r\n\r\n2\r\n"
	    "--XyZ\r\n" CD "name=c\r\n\r\n3\r\n"
	    "--XyZ\r\nbroken\r\n\r\n4"), MP_TOO_MANY, "too many parts" },
};

Test(multipart, malformed)
{
	for (size_t c = 0; c < sizeof(bad_cases) / sizeof(bad_cases[0]); c++) {
		struct mp_form form;
		int rc;
		char *body = malloc(bad_cases[c].len ? bad_cases[c].len : 1);

		cr_assert_not_null(body);
		memcpy(body, bad_cases[c].body, bad_cases[c].len);
		rc = mp_parse(bad_cases[c].ct, body, bad_cases[c].len, 3, &form);
		cr_expect_eq(rc, bad_cases[c].rc, "%s: rc %d, want %d (%s)", bad_cases[c].label, rc,
		    bad_cases[c].rc, form.why);
		cr_expect_str_eq(form.why, bad_cases[c].why, "%s: why", bad_cases[c].label);
		cr_expect_null(form.parts, "%s", bad_cases[c].label);
		cr_expect_eq(form.nparts, 0, "%s", bad_cases[c].label);
		mp_free(&form);
		free(body);
	}
}

/* A body whose one part has a header block of exactly n bytes. */
static char *
body_with_header_block(size_t n, size_t *len)
{
	struct buf b = { 0 };
	const char *cd = CD "name=\"big\"\r\n";
	size_t pad;

	/* "X: " + pad + CRLF, then the Content-Disposition, then CRLF. */
	pad = n - strlen(cd) - 2 - 5;
	buf_adds(&b, "--XyZ\r\nX: ");
	for (size_t i = 0; i < pad; i++)
		buf_addc(&b, 'a');
	buf_adds(&b, "\r\n");
	buf_adds(&b, cd);
	buf_adds(&b, "\r\ndata\r\n--XyZ--\r\n");
	cr_assert(!b.oom);
	*len = b.len;
	return b.p;
}

Test(multipart, header_block_limit)
{
	struct mp_form form;
	size_t len;
	char *body;

	body = body_with_header_block(MP_HEADER_MAX, &len);
	cr_assert_eq(mp_parse(CT, body, len, 10, &form), MP_OK, "%s", form.why);
	cr_assert_eq(form.nparts, 1);
	cr_expect_str_eq(form.parts[0].name, "big");
	cr_expect_eq(form.parts[0].len, 4);
	cr_expect(memcmp(form.parts[0].data, "data", 4) == 0);
	mp_free(&form);
	free(body);

	body = body_with_header_block(MP_HEADER_MAX + 1, &len);
	cr_expect_eq(mp_parse(CT, body, len, 10, &form), MP_MALFORMED);
	cr_expect_str_eq(form.why, "part header block too large");
	cr_expect_null(form.parts);
	free(body);
}

Test(multipart, max_parts_exactly)
{
	static const char body[] = "--XyZ\r\n" CD "name=a\r\n\r\n1\r\n"
				   "--XyZ\r\n" CD "name=b\r\n\r\n2\r\n"
				   "--XyZ--\r\n";
	struct mp_form form;

	cr_assert_eq(mp_parse(CT, body, sizeof(body) - 1, 2, &form), MP_OK);
	cr_expect_eq(form.nparts, 2);
	mp_free(&form);
	cr_assert_eq(mp_parse(CT, body, sizeof(body) - 1, 1, &form), MP_TOO_MANY);
	cr_expect_null(form.parts);
	cr_assert_eq(mp_parse(CT, body, sizeof(body) - 1, 0, &form), MP_TOO_MANY);
}

Test(multipart, many_parts_grow)
{
	struct buf b = { 0 };
	struct mp_form form;
	char name[16];

	for (int i = 0; i < 100; i++)
		buf_addf(&b, "--XyZ\r\n" CD "name=\"f%d\"\r\n\r\n%d\r\n", i, i * 7);
	buf_adds(&b, "--XyZ--\r\n");
	cr_assert(!b.oom);
	cr_assert_eq(mp_parse(CT, b.p, b.len, 100, &form), MP_OK);
	cr_assert_eq(form.nparts, 100);
	for (int i = 0; i < 100; i++) {
		char want[16];
		snprintf(name, sizeof(name), "f%d", i);
		snprintf(want, sizeof(want), "%d", i * 7);
		const struct mp_part *p = mp_find(&form, name);
		cr_assert_not_null(p, "%s", name);
		cr_expect_eq(p, &form.parts[i]);
		cr_expect_eq(p->len, strlen(want));
		cr_expect(memcmp(p->data, want, p->len) == 0, "%s", name);
	}
	mp_free(&form);
	cr_assert_eq(mp_parse(CT, b.p, b.len, 99, &form), MP_TOO_MANY);
	buf_free(&b);
}

Test(multipart, find)
{
	static const char body[] = "--XyZ\r\n" CD "name=a\r\n\r\nfirst\r\n"
				   "--XyZ\r\n" CD "name=b; filename=b.txt\r\n\r\nbee\r\n"
				   "--XyZ\r\n" CD "name=a\r\n\r\nsecond\r\n"
				   "--XyZ--\r\n";
	struct mp_form form;
	const struct mp_part *p;

	cr_assert_eq(mp_parse(CT, body, sizeof(body) - 1, 10, &form), MP_OK);
	cr_assert_not_null(p = mp_find(&form, "a"));
	cr_expect_eq(p, &form.parts[0]);	/* the first of two */
	cr_assert_not_null(p = mp_find(&form, "b"));
	cr_expect_str_eq(p->filename, "b.txt");
	cr_expect_null(mp_find(&form, "B"));
	cr_expect_null(mp_find(&form, ""));
	cr_expect_null(mp_find(&form, "c"));
	mp_free(&form);
	cr_expect_null(mp_find(&form, "a"));	/* a freed form has no parts */
}

static const struct {
	const char *ct;
	bool yes;
} form_data_cases[] = {
	{ "multipart/form-data", true },
	{ "multipart/form-data; boundary=x", true },
	{ "MULTIPART/Form-Data;boundary=x", true },
	{ "  multipart/form-data  ; charset=utf-8", true },
	{ "multipart/form-data\t", true },
	{ "multipart/form-data-x", false },
	{ "multipart/form", false },
	{ "multipart/mixed; boundary=x", false },
	{ "application/x-www-form-urlencoded", false },
	{ "application/json", false },
	{ "text/plain; x=multipart/form-data", false },
	{ "", false },
	{ NULL, false },
};

Test(multipart, is_form_data)
{
	for (size_t i = 0; i < sizeof(form_data_cases) / sizeof(form_data_cases[0]); i++)
		cr_expect_eq(mp_is_form_data(form_data_cases[i].ct), form_data_cases[i].yes, "%s",
		    form_data_cases[i].ct ? form_data_cases[i].ct : "(null)");
}

Test(multipart, strerror)
{
	cr_expect_str_eq(mp_strerror(MP_OK), "ok");
	cr_expect_str_eq(mp_strerror(MP_MALFORMED), "malformed multipart body");
	cr_expect_str_eq(mp_strerror(MP_TOO_MANY), "too many parts");
	cr_expect_str_eq(mp_strerror(MP_NOMEM), "out of memory");
	cr_expect_str_eq(mp_strerror(42), "unknown multipart error");
}
