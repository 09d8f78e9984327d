/* accord log and accord export: the entries that count, in ledger order. */
#include <stdlib.h>
#include <string.h>

#include "accord/idmap.h"

#include "cmd.h"

static const char log_usage[] =
	"usage: accord log [ID] [--all | --type TYPE] [--json]\n\n"
	"Show entries in ledger order (all, or incident ID's). Checkpoints, which sync\n"
	"writes to witness the partners' feeds, are left out unless --all or\n"
	"--type checkpoint asks for them.\n\n"
	"  --all        every entry, checkpoints included\n"
	"  --type TYPE  only entries of this type (open, note, status, impact, sla,\n"
	"               feedback, involve, ticket, resolution, cosign, action,\n"
	"               amend, retract, void, duplicate, genesis, party-invite,\n"
	"               party-accept, member-add, member-revoke, key-rotate,\n"
	"               checkpoint, agreement, dispute)\n"
	"  --json       a JSON array\n";
static const char export_usage[] =
	"usage: accord export\n\n"
	"Print every entry exactly as stored, one JSON object per line, in ledger order.\n"
	"This is machine output: the bytes are the signed bytes, never escaped. JSON\n"
	"escapes C0 controls, but not every character meant for a terminal or a\n"
	"document; give it to a program (jq, a validator), not to a terminal. The other\n"
	"commands escape what they print.\n";

/* Every entry type, for log --type. */
static const char *const entry_types[] = {
	"open",	      "note",	       "status",     "impact",	   "sla",	   "feedback",
	"involve",    "ticket",	       "resolution", "cosign",	   "action",	   "amend",
	"retract",    "void",	       "duplicate",  "genesis",	   "party-invite", "party-accept",
	"member-add", "member-revoke", "key-rotate", "checkpoint", "agreement",	   "dispute",
};

/* Incidents derived for log, by id, so each is derived once. */
static void free_incidents(accord_idmap *map)
{
	size_t i;

	for (i = 0; i < map->size; i++)
		if (map->slots[i].key)
			accord_incident_free(map->slots[i].value);
	accord_idmap_dispose(map);
}

/* What the incident's derivation says of `e`: log marks what show marks. */
static int log_mark(const accord_mark **out, accord_ctx *ctx, accord_idmap *incidents,
		    const accord_entry *e)
{
	const char *id = e->incident[0] ? e->incident : (!strcmp(e->type, "open") ? e->id : NULL);
	accord_incident *inc;
	const accord_entry *open;
	int error;

	*out = NULL;
	if (!id)
		return 0;
	if (!(inc = accord_idmap_get(incidents, id))) {
		if (!(open = accord_ledger_entry(ctx->ledger, id)))
			return 0; /* its open does not count: nothing derives it */
		if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
			return error;
		accord_idmap_put(incidents, inc->id, inc);
	}
	*out = accord_incident_mark(inc, e);
	return 0;
}

int cmd_log(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "type", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_entry *open = NULL;
	const char *type = NULL;
	cJSON *arr = NULL;
	accord_idmap incidents = ACCORD_IDMAP_INIT;
	int json = 0, all = 0, c, error;
	size_t i;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 't': type = optarg; break;
		case 'j': json = 1; break;
		case 'h': fputs(log_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (all && type)
		return cmd_usage_error(ctx, "--all and --type exclude each other");
	if (type) {
		accord_buf known = ACCORD_BUF_INIT;

		for (i = 0; i < sizeof(entry_types) / sizeof(*entry_types); i++)
			if (!strcmp(type, entry_types[i]))
				break;
		if (i == sizeof(entry_types) / sizeof(*entry_types)) {
			for (i = 0; i < sizeof(entry_types) / sizeof(*entry_types); i++)
				accord_buf_printf(&known, "%s%s", i ? ", " : "", entry_types[i]);
			error = cmd_usage_error(ctx, "unknown entry type '%s' (known: %s)", type,
						known.ptr);
			accord_buf_dispose(&known);
			return error;
		}
	}
	if (argc - optind > 1)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind + 1]);
	/* One incident's log needs only that incident: go through the index. */
	if ((error = argc - optind == 1 ? cmd_load_incidents(ctx, 0) : cmd_load_fields(ctx, 0)))
		return error;
	if (argc - optind == 1 && (error = cmd_find_incident(&open, ctx, argv[optind])))
		return error;
	if (json)
		arr = cJSON_CreateArray();
	for (i = 0; i < accord_ledger_entry_count(ctx->ledger) && error == 0; i++) {
		const accord_entry *e = accord_ledger_entry_at(ctx->ledger, i);
		const accord_mark *m = NULL;

		if (open && e != open && strcmp(e->incident, open->id) != 0)
			continue;
		/* checkpoints are sync's bookkeeping: a third of a small ledger, rarely what is sought */
		if (type ? strcmp(e->type, type) != 0 : !all && !strcmp(e->type, "checkpoint"))
			continue;
		if ((error = log_mark(&m, ctx, &incidents, e)) < 0)
			break;
		if (json) {
			cJSON *item = accord_entry_to_timeline_json(
				e, accord_ledger_parties(ctx->ledger));

			if (m)
				cJSON_AddStringToObject(item, "mark", m->mark);
			else
				cJSON_AddNullToObject(item, "mark");
			cJSON_AddNumberToObject(item, "seq", (double)e->seq);
			cJSON_AddStringToObject(item, "commit", e->commit);
			if (e->incident[0])
				cJSON_AddStringToObject(item, "incident", e->incident);
			else
				cJSON_AddNullToObject(item, "incident");
			cJSON_AddItemToArray(arr, item);
		} else {
			char t[ACCORD_TIME_LEN], who[80];
			accord_buf line = ACCORD_BUF_INIT;

			accord_time_format(t, e->time);
			cmd_author_label(who, sizeof(who), ctx, e);
			cmd_entry_summary(&line, e);
			printf("%.12s %s %-13s %-20s %.12s %s%s%s%s\n", e->id, t,
			       cmd_esc(e->type, 0), cmd_esc(who, 0),
			       e->incident[0] ? e->incident
					      : (strcmp(e->type, "open") ? "-" : e->id),
			       cmd_esc(line.ptr, 0), m ? " [" : "", m ? cmd_esc(m->mark, 0) : "",
			       m ? "]" : "");
			accord_buf_dispose(&line);
		}
	}
	free_incidents(&incidents);
	if (error < 0) {
		cJSON_Delete(arr);
		return cmd_fail(error);
	}
	return json ? cmd_print_json(arr) : 0;
}

int cmd_export(accord_ctx *ctx, int argc, char **argv)
{
	int json = 0, error;
	size_t i;

	if ((error = cmd_parse_json_flag(ctx, argc, argv, export_usage, &json)))
		return error < 0 ? 0 : error;
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_setup(ctx)))
		return error;
	for (i = 0; i < accord_ledger_entry_count(ctx->ledger); i++) {
		const accord_entry *e = accord_ledger_entry_at(ctx->ledger, i);

		fwrite(e->raw, 1, e->raw_len, stdout);
		fputc('\n', stdout);
	}
	return 0;
}
