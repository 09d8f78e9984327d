/* accord action: change or assign an item of an incident's resolution. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char action_usage[] =
	"usage: accord action ID ACTION done|not-doing|reopen [--note TEXT]\n"
	"       accord action ID ACTION assign [--owner NAME] [--link URL] [--due YYYY-MM-DD]\n\n"
	"Change action item ACTION (its number or its id, as show prints them) of\n"
	"incident ID's resolution: done, not-doing (needs --note saying why) or\n"
	"reopen it; or assign it: --owner, a member of an owning party; --link, the\n"
	"ticket in your party's tracker (http or https); --due, a new due date.\n"
	"Only members of an owning party may. An item keeps its id, and its state,\n"
	"in a revision of the resolution that inherits it.\n";

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
	if (strlen(arg) <= 2 && arg[0] >= '1' && arg[0] <= '9' &&
	    (!arg[1] || (arg[1] >= '0' && arg[1] <= '9'))) {
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
	size_t n = strlen(s), pre = strncmp(s, "https://", 8) == 0  ? 8
				    : strncmp(s, "http://", 7) == 0 ? 7
								    : 0;

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
			if (!cJSON_IsString(o) ||
			    strcmp(o->valuestring, p->parties[m->party].name) != 0)
				continue;
			if (strcmp(m->key.name, owner) == 0) {
				accord_buf_dispose(&known);
				return 0;
			}
			if (!m->revoked && !named_before(p, i, m))
				accord_buf_printf(&known, "%s%s@%s", known.size ? ", " : "",
						  m->key.name, o->valuestring);
		}
	}
	code = cmd_usage_error(
		ctx, "--owner %s is no member of a party that owns action item %s (members: %s)",
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
		{ "note", required_argument, NULL, 'n' }, { "owner", required_argument, NULL, 'o' },
		{ "link", required_argument, NULL, 'l' }, { "due", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },	  { NULL, 0, NULL, 0 },
	};
	struct action_opts o = { NULL, NULL, NULL, NULL };
	const accord_entry *open;
	accord_incident *inc = NULL;
	const accord_action *a;
	const accord_resolution *items;
	const char *state, *now;
	char rid[ACCORD_ID_HEXLEN + 1], day[ACCORD_TIME_LEN];
	size_t n;
	cJSON *body;
	int error, assign;

	if ((error = cmd_options(ctx, argc, argv, opts, action_usage, action_take, &o)))
		return error < 0 ? 0 : error;
	if (argc - optind != 3)
		return cmd_usage_error(
			ctx,
			"expected an incident id, an action (number or id) and done, not-doing, reopen or assign");
	state = argv[optind + 2];
	if (strcmp(state, "done") && strcmp(state, "not-doing") && strcmp(state, "reopen") &&
	    strcmp(state, "assign"))
		return cmd_usage_error(
			ctx, "the action state is done, not-doing, reopen or assign, not '%s'",
			state);
	assign = strcmp(state, "assign") == 0;
	if (assign && o.note)
		return cmd_usage_error(ctx, "assign takes --owner, --link and --due, not --note");
	if (!assign && (o.owner || o.link || o.due))
		return cmd_usage_error(ctx, "--owner, --link and --due go with assign, not %s",
				       state);
	if (assign && !o.owner && !o.link && !o.due)
		return cmd_usage_error(ctx, "assign needs --owner, --link or --due");
	if (!strcmp(state, "not-doing") && !o.note)
		return cmd_usage_error(
			ctx, "not-doing needs --note saying why the item will not be done");
	if ((o.note && (error = cmd_check_text(ctx, "--note", o.note, 1))) ||
	    (o.due && (error = parse_due(ctx, day, o.due))))
		return error;
	if (o.owner && !cmd_valid_name(o.owner))
		return cmd_usage_error(ctx, "--owner takes a member name, not '%s'", o.owner);
	if (o.link && !valid_link(o.link))
		return cmd_usage_error(
			ctx,
			"--link takes an http:// or https:// URL without spaces or control characters, not '%s'",
			o.link);
	if ((error = cmd_prepare(ctx, argv[optind], &open, &inc, 0)))
		return error;
	/* the items that count: the joint revision's while a later proposal is not joint */
	items = accord_incident_actions(inc);
	if (!(a = find_action(items, argv[optind + 1]))) {
		accord_incident_free(inc);
		return cmd_failf(ACCORD_EXIT_FAIL, "incident %.12s has no action item %s", open->id,
				 argv[optind + 1]);
	}
	n = (size_t)(a - items->actions) + 1;
	now = accord_action_state_name(a->state);
	memcpy(rid, items->entry->id, sizeof(rid));
	if (o.owner && (error = check_owner(ctx, a, o.owner))) {
		accord_incident_free(inc);
		return error;
	}
	if (!assign &&
	    (!strcmp(state, now) || (!strcmp(state, "reopen") && a->state == ACCORD_ACTION_OPEN))) {
		error = cmd_failf(ACCORD_EXIT_FAIL, "action item %zu (%s) is %s already", n, a->id,
				  now);
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
