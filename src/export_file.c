/*
 * export_file.c -- one export's rows as CSV, XLSX or JSON lines (see
 * export_file.h).
 *
 * CSV and JSON lines go through stdio with a large buffer on the O_EXCL
 * descriptor. XLSX goes through libxlsxwriter in constant-memory mode: it
 * keeps each sheet's rows in a temp file under tmpdir and writes the zip
 * to path only in workbook_close (it opens path again then, by name, and
 * truncates the empty file we created, so its mode stays as made).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <xlsxwriter.h>

#include "export_file.h"
#include "log.h"
#include "util.h"

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* The stdio buffer of CSV and JSON lines files. */
#define EXPORT_IOBUF (256 * 1024)

/* Excel's limits: characters in a cell; the largest exact integer. */
#define XLSX_STR_MAX 32767
#define XLSX_INT_MAX (INT64_C(1) << 53)

struct export_col {
	char *text;	/* the path as given: the header cell */
	char *keys;	/* the path's keys, each NUL-terminated */
	size_t nkeys;
	bool date;	/* XLSX: a date (or date-time) string is a date cell */
};

struct export_file {
	enum export_format fmt;
	char *path;
	int fd;			/* the O_EXCL descriptor, -1 once closed */
	FILE *fp;		/* CSV, JSON: stdio on fd */
	char *iobuf;		/* its buffer */
	struct export_col *cols;
	size_t ncols;
	struct buf line;	/* CSV: the row being built */
	struct buf cell;	/* XLSX: a string cell's cut or cleaned text */
	char *tmpdir;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *date, *datetime;
	lxw_row_t row;		/* the next row of ws */
	unsigned sheets;
	bool failed;
};

static const struct {
	const char *name, *ext, *type;
} formats[] = {
	[EXPORT_CSV] = { "csv", "csv", "text/csv; charset=utf-8" },
	[EXPORT_XLSX] = { "xlsx", "xlsx",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	[EXPORT_JSON] = { "json", "jsonl", "application/x-ndjson" },
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

int
export_format_parse(const char *s)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(s, formats[i].name) == 0)
			return (int)i;
	return -1;
}

const char *
export_format_ext(enum export_format f)
{
	return (unsigned)f < NFORMATS ? formats[f].ext : NULL;
}

const char *
export_format_type(enum export_format f)
{
	return (unsigned)f < NFORMATS ? formats[f].type : NULL;
}

/* ---- errors ------------------------------------------------------------ */

static void
set_err(char *err, size_t errsz, const char *msg)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "%s", msg);
}

/* The message for a failed write with errno e. */
static void
set_io_err(char *err, size_t errsz, int e)
{
	if (err == NULL || errsz == 0)
		return;
	if (e == ENOSPC || e == EDQUOT)
		snprintf(err, errsz, "The disk is full.");
	else if (e == EFBIG)
		snprintf(err, errsz, "The export file is too large.");
	else if (e == ENOMEM)
		snprintf(err, errsz, "Out of memory.");
	else
		snprintf(err, errsz, "Could not write the export file: %s.", strerror(e));
}

static void
set_lxw_err(char *err, size_t errsz, lxw_error e)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "Could not write the spreadsheet: %s", lxw_strerror(e));
}

/* ---- cells ------------------------------------------------------------- */

/* The value at column c of row (borrowed), or NULL for an empty cell. */
static struct json_object *
col_value(const struct export_col *c, struct json_object *row)
{
	struct json_object *cur = row;
	const char *k = c->keys;

	for (size_t i = 0; i < c->nkeys; i++) {
		if (!json_object_is_type(cur, json_type_object) ||
		    !json_object_object_get_ex(cur, k, &cur))
			return NULL;
		k += strlen(k) + 1;
	}
	return json_object_is_type(cur, json_type_null) ? NULL : cur;
}

/* Appends s[0..n) as one CSV field: guard is the apostrophe or 0. */
static void
csv_field(struct buf *b, const char *s, size_t n, char guard)
{
	bool quote = false;

	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (quote)
		buf_addc(b, '"');
	if (guard)
		buf_addc(b, guard);
	if (!quote) {
		buf_add(b, s, n);
		return;
	}
	for (size_t i = 0, start = 0; i <= n; i++) {
		if (i == n || s[i] == '"') {
			buf_add(b, s + start, i - start + (i < n));
			start = i;	/* the quote goes out twice */
		}
	}
	buf_addc(b, '"');
}

static void
csv_string(struct buf *b, const char *s, size_t n)
{
	char guard = 0;

	if (n > 0 && strchr("=+-@\t\r\n", s[0]) != NULL)
		guard = '\'';
	csv_field(b, s, n, guard);
}

void
export_csv_cell(struct buf *b, struct json_object *v)
{
	const char *s;
	size_t n;

	switch (json_object_get_type(v)) {
	case json_type_null:
		break;
	case json_type_boolean:
		buf_adds(b, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_string:
		csv_string(b, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		break;
	default:
		/* Numbers, objects and arrays: their JSON text, never guarded. */
		if ((s = json_object_to_json_string_length(v, JSON_FLAGS, &n)) == NULL) {
			b->oom = 1;
			break;
		}
		csv_field(b, s, n, 0);
		break;
	}
}

/* ---- XLSX -------------------------------------------------------------- */

static int
dig(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * Parses "YYYY-MM-DD" (*has_time = false) or
 * "YYYY-MM-DD[T ]HH:MM:SS[.digits][Z]" into dt. Returns 0, or -1 for
 * anything else, a date that does not exist, or a year outside Excel's
 * 1900-9999.
 */
static int
xlsx_parse_date(const char *s, size_t n, lxw_datetime *dt, bool *has_time)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, leap;
	size_t i;

	memset(dt, 0, sizeof(*dt));
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if ((y = dig(s, 4)) < 1900 || y > 9999 || (m = dig(s + 5, 2)) < 1 || m > 12 ||
	    (d = dig(s + 8, 2)) < 1)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	dt->year = y;
	dt->month = m;
	dt->day = d;
	if ((*has_time = n > 10) == false)
		return 0;
	if (n < 19 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return -1;
	if ((dt->hour = dig(s + 11, 2)) < 0 || dt->hour > 23 ||
	    (dt->min = dig(s + 14, 2)) < 0 || dt->min > 59 ||
	    (dt->sec = dig(s + 17, 2)) < 0 || dt->sec > 59)
		return -1;
	i = 19;
	if (i < n && s[i] == '.') {
		double frac = 0, scale = 1;

		if (++i == n || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (scale > 1e-9) {
				scale /= 10;
				frac += (s[i] - '0') * scale;
			}
		dt->sec += frac;
	}
	if (i < n && s[i] == 'Z')
		i++;
	return i == n ? 0 : -1;
}

/* Writes string s[0..n) (not always NUL-terminated at n) as a text cell. */
static lxw_error
xlsx_string(struct export_file *x, lxw_row_t r, lxw_col_t c, const char *s, size_t n,
    lxw_format *fmt)
{
	size_t chars = 0, i;

	x->cell.len = 0;
	if (!util_utf8_valid(s, n)) {
		if (util_utf8_sanitize(&x->cell, s, n) == -1)
			return LXW_ERROR_MEMORY_MALLOC_FAILED;
		s = x->cell.p;
		n = x->cell.len;
	}
	/* Cut at the start of character XLSX_STR_MAX + 1, if any. */
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == XLSX_STR_MAX)
			break;
	if (i < n || s[n] != '\0') {
		if (s != x->cell.p && buf_add(&x->cell, s, i) == -1)
			return LXW_ERROR_MEMORY_MALLOC_FAILED;
		x->cell.len = i;
		x->cell.p[i] = '\0';
		s = x->cell.p;
	}
	/* An empty string: an empty cell (buf's p is NULL until used). */
	if (s == NULL || *s == '\0')
		return LXW_NO_ERROR;
	return worksheet_write_string(x->ws, r, c, s, fmt);
}

static lxw_error
xlsx_cell(struct export_file *x, lxw_row_t r, lxw_col_t c, struct json_object *v)
{
	const char *s;
	size_t n;
	lxw_datetime dt;
	bool has_time;
	int64_t i;
	double d;
	char *end;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return LXW_NO_ERROR;
	case json_type_boolean:
		return worksheet_write_boolean(x->ws, r, c, json_object_get_boolean(v), NULL);
	case json_type_int:
		i = json_object_get_int64(v);
		if (i >= -XLSX_INT_MAX && i <= XLSX_INT_MAX)
			return worksheet_write_number(x->ws, r, c, (double)i, NULL);
		break;
	case json_type_double:
		if ((s = json_object_to_json_string_length(v, JSON_FLAGS, &n)) == NULL)
			return LXW_ERROR_MEMORY_MALLOC_FAILED;
		d = strtod(s, &end);
		if (end != s && *end == '\0' && isfinite(d))
			return worksheet_write_number(x->ws, r, c, d, NULL);
		break;
	case json_type_string:
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		if (x->cols[c].date && xlsx_parse_date(s, n, &dt, &has_time) == 0)
			return worksheet_write_datetime(x->ws, r, c, &dt,
			    has_time ? x->datetime : x->date);
		return xlsx_string(x, r, c, s, n, NULL);
	default:
		break;
	}
	/* Objects, arrays, integers beyond 2^53, odd doubles: exact text. */
	if ((s = json_object_to_json_string_length(v, JSON_FLAGS, &n)) == NULL)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	return xlsx_string(x, r, c, s, n, NULL);
}

/* Adds sheet "Export" or "Export N" with the frozen bold header row. */
static lxw_error
xlsx_add_sheet(struct export_file *x)
{
	char name[32];
	lxw_error e;

	if (x->sheets == 0)
		snprintf(name, sizeof(name), "Export");
	else
		snprintf(name, sizeof(name), "Export %u", x->sheets + 1);
	if ((x->ws = workbook_add_worksheet(x->wb, name)) == NULL)
		return LXW_ERROR_CREATING_TMPFILE;
	x->sheets++;
	worksheet_freeze_panes(x->ws, 1, 0);
	for (size_t c = 0; c < x->ncols; c++) {
		e = xlsx_string(x, 0, (lxw_col_t)c, x->cols[c].text, strlen(x->cols[c].text),
		    x->bold);
		if (e != LXW_NO_ERROR)
			return e;
	}
	x->row = 1;
	return LXW_NO_ERROR;
}

static int
xlsx_open(struct export_file *x, char *err, size_t errsz)
{
	lxw_workbook_options o = { .constant_memory = LXW_TRUE, .tmpdir = x->tmpdir };
	struct stat st;
	lxw_error e;

	/* libxlsxwriter would quietly fall back to /tmp. */
	if (x->tmpdir != NULL && (stat(x->tmpdir, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    access(x->tmpdir, W_OK | X_OK) == -1)) {
		/* The path is the server's business: the log has it, not the user. */
		log_warn("export: the temporary directory %s is not usable", x->tmpdir);
		set_err(err, errsz, "The server's temporary directory is not usable.");
		return -1;
	}
	if ((x->wb = workbook_new_opt(x->path, &o)) == NULL) {
		set_err(err, errsz, "Out of memory.");
		return -1;
	}
	if ((x->bold = workbook_add_format(x->wb)) == NULL ||
	    (x->date = workbook_add_format(x->wb)) == NULL ||
	    (x->datetime = workbook_add_format(x->wb)) == NULL) {
		set_err(err, errsz, "Out of memory.");
		return -1;
	}
	format_set_bold(x->bold);
	format_set_num_format(x->date, "yyyy-mm-dd");
	format_set_num_format(x->datetime, "yyyy-mm-dd hh:mm:ss");
	if ((e = xlsx_add_sheet(x)) != LXW_NO_ERROR) {
		if (e == LXW_ERROR_CREATING_TMPFILE) {
			log_warn("export: no temporary file in %s",
			    x->tmpdir != NULL ? x->tmpdir : "the system's directory");
			set_err(err, errsz, "Could not create a temporary file.");
		} else
			set_lxw_err(err, errsz, e);
		return -1;
	}
	return 0;
}

static int
xlsx_row(struct export_file *x, struct json_object *row, char *err, size_t errsz)
{
	lxw_error e;

	if (x->row >= LXW_ROW_MAX && (e = xlsx_add_sheet(x)) != LXW_NO_ERROR) {
		set_lxw_err(err, errsz, e);
		return -1;
	}
	for (size_t c = 0; c < x->ncols; c++) {
		e = xlsx_cell(x, x->row, (lxw_col_t)c, col_value(&x->cols[c], row));
		if (e != LXW_NO_ERROR) {
			set_lxw_err(err, errsz, e);
			return -1;
		}
	}
	x->row++;
	return 0;
}

/* ---- CSV and JSON lines ------------------------------------------------ */

static int
stdio_write(struct export_file *x, const char *s, size_t n, char *err, size_t errsz)
{
	errno = 0;
	if (fwrite(s, 1, n, x->fp) != n) {
		set_io_err(err, errsz, errno ? errno : EIO);
		return -1;
	}
	return 0;
}

static int
csv_row(struct export_file *x, struct json_object *row, char *err, size_t errsz)
{
	x->line.len = 0;
	for (size_t c = 0; c < x->ncols; c++) {
		if (c > 0)
			buf_addc(&x->line, ',');
		if (row == NULL)
			csv_string(&x->line, x->cols[c].text, strlen(x->cols[c].text));
		else
			export_csv_cell(&x->line, col_value(&x->cols[c], row));
	}
	buf_add(&x->line, "\r\n", 2);
	if (x->line.oom) {
		set_err(err, errsz, "Out of memory.");
		return -1;
	}
	return stdio_write(x, x->line.p, x->line.len, err, errsz);
}

static int
json_row(struct export_file *x, struct json_object *row, char *err, size_t errsz)
{
	const char *s;
	size_t n;

	if ((s = json_object_to_json_string_length(row, JSON_FLAGS, &n)) == NULL) {
		set_err(err, errsz, "Out of memory.");
		return -1;
	}
	if (stdio_write(x, s, n, err, errsz) == -1)
		return -1;
	return stdio_write(x, "\n", 1, err, errsz);
}

/* ---- the writer -------------------------------------------------------- */

/*
 * Whether every sheet's constant-memory temp file took all its rows:
 * libxlsxwriter writes them unchecked and would zip a truncated sheet.
 * Returns 0, or the errno of the failure.
 */
static int
xlsx_tmpfiles_check(struct export_file *x)
{
	lxw_worksheet *ws;

	STAILQ_FOREACH(ws, x->wb->worksheets, list_pointers) {
		errno = 0;
		if (ws->optimize_tmpfile != NULL &&
		    (fflush(ws->optimize_tmpfile) != 0 || ferror(ws->optimize_tmpfile)))
			return errno ? errno : EIO;
	}
	return 0;
}

/* Frees everything of x but removes nothing; x may be half built. */
static void
export_file_free(struct export_file *x)
{
	lxw_worksheet *ws;

	if (x->wb != NULL) {
		/* lxw_workbook_free leaves the sheets' temp files open. */
		STAILQ_FOREACH(ws, x->wb->worksheets, list_pointers) {
			if (ws->optimize_tmpfile != NULL)
				fclose(ws->optimize_tmpfile);
			ws->optimize_tmpfile = NULL;
		}
		lxw_workbook_free(x->wb);
	}
	/* Only after a failure or an abort: nothing to report then. */
	if (x->fp != NULL)
		fclose(x->fp);
	else if (x->fd >= 0)
		close(x->fd);
	for (size_t c = 0; c < x->ncols; c++) {
		free(x->cols[c].text);
		free(x->cols[c].keys);
	}
	free(x->cols);
	free(x->iobuf);
	free(x->tmpdir);
	free(x->path);
	buf_free(&x->line);
	buf_free(&x->cell);
	free(x);
}

static int
cols_copy(struct export_file *x, const char *const *columns, size_t ncolumns)
{
	if ((x->cols = calloc(ncolumns, sizeof(*x->cols))) == NULL)
		return -1;
	for (size_t c = 0; c < ncolumns; c++, x->ncols++) {
		struct export_col *col = &x->cols[c];

		if ((col->text = strdup(columns[c])) == NULL ||
		    (col->keys = strdup(columns[c])) == NULL)
			return -1;
		col->nkeys = 1;
		for (char *p = col->keys; (p = strchr(p, '.')) != NULL; col->nkeys++)
			*p++ = '\0';
	}
	return 0;
}

struct export_file *
export_file_open(enum export_format f, const char *path, const char *const *columns,
    size_t ncolumns, const char *tmpdir, char *err, size_t errsz)
{
	struct export_file *x = NULL;
	bool created = false;

	set_err(err, errsz, "");
	if ((unsigned)f >= NFORMATS || path == NULL || *path == '\0') {
		set_err(err, errsz, "Invalid export format or path.");
		return NULL;
	}
	if (f != EXPORT_JSON && (ncolumns == 0 || ncolumns > LXW_COL_MAX || columns == NULL)) {
		set_err(err, errsz, "An export needs 1 to 16384 columns.");
		return NULL;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL)
		goto oom;
	x->fmt = f;
	x->fd = -1;
	if ((x->path = strdup(path)) == NULL ||
	    (tmpdir != NULL && (x->tmpdir = strdup(tmpdir)) == NULL))
		goto oom;
	if (f != EXPORT_JSON && cols_copy(x, columns, ncolumns) == -1)
		goto oom;

	if ((x->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) == -1) {
		if (errno == EEXIST)
			set_err(err, errsz, "The export file already exists.");
		else if (err != NULL && errsz > 0)
			snprintf(err, errsz, "Could not create the export file: %s.",
			    strerror(errno));
		goto fail;
	}
	created = true;

	if (f == EXPORT_XLSX) {
		if (xlsx_open(x, err, errsz) == -1)
			goto fail;
		return x;
	}
	if ((x->iobuf = malloc(EXPORT_IOBUF)) == NULL)
		goto oom;
	if ((x->fp = fdopen(x->fd, "w")) == NULL) {
		set_io_err(err, errsz, errno);
		goto fail;
	}
	if (setvbuf(x->fp, x->iobuf, _IOFBF, EXPORT_IOBUF) != 0)
		goto oom;
	if (f == EXPORT_CSV && (stdio_write(x, "\xEF\xBB\xBF", 3, err, errsz) == -1 ||
	    csv_row(x, NULL, err, errsz) == -1))
		goto fail;
	return x;
oom:
	set_err(err, errsz, "Out of memory.");
fail:
	if (x != NULL) {
		if (created)
			unlink(x->path);
		export_file_free(x);
	}
	return NULL;
}

int
export_file_row(struct export_file *x, struct json_object *row, char *err, size_t errsz)
{
	int rc;

	if (x->failed) {
		set_err(err, errsz, "The export file had failed before.");
		return -1;
	}
	if (!json_object_is_type(row, json_type_object)) {
		set_err(err, errsz, "An export row must be a JSON object.");
		rc = -1;
	} else if (x->fmt == EXPORT_XLSX)
		rc = xlsx_row(x, row, err, errsz);
	else if (x->fmt == EXPORT_CSV)
		rc = csv_row(x, row, err, errsz);
	else
		rc = json_row(x, row, err, errsz);
	if (rc == -1)
		x->failed = true;
	return rc;
}

int
export_file_finish(struct export_file *x, int64_t *bytes, char *err, size_t errsz)
{
	struct stat st;
	lxw_error e;
	int rc = -1, e2;

	if (x->failed) {
		set_err(err, errsz, "The export file had failed before.");
		goto out;
	}
	if (x->wb != NULL) {
		if ((e2 = xlsx_tmpfiles_check(x)) != 0) {
			set_io_err(err, errsz, e2);
			goto out;
		}
		/* workbook_close frees the workbook whatever it returns. */
		errno = 0;
		e = workbook_close(x->wb);
		x->wb = NULL;
		if (e != LXW_NO_ERROR) {
			if (errno == ENOSPC || errno == EDQUOT)
				set_io_err(err, errsz, errno);
			else
				set_lxw_err(err, errsz, e);
			goto out;
		}
	} else {
		errno = 0;
		if (fflush(x->fp) != 0) {
			set_io_err(err, errsz, errno ? errno : EIO);
			goto out;
		}
	}
	/* fd is the same file as the one libxlsxwriter wrote by its name. */
	if (fsync(x->fd) == -1 || fstat(x->fd, &st) == -1) {
		set_io_err(err, errsz, errno);
		goto out;
	}
	if (x->fp != NULL) {
		rc = fclose(x->fp);
		x->fp = NULL;
	} else
		rc = close(x->fd);
	x->fd = -1;
	if (rc != 0) {
		rc = -1;
		set_io_err(err, errsz, errno);
		goto out;
	}
	if (bytes != NULL)
		*bytes = (int64_t)st.st_size;
	rc = 0;
out:
	if (rc == -1)
		unlink(x->path);
	export_file_free(x);
	return rc;
}

void
export_file_abort(struct export_file *x)
{
	if (x == NULL)
		return;
	/* Removed first, so that stdio's flush at fclose lands nowhere. */
	unlink(x->path);
	export_file_free(x);
}

void
export_file_dates(struct export_file *x, const bool *dates)
{
	for (size_t c = 0; x != NULL && dates != NULL && c < x->ncols; c++)
		x->cols[c].date = dates[c];
}
