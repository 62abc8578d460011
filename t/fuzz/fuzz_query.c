/* Fuzz target: the PHP-style query string parser and its builder. */
#include <stdint.h>
#include <stdlib.h>

#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *j = NULL;
	struct buf b = { 0 };

	if (query_parse((const char *)data, size, 256, &j) == 0) {
		query_build(&b, j, "page");
		/* What the builder writes parses again. */
		struct json_object *again = NULL;
		if (b.p != NULL && query_parse(b.p, b.len, 100000, &again) == 0)
			json_object_put(again);
		buf_free(&b);
		json_object_put(j);
	}
	return 0;
}
