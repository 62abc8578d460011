/*
 * Fuzz target: reading a whole request and validating its input: the
 * path, the query string, the content type and the body, then every kind
 * of field the validator knows.
 *
 * Input: URI \n QUERY \n CONTENT-TYPE \n BODY
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "http.h"
#include "valid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fake {
	const char *names[5];
	char *values[5];
	const char *body;
	size_t len, off;
};

static const char *
fake_param(void *ctx, const char *name)
{
	struct fake *f = ctx;

	for (int i = 0; i < 5; i++)
		if (f->names[i] && strcmp(f->names[i], name) == 0)
			return f->values[i];
	return NULL;
}

static long
fake_read(void *ctx, char *buf, size_t n)
{
	struct fake *f = ctx;
	size_t left = f->len - f->off;

	if (n > left)
		n = left;
	memcpy(buf, f->body + f->off, n);
	f->off += n;
	return (long)n;
}

static int
fake_write(void *ctx, const char *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return 0;
}

static const struct sort_col cols[] = { { "id", "t.id" }, { NULL, NULL } };
static const char *const levels[] = { "0", "1", "2", NULL };
static const struct valid_field fields[] = {
	{ "query", V_STR, V_MAX, 0, 64, 0, NULL, NULL },
	{ "user_ids", V_INT_LIST, 0, 0, 0, 1000, NULL, NULL },
	{ "levels", V_INT_LIST, 0, 0, 0, 3, levels, NULL },
	{ "names", V_STR_LIST, V_MAX, 0, 10, 5, NULL, NULL },
	{ "flag", V_BOOL, 0, 0, 0, 0, NULL, NULL },
	{ "created_by", V_INT, V_REQUIRED, 0, 0, 0, NULL, NULL },
	VALID_SIZE(100),
	VALID_PAGE,
	VALID_SORT(cols),
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c = { .max_body_bytes = 65536, .max_query_params = 64,
		.max_query_bytes = 4096 };
	struct fake f = { { "REQUEST_URI", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH",
		"HTTP_HOST" }, { 0 }, NULL, 0, 0 };
	const char *p = (const char *)data, *end = p + size;
	char len[24];
	struct http_io io = { fake_read, fake_write, fake_param, &f };
	struct req r;

	for (int i = 0; i < 3; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		f.values[i] = strndup(p, n);
		p += n + (nl != NULL);
	}
	f.body = p;
	f.len = (size_t)(end - p);
	snprintf(len, sizeof(len), "%zu", f.len);
	f.values[3] = len;
	f.values[4] = (char *)"api.test";

	http_req_init(&r, &c, &io);
	if (http_read_head(&r) == API_OK && http_read_body(&r) == API_OK)
		valid_run(&r, fields, sizeof(fields) / sizeof(fields[0]));
	http_req_free(&r);
	for (int i = 0; i < 3; i++)
		free(f.values[i]);
	return 0;
}
