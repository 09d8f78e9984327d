/* Working together on an incident: involve, resolve, cosign, action. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char involve_usage[] =
	"usage: accord involve ID PARTY [--ticket TICKET]\n\n"
	"Involve PARTY in incident ID, with its own ticket number if it has one.\n";
static const char resolve_usage[] =
	"usage: accord resolve ID --summary TEXT [--factor TEXT]... [--went-well TEXT]...\n"
	"                         [--went-wrong TEXT]... [--lucky TEXT]...\n"
	"                         [--action TEXT@PARTY[,PARTY][:YYYY-MM-DD]]... [--revises RES]\n"
	"                         [--clear factors|went-well|went-wrong|lucky|actions]...\n\n"
	"Propose a resolution for incident ID and print its id. Contributing factors\n"
	"come from every side; there is no field for fault or a single root cause.\n"
	"When a proposal exists, the new one revises the latest (or RES): a new round\n"
	"of signatures starts. A revision keeps the lists it does not restate\n"
	"(factors, went-well, went-wrong, lucky, actions) unless --clear names them. The resolution is joint once a member of every\n"
	"involved party has signed it (the proposer signs for its own party).\n"
	"A closed incident is refused (exit 2): reopen it first with an open status.\n";
static const char cosign_usage[] =
	"usage: accord cosign PROPOSAL\n"
	"       accord cosign INCIDENT\n\n"
	"Co-sign a proposal for your party: a resolution, another party's impact\n"
	"window (a figure becomes joint once every other involved party co-signs it),\n"
	"a void or a duplicate, a pause waiting on your party (accord status ID waiting),\n"
	"or an agreement proposed to your party (accord agreement), then in force.\n"
	"PROPOSAL is its id or a unique prefix (show and log\n"
	"list them). Given an INCIDENT, co-sign the one proposal of it that waits for\n"
	"your party; when several wait, they are listed and nothing is signed (exit 2).\n"
	"The signature names the proposal by the hash of its exact text.\n";
static const char action_usage[] =
	"usage: accord action ID ACTION done|not-doing|reopen [--note TEXT]\n"
	"       accord action ID ACTION assign [--owner NAME] [--link URL] [--due YYYY-MM-DD]\n\n"
	"Change action item ACTION (its number or its id, as show prints them) of\n"
	"incident ID's resolution: done, not-doing (needs --note saying why) or\n"
	"reopen it; or assign it: --owner, a member of an owning party; --link, the\n"
	"ticket in your party's tracker (http or https); --due, a new due date.\n"
	"Only members of an owning party may. An item keeps its id, and its state,\n"
	"in a revision of the resolution that inherits it.\n";
static int help_or_usage(accord_ctx *ctx, int argc, char **argv, const struct option *opts,
			 const char *usage, int (*take)(int c, void *arg), void *arg)
{
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (c == '?' || !take || take(c, arg) != 0)
			return ACCORD_EXIT_USAGE;
	}
	return 0;
}

/* Load the key and ledger (locked) and find the incident and its derived state. */
static int prepare(accord_ctx *ctx, const char *arg, const accord_entry **open,
		   accord_incident **inc)
{
	int error;

	if ((error = cmd_load_key(ctx)) || (error = cmd_load_incidents(ctx, 1)) ||
	    (error = cmd_find_incident(open, ctx, arg)))
		return error;
	if (inc && (error = accord_incident_build(inc, ctx->ledger, *open)) < 0)
		return cmd_fail(error);
	return 0;
}

struct involve_opts {
	const char *ticket;
};

static int involve_take(int c, void *arg)
{
	((struct involve_opts *)arg)->ticket = optarg;
	return c == 't' ? 0 : -1;
}

int cmd_involve(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ticket", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct involve_opts o = { NULL };
	const accord_entry *open;
	accord_incident *inc = NULL;
	cJSON *body;
	size_t i;
	int error;

	if ((error = help_or_usage(ctx, argc, argv, opts, involve_usage, involve_take, &o)))
		return error < 0 ? 0 : error;
	if (argc - optind != 2)
		return cmd_usage_error(ctx, "expected an incident id and a party");
	if (!cmd_valid_name(argv[optind + 1]))
		return cmd_usage_error(ctx, "invalid party name '%s'", argv[optind + 1]);
	if (o.ticket && (error = cmd_check_text(ctx, "--ticket", o.ticket, 0)))
		return error;
	if ((error = prepare(ctx, argv[optind], &open, &inc)))
		return error;
	if (!accord_parties_find(accord_ledger_parties(ctx->ledger), argv[optind + 1])) {
		size_t k;
		int invited = 0;

		for (k = 0; k < accord_ledger_parties(ctx->ledger)->invite_count; k++)
			invited |= !accord_ledger_parties(ctx->ledger)->invites[k].accepted &&
				   !strcmp(accord_ledger_parties(ctx->ledger)->invites[k].party, argv[optind + 1]);
		accord_incident_free(inc);
		if (invited)
			return cmd_failf(ACCORD_EXIT_FAIL, "party %s is invited but has not accepted yet",
					 argv[optind + 1]);
		return cmd_no_such_party(ctx, argv[optind + 1]);
	}
	if ((error = cmd_party_ambiguous(ctx, argv[optind + 1]))) {
		accord_incident_free(inc);
		return error;
	}
	for (i = 0; i < inc->party_count; i++) {
		if (!strcmp(inc->parties[i], argv[optind + 1])) {
			accord_incident_free(inc);
			return cmd_failf(ACCORD_EXIT_FAIL, "%s is already involved", argv[optind + 1]);
		}
	}
	/* A closed incident's resolution was joint among its parties: keep it that way. */
	if (!strcmp(inc->status, "closed")) {
		accord_incident_free(inc);
		return cmd_failf(ACCORD_EXIT_FAIL, "incident %.12s is closed; reopen it (status investigating) to involve %s",
				 open->id, argv[optind + 1]);
	}
	accord_incident_free(inc);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "party", argv[optind + 1]);
	if (o.ticket)
		cJSON_AddStringToObject(body, "ticket", o.ticket);
	return cmd_write(ctx, "involve", open->id, body);
}

struct resolve_opts {
	accord_ctx *ctx;
	const char *summary, *revises;
	cJSON *factors, *went_well, *went_wrong, *lucky, *actions;
	unsigned clear; /* bits of `lists`: cleared, not inherited */
};

/* The lists a revision inherits from the proposal it revises unless it restates or clears them. */
static const char *const lists[] = { "factors", "went_well", "went_wrong", "lucky", "actions" };
static const char *const list_flags[] = { "factors", "went-well", "went-wrong", "lucky", "actions" };

static cJSON **list_of(struct resolve_opts *o, size_t i)
{
	cJSON **all[] = { &o->factors, &o->went_well, &o->went_wrong, &o->lucky, &o->actions };

	return all[i];
}

static int take_clear(struct resolve_opts *o, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		if (!strcmp(name, list_flags[i]) || !strcmp(name, lists[i])) {
			o->clear |= 1u << i;
			return 0;
		}
	}
	cmd_usage_error(o->ctx, "--clear takes factors, went-well, went-wrong, lucky or actions, not '%s'", name);
	return -1;
}

static const accord_entry *timeline_entry(const accord_incident *inc, const char *id)
{
	size_t i;

	for (i = 0; i < inc->timeline_count; i++)
		if (!strcmp(inc->timeline[i]->id, id))
			return inc->timeline[i];
	return NULL;
}

/* A revision keeps what it does not restate: nothing is dropped by leaving it out. */
static void inherit(struct resolve_opts *o, const accord_entry *revised)
{
	size_t i;

	if (!revised)
		return;
	for (i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		cJSON **mine = list_of(o, i);
		const cJSON *theirs = cJSON_GetObjectItemCaseSensitive(revised->body, lists[i]);

		if (!(o->clear & (1u << i)) && cJSON_GetArraySize(*mine) == 0 && cJSON_GetArraySize(theirs) > 0) {
			cJSON_Delete(*mine);
			*mine = cJSON_Duplicate(theirs, 1);
		}
	}
}

/* "TEXT@PARTY[,PARTY][:YYYY-MM-DD]", split at the last '@' so the text may hold one. */
static int parse_action(struct resolve_opts *o, const char *arg)
{
	const char *at = strrchr(arg, '@'), *colon;
	char owners[512], text[8200];
	cJSON *item, *list;
	char *p, *save = NULL;

	if (!at || at == arg || !at[1]) {
		cmd_usage_error(o->ctx, "--action takes TEXT@PARTY[,PARTY][:YYYY-MM-DD], not '%s'", arg);
		return -1;
	}
	snprintf(text, sizeof(text), "%.*s", (int)(at - arg), arg);
	colon = strchr(at + 1, ':');
	snprintf(owners, sizeof(owners), "%.*s", (int)(colon ? (size_t)(colon - at - 1) : strlen(at + 1)),
		 at + 1);
	if (cmd_check_text(o->ctx, "--action", text, 1))
		return -1;
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "text", text);
	list = cJSON_AddArrayToObject(item, "owners");
	for (p = strtok_r(owners, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (!cmd_valid_name(p)) {
			cJSON_Delete(item);
			cmd_usage_error(o->ctx, "invalid owner party '%s' in --action", p);
			return -1;
		}
		cJSON_AddItemToArray(list, cJSON_CreateString(p));
	}
	if (cJSON_GetArraySize(list) == 0) {
		cJSON_Delete(item);
		cmd_usage_error(o->ctx, "--action '%s' names no owning party", arg);
		return -1;
	}
	if (colon) {
		char iso[80], day[ACCORD_TIME_LEN];
		int64_t t;

		/* A day (YYYY-MM-DD), or a full RFC 3339 time whose UTC day is kept. */
		snprintf(iso, sizeof(iso), "%.40sT00:00:00Z", colon + 1);
		if ((strlen(colon + 1) != 10 || accord_time_parse(&t, iso) < 0) &&
		    accord_time_parse(&t, colon + 1) < 0) {
			cJSON_Delete(item);
			cmd_usage_error(o->ctx, "due date '%s' in --action is not YYYY-MM-DD", colon + 1);
			return -1;
		}
		accord_time_format(day, t);
		day[10] = '\0';
		cJSON_AddStringToObject(item, "due", day);
	}
	cJSON_AddItemToArray(o->actions, item);
	return 0;
}

static int resolve_take(int c, void *arg)
{
	struct resolve_opts *o = arg;
	cJSON *list = NULL;

	switch (c) {
	case 's': o->summary = optarg; return 0;
	case 'r': o->revises = optarg; return 0;
	case 'a': return parse_action(o, optarg);
	case 'c': return take_clear(o, optarg);
	case 'f': list = o->factors; break;
	case 'w': list = o->went_well; break;
	case 'x': list = o->went_wrong; break;
	case 'l': list = o->lucky; break;
	default: return -1;
	}
	if (cmd_check_text(o->ctx, c == 'f' ? "--factor" : c == 'w' ? "--went-well" : c == 'x' ? "--went-wrong" : "--lucky",
			   optarg, 1))
		return -1;
	cJSON_AddItemToArray(list, cJSON_CreateString(optarg));
	return 0;
}

int cmd_resolve(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "summary", required_argument, NULL, 's' },
		{ "factor", required_argument, NULL, 'f' },
		{ "went-well", required_argument, NULL, 'w' },
		{ "went-wrong", required_argument, NULL, 'x' },
		{ "lucky", required_argument, NULL, 'l' },
		{ "action", required_argument, NULL, 'a' },
		{ "revises", required_argument, NULL, 'r' },
		{ "clear", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct resolve_opts o = { ctx, NULL, NULL, cJSON_CreateArray(), cJSON_CreateArray(),
				  cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray(), 0 };
	const accord_entry *open;
	accord_incident *inc = NULL;
	const char *revises = NULL;
	cJSON *body = NULL;
	int error;

	if ((error = help_or_usage(ctx, argc, argv, opts, resolve_usage, resolve_take, &o))) {
		error = error < 0 ? 0 : error;
		goto done;
	}
	if (argc - optind != 1) {
		error = cmd_usage_error(ctx, "expected one incident id");
		goto done;
	}
	if (!o.summary) {
		error = cmd_usage_error(ctx, "--summary is required");
		goto done;
	}
	if ((error = cmd_check_text(ctx, "--summary", o.summary, 1)) ||
	    (error = prepare(ctx, argv[optind], &open, &inc)))
		goto done;
	/* a closed incident's joint resolution changes only after a reopen (the engine calls it late) */
	if (inc->closed_by) {
		error = cmd_failf(ACCORD_EXIT_USAGE,
				  "incident %.12s is closed on a joint resolution; reopen it first (accord status %.12s investigating)",
				  open->id, open->id);
		goto done;
	}
	if (o.revises) {
		size_t i, n = strlen(o.revises);

		for (i = 0; i < inc->timeline_count; i++)
			if (!strcmp(inc->timeline[i]->type, "resolution") && n >= 4 &&
			    !strncmp(inc->timeline[i]->id, o.revises, n))
				revises = inc->timeline[i]->id;
		if (!revises) {
			error = cmd_failf(ACCORD_EXIT_FAIL, "incident %.12s has no resolution %s", open->id,
					  o.revises);
			goto done;
		}
	} else if (inc->resolution) {
		revises = inc->resolution->entry->id;
	}
	if (revises)
		inherit(&o, timeline_entry(inc, revises));
	else if (o.clear)
		cmd_warn("--clear applies to a revision; this is the first proposal");
	/* Action items are owned by parties of the incident. */
	{
		const cJSON *a, *owner;

		cJSON_ArrayForEach(a, o.actions) {
			cJSON_ArrayForEach(owner, cJSON_GetObjectItemCaseSensitive(a, "owners")) {
				size_t k;
				int involved = 0;

				for (k = 0; k < inc->party_count; k++)
					involved |= !strcmp(inc->parties[k], owner->valuestring);
				if (!involved) {
					error = cmd_failf(ACCORD_EXIT_FAIL,
							  "action owner %s is not involved in incident %.12s (accord involve first)",
							  owner->valuestring, open->id);
					goto done;
				}
			}
		}
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "summary", o.summary);
	cJSON_AddItemToObject(body, "factors", o.factors);
	cJSON_AddItemToObject(body, "went_well", o.went_well);
	cJSON_AddItemToObject(body, "went_wrong", o.went_wrong);
	cJSON_AddItemToObject(body, "lucky", o.lucky);
	cJSON_AddItemToObject(body, "actions", o.actions);
	o.factors = o.went_well = o.went_wrong = o.lucky = o.actions = NULL;
	if (revises)
		cJSON_AddStringToObject(body, "revises", revises);
	error = cmd_write(ctx, "resolution", open->id, body);
done:
	cJSON_Delete(o.factors);
	cJSON_Delete(o.went_well);
	cJSON_Delete(o.went_wrong);
	cJSON_Delete(o.lucky);
	cJSON_Delete(o.actions);
	accord_incident_free(inc);
	return error;
}

static const char *const proposal_types[] = { "resolution", "impact", "void", "duplicate", "agreement", "status",
					      "dispute" };
#define PROPOSAL_TYPES (sizeof(proposal_types) / sizeof(proposal_types[0]))

/* "incident X has 2 proposals waiting for acme's signature: ..." and exit 2. */
static int list_pending(const accord_incident *inc, const char *party, const accord_entry *const *pending,
			size_t n)
{
	accord_buf list = ACCORD_BUF_INIT;
	size_t i;
	int code;

	for (i = 0; i < n; i++)
		accord_buf_printf(&list, "\n  accord cosign %.12s   (%s)", pending[i]->id, pending[i]->type);
	code = cmd_failf(ACCORD_EXIT_USAGE, "incident %.12s has %zu proposals waiting for %s's signature; name one:%s",
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
		error = cmd_failf(ACCORD_EXIT_FAIL, "nothing of incident %.12s waits for %s's signature%s", inc->id, party,
				  inc->resolution ? "" : " (it has no proposed resolution)");
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
			return cmd_failf(ACCORD_EXIT_FAIL, "impact %.12s is no current figure (superseded or retracted)",
					 prop->id);
		if (inc->figures[i].party && !strcmp(inc->figures[i].party, party))
			return cmd_failf(ACCORD_EXIT_FAIL, "impact %.12s is %s's own figure: the other parties co-sign it",
					 prop->id, party);
		for (size_t j = 0; j < inc->figures[i].signed_count; j++)
			if (!strcmp(inc->figures[i].signed_by[j], party))
				return cmd_failf(ACCORD_EXIT_FAIL, "%s has already co-signed impact %.12s", party, prop->id);
	} else if (!strcmp(prop->type, "status")) {
		const char *on = accord_entry_str(prop, "on");

		if (!on)
			return cmd_failf(ACCORD_EXIT_FAIL, "status %.12s is no pause: only a status waiting on a party is co-signed",
					 prop->id);
		if (strcmp(on, party) != 0)
			return cmd_failf(ACCORD_EXIT_FAIL, "pause %.12s waits on %s: only %s co-signs it", prop->id, on, on);
		for (i = 0; i < inc->pause_sign_count; i++)
			if (inc->pause_signs[i].pause == prop)
				return cmd_failf(ACCORD_EXIT_FAIL, "%s has already co-signed pause %.12s", party, prop->id);
	} else if (!strcmp(prop->type, "dispute")) {
		/* the party whose time it disputes accepts the disputer's time */
		for (i = 0; i < inc->dispute_count && inc->disputes[i].entry != prop; i++)
			;
		if (i == inc->dispute_count || inc->disputes[i].retracted)
			return cmd_failf(ACCORD_EXIT_FAIL, "dispute %.12s has no effect: there is nothing to accept", prop->id);
		if (!inc->disputes[i].target_party || strcmp(inc->disputes[i].target_party, party) != 0)
			return cmd_failf(ACCORD_EXIT_FAIL, "dispute %.12s disputes a time %s signed: only %s accepts it",
					 prop->id, inc->disputes[i].target_party ? inc->disputes[i].target_party : "?",
					 inc->disputes[i].target_party ? inc->disputes[i].target_party : "its party");
		if (inc->disputes[i].accepted_by)
			return cmd_failf(ACCORD_EXIT_FAIL, "%s has already accepted dispute %.12s", party, prop->id);
	} else if (!strcmp(prop->type, "resolution")) {
		if (inc->resolution && prop == inc->resolution->entry) {
			for (i = 0; i < inc->resolution->signature_count; i++)
				if (!strcmp(inc->resolution->signatures[i].member->key.id, me))
					return cmd_failf(ACCORD_EXIT_FAIL, "you have already signed resolution %.12s",
							 prop->id);
		} else {
			cmd_warn("note: %.12s is not the latest proposal; this signature will not make the latest one joint",
				 prop->id);
		}
	} else {
		for (i = 0; i < inc->closure_count && inc->closures[i].entry != prop; i++)
			;
		if (i < inc->closure_count && inc->closures[i].joint)
			return cmd_failf(ACCORD_EXIT_FAIL, "%s %.12s is joint already", prop->type, prop->id);
	}
	return 0;
}

/* A duplicate must still lead to an incident that counts when it is signed (docs/metrics.md). */
static int cosign_duplicate_check(accord_ctx *ctx, const accord_incident *inc, const accord_entry *prop)
{
	const char *of = accord_entry_str(prop, "of"), *why;

	if (strcmp(prop->type, "duplicate") != 0 ||
	    !(why = accord_duplicate_why_not_in(ctx->ledger, inc->id, of ? of : "")))
		return 0;
	return cmd_failf(ACCORD_EXIT_USAGE, "duplicate %.12s would have %s", prop->id, why);
}

/*
 * What the argument names: a proposal (id or unique prefix), else an
 * incident whose one waiting proposal is meant. A prefix of both is ambiguous.
 */
static int resolve_cosign_target(const accord_entry **prop, const accord_entry **open, accord_ctx *ctx,
				 const char *arg, const char *party)
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
			return cmd_failf(ACCORD_EXIT_USAGE, "%s names both an incident and a proposal; give more digits", arg);
		if ((error = cmd_find_entry(prop, ctx, arg, proposal_types, PROPOSAL_TYPES, "proposal")))
			return error;
		if (!(*prop)->incident[0]) {
			*open = NULL; /* an agreement: a proposal of the ledger, not of an incident */
			return 0;
		}
		return cmd_find_incident(open, ctx, (*prop)->incident);
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
	const accord_agreement *a = accord_parties_agreement(accord_ledger_parties(ctx->ledger), prop->id);
	cJSON *body;

	if (!a)
		return cmd_failf(ACCORD_EXIT_FAIL, "agreement %.12s does not count on this copy", prop->id);
	if (strcmp(a->provider, party) != 0)
		return cmd_failf(ACCORD_EXIT_FAIL, "agreement %.12s is between %s and %s: only %s co-signs it", a->id,
				 a->customer, a->provider, a->provider);
	if (a->joint)
		return cmd_failf(ACCORD_EXIT_FAIL, "agreement %.12s is joint already", a->id);
	if (a->withdrawn_by[0])
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "agreement %.12s was withdrawn by %.12s (%s proposed new terms for the same scope, or retracted it): it cannot be co-signed",
				 a->id, a->withdrawn_by, a->customer);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "proposal", prop->id);
	return cmd_write(ctx, "cosign", NULL, body);
}

int cmd_cosign(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_entry *open = NULL, *prop = NULL;
	accord_incident *inc = NULL;
	const char *party;
	cJSON *body;
	int error;

	if ((error = help_or_usage(ctx, argc, argv, opts, cosign_usage, NULL, NULL)))
		return error < 0 ? 0 : error;
	if (argc - optind < 1 || argc - optind > 2)
		return cmd_usage_error(ctx, "expected a proposal or an incident id");
	if ((error = cmd_load_key(ctx)) || (error = cmd_load(ctx, 1)) || (error = cmd_own_party(&party, ctx)))
		return error;
	/* the older form: INCIDENT PROPOSAL */
	if ((error = resolve_cosign_target(&prop, &open, ctx, argv[optind + (argc - optind == 2)], party)))
		return error;
	if (prop && !open) {
		if (argc - optind == 2)
			return cmd_failf(ACCORD_EXIT_FAIL, "%.12s is an agreement, not a proposal of incident %s", prop->id,
					 argv[optind]);
		return cosign_agreement(ctx, prop, party);
	}
	if (argc - optind == 2 && (!prop || strncmp(open->id, argv[optind], strlen(argv[optind])) != 0))
		return cmd_failf(ACCORD_EXIT_FAIL, "incident %s has no proposal %s", argv[optind], argv[optind + 1]);
	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	if ((!prop && (error = pick_pending(&prop, inc, party))) ||
	    (error = cosign_check(inc, prop, party, ctx->key->pub.id)) ||
	    (error = cosign_duplicate_check(ctx, inc, prop))) {
		accord_incident_free(inc);
		return error;
	}
	accord_incident_free(inc);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "proposal", prop->id);
	return cmd_write(ctx, "cosign", open->id, body);
}

struct action_opts {
	const char *note, *owner, *link, *due;
};

static int action_take(int c, void *arg)
{
	struct action_opts *o = arg;

	switch (c) {
	case 'n': o->note = optarg; return 0;
	case 'o': o->owner = optarg; return 0;
	case 'l': o->link = optarg; return 0;
	case 'd': o->due = optarg; return 0;
	default: return -1;
	}
}

/* ACTION: the number shown (1, 2, ...) or the item's id (ACCORD_ACTION_ID_LEN hex digits). */
static const accord_action *find_action(const accord_resolution *r, const char *arg)
{
	size_t i;

	if (!r)
		return NULL;
	if (strlen(arg) <= 2 && arg[0] >= '1' && arg[0] <= '9' && (!arg[1] || (arg[1] >= '0' && arg[1] <= '9'))) {
		i = (size_t)atoi(arg);
		return i <= r->action_count ? &r->actions[i - 1] : NULL;
	}
	for (i = 0; i < r->action_count; i++)
		if (strcmp(r->actions[i].id, arg) == 0)
			return &r->actions[i];
	return NULL;
}

/* A link is shown to people: http(s), printable ASCII without spaces (action.schema.json). */
static int valid_link(const char *s)
{
	size_t n = strlen(s), pre = strncmp(s, "https://", 8) == 0 ? 8 : strncmp(s, "http://", 7) == 0 ? 7 : 0;

	if (!pre || n == pre || n > 2048)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

/* Whether an earlier active member of `m`'s party has its name (a person's other device). */
static int named_before(const accord_parties *p, size_t i, const accord_member *m)
{
	while (i-- > 0)
		if (!p->members[i]->revoked && p->members[i]->party == m->party &&
		    strcmp(p->members[i]->key.name, m->key.name) == 0)
			return 1;
	return 0;
}

/*
 * The owner named by assign: a member of a party that owns the item, else
 * exit 2 naming those there are.
 */
static int check_owner(accord_ctx *ctx, const accord_action *a, const char *owner)
{
	const accord_parties *p = accord_ledger_parties(ctx->ledger);
	accord_buf known = ACCORD_BUF_INIT;
	const cJSON *o;
	size_t i;
	int code;

	for (i = 0; i < p->member_count; i++) {
		const accord_member *m = p->members[i];

		cJSON_ArrayForEach(o, a->owners) {
			if (!cJSON_IsString(o) || strcmp(o->valuestring, p->parties[m->party].name) != 0)
				continue;
			if (strcmp(m->key.name, owner) == 0) {
				accord_buf_dispose(&known);
				return 0;
			}
			if (!m->revoked && !named_before(p, i, m))
				accord_buf_printf(&known, "%s%s@%s", known.size ? ", " : "", m->key.name,
						  o->valuestring);
		}
	}
	code = cmd_usage_error(ctx, "--owner %s is no member of a party that owns action item %s (members: %s)",
			       owner, a->id, known.size ? known.ptr : "none");
	accord_buf_dispose(&known);
	return code;
}

/* A due date as YYYY-MM-DD, or exit 2. */
static int parse_due(accord_ctx *ctx, char *day, const char *arg)
{
	char iso[80];
	int64_t t;

	snprintf(iso, sizeof(iso), "%.40sT00:00:00Z", arg);
	if (strlen(arg) != 10 || accord_time_parse(&t, iso) < 0)
		return cmd_usage_error(ctx, "--due takes a day, YYYY-MM-DD, not '%s'", arg);
	accord_time_format(day, t);
	day[10] = '\0';
	return 0;
}

int cmd_action(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "owner", required_argument, NULL, 'o' },
		{ "link", required_argument, NULL, 'l' },
		{ "due", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct action_opts o = { NULL, NULL, NULL, NULL };
	const accord_entry *open;
	accord_incident *inc = NULL;
	const accord_action *a;
	const char *state, *now;
	char rid[ACCORD_ID_HEXLEN + 1], day[ACCORD_TIME_LEN];
	size_t n;
	cJSON *body;
	int error, assign;

	if ((error = help_or_usage(ctx, argc, argv, opts, action_usage, action_take, &o)))
		return error < 0 ? 0 : error;
	if (argc - optind != 3)
		return cmd_usage_error(ctx, "expected an incident id, an action (number or id) and done, not-doing, reopen or assign");
	state = argv[optind + 2];
	if (strcmp(state, "done") && strcmp(state, "not-doing") && strcmp(state, "reopen") && strcmp(state, "assign"))
		return cmd_usage_error(ctx, "the action state is done, not-doing, reopen or assign, not '%s'", state);
	assign = strcmp(state, "assign") == 0;
	if (assign && o.note)
		return cmd_usage_error(ctx, "assign takes --owner, --link and --due, not --note");
	if (!assign && (o.owner || o.link || o.due))
		return cmd_usage_error(ctx, "--owner, --link and --due go with assign, not %s", state);
	if (assign && !o.owner && !o.link && !o.due)
		return cmd_usage_error(ctx, "assign needs --owner, --link or --due");
	if (!strcmp(state, "not-doing") && !o.note)
		return cmd_usage_error(ctx, "not-doing needs --note saying why the item will not be done");
	if ((o.note && (error = cmd_check_text(ctx, "--note", o.note, 1))) ||
	    (o.due && (error = parse_due(ctx, day, o.due))))
		return error;
	if (o.owner && !cmd_valid_name(o.owner))
		return cmd_usage_error(ctx, "--owner takes a member name, not '%s'", o.owner);
	if (o.link && !valid_link(o.link))
		return cmd_usage_error(ctx, "--link takes an http:// or https:// URL without spaces or control characters, not '%s'",
				       o.link);
	if ((error = prepare(ctx, argv[optind], &open, &inc)))
		return error;
	if (!(a = find_action(inc->resolution, argv[optind + 1]))) {
		accord_incident_free(inc);
		return cmd_failf(ACCORD_EXIT_FAIL, "incident %.12s has no action item %s", open->id, argv[optind + 1]);
	}
	n = (size_t)(a - inc->resolution->actions) + 1;
	now = accord_action_state_name(a->state);
	memcpy(rid, inc->resolution->entry->id, sizeof(rid));
	if (o.owner && (error = check_owner(ctx, a, o.owner))) {
		accord_incident_free(inc);
		return error;
	}
	if (!assign && (!strcmp(state, now) || (!strcmp(state, "reopen") && a->state == ACCORD_ACTION_OPEN))) {
		error = cmd_failf(ACCORD_EXIT_FAIL, "action item %zu (%s) is %s already", n, a->id, now);
		accord_incident_free(inc);
		return error;
	}
	accord_incident_free(inc);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "resolution", rid);
	cJSON_AddNumberToObject(body, "action", (double)n);
	cJSON_AddStringToObject(body, "state", state);
	if (o.note)
		cJSON_AddStringToObject(body, "note", o.note);
	if (o.owner)
		cJSON_AddStringToObject(body, "owner", o.owner);
	if (o.link)
		cJSON_AddStringToObject(body, "link", o.link);
	if (o.due)
		cJSON_AddStringToObject(body, "due", day);
	return cmd_write(ctx, "action", open->id, body);
}
