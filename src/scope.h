/*
 * scope.h -- tenancy as data: which object a route's path names, and who
 * may know it.
 *
 * Each route row names a scope. Before the handler runs, the pipeline
 * resolves it in the same query that loads the caller (auth_load_caller),
 * and answers 404 when the object does not exist or the caller may not
 * know it, 403 when SPEC.md says so. Handlers read the resolved ids from
 * r->scope and never check tenancy again.
 */
#ifndef METAPIC_SCOPE_H
#define METAPIC_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

struct req;

enum scope {
	SCOPE_NONE,		/* no object in the path */
	SCOPE_STORE,		/* {store_id}: admins and the store's members */
	SCOPE_OFFER,		/* {offer_id}: admins and its store's members */
	SCOPE_PARTICIPANT,	/* {offer_id}/.../{participant_id}: its store's
				   members and admins only (the store's card) */
	SCOPE_OFFER_USER,	/* {offer_user_id}: its store's members, admins,
				   and the creator themselves (as_owner) */
	SCOPE_COMMENT,		/* {offer_user_id}/comments/{id}: who may see the
				   participant sees it; only its author (or an
				   admin) changes it, others get 403 */
	SCOPE_SHARED_BUDGET,	/* {store_id}/shared-budgets/{id}: as the store */
	SCOPE_RETURN_AD,	/* {id}: admins and the ad's advertiser's members */
	SCOPE_USER,		/* {user_id}: the user themselves or an admin; 403 */
	SCOPE_SELF,		/* {user_id}: the user themselves only; 403 */
	SCOPE_EXPORT,		/* {id}: who asked for it, or an admin */
	SCOPE_AFFILIATE_LINK,	/* {id}: the creator whose link it is, or an admin */
	SCOPE_STORE_PUBLIC,	/* {store_id}: any caller; the store must exist */
	SCOPE_OFFER_TOKEN,	/* {offer_token}: admins, its store's members, its
				   participants and the users it targets who are
				   not on the store's blocklist (target.h) */
	SCOPE_OFFER_TOKEN_USER,	/* {offer_token}/users/{user_id}: the token's
				   offer exists; admins, its store's members,
				   or that user themselves (403 for others) */
	SCOPE_OFFER_TOKEN_SELF,	/* {offer_token}/users/{user_id}/join: the
				   token's offer exists; only that user (403) */
	SCOPE_OFFER_ANY,	/* {offer_id}: as SCOPE_OFFER, deleted offers too
				   (a store reads its deleted campaigns) */
	SCOPE__MAX
};

extern const char *const scope_names[SCOPE__MAX];

/*
 * Appends to q the derived table of r's route scope, binding the path
 * parameters, as " LEFT JOIN (...) sc ON 1 = 1" with the columns sc.id,
 * sc.store_id, sc.owner_id, sc.author_id, sc.offer_id. Returns API_OK,
 * or API_NOT_FOUND when a path parameter cannot name an object (not a
 * positive integer, a token of the wrong shape). Nothing is appended for
 * SCOPE_NONE.
 */
enum api_err scope_join(const struct req *r, struct sql *q);

/*
 * Appends the column "scope_participant" of the caller sub to the query
 * that joins the scope's table (sc): whether sub takes part in sc's offer
 * and, for the token scope, whether the offer targets them.
 */
void scope_participant_column(const struct req *r, int64_t sub, struct sql *q);

/*
 * Decides, from the resolved row (found, ids, and whether the caller is
 * a member of the object's store or a participant of its offer), whether
 * r's caller may reach the object; fills r->scope. API_OK, API_NOT_FOUND
 * or API_FORBIDDEN.
 */
enum api_err scope_decide(struct req *r, bool found, int64_t id, int64_t store_id,
    int64_t owner_id, int64_t author_id, bool member, bool participant);

/* The path parameter (from 0) each scope reads, -1 for none; for tests. */
int scope_param_count(enum scope s);

#endif
