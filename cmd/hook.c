/* accord hook pre-receive: a hub that enforces the ledger's rules on every push. */
#include <stdlib.h>
#include <string.h>

#include "accord/sync.h"
#include "cmd.h"

static const char hook_usage[] =
	"usage: accord hook pre-receive\n\n"
	"Run as a bare hub repository's pre-receive hook (hooks/pre-receive:\n"
	"  #!/bin/sh\n"
	"  exec accord hook pre-receive\n"
	"). Reads \"old new ref\" lines on stdin as git gives them and rejects the\n"
	"push (exit 1, reason on stderr) when a feed under refs/accord/feeds/ would\n"
	"not fast-forward or be deleted, when an entry fails verification or\n"
	"authorization, when evidence under refs/accord/evidence/ would be moved or\n"
	"deleted, or when a ref under refs/accord/ lies outside that layout.\n"
	"Other refs pass. See docs/hub.md.\n";

#define HOOK_MAX_LINES 100000

static int parse_line(accord_ref_update *u, char *line)
{
	char *sp1 = strchr(line, ' '), *sp2;

	if (!sp1)
		return -1;
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2 || sp1 - line != GIT_OID_HEXSZ || sp2 - sp1 - 1 != GIT_OID_HEXSZ || !sp2[1])
		return -1;
	*sp1 = *sp2 = '\0';
	if (git_oid_fromstr(&u->old_id, line) < 0 || git_oid_fromstr(&u->new_id, sp1 + 1) < 0)
		return -1;
	u->ref = sp2 + 1;
	return 0;
}

/* The pushed objects wait in a quarantine folder until the hook accepts them. */
static int add_quarantine(accord_store *store)
{
	const char *dirs[2] = { getenv("GIT_QUARANTINE_PATH"), getenv("GIT_OBJECT_DIRECTORY") };
	git_odb *odb = NULL;
	int error, i;

	if ((error = git_repository_odb(&odb, accord_store_repo(store))) < 0)
		return accord_error_git(error, "opening the object database");
	for (i = 0; i < 2; i++) {
		if (!dirs[i] || !*dirs[i] || (i == 1 && dirs[0] && !strcmp(dirs[0], dirs[1])))
			continue;
		if ((error = git_odb_add_disk_alternate(odb, dirs[i])) < 0) {
			git_odb_free(odb);
			return accord_error_git(error, dirs[i]);
		}
	}
	git_odb_free(odb);
	return 0;
}

/*
 * A push may add at most git config accord.maxPushEntries entries (default
 * 50,000) over all its feeds. Counting stops one past the limit, so a
 * hostile push of millions of entries costs no more than that.
 */
#define HOOK_MAX_ENTRIES_DEFAULT 50000

/*
 * libgit2's walk stops at a commit it cannot parse, which would hide any
 * number of entries behind one: count along first parents read raw
 * instead, each ref from its new head back to its old one (for evidence,
 * to the root: more than it adds, but only a push with such a commit pays).
 */
static int64_t count_chains(accord_store *store, const accord_ref_update *u, size_t n,
			    int64_t limit)
{
	int64_t count = 0;
	size_t i;

	for (i = 0; i < n && count <= limit; i++) {
		if ((strncmp(u[i].ref, ACCORD_FEED_PREFIX, strlen(ACCORD_FEED_PREFIX)) != 0 &&
		     strncmp(u[i].ref, ACCORD_EVIDENCE_PREFIX, strlen(ACCORD_EVIDENCE_PREFIX)) !=
			     0) ||
		    git_oid_is_zero(&u[i].new_id))
			continue;
		count += (int64_t)accord_chain_count(
			store, &u[i].new_id, git_oid_is_zero(&u[i].old_id) ? NULL : &u[i].old_id,
			(size_t)(limit + 1 - count));
	}
	return count;
}

static int count_new_entries(int64_t *out, accord_store *store, const accord_ref_update *u,
			     size_t n, int64_t limit)
{
	git_strarray have = { NULL, 0 };
	git_revwalk *walk = NULL;
	git_oid id;
	int64_t count = 0;
	size_t i;
	int error, pushed = 0;

	if ((error = git_revwalk_new(&walk, accord_store_repo(store))) < 0)
		return accord_error_git(error, "counting pushed entries");
	/* Feeds and evidence alike: proof of equivocation is entries too. */
	for (i = 0; i < n; i++) {
		if ((strncmp(u[i].ref, ACCORD_FEED_PREFIX, strlen(ACCORD_FEED_PREFIX)) != 0 &&
		     strncmp(u[i].ref, ACCORD_EVIDENCE_PREFIX, strlen(ACCORD_EVIDENCE_PREFIX)) !=
			     0) ||
		    git_oid_is_zero(&u[i].new_id))
			continue;
		if (git_revwalk_push(walk, &u[i].new_id) < 0)
			continue; /* a missing object is for the full check to name */
		pushed = 1;
		if (!git_oid_is_zero(&u[i].old_id))
			git_revwalk_hide(walk, &u[i].old_id);
	}
	/* what the hub holds already is not new */
	if (pushed && accord_store_ref_list(&have, store, ACCORD_REF_PREFIX) == 0) {
		for (i = 0; i < have.count; i++)
			if (accord_store_ref_get(&id, store, have.strings[i]) == 0)
				git_revwalk_hide(walk, &id);
		git_strarray_dispose(&have);
	}
	while (pushed && count <= limit && (error = git_revwalk_next(&id, walk)) == 0)
		count++;
	git_revwalk_free(walk);
	if (pushed && count <= limit && error != GIT_ITEROVER)
		count = count_chains(store, u, n, limit);
	*out = count;
	return 0;
}

static int64_t max_push_entries(accord_store *store)
{
	char *v = NULL, *end = NULL;
	long long n = HOOK_MAX_ENTRIES_DEFAULT;

	if (accord_store_config_get(&v, store, "accord.maxPushEntries") == 0) {
		n = strtoll(v, &end, 10);
		if (!*v || *end || n < 1)
			n = HOOK_MAX_ENTRIES_DEFAULT;
		free(v);
	}
	return n;
}

static int pre_receive(accord_ctx *ctx)
{
	int64_t limit, count = 0;
	accord_ref_update *updates = NULL;
	unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN];
	char **lines = NULL, *line = NULL;
	size_t n = 0, cap = 0, i, len = 0;
	const char *gitdir = getenv("GIT_DIR");
	int error, code = 0, have_key;
	accord_sigcache *memo;

	while (getline(&line, &len, stdin) > 0) {
		size_t l = strlen(line);

		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (!l)
			continue;
		if (n == HOOK_MAX_LINES) {
			code = cmd_failf(ACCORD_EXIT_FAIL, "rejecting a push of more than %d refs",
					 HOOK_MAX_LINES);
			goto done;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			lines = realloc(lines, cap * sizeof(*lines));
			updates = realloc(updates, cap * sizeof(*updates));
			if (!lines || !updates)
				accord_oom();
		}
		lines[n] = strdup(line);
		if (!lines[n])
			accord_oom();
		if (parse_line(&updates[n], lines[n]) < 0) {
			free(lines[n]);
			code = cmd_failf(ACCORD_EXIT_FAIL, "malformed hook input line: %s", line);
			goto done;
		}
		n++;
	}
	/* git sets GIT_DIR for its hooks; -C (or ACCORD_DIR) serves a hook run by hand */
	if ((error = accord_store_open(&ctx->store, gitdir && *gitdir ? gitdir
						    : ctx->dir	      ? ctx->dir
								      : ".")) < 0 ||
	    (error = add_quarantine(ctx->store)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	limit = max_push_entries(ctx->store);
	if ((error = count_new_entries(&count, ctx->store, updates, n, limit)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	if (count > limit) {
		code = cmd_failf(
			ACCORD_EXIT_FAIL,
			"push rejected: it adds more than %lld %s (git config accord.maxPushEntries on the hub)",
			(long long)limit, accord_plural((long long)limit, "entry", "entries"));
		goto done;
	}
	/*
	 * With the hub user's cache key, its index and its memo of checked
	 * commits: a push the index cannot judge goes to a full verification,
	 * which then checks again only the commits the hub has not seen. The
	 * memo keeps what a push taught it only if the push is accepted: a
	 * member pushing refused commits again and again cannot grow it.
	 */
	if ((have_key = cmd_cache_key(key, ctx)))
		cmd_keep_memo(ctx->store, key);
	memo = accord_store_sigcache(ctx->store);
	accord_sigcache_hold(memo, 1);
	if ((error = accord_sync_check_push_cached(ctx->store, updates, n, have_key ? key : NULL)) <
	    0) {
		cmd_warn("push rejected: %s", accord_error_last());
		code = cmd_exit_code(error) == ACCORD_EXIT_VERIFY ? ACCORD_EXIT_VERIFY
								  : ACCORD_EXIT_FAIL;
	} else {
		accord_sigcache_hold(memo, 0);
		if (accord_sigcache_save(memo) < 0)
			accord_error_clear(); /* costs the next push time, never a verdict */
	}
done:
	sodium_memzero(key, sizeof(key));
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(updates);
	free(line);
	return code;
}

int cmd_hook(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'h': fputs(hook_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "hook needs the hook's name (pre-receive)");
	if (strcmp(argv[optind], "pre-receive") != 0)
		return cmd_usage_error(ctx, "unknown hook '%s' (only pre-receive)", argv[optind]);
	return pre_receive(ctx);
}
