/*
 * idem.h -- Idempotency-Key on POST (SPEC.md "Retries"; IETF
 * draft-ietf-httpapi-idempotency-key-header, Stripe's behaviour).
 *
 * The pipeline claims the key before the handler and settles it after;
 * tx_run() stores the response inside the handler's transaction. A key
 * belongs to its caller; the same key and the same request (method, path,
 * query and body) replay the stored answer; another request with it is a
 * 422; while the first runs, 409. Keys are kept 24 hours.
 */
#ifndef METAPIC_IDEM_H
#define METAPIC_IDEM_H

#include <stdbool.h>

#include "db.h"
#include "http.h"

/*
 * A 'running' claim older than this (seconds) belongs to a dead worker and
 * may be taken over: longer than any request may run (nginx gives up at
 * fastcgi_read_timeout, 30 s). The take-over writes a new claim token.
 */
#define IDEM_STALE_SECONDS 60

/*
 * Claims r's Idempotency-Key header, if it has one. API_OK with *replayed
 * false: run the handler (r->idem_id is the claim, 0 without a key).
 * API_OK with *replayed true: r holds the stored response and the
 * `Idempotent-Replayed: true` header; the handler must not run.
 * API_VALIDATION for a malformed key or one used for another request;
 * API_CONFLICT while a request with the key is running; a database
 * error's code otherwise.
 */
enum api_err idem_claim(struct req *r, bool *replayed);

/* True when r holds a claimed key. */
bool idem_active(const struct req *r);

/*
 * Stores r's status and body with its key, inside the open transaction
 * (tx_run calls it). API_OK, and nothing done, without a key. API_CONFLICT
 * when the claim was taken over meanwhile (see IDEM_STALE_SECONDS): the
 * transaction must not commit. A database error's code otherwise.
 */
enum api_err idem_record(struct req *r);

/*
 * After a COMMIT whose outcome is unknown: *done is true when the
 * transaction committed (the key's row holds a response).
 */
enum db_rc idem_committed(struct req *r, bool *done);

/*
 * Settles the claim once the handler returned e: a 2xx response not yet
 * stored is stored now (a POST that wrote nothing in a transaction); any
 * other outcome frees the key for a new try. Failures are logged only.
 */
void idem_finish(struct req *r, enum api_err e);

#endif
