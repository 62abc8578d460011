/*
 * export.h -- export jobs (SPEC.md, Exports): queued by the API when a
 * list is asked for with `format`, written by metapic-export-worker.
 *
 * A job row of `exports` holds the caller, the list's kind, the format and
 * the list's validated input (its query, without format, page and size).
 * The worker loads the caller again, validates that input with the list's
 * own table, builds the list's own query and shapes its rows with the
 * list's own shape function: the file holds exactly the rows the list
 * would show on all of its pages, in the same order, as the same items.
 */
#ifndef METAPIC_EXPORT_H
#define METAPIC_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "http.h"

struct conf;
struct page_list;

/*
 * Queues an export of pl's rows for r (validated; the format named by
 * fmt[0..len), one of the route's `format` values) and answers 202
 * {"id": ..., "status": "queued", "url": ".../v2/exports/{id}"}.
 */
enum api_err export_queue(struct req *r, const struct page_list *pl, const char *fmt,
    size_t len);

/* The list whose kind is kind, or NULL. */
const struct page_list *export_list(const char *kind);

/* A claimed job, as the worker read it. */
struct export_job {
	int64_t id;
	int64_t user_id;
	char kind[33];
	char format[8];
	struct json_object *filters;	/* owned */
};

/*
 * Called between batches of rows with the number written so far: false
 * stops the run (the worker is stopping, or the job is no longer its own).
 */
typedef bool (*export_keep_fn)(void *ctx, int64_t rows);

enum export_result {
	EXPORT_DONE,	/* the file is complete */
	EXPORT_FAILED,	/* it cannot be made: reason says why, for the user */
	EXPORT_STOPPED,	/* keep said stop: nothing is left behind */
	EXPORT_RETRY,	/* the database is away: try again later */
};

/*
 * Writes job's rows to path (a new file; on any result but EXPORT_DONE
 * it is removed). tmpdir holds libxlsxwriter's temporary files (NULL: the
 * system's). On EXPORT_DONE sets *rows and *bytes; on EXPORT_FAILED
 * writes a reason a user can read into reason[rsz].
 */
enum export_result export_write(const struct conf *c, const struct export_job *job,
    const char *path, const char *tmpdir, export_keep_fn keep, void *ctx, int64_t *rows,
    int64_t *bytes, char *reason, size_t rsz);

#endif
