/*
 * image_uploads.c -- POST /v2/image-uploads: one image (multipart field
 * `image`) into tmp/ of the media directory, for a campaign or a return
 * ad to take later. Images are known by their bytes (JPEG, PNG, WebP,
 * GIF), never by their name or declared type; answers the image object.
 */
#include "config.h"

#include <string.h>

#include "../db.h"
#include "../image.h"
#include "../media.h"
#include "../multipart.h"
#include "../tx.h"
#include "resources.h"

#define MAX_PARTS 16

static const char sql_insert[] =
    "INSERT INTO image_uploads (user_id, path, content_type, size_bytes, created_at) "
    "VALUES (?, ?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE id = id";

struct upload {
	const char *path;
	const struct image_info *info;
	size_t size;
};

/* Records the stored file and answers its image object. */
static enum api_err
record_upload(struct req *r, void *arg)
{
	struct upload *u = arg;
	struct json_object *img;
	enum db_rc rc;
	struct db_param p[] = { DB_INT(r->caller.id), DB_STR(u->path, strlen(u->path)),
	    DB_STR(u->info->mime, strlen(u->info->mime)), DB_INT((int64_t)u->size) };

	if ((rc = db_exec(sql_insert, p, 4, NULL, NULL)) != DB_OK)
		return db_api_err(rc);
	if ((img = media_image(r->conf, u->path, MEDIA_PRESET_OFFER)) == NULL)
		return API_SERVER;
	http_set_json(r, 201, img);
	return API_OK;
}

static enum api_err
image_upload(struct req *r)
{
	const char *ct = r->io.param(r->io.ctx, "CONTENT_TYPE");
	struct mp_form form;
	const struct mp_part *part;
	struct image_info info;
	char rel[256];
	enum api_err e;
	int rc;

	memset(&form, 0, sizeof(form));
	if (!mp_is_form_data(ct) || r->body == NULL) {
		http_validation_error(r, "image", "The image field is required.");
		return API_VALIDATION;
	}
	rc = mp_parse(ct, r->body, r->body_len, MAX_PARTS, &form);
	if (rc == MP_TOO_MANY) {
		e = API_TOO_LARGE;
		goto out;
	}
	if (rc == MP_NOMEM) {
		e = API_SERVER;
		goto out;
	}
	if (rc != MP_OK || (part = mp_find(&form, "image")) == NULL || part->len == 0) {
		/* A body cut short or not a form: no file arrived. */
		http_validation_error(r, "image", "The image field is required.");
		e = API_VALIDATION;
		goto out;
	}
	if (part->filename == NULL) {
		http_validation_error(r, "image", "The image field must be a file.");
		e = API_VALIDATION;
		goto out;
	}
	if (image_probe(part->data, part->len, &info) == -1 || !image_size_ok(&info)) {
		http_validation_error(r, "image", "The image field must be an image.");
		e = API_VALIDATION;
		goto out;
	}
	if ((e = media_store(r, "tmp", info.ext, part->data, part->len, rel, sizeof(rel))) !=
	    API_OK)
		goto out;
	/*
	 * The path is new and unique: recording it twice is one row, so an
	 * unknown COMMIT outcome is settled by running it again. A 503 may
	 * still mean the database never came back with the row in it: the
	 * file then stays, unused, for the sweep of tmp/ (a day old).
	 */
	struct upload u = { rel, &info, part->len };
	if ((e = tx_run(r, TX_RERUN_SAFE, record_upload, &u)) != API_OK &&
	    e != API_UNAVAILABLE)
		media_remove(r->conf, rel);	/* nothing refers to it */
out:
	mp_free(&form);
	return e;
}

const struct handler h_image_upload = HANDLER_UPLOAD(image_upload);
