/*
 * test_conf.c -- the configuration file: what loads, and what stops the
 * program at start-up with the file, line and reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "conf.h"

static char dir[] = "/tmp/metapic-conf-XXXXXX";
static char secret[256], shortsecret[256], pub[1024], notpem[256];

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static void
setup(void)
{
	const char *top = getenv("top_srcdir");

	cr_assert_not_null(mkdtemp(dir));
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	write_file(secret, "0123456789abcdef0123456789abcdef\n");
	snprintf(shortsecret, sizeof(shortsecret), "%s/short", dir);
	write_file(shortsecret, "too-short");
	snprintf(notpem, sizeof(notpem), "%s/notpem", dir);
	write_file(notpem, "hello");
	snprintf(pub, sizeof(pub), "%s/t/data/test-rsa.pub.pem", top ? top : ".");
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Loads text as a config file; returns the conf or NULL with err set. */
static struct conf *
load(const char *text, char *err, size_t errsz)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/metapic.conf", dir);
	write_file(path, text);
	return conf_load(path, err, errsz);
}

TestSuite(conf, .init = setup, .fini = teardown);

Test(conf, loads_with_defaults)
{
	char text[1024], err[512] = "";
	struct conf *c;

	snprintf(text, sizeof(text), "# comment\n\njwt_secret_file = %s  # trailing\n"
	    "db_name = shop\nrate_limit = 60\n", secret);
	cr_assert_not_null(c = load(text, err, sizeof(err)), "%s", err);
	cr_expect_str_eq(c->db_name, "shop");
	cr_expect_eq(c->rate_limit, 60);
	cr_expect_eq(c->workers, 4);
	cr_expect_eq(c->max_body_bytes, 1048576);
	cr_expect_eq(c->jwt_key_len, 32, "the trailing newline is not part of the secret");
	conf_free(c);
}

Test(conf, refuses_bad_files)
{
	char text[2048], err[512];
	struct {
		const char *body;
		const char *why;
	} cases[] = {
		{ "colour = blue\n", "unknown key 'colour'" },
		{ "workers = many\n", "workers must be a whole number" },
		{ "workers = 0\n", "workers must be a whole number from 1 to 256" },
		{ "workers\n", "expected key = value" },
		{ "log_level = loud\n", "log_level must be" },
		{ "jwt_algorithm = none\n", "jwt_algorithm must be HS256, RS256 or ES256" },
		{ "jwt_algorithm = HS256\n", "jwt_secret_file is required" },
		{ "jwt_algorithm = RS256\n", "jwt_public_key_file is required" },
		{ "db_password_file = /nonexistent/pw\n", "cannot read /nonexistent/pw" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		cr_expect_null(load(cases[i].body, err, sizeof(err)), "%s", cases[i].body);
		cr_expect(strstr(err, cases[i].why) != NULL, "%s: got \"%s\"", cases[i].body, err);
		cr_expect(strstr(err, "metapic.conf") != NULL, "names the file: %s", err);
	}
	snprintf(text, sizeof(text), "jwt_secret_file = %s\n", shortsecret);
	cr_expect_null(load(text, err, sizeof(err)));
	cr_expect(strstr(err, "at least 32 bytes") != NULL, "%s", err);
	snprintf(text, sizeof(text), "jwt_algorithm = RS256\njwt_public_key_file = %s\n", notpem);
	cr_expect_null(load(text, err, sizeof(err)));
	cr_expect(strstr(err, "not a PEM public key") != NULL, "%s", err);
	snprintf(text, sizeof(text), "jwt_algorithm = RS256\njwt_public_key_file = %s\n", pub);
	struct conf *c = load(text, err, sizeof(err));
	cr_expect_not_null(c, "%s", err);
	conf_free(c);
	/* The line number of the offending line. */
	snprintf(text, sizeof(text), "jwt_secret_file = %s\n\n# x\nworkers = -1\n", secret);
	cr_expect_null(load(text, err, sizeof(err)));
	cr_expect(strstr(err, "metapic.conf:4:") != NULL, "%s", err);
}

/*
 * Comments: a `#` first on the line (after blanks) or after a blank; any
 * other `#` is part of the value.
 */
Test(conf, comments_and_hashes_in_values)
{
	static const struct {
		const char *line;
		const char *db_name;
	} cases[] = {
		{ "db_name = shop#1\n", "shop#1" },
		{ "db_name = #1shop\n", "" },	/* after a blank: all comment */
		{ "db_name = a#b#c # the name\n", "a#b#c" },
		{ "db_name = shop\t# tab before the hash\n", "shop" },
		{ "db_name = shop # comment\n", "shop" },
		{ "   # indented comment\ndb_name = x\n", "x" },
		{ "#db_name = commented\n", "metapic" },
		{ "\t#db_name = commented\n", "metapic" },
		{ "db_name=a# no blank before it\n", "a# no blank before it" },
	};
	char text[1024], err[512];
	struct conf *c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		snprintf(text, sizeof(text), "jwt_secret_file = %s # the secret\n%s", secret,
		    cases[i].line);
		c = load(text, err, sizeof(err));
		cr_assert_not_null(c, "%s: %s", cases[i].line, err);
		cr_expect_str_eq(c->db_name, cases[i].db_name, "%s", cases[i].line);
		cr_expect_eq(c->jwt_key_len, 32, "the secret's path lost its comment");
		conf_free(c);
	}
	/* A URL with a fragment keeps it. */
	snprintf(text, sizeof(text), "jwt_secret_file = %s\nbase_url = https://a.test/#x\n",
	    secret);
	cr_assert_not_null(c = load(text, err, sizeof(err)), "%s", err);
	cr_expect_str_eq(c->base_url, "https://a.test/#x");
	conf_free(c);
}

Test(conf, fcgi_allowed_addrs)
{
	static const struct {
		const char *val;
		const char *want;	/* NULL: refused */
	} cases[] = {
		{ "127.0.0.1", "127.0.0.1" },
		{ "127.0.0.1,10.0.0.2", "127.0.0.1,10.0.0.2" },
		{ "127.0.0.1, 10.0.0.2 ,192.168.1.9", "127.0.0.1,10.0.0.2,192.168.1.9" },
		{ "any", "any" },
		{ "", NULL },
		{ "localhost", NULL },
		{ "::1", NULL },
		{ "127.0.0.256", NULL },
		{ "127.1", NULL },
		{ "any,127.0.0.1", NULL },
		{ "127.0.0.1;10.0.0.2", NULL },
	};
	char text[1024], err[512];
	struct conf *c;

	snprintf(text, sizeof(text), "jwt_secret_file = %s\n", secret);
	cr_assert_not_null(c = load(text, err, sizeof(err)), "%s", err);
	cr_expect_str_eq(c->fcgi_allowed_addrs, "127.0.0.1", "the default");
	conf_free(c);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		snprintf(text, sizeof(text), "jwt_secret_file = %s\nfcgi_allowed_addrs = %s\n",
		    secret, cases[i].val);
		c = load(text, err, sizeof(err));
		if (cases[i].want == NULL) {
			cr_expect_null(c, "'%s' accepted", cases[i].val);
			cr_expect(strstr(err, "fcgi_allowed_addrs must be") != NULL,
			    "'%s': %s", cases[i].val, err);
			continue;
		}
		cr_assert_not_null(c, "'%s': %s", cases[i].val, err);
		cr_expect_str_eq(c->fcgi_allowed_addrs, cases[i].want, "'%s'", cases[i].val);
		conf_free(c);
	}
}

Test(conf, jwt_max_ttl)
{
	static const struct {
		const char *val;
		long want;	/* -1: refused */
	} cases[] = {
		{ NULL, 30L * 86400 },
		{ "0", 0 },
		{ "3600", 3600 },
		{ "316224000", 316224000 },
		{ "316224001", -1 },
		{ "-1", -1 },
		{ "1d", -1 },
	};
	char text[1024], err[512];
	struct conf *c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "jwt_secret_file = %s\n%s%s\n", secret,
		    cases[i].val ? "jwt_max_ttl = " : "", cases[i].val ? cases[i].val : "");
		c = load(text, err, sizeof(err));
		if (cases[i].want < 0) {
			cr_expect_null(c, "%s accepted", cases[i].val);
			continue;
		}
		cr_assert_not_null(c, "%s: %s", cases[i].val, err);
		cr_expect_eq(c->jwt_max_ttl, cases[i].want, "%s", cases[i].val);
		conf_free(c);
	}
}
