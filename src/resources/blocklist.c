/*
 * blocklist.c -- a store's creator blocklist:
 *   GET    /v2/advertisers/{advertiser_id}/blocklist
 *   POST   /v2/advertisers/{advertiser_id}/blocklist       (idempotent)
 *   DELETE /v2/advertisers/{advertiser_id}/blocklist/{id}  (the entry id)
 * Admins and members of that store only (the route's store scope: anyone
 * else is told the store does not exist, so that store ids reveal nothing).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../page.h"
#include "../tx.h"
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

/* An entry is about a user or a user tag: show only the one it has. */
static enum api_err
entry_shape(struct req *r, struct json_object *rows)
{
	struct json_object *row, *v;

	(void)r;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (json_object_object_get_ex(row, "user", &v) && v == NULL)
			json_object_object_del(row, "user");
		if (json_object_object_get_ex(row, "user_tag", &v) && v == NULL)
			json_object_object_del(row, "user_tag");
	}
	return API_OK;
}

/* ---------------------------------------------------------------- */

static const struct sort_col list_sort[] = {
	{ "id", "b.id" },
	{ "created_at", "b.created_at" },
	{ NULL, NULL },
};

enum { L_QUERY, L_SIZE, L_PAGE, L_SORT };

static const struct valid_field list_fields[] = {
	[L_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 128 },
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
	struct sql from = { 0 }, count = { 0 }, kept = { 0 };
	struct page_query pq = {
		.columns = ENTRY_COLUMNS, .from = &from, .count_from = &count,
		.default_order = "b.id ASC", .tiebreak = "b.id", .default_size = 10,
	};
	enum api_err e;
	int64_t store_id = r->scope.store_id;

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
	} else {
		/* The whole list's count is kept with the rows (migration 0013). */
		sql_int(&kept, "SELECT n FROM blocklist_counts WHERE store_id = ?", store_id);
		pq.count_query = &kept;
	}
	e = from.oom || count.oom || kept.oom ? API_SERVER : page_run(r, &pq, entry_shape);
	sql_free(&from);
	sql_free(&count);
	sql_free(&kept);
	return e;
}

const struct handler h_blocklist_list = HANDLER(blocklist_list, list_fields);

/* ---------------------------------------------------------------- */

enum { A_USERS, A_TAGS };

static const struct valid_field add_fields[] = {
	[A_USERS] = { .name = "user_ids", .type = &valid_int_list, .max_items = 1000,
	    .required_without = "user_tag_ids", .exists = "users" },
	/* A store may block with tags open to all stores and its own. */
	[A_TAGS] = { .name = "user_tag_ids", .type = &valid_int_list, .max_items = 1000,
	    .required_without = "user_ids", .exists = "user_tags_for_store" },
};

/*
 * Inserts one row per id, skipping those already on the list. The ids
 * travel as one JSON array: one statement text for any number of rows.
 */
static enum db_rc
insert_entries(int64_t store_id, int64_t by, const char *column,
    const struct valid_value *list)
{
	struct sql q = { 0 };

	sql_add(&q, "INSERT INTO blocklist_entries (store_id, ");
	sql_add(&q, column);	/* one of two literals, never input */
	sql_int(&q, ", created_by, created_at, updated_at) SELECT ?", store_id);
	sql_int(&q, ", j.id, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM ", by);
	sql_json_ints(&q, list->ints, list->n);
	sql_add(&q, " j ON DUPLICATE KEY UPDATE id = blocklist_entries.id");
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
 * The answer is read and set inside the transaction: once COMMIT succeeds
 * nothing is left that could fail and turn a done write into an error.
 */
static enum api_err
add_entries(struct req *r, void *arg)
{
	struct add_ctx *c = arg;
	struct json_object *body;
	enum db_rc rc = DB_OK;

	if (c->users->n)
		rc = insert_entries(c->store_id, c->by, "user_id", c->users);
	if (rc == DB_OK && c->tags->n)
		rc = insert_entries(c->store_id, c->by, "user_tag_id", c->tags);
	if (rc == DB_OK)
		rc = read_entries(c);
	if (rc != DB_OK)
		return db_api_err(rc);
	entry_shape(r, c->rows);
	if ((body = json_object_new_object()) == NULL)
		return API_SERVER;
	json_object_object_add(body, "data", c->rows);
	c->rows = NULL;		/* the body has them */
	http_set_json(r, 201, body);
	return API_OK;
}

static enum api_err
blocklist_add(struct req *r)
{
	const struct valid_value *users = &r->vals[A_USERS], *tags = &r->vals[A_TAGS];
	struct add_ctx ctx = { r->scope.store_id, r->caller.id, users, tags, NULL };
	enum api_err e;

	e = tx_run(r, TX_RERUN_SAFE, add_entries, &ctx);
	json_object_put(ctx.rows);
	return e;
}

const struct handler h_blocklist_add = HANDLER(blocklist_add, add_fields);

/* ---------------------------------------------------------------- */

struct remove_ctx {
	int64_t id, store_id;
	bool removed;	/* an earlier run of this request removed it */
};

/*
 * The write of DELETE. Run again after a COMMIT whose outcome was unknown,
 * finding nothing to delete means the first run removed it.
 */
static enum api_err
remove_entry(struct req *r, void *arg)
{
	struct remove_ctx *c = arg;
	struct db_param p[] = { DB_INT(c->id), DB_INT(c->store_id) };
	uint64_t affected = 0;
	enum db_rc rc;

	rc = db_exec("DELETE FROM blocklist_entries WHERE id = ? AND store_id = ?", p, 2,
	    &affected, NULL);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (affected == 0 && !c->removed)
		return API_NOT_FOUND;
	c->removed = true;
	http_set_json(r, 204, NULL);
	return API_OK;
}

static enum api_err
blocklist_remove(struct req *r)
{
	int64_t id;

	if (route_id(r, 1, &id) != API_OK)
		return API_NOT_FOUND;
	struct remove_ctx ctx = { id, r->scope.store_id, false };
	return tx_run(r, TX_RERUN_SAFE, remove_entry, &ctx);
}

const struct handler h_blocklist_remove = HANDLER_NO_INPUT(blocklist_remove);
