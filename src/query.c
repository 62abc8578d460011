/*
 * query.c -- PHP-compatible query string parsing and building.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "util.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
query_decode(struct buf *b, const char *s, size_t n, int plus)
{
	struct buf raw = { 0 };
	int hi, lo, rc;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
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
 * The keyed container under parent[key] (key NULL: the next integer key,
 * as PHP's `[]`), created or replacing a scalar. Borrowed; NULL on OOM.
 */
static struct json_object *
descend(struct json_object *parent, const char *key)
{
	struct json_object *child;
	char idx[24];

	if (key == NULL) {
		snprintf(idx, sizeof(idx), "%d", json_object_object_length(parent));
		key = idx;
	}
	if (json_object_object_get_ex(parent, key, &child) &&
	    json_object_is_type(child, json_type_object))
		return child;
	if ((child = json_object_new_object()) == NULL)
		return NULL;
	if (json_object_object_add(parent, key, child) != 0) {
		json_object_put(child);
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
	const char *p, *end = name + nlen, *close;
	struct json_object *cur, *v;
	char idx[24];

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
		cur = descend(cur, i == 0 ? base.p : (subs[i - 1][0] ? subs[i - 1] : NULL));
	if (cur == NULL || (v = json_object_new_string_len(val, (int)vlen)) == NULL)
		goto out;
	if (nsubs == 0)
		json_object_object_add(cur, base.p, v);
	else if (subs[nsubs - 1][0] != '\0')
		json_object_object_add(cur, subs[nsubs - 1], v);
	else {
		snprintf(idx, sizeof(idx), "%d", json_object_object_length(cur));
		json_object_object_add(cur, idx, v);
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
