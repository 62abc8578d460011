/*
 * idem.c -- idempotency keys (see idem.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "idem.h"
#include "log.h"
#include "router.h"
#include "util.h"

static const char sql_claim[] =
    "INSERT INTO idempotency_keys (user_id, idem_key, route, request_hash, state, "
    "claim, created_at) VALUES (?, ?, ?, ?, 'running', ?, UTC_TIMESTAMP(3))";
static const char sql_find[] =
    "SELECT id, request_hash, state, status, body, "
    "TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP(3)) AS age "
    "FROM idempotency_keys WHERE user_id = ? AND idem_key = ?";
static const char sql_expire[] =
    "DELETE FROM idempotency_keys WHERE id = ? "
    "AND created_at < UTC_TIMESTAMP(3) - INTERVAL 1 DAY";
static const char sql_take_over[] =
    "UPDATE idempotency_keys SET created_at = UTC_TIMESTAMP(3), claim = ? WHERE id = ? "
    "AND state = 'running' AND created_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND";
static const char sql_record[] =
    "UPDATE idempotency_keys SET state = 'done', status = ?, body = ? "
    "WHERE id = ? AND state = 'running' AND claim = ?";
static const char sql_state[] =
    "SELECT state = 'done' AS done FROM idempotency_keys WHERE id = ?";
static const char sql_release[] =
    "DELETE FROM idempotency_keys WHERE id = ? AND state = 'running' AND claim = ?";
static const char sql_purge[] =
    "DELETE FROM idempotency_keys WHERE created_at < UTC_TIMESTAMP(3) - INTERVAL 1 DAY "
    "LIMIT 100";

/* 1 to 255 printable ASCII characters. */
static bool
key_ok(const char *k, struct req *r)
{
	size_t n = strlen(k);

	if (n > 255) {
		http_validation_error(r, "idempotency_key",
		    "The idempotency key field must not be greater than 255 characters.");
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)k[i] < 0x20 || (unsigned char)k[i] > 0x7e)
			n = 0;
	if (n == 0) {
		http_validation_error(r, "idempotency_key",
		    "The idempotency key field format is invalid.");
		return false;
	}
	return true;
}

/* The SHA-256 of what makes two requests the same one. */
static int
request_hash(struct req *r, char out[65])
{
	const char *q = r->io.param(r->io.ctx, "QUERY_STRING");
	const void *parts[7];
	size_t lens[7];

	if (q == NULL)
		q = "";
	parts[0] = r->method_name;
	lens[0] = strlen(r->method_name);
	parts[1] = "\n";
	lens[1] = 1;
	parts[2] = r->path;
	lens[2] = strlen(r->path);
	parts[3] = "\n";
	lens[3] = 1;
	parts[4] = q;
	lens[4] = strlen(q);
	parts[5] = "\n";
	lens[5] = 1;
	parts[6] = r->body ? r->body : "";
	lens[6] = r->body ? r->body_len : 0;
	return util_sha256_hex(parts, lens, 7, out);
}

/* Answers with the stored response. */
static enum api_err
replay(struct req *r, struct json_object *row)
{
	struct json_object *v, *body = NULL;
	const char *text;
	int status;

	status = json_object_object_get_ex(row, "status", &v) ? json_object_get_int(v) : 0;
	if (json_object_object_get_ex(row, "body", &v) && v != NULL) {
		text = json_object_get_string(v);
		if (http_parse_json(text, strlen(text), HTTP_JSON_MAX_DEPTH, &body) == -1) {
			log_error("rid=%s a stored idempotent response does not parse", r->id);
			return API_SERVER;
		}
	}
	http_set_json(r, status, body);
	http_add_header(r, "Idempotent-Replayed", "true");
	return API_OK;
}

enum api_err
idem_claim(struct req *r, bool *replayed)
{
	const char *key = r->io.param(r->io.ctx, "HTTP_IDEMPOTENCY_KEY");
	const char *route = r->route ? r->route->pattern : r->path;
	struct json_object *rows = NULL, *row, *v;
	uint64_t affected = 0, id = 0;
	enum api_err e = API_OK;
	enum db_rc rc;
	int64_t age, row_id;
	bool done;

	*replayed = false;
	r->idem_id = 0;
	if (key == NULL)
		return API_OK;
	if (!key_ok(key, r))
		return API_VALIDATION;
	if (request_hash(r, r->idem_hash) == -1 || util_random_hex(r->idem_claim, 16) == -1)
		return API_SERVER;
	for (int attempt = 0; attempt < 3; attempt++) {
		struct db_param pc[] = { DB_INT(r->caller.id), DB_STR(key, strlen(key)),
		    DB_STR(route, strlen(route)), DB_STR(r->idem_hash, 64),
		    DB_STR(r->idem_claim, 32) };
		json_object_put(rows);	/* an earlier round's */
		rows = NULL;
		rc = db_exec(sql_claim, pc, 5, NULL, &id);
		if (rc == DB_OK) {
			r->idem_id = (int64_t)id;
			/* Now and then, sweep the keys older than a day. */
			if (util_now_us() % 64 == 0)
				db_exec(sql_purge, NULL, 0, NULL, NULL);
			return API_OK;
		}
		if (rc != DB_DUPLICATE)
			return db_api_err(rc);

		struct db_param pf[] = { DB_INT(r->caller.id), DB_STR(key, strlen(key)) };
		if ((rc = db_select(sql_find, pf, 2, &rows)) != DB_OK) {
			e = db_api_err(rc);
			break;
		}
		if (json_object_array_length(rows) == 0)
			continue;	/* freed meanwhile: claim it again */
		row = json_object_array_get_idx(rows, 0);
		row_id = json_object_object_get_ex(row, "id", &v) ? json_object_get_int64(v) : 0;
		age = json_object_object_get_ex(row, "age", &v) ? json_object_get_int64(v) : 0;
		if (age >= 86400) {
			struct db_param pe[] = { DB_INT(row_id) };
			if ((rc = db_exec(sql_expire, pe, 1, NULL, NULL)) != DB_OK) {
				e = db_api_err(rc);
				break;
			}
			continue;	/* expired: the key is new again */
		}
		if (!json_object_object_get_ex(row, "request_hash", &v) ||
		    strcmp(json_object_get_string(v), r->idem_hash) != 0) {
			http_validation_error(r, "idempotency_key",
			    "The idempotency key was used for another request.");
			e = API_VALIDATION;
			break;
		}
		done = json_object_object_get_ex(row, "state", &v) &&
		    strcmp(json_object_get_string(v), "done") == 0;
		if (done) {
			if ((e = replay(r, row)) == API_OK)
				*replayed = true;
			break;
		}
		if (age >= IDEM_STALE_SECONDS) {
			/* Its worker died: whoever updates the row first takes it. */
			struct db_param pt[] = { DB_STR(r->idem_claim, 32), DB_INT(row_id),
			    DB_INT(IDEM_STALE_SECONDS) };
			if ((rc = db_exec(sql_take_over, pt, 3, &affected, NULL)) != DB_OK) {
				e = db_api_err(rc);
				break;
			}
			if (affected == 1) {
				r->idem_id = row_id;
				break;
			}
		}
		http_add_header(r, "Retry-After", "1");
		e = API_CONFLICT;
		break;
	}
	json_object_put(rows);
	return e;
}

bool
idem_active(const struct req *r)
{
	return r->idem_id > 0;
}

enum api_err
idem_record(struct req *r)
{
	const char *text = NULL;
	size_t len = 0;
	uint64_t affected = 0;
	enum db_rc rc;

	if (!idem_active(r))
		return API_OK;
	if (r->body_json != NULL && (text = http_json_text(r->body_json, &len)) == NULL)
		return API_SERVER;
	struct db_param p[] = { DB_INT(r->status),
	    text ? (struct db_param)DB_STR(text, len) : (struct db_param){ DBP_NULL, 0, NULL, 0 },
	    DB_INT(r->idem_id), DB_STR(r->idem_claim, 32) };
	if ((rc = db_exec(sql_record, p, 4, &affected, NULL)) != DB_OK)
		return db_api_err(rc);
	if (affected != 1) {
		/*
		 * Taken over after IDEM_STALE_SECONDS by a retry that thought
		 * this request dead: that one answers, this one must not commit.
		 */
		log_warn("rid=%s the idempotency claim was taken over", r->id);
		http_add_header(r, "Retry-After", "1");
		return API_CONFLICT;
	}
	r->idem_recorded = true;
	return API_OK;
}

enum db_rc
idem_committed(struct req *r, bool *done)
{
	struct db_param p[] = { DB_INT(r->idem_id) };
	int64_t v = 0;
	bool found;
	enum db_rc rc;

	*done = false;
	if ((rc = db_select_int(sql_state, p, 1, &v, &found)) != DB_OK)
		return rc;
	*done = found && v == 1;
	return DB_OK;
}

void
idem_finish(struct req *r, enum api_err e)
{
	struct db_param p[] = { DB_INT(r->idem_id), DB_STR(r->idem_claim, 32) };

	if (!idem_active(r))
		return;
	if (e == API_OK && r->status >= 200 && r->status < 300) {
		if (!r->idem_recorded && idem_record(r) != API_OK)
			log_warn("rid=%s could not store the idempotent response", r->id);
		return;
	}
	if (db_exec(sql_release, p, 2, NULL, NULL) != DB_OK)
		log_warn("rid=%s could not free idempotency key %lld", r->id,
		    (long long)r->idem_id);
}
