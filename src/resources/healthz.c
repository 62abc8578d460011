/*
 * healthz.c -- GET /healthz: 200 when the database answers, 503 when not.
 */
#include "config.h"

#include "../db.h"
#include "resources.h"

static enum api_err
healthz_get(struct req *r)
{
	struct json_object *b;
	enum db_rc rc;

	if ((rc = db_ping()) != DB_OK)
		return db_api_err(rc);
	b = json_object_new_object();
	json_object_object_add(b, "status", json_object_new_string("ok"));
	http_set_json(r, 200, b);
	return API_OK;
}

const struct handler h_healthz = HANDLER_NO_INPUT(healthz_get);
