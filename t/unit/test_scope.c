/*
 * test_scope.c -- tenancy as data: every route with a path parameter
 * names a scope that reads no more parameters than the path has, and
 * each scope's rule decides as SPEC.md says, for every kind of caller.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "router.h"
#include "scope.h"

static int
params_in(const char *pattern)
{
	int n = 0;

	for (const char *c = pattern; *c; c++)
		n += *c == '{';
	return n;
}

Test(scope, every_parameterised_route_names_one)
{
	int scoped = 0;

	for (size_t i = 0; i < nroutes; i++) {
		int n = params_in(routes[i].pattern);
		if (n > 0) {
			cr_expect_neq(routes[i].scope, SCOPE_NONE, "%s names no scope",
			    routes[i].pattern);
			scoped++;
		}
		cr_expect_leq(scope_param_count(routes[i].scope), n, "%s: scope %s reads %d",
		    routes[i].pattern, scope_names[routes[i].scope],
		    scope_param_count(routes[i].scope));
	}
	cr_expect_geq(scoped, 40);
}

/* A request on the first route of scope s, by caller (admin or not). */
static void
setup(struct req *r, enum scope s, int64_t caller, bool admin, char *p0, char *p1)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < nroutes; i++)
		if (routes[i].scope == s) {
			r->route = &routes[i];
			break;
		}
	cr_assert_not_null(r->route, "no route has scope %s", scope_names[s]);
	r->caller.id = caller;
	r->caller.admin = admin;
	r->path_params[0] = p0;
	r->path_params[1] = p1;
}

struct decision {
	enum scope scope;
	int64_t caller;
	bool admin;
	const char *p1;		/* the second path parameter (a user id) */
	bool found, member, participant;
	int64_t owner, author;
	enum api_err want;
	bool as_owner;
};

Test(scope, decisions)
{
	static const struct decision t[] = {
		/* store: admins and members; no one else learns it exists */
		{ SCOPE_STORE, 1, true, NULL, true, false, false, 0, 0, API_OK, false },
		{ SCOPE_STORE, 2, false, NULL, true, true, false, 0, 0, API_OK, false },
		{ SCOPE_STORE, 4, false, NULL, true, false, false, 0, 0, API_NOT_FOUND, false },
		{ SCOPE_STORE, 1, true, NULL, false, false, false, 0, 0, API_NOT_FOUND, false },
		/* participant: the store's card; its creator is not let in, even
		 * when a member of another store passes the coarse ACC_STORE */
		{ SCOPE_PARTICIPANT, 4, false, "9", true, false, false, 4, 0, API_NOT_FOUND, false },
		{ SCOPE_PARTICIPANT, 5, false, "9", true, false, false, 3, 0, API_NOT_FOUND, false },
		{ SCOPE_PARTICIPANT, 2, false, "9", true, true, false, 3, 0, API_OK, false },
		/* offer user: also its creator, as the owner */
		{ SCOPE_OFFER_USER, 3, false, NULL, true, false, false, 3, 0, API_OK, true },
		{ SCOPE_OFFER_USER, 5, false, NULL, true, false, false, 3, 0, API_NOT_FOUND, false },
		{ SCOPE_OFFER_USER, 2, false, NULL, true, true, false, 3, 0, API_OK, false },
		/* comment: seen by who sees the participant, changed by its author */
		{ SCOPE_COMMENT, 3, false, "9", true, false, false, 3, 3, API_OK, true },
		{ SCOPE_COMMENT, 2, false, "9", true, true, false, 3, 3, API_FORBIDDEN, false },
		{ SCOPE_COMMENT, 3, false, "9", true, false, false, 3, 2, API_FORBIDDEN, true },
		{ SCOPE_COMMENT, 5, false, "9", true, false, false, 3, 3, API_NOT_FOUND, false },
		{ SCOPE_COMMENT, 1, true, "9", true, false, false, 3, 3, API_OK, false },
		/* user: themselves or an admin; others 403 whether it exists or not */
		{ SCOPE_USER, 3, false, NULL, true, false, false, 3, 0, API_OK, false },
		{ SCOPE_USER, 4, false, NULL, true, false, false, 3, 0, API_FORBIDDEN, false },
		{ SCOPE_USER, 4, false, NULL, false, false, false, 0, 0, API_FORBIDDEN, false },
		{ SCOPE_USER, 1, true, NULL, false, false, false, 0, 0, API_NOT_FOUND, false },
		/* export and affiliate link: the owner or an admin */
		{ SCOPE_AFFILIATE_LINK, 3, false, NULL, true, false, false, 3, 0, API_OK, false },
		{ SCOPE_AFFILIATE_LINK, 5, false, NULL, true, false, false, 3, 0, API_NOT_FOUND,
		    false },
		{ SCOPE_AFFILIATE_LINK, 1, true, NULL, true, false, false, 3, 0, API_OK, false },
		/* offer token: members, participants, admins */
		{ SCOPE_OFFER_TOKEN, 3, false, NULL, true, false, true, 0, 0, API_OK, false },
		{ SCOPE_OFFER_TOKEN, 5, false, NULL, true, false, false, 0, 0, API_NOT_FOUND,
		    false },
		/* {offer_token}/users/{user_id}: that user, members, admins; 403 */
		{ SCOPE_OFFER_TOKEN_USER, 3, false, "3", true, false, false, 0, 0, API_OK, true },
		{ SCOPE_OFFER_TOKEN_USER, 5, false, "3", true, false, false, 0, 0, API_FORBIDDEN,
		    false },
		{ SCOPE_OFFER_TOKEN_USER, 2, false, "3", true, true, false, 0, 0, API_OK, false },
		{ SCOPE_OFFER_TOKEN_USER, 3, false, "3", false, false, false, 0, 0, API_NOT_FOUND,
		    true },
		/* join: only that user, admins included */
		{ SCOPE_OFFER_TOKEN_SELF, 1, true, "3", true, false, false, 0, 0, API_FORBIDDEN,
		    false },
		{ SCOPE_OFFER_TOKEN_SELF, 3, false, "3", true, false, false, 0, 0, API_OK, true },
		/* a store's public face: anyone, when it exists */
		{ SCOPE_STORE_PUBLIC, 3, false, NULL, true, false, false, 0, 0, API_OK, false },
		{ SCOPE_STORE_PUBLIC, 3, false, NULL, false, false, false, 0, 0, API_NOT_FOUND,
		    false },
	};
	struct req r;
	char p0[] = "abcdefghij012345", p1[24];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(p1, sizeof(p1), "%s", t[i].p1 ? t[i].p1 : "1");
		setup(&r, t[i].scope, t[i].caller, t[i].admin, p0, p1);
		enum api_err e = scope_decide(&r, t[i].found, t[i].found ? 77 : 0, 1, t[i].owner,
		    t[i].author, t[i].member, t[i].participant);
		cr_expect_eq(e, t[i].want, "row %zu (%s, caller %lld): %d, want %d", i,
		    scope_names[t[i].scope], (long long)t[i].caller, e, t[i].want);
		if (e == API_OK)
			cr_expect_eq(r.scope.as_owner, t[i].as_owner, "row %zu as_owner", i);
	}
}
