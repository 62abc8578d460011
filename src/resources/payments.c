/*
 * payments.c -- creators' payments (admins only):
 *   GET /v2/payments/getPaymentInvoices   a zip of one month's invoice files
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "../conf.h"
#include "../db.h"
#include "../log.h"
#include "../util.h"
#include "resources.h"

enum { P_PERIOD };

static const struct valid_field invoices_fields[] = {
	[P_PERIOD] = { .name = "payment_period", .type = &valid_month, .flags = V_REQUIRED },
};

static const char sql_invoices[] =
    "SELECT id, number, file_path, updated_at FROM invoices "
    "WHERE payment_period = ? AND file_path IS NOT NULL ORDER BY number, id";

/* A stored path relative to invoice_dir: no absolute path, no "..". */
static bool
rel_path_ok(const char *p)
{
	const char *seg = p;

	if (*p == '\0' || *p == '/')
		return false;
	while (seg != NULL) {
		if (strncmp(seg, "..", 2) == 0 && (seg[2] == '/' || seg[2] == '\0'))
			return false;
		if ((seg = strchr(seg, '/')) != NULL)
			seg++;
	}
	return true;
}

/* mkdir -p for one level under an existing directory. */
static int
ensure_dir(const char *dir)
{
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Writes the zip of rows to a temporary name in dir and renames it to
 * path: a failure (disk full, a file gone) leaves nothing behind.
 * Returns the number of files zipped, or -1.
 */
static int
write_zip(struct req *r, struct json_object *rows, const char *dir, const char *path)
{
	char tmp[1024], src[2048], rnd[17];
	struct json_object *row, *v;
	zip_t *z = NULL;
	zip_source_t *zs;
	int err = 0, n = 0;
	const char *rel, *base, *ext;
	char entry[160];

	if (util_random_hex(rnd, 8) == -1)
		return -1;
	if (snprintf(tmp, sizeof(tmp), "%s/.tmp-%s.zip", dir, rnd) >= (int)sizeof(tmp))
		return -1;
	if ((z = zip_open(tmp, ZIP_CREATE | ZIP_EXCL, &err)) == NULL) {
		log_error("rid=%s cannot create %s (libzip error %d)", r->id, tmp, err);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (!json_object_object_get_ex(row, "file_path", &v) || v == NULL)
			continue;
		rel = json_object_get_string(v);
		if (!rel_path_ok(rel)) {
			log_error("rid=%s invoice file path refused: %.200s", r->id, rel);
			goto fail;
		}
		if (snprintf(src, sizeof(src), "%s/%s", r->conf->invoice_dir, rel) >=
		    (int)sizeof(src))
			goto fail;
		if (access(src, R_OK) == -1) {
			log_error("rid=%s invoice file missing: %s", r->id, src);
			goto fail;
		}
		/*
		 * Named by the invoice's number (unique), with the file's
		 * extension: two files of one basename cannot collide.
		 */
		base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
		ext = strrchr(base, '.');
		if (!json_object_object_get_ex(row, "number", &v) || v == NULL ||
		    snprintf(entry, sizeof(entry), "%s%s", json_object_get_string(v),
		    ext != NULL && strlen(ext) <= 8 ? ext : "") >= (int)sizeof(entry))
			goto fail;
		/* Stored data: nothing but [A-Za-z0-9._-] in an entry's name. */
		for (char *c = entry; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-')
				*c = '_';
		if (entry[0] == '.')
			entry[0] = '_';
		if ((zs = zip_source_file(z, src, 0, -1)) == NULL)
			goto fail;
		if (zip_file_add(z, entry, zs, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(zs);
			goto fail;
		}
		n++;
	}
	if (zip_close(z) == -1) {
		log_error("rid=%s cannot write %s: %s", r->id, tmp, zip_strerror(z));
		goto fail;
	}
	z = NULL;
	if (rename(tmp, path) == -1) {
		log_error("rid=%s cannot rename %s: %s", r->id, tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return n;
fail:
	if (z != NULL)
		zip_discard(z);
	unlink(tmp);
	return -1;
}

static enum api_err
payment_invoices(struct req *r)
{
	const struct valid_value *pv = &r->vals[P_PERIOD];
	struct json_object *rows = NULL, *row;
	struct buf key = { 0 };
	char dir[1024], path[1200], name[64], hash[65];
	const void *parts[1];
	size_t lens[1];
	enum api_err e = API_SERVER;
	enum db_rc rc;
	struct stat st;

	if (r->conf->export_dir == NULL || r->conf->invoice_dir == NULL) {
		log_error("rid=%s export_dir and invoice_dir must be set for invoice zips", r->id);
		return API_SERVER;
	}
	struct db_param p[] = { DB_STR(pv->s, pv->len) };
	if ((rc = db_select(sql_invoices, p, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 0) {
		e = API_NOT_FOUND;
		goto out;
	}
	/*
	 * The zip is kept under a name that changes whenever the month's
	 * invoices do: made once, served from disk (by nginx) afterwards.
	 */
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		json_object_object_foreach(row, k, val) {
			(void)k;
			buf_adds(&key, val ? json_object_get_string(val) : "-");
			buf_addc(&key, '\n');
		}
	}
	parts[0] = key.p;
	lens[0] = key.len;
	if (key.oom || util_sha256_hex(parts, lens, 1, hash) == -1)
		goto out;
	if (snprintf(dir, sizeof(dir), "%s/invoices", r->conf->export_dir) >= (int)sizeof(dir) ||
	    snprintf(path, sizeof(path), "%s/invoices-%.7s-%.16s.zip", dir, pv->s, hash) >=
	    (int)sizeof(path))
		goto out;
	snprintf(name, sizeof(name), "invoices-%.7s.zip", pv->s);
	/* Twice: the export worker's sweep may remove an old zip meanwhile. */
	for (int tries = 0; tries < 2; tries++) {
		e = API_SERVER;
		if (stat(path, &st) == -1) {
			if (ensure_dir(dir) == -1) {
				log_error("rid=%s cannot make %s: %s", r->id, dir, strerror(errno));
				goto out;
			}
			if (write_zip(r, rows, dir, path) <= 0)
				goto out;
		}
		if ((e = http_set_file(r, path, name, "application/zip")) != API_NOT_FOUND)
			break;
	}
	if (e == API_NOT_FOUND)
		e = API_SERVER;	/* it was just there */
out:
	buf_free(&key);
	json_object_put(rows);
	return e;
}

const struct handler h_payment_invoices = HANDLER(payment_invoices, invoices_fields);
