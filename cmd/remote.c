/* accord remote: the git remotes sync exchanges the ledger with. */
#include <stdlib.h>
#include <string.h>

#include "accord/sync.h"

#include "cmd.h"

static const char remote_usage[] =
	"usage: accord remote add NAME URL\n"
	"       accord remote list [--json]\n\n"
	"Remotes are plain git remotes (git remote add works too). accord remote add\n"
	"gives the remote a fetch refspec into refs/quarantine/NAME/, so a plain\n"
	"git fetch never writes the ledger's refs.\n";

static int remote_list(accord_ctx *ctx, int json)
{
	git_strarray names = { NULL, 0 };
	cJSON *doc = json ? cJSON_CreateArray() : NULL;
	size_t i;
	int error;

	if ((error = accord_sync_remote_list(&names, ctx->store)) < 0) {
		cJSON_Delete(doc);
		return cmd_fail(error);
	}
	for (i = 0; i < names.count; i++) {
		char *url = NULL, *pushurl = NULL;

		if (accord_sync_remote_url(&url, &pushurl, ctx->store, names.strings[i]) < 0)
			continue;
		if (json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "name", names.strings[i]);
			cJSON_AddStringToObject(o, "url", url);
			if (pushurl)
				cJSON_AddStringToObject(o, "pushurl", pushurl);
			cJSON_AddItemToArray(doc, o);
		} else {
			printf("%s\t%s\n", cmd_esc(names.strings[i], 0), cmd_esc(url, 0));
		}
		free(url);
		free(pushurl);
	}
	git_strarray_dispose(&names);
	return json ? cmd_print_json(doc) : 0;
}

int cmd_remote(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0, error;
	const char *sub;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': fputs(remote_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cmd_usage_error(ctx, "remote needs add or list");
	sub = argv[optind];
	if (!strcmp(sub, "list")) {
		if (argc - optind != 1)
			return cmd_usage_error(ctx, "remote list takes no arguments");
		if ((error = cmd_open_store(ctx)) != 0)
			return error;
		return remote_list(ctx, json);
	}
	if (!strcmp(sub, "add")) {
		if (argc - optind != 3 || json)
			return cmd_usage_error(ctx, "usage: accord remote add NAME URL");
		if ((error = cmd_open_store(ctx)) != 0)
			return error;
		/* kept as given, as git remote add does: git resolves a relative path in the repository */
		error = accord_sync_remote_add(ctx->store, argv[optind + 1], argv[optind + 2]);
		if (error == ACCORD_EINVALID)
			return cmd_usage_error(ctx, "%s", accord_error_last());
		return error < 0 ? cmd_fail(error) : 0;
	}
	return cmd_usage_error(ctx, "unknown remote command '%s'", sub);
}
