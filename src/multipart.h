/*
 * multipart.h -- multipart/form-data bodies (RFC 7578, body syntax of
 * RFC 2046 section 5.1.1), read from a body already in memory.
 *
 * What is accepted:
 * - The boundary comes from the Content-Type's `boundary` parameter,
 *   quoted or not: 1..70 characters of RFC 2046's bchars, not ending in
 *   a space. A missing, empty, too long or repeated boundary is malformed.
 * - A preamble before the first delimiter and an epilogue after the
 *   closing one are ignored. The body may start with `--boundary`.
 * - Line ends are CRLF, strictly: a bare LF or CR in a part's headers is
 *   malformed, and `LF--boundary` is not a delimiter. (Browsers, curl and
 *   the common HTTP libraries all send CRLF.)
 * - `CRLF--boundary` is a delimiter only when followed by `--` (closing)
 *   or by optional spaces/tabs and CRLF; anything else is part data.
 * - The closing delimiter `--boundary--` is required: a body without it
 *   is a truncated upload and malformed.
 * - Each part has a header block of at most MP_HEADER_MAX bytes (its
 *   lines, their CRLFs and the empty line) and at most MP_HEADERS_MAX
 *   header lines, each `name: value` with a token name and no control
 *   character but HTAB; folded (obsolete) lines are malformed.
 * - Each part has exactly one `Content-Disposition: form-data` with a
 *   `name` parameter; `filename` is optional; `filename*` (RFC 8187,
 *   UTF-8 or ISO-8859-1) wins over `filename` when both are there.
 *   Parameter values are tokens or quoted-strings with backslash escapes;
 *   unknown parameters are ignored, a repeated one is malformed.
 *   At most one Content-Type per part; other headers are ignored
 *   (Content-Transfer-Encoding included: RFC 7578 deprecates it).
 * - Names, file names and content types are copied as C strings, with
 *   invalid UTF-8 and NUL bytes replaced by U+FFFD. Part data is not
 *   copied: it points into the body.
 */
#ifndef METAPIC_MULTIPART_H
#define METAPIC_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MP_BOUNDARY_MAX 70	/* RFC 2046 */
#define MP_HEADER_MAX 8192	/* bytes of one part's header block */
#define MP_HEADERS_MAX 16	/* header lines of one part */

enum mp_err {
	MP_OK = 0,
	MP_MALFORMED = -1,	/* not multipart/form-data as above: 400 */
	MP_TOO_MANY = -2,	/* more than max_parts parts: 413 or 422 */
	MP_NOMEM = -3,		/* out of memory: 500 */
};

struct mp_part {
	char *name;		/* the field's name; never NULL, may be "" */
	char *filename;		/* NULL when absent; may be "" (no file chosen) */
	char *ctype;		/* the part's Content-Type, trimmed; NULL when absent */
	const char *data;	/* into the body; not NUL-terminated */
	size_t len;
};

struct mp_form {
	struct mp_part *parts;	/* in body order */
	size_t nparts;
	size_t cap;
	char boundary[MP_BOUNDARY_MAX + 1];
	const char *why;	/* static reason when mp_parse failed, else NULL */
};

/*
 * Tells whether content_type (may be NULL) is multipart/form-data, in any
 * case, with or without parameters. Does not check the boundary.
 */
bool mp_is_form_data(const char *content_type);

/*
 * Reads body[0..len) as multipart/form-data with the boundary of
 * content_type, into form (its previous content is not freed: pass a
 * zeroed or freed one). At most max_parts parts are accepted.
 * Returns MP_OK with form filled: free it with mp_free(); the parts point
 * into body, which must outlive them. On any error form holds no part
 * and nothing allocated, and form->why says what was wrong (for logs).
 */
int mp_parse(const char *content_type, const char *body, size_t len, size_t max_parts,
    struct mp_form *form);

/* Frees what mp_parse() allocated and zeroes form; safe to call twice. */
void mp_free(struct mp_form *form);

/* The first part named name, or NULL. Borrowed from form. */
const struct mp_part *mp_find(const struct mp_form *form, const char *name);

/* A static description of an enum mp_err value. */
const char *mp_strerror(int err);

#endif
