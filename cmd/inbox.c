/* accord inbox and actions: what waits on a party, and the action items across incidents. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char inbox_usage[] =
	"usage: accord inbox [--party P] [--json] [--all-ledgers | --ledger NAME...]\n\n"
	"What waits on your party (the party of your key, or P), most urgent first:\n"
	"  overdue   action items it owns, past their due day\n"
	"  cosign    proposals waiting for its cosignature (resolutions, figures,\n"
	"            voids, duplicates)\n"
	"  respond   incidents that involve it where it has written nothing yet\n"
	"  conflict  concurrent changes in incidents that involve it\n"
	"  action    its other open action items, soonest due first\n"
	"An empty inbox says so (exit 0). --json: schemas/inbox.schema.json.\n"
	"--all-ledgers, --ledger NAME: the inboxes of the listed ledgers together\n"
	"(accord ledgers), your party in each.\n";

static const char actions_usage[] =
	"usage: accord actions [--party P] [--overdue] [--json] [--all-ledgers | --ledger NAME...]\n\n"
	"The action items that count of every incident (its current resolution's,\n"
	"or the joint one's while a later proposal is not joint): number and id,\n"
	"state (open, done, not-doing), due day, owning parties, owner and link.\n"
	"  --party P   only the items P owns\n"
	"  --overdue   only open items past their due day ($ACCORD_NOW honoured)\n"
	"  --json      schemas/actions.schema.json\n";

/*
 * The party whose inbox: `given`, else the party of the key in the key
 * home, read from its public half only (no passphrase for reading).
 */
int cmd_inbox_party(const char **out, accord_ctx *ctx, const char *given)
{
	const accord_parties *p = accord_ledger_parties(ctx->ledger);
	const accord_member *m;
	accord_pubkey pub;
	char *home = NULL;
	size_t i;

	if (given) {
		for (i = 0; i < p->party_count; i++)
			if (!strcmp(p->parties[i].name, given)) {
				*out = p->parties[i].name;
				return 0;
			}
		return cmd_no_such_party(ctx, given);
	}
	if (cmd_key_home(&home, ctx) < 0 || accord_key_load_public(&pub, home) < 0) {
		free(home);
		return cmd_failf(ACCORD_EXIT_FAIL, "%s%sno key to tell your party: give --party P",
				 ctx->label ? ctx->label : "", ctx->label ? ": " : "");
	}
	free(home);
	if (!(m = accord_parties_member(p, pub.id)) || m->revoked)
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"%s%skey %.12s is not an active member of any party of this ledger: give --party P",
			ctx->label ? ctx->label : "", ctx->label ? ": " : "", pub.id);
	*out = p->parties[m->party].name;
	return 0;
}

/* An inbox item with the ledger it came from (across ledgers). */
typedef struct {
	const accord_inbox_item *item;
	const char *ledger; /* the listed name, or NULL */
	char sid[ACCORD_ID_HEXLEN + 1];
} inbox_row;

static const char *kind_label(accord_inbox_kind k)
{
	switch (k) {
	case ACCORD_INBOX_OVERDUE: return "overdue";
	case ACCORD_INBOX_PROPOSAL: return "cosign";
	case ACCORD_INBOX_INVOLVED: return "respond";
	case ACCORD_INBOX_CONFLICT: return "conflict";
	default: return "action";
	}
}

static int cmp_row(const void *x, const void *y)
{
	return accord_inbox_item_cmp(((const inbox_row *)x)->item, ((const inbox_row *)y)->item);
}

/* Rows of one ledger's inbox into *rows; the inbox is kept in *boxes to free. */
static int gather(inbox_row **rows, size_t *count, accord_inbox ***boxes, size_t *nboxes,
		  accord_ctx *lctx, const char *ledger, const char *given)
{
	accord_inbox *box = NULL, **grownb;
	const char *party;
	size_t i;
	int error;

	if ((error = cmd_inbox_party(&party, lctx, given)))
		return error;
	if ((error = accord_inbox_build(&box, lctx->ledger, party, accord_time_now())) < 0)
		return cmd_fail(error);
	if (!(grownb = realloc(*boxes, (*nboxes + 1) * sizeof(**boxes))))
		accord_oom();
	*boxes = grownb;
	(*boxes)[(*nboxes)++] = box;
	for (i = 0; i < box->count; i++) {
		inbox_row *grown = realloc(*rows, (*count + 1) * sizeof(**rows)), r;

		if (!grown)
			accord_oom();
		*rows = grown;
		memset(&r, 0, sizeof(r));
		r.item = &box->items[i];
		r.ledger = ledger;
		/* an agreement is of no incident: its own id */
		cmd_short_id(r.sid, sizeof(r.sid), lctx,
			     box->items[i].incident[0] ? box->items[i].incident
						       : box->items[i].entry->id);
		(*rows)[(*count)++] = r;
	}
	return 0;
}

static void print_rows(const inbox_row *rows, size_t count, const char *party, int across)
{
	size_t i;

	if (!count) {
		if (party)
			printf("nothing waits on %s\n", cmd_esc(party, 0));
		else
			printf("nothing waits on you in these ledgers\n");
		return;
	}
	printf("%s%zu %s wait%s on %s, most urgent first:%s\n", cmd_sgr(SGR_BOLD), count,
	       count == 1 ? "item" : "items", count == 1 ? "s" : "",
	       party ? cmd_esc(party, 0) : "you", cmd_sgr(SGR_RESET));
	for (i = 0; i < count; i++) {
		const accord_inbox_item *it = rows[i].item;
		const cJSON *inc = cJSON_GetObjectItemCaseSensitive(it->json, "incident");

		printf("  %s%-8s%s  ", cmd_sgr(it->kind == ACCORD_INBOX_OVERDUE ? SGR_RED : ""),
		       kind_label(it->kind),
		       cmd_sgr(it->kind == ACCORD_INBOX_OVERDUE ? SGR_RESET : ""));
		if (across)
			printf("%s  ", cmd_esc(rows[i].ledger, 0));
		if (cJSON_IsObject(inc))
			printf("%s  SEV%lld  %s\n", rows[i].sid, (long long)it->severity,
			       cmd_esc(accord_json_str(inc, "title"), 0));
		else
			printf("agreement %s\n", rows[i].sid);
		printf("  %-8s  %s\n", "", cmd_esc(it->summary, 0));
	}
}

int cmd_inbox(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "party", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cmd_ledger_pick pick;
	cmd_ledger_view *v = NULL;
	inbox_row *rows = NULL;
	accord_inbox **boxes = NULL;
	const char *given = NULL;
	size_t i, n = 0, count = 0, nboxes = 0, failed = 0;
	int c, json = 0, error = 0, across;

	if ((argc = cmd_take_ledger_pick(&pick, ctx, argc, argv)) < 0)
		return ACCORD_EXIT_USAGE;
	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'p': given = optarg; break;
		case 'j': json = 1; break;
		case 'h': fputs(inbox_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	across = CMD_LEDGER_PICKED(&pick);
	if (across) {
		if ((error = cmd_ledgers_pick(&v, &n, ctx, &pick)) != 0)
			return error;
		for (i = 0; i < n; i++)
			if (cmd_ledger_view_open(&v[i], ctx, CMD_VIEW_FIELDS) != 0 ||
			    gather(&rows, &count, &boxes, &nboxes, &v[i].ctx, v[i].name, given) !=
				    0)
				failed++;
		if (count > 1)
			qsort(rows, count, sizeof(*rows), cmp_row);
	} else if (!(error = cmd_load_fields(ctx, 0))) {
		error = gather(&rows, &count, &boxes, &nboxes, ctx, NULL, given);
	}
	if (!error && json) {
		cJSON *doc = cJSON_CreateObject(), *arr;

		if (!across)
			cJSON_AddStringToObject(doc, "party", boxes[0]->party);
		arr = cJSON_AddArrayToObject(doc, "items");
		for (i = 0; i < count; i++) {
			cJSON *o = cJSON_Duplicate(rows[i].item->json, 1);

			if (rows[i].ledger)
				cJSON_AddStringToObject(o, "ledger_name", rows[i].ledger);
			cJSON_AddItemToArray(arr, o);
		}
		error = cmd_print_json(doc);
	} else if (!error) {
		print_rows(rows, count, across ? given : boxes[0]->party, across);
	}
	for (i = 0; i < nboxes; i++)
		accord_inbox_free(boxes[i]);
	free(boxes);
	free(rows);
	cmd_ledger_views_free(v, n);
	return error ? error : failed ? ACCORD_EXIT_FAIL : 0;
}

/* What `actions` gathers: one JSON object per item, and its text line. */
struct actions_walk {
	accord_ctx *ctx;
	const char *ledger; /* across ledgers: the listed name */
	const char *party;
	int overdue;
	int64_t now;
	cJSON *arr;
};

static int owned_by(const accord_action *a, const char *party)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, a->owners)
		if (cJSON_IsString(o) && !strcmp(o->valuestring, party))
			return 1;
	return 0;
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static int actions_visit(const accord_incident *inc, void *payload)
{
	struct actions_walk *w = payload;
	const accord_resolution *r = accord_incident_actions(inc);
	char sid[ACCORD_ID_HEXLEN + 1];
	size_t i;

	cmd_short_id(sid, sizeof(sid), w->ctx, inc->id);
	for (i = 0; r && i < r->action_count; i++) {
		const accord_action *a = &r->actions[i];
		int overdue = accord_action_overdue(a, w->now);
		cJSON *o;

		if ((w->party && !owned_by(a, w->party)) || (w->overdue && !overdue))
			continue;
		o = cJSON_CreateObject();
		if (w->ledger)
			cJSON_AddStringToObject(o, "ledger_name", w->ledger);
		cJSON_AddStringToObject(o, "incident", inc->id);
		cJSON_AddStringToObject(o, "incident_short", sid);
		cJSON_AddStringToObject(o, "title", inc->title);
		cJSON_AddNumberToObject(o, "number", (double)(i + 1));
		cJSON_AddStringToObject(o, "id", a->id);
		cJSON_AddStringToObject(o, "text", a->text);
		cJSON_AddItemToObject(o, "owners", cJSON_Duplicate(a->owners, 1));
		cJSON_AddStringToObject(o, "status", accord_action_state_name(a->state));
		add_str_or_null(o, "due", a->due);
		cJSON_AddBoolToObject(o, "overdue", overdue);
		add_str_or_null(o, "owner", a->owner);
		add_str_or_null(o, "link", a->link);
		add_str_or_null(o, "note", a->note);
		cJSON_AddItemToArray(w->arr, o);
	}
	return 0;
}

static void print_actions(const cJSON *arr, int across)
{
	const cJSON *o, *p;

	if (!cJSON_GetArraySize(arr)) {
		printf("no action items\n");
		return;
	}
	printf("%s%s%-12s  %-13s  %-9s  %-10s  %-20s  %s%s\n", cmd_sgr(SGR_BOLD),
	       across ? "LEDGER  " : "", "INCIDENT", "ACTION", "STATE", "DUE", "OWNERS", "TEXT",
	       cmd_sgr(SGR_RESET));
	for (o = arr->child; o; o = o->next) {
		accord_buf owners = ACCORD_BUF_INIT;
		const char *due = accord_json_str(o, "due"), *s;

		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(o, "owners"))
			accord_buf_printf(&owners, "%s%s", owners.size ? "," : "", p->valuestring);
		if (across)
			printf("%s  ", cmd_esc(accord_json_str(o, "ledger_name"), 0));
		printf("%-12s  %2d. %-9s  %s%-9s%s  %-10s  %-20s  %s\n",
		       accord_json_str(o, "incident_short"),
		       (int)cJSON_GetObjectItemCaseSensitive(o, "number")->valuedouble,
		       accord_json_str(o, "id"),
		       cmd_sgr(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "overdue"))
				       ? SGR_RED
				       : ""),
		       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "overdue"))
			       ? "OVERDUE"
			       : accord_json_str(o, "status"),
		       cmd_sgr(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "overdue"))
				       ? SGR_RESET
				       : ""),
		       due ? cmd_esc(due, 0) : "-", cmd_esc(owners.ptr ? owners.ptr : "", 0),
		       cmd_esc(accord_json_str(o, "text"), 0));
		if ((s = accord_json_str(o, "owner")))
			printf("    owner %s\n", cmd_esc(s, 0));
		if ((s = accord_json_str(o, "link")))
			printf("    link %s\n", cmd_esc(s, 0));
		if ((s = accord_json_str(o, "note")))
			printf("    note %s\n", cmd_esc(s, 0));
		accord_buf_dispose(&owners);
	}
}

static int actions_of(accord_ctx *lctx, const char *ledger, const char *party, int overdue,
		      cJSON *arr)
{
	struct actions_walk w = { lctx, ledger, NULL, overdue, accord_time_now(), arr };
	int error;

	if (party && (error = cmd_inbox_party(&w.party, lctx, party)))
		return error;
	if ((error = accord_incident_each(lctx->ledger, actions_visit, &w)) < 0)
		return cmd_fail(error);
	return 0;
}

int cmd_actions(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "party", required_argument, NULL, 'p' },
		{ "overdue", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cmd_ledger_pick pick;
	cmd_ledger_view *v = NULL;
	const char *party = NULL;
	cJSON *arr = cJSON_CreateArray();
	size_t i, n = 0, failed = 0;
	int c, json = 0, overdue = 0, error = 0;

	if ((argc = cmd_take_ledger_pick(&pick, ctx, argc, argv)) < 0) {
		cJSON_Delete(arr);
		return ACCORD_EXIT_USAGE;
	}
	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'p': party = optarg; break;
		case 'o': overdue = 1; break;
		case 'j': json = 1; break;
		case 'h':
			fputs(actions_usage, stdout);
			cJSON_Delete(arr);
			return 0;
		default: cJSON_Delete(arr); return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cJSON_Delete(arr);
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	}
	if (CMD_LEDGER_PICKED(&pick)) {
		if ((error = cmd_ledgers_pick(&v, &n, ctx, &pick)) != 0) {
			cJSON_Delete(arr);
			return error;
		}
		for (i = 0; i < n; i++) {
			if (cmd_ledger_view_open(&v[i], ctx, CMD_VIEW_FIELDS) != 0 ||
			    actions_of(&v[i].ctx, v[i].name, party, overdue, arr) != 0)
				failed++;
			cmd_ctx_release(&v[i].ctx);
		}
		cmd_ledger_views_free(v, n);
	} else if (!(error = cmd_load_fields(ctx, 0))) {
		error = actions_of(ctx, NULL, party, overdue, arr);
	}
	if (error) {
		cJSON_Delete(arr);
		return error;
	}
	if (json)
		error = cmd_print_json(arr);
	else {
		print_actions(arr, CMD_LEDGER_PICKED(&pick));
		cJSON_Delete(arr);
	}
	return error ? error : failed ? ACCORD_EXIT_FAIL : 0;
}
