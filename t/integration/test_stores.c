/*
 * test_stores.c -- the stores endpoints through nginx: GET and POST
 * /v2/stores, PUT /v2/stores/{id}/payment (suite `stores`), and the stores
 * a creator may work with, by category and by toplist (suite `stores_by`).
 * Expected rows come from the database; every test removes what it wrote.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2
#define CREATOR1 3
#define MEMBER2 4
#define CREATOR2 5
/* Creator sara.nilsson (client 1) makes the stores here: users 7 and 9
 * must stay quiet for the rate-limit test (test_access.c). */
#define SIGNUP 8

static void
expect_envelope(struct resp *r, long long total, long long per_page, long long page)
{
	cr_expect_str_eq(jkeys(r->json), "data,links,meta");
	cr_expect_str_eq(jkeys(jpath(r->json, "links")), "first,last,prev,next");
	cr_expect_str_eq(jkeys(jpath(r->json, "meta")),
	    "current_page,from,last_page,links,path,per_page,to,total");
	cr_expect_eq(jint(r->json, "meta.total"), total, "total %lld, want %lld",
	    jint(r->json, "meta.total"), total);
	cr_expect_eq(jint(r->json, "meta.per_page"), per_page);
	cr_expect_eq(jint(r->json, "meta.current_page"), page);
}

/* GET url as user: the data ids must be those of the SELECT (in its order). */
static void
expect_list(int user, const char *url, const char *select_ids)
{
	struct resp r = req("GET", url, tok(user), NULL);
	char *want = sql_list(select_ids);

	cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want, "%s", url);
	free(want);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* GET /v2/stores                                                      */
/* ------------------------------------------------------------------ */

Test(stores, list_shape_and_who_sees_what)
{
	struct resp r = req("GET", "/v2/stores", tok(ADMIN), NULL);
	long long all = sql_number("SELECT COUNT(*) FROM stores WHERE deleted_at IS NULL");

	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_envelope(&r, all, 20, 1);
	cr_expect_str_eq(jkeys(jpath(r.json, "data.0")), "id,name");
	cr_expect(json_object_is_type(jpath(r.json, "data.0.id"), json_type_int));
	cr_expect(json_object_is_type(jpath(r.json, "data.0.name"), json_type_string));
	cr_expect_str_eq(jstr(r.json, "data.0.name"), "Nordic Beauty");
	resp_free(&r);
	expect_list(ADMIN, "/v2/stores",
	    "SELECT id FROM stores WHERE deleted_at IS NULL ORDER BY id LIMIT 20");

	/* Members see their own stores only. */
	expect_list(MEMBER1, "/v2/stores", "SELECT store_id FROM store_users WHERE user_id = 2");
	r = req("GET", "/v2/stores", tok(MEMBER2), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "2");
	expect_envelope(&r, 1, 20, 1);
	resp_free(&r);

	/* Creators manage no store; no token is no one. */
	r = req("GET", "/v2/stores", tok(CREATOR1), NULL);
	expect_error(r, 403);
	resp_free(&r);
	r = req("GET", "/v2/stores", NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);

	/* A deleted store is nobody's to list. */
	free(sql("UPDATE stores SET deleted_at = '2025-06-01 00:00:00' WHERE id = 2"));
	r = req("GET", "/v2/stores", tok(MEMBER2), NULL);
	cr_expect_eq(r.status, 200);
	expect_envelope(&r, 0, 20, 1);
	resp_free(&r);
	r = req("GET", "/v2/stores?query=2", tok(ADMIN), NULL);
	cr_expect_eq(jint(r.json, "meta.total"), 0, "%s", r.body);
	resp_free(&r);
	free(sql("UPDATE stores SET deleted_at = NULL WHERE id = 2"));
}

Test(stores, list_filters)
{
	static const struct {
		int user;
		const char *url;
		const char *select;
	} cases[] = {
		/* query: the id, or a part of the name. */
		{ ADMIN, "/v2/stores?query=3", "SELECT id FROM stores WHERE deleted_at IS NULL"
		    " AND (id = 3 OR name LIKE '%3%') ORDER BY id" },
		{ ADMIN, "/v2/stores?query=holm", "SELECT id FROM stores WHERE deleted_at IS NULL"
		    " AND name LIKE '%holm%' ORDER BY id" },
		{ ADMIN, "/v2/stores?query=FJORD", "SELECT 2" },
		{ ADMIN, "/v2/stores?query=Dom%20i%20Ogr%C3%B3d", "SELECT 8" },
		/* LIKE's wildcards are plain characters. */
		{ ADMIN, "/v2/stores?query=%25", "SELECT id FROM stores WHERE 0" },
		{ ADMIN, "/v2/stores?query=_", "SELECT id FROM stores WHERE 0" },
		{ ADMIN, "/v2/stores?query=no%20such%20store", "SELECT id FROM stores WHERE 0" },
		/* store_group_id. */
		{ ADMIN, "/v2/stores?store_group_id=1", "SELECT id FROM stores WHERE deleted_at IS"
		    " NULL AND store_group_id = 1 ORDER BY id" },
		{ ADMIN, "/v2/stores?store_group_id=3", "SELECT id FROM stores WHERE deleted_at IS"
		    " NULL AND store_group_id = 3 ORDER BY id" },
		{ ADMIN, "/v2/stores?store_group_id=99999", "SELECT id FROM stores WHERE 0" },
		{ ADMIN, "/v2/stores?store_group_id=1&query=o", "SELECT id FROM stores WHERE"
		    " deleted_at IS NULL AND store_group_id = 1 AND name LIKE '%o%' ORDER BY id" },
		/* A member's filters apply within their stores. */
		{ MEMBER1, "/v2/stores?query=Fjord", "SELECT id FROM stores WHERE 0" },
		{ MEMBER1, "/v2/stores?query=1", "SELECT 1" },
		{ MEMBER1, "/v2/stores?store_group_id=2", "SELECT id FROM stores WHERE 0" },
		{ MEMBER2, "/v2/stores?store_group_id=2", "SELECT 2" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_list(cases[i].user, cases[i].url, cases[i].select);

	/* From a JSON body too, as Laravel's input(). */
	struct resp r = req("GET", "/v2/stores", tok(ADMIN), "{\"store_group_id\":2}");
	char *want = sql_list("SELECT id FROM stores WHERE deleted_at IS NULL"
	    " AND store_group_id = 2 ORDER BY id");
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	free(want);
	resp_free(&r);
}

Test(stores, list_sorting_and_pages)
{
	static const struct {
		const char *sort;
		const char *order;
	} cases[] = {
		{ "id:asc", "id ASC" },
		{ "id:desc", "id DESC" },
		{ "name:asc", "name ASC, id ASC" },
		{ "name:desc", "name DESC, id DESC" },
		{ "created_at:asc", "created_at ASC, id ASC" },
		{ "created_at:desc", "created_at DESC, id DESC" },
	};
	char url[128], select[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/stores?sort_by=%s", urlenc(cases[i].sort));
		snprintf(select, sizeof(select),
		    "SELECT id FROM stores WHERE deleted_at IS NULL ORDER BY %s", cases[i].order);
		expect_list(ADMIN, url, select);
	}

	/* size and page. */
	long long all = sql_number("SELECT COUNT(*) FROM stores WHERE deleted_at IS NULL");
	struct resp r = req("GET", "/v2/stores?size=2&page=2&sort_by=name:asc", tok(ADMIN), NULL);
	char *want = sql_list("SELECT id FROM stores WHERE deleted_at IS NULL"
	    " ORDER BY name, id LIMIT 2 OFFSET 2");
	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_envelope(&r, all, 2, 2);
	cr_expect_eq(jint(r.json, "meta.last_page"), (all + 1) / 2);
	cr_expect_eq(jint(r.json, "meta.from"), 3);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect(strstr(jstr(r.json, "links.next"), "sort_by=name%3Aasc") != NULL, "%s",
	    jstr(r.json, "links.next"));
	free(want);
	resp_free(&r);

	/* Limits: each a 422 with Laravel's message. */
	static const struct {
		const char *url;
		const char *key;
		const char *message;
	} bad[] = {
		{ "/v2/stores?size=101", "size", "The size field must not be greater than 100." },
		{ "/v2/stores?size=0", "size", "The size field must be at least 1." },
		{ "/v2/stores?size=x", "size", "The size field must be an integer." },
		{ "/v2/stores?page=0", "page", "The page field must be at least 1." },
		{ "/v2/stores?sort_by=updated_at:asc", "sort_by", "The selected sort by is invalid." },
		{ "/v2/stores?sort_by=name", "sort_by", "The sort by field format is invalid." },
		{ "/v2/stores?sort_by=name:up", "sort_by", "The sort by field format is invalid." },
		{ "/v2/stores?store_group_id=abc", "store_group_id",
		    "The store group id field must be an integer." },
		{ "/v2/stores?query[]=x", "query", "The query field must be a string." },
	};
	char key[64];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = req("GET", bad[i].url, tok(ADMIN), NULL);
		cr_expect_eq(r.status, 422, "%s: %s", bad[i].url, r.body);
		snprintf(key, sizeof(key), "errors.%s.0", bad[i].key);
		cr_expect_str_eq(jstr(r.json, key), bad[i].message, "%s: %s", bad[i].url, r.body);
		cr_expect_str_eq(jstr(r.json, "message"), bad[i].message);
		resp_free(&r);
	}

	/* query: 255 characters are fine, 256 are not. */
	char q[300], long_url[400];
	memset(q, 'a', 255);
	q[255] = '\0';
	snprintf(long_url, sizeof(long_url), "/v2/stores?query=%s", q);
	r = req("GET", long_url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	strcat(q, "a");
	snprintf(long_url, sizeof(long_url), "/v2/stores?query=%s", q);
	r = req("GET", long_url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The query field must not be greater than 255 "
	    "characters.\",\"errors\":{\"query\":[\"The query field must not be greater than 255 "
	    "characters.\"]}}");
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* POST /v2/stores                                                     */
/* ------------------------------------------------------------------ */

/* A body that passes every rule; tests replace one field at a time. */
static const char good_body[] =
    "{\"name\":\"Test Signup Store\","
    "\"domains\":[[\"Test-Signup.example.se\",\"www.test-signup-2.example.se\"],"
    "[\"test-signup-3.example.se\"]],"
    "\"categories\":[3,1,3],"
    "\"logo_url\":\"https://logos.example.se/test-signup.png\","
    "\"country\":\"SE\",\"currency\":\"SEK\",\"language\":\"sv\","
    "\"billing\":{\"company_name\":\"Test Signup AB\",\"street\":\"Storgatan 1\","
    "\"postal_code\":\"111 22\",\"city\":\"Stockholm\",\"vat_number\":\"SE556677889901\"}}";

/* good_body with field set to the JSON text value (NULL: removed). */
static char *
body_with(const char *field, const char *value)
{
	struct json_object *o = json_tokener_parse(good_body), *v;
	char *out;

	cr_assert_not_null(o);
	if (value == NULL)
		json_object_object_del(o, field);
	else {
		cr_assert_not_null(v = json_tokener_parse(value), "%s", value);
		json_object_object_add(o, field, v);
	}
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return out;
}

/* Row counts of every table POST writes, as one string. */
static char *
write_counts(void)
{
	return sql("SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM stores),"
	    " (SELECT COUNT(*) FROM store_domains), (SELECT COUNT(*) FROM store_store_category),"
	    " (SELECT COUNT(*) FROM store_billing), (SELECT COUNT(*) FROM store_users))");
}

/* Removes the stores the tests made (their rows go with them). */
static void
remove_test_stores(void)
{
	free(sql("DELETE FROM stores WHERE name IN ('Test Signup Store', 'All or nothing')"));
	free(sql("DELETE FROM idempotency_keys WHERE user_id = 8"));
}

Test(stores, create_writes_everything_and_replays)
{
	char hdr[128], q[512], *before = write_counts();
	struct resp r;

	snprintf(hdr, sizeof(hdr), "Idempotency-Key: stores-%ld-%d", (long)time(NULL), getpid());
	r = req_ex("POST", "/v2/stores", tok(SIGNUP), good_body, 0, NULL, hdr);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "id,name");
	cr_expect_str_eq(jstr(r.json, "name"), "Test Signup Store");
	long long id = jint(r.json, "id");
	char *first = strdup(r.body);
	resp_free(&r);

	/* The store, in the market of sv_SE, made by the caller, self-service. */
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', name, store_group_id, logo_url, country,"
	    " currency, language, is_self_service, is_active, created_by,"
	    " IFNULL(payment_setup_at, 'none')) FROM stores WHERE id = %lld", id);
	char *row = sql(q);
	cr_expect_str_eq(row, "Test Signup Store|1|https://logos.example.se/test-signup.png|SE|"
	    "SEK|sv|1|1|8|none");
	free(row);
	/* Domains lower-cased, without "www."; categories once each. */
	snprintf(q, sizeof(q), "SELECT domain FROM store_domains WHERE store_id = %lld"
	    " ORDER BY domain", id);
	row = sql_list(q);
	cr_expect_str_eq(row, "test-signup-2.example.se,test-signup-3.example.se,"
	    "test-signup.example.se");
	free(row);
	snprintf(q, sizeof(q), "SELECT store_category_id FROM store_store_category"
	    " WHERE store_id = %lld ORDER BY 1", id);
	row = sql_list(q);
	cr_expect_str_eq(row, "1,3");
	free(row);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', company_name, street, postal_code, city,"
	    " vat_number) FROM store_billing WHERE store_id = %lld", id);
	row = sql(q);
	cr_expect_str_eq(row, "Test Signup AB|Storgatan 1|111 22|Stockholm|SE556677889901");
	free(row);
	snprintf(q, sizeof(q), "SELECT user_id FROM store_users WHERE store_id = %lld", id);
	row = sql_list(q);
	cr_expect_str_eq(row, "8", "the caller is its member");
	free(row);

	/* The same key and body: the first answer again, nothing new. */
	char *after = write_counts();
	r = req_ex("POST", "/v2/stores", tok(SIGNUP), good_body, 0, NULL, hdr);
	cr_expect_eq(r.status, 201);
	cr_expect_str_eq(r.body, first);
	cr_expect_str_eq(resp_header(&r, "Idempotent-Replayed"), "true");
	resp_free(&r);
	char *again = write_counts();
	cr_expect_str_eq(again, after);
	free(again);
	/* Without the key, the same body is refused: its domains are taken. */
	r = req("POST", "/v2/stores", tok(SIGNUP), good_body);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The domains.0.0 has already been taken. (and 2 "
	    "more errors)\",\"errors\":{\"domains.0.0\":[\"The domains.0.0 has already been "
	    "taken.\"],\"domains.0.1\":[\"The domains.0.1 has already been taken.\"],"
	    "\"domains.1.0\":[\"The domains.1.0 has already been taken.\"]}}");
	resp_free(&r);

	/* The new member now lists it. */
	r = req("GET", "/v2/stores", tok(SIGNUP), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	snprintf(q, sizeof(q), "%lld", id);
	cr_expect_str_eq(jids(jpath(r.json, "data")), q);
	resp_free(&r);

	remove_test_stores();
	char *end = write_counts();
	cr_expect_str_eq(end, before);
	free(end);
	free(after);
	free(first);
	free(before);
}

Test(stores, create_from_a_form_and_without_optional_fields)
{
	/* PHP-style arrays of a form body; logo and billing details left out. */
	static const char form[] = "name=Test+Signup+Store&domains[0][]=form-signup.example.se"
	    "&domains[1][a]=form-signup-2.example.se&categories[]=2&country=PL&currency=PLN"
	    "&language=pl&billing[company_name]=Firma";
	char q[512];
	struct resp r = req_ex("POST", "/v2/stores", tok(SIGNUP), form, strlen(form),
	    "application/x-www-form-urlencoded", NULL);

	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', store_group_id, IFNULL(logo_url, 'null'),"
	    " (SELECT GROUP_CONCAT(domain ORDER BY domain) FROM store_domains WHERE store_id ="
	    " s.id), (SELECT IFNULL(street, 'null') FROM store_billing WHERE store_id = s.id))"
	    " FROM stores s WHERE id = %lld", jint(r.json, "id"));
	char *row = sql(q);
	cr_expect_str_eq(row, "3|null|form-signup-2.example.se,form-signup.example.se|null");
	free(row);
	resp_free(&r);
	remove_test_stores();
}

Test(stores, create_validation)
{
	char long_name[300], long_host[300], many[4000], big[64];
	/* "nnn...": 256 characters, quoted. */
	long_name[0] = '"';
	memset(long_name + 1, 'n', 256);
	long_name[257] = '"';
	long_name[258] = '\0';
	/* A host of 254 characters. */
	snprintf(long_host, sizeof(long_host), "[[\"%.*s.se\"]]", 251, long_name + 1);
	strcpy(many, "[[");
	for (int i = 0; i < 101; i++) {
		snprintf(big, sizeof(big), "%s\"h%d.example.se\"", i ? "," : "", i);
		strcat(many, big);
	}
	strcat(many, "]]");

	static const char *const cats51 = "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
	    "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]";
	const struct {
		const char *field;
		const char *value;	/* JSON text; NULL: field left out */
		const char *key;
		const char *message;
	} cases[] = {
		{ "name", NULL, "name", "The name field is required." },
		{ "name", "\"\"", "name", "The name field is required." },
		{ "name", "5", "name", "The name field must be a string." },
		{ "name", long_name, "name", "The name field must not be greater than 255 "
		    "characters." },
		{ "domains", NULL, "domains", "The domains field is required." },
		{ "domains", "[]", "domains", "The domains field is required." },
		{ "domains", "\"shop.se\"", "domains", "The domains field must be an array." },
		{ "domains", "[\"shop.se\"]", "domains.0", "The domains.0 field must be an array." },
		{ "domains", "[[]]", "domains.0", "The domains.0 field is required." },
		{ "domains", "[[\"ok-1.example.se\"],[5]]", "domains.1.0",
		    "The domains.1.0 field must be a string." },
		{ "domains", "[[null]]", "domains.0.0", "The domains.0.0 field must be a string." },
		{ "domains", "[[\"not a host\"]]", "domains.0.0",
		    "The domains.0.0 field format is invalid." },
		{ "domains", "[[\"https://shop.se/\"]]", "domains.0.0",
		    "The domains.0.0 field format is invalid." },
		{ "domains", "[[\"-shop.se\"]]", "domains.0.0",
		    "The domains.0.0 field format is invalid." },
		{ "domains", "[[\"shop.se.\"]]", "domains.0.0",
		    "The domains.0.0 field format is invalid." },
		/* A bare top-level name would own every link under it. */
		{ "domains", "[[\"se\"]]", "domains.0.0", "The domains.0.0 field format is invalid." },
		{ "domains", "[[\"localhost\"]]", "domains.0.0",
		    "The domains.0.0 field format is invalid." },
		{ "domains", long_host, "domains.0.0",
		    "The domains.0.0 field must not be greater than 253 characters." },
		{ "domains", many, "domains", "The domains field must not have more than 100 items." },
		/* The same host twice in one request, whatever its case or "www.". */
		{ "domains", "[[\"dup.example.se\"],[\"x.example.se\",\"DUP.example.se\"]]",
		    "domains.1.1", "The domains.1.1 field has a duplicate value." },
		{ "domains", "[[\"dup.example.se\",\"www.dup.example.se\"]]", "domains.0.1",
		    "The domains.0.1 field has a duplicate value." },
		/* Another store's host, as given or in another spelling. */
		{ "domains", "[[\"fresh.example.se\"],[\"nordicbeauty.se\"]]", "domains.1.0",
		    "The domains.1.0 has already been taken." },
		{ "domains", "[[\"WWW.NordicBeauty.SE\"]]", "domains.0.0",
		    "The domains.0.0 has already been taken." },
		{ "categories", NULL, "categories", "The categories field is required." },
		{ "categories", "[]", "categories", "The categories field is required." },
		{ "categories", "3", "categories", "The categories field must be an array." },
		{ "categories", "[\"x\"]", "categories.0", "The categories.0 field must be an "
		    "integer." },
		{ "categories", "[1,999999]", "categories.1", "The selected categories.1 is invalid." },
		{ "categories", cats51, "categories",
		    "The categories field must not have more than 50 items." },
		{ "logo_url", "\"ftp://logos.example.se/x.png\"", "logo_url",
		    "The logo url field must be a valid URL." },
		{ "logo_url", "\"not a url\"", "logo_url", "The logo url field must be a valid URL." },
		{ "logo_url", "7", "logo_url", "The logo url field must be a string." },
		{ "country", NULL, "country", "The country field is required." },
		{ "country", "\"se\"", "country", "The selected country is invalid." },
		{ "country", "\"SWE\"", "country", "The selected country is invalid." },
		{ "country", "46", "country", "The country field must be a string." },
		/* A real country, but no market for it with this language. */
		{ "country", "\"NO\"", "country",
		    "The selected country has no market for the language sv." },
		{ "currency", NULL, "currency", "The currency field is required." },
		{ "currency", "\"sek\"", "currency", "The selected currency is invalid." },
		{ "currency", "\"Example: EUR\"", "currency", "The selected currency is invalid." },
		{ "language", NULL, "language", "The language field is required." },
		{ "language", "\"SV\"", "language", "The selected language is invalid." },
		{ "language", "\"xx\"", "language", "The selected language is invalid." },
		{ "billing", NULL, "billing", "The billing field is required." },
		{ "billing", "\"Test AB\"", "billing", "The billing field must be an array." },
		{ "billing", "{\"street\":\"Storgatan 1\"}", "billing.company_name",
		    "The billing.company name field is required." },
		{ "billing", "{\"company_name\":[\"x\"]}", "billing.company_name",
		    "The billing.company name field must be a string." },
		{ "billing", "{\"company_name\":\"AB\",\"postal_code\":\"123456789012345678901234567"
		    "890123\"}", "billing.postal_code",
		    "The billing.postal code field must not be greater than 32 characters." },
		{ "billing", "{\"company_name\":\"AB\",\"vat_number\":1}", "billing.vat_number",
		    "The billing.vat number field must be a string." },
	};
	char *before = write_counts(), want[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *body = body_with(cases[i].field, cases[i].value);
		struct resp r = req("POST", "/v2/stores", tok(SIGNUP), body);

		snprintf(want, sizeof(want), "{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}",
		    cases[i].message, cases[i].key, cases[i].message);
		cr_expect_eq(r.status, 422, "%s -> %ld %s", body, r.status, r.body);
		cr_expect_str_eq(r.body, want, "%s: %s=%s", cases[i].field, cases[i].field,
		    cases[i].value ? cases[i].value : "(absent)");
		resp_free(&r);
		free(body);
	}
	char *after = write_counts();
	cr_expect_str_eq(after, before, "nothing written by refused requests");
	free(after);
	free(before);
	remove_test_stores();

	/* Every error at once, counted in the message. */
	struct resp r = req("POST", "/v2/stores", tok(SIGNUP), "{}");
	cr_expect_str_eq(r.body, "{\"message\":\"The name field is required. (and 6 more errors)"
	    "\",\"errors\":{\"name\":[\"The name field is required.\"],\"domains\":[\"The domains "
	    "field is required.\"],\"categories\":[\"The categories field is required.\"],"
	    "\"country\":[\"The country field is required.\"],\"currency\":[\"The currency field "
	    "is required.\"],\"language\":[\"The language field is required.\"],\"billing\":"
	    "[\"The billing field is required.\"]}}");
	resp_free(&r);
	r = req("POST", "/v2/stores", NULL, good_body);
	expect_error(r, 401);
	resp_free(&r);
}

Test(stores, create_is_all_or_nothing)
{
	char *before = write_counts(), *after;
	struct resp r;

	/* A taken host in the last place: nothing of the others is written. */
	char *body = body_with("domains", "[[\"aon-1.example.se\",\"aon-2.example.se\"],"
	    "[\"aon-3.example.se\",\"cphdesign.dk\"]]");
	r = req("POST", "/v2/stores", tok(SIGNUP), body);
	cr_expect_eq(r.status, 422, "%s", r.body);
	cr_expect_str_eq(r.body, "{\"message\":\"The domains.1.1 has already been taken.\","
	    "\"errors\":{\"domains.1.1\":[\"The domains.1.1 has already been taken.\"]}}");
	resp_free(&r);
	free(body);
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(after);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM store_domains WHERE domain LIKE 'aon-%'"), 0);

	/*
	 * The last statement (the membership) fails after the store, its
	 * domains, categories and billing were written: all of it goes.
	 */
	free(sql("CREATE TRIGGER it_stores_fail BEFORE INSERT ON store_users FOR EACH ROW"
	    " SET NEW.user_id = IF((SELECT name FROM stores WHERE id = NEW.store_id) ="
	    " 'All or nothing', NULL, NEW.user_id)"));
	body = body_with("name", "\"All or nothing\"");
	r = req("POST", "/v2/stores", tok(SIGNUP), body);
	free(sql("DROP TRIGGER it_stores_fail"));
	expect_error(r, 500);
	resp_free(&r);
	free(body);
	after = write_counts();
	cr_expect_str_eq(after, before, "no store, domain, category, billing or member left");
	free(after);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM stores WHERE name = 'All or nothing'"), 0);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM store_billing WHERE company_name ="
	    " 'Test Signup AB'"), 0);

	/* And the same request then goes through. */
	body = body_with("name", "\"All or nothing\"");
	r = req("POST", "/v2/stores", tok(SIGNUP), body);
	cr_expect_eq(r.status, 201, "%s", r.body);
	resp_free(&r);
	free(body);
	remove_test_stores();
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(after);
	free(before);
}

/* ------------------------------------------------------------------ */
/* PUT /v2/stores/{store_id}/payment                                   */
/* ------------------------------------------------------------------ */

Test(stores, payment_setup)
{
	char url[64], q[256], *first, *again;
	struct resp r;

	/* A self-service store made by its member. */
	r = req("POST", "/v2/stores", tok(SIGNUP), good_body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "id");
	resp_free(&r);
	snprintf(url, sizeof(url), "/v2/stores/%lld/payment", id);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', payment_setup_at, payment_setup_by)"
	    " FROM stores WHERE id = %lld", id);

	r = req("PUT", url, tok(SIGNUP), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "id,name");
	cr_expect_eq(jint(r.json, "id"), id);
	cr_expect_str_eq(jstr(r.json, "name"), "Test Signup Store");
	resp_free(&r);
	first = sql(q);
	cr_expect(strstr(first, "|8") != NULL, "set up by the member: %s", first);

	/* Again, a second later and by an admin: the first time and person stay. */
	sleep(1);
	r = req("PUT", url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	again = sql(q);
	cr_expect_str_eq(again, first);
	free(again);
	free(first);

	/* Who may: members of another store are told it does not exist. */
	r = req("PUT", url, tok(MEMBER1), NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = req("PUT", "/v2/stores/1/payment", tok(CREATOR1), NULL);
	expect_error(r, 403);
	resp_free(&r);
	r = req("PUT", "/v2/stores/99999/payment", tok(ADMIN), NULL);
	expect_error(r, 404);
	resp_free(&r);

	/* A store that is not self-service has no payment to set up. */
	r = req("PUT", "/v2/stores/1/payment", tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The payment can only be set up for a "
	    "self-service store.\",\"errors\":{\"store_id\":[\"The payment can only be set up "
	    "for a self-service store.\"]}}");
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM stores WHERE id = 1"
	    " AND payment_setup_at IS NULL"), 1);

	/* The demo store 9 keeps its setup of January by user 1. */
	r = req("PUT", "/v2/stores/9/payment", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(r.body, "{\"id\":9,\"name\":\"Copenhagen Design\"}");
	resp_free(&r);
	char *nine = sql("SELECT CONCAT_WS('|', payment_setup_at, payment_setup_by) FROM stores"
	    " WHERE id = 9");
	cr_expect_str_eq(nine, "2025-01-20 12:00:00|1");
	free(nine);
	remove_test_stores();
}

/* ------------------------------------------------------------------ */
/* GET /v2/users/{user_id}/stores-by-categories, -by-toplist           */
/* ------------------------------------------------------------------ */

/*
 * What the database says user may work with, written independently of
 * the server's query: the store ids, in the given ORDER BY (with c.* the
 * category: "category:store" pairs).
 */
static char *
db_user_stores(int user, bool by_category)
{
	char q[1500];

	snprintf(q, sizeof(q),
	    "SELECT %s FROM stores s %s"
	    " WHERE s.is_active = 1 AND s.deleted_at IS NULL"
	    " AND s.store_group_id = (SELECT c.store_group_id FROM users u JOIN clients c"
	    " ON c.id = u.client_id WHERE u.id = %d)"
	    " AND s.id NOT IN (SELECT store_id FROM blocklist_entries WHERE user_id = %d)"
	    " AND s.id NOT IN (SELECT b.store_id FROM blocklist_entries b WHERE b.user_tag_id IN"
	    " (SELECT user_tag_id FROM user_tag_user WHERE user_id = %d))"
	    " ORDER BY %s",
	    by_category ? "CONCAT(c.id, ':', s.id)" : "s.id",
	    by_category ? "JOIN store_store_category x ON x.store_id = s.id"
	    " JOIN store_categories c ON c.id = x.store_category_id" : "",
	    user, user, user,
	    by_category ? "c.name, c.id, s.name, s.id" :
	    "COALESCE(s.toplist_rank, 4294967296), s.name, s.id");
	return sql_list(q);
}

/* The answer of stores-by-categories as "category:store" pairs; checks its shape. */
static const char *
category_pairs(struct json_object *groups)
{
	static char out[8192];
	char one[48];

	out[0] = '\0';
	cr_assert(json_object_is_type(groups, json_type_array));
	for (size_t i = 0; i < json_object_array_length(groups); i++) {
		struct json_object *g = json_object_array_get_idx(groups, i);
		struct json_object *stores = jpath(g, "stores");

		cr_expect_str_eq(jkeys(g), "category,stores");
		cr_expect_str_eq(jkeys(jpath(g, "category")), "id,name");
		cr_expect_gt(json_object_array_length(stores), 0);
		for (size_t k = 0; k < json_object_array_length(stores); k++) {
			struct json_object *s = json_object_array_get_idx(stores, k);

			cr_expect_str_eq(jkeys(s), "id,name");
			snprintf(one, sizeof(one), "%s%lld:%lld", out[0] ? "," : "",
			    jint(g, "category.id"), jint(s, "id"));
			strcat(out, one);
		}
	}
	return out;
}

/* Both endpoints for user, asked by caller, against the database. */
static void
expect_user_stores(int caller, int user)
{
	char url[96], *want;
	struct resp r;

	snprintf(url, sizeof(url), "/v2/users/%d/stores-by-categories", user);
	r = req("GET", url, tok(caller), NULL);
	cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
	want = db_user_stores(user, true);
	cr_expect_str_eq(category_pairs(r.json), want, "%s as %d", url, caller);
	free(want);
	resp_free(&r);

	snprintf(url, sizeof(url), "/v2/users/%d/stores-by-toplist", user);
	r = req("GET", url, tok(caller), NULL);
	cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
	cr_assert(json_object_is_type(r.json, json_type_array), "%s", r.body);
	if (json_object_array_length(r.json) > 0)
		cr_expect_str_eq(jkeys(jpath(r.json, "0")), "id,name");
	want = db_user_stores(user, false);
	cr_expect_str_eq(jids(r.json), want, "%s as %d", url, caller);
	free(want);
	resp_free(&r);
}

/* The toplist ids of user, asked by caller. */
static char *
toplist_of(int caller, int user)
{
	char url[96];
	struct resp r;
	char *out;

	snprintf(url, sizeof(url), "/v2/users/%d/stores-by-toplist", user);
	r = req("GET", url, tok(caller), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	out = strdup(jids(r.json));
	resp_free(&r);
	return out;
}

Test(stores_by, grouped_by_category)
{
	struct resp r = req("GET", "/v2/users/3/stores-by-categories", tok(CREATOR1), NULL);

	cr_assert_eq(r.status, 200, "%s", r.body);
	/* Group 1's active stores: by category name, then store name. */
	cr_expect_str_eq(r.body, "[{\"category\":{\"id\":1,\"name\":\"Beauty\"},\"stores\":["
	    "{\"id\":1,\"name\":\"Nordic Beauty\"}]},{\"category\":{\"id\":2,\"name\":"
	    "\"Fashion\"},\"stores\":[{\"id\":4,\"name\":\"Sportkompaniet\"}]},{\"category\":"
	    "{\"id\":3,\"name\":\"Home\"},\"stores\":[{\"id\":3,\"name\":\"Stockholm Home\"}]},"
	    "{\"category\":{\"id\":4,\"name\":\"Sports\"},\"stores\":[{\"id\":4,\"name\":"
	    "\"Sportkompaniet\"}]}]");
	resp_free(&r);
	/* Store 2 in Fashion and Kids; Oslo Kids after Fjord Fashion by name. */
	expect_user_stores(CREATOR2, CREATOR2);

	/* Two more stores of group 1 in Home: ordered by name, not id. */
	free(sql("INSERT INTO stores (id, name, store_group_id, currency) VALUES"
	    " (900001, 'Zz Home', 1, 'SEK'), (900002, 'Aa Home', 1, 'SEK');"
	    " INSERT INTO store_store_category VALUES (900001, 3), (900002, 3)"));
	r = req("GET", "/v2/users/3/stores-by-categories", tok(CREATOR1), NULL);
	cr_expect_str_eq(category_pairs(r.json), "1:1,2:4,3:900002,3:3,3:900001,4:4");
	resp_free(&r);
	expect_user_stores(CREATOR1, CREATOR1);
	free(sql("DELETE FROM stores WHERE id IN (900001, 900002)"));
}

Test(stores_by, toplist_order)
{
	char *got = toplist_of(CREATOR1, CREATOR1);

	/* Ranks 1, 2, 3; store 5 is inactive. */
	cr_expect_str_eq(got, "1,4,3");
	free(got);

	/* Unranked stores after the ranked ones, by name; deleted and inactive never. */
	free(sql("INSERT INTO stores (id, name, store_group_id, currency, toplist_rank,"
	    " is_active, deleted_at) VALUES (900001, 'Zz unranked', 1, 'SEK', NULL, 1, NULL),"
	    " (900002, 'Aa unranked', 1, 'SEK', NULL, 1, NULL),"
	    " (900003, 'Top but deleted', 1, 'SEK', 1, 1, '2025-06-01 00:00:00'),"
	    " (900004, 'Top but inactive', 1, 'SEK', 1, 0, NULL),"
	    " (900005, 'Another second', 1, 'SEK', 2, 1, NULL)"));
	got = toplist_of(CREATOR1, CREATOR1);
	cr_expect_str_eq(got, "1,900005,4,3,900002,900001");
	free(got);
	expect_user_stores(CREATOR1, CREATOR1);
	expect_user_stores(ADMIN, CREATOR1);
	free(sql("DELETE FROM stores WHERE id BETWEEN 900001 AND 900005"));

	/* A user with no client has no market, so no stores. */
	struct resp r = req("GET", "/v2/users/2/stores-by-toplist", tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(r.body, "[]");
	resp_free(&r);
	r = req("GET", "/v2/users/2/stores-by-categories", tok(MEMBER1), NULL);
	cr_expect_str_eq(r.body, "[]");
	resp_free(&r);
}

Test(stores_by, blocklist_by_user_and_by_tag)
{
	char *got;

	/* Demo data: store 2 blocks user 28; store 1 blocks tag 7 (users 19, 20). */
	got = toplist_of(ADMIN, 28);
	cr_expect_str_eq(got, "6");
	free(got);
	got = toplist_of(ADMIN, 21);
	cr_expect_str_eq(got, "2,6", "21 is in client 2 too, and not blocked");
	free(got);
	got = toplist_of(ADMIN, 19);
	cr_expect_str_eq(got, "4,3", "tag 7 keeps store 1 away");
	free(got);
	expect_user_stores(ADMIN, 28);
	expect_user_stores(ADMIN, 19);

	/* Creator 3: store 4 blocks them, store 3 blocks a tag of theirs. */
	free(sql("INSERT INTO user_tags (id, name, slug, access_level) VALUES"
	    " (900001, 'Stores test tag', 'stores-test-tag', 1);"
	    " INSERT INTO user_tag_user (user_tag_id, user_id) VALUES (900001, 3);"
	    " INSERT INTO blocklist_entries (store_id, user_tag_id, created_by) VALUES"
	    " (3, 900001, 1)"));
	got = toplist_of(CREATOR1, CREATOR1);
	cr_expect_str_eq(got, "1,4", "blocked by tag");
	free(got);
	free(sql("INSERT INTO blocklist_entries (store_id, user_id, created_by) VALUES (4, 3, 1)"));
	got = toplist_of(CREATOR1, CREATOR1);
	cr_expect_str_eq(got, "1", "blocked by user and by tag");
	free(got);
	struct resp r = req("GET", "/v2/users/3/stores-by-categories", tok(CREATOR1), NULL);
	cr_expect_str_eq(r.body, "[{\"category\":{\"id\":1,\"name\":\"Beauty\"},\"stores\":["
	    "{\"id\":1,\"name\":\"Nordic Beauty\"}]}]");
	resp_free(&r);
	expect_user_stores(CREATOR1, CREATOR1);
	/* Another user of the same tag's store group is not affected. */
	got = toplist_of(ADMIN, 6);
	cr_expect_str_eq(got, "1,4,3");
	free(got);

	free(sql("DELETE FROM blocklist_entries WHERE (store_id = 4 AND user_id = 3)"
	    " OR user_tag_id = 900001; DELETE FROM user_tags WHERE id = 900001"));
	got = toplist_of(CREATOR1, CREATOR1);
	cr_expect_str_eq(got, "1,4,3");
	free(got);
}

Test(stores_by, who_may_ask)
{
	static const char *const paths[] = { "stores-by-categories", "stores-by-toplist" };
	char url[96];
	struct resp r;

	for (size_t i = 0; i < 2; i++) {
		/* Another creator, a store member: 403. */
		snprintf(url, sizeof(url), "/v2/users/5/%s", paths[i]);
		r = req("GET", url, tok(CREATOR1), NULL);
		expect_error(r, 403);
		resp_free(&r);
		r = req("GET", url, tok(MEMBER1), NULL);
		expect_error(r, 403);
		resp_free(&r);
		r = req("GET", url, NULL, NULL);
		expect_error(r, 401);
		resp_free(&r);
		/* The user themselves and admins. */
		r = req("GET", url, tok(CREATOR2), NULL);
		cr_expect_eq(r.status, 200, "%s", r.body);
		resp_free(&r);
		r = req("GET", url, tok(ADMIN), NULL);
		cr_expect_eq(r.status, 200, "%s", r.body);
		resp_free(&r);
		/* No such user: 404 for an admin, 403 for anyone else. */
		snprintf(url, sizeof(url), "/v2/users/999999/%s", paths[i]);
		r = req("GET", url, tok(ADMIN), NULL);
		expect_error(r, 404);
		resp_free(&r);
		r = req("GET", url, tok(CREATOR1), NULL);
		expect_error(r, 403);
		resp_free(&r);
	}
}
