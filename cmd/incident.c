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
	"until the next status: say who is waited on and why (--note). A pause that\n"
	"stops your own party's clock counts once PARTY co-signs it (accord cosign).\n";
static const char impact_usage[] =
	"usage: accord impact ID --customers N --start TIME [--end TIME] [--description TEXT]\n\n"
	"Record a window of customer impact as your party measured it. Without --end\n"
	"the window is still open; record it again with the same --start and an --end\n"
	"to close it. Each party's windows are its own: another party's window for the\n"
	"same time stands beside yours, and overlapping windows of two parties are a\n"
	"dispute until one is co-signed (accord cosign). A window starts no earlier\n"
	"than the incident, ends after it starts, is not in the future, and counts at\n"
	"most 10^10 customers.\n"
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

int cmd_note(accord_ctx *ctx, int argc, char **argv)
{
	const accord_entry *open;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, help_only)) != -1) {
		if (c == 'h') {
			fputs(note_usage, stdout);
			return 0;
		}
		return ACCORD_EXIT_USAGE;
	}
	if (argc - optind != 2)
		return cmd_usage_error(ctx, "expected an incident id and the note's text");
	if ((error = cmd_check_text(ctx, "the note", argv[optind + 1], 1)) ||
	    (error = cmd_prepare(ctx, argv[optind], &open, NULL, 0)))
		return error;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "text", argv[optind + 1]);
	return cmd_write(ctx, "note", open->id, body);
}

int cmd_status(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "on", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const valid[] = { "investigating", "identified", "mitigated",
					     "resolved",      "closed",	    "waiting" };
	const accord_entry *open;
	accord_incident *inc = NULL;
	const char *note = NULL, *to, *on = NULL;
	cJSON *body;
	size_t i;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'n': note = optarg; break;
		case 'o': on = optarg; break;
		case 'h': fputs(status_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return cmd_usage_error(ctx, "expected an incident id and a status");
	to = argv[optind + 1];
	for (i = 0; i < sizeof(valid) / sizeof(*valid); i++)
		if (!strcmp(to, valid[i]))
			break;
	if (i == sizeof(valid) / sizeof(*valid))
		return cmd_usage_error(
			ctx,
			"unknown status '%s' (investigating, identified, mitigated, resolved, closed, waiting)",
			to);
	if (!strcmp(to, "waiting") && !on)
		return cmd_usage_error(ctx,
				       "waiting needs --on PARTY: the party the incident waits on");
	if (strcmp(to, "waiting") != 0 && on)
		return cmd_usage_error(ctx, "--on goes with waiting only");
	if (note && (error = cmd_check_text(ctx, "--note", note, 1)))
		return error;
	if ((error = cmd_prepare(ctx, argv[optind], &open, NULL, 0)))
		return error;
	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	error = accord_incident_transition_ok(inc->status, to);
	if (error == 0 && on) {
		size_t k;

		for (k = 0; k < inc->party_count && strcmp(inc->parties[k], on) != 0; k++)
			;
		if (k == inc->party_count)
			error = accord_error_set(
				ACCORD_EDENIED,
				"incident %.12s does not involve %s: it cannot wait on it",
				open->id, on);
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
	if (on)
		cJSON_AddStringToObject(body, "on", on);
	if (note)
		cJSON_AddStringToObject(body, "note", note);
	return cmd_write(ctx, "status", open->id, body);
}

/* A window starts no earlier than the incident's impact (accord amend cannot move that: open says it). */
static int impact_after_start(accord_ctx *ctx, const accord_entry *open, int64_t t0,
			      const char *start)
{
	accord_incident *inc = NULL;
	char when[ACCORD_TIME_LEN];
	int error;

	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	error = 0;
	if (t0 < inc->started_at) {
		accord_time_format(when, inc->started_at);
		error = cmd_usage_error(ctx,
					"--start %s is before the incident's impact started (%s)",
					start, when);
	}
	accord_incident_free(inc);
	return error;
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
	const char *customers = NULL, *start = NULL, *end = NULL, *desc = NULL;
	const accord_entry *open;
	char buf[ACCORD_TIME_LEN];
	int64_t n = 0, t0 = 0, t1 = 0;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'c': customers = optarg; break;
		case 's': start = optarg; break;
		case 'e': end = optarg; break;
		case 'd': desc = optarg; break;
		case 'h': fputs(impact_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one incident id");
	if (!customers || !start)
		return cmd_usage_error(ctx, "--customers and --start are required");
	if ((error = cmd_parse_int(ctx, &n, "--customers", customers, 0, ACCORD_MAX_CUSTOMERS)) ||
	    (error = cmd_parse_time(ctx, &t0, "--start", start)) ||
	    (end && (error = cmd_parse_time(ctx, &t1, "--end", end))) ||
	    (desc && (error = cmd_check_text(ctx, "--description", desc, 1))))
		return error;
	if (end && t1 < t0)
		return cmd_usage_error(
			ctx, "--end %s is before --start %s: a window ends after it starts", end,
			start);
	if (t0 > accord_time_now() + ACCORD_FUTURE_SLACK_S ||
	    (end && t1 > accord_time_now() + ACCORD_FUTURE_SLACK_S))
		return cmd_usage_error(
			ctx, "--%s %s is in the future: record impact that has happened",
			t0 > accord_time_now() + ACCORD_FUTURE_SLACK_S ? "start" : "end",
			t0 > accord_time_now() + ACCORD_FUTURE_SLACK_S ? start : end);
	if ((error = cmd_prepare(ctx, argv[optind], &open, NULL, 0)) ||
	    (error = impact_after_start(ctx, open, t0, start)))
		return error;
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "customers", (double)n);
	accord_time_format(buf, t0);
	cJSON_AddStringToObject(body, "start", buf);
	if (end) {
		accord_time_format(buf, t1);
		cJSON_AddStringToObject(body, "end", buf);
	}
	if (desc)
		cJSON_AddStringToObject(body, "description", desc);
	return cmd_write(ctx, "impact", open->id, body);
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
	const char *name = NULL, *target = NULL, *actual = NULL;
	const accord_entry *open;
	int64_t t = 0, a = 0;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 't': target = optarg; break;
		case 'a': actual = optarg; break;
		case 'h': fputs(sla_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one incident id");
	if (!name || !target || !actual)
		return cmd_usage_error(ctx, "--name, --target and --actual are required");
	if ((error = cmd_check_text(ctx, "--name", name, 0)) ||
	    (error = cmd_parse_duration(ctx, &t, "--target", target)) ||
	    (error = cmd_parse_duration(ctx, &a, "--actual", actual)))
		return error;
	if (t > 31536000 || a > 31536000)
		return cmd_usage_error(ctx, "SLA durations are at most 365 days");
	if ((error = cmd_prepare(ctx, argv[optind], &open, NULL, 0)))
		return error;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", name);
	cJSON_AddNumberToObject(body, "target_s", (double)t);
	cJSON_AddNumberToObject(body, "actual_s", (double)a);
	return cmd_write(ctx, "sla", open->id, body);
}

/* Customer feedback is the customer-facing party's to record: no partner speaks for its customers. */
static int feedback_party(accord_ctx *ctx, const accord_entry *open)
{
	const char *mine = NULL, *theirs = accord_incident_customer_party(
					 accord_ledger_parties(ctx->ledger), open,
					 accord_incident_ledger_in_past, ctx->ledger);
	const accord_member *m =
		accord_parties_member(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);

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

/* The values of accord feedback: 0, or the exit code of a usage error. */
static int feedback_checks(accord_ctx *ctx, int argc, const char *score, const char *lost,
			   const char *comment, const char *response, int64_t *s, int64_t *l)
{
	int error;

	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one incident id");
	if (!score)
		return cmd_usage_error(ctx, "--score is required");
	if ((error = cmd_parse_int(ctx, s, "--score", score, 1, 5)) ||
	    (lost && (error = cmd_parse_int(ctx, l, "--lost-minutes", lost, 0, 1000000000))) ||
	    (comment && (error = cmd_check_text(ctx, "--comment", comment, 1))) ||
	    (response && (error = cmd_check_text(ctx, "--response", response, 0))))
		return error;
	if (response && strlen(response) > 100)
		return cmd_usage_error(ctx, "--response is at most 100 bytes");
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
	const char *score = NULL, *lost = NULL, *comment = NULL, *response = NULL;
	cJSON *indicators = NULL;
	size_t k, j;
	const accord_entry *open;
	int64_t s = 0, l = 0;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 's': score = optarg; break;
		case 'l': lost = optarg; break;
		case 'c': comment = optarg; break;
		case 'r': response = optarg; break;
		case 'i':
			for (k = 0; accord_feedback_indicators[k] &&
				    strcmp(accord_feedback_indicators[k], optarg);
			     k++)
				;
			if (!accord_feedback_indicators[k]) {
				cJSON_Delete(indicators);
				return cmd_usage_error(
					ctx,
					"--indicator '%s' is none of fast, kept-informed, slow, had-to-repeat, not-fixed, poor-communication",
					optarg);
			}
			if (!indicators)
				indicators = cJSON_CreateArray();
			for (j = 0;
			     j < (size_t)cJSON_GetArraySize(indicators) &&
			     strcmp(cJSON_GetArrayItem(indicators, (int)j)->valuestring, optarg);
			     j++)
				;
			if (j == (size_t)cJSON_GetArraySize(indicators))
				cJSON_AddItemToArray(indicators, cJSON_CreateString(optarg));
			break;
		case 'h':
			cJSON_Delete(indicators);
			fputs(feedback_usage, stdout);
			return 0;
		default: cJSON_Delete(indicators); return ACCORD_EXIT_USAGE;
		}
	}
	if ((error = feedback_checks(ctx, argc, score, lost, comment, response, &s, &l)) ||
	    (error = cmd_prepare(ctx, argv[optind], &open, NULL, 0)) ||
	    (error = feedback_party(ctx, open))) {
		cJSON_Delete(indicators);
		return error;
	}
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "score", (double)s);
	if (response)
		cJSON_AddStringToObject(body, "response", response);
	if (lost)
		cJSON_AddNumberToObject(body, "lost_minutes", (double)l);
	if (comment)
		cJSON_AddStringToObject(body, "comment", comment);
	if (indicators)
		cJSON_AddItemToObject(body, "indicators", indicators);
	return cmd_write(ctx, "feedback", open->id, body);
}

int cmd_ticket(accord_ctx *ctx, int argc, char **argv)
{
	const accord_entry *open;
	accord_incident *inc = NULL;
	const char *arg, *colon;
	char party[65];
	cJSON *body;
	size_t i;
	int c, error, found = 0;

	while ((c = cmd_getopt(ctx, argc, argv, help_only)) != -1) {
		if (c == 'h') {
			fputs(ticket_usage, stdout);
			return 0;
		}
		return ACCORD_EXIT_USAGE;
	}
	if (argc - optind != 2)
		return cmd_usage_error(ctx, "expected an incident id and PARTY:TICKET");
	arg = argv[optind + 1];
	colon = strchr(arg, ':');
	if (!colon || colon == arg || !colon[1] || (size_t)(colon - arg) >= sizeof(party))
		return cmd_usage_error(ctx, "expected PARTY:TICKET, not '%s'", arg);
	snprintf(party, sizeof(party), "%.*s", (int)(colon - arg), arg);
	if (!cmd_valid_name(party))
		return cmd_usage_error(ctx, "invalid party name '%s'", party);
	if ((error = cmd_check_text(ctx, "the ticket", colon + 1, 0)))
		return error;
	if (strlen(colon + 1) > 100)
		return cmd_usage_error(ctx, "a ticket id is at most 100 bytes");
	if ((error = cmd_prepare(ctx, argv[optind], &open, NULL, 0)))
		return error;
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
	cJSON_AddStringToObject(body, "id", colon + 1);
	return cmd_write(ctx, "ticket", open->id, body);
}
