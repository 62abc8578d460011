/*
 * conf.c -- parse and check the configuration file.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "util.h"

enum conf_type { CT_STR, CT_INT, CT_LONG, CT_LEVEL, CT_JWTALG, CT_FILE, CT_ADDRS };

struct conf_key {
	const char *name;
	enum conf_type type;
	size_t off;
	long min, max;
};

#define OFF(f) offsetof(struct conf, f)

static const struct conf_key conf_keys[] = {
	{ "listen", CT_STR, OFF(listen), 0, 0 },
	{ "workers", CT_INT, OFF(workers), 1, 256 },
	{ "max_requests", CT_LONG, OFF(max_requests), 0, LONG_MAX },
	{ "pid_file", CT_STR, OFF(pid_file), 0, 0 },
	{ "shutdown_timeout", CT_INT, OFF(shutdown_timeout), 0, 3600 },
	{ "log_file", CT_STR, OFF(log_file), 0, 0 },
	{ "log_level", CT_LEVEL, OFF(log_level), 0, 0 },
	{ "db_socket", CT_STR, OFF(db_socket), 0, 0 },
	{ "db_host", CT_STR, OFF(db_host), 0, 0 },
	{ "db_port", CT_INT, OFF(db_port), 1, 65535 },
	{ "db_name", CT_STR, OFF(db_name), 0, 0 },
	{ "db_user", CT_STR, OFF(db_user), 0, 0 },
	{ "db_password_file", CT_FILE, OFF(db_password), 0, 0 },
	{ "db_connect_timeout", CT_INT, OFF(db_connect_timeout), 1, 600 },
	/* At least 2: lock waits end a second before it (db.c). */
	{ "db_read_timeout", CT_INT, OFF(db_read_timeout), 2, 3600 },
	{ "db_write_timeout", CT_INT, OFF(db_write_timeout), 1, 3600 },
	{ "jwt_algorithm", CT_JWTALG, OFF(jwt_alg), 0, 0 },
	{ "jwt_secret_file", CT_STR, OFF(jwt_secret_file), 0, 0 },
	{ "jwt_public_key_file", CT_STR, 0, 0, 0 },	/* handled below */
	{ "jwt_private_key_file", CT_STR, OFF(jwt_private_key_file), 0, 0 },
	{ "jwt_issuer", CT_STR, OFF(jwt_issuer), 0, 0 },
	{ "jwt_audience", CT_STR, OFF(jwt_audience), 0, 0 },
	{ "jwt_leeway", CT_INT, OFF(jwt_leeway), 0, 3600 },
	{ "jwt_max_ttl", CT_LONG, OFF(jwt_max_ttl), 0, 10L * 366 * 86400 },
	{ "max_body_bytes", CT_LONG, OFF(max_body_bytes), 0, 1L << 30 },
	{ "max_query_params", CT_INT, OFF(max_query_params), 1, 100000 },
	{ "max_query_bytes", CT_LONG, OFF(max_query_bytes), 16, 1L << 20 },
	{ "rate_limit", CT_INT, OFF(rate_limit), 0, 1000000 },
	{ "rate_limit_file", CT_STR, OFF(rate_limit_file), 0, 0 },
	{ "media_base_url", CT_STR, OFF(media_base_url), 0, 0 },
	{ "short_link_base", CT_STR, OFF(short_link_base), 0, 0 },
	{ "base_url", CT_STR, OFF(base_url), 0, 0 },
	{ "export_dir", CT_STR, OFF(export_dir), 0, 0 },
	{ "accel_redirect", CT_STR, OFF(accel_redirect), 0, 0 },
	{ "export_max_age", CT_LONG, OFF(export_max_age), 60, 366L * 86400 },
	{ "export_heartbeat_timeout", CT_INT, OFF(export_heartbeat_timeout), 2, 3600 },
	{ "export_poll_interval", CT_INT, OFF(export_poll_interval), 10, 60000 },
	{ "media_dir", CT_STR, OFF(media_dir), 0, 0 },
	{ "invoice_dir", CT_STR, OFF(invoice_dir), 0, 0 },
	{ "max_upload_bytes", CT_LONG, OFF(max_upload_bytes), 0, 1L << 30 },
	{ "fcgi_allowed_addrs", CT_ADDRS, OFF(fcgi_allowed_addrs), 0, 0 },
};

static const char *const jwt_names[CONF_JWT__MAX] = { "HS256", "RS256", "ES256" };

unsigned char *
conf_read_file(const char *path, size_t *len)
{
	FILE *f;
	unsigned char *buf = NULL, *nbuf;
	size_t cap = 0, n = 0, got;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > (16u << 20) || (nbuf = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			buf = nbuf;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * "any", or IPv4 addresses separated by commas and blanks, into *out as
 * "any" or "a,b,c" (what libfcgi's FCGI_WEB_SERVER_ADDRS takes). 0, or -1.
 */
static int
parse_addrs(const char *val, char **out)
{
	struct buf b = { 0 };
	struct in_addr a;
	char one[INET_ADDRSTRLEN + 1];
	const char *p = val;
	size_t n;

	if (strcmp(val, "any") == 0)
		return (*out = strdup("any")) == NULL ? -1 : 0;
	for (;;) {
		p += strspn(p, " \t,");
		if (*p == '\0')
			break;
		n = strcspn(p, " \t,");
		if (n >= sizeof(one))
			goto bad;
		memcpy(one, p, n);
		one[n] = '\0';
		if (inet_pton(AF_INET, one, &a) != 1)
			goto bad;
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_adds(&b, one);
		p += n;
	}
	if (b.len == 0 || b.oom)
		goto bad;
	*out = b.p;
	return 0;
bad:
	buf_free(&b);
	return -1;
}

static int
set_key(struct conf *c, const struct conf_key *k, const char *val,
    char **pubkey, char *err, size_t errsz)
{
	char *end, **sp;
	long v;
	int lvl;
	unsigned char *data;
	size_t len;

	switch (k->type) {
	case CT_STR:
		if (strcmp(k->name, "jwt_public_key_file") == 0)
			sp = pubkey;
		else
			sp = (char **)((char *)c + k->off);
		free(*sp);
		if ((*sp = strdup(val)) == NULL)
			goto nomem;
		return 0;
	case CT_INT:
	case CT_LONG:
		errno = 0;
		v = strtol(val, &end, 10);
		if (errno || end == val || *end != '\0' || v < k->min || v > k->max) {
			snprintf(err, errsz, "%s must be a whole number from %ld to %ld",
			    k->name, k->min, k->max);
			return -1;
		}
		if (k->type == CT_INT)
			*(int *)((char *)c + k->off) = (int)v;
		else
			*(long *)((char *)c + k->off) = v;
		return 0;
	case CT_LEVEL:
		if ((lvl = log_level_parse(val)) < 0) {
			snprintf(err, errsz, "log_level must be error, warn, info or debug");
			return -1;
		}
		c->log_level = lvl;
		return 0;
	case CT_JWTALG:
		for (int i = 0; i < CONF_JWT__MAX; i++)
			if (strcmp(val, jwt_names[i]) == 0) {
				c->jwt_alg = (enum jwt_kind)i;
				return 0;
			}
		snprintf(err, errsz, "jwt_algorithm must be HS256, RS256 or ES256");
		return -1;
	case CT_FILE:
		if ((data = conf_read_file(val, &len)) == NULL) {
			snprintf(err, errsz, "%s: cannot read %s: %s", k->name, val,
			    strerror(errno));
			return -1;
		}
		/* The password is the file's first line. */
		data[strcspn((char *)data, "\r\n")] = '\0';
		sp = (char **)((char *)c + k->off);
		free(*sp);
		*sp = (char *)data;
		return 0;
	case CT_ADDRS:
		sp = (char **)((char *)c + k->off);
		free(*sp);
		*sp = NULL;
		if (parse_addrs(val, sp) == -1) {
			snprintf(err, errsz, "%s must be \"any\" or IPv4 addresses separated "
			    "by commas", k->name);
			return -1;
		}
		return 0;
	}
	return 0;
nomem:
	snprintf(err, errsz, "out of memory");
	return -1;
}

/*
 * Cuts the comment off line: a `#` first on the line or after a blank.
 * Any other `#` belongs to the value, so values may contain `#`.
 */
static void
strip_comment(char *line)
{
	for (char *p = line; *p; p++)
		if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

static int
conf_defaults(struct conf *c)
{
	c->workers = 4;
	c->shutdown_timeout = 10;
	c->log_level = LOG_LVL_INFO;
	c->db_port = 3306;
	c->db_connect_timeout = 2;
	c->db_read_timeout = 5;
	c->db_write_timeout = 5;
	c->jwt_alg = CONF_JWT_HS256;
	c->jwt_leeway = 30;
	c->jwt_max_ttl = 30L * 86400;
	c->max_body_bytes = 1048576;
	c->max_upload_bytes = 10485760;
	c->max_query_params = 256;
	c->max_query_bytes = 8192;
	c->rate_limit = 300;
	c->export_max_age = 7L * 86400;
	c->export_heartbeat_timeout = 60;
	c->export_poll_interval = 1000;
	if ((c->db_host = strdup("127.0.0.1")) == NULL ||
	    (c->db_name = strdup("metapic")) == NULL ||
	    (c->db_user = strdup("metapic")) == NULL ||
	    (c->rate_limit_file = strdup("/run/metapic-api/ratelimit")) == NULL ||
	    (c->media_base_url = strdup("https://media.metapic.com")) == NULL ||
	    (c->short_link_base = strdup("https://mtpc.se")) == NULL ||
	    (c->fcgi_allowed_addrs = strdup("127.0.0.1")) == NULL)
		return -1;
	return 0;
}

struct conf *
conf_load(const char *path, char *err, size_t errsz)
{
	struct conf *c = NULL;
	char *text = NULL, *line, *save, *eq, *key, *val;
	char *pubkey = NULL, kerr[512];
	int lineno = 0;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL || conf_defaults(c) == -1 ||
	    (c->path = strdup(path)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto fail;
	}
	if ((text = (char *)conf_read_file(path, NULL)) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto fail;
	}
	/* strsep, not strtok: empty lines count for the line numbers. */
	save = text;
	while ((line = strsep(&save, "\n")) != NULL) {
		lineno++;
		strip_comment(line);
		line = trim(line);
		if (*line == '\0')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			snprintf(err, errsz, "%s:%d: expected key = value", path, lineno);
			goto fail;
		}
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		for (i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++)
			if (strcmp(key, conf_keys[i].name) == 0)
				break;
		if (i == sizeof(conf_keys) / sizeof(conf_keys[0])) {
			snprintf(err, errsz, "%s:%d: unknown key '%s'", path, lineno, key);
			goto fail;
		}
		if (set_key(c, &conf_keys[i], val, &pubkey, kerr, sizeof(kerr)) == -1) {
			snprintf(err, errsz, "%s:%d: %s", path, lineno, kerr);
			goto fail;
		}
	}

	/* The verification key: HMAC and public-key paths never mix. */
	if (c->jwt_alg == CONF_JWT_HS256) {
		if (c->jwt_secret_file == NULL) {
			snprintf(err, errsz, "%s: jwt_secret_file is required for HS256", path);
			goto fail;
		}
		if ((c->jwt_key = conf_read_file(c->jwt_secret_file, &c->jwt_key_len)) == NULL) {
			snprintf(err, errsz, "%s: cannot read jwt_secret_file %s: %s", path,
			    c->jwt_secret_file, strerror(errno));
			goto fail;
		}
		while (c->jwt_key_len > 0 && (c->jwt_key[c->jwt_key_len - 1] == '\n' ||
		    c->jwt_key[c->jwt_key_len - 1] == '\r'))
			c->jwt_key[--c->jwt_key_len] = '\0';
		/* libjwt accepts any HS256 token when the key is empty. */
		if (c->jwt_key_len < 32) {
			snprintf(err, errsz, "%s: the HS256 secret in %s must be at least 32 bytes",
			    path, c->jwt_secret_file);
			goto fail;
		}
	} else {
		if (pubkey == NULL) {
			snprintf(err, errsz, "%s: jwt_public_key_file is required for %s", path,
			    jwt_names[c->jwt_alg]);
			goto fail;
		}
		if ((c->jwt_key = conf_read_file(pubkey, &c->jwt_key_len)) == NULL) {
			snprintf(err, errsz, "%s: cannot read jwt_public_key_file %s: %s", path,
			    pubkey, strerror(errno));
			goto fail;
		}
		if (strstr((char *)c->jwt_key, "-----BEGIN PUBLIC KEY-----") == NULL) {
			snprintf(err, errsz, "%s: %s is not a PEM public key", path, pubkey);
			goto fail;
		}
	}
	free(pubkey);
	free(text);
	return c;
fail:
	free(pubkey);
	free(text);
	conf_free(c);
	return NULL;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->listen);
	free(c->pid_file);
	free(c->log_file);
	free(c->db_socket);
	free(c->db_host);
	free(c->db_name);
	free(c->db_user);
	free(c->db_password);
	free(c->jwt_key);
	free(c->jwt_secret_file);
	free(c->jwt_private_key_file);
	free(c->jwt_issuer);
	free(c->jwt_audience);
	free(c->rate_limit_file);
	free(c->media_base_url);
	free(c->short_link_base);
	free(c->base_url);
	free(c->export_dir);
	free(c->accel_redirect);
	free(c->media_dir);
	free(c->invoice_dir);
	free(c->fcgi_allowed_addrs);
	free(c);
}
