#ifndef ACCORD_SIGCACHE_H
#define ACCORD_SIGCACHE_H

#include <stddef.h>

#include "accord/key.h"

/*
 * A memo of signatures that verified (issue 14): so that sync, the index's
 * catch-up and the hook check only the signatures they have not checked
 * before, while every other check and every rule runs from scratch.
 *
 * What it remembers is a pure function of exact bytes: the key of a
 * record is the SHA-256 of the armored signature and of the exact bytes
 * it signs (the commit without its signature header), the value the key
 * inside that signature. A forged or altered commit has other bytes, so
 * other digests, and is verified in full; no verdict on what counts is
 * stored. Each record in the files (<gitdir>/accord/sigcache and
 * sigcache-new) is tagged with a key derived from the user's cache key
 * (accord_ledger_cache_key), so only the holder of that key can add to
 * it; a record that does not authenticate is not found. Nothing is
 * checked when the files are read, so loading a memo of a million
 * commits costs reading 80 MB, and a save writes what it adds.
 *
 * The verification engine keeps a second kind of record in it (verify_check.c,
 * "the memo of pass 1"): the digest names a commit id and the build's
 * pass-1 checks, the value the key that signed it, and the record says
 * that commit passed every check on its own. The two kinds never share a
 * digest (each hashes its own domain string first), and a build looks up
 * only the records it knows how to read.
 */

#define ACCORD_SIGCACHE_DIGEST_LEN 32
#define ACCORD_SIGCACHE_KEY_LEN 32 /* the cache key's length (ACCORD_LEDGER_CACHE_KEY_LEN) */

typedef struct accord_sigcache accord_sigcache;

/*
 * Open the cache of the repository at `gitdir`, tagged with `cache_key`
 * (ACCORD_SIGCACHE_KEY_LEN bytes). Nothing is read until
 * accord_sigcache_load: commands that verify nothing pay nothing. Free
 * with accord_sigcache_free().
 */
int accord_sigcache_open(accord_sigcache **out, const char *gitdir, const unsigned char *cache_key);

/*
 * Read the files, once; a missing or malformed file is an empty cache.
 * Call before accord_sigcache_get is used from several threads.
 */
void accord_sigcache_load(accord_sigcache *cache);

/* The digest a record is found by: of the armored signature and the bytes it signs. */
void accord_sigcache_digest(unsigned char *out, const char *sig, size_t sig_len, const char *msg,
			    size_t msg_len);

/*
 * 1 and the signer in *signer (its id set) if the signature of `digest`
 * verified before (as loaded); else 0. Safe from several threads,
 * together with accord_sigcache_put.
 */
int accord_sigcache_get(accord_pubkey *signer, const accord_sigcache *cache,
			const unsigned char *digest);

/* Remember that the signature of `digest`, by `signer`, verified. Thread-safe. */
void accord_sigcache_put(accord_sigcache *cache, const unsigned char *digest,
			 const accord_pubkey *signer);

/*
 * What loading the memo reads (its files' sizes, 0 for none), without
 * loading it: a caller with little to look up may rather check again.
 */
size_t accord_sigcache_bytes(const accord_sigcache *cache);

/* Digests computed (accord_sigcache_digest) by this process so far: tests count them. */
size_t accord_sigcache_digest_count(void);

/* 1 if the files hold no record (as loaded): every lookup would miss. NULL is empty. */
int accord_sigcache_empty(const accord_sigcache *cache);

/* Records that authenticate (it loads) and added so far: tests count them. */
size_t accord_sigcache_count(accord_sigcache *cache);

/*
 * Write what was added since the open (atomically, without waiting for the
 * disk: a crash may only lose records); 0 when there was nothing to write.
 * Not while other threads look up or add.
 */
int accord_sigcache_save(accord_sigcache *cache);

/*
 * While `held`, a save writes nothing and keeps what was added: the hook
 * keeps what a push taught it only once it accepts the push, so that
 * pushes it refuses cannot grow the hub's memo.
 */
void accord_sigcache_hold(accord_sigcache *cache, int held);

void accord_sigcache_free(accord_sigcache *cache);

#endif
