/* accord allowed-signers: let stock git verify every ledger commit. */
#include <string.h>

#include "cmd.h"

static const char signers_usage[] =
	"usage: accord allowed-signers\n\n"
	"Print an allowed_signers file naming every member key of the ledger\n"
	"(principal member@party, namespaces=\"git\"), for\n"
	"  git -c gpg.ssh.allowedSignersFile=FILE verify-commit COMMIT\n"
	"  git -c gpg.ssh.allowedSignersFile=FILE log --show-signature refs/accord/feeds/...\n";

int cmd_allowed_signers(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_entry *g;
	accord_buf line = ACCORD_BUF_INIT;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		if (c == 'h') {
			fputs(signers_usage, stdout);
			return 0;
		}
		return ACCORD_EXIT_USAGE;
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_load(ctx, 0)))
		return error;
	g = ctx->ledger->genesis;
	accord_pubkey_to_openssh(&line, &g->author);
	printf("%s@%s namespaces=\"git\" %s\n", accord_entry_str(g, "member"),
	       accord_entry_str(g, "party"), line.ptr);
	accord_buf_dispose(&line);
	return 0;
}
