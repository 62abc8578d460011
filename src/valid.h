/*
 * valid.h -- input validated from a table before a handler runs.
 *
 * Each route names an array of struct valid_field. valid_run() checks the
 * merged input against it and fills one struct valid_value per field, so
 * that a handler reads typed, checked values and never parses a string.
 * Messages are Laravel 10's English ones; the first failing rule of a
 * field is reported (as with Laravel's `bail`).
 */
#ifndef METAPIC_VALID_H
#define METAPIC_VALID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"

enum valid_type {
	V_INT,		/* integer (JSON number or decimal string) */
	V_STR,		/* string; min/max count characters */
	V_BOOL,		/* true, false, 0, 1, "0", "1" */
	V_INT_LIST,	/* array of integers; min/max bound each item */
	V_STR_LIST,	/* array of strings; max bounds each item's length */
	V_SORT,		/* "column:asc|desc", column from the sort table */
	V_TYPE__MAX
};

/* Flags of a field. */
#define V_REQUIRED 0x1u	/* present and not empty */
#define V_MIN 0x2u	/* min applies */
#define V_MAX 0x4u	/* max applies */

/* One sortable column: its API name and the SQL expression it orders by. */
struct sort_col {
	const char *name;
	const char *sql;
};

struct valid_field {
	const char *name;
	enum valid_type type;
	unsigned flags;
	int64_t min;
	int64_t max;
	size_t max_items;		/* lists: 0 = no limit */
	const char *const *in;		/* allowed values, NULL-terminated, or NULL */
	const struct sort_col *sort;	/* V_SORT: columns, ended by {NULL} */
};

struct valid_value {
	bool present;		/* given and not null */
	int64_t i;		/* V_INT */
	bool b;			/* V_BOOL */
	const char *s;		/* V_STR: borrowed from the request's input */
	size_t len;
	int64_t *ints;		/* V_INT_LIST: owned */
	const char **strs;	/* V_STR_LIST: owned array of borrowed strings */
	size_t n;		/* list length */
	const struct sort_col *sort;	/* V_SORT: the column chosen */
	bool desc;
};

/* Common fields of a paginated list. */
#define VALID_SIZE(max) { "size", V_INT, V_MIN | V_MAX, 1, (max), 0, NULL, NULL }
#define VALID_PAGE { "page", V_INT, V_MIN | V_MAX, 1, 1000000000, 0, NULL, NULL }
#define VALID_SORT(cols) { "sort_by", V_SORT, 0, 0, 0, 0, NULL, (cols) }

/*
 * Validates r->input against fields[0..n) and stores the values in r->vals
 * (r->nvals = n). Returns API_OK, API_VALIDATION with r->verrors filled,
 * or API_SERVER when out of memory.
 */
enum api_err valid_run(struct req *r, const struct valid_field *fields, size_t n);

/* Validates one JSON value as field f; for unit tests and valid_run. */
enum api_err valid_field(struct req *r, const struct valid_field *f,
    struct json_object *v, struct valid_value *out);

/* Frees what vals[0..n) own, and vals. NULL is fine. */
void valid_free(struct valid_value *vals, size_t n);

/* Laravel's attribute name: "sort_by" -> "sort by". Writes into buf. */
const char *valid_attr(const char *name, char *buf, size_t bufsz);

#endif
