/*
 * log.h -- process log and the access log.
 *
 * One line per event, to the configured file or stderr. Safe to call from
 * any process of the pool: each line is one write(2) on an O_APPEND file.
 */
#ifndef METAPIC_LOG_H
#define METAPIC_LOG_H

#include <stddef.h>

enum log_level {
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
	LOG_LVL__MAX
};

/*
 * Opens path for appending and makes it the log (NULL or "" = stderr).
 * Returns 0, or -1 with errno set; the previous log stays in use then.
 */
int log_open(const char *path, enum log_level level);

/* Parses "error", "warn", "info", "debug". Returns -1 for anything else. */
int log_level_parse(const char *s);

/* Writes one line at the given level, prefixed with time and pid. */
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A size for log_escape() buffers: long enough for a database error. */
#define LOG_FIELD_MAX 512

/*
 * Copies s into dst (dstsz bytes, at least 8) as text that is safe in one
 * log line: a backslash becomes \\, a control character \n, \r, \t or
 * \xHH, a byte that is not part of valid UTF-8 \xHH. Text that does not
 * fit is cut on a character boundary and ends in "...". NULL s gives "-".
 * Returns dst, so that it can be a "%s" argument of log_msg().
 */
const char *log_escape(char *dst, size_t dstsz, const char *s);

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
