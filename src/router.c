/*
 * router.c -- match a path against the route table.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"
#include "util.h"

const char *const access_names[ACC__MAX] = { "public", "user", "store", "admin" };

/*
 * Matches path against pattern segment by segment; `{x}` matches one
 * non-empty segment. On a match with params != NULL, copies them.
 */
static bool
match(const char *pattern, const char *path, char *params[HTTP_MAX_PATH_PARAMS])
{
	const char *p = pattern, *s = path, *pe, *se;
	int np = 0;
	char *tmp[HTTP_MAX_PATH_PARAMS] = { 0 };

	for (;;) {
		if (*p != '/' || *s != '/')
			break;
		p++;
		s++;
		pe = p + strcspn(p, "/");
		se = s + strcspn(s, "/");
		if (*p == '{') {
			if (se == s || np == HTTP_MAX_PATH_PARAMS)
				goto fail;
			if (params != NULL && (tmp[np] = strndup(s, (size_t)(se - s))) == NULL)
				goto fail;
			np++;
		} else if (pe - p != se - s || strncmp(p, s, (size_t)(pe - p)) != 0)
			goto fail;
		p = pe;
		s = se;
		if (*p == '\0' && *s == '\0') {
			for (int i = 0; params != NULL && i < np; i++)
				params[i] = tmp[i];
			return true;
		}
	}
fail:
	for (int i = 0; i < np; i++)
		free(tmp[i]);
	return false;
}

enum api_err
route_match(const char *path, enum http_method m, const struct route **out,
    char *params[HTTP_MAX_PATH_PARAMS], unsigned *allowed)
{
	enum http_method want = m == HTTP_HEAD ? HTTP_GET : m;

	*out = NULL;
	*allowed = 0;
	for (size_t i = 0; i < nroutes; i++) {
		if (!match(routes[i].pattern, path, NULL))
			continue;
		*allowed |= routes[i].methods;
		if (*out == NULL && (routes[i].methods & ROUTE_METHOD(want)) && m != HTTP_OPTIONS) {
			if (!match(routes[i].pattern, path, params))
				return API_SERVER;
			*out = &routes[i];
		}
	}
	if (*out != NULL)
		return API_OK;
	if (*allowed == 0)
		return API_NOT_FOUND;
	if (*allowed & ROUTE_METHOD(HTTP_GET))
		*allowed |= ROUTE_METHOD(HTTP_HEAD);
	return API_METHOD;
}

const char *
route_allow(unsigned methods, char *buf, size_t bufsz)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < HTTP_OTHER; i++) {
		if (!(methods & ROUTE_METHOD(i)))
			continue;
		n += (size_t)snprintf(buf + n, bufsz - n, "%s%s", n ? ", " : "",
		    http_method_names[i]);
		if (n >= bufsz)
			break;
	}
	return buf;
}

enum api_err
route_id(const struct req *r, int i, int64_t *id)
{
	const char *s;

	if (i < 0 || i >= HTTP_MAX_PATH_PARAMS || (s = r->path_params[i]) == NULL)
		return API_NOT_FOUND;
	if (util_parse_int64(s, strlen(s), id) == -1 || *id <= 0 || s[0] == '0')
		return API_NOT_FOUND;
	return API_OK;
}
