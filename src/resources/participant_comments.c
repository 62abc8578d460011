/*
 * participant_comments.c -- a creator joins a campaign, and the comments
 * on a participant's card:
 *   POST         /v2/offer-by-token/{offer_token}/users/{user_id}/join
 *   POST         /v2/offer-users/{offer_user_id}/comments
 *   PUT|PATCH    /v2/offer-users/{offer_user_id}/comments/{id}
 *   DELETE       /v2/offer-users/{offer_user_id}/comments/{id}
 * Who may call is the routes' scopes (scope.h): joining only the user
 * themselves (admins too are refused); a card's comments its store's
 * members, admins and the participant's own user; a comment is changed
 * by its author or an admin. Each change and its row in the card's
 * activity log (participants.h) commit together or not at all.
 */
#include "config.h"

#include <string.h>

#include "../target.h"
#include "../tx.h"
#include "offers.h"
#include "participants.h"
#include "resources.h"

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* ---------------------------------------------------------------- */
/* POST /v2/offer-by-token/{offer_token}/users/{user_id}/join        */
/* ---------------------------------------------------------------- */

/*
 * The campaign's row, locked: every join of one campaign waits for the
 * one before it, so that it sees the row that one made (two joins at once
 * make one participant). Its derived status too.
 */
static const char join_offer_sql[] =
    "SELECT " OFFER_STATUS_SQL " AS status FROM offers o WHERE o.id = ? FOR UPDATE";

/* The user's own participant row, locked. */
static const char join_own_sql[] =
    "SELECT id, joined_at FROM offer_users WHERE offer_id = ? AND user_id = ? FOR UPDATE";

/*
 * A pre-registered participant of the campaign that names the user: by
 * their e-mail address first, else by one of their social media
 * identifiers; the oldest of them. Locked.
 */
static const char join_invited_sql[] =
    "SELECT ou.id FROM offer_users ou JOIN users u ON u.id = ?"
    " WHERE ou.offer_id = ? AND ou.user_id IS NULL"
    " AND (ou.pre_registered_email = u.email OR ou.pre_registered_identifier IN"
    " (SELECT a.identifier FROM social_media_accounts a WHERE a.user_id = u.id))"
    " ORDER BY ou.pre_registered_email = u.email DESC, ou.id LIMIT 1 FOR UPDATE";

static const char join_insert_sql[] =
    "INSERT INTO offer_users (offer_id, user_id, status, joined_at, created_at, updated_at)"
    " VALUES (?, ?, 'open', UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP())";

static const char join_take_sql[] =
    "UPDATE offer_users SET user_id = ?, pre_registered_email = NULL,"
    " pre_registered_identifier = NULL, joined_at = UTC_TIMESTAMP() WHERE id = ?";

static const char join_mark_sql[] =
    "UPDATE offer_users SET joined_at = UTC_TIMESTAMP() WHERE id = ?";

struct join_ctx {
	int64_t offer_id, uid;
};

/*
 * Whether the user may join: not on the store's blocklist (themselves or
 * a tag of theirs), and targeted by the campaign (target.h) unless a row
 * of the campaign names them already (invited: their own, or a
 * pre-registered one with their address or identifier). A locking read:
 * a target removed, or a blocklist entry added, meanwhile waits for this
 * join. Sets *ok.
 */
static enum db_rc
join_allowed(const struct join_ctx *c, bool invited, bool *ok)
{
	struct json_object *rows = NULL;
	struct sql q = { 0 };
	enum db_rc rc;

	sql_int(&q, "SELECT o.id FROM offers o WHERE o.id = ?", c->offer_id);
	if (!invited) {
		sql_add(&q, " AND o.id IN (");
		target_offer_ids(&q, c->uid);
		sql_add(&q, ")");
	}
	target_not_blocked(&q, "o.store_id", c->uid);
	sql_add(&q, " LOCK IN SHARE MODE");
	rc = db_select_sql(&q, &rows);
	*ok = rc == DB_OK && json_object_array_length(rows) > 0;
	json_object_put(rows);
	return rc;
}

/*
 * The other join made the user's row first (the unique key
 * uq_offer_users_offer_user refused ours): that row is the answer.
 */
static enum api_err
join_lost(struct req *r, const struct join_ctx *c)
{
	struct db_param p[] = { DB_INT(c->offer_id), DB_INT(c->uid) };
	int64_t id = 0;
	bool found = false;
	enum db_rc rc;

	if (strcmp(db_duplicate_key(), "uq_offer_users_offer_user") != 0)
		return tx_duplicate(r, NULL);	/* not expected: logged, 500 */
	rc = db_select_int("SELECT id FROM offer_users WHERE offer_id = ? AND user_id = ?"
	    " FOR UPDATE", p, 2, &id, &found);
	if (rc != DB_OK)
		return db_api_err(rc);
	return found ? participant_answer(r, id, 200) : API_SERVER;
}

/*
 * The write of join: the campaign and the rows that name the user,
 * locked in that order; who may join; then one of: nothing (joined
 * already), joined_at set (a row the store added), a pre-registered row
 * taken over, a new row. Running it again after a COMMIT whose outcome
 * was unknown finds the user joined and changes nothing.
 */
static enum api_err
join_offer(struct req *r, void *arg)
{
	const struct join_ctx *c = arg;
	struct db_param po[] = { DB_INT(c->offer_id) };
	struct db_param pu[] = { DB_INT(c->offer_id), DB_INT(c->uid) };
	struct db_param pi[] = { DB_INT(c->uid), DB_INT(c->offer_id) };
	struct json_object *offer = NULL, *own = NULL, *row;
	const char *status;
	int64_t id = 0;
	bool invited = false, ok = false;
	enum api_err e = API_OK;
	enum db_rc rc;
	int answer = 201;

	if ((rc = db_select(join_offer_sql, po, 1, &offer)) != DB_OK)
		return db_api_err(rc);
	status = json_object_get_string(get(json_object_array_get_idx(offer, 0), "status"));
	if (status == NULL || strcmp(status, "deleted") == 0) {
		e = API_NOT_FOUND;	/* deleted since the scope found it */
		goto out;
	}
	if ((rc = db_select(join_own_sql, pu, 2, &own)) != DB_OK)
		goto fail;
	if ((row = json_object_array_get_idx(own, 0)) != NULL) {
		id = json_object_get_int64(get(row, "id"));
		invited = true;
	} else {
		rc = db_select_int(join_invited_sql, pi, 2, &id, &invited);
		if (rc != DB_OK)
			goto fail;
	}
	if ((rc = join_allowed(c, invited, &ok)) != DB_OK)
		goto fail;
	if (!ok) {
		e = API_FORBIDDEN;
		goto out;
	}
	if (strcmp(status, "active") != 0) {
		http_validation_error(r, "offer_token", "The campaign is not open for joining.");
		e = API_VALIDATION;
		goto out;
	}

	if (row != NULL && get(row, "joined_at") != NULL) {
		e = participant_answer(r, id, 200);	/* joined already: nothing changes */
		goto out;
	}
	if (row != NULL) {
		struct db_param p[] = { DB_INT(id) };
		rc = db_exec(join_mark_sql, p, 1, NULL, NULL);
		answer = 200;
	} else if (invited) {
		struct db_param p[] = { DB_INT(c->uid), DB_INT(id) };
		rc = db_exec(join_take_sql, p, 2, NULL, NULL);
	} else {
		uint64_t new_id = 0;
		rc = db_exec(join_insert_sql, pu, 2, NULL, &new_id);
		id = (int64_t)new_id;
	}
	if (rc == DB_DUPLICATE) {
		e = join_lost(r, c);
		goto out;
	}
	if (rc != DB_OK || (rc = activity_add(id, c->uid, "joined", NULL)) != DB_OK)
		goto fail;
	e = participant_answer(r, id, answer);
	goto out;
fail:
	e = db_api_err(rc);
out:
	json_object_put(offer);
	json_object_put(own);
	return e;
}

static enum api_err
offers_join(struct req *r)
{
	struct join_ctx c = { r->scope.id, r->caller.id };

	return tx_run(r, TX_RERUN_SAFE, join_offer, &c);
}

const struct handler h_offers_join = HANDLER_NO_INPUT(offers_join);

/* ---------------------------------------------------------------- */
/* Comments                                                          */
/* ---------------------------------------------------------------- */

/* A comment as it is answered; dates "Y-m-d H:i:s" (UTC). */
static const char comment_sql[] =
    "SELECT c.id, c.offer_user_id, a.id AS `author.id`, a.username AS `author.username`,"
    " c.comment, c.created_at, c.updated_at"
    " FROM offer_user_comments c JOIN users a ON a.id = c.author_id WHERE c.id = ?";

/* The comment id in the shape, with status. */
static enum api_err
comment_answer(struct req *r, int64_t id, int status)
{
	struct db_param p[] = { DB_INT(id) };
	struct json_object *rows = NULL;
	enum db_rc rc;

	if ((rc = db_select(comment_sql, p, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	http_set_json(r, status, json_object_get(json_object_array_get_idx(rows, 0)));
	json_object_put(rows);
	return API_OK;
}

/* The card's activity row of a comment: {"comment_id": id}. */
static enum db_rc
comment_activity(int64_t offer_user_id, int64_t actor_id, const char *type, int64_t id)
{
	struct json_object *data, *v;
	enum db_rc rc;

	if ((data = json_object_new_object()) == NULL)
		return DB_ERROR;
	if ((v = json_object_new_int64(id)) == NULL ||
	    json_object_object_add(data, "comment_id", v) != 0) {
		json_object_put(v);
		json_object_put(data);
		return DB_ERROR;
	}
	rc = activity_add(offer_user_id, actor_id, type, data);
	json_object_put(data);
	return rc;
}

enum { C_COMMENT };

/* Laravel's required|string|min:1|max:5000 (an empty string is null). */
static const struct valid_field comment_fields[] = {
	[C_COMMENT] = { .name = "comment", .type = &valid_string,
	    .flags = V_REQUIRED | V_MIN | V_MAX, .min = 1, .max = 5000 },
};

struct comment_ctx {
	int64_t offer_user_id, id, actor_id;
	const struct valid_value *text;
	bool done;	/* an earlier run of this request made the change */
};

/* POST .../comments: the comment and its activity row. */
static enum api_err
add_comment(struct req *r, void *arg)
{
	struct comment_ctx *c = arg;
	struct db_param p[] = { DB_INT(c->offer_user_id), DB_INT(c->actor_id),
	    DB_STR(c->text->s, c->text->len) };
	uint64_t id = 0;
	enum db_rc rc;

	rc = db_exec("INSERT INTO offer_user_comments (offer_user_id, author_id, comment,"
	    " created_at, updated_at) VALUES (?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())", p, 3,
	    NULL, &id);
	if (rc == DB_OK)
		rc = comment_activity(c->offer_user_id, c->actor_id, "comment_added", (int64_t)id);
	if (rc != DB_OK)
		return db_api_err(rc);
	return comment_answer(r, (int64_t)id, 201);
}

static enum api_err
comments_add(struct req *r)
{
	struct comment_ctx c = { r->scope.id, 0, r->caller.id, &r->vals[C_COMMENT], false };

	/* Not TX_RERUN_SAFE: a second run would add a second comment. */
	return tx_run(r, 0, add_comment, &c);
}

const struct handler h_comments_add = HANDLER(comments_add, comment_fields);

/*
 * The comment's text, locked, into *rows (a new array: one row, or none
 * when the comment is gone, deleted since the scope found it).
 */
static enum db_rc
comment_lock(const struct comment_ctx *c, struct json_object **rows)
{
	struct db_param p[] = { DB_INT(c->id), DB_INT(c->offer_user_id) };

	return db_select("SELECT comment FROM offer_user_comments WHERE id = ?"
	    " AND offer_user_id = ? AND deleted_at IS NULL FOR UPDATE", p, 2, rows);
}

/*
 * PUT|PATCH .../comments/{id}: the new text and its activity row. The
 * same text again changes nothing (no activity, updated_at kept), as
 * Laravel saves no clean model; so a second run converges.
 */
static enum api_err
update_comment(struct req *r, void *arg)
{
	struct comment_ctx *c = arg;
	struct db_param p[] = { DB_STR(c->text->s, c->text->len), DB_INT(c->id) };
	struct json_object *rows = NULL, *old;
	bool same;
	enum db_rc rc;

	if ((rc = comment_lock(c, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		return API_NOT_FOUND;
	}
	old = get(json_object_array_get_idx(rows, 0), "comment");
	same = (size_t)json_object_get_string_len(old) == c->text->len &&
	    memcmp(json_object_get_string(old), c->text->s, c->text->len) == 0;
	json_object_put(rows);
	if (!same) {
		rc = db_exec("UPDATE offer_user_comments SET comment = ?,"
		    " updated_at = UTC_TIMESTAMP() WHERE id = ?", p, 2, NULL, NULL);
		if (rc == DB_OK)
			rc = comment_activity(c->offer_user_id, c->actor_id, "comment_updated",
			    c->id);
		if (rc != DB_OK)
			return db_api_err(rc);
	}
	return comment_answer(r, c->id, 200);
}

static enum api_err
comments_update(struct req *r)
{
	struct comment_ctx c = { 0, r->scope.id, r->caller.id, &r->vals[C_COMMENT], false };

	if (route_id(r, 0, &c.offer_user_id) != API_OK)
		return API_NOT_FOUND;
	return tx_run(r, TX_RERUN_SAFE, update_comment, &c);
}

const struct handler h_comments_update = HANDLER(comments_update, comment_fields);

/*
 * DELETE .../comments/{id}: soft delete and its activity row. Run again
 * after a COMMIT whose outcome was unknown, finding it gone means the
 * first run deleted it.
 */
static enum api_err
delete_comment(struct req *r, void *arg)
{
	struct comment_ctx *c = arg;
	struct db_param p[] = { DB_INT(c->id) };
	struct json_object *rows = NULL;
	size_t n;
	enum db_rc rc;

	if ((rc = comment_lock(c, &rows)) != DB_OK)
		return db_api_err(rc);
	n = json_object_array_length(rows);
	json_object_put(rows);
	if (n == 0 && !c->done)
		return API_NOT_FOUND;
	if (n > 0) {
		rc = db_exec("UPDATE offer_user_comments SET deleted_at = UTC_TIMESTAMP()"
		    " WHERE id = ?", p, 1, NULL, NULL);
		if (rc == DB_OK)
			rc = comment_activity(c->offer_user_id, c->actor_id, "comment_deleted",
			    c->id);
		if (rc != DB_OK)
			return db_api_err(rc);
	}
	c->done = true;
	http_set_json(r, 204, NULL);
	return API_OK;
}

static enum api_err
comments_remove(struct req *r)
{
	struct comment_ctx c = { 0, r->scope.id, r->caller.id, NULL, false };

	if (route_id(r, 0, &c.offer_user_id) != API_OK)
		return API_NOT_FOUND;
	return tx_run(r, TX_RERUN_SAFE, delete_comment, &c);
}

const struct handler h_comments_remove = HANDLER_NO_INPUT(comments_remove);
