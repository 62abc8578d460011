/*
 * report.c -- reports by day (see report.h).
 *
 * Days are counted in the proleptic Gregorian calendar with Howard
 * Hinnant's days-from-civil arithmetic: no time zones, no mktime(), so
 * every day is 24 hours of UTC whatever TZ says.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "report.h"

static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static bool
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
report_day(const char *s, size_t n, long *days)
{
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long y = 0;
	unsigned m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y) ? 1 : 0))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

void
report_date(long z, char out[11])
{
	long era, y;
	unsigned doe, yoe, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	/* Four digits of year (report_day takes no others), two of each. */
	y = ((y % 10000) + 10000) % 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* The row of rows whose "date" is day, or NULL. */
static struct json_object *
row_of(struct json_object *rows, const char *day)
{
	struct json_object *row, *v;

	for (size_t i = 0; rows != NULL && i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (json_object_object_get_ex(row, "date", &v) && v != NULL &&
		    strncmp(json_object_get_string(v), day, 10) == 0)
			return row;
	}
	return NULL;
}

struct json_object *
report_days(const char *start, const char *end, struct json_object *rows,
    const char *const *fields, size_t nfields, long max_days)
{
	struct json_object *out, *o, *row, *v;
	long a, b;
	char day[11];

	if (start == NULL || end == NULL ||
	    report_day(start, strlen(start), &a) == -1 || report_day(end, strlen(end), &b) == -1 ||
	    b < a || b - a + 1 > max_days)
		return NULL;
	if ((out = json_object_new_array_ext((int)(b - a + 1))) == NULL)
		return NULL;
	for (long d = a; d <= b; d++) {
		report_date(d, day);
		row = row_of(rows, day);
		if ((o = json_object_new_object()) == NULL ||
		    json_object_array_add(out, o) != 0) {
			json_object_put(o);
			json_object_put(out);
			return NULL;
		}
		json_object_object_add(o, "date", json_object_new_string(day));
		for (size_t f = 0; f < nfields; f++) {
			if (row != NULL && json_object_object_get_ex(row, fields[f], &v))
				json_object_object_add(o, fields[f], json_object_get(v));
			else
				json_object_object_add(o, fields[f], json_object_new_int(0));
		}
	}
	return out;
}
