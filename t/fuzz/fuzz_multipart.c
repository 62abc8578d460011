/*
 * Fuzz target: the multipart/form-data reader.
 *
 * Input: CONTENT-TYPE \n BODY (no newline: all of it is the content type
 * and the body is empty).
 *
 * Checks: the result is one of the documented codes; an error leaves no
 * part; every part's data lies inside the body and its strings are valid
 * UTF-8; mp_find() finds the first part of each name; and the parts,
 * written out again with the same boundary, read back the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"
#include "util.h"

#define MAX_PARTS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The quoted-string of s: `"`, escapes before `"` and `\`. */
static void
add_quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* s as an RFC 8187 value: UTF-8'' and every byte but ALPHA / DIGIT escaped. */
static void
add_ext_value(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	buf_adds(b, "UTF-8''");
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			buf_addc(b, (char)c);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

/*
 * Writes form's parts as a body with form's boundary. Returns 0, or -1
 * when a part's header block would be over MP_HEADER_MAX (escaping and
 * U+FFFD grow names), which the reader rightly refuses.
 */
static int
serialise(struct buf *b, const struct mp_form *form)
{
	size_t start;

	for (size_t i = 0; i < form->nparts; i++) {
		const struct mp_part *p = &form->parts[i];

		buf_adds(b, "--");
		buf_adds(b, form->boundary);
		buf_adds(b, "\r\n");
		start = b->len;
		buf_adds(b, "Content-Disposition: form-data; name=");
		add_quoted(b, p->name);
		if (p->filename != NULL) {
			buf_adds(b, "; filename*=");
			add_ext_value(b, p->filename);
		}
		buf_adds(b, "\r\n");
		if (p->ctype != NULL) {
			buf_adds(b, "Content-Type: ");
			buf_adds(b, p->ctype);
			buf_adds(b, "\r\n");
		}
		buf_adds(b, "\r\n");
		if (b->len - start > MP_HEADER_MAX)
			return -1;
		buf_add(b, p->data, p->len);
		buf_adds(b, "\r\n");
	}
	buf_adds(b, "--");
	buf_adds(b, form->boundary);
	buf_adds(b, "--\r\n");
	return 0;
}

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
check_str(const char *s)
{
	if (s != NULL && !util_utf8_valid(s, strlen(s)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_form form, again;
	struct buf ct = { 0 }, out = { 0 }, ct2 = { 0 };
	const uint8_t *nl = memchr(data, '\n', size);
	const char *body;
	size_t len;
	int rc;

	buf_add(&ct, data, nl ? (size_t)(nl - data) : size);
	if (ct.oom)
		return 0;
	/* A copy of exactly the body, so that ASan sees any overread. */
	len = nl ? size - (size_t)(nl - data) - 1 : 0;
	char *copy = malloc(len ? len : 1);
	if (copy == NULL) {
		buf_free(&ct);
		return 0;
	}
	memcpy(copy, nl ? nl + 1 : data, len);
	body = copy;

	rc = mp_parse(ct.p, body, len, MAX_PARTS, &form);
	if (rc != MP_OK) {
		if ((rc != MP_MALFORMED && rc != MP_TOO_MANY && rc != MP_NOMEM) ||
		    form.parts != NULL || form.nparts != 0 || form.why == NULL)
			abort();
		goto out;
	}
	if (form.why != NULL || form.nparts > MAX_PARTS)
		abort();
	for (size_t i = 0; i < form.nparts; i++) {
		const struct mp_part *p = &form.parts[i], *f;

		if (p->data < body || p->data > body + len || p->len > (size_t)(body + len - p->data))
			abort();
		if (p->name == NULL)
			abort();
		check_str(p->name);
		check_str(p->filename);
		check_str(p->ctype);
		if ((f = mp_find(&form, p->name)) == NULL || f > p || strcmp(f->name, p->name) != 0)
			abort();
	}

	/* Written out again with the same boundary, the parts read back the same. */
	if (serialise(&out, &form) == 0 && !out.oom) {
		buf_adds(&ct2, "multipart/form-data; boundary=");
		add_quoted(&ct2, form.boundary);
		if (ct2.oom)
			goto done;
		rc = mp_parse(ct2.p, out.p, out.len, MAX_PARTS, &again);
		if (rc == MP_NOMEM)
			goto done;
		if (rc != MP_OK || again.nparts != form.nparts ||
		    strcmp(again.boundary, form.boundary) != 0)
			abort();
		for (size_t i = 0; i < form.nparts; i++) {
			const struct mp_part *a = &form.parts[i], *b = &again.parts[i];
			if (!same_str(a->name, b->name) || !same_str(a->filename, b->filename) ||
			    !same_str(a->ctype, b->ctype) || a->len != b->len ||
			    memcmp(a->data, b->data, a->len) != 0)
				abort();
		}
		mp_free(&again);
	}
done:
	mp_free(&form);
out:
	buf_free(&ct);
	buf_free(&ct2);
	buf_free(&out);
	free(copy);
	return 0;
}
