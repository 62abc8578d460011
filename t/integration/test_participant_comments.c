/*
 * test_participant_comments.c -- joining a campaign by its token, and the
 * comments on a participant's card, through nginx: who may call, every
 * rule of join (a new row, a pre-registered row taken over by e-mail
 * address and by identifier, a row the store added, twice, two at once),
 * the refusals (others, not targeted, blocklisted, not active, deleted),
 * the comments' shape, 403/404 across stores and users, every 422, the
 * activity rows, and that a change whose activity row cannot be written
 * is not made.
 *
 * What the tests write is removed by cleanup() (the suite's .fini):
 * comments whose text starts "it-pcomm", participants of campaigns 1-7 of
 * users 5, 15, 16, 19, 21, 96 and 97 (none in the demo data), the
 * pre-registered rows, users 96 and 97, the trigger.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2
#define CREATOR1 3
#define MEMBER2 4
#define CREATOR2 5
#define OTHER_CREATOR 6	/* participant 2 of offer 1, not 1's creator */
#define JOINER 16	/* client 1: offer 1 targets the market and the client */
#define ADDED 15	/* client 1; the tests add them to offer 1 without joined_at */
#define BY_EMAIL 96	/* made here, with a pre-registered row by e-mail */
#define BY_IDENT 97	/* made here, with a pre-registered row by identifier */

/* Campaign tokens of the demo data (sql/README). */
#define T_ACTIVE "67twgittqxf0vmxa"	/* 1, store 1 */
#define T_SCHEDULED "y37mskisr1m0d2bu"	/* 3, targets tag 2 */
#define T_ENDED "rcdkszfnzfvuhxd6"	/* 4, targets market 1 */
#define T_PAUSED "0pqri8xt9wtbxkgs"	/* 5, targets client 1 */
#define T_DELETED "s7v59qcqjhoxvwk0"	/* 6 */

#define DB_CLIENT "mariadb --no-defaults --socket='%s/db/mysql.sock' -uroot metapic -e "

static const char cleanup_sql[] =
    "DROP TRIGGER IF EXISTS it_pcomm_fail; "
    "DELETE a FROM offer_user_activities a JOIN offer_user_comments c"
    " ON c.id = JSON_VALUE(a.data, '\\$.comment_id')"
    " WHERE a.type LIKE 'comment%' AND c.comment LIKE 'it-pcomm%'; "
    "DELETE FROM offer_user_comments WHERE comment LIKE 'it-pcomm%'; "
    "DELETE FROM offer_users WHERE offer_id BETWEEN 1 AND 7"
    " AND user_id IN (5, 15, 16, 19, 21, 96, 97); "
    "DELETE FROM offer_users WHERE pre_registered_email LIKE 'it-pcomm%'"
    " OR pre_registered_identifier LIKE 'it-pcomm%'; "
    "DELETE FROM offer_targets WHERE offer_id = 1 AND user_id = 5; "
    "DELETE FROM users WHERE id IN (96, 97);";

/*
 * Removes what the tests write. Through the mariadb client and not sql():
 * an assertion in a .fini is not reported, so a failure is written to
 * METAPIC_DIR/cleanup-failures, which run.sh fails on.
 */
static void
cleanup(void)
{
	char line[4096], path[1024];
	FILE *f;
	int rc;

	snprintf(line, sizeof(line), DB_CLIENT "\"%s\"", getenv("METAPIC_DIR"), cleanup_sql);
	if ((rc = system(line)) == 0)
		return;
	snprintf(path, sizeof(path), "%s/cleanup-failures", getenv("METAPIC_DIR"));
	if ((f = fopen(path, "a")) != NULL) {
		fprintf(f, "participant_comments::%s: cleanup (%d)\n",
		    criterion_current_test->name, rc);
		fclose(f);
	}
}

TestSuite(participant_comments, .init = cleanup, .fini = cleanup);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static struct resp
join(int caller, const char *token, int uid)
{
	char path[128];

	snprintf(path, sizeof(path), "/v2/offer-by-token/%s/users/%d/join", token, uid);
	return req("POST", path, tok(caller), NULL);
}

/* Rows of the tables a join or a comment writes, as one line. malloc'd. */
static char *
write_counts(void)
{
	return sql("SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM offer_users),"
	    " (SELECT COUNT(*) FROM offer_user_activities),"
	    " (SELECT COUNT(*) FROM offer_user_comments),"
	    " (SELECT COUNT(*) FROM offer_user_comments WHERE deleted_at IS NOT NULL),"
	    " (SELECT IFNULL(SUM(CRC32(CONCAT_WS('|', id, offer_id, IFNULL(user_id, '-'),"
	    " IFNULL(pre_registered_email, '-'), IFNULL(pre_registered_identifier, '-'), status,"
	    " IFNULL(joined_at, '-'), updated_at))), 0) FROM offer_users),"
	    " (SELECT IFNULL(SUM(CRC32(CONCAT_WS('|', id, comment, updated_at))), 0)"
	    " FROM offer_user_comments))");
}

/* offer 1's participant row of user uid, as "status|joined?|pre-registered", or "". */
static char *
row_of(int uid)
{
	return sqlf("SELECT CONCAT_WS('|', status, joined_at IS NOT NULL,"
	    " CONCAT(IFNULL(pre_registered_email, '-'), IFNULL(pre_registered_identifier, '-')))"
	    " FROM offer_users WHERE offer_id = 1 AND user_id = %d", uid);
}

/*
 * Checks that body is participant id of offer 1 for user uid, as the
 * shared shape shows a user's row: keys, ids, status, and todo with
 * offer 1's items.
 */
static void
expect_participant(struct json_object *j, long long id, int uid, const char *status)
{
	cr_expect_str_eq(jkeys(j), "id,offer_id,user_id,display_name,clicks,status,todo,"
	    "payment_amount");
	cr_expect_eq(jint(j, "id"), id);
	cr_expect_eq(jint(j, "offer_id"), 1);
	cr_expect_eq(jint(j, "user_id"), uid);
	cr_expect_null(jpath(j, "display_name"));
	cr_expect_str_eq(jstr(j, "status"), status);
	cr_expect_eq((long long)json_object_array_length(jpath(j, "todo")),
	    sql_number("SELECT COUNT(*) FROM offer_todo_items WHERE offer_id = 1"));
}

/* Activities of participant ou of type, by actor, as "actor:data,..." (malloc'd). */
static char *
activities(long long ou, const char *type)
{
	return sqlf("SELECT IFNULL(GROUP_CONCAT(CONCAT(actor_id, ':', IFNULL(data, '-'))"
	    " ORDER BY id), '') FROM offer_user_activities WHERE offer_user_id = %lld"
	    " AND type = '%s'", ou, type);
}

static void
add_user(int id, int client)
{
	char c[16];

	snprintf(c, sizeof(c), client ? "%d" : "NULL", client);
	free(sqlf("INSERT INTO users (id, username, email, client_id) VALUES"
	    " (%d, 'it-pcomm-%d', 'it-pcomm-%d@example.com', %s)", id, id, id, c));
}

/* Makes the activity log refuse every insert (statements fail, 500). */
static void
fail_activities(void)
{
	free(sql("CREATE TRIGGER it_pcomm_fail BEFORE INSERT ON offer_user_activities"
	    " FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'it-pcomm'"));
}

/* ------------------------------------------------------------------ */
/* POST /v2/offer-by-token/{offer_token}/users/{user_id}/join          */
/* ------------------------------------------------------------------ */

Test(participant_comments, join_makes_a_row_and_twice_changes_nothing)
{
	long long n = sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1");
	struct resp r = join(JOINER, T_ACTIVE, JOINER);
	char *row, *before, *after, *act;

	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = sql_numberf("SELECT id FROM offer_users WHERE offer_id = 1 AND user_id = %d",
	    JOINER);
	expect_participant(r.json, id, JOINER, "open");
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1"), n + 1);
	row = row_of(JOINER);
	cr_expect_str_eq(row, "open|1|--");
	free(row);
	cr_expect_eq(sql_numberf("SELECT TIMESTAMPDIFF(SECOND, joined_at, UTC_TIMESTAMP()) < 60"
	    " FROM offer_users WHERE id = %lld", id), 1, "joined now (UTC)");
	act = activities(id, "joined");
	cr_expect_str_eq(act, "16:-", "one 'joined' by the user");
	free(act);

	/* Again, a second later: the same row, unchanged, 200, no activity. */
	before = write_counts();
	usleep(1100000);
	r = join(JOINER, T_ACTIVE, JOINER);
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_participant(r.json, id, JOINER, "open");
	resp_free(&r);
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
}

Test(participant_comments, join_takes_over_a_pre_registered_row_by_email)
{
	char *row, *act;

	add_user(BY_EMAIL, 1);
	/* The address as the store typed it: matched without regard to case. */
	free(sql("INSERT INTO offer_users (offer_id, pre_registered_email, status) VALUES"
	    " (1, 'IT-pcomm-96@Example.com', 'suggestion')"));
	long long id = sql_number("SELECT id FROM offer_users WHERE pre_registered_email ="
	    " 'IT-pcomm-96@Example.com'");
	long long n = sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1");

	struct resp r = join(BY_EMAIL, T_ACTIVE, BY_EMAIL);
	cr_expect_eq(r.status, 201, "%s", r.body);
	expect_participant(r.json, id, BY_EMAIL, "suggestion");
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1"), n,
	    "the row became theirs: none added");
	row = row_of(BY_EMAIL);
	cr_expect_str_eq(row, "suggestion|1|--", "pre-registered address cleared, joined");
	free(row);
	act = activities(id, "joined");
	cr_expect_str_eq(act, "96:-");
	free(act);

	/* Theirs now: joining again changes nothing. */
	r = join(BY_EMAIL, T_ACTIVE, BY_EMAIL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(jint(r.json, "id"), id);
	resp_free(&r);
}

Test(participant_comments, join_takes_over_a_pre_registered_row_by_identifier)
{
	char *row, *act;

	/*
	 * No client, so no market or client target: the pre-registered row
	 * that names one of their identifiers is their invitation.
	 */
	add_user(BY_IDENT, 0);
	free(sql("INSERT INTO social_media_accounts (user_id, platform, identifier) VALUES"
	    " (97, 'instagram', 'it-pcomm-97')"));
	free(sql("INSERT INTO offer_users (offer_id, pre_registered_identifier, status) VALUES"
	    " (1, 'it-pcomm-97', 'open')"));
	long long id = sql_number("SELECT id FROM offer_users WHERE pre_registered_identifier ="
	    " 'it-pcomm-97'");
	long long n = sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1");

	struct resp r = join(BY_IDENT, T_ACTIVE, BY_IDENT);
	cr_expect_eq(r.status, 201, "%s", r.body);
	expect_participant(r.json, id, BY_IDENT, "open");
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1"), n);
	row = row_of(BY_IDENT);
	cr_expect_str_eq(row, "open|1|--");
	free(row);
	act = activities(id, "joined");
	cr_expect_str_eq(act, "97:-");
	free(act);
}

Test(participant_comments, join_sets_joined_at_of_a_row_the_store_added)
{
	char *row, *act, *before, *after;

	free(sqlf("INSERT INTO offer_users (offer_id, user_id, status) VALUES (1, %d, 'accepted')",
	    ADDED));
	long long id = sql_numberf("SELECT id FROM offer_users WHERE offer_id = 1 AND user_id = %d",
	    ADDED);
	struct resp r = join(ADDED, T_ACTIVE, ADDED);
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_participant(r.json, id, ADDED, "accepted");
	resp_free(&r);
	row = row_of(ADDED);
	cr_expect_str_eq(row, "accepted|1|--", "joined_at set, the status kept");
	free(row);
	act = activities(id, "joined");
	cr_expect_str_eq(act, "15:-");
	free(act);

	before = write_counts();
	r = join(ADDED, T_ACTIVE, ADDED);
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
}

Test(participant_comments, join_refusals)
{
	static const struct {
		int caller;
		const char *token;
		int uid;
		long status;
		const char *why;
	} cases[] = {
		{ ADMIN, T_ACTIVE, CREATOR1, 403, "an admin for another user" },
		{ MEMBER1, T_ACTIVE, CREATOR1, 403, "the store's member for a user" },
		{ OTHER_CREATOR, T_ACTIVE, JOINER, 403, "another creator" },
		{ ADMIN, T_ACTIVE, ADMIN, 403, "an admin for themselves: not targeted" },
		{ 21, T_ACTIVE, 21, 403, "not targeted (client 2, tag 1)" },
		{ 21, T_ENDED, 21, 403, "not targeted comes before not active" },
		{ 19, T_ACTIVE, 19, 403, "targeted by market, blocklisted by tag 7" },
		{ CREATOR2, T_ACTIVE, CREATOR2, 403, "targeted by id (below), blocklisted" },
		{ 9, T_SCHEDULED, 9, 422, "targeted by tag 2, scheduled" },
		{ JOINER, T_ENDED, JOINER, 422, "ended" },
		{ JOINER, T_PAUSED, JOINER, 422, "paused" },
		{ JOINER, T_DELETED, JOINER, 404, "deleted" },
		{ JOINER, "zzzzzzzzzzzzzzzz", JOINER, 404, "no such token" },
		{ JOINER, "short", JOINER, 404, "not a token" },
	};
	const char *want422 = "{\"message\":\"The campaign is not open for joining.\","
	    "\"errors\":{\"offer_token\":[\"The campaign is not open for joining.\"]}}";
	char *before, *after;

	free(sql("INSERT INTO offer_targets (offer_id, kind, user_id) VALUES (1, 'user', 5)"));
	before = write_counts();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = join(cases[i].caller, cases[i].token, cases[i].uid);
		cr_expect_eq(r.status, cases[i].status, "%s: %ld %s", cases[i].why, r.status,
		    r.body);
		if (cases[i].status == 422)
			cr_expect_str_eq(r.body, want422, "%s", cases[i].why);
		else
			cr_expect_str_eq(r.body, error_body(cases[i].status), "%s", cases[i].why);
		resp_free(&r);
	}
	after = write_counts();
	cr_expect_str_eq(after, before, "nothing written");
	free(before);
	free(after);
}

/*
 * Sends a join in the background with curl; its status goes to
 * METAPIC_DIR/name.status.
 */
static void
join_async(const char *name, int uid)
{
	char line[4096];

	snprintf(line, sizeof(line),
	    "curl -s -o /dev/null -w '%%{http_code}' -X POST -H 'Authorization: %s'"
	    " '%s/v2/offer-by-token/" T_ACTIVE "/users/%d/join' >'%s/%s.status' &",
	    tok(uid), base_http(), uid, getenv("METAPIC_DIR"), name);
	cr_assert_eq(system(line), 0);
}

/* Waits up to 15 s for the background request name; returns its status. */
static long
join_await(const char *name)
{
	char path[1024], buf[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.status", getenv("METAPIC_DIR"), name);
	for (int i = 0; i < 150; i++) {
		if ((f = fopen(path, "r")) != NULL) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
			buf[n] = '\0';
			if (n == 3)
				break;
		}
		usleep(100000);
	}
	unlink(path);
	return atol(buf);
}

Test(participant_comments, two_joins_at_once_make_one_row)
{
	char line[1024], *act;

	/* Campaign 1's row held: both joins wait, then run one after the other. */
	snprintf(line, sizeof(line), DB_CLIENT "\"START TRANSACTION;"
	    " SELECT id FROM offers WHERE id = 1 FOR UPDATE; DO SLEEP(1.5); COMMIT;\""
	    " >/dev/null 2>&1 &", getenv("METAPIC_DIR"));
	cr_assert_eq(system(line), 0);
	usleep(300000);
	join_async("pcomm-a", JOINER);
	join_async("pcomm-b", JOINER);
	long a = join_await("pcomm-a"), b = join_await("pcomm-b");

	cr_expect((a == 201 && b == 200) || (a == 200 && b == 201), "statuses %ld %ld", a, b);
	cr_expect_eq(sql_numberf("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1 AND user_id = %d",
	    JOINER), 1);
	act = activities(sql_numberf("SELECT id FROM offer_users WHERE offer_id = 1 AND user_id = %d",
	    JOINER), "joined");
	cr_expect_str_eq(act, "16:-", "one 'joined'");
	free(act);
}

Test(participant_comments, join_is_all_or_nothing)
{
	char *before, *after, *row;

	add_user(BY_EMAIL, 1);
	free(sql("INSERT INTO offer_users (offer_id, pre_registered_email, status) VALUES"
	    " (1, 'it-pcomm-96@example.com', 'open')"));
	free(sqlf("INSERT INTO offer_users (offer_id, user_id, status) VALUES (1, %d, 'open')",
	    ADDED));
	before = write_counts();
	fail_activities();
	/* A new row, a taken-over row, joined_at set: each is undone. */
	static const int users[] = { JOINER, BY_EMAIL, ADDED };
	for (size_t i = 0; i < 3; i++) {
		struct resp r = join(users[i], T_ACTIVE, users[i]);
		expect_error(r, 500);
		resp_free(&r);
	}
	free(sql("DROP TRIGGER it_pcomm_fail"));
	after = write_counts();
	cr_expect_str_eq(after, before, "nothing changed");
	free(before);
	free(after);
	row = row_of(ADDED);
	cr_expect_str_eq(row, "open|0|--");
	free(row);

	/* And then it goes through. */
	struct resp r = join(JOINER, T_ACTIVE, JOINER);
	cr_expect_eq(r.status, 201, "%s", r.body);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* Comments                                                            */
/* ------------------------------------------------------------------ */

static struct resp
comment_req(int caller, const char *method, long long ou, long long id, const char *body)
{
	char path[128];

	if (id)
		snprintf(path, sizeof(path), "/v2/offer-users/%lld/comments/%lld", ou, id);
	else
		snprintf(path, sizeof(path), "/v2/offer-users/%lld/comments", ou);
	return req(method, path, tok(caller), body);
}

/* Posts text as caller on card ou; asserts 201 and returns the comment's id. */
static long long
add_comment(int caller, long long ou, const char *text)
{
	char body[512];

	snprintf(body, sizeof(body), "{\"comment\":\"%s\"}", text);
	struct resp r = comment_req(caller, "POST", ou, 0, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "id");
	resp_free(&r);
	return id;
}

/* Checks body j is comment id as stored, with author and text. */
static void
expect_comment(struct json_object *j, long long id, long long ou, int author, const char *text)
{
	regex_t re;
	char *s;

	cr_expect_str_eq(jkeys(j), "id,offer_user_id,author,comment,created_at,updated_at");
	cr_expect_str_eq(jkeys(jpath(j, "author")), "id,username");
	cr_expect_eq(jint(j, "id"), id);
	cr_expect_eq(jint(j, "offer_user_id"), ou);
	cr_expect_eq(jint(j, "author.id"), author);
	s = sqlf("SELECT username FROM users WHERE id = %d", author);
	cr_expect_str_eq(jstr(j, "author.username"), s);
	free(s);
	cr_expect_str_eq(jstr(j, "comment"), text);
	cr_assert_eq(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
	    REG_EXTENDED | REG_NOSUB), 0);
	cr_expect_eq(regexec(&re, jstr(j, "created_at"), 0, NULL, 0), 0);
	regfree(&re);
	s = sqlf("SELECT CONCAT_WS('|', created_at, updated_at, comment, author_id,"
	    " offer_user_id) FROM offer_user_comments WHERE id = %lld", id);
	char want[1024];
	snprintf(want, sizeof(want), "%s|%s|%s|%d|%lld", jstr(j, "created_at"),
	    jstr(j, "updated_at"), text, author, ou);
	cr_expect_str_eq(s, want, "the answer is the stored row");
	free(s);
}

/* Activities of type on card ou about comment id, "actor:data,..." (malloc'd). */
static char *
comment_activities(long long ou, const char *type, long long id)
{
	return sqlf("SELECT IFNULL(GROUP_CONCAT(CONCAT(actor_id, ':', data) ORDER BY id), '')"
	    " FROM offer_user_activities WHERE offer_user_id = %lld AND type = '%s'"
	    " AND JSON_VALUE(data, '\\$.comment_id') = %lld", ou, type, id);
}

Test(participant_comments, create_by_creator_member_admin)
{
	/* Card 1 (creator 3, store 1); card 22 (creator 5, store 2); card 11 pre-registered. */
	static const struct {
		int caller;
		long long ou;
	} cases[] = {
		{ CREATOR1, 1 }, { MEMBER1, 1 }, { ADMIN, 1 }, { CREATOR2, 22 }, { MEMBER2, 22 },
		{ MEMBER1, 11 },
	};
	char text[64], want[128], *act;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "it-pcomm by %d on %lld", cases[i].caller,
		    cases[i].ou);
		snprintf(want, sizeof(want), "{\"comment\":\"%s\"}", text);
		struct resp r = comment_req(cases[i].caller, "POST", cases[i].ou, 0, want);
		cr_expect_eq(r.status, 201, "%d on %lld: %s", cases[i].caller, cases[i].ou,
		    r.body);
		long long id = jint(r.json, "id");
		expect_comment(r.json, id, cases[i].ou, cases[i].caller, text);
		resp_free(&r);
		act = comment_activities(cases[i].ou, "comment_added", id);
		snprintf(want, sizeof(want), "%d:{\"comment_id\":%lld}", cases[i].caller, id);
		cr_expect_str_eq(act, want);
		free(act);
	}
}

Test(participant_comments, create_refused_across_stores_and_creators)
{
	static const struct {
		int caller;
		long long ou;
	} cases[] = {
		{ MEMBER2, 1 },		/* another store's member */
		{ OTHER_CREATOR, 1 },	/* another creator (a participant of the campaign) */
		{ CREATOR1, 22 },	/* another creator's card, another store */
		{ MEMBER1, 22 },
		{ CREATOR1, 999999 },	/* no such card */
		{ ADMIN, 999999 },
	};
	char *before = write_counts(), *after;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = comment_req(cases[i].caller, "POST", cases[i].ou, 0,
		    "{\"comment\":\"it-pcomm no\"}");
		expect_error(r, 404);
		resp_free(&r);
	}
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
}

Test(participant_comments, update_by_author_or_admin)
{
	long long mine = add_comment(CREATOR1, 1, "it-pcomm first");
	long long members = add_comment(MEMBER1, 1, "it-pcomm member's");
	char want[128], *act, *before, *after;

	/* The author, by PUT and by PATCH. */
	static const char *const methods[] = { "PUT", "PATCH" };
	for (size_t i = 0; i < 2; i++) {
		char text[64], body[128];
		snprintf(text, sizeof(text), "it-pcomm by %s", methods[i]);
		snprintf(body, sizeof(body), "{\"comment\":\"%s\"}", text);
		struct resp r = comment_req(CREATOR1, methods[i], 1, mine, body);
		cr_expect_eq(r.status, 200, "%s", r.body);
		expect_comment(r.json, mine, 1, CREATOR1, text);
		resp_free(&r);
	}
	act = comment_activities(1, "comment_updated", mine);
	snprintf(want, sizeof(want), "3:{\"comment_id\":%lld},3:{\"comment_id\":%lld}", mine,
	    mine);
	cr_expect_str_eq(act, want);
	free(act);

	/* An admin changes anyone's; the author stays the author. */
	struct resp r = comment_req(ADMIN, "PUT", 1, mine, "{\"comment\":\"it-pcomm admin\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_comment(r.json, mine, 1, CREATOR1, "it-pcomm admin");
	resp_free(&r);
	act = comment_activities(1, "comment_updated", mine);
	cr_expect(strstr(act, "1:{") != NULL, "the admin's change is theirs: %s", act);
	free(act);

	/* A member changes their own. */
	r = comment_req(MEMBER1, "PATCH", 1, members, "{\"comment\":\"it-pcomm member 2\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_comment(r.json, members, 1, MEMBER1, "it-pcomm member 2");
	resp_free(&r);

	/* The same text again: 200, nothing changes (updated_at kept, no activity). */
	before = write_counts();
	usleep(1100000);
	r = comment_req(MEMBER1, "PUT", 1, members, "{\"comment\":\"it-pcomm member 2\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(after);

	/* Not the author: 403 for who sees the card, 404 for who does not. */
	static const struct {
		int caller;
		long long id;
		long status;
	} refused[] = {
		{ MEMBER1, 0, 403 },		/* the creator's comment */
		{ CREATOR1, 1, 403 },		/* demo comment 1: member 2's, on card 1 */
		{ MEMBER2, 0, 404 },
		{ OTHER_CREATOR, 0, 404 },
		{ CREATOR1, 3, 404 },		/* demo comment 3: deleted */
		{ CREATOR1, 5, 404 },		/* demo comment 5: card 22's, not card 1's */
		{ ADMIN, 999999, 404 },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		r = comment_req(refused[i].caller, "PUT", 1, refused[i].id ? refused[i].id : mine,
		    "{\"comment\":\"it-pcomm not yours\"}");
		expect_error(r, refused[i].status);
		resp_free(&r);
	}
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
}

Test(participant_comments, delete_by_author_or_admin)
{
	long long mine = add_comment(CREATOR1, 1, "it-pcomm to delete");
	long long members = add_comment(MEMBER1, 1, "it-pcomm admin deletes");
	char want[128], *act, *before, *after;
	struct resp r;

	/* Not the author: 403 for who sees the card, 404 for who does not. */
	before = write_counts();
	static const struct {
		int caller;
		long status;
	} refused[] = {
		{ MEMBER1, 403 }, { MEMBER2, 404 }, { OTHER_CREATOR, 404 },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		r = comment_req(refused[i].caller, "DELETE", 1, mine, NULL);
		expect_error(r, refused[i].status);
		resp_free(&r);
	}
	r = comment_req(CREATOR1, "DELETE", 1, 1, NULL);	/* member 2's demo comment */
	expect_error(r, 403);
	resp_free(&r);
	after = write_counts();
	cr_expect_str_eq(after, before);
	free(before);
	free(after);

	/* The author: 204, no body, soft-deleted, an activity row. */
	r = comment_req(CREATOR1, "DELETE", 1, mine, NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	cr_expect_eq(r.len, 0);
	resp_free(&r);
	cr_expect_eq(sql_numberf("SELECT deleted_at IS NOT NULL FROM offer_user_comments WHERE id = %lld",
	    mine), 1);
	act = comment_activities(1, "comment_deleted", mine);
	snprintf(want, sizeof(want), "3:{\"comment_id\":%lld}", mine);
	cr_expect_str_eq(act, want);
	free(act);

	/* Gone: deleting or changing it again is a 404. */
	r = comment_req(CREATOR1, "DELETE", 1, mine, NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = comment_req(CREATOR1, "PUT", 1, mine, "{\"comment\":\"it-pcomm back\"}");
	expect_error(r, 404);
	resp_free(&r);

	/* An admin deletes a member's. */
	r = comment_req(ADMIN, "DELETE", 1, members, NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	resp_free(&r);
	act = comment_activities(1, "comment_deleted", members);
	snprintf(want, sizeof(want), "1:{\"comment_id\":%lld}", members);
	cr_expect_str_eq(act, want);
	free(act);

	/* A member deletes their own. */
	long long own = add_comment(MEMBER1, 1, "it-pcomm member deletes");
	r = comment_req(MEMBER1, "DELETE", 1, own, NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	resp_free(&r);
	act = comment_activities(1, "comment_deleted", own);
	snprintf(want, sizeof(want), "2:{\"comment_id\":%lld}", own);
	cr_expect_str_eq(act, want);
	free(act);
}

/* {"message": m, "errors": {"comment": [m]}} */
static void
expect_422(struct resp *r, const char *m, const char *what)
{
	char want[512];

	snprintf(want, sizeof(want), "{\"message\":\"%s\",\"errors\":{\"comment\":[\"%s\"]}}", m,
	    m);
	cr_expect_eq(r->status, 422, "%s: %ld %s", what, r->status, r->body);
	cr_expect_str_eq(r->body, want, "%s", what);
}

/* A body {"comment":"it-pcomm" + n - 8 copies of unit}. malloc'd. */
static char *
long_body(size_t n, const char *unit)
{
	size_t u = strlen(unit);
	char *b = malloc(32 + n * u), *p;

	cr_assert_not_null(b);
	p = b + sprintf(b, "{\"comment\":\"it-pcomm");
	for (size_t i = 8; i < n; i++, p += u)
		memcpy(p, unit, u);
	strcpy(p, "\"}");
	return b;
}

Test(participant_comments, validation)
{
	static const char required[] = "The comment field is required.";
	static const char string[] = "The comment field must be a string.";
	static const char longer[] = "The comment field must not be greater than 5000 characters.";
	char *b5001 = long_body(5001, "x"), *b5001u = long_body(5001, "\xc3\xa5");
	const struct {
		const char *body;
		const char *message;
	} cases[] = {
		{ NULL, required }, { "{}", required }, { "{\"comment\":null}", required },
		{ "{\"comment\":\"\"}", required }, { "{\"comment\":\"  \\t \"}", required },
		{ "{\"other\":\"it-pcomm\"}", required },
		{ "{\"comment\":12}", string }, { "{\"comment\":true}", string },
		{ "{\"comment\":[\"it-pcomm\"]}", string }, { "{\"comment\":{\"a\":1}}", string },
		{ "{\"comment\":1.5}", string },
		{ b5001, longer }, { b5001u, longer },
	};
	static const char *const methods[] = { "POST", "PUT", "PATCH" };
	long long mine = add_comment(CREATOR1, 1, "it-pcomm kept");
	char *before = write_counts(), *after;

	for (size_t m = 0; m < 3; m++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct resp r = comment_req(CREATOR1, methods[m], 1, m ? mine : 0,
			    cases[i].body);
			expect_422(&r, cases[i].message, methods[m]);
			resp_free(&r);
		}
	after = write_counts();
	cr_expect_str_eq(after, before, "nothing written");
	free(before);
	free(after);
	free(b5001);
	free(b5001u);

	/* 5000 characters, one byte or two each: taken, as given. */
	static const char *const units[] = { "x", "\xc3\xa5" };
	for (size_t i = 0; i < 2; i++) {
		char *b = long_body(5000, units[i]);
		struct resp r = comment_req(CREATOR1, "POST", 1, 0, b);
		cr_expect_eq(r.status, 201, "%s", r.body);
		cr_expect_eq(sql_numberf("SELECT CHAR_LENGTH(comment) FROM offer_user_comments"
		    " WHERE id = %lld", jint(r.json, "id")), 5000);
		resp_free(&r);
		r = comment_req(CREATOR1, "PUT", 1, mine, b);
		cr_expect_eq(r.status, 200, "%s", r.body);
		cr_expect_eq(strlen(jstr(r.json, "comment")), 8 + 4992 * strlen(units[i]));
		resp_free(&r);
		free(b);
	}

	/* Surrounding white space is trimmed (Laravel's TrimStrings). */
	struct resp r = comment_req(CREATOR1, "PUT", 1, mine, "{\"comment\":\"  it-pcomm t \"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "comment"), "it-pcomm t");
	resp_free(&r);
}

Test(participant_comments, comment_writes_are_all_or_nothing)
{
	long long mine = add_comment(CREATOR1, 1, "it-pcomm stays");
	char *before = write_counts(), *after;
	struct resp r;

	fail_activities();
	r = comment_req(CREATOR1, "POST", 1, 0, "{\"comment\":\"it-pcomm never\"}");
	expect_error(r, 500);
	resp_free(&r);
	r = comment_req(CREATOR1, "PUT", 1, mine, "{\"comment\":\"it-pcomm changed\"}");
	expect_error(r, 500);
	resp_free(&r);
	r = comment_req(CREATOR1, "DELETE", 1, mine, NULL);
	expect_error(r, 500);
	resp_free(&r);
	free(sql("DROP TRIGGER it_pcomm_fail"));
	after = write_counts();
	cr_expect_str_eq(after, before, "no comment added, changed or deleted");
	free(before);
	free(after);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM offer_user_comments"
	    " WHERE comment = 'it-pcomm never'"), 0);

	/* And then they go through. */
	r = comment_req(CREATOR1, "DELETE", 1, mine, NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	resp_free(&r);
}
