/*
 * search.h -- the trigram index of the lists' `query` filters (migration
 * 0014, search_grams): which rows may contain a text, for the list's own
 * LIKE to confirm. The filter keeps its meaning ("contains", as LIKE
 * '%q%'), and a text of three characters or more is found through the
 * index instead of by reading every row.
 */
#ifndef METAPIC_SEARCH_H
#define METAPIC_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* search_grams.kind: whose text, as migration 0014 fills it. */
enum search_kind {
	SEARCH_USERS = 1,	/* username LF email */
	SEARCH_STORES = 2,	/* name */
	SEARCH_OFFERS = 3,	/* name LF campaign_title */
};

/*
 * How many of a text's trigrams a search looks up at most. The rarest one
 * leads and the others only probe its rows, so more are cheap and let the
 * rare ones in (at 1M users: 50 ms with 4 of "user.1999@", 20 ms with all
 * 8); each is one more join, and the LIKE that follows checks the rest.
 */
#define SEARCH_MAX_GRAMS 8

/*
 * Picks up to SEARCH_MAX_GRAMS distinct trigrams (three characters) of
 * s, n bytes of UTF-8: the first, the last and ones evenly between, as
 * byte offsets off[] and lengths len[] into s. Returns how many: 0 when s
 * has fewer than three characters.
 */
size_t search_pick(const char *s, size_t n, size_t off[SEARCH_MAX_GRAMS],
    size_t len[SEARCH_MAX_GRAMS]);

/*
 * Appends the bare subquery "SELECT g1.id FROM search_grams g1 ..." of the
 * ids of kind's rows that hold the picked trigrams of s, and " UNION SELECT
 * ?" for each of the nextra ids in extra (ids the list shows whatever the
 * text: a numeric query may mean an id, a campaign list's or_id). Returns
 * 0, or -1 (nothing appended) when s has fewer than three characters. s
 * must outlive q (bound, not copied).
 */
int search_ids_sql(struct sql *q, enum search_kind kind, const char *s, size_t n,
    const int64_t *extra, size_t nextra);

/*
 * Appends the FROM clause of a list over table ("users u"): " FROM
 * (ids) sg STRAIGHT_JOIN users u ON u.id = sg.id" with the ids of
 * search_ids_sql() for s, so that MariaDB reads the index first whatever
 * its statistics say (an IN (subquery) lets it scan the table and probe,
 * which it chose at 100k rows), or " FROM table" when s is too short to
 * have trigrams (the caller's LIKE alone decides then). id_col is the
 * table's id column ("u.id").
 */
void search_from(struct sql *q, const char *table, const char *id_col, enum search_kind kind,
    const char *s, size_t n, const int64_t *extra, size_t nextra);

#endif
