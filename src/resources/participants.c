/*
 * participants.c -- the participant's shape and the activity log (see
 * participants.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "participants.h"

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* Every todo item of the rows' campaigns, with each row's state. */
static const char todo_sql[] =
    "SELECT ou.id AS participant, t.todo_key AS `key`, t.text,"
    " COALESCE(d.is_done, 0) = 1 AS value"
    " FROM offer_users ou JOIN offer_todo_items t ON t.offer_id = ou.offer_id"
    " LEFT JOIN offer_user_todos d ON d.offer_user_id = ou.id AND d.offer_todo_item_id = t.id"
    " WHERE ou.id IN ";

enum api_err
participant_shape(struct req *r, struct json_object *rows)
{
	struct json_object *row, *items = NULL, *by = NULL, *list;
	struct sql q = { 0 };
	size_t n = json_object_array_length(rows);
	int64_t *ids;
	char key[24];
	enum api_err e = API_OK;
	enum db_rc rc;

	(void)r;
	if (n == 0)
		return API_OK;
	if ((ids = calloc(n, sizeof(*ids))) == NULL)
		return API_SERVER;
	for (size_t i = 0; i < n; i++) {
		row = json_object_array_get_idx(rows, i);
		ids[i] = json_object_get_int64(get(row, "id"));
		if (get(row, "pre_registered_identifier") == NULL)
			json_object_object_del(row, "pre_registered_identifier");
		if (get(row, "pre_registered_email") == NULL)
			json_object_object_del(row, "pre_registered_email");
	}
	sql_add(&q, todo_sql);
	sql_in_ints(&q, ids, n);
	sql_add(&q, " ORDER BY ou.id, t.position, t.id");
	free(ids);
	if ((rc = db_select_sql(&q, &items)) != DB_OK)
		return db_api_err(rc);
	if ((by = json_object_new_object()) == NULL)
		e = API_SERVER;
	for (size_t i = 0; e == API_OK && i < json_object_array_length(items); i++) {
		struct json_object *it = json_object_array_get_idx(items, i);
		snprintf(key, sizeof(key), "%lld",
		    (long long)json_object_get_int64(get(it, "participant")));
		json_object_object_del(it, "participant");
		/* A comparison is an integer to MariaDB: the value is a boolean. */
		json_object_object_add(it, "value",
		    json_object_new_boolean(json_object_get_int64(get(it, "value")) != 0));
		if ((list = get(by, key)) == NULL) {
			if ((list = json_object_new_array()) == NULL ||
			    json_object_object_add(by, key, list) != 0) {
				json_object_put(list);
				e = API_SERVER;
				break;
			}
		}
		if (json_object_array_add(list, json_object_get(it)) != 0)
			e = API_SERVER;
	}
	for (size_t i = 0; e == API_OK && i < n; i++) {
		row = json_object_array_get_idx(rows, i);
		snprintf(key, sizeof(key), "%lld", (long long)json_object_get_int64(get(row, "id")));
		list = get(by, key);
		json_object_object_add(row, "todo", list ? json_object_get(list) : NULL);
	}
	json_object_put(by);
	json_object_put(items);
	return e;
}

enum db_rc
participant_read(struct req *r, int64_t id, struct json_object **out)
{
	struct db_param p[] = { DB_INT(id) };
	struct json_object *rows = NULL;
	enum db_rc rc;

	*out = NULL;
	rc = db_select(PARTICIPANT_COLUMNS " FROM offer_users ou WHERE ou.id = ?", p, 1, &rows);
	if (rc != DB_OK)
		return rc;
	if (participant_shape(r, rows) != API_OK) {
		json_object_put(rows);
		return DB_ERROR;
	}
	if (json_object_array_length(rows) > 0)
		*out = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	return DB_OK;
}

enum api_err
participant_answer(struct req *r, int64_t id, int status)
{
	struct json_object *o = NULL;
	enum db_rc rc;

	if ((rc = participant_read(r, id, &o)) != DB_OK)
		return db_api_err(rc);
	if (o == NULL)
		return API_NOT_FOUND;
	http_set_json(r, status, o);
	return API_OK;
}

enum db_rc
activity_add(int64_t offer_user_id, int64_t actor_id, const char *type,
    struct json_object *data)
{
	const char *text = data ? json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN) :
	    NULL;
	struct db_param p[] = { DB_INT(offer_user_id), DB_INT(actor_id),
	    DB_STR(type, strlen(type)), DB_STR(text, text ? strlen(text) : 0) };

	if (actor_id == 0)
		p[1].type = DBP_NULL;
	if (text == NULL)
		p[3].type = DBP_NULL;
	return db_exec("INSERT INTO offer_user_activities (offer_user_id, actor_id, type, data,"
	    " created_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP())", p, 4, NULL, NULL);
}
