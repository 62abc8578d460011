/*
 * util.c -- buffers, randomness, time, base64, number and UTF-8 helpers.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/evp.h>

#include "util.h"

int
buf_add(struct buf *b, const void *s, size_t n)
{
	char *np;
	size_t ncap;

	if (b->oom)
		return -1;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->oom = 1;
			return -1;
		}
		b->p = np;
		b->cap = ncap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	char small[256], *big;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return buf_add(b, small, (size_t)n);
	if ((big = malloc((size_t)n + 1)) == NULL) {
		b->oom = 1;
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

int
util_random(void *p, size_t n)
{
	unsigned char *c = p;
	ssize_t got;

	while (n > 0) {
		got = getrandom(c, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += got;
		n -= (size_t)got;
	}
	return 0;
}

int
util_random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[64];

	if (n > sizeof(raw) || util_random(raw, n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

int64_t
util_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

char *
util_base64(const void *s, size_t n)
{
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *in = s;
	char *out, *o;
	size_t i;

	if ((out = malloc(4 * ((n + 2) / 3) + 1)) == NULL)
		return NULL;
	o = out;
	for (i = 0; i + 2 < n; i += 3) {
		*o++ = tbl[in[i] >> 2];
		*o++ = tbl[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		*o++ = tbl[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
		*o++ = tbl[in[i + 2] & 63];
	}
	if (i < n) {
		*o++ = tbl[in[i] >> 2];
		if (i + 1 < n) {
			*o++ = tbl[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
			*o++ = tbl[(in[i + 1] & 15) << 2];
		} else {
			*o++ = tbl[(in[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

int
util_parse_int64(const char *s, size_t n, int64_t *out)
{
	uint64_t v = 0, lim;
	size_t i = 0;
	int neg = 0;

	if (n > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (lim - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

size_t
util_utf8_len(const char *s, size_t n)
{
	size_t cps = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			cps++;
	return cps;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;	/* overlong */
		if (c == 0xED && s[1] > 0x9F)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] > 0x8F)
			return 0;
		return 4;
	}
	return 0;
}

int
util_utf8_valid(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((k = utf8_seq((const unsigned char *)s + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}


int
util_utf8_sanitize(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((k = utf8_seq((const unsigned char *)s + i, n - i)) == 0) {
			if (buf_add(b, "\xEF\xBF\xBD", 3) == -1)
				return -1;
			i++;
			continue;
		}
		if (buf_add(b, s + i, k) == -1)
			return -1;
		i += k;
	}
	return 0;
}

int
util_sha256_hex(const void *const *parts, const size_t *lens, size_t n, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int rc = -1;

	out[0] = '\0';
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (lens[i] > 0 && EVP_DigestUpdate(ctx, parts[i], lens[i]) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32)
		goto out;
	for (unsigned int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
util_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
