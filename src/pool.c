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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "conf.h"
#include "log.h"
#include "pool.h"
#include "util.h"

#define POOL_MAX 256
#define BACKOFF_MIN_US 100000		/* first delay after a young death */
#define BACKOFF_MAX_US 10000000
#define YOUNG_US 1000000		/* dying sooner than this counts as failing */

struct worker {
	pid_t pid;		/* 0: slot empty */
	int stop_fd;		/* write end of the worker's stop pipe; -1 */
	int64_t started_us;
	int64_t respawn_at_us;	/* when an empty slot may be filled again */
	int failures;		/* consecutive young deaths */
	int64_t kill_at_us;	/* retiring: SIGKILL after this; 0 = serving */
};

static struct worker slots[POOL_MAX];	/* serving workers */
static struct worker retiring[POOL_MAX * 2];	/* told to stop, still alive */
static int nslots;

static void
close_all_stop_fds(void)
{
	for (int i = 0; i < POOL_MAX; i++)
		if (slots[i].stop_fd != -1)
			close(slots[i].stop_fd);
	for (int i = 0; i < POOL_MAX * 2; i++)
		if (retiring[i].stop_fd != -1)
			close(retiring[i].stop_fd);
}

/* Forks a worker into slot w. Returns 0, or -1 when fork/pipe failed. */
static int
spawn(struct worker *w, const struct conf *c, int listen_fd, long max_requests)
{
	int pfd[2];
	pid_t pid;
	sigset_t none;

	if (pipe2(pfd, O_CLOEXEC) == -1) {
		log_error("pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		/* The worker keeps only the read end of its own pipe. */
		close(pfd[1]);
		close_all_stop_fds();
		sigemptyset(&none);
		signal(SIGCHLD, SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		app_process_init(c);
		_exit(app_worker(c, listen_fd, pfd[0], max_requests));
	}
	close(pfd[0]);
	w->pid = pid;
	w->stop_fd = pfd[1];
	w->started_us = util_now_us();
	w->kill_at_us = 0;
	return 0;
}

/* Moves w to the retiring list and asks it to stop after its request. */
static void
retire(struct worker *w, int timeout_s)
{
	int i;

	if (w->stop_fd != -1)
		close(w->stop_fd);	/* EOF: "stop" */
	w->stop_fd = -1;
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
			if (w->stop_fd != -1)
				close(w->stop_fd);
			w->stop_fd = -1;
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
			delay = 0;
			if (w->failures > 0) {
				delay = BACKOFF_MIN_US << (w->failures > 7 ? 7 : w->failures - 1);
				if (delay > BACKOFF_MAX_US)
					delay = BACKOFF_MAX_US;
				log_warn("worker keeps dying; next start in %.1fs",
				    (double)delay / 1e6);
			}
			w->respawn_at_us = now + delay;
		}
	}
}

static int
alive_children(void)
{
	int n = 0;

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

int
pool_run(struct conf **confp, int listen_fd, int workers, long max_requests,
    const char *pid_file)
{
	sigset_t mask;
	siginfo_t si;
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	struct conf *nc;
	char err[512];
	int sig;
	bool stopping = false;

	if (workers < 1 || workers > POOL_MAX) {
		log_error("workers must be from 1 to %d", POOL_MAX);
		return 1;
	}
	for (int i = 0; i < POOL_MAX; i++)
		slots[i].stop_fd = -1;
	for (int i = 0; i < POOL_MAX * 2; i++)
		retiring[i].stop_fd = -1;
	nslots = workers;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	write_pid_file(pid_file);
	log_info("master %d: %d workers, max %ld requests each", (int)getpid(), workers,
	    max_requests);

	for (;;) {
		int64_t now = util_now_us();

		if (!stopping)
			for (int i = 0; i < nslots; i++)
				if (slots[i].pid == 0 && now >= slots[i].respawn_at_us)
					spawn(&slots[i], *confp, listen_fd, max_requests);
		kill_overdue();
		if (stopping && alive_children() == 0)
			break;

		sig = sigtimedwait(&mask, &si, &tick);
		if (sig == -1)
			continue;	/* time-out or EINTR: look at the slots again */
		switch (sig) {
		case SIGCHLD:
			reap(stopping);
			break;
		case SIGHUP:
			if (stopping)
				break;	/* a reload must not bring workers back */
			if ((nc = conf_load((*confp)->path, err, sizeof(err))) == NULL) {
				log_error("reload refused, keeping the running config: %s", err);
				break;
			}
			conf_free(*confp);
			*confp = nc;
			if (log_open(nc->log_file, (enum log_level)nc->log_level) == -1)
				log_error("log file %s: %s", nc->log_file, strerror(errno));
			log_info("reloading: replacing %d workers one at a time", nslots);
			for (int i = 0; i < nslots; i++) {
				/*
				 * Fork the replacement while the old worker is still
				 * in its slot, so that the child closes the old one's
				 * stop pipe too: an inherited write end would keep
				 * the old worker from ever seeing "stop".
				 */
				struct worker fresh = slots[i];
				if (spawn(&fresh, nc, listen_fd, max_requests) == -1)
					continue;	/* keep the old one serving */
				if (slots[i].pid != 0)
					retire(&slots[i], nc->shutdown_timeout);
				slots[i] = fresh;
			}
			break;
		case SIGTERM:
		case SIGINT:
			if (stopping)
				break;
			stopping = true;
			log_info("stopping: letting workers finish (up to %ds)",
			    (*confp)->shutdown_timeout);
			for (int i = 0; i < nslots; i++)
				if (slots[i].pid != 0)
					retire(&slots[i], (*confp)->shutdown_timeout);
			break;
		}
	}
	if (pid_file != NULL && *pid_file)
		unlink(pid_file);
	log_info("master %d: stopped", (int)getpid());
	return 0;
}
