/*
 * test_ratelimit.c -- the shared counter file: what rl_open() accepts,
 * what it refuses and never touches, and the counting itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ratelimit.h"

static char dir[] = "/tmp/metapic-rl-XXXXXX";

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	rl_close();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static void
path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static off_t
size_of(const char *path)
{
	struct stat st;

	cr_assert_eq(lstat(path, &st), 0, "%s", path);
	return st.st_size;
}

TestSuite(ratelimit, .init = setup, .fini = teardown);

Test(ratelimit, creates_then_reuses_its_file)
{
	char p[256];
	int remaining, retry;

	path_of(p, sizeof(p), "rl");
	cr_assert_eq(rl_open(p), 0, "%s", strerror(errno));
	off_t size = size_of(p);
	cr_expect_gt(size, 8192);
	cr_expect(rl_hit(7, 2, 600, &remaining, &retry));
	cr_expect_eq(remaining, 1);
	cr_expect(rl_hit(7, 2, 610, &remaining, &retry));
	cr_expect_not(rl_hit(7, 2, 620, &remaining, &retry));
	cr_expect_eq(remaining, 0);
	cr_expect_eq(retry, 40);
	cr_expect(rl_hit(8, 2, 620, &remaining, &retry), "another user");
	cr_expect(rl_hit(7, 2, 660, &remaining, &retry), "the next minute");
	/* Opened again (another worker): the counts are shared. */
	rl_close();
	cr_assert_eq(rl_open(p), 0, "%s", strerror(errno));
	cr_expect_eq(size_of(p), size);
	cr_expect(rl_hit(7, 2, 661, &remaining, &retry));
	cr_expect_not(rl_hit(7, 2, 662, &remaining, &retry), "counted before the reopen");

	/* An empty file (an installer's touch) is made into one. */
	char e[256];
	path_of(e, sizeof(e), "empty");
	write_file(e, "");
	cr_assert_eq(rl_open(e), 0, "%s", strerror(errno));
	cr_expect_eq(size_of(e), size);
}

/* What sits at rate_limit_file is refused, and left exactly as it was. */
Test(ratelimit, refuses_what_is_not_its_own)
{
	char victim[256], p[256], target[256];
	static const char text[] = "precious data, not a rate limit file\n";

	path_of(victim, sizeof(victim), "victim");
	write_file(victim, text);

	/* A symbolic link, to a file or to nothing. */
	path_of(p, sizeof(p), "symlink");
	cr_assert_eq(symlink(victim, p), 0);
	cr_expect_eq(rl_open(p), -1);
	cr_expect_eq(errno, ELOOP);
	path_of(p, sizeof(p), "dangling");
	path_of(target, sizeof(target), "made-by-following");
	cr_assert_eq(symlink(target, p), 0);
	cr_expect_eq(rl_open(p), -1);
	cr_expect_eq(access(target, F_OK), -1, "the link's target was not created");

	/* A hard link to another file of ours. */
	path_of(p, sizeof(p), "hardlink");
	cr_assert_eq(link(victim, p), 0);
	cr_expect_eq(rl_open(p), -1);
	cr_expect_eq(errno, EMLINK);
	cr_expect_eq(unlink(p), 0);

	/* A regular file of ours that is something else. */
	cr_expect_eq(rl_open(victim), -1);
	cr_expect_eq(errno, EINVAL);
	cr_expect_eq(size_of(victim), (off_t)strlen(text), "not truncated or grown");

	/* A FIFO, a directory. */
	path_of(p, sizeof(p), "fifo");
	cr_assert_eq(mkfifo(p, 0600), 0);
	cr_expect_eq(rl_open(p), -1);
	cr_expect_eq(errno, EINVAL);
	path_of(p, sizeof(p), "dir");
	cr_assert_eq(mkdir(p, 0700), 0);
	cr_expect_eq(rl_open(p), -1);

	/* Another user's file (when the test can make one). */
	if (geteuid() == 0) {
		path_of(p, sizeof(p), "theirs");
		write_file(p, "");
		cr_assert_eq(chown(p, 65534, 65534), 0);
		cr_expect_eq(rl_open(p), -1);
		cr_expect_eq(errno, EPERM);
		cr_expect_eq(size_of(p), 0);
	}

	char buf[128] = "";
	FILE *f = fopen(victim, "r");
	cr_assert_not_null(f);
	cr_expect_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	cr_expect_str_eq(buf, text, "the victim's content is intact");

	/* Without an open file every request is allowed. */
	int remaining, retry;
	cr_expect(rl_hit(1, 1, 0, &remaining, &retry));
	cr_expect(rl_hit(1, 1, 0, &remaining, &retry));
}
