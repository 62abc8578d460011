/*
 * test_directory.c -- POST /v2/match-users and GET /v2/entrypoint through
 * nginx. Expected users and stores come from the database.
 */
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

#define ITEM_MSG(i) \
	"The user emails or ids." #i " field must be an integer or a valid email address."
#define NOT_ARRAY "The user emails or ids field must be an array."
#define STORE_NOT_INT "The store id field must be an integer."
#define STORE_UNKNOWN "The selected store id is invalid."

/* One row of JSON_OBJECT(...) from the database, parsed (the caller puts it). */
static struct json_object *
db_json(const char *select)
{
	char *text = sql(select);
	struct json_object *j = json_tokener_parse(text);

	cr_assert_not_null(j, "not JSON from the database: %s", text);
	free(text);
	return j;
}

/* Expects r's JSON at path to equal the database's row (compact texts). */
static void
expect_row(struct json_object *got, const char *select)
{
	struct json_object *want = db_json(select);
	char *w = strdup(jtext(want));

	cr_expect_str_eq(jtext(got), w);
	free(w);
	json_object_put(want);
}

#define USER_ROW(id) \
	"SELECT JSON_OBJECT('id', id, 'username', username, 'email', email, " \
	"'client_id', client_id) FROM users WHERE id = " #id

#define STORE_ROW(id) \
	"SELECT JSON_OBJECT('id', id, 'name', name, 'logo_url', logo_url, " \
	"'currency', currency) FROM stores WHERE id = " #id

static struct resp
match(const char *body)
{
	return req("POST", "/v2/match-users", tok(ADMIN), body);
}

/* The 422's only error is message under key. */
static void
expect_only_error(struct resp *r, const char *key, const char *message)
{
	char path[256];

	cr_expect_eq(r->status, 422, "status %ld: %s", r->status, r->body);
	snprintf(path, sizeof(path), "errors.%s", key);
	cr_expect_str_eq(jkeys(jpath(r->json, "errors")), key, "%s", r->body);
	if (jpath(r->json, path) == NULL)
		return;
	cr_expect_str_eq(json_object_get_string(json_object_array_get_idx(jpath(r->json, path), 0)),
	    message);
	cr_expect_str_eq(jstr(r->json, "message"), message);
}

/* ------------------------------------------------------------------ */
/* POST /v2/match-users                                                */
/* ------------------------------------------------------------------ */

Test(match_users, ids_and_emails_in_the_order_given)
{
	struct resp r = match("{\"user_emails_or_ids\":[5,\"CREATOR.ONE@Demo.Metapic.TEST\","
	    "999999,\"nobody@example.com\",21,\"Anna.Lindqvist@DEMO.metapic.test\",1]}");

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "data,unmatched");
	cr_expect_str_eq(jids(jpath(r.json, "data")), "5,3,21,6,1");
	cr_expect_str_eq(jtext(jpath(r.json, "unmatched")), "[999999,\"nobody@example.com\"]");
	cr_expect_str_eq(jkeys(jpath(r.json, "data.0")), "id,username,email,client_id");
	/* As the database has them, the address as stored; no client: null. */
	expect_row(jpath(r.json, "data.1"), USER_ROW(3));
	expect_row(jpath(r.json, "data.4"), USER_ROW(1));
	cr_expect(json_object_is_type(jpath(r.json, "data.4"), json_type_object));
	cr_expect_null(jpath(r.json, "data.4.client_id"));
	resp_free(&r);
}

Test(match_users, unknowns_in_the_order_given)
{
	struct resp r = match("{\"user_emails_or_ids\":[999999,\"nobody@example.com\",888888,"
	    "\"Someone@Example.org\",0,-4]}");

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jtext(r.json), "{\"data\":[],\"unmatched\":[999999,\"nobody@example.com\","
	    "888888,\"Someone@Example.org\",0,-4]}");
	resp_free(&r);
}

/* Each user once, where first named; each unmatched input once, first spelling. */
Test(match_users, duplicates_answered_once_in_first_seen_order)
{
	struct resp r = match("{\"user_emails_or_ids\":[5,3,"
	    "\"creator.one@demo.metapic.test\",\"3\","
	    "\"CREATOR.TWO@DEMO.METAPIC.TEST\",999999,\"999999\",\"X@example.com\","
	    "\"x@EXAMPLE.com\",5,999999]}");

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "5,3");
	cr_expect_str_eq(jtext(jpath(r.json, "unmatched")), "[999999,\"X@example.com\"]");
	resp_free(&r);
}

/* The column's collation equates "é" with "e": that is another address. */
Test(match_users, accents_are_not_case)
{
	struct resp r = match("{\"user_emails_or_ids\":[\"cr\\u00e9ator.one@demo.metapic.test\","
	    "\"Creator.One@demo.metapic.test\"]}");

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "3");
	cr_expect_str_eq(jtext(jpath(r.json, "unmatched")),
	    "[\"cr\xc3\xa9" "ator.one@demo.metapic.test\"]");
	resp_free(&r);
}

Test(match_users, deleted_users_are_unmatched)
{
	free(sql("UPDATE users SET deleted_at = UTC_TIMESTAMP() WHERE id = 7"));
	struct resp r = match("{\"user_emails_or_ids\":"
	    "[7,\"erik.johansson@demo.metapic.test\",8]}");
	free(sql("UPDATE users SET deleted_at = NULL WHERE id = 7"));

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "8");
	cr_expect_str_eq(jtext(jpath(r.json, "unmatched")),
	    "[7,\"erik.johansson@demo.metapic.test\"]");
	resp_free(&r);
}

/* A body of n items: ids 1..n, every third an address of the demo data. */
static char *
many(int n)
{
	char *b = malloc((size_t)n * 48 + 64), *p = b;

	p += sprintf(p, "{\"user_emails_or_ids\":[");
	for (int i = 1; i <= n; i++) {
		if (i % 3 == 0)
			p += sprintf(p, "%s\"u%d@demo.metapic.test\"", i > 1 ? "," : "", i);
		else
			p += sprintf(p, "%s%d", i > 1 ? "," : "", i);
	}
	sprintf(p, "]}");
	return b;
}

Test(match_users, one_thousand_items_and_no_more)
{
	char *body = many(1000), *n = sql("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL"
	    " AND id <= 1000 AND id % 3 <> 0");
	struct resp r = match(body);

	cr_assert_eq(r.status, 200, "%.300s", r.body);
	cr_expect_eq((long)json_object_array_length(jpath(r.json, "data")), atol(n));
	cr_expect_eq((long)json_object_array_length(jpath(r.json, "unmatched")), 1000 - atol(n));
	cr_expect_str_eq(jstr(r.json, "unmatched.0"), "u3@demo.metapic.test");
	resp_free(&r);
	free(body);
	free(n);

	body = many(1001);
	r = match(body);
	cr_expect_str_eq(r.body, "{\"message\":\"The user emails or ids field must not have more "
	    "than 1000 items.\",\"errors\":{\"user_emails_or_ids\":[\"The user emails or ids field "
	    "must not have more than 1000 items.\"]}}");
	cr_expect_eq(r.status, 422);
	resp_free(&r);
	free(body);
}

Test(match_users, the_list_itself)
{
	static const struct {
		const char *body, *message;
	} bad[] = {
		{ "{}", "The user emails or ids field is required." },
		{ "{\"user_emails_or_ids\":null}", "The user emails or ids field is required." },
		{ "{\"user_emails_or_ids\":[]}", "The user emails or ids field is required." },
		{ "{\"user_emails_or_ids\":{}}", "The user emails or ids field is required." },
		{ "{\"user_emails_or_ids\":\"3\"}", NOT_ARRAY },
		{ "{\"user_emails_or_ids\":3}", NOT_ARRAY },
		{ "{\"user_emails_or_ids\":true}", NOT_ARRAY },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct resp r = match(bad[i].body);
		expect_only_error(&r, "user_emails_or_ids", bad[i].message);
		resp_free(&r);
	}
}

Test(match_users, items_that_are_neither_an_id_nor_an_email)
{
	static const char *const bad[] = {
		"\"abc\"", "\"1.5\"", "1.5", "1e3", "true", "false", "null", "{}", "[]", "[3]",
		"\"\"", "\"  \"", "\"12abc\"", "\"+12\"", "\"0x10\"", "\"99999999999999999999\"",
		"99999999999999999999", "\"a@\"", "\"@example.com\"", "\"a b@example.com\"",
		"\"a..b@example.com\"", "\"a@b@example.com\"", "\"' OR 1=1 --\"", "\"%\"",
	};
	char body[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "{\"user_emails_or_ids\":[3,%s,5]}", bad[i]);
		struct resp r = match(body);
		expect_only_error(&r, "user_emails_or_ids.1", ITEM_MSG(1));
		resp_free(&r);
	}
	/* Every bad item is reported, each under its own key. */
	struct resp r = match("{\"user_emails_or_ids\":[\"x\",3,\"y\"]}");
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jkeys(jpath(r.json, "errors")),
	    "user_emails_or_ids.0,user_emails_or_ids.2");
	cr_expect_str_eq(jstr(r.json, "message"), ITEM_MSG(0) " (and 1 more error)");
	resp_free(&r);
}

Test(match_users, items_that_are_ids_or_emails)
{
	static const struct {
		const char *item, *unmatched;
	} good[] = {
		{ "999999", "[999999]" },
		{ "\"999999\"", "[999999]" },
		{ "\" 999999 \"", "[999999]" },
		{ "\"-7\"", "[-7]" },
		{ "0", "[0]" },
		{ "\"a.b+tag@sub.example.com\"", "[\"a.b+tag@sub.example.com\"]" },
		{ "\"  Spaced@Example.com \"", "[\"Spaced@Example.com\"]" },
		{ "\"o'brien@example.ie\"", "[\"o'brien@example.ie\"]" },
	};
	char body[256];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(body, sizeof(body), "{\"user_emails_or_ids\":[%s]}", good[i].item);
		struct resp r = match(body);
		cr_expect_eq(r.status, 200, "%s: %s", good[i].item, r.body);
		cr_expect_str_eq(jtext(jpath(r.json, "unmatched")), good[i].unmatched, "%s",
		    good[i].item);
		resp_free(&r);
	}
}

Test(match_users, advertiser_group_restricts_the_matches)
{
	static const char *const list = "[3,5,21,41,\"creator.two@demo.metapic.test\","
	    "\"saga.ek@demo.metapic.test\",1,999999]";
	char body[512], *want;

	for (int g = 1; g <= 2; g++) {
		snprintf(body, sizeof(body),
		    "{\"user_emails_or_ids\":%s,\"advertiser_group_id\":%d}", list, g);
		struct resp r = match(body);
		cr_assert_eq(r.status, 200, "%s", r.body);
		snprintf(body, sizeof(body),
		    "SELECT GROUP_CONCAT(u.id ORDER BY FIELD(u.id, 3, 5, 21, 41, 43, 1))"
		    " FROM users u JOIN clients c ON c.id = u.client_id"
		    " WHERE c.store_group_id = %d AND u.id IN (3, 5, 21, 41, 43, 1)", g);
		want = sql(body);
		cr_expect_str_eq(jids(jpath(r.json, "data")), want, "group %d", g);
		free(want);
		resp_free(&r);
	}
	/* Group 1: 3 and 41 (client 4) and saga.ek (43); the others are not in it. */
	snprintf(body, sizeof(body), "{\"user_emails_or_ids\":%s,\"advertiser_group_id\":1}", list);
	struct resp r = match(body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "3,41,43");
	cr_expect_str_eq(jtext(jpath(r.json, "unmatched")),
	    "[5,21,\"creator.two@demo.metapic.test\",1,999999]");
	resp_free(&r);

	r = match("{\"user_emails_or_ids\":[3],\"advertiser_group_id\":999999}");
	expect_only_error(&r, "advertiser_group_id",
	    "The selected advertiser group id is invalid.");
	resp_free(&r);
	r = match("{\"user_emails_or_ids\":[3],\"advertiser_group_id\":\"one\"}");
	expect_only_error(&r, "advertiser_group_id",
	    "The advertiser group id field must be an integer.");
	resp_free(&r);
}

Test(match_users, from_the_query_string)
{
	struct resp r = req("POST", "/v2/match-users?user_emails_or_ids[]=3"
	    "&user_emails_or_ids[]=creator.two%40demo.metapic.test"
	    "&user_emails_or_ids[]=nobody%40example.com&user_emails_or_ids[]=999999", tok(ADMIN),
	    NULL);

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "3,5");
	cr_expect_str_eq(jtext(jpath(r.json, "unmatched")), "[\"nobody@example.com\",999999]");
	resp_free(&r);

	/* The reference's example request: both parameters in the query. */
	r = req("POST", "/v2/match-users?advertiser_group_id=2&user_emails_or_ids[]=3"
	    "&user_emails_or_ids[]=creator.two%40metapic.test&user_emails_or_ids[]=21", tok(ADMIN),
	    NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "21");
	cr_expect_str_eq(jtext(jpath(r.json, "unmatched")), "[3,\"creator.two@metapic.test\"]");
	resp_free(&r);

	r = req("POST", "/v2/match-users?user_emails_or_ids[]=3&user_emails_or_ids[]=abc",
	    tok(ADMIN), NULL);
	expect_only_error(&r, "user_emails_or_ids.1", ITEM_MSG(1));
	resp_free(&r);
	r = req("POST", "/v2/match-users?user_emails_or_ids[x]=abc", tok(ADMIN), NULL);
	expect_only_error(&r, "user_emails_or_ids.x", ITEM_MSG(x));
	resp_free(&r);
	r = req("POST", "/v2/match-users?user_emails_or_ids=3", tok(ADMIN), NULL);
	expect_only_error(&r, "user_emails_or_ids", NOT_ARRAY);
	resp_free(&r);
}

Test(match_users, admins_only)
{
	for (int u = 2; u <= 5; u++) {
		struct resp r = req("POST", "/v2/match-users", tok(u),
		    "{\"user_emails_or_ids\":[3]}");
		expect_error(r, 403);
		resp_free(&r);
	}
	struct resp r = req("POST", "/v2/match-users", NULL, "{\"user_emails_or_ids\":[3]}");
	expect_error(r, 401);
	resp_free(&r);
}

/* It writes nothing, yet a retried POST with its key gets the same answer. */
Test(match_users, idempotency_key_replays_the_answer)
{
	char key[64], hdr[128], q[160], *first, *n;
	const char *body = "{\"user_emails_or_ids\":[3,\"nobody@example.com\"]}";

	snprintf(key, sizeof(key), "it-match-%ld-%d", (long)time(NULL), getpid());
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);
	struct resp r = req_ex("POST", "/v2/match-users", tok(ADMIN), body, 0, NULL, hdr);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_null(resp_header(&r, "Idempotent-Replayed"));
	first = strdup(r.body);
	resp_free(&r);

	r = req_ex("POST", "/v2/match-users", tok(ADMIN), body, 0, NULL, hdr);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(r.body, first);
	cr_expect_str_eq(resp_header(&r, "Idempotent-Replayed"), "true");
	resp_free(&r);

	r = req_ex("POST", "/v2/match-users", tok(ADMIN), "{\"user_emails_or_ids\":[5]}", 0,
	    NULL, hdr);
	expect_only_error(&r, "idempotency_key",
	    "The idempotency key was used for another request.");
	resp_free(&r);

	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = '%s'", key);
	n = sql(q);
	cr_expect_str_eq(n, "1");
	free(n);
	snprintf(q, sizeof(q), "DELETE FROM idempotency_keys WHERE idem_key = '%s'", key);
	free(sql(q));
	free(first);
}

/* ------------------------------------------------------------------ */
/* GET /v2/entrypoint                                                  */
/* ------------------------------------------------------------------ */

#define ADMIN_ABILITIES \
	"[\"advertiser_groups.view\",\"clients.view\",\"users.view\",\"users.match\"," \
	"\"payments.manage\",\"user_media.view\",\"return_ads.manage\",\"return_ads.view\"," \
	"\"stores.view\",\"offers.manage\",\"participants.manage\",\"comments.manage\"," \
	"\"shared_budgets.manage\",\"blocklist.manage\",\"user_tags.view\"]"
#define MEMBER_ABILITIES \
	"\"return_ads.view\",\"stores.view\",\"stores.create\",\"stores.payment\"," \
	"\"offers.manage\",\"participants.manage\",\"comments.manage\"," \
	"\"shared_budgets.manage\",\"blocklist.manage\",\"user_tags.view\"]"
#define STORE_MEMBER_ABILITIES "[" MEMBER_ABILITIES
#define STORE_ADMIN_ABILITIES "[\"return_ads.manage\"," MEMBER_ABILITIES
#define CREATOR_ABILITIES \
	"[\"stores.create\",\"profile.manage\",\"stores.browse\",\"offers.join\"," \
	"\"affiliate_links.manage\",\"comments.own\"]"

static struct resp
entry(const char *query, const char *token)
{
	char url[256];

	snprintf(url, sizeof(url), "/v2/entrypoint%s", query);
	return req("GET", url, token, NULL);
}

static void
expect_user(struct resp *r, int user)
{
	char q[256];

	snprintf(q, sizeof(q), "SELECT JSON_OBJECT('id', id, 'username', username, 'email', email,"
	    " 'client_id', client_id) FROM users WHERE id = %d", user);
	expect_row(jpath(r->json, "user"), q);
}

Test(entrypoint, admin_app_for_admins_only)
{
	struct resp r = entry("?app=admin", tok(ADMIN));

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "app,user,abilities");
	cr_expect_str_eq(jstr(r.json, "app"), "admin");
	expect_user(&r, ADMIN);
	cr_expect_str_eq(jtext(jpath(r.json, "abilities")), ADMIN_ABILITIES);
	resp_free(&r);
	for (int u = 2; u <= 5; u++) {
		r = entry("?app=admin", tok(u));
		expect_error(r, 403);
		resp_free(&r);
	}
	/* The reference's example: a store_id means nothing to the admin app. */
	r = entry("?app=admin&store_id=6", tok(ADMIN));
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jkeys(r.json), "app,user,abilities");
	resp_free(&r);
	r = entry("?app=admin&store_id=6", tok(MEMBER1));
	expect_error(r, 403);
	resp_free(&r);
}

Test(entrypoint, creator_app_for_everyone)
{
	for (int u = 1; u <= 5; u++) {
		struct resp r = entry("?app=creator", tok(u));
		cr_assert_eq(r.status, 200, "user %d: %s", u, r.body);
		cr_expect_str_eq(jkeys(r.json), "app,user,abilities");
		cr_expect_str_eq(jstr(r.json, "app"), "creator");
		expect_user(&r, u);
		cr_expect_str_eq(jtext(jpath(r.json, "abilities")), CREATOR_ABILITIES);
		resp_free(&r);
	}
}

Test(entrypoint, store_app_for_members)
{
	static const int members[][2] = { { MEMBER1, 1 }, { MEMBER2, 2 } };
	char q[64], row[256];

	for (size_t i = 0; i < 2; i++) {
		int u = members[i][0], s = members[i][1];
		for (int given = 0; given <= 1; given++) {
			snprintf(q, sizeof(q), given ? "?app=store&store_id=%d" : "?app=store", s);
			struct resp r = entry(q, tok(u));
			cr_assert_eq(r.status, 200, "%s", r.body);
			cr_expect_str_eq(jkeys(r.json), "app,user,abilities,stores,store");
			cr_expect_str_eq(jstr(r.json, "app"), "store");
			expect_user(&r, u);
			cr_expect_str_eq(jtext(jpath(r.json, "abilities")), STORE_MEMBER_ABILITIES);
			cr_expect_eq(json_object_array_length(jpath(r.json, "stores")), 1);
			snprintf(row, sizeof(row), "SELECT JSON_OBJECT('id', id, 'name', name, "
			    "'logo_url', logo_url, 'currency', currency)"
			    " FROM stores WHERE id = %d", s);
			expect_row(jpath(r.json, "stores.0"), row);
			expect_row(jpath(r.json, "store"), row);
			resp_free(&r);
		}
	}
	/* Another store: not theirs to open. */
	struct resp r = entry("?app=store&store_id=2", tok(MEMBER1));
	expect_error(r, 403);
	resp_free(&r);
	r = entry("?app=store&store_id=1", tok(MEMBER2));
	expect_error(r, 403);
	resp_free(&r);
}

Test(entrypoint, store_app_refuses_creators)
{
	static const char *const qs[] = { "?app=store", "?app=store&store_id=1",
		"?app=store&store_id=2" };

	for (int u = CREATOR1; u <= CREATOR2; u += 2)
		for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
			struct resp r = entry(qs[i], tok(u));
			expect_error(r, 403);
			resp_free(&r);
		}
}

Test(entrypoint, store_app_for_admins_any_store)
{
	struct resp r = entry("?app=store", tok(ADMIN));

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "app,user,abilities,stores,store");
	cr_expect_str_eq(jtext(jpath(r.json, "abilities")), STORE_ADMIN_ABILITIES);
	/* Not a member of any store, none chosen: nothing selected. */
	cr_expect_str_eq(jtext(jpath(r.json, "stores")), "[]");
	cr_expect(json_object_object_get_ex(r.json, "store", NULL));
	cr_expect_null(jpath(r.json, "store"));
	resp_free(&r);

	r = entry("?app=store&store_id=6", tok(ADMIN));
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jtext(jpath(r.json, "stores")), "[]");
	expect_row(jpath(r.json, "store"), STORE_ROW(6));
	resp_free(&r);
}

/* User 6 made a member of three stores for the test: the first by name. */
Test(entrypoint, store_selection)
{
	char claims[64], *t, *order;

	free(sql("DELETE FROM store_users WHERE user_id = 6"));
	free(sql("INSERT INTO store_users (store_id, user_id) VALUES (3, 6), (9, 6), (5, 6)"));
	snprintf(claims, sizeof(claims), "{\"sub\":\"6\",\"exp\":%ld}", (long)time(NULL) + 3600);
	t = tok_claims("HS256", claims);
	order = sql("SELECT GROUP_CONCAT(id ORDER BY name, id) FROM stores WHERE id IN (3, 5, 9)");

	struct resp r = entry("?app=store", t);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "stores")), order);
	cr_expect_str_eq(order, "9,5,3", "Copenhagen Design, Elektronikhuset, Stockholm Home");
	expect_row(jpath(r.json, "store"), STORE_ROW(9));
	expect_row(jpath(r.json, "stores.2"), STORE_ROW(3));
	resp_free(&r);

	r = entry("?app=store&store_id=3", t);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "stores")), order);
	expect_row(jpath(r.json, "store"), STORE_ROW(3));
	resp_free(&r);

	r = entry("?app=store&store_id=1", t);
	expect_error(r, 403);
	resp_free(&r);

	/* A member only of a store that is gone may not open the store app. */
	free(sql("DELETE FROM store_users WHERE user_id = 6"));
	free(sql("INSERT INTO store_users (store_id, user_id) VALUES (8, 6)"));
	free(sql("UPDATE stores SET deleted_at = UTC_TIMESTAMP() WHERE id = 8"));
	r = entry("?app=store", t);
	free(sql("UPDATE stores SET deleted_at = NULL WHERE id = 8"));
	expect_error(r, 403);
	resp_free(&r);
	r = entry("?app=store", t);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "stores")), "8");
	resp_free(&r);

	free(sql("DELETE FROM store_users WHERE user_id = 6"));
	free(order);
	free(t);
}

Test(entrypoint, validation)
{
	static const struct {
		const char *query;
		int user;
		const char *key, *message;
	} bad[] = {
		{ "", CREATOR1, "app", "The app field is required." },
		{ "?app=", ADMIN, "app", "The app field is required." },
		{ "?store_id=1", MEMBER1, "app", "The app field is required." },
		{ "?app=shop", ADMIN, "app", "The selected app is invalid." },
		{ "?app=ADMIN", ADMIN, "app", "The selected app is invalid." },
		{ "?app=admin%00", ADMIN, "app", "The selected app is invalid." },
		{ "?app[]=admin", ADMIN, "app", "The app field must be a string." },
		{ "?app=store&store_id=abc", MEMBER1, "store_id", STORE_NOT_INT },
		{ "?app=store&store_id=1.0", ADMIN, "store_id", STORE_NOT_INT },
		{ "?app=store&store_id=999999", ADMIN, "store_id", STORE_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct resp r = entry(bad[i].query, tok(bad[i].user));
		cr_expect_eq(r.status, 422, "%s: %ld %s", bad[i].query, r.status, r.body);
		expect_only_error(&r, bad[i].key, bad[i].message);
		resp_free(&r);
	}
	/*
	 * Only an admin hears that a store id names nothing: to anyone else
	 * an unknown store is a 403 like another's, and other apps ignore it.
	 */
	struct resp u = entry("?app=store&store_id=999999", tok(MEMBER1));
	expect_error(u, 403);
	resp_free(&u);
	u = entry("?app=creator&store_id=0", tok(CREATOR1));
	cr_expect_eq(u.status, 200, "%s", u.body);
	resp_free(&u);
	u = entry("?app=creator&store_id=999999", tok(CREATOR1));
	cr_expect_eq(u.status, 200, "%s", u.body);
	resp_free(&u);
	/* A deleted store does not exist. */
	free(sql("UPDATE stores SET deleted_at = UTC_TIMESTAMP() WHERE id = 6"));
	struct resp r = entry("?app=store&store_id=6", tok(ADMIN));
	free(sql("UPDATE stores SET deleted_at = NULL WHERE id = 6"));
	expect_only_error(&r, "store_id", STORE_UNKNOWN);
	resp_free(&r);
}
