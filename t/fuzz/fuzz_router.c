/* Fuzz target: the router's path matcher over the real route table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = malloc(size + 1), *params[HTTP_MAX_PATH_PARAMS] = { 0 };
	const struct route *rt;
	unsigned allowed;
	char allow[128];

	memcpy(path, data, size);
	path[size] = '\0';
	for (int m = 0; m < HTTP_METHOD__MAX; m++) {
		if (route_match(path, (enum http_method)m, &rt, params, &allowed) == API_OK &&
		    rt == NULL)
			abort();
		route_allow(allowed, allow, sizeof(allow));
		for (int i = 0; i < HTTP_MAX_PATH_PARAMS; i++) {
			free(params[i]);
			params[i] = NULL;
		}
	}
	free(path);
	return 0;
}
