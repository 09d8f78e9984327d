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

/* The figures of one incident in the period. */
typedef struct {
	accord_incident *incident; /* owned by the report */
	size_t ledger;		   /* index into accord_report.ledgers */
	size_t windows;		   /* impact windows overlapping the period */
	int64_t customers;	   /* largest customer count among those windows */
	int64_t customer_seconds;  /* customers x seconds, clipped to the period */
	int64_t longest_s;	   /* longest window, clipped to the period */
	size_t feedback_count;
	int64_t score_sum;
	size_t csat_count; /* scores 4-5 */
	size_t lost_count; /* responses that gave lost minutes */
	int64_t lost_sum;
	size_t sla_count;
	size_t sla_met;
	int watermelon; /* every SLA met, mean score <= 2 */
	int resolved;	/* status resolved or closed */
	int joint;
	int64_t time_to_joint_s; /* joint_at - started_at, when joint */
	int revisions;		 /* proposals before the agreed one, when joint */
	const char **waiting;	 /* parties yet to sign the current proposal (borrowed names) */
	size_t waiting_count;
	size_t actions_open, actions_done, actions_overdue;
	int64_t week; /* start (Monday 00:00 UTC) of the week it is charted in */
	const accord_impact *
		*disputed; /* disputed windows in the period (borrowed from incident) */
	size_t disputed_count;
	int unconfirmed;       /* its customer-minutes rest on another party's windows */
	accord_clocks *clocks; /* computed per provider as of now (clock.h), owned */
} accord_report_incident;

/*
 * One provider party's figures over the incidents of the period that
 * involve it (docs/metrics.md, "By provider"): its computed clocks, the SLA
 * met from them against the agreements in force, the experience of the
 * customers affected, watermelons, joint resolutions and its action items.
 */
typedef struct {
	const char *name; /* borrowed */
	uint64_t ledgers; /* the ledgers its incidents came from */
	size_t incidents;
	size_t clock_n[ACCORD_CLOCKS]; /* stopped clocks */
	int64_t clock_median_s[ACCORD_CLOCKS], clock_p90_s[ACCORD_CLOCKS];
	size_t clocks_measured,
		clocks_met;	/* with a target, decided (stopped, or missed already) */
	size_t clocks_disputed; /* a time they read is disputed: counted apart, in no median */
	size_t feedback_count, csat_count, lost_count;
	int64_t lost_sum;
	size_t watermelons;
	const accord_report_incident **watermelon_list; /* which (borrowed from the report) */
	size_t watermelon_list_count;
	size_t resolved, resolved_joint;
	size_t actions_open, actions_overdue;
} accord_report_provider;

/* A counter keyed by a name (service, party, factor). */
typedef struct {
	const char *name; /* borrowed from an entry */
	size_t count;
	size_t open, done, overdue; /* action items (by owning party) */
	int64_t customer_seconds;   /* by service */
	uint64_t ledgers;	    /* bit i: ledger i of the report counted here */
} accord_report_tally;

typedef struct {
	int64_t start; /* Monday 00:00 UTC */
	int64_t customer_seconds;
	size_t sla_count, sla_met;
	size_t clocks_measured,
		clocks_met; /* computed clocks decided against an agreement (docs/metrics.md) */
	size_t feedback_count, csat_count;
	size_t incidents;
} accord_report_week;

/* A ledger a report reads (several: accord_report_compute_many). */
typedef struct {
	const accord_ledger *ledger;
	const char
		*name; /* the user's name for it (borrowed), or NULL for a report on one ledger */
} accord_report_source;

/* At most this many ledgers in one report (a tally's ledgers are a 64-bit set). */
#define ACCORD_REPORT_MAX_LEDGERS 64

typedef struct {
	char id[ACCORD_ID_HEXLEN + 1];
	const char *name; /* borrowed from the source, NULL for a report on one ledger */
	size_t entry_count;
	const char *title;    /* its genesis title, borrowed ("" when none) */
	const char **parties; /* its parties' names, borrowed; the array is the report's */
	size_t party_count;
} accord_report_ledger;

typedef struct accord_report_s {
	accord_report_options opts;
	int64_t since, until; /* the effective period (since = INT64_MIN when open) */
	char ledger_id[ACCORD_ID_HEXLEN + 1]; /* the one ledger's id; "" across ledgers */
	size_t entry_count;		      /* summed across ledgers */
	accord_report_ledger *ledgers;	      /* what it read, in the order given */
	size_t ledger_count;
	int across; /* named ledgers: every table says which ledgers each figure came from */

	accord_report_incident *incidents; /* in ledger order */
	size_t count;

	size_t resolved, closed, open; /* by status */
	size_t by_severity[5];	       /* index 1..4 */
	accord_report_tally *services; /* incidents and customer-minutes by service */
	size_t service_count;

	int64_t customers;
	int64_t customer_seconds;	       /* saturates at INT64_MAX (accord_saturated) */
	size_t disputed;		       /* disputed windows, listed beside the figure */
	size_t unconfirmed;		       /* incidents whose figure is unconfirmed */
	size_t voided, duplicates;	       /* incidents left out: jointly void, or duplicates */
	const accord_report_incident *longest; /* incident with the longest window, or NULL */
	int64_t longest_s;

	size_t feedback_count, csat_count, lost_count;
	int64_t score_sum, lost_sum, lost_median;

	size_t sla_count, sla_met;
	size_t sla_incidents; /* with at least one measurement */
	size_t sla_all_met;   /* with every measurement met */
	size_t watermelons;

	size_t resolved_total; /* resolved + closed */
	size_t resolved_joint; /* of those, with a joint resolution */
	size_t joint_total;    /* joint resolutions, whatever the status */
	int64_t joint_median_s, joint_p90_s;
	size_t revised;	  /* joint resolutions agreed on a revision */
	size_t revisions; /* proposals revised before agreement, summed */
	size_t waiting_incidents;
	accord_report_tally *waiting; /* incidents waiting, by party */
	size_t waiting_party_count;

	size_t actions_open, actions_done, actions_overdue;
	size_t actions_not_doing; /* closed without doing: in neither open nor done, listed with the reason */
	accord_report_tally *owners; /* action items owned by one party */
	size_t owner_count;
	size_t joint_open, joint_done, joint_overdue; /* items owned by several parties */
	uint64_t joint_ledgers;			      /* bit i: ledger i has such items */

	accord_report_tally *factors; /* most frequent first */
	size_t factor_count;

	accord_report_week *weeks;
	size_t week_count;
	accord_report_provider *providers; /* by name */
	size_t provider_count;
	/*
	 * The period of the same length just before (when the report has a
	 * --since), same filters: each provider figure is shown beside it.
	 */
	struct accord_report_s *previous;
} accord_report;

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
