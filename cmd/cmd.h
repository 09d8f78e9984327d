#ifndef ACCORD_CMD_H
#define ACCORD_CMD_H

/*
 * Shared set-up for the commands. Adding a command:
 *  1. write cmd/<command>.c with `int cmd_<name>(accord_ctx *, int, char **)`
 *     and its usage text;
 *  2. declare it below and add it to the table in cmd/main.c with the
 *     set-up it needs (CMD_* flags), and call cmd_setup() once its
 *     arguments are checked;
 *  3. document it in docs/accord.1 and tests/e2e/.
 * Commands return an exit code (ACCORD_EXIT_*), print results on stdout
 * and errors through cmd_fail() on stderr.
 */

#include <getopt.h>
#include <stdio.h>

#include <accord.h>

/* The library's own headers the front end shares (not installed: lib/util, lib/crypto, ...) */
#include "alloc.h" /* out of memory: the library's policy, accord_oom() */
#include "chain.h"
#include "encode.h"
#include "escape.h"
#include "file.h"
#include "json.h"
#include "process.h"
#include "schema.h"
#include "sigcache.h"

enum {
	ACCORD_EXIT_OK = 0,
	ACCORD_EXIT_FAIL = 1,	/* runtime failure: I/O, not found, refused */
	ACCORD_EXIT_USAGE = 2,	/* unknown command or option, bad value */
	ACCORD_EXIT_VERIFY = 3, /* signature, chain or schema verification failed */
};

typedef struct {
	const char *dir;  /* -C DIR, else $ACCORD_DIR, else NULL (discover) */
	const char *home; /* --home DIR, else NULL (cmd_key_home decides) */
	const char *command;
	accord_store *store;
	accord_ledger *ledger;
	accord_key *key;
	int strict;	    /* --strict on a reading command: exit 3 when entries were left out */
	const char *label;  /* the listed ledger's name in a cross-ledger view: messages name it */
	unsigned int setup; /* CMD_* flags of the command's table row: what cmd_setup() does */
} accord_ctx;

/*
 * The set-up a command needs, declared in its row of the command table
 * (cmd/main.c, or a group's struct cmd_sub) as git's RUN_SETUP: the
 * dispatcher puts them in ctx->setup, and cmd_setup() does that set-up,
 * the same way for every command. A command calls cmd_setup() once it has
 * checked its arguments, so that --help and usage errors never need a key
 * or a ledger, and come first.
 */
#define CMD_READS 0x01	       /* a reading command: takes --strict */
#define CMD_NEEDS_KEY 0x02     /* the signing key (cmd_load_key) */
#define CMD_NEEDS_LEDGER 0x04  /* the ledger, its incidents (cmd_load_incidents) */
#define CMD_NEEDS_ENTRIES 0x08 /* every entry with its bytes (cmd_load): export */
#define CMD_LOCK 0x10	       /* the ledger under the write lock */
#define CMD_NEEDS_FIELDS 0x20  /* every entry, fields and body, no bytes (cmd_load_fields) */
/*
 * A command that writes (key, incidents, lock); one that names entries of
 * the whole ledger, reading their fields and bodies, never their bytes.
 */
#define CMD_WRITES (CMD_NEEDS_KEY | CMD_NEEDS_LEDGER | CMD_LOCK)
#define CMD_WRITES_ENTRIES (CMD_NEEDS_KEY | CMD_NEEDS_FIELDS | CMD_LOCK)
/*
 * A write that changes who may sign (an admission, revocation, rotation,
 * invitation, accept or recovery): judged on the whole ledger, since the
 * index keeps no pending offers and no causal graph, and a state restored
 * from it let a second member-add of a pending key through (explore60a 02).
 */
#define CMD_WRITES_AUTHORITY CMD_WRITES_ENTRIES

/*
 * Do the set-up ctx->setup asks for: load the key, then open the ledger
 * (under the lock). Returns 0 or the exit code, after saying why.
 */
int cmd_setup(accord_ctx *ctx);

/* Free what a ctx opened (store, ledger, key) and forget it. */
void cmd_ctx_release(accord_ctx *ctx);

/*
 * After loading: if the engine left entries out, say so once on stderr
 * (how many, the first finding, and where to read more). Reading commands
 * still print what counts and exit 0, unless --strict.
 */
void cmd_notice_left_out(accord_ctx *ctx);

/*
 * `s` escaped for a terminal (accord_escape; `flags` ACCORD_ESCAPE_MULTILINE
 * keeps newlines and tabs). The result lives in one of a few rotating
 * buffers: valid until 16 more calls, enough for the arguments of one printf.
 */
const char *cmd_esc(const char *s, unsigned flags);
/*
 * Multi-line free text for a labelled layout: escaped, and every line after
 * the first starts with `indent` spaces and "| ", so no line of someone's
 * text can pass for a label of ours ("signed by", "status"). Rotating
 * buffers, as cmd_esc.
 */
const char *cmd_esc_block(const char *s, int indent);
/* Print "accord: <formatted message>" on stderr, escaped (accord_escape) onto one line. */
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "accord: <message>" on stderr and return the exit code for `error`. */
int cmd_fail(int error);
/* Print "accord: <formatted message>" and return `code`. */
int cmd_failf(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A usage error: the message, then "try 'accord CMD --help'", exit 2. */
int cmd_usage_error(accord_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Map a library error code to an exit code. */
int cmd_exit_code(int error);

/*
 * getopt_long for a command: returns the option, -1 at the end, or '?' after
 * printing a usage error (the caller returns ACCORD_EXIT_USAGE). "--help"
 * should be in every table as 'h'.
 */
int cmd_getopt(accord_ctx *ctx, int argc, char **argv, const struct option *longopts);

/* Open the ledger's repository (ctx->store). */
int cmd_open_store(accord_ctx *ctx);
/*
 * Open the verified ledger (ctx->store, ctx->ledger) holding every entry
 * that counts (log, export, report). With `lock`, take the write lock first.
 */
int cmd_load(accord_ctx *ctx, int lock);
/* The same, entries without their bytes (every field and body kept): for report. */
int cmd_load_fields(accord_ctx *ctx, int lock);
/*
 * The same, holding only the entries of the incidents found with
 * cmd_find_incident, so that the cost need not grow with the ledger. For
 * commands that work on one incident, on the list of incidents or on
 * membership.
 */
int cmd_load_incidents(accord_ctx *ctx, int lock);

/*
 * Keep ctx->ledger, loaded in full and still current, as the index, so the
 * next command need not verify the ledger again. Failing costs that
 * command time, never a verdict: nothing is said.
 */
void cmd_save_index(accord_ctx *ctx);

/*
 * The user's cache key (index.key in the key home, made on first use) into
 * `out` (ACCORD_LEDGER_CACHE_KEY_LEN bytes): 1, or 0 when there is none
 * (no key home, a read-only one). The caller wipes it.
 */
int cmd_cache_key(unsigned char *out, accord_ctx *ctx);
/*
 * Give `store` the memo of checked commits of its repository, under the
 * cache key `key`: signatures checked once are not checked again (sync,
 * the index's catch-up, the hook's full verification).
 */
void cmd_keep_memo(accord_store *store, const unsigned char *key);
/*
 * The key home (accord_key_home): --home, else $ACCORD_HOME, else
 * ${XDG_CONFIG_HOME:-$HOME/.config}/accord. The caller frees *out.
 */
int cmd_key_home(char **out, accord_ctx *ctx);
/* Load the secret key from the key home (asks for a passphrase if needed). */
int cmd_load_key(accord_ctx *ctx);

/* A recovery key a command commits its party to. */
typedef struct {
	char hash[ACCORD_ID_HEXLEN + 1]; /* SHA-256 of its public key: what the entry names */
	char id[ACCORD_KEYID_HEXLEN + 1];
	char *dir;
} cmd_recovery;

/*
 * The recovery key a party commits to when it is founded, joins or
 * recovers: the key in `dir`, else in <key home>/recovery, made there
 * (0600, sealed with $ACCORD_PASSPHRASE if set) when there is none.
 * Nothing is said until cmd_recovery_end.
 */
int cmd_recovery_commit(accord_ctx *ctx, const char *dir, cmd_recovery *out);

/*
 * After the command's write (`error` its result, returned): only once it
 * is written, a note on stderr says the party commits to the key and to
 * move it offline; a refused command claims no commitment (attack125 01).
 */
int cmd_recovery_end(cmd_recovery *rc, const char *party, int error);

/* Read a passphrase: $ACCORD_PASSPHRASE, else the terminal without echo. NULL if neither. */
char *cmd_read_passphrase(const char *prompt, int confirm);
void cmd_free_passphrase(char *pass);

/* Resolve an incident id argument or fail with a message (returns exit code, 0 ok). */
int cmd_find_incident(const accord_entry **out, accord_ctx *ctx, const char *arg);

/* transport.c: git's output escaped on stderr, progress on a terminal (clone, sync). */
void cmd_transport_setup(accord_sync_options *so, int show_progress);
void cmd_transport_output(const char *remote, const char *data, size_t len, void *payload);
/* What git wrote and no newline ended yet. */
void cmd_transport_flush(void);

/* Shared by show, log and export (show.c). */
/* "alice@acme", or the key id of an author that is no member. */
void cmd_author_label(char *out, size_t len, accord_ctx *ctx, const accord_entry *e);
/* One line saying what an entry did, for log and the timeline. */
void cmd_entry_summary(accord_buf *out, const accord_entry *e);
/* Options --json and --help only: *json set, -1 after --help, the usage exit code on others. */
int cmd_parse_json_flag(accord_ctx *ctx, int argc, char **argv, const char *usage, int *json);

/* With the incident's state (cmd_prepare), a duplicate settled against the one it names. */
#define CMD_PREPARE_SETTLE 2

/*
 * The set-up of a command that writes on incident `arg`: cmd_setup() (the
 * key, the ledger under the write lock), then the incident (its open entry
 * in *open, when open is not NULL) and, when inc is not NULL, its derived
 * state.
 */
/*
 * Whether marking `inc` a duplicate of incident `of` loses what the report
 * counts for `party`, its customer-facing party (customer-minutes, feedback,
 * clocks): 0, or the exit code once it said what (cosign.c). `prop_id` is
 * the proposal co-signed, NULL for one being proposed.
 */
int cmd_duplicate_figures(accord_ctx *ctx, const accord_incident *inc, const char *of,
			  const char *party, const char *prop_id);

int cmd_prepare(accord_ctx *ctx, const char *arg, const accord_entry **open, accord_incident **inc,
		int flags);

/*
 * Parse the options of `opts`: --help prints `usage` and returns -1, an
 * option `take` refuses (or any, without it) returns the usage exit code.
 */
int cmd_options(accord_ctx *ctx, int argc, char **argv, const struct option *opts,
		const char *usage, int (*take)(int c, void *arg), void *arg);

/* The shown form of an incident id: its shortest unique prefix (at least 12). */
void cmd_short_id(char *out, size_t outlen, accord_ctx *ctx, const char *id);

/* Parse helpers that print a usage error on bad input (return 0 ok, else exit code). */
int cmd_parse_int(accord_ctx *ctx, int64_t *out, const char *what, const char *s, int64_t min,
		  int64_t max);
int cmd_parse_time(accord_ctx *ctx, int64_t *out, const char *what, const char *s);
int cmd_parse_duration(accord_ctx *ctx, int64_t *out, const char *what, const char *s);
/* Check a user-given text is valid UTF-8 without control characters (newlines allowed if `multiline`). */
int cmd_check_text(accord_ctx *ctx, const char *what, const char *s, int multiline);

/*
 * "there is no party 'NAME' in this ledger (known: a, b)" on stderr, exit 1:
 * every command that takes a party names the ones there are.
 */
int cmd_no_such_party(accord_ctx *ctx, const char *name);
/*
 * 0 if `name` is one party here; else prints the parties of that name (a
 * name conflict: concurrent invitations) and returns ACCORD_EXIT_USAGE.
 */
int cmd_party_ambiguous(accord_ctx *ctx, const char *name);

/* A checkpoint's body: the head of every feed of ctx->ledger. Free with cJSON_Delete. */
cJSON *cmd_heads_body(accord_ctx *ctx);

/* A party or member name: letters, digits, '.', '_', '-', starting alphanumeric, at most 64. */
int cmd_valid_name(const char *s);
/* A whole ledger id: 64 lowercase hex digits (no prefix: it pins a ledger). */
int cmd_valid_ledger_id(const char *s);

/* Colour: only on a terminal, never with NO_COLOR set (no-color.org). */
#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"
#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_YELLOW "\033[33m"
int cmd_color(void);
/* `code` when colour is on, else "". */
const char *cmd_sgr(const char *code);
const char *cmd_status_color(const char *status);
/* "3h ago", "2d ago", "in 5m", "just now" relative to now ($ACCORD_NOW honoured). */
void cmd_reltime(char *out, size_t len, int64_t t);

/* Print a cJSON document on stdout followed by a newline, and free it. */
int cmd_print_json(cJSON *doc);
/* Flush stdout and report write errors (as git does), returning the final exit code. */
int cmd_finish(int code);

/* Append to the ledger loaded under the lock; *out_id (65 bytes) gets the new entry's id. */
int cmd_append(accord_ctx *ctx, const char *type, const char *incident, cJSON *body, char *out_id);
/* cmd_append, then print the new entry's id (12 hex digits). Takes `body`. */
int cmd_write(accord_ctx *ctx, const char *type, const char *incident, cJSON *body);

/* A command group's subcommands ("key new", "party list", ...). */
struct cmd_sub {
	const char *name;
	int (*fn)(accord_ctx *, int, char **);
	unsigned int setup; /* CMD_* flags for cmd_setup(); 0: the group's */
};
/*
 * Run the subcommand named by argv[1] from `subs` (NULL-terminated), with
 * ctx->command set to "GROUP NAME" and its set-up flags in ctx->setup;
 * --help prints `usage`. Exit 2 for a missing or unknown subcommand.
 */
int cmd_dispatch(accord_ctx *ctx, int argc, char **argv, const char *group, const char *usage,
		 const struct cmd_sub *subs);

int cmd_key(accord_ctx *ctx, int argc, char **argv);
int cmd_agreement(accord_ctx *ctx, int argc, char **argv);
int cmd_init(accord_ctx *ctx, int argc, char **argv);
int cmd_open(accord_ctx *ctx, int argc, char **argv);
int cmd_note(accord_ctx *ctx, int argc, char **argv);
int cmd_status(accord_ctx *ctx, int argc, char **argv);
int cmd_impact(accord_ctx *ctx, int argc, char **argv);
int cmd_sla(accord_ctx *ctx, int argc, char **argv);
int cmd_feedback(accord_ctx *ctx, int argc, char **argv);
int cmd_show(accord_ctx *ctx, int argc, char **argv);
int cmd_list(accord_ctx *ctx, int argc, char **argv);
int cmd_log(accord_ctx *ctx, int argc, char **argv);
int cmd_export(accord_ctx *ctx, int argc, char **argv);
int cmd_allowed_signers(accord_ctx *ctx, int argc, char **argv);
int cmd_party(accord_ctx *ctx, int argc, char **argv);
int cmd_member(accord_ctx *ctx, int argc, char **argv);
int cmd_member_vouch(accord_ctx *ctx, int argc, char **argv); /* cmd/vouch.c */
int cmd_involve(accord_ctx *ctx, int argc, char **argv);
int cmd_resolve(accord_ctx *ctx, int argc, char **argv);
int cmd_cosign(accord_ctx *ctx, int argc, char **argv);
int cmd_recover(accord_ctx *ctx, int argc, char **argv);
int cmd_action(accord_ctx *ctx, int argc, char **argv);
int cmd_clone(accord_ctx *ctx, int argc, char **argv);
int cmd_remote(accord_ctx *ctx, int argc, char **argv);
int cmd_sync(accord_ctx *ctx, int argc, char **argv);
int cmd_hook(accord_ctx *ctx, int argc, char **argv);
int cmd_audit(accord_ctx *ctx, int argc, char **argv);
int cmd_report(accord_ctx *ctx, int argc, char **argv);
int cmd_ticket(accord_ctx *ctx, int argc, char **argv);
int cmd_amend(accord_ctx *ctx, int argc, char **argv);
int cmd_retract(accord_ctx *ctx, int argc, char **argv);
int cmd_dispute(accord_ctx *ctx, int argc, char **argv);
int cmd_void(accord_ctx *ctx, int argc, char **argv);
int cmd_duplicate(accord_ctx *ctx, int argc, char **argv);
int cmd_ledgers(accord_ctx *ctx, int argc, char **argv);
int cmd_inbox(accord_ctx *ctx, int argc, char **argv);
int cmd_actions(accord_ctx *ctx, int argc, char **argv);
/*
 * The party whose inbox a command shows: `given` (exit 1 naming the parties
 * if there is none such), else the party of the key in the key home, read
 * from its public half (no passphrase). The ledger must be loaded.
 */
int cmd_inbox_party(const char **out, accord_ctx *ctx, const char *given);

/*
 * Cross-ledger views (cmd/ledgers.c): list, report and sync with
 * --all-ledgers or --ledger NAME (repeatable) work on the ledgers of the
 * user's list, each opened in a ctx of its own, so that nothing read from
 * one is ever written into another.
 */
#define CMD_MAX_LEDGER_NAMES 32
typedef struct {
	int all;				 /* --all-ledgers */
	const char *names[CMD_MAX_LEDGER_NAMES]; /* --ledger NAME, as given (borrowed from argv) */
	size_t name_count;
} cmd_ledger_pick;

typedef struct {
	char *name, *path;
	char id[ACCORD_ID_HEXLEN + 1]; /* as listed */
	accord_ctx ctx;		       /* its own store and ledger, once opened */
} cmd_ledger_view;

/* The user's list of ledgers (accord_ledgers_load on the key home), or an exit code. */
int cmd_ledgers_load(accord_ledgers **out, accord_ctx *ctx);
/*
 * The listed ledgers `pick` names, in the list's order, not yet opened.
 * Exit 2 naming the listed ones for a name that is not listed, or when
 * none is listed. Free with cmd_ledger_views_free().
 */
int cmd_ledgers_pick(cmd_ledger_view **out, size_t *count, accord_ctx *ctx,
		     const cmd_ledger_pick *pick);
/* What cmd_ledger_view_open loads. */
enum {
	CMD_VIEW_INCIDENTS = 0, /* cmd_load_incidents */
	CMD_VIEW_FIELDS = 1,	/* cmd_load_fields: every entry, no bytes */
};
/*
 * Open one (as `what` says, CMD_VIEW_*) in v->ctx; exit 1 when its path
 * now holds another ledger than the one listed. Messages name the ledger.
 */
int cmd_ledger_view_open(cmd_ledger_view *v, accord_ctx *ctx, int what);
void cmd_ledger_views_free(cmd_ledger_view *v, size_t count);
/* "no ledger named 'NAME' is listed (listed: a, b)", exit 2. */
int cmd_no_such_ledger(accord_ctx *ctx, const accord_ledgers *list, const char *name);
/*
 * Take --all-ledgers and --ledger NAME (repeatable) out of argv (before the
 * command parses it): they mean the same for every command that has them.
 * Returns the new argc, or -1 after a usage error (--ledger with no name).
 */
int cmd_take_ledger_pick(cmd_ledger_pick *out, accord_ctx *ctx, int argc, char **argv);
/* Whether `pick` asks for a cross-ledger view. */
#define CMD_LEDGER_PICKED(p) ((p)->all || (p)->name_count > 0)

/*
 * The entry of the whole ledger (cmd_load) whose id starts with `prefix`,
 * among `types` (none: any type). Exit 1 when none, 2 when several (listed);
 * `what` names it in the message.
 */
int cmd_find_entry(const accord_entry **out, accord_ctx *ctx, const char *prefix,
		   const char *const *types, size_t type_count, const char *what);
/* The party of the signing key (borrowed), or exit 1 when it is no active member. */
int cmd_own_party(const char **out, accord_ctx *ctx);

#endif
