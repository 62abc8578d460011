/*
 * ratelimit.c -- fixed one-minute windows in a shared mapped file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "ratelimit.h"

#define RL_SLOTS 8192	/* power of two */
#define RL_PROBE 16	/* slots tried before the oldest is reused */
#define RL_MAGIC "metapic-ratelimit-1\n"	/* 20 bytes, then the slot count */

struct rl_head {
	char magic[20];
	uint32_t slots;
	char pad[8];
};

struct rl_slot {
	int64_t user;
	int64_t window;	/* minute number */
	int32_t count;
	int32_t pad;
};

_Static_assert(sizeof(struct rl_head) % 8 == 0, "slots stay 8-byte aligned");

#define RL_SIZE (sizeof(struct rl_head) + RL_SLOTS * sizeof(struct rl_slot))

static int rl_fd = -1;
static void *rl_base;		/* the whole mapped file */
static struct rl_slot *rl_map;	/* its slots */

/* Refuses fd (errno set, reason logged) unless it is a file of ours alone. */
static int
check_owner(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode)) {
		log_error("rate limit file %s is not a regular file", path);
		errno = EINVAL;
		return -1;
	}
	if (st->st_uid != geteuid()) {
		log_error("rate limit file %s belongs to uid %ld, not to us", path,
		    (long)st->st_uid);
		errno = EPERM;
		return -1;
	}
	if (st->st_nlink != 1) {
		/* A hard link to another of our files: never write into it. */
		log_error("rate limit file %s has %ld links", path, (long)st->st_nlink);
		errno = EMLINK;
		return -1;
	}
	return 0;
}

/*
 * Under the file's lock: an empty file (just made, or by an installer's
 * touch) gets its size and header; anything else must already be a rate
 * limit file of this layout. Nothing is ever truncated or overwritten.
 */
static int
check_layout(const char *path, int fd)
{
	struct rl_head h;
	struct stat st;
	int rc = -1, saved;

	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR)
			return -1;
	if (fstat(fd, &st) == -1)
		goto out;
	if (st.st_size == 0) {
		memset(&h, 0, sizeof(h));
		memcpy(h.magic, RL_MAGIC, sizeof(h.magic));
		h.slots = RL_SLOTS;
		if (ftruncate(fd, (off_t)RL_SIZE) == -1 ||
		    pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
			goto out;
		rc = 0;
		goto out;
	}
	if ((size_t)st.st_size != RL_SIZE ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    memcmp(h.magic, RL_MAGIC, sizeof(h.magic)) != 0 || h.slots != RL_SLOTS) {
		log_error("%s is not a rate limit file of this version; remove it to let "
		    "the server make a new one", path);
		errno = EINVAL;
		goto out;
	}
	rc = 0;
out:
	saved = errno;
	flock(fd, LOCK_UN);
	errno = saved;
	return rc;
}

int
rl_open(const char *path)
{
	struct stat st;
	int fd, saved;
	void *m;

	rl_close();
	/*
	 * O_NOFOLLOW: a symbolic link at path is refused, not followed.
	 * O_NONBLOCK: a FIFO planted there cannot hang us; it is refused below.
	 */
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
	    0600);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || check_owner(path, &st) == -1 ||
	    check_layout(path, fd) == -1)
		goto fail;
	m = mmap(NULL, RL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		goto fail;
	rl_fd = fd;
	rl_base = m;
	rl_map = (struct rl_slot *)((char *)m + sizeof(struct rl_head));
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

void
rl_close(void)
{
	if (rl_base != NULL)
		munmap(rl_base, RL_SIZE);
	if (rl_fd != -1)
		close(rl_fd);
	rl_base = NULL;
	rl_map = NULL;
	rl_fd = -1;
}

bool
rl_hit(int64_t user, int limit, time_t now, int *remaining, int *retry_after)
{
	int64_t window = (int64_t)now / 60;
	uint64_t h = (uint64_t)user * 0x9E3779B97F4A7C15ull;
	struct rl_slot *s = NULL, *oldest = NULL;
	bool allowed;

	*remaining = limit;
	*retry_after = 0;
	if (rl_map == NULL || limit <= 0)
		return true;
	while (flock(rl_fd, LOCK_EX) == -1)
		if (errno != EINTR) {
			log_warn("rate limit lock: %s; allowing", strerror(errno));
			return true;
		}
	for (int i = 0; i < RL_PROBE; i++) {
		struct rl_slot *c = &rl_map[(h + (uint64_t)i) & (RL_SLOTS - 1)];
		if (c->user == user) {
			s = c;
			break;
		}
		if (oldest == NULL || c->window < oldest->window)
			oldest = c;
	}
	if (s == NULL) {
		s = oldest;
		s->user = user;
		s->window = window;
		s->count = 0;
	}
	if (s->window != window) {
		s->window = window;
		s->count = 0;
	}
	allowed = s->count < limit;
	if (allowed)
		s->count++;
	*remaining = limit - s->count;
	if (*remaining < 0)
		*remaining = 0;
	if (!allowed)
		*retry_after = (int)(60 - now % 60);
	flock(rl_fd, LOCK_UN);
	return allowed;
}
