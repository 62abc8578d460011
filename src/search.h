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
 * Appends " AND col IN (...)": the ids of kind's rows holding the picked
 * trigrams of s (and id_or, when not NULL: a numeric query may mean an id
 * too). Appends nothing when s has fewer than three characters: the
 * caller's LIKE alone decides then. s must outlive q (bound, not copied).
 */
void search_filter(struct sql *q, const char *col, enum search_kind kind, const char *s,
    size_t n, const int64_t *id_or);

/*
 * Appends the bare subquery "SELECT g1.id FROM search_grams g1 ..." of
 * search_filter (for a caller that joins it further). Returns 0, or -1
 * (nothing appended) when s has fewer than three characters.
 */
int search_ids_sql(struct sql *q, enum search_kind kind, const char *s, size_t n);

#endif
