/*
 * valid.c -- check input against a field table (see valid.h).
 *
 * Sections: messages; the types, each a check function and an exported
 * row (scalars, lists, dates, numbers, formats, codes, objects); `exists`;
 * the cross-field rules; running a table.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "log.h"
#include "util.h"
#include "valid.h"

#define KEY_MAX 256	/* longest error key kept; longer ones are cut */
#define DEC_MAX_TEXT 256	/* longest decimal text read */
#define DEC_MAX_EXP 999	/* largest exponent magnitude read */
#define URL_MAX 2048

static enum api_err run_table(struct req *r, const char *prefix,
    const struct valid_field *fields, size_t n, struct json_object *in,
    struct valid_value *vals);

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

const char *
valid_attr(const char *name, char *buf, size_t bufsz)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < bufsz; i++)
		buf[i] = name[i] == '_' ? ' ' : name[i];
	buf[i] = '\0';
	return buf;
}

enum api_err
valid_fail(const struct valid_ctx *c, const char *fmt, ...)
{
	struct json_object *list;
	char msg[512];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	http_validation_error(c->r, c->key, "%s", msg);
	/* http_validation_error() drops the message when out of memory. */
	if (c->r->verrors == NULL || !json_object_object_get_ex(c->r->verrors, c->key, &list) ||
	    (n = json_object_array_length(list)) == 0 ||
	    json_object_array_get_idx(list, n - 1) == NULL)
		return API_SERVER;
	return API_VALIDATION;
}

/* Index of s[0..len) in the NULL-terminated list, by length too, or -1. */
static int
in_index(const char *const *in, const char *s, size_t len)
{
	for (int i = 0; in[i] != NULL; i++)
		if (strlen(in[i]) == len && memcmp(in[i], s, len) == 0)
			return i;
	return -1;
}

/* key = prefix.name (or name), cut to fit (keys come from field tables). */
static void
make_key(char *key, size_t keysz, const char *prefix, const char *name)
{
	struct buf b = { 0 };

	if (prefix != NULL) {
		buf_adds(&b, prefix);
		buf_addc(&b, '.');
	}
	buf_adds(&b, name);
	if (keysz == 0)
		return;
	if (b.oom || b.p == NULL) {
		key[0] = '\0';
	} else {
		size_t n = b.len < keysz - 1 ? b.len : keysz - 1;
		memcpy(key, b.p, n);
		key[n] = '\0';
	}
	buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Scalars: integer, string, boolean, enum                             */
/* ------------------------------------------------------------------ */

/*
 * Reads an integer the way Laravel's `integer` rule accepts one. json-c
 * saturates a JSON integer that does not fit 64 bits (PHP would read a
 * float): the two saturated values are refused, so the range is
 * +-(2^63 - 1), from strings as well.
 */
static bool
read_int(struct json_object *v, int64_t *out)
{
	switch (json_object_get_type(v)) {
	case json_type_int:
		*out = json_object_get_int64(v);
		if (*out == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX)
			return false;
		return *out != INT64_MIN;
	case json_type_string:
		if (util_parse_int64(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), out) == -1)
			return false;
		return *out != INT64_MIN;
	default:
		return false;
	}
}

static enum api_err
check_int(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	char txt[24];

	if (!read_int(v, &out->i))
		return valid_fail(c, "The %s field must be an integer.", c->attr);
	if ((f->flags & V_MIN) && out->i < f->min)
		return valid_fail(c, "The %s field must be at least %lld.", c->attr,
		    (long long)f->min);
	if ((f->flags & V_MAX) && out->i > f->max)
		return valid_fail(c, "The %s field must not be greater than %lld.", c->attr,
		    (long long)f->max);
	if (f->in != NULL) {
		snprintf(txt, sizeof(txt), "%lld", (long long)out->i);
		if (in_index(f->in, txt, strlen(txt)) == -1)
			return valid_fail(c, "The selected %s is invalid.", c->attr);
	}
	return API_OK;
}

const struct valid_type valid_int = { "integer", check_int };

static enum api_err
check_string(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	size_t chars;
	int i;

	if (!json_object_is_type(v, json_type_string))
		return valid_fail(c, "The %s field must be a string.", c->attr);
	out->s = json_object_get_string(v);
	out->len = (size_t)json_object_get_string_len(v);
	chars = util_utf8_len(out->s, out->len);
	if ((f->flags & V_MIN) && (f->min > 0 && chars < (uint64_t)f->min))
		return valid_fail(c, "The %s field must be at least %lld characters.", c->attr,
		    (long long)f->min);
	if ((f->flags & V_MAX) && (f->max < 0 || chars > (uint64_t)f->max))
		return valid_fail(c, "The %s field must not be greater than %lld characters.",
		    c->attr, (long long)f->max);
	if (f->in != NULL) {
		if ((i = in_index(f->in, out->s, out->len)) == -1)
			return valid_fail(c, "The selected %s is invalid.", c->attr);
		out->i = i;
	}
	return API_OK;
}

const struct valid_type valid_string = { "string", check_string };

static enum api_err
check_bool(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	int64_t iv;

	(void)f;
	if (json_object_is_type(v, json_type_boolean)) {
		out->b = json_object_get_boolean(v);
		return API_OK;
	}
	if ((json_object_is_type(v, json_type_int) ||
	    (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) == 1)) &&
	    read_int(v, &iv) && (iv == 0 || iv == 1)) {
		out->b = iv == 1;
		return API_OK;
	}
	return valid_fail(c, "The %s field must be true or false.", c->attr);
}

const struct valid_type valid_bool = { "boolean", check_bool };

/* A string from f->in: valid_string's `in` check made compulsory. */
static enum api_err
check_enum(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	if (f->in == NULL) {
		log_error("valid: field %s: an enum without `in`", c->key);
		return API_SERVER;
	}
	return check_string(c, f, v, out);
}

const struct valid_type valid_enum = { "enum", check_enum };

/* ------------------------------------------------------------------ */
/* Lists: of integers, of strings                                      */
/* ------------------------------------------------------------------ */

/*
 * Collects the items of a JSON array, or the values of a PHP-style map
 * with their keys. Returns the count (0 with NULL arrays), or (size_t)-1
 * when out of memory.
 */
static size_t
list_items(struct json_object *v, struct json_object ***items, const char ***keys)
{
	size_t n, i = 0;

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
		for (i = 0; i < n; i++)
			(*items)[i] = json_object_array_get_idx(v, i);	/* keys NULL */
	} else {
		json_object_object_foreach(v, k, item) {
			(*items)[i] = item;
			(*keys)[i] = k;
			i++;
		}
	}
	return n;
}

/* The key of item i: "x.3", or "x.k" for a map's key k. */
static void
item_key(char *key, size_t keysz, const char *list, const char *k, size_t i)
{
	if (k != NULL)
		snprintf(key, keysz, "%s.%s", list, k);
	else
		snprintf(key, keysz, "%s.%zu", list, i);
}

/* The item count rules of lists and arrays of objects. */
static enum api_err
check_count(const struct valid_ctx *c, const struct valid_field *f, size_t n)
{
	if (f->max_items > 0 && n > f->max_items)
		return valid_fail(c, "The %s field must not have more than %zu items.", c->attr,
		    f->max_items);
	if ((f->flags & V_REQUIRED) && n == 0)
		return valid_fail(c, "The %s field is required.", c->attr);
	if (f->min_items > 0 && n < f->min_items)
		return valid_fail(c, "The %s field must have at least %zu items.", c->attr,
		    f->min_items);
	return API_OK;
}

/* A list whose items are checked as type item (valid_int or valid_string). */
static enum api_err
check_list(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out, const struct valid_type *item)
{
	struct json_object **items = NULL;
	const char **keys = NULL;
	struct valid_value iv;
	char key[KEY_MAX], attr[KEY_MAX];
	struct valid_ctx ic = { c->r, key, attr };
	enum api_err e = API_OK, ie;
	bool ints = item == &valid_int;
	size_t n;

	if (!json_object_is_type(v, json_type_array) &&
	    !json_object_is_type(v, json_type_object))
		return valid_fail(c, "The %s field must be an array.", c->attr);
	if ((n = list_items(v, &items, &keys)) == (size_t)-1)
		return API_SERVER;
	if ((e = check_count(c, f, n)) != API_OK)
		goto out;
	if (n > 0) {
		if (ints)
			out->ints = calloc(n, sizeof(*out->ints));
		else {
			out->strs = calloc(n, sizeof(*out->strs));
			out->lens = calloc(n, sizeof(*out->lens));
		}
		if (ints ? out->ints == NULL : (out->strs == NULL || out->lens == NULL)) {
			e = API_SERVER;
			goto out;
		}
	}
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		item_key(key, sizeof(key), c->key, keys[i], i);
		valid_attr(key, attr, sizeof(attr));
		if (items[i] == NULL) {
			ie = valid_fail(&ic, "The %s field must be %s.", attr,
			    ints ? "an integer" : "a string");
		} else {
			memset(&iv, 0, sizeof(iv));
			ie = item->check(&ic, f, items[i], &iv);
			if (ints)
				out->ints[i] = iv.i;
			else {
				out->strs[i] = iv.s;
				out->lens[i] = iv.len;
			}
			valid_value_free(&iv);
		}
		if (ie == API_SERVER) {
			e = ie;
			goto out;
		}
		if (ie != API_OK)
			e = ie;
	}
out:
	free(items);
	free(keys);
	return e;
}

static enum api_err
check_int_list(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	return check_list(c, f, v, out, &valid_int);
}

const struct valid_type valid_int_list = { "integer list", check_int_list };

static enum api_err
check_str_list(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	return check_list(c, f, v, out, &valid_string);
}

const struct valid_type valid_str_list = { "string list", check_str_list };

/* ------------------------------------------------------------------ */
/* Sort                                                                */
/* ------------------------------------------------------------------ */

static enum api_err
check_sort(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	const char *s, *colon, *dir;
	size_t clen, n;

	if (!json_object_is_type(v, json_type_string))
		goto bad;
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	colon = memchr(s, ':', n);
	if (colon == NULL || colon == s)
		goto bad;
	for (const char *p = s; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
			goto bad;
	dir = colon + 1;
	if ((size_t)(s + n - dir) == 3 && memcmp(dir, "asc", 3) == 0)
		out->desc = false;
	else if ((size_t)(s + n - dir) == 4 && memcmp(dir, "desc", 4) == 0)
		out->desc = true;
	else
		goto bad;
	clen = (size_t)(colon - s);
	for (const struct sort_col *col = f->sort; col != NULL && col->name != NULL; col++)
		if (strlen(col->name) == clen && memcmp(col->name, s, clen) == 0) {
			out->sort = col;
			return API_OK;
		}
	return valid_fail(c, "The selected %s is invalid.", c->attr);
bad:
	return valid_fail(c, "The %s field format is invalid.", c->attr);
}

const struct valid_type valid_sort = { "sort", check_sort };

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

enum dt_shape {
	DT_DATE,	/* Y-m-d */
	DT_DATETIME,	/* Y-m-d H:i:s */
	DT_ISO,		/* Y-m-d\TH:i:s, optionally Z */
	DT_OTHER	/* readable, but none of those */
};

struct dt {
	int y, mo, d, h, mi, s;
	enum dt_shape shape;
};

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Reads 1 to max digits at *p (< end); returns their value or -1. */
static int
read_digits(const char **p, const char *end, size_t min, size_t max, size_t *count)
{
	int v = 0;
	size_t k = 0;

	while (*p < end && k < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	*count = k;
	return k < min ? -1 : v;
}

/*
 * Reads a date or date-time from s[0..n): Y-m-d (month and day of one or
 * two digits), optionally followed by ' ' or 'T' and H:i, H:i:s, fractions
 * of a second, 'Z' or an offset. Returns 1 when it is one and the day and
 * time exist, 0 when the shape is readable but the day or time does not
 * exist, -1 when it is not a date we read. Sets d->shape.
 */
static int
read_dt(const char *s, size_t n, struct dt *d)
{
	const char *p = s, *end = s + n;
	size_t km, kd, kh, ks = 0, kz;
	bool canon, secs = false, frac = false, zulu = false, offset = false;
	char sep;

	memset(d, 0, sizeof(*d));
	if ((d->y = read_digits(&p, end, 4, 4, &kd)) == -1 || p == end || *p++ != '-')
		return -1;
	if ((d->mo = read_digits(&p, end, 1, 2, &km)) == -1 || p == end || *p++ != '-')
		return -1;
	if ((d->d = read_digits(&p, end, 1, 2, &kd)) == -1)
		return -1;
	canon = km == 2 && kd == 2;
	if (p == end) {
		d->shape = canon ? DT_DATE : DT_OTHER;
		goto check;
	}
	sep = *p++;
	if (sep != ' ' && sep != 'T')
		return -1;
	if ((d->h = read_digits(&p, end, 1, 2, &kh)) == -1 || p == end || *p++ != ':')
		return -1;
	if ((d->mi = read_digits(&p, end, 2, 2, &kd)) == -1)
		return -1;
	if (p < end && *p == ':') {
		p++;
		if ((d->s = read_digits(&p, end, 2, 2, &ks)) == -1)
			return -1;
		secs = true;
		if (p < end && *p == '.') {
			p++;
			if (read_digits(&p, end, 1, 9, &kz) == -1)
				return -1;
			frac = true;
		}
	}
	if (p < end && *p == 'Z') {
		p++;
		zulu = true;
	} else if (p < end && (*p == '+' || *p == '-')) {
		p++;
		if (read_digits(&p, end, 2, 2, &kz) == -1)
			return -1;
		if (p < end && *p == ':')
			p++;
		if (read_digits(&p, end, 2, 2, &kz) == -1)
			return -1;
		offset = true;
	}
	if (p != end)
		return -1;
	if (canon && kh == 2 && secs && !frac && !offset)
		d->shape = sep == ' ' && !zulu ? DT_DATETIME : sep == 'T' ? DT_ISO : DT_OTHER;
	else
		d->shape = DT_OTHER;
check:
	if (d->y < 1 || d->mo < 1 || d->mo > 12 || d->d < 1 ||
	    d->d > days_in_month(d->y, d->mo) || d->h > 23 || d->mi > 59 || d->s > 59)
		return 0;
	return 1;
}

/* "Y-m-d H:i:s" of d into out[20]. */
static void
dt_format(const struct dt *d, char out[20])
{
	snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)d->y % 10000u,
	    (unsigned)d->mo % 100u, (unsigned)d->d % 100u, (unsigned)d->h % 100u,
	    (unsigned)d->mi % 100u, (unsigned)d->s % 100u);
}

/*
 * The date or date-time v as "Y-m-d H:i:s" (a date at midnight), for
 * comparisons; false when v is not one of the three exact shapes.
 */
static bool
dt_text(struct json_object *v, char out[20])
{
	struct dt d;

	if (!json_object_is_type(v, json_type_string) || read_dt(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), &d) != 1 || d.shape == DT_OTHER)
		return false;
	dt_format(&d, out);
	return true;
}

static enum api_err
check_date(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	struct dt d;

	(void)f;
	if (!json_object_is_type(v, json_type_string))
		return valid_fail(c, "The %s field must be a valid date.", c->attr);
	out->s = json_object_get_string(v);
	out->len = (size_t)json_object_get_string_len(v);
	if (read_dt(out->s, out->len, &d) != 1)
		return valid_fail(c, "The %s field must be a valid date.", c->attr);
	if (d.shape != DT_DATE)
		return valid_fail(c, "The %s field must match the format Y-m-d.", c->attr);
	return API_OK;
}

const struct valid_type valid_date = { "date", check_date };

static enum api_err
check_datetime(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	struct dt d;

	(void)f;
	if (!json_object_is_type(v, json_type_string) || read_dt(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), &d) != 1)
		return valid_fail(c, "The %s field must be a valid date.", c->attr);
	if (d.shape != DT_DATETIME && d.shape != DT_ISO)
		return valid_fail(c, "The %s field must match the format Y-m-d H:i:s.",
		    c->attr);
	if ((out->own = malloc(20)) == NULL)
		return API_SERVER;
	dt_format(&d, out->own);
	out->s = out->own;
	out->len = 19;
	return API_OK;
}

const struct valid_type valid_datetime = { "datetime", check_datetime };

/* A date or a date-time (Laravel's `date` rule, in the shapes we read). */
static enum api_err
check_when(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	struct dt d;

	(void)f;
	if (!json_object_is_type(v, json_type_string) || read_dt(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), &d) != 1 || d.shape == DT_OTHER)
		return valid_fail(c, "The %s field must be a valid date.", c->attr);
	if ((out->own = malloc(20)) == NULL)
		return API_SERVER;
	dt_format(&d, out->own);
	out->s = out->own;
	out->len = 19;
	out->b = d.shape == DT_DATE;
	return API_OK;
}

const struct valid_type valid_when = { "when", check_when };

/* A month "Y-m" (Laravel's date_format:Y-m): every failure is the format's. */
static enum api_err
check_month(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	const char *p, *end;
	size_t k;
	int m;

	(void)f;
	if (!json_object_is_type(v, json_type_string))
		goto bad;
	out->s = json_object_get_string(v);
	out->len = (size_t)json_object_get_string_len(v);
	p = out->s;
	end = p + out->len;
	if (read_digits(&p, end, 4, 4, &k) == -1 || p == end || *p++ != '-' ||
	    (m = read_digits(&p, end, 2, 2, &k)) < 1 || m > 12 || p != end)
		goto bad;
	return API_OK;
bad:
	return valid_fail(c, "The %s field must match the format Y-m.", c->attr);
}

const struct valid_type valid_month = { "month", check_month };

/* ------------------------------------------------------------------ */
/* Numbers: money, exact decimals                                      */
/* ------------------------------------------------------------------ */

/* An integer with a floor of 0 unless the field has its own minimum. */
static enum api_err
check_money(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	struct valid_field g = *f;

	if (!(g.flags & V_MIN)) {
		g.flags |= V_MIN;
		g.min = 0;
	}
	return check_int(c, &g, v, out);
}

const struct valid_type valid_money = { "money", check_money };

/*
 * Reads decimal text s[0..n): an optional sign, digits with an optional
 * point (".5" and "5." too), an optional exponent up to DEC_MAX_EXP.
 * Writes the normalised form into b (see valid.h) and the number of digits
 * after its point into *frac. Returns 0, -1 when s is not such a number,
 * -2 when out of memory.
 */
static int
dec_norm(const char *s, size_t n, struct buf *b, size_t *frac)
{
	char dig[DEC_MAX_TEXT];
	size_t i = 0, nd = 0, nint = 0, k, lead = 0;
	long point, exp = 0;
	bool neg = false, eneg = false;

	*frac = 0;
	if (n == 0 || n > DEC_MAX_TEXT)
		return -1;
	if (s[i] == '-' || s[i] == '+')
		neg = s[i++] == '-';
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		dig[nd++] = s[i];
	nint = nd;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			dig[nd++] = s[i];
	if (nd == 0)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		for (k = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
			if (exp <= DEC_MAX_EXP)
				exp = exp * 10 + (s[i] - '0');
		if (k == 0 || exp > DEC_MAX_EXP)
			return -1;
		if (eneg)
			exp = -exp;
	}
	if (i != n)
		return -1;
	/* The value is 0.dig * 10^point: drop zeros on both ends. */
	point = (long)nint + exp;
	while (lead < nd && dig[lead] == '0') {
		lead++;
		point--;
	}
	while (nd > lead && dig[nd - 1] == '0')
		nd--;
	if (nd == lead) {
		buf_addc(b, '0');
		return b->oom ? -2 : 0;
	}
	if (neg)
		buf_addc(b, '-');
	if (point <= 0) {
		buf_addc(b, '0');
		buf_addc(b, '.');
		for (long z = point; z < 0; z++)
			buf_addc(b, '0');
		buf_add(b, dig + lead, nd - lead);
		*frac = (size_t)(-point) + (nd - lead);
	} else if ((size_t)point >= nd - lead) {
		buf_add(b, dig + lead, nd - lead);
		for (size_t z = nd - lead; z < (size_t)point; z++)
			buf_addc(b, '0');
	} else {
		buf_add(b, dig + lead, (size_t)point);
		buf_addc(b, '.');
		buf_add(b, dig + lead + point, nd - lead - (size_t)point);
		*frac = nd - lead - (size_t)point;
	}
	return b->oom ? -2 : 0;
}

/* Compares two normalised non-negative decimals. */
static int
dec_cmp_abs(const char *a, const char *b)
{
	size_t ia = strcspn(a, "."), ib = strcspn(b, ".");
	const char *fa, *fb;
	int r;

	if (ia != ib)
		return ia < ib ? -1 : 1;
	if ((r = memcmp(a, b, ia)) != 0)
		return r < 0 ? -1 : 1;
	fa = a[ia] ? a + ia + 1 : "";
	fb = b[ib] ? b + ib + 1 : "";
	while (*fa || *fb) {
		char ca = *fa ? *fa++ : '0', cb = *fb ? *fb++ : '0';
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return 0;
}

/* Compares two normalised decimals: <0, 0, >0. */
static int
dec_cmp(const char *a, const char *b)
{
	bool na = a[0] == '-', nb = b[0] == '-';
	int r;

	if (na != nb)
		return na ? -1 : 1;
	r = dec_cmp_abs(a + na, b + nb);
	return na ? -r : r;
}

/* Compares value with the bound text of a table (normalised first). */
static enum api_err
dec_bound(const struct valid_ctx *c, const char *value, const char *bound, int *cmp)
{
	struct buf b = { 0 };
	size_t frac;
	int rc;

	if ((rc = dec_norm(bound, strlen(bound), &b, &frac)) != 0) {
		buf_free(&b);
		if (rc == -1)
			log_error("valid: field %s: bound \"%s\" is not a decimal", c->key,
			    bound);
		return API_SERVER;
	}
	*cmp = dec_cmp(value, b.p);
	buf_free(&b);
	return API_OK;
}

static enum api_err
check_decimal(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	struct buf b = { 0 };
	const char *text;
	size_t n, frac;
	enum api_err e;
	int64_t iv;
	int rc, cmp;

	switch (json_object_get_type(v)) {
	case json_type_int:
		if (!read_int(v, &iv))
			return valid_fail(c, "The %s field must be a number.", c->attr);
		/* FALLTHROUGH */
	case json_type_double:
		/* The number's own text, as json-c kept it from the request. */
		text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		n = text != NULL ? strlen(text) : 0;
		break;
	case json_type_string:
		text = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		break;
	default:
		return valid_fail(c, "The %s field must be a number.", c->attr);
	}
	if (text == NULL)
		return API_SERVER;
	if ((rc = dec_norm(text, n, &b, &frac)) != 0) {
		buf_free(&b);
		return rc == -2 ? API_SERVER : valid_fail(c, "The %s field must be a number.",
		    c->attr);
	}
	out->own = b.p;	/* valid_free() frees it from here on */
	out->s = b.p;
	out->len = b.len;
	if (frac > f->scale) {
		if (f->scale == 0)
			return valid_fail(c, "The %s field must have 0 decimal places.",
			    c->attr);
		return valid_fail(c, "The %s field must have 0-%u decimal places.", c->attr,
		    f->scale);
	}
	if (f->dmin != NULL) {
		if ((e = dec_bound(c, out->s, f->dmin, &cmp)) != API_OK)
			return e;
		if (cmp < 0)
			return valid_fail(c, "The %s field must be at least %s.", c->attr,
			    f->dmin);
	}
	if (f->dmax != NULL) {
		if ((e = dec_bound(c, out->s, f->dmax, &cmp)) != API_OK)
			return e;
		if (cmp > 0)
			return valid_fail(c, "The %s field must not be greater than %s.",
			    c->attr, f->dmax);
	}
	return API_OK;
}

const struct valid_type valid_decimal = { "decimal", check_decimal };

/* ------------------------------------------------------------------ */
/* Formats: host name, e-mail, URL                                     */
/* ------------------------------------------------------------------ */

static bool
is_alnum(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/*
 * Host-name labels in s[0..n): letters, digits, '-' not first or last
 * (and UTF-8 bytes when utf8), 1-63 bytes each, 253 in all. With
 * alpha_top, the last label is not all digits (RFC 1123 2.1).
 */
static bool
labels_ok(const char *s, size_t n, bool utf8, bool alpha_top)
{
	size_t start = 0;
	bool digits = true;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		unsigned char ch = i < n ? (unsigned char)s[i] : '.';

		if (ch == '.') {
			if (i == start || i - start > 63 || s[start] == '-' || s[i - 1] == '-')
				return false;
			if (i == n && alpha_top && digits)
				return false;
			start = i + 1;
			digits = true;
		} else if (is_alnum(ch) || ch == '-' || (utf8 && ch >= 0x80)) {
			if (ch < '0' || ch > '9')
				digits = false;
		} else
			return false;
	}
	return true;
}

static enum api_err
check_host(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	enum api_err e;

	if ((e = check_string(c, f, v, out)) != API_OK)
		return e;
	if (!labels_ok(out->s, out->len, false, true))
		return valid_fail(c, "The %s field format is invalid.", c->attr);
	if ((out->own = malloc(out->len + 1)) == NULL)
		return API_SERVER;
	for (size_t i = 0; i < out->len; i++) {
		char ch = out->s[i];
		out->own[i] = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
	}
	out->own[out->len] = '\0';
	out->s = out->own;
	return API_OK;
}

const struct valid_type valid_host = { "host", check_host };

/* RFC 5322 atext, and UTF-8 (RFC 6531). */
static bool
is_atext(unsigned char ch)
{
	return is_alnum(ch) || ch >= 0x80 || (ch != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", ch));
}

static bool
email_ok(const char *s, size_t n)
{
	const char *at = NULL;

	if (n > 254)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '@')
			at = s + i;
	if (at == NULL || at == s || at - s > 64)
		return false;
	for (const char *p = s; p < at; p++) {
		if (*p == '.') {
			if (p == s || p + 1 == at || p[1] == '.')
				return false;
		} else if (!is_atext((unsigned char)*p))
			return false;
	}
	return labels_ok(at + 1, (size_t)(s + n - at - 1), true, false);
}

static enum api_err
check_email(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	enum api_err e;

	if ((e = check_string(c, f, v, out)) != API_OK)
		return e;
	if (!email_ok(out->s, out->len))
		return valid_fail(c, "The %s field must be a valid email address.", c->attr);
	return API_OK;
}

const struct valid_type valid_email = { "email", check_email };

static bool
is_hex(unsigned char ch)
{
	return util_hexval((char)ch) >= 0;
}

/* Dotted-quad IPv4: four numbers 0-255 without leading zeros. */
static bool
ipv4_ok(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	size_t k;
	int v;

	for (int part = 0; part < 4; part++) {
		if (part > 0 && (p == end || *p++ != '.'))
			return false;
		if ((v = read_digits(&p, end, 1, 3, &k)) == -1 || v > 255 ||
		    (k > 1 && p[-(long)k] == '0'))
			return false;
	}
	return p == end;
}

static bool
url_ok(const char *s, size_t n)
{
	const char *p, *end = s + n, *auth_end, *host_end;
	size_t k;
	int port;

	if (n > 7 && strncasecmp(s, "http://", 7) == 0)
		p = s + 7;
	else if (n > 8 && strncasecmp(s, "https://", 8) == 0)
		p = s + 8;
	else
		return false;
	for (auth_end = p; auth_end < end && *auth_end != '/' && *auth_end != '?' &&
	    *auth_end != '#'; auth_end++)
		continue;
	if (*p == '[') {
		/* An IPv6 literal: hex digits, colons, dots (a v4 tail). */
		for (host_end = p + 1; host_end < auth_end && *host_end != ']'; host_end++)
			if (!is_hex((unsigned char)*host_end) && *host_end != ':' &&
			    *host_end != '.')
				return false;
		if (host_end == auth_end || host_end - p < 3 ||
		    memchr(p, ':', (size_t)(host_end - p)) == NULL)
			return false;
		host_end++;
	} else {
		for (host_end = p; host_end < auth_end && *host_end != ':'; host_end++)
			continue;
		if (!ipv4_ok(p, (size_t)(host_end - p)) &&
		    !labels_ok(p, (size_t)(host_end - p), true, true))
			return false;
	}
	if (host_end < auth_end) {
		if (*host_end++ != ':')
			return false;
		port = read_digits(&host_end, auth_end, 1, 5, &k);
		if (port < 1 || port > 65535 || host_end != auth_end)
			return false;
	}
	for (p = auth_end; p < end; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* A string of at most 2048 characters (or the field's lower max), a URL. */
static enum api_err
check_url(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	struct valid_field g = *f;
	enum api_err e;

	if (!(g.flags & V_MAX) || g.max > URL_MAX) {
		g.flags |= V_MAX;
		g.max = URL_MAX;
	}
	if ((e = check_string(c, &g, v, out)) != API_OK)
		return e;
	if (!url_ok(out->s, out->len))
		return valid_fail(c, "The %s field must be a valid URL.", c->attr);
	return API_OK;
}

const struct valid_type valid_url = { "url", check_url };

/* ------------------------------------------------------------------ */
/* Codes: ISO 3166-1 alpha-2, ISO 4217, ISO 639-1 (iso-codes 4.15)     */
/* ------------------------------------------------------------------ */

static const char iso_3166_1[][3] = {
	"AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW",
	"AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN",
	"BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG",
	"CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ",
	"DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI",
	"FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL",
	"GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR",
	"HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
	"JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA",
	"LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME",
	"MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU",
	"MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP",
	"NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR",
	"PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD",
	"SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
	"SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
	"TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
	"VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

static const char iso_4217[][4] = {
	"AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD",
	"BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP",
	"BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU",
	"CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB",
	"EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
	"HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
	"JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
	"LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU",
	"MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
	"NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
	"RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS",
	"SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
	"TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
	"VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD",
	"XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW",
	"ZWL",
};

static const char iso_639_1[][3] = {
	"aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be",
	"bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs",
	"cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu",
	"fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha",
	"he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik",
	"io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn",
	"ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt",
	"lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
	"nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os",
	"pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd",
	"se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv",
	"sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw",
	"ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za",
	"zh", "zu",
};


static int
code_cmp(const void *key, const void *elem)
{
	return strcmp(key, elem);
}

/* s[0..n) in the sorted table of codes of width bytes (each NUL-ended). */
static bool
code_known(const void *table, size_t count, size_t width, const char *s, size_t n)
{
	char key[4] = { 0 };

	if (n != width || width >= sizeof(key))
		return false;
	memcpy(key, s, n);
	return strlen(key) == n && bsearch(key, table, count, width + 1, code_cmp) != NULL;
}

static enum api_err
check_code(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out, const void *table, size_t count, size_t width)
{
	enum api_err e;

	if ((e = check_string(c, f, v, out)) != API_OK)
		return e;
	if (!code_known(table, count, width, out->s, out->len))
		return valid_fail(c, "The selected %s is invalid.", c->attr);
	return API_OK;
}

static enum api_err
check_country(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	return check_code(c, f, v, out, iso_3166_1, VALID_COUNT(iso_3166_1), 2);
}

const struct valid_type valid_country = { "country", check_country };

static enum api_err
check_currency(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	return check_code(c, f, v, out, iso_4217, VALID_COUNT(iso_4217), 3);
}

const struct valid_type valid_currency = { "currency", check_currency };

static enum api_err
check_language(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	return check_code(c, f, v, out, iso_639_1, VALID_COUNT(iso_639_1), 2);
}

const struct valid_type valid_language = { "language", check_language };

/* ------------------------------------------------------------------ */
/* Objects: one nested object, an array of them                        */
/* ------------------------------------------------------------------ */

static enum api_err
check_object(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	if (f->fields == NULL || f->nfields == 0) {
		log_error("valid: field %s: an object without a nested table", c->key);
		return API_SERVER;
	}
	/* PHP decodes {} and [] alike: an empty array is an empty object. */
	if (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0)
		v = NULL;
	else if (!json_object_is_type(v, json_type_object))
		return valid_fail(c, "The %s field must be an array.", c->attr);
	if ((out->rows = calloc(f->nfields, sizeof(*out->rows))) == NULL)
		return API_SERVER;
	out->n = 1;
	out->nfields = f->nfields;
	return run_table(c->r, c->key, f->fields, f->nfields, v, out->rows);
}

const struct valid_type valid_object = { "object", check_object };

static enum api_err
check_objects(const struct valid_ctx *c, const struct valid_field *f, struct json_object *v,
    struct valid_value *out)
{
	struct json_object **items = NULL;
	const char **keys = NULL;
	char key[KEY_MAX], attr[KEY_MAX];
	struct valid_ctx ic = { c->r, key, attr };
	enum api_err e, ie;
	size_t n;

	if (f->fields == NULL || f->nfields == 0) {
		log_error("valid: field %s: objects without a nested table", c->key);
		return API_SERVER;
	}
	if (!json_object_is_type(v, json_type_array) &&
	    !json_object_is_type(v, json_type_object))
		return valid_fail(c, "The %s field must be an array.", c->attr);
	if ((n = list_items(v, &items, &keys)) == (size_t)-1)
		return API_SERVER;
	if ((e = check_count(c, f, n)) != API_OK || n == 0)
		goto out;
	if (n > SIZE_MAX / f->nfields ||
	    (out->rows = calloc(n * f->nfields, sizeof(*out->rows))) == NULL) {
		e = API_SERVER;
		goto out;
	}
	out->n = n;
	out->nfields = f->nfields;
	for (size_t i = 0; i < n; i++) {
		item_key(key, sizeof(key), c->key, keys[i], i);
		valid_attr(key, attr, sizeof(attr));
		if (items[i] == NULL || !json_object_is_type(items[i], json_type_object))
			ie = valid_fail(&ic, "The %s field must be an array.", attr);
		else
			ie = run_table(c->r, key, f->fields, f->nfields, items[i],
			    out->rows + i * f->nfields);
		if (ie != API_OK && ie != API_VALIDATION) {
			e = ie;
			goto out;
		}
		if (ie != API_OK)
			e = ie;
	}
out:
	free(items);
	free(keys);
	return e;
}

const struct valid_type valid_objects = { "objects", check_objects };

/* ------------------------------------------------------------------ */
/* exists: ids against a table of the allow-list                       */
/* ------------------------------------------------------------------ */

/* A store may use the tags open to all stores and its own; admins any. */
static void
scope_tags_for_store(struct sql *q, const struct req *r)
{
	sql_int(q, " AND (access_level = 1 OR (access_level = 2 AND store_id = ?)",
	    r->scope.store_id);
	sql_int(q, " OR ? = 1)", r->caller.admin ? 1 : 0);
}

/* Each: the SELECT up to "id IN ", and conditions after the list. */
static const struct exists_table {
	const char *key;
	const char *select;
	void (*scope)(struct sql *q, const struct req *r);	/* or NULL */
} exists_tables[] = {
	{ "clients", "SELECT id FROM clients WHERE id IN ", NULL },
	{ "store_categories", "SELECT id FROM store_categories WHERE id IN ", NULL },
	{ "store_groups", "SELECT id FROM store_groups WHERE id IN ", NULL },
	{ "stores", "SELECT id FROM stores WHERE deleted_at IS NULL AND id IN ", NULL },
	{ "user_tags", "SELECT id FROM user_tags WHERE id IN ", NULL },
	{ "user_tags_for_store", "SELECT id FROM user_tags WHERE id IN ",
	    scope_tags_for_store },
	{ "users", "SELECT id FROM users WHERE deleted_at IS NULL AND id IN ", NULL },
};

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Runs f->exists for the ids of out (an integer, or an integer list) and
 * reports each id the table does not hold.
 */
static enum api_err
check_exists(const struct valid_ctx *c, const struct valid_field *f,
    const struct valid_value *out)
{
	const struct exists_table *t = NULL;
	const int64_t *ids = out->ints != NULL ? out->ints : &out->i;
	size_t n = out->ints != NULL ? out->n : 1, nfound = 0;
	struct json_object *rows = NULL, *id;
	struct sql q = { 0 };
	char key[KEY_MAX], attr[KEY_MAX];
	struct valid_ctx ic = { c->r, key, attr };
	int64_t *found = NULL;
	enum api_err e = API_OK, ie;
	enum db_rc rc;

	for (size_t i = 0; i < VALID_COUNT(exists_tables); i++)
		if (strcmp(exists_tables[i].key, f->exists) == 0)
			t = &exists_tables[i];
	if (t == NULL || (f->type != &valid_int && f->type != &valid_int_list)) {
		log_error("valid: field %s: cannot check exists \"%s\"", c->key, f->exists);
		return API_SERVER;
	}
	if (f->type == &valid_int_list && out->n == 0)
		return API_OK;
	sql_add(&q, t->select);
	sql_in_ints(&q, ids, n);
	if (t->scope != NULL)
		t->scope(&q, c->r);
	if ((rc = db_select_sql(&q, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) > 0 &&
	    (found = calloc(json_object_array_length(rows), sizeof(*found))) == NULL) {
		json_object_put(rows);
		return API_SERVER;
	}
	for (size_t j = 0; j < json_object_array_length(rows); j++)
		if (json_object_object_get_ex(json_object_array_get_idx(rows, j), "id", &id))
			found[nfound++] = json_object_get_int64(id);
	json_object_put(rows);
	if (nfound > 1)
		qsort(found, nfound, sizeof(*found), id_cmp);
	for (size_t i = 0; i < n; i++) {
		if (nfound > 0 &&
		    bsearch(&ids[i], found, nfound, sizeof(*found), id_cmp) != NULL)
			continue;
		if (f->type == &valid_int_list) {
			item_key(key, sizeof(key), c->key, NULL, i);
			valid_attr(key, attr, sizeof(attr));
			ie = valid_fail(&ic, "The selected %s is invalid.", attr);
		} else
			ie = valid_fail(c, "The selected %s is invalid.", c->attr);
		if (ie == API_SERVER) {
			e = ie;
			break;
		}
		e = ie;
	}
	free(found);
	return e;
}

/* ------------------------------------------------------------------ */
/* Cross-field rules                                                   */
/* ------------------------------------------------------------------ */

/* Laravel's `required`: not null, not blank, not an empty list. */
static bool
filled(struct json_object *v)
{
	const char *s;
	size_t n;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return false;
	case json_type_string:
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		for (size_t i = 0; i < n; i++)
			if (!strchr(" \t\n\r\v", s[i]) || s[i] == '\0')
				return true;
		return false;
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_object:
		return json_object_object_length(v) > 0;
	default:
		return true;
	}
}

/*
 * A rule between field c (its raw value v, NULL when empty) and its
 * sibling other in the object in; other_attr is how the message names it.
 */
typedef enum api_err (*cross_fn)(const struct valid_ctx *c, struct json_object *in,
    const char *other, const char *other_attr, struct json_object *v);

static enum api_err
rule_required_without(const struct valid_ctx *c, struct json_object *in, const char *other,
    const char *other_attr, struct json_object *v)
{
	struct json_object *o = NULL;

	(void)v;
	if (in != NULL && json_object_object_get_ex(in, other, &o) && filled(o))
		return API_OK;
	return valid_fail(c, "The %s field is required when %s is not present.", c->attr,
	    other_attr);
}

/* Compares the date-times; a sibling that is not one is left to its own check. */
static enum api_err
compare_dates(const struct valid_ctx *c, struct json_object *in, const char *other,
    struct json_object *v, int *cmp, bool *skip)
{
	struct json_object *o = NULL;
	char a[20], b[20];

	*skip = true;
	if (!dt_text(v, a)) {
		log_error("valid: field %s: after/after_or_equal on a field that is no date",
		    c->key);
		return API_SERVER;
	}
	if (in == NULL || !json_object_object_get_ex(in, other, &o) || !dt_text(o, b))
		return API_OK;
	*skip = false;
	*cmp = strcmp(a, b);
	return API_OK;
}

static enum api_err
rule_after(const struct valid_ctx *c, struct json_object *in, const char *other,
    const char *other_attr, struct json_object *v)
{
	enum api_err e;
	bool skip;
	int cmp;

	if ((e = compare_dates(c, in, other, v, &cmp, &skip)) != API_OK || skip || cmp > 0)
		return e;
	return valid_fail(c, "The %s field must be a date after %s.", c->attr, other_attr);
}

static enum api_err
rule_after_or_equal(const struct valid_ctx *c, struct json_object *in, const char *other,
    const char *other_attr, struct json_object *v)
{
	enum api_err e;
	bool skip;
	int cmp;

	if ((e = compare_dates(c, in, other, v, &cmp, &skip)) != API_OK || skip || cmp >= 0)
		return e;
	return valid_fail(c, "The %s field must be a date after or equal to %s.", c->attr,
	    other_attr);
}

/*
 * The cross-field rules: the member of struct valid_field naming the
 * other field, and whether the rule is implicit (runs on an empty field,
 * before its type; its failure skips the rest) or runs on a value that
 * passed its type. A new rule is a member, a function and a row.
 */
static const struct cross_rule {
	size_t member;
	bool implicit;
	cross_fn fn;
} cross_rules[] = {
	{ offsetof(struct valid_field, required_without), true, rule_required_without },
	{ offsetof(struct valid_field, after), false, rule_after },
	{ offsetof(struct valid_field, after_or_equal), false, rule_after_or_equal },
};

static enum api_err
run_cross(const struct valid_ctx *c, const struct valid_field *f, struct json_object *in,
    struct json_object *v, bool implicit)
{
	char okey[KEY_MAX], oattr[KEY_MAX];
	size_t klen = strlen(c->key), nlen = strlen(f->name);
	size_t plen = klen >= nlen ? klen - nlen : 0;	/* "a.b." of "a.b.name" */
	const char *other;
	enum api_err e;

	for (size_t i = 0; i < VALID_COUNT(cross_rules); i++) {
		if (cross_rules[i].implicit != implicit)
			continue;
		memcpy(&other, (const char *)f + cross_rules[i].member, sizeof(other));
		if (other == NULL)
			continue;
		snprintf(okey, sizeof(okey), "%.*s%s", (int)plen, c->key, other);
		valid_attr(okey, oattr, sizeof(oattr));
		if ((e = cross_rules[i].fn(c, in, other, oattr, v)) != API_OK)
			return e;
	}
	return API_OK;
}

/* ------------------------------------------------------------------ */
/* Running a table                                                     */
/* ------------------------------------------------------------------ */

/* Field f of the object in, reported under key. */
static enum api_err
run_field(struct req *r, const char *key, const struct valid_field *f, struct json_object *in,
    struct valid_value *out)
{
	char attr[KEY_MAX];
	struct valid_ctx c = { r, key, attr };
	struct json_object *v = NULL;
	enum api_err e;
	bool given;

	memset(out, 0, sizeof(*out));
	valid_attr(key, attr, sizeof(attr));
	if (f->type == NULL || f->type->check == NULL) {
		log_error("valid: field %s has no type", key);
		return API_SERVER;
	}
	given = in != NULL && json_object_is_type(in, json_type_object) &&
	    json_object_object_get_ex(in, f->name, &v);
	if (!filled(v) && (e = run_cross(&c, f, in, v, true)) != API_OK)
		return e;
	if (!given) {
		if (!(f->flags & V_REQUIRED))
			return API_OK;
		if (f->flags & V_NULLABLE)
			return valid_fail(&c, "The %s field must be present.", attr);
		return valid_fail(&c, "The %s field is required.", attr);
	}
	if (v == NULL) {
		if (f->flags & V_NULLABLE) {
			out->state = V_NULL;
			return API_OK;
		}
		if (f->flags & V_REQUIRED)
			return valid_fail(&c, "The %s field is required.", attr);
		return API_OK;	/* null on an optional field: as if absent */
	}
	if ((e = f->type->check(&c, f, v, out)) != API_OK)
		return e;
	out->state = V_VALUE;
	out->present = true;
	if (f->exists != NULL && (e = check_exists(&c, f, out)) != API_OK)
		return e;
	return run_cross(&c, f, in, v, false);
}

/* Runs fields[0..n) over the object in (NULL: all absent) into vals. */
static enum api_err
run_table(struct req *r, const char *prefix, const struct valid_field *fields, size_t n,
    struct json_object *in, struct valid_value *vals)
{
	char key[KEY_MAX];
	enum api_err e, worst = API_OK;

	for (size_t i = 0; i < n; i++) {
		make_key(key, sizeof(key), prefix, fields[i].name);
		e = run_field(r, key, &fields[i], in, &vals[i]);
		if (e != API_OK && e != API_VALIDATION)
			return e;
		if (e != API_OK)
			worst = e;
	}
	return worst;
}

enum api_err
valid_field(struct req *r, const struct valid_field *f, struct json_object *in,
    struct valid_value *out)
{
	return run_field(r, f->name, f, in, out);
}

enum api_err
valid_run(struct req *r, const struct valid_field *fields, size_t n)
{
	if (n == 0)
		return API_OK;
	if ((r->vals = calloc(n, sizeof(*r->vals))) == NULL)
		return API_SERVER;
	r->nvals = n;
	return run_table(r, NULL, fields, n, r->input, r->vals);
}

bool
valid_list_has(const struct valid_value *v, const char *s)
{
	for (size_t i = 0; v != NULL && v->present && i < v->n; i++)
		if (v->lens[i] == strlen(s) && memcmp(v->strs[i], s, v->lens[i]) == 0)
			return true;
	return false;
}

const struct valid_value *
valid_row(const struct valid_value *v, size_t i)
{
	if (v == NULL || v->rows == NULL || i >= v->n)
		return NULL;
	return v->rows + i * v->nfields;
}

void
valid_value_free(struct valid_value *v)
{
	if (v->rows != NULL)
		for (size_t i = 0; i < v->n * v->nfields; i++)
			valid_value_free(&v->rows[i]);
	free(v->rows);
	free(v->own);
	free(v->ints);
	free(v->strs);
	free(v->lens);
	memset(v, 0, sizeof(*v));
}

void
valid_free(struct valid_value *vals, size_t n)
{
	if (vals == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		valid_value_free(&vals[i]);
	free(vals);
}
