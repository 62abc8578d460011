/*
 * participants.h -- what the participant (offer user) handlers share:
 * the participant's shape and the activity log of its card.
 */
#ifndef METAPIC_PARTICIPANTS_H
#define METAPIC_PARTICIPANTS_H

#include <stdint.h>

#include <json-c/json.h>

#include "../db.h"
#include "../http.h"

/*
 * A participant as the reference shows it (List participants), for the
 * offer user aliased ou: the SELECT list, without FROM. display_name is
 * the pre-registered identifier or e-mail address (null for a user, as
 * the reference shows); clicks the kept click count; payment_amount in
 * minor units. participant_shape() then drops the pre_registered_* key
 * that is null and fills todo.
 */
#define PARTICIPANT_COLUMNS \
	"SELECT ou.id, ou.offer_id, ou.user_id," \
	" COALESCE(ou.pre_registered_identifier, ou.pre_registered_email) AS display_name," \
	" ou.click_count AS clicks, ou.status, ou.pre_registered_identifier," \
	" ou.pre_registered_email, NULL AS todo, ou.payment_amount"

/*
 * Shapes rows of PARTICIPANT_COLUMNS in place: a pre_registered_* key
 * stays only when it holds a value, and todo becomes the campaign's todo
 * list with this participant's state, [{"key","text","value"}] in the
 * list's order (null when the campaign has none): one query for all rows.
 * A page_shape_fn (page.h).
 */
enum api_err participant_shape(struct req *r, struct json_object *rows);

/*
 * Reads participant id in the shape into *out (a new object). DB_OK with
 * *out NULL when there is none.
 */
enum db_rc participant_read(struct req *r, int64_t id, struct json_object **out);

/* Answers participant id in the shape with status (404 if it is gone). */
enum api_err participant_answer(struct req *r, int64_t id, int status);

/*
 * Writes one row of the card's activity log, in the caller's
 * transaction: what happened (type: "added", "joined", "status_changed",
 * "todo_changed", "click_limit_overridden", "costs_overridden",
 * "comment_added", "comment_updated", "comment_deleted"), who did it
 * (actor_id, 0 for no one) and its details (data, borrowed; NULL for
 * none), now. A change and its activity row commit together or not at
 * all.
 */
enum db_rc activity_add(int64_t offer_user_id, int64_t actor_id, const char *type,
    struct json_object *data);

#endif
