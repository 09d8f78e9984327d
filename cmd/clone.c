/* accord clone: a copy of a ledger, verified before it is taken. */
#include <stdlib.h>

#include <sodium.h>

#include "accord/sync.h"

#include "cmd.h"

static const char clone_usage[] =
	"usage: accord clone [--ledger ID] URL DIR\n\n"
	"Get a ledger from another party or a hub: fetch its refs/accord/, verify\n"
	"every entry (signatures, chains, schema, ledger id, authorization) and only\n"
	"then write it into a new repository at DIR, with URL as remote 'origin'.\n"
	"A clone that fails verification leaves nothing behind (exit 3).\n\n"
	"  --ledger ID  the ledger id you were given (party invite prints it): a\n"
	"               ledger with another genesis, however alike, is refused\n"
	"               (exit 3) and nothing is written. Without it, any ledger\n"
	"               that verifies is taken.\n"
	"URL: anything git fetch takes (a path, file://, git://, ssh://, host:path,\n"
	"https://): accord runs the system git, so ~/.ssh/config, ssh-agent,\n"
	"credential helpers and proxies work as they do for git.\n";

int cmd_clone(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ledger", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	accord_sync_result *res = NULL;
	char id[ACCORD_ID_HEXLEN + 1];
	unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN];
	size_t i, feeds;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'l':
			if (!cmd_valid_ledger_id(optarg))
				return cmd_usage_error(
					ctx,
					"--ledger takes a ledger id: 64 lowercase hex digits, as "
					"accord init and party invite print it");
			so.expect_ledger = optarg;
			break;
		case 'h': fputs(clone_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return cmd_usage_error(ctx, "clone needs URL and DIR");
	cmd_transport_setup(&so, 1);
	/* the copy keeps what the clone verified: its first command need not verify it again */
	if (cmd_cache_key(key, ctx))
		so.cache_key = key;
	error = accord_sync_clone(id, &res, argv[optind], argv[optind + 1], &so);
	sodium_memzero(key, sizeof(key));
	cmd_transport_flush();
	if (error < 0)
		return error == ACCORD_EINVALID
			       ? cmd_failf(ACCORD_EXIT_FAIL, "%s", accord_error_last())
			       : cmd_fail(error);
	printf("%s\n", id);
	/* A copy of a ledger with findings is still a copy: it says what it left out. */
	for (i = 0; res && i < res->refused_count; i++)
		cmd_warn("origin: left out%s%s: %s",
			 res->refused[i].head.keyid[0] ? " from feed " : "",
			 res->refused[i].head.keyid, res->refused[i].reason);
	/* a refused evidence ref of the remote's is no feed's (attack128 02) */
	for (i = 0, feeds = 0; res && i < res->refused_count; i++)
		feeds += res->refused[i].head.keyid[0] != '\0';
	if (feeds)
		cmd_warn("%zu feed%s with entries that do not count; run 'accord audit' in %s",
			 feeds, feeds == 1 ? "" : "s", argv[optind + 1]);
	accord_sync_result_free(res);
	return 0;
}
