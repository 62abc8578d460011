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
static const char *const kinds[] = { "standard", "suggestion", NULL };

/* One nested row of an array of objects, as a campaign's costs. */
static const struct valid_field cost_fields[] = {
	{ .name = "source", .type = &valid_int, .flags = V_REQUIRED | V_MIN | V_MAX, .max = 4 },
	{ .name = "cpc", .type = &valid_money },
	{ .name = "user_revenue", .type = &valid_decimal, .scale = 6, .dmin = "0", .dmax = "1" },
};
static const struct valid_field billing_fields[] = {
	{ .name = "company_name", .type = &valid_string, .flags = V_REQUIRED | V_MAX, .max = 255 },
	{ .name = "vat_number", .type = &valid_string, .flags = V_NULLABLE | V_MAX, .max = 32 },
};

/* Every type of valid.h but `exists` (which needs the database). */
static const struct valid_field fields[] = {
	{ .name = "query", .type = &valid_string, .flags = V_MAX, .max = 64 },
	{ .name = "user_ids", .type = &valid_int_list, .max_items = 1000,
	    .required_without = "user_tag_ids" },
	{ .name = "user_tag_ids", .type = &valid_int_list, .max_items = 1000,
	    .required_without = "user_ids" },
	{ .name = "levels", .type = &valid_int_list, .max_items = 3, .in = levels },
	{ .name = "names", .type = &valid_str_list, .flags = V_MAX, .max = 10, .max_items = 5 },
	{ .name = "flag", .type = &valid_bool },
	{ .name = "created_by", .type = &valid_int, .flags = V_REQUIRED },
	{ .name = "type", .type = &valid_enum, .in = kinds },
	{ .name = "valid_from", .type = &valid_date },
	{ .name = "valid_until", .type = &valid_date, .flags = V_NULLABLE, .after = "valid_from" },
	{ .name = "starts_at", .type = &valid_datetime },
	{ .name = "payment_period", .type = &valid_month },
	{ .name = "amount", .type = &valid_money },
	{ .name = "rate", .type = &valid_decimal, .scale = 4, .dmin = "0", .dmax = "1" },
	{ .name = "email", .type = &valid_email },
	{ .name = "url", .type = &valid_url },
	{ .name = "host", .type = &valid_host },
	{ .name = "country", .type = &valid_country },
	{ .name = "currency", .type = &valid_currency },
	{ .name = "language", .type = &valid_language },
	{ .name = "billing", .type = &valid_object, VALID_NESTED(billing_fields) },
	{ .name = "traffic_sources_costs", .type = &valid_objects, VALID_NESTED(cost_fields),
	    .max_items = 5 },
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
