#ifndef ACCORD_BATCH_H
#define ACCORD_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "accord/entry.h"
#include "accord/key.h"
#include "accord/store.h"

/*
 * Bulk appends: many entries written as packfiles instead of one loose
 * object per entry, for importers and the benchmark generator.
 *
 * Each entry becomes the same commit accord_store_append would write
 * (empty tree, parent = the feed's previous entry, author and committer
 * "<key name> <<key id>@accord> <time> +0000", message = the entry bytes,
 * SSHSIG in gpgsig), byte for byte, so the ledger cannot tell the two
 * apart. The commits collect in memory and go to objects/pack/ as a
 * .pack and its .idx every so many objects, so memory stays bounded.
 * No ref moves until accord_batch_commit, which moves every feed written
 * from the head it had when the batch began, by compare-and-swap. A batch
 * freed without commit leaves refs as they were (the packs it flushed
 * are unreferenced and git gc removes them).
 *
 * A batch is used by one thread at a time. accord_batch_write touches
 * neither the repository nor the store, so batches on the same store can
 * write from different threads, as long as no two write the same feed;
 * accord_batch_new, accord_batch_append and accord_batch_commit use the
 * store and belong to the thread that owns it. Take the store's write
 * lock around the whole batch when others may append meanwhile.
 *
 * When a write fails, nothing of that entry is in the batch; what was
 * written before stays, and can still be committed.
 */

typedef struct accord_batch accord_batch;

/*
 * Begin a batch on `store`: records the current feed heads (the
 * compare-and-swap bases for the commit). Free with accord_batch_free().
 */
int accord_batch_new(accord_batch **out, accord_store *store);

/*
 * Flush to a new pack once this many objects (default 50,000) or bytes
 * (default 256 MiB) are pending. 0 keeps the current value.
 */
void accord_batch_set_flush(accord_batch *batch, size_t max_objects, size_t max_bytes);

/*
 * zlib level for the objects, 0 (stored) to 9; the default is 1, which
 * already costs about a third of a batch's time. ACCORD_EINVALID otherwise.
 */
int accord_batch_set_compression(accord_batch *batch, int level);

/*
 * Append an entry to `key`'s feed: the batch fills in the author, seq and
 * prev from that feed (as written so far in the batch, else as it was when
 * the batch began), builds the entry from the rest of `f` with
 * accord_entry_build (so it passes the schema), signs and writes it.
 * Authorization and the Lamport clock are the caller's business: the
 * ledger checks them on read. On success *out_id (65 bytes, may be NULL)
 * holds the entry id and *out_commit (may be NULL) the commit.
 */
int accord_batch_append(char *out_id, git_oid *out_commit, accord_batch *batch,
			const accord_key *key, const accord_entry_fields *f);

/*
 * Write exact entry bytes, built and checked by the caller, as the next
 * commit of `key`'s feed, with commit time `time` (which must be the
 * entry's time). Nothing about the entry is checked here: as with
 * accord_store_append, the ledger verifies on read. Use it only for
 * entries that continue the feed (seq and prev); after it,
 * accord_batch_append must not be used on the same feed.
 */
int accord_batch_write(git_oid *out_commit, accord_batch *batch, const accord_key *key,
		       const char *entry, size_t len, int64_t time);

/* Write the pending objects as a pack now (nothing happens if there are none). */
int accord_batch_flush(accord_batch *batch);

/*
 * Flush, then move each feed written to its new head, each from the head
 * it had at accord_batch_new. ACCORD_EMODIFIED if one of them moved
 * meanwhile: feeds updated before it stay updated (each is a valid
 * chain), the rest are untouched, and the message names the feed.
 */
int accord_batch_commit(accord_batch *batch);

/* Entries written so far (flushed or not). */
size_t accord_batch_count(const accord_batch *batch);

/* Discard what was not committed and free. NULL-safe. */
void accord_batch_free(accord_batch *batch);

#endif
