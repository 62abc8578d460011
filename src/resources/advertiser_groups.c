/*
 * advertiser_groups.c -- GET /v2/advertiser-groups (admins): the markets,
 * paginated, optionally only those with return ads enabled.
 */
#include "config.h"

#include "../page.h"
#include "resources.h"

static const struct sort_col ag_sort[] = {
	{ "id", "sg.id" },
	{ "name", "sg.name" },
	{ "key", "sg.`key`" },
	{ "currency", "sg.currency" },
	{ "return_ad_enabled", "sg.return_ad_enabled" },
	{ "created_at", "sg.created_at" },
	{ "updated_at", "sg.updated_at" },
	{ NULL, NULL },
};

enum { F_RETURN_AD_ENABLED, F_SIZE, F_PAGE, F_SORT };

static const struct valid_field ag_fields[] = {
	[F_RETURN_AD_ENABLED] = { .name = "return_ad_enabled", .type = &valid_bool },
	[F_SIZE] = VALID_SIZE(100),
	[F_PAGE] = VALID_PAGE,
	[F_SORT] = VALID_SORT(ag_sort),
};

static enum api_err
advertiser_groups_list(struct req *r)
{
	struct sql from = { 0 };
	struct page_query pq = {
		.columns = "SELECT sg.id, sg.name, sg.`key`, sg.currency", .from = &from,
		.default_order = "sg.id ASC", .tiebreak = "sg.id", .default_size = 20,
	};
	enum api_err e;

	sql_add(&from, " FROM store_groups sg WHERE 1 = 1");
	/* `false` means "don't filter", as the reference describes it. */
	if (r->vals[F_RETURN_AD_ENABLED].present && r->vals[F_RETURN_AD_ENABLED].b)
		sql_add(&from, " AND sg.return_ad_enabled = 1");
	e = from.oom ? API_SERVER : page_run(r, &pq, NULL);
	sql_free(&from);
	return e;
}

const struct handler h_advertiser_groups_list = HANDLER(advertiser_groups_list, ag_fields);
