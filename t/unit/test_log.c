/*
 * test_log.c -- log_escape(): text from outside (database errors, request
 * values) made safe for one log line.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "log.h"

Test(log, escape_table)
{
	static const struct {
		const char *in;
		size_t size;
		const char *out;
	} cases[] = {
		{ "plain text", 64, "plain text" },
		{ NULL, 64, "-" },
		{ "", 64, "" },
		{ "two\nlines", 64, "two\\nlines" },
		{ "cr\r\ttab", 64, "cr\\r\\ttab" },
		{ "back\\slash", 64, "back\\\\slash" },
		{ "nul\x01 esc\x1b[31m del\x7f", 64, "nul\\x01 esc\\x1b[31m del\\x7f" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 64,
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "bad \xff\xfe", 64, "bad \\xff\\xfe" },
		{ "cut \xc3", 64, "cut \\xc3" },
		{ "overlong \xc0\xaf", 64, "overlong \\xc0\\xaf" },
		{ "surrogate \xed\xa0\x80", 64, "surrogate \\xed\\xa0\\x80" },
		/* Cut to fit, with "..." and never inside a character or escape. */
		{ "0123456789", 11, "0123456789" },
		{ "0123456789A", 11, "0123456..." },
		{ "abcde\n", 8, "abcde\\n" },
		{ "abcdef\n", 8, "abcd..." },
		{ "ab\xc3\xa9\xc3\xa9\xc3\xa9", 8, "ab\xc3\xa9..." },
		{ "\n\n\n\n\n", 8, "\\n\\n..." },
		{ "abc", 4, "" },
	};
	char out[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'Z', sizeof(out));
		const char *r = log_escape(out, cases[i].size, cases[i].in);
		cr_expect_eq(r, out);
		cr_expect_str_eq(out, cases[i].out, "case %zu", i);
		cr_expect_lt(strlen(out), cases[i].size, "case %zu fits", i);
		cr_expect_eq(out[cases[i].size], 'Z', "case %zu: nothing past the size", i);
	}
}

Test(log, escape_output_has_no_control_characters)
{
	char in[256], out[LOG_FIELD_MAX];

	for (int i = 0; i < 255; i++)
		in[i] = (char)(i + 1);
	in[255] = '\0';
	log_escape(out, sizeof(out), in);
	for (size_t i = 0; out[i]; i++)
		cr_assert((unsigned char)out[i] >= 0x20 && out[i] != 0x7f, "byte %zu: %#x", i,
		    (unsigned char)out[i]);
	cr_expect_str_eq(out + strlen(out) - 3, "...", "cut: %s", out);
}
