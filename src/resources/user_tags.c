/*
 * user_tags.c -- GET /v2/user-tags: admins see every tag; store members
 * the tags open to all stores (access level 1) and their own stores'
 * (level 2). Admin-only tags (level 0) are never shown to members.
 */
#include "config.h"

#include "../page.h"
#include "resources.h"

static const struct sort_col tags_sort[] = {
	{ "id", "t.id" },
	{ "name", "t.name" },
	{ "slug", "t.slug" },
	{ "access_level", "t.access_level" },
	{ "store_id", "t.store_id" },
	{ "created_at", "t.created_at" },
	{ "updated_at", "t.updated_at" },
	{ NULL, NULL },
};

static const char *const access_levels[] = { "0", "1", "2", NULL };

enum { F_NAME, F_STORE, F_LEVELS, F_SIZE, F_PAGE, F_SORT };

static const struct valid_field tags_fields[] = {
	[F_NAME] = { .name = "name", .type = &valid_string, .flags = V_MAX, .max = 255 },
	[F_STORE] = { .name = "store_id", .type = &valid_int },
	[F_LEVELS] = { .name = "access_levels", .type = &valid_int_list, .max_items = 3,
	    .in = access_levels },
	[F_SIZE] = VALID_SIZE(100),
	[F_PAGE] = VALID_PAGE,
	[F_SORT] = VALID_SORT(tags_sort),
};

static enum api_err
user_tags_list(struct req *r)
{
	const struct valid_value *lv = &r->vals[F_LEVELS];
	struct sql from = { 0 };
	struct page_query pq = {
		.columns = "SELECT t.id, t.name, t.slug, t.access_level, t.store_id", .from = &from,
		.default_order = "t.id ASC", .tiebreak = "t.id", .default_size = 20,
	};
	enum api_err e;

	sql_add(&from, " FROM user_tags t WHERE 1 = 1");
	if (!r->caller.admin) {
		sql_add(&from, " AND (t.access_level = 1");
		if (r->caller.nstores > 0) {
			sql_add(&from, " OR (t.access_level = 2 AND t.store_id IN ");
			sql_in_ints(&from, r->caller.stores, r->caller.nstores);
			sql_add(&from, ")");
		}
		sql_add(&from, ")");
	}
	if (r->vals[F_NAME].present)
		sql_like(&from, " AND t.name LIKE ?", r->vals[F_NAME].s, r->vals[F_NAME].len);
	if (r->vals[F_STORE].present)
		sql_int(&from, " AND t.store_id = ?", r->vals[F_STORE].i);
	if (lv->present && lv->n > 0) {
		sql_add(&from, " AND t.access_level IN ");
		sql_in_ints(&from, lv->ints, lv->n);
	}
	e = from.oom ? API_SERVER : page_run(r, &pq, NULL);
	sql_free(&from);
	return e;
}

const struct handler h_user_tags_list = HANDLER(user_tags_list, tags_fields);
