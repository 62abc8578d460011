/*
 * test_offer_stats.c -- a campaign's stats and a creator's campaigns
 * through nginx (offer_stats.c).
 *
 * Stats: every expected number is computed here from the clicks and
 * orders tables its own way (a calendar of days from a recursive CTE,
 * one correlated subquery per value, DATE() equality, a missing visitor
 * hash made unique with the click's id), then compared with the answer
 * byte for byte. Fixtures with known numbers go on the deleted campaign 6,
 * which has no events of its own. A creator's campaigns: the expected ids
 * come from one query over the targets' columns with OR (the server takes
 * each kind through its own index with UNION).
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

/* Fixture rows: found by markers no demo row has. */
#define FIX_CLICK "country = 'ZZ' AND offer_id = 6"
/* Used in a format string: %% is one %. */
#define FIX_ORDER "external_id LIKE 'STATSFIX-%%'"
#define FIX_ID 900001

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* One value from the database as text, into out. */
static void
db_text(const char *select, char *out, size_t sz)
{
	char *s = sql(select);

	snprintf(out, sz, "%s", s);
	free(s);
}

/*
 * The six values of campaign offer over the events that the SQL
 * condition w (on occurred_at) selects, as SELECT columns.
 */
static void
stat_cols(char *out, size_t sz, int offer, const char *w)
{
	snprintf(out, sz,
	    "(SELECT COUNT(*) FROM clicks WHERE offer_id = %d AND %s), "
	    "(SELECT COUNT(DISTINCT COALESCE(HEX(visitor_hash), CONCAT('click', id))) "
	    "FROM clicks WHERE offer_id = %d AND %s), "
	    "(SELECT COUNT(*) FROM orders WHERE offer_id = %d AND status <> 'rejected' AND %s), "
	    "(SELECT COALESCE(SUM(order_value), 0) FROM orders WHERE offer_id = %d "
	    "AND status <> 'rejected' AND %s), "
	    "(SELECT COALESCE(SUM(cost), 0) FROM clicks WHERE offer_id = %d AND %s) + "
	    "(SELECT COALESCE(SUM(commission), 0) FROM orders WHERE offer_id = %d "
	    "AND status <> 'rejected' AND %s), "
	    "(SELECT COALESCE(SUM(earning), 0) FROM clicks WHERE offer_id = %d AND %s) + "
	    "(SELECT COALESCE(SUM(earning), 0) FROM orders WHERE offer_id = %d "
	    "AND status <> 'rejected' AND %s)",
	    offer, w, offer, w, offer, w, offer, w, offer, w, offer, w, offer, w, offer, w);
}

/* Appends {"date"?, six keys} from a tab-separated line (date first if with_date). */
static void
put_entry(char *out, size_t sz, char *line, int with_date)
{
	static const char *const keys[] = { "clicks", "unique_clicks", "orders", "order_value",
		"cost", "earnings" };
	char *f[7], *save = NULL;
	int n = 0, k = 0;

	for (char *t = strtok_r(line, "\t", &save); t && n < 7; t = strtok_r(NULL, "\t", &save))
		f[n++] = t;
	cr_assert_eq(n, with_date ? 7 : 6, "a stats row of %d columns", n);
	strcat(out, "{");
	if (with_date) {
		snprintf(out + strlen(out), sz - strlen(out), "\"date\":\"%s\",", f[0]);
		k = 1;
	}
	for (int i = 0; i < 6; i++)
		snprintf(out + strlen(out), sz - strlen(out), "%s\"%s\":%s", i ? "," : "", keys[i],
		    f[k + i]);
	strcat(out, "}");
}

/* The expected body of GET /v2/offers/{offer}/stats for [start, end]. */
static char *
expected_stats(int offer, const char *start, const char *end)
{
	char cols[3072], q[4096], w[128], cur[8], *rows, *line, *save = NULL;
	size_t sz = 1 << 20;
	char *out = calloc(1, sz);

	snprintf(q, sizeof(q), "SELECT s.currency FROM offers o JOIN stores s "
	    "ON s.id = o.store_id WHERE o.id = %d", offer);
	db_text(q, cur, sizeof(cur));
	snprintf(out, sz, "{\"offer_id\":%d,\"start_date\":\"%s\",\"end_date\":\"%s\","
	    "\"currency\":\"%s\",\"total\":", offer, start, end, cur);

	snprintf(w, sizeof(w), "DATE(occurred_at) BETWEEN '%s' AND '%s'", start, end);
	stat_cols(cols, sizeof(cols), offer, w);
	snprintf(q, sizeof(q), "SELECT %s", cols);
	rows = sql(q);
	put_entry(out, sz, rows, 0);
	free(rows);

	strcat(out, ",\"days\":[");
	stat_cols(cols, sizeof(cols), offer, "DATE(occurred_at) = d.day");
	snprintf(q, sizeof(q), "WITH RECURSIVE d (day) AS (SELECT DATE('%s') UNION ALL "
	    "SELECT day + INTERVAL 1 DAY FROM d WHERE day < DATE('%s')) "
	    "SELECT d.day, %s FROM d ORDER BY d.day", start, end, cols);
	rows = sql(q);
	for (line = strtok_r(rows, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (out[strlen(out) - 1] == '}')
			strcat(out, ",");
		put_entry(out, sz, line, 1);
	}
	free(rows);
	strcat(out, "]}");
	return out;
}

static struct resp
get_stats(int offer, const char *start, const char *end, int user)
{
	char url[256];

	snprintf(url, sizeof(url), "/v2/offers/%d/stats?start_date=%s&end_date=%s", offer,
	    start, end);
	return req("GET", url, tok(user), NULL);
}

/* Asserts the answer for offer over [start, end] is the expected one. */
static void
expect_stats(int offer, const char *start, const char *end, int user)
{
	char *want = expected_stats(offer, start, end);
	struct resp r = get_stats(offer, start, end, user);

	cr_expect_eq(r.status, 200, "offer %d %s..%s: %ld %s", offer, start, end, r.status,
	    r.body);
	cr_expect_str_eq(r.body, want, "offer %d %s..%s as user %d", offer, start, end, user);
	free(want);
	resp_free(&r);
}

/*
 * Events of the deleted campaign 6 (store 1, SEK) around 2024-03-01..03:
 * clicks cost 100 and earn 70; two clicks without a visitor hash and one
 * of visitor X on the 1st, visitor X again on the 3rd at 23:59:59, one on
 * each side of the period. Orders: approved on the 1st, rejected and
 * pending on the 3rd, one after the period.
 */
static void
add_fixture_events(void)
{
	free(sql("INSERT INTO clicks (occurred_at, store_id, offer_id, cost, earning, currency, "
	    "visitor_hash, country) VALUES "
	    "('2024-02-29 23:59:59', 1, 6, 100, 70, 'SEK', NULL, 'ZZ'), "
	    "('2024-03-01 00:00:00', 1, 6, 100, 70, 'SEK', NULL, 'ZZ'), "
	    "('2024-03-01 12:00:00', 1, 6, 100, 70, 'SEK', NULL, 'ZZ'), "
	    "('2024-03-01 18:00:00', 1, 6, 100, 70, 'SEK', UNHEX(MD5('statsX')), 'ZZ'), "
	    "('2024-03-03 23:59:59', 1, 6, 100, 70, 'SEK', UNHEX(MD5('statsX')), 'ZZ'), "
	    "('2024-03-04 00:00:00', 1, 6, 100, 70, 'SEK', NULL, 'ZZ')"));
	free(sql("INSERT INTO orders (occurred_at, store_id, offer_id, external_id, status, "
	    "order_value, commission, earning, currency) VALUES "
	    "('2024-03-01 10:00:00', 1, 6, 'STATSFIX-1', 'approved', 10000, 800, 600, 'SEK'), "
	    "('2024-03-03 10:00:00', 1, 6, 'STATSFIX-2', 'rejected', 5000, 400, 300, 'SEK'), "
	    "('2024-03-03 11:00:00', 1, 6, 'STATSFIX-3', 'pending', 2000, 100, 50, 'SEK'), "
	    "('2024-03-04 00:00:00', 1, 6, 'STATSFIX-4', 'approved', 7000, 700, 500, 'SEK')"));
}

/*
 * Removes every fixture of this file. Through system() and not sql(): an
 * assertion in a .fini is not reported, so a failure is written to
 * METAPIC_DIR/cleanup-failures, which run.sh fails on.
 */
static void
remove_fixtures(void)
{
	char line[2048], path[1024];
	FILE *f;
	int rc;

	snprintf(line, sizeof(line),
	    "mariadb --no-defaults --socket='%s/db/mysql.sock' -uroot metapic -e \""
	    "DELETE FROM orders WHERE " FIX_ORDER "; "
	    "DELETE FROM clicks WHERE " FIX_CLICK "; "
	    "DELETE FROM offer_targets WHERE id = %d; "
	    "DELETE FROM offer_users WHERE id IN (%d, %d);\"",
	    getenv("METAPIC_DIR"), FIX_ID, FIX_ID, FIX_ID + 1);
	if ((rc = system(line)) == 0)
		return;
	snprintf(path, sizeof(path), "%s/cleanup-failures", getenv("METAPIC_DIR"));
	if ((f = fopen(path, "a")) != NULL) {
		fprintf(f, "offer_stats::%s: removing the fixtures (%d)\n",
		    criterion_current_test->name, rc);
		fclose(f);
	}
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers/{offer_id}/stats                                     */
/* ------------------------------------------------------------------ */

/* Offer 4's 20 clicks (2025-02-01..20, 7 visitors, 180 / 140 each). */
Test(offer_stats, a_fixed_period_byte_for_byte)
{
	static const char want[] =
	    "{\"offer_id\":4,\"start_date\":\"2025-01-31\",\"end_date\":\"2025-02-02\","
	    "\"currency\":\"SEK\",\"total\":{\"clicks\":2,\"unique_clicks\":2,\"orders\":0,"
	    "\"order_value\":0,\"cost\":360,\"earnings\":280},\"days\":["
	    "{\"date\":\"2025-01-31\",\"clicks\":0,\"unique_clicks\":0,\"orders\":0,"
	    "\"order_value\":0,\"cost\":0,\"earnings\":0},"
	    "{\"date\":\"2025-02-01\",\"clicks\":1,\"unique_clicks\":1,\"orders\":0,"
	    "\"order_value\":0,\"cost\":180,\"earnings\":140},"
	    "{\"date\":\"2025-02-02\",\"clicks\":1,\"unique_clicks\":1,\"orders\":0,"
	    "\"order_value\":0,\"cost\":180,\"earnings\":140}]}";
	struct resp r = get_stats(4, "2025-01-31", "2025-02-02", MEMBER1);

	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(r.body, want);
	cr_expect_str_eq(resp_header(&r, "Content-Type"), "application/json");
	resp_free(&r);

	/* The whole run: 20 clicks of 7 visitors; the days' uniques add up to 20. */
	r = get_stats(4, "2025-01-30", "2025-02-22", ADMIN);
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_eq(json_object_array_length(jpath(r.json, "days")), 24);
	cr_expect_str_eq(jtext(jpath(r.json, "total")), "{\"clicks\":20,\"unique_clicks\":7,"
	    "\"orders\":0,\"order_value\":0,\"cost\":3600,\"earnings\":2800}");
	cr_expect_eq(jint(r.json, "days.0.clicks"), 0);
	cr_expect_eq(jint(r.json, "days.2.unique_clicks"), 1);
	cr_expect_eq(jint(r.json, "days.23.clicks"), 0);
	resp_free(&r);
	expect_stats(4, "2025-01-30", "2025-02-22", MEMBER1);
}

/* The demo's recent events, over a period taken from the data itself. */
Test(offer_stats, recent_events_as_computed_here)
{
	static const struct {
		int offer, user;
	} cases[] = { { 1, MEMBER1 }, { 1, ADMIN }, { 7, MEMBER1 }, { 8, MEMBER2 },
		{ 12, ADMIN } };
	char start[16], end[16], q[512];
	long long ndays;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* Two days before the first click to the day after today. */
		snprintf(q, sizeof(q), "SELECT DATE(MIN(occurred_at)) - INTERVAL 2 DAY FROM clicks "
		    "WHERE offer_id = %d", cases[i].offer);
		db_text(q, start, sizeof(start));
		db_text("SELECT UTC_DATE() + INTERVAL 1 DAY", end, sizeof(end));
		snprintf(q, sizeof(q), "SELECT DATEDIFF('%s', '%s') + 1", end, start);
		ndays = sql_number(q);
		cr_assert(ndays > 3 && ndays <= 366, "a period of %lld days", ndays);

		struct resp r = get_stats(cases[i].offer, start, end, cases[i].user);
		cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
		struct json_object *days = jpath(r.json, "days");
		cr_expect_eq((long long)json_object_array_length(days), ndays);
		cr_expect_str_eq(jstr(r.json, "days.0.date"), start);
		cr_expect_eq(jint(r.json, "days.0.clicks"), 0);
		cr_expect_eq(jint(r.json, "days.0.cost"), 0);
		cr_expect(jint(r.json, "total.clicks") > 0);
		/* Visitors come back: fewer of them than clicks, in the period and a day. */
		long long sum = 0;
		for (size_t d = 0; d < json_object_array_length(days); d++)
			sum += json_object_get_int64(jpath(json_object_array_get_idx(days, d),
			    "unique_clicks"));
		cr_expect(jint(r.json, "total.unique_clicks") <= sum, "%lld <= %lld",
		    jint(r.json, "total.unique_clicks"), sum);
		cr_expect(jint(r.json, "total.unique_clicks") <= jint(r.json, "total.clicks"));
		/* Offer 1's links get up to 6 clicks a day from 3 visitors. */
		if (cases[i].offer == 1)
			cr_expect(jint(r.json, "total.unique_clicks") < jint(r.json, "total.clicks"));
		resp_free(&r);
		expect_stats(cases[i].offer, start, end, cases[i].user);
	}
	/* Offer 1's period holds rejected orders: leaving them out is tested. */
	cr_expect(sql_number("SELECT COUNT(*) FROM orders WHERE offer_id = 1 AND status = 'rejected'")
	    > 0);
}

Test(offer_stats, known_events_and_period_bounds, .init = add_fixture_events,
    .fini = remove_fixtures)
{
	static const char want[] =
	    "{\"offer_id\":6,\"start_date\":\"2024-03-01\",\"end_date\":\"2024-03-03\","
	    "\"currency\":\"SEK\",\"total\":{\"clicks\":4,\"unique_clicks\":3,\"orders\":2,"
	    "\"order_value\":12000,\"cost\":1300,\"earnings\":930},\"days\":["
	    "{\"date\":\"2024-03-01\",\"clicks\":3,\"unique_clicks\":3,\"orders\":1,"
	    "\"order_value\":10000,\"cost\":1100,\"earnings\":810},"
	    "{\"date\":\"2024-03-02\",\"clicks\":0,\"unique_clicks\":0,\"orders\":0,"
	    "\"order_value\":0,\"cost\":0,\"earnings\":0},"
	    "{\"date\":\"2024-03-03\",\"clicks\":1,\"unique_clicks\":1,\"orders\":1,"
	    "\"order_value\":2000,\"cost\":200,\"earnings\":120}]}";
	struct resp r;

	/* Campaign 6 is deleted: its store still reads its stats. */
	r = get_stats(6, "2024-03-01", "2024-03-03", MEMBER1);
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(r.body, want);
	resp_free(&r);
	expect_stats(6, "2024-03-01", "2024-03-03", ADMIN);

	/* One day on each side takes in the events at 23:59:59 and 00:00:00. */
	r = get_stats(6, "2024-02-29", "2024-03-04", ADMIN);
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_eq(jint(r.json, "total.clicks"), 6);
	cr_expect_eq(jint(r.json, "total.unique_clicks"), 5);
	cr_expect_eq(jint(r.json, "total.orders"), 3);
	cr_expect_eq(jint(r.json, "total.order_value"), 19000);
	cr_expect_eq(jint(r.json, "days.4.cost"), 100 + 700);
	resp_free(&r);
	expect_stats(6, "2024-02-29", "2024-03-04", MEMBER1);

	/* One day. */
	r = get_stats(6, "2024-03-03", "2024-03-03", MEMBER1);
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_eq(json_object_array_length(jpath(r.json, "days")), 1);
	cr_expect_str_eq(jtext(jpath(r.json, "total")), "{\"clicks\":1,\"unique_clicks\":1,"
	    "\"orders\":1,\"order_value\":2000,\"cost\":200,\"earnings\":120}");
	cr_expect_str_eq(jkeys(jpath(r.json, "days.0")),
	    "date,clicks,unique_clicks,orders,order_value,cost,earnings");
	resp_free(&r);

	/* The reference's example sends the dates in a JSON body. */
	r = req("GET", "/v2/offers/6/stats", tok(MEMBER1),
	    "{\"start_date\":\"2024-03-01\",\"end_date\":\"2024-03-03\"}");
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(r.body, want);
	resp_free(&r);
}

Test(offer_stats, who_may_read)
{
	static const struct {
		int offer, user;
		long status;
	} cases[] = {
		{ 6, MEMBER1, 200 }, { 6, ADMIN, 200 }, { 1, MEMBER1, 200 }, { 8, MEMBER2, 200 },
		{ 6, MEMBER2, 404 }, { 1, MEMBER2, 404 }, { 8, MEMBER1, 404 },
		{ 999999999, ADMIN, 404 }, { 1, CREATOR1, 403 }, { 6, CREATOR2, 403 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = get_stats(cases[i].offer, "2025-01-01", "2025-01-31",
		    cases[i].user);

		if (cases[i].status == 200) {
			cr_expect_eq(r.status, 200, "offer %d user %d: %ld %s", cases[i].offer,
			    cases[i].user, r.status, r.body);
			cr_expect_eq(jint(r.json, "offer_id"), cases[i].offer);
			cr_expect_eq(json_object_array_length(jpath(r.json, "days")), 31);
		} else
			expect_error(r, (int)cases[i].status);
		resp_free(&r);
	}
	struct resp r = req("GET", "/v2/offers/1/stats?start_date=2025-01-01&end_date=2025-01-02",
	    NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);
}

Test(offer_stats, validation)
{
#define E1(key, msg) "{\"message\":\"" msg "\",\"errors\":{\"" key "\":[\"" msg "\"]}}"
	static const struct {
		const char *query, *body;
	} cases[] = {
		{ "",
		    "{\"message\":\"The start date field is required. (and 1 more error)\","
		    "\"errors\":{\"start_date\":[\"The start date field is required.\"],"
		    "\"end_date\":[\"The end date field is required.\"]}}" },
		{ "start_date=2025-01-01",
		    E1("end_date", "The end date field is required.") },
		{ "end_date=2025-01-01",
		    E1("start_date", "The start date field is required.") },
		{ "start_date=&end_date=2025-01-01",
		    E1("start_date", "The start date field is required.") },
		{ "start_date=2025-1-5&end_date=2025-01-10",
		    E1("start_date", "The start date field must match the format Y-m-d.") },
		{ "start_date=2025-01-05&end_date=2025-01-10%2010:00:00",
		    E1("end_date", "The end date field must match the format Y-m-d.") },
		{ "start_date=yesterday&end_date=2025-01-10",
		    E1("start_date", "The start date field must be a valid date.") },
		{ "start_date=2023-02-29&end_date=2023-03-10",
		    E1("start_date", "The start date field must be a valid date.") },
		{ "start_date=2025-01-01&end_date=2025-13-01",
		    E1("end_date", "The end date field must be a valid date.") },
		{ "start_date[]=2025-01-01&end_date=2025-01-10",
		    E1("start_date", "The start date field must be a valid date.") },
		{ "start_date=2025-02-01&end_date=2025-01-31",
		    E1("end_date", "The end date field must be a date after or equal to start date.") },
		/* 367 days, both ends included. */
		{ "start_date=2024-01-01&end_date=2025-01-01",
		    E1("end_date", "The end date field must be a date within 366 days of the start "
			"date.") },
		{ "start_date=0001-01-01&end_date=9999-12-31",
		    E1("end_date", "The end date field must be a date within 366 days of the start "
			"date.") },
	};
	char url[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offers/1/stats?%s", cases[i].query);
		struct resp r = req("GET", url, tok(MEMBER1), NULL);

		expect_error(r, 422);
		cr_expect_str_eq(r.body, cases[i].body, "?%s", cases[i].query);
		resp_free(&r);
	}
#undef E1
}

/* The longest periods: a leap year, 366 days across a year's end; the last day there is. */
Test(offer_stats, longest_periods)
{
	static const struct {
		const char *start, *end;
		size_t days;
	} cases[] = {
		{ "2024-01-01", "2024-12-31", 366 },
		{ "2023-01-01", "2024-01-01", 366 },
		{ "2025-01-01", "2025-12-31", 365 },
		{ "9999-12-31", "9999-12-31", 1 },
		{ "0001-01-01", "0001-01-01", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = get_stats(1, cases[i].start, cases[i].end, MEMBER1);

		cr_expect_eq(r.status, 200, "%s..%s: %ld %s", cases[i].start, cases[i].end,
		    r.status, r.body);
		cr_expect_eq(json_object_array_length(jpath(r.json, "days")), cases[i].days);
		cr_expect_str_eq(jstr(r.json, "days.0.date"), cases[i].start);
		char last[16];
		snprintf(last, sizeof(last), "days.%zu.date", cases[i].days - 1);
		cr_expect_str_eq(jstr(r.json, last), cases[i].end);
		resp_free(&r);
	}
}

/* ------------------------------------------------------------------ */
/* GET /v2/users/{user_id}/offers                                      */
/* ------------------------------------------------------------------ */

/*
 * The ids user uid should get, newest first, comma-separated (malloc'd):
 * the campaigns not deleted that they take part in, or that one of their
 * targets names while the store's blocklist does not, written with OR
 * over the target's columns. extra: more of the WHERE (on o and u).
 */
static char *
expected_ids(int uid, const char *extra)
{
	char q[4096];

	snprintf(q, sizeof(q),
	    "SELECT COALESCE(GROUP_CONCAT(o.id ORDER BY o.created_at DESC, o.id DESC), '') "
	    "FROM offers o JOIN users u ON u.id = %d WHERE o.deleted_at IS NULL AND ("
	    "EXISTS (SELECT 1 FROM offer_users p WHERE p.offer_id = o.id AND p.user_id = u.id) "
	    "OR (EXISTS (SELECT 1 FROM offer_targets t WHERE t.offer_id = o.id AND ("
	    "t.user_id = u.id OR t.client_id = u.client_id OR t.revenue_tier_id = "
	    "u.revenue_tier_id OR t.email = u.email "
	    "OR t.user_tag_id IN (SELECT x.user_tag_id FROM user_tag_user x WHERE x.user_id = u.id) "
	    "OR t.store_group_id = (SELECT c.store_group_id FROM clients c WHERE c.id = u.client_id) "
	    "OR t.social_media_identifier IN (SELECT a.identifier FROM social_media_accounts a "
	    "WHERE a.user_id = u.id))) "
	    "AND NOT EXISTS (SELECT 1 FROM blocklist_entries b WHERE b.store_id = o.store_id AND "
	    "(b.user_id = u.id OR b.user_tag_id IN (SELECT y.user_tag_id FROM user_tag_user y "
	    "WHERE y.user_id = u.id))))) %s",
	    uid, extra);
	return sql(q);
}

/* Whether the comma-separated list holds id. */
static int
has_id(const char *list, int id)
{
	char buf[1024], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (atoi(t) == id)
			return 1;
	return 0;
}

static struct resp
get_user_offers(int uid, const char *query, int caller)
{
	char url[1024];

	snprintf(url, sizeof(url), "/v2/users/%d/offers%s%s", uid, *query ? "?" : "", query);
	return req("GET", url, tok(caller), NULL);
}

/* Each item's participation is user uid's offer_users row, or null. */
static void
expect_participations(struct json_object *data, int uid)
{
	char q[256], want[256], got[256];
	struct json_object *item, *p;

	for (size_t i = 0; i < json_object_array_length(data); i++) {
		item = json_object_array_get_idx(data, i);
		snprintf(q, sizeof(q), "SELECT CONCAT_WS(' ', id, status, IFNULL(joined_at, 'null')) "
		    "FROM offer_users WHERE offer_id = %lld AND user_id = %d", jint(item, "id"), uid);
		db_text(q, want, sizeof(want));
		cr_assert(json_object_object_get_ex(item, "participation", &p));
		if (*want == '\0') {
			cr_expect_null(p, "offer %lld: %s", jint(item, "id"), jtext(item));
			continue;
		}
		cr_assert_not_null(p, "offer %lld", jint(item, "id"));
		cr_expect_str_eq(jkeys(p), "id,status,joined_at");
		snprintf(got, sizeof(got), "%lld %s %s", jint(p, "id"), jstr(p, "status"),
		    jpath(p, "joined_at") ? jstr(p, "joined_at") : "null");
		cr_expect_str_eq(got, want);
	}
}

Test(offer_stats, user_offers_shape_and_set)
{
	char *want = expected_ids(CREATOR1, "");
	struct resp r = get_user_offers(CREATOR1, "size=100", CREATOR1);
	struct json_object *item;

	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(jkeys(r.json), "data,links,meta");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	/* Demo: participant in 1, 2, 4, 7; targeted by 1, 3, 4, 5, 7, 11, 14. */
	cr_expect_str_eq(want, "14,11,7,5,4,3,2,1");
	cr_expect_eq(jint(r.json, "meta.total"), 8);
	expect_participations(jpath(r.json, "data"), CREATOR1);

	/* Campaign 1: the List campaigns item, then the participation. */
	item = jpath(r.json, "data.7");
	cr_expect_str_eq(jkeys(item), "id,campaign_title,campaign_text,has_product_seeding,"
	    "has_onetime_payment,status,image_url,image,store_id,token,type,participation");
	cr_expect_str_eq(jstr(item, "campaign_title"), "Spring glow with Nordic Beauty");
	cr_expect(json_object_is_type(jpath(item, "has_product_seeding"), json_type_boolean));
	cr_expect_str_eq(jstr(item, "status"), "active");
	cr_expect_str_eq(jstr(item, "token"), "67twgittqxf0vmxa");
	cr_expect_str_eq(jstr(item, "type"), "standard");
	cr_expect_eq(jint(item, "store_id"), 1);
	cr_expect_str_eq(jkeys(jpath(item, "image")), "key,url,base_url,base64");
	cr_expect_str_eq(jstr(item, "image_url"), jstr(item, "image.url"));
	cr_expect(strstr(jstr(item, "image_url"), "/insecure/rs:fill:800:500/g:sm/") != NULL);
	cr_expect_str_eq(jtext(jpath(item, "participation")),
	    "{\"id\":1,\"status\":\"accepted\",\"joined_at\":\"2025-02-01 13:00:00\"}");
	/* Campaign 3 (scheduled) only targets them. */
	cr_expect_str_eq(jstr(r.json, "data.5.status"), "scheduled");
	cr_expect_null(jpath(r.json, "data.5.participation"));
	resp_free(&r);

	/* An admin reads the same list. */
	r = get_user_offers(CREATOR1, "size=100", ADMIN);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	resp_free(&r);
	free(want);

	/* Others, for some demo users: blocked by a tag (19), other markets, none. */
	static const int users[] = { 19, 21, 28, 31, 26, 41, 1, 2 };
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		want = expected_ids(users[i], "");
		r = get_user_offers(users[i], "size=100", ADMIN);
		cr_expect_eq(r.status, 200);
		cr_expect_str_eq(jids(jpath(r.json, "data")), want, "user %d", users[i]);
		expect_participations(jpath(r.json, "data"), users[i]);
		resp_free(&r);
		free(want);
	}
	/* User 19 is in tag 7, which store 1 blocks: none of its targeted campaigns. */
	want = expected_ids(19, "AND o.store_id = 1");
	cr_expect_str_eq(want, "");
	free(want);
}

Test(offer_stats, user_offers_status_filter)
{
	static const char *const statuses[] = { "suggestion", "open", "accepted",
		"product_sent", "have_received", "done", "store_denied" };
	static const int users[] = { CREATOR1, 8, 22 };
	char extra[256], query[64];

	for (size_t u = 0; u < sizeof(users) / sizeof(users[0]); u++)
		for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
			snprintf(extra, sizeof(extra), "AND EXISTS (SELECT 1 FROM offer_users s "
			    "WHERE s.offer_id = o.id AND s.user_id = u.id AND s.status = '%s')",
			    statuses[i]);
			char *want = expected_ids(users[u], extra);
			snprintf(query, sizeof(query), "status=%s&size=100", statuses[i]);
			struct resp r = get_user_offers(users[u], query, ADMIN);

			cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
			cr_expect_str_eq(jids(jpath(r.json, "data")), want, "user %d %s", users[u],
			    statuses[i]);
			for (size_t k = 0; k < json_object_array_length(jpath(r.json, "data")); k++)
				cr_expect_str_eq(jstr(json_object_array_get_idx(jpath(r.json, "data"),
				    k), "participation.status"), statuses[i]);
			resp_free(&r);
			free(want);
		}
	/* Demo: user 3 accepted in 7 and 1, a suggestion in 2, done in 4. */
	struct resp r = get_user_offers(CREATOR1, "status=accepted", CREATOR1);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "7,1");
	resp_free(&r);
	r = get_user_offers(CREATOR1, "status=open", CREATOR1);
	cr_expect_str_eq(jtext(jpath(r.json, "data")), "[]");
	cr_expect_eq(jint(r.json, "meta.total"), 0);
	resp_free(&r);
}

Test(offer_stats, user_offers_name_filter)
{
	static const struct {
		const char *name, *want;	/* want: for user 3, NULL to skip */
	} cases[] = {
		{ "glow", "1" },		/* name and title */
		{ "GLOW", "1" },		/* case-insensitive */
		{ "post", "2" },		/* title only: "Suggest a skincare post" */
		{ "Sportkompaniet", "11" },	/* name only */
		{ "winter", "5,4" },
		{ "%", "" },			/* LIKE's wildcards are literal */
		{ "_", "" },
		{ "NB", "7,5,4,3,2,1" },
		{ "Löparvår", "11" },
		{ "nothing like it", "" },
	};
	char extra[256], query[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(extra, sizeof(extra), "AND (INSTR(o.name, '%s') > 0 OR "
		    "INSTR(o.campaign_title, '%s') > 0)", cases[i].name, cases[i].name);
		char *want = expected_ids(CREATOR1, extra);
		snprintf(query, sizeof(query), "name=%s", urlenc(cases[i].name));
		struct resp r = get_user_offers(CREATOR1, query, CREATOR1);

		cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
		cr_expect_str_eq(jids(jpath(r.json, "data")), want, "name %s", cases[i].name);
		cr_expect_str_eq(want, cases[i].want, "name %s", cases[i].name);
		resp_free(&r);
		free(want);
	}
	/* With a status: campaigns both filters keep. */
	struct resp r = get_user_offers(CREATOR1, "name=skin&status=done", CREATOR1);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "4");
	resp_free(&r);
}

Test(offer_stats, user_offers_pages)
{
	char *all = expected_ids(CREATOR1, "");
	struct resp r = get_user_offers(CREATOR1, "size=3&page=2", CREATOR1);
	char want[64];
	int n = 0;

	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	/* The 4th to 6th ids of the whole list. */
	want[0] = '\0';
	for (char *p = all, *save = NULL, *t; (t = strtok_r(p, ",", &save)); p = NULL, n++)
		if (n >= 3 && n < 6)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
			    *want ? "," : "", t);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect_eq(jint(r.json, "meta.total"), n);
	cr_expect_eq(jint(r.json, "meta.per_page"), 3);
	cr_expect_eq(jint(r.json, "meta.current_page"), 2);
	cr_expect_eq(jint(r.json, "meta.last_page"), (n + 2) / 3);
	cr_expect_eq(jint(r.json, "meta.from"), 4);
	cr_expect_eq(jint(r.json, "meta.to"), 6);
	cr_expect(strstr(jstr(r.json, "links.next"), "/v2/users/3/offers?") != NULL);
	cr_expect(strstr(jstr(r.json, "links.next"), "page=3") != NULL);
	cr_expect(strstr(jstr(r.json, "meta.path"), "/v2/users/3/offers") != NULL);
	resp_free(&r);
	free(all);

	/* The default page size is 20. */
	r = get_user_offers(CREATOR1, "", CREATOR1);
	cr_expect_eq(jint(r.json, "meta.per_page"), 20);
	resp_free(&r);
	/* Past the end: an empty page, the right total. */
	r = get_user_offers(CREATOR1, "size=5&page=9", CREATOR1);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jtext(jpath(r.json, "data")), "[]");
	cr_expect_eq(jint(r.json, "meta.total"), n);
	resp_free(&r);
}

/*
 * Store 1 blocks user 5: a campaign of store 1 that targets their whole
 * client stays hidden from them (and shows to user 21 of the same client),
 * while a participation of theirs in store 1 shows whatever the blocklist
 * says. Deleted campaigns never show, participation or not.
 */
Test(offer_stats, user_offers_blocklist_and_deleted, .fini = remove_fixtures)
{
	char q[512], *want;
	struct resp r;

	snprintf(q, sizeof(q), "INSERT INTO offer_targets (id, offer_id, kind, client_id) "
	    "VALUES (%d, 7, 'client', 2)", FIX_ID);
	free(sql(q));
	r = get_user_offers(CREATOR2, "size=100", CREATOR2);
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	want = expected_ids(CREATOR2, "");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect(has_id(want, 8));
	cr_expect(!has_id(want, 7), "%s", want);
	free(want);
	resp_free(&r);
	r = get_user_offers(21, "size=100", 21);
	want = expected_ids(21, "");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect(has_id(want, 7), "%s", want);
	free(want);
	resp_free(&r);

	/* A participation in store 1's campaign 2, and one in deleted campaign 6. */
	snprintf(q, sizeof(q), "INSERT INTO offer_users (id, offer_id, user_id, status) VALUES "
	    "(%d, 2, 5, 'open'), (%d, 6, 5, 'open')", FIX_ID, FIX_ID + 1);
	free(sql(q));
	r = get_user_offers(CREATOR2, "size=100&status=open", CREATOR2);
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	want = expected_ids(CREATOR2, "AND EXISTS (SELECT 1 FROM offer_users s WHERE "
	    "s.offer_id = o.id AND s.user_id = u.id AND s.status = 'open')");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect_str_eq(want, "2");
	snprintf(q, sizeof(q), "{\"id\":%d,\"status\":\"open\",\"joined_at\":null}", FIX_ID);
	cr_expect_str_eq(jtext(jpath(r.json, "data.0.participation")), q);
	free(want);
	resp_free(&r);
	r = get_user_offers(CREATOR2, "size=100", CREATOR2);
	want = expected_ids(CREATOR2, "");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect(has_id(want, 2) && !has_id(want, 6), "%s", want);
	expect_participations(jpath(r.json, "data"), CREATOR2);
	free(want);
	resp_free(&r);
}

Test(offer_stats, user_offers_access_and_validation)
{
	static const struct {
		int uid, caller;
		long status;
	} who[] = {
		{ CREATOR1, CREATOR1, 200 }, { CREATOR1, ADMIN, 200 }, { CREATOR2, CREATOR2, 200 },
		{ CREATOR1, CREATOR2, 403 }, { CREATOR1, MEMBER1, 403 }, { CREATOR2, MEMBER2, 403 },
	};
	static const struct {
		const char *query, *body;
	} bad[] = {
		{ "status=bogus", "{\"message\":\"The selected status is invalid.\","
		    "\"errors\":{\"status\":[\"The selected status is invalid.\"]}}" },
		{ "status[]=open", "{\"message\":\"The status field must be a string.\","
		    "\"errors\":{\"status\":[\"The status field must be a string.\"]}}" },
		{ "name[]=x", "{\"message\":\"The name field must be a string.\","
		    "\"errors\":{\"name\":[\"The name field must be a string.\"]}}" },
		{ "size=101", "{\"message\":\"The size field must not be greater than 100.\","
		    "\"errors\":{\"size\":[\"The size field must not be greater than 100.\"]}}" },
		{ "size=0", "{\"message\":\"The size field must be at least 1.\","
		    "\"errors\":{\"size\":[\"The size field must be at least 1.\"]}}" },
		{ "page=x", "{\"message\":\"The page field must be an integer.\","
		    "\"errors\":{\"page\":[\"The page field must be an integer.\"]}}" },
	};
	char query[600], body[300];
	struct resp r;

	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		r = get_user_offers(who[i].uid, "", who[i].caller);
		if (who[i].status == 200)
			cr_expect_eq(r.status, 200, "user %d by %d: %ld", who[i].uid, who[i].caller,
			    r.status);
		else
			expect_error(r, (int)who[i].status);
		resp_free(&r);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = get_user_offers(CREATOR1, bad[i].query, CREATOR1);
		expect_error(r, 422);
		cr_expect_str_eq(r.body, bad[i].body, "?%s", bad[i].query);
		resp_free(&r);
	}
	/* name: at most 255 characters. */
	memset(body, 'a', 256);
	body[256] = '\0';
	snprintf(query, sizeof(query), "name=%s", body);
	r = get_user_offers(CREATOR1, query, CREATOR1);
	expect_error(r, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The name field must not be greater than 255 "
	    "characters.\",\"errors\":{\"name\":[\"The name field must not be greater than 255 "
	    "characters.\"]}}");
	resp_free(&r);
	body[255] = '\0';
	snprintf(query, sizeof(query), "name=%s", body);
	r = get_user_offers(CREATOR1, query, CREATOR1);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(jint(r.json, "meta.total"), 0);
	resp_free(&r);
}
