/*
 * test_core.c -- what the core gives every endpoint, through nginx:
 * idempotency keys, ETag/304, image uploads, file answers in the three
 * modes (X-Accel-Redirect behind nginx, streamed under spawn-fcgi and
 * Apache), and a transaction whose connection is killed halfway.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <zip.h>

#include "client.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Holds a row lock on user tag 2 for secs seconds, in the background. */
static void
hold_tag_lock(double secs)
{
	char line[1024];

	snprintf(line, sizeof(line),
	    "mariadb --no-defaults --socket='%s/db/mysql.sock' -uroot metapic -e "
	    "\"START TRANSACTION; SELECT id FROM user_tags WHERE id = 2 FOR UPDATE; "
	    "DO SLEEP(%.2f); COMMIT;\" >/dev/null 2>&1 &",
	    getenv("METAPIC_DIR"), secs);
	cr_assert_eq(system(line), 0);
	usleep(300000);	/* let it take the lock */
}

/*
 * Sends a request with curl in the background; its status goes to
 * DIR/name.status and its body to DIR/name.body.
 */
static void
send_async(const char *name, const char *method, const char *path, int user, const char *body,
    const char *extra_header)
{
	char line[4096];

	snprintf(line, sizeof(line),
	    "curl -s -o '%s/%s.body' -w '%%{http_code}' -X %s -H 'Authorization: %s' "
	    "-H 'Content-Type: application/json' %s%s%s --data '%s' '%s%s' >'%s/%s.status' &",
	    getenv("METAPIC_DIR"), name, method, tok(user),
	    extra_header ? "-H '" : "", extra_header ? extra_header : "",
	    extra_header ? "'" : "", body, base_http(), path, getenv("METAPIC_DIR"), name);
	cr_assert_eq(system(line), 0);
}

/* Waits up to 15 s for the background request name; returns its status. */
static long
await_async(const char *name, char **body)
{
	char path[1024], buf[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.status", getenv("METAPIC_DIR"), name);
	for (int i = 0; i < 150; i++) {
		if ((f = fopen(path, "r")) != NULL) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
			buf[n] = '\0';
			if (n == 3)
				break;
		}
		usleep(100000);
	}
	if (body != NULL) {
		snprintf(path, sizeof(path), "%s/%s.body", getenv("METAPIC_DIR"), name);
		*body = NULL;
		if ((f = fopen(path, "r")) != NULL) {
			char b[8192];
			size_t n = fread(b, 1, sizeof(b) - 1, f);
			b[n] = '\0';
			*body = strdup(b);
			fclose(f);
		}
	}
	return atol(buf);
}

static long
count(const char *where)
{
	char q[512], *s;
	long n;

	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM %s", where);
	s = sql(q);
	n = atol(s);
	free(s);
	return n;
}

/* ------------------------------------------------------------------ */
/* Idempotency-Key                                                     */
/* ------------------------------------------------------------------ */

Test(idempotency, replay_other_body_and_in_flight)
{
	const char *body = "{\"user_ids\":[12],\"user_tag_ids\":[2]}";
	char key[64], hdr[128], *first_body = NULL;
	long before = count("blocklist_entries WHERE store_id = 1");

	snprintf(key, sizeof(key), "it-%ld-%d", (long)time(NULL), getpid());
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", key);

	/* The first request waits on a row lock, so it is in flight ... */
	hold_tag_lock(1.5);
	send_async("idem1", "POST", "/v2/advertisers/1/blocklist", 2, body, hdr);
	usleep(400000);
	/* ... and the same key meanwhile is a 409 with Retry-After. */
	struct resp r = req_ex("POST", "/v2/advertisers/1/blocklist", tok(2), body, 0, NULL, hdr);
	expect_error(r, 409);
	cr_expect_str_eq(r.body,
	    "{\"message\":\"A request with this idempotency key is in progress.\"}");
	cr_expect_str_eq(resp_header(&r, "Retry-After"), "1");
	resp_free(&r);

	cr_assert_eq(await_async("idem1", &first_body), 201, "%s", first_body);
	long after = count("blocklist_entries WHERE store_id = 1");
	cr_expect_eq(after, before + 2, "the first request wrote its two entries");

	/* The same key and body: the stored answer, byte for byte, no write. */
	r = req_ex("POST", "/v2/advertisers/1/blocklist", tok(2), body, 0, NULL, hdr);
	cr_expect_eq(r.status, 201);
	cr_expect_str_eq(r.body, first_body);
	cr_expect_str_eq(resp_header(&r, "Idempotent-Replayed"), "true");
	resp_free(&r);
	cr_expect_eq(count("blocklist_entries WHERE store_id = 1"), after);

	/* The same key with another body: 422 on idempotency_key. */
	r = req_ex("POST", "/v2/advertisers/1/blocklist", tok(2), "{\"user_ids\":[13]}", 0, NULL,
	    hdr);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The idempotency key was used for another "
	    "request.\",\"errors\":{\"idempotency_key\":[\"The idempotency key was used for "
	    "another request.\"]}}");
	resp_free(&r);
	cr_expect_eq(count("blocklist_entries WHERE store_id = 1 AND user_id = 13"), 0);

	/* A key belongs to its caller: another user's same key is new. */
	r = req_ex("POST", "/v2/advertisers/2/blocklist", tok(4), "{\"user_ids\":[12]}", 0, NULL,
	    hdr);
	cr_expect_eq(r.status, 201, "%s", r.body);
	cr_expect_null(resp_header(&r, "Idempotent-Replayed"));
	resp_free(&r);

	/* A failed request leaves the key free. */
	char hdr2[160];
	snprintf(hdr2, sizeof(hdr2), "Idempotency-Key: %s-failed", key);
	r = req_ex("POST", "/v2/advertisers/1/blocklist", tok(2), "{\"user_ids\":[999999]}", 0,
	    NULL, hdr2);
	cr_expect_eq(r.status, 422);
	resp_free(&r);
	char q[256];
	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = '%s-failed'",
	    key);
	char *n = sql(q);
	cr_expect_str_eq(n, "0", "no key kept for a failed request");
	free(n);

	free(first_body);
	free(sql("DELETE FROM blocklist_entries WHERE user_id = 12 OR user_tag_id = 2 "
	    "AND created_by IN (2, 4)"));
}

Test(idempotency, malformed_keys)
{
	char big[300], hdr[340];

	memset(big, 'k', 256);
	big[256] = '\0';
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: %s", big);
	struct resp r = req_ex("POST", "/v2/advertisers/1/blocklist", tok(2),
	    "{\"user_ids\":[12]}", 0, NULL, hdr);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "errors.idempotency_key.0"),
	    "The idempotency key field must not be greater than 255 characters.");
	resp_free(&r);
	cr_expect_eq(count("blocklist_entries WHERE store_id = 1 AND user_id = 12"), 0);
}

/* ------------------------------------------------------------------ */
/* Conditional reads                                                   */
/* ------------------------------------------------------------------ */

Test(etag, not_modified_with_the_same_body)
{
	char hdr[160], etag[64];
	struct resp r = req("GET", "/v2/store-categories", tok(3), NULL);

	cr_assert_eq(r.status, 200);
	cr_assert_not_null(resp_header(&r, "ETag"));
	snprintf(etag, sizeof(etag), "%s", resp_header(&r, "ETag"));
	cr_expect(etag[0] == '"' && strlen(etag) == 34, "a strong ETag: %s", etag);
	resp_free(&r);

	static const char *const forms[] = { "%s", "W/%s", "\"x\", %s", "*" };
	for (size_t i = 0; i < 4; i++) {
		char v[96];
		snprintf(v, sizeof(v), forms[i], etag);
		snprintf(hdr, sizeof(hdr), "If-None-Match: %s", v);
		r = req_ex("GET", "/v2/store-categories", tok(3), NULL, 0, NULL, hdr);
		cr_expect_eq(r.status, 304, "%s: %ld", hdr, r.status);
		cr_expect_eq(r.len, 0, "no body");
		cr_expect_str_eq(resp_header(&r, "ETag") ? resp_header(&r, "ETag") : "", etag);
		resp_free(&r);
	}
	/* HEAD has the tag too; a POST is never a 304. */
	r = req("HEAD", "/v2/store-categories", tok(3), NULL);
	cr_expect_str_eq(resp_header(&r, "ETag") ? resp_header(&r, "ETag") : "", etag);
	resp_free(&r);
	r = req_ex("POST", "/v2/advertisers/1/blocklist", tok(2), "{\"user_ids\":[999999]}", 0,
	    NULL, "If-None-Match: *");
	cr_expect_eq(r.status, 422);
	resp_free(&r);
	r = req_ex("GET", "/v2/store-categories", tok(3), NULL, 0, NULL,
	    "If-None-Match: \"0123456789abcdef0123456789abcdef\"");
	cr_expect_eq(r.status, 200);
	cr_expect(r.len > 0);
	resp_free(&r);

	/* Another body, another tag: a page of users differs from the next. */
	struct resp a = req("GET", "/v2/users?size=2&page=1", tok(1), NULL);
	struct resp b = req("GET", "/v2/users?size=2&page=2", tok(1), NULL);
	char ea[64];
	snprintf(ea, sizeof(ea), "%s", resp_header(&a, "ETag") ? resp_header(&a, "ETag") : "a");
	cr_expect_str_neq(ea, resp_header(&b, "ETag") ? resp_header(&b, "ETag") : "b");
	resp_free(&a);
	resp_free(&b);
}

/* ------------------------------------------------------------------ */
/* Uploads                                                             */
/* ------------------------------------------------------------------ */

/* A 1x1 PNG. */
static const unsigned char png1[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
	0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f, 0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7, 0x35, 0x81,
	0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static char *
media_dir(void)
{
	char line[1024];

	snprintf(line, sizeof(line), "sed -n 's/^media_dir = //p' '%s/metapic.conf'",
	    getenv("METAPIC_DIR"));
	FILE *p = popen(line, "r");
	char buf[512] = "";
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(buf, sizeof(buf), p));
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

/* Files in {media_dir}/tmp (temporary ones included). */
static int
files_in_tmp(void)
{
	char line[1024], *dir = media_dir();
	int n;

	snprintf(line, sizeof(line), "ls -A '%s/tmp' | wc -l", dir);
	FILE *p = popen(line, "r");
	cr_assert_not_null(p);
	cr_assert_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	free(dir);
	return n;
}

Test(uploads, image_text_and_limits)
{
	size_t len;
	char *body, ct[] = "multipart/form-data; boundary=" FORM_BOUNDARY;
	long rows = count("image_uploads");
	int files = files_in_tmp();

	/* A real image: the image object, a file under tmp/, a row. */
	body = form_file("image", "photo.bin", "application/octet-stream", png1, sizeof(png1), 0,
	    &len);
	struct resp r = req_ex("POST", "/v2/image-uploads", tok(3), body, len, ct, NULL);
	free(body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	const char *key = jstr(r.json, "key");
	cr_assert_not_null(key);
	cr_expect_str_eq(jstr(r.json, "base64"), key);
	cr_expect_str_eq(jstr(r.json, "base_url"), "https://media.metapic.com");
	char want[512];
	snprintf(want, sizeof(want), "https://media.metapic.com/insecure/rs:fill:800:500/g:sm/%s",
	    key);
	cr_expect_str_eq(jstr(r.json, "url"), want);
	resp_free(&r);
	cr_expect_eq(count("image_uploads"), rows + 1);
	cr_expect_eq(files_in_tmp(), files + 1);
	char *path = sql("SELECT CONCAT(path, ' ', content_type, ' ', size_bytes) FROM "
	    "image_uploads ORDER BY id DESC LIMIT 1");
	cr_expect(strncmp(path, "tmp/", 4) == 0 && strstr(path, ".png image/png 69") != NULL,
	    "%s", path);
	free(path);

	/* A text file named x.png: 422, nothing stored. */
	const char *text = "this is not an image, whatever its name says\n";
	body = form_file("image", "x.png", "image/png", text, strlen(text), 0, &len);
	r = req_ex("POST", "/v2/image-uploads", tok(3), body, len, ct, NULL);
	free(body);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(r.body, "{\"message\":\"The image field must be an image.\",\"errors\":"
	    "{\"image\":[\"The image field must be an image.\"]}}");
	resp_free(&r);

	/* No file at all. */
	r = req("POST", "/v2/image-uploads", tok(3), "{\"image\":\"debitis\"}");
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "errors.image.0"), "The image field is required.");
	resp_free(&r);

	/* Up to 10 MB is taken; more is a 413 before the app reads it. */
	body = form_file("image", "big.png", "image/png", png1, sizeof(png1), 9 * 1024 * 1024,
	    &len);
	r = req_ex("POST", "/v2/image-uploads", tok(3), body, len, ct, NULL);
	free(body);
	cr_expect_eq(r.status, 201, "a 9 MB image: %ld", r.status);
	resp_free(&r);
	body = form_file("image", "huge.png", "image/png", png1, sizeof(png1), 10 * 1024 * 1024 + 1,
	    &len);
	r = req_ex("POST", "/v2/image-uploads", tok(3), body, len, ct, NULL);
	free(body);
	expect_error(r, 413);
	resp_free(&r);
	/* Elsewhere the limit stays 1 MB. */
	body = calloc(1, 1200 * 1024);
	memset(body, ' ', 1200 * 1024 - 1);
	body[0] = '{';
	body[1200 * 1024 - 2] = '}';
	r = req("POST", "/v2/advertisers/1/blocklist", tok(2), body);
	free(body);
	expect_error(r, 413);
	resp_free(&r);

	cr_expect_eq(count("image_uploads"), rows + 2, "the good image and the 9 MB one");
	cr_expect_eq(files_in_tmp(), files + 2, "nothing left of the refused ones");
}

Test(uploads, a_full_disk_leaves_nothing)
{
	char line[1024], *dir = media_dir();
	size_t len;
	char *body, ct[] = "multipart/form-data; boundary=" FORM_BOUNDARY;
	long rows = count("image_uploads");

	/* tmp/ becomes a 64 KiB file system; the image is 200 KiB. */
	snprintf(line, sizeof(line), "mount -t tmpfs -o size=64k,mode=0777 tmpfs '%s/tmp'", dir);
	cr_assert_eq(system(line), 0, "%s", line);
	body = form_file("image", "photo.png", "image/png", png1, sizeof(png1), 200 * 1024, &len);
	struct resp r = req_ex("POST", "/v2/image-uploads", tok(3), body, len, ct, NULL);
	free(body);
	int left = files_in_tmp();
	snprintf(line, sizeof(line), "umount '%s/tmp'", dir);
	cr_assert_eq(system(line), 0);
	expect_error(r, 503);
	cr_expect_eq(left, 0, "no file, whole or partial, left behind");
	cr_expect_eq(count("image_uploads"), rows, "no row");
	resp_free(&r);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* File answers: the invoice zip in the three modes                    */
/* ------------------------------------------------------------------ */

/* Checks that the answer is the zip of the month's five invoices. */
static void
expect_invoice_zip(const char *base, bool accel)
{
	char url[512], path[1024];
	FILE *f;
	zip_t *z;
	int err = 0;

	snprintf(url, sizeof(url), "%s/v2/payments/getPaymentInvoices?payment_period=2025-01",
	    base);
	struct resp r = req("GET", url, tok(1), NULL);
	cr_assert_eq(r.status, 200, "%s: %ld %s", url, r.status, r.body);
	cr_expect_str_eq(resp_header(&r, "Content-Type"), "application/zip");
	cr_expect_str_eq(resp_header(&r, "Content-Disposition"),
	    "attachment; filename=\"invoices-2025-01.zip\"");
	cr_expect(r.len > 100 && memcmp(r.body, "PK\3\4", 4) == 0, "a zip (%zu bytes)", r.len);
	char cl[32], etag[80], inm[120];
	snprintf(cl, sizeof(cl), "%zu", r.len);
	cr_expect_str_eq(resp_header(&r, "Content-Length"), cl);
	/* nginx's static module served it (X-Accel-Redirect), or the app did. */
	if (accel)
		cr_expect_str_eq(resp_header(&r, "Accept-Ranges"), "bytes", "served by nginx");
	else
		cr_expect_null(resp_header(&r, "Accept-Ranges"), "streamed by the app");
	cr_assert_not_null(resp_header(&r, "ETag"));
	snprintf(etag, sizeof(etag), "%s", resp_header(&r, "ETag"));
	snprintf(path, sizeof(path), "%s/invoices-test.zip", getenv("METAPIC_DIR"));
	cr_assert_not_null(f = fopen(path, "wb"));
	cr_assert_eq(fwrite(r.body, 1, r.len, f), r.len);
	fclose(f);
	cr_assert_not_null(z = zip_open(path, ZIP_RDONLY, &err), "libzip error %d", err);
	cr_expect_eq(zip_get_num_entries(z, 0), 5);
	cr_expect_geq(zip_name_locate(z, "MP-202501-0003.pdf", 0), 0);
	zip_close(z);
	unlink(path);
	resp_free(&r);

	/* HEAD: the headers only. */
	r = req("HEAD", url, tok(1), NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(r.len, 0);
	cr_expect_str_eq(resp_header(&r, "Content-Length") ? resp_header(&r, "Content-Length") :
	    "", cl);
	resp_free(&r);

	/* The same file again: 304, no body. */
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	r = req_ex("GET", url, tok(1), NULL, 0, NULL, inm);
	cr_expect_eq(r.status, 304, "%s", inm);
	cr_expect_eq(r.len, 0);
	resp_free(&r);

	/* A month without invoices; a malformed one; a store member. */
	snprintf(url, sizeof(url), "%s/v2/payments/getPaymentInvoices?payment_period=2019-01",
	    base);
	r = req("GET", url, tok(1), NULL);
	expect_error(r, 404);
	resp_free(&r);
	snprintf(url, sizeof(url), "%s/v2/payments/getPaymentInvoices?payment_period=2025-13",
	    base);
	r = req("GET", url, tok(1), NULL);
	cr_expect_eq(r.status, 422);
	cr_expect_str_eq(jstr(r.json, "errors.payment_period.0"),
	    "The payment period field must match the format Y-m.");
	resp_free(&r);
	snprintf(url, sizeof(url), "%s/v2/payments/getPaymentInvoices", base);
	r = req("GET", url, tok(2), "{\"payment_period\":\"2025-01\"}");
	expect_error(r, 403);
	resp_free(&r);
	/* From the body too, as the reference documents it. */
	r = req("GET", url, tok(1), "{\"payment_period\":\"2025-02\"}");
	cr_expect_eq(r.status, 200);
	resp_free(&r);
}

Test(files, invoice_zip_through_nginx)
{
	expect_invoice_zip(base_http(), true);
	/* nginx served it from its internal location: no one else can. */
	struct resp r = req("GET", "/_exports/invoices/", NULL, NULL);
	expect_error(r, 404);
	resp_free(&r);
}

static void
stop_others(void)
{
	harness("spawnfcgi-stop", NULL);
	harness("apache-stop", NULL);
}

Test(files, invoice_zip_under_spawn_fcgi, .fini = stop_others)
{
	char port[16], base[64];
	int p = atoi(getenv("METAPIC_SPARE_PORT"));

	snprintf(port, sizeof(port), "%d", p);
	cr_assert_eq(harness("spawnfcgi-start", port), 0);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", p);
	expect_invoice_zip(base, false);
}

Test(files, invoice_zip_under_apache, .fini = stop_others)
{
	char port[16], base[64];
	int p = atoi(getenv("METAPIC_SPARE_PORT")) + 2;

	snprintf(port, sizeof(port), "%d", p);
	cr_assert_eq(harness("apache-start", port), 0);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", p);
	expect_invoice_zip(base, false);
}

/* ------------------------------------------------------------------ */
/* A transaction whose connection dies halfway                         */
/* ------------------------------------------------------------------ */

Test(transactions, killed_connection_writes_nothing)
{
	const char *body = "{\"user_ids\":[14],\"user_tag_ids\":[2]}";
	char *killed = NULL, *resp_body = NULL;
	long before = count("blocklist_entries");

	/*
	 * The request inserts its user entry, then waits for the tag's row
	 * lock; while it waits, its connection is killed.
	 */
	hold_tag_lock(2.5);
	send_async("kill1", "POST", "/v2/advertisers/1/blocklist", 2, body, NULL);
	for (int i = 0; i < 40; i++) {
		usleep(50000);
		killed = sql("SELECT id FROM information_schema.PROCESSLIST WHERE user = 'metapic' "
		    "AND info LIKE 'INSERT INTO blocklist_entries%' LIMIT 1");
		if (killed[0] != '\0')
			break;
		free(killed);
		killed = NULL;
	}
	cr_assert_not_null(killed, "the request never waited on the lock");
	char q[64];
	snprintf(q, sizeof(q), "KILL %s", killed);
	free(sql(q));
	free(killed);
	long st = await_async("kill1", &resp_body);
	cr_expect_eq(st, 503, "%s", resp_body);
	cr_expect_str_eq(resp_body, "{\"message\":\"Service Unavailable\"}");
	free(resp_body);
	usleep(2500000);	/* the lock holder is done */
	cr_expect_eq(count("blocklist_entries"), before, "neither entry was written");
	cr_expect_eq(count("blocklist_entries WHERE user_id = 14"), 0);

	/* The worker serves again, and the same write then succeeds. */
	struct resp r = req("POST", "/v2/advertisers/1/blocklist", tok(2), body);
	cr_expect_eq(r.status, 201, "%s", r.body);
	resp_free(&r);
	cr_expect_eq(count("blocklist_entries"), before + 2);
	free(sql("DELETE FROM blocklist_entries WHERE user_id = 14 OR "
	    "(user_tag_id = 2 AND store_id = 1 AND created_by = 2)"));
}

/*
 * A lock wait shorter than the read time-out ends in a lock-wait
 * time-out, never in a lost connection: the whole transaction runs
 * again (up to three times), then answers 503 with Retry-After.
 */
Test(transactions, lock_waits_run_the_write_again)
{
	const char *body = "{\"user_ids\":[15],\"user_tag_ids\":[2]}";
	long before = count("blocklist_entries");
	char *b = NULL;

	/* Held for 3 s: the first try times out at 2 s, the second gets it. */
	hold_tag_lock(3.0);
	send_async("lock1", "POST", "/v2/advertisers/1/blocklist", 2, body, NULL);
	cr_expect_eq(await_async("lock1", &b), 201, "%s", b);
	free(b);
	cr_expect_eq(count("blocklist_entries"), before + 2);
	free(sql("DELETE FROM blocklist_entries WHERE user_id = 15 OR "
	    "(user_tag_id = 2 AND store_id = 1 AND created_by = 2)"));

	/* Held for longer than three tries: 503, nothing written. */
	hold_tag_lock(7.5);
	struct resp r = req("POST", "/v2/advertisers/1/blocklist", tok(2), body);
	expect_error(r, 503);
	cr_expect_not_null(resp_header(&r, "Retry-After"));
	resp_free(&r);
	cr_expect_eq(count("blocklist_entries"), before);
	usleep(1500000);
}
