/*
 * Fuzz target: telling images by their bytes.
 *
 * Checks: a refusal zeroes the result; an answer names its type's MIME
 * type and extension, stays the same when bytes are appended (only the
 * header is read), and image_size_ok() agrees with the limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const mimes[IMAGE__MAX] = { "image/jpeg", "image/png", "image/webp", "image/gif" };
static const char *const exts[IMAGE__MAX] = { "jpg", "png", "webp", "gif" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_info info, more;
	unsigned char *copy;
	bool ok;

	/* A copy of exactly size bytes, so that ASan sees any overread. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (image_probe(copy, size, &info) != 0) {
		if (info.mime != NULL || info.ext != NULL || info.variant != NULL ||
		    info.width != 0 || info.height != 0)
			abort();
		free(copy);
		return 0;
	}
	if ((unsigned)info.type >= IMAGE__MAX || info.variant == NULL ||
	    strcmp(info.mime, mimes[info.type]) != 0 || strcmp(info.ext, exts[info.type]) != 0)
		abort();
	ok = info.width >= 1 && info.height >= 1 && info.width <= IMAGE_MAX_SIDE &&
	    info.height <= IMAGE_MAX_SIDE && (uint64_t)info.width * info.height <= IMAGE_MAX_PIXELS;
	if (image_size_ok(&info) != ok)
		abort();

	unsigned char *longer = malloc(size + 64);
	if (longer != NULL) {
		memcpy(longer, copy, size);
		memset(longer + size, 0xff, 64);
		if (image_probe(longer, size + 64, &more) != 0 || more.type != info.type ||
		    more.width != info.width || more.height != info.height ||
		    strcmp(more.variant, info.variant) != 0)
			abort();
		free(longer);
	}
	free(copy);
	return 0;
}
