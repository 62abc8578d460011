/*
 * query.c -- PHP-compatible query string parsing and building.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "util.h"

int
query_decode(struct buf *b, const char *s, size_t n, int plus)
{
	struct buf raw = { 0 };
	int hi, lo, rc;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = util_hexval(s[i + 1])) >= 0 && (lo = util_hexval(s[i + 2])) >= 0) {
			buf_addc(&raw, (char)(hi << 4 | lo));
			i += 2;
		} else if (plus && s[i] == '+')
			buf_addc(&raw, ' ');
		else
			buf_addc(&raw, s[i]);
	}
	if (raw.oom) {
		buf_free(&raw);
		return -1;
	}
	rc = util_utf8_sanitize(b, raw.p ? raw.p : "", raw.len);
	buf_free(&raw);
	return rc;
}

int
query_encode(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (size_t i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
		    c == '~')
			buf_addc(b, (char)c);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
	return b->oom ? -1 : 0;
}

/*
 * PHP arrays append (`[]`) at nNextFreeElement: one past the highest
 * integer key the array ever had (0 when it had none), not at its element
 * count. A container made by the parser keeps that number in its json-c
 * userdata (a malloc'd int64_t) until query_parse() returns.
 */

/* PHP's integer keys: "0", or digits without a leading 0, with an optional '-'. */
static bool
php_int_key(const char *k, int64_t *out)
{
	const char *d = k[0] == '-' ? k + 1 : k;

	if (d[0] < '0' || d[0] > '9' || (d[0] == '0' && (d[1] != '\0' || d != k)))
		return false;
	return util_parse_int64(k, strlen(k), out) == 0;
}

/* The container's next free integer key, INT64_MIN while it has none. */
static int64_t *
next_free(struct json_object *o)
{
	int64_t *n = json_object_get_userdata(o);

	if (n == NULL && (n = malloc(sizeof(*n))) != NULL) {
		*n = INT64_MIN;
		json_object_set_userdata(o, n, json_object_free_userdata);
	}
	return n;
}

/*
 * The key under which o stores its next value: key, or for key NULL (`[]`)
 * the next free integer key, written into idx. Counts integer keys as PHP
 * does. Returns the key; NULL when o is full (PHP drops the value) or out
 * of memory (*oom set).
 */
static const char *
key_in(struct json_object *o, const char *key, char idx[24], bool *oom)
{
	int64_t *next, h;

	if ((next = next_free(o)) == NULL) {
		*oom = true;
		return NULL;
	}
	if (key == NULL) {
		h = *next == INT64_MIN ? 0 : *next;
		snprintf(idx, 24, "%lld", (long long)h);
		if (h == INT64_MAX && json_object_object_get_ex(o, idx, NULL))
			return NULL;
		key = idx;
	} else if (!php_int_key(key, &h))
		return key;
	if (h >= *next)
		*next = h < INT64_MAX ? h + 1 : INT64_MAX;
	return key;
}

/* Drops the parser's bookkeeping from every container under o. */
static void
forget_next_free(struct json_object *o)
{
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_set_userdata(o, NULL, NULL);
	json_object_object_foreach(o, k, v) {
		(void)k;
		forget_next_free(v);
	}
}

/*
 * The keyed container under parent[key] (key NULL: the next integer key,
 * as PHP's `[]`), created or replacing a scalar. Borrowed. NULL when the
 * value is to be dropped, or when out of memory (*oom set).
 */
static struct json_object *
descend(struct json_object *parent, const char *key, bool *oom)
{
	struct json_object *child;
	char idx[24];

	if ((key = key_in(parent, key, idx, oom)) == NULL)
		return NULL;
	if (json_object_object_get_ex(parent, key, &child) &&
	    json_object_is_type(child, json_type_object))
		return child;
	if ((child = json_object_new_object()) == NULL ||
	    json_object_object_add(parent, key, child) != 0) {
		json_object_put(child);
		*oom = true;
		return NULL;
	}
	return child;
}

/* Stores val under the path base[sub0][sub1]... of root. 0, or -2 on OOM. */
static int
store(struct json_object *root, const char *name, size_t nlen,
    const char *val, size_t vlen)
{
	char *subs[QUERY_MAX_DEPTH];
	int nsubs = 0, rc = -2;
	struct buf base = { 0 };
	const char *p, *end = name + nlen, *close, *key;
	struct json_object *cur, *v;
	char idx[24];
	bool oom = false;

	/* PHP drops leading spaces of the name. */
	while (name < end && *name == ' ')
		name++;
	p = memchr(name, '[', (size_t)(end - name));
	if (p == name)
		return 0;	/* no base name: PHP ignores the pair */
	if (p != NULL && memchr(p, ']', (size_t)(end - p)) == NULL)
		p = NULL;	/* unmatched '[': the whole name is literal */
	for (const char *c = name; c < (p ? p : end); c++)
		buf_addc(&base, (*c == '.' || *c == ' ' || *c == '[') ? '_' : *c);
	if (base.oom)
		return -2;
	if (base.len == 0)
		return 0;	/* a name of spaces only: PHP ignores the pair */
	while (p != NULL && p < end && *p == '[') {
		if ((close = memchr(p, ']', (size_t)(end - p))) == NULL)
			break;	/* PHP ignores what follows an unclosed '[' */
		if (nsubs == QUERY_MAX_DEPTH) {
			rc = 0;	/* too deep: dropped, as PHP drops past its limit */
			goto out;
		}
		if ((subs[nsubs] = strndup(p + 1, (size_t)(close - p - 1))) == NULL)
			goto out;
		nsubs++;
		p = close + 1;
	}

	cur = root;
	for (int i = 0; i < nsubs && cur != NULL; i++)
		cur = descend(cur, i == 0 ? base.p : (subs[i - 1][0] ? subs[i - 1] : NULL),
		    &oom);
	if (cur == NULL) {
		rc = oom ? -2 : 0;
		goto out;
	}
	if (nsubs == 0)
		key = base.p;
	else if ((key = key_in(cur, subs[nsubs - 1][0] ? subs[nsubs - 1] : NULL, idx,
	    &oom)) == NULL) {
		rc = oom ? -2 : 0;	/* a full array drops the value, as PHP's does */
		goto out;
	}
	if ((v = json_object_new_string_len(val, (int)vlen)) == NULL ||
	    json_object_object_add(cur, key, v) != 0) {
		json_object_put(v);
		goto out;
	}
	rc = 0;
out:
	for (int i = 0; i < nsubs; i++)
		free(subs[i]);
	buf_free(&base);
	return rc;
}

int
query_parse(const char *qs, size_t len, int max_params, struct json_object **out)
{
	struct json_object *root;
	struct buf name = { 0 }, val = { 0 };
	const char *p = qs, *end = qs + len, *amp, *eq;
	int count = 0, rc = 0;

	*out = NULL;
	if ((root = json_object_new_object()) == NULL)
		return -2;
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (++count > max_params) {
			rc = -1;
			break;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		name.len = val.len = 0;
		if (query_decode(&name, p, (size_t)((eq ? eq : amp) - p), 1) == -1 ||
		    (eq && query_decode(&val, eq + 1, (size_t)(amp - eq - 1), 1) == -1)) {
			rc = -2;
			break;
		}
		if (name.len > 0 &&
		    (rc = store(root, name.p, name.len, val.p ? val.p : "", val.len)) != 0)
			break;
		p = amp + 1;
	}
	buf_free(&name);
	buf_free(&val);
	forget_next_free(root);
	if (rc != 0) {
		json_object_put(root);
		return rc;
	}
	*out = root;
	return 0;
}

static int
build_value(struct buf *b, struct buf *key, struct json_object *v, int *count)
{
	size_t klen = key->len;
	char idx[24];
	const char *s;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			snprintf(idx, sizeof(idx), "%zu", i);
			buf_adds(key, "%5B");
			buf_adds(key, idx);
			buf_adds(key, "%5D");
			if (build_value(b, key, json_object_array_get_idx(v, i), count) == -1)
				return -1;
			key->len = klen;
		}
		return 0;
	case json_type_object: {
		json_object_object_foreach(v, k, child) {
			buf_adds(key, "%5B");
			query_encode(key, k, strlen(k));
			buf_adds(key, "%5D");
			if (build_value(b, key, child, count) == -1)
				return -1;
			key->len = klen;
		}
		return 0;
	}
	case json_type_boolean:
		s = json_object_get_boolean(v) ? "1" : "0";
		break;
	default:
		s = json_object_get_string(v);
		break;
	}
	if (*count > 0)
		buf_addc(b, '&');
	buf_add(b, key->p, key->len);
	buf_addc(b, '=');
	query_encode(b, s, strlen(s));
	(*count)++;
	return b->oom || key->oom ? -1 : 0;
}

int
query_build(struct buf *b, struct json_object *obj, const char *skip)
{
	struct buf key = { 0 };
	int count = 0;

	if (obj == NULL)
		return 0;
	json_object_object_foreach(obj, k, v) {
		if (skip != NULL && strcmp(k, skip) == 0)
			continue;
		key.len = 0;
		query_encode(&key, k, strlen(k));
		if (build_value(b, &key, v, &count) == -1) {
			buf_free(&key);
			return -1;
		}
	}
	buf_free(&key);
	return count;
}
