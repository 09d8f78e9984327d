/*
 * accord dispute: another party's signed time on a clock event is its
 * claim; the disputing party states its own, by default the time of its
 * earliest entry that has the event in its causal past (docs/metrics.md,
 * "Disputed times").
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#include "accord/clock.h"
#include "accord/incident.h"
#include "accord/timefmt.h"

static const char dispute_usage[] =
	"usage: accord dispute ENTRY [--at TIME] --reason TEXT\n\n"
	"Dispute the time another involved party signed on a clock event of an\n"
	"incident: the entry a clock starts or stops at (an involvement, a first\n"
	"response, a status mitigated, resolved or closed) or a pause begins or ends\n"
	"at. --at is when you say it happened; by default, the time of your party's\n"
	"earliest entry that has the event in its causal past (your sync's checkpoint,\n"
	"typically): when it demonstrably existed. show, show --json and report then\n"
	"give the clock as disputed, with both claims, until the event's party co-signs\n"
	"the dispute (accord cosign DISPUTE: it accepts your time) or you retract it.\n"
	"Your own party's entries, an incident you are not involved in, and entries no\n"
	"clock reads are refused (exit 2). ENTRY is an entry id or a unique prefix.\n";

/* The party of `e`'s author, or NULL. */
static const char *party_of(const accord_parties *p, const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);

	return m ? p->parties[m->party].name : NULL;
}

static int same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Whether `e` is a time some clock of `c` reads: a start, an end, a pause's start or end. */
static int clock_event(const accord_clocks *c, const accord_entry *e)
{
	size_t i, k;

	for (i = 0; i < c->party_count; i++)
		for (k = 0; k < ACCORD_CLOCKS; k++)
			if (c->parties[i].clocks[k].from_entry == e ||
			    c->parties[i].clocks[k].to_entry == e ||
			    c->parties[i].clocks[k].resumed_entry == e)
				return 1;
	for (i = 0; i < c->pause_count; i++)
		if (c->pauses[i].entry == e || c->pauses[i].end_entry == e)
			return 1;
	return 0;
}

/*
 * The earliest entry of `party` (by time, then ledger order) that has
 * `target` in its causal past: when the event demonstrably existed for it.
 */
static int earliest_witness(const accord_entry **out, accord_ctx *ctx, const char *party,
			    const accord_entry *target)
{
	const accord_parties *p = accord_ledger_parties(ctx->ledger);
	size_t i, n = accord_ledger_entry_count(ctx->ledger);
	int yes;

	*out = NULL;
	for (i = 0; i < n; i++) {
		const accord_entry *e = accord_ledger_entry_at(ctx->ledger, i);

		if (e->lamport <= target->lamport || (*out && e->time >= (*out)->time) ||
		    !same(party_of(p, e), party))
			continue;
		if ((yes = accord_ledger_in_past(ctx->ledger, e, target)) < 0)
			return cmd_fail(yes);
		if (yes)
			*out = e;
	}
	return 0;
}

/*
 * Whether `party` may dispute the time of `target` in incident `inc` (opened
 * by `open`): involved in it, and a clock reads that time. 0, or the usage
 * exit code (said).
 */
static int check_disputable(const accord_incident *inc, const accord_clocks *clocks,
			    const char *party, const accord_entry *open, const accord_entry *target)
{
	size_t i;

	for (i = 0; i < inc->party_count && strcmp(inc->parties[i], party) != 0; i++)
		;
	if (i == inc->party_count) {
		cmd_failf(
			ACCORD_EXIT_USAGE,
			"%s is not involved in incident %.12s: only an involved party disputes its times",
			party, open->id);
		return ACCORD_EXIT_USAGE;
	}
	/* an impact window's start is a figure, not the entry's time: another window disputes it */
	if (!strcmp(target->type, "impact")) {
		cmd_failf(
			ACCORD_EXIT_USAGE,
			"impact %.12s is a window of customer impact, and its entry's time is no clock's: to dispute "
			"when impact started, record your party's own window (accord impact %.12s --customers N "
			"--start TIME); overlapping windows of two parties are a dispute, and the clocks that start "
			"there are shown disputed, measured from both starts",
			target->id, open->id);
		return ACCORD_EXIT_USAGE;
	}
	if (!clock_event(clocks, target)) {
		cmd_failf(
			ACCORD_EXIT_USAGE,
			"no clock of incident %.12s reads the time of %s %.12s: there is nothing to dispute",
			open->id, target->type, target->id);
		return ACCORD_EXIT_USAGE;
	}
	return 0;
}

/*
 * Whether `at`, the time `party` says `target` existed by, lies after its
 * signed time, no later than `now`, and no later than `party`'s own entry
 * `evidence` that already saw it. 0, or the usage exit code (said).
 */
static int check_at(int64_t at, int64_t now, const accord_entry *target, const char *of,
		    const accord_entry *evidence, const char *party)
{
	char when[ACCORD_TIME_LEN];

	accord_time_format(when, target->time);
	if (at <= target->time || at > now)
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"--at must lie after the time %s signed (%s) and no later than now",
			of ? of : "its author", when);
	if (evidence && at > evidence->time) {
		accord_time_format(when, evidence->time);
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"--at is later than %s's own entry %.12s (%s), which already had the event in its causal past",
			party, evidence->id, when);
	}
	return 0;
}

int cmd_dispute(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL, *at_arg = NULL, *party, *of;
	const accord_entry *target, *open, *evidence = NULL;
	accord_incident *inc = NULL;
	accord_clocks *clocks = NULL;
	char when[ACCORD_TIME_LEN];
	int64_t at, now;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'a': at_arg = optarg; break;
		case 'r': reason = optarg; break;
		case 'h': fputs(dispute_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one entry id");
	if (!reason)
		return cmd_usage_error(ctx, "--reason is required: say why, for the record");
	if ((error = cmd_check_text(ctx, "--reason", reason, 1)) ||
	    (at_arg && (error = cmd_parse_time(ctx, &at, "--at", at_arg))) ||
	    (error = cmd_setup(ctx)) || (error = cmd_own_party(&party, ctx)) ||
	    (error = cmd_find_entry(&target, ctx, argv[optind], NULL, 0, "entry")))
		return error;
	if (!target->incident[0] && strcmp(target->type, "open") != 0)
		return cmd_failf(ACCORD_EXIT_USAGE,
				 "%s %.12s is of no incident: no clock reads its time",
				 target->type, target->id);
	if ((error = cmd_find_incident(&open, ctx,
				       target->incident[0] ? target->incident : target->id)))
		return error;
	of = party_of(accord_ledger_parties(ctx->ledger), target);
	if (same(of, party))
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"%s %.12s is %s's own: a party does not dispute its own times (add a note instead)",
			target->type, target->id, party);
	now = accord_time_now();
	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0 ||
	    (error = accord_clocks_compute(&clocks, inc, accord_ledger_parties(ctx->ledger),
					   accord_incident_ledger_in_past, ctx->ledger, now)) < 0) {
		error = cmd_fail(error);
		goto done;
	}
	/* the engine calls a dispute while a close stands late: the close judged the times (attack126 04) */
	if (inc->closed_by) {
		error = cmd_failf(
			ACCORD_EXIT_USAGE,
			"incident %.12s is closed on a joint resolution: a dispute now changes nothing; reopen it first (accord status %.12s investigating)",
			inc->id, inc->id);
		goto done;
	}
	if ((error = check_disputable(inc, clocks, party, open, target)))
		goto done;
	if ((error = earliest_witness(&evidence, ctx, party, target)))
		goto done;
	if (!at_arg)
		at = evidence ? evidence->time : now;
	/* no --at given: the default is the evidence, and it may tell nothing later (explore60b 10) */
	if (!at_arg && at <= target->time) {
		char signed_at[ACCORD_TIME_LEN];

		accord_time_format(signed_at, target->time);
		error = cmd_failf(
			ACCORD_EXIT_USAGE,
			"%s's entry %.12s, the first that knew of %s %.12s, is of the second it was signed (%s): there is no later time to claim, nothing to dispute",
			party, evidence ? evidence->id : "", target->type, target->id, signed_at);
		goto done;
	}
	if ((error = check_at(at, now, target, of, evidence, party)))
		goto done;
	accord_time_format(when, at);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "entry", target->id);
	cJSON_AddStringToObject(body, "at", when);
	if (evidence && !at_arg)
		cJSON_AddStringToObject(body, "evidence", evidence->id);
	cJSON_AddStringToObject(body, "reason", reason);
	error = cmd_write(ctx, "dispute", open->id, body);
done:
	accord_clocks_free(clocks);
	accord_incident_free(inc);
	return error;
}
