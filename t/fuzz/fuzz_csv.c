/*
 * Fuzz target: the payments CSV uploads as their handlers read them
 * (src/resources/payments_upload.c: libcsv, then each upload's rows).
 *
 * Checks: a refusal holds nothing and names a line of the file (1 to
 * its line count + 1) and a reason; an acceptance has every row on a
 * line of the file, in order (two rows may share a line ended by a bare CR), each with the header's number
 * of cells, each cell NUL-terminated inside the text and of valid UTF-8;
 * the AX reader's rows have a key and an AX id of 1-64 characters; the
 * invoice reader's a number. Both readers agree on the CSV itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "resources/payments_upload.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
count_lines(const char *p, size_t n)
{
	size_t lines = 1;

	for (size_t i = 0; i < n; i++)
		if (p[i] == '\n')
			lines++;
	return lines;
}

static void
check_refusal(const struct pay_file *f, size_t lines)
{
	if (f->rows != NULL || f->n != 0 || f->csv.offs != NULL || f->csv.text.p != NULL)
		abort();
	if (f->csv.err_line < 1 || f->csv.err_line > lines + 1 || f->csv.err[0] == '\0')
		abort();
}

static void
check_csv(const struct pcsv *c, size_t lines)
{
	size_t prev = 0, len;
	const char *s;

	if (c->ncols == 0 || (c->delim != ',' && c->delim != ';'))
		abort();
	if (c->header_line < 1 || c->header_line > lines)
		abort();
	prev = c->header_line;
	for (size_t r = 0; r <= c->nrows; r++) {
		if (r > 0) {
			if (c->lines[r - 1] < prev || c->lines[r - 1] > lines)
				abort();
			prev = c->lines[r - 1];
		}
		for (size_t k = 0; k < c->ncols; k++) {
			s = pcsv_cell(c, r, k, &len);
			if (s < c->text.p || s + len >= c->text.p + c->text.len || s[len] != '\0')
				abort();
			if (!util_utf8_valid(s, len))
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pay_file ax, inv;
	enum pcsv_rc a, b;
	size_t lines;
	char *copy;

	/* A copy of exactly size bytes, so that ASan sees any overread. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	lines = count_lines(copy, size);

	a = pay_read_ax(copy, size, &ax);
	if (a == PCSV_OK) {
		check_csv(&ax.csv, lines);
		if (ax.n != ax.csv.nrows || ax.n == 0)
			abort();
		for (size_t i = 0; i < ax.n; i++)
			if (ax.rows[i].klen == 0 || ax.rows[i].axlen == 0 ||
			    util_utf8_len(ax.rows[i].ax, ax.rows[i].axlen) > PAY_AX_MAX ||
			    ax.rows[i].line != ax.csv.lines[i])
				abort();
		pay_file_free(&ax);
	} else if (a == PCSV_MALFORMED)
		check_refusal(&ax, lines);

	b = pay_read_invoices(copy, size, &inv);
	if (b == PCSV_OK) {
		check_csv(&inv.csv, lines);
		for (size_t i = 0; i < inv.n; i++)
			if (inv.rows[i].klen == 0 || inv.rows[i].line != inv.csv.lines[i])
				abort();
		pay_file_free(&inv);
	} else if (b == PCSV_MALFORMED)
		check_refusal(&inv, lines);

	/* The same bytes are the same CSV to both. */
	struct pcsv c;
	enum pcsv_rc rc = pcsv_read(copy, size, &c);
	if (rc == PCSV_OK) {
		check_csv(&c, lines);
		pcsv_free(&c);
	} else if (rc == PCSV_MALFORMED && (a == PCSV_OK || b == PCSV_OK))
		abort();
	free(copy);
	return 0;
}
