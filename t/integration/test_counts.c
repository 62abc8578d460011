/*
 * test_counts.c -- the counts kept with their rows (migration 0013): a
 * store's blocklist total and a campaign's participant totals (all, by
 * status, and participants-stats') as the lists answer them, against
 * COUNT(*) of the rows, after every kind of write that changes the rows:
 * the API's own, plain SQL, and the foreign-key cascades that MariaDB runs
 * without triggers (a user tag or a user deleted), and a statement that
 * fails half-way. And every kept count in the database against its rows.
 *
 * Fixtures: user tags 900301 and 900305, users 900302-900303
 * ("it-counts-..."), store 900313, stores 900311-900312, and participants
 * of offer 1 pre-registered as "it-counts-..."; all removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2

static void
cleanup(void)
{
	free(sql("DELETE FROM blocklist_entries WHERE user_id IN (900302, 900303)"
	    " OR user_tag_id = 900301 OR (store_id = 1 AND user_id = 9)"));
	free(sql("DELETE FROM offer_users WHERE pre_registered_identifier LIKE 'it-counts-%'"
	    " OR user_id IN (900302, 900303)"));
	free(sql("DELETE FROM user_tags WHERE id IN (900301, 900305)"));
	free(sql("DELETE FROM users WHERE id IN (900302, 900303)"));
	free(sql("DELETE FROM stores WHERE id = 900313"));
}

TestSuite(kept_counts, .init = cleanup, .fini = cleanup);

static long long
total_of(const char *url)
{
	struct resp r = req("GET", url, tok(MEMBER1), NULL);
	long long n;

	cr_assert_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
	n = jint(r.json, "meta.total");
	resp_free(&r);
	return n;
}

/* No kept count in the database differs from its rows' COUNT(*). */
static void
expect_all_counts_exact(const char *when)
{
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM (SELECT s.id,"
	    " COALESCE((SELECT n FROM blocklist_counts c WHERE c.store_id = s.id), 0) AS kept,"
	    " (SELECT COUNT(*) FROM blocklist_entries b WHERE b.store_id = s.id) AS n"
	    " FROM stores s) x WHERE kept <> n"), 0, "blocklist counts %s", when);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM (SELECT o.id, s.status,"
	    " COALESCE((SELECT n FROM participant_counts c WHERE c.offer_id = o.id"
	    " AND c.status = s.status), 0) AS kept,"
	    " (SELECT COUNT(*) FROM offer_users u WHERE u.offer_id = o.id"
	    " AND u.status = s.status) AS n"
	    " FROM offers o JOIN (SELECT DISTINCT status FROM offer_users"
	    " UNION SELECT 'suggestion' UNION SELECT 'store_denied') s) x WHERE kept <> n"), 0,
	    "participant counts %s", when);
	/* And no count of a store or campaign that is gone. */
	cr_expect_eq(sql_number("SELECT (SELECT COUNT(*) FROM blocklist_counts c WHERE NOT EXISTS"
	    " (SELECT 1 FROM stores s WHERE s.id = c.store_id)) + (SELECT COUNT(*) FROM"
	    " participant_counts c WHERE NOT EXISTS (SELECT 1 FROM offers o WHERE o.id ="
	    " c.offer_id))"), 0, "counts of deleted stores or campaigns %s", when);
}

static void
expect_blocklist_total(const char *when)
{
	long long rows = sql_number("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1");

	cr_expect_eq(total_of("/v2/advertisers/1/blocklist"), rows, "store 1 %s", when);
	cr_expect_eq(total_of("/v2/advertisers/1/blocklist?size=1&page=3"), rows, "%s", when);
	expect_all_counts_exact(when);
}

Test(kept_counts, blocklist_total_follows_every_write)
{
	long long before = sql_number("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1");

	cr_assert_gt(before, 0, "the demo blocks on store 1");
	expect_blocklist_total("at the start");
	free(sql("INSERT INTO users (id, username, email) VALUES"
	    " (900302, 'it-counts-a', 'it-counts-a@example.com'),"
	    " (900303, 'it-counts-b', 'it-counts-b@example.com');"
	    " INSERT INTO user_tags (id, name, slug, access_level) VALUES"
	    " (900301, 'Counts test tag', 'counts-test-tag', 1)"));

	struct resp r = req("POST", "/v2/advertisers/1/blocklist", tok(MEMBER1),
	    "{\"user_ids\":[900302,900303,9],\"user_tag_ids\":[900301]}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long entry9 = -1;
	for (size_t i = 0; i < json_object_array_length(jpath(r.json, "data")); i++) {
		struct json_object *e = json_object_array_get_idx(jpath(r.json, "data"), i);
		if (jpath(e, "user") && jint(e, "user.id") == 9)
			entry9 = jint(e, "id");
	}
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1"),
	    before + 4);
	expect_blocklist_total("after a POST of four");

	/* Store 3 too, by SQL: another store's count is its own. */
	free(sql("INSERT INTO blocklist_entries (store_id, user_id, created_by) VALUES"
	    " (3, 900302, 1), (3, 900303, 1)"));
	expect_blocklist_total("after SQL inserts on store 3");

	char url[128];
	snprintf(url, sizeof(url), "/v2/advertisers/1/blocklist/%lld", entry9);
	r = req("DELETE", url, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	resp_free(&r);
	expect_blocklist_total("after an API DELETE");

	/* The cascades: a tag's entries, then a user's (two stores). */
	free(sql("DELETE FROM user_tags WHERE id = 900301"));
	expect_blocklist_total("after a user tag's delete cascaded");
	free(sql("DELETE FROM users WHERE id = 900302"));
	expect_blocklist_total("after a user's delete cascaded");

	/*
	 * A delete that fails (user 900303 created an entry of store 2:
	 * RESTRICT) undoes what its trigger took off stores 1 and 3.
	 */
	free(sql("INSERT INTO blocklist_entries (store_id, user_id, created_by) VALUES"
	    " (2, 900303, 900303)"));
	long long kept = sql_number("SELECT n FROM blocklist_counts WHERE store_id = 1");
	char out[512] = "";
	FILE *p = popen("mariadb --no-defaults --socket=\"$METAPIC_DIR/db/mysql.sock\""
	    " -uroot metapic -e 'DELETE FROM users WHERE id = 900303' 2>&1", "r");
	cr_assert_not_null(p);
	size_t got = fread(out, 1, sizeof(out) - 1, p);
	out[got] = '\0';
	cr_expect_neq(pclose(p), 0);
	cr_expect(strstr(out, "1451") != NULL, "refused by the foreign key: %s", out);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM users WHERE id = 900303"), 1);
	cr_expect_eq(sql_number("SELECT n FROM blocklist_counts WHERE store_id = 1"), kept);
	expect_blocklist_total("after a failed delete");

	free(sql("DELETE FROM blocklist_entries WHERE user_id = 900303"));
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM blocklist_entries WHERE store_id = 1"),
	    before);
	expect_blocklist_total("at the end");

	/*
	 * A store with no entries has no count row and a total of 0; an
	 * admin blocks with its tag on store 1, then the store is deleted:
	 * its tags go by a cascade, and store 1's count follows.
	 */
	free(sql("INSERT INTO stores (id, name, store_group_id, currency) VALUES"
	    " (900313, 'it-counts tags store', 1, 'SEK');"
	    " INSERT INTO user_tags (id, name, slug, access_level, store_id) VALUES"
	    " (900305, 'Counts store tag', 'counts-store-tag', 2, 900313)"));
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM blocklist_counts WHERE store_id = 900313"), 0);
	struct resp r0 = req("GET", "/v2/advertisers/900313/blocklist", tok(ADMIN), NULL);
	cr_expect_eq(r0.status, 200, "%s", r0.body);
	cr_expect_eq(jint(r0.json, "meta.total"), 0);
	resp_free(&r0);
	free(sql("INSERT INTO blocklist_entries (store_id, user_tag_id, created_by) VALUES"
	    " (1, 900305, 1), (900313, 900305, 1)"));
	expect_blocklist_total("after blocking with another store's tag");
	free(sql("DELETE FROM stores WHERE id = 900313"));
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM user_tags WHERE id = 900305"), 0);
	expect_blocklist_total("after the tag's store was deleted");
}

/* The three totals of offer 1 against its rows. */
static void
expect_participant_totals(const char *when)
{
	static const char *const statuses[] = { "open", "accepted", "store_denied" };
	char url[256];

	cr_expect_eq(total_of("/v2/offers/1/participants"),
	    sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1"), "%s", when);
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offers/1/participants?status=%s", statuses[i]);
		cr_expect_eq(total_of(url), sql_numberf("SELECT COUNT(*) FROM offer_users"
		    " WHERE offer_id = 1 AND status = '%s'", statuses[i]), "%s %s", statuses[i],
		    when);
	}
	cr_expect_eq(total_of("/v2/offers/1/participants-stats?start_date=2024-01-01"
	    "&end_date=2024-12-31&size=1"),
	    sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1"), "stats %s", when);
	expect_all_counts_exact(when);
}

Test(kept_counts, participant_totals_follow_every_write)
{
	expect_participant_totals("at the start");
	free(sql("INSERT INTO users (id, username, email) VALUES"
	    " (900302, 'it-counts-a', 'it-counts-a@example.com');"
	    " INSERT INTO offer_users (offer_id, user_id, status) VALUES (1, 900302, 'accepted');"
	    " INSERT INTO offer_users (offer_id, pre_registered_identifier, status) VALUES"
	    " (1, 'it-counts-1', 'open'), (1, 'it-counts-2', 'open'),"
	    " (1, 'it-counts-3', 'suggestion')"));
	expect_participant_totals("after inserts");

	/* A status change through the API, then by SQL, then a move of campaign. */
	long long id = sql_number("SELECT id FROM offer_users WHERE pre_registered_identifier"
	    " = 'it-counts-1'");
	char url[128];
	snprintf(url, sizeof(url), "/v2/offers/1/participants/%lld/update-status", id);
	struct resp r = req("PATCH", url, tok(MEMBER1), "{\"status\":\"store_denied\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	expect_participant_totals("after update-status");
	free(sqlf("UPDATE offer_users SET status = 'accepted' WHERE id = %lld", id));
	expect_participant_totals("after an SQL status change");
	free(sql("UPDATE offer_users SET offer_id = 2 WHERE pre_registered_identifier"
	    " = 'it-counts-2'"));
	expect_participant_totals("after a move to offer 2");
	free(sql("UPDATE offer_users SET click_count = click_count + 1 WHERE offer_id = 1"));
	expect_participant_totals("after an update of other columns");

	/* The cascade of a user's delete, then plain deletes. */
	free(sql("DELETE FROM users WHERE id = 900302"));
	expect_participant_totals("after a user's delete cascaded");
	free(sql("DELETE FROM offer_users WHERE pre_registered_identifier LIKE 'it-counts-%'"));
	expect_participant_totals("at the end");
}

/*
 * participants-stats in id order picks the page before its sums: each of
 * its pages holds the same items as the whole list sorted by a sum (which
 * sums every participant first).
 */
Test(kept_counts, stats_pages_match_the_whole_list)
{
	const char *period = "start_date=2024-01-01&end_date=2026-12-31";
	char url[256];
	struct resp all, page;

	snprintf(url, sizeof(url), "/v2/offers/1/participants-stats?%s"
	    "&sort_by=clicks:desc&size=100", period);
	all = req("GET", url, tok(MEMBER1), NULL);
	cr_assert_eq(all.status, 200, "%s", all.body);
	long long total = jint(all.json, "meta.total"), seen = 0;
	cr_assert_gt(total, 5);
	for (int p = 1; seen < total; p++) {
		snprintf(url, sizeof(url), "/v2/offers/1/participants-stats?%s&size=4&page=%d",
		    period, p);
		page = req("GET", url, tok(MEMBER1), NULL);
		cr_assert_eq(page.status, 200, "%s", page.body);
		cr_expect_eq(jint(page.json, "meta.total"), total);
		struct json_object *items = jpath(page.json, "data");
		cr_assert_gt(json_object_array_length(items), 0, "page %d", p);
		long long last = 0;
		for (size_t i = 0; i < json_object_array_length(items); i++) {
			struct json_object *it = json_object_array_get_idx(items, i);
			const char *mine = json_object_to_json_string(it);
			long long pid = jint(it, "id");
			bool found = false;
			cr_expect_gt(pid, last, "id order");
			last = pid;
			for (size_t j = 0; j < json_object_array_length(jpath(all.json, "data")); j++) {
				struct json_object *o = json_object_array_get_idx(jpath(all.json, "data"), j);
				if (jint(o, "id") == pid) {
					found = true;
					cr_expect_str_eq(mine, json_object_to_json_string(o));
				}
			}
			cr_expect(found, "participant %lld in the whole list", pid);
			seen++;
		}
		resp_free(&page);
	}
	cr_expect_eq(seen, total);
	resp_free(&all);
}

/* An admin's GET /v2/stores total: the stores not deleted (row_counts). */
static void
expect_stores_total(const char *when)
{
	struct resp r = req("GET", "/v2/stores?size=1", tok(ADMIN), NULL);

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(jint(r.json, "meta.total"),
	    sql_number("SELECT COUNT(*) FROM stores WHERE deleted_at IS NULL"), "%s", when);
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT n FROM row_counts WHERE name = 'stores_active'"),
	    sql_number("SELECT COUNT(*) FROM stores WHERE deleted_at IS NULL"), "%s", when);
}

Test(kept_counts, stores_total_follows_every_write)
{
	expect_stores_total("at the start");
	free(sql("INSERT INTO stores (id, name, store_group_id, currency) VALUES"
	    " (900311, 'it-counts store a', 1, 'SEK'), (900312, 'it-counts store b', 1, 'SEK')"));
	expect_stores_total("after two inserts");
	free(sql("UPDATE stores SET deleted_at = UTC_TIMESTAMP() WHERE id = 900311"));
	expect_stores_total("after a soft delete");
	free(sql("UPDATE stores SET name = 'it-counts store b2', deleted_at = deleted_at"
	    " WHERE id IN (900311, 900312)"));
	expect_stores_total("after other updates");
	free(sql("UPDATE stores SET deleted_at = NULL WHERE id = 900311"));
	expect_stores_total("after an undelete");
	free(sql("DELETE FROM stores WHERE id IN (900311, 900312)"));
	expect_stores_total("after deletes");
}
