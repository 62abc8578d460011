/*
 * exports.c -- an export job (SPEC.md, Exports), for the user who asked
 * for it or an admin (the scope answers 404 to anyone else):
 *
 *   GET /v2/exports/{id}            its status
 *   GET /v2/exports/{id}/download   its file, once done (409 before)
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../conf.h"
#include "../db.h"
#include "../export_file.h"
#include "resources.h"

/* The job, as GET /v2/exports/{id} shows it (file dropped, url added). */
static const char job_columns[] =
    "SELECT e.id, e.kind, e.format, e.status, e.row_count AS `rows`,"
    " e.size_bytes AS size, e.error,"
    " DATE_FORMAT(e.created_at, '%Y-%m-%dT%H:%i:%s.000000Z') AS created_at,"
    " DATE_FORMAT(e.finished_at, '%Y-%m-%dT%H:%i:%s.000000Z') AS finished_at,"
    " e.file_path AS file"
    " FROM exports e WHERE e.id = ?";

static enum api_err
job_read(struct req *r, struct json_object **job)
{
	struct db_param p[1] = { DB_INT(r->scope.id) };
	struct json_object *rows = NULL;
	enum db_rc rc;

	*job = NULL;
	if ((rc = db_select(job_columns, p, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	if (json_object_array_length(rows) == 1)
		*job = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	return *job != NULL ? API_OK : API_NOT_FOUND;	/* removed meanwhile */
}

static enum api_err
exports_show(struct req *r)
{
	struct json_object *job;
	struct buf url = { 0 };
	enum api_err e;

	if ((e = job_read(r, &job)) != API_OK)
		return e;
	json_object_object_del(job, "file");	/* a name under export_dir: internal */
	buf_adds(&url, r->scheme_host);
	buf_addf(&url, "/v2/exports/%lld", (long long)r->scope.id);
	if (url.oom) {
		json_object_put(job);
		return API_SERVER;
	}
	json_object_object_add(job, "url", json_object_new_string_len(url.p, (int)url.len));
	buf_free(&url);
	http_set_json(r, 200, job);
	return API_OK;
}

static enum api_err
exports_download(struct req *r)
{
	static const char *const waiting[] = { "queued", "running" };
	struct json_object *job = NULL, *v;
	const char *status, *kind, *file = NULL;
	char path[4096], name[96], msg[1200];
	int fmt;
	enum api_err e;

	if ((e = job_read(r, &job)) != API_OK)
		return e;
	if (json_object_object_get_ex(job, "file", &v) && v != NULL)
		file = json_object_get_string(v);
	status = json_object_get_string(json_object_object_get(job, "status"));
	kind = json_object_get_string(json_object_object_get(job, "kind"));
	fmt = export_format_parse(json_object_get_string(json_object_object_get(job, "format")));
	if (strcmp(status, "done") != 0) {
		const char *why = json_object_get_string(json_object_object_get(job, "error"));
		if (strcmp(status, waiting[0]) == 0 || strcmp(status, waiting[1]) == 0)
			snprintf(msg, sizeof(msg), "The export is not ready yet: it is %s.", status);
		else if (why != NULL)
			snprintf(msg, sizeof(msg), "The export failed: %s", why);
		else
			snprintf(msg, sizeof(msg), "The export failed.");
		json_object_put(job);
		struct json_object *body = json_object_new_object();
		if (body == NULL)
			return API_SERVER;
		json_object_object_add(body, "message", json_object_new_string(msg));
		http_set_json(r, 409, body);
		return API_OK;
	}
	if (file == NULL || fmt < 0) {
		json_object_put(job);
		return API_NOT_FOUND;	/* a done job names its file: not this one */
	}
	if (r->conf->export_dir == NULL || strchr(file, '/') != NULL ||
	    snprintf(path, sizeof(path), "%s/%s", r->conf->export_dir, file) >= (int)sizeof(path))
		e = API_NOT_FOUND;
	else {
		snprintf(name, sizeof(name), "%s-%lld.%s", strcmp(kind, "user_media") == 0 ?
		    "user-media" : kind, (long long)r->scope.id,
		    export_format_ext((enum export_format)fmt));
		e = http_set_file(r, path, name, export_format_type((enum export_format)fmt));
	}
	json_object_put(job);
	return e;
}

const struct handler h_exports_show = HANDLER_NO_INPUT(exports_show);
const struct handler h_exports_download = HANDLER_NO_INPUT(exports_download);
