/* accord init: found a ledger in a git repository (new or existing). */
#include <string.h>

#include "cmd.h"

static const char init_usage[] =
	"usage: accord init --party NAME [--title TEXT] [--recovery DIR] [DIR]\n\n"
	"Create (or adopt) a git repository as a ledger: DIR, else -C DIR or\n"
	"$ACCORD_DIR, else the repository around the current directory, else a new\n"
	"one here. Writes the genesis entry signed by your key, which becomes party\n"
	"NAME's root key, and prints the ledger id. Only refs/accord/ is used:\n"
	"branches, index and working tree are left alone.\n\n"
	"The genesis commits to party NAME's recovery key: the key in --recovery DIR,\n"
	"else <key home>/recovery, made there if missing. Keep it offline: it alone\n"
	"can replace the party's root key if that key is lost, stolen or forked.\n";

int cmd_init(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "party", required_argument, NULL, 'p' },
		{ "title", required_argument, NULL, 't' },
		{ "recovery", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *party = NULL, *title = "", *dir, *recovery = NULL;
	char id[ACCORD_ID_HEXLEN + 1];
	cmd_recovery rc;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'p': party = optarg; break;
		case 't': title = optarg; break;
		case 'r': recovery = optarg; break;
		case 'h': fputs(init_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (!party)
		return cmd_usage_error(ctx, "--party NAME is required");
	if (!cmd_valid_name(party))
		return cmd_usage_error(
			ctx, "invalid party name '%s': use letters, digits, '.', '_' and '-'",
			party);
	if (optind + 1 < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind + 1]);
	if (*title && (error = cmd_check_text(ctx, "--title", title, 0)) != 0)
		return error;
	dir = optind < argc ? argv[optind] : ctx->dir;
	if ((error = cmd_setup(ctx)) != 0)
		return error;
	if (dir)
		error = accord_store_open_or_init(&ctx->store, dir);
	else if ((error = accord_store_open(&ctx->store, NULL)) == ACCORD_ENOTFOUND)
		error = accord_store_open_or_init(&ctx->store, ".");
	if (error < 0)
		return cmd_fail(error);
	if ((error = accord_store_lock(ctx->store)) < 0)
		return cmd_fail(error);
	if ((error = cmd_recovery_commit(ctx, recovery, &rc)) != 0)
		return error;
	if ((error = accord_ledger_create(id, ctx->store, ctx->key, party, title, rc.hash)) < 0)
		return cmd_recovery_end(&rc, party,
					cmd_exit_code(error) == ACCORD_EXIT_USAGE
						? cmd_usage_error(ctx, "%s", accord_error_last())
						: cmd_fail(error));
	cmd_recovery_end(&rc, party, 0);
	printf("%s\n", id);
	return 0;
}
