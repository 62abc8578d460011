/*
 * pool.c -- master process: prefork, supervise, reload, stop.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "conf.h"
#include "log.h"
#include "pool.h"
#include "ratelimit.h"
#include "util.h"

/* Sanitizer builds: LeakSanitizer checks each worker before _exit(). */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_LSAN 1
#endif
#endif
#ifdef POOL_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define POOL_MAX 256
#define BACKOFF_MIN_US 100000		/* first delay after a young death */
#define BACKOFF_MAX_US 10000000
#define YOUNG_US 1000000		/* dying sooner than this counts as failing */
#define READY_WAIT_US 2000000		/* a reload waits this long for "ready" */
#define EXIT_LEAKED 86			/* a worker's status when LSan found leaks */

struct worker {
	pid_t pid;		/* 0: slot empty */
	int stop_fd;		/* write end of the worker's stop pipe; -1 */
	int ready_fd;		/* read end of its ready pipe, until read; -1 */
	unsigned gen;		/* the reload generation it was started in */
	int64_t started_us;
	int64_t respawn_at_us;	/* when an empty slot may be filled again */
	int failures;		/* consecutive young deaths */
	int64_t kill_at_us;	/* retiring: SIGKILL after this; 0 = serving */
};

static struct worker slots[POOL_MAX];	/* serving workers */
static struct worker retiring[POOL_MAX * 2];	/* told to stop, still alive */
static struct worker fresh;	/* a reload's next replacement, until ready */
static int nslots;
static unsigned gen;		/* bumped by every reload */
static long max_requests;
static int64_t roll_at_us;	/* a reload's next replacement not before */
static int roll_failures;	/* replacements that died before being ready */

static void
empty_slot(struct worker *w)
{
	memset(w, 0, sizeof(*w));
	w->stop_fd = -1;
	w->ready_fd = -1;
}

static void
close_fds(struct worker *w)
{
	if (w->stop_fd != -1)
		close(w->stop_fd);
	if (w->ready_fd != -1)
		close(w->ready_fd);
	w->stop_fd = w->ready_fd = -1;
}

/* In a new worker: the master's ends of every other worker's pipes. */
static void
close_all_pipes(void)
{
	for (int i = 0; i < POOL_MAX; i++)
		close_fds(&slots[i]);
	for (int i = 0; i < POOL_MAX * 2; i++)
		close_fds(&retiring[i]);
	close_fds(&fresh);
}

static int64_t
backoff_us(int failures)
{
	int64_t delay;

	if (failures <= 0)
		return 0;
	delay = (int64_t)BACKOFF_MIN_US << (failures > 7 ? 7 : failures - 1);
	return delay > BACKOFF_MAX_US ? BACKOFF_MAX_US : delay;
}

/*
 * A worker leaves through _exit(), which skips the atexit() leak check of
 * LeakSanitizer: in sanitizer builds run it here, once the worker has
 * freed its own state, and turn a leak into a logged non-zero status.
 */
static void __attribute__((noreturn))
worker_exit(int status)
{
	rl_close();
#ifdef POOL_LSAN
	if (__lsan_do_recoverable_leak_check() != 0) {
		log_error("LeakSanitizer: worker %d leaked memory (report on stderr)",
		    (int)getpid());
		if (status == 0)
			status = EXIT_LEAKED;
	} else
		log_info("LeakSanitizer: worker %d checked: no leak", (int)getpid());
#endif
	_exit(status);
}

/* Forks a worker into w. Returns 0, or -1 when fork/pipe failed. */
static int
spawn(struct worker *w, const struct conf *c, int listen_fd)
{
	int pfd[2], rfd[2];
	pid_t pid;
	sigset_t none;

	if (pipe2(pfd, O_CLOEXEC) == -1) {
		log_error("pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(rfd, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_error("pipe: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		close(rfd[0]);
		close(rfd[1]);
		return -1;
	}
	if (pid == 0) {
		/* The worker keeps only its ends of its own pipes. */
		close(pfd[1]);
		close(rfd[0]);
		close_all_pipes();
		sigemptyset(&none);
		signal(SIGCHLD, SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		app_process_init(c);
		if (write(rfd[1], "r", 1) != 1)
			log_warn("cannot tell the master this worker is ready: %s",
			    strerror(errno));
		close(rfd[1]);
		worker_exit(app_worker(c, listen_fd, pfd[0], max_requests));
	}
	close(pfd[0]);
	close(rfd[1]);
	w->pid = pid;
	w->stop_fd = pfd[1];
	w->ready_fd = rfd[0];
	w->gen = gen;
	w->started_us = util_now_us();
	w->kill_at_us = 0;
	return 0;
}

/*
 * Moves w to the retiring list and asks it to stop: after its request in
 * flight (EOF on its pipe), or, with drain, once the listen queue is empty
 * too (a byte APP_STOP_DRAIN, then EOF). SIGKILL after timeout_s.
 */
static void
retire(struct worker *w, int timeout_s, bool drain)
{
	char how = APP_STOP_DRAIN;
	int i;

	if (drain && w->stop_fd != -1 && write(w->stop_fd, &how, 1) != 1)
		log_warn("worker %d: cannot ask it to drain: %s", (int)w->pid,
		    strerror(errno));
	close_fds(w);
	for (i = 0; i < POOL_MAX * 2; i++)
		if (retiring[i].pid == 0)
			break;
	if (i == POOL_MAX * 2) {
		/* Nowhere to track it: it must not serve on untracked. */
		log_warn("too many workers finishing at once; killing %d", (int)w->pid);
		kill(w->pid, SIGKILL);
	} else {
		retiring[i] = *w;
		retiring[i].kill_at_us = util_now_us() + (int64_t)timeout_s * 1000000;
	}
	w->pid = 0;
}

static void
describe_exit(pid_t pid, int status, const char *what)
{
	if (WIFEXITED(status))
		log_info("%s %d exited with status %d", what, (int)pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_error("%s %d killed by signal %d", what, (int)pid, WTERMSIG(status));
}

/* Reaps children; schedules replacements for serving workers that died. */
static void
reap(bool stopping)
{
	pid_t pid;
	int status;
	int64_t now = util_now_us(), delay;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		bool found = false;
		if (fresh.pid == pid) {
			describe_exit(pid, status, "new worker");
			close_fds(&fresh);
			fresh.pid = 0;
			roll_failures++;
			roll_at_us = now + backoff_us(roll_failures);
			log_warn("reload: the new worker died before it was ready; next try "
			    "in %.1fs, the old workers keep serving",
			    (double)(roll_at_us - now) / 1e6);
			continue;
		}
		for (int i = 0; i < POOL_MAX * 2 && !found; i++)
			if (retiring[i].pid == pid) {
				describe_exit(pid, status, "retired worker");
				retiring[i].pid = 0;
				found = true;
			}
		for (int i = 0; i < nslots && !found; i++) {
			struct worker *w = &slots[i];
			if (w->pid != pid)
				continue;
			found = true;
			close_fds(w);
			w->pid = 0;
			if (stopping)
				break;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
				/* Planned: --max-requests reached. */
				log_info("worker %d recycled", (int)pid);
				w->failures = 0;
				w->respawn_at_us = now;
				break;
			}
			describe_exit(pid, status, "worker");
			if (now - w->started_us < YOUNG_US)
				w->failures++;
			else
				w->failures = 0;
			delay = backoff_us(w->failures);
			if (delay > 0)
				log_warn("worker keeps dying; next start in %.1fs",
				    (double)delay / 1e6);
			w->respawn_at_us = now + delay;
		}
	}
}

static int
alive_children(void)
{
	int n = fresh.pid != 0;

	for (int i = 0; i < nslots; i++)
		n += slots[i].pid != 0;
	for (int i = 0; i < POOL_MAX * 2; i++)
		n += retiring[i].pid != 0;
	return n;
}

static void
kill_overdue(void)
{
	int64_t now = util_now_us();

	for (int i = 0; i < POOL_MAX * 2; i++)
		if (retiring[i].pid != 0 && retiring[i].kill_at_us > 0 &&
		    now > retiring[i].kill_at_us) {
			log_warn("worker %d did not finish in time; killing it",
			    (int)retiring[i].pid);
			kill(retiring[i].pid, SIGKILL);
			retiring[i].kill_at_us = 0;
		}
}

/* ------------------------------------------------------------------ */
/* Reload                                                              */
/* ------------------------------------------------------------------ */

static bool
str_differs(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") != 0;
}

/* Changes `workers` to n: new slots fill at once, surplus workers retire. */
static bool rolling;	/* a reload is replacing workers */

static void
resize(int n, int timeout_s)
{
	if (n == nslots)
		return;
	log_info("reload: workers %d -> %d", nslots, n);
	for (int i = nslots; i < n; i++)
		empty_slot(&slots[i]);
	for (int i = n; i < nslots; i++) {
		if (slots[i].pid != 0)
			retire(&slots[i], timeout_s, false);
		empty_slot(&slots[i]);
	}
	nslots = n;
}

static void
reload(struct conf **confp, const struct pool_opts *o, const char *listening,
    const char *allowed)
{
	struct conf *nc;
	char err[512];
	int old = 0;

	if ((nc = conf_load((*confp)->path, err, sizeof(err))) == NULL) {
		log_error("reload refused, keeping the running config: %s", err);
		return;
	}
	conf_free(*confp);
	*confp = nc;
	if (log_open(nc->log_file, (enum log_level)nc->log_level) == -1)
		log_error("log file %s: %s", nc->log_file, strerror(errno));
	if (o->listen_from_conf && str_differs(nc->listen, listening))
		log_warn("reload: listen changed to \"%s\"; still listening on \"%s\" "
		    "until a restart", nc->listen ? nc->listen : "", listening);
	if (o->addrs_from_conf && str_differs(nc->fcgi_allowed_addrs, allowed))
		log_warn("reload: fcgi_allowed_addrs changed to \"%s\"; \"%s\" stays in "
		    "force until a restart", nc->fcgi_allowed_addrs, allowed);
	if (o->max_requests < 0)
		max_requests = nc->max_requests;
	if (o->workers < 0)
		resize(nc->workers, nc->shutdown_timeout);
	if (fresh.pid != 0)
		retire(&fresh, nc->shutdown_timeout, false);	/* has the old config */
	gen++;
	rolling = true;
	roll_at_us = 0;
	roll_failures = 0;
	for (int i = 0; i < nslots; i++)
		old += slots[i].pid != 0;
	log_info("reloading: replacing %d workers one at a time (max %ld requests each)",
	    old, max_requests);
}

/*
 * One step of a reload: start a replacement when none is pending and a
 * worker of an older generation serves; once it is ready (or READY_WAIT_US
 * passed), retire one old worker and give its slot to the new one.
 */
static void
roll(const struct conf *c, int listen_fd)
{
	int64_t now = util_now_us();
	char b;
	int i;

	if (fresh.pid == 0) {
		if (now < roll_at_us)
			return;
		for (i = 0; i < nslots; i++)
			if (slots[i].pid != 0 && slots[i].gen != gen)
				break;
		if (i == nslots && rolling) {
			/* Every worker has the new config (tests wait for this). */
			log_info("reload: done");
			rolling = false;
		}
		if (i < nslots && spawn(&fresh, c, listen_fd) == -1)
			roll_at_us = now + BACKOFF_MAX_US;
		return;
	}
	if (read(fresh.ready_fd, &b, 1) != 1 && now - fresh.started_us < READY_WAIT_US)
		return;
	close(fresh.ready_fd);
	fresh.ready_fd = -1;
	roll_failures = 0;
	for (i = 0; i < nslots; i++)
		if (slots[i].pid != 0 && slots[i].gen != gen)
			break;
	if (i == nslots)
		for (i = 0; i < nslots; i++)
			if (slots[i].pid == 0)
				break;
	if (i == nslots) {
		retire(&fresh, c->shutdown_timeout, false);	/* no longer needed */
		return;
	}
	if (slots[i].pid != 0) {
		log_info("reload: worker %d replaces %d", (int)fresh.pid, (int)slots[i].pid);
		retire(&slots[i], c->shutdown_timeout, false);
	}
	slots[i] = fresh;
	empty_slot(&fresh);
}

/* ------------------------------------------------------------------ */
/* Stop                                                                */
/* ------------------------------------------------------------------ */

/*
 * Removes the unix socket file made at start, unless something else took
 * its path since: from then on connect() fails at once, and what is
 * already queued is drained by the workers.
 */
static void
remove_socket_file(const struct pool_opts *o)
{
	struct stat st;

	if (o->unix_path == NULL)
		return;
	if (lstat(o->unix_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == o->unix_dev && st.st_ino == o->unix_ino &&
	    unlink(o->unix_path) == -1)
		log_warn("unlink %s: %s", o->unix_path, strerror(errno));
}

static void
stop(const struct conf *c, const struct pool_opts *o)
{
	log_info("stopping: workers finish and drain the queue (up to %ds)",
	    c->shutdown_timeout);
	remove_socket_file(o);
	for (int i = 0; i < nslots; i++)
		if (slots[i].pid != 0)
			retire(&slots[i], c->shutdown_timeout, true);
	if (fresh.pid != 0)
		retire(&fresh, c->shutdown_timeout, true);
	/* The socket now lives as long as the last draining worker. */
	close(o->listen_fd);
}

static void
write_pid_file(const char *path)
{
	FILE *f;

	if (path == NULL || *path == '\0')
		return;
	if ((f = fopen(path, "w")) == NULL) {
		log_error("pid file %s: %s", path, strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

/* A copy of s in *out (NULL stays NULL). 0, or -1 when out of memory. */
static int
dup_opt(const char *s, char **out)
{
	*out = NULL;
	return s != NULL && (*out = strdup(s)) == NULL ? -1 : 0;
}

int
pool_run(struct conf **confp, const struct pool_opts *opts)
{
	sigset_t mask;
	siginfo_t si;
	struct timespec tick;
	struct pool_opts own = *opts, *o = &own;
	char *listening = NULL, *allowed = NULL, *pid_file = NULL, *unix_path = NULL;
	int sig, rc = 1, workers = o->workers >= 0 ? o->workers : (*confp)->workers;
	bool stopping = false;

	if (workers < 1 || workers > POOL_MAX) {
		log_error("workers must be from 1 to %d", POOL_MAX);
		return 1;
	}
	/* The strings may live in the config, which a reload frees. */
	if (dup_opt(o->listen_spec, &listening) == -1 ||
	    dup_opt((*confp)->fcgi_allowed_addrs, &allowed) == -1 ||
	    dup_opt(o->pid_file, &pid_file) == -1 ||
	    dup_opt(o->unix_path, &unix_path) == -1) {
		log_error("out of memory");
		goto out;
	}
	o->listen_spec = listening;
	o->pid_file = pid_file;
	o->unix_path = unix_path;
	for (int i = 0; i < POOL_MAX; i++)
		empty_slot(&slots[i]);
	for (int i = 0; i < POOL_MAX * 2; i++)
		empty_slot(&retiring[i]);
	empty_slot(&fresh);
	nslots = workers;
	max_requests = o->max_requests >= 0 ? o->max_requests : (*confp)->max_requests;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	write_pid_file(o->pid_file);
	log_info("master %d: %d workers, max %ld requests each", (int)getpid(), workers,
	    max_requests);

	for (;;) {
		int64_t now = util_now_us();

		if (!stopping) {
			for (int i = 0; i < nslots; i++)
				if (slots[i].pid == 0 && now >= slots[i].respawn_at_us)
					spawn(&slots[i], *confp, o->listen_fd);
			roll(*confp, o->listen_fd);
		}
		kill_overdue();
		if (stopping && alive_children() == 0)
			break;

		/* Look at a pending replacement's ready pipe often. */
		tick.tv_sec = 0;
		tick.tv_nsec = (fresh.pid != 0 ? 10 : 100) * 1000 * 1000;
		sig = sigtimedwait(&mask, &si, &tick);
		if (sig == -1)
			continue;	/* time-out or EINTR: look at the slots again */
		switch (sig) {
		case SIGCHLD:
			reap(stopping);
			break;
		case SIGHUP:
			if (!stopping)	/* a reload must not bring workers back */
				reload(confp, o, listening, allowed);
			break;
		case SIGTERM:
		case SIGINT:
			if (!stopping) {
				stopping = true;
				stop(*confp, o);
			}
			break;
		}
	}
	if (o->pid_file != NULL && *o->pid_file)
		unlink(o->pid_file);
	log_info("master %d: stopped", (int)getpid());
	rc = 0;
out:
	free(listening);
	free(allowed);
	free(pid_file);
	free(unix_path);
	return rc;
}
