/*
 * store_categories.c -- GET /v2/store-categories: every category, a bare
 * array of {id, name}, by name.
 */
#include "config.h"

#include "../db.h"
#include "resources.h"

static const char sql_list[] =
    "SELECT id, name FROM store_categories ORDER BY name ASC, id ASC";

static enum api_err
store_categories_list(struct req *r)
{
	struct json_object *rows;
	enum db_rc rc;

	if ((rc = db_select(sql_list, NULL, 0, &rows)) != DB_OK)
		return db_api_err(rc);
	http_set_json(r, 200, rows);
	return API_OK;
}

const struct handler h_store_categories_list = HANDLER_NO_INPUT(store_categories_list);
