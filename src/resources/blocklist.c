/*
 * blocklist.c -- a store's creator blocklist:
 *   GET    /v2/advertisers/{advertiser_id}/blocklist
 *   POST   /v2/advertisers/{advertiser_id}/blocklist       (idempotent)
 *   DELETE /v2/advertisers/{advertiser_id}/blocklist/{id}  (the entry id)
 * Admins and members of that store only; anyone else is told the store
 * does not exist (404), so that store ids reveal nothing.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../auth.h"
#include "../page.h"
#include "../util.h"
#include "resources.h"

/* The columns of one entry, as the reference shows it. */
#define ENTRY_COLUMNS \
	"SELECT b.id, b.created_at, " \
	"cb.id AS `created_by.id`, cb.username AS `created_by.username`, " \
	"cb.email AS `created_by.email`, cb.client_id AS `created_by.client_id`, " \
	"u.id AS `user.id`, u.username AS `user.username`, u.email AS `user.email`, " \
	"u.client_id AS `user.client_id`, " \
	"t.id AS `user_tag.id`, t.name AS `user_tag.name`, t.slug AS `user_tag.slug`, " \
	"t.access_level AS `user_tag.access_level`, t.store_id AS `user_tag.store_id`"

/*
 * One store's entries, in id order: (store_id, id) is always the right
 * index, but when a store holds a large share of the table MariaDB's cost
 * model flips between it and a full scan from one session to the next
 * (seen at 100k entries: 1 ms against 15 ms per count). So it is named.
 */
#define ENTRIES_OF_STORE " FROM blocklist_entries b FORCE INDEX (idx_blocklist_store_id)"

#define ENTRY_FROM \
	ENTRIES_OF_STORE \
	" LEFT JOIN users cb ON cb.id = b.created_by" \
	" LEFT JOIN users u ON u.id = b.user_id" \
	" LEFT JOIN user_tags t ON t.id = b.user_tag_id" \
	" WHERE b.store_id = ?"

static const char sql_store[] =
    "SELECT id FROM stores WHERE id = ? AND deleted_at IS NULL";

/*
 * Checks that the caller may manage the store of path parameter 0.
 * API_NOT_FOUND for a store that does not exist or is not theirs.
 */
static enum api_err
load_store(struct req *r, int64_t *store_id)
{
	struct db_param p[1];
	enum db_rc rc;
	int64_t id;
	bool found;

	if (route_id(r, 0, store_id) != API_OK ||
	    !auth_can_manage_store(&r->caller, *store_id))
		return API_NOT_FOUND;
	p[0] = (struct db_param)DB_INT(*store_id);
	if ((rc = db_select_int(sql_store, p, 1, &id, &found)) != DB_OK)
		return db_api_err(rc);
	return found ? API_OK : API_NOT_FOUND;
}

/* An entry is about a user or a user tag: show only the one it has. */
static void
entry_shape(struct json_object *row)
{
	struct json_object *v;

	if (json_object_object_get_ex(row, "user", &v) && v == NULL)
		json_object_object_del(row, "user");
	if (json_object_object_get_ex(row, "user_tag", &v) && v == NULL)
		json_object_object_del(row, "user_tag");
}

/* ---------------------------------------------------------------- */

static const struct sort_col list_sort[] = {
	{ "id", "b.id" },
	{ "created_at", "b.created_at" },
	{ NULL, NULL },
};

enum { L_QUERY, L_SIZE, L_PAGE, L_SORT };

static const struct valid_field list_fields[] = {
	[L_QUERY] = { "query", V_STR, V_MAX, 0, 128, 0, NULL, NULL },
	[L_SIZE] = VALID_SIZE(100),
	[L_PAGE] = VALID_PAGE,
	[L_SORT] = VALID_SORT(list_sort),
};

/* The user's id or username; a tag entry by the tag's name. */
static void
add_query_filter(struct sql *q, const struct valid_value *v)
{
	int64_t id;

	sql_add(q, " AND (");
	if (util_parse_int64(v->s, v->len, &id) == 0)
		sql_int(q, "b.user_id = ? OR ", id);
	sql_like(q, "u.username LIKE ?", v->s, v->len);
	sql_like(q, " OR t.name LIKE ?)", v->s, v->len);
}

static enum api_err
blocklist_list(struct req *r)
{
	const struct valid_value *q = &r->vals[L_QUERY];
	struct sql from = { 0 }, count = { 0 };
	struct page_query pq = { ENTRY_COLUMNS, &from, &count, NULL, "b.id ASC", "b.id", 10 };
	enum api_err e;
	int64_t store_id;

	if ((e = load_store(r, &store_id)) != API_OK)
		return e;
	sql_int(&from, ENTRY_FROM, store_id);
	/* Counting needs the joins only for what the query filters on. */
	sql_add(&count, ENTRIES_OF_STORE);
	if (q->present)
		sql_add(&count, " LEFT JOIN users u ON u.id = b.user_id"
		    " LEFT JOIN user_tags t ON t.id = b.user_tag_id");
	sql_int(&count, " WHERE b.store_id = ?", store_id);
	if (q->present) {
		add_query_filter(&from, q);
		add_query_filter(&count, q);
	}
	e = from.oom || count.oom ? API_SERVER : page_run(r, &pq, entry_shape);
	sql_free(&from);
	sql_free(&count);
	return e;
}

const struct handler h_blocklist_list = {
	blocklist_list, list_fields, sizeof(list_fields) / sizeof(list_fields[0]),
};

/* ---------------------------------------------------------------- */

enum { A_USERS, A_TAGS };

static const struct valid_field add_fields[] = {
	[A_USERS] = { "user_ids", V_INT_LIST, 0, 0, 0, 1000, NULL, NULL },
	[A_TAGS] = { "user_tag_ids", V_INT_LIST, 0, 0, 0, 1000, NULL, NULL },
};

/*
 * Reports "The selected NAME.i is invalid." for each id of list that the
 * query (ids IN list, plus the extra condition) does not return.
 */
static enum api_err
check_exist(struct req *r, const char *name, const struct valid_value *list,
    const char *select, struct sql *extra)
{
	struct sql q = { 0 };
	struct json_object *rows = NULL, *v;
	enum db_rc rc;
	enum api_err e = API_OK;
	char field[64], attr[64];

	sql_add(&q, select);
	sql_in_ints(&q, list->ints, list->n);
	if (extra != NULL)
		sql_append(&q, extra);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return db_api_err(rc);
	for (size_t i = 0; i < list->n; i++) {
		bool seen = false;
		for (size_t j = 0; j < json_object_array_length(rows) && !seen; j++)
			if (json_object_object_get_ex(json_object_array_get_idx(rows, j), "id", &v) &&
			    json_object_get_int64(v) == list->ints[i])
				seen = true;
		if (!seen) {
			snprintf(field, sizeof(field), "%s.%zu", name, i);
			http_validation_error(r, field, "The selected %s is invalid.",
			    valid_attr(field, attr, sizeof(attr)));
			e = API_VALIDATION;
		}
	}
	json_object_put(rows);
	return e;
}

/* Inserts one row per id, skipping those already on the list. */
static enum db_rc
insert_entries(int64_t store_id, int64_t by, const char *column,
    const struct valid_value *list)
{
	struct sql q = { 0 };

	sql_add(&q, "INSERT INTO blocklist_entries (store_id, ");
	sql_add(&q, column);	/* one of two literals, never input */
	sql_add(&q, ", created_by, created_at, updated_at) VALUES ");
	for (size_t i = 0; i < list->n; i++) {
		sql_int(&q, i ? ",(?" : "(?", store_id);
		sql_int(&q, ",?", list->ints[i]);
		sql_int(&q, ",?,UTC_TIMESTAMP(),UTC_TIMESTAMP())", by);
	}
	sql_add(&q, " ON DUPLICATE KEY UPDATE id = id");
	return db_exec_sql(&q, NULL, NULL);
}

struct add_ctx {
	int64_t store_id, by;
	const struct valid_value *users, *tags;
	struct json_object *rows;	/* the answer, read in the transaction */
};

/* The entries for what was asked, new or not: the answer of POST. */
static enum db_rc
read_entries(struct add_ctx *c)
{
	struct sql q = { 0 };

	sql_add(&q, ENTRY_COLUMNS);
	sql_int(&q, ENTRY_FROM, c->store_id);
	sql_add(&q, " AND (");
	if (c->users->n) {
		sql_add(&q, "b.user_id IN ");
		sql_in_ints(&q, c->users->ints, c->users->n);
	}
	if (c->tags->n) {
		sql_add(&q, c->users->n ? " OR b.user_tag_id IN " : "b.user_tag_id IN ");
		sql_in_ints(&q, c->tags->ints, c->tags->n);
	}
	sql_add(&q, ") ORDER BY b.id");
	json_object_put(c->rows);	/* a second run's answer replaces the first's */
	return db_select_sql(&q, &c->rows);
}

/*
 * The write of POST: insert-if-absent, so running it twice is harmless.
 * The answer is read inside the transaction: once COMMIT succeeds nothing
 * is left that could fail and turn a done write into an error.
 */
static enum db_rc
add_entries(void *arg, bool again)
{
	struct add_ctx *c = arg;
	enum db_rc rc = DB_OK;

	(void)again;
	if (c->users->n)
		rc = insert_entries(c->store_id, c->by, "user_id", c->users);
	if (rc == DB_OK && c->tags->n)
		rc = insert_entries(c->store_id, c->by, "user_tag_id", c->tags);
	if (rc == DB_OK)
		rc = read_entries(c);
	return rc;
}

static enum api_err
blocklist_add(struct req *r)
{
	const struct valid_value *users = &r->vals[A_USERS], *tags = &r->vals[A_TAGS];
	struct sql extra = { 0 };
	enum api_err e, e2;
	enum db_rc rc;
	int64_t store_id;

	if ((e = load_store(r, &store_id)) != API_OK)
		return e;
	if (users->n == 0 && tags->n == 0) {
		http_validation_error(r, "user_ids",
		    "The user ids field is required when user tag ids is not present.");
		http_validation_error(r, "user_tag_ids",
		    "The user tag ids field is required when user ids is not present.");
		return API_VALIDATION;
	}
	e = users->n ? check_exist(r, "user_ids", users,
	    "SELECT id FROM users WHERE deleted_at IS NULL AND id IN ", NULL) : API_OK;
	if (e == API_OK || e == API_VALIDATION) {
		/* A store may block with tags open to all stores and its own. */
		sql_int(&extra, " AND (access_level = 1 OR (access_level = 2 AND store_id = ?)",
		    store_id);
		sql_int(&extra, " OR ? = 1)", r->caller.admin ? 1 : 0);
		e2 = tags->n ? check_exist(r, "user_tag_ids", tags,
		    "SELECT id FROM user_tags WHERE id IN ", &extra) : API_OK;
		sql_free(&extra);
		if (e2 != API_OK && e2 != API_VALIDATION)
			return e2;
		if (e == API_OK)
			e = e2;
	}
	if (e != API_OK)
		return e;

	struct add_ctx ctx = { store_id, r->caller.id, users, tags, NULL };
	if ((rc = db_write_idempotent(add_entries, &ctx)) != DB_OK) {
		json_object_put(ctx.rows);
		return db_api_err(rc);
	}
	for (size_t i = 0; i < json_object_array_length(ctx.rows); i++)
		entry_shape(json_object_array_get_idx(ctx.rows, i));
	struct json_object *body = json_object_new_object();
	json_object_object_add(body, "data", ctx.rows);
	http_set_json(r, 201, body);
	return API_OK;
}

const struct handler h_blocklist_add = {
	blocklist_add, add_fields, sizeof(add_fields) / sizeof(add_fields[0]),
};

/* ---------------------------------------------------------------- */

struct remove_ctx {
	int64_t id, store_id;
	uint64_t affected;
	bool removed;
};

/*
 * The write of DELETE. Run again after a COMMIT whose outcome was unknown,
 * finding nothing to delete means the first run removed it.
 */
static enum db_rc
remove_entry(void *arg, bool again)
{
	struct remove_ctx *c = arg;
	struct db_param p[] = { DB_INT(c->id), DB_INT(c->store_id) };
	enum db_rc rc;

	rc = db_exec("DELETE FROM blocklist_entries WHERE id = ? AND store_id = ?", p, 2,
	    &c->affected, NULL);
	if (rc == DB_OK)
		c->removed = c->affected > 0 || (again && c->removed);
	return rc;
}

static enum api_err
blocklist_remove(struct req *r)
{
	enum api_err e;
	enum db_rc rc;
	int64_t store_id, id;

	if ((e = load_store(r, &store_id)) != API_OK)
		return e;
	if (route_id(r, 1, &id) != API_OK)
		return API_NOT_FOUND;
	struct remove_ctx ctx = { id, store_id, 0, false };
	if ((rc = db_write_idempotent(remove_entry, &ctx)) != DB_OK)
		return db_api_err(rc);
	if (!ctx.removed)
		return API_NOT_FOUND;
	http_set_json(r, 204, NULL);
	return API_OK;
}

const struct handler h_blocklist_remove = { blocklist_remove, NULL, 0 };
