/* accord cosign: one way to co-sign any proposal, for the signer's party. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char cosign_usage[] =
	"usage: accord cosign PROPOSAL [--force]\n"
	"       accord cosign INCIDENT [--force]\n\n"
	"Co-sign a proposal for your party: a resolution, another party's impact\n"
	"window (a figure becomes joint once every other involved party co-signs it),\n"
	"a void or a duplicate, a pause waiting on your party (accord status ID waiting),\n"
	"or an agreement proposed to your party (accord agreement), then in force.\n"
	"PROPOSAL is its id or a unique prefix (show and log\n"
	"list them). Given an INCIDENT, co-sign the one proposal of it that waits for\n"
	"your party, if it is a resolution; when several wait, or two proposals\n"
	"conflict (neither author knew of the other), they are listed and nothing\n"
	"is signed (exit 2), and anything else (a figure, a pause, a dispute,\n"
	"a void or a duplicate) is signed only when named (exit 2 says so).\n"
	"The signature names the proposal by the hash of its exact text; cosign says\n"
	"what it signed.\n\n"
	"A duplicate takes its incident's figures out of the report. When you are its\n"
	"customer-facing party and the incident it names has another customer-facing\n"
	"party or other terms, cosign refuses (exit 2) and says what would be lost;\n"
	"--force signs anyway.\n";

static const char *const proposal_types[] = { "resolution", "impact", "void",	"duplicate",
					      "agreement",  "status", "dispute" };
#define PROPOSAL_TYPES (sizeof(proposal_types) / sizeof(proposal_types[0]))

/* "incident X has 2 proposals waiting for acme's signature: ..." and exit 2. */
static int list_pending(const accord_incident *inc, const char *party,
			const accord_entry *const *pending, size_t n)
{
	accord_buf list = ACCORD_BUF_INIT;
	size_t i;
	int code;

	for (i = 0; i < n; i++)
		accord_buf_printf(&list, "\n  accord cosign %.12s   (%s)", pending[i]->id,
				  pending[i]->type);
	code = cmd_failf(ACCORD_EXIT_USAGE,
			 "incident %.12s has %zu proposals waiting for %s's signature; name one:%s",
			 inc->id, n, party, list.ptr);
	accord_buf_dispose(&list);
	return code;
}

/* The one proposal of incident `open` that waits for `party`, or exit 1 / 2. */
static int pick_pending(const accord_entry **out, const accord_incident *inc, const char *party)
{
	size_t n;
	const accord_entry **pending = accord_incident_pending(inc, party, &n);
	int error = 0;

	if (n == 1)
		*out = pending[0];
	else if (n == 0)
		error = cmd_failf(ACCORD_EXIT_FAIL,
				  "nothing of incident %.12s waits for %s's signature%s", inc->id,
				  party, inc->resolution ? "" : " (it has no proposed resolution)");
	else
		error = list_pending(inc, party, pending, n);
	free(pending);
	return error;
}

/* Whether `party` may sign `prop` now: it is current, not its own figure, not signed for it yet. */
static int cosign_check(const accord_incident *inc, const accord_entry *prop, const char *party,
			const char *me)
{
	const accord_mark *m = accord_incident_mark(inc, prop);
	size_t i;

	if (m && !strcmp(m->mark, "retracted"))
		return cmd_failf(ACCORD_EXIT_FAIL, "%s %.12s is retracted", prop->type, prop->id);
	if (!strcmp(prop->type, "impact")) {
		for (i = 0; i < inc->figure_count && inc->figures[i].entry != prop; i++)
			;
		if (i == inc->figure_count)
			return cmd_failf(
				ACCORD_EXIT_FAIL,
				"impact %.12s is no current figure (superseded or retracted)",
				prop->id);
		if (inc->figures[i].party && !strcmp(inc->figures[i].party, party))
			return cmd_failf(
				ACCORD_EXIT_FAIL,
				"impact %.12s is %s's own figure: the other parties co-sign it",
				prop->id, party);
		for (size_t j = 0; j < inc->figures[i].signed_count; j++)
			if (!strcmp(inc->figures[i].signed_by[j], party))
				return cmd_failf(ACCORD_EXIT_FAIL,
						 "%s has already co-signed impact %.12s", party,
						 prop->id);
		/* the engine makes no window joint while a close stands: written, but said (attack129 01) */
		if (inc->closed_by)
			cmd_warn(
				"incident %.12s is closed on a joint resolution: this co-signature is late and makes no window joint, until a reopen (accord status %.12s investigating)",
				inc->id, inc->id);
	} else if (!strcmp(prop->type, "status")) {
		const char *on = accord_entry_str(prop, "on");

		if (!on)
			return cmd_failf(
				ACCORD_EXIT_FAIL,
				"status %.12s is no pause: only a status waiting on a party is co-signed",
				prop->id);
		if (strcmp(on, party) != 0 &&
		    !(inc->customer_party && !strcmp(inc->customer_party, party)))
			return cmd_failf(ACCORD_EXIT_FAIL,
					 "pause %.12s waits on %s: only %s co-signs it%s%s",
					 prop->id, on, on,
					 inc->customer_party && strcmp(inc->customer_party, on) != 0
						 ? ", and the customer-facing "
						 : "",
					 inc->customer_party && strcmp(inc->customer_party, on) != 0
						 ? inc->customer_party
						 : "");
		for (i = 0; i < inc->pause_sign_count; i++)
			if (inc->pause_signs[i].pause == prop &&
			    !strcmp(inc->pause_signs[i].party, party))
				return cmd_failf(ACCORD_EXIT_FAIL,
						 "%s has already co-signed pause %.12s", party,
						 prop->id);
	} else if (!strcmp(prop->type, "dispute")) {
		/* the party whose time it disputes accepts the disputer's time */
		for (i = 0; i < inc->dispute_count && inc->disputes[i].entry != prop; i++)
			;
		if (i == inc->dispute_count || inc->disputes[i].retracted)
			return cmd_failf(ACCORD_EXIT_FAIL,
					 "dispute %.12s has no effect: there is nothing to accept",
					 prop->id);
		if (!inc->disputes[i].target_party ||
		    strcmp(inc->disputes[i].target_party, party) != 0)
			return cmd_failf(
				ACCORD_EXIT_FAIL,
				"dispute %.12s disputes a time %s signed: only %s accepts it",
				prop->id,
				inc->disputes[i].target_party ? inc->disputes[i].target_party : "?",
				inc->disputes[i].target_party ? inc->disputes[i].target_party
							      : "its party");
		if (inc->disputes[i].accepted_by)
			return cmd_failf(ACCORD_EXIT_FAIL, "%s has already accepted dispute %.12s",
					 party, prop->id);
	} else if (!strcmp(prop->type, "resolution")) {
		if (inc->resolution && prop == inc->resolution->entry) {
			for (i = 0; i < inc->resolution->signature_count; i++)
				if (!strcmp(inc->resolution->signatures[i].member->key.id, me))
					return cmd_failf(ACCORD_EXIT_FAIL,
							 "you have already signed resolution %.12s",
							 prop->id);
		} else {
			cmd_warn(
				"note: %.12s is not the latest proposal; this signature will not make the latest one joint",
				prop->id);
		}
	} else {
		for (i = 0; i < inc->closure_count && inc->closures[i].entry != prop; i++)
			;
		if (i < inc->closure_count && inc->closures[i].joint)
			return cmd_failf(ACCORD_EXIT_FAIL, "%s %.12s is joint already", prop->type,
					 prop->id);
	}
	return 0;
}

/* A duplicate must still lead to an incident that counts when it is signed (docs/metrics.md). */
static int cosign_duplicate_check(accord_ctx *ctx, const accord_incident *inc,
				  const accord_entry *prop)
{
	const char *of = accord_entry_str(prop, "of"), *why;

	if (strcmp(prop->type, "duplicate") != 0 ||
	    !(why = accord_duplicate_why_not_in(ctx->ledger, inc->id, of ? of : "")))
		return 0;
	return cmd_failf(ACCORD_EXIT_USAGE, "duplicate %.12s would have %s", prop->id, why);
}

/* The clocks `c` holds for `provider`, or NULL. */
static const accord_party_clocks *clocks_for(const accord_clocks *c, const char *provider)
{
	size_t i;

	for (i = 0; c && i < c->party_count; i++)
		if (!strcmp(c->parties[i].party, provider))
			return &c->parties[i];
	return NULL;
}

static int missed(const accord_clock *ck)
{
	return ck->state && !strcmp(ck->state, "missed");
}

/*
 * Once joint, a duplicate takes its incident's figures out of the report:
 * the customer-minutes, the feedback and the clocks against the customer's
 * terms. Only the incident it names stays, so when the customer-facing
 * party co-signs, that incident must carry them: the same customer-facing
 * party, for each provider the same terms and every clock missed here
 * missed there too, no fewer responses and no fewer customer-minutes.
 * Otherwise the signer is told what it would lose and signs only with
 * --force (attack40 06: a provider's internal incident of the same outage,
 * outside the terms; attack43 03: its own late record, met).
 */
int cmd_duplicate_figures(accord_ctx *ctx, const accord_incident *inc, const char *of,
			  const char *party, const char *prop_id)
{
	const accord_parties *parties = accord_ledger_parties(ctx->ledger);
	const accord_entry *other_open = NULL;
	accord_incident *other = NULL;
	accord_clocks *mine = NULL, *theirs = NULL;
	accord_buf why = ACCORD_BUF_INIT;
	int64_t now = accord_time_now(), cs, other_cs;
	size_t i;
	int error;

	if (!of || !inc->customer_party || strcmp(inc->customer_party, party) != 0)
		return 0;
	if ((error = accord_ledger_find_incident(&other_open, ctx->ledger, of)) < 0 ||
	    (error = accord_incident_build(&other, ctx->ledger, other_open)) < 0 ||
	    (error = accord_clocks_compute(&mine, inc, parties, accord_incident_ledger_in_past,
					   ctx->ledger, now)) < 0 ||
	    (error = accord_clocks_compute(&theirs, other, parties, accord_incident_ledger_in_past,
					   ctx->ledger, now)) < 0) {
		error = cmd_fail(error);
		goto done;
	}
	if (!other->customer_party || strcmp(other->customer_party, party) != 0)
		accord_buf_printf(&why, "\n  %.12s is faced by %s, not by %s", other->id,
				  other->customer_party ? other->customer_party : "no party",
				  party);
	for (i = 0; i < mine->party_count; i++) {
		const accord_party_clocks *pc = &mine->parties[i],
					  *oc = clocks_for(theirs, pc->party);
		const accord_agreement *t = oc ? oc->agreement : NULL;
		size_t k;

		if (pc->agreement && t != pc->agreement) {
			accord_buf_printf(
				&why, "\n  %s is measured on terms %.12s here, on %s%.12s there",
				pc->party, pc->agreement->id, t ? "terms " : "no terms",
				t ? t->id : "");
			continue;
		}
		for (k = 0; k < ACCORD_CLOCKS; k++)
			if (missed(&pc->clocks[k]) && !(oc && missed(&oc->clocks[k])))
				accord_buf_printf(&why,
						  "\n  %s missed its %s clock here, not there",
						  pc->party, pc->clocks[k].name);
	}
	/* the report lends this incident's windows only where every party there signed (attack128 01) */
	for (i = 0; i < other->party_count; i++) {
		size_t k;

		for (k = 0; k < inc->party_count && strcmp(inc->parties[k], other->parties[i]); k++)
			;
		if (k == inc->party_count)
			accord_buf_printf(
				&why,
				"\n  %s is involved in %.12s, not here: the report would not count "
				"this incident's figures there",
				other->parties[i], other->id);
	}
	if (inc->feedback_count > other->feedback_count)
		accord_buf_printf(&why, "\n  %zu customer responses here, %zu there",
				  inc->feedback_count, other->feedback_count);
	if ((cs = accord_incident_customer_seconds(inc, now, NULL)) >
	    (other_cs = accord_incident_customer_seconds(other, now, NULL)))
		accord_buf_printf(&why, "\n  %.1f customer-minutes here, %.1f there",
				  accord_customer_minutes(cs), accord_customer_minutes(other_cs));
	if (why.size && prop_id)
		error = cmd_failf(
			ACCORD_EXIT_USAGE,
			"duplicate %.12s would take %.12s out of the report with %s's customer-minutes, feedback and clocks, and %.12s does not carry them:%s\n"
			"propose it the other way round (accord duplicate %.12s --of %.12s), or sign anyway with --force",
			prop_id, inc->id, party, other->id, why.ptr, other->id, inc->id);
	else if (why.size) /* the customer proposing it signs it for its party as a cosign would */
		error = cmd_failf(
			ACCORD_EXIT_USAGE,
			"a duplicate of %.12s would take %.12s out of the report with %s's customer-minutes, feedback and clocks, and %.12s does not carry them:%s\n"
			"propose it the other way round (accord duplicate %.12s --of %.12s), or propose it anyway with --force",
			other->id, inc->id, party, other->id, why.ptr, other->id, inc->id);
done:
	accord_buf_dispose(&why);
	accord_clocks_free(mine);
	accord_clocks_free(theirs);
	accord_incident_free(other);
	return error;
}

/*
 * What the argument names: a proposal (id or unique prefix), else an
 * incident whose one waiting proposal is meant. A prefix of both is ambiguous.
 */
static int resolve_cosign_target(const accord_entry **prop, const accord_entry **open,
				 accord_ctx *ctx, const char *arg, const char *party)
{
	size_t n = strlen(arg), i, props = 0;
	int error;

	for (i = 0; n >= 4 && i < accord_ledger_entry_count(ctx->ledger); i++) {
		const accord_entry *e = accord_ledger_entry_at(ctx->ledger, i);
		size_t k;

		for (k = 0; k < PROPOSAL_TYPES && strcmp(e->type, proposal_types[k]); k++)
			;
		props += k < PROPOSAL_TYPES && !strncmp(e->id, arg, n);
	}
	if (props) {
		const accord_entry *other = NULL;

		if (accord_ledger_find_incident(&other, ctx->ledger, arg) == 0)
			return cmd_failf(
				ACCORD_EXIT_USAGE,
				"%s names both an incident and a proposal; give more digits", arg);
		if ((error = cmd_find_entry(prop, ctx, arg, proposal_types, PROPOSAL_TYPES,
					    "proposal")))
			return error;
		if (!(*prop)->incident[0]) {
			*open = NULL; /* an agreement: a proposal of the ledger, not of an incident */
			return 0;
		}
		return cmd_find_incident(open, ctx, (*prop)->incident);
	}
	/* neither: an entry of another kind (explore60a 11 b), or a proposal not synced yet (60b 13) */
	if (n >= 4 && strspn(arg, "0123456789abcdef") == n &&
	    accord_ledger_find_incident(open, ctx->ledger, arg) == ACCORD_ENOTFOUND) {
		accord_error_clear();
		for (i = 0; i < accord_ledger_entry_count(ctx->ledger); i++) {
			const accord_entry *e = accord_ledger_entry_at(ctx->ledger, i);

			if (!strncmp(e->id, arg, n))
				return cmd_failf(
					ACCORD_EXIT_FAIL,
					"%.12s is a %s entry: cosign takes a proposal, or an "
					"incident with one waiting",
					e->id, e->type);
		}
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"no proposal or incident %s in this copy: if it was just proposed, sync first (accord sync)",
			arg);
	}
	if ((error = cmd_find_incident(open, ctx, arg)))
		return error;
	*prop = NULL;
	(void)party;
	return 0;
}

/*
 * An agreement is co-signed by its provider, once: the customer proposed
 * it, and what a second signature would add is nothing.
 */
static int cosign_agreement(accord_ctx *ctx, const accord_entry *prop, const char *party)
{
	const accord_agreement *a =
		accord_parties_agreement(accord_ledger_parties(ctx->ledger), prop->id);
	cJSON *body;

	if (!a)
		return cmd_failf(ACCORD_EXIT_FAIL, "agreement %.12s does not count on this copy",
				 prop->id);
	if (strcmp(a->provider, party) != 0)
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "agreement %.12s is between %s and %s: only %s co-signs it", a->id,
				 a->customer, a->provider, a->provider);
	if (a->joint)
		return cmd_failf(ACCORD_EXIT_FAIL, "agreement %.12s is joint already", a->id);
	if (a->withdrawn_by[0])
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"agreement %.12s was withdrawn by %.12s (%s proposed new terms for the same scope, or retracted it): it cannot be co-signed",
			a->id, a->withdrawn_by, a->customer);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "proposal", prop->id);
	return cmd_write(ctx, "cosign", NULL, body);
}

/*
 * The INCIDENT form co-signs the resolution that waits, as it always did
 * (issue 13: "keeps working"). Anything else that waits is signed only
 * when named: a partner chooses what waits, and swapped its resolution
 * for a window of its own over the signer's (attack51 B 03), a new
 * version of a window the signer co-signed (attack52 06), a void (attack52
 * 05), or a dispute of the signer's own reopen (attack53 01). Exit 2 says
 * what waits and how to name it.
 */
/*
 * Two proposals neither of whose authors knew of the other: the INCIDENT
 * form signed the one that sorts last by key id, a choice the signer never
 * made (attack74 02). It names both; a proposal that knows both settles it.
 */
static int proposal_conflict_check(accord_ctx *ctx, const accord_incident *inc)
{
	accord_buf line = ACCORD_BUF_INIT;
	size_t i;
	int error;

	for (i = 0; i < inc->conflict_count; i++) {
		const accord_conflict *c = &inc->conflicts[i];

		if (strcmp(c->kind, "proposal") != 0)
			continue;
		accord_conflict_describe(&line, c, accord_ledger_parties(ctx->ledger), NULL);
		error = cmd_failf(
			ACCORD_EXIT_USAGE,
			"proposals on incident %.12s conflict: %s\nCheck them (accord show %.12s), then name the one to sign (accord cosign %.12s, the one in effect), or settle it with a proposal that knows both (accord resolve %.12s)",
			inc->id, cmd_esc(line.ptr ? line.ptr : "", 0), inc->id, c->b->id, inc->id);
		accord_buf_dispose(&line);
		return error;
	}
	return 0;
}

static int incident_form_check(const accord_incident *inc, const accord_entry *prop,
			       const char *party)
{
	accord_buf line = ACCORD_BUF_INIT;
	int error;

	if (!strcmp(prop->type, "resolution"))
		return 0;
	cmd_entry_summary(&line, prop);
	error = cmd_failf(
		ACCORD_EXIT_USAGE,
		"what waits for %s on incident %.12s is no resolution: %s %.12s, %s\nCheck it (accord show %.12s), then name it to sign: accord cosign %.12s",
		party, inc->id, prop->type, prop->id, cmd_esc(line.ptr ? line.ptr : "", 0), inc->id,
		prop->id);
	accord_buf_dispose(&line);
	return error;
}

/* What is signed, in one line (escaped): a cosign names its proposal by id alone. */
static void what_signed(accord_buf *out, accord_ctx *ctx, const accord_entry *prop)
{
	accord_buf line = ACCORD_BUF_INIT;
	char who[128];

	cmd_author_label(who, sizeof(who), ctx, prop);
	cmd_entry_summary(&line, prop);
	accord_buf_printf(out, "co-signed %s %.12s by %s: ", cmd_esc(prop->type, 0), prop->id,
			  cmd_esc(who, 0));
	accord_buf_puts(out, cmd_esc(line.ptr ? line.ptr : "", 0));
	accord_buf_dispose(&line);
}

static int take_force(int c, void *arg)
{
	if (c != 'f')
		return -1;
	*(int *)arg = 1;
	return 0;
}

int cmd_cosign(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_entry *open = NULL, *prop = NULL;
	accord_incident *inc = NULL;
	accord_buf said = ACCORD_BUF_INIT;
	const char *party;
	cJSON *body;
	int error, force = 0, picked;

	if ((error = cmd_options(ctx, argc, argv, opts, cosign_usage, take_force, &force)))
		return error < 0 ? 0 : error;
	if (argc - optind < 1 || argc - optind > 2)
		return cmd_usage_error(ctx, "expected a proposal or an incident id");
	if ((error = cmd_setup(ctx)) || (error = cmd_own_party(&party, ctx)))
		return error;
	/* the older form: INCIDENT PROPOSAL */
	if ((error = resolve_cosign_target(&prop, &open, ctx, argv[optind + (argc - optind == 2)],
					   party)))
		return error;
	if (prop && !open) {
		if (argc - optind == 2)
			return cmd_failf(ACCORD_EXIT_FAIL,
					 "%.12s is an agreement, not a proposal of incident %s",
					 prop->id, argv[optind]);
		return cosign_agreement(ctx, prop, party);
	}
	if (argc - optind == 2 &&
	    (!prop || strncmp(open->id, argv[optind], strlen(argv[optind])) != 0))
		return cmd_failf(ACCORD_EXIT_FAIL, "incident %s has no proposal %s", argv[optind],
				 argv[optind + 1]);
	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	/* what the INCIDENT form picked is checked like a named proposal, then as picked */
	picked = !prop;
	if ((picked && (error = proposal_conflict_check(ctx, inc))) ||
	    (picked && (error = pick_pending(&prop, inc, party))) ||
	    (error = cosign_check(inc, prop, party, ctx->key->pub.id)) ||
	    (error = cosign_duplicate_check(ctx, inc, prop)) ||
	    (!force && !strcmp(prop->type, "duplicate") &&
	     (error = cmd_duplicate_figures(ctx, inc, accord_entry_str(prop, "of"), party,
					    prop->id))) ||
	    (picked && (error = incident_form_check(inc, prop, party)))) {
		accord_incident_free(inc);
		return error;
	}
	accord_incident_free(inc);
	what_signed(&said, ctx, prop);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "proposal", prop->id);
	if ((error = cmd_write(ctx, "cosign", open->id, body)) == 0)
		cmd_warn("%s", said.ptr);
	accord_buf_dispose(&said);
	return error;
}
