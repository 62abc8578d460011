/*
 * test_participants_read.c -- reading a campaign's participants through
 * nginx (participants_read.c): the list, a card, whether a user takes
 * part (by id and by token), the click-activity count and the stats.
 *
 * Expected values come from the database, asked its own way: LOCATE()
 * for the LIKE filters, DATE() BETWEEN for the periods, one correlated
 * subquery per value and per event for the stats (the server groups the
 * events by user and source and joins the sums), and the stats' rounding
 * done here in integer arithmetic. Fixtures on offer 1 in March 2024,
 * where the demo has no events, give known numbers.
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

#define E1(key, msg) "{\"message\":\"" msg "\",\"errors\":{\"" key "\":[\"" msg "\"]}}"

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

/* The lines of a query's answer joined by commas (ids), into out. */
static void
db_list(const char *select, char *out, size_t sz)
{
	char *s = sql(select);

	for (char *p = s; *p; p++)
		if (*p == '\n')
			*p = ',';
	snprintf(out, sz, "%s", s);
	free(s);
}

static struct resp
get(int user, const char *url)
{
	return req("GET", url, tok(user), NULL);
}

/*
 * Fixtures, all on offer 1 (store 1, SEK) and found by markers: clicks
 * of country 'ZY', orders 'PREADFIX-n', links and overrides 900201-299.
 * Costs of offer 1: source 0 cpc 150 cpa 0.08, 1 200 / 0.10, 2 180 /
 * 0.08, none for 3 and 4. Participant 3 (user 7) overrides source 1's
 * cpc (300, its cpa NULL: the campaign's 0.10) and source 3 (50 / 0.2).
 *
 * Over 2024-03-01..03:
 *   user 7 (participant 3): clicks 00:00:00 on the 1st (150), 1 (300),
 *     3 (50), 4 at 23:59:59 on the 3rd (0): 4 clicks, 500; one on each
 *     side of the period. Orders 10000 (src 0: 800), 3333 pending (src 1:
 *     333.3), 2501 (src 3: 500.2); rejected and later ones left out.
 *     Value 15834, cost 2133.5: gp 13700.5 -> 13701, ratio 7.4216 -> 7.42.
 *     Links: one in the period (others outside, or for offer 2).
 *   user 14 (participant 10): 2 clicks of source 2 (360), a refund of
 *     -1001 (src 2: -80.08): cost 279.92, gp -1280.92 -> -1281, ratio
 *     -3.576 -> -3.58; a link at 23:59:59 on the 3rd.
 *   user 6 (participant 2): an order of 5000 on source 4 (costs 0):
 *     gp 5000, ratio null.
 *   user 11 (participant 7): a click on the 5th only.
 *   user 7 on offer 2 and user 15 (no participant) on offer 1: ignored.
 */
static void
add_fixtures(void)
{
	free(sql("INSERT INTO offer_user_cost_overrides (id, offer_user_id, source, cpc, cpa, "
	    "currency) VALUES (900201, 3, 1, 300, NULL, 'SEK'), (900202, 3, 3, 50, 0.2, 'SEK')"));
	free(sql("INSERT INTO clicks (occurred_at, store_id, user_id, offer_id, source, cost, "
	    "earning, currency, country) VALUES "
	    "('2024-02-29 23:59:59', 1, 7, 1, 0, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-01 00:00:00', 1, 7, 1, 0, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-01 10:00:00', 1, 7, 1, 1, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-02 10:00:00', 1, 7, 1, 3, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-03 23:59:59', 1, 7, 1, 4, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-04 00:00:00', 1, 7, 1, 0, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-02 09:00:00', 1, 14, 1, 2, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-02 09:30:00', 1, 14, 1, 2, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-05 12:00:00', 1, 11, 1, 0, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-02 11:00:00', 1, 7, 2, 0, 0, 0, 'SEK', 'ZY'), "
	    "('2024-03-02 11:00:00', 1, 15, 1, 0, 0, 0, 'SEK', 'ZY')"));
	free(sql("INSERT INTO orders (occurred_at, store_id, user_id, offer_id, source, "
	    "external_id, status, order_value, commission, earning, currency) VALUES "
	    "('2024-03-01 12:00:00', 1, 7, 1, 0, 'PREADFIX-1', 'approved', 10000, 0, 0, 'SEK'), "
	    "('2024-03-02 12:00:00', 1, 7, 1, 1, 'PREADFIX-2', 'pending', 3333, 0, 0, 'SEK'), "
	    "('2024-03-02 13:00:00', 1, 7, 1, 3, 'PREADFIX-3', 'approved', 2501, 0, 0, 'SEK'), "
	    "('2024-03-03 12:00:00', 1, 7, 1, 0, 'PREADFIX-4', 'rejected', 50000, 0, 0, 'SEK'), "
	    "('2024-03-04 00:00:00', 1, 7, 1, 0, 'PREADFIX-5', 'approved', 7000, 0, 0, 'SEK'), "
	    "('2024-03-02 10:00:00', 1, 14, 1, 2, 'PREADFIX-6', 'approved', -1001, 0, 0, 'SEK'), "
	    "('2024-03-02 10:00:00', 1, 6, 1, 4, 'PREADFIX-7', 'approved', 5000, 0, 0, 'SEK'), "
	    "('2024-03-02 10:00:00', 1, 7, 2, 0, 'PREADFIX-8', 'approved', 9999, 0, 0, 'SEK')"));
	free(sql("INSERT INTO affiliate_links (id, user_id, store_id, offer_id, url, original_url, "
	    "created_at, updated_at) VALUES "
	    "(900201, 7, 1, 1, 'https://nordicbeauty.se/f1', 'https://nordicbeauty.se/f1', "
	    "'2024-03-02 08:00:00', '2024-03-02 08:00:00'), "
	    "(900202, 7, 1, 1, 'https://nordicbeauty.se/f2', 'https://nordicbeauty.se/f2', "
	    "'2024-03-05 08:00:00', '2024-03-05 08:00:00'), "
	    "(900203, 7, 1, 2, 'https://nordicbeauty.se/f3', 'https://nordicbeauty.se/f3', "
	    "'2024-03-02 08:00:00', '2024-03-02 08:00:00'), "
	    "(900204, 14, 1, 1, 'https://nordicbeauty.se/f4', 'https://nordicbeauty.se/f4', "
	    "'2024-03-03 23:59:59', '2024-03-03 23:59:59'), "
	    "(900205, 14, 1, 1, 'https://nordicbeauty.se/f5', 'https://nordicbeauty.se/f5', "
	    "'2024-02-29 23:59:59', '2024-02-29 23:59:59')"));
	/* Tags of other stores: store 2's on user 3, store 1's on user 5. */
	free(sql("INSERT INTO user_tag_user (user_tag_id, user_id) VALUES (5, 3), (4, 5)"));
}

/*
 * Removes every fixture. Through system() and not sql(): an assertion in
 * a .fini is not reported, so a failure is written to
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
	    "DELETE FROM orders WHERE external_id LIKE 'PREADFIX-%%'; "
	    "DELETE FROM clicks WHERE country = 'ZY'; "
	    "DELETE FROM affiliate_links WHERE id BETWEEN 900201 AND 900299; "
	    "DELETE FROM offer_user_cost_overrides WHERE id BETWEEN 900201 AND 900299; "
	    "DELETE FROM user_tag_user WHERE (user_tag_id, user_id) IN ((5, 3), (4, 5));\"",
	    getenv("METAPIC_DIR"));
	if ((rc = system(line)) == 0)
		return;
	snprintf(path, sizeof(path), "%s/cleanup-failures", getenv("METAPIC_DIR"));
	if ((f = fopen(path, "a")) != NULL) {
		fprintf(f, "participants_read::%s: removing the fixtures (%d)\n",
		    criterion_current_test->name, rc);
		fclose(f);
	}
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers/{offer_id}/participants                              */
/* ------------------------------------------------------------------ */

/* The ids of the list's page (data.*.id), as "1,2,3". */
static const char *
page_ids(const struct resp *r)
{
	return jids(jpath(r->json, "data"));
}

/* Each item as the database holds it, key by key (todo aside). */
static void
expect_items_as_stored(struct json_object *data)
{
	char q[1536], want[1024];

	for (size_t i = 0; i < json_object_array_length(data); i++) {
		struct json_object *it = json_object_array_get_idx(data, i);
		long long id = jint(it, "id");

		snprintf(q, sizeof(q), "SELECT CONCAT('{\\\"id\\\":', ou.id, ',\\\"offer_id\\\":', "
		    "ou.offer_id, ',\\\"user_id\\\":', IFNULL(ou.user_id, 'null'), "
		    "',\\\"display_name\\\":', IFNULL(CONCAT('\\\"', COALESCE("
		    "ou.pre_registered_identifier, ou.pre_registered_email), '\\\"'), 'null'), "
		    "',\\\"clicks\\\":', ou.click_count, ',\\\"status\\\":\\\"', ou.status, "
		    "'\\\"', "
		    "IFNULL(CONCAT(',\\\"pre_registered_identifier\\\":\\\"', "
		    "ou.pre_registered_identifier, '\\\"'), ''), "
		    "IFNULL(CONCAT(',\\\"pre_registered_email\\\":\\\"', ou.pre_registered_email, "
		    "'\\\"'), ''), ',\\\"payment_amount\\\":', "
		    "IFNULL(ou.payment_amount, 'null'), '}') "
		    "FROM offer_users ou WHERE ou.id = %lld", id);
		db_text(q, want, sizeof(want));
		/* The item without its todo list, which participants.c shapes. */
		struct json_object *copy = NULL;
		cr_assert_eq(json_object_deep_copy(it, &copy, NULL), 0);
		json_object_object_del(copy, "todo");
		cr_expect_str_eq(jtext(copy), want, "participant %lld", id);
		json_object_put(copy);
	}
}

Test(participants_read, list_shape_order_and_pages)
{
	struct resp r = get(MEMBER1, "/v2/offers/1/participants");
	char want[512];
	long long total = sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1");

	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(jkeys(r.json), "data,links,meta");
	cr_expect_str_eq(jkeys(jpath(r.json, "meta")),
	    "current_page,from,last_page,links,path,per_page,to,total");
	cr_expect_eq(jint(r.json, "meta.per_page"), 10);
	cr_expect_eq(jint(r.json, "meta.total"), total);
	cr_expect_eq(jint(r.json, "meta.last_page"), (total + 9) / 10);
	db_list("SELECT id FROM offer_users WHERE offer_id = 1 ORDER BY id LIMIT 10", want,
	    sizeof(want));
	cr_expect_str_eq(page_ids(&r), want);
	/* Keys in the reference's order; a user shows neither pre_registered_* key. */
	cr_expect_str_eq(jkeys(jpath(r.json, "data.0")),
	    "id,offer_id,user_id,display_name,clicks,status,todo,payment_amount");
	expect_items_as_stored(jpath(r.json, "data"));
	cr_expect_eq(json_object_array_length(jpath(r.json, "data.0.todo")),
	    (size_t)sql_number("SELECT COUNT(*) FROM offer_todo_items WHERE offer_id = 1"));
	cr_expect_str_eq(jkeys(jpath(r.json, "data.0.todo.0")), "key,text,value");
	resp_free(&r);

	/* Page 2: the rest, the pre-registered ones with their own key. */
	r = get(ADMIN, "/v2/offers/1/participants?page=2");
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	db_list("SELECT id FROM offer_users WHERE offer_id = 1 ORDER BY id LIMIT 10 OFFSET 10",
	    want, sizeof(want));
	cr_expect_str_eq(page_ids(&r), want);
	cr_expect_eq(jint(r.json, "meta.current_page"), 2);
	cr_expect_eq(jint(r.json, "meta.from"), 11);
	expect_items_as_stored(jpath(r.json, "data"));
	resp_free(&r);

	r = get(MEMBER1, "/v2/offers/1/participants/11");
	cr_expect_str_eq(jkeys(r.json), "id,offer_id,user_id,display_name,clicks,status,"
	    "pre_registered_email,todo,payment_amount,social_media,tags");
	resp_free(&r);
	r = get(MEMBER1, "/v2/offers/1/participants?size=3&page=4");
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(page_ids(&r), "10,11,12");
	cr_expect_str_eq(jkeys(jpath(r.json, "data.1")), "id,offer_id,user_id,display_name,"
	    "clicks,status,pre_registered_email,todo,payment_amount");
	cr_expect_str_eq(jkeys(jpath(r.json, "data.2")), "id,offer_id,user_id,display_name,"
	    "clicks,status,pre_registered_identifier,todo,payment_amount");
	cr_expect_str_eq(jstr(r.json, "data.2.display_name"), "future.star");
	cr_expect_eq(jint(r.json, "meta.per_page"), 3);
	resp_free(&r);

	/* Store 2's campaign to its member; a payment amount on offer 7. */
	r = get(MEMBER2, "/v2/offers/8/participants?size=100");
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	db_list("SELECT id FROM offer_users WHERE offer_id = 8 ORDER BY id", want, sizeof(want));
	cr_expect_str_eq(page_ids(&r), want);
	expect_items_as_stored(jpath(r.json, "data"));
	resp_free(&r);
	r = get(ADMIN, "/v2/offers/7/participants");
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	expect_items_as_stored(jpath(r.json, "data"));
	resp_free(&r);

	/* A campaign without participants: an empty page. */
	r = get(MEMBER1, "/v2/offers/3/participants");
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(jtext(jpath(r.json, "data")), "[]");
	cr_expect_eq(jint(r.json, "meta.total"), 0);
	resp_free(&r);
}

Test(participants_read, list_filters)
{
	static const char *const statuses[] = { "suggestion", "open", "accepted",
		"product_sent", "have_received", "done", "store_denied" };
	static const char *const queries[] = {
		"creator",		/* a username (3) and a pre-registered address (11) */
		"CREATOR.ONE",		/* any case */
		"example.com",		/* the pre-registered address */
		"future",		/* the pre-registered identifier */
		"lindqvist@demo",	/* a user's address */
		"demo.metapic.test",	/* every user */
		"a",
		"%",			/* LIKE's wildcards are plain characters */
		"_",
		"no such creator",
	};
	char url[512], q[1024], want[512];

	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offers/1/participants?status=%s&size=100",
		    statuses[i]);
		struct resp r = get(MEMBER1, url);
		cr_assert_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
		snprintf(q, sizeof(q), "SELECT id FROM offer_users WHERE offer_id = 1 "
		    "AND status = '%s' ORDER BY id", statuses[i]);
		db_list(q, want, sizeof(want));
		cr_expect(want[0] != '\0', "offer 1 has a participant in status %s", statuses[i]);
		cr_expect_str_eq(page_ids(&r), want, "%s", url);
		for (size_t k = 0; k < json_object_array_length(jpath(r.json, "data")); k++) {
			snprintf(q, sizeof(q), "data.%zu.status", k);
			cr_expect_str_eq(jstr(r.json, q), statuses[i]);
		}
		resp_free(&r);
	}

	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offers/1/participants?size=100&query=%s",
		    urlenc(queries[i]));
		struct resp r = get(ADMIN, url);
		cr_assert_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
		snprintf(q, sizeof(q), "SELECT ou.id FROM offer_users ou LEFT JOIN users u "
		    "ON u.id = ou.user_id WHERE ou.offer_id = 1 AND ("
		    "LOCATE('%s', u.username) > 0 OR LOCATE('%s', u.email) > 0 OR "
		    "LOCATE('%s', ou.pre_registered_identifier) > 0 OR "
		    "LOCATE('%s', ou.pre_registered_email) > 0) ORDER BY ou.id",
		    queries[i], queries[i], queries[i], queries[i]);
		db_list(q, want, sizeof(want));
		cr_expect_str_eq(page_ids(&r), want, "query %s", queries[i]);
		resp_free(&r);
	}
	/* The table's expectations, spelt out for the telling ones. */
	struct resp r = get(ADMIN, "/v2/offers/1/participants?query=creator");
	cr_expect_str_eq(page_ids(&r), "1,11");
	resp_free(&r);
	r = get(ADMIN, "/v2/offers/1/participants?query=%25");
	cr_expect_eq(jint(r.json, "meta.total"), 0);
	resp_free(&r);

	/* Both filters at once; from a JSON body as the reference sends them. */
	r = get(MEMBER1, "/v2/offers/1/participants?query=creator&status=open");
	cr_expect_str_eq(page_ids(&r), "11");
	resp_free(&r);
	r = req("GET", "/v2/offers/1/participants", tok(MEMBER1),
	    "{\"query\":\"demo.metapic\",\"status\":\"accepted\"}");
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	db_list("SELECT id FROM offer_users WHERE offer_id = 1 AND status = 'accepted' "
	    "AND user_id IS NOT NULL ORDER BY id", want, sizeof(want));
	cr_expect_str_eq(page_ids(&r), want);
	resp_free(&r);
	/* A filter keeps to its campaign: creator.one is in offer 2 too. */
	r = get(MEMBER1, "/v2/offers/2/participants?query=creator.one");
	cr_expect_str_eq(page_ids(&r), "14");
	resp_free(&r);
}

Test(participants_read, list_validation)
{
	static const struct {
		const char *query, *body;
	} cases[] = {
		{ "status=finished", E1("status", "The selected status is invalid.") },
		{ "status=OPEN", E1("status", "The selected status is invalid.") },
		{ "status[]=open", E1("status", "The status field must be a string.") },
		{ "query[]=a", E1("query", "The query field must be a string.") },
		{ "size=0", E1("size", "The size field must be at least 1.") },
		{ "size=101", E1("size", "The size field must not be greater than 100.") },
		{ "size=ten", E1("size", "The size field must be an integer.") },
		{ "page=0", E1("page", "The page field must be at least 1.") },
		{ "page=1.5", E1("page", "The page field must be an integer.") },
		{ "status=x&size=0",
		    "{\"message\":\"The selected status is invalid. (and 1 more error)\","
		    "\"errors\":{\"status\":[\"The selected status is invalid.\"],"
		    "\"size\":[\"The size field must be at least 1.\"]}}" },
	};
	char url[512], longq[300];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offers/1/participants?%s", cases[i].query);
		struct resp r = get(MEMBER1, url);
		expect_error(r, 422);
		cr_expect_str_eq(r.body, cases[i].body, "%s", cases[i].query);
		resp_free(&r);
	}
	/* 255 characters pass, 256 do not. */
	memset(longq, 'x', 256);
	longq[256] = '\0';
	snprintf(url, sizeof(url), "/v2/offers/1/participants?query=%s", longq);
	struct resp r = get(MEMBER1, url);
	expect_error(r, 422);
	cr_expect_str_eq(r.body, E1("query",
	    "The query field must not be greater than 255 characters."));
	resp_free(&r);
	longq[255] = '\0';
	snprintf(url, sizeof(url), "/v2/offers/1/participants?query=%s", longq);
	r = get(MEMBER1, url);
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_eq(jint(r.json, "meta.total"), 0);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers/{offer_id}/participants/{id}                         */
/* ------------------------------------------------------------------ */

/* The user's accounts as the card shows them, from the database. */
static void
want_social(long long user, char *out, size_t sz)
{
	char q[768];

	snprintf(q, sizeof(q), "SELECT CONCAT('[', IFNULL(GROUP_CONCAT(CONCAT('{\\\"id\\\":', "
	    "id, ',\\\"platform\\\":\\\"', platform, '\\\",\\\"identifier\\\":\\\"', identifier, "
	    "'\\\",\\\"url\\\":\\\"', url, '\\\",\\\"followers\\\":', followers, '}') "
	    "ORDER BY id SEPARATOR ','), ''), ']') FROM social_media_accounts WHERE user_id = %lld",
	    user);
	db_text(q, out, sz);
}

/* The user's tags whose ids the condition w (on t) keeps, from the database. */
static void
want_tags(long long user, const char *w, char *out, size_t sz)
{
	char q[1024];

	snprintf(q, sizeof(q), "SELECT CONCAT('[', IFNULL(GROUP_CONCAT(CONCAT('{\\\"id\\\":', "
	    "t.id, ',\\\"name\\\":\\\"', t.name, '\\\",\\\"slug\\\":\\\"', t.slug, "
	    "'\\\",\\\"access_level\\\":', t.access_level, ',\\\"store_id\\\":', "
	    "IFNULL(t.store_id, 'null'), '}') ORDER BY t.id SEPARATOR ','), ''), ']') "
	    "FROM user_tags t WHERE t.id IN (SELECT user_tag_id FROM user_tag_user "
	    "WHERE user_id = %lld) AND (%s)", user, w);
	db_text(q, out, sz);
}

Test(participants_read, show_card, .init = add_fixtures, .fini = remove_fixtures)
{
	static const struct {
		int caller, offer, participant;
		long long user;
		const char *visible;	/* the tags the caller sees (SQL on t) */
		const char *tag_ids;
	} cases[] = {
		/* user 3: tags 1 (admins'), 2 (everyone's), 4 (store 1's), 5 (store 2's) */
		{ MEMBER1, 1, 1, 3, "t.access_level = 1 OR "
		    "(t.access_level = 2 AND t.store_id = 1)", "2,4" },
		{ ADMIN, 1, 1, 3, "1 = 1", "1,2,4,5" },
		/* user 5: tags 3, 5 (store 2's), 4 (store 1's) */
		{ MEMBER2, 8, 22, 5, "t.access_level = 1 OR "
		    "(t.access_level = 2 AND t.store_id = 2)", "3,5" },
		{ ADMIN, 8, 22, 5, "1 = 1", "3,4,5" },
		/* user 14: tag 6 (everyone's), no accounts; user 41: neither */
		{ MEMBER1, 1, 10, 14, "t.access_level = 1", "6" },
		{ ADMIN, 1, 13, 41, "1 = 1", "" },
	};
	char url[256], social[2048], tags[2048], base[2048], q[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offers/%d/participants/%d", cases[i].offer,
		    cases[i].participant);
		struct resp r = get(cases[i].caller, url);
		cr_assert_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
		cr_expect_str_eq(jkeys(r.json), "id,offer_id,user_id,display_name,clicks,status,"
		    "todo,payment_amount,social_media,tags");
		cr_expect_eq(jint(r.json, "id"), cases[i].participant);
		cr_expect_eq(jint(r.json, "user_id"), cases[i].user);
		want_social(cases[i].user, social, sizeof(social));
		cr_expect_str_eq(jtext(jpath(r.json, "social_media")), social, "%s", url);
		want_tags(cases[i].user, cases[i].visible, tags, sizeof(tags));
		cr_expect_str_eq(jtext(jpath(r.json, "tags")), tags, "%s as %d", url,
		    cases[i].caller);
		cr_expect_str_eq(jids(jpath(r.json, "tags")), cases[i].tag_ids, "%s as %d", url,
		    cases[i].caller);
		/* The rest is the list's item. */
		snprintf(q, sizeof(q), "/v2/offers/%d/participants?size=100", cases[i].offer);
		struct resp l = get(cases[i].caller, q);
		struct json_object *data = jpath(l.json, "data");
		for (size_t k = 0; k < json_object_array_length(data); k++) {
			struct json_object *it = json_object_array_get_idx(data, k);
			if (jint(it, "id") == cases[i].participant)
				snprintf(base, sizeof(base), "%s", jtext(it));
		}
		json_object_object_del(r.json, "social_media");
		json_object_object_del(r.json, "tags");
		cr_expect_str_eq(jtext(r.json), base, "%s", url);
		resp_free(&l);
		resp_free(&r);
	}
	/* Spelt out: creator.one's two accounts. */
	struct resp r = get(MEMBER1, "/v2/offers/1/participants/1");
	cr_expect_str_eq(jtext(jpath(r.json, "social_media")),
	    "[{\"id\":1,\"platform\":\"instagram\",\"identifier\":\"creatorone\","
	    "\"url\":\"https://instagram.example/creatorone\",\"followers\":15400},"
	    "{\"id\":2,\"platform\":\"tiktok\",\"identifier\":\"creator.one\","
	    "\"url\":\"https://tiktok.example/@creator.one\",\"followers\":8200}]");
	cr_expect_str_eq(jtext(jpath(r.json, "tags.1")),
	    "{\"id\":4,\"name\":\"Nordic Beauty favourites\",\"slug\":\"nordic-beauty-favourites\","
	    "\"access_level\":2,\"store_id\":1}");
	resp_free(&r);

	/* Pre-registered: no user, empty lists. */
	r = get(MEMBER1, "/v2/offers/1/participants/12");
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(jkeys(r.json), "id,offer_id,user_id,display_name,clicks,status,"
	    "pre_registered_identifier,todo,payment_amount,social_media,tags");
	cr_expect_null(jpath(r.json, "user_id"));
	cr_expect_str_eq(jtext(jpath(r.json, "social_media")), "[]");
	cr_expect_str_eq(jtext(jpath(r.json, "tags")), "[]");
	resp_free(&r);

	/* A participant of another campaign under this one's path: none. */
	r = get(MEMBER1, "/v2/offers/2/participants/1");
	expect_error(r, 404);
	resp_free(&r);
	r = get(MEMBER1, "/v2/offers/1/participants/999999999");
	expect_error(r, 404);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* Whether a user takes part: by campaign id and by token              */
/* ------------------------------------------------------------------ */

/* The list's item of participant id of offer, as text, into out. */
static void
list_item(int offer, long long id, char *out, size_t sz)
{
	char url[128];
	struct resp l;
	struct json_object *data;

	snprintf(url, sizeof(url), "/v2/offers/%d/participants?size=100", offer);
	l = get(ADMIN, url);
	data = jpath(l.json, "data");
	out[0] = '\0';
	for (size_t k = 0; k < json_object_array_length(data); k++)
		if (jint(json_object_array_get_idx(data, k), "id") == id)
			snprintf(out, sz, "%s", jtext(json_object_array_get_idx(data, k)));
	resp_free(&l);
}

Test(participants_read, user_in_campaign)
{
	static const struct {
		int caller, offer;
		const char *user;
		long status;
		long long participant;
	} cases[] = {
		{ MEMBER1, 1, "3", 200, 1 }, { ADMIN, 1, "41", 200, 13 },
		{ MEMBER1, 2, "3", 200, 14 }, { MEMBER2, 8, "5", 200, 22 },
		{ MEMBER1, 1, "5", 404, 0 },	/* a user, not in it */
		{ MEMBER1, 1, "2", 404, 0 },
		{ ADMIN, 1, "999999999", 404, 0 },
		{ MEMBER1, 1, "0", 404, 0 },
		{ MEMBER1, 1, "abc", 404, 0 },
		{ MEMBER1, 1, "-3", 404, 0 },
		{ MEMBER1, 8, "5", 404, 0 },	/* another store's campaign */
		{ MEMBER2, 1, "3", 404, 0 },
		{ CREATOR1, 1, "3", 403, 0 },	/* store routes: creators 403 */
	};
	char url[128], want[2048];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offers/%d/users/%s", cases[i].offer, cases[i].user);
		struct resp r = get(cases[i].caller, url);
		if (cases[i].status == 200) {
			cr_expect_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
			list_item(cases[i].offer, cases[i].participant, want, sizeof(want));
			cr_expect_str_eq(r.body, want, "%s", url);
		} else
			expect_error(r, (int)cases[i].status);
		resp_free(&r);
	}
}

Test(participants_read, user_in_campaign_by_token)
{
	static const struct {
		int caller, offer;
		long long user;
		long status;
		long long participant;
	} cases[] = {
		{ CREATOR1, 1, 3, 200, 1 },	/* the user themselves */
		{ ADMIN, 1, 3, 200, 1 },
		{ MEMBER1, 1, 7, 200, 3 },
		{ MEMBER2, 8, 5, 200, 22 },
		{ CREATOR2, 8, 5, 200, 22 },
		{ CREATOR1, 8, 3, 404, 0 },	/* themselves, not in it */
		{ CREATOR2, 1, 5, 404, 0 },
		{ MEMBER1, 1, 5, 404, 0 },
		{ ADMIN, 1, 999999999, 404, 0 },
		{ CREATOR2, 1, 3, 403, 0 },	/* another creator */
		{ CREATOR1, 8, 5, 403, 0 },
		{ CREATOR1, 1, 6, 403, 0 },
		{ MEMBER2, 1, 3, 403, 0 },	/* another store's member */
		{ MEMBER1, 8, 5, 403, 0 },
	};
	char url[128], q[128], token[32], want[2048];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(q, sizeof(q), "SELECT token FROM offers WHERE id = %d", cases[i].offer);
		db_text(q, token, sizeof(token));
		snprintf(url, sizeof(url), "/v2/offer-by-token/%s/users/%lld", token,
		    cases[i].user);
		struct resp r = get(cases[i].caller, url);
		if (cases[i].status == 200) {
			cr_expect_eq(r.status, 200, "%s as %d: %ld %s", url, cases[i].caller,
			    r.status, r.body);
			list_item(cases[i].offer, cases[i].participant, want, sizeof(want));
			cr_expect_str_eq(r.body, want, "%s", url);
		} else {
			cr_expect_eq(r.status, cases[i].status, "%s as %d: %ld %s", url,
			    cases[i].caller, r.status, r.body);
			expect_error(r, (int)cases[i].status);
		}
		resp_free(&r);
	}
	/* An unknown token: 404 to the user themselves and to an admin. */
	struct resp r = get(CREATOR1, "/v2/offer-by-token/zzzzzzzzzzzzzzzz/users/3");
	expect_error(r, 404);
	resp_free(&r);
	r = get(ADMIN, "/v2/offer-by-token/zzzzzzzzzzzzzzzz/users/3");
	expect_error(r, 404);
	resp_free(&r);
	r = req("GET", "/v2/offer-by-token/zzzzzzzzzzzzzzzz/users/3", NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* Who may read                                                        */
/* ------------------------------------------------------------------ */

Test(participants_read, who_may_read)
{
	static const char *const paths[] = {
		"/v2/offers/%d/participants",
		"/v2/offers/%d/participants-stats?start_date=2025-01-01&end_date=2025-01-31",
		"/v2/offers/%d/participants-count-by-click-activity?start_date=2025-01-01"
		"&end_date=2025-01-31",
	};
	static const struct {
		int offer, user;
		long status;
	} cases[] = {
		{ 1, ADMIN, 200 }, { 1, MEMBER1, 200 }, { 8, MEMBER2, 200 }, { 8, ADMIN, 200 },
		{ 1, MEMBER2, 404 }, { 8, MEMBER1, 404 },
		{ 6, MEMBER1, 404 },	/* deleted */
		{ 999999999, ADMIN, 404 },
		{ 1, CREATOR1, 403 }, { 8, CREATOR2, 403 },
	};
	char url[256];

	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(url, sizeof(url), paths[p], cases[i].offer);
			struct resp r = get(cases[i].user, url);
			cr_expect_eq(r.status, cases[i].status, "%s as %d: %ld %s", url,
			    cases[i].user, r.status, r.body);
			if (cases[i].status != 200)
				expect_error(r, (int)cases[i].status);
			resp_free(&r);
			r = req("GET", url, NULL, NULL);
			expect_error(r, 401);
			resp_free(&r);
		}
	/* A card: only through its own campaign and store. */
	static const struct {
		const char *path;
		int user;
		long status;
	} cards[] = {
		{ "/v2/offers/1/participants/1", MEMBER1, 200 },
		{ "/v2/offers/8/participants/22", MEMBER2, 200 },
		{ "/v2/offers/1/participants/1", MEMBER2, 404 },
		{ "/v2/offers/8/participants/22", MEMBER1, 404 },
		{ "/v2/offers/1/participants/1", CREATOR1, 403 },	/* even their own */
		{ "/v2/offers/8/participants/1", ADMIN, 404 },
	};
	for (size_t i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
		struct resp r = get(cards[i].user, cards[i].path);
		cr_expect_eq(r.status, cards[i].status, "%s as %d: %ld %s", cards[i].path,
		    cards[i].user, r.status, r.body);
		if (cards[i].status != 200)
			expect_error(r, (int)cards[i].status);
		resp_free(&r);
	}
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers/{offer_id}/participants-count-by-click-activity      */
/* ------------------------------------------------------------------ */

/* {"active":n,"inactive":n} of offer over [start, end], from the database. */
static void
want_activity(int offer, const char *start, const char *end, char *out, size_t sz)
{
	char q[1024];

	snprintf(q, sizeof(q), "SELECT CONCAT('{\\\"active\\\":', IFNULL(SUM(a), 0), "
	    "',\\\"inactive\\\":', IFNULL(SUM(1 - a), 0), '}') FROM (SELECT "
	    "IFNULL(ou.user_id IN (SELECT c.user_id FROM clicks c WHERE c.offer_id = %d AND "
	    "c.user_id IS NOT NULL AND DATE(c.occurred_at) BETWEEN '%s' AND '%s'), 0) AS a "
	    "FROM offer_users ou WHERE ou.offer_id = %d) x", offer, start, end, offer);
	db_text(q, out, sz);
}

static struct resp
get_activity(int user, int offer, const char *start, const char *end)
{
	char url[256];

	snprintf(url, sizeof(url), "/v2/offers/%d/participants-count-by-click-activity?"
	    "start_date=%s&end_date=%s", offer, start, end);
	return get(user, url);
}

Test(participants_read, click_activity, .init = add_fixtures, .fini = remove_fixtures)
{
	static const struct {
		int offer;
		const char *start, *end, *want;
	} known[] = {
		/* users 7 and 14 in the period; 11 only on the 5th */
		{ 1, "2024-03-01", "2024-03-03", "{\"active\":2,\"inactive\":11}" },
		{ 1, "2024-02-29", "2024-02-29", "{\"active\":1,\"inactive\":12}" },
		{ 1, "2024-03-04", "2024-03-05", "{\"active\":2,\"inactive\":11}" },
		{ 1, "2024-03-03", "2024-03-03", "{\"active\":1,\"inactive\":12}" },
		{ 1, "2023-01-01", "2023-12-31", "{\"active\":0,\"inactive\":13}" },
		{ 3, "2024-01-01", "2030-12-31", "{\"active\":0,\"inactive\":0}" },
	};
	char want[128], start[16], end[16], mid[16];

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		struct resp r = get_activity(MEMBER1, known[i].offer, known[i].start, known[i].end);
		cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
		cr_expect_str_eq(r.body, known[i].want, "offer %d %s..%s", known[i].offer,
		    known[i].start, known[i].end);
		want_activity(known[i].offer, known[i].start, known[i].end, want, sizeof(want));
		cr_expect_str_eq(r.body, want);
		resp_free(&r);
	}

	/* The demo's clicks: the last 60 days and parts of them. */
	db_text("SELECT UTC_DATE() - INTERVAL 60 DAY", start, sizeof(start));
	db_text("SELECT UTC_DATE()", end, sizeof(end));
	db_text("SELECT UTC_DATE() - INTERVAL 30 DAY", mid, sizeof(mid));
	static const struct {
		int offer, user;
	} demo[] = { { 1, MEMBER1 }, { 2, MEMBER1 }, { 7, ADMIN }, { 8, MEMBER2 }, { 10, MEMBER2 },
		{ 12, ADMIN } };
	for (size_t i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
		const char *periods[][2] = { { start, end }, { start, mid }, { mid, mid },
			{ mid, end } };
		for (size_t k = 0; k < 4; k++) {
			struct resp r = get_activity(demo[i].user, demo[i].offer, periods[k][0],
			    periods[k][1]);
			cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
			want_activity(demo[i].offer, periods[k][0], periods[k][1], want,
			    sizeof(want));
			cr_expect_str_eq(r.body, want, "offer %d %s..%s", demo[i].offer,
			    periods[k][0], periods[k][1]);
			resp_free(&r);
		}
	}
	/* Offer 1 over the whole demo period: most are active, never the pre-registered. */
	struct resp r = get_activity(MEMBER1, 1, start, end);
	cr_expect(jint(r.json, "active") >= 5, "%s", r.body);
	cr_expect(jint(r.json, "inactive") >= 2, "%s", r.body);
	resp_free(&r);

	/* Dates in a JSON body. */
	r = req("GET", "/v2/offers/1/participants-count-by-click-activity", tok(ADMIN),
	    "{\"start_date\":\"2024-03-01\",\"end_date\":\"2024-03-03\"}");
	cr_expect_str_eq(r.body, "{\"active\":2,\"inactive\":11}");
	resp_free(&r);
}

/* The 422s of both dated routes, looped over both. */
Test(participants_read, date_validation)
{
	static const struct {
		const char *query, *body;
	} cases[] = {
		{ "",
		    "{\"message\":\"The start date field is required. (and 1 more error)\","
		    "\"errors\":{\"start_date\":[\"The start date field is required.\"],"
		    "\"end_date\":[\"The end date field is required.\"]}}" },
		{ "start_date=2025-01-01", E1("end_date", "The end date field is required.") },
		{ "end_date=2025-01-01", E1("start_date", "The start date field is required.") },
		{ "start_date=&end_date=2025-01-01",
		    E1("start_date", "The start date field is required.") },
		{ "start_date=2025-1-5&end_date=2025-01-10",
		    E1("start_date", "The start date field must match the format Y-m-d.") },
		{ "start_date=2025-01-05&end_date=2025-01-10%2010:00:00",
		    E1("end_date", "The end date field must match the format Y-m-d.") },
		{ "start_date=today&end_date=2025-01-10",
		    E1("start_date", "The start date field must be a valid date.") },
		{ "start_date=2023-02-29&end_date=2023-03-10",
		    E1("start_date", "The start date field must be a valid date.") },
		{ "start_date=2025-01-01&end_date=2025-13-01",
		    E1("end_date", "The end date field must be a valid date.") },
		{ "start_date=2025-01-02&end_date=2025-01-01",
		    E1("end_date",
			"The end date field must be a date after or equal to start date.") },
		{ "start_date[]=2025-01-01&end_date=2025-01-02",
		    E1("start_date", "The start date field must be a valid date.") },
	};
	static const char *const paths[] = { "participants-count-by-click-activity",
		"participants-stats" };
	char url[512];

	for (size_t p = 0; p < 2; p++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(url, sizeof(url), "/v2/offers/1/%s?%s", paths[p], cases[i].query);
			struct resp r = get(MEMBER1, url);
			expect_error(r, 422);
			cr_expect_str_eq(r.body, cases[i].body, "%s", url);
			resp_free(&r);
		}
	/* The same day twice is a period of one day. */
	struct resp r = get_activity(MEMBER1, 1, "2025-01-01", "2025-01-01");
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers/{offer_id}/participants-stats                        */
/* ------------------------------------------------------------------ */

#define MAX_ROWS 64

/* A participant's expected stats. */
struct exp_row {
	long long id, user_id;	/* user_id 0: pre-registered */
	char name[128], status[32];
	long long clicks, links, gp, ratio100;
	int has_ratio;
};

/* num / den rounded half away from zero, as MariaDB's ROUND of a DECIMAL. */
static long long
div_round(__int128 num, __int128 den)
{
	int neg = (num < 0) != (den < 0);
	__int128 a = num < 0 ? -num : num, b = den < 0 ? -den : den;
	__int128 q = (2 * a + b) / (2 * b);

	return (long long)(neg ? -q : q);
}

/*
 * The stats of every participant of offer over [start, end], by id, from
 * one correlated subquery per value: each click priced by its own scalar
 * subqueries (the override, else the campaign's cost), each order the
 * same; the cpa part in millionths (exact: cpa has 6 places). Returns the
 * number of rows.
 */
static size_t
expected_stats(int offer, const char *start, const char *end, struct exp_row *rows)
{
	char q[4000], w[128], *out, *line, *save = NULL;
	size_t n = 0;

	snprintf(w, sizeof(w), "BETWEEN '%s' AND '%s'", start, end);
	snprintf(q, sizeof(q),
	    "SELECT ou.id, IFNULL(ou.user_id, 0), IFNULL(COALESCE(ou.pre_registered_identifier, "
	    "ou.pre_registered_email), ''), ou.status, "
	    "(SELECT COUNT(*) FROM clicks c WHERE c.offer_id = ou.offer_id AND c.user_id = "
	    "ou.user_id AND DATE(c.occurred_at) %s), "
	    "(SELECT COUNT(*) FROM affiliate_links l WHERE l.offer_id = ou.offer_id AND "
	    "l.user_id = ou.user_id AND DATE(l.created_at) %s), "
	    "(SELECT IFNULL(SUM(x.order_value), 0) FROM orders x WHERE x.offer_id = ou.offer_id "
	    "AND x.user_id = ou.user_id AND x.status <> 'rejected' AND DATE(x.occurred_at) %s), "
	    "(SELECT IFNULL(SUM(IFNULL((SELECT v.cpc FROM offer_user_cost_overrides v WHERE "
	    "v.offer_user_id = ou.id AND v.source = c.source), IFNULL((SELECT t.cpc FROM "
	    "offer_traffic_source_costs t WHERE t.offer_id = ou.offer_id AND t.source = c.source), "
	    "0))), 0) FROM clicks c WHERE c.offer_id = ou.offer_id AND c.user_id = ou.user_id AND "
	    "DATE(c.occurred_at) %s), "
	    "(SELECT CAST(IFNULL(SUM(x.order_value * IFNULL((SELECT v.cpa FROM "
	    "offer_user_cost_overrides v WHERE v.offer_user_id = ou.id AND v.source = x.source), "
	    "IFNULL((SELECT t.cpa FROM offer_traffic_source_costs t WHERE t.offer_id = ou.offer_id "
	    "AND t.source = x.source), 0))), 0) * 1000000 AS SIGNED) FROM orders x WHERE "
	    "x.offer_id = ou.offer_id AND x.user_id = ou.user_id AND x.status <> 'rejected' AND "
	    "DATE(x.occurred_at) %s) "
	    "FROM offer_users ou WHERE ou.offer_id = %d ORDER BY ou.id", w, w, w, w, w, offer);
	out = sql(q);
	for (line = strtok_r(out, "\n", &save); line && n < MAX_ROWS;
	    line = strtok_r(NULL, "\n", &save)) {
		struct exp_row *e = &rows[n++];
		long long value, cpc, cpa6;
		char *f[9];
		int k = 0;

		/* An empty display name is two tabs in a row: split by hand. */
		for (char *p = line; k < 9; k++) {
			f[k] = p;
			if ((p = strchr(p, '\t')) == NULL) {
				k++;
				break;
			}
			*p++ = '\0';
		}
		cr_assert_eq(k, 9, "a stats row of %d columns", k);
		memset(e, 0, sizeof(*e));
		e->id = atoll(f[0]);
		e->user_id = atoll(f[1]);
		snprintf(e->name, sizeof(e->name), "%s", f[2]);
		snprintf(e->status, sizeof(e->status), "%s", f[3]);
		e->clicks = e->user_id ? atoll(f[4]) : 0;
		e->links = atoll(f[5]);
		value = atoll(f[6]);
		cpc = atoll(f[7]);
		cpa6 = atoll(f[8]);
		__int128 cost6 = (__int128)cpc * 1000000 + cpa6;
		e->gp = div_round((__int128)value * 1000000 - cost6, 1000000);
		e->has_ratio = e->user_id != 0 && cost6 != 0;
		if (e->has_ratio)
			e->ratio100 = div_round((__int128)value * 100000000, cost6);
	}
	free(out);
	return n;
}

/* Appends row e as the answer writes it. */
static void
put_row(char *out, size_t sz, const struct exp_row *e)
{
	char user[24], name[160], links[24], gp[24], ratio[40];
	long long a = e->ratio100 < 0 ? -e->ratio100 : e->ratio100;

	snprintf(user, sizeof(user), e->user_id ? "%lld" : "null", e->user_id);
	if (e->name[0])
		snprintf(name, sizeof(name), "\"%s\"", e->name);
	else
		snprintf(name, sizeof(name), "null");
	snprintf(links, sizeof(links), e->user_id ? "%lld" : "null", e->links);
	snprintf(gp, sizeof(gp), e->user_id ? "%lld" : "null", e->gp);
	if (e->has_ratio)
		snprintf(ratio, sizeof(ratio), "%s%lld.%02lld", e->ratio100 < 0 ? "-" : "",
		    a / 100, a % 100);
	else
		snprintf(ratio, sizeof(ratio), "null");
	snprintf(out + strlen(out), sz - strlen(out),
	    "%s{\"id\":%lld,\"user_id\":%s,\"display_name\":%s,\"clicks\":%lld,\"status\":\"%s\","
	    "\"links_created\":%s,\"estimated_gp\":%s,\"estimated_earning_to_cost_ratio\":%s}",
	    out[strlen(out) - 1] == '[' ? "" : ",", e->id, user, name, e->clicks, e->status,
	    links, gp, ratio);
}

/* The sort of the answer: a column (NULL: id) and a direction. */
static const char *sort_col;
static int sort_desc;

/* Whether e has a value for the sort column, and which (NULL sorts first). */
static int
sort_key(const struct exp_row *e, long long *v)
{
	if (sort_col == NULL) {
		*v = e->id;
		return 1;
	}
	if (strcmp(sort_col, "clicks") == 0) {
		*v = e->clicks;
		return 1;
	}
	if (strcmp(sort_col, "links_created") == 0)
		*v = e->links;
	else if (strcmp(sort_col, "estimated_gp") == 0)
		*v = e->gp;
	else {
		*v = e->ratio100;
		return e->has_ratio;
	}
	return e->user_id != 0;
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct exp_row *a = pa, *b = pb;
	long long va, vb;
	int ha = sort_key(a, &va), hb = sort_key(b, &vb), c;

	if (ha != hb)
		c = ha - hb;
	else if (ha && va != vb)
		c = va < vb ? -1 : 1;
	else
		c = a->id < b->id ? -1 : a->id > b->id;
	return sort_desc ? -c : c;
}

/* The expected data array of rows sorted by col (NULL: id) and dir. */
static void
expected_data(struct exp_row *rows, size_t n, const char *col, int desc, size_t from,
    size_t count, char *out, size_t sz)
{
	sort_col = col;
	sort_desc = desc;
	qsort(rows, n, sizeof(*rows), cmp_rows);
	snprintf(out, sz, "[");
	for (size_t i = from; i < n && i < from + count; i++)
		put_row(out, sz, &rows[i]);
	snprintf(out + strlen(out), sz - strlen(out), "]");
}

static struct resp
get_stats(int user, int offer, const char *start, const char *end, const char *extra)
{
	char url[512];

	snprintf(url, sizeof(url), "/v2/offers/%d/participants-stats?start_date=%s&end_date=%s%s%s",
	    offer, start, end, extra[0] ? "&" : "", extra);
	return get(user, url);
}

/* Every sort, both ways, over offer's participants for [start, end]. */
static void
expect_every_sort(int user, int offer, const char *start, const char *end)
{
	static const char *const cols[] = { NULL, "clicks", "links_created", "estimated_gp",
		"estimated_earning_to_cost_ratio" };
	struct exp_row rows[MAX_ROWS];
	size_t n = expected_stats(offer, start, end, rows);
	static char want[32768];
	char extra[128];

	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		for (int desc = 0; desc < 2; desc++) {
			if (cols[c] == NULL && desc)
				continue;
			if (cols[c])
				snprintf(extra, sizeof(extra), "size=100&sort_by=%s:%s", cols[c],
				    desc ? "desc" : "asc");
			else
				snprintf(extra, sizeof(extra), "size=100");
			expected_data(rows, n, cols[c], desc, 0, MAX_ROWS, want, sizeof(want));
			struct resp r = get_stats(user, offer, start, end, extra);
			cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
			cr_expect_str_eq(jtext(jpath(r.json, "data")), want, "offer %d %s..%s %s",
			    offer, start, end, extra);
			cr_expect_eq(jint(r.json, "meta.total"), (long long)n);
			resp_free(&r);
		}
}

Test(participants_read, stats_known_numbers, .init = add_fixtures, .fini = remove_fixtures)
{
	static const char want[] = "["
	    "{\"id\":1,\"user_id\":3,\"display_name\":null,\"clicks\":0,\"status\":\"accepted\","
	    "\"links_created\":0,\"estimated_gp\":0,\"estimated_earning_to_cost_ratio\":null},"
	    "{\"id\":2,\"user_id\":6,\"display_name\":null,\"clicks\":0,\"status\":\"open\","
	    "\"links_created\":0,\"estimated_gp\":5000,\"estimated_earning_to_cost_ratio\":null},"
	    "{\"id\":3,\"user_id\":7,\"display_name\":null,\"clicks\":4,\"status\":\"suggestion\","
	    "\"links_created\":1,\"estimated_gp\":13701,\"estimated_earning_to_cost_ratio\":7.42}]";
	struct resp r;

	r = get_stats(MEMBER1, 1, "2024-03-01", "2024-03-03", "size=3");
	cr_assert_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(jtext(jpath(r.json, "data")), want);
	cr_expect_str_eq(jkeys(r.json), "data,links,meta");
	cr_expect_eq(jint(r.json, "meta.total"), 13);
	cr_expect_eq(jint(r.json, "meta.per_page"), 3);
	resp_free(&r);

	/* A refund: negative gp and ratio, rounded away from zero. */
	r = get_stats(ADMIN, 1, "2024-03-01", "2024-03-03", "sort_by=estimated_gp:asc&size=1");
	cr_expect_str_eq(jtext(jpath(r.json, "data")),
	    "[{\"id\":11,\"user_id\":null,\"display_name\":\"new.creator@example.com\","
	    "\"clicks\":0,\"status\":\"open\",\"links_created\":null,\"estimated_gp\":null,"
	    "\"estimated_earning_to_cost_ratio\":null}]");
	resp_free(&r);
	r = get_stats(ADMIN, 1, "2024-03-01", "2024-03-03", "active=1");
	cr_expect_str_eq(jtext(jpath(r.json, "data.1")),
	    "{\"id\":10,\"user_id\":14,\"display_name\":null,\"clicks\":2,\"status\":\"open\","
	    "\"links_created\":1,\"estimated_gp\":-1281,"
	    "\"estimated_earning_to_cost_ratio\":-3.58}");
	cr_expect_str_eq(jids(jpath(r.json, "data")), "3,10");
	resp_free(&r);
	/* Pre-registered: clicks 0 and nulls, the display name theirs. */
	r = get_stats(MEMBER1, 1, "2024-03-01", "2024-03-03", "query=future");
	cr_expect_str_eq(jtext(jpath(r.json, "data")),
	    "[{\"id\":12,\"user_id\":null,\"display_name\":\"future.star\",\"clicks\":0,"
	    "\"status\":\"suggestion\",\"links_created\":null,\"estimated_gp\":null,"
	    "\"estimated_earning_to_cost_ratio\":null}]");
	resp_free(&r);

	/* The ends of the period: a day each side moves the edge events in. */
	r = get_stats(MEMBER1, 1, "2024-02-29", "2024-03-04", "active=1");
	cr_expect_str_eq(jids(jpath(r.json, "data")), "3,10");
	cr_expect_eq(jint(r.json, "data.0.clicks"), 6);
	cr_expect_eq(jint(r.json, "data.1.links_created"), 2);
	resp_free(&r);
	r = get_stats(MEMBER1, 1, "2024-03-03", "2024-03-03", "");
	cr_expect_eq(jint(r.json, "data.2.clicks"), 1);
	cr_expect_eq(jint(r.json, "data.2.estimated_gp"), 0);	/* a click of source 4: 0 */
	cr_expect_null(jpath(r.json, "data.2.estimated_earning_to_cost_ratio"));
	resp_free(&r);

	/* The same numbers from the database's own arithmetic, every sort. */
	expect_every_sort(MEMBER1, 1, "2024-03-01", "2024-03-03");
	expect_every_sort(ADMIN, 1, "2024-02-29", "2024-03-05");
}

/* The demo's events: the last 60 days and parts of them, from SQL. */
Test(participants_read, stats_demo_events)
{
	static const struct {
		int offer, user;
	} cases[] = { { 1, MEMBER1 }, { 2, MEMBER1 }, { 7, ADMIN }, { 8, MEMBER2 },
		{ 10, MEMBER2 }, { 12, ADMIN } };
	char start[16], end[16], mid[16];
	struct exp_row rows[MAX_ROWS];
	size_t n;
	int ratios = 0;

	db_text("SELECT UTC_DATE() - INTERVAL 60 DAY", start, sizeof(start));
	db_text("SELECT UTC_DATE()", end, sizeof(end));
	db_text("SELECT UTC_DATE() - INTERVAL 20 DAY", mid, sizeof(mid));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_every_sort(cases[i].user, cases[i].offer, start, end);
		expect_every_sort(cases[i].user, cases[i].offer, mid, end);
	}
	/* The demo holds what the test is about: overrides, orders, ratios. */
	n = expected_stats(1, start, end, rows);
	for (size_t i = 0; i < n; i++)
		ratios += rows[i].has_ratio;
	cr_expect(ratios > 3, "%d ratios", ratios);
	cr_expect(sql_number("SELECT COUNT(DISTINCT user_id) FROM orders WHERE offer_id = 1 "
	    "AND status <> 'rejected' AND occurred_at >= UTC_DATE() - INTERVAL 60 DAY") > 3);
	cr_expect(sql_number("SELECT COUNT(*) FROM clicks WHERE offer_id = 1 AND user_id = 3 "
	    "AND source = 1") > 0, "participant 1's overridden source has clicks");
	cr_expect(sql_number("SELECT COUNT(*) FROM orders WHERE offer_id = 8 AND user_id = 5 "
	    "AND source = 0 AND status <> 'rejected'") > 0,
	    "participant 22's override (cpa NULL) has orders");
}

Test(participants_read, stats_filters_and_pages, .init = add_fixtures,
    .fini = remove_fixtures)
{
	static const struct {
		const char *extra, *ids;
	} cases[] = {
		{ "active=1", "3,10" },
		{ "active=0&size=20", "1,2,4,5,6,7,8,9,11,12,13" },
		{ "active=0", "1,2,4,5,6,7,8,9,11,12" },
		{ "query=erik", "3" },
		{ "query=erik&active=0", "" },
		{ "query=demo.metapic&active=0", "1,2,4,5,6,7,8,9,13" },
		{ "query=example.com", "11" },
		{ "query=%25", "" },
		{ "sort_by=clicks:desc&size=2", "3,10" },
		{ "sort_by=clicks:desc&size=2&page=2", "13,12" },
		{ "sort_by=estimated_gp:desc&size=4", "3,2,13,9" },
		{ "sort_by=estimated_earning_to_cost_ratio:desc&size=3", "3,10,13" },
		{ "sort_by=links_created:asc&size=3", "11,12,1" },
		{ "active=1&sort_by=estimated_gp:asc", "10,3" },
	};
	char start[16], end[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = get_stats(MEMBER1, 1, "2024-03-01", "2024-03-03", cases[i].extra);
		cr_assert_eq(r.status, 200, "%s: %ld %s", cases[i].extra, r.status, r.body);
		cr_expect_str_eq(jids(jpath(r.json, "data")), cases[i].ids, "%s", cases[i].extra);
		resp_free(&r);
	}
	/* Totals follow the filters, not the page. */
	struct resp r = get_stats(MEMBER1, 1, "2024-03-01", "2024-03-03", "active=0&size=1");
	cr_expect_eq(jint(r.json, "meta.total"), 11);
	cr_expect_eq(jint(r.json, "meta.last_page"), 11);
	resp_free(&r);

	/* active over the demo's period against its own count. */
	db_text("SELECT UTC_DATE() - INTERVAL 60 DAY", start, sizeof(start));
	db_text("SELECT UTC_DATE()", end, sizeof(end));
	for (int a = 0; a < 2; a++) {
		char q[512], want[256];
		snprintf(q, sizeof(q), "SELECT ou.id FROM offer_users ou WHERE ou.offer_id = 1 "
		    "AND %s (SELECT 1 FROM clicks c WHERE c.offer_id = 1 AND "
		    "c.user_id = ou.user_id AND DATE(c.occurred_at) BETWEEN '%s' AND '%s') "
		    "ORDER BY ou.id", a ? "EXISTS" : "NOT EXISTS", start, end);
		db_list(q, want, sizeof(want));
		r = get_stats(ADMIN, 1, start, end, a ? "active=1&size=100" : "active=0&size=100");
		cr_expect_str_eq(jids(jpath(r.json, "data")), want, "active=%d: %s, want %s", a,
		    jids(jpath(r.json, "data")), want);
		resp_free(&r);
	}
}

Test(participants_read, stats_validation)
{
	static const struct {
		const char *extra, *body;
	} cases[] = {
		{ "active=true", E1("active", "The active field must be true or false.") },
		{ "active=2", E1("active", "The active field must be true or false.") },
		{ "active=yes", E1("active", "The active field must be true or false.") },
		{ "sort_by=clicks", E1("sort_by", "The sort by field format is invalid.") },
		{ "sort_by=clicks:up", E1("sort_by", "The sort by field format is invalid.") },
		{ "sort_by=id:asc", E1("sort_by", "The selected sort by is invalid.") },
		{ "sort_by=status:desc", E1("sort_by", "The selected sort by is invalid.") },
		{ "sort_by=clicks%20:asc", E1("sort_by", "The sort by field format is invalid.") },
		{ "size=0", E1("size", "The size field must be at least 1.") },
		{ "size=101", E1("size", "The size field must not be greater than 100.") },
		{ "page=0", E1("page", "The page field must be at least 1.") },
		{ "query[]=x", E1("query", "The query field must be a string.") },
		{ "active=x&sort_by=x",
		    "{\"message\":\"The active field must be true or false. (and 1 more error)\","
		    "\"errors\":{\"active\":[\"The active field must be true or false.\"],"
		    "\"sort_by\":[\"The sort by field format is invalid.\"]}}" },
	};
	char longq[300], extra[320];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = get_stats(MEMBER1, 1, "2025-01-01", "2025-01-31", cases[i].extra);
		expect_error(r, 422);
		cr_expect_str_eq(r.body, cases[i].body, "%s", cases[i].extra);
		resp_free(&r);
	}
	memset(longq, 'q', 256);
	longq[256] = '\0';
	snprintf(extra, sizeof(extra), "query=%s", longq);
	struct resp r = get_stats(MEMBER1, 1, "2025-01-01", "2025-01-31", extra);
	expect_error(r, 422);
	cr_expect_str_eq(r.body, E1("query",
	    "The query field must not be greater than 255 characters."));
	resp_free(&r);

	/* The reference's example: every input in a JSON body. */
	r = req("GET", "/v2/offers/1/participants-stats", tok(MEMBER1),
	    "{\"query\":\"ybyjpjaoupodixqwh\",\"active\":false,\"start_date\":\"2023-01-24\","
	    "\"end_date\":\"2093-09-05\",\"sort_by\":\"links_created:desc\"}");
	cr_expect_eq(r.status, 200, "%ld %s", r.status, r.body);
	cr_expect_str_eq(jtext(jpath(r.json, "data")), "[]");
	resp_free(&r);
}
