/*
 * query.h -- URL-encoded input: PHP-style query strings and form bodies.
 *
 * `a=1&b[]=2&b[]=3&c[x]=4` becomes {"a":"1","b":{"0":"2","1":"3"},"c":{"x":"4"}}
 * (bracketed containers are objects: PHP arrays are ordered maps):
 * values are strings, repeated scalar keys keep the last value, `[k]`
 * names a key, `[]` appends as PHP does: at one past the highest integer
 * key the container has had (`s[5]=a&s[]=b` gives keys 5 and 6), 0 when
 * it has had none. Percent-escapes and `+` are decoded; invalid
 * UTF-8 and NUL bytes become U+FFFD so that every string downstream is
 * valid UTF-8 without NULs.
 */
#ifndef METAPIC_QUERY_H
#define METAPIC_QUERY_H

#include <stddef.h>

#include <json-c/json.h>

#include "util.h"

/* The deepest `a[b][c]...` nesting kept; deeper parameters are dropped. */
#define QUERY_MAX_DEPTH 8

/*
 * Parses qs[0..len) into a new JSON object at *out (the caller owns it).
 * Returns 0; -1 when there are more than max_params parameters (nothing is
 * returned then); -2 when out of memory.
 */
int query_parse(const char *qs, size_t len, int max_params, struct json_object **out);

/*
 * Percent-decodes s[0..n) into b (`+` as space when plus is set),
 * sanitising UTF-8 as above. Returns 0, or -1 when out of memory.
 */
int query_decode(struct buf *b, const char *s, size_t n, int plus);

/* Appends s percent-encoded as PHP's rawurlencode() does. */
int query_encode(struct buf *b, const char *s, size_t n);

/*
 * Appends obj as PHP's http_build_query(..., PHP_QUERY_RFC3986) would,
 * skipping null values and the key named skip (may be NULL). Arrays are
 * written key%5B0%5D=v. Returns the number of pairs written, -1 on OOM.
 */
int query_build(struct buf *b, struct json_object *obj, const char *skip);

#endif
