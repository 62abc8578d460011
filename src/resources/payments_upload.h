/*
 * payments_upload.h -- reading the payments CSV uploads (payments_upload.c):
 * the file as libcsv reads it (RFC 4180 quoting), then the rows of each
 * upload. Exposed for the fuzz target (t/fuzz/fuzz_csv.c).
 *
 * A file is UTF-8 text, with or without a byte order mark; its first row
 * is a header; fields are separated by commas or semicolons, whichever
 * the header line has more of outside quotes (a comma when it has
 * neither); lines end in LF or CRLF. Fields are trimmed of spaces and
 * tabs outside quotes. Blank lines and rows of only empty fields are
 * skipped. Lines are counted from 1 at the file's first byte; a row's
 * line is where it starts (a quoted field may span lines).
 */
#ifndef METAPIC_PAYMENTS_UPLOAD_H
#define METAPIC_PAYMENTS_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util.h"

enum pcsv_rc {
	PCSV_OK = 0,
	PCSV_MALFORMED = -1,	/* err_line and err say where and what: 422 */
	PCSV_NOMEM = -2,	/* 500 */
};

/* A file read by pcsv_read(): its header (row 0) and data rows. */
struct pcsv {
	size_t ncols;		/* fields of the header; every row has as many */
	size_t nrows;		/* data rows, the header not counted */
	size_t *lines;		/* [nrows]: the line each data row starts on */
	size_t *offs;		/* [(nrows + 1) * ncols]: cells' offsets in text */
	size_t *lens;		/* the same cells' lengths in bytes */
	size_t cap;		/* rows the arrays hold */
	size_t header_line;
	struct buf text;	/* every cell, each followed by a NUL */
	char delim;		/* ',' or ';' */
	size_t err_line;	/* PCSV_MALFORMED: the line of the first problem */
	char err[160];		/* and what it is: "a quote is misplaced" */
};

/*
 * Reads data[0..len) into c (zeroed first). PCSV_OK: free c with
 * pcsv_free(). Otherwise c holds nothing allocated; on PCSV_MALFORMED
 * err_line and err are set. A file without a header row is malformed
 * (line 1), as is a row with another number of fields than the header,
 * invalid UTF-8, a NUL byte, or a quote out of place.
 */
enum pcsv_rc pcsv_read(const char *data, size_t len, struct pcsv *c);

/* Cell col of row (0: the header, 1..nrows: data rows): NUL-terminated. */
const char *pcsv_cell(const struct pcsv *c, size_t row, size_t col, size_t *len);

/*
 * The first header column whose name, lower-cased with spaces and '-' as
 * '_', is one of names (NULL-terminated), or -1.
 */
long pcsv_column(const struct pcsv *c, const char *const *names);

/* Frees what c holds and zeroes it; safe twice. */
void pcsv_free(struct pcsv *c);

/* One data row of an upload, pointing into its struct pcsv. */
struct pay_row {
	size_t line;
	const char *key;	/* the user id or email; the invoice number */
	size_t klen;
	const char *ax;		/* the AX id (AX uploads only) */
	size_t axlen;
};

struct pay_file {
	struct pcsv csv;
	struct pay_row *rows;
	size_t n;
};

#define PAY_AX_MAX 64		/* characters of users.ax_id */
#define PAY_NUMBER_MAX 64	/* characters of invoices.number */

/*
 * Reads an AX matching file: a header naming the user column (user_id,
 * id, user, email, user_email, user_id_or_email, email_or_user_id) and
 * the AX column (ax_id, ax, axid); each row a user id or e-mail address
 * and an AX id of 1-64 characters. With both a user_id and an email
 * column, a row's user id wins, its e-mail is taken when the id is empty.
 * Returns as pcsv_read; *f freed with pay_file_free() on PCSV_OK, and
 * f->csv.err_line/err set on PCSV_MALFORMED.
 */
enum pcsv_rc pay_read_ax(const char *data, size_t len, struct pay_file *f);

/*
 * Reads an invoice file: the column named number, invoice, invoice_number,
 * invoice_no or invoice_nr (any name when it is the only column); each
 * row an invoice number, not empty. As pay_read_ax otherwise.
 */
enum pcsv_rc pay_read_invoices(const char *data, size_t len, struct pay_file *f);

void pay_file_free(struct pay_file *f);

/*
 * The user id a key names: all digits, 1 to 18 of them, without a sign.
 * Returns true and sets *id, else false (an e-mail address, or nothing).
 */
bool pay_key_id(const char *key, size_t len, int64_t *id);

#endif
