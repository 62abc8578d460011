/*
 * auth.h -- who is calling: the JWT access token, then the database.
 */
#ifndef METAPIC_AUTH_H
#define METAPIC_AUTH_H

#include <stdint.h>
#include <time.h>

#include "http.h"

struct conf;

/*
 * Verifies the Authorization header value ("Bearer <jwt>" or a bare
 * "<jwt>") against the configured algorithm and key: the token's alg must
 * be the configured one, `exp` is required, `nbf`, `iss` and `aud` are
 * honoured, all with the configured leeway, at time now. With jwt_max_ttl
 * set (default 30 days), a token whose `exp` lies further than that from
 * now, or from its `iat` when it has one (an integer), is refused. On success sets
 * *sub to the token's subject (a positive integer, as a number or a
 * string) and returns API_OK; otherwise API_UNAUTHENTICATED.
 */
enum api_err auth_verify(const struct conf *c, const char *header, time_t now,
    int64_t *sub);

/*
 * auth_verify() keeps the tokens it accepted (64 per process, by their
 * whole text and the configuration's key and claim rules) and checks only
 * their times again when they come back. This forgets them all.
 */
void auth_cache_clear(void);

/*
 * Loads the caller's rights (staff flag, client, store memberships) from
 * the database into r->caller and, in the same query, resolves the
 * route's scope (scope.h): its verdict goes to r->scope_result, to be
 * answered after the route's access check. API_UNAUTHENTICATED for an
 * unknown or deleted user; API_NOT_FOUND for a path parameter that cannot
 * name an object (checked before any query); a database error's API code
 * otherwise.
 */
enum api_err auth_load_caller(struct req *r, int64_t sub);

/*
 * The route's access rule for the loaded caller: API_OK, or API_FORBIDDEN
 * (ACC_ADMIN: staff only; ACC_STORE: staff and store members).
 */
enum api_err auth_check_access(const struct req *r);

/* True when the caller is an admin or a member of store_id. */
bool auth_can_manage_store(const struct caller *c, int64_t store_id);

/*
 * Makes a signed token for sub valid for ttl seconds from now, with the
 * configured algorithm (the private key file for RS256/ES256). Returns a
 * malloc'd string or NULL, with a reason in err.
 */
char *auth_make_token(const struct conf *c, int64_t sub, long ttl, time_t now,
    char *err, size_t errsz);

#endif
