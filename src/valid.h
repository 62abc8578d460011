/*
 * valid.h -- input validated from a table before a handler runs.
 *
 * Each route names an array of struct valid_field. valid_run() checks the
 * merged input against it and fills one struct valid_value per field, so
 * that a handler reads typed, checked values and never parses a string.
 * Messages are Laravel 10's English ones, the attribute written with `_`
 * as a space ("traffic sources costs.1.cpc"); the first failing rule of a
 * field is reported (as with Laravel's `bail`).
 *
 * Types are an open table, as kcgi's kvalid: a field points at a
 * struct valid_type, a name and a check function. A new type is one
 * function and one exported row in valid.c; types build on each other
 * (email is a string and a format, money an integer with a floor of 0).
 *
 * The input reaching the validator has been through Laravel's TrimStrings
 * and ConvertEmptyStringsToNull (http.c): strings are trimmed, and a
 * string that was empty or white space is JSON null.
 */
#ifndef METAPIC_VALID_H
#define METAPIC_VALID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"

struct valid_field;
struct valid_value;

/* Where a check stands: the request (r->verrors) and the field's key. */
struct valid_ctx {
	struct req *r;
	const char *key;	/* error key: "traffic_sources_costs.1.cpc" */
	const char *attr;	/* as shown: "traffic sources costs.1.cpc" */
};

/*
 * A type. check() is called only for a value that was given and is not
 * JSON null (v != NULL), with out zeroed. It returns API_OK with out
 * filled; or API_VALIDATION after recording one message under c->key
 * (valid_fail); or API_SERVER when out of memory or the field's table is
 * wrong. What it leaves in out's owned members is freed by valid_free(),
 * on failure too.
 */
struct valid_type {
	const char *name;
	enum api_err (*check)(const struct valid_ctx *c, const struct valid_field *f,
	    struct json_object *v, struct valid_value *out);
};

/*
 * The types. Unless said otherwise a value of the wrong JSON type gets the
 * type's first message, V_MIN/V_MAX bound the value (numbers) or its
 * length in characters (strings: "must be at least 3 characters." / "must
 * not be greater than 255 characters."), and `in` restricts it to a list,
 * compared with lengths ("The selected x is invalid.").
 */

/* A JSON integer, or a string of a decimal integer ("-12"; no '+', no
 * spaces, no "1.0"), within +-(2^63 - 1): out->i. "The x field must be an
 * integer.", "must be at least N.", "must not be greater than N."; `in`
 * holds the allowed values as decimal text. */
extern const struct valid_type valid_int;

/* A JSON string: out->s and out->len, borrowed from the input (it may hold
 * NUL bytes: bind it with its length). "The x field must be a string." */
extern const struct valid_type valid_string;

/* true, false, 0, 1, "0", "1": out->b. "The x field must be true or
 * false." */
extern const struct valid_type valid_bool;

/* A JSON array (or a PHP-style map from the query string) of integers:
 * out->ints[0..n), owned. Items checked as valid_int with the field's
 * min/max/in, errors keyed "x.0"; a null item "must be an integer." The
 * list: "The x field must be an array.", "must not have more than N
 * items." (max_items), "must have at least N items." (min_items); with
 * V_REQUIRED an empty list is "The x field is required." */
extern const struct valid_type valid_int_list;

/* As valid_int_list, of strings checked as valid_string: out->strs[i] and
 * out->lens[i], both arrays owned, the strings borrowed. With `in` this is
 * an enum set ("The selected statuses.1 is invalid."). */
extern const struct valid_type valid_str_list;

/* "column:asc|desc" with the column from f->sort: out->sort, out->desc.
 * "The sort by field format is invalid." for another shape, "The selected
 * sort by is invalid." for an unknown column. */
extern const struct valid_type valid_sort;

/* A calendar date "Y-m-d" (0001-01-01 to 9999-12-31, a real day): out->s
 * (borrowed, 10 bytes). A date or date-time of another shape it can read
 * ("2024-1-5", "2024-01-05 10:00") is "The x field must match the format
 * Y-m-d."; anything else, or a day that does not exist (2023-02-29), "The
 * x field must be a valid date." */
extern const struct valid_type valid_date;

/* A month "Y-m" (month 01-12): out->s borrowed. Any failure: "The x field
 * must match the format Y-m." (Laravel's date_format:Y-m). */
extern const struct valid_type valid_month;

/* A date-time "Y-m-d H:i:s", or "Y-m-d\TH:i:s" with an optional "Z" (taken
 * as the same wall-clock text, UTC by our convention): out->s is the
 * normalised "Y-m-d H:i:s" (owned copy, 19 bytes). Other shapes it can
 * read, such as a bare date or a time without seconds, "must match the
 * format Y-m-d H:i:s."; the rest, or a day or time that does not exist,
 * "must be a valid date." */
extern const struct valid_type valid_datetime;

/* A date "Y-m-d" or a date-time as valid_datetime reads it (Laravel's
 * `date` rule): out->s the normalised "Y-m-d H:i:s" (owned; a date at
 * midnight), out->b true when it was a bare date, so that a handler may
 * read an end date as the whole day. Anything else "The x field must be a
 * valid date." */
extern const struct valid_type valid_when;

/* Money in minor units (1 = 0.01): a JSON integer or a decimal-integer
 * string, never read through a double: out->i. As valid_int, with a floor
 * of 0 unless the field sets V_MIN. */
extern const struct valid_type valid_money;

/* An exact decimal from a JSON number's own text (json-c keeps it for the
 * numbers it parses) or a numeric string: "0.25", "-3", "1.50", "25e-2".
 * out->s is the normalised text (owned: no '+', no exponent, no leading or
 * trailing zeros, "0" for zero), ready to bind to a DECIMAL column. At most
 * f->scale digits after the point (trailing zeros do not count); f->dmin
 * and f->dmax (decimal text, NULL for none) bound it, compared exactly. No
 * binary floating point anywhere. "The x field must be a number.", "must
 * have 0-N decimal places.", "must be at least MIN.", "must not be greater
 * than MAX." */
extern const struct valid_type valid_decimal;

/* An e-mail address: a string (its min/max apply) of a dot-atom local part
 * (at most 64 bytes) '@' a domain of host-name labels (UTF-8 allowed), 254
 * bytes at most. out->s borrowed. "The x field must be a valid email
 * address." No quoted local parts, no IP literals. */
extern const struct valid_type valid_email;

/* An absolute http or https URL of at most 2048 characters (or the
 * field's lower max): a host name, IPv4 or [IPv6] host, an optional port
 * 1-65535, then no white space or control characters. No user info ("@"
 * before the host). out->s borrowed. "The x field must be a valid URL."
 * (over the length: "must not be greater than 2048 characters."). */
extern const struct valid_type valid_url;

/* A host name (RFC 1123): labels of letters, digits and '-' (not first or
 * last), 1-63 each, 253 in all, the last one not all digits, no trailing
 * dot. out->s is a lower-cased copy (owned). "The x field format is
 * invalid." */
extern const struct valid_type valid_host;

/* An ISO 3166-1 alpha-2 country code, upper case ("SE"): out->s borrowed.
 * Non-strings "must be a string."; unknown codes "The selected x is
 * invalid." The tables are those of Debian 12's iso-codes 4.15. */
extern const struct valid_type valid_country;

/* An ISO 4217 currency code, upper case ("SEK"); as valid_country. */
extern const struct valid_type valid_currency;

/* An ISO 639-1 language code, lower case ("sv"); as valid_country. */
extern const struct valid_type valid_language;

/* A string that is one of f->in (required: a NULL-terminated list),
 * compared with lengths, so "x\u0000y" is not "x": out->s borrowed,
 * out->i its index in f->in. "The x field must be a string.", "The
 * selected x is invalid." */
extern const struct valid_type valid_enum;

/* A JSON object checked by the nested table f->fields[0..f->nfields):
 * out->rows holds nfields values (out->n = 1, out->nfields), keys
 * "billing.company_name". "The x field must be an array." */
extern const struct valid_type valid_object;

/* A JSON array of objects (or a PHP-style map of them), each checked by
 * f->fields: out->n rows of out->nfields values in out->rows (valid_row()),
 * errors keyed "traffic_sources_costs.1.cpc". "The x field must be an
 * array." for the list or an item that is not an object ("x.1"); min_items
 * and max_items as valid_int_list; V_REQUIRED refuses an empty list. */
extern const struct valid_type valid_objects;

/*
 * Flags of a field. Without V_NULLABLE, null on a V_REQUIRED field is "The
 * x field is required." and null on an optional one is taken as absent.
 * With V_NULLABLE, null is a value of its own (V_NULL: PATCH clears the
 * column); V_REQUIRED | V_NULLABLE means the key must be given ("The x
 * field must be present.") but may be null.
 */
#define V_REQUIRED 0x1u	/* given and not null (not an empty list) */
#define V_MIN 0x2u	/* min applies */
#define V_MAX 0x4u	/* max applies */
#define V_NULLABLE 0x8u	/* null is accepted and kept as V_NULL */

/* One sortable column: its API name and the SQL expression it orders by. */
struct sort_col {
	const char *name;
	const char *sql;
};

/*
 * One input field. Write tables with designated initialisers; members
 * left out are 0/NULL (no bound, no rule). The first eight members keep
 * their historic order.
 */
struct valid_field {
	const char *name;
	const struct valid_type *type;
	unsigned flags;			/* V_REQUIRED | V_NULLABLE | V_MIN | V_MAX */
	int64_t min;			/* V_MIN: least value, or characters */
	int64_t max;			/* V_MAX: greatest value, or characters */
	size_t max_items;		/* lists: 0 = no limit */
	const char *const *in;		/* allowed values, NULL-terminated, or NULL */
	const struct sort_col *sort;	/* valid_sort: columns, ended by {NULL} */

	size_t min_items;		/* lists: 0 = no limit */
	const struct valid_field *fields;	/* valid_object(s): nested table */
	size_t nfields;
	unsigned scale;			/* valid_decimal: most digits after the point */
	const char *dmin;		/* valid_decimal: bounds as decimal text */
	const char *dmax;
	/*
	 * `exists`: a key of the allow-list in valid.c ("users", "user_tags",
	 * "user_tags_for_store", "stores", "store_groups", "store_categories",
	 * "clients"). For valid_int and valid_int_list, once the value passed
	 * every other check, one query finds the ids; each missing one is "The
	 * selected x is invalid." (lists: "x.0").
	 */
	const char *exists;
	/* Cross-field rules: the other field is a sibling in the same table
	 * (same object), named by its key. */
	const char *required_without;	/* "The x field is required when y is
					   not present." when both are empty */
	const char *after;		/* "The x field must be a date after y." */
	const char *after_or_equal;	/* "... a date after or equal to y." */
};

/* What a field holds: absent, given as null (V_NULLABLE only), a value. */
enum valid_state { V_ABSENT, V_NULL, V_VALUE };

struct valid_value {
	bool present;		/* state == V_VALUE: given and not null */
	enum valid_state state;
	int64_t i;		/* int, money; enum: index in f->in */
	bool b;			/* bool */
	const char *s;		/* string types: borrowed from the input or own */
	size_t len;
	char *own;		/* owned text s points into (datetime, decimal, host) */
	int64_t *ints;		/* int list: owned */
	const char **strs;	/* string list: owned array of borrowed strings */
	size_t *lens;		/* string list: owned, their lengths */
	size_t n;		/* list length, rows of objects (1 for an object) */
	const struct sort_col *sort;	/* sort: the column chosen */
	bool desc;
	struct valid_value *rows;	/* objects: n * nfields values, owned */
	size_t nfields;
};

/* The number of rows of a fixed array, for .nfields and handlers. */
#define VALID_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A nested table for valid_object / valid_objects. */
#define VALID_NESTED(tbl) .fields = (tbl), .nfields = VALID_COUNT(tbl)

/* Common fields of a paginated list. */
#define VALID_SIZE(hi) \
	{ .name = "size", .type = &valid_int, .flags = V_MIN | V_MAX, .min = 1, .max = (hi) }
#define VALID_PAGE \
	{ .name = "page", .type = &valid_int, .flags = V_MIN | V_MAX, .min = 1, \
	  .max = 1000000000 }
#define VALID_SORT(cols) { .name = "sort_by", .type = &valid_sort, .sort = (cols) }

/*
 * Validates r->input against fields[0..n) and stores the values in r->vals
 * (r->nvals = n), then the cross-field rules and `exists`, field by field
 * in table order. Returns API_OK, API_VALIDATION with r->verrors filled,
 * a database error's API error (db_api_err) from `exists`, or API_SERVER
 * when out of memory. r->vals is freed by http_req_free() either way.
 */
enum api_err valid_run(struct req *r, const struct valid_field *fields, size_t n);

/*
 * Validates field f of the JSON object in (its key f->name: absent when
 * in has no such key or in is NULL; JSON null when it maps to null), with
 * its cross-field rules against in's other keys and its `exists`. Fills
 * *out (zeroed first); returns as valid_run. The caller frees what out
 * owns with valid_value_free(), whatever the result.
 */
enum api_err valid_field(struct req *r, const struct valid_field *f,
    struct json_object *in, struct valid_value *out);

/* Frees what vals[0..n) own, nested rows included, and vals. NULL is fine. */
void valid_free(struct valid_value *vals, size_t n);

/* Frees what one value owns and zeroes it; the value itself is not freed. */
void valid_value_free(struct valid_value *v);

/* Row i (0-based) of a valid_objects value: nfields values, or NULL past
 * the end. For a valid_object value, row 0. Borrowed from v. */
const struct valid_value *valid_row(const struct valid_value *v, size_t i);

/*
 * Records "fmt ..." under c->key in r->verrors and returns API_VALIDATION,
 * or API_SERVER when the message could not be stored (out of memory). For
 * check functions; pass c->attr where the message shows the attribute.
 */
enum api_err valid_fail(const struct valid_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Whether the string list value v (NULL or absent: none) holds s. */
bool valid_list_has(const struct valid_value *v, const char *s);

/* Laravel's attribute name: "sort_by" -> "sort by". Writes into buf. */
const char *valid_attr(const char *name, char *buf, size_t bufsz);

#endif
