/*
 * db.h -- the worker's database connection and prepared statements.
 *
 * One connection per process, opened on first use (after fork), utf8mb4,
 * UTC, strict SQL mode, with connect/read/write time-outs from the config.
 * Every statement is prepared; values only ever travel as bound
 * parameters. A lost connection is re-opened for the next statement
 * outside a transaction, and a read outside a transaction is retried once.
 * Inside a transaction a lost connection fails that statement, every later
 * one and the COMMIT: nothing reconnects in its place. Writes of a
 * request go through tx_run() (tx.h), which owns begin, commit, retry.
 */
#ifndef METAPIC_DB_H
#define METAPIC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "http.h"

struct conf;

enum db_rc {
	DB_OK,
	DB_DOWN,	/* cannot reach the server: 503 */
	DB_ERROR,	/* any other failure: 500 */
	DB_DUPLICATE,	/* a unique key refused the write */
	DB_INDOUBT,	/* the connection was lost at COMMIT: outcome unknown */
	DB_RETRY,	/* deadlock or lock-wait time-out: run the transaction again */
	DB_RC__MAX
};

enum db_ptype { DBP_INT, DBP_STR, DBP_NULL };

struct db_param {
	enum db_ptype type;
	int64_t i;
	const char *s;	/* borrowed */
	size_t len;
};

#define DB_INT(v) { DBP_INT, (v), NULL, 0 }
#define DB_STR(v, n) { DBP_STR, 0, (v), (n) }

/* Remembers the configuration; connects on first use. */
void db_init(const struct conf *c);

/* Closes the connection if open. Safe to call at any time. */
void db_close(void);

/*
 * Runs a SELECT and returns its rows as a new JSON array of objects in
 * *rows (the caller owns it). Column aliases name the keys; "a.b" nests b
 * in object a, and an object whose values are all NULL becomes null; an
 * alias ending in ":json" is parsed as JSON. TINYINT(1) is a boolean,
 * integers are numbers, DECIMAL a number written as stored (trailing
 * zeros dropped), everything else a string.
 */
enum db_rc db_select(const char *sql, const struct db_param *p, size_t np,
    struct json_object **rows);

/* Runs a SELECT of one integer; *found is false when there is no row. */
enum db_rc db_select_int(const char *sql, const struct db_param *p, size_t np,
    int64_t *out, bool *found);

/* Runs an INSERT/UPDATE/DELETE. affected and insert_id may be NULL. */
enum db_rc db_exec(const char *sql, const struct db_param *p, size_t np,
    uint64_t *affected, uint64_t *insert_id);

/*
 * Starts a transaction. DB_ERROR (and nothing changes) when one is open
 * already: MariaDB's START TRANSACTION would silently commit it.
 */
enum db_rc db_begin(void);
/*
 * Commits. DB_INDOUBT when the connection was lost during COMMIT (the
 * server may or may not have committed); DB_DOWN when it was lost earlier
 * in the transaction (nothing was committed); DB_RETRY for a deadlock.
 * Any failure ends the transaction.
 */
enum db_rc db_commit(void);
/* Rolls back; never fails from the caller's point of view. */
void db_rollback(void);

/* True while a transaction is open (also once its connection is lost). */
bool db_in_transaction(void);

/*
 * True when the open or last transaction ended in a deadlock or a
 * lock-wait time-out, so that running it again may succeed.
 */
bool db_retryable(void);

/* The name of the unique key the last DB_DUPLICATE named ("" if none). */
const char *db_duplicate_key(void);

/*
 * Writes into out the key name of a duplicate-entry message ("Duplicate
 * entry 'x' for key 'uq_stores_name'", or "... for key 'stores.uq_...'"),
 * "" when it names none. Exposed for unit tests.
 */
void db_parse_duplicate_key(const char *msg, char *out, size_t outsz);

/* Waits up to db_connect_timeout + db_read_timeout for the server. */
enum db_rc db_wait_up(void);

/* Checks the server answers (SELECT 1). */
enum db_rc db_ping(void);

/* The API error for a database failure: 503 when down or to retry, else 500. */
enum api_err db_api_err(enum db_rc rc);

/* ------------------------------------------------------------------ */
/* The query builder: SQL text from literals, values as parameters.   */
/* ------------------------------------------------------------------ */

/* Zero-initialise. Literal text comes only from the program, never input. */
struct sql {
	struct buf text;
	struct db_param *p;
	size_t np, cap;
	char **owned;	/* strings the builder made (LIKE patterns) */
	size_t nowned;
	bool oom;
};

/* Appends literal SQL text. */
void sql_add(struct sql *q, const char *literal);
/* Appends literal text holding one `?`, bound to v. */
void sql_int(struct sql *q, const char *literal, int64_t v);
void sql_str(struct sql *q, const char *literal, const char *s, size_t n);
/* Binds "%s%" with LIKE's wildcards in s escaped (backslash escape). */
void sql_like(struct sql *q, const char *literal, const char *s, size_t n);
/*
 * Appends other's text and binds its parameters after q's. Strings stay
 * borrowed from other (and its owner): q must not outlive other.
 */
void sql_append(struct sql *q, const struct sql *other);
/* Appends "(?,?,...)" bound to v[0..n); n must be > 0. */
void sql_in_ints(struct sql *q, const int64_t *v, size_t n);
/*
 * Appends "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$'))" bound to the
 * JSON array of v[0..n): a table of the ids with one statement text,
 * whatever n is (multi-row inserts: INSERT ... SELECT ... FROM it).
 */
void sql_json_ints(struct sql *q, const int64_t *v, size_t n);
/*
 * As sql_json_ints for the strings v[i] of lens[i] bytes (at most 255
 * characters each): "JSON_TABLE(?, ...)" with the columns n (1-based
 * position) and v (the string, utf8mb4).
 */
void sql_json_strs(struct sql *q, const char *const *v, const size_t *lens, size_t n);

/* Frees what q owns; safe twice. */
void sql_free(struct sql *q);

/*
 * db_select / db_exec of what q built, then sql_free(q). A builder that ran
 * out of memory is DB_ERROR, and nothing is sent.
 */
enum db_rc db_select_sql(struct sql *q, struct json_object **rows);
enum db_rc db_exec_sql(struct sql *q, uint64_t *affected, uint64_t *insert_id);

/* ------------------------------------------------------------------ */
/* Side connections: one for another thread (the export's heartbeat). */
/* ------------------------------------------------------------------ */

struct db_side;

/*
 * Opens a connection of its own, as the configuration says, for one
 * other thread: nothing of the process's connection (its statements, its
 * transaction) is touched by it. UPDATEs count the rows they match.
 */
enum db_rc db_side_open(struct db_side **out);

/*
 * Runs one statement (no result rows) on s; *matched (may be NULL) the
 * rows it matched. A lost connection is DB_DOWN and is opened again by
 * the next call.
 */
enum db_rc db_side_exec(struct db_side *s, const char *sql, const struct db_param *p,
    size_t np, uint64_t *matched);

/* Closes s; NULL is fine. */
void db_side_close(struct db_side *s);

/* ------------------------------------------------------------------ */
/* Streams: a long result, read in batches (the export worker).       */
/* ------------------------------------------------------------------ */

struct db_stream;

/*
 * Runs the SELECT q built on a connection of its own (opened here, with
 * read_timeout seconds for any one read, so a long sort before the first
 * row is no lost connection) and leaves its rows on the server, to be read
 * as they come (no copy of the result in memory). The stream reads one
 * consistent snapshot. q stays the caller's. *out on DB_OK.
 */
enum db_rc db_stream_open(const struct sql *q, unsigned int read_timeout,
    struct db_stream **out);

/*
 * Reads up to max rows into *rows, a new array of objects as db_select()
 * makes them; an empty array once the rows are done.
 */
enum db_rc db_stream_next(struct db_stream *s, size_t max, struct json_object **rows);

/* Ends the stream (rows not read are dropped) and closes its connection. */
void db_stream_close(struct db_stream *s);

#endif
