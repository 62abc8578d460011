/*
 * user_media.c -- GET /v2/user-media (admins): creator media captured by
 * Metapic, in Laravel's plain paginator shape (page_plain()), oldest
 * first. Filters: `query` (a part of the username), `status` (show_store
 * 0/1/2), `type`, `favorite`, `group` (the store group); "all" is no
 * filter. `format` queues an export of every page (page_list_run()).
 */
#include "config.h"

#include <string.h>

#include "../page.h"
#include "resources.h"

static const char *const statuses[] = { "all", "0", "1", "2", NULL };
static const char *const types[] = { "all", "instagram", "tiktok", "youtube", NULL };
static const char *const favorites[] = { "all", "1", "0", NULL };
static const char *const formats[] = { "csv", "xlsx", "json", NULL };

enum { M_QUERY, M_STATUS, M_TYPE, M_FAVORITE, M_GROUP, M_FORMAT, M_SIZE, M_PAGE };

static const struct valid_field media_fields[] = {
	[M_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 255 },
	[M_STATUS] = { .name = "status", .type = &valid_enum, .in = statuses },
	[M_TYPE] = { .name = "type", .type = &valid_enum, .in = types },
	[M_FAVORITE] = { .name = "favorite", .type = &valid_enum, .in = favorites },
	[M_GROUP] = { .name = "group", .type = &valid_int },
	[M_FORMAT] = { .name = "format", .type = &valid_enum, .in = formats },
	[M_SIZE] = VALID_SIZE(100),
	[M_PAGE] = VALID_PAGE,
};

/*
 * favorite is a TINYINT(1), which the row reader makes a boolean: the
 * reference shows it as 0 or 1. Dates as the reference shows them: the
 * day of publication, the others ISO 8601 with microseconds and Z (UTC).
 */
static const char media_columns[] =
    "SELECT m.id, m.media_type, m.media_id, m.username, m.tag_id, m.user_id, "
    "CAST(m.favorite AS SIGNED) AS favorite, m.show_store, m.published_at, "
    "DATE_FORMAT(m.created_at, '%Y-%m-%dT%H:%i:%s.000000Z') AS created_at, "
    "DATE_FORMAT(m.updated_at, '%Y-%m-%dT%H:%i:%s.000000Z') AS updated_at, "
    "m.media_content_type AS `media.content_type`, m.media_href AS `media.href`";

/* `media` is left out, not null, where a post has none (the reference). */
static enum api_err
media_shape(struct req *r, struct json_object *rows)
{
	struct json_object *row, *m;

	(void)r;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (json_object_object_get_ex(row, "media", &m) && m == NULL)
			json_object_object_del(row, "media");
	}
	return API_OK;
}

static enum api_err
media_query(struct req *r, struct page_query *pq, struct sql *from, struct sql *count_from)
{
	const struct valid_value *v = r->vals;

	(void)count_from;	/* the list's own FROM counts it */
	pq->columns = media_columns;
	pq->from = from;
	pq->default_order = "m.id ASC";
	pq->tiebreak = "m.id";
	pq->default_size = 20;
	pq->plain = true;
	sql_add(from, " FROM user_media m WHERE 1 = 1");
	if (v[M_QUERY].present)
		sql_like(from, " AND m.username LIKE ?", v[M_QUERY].s, v[M_QUERY].len);
	if (v[M_STATUS].present && v[M_STATUS].i > 0)
		sql_int(from, " AND m.show_store = ?", v[M_STATUS].i - 1);
	if (v[M_TYPE].present && v[M_TYPE].i > 0)
		sql_str(from, " AND m.media_type = ?", types[v[M_TYPE].i],
		    strlen(types[v[M_TYPE].i]));
	if (v[M_FAVORITE].present && v[M_FAVORITE].i > 0)
		sql_int(from, " AND m.favorite = ?", v[M_FAVORITE].i == 1 ? 1 : 0);
	if (v[M_GROUP].present)
		sql_int(from, " AND m.store_group_id = ?", v[M_GROUP].i);
	return API_OK;
}

static const struct page_column media_export_columns[] = {
	{ .path = "id" }, { .path = "media_type" }, { .path = "media_id" },
	{ .path = "username" }, { .path = "tag_id" }, { .path = "user_id" },
	{ .path = "favorite" }, { .path = "show_store" },
	{ .path = "published_at", .date = true }, { .path = "created_at", .date = true },
	{ .path = "updated_at", .date = true },
	{ .path = "media.content_type" }, { .path = "media.href" },
	{ .path = NULL },
};

const struct page_list user_media_listing = {
	.kind = "user_media", .path = "/v2/user-media", .query = media_query,
	.shape = media_shape, .columns = media_export_columns,
};

static enum api_err
media_list(struct req *r)
{
	return page_list_run(r, &user_media_listing);
}

const struct handler h_user_media_list = HANDLER(media_list, media_fields);
