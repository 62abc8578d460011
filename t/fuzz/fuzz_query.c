/*
 * Fuzz target: the PHP-style query string parser and its builder.
 *
 * What the parser returns is a tree of objects with string leaves: no
 * empty keys, no NUL bytes, valid UTF-8. The builder writes each leaf as
 * one percent-encoded pair, so parsing its output must give back the same
 * tree, keys in the same order, less the key it was told to skip. Any
 * difference aborts, with both trees on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same keys in the same order, and equal values, at every level. */
static int
same_tree(struct json_object *a, struct json_object *b)
{
	struct json_object_iterator ia, ib, ea, eb;

	if (json_object_get_type(a) != json_object_get_type(b))
		return 0;
	if (!json_object_is_type(a, json_type_object))
		return json_object_equal(a, b);
	if (json_object_object_length(a) != json_object_object_length(b))
		return 0;
	ia = json_object_iter_begin(a);
	ib = json_object_iter_begin(b);
	ea = json_object_iter_end(a);
	eb = json_object_iter_end(b);
	while (!json_object_iter_equal(&ia, &ea) && !json_object_iter_equal(&ib, &eb)) {
		if (strcmp(json_object_iter_peek_name(&ia), json_object_iter_peek_name(&ib)) != 0 ||
		    !same_tree(json_object_iter_peek_value(&ia), json_object_iter_peek_value(&ib)))
			return 0;
		json_object_iter_next(&ia);
		json_object_iter_next(&ib);
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *j = NULL, *again = NULL;
	struct buf b = { 0 };
	int pairs;

	if (query_parse((const char *)data, size, 256, &j) != 0)
		return 0;
	if ((pairs = query_build(&b, j, "page")) < 0)
		abort();	/* out of memory does not happen here */
	/* The builder skips "page"; nothing else may differ. */
	json_object_object_del(j, "page");
	if (query_parse(b.p != NULL ? b.p : "", b.len, 100000, &again) != 0 ||
	    !same_tree(j, again)) {
		fprintf(stderr, "query: not the same after building and parsing again\n"
		    "  parsed:  %s\n  built:   %.*s\n  again:   %s\n",
		    json_object_to_json_string(j), (int)b.len, b.p != NULL ? b.p : "",
		    again != NULL ? json_object_to_json_string(again) : "(parse failed)");
		abort();
	}
	json_object_put(again);
	buf_free(&b);
	json_object_put(j);
	return 0;
}
