/* accord list: the incidents, newest first, of one ledger or of all listed in the key home. */
#include <stdlib.h>
#include <string.h>

#include "accord/idmap.h"

#include "cmd.h"

static const char list_usage[] =
	"usage: accord list [--status S] [--limit N | --all] [--json | --quiet]\n"
	"                   [--all-ledgers | --ledger NAME...]\n\n"
	"List the most recent incidents (100 unless --limit or --all), oldest first.\n"
	"--quiet prints only their ids.\n"
	"--status filters by status; \"open\" means not yet resolved or closed,\n"
	"nor void or a duplicate (every party agreed: the status column says so).\n"
	"--all-ledgers, or --ledger NAME (repeatable): the incidents of the ledgers\n"
	"listed with 'accord ledgers add', together, each with its ledger.\n";

/* A line of list: the summary, its shown id, and (across ledgers) its ledger's name. */
typedef struct {
	accord_incident_summary s;
	char sid[ACCORD_ID_HEXLEN + 1];
	char *ledger;  /* NULL in one ledger */
	cJSON *clocks; /* with --json: each provider's clocks in brief (accord_clocks_brief_json) */
} list_row;

/* Incident `id`'s clocks in brief as of `now`; NULL (said on stderr) when it cannot be derived. */
static cJSON *brief_clocks(accord_ctx *lctx, const char *id, int64_t now)
{
	const accord_entry *open;
	accord_incident *inc = NULL;
	accord_clocks *clocks = NULL;
	cJSON *out = NULL;

	if (accord_ledger_find_incident(&open, lctx->ledger, id) == 0 &&
	    accord_incident_build(&inc, lctx->ledger, open) == 0 &&
	    accord_clocks_compute(&clocks, inc, accord_ledger_parties(lctx->ledger),
				  accord_incident_ledger_in_past, lctx->ledger, now) == 0)
		out = accord_clocks_brief_json(clocks);
	else
		cmd_warn("incident %.12s: its clocks: %s", id, accord_error_last());
	accord_clocks_free(clocks);
	accord_incident_free(inc);
	return out;
}

/*
 * Append the incidents of the ledger opened in `lctx` to *rows. Returns 0,
 * or minus an exit code (the message said).
 */
static int gather(list_row **rows, size_t *count, size_t *total, accord_ctx *lctx,
		  const char *ledger, const char *status, size_t limit, int with_clocks)
{
	accord_incident_summary *s = NULL;
	int64_t now = accord_time_now();
	size_t i, n = 0, t = 0;
	int error;

	/* a cross-ledger view opened it already (and checked it is the listed one) */
	if (!lctx->ledger && (error = cmd_load_incidents(lctx, 0)))
		return -error;
	if ((error = accord_ledger_list(&s, &n, &t, lctx->ledger, status, limit, now)) < 0)
		return -cmd_fail(error);
	for (i = 0; i < n; i++) {
		list_row r = { 0 };

		r.s = s[i];
		if (with_clocks)
			r.clocks = brief_clocks(lctx, s[i].id, now);
		cmd_short_id(r.sid, sizeof(r.sid), lctx, s[i].id);
		list_row *grown = realloc(*rows, (*count + 1) * sizeof(**rows));

		if (!grown || (ledger && !(r.ledger = strdup(ledger))))
			accord_oom();
		*rows = grown;
		(*rows)[(*count)++] = r;
	}
	*total += t;
	free(s);
	return 0;
}

static int cmp_row(const void *a, const void *b)
{
	const list_row *x = a, *y = b;

	if (x->s.opened_at != y->s.opened_at)
		return x->s.opened_at < y->s.opened_at ? -1 : 1;
	return strcmp(x->s.id, y->s.id);
}

/*
 * Every incident of the ledgers `pick` names, oldest first. A ledger that
 * cannot be read is said on stderr and counted in *failed; the others are
 * still listed.
 */
static int gather_across(list_row **rows, size_t *count, size_t *total, accord_ctx *ctx,
			 const cmd_ledger_pick *pick, const char *status, size_t *failed,
			 int with_clocks)
{
	cmd_ledger_view *v = NULL;
	size_t i, n = 0;
	int error;

	if ((error = cmd_ledgers_pick(&v, &n, ctx, pick)) != 0)
		return -error;
	for (i = 0; i < n; i++) {
		if (cmd_ledger_view_open(&v[i], ctx, CMD_VIEW_INCIDENTS) != 0 ||
		    gather(rows, count, total, &v[i].ctx, v[i].name, status, 0, with_clocks) != 0)
			(*failed)++;
		cmd_ctx_release(&v[i].ctx);
	}
	cmd_ledger_views_free(v, n);
	if (*count > 1)
		qsort(*rows, *count, sizeof(**rows), cmp_row);
	return 0;
}

/* 0 when `status` is one list knows, else the usage error (said). */
static int check_status(accord_ctx *ctx, const char *status)
{
	static const char *const valid[] = { "investigating", "identified", "mitigated",
					     "resolved",      "closed",	    "waiting",
					     "open",	      "void",	    "duplicate" };
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(*valid); i++)
		if (!strcmp(status, valid[i]))
			return 0;
	return cmd_usage_error(
		ctx,
		"unknown status '%s' (known: investigating, identified, mitigated, resolved, closed, waiting, open, void, duplicate)",
		status);
}

/* The --json object of a row. */
static cJSON *row_json(const list_row *lr)
{
	const accord_incident_summary *r = &lr->s;
	cJSON *o = cJSON_CreateObject();
	char t[ACCORD_TIME_LEN];

	accord_time_format(t, r->opened_at);
	if (lr->ledger)
		cJSON_AddStringToObject(o, "ledger", lr->ledger);
	cJSON_AddStringToObject(o, "id", lr->sid);
	cJSON_AddStringToObject(o, "full_id", r->id);
	cJSON_AddStringToObject(o, "title", r->title);
	cJSON_AddNumberToObject(o, "severity", (double)r->severity);
	cJSON_AddStringToObject(o, "service", r->service);
	cJSON_AddStringToObject(o, "status", r->status);
	/* every party agreed it is void, or a duplicate (of): it leaves the report */
	if (r->closed_as[0])
		cJSON_AddStringToObject(o, "closed_as", r->closed_as);
	else
		cJSON_AddNullToObject(o, "closed_as");
	cJSON_AddStringToObject(o, "opened_at", t);
	accord_time_format(t, r->started_at);
	cJSON_AddStringToObject(o, "started_at", t);
	cJSON_AddNumberToObject(o, "customer_minutes",
				accord_customer_minutes(r->customer_seconds));
	cJSON_AddBoolToObject(o, "customer_minutes_running", r->customer_running);
	/* each provider's computed clocks and their verdicts (docs/metrics.md, "Clocks") */
	if (lr->clocks)
		cJSON_AddItemToObject(o, "clocks", cJSON_Duplicate(lr->clocks, 1));
	else
		cJSON_AddNullToObject(o, "clocks");
	return o;
}

/* Print a row as a line of the table, after the table's header when `header`. */
static void print_row(const list_row *lr, int header, int across, size_t ledger_w)
{
	const accord_incident_summary *r = &lr->s;
	const char *sid = lr->sid, *status = r->closed_as[0] ? r->closed_as : r->status;
	char t[ACCORD_TIME_LEN], rel[32], opened[64];

	accord_time_format(t, r->opened_at);
	cmd_reltime(rel, sizeof(rel), r->opened_at);
	snprintf(opened, sizeof(opened), "%.10s %.5s (%s)", t, t + 11, rel);
	if (header) {
		printf("%s", cmd_sgr(SGR_BOLD));
		if (across)
			printf("%-*s  ", (int)ledger_w, "LEDGER");
		printf("%-*s  %-13s  %-4s  %-16s  %-27s  %s%s\n", (int)strlen(sid), "ID", "STATUS",
		       "SEV", "SERVICE", "OPENED", "TITLE", cmd_sgr(SGR_RESET));
	}
	if (across)
		printf("%-*s  ", (int)ledger_w, cmd_esc(lr->ledger, 0));
	printf("%s  %s%-13s%s  SEV%-1lld  %-16.16s  %-27s  %s\n", sid, cmd_status_color(status),
	       cmd_esc(status, 0), cmd_sgr(SGR_RESET), (long long)r->severity,
	       cmd_esc(r->service, 0), opened, cmd_esc(r->title, 0));
}

int cmd_list(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'n' },
		{ "all", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *status = NULL;
	list_row *rows = NULL;
	int64_t limit = 100;
	size_t i, count = 0, total = 0, start, failed_ledgers = 0, ledger_w = 6;
	int across;
	cJSON *arr = NULL;
	cmd_ledger_pick pick;
	int json = 0, quiet = 0, limit_given = 0, c, error;

	if ((argc = cmd_take_ledger_pick(&pick, ctx, argc, argv)) < 0)
		return ACCORD_EXIT_USAGE;
	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 's': status = optarg; break;
		case 'q': quiet = 1; break;
		case 'n':
			if (limit == 0)
				return cmd_usage_error(ctx, "--limit and --all exclude each other");
			if ((error = cmd_parse_int(ctx, &limit, "--limit", optarg, 1, 1000000000)))
				return error;
			limit_given = 1;
			break;
		case 'a': limit = 0; break;
		case 'j': json = 1; break;
		case 'h': fputs(list_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (json && quiet)
		return cmd_usage_error(ctx, "--json and --quiet exclude each other");
	if (limit_given && limit == 0)
		return cmd_usage_error(ctx, "--limit and --all exclude each other");
	if (status && (error = check_status(ctx, status)))
		return error;
	across = CMD_LEDGER_PICKED(&pick);
	if (across)
		error = gather_across(&rows, &count, &total, ctx, &pick, status, &failed_ledgers,
				      json);
	else
		error = gather(&rows, &count, &total, ctx, NULL, status, (size_t)limit, json);
	if (error < 0)
		return -error;
	/* across ledgers each was read whole: keep the most recent `limit` of them all */
	start = limit && count > (size_t)limit ? count - (size_t)limit : 0;
	for (i = start; across && i < count; i++)
		if (strlen(cmd_esc(rows[i].ledger, 0)) > ledger_w)
			ledger_w = strlen(cmd_esc(rows[i].ledger, 0));
	if (json)
		arr = cJSON_CreateArray();
	for (i = start; i < count; i++) {
		const list_row *lr = &rows[i];

		if (quiet) {
			if (lr->ledger)
				printf("%s\t%s\n", cmd_esc(lr->ledger, 0), lr->sid);
			else
				printf("%s\n", lr->sid);
		} else if (json)
			cJSON_AddItemToArray(arr, row_json(lr));
		else
			print_row(lr, i == start, across, ledger_w);
	}
	for (i = 0; i < count; i++) {
		free(rows[i].ledger);
		cJSON_Delete(rows[i].clocks);
	}
	free(rows);
	count -= start;
	if (limit == 1 && total > 1)
		fprintf(stderr,
			"accord: showing the most recent of %zu incidents (--all for every one)\n",
			total);
	else if (limit && total > (size_t)limit)
		fprintf(stderr,
			"accord: showing the %lld most recent of %zu incidents (--all for every one)\n",
			(long long)limit, total);
	if (json)
		error = cmd_print_json(arr);
	else if (!count && !quiet)
		cmd_warn("no incidents%s%s", status ? " with status " : "", status ? status : "");
	return error ? error : failed_ledgers ? ACCORD_EXIT_FAIL : 0;
}
