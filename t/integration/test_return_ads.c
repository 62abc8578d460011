/*
 * test_return_ads.c -- integration tests of return ads through nginx:
 * GET /v2/return-ads/{id} and the list (envelope, every filter, every
 * sort column, each 422, who sees what), DELETE, pause and unpause,
 * create and update (the link, the image taken from tmp/, styles, limits,
 * the window; failed writes write nothing), and GET
 * /v2/advertisers/{store_id}/return-ads (the display rules).
 *
 * Expected values come from the database on their own (status, stats,
 * the link object, the image object), never from the server's answer.
 * Fixture ads have ids from 9101 and names "it-rads..."; each test
 * removes what it wrote.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2
#define CREATOR1 3
#define MEMBER2 4

#define EXP_STATUS \
	"(CASE WHEN a.deleted_at IS NOT NULL THEN 'deleted'" \
	" WHEN a.paused_at IS NOT NULL THEN 'paused'" \
	" WHEN a.starts_at > UTC_TIMESTAMP() THEN 'scheduled'" \
	" WHEN a.ends_at < UTC_TIMESTAMP() THEN 'ended' ELSE 'active' END)"

/* The ad's orders that count, by subquery (the server joins a derived table). */
#define EXP_ORDERS(what) \
	"(SELECT " what " FROM orders o WHERE o.return_ad_id = a.id AND o.status <> 'rejected')"

#define ITEM_KEYS \
	"id,name,advertiser_group_id,affiliate_link,author_id,display_for_all_advertisers," \
	"status,styles,image,starts_at,ends_at,stats"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char *q(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *
q(const char *fmt, ...)
{
	char s[4000];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	cr_assert(n > 0 && (size_t)n < sizeof(s), "statement too long");
	return sql(s);
}

static long long qint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long
qint(const char *fmt, ...)
{
	char s[4000], *v;
	va_list ap;
	long long n;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	v = sql(s);
	n = atoll(v);
	free(v);
	return n;
}

static int
fields(char *line, char **f, int max)
{
	int n = 0;

	while (n < max && line != NULL)
		f[n++] = strsep(&line, "\t");
	return n;
}

static bool
is_null(const char *s)
{
	return strcmp(s, "NULL") == 0;
}

static struct json_object *
str_or_null(const char *s)
{
	return is_null(s) ? NULL : json_object_new_string(s);
}

/* A DECIMAL's text as the API writes it: a number, trailing zeros dropped. */
static struct json_object *
dec_or_null(const char *s)
{
	char t[64];
	size_t n;

	if (is_null(s))
		return NULL;
	snprintf(t, sizeof(t), "%s", s);
	if (strchr(t, '.') != NULL) {
		n = strlen(t);
		while (n > 0 && t[n - 1] == '0')
			t[--n] = '\0';
		if (n > 0 && t[n - 1] == '.')
			t[--n] = '\0';
	}
	return json_object_new_double_s(atof(t), t);
}

static char *
conf_value(const char *key)
{
	char line[1024], buf[512] = "";
	FILE *p;

	snprintf(line, sizeof(line), "sed -n 's/^%s = //p' '%s/metapic.conf'", key,
	    getenv("METAPIC_DIR"));
	cr_assert_not_null(p = popen(line, "r"));
	cr_assert_not_null(fgets(buf, sizeof(buf), p), "no %s in metapic.conf", key);
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

static bool
media_exists(const char *rel)
{
	char path[1024], *dir = conf_value("media_dir");

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	free(dir);
	return access(path, F_OK) == 0;
}

static void
media_unlink(const char *rel)
{
	char path[1024], *dir = conf_value("media_dir");

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	free(dir);
	unlink(path);
}

/* The image object of SPEC.md for a return ad's storage path (NULL: null). */
static struct json_object *
exp_image(const char *path)
{
	struct json_object *o;
	char *key, *base, url[2048];

	if (is_null(path))
		return NULL;
	key = q("SELECT TO_BASE64('%s')", path);
	base = conf_value("media_base_url");
	snprintf(url, sizeof(url), "%s/insecure/rs:fit:2000:2000/g:sm/%s", base, key);
	o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(key));
	json_object_object_add(o, "url", json_object_new_string(url));
	json_object_object_add(o, "base_url", json_object_new_string(base));
	json_object_object_add(o, "base64", json_object_new_string(key));
	free(key);
	free(base);
	return o;
}

/* The affiliate_link object of link id (the reference's shape). */
static struct json_object *
exp_link(const char *id)
{
	struct json_object *o, *adv;
	char *row, *f[9], *base, mtpc[1024];

	if (is_null(id))
		return NULL;
	row = q("SELECT l.id, l.url, l.original_url, l.user_id, l.country, l.provider, s.id,"
	    " s.name, 1 FROM affiliate_links l JOIN stores s ON s.id = l.store_id"
	    " WHERE l.id = %s", id);
	cr_assert_eq(fields(row, f, 9), 9, "link %s: %s", id, row);
	base = conf_value("short_link_base");
	while (base[0] != '\0' && base[strlen(base) - 1] == '/')
		base[strlen(base) - 1] = '\0';
	snprintf(mtpc, sizeof(mtpc), "%s/%s", base, f[0]);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(atoll(f[0])));
	json_object_object_add(o, "url", json_object_new_string(f[1]));
	json_object_object_add(o, "original_url", json_object_new_string(f[2]));
	json_object_object_add(o, "mtpc_url", json_object_new_string(mtpc));
	json_object_object_add(o, "user_id", json_object_new_int64(atoll(f[3])));
	json_object_object_add(o, "country", str_or_null(f[4]));
	json_object_object_add(o, "provider", str_or_null(f[5]));
	adv = json_object_new_object();
	json_object_object_add(adv, "id", json_object_new_int64(atoll(f[6])));
	json_object_object_add(adv, "name", json_object_new_string(f[7]));
	json_object_object_add(o, "advertiser", adv);
	free(base);
	free(row);
	return o;
}

/*
 * Ad id as the reference shows it, with its stats: the kept click and
 * view counters, the orders that count (not rejected), their value and
 * commission, clicks per view and orders per click (4 places; null when
 * nothing to divide by).
 */
static struct json_object *
exp_ad(long long id)
{
	struct json_object *o, *st;
	char *row, *f[18];

	row = q("SELECT a.id, a.name, a.store_group_id, a.affiliate_link_id, a.author_id,"
	    " a.display_for_all_advertisers, " EXP_STATUS ", a.styles, a.image_path,"
	    " a.starts_at, a.ends_at, a.current_clicks, a.current_views, "
	    EXP_ORDERS("COUNT(*)") ", " EXP_ORDERS("COALESCE(SUM(o.order_value), 0)") ", "
	    EXP_ORDERS("COALESCE(SUM(o.commission), 0)") ","
	    " IF(a.current_views > 0, CAST(a.current_clicks / a.current_views AS DECIMAL(20,4)),"
	    " NULL), IF(a.current_clicks > 0, CAST(" EXP_ORDERS("COUNT(*)")
	    " / a.current_clicks AS DECIMAL(20,4)), NULL) FROM return_ads a WHERE a.id = %lld", id);
	cr_assert_eq(fields(row, f, 18), 18, "ad %lld: %s", id, row);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(atoll(f[0])));
	json_object_object_add(o, "name", json_object_new_string(f[1]));
	json_object_object_add(o, "advertiser_group_id", json_object_new_int64(atoll(f[2])));
	json_object_object_add(o, "affiliate_link", exp_link(f[3]));
	json_object_object_add(o, "author_id", json_object_new_int64(atoll(f[4])));
	json_object_object_add(o, "display_for_all_advertisers",
	    json_object_new_boolean(f[5][0] == '1'));
	json_object_object_add(o, "status", json_object_new_string(f[6]));
	json_object_object_add(o, "styles", is_null(f[7]) ? NULL : json_tokener_parse(f[7]));
	json_object_object_add(o, "image", exp_image(f[8]));
	json_object_object_add(o, "starts_at", str_or_null(f[9]));
	json_object_object_add(o, "ends_at", str_or_null(f[10]));
	st = json_object_new_object();
	json_object_object_add(st, "current_clicks", json_object_new_int64(atoll(f[11])));
	json_object_object_add(st, "current_views", json_object_new_int64(atoll(f[12])));
	json_object_object_add(st, "order_count", json_object_new_int64(atoll(f[13])));
	json_object_object_add(st, "order_value", json_object_new_int64(atoll(f[14])));
	json_object_object_add(st, "earnings", json_object_new_int64(atoll(f[15])));
	json_object_object_add(st, "click_through_rate", dec_or_null(f[16]));
	json_object_object_add(st, "conversion_rate", dec_or_null(f[17]));
	json_object_object_add(o, "stats", st);
	free(row);
	return o;
}

/* Checks that item is exactly ad id as exp_ad() computes it. */
static void
expect_ad(struct json_object *item, long long id)
{
	struct json_object *want = exp_ad(id);
	char *w = strdup(jtext(want));

	cr_expect_str_eq(jkeys(item), ITEM_KEYS);
	cr_expect_str_eq(jtext(item), w, "ad %lld", id);
	free(w);
	json_object_put(want);
}

static void
expect_422(int user, const char *method, const char *path, const char *body,
    const char *key, const char *msg)
{
	char want[1200];
	struct resp r = req(method, path, tok(user), body);

	snprintf(want, sizeof(want), "{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}", msg,
	    key, msg);
	cr_expect_eq(r.status, 422, "%s %s %s: %ld %s", method, path, body ? body : "", r.status,
	    r.body);
	cr_expect_str_eq(r.body, want, "%s %s", path, body ? body : "");
	resp_free(&r);
}

/* Comma-joined ids a SELECT GROUP_CONCAT answers ("" for none). */
static char *
ids(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *
ids(const char *fmt, ...)
{
	char s[4000], *v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	v = sql(s);
	if (is_null(v))
		v[0] = '\0';
	return v;
}

/* The uploads this suite made (tmp/ paths), to remove. */
static char uploads[8][512];
static size_t nuploads;

/* Removes the fixture ads, the links they made, the uploads and their files. */
static void
cleanup(void)
{
	char *rows = sql("SELECT GROUP_CONCAT(image_path SEPARATOR ' ') FROM return_ads"
	    " WHERE (id >= 9100 OR name LIKE 'it-rads%') AND image_path IS NOT NULL");
	char *save = NULL;

	if (!is_null(rows))
		for (char *p = strtok_r(rows, " ", &save); p; p = strtok_r(NULL, " ", &save))
			media_unlink(p);
	free(rows);
	free(sql("DELETE FROM return_ads WHERE id >= 9100 OR name LIKE 'it-rads%'"));
	free(sql("DELETE FROM idempotency_keys WHERE idem_key LIKE 'it-rads%'"));
	free(sql("DELETE FROM affiliate_links WHERE original_url LIKE 'https://nordicbeauty.se/"
	    "it-rads%' OR original_url LIKE 'https://sportkompaniet.se/it-rads%'"));
	for (size_t i = 0; i < nuploads; i++) {
		media_unlink(uploads[i]);
		free(q("DELETE FROM image_uploads WHERE path = '%s'", uploads[i]));
	}
	nuploads = 0;
}

/*
 * A fixture ad of store 1 (market 1) with link 20: id, flags for all
 * advertisers, limits and counters, window and paused_at as SQL.
 */
static void
fixture(long long id, int all, const char *limits, const char *window)
{
	free(q("INSERT INTO return_ads (id, name, store_group_id, store_id, affiliate_link_id,"
	    " author_id, display_for_all_advertisers, click_limit, view_limit, current_clicks,"
	    " current_views, starts_at, ends_at, paused_at, created_at) VALUES (%lld,"
	    " 'it-rads-%lld', 1, 1, 20, 1, %d, %s, %s, '2001-01-01 00:00:00')", id, id, all,
	    limits, window));
}

/* A 1x1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
	0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f, 0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7, 0x35, 0x81,
	0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* Uploads an image as the admin; its key (malloc'd) and tmp path in path. */
static char *
upload(char *path, size_t sz)
{
	char ct[] = "multipart/form-data; boundary=" FORM_BOUNDARY, *body, *key, *p;
	size_t len;
	struct resp r;

	body = form_file("image", "ad.png", "image/png", png, sizeof(png), 0, &len);
	r = req_ex("POST", "/v2/image-uploads", tok(ADMIN), body, len, ct, NULL);
	free(body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	key = strdup(jstr(r.json, "key"));
	resp_free(&r);
	p = q("SELECT CONVERT(FROM_BASE64('%s') USING utf8mb4)", key);
	snprintf(path, sz, "%s", p);
	free(p);
	cr_assert(strncmp(path, "tmp/", 4) == 0, "%s", path);
	if (nuploads < 8)
		snprintf(uploads[nuploads++], sizeof(uploads[0]), "%s", path);
	return key;
}

/* ------------------------------------------------------------------ */
/* GET /v2/return-ads/{id}                                             */
/* ------------------------------------------------------------------ */

Test(return_ads, show_shape_and_who)
{
	static const struct {
		int user;
		const char *path;
		long long id;	/* 0: refused with status */
		int status;
	} cases[] = {
		{ ADMIN, "/v2/return-ads/1", 1, 200 },
		{ ADMIN, "/v2/return-ads/3", 3, 200 },	/* no styles */
		{ ADMIN, "/v2/return-ads/4", 4, 200 },	/* paused */
		{ ADMIN, "/v2/return-ads/5", 5, 200 },	/* ended */
		{ ADMIN, "/v2/return-ads/6", 6, 200 },	/* scheduled */
		{ MEMBER1, "/v2/return-ads/1", 1, 200 },	/* store 1's */
		{ MEMBER1, "/v2/return-ads/5", 5, 200 },
		{ MEMBER1, "/v2/return-ads/2", 0, 404 },	/* store 4's */
		{ MEMBER2, "/v2/return-ads/1", 0, 404 },
		{ CREATOR1, "/v2/return-ads/1", 0, 403 },
		{ ADMIN, "/v2/return-ads/7", 0, 404 },	/* deleted */
		{ ADMIN, "/v2/return-ads/999999", 0, 404 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = req("GET", cases[i].path, tok(cases[i].user), NULL);
		if (cases[i].id == 0)
			expect_error(r, cases[i].status);
		else {
			cr_expect_eq(r.status, 200, "%s: %s", cases[i].path, r.body);
			expect_ad(r.json, cases[i].id);
		}
		resp_free(&r);
	}
	/* The demo's statuses, one each. */
	struct resp r = req("GET", "/v2/return-ads/4", tok(ADMIN), NULL);
	cr_expect_str_eq(jstr(r.json, "status"), "paused");
	resp_free(&r);
	r = req("GET", "/v2/return-ads/1", tok(ADMIN), NULL);
	cr_expect_str_eq(jstr(r.json, "status"), "active");
	cr_expect(jint(r.json, "stats.current_clicks") > 0);
	cr_expect(jint(r.json, "stats.order_count") > 0, "%s", r.body);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* GET /v2/return-ads                                                  */
/* ------------------------------------------------------------------ */

Test(return_ads, list_envelope_items_and_members)
{
	struct resp r = req("GET", "/v2/return-ads", tok(ADMIN), NULL);
	char *want;

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "data,links,meta");
	want = ids("SELECT GROUP_CONCAT(id ORDER BY created_at DESC, id DESC) FROM return_ads"
	    " WHERE deleted_at IS NULL");
	cr_expect_str_eq(jids(jpath(r.json, "data")), want);
	cr_expect_eq(jint(r.json, "meta.total"),
	    qint("SELECT COUNT(*) FROM return_ads WHERE deleted_at IS NULL"));
	cr_expect_eq(jint(r.json, "meta.per_page"), 20);
	for (size_t i = 0; i < json_object_array_length(jpath(r.json, "data")); i++) {
		struct json_object *it = json_object_array_get_idx(jpath(r.json, "data"), i);
		expect_ad(it, jint(it, "id"));
	}
	free(want);
	resp_free(&r);

	/* Members: the ads of their stores only. */
	static const struct {
		int user;
		const char *stores;
	} members[] = { { MEMBER1, "1" }, { MEMBER2, "2" } };
	for (size_t i = 0; i < 2; i++) {
		r = req("GET", "/v2/return-ads?size=100", tok(members[i].user), NULL);
		cr_expect_eq(r.status, 200);
		want = ids("SELECT GROUP_CONCAT(id ORDER BY created_at DESC, id DESC)"
		    " FROM return_ads WHERE deleted_at IS NULL AND store_id IN (%s)",
		    members[i].stores);
		cr_expect_str_eq(jids(jpath(r.json, "data")), want, "user %d", members[i].user);
		free(want);
		resp_free(&r);
	}
	/* A member's or_id and filters stay within their stores. */
	r = req("GET", "/v2/return-ads?or_id=2&advertiser_ids[]=4", tok(MEMBER1), NULL);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "");
	resp_free(&r);
	r = req("GET", "/v2/return-ads", tok(CREATOR1), NULL);
	expect_error(r, 403);
	resp_free(&r);
}

Test(return_ads, list_filters)
{
	static const struct {
		const char *query;
		const char *where;
	} cases[] = {
		{ "query=banner", "a.deleted_at IS NULL AND a.name LIKE '%banner%'" },
		{ "query=Moda", "a.deleted_at IS NULL AND a.name LIKE '%moda%'" },
		{ "query=3", "a.deleted_at IS NULL AND (a.id = 3 OR a.name LIKE '%3%')" },
		{ "query=50%25", "a.deleted_at IS NULL AND a.name LIKE '%50\\\\%%'" },
		{ "advertiser_group_ids[]=3", "a.deleted_at IS NULL AND a.store_group_id = 3" },
		{ "advertiser_group_ids[]=1&advertiser_group_ids[]=3", "a.deleted_at IS NULL" },
		{ "advertiser_ids[]=1&advertiser_ids[]=4",
		    "a.deleted_at IS NULL AND a.store_id IN (1, 4)" },
		{ "statuses[]=paused", EXP_STATUS " = 'paused'" },
		{ "statuses[]=ended", EXP_STATUS " = 'ended'" },
		{ "statuses[]=scheduled", EXP_STATUS " = 'scheduled'" },
		{ "statuses[]=active", EXP_STATUS " = 'active'" },
		{ "statuses[]=deleted", EXP_STATUS " = 'deleted'" },
		{ "statuses[]=active&statuses[]=deleted", EXP_STATUS " IN ('active', 'deleted')" },
		{ "created_by=1", "a.deleted_at IS NULL AND a.author_id = 1" },
		{ "created_by=2", "a.deleted_at IS NULL AND a.author_id = 2" },
		{ "or_id=4&statuses[]=active",
		    "a.deleted_at IS NULL AND (" EXP_STATUS " = 'active' OR a.id = 4)" },
		{ "or_id=6&advertiser_group_ids[]=1&statuses[]=active",
		    "a.deleted_at IS NULL AND ((" EXP_STATUS " = 'active' AND a.store_group_id = 1)"
		    " OR a.id = 6)" },
		{ "size=2&page=2", NULL },
	};
	char url[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *want;
		snprintf(url, sizeof(url), "/v2/return-ads?%s", cases[i].query);
		struct resp r = req("GET", url, tok(ADMIN), NULL);
		cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
		if (cases[i].where != NULL)
			want = ids("SELECT GROUP_CONCAT(a.id ORDER BY a.created_at DESC, a.id DESC)"
			    " FROM return_ads a WHERE %s", cases[i].where);
		else
			want = ids("SELECT GROUP_CONCAT(id ORDER BY created_at DESC, id DESC)"
			    " FROM (SELECT id, created_at FROM return_ads WHERE deleted_at IS NULL"
			    " ORDER BY created_at DESC, id DESC LIMIT 2 OFFSET 2) x");
		cr_expect_str_eq(jids(jpath(r.json, "data")), want, "%s", url);
		free(want);
		resp_free(&r);
	}
}

Test(return_ads, list_every_sort_column)
{
	static const struct {
		const char *col;
		const char *expr;
	} cols[] = {
		{ "name", "a.name" },
		{ "created_at", "a.created_at" },
		{ "starts_at", "a.starts_at" },
		{ "ends_at", "a.ends_at" },
		{ "current_clicks", "a.current_clicks" },
		{ "current_views", "a.current_views" },
		{ "order_count", EXP_ORDERS("COUNT(*)") },
		{ "order_value", EXP_ORDERS("COALESCE(SUM(o.order_value), 0)") },
		{ "earnings", EXP_ORDERS("COALESCE(SUM(o.commission), 0)") },
		{ "click_through_rate", "ROUND(a.current_clicks / NULLIF(a.current_views, 0), 4)" },
		{ "conversion_rate",
		    "ROUND(" EXP_ORDERS("COUNT(*)") " / NULLIF(a.current_clicks, 0), 4)" },
	};
	static const char *const dirs[] = { "asc", "desc" };
	char url[256];

	/* Ties by id in the same direction; NULLs first ascending (MariaDB). */
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		for (int d = 0; d < 2; d++) {
			snprintf(url, sizeof(url), "/v2/return-ads?sort_by=%s:%s&statuses[]=active"
			    "&statuses[]=paused&statuses[]=ended&statuses[]=scheduled"
			    "&statuses[]=deleted", cols[i].col, dirs[d]);
			struct resp r = req("GET", url, tok(ADMIN), NULL);
			cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
			char *want = ids("SELECT GROUP_CONCAT(a.id ORDER BY %s %s, a.id %s)"
			    " FROM return_ads a", cols[i].expr, dirs[d], dirs[d]);
			cr_expect_str_eq(jids(jpath(r.json, "data")), want, "%s", url);
			free(want);
			resp_free(&r);
		}
	/* The sorts that tell the ads apart in the demo data do. */
	struct resp r = req("GET", "/v2/return-ads?sort_by=order_value:desc", tok(ADMIN), NULL);
	char *top = ids("SELECT a.id FROM return_ads a WHERE a.deleted_at IS NULL ORDER BY "
	    EXP_ORDERS("COALESCE(SUM(o.order_value), 0)") " DESC, a.id DESC LIMIT 1");
	cr_expect_eq(jint(r.json, "data.0.id"), atoll(top));
	free(top);
	resp_free(&r);
}

Test(return_ads, list_422)
{
	static const struct {
		const char *query;
		const char *key;
		const char *msg;
	} cases[] = {
		{ "size=101", "size", "The size field must not be greater than 100." },
		{ "size=0", "size", "The size field must be at least 1." },
		{ "size=x", "size", "The size field must be an integer." },
		{ "page=0", "page", "The page field must be at least 1." },
		{ "sort_by=id:asc", "sort_by", "The selected sort by is invalid." },
		{ "sort_by=name", "sort_by", "The sort by field format is invalid." },
		{ "sort_by=name:up", "sort_by", "The sort by field format is invalid." },
		{ "statuses[]=running", "statuses.0", "The selected statuses.0 is invalid." },
		{ "statuses=active", "statuses", "The statuses field must be an array." },
		{ "advertiser_ids[]=x", "advertiser_ids.0", "The advertiser ids.0 field must be an"
		    " integer." },
		{ "advertiser_group_ids[]=1.5", "advertiser_group_ids.0", "The advertiser group ids.0"
		    " field must be an integer." },
		{ "created_by=me", "created_by", "The created by field must be an integer." },
		{ "or_id=x", "or_id", "The or id field must be an integer." },
		{ "query=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "query",
		    "The query field must not be greater than 64 characters." },
	};
	char url[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/return-ads?%s", cases[i].query);
		expect_422(ADMIN, "GET", url, NULL, cases[i].key, cases[i].msg);
	}
}

/* ------------------------------------------------------------------ */
/* DELETE, pause, unpause                                              */
/* ------------------------------------------------------------------ */

Test(return_ads, delete_pause_unpause)
{
	struct resp r;
	char *at, *again;

	cleanup();
	fixture(9101, 0, "NULL, NULL, 0, 0", "'2025-01-01 00:00:00', '2090-01-01 00:00:00', NULL");
	fixture(9102, 0, "NULL, NULL, 0, 0", "'2025-01-01 00:00:00', '2025-02-01 00:00:00', NULL");

	/* Only admins. */
	static const char *const writes[][2] = {
		{ "POST", "/v2/return-ads/9101/pause" }, { "POST", "/v2/return-ads/9101/unpause" },
		{ "DELETE", "/v2/return-ads/9101" },
	};
	for (size_t i = 0; i < 3; i++)
		for (int u = 2; u <= 5; u++) {
			r = req(writes[i][0], writes[i][1], tok(u), NULL);
			expect_error(r, 403);
			resp_free(&r);
		}
	cr_expect_eq(qint("SELECT COUNT(*) FROM return_ads WHERE id = 9101 AND paused_at IS NULL"
	    " AND deleted_at IS NULL"), 1);

	r = req("POST", "/v2/return-ads/9101/pause", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_ad(r.json, 9101);
	cr_expect_str_eq(jstr(r.json, "status"), "paused");
	resp_free(&r);
	/* Pausing again changes nothing. */
	at = sql("SELECT paused_at FROM return_ads WHERE id = 9101");
	free(sql("SELECT SLEEP(1.1)"));
	r = req("POST", "/v2/return-ads/9101/pause", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200);
	resp_free(&r);
	again = sql("SELECT paused_at FROM return_ads WHERE id = 9101");
	cr_expect_str_eq(again, at);
	free(again);
	free(at);
	r = req("POST", "/v2/return-ads/9101/unpause", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "status"), "active");
	expect_ad(r.json, 9101);
	resp_free(&r);
	r = req("POST", "/v2/return-ads/9101/unpause", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "status"), "active");
	resp_free(&r);

	/* An ended ad cannot be paused; it can be unpaused (nothing to do). */
	expect_422(ADMIN, "POST", "/v2/return-ads/9102/pause", NULL, "returnAd_id",
	    "An ended return ad cannot be paused.");
	cr_expect_eq(qint("SELECT COUNT(*) FROM return_ads WHERE id = 9102 AND paused_at IS NULL"),
	    1);
	r = req("POST", "/v2/return-ads/9102/unpause", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "status"), "ended");
	resp_free(&r);

	/* Delete: soft, 204; then gone for every route but the deleted list. */
	r = req("DELETE", "/v2/return-ads/9101", tok(ADMIN), NULL);
	cr_expect_eq(r.status, 204, "%s", r.body);
	cr_expect_eq(r.len, 0);
	resp_free(&r);
	cr_expect_eq(qint("SELECT COUNT(*) FROM return_ads WHERE id = 9101 AND deleted_at IS NOT"
	    " NULL"), 1);
	static const char *const gone[][2] = {
		{ "GET", "/v2/return-ads/9101" }, { "DELETE", "/v2/return-ads/9101" },
		{ "POST", "/v2/return-ads/9101/pause" }, { "PATCH", "/v2/return-ads/9101" },
	};
	for (size_t i = 0; i < 4; i++) {
		r = req(gone[i][0], gone[i][1], tok(ADMIN), gone[i][0][0] == 'P' ? "{}" : NULL);
		expect_error(r, 404);
		resp_free(&r);
	}
	r = req("GET", "/v2/return-ads?statuses[]=deleted&query=it-rads", tok(ADMIN), NULL);
	cr_expect_str_eq(jids(jpath(r.json, "data")), "9101");
	cr_expect_str_eq(jstr(r.json, "data.0.status"), "deleted");
	resp_free(&r);
	cleanup();
}

/* ------------------------------------------------------------------ */
/* POST /v2/return-ads, PUT|PATCH /v2/return-ads/{id}                  */
/* ------------------------------------------------------------------ */

/* The counts a failed write must leave as they were. */
static long long
footprint(void)
{
	return qint("SELECT (SELECT COUNT(*) FROM return_ads) * 1000000"
	    " + (SELECT COUNT(*) FROM affiliate_links) * 1000"
	    " + (SELECT COUNT(*) FROM image_uploads WHERE used_at IS NOT NULL)"
	    " + (SELECT COUNT(*) FROM return_ad_advertisers) * 100000000"
	    " + (SELECT COUNT(*) FROM return_ad_categories) * 10000000000");
}

Test(return_ads, create_whole)
{
	char tmp[512], body[2048], *key, *row, *f[8];
	long long before_links, id;
	struct resp r;

	cleanup();
	key = upload(tmp, sizeof(tmp));
	before_links = qint("SELECT COUNT(*) FROM affiliate_links");
	snprintf(body, sizeof(body), "{\"name\":\"it-rads-create\",\"advertiser_group_id\":1,"
	    "\"advertiser_id\":1,\"return_link\":\"https://nordicbeauty.se/it-rads-spring\","
	    "\"display_for_all_advertisers\":false,\"advertiser_ids\":[3,4],"
	    "\"advertiser_category_ids\":[4],\"styles\":{\"color\":\"#ffffff\","
	    "\"background\":\"#000000\"},\"image_key\":\"%s\",\"starts_at\":"
	    "\"2025-04-03T15:53:24\",\"ends_at\":\"2093-03-27\",\"click_limit\":4,"
	    "\"view_limit\":5}", key);
	r = req("POST", "/v2/return-ads", tok(ADMIN), body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	id = jint(r.json, "id");
	expect_ad(r.json, id);
	resp_free(&r);

	row = q("SELECT a.name, a.store_group_id, a.store_id, a.author_id, a.starts_at,"
	    " a.ends_at, CONCAT(a.click_limit, '/', a.view_limit), a.image_path FROM return_ads a"
	    " WHERE a.id = %lld", id);
	cr_assert_eq(fields(row, f, 8), 8);
	cr_expect_str_eq(f[0], "it-rads-create");
	cr_expect_str_eq(f[1], "1");
	cr_expect_str_eq(f[2], "1");
	cr_expect_str_eq(f[3], "1");
	cr_expect_str_eq(f[4], "2025-04-03 15:53:24");
	cr_expect_str_eq(f[5], "2093-03-27 23:59:59");	/* a bare date: its whole day */
	cr_expect_str_eq(f[6], "4/5");
	/* The image left tmp/ for return-ads/, the upload is used. */
	char moved[600];
	snprintf(moved, sizeof(moved), "return-ads/%s", tmp + 4);
	cr_expect_str_eq(f[7], moved);
	cr_expect(media_exists(moved));
	cr_expect(!media_exists(tmp));
	cr_expect_eq(qint("SELECT COUNT(*) FROM image_uploads WHERE path = '%s'"
	    " AND used_at IS NOT NULL", tmp), 1);
	free(row);
	/* One new link: the admin's, to store 1, for the URL. */
	cr_expect_eq(qint("SELECT COUNT(*) FROM affiliate_links"), before_links + 1);
	cr_expect_eq(qint("SELECT COUNT(*) FROM affiliate_links l JOIN return_ads a"
	    " ON a.affiliate_link_id = l.id WHERE a.id = %lld AND l.user_id = 1 AND l.store_id = 1"
	    " AND l.original_url = 'https://nordicbeauty.se/it-rads-spring'", id), 1);
	row = ids("SELECT GROUP_CONCAT(store_id ORDER BY store_id) FROM return_ad_advertisers"
	    " WHERE return_ad_id = %lld", id);
	cr_expect_str_eq(row, "3,4");
	free(row);
	row = ids("SELECT GROUP_CONCAT(store_category_id) FROM return_ad_categories"
	    " WHERE return_ad_id = %lld", id);
	cr_expect_str_eq(row, "4");
	free(row);
	row = q("SELECT styles FROM return_ads WHERE id = %lld", id);
	cr_expect_str_eq(row, "{\"color\":\"#ffffff\",\"background\":\"#000000\"}");
	free(row);

	/* The same upload again: used already. Nothing is written. */
	long long fp = footprint();
	snprintf(body, sizeof(body), "{\"name\":\"it-rads-again\",\"advertiser_group_id\":1,"
	    "\"advertiser_id\":1,\"return_link\":\"https://nordicbeauty.se/it-rads-2\","
	    "\"image_key\":\"%s\"}", key);
	expect_422(ADMIN, "POST", "/v2/return-ads", body, "image_key",
	    "The selected image key is invalid.");
	cr_expect_eq(footprint(), fp);

	/* Only admins create. */
	for (int u = 2; u <= 5; u++) {
		r = req("POST", "/v2/return-ads", tok(u), "{\"name\":\"it-rads-x\"}");
		expect_error(r, 403);
		resp_free(&r);
	}
	free(key);
	cleanup();
}

Test(return_ads, create_minimal_and_422)
{
	static const struct {
		const char *body;
		const char *key;
		const char *msg;
	} cases[] = {
		{ "{}", "name", "The name field is required. (and 3 more errors)" },
		{ "{\"advertiser_group_id\":1,\"advertiser_id\":1,\"return_link\":\"https://"
		    "nordicbeauty.se/it-rads\"}", "name", "The name field is required." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1}",
		    "return_link", "The return link field is required." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"ftp://nordicbeauty.se/\"}", "return_link",
		    "The return link field must be a valid URL." },
		/* A link to another advertiser's site (store 4's; store 2's, another market). */
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://sportkompaniet.se/it-rads\"}", "return_link",
		    "The return link field must be a link to the advertiser." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://fjordfashion.no/it-rads\"}", "return_link",
		    "The return link field must be a link to the advertiser." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":99,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\"}", "advertiser_group_id",
		    "The selected advertiser group id is invalid." },
		/* Market 2 has no return ads. */
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":2,\"advertiser_id\":2,"
		    "\"return_link\":\"https://fjordfashion.no/it-rads\"}", "advertiser_group_id",
		    "The selected advertiser group id is invalid." },
		/* Store 7 is of market 3. */
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":7,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\"}", "advertiser_id",
		    "The selected advertiser id is invalid." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":999999,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\"}", "advertiser_id",
		    "The selected advertiser id is invalid." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"advertiser_ids\":[3,7]}",
		    "advertiser_ids.1", "The selected advertiser ids.1 is invalid." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"advertiser_ids\":[999999]}",
		    "advertiser_ids.0", "The selected advertiser ids.0 is invalid." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\","
		    "\"advertiser_category_ids\":[99]}", "advertiser_category_ids.0",
		    "The selected advertiser category ids.0 is invalid." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"click_limit\":-1}",
		    "click_limit", "The click limit field must be at least 0." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"view_limit\":\"x\"}",
		    "view_limit", "The view limit field must be an integer." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"starts_at\":\"2030-01-01\","
		    "\"ends_at\":\"2029-01-01\"}", "ends_at",
		    "The ends at field must be a date after starts at." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"starts_at\":\"soon\"}",
		    "starts_at", "The starts at field must be a valid date." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"styles\":\"red\"}",
		    "styles", "The styles field must be an array." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"styles\":{\"onclick\":"
		    "\"x\"}}", "styles", "The styles field must be an array." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"styles\":{\"color\":1}}",
		    "styles.color", "The styles.color field must be a string." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"image_key\":"
		    "\"dG1wL25vbmUucG5n\"}", "image_key", "The selected image key is invalid." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"image_key\":\"!!\"}",
		    "image_key", "The selected image key is invalid." },
		{ "{\"name\":\"it-rads\",\"advertiser_group_id\":1,\"advertiser_id\":1,"
		    "\"return_link\":\"https://nordicbeauty.se/it-rads\",\"display_for_all_advertisers"
		    "\":\"yes\"}", "display_for_all_advertisers",
		    "The display for all advertisers field must be true or false." },
	};
	long long fp;
	struct resp r;

	cleanup();
	fp = footprint();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = req("POST", "/v2/return-ads", tok(ADMIN), cases[i].body);
		cr_expect_eq(r.status, 422, "%s: %ld %s", cases[i].body, r.status, r.body);
		cr_expect_str_eq(jstr(r.json, "message"), cases[i].msg, "%s", cases[i].body);
		cr_expect_not_null(jpath(r.json, "errors"));
		struct json_object *errs = jpath(r.json, "errors"), *list = NULL;
		cr_expect(errs != NULL && json_object_object_get_ex(errs, cases[i].key, &list) &&
		    list != NULL, "%s: %s", cases[i].body, r.body);
		resp_free(&r);
	}
	cr_expect_eq(footprint(), fp, "a refused create wrote something");

	/* The least: no image, no styles, no window, no limits. */
	r = req("POST", "/v2/return-ads", tok(ADMIN), "{\"name\":\"it-rads-min\","
	    "\"advertiser_group_id\":1,\"advertiser_id\":4,\"return_link\":"
	    "\"https://sportkompaniet.se/it-rads-min\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	expect_ad(r.json, jint(r.json, "id"));
	cr_expect_null(jpath(r.json, "image"));
	cr_expect_null(jpath(r.json, "styles"));
	cr_expect_str_eq(jstr(r.json, "status"), "active");
	cr_expect_eq(jint(r.json, "stats.order_count"), 0);
	cr_expect_null(jpath(r.json, "stats.click_through_rate"));
	resp_free(&r);

	/* A retry with the same Idempotency-Key gets the answer again, one ad. */
	const char *body = "{\"name\":\"it-rads-idem\",\"advertiser_group_id\":1,"
	    "\"advertiser_id\":1,\"return_link\":\"https://nordicbeauty.se/it-rads-idem\"}";
	r = req_ex("POST", "/v2/return-ads", tok(ADMIN), body, strlen(body), "application/json",
	    "Idempotency-Key: it-rads-idem-1");
	cr_expect_eq(r.status, 201, "%s", r.body);
	struct resp r2 = req_ex("POST", "/v2/return-ads", tok(ADMIN), body, strlen(body),
	    "application/json", "Idempotency-Key: it-rads-idem-1");
	cr_expect_eq(r2.status, 201, "%s", r2.body);
	cr_expect_str_eq(r2.body, r.body);
	cr_expect_str_eq(resp_header(&r2, "Idempotent-Replayed"), "true");
	cr_expect_eq(qint("SELECT COUNT(*) FROM return_ads WHERE name = 'it-rads-idem'"), 1);
	resp_free(&r);
	resp_free(&r2);
	cleanup();
}

/* A failure inside the transaction, after the link and the upload were taken. */
Test(return_ads, failed_write_writes_nothing)
{
	char tmp[512], body[1024], *key;
	long long fp;

	cleanup();
	key = upload(tmp, sizeof(tmp));
	/* The file went missing: the move fails after every row was written. */
	media_unlink(tmp);
	fp = footprint();
	snprintf(body, sizeof(body), "{\"name\":\"it-rads-lost\",\"advertiser_group_id\":1,"
	    "\"advertiser_id\":1,\"return_link\":\"https://nordicbeauty.se/it-rads-lost\","
	    "\"advertiser_ids\":[3],\"advertiser_category_ids\":[1],\"image_key\":\"%s\"}", key);
	expect_422(ADMIN, "POST", "/v2/return-ads", body, "image_key",
	    "The selected image key is invalid.");
	cr_expect_eq(footprint(), fp);
	cr_expect_eq(qint("SELECT COUNT(*) FROM image_uploads WHERE path = '%s'"
	    " AND used_at IS NULL", tmp), 1);
	free(key);
	cleanup();
}

Test(return_ads, update_fields_link_image)
{
	char tmp[512], tmp2[512], body[2048], *key, *key2, *v, moved[600];
	long long link, links;
	struct resp r;

	cleanup();
	fixture(9111, 0, "10, 20, 0, 0", "'2025-01-01 00:00:00', '2090-01-01 00:00:00', NULL");
	free(sql("INSERT INTO return_ad_advertisers (return_ad_id, store_id) VALUES (9111, 3)"));

	/* PATCH one field: the rest stays. */
	r = req("PATCH", "/v2/return-ads/9111", tok(ADMIN), "{\"name\":\"it-rads-renamed\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_ad(r.json, 9111);
	cr_expect_str_eq(jstr(r.json, "name"), "it-rads-renamed");
	cr_expect_eq(jint(r.json, "affiliate_link.id"), 20);
	resp_free(&r);
	cr_expect_eq(qint("SELECT COUNT(*) FROM return_ad_advertisers WHERE return_ad_id = 9111"),
	    1);

	/* return_link: a new link of the admin's for the ad's advertiser; the same again, none. */
	links = qint("SELECT COUNT(*) FROM affiliate_links");
	const char *lb = "{\"return_link\":\"https://nordicbeauty.se/it-rads-upd\"}";
	r = req("PUT", "/v2/return-ads/9111", tok(ADMIN), lb);
	cr_expect_eq(r.status, 200, "%s", r.body);
	link = jint(r.json, "affiliate_link.id");
	cr_expect_neq(link, 20);
	cr_expect_str_eq(jstr(r.json, "affiliate_link.original_url"),
	    "https://nordicbeauty.se/it-rads-upd");
	cr_expect_eq(jint(r.json, "affiliate_link.user_id"), 1);
	cr_expect_eq(jint(r.json, "affiliate_link.advertiser.id"), 1);
	resp_free(&r);
	r = req("PUT", "/v2/return-ads/9111", tok(ADMIN), lb);
	cr_expect_eq(jint(r.json, "affiliate_link.id"), link);
	resp_free(&r);
	cr_expect_eq(qint("SELECT COUNT(*) FROM affiliate_links"), links + 1);

	/* Image, styles, sets, limits, window. */
	key = upload(tmp, sizeof(tmp));
	snprintf(body, sizeof(body), "{\"image_key\":\"%s\",\"styles\":{\"font_size\":\"14px\"},"
	    "\"advertiser_ids\":[1,4],\"advertiser_category_ids\":[2,3],"
	    "\"display_for_all_advertisers\":true,\"click_limit\":null,\"view_limit\":0,"
	    "\"ends_at\":\"2091-05-06 07:08:09\"}", key);
	r = req("PATCH", "/v2/return-ads/9111", tok(ADMIN), body);
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_ad(r.json, 9111);
	resp_free(&r);
	snprintf(moved, sizeof(moved), "return-ads/%s", tmp + 4);
	v = q("SELECT CONCAT_WS('|', image_path, styles, display_for_all_advertisers,"
	    " IFNULL(click_limit, 'none'), view_limit, starts_at, ends_at) FROM return_ads"
	    " WHERE id = 9111");
	char want[1024];
	snprintf(want, sizeof(want), "%s|{\"font_size\":\"14px\"}|1|none|0|2025-01-01 00:00:00|"
	    "2091-05-06 07:08:09", moved);
	cr_expect_str_eq(v, want);
	free(v);
	cr_expect(media_exists(moved) && !media_exists(tmp));
	v = ids("SELECT GROUP_CONCAT(store_id ORDER BY store_id) FROM return_ad_advertisers"
	    " WHERE return_ad_id = 9111");
	cr_expect_str_eq(v, "1,4");
	free(v);
	v = ids("SELECT GROUP_CONCAT(store_category_id ORDER BY store_category_id)"
	    " FROM return_ad_categories WHERE return_ad_id = 9111");
	cr_expect_str_eq(v, "2,3");
	free(v);

	/* The ad's own key again keeps it; another image replaces it (the old file goes). */
	char *ownkey = q("SELECT TO_BASE64(image_path) FROM return_ads WHERE id = 9111");
	snprintf(body, sizeof(body), "{\"image_key\":\"%s\"}", ownkey);
	r = req("PATCH", "/v2/return-ads/9111", tok(ADMIN), body);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "image.key"), ownkey);
	resp_free(&r);
	free(ownkey);
	key2 = upload(tmp2, sizeof(tmp2));
	snprintf(body, sizeof(body), "{\"image_key\":\"%s\"}", key2);
	r = req("PATCH", "/v2/return-ads/9111", tok(ADMIN), body);
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	cr_expect(!media_exists(moved), "the replaced image stays");
	snprintf(moved, sizeof(moved), "return-ads/%s", tmp2 + 4);
	cr_expect(media_exists(moved));
	/* null clears styles and the image. */
	r = req("PATCH", "/v2/return-ads/9111", tok(ADMIN), "{\"image_key\":null,\"styles\":null}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_null(jpath(r.json, "image"));
	cr_expect_null(jpath(r.json, "styles"));
	resp_free(&r);
	cr_expect(!media_exists(moved));

	/* The window against what is stored; nothing changes. */
	long long fp = footprint();
	v = q("SELECT CONCAT_WS('|', name, starts_at, ends_at, updated_at) FROM return_ads"
	    " WHERE id = 9111");
	expect_422(ADMIN, "PATCH", "/v2/return-ads/9111", "{\"ends_at\":\"2024-12-31 00:00:00\","
	    "\"name\":\"it-rads-no\"}", "ends_at", "The ends at field must be a date after starts at.");
	expect_422(ADMIN, "PUT", "/v2/return-ads/9111", "{\"starts_at\":\"2095-01-01\","
	    "\"return_link\":\"https://nordicbeauty.se/it-rads-no\"}", "ends_at",
	    "The ends at field must be a date after starts at.");
	expect_422(ADMIN, "PATCH", "/v2/return-ads/9111", "{\"advertiser_ids\":[7],"
	    "\"return_link\":\"https://nordicbeauty.se/it-rads-no\"}", "advertiser_ids.0",
	    "The selected advertiser ids.0 is invalid.");
	expect_422(ADMIN, "PATCH", "/v2/return-ads/9111", "{\"name\":\"it-rads-no\","
	    "\"return_link\":\"https://sportkompaniet.se/it-rads-no\"}", "return_link",
	    "The return link field must be a link to the advertiser.");
	char *after = q("SELECT CONCAT_WS('|', name, starts_at, ends_at, updated_at)"
	    " FROM return_ads WHERE id = 9111");
	cr_expect_str_eq(after, v);
	cr_expect_eq(footprint(), fp);
	free(after);
	free(v);

	/* Only admins. */
	for (int u = 2; u <= 5; u++) {
		r = req("PATCH", "/v2/return-ads/9111", tok(u), "{\"name\":\"it-rads-x\"}");
		expect_error(r, 403);
		resp_free(&r);
	}
	free(key);
	free(key2);
	cleanup();
}

/* ------------------------------------------------------------------ */
/* GET /v2/advertisers/{store_id}/return-ads                           */
/* ------------------------------------------------------------------ */

/*
 * What store s shows, by the rules written out here: running, of the
 * store's market when that market has return ads, under both limits, and
 * for all advertisers, or listing the store, or one of its categories.
 */
static char *
shown_on(long long s)
{
	return ids("SELECT GROUP_CONCAT(a.id ORDER BY a.id) FROM return_ads a"
	    " JOIN stores s ON s.id = %lld JOIN store_groups g ON g.id = s.store_group_id"
	    " WHERE " EXP_STATUS " = 'active' AND a.store_group_id = s.store_group_id"
	    " AND g.return_ad_enabled = 1"
	    " AND (a.click_limit IS NULL OR a.current_clicks < a.click_limit)"
	    " AND (a.view_limit IS NULL OR a.current_views < a.view_limit)"
	    " AND (a.display_for_all_advertisers = 1"
	    " OR a.id IN (SELECT return_ad_id FROM return_ad_advertisers WHERE store_id = s.id)"
	    " OR a.id IN (SELECT c.return_ad_id FROM return_ad_categories c"
	    " JOIN store_store_category x ON x.store_category_id = c.store_category_id"
	    " WHERE x.store_id = s.id))", s);
}

Test(return_ads, for_advertiser_display_rules)
{
	static const struct {
		long long store;
		const char *demo;	/* sql/README: what the demo data shows there */
	} stores[] = {
		{ 1, "1,2" }, { 3, "1,2" }, { 4, "1" }, { 7, "3" }, { 2, "" }, { 6, "" }, { 9, "" },
	};
	char url[128];
	struct resp r;

	cleanup();
	for (size_t i = 0; i < sizeof(stores) / sizeof(stores[0]); i++) {
		char *want = shown_on(stores[i].store);
		snprintf(url, sizeof(url), "/v2/advertisers/%lld/return-ads", stores[i].store);
		r = req("GET", url, tok(CREATOR1), NULL);
		cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
		cr_assert(json_object_is_type(r.json, json_type_array), "%s", r.body);
		cr_expect_str_eq(jids(r.json), want, "%s", url);
		cr_expect_str_eq(want, stores[i].demo, "store %lld", stores[i].store);
		for (size_t k = 0; k < json_object_array_length(r.json); k++) {
			struct json_object *it = json_object_array_get_idx(r.json, k);
			expect_ad(it, jint(it, "id"));
		}
		free(want);
		resp_free(&r);
	}

	/*
	 * Fixtures on store 1's market: listed on store 4, at the click limit,
	 * at the view limit, under both, by category Sports (store 4), paused,
	 * scheduled, ended, deleted, and all advertisers without limits.
	 */
	fixture(9121, 0, "NULL, NULL, 0, 0", "'2025-01-01 00:00:00', NULL, NULL");
	free(sql("INSERT INTO return_ad_advertisers VALUES (9121, 4)"));
	fixture(9122, 1, "5, NULL, 5, 0", "NULL, NULL, NULL");
	fixture(9123, 1, "NULL, 7, 0, 7", "NULL, NULL, NULL");
	fixture(9124, 1, "5, 7, 4, 6", "NULL, NULL, NULL");
	fixture(9125, 0, "NULL, NULL, 0, 0", "NULL, NULL, NULL");
	free(sql("INSERT INTO return_ad_categories VALUES (9125, 4)"));
	fixture(9126, 1, "NULL, NULL, 0, 0", "NULL, NULL, '2025-01-01 00:00:00'");
	fixture(9127, 1, "NULL, NULL, 0, 0", "'2098-01-01 00:00:00', NULL, NULL");
	fixture(9128, 1, "NULL, NULL, 0, 0", "NULL, '2025-01-01 00:00:00', NULL");
	fixture(9129, 1, "NULL, NULL, 0, 0", "NULL, NULL, NULL");
	free(sql("UPDATE return_ads SET deleted_at = UTC_TIMESTAMP() WHERE id = 9129"));
	fixture(9130, 0, "NULL, NULL, 0, 0", "NULL, NULL, NULL");	/* on no one */

	static const struct {
		long long store;
		const char *want;
	} after[] = {
		{ 4, "1,9121,9124,9125" }, { 3, "1,2,9124" }, { 1, "1,2,9124" }, { 7, "3" },
		{ 2, "" },
	};
	for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		char *want = shown_on(after[i].store);
		snprintf(url, sizeof(url), "/v2/advertisers/%lld/return-ads", after[i].store);
		r = req("GET", url, tok(MEMBER2), NULL);
		cr_expect_eq(r.status, 200);
		cr_expect_str_eq(jids(r.json), want, "%s", url);
		cr_expect_str_eq(want, after[i].want, "%s", url);
		free(want);
		resp_free(&r);
	}
	/* Any user; a store that does not exist is a 404. */
	for (int u = 1; u <= 5; u++) {
		r = req("GET", "/v2/advertisers/4/return-ads", tok(u), NULL);
		cr_expect_eq(r.status, 200);
		resp_free(&r);
	}
	r = req("GET", "/v2/advertisers/999999/return-ads", tok(CREATOR1), NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = req("GET", "/v2/advertisers/4/return-ads", NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);
	cleanup();
}
