/*
 * test_exports.c -- exports (SPEC.md, Exports) through nginx and the
 * stack's own metapic-export-worker processes (two, started by the
 * harness): `format` on GET /v2/offers and GET /v2/user-media queues a job
 * (202); the file holds the list's rows of every page, in its order, with
 * its items' columns, read back with readers the project does not write
 * (read_export.py: Python's csv module and openpyxl); the job and its file
 * are the requester's and admins' only; a killed or stopped worker leaves
 * no partial file and the job completes on another; no two workers take
 * the same job; the sweep removes what is old. Every write but the
 * export jobs themselves is undone (the sweep removes those in time).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2
#define CREATOR1 3
#define MEMBER2 4

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* The stack's export_dir, from its configuration. */
static const char *
export_dir(void)
{
	static char dir[1024];
	char path[1024], line[1200];
	FILE *f;

	if (dir[0] != '\0')
		return dir;
	snprintf(path, sizeof(path), "%s/metapic.conf", getenv("METAPIC_DIR"));
	cr_assert_not_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, " export_dir = %1023s", dir) == 1)
			break;
	fclose(f);
	cr_assert(dir[0] != '\0');
	return dir;
}

/* GET url as user: a 202 with exactly {"id","status","url"}; the id. */
static long long
queue(int user, const char *url)
{
	struct resp r = req("GET", url, tok(user), NULL);
	char want[256];
	long long id;

	cr_assert_eq(r.status, 202, "%s: %ld %s", url, r.status, r.body);
	cr_expect_str_eq(jkeys(r.json), "id,status,url");
	id = jint(r.json, "id");
	cr_expect_gt(id, 0);
	cr_expect_str_eq(jstr(r.json, "status"), "queued");
	snprintf(want, sizeof(want), "%s/v2/exports/%lld", base_http(), id);
	cr_expect_str_eq(jstr(r.json, "url"), want);
	resp_free(&r);
	return id;
}

/* Polls GET /v2/exports/{id} as user until done or failed (90 s at most). */
static struct json_object *
wait_finished(int user, long long id)
{
	char url[128];
	struct json_object *j = NULL;

	snprintf(url, sizeof(url), "/v2/exports/%lld", id);
	for (int i = 0; i < 900; i++) {
		struct resp r = req("GET", url, tok(user), NULL);
		cr_assert_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
		const char *st = jstr(r.json, "status");
		if (strcmp(st, "done") == 0 || strcmp(st, "failed") == 0) {
			j = json_object_get(r.json);
			resp_free(&r);
			return j;
		}
		resp_free(&r);
		usleep(100000);
	}
	cr_assert_fail("export %lld did not finish", id);
	return NULL;
}

/* Queues url as user and waits until it is done; its id. */
static long long
export_done(int user, const char *url)
{
	long long id = queue(user, url);
	struct json_object *j = wait_finished(user, id);

	cr_assert_str_eq(jstr(j, "status"), "done", "%s", jtext(j));
	json_object_put(j);
	return id;
}

/* Downloads export id (through base) as user into a file; its path. */
static char *
download(const char *base, int user, long long id, const char *type, const char *name)
{
	char url[256], want[256], *path;
	FILE *f;

	snprintf(url, sizeof(url), "%s/v2/exports/%lld/download", base, id);
	struct resp r = req("GET", url, tok(user), NULL);
	cr_assert_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
	cr_expect_str_eq(resp_header(&r, "Content-Type"), type);
	snprintf(want, sizeof(want), "attachment; filename=\"%s\"", name);
	cr_expect_str_eq(resp_header(&r, "Content-Disposition"), want);
	cr_expect_null(resp_header(&r, "X-Accel-Redirect"));
	/* openpyxl goes by the file's extension: keep the download's. */
	const char *ext = strrchr(name, '.');
	path = malloc(128);
	snprintf(path, 128, "/tmp/metapic-export-test.XXXXXX%s", ext);
	int fd = mkstemps(path, (int)strlen(ext));
	cr_assert(fd >= 0);
	cr_assert_not_null(f = fdopen(fd, "wb"));
	cr_assert_eq(fwrite(r.body, 1, r.len, f), r.len);
	fclose(f);
	resp_free(&r);
	return path;
}

/* The file read back by read_export.py (format csv or xlsx). */
static struct json_object *
read_back(const char *format, const char *path)
{
	char line[1400], buf[65536];
	struct json_object *j;
	FILE *p;
	char *out = NULL;
	size_t len = 0, n;

	/* Debian's python3, which has python3-openpyxl (scripts/deps). */
	snprintf(line, sizeof(line), "/usr/bin/python3 '%s/t/integration/read_export.py' %s '%s'",
	    getenv("top_srcdir"), format, path);
	cr_assert_not_null(p = popen(line, "r"));
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		out = realloc(out, len + n + 1);
		memcpy(out + len, buf, n);
		len += n;
	}
	cr_assert_eq(pclose(p), 0, "read_export.py %s failed", format);
	cr_assert_not_null(out);
	out[len] = '\0';
	cr_assert_not_null(j = json_tokener_parse(out), "%.300s", out);
	free(out);
	return j;
}

/* Every item of the list at url (a query without page and size), all pages. */
static struct json_object *
list_all(int user, const char *url, bool plain)
{
	struct json_object *all = json_object_new_array();
	char page[1024];
	long long total = -1;

	for (int p = 1; p < 1000; p++) {
		snprintf(page, sizeof(page), "%s%ssize=2&page=%d", url, strchr(url, '?') ? "&" :
		    "?", p);
		struct resp r = req("GET", page, tok(user), NULL);
		cr_assert_eq(r.status, 200, "%s: %ld %s", page, r.status, r.body);
		struct json_object *data = jpath(r.json, "data");
		total = jint(r.json, plain ? "total" : "meta.total");
		for (size_t i = 0; i < json_object_array_length(data); i++)
			json_object_array_add(all, json_object_get(json_object_array_get_idx(data, i)));
		size_t got = json_object_array_length(data);
		resp_free(&r);
		if (got < 2)
			break;
	}
	cr_assert_eq((long long)json_object_array_length(all), total);
	return all;
}

/* The value at a dotted path of an item, or NULL. */
static struct json_object *
at_path(struct json_object *item, const char *path)
{
	char key[128];
	const char *dot;
	struct json_object *cur = item;

	while (cur != NULL) {
		dot = strchr(path, '.');
		snprintf(key, sizeof(key), "%.*s", dot ? (int)(dot - path) : (int)strlen(path), path);
		if (!json_object_is_type(cur, json_type_object) ||
		    !json_object_object_get_ex(cur, key, &cur))
			return NULL;
		if (dot == NULL)
			return cur;
		path = dot + 1;
	}
	return NULL;
}

/* What a CSV cell holds for v: SPEC.md's rules, the formula guard too. */
static void
csv_expect(struct json_object *v, char *out, size_t outsz)
{
	const char *s;

	if (v == NULL) {
		out[0] = '\0';
		return;
	}
	switch (json_object_get_type(v)) {
	case json_type_string:
		s = json_object_get_string(v);
		snprintf(out, outsz, "%s%s", strchr("=+-@\t\r\n", s[0]) && s[0] ? "'" : "", s);
		return;
	case json_type_boolean:
		snprintf(out, outsz, "%s", json_object_get_boolean(v) ? "true" : "false");
		return;
	default:
		snprintf(out, outsz, "%s", jtext(v));
		return;
	}
}

static bool
is_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * What an XLSX cell holds for v (as read_export.py writes it) and its
 * type; date columns (the lists' *_at) hold date cells.
 */
static void
xlsx_expect(struct json_object *v, bool date_col, char *out, size_t outsz, char *type)
{
	const char *s;

	*type = 'n';
	if (v == NULL) {
		out[0] = '\0';
		return;
	}
	switch (json_object_get_type(v)) {
	case json_type_string:
		s = json_object_get_string(v);
		*type = 's';
		/* Dates: "YYYY-MM-DD" and ISO date-times are date cells. */
		if (date_col && strlen(s) >= 10 && is_digits(s, 4) && s[4] == '-' && is_digits(s + 5, 2) &&
		    s[7] == '-' && is_digits(s + 8, 2)) {
			if (s[10] == '\0') {
				*type = 'd';
				snprintf(out, outsz, "%s", s);
				return;
			}
			if ((s[10] == 'T' || s[10] == ' ') && strlen(s) >= 19) {
				*type = 'd';
				snprintf(out, outsz, "%.10sT%.8s", s, s + 11);
				return;
			}
		}
		snprintf(out, outsz, "%s", s);
		return;
	case json_type_boolean:
		*type = 'b';
		snprintf(out, outsz, "%s", json_object_get_boolean(v) ? "true" : "false");
		return;
	case json_type_int:
		snprintf(out, outsz, "%lld", (long long)json_object_get_int64(v));
		return;
	case json_type_double:
		snprintf(out, outsz, "%.17g", json_object_get_double(v));
		return;
	default:
		*type = 's';
		snprintf(out, outsz, "%s", jtext(v));
		return;
	}
}

/* Whether every leaf of item is under one of the header's columns. */
static void
expect_covered(struct json_object *item, const char *prefix, struct json_object *header)
{
	char path[256];

	json_object_object_foreach(item, k, v) {
		snprintf(path, sizeof(path), "%s%s", prefix, k);
		bool found = false;
		for (size_t i = 0; i < json_object_array_length(header) && !found; i++)
			found = strcmp(json_object_get_string(json_object_array_get_idx(header, i)),
			    path) == 0;
		if (found)
			continue;
		/* A null object: its columns are "path.key". */
		for (size_t i = 0; i < json_object_array_length(header) && v == NULL &&
		    !found; i++) {
			const char *h = json_object_get_string(json_object_array_get_idx(header, i));
			found = strncmp(h, path, strlen(path)) == 0 && h[strlen(path)] == '.';
		}
		if (found)
			continue;
		cr_expect(v != NULL && json_object_is_type(v, json_type_object),
		    "the item's %s has no column", path);
		if (v != NULL && json_object_is_type(v, json_type_object)) {
			char sub[260];
			snprintf(sub, sizeof(sub), "%s.", path);
			expect_covered(v, sub, header);
		}
	}
}

/* The file (read back) holds exactly items, in order, under header want. */
static void
expect_file_rows(const char *format, struct json_object *file, struct json_object *items,
    const char *want_header)
{
	struct json_object *header = jpath(file, "header"), *rows = jpath(file, "rows");
	char want[4096], type;

	cr_assert_str_eq(jtext(header), want_header);
	cr_assert_eq(json_object_array_length(rows), json_object_array_length(items),
	    "%s: %zu rows, the list %zu", format, json_object_array_length(rows),
	    json_object_array_length(items));
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		struct json_object *item = json_object_array_get_idx(items, i);
		struct json_object *row = json_object_array_get_idx(rows, i);
		expect_covered(item, "", header);
		for (size_t c = 0; c < json_object_array_length(header); c++) {
			const char *col = json_object_get_string(json_object_array_get_idx(header, c));
			struct json_object *v = at_path(item, col);
			struct json_object *cell = json_object_array_get_idx(row, c);
			if (strcmp(format, "csv") == 0) {
				csv_expect(v, want, sizeof(want));
				cr_expect_str_eq(cell ? json_object_get_string(cell) : "", want,
				    "row %zu %s", i, col);
				continue;
			}
			size_t cl = strlen(col);
			xlsx_expect(v, cl > 3 && strcmp(col + cl - 3, "_at") == 0, want, sizeof(want),
			    &type);
			const char *got = cell ? json_object_get_string(
			    json_object_array_get_idx(cell, 0)) : "";
			if (v == NULL) {
				cr_expect_str_eq(got, "", "row %zu %s", i, col);
				continue;
			}
			const char *gtype = json_object_get_string(json_object_array_get_idx(cell, 1));
			cr_expect_eq(gtype[0], type, "row %zu %s: type %s, want %c", i, col, gtype,
			    type);
			if (type == 'n' && json_object_is_type(v, json_type_double))
				cr_expect_eq(strtod(got, NULL), json_object_get_double(v), "row %zu %s",
				    i, col);
			else
				cr_expect_str_eq(got, want, "row %zu %s: [%s] want [%s]", i, col, got,
				    want);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Queueing                                                            */
/* ------------------------------------------------------------------ */

Test(exports, format_queues_a_job_with_the_validated_filters)
{
	long long id = queue(MEMBER1, "/v2/offers?created_by=2&statuses[]=active&query=nordic"
	    "&page=3&size=7&format=xlsx&unknown=1");

	/* The row: the caller, the kind, the format, the list's own fields only. */
	char *row = sqlf("SELECT CONCAT_WS(' ', user_id, kind, format, filters) FROM exports"
	    " WHERE id = %lld", id);
	/* As the query string parser gives them: a list is an object of indexes. */
	cr_expect_str_eq(row, "2 offers xlsx {\"query\":\"nordic\",\"statuses\":{\"0\":"
	    "\"active\"},\"created_by\":\"2\"}");
	free(row);
	struct json_object *j = wait_finished(MEMBER1, id);
	cr_expect_str_eq(jstr(j, "status"), "done", "%s", jtext(j));
	json_object_put(j);

	/* Media in every format, admins only. */
	static const char *const formats[] = { "csv", "xlsx", "json" };
	char url[128];
	for (size_t i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "/v2/user-media?type=instagram&format=%s", formats[i]);
		queue(ADMIN, url);
	}
}

Test(exports, bad_input_queues_nothing)
{
	static const struct {
		int user;
		const char *url, *field, *msg;
	} cases[] = {
		{ ADMIN, "/v2/offers?created_by=1&format=pdf", "format",
		  "The selected format is invalid." },
		{ ADMIN, "/v2/offers?created_by=1&format=json", "format",
		  "The selected format is invalid." },
		{ ADMIN, "/v2/offers?format=csv", "created_by", "The created by field is required." },
		{ MEMBER1, "/v2/offers?created_by=1&format=csv", "created_by",
		  "The selected created by is invalid." },
		{ ADMIN, "/v2/offers?created_by=1&statuses[]=x&format=csv", "statuses.0",
		  "The selected statuses.0 is invalid." },
		{ ADMIN, "/v2/user-media?status=9&format=csv", "status",
		  "The selected status is invalid." },
		{ ADMIN, "/v2/user-media?format=pdf", "format", "The selected format is invalid." },
	};
	long long before = sql_number("SELECT COUNT(*) FROM exports");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = req("GET", cases[i].url, tok(cases[i].user), NULL);
		cr_expect_eq(r.status, 422, "%s: %ld", cases[i].url, r.status);
		/* The field's name may hold a dot ("statuses.0"): no jpath. */
		struct json_object *msgs = json_object_object_get(jpath(r.json, "errors"),
		    cases[i].field);
		cr_expect_str_eq(msgs ? json_object_get_string(json_object_array_get_idx(msgs, 0))
		    : "", cases[i].msg, "%s", cases[i].url);
		resp_free(&r);
	}
	/* Who may not call the list may not export it. */
	struct resp r = req("GET", "/v2/user-media?format=csv", tok(MEMBER1), NULL);
	expect_error(r, 403);
	resp_free(&r);
	r = req("GET", "/v2/offers?created_by=3&format=csv", tok(CREATOR1), NULL);
	expect_error(r, 403);
	resp_free(&r);
	r = req("GET", "/v2/offers?created_by=1&format=csv", NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM exports"), before);
}

/* ------------------------------------------------------------------ */
/* The files hold the list                                             */
/* ------------------------------------------------------------------ */

#define OFFER_COLUMNS \
	"\"id\",\"campaign_title\",\"campaign_text\",\"has_product_seeding\"," \
	"\"has_onetime_payment\",\"status\",\"image_url\",\"image.key\",\"image.url\"," \
	"\"image.base_url\",\"image.base64\",\"store_id\",\"token\",\"type\""
#define OFFER_INCLUDE_COLUMNS \
	",\"traffic_sources_costs\",\"store.id\",\"store.name\",\"store.logo_url\"," \
	"\"store.currency\",\"store.store_group_id\",\"targets\",\"shared_budget.id\"," \
	"\"shared_budget.title\",\"shared_budget.amount\",\"shared_budget.consumed_budget\"," \
	"\"shared_budget.currency\""

/* Texts a spreadsheet would run, and ones CSV must quote, on store 1's campaigns. */
static void
hostile_titles(void)
{
	free(sql("UPDATE offers SET campaign_title = CONCAT('=1+1', CHAR(9), '_orig_', "
	    "campaign_title) WHERE id = 1"));
	free(sql("UPDATE offers SET campaign_title = CONCAT('-5 @a +b ', '_orig_', campaign_title),"
	    " campaign_text = CONCAT(CHAR(34), 'q', CHAR(34), ', x', CHAR(13), CHAR(10), 'y',"
	    " '_orig_', campaign_text) WHERE id = 2"));
}

static void
restore_titles(void)
{
	free(sql("UPDATE offers SET campaign_title = SUBSTRING_INDEX(campaign_title, '_orig_', -1),"
	    " campaign_text = SUBSTRING_INDEX(campaign_text, '_orig_', -1) WHERE id IN (1, 2)"));
}

static const char offers_query[] = "/v2/offers?created_by=2&statuses[]=active"
    "&statuses[]=paused&statuses[]=ended&statuses[]=scheduled&statuses[]=deleted"
    "&include[]=store&include[]=sharedBudget&include[]=targets"
    "&include[]=trafficSourcesCosts&sort_by=name:desc";

Test(exports, offers_csv_and_xlsx_hold_the_list, .init = hostile_titles, .fini = restore_titles)
{
	struct json_object *items = list_all(MEMBER1, offers_query, false);
	char url[1024], name[64];

	cr_assert_geq(json_object_array_length(items), 3);
	/* csv */
	snprintf(url, sizeof(url), "%s&format=csv", offers_query);
	long long id = export_done(MEMBER1, url);
	struct json_object *j = wait_finished(MEMBER1, id);
	cr_expect_eq(jint(j, "rows"), (long long)json_object_array_length(items));
	snprintf(name, sizeof(name), "offers-%lld.csv", id);
	char *path = download(base_http(), MEMBER1, id, "text/csv; charset=utf-8", name);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(jint(j, "size"), (long long)st.st_size);
	json_object_put(j);
	struct json_object *file = read_back("csv", path);
	expect_file_rows("csv", file, items, "[" OFFER_COLUMNS OFFER_INCLUDE_COLUMNS "]");
	/* The guard, as the bytes have it: an apostrophe first, quoted when needed. */
	FILE *f = fopen(path, "rb");
	char raw[65536];
	size_t n = fread(raw, 1, sizeof(raw) - 1, f);
	raw[n] = '\0';
	fclose(f);
	cr_expect(strstr(raw, ",'=1+1\t_orig_") != NULL, "no guarded =1+1 cell");
	cr_expect(strstr(raw, ",'-5 @a +b _orig_") != NULL, "no guarded -5 cell");
	cr_expect(strstr(raw, ",\"\"\"q\"\", x\r\ny_orig_") != NULL, "no quoted text cell");
	json_object_put(file);
	unlink(path);
	free(path);

	/* xlsx: typed cells; =1+1 is text, never a formula */
	snprintf(url, sizeof(url), "%s&format=xlsx", offers_query);
	id = export_done(MEMBER1, url);
	snprintf(name, sizeof(name), "offers-%lld.xlsx", id);
	path = download(base_http(), MEMBER1, id,
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
	file = read_back("xlsx", path);
	expect_file_rows("xlsx", file, items, "[" OFFER_COLUMNS OFFER_INCLUDE_COLUMNS "]");
	bool seen = false;
	struct json_object *rows = jpath(file, "rows");
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *cell = json_object_array_get_idx(
		    json_object_array_get_idx(rows, i), 1);
		if (strncmp(json_object_get_string(json_object_array_get_idx(cell, 0)), "=1+1",
		    4) == 0) {
			seen = true;
			cr_expect_str_eq(json_object_get_string(json_object_array_get_idx(cell, 1)),
			    "s");
		}
	}
	cr_expect(seen, "no =1+1 cell in the xlsx");
	json_object_put(file);
	unlink(path);
	free(path);
	json_object_put(items);
}

/* Without includes: the item's own columns; ends_soon order; a filter. */
Test(exports, offers_without_includes_keep_the_list_order)
{
	static const char q[] = "/v2/offers?created_by=1&custom_sort_by=ends_soon";
	struct json_object *items = list_all(ADMIN, q, false);
	char url[256], name[64];

	snprintf(url, sizeof(url), "%s&format=csv", q);
	long long id = export_done(ADMIN, url);
	snprintf(name, sizeof(name), "offers-%lld.csv", id);
	char *path = download(base_http(), ADMIN, id, "text/csv; charset=utf-8", name);
	struct json_object *file = read_back("csv", path);
	expect_file_rows("csv", file, items, "[" OFFER_COLUMNS "]");
	json_object_put(file);
	unlink(path);
	free(path);
	json_object_put(items);
}

#define MEDIA_COLUMNS \
	"[\"id\",\"media_type\",\"media_id\",\"username\",\"tag_id\",\"user_id\",\"favorite\"," \
	"\"show_store\",\"published_at\",\"created_at\",\"updated_at\",\"media.content_type\"," \
	"\"media.href\"]"

Test(exports, media_csv_xlsx_and_json_hold_the_list)
{
	static const char *const queries[] = { "/v2/user-media", "/v2/user-media?status=1" };
	char url[256], name[64];

	for (size_t k = 0; k < 2; k++) {
		struct json_object *items = list_all(ADMIN, queries[k], true);
		for (int f = 0; f < 2; f++) {
			const char *fmt = f ? "xlsx" : "csv";
			snprintf(url, sizeof(url), "%s%sformat=%s", queries[k],
			    k ? "&" : "?", fmt);
			long long id = export_done(ADMIN, url);
			snprintf(name, sizeof(name), "user-media-%lld.%s", id, fmt);
			char *path = download(base_http(), ADMIN, id, f ? "application/"
			    "vnd.openxmlformats-officedocument.spreadsheetml.sheet" :
			    "text/csv; charset=utf-8", name);
			struct json_object *file = read_back(fmt, path);
			expect_file_rows(fmt, file, items, MEDIA_COLUMNS);
			json_object_put(file);
			unlink(path);
			free(path);
		}
		/* JSON lines: each line the list's item, whole. */
		snprintf(url, sizeof(url), "%s%sformat=json", queries[k], k ? "&" : "?");
		long long id = export_done(ADMIN, url);
		snprintf(url, sizeof(url), "/v2/exports/%lld/download", id);
		struct resp r = req("GET", url, tok(ADMIN), NULL);
		cr_assert_eq(r.status, 200);
		cr_expect_str_eq(resp_header(&r, "Content-Type"), "application/x-ndjson");
		char *line = r.body, *nl;
		size_t i = 0;
		for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1, i++) {
			*nl = '\0';
			cr_assert_lt(i, json_object_array_length(items));
			cr_expect_str_eq(line, jtext(json_object_array_get_idx(items, i)));
		}
		cr_expect_eq(i, json_object_array_length(items));
		cr_expect_str_eq(line, "", "the file ends with a newline");
		resp_free(&r);
		json_object_put(items);
	}
}

/* ------------------------------------------------------------------ */
/* Who sees an export                                                  */
/* ------------------------------------------------------------------ */

Test(exports, only_the_requester_or_an_admin)
{
	long long id = export_done(MEMBER1, "/v2/offers?created_by=2&format=csv");
	char url[128], dl[128];
	static const int others[] = { MEMBER2, CREATOR1, 5 };

	snprintf(url, sizeof(url), "/v2/exports/%lld", id);
	snprintf(dl, sizeof(dl), "/v2/exports/%lld/download", id);
	for (size_t i = 0; i < 3; i++) {
		struct resp r = req("GET", url, tok(others[i]), NULL);
		expect_error(r, 404);
		resp_free(&r);
		r = req("GET", dl, tok(others[i]), NULL);
		expect_error(r, 404);
		resp_free(&r);
	}
	struct resp r = req("GET", url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jkeys(r.json), "id,kind,format,status,rows,size,error,created_at,"
	    "finished_at,url");
	cr_expect_str_eq(jstr(r.json, "kind"), "offers");
	cr_expect_str_eq(jstr(r.json, "format"), "csv");
	cr_expect_null(jpath(r.json, "error"));
	resp_free(&r);
	r = req("GET", dl, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect(r.len > 3 && memcmp(r.body, "\xef\xbb\xbf", 3) == 0);
	resp_free(&r);
	/* nginx's internal location is not reachable from outside. */
	snprintf(url, sizeof(url), "/_exports/%lld-1.csv", id);
	r = req("GET", url, NULL, NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = req("GET", "/v2/exports/999999999", tok(ADMIN), NULL);
	expect_error(r, 404);
	resp_free(&r);
}

static void
drop_fake_jobs(void)
{
	free(sql("DELETE FROM exports WHERE worker = 'test:1' OR error LIKE 'test: %'"));
}

Test(exports, download_is_409_until_done, .fini = drop_fake_jobs)
{
	char url[128];

	/* A job another worker holds now (a fresh heartbeat), and a failed one. */
	free(sql("INSERT INTO exports (user_id, kind, format, filters, status, attempts,"
	    " claimed_at, heartbeat_at, worker) VALUES (2, 'offers', 'csv', '{}', 'running', 1,"
	    " UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 HOUR, 'test:1')"));
	long long running = sql_number("SELECT MAX(id) FROM exports WHERE worker = 'test:1'");
	free(sql("INSERT INTO exports (user_id, kind, format, filters, status, attempts, error,"
	    " finished_at) VALUES (2, 'offers', 'csv', '{}', 'failed', 1, 'test: the disk is"
	    " full.', UTC_TIMESTAMP())"));
	long long failed = sql_number("SELECT MAX(id) FROM exports WHERE status = 'failed'");

	snprintf(url, sizeof(url), "/v2/exports/%lld/download", running);
	struct resp r = req("GET", url, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 409);
	cr_expect_str_eq(r.body, "{\"message\":\"The export is not ready yet: it is running.\"}");
	resp_free(&r);
	snprintf(url, sizeof(url), "/v2/exports/%lld", running);
	r = req("GET", url, tok(MEMBER1), NULL);
	cr_expect_str_eq(jstr(r.json, "status"), "running");
	cr_expect_null(jpath(r.json, "rows"));
	cr_expect_null(jpath(r.json, "finished_at"));
	resp_free(&r);
	snprintf(url, sizeof(url), "/v2/exports/%lld/download", failed);
	r = req("GET", url, tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 409);
	cr_expect_str_eq(r.body, "{\"message\":\"The export failed: test: the disk is full.\"}");
	resp_free(&r);
}

static void
stop_others(void)
{
	harness("spawnfcgi-stop", NULL);
	harness("apache-stop", NULL);
}

/* Without nginx's X-Accel-Redirect the app streams the same bytes. */
Test(exports, download_under_spawn_fcgi_and_apache, .fini = stop_others)
{
	char port[16], base[64], name[64];
	int p = atoi(getenv("METAPIC_SPARE_PORT"));
	long long id = export_done(ADMIN, "/v2/user-media?format=xlsx");
	static const char xlsx[] = "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet";

	snprintf(name, sizeof(name), "user-media-%lld.xlsx", id);
	char *via_nginx = download(base_http(), ADMIN, id, xlsx, name);
	for (int k = 0; k < 2; k++) {
		snprintf(port, sizeof(port), "%d", p + 2 * k);
		cr_assert_eq(harness(k ? "apache-start" : "spawnfcgi-start", port), 0);
		snprintf(base, sizeof(base), "http://127.0.0.1:%d", p + 2 * k);
		char *via_app = download(base, ADMIN, id, xlsx, name);
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", via_nginx, via_app);
		cr_expect_eq(system(cmd), 0, "%s differs", k ? "apache" : "spawn-fcgi");
		unlink(via_app);
		free(via_app);
	}
	unlink(via_nginx);
	free(via_nginx);
}

/* ------------------------------------------------------------------ */
/* Workers: killed, stopped, several                                   */
/* ------------------------------------------------------------------ */

#define BIG_MEDIA 150000

/* Enough media rows that an export takes a while (removed afterwards). */
static void
big_media(void)
{
	free(sqlf("INSERT INTO user_media (media_type, media_id, username, show_store,"
	    " published_at, media_content_type, media_href) SELECT 'youtube',"
	    " CONCAT('big-', seq), CONCAT('big.creator.', seq), 2, '2025-06-01', 'video/mp4',"
	    " CONCAT('https://media.example/big/', seq) FROM seq_1_to_%d", BIG_MEDIA));
}

static void
drop_big_media(void)
{
	free(sql("DELETE FROM user_media WHERE media_id LIKE 'big-%'"));
	harness("workers-start", NULL);
}

/* The pid of the worker holding export id, once it runs (0: none in 30 s). */
static long
holder(long long id)
{
	for (int i = 0; i < 300; i++) {
		char *w = sqlf("SELECT IFNULL(SUBSTRING_INDEX(worker, ':', -1), '') FROM exports"
		    " WHERE id = %lld AND status = 'running'", id);
		long pid = atol(w);
		free(w);
		if (pid > 0)
			return pid;
		usleep(100000);
	}
	return 0;
}

/* The number of entries of export_dir whose name starts with prefix. */
static int
files_named(const char *prefix)
{
	char cmd[1400], *out;
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '^%s' || true", export_dir(), prefix);
	cr_assert_not_null(p = popen(cmd, "r"));
	out = malloc(64);
	if (fgets(out, 64, p) != NULL)
		n = atoi(out);
	free(out);
	pclose(p);
	return n;
}

Test(exports, a_killed_worker_leaves_no_partial_file, .init = big_media, .fini = drop_big_media,
    .timeout = 240)
{
	char prefix[64], url[128];

	long long want = sql_number("SELECT COUNT(*) FROM user_media WHERE show_store = 2");
	long long id = queue(ADMIN, "/v2/user-media?status=2&format=csv");
	long pid = holder(id);
	cr_assert_gt(pid, 0, "no worker took export %lld", id);
	/* Mid-export: its temporary file is there, nothing else. */
	snprintf(prefix, sizeof(prefix), "\\.%lld-1\\.part", id);
	for (int i = 0; i < 100 && files_named(prefix) == 0; i++)
		usleep(20000);
	cr_expect_eq(files_named(prefix), 1, "no temporary file while it runs");
	cr_assert_eq(kill((pid_t)pid, SIGKILL), 0);
	snprintf(url, sizeof(url), "/v2/exports/%lld/download", id);
	struct resp r = req("GET", url, tok(ADMIN), NULL);
	cr_expect_eq(r.status, 409, "a partial file is never served");
	resp_free(&r);

	/* The other worker takes it after the heartbeat time-out. */
	struct json_object *j = wait_finished(ADMIN, id);
	cr_expect_str_eq(jstr(j, "status"), "done", "%s", jtext(j));
	cr_expect_eq(jint(j, "rows"), want);
	json_object_put(j);
	cr_expect_eq(sql_numberf("SELECT attempts FROM exports WHERE id = %lld", id), 2);
	char *w = sqlf("SELECT SUBSTRING_INDEX(worker, ':', -1) FROM exports WHERE id = %lld", id);
	cr_expect_neq(atol(w), pid, "the same worker cannot have finished it");
	free(w);
	r = req("GET", url, tok(ADMIN), NULL);
	cr_assert_eq(r.status, 200);
	long lines = 0;
	for (size_t i = 0; i < r.len; i++)
		lines += r.body[i] == '\n';
	cr_expect_eq(lines, want + 1, "the header and every row");
	resp_free(&r);
	/* The dead worker's temporary file is gone after a sweep. */
	cr_expect_eq(files_named(prefix), 1);
	cr_assert_eq(harness("exporter", "--sweep"), 0);
	cr_expect_eq(files_named(prefix), 0, "the sweep left the temporary file");
	snprintf(prefix, sizeof(prefix), "%lld-2\\.csv", id);
	cr_expect_eq(files_named(prefix), 1, "the sweep must keep the done file");
}

Test(exports, sigterm_gives_the_job_back, .init = big_media, .fini = drop_big_media,
    .timeout = 240)
{
	long long want = sql_number("SELECT COUNT(*) FROM user_media WHERE show_store = 2");
	long long id = queue(ADMIN, "/v2/user-media?status=2&format=xlsx");
	long pid = holder(id);
	char prefix[64];

	cr_assert_gt(pid, 0);
	usleep(300000);
	cr_assert_eq(kill((pid_t)pid, SIGTERM), 0);
	/* The worker exits, its temporary file removed, the job queued again... */
	for (int i = 0; i < 100 && kill((pid_t)pid, 0) == 0; i++)
		usleep(100000);
	cr_expect_neq(kill((pid_t)pid, 0), 0, "the worker did not stop");
	snprintf(prefix, sizeof(prefix), "\\.%lld-", id);
	struct json_object *j = wait_finished(ADMIN, id);
	/* ...and the other worker writes it at once, as its first attempt. */
	cr_expect_str_eq(jstr(j, "status"), "done", "%s", jtext(j));
	cr_expect_eq(jint(j, "rows"), want);
	json_object_put(j);
	cr_expect_eq(sql_numberf("SELECT attempts FROM exports WHERE id = %lld", id), 1);
	cr_expect_eq(files_named(prefix), 0, "a temporary file was left");
	char log[1200];
	snprintf(log, sizeof(log), "grep -q 'export %lld: given back to the queue' '%s/metapic.log'",
	    id, getenv("METAPIC_DIR"));
	cr_expect_eq(system(log), 0, "no give-back in the log");
}

static void
workers_back(void)
{
	harness("workers-start", NULL);
}

/*
 * Many jobs queued while no worker runs, then two workers started at once
 * racing for them: each job claimed by exactly one of them, once; both
 * had a share.
 */
Test(exports, two_workers_never_take_the_same_job, .fini = workers_back, .timeout = 240)
{
	enum { JOBS = 24 };
	static const struct {
		int user;
		const char *url;
	} kinds[] = {
		{ ADMIN, "/v2/user-media?format=json" },
		{ MEMBER1, "/v2/offers?created_by=2&format=csv" },
		{ MEMBER2, "/v2/offers?created_by=4&format=xlsx" },
	};
	long long ids[JOBS];
	char cmd[1400];

	cr_assert_eq(harness("workers-stop", NULL), 0);
	for (int i = 0; i < JOBS; i++)
		ids[i] = queue(kinds[i % 3].user, kinds[i % 3].url);
	cr_assert_eq(harness("workers-start", NULL), 0);
	for (int i = 0; i < JOBS; i++) {
		struct json_object *j = wait_finished(kinds[i % 3].user, ids[i]);
		cr_expect_str_eq(jstr(j, "status"), "done");
		json_object_put(j);
		cr_expect_eq(sql_numberf("SELECT attempts FROM exports WHERE id = %lld", ids[i]), 1);
		snprintf(cmd, sizeof(cmd), "test \"$(grep -c 'export %lld: .* attempt ' '%s/metapic.log')\""
		    " = 1", ids[i], getenv("METAPIC_DIR"));
		cr_expect_eq(system(cmd), 0, "export %lld was claimed more than once", ids[i]);
	}
	cr_expect_eq(sql_numberf("SELECT COUNT(DISTINCT worker) FROM exports WHERE id BETWEEN %lld"
	    " AND %lld", ids[0], ids[JOBS - 1]), 2, "both workers took jobs");
}

/* A caller with 10 exports waiting gets a 429 for the 11th; nothing is queued. */
Test(exports, ten_waiting_exports_a_caller, .fini = workers_back)
{
	cr_assert_eq(harness("workers-stop", NULL), 0);
	long long before = sql_number("SELECT COUNT(*) FROM exports");
	long long mine = sql_number("SELECT COUNT(*) FROM exports WHERE user_id = 4"
	    " AND status IN ('queued', 'running')");
	for (long long i = mine; i < 10; i++)
		queue(MEMBER2, "/v2/offers?created_by=4&format=csv");
	struct resp r = req("GET", "/v2/offers?created_by=4&format=csv", tok(MEMBER2), NULL);
	expect_error(r, 429);
	cr_expect_str_eq(resp_header(&r, "Retry-After"), "30");
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM exports"), before + 10 - mine);
	/* Others are not held up by it. */
	queue(MEMBER1, "/v2/offers?created_by=2&format=csv");
}

/*
 * A worker frozen past the heartbeat time-out loses its job to the other;
 * woken, it sees that (its heartbeat matches no row), stops and leaves no
 * file: the job is the other worker's, done once.
 */
Test(exports, a_frozen_worker_gives_way, .init = big_media, .fini = drop_big_media,
    .timeout = 240)
{
	long long want = sql_number("SELECT COUNT(*) FROM user_media WHERE show_store = 2");
	long long id = queue(ADMIN, "/v2/user-media?status=2&format=csv");
	long pid = holder(id);
	char prefix[64];

	cr_assert_gt(pid, 0);
	cr_assert_eq(kill((pid_t)pid, SIGSTOP), 0);
	/* The other worker claims it once the heartbeat is 5 s old. */
	long long attempts = 0;
	for (int i = 0; i < 300 && attempts < 2; i++) {
		usleep(100000);
		attempts = sql_numberf("SELECT attempts FROM exports WHERE id = %lld", id);
	}
	kill((pid_t)pid, SIGCONT);
	cr_assert_eq(attempts, 2, "nobody took the frozen worker's job");
	struct json_object *j = wait_finished(ADMIN, id);
	cr_expect_str_eq(jstr(j, "status"), "done", "%s", jtext(j));
	cr_expect_eq(jint(j, "rows"), want);
	json_object_put(j);
	cr_expect_eq(sql_numberf("SELECT attempts FROM exports WHERE id = %lld", id), 2);
	/* The frozen one's file (temporary or renamed) is gone once it noticed. */
	snprintf(prefix, sizeof(prefix), "\\.\\?%lld-1\\.", id);
	for (int i = 0; i < 100 && files_named(prefix) > 0; i++)
		usleep(100000);
	cr_expect_eq(files_named(prefix), 0, "the frozen worker left a file");
	snprintf(prefix, sizeof(prefix), "%lld-2\\.csv", id);
	cr_expect_eq(files_named(prefix), 1);
	char log[1200];
	/* By its heartbeat, or at the end by the claim the done UPDATE names. */
	snprintf(log, sizeof(log), "grep -qE 'export %lld: (taken by another worker|no longer"
	    " this worker)' '%s/metapic.log'", id, getenv("METAPIC_DIR"));
	cr_expect_eq(system(log), 0, "the frozen worker did not notice");
}

/* ------------------------------------------------------------------ */
/* The sweep                                                           */
/* ------------------------------------------------------------------ */

static void
make_file(const char *dir, const char *name, int days_old)
{
	char cmd[1400];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && echo x >'%s/%s' && touch -d '%d days ago'"
	    " '%s/%s'", dir, dir, name, days_old, dir, name);
	cr_assert_eq(system(cmd), 0);
}

static bool
exists(const char *dir, const char *name)
{
	char path[1400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

Test(exports, the_sweep_removes_what_is_old)
{
	const char *ed = export_dir();
	char media[1200], inv[1200], name[64];

	snprintf(inv, sizeof(inv), "%s/invoices", ed);
	snprintf(media, sizeof(media), "%s/../media/tmp", ed);
	/* An old finished export with its file, and a recent one. */
	free(sql("INSERT INTO exports (user_id, kind, format, filters, status, attempts,"
	    " file_path, created_at, finished_at) VALUES (2, 'offers', 'csv', '{}', 'done', 1,"
	    " 'PLACEHOLDER', UTC_TIMESTAMP() - INTERVAL 9 DAY, UTC_TIMESTAMP() - INTERVAL 8 DAY)"));
	long long old = sql_number("SELECT MAX(id) FROM exports WHERE file_path = 'PLACEHOLDER'");
	snprintf(name, sizeof(name), "%lld-1.csv", old);
	free(sqlf("UPDATE exports SET file_path = '%s' WHERE id = %lld", name, old));
	make_file(ed, name, 8);
	long long recent = export_done(MEMBER1, "/v2/offers?created_by=2&format=csv");
	char recent_name[64];
	snprintf(recent_name, sizeof(recent_name), "%lld-1.csv", recent);
	/* Files no job names, old temporary files, invoice zips, unused uploads. */
	make_file(ed, "777777-1.csv", 1);
	make_file(ed, ".777777-1.part", 1);
	make_file(ed, "notes.txt", 30);
	make_file(inv, "invoices-2019-01-old.zip", 30);
	make_file(inv, "invoices-2019-02-new.zip", 1);
	make_file(media, "0123456789abcdef0123456789abcdef.png", 3);
	make_file(media, "fedcba9876543210fedcba9876543210.png", 0);
	free(sql("INSERT INTO image_uploads (user_id, path, content_type, size_bytes, created_at)"
	    " VALUES (2, 'tmp/0123456789abcdef0123456789abcdef.png', 'image/png', 2,"
	    " UTC_TIMESTAMP() - INTERVAL 2 DAY), (2, 'tmp/fedcba9876543210fedcba9876543210.png',"
	    " 'image/png', 2, UTC_TIMESTAMP() - INTERVAL 1 HOUR)"));

	cr_assert_eq(harness("exporter", "--sweep"), 0);

	cr_expect_eq(sql_numberf("SELECT COUNT(*) FROM exports WHERE id = %lld", old), 0);
	cr_expect_not(exists(ed, name));
	cr_expect_eq(sql_numberf("SELECT COUNT(*) FROM exports WHERE id = %lld", recent), 1);
	cr_expect(exists(ed, recent_name));
	cr_expect_not(exists(ed, "777777-1.csv"));
	cr_expect_not(exists(ed, ".777777-1.part"));
	cr_expect(exists(ed, "notes.txt"), "a file the sweep does not know is kept");
	cr_expect_not(exists(inv, "invoices-2019-01-old.zip"));
	cr_expect(exists(inv, "invoices-2019-02-new.zip"));
	cr_expect_not(exists(media, "0123456789abcdef0123456789abcdef.png"));
	cr_expect(exists(media, "fedcba9876543210fedcba9876543210.png"));
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM image_uploads WHERE path ="
	    " 'tmp/0123456789abcdef0123456789abcdef.png'"), 0);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM image_uploads WHERE path ="
	    " 'tmp/fedcba9876543210fedcba9876543210.png'"), 1);
	/* The demo's used upload stays. */
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM image_uploads WHERE id = 1"), 1);

	free(sql("DELETE FROM image_uploads WHERE path = 'tmp/fedcba9876543210fedcba9876543210.png'"));
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "rm -f '%s/notes.txt' '%s/invoices-2019-02-new.zip'"
	    " '%s/fedcba9876543210fedcba9876543210.png'", ed, inv, media);
	cr_expect_eq(system(cmd), 0);
}
