/*
 * scope.c -- tenancy as data (see scope.h).
 *
 * Each scope is a row: the path parameters it reads, the derived table
 * that finds the object and the store and user it belongs to, and the
 * rule that says who may reach it. auth_load_caller() joins the derived
 * table to the caller's own row, so a scoped request costs one query
 * before its handler.
 */
#include "config.h"

#include <string.h>

#include "http.h"
#include "router.h"
#include "scope.h"
#include "target.h"
#include "util.h"

enum rule {
	R_NONE,
	R_STORE,		/* admins and members of the store */
	R_STORE_OR_OWNER,	/* ... and the object's own creator */
	R_COMMENT,		/* see as R_STORE_OR_OWNER; change: author or admin */
	R_USER,			/* the user themselves or an admin, else 403 */
	R_SELF,			/* the user themselves, else 403 */
	R_OWNER,		/* its owner or an admin */
	R_EXISTS,		/* anyone, when it exists */
	R_TOKEN,		/* admins, store members, participants */
	R_TOKEN_USER,		/* exists; admins, store members, that user; 403 */
	R_TOKEN_SELF,		/* exists; that user only; 403 */
};

struct scope_def {
	const char *params;	/* one letter per path parameter bound: i(d), t(oken) */
	const char *from;	/* the derived table: id, store_id, owner_id, author_id, offer_id */
	enum rule rule;
};

const char *const scope_names[SCOPE__MAX] = {
	[SCOPE_NONE] = "none",
	[SCOPE_STORE] = "store",
	[SCOPE_OFFER] = "offer",
	[SCOPE_PARTICIPANT] = "participant",
	[SCOPE_OFFER_USER] = "offer_user",
	[SCOPE_COMMENT] = "comment",
	[SCOPE_SHARED_BUDGET] = "shared_budget",
	[SCOPE_RETURN_AD] = "return_ad",
	[SCOPE_USER] = "user",
	[SCOPE_SELF] = "self",
	[SCOPE_EXPORT] = "export",
	[SCOPE_AFFILIATE_LINK] = "affiliate_link",
	[SCOPE_STORE_PUBLIC] = "store_public",
	[SCOPE_OFFER_TOKEN] = "offer_token",
	[SCOPE_OFFER_TOKEN_USER] = "offer_token_user",
	[SCOPE_OFFER_TOKEN_SELF] = "offer_token_self",
	[SCOPE_OFFER_ANY] = "offer_any",
};

#define OU_FROM \
	" FROM offer_users ou JOIN offers o ON o.id = ou.offer_id" \
	" AND o.deleted_at IS NULL"

static const struct scope_def scopes[SCOPE__MAX] = {
	[SCOPE_NONE] = { "", NULL, R_NONE },
	[SCOPE_STORE] = { "i",
	    "SELECT s.id, s.id AS store_id, NULL AS owner_id, NULL AS author_id,"
	    " NULL AS offer_id FROM stores s WHERE s.id = ? AND s.deleted_at IS NULL",
	    R_STORE },
	[SCOPE_OFFER] = { "i",
	    "SELECT o.id, o.store_id, NULL AS owner_id, NULL AS author_id,"
	    " o.id AS offer_id FROM offers o WHERE o.id = ? AND o.deleted_at IS NULL",
	    R_STORE },
	/*
	 * The store's card of a participant: only the store (its cost
	 * overrides, status, todo). The creator reaches their own
	 * participation through SCOPE_OFFER_USER.
	 */
	[SCOPE_OFFER_ANY] = { "i",
	    "SELECT o.id, o.store_id, NULL AS owner_id, NULL AS author_id,"
	    " o.id AS offer_id FROM offers o WHERE o.id = ?",
	    R_STORE },
	[SCOPE_PARTICIPANT] = { "ii",
	    "SELECT ou.id, o.store_id, ou.user_id AS owner_id, NULL AS author_id,"
	    " o.id AS offer_id" OU_FROM " WHERE ou.offer_id = ? AND ou.id = ?",
	    R_STORE },
	[SCOPE_OFFER_USER] = { "i",
	    "SELECT ou.id, o.store_id, ou.user_id AS owner_id, NULL AS author_id,"
	    " o.id AS offer_id" OU_FROM " WHERE ou.id = ?",
	    R_STORE_OR_OWNER },
	[SCOPE_COMMENT] = { "ii",
	    "SELECT c.id, o.store_id, ou.user_id AS owner_id, c.author_id,"
	    " o.id AS offer_id" OU_FROM
	    " JOIN offer_user_comments c ON c.offer_user_id = ou.id"
	    " AND c.deleted_at IS NULL WHERE ou.id = ? AND c.id = ?",
	    R_COMMENT },
	[SCOPE_SHARED_BUDGET] = { "ii",
	    "SELECT b.id, b.store_id, NULL AS owner_id, NULL AS author_id,"
	    " NULL AS offer_id FROM shared_budgets b JOIN stores s ON s.id = b.store_id"
	    " AND s.deleted_at IS NULL WHERE b.store_id = ? AND b.id = ?",
	    R_STORE },
	[SCOPE_RETURN_AD] = { "i",
	    "SELECT a.id, a.store_id, NULL AS owner_id, NULL AS author_id,"
	    " NULL AS offer_id FROM return_ads a WHERE a.id = ? AND a.deleted_at IS NULL",
	    R_STORE },
	[SCOPE_USER] = { "i",
	    "SELECT x.id, NULL AS store_id, x.id AS owner_id, NULL AS author_id,"
	    " NULL AS offer_id FROM users x WHERE x.id = ? AND x.deleted_at IS NULL",
	    R_USER },
	[SCOPE_SELF] = { "i",
	    "SELECT x.id, NULL AS store_id, x.id AS owner_id, NULL AS author_id,"
	    " NULL AS offer_id FROM users x WHERE x.id = ? AND x.deleted_at IS NULL",
	    R_SELF },
	[SCOPE_EXPORT] = { "i",
	    "SELECT e.id, NULL AS store_id, e.user_id AS owner_id, NULL AS author_id,"
	    " NULL AS offer_id FROM exports e WHERE e.id = ?",
	    R_OWNER },
	[SCOPE_AFFILIATE_LINK] = { "i",
	    "SELECT l.id, l.store_id, l.user_id AS owner_id, NULL AS author_id,"
	    " NULL AS offer_id FROM affiliate_links l WHERE l.id = ?",
	    R_OWNER },
	[SCOPE_STORE_PUBLIC] = { "i",
	    "SELECT s.id, s.id AS store_id, NULL AS owner_id, NULL AS author_id,"
	    " NULL AS offer_id FROM stores s WHERE s.id = ? AND s.deleted_at IS NULL",
	    R_EXISTS },
	[SCOPE_OFFER_TOKEN] = { "t",
	    "SELECT o.id, o.store_id, NULL AS owner_id, NULL AS author_id,"
	    " o.id AS offer_id FROM offers o WHERE o.token = ? AND o.deleted_at IS NULL",
	    R_TOKEN },
	[SCOPE_OFFER_TOKEN_USER] = { "t",
	    "SELECT o.id, o.store_id, NULL AS owner_id, NULL AS author_id,"
	    " o.id AS offer_id FROM offers o WHERE o.token = ? AND o.deleted_at IS NULL",
	    R_TOKEN_USER },
	[SCOPE_OFFER_TOKEN_SELF] = { "t",
	    "SELECT o.id, o.store_id, NULL AS owner_id, NULL AS author_id,"
	    " o.id AS offer_id FROM offers o WHERE o.token = ? AND o.deleted_at IS NULL",
	    R_TOKEN_SELF },
};

int
scope_param_count(enum scope s)
{
	return s < SCOPE__MAX ? (int)strlen(scopes[s].params) : 0;
}

/* An offer token: 16 characters [a-z0-9]. */
static bool
token_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n != 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

enum api_err
scope_join(const struct req *r, struct sql *q)
{
	const struct scope_def *d;
	int64_t id;

	if (r->route == NULL || r->route->scope == SCOPE_NONE)
		return API_OK;
	d = &scopes[r->route->scope];
	/* Every parameter is checked before any text is added. */
	for (int i = 0; d->params[i] != '\0'; i++) {
		if (d->params[i] == 'i' && route_id(r, i, &id) != API_OK)
			return API_NOT_FOUND;
		if (d->params[i] == 't' && !token_ok(r->path_params[i]))
			return API_NOT_FOUND;
	}
	sql_add(q, " LEFT JOIN (");
	sql_add(q, d->from);
	for (int i = 0; d->params[i] != '\0'; i++) {
		if (d->params[i] == 'i') {
			route_id(r, i, &id);
			sql_int(q, "", id);
		} else
			sql_str(q, "", r->path_params[i], strlen(r->path_params[i]));
	}
	sql_add(q, ") sc ON 1 = 1");
	return API_OK;
}

void
scope_participant_column(const struct req *r, int64_t sub, struct sql *q)
{
	sql_add(q, ", ((EXISTS (SELECT 1 FROM offer_users p WHERE p.user_id = u.id"
	    " AND p.offer_id = sc.offer_id)");
	/*
	 * By token, the campaign's targets see it too; and no one the
	 * store's blocklist names, participant or not (SPEC.md: they must
	 * not see the store).
	 */
	if (r->route != NULL && scopes[r->route->scope].rule == R_TOKEN) {
		sql_add(q, " OR sc.offer_id IN (");
		target_offer_ids(q, sub);
		sql_add(q, "))");
		target_not_blocked(q, "sc.store_id", sub);
	} else
		sql_add(q, ")");
	sql_add(q, ") AS scope_participant");
}

enum api_err
scope_decide(struct req *r, bool found, int64_t id, int64_t store_id, int64_t owner_id,
    int64_t author_id, bool member, bool participant)
{
	const struct caller *c = &r->caller;
	enum rule rule;
	int64_t uid = 0;
	bool sees;

	if (r->route == NULL || r->route->scope == SCOPE_NONE)
		return API_OK;
	rule = scopes[r->route->scope].rule;
	r->scope.id = id;
	r->scope.store_id = store_id;
	r->scope.owner_id = owner_id;
	switch (rule) {
	case R_NONE:
		return API_OK;
	case R_STORE:
		return found && (c->admin || member) ? API_OK : API_NOT_FOUND;
	case R_STORE_OR_OWNER:
	case R_COMMENT:
		sees = found && (c->admin || member || (owner_id != 0 && owner_id == c->id));
		if (!sees)
			return API_NOT_FOUND;
		r->scope.as_owner = !c->admin && !member;
		if (rule == R_COMMENT && !c->admin && author_id != c->id)
			return API_FORBIDDEN;
		return API_OK;
	case R_USER:
		if (owner_id == c->id && found)
			return API_OK;
		if (!c->admin)
			return API_FORBIDDEN;	/* another user: not theirs to see */
		return found ? API_OK : API_NOT_FOUND;
	case R_SELF:
		route_id(r, 0, &uid);
		return uid == c->id ? API_OK : API_FORBIDDEN;
	case R_OWNER:
		return found && (c->admin || owner_id == c->id) ? API_OK : API_NOT_FOUND;
	case R_EXISTS:
		return found ? API_OK : API_NOT_FOUND;
	case R_TOKEN:
		return found && (c->admin || member || participant) ? API_OK : API_NOT_FOUND;
	case R_TOKEN_USER:
	case R_TOKEN_SELF:
		if (route_id(r, 1, &uid) != API_OK)
			return API_NOT_FOUND;
		r->scope.owner_id = uid;
		if (uid == c->id) {
			r->scope.as_owner = true;
			return found ? API_OK : API_NOT_FOUND;
		}
		if (rule == R_TOKEN_SELF || !(c->admin || (found && member)))
			return API_FORBIDDEN;
		return found ? API_OK : API_NOT_FOUND;
	}
	return API_SERVER;
}
