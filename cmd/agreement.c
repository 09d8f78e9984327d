/* accord agreement propose|list: terms both parties sign (issue 18). */
#include <stdlib.h>
#include <string.h>

#include "accord/agreement.h"
#include "accord/hours.h"
#include "cmd.h"

static const char agreement_usage[] =
	"usage: accord agreement propose --with PARTY [--service NAME] [--severity N]\n"
	"                                --acknowledge DURATION --mitigate DURATION --restore DURATION\n"
	"                                [--hours \"DAYS HH:MM-HH:MM ZONE\"] [--csat-target PERCENT]\n"
	"                                [--lost-minutes-target N]\n"
	"       accord agreement list [--json]\n\n"
	"  propose  propose terms between your party (the customer side) and PARTY\n"
	"           (the provider) for a service and severity (default: all), and\n"
	"           print the agreement's id. It is in force once a member of PARTY\n"
	"           co-signs it (accord cosign AGREEMENT); a later joint agreement for\n"
	"           the same scope supersedes it. DURATION as 30m, 4h, 1h30m, 2d.\n"
	"           --hours \"Mon-Fri 08:00-18:00 Europe/Copenhagen\": the clocks run in\n"
	"           these hours only (else 24x7); the zone's POSIX TZ rule, read from\n"
	"           the tz database ($TZDIR, else /usr/share/zoneinfo), is what the\n"
	"           entry records, so every copy computes the same clock.\n"
	"           --csat-target, --lost-minutes-target: experience targets (XLA).\n"
	"  list     the terms in force and their history: proposed (waiting for the\n"
	"           provider), in force, superseded.\n";

struct propose_opts {
	const char *with, *service, *severity, *ack, *mitigate, *restore, *hours, *csat, *lost;
};

static int propose_take(int c, struct propose_opts *o)
{
	switch (c) {
	case 'w': o->with = optarg; return 0;
	case 's': o->service = optarg; return 0;
	case 'v': o->severity = optarg; return 0;
	case 'a': o->ack = optarg; return 0;
	case 'm': o->mitigate = optarg; return 0;
	case 'r': o->restore = optarg; return 0;
	case 'H': o->hours = optarg; return 0;
	case 'c': o->csat = optarg; return 0;
	case 'l': o->lost = optarg; return 0;
	default: return -1;
	}
}

/* A clock's target: a duration of at most 365 days, more than none. */
static int parse_target(accord_ctx *ctx, int64_t *out, const char *what, const char *s)
{
	int error;

	if (!s)
		return cmd_usage_error(ctx, "%s is required", what);
	if ((error = cmd_parse_duration(ctx, out, what, s)))
		return error;
	if (*out < 1 || *out > 31536000)
		return cmd_usage_error(ctx, "%s: a target from 1s to 365d", what);
	return 0;
}

/* The tz database: $TZDIR as glibc reads it, else Debian's (package tzdata). */
static const char *zoneinfo(void)
{
	const char *dir = getenv("TZDIR");

	return dir && *dir ? dir : "/usr/share/zoneinfo";
}

static int agreement_propose(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "with", required_argument, NULL, 'w' },
		{ "service", required_argument, NULL, 's' },
		{ "severity", required_argument, NULL, 'v' },
		{ "acknowledge", required_argument, NULL, 'a' },
		{ "mitigate", required_argument, NULL, 'm' },
		{ "restore", required_argument, NULL, 'r' },
		{ "hours", required_argument, NULL, 'H' },
		{ "csat-target", required_argument, NULL, 'c' },
		{ "lost-minutes-target", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct propose_opts o = { 0 };
	int64_t sev = 0, ack, mit, res, csat = -1, lost = -1;
	char *week = NULL, *zone = NULL, *rule = NULL;
	const char *mine;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		if (c == 'h') {
			fputs(agreement_usage, stdout);
			return 0;
		}
		if (c == '?' || propose_take(c, &o) < 0)
			return ACCORD_EXIT_USAGE;
	}
	if (optind != argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (!o.with)
		return cmd_usage_error(
			ctx, "--with PARTY is required: the provider the terms are agreed with");
	if ((error = parse_target(ctx, &ack, "--acknowledge", o.ack)) ||
	    (error = parse_target(ctx, &mit, "--mitigate", o.mitigate)) ||
	    (error = parse_target(ctx, &res, "--restore", o.restore)) ||
	    (o.severity && (error = cmd_parse_int(ctx, &sev, "--severity", o.severity, 1, 4))) ||
	    (o.csat && (error = cmd_parse_int(ctx, &csat, "--csat-target", o.csat, 0, 100))) ||
	    (o.lost &&
	     (error = cmd_parse_int(ctx, &lost, "--lost-minutes-target", o.lost, 0, 1000000000))) ||
	    (o.service && (error = cmd_check_text(ctx, "--service", o.service, 0))))
		return error;
	if (o.service && strlen(o.service) > 100)
		return cmd_usage_error(ctx, "--service is at most 100 characters");
	if (o.hours) {
		if (accord_hours_split(&week, &zone, o.hours) < 0)
			return cmd_usage_error(ctx, "%s", accord_error_last());
		if ((error = accord_tzrule_lookup(&rule, zoneinfo(), zone)) < 0) {
			free(week);
			free(zone);
			return cmd_usage_error(ctx, "--hours: %s", accord_error_last());
		}
	}
	error = 0;
	if ((error = cmd_setup(ctx)) || (error = cmd_own_party(&mine, ctx)))
		goto done;
	if (!accord_parties_find(accord_ledger_parties(ctx->ledger), o.with)) {
		error = cmd_no_such_party(ctx, o.with);
		goto done;
	}
	if (!strcmp(mine, o.with)) {
		error = cmd_usage_error(
			ctx,
			"--with names your own party (%s): an agreement is between two parties",
			mine);
		goto done;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "with", o.with);
	if (o.service)
		cJSON_AddStringToObject(body, "service", o.service);
	if (sev)
		cJSON_AddNumberToObject(body, "severity", (double)sev);
	cJSON_AddNumberToObject(body, "acknowledge_s", (double)ack);
	cJSON_AddNumberToObject(body, "mitigate_s", (double)mit);
	cJSON_AddNumberToObject(body, "restore_s", (double)res);
	if (rule) {
		cJSON *h = cJSON_AddObjectToObject(body, "hours");

		cJSON_AddStringToObject(h, "week", week);
		cJSON_AddStringToObject(h, "zone", zone);
		cJSON_AddStringToObject(h, "tz", rule);
	}
	if (csat >= 0)
		cJSON_AddNumberToObject(body, "csat_target", (double)csat);
	if (lost >= 0)
		cJSON_AddNumberToObject(body, "lost_minutes_target", (double)lost);
	error = cmd_write(ctx, "agreement", NULL, body);
done:
	free(week);
	free(zone);
	free(rule);
	return error;
}

/* The joint agreement of the same scope that supersedes `a`, or NULL (in force, or not joint). */
static const accord_agreement *superseded_by(const accord_parties *p, const accord_agreement *a)
{
	const accord_agreement *by = NULL;
	size_t i;

	if (!a->joint)
		return NULL;
	for (i = 0; i < p->agreement_count; i++) {
		const accord_agreement *b = p->agreements[i];

		if (b != a && b->joint && accord_agreement_same_scope(a, b) &&
		    accord_agreement_later(b, a) && (!by || accord_agreement_later(by, b)))
			by = b; /* the next one after a */
	}
	return by;
}

static const char *state_of(const accord_parties *p, const accord_agreement *a)
{
	return !a->joint	     ? (a->withdrawn_by[0] ? "withdrawn" : "proposed")
	       : superseded_by(p, a) ? "superseded"
				     : "in-force";
}

/* "checkout, severity 1", "every service, every severity" */
static void scope_text(accord_buf *out, const accord_agreement *a)
{
	if (a->service)
		accord_buf_printf(out, "service %s", a->service);
	else
		accord_buf_puts(out, "every service");
	if (a->severity)
		accord_buf_printf(out, ", severity %lld", (long long)a->severity);
	else
		accord_buf_puts(out, ", every severity");
}

static void print_agreement(const accord_parties *p, const accord_agreement *a)
{
	accord_buf scope = ACCORD_BUF_INIT;
	char d1[32], d2[32], d3[32], t[ACCORD_TIME_LEN];
	const accord_agreement *by = superseded_by(p, a);

	scope_text(&scope, a);
	accord_duration_format(d1, sizeof(d1), a->acknowledge_s);
	accord_duration_format(d2, sizeof(d2), a->mitigate_s);
	accord_duration_format(d3, sizeof(d3), a->restore_s);
	printf("%.12s  %s (customer) with %s (provider), %s\n", a->id, cmd_esc(a->customer, 0),
	       cmd_esc(a->provider, 0), cmd_esc(scope.ptr, 0));
	printf("    acknowledge %s, mitigate %s, restore %s", d1, d2, d3);
	if (a->week)
		printf("; hours %s %s (%s)", cmd_esc(a->week, 0), cmd_esc(a->zone, 0),
		       cmd_esc(a->tz, 0));
	else
		printf("; hours 24x7");
	if (a->csat_target >= 0)
		printf("; CSAT target %lld%%", (long long)a->csat_target);
	if (a->lost_minutes_target >= 0)
		printf("; lost minutes target %lld", (long long)a->lost_minutes_target);
	accord_time_format(t, a->proposed_at);
	printf("\n    proposed %s by %s", t, cmd_esc(a->customer, 0));
	if (a->joint) {
		accord_time_format(t, accord_agreement_since(a));
		printf(", co-signed %s by %s", t, cmd_esc(a->provider, 0));
	} else if (a->withdrawn_by[0]) {
		printf("; withdrawn by %.12s: a co-signature that knew of that does not count",
		       a->withdrawn_by);
	} else {
		printf(", waiting for %s's signature (accord cosign %.12s)",
		       cmd_esc(a->provider, 0), a->id);
	}
	if (by)
		printf("; superseded by %.12s", by->id);
	printf("\n");
	accord_buf_dispose(&scope);
}

static int agreement_list(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_parties *p;
	int json = 0, c, error;
	size_t i, shown = 0;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		if (c == 'h') {
			fputs(agreement_usage, stdout);
			return 0;
		}
		if (c != 'j')
			return ACCORD_EXIT_USAGE;
		json = 1;
	}
	if (optind != argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_setup(ctx)))
		return error;
	p = accord_ledger_parties(ctx->ledger);
	if (json) {
		cJSON *doc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(doc, "agreements");

		cJSON_AddStringToObject(doc, "ledger", accord_ledger_id(ctx->ledger));
		for (i = 0; i < p->agreement_count; i++) {
			const accord_agreement *a = p->agreements[i], *by = superseded_by(p, a);
			cJSON *o = accord_agreement_to_json(a);

			cJSON_AddStringToObject(o, "state", state_of(p, a));
			if (by)
				cJSON_AddStringToObject(o, "superseded_by", by->id);
			else
				cJSON_AddNullToObject(o, "superseded_by");
			if (a->withdrawn_by[0] && !a->joint)
				cJSON_AddStringToObject(o, "withdrawn_by", a->withdrawn_by);
			else
				cJSON_AddNullToObject(o, "withdrawn_by");
			cJSON_AddItemToArray(arr, o);
		}
		return cmd_print_json(doc);
	}
	/* in force first, then the history: proposed, superseded */
	for (i = 0; i < p->agreement_count; i++)
		if (!strcmp(state_of(p, p->agreements[i]), "in-force")) {
			print_agreement(p, p->agreements[i]);
			shown++;
		}
	if (p->agreement_count && !shown)
		printf("no agreement is in force\n");
	if (shown < p->agreement_count) {
		printf("\nhistory:\n");
		for (i = 0; i < p->agreement_count; i++)
			if (strcmp(state_of(p, p->agreements[i]), "in-force") != 0)
				print_agreement(p, p->agreements[i]);
	}
	if (!p->agreement_count)
		printf("propose one with: accord agreement propose --with PARTY ...\n");
	return 0;
}

int cmd_agreement(accord_ctx *ctx, int argc, char **argv)
{
	static const struct cmd_sub subs[] = {
		{ "propose", agreement_propose, CMD_WRITES_ENTRIES },
		{ "list", agreement_list, CMD_NEEDS_LEDGER },
		{ NULL, NULL, 0 },
	};

	return cmd_dispatch(ctx, argc, argv, "agreement", agreement_usage, subs);
}
