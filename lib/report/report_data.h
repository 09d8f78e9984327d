/*
 * What a computed report holds: the figures the renderers print. Private
 * to lib/report (and its unit test); callers of the library see only the
 * opaque accord_report of accord/report.h.
 */
#ifndef ACCORD_REPORT_DATA_H
#define ACCORD_REPORT_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "accord/clock.h"
#include "accord/incident.h"
#include "accord/report.h"

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
	/* clocks decided against terms; without one, the typed measurements (verdicts()) */
	size_t verdicts, verdicts_met;
	int from_clocks; /* the verdicts are clocks */
	int green;	 /* verdicts > 0, all met: green outside */
	int watermelon;	 /* green, mean score <= 2 */
	int resolved;	 /* status resolved or closed */
	int joint;	 /* the current resolution, or one it replaced that keeps counting */
	int64_t joint_at;
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
	/*
	 * Beside clocks->parties: 1 where that provider brought the
	 * customer-facing party into the ledger (accord_parties_brought_in), a
	 * customer it could have made up to pad its figures (attack40 03): its
	 * figures go to that provider's row apart. Owned.
	 */
	unsigned char *brought_in;
	int by_provider; /* one of them did */
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
	size_t brought_in; /* incidents left out: their customer-facing party is its own invitee */
	int admitted; /* the row of exactly those: faced by parties it brought in, shown apart */
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

typedef struct {
	char id[ACCORD_ID_HEXLEN + 1];
	const char *name; /* borrowed from the source, NULL for a report on one ledger */
	size_t entry_count;
	const char *title;    /* its genesis title, borrowed ("" when none) */
	const char **parties; /* its parties' names, borrowed; the array is the report's */
	size_t party_count;
} accord_report_ledger;

struct accord_report_s {
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
	size_t sla_all_met;   /* green: every clock decided, else every measurement, met */
	size_t watermelons;
	size_t brought_in; /* faced by a party a provider of theirs brought in */

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
};

#endif
