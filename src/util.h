/*
 * util.h -- growing byte buffers, randomness, time, small text helpers.
 */
#ifndef METAPIC_UTIL_H
#define METAPIC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* A growing, always NUL-terminated byte buffer. Zero-initialise to use. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
	int oom;	/* set once an append failed; later appends are no-ops */
};

/* Appends n bytes. Returns 0, or -1 (and sets b->oom) when out of memory. */
int buf_add(struct buf *b, const void *s, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Frees the storage and zeroes b; safe to call twice. */
void buf_free(struct buf *b);

/* Fills p with n bytes from the OS's random source. Returns 0 or -1. */
int util_random(void *p, size_t n);
/* Writes 2*n lowercase hex digits of n random bytes, NUL-terminated. */
int util_random_hex(char *out, size_t n);

/* Microseconds on the monotonic clock. */
int64_t util_now_us(void);

/* The value of hex digit c (either case), or -1. */
int util_hexval(char c);

/*
 * SHA-256 of the n pieces parts[i] (lens[i] bytes each) as 64 lower-case
 * hex digits and a NUL in out. Returns 0, or -1 (out empty) on failure.
 */
int util_sha256_hex(const void *const *parts, const size_t *lens, size_t n, char out[65]);

/* Standard base64 (with padding) of s; the result is malloc'd. */
char *util_base64(const void *s, size_t n);

/*
 * Parses a whole decimal integer with optional sign, no spaces, no
 * leading '+'. Returns 0 and sets *out, or -1 if s is anything else or
 * out of range.
 */
int util_parse_int64(const char *s, size_t n, int64_t *out);

/* Number of UTF-8 code points in valid UTF-8 text s of n bytes. */
size_t util_utf8_len(const char *s, size_t n);

/* 1 if s[0..n) is valid UTF-8 without NUL bytes, else 0. */
int util_utf8_valid(const char *s, size_t n);

/* Appends s to b, each invalid UTF-8 byte or NUL written as U+FFFD. */
int util_utf8_sanitize(struct buf *b, const char *s, size_t n);

#endif
