/*
 * page.h -- paginated lists in Laravel's resource-collection envelope.
 */
#ifndef METAPIC_PAGE_H
#define METAPIC_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "db.h"
#include "http.h"

/* A list query: the handler's SELECT list, FROM/WHERE, and ordering. */
struct page_query {
	const char *columns;	/* "SELECT ... " up to but not including FROM */
	struct sql *from;	/* " FROM ... WHERE ..." with its parameters */
	/*
	 * The same rows for COUNT(*) without the joins that only add columns
	 * (NULL: from). Joins can cost the count its index: MariaDB then
	 * scans the whole table even when it eliminates them.
	 */
	struct sql *count_from;
	/*
	 * A whole query for the count instead, with its parameters (a kept
	 * counter, say), or NULL.
	 */
	struct sql *count_query;
	/*
	 * The FROM/WHERE ends in GROUP BY: the total counts groups, so the
	 * count runs over the grouped rows (SELECT COUNT(*) FROM (...)).
	 */
	bool grouped;
	const char *default_order;	/* e.g. "sg.id ASC" */
	/*
	 * An order that comes first, before sort_by or default_order (a
	 * custom sort such as "ends soon"), or NULL.
	 */
	const char *order_first;
	const char *tiebreak;	/* unique column appended to any order */
	int default_size;
	/*
	 * from already holds the page's window (page_window()), deeper
	 * than the outer query: page_run adds no LIMIT of its own. For a
	 * list whose columns cost per row of the whole set unless the page
	 * is picked first (a campaign's participants-stats).
	 */
	bool windowed;
	/*
	 * Answer in Laravel's plain paginator shape (page_plain()) instead of
	 * the resource collection's data/links/meta.
	 */
	bool plain;
};

/*
 * Shapes a page's rows in place (the array of row objects), with the
 * whole page at hand: an include is one query for all of its rows, never
 * one per row. Returns API_OK or the error to answer.
 */
typedef enum api_err (*page_shape_fn)(struct req *r, struct json_object *rows);

/*
 * Runs the count and the page query for r (reading the validated `size`,
 * `page` and `sort_by` fields of the route, when it has them) and sets the
 * response to {"data":[...],"links":{...},"meta":{...}} (pq->plain: the
 * page_plain() shape). shape, when not
 * NULL, reshapes the page's rows first.
 */
enum api_err page_run(struct req *r, const struct page_query *pq, page_shape_fn shape);

/*
 * A list that can also be exported (SPEC.md, Exports): `format` in its
 * query queues a job, which metapic-export-worker runs with the same
 * query and shape over all of the rows.
 */
struct page_column {
	const char *path;	/* a dotted path into the item: "store.name" */
	const char *include;	/* only when include[] asks for this; NULL: always */
	bool date;		/* a date or date-time: a date cell in XLSX */
};

struct page_list {
	const char *kind;	/* exports.kind, e.g. "offers" */
	const char *path;	/* the list's route, e.g. "/v2/offers" */
	/*
	 * Checks what validation cannot and fills pq for r's validated
	 * values, pq->from = from, and pq->count_from = count_from when the
	 * count wants another FROM (both zeroed, the caller's to free).
	 * Returns API_OK or the error to answer.
	 */
	enum api_err (*query)(struct req *r, struct page_query *pq, struct sql *from,
	    struct sql *count_from);
	page_shape_fn shape;	/* or NULL */
	/* The export's columns, as the items' keys, ended by { NULL }. */
	const struct page_column *columns;
};

/*
 * The handler of a list: runs pl->query, then queues an export when the
 * route's `format` field is present (export_queue()), else answers the
 * page (page_run()).
 */
enum api_err page_list_run(struct req *r, const struct page_list *pl);

/*
 * Appends to q the query of pq's rows in r's order (order_first, then
 * sort_by with the tiebreak, or default_order), without LIMIT: page_run
 * adds its window, an export reads them all.
 */
void page_rows_sql(struct req *r, const struct page_query *pq, struct sql *q);

/*
 * Appends " LIMIT ? OFFSET ?" for r's validated `size` and `page` (pq's
 * default size without one): the window page_run puts on the outer query,
 * for a windowed query to put where it belongs.
 */
void page_window(const struct req *r, const struct page_query *pq, struct sql *q);

/*
 * Builds the envelope around data (taken over) for a page of total rows.
 * Exposed for unit tests of the link window.
 */
struct json_object *page_envelope(struct req *r, struct json_object *data,
    int64_t total, int64_t page, int64_t per_page);

/*
 * Builds Laravel's plain LengthAwarePaginator::toArray() around data
 * (taken over): {"current_page","data","first_page_url","from",
 * "last_page","last_page_url","links","next_page_url","path","per_page",
 * "prev_page_url","to","total"}, links as page_envelope's meta.links.
 */
struct json_object *page_plain(struct req *r, struct json_object *data, int64_t total,
    int64_t page, int64_t per_page);

/*
 * Builds into count (zero-initialised) the query that counts pq's rows:
 * its count_query, or COUNT(*) over count_from (or from), over the groups
 * when pq->grouped. Exposed for unit tests.
 */
void page_count_sql(const struct page_query *pq, struct sql *count);

/* The validated value of the route's field named name, or NULL. */
const struct valid_value *page_value(const struct req *r, const char *name);

#endif
