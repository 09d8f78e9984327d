/* The commands that write to an incident: open, note, status, impact, sla, feedback. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char open_usage[] =
	"usage: accord open --title TEXT --severity 1..4 --service NAME [--started TIME]\n"
	"                   [--parties A,B] [--ticket PARTY:ID]...\n\n"
	"Open an incident and print its id. --started is when customer impact began\n"
	"(default: now), as RFC 3339 (2026-11-23T07:31:00Z) or a date meaning 00:00 UTC\n"
	"(2026-11-23). Severity 1 is the worst.\n"
	"--parties names the parties involved (default: yours; yours is always in).\n"
	"--ticket keeps a party's own ticket number for the same incident.\n";
static const char note_usage[] = "usage: accord note ID TEXT\n\nAdd a note to incident ID.\n";
static const char status_usage[] =
	"usage: accord status ID investigating|identified|mitigated|resolved|closed [--note TEXT]\n"
	"       accord status ID waiting --on PARTY [--note TEXT]\n\n"
	"Move incident ID through its lifecycle. An incident is closed only after it\n"
	"is resolved and once its resolution is joint (signed for every involved\n"
	"party: accord resolve, accord cosign); setting investigating on a resolved\n"
	"or closed incident reopens it.\n"
	"waiting --on PARTY pauses the clocks (accord show) of every party but PARTY\n"
	"until the next status: say who is waited on and why (--note). A pause not\n"
	"set by the customer-facing party counts once PARTY co-signs it (accord\n"
	"cosign; its own pause is its word), and the customer-facing party too when\n"
	"PARTY is another.\n";
static const char impact_usage[] =
	"usage: accord impact ID --customers N --start TIME [--end TIME] [--description TEXT]\n\n"
	"Record a window of customer impact as your party measured it. Without --end\n"
	"the window is still open; record it again with the same --start and an --end\n"
	"to close it. Each party's windows are its own: another party's window for the\n"
	"same time stands beside yours, and overlapping windows of two parties are a\n"
	"dispute until one is co-signed (accord cosign). A window starts no earlier\n"
	"than the incident's start if your party opened it, else no earlier than that\n"
	"or 7 days before it was opened; it ends after it starts, is not in the future,\n"
	"and counts at most 10^10 customers.\n"
	"TIME: RFC 3339 with a zone (2026-11-20T09:05:00Z, 2026-11-20T10:05:00+01:00)\n"
	"or a date, meaning 00:00 UTC (2026-11-20).\n";
static const char sla_usage[] =
	"usage: accord sla ID --name NAME --target DURATION --actual DURATION\n\n"
	"Record an SLA measurement, e.g. --name first-response --target 30m --actual 12m.\n"
	"Met means actual <= target. DURATION: 45s, 30m, 4h, 1h30m, 2d.\n";
static const char feedback_usage[] =
	"usage: accord feedback ID --score 1..5 [--lost-minutes N] [--comment TEXT] [--response ID]\n"
	"                          [--indicator WORD]...\n\n"
	"Record how customers felt: a score from 1 (worst) to 5, the minutes of\n"
	"productive time they lost, and what they said. Only the customer-facing\n"
	"party (the customer side of the agreement in force, else the one that opened\n"
	"the incident) records feedback. --response gives the response's own id (a\n"
	"survey answer's): recorded again with the same id, it replaces the earlier\n"
	"one, so each response counts once. --indicator says why (repeatable): fast,\n"
	"kept-informed, slow, had-to-repeat, not-fixed, poor-communication; the report\n"
	"shows them behind each watermelon.\n";
static const char ticket_usage[] =
	"usage: accord ticket ID PARTY:TICKET\n\n"
	"Name PARTY's own ticket number for incident ID. PARTY must be involved; the\n"
	"ticket is shown as named by your party.\n";

static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The opener's party first, then the others named in --parties A,B. */
static int add_parties(accord_ctx *ctx, cJSON *arr, const char *plist)
{
	const accord_member *m =
		accord_parties_member(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);
	const char *own, *p = plist;
	int error;

	if (!m || m->revoked)
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "key %s is not an active member of any party of this ledger",
				 ctx->key->pub.id);
	own = accord_ledger_parties(ctx->ledger)->parties[m->party].name;
	if ((error = cmd_party_ambiguous(ctx, own)))
		return error;
	cJSON_AddItemToArray(arr, cJSON_CreateString(own));
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char name[80];
		const cJSON *item;
		int dup = 0;

		if (n == 0 || n >= sizeof(name))
			return cmd_usage_error(
				ctx, "--parties takes names separated by commas, not '%s'", plist);
		memcpy(name, p, n);
		name[n] = '\0';
		if (!cmd_valid_name(name))
			return cmd_usage_error(ctx, "invalid party name '%s'", name);
		if (!accord_parties_find(accord_ledger_parties(ctx->ledger), name))
			return cmd_no_such_party(ctx, name);
		if ((error = cmd_party_ambiguous(ctx, name)))
			return error;
		cJSON_ArrayForEach(item, arr)
			dup |= !strcmp(item->valuestring, name);
		if (!dup)
			cJSON_AddItemToArray(arr, cJSON_CreateString(name));
		p = comma ? comma + 1 : NULL;
		if (comma && !*p)
			return cmd_usage_error(ctx, "--parties ends with a comma");
	}
	return 0;
}

/* A ticket names one of the incident's parties: not another party, nor one that does not exist. */
static int tickets_involved(accord_ctx *ctx, const cJSON *tickets, const cJSON *parties)
{
	const cJSON *t, *p;

	cJSON_ArrayForEach(t, tickets) {
		const char *party = accord_json_str(t, "party");
		int found = 0;

		cJSON_ArrayForEach(p, parties)
			found |= !strcmp(p->valuestring, party);
		if (!found)
			return cmd_failf(
				ACCORD_EXIT_USAGE,
				"--ticket %s:%s: %s %s (name it in --parties first)", party,
				accord_json_str(t, "id"), party,
				accord_parties_find(accord_ledger_parties(ctx->ledger), party)
					? "is not involved in this incident"
					: "is no party of this ledger");
	}
	return 0;
}

int cmd_open(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "severity", required_argument, NULL, 's' },
		{ "service", required_argument, NULL, 'v' },
		{ "started", required_argument, NULL, 'a' },
		{ "ticket", required_argument, NULL, 'k' },
		{ "parties", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL, *service = NULL, *severity = NULL, *started = NULL, *plist = NULL;
	cJSON *body = NULL, *tickets = cJSON_CreateArray(), *parties;
	char id[ACCORD_ID_HEXLEN + 1], shown[ACCORD_ID_HEXLEN + 1], when[ACCORD_TIME_LEN];
	int64_t sev = 0, start = 0;
	int c, error = 0;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 't': title = optarg; break;
		case 's': severity = optarg; break;
		case 'v': service = optarg; break;
		case 'a': started = optarg; break;
		case 'p': plist = optarg; break;
		case 'k': {
			const char *colon = strchr(optarg, ':');
			char party[65];
			cJSON *t;

			if (!colon || colon == optarg || !colon[1] ||
			    (size_t)(colon - optarg) >= sizeof(party)) {
				error = cmd_usage_error(ctx, "--ticket takes PARTY:ID, not '%s'",
							optarg);
				goto fail;
			}
			memcpy(party, optarg, (size_t)(colon - optarg));
			party[colon - optarg] = '\0';
			if (!cmd_valid_name(party) ||
			    (error = cmd_check_text(ctx, "--ticket", colon + 1, 0))) {
				error = error ? error
					      : cmd_usage_error(
							ctx, "invalid party name '%s' in --ticket",
							party);
				goto fail;
			}
			t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "party", party);
			cJSON_AddStringToObject(t, "id", colon + 1);
			cJSON_AddItemToArray(tickets, t);
			break;
		}
		case 'h':
			fputs(open_usage, stdout);
			error = 0;
			goto fail;
		default: error = ACCORD_EXIT_USAGE; goto fail;
		}
	}
	if (optind < argc) {
		error = cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
		goto fail;
	}
	if (!title || !severity || !service) {
		error = cmd_usage_error(ctx, "--title, --severity and --service are required");
		goto fail;
	}
	if ((error = cmd_check_text(ctx, "--title", title, 0)) ||
	    (error = cmd_check_text(ctx, "--service", service, 0)) ||
	    (error = cmd_parse_int(ctx, &sev, "--severity", severity, 1, 4)) ||
	    (started && (error = cmd_parse_time(ctx, &start, "--started", started))))
		goto fail;
	if (started && start > accord_time_now() + ACCORD_FUTURE_SLACK_S) {
		error = cmd_usage_error(
			ctx, "--started %s is in the future: impact begins when it has begun",
			started);
		goto fail;
	}
	if ((error = cmd_prepare(ctx, NULL, NULL, NULL, 0)) != 0)
		goto fail;
	if (!started)
		start = accord_time_now();
	accord_time_format(when, start);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "title", title);
	cJSON_AddNumberToObject(body, "severity", (double)sev);
	cJSON_AddStringToObject(body, "service", service);
	cJSON_AddStringToObject(body, "started_at", when);
	parties = cJSON_AddArrayToObject(body, "parties");
	if ((error = add_parties(ctx, parties, plist)) != 0 ||
	    (error = tickets_involved(ctx, tickets, parties))) {
		cJSON_Delete(body);
		goto fail;
	}
	cJSON_AddItemToObject(body, "tickets", tickets);
	tickets = NULL;
	error = cmd_append(ctx, "open", NULL, body, id);
	cJSON_Delete(body);
	if (error)
		return error;
	/* The new entry is part of the ledger now: its shown id is unique among all. */
	cmd_short_id(shown, sizeof(shown), ctx, id);
	printf("%s\n", shown);
	return 0;
fail:
	cJSON_Delete(tickets);
	return error;
}

/*
 * The commands that write one entry on one incident (note, status, impact,
 * sla, feedback, ticket) differ only in their options, their checks and
 * the body they build. Each is a row: incident_write() parses the options,
 * checks the argument count, runs the row's checks that need no ledger
 * (usage errors come before any key or ledger is loaded), does the
 * command's set-up (cmd_prepare: the key, the ledger under the lock, the
 * incident), builds the body against the ledger and writes it. The
 * cJSON_Create and cJSON_Add results need no check: cJSON allocates under
 * the one out-of-memory policy (accord_init; docs/architecture.md).
 */
struct incident_cmd {
	const char *type; /* the entry written */
	const char *usage;
	const struct option *opts; /* with "help" as 'h' */
	int args;		   /* arguments after the incident id */
	const char *args_wanted;   /* the usage error for another count */
	/* one option into `vals`: 0, or nonzero after a usage error */
	int (*take)(int c, void *vals);
	/* the arguments (args[0] is the incident id) before loading: 0 or an exit code */
	int (*check)(accord_ctx *ctx, char **args, void *vals);
	/* *out: the entry's body for incident `open`, or an exit code after saying why */
	int (*body)(cJSON **out, accord_ctx *ctx, const accord_entry *open, char **args,
		    void *vals);
};

static int incident_write(accord_ctx *ctx, int argc, char **argv, const struct incident_cmd *ic,
			  void *vals)
{
	const accord_entry *open;
	cJSON *body = NULL;
	int error;

	if ((error = cmd_options(ctx, argc, argv, ic->opts, ic->usage, ic->take, vals)))
		return error < 0 ? 0 : error;
	if (argc - optind != 1 + ic->args)
		return cmd_usage_error(ctx, "%s", ic->args_wanted);
	if ((ic->check && (error = ic->check(ctx, argv + optind, vals))) ||
	    (error = cmd_prepare(ctx, argv[optind], &open, NULL, 0)) ||
	    (error = ic->body(&body, ctx, open, argv + optind, vals)))
		return error;
	return cmd_write(ctx, ic->type, open->id, body);
}

static int note_check(accord_ctx *ctx, char **args, void *vals)
{
	return cmd_check_text(ctx, "the note", args[1], 1);
}

static int note_body(cJSON **out, accord_ctx *ctx, const accord_entry *open, char **args,
		     void *vals)
{
	*out = cJSON_CreateObject();
	cJSON_AddStringToObject(*out, "text", args[1]);
	return 0;
}

int cmd_note(accord_ctx *ctx, int argc, char **argv)
{
	static const struct incident_cmd note = {
		"note", note_usage, help_only, 1, "expected an incident id and the note's text",
		NULL,	note_check, note_body,
	};

	return incident_write(ctx, argc, argv, &note, NULL);
}

struct status_vals {
	const char *note, *on;
};

static int status_take(int c, void *vals)
{
	struct status_vals *v = vals;

	switch (c) {
	case 'n': v->note = optarg; return 0;
	case 'o': v->on = optarg; return 0;
	default: return 1;
	}
}

static int status_check(accord_ctx *ctx, char **args, void *vals)
{
	static const char *const valid[] = { "investigating", "identified", "mitigated",
					     "resolved",      "closed",	    "waiting" };
	const struct status_vals *v = vals;
	const char *to = args[1];
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(*valid); i++)
		if (!strcmp(to, valid[i]))
			break;
	if (i == sizeof(valid) / sizeof(*valid))
		return cmd_usage_error(
			ctx,
			"unknown status '%s' (investigating, identified, mitigated, resolved, closed, waiting)",
			to);
	if (!strcmp(to, "waiting") && !v->on)
		return cmd_usage_error(ctx,
				       "waiting needs --on PARTY: the party the incident waits on");
	if (strcmp(to, "waiting") != 0 && v->on)
		return cmd_usage_error(ctx, "--on goes with waiting only");
	if (v->note)
		return cmd_check_text(ctx, "--note", v->note, 1);
	return 0;
}

static int status_body(cJSON **out, accord_ctx *ctx, const accord_entry *open, char **args,
		       void *vals)
{
	const struct status_vals *v = vals;
	const char *to = args[1];
	accord_incident *inc = NULL;
	cJSON *body;
	int error;

	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	error = accord_incident_transition_ok(inc->status, to);
	if (error == 0 && v->on) {
		size_t k;

		for (k = 0; k < inc->party_count && strcmp(inc->parties[k], v->on) != 0; k++)
			;
		if (k == inc->party_count)
			error = accord_error_set(
				ACCORD_EDENIED,
				"incident %.12s does not involve %s: it cannot wait on it",
				open->id, v->on);
	}
	if (error == 0 && !strcmp(to, "closed") && !(inc->resolution && inc->resolution->joint))
		error = accord_error_set(
			ACCORD_EDENIED,
			"incident %.12s can be closed only once its resolution is joint (see accord resolve, accord cosign)",
			open->id);
	accord_incident_free(inc);
	if (error < 0)
		return cmd_fail(error);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "status", to);
	if (v->on)
		cJSON_AddStringToObject(body, "on", v->on);
	if (v->note)
		cJSON_AddStringToObject(body, "note", v->note);
	*out = body;
	return 0;
}

int cmd_status(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "on", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct incident_cmd status = {
		"status",    status_usage, opts,	1, "expected an incident id and a status",
		status_take, status_check, status_body,
	};
	struct status_vals v = { NULL, NULL };

	return incident_write(ctx, argc, argv, &status, &v);
}

/* A window starts no earlier than accord_incident_impact_floor allows for the writer's party. */
struct impact_vals {
	const char *customers, *start, *end, *desc;
	int64_t n, t0, t1;
};

/*
 * While a close stands, a window of `party` changes nothing the close
 * judged (the engine marks it late: attack102 01), but for ending its own
 * window still open at the close, with the same customers, by the close's
 * time at the latest (attack94 02).
 */
static int ends_open_window(const accord_incident *inc, const char *party, int64_t t0,
			    const struct impact_vals *v)
{
	size_t i;

	for (i = 0; i < inc->figure_count; i++) {
		const accord_impact *w = &inc->figures[i];

		if (w->party && party && !strcmp(w->party, party) && w->start == t0)
			return !w->has_end && v->end && v->t1 <= inc->closed_by->time &&
			       w->customers == v->n;
	}
	return 0;
}

static int impact_after_start(accord_ctx *ctx, const accord_entry *open, int64_t t0,
			      const char *start, const struct impact_vals *v)
{
	accord_incident *inc = NULL;
	char when[ACCORD_TIME_LEN];
	int error;

	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	error = 0;
	{
		const accord_member *m =
			accord_parties_member(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);
		const char *mine =
			m ? accord_ledger_parties(ctx->ledger)->parties[m->party].name : NULL;
		int64_t floor = accord_incident_impact_floor(inc, mine);

		if (t0 < floor) {
			accord_time_format(when, floor);
			error = cmd_usage_error(
				ctx,
				floor == inc->started_at
					? "--start %s is before the incident's impact started (%s)"
					: "--start %s is more than 7 days before the incident was opened (%s)",
				start, when);
		}
		/* written all the same (another copy may reopen), but said: it changes nothing now */
		if (!error && inc->closed_by && !ends_open_window(inc, mine, t0, v))
			cmd_warn(
				"incident %.12s is closed on a joint resolution: this window is late and changes nothing the close judged, until a reopen (accord status %.12s investigating)",
				inc->id, inc->id);
	}
	accord_incident_free(inc);
	return error;
}

static int impact_take(int c, void *vals)
{
	struct impact_vals *v = vals;

	switch (c) {
	case 'c': v->customers = optarg; return 0;
	case 's': v->start = optarg; return 0;
	case 'e': v->end = optarg; return 0;
	case 'd': v->desc = optarg; return 0;
	default: return 1;
	}
}

static int impact_check(accord_ctx *ctx, char **args, void *vals)
{
	struct impact_vals *v = vals;
	const char *start = v->start, *end = v->end;
	int error;

	if (!v->customers || !start)
		return cmd_usage_error(ctx, "--customers and --start are required");
	if ((error = cmd_parse_int(ctx, &v->n, "--customers", v->customers, 0,
				   ACCORD_MAX_CUSTOMERS)) ||
	    (error = cmd_parse_time(ctx, &v->t0, "--start", start)) ||
	    (end && (error = cmd_parse_time(ctx, &v->t1, "--end", end))) ||
	    (v->desc && (error = cmd_check_text(ctx, "--description", v->desc, 1))))
		return error;
	if (end && v->t1 < v->t0)
		return cmd_usage_error(
			ctx, "--end %s is before --start %s: a window ends after it starts", end,
			start);
	if (v->t0 > accord_time_now() + ACCORD_FUTURE_SLACK_S ||
	    (end && v->t1 > accord_time_now() + ACCORD_FUTURE_SLACK_S))
		return cmd_usage_error(
			ctx, "--%s %s is in the future: record impact that has happened",
			v->t0 > accord_time_now() + ACCORD_FUTURE_SLACK_S ? "start" : "end",
			v->t0 > accord_time_now() + ACCORD_FUTURE_SLACK_S ? start : end);
	return 0;
}

static int impact_body(cJSON **out, accord_ctx *ctx, const accord_entry *open, char **args,
		       void *vals)
{
	const struct impact_vals *v = vals;
	char when[ACCORD_TIME_LEN];
	cJSON *body;
	int error;

	if ((error = impact_after_start(ctx, open, v->t0, v->start, v)))
		return error;
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "customers", (double)v->n);
	accord_time_format(when, v->t0);
	cJSON_AddStringToObject(body, "start", when);
	if (v->end) {
		accord_time_format(when, v->t1);
		cJSON_AddStringToObject(body, "end", when);
	}
	if (v->desc)
		cJSON_AddStringToObject(body, "description", v->desc);
	*out = body;
	return 0;
}

int cmd_impact(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "customers", required_argument, NULL, 'c' },
		{ "start", required_argument, NULL, 's' },
		{ "end", required_argument, NULL, 'e' },
		{ "description", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct incident_cmd impact = {
		"impact",    impact_usage, opts,	0, "expected one incident id",
		impact_take, impact_check, impact_body,
	};
	struct impact_vals v = { NULL, NULL, NULL, NULL, 0, 0, 0 };

	return incident_write(ctx, argc, argv, &impact, &v);
}

struct sla_vals {
	const char *name, *target, *actual;
	int64_t t, a;
};

static int sla_take(int c, void *vals)
{
	struct sla_vals *v = vals;

	switch (c) {
	case 'n': v->name = optarg; return 0;
	case 't': v->target = optarg; return 0;
	case 'a': v->actual = optarg; return 0;
	default: return 1;
	}
}

static int sla_check(accord_ctx *ctx, char **args, void *vals)
{
	struct sla_vals *v = vals;
	int error;

	if (!v->name || !v->target || !v->actual)
		return cmd_usage_error(ctx, "--name, --target and --actual are required");
	if ((error = cmd_check_text(ctx, "--name", v->name, 0)) ||
	    (error = cmd_parse_duration(ctx, &v->t, "--target", v->target)) ||
	    (error = cmd_parse_duration(ctx, &v->a, "--actual", v->actual)))
		return error;
	if (v->t > 31536000 || v->a > 31536000)
		return cmd_usage_error(ctx, "SLA durations are at most 365 days");
	return 0;
}

static int sla_body(cJSON **out, accord_ctx *ctx, const accord_entry *open, char **args, void *vals)
{
	const struct sla_vals *v = vals;
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "name", v->name);
	cJSON_AddNumberToObject(body, "target_s", (double)v->t);
	cJSON_AddNumberToObject(body, "actual_s", (double)v->a);
	*out = body;
	return 0;
}

int cmd_sla(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "target", required_argument, NULL, 't' },
		{ "actual", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct incident_cmd sla = {
		"sla",	  sla_usage, opts,     0, "expected one incident id",
		sla_take, sla_check, sla_body,
	};
	struct sla_vals v = { NULL, NULL, NULL, 0, 0 };

	return incident_write(ctx, argc, argv, &sla, &v);
}

/* Customer feedback is the customer-facing party's to record: no partner speaks for its customers. */
static int feedback_party(accord_ctx *ctx, const accord_entry *open)
{
	const char *mine = NULL, *theirs = NULL;
	const accord_member *m =
		accord_parties_member(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);
	accord_incident *inc = NULL;

	/* the incident's, which counts the parties involved after the open too */
	if (accord_incident_build(&inc, ctx->ledger, open) == 0)
		theirs = inc->customer_party; /* a name borrowed from the ledger's parties */
	else
		accord_error_clear();
	accord_incident_free(inc);

	if (m)
		mine = accord_ledger_parties(ctx->ledger)->parties[m->party].name;
	if (!mine || !theirs || strcmp(mine, theirs) != 0)
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"feedback on incident %.12s is recorded by %s, its customer-facing party: %s cannot speak for its customers",
			open->id, theirs ? theirs : "its customer-facing party",
			mine ? mine : "this key");
	return 0;
}

struct feedback_vals {
	accord_ctx *ctx;
	const char *score, *lost, *comment, *response;
	cJSON *indicators; /* NULL until the first --indicator */
	int64_t s, l;
};

static int feedback_take(int c, void *vals)
{
	struct feedback_vals *v = vals;
	size_t k, j;

	switch (c) {
	case 's': v->score = optarg; return 0;
	case 'l': v->lost = optarg; return 0;
	case 'c': v->comment = optarg; return 0;
	case 'r': v->response = optarg; return 0;
	case 'i': break;
	default: return 1;
	}
	for (k = 0; accord_feedback_indicators[k] && strcmp(accord_feedback_indicators[k], optarg);
	     k++)
		;
	if (!accord_feedback_indicators[k])
		return cmd_usage_error(
			v->ctx,
			"--indicator '%s' is none of fast, kept-informed, slow, had-to-repeat, not-fixed, poor-communication",
			optarg);
	if (!v->indicators)
		v->indicators = cJSON_CreateArray();
	for (j = 0; j < (size_t)cJSON_GetArraySize(v->indicators) &&
		    strcmp(cJSON_GetArrayItem(v->indicators, (int)j)->valuestring, optarg);
	     j++)
		;
	if (j == (size_t)cJSON_GetArraySize(v->indicators))
		cJSON_AddItemToArray(v->indicators, cJSON_CreateString(optarg));
	return 0;
}

static int feedback_check(accord_ctx *ctx, char **args, void *vals)
{
	struct feedback_vals *v = vals;
	int error;

	if (!v->score)
		return cmd_usage_error(ctx, "--score is required");
	if ((error = cmd_parse_int(ctx, &v->s, "--score", v->score, 1, 5)) ||
	    (v->lost &&
	     (error = cmd_parse_int(ctx, &v->l, "--lost-minutes", v->lost, 0, 1000000000))) ||
	    (v->comment && (error = cmd_check_text(ctx, "--comment", v->comment, 1))) ||
	    (v->response && (error = cmd_check_text(ctx, "--response", v->response, 0))))
		return error;
	if (v->response && strlen(v->response) > 100)
		return cmd_usage_error(ctx, "--response is at most 100 bytes");
	return 0;
}

static int feedback_body(cJSON **out, accord_ctx *ctx, const accord_entry *open, char **args,
			 void *vals)
{
	struct feedback_vals *v = vals;
	cJSON *body;
	int error;

	if ((error = feedback_party(ctx, open)))
		return error;
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "score", (double)v->s);
	if (v->response)
		cJSON_AddStringToObject(body, "response", v->response);
	if (v->lost)
		cJSON_AddNumberToObject(body, "lost_minutes", (double)v->l);
	if (v->comment)
		cJSON_AddStringToObject(body, "comment", v->comment);
	if (v->indicators) {
		cJSON_AddItemToObject(body, "indicators", v->indicators);
		v->indicators = NULL; /* the body holds it now */
	}
	*out = body;
	return 0;
}

int cmd_feedback(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "score", required_argument, NULL, 's' },
		{ "lost-minutes", required_argument, NULL, 'l' },
		{ "comment", required_argument, NULL, 'c' },
		{ "response", required_argument, NULL, 'r' },
		{ "indicator", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct incident_cmd feedback = {
		"feedback",    feedback_usage, opts,	      0, "expected one incident id",
		feedback_take, feedback_check, feedback_body,
	};
	struct feedback_vals v = { ctx, NULL, NULL, NULL, NULL, NULL, 0, 0 };
	int code = incident_write(ctx, argc, argv, &feedback, &v);

	cJSON_Delete(v.indicators);
	return code;
}

static int ticket_check(accord_ctx *ctx, char **args, void *vals)
{
	const char *arg = args[1], *colon = strchr(arg, ':');
	char *party = vals;
	int error;

	if (!colon || colon == arg || !colon[1] || (size_t)(colon - arg) >= 65)
		return cmd_usage_error(ctx, "expected PARTY:TICKET, not '%s'", arg);
	snprintf(party, 65, "%.*s", (int)(colon - arg), arg);
	if (!cmd_valid_name(party))
		return cmd_usage_error(ctx, "invalid party name '%s'", party);
	if ((error = cmd_check_text(ctx, "the ticket", colon + 1, 0)))
		return error;
	if (strlen(colon + 1) > 100)
		return cmd_usage_error(ctx, "a ticket id is at most 100 bytes");
	return 0;
}

static int ticket_body(cJSON **out, accord_ctx *ctx, const accord_entry *open, char **args,
		       void *vals)
{
	const char *party = vals, *arg = args[1], *ticket = strchr(arg, ':') + 1;
	accord_incident *inc = NULL;
	cJSON *body;
	size_t i;
	int error, found = 0;

	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	for (i = 0; i < inc->party_count; i++)
		found |= !strcmp(inc->parties[i], party);
	accord_incident_free(inc);
	if (!found)
		return cmd_failf(ACCORD_EXIT_USAGE, "ticket %s: %s %s", arg, party,
				 accord_parties_find(accord_ledger_parties(ctx->ledger), party)
					 ? "is not involved in this incident (accord involve first)"
					 : "is no party of this ledger");
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "party", party);
	cJSON_AddStringToObject(body, "id", ticket);
	*out = body;
	return 0;
}

int cmd_ticket(accord_ctx *ctx, int argc, char **argv)
{
	static const struct incident_cmd ticket = {
		"ticket", ticket_usage, help_only,   1, "expected an incident id and PARTY:TICKET",
		NULL,	  ticket_check, ticket_body,
	};
	char party[65] = "";

	return incident_write(ctx, argc, argv, &ticket, party);
}
