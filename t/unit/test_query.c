/*
 * test_query.c -- the PHP-style query string parser and builder.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "query.h"

/* Each case: query string, expected JSON (compact). */
static const struct {
	const char *qs;
	const char *json;
} parse_cases[] = {
	{ "", "{}" },
	{ "a=1", "{\"a\":\"1\"}" },
	{ "a=1&b=2", "{\"a\":\"1\",\"b\":\"2\"}" },
	{ "a=1&a=2", "{\"a\":\"2\"}" },
	{ "a", "{\"a\":\"\"}" },
	{ "a=", "{\"a\":\"\"}" },
	{ "&&a=1&&", "{\"a\":\"1\"}" },
	{ "q=hello+world", "{\"q\":\"hello world\"}" },
	{ "q=100%25", "{\"q\":\"100%\"}" },
	{ "q=%zz", "{\"q\":\"%zz\"}" },
	{ "q=%4", "{\"q\":\"%4\"}" },
	{ "q=caf%C3%A9", "{\"q\":\"caf\xc3\xa9\"}" },
	{ "q=%FF", "{\"q\":\"\xef\xbf\xbd\"}" },
	{ "q=a%00b", "{\"q\":\"a\xef\xbf\xbd" "b\"}" },
	{ "q=%C0%AF", "{\"q\":\"\xef\xbf\xbd\xef\xbf\xbd\"}" },
	{ "s[]=a&s[]=b", "{\"s\":{\"0\":\"a\",\"1\":\"b\"}}" },
	{ "s%5B%5D=a&s%5B%5D=b", "{\"s\":{\"0\":\"a\",\"1\":\"b\"}}" },
	{ "s[x]=1&s[y]=2", "{\"s\":{\"x\":\"1\",\"y\":\"2\"}}" },
	{ "s[x][]=1", "{\"s\":{\"x\":{\"0\":\"1\"}}}" },
	{ "s=1&s[]=2", "{\"s\":{\"0\":\"2\"}}" },
	{ "s[]=1&s=2", "{\"s\":\"2\"}" },
	{ "a.b=1", "{\"a_b\":\"1\"}" },
	{ "a b=1", "{\"a_b\":\"1\"}" },
	{ " a=1", "{\"a\":\"1\"}" },
	{ "a[=1", "{\"a_\":\"1\"}" },
	{ "[]=1", "{}" },
	/* Names that are empty once PHP drops leading spaces: ignored. */
	{ "+=1", "{}" },
	{ "%20=1&a=2", "{\"a\":\"2\"}" },
	{ "+", "{}" },
	{ "++[]=1", "{}" },
	{ "=1", "{}" },
	{ "a[b]c=1", "{\"a\":{\"b\":\"1\"}}" },
	{ "a[1][2][3][4][5][6][7][8]=x", "{\"a\":{\"1\":{\"2\":{\"3\":{\"4\":{\"5\":{\"6\":{\"7\":{\"8\":\"x\"}}}}}}}}}" },
	{ "a[1][2][3][4][5][6][7][8][9]=x", "{}" },
	{ "sort_by=created_at%3Adesc", "{\"sort_by\":\"created_at:desc\"}" },
	/* `[]` appends at PHP's next free key: highest integer key + 1. */
	{ "statuses[1]=a&statuses[]=b", "{\"statuses\":{\"1\":\"a\",\"2\":\"b\"}}" },
	{ "s[5]=a&s[]=b&s[2]=c&s[]=d", "{\"s\":{\"5\":\"a\",\"6\":\"b\",\"2\":\"c\",\"7\":\"d\"}}" },
	{ "s[]=a&s[0]=b&s[]=c", "{\"s\":{\"0\":\"b\",\"1\":\"c\"}}" },
	{ "s[x]=a&s[]=b", "{\"s\":{\"x\":\"a\",\"0\":\"b\"}}" },
	{ "s[-3]=a&s[]=b", "{\"s\":{\"-3\":\"a\",\"-2\":\"b\"}}" },
	/* Not integer keys for PHP: strings, which do not move the next key. */
	{ "s[05]=a&s[]=b", "{\"s\":{\"05\":\"a\",\"0\":\"b\"}}" },
	{ "s[-0]=a&s[]=b", "{\"s\":{\"-0\":\"a\",\"0\":\"b\"}}" },
	{ "s[%2B4]=a&s[]=b", "{\"s\":{\"+4\":\"a\",\"0\":\"b\"}}" },
	{ "s[9223372036854775808]=a&s[]=b",
	  "{\"s\":{\"9223372036854775808\":\"a\",\"0\":\"b\"}}" },
	/* The highest key: PHP's append fails and drops the value. */
	{ "s[9223372036854775807]=a&s[]=b", "{\"s\":{\"9223372036854775807\":\"a\"}}" },
	/* A key removed (the array replaced) is forgotten with its array. */
	{ "s[7]=a&s=x&s[]=b", "{\"s\":{\"0\":\"b\"}}" },
	{ "a[1][]=x&a[1][]=y&a[]=z",
	  "{\"a\":{\"1\":{\"0\":\"x\",\"1\":\"y\"},\"2\":\"z\"}}" },
	{ "a[4][x]=1&a[][y]=2", "{\"a\":{\"4\":{\"x\":\"1\"},\"5\":{\"y\":\"2\"}}}" },
};

Test(query, parse_table)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		struct json_object *j = NULL;
		int rc = query_parse(parse_cases[i].qs, strlen(parse_cases[i].qs), 100, &j);
		cr_assert_eq(rc, 0, "parse %s", parse_cases[i].qs);
		const char *got = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
		cr_expect_str_eq(got, parse_cases[i].json, "query %s", parse_cases[i].qs);
		json_object_put(j);
	}
}

Test(query, too_many_params)
{
	struct json_object *j = (struct json_object *)1;

	cr_assert_eq(query_parse("a=1&b=2&c=3", 11, 2, &j), -1);
	cr_assert_null(j);
	cr_assert_eq(query_parse("a=1&b=2", 7, 2, &j), 0);
	json_object_put(j);
}

static const struct {
	const char *in;
	const char *out;
} encode_cases[] = {
	{ "abc", "abc" },
	{ "a b", "a%20b" },
	{ "a+b", "a%2Bb" },
	{ "-_.~", "-_.~" },
	{ "x[]", "x%5B%5D" },
	{ "caf\xc3\xa9", "caf%C3%A9" },
	{ "a/b:c", "a%2Fb%3Ac" },
};

Test(query, encode_like_rawurlencode)
{
	for (size_t i = 0; i < sizeof(encode_cases) / sizeof(encode_cases[0]); i++) {
		struct buf b = { 0 };
		query_encode(&b, encode_cases[i].in, strlen(encode_cases[i].in));
		cr_expect_str_eq(b.p, encode_cases[i].out);
		buf_free(&b);
	}
}

Test(query, build_like_http_build_query)
{
	struct json_object *j = NULL;
	const char *qs = "query=a+b&statuses[]=active&statuses[]=paused&page=3&empty=x";
	struct buf b = { 0 };

	cr_assert_eq(query_parse(qs, strlen(qs), 100, &j), 0);
	json_object_object_add(j, "empty", NULL);	/* nulls are skipped */
	cr_assert_eq(query_build(&b, j, "page"), 3);
	cr_expect_str_eq(b.p, "query=a%20b&statuses%5B0%5D=active&statuses%5B1%5D=paused");
	buf_free(&b);
	json_object_put(j);
}

/* The parser's bookkeeping of next keys does not outlive the parse. */
Test(query, containers_carry_no_userdata)
{
	struct json_object *j = NULL, *s = NULL, *inner = NULL;
	const char *qs = "s[3]=a&s[][x]=b";

	cr_assert_eq(query_parse(qs, strlen(qs), 100, &j), 0);
	cr_assert(json_object_object_get_ex(j, "s", &s));
	cr_assert(json_object_object_get_ex(s, "4", &inner));
	cr_expect_null(json_object_get_userdata(j));
	cr_expect_null(json_object_get_userdata(s));
	cr_expect_null(json_object_get_userdata(inner));
	json_object_put(j);
}
