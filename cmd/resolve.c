/* Working together on an incident: involve a party, propose a resolution (cosign.c signs it). */
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

	if ((error = cmd_options(ctx, argc, argv, opts, involve_usage, involve_take, &o)))
		return error < 0 ? 0 : error;
	if (argc - optind != 2)
		return cmd_usage_error(ctx, "expected an incident id and a party");
	if (!cmd_valid_name(argv[optind + 1]))
		return cmd_usage_error(ctx, "invalid party name '%s'", argv[optind + 1]);
	if (o.ticket && (error = cmd_check_text(ctx, "--ticket", o.ticket, 0)))
		return error;
	if ((error = cmd_prepare(ctx, argv[optind], &open, &inc, 0)))
		return error;
	if (!accord_parties_find(accord_ledger_parties(ctx->ledger), argv[optind + 1])) {
		size_t k;
		int invited = 0;

		for (k = 0; k < accord_ledger_parties(ctx->ledger)->invite_count; k++)
			invited |= !accord_ledger_parties(ctx->ledger)->invites[k].accepted &&
				   !strcmp(accord_ledger_parties(ctx->ledger)->invites[k].party,
					   argv[optind + 1]);
		accord_incident_free(inc);
		if (invited)
			return cmd_failf(ACCORD_EXIT_FAIL,
					 "party %s is invited but has not accepted yet",
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
			return cmd_failf(ACCORD_EXIT_FAIL, "%s is already involved",
					 argv[optind + 1]);
		}
	}
	/* A closed incident's resolution was joint among its parties: keep it that way. */
	if (!strcmp(inc->status, "closed")) {
		accord_incident_free(inc);
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"incident %.12s is closed; reopen it (status investigating) to involve %s",
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
static const char *const list_flags[] = { "factors", "went-well", "went-wrong", "lucky",
					  "actions" };

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
	cmd_usage_error(o->ctx,
			"--clear takes factors, went-well, went-wrong, lucky or actions, not '%s'",
			name);
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

		if (!(o->clear & (1u << i)) && cJSON_GetArraySize(*mine) == 0 &&
		    cJSON_GetArraySize(theirs) > 0) {
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
		cmd_usage_error(o->ctx, "--action takes TEXT@PARTY[,PARTY][:YYYY-MM-DD], not '%s'",
				arg);
		return -1;
	}
	snprintf(text, sizeof(text), "%.*s", (int)(at - arg), arg);
	colon = strchr(at + 1, ':');
	snprintf(owners, sizeof(owners), "%.*s",
		 (int)(colon ? (size_t)(colon - at - 1) : strlen(at + 1)), at + 1);
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
			cmd_usage_error(o->ctx, "due date '%s' in --action is not YYYY-MM-DD",
					colon + 1);
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
	if (cmd_check_text(o->ctx,
			   c == 'f'   ? "--factor"
			   : c == 'w' ? "--went-well"
			   : c == 'x' ? "--went-wrong"
				      : "--lucky",
			   optarg, 1))
		return -1;
	cJSON_AddItemToArray(list, cJSON_CreateString(optarg));
	return 0;
}

/*
 * *revises: the resolution this proposal revises (--revises, or else the
 * incident's current one), or NULL for a first proposal. 0, or the exit
 * code (said).
 */
static int find_revised(const char **revises, const struct resolve_opts *o,
			const accord_incident *inc, const accord_entry *open)
{
	*revises = NULL;
	if (o->revises) {
		size_t i, n = strlen(o->revises);

		for (i = 0; i < inc->timeline_count; i++)
			if (!strcmp(inc->timeline[i]->type, "resolution") && n >= 4 &&
			    !strncmp(inc->timeline[i]->id, o->revises, n))
				*revises = inc->timeline[i]->id;
		if (!*revises)
			return cmd_failf(ACCORD_EXIT_FAIL, "incident %.12s has no resolution %s",
					 open->id, o->revises);
	} else if (inc->resolution) {
		*revises = inc->resolution->entry->id;
	}
	return 0;
}

/* Action items are owned by parties of the incident: 0, or the exit code (said). */
static int check_owners(const cJSON *actions, const accord_incident *inc, const accord_entry *open)
{
	const cJSON *a, *owner;

	cJSON_ArrayForEach(a, actions) {
		cJSON_ArrayForEach(owner, cJSON_GetObjectItemCaseSensitive(a, "owners")) {
			size_t k;
			int involved = 0;

			for (k = 0; k < inc->party_count; k++)
				involved |= !strcmp(inc->parties[k], owner->valuestring);
			if (!involved)
				return cmd_failf(
					ACCORD_EXIT_FAIL,
					"action owner %s is not involved in incident %.12s (accord involve first)",
					owner->valuestring, open->id);
		}
	}
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
	struct resolve_opts o = { ctx,
				  NULL,
				  NULL,
				  cJSON_CreateArray(),
				  cJSON_CreateArray(),
				  cJSON_CreateArray(),
				  cJSON_CreateArray(),
				  cJSON_CreateArray(),
				  0 };
	const accord_entry *open;
	accord_incident *inc = NULL;
	const char *revises = NULL;
	cJSON *body = NULL;
	int error;

	if ((error = cmd_options(ctx, argc, argv, opts, resolve_usage, resolve_take, &o))) {
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
	    (error = cmd_prepare(ctx, argv[optind], &open, &inc, 0)))
		goto done;
	/* a closed incident's joint resolution changes only after a reopen (the engine calls it late) */
	if (inc->closed_by) {
		error = cmd_failf(
			ACCORD_EXIT_USAGE,
			"incident %.12s is closed on a joint resolution; reopen it first (accord status %.12s investigating)",
			open->id, open->id);
		goto done;
	}
	if ((error = find_revised(&revises, &o, inc, open)))
		goto done;
	if (revises)
		inherit(&o, timeline_entry(inc, revises));
	else if (o.clear)
		cmd_warn("--clear applies to a revision; this is the first proposal");
	if ((error = check_owners(o.actions, inc, open)))
		goto done;
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
