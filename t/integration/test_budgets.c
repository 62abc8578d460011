/*
 * test_budgets.c -- shared budgets through nginx: the shape of the demo's
 * budgets byte for byte, consumed_budget from the events, PUT and PATCH
 * with absent fields kept, every 422, DELETE refused while an active
 * campaign draws from the budget, and another store's budget unseen.
 * Expected values come from the database, computed here on their own.
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

/*
 * The fixtures this file writes are found by a date no demo row has
 * (created_at survives renames), and a campaign by its token.
 */
#define FIXTURE_AT "'2001-01-01 00:00:00'"
#define FIXTURE_TOKEN "'budgetstestoffer'"
#define FIXTURE_OFFER "(SELECT id FROM offers WHERE token = " FIXTURE_TOKEN ")"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Appends s to out as a JSON string (demo titles: no control characters). */
static void
put_json_string(char *out, size_t sz, const char *s)
{
	size_t k = strlen(out);

	if (k + 1 < sz)
		out[k++] = '"';
	for (; *s && k + 2 < sz; s++) {
		if (*s == '"' || *s == '\\')
			out[k++] = '\\';
		out[k++] = *s;
	}
	if (k + 1 < sz)
		out[k++] = '"';
	out[k] = '\0';
}

/*
 * The expected JSON of the budgets the WHERE clause selects (on b, with
 * the store s), as an array or, with one = true, the single object.
 * consumed_budget is computed here its own way: the cost of every click
 * plus the commission of every order but the rejected ones, of the
 * campaigns that name the budget.
 */
static char *
expected_budgets(const char *where, bool one)
{
	char q[2048], *rows, *line, *save = NULL;
	char *out = calloc(1, 65536);

	snprintf(q, sizeof(q),
	    "SELECT b.id, b.title, b.amount, "
	    "(SELECT COALESCE(SUM(cost), 0) FROM clicks WHERE offer_id IN "
	    "(SELECT id FROM offers WHERE shared_budget_id = b.id)) + "
	    "(SELECT COALESCE(SUM(commission), 0) FROM orders WHERE status <> 'rejected' "
	    "AND offer_id IN (SELECT id FROM offers WHERE shared_budget_id = b.id)), s.currency "
	    "FROM shared_budgets b, stores s WHERE s.id = b.store_id AND %s ORDER BY b.id",
	    where);
	rows = sql(q);
	if (!one)
		strcat(out, "[");
	for (line = strtok_r(rows, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[5], *tsave = NULL;
		int n = 0;

		for (char *t = strtok_r(line, "\t", &tsave); t && n < 5;
		    t = strtok_r(NULL, "\t", &tsave))
			f[n++] = t;
		cr_assert_eq(n, 5, "a budget row of 5 columns");
		if (strlen(out) > 1)
			strcat(out, ",");
		snprintf(out + strlen(out), 65536 - strlen(out), "{\"id\":%s,\"title\":", f[0]);
		put_json_string(out, 65536, f[1]);
		snprintf(out + strlen(out), 65536 - strlen(out),
		    ",\"amount\":%s,\"consumed_budget\":%s,\"currency\":", f[2], f[3]);
		put_json_string(out, 65536, f[4]);
		strcat(out, "}");
	}
	if (!one)
		strcat(out, "]");
	free(rows);
	return out;
}

/* Every key of one budget has the reference's type. */
static void
expect_budget_types(struct json_object *b)
{
	cr_expect_str_eq(jkeys(b), "id,title,amount,consumed_budget,currency");
	cr_expect(json_object_is_type(jpath(b, "id"), json_type_int));
	cr_expect(json_object_is_type(jpath(b, "title"), json_type_string));
	cr_expect(json_object_is_type(jpath(b, "amount"), json_type_int));
	cr_expect(json_object_is_type(jpath(b, "consumed_budget"), json_type_int));
	cr_expect(json_object_is_type(jpath(b, "currency"), json_type_string));
	cr_expect_eq(strlen(jstr(b, "currency")), 3);
}

/* One value from the database, as a number. */
static long long
db_int(const char *select)
{
	char *s = sql(select);
	long long v = atoll(s);

	free(s);
	return v;
}

/* The id of the newest fixture budget, 0 when none. */
static long long
fixture_id(void)
{
	return db_int("SELECT COALESCE(MAX(id), 0) FROM shared_budgets WHERE created_at = "
	    FIXTURE_AT);
}

/* A fixture budget of store 1 with no campaign. Returns its id. */
static long long
add_budget(const char *title, long long amount)
{
	char q[512];

	snprintf(q, sizeof(q), "INSERT INTO shared_budgets (store_id, title, amount, created_by, "
	    "created_at, updated_at) VALUES (1, '%s', %lld, 2, " FIXTURE_AT ", " FIXTURE_AT ")",
	    title, amount);
	free(sql(q));
	return fixture_id();
}

/*
 * A campaign of store 1 drawing from budget id, ended in 2024, with three
 * clicks (125 + 250 + 1) and two orders (1000 approved, 77 rejected) of
 * its own: 1376 spent (a rejected order's commission is never paid).
 */
#define FIXTURE_SPENT 1376
static void
add_campaign(long long budget)
{
	char q[2048];

	snprintf(q, sizeof(q),
	    "INSERT INTO offers (store_id, store_group_id, shared_budget_id, created_by, name, "
	    "token, valid_from, valid_until, created_at, updated_at) VALUES (1, 1, %lld, 2, "
	    "'Budgets test campaign', " FIXTURE_TOKEN ", '2024-01-01 00:00:00', "
	    "'2024-12-31 23:59:59', " FIXTURE_AT ", " FIXTURE_AT "); "
	    "INSERT INTO clicks (occurred_at, store_id, offer_id, cost, earning, currency) "
	    "SELECT '2024-06-01 10:00:00', 1, o.id, c.cost, 0, 'SEK' FROM " FIXTURE_OFFER " o, "
	    "(SELECT 125 AS cost UNION ALL SELECT 250 UNION ALL SELECT 1) c; "
	    "INSERT INTO orders (occurred_at, store_id, offer_id, status, order_value, commission, "
	    "earning, currency) SELECT '2024-06-01 10:01:00', 1, o.id, x.status, 10000, "
	    "x.commission, 0, 'SEK' FROM " FIXTURE_OFFER " o, (SELECT 'approved' AS status, "
	    "1000 AS commission UNION ALL SELECT 'rejected', 77) x",
	    budget);
	free(sql(q));
}

/*
 * Removes every fixture. Through the mariadb client and not sql(): an
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
	    "DELETE FROM orders WHERE offer_id = " FIXTURE_OFFER "; "
	    "DELETE FROM clicks WHERE offer_id = " FIXTURE_OFFER "; "
	    "DELETE FROM offers WHERE token = " FIXTURE_TOKEN "; "
	    "DELETE FROM shared_budgets WHERE created_at = " FIXTURE_AT ";\"",
	    getenv("METAPIC_DIR"));
	if ((rc = system(line)) == 0)
		return;
	snprintf(path, sizeof(path), "%s/cleanup-failures", getenv("METAPIC_DIR"));
	if ((f = fopen(path, "a")) != NULL) {
		fprintf(f, "budgets::%s: removing the fixtures (%d)\n",
		    criterion_current_test->name, rc);
		fclose(f);
	}
}

/* title, amount and updated_at of budget id, tab-separated (malloc'd). */
static char *
budget_row(long long id)
{
	char q[256];

	snprintf(q, sizeof(q), "SELECT title, amount, updated_at FROM shared_budgets WHERE id = %lld",
	    id);
	return sql(q);
}

/* n copies of the UTF-8 character ch, in a static buffer. */
static const char *
repeat(const char *ch, int n)
{
	static char out[2048];

	out[0] = '\0';
	for (int i = 0; i < n; i++)
		strcat(out, ch);
	return out;
}

/* ------------------------------------------------------------------ */
/* Reads                                                               */
/* ------------------------------------------------------------------ */

Test(budgets, list_is_the_demo_byte_for_byte)
{
	static const struct {
		int store, user;
	} cases[] = {
		{ 1, MEMBER1 }, { 1, ADMIN }, { 2, MEMBER2 }, { 2, ADMIN }, { 7, ADMIN },
		{ 3, ADMIN },	/* a store without budgets: [] */
	};
	char url[128], where[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/stores/%d/shared-budgets", cases[i].store);
		snprintf(where, sizeof(where), "b.store_id = %d", cases[i].store);
		char *want = expected_budgets(where, false);
		struct resp r = req("GET", url, tok(cases[i].user), NULL);

		cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
		cr_expect_str_eq(r.body, want, "%s as user %d", url, cases[i].user);
		cr_expect(json_object_is_type(r.json, json_type_array), "a bare array");
		for (size_t k = 0; k < json_object_array_length(r.json); k++)
			expect_budget_types(json_object_array_get_idx(r.json, k));
		cr_expect_not_null(resp_header(&r, "ETag"), "%s has an ETag", url);
		resp_free(&r);
		free(want);
	}
	cr_expect_eq(db_int("SELECT COUNT(*) FROM shared_budgets WHERE store_id = 3"), 0);

	/* The demo's budget 1 has spent something: the sum is not a zero by luck. */
	char *want = expected_budgets("b.id = 1", true);
	struct resp r = req("GET", "/v2/stores/1/shared-budgets", tok(MEMBER1), NULL);
	cr_expect_gt(jint(r.json, "0.consumed_budget"), 0);
	cr_expect_eq(jint(r.json, "0.id"), 1);
	cr_expect_str_eq(jtext(json_object_array_get_idx(r.json, 0)), want);
	cr_expect_str_eq(jstr(r.json, "0.currency"), "SEK");
	resp_free(&r);
	free(want);
}

Test(budgets, show_is_the_demo_byte_for_byte)
{
	static const struct {
		int store, id, user;
		const char *currency;
	} cases[] = {
		{ 1, 1, MEMBER1, "SEK" }, { 1, 2, ADMIN, "SEK" }, { 2, 3, MEMBER2, "NOK" },
		{ 7, 4, ADMIN, "PLN" },
	};
	char url[128], where[64], hdr[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/stores/%d/shared-budgets/%d", cases[i].store,
		    cases[i].id);
		snprintf(where, sizeof(where), "b.id = %d", cases[i].id);
		char *want = expected_budgets(where, true);
		struct resp r = req("GET", url, tok(cases[i].user), NULL);

		cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
		cr_expect_str_eq(r.body, want, "%s", url);
		expect_budget_types(r.json);
		cr_expect_str_eq(jstr(r.json, "currency"), cases[i].currency);

		/* Conditional read: the ETag again gives 304 and no body. */
		const char *etag = resp_header(&r, "ETag");
		cr_assert_not_null(etag, "%s has an ETag", url);
		snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
		resp_free(&r);
		r = req_ex("GET", url, tok(cases[i].user), NULL, 0, NULL, hdr);
		cr_expect_eq(r.status, 304, "%s with If-None-Match: %ld", url, r.status);
		cr_expect_eq(r.len, 0);
		resp_free(&r);
		free(want);
	}
}

Test(budgets, consumed_budget_is_what_its_campaigns_spent, .fini = remove_fixtures)
{
	long long id = add_budget("Budgets test spent", 100000);
	char url[128], want[256];

	snprintf(url, sizeof(url), "/v2/stores/1/shared-budgets/%lld", id);
	struct resp r = req("GET", url, tok(MEMBER1), NULL);
	snprintf(want, sizeof(want), "{\"id\":%lld,\"title\":\"Budgets test spent\","
	    "\"amount\":100000,\"consumed_budget\":0,\"currency\":\"SEK\"}", id);
	cr_expect_str_eq(r.body, want, "a budget nothing draws from has spent nothing");
	resp_free(&r);

	/* An ended campaign's clicks and orders still count: they were spent. */
	add_campaign(id);
	r = req("GET", url, tok(MEMBER1), NULL);
	snprintf(want, sizeof(want), "{\"id\":%lld,\"title\":\"Budgets test spent\","
	    "\"amount\":100000,\"consumed_budget\":%d,\"currency\":\"SEK\"}", id, FIXTURE_SPENT);
	cr_expect_str_eq(r.body, want);
	resp_free(&r);

	/* The list says the same, after the demo's budgets 1 and 2. */
	r = req("GET", "/v2/stores/1/shared-budgets", tok(MEMBER1), NULL);
	cr_expect_eq(json_object_array_length(r.json), 3);
	cr_expect_eq(jint(r.json, "2.id"), id);
	cr_expect_eq(jint(r.json, "2.consumed_budget"), FIXTURE_SPENT);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* Updates                                                             */
/* ------------------------------------------------------------------ */

Test(budgets, put_and_patch_keep_absent_fields, .fini = remove_fixtures)
{
	long long id = add_budget("Budgets test", 1000);
	char url[128], body[2048], want[2048];
	struct resp r;

	add_campaign(id);
	snprintf(url, sizeof(url), "/v2/stores/1/shared-budgets/%lld", id);

	/*
	 * Each step: method, body, then the title and amount the answer and the
	 * row must have. PUT and PATCH are the same operation: absent is kept.
	 */
	const char *long_title = repeat("\xc3\xa5", 255);	/* 255 characters, 510 bytes */
	static char long_body[2048];
	snprintf(long_body, sizeof(long_body), "{\"title\":\"%s\"}", long_title);
	const struct {
		const char *method, *body, *title;
		long long amount;
	} steps[] = {
		{ "PATCH", "{\"title\":\"Renamed\"}", "Renamed", 1000 },
		{ "PUT", "{\"amount\":2500}", "Renamed", 2500 },
		{ "PUT", "{}", "Renamed", 2500 },
		{ "PATCH", NULL, "Renamed", 2500 },
		{ "PATCH", "{\"title\":\"  Padded  \",\"amount\":\"300\"}", "Padded", 300 },
		{ "PUT", "{\"title\":\"Both\",\"amount\":0}", "Both", 0 },
		{ "PATCH", "{\"amount\":9000000000000}", "Both", 9000000000000LL },
		{ "PUT", long_body, long_title, 9000000000000LL },
		/* Unknown keys are ignored, never written. */
		{ "PATCH", "{\"store_id\":2,\"consumed_budget\":5,\"currency\":\"EUR\","
		    "\"id\":1}", long_title, 9000000000000LL },
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		r = req(steps[i].method, url, tok(MEMBER1), steps[i].body);
		cr_expect_eq(r.status, 200, "%s %s: %s", steps[i].method,
		    steps[i].body ? steps[i].body : "(none)", r.body);
		snprintf(want, sizeof(want), "{\"id\":%lld,\"title\":\"%s\",\"amount\":%lld,"
		    "\"consumed_budget\":%d,\"currency\":\"SEK\"}", id, steps[i].title,
		    steps[i].amount, FIXTURE_SPENT);
		cr_expect_str_eq(r.body, want, "%s %s", steps[i].method,
		    steps[i].body ? steps[i].body : "(none)");
		cr_expect_null(resp_header(&r, "ETag"), "no ETag on a write");
		resp_free(&r);
		char *row = budget_row(id), *tab = strchr(row, '\t');
		cr_assert_not_null(tab);
		*tab = '\0';
		cr_expect_str_eq(row, steps[i].title, "the row's title after step %zu", i);
		cr_expect_eq(atoll(tab + 1), steps[i].amount, "the row's amount after step %zu", i);
		free(row);
	}
	cr_expect_eq(db_int("SELECT COUNT(*) FROM shared_budgets WHERE created_at = " FIXTURE_AT
	    " AND store_id = 1"), 1, "still store 1's, and only one");

	/* Values as the query string, as Laravel's input() merges them. */
	snprintf(body, sizeof(body), "%s?amount=77", url);
	r = req("PATCH", body, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(jint(r.json, "amount"), 77);
	resp_free(&r);

	/* Nothing changed: updated_at stays (Eloquent saves dirty fields only). */
	snprintf(body, sizeof(body), "UPDATE shared_budgets SET updated_at = '2020-02-02 02:02:02' "
	    "WHERE id = %lld", id);
	free(sql(body));
	r = req("PUT", url, tok(MEMBER1), "{\"amount\":77}");
	cr_expect_eq(r.status, 200);
	resp_free(&r);
	snprintf(body, sizeof(body), "SELECT updated_at FROM shared_budgets WHERE id = %lld", id);
	char *at = sql(body);
	cr_expect_str_eq(at, "2020-02-02 02:02:02", "the same amount changes nothing");
	free(at);
	r = req("PUT", url, tok(MEMBER1), "{\"amount\":78}");
	cr_expect_eq(r.status, 200);
	resp_free(&r);
	at = sql(body);
	cr_expect_str_neq(at, "2020-02-02 02:02:02", "a new amount moves updated_at");
	free(at);
}

Test(budgets, update_validation, .fini = remove_fixtures)
{
	static char long_title[2048], long_multibyte[2048];
	snprintf(long_title, sizeof(long_title), "{\"title\":\"%s\"}", repeat("x", 256));
	snprintf(long_multibyte, sizeof(long_multibyte), "{\"title\":\"%s\"}",
	    repeat("\xc3\xa5", 256));
#define E1(field, msg) "{\"message\":\"" msg "\",\"errors\":{\"" field "\":[\"" msg "\"]}}"
#define TOO_LONG "The title field must not be greater than 255 characters."
#define NOT_STRING "The title field must be a string."
#define NOT_INT "The amount field must be an integer."
#define NEGATIVE "The amount field must be at least 0."
	const struct {
		const char *body;
		const char *want;
	} cases[] = {
		{ long_title, E1("title", TOO_LONG) },
		{ long_multibyte, E1("title", TOO_LONG) },
		{ "{\"title\":null}", E1("title", NOT_STRING) },
		{ "{\"title\":\"\"}", E1("title", NOT_STRING) },	/* empty is null */
		{ "{\"title\":\"   \"}", E1("title", NOT_STRING) },
		{ "{\"title\":12}", E1("title", NOT_STRING) },
		{ "{\"title\":[\"a\"]}", E1("title", NOT_STRING) },
		{ "{\"title\":{\"a\":1}}", E1("title", NOT_STRING) },
		{ "{\"amount\":-1}", E1("amount", NEGATIVE) },
		{ "{\"amount\":\"-5\"}", E1("amount", NEGATIVE) },
		{ "{\"amount\":1.5}", E1("amount", NOT_INT) },
		{ "{\"amount\":\"1.5\"}", E1("amount", NOT_INT) },
		{ "{\"amount\":\"abc\"}", E1("amount", NOT_INT) },
		{ "{\"amount\":\"12abc\"}", E1("amount", NOT_INT) },
		{ "{\"amount\":[1]}", E1("amount", NOT_INT) },
		{ "{\"amount\":null}", E1("amount", NOT_INT) },
		{ "{\"amount\":\"\"}", E1("amount", NOT_INT) },
		{ "{\"title\":null,\"amount\":null}", "{\"message\":\"" NOT_STRING
		    " (and 1 more error)\",\"errors\":{\"title\":[\"" NOT_STRING "\"],"
		    "\"amount\":[\"" NOT_INT "\"]}}" },
		{ "{\"title\":12,\"amount\":-1}", "{\"message\":\"" NOT_STRING
		    " (and 1 more error)\",\"errors\":{\"title\":[\"" NOT_STRING "\"],"
		    "\"amount\":[\"" NEGATIVE "\"]}}" },
		/* A valid field beside an invalid one is not written either. */
		{ "{\"title\":\"Not written\",\"amount\":-1}", E1("amount", NEGATIVE) },
		{ "{\"title\":\"Not written\",\"amount\":1.5}", E1("amount", NOT_INT) },
		{ "{\"title\":\"Not written\"", "{\"message\":\"Malformed JSON body.\"}" },
	};
	static const char *const methods[] = { "PUT", "PATCH" };
	long long id = add_budget("Budgets test kept", 4200);
	char url[128];

	snprintf(url, sizeof(url), "/v2/stores/1/shared-budgets/%lld", id);
	char *before = budget_row(id);
	for (size_t m = 0; m < 2; m++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct resp r = req(methods[m], url, tok(MEMBER1), cases[i].body);
			long want = strstr(cases[i].want, "Malformed") ? 400 : 422;

			cr_expect_eq(r.status, want, "%s %s: %ld %s", methods[m], cases[i].body,
			    r.status, r.body);
			cr_expect_str_eq(r.body, cases[i].want, "%s %s", methods[m], cases[i].body);
			resp_free(&r);
		}
	char *after = budget_row(id);
	cr_expect_str_eq(after, before, "refused updates wrote nothing");
	free(before);
	free(after);
}

/* ------------------------------------------------------------------ */
/* Deletes                                                             */
/* ------------------------------------------------------------------ */

#define IN_USE "The shared budget is in use by an active campaign."

Test(budgets, delete_refused_while_an_active_campaign_draws)
{
	/* The demo: budget 1 (offers 1, 2), 2 (offer 7, no end), 3 (offer 8), 4 (offer 12). */
	static const struct {
		int store, id, user;
	} cases[] = {
		{ 1, 1, MEMBER1 }, { 1, 2, ADMIN }, { 2, 3, MEMBER2 }, { 7, 4, ADMIN },
	};
	char *before = sql("SELECT GROUP_CONCAT(CONCAT_WS(':', id, title, amount) ORDER BY id) "
	    "FROM shared_budgets");
	char *links = sql("SELECT GROUP_CONCAT(CONCAT_WS(':', id, shared_budget_id) ORDER BY id) "
	    "FROM offers");
	char url[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/stores/%d/shared-budgets/%d", cases[i].store,
		    cases[i].id);
		struct resp r = req("DELETE", url, tok(cases[i].user), NULL);
		cr_expect_eq(r.status, 422, "%s: %ld %s", url, r.status, r.body);
		cr_expect_str_eq(r.body, E1("id", IN_USE), "%s", url);
		resp_free(&r);
	}
	char *after = sql("SELECT GROUP_CONCAT(CONCAT_WS(':', id, title, amount) ORDER BY id) "
	    "FROM shared_budgets");
	char *links_after = sql("SELECT GROUP_CONCAT(CONCAT_WS(':', id, shared_budget_id) "
	    "ORDER BY id) FROM offers");
	cr_expect_str_eq(after, before, "no budget deleted");
	cr_expect_str_eq(links_after, links, "no campaign lost its budget");
	free(before);
	free(after);
	free(links);
	free(links_after);
}

/*
 * The campaign's status decides: only an active one (not deleted, not
 * paused, started, not ended) holds the budget. The others lose the link.
 */
Test(budgets, delete_by_campaign_status, .fini = remove_fixtures)
{
	static const struct {
		const char *status, *set;
		long want;
	} cases[] = {
		{ "active", "valid_until = '2099-12-31 23:59:59'", 422 },
		{ "active without end", "valid_until = NULL", 422 },
		{ "active without start", "valid_from = NULL, valid_until = NULL", 422 },
		{ "ended", "valid_until = '2024-12-31 23:59:59'", 204 },
		{ "paused", "valid_until = NULL, paused_at = '2025-01-01 00:00:00'", 204 },
		{ "scheduled", "valid_from = '2099-01-01 00:00:00', valid_until = NULL", 204 },
		{ "deleted", "valid_until = NULL, deleted_at = '2025-01-01 00:00:00'", 204 },
	};
	char q[512], url[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		remove_fixtures();
		long long id = add_budget("Budgets test delete", 500);
		add_campaign(id);
		snprintf(q, sizeof(q), "UPDATE offers SET %s WHERE token = " FIXTURE_TOKEN,
		    cases[i].set);
		free(sql(q));
		snprintf(url, sizeof(url), "/v2/stores/1/shared-budgets/%lld", id);

		struct resp r = req("DELETE", url, tok(MEMBER1), NULL);
		cr_expect_eq(r.status, cases[i].want, "%s campaign: %ld %s", cases[i].status,
		    r.status, r.body);
		if (cases[i].want == 422)
			cr_expect_str_eq(r.body, E1("id", IN_USE));
		else
			cr_expect_eq(r.len, 0, "204 has no body");
		resp_free(&r);

		snprintf(q, sizeof(q), "SELECT COUNT(*) FROM shared_budgets WHERE id = %lld", id);
		cr_expect_eq(db_int(q), cases[i].want == 422 ? 1 : 0, "%s", cases[i].status);
		snprintf(q, sizeof(q), "SELECT COUNT(*) FROM offers WHERE token = " FIXTURE_TOKEN
		    " AND shared_budget_id = %lld", id);
		cr_expect_eq(db_int(q), cases[i].want == 422 ? 1 : 0,
		    "%s: the campaign keeps its budget only while it exists", cases[i].status);
	}
}

Test(budgets, delete_an_unused_budget, .fini = remove_fixtures)
{
	long long id = add_budget("Budgets test unused", 0);
	char url[128], q[128];

	snprintf(url, sizeof(url), "/v2/stores/1/shared-budgets/%lld", id);
	struct resp r = req("DELETE", url, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	cr_expect_eq(r.len, 0);
	resp_free(&r);
	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM shared_budgets WHERE id = %lld", id);
	cr_expect_eq(db_int(q), 0, "gone");

	/* Gone for every method now. */
	static const char *const methods[] = { "GET", "PUT", "PATCH", "DELETE" };
	for (size_t m = 0; m < 4; m++) {
		r = req(methods[m], url, tok(MEMBER1), m == 0 || m == 3 ? NULL : "{\"amount\":1}");
		expect_error(r, 404);
		resp_free(&r);
	}
	r = req("GET", "/v2/stores/1/shared-budgets", tok(MEMBER1), NULL);
	cr_expect_eq(json_object_array_length(r.json), 2, "the demo's two again: %s", r.body);
	resp_free(&r);

	/* An admin deletes any store's unused budget. */
	id = add_budget("Budgets test admin", 1);
	snprintf(url, sizeof(url), "/v2/stores/1/shared-budgets/%lld", id);
	r = req("DELETE", url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	resp_free(&r);
	cr_expect_eq(fixture_id(), 0);
}

/* ------------------------------------------------------------------ */
/* Who                                                                 */
/* ------------------------------------------------------------------ */

Test(budgets, another_stores_budget_is_not_found)
{
	char *before = sql("SELECT GROUP_CONCAT(CONCAT_WS(':', id, store_id, title, amount, "
	    "updated_at) ORDER BY id) FROM shared_budgets");
	static const char *const methods[] = { "GET", "PUT", "PATCH", "DELETE" };
	static const struct {
		const char *path;
		int user;
		long want;
	} cases[] = {
		/* Store 2's budget 3 through store 1's path, even for an admin. */
		{ "/v2/stores/1/shared-budgets/3", ADMIN, 404 },
		{ "/v2/stores/1/shared-budgets/3", MEMBER1, 404 },
		{ "/v2/stores/7/shared-budgets/1", ADMIN, 404 },
		/* Store 1's budget for store 2's member, by either path. */
		{ "/v2/stores/1/shared-budgets/1", MEMBER2, 404 },
		{ "/v2/stores/2/shared-budgets/1", MEMBER2, 404 },
		{ "/v2/stores/2/shared-budgets/3", MEMBER1, 404 },
		/* No such budget, store or id. */
		{ "/v2/stores/1/shared-budgets/999999", ADMIN, 404 },
		{ "/v2/stores/999999/shared-budgets/1", ADMIN, 404 },
		{ "/v2/stores/1/shared-budgets/abc", ADMIN, 404 },
		{ "/v2/stores/1/shared-budgets/0", ADMIN, 404 },
		/* Creators manage no store. */
		{ "/v2/stores/1/shared-budgets/1", CREATOR1, 403 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (size_t m = 0; m < 4; m++) {
			struct resp r = req(methods[m], cases[i].path, tok(cases[i].user),
			    m == 1 || m == 2 ? "{\"title\":\"Taken over\",\"amount\":1}" : NULL);
			cr_expect_eq(r.status, cases[i].want, "%s %s as %d: %ld %s", methods[m],
			    cases[i].path, cases[i].user, r.status, r.body);
			cr_expect_str_eq(r.body, error_body(cases[i].want), "%s %s", methods[m],
			    cases[i].path);
			resp_free(&r);
		}

	/* The list of another store. */
	static const struct {
		const char *path;
		int user;
		long want;
	} lists[] = {
		{ "/v2/stores/2/shared-budgets", MEMBER1, 404 },
		{ "/v2/stores/1/shared-budgets", MEMBER2, 404 },
		{ "/v2/stores/999999/shared-budgets", ADMIN, 404 },
		{ "/v2/stores/1/shared-budgets", CREATOR1, 403 },
		{ "/v2/stores/1/shared-budgets", 0, 401 },
	};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		struct resp r = req("GET", lists[i].path, lists[i].user ? tok(lists[i].user) : NULL,
		    NULL);
		expect_error(r, lists[i].want);
		cr_expect(strstr(r.body, "title") == NULL, "no budget data");
		resp_free(&r);
	}

	char *after = sql("SELECT GROUP_CONCAT(CONCAT_WS(':', id, store_id, title, amount, "
	    "updated_at) ORDER BY id) FROM shared_budgets");
	cr_expect_str_eq(after, before, "no budget changed");
	free(before);
	free(after);
}
