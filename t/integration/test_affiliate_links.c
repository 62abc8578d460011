/*
 * test_affiliate_links.c -- POST /v2/affiliate-links and GET
 * /v2/affiliate-links/{id} through nginx (suite `affiliate_links`).
 * Which store a URL belongs to comes from store_domains; every test
 * removes the links and idempotency keys it wrote.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "client.h"

#define ADMIN 1
#define MEMBER1 2
#define CREATOR1 3	/* client 1: market 1 */
#define CREATOR2 5	/* client 2: market 2; on store 1's blocklist */
#define TAGGED1 19	/* client 1, tag 7: on store 1's blocklist by tag */
#define TAGGED2 26	/* client 2, tag 8: on store 2's blocklist by tag */
#define BLOCKED2 28	/* client 2: on store 2's blocklist by user */

#define LINK_KEYS "id,url,original_url,mtpc_url,user_id,country,provider,advertiser"

/* short_link_base of the stack's configuration. */
static const char *
short_base(void)
{
	static char buf[512];
	char line[1024];
	FILE *p;

	if (buf[0] != '\0')
		return buf;
	snprintf(line, sizeof(line), "sed -n 's/^short_link_base = //p' '%s/metapic.conf'",
	    getenv("METAPIC_DIR"));
	cr_assert_not_null(p = popen(line, "r"));
	cr_assert_not_null(fgets(buf, sizeof(buf), p), "no short_link_base in metapic.conf");
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	cr_assert(buf[0] != '\0');
	return buf;
}

static long long
links_count(void)
{
	return sql_number("SELECT COUNT(*) FROM affiliate_links");
}

static struct resp
post(int user, const char *body)
{
	return req("POST", "/v2/affiliate-links", tok(user), body);
}

/* The store a domain of store_domains belongs to. */
static long long
store_of(const char *domain)
{
	char q[512];

	snprintf(q, sizeof(q), "SELECT store_id FROM store_domains WHERE domain = '%s'", domain);
	return sql_number(q);
}

static void
delete_link(long long id)
{
	char q[128];

	snprintf(q, sizeof(q), "DELETE FROM affiliate_links WHERE id = %lld", id);
	free(sql(q));
}

/* r is a 422 with exactly one message, on field. */
static void
expect_only_error(struct resp *r, const char *field, const char *msg)
{
	char want[1024];

	snprintf(want, sizeof(want), "{\"message\":\"%s\",\"errors\":{\"%s\":[\"%s\"]}}", msg,
	    field, msg);
	cr_expect_eq(r->status, 422, "status %ld: %s", r->status, r->body);
	cr_expect_str_eq(r->body, want);
}

/*
 * A link object as LINK_KEYS says, for user and store, of url, with the
 * store's country and provider; id and mtpc_url null when dry, else the
 * short link of its id.
 */
static void
expect_link(struct json_object *j, int user, long long store, const char *url, bool dry)
{
	char q[256], mtpc[600], *country, *provider, *name;

	cr_expect_str_eq(jkeys(j), LINK_KEYS);
	if (dry) {
		cr_expect_null(jpath(j, "id"));
		cr_expect_null(jpath(j, "mtpc_url"));
	} else {
		cr_expect(json_object_is_type(jpath(j, "id"), json_type_int));
		snprintf(mtpc, sizeof(mtpc), "%s/%lld", short_base(), jint(j, "id"));
		cr_expect_str_eq(jstr(j, "mtpc_url"), mtpc);
	}
	cr_expect_str_eq(jstr(j, "url"), url);
	cr_expect_str_eq(jstr(j, "original_url"), url);
	cr_expect_eq(jint(j, "user_id"), user);
	cr_expect(json_object_is_type(jpath(j, "user_id"), json_type_int));
	snprintf(q, sizeof(q), "SELECT country FROM stores WHERE id = %lld", store);
	country = sql(q);
	snprintf(q, sizeof(q), "SELECT affiliate_provider FROM stores WHERE id = %lld", store);
	provider = sql(q);
	snprintf(q, sizeof(q), "SELECT name FROM stores WHERE id = %lld", store);
	name = sql(q);
	cr_expect_str_eq(jstr(j, "country"), country);
	cr_expect_str_eq(jstr(j, "provider"), provider);
	cr_expect_str_eq(jkeys(jpath(j, "advertiser")), "id,name");
	cr_expect_eq(jint(j, "advertiser.id"), store, "advertiser %lld, want %lld",
	    jint(j, "advertiser.id"), store);
	cr_expect_str_eq(jstr(j, "advertiser.name"), name);
	free(country);
	free(provider);
	free(name);
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */
/* ------------------------------------------------------------------ */

Test(affiliate_links, matches_host_parent_domains_and_www)
{
	static const struct {
		const char *url, *domain;	/* the store_domains row it must match */
	} cases[] = {
		{ "https://nordicbeauty.se/glow-serum", "nordicbeauty.se" },
		{ "https://shop.nordicbeauty.se/x?y=1#z", "nordicbeauty.se" },
		{ "http://a.b.nordicbeauty.com", "nordicbeauty.com" },
		{ "https://www.nordicbeauty.com/", "nordicbeauty.com" },
		{ "HTTPS://WWW.StockholmHome.SE:443/kok", "stockholmhome.se" },
		{ "https://www.shop.sportkompaniet.se/", "sportkompaniet.se" },
		{ "https://marketplace.se/", "marketplace.se" },
		{ "https://home.marketplace.se/", "marketplace.se" },
	};
	char body[512];
	long long before = links_count();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(body, sizeof(body), "{\"url\":\"%s\",\"dry\":true}", cases[i].url);
		struct resp r = post(CREATOR1, body);

		cr_expect_eq(r.status, 200, "%s: %ld %s", cases[i].url, r.status, r.body);
		expect_link(r.json, CREATOR1, store_of(cases[i].domain), cases[i].url, true);
		resp_free(&r);
	}
	cr_expect_eq(links_count(), before);
}

Test(affiliate_links, several_advertisers_answer_the_choice)
{
	struct resp r = post(CREATOR1, "{\"url\":\"https://sport.marketplace.se/skor\"}");
	char *want = sql("SELECT GROUP_CONCAT(s.id ORDER BY s.id) FROM stores s"
	    " WHERE s.id IN (SELECT store_id FROM store_domains"
	    " WHERE domain IN ('sport.marketplace.se', 'marketplace.se'))");
	char *name = sql("SELECT name FROM stores WHERE id = (SELECT MIN(store_id)"
	    " FROM store_domains WHERE domain IN ('sport.marketplace.se', 'marketplace.se'))");
	long long before = links_count();

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), "advertisers");
	cr_expect_str_eq(jids(jpath(r.json, "advertisers")), want);
	cr_expect_str_eq(want, "3,4");
	cr_expect_str_eq(jkeys(jpath(r.json, "advertisers.0")), "id,name");
	cr_expect_str_eq(jstr(r.json, "advertisers.0.name"), name);
	resp_free(&r);
	cr_expect_eq(links_count(), before);

	/* The app chooses one of them. */
	r = post(CREATOR1, "{\"url\":\"https://sport.marketplace.se/skor\",\"advertiser_id\":3,"
	    "\"dry\":true}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_link(r.json, CREATOR1, 3, "https://sport.marketplace.se/skor", true);
	resp_free(&r);

	/* One that does not match the URL. */
	r = post(CREATOR1, "{\"url\":\"https://sport.marketplace.se/skor\",\"advertiser_id\":1}");
	expect_only_error(&r, "advertiser_id", "The selected advertiser id is invalid.");
	resp_free(&r);
	/* Nor may advertiser_id pick another store for a URL of one. */
	r = post(CREATOR1, "{\"url\":\"https://nordicbeauty.se/\",\"advertiser_id\":3}");
	expect_only_error(&r, "advertiser_id", "The selected advertiser id is invalid.");
	resp_free(&r);
	cr_expect_eq(links_count(), before);
	free(want);
	free(name);
}

Test(affiliate_links, no_advertiser_is_a_422_on_url)
{
	static const char *const urls[] = {
		"https://unknown-shop.example/",
		"https://notnordicbeauty.se/",		/* not a parent domain: a label */
		"https://nordicbeauty.se.evil.example/",
		"https://se/",
		"https://wwwnordicbeauty.se/",
		"http://192.0.2.1/",
		"http://[2001:db8::1]/",
	};
	char body[256];
	long long before = links_count();

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		snprintf(body, sizeof(body), "{\"url\":\"%s\"}", urls[i]);
		struct resp r = post(CREATOR1, body);

		cr_expect_eq(r.status, 422, "%s: %s", urls[i], r.body);
		expect_only_error(&r, "url", "The url does not belong to any advertiser.");
		resp_free(&r);
	}
	cr_expect_eq(links_count(), before);
}

Test(affiliate_links, matches_in_the_callers_market)
{
	long long before = links_count();
	struct resp r;

	/* fjordfashion.no is a store of market 2: not for a creator of market 1. */
	cr_expect_eq(sql_number("SELECT s.store_group_id FROM stores s JOIN store_domains d"
	    " ON d.store_id = s.id WHERE d.domain = 'fjordfashion.no'"), 2);
	r = post(CREATOR1, "{\"url\":\"https://fjordfashion.no/sommer\"}");
	expect_only_error(&r, "url", "The url does not belong to any advertiser.");
	resp_free(&r);
	/* A creator of market 2 may. */
	r = post(CREATOR2, "{\"url\":\"https://fjordfashion.no/sommer\",\"dry\":true}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_link(r.json, CREATOR2, store_of("fjordfashion.no"), "https://fjordfashion.no/sommer",
	    true);
	resp_free(&r);
	/* A creator's advertiser_group_id can only be their own market. */
	r = post(CREATOR1, "{\"url\":\"https://fjordfashion.no/\",\"advertiser_group_id\":2}");
	expect_only_error(&r, "advertiser_group_id",
	    "The selected advertiser group id is invalid.");
	resp_free(&r);
	r = post(CREATOR1, "{\"url\":\"https://nordicbeauty.se/\",\"advertiser_group_id\":1,"
	    "\"dry\":true}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	/* A user without a client: every market, or the one named. */
	r = post(ADMIN, "{\"url\":\"https://fjordfashion.no/\",\"dry\":true}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_link(r.json, ADMIN, store_of("fjordfashion.no"), "https://fjordfashion.no/", true);
	resp_free(&r);
	r = post(ADMIN, "{\"url\":\"https://fjordfashion.no/\",\"advertiser_group_id\":1}");
	expect_only_error(&r, "url", "The url does not belong to any advertiser.");
	resp_free(&r);
	r = post(MEMBER1, "{\"url\":\"https://fjordfashion.no/\",\"advertiser_group_id\":2,"
	    "\"dry\":true}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
	cr_expect_eq(links_count(), before);
}

Test(affiliate_links, a_deleted_store_matches_nothing)
{
	struct resp r;

	free(sql("INSERT INTO stores (id, name, store_group_id, currency, created_at, updated_at,"
	    " deleted_at) VALUES (9701, 'Gone Shop', 1, 'SEK', '2025-01-01 00:00:00',"
	    " '2025-01-01 00:00:00', '2025-02-01 00:00:00')"));
	free(sql("INSERT INTO store_domains (store_id, domain) VALUES (9701, 'gone-shop.se')"));
	r = post(CREATOR1, "{\"url\":\"https://gone-shop.se/\"}");
	expect_only_error(&r, "url", "The url does not belong to any advertiser.");
	resp_free(&r);
	free(sql("DELETE FROM stores WHERE id = 9701"));
}

/* ------------------------------------------------------------------ */
/* The blocklist                                                       */
/* ------------------------------------------------------------------ */

Test(affiliate_links, blocklisted_users_and_tags_are_refused)
{
	static const struct {
		int user;
		const char *url;
		const char *entry;	/* the blocklist row that refuses them */
	} cases[] = {
		{ BLOCKED2, "https://fjordfashion.no/", "store_id = 2 AND user_id = 28" },
		{ TAGGED2, "https://oslo.fjordfashion.no/", "store_id = 2 AND user_tag_id IN"
		    " (SELECT user_tag_id FROM user_tag_user WHERE user_id = 26)" },
		{ TAGGED1, "https://www.nordicbeauty.se/", "store_id = 1 AND user_tag_id IN"
		    " (SELECT user_tag_id FROM user_tag_user WHERE user_id = 19)" },
	};
	static const char *const flags[] = { "", ",\"dry\":true", ",\"advertiser_preview\":true" };
	char body[256], q[512];
	long long before = links_count();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(q, sizeof(q), "SELECT COUNT(*) FROM blocklist_entries WHERE %s",
		    cases[i].entry);
		cr_expect_eq(sql_number(q), 1, "%d: no blocklist entry", cases[i].user);
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
			snprintf(body, sizeof(body), "{\"url\":\"%s\"%s}", cases[i].url, flags[k]);
			struct resp r = post(cases[i].user, body);

			expect_error(r, 403);
			resp_free(&r);
		}
	}
	cr_expect_eq(links_count(), before);

	/* Another user of the same client and market is not refused. */
	struct resp r = post(CREATOR1, "{\"url\":\"https://www.nordicbeauty.se/\",\"dry\":true}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* Creating and reading                                                */
/* ------------------------------------------------------------------ */

Test(affiliate_links, creates_the_link_and_its_owner_reads_it)
{
	const char *url = "https://shop.nordicbeauty.se/glow-serum?size=50ml";
	struct resp r = post(CREATOR1, "{\"url\":\"https://shop.nordicbeauty.se/glow-serum"
	    "?size=50ml\"}");
	char path[64], q[512], *first;
	long long id, store = store_of("nordicbeauty.se");

	cr_assert_eq(r.status, 201, "%s", r.body);
	expect_link(r.json, CREATOR1, store, url, false);
	id = jint(r.json, "id");
	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM affiliate_links WHERE id = %lld"
	    " AND user_id = 3 AND store_id = %lld AND offer_id IS NULL AND url = '%s'"
	    " AND original_url = url AND created_at > UTC_TIMESTAMP() - INTERVAL 1 MINUTE",
	    id, store, url);
	cr_expect_eq(sql_number(q), 1, "%s", r.body);
	first = strdup(r.body);
	resp_free(&r);

	/* Its creator and admins read it as it was answered; nobody else knows it. */
	snprintf(path, sizeof(path), "/v2/affiliate-links/%lld", id);
	for (int user = 1; user <= 5; user++) {
		r = req("GET", path, tok(user), NULL);
		if (user == ADMIN || user == CREATOR1) {
			cr_expect_eq(r.status, 200, "user %d: %s", user, r.body);
			cr_expect_str_eq(r.body, first);
		} else
			expect_error(r, 404);
		resp_free(&r);
	}
	r = req("GET", path, NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);
	delete_link(id);
	r = req("GET", path, tok(ADMIN), NULL);
	expect_error(r, 404);
	resp_free(&r);
	r = req("GET", "/v2/affiliate-links/abc", tok(ADMIN), NULL);
	expect_error(r, 404);
	resp_free(&r);
	free(first);
}

Test(affiliate_links, reads_a_demo_link)
{
	struct resp r = req("GET", "/v2/affiliate-links/11", tok(CREATOR2), NULL);
	char *url = sql("SELECT url FROM affiliate_links WHERE id = 11");
	char *orig = sql("SELECT original_url FROM affiliate_links WHERE id = 11");

	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jkeys(r.json), LINK_KEYS);
	cr_expect_eq(jint(r.json, "id"), 11);
	cr_expect_str_eq(jstr(r.json, "url"), url);
	cr_expect_str_eq(jstr(r.json, "original_url"), orig);
	cr_expect_eq(jint(r.json, "user_id"), CREATOR2);
	cr_expect_eq(jint(r.json, "advertiser.id"),
	    sql_number("SELECT store_id FROM affiliate_links WHERE id = 11"));
	resp_free(&r);
	r = req("GET", "/v2/affiliate-links/11", tok(CREATOR1), NULL);
	expect_error(r, 404);
	resp_free(&r);
	free(url);
	free(orig);
}

Test(affiliate_links, dry_writes_nothing)
{
	long long before = links_count();
	struct resp r = post(CREATOR1, "{\"url\":\"https://nordicbeauty.se/\",\"dry\":true}");

	cr_expect_eq(r.status, 200, "%s", r.body);
	expect_link(r.json, CREATOR1, store_of("nordicbeauty.se"), "https://nordicbeauty.se/",
	    true);
	resp_free(&r);
	/* "dry": false (and 0) writes. */
	r = post(CREATOR1, "{\"url\":\"https://nordicbeauty.se/\",\"dry\":0}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	delete_link(jint(r.json, "id"));
	resp_free(&r);
	cr_expect_eq(links_count(), before);
}

Test(affiliate_links, advertiser_preview_shows_the_store_and_commission)
{
	static const char *const bodies[] = {
		"{\"url\":\"https://nordicbeauty.se/\",\"advertiser_preview\":true,\"dry\":true}",
		"{\"url\":\"https://nordicbeauty.se/\",\"advertiser_preview\":true}",
	};
	char *rate = sql("SELECT TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM commission_rate))"
	    " FROM stores WHERE id = 1");
	char *logo = sql("SELECT logo_url FROM stores WHERE id = 1");

	for (size_t i = 0; i < 2; i++) {
		struct resp r = post(CREATOR1, bodies[i]);
		struct json_object *a;

		cr_expect_eq(r.status, i == 0 ? 200 : 201, "%s", r.body);
		cr_expect_str_eq(jkeys(r.json), LINK_KEYS);
		a = jpath(r.json, "advertiser");
		cr_expect_str_eq(jkeys(a), "id,name,logo_url,country,currency,language,"
		    "advertiser_group_id,commission_rate");
		cr_expect_eq(jint(a, "id"), 1);
		cr_expect_str_eq(jstr(a, "name"), "Nordic Beauty");
		cr_expect_str_eq(jstr(a, "logo_url"), logo);
		cr_expect_str_eq(jstr(a, "currency"), "SEK");
		cr_expect_eq(jint(a, "advertiser_group_id"), 1);
		cr_expect(json_object_is_type(jpath(a, "commission_rate"), json_type_double));
		cr_expect_str_eq(jtext(jpath(a, "commission_rate")), rate);
		if (i == 1)
			delete_link(jint(r.json, "id"));
		resp_free(&r);
	}
	/* A store without a commission rate shows null. */
	struct resp r = post(CREATOR1, "{\"url\":\"https://domiogrod.pl/\",\"advertiser_group_id\":3,"
	    "\"advertiser_preview\":true,\"dry\":true}");
	cr_expect_eq(r.status, 422, "a creator of market 1: %s", r.body);
	resp_free(&r);
	r = post(ADMIN, "{\"url\":\"https://domiogrod.pl/\",\"advertiser_preview\":true,"
	    "\"dry\":true}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_null(jpath(r.json, "advertiser.commission_rate"));
	cr_expect_null(jpath(r.json, "advertiser.logo_url"));
	resp_free(&r);
	free(rate);
	free(logo);
}

Test(affiliate_links, idempotency_key_makes_one_link)
{
	char hdr[128], key[96], q[256], *first;
	long long before = links_count();
	struct resp r;

	snprintf(key, sizeof(key), "links-%ld-%d", (long)time(NULL), getpid());
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);
	r = req_ex("POST", "/v2/affiliate-links", tok(CREATOR1),
	    "{\"url\":\"https://nordicbeauty.se/once\"}", 0, NULL, hdr);
	cr_assert_eq(r.status, 201, "%s", r.body);
	first = strdup(r.body);
	resp_free(&r);
	r = req_ex("POST", "/v2/affiliate-links", tok(CREATOR1),
	    "{\"url\":\"https://nordicbeauty.se/once\"}", 0, NULL, hdr);
	cr_expect_eq(r.status, 201);
	cr_expect_str_eq(r.body, first);
	cr_expect_str_eq(resp_header(&r, "Idempotent-Replayed"), "true");
	cr_expect_eq(links_count(), before + 1);
	delete_link(jint(r.json, "id"));
	resp_free(&r);
	snprintf(q, sizeof(q), "DELETE FROM idempotency_keys WHERE idem_key = '%s'", key);
	free(sql(q));
	free(first);
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

Test(affiliate_links, invalid_input_is_a_422)
{
	static const struct {
		const char *body, *field, *msg;
	} cases[] = {
		{ "{}", "url", "The url field is required." },
		{ "{\"url\":null}", "url", "The url field is required." },
		{ "{\"url\":123}", "url", "The url field must be a string." },
		{ "{\"url\":\"nordicbeauty.se\"}", "url", "The url field must be a valid URL." },
		{ "{\"url\":\"ftp://nordicbeauty.se/\"}", "url", "The url field must be a valid URL." },
		{ "{\"url\":\"https://user@nordicbeauty.se/\"}", "url",
		    "The url field must be a valid URL." },
		{ "{\"url\":\"https://nordicbeauty.se/a b\"}", "url",
		    "The url field must be a valid URL." },
		{ "{\"url\":\"https://nordicbeauty.se/\",\"advertiser_id\":\"x\"}", "advertiser_id",
		    "The advertiser id field must be an integer." },
		{ "{\"url\":\"https://nordicbeauty.se/\",\"advertiser_id\":0}", "advertiser_id",
		    "The advertiser id field must be at least 1." },
		{ "{\"url\":\"https://nordicbeauty.se/\",\"advertiser_id\":999999}", "advertiser_id",
		    "The selected advertiser id is invalid." },
		{ "{\"url\":\"https://nordicbeauty.se/\",\"advertiser_group_id\":1.5}",
		    "advertiser_group_id", "The advertiser group id field must be an integer." },
		{ "{\"url\":\"https://nordicbeauty.se/\",\"advertiser_group_id\":999999}",
		    "advertiser_group_id", "The selected advertiser group id is invalid." },
		{ "{\"url\":\"https://nordicbeauty.se/\",\"dry\":\"yes\"}", "dry",
		    "The dry field must be true or false." },
		{ "{\"url\":\"https://nordicbeauty.se/\",\"advertiser_preview\":2}",
		    "advertiser_preview", "The advertiser preview field must be true or false." },
	};
	long long before = links_count();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r = post(CREATOR1, cases[i].body);

		expect_only_error(&r, cases[i].field, cases[i].msg);
		resp_free(&r);
	}

	/* 2048 characters are a URL; 2049 are too many. */
	char body[2200], url[2100];

	for (size_t len = 2048; len <= 2049; len++) {
		memset(url, 'a', sizeof(url));
		memcpy(url, "https://nordicbeauty.se/", 24);
		url[len] = '\0';
		snprintf(body, sizeof(body), "{\"url\":\"%s\",\"dry\":true}", url);
		struct resp r = post(CREATOR1, body);

		if (len == 2048) {
			cr_expect_eq(r.status, 200, "%s", r.body);
			cr_expect_str_eq(jstr(r.json, "url"), url);
		} else
			expect_only_error(&r, "url",
			    "The url field must not be greater than 2048 characters.");
		resp_free(&r);
	}
	cr_expect_eq(links_count(), before);
}
