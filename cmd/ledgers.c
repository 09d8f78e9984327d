/*
 * accord ledgers add | list | remove: the user's list of ledgers (one per
 * relationship, since every party of a ledger reads all of it), kept in
 * the key home, never in a ledger; and the cross-ledger views' way of
 * opening the ledgers it names (--all-ledgers, --ledger NAME).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char ledgers_usage[] =
	"usage: accord ledgers add PATH [--name NAME]\n"
	"       accord ledgers list [--json]\n"
	"       accord ledgers remove NAME\n\n"
	"Every party of a ledger reads all of it: keep a ledger per relationship\n"
	"(acme with globex, acme with initech) and list them here to see them\n"
	"together: accord list, report and sync take --all-ledgers, or --ledger NAME\n"
	"(repeatable). The list lives in the key home (ledgers.json, 0600), never in\n"
	"a ledger: nothing about one ledger is written into another.\n\n"
	"  add     list the ledger in the repository at PATH (kept as an absolute\n"
	"          path), named NAME, else by its title (accord init --title)\n"
	"  list    the listed ledgers: name, ledger id, path\n"
	"  remove  drop NAME from the list (the ledger itself is left as it is)\n\n"
	"Names: letters, digits, '.', '_' and '-', starting with a letter or digit.\n";

static int home_of(char **out, accord_ctx *ctx)
{
	int error = cmd_key_home(out, ctx);

	return error < 0 ? cmd_fail(error) : 0;
}

int cmd_ledgers_load(accord_ledgers **out, accord_ctx *ctx)
{
	char *home = NULL;
	int error;

	if ((error = home_of(&home, ctx)) != 0)
		return error;
	error = accord_ledgers_load(out, home);
	free(home);
	return error < 0 ? cmd_fail(error) : 0;
}

static int save(accord_ctx *ctx, const accord_ledgers *list)
{
	char *home = NULL;
	int error;

	if ((error = home_of(&home, ctx)) != 0)
		return error;
	error = accord_ledgers_save(list, home);
	free(home);
	return error < 0 ? cmd_fail(error) : 0;
}

static int ledgers_add(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_store *store = NULL;
	accord_ledger *ledger = NULL;
	accord_ledgers *list = NULL;
	accord_ledger_options lo = ACCORD_LEDGER_OPTIONS_INIT;
	const char *name = NULL, *given;
	char abs[PATH_MAX];
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'h': fputs(ledgers_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected the path of one ledger");
	given = argv[optind];
	if (name && !cmd_valid_name(name))
		return cmd_usage_error(ctx,
				       "invalid ledger name '%s' (letters, digits, '.', '_', '-', "
				       "starting with a letter or digit, at most 64)",
				       name);
	if (!realpath(given, abs))
		return cmd_usage_error(ctx, "%s is not an accord ledger: %s", given,
				       strerror(errno));
	/* a path is listed only once it holds a ledger that verifies: the views open it as it is */
	if (accord_store_open(&store, abs) < 0 ||
	    (error = accord_ledger_open(&ledger, store, &lo)) < 0) {
		error = cmd_usage_error(ctx, "%s is not an accord ledger: %s", given,
					accord_error_last());
		goto done;
	}
	if (!name) {
		name = accord_ledger_title(ledger);
		if (!cmd_valid_name(name)) {
			error = cmd_usage_error(
				ctx,
				"the ledger's title '%s' is not a valid name (letters, digits, "
				"'.', '_', '-'): give one with --name",
				name);
			goto done;
		}
	}
	if ((error = cmd_ledgers_load(&list, ctx)) != 0)
		goto done;
	if ((error = accord_ledgers_add(list, name, abs, accord_ledger_id(ledger))) < 0) {
		error = cmd_usage_error(ctx, "%s", accord_error_last());
		goto done;
	}
	if ((error = save(ctx, list)) == 0)
		printf("%s\t%.12s\t%s\n", cmd_esc(name, 0), accord_ledger_id(ledger),
		       cmd_esc(abs, 0));
done:
	accord_ledgers_free(list);
	accord_ledger_free(ledger);
	accord_store_free(store);
	return error;
}

static int ledgers_list(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_ledgers *list = NULL;
	cJSON *arr = NULL;
	int c, json = 0, error;
	size_t i;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': fputs(ledgers_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_ledgers_load(&list, ctx)) != 0)
		return error;
	if (json)
		arr = cJSON_CreateArray();
	for (i = 0; i < list->count; i++) {
		const accord_ledgers_item *it = &list->items[i];

		if (json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "name", it->name);
			cJSON_AddStringToObject(o, "ledger", it->id);
			cJSON_AddStringToObject(o, "path", it->path);
			cJSON_AddItemToArray(arr, o);
		} else {
			printf("%s\t%.12s\t%s\n", cmd_esc(it->name, 0), it->id,
			       cmd_esc(it->path, 0));
		}
	}
	if (!json && !list->count)
		cmd_warn("no ledgers listed (accord ledgers add PATH)");
	accord_ledgers_free(list);
	return json ? cmd_print_json(arr) : 0;
}

static int ledgers_remove(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_ledgers *list = NULL;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'h': fputs(ledgers_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one ledger name");
	if ((error = cmd_ledgers_load(&list, ctx)) != 0)
		return error;
	if (accord_ledgers_remove(list, argv[optind]) < 0)
		error = cmd_no_such_ledger(ctx, list, argv[optind]);
	else
		error = save(ctx, list);
	accord_ledgers_free(list);
	return error;
}

int cmd_ledgers(accord_ctx *ctx, int argc, char **argv)
{
	static const struct cmd_sub subs[] = {
		{ "add", ledgers_add, 0 },
		{ "list", ledgers_list, 0 },
		{ "remove", ledgers_remove, 0 },
		{ NULL, NULL, 0 },
	};

	return cmd_dispatch(ctx, argc, argv, "ledgers", ledgers_usage, subs);
}

int cmd_no_such_ledger(accord_ctx *ctx, const accord_ledgers *list, const char *name)
{
	accord_buf known = ACCORD_BUF_INIT;
	size_t i;
	int code;

	for (i = 0; i < list->count; i++)
		accord_buf_printf(&known, "%s%s", i ? ", " : "", list->items[i].name);
	code = cmd_usage_error(ctx, "no ledger named '%s' is listed (listed: %s)", name,
			       known.ptr ? known.ptr : "none; accord ledgers add PATH");
	accord_buf_dispose(&known);
	return code;
}

int cmd_ledgers_pick(cmd_ledger_view **out, size_t *count, accord_ctx *ctx,
		     const cmd_ledger_pick *pick)
{
	accord_ledgers *list = NULL;
	cmd_ledger_view *v = NULL;
	size_t i, j, n = 0;
	int error;

	if ((error = cmd_ledgers_load(&list, ctx)) != 0)
		return error;
	if (!list->count) {
		accord_ledgers_free(list);
		return cmd_usage_error(
			ctx, "no ledgers listed: add them with 'accord ledgers add PATH'");
	}
	for (i = 0; i < pick->name_count; i++)
		if (!accord_ledgers_find(list, pick->names[i])) {
			error = cmd_no_such_ledger(ctx, list, pick->names[i]);
			accord_ledgers_free(list);
			return error;
		}
	if (!(v = calloc(list->count, sizeof(*v))))
		accord_oom();
	/* in the list's order, each once, whatever order and repeats --ledger came in */
	for (i = 0; i < list->count; i++) {
		int wanted = pick->all;

		for (j = 0; j < pick->name_count && !wanted; j++)
			wanted = !strcmp(pick->names[j], list->items[i].name);
		if (!wanted)
			continue;
		v[n].name = strdup(list->items[i].name);
		v[n].path = strdup(list->items[i].path);
		if (!v[n].name || !v[n].path)
			accord_oom();
		memcpy(v[n].id, list->items[i].id, sizeof(v[n].id));
		n++;
	}
	accord_ledgers_free(list);
	*out = v;
	*count = n;
	return 0;
}

int cmd_ledger_view_open(cmd_ledger_view *v, accord_ctx *ctx, int what)
{
	int error;

	v->ctx.dir = v->path;
	v->ctx.home = ctx->home;
	v->ctx.command = ctx->command;
	v->ctx.label = v->name;
	error = what == CMD_VIEW_FIELDS ? cmd_load_fields(&v->ctx, 0)
					: cmd_load_incidents(&v->ctx, 0);
	if (error != 0)
		return error;
	/* the path may have come to hold another ledger since it was listed */
	if (strcmp(accord_ledger_id(v->ctx.ledger), v->id) != 0)
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "ledger %s: %s now holds ledger %.12s, not the listed %.12s "
				 "(accord ledgers remove %s, then add it again)",
				 v->name, v->path, accord_ledger_id(v->ctx.ledger), v->id, v->name);
	return 0;
}

void cmd_ledger_views_free(cmd_ledger_view *v, size_t count)
{
	size_t i;

	for (i = 0; v && i < count; i++) {
		cmd_ctx_release(&v[i].ctx);
		free(v[i].name);
		free(v[i].path);
	}
	free(v);
}
