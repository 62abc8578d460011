/*
 * report.h -- reports by day: every day of a period, zeros included.
 */
#ifndef METAPIC_REPORT_H
#define METAPIC_REPORT_H

#include <stddef.h>

#include <json-c/json.h>

/* The longest period a report covers, in days (a little over 3 years). */
#define REPORT_MAX_DAYS 1200

/*
 * Parses a Y-m-d date (a real calendar date) into days since 1970-01-01
 * (UTC). Returns 0, or -1 for anything else.
 */
int report_day(const char *s, size_t n, long *days);

/* Writes the Y-m-d text of days since 1970-01-01 into out[11]. */
void report_date(long days, char out[11]);

/*
 * The series of every day from start to end (inclusive, Y-m-d, UTC) as a
 * new JSON array of objects: {"date": "Y-m-d", field: value, ...}. Values
 * come from rows (an array of objects with a "date" key, as a GROUP BY
 * day query returns them, in any order); a day without a row has 0 for
 * each of fields[0..nfields). Returns NULL when a date is invalid, end is
 * before start, the period is longer than max_days, or out of memory.
 */
struct json_object *report_days(const char *start, const char *end, struct json_object *rows,
    const char *const *fields, size_t nfields, long max_days);

#endif
