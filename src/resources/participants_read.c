/*
 * participants_read.c -- reading a campaign's participants (issue 10):
 *   GET /v2/offers/{offer_id}/participants          (the list)
 *   GET /v2/offers/{offer_id}/participants/{id}     (a card: + social_media, tags)
 *   GET /v2/offers/{offer_id}/users/{id}            (is user {id} in it?)
 *   GET /v2/offer-by-token/{offer_token}/users/{user_id}  (the same by token)
 *   GET /v2/offers/{offer_id}/participants-count-by-click-activity
 *   GET /v2/offers/{offer_id}/participants-stats
 * Admins and the store's members; by token also the user themselves (the
 * routes' scopes, resolved before these run). A participant is shaped by
 * participants.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../page.h"
#include "../search.h"
#include "participants.h"
#include "resources.h"

/* The participant statuses of SPEC.md (offer_users.status). */
static const char *const statuses[] = { "suggestion", "open", "accepted", "product_sent",
	"have_received", "done", "store_denied", NULL };

/*
 * `query`: a part of the user's username or e-mail address, or of the
 * pre-registered identifier or address. The FROM clause joins users u
 * when the filter is given (participants_from()); these LIKEs decide.
 */
static void
add_query_filter(struct sql *q, const struct valid_value *v)
{
	if (!v->present)
		return;
	sql_like(q, " AND (u.username LIKE ?", v->s, v->len);
	sql_like(q, " OR u.email LIKE ?", v->s, v->len);
	sql_like(q, " OR ou.pre_registered_identifier LIKE ?", v->s, v->len);
	sql_like(q, " OR ou.pre_registered_email LIKE ?)", v->s, v->len);
}

/*
 * The FROM clause over a campaign's participants ou (and their users u
 * when `query` is given). With a `query` of three characters or more, the
 * participants it may match are read first (search.h): those whose user
 * holds the text's trigrams, by (offer_id, user_id), and the
 * pre-registered ones whose identifier or address has it (the unique
 * indexes' non-NULL entries: few). Without one, the campaign's rows in id
 * order by its own indexes: MariaDB would otherwise walk the whole
 * table's primary key when one campaign holds a tenth of it.
 */
static void
participants_from(struct sql *q, int64_t offer, const struct valid_value *query)
{
	struct sql users = { 0 };

	if (!query->present || search_ids_sql(&users, SEARCH_USERS, query->s, query->len,
	    NULL, 0) != 0) {
		sql_add(q, " FROM offer_users ou FORCE INDEX (idx_offer_users_offer,"
		    " idx_offer_users_offer_status)");
		if (query->present)
			sql_add(q, " LEFT JOIN users u ON u.id = ou.user_id");
		sql_free(&users);
		return;
	}
	sql_add(q, " FROM (SELECT p.id FROM (");
	sql_append(q, &users);
	sql_int(q, ") sg STRAIGHT_JOIN offer_users p ON p.offer_id = ? AND p.user_id = sg.id",
	    offer);
	sql_int(q, " UNION SELECT p.id FROM offer_users p WHERE p.offer_id = ?", offer);
	sql_like(q, " AND p.pre_registered_identifier IS NOT NULL"
	    " AND p.pre_registered_identifier LIKE ?", query->s, query->len);
	sql_int(q, " UNION SELECT p.id FROM offer_users p WHERE p.offer_id = ?", offer);
	sql_like(q, " AND p.pre_registered_email IS NOT NULL"
	    " AND p.pre_registered_email LIKE ?) pc", query->s, query->len);
	sql_add(q, " STRAIGHT_JOIN offer_users ou ON ou.id = pc.id"
	    " LEFT JOIN users u ON u.id = ou.user_id");
	sql_free(&users);
}

/*
 * A period of whole UTC days from two validated dates: [start 00:00:00,
 * end 23:59:59] (DATETIME holds whole seconds).
 */
struct period {
	char from[20], to[20];
};

static void
period_of(const struct valid_value *start, const struct valid_value *end, struct period *p)
{
	snprintf(p->from, sizeof(p->from), "%.10s 00:00:00", start->s);
	snprintf(p->to, sizeof(p->to), "%.10s 23:59:59", end->s);
}

/* Binds " ... >= ? AND ... <= ?" of column col over p. */
static void
period_filter(struct sql *q, const char *col, const struct period *p)
{
	sql_add(q, " AND ");
	sql_add(q, col);
	sql_str(q, " >= ?", p->from, strlen(p->from));
	sql_add(q, " AND ");
	sql_add(q, col);
	sql_str(q, " <= ?", p->to, strlen(p->to));
}

/*
 * The count of a campaign's participants (in one status, when given),
 * kept with the rows (migration 0013): constant time at any size.
 */
static void
kept_count(struct sql *q, int64_t offer, const struct valid_value *status)
{
	sql_int(q, "SELECT CAST(COALESCE(SUM(n), 0) AS SIGNED) FROM participant_counts"
	    " WHERE offer_id = ?", offer);
	if (status != NULL && status->present)
		sql_str(q, " AND status = ?", status->s, status->len);
}

/* ---------------------------------------------------------------- */
/* GET /v2/offers/{offer_id}/participants                            */
/* ---------------------------------------------------------------- */

enum { L_QUERY, L_STATUS, L_SIZE, L_PAGE };

static const struct valid_field list_fields[] = {
	[L_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 255 },
	[L_STATUS] = { .name = "status", .type = &valid_enum, .in = statuses },
	[L_SIZE] = VALID_SIZE(100),
	[L_PAGE] = VALID_PAGE,
};

/* The campaign's participants by id, through idx_offer_users_offer (its
 * (offer_id, id)) or idx_offer_users_offer_status. */
static enum api_err
participants_list(struct req *r)
{
	const struct valid_value *query = &r->vals[L_QUERY], *status = &r->vals[L_STATUS];
	struct sql from = { 0 }, kept = { 0 };
	struct page_query pq = {
		.columns = PARTICIPANT_COLUMNS, .from = &from,
		.default_order = "ou.id ASC", .tiebreak = "ou.id", .default_size = 10,
	};
	enum api_err e;

	participants_from(&from, r->scope.id, query);
	sql_int(&from, " WHERE ou.offer_id = ?", r->scope.id);
	if (status->present)
		sql_str(&from, " AND ou.status = ?", status->s, status->len);
	add_query_filter(&from, query);
	if (!query->present) {
		kept_count(&kept, r->scope.id, status);
		pq.count_query = &kept;
	}
	e = from.oom || kept.oom ? API_SERVER : page_run(r, &pq, participant_shape);
	sql_free(&from);
	sql_free(&kept);
	return e;
}

const struct handler h_participants_list = HANDLER(participants_list, list_fields);

/* ---------------------------------------------------------------- */
/* GET /v2/offers/{offer_id}/participants/{id}                       */
/* ---------------------------------------------------------------- */

/* The user's social media accounts, by id. */
static const char social_sql[] =
    "SELECT a.id, a.platform, a.identifier, a.url, a.followers"
    " FROM social_media_accounts a WHERE a.user_id = ? ORDER BY a.id";

/*
 * The user's tags that the caller may see: every one to an admin; to the
 * store's members those open to everyone (access level 1) and the
 * store's own (2, of the campaign's store), never the admins' (0).
 */
static const char tags_sql[] =
    "SELECT t.id, t.name, t.slug, t.access_level, t.store_id"
    " FROM user_tag_user tu JOIN user_tags t ON t.id = tu.user_tag_id"
    " WHERE tu.user_id = ? AND (? = 1 OR t.access_level = 1"
    " OR (t.access_level = 2 AND t.store_id = ?)) ORDER BY t.id";

static enum api_err
participants_show(struct req *r)
{
	struct json_object *o = NULL, *social = NULL, *tags = NULL, *v;
	int64_t uid = 0;
	enum api_err e = API_SERVER;
	enum db_rc rc;

	if ((rc = participant_read(r, r->scope.id, &o)) != DB_OK) {
		e = db_api_err(rc);
		goto out;
	}
	if (o == NULL) {
		e = API_NOT_FOUND;	/* gone since the scope found it */
		goto out;
	}
	if (json_object_object_get_ex(o, "user_id", &v) && v != NULL)
		uid = json_object_get_int64(v);
	if (uid == 0) {
		/* Pre-registered: no user, no accounts, no tags. */
		if ((social = json_object_new_array()) == NULL ||
		    (tags = json_object_new_array()) == NULL)
			goto out;
	} else {
		struct db_param ps[] = { DB_INT(uid) };
		struct db_param pt[] = { DB_INT(uid), DB_INT(r->caller.admin ? 1 : 0),
		    DB_INT(r->scope.store_id) };

		if ((rc = db_select(social_sql, ps, 1, &social)) != DB_OK ||
		    (rc = db_select(tags_sql, pt, 3, &tags)) != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
	}
	/* A failed add leaves the value to us (freed at out). */
	if (json_object_object_add(o, "social_media", social) != 0)
		goto out;
	social = NULL;
	if (json_object_object_add(o, "tags", tags) != 0)
		goto out;
	tags = NULL;
	http_set_json(r, 200, o);
	o = NULL;
	e = API_OK;
out:
	json_object_put(tags);
	json_object_put(social);
	json_object_put(o);
	return e;
}

const struct handler h_participants_show = HANDLER_NO_INPUT(participants_show);

/* ---------------------------------------------------------------- */
/* GET /v2/offers/{offer_id}/users/{id}, offer-by-token/.../users/{id} */
/* ---------------------------------------------------------------- */

static const char user_participant_sql[] =
    "SELECT ou.id FROM offer_users ou WHERE ou.offer_id = ? AND ou.user_id = ?";

/* 200 with user uid's participation in campaign offer, else 404. */
static enum api_err
user_participant(struct req *r, int64_t offer, int64_t uid)
{
	struct db_param p[] = { DB_INT(offer), DB_INT(uid) };
	int64_t id = 0;
	enum db_rc rc;
	bool found;

	if ((rc = db_select_int(user_participant_sql, p, 2, &id, &found)) != DB_OK)
		return db_api_err(rc);
	if (!found)
		return API_NOT_FOUND;
	return participant_answer(r, id, 200);
}

static enum api_err
offer_user_check(struct req *r)
{
	int64_t uid;

	/* {id} is a user id; not a positive integer names no one. */
	if (route_id(r, 1, &uid) != API_OK)
		return API_NOT_FOUND;
	return user_participant(r, r->scope.id, uid);
}

const struct handler h_offer_user_check = HANDLER_NO_INPUT(offer_user_check);

/* The token scope put the offer in scope.id and the path's user in owner_id. */
static enum api_err
token_user_check(struct req *r)
{
	return user_participant(r, r->scope.id, r->scope.owner_id);
}

const struct handler h_token_user_check = HANDLER_NO_INPUT(token_user_check);

/* ---------------------------------------------------------------- */
/* GET /v2/offers/{offer_id}/participants-count-by-click-activity    */
/* ---------------------------------------------------------------- */

enum { A_START, A_END };

static const struct valid_field activity_fields[] = {
	[A_START] = { .name = "start_date", .type = &valid_date, .flags = V_REQUIRED },
	[A_END] = { .name = "end_date", .type = &valid_date, .flags = V_REQUIRED,
	    .after_or_equal = "start_date" },
};

/*
 * Each participant of the campaign once, active when one of its clicks
 * (idx_clicks_offer_user_time) falls in the period; pre-registered ones
 * (no user) never are. SUM is DECIMAL in MariaDB: cast back.
 */
static const char activity_sql[] =
    "SELECT CAST(COALESCE(SUM(a.active), 0) AS SIGNED) AS active,"
    " CAST(COUNT(*) - COALESCE(SUM(a.active), 0) AS SIGNED) AS inactive"
    " FROM (SELECT EXISTS (SELECT 1 FROM clicks c WHERE c.offer_id = ou.offer_id"
    " AND c.user_id = ou.user_id AND c.occurred_at >= ? AND c.occurred_at <= ?) AS active"
    " FROM offer_users ou WHERE ou.offer_id = ?) a";

static enum api_err
participants_activity(struct req *r)
{
	struct period per;
	struct json_object *rows = NULL;
	enum db_rc rc;

	period_of(&r->vals[A_START], &r->vals[A_END], &per);
	{
		struct db_param p[] = { DB_STR(per.from, strlen(per.from)),
		    DB_STR(per.to, strlen(per.to)), DB_INT(r->scope.id) };

		if ((rc = db_select(activity_sql, p, 3, &rows)) != DB_OK)
			return db_api_err(rc);
	}
	if (json_object_array_length(rows) != 1) {
		json_object_put(rows);
		return API_SERVER;
	}
	http_set_json(r, 200, json_object_get(json_object_array_get_idx(rows, 0)));
	json_object_put(rows);
	return API_OK;
}

const struct handler h_participants_activity = HANDLER(participants_activity, activity_fields);

/* ---------------------------------------------------------------- */
/* GET /v2/offers/{offer_id}/participants-stats                      */
/* ---------------------------------------------------------------- */

/* Sorted by the answer's own columns (aliases of STATS_COLUMNS). */
static const struct sort_col stats_sort[] = {
	{ "clicks", "clicks" },
	{ "links_created", "links_created" },
	{ "estimated_gp", "estimated_gp" },
	{ "estimated_earning_to_cost_ratio", "estimated_earning_to_cost_ratio" },
	{ NULL, NULL },
};

enum { S_QUERY, S_ACTIVE, S_START, S_END, S_SORT, S_SIZE, S_PAGE };

static const struct valid_field stats_fields[] = {
	[S_QUERY] = { .name = "query", .type = &valid_string, .flags = V_MAX, .max = 255 },
	[S_ACTIVE] = { .name = "active", .type = &valid_bool },
	[S_START] = { .name = "start_date", .type = &valid_date, .flags = V_REQUIRED },
	[S_END] = { .name = "end_date", .type = &valid_date, .flags = V_REQUIRED,
	    .after_or_equal = "start_date" },
	[S_SORT] = VALID_SORT(stats_sort),
	[S_SIZE] = VALID_SIZE(100),
	[S_PAGE] = VALID_PAGE,
};

/*
 * What the store paid for a participant in the period (exact DECIMAL):
 * each click at its source's cpc, each order's value at its source's
 * cpa, the participant's override first (a NULL one is the campaign's,
 * as offer_user_cost_overrides says), then the campaign's, else 0.
 */
#define STATS_COST "(COALESCE(ck.cpc_cost, 0) + COALESCE(od.cpa_cost, 0))"

/*
 * One item: clicks of the period, links made for the campaign in it,
 * estimated_gp = order value - cost rounded to minor units, and order
 * value / cost to 2 places (null when nothing was paid). The dividend is
 * widened to 20 places first, so that the quotient is rounded once, at
 * 2 places (the default 4 extra digits would round it twice).
 * Pre-registered participants have no user: 0 clicks, null for the rest.
 */
#define STATS_COLUMNS \
	"SELECT ou.id, ou.user_id," \
	" COALESCE(ou.pre_registered_identifier, ou.pre_registered_email) AS display_name," \
	" COALESCE(ck.n, 0) AS clicks, ou.status," \
	" IF(ou.user_id IS NULL, NULL, COALESCE(lk.n, 0)) AS links_created," \
	" IF(ou.user_id IS NULL, NULL, CAST(ROUND(COALESCE(od.order_value, 0) - " \
	STATS_COST ") AS SIGNED)) AS estimated_gp," \
	" IF(ou.user_id IS NULL OR " STATS_COST " = 0, NULL," \
	" CAST(ROUND(CAST(COALESCE(od.order_value, 0) AS DECIMAL(40,20)) / " STATS_COST \
	", 2) AS DECIMAL(40,2))) AS estimated_earning_to_cost_ratio"

/*
 * The per-user sums of the period, each a grouped derived table joined
 * to the participants by user: the clicks (idx_clicks_offer_time) and
 * the non-rejected orders (idx_orders_offer_time) are first grouped by
 * user and source, then priced by source with the participant's
 * overrides; links by idx_affiliate_links_offer.
 */
static void
only_page(struct sql *q, const char *col, const struct sql *page)
{
	if (page == NULL)
		return;
	sql_add(q, " AND ");
	sql_add(q, col);
	sql_add(q, " IN (SELECT pg.user_id FROM (");
	sql_append(q, page);
	sql_add(q, ") pg)");
}

static void
stats_joins(struct sql *q, int64_t offer, const struct period *per, const struct sql *page)
{
	sql_add(q, " LEFT JOIN (SELECT cs.user_id, CAST(SUM(cs.n) AS SIGNED) AS n,"
	    " SUM(cs.n * COALESCE(ov.cpc, tc.cpc, 0)) AS cpc_cost"
	    " FROM (SELECT c.user_id, c.source, COUNT(*) AS n FROM clicks c");
	sql_int(q, " WHERE c.offer_id = ?", offer);
	period_filter(q, "c.occurred_at", per);
	only_page(q, "c.user_id", page);
	sql_add(q, " AND c.user_id IS NOT NULL GROUP BY c.user_id, c.source) cs");
	sql_int(q, " JOIN offer_users p ON p.offer_id = ? AND p.user_id = cs.user_id", offer);
	sql_add(q, " LEFT JOIN offer_traffic_source_costs tc ON tc.offer_id = p.offer_id"
	    " AND tc.source = cs.source"
	    " LEFT JOIN offer_user_cost_overrides ov ON ov.offer_user_id = p.id"
	    " AND ov.source = cs.source"
	    " GROUP BY cs.user_id) ck ON ck.user_id = ou.user_id");

	sql_add(q, " LEFT JOIN (SELECT os.user_id, SUM(os.v) AS order_value,"
	    " SUM(os.v * COALESCE(ov.cpa, tc.cpa, 0)) AS cpa_cost"
	    " FROM (SELECT x.user_id, x.source, SUM(x.order_value) AS v FROM orders x");
	sql_int(q, " WHERE x.offer_id = ?", offer);
	period_filter(q, "x.occurred_at", per);
	only_page(q, "x.user_id", page);
	sql_add(q, " AND x.status <> 'rejected' AND x.user_id IS NOT NULL"
	    " GROUP BY x.user_id, x.source) os");
	sql_int(q, " JOIN offer_users p ON p.offer_id = ? AND p.user_id = os.user_id", offer);
	sql_add(q, " LEFT JOIN offer_traffic_source_costs tc ON tc.offer_id = p.offer_id"
	    " AND tc.source = os.source"
	    " LEFT JOIN offer_user_cost_overrides ov ON ov.offer_user_id = p.id"
	    " AND ov.source = os.source"
	    " GROUP BY os.user_id) od ON od.user_id = ou.user_id");

	sql_int(q, " LEFT JOIN (SELECT l.user_id, COUNT(*) AS n FROM affiliate_links l"
	    " WHERE l.offer_id = ?", offer);
	period_filter(q, "l.created_at", per);
	only_page(q, "l.user_id", page);
	sql_add(q, " GROUP BY l.user_id) lk ON lk.user_id = ou.user_id");
}

/*
 * The ratio as a number with two places ("1.5" -> 1.50, "3" -> 3.00):
 * the database layer drops a DECIMAL's trailing zeros. Text only, no
 * arithmetic on the value.
 */
static enum api_err
stats_shape(struct req *r, struct json_object *rows)
{
	static const char key[] = "estimated_earning_to_cost_ratio";
	struct json_object *row, *v, *n;
	char t[64];
	const char *s, *dot;
	size_t len, places;

	(void)r;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (!json_object_object_get_ex(row, key, &v) || v == NULL)
			continue;
		s = json_object_get_string(v);
		len = strlen(s);
		dot = strchr(s, '.');
		places = dot ? len - (size_t)(dot - s) - 1 : 0;
		if (len + 4 > sizeof(t) || places > 2)
			return API_SERVER;
		snprintf(t, sizeof(t), "%s%s%.*s", s, dot ? "" : ".", (int)(2 - places), "00");
		if ((n = json_object_new_double_s(json_object_get_double(v), t)) == NULL)
			return API_SERVER;
		if (json_object_object_add(row, key, n) != 0) {
			json_object_put(n);
			return API_SERVER;
		}
	}
	return API_OK;
}

static enum api_err
participants_stats(struct req *r)
{
	const struct valid_value *query = &r->vals[S_QUERY], *active = &r->vals[S_ACTIVE];
	struct sql where = { 0 }, from = { 0 }, count = { 0 }, kept = { 0 }, page = { 0 };
	struct period per;
	struct page_query pq = {
		.columns = STATS_COLUMNS, .from = &from, .count_from = &count,
		.default_order = "ou.id ASC", .tiebreak = "ou.id", .default_size = 10,
	};
	enum api_err e;

	period_of(&r->vals[S_START], &r->vals[S_END], &per);
	sql_int(&where, " WHERE ou.offer_id = ?", r->scope.id);
	add_query_filter(&where, query);
	if (active->present) {
		sql_add(&where, active->b ? " AND EXISTS" : " AND NOT EXISTS");
		sql_add(&where, " (SELECT 1 FROM clicks ac WHERE ac.offer_id = ou.offer_id"
		    " AND ac.user_id = ou.user_id");
		period_filter(&where, "ac.occurred_at", &per);
		sql_add(&where, ")");
	}

	/* The count needs none of the sums; without filters it is kept. */
	if (!query->present && !active->present) {
		kept_count(&kept, r->scope.id, NULL);
		pq.count_query = &kept;
	}
	participants_from(&count, r->scope.id, query);
	sql_append(&count, &where);

	if (r->vals[S_SORT].present) {
		/* Sorted by a sum: every participant's sums, then the page. */
		participants_from(&from, r->scope.id, query);
		stats_joins(&from, r->scope.id, &per, NULL);
		sql_append(&from, &where);
	} else {
		/*
		 * In id order the page is picked first, and the sums are
		 * made for its participants only: a page costs the same at
		 * 100 participants as at 100k.
		 */
		sql_add(&page, "SELECT ou.id, ou.offer_id, ou.user_id, ou.status,"
		    " ou.pre_registered_identifier, ou.pre_registered_email");
		participants_from(&page, r->scope.id, query);
		sql_append(&page, &where);
		sql_add(&page, " ORDER BY ou.id ASC");
		page_window(r, &pq, &page);
		sql_add(&from, " FROM (");
		sql_append(&from, &page);
		sql_add(&from, ") ou");
		stats_joins(&from, r->scope.id, &per, &page);
		pq.windowed = true;
	}

	e = from.oom || count.oom || kept.oom || page.oom ? API_SERVER :
	    page_run(r, &pq, stats_shape);
	sql_free(&from);
	sql_free(&count);
	sql_free(&kept);
	sql_free(&page);
	sql_free(&where);
	return e;
}

const struct handler h_participants_stats = HANDLER(participants_stats, stats_fields);
