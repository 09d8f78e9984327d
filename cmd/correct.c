/*
 * Corrections without rewriting: amend, retract, void, duplicate. Each is
 * an entry of its own; what it changes is derived (lib/ledger/incident.c), so the
 * log keeps what was said before.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char amend_usage[] =
	"usage: accord amend ID [--severity 1..4] [--title TEXT] [--service NAME] [--reason TEXT]\n\n"
	"Correct incident ID's severity, title or service. show displays the current\n"
	"value and every earlier one. The customer-facing party (the one that opened\n"
	"the incident) amends it; the others add notes. A closed incident is refused\n"
	"(exit 2): its clocks were judged on its scope; reopen it first.\n";
static const char retract_usage[] =
	"usage: accord retract ENTRY --reason TEXT\n\n"
	"Retract one of your own entries (written with any of your keys): a note, an\n"
	"impact window, an SLA measurement, feedback, a ticket, a dispute, or a proposal\n"
	"(an agreement you proposed too, while it is not joint). What\n"
	"every party signed once (a joint figure, resolution, void or duplicate) is\n"
	"no longer yours alone: refused (exit 2). It stays in the log, marked retracted, and stops counting in\n"
	"show and report. ENTRY is an entry id or a unique prefix (accord log).\n";
static const char void_usage[] =
	"usage: accord void ID --reason TEXT\n\n"
	"Propose that incident ID never was one (a false alarm, a test). It takes\n"
	"effect once every involved party has co-signed it (accord cosign PROPOSAL);\n"
	"for an incident of one party, at once. A void incident leaves the report.\n";
static const char duplicate_usage[] =
	"usage: accord duplicate ID --of OTHER [--reason TEXT] [--force]\n\n"
	"Propose that incident ID is a duplicate of incident OTHER. It takes effect\n"
	"once every involved party has co-signed it (accord cosign PROPOSAL); for an\n"
	"incident of one party, at once. A duplicate leaves the report; OTHER stays.\n"
	"Proposed by ID's customer-facing party, it is refused when OTHER does not\n"
	"carry ID's customer-minutes, feedback and clocks (as accord cosign says);\n"
	"--force proposes it anyway.\n";

int cmd_find_entry(const accord_entry **out, accord_ctx *ctx, const char *prefix,
		   const char *const *types, size_t type_count, const char *what)
{
	size_t i, j, n = strlen(prefix), found = 0;
	accord_buf list = ACCORD_BUF_INIT;
	const accord_entry *match = NULL, *only = NULL;

	if (n < 4 || n > ACCORD_ID_HEXLEN || strspn(prefix, "0123456789abcdef") != n)
		return cmd_usage_error(
			ctx, "'%s' is not an entry id (4 to 64 lowercase hex digits)", prefix);
	/*
	 * A prefix that names two entries is ambiguous whatever their types: the
	 * user may mean the one of another type, and a retraction is for good
	 * (explore60a 09: 55ee named an open and a note, and the note went).
	 */
	for (i = 0; i < accord_ledger_entry_count(ctx->ledger); i++) {
		const accord_entry *e = accord_ledger_entry_at(ctx->ledger, i);

		if (strncmp(e->id, prefix, n) != 0)
			continue;
		accord_buf_printf(&list, "\n  %.12s %s", e->id, e->type);
		found++;
		only = e;
		for (j = 0; j < type_count && strcmp(e->type, types[j]) != 0; j++)
			;
		if (!type_count || j < type_count)
			match = e;
	}
	if (found > 1)
		cmd_failf(ACCORD_EXIT_USAGE, "entry %s is ambiguous; give more digits:%s", prefix,
			  list.ptr);
	else if (found == 0)
		cmd_failf(ACCORD_EXIT_FAIL, "no %s %s", what, prefix);
	else if (!match)
		cmd_failf(ACCORD_EXIT_FAIL, "no %s %s: it names %.12s, a %s entry", what, prefix,
			  only->id, only->type);
	else
		*out = match;
	accord_buf_dispose(&list);
	return found == 1 && match ? 0 : found > 1 ? ACCORD_EXIT_USAGE : ACCORD_EXIT_FAIL;
}

int cmd_own_party(const char **out, accord_ctx *ctx)
{
	const accord_member *m =
		accord_parties_member(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);

	if (!m || m->revoked)
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "key %.12s is not an active member of any party of this ledger",
				 ctx->key->pub.id);
	*out = accord_ledger_parties(ctx->ledger)->parties[m->party].name;
	return 0;
}

/* A duplicate must lead to an incident that counts: else it would have no effect (docs/metrics.md). */
static int duplicate_check(accord_ctx *ctx, const accord_entry *open, const accord_entry *other)
{
	accord_incident *inc = NULL;
	const char *kind = NULL, *why;
	char of[ACCORD_ID_HEXLEN + 1] = "";
	int error;

	if ((error = accord_incident_build(&inc, ctx->ledger, other)) < 0)
		return cmd_fail(error);
	accord_incident_settle_duplicate_in(inc, ctx->ledger);
	if (inc->closed_as) {
		kind = inc->closed_as->kind;
		snprintf(of, sizeof(of), "%s", inc->closed_as->of ? inc->closed_as->of : "");
	}
	accord_incident_free(inc);
	/* its duplicate already: the two would form a cycle, and naming "that one" is this one (attack134 01) */
	if (kind && !strcmp(kind, "duplicate") && !strcmp(of, open->id))
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"incident %.12s is already a duplicate of this one (%.12s): the two would form a cycle, and one stands for both already",
			other->id, open->id);
	if (kind && !strcmp(kind, "duplicate"))
		return cmd_failf(ACCORD_EXIT_USAGE,
				 "incident %.12s is itself a duplicate of %.12s: name that one",
				 other->id, of);
	if (kind)
		return cmd_failf(ACCORD_EXIT_USAGE,
				 "incident %.12s is %s: a duplicate of it would not count",
				 other->id, kind);
	if ((why = accord_duplicate_why_not_in(ctx->ledger, open->id, other->id)))
		return cmd_failf(ACCORD_EXIT_USAGE, "a duplicate of incident %.12s would have %s",
				 other->id, why);
	return 0;
}

static int amend_check(accord_ctx *ctx, const accord_incident *inc, const char *party, int64_t sev,
		       const char *title, const char *service)
{
	if (!inc->customer_party || strcmp(party, inc->customer_party) != 0)
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"%s is the customer-facing party of incident %.12s: only %s amends it (add a note instead)",
			inc->customer_party ? inc->customer_party : "another party", inc->id,
			inc->customer_party ? inc->customer_party : "it");
	/* the engine calls an amend of a closed incident late: its scope was what the close judged */
	if (inc->closed_by)
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"incident %.12s is closed on a joint resolution; reopen it first (accord status %.12s investigating)",
			inc->id, inc->id);
	if ((!sev || sev == inc->severity) && (!title || !strcmp(title, inc->title)) &&
	    (!service || !strcmp(service, inc->service)))
		return cmd_failf(ACCORD_EXIT_USAGE,
				 "incident %.12s has these values already: nothing to amend",
				 inc->id);
	(void)ctx;
	return 0;
}

int cmd_amend(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "severity", required_argument, NULL, 's' },
		{ "title", required_argument, NULL, 't' },
		{ "service", required_argument, NULL, 'v' },
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *severity = NULL, *title = NULL, *service = NULL, *reason = NULL, *party;
	const accord_entry *open;
	accord_incident *inc = NULL;
	int64_t sev = 0;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 's': severity = optarg; break;
		case 't': title = optarg; break;
		case 'v': service = optarg; break;
		case 'r': reason = optarg; break;
		case 'h': fputs(amend_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one incident id");
	if (!severity && !title && !service)
		return cmd_usage_error(ctx,
				       "give at least one of --severity, --title and --service");
	if ((severity && (error = cmd_parse_int(ctx, &sev, "--severity", severity, 1, 4))) ||
	    (title && (error = cmd_check_text(ctx, "--title", title, 0))) ||
	    (service && (error = cmd_check_text(ctx, "--service", service, 0))) ||
	    (reason && (error = cmd_check_text(ctx, "--reason", reason, 1))))
		return error;
	if ((error = cmd_prepare(ctx, argv[optind], &open, &inc, CMD_PREPARE_SETTLE)) ||
	    (error = cmd_own_party(&party, ctx)) ||
	    (error = amend_check(ctx, inc, party, sev, title, service))) {
		accord_incident_free(inc);
		return error;
	}
	accord_incident_free(inc);
	body = cJSON_CreateObject();
	if (severity)
		cJSON_AddNumberToObject(body, "severity", (double)sev);
	if (title)
		cJSON_AddStringToObject(body, "title", title);
	if (service)
		cJSON_AddStringToObject(body, "service", service);
	if (reason)
		cJSON_AddStringToObject(body, "reason", reason);
	return cmd_write(ctx, "amend", open->id, body);
}

/* Whether `target` is still in force: a current fact or a proposal that is not joint. */
static int retract_check(accord_ctx *ctx, const accord_entry *target, const accord_incident *inc)
{
	const accord_member *me =
		accord_parties_member(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);
	const accord_member *them =
		accord_parties_member(accord_ledger_parties(ctx->ledger), target->author.id);
	const accord_mark *m = accord_incident_mark(inc, target);
	size_t i;

	if (!me || !them || me->party != them->party || strcmp(me->key.name, them->key.name) != 0)
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "entry %.12s is not yours: a member retracts only its own entries",
				 target->id);
	if (m && !strcmp(m->mark, "retracted"))
		return cmd_failf(ACCORD_EXIT_FAIL, "entry %.12s is retracted already", target->id);
	if (!strcmp(target->type, "resolution") && inc->resolution &&
	    inc->resolution->entry == target && inc->resolution->was_joint)
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"resolution %.12s was signed by every party: propose a revision instead",
			target->id);
	for (i = 0; i < inc->figure_count; i++)
		if (inc->figures[i].entry == target && inc->figures[i].was_joint)
			return cmd_failf(
				ACCORD_EXIT_USAGE,
				"impact %.12s was co-signed by every party: it is a joint figure and no longer yours alone to retract (a new window with the same start replaces it once every party co-signs that)",
				target->id);
	for (i = 0; i < inc->dispute_count; i++)
		if (inc->disputes[i].entry == target && inc->disputes[i].accepted_by)
			return cmd_failf(
				ACCORD_EXIT_USAGE,
				"dispute %.12s was accepted by %s: the time it states is agreed and no longer yours alone to retract",
				target->id,
				inc->disputes[i].target_party ? inc->disputes[i].target_party
							      : "its party");
	for (i = 0; i < inc->closure_count; i++)
		if (inc->closures[i].entry == target && inc->closures[i].joint)
			return cmd_failf(
				ACCORD_EXIT_USAGE,
				"%s %.12s was signed by every party: it cannot be retracted",
				target->type, target->id);
	return 0;
}

/* An agreement its proposer withdraws while not joint (issue 13: retract covers proposals not yet joint). */
static int retract_agreement(accord_ctx *ctx, const accord_entry *target, const char *reason)
{
	const accord_parties *p = accord_ledger_parties(ctx->ledger);
	const accord_agreement *a = accord_parties_agreement(p, target->id);
	const accord_member *me = accord_parties_member(p, ctx->key->pub.id);
	const accord_member *them = accord_parties_member(p, target->author.id);
	cJSON *body;

	if (!a)
		return cmd_failf(ACCORD_EXIT_FAIL, "agreement %.12s does not count on this copy",
				 target->id);
	if (!me || !them || me->party != them->party || strcmp(me->key.name, them->key.name) != 0)
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"agreement %.12s is not yours: a member retracts only its own proposals",
			target->id);
	if (a->joint)
		return cmd_failf(
			ACCORD_EXIT_USAGE,
			"agreement %.12s is joint: %s co-signed it; propose new terms for the same scope instead",
			target->id, a->provider);
	if (a->withdrawn_by[0])
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "agreement %.12s is withdrawn already (by %.12s)", target->id,
				 a->withdrawn_by);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "entry", target->id);
	cJSON_AddStringToObject(body, "reason", reason);
	return cmd_write(ctx, "retract", NULL, body);
}

int cmd_retract(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_entry *target, *open;
	accord_incident *inc = NULL;
	const char *reason = NULL;
	size_t ntypes = 0;
	cJSON *body;
	int c, error;

	while (accord_retractable_types[ntypes])
		ntypes++;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 'h': fputs(retract_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one entry id");
	if (!reason)
		return cmd_usage_error(ctx, "--reason is required: say why, for the record");
	if ((error = cmd_check_text(ctx, "--reason", reason, 1)) || (error = cmd_setup(ctx)) ||
	    (error = cmd_find_entry(&target, ctx, argv[optind], accord_retractable_types, ntypes,
				    "retractable entry")))
		return error;
	if (!strcmp(target->type, "agreement"))
		return retract_agreement(ctx, target, reason);
	if ((error = cmd_find_incident(&open, ctx, target->incident)))
		return error;
	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	error = retract_check(ctx, target, inc);
	accord_incident_free(inc);
	if (error)
		return error;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "entry", target->id);
	cJSON_AddStringToObject(body, "reason", reason);
	return cmd_write(ctx, "retract", open->id, body);
}

/* Write a void or duplicate proposal and say who still has to co-sign it. */
static int propose_closure(accord_ctx *ctx, const accord_entry *open, const char *type, cJSON *body)
{
	accord_incident *inc = NULL;
	char id[ACCORD_ID_HEXLEN + 1];
	size_t i, k;
	int error;

	if ((error = cmd_append(ctx, type, open->id, body, id)))
		return error;
	printf("%.12s\n", id);
	if (accord_incident_build(&inc, ctx->ledger, open) < 0)
		return 0;
	for (i = 0; i < inc->closure_count; i++) {
		const accord_closure *c = &inc->closures[i];

		if (strcmp(c->entry->id, id) != 0 || c->joint)
			continue;
		for (k = 0; k < inc->party_count; k++) {
			size_t j;

			for (j = 0; j < c->signed_count && strcmp(c->signed_by[j], inc->parties[k]);
			     j++)
				;
			if (j == c->signed_count)
				cmd_warn("%s takes effect once %s co-signs it: accord cosign %.12s",
					 type, inc->parties[k], id);
		}
	}
	accord_incident_free(inc);
	return 0;
}

static int closure_command(accord_ctx *ctx, int argc, char **argv, const char *type,
			   const char *usage)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "of", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL, *of = NULL;
	const accord_entry *open, *other = NULL;
	const accord_member *me;
	accord_incident *inc = NULL;
	cJSON *body;
	int c, error, force = 0;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 'o': of = optarg; break;
		case 'f': force = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (force && type[0] == 'v')
		return cmd_usage_error(ctx, "--force belongs to accord duplicate");
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one incident id");
	if (type[0] == 'v' && (of || !reason))
		return cmd_usage_error(ctx, of ? "--of belongs to accord duplicate"
					       : "--reason is required");
	if (type[0] == 'd' && !of)
		return cmd_usage_error(ctx,
				       "--of OTHER is required: the incident this one duplicates");
	if ((reason && (error = cmd_check_text(ctx, "--reason", reason, 1))) ||
	    (error = cmd_prepare(ctx, argv[optind], &open, &inc, CMD_PREPARE_SETTLE)) ||
	    (of && (error = cmd_find_incident(&other, ctx, of))) ||
	    (other && other != open && (error = duplicate_check(ctx, open, other)))) {
		accord_incident_free(inc);
		return error;
	}
	if (other == open || inc->closed_as) {
		error = other == open ? cmd_failf(ACCORD_EXIT_USAGE,
						  "an incident is no duplicate of itself")
				      : cmd_failf(ACCORD_EXIT_FAIL, "incident %.12s is already %s",
						  open->id, inc->closed_as->kind);
		accord_incident_free(inc);
		return error;
	}
	/*
	 * The proposal is its author's party's signature: the customer-facing
	 * party proposing it is checked as its co-signature would be
	 * (explore60b 07: else a provider need only ask its customer's engineer).
	 */
	me = accord_parties_member(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);
	if (other && !force && me &&
	    (error = cmd_duplicate_figures(
		     ctx, inc, other->id,
		     accord_ledger_parties(ctx->ledger)->parties[me->party].name, NULL))) {
		accord_incident_free(inc);
		return error;
	}
	accord_incident_free(inc);
	body = cJSON_CreateObject();
	if (other)
		cJSON_AddStringToObject(body, "of", other->id);
	if (reason)
		cJSON_AddStringToObject(body, "reason", reason);
	error = propose_closure(ctx, open, type, body);
	cJSON_Delete(body);
	return error;
}

int cmd_void(accord_ctx *ctx, int argc, char **argv)
{
	return closure_command(ctx, argc, argv, "void", void_usage);
}

int cmd_duplicate(accord_ctx *ctx, int argc, char **argv)
{
	return closure_command(ctx, argc, argv, "duplicate", duplicate_usage);
}
