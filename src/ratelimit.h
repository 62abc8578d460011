/*
 * ratelimit.h -- requests per user per minute, shared by every process.
 *
 * The counters live in a small file mapped MAP_SHARED by each process
 * (pool workers, spawn-fcgi children, mod_fcgid processes alike), updated
 * under flock(2), which the kernel releases if a holder dies.
 */
#ifndef METAPIC_RATELIMIT_H
#define METAPIC_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/*
 * Maps the counter file at path. A missing file is created (mode 0600),
 * an empty one is given its size and header. Refused, with -1, errno set
 * and the reason logged: a symbolic link (ELOOP), anything but a regular
 * file or one that is not a rate limit file of this layout (EINVAL), a
 * file of another user (EPERM) or with more than one link (EMLINK). No
 * existing data is ever truncated. Returns 0 on success.
 */
int rl_open(const char *path);

/* Unmaps and closes. */
void rl_close(void);

/*
 * Counts one request of user at time now against limit per minute.
 * Returns true when allowed. Sets *remaining (never below 0) and, when
 * refused, *retry_after in seconds. Without an open file it allows all.
 */
bool rl_hit(int64_t user, int limit, time_t now, int *remaining, int *retry_after);

#endif
