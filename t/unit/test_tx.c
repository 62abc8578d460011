/*
 * test_tx.c -- a duplicate key becomes the 422 of its field: the key
 * name read from MariaDB's message, and the field's Laravel message.
 */
#include "config.h"

#include <string.h>

#include <criterion/criterion.h>

#include "conf.h"
#include "db.h"
#include "tx.h"

Test(tx, duplicate_key_names)
{
	static const char *const msgs[][2] = {
		{ "Duplicate entry 'shop.example' for key 'uq_store_domains_host'",
		    "uq_store_domains_host" },
		{ "Duplicate entry '7-x' for key 'store_domains.uq_store_domains_host'",
		    "uq_store_domains_host" },
		{ "Duplicate entry 'a.b' for key 'PRIMARY'", "PRIMARY" },
		{ "Duplicate entry ''' for key 'k'", "k" },
		{ "Duplicate entry 'x' for key 'y' for key 'real'", "real" },	/* the value's text */
		{ "something else", "" },
		{ "for key '", "" },
	};
	char out[65];

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		db_parse_duplicate_key(msgs[i][0], out, sizeof(out));
		cr_expect_str_eq(out, msgs[i][1], "%s", msgs[i][0]);
	}
	db_parse_duplicate_key("Duplicate entry 'x' for key 'a_very_long_key_name'", out, 8);
	cr_expect_str_eq(out, "a_very_", "cut to the buffer");
}

Test(tx, duplicate_becomes_a_field_error)
{
	static const struct tx_unique keys[] = {
		{ "uq_store_domains_host", "domains" },
		{ "uq_shared_budgets_title", "shared_budget.title" },
		{ NULL, NULL },
	};
	struct conf c;
	struct req r;

	memset(&c, 0, sizeof(c));
	memset(&r, 0, sizeof(r));
	r.conf = &c;
	cr_expect_eq(tx_duplicate_of(&r, keys, "uq_shared_budgets_title"), API_VALIDATION);
	cr_expect_str_eq(json_object_to_json_string_ext(r.verrors, JSON_C_TO_STRING_PLAIN),
	    "{\"shared_budget.title\":[\"The shared budget.title has already been taken.\"]}");
	cr_expect_eq(tx_duplicate_of(&r, keys, "uq_other"), API_SERVER);
	json_object_put(r.verrors);
}
