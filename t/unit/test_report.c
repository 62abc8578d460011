/*
 * test_report.c -- days of a period (report.c) and the grouped count of a
 * list (page_count_sql).
 */
#include "config.h"

#include <string.h>

#include <criterion/criterion.h>

#include "page.h"
#include "report.h"

Test(report, dates_valid_and_invalid)
{
	static const struct { const char *s; long days; } good[] = {
		{ "1970-01-01", 0 }, { "1970-01-02", 1 }, { "1969-12-31", -1 },
		{ "2000-02-29", 11016 }, { "2024-02-29", 19782 }, { "2026-12-01", 20788 },
		{ "0001-01-01", -719162 }, { "9999-12-31", 2932896 },
	};
	static const char *const bad[] = {
		"", "2026-1-01", "2026-13-01", "2026-00-10", "2026-02-29", "1900-02-29",
		"2026-04-31", "2026-12-32", "2026-12-00", "2026/12/01", "20261201", "2026-12-01 ",
		"0000-01-01", "2026-12-0a", "+026-12-01",
	};
	char out[11];
	long d;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cr_assert_eq(report_day(good[i].s, strlen(good[i].s), &d), 0, "%s", good[i].s);
		cr_expect_eq(d, good[i].days, "%s: %ld", good[i].s, d);
		report_date(d, out);
		cr_expect_str_eq(out, good[i].s, "round trip of %s", good[i].s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(report_day(bad[i], strlen(bad[i]), &d), -1, "%s", bad[i]);
}

Test(report, every_day_zeros_included)
{
	static const char *const fields[] = { "clicks", "orders" };
	struct json_object *rows = json_tokener_parse(
	    "[{\"date\":\"2024-03-01\",\"clicks\":5,\"orders\":1},"
	    "{\"date\":\"2024-02-28\",\"clicks\":2}]");
	struct json_object *s = report_days("2024-02-27", "2024-03-02", rows, fields, 2, 31);

	cr_assert_not_null(s);
	cr_expect_str_eq(json_object_to_json_string_ext(s, JSON_C_TO_STRING_PLAIN),
	    "[{\"date\":\"2024-02-27\",\"clicks\":0,\"orders\":0},"
	    "{\"date\":\"2024-02-28\",\"clicks\":2,\"orders\":0},"
	    "{\"date\":\"2024-02-29\",\"clicks\":0,\"orders\":0},"
	    "{\"date\":\"2024-03-01\",\"clicks\":5,\"orders\":1},"
	    "{\"date\":\"2024-03-02\",\"clicks\":0,\"orders\":0}]");
	json_object_put(s);

	/* One day; no rows at all. */
	s = report_days("2026-12-01", "2026-12-01", NULL, fields, 2, 31);
	cr_assert_not_null(s);
	cr_expect_eq(json_object_array_length(s), 1);
	json_object_put(s);

	/* End before start, too long a period, a bad date. */
	cr_expect_null(report_days("2026-12-02", "2026-12-01", rows, fields, 2, 31));
	cr_expect_null(report_days("2026-01-01", "2026-02-01", rows, fields, 2, 31));
	cr_expect_null(report_days("2026-02-30", "2026-03-01", rows, fields, 2, 31));
	s = report_days("2026-01-01", "2026-01-31", rows, fields, 2, 31);
	cr_expect_eq(json_object_array_length(s), 31, "31 days are allowed");
	json_object_put(s);
	json_object_put(rows);
}

Test(page, grouped_count_counts_groups)
{
	struct sql from = { 0 }, count = { 0 }, kept = { 0 };
	struct page_query pq = { .columns = "SELECT o.store_id, COUNT(*) AS n", .from = &from,
		.grouped = true };

	sql_int(&from, " FROM offers o WHERE o.store_id > ? GROUP BY o.store_id", 3);
	page_count_sql(&pq, &count);
	cr_expect_str_eq(count.text.p, "SELECT COUNT(*) FROM (SELECT 1 AS one FROM offers o "
	    "WHERE o.store_id > ? GROUP BY o.store_id) g");
	cr_expect_eq(count.np, 1);
	cr_expect_eq(count.p[0].i, 3);
	sql_free(&count);

	pq.grouped = false;
	page_count_sql(&pq, &count);
	cr_expect_str_eq(count.text.p, "SELECT COUNT(*) FROM offers o WHERE o.store_id > ? "
	    "GROUP BY o.store_id");
	sql_free(&count);

	/* A kept counter, with its own parameters. */
	sql_str(&kept, "SELECT n FROM row_counts WHERE name = ?", "offers", 6);
	pq.count_query = &kept;
	page_count_sql(&pq, &count);
	cr_expect_str_eq(count.text.p, "SELECT n FROM row_counts WHERE name = ?");
	cr_expect_eq(count.np, 1);
	cr_expect_eq(count.p[0].len, 6);
	sql_free(&count);
	sql_free(&kept);
	sql_free(&from);
}
