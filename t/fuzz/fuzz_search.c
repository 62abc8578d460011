/*
 * Fuzz target: the trigrams a `query` search looks up (search.c), over
 * any bytes. Each picked trigram lies inside the text, starts and ends on
 * a UTF-8 character boundary and holds three characters; no two are the
 * same; there are none only when the text has fewer than three
 * characters; and the FROM clause of search_from binds each one, the
 * kind and the extra id (nothing without trigrams). Any break of these
 * aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
chars(const char *s, size_t n)
{
	size_t c = 0;

	/* A stray continuation byte at the start counts as a character. */
	for (size_t i = 0; i < n; i++)
		c += i == 0 || ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static int
boundary(const char *s, size_t n, size_t i)
{
	return i == 0 || i == n || ((unsigned char)s[i] & 0xC0) != 0x80;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t off[SEARCH_MAX_GRAMS], len[SEARCH_MAX_GRAMS], n;
	struct sql q = { 0 };
	int64_t id = 7;

	n = search_pick(s, size, off, len);
	if (n > SEARCH_MAX_GRAMS || (n == 0) != (chars(s, size) < 3))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (off[i] >= size || len[i] == 0 || off[i] + len[i] > size ||
		    !boundary(s, size, off[i]) || !boundary(s, size, off[i] + len[i]) ||
		    chars(s + off[i], len[i]) != 3)
			abort();
		for (size_t j = 0; j < i; j++)
			if (len[j] == len[i] && memcmp(s + off[j], s + off[i], len[i]) == 0)
				abort();
	}
	search_from(&q, "t x", "x.id", SEARCH_USERS, s, size, &id, 1);
	if (q.oom) {
		sql_free(&q);
		return 0;
	}
	if (n == 0 ? q.np != 0 : q.np != n + 2)
		abort();
	sql_free(&q);
	return 0;
}
