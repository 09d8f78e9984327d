#ifndef ACCORD_REPORT_H
#define ACCORD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/clock.h"
#include "accord/incident.h"
#include "accord/ledger.h"

/*
 * Reports on joint outcomes and customer impact (docs/metrics.md defines
 * every figure). Computing is a pure function of a loaded ledger, a period
 * and filters; rendering turns the result into text, Markdown, CSV, JSON
 * (schemas/report.schema.json) or a self-contained HTML page. The library
 * never prints: renderers append to an accord_buf.
 *
 * Percentiles use the nearest-rank method: the p-th percentile of n sorted
 * values is the value at rank ceil(p/100 * n) (1-based), so the median is
 * the ceil(n/2)-th smallest value. Every percentile comes with its count.
 */

typedef enum {
	ACCORD_REPORT_TEXT,
	ACCORD_REPORT_MD,
	ACCORD_REPORT_CSV,
	ACCORD_REPORT_JSON,
	ACCORD_REPORT_HTML,
} accord_report_format;

typedef struct {
	unsigned int version; /* ACCORD_REPORT_OPTIONS_VERSION */
	int64_t now;	      /* "now": open windows end here; overdue is judged against it */
	int has_since;	      /* without it the period starts at the beginning of time */
	int64_t since;
	int has_until; /* without it the period ends at `now` */
	int64_t until;
	const char *service; /* NULL: every service */
	const char *party;   /* NULL: every party */
} accord_report_options;

#define ACCORD_REPORT_OPTIONS_VERSION 1
#define ACCORD_REPORT_OPTIONS_INIT                                       \
	{                                                                \
		ACCORD_REPORT_OPTIONS_VERSION, 0, 0, 0, 0, 0, NULL, NULL \
	}

/* Who and what made the report; carried into every format. Strings borrowed. */
typedef struct accord_report_meta accord_report_meta;
struct accord_report_meta {
	const char *key_id;	     /* generating key id, or NULL ("none") */
	const char *key_name;	     /* its name, or NULL */
	int verified;		     /* 1 if every entry counts; else some were left out */
	const char *verify_message;  /* what was left out, when !verified */
	const char **excluded_feeds; /* feeds with entries left out (key ids) */
	const char **excluded_from; /* per feed: the first commit left out, or NULL for all of it */
	size_t excluded_count;
	const accord_finding *findings; /* why (verify.h) */
	size_t finding_count;
	/*
	 * Across ledgers: each ledger's own verification, in the report's
	 * ledger order (its excluded feeds and findings are there, not above;
	 * `verified` above is 1 only when every ledger verified).
	 */
	const accord_report_meta *ledgers;
	size_t ledger_count;
};

/* A ledger a report reads (several: accord_report_compute_many). */
typedef struct {
	const accord_ledger *ledger;
	const char
		*name; /* the user's name for it (borrowed), or NULL for a report on one ledger */
} accord_report_source;

/* At most this many ledgers in one report (a tally's ledgers are a 64-bit set). */
#define ACCORD_REPORT_MAX_LEDGERS 64

/* A computed report: read it through the renderers below. Opaque. */
typedef struct accord_report_s accord_report;

/*
 * Compute the report over the incidents of `ledger` that belong to the
 * period and pass the filters. ACCORD_EINVALID for a period that ends
 * before it starts. Free with accord_report_free(); the report borrows
 * from `ledger`, which must outlive it.
 */
int accord_report_compute(accord_report **out, const accord_ledger *ledger,
			  const accord_report_options *opts);
/*
 * The same over several ledgers, named (each source's name is set): the
 * incidents of all of them, each measured as in its own ledger, every
 * figure aggregated once over them all, so the figures mean what
 * docs/metrics.md says whatever the number of ledgers. Tables by name
 * (service, party) merge across ledgers and say which ledgers each row
 * came from. ACCORD_EINVALID for more than ACCORD_REPORT_MAX_LEDGERS or a
 * source without a name. The report borrows from every ledger.
 */
int accord_report_compute_many(accord_report **out, const accord_report_source *sources,
			       size_t count, const accord_report_options *opts);
/* "a, b": the names of the ledgers in `set` (a tally's ledgers). Appended to `out`. */
void accord_report_ledger_names(accord_buf *out, const accord_report *report, uint64_t set);
void accord_report_free(accord_report *report);

/* Nearest-rank percentile (p in 1..100) of `n` values, sorted in place. 0 when n == 0. */
int64_t accord_report_percentile(int64_t *values, size_t n, int p);

/* The JSON document (schemas/report.schema.json). Caller frees with cJSON_Delete(). */
cJSON *accord_report_to_json(const accord_report *report, const accord_report_meta *meta);

/*
 * Render into `out` (appended). `colour` adds ANSI colour to text (the
 * caller decides: a terminal and no NO_COLOR). ACCORD_EINVALID for an
 * unknown format.
 */
int accord_report_render(accord_buf *out, const accord_report *report,
			 const accord_report_meta *meta, accord_report_format format, int colour);

/*
 * What the CSV's rows do not carry (when and over what it was generated,
 * filters, verification, the definitions), as a CSV of its own: a "key,value"
 * header row, then one row per item. The CSV itself is only a header row
 * and one row per incident, so spreadsheets import it as one table.
 */
void accord_report_render_csv_meta(accord_buf *out, const accord_report *report,
				   const accord_report_meta *meta);

/* Parse "text", "json", "csv", "md" or "html". ACCORD_EINVALID otherwise. */
int accord_report_format_parse(accord_report_format *out, const char *name);

#endif
