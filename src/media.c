/*
 * media.c -- files under media_dir (see media.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "media.h"
#include "util.h"

struct json_object *
media_image(const struct conf *c, const char *path, const char *preset)
{
	struct json_object *o;
	struct buf url = { 0 };
	char *key;

	if ((key = util_base64(path, strlen(path))) == NULL)
		return NULL;
	buf_adds(&url, c->media_base_url);
	buf_adds(&url, "/insecure/");
	buf_adds(&url, preset);
	buf_addc(&url, '/');
	buf_adds(&url, key);
	if (url.oom || (o = json_object_new_object()) == NULL) {
		buf_free(&url);
		free(key);
		return NULL;
	}
	json_object_object_add(o, "key", json_object_new_string(key));
	json_object_object_add(o, "url", json_object_new_string_len(url.p, (int)url.len));
	json_object_object_add(o, "base_url", json_object_new_string(c->media_base_url));
	json_object_object_add(o, "base64", json_object_new_string(key));
	buf_free(&url);
	free(key);
	return o;
}

/* Writes all of data to fd; -1 with errno on failure. */
static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

enum api_err
media_store(struct req *r, const char *dir, const char *ext, const void *data, size_t len,
    char *rel, size_t relsz)
{
	const struct conf *c = r->conf;
	char full[1024], tmp[1100], final[1100], rnd[33];
	int fd = -1, err;

	if (c->media_dir == NULL || !*c->media_dir) {
		log_error("rid=%s media_dir is not set: cannot store uploads", r->id);
		return API_SERVER;
	}
	if (snprintf(full, sizeof(full), "%s/%s", c->media_dir, dir) >= (int)sizeof(full))
		return API_SERVER;
	if (mkdir(full, 0755) == -1 && errno != EEXIST) {
		log_error("rid=%s cannot make %s: %s", r->id, full, strerror(errno));
		return API_SERVER;
	}
	if (util_random_hex(rnd, 16) == -1)
		return API_SERVER;
	if (snprintf(tmp, sizeof(tmp), "%s/.part-%s", full, rnd) >= (int)sizeof(tmp) ||
	    snprintf(final, sizeof(final), "%s/%s.%s", full, rnd, ext) >= (int)sizeof(final) ||
	    snprintf(rel, relsz, "%s/%s.%s", dir, rnd, ext) >= (int)relsz)
		return API_SERVER;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644)) == -1)
		goto fail;
	if (write_all(fd, data, len) == -1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, final) == -1)
		goto fail;
	return API_OK;
fail:
	err = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	rel[0] = '\0';
	log_error("rid=%s cannot store an upload in %s: %s", r->id, full, strerror(err));
	return err == ENOSPC || err == EDQUOT ? API_UNAVAILABLE : API_SERVER;
}

void
media_remove(const struct conf *c, const char *rel)
{
	char full[1100];

	if (c->media_dir != NULL && rel[0] != '\0' &&
	    snprintf(full, sizeof(full), "%s/%s", c->media_dir, rel) < (int)sizeof(full))
		unlink(full);
}
