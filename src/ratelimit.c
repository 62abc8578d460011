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

struct rl_slot {
	int64_t user;
	int64_t window;	/* minute number */
	int32_t count;
	int32_t pad;
};

static int rl_fd = -1;
static struct rl_slot *rl_map;

int
rl_open(const char *path)
{
	size_t size = RL_SLOTS * sizeof(struct rl_slot);
	struct stat st;
	int fd;
	void *m;

	rl_close();
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || ((size_t)st.st_size != size &&
	    ftruncate(fd, (off_t)size) == -1)) {
		close(fd);
		return -1;
	}
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		close(fd);
		return -1;
	}
	rl_fd = fd;
	rl_map = m;
	return 0;
}

void
rl_close(void)
{
	if (rl_map != NULL)
		munmap(rl_map, RL_SLOTS * sizeof(struct rl_slot));
	if (rl_fd != -1)
		close(rl_fd);
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
