/*
 * search.c -- the trigram lookups of the lists' `query` filters.
 *
 * Rows holding all of a text's trigrams are a superset of the rows that
 * contain it (the table's collation compares a trigram as LIKE compares
 * its characters), so a few of them are enough to narrow the rows; the
 * list's LIKE then keeps exactly the ones that contain the text. MariaDB
 * orders the joins by each trigram's row count (its index statistics): the
 * rarest one leads.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "search.h"

/* True at the first byte of a UTF-8 sequence (or a stray byte). */
static int
char_start(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

/* The byte after the character that starts at s[i] (n bytes in all). */
static size_t
next_char(const char *s, size_t n, size_t i)
{
	for (i++; i < n && !char_start((unsigned char)s[i]); i++)
		;
	return i;
}

size_t
search_pick(const char *s, size_t n, size_t off[SEARCH_MAX_GRAMS],
    size_t len[SEARCH_MAX_GRAMS])
{
	size_t nchars = 0, ngrams, nwant, want, picked = 0, k, i, c, end, g;

	for (i = 0; i < n; i = next_char(s, n, i))
		nchars++;
	if (nchars < 3)
		return 0;
	ngrams = nchars - 2;
	nwant = ngrams < SEARCH_MAX_GRAMS ? ngrams : SEARCH_MAX_GRAMS;
	/* The k-th of nwant gram indexes evenly over 0 .. ngrams - 1; gram
	 * number c starts at character c. */
	for (i = 0, c = 0, k = 0; i < n && k < nwant; i = next_char(s, n, i), c++) {
		want = nwant == 1 ? 0 : k * (ngrams - 1) / (nwant - 1);
		if (c != want)
			continue;
		end = next_char(s, n, next_char(s, n, next_char(s, n, i)));
		for (g = 0; g < picked; g++)
			if (len[g] == end - i && memcmp(s + off[g], s + i, end - i) == 0)
				break;
		if (g == picked) {
			off[picked] = i;
			len[picked] = end - i;
			picked++;
		}
		k++;
	}
	return picked;
}

int
search_ids_sql(struct sql *q, enum search_kind kind, const char *s, size_t n,
    const int64_t *extra, size_t nextra)
{
	size_t off[SEARCH_MAX_GRAMS], len[SEARCH_MAX_GRAMS], m;
	char lit[160];

	if ((m = search_pick(s, n, off, len)) == 0)
		return -1;
	sql_add(q, "SELECT g1.id FROM search_grams g1");
	for (size_t i = 1; i < m; i++) {
		snprintf(lit, sizeof(lit), " JOIN search_grams g%zu ON g%zu.kind = g1.kind"
		    " AND g%zu.gram = ? AND g%zu.id = g1.id", i + 1, i + 1, i + 1, i + 1);
		sql_str(q, lit, s + off[i], len[i]);
	}
	sql_int(q, " WHERE g1.kind = ?", kind);
	sql_str(q, " AND g1.gram = ?", s + off[0], len[0]);
	for (size_t i = 0; i < nextra; i++)
		sql_int(q, " UNION SELECT ?", extra[i]);
	return 0;
}

void
search_from(struct sql *q, const char *table, const char *id_col, enum search_kind kind,
    const char *s, size_t n, const int64_t *extra, size_t nextra)
{
	struct sql ids = { 0 };

	if (search_ids_sql(&ids, kind, s, n, extra, nextra) != 0) {
		sql_add(q, " FROM ");
		sql_add(q, table);
	} else {
		sql_add(q, " FROM (");
		sql_append(q, &ids);
		sql_add(q, ") sg STRAIGHT_JOIN ");
		sql_add(q, table);
		sql_add(q, " ON ");
		sql_add(q, id_col);
		sql_add(q, " = sg.id");
	}
	sql_free(&ids);
}
