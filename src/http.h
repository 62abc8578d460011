/*
 * http.h -- one request: what came in, who sent it, what goes out.
 *
 * Everything a request allocates hangs off struct req and is freed by
 * http_req_free(), which is safe on a half-built request. Handlers never
 * write a status line: they return an api_err, or set r->status and
 * r->body and return API_OK.
 */
#ifndef METAPIC_HTTP_H
#define METAPIC_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "util.h"

struct conf;
struct route;
struct valid_value;

/* Every error the API answers with; http_errors[] gives status and body. */
enum api_err {
	API_OK,
	API_BAD_JSON,		/* 400 */
	API_UNAUTHENTICATED,	/* 401 */
	API_FORBIDDEN,		/* 403 */
	API_NOT_FOUND,		/* 404 */
	API_METHOD,		/* 405 */
	API_CONFLICT,		/* 409: the idempotency key's request is running */
	API_TOO_LARGE,		/* 413 */
	API_VALIDATION,		/* 422, body from r->verrors */
	API_RATE_LIMITED,	/* 429 */
	API_SERVER,		/* 500 */
	API_NOT_IMPLEMENTED,	/* 501 */
	API_UNAVAILABLE,	/* 503 */
	API_ERR__MAX
};

/* Status code and message of each error. */
struct http_error {
	int status;
	const char *message;
};
extern const struct http_error http_errors[API_ERR__MAX];

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_OTHER,
	HTTP_METHOD__MAX
};
extern const char *const http_method_names[HTTP_METHOD__MAX];

/* The authenticated user and what the database says they may do. */
struct caller {
	int64_t id;
	bool admin;
	int64_t client_id;	/* 0 when none */
	int64_t *stores;	/* ids of stores the user is a member of */
	size_t nstores;
};

/* What the route's scope resolved to (scope.h); all 0 for none. */
struct scope_ids {
	int64_t id;		/* the object's id (the offer's for tokens) */
	int64_t store_id;	/* the store it belongs to, 0 when none */
	int64_t owner_id;	/* its creator or owner user, 0 when none */
	bool as_owner;		/* the caller reached it as its owner only */
};

#define HTTP_MAX_PATH_PARAMS 4

/* Moves bytes between the request and the web server: FastCGI or CGI. */
struct http_io {
	/* Reads up to n bytes of the body; returns bytes read, 0 at end, -1. */
	long (*read)(void *ctx, char *buf, size_t n);
	/* Writes n bytes; returns 0 or -1. */
	int (*write)(void *ctx, const char *buf, size_t n);
	/* Looks up a parameter (CGI variable); borrowed, NULL when absent. */
	const char *(*param)(void *ctx, const char *name);
	void *ctx;
};

struct req {
	const struct conf *conf;
	struct http_io io;
	int64_t started_us;
	char id[72];

	enum http_method method;
	char method_name[16];
	char *path;		/* decoded, normalised, no query */
	char *scheme_host;	/* "https://api.example" for absolute links */
	struct json_object *query;	/* the parsed query string */
	struct buf link_base;	/* page links up to "page=" (page.c), made once */
	struct json_object *input;	/* query merged with body, body wins */
	char *body;		/* raw body (NUL-terminated), NULL if none */
	size_t body_len;

	const struct route *route;
	char *path_params[HTTP_MAX_PATH_PARAMS];
	int64_t path_ids[HTTP_MAX_PATH_PARAMS];	/* numeric path params */

	struct caller caller;
	bool authenticated;
	struct scope_ids scope;	/* resolved before the handler runs */
	enum api_err scope_result;	/* the scope's verdict (scope_decide) */

	int64_t idem_id;	/* the claimed Idempotency-Key's row (idem.h), or 0 */
	char idem_hash[65];	/* SHA-256 of the request, hex */
	char idem_claim[33];	/* this request's claim token, hex */
	bool idem_recorded;	/* the response is stored with the key */
	int rl_limit;		/* -1 until rate limiting ran */
	int rl_remaining;
	int rl_retry_after;

	struct valid_value *vals;	/* one per field of the route's table */
	size_t nvals;
	struct json_object *verrors;	/* {"field": ["message", ...]} */

	int status;		/* 0 until a response is chosen */
	struct json_object *body_json;	/* response body; NULL for none */
	struct {		/* a file answer (http_set_file), instead of a body */
		char *path;
		char *name;	/* the download's name */
		const char *type;	/* its Content-Type, a literal */
		int64_t size;
		int64_t mtime;	/* seconds; with path and size, its ETag */
	} file;
	struct buf headers;	/* extra response header lines, CRLF-ended */
	bool responded;
	size_t body_bytes;	/* the JSON body's length, once written */
};

/* Initialises r for a new request over io. Never fails. */
void http_req_init(struct req *r, const struct conf *c, const struct http_io *io);

/* Frees everything r owns; safe to call twice and on a half-built r. */
void http_req_free(struct req *r);

/*
 * Reads the request line parameters: method, path, query string, request
 * id and scheme/host. Returns API_OK, API_NOT_FOUND for a path that cannot
 * be a route (traversal, NUL), API_TOO_LARGE for an oversized query.
 */
enum api_err http_read_head(struct req *r);

/*
 * The body limit of r's route: max_upload_bytes for upload routes
 * (H_UPLOAD), max_body_bytes for every other.
 */
long http_body_limit(const struct req *r);

/*
 * Reads the body (up to http_body_limit(); API_TOO_LARGE past it, before
 * reading) and merges it with the query into r->input as Laravel's
 * $request->input() does: a JSON body's keys, or a form's. A multipart
 * body stays raw in r->body for the handler (multipart.h). API_BAD_JSON
 * for invalid or too deep JSON; a body shorter than its Content-Length is
 * API_BAD_JSON too (the client went away).
 */
enum api_err http_read_body(struct req *r);

/*
 * Adds a response header line "Name: value", the value of any length, cut
 * at its first CR or LF. Returns 0, or -1 when out of memory (the header
 * is then missing).
 */
int http_add_header(struct req *r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets a 422 error for field with message; messages accumulate per field. */
void http_validation_error(struct req *r, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Writes the response: r->status and r->body_json (or r->file) when err
 * is API_OK, else the error's documented status and body. A 200 answer
 * to GET or HEAD carries a strong ETag of its body; when If-None-Match
 * holds it, the answer is 304 with no body (RFC 9110). Returns the
 * status sent.
 */
int http_respond(struct req *r, enum api_err err);

/*
 * Answers r with the file at path (a regular file), downloaded as name,
 * of Content-Type type (a string literal): behind nginx, when the file
 * lies under export_dir and accel_redirect is set, through X-Accel-Redirect;
 * otherwise streamed by http_respond() in 64 KiB chunks. HEAD sends the
 * headers only. API_NOT_FOUND when there is no such file, API_SERVER out
 * of memory.
 */
enum api_err http_set_file(struct req *r, const char *path, const char *name,
    const char *type);

/* Forgets a file answer; safe when there is none. */
void http_clear_file(struct req *r);

/* Takes ownership of body and sets the response (status 200 when 0). */
void http_set_json(struct req *r, int status, struct json_object *body);

/* Serialises j as compact JSON (no escaped slashes); borrowed string. */
const char *http_json_text(struct json_object *j, size_t *len);

/*
 * Parses s[0..n) as one strict, UTF-8-valid JSON document nested at most
 * max_depth deep, followed by nothing but white space. Returns 0 and sets
 * *out (NULL for the document `null`; the caller owns it), or -1.
 */
int http_parse_json(const char *s, size_t n, int max_depth, struct json_object **out);

#define HTTP_JSON_MAX_DEPTH 32

#endif
