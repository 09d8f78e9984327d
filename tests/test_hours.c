#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accord/error.h"
#include "accord/hours.h"
#include "accord/timefmt.h"

static int64_t at(const char *s)
{
	int64_t t;

	assert_int_equal(accord_time_parse(&t, s), 0);
	return t;
}

static void test_hours_parses_rules(void **state)
{
	accord_tzrule tz;

	(void)state;
	assert_int_equal(accord_tzrule_parse(&tz, "CET-1CEST,M3.5.0,M10.5.0/3"), 0);
	assert_int_equal(tz.std_off, 3600);
	assert_int_equal(tz.dst_off, 7200);
	assert_true(tz.has_dst);
	assert_int_equal(tz.start.m, 3);
	assert_int_equal(tz.start.w, 5);
	assert_int_equal(tz.start.time, 7200);
	assert_int_equal(tz.end.time, 3 * 3600);
	assert_int_equal(accord_tzrule_parse(&tz, "UTC0"), 0);
	assert_false(tz.has_dst);
	assert_int_equal(tz.std_off, 0);
	assert_int_equal(accord_tzrule_parse(&tz, "<+0530>-5:30"), 0);
	assert_int_equal(tz.std_off, 5 * 3600 + 1800);
	assert_int_equal(accord_tzrule_parse(&tz, "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1"), 0);
	assert_int_equal(tz.start.time, -7200);
	assert_int_equal(accord_tzrule_parse(&tz, "EST5EDT"), 0); /* glibc's default rule */
	assert_int_equal(tz.start.m, 3);
	assert_int_equal(tz.end.m, 11);
}

static void test_hours_rejects_bad_rules(void **state)
{
	static const char *bad[] = {
		"",
		"C",
		"CET",
		"CET-1CEST,M3.5.0",
		"CET-1CEST,M13.5.0,M10.5.0",
		"CET-1CEST,M3.6.0,M10.5.0",
		"CET-1CEST,M3.5.7,M10.5.0",
		"CET-1CEST,J0,J100",
		"CET-1CEST,366,100",
		"CET-25",
		"CET-1CEST,M3.5.0/168,M10.5.0",
		"CET-1x",
		"<AB>1",
		"CET-1CEST,M3.5.0,M10.5.0 ",
	};
	accord_tzrule tz;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (accord_tzrule_parse(&tz, bad[i]) == 0)
			fail_msg("accepted '%s'", bad[i]);
	}
}

/* The evaluator against glibc's localtime_r, with TZ set in this test process only. */
static void check_against_glibc(const char *rule, int64_t from, int64_t to, int64_t step)
{
	accord_tzrule tz;
	int64_t t;

	assert_int_equal(accord_tzrule_parse(&tz, rule), 0);
	setenv("TZ", rule, 1);
	tzset();
	for (t = from; t < to; t += step) {
		time_t tt = (time_t)t;
		struct tm tm;

		assert_non_null(localtime_r(&tt, &tm));
		if (tm.tm_gmtoff != accord_tzrule_offset(&tz, t))
			fail_msg("%s at %lld: glibc %ld, accord %d", rule, (long long)t,
				 tm.tm_gmtoff, accord_tzrule_offset(&tz, t));
	}
	unsetenv("TZ");
	tzset();
}

static void test_hours_matches_glibc(void **state)
{
	static const char *rules[] = {
		"CET-1CEST,M3.5.0,M10.5.0/3",
		"EST5EDT,M3.2.0,M11.1.0",
		"AEST-10AEDT,M10.1.0,M4.1.0/3",
		"NZST-12NZDT,M9.5.0,M4.1.0/3",
		"<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
		"IST-2IDT,M3.4.4/26,M10.5.0",
		"GMT0BST,M3.5.0/1,M10.5.0",
		"WET0WEST,J60,J300/1",
		"XST3XDT,59,300",
		"<+0545>-5:45",
		"EST5EDT",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		/* every 15 minutes of 2026 to 2028 (2028 a leap year) */
		check_against_glibc(rules[i], at("2026-01-01T00:00:00Z"),
				    at("2029-01-01T00:00:00Z"), 900);
	}
}

static void test_hours_dst_edges(void **state)
{
	accord_tzrule tz;

	(void)state;
	assert_int_equal(accord_tzrule_parse(&tz, "CET-1CEST,M3.5.0,M10.5.0/3"), 0);
	/* 2026: summer time starts Sunday March 29 at 02:00 CET = 01:00 UTC ... */
	assert_int_equal(accord_tzrule_offset(&tz, at("2026-03-29T00:59:59Z")), 3600);
	assert_int_equal(accord_tzrule_offset(&tz, at("2026-03-29T01:00:00Z")), 7200);
	/* ... and ends Sunday October 25 at 03:00 CEST = 01:00 UTC */
	assert_int_equal(accord_tzrule_offset(&tz, at("2026-10-25T00:59:59Z")), 7200);
	assert_int_equal(accord_tzrule_offset(&tz, at("2026-10-25T01:00:00Z")), 3600);
	/* southern hemisphere: Sydney's summer spans the new year */
	assert_int_equal(accord_tzrule_parse(&tz, "AEST-10AEDT,M10.1.0,M4.1.0/3"), 0);
	assert_int_equal(accord_tzrule_offset(&tz, at("2026-01-01T00:00:00Z")), 11 * 3600);
	assert_int_equal(accord_tzrule_offset(&tz, at("2026-07-01T00:00:00Z")), 10 * 3600);
	/* April 5 2026, 03:00 AEDT = April 4 16:00 UTC */
	assert_int_equal(accord_tzrule_offset(&tz, at("2026-04-04T15:59:59Z")), 11 * 3600);
	assert_int_equal(accord_tzrule_offset(&tz, at("2026-04-04T16:00:00Z")), 10 * 3600);
}

static void test_hours_parses_week(void **state)
{
	accord_hours h;

	(void)state;
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 08:00-18:00"), 0);
	assert_int_equal(h.days, 0x1f);
	assert_int_equal(h.from, 8 * 3600);
	assert_int_equal(h.to, 18 * 3600);
	assert_int_equal(accord_hours_parse_week(&h, "Sat,Sun 00:00-24:00"), 0);
	assert_int_equal(h.days, 0x60);
	assert_int_equal(h.to, 86400);
	assert_int_equal(accord_hours_parse_week(&h, "Mon,Wed-Thu 09:30-17:15"), 0);
	assert_int_equal(h.days, 0x0d);
	assert_int_equal(h.from, 9 * 3600 + 1800);
	assert_int_equal(accord_hours_parse_week(&h, "Fri-Mon 08:00-18:00"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 18:00-08:00"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 08:00-08:00"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 8:00-18:00"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 08:00-24:01"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 08:60-18:00"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, "Monday 08:00-18:00"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri  08:00-18:00"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 08:00-18:00 "), ACCORD_EINVALID);
	assert_int_equal(accord_hours_parse_week(&h, ""), ACCORD_EINVALID);
}

static void test_hours_splits_spec(void **state)
{
	char *week = NULL, *zone = NULL;

	(void)state;
	assert_int_equal(accord_hours_split(&week, &zone, "Mon-Fri 08:00-18:00 Europe/Copenhagen"),
			 0);
	assert_string_equal(week, "Mon-Fri 08:00-18:00");
	assert_string_equal(zone, "Europe/Copenhagen");
	free(week);
	free(zone);
	assert_int_equal(accord_hours_split(&week, &zone, "Mon-Fri 08:00-18:00"), ACCORD_EINVALID);
	assert_int_equal(accord_hours_split(&week, &zone, "Europe/Copenhagen"), ACCORD_EINVALID);
}

static void test_hours_reads_tzif_footer(void **state)
{
	char *rule = NULL;

	(void)state;
	assert_int_equal(accord_tzrule_lookup(&rule, "/usr/share/zoneinfo", "Europe/Copenhagen"),
			 0);
	assert_string_equal(rule, "CET-1CEST,M3.5.0,M10.5.0/3");
	free(rule);
	assert_int_equal(accord_tzrule_lookup(&rule, "/usr/share/zoneinfo", "UTC"), 0);
	assert_string_equal(rule, "UTC0");
	free(rule);
	assert_int_equal(accord_tzrule_lookup(&rule, "/usr/share/zoneinfo", "Mars/Olympus"),
			 ACCORD_ENOTFOUND);
	assert_int_equal(accord_tzrule_lookup(&rule, "/usr/share/zoneinfo", "../../etc/passwd"),
			 ACCORD_EINVALID);
	assert_int_equal(accord_tzrule_lookup(&rule, "/usr/share/zoneinfo", "/etc/passwd"),
			 ACCORD_EINVALID);
	assert_int_equal(accord_tzrule_lookup(&rule, "/usr/share/zoneinfo", "Europe/.hidden"),
			 ACCORD_EINVALID);
	assert_int_equal(accord_tzrule_lookup(&rule, "/usr/share/zoneinfo", "Europe//Paris"),
			 ACCORD_EINVALID);
	/* not a TZif file */
	assert_int_equal(accord_tzrule_lookup(&rule, "/usr/share/zoneinfo", "zone.tab"),
			 ACCORD_EINVALID);
}

static void test_hours_counts_business_time(void **state)
{
	accord_hours h;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 08:00-18:00"), 0);
	assert_int_equal(accord_tzrule_parse(&h.tz, "CET-1CEST,M3.5.0,M10.5.0/3"), 0);
	/* Friday 2026-11-20 16:00 CET (15:00Z) to Monday 23rd 10:00 CET (09:00Z):
	 * Friday 16:00-18:00 = 2h, the weekend nothing, Monday 08:00-10:00 = 2h: 4h */
	assert_int_equal(
		accord_hours_between(&h, at("2026-11-20T15:00:00Z"), at("2026-11-23T09:00:00Z")),
		4 * 3600);
	/* across the end of summer time: Friday 2026-10-23 17:00 CEST (15:00Z) to Monday
	 * 26th 09:00 CET (08:00Z): Friday 1h, Monday 08:00-09:00 CET 1h = 2h */
	assert_int_equal(
		accord_hours_between(&h, at("2026-10-23T15:00:00Z"), at("2026-10-26T08:00:00Z")),
		2 * 3600);
	/* Monday 2026-10-26 07:00Z = 08:00 CET: from 07:00Z (opening) to 17:00Z (closing) is 10h */
	assert_int_equal(
		accord_hours_between(&h, at("2026-10-26T07:00:00Z"), at("2026-10-26T17:00:00Z")),
		10 * 3600);
	/* the Friday before, in summer time, the same UTC span is 08:00Z-16:00Z open: 9h */
	assert_int_equal(
		accord_hours_between(&h, at("2026-10-23T07:00:00Z"), at("2026-10-23T17:00:00Z")),
		9 * 3600);
	/* empty and reversed spans */
	assert_int_equal(
		accord_hours_between(&h, at("2026-11-21T10:00:00Z"), at("2026-11-22T10:00:00Z")),
		0);
	assert_int_equal(
		accord_hours_between(&h, at("2026-11-23T10:00:00Z"), at("2026-11-23T09:00:00Z")),
		0);
	h.always = 1;
	assert_int_equal(
		accord_hours_between(&h, at("2026-11-20T15:00:00Z"), at("2026-11-23T09:00:00Z")),
		2 * 86400 + 18 * 3600);
}

/* What terms allow in effect: the worst start is a window's close. */
static void test_hours_worst_wall(void **state)
{
	accord_hours h;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(accord_hours_parse_week(&h, "Mon-Fri 08:00-18:00"), 0);
	assert_int_equal(accord_tzrule_parse(&h.tz, "UTC0"), 0);
	/* 1h from Friday 18:00: Monday 09:00, 63h later */
	assert_int_equal(accord_hours_worst_wall(&h, 3600), 63 * 3600);
	/* a business day: Monday 18:00, 72h */
	assert_int_equal(accord_hours_worst_wall(&h, 10 * 3600), 72 * 3600);
	/* a business week: the next Friday 18:00; one hour more: the Monday after */
	assert_int_equal(accord_hours_worst_wall(&h, 50 * 3600), 168 * 3600);
	assert_int_equal(accord_hours_worst_wall(&h, 51 * 3600), (168 + 63) * 3600);
	/* 30 days of business time */
	assert_int_equal(accord_hours_worst_wall(&h, 720 * 3600), (14 * 168 + 96) * 3600);
	assert_int_equal(accord_hours_worst_wall(&h, 0), 0);
	/* Saturday alone: from Saturday 18:00, a week less the window to the next one's end */
	assert_int_equal(accord_hours_parse_week(&h, "Sat 08:00-18:00"), 0);
	assert_int_equal(accord_hours_worst_wall(&h, 10 * 3600), 168 * 3600);
	h.always = 1;
	assert_int_equal(accord_hours_worst_wall(&h, 3600), 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hours_parses_rules),
		cmocka_unit_test(test_hours_rejects_bad_rules),
		cmocka_unit_test(test_hours_matches_glibc),
		cmocka_unit_test(test_hours_dst_edges),
		cmocka_unit_test(test_hours_parses_week),
		cmocka_unit_test(test_hours_splits_spec),
		cmocka_unit_test(test_hours_reads_tzif_footer),
		cmocka_unit_test(test_hours_counts_business_time),
		cmocka_unit_test(test_hours_worst_wall),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
