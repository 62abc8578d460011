/*
 * test_participants_write.c -- a store's changes to a participant's card
 * through nginx (update-status, todo, the click-limit and cost overrides)
 * and the card's activity log: every status move from the table below,
 * what lands in the database, the activity row of each change (type,
 * data, actor), every 422 with its exact body, who may call, and that a
 * change whose activity row cannot be written is not made.
 *
 * The cards changed here are participants of offer 1 (store 1, SEK)
 * pre-registered as "it-pwrite-..."; removing them removes their todo
 * state, overrides and activities. Demo rows are only read.
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

static void
cleanup(void)
{
	free(sql("DROP TRIGGER IF EXISTS it_pwrite_fail"));
	free(sql("DELETE FROM offer_users WHERE pre_registered_identifier LIKE 'it-pwrite-%'"));
}

TestSuite(participants_write, .init = cleanup, .fini = cleanup);

/* A new participant of offer 1, pre-registered as it-pwrite-{name}, in status. */
static long long
fixture(const char *name, const char *status)
{
	char q[512];

	snprintf(q, sizeof(q), "INSERT INTO offer_users (offer_id, pre_registered_identifier,"
	    " status) VALUES (1, 'it-pwrite-%s', '%s')", name, status);
	free(sql(q));
	snprintf(q, sizeof(q), "SELECT id FROM offer_users WHERE offer_id = 1 AND"
	    " pre_registered_identifier = 'it-pwrite-%s'", name);
	long long id = sql_number(q);
	cr_assert_gt(id, 0);
	return id;
}

/*
 * Everything a card's writes touch, as one line: status | click limit |
 * todo state (item:done:by) | overrides (source:cpc:cpa:currency) |
 * activity rows. malloc'd.
 */
static char *
card(long long id)
{
	char q[1536];

	snprintf(q, sizeof(q), "SELECT CONCAT_WS('|', ou.status, IFNULL(ou.click_limit, '-'),"
	    " (SELECT IFNULL(GROUP_CONCAT(CONCAT_WS(':', offer_todo_item_id, is_done,"
	    " IFNULL(updated_by, '-')) ORDER BY offer_todo_item_id), '-')"
	    " FROM offer_user_todos WHERE offer_user_id = ou.id),"
	    " (SELECT IFNULL(GROUP_CONCAT(CONCAT_WS(':', source, IFNULL(cpc, '-'),"
	    " IFNULL(cpa, '-'), currency) ORDER BY source), '-')"
	    " FROM offer_user_cost_overrides WHERE offer_user_id = ou.id),"
	    " (SELECT COUNT(*) FROM offer_user_activities WHERE offer_user_id = ou.id))"
	    " FROM offer_users ou WHERE ou.id = %lld", id);
	return sql(q);
}

/* The card's activity rows, oldest first: "type actor data" per line. malloc'd. */
static char *
activities(long long id)
{
	char q[512];

	snprintf(q, sizeof(q), "SELECT CONCAT_WS(' ', type, IFNULL(actor_id, '-'),"
	    " IFNULL(data, '-')) FROM offer_user_activities WHERE offer_user_id = %lld"
	    " ORDER BY id", id);
	return sql(q);
}

static void
clear_activities(long long id)
{
	char q[160];

	snprintf(q, sizeof(q), "DELETE FROM offer_user_activities WHERE offer_user_id = %lld", id);
	free(sql(q));
}

/* PATCH /v2/offers/{offer}/participants/{id}/{what} as user. */
static struct resp
patch_as(int user, int offer, long long id, const char *what, const char *body)
{
	char url[160];

	snprintf(url, sizeof(url), "/v2/offers/%d/participants/%lld/%s", offer, id, what);
	return req("PATCH", url, tok(user), body);
}

static struct resp
patch(long long id, const char *what, const char *body)
{
	return patch_as(MEMBER1, 1, id, what, body);
}

/* {"message": m, "errors": {key: [m]}}, in a static buffer. */
static const char *
error_of(const char *key, const char *m)
{
	static char b[2048];

	snprintf(b, sizeof(b), "{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}", m, key, m);
	return b;
}

/* A 422 with exactly the body want, and nothing written to the card. */
static void
expect_422(long long id, const char *what, const char *body, const char *want)
{
	char *before = card(id), *after;
	struct resp r = patch(id, what, body);

	cr_expect_eq(r.status, 422, "%s %s: %ld %s", what, body, r.status, r.body);
	cr_expect_str_eq(r.body, want, "%s %s", what, body);
	resp_free(&r);
	after = card(id);
	cr_expect_str_eq(after, before, "%s %s wrote something", what, body);
	free(after);
	free(before);
}

/* The participant's shape (a pre-registered identifier) for card id. */
static void
expect_participant(const struct resp *r, long long id, const char *status)
{
	cr_expect_eq(r->status, 200, "%ld %s", r->status, r->body);
	cr_expect_str_eq(jkeys(r->json), "id,offer_id,user_id,display_name,clicks,status,"
	    "pre_registered_identifier,todo,payment_amount");
	cr_expect_eq(jint(r->json, "id"), id);
	cr_expect_eq(jint(r->json, "offer_id"), 1);
	cr_expect_str_eq(jstr(r->json, "status"), status);
}

/*
 * The change whose activity row cannot be written: a trigger makes the
 * insert of card id's activity fail. 500, and the card is as it was.
 */
static void
expect_all_or_nothing(long long id, const char *what, const char *body)
{
	char q[256], *before = card(id), *after;

	snprintf(q, sizeof(q), "CREATE TRIGGER it_pwrite_fail BEFORE INSERT ON"
	    " offer_user_activities FOR EACH ROW SET NEW.offer_user_id ="
	    " IF(NEW.offer_user_id = %lld, NULL, NEW.offer_user_id)", id);
	free(sql(q));
	struct resp r = patch(id, what, body);
	free(sql("DROP TRIGGER it_pwrite_fail"));
	expect_error(r, 500);
	resp_free(&r);
	after = card(id);
	cr_expect_str_eq(after, before, "%s %s: the change was made without its activity",
	    what, body);
	free(after);
	/* And without the trigger it goes through. */
	r = patch(id, what, body);
	cr_expect_eq(r.status, 200, "%s %s: %ld %s", what, body, r.status, r.body);
	resp_free(&r);
	after = card(id);
	cr_expect_str_neq(after, before, "%s %s changed nothing", what, body);
	free(after);
	free(before);
}

/* ------------------------------------------------------------------ */
/* update-status                                                       */
/* ------------------------------------------------------------------ */

static const char *const statuses[] = { "suggestion", "open", "accepted", "product_sent",
	"have_received", "done", "store_denied" };

/* The allowed moves, as the README and participants_write.c list them. */
static const char *const allowed_moves[] = {
	"suggestion>open", "suggestion>store_denied",
	"open>accepted", "open>store_denied",
	"accepted>product_sent", "accepted>done", "accepted>store_denied",
	"product_sent>have_received", "product_sent>store_denied",
	"have_received>done",
	"store_denied>open",
};

static bool
allowed(const char *from, const char *to)
{
	char move[64];

	snprintf(move, sizeof(move), "%s>%s", from, to);
	for (size_t i = 0; i < sizeof(allowed_moves) / sizeof(allowed_moves[0]); i++)
		if (strcmp(allowed_moves[i], move) == 0)
			return true;
	return false;
}

/* Every pair of statuses: the allowed moves, staying, and every refused move. */
Test(participants_write, status_every_move)
{
	long long id = fixture("moves", "open");
	size_t n = sizeof(statuses) / sizeof(statuses[0]), nallowed = 0;
	char q[256], body[64], want[512], msg[128], *got;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			const char *from = statuses[i], *to = statuses[j];
			snprintf(q, sizeof(q), "UPDATE offer_users SET status = '%s' WHERE id = %lld",
			    from, id);
			free(sql(q));
			clear_activities(id);
			snprintf(body, sizeof(body), "{\"status\":\"%s\"}", to);
			struct resp r = patch(id, "update-status", body);
			snprintf(q, sizeof(q), "SELECT status FROM offer_users WHERE id = %lld", id);
			char *status = sql(q);
			got = activities(id);
			if (i == j) {
				/* Staying: 200, nothing written. */
				expect_participant(&r, id, to);
				cr_expect_str_eq(got, "", "%s again wrote %s", from, got);
			} else if (allowed(from, to)) {
				nallowed++;
				expect_participant(&r, id, to);
				cr_expect_str_eq(status, to);
				snprintf(want, sizeof(want), "status_changed %d {\"from\":\"%s\","
				    "\"to\":\"%s\"}", MEMBER1, from, to);
				cr_expect_str_eq(got, want, "%s -> %s", from, to);
			} else {
				snprintf(msg, sizeof(msg), "The status cannot change from %s to %s.",
				    from, to);
				cr_expect_eq(r.status, 422, "%s -> %s: %ld %s", from, to, r.status,
				    r.body);
				cr_expect_str_eq(r.body, error_of("status", msg));
				cr_expect_str_eq(status, from, "%s -> %s moved", from, to);
				cr_expect_str_eq(got, "", "%s -> %s wrote %s", from, to, got);
			}
			free(got);
			free(status);
			resp_free(&r);
		}
	}
	cr_expect_eq(nallowed, sizeof(allowed_moves) / sizeof(allowed_moves[0]));
}

Test(participants_write, status_actor_and_list)
{
	long long id = fixture("actor", "open");
	char url[96], *got, want[256];

	/* An admin's move: the admin is the actor. */
	struct resp r = patch_as(ADMIN, 1, id, "update-status", "{\"status\":\"accepted\"}");
	expect_participant(&r, id, "accepted");
	cr_expect_null(jpath(r.json, "pre_registered_email"));
	cr_expect_str_eq(jstr(r.json, "display_name"), "it-pwrite-actor");
	resp_free(&r);
	got = activities(id);
	snprintf(want, sizeof(want), "status_changed %d {\"from\":\"open\",\"to\":\"accepted\"}",
	    ADMIN);
	cr_expect_str_eq(got, want);
	free(got);

	/* The store's member's move comes first in the card's log. */
	r = patch(id, "update-status", "{\"status\":\"done\"}");
	expect_participant(&r, id, "done");
	resp_free(&r);
	snprintf(url, sizeof(url), "/v2/offer-users/%lld/activities", id);
	r = req("GET", url, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(jint(r.json, "meta.total"), 2);
	cr_expect_str_eq(jstr(r.json, "data.0.type"), "status_changed");
	cr_expect_str_eq(jtext(jpath(r.json, "data.0.data")),
	    "{\"from\":\"accepted\",\"to\":\"done\"}");
	cr_expect_eq(jint(r.json, "data.0.actor.id"), MEMBER1);
	cr_expect_str_eq(jstr(r.json, "data.0.actor.username"), "store1.member");
	cr_expect_eq(jint(r.json, "data.1.actor.id"), ADMIN);
	resp_free(&r);
}

Test(participants_write, status_422)
{
	long long id = fixture("s422", "open");
	static const struct {
		const char *body, *message;
	} cases[] = {
		{ "{}", "The status field is required." },
		{ "{\"status\":null}", "The status field is required." },
		{ "{\"status\":\"\"}", "The status field is required." },
		{ "{\"status\":\"closed\"}", "The selected status is invalid." },
		{ "{\"status\":\"Open\"}", "The selected status is invalid." },
		{ "{\"status\":3}", "The status field must be a string." },
		{ "{\"status\":\"open\\u0000\"}", "The selected status is invalid." },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_422(id, "update-status", cases[i].body,
		    error_of("status", cases[i].message));
	expect_all_or_nothing(id, "update-status", "{\"status\":\"accepted\"}");
}

/* Only the card's store (and admins): other stores 404, creators 403. */
Test(participants_write, who_may_change_a_card)
{
	long long id = fixture("who", "open");
	static const char *const whats[] = { "update-status", "todo", "overrides/clicks",
		"overrides/costs" };
	static const char *const bodies[] = { "{\"status\":\"accepted\"}",
		"{\"todo\":[{\"key\":\"publish-a-blog-post\",\"value\":true}]}",
		"{\"click_limit\":5}",
		"{\"traffic_sources_costs\":[{\"source\":0,\"cpa\":0.1}]}" };
	char *before = card(id), *after;

	for (size_t i = 0; i < 4; i++) {
		struct resp r = patch_as(MEMBER2, 1, id, whats[i], bodies[i]);
		expect_error(r, 404);
		resp_free(&r);
		r = patch_as(CREATOR1, 1, id, whats[i], bodies[i]);
		expect_error(r, 403);
		resp_free(&r);
		/* The card under another campaign of its store, an unknown card. */
		r = patch_as(MEMBER1, 2, id, whats[i], bodies[i]);
		expect_error(r, 404);
		resp_free(&r);
		r = patch_as(MEMBER1, 1, 999999999, whats[i], bodies[i]);
		expect_error(r, 404);
		resp_free(&r);
	}
	after = card(id);
	cr_expect_str_eq(after, before);
	free(after);
	free(before);
	/* Store 2's member changes store 2's card (demo participant 27): a 422 only. */
	struct resp r = patch_as(MEMBER2, 8, 27, "update-status", "{\"status\":\"done\"}");
	cr_expect_eq(r.status, 422, "%s", r.body);
	cr_expect_str_eq(r.body, error_of("status",
	    "The status cannot change from store_denied to done."));
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* todo                                                                */
/* ------------------------------------------------------------------ */

/* The response's todo against the database: every item of offer 1, its state. */
static void
expect_todo(const struct resp *r, long long id)
{
	char q[512], *want;
	struct json_object *todo = jpath(r->json, "todo");
	char got[1024] = "";
	size_t n = 0;

	snprintf(q, sizeof(q), "SELECT GROUP_CONCAT(CONCAT(t.todo_key, '=', t.text, '=',"
	    " IF(COALESCE(d.is_done, 0) = 1, 'true', 'false')) ORDER BY t.position SEPARATOR ',')"
	    " FROM offer_todo_items t LEFT JOIN offer_user_todos d ON d.offer_todo_item_id = t.id"
	    " AND d.offer_user_id = %lld WHERE t.offer_id = 1", id);
	want = sql(q);
	cr_assert(json_object_is_type(todo, json_type_array), "%s", r->body);
	for (size_t i = 0; i < json_object_array_length(todo); i++) {
		struct json_object *it = json_object_array_get_idx(todo, i);
		cr_expect_str_eq(jkeys(it), "key,text,value");
		/* The state; participant_shape() owns its JSON type. */
		n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s=%s=%s", i ? "," : "",
		    jstr(it, "key"), jstr(it, "text"),
		    json_object_get_boolean(jpath(it, "value")) ? "true" : "false");
	}
	cr_expect_str_eq(got, want);
	free(want);
}

Test(participants_write, todo_states_and_activities)
{
	long long id = fixture("todo", "accepted");
	char *s, want[1024];

	struct resp r = patch(id, "todo", "{\"todo\":[{\"key\":\"post-one-instagram-story\","
	    "\"value\":true},{\"key\":\"tag-nordicbeauty\",\"value\":false}]}");
	expect_participant(&r, id, "accepted");
	expect_todo(&r, id);
	cr_expect_eq(json_object_get_boolean(jpath(r.json, "todo.0.value")), true);
	resp_free(&r);
	/* Item 1 done by user 2; item 3 was not done and stays so: not written. */
	s = card(id);
	cr_expect_str_eq(s, "accepted|-|1:1:2|-|1");
	free(s);
	s = activities(id);
	snprintf(want, sizeof(want), "todo_changed %d {\"key\":\"post-one-instagram-story\","
	    "\"value\":true}", MEMBER1);
	cr_expect_str_eq(s, want);
	free(s);

	/* The same again: nothing changes, nothing is logged. */
	r = patch(id, "todo", "{\"todo\":[{\"key\":\"post-one-instagram-story\",\"value\":1}]}");
	expect_participant(&r, id, "accepted");
	resp_free(&r);
	s = card(id);
	cr_expect_str_eq(s, "accepted|-|1:1:2|-|1");
	free(s);

	/* The admin undoes one and does two: three rows, three activities. */
	r = patch_as(ADMIN, 1, id, "todo", "{\"todo\":[{\"key\":\"tag-nordicbeauty\","
	    "\"value\":\"1\"},{\"key\":\"post-one-instagram-story\",\"value\":false},"
	    "{\"key\":\"publish-a-blog-post\",\"value\":true}]}");
	expect_participant(&r, id, "accepted");
	expect_todo(&r, id);
	resp_free(&r);
	s = card(id);
	cr_expect_str_eq(s, "accepted|-|1:0:1,2:1:1,3:1:1|-|4");
	free(s);
	s = activities(id);
	snprintf(want, sizeof(want),
	    "todo_changed %d {\"key\":\"post-one-instagram-story\",\"value\":true}\n"
	    "todo_changed %d {\"key\":\"tag-nordicbeauty\",\"value\":true}\n"
	    "todo_changed %d {\"key\":\"post-one-instagram-story\",\"value\":false}\n"
	    "todo_changed %d {\"key\":\"publish-a-blog-post\",\"value\":true}",
	    MEMBER1, ADMIN, ADMIN, ADMIN);
	cr_expect_str_eq(s, want);
	free(s);

	expect_all_or_nothing(id, "todo", "{\"todo\":[{\"key\":\"publish-a-blog-post\","
	    "\"value\":false}]}");
}

Test(participants_write, todo_422)
{
	long long id = fixture("t422", "open");
	static const struct {
		const char *body, *key, *message;
	} cases[] = {
		{ "{}", "todo", "The todo field is required." },
		{ "{\"todo\":[]}", "todo", "The todo field is required." },
		{ "{\"todo\":\"x\"}", "todo", "The todo field must be an array." },
		{ "{\"todo\":[5]}", "todo.0", "The todo.0 field must be an array." },
		{ "{\"todo\":[{\"value\":true}]}", "todo.0.key", "The todo.0.key field is required." },
		{ "{\"todo\":[{\"key\":\"publish-a-blog-post\"}]}", "todo.0.value",
		    "The todo.0.value field is required." },
		{ "{\"todo\":[{\"key\":\"publish-a-blog-post\",\"value\":\"yes\"}]}", "todo.0.value",
		    "The todo.0.value field must be true or false." },
		{ "{\"todo\":[{\"key\":7,\"value\":true}]}", "todo.0.key",
		    "The todo.0.key field must be a string." },
		{ "{\"todo\":[{\"key\":\"nope\",\"value\":true}]}", "todo.0.key",
		    "The selected todo.0.key is invalid." },
		/* Another campaign's item; a key in another case. */
		{ "{\"todo\":[{\"key\":\"publish-a-blog-post\",\"value\":true},"
		  "{\"key\":\"post-a-teaser\",\"value\":true}]}", "todo.1.key",
		    "The selected todo.1.key is invalid." },
		{ "{\"todo\":[{\"key\":\"Publish-A-Blog-Post\",\"value\":true}]}", "todo.0.key",
		    "The selected todo.0.key is invalid." },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_422(id, "todo", cases[i].body, error_of(cases[i].key, cases[i].message));

	/* A key twice: each time it appears; an unknown one besides. */
	expect_422(id, "todo", "{\"todo\":[{\"key\":\"publish-a-blog-post\",\"value\":true},"
	    "{\"key\":\"nope\",\"value\":true},{\"key\":\"publish-a-blog-post\",\"value\":false}]}",
	    "{\"message\":\"The todo.0.key field has a duplicate value. (and 2 more errors)\","
	    "\"errors\":{\"todo.0.key\":[\"The todo.0.key field has a duplicate value.\"],"
	    "\"todo.1.key\":[\"The selected todo.1.key is invalid.\"],"
	    "\"todo.2.key\":[\"The todo.2.key field has a duplicate value.\"]}}");

	/* At most 100 items. */
	char *body = malloc(101 * 64 + 32);
	size_t n = (size_t)sprintf(body, "{\"todo\":[");
	for (int i = 0; i < 101; i++)
		n += (size_t)sprintf(body + n, "%s{\"key\":\"k%d\",\"value\":true}", i ? "," : "", i);
	sprintf(body + n, "]}");
	expect_422(id, "todo", body, error_of("todo",
	    "The todo field must not have more than 100 items."));
	free(body);
}

/* ------------------------------------------------------------------ */
/* overrides/clicks                                                    */
/* ------------------------------------------------------------------ */

Test(participants_write, clicks_set_and_clear)
{
	long long id = fixture("clicks", "accepted");
	static const struct {
		const char *body;
		const char *card;	/* status|limit|todo|costs|activities after it */
		const char *data;	/* the activity's data, NULL for none */
	} steps[] = {
		{ "{\"click_limit\":0}", "accepted|0|-|-|1", "{\"from\":null,\"to\":0}" },
		{ "{\"click_limit\":\"4294967295\"}", "accepted|4294967295|-|-|2",
		    "{\"from\":0,\"to\":4294967295}" },
		{ "{\"click_limit\":4294967295}", "accepted|4294967295|-|-|2", NULL },
		{ "{\"click_limit\":500}", "accepted|500|-|-|3", "{\"from\":4294967295,\"to\":500}" },
		{ "{\"click_limit\":null}", "accepted|-|-|-|4", "{\"from\":500,\"to\":null}" },
		{ "{\"click_limit\":\"\"}", "accepted|-|-|-|4", NULL },
		{ "{\"click_limit\":null}", "accepted|-|-|-|4", NULL },
	};
	char q[256], want[256], *s;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct resp r = patch(id, "overrides/clicks", steps[i].body);
		expect_participant(&r, id, "accepted");
		resp_free(&r);
		s = card(id);
		cr_expect_str_eq(s, steps[i].card, "%s", steps[i].body);
		free(s);
		if (steps[i].data == NULL)
			continue;
		snprintf(q, sizeof(q), "SELECT CONCAT_WS(' ', type, actor_id, data) FROM"
		    " offer_user_activities WHERE offer_user_id = %lld ORDER BY id DESC LIMIT 1", id);
		s = sql(q);
		snprintf(want, sizeof(want), "click_limit_overridden %d %s", MEMBER1, steps[i].data);
		cr_expect_str_eq(s, want, "%s", steps[i].body);
		free(s);
	}
	expect_all_or_nothing(id, "overrides/clicks", "{\"click_limit\":7}");
}

Test(participants_write, clicks_422)
{
	long long id = fixture("k422", "open");
	static const struct {
		const char *body, *message;
	} cases[] = {
		{ "{}", "The click limit field must be present." },
		{ "{\"limit\":5}", "The click limit field must be present." },
		{ "{\"click_limit\":-1}", "The click limit field must be at least 0." },
		{ "{\"click_limit\":4294967296}",
		    "The click limit field must not be greater than 4294967295." },
		{ "{\"click_limit\":\"abc\"}", "The click limit field must be an integer." },
		{ "{\"click_limit\":1.5}", "The click limit field must be an integer." },
		{ "{\"click_limit\":true}", "The click limit field must be an integer." },
		{ "{\"click_limit\":[1]}", "The click limit field must be an integer." },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_422(id, "overrides/clicks", cases[i].body,
		    error_of("click_limit", cases[i].message));
}

/* ------------------------------------------------------------------ */
/* overrides/costs                                                     */
/* ------------------------------------------------------------------ */

/* Amounts in major units, as given, and the minor units stored: exact. */
Test(participants_write, costs_cpc_in_minor_units)
{
	long long id = fixture("minor", "accepted");
	static const struct {
		const char *amount;	/* JSON as sent */
		const char *minor;	/* stored */
		const char *shown;	/* in the activity */
	} cases[] = {
		{ "\"1.2\"", "120", "1.20" },
		{ "1.2", "120", "1.20" },
		{ "\"0\"", "0", "0.00" },
		{ "0", "0", "0.00" },
		{ "\"0.05\"", "5", "0.05" },
		{ "\"0.10\"", "10", "0.10" },
		{ "12", "1200", "12.00" },
		{ "\"12.34\"", "1234", "12.34" },
		{ "1e2", "10000", "100.00" },
		{ "\"2.50\"", "250", "2.50" },
		{ "\"92233720368547758.07\"", "9223372036854775807", "92233720368547758.07" },
	};
	char body[256], q[256], want[256], *s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		clear_activities(id);
		snprintf(q, sizeof(q), "DELETE FROM offer_user_cost_overrides WHERE"
		    " offer_user_id = %lld", id);
		free(sql(q));
		snprintf(body, sizeof(body), "{\"traffic_sources_costs\":[{\"source\":1,"
		    "\"cpc\":{\"amount\":%s,\"currency\":\"SEK\"}}]}", cases[i].amount);
		struct resp r = patch(id, "overrides/costs", body);
		expect_participant(&r, id, "accepted");
		resp_free(&r);
		snprintf(q, sizeof(q), "SELECT CONCAT_WS(':', source, cpc, IFNULL(cpa, '-'), currency)"
		    " FROM offer_user_cost_overrides WHERE offer_user_id = %lld", id);
		s = sql(q);
		snprintf(want, sizeof(want), "1:%s:-:SEK", cases[i].minor);
		cr_expect_str_eq(s, want, "%s", cases[i].amount);
		free(s);
		s = activities(id);
		snprintf(want, sizeof(want), "costs_overridden %d {\"traffic_sources_costs\":"
		    "[{\"source\":1,\"cpc\":{\"amount\":\"%s\",\"currency\":\"SEK\"},\"cpa\":null}]}",
		    MEMBER1, cases[i].shown);
		cr_expect_str_eq(s, want, "%s", cases[i].amount);
		free(s);
	}
}

Test(participants_write, costs_replace)
{
	long long id = fixture("costs", "accepted");
	char *s, want[1024];

	/* The reference's example: 1.2 SEK a click, 20 % a sale, on Instagram. */
	struct resp r = patch(id, "overrides/costs", "{\"traffic_sources_costs\":[{\"source\":1,"
	    "\"cpc\":{\"amount\":\"1.2\",\"currency\":\"SEK\"},\"cpa\":0.2},{\"source\":0,"
	    "\"cpa\":\"0.05\"}]}");
	expect_participant(&r, id, "accepted");
	resp_free(&r);
	s = card(id);
	cr_expect_str_eq(s, "accepted|-|-|0:-:0.050000:SEK,1:120:0.200000:SEK|1");
	free(s);
	s = activities(id);
	snprintf(want, sizeof(want), "costs_overridden %d {\"traffic_sources_costs\":[{\"source\""
	    ":1,\"cpc\":{\"amount\":\"1.20\",\"currency\":\"SEK\"},\"cpa\":0.2},{\"source\":0,"
	    "\"cpc\":null,\"cpa\":0.05}]}", MEMBER1);
	cr_expect_str_eq(s, want);
	free(s);

	/* The same again (written otherwise): nothing changes, nothing is logged. */
	r = patch(id, "overrides/costs", "{\"traffic_sources_costs\":[{\"source\":0,"
	    "\"cpa\":0.050},{\"source\":1,\"cpc\":{\"amount\":1.20,\"currency\":\"SEK\"},"
	    "\"cpa\":\"0.2\"}]}");
	expect_participant(&r, id, "accepted");
	resp_free(&r);
	s = card(id);
	cr_expect_str_eq(s, "accepted|-|-|0:-:0.050000:SEK,1:120:0.200000:SEK|1");
	free(s);

	/*
	 * The list replaces the overrides: source 0 is not given (removed),
	 * source 1 has both null (removed), 3 is new, 4 changes nothing.
	 */
	r = patch(id, "overrides/costs", "{\"traffic_sources_costs\":[{\"source\":1,\"cpc\":null,"
	    "\"cpa\":null},{\"source\":3,\"cpc\":{\"amount\":0,\"currency\":\"SEK\"},\"cpa\":\"1\"},"
	    "{\"source\":4}]}");
	expect_participant(&r, id, "accepted");
	resp_free(&r);
	s = card(id);
	cr_expect_str_eq(s, "accepted|-|-|3:0:1.000000:SEK|2");
	free(s);
	char q[256];
	snprintf(q, sizeof(q), "SELECT data FROM offer_user_activities WHERE offer_user_id = %lld"
	    " ORDER BY id DESC LIMIT 1", id);
	s = sql(q);
	cr_expect_str_eq(s, "{\"traffic_sources_costs\":[{\"source\":1,\"cpc\":null,\"cpa\":null},"
	    "{\"source\":3,\"cpc\":{\"amount\":\"0.00\",\"currency\":\"SEK\"},\"cpa\":1},"
	    "{\"source\":4,\"cpc\":null,\"cpa\":null}]}");
	free(s);

	/* Every item null: no override left. */
	r = patch(id, "overrides/costs", "{\"traffic_sources_costs\":[{\"source\":3}]}");
	expect_participant(&r, id, "accepted");
	resp_free(&r);
	s = card(id);
	cr_expect_str_eq(s, "accepted|-|-|-|3");
	free(s);

	expect_all_or_nothing(id, "overrides/costs", "{\"traffic_sources_costs\":[{\"source\":2,"
	    "\"cpc\":{\"amount\":\"0.5\",\"currency\":\"SEK\"},\"cpa\":0.000001}]}");
	s = card(id);
	cr_expect_str_eq(s, "accepted|-|-|2:50:0.000001:SEK|4");
	free(s);
}

/* A participant of store 2's campaign (NOK) takes NOK, not SEK. */
Test(participants_write, costs_in_the_campaigns_currency)
{
	char *before, *after;
	static const char nok[] = "{\"traffic_sources_costs\":[{\"source\":0,\"cpc\":"
	    "{\"amount\":\"3.50\",\"currency\":\"NOK\"}}]}";

	/* Demo participant 22 already has this override: nothing changes. */
	before = card(22);
	struct resp r = patch_as(MEMBER2, 8, 22, "overrides/costs", nok);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(jint(r.json, "id"), 22);
	resp_free(&r);
	after = card(22);
	cr_expect_str_eq(after, before);
	free(after);
	r = patch_as(MEMBER2, 8, 22, "overrides/costs", "{\"traffic_sources_costs\":[{\"source\""
	    ":0,\"cpc\":{\"amount\":\"3.50\",\"currency\":\"SEK\"}}]}");
	cr_expect_eq(r.status, 422, "%s", r.body);
	cr_expect_str_eq(r.body, error_of("traffic_sources_costs.0.cpc.currency",
	    "The selected traffic sources costs.0.cpc.currency is invalid."));
	resp_free(&r);
	after = card(22);
	cr_expect_str_eq(after, before);
	free(after);
	free(before);
}

Test(participants_write, costs_422)
{
	long long id = fixture("c422", "open");
	static const struct {
		const char *items;	/* the value of traffic_sources_costs */
		const char *key, *message;
	} cases[] = {
		{ "null", "traffic_sources_costs", "The traffic sources costs field is required." },
		{ "[]", "traffic_sources_costs", "The traffic sources costs field is required." },
		{ "\"x\"", "traffic_sources_costs", "The traffic sources costs field must be an array." },
		{ "[{\"source\":0},{\"source\":1},{\"source\":2},{\"source\":3},{\"source\":4},"
		  "{\"source\":0}]", "traffic_sources_costs",
		    "The traffic sources costs field must not have more than 5 items." },
		{ "[1]", "traffic_sources_costs.0", "The traffic sources costs.0 field must be an array." },
		{ "[{\"cpa\":0.1}]", "traffic_sources_costs.0.source",
		    "The traffic sources costs.0.source field is required." },
		{ "[{\"source\":5}]", "traffic_sources_costs.0.source",
		    "The traffic sources costs.0.source field must not be greater than 4." },
		{ "[{\"source\":-1}]", "traffic_sources_costs.0.source",
		    "The traffic sources costs.0.source field must be at least 0." },
		{ "[{\"source\":\"a\"}]", "traffic_sources_costs.0.source",
		    "The traffic sources costs.0.source field must be an integer." },
		{ "[{\"source\":0,\"cpc\":\"1.2\"}]", "traffic_sources_costs.0.cpc",
		    "The traffic sources costs.0.cpc field must be an array." },
		{ "[{\"source\":0,\"cpc\":{\"currency\":\"SEK\"}}]", "traffic_sources_costs.0.cpc.amount",
		    "The traffic sources costs.0.cpc.amount field is required." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":\"1.234\",\"currency\":\"SEK\"}}]",
		    "traffic_sources_costs.0.cpc.amount",
		    "The traffic sources costs.0.cpc.amount field must have 0-2 decimal places." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":1.005,\"currency\":\"SEK\"}}]",
		    "traffic_sources_costs.0.cpc.amount",
		    "The traffic sources costs.0.cpc.amount field must have 0-2 decimal places." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":-1,\"currency\":\"SEK\"}}]",
		    "traffic_sources_costs.0.cpc.amount",
		    "The traffic sources costs.0.cpc.amount field must be at least 0." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":\"1,2\",\"currency\":\"SEK\"}}]",
		    "traffic_sources_costs.0.cpc.amount",
		    "The traffic sources costs.0.cpc.amount field must be a number." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":\"92233720368547758.08\",\"currency\":\"SEK\"}}]",
		    "traffic_sources_costs.0.cpc.amount",
		    "The traffic sources costs.0.cpc.amount field must not be greater than"
		    " 92233720368547758.07." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":1}}]", "traffic_sources_costs.0.cpc.currency",
		    "The traffic sources costs.0.cpc.currency field is required." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":1,\"currency\":\"NOK\"}}]",
		    "traffic_sources_costs.0.cpc.currency",
		    "The selected traffic sources costs.0.cpc.currency is invalid." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":1,\"currency\":\"XYZ\"}}]",
		    "traffic_sources_costs.0.cpc.currency",
		    "The selected traffic sources costs.0.cpc.currency is invalid." },
		{ "[{\"source\":0,\"cpc\":{\"amount\":1,\"currency\":\"sek\"}}]",
		    "traffic_sources_costs.0.cpc.currency",
		    "The selected traffic sources costs.0.cpc.currency is invalid." },
		{ "[{\"source\":0,\"cpa\":1.5}]", "traffic_sources_costs.0.cpa",
		    "The traffic sources costs.0.cpa field must not be greater than 1." },
		{ "[{\"source\":0,\"cpa\":\"-0.1\"}]", "traffic_sources_costs.0.cpa",
		    "The traffic sources costs.0.cpa field must be at least 0." },
		{ "[{\"source\":0,\"cpa\":\"0.0000001\"}]", "traffic_sources_costs.0.cpa",
		    "The traffic sources costs.0.cpa field must have 0-6 decimal places." },
		{ "[{\"source\":0,\"cpa\":\"x\"}]", "traffic_sources_costs.0.cpa",
		    "The traffic sources costs.0.cpa field must be a number." },
	};
	char body[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(body, sizeof(body), "{\"traffic_sources_costs\":%s}", cases[i].items);
		expect_422(id, "overrides/costs", body, error_of(cases[i].key, cases[i].message));
	}
	expect_422(id, "overrides/costs", "{}", error_of("traffic_sources_costs",
	    "The traffic sources costs field is required."));

	/* A source twice: each time it appears, before any currency. */
	expect_422(id, "overrides/costs", "{\"traffic_sources_costs\":[{\"source\":2,\"cpa\":0.1},"
	    "{\"source\":1,\"cpc\":{\"amount\":1,\"currency\":\"EUR\"}},{\"source\":2}]}",
	    "{\"message\":\"The traffic sources costs.0.source field has a duplicate value."
	    " (and 2 more errors)\",\"errors\":{\"traffic_sources_costs.0.source\":[\"The traffic"
	    " sources costs.0.source field has a duplicate value.\"],"
	    "\"traffic_sources_costs.2.source\":[\"The traffic sources costs.2.source field has a"
	    " duplicate value.\"],\"traffic_sources_costs.1.cpc.currency\":[\"The selected traffic"
	    " sources costs.1.cpc.currency is invalid.\"]}}");
}

/* ------------------------------------------------------------------ */
/* GET /v2/offer-users/{offer_user}/activities                         */
/* ------------------------------------------------------------------ */

/* Adds an activity to card id; returns its id. */
static long long
add_activity(long long id, const char *actor, const char *type, const char *data,
    const char *at)
{
	char q[512];

	snprintf(q, sizeof(q), "INSERT INTO offer_user_activities (offer_user_id, actor_id, type,"
	    " data, created_at) VALUES (%lld, %s, '%s', %s, '%s')", id, actor, type, data, at);
	free(sql(q));
	return sql_number("SELECT MAX(id) FROM offer_user_activities");
}

static struct resp
list_as(int user, long long id, const char *query)
{
	char url[160];

	snprintf(url, sizeof(url), "/v2/offer-users/%lld/activities%s", id, query);
	return req("GET", url, tok(user), NULL);
}

Test(participants_write, activities_order_and_shape)
{
	long long id = fixture("log", "open");
	long long a1 = add_activity(id, "2", "status_changed",
	    "JSON_OBJECT('from', 'open', 'to', 'accepted')", "2025-03-01 10:00:00");
	long long a2 = add_activity(id, "NULL", "added", "NULL", "2025-03-01 10:00:00");
	long long a3 = add_activity(id, "3", "joined", "NULL", "2025-03-02 09:00:00");
	long long a4 = add_activity(id, "1", "click_limit_overridden",
	    "JSON_OBJECT('from', NULL, 'to', 5)", "2025-02-28 08:00:00");
	char want[1024], q[256], *s;

	/* Newest first; the same second by id, the later first. */
	struct resp r = list_as(MEMBER1, id, "");
	cr_assert_eq(r.status, 200, "%s", r.body);
	snprintf(want, sizeof(want), "%lld,%lld,%lld,%lld", a3, a2, a1, a4);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	snprintf(q, sizeof(q), "SELECT GROUP_CONCAT(id ORDER BY created_at DESC, id DESC)"
	    " FROM offer_user_activities WHERE offer_user_id = %lld", id);
	s = sql(q);
	cr_expect_str_eq(s, want);
	free(s);
	cr_expect_str_eq(jkeys(r.json), "data,links,meta");
	cr_expect_eq(jint(r.json, "meta.total"), 4);
	cr_expect_eq(jint(r.json, "meta.per_page"), 20);
	snprintf(want, sizeof(want), "{\"id\":%lld,\"type\":\"joined\",\"data\":null,\"actor\":"
	    "{\"id\":3,\"username\":\"creator.one\"},\"created_at\":\"2025-03-02 09:00:00\"}", a3);
	cr_expect_str_eq(jtext(jpath(r.json, "data.0")), want);
	snprintf(want, sizeof(want), "{\"id\":%lld,\"type\":\"added\",\"data\":null,\"actor\":null,"
	    "\"created_at\":\"2025-03-01 10:00:00\"}", a2);
	cr_expect_str_eq(jtext(jpath(r.json, "data.1")), want);
	snprintf(want, sizeof(want), "{\"id\":%lld,\"type\":\"status_changed\",\"data\":{\"from\":"
	    "\"open\",\"to\":\"accepted\"},\"actor\":{\"id\":2,\"username\":\"store1.member\"},"
	    "\"created_at\":\"2025-03-01 10:00:00\"}", a1);
	cr_expect_str_eq(jtext(jpath(r.json, "data.2")), want);
	snprintf(want, sizeof(want), "{\"id\":%lld,\"type\":\"click_limit_overridden\",\"data\":"
	    "{\"from\":null,\"to\":5},\"actor\":{\"id\":1,\"username\":\"admin\"},"
	    "\"created_at\":\"2025-02-28 08:00:00\"}", a4);
	cr_expect_str_eq(jtext(jpath(r.json, "data.3")), want);
	resp_free(&r);

	/* Pages of 2. */
	r = list_as(ADMIN, id, "?size=2");
	cr_expect_eq(r.status, 200, "%s", r.body);
	snprintf(want, sizeof(want), "%lld,%lld", a3, a2);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect_eq(jint(r.json, "meta.last_page"), 2);
	cr_expect_eq(jint(r.json, "meta.per_page"), 2);
	resp_free(&r);
	r = list_as(ADMIN, id, "?size=2&page=2");
	snprintf(want, sizeof(want), "%lld,%lld", a1, a4);
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect_eq(jint(r.json, "meta.current_page"), 2);
	resp_free(&r);
	r = list_as(ADMIN, id, "?size=2&page=3");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "");
	cr_expect_eq(jint(r.json, "meta.total"), 4);
	resp_free(&r);

	/* 20 a page unless asked, at most 100. */
	snprintf(q, sizeof(q), "INSERT INTO offer_user_activities (offer_user_id, type, created_at)"
	    " SELECT %lld, 'todo_changed', '2025-01-01 00:00:00' + INTERVAL seq MINUTE"
	    " FROM seq_1_to_30", id);
	free(sql(q));
	r = list_as(MEMBER1, id, "");
	cr_expect_eq(json_object_array_length(jpath(r.json, "data")), 20);
	cr_expect_eq(jint(r.json, "meta.total"), 34);
	cr_expect_eq(jint(r.json, "meta.last_page"), 2);
	cr_expect_eq(jint(r.json, "data.0.id"), a3);
	resp_free(&r);
	r = list_as(MEMBER1, id, "?size=100");
	cr_expect_eq(json_object_array_length(jpath(r.json, "data")), 34);
	snprintf(q, sizeof(q), "SELECT GROUP_CONCAT(id ORDER BY created_at DESC, id DESC)"
	    " FROM offer_user_activities WHERE offer_user_id = %lld", id);
	s = sql(q);
	cr_expect_str_eq(jids(jpath(r.json, "data")), s);
	free(s);
	resp_free(&r);

	static const struct {
		const char *query, *key, *message;
	} bad[] = {
		{ "?size=101", "size", "The size field must not be greater than 100." },
		{ "?size=0", "size", "The size field must be at least 1." },
		{ "?size=x", "size", "The size field must be an integer." },
		{ "?page=0", "page", "The page field must be at least 1." },
		{ "?page=1.5", "page", "The page field must be an integer." },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = list_as(MEMBER1, id, bad[i].query);
		cr_expect_eq(r.status, 422, "%s: %s", bad[i].query, r.body);
		cr_expect_str_eq(r.body, error_of(bad[i].key, bad[i].message), "%s", bad[i].query);
		resp_free(&r);
	}
}

/*
 * Who reads a card's log: its store's members and admins, and the
 * creator whose participation it is; nobody else learns it exists.
 */
Test(participants_write, activities_who_may_read)
{
	long long id = fixture("readers", "open");
	char q[256], *s;

	add_activity(id, "2", "added", "NULL", "2025-03-01 10:00:00");
	static const struct {
		int user;
		long long card;
		long status;
	} cases[] = {
		{ ADMIN, 0, 200 }, { MEMBER1, 0, 200 }, { MEMBER2, 0, 404 },
		{ CREATOR1, 0, 404 }, { CREATOR2, 0, 404 },
		/* Demo participant 1 is creator 3's own (offer 1, store 1). */
		{ CREATOR1, 1, 200 }, { CREATOR2, 1, 404 }, { MEMBER2, 1, 404 },
		{ ADMIN, 1, 200 },
		/* Demo participant 22 is creator 5's (offer 8, store 2). */
		{ CREATOR2, 22, 200 }, { MEMBER2, 22, 200 }, { MEMBER1, 22, 404 },
		{ CREATOR1, 22, 404 },
		{ ADMIN, 999999999, 404 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long card_id = cases[i].card ? cases[i].card : id;
		struct resp r = list_as(cases[i].user, card_id, "");
		cr_expect_eq(r.status, cases[i].status, "user %d card %lld: %ld %s",
		    cases[i].user, card_id, r.status, r.body);
		if (cases[i].status != 200)
			cr_expect_str_eq(r.body, error_body(cases[i].status));
		else {
			snprintf(q, sizeof(q), "SELECT GROUP_CONCAT(id ORDER BY created_at DESC,"
			    " id DESC) FROM offer_user_activities WHERE offer_user_id = %lld", card_id);
			s = sql(q);
			cr_expect_str_eq(jids(jpath(r.json, "data")), s, "user %d card %lld",
			    cases[i].user, card_id);
			free(s);
		}
		resp_free(&r);
	}
	struct resp r = req("GET", "/v2/offer-users/abc/activities", tok(ADMIN), NULL);
	expect_error(r, 404);
	resp_free(&r);

	/* The demo card of creator 3 as the reference's types have it. */
	r = list_as(CREATOR1, 1, "");
	cr_expect_eq(jint(r.json, "meta.total"),
	    sql_number("SELECT COUNT(*) FROM offer_user_activities WHERE offer_user_id = 1"));
	s = sql("SELECT data FROM offer_user_activities WHERE id = 8");
	struct json_object *costs = json_tokener_parse(s);
	free(s);
	bool seen = false;
	for (size_t i = 0; i < json_object_array_length(jpath(r.json, "data")); i++) {
		struct json_object *it = json_object_array_get_idx(jpath(r.json, "data"), i);
		if (jint(it, "id") != 8)
			continue;
		seen = true;
		cr_expect_str_eq(jstr(it, "type"), "costs_overridden");
		cr_expect_str_eq(jtext(jpath(it, "data")), jtext(costs));
	}
	cr_expect(seen, "activity 8 is not listed: %s", r.body);
	json_object_put(costs);
	resp_free(&r);
}
