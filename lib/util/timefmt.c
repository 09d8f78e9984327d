#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accord/error.h"
#include "accord/timefmt.h"

/*
 * Calendar arithmetic is done here, on the proleptic Gregorian calendar,
 * rather than with timegm()/gmtime(): the result must not depend on TZ,
 * locale or the platform's time_t, because times are signed evidence.
 */

#define SECS_PER_DAY 86400
#define MIN_TIME (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define MAX_TIME 253402300799LL	  /* 9999-12-31T23:59:59Z */
/* 100 years of 365.25 days: the longest duration anyone means */
#define MAX_DURATION (36525LL * SECS_PER_DAY)
/* How much of a bad argument to quote back. */
#define QUOTE_MAX 64

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t *y, unsigned *m, unsigned *d, int64_t z)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Read exactly n ASCII digits; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

struct civil {
	int year, month, day, hour, minute, second;
};

/*
 * Parse "YYYY-MM-DD?HH:MM:SS" (the first 19 bytes of s), where `seps`
 * lists the bytes allowed between date and time; on a range error *why
 * says what was wrong.
 */
static int parse_fields(struct civil *c, const char *s, const char *seps, const char **why)
{
	*why = NULL;
	if (strnlen(s, 19) < 19 || s[4] != '-' || s[7] != '-' || !strchr(seps, s[10]) ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	c->year = digits(s, 4);
	c->month = digits(s + 5, 2);
	c->day = digits(s + 8, 2);
	c->hour = digits(s + 11, 2);
	c->minute = digits(s + 14, 2);
	c->second = digits(s + 17, 2);
	if (c->year < 0 || c->month < 0 || c->day < 0 || c->hour < 0 || c->minute < 0 ||
	    c->second < 0)
		return -1;
	if (c->year < 1)
		*why = "year 0000 is not allowed";
	else if (c->month < 1 || c->month > 12)
		*why = "month must be 01-12";
	else if (c->day < 1 || c->day > days_in_month(c->year, c->month))
		*why = "no such day in that month";
	else if (c->hour > 23)
		*why = "hour must be 00-23";
	else if (c->minute > 59)
		*why = "minute must be 00-59";
	else if (c->second > 60)
		*why = "second must be 00-60";
	return *why ? -1 : 0;
}

static int64_t civil_to_time(const struct civil *c, int second)
{
	return days_from_civil(c->year, (unsigned)c->month, (unsigned)c->day) * SECS_PER_DAY +
	       c->hour * 3600 + c->minute * 60 + second;
}

/* RFC 3339 without touching the error message. */
static int parse_rfc3339(int64_t *out, const char *s, const char **why)
{
	struct civil c;
	const char *p;
	int64_t t;
	int n, oh, om, sign;

	if (parse_fields(&c, s, "Tt ", why) < 0)
		return -1;
	p = s + 19;
	if (*p == '.') {
		/* fractions are truncated: entries keep whole seconds */
		for (n = 0, p++; *p >= '0' && *p <= '9'; p++)
			n++;
		if (n < 1 || n > 9) {
			*why = n ? "at most 9 fractional digits" : NULL;
			return -1;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		sign = oh = om = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		/* in this order: digits() stops at a NUL, so nothing past it is read */
		if ((oh = digits(p + 1, 2)) < 0 || p[3] != ':' || (om = digits(p + 4, 2)) < 0)
			return -1;
		if (oh > 23 || om > 59) {
			*why = "offset must be within +-23:59";
			return -1;
		}
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	/*
	 * A leap second (:60) is counted as :59: epoch seconds have no room for
	 * it, and one second of skew is harmless next to the clocks people use.
	 * It exists only as 23:59:60 UTC, so :60 at any other minute is refused.
	 */
	t = civil_to_time(&c, c.second == 60 ? 59 : c.second) - sign * (oh * 3600 + om * 60);
	if (c.second == 60 &&
	    ((t % SECS_PER_DAY) + SECS_PER_DAY) % SECS_PER_DAY != SECS_PER_DAY - 1) {
		*why = "second 60 is a leap second, which only 23:59:60 UTC can be";
		return -1;
	}
	if (t < MIN_TIME || t > MAX_TIME) {
		*why = "outside years 0001-9999 in UTC";
		return -1;
	}
	*out = t;
	return 0;
}

/*
 * "2026-11-23T07:31" or "2026-11-23 07:31:19.5": a date and a time of day
 * with nothing after it. Nobody can tell which zone was meant, so it is
 * refused; the error shows the input rewritten with Z (and seconds when
 * they were left out), which the user can paste back or change to an offset.
 */
static int zoneless_error(const char *s)
{
	size_t n = strlen(s), len;
	char fixed[QUOTE_MAX + 8];
	struct civil c;
	const char *why, *p;

	if (n > QUOTE_MAX || n < 16 || s[4] != '-' || s[7] != '-' || !strchr("Tt ", s[10]) ||
	    digits(s, 4) < 0 || digits(s + 5, 2) < 0 || digits(s + 8, 2) < 0 ||
	    digits(s + 11, 2) < 0 || s[13] != ':' || digits(s + 14, 2) < 0)
		return 0;
	len = 16;
	if (n > 16) {
		if (s[16] != ':' || n < 19 || digits(s + 17, 2) < 0)
			return 0;
		len = 19;
		p = s + 19;
		if (*p == '.') /* fractions are fine: only the zone is missing */
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		if (*p)
			return 0;
		len = (size_t)(p - s);
	}
	snprintf(fixed, sizeof(fixed), "%.10sT%.*s%s", s, (int)(len - 11), s + 11,
		 len == 16 ? ":00" : "");
	if (parse_fields(&c, fixed, "T", &why) < 0)
		return 0; /* an impossible date: say that instead */
	return accord_error_set(
		ACCORD_EINVALID,
		"invalid time \"%s\": no time zone; write %sZ for UTC, or give the offset, such as %s+01:00",
		s, fixed, fixed);
}

static int time_error(const char *s, const char *why)
{
	if (!s)
		return accord_error_set(ACCORD_EINVALID, "no time given");
	if (!why && zoneless_error(s) < 0)
		return ACCORD_EINVALID;
	if (why)
		return accord_error_set(ACCORD_EINVALID, "invalid time \"%.*s\": %s", QUOTE_MAX, s,
					why);
	return accord_error_set(
		ACCORD_EINVALID,
		"invalid time \"%.*s\": expected RFC 3339 such as 2026-11-23T07:31:00Z, or a date such as 2026-11-23",
		QUOTE_MAX, s);
}

/* RFC 3339, or a plain date meaning its first second in UTC ("--since 2026-11-23"). */
static int parse_time_or_date(int64_t *out, const char *s, const char **why)
{
	char midnight[32];

	if (strnlen(s, 11) == 10) {
		snprintf(midnight, sizeof(midnight), "%sT00:00:00Z", s);
		return parse_rfc3339(out, midnight, why);
	}
	return parse_rfc3339(out, s, why);
}

int accord_time_parse(int64_t *out, const char *s)
{
	const char *why = NULL;

	if (!s || parse_time_or_date(out, s, &why) < 0)
		return time_error(s, why);
	return 0;
}

int accord_time_parse_canonical(int64_t *out, const char *s)
{
	struct civil c;
	const char *why = NULL;

	if (!s || strnlen(s, ACCORD_TIME_LEN) != ACCORD_TIME_LEN - 1 || s[19] != 'Z' ||
	    parse_fields(&c, s, "T", &why) < 0)
		return time_error(s, why);
	/* no leap seconds here: the stored form must round-trip through format */
	if (c.second == 60)
		return time_error(s, "second must be 00-59");
	*out = civil_to_time(&c, c.second);
	return 0;
}

/* Write the n lowest decimal digits of v, zero-padded. */
static void put_digits(char *out, unsigned v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void accord_time_format(char out[ACCORD_TIME_LEN], int64_t t)
{
	int64_t days, secs, y;
	unsigned m, d;

	/* clamp, so every input gives a well-formed four-digit year */
	if (t < MIN_TIME)
		t = MIN_TIME;
	if (t > MAX_TIME)
		t = MAX_TIME;
	days = t / SECS_PER_DAY;
	secs = t % SECS_PER_DAY;
	if (secs < 0) {
		secs += SECS_PER_DAY;
		days--;
	}
	civil_from_days(&y, &m, &d, days);
	/* digits by hand: the clamp bounds every field, which printf can't know */
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, (unsigned)(secs / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(secs % 60), 2);
	out[19] = 'Z';
	out[20] = '\0';
}

/*
 * A fixed "now" for the whole process, set once by the program before any
 * thread starts (the CLI passes $ACCORD_NOW): the library reads no
 * environment of its own.
 */
static int now_fixed;
static int64_t now_value;

void accord_time_set_now(const int64_t *t)
{
	now_fixed = t != NULL;
	now_value = t ? *t : 0;
}

int accord_time_now_fixed(void)
{
	return now_fixed;
}

int64_t accord_time_now(void)
{
	if (now_fixed)
		return now_value;
	return (int64_t)time(NULL);
}

int accord_duration_parse(int64_t *out, const char *s)
{
	static const struct {
		char unit;
		int64_t secs;
	} units[] = { { 'd', SECS_PER_DAY }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	const char *p = s;
	size_t next = 0, u;
	int64_t total = 0, n;

	if (!s || !*s)
		goto invalid;
	while (*p) {
		if (*p < '0' || *p > '9')
			goto invalid;
		/* stop early: n only grows, so past the limit it cannot come back */
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			n = n * 10 + (*p - '0');
			if (n > MAX_DURATION)
				goto too_long;
		}
		for (u = next; u < 4 && units[u].unit != *p; u++)
			;
		if (u == 4)
			goto invalid; /* no unit, an unknown one, or out of order */
		p++;
		next = u + 1;
		if (n > (MAX_DURATION - total) / units[u].secs)
			goto too_long;
		total += n * units[u].secs;
	}
	*out = total;
	return 0;

invalid:
	if (!s)
		return accord_error_set(ACCORD_EINVALID, "no duration given");
	return accord_error_set(ACCORD_EINVALID,
				"invalid duration \"%.*s\": use forms like 45s, 30m, 4h, 1h30m",
				QUOTE_MAX, s);
too_long:
	return accord_error_set(ACCORD_EINVALID, "invalid duration \"%.*s\": longer than 100 years",
				QUOTE_MAX, s);
}

void accord_duration_format(char *out, size_t outlen, int64_t seconds)
{
	static const struct {
		char unit;
		uint64_t secs;
	} units[] = { { 'd', SECS_PER_DAY }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	uint64_t v;
	size_t used = 0, u;
	int n;

	if (!out || outlen == 0)
		return;
	out[0] = '\0';
	/* negative durations are not parseable, but format them legibly anyway */
	if (seconds < 0) {
		v = (uint64_t)(-(seconds + 1)) + 1;
		n = snprintf(out, outlen, "-");
		used = (size_t)n < outlen ? (size_t)n : outlen - 1;
	} else {
		v = (uint64_t)seconds;
	}
	if (v == 0) {
		snprintf(out + used, outlen - used, "0s");
		return;
	}
	for (u = 0; u < 4; u++) {
		uint64_t q = v / units[u].secs;

		if (!q)
			continue;
		v -= q * units[u].secs;
		n = snprintf(out + used, outlen - used, "%llu%c", (unsigned long long)q,
			     units[u].unit);
		if (n < 0 || (size_t)n >= outlen - used) {
			out[used] = '\0'; /* drop a half-written group rather than mislead */
			return;
		}
		used += (size_t)n;
	}
}
