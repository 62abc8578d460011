/*
 * test_user_media.c -- GET /v2/user-media (shape, each filter, 422s, who
 * may call it) and the payments CSV uploads (POST
 * /v2/payments/upload-ax-id-matching and .../mark-invoices-as-paid):
 * every CSV variant, malformed files writing nothing, 10 MB bodies.
 * Expected rows come from the database; every write is undone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2
#define CREATOR1 3

Test(user_media, plain_paginator_shape)
{
	struct resp r = req("GET", "/v2/user-media?size=5&page=2", tok(ADMIN), NULL);
	char want[512];

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "current_page,data,first_page_url,from,last_page,"
	    "last_page_url,links,next_page_url,path,per_page,prev_page_url,to,total");
	long long total = sql_number("SELECT COUNT(*) FROM user_media");
	cr_expect_eq(jint(r.json, "total"), total);
	cr_expect_eq(jint(r.json, "current_page"), 2);
	cr_expect_eq(jint(r.json, "per_page"), 5);
	cr_expect_eq(jint(r.json, "from"), 6);
	cr_expect_eq(jint(r.json, "to"), 10);
	cr_expect_eq(jint(r.json, "last_page"), (total + 4) / 5);
	snprintf(want, sizeof(want), "%s/v2/user-media?size=5&page=1", base_http());
	cr_expect_str_eq(jstr(r.json, "first_page_url"), want);
	cr_expect_str_eq(jstr(r.json, "prev_page_url"), want);
	cr_expect_str_eq(jstr(r.json, "links.0.url"), want);
	cr_expect_str_eq(jstr(r.json, "links.0.label"), "\u00ab Previous");
	cr_expect_str_eq(jstr(r.json, "links.2.label"), "2");
	cr_expect(json_object_get_boolean(jpath(r.json, "links.2.active")));
	snprintf(want, sizeof(want), "%s/v2/user-media?size=5&page=3", base_http());
	cr_expect_str_eq(jstr(r.json, "next_page_url"), want);
	snprintf(want, sizeof(want), "%s/v2/user-media?size=5&page=%lld", base_http(),
	    (total + 4) / 5);
	cr_expect_str_eq(jstr(r.json, "last_page_url"), want);
	snprintf(want, sizeof(want), "%s/v2/user-media", base_http());
	cr_expect_str_eq(jstr(r.json, "path"), want);
	char *ids = sql_list("SELECT id FROM user_media ORDER BY id LIMIT 5 OFFSET 5");
	cr_expect_str_eq(jids(jpath(r.json, "data")), ids);
	free(ids);
	resp_free(&r);

	/* An item with a media object and one without (demo rows 1 and 4). */
	r = req("GET", "/v2/user-media?size=4", tok(ADMIN), NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	struct json_object *one = jpath(r.json, "data.0"), *four = jpath(r.json, "data.3");
	cr_expect_str_eq(jkeys(one), "id,media_type,media_id,username,tag_id,user_id,favorite,"
	    "show_store,published_at,created_at,updated_at,media");
	cr_expect_str_eq(jkeys(four), "id,media_type,media_id,username,tag_id,user_id,favorite,"
	    "show_store,published_at,created_at,updated_at");
	char *row = sql("SELECT CONCAT_WS('|', media_type, media_id, username, user_id, favorite, "
	    "show_store, published_at, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.000000Z'), "
	    "DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s.000000Z'), media_content_type, media_href) "
	    "FROM user_media WHERE id = 1");
	char got[1024];
	snprintf(got, sizeof(got), "%s|%s|%s|%lld|%lld|%lld|%s|%s|%s|%s|%s",
	    jstr(one, "media_type"), jstr(one, "media_id"), jstr(one, "username"),
	    jint(one, "user_id"), jint(one, "favorite"), jint(one, "show_store"),
	    jstr(one, "published_at"), jstr(one, "created_at"), jstr(one, "updated_at"),
	    jstr(one, "media.content_type"), jstr(one, "media.href"));
	cr_expect_str_eq(got, row);
	free(row);
	cr_expect(json_object_is_type(jpath(one, "favorite"), json_type_int), "an integer, not a boolean");
	cr_expect(json_object_is_type(jpath(one, "show_store"), json_type_int));
	cr_expect(jpath(one, "tag_id") == NULL && json_object_object_get_ex(one, "tag_id", NULL));
	cr_expect_eq(jint(four, "id"), 4);
	resp_free(&r);

	/* A page past the end: no rows, from and to null. */
	r = req("GET", "/v2/user-media?page=99", tok(ADMIN), NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_object_array_length(jpath(r.json, "data")), 0);
	cr_expect(jpath(r.json, "from") == NULL && jpath(r.json, "to") == NULL);
	cr_expect(jpath(r.json, "next_page_url") == NULL);
	resp_free(&r);
}

Test(user_media, each_filter)
{
	static const struct {
		const char *qs, *where;
	} cases[] = {
		{ "", "1 = 1" },
		{ "query=creator", "username LIKE '%creator%'" },
		{ "query=CREATOR", "username LIKE '%creator%'" },
		{ "query=%25", "username LIKE '%\\\\%%'" },
		{ "query=juliaringblomm", "username = 'juliaringblomm'" },
		{ "status=all", "1 = 1" },
		{ "status=0", "show_store = 0" },
		{ "status=1", "show_store = 1" },
		{ "status=2", "show_store = 2" },
		{ "type=all", "1 = 1" },
		{ "type=instagram", "media_type = 'instagram'" },
		{ "type=tiktok", "media_type = 'tiktok'" },
		{ "type=youtube", "media_type = 'youtube'" },
		{ "favorite=all", "1 = 1" },
		{ "favorite=1", "favorite = 1" },
		{ "favorite=0", "favorite = 0" },
		{ "group=1", "store_group_id = 1" },
		{ "group=2", "store_group_id = 2" },
		{ "group=999", "store_group_id = 999" },
		{ "query=a&status=1&type=instagram&favorite=0&group=3",
		    "username LIKE '%a%' AND show_store = 1 AND media_type = 'instagram' AND "
		    "favorite = 0 AND store_group_id = 3" },
		{ "type=instagram&favorite=1", "media_type = 'instagram' AND favorite = 1" },
	};
	char url[512], q[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/user-media?size=100&%s", cases[i].qs);
		snprintf(q, sizeof(q), "SELECT id FROM user_media WHERE %s ORDER BY id",
		    cases[i].where);
		char *want = sql_list(q);
		struct resp r = req("GET", url, tok(ADMIN), NULL);
		cr_expect_eq(r.status, 200, "%s: %s", cases[i].qs, r.body);
		cr_expect_str_eq(jids(jpath(r.json, "data")), want, "%s", cases[i].qs);
		snprintf(q, sizeof(q), "SELECT COUNT(*) FROM user_media WHERE %s", cases[i].where);
		cr_expect_eq(jint(r.json, "total"), sql_number(q), "%s", cases[i].qs);
		free(want);
		resp_free(&r);
	}
	/* The demo data makes every filter choose something. */
	cr_expect_gt(sql_number("SELECT COUNT(*) FROM user_media WHERE show_store = 2"), 0);
	cr_expect_gt(sql_number("SELECT COUNT(*) FROM user_media WHERE username LIKE '%creator%'"),
	    0);
}

Test(user_media, validation)
{
	static const struct {
		const char *qs, *key, *msg;
	} cases[] = {
		{ "status=3", "status", "The selected status is invalid." },
		{ "status=", NULL, NULL },	/* empty: null, no filter */
		{ "type=facebook", "type", "The selected type is invalid." },
		{ "favorite=2", "favorite", "The selected favorite is invalid." },
		{ "favorite=true", "favorite", "The selected favorite is invalid." },
		{ "group=x", "group", "The group field must be an integer." },
		{ "format=pdf", "format", "The selected format is invalid." },
		{ "size=0", "size", "The size field must be at least 1." },
		{ "size=101", "size", "The size field must not be greater than 100." },
		{ "page=0", "page", "The page field must be at least 1." },
		{ "status[]=1", "status", "The status field must be a string." },
	};
	char url[512], body[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/user-media?%s", cases[i].qs);
		struct resp r = req("GET", url, tok(ADMIN), NULL);
		if (cases[i].key == NULL) {
			cr_expect_eq(r.status, 200, "%s: %s", cases[i].qs, r.body);
		} else {
			snprintf(body, sizeof(body), "{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}",
			    cases[i].msg, cases[i].key, cases[i].msg);
			cr_expect_eq(r.status, 422, "%s: %ld", cases[i].qs, r.status);
			cr_expect_str_eq(r.body, body, "%s", cases[i].qs);
		}
		resp_free(&r);
	}
	char q[300];
	memset(q, 'a', 256);
	q[256] = '\0';
	snprintf(url, sizeof(url), "/v2/user-media?query=%s", q);
	struct resp r = req("GET", url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "errors.query.0"),
	    "The query field must not be greater than 255 characters.");
	resp_free(&r);
}

Test(user_media, admins_only)
{
	static const int users[] = { MEMBER1, CREATOR1, 4, 5 };

	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct resp r = req("GET", "/v2/user-media", tok(users[i]), NULL);
		expect_error(r, 403);
		resp_free(&r);
	}
	struct resp r = req("GET", "/v2/user-media", NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* Payments CSV uploads                                               */
/* ------------------------------------------------------------------ */

static const char form_ct[] = "multipart/form-data; boundary=" FORM_BOUNDARY;

static struct resp
upload_as(const char *path, const char *csv, size_t n, int user)
{
	size_t len;
	char *body = form_file("file", "upload.csv", "text/csv", csv, n, 0, &len);
	struct resp r = req_ex("POST", path, tok(user), body, len, form_ct, NULL);

	free(body);
	return r;
}

static struct resp
upload(const char *path, const char *csv)
{
	return upload_as(path, csv, strlen(csv), ADMIN);
}

#define AX_PATH "/v2/payments/upload-ax-id-matching"
#define PAID_PATH "/v2/payments/mark-invoices-as-paid"

/* What the uploads may change, to compare and to put back. */
static char *
users_state(void)
{
	return sql("SELECT GROUP_CONCAT(CONCAT_WS(':', id, IFNULL(ax_id, '-'), updated_at) "
	    "ORDER BY id SEPARATOR ' ') FROM users");
}

static char *
invoices_state(void)
{
	return sql("SELECT CONCAT((SELECT GROUP_CONCAT(CONCAT_WS(':', id, IFNULL(paid_at, '-'), "
	    "IFNULL(paid_by, '-'), updated_at) ORDER BY id SEPARATOR ' ') FROM invoices), ' / ', "
	    "(SELECT GROUP_CONCAT(CONCAT_WS(':', id, IFNULL(paid_at, '-'), updated_at) ORDER BY id "
	    "SEPARATOR ' ') FROM payments))");
}

/* The demo rows the uploads touch (users 3-15, invoices and payments 1-15). */
#define KEPT_IDS 20

/* CASE arms that put a column back: "WHEN 1 THEN 'x' WHEN 2 THEN NULL". */
static char *
arms(const char *table, const char *col)
{
	char q[512];

	snprintf(q, sizeof(q), "SELECT GROUP_CONCAT(CONCAT('WHEN ', id, ' THEN ', "
	    "IFNULL(QUOTE(%s), 'NULL')) SEPARATOR ' ') FROM %s WHERE id <= %d", col, table,
	    KEPT_IDS);
	return sql(q);
}

static char *saved_ax, *saved_users_upd, *saved_inv_paid, *saved_inv_by, *saved_inv_upd,
    *saved_pay_paid, *saved_pay_upd;

static void
save_state(void)
{
	saved_ax = arms("users", "ax_id");
	saved_users_upd = arms("users", "updated_at");
	saved_inv_paid = arms("invoices", "paid_at");
	saved_inv_by = arms("invoices", "paid_by");
	saved_inv_upd = arms("invoices", "updated_at");
	saved_pay_paid = arms("payments", "paid_at");
	saved_pay_upd = arms("payments", "updated_at");
}

static void
restore_state(void)
{
	static char q[65536];

	snprintf(q, sizeof(q), "UPDATE users SET ax_id = CASE id %s END, updated_at = CASE id %s "
	    "END WHERE id <= %d", saved_ax, saved_users_upd, KEPT_IDS);
	free(sql(q));
	snprintf(q, sizeof(q), "UPDATE invoices SET paid_at = CASE id %s END, paid_by = CASE id "
	    "%s END, updated_at = CASE id %s END WHERE id <= %d", saved_inv_paid, saved_inv_by,
	    saved_inv_upd, KEPT_IDS);
	free(sql(q));
	snprintf(q, sizeof(q), "UPDATE payments SET paid_at = CASE id %s END, updated_at = CASE "
	    "id %s END WHERE id <= %d", saved_pay_paid, saved_pay_upd, KEPT_IDS);
	free(sql(q));
	free(saved_ax);
	free(saved_users_upd);
	free(saved_inv_paid);
	free(saved_inv_by);
	free(saved_inv_upd);
	free(saved_pay_paid);
	free(saved_pay_upd);
}

static char *
ax_of(int id)
{
	char q[128];

	snprintf(q, sizeof(q), "SELECT IFNULL(ax_id, '-') FROM users WHERE id = %d", id);
	return sql(q);
}

#define expect_ax(id, want) do { \
	char *got_ = ax_of(id); \
	cr_expect_str_eq(got_, (want), "user %d", (id)); \
	free(got_); \
} while (0)

Test(user_media, ax_ids_by_id_comma, .init = save_state, .fini = restore_state)
{
	char *before3 = ax_of(3);
	struct resp r = upload(AX_PATH, "user_id,ax_id\n7,AX-7\n8,AX-8\n3,AX-100003\n"
	    "999999,AX-9\n");

	cr_expect_str_eq(before3, "AX-100003");
	free(before3);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(r.body, "{\"rows\":4,\"updated\":2,\"unchanged\":1,\"unmatched\":"
	    "[{\"line\":5,\"user\":\"999999\"}]}");
	resp_free(&r);
	expect_ax(7, "AX-7");
	expect_ax(8, "AX-8");
	expect_ax(3, "AX-100003");

	/* The same file again: nothing to update. */
	char *users = users_state();
	r = upload(AX_PATH, "user_id,ax_id\n7,AX-7\n8,AX-8\n3,AX-100003\n999999,AX-9\n");
	cr_expect_str_eq(r.body, "{\"rows\":4,\"updated\":0,\"unchanged\":3,\"unmatched\":"
	    "[{\"line\":5,\"user\":\"999999\"}]}");
	resp_free(&r);
	char *after = users_state();
	cr_expect_str_eq(after, users);
	free(after);
	free(users);
}

Test(user_media, ax_ids_csv_variants, .init = save_state, .fini = restore_state)
{
	static const struct {
		const char *name, *csv, *body;
		int user;
		const char *ax;
	} cases[] = {
		{ "semicolon, BOM, CRLF, e-mail, quoted separator",
		    "\xef\xbb\xbf" "email;ax_id\r\nerik.johansson@demo.metapic.test;\"AX;7\"\r\n"
		    "nobody@demo.metapic.test;AX-0\r\n",
		    "{\"rows\":2,\"updated\":1,\"unchanged\":0,\"unmatched\":[{\"line\":3,"
		    "\"user\":\"nobody@demo.metapic.test\"}]}", 7, "AX;7" },
		{ "comma, quoted comma, quoted key",
		    "User ID,AX ID\n\"8\",\"AX,8\"\n", "{\"rows\":1,\"updated\":1,\"unchanged\":0,"
		    "\"unmatched\":[]}", 8, "AX,8" },
		{ "BOM and comma, e-mail in another case",
		    "\xef\xbb\xbf" "user_id_or_email,ax_id\nEMMA.KARLSSON@demo.metapic.test,AX-10\n",
		    "{\"rows\":1,\"updated\":1,\"unchanged\":0,\"unmatched\":[]}", 10, "AX-10" },
		{ "a quoted field over two lines: rows keep their lines",
		    "user_id,note,ax_id\n11,\"two\nlines, and \"\"quotes\"\"\",AX-11\n999999,x,AX-9\n",
		    "{\"rows\":2,\"updated\":1,\"unchanged\":0,\"unmatched\":[{\"line\":4,"
		    "\"user\":\"999999\"}]}", 11, "AX-11" },
		{ "CRLF and semicolon, blank lines, spaces around fields",
		    "user_id ; ax_id\r\n\r\n 13 ; AX-13 \r\n;\r\nnot-a-user;AX-1\r\n",
		    "{\"rows\":2,\"updated\":1,\"unchanged\":0,\"unmatched\":[{\"line\":5,"
		    "\"user\":\"not-a-user\"}]}", 13, "AX-13" },
		{ "id and e-mail columns: the id first, the address when it is empty",
		    "user_id,email,ax_id\n,lucas.svensson@demo.metapic.test,AX-13b\n"
		    "14,nobody@demo.metapic.test,AX-14\n",
		    "{\"rows\":2,\"updated\":2,\"unchanged\":0,\"unmatched\":[]}", 14, "AX-14" },
		{ "one user twice with the same AX id",
		    "user_id_or_email,ax_id\n15,AX-15\nelsa.gustafsson@demo.metapic.test,AX-14b\n"
		    "15,AX-15\n",
		    "{\"rows\":3,\"updated\":2,\"unchanged\":1,\"unmatched\":[]}", 15, "AX-15" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = upload(AX_PATH, cases[i].csv);
		cr_expect_eq(r.status, 200, "%s: %s", cases[i].name, r.body);
		cr_expect_str_eq(r.body, cases[i].body, "%s", cases[i].name);
		resp_free(&r);
		expect_ax(cases[i].user, cases[i].ax);
	}
	expect_ax(13, "AX-13b");
	expect_ax(14, "AX-14b");
}

Test(user_media, csv_malformed_files_write_nothing, .init = save_state, .fini = restore_state)
{
	static const struct {
		const char *path, *csv;
		size_t line;
		const char *why;
	} cases[] = {
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n8,AX-8,extra\n", 3,
		    "it has 3 fields where the header has 2" },
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n8\n", 3, "it has 1 field where the header has 2" },
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n8,\"AX-8\n", 3, "a quoted field is not closed" },
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n8,AX\"8\n", 3, "a quote is misplaced" },
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n8,\"AX\"8\n", 3, "a quote is misplaced" },
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n8,\n", 3, "the AX id is empty" },
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n,AX-8\n", 3, "the user id or email is empty" },
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n8,AX-\xff\n", 3, "it is not valid UTF-8 text" },
		{ AX_PATH, "name,ax_id\n7,AX-7\n", 1, "the header has no user_id or email column" },
		{ AX_PATH, "user_id,code\n7,AX-7\n", 1, "the header has no ax_id column" },
		{ AX_PATH, "user_id,ax_id\r\n", 2, "it has no rows after the header" },
		{ AX_PATH, "", 1, "it has no header row" },
		{ AX_PATH, "\n\n", 1, "it has no header row" },
		{ AX_PATH, "user_id,ax_id\n7,AX-7\n8,"
		    "12345678901234567890123456789012345678901234567890123456789012345\n", 3,
		    "the AX id is longer than 64 characters" },
		{ AX_PATH, "user_id_or_email,ax_id\n7,AX-1\n8,AX-8\n"
		    "erik.johansson@demo.metapic.test,AX-2\n", 4,
		    "the user is given another AX id on an earlier line" },
		{ PAID_PATH, "number\nMP-202503-0003\n\"MP-202503-0005\n", 3,
		    "a quoted field is not closed" },
		{ PAID_PATH, "number,note\nMP-202503-0003,x\nMP-202503-0005\n", 3,
		    "it has 1 field where the header has 2" },
		{ PAID_PATH, "number;note\nMP-202503-0003;x\n;y\n", 3, "the invoice number is empty" },
		{ PAID_PATH, "id,note\nMP-202503-0003,x\n", 1, "the header has no number column" },
	};
	char want[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *users = users_state(), *invoices = invoices_state();
		struct resp r = upload(cases[i].path, cases[i].csv);
		snprintf(want, sizeof(want), "The file has an error on line %zu: %s.", cases[i].line,
		    cases[i].why);
		cr_expect_eq(r.status, 422, "case %zu: %ld %s", i, r.status, r.body);
		cr_expect_str_eq(jstr(r.json, "message"), want, "case %zu", i);
		cr_expect_str_eq(jstr(r.json, "errors.file.0"), want, "case %zu", i);
		cr_expect_str_eq(jkeys(r.json), "message,errors", "case %zu", i);
		resp_free(&r);
		char *users2 = users_state(), *invoices2 = invoices_state();
		cr_expect_str_eq(users2, users, "case %zu wrote users", i);
		cr_expect_str_eq(invoices2, invoices, "case %zu wrote invoices", i);
		free(users);
		free(users2);
		free(invoices);
		free(invoices2);
	}
	/* A NUL byte is not text either. */
	static const char nul[] = "user_id,ax_id\n7,AX-7\n8,AX-\0\n";
	char *users = users_state();
	struct resp r = upload_as(AX_PATH, nul, sizeof(nul) - 1, ADMIN);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "message"),
	    "The file has an error on line 3: it is not valid UTF-8 text.");
	resp_free(&r);
	char *users2 = users_state();
	cr_expect_str_eq(users2, users);
	free(users);
	free(users2);
}

Test(user_media, csv_no_file)
{
	static const char *const paths[] = { AX_PATH, PAID_PATH };
	const char *msg = "{\"message\":\"The file field is required.\",\"errors\":{\"file\":"
	    "[\"The file field is required.\"]}}";

	for (size_t i = 0; i < 2; i++) {
		struct resp r = req("POST", paths[i], tok(ADMIN), "{\"file\":\"ufpp\"}");
		cr_expect_eq(r.status, 422);
		cr_expect_str_eq(r.body, msg);
		resp_free(&r);
		/* A form without a part named file. */
		size_t len;
		char *body = form_file("csv", "a.csv", "text/csv", "number\nX\n", 9, 0, &len);
		r = req_ex("POST", paths[i], tok(ADMIN), body, len, form_ct, NULL);
		free(body);
		cr_expect_eq(r.status, 422);
		cr_expect_str_eq(r.body, msg);
		resp_free(&r);
	}
}

Test(user_media, csv_admins_only, .init = save_state, .fini = restore_state)
{
	static const char *const paths[] = { AX_PATH, PAID_PATH };
	static const int users[] = { MEMBER1, CREATOR1, 4 };
	char *before = users_state(), *inv = invoices_state();

	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < sizeof(users) / sizeof(users[0]); k++) {
			const char *csv = "user_id,ax_id,number\n7,X,MP-202503-0003\n";
			struct resp r = upload_as(paths[i], csv, strlen(csv), users[k]);
			expect_error(r, 403);
			resp_free(&r);
		}
	char *after = users_state(), *inv2 = invoices_state();
	cr_expect_str_eq(after, before);
	cr_expect_str_eq(inv2, inv);
	free(after);
	free(before);
	free(inv);
	free(inv2);
}

Test(user_media, invoices_mark_paid, .init = save_state, .fini = restore_state)
{
	cr_assert_eq(sql_number("SELECT COUNT(*) FROM invoices WHERE id IN (11, 12, 13) AND "
	    "paid_at IS NULL"), 3);
	struct resp r = upload(PAID_PATH, "number\nMP-202503-0003\nMP-202503-0005\nMP-999\n"
	    "MP-202501-0003\nMP-202503-0003\n");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(r.body, "{\"rows\":5,\"marked_paid\":2,\"already_paid\":1,\"unknown\":"
	    "[{\"line\":4,\"number\":\"MP-999\"}]}");
	resp_free(&r);
	/* When and by whom; their payments with them; nothing else. */
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM invoices WHERE id IN (11, 12) AND "
	    "paid_at >= UTC_TIMESTAMP() - INTERVAL 5 MINUTE AND paid_by = 1"), 2);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM payments p JOIN invoices i ON "
	    "i.payment_id = p.id WHERE i.id IN (11, 12) AND p.paid_at = i.paid_at"), 2);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM invoices WHERE id IN (13, 14, 15) AND "
	    "paid_at IS NULL AND paid_by IS NULL"), 3);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM payments WHERE id IN (13, 14, 15) AND "
	    "paid_at IS NULL"), 3);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM invoices WHERE id = 1 AND "
	    "paid_at = '2025-02-23 06:03:00' AND paid_by IS NULL"), 1);

	/* Again, in another case: idempotent, when and who stay. */
	char *state = invoices_state();
	r = upload(PAID_PATH, "number\nMP-202503-0005\nmp-202503-0003\n");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(r.body, "{\"rows\":2,\"marked_paid\":0,\"already_paid\":2,\"unknown\":[]}");
	resp_free(&r);
	char *state2 = invoices_state();
	cr_expect_str_eq(state2, state);
	free(state);
	free(state2);
}

Test(user_media, invoices_csv_variants, .init = save_state, .fini = restore_state)
{
	static const struct {
		const char *name, *csv, *body;
		int invoice;
	} cases[] = {
		{ "semicolon, BOM, CRLF, quoted separator",
		    "\xef\xbb\xbf" "invoice_number;note\r\n\"MP-202503-0006\";\"paid; by bank\"\r\n",
		    "{\"rows\":1,\"marked_paid\":1,\"already_paid\":0,\"unknown\":[]}", 13 },
		{ "one column of any name, no last newline",
		    "Faktura\n\"MP-202503-0008\"", "{\"rows\":1,\"marked_paid\":1,"
		    "\"already_paid\":0,\"unknown\":[]}", 14 },
		{ "comma, a quoted comma and a line break in another column",
		    "note,Invoice No\n\"a, b\nc\",MP-202503-0022\n\"x\",\"MP-1,2\"\n",
		    "{\"rows\":2,\"marked_paid\":1,\"already_paid\":0,\"unknown\":[{\"line\":4,"
		    "\"number\":\"MP-1,2\"}]}", 15 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char q[256];
		struct resp r = upload(PAID_PATH, cases[i].csv);
		cr_expect_eq(r.status, 200, "%s: %s", cases[i].name, r.body);
		cr_expect_str_eq(r.body, cases[i].body, "%s", cases[i].name);
		resp_free(&r);
		snprintf(q, sizeof(q), "SELECT COUNT(*) FROM invoices WHERE id = %d AND "
		    "paid_at IS NOT NULL AND paid_by = 1", cases[i].invoice);
		cr_expect_eq(sql_number(q), 1, "%s", cases[i].name);
	}
}

Test(user_media, csv_ten_megabytes, .init = save_state, .fini = restore_state)
{
	const char *row = "MP-202501-0003\n";
	size_t rl = strlen(row), cap = 10 * 1024 * 1024, n = 0, rows = 0;
	char *csv = malloc(cap + 64), want[256];

	cr_assert_not_null(csv);
	n = (size_t)sprintf(csv, "number\n");
	/* Just under the limit with the form around it: taken. */
	while (n + rl < cap - 4096) {
		memcpy(csv + n, row, rl);
		n += rl;
		rows++;
	}
	char *state = invoices_state();
	struct resp r = upload_as(PAID_PATH, csv, n, ADMIN);
	cr_expect_eq(r.status, 200, "%ld", r.status);
	snprintf(want, sizeof(want), "{\"rows\":%zu,\"marked_paid\":0,\"already_paid\":1,"
	    "\"unknown\":[]}", rows);
	cr_expect_str_eq(r.body, want);
	resp_free(&r);
	/* Over 10 MB with the form: 413, before the app reads it. */
	while (n + rl < cap + 16) {
		memcpy(csv + n, row, rl);
		n += rl;
	}
	r = upload_as(PAID_PATH, csv, n, ADMIN);
	expect_error(r, 413);
	resp_free(&r);
	r = upload_as(AX_PATH, csv, n, ADMIN);
	expect_error(r, 413);
	resp_free(&r);
	char *state2 = invoices_state();
	cr_expect_str_eq(state2, state);
	free(state);
	free(state2);
	free(csv);
}
