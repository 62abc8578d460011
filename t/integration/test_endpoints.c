/*
 * test_endpoints.c -- the eight endpoints through nginx: shapes, filters,
 * sorting, limits and pagination. Expected rows come from the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2
#define CREATOR1 3
#define MEMBER2 4
#define CREATOR2 5

static bool
has_id(struct json_object *list, long long id)
{
	for (size_t i = 0; i < json_object_array_length(list); i++)
		if (json_object_get_int64(jpath(json_object_array_get_idx(list, i), "id")) == id)
			return true;
	return false;
}

static void
expect_envelope(struct resp *r, long long total, long long per_page, long long page)
{
	cr_expect_str_eq(jkeys(r->json), "data,links,meta");
	cr_expect_str_eq(jkeys(jpath(r->json, "links")), "first,last,prev,next");
	cr_expect_str_eq(jkeys(jpath(r->json, "meta")),
	    "current_page,from,last_page,links,path,per_page,to,total");
	cr_expect_eq(jint(r->json, "meta.total"), total);
	cr_expect_eq(jint(r->json, "meta.per_page"), per_page);
	cr_expect_eq(jint(r->json, "meta.current_page"), page);
}

/* ------------------------------------------------------------------ */

Test(store_categories, bare_array_by_name)
{
	struct resp r = req("GET", "/v2/store-categories", tok(CREATOR1), NULL);
	char *want = sql_list("SELECT id FROM store_categories ORDER BY name, id");

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_assert(json_object_is_type(r.json, json_type_array));
	cr_expect_str_eq(jids(r.json), want);
	cr_expect_str_eq(jkeys(jpath(r.json, "0")), "id,name");
	cr_expect_str_eq(resp_header(&r, "Content-Type"), "application/json");
	free(want);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */

Test(advertiser_groups, shape_and_filter)
{
	struct resp r = req("GET", "/v2/advertiser-groups", tok(ADMIN), NULL);
	char *all = sql("SELECT COUNT(*) FROM store_groups");
	char *enabled = sql("SELECT COUNT(*) FROM store_groups WHERE return_ad_enabled = 1");

	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_envelope(&r, atoll(all), 20, 1);
	cr_expect_str_eq(jkeys(jpath(r.json, "data.0")), "id,name,key,currency");
	resp_free(&r);

	r = req("GET", "/v2/advertiser-groups?return_ad_enabled=1", tok(ADMIN), NULL);
	cr_expect_eq(jint(r.json, "meta.total"), atoll(enabled));
	resp_free(&r);
	r = req("GET", "/v2/advertiser-groups?return_ad_enabled=0", tok(ADMIN), NULL);
	cr_expect_eq(jint(r.json, "meta.total"), atoll(all), "false does not filter");
	resp_free(&r);
	/* The reference's own example sends it empty: no filter. */
	r = req("GET", "/v2/advertiser-groups?return_ad_enabled=&size=20", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(jint(r.json, "meta.total"), atoll(all));
	resp_free(&r);
	r = req("GET", "/v2/advertiser-groups?return_ad_enabled=yes", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The return ad enabled field must be true or "
	    "false.\",\"errors\":{\"return_ad_enabled\":[\"The return ad enabled field must be "
	    "true or false.\"]}}");
	resp_free(&r);
	free(all);
	free(enabled);
}

Test(advertiser_groups, sorting_and_paging)
{
	char *want = sql_list("SELECT id FROM store_groups ORDER BY name DESC, id DESC");
	char *count = sql("SELECT COUNT(*) FROM store_groups");
	struct resp r = req("GET", "/v2/advertiser-groups?sort_by=name:desc", tok(ADMIN), NULL);

	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);

	r = req("GET", "/v2/advertiser-groups?sort_by=name:desc&size=1&page=2", tok(ADMIN), NULL);
	cr_assert_eq(r.status, 200);
	expect_envelope(&r, atoll(count), 1, 2);
	cr_expect_eq(jint(r.json, "meta.from"), 2);
	cr_expect_eq(jint(r.json, "meta.to"), 2);
	cr_expect_eq(jint(r.json, "meta.last_page"), atoll(count));
	char url[512];
	snprintf(url, sizeof(url), "%s/v2/advertiser-groups?sort_by=name%%3Adesc&size=1&page=1",
	    base_http());
	cr_expect_str_eq(jstr(r.json, "links.prev"), url);
	cr_expect_str_eq(jstr(r.json, "links.first"), url);
	snprintf(url, sizeof(url), "%s/v2/advertiser-groups?sort_by=name%%3Adesc&size=1&page=3",
	    base_http());
	cr_expect_str_eq(jstr(r.json, "links.next"), url);
	snprintf(url, sizeof(url), "%s/v2/advertiser-groups", base_http());
	cr_expect_str_eq(jstr(r.json, "meta.path"), url);
	/* « Previous, 1..last, Next » with page 2 active. */
	cr_expect_eq(json_object_array_length(jpath(r.json, "meta.links")),
	    (size_t)atoll(count) + 2);
	cr_expect_str_eq(jstr(r.json, "meta.links.0.label"), "\u00ab Previous");
	cr_expect(json_object_get_boolean(jpath(r.json, "meta.links.2.active")));
	cr_expect_str_eq(jstr(r.json, "meta.links.2.label"), "2");
	resp_free(&r);

	static const struct {
		const char *qs;
		const char *body;
	} bad[] = {
		{ "size=101", "{\"message\":\"The size field must not be greater than 100.\","
		    "\"errors\":{\"size\":[\"The size field must not be greater than 100.\"]}}" },
		{ "size=0", "{\"message\":\"The size field must be at least 1.\","
		    "\"errors\":{\"size\":[\"The size field must be at least 1.\"]}}" },
		{ "size=ten", "{\"message\":\"The size field must be an integer.\","
		    "\"errors\":{\"size\":[\"The size field must be an integer.\"]}}" },
		{ "page=0", "{\"message\":\"The page field must be at least 1.\","
		    "\"errors\":{\"page\":[\"The page field must be at least 1.\"]}}" },
		{ "sort_by=name", "{\"message\":\"The sort by field format is invalid.\","
		    "\"errors\":{\"sort_by\":[\"The sort by field format is invalid.\"]}}" },
		{ "sort_by=name:sideways", "{\"message\":\"The sort by field format is invalid.\","
		    "\"errors\":{\"sort_by\":[\"The sort by field format is invalid.\"]}}" },
		{ "sort_by=secret:asc", "{\"message\":\"The selected sort by is invalid.\","
		    "\"errors\":{\"sort_by\":[\"The selected sort by is invalid.\"]}}" },
		{ "size=500&sort_by=x", "{\"message\":\"The size field must not be greater than 100. "
		    "(and 1 more error)\",\"errors\":{\"size\":[\"The size field must not be greater "
		    "than 100.\"],\"sort_by\":[\"The sort by field format is invalid.\"]}}" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(url, sizeof(url), "/v2/advertiser-groups?%s", bad[i].qs);
		r = req("GET", url, tok(ADMIN), NULL);
		cr_expect_eq(r.status, 422, "%s", bad[i].qs);
		cr_expect_str_eq(r.body, bad[i].body, "%s", bad[i].qs);
		resp_free(&r);
	}
	free(want);
	free(count);
}

Test(advertiser_groups, page_past_the_end)
{
	struct resp r = req("GET", "/v2/advertiser-groups?page=50", tok(ADMIN), NULL);

	cr_assert_eq(r.status, 200);
	cr_expect_eq(json_object_array_length(jpath(r.json, "data")), 0);
	cr_expect_null(jpath(r.json, "meta.from"));
	cr_expect_null(jpath(r.json, "meta.to"));
	cr_expect_null(jpath(r.json, "links.next"));
	resp_free(&r);
}

/* ------------------------------------------------------------------ */

Test(clients, shape_and_types)
{
	struct resp r = req("GET", "/v2/clients?size=500", tok(ADMIN), NULL);
	char *count = sql("SELECT COUNT(*) FROM clients");

	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_envelope(&r, atoll(count), 500, 1);
	struct json_object *c = jpath(r.json, "data.0");
	cr_expect_str_eq(jkeys(c), "id,name,client_id,has_own_payment_system,revenue_share");
	cr_expect(json_object_is_type(jpath(c, "has_own_payment_system"), json_type_boolean));
	cr_expect(json_object_is_type(jpath(c, "revenue_share"), json_type_int) ||
	    json_object_is_type(jpath(c, "revenue_share"), json_type_double));
	cr_expect(json_object_is_type(jpath(c, "client_id"), json_type_string));
	resp_free(&r);
	free(count);

	r = req("GET", "/v2/clients?size=501", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "message"), "The size field must not be greater than 500.");
	resp_free(&r);
}

Test(clients, filters)
{
	char *code = sql("SELECT client_id FROM clients WHERE id = 1");
	char *want, url[512];
	struct resp r;

	/* query: part of the public code matches nothing by name; by id it does. */
	snprintf(url, sizeof(url), "/v2/clients?query=%s", "1");
	r = req("GET", url, tok(ADMIN), NULL);
	want = sql_list("SELECT c.id FROM clients c WHERE c.id = 1 OR c.name LIKE '%1%' OR EXISTS "
	    "(SELECT 1 FROM revenue_tiers t WHERE t.client_id = c.id AND t.name LIKE '%1%') "
	    "ORDER BY c.id");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	free(code);

	/* A revenue tier's name finds its client. */
	char *tier = sql("SELECT name FROM revenue_tiers WHERE client_id = 2 ORDER BY id LIMIT 1");
	snprintf(url, sizeof(url), "/v2/clients?query=%s", urlenc(tier));
	r = req("GET", url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect(has_id(jpath(r.json, "data"), 2), "tier \"%s\" finds client 2: %s", tier, r.body);
	resp_free(&r);
	free(tier);

	r = req("GET", "/v2/clients?advertiser_group_ids[]=1", tok(ADMIN), NULL);
	want = sql_list("SELECT id FROM clients WHERE store_group_id IN (1) ORDER BY id");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect(strstr(jstr(r.json, "links.first"), "advertiser_group_ids%5B0%5D=1") != NULL,
	    "links keep the filter: %s", jstr(r.json, "links.first"));
	resp_free(&r);
	free(want);

	r = req("GET", "/v2/clients?advertiser_group_ids[]=1&advertiser_group_ids[]=2", tok(ADMIN), NULL);
	want = sql_list("SELECT id FROM clients WHERE store_group_id IN (1,2) ORDER BY id");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	r = req("GET", "/v2/clients?advertiser_group_ids=1", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "message"), "The advertiser group ids field must be an array.");
	resp_free(&r);
	r = req("GET", "/v2/clients?advertiser_group_ids[]=x", tok(ADMIN), NULL);
	cr_expect_str_eq(jstr(r.json, "message"), "The advertiser group ids.0 field must be an integer.");
	resp_free(&r);

	char longq[200];
	memset(longq, 'q', 129);
	longq[129] = '\0';
	snprintf(url, sizeof(url), "/v2/clients?query=%s", longq);
	r = req("GET", url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "message"),
	    "The query field must not be greater than 128 characters.");
	resp_free(&r);
}

/* ------------------------------------------------------------------ */

Test(users, shape_and_pages)
{
	char *count = sql("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL");
	long long total = atoll(count), last = (total + 19) / 20;
	struct resp r = req("GET", "/v2/users", tok(ADMIN), NULL);
	char url[512];

	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_envelope(&r, total, 20, 1);
	cr_expect_str_eq(jkeys(jpath(r.json, "data.0")), "id,username,email,client_id");
	cr_expect_eq(jint(r.json, "meta.last_page"), last);
	resp_free(&r);

	r = req("GET", "/v2/users?page=2", tok(ADMIN), NULL);
	char *want = sql_list("SELECT id FROM users WHERE deleted_at IS NULL ORDER BY id LIMIT 20 OFFSET 20");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect_eq(jint(r.json, "meta.from"), 21);
	snprintf(url, sizeof(url), "%s/v2/users?page=3", base_http());
	cr_expect_str_eq(jstr(r.json, "links.next"), last >= 3 ? url : "");
	resp_free(&r);
	free(want);
	free(count);
}

Test(users, filters_and_sorting)
{
	char *uname = sql("SELECT username FROM users WHERE id = 3");
	char part[64], url[512];
	struct resp r;
	char *want;

	/* Part of a username. */
	snprintf(part, sizeof(part), "%.5s", uname + 1);
	snprintf(url, sizeof(url), "/v2/users?query=%s", urlenc(part));
	r = req("GET", url, tok(ADMIN), NULL);
	cr_expect(has_id(jpath(r.json, "data"), 3), "%s finds user 3", part);
	resp_free(&r);
	/* An id. */
	r = req("GET", "/v2/users?query=5", tok(ADMIN), NULL);
	cr_expect(has_id(jpath(r.json, "data"), 5));
	resp_free(&r);
	/* Part of an email: the demo domain finds everybody with it. */
	r = req("GET", "/v2/users?query=demo.metapic&size=100", tok(ADMIN), NULL);
	want = sql("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL AND email LIKE '%demo.metapic%'");
	cr_expect_eq(jint(r.json, "meta.total"), atoll(want));
	resp_free(&r);
	free(want);
	/* LIKE wildcards in the query are literal characters. */
	r = req("GET", "/v2/users?query=%25", tok(ADMIN), NULL);
	cr_expect_eq(jint(r.json, "meta.total"), 0, "%% matches only a literal %%");
	resp_free(&r);

	r = req("GET", "/v2/users?client_id=2&size=100", tok(ADMIN), NULL);
	want = sql_list("SELECT id FROM users WHERE client_id = 2 AND deleted_at IS NULL ORDER BY id");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	r = req("GET", "/v2/users?store_group_id=1&size=100", tok(ADMIN), NULL);
	want = sql_list("SELECT u.id FROM users u JOIN clients c ON c.id = u.client_id "
	    "WHERE c.store_group_id = 1 AND u.deleted_at IS NULL ORDER BY u.id");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	r = req("GET", "/v2/users?sort_by=email:desc&size=100", tok(ADMIN), NULL);
	want = sql_list("SELECT id FROM users WHERE deleted_at IS NULL ORDER BY email DESC, id DESC");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	char longq[80];
	memset(longq, 'x', 65);
	longq[65] = '\0';
	snprintf(url, sizeof(url), "/v2/users?query=%s", longq);
	r = req("GET", url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The query field must not be greater than 64 "
	    "characters.\",\"errors\":{\"query\":[\"The query field must not be greater than 64 "
	    "characters.\"]}}");
	resp_free(&r);
	r = req("GET", "/v2/users?size=101", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	resp_free(&r);
	r = req("GET", "/v2/users?client_id=abc", tok(ADMIN), NULL);
	cr_expect_str_eq(jstr(r.json, "message"), "The client id field must be an integer.");
	resp_free(&r);
	free(uname);
}

/* ------------------------------------------------------------------ */

Test(user_tags, what_each_caller_sees)
{
	struct resp r = req("GET", "/v2/user-tags?size=100", tok(ADMIN), NULL);
	char *want = sql_list("SELECT id FROM user_tags ORDER BY id");

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect_str_eq(jkeys(jpath(r.json, "data.0")), "id,name,slug,access_level,store_id");
	resp_free(&r);
	free(want);

	r = req("GET", "/v2/user-tags?size=100", tok(MEMBER1), NULL);
	want = sql_list("SELECT id FROM user_tags WHERE access_level = 1 OR "
	    "(access_level = 2 AND store_id = 1) ORDER BY id");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	r = req("GET", "/v2/user-tags?size=100&store_id=2", tok(MEMBER1), NULL);
	cr_expect_eq(jint(r.json, "meta.total"), 0, "store 2's tags are not store 1's to see");
	resp_free(&r);

	r = req("GET", "/v2/user-tags?size=100", tok(CREATOR1), NULL);
	expect_error(r, 403);
	resp_free(&r);
}

Test(user_tags, filters)
{
	struct resp r = req("GET", "/v2/user-tags?access_levels[]=0&access_levels[]=2", tok(ADMIN), NULL);
	char *want = sql_list("SELECT id FROM user_tags WHERE access_level IN (0,2) ORDER BY id");

	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	char *name = sql("SELECT name FROM user_tags WHERE id = 2");
	char part[64], url[256];
	snprintf(part, sizeof(part), "%.4s", name + 2);
	snprintf(url, sizeof(url), "/v2/user-tags?name=%s", urlenc(part));
	r = req("GET", url, tok(ADMIN), NULL);
	cr_expect(has_id(jpath(r.json, "data"), 2), "name %s finds tag 2", part);
	resp_free(&r);
	free(name);

	r = req("GET", "/v2/user-tags?store_id=1", tok(ADMIN), NULL);
	want = sql_list("SELECT id FROM user_tags WHERE store_id = 1 ORDER BY id");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	r = req("GET", "/v2/user-tags?access_levels[]=3", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The selected access levels.0 is invalid.\","
	    "\"errors\":{\"access_levels.0\":[\"The selected access levels.0 is invalid.\"]}}");
	resp_free(&r);

	r = req("GET", "/v2/user-tags?sort_by=name:asc&size=100", tok(ADMIN), NULL);
	want = sql_list("SELECT id FROM user_tags ORDER BY name ASC, id ASC");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);
}

/* ------------------------------------------------------------------ */

Test(blocklist, list_shape)
{
	struct resp r = req("GET", "/v2/advertisers/1/blocklist", tok(MEMBER1), NULL);
	char *count = sql("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1");

	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_envelope(&r, atoll(count), 10, 1);
	struct json_object *data = jpath(r.json, "data");
	bool saw_user = false, saw_tag = false;
	for (size_t i = 0; i < json_object_array_length(data); i++) {
		struct json_object *e = json_object_array_get_idx(data, i);
		const char *k = jkeys(e);
		if (strcmp(k, "id,created_at,created_by,user") == 0) {
			saw_user = true;
			cr_expect_str_eq(jkeys(jpath(e, "user")), "id,username,email,client_id");
		} else if (strcmp(k, "id,created_at,created_by,user_tag") == 0) {
			saw_tag = true;
			cr_expect_str_eq(jkeys(jpath(e, "user_tag")),
			    "id,name,slug,access_level,store_id");
		} else
			cr_expect_fail("unexpected entry keys %s", k);
		cr_expect_str_eq(jkeys(jpath(e, "created_by")), "id,username,email,client_id");
		const char *at = jstr(e, "created_at");
		cr_expect_eq(strlen(at), 19, "created_at like 2025-04-03 13:53:24: %s", at);
	}
	cr_expect(saw_user && saw_tag, "the demo blocks a user and a tag on store 1");
	resp_free(&r);
	free(count);

	/* Creator 5 is blocklisted by store 1: find it by username and by id. */
	char *uname = sql("SELECT username FROM users WHERE id = 5"), url[256];
	snprintf(url, sizeof(url), "/v2/advertisers/1/blocklist?query=%s", urlenc(uname));
	r = req("GET", url, tok(MEMBER1), NULL);
	cr_expect_eq(jint(r.json, "meta.total"), 1);
	cr_expect_eq(jint(r.json, "data.0.user.id"), 5);
	resp_free(&r);
	r = req("GET", "/v2/advertisers/1/blocklist?query=5", tok(ADMIN), NULL);
	cr_expect_eq(jint(r.json, "data.0.user.id"), 5);
	resp_free(&r);
	free(uname);

	r = req("GET", "/v2/advertisers/1/blocklist?size=1", tok(MEMBER1), NULL);
	cr_expect_eq(jint(r.json, "meta.per_page"), 1);
	resp_free(&r);
}

Test(blocklist, add_is_idempotent_and_remove)
{
	char *before = sql("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1");
	struct resp r = req("POST", "/v2/advertisers/1/blocklist", tok(MEMBER1),
	    "{\"user_ids\":[7,8],\"user_tag_ids\":[2]}");

	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_object_array_length(jpath(r.json, "data")), 3);
	long long id7 = -1;
	for (size_t i = 0; i < 3; i++) {
		struct json_object *e = jpath(r.json, "data");
		e = json_object_array_get_idx(e, i);
		if (jpath(e, "user") && jint(e, "user.id") == 7)
			id7 = jint(e, "id");
		cr_expect_eq(jint(e, "created_by.id"), MEMBER1);
	}
	cr_expect_neq(id7, -1);
	resp_free(&r);

	/* Again, from the query string as PHP arrays: nothing new. */
	r = req("POST", "/v2/advertisers/1/blocklist?user_ids[]=7&user_ids[]=8&user_tag_ids[]=2",
	    tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 201, "%s", r.body);
	resp_free(&r);
	char *after = sql("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1");
	cr_expect_eq(atoll(after), atoll(before) + 3, "3 new entries, none twice");
	free(after);

	char url[128];
	snprintf(url, sizeof(url), "/v2/advertisers/1/blocklist/%lld", id7);
	r = req("DELETE", url, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 204);
	cr_expect_eq(r.len, 0);
	resp_free(&r);
	r = req("DELETE", url, tok(MEMBER1), NULL);
	expect_error(r, 404);
	resp_free(&r);

	/* Clean up what this test added. */
	free(sql("DELETE FROM blocklist_entries WHERE store_id = 1 AND (user_id = 8 OR user_tag_id = 2)"));
	after = sql("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1");
	cr_expect_str_eq(after, before);
	free(after);
	free(before);
}

Test(blocklist, add_validation)
{
	static const struct {
		const char *body;
		long status;
		const char *want;
	} cases[] = {
		{ "{}", 422, "{\"message\":\"The user ids field is required when user tag ids is not "
		    "present. (and 1 more error)\",\"errors\":{\"user_ids\":[\"The user ids field is "
		    "required when user tag ids is not present.\"],\"user_tag_ids\":[\"The user tag ids "
		    "field is required when user ids is not present.\"]}}" },
		{ "{\"user_ids\":[999999]}", 422, "{\"message\":\"The selected user ids.0 is invalid.\","
		    "\"errors\":{\"user_ids.0\":[\"The selected user ids.0 is invalid.\"]}}" },
		{ "{\"user_ids\":\"7\"}", 422, "{\"message\":\"The user ids field must be an array.\","
		    "\"errors\":{\"user_ids\":[\"The user ids field must be an array.\"]}}" },
		{ "{\"user_ids\":[\"x\"]}", 422, "{\"message\":\"The user ids.0 field must be an "
		    "integer.\",\"errors\":{\"user_ids.0\":[\"The user ids.0 field must be an integer.\"]}}" },
		/* Admin-only tags (level 0) and another store's tags are not store 1's to use. */
		{ "{\"user_tag_ids\":[1,5]}", 422, "{\"message\":\"The selected user tag ids.0 is "
		    "invalid. (and 1 more error)\",\"errors\":{\"user_tag_ids.0\":[\"The selected user "
		    "tag ids.0 is invalid.\"],\"user_tag_ids.1\":[\"The selected user tag ids.1 is "
		    "invalid.\"]}}" },
		{ "{\"user_ids\":[7", 400, "{\"message\":\"Malformed JSON body.\"}" },
		{ "{\"user_ids\":[7]} trailing", 400, "{\"message\":\"Malformed JSON body.\"}" },
	};
	char *before = sql("SELECT COUNT(*) FROM blocklist_entries");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = req("POST", "/v2/advertisers/1/blocklist", tok(MEMBER1), cases[i].body);
		cr_expect_eq(r.status, cases[i].status, "%s -> %s", cases[i].body, r.body);
		cr_expect_str_eq(r.body, cases[i].want, "%s", cases[i].body);
		resp_free(&r);
	}
	char *after = sql("SELECT COUNT(*) FROM blocklist_entries");
	cr_expect_str_eq(after, before, "nothing written by refused requests");
	free(before);
	free(after);
}

Test(blocklist, stores_cannot_touch_each_other)
{
	char *before = sql("SELECT GROUP_CONCAT(id ORDER BY id) FROM blocklist_entries");
	char *entry2 = sql("SELECT MIN(id) FROM blocklist_entries WHERE store_id = 2");
	char url[128];
	struct resp r;

	/* Member of store 2 on store 1, and member of store 1 on store 2. */
	static const struct {
		int user;
		int store;
	} pairs[] = { { MEMBER2, 1 }, { MEMBER1, 2 } };
	for (size_t i = 0; i < 2; i++) {
		snprintf(url, sizeof(url), "/v2/advertisers/%d/blocklist", pairs[i].store);
		r = req("GET", url, tok(pairs[i].user), NULL);
		expect_error(r, 404);
		cr_expect(strstr(r.body, "username") == NULL);
		resp_free(&r);
		r = req("POST", url, tok(pairs[i].user), "{\"user_ids\":[9]}");
		expect_error(r, 404);
		resp_free(&r);
		snprintf(url, sizeof(url), "/v2/advertisers/%d/blocklist/1", pairs[i].store);
		r = req("DELETE", url, tok(pairs[i].user), NULL);
		expect_error(r, 404);
		resp_free(&r);
	}
	/* Store 2's entry through store 1's path: not store 1's entry. */
	snprintf(url, sizeof(url), "/v2/advertisers/1/blocklist/%s", entry2);
	r = req("DELETE", url, tok(MEMBER1), NULL);
	expect_error(r, 404);
	resp_free(&r);
	/* Creators manage no store at all. */
	r = req("GET", "/v2/advertisers/1/blocklist", tok(CREATOR1), NULL);
	expect_error(r, 403);
	resp_free(&r);
	/* A store that does not exist. */
	r = req("GET", "/v2/advertisers/99999/blocklist", tok(ADMIN), NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = req("GET", "/v2/advertisers/abc/blocklist", tok(ADMIN), NULL);
	expect_error(r, 404);
	resp_free(&r);

	char *after = sql("SELECT GROUP_CONCAT(id ORDER BY id) FROM blocklist_entries");
	cr_expect_str_eq(after, before, "no entry changed");
	free(before);
	free(after);
	free(entry2);
}

/* ------------------------------------------------------------------ */

Test(healthz, answers_without_a_token)
{
	struct resp r = req("GET", "/healthz", NULL, NULL);

	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(r.body, "{\"status\":\"ok\"}");
	resp_free(&r);
}

Test(clients, sorting)
{
	static const char *const cols[][2] = {
		{ "name:asc", "SELECT id FROM clients ORDER BY name ASC, id ASC" },
		{ "revenue_share:desc", "SELECT id FROM clients ORDER BY revenue_share DESC, id DESC" },
		{ "created_at:desc", "SELECT id FROM clients ORDER BY created_at DESC, id DESC" },
	};
	char url[256];

	for (size_t i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "/v2/clients?sort_by=%s", cols[i][0]);
		struct resp r = req("GET", url, tok(ADMIN), NULL);
		char *want = sql_list(cols[i][1]);
		cr_expect_str_eq(jids(jpath(r.json, "data")), want, "%s", cols[i][0]);
		resp_free(&r);
		free(want);
	}
}

Test(blocklist, sorting_and_pages)
{
	/* Enough entries on store 1 for three pages of two. */
	free(sql("INSERT INTO blocklist_entries (store_id, user_id, created_by, created_at, "
	    "updated_at) VALUES (1, 10, 2, '2025-02-01 00:00:00', '2025-02-01 00:00:00'), "
	    "(1, 11, 2, '2025-02-02 00:00:00', '2025-02-02 00:00:00'), "
	    "(1, 12, 2, '2025-02-03 00:00:00', '2025-02-03 00:00:00')"));
	char *want = sql_list("SELECT id FROM blocklist_entries WHERE store_id = 1 "
	    "ORDER BY created_at DESC, id DESC");
	char *count = sql("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1");
	struct resp r = req("GET", "/v2/advertisers/1/blocklist?sort_by=created_at:desc",
	    tok(MEMBER1), NULL);

	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);

	long long total = atoll(count), last = (total + 1) / 2;
	r = req("GET", "/v2/advertisers/1/blocklist?size=2&page=2&query=", tok(MEMBER1), NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_envelope(&r, total, 2, 2);
	cr_expect_eq(jint(r.json, "meta.last_page"), last);
	char url[256];
	/* The empty query is null after Laravel's middleware: not in links. */
	snprintf(url, sizeof(url), "%s/v2/advertisers/1/blocklist?size=2&page=3", base_http());
	cr_expect_str_eq(jstr(r.json, "links.next"), url);
	snprintf(url, sizeof(url), "%s/v2/advertisers/1/blocklist?size=2&page=%lld", base_http(),
	    last);
	cr_expect_str_eq(jstr(r.json, "links.last"), url);
	resp_free(&r);

	r = req("GET", "/v2/advertisers/1/blocklist?sort_by=user_id:asc", tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 422);
	resp_free(&r);
	free(sql("DELETE FROM blocklist_entries WHERE store_id = 1 AND user_id IN (10, 11, 12)"));
	free(want);
	free(count);
}

Test(user_tags, limits_and_links)
{
	struct resp r = req("GET", "/v2/user-tags?size=101", tok(ADMIN), NULL);
	char url[256];

	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "message"), "The size field must not be greater than 100.");
	resp_free(&r);
	r = req("GET", "/v2/user-tags?access_levels[]=0&access_levels[]=1&access_levels[]=2"
	    "&access_levels[]=1", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "message"),
	    "The access levels field must not have more than 3 items.");
	resp_free(&r);

	char *count = sql("SELECT COUNT(*) FROM user_tags");
	r = req("GET", "/v2/user-tags?size=2&page=2&sort_by=id:desc", tok(ADMIN), NULL);
	cr_assert_eq(r.status, 200);
	expect_envelope(&r, atoll(count), 2, 2);
	snprintf(url, sizeof(url), "%s/v2/user-tags?size=2&sort_by=id%%3Adesc&page=1", base_http());
	cr_expect_str_eq(jstr(r.json, "links.prev"), url);
	snprintf(url, sizeof(url), "%s/v2/user-tags?size=2&sort_by=id%%3Adesc&page=3", base_http());
	cr_expect_str_eq(jstr(r.json, "links.next"), url);
	char *want = sql_list("SELECT id FROM user_tags ORDER BY id DESC LIMIT 2 OFFSET 2");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);
	free(count);
}

Test(blocklist, list_limits)
{
	char url[512], longq[160];
	struct resp r = req("GET", "/v2/advertisers/1/blocklist?size=101", tok(MEMBER1), NULL);

	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "message"), "The size field must not be greater than 100.");
	resp_free(&r);
	memset(longq, 'z', 129);
	longq[129] = '\0';
	snprintf(url, sizeof(url), "/v2/advertisers/1/blocklist?query=%s", longq);
	r = req("GET", url, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The query field must not be greater than 128 "
	    "characters.\",\"errors\":{\"query\":[\"The query field must not be greater than "
	    "128 characters.\"]}}");
	resp_free(&r);
	/* Too many ids in a body: 422, never a database error. */
	struct buf_s { char *p; } b;
	size_t n = 1200 * 6 + 32;
	b.p = malloc(n);
	strcpy(b.p, "{\"user_ids\":[");
	for (int i = 0; i < 1001; i++)
		strcat(b.p, i ? ",7" : "7");
	strcat(b.p, "]}");
	r = req("POST", "/v2/advertisers/1/blocklist", tok(MEMBER1), b.p);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "message"), "The user ids field must not have more than 1000 items.");
	resp_free(&r);
	free(b.p);
}

/* The unfiltered total comes from a counter the triggers keep (0003). */
Test(users, total_stays_exact)
{
	static const char *const steps[] = {
		"INSERT INTO users (id, username, email) VALUES "
		    "(900001, 'count.a', 'count.a@x.test'), (900002, 'count.b', 'count.b@x.test')",
		"UPDATE users SET deleted_at = UTC_TIMESTAMP() WHERE id = 900001",
		"UPDATE users SET username = 'count.bb' WHERE id = 900002",
		"UPDATE users SET deleted_at = NULL WHERE id = 900001",
		"DELETE FROM users WHERE id = 900002",
		"DELETE FROM users WHERE id = 900001",
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		free(sql(steps[i]));
		char *want = sql("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL");
		struct resp r = req("GET", "/v2/users?size=1", tok(ADMIN), NULL);
		cr_expect_eq(jint(r.json, "meta.total"), atoll(want), "after: %s", steps[i]);
		resp_free(&r);
		/* A filtered list still counts its rows. */
		r = req("GET", "/v2/users?size=1&client_id=1", tok(ADMIN), NULL);
		char *want1 = sql("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL AND client_id = 1");
		cr_expect_eq(jint(r.json, "meta.total"), atoll(want1));
		resp_free(&r);
		free(want);
		free(want1);
	}
}
