/*
 * test_offers.c -- writing campaigns through nginx: create with every
 * field (what lands in each table, exact decimals, the token), the
 * skipped targets, every 422, all or nothing, update (absent fields kept,
 * the window checked against what is stored, todo items kept by key,
 * costs and targets replaced), delete, pause and unpause, the image
 * upload, and adding targets. Reading: test_offers_list.c.
 *
 * Campaigns made here are named "it-offers-..." and removed by
 * remove_test_offers(), with the shared budgets titled the same way.
 */
#include <regex.h>
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

static void
remove_test_offers(void)
{
	free(sql("DELETE FROM offers WHERE name LIKE 'it-offers-%'"));
	free(sql("DELETE FROM shared_budgets WHERE title LIKE 'it-offers-%'"));
}

/* Rows of every table a campaign's write touches, as one line. malloc'd. */
static char *
write_counts(void)
{
	return sql("SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM offers),"
	    " (SELECT COUNT(*) FROM shared_budgets), (SELECT COUNT(*) FROM offer_todo_items),"
	    " (SELECT COUNT(*) FROM offer_traffic_source_costs),"
	    " (SELECT COUNT(*) FROM offer_targets), (SELECT COUNT(*) FROM offer_users))");
}

/* POSTs body as a new campaign of store store_id; returns its id (asserts 201). */
static long long
create(int user, int store_id, const char *body)
{
	char url[64];

	snprintf(url, sizeof(url), "/v2/stores/%d/offers", store_id);
	struct resp r = req("POST", url, tok(user), body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "data.id");
	resp_free(&r);
	return id;
}

/* Sends method path as user with body and expects one 422 error body, exactly. */
static void
expect_422(int user, const char *method, const char *path, const char *body,
    const char *want)
{
	struct resp r = req(method, path, tok(user), body);

	cr_expect_eq(r.status, 422, "%s %s: %ld %s", method, body, r.status, r.body);
	cr_expect_str_eq(r.body, want, "%s", body);
	resp_free(&r);
}

/* {"message": m, "errors": {key: [m]}} */
static char *
error_of(const char *key, const char *m)
{
	char *b = malloc(strlen(key) + 2 * strlen(m) + 64);

	cr_assert_not_null(b);
	sprintf(b, "{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}", m, key, m);
	return b;
}

static const char full_body[] =
    "{\"store_group_id\": 1, \"type\": \"suggestion\", \"name\": \"it-offers-full\","
    " \"campaign_title\": \"Summer campaign\", \"campaign_text\": \"This is a summer campaign!\","
    " \"has_product_seeding\": true, \"has_onetime_payment\": true, \"per_user_limit\": true,"
    " \"one_time_payment\": 59764, \"budget_limit\": 500, \"max_clicks\": 9,"
    " \"valid_from\": \"2025-04-03T15:53:23\", \"valid_until\": \"2037-06-30\","
    " \"todo\": [\"Post a story!\", \"Tag us\", \"Post a story!\"],"
    " \"show_for_advertiser\": true, \"priority_after\": 17,"
    " \"shared_budget\": {\"title\": \"it-offers-budget\", \"amount\": 10000},"
    " \"targets\": {\"0\": [], \"user_ids\": [3, 5, 1, 999999], \"user_tag_ids\": [2, 7, 5],"
    "   \"store_group_ids\": [1, 2], \"emails\": [\"it.new@example.com\","
    "   \"creator.two@demo.metapic.test\"], \"social_media_identifiers\": [\"it-newface\"],"
    "   \"client_ids\": [1, 2], \"revenue_tier_ids\": [3, 4]},"
    " \"traffic_sources_costs\": [{\"source\": 1, \"cpc\": 230, \"cpa\": 0.2,"
    "   \"invoice_cpc\": 250, \"invoice_cpa\": 0.25, \"user_revenue\": 1},"
    "   {\"source\": 0, \"cpc\": 1, \"cpa\": \"0.000001\"}]}";

/* The skipped targets of full_body for store 1, computed from the demo:
 * user 5 is blocklisted, 1 is staff (no market), 999999 is no one; tag 7
 * is blocklisted, tag 5 belongs to store 2; group 2, client 2 and tier 4
 * are Norway's; creator.two is user 5. */
static const char full_skipped[] =
    "{\"skipped_targets\":{\"user_ids\":[1,5,999999],\"user_tag_ids\":[5,7],"
    "\"store_group_ids\":[2],\"emails\":[\"creator.two@demo.metapic.test\"],"
    "\"client_ids\":[2],\"revenue_tier_ids\":[4]}}";

Test(offers, create_writes_every_table)
{
	char q[512], *s, hdr[128];
	regex_t re;

	remove_test_offers();
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: offers-%ld-%d", (long)time(NULL), getpid());
	struct resp r = req_ex("POST", "/v2/stores/1/offers", tok(MEMBER1), full_body, 0, NULL,
	    hdr);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "data,warnings");
	cr_expect_str_eq(jkeys(jpath(r.json, "data")), "id,campaign_title,campaign_text,"
	    "has_product_seeding,has_onetime_payment,status,image_url,image,store_id,token,type,"
	    "warnings");
	cr_expect_str_eq(jtext(jpath(r.json, "warnings")), full_skipped);
	cr_expect_str_eq(jtext(jpath(r.json, "data.warnings")), full_skipped);
	cr_expect_str_eq(jstr(r.json, "data.status"), "active");
	cr_expect_str_eq(jstr(r.json, "data.type"), "suggestion");
	cr_expect_null(jpath(r.json, "data.image"));
	cr_expect_eq(jint(r.json, "data.store_id"), 1);
	long long id = jint(r.json, "data.id");
	const char *token = jstr(r.json, "data.token");
	cr_assert_eq(regcomp(&re, "^[a-z0-9]{16}$", REG_EXTENDED | REG_NOSUB), 0);
	cr_expect_eq(regexec(&re, token, 0, NULL, 0), 0, "token %s", token);
	regfree(&re);
	snprintf(q, sizeof(q), "SELECT token FROM offers WHERE id = %lld", id);
	s = sql(q);
	cr_expect_str_eq(s, token);
	free(s);
	char *first = strdup(r.body);
	resp_free(&r);

	/* The same request again: the same answer, nothing more written. */
	char *before = write_counts();
	r = req_ex("POST", "/v2/stores/1/offers", tok(MEMBER1), full_body, 0, NULL, hdr);
	cr_expect_eq(r.status, 201);
	cr_expect_str_eq(r.body, first);
	cr_expect_str_eq(resp_header(&r, "Idempotent-Replayed"), "true");
	resp_free(&r);
	char *after = write_counts();
	cr_expect_str_eq(after, before);
	free(after);
	free(before);
	free(first);

	/* Every column. */
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', store_id, store_group_id, created_by, type,"
	    " campaign_title, campaign_text, has_product_seeding, has_onetime_payment,"
	    " per_user_limit, one_time_payment, budget_limit, max_clicks, valid_from, valid_until,"
	    " show_for_advertiser, priority_after, IFNULL(paused_at, '-'), IFNULL(deleted_at, '-'),"
	    " (SELECT title FROM shared_budgets b WHERE b.id = shared_budget_id))"
	    " FROM offers WHERE id = %lld", id);
	s = sql(q);
	cr_expect_str_eq(s, "1|1|2|suggestion|Summer campaign|This is a summer campaign!|1|1|1|"
	    "59764|500|9|2025-04-03 15:53:23|2037-06-30 23:59:59|1|17|-|-|it-offers-budget");
	free(s);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', store_id, amount, created_by) FROM"
	    " shared_budgets WHERE title = 'it-offers-budget'");
	s = sql(q);
	cr_expect_str_eq(s, "1|10000|2");
	free(s);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', position, todo_key, text) FROM"
	    " offer_todo_items WHERE offer_id = %lld ORDER BY position", id);
	s = sql(q);
	cr_expect_str_eq(s, "0|post-a-story|Post a story!\n1|tag-us|Tag us\n"
	    "2|post-a-story-2|Post a story!");
	free(s);
	/* Exact decimals, never through a float. */
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', source, cpc, IFNULL(invoice_cpc, '-'), cpa,"
	    " IFNULL(invoice_cpa, '-'), user_revenue) FROM offer_traffic_source_costs"
	    " WHERE offer_id = %lld ORDER BY source", id);
	s = sql(q);
	cr_expect_str_eq(s, "0|1|-|0.000001|-|1.000000\n1|230|250|0.200000|0.250000|1.000000");
	free(s);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', kind, COALESCE(user_id, user_tag_id,"
	    " store_group_id, client_id, revenue_tier_id, email, social_media_identifier))"
	    " FROM offer_targets WHERE offer_id = %lld ORDER BY id", id);
	s = sql(q);
	cr_expect_str_eq(s, "user|3\nuser_tag|2\nstore_group|1\nemail|it.new@example.com\n"
	    "social_media_identifier|it-newface\nclient|1\nrevenue_tier|3");
	free(s);
	/* The e-mail address and the identifier of no one: pre-registered. */
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', IFNULL(user_id, '-'),"
	    " IFNULL(pre_registered_email, '-'), IFNULL(pre_registered_identifier, '-'), status)"
	    " FROM offer_users WHERE offer_id = %lld ORDER BY id", id);
	s = sql(q);
	cr_expect_str_eq(s, "-|it.new@example.com|-|open\n-|-|it-newface|open");
	free(s);
	remove_test_offers();
}

Test(offers, create_minimal_and_tokens)
{
	char q[256], *s;
	regex_t re;

	remove_test_offers();
	cr_assert_eq(regcomp(&re, "^[a-z0-9]{16}$", REG_EXTENDED | REG_NOSUB), 0);
	/* Only a name: the defaults, the store's market, no costs or targets. */
	struct resp r = req("POST", "/v2/stores/2/offers", tok(MEMBER2),
	    "{\"name\": \"it-offers-min\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(jtext(jpath(r.json, "warnings")), "{}");
	cr_expect_str_eq(jstr(r.json, "data.campaign_title"), "");
	cr_expect_null(jpath(r.json, "data.campaign_text"));
	cr_expect_str_eq(jstr(r.json, "data.type"), "standard");
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', store_group_id, IFNULL(valid_from, '-'),"
	    " IFNULL(shared_budget_id, '-'), (SELECT COUNT(*) FROM offer_traffic_source_costs c"
	    " WHERE c.offer_id = o.id)) FROM offers o WHERE id = %lld", jint(r.json, "data.id"));
	resp_free(&r);
	s = sql(q);
	cr_expect_str_eq(s, "2|-|-|0");
	free(s);

	/* Tokens: 16 of [a-z0-9], all different. */
	for (int i = 0; i < 20; i++)
		create(ADMIN, 3, "{\"name\": \"it-offers-token\"}");
	s = sql("SELECT token FROM offers WHERE name = 'it-offers-token'");
	int n = 0;
	for (char *t = strtok(s, "\n"); t != NULL; t = strtok(NULL, "\n"), n++)
		cr_expect_eq(regexec(&re, t, 0, NULL, 0), 0, "token %s", t);
	free(s);
	cr_expect_eq(n, 20);
	cr_expect_eq(sql_number("SELECT COUNT(DISTINCT token) FROM offers WHERE name ="
	    " 'it-offers-token'"), 20);
	regfree(&re);
	remove_test_offers();
}

Test(offers, create_validation)
{
	static const struct {
		const char *body, *key, *message;
	} cases[] = {
		{ "{}", "name", "The name field is required." },
		{ "{\"name\": \"\"}", "name", "The name field is required." },
		{ "{\"name\": 5}", "name", "The name field must be a string." },
		{ "{\"name\": \"x\", \"type\": \"other\"}", "type", "The selected type is invalid." },
		{ "{\"name\": \"x\", \"store_group_id\": 999999}", "store_group_id",
		    "The selected store group id is invalid." },
		{ "{\"name\": \"x\", \"valid_from\": \"2030-01-01\", \"valid_until\": \"2029-12-31\"}",
		    "valid_until", "The valid until field must be a date after valid from." },
		{ "{\"name\": \"x\", \"valid_from\": \"soon\"}", "valid_from",
		    "The valid from field must be a valid date." },
		{ "{\"name\": \"x\", \"one_time_payment\": -1}", "one_time_payment",
		    "The one time payment field must be at least 0." },
		{ "{\"name\": \"x\", \"budget_limit\": 1.5}", "budget_limit",
		    "The budget limit field must be an integer." },
		{ "{\"name\": \"x\", \"max_clicks\": -3}", "max_clicks",
		    "The max clicks field must be at least 0." },
		{ "{\"name\": \"x\", \"has_product_seeding\": \"yes\"}", "has_product_seeding",
		    "The has product seeding field must be true or false." },
		{ "{\"name\": \"x\", \"todo\": \"one\"}", "todo", "The todo field must be an array." },
		{ "{\"name\": \"x\", \"todo\": [\"a\", 7]}", "todo.1", "The todo.1 field must be a string." },
		{ "{\"name\": \"x\", \"shared_budget\": {\"title\": \"t\"}}", "shared_budget.amount",
		    "The shared budget.amount field is required." },
		{ "{\"name\": \"x\", \"shared_budget_id\": 3}", "shared_budget_id",
		    "The selected shared budget id is invalid." },
		{ "{\"name\": \"x\", \"shared_budget_id\": 1, \"shared_budget\": {\"title\": \"t\","
		    " \"amount\": 1}}", "shared_budget",
		    "The shared budget field prohibits shared budget id from being present." },
		{ "{\"name\": \"x\", \"traffic_sources_costs\": [{\"cpc\": 1}]}",
		    "traffic_sources_costs.0.source",
		    "The traffic sources costs.0.source field is required." },
		{ "{\"name\": \"x\", \"traffic_sources_costs\": [{\"source\": 5}]}",
		    "traffic_sources_costs.0.source",
		    "The traffic sources costs.0.source field must not be greater than 4." },
		{ "{\"name\": \"x\", \"traffic_sources_costs\": [{\"source\": 0, \"cpc\": -1}]}",
		    "traffic_sources_costs.0.cpc",
		    "The traffic sources costs.0.cpc field must be at least 0." },
		{ "{\"name\": \"x\", \"traffic_sources_costs\": [{\"source\": 0, \"cpa\": 1.5}]}",
		    "traffic_sources_costs.0.cpa",
		    "The traffic sources costs.0.cpa field must not be greater than 1." },
		{ "{\"name\": \"x\", \"traffic_sources_costs\": [{\"source\": 0,"
		    " \"user_revenue\": 0.1234567}]}", "traffic_sources_costs.0.user_revenue",
		    "The traffic sources costs.0.user revenue field must have 0-6 decimal places." },
		{ "{\"name\": \"x\", \"traffic_sources_costs\": [{\"source\": 0, \"invoice_cpa\": -0.1}]}",
		    "traffic_sources_costs.0.invoice_cpa",
		    "The traffic sources costs.0.invoice cpa field must be at least 0." },
		{ "{\"name\": \"x\", \"traffic_sources_costs\": [{\"source\": 2}, {\"source\": 3},"
		    " {\"source\": 2}]}", "traffic_sources_costs.0.source",
		    "The traffic sources costs.0.source field has a duplicate value." },
		{ "{\"name\": \"x\", \"targets\": {\"user_ids\": [\"a\"]}}", "targets.user_ids.0",
		    "The targets.user ids.0 field must be an integer." },
		{ "{\"name\": \"x\", \"targets\": {\"emails\": [\"nope\"]}}", "targets.emails.0",
		    "The targets.emails.0 field must be a valid email address." },
		{ "{\"name\": \"x\", \"targets\": [1]}", "targets", "The targets field must be an array." },
	};
	char *before = write_counts(), *after;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *want = error_of(cases[i].key, cases[i].message);
		struct resp r = req("POST", "/v2/stores/1/offers", tok(MEMBER1), cases[i].body);
		cr_expect_eq(r.status, 422, "%s: %ld %s", cases[i].body, r.status, r.body);
		/* Duplicates are named at each place: the first one is the message. */
		if (strstr(cases[i].message, "duplicate") != NULL)
			cr_expect_str_eq(jstr(r.json, "message"), "The traffic sources costs.0.source"
			    " field has a duplicate value. (and 1 more error)");
		else
			cr_expect_str_eq(r.body, want, "%s", cases[i].body);
		resp_free(&r);
		free(want);
	}
	after = write_counts();
	cr_expect_str_eq(after, before, "no 422 wrote anything");
	free(after);
	free(before);

	/* Not a member of that store: no such store; creators may not at all. */
	struct resp r = req("POST", "/v2/stores/1/offers", tok(MEMBER2), "{\"name\": \"x\"}");
	expect_error(r, 404);
	resp_free(&r);
	r = req("POST", "/v2/stores/1/offers", tok(CREATOR1), "{\"name\": \"x\"}");
	expect_error(r, 403);
	resp_free(&r);
}

Test(offers, create_is_all_or_nothing)
{
	char *before = write_counts(), *after;

	/* An invalid nested cost after valid everything else: nothing. */
	char *body = strdup(full_body);
	char *cpa = strstr(body, "\"0.000001\"");
	cr_assert_not_null(cpa);
	memcpy(cpa, "\"2.000001\"", 10);
	struct resp r = req("POST", "/v2/stores/1/offers", tok(MEMBER1), body);
	cr_expect_eq(r.status, 422, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "message"),
	    "The traffic sources costs.1.cpa field must not be greater than 1.");
	resp_free(&r);
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(after);

	/*
	 * The last statement (a pre-registered participant) fails after the
	 * campaign, its budget, todo list, costs and targets were written:
	 * all of it goes.
	 */
	free(sql("CREATE TRIGGER it_offers_fail BEFORE INSERT ON offer_users FOR EACH ROW"
	    " SET NEW.offer_id = IF(NEW.pre_registered_identifier = 'it-newface', NULL,"
	    " NEW.offer_id)"));
	r = req("POST", "/v2/stores/1/offers", tok(MEMBER1), full_body);
	free(sql("DROP TRIGGER it_offers_fail"));
	expect_error(r, 500);
	resp_free(&r);
	after = write_counts();
	cr_expect_str_eq(after, before, "no campaign, budget, todo, cost, target or participant");
	free(after);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM shared_budgets WHERE title ="
	    " 'it-offers-budget'"), 0);

	/* And then it goes through. */
	create(MEMBER1, 1, full_body);
	remove_test_offers();
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(after);
	free(before);
	free(body);
}

/* ------------------------------------------------------------------ */
/* PUT|PATCH /v2/offers/{id}                                           */
/* ------------------------------------------------------------------ */

Test(offers, update_keeps_what_is_absent)
{
	char path[64], q[512], *s, *before;

	remove_test_offers();
	long long id = create(MEMBER1, 1, full_body);
	snprintf(path, sizeof(path), "/v2/offers/%lld", id);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', name, campaign_title, campaign_text, type,"
	    " one_time_payment, max_clicks, valid_from, valid_until, IFNULL(shared_budget_id, '-'))"
	    " FROM offers WHERE id = %lld", id);

	/* A participant's todo state on an item that stays. */
	char ins[512];
	snprintf(ins, sizeof(ins), "INSERT INTO offer_users (offer_id, user_id, status) VALUES"
	    " (%lld, 3, 'accepted')", id);
	free(sql(ins));
	snprintf(ins, sizeof(ins), "INSERT INTO offer_user_todos (offer_user_id,"
	    " offer_todo_item_id, is_done) SELECT ou.id, t.id, 1 FROM offer_users ou JOIN"
	    " offer_todo_items t ON t.offer_id = ou.offer_id AND t.todo_key = 'tag-us'"
	    " WHERE ou.offer_id = %lld AND ou.user_id = 3", id);
	free(sql(ins));

	before = sql(q);
	struct resp r = req("PATCH", path, tok(MEMBER1), "{}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jtext(jpath(r.json, "warnings")), "{}");
	resp_free(&r);
	s = sql(q);
	cr_expect_str_eq(s, before, "an empty PATCH changes nothing");
	free(s);
	free(before);

	r = req("PUT", path, tok(MEMBER1), "{\"name\": \"it-offers-renamed\", \"campaign_text\":"
	    " null, \"valid_until\": \"2038-01-31 12:00:00\", \"shared_budget_id\": null,"
	    " \"todo\": [\"Tag us\", \"New step\"],"
	    " \"traffic_sources_costs\": [{\"source\": 4, \"cpc\": 99}],"
	    " \"targets\": {\"user_ids\": [6, 5], \"client_ids\": [4]}}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(jpath(r.json, "data")), "id,campaign_title,campaign_text,"
	    "has_product_seeding,has_onetime_payment,status,image_url,image,store_id,token,type,"
	    "warnings");
	cr_expect_str_eq(jtext(jpath(r.json, "warnings")),
	    "{\"skipped_targets\":{\"user_ids\":[5]}}");
	resp_free(&r);
	s = sql(q);
	cr_expect_str_eq(s, "it-offers-renamed|Summer campaign|suggestion|59764|9|"
	    "2025-04-03 15:53:23|2038-01-31 12:00:00|-", "campaign_text NULL is skipped by"
	    " CONCAT_WS");
	free(s);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', t.todo_key, IFNULL(d.is_done, '-')) FROM"
	    " offer_todo_items t LEFT JOIN offer_user_todos d ON d.offer_todo_item_id = t.id"
	    " WHERE t.offer_id = %lld ORDER BY t.position", id);
	s = sql(q);
	cr_expect_str_eq(s, "tag-us|1\nnew-step|-", "the kept item keeps its state: %s", s);
	free(s);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', source, cpc) FROM"
	    " offer_traffic_source_costs WHERE offer_id = %lld", id);
	s = sql(q);
	cr_expect_str_eq(s, "4|99");
	free(s);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', kind, COALESCE(user_id, client_id)) FROM"
	    " offer_targets WHERE offer_id = %lld ORDER BY kind", id);
	s = sql(q);
	cr_expect_str_eq(s, "user|6\nclient|4", "the targets given replace the old ones");
	free(s);

	/* The window against what is stored. */
	expect_422(MEMBER1, "PATCH", path, "{\"valid_until\": \"2025-01-01\"}",
	    "{\"message\":\"The valid until field must be a date after valid from.\","
	    "\"errors\":{\"valid_until\":[\"The valid until field must be a date after valid from."
	    "\"]}}");
	expect_422(MEMBER1, "PATCH", path, "{\"valid_from\": \"2039-01-01\"}",
	    "{\"message\":\"The valid until field must be a date after valid from.\","
	    "\"errors\":{\"valid_until\":[\"The valid until field must be a date after valid from."
	    "\"]}}");
	expect_422(MEMBER1, "PATCH", path, "{\"type\": \"x\"}",
	    "{\"message\":\"The selected type is invalid.\","
	    "\"errors\":{\"type\":[\"The selected type is invalid.\"]}}");
	/* Cleared, the window is open at that end. */
	r = req("PATCH", path, tok(MEMBER1), "{\"valid_from\": null, \"shared_budget_id\": 2}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', IFNULL(valid_from, '-'), shared_budget_id)"
	    " FROM offers WHERE id = %lld", id);
	s = sql(q);
	cr_expect_str_eq(s, "-|2");
	free(s);

	/* Another store's member: no such campaign. */
	r = req("PATCH", path, tok(MEMBER2), "{\"name\": \"it-offers-x\"}");
	expect_error(r, 404);
	resp_free(&r);
	remove_test_offers();
}

/* ------------------------------------------------------------------ */
/* DELETE, pause, unpause                                              */
/* ------------------------------------------------------------------ */

Test(offers, delete_pause_unpause)
{
	char path[96], q[256], *s, *at;

	remove_test_offers();
	long long id = create(MEMBER1, 1, "{\"name\": \"it-offers-life\"}");

	snprintf(path, sizeof(path), "/v2/offers/%lld/pause", id);
	struct resp r = req("POST", path, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "paused");
	cr_expect_str_eq(jkeys(r.json), "id,campaign_title,campaign_text,has_product_seeding,"
	    "has_onetime_payment,status,image_url,image,store_id,store_name,store_logo_url,"
	    "store_logo,currency,token,traffic_sources_costs,type");
	resp_free(&r);
	snprintf(q, sizeof(q), "SELECT paused_at FROM offers WHERE id = %lld", id);
	at = sql(q);
	/* Pausing a paused campaign changes nothing. */
	free(sql("SELECT SLEEP(1.1)"));
	r = req("POST", path, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	s = sql(q);
	cr_expect_str_eq(s, at);
	free(s);
	free(at);

	snprintf(path, sizeof(path), "/v2/offers/%lld/unpause", id);
	r = req("POST", path, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "active");
	resp_free(&r);
	r = req("POST", path, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200, "unpausing a running one: %s", r.body);
	resp_free(&r);

	/* An ended campaign cannot be paused. */
	snprintf(q, sizeof(q), "UPDATE offers SET valid_from = '2020-01-01', valid_until ="
	    " '2020-02-01' WHERE id = %lld", id);
	free(sql(q));
	snprintf(path, sizeof(path), "/v2/offers/%lld/pause", id);
	expect_422(MEMBER1, "POST", path, NULL, "{\"message\":\"An ended campaign cannot be paused."
	    "\",\"errors\":{\"offer_id\":[\"An ended campaign cannot be paused.\"]}}");

	/* Delete: 204, still readable by its store, gone from lists and tokens. */
	snprintf(path, sizeof(path), "/v2/offers/%lld", id);
	r = req("DELETE", path, tok(MEMBER2), NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = req("DELETE", path, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	cr_expect_eq(r.len, 0);
	resp_free(&r);
	snprintf(q, sizeof(q), "SELECT deleted_at IS NOT NULL FROM offers WHERE id = %lld", id);
	s = sql(q);
	cr_expect_str_eq(s, "1");
	free(s);
	r = req("GET", path, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "status"), "deleted");
	char tpath[64];
	snprintf(tpath, sizeof(tpath), "/v2/offer-by-token/%s", jstr(r.json, "token"));
	resp_free(&r);
	r = req("GET", tpath, tok(MEMBER1), NULL);
	expect_error(r, 404);
	resp_free(&r);
	/* Deleting it again is the same answer (a retry), and changes nothing. */
	snprintf(q, sizeof(q), "SELECT deleted_at FROM offers WHERE id = %lld", id);
	at = sql(q);
	free(sql("SELECT SLEEP(1.1)"));
	r = req("DELETE", path, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	resp_free(&r);
	s = sql(q);
	cr_expect_str_eq(s, at);
	free(s);
	free(at);
	r = req("PATCH", path, tok(MEMBER1), "{\"name\": \"it-offers-z\"}");
	expect_error(r, 404);
	resp_free(&r);
	snprintf(path, sizeof(path), "/v2/offers/%lld/pause", id);
	expect_422(MEMBER1, "POST", path, NULL, "{\"message\":\"A deleted campaign cannot be paused."
	    "\",\"errors\":{\"offer_id\":[\"A deleted campaign cannot be paused.\"]}}");
	snprintf(path, sizeof(path), "/v2/offers/%lld/unpause", id);
	expect_422(MEMBER1, "POST", path, NULL, "{\"message\":\"A deleted campaign cannot be "
	    "unpaused.\",\"errors\":{\"offer_id\":[\"A deleted campaign cannot be unpaused.\"]}}");
	remove_test_offers();
}

/* ------------------------------------------------------------------ */
/* POST /v2/offers/{offer_id}/uploads                                  */
/* ------------------------------------------------------------------ */

/* A 1x1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
	0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f, 0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7, 0x35, 0x81,
	0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static char *
conf_value(const char *key)
{
	char line[1024], buf[512] = "";

	snprintf(line, sizeof(line), "sed -n 's/^%s = //p' '%s/metapic.conf'", key,
	    getenv("METAPIC_DIR"));
	FILE *p = popen(line, "r");
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(buf, sizeof(buf), p));
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

static bool
media_exists(const char *rel)
{
	char path[1024], *dir = conf_value("media_dir");

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	free(dir);
	return access(path, F_OK) == 0;
}

Test(offers, image_upload)
{
	char path[64], q[256], ct[] = "multipart/form-data; boundary=" FORM_BOUNDARY, *rel, *old;
	size_t len;

	remove_test_offers();
	long long id = create(MEMBER1, 1, "{\"name\": \"it-offers-image\"}");
	snprintf(path, sizeof(path), "/v2/offers/%lld/uploads", id);
	snprintf(q, sizeof(q), "SELECT image_path FROM offers WHERE id = %lld", id);

	char *body = form_file("default", "cover.png", "image/png", png, sizeof(png), 0, &len);
	struct resp r = req_ex("POST", path, tok(MEMBER1), body, len, ct, NULL);
	free(body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "id,campaign_title,campaign_text,has_product_seeding,"
	    "has_onetime_payment,status,image_url,image,store_id,store_name,store_logo_url,"
	    "store_logo,currency,token,traffic_sources_costs,type");
	old = sql(q);
	cr_expect(strncmp(old, "offers/", 7) == 0 && strstr(old, ".png") != NULL, "%s", old);
	cr_expect(media_exists(old));
	char *base = conf_value("media_base_url"), want[1024], *b64;
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "SELECT TO_BASE64('%s')", old);
	b64 = sql(cmd);
	cr_expect_str_eq(jstr(r.json, "image.key"), b64);
	cr_expect_str_eq(jstr(r.json, "image.base64"), b64);
	snprintf(want, sizeof(want), "%s/insecure/rs:fill:800:500/g:sm/%s", base, b64);
	cr_expect_str_eq(jstr(r.json, "image.url"), want);
	cr_expect_str_eq(jstr(r.json, "image_url"), want);
	free(b64);
	free(base);
	resp_free(&r);

	/* `image` too; the file it replaces is removed. */
	body = form_file("image", "cover.png", "image/png", png, sizeof(png), 0, &len);
	r = req_ex("POST", path, tok(MEMBER1), body, len, ct, NULL);
	free(body);
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	rel = sql(q);
	cr_expect_str_neq(rel, old);
	cr_expect(media_exists(rel));
	cr_expect(!media_exists(old), "%s removed", old);

	/* Not an image, no file, another store: nothing changes. */
	body = form_file("default", "cover.png", "image/png", "GIF89a but not really", 21, 0, &len);
	r = req_ex("POST", path, tok(MEMBER1), body, len, ct, NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The default field must be an image.\","
	    "\"errors\":{\"default\":[\"The default field must be an image.\"]}}");
	resp_free(&r);
	free(body);
	r = req("POST", path, tok(MEMBER1), "{\"default\": \"pariatur\"}");
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The default field is required.\","
	    "\"errors\":{\"default\":[\"The default field is required.\"]}}");
	resp_free(&r);
	body = form_file("default", "cover.png", "image/png", png, sizeof(png), 0, &len);
	r = req_ex("POST", path, tok(MEMBER2), body, len, ct, NULL);
	expect_error(r, 404);
	resp_free(&r);
	free(body);
	char *now = sql(q);
	cr_expect_str_eq(now, rel);
	free(now);
	free(rel);
	free(old);
	remove_test_offers();
}

/* ------------------------------------------------------------------ */
/* POST /v2/offers/{offer_id}/targets                                  */
/* ------------------------------------------------------------------ */

Test(offers, add_targets)
{
	char path[64], q[512], *s, *before;

	remove_test_offers();
	long long id = create(MEMBER1, 1, "{\"name\": \"it-offers-targets\", \"targets\":"
	    " {\"user_ids\": [3]}}");
	snprintf(path, sizeof(path), "/v2/offers/%lld/targets", id);

	struct resp r = req("POST", path, tok(MEMBER1), "{\"user_ids\": [3, 6, 5],"
	    " \"user_tag_ids\": [3], \"emails\": [\"it.pre@example.com\", \"creator.one@demo.metapic.test\"],"
	    " \"social_media_identifiers\": [\"it-who\"]}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "data,warnings");
	cr_expect_str_eq(jtext(jpath(r.json, "warnings")),
	    "{\"skipped_targets\":{\"user_ids\":[5]}}");
	cr_expect_str_eq(jkeys(jpath(r.json, "data")), "user_ids,user_tag_ids,store_group_ids,"
	    "emails,social_media_identifiers,client_ids,revenue_tier_ids,resolved,warnings");
	cr_expect_str_eq(jtext(jpath(r.json, "data.user_ids")), "[3,6]");
	s = sql("SELECT CONCAT('[', GROUP_CONCAT(CONCAT('{\\\"id\\\":', id,"
	    " ',\\\"username\\\":\\\"', username, '\\\"}') ORDER BY id), ']')"
	    " FROM users WHERE id IN (3, 6)");
	cr_expect_str_eq(jtext(jpath(r.json, "data.resolved.users")), s);
	free(s);
	resp_free(&r);
	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', IFNULL(pre_registered_email, '-'),"
	    " IFNULL(pre_registered_identifier, '-')) FROM offer_users WHERE offer_id = %lld"
	    " ORDER BY id", id);
	s = sql(q);
	cr_expect_str_eq(s, "it.pre@example.com|-\n-|it-who", "a user's address is no"
	    " pre-registration");
	free(s);

	/* Again: nothing is added twice. */
	snprintf(q, sizeof(q), "SELECT CONCAT((SELECT COUNT(*) FROM offer_targets WHERE offer_id ="
	    " %lld), ' ', (SELECT COUNT(*) FROM offer_users WHERE offer_id = %lld))", id, id);
	before = sql(q);
	r = req("POST", path, tok(MEMBER1), "{\"user_ids\": [6], \"emails\": [\"it.pre@example.com\"]}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jtext(jpath(r.json, "warnings")), "{\"skipped_targets\":{}}");
	resp_free(&r);
	s = sql(q);
	cr_expect_str_eq(s, before);
	free(s);
	free(before);

	/* The pre-registered participant is what the e-mail target resolves to. */
	r = req("GET", path, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200);
	snprintf(q, sizeof(q), "SELECT id FROM offer_users WHERE offer_id = %lld AND"
	    " pre_registered_email = 'it.pre@example.com'", id);
	s = sql(q);
	char want[256];
	snprintf(want, sizeof(want), "[{\"email\":\"it.pre@example.com\",\"user_id\":null,"
	    "\"participant_id\":%s},{\"email\":\"creator.one@demo.metapic.test\",\"user_id\":3,"
	    "\"participant_id\":null}]", s);
	free(s);
	cr_expect_str_eq(jtext(jpath(r.json, "resolved.emails")), want);
	resp_free(&r);

	expect_422(MEMBER1, "POST", path, "{}", "{\"message\":\"The user ids field is required when"
	    " none of user tag ids / store group ids / emails / social media identifiers / client"
	    " ids / revenue tier ids are present.\",\"errors\":{\"user_ids\":[\"The user ids field"
	    " is required when none of user tag ids / store group ids / emails / social media"
	    " identifiers / client ids / revenue tier ids are present.\"]}}");
	expect_422(MEMBER1, "POST", path, "{\"emails\": [\"x@\"]}", "{\"message\":\"The emails.0"
	    " field must be a valid email address.\",\"errors\":{\"emails.0\":[\"The emails.0 field"
	    " must be a valid email address.\"]}}");
	r = req("POST", path, tok(MEMBER2), "{\"user_ids\": [6]}");
	expect_error(r, 404);
	resp_free(&r);
	remove_test_offers();
}

/* A creator the campaign targets sees it by its token; a blocked one not. */
Test(offers, token_follows_targets)
{
	char path[64];

	remove_test_offers();
	long long id = create(MEMBER1, 1, "{\"name\": \"it-offers-token-see\", \"targets\":"
	    " {\"user_tag_ids\": [2]}}");
	char q[128];
	snprintf(q, sizeof(q), "SELECT token FROM offers WHERE id = %lld", id);
	char *t = sql(q);
	snprintf(path, sizeof(path), "/v2/offer-by-token/%s", t);
	free(t);
	/* Tag 2's members: who is in it, and who is not. */
	char *in = sql("SELECT MIN(user_id) FROM user_tag_user WHERE user_tag_id = 2");
	char *out = sql("SELECT MIN(u.id) FROM users u JOIN clients c ON c.id = u.client_id"
	    " WHERE c.store_group_id = 1 AND u.id NOT IN (SELECT user_id FROM user_tag_user"
	    " WHERE user_tag_id = 2)");
	struct resp r = req("GET", path, tok(atoi(in)), NULL);
	cr_expect_eq(r.status, 200, "user %s: %s", in, r.body);
	resp_free(&r);
	r = req("GET", path, tok(atoi(out)), NULL);
	expect_error(r, 404);
	resp_free(&r);
	/* The tag's member, once blocked by the store, no longer sees it. */
	char ins[256];
	snprintf(ins, sizeof(ins), "INSERT INTO blocklist_entries (store_id, user_id, created_by)"
	    " VALUES (1, %s, 2)", in);
	free(sql(ins));
	r = req("GET", path, tok(atoi(in)), NULL);
	expect_error(r, 404);
	resp_free(&r);
	snprintf(ins, sizeof(ins), "DELETE FROM blocklist_entries WHERE store_id = 1 AND"
	    " user_id = %s", in);
	free(sql(ins));
	free(in);
	free(out);
	remove_test_offers();
}
