/*
 * clients.c -- GET /v2/clients (admins): creator networks, paginated.
 * `query` matches id, name, or a revenue tier's name.
 */
#include "config.h"

#include "../page.h"
#include "../util.h"
#include "resources.h"

static const struct sort_col clients_sort[] = {
	{ "id", "c.id" },
	{ "name", "c.name" },
	{ "client_id", "c.client_id" },
	{ "revenue_share", "c.revenue_share" },
	{ "has_own_payment_system", "c.has_own_payment_system" },
	{ "created_at", "c.created_at" },
	{ "updated_at", "c.updated_at" },
	{ NULL, NULL },
};

enum { F_QUERY, F_GROUPS, F_SIZE, F_PAGE, F_SORT };

static const struct valid_field clients_fields[] = {
	[F_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 128 },
	[F_GROUPS] = { .name = "advertiser_group_ids", .type = &valid_int_list, .max_items = 1000 },
	[F_SIZE] = VALID_SIZE(500),
	[F_PAGE] = VALID_PAGE,
	[F_SORT] = VALID_SORT(clients_sort),
};

static enum api_err
clients_list(struct req *r)
{
	const struct valid_value *q = &r->vals[F_QUERY], *g = &r->vals[F_GROUPS];
	struct sql from = { 0 };
	struct page_query pq = {
		.columns = "SELECT c.id, c.name, c.client_id, c.has_own_payment_system, "
		    "c.revenue_share",
		.from = &from, .default_order = "c.id ASC", .tiebreak = "c.id", .default_size = 20,
	};
	enum api_err e;
	int64_t id;

	sql_add(&from, " FROM clients c WHERE 1 = 1");
	if (q->present) {
		sql_add(&from, " AND (");
		if (util_parse_int64(q->s, q->len, &id) == 0)
			sql_int(&from, "c.id = ? OR ", id);
		sql_like(&from, "c.name LIKE ?", q->s, q->len);
		sql_like(&from, " OR EXISTS (SELECT 1 FROM revenue_tiers rt "
		    "WHERE rt.client_id = c.id AND rt.name LIKE ?))", q->s, q->len);
	}
	if (g->present && g->n > 0) {
		sql_add(&from, " AND c.store_group_id IN ");
		sql_in_ints(&from, g->ints, g->n);
	}
	e = from.oom ? API_SERVER : page_run(r, &pq, NULL);
	sql_free(&from);
	return e;
}

const struct handler h_clients_list = HANDLER(clients_list, clients_fields);
