/*
 * accord: a shared-responsibility incident ledger.
 * The dispatcher: global options, the command table, exit codes.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct command {
	const char *name;
	int (*fn)(accord_ctx *, int, char **);
	const char *description;
	unsigned int setup; /* CMD_* flags: what cmd_setup() does for it, and CMD_READS */
};

/*
 * Commands whose loading depends on their arguments (log, report, list,
 * inbox and actions across ledgers, sync, audit) load what they need
 * themselves; the others declare it here, and groups per subcommand.
 */
static const struct command commands[] = {
	{ "key", cmd_key, "create, import, rotate or show your signing key", 0 },
	{ "init", cmd_init, "create a ledger in a git repository", CMD_NEEDS_KEY },
	{ "party", cmd_party, "invite, accept and list parties", CMD_READS },
	{ "member", cmd_member, "add, revoke and list member keys (one per device)", CMD_READS },
	{ "open", cmd_open, "open an incident", CMD_WRITES },
	{ "note", cmd_note, "add a note to an incident", CMD_WRITES },
	{ "status", cmd_status, "move an incident through its lifecycle", CMD_WRITES },
	{ "impact", cmd_impact, "record a window of customer impact", CMD_WRITES },
	{ "sla", cmd_sla, "record an SLA measurement", CMD_WRITES },
	{ "feedback", cmd_feedback, "record how customers felt", CMD_WRITES },
	{ "involve", cmd_involve, "involve another party in an incident", CMD_WRITES },
	{ "resolve", cmd_resolve, "propose a resolution (or a revision)", CMD_WRITES },
	{ "cosign", cmd_cosign,
	  "co-sign a proposal: a resolution, a figure, a void or duplicate, an agreement",
	  CMD_WRITES_ENTRIES },
	{ "agreement", cmd_agreement,
	  "propose and list agreed terms (SLA and XLA) between two parties", CMD_READS },
	{ "ticket", cmd_ticket, "name an involved party's ticket for an incident", CMD_WRITES },
	{ "amend", cmd_amend, "correct an incident's severity, title or service",
	  CMD_WRITES_ENTRIES },
	{ "retract", cmd_retract, "retract one of your own entries, for the record",
	  CMD_WRITES_ENTRIES },
	{ "dispute", cmd_dispute, "dispute the time another party signed on a clock event",
	  CMD_WRITES_ENTRIES },
	{ "void", cmd_void, "propose that an incident never was one", CMD_WRITES_ENTRIES },
	{ "duplicate", cmd_duplicate, "propose that an incident duplicates another",
	  CMD_WRITES_ENTRIES },
	{ "recover", cmd_recover,
	  "re-record an old key's entries that no longer count under your key",
	  CMD_WRITES_ENTRIES },
	{ "action", cmd_action, "mark an action item done, not-doing or reopen it, or assign it",
	  CMD_WRITES },
	{ "actions", cmd_actions, "list action items across incidents (--party, --overdue)",
	  CMD_READS },
	{ "inbox", cmd_inbox, "what waits on your party, most urgent first", CMD_READS },
	{ "show", cmd_show, "show one incident", CMD_READS | CMD_NEEDS_LEDGER },
	{ "list", cmd_list, "list incidents", CMD_READS },
	{ "log", cmd_log, "show entries in ledger order", CMD_READS },
	{ "export", cmd_export, "print every entry exactly as stored",
	  CMD_READS | CMD_NEEDS_ENTRIES },
	{ "report", cmd_report, "joint outcomes and customer impact, in numbers", CMD_READS },
	{ "clone", cmd_clone, "get a ledger from another party or a hub, verified", 0 },
	{ "remote", cmd_remote, "add or list the git remotes to sync with", 0 },
	{ "sync", cmd_sync, "exchange entries with remotes: verify, fast-forward, push", 0 },
	{ "audit", cmd_audit, "verify the whole history and report every finding", 0 },
	{ "allowed-signers", cmd_allowed_signers, "print an allowed_signers file for git",
	  CMD_READS | CMD_NEEDS_LEDGER },
	{ "ledgers", cmd_ledgers,
	  "keep a list of your ledgers, one per relationship, to view together", 0 },
	{ "hook", cmd_hook, "server-side hooks for a hub (pre-receive)", 0 },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: accord [-C DIR] [--home DIR] COMMAND [options]\n"
		     "       accord --help | --version | COMMAND --help | help [COMMAND]\n\n"
		     "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-16s %s\n", commands[i].name, commands[i].description);
	fprintf(out,
		"\nExit codes: 0 success, 1 failure, 2 usage error, 3 verification failed.\n"
		"Ledger: -C DIR, else $ACCORD_DIR, else the git repository around the current directory.\n"
		"Keys: --home DIR, else $ACCORD_HOME, else ${XDG_CONFIG_HOME:-$HOME/.config}/accord.\n");
}

/* Edit distance with adjacent transpositions (optimal string alignment), for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[64][64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			/* "stauts" is one slip of the fingers from "status", not two */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

static int unknown_command(const char *name)
{
	size_t i, best = 99;
	const char *guess = NULL;

	for (i = 0; i < NCOMMANDS; i++) {
		size_t d = edit_distance(name, commands[i].name);

		if (d < best) {
			best = d;
			guess = commands[i].name;
		}
	}
	cmd_warn("'%s' is not an accord command. See 'accord --help'.", name);
	if (guess && best <= 2)
		fprintf(stderr, "\nThe most similar command is\n\t%s\n", guess);
	return ACCORD_EXIT_USAGE;
}

/*
 * --strict means the same for every reading command (exit 3 when the
 * engine left entries out), so the dispatcher takes it out of the
 * command's arguments before the command parses them.
 */
static int take_strict(accord_ctx *ctx, int argc, char **argv, int from)
{
	int i, j;

	for (i = j = from; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[j++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--strict"))
			ctx->strict = 1;
		else
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	return j;
}

int main(int argc, char **argv)
{
	accord_ctx ctx = { 0 };
	int i = 1, code;
	size_t c;

	/*
	 * A cut connection must be an error libgit2 reports (naming the remote),
	 * not a silent death by SIGPIPE in the middle of a push.
	 */
	signal(SIGPIPE, SIG_IGN);
	ctx.dir = getenv("ACCORD_DIR");
	if (ctx.dir && !*ctx.dir)
		ctx.dir = NULL;
	/* Global options come before the command, as with git. */
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return cmd_finish(0);
		} else if (!strcmp(a, "--version")) {
			printf("accord %s\n", ACCORD_VERSION);
			return cmd_finish(0);
		} else if (!strcmp(a, "-C") || !strcmp(a, "--home")) {
			if (i + 1 >= argc || !*argv[i + 1]) {
				fprintf(stderr, "accord: %s needs a directory\n", a);
				return ACCORD_EXIT_USAGE;
			}
			if (a[1] == 'C')
				ctx.dir = argv[i + 1];
			else
				ctx.home = argv[i + 1];
			i += 2;
		} else if (!strncmp(a, "--home=", 7) && a[7]) {
			ctx.home = a + 7;
			i++;
		} else {
			cmd_warn("unknown option %s", a);
			usage(stderr);
			return ACCORD_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return ACCORD_EXIT_USAGE;
	}
	/* "accord help [COMMAND]", as git has it: the list, or that command's own --help */
	if (!strcmp(argv[i], "help")) {
		if (i + 1 >= argc) {
			usage(stdout);
			return cmd_finish(0);
		}
		argv[i] = argv[i + 1];
		argv[i + 1] = (char *)"--help";
	}
	for (c = 0; c < NCOMMANDS; c++)
		if (!strcmp(argv[i], commands[c].name))
			break;
	if (c == NCOMMANDS)
		return unknown_command(argv[i]);
	/* $ACCORD_NOW fixes "now" for demos and tests: a malformed one must not be ignored silently. */
	if (getenv("ACCORD_NOW") && *getenv("ACCORD_NOW")) {
		int64_t t;

		if (accord_time_parse(&t, getenv("ACCORD_NOW")) < 0) {
			cmd_warn("ACCORD_NOW: %s", accord_error_last());
			return ACCORD_EXIT_USAGE;
		}
		accord_time_set_now(&t);
	}
	if (accord_init() < 0) {
		cmd_warn("%s", accord_error_last());
		return ACCORD_EXIT_FAIL;
	}
	ctx.command = commands[c].name;
	ctx.setup = commands[c].setup;
	if (commands[c].setup & CMD_READS)
		argc = take_strict(&ctx, argc, argv, i + 1);
	optind = 0; /* GNU getopt: re-initialise for the command's own argv */
	code = commands[c].fn(&ctx, argc - i, argv + i);
	if (code == 0 && ctx.strict && ctx.ledger && accord_ledger_left_out(ctx.ledger)) {
		fprintf(stderr, "accord: --strict: %zu entr%s left out\n",
			accord_ledger_left_out(ctx.ledger),
			accord_ledger_left_out(ctx.ledger) == 1 ? "y was" : "ies were");
		code = ACCORD_EXIT_VERIFY;
	}
	cmd_ctx_release(&ctx);
	accord_shutdown();
	return cmd_finish(code);
}
