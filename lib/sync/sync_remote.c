/*
 * The remotes a ledger syncs with (in the repository's git config), and
 * clone: a new ledger from a remote, verified before anything is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "encode.h"
#include "file.h"
#include "accord/error.h"
#include "accord/incident.h"
#include "json.h"
#include "accord/sync.h"
#include "accord/timefmt.h"
#include "accord/transport.h"

#include "ledger_impl.h"
#include "sigcache.h"
#include "sync_impl.h"

/* A config value, or NULL if unset. */
static char *config_string(git_config *cfg, const char *fmt, const char *name)
{
	accord_buf key = ACCORD_BUF_INIT;
	git_buf value = GIT_BUF_INIT_CONST(NULL, 0);
	char *out = NULL;

	accord_buf_printf(&key, fmt, name);
	if (git_config_get_string_buf(&value, cfg, key.ptr) == 0)
		out = accord_xstrdup(value.ptr);
	git_buf_dispose(&value);
	accord_buf_dispose(&key);
	return out;
}

int accord_sync_remote_url(char **url, char **pushurl, accord_store *store, const char *name)
{
	git_config *cfg = NULL;
	int error;

	if ((error = git_repository_config_snapshot(&cfg, accord_store_repo(store))) < 0)
		return accord_error_git(error, "reading git config");
	*url = config_string(cfg, "remote.%s.url", name);
	if (pushurl)
		*pushurl = config_string(cfg, "remote.%s.pushurl", name);
	git_config_free(cfg);
	if (!*url) {
		if (pushurl) {
			free(*pushurl);
			*pushurl = NULL;
		}
		return accord_error_set(ACCORD_ENOTFOUND, "no remote '%s' (see accord remote add)",
					name);
	}
	return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int accord_sync_remote_list(git_strarray *out, accord_store *store)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *entry;
	char **names = NULL;
	size_t n = 0, i;
	int error;

	if ((error = git_repository_config_snapshot(&cfg, accord_store_repo(store))) < 0)
		return accord_error_git(error, "reading git config");
	if ((error = git_config_iterator_new(&it, cfg)) < 0) {
		git_config_free(cfg);
		return accord_error_git(error, "reading git config");
	}
	while (git_config_next(&entry, it) == 0) {
		size_t len = strlen(entry->name);

		/* remote.<name>.url, where <name> may hold dots */
		if (len <= 11 || strncmp(entry->name, "remote.", 7) != 0 ||
		    strcmp(entry->name + len - 4, ".url") != 0)
			continue;
		for (i = 0; i < n; i++)
			if (strlen(names[i]) == len - 11 &&
			    !strncmp(names[i], entry->name + 7, len - 11))
				break;
		if (i < n)
			continue;
		names = accord_xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = accord_xcalloc(len - 10, 1);
		memcpy(names[n++], entry->name + 7, len - 11);
	}
	git_config_iterator_free(it);
	git_config_free(cfg);
	if (n)
		qsort(names, n, sizeof(*names), cmp_cstr);
	out->strings = names;
	out->count = n;
	return 0;
}

int accord_sync_remote_add(accord_store *store, const char *name, const char *url)
{
	git_config *cfg = NULL;
	char *spec, *have = NULL;
	accord_buf key = ACCORD_BUF_INIT;
	int error, valid = 0;

	if (git_remote_name_is_valid(&valid, name) < 0 || !valid || strchr(name, '%'))
		return accord_error_set(ACCORD_EINVALID, "'%s' is not a valid remote name", name);
	if (accord_sync_remote_url(&have, NULL, store, name) == 0) {
		free(have);
		return accord_error_set(ACCORD_EEXISTS, "remote '%s' already exists", name);
	}
	if ((error = git_repository_config(&cfg, accord_store_repo(store))) < 0)
		return accord_error_git(error, "opening git config");
	spec = accord_sync_refspec(name);
	accord_buf_printf(&key, "remote.%s.url", name);
	error = git_config_set_string(cfg, key.ptr, url);
	if (error == 0) {
		accord_buf_clear(&key);
		accord_buf_printf(&key, "remote.%s.fetch", name);
		error = git_config_set_string(cfg, key.ptr, spec);
	}
	git_config_free(cfg);
	free(spec);
	accord_buf_dispose(&key);
	return error < 0 ? accord_error_git(error, name) : 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Remove what clone made: `dir` itself if it created it, else its contents. */
static void clone_cleanup(const char *dir, int created)
{
	if (created) {
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	{
		accord_buf git = ACCORD_BUF_INIT;

		accord_buf_printf(&git, "%s/.git", dir);
		nftw(git.ptr, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		accord_buf_dispose(&git);
	}
}

/* git's rule (url_is_local_not_ssh): no ':' at all, or a '/' before the first one. */
static int is_local_path(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	return !colon || (slash && slash < colon);
}

/* Entries of folder `dir` besides "." and ".." (at most 2 counted); -1 if it cannot be read. */
static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) && n < 2)
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

/*
 * The file a clone keeps in the new copy's <gitdir>/accord/ until it is
 * done: a folder holding only a .git with it is what an interrupted clone
 * (Ctrl-C, a kill, a crash) left, which a retry removes and starts again.
 */
#define CLONE_PENDING "clone-pending"

/*
 * Whether `dir` holds only what an interrupted clone left: a .git with
 * CLONE_PENDING (one entry, and the mark found through .git: that entry).
 */
static int interrupted_clone(const char *dir)
{
	accord_buf marker = ACCORD_BUF_INIT;
	struct stat st;
	int yes;

	accord_buf_printf(&marker, "%s/.git/accord/" CLONE_PENDING, dir);
	yes = dir_entries(dir) == 1 && lstat(marker.ptr, &st) == 0 && S_ISREG(st.st_mode);
	accord_buf_dispose(&marker);
	return yes;
}

/* Where a clone goes: an empty folder, or none yet (then it is made, and *created says so). */
static int clone_dir(const char *dir, int *created)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode) && interrupted_clone(dir))
			clone_cleanup(dir, 0); /* its .git: the folder is empty again */
		if (!S_ISDIR(st.st_mode) || dir_entries(dir) != 0)
			return accord_error_set(ACCORD_EEXISTS,
						"%s exists and is not an empty folder", dir);
	} else if (errno == ENOENT) {
		if (mkdir(dir, 0777) < 0)
			return accord_error_set(ACCORD_ERROR, "can't create %s: %s", dir,
						strerror(errno));
		*created = 1;
	} else {
		return accord_error_set(ACCORD_ERROR, "can't use %s: %s", dir, strerror(errno));
	}
	return 0;
}

/*
 * Leave CLONE_PENDING in the new copy until the clone is done: made before
 * the repository is, so that no moment of an interrupted clone lacks it.
 */
static int mark_pending(const char *dir)
{
	accord_buf path = ACCORD_BUF_INIT;
	int error;

	accord_buf_printf(&path, "%s/.git", dir);
	if (mkdir(path.ptr, 0777) < 0 && errno != EEXIST) {
		error = accord_error_set(ACCORD_ERROR, "can't create %s: %s", path.ptr,
					 strerror(errno));
		goto done;
	}
	accord_buf_puts(&path, "/accord");
	if (mkdir(path.ptr, 0700) < 0 && errno != EEXIST) {
		error = accord_error_set(ACCORD_ERROR, "can't create %s: %s", path.ptr,
					 strerror(errno));
		goto done;
	}
	accord_buf_puts(&path, "/" CLONE_PENDING);
	error = accord_file_write_atomic(path.ptr, "", 0, 0600);
done:
	accord_buf_dispose(&path);
	return error;
}

static void unmark_pending(accord_store *store)
{
	char *path = NULL;

	if (accord_store_state_path(&path, store, CLONE_PENDING) == 0)
		unlink(path);
	else
		accord_error_clear();
	free(path);
}

/* With the user's cache key, the new copy's memo of checked commits: the clone fills it. */
static void keep_memo(accord_store *store, const accord_sync_options *opts)
{
	accord_sigcache *sc = NULL;

	if (!opts || !opts->cache_key)
		return;
	if (accord_sigcache_open(&sc, accord_store_gitdir(store), opts->cache_key) == 0)
		accord_store_set_sigcache(store, sc);
	else
		accord_error_clear();
}

int accord_sync_clone(char *out_id, accord_sync_result **out_res, const char *url, const char *dir,
		      const accord_sync_options *opts)
{
	accord_store *store = NULL;
	accord_verification *v = NULL;
	accord_ledger *l = NULL;
	accord_head *heads = NULL;
	accord_sync_candidate *cands = NULL;
	accord_sync_result *scratch = NULL;
	size_t n = 0, i, nbad = 0;
	char **bad = NULL, *abs_url = NULL, *seenfile = NULL;
	int created = 0, error;

	if ((error = accord_sync_options_check(opts)) < 0 || (error = clone_dir(dir, &created)) < 0)
		return error;
	scratch = accord_xcalloc(1, sizeof(*scratch));
	/* A local path is kept absolute, so the remote works from anywhere. */
	if (is_local_path(url))
		abs_url = realpath(url, NULL);
	if (!abs_url)
		abs_url = accord_xstrdup(url);
	if ((error = mark_pending(dir)) < 0 || (error = accord_store_open_or_init(&store, dir)) < 0)
		goto done;
	keep_memo(store, opts);
	if ((error = accord_transport_fetch(store, url, abs_url, ACCORD_QUARANTINE_PREFIX "origin/",
					    opts ? &opts->transport : NULL)) < 0)
		goto done;
	if ((error = accord_sync_list_feeds(
		     &heads, &n, store, ACCORD_QUARANTINE_PREFIX "origin/feeds/", &bad, &nbad)) < 0)
		goto done;
	for (i = 0; i < nbad; i++) {
		accord_buf why = ACCORD_BUF_INIT;

		accord_buf_printf(&why, "the remote's ref %s is outside the ledger layout; ignored",
				  bad[i]);
		accord_sync_add_refused(scratch, "", NULL, why.ptr);
		accord_buf_dispose(&why);
	}
	if (n == 0) {
		error = accord_error_set(ACCORD_ENOTFOUND,
					 "%s holds no ledger (no refs/accord/feeds/)", url);
		goto done;
	}
	cands = accord_xcalloc(n, sizeof(*cands));
	for (i = 0; i < n; i++)
		cands[i].head = heads[i];
	/*
	 * A copy of a ledger whose genesis verifies: what counts, its findings,
	 * its evidence. Lean: the clone shows no entry, and its index holds none.
	 */
	error = accord_sync_verify_offer(&l, &v, store, NULL, 0, cands, n,
					 ACCORD_QUARANTINE_PREFIX "origin/evidence/", 1);
	if (error < 0) {
		error = accord_error_wrap(ACCORD_EBADSIG, "%s does not verify", url);
		goto done;
	}
	/*
	 * A hub can serve a ledger that verifies but is not the one meant: the
	 * same names, another genesis. The id the inviter gave is the only
	 * thing a look-alike cannot copy.
	 */
	if (opts && opts->expect_ledger && strcmp(l->id, opts->expect_ledger) != 0) {
		error = accord_error_set(
			ACCORD_EBADSIG,
			"%s holds ledger %s, not the expected %s; nothing was cloned", url, l->id,
			opts->expect_ledger);
		goto done;
	}
	if (opts && opts->progress)
		opts->progress("origin", "verifying entries", l->count, l->count, opts->payload);
	for (i = 0; i < n; i++) {
		accord_buf ref = ACCORD_BUF_INIT;

		if (cands[i].refused)
			*PUSH(scratch->refused, scratch->refused_count) = cands[i];
		if (git_oid_is_zero(&cands[i].take))
			continue;
		accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, heads[i].keyid);
		error = accord_sync_ref_create(store, ref.ptr, &cands[i].take, NULL);
		accord_buf_dispose(&ref);
		if (error < 0)
			goto done;
		{
			accord_sync_accepted *a = PUSH(scratch->accepted, scratch->accepted_count);
			const accord_feed *now = accord_ledger_feed(l, heads[i].keyid);

			memcpy(a->feed, heads[i].keyid, sizeof(a->feed));
			a->to = accord_sync_seq_of(accord_verification_feed(v, a->feed),
						   &cands[i].take);
			if (!a->to && now)
				a->to = now->seq;
		}
	}
	if ((error = accord_sync_take_evidence(
		     scratch, store, ACCORD_QUARANTINE_PREFIX "origin/evidence/", v, l)) < 0)
		goto done;
	scratch->verified = l->count;
	if ((error = accord_store_config_set(store, "accord.ledger", l->id)) < 0 ||
	    (error = accord_sync_remote_add(store, "origin", abs_url)) < 0 ||
	    (error = accord_sync_seen_path(&seenfile, store, "origin")) < 0 ||
	    (error = accord_sync_heads_write(seenfile, heads, n)) < 0)
		goto done;
	memcpy(out_id, l->id, ACCORD_ID_HEXLEN + 1);
	/* what was verified is the copy's index, if nothing offered was left out of the refs */
	if (opts && opts->cache_key &&
	    accord_sync_offered_evidence_held(store, ACCORD_QUARANTINE_PREFIX "origin/evidence/")) {
		accord_ledger_evidence_digest(l->evidence, store);
		if (accord_ledger_save_index(l, opts->cache_key) < 0)
			accord_error_clear(); /* a cache: the first command builds it instead */
	}
	unmark_pending(store);
	if (out_res) {
		*out_res = scratch;
		scratch = NULL;
	}
done:
	accord_ledger_free(l);
	accord_verification_free(v);
	accord_store_free(store);
	if (error < 0)
		clone_cleanup(dir, created);
	for (i = 0; i < nbad; i++)
		free(bad[i]);
	free(bad);
	free(heads);
	free(cands);
	free(abs_url);
	free(seenfile);
	accord_sync_result_free(scratch);
	return error;
}
