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
