/*
 * export_file.h -- writing one export's rows to a file as CSV, XLSX or
 * JSON lines (the export worker's output; see SPEC.md "Exports").
 *
 * A writer is opened on a new path, fed rows (json-c objects, exactly the
 * items the list endpoint shows) one at a time, and then either finished
 * (the file is complete and synced) or aborted (the file is removed).
 *
 * Cells (CSV and XLSX): a column is a dotted path into the row
 * ("store.name" is row["store"]["name"]). A missing key, a non-object on
 * the way or JSON null is an empty cell; an object or an array is its
 * compact JSON text; a number is its JSON text exactly as json-c prints it
 * (so a DECIMAL made with json_object_new_double_s keeps its digits).
 *
 * CSV: RFC 4180 with a UTF-8 BOM, a header row of the column paths, commas
 * and CRLF line ends. A field is quoted only when it holds a comma, a
 * quote, CR or LF (a quote inside is doubled). Booleans are true/false. A
 * string cell that begins with '=', '+', '-', '@', tab, CR or LF gets a
 * leading apostrophe so that a spreadsheet shows it as text (OWASP's advice
 * on CSV injection); numbers, booleans and JSON text are never guarded.
 *
 * XLSX: sheet "Export" (then "Export 2", ... when a sheet is full), a bold
 * header row that stays frozen, written in libxlsxwriter's constant-memory
 * mode. Integers within +-2^53 and other numbers are number cells (bigger
 * integers are strings, exact); booleans are boolean cells; strings
 * "YYYY-MM-DD" and "YYYY-MM-DD[T ]HH:MM:SS[.digits][Z]" that are real
 * dates and times (years 1900-9999) are date cells (UTC as given) in the
 * columns export_file_dates() marks, so that a title that looks like a
 * date stays text; other
 * strings are string cells (never formulas), cut to 32767 characters at
 * a character boundary, invalid UTF-8 bytes and NULs replaced by U+FFFD.
 *
 * JSON lines: each row whole, as compact JSON, and "\n"; no BOM, columns
 * ignored.
 */
#ifndef METAPIC_EXPORT_FILE_H
#define METAPIC_EXPORT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct json_object;

enum export_format { EXPORT_CSV, EXPORT_XLSX, EXPORT_JSON };

/* "csv" | "xlsx" | "json" -> the format; -1 for anything else (or NULL). */
int export_format_parse(const char *s);

/*
 * File extension ("csv", "xlsx", "jsonl") and Content-Type
 * ("text/csv; charset=utf-8",
 *  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
 *  "application/x-ndjson") of a format: string literals, never freed.
 * NULL for a value outside the enum.
 */
const char *export_format_ext(enum export_format f);
const char *export_format_type(enum export_format f);

struct export_file;

/*
 * Creates path (it must not exist: O_EXCL; mode 0666 less the umask: the
 * worker runs with 0027 under systemd, so 0640 for group metapic) and writes the
 * header. columns[0..ncolumns): dotted paths into each row
 * ("store.name"); they are also the header cells; they are copied. CSV
 * and XLSX need 1 to 16384 columns; JSON ignores them (NULL, 0 is fine).
 * tmpdir: where libxlsxwriter keeps its constant-memory temp files (NULL:
 * the system's); copied. Returns a writer the caller owns (release it
 * with export_file_finish or export_file_abort), or NULL on failure with a
 * reason a user can read in err[errsz] (then no file is left behind,
 * and an existing file is never touched).
 */
struct export_file *export_file_open(enum export_format f, const char *path,
    const char *const *columns, size_t ncolumns, const char *tmpdir, char *err, size_t errsz);

/*
 * Writes one row (borrowed; json-c may cache its text inside it). Returns
 * 0, or -1 with err set (disk full, out of memory, a library error): the
 * writer is then only good for export_file_abort.
 */
int export_file_row(struct export_file *x, struct json_object *row, char *err, size_t errsz);

/*
 * Completes the file (flush, fsync, close) and frees x; *bytes (if not
 * NULL) = the file's size. Returns 0, or -1 with err set: then the file
 * is removed. x is freed either way.
 */
int export_file_finish(struct export_file *x, int64_t *bytes, char *err, size_t errsz);

/* Frees x and removes its file. NULL is fine. */
void export_file_abort(struct export_file *x);

/*
 * Exposed for tests: appends to b the CSV field for value v (NULL = JSON
 * null), exactly as it appears in the file: the formula guard applied and
 * quoted when needed. Out of memory shows as b->oom.
 */
void export_csv_cell(struct buf *b, struct json_object *v);

/*
 * Marks the columns whose strings are dates (dates[c] for column c of
 * those export_file_open() was given): XLSX writes a real date or
 * date-time there as a date cell. Unmarked columns hold text. Call before
 * the first row; CSV and JSON ignore it.
 */
void export_file_dates(struct export_file *x, const bool *dates);

#endif
