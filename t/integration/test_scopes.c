/*
 * test_scopes.c -- tenancy from the route table itself: every route that
 * names a scope (src/routes.c) is sent by each kind of caller for an
 * object of store 1, and for objects that do not exist. Another store's
 * member, a creator and an unknown id get no data: the documented 404 or
 * 403, as the scope's rule says. A route built tomorrow is covered today.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "client.h"
#include "router.h"

/* The callers of the demo data. */
enum who { ADMIN, MEMBER, OTHER_MEMBER, OWNER, STRANGER, WHO__MAX };
static const char *const who_names[WHO__MAX] = {
	"admin", "store 1 member", "store 2 member", "the object's creator", "another creator",
};

/* What a caller gets: the route goes on (OK), or a refusal. */
enum want { OK = 0, E403 = 403, E404 = 404 };

/*
 * Per scope: SQL giving the path values of an object of store 1 (tab
 * separated, in path order) and, last, the user who owns it (its
 * creator); and what each kind of caller gets, before the route's own
 * access check (ACC_*) is applied.
 */
struct fixture {
	enum scope scope;
	const char *sql;
	enum want want[WHO__MAX];
	const char *unknown;	/* path values of an object that does not exist */
};

static const struct fixture fixtures[] = {
	{ SCOPE_STORE, "SELECT 1, 999999999, 3",
	    { OK, OK, E404, E404, E404 }, "999999999 999999999" },
	{ SCOPE_STORE_PUBLIC, "SELECT 1, 3", { OK, OK, OK, OK, OK }, "999999999" },
	/* The second value: a user in the campaign ({offer_id}/users/{id}). */
	{ SCOPE_OFFER, "SELECT o.id, MIN(ou.user_id), 3 FROM offers o JOIN offer_users ou "
	    "ON ou.offer_id = o.id WHERE o.store_id = 1 AND o.deleted_at IS NULL "
	    "GROUP BY o.id ORDER BY o.id LIMIT 1",
	    { OK, OK, E404, E404, E404 }, "999999999 999999999" },
	/* A deleted campaign stays readable by its store, by id. */
	{ SCOPE_OFFER_ANY, "SELECT o.id, 999999999, 3 FROM offers o WHERE o.store_id = 1 "
	    "AND o.deleted_at IS NOT NULL ORDER BY o.id LIMIT 1",
	    { OK, OK, E404, E404, E404 }, "999999999 999999999" },
	{ SCOPE_PARTICIPANT, "SELECT ou.offer_id, ou.id, ou.user_id FROM offer_users ou "
	    "JOIN offers o ON o.id = ou.offer_id WHERE o.store_id = 1 AND o.deleted_at IS NULL "
	    "AND ou.user_id IS NOT NULL ORDER BY ou.id LIMIT 1",
	    { OK, OK, E404, E404, E404 }, "999999999 999999999" },
	{ SCOPE_OFFER_USER, "SELECT ou.id, 999999999, ou.user_id FROM offer_users ou "
	    "JOIN offers o ON o.id = ou.offer_id WHERE o.store_id = 1 AND o.deleted_at IS NULL "
	    "AND ou.user_id IS NOT NULL ORDER BY ou.id LIMIT 1",
	    { OK, OK, E404, OK, E404 }, "999999999 999999999" },
	/* Only the author changes a comment: the participant's creator wrote
	 * this one; store members see it but get 403. */
	{ SCOPE_COMMENT, "SELECT c.offer_user_id, c.id, c.author_id FROM offer_user_comments c "
	    "JOIN offer_users ou ON ou.id = c.offer_user_id JOIN offers o ON o.id = ou.offer_id "
	    "WHERE o.store_id = 1 AND o.deleted_at IS NULL AND c.deleted_at IS NULL "
	    "AND c.author_id = ou.user_id ORDER BY c.id LIMIT 1",
	    { OK, E403, E404, OK, E404 }, "999999999 999999999" },
	{ SCOPE_SHARED_BUDGET, "SELECT b.store_id, b.id, 3 FROM shared_budgets b "
	    "WHERE b.store_id = 1 ORDER BY b.id LIMIT 1",
	    { OK, OK, E404, E404, E404 }, "1 999999999" },
	{ SCOPE_RETURN_AD, "SELECT a.id, 3 FROM return_ads a WHERE a.store_id = 1 "
	    "AND a.deleted_at IS NULL ORDER BY a.id LIMIT 1",
	    { OK, OK, E404, E404, E404 }, "999999999" },
	{ SCOPE_USER, "SELECT 3, 3", { OK, E403, E403, OK, E403 }, "999999999" },
	/* The demo's export of user 2 (store 1's member): its owner and admins. */
	{ SCOPE_EXPORT, "SELECT e.id, e.user_id FROM exports e WHERE e.user_id = 2 "
	    "ORDER BY e.id LIMIT 1",
	    { OK, OK, E404, OK, E404 }, "999999999" },
	{ SCOPE_AFFILIATE_LINK, "SELECT l.id, l.user_id FROM affiliate_links l "
	    "WHERE l.store_id = 1 ORDER BY l.id LIMIT 1",
	    { OK, E404, E404, OK, E404 }, "999999999" },
	{ SCOPE_OFFER_TOKEN, "SELECT o.token, ou.user_id FROM offers o JOIN offer_users ou "
	    "ON ou.offer_id = o.id AND ou.user_id IS NOT NULL WHERE o.store_id = 1 "
	    "AND o.deleted_at IS NULL ORDER BY o.id LIMIT 1",
	    { OK, OK, E404, OK, E404 }, "zzzzzzzzzzzzzzzz" },
	/* {offer_token}/users/{user_id}: the path's user is the owner. */
	{ SCOPE_OFFER_TOKEN_USER, "SELECT o.token, 3, 3 FROM offers o WHERE o.store_id = 1 "
	    "AND o.deleted_at IS NULL ORDER BY o.id LIMIT 1",
	    { OK, OK, E403, OK, E403 }, "zzzzzzzzzzzzzzzz 1" },
	{ SCOPE_OFFER_TOKEN_SELF, "SELECT o.token, 3, 3 FROM offers o WHERE o.store_id = 1 "
	    "AND o.deleted_at IS NULL ORDER BY o.id LIMIT 1",
	    { E403, E403, E403, OK, E403 }, "zzzzzzzzzzzzzzzz 1" },
};

static const struct fixture *
fixture_of(enum scope s)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		if (fixtures[i].scope == s)
			return &fixtures[i];
	return NULL;
}

/* The path with its {params} replaced by the space-separated values. */
static void
fill(const char *pattern, const char *values, char *out, size_t sz)
{
	char v[256], *save = NULL, *tokp;
	size_t k = 0;

	snprintf(v, sizeof(v), "%s", values);
	tokp = strtok_r(v, " \t", &save);
	for (const char *c = pattern; *c && k + 1 < sz; c++) {
		if (*c == '{') {
			k += (size_t)snprintf(out + k, sz - k, "%s", tokp ? tokp : "1");
			tokp = strtok_r(NULL, " \t", &save);
			c = strchr(c, '}');
		} else
			out[k++] = *c;
	}
	out[k] = '\0';
}

/* The demo user of each kind, for an object owned by owner. */
static int
user_of(enum who w, int owner)
{
	switch (w) {
	case ADMIN: return 1;
	case MEMBER: return 2;
	case OTHER_MEMBER: return 4;
	case OWNER: return owner;
	default: return owner == 3 ? 5 : 3;
	}
}

/* What the route's access (who may call it at all) says first. */
static bool
access_allows(const struct route *rt, enum who w)
{
	switch (rt->access) {
	case ACC_ADMIN: return w == ADMIN;
	case ACC_STORE: return w == ADMIN || w == MEMBER || w == OTHER_MEMBER;
	default: return true;
	}
}

static bool
is_write(const char *m)
{
	return strcmp(m, "GET") != 0;
}

Test(scopes, every_scoped_route_from_the_table)
{
	int checked = 0, routes_seen = 0;
	char url[512];

	for (size_t i = 0; i < nroutes; i++) {
		const struct route *rt = &routes[i];
		const struct fixture *fx;
		char *vals, *last;
		int owner;

		if (rt->scope == SCOPE_NONE)
			continue;
		cr_assert_not_null(fx = fixture_of(rt->scope), "no fixture for scope %s of %s",
		    scope_names[rt->scope], rt->pattern);
		vals = sql(fx->sql);
		cr_assert(vals[0] != '\0', "no demo object for %s: %s", rt->pattern, fx->sql);
		last = strrchr(vals, '\t');
		cr_assert_not_null(last);
		owner = atoi(last + 1);
		*last = '\0';
		fill(rt->pattern, vals, url, sizeof(url));
		routes_seen++;
		for (int m = 0; m < HTTP_METHOD__MAX; m++) {
			if (!(rt->methods & ROUTE_METHOD(m)))
				continue;
			const char *mn = http_method_names[m];
			for (int w = 0; w < WHO__MAX; w++) {
				enum want want = access_allows(rt, (enum who)w) ?
				    fx->want[w] : E403;
				/* A write that would go on changes demo data: skip it. */
				if (want == OK && is_write(mn) && rt->h != NULL)
					continue;
				struct resp r = req(mn, url, tok(user_of((enum who)w, owner)),
				    is_write(mn) ? "{}" : NULL);
				if (want == OK)
					cr_expect(r.status == 501 || (r.status != 401 &&
					    r.status != 403 && r.status != 404 && r.status < 500),
					    "%s %s as %s: %ld %s", mn, url, who_names[w], r.status,
					    r.body);
				else {
					cr_expect_eq(r.status, (long)want, "%s %s as %s: %ld, want %d",
					    mn, url, who_names[w], r.status, want);
					cr_expect_str_eq(r.body, error_body(want), "%s %s", mn, url);
				}
				resp_free(&r);
				checked++;
			}
			/* An object that does not exist, asked for by an admin. */
			if (rt->access != ACC_PUBLIC) {
				char unknown[512];
				fill(rt->pattern, fx->unknown, unknown, sizeof(unknown));
				struct resp r = req(mn, unknown, tok(1), is_write(mn) ? "{}" : NULL);
				enum want want = E404;
				cr_expect_eq(r.status, (long)want, "%s %s (unknown) as admin: %ld", mn,
				    unknown, r.status);
				cr_expect_str_eq(r.body, error_body(want));
				resp_free(&r);
				checked++;
			}
		}
		free(vals);
	}
	cr_expect_geq(routes_seen, 40, "scoped routes: %d", routes_seen);
	cr_expect_geq(checked, 200, "requests: %d", checked);
}

/* A path id that cannot be one (not a positive integer) is a 404 too. */
Test(scopes, malformed_ids_are_not_found)
{
	static const char *const paths[] = {
		"/v2/advertisers/0/blocklist", "/v2/advertisers/-1/blocklist",
		"/v2/advertisers/01/blocklist", "/v2/advertisers/1x/blocklist",
		"/v2/advertisers/99999999999999999999/blocklist", "/v2/offer-by-token/SHORT",
		"/v2/offer-by-token/ABCDEFGHIJKLMNOP",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct resp r = req("GET", paths[i], tok(1), NULL);
		expect_error(r, 404);
		resp_free(&r);
	}
}

/*
 * A member of one store who takes part in another store's campaign passes
 * the coarse store-only gate, and still never reaches that store's card of
 * their participation (status, overrides, todo).
 */
Test(scopes, a_member_participating_elsewhere_gets_no_card)
{
	char q[512], url[256], *id;

	free(sql("INSERT INTO offer_users (offer_id, user_id, status) VALUES (1, 4, 'open')"));
	id = sql("SELECT id FROM offer_users WHERE offer_id = 1 AND user_id = 4");
	static const char *const paths[][2] = {
		{ "GET", "/v2/offers/1/participants/%s" },
		{ "PATCH", "/v2/offers/1/participants/%s/update-status" },
		{ "PATCH", "/v2/offers/1/participants/%s/overrides/costs" },
		{ "PATCH", "/v2/offers/1/participants/%s/overrides/clicks" },
		{ "PATCH", "/v2/offers/1/participants/%s/todo" },
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		snprintf(url, sizeof(url), paths[i][1], id);
		struct resp r = req(paths[i][0], url, tok(4),
		    paths[i][0][0] == 'P' ? "{\"status\":\"done\",\"click_limit\":0}" : NULL);
		expect_error(r, 404);
		resp_free(&r);
	}
	/* Their own participation, as a creator, stays theirs to see. */
	snprintf(url, sizeof(url), "/v2/offer-users/%s/activities", id);
	struct resp r = req("GET", url, tok(4), NULL);
	cr_expect(r.status != 403 && r.status != 404, "own participation: %ld", r.status);
	resp_free(&r);
	snprintf(q, sizeof(q), "DELETE FROM offer_users WHERE id = %s", id);
	free(sql(q));
	free(id);
}
