/*
 * payments_upload.c -- the payments CSV uploads (admins; multipart field
 * `file`, up to max_upload_bytes):
 *   POST /v2/payments/upload-ax-id-matching   users' AX ids
 *   POST /v2/payments/mark-invoices-as-paid   invoices (and their payments) paid
 *
 * The file is read with libcsv (strict RFC 4180 quoting) as
 * payments_upload.h describes, all of it before anything is written: a
 * malformed file is a 422 naming the line of its first problem and
 * writes nothing. The writes run in one transaction, in batches of
 * BATCH values bound as one JSON array each (JSON_TABLE).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "../db.h"
#include "../multipart.h"
#include "../tx.h"
#include "payments_upload.h"
#include "resources.h"

#define MAX_PARTS 16
#define BATCH 1000

/* Fields a header may have. */
#define PCSV_MAX_COLS 1000

/* libcsv's state between rows (ROW_NOT_BEGUN in its libcsv.c). */
#define PCSV_ROW_NOT_BEGUN 0

/* ------------------------------------------------------------------ */
/* The file                                                           */
/* ------------------------------------------------------------------ */

struct pcsv_ctx {
	struct pcsv *c;
	size_t line;		/* the line being fed */
	size_t open_line;	/* where the row being read started */
	size_t row_line;	/* the current row's line, 0 before its first field */
	size_t nf;		/* fields of the current row */
	size_t *offs, *lens;	/* the current row's cells */
	size_t fcap;
	bool header_done;
	bool failed;		/* out of memory or malformed: ignore the rest */
	bool oom;
};

static void
pcsv_fail(struct pcsv_ctx *x, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pcsv_fail(struct pcsv_ctx *x, size_t line, const char *fmt, ...)
{
	va_list ap;

	if (x->failed)
		return;
	x->failed = true;
	x->c->err_line = line;
	va_start(ap, fmt);
	vsnprintf(x->c->err, sizeof(x->c->err), fmt, ap);
	va_end(ap);
}

static void
pcsv_on_field(void *s, size_t n, void *arg)
{
	struct pcsv_ctx *x = arg;
	size_t *no, *nl;

	if (x->failed)
		return;
	if (x->nf == 0)
		x->row_line = x->open_line;
	if (!x->header_done && x->nf == PCSV_MAX_COLS) {
		pcsv_fail(x, x->row_line, "the header has more than %d fields", PCSV_MAX_COLS);
		return;
	}
	if (x->header_done && x->nf >= x->c->ncols) {
		x->nf++;	/* too many: counted for the message, not kept */
		return;
	}
	if (x->nf == x->fcap) {
		size_t cap = x->fcap ? x->fcap * 2 : 8;
		if ((no = realloc(x->offs, cap * sizeof(*no))) == NULL) {
			x->failed = x->oom = true;
			return;
		}
		x->offs = no;
		if ((nl = realloc(x->lens, cap * sizeof(*nl))) == NULL) {
			x->failed = x->oom = true;
			return;
		}
		x->lens = nl;
		x->fcap = cap;
	}
	x->offs[x->nf] = x->c->text.len;
	x->lens[x->nf] = n;
	if (buf_add(&x->c->text, s ? s : "", n) == -1 || buf_addc(&x->c->text, '\0') == -1) {
		x->failed = x->oom = true;
		return;
	}
	x->nf++;
}

/* Appends the current row as row c->nrows + (header done ? 1 : 0). */
static bool
pcsv_keep_row(struct pcsv_ctx *x)
{
	struct pcsv *c = x->c;
	size_t row = x->header_done ? c->nrows + 1 : 0;

	if (row + 1 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		size_t *o, *l, *ln;
		if (cap > SIZE_MAX / (c->ncols ? c->ncols : 1) / sizeof(size_t))
			return false;
		if ((o = realloc(c->offs, cap * c->ncols * sizeof(*o))) == NULL)
			return false;
		c->offs = o;
		if ((l = realloc(c->lens, cap * c->ncols * sizeof(*l))) == NULL)
			return false;
		c->lens = l;
		if ((ln = realloc(c->lines, cap * sizeof(*ln))) == NULL)
			return false;
		c->lines = ln;
		c->cap = cap;
	}
	memcpy(c->offs + row * c->ncols, x->offs, c->ncols * sizeof(size_t));
	memcpy(c->lens + row * c->ncols, x->lens, c->ncols * sizeof(size_t));
	if (row > 0) {
		c->lines[row - 1] = x->row_line;
		c->nrows++;
	}
	return true;
}

static void
pcsv_on_row(int term, void *arg)
{
	struct pcsv_ctx *x = arg;
	size_t i;

	(void)term;
	if (x->failed)
		return;
	if (x->nf == 0)
		return;
	if (!x->header_done) {
		x->c->ncols = x->nf;
		x->c->header_line = x->row_line;
		if (!pcsv_keep_row(x)) {
			x->failed = x->oom = true;
			return;
		}
		x->header_done = true;
	} else if (x->nf != x->c->ncols) {
		pcsv_fail(x, x->row_line, "it has %zu field%s where the header has %zu", x->nf,
		    x->nf == 1 ? "" : "s", x->c->ncols);
		return;
	} else {
		for (i = 0; i < x->nf && x->lens[i] == 0; i++)
			continue;
		if (i < x->nf && !pcsv_keep_row(x)) {	/* else only empty fields */
			x->failed = x->oom = true;
			return;
		}
	}
	x->nf = 0;
	x->row_line = 0;
	/* A row ended: the next one starts on this line or a later one. */
	x->open_line = x->line;
}

/*
 * ',' or ';', whichever the header line (the first that is not blank)
 * has more of outside quotes.
 */
static char
pcsv_delim(const char *p, size_t len)
{
	size_t commas = 0, semis = 0, i = 0, start = 0;
	bool quoted = false;

	for (; i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'); i++)
		if (p[i] == '\n')
			start = i + 1;
	for (i = start; i < len && p[i] != '\n'; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && p[i] == ',')
			commas++;
		else if (!quoted && p[i] == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

void
pcsv_free(struct pcsv *c)
{
	free(c->lines);
	free(c->offs);
	free(c->lens);
	buf_free(&c->text);
	c->lines = c->offs = c->lens = NULL;
	c->nrows = c->ncols = c->cap = 0;
}

enum pcsv_rc
pcsv_read(const char *data, size_t len, struct pcsv *c)
{
	struct csv_parser p;
	struct pcsv_ctx x;
	const char *nl;
	size_t off = 0, n;
	enum pcsv_rc rc = PCSV_OK;

	memset(c, 0, sizeof(*c));
	memset(&x, 0, sizeof(x));
	x.c = c;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	c->delim = pcsv_delim(data + off, len - off);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return PCSV_NOMEM;
	csv_set_delim(&p, (unsigned char)c->delim);
	/* One line at a time, so that each row and error knows its line. */
	for (x.line = 1; off < len && !x.failed; x.line++, off += n) {
		nl = memchr(data + off, '\n', len - off);
		n = nl ? (size_t)(nl - (data + off)) + 1 : len - off;
		if (!util_utf8_valid(data + off, n)) {
			pcsv_fail(&x, x.line, "it is not valid UTF-8 text");
			break;
		}
		if (p.pstate == PCSV_ROW_NOT_BEGUN)
			x.open_line = x.line;
		if (csv_parse(&p, data + off, n, pcsv_on_field, pcsv_on_row, &x) != n) {
			if (csv_error(&p) == CSV_ENOMEM)
				x.failed = x.oom = true;
			else
				pcsv_fail(&x, x.line, "a quote is misplaced");
		}
	}
	if (!x.failed) {
		x.line--;
		if (csv_fini(&p, pcsv_on_field, pcsv_on_row, &x) != 0) {
			if (csv_error(&p) == CSV_ENOMEM)
				x.failed = x.oom = true;
			else
				pcsv_fail(&x, x.open_line ? x.open_line : 1,
				    "a quoted field is not closed");
		}
	}
	if (!x.failed && !x.header_done)
		pcsv_fail(&x, 1, "it has no header row");
	if (x.oom || c->text.oom)
		rc = PCSV_NOMEM;
	else if (x.failed)
		rc = PCSV_MALFORMED;
	csv_free(&p);
	free(x.offs);
	free(x.lens);
	if (rc != PCSV_OK) {
		size_t line = c->err_line;
		char err[sizeof(c->err)];
		memcpy(err, c->err, sizeof(err));
		pcsv_free(c);
		c->err_line = line;
		memcpy(c->err, err, sizeof(err));
	}
	return rc;
}

const char *
pcsv_cell(const struct pcsv *c, size_t row, size_t col, size_t *len)
{
	size_t i = row * c->ncols + col;

	*len = c->lens[i];
	return c->text.p + c->offs[i];
}

long
pcsv_column(const struct pcsv *c, const char *const *names)
{
	char name[64];
	const char *s;
	size_t len, a, b, k;

	for (size_t col = 0; col < c->ncols; col++) {
		s = pcsv_cell(c, 0, col, &len);
		for (a = 0; a < len && (s[a] == ' ' || s[a] == '\t'); a++)
			continue;
		for (b = len; b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'); b--)
			continue;
		if (b - a >= sizeof(name))
			continue;
		for (k = 0; a < b; a++, k++) {
			char ch = s[a];
			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			else if (ch == ' ' || ch == '-')
				ch = '_';
			name[k] = ch;
		}
		name[k] = '\0';
		for (size_t i = 0; names[i] != NULL; i++)
			if (strcmp(name, names[i]) == 0)
				return (long)col;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* The rows of each upload                                            */
/* ------------------------------------------------------------------ */

static const char *const id_cols[] = { "user_id", "id", "user", NULL };
static const char *const email_cols[] = { "email", "user_email", "e_mail", NULL };
static const char *const either_cols[] = { "user_id_or_email", "email_or_user_id",
	"user_or_email", NULL };
static const char *const ax_cols[] = { "ax_id", "ax", "axid", NULL };
static const char *const number_cols[] = { "number", "invoice", "invoice_number",
	"invoice_no", "invoice_nr", NULL };

bool
pay_key_id(const char *key, size_t len, int64_t *id)
{
	int64_t v = 0;

	if (len == 0 || len > 18)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (key[i] < '0' || key[i] > '9')
			return false;
		v = v * 10 + (key[i] - '0');
	}
	*id = v;
	return true;
}

void
pay_file_free(struct pay_file *f)
{
	pcsv_free(&f->csv);
	free(f->rows);
	f->rows = NULL;
	f->n = 0;
}

static enum pcsv_rc
pay_fail(struct pay_file *f, size_t line, const char *msg)
{
	struct pcsv *c = &f->csv;

	pay_file_free(f);
	c->err_line = line;
	snprintf(c->err, sizeof(c->err), "%s", msg);
	return PCSV_MALFORMED;
}

/* Reads the CSV and allocates f->rows; PCSV_MALFORMED when it has no rows. */
static enum pcsv_rc
pay_open(const char *data, size_t len, struct pay_file *f)
{
	enum pcsv_rc rc;

	memset(f, 0, sizeof(*f));
	if ((rc = pcsv_read(data, len, &f->csv)) != PCSV_OK)
		return rc;
	if (f->csv.nrows == 0)
		return pay_fail(f, f->csv.header_line + 1, "it has no rows after the header");
	if ((f->rows = calloc(f->csv.nrows, sizeof(*f->rows))) == NULL) {
		pay_file_free(f);
		return PCSV_NOMEM;
	}
	f->n = f->csv.nrows;
	return PCSV_OK;
}

enum pcsv_rc
pay_read_ax(const char *data, size_t len, struct pay_file *f)
{
	long idc, emc, eic, axc;
	enum pcsv_rc rc;
	size_t line, n;
	const char *s;

	if ((rc = pay_open(data, len, f)) != PCSV_OK)
		return rc;
	line = f->csv.header_line;
	idc = pcsv_column(&f->csv, id_cols);
	emc = pcsv_column(&f->csv, email_cols);
	eic = pcsv_column(&f->csv, either_cols);
	axc = pcsv_column(&f->csv, ax_cols);
	if (idc == -1 && emc == -1 && eic == -1)
		return pay_fail(f, line, "the header has no user_id or email column");
	if (axc == -1)
		return pay_fail(f, line, "the header has no ax_id column");
	for (size_t i = 0; i < f->n; i++) {
		struct pay_row *row = &f->rows[i];
		row->line = f->csv.lines[i];
		row->key = NULL;
		row->klen = 0;
		if (idc != -1 && (s = pcsv_cell(&f->csv, i + 1, (size_t)idc, &n)) && n > 0)
			row->key = s, row->klen = n;
		else if (emc != -1 && (s = pcsv_cell(&f->csv, i + 1, (size_t)emc, &n)) && n > 0)
			row->key = s, row->klen = n;
		else if (eic != -1 && (s = pcsv_cell(&f->csv, i + 1, (size_t)eic, &n)) && n > 0)
			row->key = s, row->klen = n;
		if (row->key == NULL)
			return pay_fail(f, row->line, "the user id or email is empty");
		row->ax = pcsv_cell(&f->csv, i + 1, (size_t)axc, &row->axlen);
		if (row->axlen == 0)
			return pay_fail(f, row->line, "the AX id is empty");
		if (util_utf8_len(row->ax, row->axlen) > PAY_AX_MAX)
			return pay_fail(f, row->line, "the AX id is longer than 64 characters");
	}
	return PCSV_OK;
}

enum pcsv_rc
pay_read_invoices(const char *data, size_t len, struct pay_file *f)
{
	enum pcsv_rc rc;
	long col;

	if ((rc = pay_open(data, len, f)) != PCSV_OK)
		return rc;
	col = f->csv.ncols == 1 ? 0 : pcsv_column(&f->csv, number_cols);
	if (col == -1)
		return pay_fail(f, f->csv.header_line, "the header has no number column");
	for (size_t i = 0; i < f->n; i++) {
		struct pay_row *row = &f->rows[i];
		row->line = f->csv.lines[i];
		row->key = pcsv_cell(&f->csv, i + 1, (size_t)col, &row->klen);
		if (row->klen == 0)
			return pay_fail(f, row->line, "the invoice number is empty");
	}
	return PCSV_OK;
}

/* ------------------------------------------------------------------ */
/* The requests                                                       */
/* ------------------------------------------------------------------ */

/*
 * Reads the upload's `file` part as reader reads it into f. API_OK, or
 * the error to answer (422 with the line of the first problem).
 */
static enum api_err
pay_upload(struct req *r, enum pcsv_rc (*reader)(const char *, size_t, struct pay_file *),
    struct pay_file *f)
{
	const char *ct = r->io.param(r->io.ctx, "CONTENT_TYPE");
	const struct mp_part *part = NULL;
	struct mp_form form;
	enum api_err e = API_OK;
	enum pcsv_rc rc;
	int mrc;

	memset(&form, 0, sizeof(form));
	memset(f, 0, sizeof(*f));
	if (!mp_is_form_data(ct) || r->body == NULL) {
		http_validation_error(r, "file", "The file field is required.");
		return API_VALIDATION;
	}
	mrc = mp_parse(ct, r->body, r->body_len, MAX_PARTS, &form);
	if (mrc == MP_TOO_MANY)
		e = API_TOO_LARGE;
	else if (mrc == MP_NOMEM)
		e = API_SERVER;
	else if (mrc != MP_OK || (part = mp_find(&form, "file")) == NULL) {
		http_validation_error(r, "file", "The file field is required.");
		e = API_VALIDATION;
	} else if (part->filename == NULL) {
		http_validation_error(r, "file", "The file field must be a file.");
		e = API_VALIDATION;
	} else if ((rc = reader(part->data, part->len, f)) == PCSV_NOMEM)
		e = API_SERVER;
	else if (rc == PCSV_MALFORMED) {
		http_validation_error(r, "file", "The file has an error on line %zu: %s.",
		    f->csv.err_line, f->csv.err);
		e = API_VALIDATION;
	}
	/* The rows point into the CSV's own copy, not into the body. */
	mp_free(&form);
	return e;
}

/* An index of rows sorted by key bytes, then line. */
struct key_ref {
	const struct pay_row *row;
	size_t i;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct pay_row *x = ((const struct key_ref *)a)->row,
	    *y = ((const struct key_ref *)b)->row;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int d = memcmp(x->key, y->key, n);

	if (d != 0)
		return d;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The distinct keys of rows (the first row of each), those for which
 * want(row) holds, sorted by key: *out, *nout (malloc'd).
 */
static int
distinct_keys(const struct pay_file *f, bool (*want)(const struct pay_row *),
    const struct pay_row ***out, size_t *nout)
{
	struct key_ref *refs;
	const struct pay_row **keys;
	size_t n = 0, k = 0;

	*out = NULL;
	*nout = 0;
	if ((refs = calloc(f->n ? f->n : 1, sizeof(*refs))) == NULL)
		return -1;
	for (size_t i = 0; i < f->n; i++)
		if (want(&f->rows[i]))
			refs[n].row = &f->rows[i], refs[n].i = i, n++;
	qsort(refs, n, sizeof(*refs), key_cmp);
	if ((keys = calloc(n ? n : 1, sizeof(*keys))) == NULL) {
		free(refs);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (k == 0 || keys[k - 1]->klen != refs[i].row->klen ||
		    memcmp(keys[k - 1]->key, refs[i].row->key, refs[i].row->klen) != 0)
			keys[k++] = refs[i].row;
	free(refs);
	*out = keys;
	*nout = k;
	return 0;
}

/* Binary search of key[0..len) among keys[0..n) sorted by bytes: index or -1. */
static long
find_key(const struct pay_row *const *keys, size_t n, const char *key, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, m = keys[mid]->klen < len ? keys[mid]->klen : len;
		int d = memcmp(keys[mid]->key, key, m);
		if (d == 0 && keys[mid]->klen != len)
			d = keys[mid]->klen < len ? -1 : 1;
		if (d == 0)
			return (long)mid;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Copies JSON text into an owned string for binding: NULL when out of memory. */
static char *
json_text(struct json_object *a)
{
	const char *t = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);

	return t ? strdup(t) : NULL;
}

/* ---------------- upload-ax-id-matching ---------------- */

/* What the file's keys name: a user and the AX id it has now. */
struct ax_user {
	int64_t id;		/* 0: no such user (or deleted) */
	char *ax;		/* NULL when none */
};

struct ax_ctx {
	struct pay_file *f;
	int64_t *row_user;	/* [f->n]: the user each row names, 0 none */
};

static bool
is_email_key(const struct pay_row *row)
{
	int64_t id;

	return !pay_key_id(row->key, row->klen, &id) && row->klen <= 255 &&
	    memchr(row->key, '@', row->klen) != NULL;
}

static int
u_cmp(const void *a, const void *b)
{
	return i64_cmp(&((const struct ax_user *)a)->id, &((const struct ax_user *)b)->id);
}

/* Adds row {id, ax_id} of a lookup to u[*nu]. -1 when out of memory. */
static int
ax_add_user(struct json_object *row, struct ax_user *u, size_t *nu, int64_t *id)
{
	struct json_object *v;

	json_object_object_get_ex(row, "id", &v);
	*id = u[*nu].id = json_object_get_int64(v);
	u[*nu].ax = NULL;
	if (json_object_object_get_ex(row, "ax_id", &v) && v != NULL &&
	    (u[*nu].ax = strdup(json_object_get_string(v))) == NULL)
		return -1;
	(*nu)++;
	return 0;
}

/*
 * Looks up (and locks) the users the rows name, by id and by e-mail
 * (case-insensitively, as the column's collation compares), not deleted:
 * x->row_user[i] for each row (0: none), and their current AX ids in
 * *users[0..*nusers), sorted by id, each user once.
 */
static enum api_err
ax_resolve(struct ax_ctx *x, struct ax_user **users, size_t *nusers)
{
	struct pay_file *f = x->f;
	const struct pay_row **emails = NULL;
	struct json_object *rows = NULL, *v;
	int64_t *ids = NULL, *email_user = NULL, id;
	const char **strs = NULL;
	size_t *lens = NULL, nids = 0, nemails = 0, nu = 0, k;
	struct ax_user *u = NULL, key, *hit;
	enum api_err e = API_SERVER;
	enum db_rc rc;

	*users = NULL;
	*nusers = 0;
	if ((ids = calloc(f->n, sizeof(*ids))) == NULL ||
	    (u = calloc(f->n, sizeof(*u))) == NULL ||
	    (strs = calloc(BATCH, sizeof(*strs))) == NULL ||
	    (lens = calloc(BATCH, sizeof(*lens))) == NULL)
		goto out;
	for (size_t i = 0; i < f->n; i++)
		if (pay_key_id(f->rows[i].key, f->rows[i].klen, &id))
			ids[nids++] = id;
	qsort(ids, nids, sizeof(*ids), i64_cmp);
	for (size_t i = k = 0; i < nids; i++)
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	nids = k;
	if (distinct_keys(f, is_email_key, &emails, &nemails) == -1 ||
	    (email_user = calloc(nemails ? nemails : 1, sizeof(*email_user))) == NULL)
		goto out;

	/* By id. */
	for (size_t b = 0; b < nids; b += BATCH) {
		struct sql q = { 0 };
		size_t m = nids - b < BATCH ? nids - b : BATCH;
		sql_add(&q, "SELECT u.id, u.ax_id FROM users u WHERE u.deleted_at IS NULL AND "
		    "u.id IN (SELECT j.id FROM ");
		sql_json_ints(&q, ids + b, m);
		sql_add(&q, " j) ORDER BY u.id FOR UPDATE");
		if ((rc = db_select_sql(&q, &rows)) != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
		for (size_t i = 0; i < json_object_array_length(rows); i++)
			if (ax_add_user(json_object_array_get_idx(rows, i), u, &nu, &id) == -1)
				goto out;
		json_object_put(rows);
		rows = NULL;
	}
	/* By e-mail: j.n is the address's place in the batch. */
	for (size_t b = 0; b < nemails; b += BATCH) {
		struct sql q = { 0 };
		size_t m = nemails - b < BATCH ? nemails - b : BATCH;
		for (size_t i = 0; i < m; i++)
			strs[i] = emails[b + i]->key, lens[i] = emails[b + i]->klen;
		sql_add(&q, "SELECT j.n, u.id, u.ax_id FROM ");
		sql_json_strs(&q, strs, lens, m);
		sql_add(&q, " j JOIN users u ON u.email = j.v COLLATE utf8mb4_unicode_ci "
		    "AND u.deleted_at IS NULL ORDER BY j.n FOR UPDATE");
		if ((rc = db_select_sql(&q, &rows)) != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
		for (size_t i = 0; i < json_object_array_length(rows); i++) {
			struct json_object *row = json_object_array_get_idx(rows, i);
			int64_t n;
			json_object_object_get_ex(row, "n", &v);
			n = json_object_get_int64(v);
			if (ax_add_user(row, u, &nu, &id) == -1)
				goto out;
			if (n >= 1 && (size_t)n <= m)
				email_user[b + (size_t)n - 1] = id;
		}
		json_object_put(rows);
		rows = NULL;
	}
	/* Each user once (one may be named by id and by address). */
	qsort(u, nu, sizeof(*u), u_cmp);
	for (size_t i = k = 0; i < nu; i++) {
		if (k > 0 && u[k - 1].id == u[i].id) {
			free(u[i].ax);
			continue;
		}
		u[k++] = u[i];
	}
	nu = k;
	/* Each row's user. */
	for (size_t i = 0; i < f->n; i++) {
		const struct pay_row *pr = &f->rows[i];
		long at;
		x->row_user[i] = 0;
		if (pay_key_id(pr->key, pr->klen, &key.id)) {
			if ((hit = bsearch(&key, u, nu, sizeof(*u), u_cmp)) != NULL)
				x->row_user[i] = hit->id;
		} else if ((at = find_key(emails, nemails, pr->key, pr->klen)) != -1)
			x->row_user[i] = email_user[at];
	}
	*users = u;
	*nusers = nu;
	u = NULL;
	e = API_OK;
out:
	if (u != NULL) {
		for (size_t i = 0; i < nu; i++)
			free(u[i].ax);
		free(u);
	}
	json_object_put(rows);
	free(ids);
	free(emails);
	free(email_user);
	free(strs);
	free(lens);
	return e;
}

/* Rows by user, then line: who comes first for a user, and conflicts. */
struct by_user {
	int64_t user;
	size_t i;
};

static int
by_user_cmp(const void *a, const void *b)
{
	const struct by_user *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static bool
same_ax(const struct pay_row *a, const struct pay_row *b)
{
	return a->axlen == b->axlen && memcmp(a->ax, b->ax, a->axlen) == 0;
}

static enum api_err
ax_write(struct req *r, void *arg)
{
	struct ax_ctx *x = arg;
	struct pay_file *f = x->f;
	struct ax_user *users = NULL, key, *hit;
	struct by_user *order = NULL;
	struct json_object *body = NULL, *unmatched, *item, *batch = NULL;
	size_t nusers = 0, n = 0, updated = 0, unchanged = 0, conflict = 0, nbatch = 0;
	char *text = NULL;
	enum api_err e;
	enum db_rc rc;

	if ((e = ax_resolve(x, &users, &nusers)) != API_OK)
		return e;
	e = API_SERVER;
	if ((order = calloc(f->n, sizeof(*order))) == NULL)
		goto out;
	for (size_t i = 0; i < f->n; i++)
		if (x->row_user[i] != 0)
			order[n].user = x->row_user[i], order[n].i = i, n++;
	qsort(order, n, sizeof(*order), by_user_cmp);
	/* One user, two AX ids: the file is wrong (the later line is named). */
	for (size_t k = 1, first = 0; k < n; k++) {
		if (order[k].user != order[first].user) {
			first = k;
			continue;
		}
		if (!same_ax(&f->rows[order[first].i], &f->rows[order[k].i]) &&
		    (conflict == 0 || f->rows[order[k].i].line < conflict))
			conflict = f->rows[order[k].i].line;
	}
	if (conflict != 0) {
		http_validation_error(r, "file", "The file has an error on line %zu: the user "
		    "is given another AX id on an earlier line.", conflict);
		e = API_VALIDATION;
		goto out;
	}
	if ((body = json_object_new_object()) == NULL ||
	    (unmatched = json_object_new_array()) == NULL)
		goto out;
	for (size_t k = 0; k < n; k++) {
		const struct pay_row *pr = &f->rows[order[k].i];
		if (k > 0 && order[k - 1].user == order[k].user) {
			unchanged++;
			continue;
		}
		key.id = order[k].user;
		hit = bsearch(&key, users, nusers, sizeof(*users), u_cmp);
		if (hit != NULL && hit->ax != NULL && strlen(hit->ax) == pr->axlen &&
		    memcmp(hit->ax, pr->ax, pr->axlen) == 0) {
			unchanged++;
			continue;
		}
		if (batch == NULL && (batch = json_object_new_array()) == NULL)
			goto out;
		item = json_object_new_array();
		json_object_array_add(item, json_object_new_int64(order[k].user));
		json_object_array_add(item, json_object_new_string_len(pr->ax, (int)pr->axlen));
		json_object_array_add(batch, item);
		updated++;
		if (++nbatch == BATCH || k + 1 == n) {
			struct sql q = { 0 };
			if ((text = json_text(batch)) == NULL)
				goto out;
			sql_str(&q, "UPDATE users u JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
			    "id BIGINT UNSIGNED PATH '$[0]', ax VARCHAR(64) CHARACTER SET utf8mb4 "
			    "PATH '$[1]')) j ON u.id = j.id SET u.ax_id = j.ax", text, strlen(text));
			rc = db_exec_sql(&q, NULL, NULL);
			free(text);
			text = NULL;
			json_object_put(batch);
			batch = NULL;
			nbatch = 0;
			if (rc != DB_OK) {
				e = db_api_err(rc);
				goto out;
			}
		}
	}
	if (batch != NULL) {
		struct sql q = { 0 };
		if ((text = json_text(batch)) == NULL)
			goto out;
		sql_str(&q, "UPDATE users u JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
		    "id BIGINT UNSIGNED PATH '$[0]', ax VARCHAR(64) CHARACTER SET utf8mb4 "
		    "PATH '$[1]')) j ON u.id = j.id SET u.ax_id = j.ax", text, strlen(text));
		rc = db_exec_sql(&q, NULL, NULL);
		if (rc != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
	}
	for (size_t i = 0; i < f->n; i++) {
		if (x->row_user[i] != 0)
			continue;
		item = json_object_new_object();
		json_object_object_add(item, "line", json_object_new_int64((int64_t)f->rows[i].line));
		json_object_object_add(item, "user",
		    json_object_new_string_len(f->rows[i].key, (int)f->rows[i].klen));
		json_object_array_add(unmatched, item);
	}
	json_object_object_add(body, "rows", json_object_new_int64((int64_t)f->n));
	json_object_object_add(body, "updated", json_object_new_int64((int64_t)updated));
	json_object_object_add(body, "unchanged", json_object_new_int64((int64_t)unchanged));
	json_object_object_add(body, "unmatched", unmatched);
	http_set_json(r, 200, body);
	body = NULL;
	e = API_OK;
out:
	free(text);
	json_object_put(batch);
	json_object_put(body);
	for (size_t i = 0; i < nusers; i++)
		free(users[i].ax);
	free(users);
	free(order);
	return e;
}

static enum api_err
ax_matching(struct req *r)
{
	struct pay_file f;
	struct ax_ctx x = { &f, NULL };
	enum api_err e;

	if ((e = pay_upload(r, pay_read_ax, &f)) != API_OK)
		return e;
	if ((x.row_user = calloc(f.n, sizeof(*x.row_user))) == NULL)
		e = API_SERVER;
	else
		/* Setting the same AX ids again changes nothing. */
		e = tx_run(r, TX_RERUN_SAFE, ax_write, &x);
	free(x.row_user);
	pay_file_free(&f);
	return e;
}

/* ---------------- mark-invoices-as-paid ---------------- */

static bool
is_number_key(const struct pay_row *row)
{
	return util_utf8_len(row->key, row->klen) <= PAY_NUMBER_MAX;
}

static bool
is_long_key(const struct pay_row *row)
{
	return !is_number_key(row);
}

static int
line_cmp(const void *a, const void *b)
{
	const struct pay_row *x = *(const struct pay_row *const *)a,
	    *y = *(const struct pay_row *const *)b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/* Appends the batch keys[0..m) as a JSON_TABLE with columns n and v. */
static void
keys_table(struct sql *q, const struct pay_row *const *keys, size_t m, const char **strs,
    size_t *lens)
{
	for (size_t i = 0; i < m; i++)
		strs[i] = keys[i]->key, lens[i] = keys[i]->klen;
	sql_json_strs(q, strs, lens, m);
}

static enum api_err
paid_write(struct req *r, void *arg)
{
	struct pay_file *f = arg;
	const struct pay_row **keys = NULL, **unknown = NULL, **longer = NULL;
	const char **strs = NULL;
	size_t *lens = NULL, nkeys = 0, nunknown = 0, nids = 0, nlonger = 0;
	int64_t *ids = NULL;
	uint64_t marked = 0, affected;
	struct json_object *rows = NULL, *row, *v, *body = NULL, *list, *item;
	enum api_err e = API_SERVER;
	enum db_rc rc;

	if (distinct_keys(f, is_number_key, &keys, &nkeys) == -1 ||
	    distinct_keys(f, is_long_key, &longer, &nlonger) == -1 ||
	    (unknown = calloc(f->n, sizeof(*unknown))) == NULL ||
	    (ids = calloc(nkeys ? nkeys : 1, sizeof(*ids))) == NULL ||
	    (strs = calloc(BATCH, sizeof(*strs))) == NULL ||
	    (lens = calloc(BATCH, sizeof(*lens))) == NULL)
		goto out;
	/* Numbers longer than the column's are no invoice's. */
	for (size_t i = 0; i < nlonger; i++)
		unknown[nunknown++] = longer[i];
	for (size_t b = 0; b < nkeys; b += BATCH) {
		struct sql q = { 0 };
		size_t m = nkeys - b < BATCH ? nkeys - b : BATCH;

		sql_add(&q, "UPDATE invoices i JOIN ");
		keys_table(&q, keys + b, m, strs, lens);
		sql_int(&q, " j ON i.number = j.v COLLATE utf8mb4_unicode_ci SET i.paid_at = UTC_TIMESTAMP(), i.paid_by = ? "
		    "WHERE i.paid_at IS NULL", r->caller.id);
		if ((rc = db_exec_sql(&q, &affected, NULL)) != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
		marked += affected;
		/* Their payments are paid with them, when they were not yet. */
		sql_add(&q, "UPDATE payments p JOIN invoices i ON i.payment_id = p.id JOIN ");
		keys_table(&q, keys + b, m, strs, lens);
		sql_add(&q, " j ON i.number = j.v COLLATE utf8mb4_unicode_ci SET p.paid_at = i.paid_at "
		    "WHERE p.paid_at IS NULL AND i.paid_at IS NOT NULL");
		if ((rc = db_exec_sql(&q, NULL, NULL)) != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
		sql_add(&q, "SELECT j.n, i.id FROM ");
		keys_table(&q, keys + b, m, strs, lens);
		sql_add(&q, " j LEFT JOIN invoices i ON i.number = j.v COLLATE utf8mb4_unicode_ci ORDER BY j.n");
		if ((rc = db_select_sql(&q, &rows)) != DB_OK) {
			e = db_api_err(rc);
			goto out;
		}
		for (size_t i = 0; i < json_object_array_length(rows); i++) {
			int64_t n;
			row = json_object_array_get_idx(rows, i);
			json_object_object_get_ex(row, "n", &v);
			n = json_object_get_int64(v);
			if (n < 1 || (size_t)n > m)
				continue;
			if (json_object_object_get_ex(row, "id", &v) && v != NULL)
				ids[nids++] = json_object_get_int64(v);
			else
				unknown[nunknown++] = keys[b + (size_t)n - 1];
		}
		json_object_put(rows);
		rows = NULL;
	}
	/* Invoices named twice (in another case) count once. */
	size_t distinct = 0;
	qsort(ids, nids, sizeof(*ids), i64_cmp);
	for (size_t i = 0; i < nids; i++)
		if (i == 0 || ids[i] != ids[i - 1])
			distinct++;
	qsort(unknown, nunknown, sizeof(*unknown), line_cmp);
	if ((body = json_object_new_object()) == NULL || (list = json_object_new_array()) == NULL)
		goto out;
	for (size_t i = 0; i < nunknown; i++) {
		item = json_object_new_object();
		json_object_object_add(item, "line", json_object_new_int64((int64_t)unknown[i]->line));
		json_object_object_add(item, "number",
		    json_object_new_string_len(unknown[i]->key, (int)unknown[i]->klen));
		json_object_array_add(list, item);
	}
	json_object_object_add(body, "rows", json_object_new_int64((int64_t)f->n));
	json_object_object_add(body, "marked_paid", json_object_new_int64((int64_t)marked));
	json_object_object_add(body, "already_paid",
	    json_object_new_int64((int64_t)distinct - (int64_t)marked));
	json_object_object_add(body, "unknown", list);
	http_set_json(r, 200, body);
	body = NULL;
	e = API_OK;
out:
	json_object_put(rows);
	json_object_put(body);
	free(keys);
	free(longer);
	free(unknown);
	free(ids);
	free(strs);
	free(lens);
	return e;
}

static enum api_err
mark_paid(struct req *r)
{
	struct pay_file f;
	enum api_err e;

	if ((e = pay_upload(r, pay_read_invoices, &f)) != API_OK)
		return e;
	/* Paid stays paid (when and by whom): running it again changes nothing. */
	e = tx_run(r, TX_RERUN_SAFE, paid_write, &f);
	pay_file_free(&f);
	return e;
}

const struct handler h_payments_ax_matching = HANDLER_UPLOAD(ax_matching);
const struct handler h_payments_mark_paid = HANDLER_UPLOAD(mark_paid);
