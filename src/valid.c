/*
 * valid.c -- check input against a field table (see valid.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "valid.h"

const char *
valid_attr(const char *name, char *buf, size_t bufsz)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < bufsz; i++)
		buf[i] = name[i] == '_' ? ' ' : name[i];
	buf[i] = '\0';
	return buf;
}

static bool
in_list(const char *const *in, const char *s)
{
	for (; *in != NULL; in++)
		if (strcmp(*in, s) == 0)
			return true;
	return false;
}

/* Reads an integer the way Laravel's `integer` rule accepts one. */
static bool
read_int(struct json_object *v, int64_t *out)
{
	const char *s;

	switch (json_object_get_type(v)) {
	case json_type_int:
		*out = json_object_get_int64(v);
		return true;
	case json_type_string:
		s = json_object_get_string(v);
		return util_parse_int64(s, (size_t)json_object_get_string_len(v), out) == 0;
	default:
		return false;
	}
}

static enum api_err
check_int(struct req *r, const struct valid_field *f, const char *name,
    struct json_object *v, int64_t *out)
{
	char attr[128];

	valid_attr(name, attr, sizeof(attr));
	if (!read_int(v, out)) {
		http_validation_error(r, name, "The %s field must be an integer.", attr);
		return API_VALIDATION;
	}
	if ((f->flags & V_MIN) && *out < f->min) {
		http_validation_error(r, name, "The %s field must be at least %lld.", attr,
		    (long long)f->min);
		return API_VALIDATION;
	}
	if ((f->flags & V_MAX) && *out > f->max) {
		http_validation_error(r, name, "The %s field must not be greater than %lld.",
		    attr, (long long)f->max);
		return API_VALIDATION;
	}
	if (f->in != NULL) {
		char txt[24];
		snprintf(txt, sizeof(txt), "%lld", (long long)*out);
		if (!in_list(f->in, txt)) {
			http_validation_error(r, name, "The selected %s is invalid.", attr);
			return API_VALIDATION;
		}
	}
	return API_OK;
}

static enum api_err
check_str(struct req *r, const struct valid_field *f, const char *name,
    struct json_object *v, const char **s, size_t *len)
{
	char attr[128];
	size_t chars;

	valid_attr(name, attr, sizeof(attr));
	if (!json_object_is_type(v, json_type_string)) {
		http_validation_error(r, name, "The %s field must be a string.", attr);
		return API_VALIDATION;
	}
	*s = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	chars = util_utf8_len(*s, *len);
	if ((f->flags & V_MIN) && chars < (size_t)f->min) {
		http_validation_error(r, name, "The %s field must be at least %lld characters.",
		    attr, (long long)f->min);
		return API_VALIDATION;
	}
	if ((f->flags & V_MAX) && chars > (size_t)f->max) {
		http_validation_error(r, name,
		    "The %s field must not be greater than %lld characters.", attr,
		    (long long)f->max);
		return API_VALIDATION;
	}
	if (f->in != NULL && !in_list(f->in, *s)) {
		http_validation_error(r, name, "The selected %s is invalid.", attr);
		return API_VALIDATION;
	}
	return API_OK;
}

/* Collects the items of a JSON array, or the values of a PHP-style map. */
static size_t
list_items(struct json_object *v, struct json_object ***items, const char ***keys)
{
	size_t n = 0, i = 0;

	*items = NULL;
	*keys = NULL;
	if (json_object_is_type(v, json_type_array))
		n = json_object_array_length(v);
	else
		n = (size_t)json_object_object_length(v);
	if (n == 0)
		return 0;
	*items = calloc(n, sizeof(**items));
	*keys = calloc(n, sizeof(**keys));
	if (*items == NULL || *keys == NULL) {
		free(*items);
		free(*keys);
		*items = NULL;
		*keys = NULL;
		return (size_t)-1;
	}
	if (json_object_is_type(v, json_type_array)) {
		for (i = 0; i < n; i++) {
			(*items)[i] = json_object_array_get_idx(v, i);
			(*keys)[i] = NULL;	/* numbered by position */
		}
	} else {
		json_object_object_foreach(v, k, item) {
			(*items)[i] = item;
			(*keys)[i] = k;
			i++;
		}
	}
	return n;
}

static enum api_err
check_list(struct req *r, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	struct json_object **items = NULL;
	const char **keys = NULL;
	char attr[128], name[192], num[24];
	enum api_err e = API_OK, ie;
	size_t n;

	valid_attr(f->name, attr, sizeof(attr));
	if (!json_object_is_type(v, json_type_array) &&
	    !json_object_is_type(v, json_type_object)) {
		http_validation_error(r, f->name, "The %s field must be an array.", attr);
		return API_VALIDATION;
	}
	n = list_items(v, &items, &keys);
	if (n == (size_t)-1)
		return API_SERVER;
	if (f->max_items > 0 && n > f->max_items) {
		http_validation_error(r, f->name,
		    "The %s field must not have more than %zu items.", attr, f->max_items);
		e = API_VALIDATION;
		goto out;
	}
	if ((f->flags & V_REQUIRED) && n == 0) {
		http_validation_error(r, f->name, "The %s field is required.", attr);
		e = API_VALIDATION;
		goto out;
	}
	if (n > 0) {
		if (f->type == V_INT_LIST)
			out->ints = calloc(n, sizeof(*out->ints));
		else
			out->strs = calloc(n, sizeof(*out->strs));
		if (out->ints == NULL && out->strs == NULL) {
			e = API_SERVER;
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (keys[i] == NULL) {
			snprintf(num, sizeof(num), "%zu", i);
			snprintf(name, sizeof(name), "%s.%s", f->name, num);
		} else
			snprintf(name, sizeof(name), "%s.%s", f->name, keys[i]);
		if (items[i] == NULL) {
			char iattr[192];
			valid_attr(name, iattr, sizeof(iattr));
			http_validation_error(r, name, "The %s field must be %s.", iattr,
			    f->type == V_INT_LIST ? "an integer" : "a string");
			e = API_VALIDATION;
			continue;
		}
		if (f->type == V_INT_LIST)
			ie = check_int(r, f, name, items[i], &out->ints[i]);
		else {
			size_t len;
			ie = check_str(r, f, name, items[i], &out->strs[i], &len);
		}
		if (ie != API_OK)
			e = ie;
	}
	out->n = n;
out:
	free(items);
	free(keys);
	return e;
}

static enum api_err
check_sort(struct req *r, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	const char *s, *colon;
	size_t clen;

	if (!json_object_is_type(v, json_type_string))
		goto bad;
	s = json_object_get_string(v);
	colon = strchr(s, ':');
	if (colon == NULL || colon == s)
		goto bad;
	for (const char *c = s; c < colon; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '_' || *c == '.'))
			goto bad;
	if (strcmp(colon + 1, "asc") != 0 && strcmp(colon + 1, "desc") != 0)
		goto bad;
	clen = (size_t)(colon - s);
	for (const struct sort_col *c = f->sort; c != NULL && c->name != NULL; c++)
		if (strlen(c->name) == clen && strncmp(c->name, s, clen) == 0) {
			out->sort = c;
			out->desc = colon[4] != '\0';	/* "desc" is longer than "asc" */
			return API_OK;
		}
	http_validation_error(r, f->name, "The selected sort by is invalid.");
	return API_VALIDATION;
bad:
	http_validation_error(r, f->name, "The sort by field format is invalid.");
	return API_VALIDATION;
}

enum api_err
valid_field(struct req *r, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	char attr[128];
	int64_t iv;

	memset(out, 0, sizeof(*out));
	valid_attr(f->name, attr, sizeof(attr));
	if (v == NULL) {
		if (f->flags & V_REQUIRED) {
			http_validation_error(r, f->name, "The %s field is required.", attr);
			return API_VALIDATION;
		}
		return API_OK;
	}
	switch (f->type) {
	case V_INT:
		if (check_int(r, f, f->name, v, &out->i) != API_OK)
			return API_VALIDATION;
		break;
	case V_STR:
		if (check_str(r, f, f->name, v, &out->s, &out->len) != API_OK)
			return API_VALIDATION;
		break;
	case V_BOOL:
		if (json_object_is_type(v, json_type_boolean))
			out->b = json_object_get_boolean(v);
		else if ((json_object_is_type(v, json_type_int) ||
		    json_object_is_type(v, json_type_string)) && read_int(v, &iv) &&
		    (iv == 0 || iv == 1) &&
		    (!json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) == 1))
			out->b = iv == 1;
		else {
			http_validation_error(r, f->name, "The %s field must be true or false.",
			    attr);
			return API_VALIDATION;
		}
		break;
	case V_INT_LIST:
	case V_STR_LIST: {
		enum api_err e = check_list(r, f, v, out);
		if (e != API_OK) {
			free(out->ints);
			free(out->strs);
			out->ints = NULL;
			out->strs = NULL;
			return e;
		}
		break;
	}
	case V_SORT:
		if (check_sort(r, f, v, out) != API_OK)
			return API_VALIDATION;
		break;
	default:
		return API_SERVER;
	}
	out->present = true;
	return API_OK;
}

enum api_err
valid_run(struct req *r, const struct valid_field *fields, size_t n)
{
	struct json_object *v;
	enum api_err e, worst = API_OK;

	if (n == 0)
		return API_OK;
	if ((r->vals = calloc(n, sizeof(*r->vals))) == NULL)
		return API_SERVER;
	r->nvals = n;
	for (size_t i = 0; i < n; i++) {
		v = NULL;
		json_object_object_get_ex(r->input, fields[i].name, &v);
		e = valid_field(r, &fields[i], v, &r->vals[i]);
		if (e == API_SERVER)
			return e;
		if (e != API_OK)
			worst = e;
	}
	return worst;
}

void
valid_free(struct valid_value *vals, size_t n)
{
	if (vals == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(vals[i].ints);
		free(vals[i].strs);
	}
	free(vals);
}
