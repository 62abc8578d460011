/*
 * main.c -- metapic-api: the Metapic API v2 as a FastCGI application.
 *
 *   metapic-api --config FILE [--listen unix:PATH|HOST:PORT] [--workers N]
 *               [--max-requests N] [--pid-file FILE]
 *
 * With --listen (or `listen` in the config): open the socket and run the
 * preforked pool. Without it, when fd 0 is a listening socket (spawn-fcgi,
 * mod_fcgid): serve fd 0, with --workers N as a pool, else as one process.
 * Otherwise: serve one request as a plain CGI program.
 */
#include "config.h"

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "conf.h"
#include "log.h"
#include "pool.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: metapic-api --config FILE [--listen unix:PATH|HOST:PORT]\n"
	    "                   [--workers N] [--max-requests N] [--pid-file FILE]\n");
	exit(2);
}

/*
 * Opens the listening socket; start-up errors exit. For a unix socket,
 * records in o the file made, so that the pool removes it on stop.
 */
static int
open_listener(const char *spec, struct pool_opts *o)
{
	int fd, one = 1;

	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un sun;
		const char *path = spec + 5;
		struct stat st;
		mode_t old;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(path) == 0 || strlen(path) >= sizeof(sun.sun_path))
			errx(1, "--listen %s: bad socket path", spec);
		memcpy(sun.sun_path, path, strlen(path));
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
			err(1, "socket");
		/* Another instance still serving this path? Never steal it. */
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			errx(1, "%s is in use by a running server", path);
		close(fd);
		if (unlink(path) == -1 && errno != ENOENT)
			err(1, "unlink %s", path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			err(1, "socket");
		old = umask(0117);	/* rw for owner and group: the web server */
		if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
			err(1, "bind %s", path);
		umask(old);
		if (stat(path, &st) == -1)
			err(1, "stat %s", path);
		o->unix_path = path;
		o->unix_dev = st.st_dev;
		o->unix_ino = st.st_ino;
	} else {
		struct sockaddr_in sin;
		const char *colon = strrchr(spec, ':');
		char host[64];
		long port;

		if (colon == NULL || colon == spec || (size_t)(colon - spec) >= sizeof(host))
			errx(1, "--listen %s: expected unix:PATH or HOST:PORT", spec);
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
		port = strtol(colon + 1, NULL, 10);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		if (port < 1 || port > 65535 || inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			errx(1, "--listen %s: expected an IPv4 address and a port", spec);
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			err(1, "socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			err(1, "bind %s", spec);
	}
	if (listen(fd, 1024) == -1)
		err(1, "listen %s", spec);
	return fd;
}

/*
 * Who may connect over TCP. libfcgi reads FCGI_WEB_SERVER_ADDRS (IPv4
 * addresses joined by ',') in FCGX_Init() and closes a connection from any
 * other IPv4 peer before reading a byte of it. When the environment does
 * not set it, the config's fcgi_allowed_addrs (default 127.0.0.1) does;
 * "any" leaves it unset. Returns true when the config's list is in force.
 */
static bool
restrict_peers(const struct conf *c, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	const char *env = getenv("FCGI_WEB_SERVER_ADDRS"), *list;

	if (env == NULL && strcmp(c->fcgi_allowed_addrs, "any") != 0 &&
	    setenv("FCGI_WEB_SERVER_ADDRS", c->fcgi_allowed_addrs, 1) == -1)
		err(1, "setenv");
	list = env != NULL ? env : c->fcgi_allowed_addrs;
	if (fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET)
			log_info("FastCGI over TCP: peers allowed: %s (from %s)",
			    *list && strcmp(list, "any") != 0 ? list : "any",
			    env != NULL ? "FCGI_WEB_SERVER_ADDRS" : "fcgi_allowed_addrs");
		else if (ss.ss_family == AF_INET6)
			log_warn("FastCGI over IPv6: libfcgi checks IPv4 peers only; any "
			    "peer that reaches the socket is served");
	}
	return env == NULL;
}

/* True when fd 0 is a listening socket handed over by a process manager. */
static bool
stdin_is_listener(void)
{
	int on = 0;
	socklen_t len = sizeof(on);

	return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "max-requests", required_argument, NULL, 'm' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = getenv("METAPIC_CONFIG"), *listen_spec = NULL;
	struct pool_opts po = { .listen_fd = -1, .workers = -1, .max_requests = -1 };
	long workers = -1, max_requests = -1;
	struct conf *c;
	char errbuf[512];
	int ch, rc;
	bool inherited;

	while ((ch = getopt_long(argc, argv, "c:l:w:m:p:fh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'l': listen_spec = optarg; break;
		case 'w': workers = strtol(optarg, NULL, 10); break;
		case 'm': max_requests = strtol(optarg, NULL, 10); break;
		case 'p': po.pid_file = optarg; break;
		case 'f': break;	/* always in the foreground */
		default: usage();
		}
	}
	if (config == NULL || optind != argc)
		usage();
	if ((c = conf_load(config, errbuf, sizeof(errbuf))) == NULL)
		errx(1, "%s", errbuf);
	/*
	 * A socket handed over on fd 0 (spawn-fcgi, mod_fcgid) wins over the
	 * config's `listen`, which is for the standalone pool: one config file
	 * can then serve all three ways. Only --listen on the command line
	 * overrides fd 0.
	 */
	inherited = listen_spec == NULL && stdin_is_listener();
	if (listen_spec == NULL && !inherited && c->listen != NULL && *c->listen) {
		listen_spec = c->listen;
		po.listen_from_conf = true;
	}
	/* Given on the command line: fixed; else the config's, reloads too. */
	po.workers = (int)workers;
	po.max_requests = max_requests;
	if (workers < 0 && listen_spec != NULL)
		workers = c->workers;
	if (max_requests < 0)
		max_requests = c->max_requests;
	if (po.pid_file == NULL)
		po.pid_file = c->pid_file;
	if (log_open(c->log_file, (enum log_level)c->log_level) == -1)
		err(1, "log file %s", c->log_file);

	if (listen_spec != NULL && *listen_spec) {
		po.listen_spec = listen_spec;
		po.listen_fd = open_listener(listen_spec, &po);
		po.addrs_from_conf = restrict_peers(c, po.listen_fd);
		if (FCGX_Init() != 0)
			errx(1, "FCGX_Init failed");
		rc = pool_run(&c, &po);
	} else if (inherited) {
		po.listen_fd = 0;
		po.addrs_from_conf = restrict_peers(c, 0);
		if (FCGX_Init() != 0)
			errx(1, "FCGX_Init failed");
		if (workers > 0)
			rc = pool_run(&c, &po);
		else {
			app_process_init(c);
			rc = app_worker(c, 0, -1, max_requests);
		}
	} else {
		if (FCGX_Init() != 0)
			errx(1, "FCGX_Init failed");
		app_process_init(c);
		rc = app_cgi(c);
	}
	conf_free(c);
	return rc;
}
