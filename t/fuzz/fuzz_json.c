/* Fuzz target: the JSON body reader (strictness, depth 32, trailing data). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *j = NULL;
	size_t len;

	if (http_parse_json((const char *)data, size, HTTP_JSON_MAX_DEPTH, &j) == 0) {
		/* Whatever was accepted must be writable as valid JSON. */
		const char *text = http_json_text(j, &len);
		struct json_object *again = NULL;
		if (text != NULL && http_parse_json(text, len, HTTP_JSON_MAX_DEPTH + 1, &again) != 0)
			abort();
		json_object_put(again);
		json_object_put(j);
	}
	return 0;
}
