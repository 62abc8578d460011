/*
 * image.h -- telling an image by its bytes: JPEG, PNG, WebP and GIF,
 * never by the file's name or its declared Content-Type.
 *
 * Only the header is read (up to JPEG's first frame header, PNG's IHDR,
 * WebP's first chunk, GIF's logical screen descriptor); whether the rest
 * of the file decodes is not checked.
 */
#ifndef METAPIC_IMAGE_H
#define METAPIC_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SPEC.md "Uploads and files". */
#define IMAGE_MAX_SIDE 10000
#define IMAGE_MAX_PIXELS 40000000

enum image_type {
	IMAGE_JPEG,
	IMAGE_PNG,
	IMAGE_WEBP,
	IMAGE_GIF,
	IMAGE__MAX
};

struct image_info {
	enum image_type type;
	uint32_t width;
	uint32_t height;
	const char *mime;	/* "image/jpeg", ...; static */
	const char *ext;	/* "jpg", "png", "webp", "gif" (no dot); static */
	/*
	 * Static: JPEG's frame marker ("SOF0" baseline, "SOF2" progressive,
	 * ...), "VP8", "VP8L" or "VP8X" for WebP, "GIF87a" or "GIF89a",
	 * "IHDR" for PNG.
	 */
	const char *variant;
};

/*
 * Reads the header of data[0..len). Returns 0 and fills *out when the
 * bytes begin with a complete, well-formed header of one of the types
 * above; -1 otherwise (*out is then zeroed). The sides are as the
 * header says and may be 0 (JPEG leaves the height to a later DNL marker
 * that way; a broken PNG may say so): check image_size_ok() before
 * accepting.
 */
int image_probe(const void *data, size_t len, struct image_info *out);

/*
 * Neither side 0, none over IMAGE_MAX_SIDE pixels, and at most
 * IMAGE_MAX_PIXELS pixels in all.
 */
bool image_size_ok(const struct image_info *info);

#endif
