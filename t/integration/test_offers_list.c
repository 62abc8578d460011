/*
 * test_offers_list.c -- integration tests of reading campaigns, through
 * nginx: GET /v2/offers/{offer_id} and GET /v2/offer-by-token/{token} in
 * the reference's Display shape byte for byte, who may read them; GET
 * /v2/offers with its envelope, every filter, sort, include and 422; GET
 * /v2/offers/{offer_id}/targets.
 *
 * Every expected value is computed here from the database on its own
 * (the derived status, the image object, the costs' money text, who a
 * campaign targets, the orders): never copied from the server's answer.
 * Read-only but for one fixture campaign, removed after its test.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2
#define CREATOR1 3
#define MEMBER2 4
#define CREATOR2 5

#define DEFAULT_ORDER "o.created_at DESC, o.id DESC"

/* The derived status of offer o, as SPEC.md "Statuses" and sql/README define it. */
#define EXP_STATUS \
	"(CASE WHEN o.deleted_at IS NOT NULL THEN 'deleted'" \
	" WHEN o.paused_at IS NOT NULL THEN 'paused'" \
	" WHEN o.valid_from > UTC_TIMESTAMP() THEN 'scheduled'" \
	" WHEN o.valid_until < UTC_TIMESTAMP() THEN 'ended' ELSE 'active' END)"

/*
 * Offer O (SQL) targets user @u (a session variable): one of its targets
 * names the user, a tag of theirs, their client's market, their client,
 * their revenue tier, their e-mail address or one of their identifiers.
 */
#define TARGETS(O) \
	"EXISTS (SELECT 1 FROM offer_targets t JOIN users tu ON tu.id = @u" \
	" WHERE t.offer_id = " O " AND (t.user_id = tu.id" \
	" OR t.user_tag_id IN (SELECT ut.user_tag_id FROM user_tag_user ut" \
	" WHERE ut.user_id = tu.id)" \
	" OR t.store_group_id = (SELECT tc.store_group_id FROM clients tc" \
	" WHERE tc.id = tu.client_id)" \
	" OR t.client_id = tu.client_id OR t.revenue_tier_id = tu.revenue_tier_id" \
	" OR t.email = tu.email OR t.social_media_identifier IN (SELECT sa.identifier" \
	" FROM social_media_accounts sa WHERE sa.user_id = tu.id)))"

/* Store S (SQL) blocklists user @u, or a tag of theirs. */
#define BLOCKED(S) \
	"EXISTS (SELECT 1 FROM blocklist_entries be WHERE be.store_id = " S \
	" AND (be.user_id = @u OR be.user_tag_id IN (SELECT bt.user_tag_id" \
	" FROM user_tag_user bt WHERE bt.user_id = @u)))"

/* The fixture campaign of members_see_their_stores (store 1, created by user 4). */
#define FIXTURE_TOKEN "'olistfixture0001'"
#define FIXTURE_AT "'2001-02-03 04:05:06'"

static const char *const source_names[5] = { "General", "Instagram", "TikTok", "YouTube",
	"Blog" };

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* sql() of a formatted statement (malloc'd answer). */
static char *q(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *
q(const char *fmt, ...)
{
	char s[3600];
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
	char s[3600], *v;
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

/* Splits one tab-separated line in place into f[0..max); returns the count. */
static int
fields(char *line, char **f, int max)
{
	int n = 0;

	while (n < max && line != NULL)
		f[n++] = strsep(&line, "\t");
	return n;
}

/* The next non-empty line of *rest (split in place), or NULL. */
static char *
next_line(char **rest)
{
	char *l;

	while ((l = strsep(rest, "\n")) != NULL)
		if (*l != '\0')
			return l;
	return NULL;
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

/* A token for any user (the harness writes files for users 1-9 only). malloc'd. */
static char *
user_tok(long long uid)
{
	char claims[128];

	snprintf(claims, sizeof(claims), "{\"sub\":\"%lld\",\"exp\":%ld}", uid,
	    (long)time(NULL) + 3600);
	return tok_claims("HS256", claims);
}

/* Standard base64 of s (malloc'd). */
static char *
b64(const char *s)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k = 0;
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	cr_assert_not_null(out);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[k++] = a[(v >> 18) & 63];
		out[k++] = a[(v >> 12) & 63];
		out[k++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		out[k++] = i + 2 < n ? a[v & 63] : '=';
	}
	out[k] = '\0';
	return out;
}

/* media_base_url of the stack's configuration, as test_core.c reads media_dir. */
static const char *
media_base(void)
{
	static char buf[512];
	char line[1024];
	FILE *p;

	if (buf[0] != '\0')
		return buf;
	snprintf(line, sizeof(line), "sed -n 's/^media_base_url = //p' '%s/metapic.conf'",
	    getenv("METAPIC_DIR"));
	cr_assert_not_null(p = popen(line, "r"));
	cr_assert_not_null(fgets(buf, sizeof(buf), p), "no media_base_url in metapic.conf");
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	cr_assert(buf[0] != '\0');
	return buf;
}

/* The image object of SPEC.md for a storage path (NULL: null). */
static struct json_object *
exp_image(const char *path)
{
	struct json_object *o;
	char *key, url[2048];

	if (is_null(path))
		return NULL;
	key = b64(path);
	snprintf(url, sizeof(url), "%s/insecure/rs:fill:800:500/g:sm/%s", media_base(), key);
	o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(key));
	json_object_object_add(o, "url", json_object_new_string(url));
	json_object_object_add(o, "base_url", json_object_new_string(media_base()));
	json_object_object_add(o, "base64", json_object_new_string(key));
	free(key);
	return o;
}

/*
 * The costs of offer id in source order: cpc in minor units, cpc_v2 its
 * amount in major units as "X.YY" text with the store's currency, cpa the
 * fraction as a number (the DECIMAL as the shortest double).
 */
static struct json_object *
exp_costs(long long id)
{
	struct json_object *a = json_object_new_array(), *c, *m;
	char *rows, *rest, *line, *f[5], amount[64];

	rows = q("SELECT c.id, c.source, c.cpc, CAST(c.cpa AS DOUBLE), s.currency"
	    " FROM offer_traffic_source_costs c JOIN offers o ON o.id = c.offer_id"
	    " JOIN stores s ON s.id = o.store_id WHERE c.offer_id = %lld ORDER BY c.source",
	    id);
	rest = rows;
	while ((line = next_line(&rest)) != NULL) {
		long long src, cpc;

		cr_assert_eq(fields(line, f, 5), 5);
		src = atoll(f[1]);
		cpc = atoll(f[2]);
		cr_assert(src >= 0 && src <= 4 && cpc >= 0);
		snprintf(amount, sizeof(amount), "%lld.%02lld", cpc / 100, cpc % 100);
		c = json_object_new_object();
		json_object_object_add(c, "id", json_object_new_int64(atoll(f[0])));
		json_object_object_add(c, "source", json_object_new_int64(src));
		json_object_object_add(c, "source_name",
		    json_object_new_string(source_names[src]));
		json_object_object_add(c, "cpc", json_object_new_int64(cpc));
		m = json_object_new_object();
		json_object_object_add(m, "amount", json_object_new_string(amount));
		json_object_object_add(m, "currency", json_object_new_string(f[4]));
		json_object_object_add(c, "cpc_v2", m);
		json_object_object_add(c, "cpa", json_object_new_double_s(atof(f[3]), f[3]));
		json_object_object_add(c, "currency", json_object_new_string(f[4]));
		json_object_array_add(a, c);
	}
	free(rows);
	return a;
}

/*
 * Offer id as the reference shows it: the Display shape (display) or a
 * List item (without the store's name, logo, currency and costs).
 */
static struct json_object *
exp_offer(long long id, bool display)
{
	struct json_object *o = json_object_new_object();
	char *row, *f[13];

	row = q("SELECT o.id, o.campaign_title, o.campaign_text, o.has_product_seeding,"
	    " o.has_onetime_payment, " EXP_STATUS ", o.image_path, o.store_id, s.name,"
	    " s.logo_url, s.currency, o.token, o.type FROM offers o"
	    " JOIN stores s ON s.id = o.store_id WHERE o.id = %lld", id);
	cr_assert_eq(fields(row, f, 13), 13, "offer %lld: %s", id, row);
	json_object_object_add(o, "id", json_object_new_int64(atoll(f[0])));
	json_object_object_add(o, "campaign_title", str_or_null(f[1]));
	json_object_object_add(o, "campaign_text", str_or_null(f[2]));
	json_object_object_add(o, "has_product_seeding",
	    json_object_new_boolean(f[3][0] == '1'));
	json_object_object_add(o, "has_onetime_payment",
	    json_object_new_boolean(f[4][0] == '1'));
	json_object_object_add(o, "status", json_object_new_string(f[5]));
	{
		struct json_object *img = exp_image(f[6]);
		json_object_object_add(o, "image_url",
		    img ? json_object_get(jpath(img, "url")) : NULL);
		json_object_object_add(o, "image", img);
	}
	json_object_object_add(o, "store_id", json_object_new_int64(atoll(f[7])));
	if (display) {
		json_object_object_add(o, "store_name", json_object_new_string(f[8]));
		json_object_object_add(o, "store_logo_url", str_or_null(f[9]));
		/* The reference shows both null; the store's logo is one URL. */
		json_object_object_add(o, "store_logo", str_or_null(f[9]));
		json_object_object_add(o, "currency", json_object_new_string(f[10]));
	}
	json_object_object_add(o, "token", json_object_new_string(f[11]));
	if (display)
		json_object_object_add(o, "traffic_sources_costs", exp_costs(id));
	json_object_object_add(o, "type", json_object_new_string(f[12]));
	free(row);
	return o;
}

/* The included store of a list item. */
static struct json_object *
exp_store(long long store_id)
{
	struct json_object *o = json_object_new_object();
	char *row, *f[5];

	row = q("SELECT id, name, logo_url, currency, store_group_id FROM stores"
	    " WHERE id = %lld", store_id);
	cr_assert_eq(fields(row, f, 5), 5);
	json_object_object_add(o, "id", json_object_new_int64(atoll(f[0])));
	json_object_object_add(o, "name", json_object_new_string(f[1]));
	json_object_object_add(o, "logo_url", str_or_null(f[2]));
	json_object_object_add(o, "currency", json_object_new_string(f[3]));
	json_object_object_add(o, "store_group_id", json_object_new_int64(atoll(f[4])));
	free(row);
	return o;
}

/*
 * The included shared budget of offer id, as GET .../shared-budgets shows
 * a budget (NULL when it draws from none). consumed_budget: the cost of the
 * clicks plus the commission of the orders but rejected ones, of every
 * campaign drawing from the budget.
 */
static struct json_object *
exp_budget(long long id)
{
	struct json_object *o;
	char *row, *f[5];

	row = q("SELECT b.id, b.title, b.amount,"
	    " (SELECT COALESCE(SUM(k.cost), 0) FROM clicks k WHERE k.offer_id IN"
	    " (SELECT x.id FROM offers x WHERE x.shared_budget_id = b.id))"
	    " + (SELECT COALESCE(SUM(r.commission), 0) FROM orders r"
	    " WHERE r.status <> 'rejected' AND r.offer_id IN (SELECT x.id FROM offers x"
	    " WHERE x.shared_budget_id = b.id)),"
	    " s.currency FROM offers o JOIN shared_budgets b ON b.id = o.shared_budget_id"
	    " JOIN stores s ON s.id = b.store_id WHERE o.id = %lld", id);
	if (row[0] == '\0') {
		free(row);
		return NULL;
	}
	cr_assert_eq(fields(row, f, 5), 5);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(atoll(f[0])));
	json_object_object_add(o, "title", json_object_new_string(f[1]));
	json_object_object_add(o, "amount", json_object_new_int64(atoll(f[2])));
	json_object_object_add(o, "consumed_budget", json_object_new_int64(atoll(f[3])));
	json_object_object_add(o, "currency", json_object_new_string(f[4]));
	free(row);
	return o;
}

/* Kinds of targets: offer_targets.kind, the list's key, the resolved list's key. */
static const struct {
	const char *kind, *list, *resolved;
	bool text;
} tkinds[] = {
	{ "user", "user_ids", "users", false },
	{ "user_tag", "user_tag_ids", "user_tags", false },
	{ "store_group", "store_group_ids", "store_groups", false },
	{ "email", "emails", "emails", true },
	{ "social_media_identifier", "social_media_identifiers", "social_media_identifiers",
	    true },
	{ "client", "client_ids", "clients", false },
	{ "revenue_tier", "revenue_tier_ids", "revenue_tiers", false },
};
#define TKINDS (sizeof(tkinds) / sizeof(tkinds[0]))

/*
 * The targets object of offer id: each kind's values in the order they
 * were added, then "resolved": for ids the object named ({id, username}
 * for users, {id, name} else), for an address or identifier the user who
 * has it or else the participant pre-registered with it.
 */
static struct json_object *
exp_targets(long long id)
{
	struct json_object *o = json_object_new_object(), *res = json_object_new_object(), *x;
	char *rows, *rest, *line, *f[6];
	size_t k;

	for (k = 0; k < TKINDS; k++)
		json_object_object_add(o, tkinds[k].list, json_object_new_array());
	for (k = 0; k < TKINDS; k++)
		json_object_object_add(res, tkinds[k].resolved, json_object_new_array());
	json_object_object_add(o, "resolved", res);
	rows = q("SELECT t.kind,"
	    " COALESCE(t.user_id, t.user_tag_id, t.store_group_id, t.client_id,"
	    " t.revenue_tier_id),"
	    " COALESCE(t.email, t.social_media_identifier),"
	    " CASE t.kind WHEN 'user' THEN (SELECT username FROM users WHERE id = t.user_id)"
	    " WHEN 'user_tag' THEN (SELECT name FROM user_tags WHERE id = t.user_tag_id)"
	    " WHEN 'store_group' THEN (SELECT name FROM store_groups"
	    " WHERE id = t.store_group_id)"
	    " WHEN 'client' THEN (SELECT name FROM clients WHERE id = t.client_id)"
	    " WHEN 'revenue_tier' THEN (SELECT name FROM revenue_tiers"
	    " WHERE id = t.revenue_tier_id)"
	    " END,"
	    " CASE t.kind WHEN 'email' THEN (SELECT MIN(id) FROM users"
	    " WHERE email = t.email AND deleted_at IS NULL)"
	    " WHEN 'social_media_identifier' THEN (SELECT MIN(a.user_id)"
	    " FROM social_media_accounts a JOIN users au ON au.id = a.user_id"
	    " WHERE a.identifier = t.social_media_identifier AND au.deleted_at IS NULL) END,"
	    " CASE t.kind WHEN 'email' THEN (SELECT MIN(p.id) FROM offer_users p"
	    " WHERE p.offer_id = t.offer_id AND p.pre_registered_email = t.email)"
	    " WHEN 'social_media_identifier' THEN (SELECT MIN(p.id) FROM offer_users p"
	    " WHERE p.offer_id = t.offer_id AND p.pre_registered_identifier ="
	    " t.social_media_identifier) END"
	    " FROM offer_targets t WHERE t.offer_id = %lld ORDER BY t.id", id);
	rest = rows;
	while ((line = next_line(&rest)) != NULL) {
		cr_assert_eq(fields(line, f, 6), 6);
		for (k = 0; k < TKINDS && strcmp(tkinds[k].kind, f[0]) != 0; k++)
			;
		cr_assert(k < TKINDS, "unknown kind %s", f[0]);
		x = json_object_new_object();
		if (tkinds[k].text) {
			json_object_array_add(jpath(o, tkinds[k].list),
			    json_object_new_string(f[2]));
			json_object_object_add(x, k == 3 ? "email" : "identifier",
			    json_object_new_string(f[2]));
			json_object_object_add(x, "user_id",
			    is_null(f[4]) ? NULL : json_object_new_int64(atoll(f[4])));
			json_object_object_add(x, "participant_id",
			    !is_null(f[4]) || is_null(f[5]) ? NULL :
			    json_object_new_int64(atoll(f[5])));
		} else {
			json_object_array_add(jpath(o, tkinds[k].list),
			    json_object_new_int64(atoll(f[1])));
			json_object_object_add(x, "id", json_object_new_int64(atoll(f[1])));
			json_object_object_add(x, k == 0 ? "username" : "name",
			    json_object_new_string(f[3]));
		}
		json_object_array_add(jpath(res, tkinds[k].resolved), x);
	}
	free(rows);
	return o;
}

/* Expects the compact JSON of got to be want's (taken). */
static void
expect_json(struct json_object *got, struct json_object *want, const char *what)
{
	char *g = strdup(jtext(got)), *w = strdup(jtext(want));

	cr_expect_str_eq(g, w, "%s:\n got  %s\n want %s", what, g, w);
	free(g);
	free(w);
	json_object_put(want);
}

/* The ids of the offers o WHERE where, ORDER BY order, comma-joined (malloc'd). */
static char *
exp_ids(const char *where, const char *order)
{
	return q("SELECT IFNULL(GROUP_CONCAT(o.id ORDER BY %s SEPARATOR ','), '')"
	    " FROM offers o WHERE %s", order, where);
}

/*
 * GET /v2/offers?query as auth: 200 with data, links and meta; returns the
 * ids of data (malloc'd) and meta.total in *total.
 */
static char *
list_ids(const char *auth, const char *query, long long *total)
{
	char url[4096], *ids;
	struct resp r;

	snprintf(url, sizeof(url), "/v2/offers?%s", query);
	r = req("GET", url, auth, NULL);
	cr_assert_eq(r.status, 200, "GET %s: %ld %s", url, r.status, r.body);
	cr_assert(json_object_is_type(jpath(r.json, "data"), json_type_array), "%s", r.body);
	ids = strdup(jids(jpath(r.json, "data")));
	if (total != NULL)
		*total = jint(r.json, "meta.total");
	resp_free(&r);
	return ids;
}

/* Whether the comma-joined list holds id. */
static bool
has_id(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = list; p != NULL && *p != '\0'; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

/* The number of ids in a comma-joined list. */
static long long
count_ids(const char *ids)
{
	long long n = *ids ? 1 : 0;

	for (; *ids; ids++)
		n += *ids == ',';
	return n;
}

/*
 * Expects GET /v2/offers?query (one page) as auth to list the offers
 * where/order select, and meta.total to count them. Returns their count.
 */
static long long
expect_list(const char *auth, const char *query, const char *where, const char *order)
{
	long long total, n;
	char *got = list_ids(auth, query, &total), *want = exp_ids(where, order);

	n = count_ids(want);
	cr_expect_str_eq(got, want, "GET /v2/offers?%s: got [%s], want [%s] (%s ORDER BY %s)",
	    query, got, want, where, order);
	cr_expect_eq(total, n, "GET /v2/offers?%s: meta.total %lld, want %lld", query, total,
	    n);
	free(got);
	free(want);
	return n;
}

/* Expects GET url as auth to answer 422 with exactly one error: field, msg. */
static void
expect_422(const char *auth, const char *url, const char *field, const char *msg)
{
	char want[1024];
	struct resp r = req("GET", url, auth, NULL);

	snprintf(want, sizeof(want), "{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}", msg,
	    field, msg);
	cr_expect_eq(r.status, 422, "GET %s: %ld %s", url, r.status, r.body);
	cr_expect_str_eq(r.body, want, "GET %s", url);
	resp_free(&r);
}

/* Expects GET url as auth to answer status with the documented body. */
static void
expect_status(const char *auth, const char *url, long status)
{
	struct resp r = req("GET", url, auth, NULL);

	cr_expect_eq(r.status, status, "GET %s: %ld, want %ld; %s", url, r.status, status,
	    r.body);
	cr_expect_str_eq(r.body, error_body(status), "GET %s", url);
	resp_free(&r);
}

/* Expects GET url as auth to answer 200 with the Display shape of offer id. */
static void
expect_display(const char *auth, const char *url, long long id)
{
	struct json_object *want = exp_offer(id, true);
	char *w = strdup(jtext(want));
	struct resp r = req("GET", url, auth, NULL);

	cr_expect_eq(r.status, 200, "GET %s: %ld %s", url, r.status, r.body);
	cr_expect_str_eq(r.body, w, "GET %s:\n got  %s\n want %s", url, r.body, w);
	free(w);
	json_object_put(want);
	resp_free(&r);
}

static char *
token_of(long long id)
{
	return q("SELECT token FROM offers WHERE id = %lld", id);
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers/{offer_id}                                           */
/* ------------------------------------------------------------------ */

/* Every demo campaign, byte for byte, as an admin reads it. */
Test(offers_list, display_every_offer)
{
	char *ids = sql("SELECT GROUP_CONCAT(id ORDER BY id) FROM offers"), *rest = ids, *s;
	char url[64];
	int n = 0;

	while ((s = strsep(&rest, ",")) != NULL) {
		snprintf(url, sizeof(url), "/v2/offers/%s", s);
		expect_display(tok(ADMIN), url, atoll(s));
		n++;
	}
	cr_expect_geq(n, 15, "the demo's 15 campaigns");
	free(ids);
}

/* The keys in the reference's order, their JSON types, the image and a cost. */
Test(offers_list, display_shape_and_types)
{
	struct resp r = req("GET", "/v2/offers/1", tok(MEMBER1), NULL);
	struct json_object *j = r.json, *c;
	char *path = sql("SELECT image_path FROM offers WHERE id = 1"), *key = b64(path);
	char url[1024];
	char *cur = sql("SELECT s.currency FROM offers o JOIN stores s ON s.id = o.store_id"
	    " WHERE o.id = 1");
	long long ncosts = qint("SELECT COUNT(*) FROM offer_traffic_source_costs"
	    " WHERE offer_id = 1");
	struct json_object *costs = jpath(j, "traffic_sources_costs");

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(j), "id,campaign_title,campaign_text,has_product_seeding,"
	    "has_onetime_payment,status,image_url,image,store_id,store_name,store_logo_url,"
	    "store_logo,currency,token,traffic_sources_costs,type");
	cr_expect(json_object_is_type(jpath(j, "id"), json_type_int));
	cr_expect(json_object_is_type(jpath(j, "campaign_title"), json_type_string));
	cr_expect(json_object_is_type(jpath(j, "campaign_text"), json_type_string));
	cr_expect(json_object_is_type(jpath(j, "has_product_seeding"), json_type_boolean));
	cr_expect(json_object_is_type(jpath(j, "has_onetime_payment"), json_type_boolean));
	cr_expect(json_object_is_type(jpath(j, "status"), json_type_string));
	cr_expect(json_object_is_type(jpath(j, "store_id"), json_type_int));
	cr_expect(json_object_is_type(jpath(j, "store_name"), json_type_string));
	cr_expect(json_object_is_type(jpath(j, "currency"), json_type_string));
	cr_expect(json_object_is_type(jpath(j, "token"), json_type_string));
	cr_expect(json_object_is_type(jpath(j, "type"), json_type_string));
	cr_expect_eq(strlen(jstr(j, "token")), 16);

	/* The image object: base64 of the storage path, the offer preset. */
	snprintf(url, sizeof(url), "%s/insecure/rs:fill:800:500/g:sm/%s", media_base(), key);
	cr_expect_str_eq(jkeys(jpath(j, "image")), "key,url,base_url,base64");
	cr_expect_str_eq(jstr(j, "image.key"), key);
	cr_expect_str_eq(jstr(j, "image.base64"), key);
	cr_expect_str_eq(jstr(j, "image.url"), url);
	cr_expect_str_eq(jstr(j, "image_url"), url);
	cr_expect_str_eq(jstr(j, "image.base_url"), media_base());

	/* Costs: in source order, money as text in the store's currency. */
	cr_expect_eq((long long)json_object_array_length(costs), ncosts);
	for (size_t i = 0; i < json_object_array_length(costs); i++) {
		char amount[32];
		long long cpc;

		c = json_object_array_get_idx(costs, i);
		cr_expect_str_eq(jkeys(c), "id,source,source_name,cpc,cpc_v2,cpa,currency");
		cr_expect_str_eq(jkeys(jpath(c, "cpc_v2")), "amount,currency");
		cpc = jint(c, "cpc");
		snprintf(amount, sizeof(amount), "%lld.%02lld", cpc / 100, cpc % 100);
		cr_expect_str_eq(jstr(c, "cpc_v2.amount"), amount);
		cr_expect_str_eq(jstr(c, "cpc_v2.currency"), cur);
		cr_expect_str_eq(jstr(c, "currency"), cur);
		cr_expect_str_eq(jstr(c, "source_name"), source_names[jint(c, "source")]);
		cr_expect(json_object_is_type(jpath(c, "cpa"), json_type_double));
		if (i > 0)
			cr_expect_gt(jint(c, "source"),
			    jint(json_object_array_get_idx(costs, i - 1), "source"));
	}
	resp_free(&r);
	free(path);
	free(key);
	free(cur);
}

/* One minor unit is "0.01", as the reference's example; no image is null. */
Test(offers_list, display_smallest_cpc_and_no_image)
{
	struct resp r = req("GET", "/v2/offers/6", tok(MEMBER1), NULL);

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(qint("SELECT cpc FROM offer_traffic_source_costs WHERE offer_id = 6"), 1);
	cr_expect_str_eq(jstr(r.json, "traffic_sources_costs.0.cpc_v2.amount"), "0.01");
	cr_expect(json_object_is_type(jpath(r.json, "image_url"), json_type_null));
	cr_expect(json_object_is_type(jpath(r.json, "image"), json_type_null));
	cr_expect(json_object_object_get_ex(r.json, "image", NULL));
	resp_free(&r);
}

/* The derived status of demo campaigns 1-7 (sql/README). */
Test(offers_list, display_status)
{
	static const char *const want[] = { "active", "active", "scheduled", "ended", "paused",
		"deleted", "active" };
	char url[64];

	for (int i = 0; i < 7; i++) {
		snprintf(url, sizeof(url), "/v2/offers/%d", i + 1);
		struct resp r = req("GET", url, tok(ADMIN), NULL);
		cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
		cr_expect_str_eq(jstr(r.json, "status"), want[i], "%s", url);
		resp_free(&r);
	}
}

/* A deleted campaign stays readable by its store and admins; no one else. */
Test(offers_list, display_who)
{
	cr_assert_eq(qint("SELECT deleted_at IS NOT NULL FROM offers WHERE id = 6"), 1);
	expect_display(tok(MEMBER1), "/v2/offers/6", 6);
	expect_display(tok(ADMIN), "/v2/offers/6", 6);
	expect_status(tok(MEMBER2), "/v2/offers/6", 404);
	expect_status(tok(MEMBER2), "/v2/offers/1", 404);
	expect_status(tok(MEMBER1), "/v2/offers/8", 404);
	expect_display(tok(MEMBER2), "/v2/offers/8", 8);
	expect_status(tok(ADMIN), "/v2/offers/999999999", 404);
	expect_status(tok(ADMIN), "/v2/offers/abc", 404);
	/* A creator on a store route: 403, even a participant. */
	expect_status(tok(CREATOR1), "/v2/offers/1", 403);
}

/* ------------------------------------------------------------------ */
/* GET /v2/offer-by-token/{offer_token}                                */
/* ------------------------------------------------------------------ */

static void
by_token(const char *auth, long long id, long want)
{
	char *t = token_of(id), url[128];

	snprintf(url, sizeof(url), "/v2/offer-by-token/%s", t);
	if (want == 200)
		expect_display(auth, url, id);
	else
		expect_status(auth, url, want);
	free(t);
}

/* The store's member, an admin and a participant see it, in the Display shape. */
Test(offers_list, by_token_participant)
{
	cr_assert_eq(qint("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1"
	    " AND user_id = 3"), 1);
	by_token(tok(CREATOR1), 1, 200);
	by_token(tok(MEMBER1), 1, 200);
	by_token(tok(ADMIN), 1, 200);
	by_token(tok(MEMBER2), 8, 200);
	/* A participant of another store's campaign, blocklisted by store 1. */
	cr_assert_eq(qint("SELECT COUNT(*) FROM offer_users WHERE offer_id = 8"
	    " AND user_id = 5"), 1);
	by_token(tok(CREATOR2), 8, 200);
}

/* A creator whom the campaign targets, not a participant, sees it; an untargeted one not. */
Test(offers_list, by_token_targeted)
{
	static const long long offers[] = { 11, 14 };
	char *t;

	for (size_t i = 0; i < 2; i++) {
		long long o = offers[i], u, v;

		/* Someone targeted by the campaign's market: not a participant, not blocked. */
		u = qint("SELECT IFNULL(MIN(u.id), 0) FROM users u"
		    " JOIN clients c ON c.id = u.client_id JOIN offers o ON o.id = %lld"
		    " WHERE u.deleted_at IS NULL AND u.is_admin = 0"
		    " AND c.store_group_id IN (SELECT t.store_group_id FROM offer_targets t"
		    " WHERE t.offer_id = o.id AND t.kind = 'store_group')"
		    " AND NOT EXISTS (SELECT 1 FROM offer_users p WHERE p.offer_id = o.id"
		    " AND p.user_id = u.id)"
		    " AND NOT EXISTS (SELECT 1 FROM store_users su WHERE su.user_id = u.id)"
		    " AND NOT EXISTS (SELECT 1 FROM blocklist_entries b"
		    " WHERE b.store_id = o.store_id AND (b.user_id = u.id OR b.user_tag_id IN"
		    " (SELECT x.user_tag_id FROM user_tag_user x WHERE x.user_id = u.id)))", o);
		cr_assert_gt(u, 0, "a targeted non-participant of offer %lld", o);
		cr_assert_eq(qint("SET @u = %lld; SELECT " TARGETS("%lld"), u, o), 1);
		t = user_tok(u);
		by_token(t, o, 200);
		free(t);

		/* Someone the campaign does not target: another market, no other target. */
		v = qint("SELECT IFNULL(MIN(u.id), 0) FROM users u"
		    " JOIN clients c ON c.id = u.client_id JOIN offers o ON o.id = %lld"
		    " WHERE u.deleted_at IS NULL AND u.is_admin = 0 AND c.store_group_id <> ("
		    "SELECT s.store_group_id FROM stores s WHERE s.id = o.store_id)"
		    " AND NOT EXISTS (SELECT 1 FROM offer_users p WHERE p.offer_id = o.id"
		    " AND p.user_id = u.id)"
		    " AND NOT EXISTS (SELECT 1 FROM store_users su WHERE su.user_id = u.id)"
		    " AND NOT EXISTS (SELECT 1 FROM offer_targets t WHERE t.offer_id = o.id"
		    " AND t.kind <> 'store_group')", o);
		cr_assert_gt(v, 0, "an untargeted creator for offer %lld", o);
		cr_assert_eq(qint("SET @u = %lld; SELECT " TARGETS("%lld"), v, o), 0);
		t = user_tok(v);
		by_token(t, o, 404);
		free(t);
	}
}

/*
 * The blocklist overrides every target: users 19 and 20 (tag 7, on store
 * 1's blocklist) are in market 1 and client 1, which offer 1 targets, but
 * get 404; the same users see store 4's campaign 11.
 */
Test(offers_list, by_token_blocklisted)
{
	static const long long users[] = { 19, 20 };
	char *t;

	for (size_t i = 0; i < 2; i++) {
		long long u = users[i];

		cr_assert_eq(qint("SET @u = %lld; SELECT " TARGETS("1"), u), 1, "user %lld", u);
		cr_assert_eq(qint("SET @u = %lld; SELECT " BLOCKED("1"), u), 1, "user %lld", u);
		cr_assert_eq(qint("SELECT COUNT(*) FROM offer_users WHERE offer_id = 1"
		    " AND user_id = %lld", u), 0);
		cr_assert_eq(qint("SET @u = %lld; SELECT " TARGETS("11") " AND NOT "
		    BLOCKED("4"), u), 1, "user %lld", u);
		t = user_tok(u);
		by_token(t, 1, 404);
		by_token(t, 2, 404);
		by_token(t, 11, 200);
		free(t);
	}
	/* User 5 (blocklisted by store 1 itself). */
	cr_assert_eq(qint("SET @u = 5; SELECT " BLOCKED("1")), 1);
	by_token(tok(CREATOR2), 1, 404);
	by_token(tok(CREATOR2), 7, 404);

	/* A participant the store has blocked since does not see it either. */
	free(sql("INSERT INTO offer_users (offer_id, user_id, status) VALUES (1, 19, 'open')"));
	t = user_tok(19);
	by_token(t, 1, 404);
	free(t);
	free(sql("DELETE FROM offer_users WHERE offer_id = 1 AND user_id = 19"));
}

/* Another store's member, a deleted campaign's token, malformed tokens: 404. */
Test(offers_list, by_token_not_found)
{
	by_token(tok(MEMBER2), 1, 404);
	by_token(tok(MEMBER1), 8, 404);
	/* Deleted: not even its store nor an admin. */
	by_token(tok(MEMBER1), 6, 404);
	by_token(tok(ADMIN), 6, 404);
	by_token(tok(CREATOR1), 6, 404);

	static const char *const bad[] = {
		"67TWGITTQXF0VMXA",	/* offer 1's, upper case */
		"67twgittqxf0vmx",	/* 15 */
		"67twgittqxf0vmxaa",	/* 17 */
		"67twgittqxf0vmx-",
		"67twgittqxf0vmx%27",
		"zzzzzzzzzzzzzzzz",	/* well formed, no such campaign */
		"1",
	};
	char url[128];

	cr_assert_eq(qint("SELECT COUNT(*) FROM offers WHERE token = 'zzzzzzzzzzzzzzzz'"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offer-by-token/%s", bad[i]);
		expect_status(tok(ADMIN), url, 404);
		expect_status(tok(CREATOR1), url, 404);
	}
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers: envelope, access                                    */
/* ------------------------------------------------------------------ */

Test(offers_list, envelope)
{
	struct resp r = req("GET", "/v2/offers?created_by=1", tok(ADMIN), NULL);
	long long total = qint("SELECT COUNT(*) FROM offers WHERE created_by = 1"
	    " AND deleted_at IS NULL");
	char path[512];
	struct json_object *item;

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "data,links,meta");
	cr_expect_str_eq(jkeys(jpath(r.json, "links")), "first,last,prev,next");
	cr_expect_str_eq(jkeys(jpath(r.json, "meta")),
	    "current_page,from,last_page,links,path,per_page,to,total");
	snprintf(path, sizeof(path), "%s/v2/offers", base_http());
	cr_expect_str_eq(jstr(r.json, "meta.path"), path);
	cr_expect_eq(jint(r.json, "meta.per_page"), 20);
	cr_expect_eq(jint(r.json, "meta.current_page"), 1);
	cr_expect_eq(jint(r.json, "meta.total"), total);
	cr_expect_eq(jint(r.json, "meta.from"), 1);
	cr_expect_eq(jint(r.json, "meta.to"), total);
	cr_expect_eq(jint(r.json, "meta.last_page"), 1);
	cr_expect(strstr(jstr(r.json, "links.first"), "created_by=1") != NULL, "%s",
	    jstr(r.json, "links.first"));
	cr_expect(json_object_is_type(jpath(r.json, "links.prev"), json_type_null));
	cr_expect(json_object_is_type(jpath(r.json, "links.next"), json_type_null));
	cr_expect_eq((long long)json_object_array_length(jpath(r.json, "data")), total);
	/* Each item: the reference's List shape, byte for byte. */
	for (size_t i = 0; i < json_object_array_length(jpath(r.json, "data")); i++) {
		item = json_object_array_get_idx(jpath(r.json, "data"), i);
		cr_expect_str_eq(jkeys(item), "id,campaign_title,campaign_text,"
		    "has_product_seeding,has_onetime_payment,status,image_url,image,store_id,"
		    "token,type");
		expect_json(item, exp_offer(jint(item, "id"), false), "list item");
	}
	resp_free(&r);
}

Test(offers_list, created_by_required_and_own)
{
	expect_422(tok(ADMIN), "/v2/offers", "created_by", "The created by field is required.");
	expect_422(tok(MEMBER1), "/v2/offers?statuses[]=active", "created_by",
	    "The created by field is required.");
	expect_422(tok(ADMIN), "/v2/offers?created_by=abc", "created_by",
	    "The created by field must be an integer.");
	/* A member may only ask for their own: another id is not a valid value. */
	expect_422(tok(MEMBER1), "/v2/offers?created_by=1", "created_by",
	    "The selected created by is invalid.");
	expect_422(tok(MEMBER2), "/v2/offers?created_by=2", "created_by",
	    "The selected created by is invalid.");
	/* A creator: not a store route for them. */
	expect_status(tok(CREATOR1), "/v2/offers?created_by=3", 403);
	/* Their own, and an admin anyone's. */
	expect_list(tok(MEMBER1), "created_by=2", "o.created_by = 2 AND o.deleted_at IS NULL"
	    " AND o.store_id IN (SELECT store_id FROM store_users WHERE user_id = 2)",
	    DEFAULT_ORDER);
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=2", "o.created_by = 2"
	    " AND o.deleted_at IS NULL", DEFAULT_ORDER), 0);
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=1", "o.created_by = 1"
	    " AND o.deleted_at IS NULL", DEFAULT_ORDER), 0);
	cr_expect_eq(expect_list(tok(ADMIN), "created_by=999999", "o.created_by = 999999",
	    DEFAULT_ORDER), 0);
}

/* Removes the fixture campaign (see test_budgets.c: a .fini cannot assert). */
static void
remove_fixture(void)
{
	char line[1024], path[1024];
	FILE *f;
	int rc;

	snprintf(line, sizeof(line), "mariadb --no-defaults --socket='%s/db/mysql.sock' -uroot"
	    " metapic -e \"DELETE FROM offers WHERE token = " FIXTURE_TOKEN "\"",
	    getenv("METAPIC_DIR"));
	if ((rc = system(line)) == 0)
		return;
	snprintf(path, sizeof(path), "%s/cleanup-failures", getenv("METAPIC_DIR"));
	if ((f = fopen(path, "a")) != NULL) {
		fprintf(f, "offers_list::%s: removing the fixture (%d)\n",
		    criterion_current_test->name, rc);
		fclose(f);
	}
}

/*
 * Members see their stores' campaigns only: a campaign of store 1 that
 * user 4 (store 2) created is listed for an admin, never for user 4, not
 * even by or_id.
 */
Test(offers_list, members_see_their_stores, .fini = remove_fixture)
{
	char *fid, *got, query[128];

	remove_fixture();
	free(sql("INSERT INTO offers (store_id, store_group_id, created_by, name,"
	    " campaign_title, token, valid_from, valid_until, created_at, updated_at)"
	    " VALUES (1, 1, 4, 'olist fixture', 'olist fixture', " FIXTURE_TOKEN ","
	    " '2025-01-01 00:00:00', '2098-01-01 00:00:00', " FIXTURE_AT ", " FIXTURE_AT ")"));
	fid = sql("SELECT id FROM offers WHERE token = " FIXTURE_TOKEN);

	cr_expect_gt(expect_list(tok(ADMIN), "created_by=4", "o.created_by = 4"
	    " AND o.deleted_at IS NULL", DEFAULT_ORDER), 3);
	got = list_ids(tok(ADMIN), "created_by=4", NULL);
	cr_expect(has_id(got, fid), "admin sees fixture %s in [%s]", fid, got);
	free(got);

	cr_expect_eq(expect_list(tok(MEMBER2), "created_by=4", "o.created_by = 4"
	    " AND o.deleted_at IS NULL AND o.store_id IN (SELECT su.store_id"
	    " FROM store_users su WHERE su.user_id = 4)", DEFAULT_ORDER), 3);
	snprintf(query, sizeof(query), "created_by=4&or_id=%s", fid);
	cr_expect_eq(expect_list(tok(MEMBER2), query, "o.created_by = 4 AND o.store_id = 2"
	    " AND o.deleted_at IS NULL", DEFAULT_ORDER), 3);
	/* Another store's campaign by or_id: not for a member. */
	cr_expect_eq(expect_list(tok(MEMBER1), "created_by=2&statuses[]=scheduled&or_id=8",
	    "o.created_by = 2 AND " EXP_STATUS " = 'scheduled'", DEFAULT_ORDER), 1);
	free(fid);
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers: filters                                             */
/* ------------------------------------------------------------------ */

static const char *const all_statuses[] = { "deleted", "ended", "scheduled", "paused",
	"active" };
static const int creators[] = { 1, 2, 4 };

/* Each status alone, for every creator; each found somewhere. */
Test(offers_list, filter_each_status)
{
	char query[128], where[512], url[160];
	struct json_object *data;
	struct resp r;

	for (size_t s = 0; s < 5; s++) {
		long long found = 0;

		for (size_t c = 0; c < 3; c++) {
			snprintf(query, sizeof(query), "created_by=%d&statuses[]=%s&size=100",
			    creators[c], all_statuses[s]);
			snprintf(where, sizeof(where), "o.created_by = %d AND " EXP_STATUS
			    " = '%s'", creators[c], all_statuses[s]);
			found += expect_list(tok(ADMIN), query, where, DEFAULT_ORDER);
			/* Every item carries the status it was filtered on. */
			snprintf(url, sizeof(url), "/v2/offers?%s", query);
			r = req("GET", url, tok(ADMIN), NULL);
			cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
			data = jpath(r.json, "data");
			for (size_t i = 0; i < json_object_array_length(data); i++)
				cr_expect_str_eq(jstr(json_object_array_get_idx(data, i),
				    "status"), all_statuses[s]);
			resp_free(&r);
		}
		cr_expect_gt(found, 0, "the demo has a campaign %s", all_statuses[s]);
	}
	/* A member's view. */
	expect_list(tok(MEMBER2), "created_by=4&statuses[]=active", "o.created_by = 4 AND "
	    EXP_STATUS " = 'active'", DEFAULT_ORDER);
}

/* Two statuses OR'd; deleted ones only when asked for. */
Test(offers_list, filter_statuses_combined)
{
	cr_expect_eq(expect_list(tok(ADMIN), "created_by=2&statuses[]=ended&statuses[]=deleted",
	    "o.created_by = 2 AND " EXP_STATUS " IN ('ended', 'deleted')", DEFAULT_ORDER), 2);
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=1&statuses[]=active&statuses[]=paused",
	    "o.created_by = 1 AND " EXP_STATUS " IN ('active', 'paused')", DEFAULT_ORDER), 1);
	cr_expect_gt(expect_list(tok(MEMBER1), "created_by=2&statuses[]=scheduled"
	    "&statuses[]=active", "o.created_by = 2 AND " EXP_STATUS
	    " IN ('scheduled', 'active')", DEFAULT_ORDER), 1);
	/* All five: every campaign, the deleted too. */
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=2&statuses[]=deleted&statuses[]=ended"
	    "&statuses[]=scheduled&statuses[]=paused&statuses[]=active", "o.created_by = 2",
	    DEFAULT_ORDER), 4);
	/* Without statuses, no deleted one. */
	char *got = list_ids(tok(MEMBER1), "created_by=2", NULL);
	cr_expect_eq(qint("SELECT COUNT(*) FROM offers WHERE created_by = 2"
	    " AND deleted_at IS NOT NULL"), 1);
	cr_expect(!has_id(got, "6"), "[%s] holds the deleted 6", got);
	cr_expect(has_id(got, "1"), "[%s]", got);
	free(got);
	/* The same status twice is the status once. */
	expect_list(tok(ADMIN), "created_by=1&statuses[]=active&statuses[]=active",
	    "o.created_by = 1 AND " EXP_STATUS " = 'active'", DEFAULT_ORDER);
}

/* query: the id, or a part of the name, or of the campaign title; LIKE's wildcards literal. */
Test(offers_list, filter_query)
{
	static const struct {
		int creator;
		const char *text;
		bool some;
	} cases[] = {
		{ 1, "15", true },		/* an id */
		{ 2, "4", true },
		{ 1, "Winter", true },		/* a part of a name */
		{ 2, "winter", true },		/* case-insensitive */
		{ 1, "kolekcja", true },	/* only in a title (offer 12) */
		{ 1, "v\xc3\xa5ren", true },	/* "våren", only in 11's title */
		{ 2, "glow", true },
		{ 2, "2025", true },
		{ 1, "%", false },		/* literal, not a wildcard */
		{ 1, "_", false },
		{ 1, "no such campaign", false },
		{ 4, "Sommer", true },
	};
	char query[256], where[512], text[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long n;

		snprintf(query, sizeof(query), "created_by=%d&query=%s", cases[i].creator,
		    urlenc(cases[i].text));
		/* An SQL literal: the texts have no quote. */
		snprintf(text, sizeof(text), "'%s'", cases[i].text);
		snprintf(where, sizeof(where), "o.created_by = %d AND o.deleted_at IS NULL"
		    " AND (CAST(o.id AS CHAR) = %s OR LOCATE(%s, o.name) > 0"
		    " OR LOCATE(%s, o.campaign_title) > 0)", cases[i].creator, text, text,
		    text);
		n = expect_list(tok(ADMIN), query, where, DEFAULT_ORDER);
		cr_expect_eq(n > 0, cases[i].some, "query %s: %lld", cases[i].text, n);
	}
	/* The title-only match is 12, the id 15. */
	char *got = list_ids(tok(ADMIN), "created_by=1&query=kolekcja", NULL);
	cr_expect_str_eq(got, "12");
	free(got);
	/* At most 64 characters. */
	char long_q[80];
	memset(long_q, 'a', 65);
	long_q[65] = '\0';
	snprintf(query, sizeof(query), "/v2/offers?created_by=1&query=%s", long_q);
	expect_422(tok(ADMIN), query, "query", "The query field must not be greater than 64"
	    " characters.");
	long_q[64] = '\0';
	snprintf(query, sizeof(query), "created_by=1&query=%s", long_q);
	expect_list(tok(ADMIN), query, "1 = 0", DEFAULT_ORDER);
}

Test(offers_list, filter_stores_and_groups)
{
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=1&store_ids[]=4&store_ids[]=7",
	    "o.created_by = 1 AND o.deleted_at IS NULL AND o.store_id IN (4, 7)",
	    DEFAULT_ORDER), 1);
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=1&store_ids[]=1",
	    "o.created_by = 1 AND o.deleted_at IS NULL AND o.store_id = 1", DEFAULT_ORDER), 0);
	cr_expect_eq(expect_list(tok(ADMIN), "created_by=1&store_ids[]=999999",
	    "o.created_by = 1 AND o.store_id = 999999", DEFAULT_ORDER), 0);
	/* A member naming another store's id gets none of it. */
	cr_expect_eq(expect_list(tok(MEMBER1), "created_by=2&store_ids[]=2",
	    "1 = 0", DEFAULT_ORDER), 0);
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=1&store_group_ids[]=3",
	    "o.created_by = 1 AND o.deleted_at IS NULL AND o.store_group_id = 3",
	    DEFAULT_ORDER), 1);
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=1&store_group_ids[]=1"
	    "&store_group_ids[]=2", "o.created_by = 1 AND o.deleted_at IS NULL"
	    " AND o.store_group_id IN (1, 2)", DEFAULT_ORDER), 2);
	/* Filters are AND'ed. */
	expect_list(tok(ADMIN), "created_by=1&store_group_ids[]=3&store_ids[]=7"
	    "&statuses[]=scheduled", "o.created_by = 1 AND o.store_group_id = 3"
	    " AND o.store_id = 7 AND " EXP_STATUS " = 'scheduled'", DEFAULT_ORDER);
}

/* or_id is OR'd with all the rest: listed even when they exclude it. */
Test(offers_list, filter_or_id)
{
	cr_expect_gt(expect_list(tok(ADMIN), "created_by=1&store_ids[]=7&or_id=1",
	    "(o.created_by = 1 AND o.store_id = 7 AND o.deleted_at IS NULL) OR o.id = 1",
	    DEFAULT_ORDER), 2);
	expect_list(tok(ADMIN), "created_by=2&statuses[]=ended&or_id=1",
	    "(o.created_by = 2 AND " EXP_STATUS " = 'ended') OR o.id = 1", DEFAULT_ORDER);
	expect_list(tok(ADMIN), "created_by=2&query=nothing-matches&or_id=3", "o.id = 3",
	    DEFAULT_ORDER);
	expect_list(tok(MEMBER1), "created_by=2&statuses[]=scheduled&or_id=7",
	    "(o.created_by = 2 AND " EXP_STATUS " = 'scheduled') OR o.id = 7", DEFAULT_ORDER);
	/* Already in: once. */
	expect_list(tok(ADMIN), "created_by=1&or_id=5", "o.created_by = 1"
	    " AND o.deleted_at IS NULL", DEFAULT_ORDER);
	/* Unknown: nothing more. */
	expect_list(tok(ADMIN), "created_by=1&store_ids[]=7&or_id=999999",
	    "o.created_by = 1 AND o.store_id = 7 AND o.deleted_at IS NULL", DEFAULT_ORDER);
}

/*
 * The offers of creator that target user uid and whose store does not
 * blocklist them (blocked: those whose store does), comma-joined in the
 * list's default order (malloc'd).
 */
static char *
exp_targeted(long long uid, int creator, bool blocked)
{
	return q("SET @u = %lld; SELECT IFNULL(GROUP_CONCAT(o.id ORDER BY " DEFAULT_ORDER
	    " SEPARATOR ','), '') FROM offers o WHERE o.created_by = %d"
	    " AND o.deleted_at IS NULL AND " TARGETS("o.id") " AND %s " BLOCKED("o.store_id"),
	    uid, creator, blocked ? "" : "NOT");
}

/*
 * target_user_id: the campaigns that target the user (computed here over
 * offer_targets), never one of a store that blocklists them.
 */
Test(offers_list, filter_target_user)
{
	static const long long users[] = { 3, 5, 6, 8, 19, 22, 31, 41 };
	char query[128], *got, *want, *blocked;
	long long nfound = 0, nblocked = 0;

	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		for (size_t c = 0; c < 3; c++) {
			snprintf(query, sizeof(query), "created_by=%d&target_user_id=%lld"
			    "&size=100", creators[c], users[i]);
			got = list_ids(tok(ADMIN), query, NULL);
			want = exp_targeted(users[i], creators[c], false);
			blocked = exp_targeted(users[i], creators[c], true);
			cr_expect_str_eq(got, want, "GET /v2/offers?%s: got [%s], want [%s]",
			    query, got, want);
			nfound += count_ids(want);
			nblocked += count_ids(blocked);
			free(got);
			free(want);
			free(blocked);
		}
	}
	cr_expect_gt(nfound, 5, "the demo's users are targeted");
	cr_expect_gt(nblocked, 0, "a target overridden by the blocklist is tested");
	/* A user nobody targets. */
	expect_list(tok(ADMIN), "created_by=1&target_user_id=999999", "1 = 0", DEFAULT_ORDER);
	/* A member's view (store 1 only: creator 2's campaigns are all of store 1). */
	cr_expect_eq(qint("SELECT COUNT(*) FROM offers WHERE created_by = 2"
	    " AND store_id <> 1"), 0);
	got = list_ids(tok(MEMBER1), "created_by=2&target_user_id=3", NULL);
	want = exp_targeted(3, 2, false);
	cr_expect_str_eq(got, want);
	cr_expect_neq(strlen(want), 0);
	free(got);
	free(want);
}

/* Expects GET /v2/offers?created_by=1&size&page to be rows [from, to) of ids[0..total). */
static void
expect_page(char *const *ids, long long total, int size, long long page)
{
	long long last = (total + size - 1) / size, to;
	char url[128], want[256] = "";
	struct json_object *j;
	struct resp r;

	for (long long k = (page - 1) * size; k < page * size && k < total; k++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
		    want[0] ? "," : "", ids[k]);
	snprintf(url, sizeof(url), "/v2/offers?created_by=1&size=%d&page=%lld", size, page);
	r = req("GET", url, tok(ADMIN), NULL);
	cr_assert_eq(r.status, 200, "%s: %s", url, r.body);
	j = r.json;
	cr_expect_str_eq(jids(jpath(j, "data")), want, "%s", url);
	cr_expect_eq(jint(j, "meta.current_page"), page, "%s", url);
	cr_expect_eq(jint(j, "meta.per_page"), size, "%s", url);
	cr_expect_eq(jint(j, "meta.total"), total, "%s", url);
	cr_expect_eq(jint(j, "meta.last_page"), last, "%s", url);
	if (page <= last) {
		to = page * size < total ? page * size : total;
		cr_expect_eq(jint(j, "meta.from"), (page - 1) * size + 1, "%s", url);
		cr_expect_eq(jint(j, "meta.to"), to, "%s", url);
	} else {
		cr_expect(json_object_is_type(jpath(j, "meta.from"), json_type_null), "%s",
		    url);
		cr_expect(json_object_is_type(jpath(j, "meta.to"), json_type_null), "%s",
		    url);
	}
	cr_expect_eq(json_object_is_type(jpath(j, "links.next"), json_type_null), page >= last,
	    "%s", url);
	cr_expect_eq(json_object_is_type(jpath(j, "links.prev"), json_type_null), page == 1,
	    "%s", url);
	resp_free(&r);
}

/* size and page: the page's rows and meta's numbers, past the last page too. */
Test(offers_list, size_and_page)
{
	long long total = qint("SELECT COUNT(*) FROM offers WHERE created_by = 1"
	    " AND deleted_at IS NULL");
	char *all = exp_ids("o.created_by = 1 AND o.deleted_at IS NULL", DEFAULT_ORDER);
	char *ids[64], *rest = all, *s;
	int n = 0;

	while (n < 64 && (s = strsep(&rest, ",")) != NULL)
		ids[n++] = s;
	cr_assert_eq(n, total);
	cr_assert_geq(total, 5);
	for (int size = 1; size <= 3; size++)
		for (long long page = 1; page <= (total + size - 1) / size + 1; page++)
			expect_page(ids, total, size, page);
	/* The largest size. */
	expect_list(tok(ADMIN), "created_by=1&size=100", "o.created_by = 1"
	    " AND o.deleted_at IS NULL", DEFAULT_ORDER);
	free(all);
}

/* Every sort_by column, both ways, against ORDER BY with id as tiebreak. */
Test(offers_list, sort_by_every_column)
{
	static const char *const cols[] = { "id", "name", "campaign_title", "created_at",
		"updated_at", "valid_from", "valid_until" };
	static const char *const dirs[] = { "asc", "desc" };
	char query[256], order[128], where[64], *want, *got;

	for (size_t i = 0; i < 2 * 3 * sizeof(cols) / sizeof(cols[0]); i++) {
		size_t c = i / 6, d = i / 3 % 2, k = i % 3;

		snprintf(query, sizeof(query), "created_by=%d&sort_by=%s%%3A%s"
		    "&statuses[]=deleted&statuses[]=ended&statuses[]=scheduled"
		    "&statuses[]=paused&statuses[]=active", creators[k], cols[c], dirs[d]);
		snprintf(order, sizeof(order), "o.%s %s, o.id %s", cols[c], dirs[d], dirs[d]);
		snprintf(where, sizeof(where), "o.created_by = %d", creators[k]);
		expect_list(tok(ADMIN), query, where, order);
	}
	/* A plain colon works as well as %3A. */
	expect_list(tok(ADMIN), "created_by=1&sort_by=name:desc", "o.created_by = 1"
	    " AND o.deleted_at IS NULL", "o.name DESC, o.id DESC");
	/* Across pages: the second page continues the order. */
	want = q("SELECT IFNULL(GROUP_CONCAT(id ORDER BY valid_until ASC, id ASC"
	    " SEPARATOR ','), '') FROM (SELECT id, valid_until FROM offers WHERE created_by = 1"
	    " AND deleted_at IS NULL ORDER BY valid_until ASC, id ASC LIMIT 3 OFFSET 3) x");
	got = list_ids(tok(ADMIN), "created_by=1&sort_by=valid_until:asc&size=3&page=2",
	    NULL);
	cr_expect_str_eq(got, want);
	free(got);
	free(want);
}

/* ends_soon: active first, the nearest end first, no end last; then the order asked. */
Test(offers_list, custom_sort_ends_soon)
{
	const char *ends_soon = "(" EXP_STATUS " = 'active') DESC, o.valid_until IS NULL ASC,"
	    " o.valid_until ASC, ";
	char order[512];

	for (size_t k = 0; k < 3; k++) {
		char query[256], where[64];

		snprintf(query, sizeof(query), "created_by=%d&custom_sort_by=ends_soon"
		    "&statuses[]=deleted&statuses[]=ended&statuses[]=scheduled"
		    "&statuses[]=paused&statuses[]=active", creators[k]);
		snprintf(where, sizeof(where), "o.created_by = %d", creators[k]);
		snprintf(order, sizeof(order), "%s" DEFAULT_ORDER, ends_soon);
		expect_list(tok(ADMIN), query, where, order);
	}
	/* Creator 1's: the active without an end (7) after the active with one. */
	snprintf(order, sizeof(order), "%s" DEFAULT_ORDER, ends_soon);
	expect_list(tok(ADMIN), "created_by=1&custom_sort_by=ends_soon", "o.created_by = 1"
	    " AND o.deleted_at IS NULL", order);
	char *got = list_ids(tok(ADMIN), "created_by=1&custom_sort_by=ends_soon", NULL);
	char *active = exp_ids("o.created_by = 1 AND " EXP_STATUS " = 'active'"
	    " AND o.valid_until IS NOT NULL", "o.valid_until ASC");
	cr_expect(strncmp(got, active, strlen(active)) == 0, "[%s] starts with [%s]", got,
	    active);
	free(got);
	free(active);
	/* With sort_by: it comes after the custom order. */
	snprintf(order, sizeof(order), "%so.id DESC", ends_soon);
	expect_list(tok(ADMIN), "created_by=2&custom_sort_by=ends_soon&sort_by=id:desc",
	    "o.created_by = 2 AND o.deleted_at IS NULL", order);
	snprintf(order, sizeof(order), "%s" DEFAULT_ORDER, ends_soon);
	expect_list(tok(MEMBER2), "created_by=4&custom_sort_by=ends_soon", "o.created_by = 4"
	    " AND o.deleted_at IS NULL", order);
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers: includes                                            */
/* ------------------------------------------------------------------ */

/* Bits of the includes asked for. */
enum { I_COSTS = 1, I_STORE = 2, I_TARGETS = 4, I_BUDGET = 8 };

/* An item with its includes, in the resource's order whatever the request's. */
static struct json_object *
exp_item_with(long long id, int inc)
{
	struct json_object *o = exp_offer(id, false);

	if (inc & I_COSTS)
		json_object_object_add(o, "traffic_sources_costs", exp_costs(id));
	if (inc & I_STORE)
		json_object_object_add(o, "store", exp_store(jint(o, "store_id")));
	if (inc & I_TARGETS)
		json_object_object_add(o, "targets", exp_targets(id));
	if (inc & I_BUDGET)
		json_object_object_add(o, "shared_budget", exp_budget(id));
	return o;
}

static void
expect_includes(const char *auth, int creator, const char *includes, int inc)
{
	char url[512], what[600];
	struct resp r;
	size_t n;

	snprintf(url, sizeof(url), "/v2/offers?created_by=%d&size=100%s", creator, includes);
	r = req("GET", url, auth, NULL);
	cr_assert_eq(r.status, 200, "%s: %s", url, r.body);
	n = json_object_array_length(jpath(r.json, "data"));
	cr_expect_gt(n, 0, "%s", url);
	for (size_t i = 0; i < n; i++) {
		struct json_object *item = json_object_array_get_idx(jpath(r.json, "data"), i);
		snprintf(what, sizeof(what), "%s item %zu", url, i);
		expect_json(item, exp_item_with(jint(item, "id"), inc), what);
	}
	resp_free(&r);
}

Test(offers_list, include_each)
{
	for (size_t k = 0; k < 3; k++) {
		expect_includes(tok(ADMIN), creators[k], "", 0);
		expect_includes(tok(ADMIN), creators[k], "&include[]=trafficSourcesCosts",
		    I_COSTS);
		expect_includes(tok(ADMIN), creators[k], "&include[]=store", I_STORE);
		expect_includes(tok(ADMIN), creators[k], "&include[]=targets", I_TARGETS);
		expect_includes(tok(ADMIN), creators[k], "&include[]=sharedBudget", I_BUDGET);
	}
	/* The deleted one and its includes too. */
	expect_includes(tok(MEMBER1), 2, "&statuses[]=deleted&include[]=targets"
	    "&include[]=trafficSourcesCosts", I_TARGETS | I_COSTS);
}

Test(offers_list, include_all)
{
	/* Offer 1: targets of every kind; offers with and without a shared budget. */
	cr_assert_gt(qint("SELECT COUNT(*) FROM offers WHERE created_by = 1"
	    " AND shared_budget_id IS NULL AND deleted_at IS NULL"), 0);
	cr_assert_gt(qint("SELECT COUNT(*) FROM offers WHERE created_by = 1"
	    " AND shared_budget_id IS NOT NULL AND deleted_at IS NULL"), 0);
	for (size_t k = 0; k < 3; k++)
		expect_includes(tok(ADMIN), creators[k], "&include[]=sharedBudget"
		    "&include[]=targets&include[]=store&include[]=trafficSourcesCosts",
		    I_COSTS | I_STORE | I_TARGETS | I_BUDGET);
	expect_includes(tok(MEMBER1), 2, "&include[]=store&include[]=sharedBudget",
	    I_STORE | I_BUDGET);
	expect_includes(tok(MEMBER2), 4, "&include[]=targets&include[]=trafficSourcesCosts",
	    I_TARGETS | I_COSTS);
	/* The same include twice is once. */
	expect_includes(tok(ADMIN), 1, "&include[]=store&include[]=store", I_STORE);
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers: 422 (format: test_exports.c)                       */
/* ------------------------------------------------------------------ */

Test(offers_list, validation_errors)
{
	static const struct {
		const char *query, *field, *msg;
	} cases[] = {
		{ "statuses[]=bogus", "statuses.0", "The selected statuses.0 is invalid." },
		{ "statuses[]=active&statuses[]=Active", "statuses.1",
		    "The selected statuses.1 is invalid." },
		{ "include[]=bogus", "include.0", "The selected include.0 is invalid." },
		{ "include[]=store&include[]=shared_budget", "include.1",
		    "The selected include.1 is invalid." },
		{ "custom_sort_by=bogus", "custom_sort_by",
		    "The selected custom sort by is invalid." },
		{ "size=101", "size", "The size field must not be greater than 100." },
		{ "size=0", "size", "The size field must be at least 1." },
		{ "sort_by=id", "sort_by", "The sort by field format is invalid." },
		{ "sort_by=id:up", "sort_by", "The sort by field format is invalid." },
		{ "sort_by=:asc", "sort_by", "The sort by field format is invalid." },
		{ "sort_by=id%3Aasc%3Adesc", "sort_by",
		    "The sort by field format is invalid." },
		{ "sort_by=bogus:asc", "sort_by", "The selected sort by is invalid." },
		{ "sort_by=store_id:desc", "sort_by", "The selected sort by is invalid." },
		{ "sort_by=status:asc", "sort_by", "The selected sort by is invalid." },
	};
	char url[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(url, sizeof(url), "/v2/offers?created_by=1&%s", cases[i].query);
		expect_422(tok(ADMIN), url, cases[i].field, cases[i].msg);
		snprintf(url, sizeof(url), "/v2/offers?created_by=2&%s", cases[i].query);
		expect_422(tok(MEMBER1), url, cases[i].field, cases[i].msg);
	}
	/* The limits themselves are fine. */
	expect_list(tok(ADMIN), "created_by=1&size=100", "o.created_by = 1"
	    " AND o.deleted_at IS NULL", DEFAULT_ORDER);
	char *got = list_ids(tok(ADMIN), "created_by=1&size=1", NULL);
	char *want = sql("SELECT id FROM offers WHERE created_by = 1 AND deleted_at IS NULL"
	    " ORDER BY created_at DESC, id DESC LIMIT 1");
	cr_expect_str_eq(got, want);
	free(got);
	free(want);
}

/* ------------------------------------------------------------------ */
/* GET /v2/offers/{offer_id}/targets                                   */
/* ------------------------------------------------------------------ */

Test(offers_list, targets_of_offer)
{
	struct resp r;
	char *kinds = sql("SELECT COUNT(DISTINCT kind) FROM offer_targets WHERE offer_id = 1");

	cr_assert_str_eq(kinds, "7", "offer 1 has a target of every kind");
	free(kinds);
	r = req("GET", "/v2/offers/1/targets", tok(MEMBER1), NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "user_ids,user_tag_ids,store_group_ids,emails,"
	    "social_media_identifiers,client_ids,revenue_tier_ids,resolved");
	cr_expect_str_eq(jkeys(jpath(r.json, "resolved")), "users,user_tags,store_groups,"
	    "emails,social_media_identifiers,clients,revenue_tiers");
	for (size_t k = 0; k < TKINDS; k++) {
		char a[64], b[64];

		snprintf(a, sizeof(a), "%s", tkinds[k].list);
		snprintf(b, sizeof(b), "resolved.%s", tkinds[k].resolved);
		cr_expect_gt(json_object_array_length(jpath(r.json, a)), 0, "%s", a);
		cr_expect_gt(json_object_array_length(jpath(r.json, b)), 0, "%s", b);
	}
	{
		struct json_object *want = exp_targets(1);
		char *w = strdup(jtext(want));
		cr_expect_str_eq(r.body, w, "\n got  %s\n want %s", r.body, w);
		free(w);
		json_object_put(want);
	}
	/* An address of a pre-registered participant, an identifier of a user. */
	cr_expect(json_object_is_type(jpath(r.json, "resolved.emails.0.participant_id"),
	    json_type_int));
	resp_free(&r);

	/* Every other demo campaign, byte for byte, as an admin. */
	char *ids = sql("SELECT GROUP_CONCAT(id ORDER BY id) FROM offers"), *rest = ids, *s;
	char url[64];
	while ((s = strsep(&rest, ",")) != NULL) {
		snprintf(url, sizeof(url), "/v2/offers/%s/targets", s);
		r = req("GET", url, tok(ADMIN), NULL);
		cr_expect_eq(r.status, 200, "%s: %s", url, r.body);
		struct json_object *want = exp_targets(atoll(s));
		char *w = strdup(jtext(want));
		cr_expect_str_eq(r.body, w, "%s", url);
		free(w);
		json_object_put(want);
		resp_free(&r);
	}
	free(ids);
	/* Who: the store (a deleted campaign's too), admins; others not. */
	r = req("GET", "/v2/offers/6/targets", tok(MEMBER1), NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	expect_status(tok(MEMBER2), "/v2/offers/1/targets", 404);
	expect_status(tok(CREATOR1), "/v2/offers/1/targets", 403);
	expect_status(tok(ADMIN), "/v2/offers/999999999/targets", 404);
}
