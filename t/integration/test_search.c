/*
 * test_search.c -- `query` searches through the trigram index (migration
 * 0014, src/search.c): each list answers the same rows as LIKE '%q%' over
 * the same columns (case and accents folded, short texts, numbers that are
 * ids too, LIKE's wildcards taken literally), and the index follows every
 * write of the searched columns (the triggers), checked against the index
 * made again from the rows.
 *
 * Fixtures: users 900401-900404 and pre-registered participants of offer 1
 * ("it-search-..."), removed at the end; offer 2 and store 3 are renamed
 * and named back.
 */
#include <stdbool.h>
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
	free(sql("DELETE FROM offer_users WHERE pre_registered_identifier LIKE 'it-search-%'"
	    " OR pre_registered_email LIKE 'it-search-%'"
	    " OR user_id BETWEEN 900401 AND 900404"));
	free(sql("DELETE FROM users WHERE id BETWEEN 900401 AND 900404"));
}

static void
fixtures(void)
{
	cleanup();
	free(sql("INSERT INTO users (id, username, email, client_id) VALUES"
	    " (900401, 'it-search-Åsa.Öberg', 'asa.oberg+it@example.com', 1),"
	    " (900402, 'it-search-ZOË', 'zoe.it@example.com', 1),"
	    " (900403, 'it-search-100%_off', 'percent.it@example.com', 1),"
	    " (900404, 'it-search-gone', 'gone.it@example.com', 1);"
	    " UPDATE users SET deleted_at = UTC_TIMESTAMP() WHERE id = 900404;"
	    " INSERT INTO offer_users (offer_id, user_id, status) VALUES"
	    " (1, 900401, 'open'), (1, 900402, 'accepted');"
	    " INSERT INTO offer_users (offer_id, pre_registered_identifier, status) VALUES"
	    " (1, 'it-search-prereg-åsa', 'open');"
	    " INSERT INTO offer_users (offer_id, pre_registered_email, status) VALUES"
	    " (1, 'it-search-zoe@example.com', 'open')"));
}

TestSuite(search, .init = fixtures, .fini = cleanup);

/* The ids of a list's whole answer (up to 100), joined by commas. */
static char *
api_ids(int user, const char *path, const char *query)
{
	char url[512];
	struct resp r;
	char *out;

	snprintf(url, sizeof(url), "%s%squery=%s&size=100", path, strchr(path, '?') ? "&" : "?",
	    urlenc(query));
	r = req("GET", url, tok(user), NULL);
	cr_assert_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
	cr_assert_lt(jint(r.json, "meta.total"), 100, "%s: the test reads one page", url);
	out = strdup(jids(jpath(r.json, "data")));
	resp_free(&r);
	return out;
}

/* Texts without LIKE's wildcards or quotes (they go into SQL literals). */
static const char *const texts[] = {
	"it-search", "SEARCH-å", "asa.ob", "Åsa", "ÅSA", "zoe", "zoë.it", "oberg+it",
	"example.com", "demo.metapic", "creator.one", "ab", "9004", "900402", "no such text",
	"it-search-g", "Nordic", "beauty", "campaign", "Fjord", "ho", "it",
};

Test(search, users_as_like)
{
	char q[1024];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *t = texts[i];
		bool number = strspn(t, "0123456789") == strlen(t);
		/* A number is an id as well. */
		snprintf(q, sizeof(q), "SELECT id FROM users WHERE deleted_at IS NULL AND"
		    " (id = %lld OR username LIKE CONCAT('%%', '%s', '%%') OR"
		    " email LIKE CONCAT('%%', '%s', '%%')) ORDER BY id LIMIT 99",
		    number ? atoll(t) : -1LL, t, t);
		char *want = sql_list(q), *got = api_ids(ADMIN, "/v2/users", t);
		cr_expect_str_eq(got, want, "query=%s", t);
		free(want);
		free(got);
	}
	/* Case and accents fold as LIKE folds them; the deleted user is out. */
	char *got = api_ids(ADMIN, "/v2/users", "åsa.öb");
	cr_expect_str_eq(got, "900401");
	free(got);
	got = api_ids(ADMIN, "/v2/users", "it-search-");
	cr_expect_str_eq(got, "900401,900402,900403");
	free(got);
	/* LIKE's wildcards are the characters themselves. */
	got = api_ids(ADMIN, "/v2/users", "100%_o");
	cr_expect_str_eq(got, "900403");
	free(got);
	got = api_ids(ADMIN, "/v2/users", "1_0");
	cr_expect_str_eq(got, "");
	free(got);
}

Test(search, stores_and_campaigns_as_like)
{
	char q[1024];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *t = texts[i];
		snprintf(q, sizeof(q), "SELECT id FROM stores WHERE deleted_at IS NULL AND"
		    " name LIKE CONCAT('%%', '%s', '%%') ORDER BY id LIMIT 99", t);
		char *want = sql_list(q), *got = api_ids(ADMIN, "/v2/stores", t);
		cr_expect_str_eq(got, want, "stores query=%s", t);
		free(want);
		free(got);

		/* Member 2's campaigns of store 1, every status but deleted. */
		snprintf(q, sizeof(q), "SELECT id FROM offers WHERE store_id = 1 AND"
		    " created_by = 2 AND deleted_at IS NULL AND (name LIKE CONCAT('%%', '%s', '%%')"
		    " OR campaign_title LIKE CONCAT('%%', '%s', '%%')) ORDER BY created_at DESC,"
		    " id DESC LIMIT 99", t, t);
		want = sql_list(q);
		got = api_ids(MEMBER1, "/v2/offers?created_by=2&statuses[]=active"
		    "&statuses[]=ended&statuses[]=scheduled&statuses[]=paused", t);
		cr_expect_str_eq(got, want, "offers query=%s", t);
		free(want);
		free(got);
	}
}

Test(search, participants_as_like)
{
	char q[2048];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *t = texts[i];
		snprintf(q, sizeof(q), "SELECT ou.id FROM offer_users ou LEFT JOIN users u"
		    " ON u.id = ou.user_id WHERE ou.offer_id = 1 AND"
		    " (u.username LIKE CONCAT('%%', '%s', '%%') OR u.email LIKE CONCAT('%%', '%s', '%%')"
		    " OR ou.pre_registered_identifier LIKE CONCAT('%%', '%s', '%%')"
		    " OR ou.pre_registered_email LIKE CONCAT('%%', '%s', '%%')) ORDER BY ou.id"
		    " LIMIT 99", t, t, t, t);
		char *want = sql_list(q), *got = api_ids(MEMBER1, "/v2/offers/1/participants", t);
		cr_expect_str_eq(got, want, "participants query=%s", t);
		free(got);
		got = api_ids(MEMBER1, "/v2/offers/1/participants-stats?start_date=2024-01-01"
		    "&end_date=2024-12-31", t);
		cr_expect_str_eq(got, want, "participants-stats query=%s", t);
		free(got);
		free(want);
	}
	/* Users and the pre-registered alike. */
	char *got = api_ids(MEMBER1, "/v2/offers/1/participants", "it-search");
	char *want = sql_list("SELECT id FROM offer_users WHERE offer_id = 1 AND (user_id IN"
	    " (900401, 900402) OR pre_registered_identifier LIKE 'it-search-%'"
	    " OR pre_registered_email LIKE 'it-search-%') ORDER BY id");
	cr_expect_str_eq(got, want);
	cr_expect_eq(strlen(want) > 0 && strchr(want, ',') != NULL, true);
	free(got);
	free(want);
}

/*
 * The rows of search_grams that the rows of one kind do not make, plus
 * the other way round: 0 when the index is exact. text is the searched
 * text of table t's row.
 */
static long long
index_drift(int kind, const char *table, const char *text)
{
	return sql_numberf("SELECT (SELECT COUNT(*) FROM search_grams g WHERE g.kind = %d AND"
	    " NOT EXISTS (SELECT 1 FROM %s t JOIN seq_1_to_600 s"
	    " ON s.seq <= CHAR_LENGTH(%s) - 2 WHERE t.id = g.id AND SUBSTRING(%s, s.seq, 3) = g.gram))"
	    " + (SELECT COUNT(*) FROM %s t JOIN seq_1_to_600 s ON s.seq <= CHAR_LENGTH(%s) - 2"
	    " WHERE NOT EXISTS (SELECT 1 FROM search_grams g WHERE g.kind = %d AND g.id = t.id"
	    " AND g.gram = SUBSTRING(%s, s.seq, 3)))",
	    kind, table, text, text, table, text, kind, text);
}

#define USERS_TEXT "CONCAT(t.username, CHAR(10), t.email)"
#define OFFERS_TEXT "CONCAT(t.name, CHAR(10), t.campaign_title)"

static void
expect_exact_index(const char *when)
{
	cr_expect_eq(index_drift(1, "users", USERS_TEXT), 0, "users %s", when);
	cr_expect_eq(index_drift(2, "stores", "t.name"), 0, "stores %s", when);
	cr_expect_eq(index_drift(3, "offers", OFFERS_TEXT), 0, "offers %s", when);
}

Test(search, the_index_follows_every_write)
{
	char *name = sql("SELECT name FROM offers WHERE id = 2"), *store = sql("SELECT name FROM"
	    " stores WHERE id = 3"), body[512];

	expect_exact_index("at the start");
	free(sql("UPDATE users SET username = 'it-search-renamed' WHERE id = 900402"));
	free(sql("UPDATE users SET email = 'moved.it@example.org' WHERE id = 900401"));
	free(sql("UPDATE users SET client_id = 2 WHERE id = 900403"));
	expect_exact_index("after users' updates");
	char *got = api_ids(ADMIN, "/v2/users", "renamed");
	cr_expect_str_eq(got, "900402");
	free(got);
	got = api_ids(ADMIN, "/v2/users", "search-ZOË");
	cr_expect_str_eq(got, "", "the old name is not found");
	free(got);

	/* A campaign renamed through the API, a store by SQL. */
	snprintf(body, sizeof(body), "{\"name\":\"it-search renamed campaign\"}");
	struct resp r = req("PATCH", "/v2/offers/2", tok(MEMBER1), body);
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	free(sql("UPDATE stores SET name = 'it-search renamed store' WHERE id = 3"));
	expect_exact_index("after a campaign and a store renamed");
	got = api_ids(MEMBER1, "/v2/offers?created_by=2", "renamed campaign");
	cr_expect_str_eq(got, "2");
	free(got);
	got = api_ids(ADMIN, "/v2/stores", "renamed store");
	cr_expect_str_eq(got, "3");
	free(got);

	/*
	 * Renames the collation calls equal ("ss" and "ß") still change the
	 * trigrams: the new text is found as LIKE finds it.
	 */
	free(sql("UPDATE stores SET name = 'it-search Strasse' WHERE id = 3"));
	free(sql("UPDATE stores SET name = 'it-search Straße' WHERE id = 3"));
	r = req("PATCH", "/v2/offers/2", tok(MEMBER1), "{\"name\":\"it-search Strasse sale\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	r = req("PATCH", "/v2/offers/2", tok(MEMBER1), "{\"name\":\"it-search Straße sale\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	expect_exact_index("after renames equal in the collation");
	char *want = sql_list("SELECT id FROM stores WHERE deleted_at IS NULL AND"
	    " name LIKE '%aße%' ORDER BY id");
	got = api_ids(ADMIN, "/v2/stores", "aße");
	cr_expect_str_eq(got, want);
	cr_expect(strstr(want, "3") != NULL, "%s", want);
	free(got);
	free(want);
	got = api_ids(MEMBER1, "/v2/offers?created_by=2", "aße sale");
	cr_expect_str_eq(got, "2");
	free(got);

	/* Back, and a user deleted outright. */
	free(sqlf("UPDATE offers SET name = '%s' WHERE id = 2", name));
	free(sqlf("UPDATE stores SET name = '%s' WHERE id = 3", store));
	free(sql("DELETE FROM offer_users WHERE user_id = 900402;"
	    " DELETE FROM users WHERE id = 900402"));
	expect_exact_index("after names back and a user deleted");
	free(name);
	free(store);
}
