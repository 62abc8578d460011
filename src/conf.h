/*
 * conf.h -- the configuration file.
 *
 * `key = value` lines. A `#` at the start of a line (after blanks) or after
 * a blank starts a comment; any other `#` is part of the value
 * (`a = x#y` is "x#y", `a = x #y` is "x"). Every key is documented in
 * conf/metapic.conf.example. Unknown keys and bad values are start-up
 * errors: the process refuses to run rather than guess.
 */
#ifndef METAPIC_CONF_H
#define METAPIC_CONF_H

#include <stddef.h>

enum jwt_kind {
	CONF_JWT_HS256,
	CONF_JWT_RS256,
	CONF_JWT_ES256,
	CONF_JWT__MAX
};

struct conf {
	char *path;		/* the file it came from */
	char *listen;
	int workers;
	long max_requests;
	char *pid_file;
	int shutdown_timeout;
	char *log_file;
	int log_level;

	char *db_socket;
	char *db_host;
	int db_port;
	char *db_name;
	char *db_user;
	char *db_password;	/* read from db_password_file */
	int db_connect_timeout;
	int db_read_timeout;
	int db_write_timeout;

	enum jwt_kind jwt_alg;
	unsigned char *jwt_key;	/* secret (HS256) or public key PEM */
	size_t jwt_key_len;
	char *jwt_private_key_file;	/* metapic-token only */
	char *jwt_secret_file;
	char *jwt_issuer;
	char *jwt_audience;
	int jwt_leeway;
	long jwt_max_ttl;	/* longest token lifetime in seconds; 0: no cap */

	long max_body_bytes;
	int max_query_params;
	long max_query_bytes;
	int rate_limit;
	char *rate_limit_file;
	char *media_base_url;
	char *short_link_base;
	char *base_url;
	char *export_dir;
	char *accel_redirect;	/* nginx's internal location for export_dir, or NULL */
	long export_max_age;	/* seconds a finished export (job and file) is kept */
	int export_heartbeat_timeout;	/* seconds without a heartbeat: the job is free */
	int export_poll_interval;	/* milliseconds between looks at an empty queue */
	char *media_dir;	/* uploaded images: tmp/ and what is in use */
	char *invoice_dir;	/* creators' invoice files */
	long max_upload_bytes;	/* body limit of upload routes (max_body_bytes elsewhere) */
	/*
	 * Peers allowed on a TCP `listen`: IPv4 addresses joined by ',' as
	 * libfcgi's FCGI_WEB_SERVER_ADDRS wants them, or "any".
	 */
	char *fcgi_allowed_addrs;
};

/*
 * Reads and checks the file at path. On success returns a new conf (free
 * it with conf_free). On failure returns NULL and writes a one-line reason,
 * naming the file, line and key, into err.
 */
struct conf *conf_load(const char *path, char *err, size_t errsz);

/* Frees c and everything it owns; NULL is fine. */
void conf_free(struct conf *c);

/* Reads a whole file into a NUL-terminated buffer. NULL on failure. */
unsigned char *conf_read_file(const char *path, size_t *len);

#endif
