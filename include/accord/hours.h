#ifndef ACCORD_HOURS_H
#define ACCORD_HOURS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Business hours and the clocks that run in them (issue 18). An agreement
 * names a time zone; what it signs is that zone's POSIX TZ rule
 * ("CET-1CEST,M3.5.0,M10.5.0/3", the footer of the zone's TZif file), so
 * every copy computes the same clock whatever its tz database.
 *
 * Why a small evaluator of the rule instead of localtime_r: glibc computes
 * local time only from the process-global TZ environment variable, which a
 * library must not change under its caller (and which is not thread-safe).
 * The grammar is small (POSIX.1-2017 section 8.3, with RFC 8536's extension
 * of transition hours to -167..167); tests/test_hours.c checks the answers
 * against glibc's for each rule, setting TZ in the test process only.
 */

/* A parsed POSIX TZ rule. */
typedef struct {
	int32_t std_off; /* seconds east of UTC in standard time */
	int32_t dst_off; /* seconds east of UTC in daylight time */
	int has_dst;	 /* a daylight time with its rule */
	struct accord_tz_date {
		char kind; /* 'J' (1-365, no Feb 29), 'D' (0-365), 'M' (month.week.day) */
		int n, m, w, d;
		int32_t time; /* seconds after local midnight of the transition (may be < 0 or > 24h) */
	} start, end;
} accord_tzrule;

/* Parse a POSIX TZ rule. ACCORD_EINVALID with what is wrong. */
int accord_tzrule_parse(accord_tzrule *out, const char *rule);

/* Seconds east of UTC in effect at UTC time `t`. */
int32_t accord_tzrule_offset(const accord_tzrule *tz, int64_t t);

/*
 * The POSIX TZ rule of zone `zone` ("Europe/Copenhagen"), read from the
 * footer of its TZif file under `zoneinfo` (e.g. /usr/share/zoneinfo, Debian
 * package tzdata). The zone name is checked first (no "..", no absolute
 * path). *out (malloc'd) is the rule; ACCORD_ENOTFOUND for an unknown zone,
 * ACCORD_EINVALID for a file without a footer or a rule this evaluator
 * cannot read.
 */
int accord_tzrule_lookup(char **out, const char *zoneinfo, const char *zone);

/* Business hours: weekdays (bit 0 Monday ... bit 6 Sunday) from..to, local time. */
typedef struct {
	unsigned days; /* bit mask */
	int32_t from;  /* seconds after local midnight */
	int32_t to;    /* > from, at most 24h */
	accord_tzrule tz;
	int always; /* 24x7: no hours given */
} accord_hours;

/*
 * Parse the week part of --hours, "Mon-Fri 08:00-18:00" (days: Mon..Sun,
 * ranges and comma lists, "Sat,Sun", "Mon-Sun"; times HH:MM, 24:00 allowed
 * as the end), into out->days, from, to. ACCORD_EINVALID with why.
 */
int accord_hours_parse_week(accord_hours *out, const char *week);

/*
 * Split "--hours" as the user gives it, "Mon-Fri 08:00-18:00 Europe/Copenhagen",
 * into its week part (malloc'd, "Mon-Fri 08:00-18:00") and zone name
 * (malloc'd), checking the week part. ACCORD_EINVALID with why.
 */
int accord_hours_split(char **week, char **zone, const char *spec);

/* Seconds of [a, b) that lie within business hours (all of them when always). */
int64_t accord_hours_between(const accord_hours *h, int64_t a, int64_t b);

/*
 * The longest wall-clock time in which `seconds` of business time pass,
 * over every start (the worst: a window's close): `seconds` itself when
 * always, INT64_MAX for hours with no time in a week. What terms in these
 * hours allow in effect, to compare terms in different hours.
 */
int64_t accord_hours_worst_wall(const accord_hours *h, int64_t seconds);

#endif
