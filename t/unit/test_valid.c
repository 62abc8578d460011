/*
 * test_valid.c -- the input validator: rules and Laravel's messages.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "http.h"
#include "valid.h"

static const struct sort_col cols[] = { { "id", "t.id" }, { "created_at", "t.c" }, { NULL, NULL } };
static const char *const levels[] = { "0", "1", "2", NULL };

static const struct valid_field f_size = VALID_SIZE(100);
static const struct valid_field f_query = { "query", V_STR, V_MAX, 0, 5, 0, NULL, NULL };
static const struct valid_field f_bool = { "return_ad_enabled", V_BOOL, 0, 0, 0, 0, NULL, NULL };
static const struct valid_field f_list = { "access_levels", V_INT_LIST, 0, 0, 0, 3, levels, NULL };
static const struct valid_field f_sort = VALID_SORT(cols);
static const struct valid_field f_req = { "created_by", V_INT, V_REQUIRED, 0, 0, 0, NULL, NULL };

/* Each case: field, JSON value ("" = absent), expected message or NULL. */
static const struct {
	const struct valid_field *f;
	const char *json;
	const char *msg;
} cases[] = {
	{ &f_size, "\"20\"", NULL },
	{ &f_size, "20", NULL },
	{ &f_size, "\"101\"", "The size field must not be greater than 100." },
	{ &f_size, "\"0\"", "The size field must be at least 1." },
	{ &f_size, "\"-5\"", "The size field must be at least 1." },
	{ &f_size, "\"abc\"", "The size field must be an integer." },
	{ &f_size, "\"1.5\"", "The size field must be an integer." },
	{ &f_size, "1.5", "The size field must be an integer." },
	{ &f_size, "\"99999999999999999999\"", "The size field must be an integer." },
	{ &f_size, "[1]", "The size field must be an integer." },
	{ &f_size, "", NULL },
	{ &f_query, "\"abcde\"", NULL },
	{ &f_query, "\"abcdef\"", "The query field must not be greater than 5 characters." },
	{ &f_query, "\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"", NULL },
	{ &f_query, "5", "The query field must be a string." },
	{ &f_bool, "true", NULL },
	{ &f_bool, "false", NULL },
	{ &f_bool, "\"1\"", NULL },
	{ &f_bool, "\"0\"", NULL },
	{ &f_bool, "0", NULL },
	{ &f_bool, "\"true\"", "The return ad enabled field must be true or false." },
	{ &f_bool, "2", "The return ad enabled field must be true or false." },
	{ &f_list, "[0,1]", NULL },
	{ &f_list, "{\"0\":\"1\",\"1\":\"2\"}", NULL },
	{ &f_list, "[3]", "The selected access levels.0 is invalid." },
	{ &f_list, "[0,\"x\"]", "The access levels.1 field must be an integer." },
	{ &f_list, "\"1\"", "The access levels field must be an array." },
	{ &f_list, "[0,1,2,1]", "The access levels field must not have more than 3 items." },
	{ &f_sort, "\"created_at:desc\"", NULL },
	{ &f_sort, "\"id:asc\"", NULL },
	{ &f_sort, "\"id\"", "The sort by field format is invalid." },
	{ &f_sort, "\"id:up\"", "The sort by field format is invalid." },
	{ &f_sort, "\"id;drop:asc\"", "The sort by field format is invalid." },
	{ &f_sort, "\"password:asc\"", "The selected sort by is invalid." },
	{ &f_req, "", "The created by field is required." },
	{ &f_req, "null", "The created by field is required." },
	{ &f_req, "3", NULL },
};

Test(valid, rules_and_messages)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		struct valid_value v;
		struct json_object *j = NULL, *list, *m;

		memset(&r, 0, sizeof(r));
		if (*cases[i].json) {
			cr_assert_eq(http_parse_json(cases[i].json, strlen(cases[i].json), 8, &j), 0,
			    "case %zu json", i);
		}
		enum api_err e = valid_field(&r, cases[i].f, j, &v);
		if (cases[i].msg == NULL) {
			cr_expect_eq(e, API_OK, "case %zu (%s) should pass", i, cases[i].json);
			cr_expect_null(r.verrors, "case %zu", i);
		} else {
			cr_expect_eq(e, API_VALIDATION, "case %zu (%s) should fail", i, cases[i].json);
			cr_assert_not_null(r.verrors, "case %zu", i);
			bool found = false;
			json_object_object_foreach(r.verrors, k, lst) {
				(void)k;
				list = lst;
				m = json_object_array_get_idx(list, 0);
				if (strcmp(json_object_get_string(m), cases[i].msg) == 0)
					found = true;
			}
			cr_expect(found, "case %zu: expected \"%s\", got %s", i, cases[i].msg,
			    json_object_to_json_string(r.verrors));
		}
		free(v.ints);
		free(v.strs);
		json_object_put(r.verrors);
		json_object_put(j);
	}
}

Test(valid, typed_values)
{
	struct req r;
	struct valid_value v;
	struct json_object *j;

	memset(&r, 0, sizeof(r));
	http_parse_json("\"created_at:desc\"", 17, 4, &j);
	cr_assert_eq(valid_field(&r, &f_sort, j, &v), API_OK);
	cr_expect_str_eq(v.sort->sql, "t.c");
	cr_expect(v.desc);
	json_object_put(j);

	http_parse_json("[\"2\",0]", 7, 4, &j);
	cr_assert_eq(valid_field(&r, &f_list, j, &v), API_OK);
	cr_expect_eq(v.n, 2);
	cr_expect_eq(v.ints[0], 2);
	cr_expect_eq(v.ints[1], 0);
	free(v.ints);
	json_object_put(j);
}

Test(valid, attribute_names)
{
	char buf[64];

	cr_expect_str_eq(valid_attr("sort_by", buf, sizeof(buf)), "sort by");
	cr_expect_str_eq(valid_attr("user_ids.0", buf, sizeof(buf)), "user ids.0");
}
