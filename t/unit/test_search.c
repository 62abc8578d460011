/*
 * test_search.c -- the trigrams a `query` search looks up (search.c): how
 * many, which, by characters and not bytes, and the SQL it binds them in.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "search.h"

/* The picked trigrams of s, joined by '|'. */
static const char *
picked(const char *s)
{
	static char out[256];
	size_t off[SEARCH_MAX_GRAMS], len[SEARCH_MAX_GRAMS], n, w = 0;

	n = search_pick(s, strlen(s), off, len);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		w += (size_t)snprintf(out + w, sizeof(out) - w, "%s%.*s", i ? "|" : "",
		    (int)len[i], s + off[i]);
	return out;
}

Test(search, short_texts_have_none)
{
	cr_expect_str_eq(picked(""), "");
	cr_expect_str_eq(picked("ab"), "");
	/* Two characters in four bytes: still too short. */
	cr_expect_str_eq(picked("\xc3\xa5\xc3\xa4"), "");
}

Test(search, every_gram_of_a_short_text)
{
	cr_expect_str_eq(picked("abc"), "abc");
	cr_expect_str_eq(picked("abcd"), "abc|bcd");
	cr_expect_str_eq(picked("abcdef"), "abc|bcd|cde|def");
}

Test(search, the_ends_and_evenly_between)
{
	/* 10 grams (0..9), eight picked: 0, 1, 2, 3, 5, 6, 7, 9. */
	cr_expect_str_eq(picked("bench.user.1"), "ben|enc|nch|ch.|.us|use|ser|r.1");
	cr_expect_str_eq(picked("user.1999@"), "use|ser|er.|r.1|.19|199|999|99@");
	/* 18 grams: 0, 2, 4, 7, 9, 12, 14, 17. */
	cr_expect_str_eq(picked("abcdefghijklmnopqrst"), "abc|cde|efg|hij|jkl|mno|opq|rst");
}

Test(search, characters_not_bytes)
{
	/* "åäöü" is four characters, eight bytes: two grams. */
	cr_expect_str_eq(picked("\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xbc"),
	    "\xc3\xa5\xc3\xa4\xc3\xb6|\xc3\xa4\xc3\xb6\xc3\xbc");
	/* A four-byte character counts once. */
	cr_expect_str_eq(picked("a\xf0\x9f\x98\x80" "bc"), "a\xf0\x9f\x98\x80" "b|\xf0\x9f\x98\x80" "bc");
}

Test(search, a_repeated_gram_once)
{
	cr_expect_str_eq(picked("aaaa"), "aaa");
	cr_expect_str_eq(picked("aaaaaaaaaaaa"), "aaa");
	cr_expect_str_eq(picked("abcabcabc"), "abc|bca|cab");
}

Test(search, the_from_clause_binds_every_gram)
{
	struct sql q = { 0 };
	int64_t ids[2] = { 1999, 7 };

	search_from(&q, "users u", "u.id", SEARCH_USERS, "bench", 5, NULL, 0);
	cr_expect_str_eq(q.text.p, " FROM (SELECT g1.id FROM search_grams g1"
	    " JOIN search_grams g2 ON g2.kind = g1.kind AND g2.gram = ? AND g2.id = g1.id"
	    " JOIN search_grams g3 ON g3.kind = g1.kind AND g3.gram = ? AND g3.id = g1.id"
	    " WHERE g1.kind = ? AND g1.gram = ?) sg STRAIGHT_JOIN users u ON u.id = sg.id");
	cr_assert_eq(q.np, 4);
	cr_expect_eq(q.p[2].i, SEARCH_USERS);
	cr_expect_eq(q.p[3].len, 3);
	cr_expect_eq(memcmp(q.p[3].s, "ben", 3), 0);
	cr_expect_eq(memcmp(q.p[0].s, "enc", 3), 0);
	cr_expect_eq(memcmp(q.p[1].s, "nch", 3), 0);
	sql_free(&q);

	/* Ids the list shows whatever the text, each once more in the set. */
	search_from(&q, "offers o", "o.id", SEARCH_OFFERS, "1999", 4, ids, 2);
	cr_expect_str_eq(q.text.p, " FROM (SELECT g1.id FROM search_grams g1"
	    " JOIN search_grams g2 ON g2.kind = g1.kind AND g2.gram = ? AND g2.id = g1.id"
	    " WHERE g1.kind = ? AND g1.gram = ? UNION SELECT ? UNION SELECT ?) sg"
	    " STRAIGHT_JOIN offers o ON o.id = sg.id");
	cr_assert_eq(q.np, 5);
	cr_expect_eq(q.p[1].i, SEARCH_OFFERS);
	cr_expect_eq(q.p[3].i, 1999);
	cr_expect_eq(q.p[4].i, 7);
	sql_free(&q);

	/* Too short: the table alone, the LIKE decides. */
	search_from(&q, "stores s", "s.id", SEARCH_STORES, "ab", 2, ids, 1);
	cr_expect_str_eq(q.text.p, " FROM stores s");
	cr_expect_eq(q.np, 0);
	sql_free(&q);
}
