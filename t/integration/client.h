/*
 * client.h -- what the integration tests use to talk to the private stack
 * that run.sh started: HTTP through nginx (libcurl), tokens, the harness.
 */
#ifndef METAPIC_TEST_CLIENT_H
#define METAPIC_TEST_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

struct resp {
	long status;
	char *body;		/* NUL-terminated */
	size_t len;
	char *headers;		/* raw header block */
	struct json_object *json;	/* parsed body, NULL if not JSON */
};

/* Base URLs from the environment run.sh sets. */
const char *base_http(void);
const char *base_https(void);

/*
 * Sends method url (absolute, or a path appended to base_http()) with the
 * Authorization header auth (NULL: none) and body (NULL: none) as JSON.
 * Fails the test when the request cannot be made.
 */
struct resp req(const char *method, const char *url, const char *auth, const char *body);

/* Same, with full control of content type and one extra header. */
struct resp req_ex(const char *method, const char *url, const char *auth, const char *body,
    size_t body_len, const char *content_type, const char *extra_header);

void resp_free(struct resp *r);

/* The value of response header name (case-insensitive), or NULL. Static buffer. */
const char *resp_header(const struct resp *r, const char *name);

/* The demo user's valid token ("Bearer ..." header value). Static storage. */
const char *tok(int user);

/* A token signed with the stack's secret with the given claims JSON. malloc'd. */
char *tok_claims(const char *alg, const char *claims);

/* Runs `harness.sh CMD DIR ARGS` for the stack. Returns its exit status. */
int harness(const char *cmd, const char *args);

/* Runs a SQL statement as root against the stack's database; output returned (malloc'd). */
char *sql(const char *statement);

/* The boundary of form_file()'s bodies, for the Content-Type. */
#define FORM_BOUNDARY "----metapicTestBoundary7MA4YWxk"
/*
 * A multipart/form-data body of one file part: field, filename, its
 * Content-Type and data[0..n), then pad zero bytes (after a PNG's IEND:
 * still the same image). *len its length. malloc'd.
 */
char *form_file(const char *field, const char *filename, const char *ctype, const void *data,
    size_t n, size_t pad, size_t *len);
/* The integer a SELECT of one value answers (0 for none). */
long long sql_number(const char *select);

/* The rows of a one-column SELECT, joined by commas ("" for none). malloc'd. */
char *sql_list(const char *select);

/* sql() and sql_number() of a formatted statement (at most 4 KiB). */
char *sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
long long sql_numberf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A JSON value at a dotted path ("meta.total", "data.0.id"), or NULL. */
struct json_object *jpath(struct json_object *j, const char *path);
long long jint(struct json_object *j, const char *path);
const char *jstr(struct json_object *j, const char *path);

/* The keys of object j in order, joined by commas (static buffer). */
const char *jkeys(struct json_object *j);
/* The "id"s of the objects of array j, joined by commas (static buffer). */
const char *jids(struct json_object *j);

/* Compact JSON text of j (static buffer per call site: copy if kept). */
const char *jtext(struct json_object *j);

/* s percent-encoded for a query string (static buffer). */
const char *urlenc(const char *s);

/* The exact documented error body for a status. */
const char *error_body(long status);

/* Asserts r has status and, for errors, exactly the documented body. */
#define expect_error(r, st) do { \
	cr_expect_eq((r).status, (st), "status %ld, want %d; body %s", (r).status, (st), \
	    (r).body); \
	if ((st) != 422) \
		cr_expect_str_eq((r).body, error_body(st)); \
} while (0)

#endif
