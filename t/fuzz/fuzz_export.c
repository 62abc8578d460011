/*
 * Fuzz target: one export row (any JSON object) through the CSV and the
 * JSON-lines writers (src/export_file.c), read back with libcsv.
 *
 * Checks: the CSV file starts with the UTF-8 BOM and parses strictly into
 * the header and one record of the columns' count; the header cells are
 * the columns; a cell that begins with a character a spreadsheet would
 * run ('=', '+', '-', '@', tab, CR, LF) holds a number; the JSON line is
 * one object with the row's keys, ended by a newline.
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "export_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_COLS 16

static char dir[64];

struct rec {
	char *cells[MAX_COLS + 2];
	size_t ncells;
	size_t nrecords;
	char *first[MAX_COLS + 2];	/* the header record's cells */
	size_t nfirst;
};

static void
on_field(void *s, size_t len, void *ctx)
{
	struct rec *r = ctx;
	char *c;

	if (r->ncells >= MAX_COLS + 2)
		abort();	/* more cells than columns */
	if ((c = malloc(len + 1)) == NULL)
		abort();
	memcpy(c, s, len);
	c[len] = '\0';
	r->cells[r->ncells++] = c;
}

static void
on_record(int ch, void *ctx)
{
	struct rec *r = ctx;

	(void)ch;
	if (r->nrecords > 1)
		abort();	/* one row makes two records */
	if (r->nrecords == 0) {
		memcpy(r->first, r->cells, sizeof(r->cells));
		r->nfirst = r->ncells;
		r->ncells = 0;
	}
	r->nrecords++;	/* the row's cells stay in cells */
}

/* RFC 4180: blanks are part of a field (libcsv trims them by default). */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)len + 1)) == NULL)
		abort();
	if (fread(p, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	p[len] = '\0';
	*n = (size_t)len;
	return p;
}

/* The value at a dotted path of row, or NULL. */
static struct json_object *
at_path(struct json_object *row, const char *path)
{
	char key[256];
	const char *dot;

	for (;;) {
		dot = strchr(path, '.');
		snprintf(key, sizeof(key), "%.*s", dot ? (int)(dot - path) : (int)strlen(path),
		    path);
		if (!json_object_is_type(row, json_type_object) ||
		    !json_object_object_get_ex(row, key, &row))
			return NULL;
		if (dot == NULL)
			return row;
		path = dot + 1;
	}
}

static void
check_csv(struct json_object *row, const char *const *cols, size_t ncols, const char *path)
{
	struct csv_parser p;
	struct rec r = { 0 };
	size_t n;
	char *text = slurp(path, &n);

	if (n < 3 || memcmp(text, "\xef\xbb\xbf", 3) != 0)
		abort();
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	csv_set_space_func(&p, no_space);
	if (csv_parse(&p, text + 3, n - 3, on_field, on_record, &r) != n - 3 ||
	    csv_fini(&p, on_field, on_record, &r) != 0)
		abort();	/* what the writer wrote is not strict CSV */
	csv_free(&p);
	if (r.nrecords != 2 || r.nfirst != ncols)
		abort();
	for (size_t i = 0; i < ncols; i++) {
		if (strcmp(r.first[i], cols[i]) != 0)
			abort();
		const char *c = r.cells[i];
		if (c != NULL && c[0] != '\0' && strchr("=+-@\t\r\n", c[0]) != NULL) {
			struct json_object *v = at_path(row, cols[i]);
			if (!json_object_is_type(v, json_type_int) &&
			    !json_object_is_type(v, json_type_double))
				abort();	/* a formula a spreadsheet would run */
		}
	}
	for (size_t i = 0; i < r.nfirst; i++)
		free(r.first[i]);
	for (size_t i = 0; i < r.ncells; i++)
		free(r.cells[i]);
	free(text);
}

static void
check_json(struct json_object *row, const char *path)
{
	size_t n;
	char *text = slurp(path, &n);
	struct json_object *back;

	if (n == 0 || text[n - 1] != '\n' || memchr(text, '\n', n - 1) != NULL)
		abort();
	text[n - 1] = '\0';
	if ((back = json_tokener_parse(text)) == NULL ||
	    !json_object_is_type(back, json_type_object) ||
	    json_object_object_length(back) != json_object_object_length(row))
		abort();
	json_object_put(back);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = { "a", "b", "a.b", "a.b.c", "s", "n" };
	const char *cols[MAX_COLS];
	size_t ncols = 0;
	struct json_tokener *tok;
	struct json_object *row;
	struct export_file *x;
	char path[128], err[512];
	int64_t bytes;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/fuzz-export.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
	}
	if ((tok = json_tokener_new_ex(32)) == NULL)
		return 0;
	row = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (row == NULL || !json_object_is_type(row, json_type_object)) {
		json_object_put(row);
		return 0;
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		cols[ncols++] = fixed[i];
	json_object_object_foreach(row, k, v) {
		(void)v;
		/* Column names are program text: no dots, nothing to guard. */
		if (ncols < MAX_COLS && strchr(k, '.') == NULL && strlen(k) < 200 &&
		    strchr("=+-@\t\r\n", k[0]) == NULL)
			cols[ncols++] = k;
	}
	snprintf(path, sizeof(path), "%s/row.csv", dir);
	if ((x = export_file_open(EXPORT_CSV, path, cols, ncols, dir, err, sizeof(err))) == NULL)
		abort();
	if (export_file_row(x, row, err, sizeof(err)) != 0)
		abort();
	if (export_file_finish(x, &bytes, err, sizeof(err)) != 0)
		abort();
	check_csv(row, cols, ncols, path);
	unlink(path);

	snprintf(path, sizeof(path), "%s/row.jsonl", dir);
	if ((x = export_file_open(EXPORT_JSON, path, NULL, 0, dir, err, sizeof(err))) == NULL)
		abort();
	if (export_file_row(x, row, err, sizeof(err)) != 0)
		abort();
	if (export_file_finish(x, &bytes, err, sizeof(err)) != 0)
		abort();
	check_json(row, path);
	unlink(path);
	json_object_put(row);
	return 0;
}
