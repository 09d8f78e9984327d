#include <stdlib.h>
#include <string.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "accord/hours.h"
#include "alloc.h"

/* ---- POSIX TZ rules (see include/accord/hours.h for why not localtime_r) ---- */

static int is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A zone abbreviation: three or more letters, or <...> of letters, digits, + and -. */
static int parse_name(const char **s)
{
	const char *p = *s;

	if (*p == '<') {
		for (p++; is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-'; p++)
			;
		if (*p != '>' || p - *s < 4)
			return -1;
		*s = p + 1;
		return 0;
	}
	while (is_alpha(*p))
		p++;
	if (p - *s < 3)
		return -1;
	*s = p;
	return 0;
}

static int parse_number(const char **s, int max, int *out)
{
	int v = 0, n = 0;

	while (is_digit(**s) && n < 4) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (n == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* [+-]hh[:mm[:ss]] with hh at most `max_hours`, in seconds. */
static int parse_hms(const char **s, int max_hours, int32_t *out)
{
	int sign = 1, h, m = 0, sec = 0;

	if (**s == '+' || **s == '-')
		sign = *(*s)++ == '-' ? -1 : 1;
	if (parse_number(s, max_hours, &h) < 0)
		return -1;
	if (**s == ':') {
		(*s)++;
		if (parse_number(s, 59, &m) < 0)
			return -1;
		if (**s == ':') {
			(*s)++;
			if (parse_number(s, 59, &sec) < 0)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + sec);
	return 0;
}

static int parse_date(const char **s, struct accord_tz_date *d)
{
	d->time = 7200; /* 02:00, the default */
	if (**s == 'J') {
		(*s)++;
		d->kind = 'J';
		if (parse_number(s, 365, &d->n) < 0 || d->n < 1)
			return -1;
	} else if (**s == 'M') {
		(*s)++;
		d->kind = 'M';
		if (parse_number(s, 12, &d->m) < 0 || d->m < 1 || *(*s)++ != '.' ||
		    parse_number(s, 5, &d->w) < 0 || d->w < 1 || *(*s)++ != '.' ||
		    parse_number(s, 6, &d->d) < 0)
			return -1;
	} else {
		d->kind = 'D';
		if (parse_number(s, 365, &d->n) < 0)
			return -1;
	}
	if (**s == '/') {
		(*s)++;
		return parse_hms(s, 167, &d->time);
	}
	return 0;
}

int accord_tzrule_parse(accord_tzrule *out, const char *rule)
{
	accord_tzrule tz;
	const char *s = rule;
	int32_t v;

	memset(&tz, 0, sizeof(tz));
	if (!rule || parse_name(&s) < 0 || parse_hms(&s, 24, &v) < 0)
		goto bad;
	tz.std_off = tz.dst_off = -v; /* POSIX offsets count west of UTC */
	if (*s == '\0')
		goto done;
	if (parse_name(&s) < 0)
		goto bad;
	tz.has_dst = 1;
	tz.dst_off = tz.std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (parse_hms(&s, 24, &v) < 0)
			goto bad;
		tz.dst_off = -v;
	}
	if (*s == '\0') {
		/* no rule: the default POSIX leaves to the implementation; glibc's is M3.2.0,M11.1.0 */
		tz.start = (struct accord_tz_date){ 'M', 0, 3, 2, 0, 7200 };
		tz.end = (struct accord_tz_date){ 'M', 0, 11, 1, 0, 7200 };
		goto done;
	}
	if (*s++ != ',' || parse_date(&s, &tz.start) < 0 || *s++ != ',' ||
	    parse_date(&s, &tz.end) < 0 || *s)
		goto bad;
done:
	*out = tz;
	return 0;
bad:
	return accord_error_set(ACCORD_EINVALID, "'%s' is not a POSIX TZ rule this version reads",
				rule ? rule : "");
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t year_of(int64_t days)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	return yoe + era * 400 + (m <= 2);
}

static int leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Weekday of a day number: 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday). */
static int weekday_sun0(int64_t day)
{
	return (int)(((day + 4) % 7 + 7) % 7);
}

/* The transition of `d` in year `y`, as seconds of local wall time since the epoch. */
static int64_t transition(const struct accord_tz_date *d, int64_t y)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t day;

	if (d->kind == 'J')
		day = days_from_civil(y, 1, 1) + d->n - 1 + (leap(y) && d->n >= 60);
	else if (d->kind == 'D')
		day = days_from_civil(y, 1, 1) + d->n;
	else {
		int64_t first = days_from_civil(y, d->m, 1);
		int len = mdays[d->m - 1] + (d->m == 2 && leap(y));
		int mday = 1 + (d->d - weekday_sun0(first) + 7) % 7 + (d->w - 1) * 7;

		while (mday > len)
			mday -= 7;
		day = first + mday - 1;
	}
	return day * 86400 + d->time;
}

int32_t accord_tzrule_offset(const accord_tzrule *tz, int64_t t)
{
	int64_t y, start, end;
	int dst;

	if (!tz->has_dst)
		return tz->std_off;
	/* as glibc does: the rules of the UTC year of t */
	y = year_of(floor_div(t, 86400));
	start = transition(&tz->start, y) - tz->std_off;
	end = transition(&tz->end, y) - tz->dst_off;
	dst = start < end ? t >= start && t < end : !(t >= end && t < start);
	return dst ? tz->dst_off : tz->std_off;
}

/* A zone name as tzdata spells them: components of letters, digits, '_', '+', '-', '.'. */
static int zone_valid(const char *zone)
{
	size_t i, n = strlen(zone), comp = 0;

	if (n == 0 || n > 100)
		return 0;
	for (i = 0; i <= n; i++) {
		char c = zone[i];

		if (c == '/' || c == '\0') {
			if (comp == 0 || zone[i - comp] == '.')
				return 0; /* empty, ".", ".." or a hidden file */
			comp = 0;
			continue;
		}
		if (!is_alpha(c) && !is_digit(c) && c != '_' && c != '+' && c != '-' && c != '.')
			return 0;
		comp++;
	}
	return 1;
}

int accord_tzrule_lookup(char **out, const char *zoneinfo, const char *zone)
{
	accord_buf path = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	accord_tzrule tz;
	size_t end, start;
	char *rule;
	int error;

	if (!zone_valid(zone))
		return accord_error_set(ACCORD_EINVALID,
					"'%s' is not a time zone name (like Europe/Copenhagen)",
					zone);
	accord_buf_printf(&path, "%s/%s", zoneinfo, zone);
	if ((error = accord_buf_read_file(&data, path.ptr, 1 << 20)) < 0) {
		error = accord_error_set(ACCORD_ENOTFOUND,
					 "unknown time zone '%s' (no %s; Debian package tzdata)",
					 zone, path.ptr);
		goto done;
	}
	/* TZif version 2 or later ends with "\n<POSIX TZ rule>\n" (RFC 8536, section 3.3) */
	if (data.size < 6 || memcmp(data.ptr, "TZif", 4) != 0 || data.ptr[4] < '2' ||
	    data.ptr[data.size - 1] != '\n') {
		error = accord_error_set(ACCORD_EINVALID, "%s is no TZif file with a POSIX TZ rule",
					 path.ptr);
		goto done;
	}
	end = data.size - 1;
	for (start = end; start > 0 && data.ptr[start - 1] != '\n'; start--)
		;
	if (start == 0 || start == end) {
		error = accord_error_set(ACCORD_EINVALID,
					 "time zone %s has no POSIX TZ rule for future times",
					 zone);
		goto done;
	}
	if (!(rule = malloc(end - start + 1)))
		accord_oom();
	memcpy(rule, data.ptr + start, end - start);
	rule[end - start] = '\0';
	if ((error = accord_tzrule_parse(&tz, rule)) < 0) {
		free(rule);
		goto done;
	}
	*out = rule;
done:
	accord_buf_dispose(&path);
	accord_buf_dispose(&data);
	return error;
}

/* ---- business hours ---- */

static const char *const day_names[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static int parse_day(const char **s)
{
	int i;

	for (i = 0; i < 7; i++)
		if (!strncmp(*s, day_names[i], 3)) {
			*s += 3;
			return i;
		}
	return -1;
}

/* HH:MM, 00:00 to 24:00. */
static int parse_clock(const char **s, int32_t *out)
{
	const char *p = *s;
	int h, m;

	if (!is_digit(p[0]) || !is_digit(p[1]) || p[2] != ':' || !is_digit(p[3]) || !is_digit(p[4]))
		return -1;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[3] - '0') * 10 + (p[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*out = h * 3600 + m * 60;
	*s = p + 5;
	return 0;
}

int accord_hours_parse_week(accord_hours *out, const char *week)
{
	const char *s = week;
	unsigned days = 0;
	int32_t from, to;

	for (;;) {
		int a = parse_day(&s), b = a, i;

		if (a < 0)
			goto bad;
		if (*s == '-') {
			s++;
			if ((b = parse_day(&s)) < 0 || b < a)
				goto bad;
		}
		for (i = a; i <= b; i++)
			days |= 1u << i;
		if (*s != ',')
			break;
		s++;
	}
	if (*s++ != ' ' || parse_clock(&s, &from) < 0 || *s++ != '-' || parse_clock(&s, &to) < 0 ||
	    *s || to <= from)
		goto bad;
	out->days = days;
	out->from = from;
	out->to = to;
	out->always = 0;
	return 0;
bad:
	return accord_error_set(
		ACCORD_EINVALID,
		"'%s' are no business hours: days and times like \"Mon-Fri 08:00-18:00\" (days Mon..Sun, ranges or lists; the end after the start)",
		week);
}

int accord_hours_split(char **week, char **zone, const char *spec)
{
	const char *sp = strrchr(spec, ' ');
	accord_hours h;
	char *w;
	int error;

	if (!sp || sp == spec || !sp[1])
		return accord_error_set(
			ACCORD_EINVALID,
			"--hours '%s': give days, times and a time zone, like \"Mon-Fri 08:00-18:00 Europe/Copenhagen\"",
			spec);
	if (!(w = strndup(spec, (size_t)(sp - spec))))
		accord_oom();
	if ((error = accord_hours_parse_week(&h, w)) < 0) {
		free(w);
		return error;
	}
	if (!(*zone = strdup(sp + 1)))
		accord_oom();
	*week = w;
	return 0;
}

/* UTC of a local wall time (in a gap, an hour either way; in an overlap, the first). */
static int64_t wall_to_utc(const accord_tzrule *tz, int64_t wall)
{
	int32_t o = accord_tzrule_offset(tz, wall - tz->std_off),
		o2 = accord_tzrule_offset(tz, wall - o);

	return wall - (o2 != o ? o2 : o);
}

int64_t accord_hours_between(const accord_hours *h, int64_t a, int64_t b)
{
	int64_t day, last, sum = 0;

	if (b <= a)
		return 0;
	if (h->always)
		return b - a;
	/* every local day that [a, b) touches, a day either side for the offsets */
	day = floor_div(a + accord_tzrule_offset(&h->tz, a), 86400) - 1;
	last = floor_div(b + accord_tzrule_offset(&h->tz, b), 86400) + 1;
	for (; day <= last; day++) {
		int wd = (weekday_sun0(day) + 6) % 7; /* 0 Monday */
		int64_t u0, u1, lo, hi;

		if (!(h->days & (1u << wd)))
			continue;
		u0 = wall_to_utc(&h->tz, day * 86400 + h->from);
		u1 = wall_to_utc(&h->tz, day * 86400 + h->to);
		lo = u0 > a ? u0 : a;
		hi = u1 < b ? u1 : b;
		if (hi > lo)
			sum += hi - lo;
	}
	return sum;
}

/*
 * The wall-clock time, from `start`, in which `seconds` of business time
 * pass: day by day over the windows. At most two weeks of days, the rest
 * in whole weeks (the caller's).
 */
static int64_t wall_from(const accord_hours *h, int64_t start, int64_t seconds)
{
	int64_t day = floor_div(start + accord_tzrule_offset(&h->tz, start), 86400);

	for (;; day++) {
		int wd = (weekday_sun0(day) + 6) % 7;
		int64_t u0, u1;

		if (!(h->days & (1u << wd)))
			continue;
		u0 = wall_to_utc(&h->tz, day * 86400 + h->from);
		u1 = wall_to_utc(&h->tz, day * 86400 + h->to);
		if (u0 < start)
			u0 = start;
		if (u1 <= u0)
			continue;
		if (u1 - u0 >= seconds)
			return u0 + seconds - start;
		seconds -= u1 - u0;
	}
}

int64_t accord_hours_worst_wall(const accord_hours *h, int64_t seconds)
{
	/* a Monday, 2024-01-01T00:00:00Z: the week the starts are taken from */
	const int64_t monday = 1704067200;
	int64_t week = 0, worst = 0, d;
	int wd;

	if (h->always || seconds <= 0)
		return seconds;
	for (wd = 0; wd < 7; wd++)
		if (h->days & (1u << wd))
			week += h->to - h->from;
	if (week <= 0)
		return INT64_MAX;
	/* the worst start is a window's close: the whole gap after it waits */
	for (wd = 0; wd < 7; wd++) {
		int64_t at;

		if (!(h->days & (1u << wd)))
			continue;
		at = wall_to_utc(&h->tz, (monday / 86400 + wd) * 86400 + h->to);
		d = wall_from(h, at, (seconds - 1) % week + 1);
		if (d > worst)
			worst = d;
	}
	d = (seconds - 1) / week;
	return d > (INT64_MAX - worst) / 604800 ? INT64_MAX : worst + d * 604800;
}
