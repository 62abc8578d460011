/*
 * log.c -- process log: time, pid, level, message; one write per line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static int log_fd = 2;
static enum log_level log_max = LOG_LVL_INFO;

static const char *const log_names[LOG_LVL__MAX] = {
	"error", "warn", "info", "debug",
};

int
log_level_parse(const char *s)
{
	for (int i = 0; i < LOG_LVL__MAX; i++)
		if (strcmp(s, log_names[i]) == 0)
			return i;
	return -1;
}

int
log_open(const char *path, enum log_level level)
{
	int fd;

	if (path == NULL || *path == '\0') {
		if (log_fd > 2)
			close(log_fd);
		log_fd = 2;
		log_max = level;
		return 0;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd == -1)
		return -1;
	if (log_fd > 2)
		close(log_fd);
	log_fd = fd;
	log_max = level;
	return 0;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char line[2048];
	struct timeval tv;
	struct tm tm;
	va_list ap;
	int n, m;

	if (level > log_max)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n = snprintf(line, sizeof(line),
	    "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ [%d] %s: ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (long)(tv.tv_usec / 1000), (int)getpid(),
	    log_names[level]);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* A lost log line must not take a request down with it. */
	while (write(log_fd, line, (size_t)n) == -1 && errno == EINTR)
		continue;
}

/* Bytes of the UTF-8 sequence that lead byte c starts; 0 if none. */
static size_t
utf8_seq_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

const char *
log_escape(char *dst, size_t dstsz, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n, len, plen, o = 0, mark = 0, room;
	char piece[4];
	unsigned char c;

	if (dstsz < 8) {
		if (dstsz > 0)
			dst[0] = '\0';
		return dst;
	}
	if (s == NULL)
		s = "-";
	n = strlen(s);
	room = dstsz - 1;
	for (size_t i = 0; i < n; i += len) {
		c = (unsigned char)s[i];
		len = 1;
		plen = 2;
		piece[0] = '\\';
		if (c == '\\' || c == '\n' || c == '\r' || c == '\t')
			piece[1] = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		else if (c >= 0x20 && c < 0x7f) {
			piece[0] = (char)c;
			plen = 1;
		} else if ((len = utf8_seq_len(c)) > 1 && i + len <= n &&
		    util_utf8_valid(s + i, len)) {
			memcpy(piece, s + i, len);
			plen = len;
		} else {
			len = 1;
			piece[1] = 'x';
			piece[2] = hex[c >> 4];
			piece[3] = hex[c & 15];
			plen = 4;
		}
		if (o + plen > room) {
			/* Cut where "..." still fits, never inside a character. */
			memcpy(dst + mark, "...", 3);
			o = mark + 3;
			break;
		}
		memcpy(dst + o, piece, plen);
		o += plen;
		if (o <= room - 3)
			mark = o;
	}
	dst[o] = '\0';
	return dst;
}
