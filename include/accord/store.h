#ifndef ACCORD_STORE_H
#define ACCORD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "accord/buf.h"
#include "accord/key.h"

/*
 * The git side of the ledger: a repository (bare or not) whose ledger
 * lives under refs/accord/ only. Branches, index and working tree are
 * never touched, so a ledger can share a repository with code.
 *
 * Each entry is one commit on its author's feed ref
 * refs/accord/feeds/<key id>: tree = the empty tree, parent = the author's
 * previous entry, message = the entry's exact bytes, and an SSHSIG in the
 * gpgsig header so that stock `git verify-commit` can check it.
 */

#define ACCORD_REF_PREFIX "refs/accord/"
#define ACCORD_FEED_PREFIX "refs/accord/feeds/"
/* what sync fetched from remote R: refs/quarantine/R/feeds/KEY, kept as seen there last */
#define ACCORD_QUARANTINE_PREFIX "refs/quarantine/"
#define ACCORD_EMPTY_TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
/* An entry (at most 64 KiB) plus its commit headers and signature. */
#define ACCORD_COMMIT_MAX (65536 + 8192)

typedef struct accord_store accord_store;

/*
 * Open the repository at `path`, or, when `path` is NULL, the one
 * around the current directory (as git does). ACCORD_ENOTFOUND if there is
 * none.
 */
int accord_store_open(accord_store **out, const char *path);

/* Open `path` as a repository, creating a non-bare one there if there is none. */
int accord_store_open_or_init(accord_store **out, const char *path);

void accord_store_free(accord_store *store);

struct accord_sigcache; /* sigcache.h */

/*
 * Give the store a memo of verified signatures (sigcache.h), which the
 * verification engine then consults and fills; the store owns it from
 * now on (NULL removes it). Without one every signature is checked.
 */
void accord_store_set_sigcache(accord_store *store, struct accord_sigcache *cache);

/* The store's memo of verified signatures, or NULL. Borrowed. */
struct accord_sigcache *accord_store_sigcache(accord_store *store);

git_repository *accord_store_repo(accord_store *store);

/* The repository's git dir ("/x/.git/" or "/x.git/"), borrowed. */
const char *accord_store_gitdir(accord_store *store);

/*
 * Path of a file in accord's private state folder <gitdir>/accord/,
 * created 0700 on demand. Caller frees *out.
 */
int accord_store_state_path(char **out, accord_store *store, const char *name);

/*
 * Take the ledger's write lock (flock on <gitdir>/accord/lock), waiting
 * for another writer to finish. A lock left by a killed process is
 * released by the kernel with its file descriptor, so it never goes stale.
 */
int accord_store_lock(accord_store *store);
void accord_store_unlock(accord_store *store);
/* 1 if this handle holds the write lock. */
int accord_store_lock_held(const accord_store *store);

/* The commit a ref points to; ACCORD_ENOTFOUND if the ref is missing. */
int accord_store_ref_get(git_oid *out, accord_store *store, const char *refname);

/* Every ref under `prefix`, sorted by name. Caller frees with git_strarray_dispose(). */
int accord_store_ref_list(git_strarray *out, accord_store *store, const char *prefix);
/*
 * The same with each ref's commit in (*ids)[i] (a symbolic ref resolved),
 * read in the same pass. Caller frees *ids.
 */
int accord_store_ref_heads(git_strarray *out, git_oid **ids, accord_store *store,
			   const char *prefix);

/*
 * Move `refname` to `id` by compare-and-swap from `expect` (NULL: the ref
 * must not exist yet), with `why` in the reflog. While this handle holds
 * the write lock, a "<ref>.lock" left by a killed accord is removed and the
 * write tried again. Returns libgit2's code: GIT_EMODIFIED or GIT_EEXISTS
 * when the ref moved, GIT_ENOTFOUND when `expect`'s ref is gone.
 */
int accord_store_ref_write(accord_store *store, const char *refname, const git_oid *id,
			   const git_oid *expect, const char *why);

/*
 * The unsigned commit accord writes for `entry` (len bytes) by `key` at
 * `time` (epoch seconds, all 64 bits), with `parent` (NULL for a feed's
 * first entry), into *out (cleared first): what the SSHSIG signs.
 * ACCORD_EINVALID for a key name git cannot hold, a NUL in the entry, or a
 * time before 1970.
 */
int accord_commit_payload(accord_buf *out, const git_oid *parent, const accord_key *key,
			  const char *entry, size_t len, int64_t time);

/*
 * The signed commit accord writes for `entry`: accord_commit_payload with
 * the SSHSIG of it in a "gpgsig" header, into *out (cleared first). The
 * one writer of commit bytes: accord_store_append and accord_batch write
 * these, so stock `git verify-commit` and the ledger see the same commit
 * whichever wrote it. Errors as accord_commit_payload's and the signer's.
 */
int accord_commit_signed(accord_buf *out, const git_oid *parent, const accord_key *key,
			 const char *entry, size_t len, int64_t time);

/*
 * Write `entry` (len bytes) as a commit signed with `key` whose parent is
 * `parent` (NULL for a feed's first entry), then move `refname` from
 * `parent` to it by compare-and-swap. ACCORD_EMODIFIED if the ref moved
 * meanwhile; the ref is untouched on any failure.
 */
int accord_store_append(git_oid *out, accord_store *store, const char *refname,
			const git_oid *parent, const char *entry, size_t len, const accord_key *key,
			int64_t time);

/* A ledger commit as stored, split the way signature checking needs it. */
typedef struct {
	git_oid id;
	git_oid tree;
	git_oid parent;
	unsigned int parent_count;
	int64_t committer_time;
	accord_buf payload;   /* the commit without its gpgsig header: what SSHSIG signs */
	accord_buf signature; /* the armored gpgsig value, continuation spaces removed */
	const char *message;  /* the entry bytes: points into payload */
	size_t message_len;
	size_t author_off, author_len;	     /* the author line's value, within payload */
	size_t committer_off, committer_len; /* the committer line's value, within payload */
	int has_extra_headers;		     /* encoding, mergetag or anything unexpected */
	int sig_misplaced; /* gpgsig is not the last header, where accord writes it */
} accord_commit;

/*
 * Read commit `id` and split it. ACCORD_ENOTFOUND if missing,
 * ACCORD_EBADSIG if it is not a well-formed commit object. Free with
 * accord_commit_free().
 */
int accord_commit_read(accord_commit **out, accord_store *store, const git_oid *id);

/* Split raw commit bytes (as stored in the object database). */
int accord_commit_parse(accord_commit **out, const char *raw, size_t len);

void accord_commit_free(accord_commit *commit);

/*
 * The one author and committer value accord writes for an entry, derived
 * from the entry alone: "<key id> <<key id>@accord> <time> +0000". No
 * name a writer chooses, so a commit cannot show another member's
 * identity (or terminal escapes) in stock git tools.
 */
void accord_commit_ident(accord_buf *out, const char *keyid, int64_t time);

/* git config of the repository: get (caller frees) and set a string. */
int accord_store_config_get(char **out, accord_store *store, const char *name);
int accord_store_config_set(accord_store *store, const char *name, const char *value);

#endif
