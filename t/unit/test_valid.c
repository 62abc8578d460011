/*
 * test_valid.c -- the input validator: every type with valid and invalid
 * values and Laravel's exact messages, nested keys, the three states,
 * cross-field rules, and values that must not pass for others ("x\0y").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "http.h"
#include "valid.h"

static const struct sort_col cols[] = { { "id", "t.id" }, { "created_at", "t.c" }, { NULL, NULL } };
static const char *const levels[] = { "0", "1", "2", NULL };
static const char *const statuses[] = { "active", "paused", NULL };
static const char *const just_x[] = { "x", NULL };
static const char *const sources[] = { "0", "1", "2", "3", "4", NULL };

/* The fields under test, one per type or option. */
static const struct valid_field f_size = VALID_SIZE(100);
static const struct valid_field f_query = { .name = "query", .type = &valid_string,
	.flags = V_MAX, .max = 5 };
static const struct valid_field f_name = { .name = "name", .type = &valid_string,
	.flags = V_MIN | V_MAX, .min = 2, .max = 4 };
static const struct valid_field f_in_str = { .name = "kind", .type = &valid_string, .in = just_x };
static const struct valid_field f_bool = { .name = "return_ad_enabled", .type = &valid_bool };
static const struct valid_field f_list = { .name = "access_levels", .type = &valid_int_list,
	.max_items = 3, .in = levels };
static const struct valid_field f_ids = { .name = "user_ids", .type = &valid_int_list,
	.flags = V_REQUIRED, .min_items = 2 };
static const struct valid_field f_set = { .name = "statuses", .type = &valid_str_list,
	.in = statuses };
static const struct valid_field f_names = { .name = "names", .type = &valid_str_list,
	.flags = V_MAX, .max = 3, .max_items = 2 };
static const struct valid_field f_sort = VALID_SORT(cols);
static const struct valid_field f_req = { .name = "created_by", .type = &valid_int,
	.flags = V_REQUIRED };
static const struct valid_field f_date = { .name = "valid_from", .type = &valid_date };
static const struct valid_field f_dt = { .name = "starts_at", .type = &valid_datetime };
static const struct valid_field f_when = { .name = "valid_until", .type = &valid_when };
static const struct valid_field f_month = { .name = "payment_period", .type = &valid_month };
static const struct valid_field f_money = { .name = "cpc", .type = &valid_money };
static const struct valid_field f_money_max = { .name = "budget", .type = &valid_money,
	.flags = V_MIN | V_MAX, .min = 100, .max = 100000 };
static const struct valid_field f_dec = { .name = "user_revenue", .type = &valid_decimal,
	.scale = 4, .dmin = "0", .dmax = "1" };
static const struct valid_field f_dec0 = { .name = "units", .type = &valid_decimal,
	.dmin = "-10", .dmax = "1e3" };
static const struct valid_field f_dec_big = { .name = "amount", .type = &valid_decimal,
	.scale = 2 };
static const struct valid_field f_email = { .name = "email", .type = &valid_email,
	.flags = V_MAX, .max = 40 };
static const struct valid_field f_url = { .name = "homepage_url", .type = &valid_url };
static const struct valid_field f_url_short = { .name = "logo_url", .type = &valid_url,
	.flags = V_MAX, .max = 30 };
static const struct valid_field f_host = { .name = "domain", .type = &valid_host };
static const struct valid_field f_country = { .name = "country", .type = &valid_country };
static const struct valid_field f_currency = { .name = "currency", .type = &valid_currency };
static const struct valid_field f_lang = { .name = "language", .type = &valid_language };
static const struct valid_field f_enum = { .name = "status", .type = &valid_enum, .in = statuses };
static const struct valid_field f_enum_x = { .name = "mode", .type = &valid_enum, .in = just_x };

static const struct valid_field cost_fields[] = {
	{ .name = "source", .type = &valid_int, .flags = V_REQUIRED, .in = sources },
	{ .name = "cpc", .type = &valid_money, .flags = V_REQUIRED },
	{ .name = "user_revenue", .type = &valid_decimal, .scale = 4, .dmin = "0", .dmax = "1" },
};
static const struct valid_field f_costs = { .name = "traffic_sources_costs",
	.type = &valid_objects, VALID_NESTED(cost_fields), .min_items = 1, .max_items = 3 };
static const struct valid_field billing_fields[] = {
	{ .name = "company_name", .type = &valid_string, .flags = V_REQUIRED | V_MAX, .max = 255 },
	{ .name = "country", .type = &valid_country },
	{ .name = "email", .type = &valid_email },
};
static const struct valid_field f_billing = { .name = "billing", .type = &valid_object,
	VALID_NESTED(billing_fields) };

/* Each case: field, JSON value (NULL = absent), error key (NULL = the
 * field's name), expected message (NULL = valid). */
static const struct vcase {
	const struct valid_field *f;
	const char *json;
	const char *key;
	const char *msg;
} cases[] = {
	/* integer */
	{ &f_size, "\"20\"", NULL, NULL },
	{ &f_size, "20", NULL, NULL },
	{ &f_size, "\"101\"", NULL, "The size field must not be greater than 100." },
	{ &f_size, "\"0\"", NULL, "The size field must be at least 1." },
	{ &f_size, "\"-5\"", NULL, "The size field must be at least 1." },
	{ &f_size, "\"abc\"", NULL, "The size field must be an integer." },
	{ &f_size, "\"1.5\"", NULL, "The size field must be an integer." },
	{ &f_size, "\"+5\"", NULL, "The size field must be an integer." },
	{ &f_size, "\"5\\u0000\"", NULL, "The size field must be an integer." },
	{ &f_size, "1.5", NULL, "The size field must be an integer." },
	{ &f_size, "\"99999999999999999999\"", NULL, "The size field must be an integer." },
	{ &f_size, "99999999999999999999", NULL, "The size field must be an integer." },
	{ &f_size, "9223372036854775808", NULL, "The size field must be an integer." },
	{ &f_size, "-9223372036854775809", NULL, "The size field must be an integer." },
	{ &f_size, "true", NULL, "The size field must be an integer." },
	{ &f_size, "[1]", NULL, "The size field must be an integer." },
	{ &f_size, NULL, NULL, NULL },
	{ &f_size, "null", NULL, NULL },
	{ &f_req, NULL, NULL, "The created by field is required." },
	{ &f_req, "null", NULL, "The created by field is required." },
	{ &f_req, "3", NULL, NULL },
	{ &f_req, "9223372036854775807", NULL, NULL },
	/* string */
	{ &f_query, "\"abcde\"", NULL, NULL },
	{ &f_query, "\"abcdef\"", NULL, "The query field must not be greater than 5 characters." },
	{ &f_query, "\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"", NULL, NULL },
	{ &f_query, "5", NULL, "The query field must be a string." },
	{ &f_query, "[\"a\"]", NULL, "The query field must be a string." },
	{ &f_name, "\"a\"", NULL, "The name field must be at least 2 characters." },
	{ &f_name, "\"ab\"", NULL, NULL },
	{ &f_name, "\"abcde\"", NULL, "The name field must not be greater than 4 characters." },
	{ &f_in_str, "\"x\"", NULL, NULL },
	{ &f_in_str, "\"x\\u0000y\"", NULL, "The selected kind is invalid." },
	{ &f_in_str, "\"x\\u0000\"", NULL, "The selected kind is invalid." },
	{ &f_in_str, "\"X\"", NULL, "The selected kind is invalid." },
	/* boolean */
	{ &f_bool, "true", NULL, NULL },
	{ &f_bool, "false", NULL, NULL },
	{ &f_bool, "\"1\"", NULL, NULL },
	{ &f_bool, "\"0\"", NULL, NULL },
	{ &f_bool, "0", NULL, NULL },
	{ &f_bool, "1", NULL, NULL },
	{ &f_bool, "\"true\"", NULL, "The return ad enabled field must be true or false." },
	{ &f_bool, "\"01\"", NULL, "The return ad enabled field must be true or false." },
	{ &f_bool, "2", NULL, "The return ad enabled field must be true or false." },
	{ &f_bool, "0.0", NULL, "The return ad enabled field must be true or false." },
	/* integer list */
	{ &f_list, "[0,1]", NULL, NULL },
	{ &f_list, "[]", NULL, NULL },
	{ &f_list, "{\"0\":\"1\",\"1\":\"2\"}", NULL, NULL },
	{ &f_list, "[3]", "access_levels.0", "The selected access levels.0 is invalid." },
	{ &f_list, "[0,\"x\"]", "access_levels.1", "The access levels.1 field must be an integer." },
	{ &f_list, "[0,null]", "access_levels.1", "The access levels.1 field must be an integer." },
	{ &f_list, "{\"a\":\"x\"}", "access_levels.a", "The access levels.a field must be an integer." },
	{ &f_list, "\"1\"", NULL, "The access levels field must be an array." },
	{ &f_list, "[0,1,2,1]", NULL, "The access levels field must not have more than 3 items." },
	{ &f_ids, "[1,2]", NULL, NULL },
	{ &f_ids, "[]", NULL, "The user ids field is required." },
	{ &f_ids, "[1]", NULL, "The user ids field must have at least 2 items." },
	/* string list, enum set */
	{ &f_set, "[\"active\",\"paused\"]", NULL, NULL },
	{ &f_set, "[\"active\",\"deleted\"]", "statuses.1", "The selected statuses.1 is invalid." },
	{ &f_set, "[\"active\\u0000\"]", "statuses.0", "The selected statuses.0 is invalid." },
	{ &f_set, "[5]", "statuses.0", "The statuses.0 field must be a string." },
	{ &f_set, "[null]", "statuses.0", "The statuses.0 field must be a string." },
	{ &f_names, "[\"abc\",\"d\"]", NULL, NULL },
	{ &f_names, "[\"abcd\"]", "names.0", "The names.0 field must not be greater than 3 characters." },
	{ &f_names, "[\"a\",\"b\",\"c\"]", NULL, "The names field must not have more than 2 items." },
	/* sort */
	{ &f_sort, "\"created_at:desc\"", NULL, NULL },
	{ &f_sort, "\"id:asc\"", NULL, NULL },
	{ &f_sort, "\"id\"", NULL, "The sort by field format is invalid." },
	{ &f_sort, "\"id:up\"", NULL, "The sort by field format is invalid." },
	{ &f_sort, "\"id:ascending\"", NULL, "The sort by field format is invalid." },
	{ &f_sort, "\"id:asc\\u0000\"", NULL, "The sort by field format is invalid." },
	{ &f_sort, "\"id;drop:asc\"", NULL, "The sort by field format is invalid." },
	{ &f_sort, "\":asc\"", NULL, "The sort by field format is invalid." },
	{ &f_sort, "5", NULL, "The sort by field format is invalid." },
	{ &f_sort, "\"password:asc\"", NULL, "The selected sort by is invalid." },
	/* date */
	{ &f_date, "\"2024-02-29\"", NULL, NULL },
	{ &f_date, "\"0001-01-01\"", NULL, NULL },
	{ &f_date, "\"9999-12-31\"", NULL, NULL },
	{ &f_date, "\"2023-02-29\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"1900-02-29\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"2024-04-31\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"2024-13-01\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"2024-00-10\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"0000-01-01\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"yesterday\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"2024-01-05x\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"2024-01-05\\u0000\"", NULL, "The valid from field must be a valid date." },
	{ &f_date, "20240105", NULL, "The valid from field must be a valid date." },
	{ &f_date, "\"2024-1-5\"", NULL, "The valid from field must match the format Y-m-d." },
	{ &f_date, "\"2024-01-05 10:00:00\"", NULL,
	    "The valid from field must match the format Y-m-d." },
	{ &f_date, "\"2024-01-05T10:00:00Z\"", NULL,
	    "The valid from field must match the format Y-m-d." },
	/* datetime */
	{ &f_dt, "\"2024-01-05 10:00:00\"", NULL, NULL },
	{ &f_dt, "\"2024-01-05T23:59:59\"", NULL, NULL },
	{ &f_dt, "\"2024-01-05T00:00:00Z\"", NULL, NULL },
	{ &f_dt, "\"2024-01-05\"", NULL, "The starts at field must match the format Y-m-d H:i:s." },
	{ &f_dt, "\"2024-01-05 10:00\"", NULL,
	    "The starts at field must match the format Y-m-d H:i:s." },
	{ &f_dt, "\"2024-01-05 10:00:00Z\"", NULL,
	    "The starts at field must match the format Y-m-d H:i:s." },
	{ &f_dt, "\"2024-01-05T10:00:00+02:00\"", NULL,
	    "The starts at field must match the format Y-m-d H:i:s." },
	{ &f_dt, "\"2024-01-05T10:00:00.5Z\"", NULL,
	    "The starts at field must match the format Y-m-d H:i:s." },
	{ &f_dt, "\"2024-01-05 9:00:00\"", NULL,
	    "The starts at field must match the format Y-m-d H:i:s." },
	{ &f_dt, "\"2024-01-05 24:00:00\"", NULL, "The starts at field must be a valid date." },
	{ &f_dt, "\"2024-01-05 10:60:00\"", NULL, "The starts at field must be a valid date." },
	{ &f_dt, "\"2023-02-29 10:00:00\"", NULL, "The starts at field must be a valid date." },
	{ &f_dt, "\"soon\"", NULL, "The starts at field must be a valid date." },
	/* date or date-time (Laravel's `date`) */
	{ &f_when, "\"2037-06-30\"", NULL, NULL },
	{ &f_when, "\"2025-04-03T15:53:23\"", NULL, NULL },
	{ &f_when, "\"2025-04-03 15:53:23\"", NULL, NULL },
	{ &f_when, "\"2025-04-03 15:53\"", NULL, "The valid until field must be a valid date." },
	{ &f_when, "\"2023-02-29\"", NULL, "The valid until field must be a valid date." },
	{ &f_when, "20250403", NULL, "The valid until field must be a valid date." },
	{ &f_dt, "\"2024-01-05 10:00:00 \"", NULL, "The starts at field must be a valid date." },
	{ &f_dt, "1704448800", NULL, "The starts at field must be a valid date." },
	/* month */
	{ &f_month, "\"2024-01\"", NULL, NULL },
	{ &f_month, "\"2024-12\"", NULL, NULL },
	{ &f_month, "\"2024-13\"", NULL, "The payment period field must match the format Y-m." },
	{ &f_month, "\"2024-00\"", NULL, "The payment period field must match the format Y-m." },
	{ &f_month, "\"2024-1\"", NULL, "The payment period field must match the format Y-m." },
	{ &f_month, "\"2024-01-01\"", NULL, "The payment period field must match the format Y-m." },
	{ &f_month, "202401", NULL, "The payment period field must match the format Y-m." },
	/* money */
	{ &f_money, "150", NULL, NULL },
	{ &f_money, "\"150\"", NULL, NULL },
	{ &f_money, "0", NULL, NULL },
	{ &f_money, "-1", NULL, "The cpc field must be at least 0." },
	{ &f_money, "1.5", NULL, "The cpc field must be an integer." },
	{ &f_money, "1.0", NULL, "The cpc field must be an integer." },
	{ &f_money, "\"1.50\"", NULL, "The cpc field must be an integer." },
	{ &f_money, "1e2", NULL, "The cpc field must be an integer." },
	{ &f_money, "99999999999999999999", NULL, "The cpc field must be an integer." },
	{ &f_money, "\"ten\"", NULL, "The cpc field must be an integer." },
	{ &f_money_max, "100", NULL, NULL },
	{ &f_money_max, "99", NULL, "The budget field must be at least 100." },
	{ &f_money_max, "100001", NULL, "The budget field must not be greater than 100000." },
	/* decimal */
	{ &f_dec, "0.5", NULL, NULL },
	{ &f_dec, "\"0.25\"", NULL, NULL },
	{ &f_dec, "1", NULL, NULL },
	{ &f_dec, "1.0000", NULL, NULL },
	{ &f_dec, "1.00000000", NULL, NULL },
	{ &f_dec, "0", NULL, NULL },
	{ &f_dec, "-0.0", NULL, NULL },
	{ &f_dec, "25e-2", NULL, NULL },
	{ &f_dec, "\".5\"", NULL, NULL },
	{ &f_dec, "\"+0.5\"", NULL, NULL },
	{ &f_dec, "0.1234", NULL, NULL },
	{ &f_dec, "0.12345", NULL, "The user revenue field must have 0-4 decimal places." },
	{ &f_dec, "0.30000000000000000000000001", NULL,
	    "The user revenue field must have 0-4 decimal places." },
	{ &f_dec, "1e-5", NULL, "The user revenue field must have 0-4 decimal places." },
	{ &f_dec, "1.0001", NULL, "The user revenue field must not be greater than 1." },
	{ &f_dec, "1.00000000000000000001", NULL,
	    "The user revenue field must have 0-4 decimal places." },
	{ &f_dec, "2", NULL, "The user revenue field must not be greater than 1." },
	{ &f_dec, "-0.0001", NULL, "The user revenue field must be at least 0." },
	{ &f_dec, "\"abc\"", NULL, "The user revenue field must be a number." },
	{ &f_dec, "\"1.2.3\"", NULL, "The user revenue field must be a number." },
	{ &f_dec, "\".\"", NULL, "The user revenue field must be a number." },
	{ &f_dec, "\"0.5 \"", NULL, "The user revenue field must be a number." },
	{ &f_dec, "\"0x1\"", NULL, "The user revenue field must be a number." },
	{ &f_dec, "\"1e1000\"", NULL, "The user revenue field must be a number." },
	{ &f_dec, "\"0.5\\u0000\"", NULL, "The user revenue field must be a number." },
	{ &f_dec, "true", NULL, "The user revenue field must be a number." },
	{ &f_dec, "[0.5]", NULL, "The user revenue field must be a number." },
	{ &f_dec, "99999999999999999999", NULL, "The user revenue field must be a number." },
	{ &f_dec0, "-10", NULL, NULL },
	{ &f_dec0, "1000", NULL, NULL },
	{ &f_dec0, "0.5", NULL, "The units field must have 0 decimal places." },
	{ &f_dec0, "-11", NULL, "The units field must be at least -10." },
	{ &f_dec0, "1001", NULL, "The units field must not be greater than 1e3." },
	{ &f_dec_big, "12345678901234567890123.45", NULL, NULL },
	/* email */
	{ &f_email, "\"a@b.se\"", NULL, NULL },
	{ &f_email, "\"first.last+tag@example.co.uk\"", NULL, NULL },
	{ &f_email, "\"user@localhost\"", NULL, NULL },
	{ &f_email, "\"\xc3\xa5sa@exempel.se\"", NULL, NULL },
	{ &f_email, "\"plain\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a@\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"@b.se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a..b@c.se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\".a@b.se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a.@b.se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a b@c.se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a@b..se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a@-b.se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a@b@c.se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a\\u0000@b.se\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a@b.se\\u0000\"", NULL, "The email field must be a valid email address." },
	{ &f_email, "\"a@b.se\\nBcc: x@y.se\"", NULL,
	    "The email field must be a valid email address." },
	{ &f_email, "5", NULL, "The email field must be a string." },
	{ &f_email, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.se\"", NULL,
	    "The email field must not be greater than 40 characters." },
	/* url */
	{ &f_url, "\"https://example.com\"", NULL, NULL },
	{ &f_url, "\"http://example.com:8080/path?q=1#f\"", NULL, NULL },
	{ &f_url, "\"HTTPS://Example.COM/\"", NULL, NULL },
	{ &f_url, "\"https://192.168.0.1/x\"", NULL, NULL },
	{ &f_url, "\"http://[::1]:80/\"", NULL, NULL },
	{ &f_url, "\"https://shop.example.se?utm=a|b\"", NULL, NULL },
	{ &f_url, "\"https://\xe4\xbe\x8b\xe3\x81\x88.jp/\xe3\x83\x91\"", NULL, NULL },
	{ &f_url, "\"ftp://example.com\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"javascript:alert(1)\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https:///path\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"example.com\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://exa mple.com\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://example.com/a b\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://example.com/\\u0000\"", NULL,
	    "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://user@example.com\"", NULL,
	    "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://example.com:0\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://example.com:99999\"", NULL,
	    "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://example.com:\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://-a.com\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://256.1.1.1\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://[zz::1]/\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "\"https://[::1/\"", NULL, "The homepage url field must be a valid URL." },
	{ &f_url, "5", NULL, "The homepage url field must be a string." },
	{ &f_url_short, "\"https://example.com/abcdefghijk\"", NULL,
	    "The logo url field must not be greater than 30 characters." },
	/* host */
	{ &f_host, "\"Example.COM\"", NULL, NULL },
	{ &f_host, "\"a-b.c\"", NULL, NULL },
	{ &f_host, "\"localhost\"", NULL, NULL },
	{ &f_host, "\"xn--exmple-cua.se\"", NULL, NULL },
	{ &f_host, "\"-a.com\"", NULL, "The domain field format is invalid." },
	{ &f_host, "\"a-.com\"", NULL, "The domain field format is invalid." },
	{ &f_host, "\"a_b.com\"", NULL, "The domain field format is invalid." },
	{ &f_host, "\"a..b\"", NULL, "The domain field format is invalid." },
	{ &f_host, "\"example.com.\"", NULL, "The domain field format is invalid." },
	{ &f_host, "\"1.2.3.4\"", NULL, "The domain field format is invalid." },
	{ &f_host, "\"ex\xc3\xa4mple.se\"", NULL, "The domain field format is invalid." },
	{ &f_host, "\"https://example.com\"", NULL, "The domain field format is invalid." },
	{ &f_host, "\"example.com\\u0000.evil\"", NULL, "The domain field format is invalid." },
	{ &f_host,
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.se\"", NULL,
	    "The domain field format is invalid." },
	{ &f_host, "5", NULL, "The domain field must be a string." },
	/* ISO codes */
	{ &f_country, "\"SE\"", NULL, NULL },
	{ &f_country, "\"AX\"", NULL, NULL },
	{ &f_country, "\"ZW\"", NULL, NULL },
	{ &f_country, "\"se\"", NULL, "The selected country is invalid." },
	{ &f_country, "\"XX\"", NULL, "The selected country is invalid." },
	{ &f_country, "\"SWE\"", NULL, "The selected country is invalid." },
	{ &f_country, "\"S\"", NULL, "The selected country is invalid." },
	{ &f_country, "\"S\\u0000\"", NULL, "The selected country is invalid." },
	{ &f_country, "\"SE\\u0000\"", NULL, "The selected country is invalid." },
	{ &f_country, "46", NULL, "The country field must be a string." },
	{ &f_currency, "\"SEK\"", NULL, NULL },
	{ &f_currency, "\"AED\"", NULL, NULL },
	{ &f_currency, "\"ZWL\"", NULL, NULL },
	{ &f_currency, "\"sek\"", NULL, "The selected currency is invalid." },
	{ &f_currency, "\"ABC\"", NULL, "The selected currency is invalid." },
	{ &f_currency, "\"SE\"", NULL, "The selected currency is invalid." },
	{ &f_currency, "\"SEKK\"", NULL, "The selected currency is invalid." },
	{ &f_lang, "\"sv\"", NULL, NULL },
	{ &f_lang, "\"aa\"", NULL, NULL },
	{ &f_lang, "\"zu\"", NULL, NULL },
	{ &f_lang, "\"SV\"", NULL, "The selected language is invalid." },
	{ &f_lang, "\"swe\"", NULL, "The selected language is invalid." },
	{ &f_lang, "\"sv_SE\"", NULL, "The selected language is invalid." },
	{ &f_lang, "\"qq\"", NULL, "The selected language is invalid." },
	/* enum */
	{ &f_enum, "\"active\"", NULL, NULL },
	{ &f_enum, "\"paused\"", NULL, NULL },
	{ &f_enum, "\"Active\"", NULL, "The selected status is invalid." },
	{ &f_enum, "\"activ\"", NULL, "The selected status is invalid." },
	{ &f_enum, "\"active\\u0000\"", NULL, "The selected status is invalid." },
	{ &f_enum, "1", NULL, "The status field must be a string." },
	{ &f_enum_x, "\"x\"", NULL, NULL },
	{ &f_enum_x, "\"x\\u0000y\"", NULL, "The selected mode is invalid." },
	/* array of objects */
	{ &f_costs, "[{\"source\":1,\"cpc\":5},{\"source\":\"2\",\"cpc\":5,\"user_revenue\":0.5}]",
	    NULL, NULL },
	{ &f_costs, "[{\"source\":1,\"cpc\":5},{\"source\":2,\"cpc\":\"x\"}]",
	    "traffic_sources_costs.1.cpc",
	    "The traffic sources costs.1.cpc field must be an integer." },
	{ &f_costs, "[{\"source\":9,\"cpc\":5}]", "traffic_sources_costs.0.source",
	    "The selected traffic sources costs.0.source is invalid." },
	{ &f_costs, "[{\"cpc\":5}]", "traffic_sources_costs.0.source",
	    "The traffic sources costs.0.source field is required." },
	{ &f_costs, "[{\"source\":1,\"cpc\":5,\"user_revenue\":1.5}]",
	    "traffic_sources_costs.0.user_revenue",
	    "The traffic sources costs.0.user revenue field must not be greater than 1." },
	{ &f_costs, "[5]", "traffic_sources_costs.0",
	    "The traffic sources costs.0 field must be an array." },
	{ &f_costs, "[null]", "traffic_sources_costs.0",
	    "The traffic sources costs.0 field must be an array." },
	{ &f_costs, "{\"a\":{\"source\":1}}", "traffic_sources_costs.a.cpc",
	    "The traffic sources costs.a.cpc field is required." },
	{ &f_costs, "[]", NULL, "The traffic sources costs field must have at least 1 items." },
	{ &f_costs, "\"x\"", NULL, "The traffic sources costs field must be an array." },
	{ &f_costs, "[{},{},{},{}]", NULL,
	    "The traffic sources costs field must not have more than 3 items." },
	/* nested object */
	{ &f_billing, "{\"company_name\":\"ACME\",\"country\":\"SE\",\"email\":\"a@b.se\"}",
	    NULL, NULL },
	{ &f_billing, "{}", "billing.company_name", "The billing.company name field is required." },
	{ &f_billing, "[]", "billing.company_name", "The billing.company name field is required." },
	{ &f_billing, "{\"company_name\":\"A\",\"country\":\"XX\"}", "billing.country",
	    "The selected billing.country is invalid." },
	{ &f_billing, "{\"company_name\":\"A\",\"email\":\"nope\"}", "billing.email",
	    "The billing.email field must be a valid email address." },
	{ &f_billing, "5", NULL, "The billing field must be an array." },
	{ &f_billing, "[1]", NULL, "The billing field must be an array." },
};

/* {"name": json} or {} as a parsed object; the caller puts it. */
static struct json_object *
input_of(const struct valid_field *f, const char *json)
{
	struct json_object *in = NULL;
	char text[4096];
	int n;

	if (json == NULL)
		return json_object_new_object();
	n = snprintf(text, sizeof(text), "{\"%s\":%s}", f->name, json);
	cr_assert(n > 0 && (size_t)n < sizeof(text));
	cr_assert_eq(http_parse_json(text, (size_t)n, 16, &in), 0, "json %s", text);
	return in;
}

/* The first message stored under key, or NULL. */
static const char *
message_at(struct json_object *verrors, const char *key)
{
	struct json_object *list;

	if (verrors == NULL || !json_object_object_get_ex(verrors, key, &list))
		return NULL;
	return json_object_get_string(json_object_array_get_idx(list, 0));
}

Test(valid, rules_and_messages)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];
		struct valid_value v;
		struct req r;
		struct json_object *in = input_of(c->f, c->json);

		memset(&r, 0, sizeof(r));
		enum api_err e = valid_field(&r, c->f, in, &v);
		if (c->msg == NULL) {
			cr_expect_eq(e, API_OK, "case %zu %s %s: %s", i, c->f->name, c->json,
			    json_object_to_json_string(r.verrors));
			cr_expect_null(r.verrors, "case %zu", i);
		} else {
			const char *key = c->key ? c->key : c->f->name, *got;

			cr_expect_eq(e, API_VALIDATION, "case %zu %s %s should fail", i, c->f->name,
			    c->json);
			got = message_at(r.verrors, key);
			cr_expect(got != NULL && strcmp(got, c->msg) == 0,
			    "case %zu %s: expected %s: \"%s\", got %s", i, c->json, key, c->msg,
			    json_object_to_json_string(r.verrors));
			cr_expect(r.verrors != NULL && json_object_object_length(r.verrors) == 1,
			    "case %zu: one error only: %s", i, json_object_to_json_string(r.verrors));
		}
		valid_value_free(&v);
		json_object_put(r.verrors);
		json_object_put(in);
	}
}

/* What the types hand the handler. */
static const struct {
	const struct valid_field *f;
	const char *json;
	const char *s;		/* expected text, or NULL to check i */
	int64_t i;
} outputs[] = {
	{ &f_size, "\"42\"", NULL, 42 },
	{ &f_req, "-7", NULL, -7 },
	{ &f_money, "\"1999\"", NULL, 1999 },
	{ &f_money, "1999", NULL, 1999 },
	{ &f_enum, "\"paused\"", "paused", 1 },
	{ &f_in_str, "\"x\"", "x", 0 },
	{ &f_query, "\"a\\u0000b\"", "a\0b", 0 },
	{ &f_date, "\"2024-02-29\"", "2024-02-29", 0 },
	{ &f_dt, "\"2024-01-05 10:00:00\"", "2024-01-05 10:00:00", 0 },
	{ &f_dt, "\"2024-01-05T10:00:00\"", "2024-01-05 10:00:00", 0 },
	{ &f_dt, "\"2024-01-05T10:00:00Z\"", "2024-01-05 10:00:00", 0 },
	{ &f_month, "\"2024-03\"", "2024-03", 0 },
	{ &f_dec, "0.5", "0.5", 0 },
	{ &f_dec, "0.50", "0.5", 0 },
	{ &f_dec, "\"0.2500\"", "0.25", 0 },
	{ &f_dec, "1.0000", "1", 0 },
	{ &f_dec, "-0.0", "0", 0 },
	{ &f_dec, "0", "0", 0 },
	{ &f_dec, "25e-2", "0.25", 0 },
	{ &f_dec, "\"2.5E-1\"", "0.25", 0 },
	{ &f_dec, "\".5\"", "0.5", 0 },
	{ &f_dec, "\"+0.5\"", "0.5", 0 },
	{ &f_dec, "0.0001", "0.0001", 0 },
	{ &f_dec0, "1e3", "1000", 0 },
	{ &f_dec0, "\"-007\"", "-7", 0 },
	{ &f_dec0, "\"5.\"", "5", 0 },
	{ &f_dec_big, "12345678901234567890123.45", "12345678901234567890123.45", 0 },
	{ &f_dec_big, "-0.10", "-0.1", 0 },
	{ &f_dec_big, "100", "100", 0 },
	{ &f_host, "\"Shop.Example.COM\"", "shop.example.com", 0 },
	{ &f_email, "\"A@B.se\"", "A@B.se", 0 },
	{ &f_country, "\"SE\"", "SE", 0 },
	{ &f_currency, "\"PLN\"", "PLN", 0 },
	{ &f_lang, "\"sv\"", "sv", 0 },
};

Test(valid, typed_values)
{
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		struct valid_value v;
		struct req r;
		struct json_object *in = input_of(outputs[i].f, outputs[i].json);

		memset(&r, 0, sizeof(r));
		cr_assert_eq(valid_field(&r, outputs[i].f, in, &v), API_OK, "case %zu %s: %s", i,
		    outputs[i].json, json_object_to_json_string(r.verrors));
		cr_expect(v.present);
		cr_expect_eq(v.state, V_VALUE);
		if (outputs[i].s != NULL) {
			size_t n = strlen(outputs[i].s);
			if (outputs[i].f == &f_query)
				n = 3;	/* "a\0b" */
			cr_expect_eq(v.len, n, "case %zu: length %zu", i, v.len);
			cr_expect(v.len == n && memcmp(v.s, outputs[i].s, n) == 0,
			    "case %zu: \"%.*s\", want \"%s\"", i, (int)v.len, v.s, outputs[i].s);
			cr_expect_eq(v.s[v.len], '\0', "case %zu: NUL-terminated", i);
		}
		cr_expect_eq(v.i, outputs[i].i, "case %zu: i %lld", i, (long long)v.i);
		valid_value_free(&v);
		json_object_put(in);
	}
}

Test(valid, lists_and_sort)
{
	struct json_object *in;
	struct valid_value v;
	struct req r;

	memset(&r, 0, sizeof(r));
	in = input_of(&f_sort, "\"created_at:desc\"");
	cr_assert_eq(valid_field(&r, &f_sort, in, &v), API_OK);
	cr_expect_str_eq(v.sort->sql, "t.c");
	cr_expect(v.desc);
	valid_value_free(&v);
	json_object_put(in);

	in = input_of(&f_list, "[\"2\",0]");
	cr_assert_eq(valid_field(&r, &f_list, in, &v), API_OK);
	cr_expect_eq(v.n, 2);
	cr_expect_eq(v.ints[0], 2);
	cr_expect_eq(v.ints[1], 0);
	valid_value_free(&v);
	cr_expect_null(v.ints, "valid_value_free zeroes");
	json_object_put(in);

	in = input_of(&f_set, "[\"paused\",\"active\"]");
	cr_assert_eq(valid_field(&r, &f_set, in, &v), API_OK);
	cr_expect_eq(v.n, 2);
	cr_expect_str_eq(v.strs[0], "paused");
	cr_expect_eq(v.lens[0], 6);
	cr_expect_str_eq(v.strs[1], "active");
	valid_value_free(&v);
	json_object_put(in);
}

Test(valid, nested_rows)
{
	struct json_object *in = input_of(&f_costs,
	    "[{\"source\":1,\"cpc\":5},{\"source\":4,\"cpc\":\"250\",\"user_revenue\":\"0.75\"}]");
	const struct valid_value *row;
	struct valid_value v;
	struct req r;

	memset(&r, 0, sizeof(r));
	cr_assert_eq(valid_field(&r, &f_costs, in, &v), API_OK);
	cr_expect_eq(v.n, 2);
	cr_expect_eq(v.nfields, 3);
	row = valid_row(&v, 0);
	cr_assert_not_null(row);
	cr_expect_eq(row[0].i, 1);
	cr_expect_eq(row[1].i, 5);
	cr_expect_eq(row[2].state, V_ABSENT);
	row = valid_row(&v, 1);
	cr_assert_not_null(row);
	cr_expect_eq(row[0].i, 4);
	cr_expect_eq(row[1].i, 250);
	cr_expect_str_eq(row[2].s, "0.75");
	cr_expect_null(valid_row(&v, 2));
	valid_value_free(&v);
	json_object_put(in);

	in = input_of(&f_billing, "{\"company_name\":\"ACME AB\",\"country\":\"SE\"}");
	cr_assert_eq(valid_field(&r, &f_billing, in, &v), API_OK);
	row = valid_row(&v, 0);
	cr_assert_not_null(row);
	cr_expect_str_eq(row[0].s, "ACME AB");
	cr_expect_str_eq(row[1].s, "SE");
	cr_expect_eq(row[2].state, V_ABSENT);
	valid_value_free(&v);
	json_object_put(in);
}

/* Absent, null, value; with and without V_NULLABLE and V_REQUIRED. */
static const struct valid_field f_opt = { .name = "note", .type = &valid_string };
static const struct valid_field f_null = { .name = "ends_at", .type = &valid_datetime,
	.flags = V_NULLABLE };
static const struct valid_field f_req_null = { .name = "parent_id", .type = &valid_int,
	.flags = V_REQUIRED | V_NULLABLE };
static const struct valid_field f_req_list = { .name = "tags", .type = &valid_int_list,
	.flags = V_NULLABLE };

static const struct {
	const struct valid_field *f;
	const char *json;
	enum valid_state state;
	const char *msg;
} states[] = {
	{ &f_opt, NULL, V_ABSENT, NULL },
	{ &f_opt, "null", V_ABSENT, NULL },
	{ &f_opt, "\"x\"", V_VALUE, NULL },
	{ &f_null, NULL, V_ABSENT, NULL },
	{ &f_null, "null", V_NULL, NULL },
	{ &f_null, "\"2024-01-05 10:00:00\"", V_VALUE, NULL },
	{ &f_null, "\"later\"", V_ABSENT, "The ends at field must be a valid date." },
	{ &f_req, NULL, V_ABSENT, "The created by field is required." },
	{ &f_req, "null", V_ABSENT, "The created by field is required." },
	{ &f_req_null, NULL, V_ABSENT, "The parent id field must be present." },
	{ &f_req_null, "null", V_NULL, NULL },
	{ &f_req_null, "5", V_VALUE, NULL },
	{ &f_req_list, "null", V_NULL, NULL },
	{ &f_req_list, "[]", V_VALUE, NULL },
};

Test(valid, three_states)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		struct json_object *in = input_of(states[i].f, states[i].json);
		struct valid_value v;
		struct req r;
		enum api_err e;

		memset(&r, 0, sizeof(r));
		e = valid_field(&r, states[i].f, in, &v);
		cr_expect_eq(e, states[i].msg ? API_VALIDATION : API_OK, "case %zu", i);
		if (states[i].msg)
			cr_expect_str_eq(message_at(r.verrors, states[i].f->name), states[i].msg,
			    "case %zu", i);
		else {
			cr_expect_eq(v.state, states[i].state, "case %zu: state %d", i, v.state);
			cr_expect_eq(v.present, states[i].state == V_VALUE, "case %zu", i);
		}
		valid_value_free(&v);
		json_object_put(r.verrors);
		json_object_put(in);
	}
}

/* Whole tables through valid_run: cross-field rules, nesting, order. */
static const struct valid_field blocklist_fields[] = {
	{ .name = "user_ids", .type = &valid_int_list, .max_items = 1000,
	    .required_without = "user_tag_ids" },
	{ .name = "user_tag_ids", .type = &valid_int_list, .max_items = 1000,
	    .required_without = "user_ids" },
};
static const struct valid_field period_fields[] = {
	{ .name = "valid_from", .type = &valid_date, .flags = V_REQUIRED },
	{ .name = "valid_until", .type = &valid_date, .flags = V_NULLABLE, .after = "valid_from" },
	{ .name = "ends_at", .type = &valid_datetime, .after_or_equal = "valid_from" },
};
static const struct valid_field nested_period[] = {
	{ .name = "starts", .type = &valid_datetime },
	{ .name = "ends", .type = &valid_datetime, .after = "starts" },
};
static const struct valid_field outer_fields[] = {
	{ .name = "name", .type = &valid_string, .flags = V_REQUIRED },
	{ .name = "periods", .type = &valid_objects, VALID_NESTED(nested_period) },
	{ .name = "user_id", .type = &valid_int, .flags = V_REQUIRED },
};

static const struct {
	const struct valid_field *fields;
	size_t n;
	const char *input;
	const char *errors;	/* r->verrors as JSON, or NULL for none */
} tables[] = {
#define T(a) a, VALID_COUNT(a)
	{ T(blocklist_fields), "{}",
	    "{\"user_ids\":[\"The user ids field is required when user tag ids is not present.\"],"
	    "\"user_tag_ids\":[\"The user tag ids field is required when user ids is not "
	    "present.\"]}" },
	{ T(blocklist_fields), "{\"user_ids\":[],\"user_tag_ids\":null}",
	    "{\"user_ids\":[\"The user ids field is required when user tag ids is not present.\"],"
	    "\"user_tag_ids\":[\"The user tag ids field is required when user ids is not "
	    "present.\"]}" },
	{ T(blocklist_fields), "{\"user_ids\":[7]}", NULL },
	{ T(blocklist_fields), "{\"user_tag_ids\":[7],\"user_ids\":[]}", NULL },
	{ T(blocklist_fields), "{\"user_ids\":\"7\"}",
	    "{\"user_ids\":[\"The user ids field must be an array.\"]}" },
	{ T(blocklist_fields), "{\"user_ids\":[\"x\"]}",
	    "{\"user_ids.0\":[\"The user ids.0 field must be an integer.\"]}" },
	{ T(period_fields), "{\"valid_from\":\"2024-01-01\",\"valid_until\":\"2024-01-02\"}", NULL },
	{ T(period_fields), "{\"valid_from\":\"2024-01-01\",\"valid_until\":\"2024-01-01\"}",
	    "{\"valid_until\":[\"The valid until field must be a date after valid from.\"]}" },
	{ T(period_fields), "{\"valid_from\":\"2024-01-02\",\"valid_until\":\"2024-01-01\"}",
	    "{\"valid_until\":[\"The valid until field must be a date after valid from.\"]}" },
	{ T(period_fields), "{\"valid_from\":\"2024-01-01\",\"valid_until\":null}", NULL },
	{ T(period_fields), "{\"valid_from\":\"nope\",\"valid_until\":\"2024-01-01\"}",
	    "{\"valid_from\":[\"The valid from field must be a valid date.\"]}" },
	{ T(period_fields), "{\"valid_until\":\"2024-01-01\"}",
	    "{\"valid_from\":[\"The valid from field is required.\"]}" },
	{ T(period_fields), "{\"valid_from\":\"2024-01-01\",\"ends_at\":\"2024-01-01 00:00:00\"}",
	    NULL },
	{ T(period_fields), "{\"valid_from\":\"2024-01-02\",\"ends_at\":\"2024-01-01T23:59:59Z\"}",
	    "{\"ends_at\":[\"The ends at field must be a date after or equal to valid from.\"]}" },
	{ T(outer_fields),
	    "{\"name\":\"n\",\"user_id\":1,\"periods\":[{\"starts\":\"2024-01-01 10:00:00\","
	    "\"ends\":\"2024-01-01T11:00:00\"}]}", NULL },
	/* Errors in table order, nested keys in place; after within a row. */
	{ T(outer_fields),
	    "{\"periods\":[{\"starts\":\"2024-01-01 10:00:00\",\"ends\":\"2024-01-01 11:00:00\"},"
	    "{\"starts\":\"2024-01-02 10:00:00\",\"ends\":\"2024-01-02 09:00:00\"}],"
	    "\"user_id\":\"x\"}",
	    "{\"name\":[\"The name field is required.\"],"
	    "\"periods.1.ends\":[\"The periods.1.ends field must be a date after periods.1.starts.\"],"
	    "\"user_id\":[\"The user id field must be an integer.\"]}" },
#undef T
};

Test(valid, tables_and_cross_field_rules)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct req r;
		enum api_err e;

		memset(&r, 0, sizeof(r));
		cr_assert_eq(http_parse_json(tables[i].input, strlen(tables[i].input), 16, &r.input),
		    0, "case %zu", i);
		e = valid_run(&r, tables[i].fields, tables[i].n);
		cr_expect_eq(r.nvals, tables[i].n);
		if (tables[i].errors == NULL) {
			cr_expect_eq(e, API_OK, "case %zu: %s", i,
			    json_object_to_json_string(r.verrors));
			cr_expect_null(r.verrors);
		} else {
			cr_expect_eq(e, API_VALIDATION, "case %zu", i);
			cr_expect_str_eq(json_object_to_json_string_ext(r.verrors,
			    JSON_C_TO_STRING_PLAIN), tables[i].errors, "case %zu", i);
		}
		valid_free(r.vals, r.nvals);
		json_object_put(r.verrors);
		json_object_put(r.input);
	}
}

/*
 * `exists` needs the database, so only what happens without it: nothing
 * is looked up for a value that failed its own checks or is absent, and
 * a key outside the allow-list is a server error, not a query.
 */
static const struct valid_field f_ex_int = { .name = "user_id", .type = &valid_int,
	.exists = "users" };
static const struct valid_field f_ex_list = { .name = "user_ids", .type = &valid_int_list,
	.exists = "users", .max_items = 2 };
static const struct valid_field f_ex_unknown = { .name = "x", .type = &valid_int,
	.exists = "passwords" };
static const struct valid_field f_ex_string = { .name = "x", .type = &valid_string,
	.exists = "users" };

static const struct {
	const struct valid_field *f;
	const char *json;
	enum api_err e;
	const char *key, *msg;
} exists_cases[] = {
	{ &f_ex_int, NULL, API_OK, NULL, NULL },
	{ &f_ex_int, "null", API_OK, NULL, NULL },
	{ &f_ex_int, "\"abc\"", API_VALIDATION, "user_id", "The user id field must be an integer." },
	{ &f_ex_list, "[1,\"x\"]", API_VALIDATION, "user_ids.1",
	    "The user ids.1 field must be an integer." },
	{ &f_ex_list, "[1,2,3]", API_VALIDATION, "user_ids",
	    "The user ids field must not have more than 2 items." },
	{ &f_ex_list, "[]", API_OK, NULL, NULL },
	{ &f_ex_unknown, "1", API_SERVER, NULL, NULL },
	{ &f_ex_string, "\"1\"", API_SERVER, NULL, NULL },
};

Test(valid, exists_is_skipped_without_a_valid_value)
{
	for (size_t i = 0; i < sizeof(exists_cases) / sizeof(exists_cases[0]); i++) {
		struct json_object *in = input_of(exists_cases[i].f, exists_cases[i].json);
		struct valid_value v;
		struct req r;

		memset(&r, 0, sizeof(r));
		cr_expect_eq(valid_field(&r, exists_cases[i].f, in, &v), exists_cases[i].e,
		    "case %zu", i);
		if (exists_cases[i].msg != NULL) {
			cr_expect_str_eq(message_at(r.verrors, exists_cases[i].key),
			    exists_cases[i].msg, "case %zu", i);
			cr_expect(r.verrors != NULL && json_object_object_length(r.verrors) == 1,
			    "case %zu", i);
		} else
			cr_expect_null(r.verrors, "case %zu", i);
		valid_value_free(&v);
		json_object_put(r.verrors);
		json_object_put(in);
	}
}

/* Every code of Debian's iso-codes passes, and the tables hold no more. */
static void
check_iso_file(const char *file, const char *list, const char *member,
    const struct valid_field *f, int expect)
{
	struct json_object *all, *codes, *code;
	size_t n;
	int passed = 0;

	all = json_object_from_file(file);
	if (all == NULL)
		cr_skip_test("%s not installed (Debian package iso-codes)", file);
	cr_assert(json_object_object_get_ex(all, list, &codes));
	n = json_object_array_length(codes);
	for (size_t i = 0; i < n; i++) {
		struct json_object *in = json_object_new_object();
		struct valid_value v;
		struct req r;

		if (!json_object_object_get_ex(json_object_array_get_idx(codes, i), member, &code)) {
			json_object_put(in);
			continue;
		}
		memset(&r, 0, sizeof(r));
		json_object_object_add(in, f->name, json_object_get(code));
		if (valid_field(&r, f, in, &v) == API_OK)
			passed++;
		else
			cr_expect_fail("%s %s refused", f->name, json_object_get_string(code));
		valid_value_free(&v);
		json_object_put(r.verrors);
		json_object_put(in);
	}
	cr_expect_eq(passed, expect, "%s: %d codes", f->name, passed);
	json_object_put(all);
}

Test(valid, iso_tables_match_iso_codes)
{
	check_iso_file("/usr/share/iso-codes/json/iso_3166-1.json", "3166-1", "alpha_2",
	    &f_country, 249);
	check_iso_file("/usr/share/iso-codes/json/iso_4217.json", "4217", "alpha_3",
	    &f_currency, 181);
	check_iso_file("/usr/share/iso-codes/json/iso_639-2.json", "639-2", "alpha_2",
	    &f_lang, 184);
}

/* A plain string row, and Laravel's attribute names. */
static const struct valid_field f_legacy = { .name = "query", .type = &valid_string,
	.flags = V_MAX, .max = 3 };

Test(valid, legacy_rows_and_attributes)
{
	struct json_object *in = input_of(&f_legacy, "\"abcd\"");
	struct valid_value v;
	struct req r;
	char buf[64];

	memset(&r, 0, sizeof(r));
	cr_expect_eq(valid_field(&r, &f_legacy, in, &v), API_VALIDATION);
	cr_expect_str_eq(message_at(r.verrors, "query"),
	    "The query field must not be greater than 3 characters.");
	valid_value_free(&v);
	json_object_put(r.verrors);
	json_object_put(in);

	cr_expect_str_eq(valid_attr("sort_by", buf, sizeof(buf)), "sort by");
	cr_expect_str_eq(valid_attr("user_ids.0", buf, sizeof(buf)), "user ids.0");
	cr_expect_str_eq(valid_attr("traffic_sources_costs.1.cpc", buf, sizeof(buf)),
	    "traffic sources costs.1.cpc");
	cr_expect_str_eq(valid_attr("abcdef", buf, 4), "abc");
}

/* Every exported type has a name and a check (rows of the open table). */
Test(valid, type_rows)
{
	const struct valid_type *types[] = { &valid_int, &valid_string, &valid_bool,
		&valid_int_list, &valid_str_list, &valid_sort, &valid_date, &valid_month,
		&valid_datetime, &valid_money, &valid_decimal, &valid_email, &valid_url,
		&valid_host, &valid_country, &valid_currency, &valid_language, &valid_enum,
		&valid_object, &valid_objects };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		cr_expect_not_null(types[i]->name);
		cr_expect_not_null(types[i]->check);
		for (size_t j = 0; j < i; j++)
			cr_expect_str_neq(types[i]->name, types[j]->name);
	}
}
