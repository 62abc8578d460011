/*
 * tx.h -- a request's write: one transaction, all or nothing.
 *
 * Every handler that writes runs its statements through tx_run(). It
 * begins, runs the handler's write function, records the response with
 * the request's Idempotency-Key (idem.h) in the same transaction, and
 * commits. It never lets a statement run outside the transaction: once
 * the connection is lost, every later statement and the COMMIT fail
 * (db.h).
 */
#ifndef METAPIC_TX_H
#define METAPIC_TX_H

#include "http.h"

/* fn may run again after a COMMIT whose outcome is unknown: running it
 * twice converges on one result (insert-if-absent, delete by id). */
#define TX_RERUN_SAFE 0x1u

/* Deadlocks and lock-wait time-outs: how many times the whole write runs. */
#define TX_TRIES 3

/*
 * Runs fn(r, ctx) in one transaction. fn runs its statements (never
 * db_begin/db_commit), sets the response with http_set_json() and returns
 * API_OK to commit, or an error to roll back and answer it (a database
 * failure as db_api_err(rc)).
 *
 * A deadlock or lock-wait time-out anywhere runs the whole of fn again
 * with a fresh response (up to TX_TRIES times), then answers 503 with
 * Retry-After. A 2xx response is stored with the request's idempotency
 * key inside the transaction. When COMMIT's outcome is unknown (the
 * connection broke during it), waits for the database and finds out:
 * through the idempotency record when the request has a key, by running
 * fn again when flags has TX_RERUN_SAFE; otherwise answers 503, since the
 * write may or may not have happened.
 */
enum api_err tx_run(struct req *r, unsigned flags,
    enum api_err (*fn)(struct req *r, void *ctx), void *ctx);

/* A unique key a handler expects to refuse a write, and its field. */
struct tx_unique {
	const char *key;	/* the index name: "uq_store_domains_host" */
	const char *field;	/* the input field: "domains.0" */
};

/*
 * Turns a duplicate-key refusal of the key named key into the 422 of its
 * field, with Laravel's "The {field} has already been taken.": keys[] is
 * ended by { NULL, NULL }. A key not listed is a bug: API_SERVER, logged.
 * tx_duplicate() does it for the key the last DB_DUPLICATE named.
 */
enum api_err tx_duplicate_of(struct req *r, const struct tx_unique *keys, const char *key);
enum api_err tx_duplicate(struct req *r, const struct tx_unique *keys);

#endif
