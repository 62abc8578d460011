/*
 * http.c -- reading a request and writing its response.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "http.h"
#include "log.h"
#include "query.h"
#include "router.h"
#include "util.h"
#include "valid.h"

const struct http_error http_errors[API_ERR__MAX] = {
	[API_OK] = { 200, "OK" },
	[API_BAD_JSON] = { 400, "Malformed JSON body." },
	[API_UNAUTHENTICATED] = { 401, "Unauthenticated." },
	[API_FORBIDDEN] = { 403, "This action is unauthorized." },
	[API_NOT_FOUND] = { 404, "Not found." },
	[API_METHOD] = { 405, "Method not allowed." },
	[API_CONFLICT] = { 409, "A request with this idempotency key is in progress." },
	[API_TOO_LARGE] = { 413, "Payload too large." },
	[API_VALIDATION] = { 422, "The given data was invalid." },
	[API_RATE_LIMITED] = { 429, "Too Many Attempts." },
	[API_SERVER] = { 500, "Server Error" },
	[API_NOT_IMPLEMENTED] = { 501, "Not implemented." },
	[API_UNAVAILABLE] = { 503, "Service Unavailable" },
};

const char *const http_method_names[HTTP_METHOD__MAX] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER",
};

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 304: return "Not Modified";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void
http_req_init(struct req *r, const struct conf *c, const struct http_io *io)
{
	memset(r, 0, sizeof(*r));
	r->conf = c;
	r->io = *io;
	r->started_us = util_now_us();
	r->rl_limit = -1;
	r->method = HTTP_OTHER;
}

void
http_req_free(struct req *r)
{
	free(r->path);
	r->path = NULL;
	free(r->scheme_host);
	r->scheme_host = NULL;
	json_object_put(r->query);
	r->query = NULL;
	buf_free(&r->link_base);
	json_object_put(r->input);
	r->input = NULL;
	free(r->body);
	r->body = NULL;
	for (int i = 0; i < HTTP_MAX_PATH_PARAMS; i++) {
		free(r->path_params[i]);
		r->path_params[i] = NULL;
	}
	free(r->caller.stores);
	r->caller.stores = NULL;
	valid_free(r->vals, r->nvals);
	r->vals = NULL;
	json_object_put(r->verrors);
	r->verrors = NULL;
	json_object_put(r->body_json);
	r->body_json = NULL;
	http_clear_file(r);
	buf_free(&r->headers);
}

static const char *
param(struct req *r, const char *name)
{
	return r->io.param(r->io.ctx, name);
}

static bool
id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' &&
		    s[i] != '.')
			return false;
	return true;
}

static bool
host_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 255)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr(".-:[]", s[i]) == NULL)
			return false;
	return true;
}

/*
 * Decodes and normalises the path: percent-escapes decoded, repeated
 * slashes merged, a trailing slash dropped. "." and ".." segments and
 * encoded slashes are refused: no route has them.
 */
static enum api_err
set_path(struct req *r, const char *raw, size_t n)
{
	struct buf dec = { 0 }, out = { 0 };
	const char *seg, *end, *slash;
	size_t slen;

	for (size_t i = 0; i + 2 < n; i++)
		if (raw[i] == '%' && raw[i + 1] == '2' && (raw[i + 2] == 'f' ||
		    raw[i + 2] == 'F'))
			return API_NOT_FOUND;
	if (query_decode(&dec, raw, n, 0) == -1)
		return API_SERVER;
	if (dec.len == 0 || dec.p[0] != '/') {
		buf_free(&dec);
		return API_NOT_FOUND;
	}
	end = dec.p + dec.len;
	for (seg = dec.p; seg < end; seg = slash + 1) {
		while (seg < end && *seg == '/')
			seg++;
		if (seg >= end)
			break;
		slash = memchr(seg, '/', (size_t)(end - seg));
		if (slash == NULL)
			slash = end;
		slen = (size_t)(slash - seg);
		for (size_t i = 0; i < slen; i++)
			if ((unsigned char)seg[i] < 0x20 || seg[i] == 0x7f) {
				/* No route has control characters; logs never get them. */
				buf_free(&dec);
				buf_free(&out);
				return API_NOT_FOUND;
			}
		if ((slen == 1 && seg[0] == '.') ||
		    (slen == 2 && seg[0] == '.' && seg[1] == '.') ||
		    memchr(seg, '\\', slen) != NULL) {
			buf_free(&dec);
			buf_free(&out);
			return API_NOT_FOUND;
		}
		buf_addc(&out, '/');
		buf_add(&out, seg, slen);
	}
	if (out.len == 0)
		buf_addc(&out, '/');
	buf_free(&dec);
	if (out.oom) {
		buf_free(&out);
		return API_SERVER;
	}
	r->path = out.p;
	return API_OK;
}

static bool
is_trim_char(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

/* Trims the JSON string v in place; returns true when nothing is left. */
static bool
trim_string(struct json_object *v)
{
	const char *s = json_object_get_string(v), *b, *e;
	size_t n = (size_t)json_object_get_string_len(v);
	char *t;

	for (b = s; b < s + n && is_trim_char(*b); b++)
		continue;
	for (e = s + n; e > b && is_trim_char(e[-1]); e--)
		continue;
	if (e == b)
		return true;
	if ((b != s || e != s + n) && (t = strndup(b, (size_t)(e - b))) != NULL) {
		json_object_set_string_len(v, t, (int)(e - b));
		free(t);
	}
	return false;
}

/* TrimStrings and ConvertEmptyStringsToNull, as Laravel's middleware. */
static void
normalise(struct json_object *j)
{
	struct json_object *v;
	size_t n;

	if (json_object_is_type(j, json_type_object)) {
		json_object_object_foreach(j, k, ov) {
			if (json_object_is_type(ov, json_type_string) && trim_string(ov))
				json_object_object_add(j, k, NULL);
			else
				normalise(ov);
		}
	} else if (json_object_is_type(j, json_type_array)) {
		n = json_object_array_length(j);
		for (size_t i = 0; i < n; i++) {
			v = json_object_array_get_idx(j, i);
			if (json_object_is_type(v, json_type_string) && trim_string(v))
				json_object_array_put_idx(j, i, NULL);
			else
				normalise(v);
		}
	}
}

enum api_err
http_read_head(struct req *r)
{
	const char *m, *uri, *q, *rid, *host, *https, *scheme;
	struct buf sh = { 0 };
	enum api_err e;
	size_t qlen;
	int rc;

	m = param(r, "REQUEST_METHOD");
	if (m == NULL)
		m = "GET";
	snprintf(r->method_name, sizeof(r->method_name), "%s", m);
	for (int i = 0; i < HTTP_OTHER; i++)
		if (strcmp(m, http_method_names[i]) == 0)
			r->method = (enum http_method)i;

	/*
	 * Our id is nginx's $request_id (REQUEST_ID) or one made here, never
	 * the client's X-Request-Id: anyone can send any value there, another
	 * request's id included. A client's id that is safe to print is
	 * logged beside ours, for tracing.
	 */
	rid = param(r, "REQUEST_ID");
	if (rid != NULL && id_ok(rid))
		snprintf(r->id, sizeof(r->id), "%s", rid);
	else if (util_random_hex(r->id, 16) == -1)
		snprintf(r->id, sizeof(r->id), "%lld", (long long)r->started_us);
	if ((rid = param(r, "HTTP_X_REQUEST_ID")) != NULL && id_ok(rid))
		log_info("rid=%s client_request_id=%s", r->id, rid);

	if (r->conf->base_url != NULL && *r->conf->base_url)
		buf_adds(&sh, r->conf->base_url);
	else {
		https = param(r, "HTTPS");
		scheme = param(r, "REQUEST_SCHEME");
		buf_adds(&sh, (https && strcasecmp(https, "on") == 0) ||
		    (scheme && strcmp(scheme, "https") == 0) ? "https://" : "http://");
		host = param(r, "HTTP_HOST");
		if (host == NULL || !host_ok(host))
			host = param(r, "SERVER_NAME");
		buf_adds(&sh, host != NULL && host_ok(host) ? host : "localhost");
	}
	if (sh.oom)
		return API_SERVER;
	r->scheme_host = sh.p;

	uri = param(r, "REQUEST_URI");
	if (uri != NULL && *uri) {
		q = strchr(uri, '?');
		e = set_path(r, uri, q ? (size_t)(q - uri) : strlen(uri));
	} else {
		struct buf p = { 0 };
		buf_adds(&p, param(r, "SCRIPT_NAME") ? param(r, "SCRIPT_NAME") : "");
		buf_adds(&p, param(r, "PATH_INFO") ? param(r, "PATH_INFO") : "");
		e = p.oom ? API_SERVER : set_path(r, p.p ? p.p : "/", p.len);
		buf_free(&p);
	}
	if (e != API_OK)
		return e;

	q = param(r, "QUERY_STRING");
	if (q == NULL)
		q = "";
	qlen = strlen(q);
	if ((long)qlen > r->conf->max_query_bytes)
		return API_TOO_LARGE;
	rc = query_parse(q, qlen, r->conf->max_query_params, &r->query);
	if (rc == -1)
		return API_TOO_LARGE;
	if (rc != 0)
		return API_SERVER;
	normalise(r->query);
	return API_OK;
}

/*
 * json-c 0.16 accepts some non-JSON even in strict mode (single-quoted
 * strings, NaN, Infinity): outside strings, only JSON's own characters
 * may appear.
 */
static bool
json_chars_ok(const char *s, size_t n)
{
	bool in_str = false, esc = false;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"')
			in_str = true;
		else if (strchr(" \t\r\n{}[]:,-+.0123456789eEtrufalsn", c) == NULL || c == '\0')
			return false;
	}
	return true;
}

/* No NaN or infinities anywhere: they cannot be written back as JSON. */
static bool
json_finite(struct json_object *j)
{
	switch (json_object_get_type(j)) {
	case json_type_double:
		return isfinite(json_object_get_double(j));
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(j); i++)
			if (!json_finite(json_object_array_get_idx(j, i)))
				return false;
		return true;
	case json_type_object: {
		json_object_object_foreach(j, k, v) {
			(void)k;
			if (!json_finite(v))
				return false;
		}
		return true;
	}
	default:
		return true;
	}
}

int
http_parse_json(const char *s, size_t n, int max_depth, struct json_object **out)
{
	struct json_tokener *tok;
	struct json_object *j;
	enum json_tokener_error err;
	size_t end = n;
	int rc = 0;

	*out = NULL;
	if (n > 0x7fffffff || !json_chars_ok(s, n) ||
	    (tok = json_tokener_new_ex(max_depth)) == NULL)
		return -1;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	j = json_tokener_parse_ex(tok, s, (int)n);
	err = json_tokener_get_error(tok);
	if (err == json_tokener_continue) {
		/* A top-level number or literal ends only at a terminator. */
		j = json_tokener_parse_ex(tok, "", 1);
		err = json_tokener_get_error(tok);
	} else
		end = json_tokener_get_parse_end(tok);
	if (err != json_tokener_success)
		rc = -1;	/* invalid, too deep, or truncated */
	for (; rc == 0 && end < n; end++)
		if (strchr(" \t\r\n", s[end]) == NULL || s[end] == '\0')
			rc = -1;	/* something after the document */
	if (rc == 0 && !json_finite(j))
		rc = -1;
	json_tokener_free(tok);
	if (rc == -1)
		json_object_put(j);
	else
		*out = j;
	return rc;
}

static bool
is_json_type(const char *ct)
{
	const char *semi;
	size_t n;

	if (ct == NULL)
		return false;
	semi = strchr(ct, ';');
	n = semi ? (size_t)(semi - ct) : strlen(ct);
	while (n > 0 && ct[n - 1] == ' ')
		n--;
	/* Laravel's isJson(): the type contains "/json" or "+json". */
	for (size_t i = 0; i + 5 <= n; i++)
		if ((ct[i] == '/' || ct[i] == '+') && strncasecmp(ct + i + 1, "json", 4) == 0)
			return true;
	return false;
}

long
http_body_limit(const struct req *r)
{
	if (r->route != NULL && r->route->h != NULL && (r->route->h->flags & H_UPLOAD))
		return r->conf->max_upload_bytes;
	return r->conf->max_body_bytes;
}

enum api_err
http_read_body(struct req *r)
{
	const char *cl, *ct;
	int64_t len = 0;
	long got;
	size_t have = 0;
	struct json_object *body = NULL;

	r->input = json_object_new_object();
	if (r->input == NULL)
		return API_SERVER;
	json_object_object_foreach(r->query, qk, qv)
	    json_object_object_add(r->input, qk, json_object_get(qv));

	cl = param(r, "CONTENT_LENGTH");
	if (cl != NULL && *cl != '\0' && util_parse_int64(cl, strlen(cl), &len) == -1)
		return API_BAD_JSON;
	if (len < 0)
		return API_BAD_JSON;
	if (len > http_body_limit(r))
		return API_TOO_LARGE;
	if (len == 0)
		return API_OK;
	if ((r->body = malloc((size_t)len + 1)) == NULL)
		return API_SERVER;
	while (have < (size_t)len) {
		got = r->io.read(r->io.ctx, r->body + have, (size_t)len - have);
		if (got <= 0)
			break;
		have += (size_t)got;
	}
	r->body[have] = '\0';
	r->body_len = have;

	ct = param(r, "CONTENT_TYPE");
	if (is_json_type(ct)) {
		if (have < (size_t)len)
			return API_BAD_JSON;	/* truncated */
		if (http_parse_json(r->body, have, HTTP_JSON_MAX_DEPTH, &body) == -1)
			return API_BAD_JSON;
	} else if (ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
		int rc = query_parse(r->body, have, r->conf->max_query_params, &body);
		if (rc != 0)
			return rc == -1 ? API_TOO_LARGE : API_SERVER;
	}
	if (body == NULL)
		return API_OK;
	/* Only an object has keys to merge; other documents add no input. */
	if (json_object_is_type(body, json_type_object)) {
		normalise(body);
		json_object_object_foreach(body, bk, bv)
		    json_object_object_add(r->input, bk, json_object_get(bv));
	}
	json_object_put(body);
	return API_OK;
}

int
http_add_header(struct req *r, const char *name, const char *fmt, ...)
{
	char *val = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vasprintf(&val, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	/* Header values never carry line breaks. */
	val[strcspn(val, "\r\n")] = '\0';
	rc = buf_addf(&r->headers, "%s: %s\r\n", name, val);
	free(val);
	return rc;
}

void
http_validation_error(struct req *r, const char *field, const char *fmt, ...)
{
	char msg[512];
	struct json_object *list;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->verrors == NULL && (r->verrors = json_object_new_object()) == NULL)
		return;
	if (!json_object_object_get_ex(r->verrors, field, &list)) {
		if ((list = json_object_new_array()) == NULL)
			return;
		json_object_object_add(r->verrors, field, list);
	}
	json_object_array_add(list, json_object_new_string(msg));
}

void
http_set_json(struct req *r, int status, struct json_object *body)
{
	json_object_put(r->body_json);
	r->body_json = body;
	r->status = status ? status : 200;
}

const char *
http_json_text(struct json_object *j, size_t *len)
{
	return json_object_to_json_string_length(j,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

/* The documented error body for err (422 builds Laravel's message). */
static struct json_object *
error_body(struct req *r, enum api_err err)
{
	struct json_object *b, *first = NULL;
	const char *msg;
	int total = 0;

	if ((b = json_object_new_object()) == NULL)
		return NULL;
	if (err == API_VALIDATION && r->verrors != NULL) {
		json_object_object_foreach(r->verrors, k, list) {
			(void)k;	/* only the messages count */
			if (first == NULL)
				first = json_object_array_get_idx(list, 0);
			total += (int)json_object_array_length(list);
		}
		msg = first ? json_object_get_string(first) : http_errors[err].message;
		if (total > 1) {
			char full[640];
			snprintf(full, sizeof(full), "%s (and %d more error%s)", msg,
			    total - 1, total - 1 == 1 ? "" : "s");
			json_object_object_add(b, "message", json_object_new_string(full));
		} else
			json_object_object_add(b, "message", json_object_new_string(msg));
		json_object_object_add(b, "errors", json_object_get(r->verrors));
		return b;
	}
	json_object_object_add(b, "message", json_object_new_string(http_errors[err].message));
	return b;
}

/*
 * True when the If-None-Match value holds etag ("*", or a list of entity
 * tags, weak ones compared by their opaque part as RFC 9110 says).
 */
static bool
etag_matches(const char *inm, const char *etag)
{
	size_t elen = strlen(etag);
	const char *p = inm, *end;

	if (inm == NULL)
		return false;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return false;
		if ((end = strchr(p + 1, '"')) == NULL)
			return false;
		if ((size_t)(end + 1 - p) == elen && memcmp(p, etag, elen) == 0)
			return true;
		p = end + 1;
	}
	return false;
}

/* A strong ETag from the body: the first 128 bits of its SHA-256. */
static int
body_etag(const char *text, size_t len, char out[36])
{
	char hex[65];
	const void *parts[1] = { text };
	size_t lens[1] = { len };

	if (util_sha256_hex(parts, lens, 1, hex) == -1)
		return -1;
	snprintf(out, 36, "\"%.32s\"", hex);
	return 0;
}

/* A file's ETag: its path, size and modification time, hashed. */
static int
file_etag(const struct req *r, char out[36])
{
	char id[64], hex[65];
	const void *parts[2] = { r->file.path, id };
	size_t lens[2];

	snprintf(id, sizeof(id), "\n%lld\n%lld", (long long)r->file.size,
	    (long long)r->file.mtime);
	lens[0] = strlen(r->file.path);
	lens[1] = strlen(id);
	if (util_sha256_hex(parts, lens, 2, hex) == -1)
		return -1;
	snprintf(out, 36, "\"%.32s\"", hex);
	return 0;
}

/*
 * The Content-Disposition of a download named name (RFC 6266): a quoted
 * ASCII fallback, and filename* (RFC 8187) when the name is not ASCII.
 */
static void
add_disposition(struct buf *out, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	bool ascii = true;

	buf_adds(out, "Content-Disposition: attachment; filename=\"");
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if (*c >= 0x80)
			ascii = false;
		/* No quotes, escapes, separators or controls in the fallback. */
		buf_addc(out, *c < 0x20 || *c >= 0x7f || *c == '"' || *c == '\\' ||
		    *c == '/' || *c == ';' || *c == '%' ? '_' : (char)*c);
	}
	buf_addc(out, '"');
	if (!ascii) {
		buf_adds(out, "; filename*=UTF-8''");
		for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
			if (isalnum(*c) || strchr("!#$&+-.^_`|~", *c) != NULL)
				buf_addc(out, (char)*c);
			else {
				buf_addc(out, '%');
				buf_addc(out, hex[*c >> 4]);
				buf_addc(out, hex[*c & 0xf]);
			}
		}
	}
	buf_adds(out, "\r\n");
}

/*
 * The path of the file as nginx's internal location names it, when the
 * file lies under export_dir and accel_redirect is set; else NULL.
 */
static const char *
accel_path(const struct req *r)
{
	const char *dir = r->conf->export_dir, *p = r->file.path;
	size_t n;

	if (r->conf->accel_redirect == NULL || !*r->conf->accel_redirect || dir == NULL)
		return NULL;
	n = strlen(dir);
	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (strncmp(p, dir, n) != 0 || p[n] != '/')
		return NULL;
	return p + n + 1;
}

/* Streams the file after the head, in constant memory. */
static int
send_file(struct req *r, int fd)
{
	char chunk[65536];
	ssize_t got;
	int64_t left = r->file.size;

	while (left > 0) {
		got = read(fd, chunk, sizeof(chunk));
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;	/* the file shrank: the answer is cut */
		if (got > left)
			got = (ssize_t)left;
		if (r->io.write(r->io.ctx, chunk, (size_t)got) == -1)
			return -1;
		left -= got;
	}
	return 0;
}

int
http_respond(struct req *r, enum api_err err)
{
	struct buf out = { 0 };
	const char *text = NULL, *accel = NULL;
	size_t tlen = 0;
	int status, fd = -1;
	char etag[36];
	bool body = true;

	if (r->responded)
		return r->status;
	if (err != API_OK) {
		status = http_errors[err].status;
		json_object_put(r->body_json);
		r->body_json = error_body(r, err);
		http_clear_file(r);
	} else
		status = r->status ? r->status : 200;
	if (r->file.path != NULL && (accel = accel_path(r)) == NULL &&
	    (fd = open(r->file.path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_error("rid=%s cannot open %s: %s", r->id, r->file.path, strerror(errno));
		http_clear_file(r);
		json_object_put(r->body_json);
		r->body_json = error_body(r, API_SERVER);
		status = 500;
	}
	r->status = status;
	r->responded = true;

	if (r->file.path == NULL && r->body_json != NULL && status != 204) {
		text = http_json_text(r->body_json, &tlen);
		r->body_bytes = tlen;
	}
	etag[0] = '\0';
	if (status == 200 && (r->method == HTTP_GET || r->method == HTTP_HEAD) &&
	    (text != NULL || fd != -1) &&
	    (text != NULL ? body_etag(text, tlen, etag) : file_etag(r, etag)) == 0 &&
	    etag_matches(param(r, "HTTP_IF_NONE_MATCH"), etag)) {
		/* Behind nginx (accel) its static module does this for files. */
		status = r->status = 304;
		text = NULL;
		if (fd != -1) {
			close(fd);
			fd = -1;
		}
		http_clear_file(r);
	}

	buf_addf(&out, "Status: %d %s\r\n", status, reason(status));
	if (r->file.path != NULL) {
		buf_addf(&out, "Content-Type: %s\r\n", r->file.type);
		if (accel != NULL)
			buf_addf(&out, "X-Accel-Redirect: %s%s\r\n", r->conf->accel_redirect, accel);
		else
			buf_addf(&out, "Content-Length: %lld\r\n", (long long)r->file.size);
		add_disposition(&out, r->file.name);
	} else if (text != NULL) {
		buf_adds(&out, "Content-Type: application/json\r\n");
		buf_addf(&out, "Content-Length: %zu\r\n", tlen);
	} else if (status != 204 && status != 304)
		buf_adds(&out, "Content-Length: 0\r\n");
	if (etag[0] != '\0')
		buf_addf(&out, "ETag: %s\r\n", etag);
	buf_adds(&out, "Access-Control-Allow-Origin: *\r\n");
	buf_adds(&out, "Cache-Control: no-cache, private\r\n");
	buf_addf(&out, "X-Request-Id: %s\r\n", r->id);
	if (r->rl_limit >= 0) {
		buf_addf(&out, "X-RateLimit-Limit: %d\r\n", r->rl_limit);
		buf_addf(&out, "X-RateLimit-Remaining: %d\r\n", r->rl_remaining);
	}
	if (err == API_UNAVAILABLE)
		buf_adds(&out, "Retry-After: 5\r\n");
	if (r->headers.len)
		buf_add(&out, r->headers.p, r->headers.len);
	buf_adds(&out, "\r\n");
	body = r->method != HTTP_HEAD;
	if (text != NULL && body)
		buf_add(&out, text, tlen);
	if (out.oom) {
		buf_free(&out);
		if (fd != -1)
			close(fd);
		static const char fallback[] = "Status: 500 Internal Server Error\r\n"
		    "Content-Type: application/json\r\n\r\n{\"message\":\"Server Error\"}";
		r->io.write(r->io.ctx, fallback, sizeof(fallback) - 1);
		r->status = 500;
		return 500;
	}
	if (r->io.write(r->io.ctx, out.p, out.len) == -1)
		log_warn("rid=%s client went away while writing the response", r->id);
	else if (fd != -1 && body && send_file(r, fd) == -1)
		log_warn("rid=%s the file answer was cut short", r->id);
	if (fd != -1)
		close(fd);
	buf_free(&out);
	return status;
}

enum api_err
http_set_file(struct req *r, const char *path, const char *name, const char *type)
{
	struct stat st;

	http_clear_file(r);
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return API_NOT_FOUND;
	if ((r->file.path = strdup(path)) == NULL || (r->file.name = strdup(name)) == NULL) {
		http_clear_file(r);
		return API_SERVER;
	}
	r->file.type = type;
	r->file.size = (int64_t)st.st_size;
	r->file.mtime = (int64_t)st.st_mtime;
	json_object_put(r->body_json);
	r->body_json = NULL;
	r->status = 200;
	return API_OK;
}

void
http_clear_file(struct req *r)
{
	free(r->file.path);
	r->file.path = NULL;
	free(r->file.name);
	r->file.name = NULL;
	r->file.type = NULL;
	r->file.size = 0;
}
