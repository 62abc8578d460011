/*
 * users.c -- GET /v2/users (admins): users, paginated. `query` matches id,
 * or username or email containing it.
 */
#include "config.h"

#include "../page.h"
#include "../search.h"
#include "../util.h"
#include "resources.h"

static const struct sort_col users_sort[] = {
	{ "id", "u.id" },
	{ "username", "u.username" },
	{ "email", "u.email" },
	{ "client_id", "u.client_id" },
	{ "created_at", "u.created_at" },
	{ "updated_at", "u.updated_at" },
	{ NULL, NULL },
};

enum { F_QUERY, F_CLIENT, F_GROUP, F_SIZE, F_PAGE, F_SORT };

static const struct valid_field users_fields[] = {
	[F_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 64 },
	[F_CLIENT] = { .name = "client_id", .type = &valid_int },
	[F_GROUP] = { .name = "store_group_id", .type = &valid_int },
	[F_SIZE] = VALID_SIZE(100),
	[F_PAGE] = VALID_PAGE,
	[F_SORT] = VALID_SORT(users_sort),
};

static enum api_err
users_list(struct req *r)
{
	const struct valid_value *q = &r->vals[F_QUERY];
	struct sql from = { 0 }, kept = { 0 };
	struct page_query pq = {
		.columns = "SELECT u.id, u.username, u.email, u.client_id", .from = &from,
		.default_order = "u.id ASC", .tiebreak = "u.id", .default_size = 20,
	};
	enum api_err e;
	int64_t id;

	if (q->present)
		search_from(&from, "users u", "u.id", SEARCH_USERS, q->s, q->len, &id,
		    util_parse_int64(q->s, q->len, &id) == 0);
	else
		sql_add(&from, " FROM users u");
	if (r->vals[F_GROUP].present)
		sql_add(&from, " JOIN clients c ON c.id = u.client_id");
	sql_add(&from, " WHERE u.deleted_at IS NULL");
	if (q->present) {
		sql_add(&from, " AND (");
		if (util_parse_int64(q->s, q->len, &id) == 0)
			sql_int(&from, "u.id = ? OR ", id);
		sql_like(&from, "u.username LIKE ?", q->s, q->len);
		sql_like(&from, " OR u.email LIKE ?)", q->s, q->len);
	}
	if (r->vals[F_CLIENT].present)
		sql_int(&from, " AND u.client_id = ?", r->vals[F_CLIENT].i);
	if (r->vals[F_GROUP].present)
		sql_int(&from, " AND c.store_group_id = ?", r->vals[F_GROUP].i);
	/* Without filters, the count is kept with the rows (migration 0003). */
	if (!q->present && !r->vals[F_CLIENT].present && !r->vals[F_GROUP].present) {
		sql_add(&kept, "SELECT n FROM row_counts WHERE name = 'users_active'");
		pq.count_query = &kept;
	}
	e = from.oom || kept.oom ? API_SERVER : page_run(r, &pq, NULL);
	sql_free(&from);
	sql_free(&kept);
	return e;
}

const struct handler h_users_list = HANDLER(users_list, users_fields);
