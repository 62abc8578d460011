/*
 * app.c -- the request pipeline and the FastCGI/CGI loops.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "idem.h"
#include "log.h"
#include "ratelimit.h"
#include "router.h"
#include "util.h"
#include "valid.h"

static volatile sig_atomic_t app_stop;

static void
on_stop_signal(int sig)
{
	(void)sig;
	app_stop = 1;
}

void
app_process_init(const struct conf *c)
{
	if (log_open(c->log_file, (enum log_level)c->log_level) == -1)
		log_error("cannot open log file %s: %s", c->log_file, strerror(errno));
	db_close();
	db_init(c);
	if (c->rate_limit > 0 && c->rate_limit_file != NULL &&
	    rl_open(c->rate_limit_file) == -1)
		log_error("cannot open rate limit file %s: %s; not limiting",
		    c->rate_limit_file, strerror(errno));
}

static enum api_err
preflight(struct req *r, unsigned allowed)
{
	char allow[128];

	route_allow(allowed | ROUTE_METHOD(HTTP_OPTIONS), allow, sizeof(allow));
	http_add_header(r, "Allow", "%s", allow);
	http_add_header(r, "Access-Control-Allow-Methods", "%s", allow);
	http_add_header(r, "Access-Control-Allow-Headers",
	    "Authorization, Content-Type, Accept, X-Request-Id");
	http_add_header(r, "Access-Control-Max-Age", "86400");
	http_set_json(r, 204, NULL);
	return API_OK;
}

static enum api_err
authenticate(struct req *r)
{
	const struct conf *c = r->conf;
	int64_t sub = 0;
	enum api_err e;

	e = auth_verify(c, r->io.param(r->io.ctx, "HTTP_AUTHORIZATION"), time(NULL), &sub);
	if (e != API_OK)
		return e;
	/*
	 * Throttled before the database: a flood costs no query. The limit's
	 * headers go out only once the caller is known (or throttled).
	 */
	if (c->rate_limit > 0 && !rl_hit(sub, c->rate_limit, time(NULL), &r->rl_remaining,
	    &r->rl_retry_after)) {
		r->rl_limit = c->rate_limit;
		http_add_header(r, "Retry-After", "%d", r->rl_retry_after);
		return API_RATE_LIMITED;
	}
	/* The caller and the route's scope, in one query. */
	if ((e = auth_load_caller(r, sub)) != API_OK)
		return e;
	if (c->rate_limit > 0)
		r->rl_limit = c->rate_limit;
	if ((e = auth_check_access(r)) != API_OK)
		return e;
	return r->scope_result;
}

static enum api_err
pipeline(struct req *r)
{
	const struct route *rt;
	unsigned allowed;
	enum api_err e;
	char allow[128];
	bool replayed = false;

	if ((e = http_read_head(r)) != API_OK)
		return e;
	e = route_match(r->path, r->method, &rt, r->path_params, &allowed);
	if (r->method == HTTP_OPTIONS && e == API_METHOD)
		return preflight(r, allowed);
	if (e == API_METHOD) {
		http_add_header(r, "Allow", "%s", route_allow(allowed, allow, sizeof(allow)));
		return e;
	}
	if (e != API_OK)
		return e;
	r->route = rt;
	if (rt->access != ACC_PUBLIC && (e = authenticate(r)) != API_OK)
		return e;
	if (rt->h == NULL)
		return API_NOT_IMPLEMENTED;
	if ((e = http_read_body(r)) != API_OK)
		return e;
	/*
	 * The key first: a replay answers what the first request got, before
	 * validation could judge today's data differently.
	 */
	if (r->method == HTTP_POST) {
		if ((e = idem_claim(r, &replayed)) != API_OK || replayed)
			return e;
	}
	if ((e = valid_run(r, rt->h->fields, rt->h->nfields)) == API_OK)
		e = rt->h->fn(r);
	if (db_in_transaction()) {
		/* A handler that returned inside a transaction wrote nothing. */
		log_error("rid=%s a transaction was left open; rolled back", r->id);
		db_rollback();
		e = API_SERVER;
	}
	idem_finish(r, e);
	return e;
}

/*
 * A request whose body or answer is larger than this gives the heap it
 * grew back (malloc_trim) once it is done: a big answer is built of many
 * small json-c objects, and glibc keeps their pages, so without it a
 * worker's RSS stays at its largest request's (5 MiB more after one
 * stores-by-categories of 10k stores). Trimming after small requests
 * would cost time for nothing.
 */
#define APP_TRIM_BYTES (64 * 1024)

int
app_handle(const struct conf *c, const struct http_io *io)
{
	struct req r;
	enum api_err e;
	int status;
	bool big;

	http_req_init(&r, c, io);
	e = pipeline(&r);
	status = http_respond(&r, e);
	log_info("access rid=%s uid=%lld %s %s %d %.3fms", r.id,
	    (long long)(r.authenticated ? r.caller.id : 0), r.method_name,
	    r.path ? r.path : "-", status,
	    (double)(util_now_us() - r.started_us) / 1000.0);
	big = r.body_len > APP_TRIM_BYTES || r.body_bytes > APP_TRIM_BYTES;
	http_req_free(&r);
#ifdef HAVE_MALLOC_TRIM
	if (big)
		malloc_trim(0);
#else
	(void)big;
#endif
	return status;
}

/* ------------------------------------------------------------------ */
/* FastCGI                                                            */
/* ------------------------------------------------------------------ */

static long
fcgi_read(void *ctx, char *buf, size_t n)
{
	FCGX_Request *q = ctx;

	return FCGX_GetStr(buf, n > 0x40000000 ? 0x40000000 : (int)n, q->in);
}

static int
fcgi_write(void *ctx, const char *buf, size_t n)
{
	FCGX_Request *q = ctx;

	return FCGX_PutStr(buf, (int)n, q->out) == (int)n ? 0 : -1;
}

static const char *
fcgi_param(void *ctx, const char *name)
{
	FCGX_Request *q = ctx;

	return FCGX_GetParam(name, q->envp);
}

/*
 * Stopping: serve what already waits in the listen queue, then stop. The
 * drain ends when accept() finds the queue empty, or after half of
 * shutdown_timeout (the master kills at the whole of it), leaving time for
 * the last request.
 */
static int64_t
drain_deadline(const struct conf *c)
{
	log_info("stopping: serving the connections already queued");
	return util_now_us() + (int64_t)c->shutdown_timeout * 500000;
}

int
app_worker(const struct conf *c, int listen_fd, int stop_fd, long max_requests)
{
	FCGX_Request q;
	struct sigaction sa;
	struct pollfd pf[2];
	sigset_t block, waitmask;
	struct http_io io;
	long served = 0;
	int rc, flags, exit_status = 0;
	bool draining = false;
	int64_t drain_end = 0;
	char how;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;	/* no SA_RESTART: ppoll wakes */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGHUP, SIG_IGN);	/* the master reloads, workers don't */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	/* Several processes wait on one socket: never block in accept(). */
	if ((flags = fcntl(listen_fd, F_GETFL)) == -1 ||
	    fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) == -1) {
		log_error("listen socket: %s", strerror(errno));
		return 1;
	}
	if (FCGX_InitRequest(&q, listen_fd, 0) != 0) {
		log_error("FCGX_InitRequest failed");
		return 1;
	}
	io.read = fcgi_read;
	io.write = fcgi_write;
	io.param = fcgi_param;
	io.ctx = &q;

	for (;;) {
		if (app_stop && !draining) {
			/* SIGTERM/SIGINT to this process: drain, as the master's stop. */
			draining = true;
			drain_end = drain_deadline(c);
		}
		if (draining) {
			if (util_now_us() >= drain_end) {
				log_warn("stopping: out of time; connections still queued are "
				    "dropped");
				break;
			}
		} else {
			pf[0].fd = listen_fd;
			pf[0].events = POLLIN;
			pf[0].revents = 0;
			pf[1].fd = stop_fd;
			pf[1].events = POLLIN;
			pf[1].revents = 0;
			rc = ppoll(pf, stop_fd >= 0 ? 2 : 1, NULL, &waitmask);
			if (rc == -1) {
				if (errno == EINTR)
					continue;
				log_error("ppoll: %s", strerror(errno));
				exit_status = 1;	/* not a planned exit: back off */
				break;
			}
			if (stop_fd >= 0 && pf[1].revents) {
				/* A byte APP_STOP_DRAIN: drain; EOF: stop now. */
				if (read(stop_fd, &how, 1) == 1 && how == APP_STOP_DRAIN) {
					draining = true;
					drain_end = drain_deadline(c);
					continue;
				}
				break;
			}
			if (pf[0].revents & (POLLERR | POLLNVAL)) {
				log_error("the listening socket failed");
				exit_status = 1;
				break;
			}
			if (!(pf[0].revents & POLLIN))
				continue;
		}
		rc = FCGX_Accept_r(&q);
		if (rc < 0) {
			if (draining && (rc == -EAGAIN || rc == -EWOULDBLOCK)) {
				/*
				 * The queue is empty. Close our descriptor at once:
				 * once every process has, new connections are
				 * refused instead of queued where nobody serves them.
				 */
				close(listen_fd);
				break;
			}
			/* Another worker took the connection first. */
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR ||
			    rc == -ECONNABORTED)
				continue;
			log_error("FCGX_Accept_r: %d", rc);
			exit_status = 1;	/* not a planned exit: back off */
			break;
		}
		app_handle(c, &io);
		FCGX_Finish_r(&q);
		if (max_requests > 0 && ++served >= max_requests) {
			log_info("served %ld requests; recycling", served);
			break;
		}
	}
	FCGX_Free(&q, 1);
	db_close();
	return exit_status;
}

/* ------------------------------------------------------------------ */
/* Plain CGI                                                          */
/* ------------------------------------------------------------------ */

static long
cgi_read(void *ctx, char *buf, size_t n)
{
	(void)ctx;
	size_t got = fread(buf, 1, n, stdin);

	return got == 0 && ferror(stdin) ? -1 : (long)got;
}

static int
cgi_write(void *ctx, const char *buf, size_t n)
{
	(void)ctx;
	return fwrite(buf, 1, n, stdout) == n ? 0 : -1;
}

static const char *
cgi_param(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

int
app_cgi(const struct conf *c)
{
	struct http_io io = { cgi_read, cgi_write, cgi_param, NULL };

	app_handle(c, &io);
	fflush(stdout);
	db_close();
	return 0;
}
