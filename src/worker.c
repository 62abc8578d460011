/*
 * worker.c -- metapic-export-worker: writes the export files the API
 * queues (SPEC.md, Exports; export.h), and sweeps old files away.
 *
 *   metapic-export-worker --config FILE [--once] [--sweep] [--pid-file FILE]
 *
 * One process works on one job at a time; run as many as the machine
 * allows, on any host that sees the database and export_dir. A job is
 * claimed with SELECT ... FOR UPDATE SKIP LOCKED, so no two workers take
 * the same one. While it writes, a thread of its own sends a heartbeat on
 * a connection of its own (so a long wait for the first row or the disk
 * keeps the claim); a running job without one for export_heartbeat_timeout
 * seconds (its worker died or froze) is claimed again, at most
 * MAX_ATTEMPTS times; a worker whose heartbeat finds the claim gone
 * stops and removes its file. The file is written under a temporary name
 * (.ID-ATTEMPT.part), renamed when complete, then the job is marked done,
 * only if it is still this worker's claim. A database failure gives the
 * job back as an attempt made (so one that fails every time ends).
 *
 * SIGTERM or SIGINT: the job in hand is given back to the queue (its
 * temporary file removed) and the worker exits. --once: exit when the
 * queue is empty. --sweep: sweep once and exit.
 *
 * The sweep (at start and every SWEEP_INTERVAL seconds): finished jobs
 * older than export_max_age and their files; temporary files of jobs no
 * worker is writing; files no job names; invoice zips older than
 * export_max_age; image uploads nothing used within a day.
 */
#include "config.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "export.h"
#include "export_file.h"
#include "log.h"

#define MAX_ATTEMPTS 3
#define SWEEP_INTERVAL 300
#define UPLOAD_MAX_AGE 86400

static volatile sig_atomic_t stopping;

struct worker {
	const struct conf *c;
	char name[232];		/* host:pid, the claim's owner (exports.worker) */
	/* The job in hand. */
	int64_t id;
	int64_t attempts;
	/* The heartbeat thread, while a job is in hand. */
	pthread_t beat;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool beating;		/* under mu: the thread is to go on */
	struct db_side *side;	/* its connection */
	atomic_bool lost;	/* another worker holds the job now */
};

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: metapic-export-worker --config FILE [--once] [--sweep]"
	    " [--pid-file FILE]\n");
	exit(2);
}

/* The job's claim, as the UPDATEs that need it to be ours bind it. */
#define CLAIM_WHERE " WHERE id = ? AND worker = ? AND attempts = ? AND status = 'running'"

static void
claim_params(const struct worker *w, struct db_param *p)
{
	p[0] = (struct db_param)DB_INT(w->id);
	p[1] = (struct db_param)DB_STR(w->name, strlen(w->name));
	p[2] = (struct db_param)DB_INT(w->attempts);
}

/*
 * The heartbeat thread: every export_heartbeat_timeout / 4 seconds (at
 * least 1) the claim's heartbeat_at, on a connection of its own, so that
 * a job keeps its worker while the main thread waits on the database (a
 * long sort before the first row) or on the disk. An UPDATE that matches
 * no row means another worker holds the job: lost.
 */
static void *
beat_main(void *arg)
{
	struct worker *w = arg;
	int every = w->c->export_heartbeat_timeout / 4;
	struct db_param p[3];
	struct timespec until;
	uint64_t n;
	enum db_rc rc;

	claim_params(w, p);
	pthread_mutex_lock(&w->mu);
	while (w->beating) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += every > 1 ? every : 1;
		while (w->beating && pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0)
			;
		if (!w->beating)
			break;
		pthread_mutex_unlock(&w->mu);
		n = 1;
		rc = db_side_exec(w->side, "UPDATE exports SET heartbeat_at = UTC_TIMESTAMP()"
		    CLAIM_WHERE, p, 3, &n);
		pthread_mutex_lock(&w->mu);
		if (rc == DB_OK && n == 0) {
			log_warn("export %lld: taken by another worker; stopping",
			    (long long)w->id);
			atomic_store(&w->lost, true);
			break;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Starts the heartbeat of the job in hand; false when it cannot run. */
static bool
beat_start(struct worker *w)
{
	sigset_t all, old;
	int e;

	atomic_store(&w->lost, false);
	if (w->side == NULL && db_side_open(&w->side) != DB_OK)
		return false;
	w->beating = true;
	/* Signals are the main thread's: its sleeps end on them. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&w->beat, NULL, beat_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		w->beating = false;
		return false;
	}
	return true;
}

static void
beat_stop(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->beating = false;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->beat, NULL);
}

/* Between batches: false to stop (a SIGTERM, or the job is lost). */
static bool
keep(void *ctx, int64_t rows)
{
	struct worker *w = ctx;

	(void)rows;
	return !stopping && !atomic_load(&w->lost);
}

/*
 * Claims the oldest queued job, else a running one whose worker went
 * silent. Returns 1 with *job filled (the caller frees job->filters), 0
 * when there is none, -1 on a database failure.
 */
static int
claim(struct worker *w, struct export_job *job)
{
	static const char cols[] = "SELECT id, user_id, kind, format, attempts,"
	    " filters AS `filters:json` FROM exports";
	struct db_param t[1] = { DB_INT(w->c->export_heartbeat_timeout) };
	struct json_object *rows = NULL, *row, *v;
	char sql[512];
	int64_t attempts;
	enum db_rc rc;
	int got = 0;

	memset(job, 0, sizeof(*job));
	if (db_begin() != DB_OK)
		return -1;
	snprintf(sql, sizeof(sql), "%s WHERE status = 'queued' ORDER BY created_at, id"
	    " LIMIT 1 FOR UPDATE SKIP LOCKED", cols);
	rc = db_select(sql, NULL, 0, &rows);
	if (rc == DB_OK && json_object_array_length(rows) == 0) {
		json_object_put(rows);
		snprintf(sql, sizeof(sql), "%s WHERE status = 'running' AND heartbeat_at <"
		    " UTC_TIMESTAMP() - INTERVAL ? SECOND ORDER BY heartbeat_at, id"
		    " LIMIT 1 FOR UPDATE SKIP LOCKED", cols);
		rc = db_select(sql, t, 1, &rows);
	}
	if (rc != DB_OK)
		goto fail;
	if (json_object_array_length(rows) == 0) {
		json_object_put(rows);
		db_rollback();
		return 0;
	}
	row = json_object_array_get_idx(rows, 0);
	job->id = json_object_get_int64(json_object_object_get(row, "id"));
	job->user_id = json_object_get_int64(json_object_object_get(row, "user_id"));
	snprintf(job->kind, sizeof(job->kind), "%s",
	    json_object_get_string(json_object_object_get(row, "kind")));
	snprintf(job->format, sizeof(job->format), "%s",
	    json_object_get_string(json_object_object_get(row, "format")));
	attempts = json_object_get_int64(json_object_object_get(row, "attempts"));
	if (json_object_object_get_ex(row, "filters", &v) && v != NULL)
		job->filters = json_object_get(v);
	json_object_put(rows);
	rows = NULL;

	struct db_param p[2] = { DB_INT(job->id), DB_STR(w->name, strlen(w->name)) };
	if (attempts >= MAX_ATTEMPTS) {
		log_warn("export %lld: its workers stopped %lld times; failed", (long long)job->id,
		    (long long)attempts);
		rc = db_exec("UPDATE exports SET status = 'failed', finished_at = UTC_TIMESTAMP(),"
		    " heartbeat_at = NULL, error = 'The export was interrupted too often; ask"
		    " for it again.' WHERE id = ?", p, 1, NULL, NULL);
	} else {
		rc = db_exec("UPDATE exports SET status = 'running', attempts = attempts + 1,"
		    " claimed_at = UTC_TIMESTAMP(), heartbeat_at = UTC_TIMESTAMP(), worker = ?,"
		    " error = NULL WHERE id = ?", (struct db_param[]){ p[1], p[0] }, 2, NULL,
		    NULL);
		got = 1;
	}
	if (rc != DB_OK || db_commit() != DB_OK) {
		db_rollback();
		json_object_put(job->filters);
		job->filters = NULL;
		return -1;
	}
	if (!got) {
		json_object_put(job->filters);
		job->filters = NULL;
		return claim(w, job);
	}
	w->id = job->id;
	w->attempts = attempts + 1;
	return 1;
fail:
	json_object_put(rows);
	db_rollback();
	return -1;
}

/*
 * Puts the job in hand back in the queue: as if never claimed after a
 * SIGTERM (counted false); after a failure of the database, as an attempt
 * made, so that a job that fails that way every time ends (failed) after
 * MAX_ATTEMPTS.
 */
static void
give_back(struct worker *w, bool counted)
{
	struct db_param p[3];
	enum db_rc rc;

	claim_params(w, p);
	if (counted && w->attempts >= MAX_ATTEMPTS)
		rc = db_exec("UPDATE exports SET status = 'failed', finished_at = UTC_TIMESTAMP(),"
		    " heartbeat_at = NULL, error = 'The database did not answer; ask for the"
		    " export again.'" CLAIM_WHERE, p, 3, NULL, NULL);
	else if (counted)
		rc = db_exec("UPDATE exports SET status = 'queued', worker = NULL,"
		    " claimed_at = NULL, heartbeat_at = NULL" CLAIM_WHERE, p, 3, NULL, NULL);
	else
		rc = db_exec("UPDATE exports SET status = 'queued', attempts = attempts - 1,"
		    " worker = NULL, claimed_at = NULL, heartbeat_at = NULL" CLAIM_WHERE, p, 3,
		    NULL, NULL);
	if (rc != DB_OK)
		log_warn("export %lld: could not give it back; another worker takes it after"
		    " the heartbeat time-out", (long long)w->id);
	else
		log_info("export %lld: given back to the queue", (long long)w->id);
}

/* Makes a rename in dir durable. */
static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1 || fsync(fd) == -1)
		log_warn("fsync %s: %s", dir, strerror(errno));
	if (fd != -1)
		close(fd);
}

/* Runs the claimed job; what became of it. */
static enum export_result
run_job(struct worker *w, struct export_job *job)
{
	const struct conf *c = w->c;
	char tmp[4096], final[4096], name[128], reason[1024] = "";
	int64_t rows = 0, bytes = 0;
	uint64_t n = 0;
	enum export_result res;
	enum db_rc rc;
	int fmt = export_format_parse(job->format);

	snprintf(name, sizeof(name), "%lld-%lld.%s", (long long)job->id,
	    (long long)w->attempts, fmt < 0 ? "bin" : export_format_ext((enum export_format)fmt));
	if (snprintf(tmp, sizeof(tmp), "%s/.%lld-%lld.part", c->export_dir, (long long)job->id,
	    (long long)w->attempts) >= (int)sizeof(tmp) ||
	    snprintf(final, sizeof(final), "%s/%s", c->export_dir, name) >= (int)sizeof(final)) {
		snprintf(reason, sizeof(reason), "The export directory's name is too long.");
		res = EXPORT_FAILED;
	} else {
		/* What an earlier holder of the same attempt left (it gave the job back). */
		if (unlink(tmp) == -1 && errno != ENOENT)
			log_warn("export %lld: cannot remove %s: %s", (long long)job->id, tmp,
			    strerror(errno));
		log_info("export %lld: %s as %s for user %lld, attempt %lld", (long long)job->id,
		    job->kind, job->format, (long long)job->user_id, (long long)w->attempts);
		if (!beat_start(w)) {
			log_error("export %lld: no heartbeat; giving it back", (long long)job->id);
			res = EXPORT_RETRY;
		} else {
			res = export_write(c, job, tmp, getenv("TMPDIR"), keep, w, &rows, &bytes,
			    reason, sizeof(reason));
			beat_stop(w);
		}
		/* Lost while finishing: the file is another worker's to make. */
		if (res == EXPORT_DONE && atomic_load(&w->lost)) {
			unlink(tmp);
			res = EXPORT_STOPPED;
		}
	}
	struct db_param p[6];
	switch (res) {
	case EXPORT_DONE:
		if (rename(tmp, final) == 0)
			sync_dir(c->export_dir);
		else {
			log_error("export %lld: rename %s: %s", (long long)job->id, tmp,
			    strerror(errno));
			unlink(tmp);
			snprintf(reason, sizeof(reason), "The file could not be stored.");
			goto failed;
		}
		p[0] = (struct db_param)DB_INT(rows);
		p[1] = (struct db_param)DB_INT(bytes);
		p[2] = (struct db_param)DB_STR(name, strlen(name));
		claim_params(w, p + 3);
		rc = db_exec("UPDATE exports SET status = 'done', row_count = ?, size_bytes = ?,"
		    " file_path = ?, finished_at = UTC_TIMESTAMP(), heartbeat_at = NULL"
		    CLAIM_WHERE, p, 6, &n, NULL);
		if (rc == DB_OK && n == 0) {
			/* Another worker holds the job: its file, not this one. */
			log_warn("export %lld: no longer this worker's; file dropped",
			    (long long)job->id);
			unlink(final);
			break;
		}
		if (rc != DB_OK) {
			/*
			 * Perhaps marked done, perhaps not: the file stays. If no
			 * job names it, the sweep removes it; if the job runs again,
			 * its next attempt writes another name.
			 */
			log_warn("export %lld: could not be marked done", (long long)job->id);
			break;
		}
		log_info("export %lld: done, %lld rows, %lld bytes", (long long)job->id,
		    (long long)rows, (long long)bytes);
		break;
	case EXPORT_FAILED:
failed:
		p[0] = (struct db_param)DB_STR(reason, strlen(reason));
		claim_params(w, p + 1);
		if (db_exec("UPDATE exports SET status = 'failed', error = ?,"
		    " finished_at = UTC_TIMESTAMP(), heartbeat_at = NULL" CLAIM_WHERE, p, 4, &n,
		    NULL) == DB_OK && n == 1)
			log_warn("export %lld: failed: %s", (long long)job->id, reason);
		break;
	case EXPORT_STOPPED:
		if (!atomic_load(&w->lost))
			give_back(w, false);
		break;
	case EXPORT_RETRY:
		log_warn("export %lld: the database is away; giving it back", (long long)job->id);
		give_back(w, true);
		break;
	}
	w->id = 0;
	return res;
}

/* ---------------------------------------------------------------- */
/* The sweep                                                         */
/* ---------------------------------------------------------------- */

static void
remove_file(const char *dir, const char *name)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return;
	if (unlink(path) == 0)
		log_info("sweep: removed %s", path);
	else if (errno != ENOENT)
		log_warn("sweep: cannot remove %s: %s", path, strerror(errno));
}

/* Finished jobs older than export_max_age, and their files. */
static void
sweep_jobs(const struct conf *c)
{
	struct db_param p[1] = { DB_INT(c->export_max_age) };
	struct json_object *rows = NULL, *row, *f;
	size_t n;

	do {
		if (db_select("SELECT id, file_path AS f FROM exports"
		    " WHERE status IN ('done', 'failed') AND finished_at <"
		    " UTC_TIMESTAMP() - INTERVAL ? SECOND ORDER BY finished_at LIMIT 500",
		    p, 1, &rows) != DB_OK)
			return;
		n = json_object_array_length(rows);
		for (size_t i = 0; i < n; i++) {
			row = json_object_array_get_idx(rows, i);
			struct db_param d[1] = { DB_INT(json_object_get_int64(
			    json_object_object_get(row, "id"))) };
			if (json_object_object_get_ex(row, "f", &f) && f != NULL &&
			    strchr(json_object_get_string(f), '/') == NULL)
				remove_file(c->export_dir, json_object_get_string(f));
			if (db_exec("DELETE FROM exports WHERE id = ?", d, 1, NULL, NULL) != DB_OK)
				n = 0;
		}
		json_object_put(rows);
		rows = NULL;
	} while (n == 500 && !stopping);
}

/*
 * Whether the file name (an export's, "ID-ATTEMPT.EXT", or a temporary
 * ".ID-ATTEMPT.part") is still wanted: a job names it, or a worker with a
 * live heartbeat is writing it. Unknown names are kept.
 */
static bool
file_wanted(const struct conf *c, const char *name)
{
	long long id, attempt;
	int used = 0;
	bool part = name[0] == '.';
	int64_t n = 0;
	bool found;

	if (sscanf(name + part, "%lld-%lld.%*[a-z]%n", &id, &attempt, &used) != 2 ||
	    used == 0 || name[part + used] != '\0')
		return true;
	if (part) {
		struct db_param p[3] = { DB_INT(id), DB_INT(attempt),
			DB_INT(c->export_heartbeat_timeout) };
		if (db_select_int("SELECT COUNT(*) FROM exports WHERE id = ? AND attempts = ?"
		    " AND status = 'running' AND heartbeat_at >= UTC_TIMESTAMP() - INTERVAL ?"
		    " SECOND", p, 3, &n, &found) != DB_OK)
			return true;
	} else {
		struct db_param p[2] = { DB_INT(id), DB_STR(name, strlen(name)) };
		if (db_select_int("SELECT COUNT(*) FROM exports WHERE id = ? AND file_path = ?",
		    p, 2, &n, &found) != DB_OK)
			return true;
	}
	return n > 0;
}

/*
 * Files in dir older than age seconds: with wanted NULL all of them,
 * else those it does not want.
 */
static void
sweep_dir(const struct conf *c, const char *dir, long age,
    bool (*wanted)(const struct conf *, const char *))
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	char path[4096];
	time_t now = time(NULL);

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL && !stopping) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
		    lstat(path, &st) == -1 || !S_ISREG(st.st_mode) || now - st.st_mtime < age)
			continue;
		if (wanted == NULL || !wanted(c, e->d_name))
			remove_file(dir, e->d_name);
	}
	closedir(d);
}

/* Image uploads nothing used within a day: the row, then the file. */
static void
sweep_uploads(const struct conf *c)
{
	struct db_param p[1] = { DB_INT(UPLOAD_MAX_AGE) };
	struct json_object *rows = NULL, *row, *f;
	uint64_t n;
	size_t len;

	if (c->media_dir == NULL)
		return;
	do {
		if (db_select("SELECT id, path AS f FROM image_uploads WHERE used_at IS NULL"
		    " AND created_at < UTC_TIMESTAMP() - INTERVAL ? SECOND ORDER BY created_at"
		    " LIMIT 500", p, 1, &rows) != DB_OK)
			return;
		len = json_object_array_length(rows);
		for (size_t i = 0; i < len; i++) {
			row = json_object_array_get_idx(rows, i);
			struct db_param d[1] = { DB_INT(json_object_get_int64(
			    json_object_object_get(row, "id"))) };
			n = 0;
			/* A campaign taking it now holds the row: then it is used. */
			if (db_exec("DELETE FROM image_uploads WHERE id = ? AND used_at IS NULL", d,
			    1, &n, NULL) != DB_OK)
				len = 0;
			if (n == 1 && json_object_object_get_ex(row, "f", &f) && f != NULL &&
			    strncmp(json_object_get_string(f), "tmp/", 4) == 0 &&
			    strstr(json_object_get_string(f), "..") == NULL)
				remove_file(c->media_dir, json_object_get_string(f));
		}
		json_object_put(rows);
		rows = NULL;
	} while (len == 500 && !stopping);
}

/* A file under media_dir/tmp is wanted while an upload row names it. */
static bool
upload_wanted(const struct conf *c, const char *name)
{
	char path[300];
	int64_t n = 1;
	bool found;

	(void)c;
	if (snprintf(path, sizeof(path), "tmp/%s", name) >= (int)sizeof(path))
		return true;
	struct db_param p[1] = { DB_STR(path, strlen(path)) };
	if (db_select_int("SELECT COUNT(*) FROM image_uploads WHERE path = ?", p, 1, &n,
	    &found) != DB_OK)
		return true;
	return n > 0;
}

static void
sweep(const struct conf *c)
{
	char inv[4096], tmp[4096];

	sweep_jobs(c);
	/* A file younger than a heartbeat time-out may be a rename not yet recorded. */
	sweep_dir(c, c->export_dir, c->export_heartbeat_timeout, file_wanted);
	if (snprintf(inv, sizeof(inv), "%s/invoices", c->export_dir) < (int)sizeof(inv))
		sweep_dir(c, inv, c->export_max_age, NULL);
	sweep_uploads(c);
	/* What an upload left without its row (it failed before the INSERT). */
	if (c->media_dir != NULL &&
	    snprintf(tmp, sizeof(tmp), "%s/tmp", c->media_dir) < (int)sizeof(tmp))
		sweep_dir(c, tmp, UPLOAD_MAX_AGE, upload_wanted);
}

/* ---------------------------------------------------------------- */

static void
write_pid(const char *path)
{
	FILE *f;

	if (path == NULL)
		return;
	if ((f = fopen(path, "w")) == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 ||
	    fclose(f) != 0)
		err(1, "%s", path);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "sweep", no_argument, NULL, 's' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *pidfile = NULL;
	bool once = false, sweep_only = false;
	struct sigaction sa;
	struct worker w;
	struct export_job job;
	struct conf *c;
	char errbuf[512], host[256];
	time_t last_sweep;
	int ch, got, status = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 'o': once = true; break;
		case 's': sweep_only = true; break;
		case 'p': pidfile = optarg; break;
		default: usage();
		}
	}
	if (config == NULL || optind != argc)
		usage();
	if ((c = conf_load(config, errbuf, sizeof(errbuf))) == NULL)
		errx(1, "%s", errbuf);
	if (c->export_dir == NULL)
		errx(1, "%s: export_dir is not set", config);
	if (log_open(c->log_file, (enum log_level)c->log_level) == -1)
		warn("cannot open log file %s", c->log_file);
	db_init(c);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: a sleep ends at once */
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&w, 0, sizeof(w));
	w.c = c;
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(w.name, sizeof(w.name), "%.200s:%ld", host, (long)getpid());

	if (sweep_only) {
		sweep(c);
		db_close();
		conf_free(c);
		return 0;
	}
	write_pid(pidfile);
	log_info("export worker %s started", w.name);
	sweep(c);
	last_sweep = time(NULL);
	while (!stopping) {
		struct timespec ts = { c->export_poll_interval / 1000,
			(long)(c->export_poll_interval % 1000) * 1000000L };
		enum export_result res = EXPORT_DONE;

		if ((got = claim(&w, &job)) == 1) {
			res = run_job(&w, &job);
			json_object_put(job.filters);
		} else if (once) {
			status = got == 0 ? 0 : 1;	/* empty, or no database to ask */
			break;
		}
		if (time(NULL) - last_sweep >= SWEEP_INTERVAL) {
			sweep(c);
			last_sweep = time(NULL);
		}
		if (got == 1 && res != EXPORT_RETRY)
			continue;
		/* A database that is away: wait a little longer before asking again. */
		if (got == -1 || res == EXPORT_RETRY)
			ts.tv_sec += got == -1 ? 1 : 5;
		nanosleep(&ts, NULL);
	}
	log_info("export worker %s stopped", w.name);
	db_side_close(w.side);
	db_close();
	if (pidfile != NULL)
		unlink(pidfile);
	conf_free(c);
	return status;
}
