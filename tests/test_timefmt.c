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
#include "accord/timefmt.h"

static void test_timefmt_parses_rfc3339(void **state)
{
	static const struct {
		const char *s;
		int64_t t;
	} cases[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2026-11-23T07:31:19Z", 1795419079 },
		{ "2026-11-23t07:31:19z", 1795419079 },
		{ "2026-11-23 07:31:19Z", 1795419079 },
		{ "2026-11-23T08:31:19+01:00", 1795419079 },
		{ "2026-11-23T02:01:19-05:30", 1795419079 },
		{ "2026-11-23T07:31:19-00:00", 1795419079 },
		{ "2026-11-23T07:31:19.999999999Z", 1795419079 }, /* truncated */
		{ "2026-11-23T07:31:19.5+00:00", 1795419079 },
		{ "2026-11-24T06:31:19+23:00", 1795419079 },
		{ "2026-11-22T07:32:19-23:59", 1795419079 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "2000-02-29T12:00:00Z", 951825600 },
		{ "2024-02-29T23:59:59Z", 1709251199 },
		{ "2016-12-31T23:59:60Z", 1483228799 },	     /* leap second counts as :59 */
		{ "2017-01-01T00:59:60+01:00", 1483228799 }, /* the same second, at +01:00 */
		{ "2038-01-19T03:14:08Z", 2147483648LL },
		{ "0001-01-01T00:00:00Z", -62135596800LL },
		{ "9999-12-31T23:59:59Z", 253402300799LL },
		{ "2027-01-01T00:59:59+01:00", 1798761599 },
		/* a plain date is its first second in UTC */
		{ "2026-11-23", 1795392000 },
		{ "1970-01-01", 0 },
		{ "2024-02-29", 1709164800 },
	};
	size_t i;
	int64_t t;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = 12345;
		if (accord_time_parse(&t, cases[i].s) != 0 || t != cases[i].t)
			print_error("%s: %s (got %lld)\n", cases[i].s, accord_error_last(),
				    (long long)t);
		assert_int_equal(accord_time_parse(&t, cases[i].s), 0);
		assert_true(t == cases[i].t);
	}
}

static void test_timefmt_rejects_bad_times(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-11-23T07:31Z",
		"2026-11-2",
		"2026-11-233",
		"2026/11/23",
		" 2026-11-23T07:31:19Z",
		"2026-11-23T07:31:19Z ",
		"2026-11-23T07:31:19Zjunk",
		"2026-11-23X07:31:19Z",
		"2026-11-23T07:31:19.Z",
		"2026-11-23T07:31:19+0100",
		"2026-11-23T07:31:19+01",
		"2026-11-23T07:31:19+1:00",
		"2026-11-23T07:31:19+",
		"2026-11-23T07:31:19+01:00:00",
		"2026-11-23T07:31:19UTC",
		"26-11-23T07:31:19Z",
		"+2026-11-23T07:31:19Z",
		"2026-1-23T07:31:19Z",
		"2026/11/23T07:31:19Z",
		"2026-11-23T7:31:19Z",
		"2026-11-23T07:31:1aZ",
		"2026-11-23T07:31:-1Z",
	};
	static const struct {
		const char *s;
		const char *why;
	} out_of_range[] = {
		{ "2026-13-01T00:00:00Z", "month must be 01-12" },
		{ "2026-00-01T00:00:00Z", "month must be 01-12" },
		{ "2026-02-29T00:00:00Z", "no such day" },
		{ "1900-02-29T00:00:00Z", "no such day" },
		{ "2026-04-31T00:00:00Z", "no such day" },
		{ "2026-01-00T00:00:00Z", "no such day" },
		{ "2026-01-32T00:00:00Z", "no such day" },
		{ "2026-01-01T24:00:00Z", "hour must be 00-23" },
		{ "2026-01-01T00:60:00Z", "minute must be 00-59" },
		{ "2026-11-20T09:05:60Z",
		  "second 60 is a leap second, which only 23:59:60 UTC can be" },
		{ "2016-12-31T23:59:60+01:00",
		  "second 60 is a leap second, which only 23:59:60 UTC can be" },
		{ "2026-01-01T00:00:61Z", "second must be 00-60" },
		{ "0000-01-01T00:00:00Z", "year 0000" },
		{ "2026-11-23T07:31:19.1234567890Z", "at most 9 fractional digits" },
		{ "2026-01-01T00:00:00+24:00", "offset must be within +-23:59" },
		{ "2026-01-01T00:00:00-00:60", "offset must be within +-23:59" },
		{ "0001-01-01T00:00:00+00:01", "outside years 0001-9999" },
		{ "9999-12-31T23:59:59-00:01", "outside years 0001-9999" },
		{ "2026-02-29", "no such day" },
		{ "2026-13-01", "month must be 01-12" },
	};
	char msg[256];
	size_t i;
	int64_t t = 777;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (accord_time_parse(&t, bad[i]) != ACCORD_EINVALID)
			print_error("accepted \"%s\"\n", bad[i]);
		assert_int_equal(accord_time_parse(&t, bad[i]), ACCORD_EINVALID);
		snprintf(
			msg, sizeof(msg),
			"invalid time \"%s\": expected RFC 3339 such as 2026-11-23T07:31:00Z, or a date such as 2026-11-23",
			bad[i]);
		assert_string_equal(accord_error_last(), msg);
	}
	for (i = 0; i < sizeof(out_of_range) / sizeof(out_of_range[0]); i++) {
		assert_int_equal(accord_time_parse(&t, out_of_range[i].s), ACCORD_EINVALID);
		snprintf(msg, sizeof(msg), "invalid time \"%s\": ", out_of_range[i].s);
		assert_memory_equal(accord_error_last(), msg, strlen(msg));
		assert_non_null(strstr(accord_error_last(), out_of_range[i].why));
	}
	assert_true(t == 777);
	assert_int_equal(accord_time_parse(&t, NULL), ACCORD_EINVALID);
	assert_string_equal(accord_error_last(), "no time given");
}

/* A time of day without a zone is refused, and the message says how to write it. */
static void test_timefmt_suggests_a_zone(void **state)
{
	static const struct {
		const char *in, *fixed;
	} cases[] = {
		{ "2026-11-23T07:31:19", "2026-11-23T07:31:19" },
		{ "2026-11-23 07:31:19", "2026-11-23T07:31:19" },
		{ "2026-11-23T07:31", "2026-11-23T07:31:00" },
		{ "2026-11-23t07:31:19.25", "2026-11-23T07:31:19.25" },
	};
	char want[256];
	size_t i;
	int64_t t = 5, back;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(accord_time_parse(&t, cases[i].in), ACCORD_EINVALID);
		snprintf(
			want, sizeof(want),
			"invalid time \"%s\": no time zone; write %sZ for UTC, or give the offset, such as %s+01:00",
			cases[i].in, cases[i].fixed, cases[i].fixed);
		assert_string_equal(accord_error_last(), want);
		/* both suggestions parse */
		snprintf(want, sizeof(want), "%sZ", cases[i].fixed);
		assert_int_equal(accord_time_parse(&back, want), 0);
		snprintf(want, sizeof(want), "%s+01:00", cases[i].fixed);
		assert_int_equal(accord_time_parse(&back, want), 0);
	}
	assert_true(t == 5);
	/* an impossible day is named as such, not given a zone */
	assert_int_equal(accord_time_parse(&t, "2026-02-30T07:31"), ACCORD_EINVALID);
	assert_null(strstr(accord_error_last(), "no time zone"));
}

static void test_timefmt_parses_canonical_only(void **state)
{
	static const char *const bad[] = {
		"2026-11-23t07:31:19Z",	     "2026-11-23 07:31:19Z",   "2026-11-23T07:31:19z",
		"2026-11-23T07:31:19+00:00", "2026-11-23T07:31:19.0Z", "2026-11-23T07:31:19Z ",
		"2026-11-23T07:31:19",	     "2026-02-29T00:00:00Z",   "2026-11-23T07:31:60Z",
		"2026-11-23T24:00:00Z",	     "0000-01-01T00:00:00Z",   "",
	};
	size_t i;
	int64_t t = 0;

	assert_int_equal(accord_time_parse_canonical(&t, "2026-11-23T07:31:19Z"), 0);
	assert_true(t == 1795419079);
	assert_int_equal(accord_time_parse_canonical(&t, "2024-02-29T00:00:00Z"), 0);
	assert_true(t == 1709164800);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (accord_time_parse_canonical(&t, bad[i]) != ACCORD_EINVALID)
			print_error("accepted \"%s\"\n", bad[i]);
		assert_int_equal(accord_time_parse_canonical(&t, bad[i]), ACCORD_EINVALID);
		assert_non_null(strstr(accord_error_last(), "invalid time \""));
	}
	assert_true(t == 1709164800);
}

static void test_timefmt_formats_utc(void **state)
{
	static const struct {
		int64_t t;
		const char *s;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ -86400, "1969-12-31T00:00:00Z" },
		{ -86401, "1969-12-30T23:59:59Z" },
		{ 1795419079, "2026-11-23T07:31:19Z" },
		{ 951782400, "2000-02-29T00:00:00Z" },
		{ 4107542400LL, "2100-03-01T00:00:00Z" }, /* 2100 is not a leap year */
		{ -62135596800LL, "0001-01-01T00:00:00Z" },
		{ 253402300799LL, "9999-12-31T23:59:59Z" },
		/* out of range clamps instead of writing a malformed year */
		{ -62135596801LL, "0001-01-01T00:00:00Z" },
		{ 253402300800LL, "9999-12-31T23:59:59Z" },
		{ INT64_MIN, "0001-01-01T00:00:00Z" },
		{ INT64_MAX, "9999-12-31T23:59:59Z" },
	};
	char out[ACCORD_TIME_LEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'x', sizeof(out));
		accord_time_format(out, cases[i].t);
		assert_string_equal(out, cases[i].s);
	}
}

static void test_timefmt_round_trips(void **state)
{
	static const struct {
		const char *in;
		const char *canonical;
	} cases[] = {
		{ "2024-02-28T23:59:59Z", "2024-02-28T23:59:59Z" },
		{ "2024-02-29T00:00:00+00:00", "2024-02-29T00:00:00Z" },
		{ "2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z" },
		{ "2023-03-01T00:30:00+01:00", "2023-02-28T23:30:00Z" },
		{ "2000-03-01T00:00:00+00:01", "2000-02-29T23:59:00Z" },
		{ "1900-03-01T00:00:00+00:01", "1900-02-28T23:59:00Z" },
		{ "2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z" },
		{ "2027-01-01T00:30:00+01:00", "2026-12-31T23:30:00Z" },
		{ "1999-12-31t23:59:59.999z", "1999-12-31T23:59:59Z" },
		{ "1970-01-01 00:00:00+05:30", "1969-12-31T18:30:00Z" },
		{ "0001-01-01T23:00:00+23:00", "0001-01-01T00:00:00Z" },
		{ "9999-12-31T00:00:00-23:59", "9999-12-31T23:59:00Z" },
	};
	char out[ACCORD_TIME_LEN];
	int64_t t, back;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(accord_time_parse(&t, cases[i].in), 0);
		accord_time_format(out, t);
		assert_string_equal(out, cases[i].canonical);
		assert_int_equal(accord_time_parse_canonical(&back, out), 0);
		assert_true(back == t);
	}
	/* every day over several leap cycles, and a century boundary */
	for (t = 946684800 - 5 * 366 * 86400LL; t < 946684800 + 9 * 366 * 86400LL;
	     t += 86400 + 3601) {
		accord_time_format(out, t);
		assert_int_equal(accord_time_parse_canonical(&back, out), 0);
		assert_true(back == t);
	}
}

/* The arithmetic agrees with the C library's gmtime for a spread of times. */
static void test_timefmt_matches_gmtime(void **state)
{
	char out[ACCORD_TIME_LEN], want[ACCORD_TIME_LEN];
	struct tm tm;
	int64_t t;
	time_t tt;

	for (t = -2208988800LL; t < 4102444800LL; t += 7919LL * 3607) {
		tt = (time_t)t;
		assert_non_null(gmtime_r(&tt, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		accord_time_format(out, t);
		assert_string_equal(out, want);
	}
}

static void test_timefmt_now_can_be_fixed(void **state)
{
	int64_t before = (int64_t)time(NULL), fixed = 1795419079, now;

	(void)state;
	accord_time_set_now(&fixed);
	assert_true(accord_time_now() == 1795419079);
	/* the library reads no environment: only the program fixes the time */
	assert_int_equal(setenv("ACCORD_NOW", "2001-01-01T00:00:00Z", 1), 0);
	assert_true(accord_time_now() == 1795419079);
	accord_time_set_now(NULL);
	now = accord_time_now();
	assert_true(now >= before && now <= (int64_t)time(NULL));
	assert_int_equal(unsetenv("ACCORD_NOW"), 0);
}

static void test_timefmt_parses_durations(void **state)
{
	static const struct {
		const char *s;
		int64_t secs;
	} cases[] = {
		{ "45s", 45 },
		{ "30m", 1800 },
		{ "4h", 14400 },
		{ "1h30m", 5400 },
		{ "2d", 172800 },
		{ "0s", 0 },
		{ "0d0h0m0s", 0 },
		{ "1d2h3m4s", 93784 },
		{ "2d30m", 174600 },
		{ "90m", 5400 },
		{ "3600s", 3600 },
		{ "007m", 420 },
		{ "36525d", 3155760000LL }, /* exactly 100 years */
		{ "36524d23h59m60s", 3155760000LL },
	};
	size_t i;
	int64_t t;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = -1;
		if (accord_duration_parse(&t, cases[i].s) != 0)
			print_error("%s: %s\n", cases[i].s, accord_error_last());
		assert_int_equal(accord_duration_parse(&t, cases[i].s), 0);
		assert_true(t == cases[i].secs);
	}
}

static void test_timefmt_rejects_bad_durations(void **state)
{
	static const char *const bad[] = {
		"",    "5",    "s",	"h30",	"1h 30m", " 1h",  "1h ",   "-5s",
		"+5s", "1.5h", "30m1h", "1s1m", "1h1h",	  "1m1m", "5x",	   "5S",
		"1H",  "1w",   "1hm",	"1h30", "1d1d",	  "1e3s", "0x10s", "1h-30m",
	};
	static const char *const too_long[] = {
		"36526d",
		"36525d1s",
		"3155760001s",
		"99999999999999999999999999999s",
		"9223372036854775807s",
		"9223372036854775808s",
		"36525d1h",
		"52596000m1s",
	};
	char msg[256];
	size_t i;
	int64_t t = 4242;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (accord_duration_parse(&t, bad[i]) != ACCORD_EINVALID)
			print_error("accepted \"%s\"\n", bad[i]);
		assert_int_equal(accord_duration_parse(&t, bad[i]), ACCORD_EINVALID);
		snprintf(msg, sizeof(msg),
			 "invalid duration \"%s\": use forms like 45s, 30m, 4h, 1h30m", bad[i]);
		assert_string_equal(accord_error_last(), msg);
	}
	for (i = 0; i < sizeof(too_long) / sizeof(too_long[0]); i++) {
		if (accord_duration_parse(&t, too_long[i]) != ACCORD_EINVALID)
			print_error("accepted \"%s\"\n", too_long[i]);
		assert_int_equal(accord_duration_parse(&t, too_long[i]), ACCORD_EINVALID);
		snprintf(msg, sizeof(msg), "invalid duration \"%s\": longer than 100 years",
			 too_long[i]);
		assert_string_equal(accord_error_last(), msg);
	}
	assert_true(t == 4242);
	assert_int_equal(accord_duration_parse(&t, NULL), ACCORD_EINVALID);
}

static void test_timefmt_formats_durations(void **state)
{
	static const struct {
		int64_t secs;
		const char *s;
	} cases[] = {
		{ 0, "0s" },
		{ 45, "45s" },
		{ 60, "1m" },
		{ 90, "1m30s" },
		{ 1800, "30m" },
		{ 3600, "1h" },
		{ 5400, "1h30m" },
		{ 14400, "4h" },
		{ 86400, "1d" },
		{ 172800, "2d" },
		{ 183600, "2d3h" },
		{ 93784, "1d2h3m4s" },
		{ 86401, "1d1s" },
		{ 3155760000LL, "36525d" },
		{ -90, "-1m30s" },
		{ INT64_MAX, "106751991167300d15h30m7s" },
		{ INT64_MIN, "-106751991167300d15h30m8s" },
	};
	char out[32], small[4];
	size_t i;
	int64_t back;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'x', sizeof(out));
		accord_duration_format(out, sizeof(out), cases[i].secs);
		assert_string_equal(out, cases[i].s);
		/* what we write, we read back */
		if (cases[i].secs >= 0 && cases[i].secs <= 3155760000LL) {
			assert_int_equal(accord_duration_parse(&back, out), 0);
			assert_true(back == cases[i].secs);
		}
	}
	/* too small a buffer stays terminated */
	accord_duration_format(small, sizeof(small), 93784);
	assert_true(strlen(small) < sizeof(small));
	assert_string_equal(small, "1d");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timefmt_parses_rfc3339),
		cmocka_unit_test(test_timefmt_rejects_bad_times),
		cmocka_unit_test(test_timefmt_suggests_a_zone),
		cmocka_unit_test(test_timefmt_parses_canonical_only),
		cmocka_unit_test(test_timefmt_formats_utc),
		cmocka_unit_test(test_timefmt_round_trips),
		cmocka_unit_test(test_timefmt_matches_gmtime),
		cmocka_unit_test(test_timefmt_now_can_be_fixed),
		cmocka_unit_test(test_timefmt_parses_durations),
		cmocka_unit_test(test_timefmt_rejects_bad_durations),
		cmocka_unit_test(test_timefmt_formats_durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
