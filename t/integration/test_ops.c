/*
 * test_ops.c -- the pool under faults and in its three deployment modes.
 * Each test leaves the stack as it found it: pool and database running.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <curl/curl.h>

#include "client.h"

static double since(const struct timespec *t0);

/* The pids of the pool's workers, sorted, as text; *n gets their number. */
static char *
worker_pids(int *n)
{
	char line[1024], *out = calloc(1, 4096);
	FILE *p;

	snprintf(line, sizeof(line), "pgrep -P \"$(cat '%s/pool.pid')\" | sort -n | tr '\\n' ' '",
	    getenv("METAPIC_DIR"));
	cr_assert_not_null(p = popen(line, "r"));
	if (fgets(out, 4096, p) == NULL)
		out[0] = '\0';
	pclose(p);
	*n = 0;
	for (char *c = out; *c; c++)
		if (*c == ' ')
			(*n)++;
	return out;
}

/* Polls GET path until it answers want, up to tenths/10 seconds. */
static bool
await_status(const char *path, const char *auth, long want, int tenths)
{
	for (int i = 0; i < tenths; i++) {
		struct resp r = req("GET", path, auth, NULL);
		long st = r.status;
		resp_free(&r);
		if (st == want)
			return true;
		usleep(100000);
	}
	return false;
}

/*
 * A step of a test's cleanup (.fini). Criterion 2.4 ignores what a .fini
 * does -- a failed assertion, even abort() -- so a step that fails is also
 * written to METAPIC_DIR/cleanup-failures, which run.sh reports and fails
 * on.
 */
static void
cleanup_failed(const char *what, int rc)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cleanup-failures", getenv("METAPIC_DIR"));
	if ((f = fopen(path, "a")) != NULL) {
		fprintf(f, "%s::%s: %s (%d)\n", criterion_current_test->category,
		    criterion_current_test->name, what, rc);
		fclose(f);
	}
	cr_expect_fail("cleanup: %s (%d)", what, rc);
}

static void
cleanup_step(const char *cmd)
{
	int rc = harness(cmd, NULL);

	if (rc != 0)
		cleanup_failed(cmd, rc);
}

/* Leaves the database and the pool running, and the API answering. */
static void
ensure_running(void)
{
	char line[1024];
	int i;

	cleanup_step("db-resume");
	cleanup_step("db-start");
	cleanup_step("pool-start");
	/* Through curl(1): req() asserts, and an assertion ends a .fini unseen. */
	snprintf(line, sizeof(line), "curl -sf -o /dev/null --max-time 5 '%s/healthz'",
	    base_http());
	for (i = 0; i < 100 && system(line) != 0; i++)
		usleep(100000);
	if (i == 100)
		cleanup_failed("/healthz does not answer 200 after the test", 0);
}

/* ------------------------------------------------------------------ */
/* Load: threads that send requests until told to stop.                */
/* ------------------------------------------------------------------ */

struct load {
	volatile int stop;
	int ok, failed;
	long last_bad;
	pthread_mutex_t mu;
	const char *auth;
};

static void *
load_thread(void *arg)
{
	struct load *l = arg;
	char url[512];
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char hdr[1200];
	FILE *devnull = fopen("/dev/null", "w");

	snprintf(url, sizeof(url), "%s/v2/users?size=5", base_http());
	snprintf(hdr, sizeof(hdr), "Authorization: %s", l->auth);
	h = curl_slist_append(h, hdr);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, devnull);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	while (!l->stop) {
		long st = 0;
		CURLcode rc = curl_easy_perform(c);
		if (rc == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
		pthread_mutex_lock(&l->mu);
		if (st == 200)
			l->ok++;
		else {
			l->failed++;
			l->last_bad = rc == CURLE_OK ? st : -(long)rc;
		}
		pthread_mutex_unlock(&l->mu);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	fclose(devnull);
	return NULL;
}

#define LOAD_THREADS 4

static void
load_start(struct load *l, pthread_t *t)
{
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->mu, NULL);
	l->auth = tok(1);
	for (int i = 0; i < LOAD_THREADS; i++)
		pthread_create(&t[i], NULL, load_thread, l);
}

static void
load_stop(struct load *l, pthread_t *t)
{
	l->stop = 1;
	for (int i = 0; i < LOAD_THREADS; i++)
		pthread_join(t[i], NULL);
}

/* ------------------------------------------------------------------ */

Test(pool, replaces_a_killed_worker, .fini = ensure_running)
{
	int n0, n1;
	char *before = worker_pids(&n0), *after = NULL;

	cr_assert_geq(n0, 1, "workers: %s", before);
	pid_t victim = (pid_t)atoi(before);
	cr_assert_eq(kill(victim, SIGKILL), 0);
	/* The master notices and starts another. */
	for (int i = 0; i < 50; i++) {
		usleep(100000);
		free(after);
		after = worker_pids(&n1);
		if (n1 == n0 && strcmp(after, before) != 0)
			break;
	}
	cr_expect_eq(n1, n0, "as many workers as before: %s -> %s", before, after);
	char mine[32];
	snprintf(mine, sizeof(mine), "%d ", (int)victim);
	cr_expect(strstr(after, mine) == NULL, "the killed worker is gone: %s", after);
	for (int i = 0; i < 20; i++) {
		struct resp r = req("GET", "/v2/store-categories", tok(1), NULL);
		cr_expect_eq(r.status, 200);
		resp_free(&r);
	}
	free(before);
	free(after);
}

Test(pool, reload_under_load_drops_nothing, .fini = ensure_running)
{
	struct load l;
	pthread_t t[LOAD_THREADS];
	int n0, n1;
	char *before = worker_pids(&n0), *after;

	load_start(&l, t);
	usleep(700000);
	cr_assert_eq(harness("pool-reload", NULL), 0);
	usleep(1500000);
	cr_assert_eq(harness("pool-reload", NULL), 0);
	usleep(1500000);
	load_stop(&l, t);
	cr_expect_eq(l.failed, 0, "%d of %d requests failed (last: %ld)", l.failed,
	    l.ok + l.failed, l.last_bad);
	cr_expect_gt(l.ok, 50, "the load ran: %d requests", l.ok);
	after = worker_pids(&n1);
	cr_expect_eq(n1, n0, "%s -> %s", before, after);
	/* Every worker was replaced. */
	char *tokp, *save = NULL, copy[4096];
	snprintf(copy, sizeof(copy), "%s", before);
	for (tokp = strtok_r(copy, " ", &save); tokp; tokp = strtok_r(NULL, " ", &save)) {
		char mine[32];
		snprintf(mine, sizeof(mine), "%s ", tokp);
		cr_expect(strstr(after, mine) == NULL, "worker %s was not replaced", tokp);
	}
	free(before);
	free(after);
}

Test(pool, graceful_stop_finishes_the_request_in_flight, .fini = ensure_running)
{
	struct load l;
	pthread_t t[LOAD_THREADS];

	/* Requests hang in the database while the pool is told to stop. */
	cr_assert_eq(harness("db-pause", NULL), 0);
	load_start(&l, t);
	usleep(300000);
	cr_assert_eq(harness("pool-stop-async", NULL), 0);
	usleep(700000);
	cr_assert_eq(harness("db-resume", NULL), 0);
	usleep(1500000);
	l.stop = 1;
	load_stop(&l, t);
	/* The 4 requests in flight when SIGTERM came were answered 200;
	 * those sent after the pool closed get nginx's 502. */
	cr_expect_geq(l.ok, LOAD_THREADS, "in-flight requests finished: %d ok, %d failed",
	    l.ok, l.failed);
	cr_assert_eq(harness("pool-wait-stopped", NULL), 0, "the pool exited");
	cr_assert_eq(harness("pool-start", NULL), 0);
	cr_expect(await_status("/healthz", NULL, 200, 50));
}

Test(pool, recycles_workers_after_max_requests, .fini = ensure_running)
{
	int n0, n1;
	char *before, *after;

	cr_assert_eq(harness("pool-stop", NULL), 0);
	cr_assert_eq(harness("pool-start", "max-requests=3"), 0);
	before = worker_pids(&n0);
	for (int i = 0; i < 40; i++) {
		struct resp r = req("GET", "/v2/store-categories", tok(1), NULL);
		cr_expect_eq(r.status, 200, "request %d: %ld", i, r.status);
		resp_free(&r);
	}
	usleep(300000);
	after = worker_pids(&n1);
	cr_expect_eq(n1, n0);
	cr_expect_str_neq(after, before, "workers were recycled");
	free(before);
	free(after);
	cr_assert_eq(harness("pool-stop", NULL), 0);
	cr_assert_eq(harness("pool-start", NULL), 0);
}

/* ------------------------------------------------------------------ */

Test(database, down_then_back, .fini = ensure_running)
{
	int n0, n1;
	char *before = worker_pids(&n0), *after;

	cr_assert_eq(harness("db-stop", NULL), 0);
	struct resp r = req("GET", "/v2/users", tok(1), NULL);
	expect_error(r, 503);
	cr_expect_not_null(resp_header(&r, "Retry-After"));
	resp_free(&r);
	r = req("GET", "/healthz", NULL, NULL);
	expect_error(r, 503);
	resp_free(&r);
	r = req("POST", "/v2/advertisers/1/blocklist", tok(2), "{\"user_ids\":[9]}");
	expect_error(r, 503);
	resp_free(&r);

	cr_assert_eq(harness("db-start", NULL), 0);
	cr_expect(await_status("/v2/users", tok(1), 200, 50), "served again");
	after = worker_pids(&n1);
	cr_expect_str_eq(after, before, "no worker died or was replaced");
	free(before);
	free(after);
}

Test(database, hung_database_gives_503, .fini = ensure_running)
{
	struct timespec t0, t1;

	cr_assert_eq(harness("db-pause", NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct resp r = req("GET", "/v2/users", tok(1), NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	expect_error(r, 503);
	/*
	 * Not a speed claim: the configured time-outs bound the wait (a read
	 * of db_read_timeout 3 s, a reconnect of db_connect_timeout 2 s, and
	 * one retry), where a hung worker would wait for curl's 30 s.
	 */
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_expect_lt(secs, 2 + 2 * 3 + 5, "answered after %.1f s", secs);
	resp_free(&r);
	cr_assert_eq(harness("db-resume", NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_expect(await_status("/v2/users", tok(1), 200, 50), "served again");
	fprintf(stderr, "heal: hung database (SIGSTOP): 503 after %.2f s; 200 again %.3f s after "
	    "SIGCONT\n", secs, since(&t0));
}

/*
 * A statement that runs past the read time-out (3 s here) is ended by
 * the server at 2.5 s (max_statement_time), not left running after the
 * worker gives up on it: a 503, nothing written, no statement of the
 * pool still running, and the same worker's next request served.
 */
static void
drop_slow_trigger(void)
{
	free(sql("DROP TRIGGER IF EXISTS it_ops_slow"));
	free(sql("DELETE FROM blocklist_entries WHERE store_id = 1 AND user_id = 12"));
	ensure_running();
}

Test(database, a_statement_past_its_time_is_ended, .fini = drop_slow_trigger)
{
	long long before = sql_number("SELECT COUNT(*) FROM blocklist_entries");

	free(sql("CREATE TRIGGER it_ops_slow BEFORE INSERT ON blocklist_entries FOR EACH ROW"
	    " SET @it_ops_slept = SLEEP(10)"));
	struct resp r = req("POST", "/v2/advertisers/1/blocklist", tok(2), "{\"user_ids\":[12]}");
	expect_error(r, 503);
	resp_free(&r);
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM blocklist_entries"), before,
	    "nothing written");
	cr_expect_eq(sql_number("SELECT COUNT(*) FROM information_schema.processlist"
	    " WHERE user = 'metapic' AND command = 'Query' AND info LIKE '%blocklist_entries%'"), 0,
	    "no statement left running");
	free(sql("DROP TRIGGER it_ops_slow"));
	r = req("POST", "/v2/advertisers/1/blocklist", tok(2), "{\"user_ids\":[12]}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */

static void
stop_modes(void)
{
	cleanup_step("spawnfcgi-stop");
	cleanup_step("apache-stop");
}

/* The same request through the main pool and through url_base. */
static void
same_answers(const char *url_base)
{
	static const char *const paths[] = { "/v2/users?size=3&sort_by=email:desc",
		"/v2/advertisers/1/blocklist", "/v2/store-categories" };
	char url[512];

	for (size_t i = 0; i < 3; i++) {
		struct resp a = req("GET", paths[i], tok(2 - (i == 0)), NULL);
		snprintf(url, sizeof(url), "%s%s", url_base, paths[i]);
		struct resp b = req("GET", url, tok(2 - (i == 0)), NULL);
		cr_expect_eq(b.status, 200, "%s: %ld %s", url, b.status, b.body);
		cr_expect_str_eq(jtext(jpath(b.json, i == 2 ? "0" : "data")),
		    jtext(jpath(a.json, i == 2 ? "0" : "data")), "%s", url);
		resp_free(&a);
		resp_free(&b);
	}
	snprintf(url, sizeof(url), "%s/v2/users", url_base);
	struct resp r = req("GET", url, NULL, NULL);
	expect_error(r, 401);
	resp_free(&r);
	snprintf(url, sizeof(url), "%s/v2/advertisers/1/blocklist", url_base);
	r = req("POST", url, tok(2), "{\"user_ids\":[999999]}");
	cr_expect_eq(r.status, 422, "bodies arrive: %s", r.body);
	resp_free(&r);
}

Test(modes, spawn_fcgi, .fini = stop_modes)
{
	char port[16], base[64];
	int p = atoi(getenv("METAPIC_SPARE_PORT"));

	snprintf(port, sizeof(port), "%d", p);
	cr_assert_eq(harness("spawnfcgi-start", port), 0);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", p);
	same_answers(base);
}

Test(modes, apache_mod_fcgid, .fini = stop_modes)
{
	char port[16], base[64];
	int p = atoi(getenv("METAPIC_SPARE_PORT")) + 2;

	snprintf(port, sizeof(port), "%d", p);
	cr_assert_eq(harness("apache-start", port), 0);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", p);
	same_answers(base);
}

Test(modes, plain_cgi)
{
	char line[2048];
	FILE *p;
	char out[8192] = "";
	size_t n;

	/* One request from the environment, the answer on stdout. */
	snprintf(line, sizeof(line),
	    "REQUEST_METHOD=GET REQUEST_URI=/v2/store-categories "
	    "HTTP_AUTHORIZATION='%s' '%s/metapic-api' --config '%s/metapic.conf' </dev/null",
	    tok(3), getenv("METAPIC_BUILD"), getenv("METAPIC_DIR"));
	cr_assert_not_null(p = popen(line, "r"));
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	cr_expect_eq(pclose(p), 0);
	cr_expect(strncmp(out, "Status: 200 OK\r\n", 16) == 0, "%s", out);
	cr_expect(strstr(out, "\r\n\r\n[{\"id\":") != NULL, "%s", out);
}

static void __attribute__((constructor))
init_curl(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
}

/* ------------------------------------------------------------------ */
/* Faults under load                                                   */
/* ------------------------------------------------------------------ */

Test(faults, worker_killed_under_load, .fini = ensure_running)
{
	struct load l;
	pthread_t t[LOAD_THREADS];
	struct timespec t0, t1;
	int n0, n1 = 0;
	char *before = worker_pids(&n0), *after = NULL;

	load_start(&l, t);
	usleep(500000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(kill((pid_t)atoi(before), SIGKILL), 0);
	for (int i = 0; i < 200; i++) {
		free(after);
		after = worker_pids(&n1);
		if (n1 == n0 && strcmp(after, before) != 0)
			break;
		usleep(10000);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	usleep(500000);
	load_stop(&l, t);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "heal: worker SIGKILLed under load: replaced in %.3f s; %d ok, %d failed\n",
	    secs, l.ok, l.failed);
	cr_expect_eq(n1, n0, "replaced: %s -> %s", before, after);
	/* The bound for a replacement, not a speed claim. */
	cr_expect_lt(secs, 1.0, "replaced after %.2f s", secs);
	cr_expect_leq(l.failed, 1, "only the request in flight may fail: %d failed (last %ld)",
	    l.failed, l.last_bad);
	cr_expect_gt(l.ok, 20);
	free(before);
	free(after);
}

struct writes {
	volatile int stop;
	int next;		/* next user id to block */
	int last;
	char *status;		/* per user id - first: 'y' answered 2xx, 'n' other */
	int first;
	pthread_mutex_t mu;
};

static void *
write_thread(void *arg)
{
	struct writes *w = arg;
	char body[64];

	while (!w->stop) {
		pthread_mutex_lock(&w->mu);
		int uid = w->next <= w->last ? w->next++ : 0;
		pthread_mutex_unlock(&w->mu);
		if (uid == 0)
			break;
		snprintf(body, sizeof(body), "{\"user_ids\":[%d]}", uid);
		struct resp r = req("POST", "/v2/advertisers/1/blocklist", tok(2), body);
		w->status[uid - w->first] = r.status >= 200 && r.status < 300 ? 'y' : 'n';
		resp_free(&r);
		if (r.status == 503)
			usleep(20000);
	}
	return NULL;
}

Test(faults, database_restart_under_writes_loses_nothing, .fini = ensure_running)
{
	enum { FIRST = 700001, COUNT = 20000 };
	struct writes w = { 0, FIRST, FIRST + COUNT - 1, NULL, FIRST, PTHREAD_MUTEX_INITIALIZER };
	pthread_t t[LOAD_THREADS];
	char stmt[512];

	snprintf(stmt, sizeof(stmt), "INSERT INTO users (id, username, email) SELECT %d + seq, "
	    "CONCAT('w.', seq), CONCAT('w.', seq, '@x.test') FROM seq_0_to_%d", FIRST, COUNT - 1);
	free(sql(stmt));
	w.status = calloc(COUNT, 1);
	for (int i = 0; i < LOAD_THREADS; i++)
		pthread_create(&t[i], NULL, write_thread, &w);
	usleep(700000);
	cr_assert_eq(harness("db-stop", NULL), 0);
	usleep(500000);
	cr_assert_eq(harness("db-start", NULL), 0);
	usleep(1500000);
	w.stop = 1;
	for (int i = 0; i < LOAD_THREADS; i++)
		pthread_join(t[i], NULL);

	/* Every 2xx is a row, and every row was answered 2xx. */
	char *rows = sql("SELECT user_id FROM blocklist_entries WHERE store_id = 1 "
	    "AND user_id >= 700001 ORDER BY user_id");
	char *present = calloc(COUNT, 1);
	int nrows = 0, answered = 0, other = 0, lost = 0, unanswered = 0;
	for (char *p = strtok(rows, "\n"); p; p = strtok(NULL, "\n")) {
		int uid = atoi(p);
		if (uid >= FIRST && uid < FIRST + COUNT)
			present[uid - FIRST] = 1;
		nrows++;
	}
	for (int i = 0; i < COUNT; i++) {
		answered += w.status[i] == 'y';
		other += w.status[i] == 'n';
		lost += w.status[i] == 'y' && !present[i];
		unanswered += w.status[i] != 'y' && present[i];
	}
	cr_expect_gt(answered, 50, "writes were answered: %d", answered);
	cr_expect_gt(other, 0, "the restart refused some writes");
	cr_expect_eq(lost, 0, "%d writes answered 2xx are missing", lost);
	cr_expect_eq(unanswered, 0, "%d rows were written for a refused request", unanswered);
	cr_expect_eq(nrows, answered, "no duplicates: %d rows, %d answered", nrows, answered);
	free(rows);
	free(present);
	free(w.status);
	free(sql("DELETE FROM blocklist_entries WHERE user_id >= 700001"));
	free(sql("DELETE FROM users WHERE id >= 700001"));
}

Test(faults, log_on_a_full_disk, .fini = ensure_running)
{
	cr_assert_eq(harness("sed-config", "'s|^log_file = .*|log_file = /dev/full|'"), 0);
	cr_assert_eq(harness("pool-reload", NULL), 0);
	usleep(800000);
	for (int i = 0; i < 20; i++) {
		struct resp r = req("GET", "/v2/store-categories", tok(1), NULL);
		cr_expect_eq(r.status, 200, "served while the log cannot be written");
		resp_free(&r);
	}
	char line[600];
	snprintf(line, sizeof(line), "'s|^log_file = .*|log_file = %s/metapic.log|'",
	    getenv("METAPIC_DIR"));
	cr_assert_eq(harness("sed-config", line), 0);
	cr_assert_eq(harness("pool-reload", NULL), 0);
	usleep(500000);
}

/* Seconds since t0. */
static double
since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

Test(faults, database_restart_under_read_load, .fini = ensure_running)
{
	struct load l;
	pthread_t t[LOAD_THREADS];
	struct timespec back;
	int n0, n1;
	char *before = worker_pids(&n0), *after;

	load_start(&l, t);
	usleep(500000);
	cr_assert_eq(harness("db-stop", NULL), 0);
	usleep(700000);
	/* While it is down: only the documented 503. */
	for (int i = 0; i < 5; i++) {
		struct resp r = req("GET", "/v2/users?size=5", tok(1), NULL);
		expect_error(r, 503);
		resp_free(&r);
	}
	cr_assert_eq(harness("db-start", NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &back);	/* the server answers pings now */
	double healed = -1;
	for (int i = 0; i < 100 && healed < 0; i++) {
		struct resp r = req("GET", "/v2/users?size=5", tok(1), NULL);
		if (r.status == 200)
			healed = since(&back);
		resp_free(&r);
		if (healed < 0)
			usleep(20000);
	}
	usleep(500000);
	load_stop(&l, t);
	fprintf(stderr, "heal: database restart under read load: 200 again %.3f s after "
	    "the database returned; %d ok, %d refused during the run\n", healed, l.ok, l.failed);
	cr_expect_geq(healed, 0, "served again");
	cr_expect_lt(healed, 1.0, "200 again within 1 s of the database's return (%.3f s)", healed);
	cr_expect_eq(l.last_bad == 0 || l.last_bad == 503, 1, "refusals were 503: last %ld",
	    l.last_bad);
	after = worker_pids(&n1);
	cr_expect_str_eq(after, before, "no worker lost");
	free(before);
	free(after);
}
