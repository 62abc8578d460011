/*
 * client.c -- HTTP, tokens and harness control for the integration tests.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jwt.h>

#include "client.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	cr_assert_not_null(v, "%s is not set: run the tests through t/integration/run.sh", name);
	return v;
}

const char *
base_http(void)
{
	return env("METAPIC_HTTP");
}

const char *
base_https(void)
{
	return env("METAPIC_HTTPS");
}

struct sink {
	char *p;
	size_t len;
};

static size_t
on_data(char *ptr, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;
	size_t add = size * n;
	char *np = realloc(s->p, s->len + add + 1);

	if (np == NULL)
		return 0;
	memcpy(np + s->len, ptr, add);
	s->p = np;
	s->len += add;
	s->p[s->len] = '\0';
	return add;
}

struct resp
req_ex(const char *method, const char *url, const char *auth, const char *body,
    size_t body_len, const char *content_type, const char *extra_header)
{
	struct resp r = { 0 };
	struct sink b = { 0 }, h = { 0 };
	struct curl_slist *hdrs = NULL;
	char full[8192], line[8192];
	CURL *c;
	CURLcode rc;

	if (strncmp(url, "http", 4) == 0)
		snprintf(full, sizeof(full), "%s", url);
	else
		snprintf(full, sizeof(full), "%s%s", base_http(), url);
	cr_assert_not_null(c = curl_easy_init());
	curl_easy_setopt(c, CURLOPT_URL, full);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);	/* self-signed */
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (auth != NULL) {
		snprintf(line, sizeof(line), "Authorization: %s", auth);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (body != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s",
		    content_type ? content_type : "application/json");
		hdrs = curl_slist_append(hdrs, line);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body_len ? body_len : strlen(body)));
	}
	if (extra_header != NULL)
		hdrs = curl_slist_append(hdrs, extra_header);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	rc = curl_easy_perform(c);
	cr_assert_eq(rc, CURLE_OK, "%s %s: %s", method, full, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	r.body = b.p ? b.p : strdup("");
	r.len = b.len;
	r.headers = h.p ? h.p : strdup("");
	r.json = json_tokener_parse(r.body);
	return r;
}

struct resp
req(const char *method, const char *url, const char *auth, const char *body)
{
	return req_ex(method, url, auth, body, 0, NULL, NULL);
}

void
resp_free(struct resp *r)
{
	free(r->body);
	free(r->headers);
	json_object_put(r->json);
	memset(r, 0, sizeof(*r));
}

const char *
resp_header(const struct resp *r, const char *name)
{
	static char val[1024];
	size_t n = strlen(name);
	const char *p = r->headers;

	while (p && *p) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e;
			while (*v == ' ')
				v++;
			e = strpbrk(v, "\r\n");
			snprintf(val, sizeof(val), "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
			return val;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

const char *
tok(int user)
{
	static char toks[100][1024];
	char path[1024];
	FILE *f;
	bool piped = false;

	cr_assert(user >= 1 && user <= 99);
	if (toks[user][0] == '\0') {
		snprintf(path, sizeof(path), "%s/token.%d", env("METAPIC_DIR"), user);
		f = fopen(path, "r");
		if (f == NULL) {
			piped = true;
			/* Demo users past the first few: a token made now. */
			snprintf(path, sizeof(path), "'%s' token '%s' %d", env("METAPIC_HARNESS"),
			    env("METAPIC_DIR"), user);
			cr_assert_not_null(f = popen(path, "r"), "%s", path);
		}
		strcpy(toks[user], "Bearer ");
		cr_assert_not_null(fgets(toks[user] + 7, sizeof(toks[user]) - 7, f));
		toks[user][strcspn(toks[user], "\n")] = '\0';
		if (piped)
			pclose(f);
		else
			fclose(f);
	}
	return toks[user];
}

char *
tok_claims(const char *alg, const char *claims)
{
	char path[1024], secret[256], *out, *hdr;
	jwt_t *jwt = NULL;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/jwt-secret", env("METAPIC_DIR"));
	cr_assert_not_null(f = fopen(path, "r"));
	n = fread(secret, 1, sizeof(secret) - 1, f);
	fclose(f);
	secret[n] = '\0';
	cr_assert_eq(jwt_new(&jwt), 0);
	cr_assert_eq(jwt_add_grants_json(jwt, claims), 0);
	cr_assert_eq(jwt_set_alg(jwt, jwt_str_alg(alg), (unsigned char *)secret, (int)n), 0);
	out = jwt_encode_str(jwt);
	jwt_free(jwt);
	cr_assert_not_null(out);
	hdr = malloc(strlen(out) + 8);
	sprintf(hdr, "Bearer %s", out);
	free(out);
	return hdr;
}

int
harness(const char *cmd, const char *args)
{
	char line[2048];
	int rc;

	snprintf(line, sizeof(line), "'%s' %s '%s' %s >&2", env("METAPIC_HARNESS"), cmd,
	    env("METAPIC_DIR"), args ? args : "");
	rc = system(line);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

char *
sql(const char *statement)
{
	char line[4096], buf[4096];
	struct sink s = { 0 };
	FILE *p;
	size_t n;

	snprintf(line, sizeof(line),
	    "mariadb --no-defaults --socket='%s/db/mysql.sock' -uroot -N -B metapic -e \"%s\"",
	    env("METAPIC_DIR"), statement);
	cr_assert_not_null(p = popen(line, "r"));
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		on_data(buf, 1, n, &s);
	cr_assert_eq(pclose(p), 0, "sql failed: %s", statement);
	if (s.p == NULL)
		return strdup("");
	if (s.len > 0 && s.p[s.len - 1] == '\n')
		s.p[--s.len] = '\0';	/* the client's last newline */
	return s.p;
}

char *
sql_list(const char *select)
{
	char *out = sql(select);

	for (char *c = out; *c; c++)
		if (*c == '\n')
			*c = ',';
	return out;
}

char *
form_file(const char *field, const char *filename, const char *ctype, const void *data,
    size_t n, size_t pad, size_t *len)
{
	char head[512];
	const char *tail = "\r\n--" FORM_BOUNDARY "--\r\n";
	int hn = snprintf(head, sizeof(head),
	    "--" FORM_BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\";"
	    " filename=\"%s\"\r\n"
	    "Content-Type: %s\r\n\r\n", field, filename, ctype);
	char *b = malloc((size_t)hn + n + pad + strlen(tail));

	cr_assert_not_null(b);
	memcpy(b, head, (size_t)hn);
	memcpy(b + hn, data, n);
	memset(b + hn + n, 0, pad);	/* after IEND: still the same image */
	memcpy(b + hn + n + pad, tail, strlen(tail));
	*len = (size_t)hn + n + pad + strlen(tail);
	return b;
}

long long
sql_number(const char *select)
{
	char *s = sql(select);
	long long n = atoll(s);

	free(s);
	return n;
}

char *
sqlf(const char *fmt, ...)
{
	char s[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	return sql(s);
}

long long
sql_numberf(const char *fmt, ...)
{
	char s[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	return sql_number(s);
}

struct json_object *
jpath(struct json_object *j, const char *path)
{
	char key[128];
	const char *p = path, *dot;

	while (j != NULL && *p) {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s", (int)(dot ? dot - p : (long)strlen(p)), p);
		if (json_object_is_type(j, json_type_array)) {
			char *end;
			long idx = strtol(key, &end, 10);
			j = *end ? NULL : json_object_array_get_idx(j, (size_t)idx);
		} else if (!json_object_object_get_ex(j, key, &j))
			return NULL;
		p = dot ? dot + 1 : p + strlen(p);
	}
	return j;
}

long long
jint(struct json_object *j, const char *path)
{
	struct json_object *v = jpath(j, path);

	cr_assert(json_object_is_type(v, json_type_int), "%s is not an integer in %s", path,
	    j ? json_object_to_json_string(j) : "(null)");
	return json_object_get_int64(v);
}

const char *
jstr(struct json_object *j, const char *path)
{
	struct json_object *v = jpath(j, path);

	cr_assert(json_object_is_type(v, json_type_string), "%s is not a string in %s", path,
	    j ? json_object_to_json_string(j) : "(null)");
	return json_object_get_string(v);
}

const char *
jtext(struct json_object *j)
{
	return json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}

const char *
error_body(long status)
{
	switch (status) {
	case 400: return "{\"message\":\"Malformed JSON body.\"}";
	case 401: return "{\"message\":\"Unauthenticated.\"}";
	case 403: return "{\"message\":\"This action is unauthorized.\"}";
	case 404: return "{\"message\":\"Not found.\"}";
	case 405: return "{\"message\":\"Method not allowed.\"}";
	case 409: return "{\"message\":\"A request with this idempotency key is in progress.\"}";
	case 413: return "{\"message\":\"Payload too large.\"}";
	case 429: return "{\"message\":\"Too Many Attempts.\"}";
	case 500: return "{\"message\":\"Server Error\"}";
	case 501: return "{\"message\":\"Not implemented.\"}";
	case 503: return "{\"message\":\"Service Unavailable\"}";
	default: return "";
	}
}

const char *
urlenc(const char *s)
{
	static char out[4096];
	char *e = curl_easy_escape(NULL, s, 0);

	snprintf(out, sizeof(out), "%s", e);
	curl_free(e);
	return out;
}

const char *
jkeys(struct json_object *j)
{
	static char out[1024];
	size_t n = 0;

	out[0] = '\0';
	if (!json_object_is_type(j, json_type_object))
		return "(not an object)";
	json_object_object_foreach(j, k, v) {
		(void)v;
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s", n ? "," : "", k);
		if (n >= sizeof(out))
			return "(too many keys)";
	}
	return out;
}

const char *
jids(struct json_object *j)
{
	static char out[16384];
	size_t n = 0;

	out[0] = '\0';
	if (!json_object_is_type(j, json_type_array))
		return "(not an array)";
	for (size_t i = 0; i < json_object_array_length(j); i++) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%lld", i ? "," : "",
		    (long long)json_object_get_int64(jpath(json_object_array_get_idx(j, i), "id")));
		if (n >= sizeof(out))
			return "(too many ids)";
	}
	return out;
}
