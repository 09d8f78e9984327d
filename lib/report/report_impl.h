/*
 * Inside the report module: what its files share. Not part of the public
 * API (callers use include/accord/report.h); never installed.
 *
 *   report.c            computing: the period, the figures aggregated over
 *                       the incidents, the weekly series, parties shown
 *                       apart across ledgers; the public entry points
 *   report_measure.c    which incidents of a ledger count, and each one's figures
 *   report_providers.c  the table per provider party, from the computed clocks
 *   report_json.c       the JSON document (schemas/report.schema.json)
 *   report_doc.c        the human formats' one list of blocks, so that text,
 *                       Markdown and HTML say the same thing
 *   report_text.c       that list as text (colour optional) and as Markdown
 *   report_html.c       that list as one HTML page, with its SVG charts
 *   report_csv.c        a CSV row per incident, and the metadata CSV
 *
 * Out of memory aborts here, as in derivation (ACCORD_PUSH).
 */
#ifndef ACCORD_REPORT_IMPL_H
#define ACCORD_REPORT_IMPL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/buf.h"
#include "accord/report.h"
#include "alloc.h"
#include "report_data.h"

#define DAY 86400
#define WEEK (7 * DAY)
#define TOP_FACTORS 20

/* The definitions every format carries (report.c; docs/metrics.md says the same at more length). */
typedef struct {
	const char *key, *label, *text;
} accord_report_definition;
extern const accord_report_definition accord_report_definitions[];
extern const size_t accord_report_definition_count;

/* ---- small helpers: weeks, rounding, and numbers as the formats show them -- */

static inline int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Monday 00:00 UTC of the week holding t (1970-01-01 was a Thursday). */
static inline int64_t week_start(int64_t t)
{
	int64_t day = floor_div(t, DAY);
	int64_t wd = ((day + 3) % 7 + 7) % 7;

	return (day - wd) * DAY;
}

static inline double round_to(double v, double scale)
{
	return round(v * scale) / scale;
}

static inline double minutes(int64_t seconds)
{
	return round_to((double)seconds / 60.0, 10);
}

/* An action is overdue once its due day (UTC) has ended and it is still open. */
static inline int action_overdue(const accord_action *a, int64_t now)
{
	return accord_action_overdue(a, now);
}

static inline const char *resolution_state(const accord_incident *inc)
{
	return !inc->resolution ? "none" : inc->resolution->joint ? "joint" : "proposed";
}

/* A number with at most `places` decimals and no trailing zeros: 50, 66.7, 1.25. */
static inline void dec(char *out, size_t len, double v, int places)
{
	char *p;

	snprintf(out, len, "%.*f", places, v);
	if (strchr(out, '.')) {
		for (p = out + strlen(out) - 1; *p == '0'; p--)
			*p = '\0';
		if (*p == '.')
			*p = '\0';
	}
	if (!strcmp(out, "-0"))
		strcpy(out, "0");
}

static inline char *mean_text(int64_t sum, size_t n)
{
	char d[64];

	if (!n)
		return accord_xstrdup("n/a");
	dec(d, sizeof(d), round_to((double)sum / (double)n, 100), 2);
	return accord_xstrdup(d);
}

/* ---- report.c ----------------------------------------------------------- */

/* A party's name as the report shows it: across ledgers, with its ledgers when another ledger's party has its name. */
const char *accord_report_party_as(const accord_report *r, size_t ledger, const char *name);

/* Every party of the ledgers read, as shown, sorted, once each. Caller frees the array. */
void accord_report_party_names(const char ***out, size_t *count, const accord_report *r);

/* ---- report_measure.c ---------------------------------------------------- */

/* The window [s, e) of `w` with open windows ending now; whether it overlaps the period, and the clipped part. */
int accord_report_window_in_period(const accord_report *r, const accord_impact *w, int64_t *cs,
				   int64_t *ce);

/*
 * Measure the incidents of one ledger that belong to the report (period,
 * filters) into r->incidents, as ledger `index` of the report.
 */
int accord_report_measure_ledger(accord_report *r, const accord_ledger *ledger, size_t index);

/* How many of an incident's counted responses gave each indicator (accord_feedback_indicators order). */
void accord_report_indicator_counts(size_t *counts, const accord_incident *inc);

/* ---- report_providers.c -------------------------------------------------- */

/* The table per provider party (docs/metrics.md, "By provider"). */
void accord_report_aggregate_providers(accord_report *r);

/* The row of provider `name` of report `r` (`admitted`: of the customers it brought in), or NULL. */
const accord_report_provider *accord_report_provider_of(const accord_report *r, const char *name,
							int admitted);

/* ---- report_doc.c: the human formats, one list of blocks ------------------ */

enum { B_H1, B_H2, B_H3, B_P, B_WARN, B_KV, B_TABLE, B_DEFS, B_CHART };
enum { CHART_MINUTES, CHART_WATERMELON, CHART_JOINT };

typedef struct {
	int type;
	char *text;
	char **cells; /* rows x cols; for tables row 0 is the header */
	size_t cols, rows;
	unsigned right;	      /* bit i: column i holds numbers */
	unsigned char *alert; /* per row: draw attention (watermelons, overdue items) */
	int chart;
} block;

typedef struct {
	block *b;
	size_t n;
} rdoc;

/* The blocks of the text, Markdown or HTML report (charts: HTML only). Free with accord_report_doc_free. */
void accord_report_build_doc(rdoc *d, const accord_report *r, const accord_report_meta *meta,
			     int charts);
void accord_report_doc_free(rdoc *d);

/* "1h2m", "-20m": a duration as the human formats show it. Caller frees. */
char *accord_report_dur_text(int64_t s);

/* ---- the renderers -------------------------------------------------------- */

/* report_text.c */
void accord_report_render_text(accord_buf *out, const rdoc *d, int colour);
void accord_report_render_md(accord_buf *out, const rdoc *d);

/* report_html.c */
void accord_report_render_html(accord_buf *out, const rdoc *d, const accord_report *r);

/* report_csv.c */
void accord_report_render_csv(accord_buf *out, const accord_report *r,
			      const accord_report_meta *meta);

#endif
