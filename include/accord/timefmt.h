#ifndef ACCORD_TIMEFMT_H
#define ACCORD_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Times are kept as seconds since the epoch (int64) and written in
 * entries as RFC 3339 UTC with second precision: "2026-11-23T07:31:19Z".
 */
#define ACCORD_TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" plus NUL */

/*
 * Parse an RFC 3339 date-time ("2026-11-23T07:31:19Z",
 * "2026-11-23T08:31:19+01:00", fractional seconds allowed and truncated,
 * 't'/'z' and a space instead of 'T' accepted), or a plain date
 * ("2026-11-23"), which means 00:00:00 UTC of that day. Rejects anything
 * else, including impossible dates (Feb 30), with ACCORD_EINVALID; a time
 * of day without a zone is refused with a message that shows the input
 * rewritten with "Z" and with an offset.
 */
int accord_time_parse(int64_t *out, const char *s);

/*
 * Parse only the canonical stored form "YYYY-MM-DDTHH:MM:SSZ" (what
 * accord writes into entries). ACCORD_EINVALID otherwise.
 */
int accord_time_parse_canonical(int64_t *out, const char *s);

/* Format as canonical UTC RFC 3339 into `out` (ACCORD_TIME_LEN bytes). */
void accord_time_format(char out[ACCORD_TIME_LEN], int64_t t);

/* Current time in seconds: the clock, or the time fixed with accord_time_set_now(). */
int64_t accord_time_now(void);

/*
 * Fix what accord_time_now() returns for the whole process, for
 * reproducible tests and demos (the CLI passes $ACCORD_NOW); NULL goes back
 * to the clock. Not thread-safe: call it before any thread starts.
 */
void accord_time_set_now(const int64_t *t);

/* 1 while accord_time_set_now() fixes the time: a simulated clock, not this machine's. */
int accord_time_now_fixed(void);

/*
 * Parse a duration: one or more <integer><unit> groups with units
 * d, h, m, s in decreasing order, each at most once: "45s", "30m", "4h",
 * "1h30m", "2d". Bare integers are rejected (the unit matters). Result in
 * seconds; ACCORD_EINVALID on malformed input or overflow (> 100 years).
 */
int accord_duration_parse(int64_t *out, const char *s);

/* Format seconds as the shortest "1h30m"-style string ("0s" for 0). out >= 32 bytes. */
void accord_duration_format(char *out, size_t outlen, int64_t seconds);

#endif
