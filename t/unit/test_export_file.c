/*
 * test_export_file.c -- export files (export_file.c): CSV cells, whole
 * CSV and JSON lines files byte for byte, XLSX sheets read back with
 * libzip, and the failures (an existing path, a full file system).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <valgrind/valgrind.h>
#include <zip.h>

#include "export_file.h"
#include "util.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The process's umask, which the files' mode follows. */
static mode_t
process_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

static char dir[64];
static char path[128];

/* A fresh directory for the test's files; path = dir/name. */
static void
dir_make(const char *name)
{
	snprintf(dir, sizeof(dir), "/tmp/test_export_file.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
}

/* Removes path (if there) and the directory, which must then be empty. */
static void
dir_remove(void)
{
	unlink(path);
	cr_expect_eq(rmdir(dir), 0, "%s: %s (a temp file left behind?)", dir, strerror(errno));
}

static char *
file_read(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	char *s;
	long len;

	cr_assert_not_null(f, "%s", p);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	s = malloc((size_t)len + 1);
	cr_assert_not_null(s);
	cr_assert_eq(fread(s, 1, (size_t)len, f), (size_t)len);
	s[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return s;
}

static struct json_object *
parse(const char *s)
{
	struct json_object *o = json_tokener_parse(s);

	cr_assert_not_null(o, "%s", s);
	return o;
}

Test(export_file, formats)
{
	static const struct {
		const char *s;
		int f;
		const char *ext, *type;
	} t[] = {
		{ "csv", EXPORT_CSV, "csv", "text/csv; charset=utf-8" },
		{ "xlsx", EXPORT_XLSX, "xlsx",
		    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		{ "json", EXPORT_JSON, "jsonl", "application/x-ndjson" },
	};
	static const char *const bad[] = { "", "CSV", "xls", "jsonl", "csv ", "pdf", "x" };

	for (size_t i = 0; i < NELEM(t); i++) {
		cr_expect_eq(export_format_parse(t[i].s), t[i].f, "%s", t[i].s);
		cr_expect_str_eq(export_format_ext((enum export_format)t[i].f), t[i].ext);
		cr_expect_str_eq(export_format_type((enum export_format)t[i].f), t[i].type);
	}
	for (size_t i = 0; i < NELEM(bad); i++)
		cr_expect_eq(export_format_parse(bad[i]), -1, "%s", bad[i]);
	cr_expect_eq(export_format_parse(NULL), -1);
}

Test(export_file, csv_cells)
{
	static const struct {
		const char *json;	/* NULL: a C NULL (a missing value) */
		const char *want;
	} t[] = {
		{ NULL, "" },
		{ "null", "" },
		{ "\"plain\"", "plain" },
		{ "\"\"", "" },
		{ "\"a,b\"", "\"a,b\"" },
		{ "\"say \\\"hi\\\"\"", "\"say \"\"hi\"\"\"" },
		{ "\"\\\"\"", "\"\"\"\"" },
		{ "\"two\\r\\nlines\"", "\"two\r\nlines\"" },
		{ "\"lf\\nonly\"", "\"lf\nonly\"" },
		{ "\"=1+1\"", "'=1+1" },
		{ "\"+46 70 123\"", "'+46 70 123" },
		{ "\"-5\"", "'-5" },
		{ "\"@SUM(A1)\"", "'@SUM(A1)" },
		{ "\"\\tx\"", "'\tx" },
		{ "\"\\rx\"", "\"'\rx\"" },
		{ "\"\\nx\"", "\"'\nx\"" },
		{ "\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"",
		    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
		{ "\"a=b\"", "a=b" },
		{ "\" =1\"", " =1" },
		{ "\"h\\u00e9j \\u2603 \\ud83d\\ude00\"", "h\xc3\xa9j \xe2\x98\x83 \xf0\x9f\x98\x80" },
		{ "\"/path/x\"", "/path/x" },
		{ "42", "42" },
		{ "-7", "-7" },
		{ "0", "0" },
		{ "9007199254740993", "9007199254740993" },
		{ "true", "true" },
		{ "false", "false" },
		{ "{\"id\":1,\"name\":\"x\"}", "\"{\"\"id\"\":1,\"\"name\"\":\"\"x\"\"}\"" },
		{ "{}", "{}" },
		{ "[1,2]", "\"[1,2]\"" },
		{ "[\"=x\"]", "\"[\"\"=x\"\"]\"" },
		{ "[]", "[]" },
		{ "{\"u\":\"a/b\"}", "\"{\"\"u\"\":\"\"a/b\"\"}\"" },
	};

	for (size_t i = 0; i < NELEM(t); i++) {
		struct json_object *v = t[i].json ? json_tokener_parse(t[i].json) : NULL;
		struct buf b = { 0 };

		if (t[i].json != NULL && strcmp(t[i].json, "null") != 0)
			cr_assert_not_null(v, "%s", t[i].json);
		export_csv_cell(&b, v);
		cr_expect_eq(b.oom, 0);
		cr_expect_str_eq(b.p ? b.p : "", t[i].want, "%s", t[i].json ? t[i].json : "NULL");
		buf_free(&b);
		json_object_put(v);
	}

	/* Decimals keep their text; -0.5 is a number, so never guarded. */
	static const char *const decimals[] = { "0.125000", "-0.5", "1234567890.12", "0.10" };
	for (size_t i = 0; i < NELEM(decimals); i++) {
		struct json_object *v = json_object_new_double_s(strtod(decimals[i], NULL),
		    decimals[i]);
		struct buf b = { 0 };

		export_csv_cell(&b, v);
		cr_expect_str_eq(b.p, decimals[i]);
		buf_free(&b);
		json_object_put(v);
	}
}

Test(export_file, csv_file_byte_for_byte)
{
	static const char *const cols[] = { "id", "store.name", "store.missing", "tags", "note",
		"amount", "active", "id.x" };
	static const char want[] =
	    "\xEF\xBB\xBF"
	    "id,store.name,store.missing,tags,note,amount,active,id.x\r\n"
	    "1,Shop,,\"[\"\"a\"\",\"\"b\"\"]\",'=1+1,0.125000,true,\r\n"
	    "2,\"A, \"\"B\"\"\",,,\"x\r\ny\",,false,\r\n"
	    ",,,,,,,\r\n";
	struct json_object *r1 = parse("{\"id\":1,\"store\":{\"id\":3,\"name\":\"Shop\"},"
	    "\"tags\":[\"a\",\"b\"],\"note\":\"=1+1\",\"active\":true}");
	struct json_object *r2 = parse("{\"id\":2,\"store\":{\"name\":\"A, \\\"B\\\"\"},"
	    "\"tags\":null,\"note\":\"x\\r\\ny\",\"active\":false}");
	struct json_object *r3 = parse("{\"store\":\"not an object\"}");
	struct export_file *x;
	char err[256];
	int64_t bytes = -1;
	struct stat st;
	size_t n;
	char *got;

	json_object_object_add(r1, "amount", json_object_new_double_s(0.125, "0.125000"));
	dir_make("e.csv");
	x = export_file_open(EXPORT_CSV, path, cols, NELEM(cols), dir, err, sizeof(err));
	cr_assert_not_null(x, "%s", err);
	cr_assert_eq(export_file_row(x, r1, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_row(x, r2, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_row(x, r3, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_finish(x, &bytes, err, sizeof(err)), 0, "%s", err);

	got = file_read(path, &n);
	cr_expect_eq(n, sizeof(want) - 1);
	cr_expect_eq(memcmp(got, want, n < sizeof(want) ? n : sizeof(want)), 0, "got: %s", got);
	cr_expect_eq(bytes, (int64_t)n);
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0666 & ~process_umask(), "mode %o", st.st_mode & 0777);
	free(got);
	json_object_put(r1);
	json_object_put(r2);
	json_object_put(r3);
	dir_remove();
}

Test(export_file, json_lines_byte_for_byte)
{
	struct json_object *r1 = parse("{\"id\":1,\"store\":{\"id\":3,\"name\":\"S/\\u00e9\"},"
	    "\"url\":\"http:\\/\\/x/y\",\"n\":null}");
	struct json_object *r2 = json_object_new_object();
	struct export_file *x;
	char err[256];
	int64_t bytes = -1;
	size_t n;
	char *got;

	json_object_object_add(r2, "amount", json_object_new_double_s(0.125, "0.125000"));
	json_object_object_add(r2, "tags", parse("[1,\"=2\"]"));
	json_object_object_add(r2, "ok", json_object_new_boolean(0));
	dir_make("e.jsonl");
	x = export_file_open(EXPORT_JSON, path, NULL, 0, dir, err, sizeof(err));
	cr_assert_not_null(x, "%s", err);
	cr_assert_eq(export_file_row(x, r1, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_row(x, r2, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_finish(x, &bytes, err, sizeof(err)), 0, "%s", err);
	got = file_read(path, &n);
	/* json-c writes U+00E9 as its UTF-8 bytes. */
	cr_expect_str_eq(got, "{\"id\":1,\"store\":{\"id\":3,\"name\":\"S/\xc3\xa9\"},"
	    "\"url\":\"http://x/y\",\"n\":null}\n"
	    "{\"amount\":0.125000,\"tags\":[1,\"=2\"],\"ok\":false}\n");
	cr_expect_eq(bytes, (int64_t)n);
	free(got);
	json_object_put(r1);
	json_object_put(r2);
	dir_remove();
}

/* ---- XLSX -------------------------------------------------------------- */

/* The text of member name of the zip at p (malloc'd), or NULL if none. */
static char *
zip_member(const char *p, const char *name)
{
	zip_t *za;
	zip_file_t *zf;
	zip_stat_t st;
	char *s = NULL;
	int e;

	za = zip_open(p, ZIP_RDONLY | ZIP_CHECKCONS, &e);
	cr_assert_not_null(za, "%s: zip error %d", p, e);
	if (zip_stat(za, name, 0, &st) == 0) {
		s = malloc(st.size + 1);
		cr_assert_not_null(s);
		zf = zip_fopen(za, name, 0);
		cr_assert_not_null(zf);
		cr_assert_eq(zip_fread(zf, s, st.size), (zip_int64_t)st.size);
		s[st.size] = '\0';
		zip_fclose(zf);
	}
	zip_close(za);
	return s;
}

/* The XML of cell ref ("B2") in a sheet's XML (malloc'd), or NULL. */
static char *
cell_xml(const char *xml, const char *ref)
{
	char key[32];
	const char *a, *b;

	snprintf(key, sizeof(key), "<c r=\"%s\"", ref);
	if ((a = strstr(xml, key)) == NULL)
		return NULL;
	b = strchr(a, '>');
	cr_assert_not_null(b);
	if (b[-1] != '/') {
		b = strstr(a, "</c>");
		cr_assert_not_null(b);
		b += 3;
	}
	return strndup(a, (size_t)(b - a + 1));
}

/* The reference of column i (0: A), row r. */
static void
cell_ref(char *out, size_t n, size_t i, int r)
{
	if (i < 26)
		snprintf(out, n, "%c%d", 'A' + (int)i, r);
	else
		snprintf(out, n, "%c%c%d", 'A' + (int)(i / 26 - 1), 'A' + (int)(i % 26), r);
}

static void
expect_cell(const char *xml, const char *ref, const char *want)
{
	char *c = cell_xml(xml, ref);

	cr_expect_not_null(c, "no cell %s", ref);
	if (c != NULL)
		cr_expect_str_eq(c, want, "cell %s", ref);
	free(c);
}

/* Writes rows (a JSON array of objects) with cols to a new XLSX file. */
static void
xlsx_write(const char *const *cols, size_t ncols, const char *rows_json)
{
	struct json_object *rows = parse(rows_json);
	struct export_file *x;
	char err[256];
	int64_t bytes = -1;
	struct stat st;

	x = export_file_open(EXPORT_XLSX, path, cols, ncols, dir, err, sizeof(err));
	cr_assert_not_null(x, "%s", err);
	/* Every column may hold dates here; see xlsx_dates_only_where_marked. */
	bool dates[64];
	cr_assert_leq(ncols, 64);
	for (size_t c = 0; c < ncols; c++)
		dates[c] = true;
	export_file_dates(x, dates);
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		cr_assert_eq(export_file_row(x, json_object_array_get_idx(rows, i), err,
		    sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_finish(x, &bytes, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(bytes, (int64_t)st.st_size);
	cr_expect_eq(st.st_mode & 0777, 0666 & ~process_umask(), "mode %o", st.st_mode & 0777);
	json_object_put(rows);
}

Test(export_file, xlsx_cells)
{
	static const char *const cols[] = { "f", "n", "d", "b", "t", "store.name", "o", "big",
		"neg", "dec", "none", "ctl" };
	char *xml, *styles;

	dir_make("e.xlsx");
	xlsx_write(cols, NELEM(cols),
	    "[{\"f\":\"=1+1\",\"n\":42,\"d\":\"2026-12-01\",\"b\":true,"
	    "\"t\":\"2026-12-01T12:30:00Z\",\"store\":{\"name\":\"Shop & <Co>\"},"
	    "\"o\":{\"id\":1,\"u\":\"a/b\"},\"big\":9007199254740993,\"neg\":-9007199254740992,"
	    "\"dec\":0.5,\"none\":null,\"ctl\":\"a\\u0001b\"},"
	    "{\"b\":false,\"f\":\"-x\",\"n\":-3}]");
	xml = zip_member(path, "xl/worksheets/sheet1.xml");
	cr_assert_not_null(xml);
	cr_expect_null(strstr(xml, "<f>"), "a formula element");
	cr_expect_null(strstr(xml, "<f "), "a formula element");
	expect_cell(xml, "A1", "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>f</t></is></c>");
	expect_cell(xml, "F1",
	    "<c r=\"F1\" s=\"1\" t=\"inlineStr\"><is><t>store.name</t></is></c>");
	expect_cell(xml, "A2", "<c r=\"A2\" t=\"inlineStr\"><is><t>=1+1</t></is></c>");
	expect_cell(xml, "B2", "<c r=\"B2\"><v>42</v></c>");
	/* 2026-12-01 is day 46357 of Excel's 1900 system. */
	expect_cell(xml, "C2", "<c r=\"C2\" s=\"2\"><v>46357</v></c>");
	expect_cell(xml, "D2", "<c r=\"D2\" t=\"b\"><v>1</v></c>");
	expect_cell(xml, "E2", "<c r=\"E2\" s=\"3\"><v>46357.52083333334</v></c>");
	expect_cell(xml, "F2",
	    "<c r=\"F2\" t=\"inlineStr\"><is><t>Shop &amp; &lt;Co&gt;</t></is></c>");
	expect_cell(xml, "G2",
	    "<c r=\"G2\" t=\"inlineStr\"><is><t>{\"id\":1,\"u\":\"a/b\"}</t></is></c>");
	expect_cell(xml, "H2",
	    "<c r=\"H2\" t=\"inlineStr\"><is><t>9007199254740993</t></is></c>");
	expect_cell(xml, "I2", "<c r=\"I2\"><v>-9007199254740992</v></c>");
	expect_cell(xml, "J2", "<c r=\"J2\"><v>0.5</v></c>");
	cr_expect_null(cell_xml(xml, "K2"), "a null is no cell");
	expect_cell(xml, "L2", "<c r=\"L2\" t=\"inlineStr\"><is><t>a_x0001_b</t></is></c>");
	expect_cell(xml, "A3", "<c r=\"A3\" t=\"inlineStr\"><is><t>-x</t></is></c>");
	expect_cell(xml, "B3", "<c r=\"B3\"><v>-3</v></c>");
	expect_cell(xml, "D3", "<c r=\"D3\" t=\"b\"><v>0</v></c>");
	cr_expect_not_null(strstr(xml, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
	    "state=\"frozen\"/>"), "header row frozen: %.600s", xml);
	styles = zip_member(path, "xl/styles.xml");
	cr_assert_not_null(styles);
	cr_expect_not_null(strstr(styles, "formatCode=\"yyyy-mm-dd\""));
	cr_expect_not_null(strstr(styles, "formatCode=\"yyyy-mm-dd hh:mm:ss\""));
	cr_expect_not_null(strstr(styles, "<b/>"));
	free(styles);
	free(xml);
	xml = zip_member(path, "xl/workbook.xml");
	cr_expect_not_null(strstr(xml, "<sheet name=\"Export\" sheetId=\"1\""));
	free(xml);
	dir_remove();
}

Test(export_file, xlsx_dates_and_decimals)
{
	/* Each value in its own column of row 2: a date cell (s="2"), a datetime
	 * cell (s="3") or a string (inlineStr). */
	static const struct {
		const char *s;
		const char *kind;
	} t[] = {
		{ "2024-02-29", "s=\"2\"" },
		{ "1900-01-01", "s=\"2\"" },
		{ "9999-12-31", "s=\"2\"" },
		{ "2026-12-01 00:00:00", "s=\"3\"" },
		{ "2026-12-01T23:59:59", "s=\"3\"" },
		{ "2026-12-01T23:59:59.123456Z", "s=\"3\"" },
		{ "2026-12-01T23:59:59.5", "s=\"3\"" },
		{ "2026-02-29", "inlineStr" },
		{ "1900-02-29", "inlineStr" },
		{ "1899-12-31", "inlineStr" },
		{ "2026-13-01", "inlineStr" },
		{ "2026-00-01", "inlineStr" },
		{ "2026-04-31", "inlineStr" },
		{ "2026-12-00", "inlineStr" },
		{ "2026-1-01", "inlineStr" },
		{ "2026-12-01T24:00:00", "inlineStr" },
		{ "2026-12-01T12:60:00", "inlineStr" },
		{ "2026-12-01T12:00:60", "inlineStr" },
		{ "2026-12-01T12:00", "inlineStr" },
		{ "2026-12-01T12:00:00.", "inlineStr" },
		{ "2026-12-01T12:00:00+02:00", "inlineStr" },
		{ "2026-12-01T12:00:00ZZ", "inlineStr" },
		{ "2026-12-01x", "inlineStr" },
		{ "2026-12-01 ", "inlineStr" },
		{ " 2026-12-01", "inlineStr" },
		{ "2026/12/01", "inlineStr" },
		{ "+026-12-01", "inlineStr" },
	};
	struct json_object *row = json_object_new_object();
	const char *cols[NELEM(t) + 1];
	char names[NELEM(t) + 1][8], ref[16], err[256], *xml, *c;
	struct export_file *x;

	for (size_t i = 0; i < NELEM(t); i++) {
		snprintf(names[i], sizeof(names[i]), "c%zu", i);
		cols[i] = names[i];
		json_object_object_add(row, names[i], json_object_new_string(t[i].s));
	}
	snprintf(names[NELEM(t)], sizeof(names[0]), "dec");
	cols[NELEM(t)] = names[NELEM(t)];
	json_object_object_add(row, "dec", json_object_new_double_s(0.1, "1234.500000"));
	dir_make("d.xlsx");
	x = export_file_open(EXPORT_XLSX, path, cols, NELEM(cols), dir, err, sizeof(err));
	cr_assert_not_null(x, "%s", err);
	bool dates[NELEM(cols)];
	for (size_t i = 0; i < NELEM(cols); i++)
		dates[i] = true;
	export_file_dates(x, dates);
	cr_assert_eq(export_file_row(x, row, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_finish(x, NULL, err, sizeof(err)), 0, "%s", err);
	xml = zip_member(path, "xl/worksheets/sheet1.xml");
	cr_assert_not_null(xml);
	for (size_t i = 0; i <= NELEM(t); i++) {
		cell_ref(ref, sizeof(ref), i, 2);
		c = cell_xml(xml, ref);
		cr_assert_not_null(c, "cell %s", ref);
		if (i < NELEM(t))
			cr_expect_not_null(strstr(c, t[i].kind), "%s: %s", t[i].s, c);
		else	/* the DECIMAL text read as a number */
			cr_expect_not_null(strstr(c, "<v>1234.5</v>"), "%s", c);
		free(c);
	}
	free(xml);
	json_object_put(row);
	dir_remove();
}

Test(export_file, xlsx_long_text_cut_at_a_character)
{
	static const char *const cols[] = { "s", "bad" };
	struct json_object *row = json_object_new_object();
	char err[256], *xml, *t, *e, *s;
	struct export_file *x;
	size_t n = 40000;

	/* 40000 "é": 80000 bytes; Excel holds 32767 characters. */
	s = malloc(2 * n + 1);
	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);
	json_object_object_add(row, "s", json_object_new_string_len(s, (int)(2 * n)));
	/* A NUL and a bad byte become U+FFFD. */
	json_object_object_add(row, "bad", json_object_new_string_len("a\0b\xff", 4));
	dir_make("l.xlsx");
	x = export_file_open(EXPORT_XLSX, path, cols, NELEM(cols), dir, err, sizeof(err));
	cr_assert_not_null(x, "%s", err);
	cr_assert_eq(export_file_row(x, row, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_finish(x, NULL, err, sizeof(err)), 0, "%s", err);
	xml = zip_member(path, "xl/worksheets/sheet1.xml");
	cr_assert_not_null(xml);
	t = strstr(xml, "<c r=\"A2\" t=\"inlineStr\"><is><t>");
	cr_assert_not_null(t);
	t += strlen("<c r=\"A2\" t=\"inlineStr\"><is><t>");
	e = strstr(t, "</t>");
	cr_assert_not_null(e);
	cr_expect_eq((size_t)(e - t), 2 * 32767);
	cr_expect_eq(memcmp(t, s, 2 * 32767), 0);
	expect_cell(xml, "B2",
	    "<c r=\"B2\" t=\"inlineStr\"><is><t>a\xef\xbf\xbd" "b\xef\xbf\xbd</t></is></c>");
	free(xml);
	free(s);
	json_object_put(row);
	dir_remove();
}

/* A column not marked as dates keeps a date-looking text as text. */
Test(export_file, xlsx_dates_only_where_marked)
{
	static const char *const cols[] = { "title", "day" };
	static const bool dates[] = { false, true };
	struct json_object *row = json_object_new_object();
	char err[256], *xml, *c;
	struct export_file *x;

	json_object_object_add(row, "title", json_object_new_string("2025-01-01"));
	json_object_object_add(row, "day", json_object_new_string("2025-01-01"));
	dir_make("m.xlsx");
	x = export_file_open(EXPORT_XLSX, path, cols, 2, dir, err, sizeof(err));
	cr_assert_not_null(x, "%s", err);
	export_file_dates(x, dates);
	cr_assert_eq(export_file_row(x, row, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(export_file_finish(x, NULL, err, sizeof(err)), 0, "%s", err);
	xml = zip_member(path, "xl/worksheets/sheet1.xml");
	cr_assert_not_null(xml);
	c = cell_xml(xml, "A2");
	cr_assert_not_null(c);
	cr_expect_not_null(strstr(c, "inlineStr"), "%s", c);
	cr_expect_not_null(strstr(c, "2025-01-01"), "%s", c);
	free(c);
	c = cell_xml(xml, "B2");
	cr_assert_not_null(c);
	cr_expect_not_null(strstr(c, "s=\"2\""), "%s", c);
	cr_expect_not_null(strstr(c, "<v>45658</v>"), "%s", c);
	free(c);
	free(xml);
	json_object_put(row);
	dir_remove();
}

/* Over 1,048,575 rows go on in sheet "Export 2" with the header again. */
Test(export_file, xlsx_next_sheet_when_full, .timeout = 120)
{
	static const char *const cols[] = { "n" };
	struct json_object *row = json_object_new_object();
	struct json_object *n = json_object_new_int(0);
	char err[256], *xml;
	struct export_file *x;
	const int total = 1048575 + 2;

	/*
	 * Over a minute under valgrind, which looks for leaks: the plain unit
	 * run checks the sheets. (cr_skip_test() would leave Criterion's own
	 * buffers behind, which valgrind reports.)
	 */
	if (RUNNING_ON_VALGRIND) {
		json_object_put(n);
		json_object_put(row);
		fprintf(stderr, "xlsx_next_sheet_when_full: not run under valgrind (too slow)\n");
		return;
	}
	json_object_object_add(row, "n", n);
	dir_make("big.xlsx");
	x = export_file_open(EXPORT_XLSX, path, cols, 1, dir, err, sizeof(err));
	cr_assert_not_null(x, "%s", err);
	for (int i = 1; i <= total; i++) {
		json_object_set_int(n, i);
		cr_assert_eq(export_file_row(x, row, err, sizeof(err)), 0, "row %d: %s", i, err);
	}
	cr_assert_eq(export_file_finish(x, NULL, err, sizeof(err)), 0, "%s", err);
	xml = zip_member(path, "xl/workbook.xml");
	cr_assert_not_null(xml);
	cr_expect_not_null(strstr(xml, "<sheet name=\"Export\" sheetId=\"1\""));
	cr_expect_not_null(strstr(xml, "<sheet name=\"Export 2\" sheetId=\"2\""));
	free(xml);
	xml = zip_member(path, "xl/worksheets/sheet1.xml");
	expect_cell(xml, "A1048576", "<c r=\"A1048576\"><v>1048575</v></c>");
	free(xml);
	xml = zip_member(path, "xl/worksheets/sheet2.xml");
	cr_assert_not_null(xml);
	expect_cell(xml, "A1", "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>n</t></is></c>");
	expect_cell(xml, "A2", "<c r=\"A2\"><v>1048576</v></c>");
	expect_cell(xml, "A3", "<c r=\"A3\"><v>1048577</v></c>");
	cr_expect_null(cell_xml(xml, "A4"));
	free(xml);
	json_object_put(row);
	dir_remove();
}

/* ---- failures ---------------------------------------------------------- */

/* The number of open descriptors of this process. */
static int
fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

Test(export_file, open_refuses_an_existing_path_and_abort_removes)
{
	static const char *const cols[] = { "id" };
	static const enum export_format fmts[] = { EXPORT_CSV, EXPORT_XLSX, EXPORT_JSON };
	struct json_object *row = parse("{\"id\":1}");
	struct export_file *x;
	char err[256];
	size_t n;
	int fds;
	char *got;
	FILE *f;

	dir_make("taken");
	fds = fd_count();
	for (size_t i = 0; i < NELEM(fmts); i++) {
		f = fopen(path, "w");
		cr_assert_not_null(f);
		fputs("keep", f);
		fclose(f);
		err[0] = '\0';
		x = export_file_open(fmts[i], path, cols, 1, dir, err, sizeof(err));
		cr_expect_null(x);
		cr_expect_str_eq(err, "The export file already exists.");
		got = file_read(path, &n);
		cr_expect_str_eq(got, "keep", "the existing file is untouched");
		free(got);
		unlink(path);

		/* A new file, a row, then abort: nothing is left. */
		x = export_file_open(fmts[i], path, cols, 1, dir, err, sizeof(err));
		cr_assert_not_null(x, "%s", err);
		cr_expect_eq(access(path, F_OK), 0);
		cr_expect_eq(export_file_row(x, row, err, sizeof(err)), 0, "%s", err);
		export_file_abort(x);
		cr_expect_eq(access(path, F_OK), -1, "format %zu: file removed", i);
	}
	export_file_abort(NULL);
	cr_expect_eq(fd_count(), fds, "no descriptor (or temp file) left open");

	/* Bad arguments; a directory that does not exist. */
	cr_expect_null(export_file_open(EXPORT_CSV, path, cols, 0, dir, err, sizeof(err)));
	cr_expect_neq(err[0], '\0');
	cr_expect_null(export_file_open((enum export_format)7, path, cols, 1, dir, err,
	    sizeof(err)));
	cr_expect_neq(err[0], '\0');
	err[0] = '\0';
	cr_expect_null(export_file_open(EXPORT_CSV, "/nonexistent/dir/x.csv", cols, 1, dir,
	    err, sizeof(err)));
	cr_expect_str_eq(err, "Could not create the export file: No such file or directory.");
	/* XLSX with a temp directory that does not exist: no file left. */
	err[0] = '\0';
	cr_expect_null(export_file_open(EXPORT_XLSX, path, cols, 1, "/nonexistent/tmp", err,
	    sizeof(err)));
	cr_expect_str_eq(err, "The server's temporary directory is not usable.");
	cr_expect_eq(access(path, F_OK), -1);
	json_object_put(row);
	dir_remove();
}

Test(export_file, rows_that_are_not_objects_fail)
{
	static const char *const cols[] = { "id" };
	struct json_object *a = parse("[1]");
	struct export_file *x;
	char err[256];

	dir_make("o.csv");
	x = export_file_open(EXPORT_CSV, path, cols, 1, dir, err, sizeof(err));
	cr_assert_not_null(x, "%s", err);
	cr_expect_eq(export_file_row(x, a, err, sizeof(err)), -1);
	cr_expect_str_eq(err, "An export row must be a JSON object.");
	cr_expect_eq(export_file_finish(x, NULL, err, sizeof(err)), -1, "a failed writer");
	cr_expect_eq(access(path, F_OK), -1, "file removed");
	json_object_put(a);
	dir_remove();
}

/* A file size limit stands in for a full disk: the write fails, nothing
 * is left. */
Test(export_file, write_failure_removes_the_file)
{
	static const char *const cols[] = { "s" };
	static const enum export_format fmts[] = { EXPORT_CSV, EXPORT_JSON, EXPORT_XLSX };
	struct rlimit rl;
	struct json_object *row = json_object_new_object();
	char text[1000], err[256];
	struct export_file *x;
	int rc = 0, i;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	json_object_object_add(row, "s", json_object_new_string(text));
	cr_assert_eq(signal(SIGXFSZ, SIG_IGN) == SIG_ERR, 0);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = 64 * 1024;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	dir_make("full");
	for (size_t f = 0; f < NELEM(fmts); f++) {
		x = export_file_open(fmts[f], path, cols, 1, dir, err, sizeof(err));
		cr_assert_not_null(x, "%s", err);
		/* The stdio buffer is 256 KiB and XLSX rows go to a temp file
		 * first: the failure shows at a row or at finish. */
		for (i = 0; i < 1000 && (rc = export_file_row(x, row, err, sizeof(err))) == 0; i++)
			;
		if (rc == 0)
			rc = export_file_finish(x, NULL, err, sizeof(err));
		else
			export_file_abort(x);
		cr_expect_eq(rc, -1);
		cr_expect_str_eq(err, "The export file is too large.");
		cr_expect_eq(access(path, F_OK), -1, "file removed");
	}
	json_object_put(row);
	dir_remove();
}
