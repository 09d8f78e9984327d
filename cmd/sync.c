/* accord clone, remote and sync: exchange the ledger with other parties over git. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#include "accord/escape.h"
#include "accord/sync.h"
#include "accord/idmap.h"

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

static const char remote_usage[] =
	"usage: accord remote add NAME URL\n"
	"       accord remote list [--json]\n\n"
	"Remotes are plain git remotes (git remote add works too). accord remote add\n"
	"gives the remote a fetch refspec into refs/quarantine/NAME/, so a plain\n"
	"git fetch never writes the ledger's refs.\n";

static const char sync_usage[] =
	"usage: accord sync [--json] [--no-checkpoint] [REMOTE...]\n\n"
	"Exchange entries with each REMOTE (default: the remotes named by git config\n"
	"accord.remote, else every remote): fetch its\n"
	"refs/accord/ into refs/quarantine/REMOTE/, verify every incoming entry,\n"
	"fast-forward the feeds that pass, keep proof of equivocation under\n"
	"refs/accord/evidence/, push every feed the remote lacks or is behind on\n"
	"(only over the heads it verified there, in one atomic push; if the remote\n"
	"moved meanwhile, fetch, verify and push again, 3 rounds at most), and\n"
	"report feeds the remote rolled back. Then record a\n"
	"checkpoint of the verified heads with your key, if you are a member and\n"
	"something changed (--no-checkpoint: don't).\n\n"
	"Exit 0 when everything was exchanged, 3 when something was refused (the\n"
	"valid feeds are still taken), 1 when a remote could not be reached.\n";

/*
 * What git writes while it works (its progress, the remote's messages),
 * shown as git shows it: carriage returns and newlines pass, everything
 * else goes through accord's escaping, a line at a time so that a
 * character split between two reads is not mistaken for a bad byte.
 */
static accord_buf git_line = ACCORD_BUF_INIT;

static void git_output_flush(void)
{
	if (git_line.size)
		fputs(cmd_esc(git_line.ptr, ACCORD_ESCAPE_MULTILINE), stderr);
	accord_buf_clear(&git_line);
	fflush(stderr);
}

static void git_output(const char *remote, const char *data, size_t len, void *payload)
{
	size_t i;

	(void)remote;
	(void)payload;
	for (i = 0; i < len; i++) {
		if (data[i] == '\r' || data[i] == '\n') {
			git_output_flush();
			fputc(data[i], stderr);
		} else if (data[i] == '\0') {
			accord_buf_puts(&git_line, "\\x00");
		} else {
			accord_buf_putc(&git_line, data[i]);
		}
	}
	fflush(stderr);
}

/* git runs with this process's environment; on a terminal it shows progress and may ask. */
static void transport_setup(accord_sync_options *so)
{
	so->transport.env = environ;
	so->transport.interactive = isatty(2);
	so->transport.output = git_output;
}

/* Progress on a terminal only: one line rewritten in place. */
static void progress(const char *remote, const char *what, size_t done, size_t total, void *payload)
{
	(void)payload;
	if (total)
		fprintf(stderr, "\r%s: %s %zu/%zu%s", remote, what, done, total,
			done == total ? "\n" : "");
	else
		fprintf(stderr, "\r%s: %s %zu", remote, what, done);
}

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
	size_t i;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'l':
			if (!cmd_valid_ledger_id(optarg))
				return cmd_usage_error(ctx, "--ledger takes a ledger id: 64 lowercase hex digits, as "
							    "accord init and party invite print it");
			so.expect_ledger = optarg;
			break;
		case 'h': fputs(clone_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return cmd_usage_error(ctx, "clone needs URL and DIR");
	transport_setup(&so);
	if (isatty(2))
		so.progress = progress;
	error = accord_sync_clone(id, &res, argv[optind], argv[optind + 1], &so);
	git_output_flush();
	if (error < 0)
		return error == ACCORD_EINVALID ? cmd_failf(ACCORD_EXIT_FAIL, "%s", accord_error_last())
						: cmd_fail(error);
	printf("%s\n", id);
	/* A copy of a ledger with findings is still a copy: it says what it left out. */
	for (i = 0; res && i < res->refused_count; i++)
		cmd_warn("origin: left out%s%s: %s", res->refused[i].head.keyid[0] ? " from feed " : "",
			 res->refused[i].head.keyid, res->refused[i].reason);
	if (res && res->refused_count)
		cmd_warn("%zu feed%s with entries that do not count; run 'accord audit' in %s",
			 res->refused_count, res->refused_count == 1 ? "" : "s", argv[optind + 1]);
	accord_sync_result_free(res);
	return 0;
}

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

/*
 * The key for checkpoints: only when there is one and it is an active
 * member here, so that syncing never asks a non-member for a passphrase.
 */
static void load_checkpoint_key(accord_ctx *ctx)
{
	accord_pubkey pub;
	accord_ledger *l = NULL;
	const accord_member *m;
	char *home = NULL;
	int member;

	if (accord_key_home(&home, ctx->home) < 0)
		return;
	if (accord_key_load_public(&pub, home) < 0) {
		free(home);
		return;
	}
	free(home);
	if (accord_ledger_open(&l, ctx->store, NULL) < 0)
		return; /* the sync itself reports it */
	m = accord_parties_member(accord_ledger_parties(l), pub.id);
	member = m && !m->revoked;
	accord_ledger_free(l);
	if (member && cmd_load_key(ctx) != 0)
		fprintf(stderr, "accord: no checkpoint will be written\n");
}

static void report_text(const accord_sync_result *r)
{
	size_t i, entries = 0;

	for (i = 0; i < r->refused_count; i++) {
		const accord_sync_candidate *c = &r->refused[i];

		if (c->head.keyid[0])
			cmd_warn("%s: refused feed %s: %s", r->remote, c->head.keyid, c->reason);
		else
			cmd_warn("%s: %s", r->remote, c->reason);
	}
	for (i = 0; i < r->evidence_count; i++) {
		if (r->evidence[i].local[0])
			fprintf(stderr,
				"accord: %s: equivocation: key %s signed two different entries with sequence number %lld (%.12s here, %.12s there); both kept under %s%s/, neither taken\n",
				cmd_esc(r->remote, 0), r->evidence[i].feed, (long long)r->evidence[i].seq,
				r->evidence[i].local, r->evidence[i].remote, ACCORD_EVIDENCE_PREFIX,
				r->evidence[i].feed);
		else
			fprintf(stderr,
				"accord: %s: equivocation: took proof that key %s signed two different entries with sequence number %lld (%.12s, kept under %s%s/); its entries from there on do not count\n",
				cmd_esc(r->remote, 0), r->evidence[i].feed, (long long)r->evidence[i].seq,
				r->evidence[i].remote, ACCORD_EVIDENCE_PREFIX, r->evidence[i].feed);
	}
	for (i = 0; i < r->rollback_count; i++)
		fprintf(stderr,
			"accord: %s: rollback: feed %s moved backwards on the remote (last seen %.12s, now %s%.12s); ours is kept%s\n",
			cmd_esc(r->remote, 0), r->rollbacks[i].feed, r->rollbacks[i].seen,
			r->rollbacks[i].now[0] ? "" : "gone", r->rollbacks[i].now,
			r->error ? "" : " and pushed back");
	if (r->error)
		cmd_warn("%s: %s", r->remote, r->error);
	for (i = 0; i < r->accepted_count; i++)
		entries += (size_t)(r->accepted[i].to - r->accepted[i].from);
	if (!r->error && entries == 0 && r->pushed_count == 0 && !r->checkpoint[0])
		printf("%s: up to date\n", cmd_esc(r->remote, 0));
	else if (!r->error || entries)
		printf("%s: took %zu %s in %zu %s, pushed %zu %s%s%.12s\n", cmd_esc(r->remote, 0), entries,
		       accord_plural((long long)entries, "entry", "entries"), r->accepted_count,
		       accord_plural((long long)r->accepted_count, "feed", "feeds"), r->pushed_count,
		       accord_plural((long long)r->pushed_count, "ref", "refs"),
		       r->checkpoint[0] ? ", checkpoint " : "", r->checkpoint);
}

/* Keep what a sync took, to find the incidents it touched. */
static void keep_accepted(accord_sync_accepted **all, size_t *n, const accord_sync_result *r)
{
	size_t i;

	for (i = 0; i < r->accepted_count; i++) {
		accord_sync_accepted *grown = realloc(*all, (*n + 1) * sizeof(**all));

		if (!grown)
			abort();
		*all = grown;
		(*all)[(*n)++] = r->accepted[i];
	}
}

static int was_taken(const accord_sync_accepted *all, size_t n, const accord_entry *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(all[i].feed, e->author.id) && e->seq > all[i].from && e->seq <= all[i].to)
			return 1;
	return 0;
}

/*
 * The conflicts of the incidents the entries taken touched: concurrent
 * writes meet on sync, so that is where they are said ("1 conflict: status
 * of 3f2a: mitigated by globex, identified by acme"). Into `arr` with
 * --json, else on stdout. Nothing taken, nothing said.
 */
static int report_conflicts(accord_ctx *ctx, const accord_sync_accepted *all, size_t n, cJSON *arr)
{
	accord_idmap seen = ACCORD_IDMAP_INIT;
	char **lines = NULL;
	size_t count = 0, i;
	int error = 0;

	if (n == 0 || cmd_load(ctx, 0) != 0)
		return 0; /* the sync itself said what failed */
	for (i = 0; i < accord_ledger_entry_count(ctx->ledger) && error == 0; i++) {
		const accord_entry *e = accord_ledger_entry_at(ctx->ledger, i), *open;
		accord_incident *inc = NULL;
		char sid[ACCORD_ID_HEXLEN + 1];
		size_t j;

		if (!e->incident[0] || !was_taken(all, n, e) || accord_idmap_get(&seen, e->incident))
			continue;
		accord_idmap_put(&seen, e->incident, (void *)e->incident);
		if (!(open = accord_ledger_entry(ctx->ledger, e->incident)) ||
		    (error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
			continue;
		cmd_short_id(sid, sizeof(sid), ctx, inc->id);
		for (j = 0; j < inc->conflict_count; j++) {
			accord_buf line = ACCORD_BUF_INIT;
			char **grown = realloc(lines, (count + 1) * sizeof(*lines));

			if (!grown)
				abort();
			lines = grown;
			accord_conflict_describe(&line, &inc->conflicts[j], accord_ledger_parties(ctx->ledger), sid);
			lines[count++] = accord_buf_detach(&line);
		}
		accord_incident_free(inc);
	}
	accord_idmap_dispose(&seen);
	if (!arr && count > 1)
		printf("%zu conflicts:\n", count);
	for (i = 0; i < count; i++) {
		if (arr)
			cJSON_AddItemToArray(arr, cJSON_CreateString(lines[i]));
		else
			printf("%s%s\n", count == 1 ? "1 conflict: " : "  ", cmd_esc(lines[i], 0));
	}
	for (i = 0; i < count; i++)
		free(lines[i]);
	free(lines);
	return error < 0 ? cmd_fail(error) : 0;
}

int cmd_sync(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-checkpoint", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	char *configured = NULL;
	git_strarray names = { NULL, 0 };
	cJSON *doc = NULL, *list = NULL;
	accord_sync_accepted *taken = NULL;
	size_t ntaken = 0;
	int c, json = 0, checkpoint = 1, error, verify_failed = 0, failed = 0;
	size_t i, n;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'n': checkpoint = 0; break;
		case 'h': fputs(sync_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if ((error = cmd_open_store(ctx)) != 0)
		return error;
	if (optind < argc) {
		names.count = (size_t)(argc - optind);
		names.strings = argv + optind;
	} else if (accord_store_config_get(&configured, ctx->store, "accord.remote") == 0 && *configured) {
		/* git config accord.remote: the default remotes, separated by spaces or commas */
		char *tok, *save = NULL;

		for (tok = strtok_r(configured, " ,\t", &save); tok; tok = strtok_r(NULL, " ,\t", &save)) {
			char **grown = realloc(names.strings, (names.count + 1) * sizeof(char *));

			if (!grown || !(grown[names.count] = strdup(tok)))
				abort();
			names.strings = grown;
			names.count++;
		}
		if (names.count == 0) {
			free(configured);
			return cmd_failf(ACCORD_EXIT_FAIL, "git config accord.remote names no remote");
		}
	} else {
		if ((error = accord_sync_remote_list(&names, ctx->store)) < 0)
			return cmd_fail(error);
		if (names.count == 0) {
			git_strarray_dispose(&names);
			return cmd_failf(ACCORD_EXIT_FAIL, "no remotes to sync with (accord remote add NAME URL)");
		}
	}
	if (checkpoint)
		load_checkpoint_key(ctx);
	so.key = ctx->key;
	transport_setup(&so);
	if (isatty(2) && !json)
		so.progress = progress;
	if (json) {
		doc = cJSON_CreateObject();
		list = cJSON_AddArrayToObject(doc, "remotes");
	}
	n = names.count;
	for (i = 0; i < n; i++) {
		accord_sync_result *r = NULL;

		error = accord_sync_remote(&r, ctx->store, names.strings[i], &so);
		git_output_flush();
		if (error == ACCORD_EBADSIG)
			verify_failed = 1;
		else if (error < 0)
			failed = 1;
		if (!r)
			continue;
		keep_accepted(&taken, &ntaken, r);
		if (json) {
			/* The document carries everything; a failure is also said on stderr. */
			cJSON_AddItemToArray(list, accord_sync_result_json(r));
			if (r->error)
				cmd_warn("%s: %s", r->remote, r->error);
		} else
			report_text(r);
		accord_sync_result_free(r);
	}
	if (optind >= argc)
		git_strarray_dispose(&names);
	free(configured);
	error = report_conflicts(ctx, taken, ntaken, json ? cJSON_AddArrayToObject(doc, "conflicts") : NULL);
	free(taken);
	if (json)
		cmd_print_json(doc);
	if (error)
		return error;
	return verify_failed ? ACCORD_EXIT_VERIFY : failed ? ACCORD_EXIT_FAIL : 0;
}
