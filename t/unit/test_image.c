/*
 * test_image.c -- telling images by their bytes.
 *
 * Small images are written out byte by byte here (CRCs computed with
 * another implementation, zlib's); real encoder output (ImageMagick 6 with
 * libjpeg-turbo, libpng, giflib-compatible and libwebp writers) is in
 * t/data/images/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "image.h"

#define A(x) x, sizeof(x)

/* A whole 1x1 8-bit greyscale PNG: IHDR, IDAT, IEND. */
static const unsigned char png_1x1[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00,
	0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x68, 0x00, 0x00, 0x00,
	0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00, 0x00, 0x00, 0x00, 0x49,
	0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* IHDR of a 0x7 PNG, with its right CRC. */
static const unsigned char png_zero_width[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe5, 0x13, 0x76,
};

/* IHDR with a width of 2^31 (over PNG's limit), right CRC. */
static const unsigned char png_too_wide[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x75, 0xd6, 0xd5, 0x7c,
};

/* IHDR of a palette image with 16-bit depth (not allowed), right CRC. */
static const unsigned char png_bad_depth[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x10, 0x03, 0x00, 0x00, 0x00, 0x78, 0x5b, 0xe8, 0xf8,
};

/* The 1x1 PNG's IHDR with its CRC's last byte changed. */
static const unsigned char png_bad_crc[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x56,
};

/* PNG signature, then a chunk other than IHDR. */
static const unsigned char png_no_ihdr[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x45, 0x4e, 0x44, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55,
};

/* A whole 1x1 GIF89a: screen, 2-colour table, image, LZW data, trailer. */
static const unsigned char gif_1x1[] = {
	'G', 'I', 'F', '8', '9', 'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
	0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
};

static const unsigned char gif87_300x200[] = {
	'G', 'I', 'F', '8', '7', 'a', 0x2c, 0x01, 0xc8, 0x00, 0x00, 0x00, 0x00,
};

static const unsigned char gif88[] = {
	'G', 'I', 'F', '8', '8', 'a', 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
};

/* SOI, APP0 JFIF, SOF0 of a 3x2 YCbCr frame, EOI. */
static const unsigned char jpeg_sof0[] = {
	0xff, 0xd8,
	0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
	0x00, 0x01, 0x00, 0x00,
	0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03,
	0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
	0xff, 0xd9,
};

/* SOF0 claiming 20000 wide and 10 high. */
static const unsigned char jpeg_20000x10[] = {
	0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x0a, 0x4e, 0x20, 0x01, 0x01, 0x11, 0x00,
};

/* Fill bytes, DHT, RST0, DAC, then SOF2 (progressive) of 512x256. */
static const unsigned char jpeg_sof2_fill[] = {
	0xff, 0xd8, 0xff, 0xff, 0xff, 0xc4, 0x00, 0x04, 0xaa, 0xbb, 0xff, 0xd0,
	0xff, 0xcc, 0x00, 0x04, 0x00, 0x00,
	0xff, 0xc2, 0x00, 0x0b, 0x08, 0x01, 0x00, 0x02, 0x00, 0x01, 0x01, 0x11, 0x00,
};

/* SOF15 (lossless, arithmetic), height 0 (defined later by DNL). */
static const unsigned char jpeg_sof15_dnl[] = {
	0xff, 0xd8, 0xff, 0xcf, 0x00, 0x0b, 0x08, 0x00, 0x00, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00,
};

static const unsigned char jpeg_sos_first[] = {
	0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00,
};

static const unsigned char jpeg_eoi_first[] = { 0xff, 0xd8, 0xff, 0xd9 };

/* 0xC8 (JPG), 0xC4 (DHT) and 0xCC (DAC) are not frame headers. */
static const unsigned char jpeg_c8_only[] = {
	0xff, 0xd8, 0xff, 0xc8, 0x00, 0x0b, 0x08, 0x00, 0x0a, 0x00, 0x0a, 0x01, 0x01, 0x11, 0x00,
};

static const unsigned char jpeg_sof_bad_length[] = {
	0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0c, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0x00,
};

static const unsigned char jpeg_sof_no_components[] = {
	0xff, 0xd8, 0xff, 0xc0, 0x00, 0x08, 0x08, 0x00, 0x01, 0x00, 0x01, 0x00,
};

static const unsigned char jpeg_short_segment[] = {
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00,
	0x01, 0x01, 0x11, 0x00,
};

/* APP0 says 0x20 bytes; the data ends before. */
static const unsigned char jpeg_segment_past_end[] = {
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x20, 'J', 'F', 'I', 'F', 0x00,
};

static const unsigned char jpeg_junk_between[] = {
	0xff, 0xd8, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x11, 0x00,
};

static const unsigned char jpeg_ff00[] = { 0xff, 0xd8, 0xff, 0x00, 0x00, 0x00 };

/* VP8 key frame 320x240 (the two scale bits of the width set: ignored). */
static const unsigned char webp_vp8[] = {
	'R', 'I', 'F', 'F', 0x16, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'V', 'P', '8', ' ', 0x0a, 0x00, 0x00, 0x00,
	0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x41, 0xf0, 0x00,
};

/* The same, but an interframe. */
static const unsigned char webp_vp8_interframe[] = {
	'R', 'I', 'F', 'F', 0x16, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'V', 'P', '8', ' ', 0x0a, 0x00, 0x00, 0x00,
	0x11, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00,
};

static const unsigned char webp_vp8_bad_start[] = {
	'R', 'I', 'F', 'F', 0x16, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'V', 'P', '8', ' ', 0x0a, 0x00, 0x00, 0x00,
	0x10, 0x02, 0x00, 0x9d, 0x01, 0x2b, 0x40, 0x01, 0xf0, 0x00,
};

/* VP8L 100x50: 14 bits width-1 (99), 14 bits height-1 (49), version 0. */
static const unsigned char webp_vp8l[] = {
	'R', 'I', 'F', 'F', 0x11, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'L', 0x05, 0x00, 0x00, 0x00,
	0x2f, 0x63, 0x40, 0x0c, 0x00,
};

static const unsigned char webp_vp8l_version1[] = {
	'R', 'I', 'F', 'F', 0x11, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'L', 0x05, 0x00, 0x00, 0x00,
	0x2f, 0x63, 0x40, 0x0c, 0x20,
};

/* VP8X canvas 10000x4000: exactly 40 megapixels. */
static const unsigned char webp_vp8x[] = {
	'R', 'I', 'F', 'F', 0x16, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'X', 0x0a, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x0f, 0x27, 0x00, 0x9f, 0x0f, 0x00,
};

/* The VP8X chunk is bigger than the RIFF file that holds it. */
static const unsigned char webp_chunk_past_riff[] = {
	'R', 'I', 'F', 'F', 0x0c, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'V', 'P', '8', 'X', 0x0a, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x0f, 0x27, 0x00, 0x9f, 0x0f, 0x00,
};

static const unsigned char webp_alph_first[] = {
	'R', 'I', 'F', 'F', 0x16, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
	'A', 'L', 'P', 'H', 0x0a, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x0f, 0x27, 0x00, 0x9f, 0x0f, 0x00,
};

static const unsigned char riff_wave[] = {
	'R', 'I', 'F', 'F', 0x16, 0x00, 0x00, 0x00, 'W', 'A', 'V', 'E',
	'f', 'm', 't', ' ', 0x0a, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x0f, 0x27, 0x00, 0x9f, 0x0f, 0x00,
};

static const unsigned char text[] = "Hello, this is not an image.\n";
static const unsigned char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>";

/*
 * Each valid case: its bytes, what it is, and hdr, the length of its
 * header: every shorter prefix must be refused.
 */
static const struct {
	const char *label;
	const unsigned char *data;
	size_t len;
	enum image_type type;
	const char *variant;
	uint32_t w, h;
	size_t hdr;
	bool size_ok;
} good[] = {
	{ "1x1 PNG", A(png_1x1), IMAGE_PNG, "IHDR", 1, 1, 33, true },
	{ "PNG 0 wide", A(png_zero_width), IMAGE_PNG, "IHDR", 0, 7, 33, false },
	{ "1x1 GIF89a", A(gif_1x1), IMAGE_GIF, "GIF89a", 1, 1, 13, true },
	{ "300x200 GIF87a", A(gif87_300x200), IMAGE_GIF, "GIF87a", 300, 200, 13, true },
	{ "JFIF SOF0 3x2", A(jpeg_sof0), IMAGE_JPEG, "SOF0", 3, 2, 39, true },
	{ "JPEG 20000x10", A(jpeg_20000x10), IMAGE_JPEG, "SOF0", 20000, 10, 15, false },
	{ "JPEG fill bytes and SOF2", A(jpeg_sof2_fill), IMAGE_JPEG, "SOF2", 512, 256, 31, true },
	{ "JPEG SOF15 height by DNL", A(jpeg_sof15_dnl), IMAGE_JPEG, "SOF15", 16, 0, 15, false },
	{ "WebP VP8 320x240", A(webp_vp8), IMAGE_WEBP, "VP8", 320, 240, 30, true },
	{ "WebP VP8L 100x50", A(webp_vp8l), IMAGE_WEBP, "VP8L", 100, 50, 25, true },
	{ "WebP VP8X 10000x4000", A(webp_vp8x), IMAGE_WEBP, "VP8X", 10000, 4000, 30, true },
};

static const struct {
	const char *label;
	const unsigned char *data;
	size_t len;
} bad[] = {
	{ "text", text, sizeof(text) - 1 },
	{ "SVG", svg, sizeof(svg) - 1 },
	{ "PNG over 2^31 wide", A(png_too_wide) },
	{ "PNG palette at 16 bits", A(png_bad_depth) },
	{ "PNG bad IHDR CRC", A(png_bad_crc) },
	{ "PNG without IHDR first", A(png_no_ihdr) },
	{ "GIF88a", A(gif88) },
	{ "JPEG SOS before a frame", A(jpeg_sos_first) },
	{ "JPEG EOI before a frame", A(jpeg_eoi_first) },
	{ "JPEG JPG marker is no frame", A(jpeg_c8_only) },
	{ "JPEG SOF length != 8 + 3n", A(jpeg_sof_bad_length) },
	{ "JPEG SOF without components", A(jpeg_sof_no_components) },
	{ "JPEG segment length 1", A(jpeg_short_segment) },
	{ "JPEG segment past the end", A(jpeg_segment_past_end) },
	{ "JPEG junk between segments", A(jpeg_junk_between) },
	{ "JPEG FF 00 as a marker", A(jpeg_ff00) },
	{ "WebP VP8 interframe", A(webp_vp8_interframe) },
	{ "WebP VP8 bad start code", A(webp_vp8_bad_start) },
	{ "WebP VP8L version 1", A(webp_vp8l_version1) },
	{ "WebP chunk past the RIFF", A(webp_chunk_past_riff) },
	{ "WebP ALPH first", A(webp_alph_first) },
	{ "RIFF WAVE", A(riff_wave) },
};

static const char *const mimes[IMAGE__MAX] = { "image/jpeg", "image/png", "image/webp", "image/gif" };
static const char *const exts[IMAGE__MAX] = { "jpg", "png", "webp", "gif" };

/* Probes a malloc'd copy of exactly n bytes, so that overreads show. */
static int
probe_copy(const unsigned char *data, size_t n, struct image_info *out)
{
	unsigned char *copy = malloc(n ? n : 1);
	int rc;

	cr_assert_not_null(copy);
	memcpy(copy, data, n);
	rc = image_probe(copy, n, out);
	free(copy);
	return rc;
}

static void
check_good(const char *label, const unsigned char *data, size_t len, enum image_type type,
    const char *variant, uint32_t w, uint32_t h, size_t hdr)
{
	struct image_info info;

	cr_assert_eq(probe_copy(data, len, &info), 0, "%s", label);
	cr_expect_eq(info.type, type, "%s: type", label);
	cr_expect_eq(info.width, w, "%s: width %u", label, info.width);
	cr_expect_eq(info.height, h, "%s: height %u", label, info.height);
	cr_expect_str_eq(info.mime, mimes[type], "%s: mime", label);
	cr_expect_str_eq(info.ext, exts[type], "%s: ext", label);
	cr_expect_str_eq(info.variant, variant, "%s: variant", label);
	/* Every prefix from the header's length on is enough; none shorter. */
	for (size_t n = 0; n <= len; n++) {
		int rc = probe_copy(data, n, &info);
		cr_expect_eq(rc, n >= hdr ? 0 : -1, "%s: prefix of %zu bytes: %d", label, n, rc);
		if (rc == 0)
			cr_expect(info.type == type && info.width == w && info.height == h,
			    "%s: prefix of %zu bytes", label, n);
		else
			cr_expect(info.mime == NULL && info.width == 0, "%s: not zeroed", label);
	}
}

Test(image, good_table)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct image_info info;

		check_good(good[i].label, good[i].data, good[i].len, good[i].type, good[i].variant,
		    good[i].w, good[i].h, good[i].hdr);
		cr_assert_eq(image_probe(good[i].data, good[i].len, &info), 0);
		cr_expect_eq(image_size_ok(&info), good[i].size_ok, "%s: size_ok", good[i].label);
	}
}

Test(image, bad_table)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct image_info info;

		cr_expect_eq(probe_copy(bad[i].data, bad[i].len, &info), -1, "%s", bad[i].label);
		cr_expect(info.mime == NULL && info.ext == NULL && info.width == 0 &&
		    info.height == 0, "%s: not zeroed", bad[i].label);
	}
}

Test(image, null_and_empty)
{
	struct image_info info;

	cr_expect_eq(image_probe(NULL, 0, &info), -1);
	cr_expect_eq(image_probe("", 0, &info), -1);
}

/* Real encoder output, read from t/data/images/. */
static const struct {
	const char *file;
	enum image_type type;
	const char *variant;
	uint32_t w, h;
	size_t hdr;
} fixtures[] = {
	{ "red-3x2.png", IMAGE_PNG, "IHDR", 3, 2, 33 },
	{ "gradient-5x4.jpg", IMAGE_JPEG, "SOF0", 5, 4, 177 },
	{ "progressive-7x3.jpg", IMAGE_JPEG, "SOF2", 7, 3, 102 },
	{ "green-4x3.gif", IMAGE_GIF, "GIF89a", 4, 3, 13 },
	{ "green87-4x3.gif", IMAGE_GIF, "GIF87a", 4, 3, 13 },
	{ "lossy-6x5.webp", IMAGE_WEBP, "VP8", 6, 5, 30 },
	{ "lossless-9x8.webp", IMAGE_WEBP, "VP8L", 9, 8, 25 },
	{ "alpha-11x10.webp", IMAGE_WEBP, "VP8X", 11, 10, 30 },
};

/*
 * The source tree: $top_srcdir as `make check` sets it, else found from
 * this file's compiled-in path (relative to the build directory).
 */
static void
source_dir(char *out, size_t n)
{
	const char *top = getenv("top_srcdir"), *suffix = "t/unit/test_image.c";
	size_t flen = strlen(__FILE__), slen = strlen(suffix);

	if (top != NULL)
		snprintf(out, n, "%s", top);
	else if (flen > slen && strcmp(__FILE__ + flen - slen, suffix) == 0)
		snprintf(out, n, "%.*s", (int)(flen - slen), __FILE__);
	else
		snprintf(out, n, ".");
}

Test(image, fixtures)
{
	char top[512];

	source_dir(top, sizeof(top));
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		unsigned char data[2048];
		char path[1024];
		size_t len;
		FILE *f;

		snprintf(path, sizeof(path), "%s/t/data/images/%s", top, fixtures[i].file);
		cr_assert_not_null(f = fopen(path, "rb"), "%s (set top_srcdir)", path);
		len = fread(data, 1, sizeof(data), f);
		cr_assert(feof(f) && !ferror(f), "%s: read, or over 2 KB", path);
		fclose(f);
		check_good(fixtures[i].file, data, len, fixtures[i].type, fixtures[i].variant,
		    fixtures[i].w, fixtures[i].h, fixtures[i].hdr);
	}
}

static const struct {
	uint32_t w, h;
	bool ok;
} sizes[] = {
	{ 1, 1, true },
	{ 10000, 4000, true },
	{ 4000, 10000, true },
	{ 6324, 6324, true },	/* 39,992,976 pixels */
	{ 6325, 6325, false },	/* 40,005,625 */
	{ 10000, 4001, false },
	{ 10001, 1, false },
	{ 1, 10001, false },
	{ 10000, 1, true },
	{ 0, 5, false },
	{ 5, 0, false },
	{ 0, 0, false },
	{ 0xffffffffu, 0xffffffffu, false },
	{ 65536, 65536, false },	/* 2^32: would wrap a 32-bit product */
};

Test(image, size_limits)
{
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct image_info info = { .width = sizes[i].w, .height = sizes[i].h };

		cr_expect_eq(image_size_ok(&info), sizes[i].ok, "%ux%u", sizes[i].w, sizes[i].h);
	}
}
