/*
 * tx.c -- one transaction per write (see tx.h).
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "http.h"
#include "idem.h"
#include "log.h"
#include "tx.h"
#include "valid.h"

/* Forgets the response of a run that will run again. */
static void
reset_response(struct req *r)
{
	json_object_put(r->body_json);
	r->body_json = NULL;
	json_object_put(r->verrors);
	r->verrors = NULL;
	r->status = 0;
}

enum api_err
tx_run(struct req *r, unsigned flags, enum api_err (*fn)(struct req *r, void *ctx),
    void *ctx)
{
	enum api_err e = API_UNAVAILABLE;
	enum db_rc rc;
	bool done;

	for (int attempt = 0; attempt < TX_TRIES; attempt++) {
		if (attempt > 0)
			reset_response(r);
		if ((rc = db_begin()) != DB_OK)
			return db_api_err(rc);
		e = fn(r, ctx);
		if (e == API_OK && r->status >= 200 && r->status < 300)
			e = idem_record(r);
		if (e != API_OK) {
			bool again = db_retryable();
			db_rollback();
			r->idem_recorded = false;	/* rolled back with the rest */
			if (again && attempt + 1 < TX_TRIES) {
				log_warn("rid=%s transaction %d of %d ended by a lock conflict; "
				    "running it again", r->id, attempt + 1, TX_TRIES);
				continue;
			}
			return e;
		}
		rc = db_commit();
		if (rc == DB_OK)
			return API_OK;
		r->idem_recorded = false;
		if (rc == DB_RETRY && attempt + 1 < TX_TRIES)
			continue;
		if (rc != DB_INDOUBT)
			return db_api_err(rc);

		/* The COMMIT's outcome is unknown: find out before answering. */
		log_warn("rid=%s connection lost at COMMIT; finding out what happened", r->id);
		if (db_wait_up() != DB_OK)
			return API_UNAVAILABLE;
		if (idem_active(r)) {
			if ((rc = idem_committed(r, &done)) != DB_OK)
				return db_api_err(rc);
			if (done) {
				r->idem_recorded = true;
				return API_OK;	/* committed: the response stands */
			}
			continue;		/* nothing of it happened: run it again */
		}
		if (!(flags & TX_RERUN_SAFE))
			return API_UNAVAILABLE;
	}
	return e == API_OK ? API_UNAVAILABLE : e;
}

enum api_err
tx_duplicate_of(struct req *r, const struct tx_unique *keys, const char *key)
{
	char attr[160];

	for (; keys != NULL && keys->key != NULL; keys++)
		if (strcmp(keys->key, key) == 0) {
			http_validation_error(r, keys->field, "The %s has already been taken.",
			    valid_attr(keys->field, attr, sizeof(attr)));
			return API_VALIDATION;
		}
	log_error("rid=%s unexpected duplicate on key %s", r->id, key);
	return API_SERVER;
}

enum api_err
tx_duplicate(struct req *r, const struct tx_unique *keys)
{
	return tx_duplicate_of(r, keys, db_duplicate_key());
}
