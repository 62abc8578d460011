/*
 * db.c -- MariaDB connection, prepared statements, rows as JSON.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "conf.h"
#include "db.h"
#include "log.h"
#include "util.h"

static const struct conf *db_conf;
static MYSQL *db_conn;

/*
 * The transaction of this request. A connection lost inside it leaves
 * db_tx set and db_broken true: every later statement fails and so does
 * COMMIT, until db_rollback() ends it. Nothing reconnects in its place,
 * so no statement of a broken transaction ever runs in autocommit.
 */
static bool db_tx;
static bool db_broken;
/* The server ended the last statement at max_statement_time (classify). */
static bool db_timed_out;
static bool db_tx_retry;	/* a deadlock or lock wait ended it: run again */
static char db_dup[65];		/* the key a duplicate-entry error named */

/*
 * Prepared statements are kept per connection, keyed by their text, so
 * that a query costs one round trip (execute) instead of three (prepare,
 * execute, close). Texts come from the program (literals and the query
 * builder's combinations), so the set is small; the least recently used
 * statement is closed when the cache is full. Closing the connection
 * closes them all.
 */
#define STMT_CACHE 64

struct stmt_entry {
	char *sql;
	uint64_t hash;
	MYSQL_STMT *st;
	uint64_t used;
};

static struct stmt_entry stmt_cache[STMT_CACHE];
static uint64_t stmt_clock;

static uint64_t
hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void
stmt_cache_clear(void)
{
	for (int i = 0; i < STMT_CACHE; i++) {
		if (stmt_cache[i].st != NULL)
			mysql_stmt_close(stmt_cache[i].st);
		free(stmt_cache[i].sql);
		memset(&stmt_cache[i], 0, sizeof(stmt_cache[i]));
	}
}

/* Drops the cached statement st (it failed); closes it. */
static void
stmt_cache_drop(MYSQL_STMT *st)
{
	for (int i = 0; i < STMT_CACHE; i++)
		if (stmt_cache[i].st == st) {
			mysql_stmt_close(st);
			free(stmt_cache[i].sql);
			memset(&stmt_cache[i], 0, sizeof(stmt_cache[i]));
			return;
		}
	mysql_stmt_close(st);
}

void
db_init(const struct conf *c)
{
	db_conf = c;
}

/* Drops the connection and its statements; the transaction state stays. */
static void
conn_drop(void)
{
	stmt_cache_clear();
	if (db_conn != NULL)
		mysql_close(db_conn);
	db_conn = NULL;
}

void
db_close(void)
{
	conn_drop();
	db_tx = false;
	db_broken = false;
	db_tx_retry = false;
}

bool
db_in_transaction(void)
{
	return db_tx;
}

enum api_err
db_api_err(enum db_rc rc)
{
	switch (rc) {
	case DB_OK:
		return API_OK;
	case DB_DOWN:
	case DB_INDOUBT:
	case DB_RETRY:
		return API_UNAVAILABLE;
	default:
		return API_SERVER;
	}
}

bool
db_retryable(void)
{
	return db_tx_retry;
}

const char *
db_duplicate_key(void)
{
	return db_dup;
}

/* Errors after which the connection is unusable. */
static bool
conn_lost(unsigned int e)
{
	switch (e) {
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case CR_COMMANDS_OUT_OF_SYNC:
		return true;
	default:
		return false;
	}
}

/*
 * Opens a connection as the configuration says, with read_timeout seconds
 * for any one read; *out on DB_OK. limited: the server ends any statement
 * that runs past the read time-out less half a second (max_statement_time:
 * after the lock waits' end, which stay lock conflicts), so
 * that a statement this side has given up on does not go on using the
 * server (a search left by its client ran on for minutes in the
 * benchmark); a long export read is not limited.
 */
static enum db_rc
conn_open(unsigned int read_timeout, bool limited, unsigned long flags, MYSQL **out)
{
	unsigned int t;
	MYSQL *m;
	long lock_wait;
	char init[320];

	if (db_conf == NULL || (m = mysql_init(NULL)) == NULL)
		return DB_ERROR;
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	t = (unsigned int)db_conf->db_connect_timeout;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &t);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
	t = (unsigned int)db_conf->db_write_timeout;
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &t);
	/*
	 * A lock wait (a row's, or a table's metadata lock behind an ALTER or
	 * a backup) must end before the read time-out does, or it would look
	 * like a lost connection (and be retried as one); db_read_timeout is
	 * at least 2. group_concat_max_len: the caller's store list is one.
	 */
	lock_wait = db_conf->db_read_timeout > 1 ? db_conf->db_read_timeout - 1 : 1;
	snprintf(init, sizeof(init),
	    "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
	    "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', "
	    "innodb_lock_wait_timeout = %ld, lock_wait_timeout = %ld, "
	    "group_concat_max_len = 1048576, max_statement_time = %.1f",
	    (long)lock_wait, (long)lock_wait, limited ? (double)read_timeout - 0.5 : 0.0);
	mysql_options(m, MYSQL_INIT_COMMAND, init);
	if (mysql_real_connect(m,
	    db_conf->db_socket ? NULL : db_conf->db_host,
	    db_conf->db_user, db_conf->db_password, db_conf->db_name,
	    db_conf->db_socket ? 0 : (unsigned int)db_conf->db_port,
	    db_conf->db_socket, flags) == NULL) {
		log_error("database connect failed: %s (%u)", mysql_error(m), mysql_errno(m));
		mysql_close(m);
		return DB_DOWN;
	}
	*out = m;
	return DB_OK;
}

static enum db_rc
db_connect(void)
{
	if (db_conn != NULL)
		return DB_OK;
	if (db_tx)
		return DB_DOWN;	/* the transaction died with its connection */
	if (db_conf == NULL)
		return DB_ERROR;
	return conn_open((unsigned int)db_conf->db_read_timeout, true, 0, &db_conn);
}

void
db_parse_duplicate_key(const char *msg, char *out, size_t outsz)
{
	const char *k = NULL, *p, *dot;
	size_t n;

	if (outsz == 0)
		return;
	out[0] = '\0';
	/* The key comes last; the entry's value before it may hold anything. */
	for (p = msg; (p = strstr(p, "for key '")) != NULL; p++)
		k = p;
	if (k == NULL)
		return;
	k += 9;
	n = strcspn(k, "'");
	/* MariaDB names it "table.key" in some versions: the key is last. */
	for (dot = k; (dot = memchr(dot, '.', n - (size_t)(dot - k))) != NULL; ) {
		dot++;
		n -= (size_t)(dot - k);
		k = dot;
	}
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, k, n);
	out[n] = '\0';
}

/*
 * Classifies error e and logs it. The server's text may hold request
 * values: it is logged escaped and cut, never the statement's values.
 */
static enum db_rc
classify(unsigned int e, const char *msg, const char *sql)
{
	switch (e) {
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
		db_parse_duplicate_key(msg, db_dup, sizeof(db_dup));
		return DB_DUPLICATE;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		log_warn("database: %s (%u)", e == ER_LOCK_DEADLOCK ? "deadlock" :
		    "lock wait time-out", e);
		if (db_tx)
			db_tx_retry = true;
		return DB_RETRY;
	case ER_STATEMENT_TIMEOUT:
		/* Too slow to finish in time: a 503, not run again (run()). */
		log_warn("database: statement time-out (%u); in: %.200s", e, sql);
		db_timed_out = true;
		return DB_RETRY;
	default:
		break;
	}
	if (conn_lost(e)) {
		log_error("database connection lost (%u)", e);
		return DB_DOWN;
	}
	char esc[LOG_FIELD_MAX];

	log_error("database error %u: %s; in: %.200s", e, log_escape(esc, sizeof(esc), msg),
	    sql);
	return DB_ERROR;
}

/* Classifies the last error on st (or the connection) and logs it. */
static enum db_rc
stmt_fail(MYSQL_STMT *st, const char *sql)
{
	if (st != NULL)
		return classify(mysql_stmt_errno(st), mysql_stmt_error(st), sql);
	return classify(mysql_errno(db_conn), mysql_error(db_conn), sql);
}

/*
 * The prepared statement for sql on this connection, from the cache or
 * newly prepared (and cached). NULL on failure, with *rc set.
 */
static MYSQL_STMT *
stmt_get(const char *sql, enum db_rc *rc)
{
	uint64_t h = hash_text(sql);
	struct stmt_entry *e, *victim = &stmt_cache[0];
	MYSQL_STMT *st;

	for (int i = 0; i < STMT_CACHE; i++) {
		e = &stmt_cache[i];
		if (e->st != NULL && e->hash == h && strcmp(e->sql, sql) == 0) {
			e->used = ++stmt_clock;
			return e->st;
		}
		if (e->st == NULL || (victim->st != NULL && e->used < victim->used))
			victim = e;
	}
	if ((st = mysql_stmt_init(db_conn)) == NULL) {
		*rc = stmt_fail(NULL, sql);
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
		*rc = stmt_fail(st, sql);
		mysql_stmt_close(st);
		return NULL;
	}
	if (victim->st != NULL)
		mysql_stmt_close(victim->st);
	free(victim->sql);
	victim->sql = strdup(sql);
	victim->hash = h;
	victim->st = victim->sql ? st : NULL;
	victim->used = ++stmt_clock;
	if (victim->sql == NULL) {
		mysql_stmt_close(st);	/* out of memory: no cache, no statement */
		*rc = DB_ERROR;
	}
	return victim->st;
}

/* Binds p[0..np) to st's parameters and executes it; non-zero on failure. */
static int
bind_exec(MYSQL_STMT *st, const struct db_param *p, size_t np)
{
	MYSQL_BIND *b = NULL;
	unsigned long *lens = NULL;
	int rc = -1;

	if (np > 0) {
		b = calloc(np, sizeof(*b));
		lens = calloc(np, sizeof(*lens));
		if (b == NULL || lens == NULL)
			goto out;
		for (size_t i = 0; i < np; i++) {
			switch (p[i].type) {
			case DBP_INT:
				b[i].buffer_type = MYSQL_TYPE_LONGLONG;
				b[i].buffer = (void *)&p[i].i;
				break;
			case DBP_STR:
				b[i].buffer_type = MYSQL_TYPE_STRING;
				b[i].buffer = (void *)p[i].s;
				lens[i] = (unsigned long)p[i].len;
				b[i].buffer_length = lens[i];
				b[i].length = &lens[i];
				break;
			case DBP_NULL:
				b[i].buffer_type = MYSQL_TYPE_NULL;
				break;
			}
		}
		if (mysql_stmt_bind_param(st, b) != 0)
			goto out;
	}
	rc = mysql_stmt_execute(st);
out:
	free(b);
	free(lens);
	return rc;
}

/* Prepares sql, binds p and executes it. *out is the statement on DB_OK. */
static enum db_rc
prepare_exec(const char *sql, const struct db_param *p, size_t np, MYSQL_STMT **out)
{
	MYSQL_STMT *st;
	enum db_rc rc;

	*out = NULL;
	if ((st = stmt_get(sql, &rc)) == NULL)
		return rc;
	if (mysql_stmt_param_count(st) != np) {
		log_error("statement wants %lu parameters, given %zu: %.200s",
		    mysql_stmt_param_count(st), np, sql);
		return DB_ERROR;
	}
	if (bind_exec(st, p, np) != 0) {
		/* st stays cached unless the server refused it. */
		if (mysql_stmt_errno(st) == 0)
			return DB_ERROR;	/* out of memory */
		rc = stmt_fail(st, sql);
		/* A failed statement may be stale (re-prepare needed): forget it. */
		stmt_cache_drop(st);
		return rc;
	}
	*out = st;
	return DB_OK;
}

/* Writes the DECIMAL text s as a JSON number without trailing zeros. */
static struct json_object *
decimal_json(const char *s)
{
	char t[80];
	size_t n;

	snprintf(t, sizeof(t), "%s", s);
	if (strchr(t, '.') != NULL) {
		n = strlen(t);
		while (n > 0 && t[n - 1] == '0')
			t[--n] = '\0';
		if (n > 0 && t[n - 1] == '.')
			t[--n] = '\0';
	}
	if (strcmp(t, "-0") == 0)
		snprintf(t, sizeof(t), "0");
	return json_object_new_double_s(strtod(t, NULL), t);
}

static struct json_object *
cell_json(const MYSQL_FIELD *f, const char *s, unsigned long len, bool json_alias)
{
	switch (f->type) {
	case MYSQL_TYPE_TINY:
		if (f->length == 1)
			return json_object_new_boolean(s[0] != '0');
		/* FALLTHROUGH */
	case MYSQL_TYPE_SHORT:
	case MYSQL_TYPE_LONG:
	case MYSQL_TYPE_INT24:
	case MYSQL_TYPE_LONGLONG:
	case MYSQL_TYPE_YEAR:
		if (f->flags & UNSIGNED_FLAG) {
			unsigned long long u = strtoull(s, NULL, 10);
			return json_object_new_int64(u > INT64_MAX ? INT64_MAX : (int64_t)u);
		}
		return json_object_new_int64(strtoll(s, NULL, 10));
	case MYSQL_TYPE_DECIMAL:
	case MYSQL_TYPE_NEWDECIMAL:
		return decimal_json(s);
	default:
		if (json_alias) {
			struct json_object *j = NULL;
			if (http_parse_json(s, len, HTTP_JSON_MAX_DEPTH, &j) == 0)
				return j;
		}
		return json_object_new_string_len(s, (int)len);
	}
}

/* Replaces nested objects whose leaves are all null by null. */
static bool
collapse_nulls(struct json_object *o)
{
	bool all_null = true;

	json_object_object_foreach(o, k, v) {
		if (json_object_is_type(v, json_type_object)) {
			if (collapse_nulls(v))
				json_object_object_add(o, k, NULL);
			else
				all_null = false;
		} else if (v != NULL)
			all_null = false;
	}
	return all_null;
}

/* Puts value under the dotted alias into row. Takes value. */
static void
put_cell(struct json_object *row, const char *alias, struct json_object *value)
{
	char key[128];
	const char *dot;
	struct json_object *cur = row, *child;

	while ((dot = strchr(alias, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - alias), alias);
		if (!json_object_object_get_ex(cur, key, &child) ||
		    !json_object_is_type(child, json_type_object)) {
			child = json_object_new_object();
			json_object_object_add(cur, key, child);
		}
		cur = child;
		alias = dot + 1;
	}
	json_object_object_add(cur, alias, value);
}

/* A statement's result, read row by row into JSON objects. */
struct fetcher {
	MYSQL_STMT *st;
	MYSQL_RES *meta;
	MYSQL_FIELD *fields;
	MYSQL_BIND *b;
	char **bufs;
	unsigned long *lens, *caps;
	my_bool *nulls, *errs;
	unsigned int nc;
};

static void
fetcher_free(struct fetcher *f)
{
	for (unsigned int i = 0; f->bufs != NULL && i < f->nc; i++)
		free(f->bufs[i]);
	free(f->bufs);
	free(f->b);
	free(f->lens);
	free(f->caps);
	free(f->nulls);
	free(f->errs);
	if (f->meta != NULL)
		mysql_free_result(f->meta);
	memset(f, 0, sizeof(*f));
}

/* Binds st's result columns; DB_OK with f->meta NULL when st has none. */
static enum db_rc
fetcher_init(struct fetcher *f, MYSQL_STMT *st)
{
	memset(f, 0, sizeof(*f));
	f->st = st;
	if ((f->meta = mysql_stmt_result_metadata(st)) == NULL)
		return DB_OK;	/* not a SELECT */
	f->nc = mysql_num_fields(f->meta);
	f->fields = mysql_fetch_fields(f->meta);
	f->b = calloc(f->nc, sizeof(*f->b));
	f->bufs = calloc(f->nc, sizeof(*f->bufs));
	f->lens = calloc(f->nc, sizeof(*f->lens));
	f->caps = calloc(f->nc, sizeof(*f->caps));
	f->nulls = calloc(f->nc, sizeof(*f->nulls));
	f->errs = calloc(f->nc, sizeof(*f->errs));
	if (!f->b || !f->bufs || !f->lens || !f->caps || !f->nulls || !f->errs)
		return DB_ERROR;
	for (unsigned int i = 0; i < f->nc; i++) {
		f->caps[i] = 128;
		if ((f->bufs[i] = malloc(f->caps[i])) == NULL)
			return DB_ERROR;
		f->b[i].buffer_type = MYSQL_TYPE_STRING;
		f->b[i].buffer = f->bufs[i];
		f->b[i].buffer_length = f->caps[i] - 1;
		f->b[i].length = &f->lens[i];
		f->b[i].is_null = &f->nulls[i];
		f->b[i].error = &f->errs[i];
	}
	if (mysql_stmt_bind_result(st, f->b) != 0)
		return stmt_fail(st, "bind result");
	return DB_OK;
}

/*
 * Fetches the next row into *row (a new object; NULL at the end of the
 * rows). Column aliases as db_select() describes.
 */
static enum db_rc
fetcher_row(struct fetcher *f, struct json_object **row)
{
	char alias[160];
	bool is_json;
	int frc;
	enum db_rc rc = DB_ERROR;

	*row = NULL;
	frc = mysql_stmt_fetch(f->st);
	if (frc == MYSQL_NO_DATA)
		return DB_OK;
	if (frc == 1)
		return stmt_fail(f->st, "fetch");
	if ((*row = json_object_new_object()) == NULL)
		return DB_ERROR;
	for (unsigned int i = 0; i < f->nc; i++) {
		struct json_object *cell;
		if (!f->nulls[i] && f->lens[i] >= f->caps[i]) {
			/* Grow and fetch the whole value of this column. */
			char *nb = realloc(f->bufs[i], f->lens[i] + 1);
			if (nb == NULL)
				goto fail;
			f->bufs[i] = nb;
			f->caps[i] = f->lens[i] + 1;
			f->b[i].buffer = nb;
			f->b[i].buffer_length = f->caps[i] - 1;
			if (mysql_stmt_fetch_column(f->st, &f->b[i], i, 0) != 0) {
				rc = stmt_fail(f->st, "fetch column");
				goto fail;
			}
			mysql_stmt_bind_result(f->st, f->b);
		}
		if (f->fields[i].name[0] == '_')
			continue;	/* internal column */
		snprintf(alias, sizeof(alias), "%s", f->fields[i].name);
		is_json = false;
		size_t an = strlen(alias);
		if (an > 5 && strcmp(alias + an - 5, ":json") == 0) {
			alias[an - 5] = '\0';
			is_json = true;
		}
		if (f->nulls[i])
			cell = NULL;
		else {
			f->bufs[i][f->lens[i]] = '\0';
			cell = cell_json(&f->fields[i], f->bufs[i], f->lens[i], is_json);
		}
		put_cell(*row, alias, cell);
	}
	json_object_object_foreach(*row, k, v) {
		if (json_object_is_type(v, json_type_object) && collapse_nulls(v))
			json_object_object_add(*row, k, NULL);
	}
	return DB_OK;
fail:
	json_object_put(*row);
	*row = NULL;
	return rc;
}

static enum db_rc
fetch_rows(MYSQL_STMT *st, struct json_object *rows)
{
	struct fetcher f;
	struct json_object *row;
	enum db_rc rc;

	if ((rc = fetcher_init(&f, st)) == DB_OK && f.meta != NULL)
		while ((rc = fetcher_row(&f, &row)) == DB_OK && row != NULL)
			json_object_array_add(rows, row);
	fetcher_free(&f);
	return rc;
}

/*
 * Runs sql; rows (may be NULL) receives result rows. A read outside a
 * transaction is tried again once on a fresh connection.
 */
static enum db_rc
run(const char *sql, const struct db_param *p, size_t np, struct json_object *rows,
    uint64_t *affected, uint64_t *insert_id, bool is_read)
{
	MYSQL_STMT *st = NULL;
	enum db_rc rc;

	if (db_broken)
		return DB_DOWN;
	/*
	 * A deadlock rolled the transaction back (a lock-wait time-out its
	 * statement): nothing more of it may run, or what follows would
	 * commit as a transaction of its own.
	 */
	if (db_tx && db_tx_retry)
		return DB_RETRY;
	db_timed_out = false;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((rc = db_connect()) != DB_OK)
			return rc;
		rc = prepare_exec(sql, p, np, &st);
		if (rc == DB_OK && rows != NULL)
			rc = fetch_rows(st, rows);
		if (rc == DB_OK) {
			if (affected)
				*affected = mysql_stmt_affected_rows(st);
			if (insert_id)
				*insert_id = mysql_stmt_insert_id(st);
		}
		if (st != NULL)
			mysql_stmt_free_result(st);	/* stays cached */
		st = NULL;
		if (db_timed_out && db_tx) {
			/*
			 * The server undid the statement, not its transaction:
			 * closing the connection undoes the rest (and frees its
			 * locks) at once; nothing more of it runs or commits.
			 */
			db_timed_out = false;
			conn_drop();
			db_broken = true;
			return DB_RETRY;
		}
		db_timed_out = false;
		if (rc != DB_DOWN)
			return rc;
		/* The connection is gone: drop it; retry reads outside a tx. */
		conn_drop();
		if (db_tx) {
			db_broken = true;
			return DB_DOWN;
		}
		if (!is_read)
			return DB_DOWN;
		if (rows != NULL) {
			while (json_object_array_length(rows) > 0)
				json_object_array_del_idx(rows, 0, json_object_array_length(rows));
		}
	}
	return DB_DOWN;
}

enum db_rc
db_select(const char *sql, const struct db_param *p, size_t np, struct json_object **rows)
{
	enum db_rc rc;

	if ((*rows = json_object_new_array()) == NULL)
		return DB_ERROR;
	rc = run(sql, p, np, *rows, NULL, NULL, true);
	if (rc != DB_OK) {
		json_object_put(*rows);
		*rows = NULL;
	}
	return rc;
}

enum db_rc
db_select_int(const char *sql, const struct db_param *p, size_t np, int64_t *out,
    bool *found)
{
	struct json_object *rows, *row;
	enum db_rc rc;

	*found = false;
	if ((rc = db_select(sql, p, np, &rows)) != DB_OK)
		return rc;
	if (json_object_array_length(rows) > 0) {
		row = json_object_array_get_idx(rows, 0);
		json_object_object_foreach(row, k, v) {
			(void)k;	/* the first column, whatever its name */
			if (v != NULL) {
				*out = json_object_get_int64(v);
				*found = true;
			}
			break;
		}
	}
	json_object_put(rows);
	return DB_OK;
}

enum db_rc
db_exec(const char *sql, const struct db_param *p, size_t np, uint64_t *affected,
    uint64_t *insert_id)
{
	return run(sql, p, np, NULL, affected, insert_id, false);
}

enum db_rc
db_begin(void)
{
	enum db_rc rc;

	if (db_tx) {
		/*
		 * START TRANSACTION inside a transaction commits the outer
		 * one: refuse, it is a bug of the caller.
		 */
		log_error("db_begin inside a transaction: refused");
		return DB_ERROR;
	}
	db_tx_retry = false;
	db_broken = false;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((rc = db_connect()) != DB_OK)
			return rc;
		if (mysql_query(db_conn, "START TRANSACTION") == 0) {
			db_tx = true;
			return DB_OK;
		}
		rc = stmt_fail(NULL, "START TRANSACTION");
		if (rc != DB_DOWN)
			return rc;
		/* Nothing ran yet: a stale connection may be replaced. */
		conn_drop();
	}
	return DB_DOWN;
}

enum db_rc
db_commit(void)
{
	enum db_rc rc;

	if (!db_tx) {
		log_error("db_commit outside a transaction");
		return DB_ERROR;
	}
	if (db_broken || db_conn == NULL) {
		/* The connection died earlier: the server rolled it all back. */
		db_rollback();
		return DB_DOWN;
	}
	if (db_tx_retry) {
		/* A deadlock or lock wait ended it: none of it may commit. */
		db_rollback();
		return DB_RETRY;
	}
	if (mysql_commit(db_conn) != 0) {
		rc = stmt_fail(NULL, "COMMIT");
		if (rc == DB_DOWN) {
			/* The server may have committed before the link broke. */
			conn_drop();
			db_tx = false;
			db_broken = false;
			return DB_INDOUBT;
		}
		db_rollback();
		return rc;
	}
	db_tx = false;
	return DB_OK;
}

void
db_rollback(void)
{
	if (db_conn != NULL && db_tx && !db_broken && mysql_rollback(db_conn) != 0) {
		log_warn("rollback failed (%u); closing the connection", mysql_errno(db_conn));
		conn_drop();
	}
	db_tx = false;
	db_broken = false;
}

enum db_rc
db_wait_up(void)
{
	int64_t deadline;

	deadline = util_now_us() + (int64_t)(db_conf->db_connect_timeout +
	    db_conf->db_read_timeout) * 1000000;
	while (db_ping() != DB_OK) {
		if (util_now_us() > deadline)
			return DB_DOWN;
		usleep(100000);
	}
	return DB_OK;
}

enum db_rc
db_ping(void)
{
	int64_t one;
	bool found;

	return db_select_int("SELECT 1", NULL, 0, &one, &found);
}

/* ------------------------------------------------------------------ */
/* Query builder                                                      */
/* ------------------------------------------------------------------ */
/* Side connections: for another thread of the process.               */
/* ------------------------------------------------------------------ */

struct db_side {
	MYSQL *conn;
};

enum db_rc
db_side_open(struct db_side **out)
{
	struct db_side *s;
	enum db_rc rc;

	*out = NULL;
	if (db_conf == NULL || (s = calloc(1, sizeof(*s))) == NULL)
		return DB_ERROR;
	/* Matched rows, not changed ones: an UPDATE that finds its row says so. */
	if ((rc = conn_open((unsigned int)db_conf->db_read_timeout, true, CLIENT_FOUND_ROWS,
	    &s->conn)) != DB_OK) {
		free(s);
		return rc;
	}
	*out = s;
	return DB_OK;
}

enum db_rc
db_side_exec(struct db_side *s, const char *sql, const struct db_param *p, size_t np,
    uint64_t *matched)
{
	MYSQL_STMT *st;
	enum db_rc rc = DB_OK;
	unsigned int e;

	if (s->conn == NULL && conn_open((unsigned int)db_conf->db_read_timeout, true,
	    CLIENT_FOUND_ROWS, &s->conn) != DB_OK)
		return DB_DOWN;
	if ((st = mysql_stmt_init(s->conn)) == NULL)
		return DB_ERROR;
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0 ||
	    mysql_stmt_param_count(st) != np || bind_exec(st, p, np) != 0) {
		e = mysql_stmt_errno(st);
		/* Not classify(): its state belongs to the main connection. */
		log_error("database error %u on a side connection: %.200s", e, sql);
		rc = conn_lost(e) ? DB_DOWN : DB_ERROR;
	} else if (matched != NULL)
		*matched = mysql_stmt_affected_rows(st);
	mysql_stmt_close(st);
	if (rc == DB_DOWN) {
		mysql_close(s->conn);
		s->conn = NULL;	/* opened again by the next call */
	}
	return rc;
}

void
db_side_close(struct db_side *s)
{
	if (s == NULL)
		return;
	if (s->conn != NULL)
		mysql_close(s->conn);
	free(s);
}

/* ------------------------------------------------------------------ */
/* Streams: a long result read in batches on a connection of its own. */
/* ------------------------------------------------------------------ */

struct db_stream {
	MYSQL *conn;
	MYSQL_STMT *st;
	struct fetcher f;
};

void
db_stream_close(struct db_stream *s)
{
	if (s == NULL)
		return;
	fetcher_free(&s->f);
	/*
	 * The connection first: closing a statement with rows still to come
	 * would read them all, and a closed connection detaches it.
	 */
	if (s->conn != NULL)
		mysql_close(s->conn);
	if (s->st != NULL)
		mysql_stmt_close(s->st);
	free(s);
}

enum db_rc
db_stream_open(const struct sql *q, unsigned int read_timeout, struct db_stream **out)
{
	struct db_stream *s;
	enum db_rc rc;

	*out = NULL;
	if (q->oom || (s = calloc(1, sizeof(*s))) == NULL)
		return DB_ERROR;
	if ((rc = conn_open(read_timeout, false, 0, &s->conn)) != DB_OK)
		goto fail;
	rc = DB_ERROR;
	if ((s->st = mysql_stmt_init(s->conn)) == NULL)
		goto fail;
	if (mysql_stmt_prepare(s->st, q->text.p, (unsigned long)q->text.len) != 0 ||
	    mysql_stmt_param_count(s->st) != q->np || bind_exec(s->st, q->p, q->np) != 0) {
		rc = classify(mysql_stmt_errno(s->st), mysql_stmt_error(s->st), q->text.p);
		if (rc == DB_OK)
			rc = DB_ERROR;
		goto fail;
	}
	/* No mysql_stmt_store_result(): rows come from the server as read. */
	if ((rc = fetcher_init(&s->f, s->st)) != DB_OK)
		goto fail;
	if (s->f.meta == NULL) {
		rc = DB_ERROR;
		goto fail;
	}
	*out = s;
	return DB_OK;
fail:
	db_stream_close(s);
	return rc;
}

enum db_rc
db_stream_next(struct db_stream *s, size_t max, struct json_object **rows)
{
	struct json_object *row;
	enum db_rc rc = DB_OK;

	if ((*rows = json_object_new_array()) == NULL)
		return DB_ERROR;
	for (size_t n = 0; n < max; n++) {
		if ((rc = fetcher_row(&s->f, &row)) != DB_OK || row == NULL)
			break;
		json_object_array_add(*rows, row);
	}
	if (rc != DB_OK) {
		json_object_put(*rows);
		*rows = NULL;
	}
	return rc;
}

/* ------------------------------------------------------------------ */

static struct db_param *
sql_param(struct sql *q)
{
	struct db_param *np;
	size_t ncap;

	if (q->np == q->cap) {
		ncap = q->cap ? q->cap * 2 : 8;
		if ((np = realloc(q->p, ncap * sizeof(*np))) == NULL) {
			q->oom = true;
			return NULL;
		}
		q->p = np;
		q->cap = ncap;
	}
	memset(&q->p[q->np], 0, sizeof(q->p[0]));
	return &q->p[q->np++];
}

void
sql_add(struct sql *q, const char *literal)
{
	if (buf_adds(&q->text, literal) == -1)
		q->oom = true;
}

void
sql_int(struct sql *q, const char *literal, int64_t v)
{
	struct db_param *p;

	sql_add(q, literal);
	if ((p = sql_param(q)) != NULL) {
		p->type = DBP_INT;
		p->i = v;
	}
}

void
sql_str(struct sql *q, const char *literal, const char *s, size_t n)
{
	struct db_param *p;

	sql_add(q, literal);
	if ((p = sql_param(q)) != NULL) {
		p->type = DBP_STR;
		p->s = s;
		p->len = n;
	}
}

void
sql_like(struct sql *q, const char *literal, const char *s, size_t n)
{
	char *pat, **no;
	size_t j = 0;

	if ((pat = malloc(2 * n + 3)) == NULL ||
	    (no = realloc(q->owned, (q->nowned + 1) * sizeof(*no))) == NULL) {
		free(pat);
		q->oom = true;
		return;
	}
	q->owned = no;
	q->owned[q->nowned++] = pat;
	pat[j++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
			pat[j++] = '\\';
		pat[j++] = s[i];
	}
	pat[j++] = '%';
	pat[j] = '\0';
	sql_str(q, literal, pat, j);
}

void
sql_append(struct sql *q, const struct sql *other)
{
	struct db_param *p;

	if (other->oom) {
		q->oom = true;
		return;
	}
	sql_add(q, other->text.p ? other->text.p : "");
	for (size_t i = 0; i < other->np; i++)
		if ((p = sql_param(q)) != NULL)
			*p = other->p[i];
}

void
sql_in_ints(struct sql *q, const int64_t *v, size_t n)
{
	sql_add(q, "(");
	for (size_t i = 0; i < n; i++)
		sql_int(q, i ? ",?" : "?", v[i]);
	sql_add(q, ")");
}

void
sql_json_ints(struct sql *q, const int64_t *v, size_t n)
{
	struct buf j = { 0 };
	char **no;

	buf_addc(&j, '[');
	for (size_t i = 0; i < n; i++)
		buf_addf(&j, i ? ",%lld" : "%lld", (long long)v[i]);
	buf_addc(&j, ']');
	if (j.oom || (no = realloc(q->owned, (q->nowned + 1) * sizeof(*no))) == NULL) {
		buf_free(&j);
		q->oom = true;
		return;
	}
	q->owned = no;
	q->owned[q->nowned++] = j.p;
	sql_str(q, "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$'))", j.p, j.len);
}

void
sql_json_strs(struct sql *q, const char *const *v, const size_t *lens, size_t n)
{
	struct json_object *a = json_object_new_array_ext((int)n);
	const char *text;
	char **no;
	char *copy = NULL;

	for (size_t i = 0; a != NULL && i < n; i++)
		if (json_object_array_add(a, json_object_new_string_len(v[i], (int)lens[i])) != 0) {
			json_object_put(a);
			a = NULL;
		}
	if (a == NULL || (text = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN)) ==
	    NULL || (copy = strdup(text)) == NULL ||
	    (no = realloc(q->owned, (q->nowned + 1) * sizeof(*no))) == NULL) {
		free(copy);
		json_object_put(a);
		q->oom = true;
		return;
	}
	json_object_put(a);
	q->owned = no;
	q->owned[q->nowned++] = copy;
	sql_str(q, "JSON_TABLE(?, '$[*]' COLUMNS (n FOR ORDINALITY, v VARCHAR(255)"
	    " CHARACTER SET utf8mb4 PATH '$'))", copy, strlen(copy));
}

void
sql_free(struct sql *q)
{
	buf_free(&q->text);
	free(q->p);
	q->p = NULL;
	q->np = q->cap = 0;
	for (size_t i = 0; i < q->nowned; i++)
		free(q->owned[i]);
	free(q->owned);
	q->owned = NULL;
	q->nowned = 0;
	q->oom = false;
}

enum db_rc
db_select_sql(struct sql *q, struct json_object **rows)
{
	enum db_rc rc;

	*rows = NULL;
	rc = q->oom ? DB_ERROR : db_select(q->text.p, q->p, q->np, rows);
	sql_free(q);
	return rc;
}

enum db_rc
db_exec_sql(struct sql *q, uint64_t *affected, uint64_t *insert_id)
{
	enum db_rc rc;

	rc = q->oom ? DB_ERROR : db_exec(q->text.p, q->p, q->np, affected, insert_id);
	sql_free(q);
	return rc;
}
