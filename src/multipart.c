/*
 * multipart.c -- multipart/form-data reader (see multipart.h for what is
 * accepted).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "multipart.h"
#include "util.h"

#define MEDIA_TYPE "multipart/form-data"

/* A parameter of a header value: its name (a view) and decoded value. */
struct param {
	const char *name;
	size_t namelen;
	struct buf val;
	bool quoted;
};

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 9110 tchar. */
static bool
is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 2046 bchars. */
static bool
is_bchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("'()+_,-./:=? ", c) != NULL);
}

/* A control character other than HTAB. */
static bool
is_ctl(char c)
{
	unsigned char u = (unsigned char)c;

	return (u < 0x20 && u != '\t') || u == 0x7f;
}

static const char *
skip_ows(const char *p, const char *end)
{
	while (p < end && is_ows(*p))
		p++;
	return p;
}

/* s[0..n) equals the NUL-terminated word, ignoring ASCII case. */
static bool
eq_nocase(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/*
 * Reads the next `OWS ";" OWS name OWS "=" OWS value` of [*pp, end) into
 * prm (its value buffer is reset first), tolerating empty parameters
 * (`;;`, a trailing `;`). The value is a quoted-string, unescaped, or a
 * run of visible characters other than `;` and `"`.
 * Returns 1 and advances *pp; 0 at the end; MP_MALFORMED or MP_NOMEM.
 */
static int
next_param(const char **pp, const char *end, struct param *prm)
{
	const char *p = *pp, *s;

	prm->val.len = 0;
	prm->quoted = false;
	for (;;) {
		p = skip_ows(p, end);
		if (p == end)
			return 0;
		if (*p != ';')
			return MP_MALFORMED;
		p = skip_ows(p + 1, end);
		if (p == end)
			return 0;
		if (*p != ';')
			break;
	}
	for (s = p; p < end && is_tchar(*p); p++)
		continue;
	if (p == s)
		return MP_MALFORMED;
	prm->name = s;
	prm->namelen = (size_t)(p - s);
	p = skip_ows(p, end);
	if (p == end || *p != '=')
		return MP_MALFORMED;
	p = skip_ows(p + 1, end);
	if (p < end && *p == '"') {
		prm->quoted = true;
		for (p++;; p++) {
			if (p == end)
				return MP_MALFORMED;	/* unterminated */
			if (*p == '"')
				break;
			if (*p == '\\' && ++p == end)
				return MP_MALFORMED;
			buf_addc(&prm->val, *p);
		}
		p++;
	} else {
		for (s = p; p < end && !is_ows(*p) && !is_ctl(*p) && *p != ';' && *p != '"'; p++)
			continue;
		if (p == s)
			return MP_MALFORMED;
		buf_add(&prm->val, s, (size_t)(p - s));
	}
	/* An empty quoted value still needs a string to point at. */
	buf_add(&prm->val, "", 0);
	if (prm->val.oom)
		return MP_NOMEM;
	*pp = p;
	return 1;
}

/* A malloc'd NUL-terminated copy of s[0..n), UTF-8 sanitised; NULL on OOM. */
static char *
dup_sanitized(const char *s, size_t n)
{
	struct buf b = { 0 };

	if (util_utf8_sanitize(&b, s, n) == -1 || buf_add(&b, "", 0) == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

/*
 * Decodes an RFC 8187 ext-value `charset'[language]'pct-encoded` (UTF-8
 * or ISO-8859-1) into a malloc'd sanitised string at *out.
 * Returns MP_OK, MP_MALFORMED or MP_NOMEM.
 */
static int
decode_ext_value(const char *s, size_t n, char **out, const char **why)
{
	const char *end = s + n, *q1, *q2;
	struct buf raw = { 0 }, utf = { 0 };
	bool latin1;
	int hi, lo, rc = MP_NOMEM;

	*out = NULL;
	if ((q1 = memchr(s, '\'', n)) == NULL ||
	    (q2 = memchr(q1 + 1, '\'', (size_t)(end - q1 - 1))) == NULL) {
		*why = "filename* is not charset'language'value";
		return MP_MALFORMED;
	}
	if (eq_nocase(s, (size_t)(q1 - s), "UTF-8"))
		latin1 = false;
	else if (eq_nocase(s, (size_t)(q1 - s), "ISO-8859-1"))
		latin1 = true;
	else {
		*why = "filename* charset is neither UTF-8 nor ISO-8859-1";
		return MP_MALFORMED;
	}
	for (const char *p = q2 + 1; p < end; p++) {
		if (*p != '%') {
			buf_addc(&raw, *p);
			continue;
		}
		if (end - p < 3 || (hi = util_hexval(p[1])) < 0 || (lo = util_hexval(p[2])) < 0) {
			*why = "bad percent-escape in filename*";
			rc = MP_MALFORMED;
			goto out;
		}
		buf_addc(&raw, (char)(hi << 4 | lo));
		p += 2;
	}
	if (raw.oom)
		goto out;
	if (latin1) {
		for (size_t i = 0; i < raw.len; i++) {
			unsigned char c = (unsigned char)raw.p[i];
			if (c < 0x80)
				buf_addc(&utf, (char)c);
			else {
				buf_addc(&utf, (char)(0xc0 | c >> 6));
				buf_addc(&utf, (char)(0x80 | (c & 0x3f)));
			}
		}
		if (utf.oom)
			goto out;
		*out = dup_sanitized(utf.p, utf.len);
	} else
		*out = dup_sanitized(raw.p, raw.len);
	if (*out != NULL)
		rc = MP_OK;
out:
	buf_free(&raw);
	buf_free(&utf);
	return rc;
}

/*
 * Reads a Content-Disposition value [v, end) into part's name and
 * filename. Returns MP_OK, MP_MALFORMED (setting *why) or MP_NOMEM.
 */
static int
read_disposition(const char *v, const char *end, struct mp_part *part, const char **why)
{
	struct param prm = { 0 };
	const char *p = v;
	char *fstar = NULL, **dst;
	bool have_fstar = false;
	int rc;

	while (p < end && is_tchar(*p))
		p++;
	if (!eq_nocase(v, (size_t)(p - v), "form-data")) {
		*why = "Content-Disposition is not form-data";
		return MP_MALFORMED;
	}
	while ((rc = next_param(&p, end, &prm)) == 1) {
		if (eq_nocase(prm.name, prm.namelen, "name"))
			dst = &part->name;
		else if (eq_nocase(prm.name, prm.namelen, "filename"))
			dst = &part->filename;
		else if (eq_nocase(prm.name, prm.namelen, "filename*")) {
			if (have_fstar) {
				*why = "repeated Content-Disposition parameter";
				rc = MP_MALFORMED;
				goto out;
			}
			have_fstar = true;
			if ((rc = decode_ext_value(prm.val.p, prm.val.len, &fstar, why)) != MP_OK)
				goto out;
			continue;
		} else
			continue;
		if (*dst != NULL) {
			*why = "repeated Content-Disposition parameter";
			rc = MP_MALFORMED;
			goto out;
		}
		if ((*dst = dup_sanitized(prm.val.p, prm.val.len)) == NULL) {
			rc = MP_NOMEM;
			goto out;
		}
	}
	if (rc == MP_MALFORMED)
		*why = "malformed Content-Disposition parameters";
	if (rc != 0)
		goto out;
	if (part->name == NULL) {
		*why = "Content-Disposition without name";
		rc = MP_MALFORMED;
		goto out;
	}
	if (fstar != NULL) {
		free(part->filename);
		part->filename = fstar;
		fstar = NULL;
	}
	rc = MP_OK;
out:
	free(fstar);
	buf_free(&prm.val);
	return rc;
}

/*
 * Reads the header block of a part starting at p into part. Sets *blank
 * to the CRLF of the empty line that ends it. Returns MP_OK, MP_MALFORMED
 * (setting *why) or MP_NOMEM.
 */
static int
read_headers(const char *p, const char *end, struct mp_part *part, const char **blank,
    const char **why)
{
	const char *lim, *nl, *le, *colon, *v, *ve;
	int nhdr = 0, rc;
	bool have_cd = false;

	lim = (size_t)(end - p) > MP_HEADER_MAX ? p + MP_HEADER_MAX : end;
	for (;;) {
		if ((nl = memchr(p, '\n', (size_t)(lim - p))) == NULL) {
			*why = lim == end ? "truncated part headers" : "part header block too large";
			return MP_MALFORMED;
		}
		if (nl == p || nl[-1] != '\r') {
			*why = "bare LF in part headers";
			return MP_MALFORMED;
		}
		le = nl - 1;
		if (le == p)
			break;
		if (++nhdr > MP_HEADERS_MAX) {
			*why = "too many part headers";
			return MP_MALFORMED;
		}
		if (is_ows(*p)) {
			*why = "folded part header line";
			return MP_MALFORMED;
		}
		for (const char *c = p; c < le; c++)
			if (is_ctl(*c)) {
				*why = "control character in part header";
				return MP_MALFORMED;
			}
		if ((colon = memchr(p, ':', (size_t)(le - p))) == NULL) {
			*why = "part header without colon";
			return MP_MALFORMED;
		}
		for (const char *c = p; c < colon; c++)
			if (!is_tchar(*c)) {
				*why = "malformed part header name";
				return MP_MALFORMED;
			}
		if (colon == p) {
			*why = "malformed part header name";
			return MP_MALFORMED;
		}
		v = skip_ows(colon + 1, le);
		for (ve = le; ve > v && is_ows(ve[-1]); ve--)
			continue;
		if (eq_nocase(p, (size_t)(colon - p), "Content-Disposition")) {
			if (have_cd) {
				*why = "repeated Content-Disposition";
				return MP_MALFORMED;
			}
			have_cd = true;
			if ((rc = read_disposition(v, ve, part, why)) != MP_OK)
				return rc;
		} else if (eq_nocase(p, (size_t)(colon - p), "Content-Type")) {
			if (part->ctype != NULL) {
				*why = "repeated Content-Type";
				return MP_MALFORMED;
			}
			if ((part->ctype = dup_sanitized(v, (size_t)(ve - v))) == NULL)
				return MP_NOMEM;
		}
		p = nl + 1;
	}
	if (!have_cd) {
		*why = "part without Content-Disposition";
		return MP_MALFORMED;
	}
	*blank = p;
	return MP_OK;
}

/*
 * What follows `--boundary` at p makes a delimiter: `--` (closing) or
 * transport padding and CRLF. Sets *next past it and *closing.
 */
static bool
delim_tail(const char *p, const char *end, const char **next, bool *closing)
{
	if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
		*closing = true;
		*next = p + 2;
		return true;
	}
	p = skip_ows(p, end);
	if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
		*closing = false;
		*next = p + 2;
		return true;
	}
	return false;
}

/*
 * The first delimiter (needle: CRLF "--" boundary, then a valid tail) at
 * or after p. Returns where it starts, or NULL; sets *next and *closing.
 */
static const char *
find_delim(const char *p, const char *end, const char *needle, size_t nlen,
    const char **next, bool *closing)
{
	const char *d;

	while ((d = memmem(p, (size_t)(end - p), needle, nlen)) != NULL) {
		if (delim_tail(d + nlen, end, next, closing))
			return d;
		p = d + 1;
	}
	return NULL;
}

/* Reads the boundary parameter of a multipart/form-data content type. */
static int
read_boundary(const char *ct, struct mp_form *form)
{
	struct param prm = { 0 };
	const char *p, *end = ct + strlen(ct);
	bool seen = false;
	int rc;

	p = skip_ows(ct, end) + strlen(MEDIA_TYPE);
	while ((rc = next_param(&p, end, &prm)) == 1) {
		if (!eq_nocase(prm.name, prm.namelen, "boundary"))
			continue;
		if (seen) {
			form->why = "repeated boundary parameter";
			rc = MP_MALFORMED;
			goto out;
		}
		seen = true;
		if (prm.val.len == 0 || prm.val.len > MP_BOUNDARY_MAX ||
		    prm.val.p[prm.val.len - 1] == ' ') {
			form->why = "boundary is not 1 to 70 characters";
			rc = MP_MALFORMED;
			goto out;
		}
		for (size_t i = 0; i < prm.val.len; i++)
			if (!is_bchar(prm.val.p[i])) {
				form->why = "boundary has a character outside RFC 2046 bchars";
				rc = MP_MALFORMED;
				goto out;
			}
		memcpy(form->boundary, prm.val.p, prm.val.len + 1);
	}
	if (rc == MP_MALFORMED)
		form->why = "malformed Content-Type parameters";
	if (rc == 0 && !seen) {
		form->why = "no boundary parameter";
		rc = MP_MALFORMED;
	}
out:
	buf_free(&prm.val);
	return rc;
}

/* A new zeroed part at the end of form, or NULL on OOM. */
static struct mp_part *
add_part(struct mp_form *form)
{
	struct mp_part *np;
	size_t ncap;

	if (form->nparts == form->cap) {
		ncap = form->cap ? form->cap * 2 : 4;
		if ((np = reallocarray(form->parts, ncap, sizeof(*np))) == NULL)
			return NULL;
		form->parts = np;
		form->cap = ncap;
	}
	np = &form->parts[form->nparts++];
	memset(np, 0, sizeof(*np));
	return np;
}

bool
mp_is_form_data(const char *ct)
{
	const char *end;

	if (ct == NULL)
		return false;
	end = ct + strlen(ct);
	ct = skip_ows(ct, end);
	if (strncasecmp(ct, MEDIA_TYPE, strlen(MEDIA_TYPE)) != 0)
		return false;
	ct = skip_ows(ct + strlen(MEDIA_TYPE), end);
	return ct == end || *ct == ';';
}

int
mp_parse(const char *ct, const char *body, size_t len, size_t max_parts, struct mp_form *form)
{
	char needle[4 + MP_BOUNDARY_MAX];
	const char *end = body + len, *p, *blank, *d, *why = NULL;
	struct mp_part *part;
	size_t nlen, blen;
	bool closing;
	int rc;

	memset(form, 0, sizeof(*form));
	if (!mp_is_form_data(ct)) {
		form->why = "not multipart/form-data";
		return MP_MALFORMED;
	}
	if ((rc = read_boundary(ct, form)) != MP_OK) {
		why = form->why;
		goto fail;
	}
	blen = strlen(form->boundary);
	memcpy(needle, "\r\n--", 4);
	memcpy(needle + 4, form->boundary, blen);
	nlen = 4 + blen;

	/* The first delimiter may open the body, without the CRLF. */
	if (len >= nlen - 2 && memcmp(body, needle + 2, nlen - 2) == 0 &&
	    delim_tail(body + nlen - 2, end, &p, &closing))
		;
	else if (find_delim(body, end, needle, nlen, &p, &closing) == NULL) {
		why = "no delimiter";
		rc = MP_MALFORMED;
		goto fail;
	}
	while (!closing) {
		if (form->nparts == max_parts) {
			why = "too many parts";
			rc = MP_TOO_MANY;
			goto fail;
		}
		if ((part = add_part(form)) == NULL) {
			rc = MP_NOMEM;
			goto fail;
		}
		if ((rc = read_headers(p, end, part, &blank, &why)) != MP_OK)
			goto fail;
		/* The empty line's CRLF is the next delimiter's when no data. */
		if ((d = find_delim(blank, end, needle, nlen, &p, &closing)) == NULL) {
			why = "no closing delimiter";
			rc = MP_MALFORMED;
			goto fail;
		}
		part->data = blank + 2;
		part->len = d == blank ? 0 : (size_t)(d - part->data);
	}
	return MP_OK;
fail:
	mp_free(form);
	form->why = why != NULL ? why : mp_strerror(rc);
	return rc;
}

void
mp_free(struct mp_form *form)
{
	for (size_t i = 0; i < form->nparts; i++) {
		free(form->parts[i].name);
		free(form->parts[i].filename);
		free(form->parts[i].ctype);
	}
	free(form->parts);
	memset(form, 0, sizeof(*form));
}

const struct mp_part *
mp_find(const struct mp_form *form, const char *name)
{
	for (size_t i = 0; i < form->nparts; i++)
		if (strcmp(form->parts[i].name, name) == 0)
			return &form->parts[i];
	return NULL;
}

const char *
mp_strerror(int err)
{
	switch (err) {
	case MP_OK:
		return "ok";
	case MP_MALFORMED:
		return "malformed multipart body";
	case MP_TOO_MANY:
		return "too many parts";
	case MP_NOMEM:
		return "out of memory";
	default:
		return "unknown multipart error";
	}
}
