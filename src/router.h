/*
 * router.h -- the route table: one row per endpoint, the one list of what
 * the server does.
 */
#ifndef METAPIC_ROUTER_H
#define METAPIC_ROUTER_H

#include <stddef.h>

#include "http.h"
#include "scope.h"
#include "valid.h"

/* Who may call a route, before any object-level check of the handler. */
enum access {
	ACC_PUBLIC,	/* no token (health check) */
	ACC_USER,	/* any authenticated user */
	ACC_STORE,	/* admins and members of at least one store */
	ACC_ADMIN,	/* staff only */
	ACC__MAX
};
extern const char *const access_names[ACC__MAX];

/* Flags of a handler. */
#define H_UPLOAD 0x1u	/* takes files: max_upload_bytes, multipart bodies */

/* A handler with the input table validated before it runs. */
struct handler {
	enum api_err (*fn)(struct req *r);
	const struct valid_field *fields;
	size_t nfields;
	unsigned flags;		/* H_UPLOAD */
};

/* A handler and its input table; one with no input; an upload route. */
#define HANDLER(f, tbl) \
	{ .fn = (f), .fields = (tbl), .nfields = sizeof(tbl) / sizeof((tbl)[0]) }
#define HANDLER_NO_INPUT(f) { .fn = (f), .fields = NULL, .nfields = 0 }
#define HANDLER_UPLOAD(f) { .fn = (f), .fields = NULL, .nfields = 0, .flags = H_UPLOAD }

#define ROUTE_METHOD(m) (1u << (m))

struct route {
	unsigned methods;		/* ROUTE_METHOD(HTTP_GET) | ... */
	const char *pattern;		/* "/v2/offers/{offer_id}/pause" */
	enum access access;
	enum scope scope;		/* the object its path names, resolved first */
	const struct handler *h;	/* NULL: not built yet, answers 501 */
};

extern const struct route routes[];
extern const size_t nroutes;

/*
 * Finds the route for path and method. On API_OK sets *out and copies the
 * `{param}` segments into params[] (malloc'd, the caller frees them).
 * API_METHOD when the path is known but not the method: *allowed gets the
 * methods of the path. API_NOT_FOUND otherwise. HEAD is served by GET.
 */
enum api_err route_match(const char *path, enum http_method m,
    const struct route **out, char *params[HTTP_MAX_PATH_PARAMS], unsigned *allowed);

/* Writes "GET, HEAD, POST" for a method mask into buf. */
const char *route_allow(unsigned methods, char *buf, size_t bufsz);

/*
 * The i-th (from 0) path parameter of r as an id. Returns API_OK and
 * sets *id, or API_NOT_FOUND when it is not a positive integer.
 */
enum api_err route_id(const struct req *r, int i, int64_t *id);

#endif
