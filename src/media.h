/*
 * media.h -- files under media_dir: image objects and stored uploads.
 */
#ifndef METAPIC_MEDIA_H
#define METAPIC_MEDIA_H

#include <stddef.h>

#include <json-c/json.h>

#include "http.h"

struct conf;

/* imgproxy presets of SPEC.md's image objects. */
#define MEDIA_PRESET_OFFER "rs:fill:800:500/g:sm"
#define MEDIA_PRESET_RETURN_AD "rs:fit:2000:2000/g:sm"

/*
 * The image object of SPEC.md for the storage path: {"key", "url",
 * "base_url", "base64"}, key and base64 the path in base64, url
 * {media_base_url}/insecure/{preset}/{key}. NULL out of memory.
 */
struct json_object *media_image(const struct conf *c, const char *path, const char *preset);

/*
 * Writes data[0..len) to {media_dir}/{dir}/ under a random name with the
 * extension ext: first to a temporary name in that directory, then renamed
 * into place, so that a failure (disk full, a write error) leaves nothing.
 * On success returns API_OK and copies the path relative to media_dir
 * ("tmp/3f2a....png") into rel. API_UNAVAILABLE when the disk refused
 * (full, no space for inodes), API_SERVER otherwise; logged with r's id.
 */
enum api_err media_store(struct req *r, const char *dir, const char *ext, const void *data,
    size_t len, char *rel, size_t relsz);

/* Removes a stored file by its path relative to media_dir; quiet. */
void media_remove(const struct conf *c, const char *rel);

#endif
