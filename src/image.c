/*
 * image.c -- telling an image by its bytes (see image.h).
 *
 * Every read is checked against len first; lengths read from the data
 * are compared with what is left before they are used.
 */
#include "config.h"

#include <string.h>

#include "image.h"

static const struct {
	const char *mime;
	const char *ext;
} types[IMAGE__MAX] = {
	[IMAGE_JPEG] = { "image/jpeg", "jpg" },
	[IMAGE_PNG] = { "image/png", "png" },
	[IMAGE_WEBP] = { "image/webp", "webp" },
	[IMAGE_GIF] = { "image/gif", "gif" },
};

/* JPEG frame markers by their low nibble (0xC0 + n); NULL: not a SOFn. */
static const char *const sof_names[16] = {
	"SOF0", "SOF1", "SOF2", "SOF3", NULL /* DHT */, "SOF5", "SOF6", "SOF7",
	NULL /* JPG */, "SOF9", "SOF10", "SOF11", NULL /* DAC */, "SOF13", "SOF14", "SOF15",
};

static uint32_t
be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | le24(p);
}

/* The CRC-32 of PNG chunks (ISO 3309), bit by bit: 17 bytes per file. */
static uint32_t
crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return c ^ 0xffffffffu;
}

/*
 * JPEG: SOI, then marker segments up to the first SOFn, whose segment
 * must be whole. Fill bytes (0xFF runs) and standalone markers are
 * skipped; SOS, EOI or a second SOI before a frame header is not a JPEG.
 */
static int
probe_jpeg(const unsigned char *d, size_t len, struct image_info *out)
{
	size_t i = 2, seg;
	unsigned char m;
	unsigned nf;

	if (len < 2 || d[0] != 0xff || d[1] != 0xd8)
		return -1;
	for (;;) {
		if (i >= len || d[i] != 0xff)
			return -1;
		while (i < len && d[i] == 0xff)
			i++;
		if (i >= len)
			return -1;
		m = d[i++];
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;	/* TEM, RSTn: no length */
		if (m == 0x00 || m == 0xd8 || m == 0xd9 || m == 0xda)
			return -1;
		if (len - i < 2 || (seg = be16(d + i)) < 2 || len - i < seg)
			return -1;
		if ((m & 0xf0) == 0xc0 && sof_names[m & 0x0f] != NULL) {
			/* length, precision, height, width, components, 3 bytes each */
			if (seg < 8 || (nf = d[i + 7]) == 0 || seg != 8 + 3 * nf)
				return -1;
			out->height = be16(d + i + 3);
			out->width = be16(d + i + 5);
			out->variant = sof_names[m & 0x0f];
			out->type = IMAGE_JPEG;
			return 0;
		}
		i += seg;
	}
}

/* PNG: signature, then IHDR first, whole, with valid fields and CRC. */
static int
probe_png(const unsigned char *d, size_t len, struct image_info *out)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned depth, color;

	if (len < 33 || memcmp(d, sig, 8) != 0 || be32(d + 8) != 13 ||
	    memcmp(d + 12, "IHDR", 4) != 0 || crc32_png(d + 12, 17) != be32(d + 29))
		return -1;
	out->width = be32(d + 16);
	out->height = be32(d + 20);
	if (out->width > 0x7fffffffu || out->height > 0x7fffffffu)
		return -1;
	depth = d[24];
	color = d[25];
	switch (color) {
	case 0:
		if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16)
			return -1;
		break;
	case 3:
		if (depth != 1 && depth != 2 && depth != 4 && depth != 8)
			return -1;
		break;
	case 2:
	case 4:
	case 6:
		if (depth != 8 && depth != 16)
			return -1;
		break;
	default:
		return -1;
	}
	if (d[26] != 0 || d[27] != 0 || d[28] > 1)
		return -1;
	out->variant = "IHDR";
	out->type = IMAGE_PNG;
	return 0;
}

/*
 * WebP: a RIFF "WEBP" file whose first chunk is VP8 (a lossy key frame),
 * VP8L (lossless) or VP8X (extended: the canvas size).
 */
static int
probe_webp(const unsigned char *d, size_t len, struct image_info *out)
{
	uint32_t csize, bits;

	if (len < 20 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
		return -1;
	csize = le32(d + 16);
	if (le32(d + 4) < 12 || le32(d + 4) - 12 < csize)
		return -1;	/* the chunk does not fit in the RIFF file */
	if (memcmp(d + 12, "VP8 ", 4) == 0) {
		/* frame tag (key frame: bit 0 clear), start code, sizes */
		if (len < 30 || csize < 10 || (d[20] & 1) != 0 ||
		    d[23] != 0x9d || d[24] != 0x01 || d[25] != 0x2a)
			return -1;
		out->width = le16(d + 26) & 0x3fff;
		out->height = le16(d + 28) & 0x3fff;
		out->variant = "VP8";
	} else if (memcmp(d + 12, "VP8L", 4) == 0) {
		/* signature, then 14 bits width-1, 14 bits height-1, alpha, version */
		if (len < 25 || csize < 5 || d[20] != 0x2f)
			return -1;
		bits = le32(d + 21);
		if (bits >> 29 != 0)
			return -1;
		out->width = (bits & 0x3fff) + 1;
		out->height = (bits >> 14 & 0x3fff) + 1;
		out->variant = "VP8L";
	} else if (memcmp(d + 12, "VP8X", 4) == 0) {
		/* flags, 3 reserved bytes, 24 bits canvas width-1, height-1 */
		if (len < 30 || csize < 10)
			return -1;
		out->width = le24(d + 24) + 1;
		out->height = le24(d + 27) + 1;
		out->variant = "VP8X";
	} else
		return -1;
	out->type = IMAGE_WEBP;
	return 0;
}

/* GIF: signature and version, then the logical screen descriptor. */
static int
probe_gif(const unsigned char *d, size_t len, struct image_info *out)
{
	if (len < 13 || memcmp(d, "GIF8", 4) != 0 || (d[4] != '7' && d[4] != '9') ||
	    d[5] != 'a')
		return -1;
	out->width = le16(d + 6);
	out->height = le16(d + 8);
	out->variant = d[4] == '7' ? "GIF87a" : "GIF89a";
	out->type = IMAGE_GIF;
	return 0;
}

int
image_probe(const void *data, size_t len, struct image_info *out)
{
	static int (*const probes[])(const unsigned char *, size_t, struct image_info *) = {
		probe_jpeg, probe_png, probe_webp, probe_gif,
	};

	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		memset(out, 0, sizeof(*out));
		if (data != NULL && probes[i](data, len, out) == 0) {
			out->mime = types[out->type].mime;
			out->ext = types[out->type].ext;
			return 0;
		}
	}
	memset(out, 0, sizeof(*out));
	return -1;
}

bool
image_size_ok(const struct image_info *info)
{
	return info->width >= 1 && info->height >= 1 && info->width <= IMAGE_MAX_SIDE &&
	    info->height <= IMAGE_MAX_SIDE &&
	    (uint64_t)info->width * info->height <= IMAGE_MAX_PIXELS;
}
