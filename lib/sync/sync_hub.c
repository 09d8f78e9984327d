/*
 * The checks a hub's pre-receive hook makes on a push: every feed and
 * evidence ref it would update, verified as sync would take it.
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
#include "accord/error.h"
#include "accord/incident.h"
#include "json.h"
#include "accord/sync.h"
#include "accord/timefmt.h"
#include "accord/transport.h"

#include "ledger_impl.h"
#include "sync_impl.h"

/* A pushed feed ref: never deleted, only fast-forwarded; its new head becomes a candidate. */
static int check_feed_update(accord_store *store, const accord_ref_update *u, const char *k,
			     accord_sync_candidate *cands, size_t *ncands)
{
	const char *ref = u->ref;
	int deleting = git_oid_is_zero(&u->new_id), creating = git_oid_is_zero(&u->old_id);
	accord_sync_candidate *h = NULL;
	size_t j;
	int r;

	if (deleting)
		return accord_error_set(ACCORD_EDENIED, "%s: a feed may not be deleted", ref);
	/* a ref that names a tag or a tree holds no feed: a push puts one back (as for a new ref) */
	if (!creating && accord_chain_is_commit(store, &u->old_id) == 0)
		creating = 1;
	if (!creating && !git_oid_equal(&u->old_id, &u->new_id)) {
		r = accord_chain_descendant_of(store, &u->new_id, &u->old_id);
		if (r < 0)
			return accord_error_wrap(ACCORD_EDENIED, "%s: its chain cannot be read",
						 ref);
		if (r != 1)
			return accord_error_set(ACCORD_EDENIED,
						"%s: not a fast-forward (a feed may only grow)",
						ref);
	}
	for (j = 0; j < *ncands; j++)
		if (strcmp(cands[j].head.keyid, k) == 0)
			h = &cands[j];
	if (!h) {
		h = &cands[(*ncands)++];
		memcpy(h->head.keyid, k, sizeof(h->head.keyid));
	}
	h->head.head = u->new_id;
	return 0;
}

int accord_sync_check_push(accord_store *store, const accord_ref_update *u, size_t count)
{
	return accord_sync_check_push_cached(store, u, count, NULL);
}

int accord_sync_check_push_cached(accord_store *store, const accord_ref_update *u, size_t count,
				  const unsigned char *cache_key)
{
	accord_head *heads = NULL, *evh = accord_xcalloc(count + 1, sizeof(*evh));
	accord_sync_candidate *cands = accord_xcalloc(count + 1, sizeof(*cands));
	evidence_item *items = accord_xcalloc(count + 1, sizeof(*items));
	accord_verification *v = NULL;
	accord_ledger *l = NULL;
	accord_buf why = ACCORD_BUF_INIT;
	size_t nhub = 0, ncands = 0, nev = 0, i, refused = 0;
	int error, touched = 0;

	if ((error = accord_ledger_local_heads(&heads, &nhub, store)) < 0) {
		error = accord_error_wrap(error, "the hub's ledger refs are malformed");
		goto done;
	}
	for (i = 0; i < count; i++) {
		const char *ref = u[i].ref, *k;
		int deleting = git_oid_is_zero(&u[i].new_id),
		    creating = git_oid_is_zero(&u[i].old_id);

		if (strncmp(ref, ACCORD_REF_PREFIX, strlen(ACCORD_REF_PREFIX)) != 0)
			continue; /* branches and tags are not the ledger's business */
		if ((k = accord_sync_feed_keyid(ref, ACCORD_FEED_PREFIX))) {
			if ((error = check_feed_update(store, &u[i], k, cands, &ncands)) < 0)
				goto done;
			touched = 1;
		} else if (strncmp(ref, ACCORD_EVIDENCE_PREFIX, strlen(ACCORD_EVIDENCE_PREFIX)) ==
			   0) {
			if (!creating || deleting) {
				error = accord_error_set(
					ACCORD_EDENIED,
					"%s: evidence may only be added, never moved or deleted",
					ref);
				goto done;
			}
			accord_sync_read_evidence_item(&items[nev], store,
						       ref + strlen(ACCORD_EVIDENCE_PREFIX),
						       &u[i].new_id);
			if (!items[nev].e) {
				error = accord_error_set(items[nev].misnamed ? ACCORD_EDENIED
									     : ACCORD_EBADSIG,
							 "%s: %s", ref, items[nev].why);
				goto done;
			}
			memcpy(evh[nev].keyid, items[nev].keyid, sizeof(evh[nev].keyid));
			evh[nev].head = u[i].new_id;
			nev++;
			touched = 1;
		} else {
			error = accord_error_set(
				ACCORD_EDENIED,
				"%s is outside the ledger layout (%s<key id>, %s<key id>/<commit>)",
				ref, ACCORD_FEED_PREFIX, ACCORD_EVIDENCE_PREFIX);
			goto done;
		}
	}
	if (!touched)
		goto done;
	/*
	 * A push that extends what the hub verified (the index can judge each
	 * new entry: accord_ledger_offer) costs what its new commits cost; the
	 * index takes it only once the refs hold it, at the next command.
	 */
	if (cache_key && nev == 0 && (error = accord_sync_no_evidence(store, NULL)) == 1) {
		int64_t *was = NULL;

		error = accord_sync_verify_fast(&l, &was, store, heads, nhub, cands, ncands,
						cache_key);
		free(was);
		if (error <= 0)
			goto done; /* taken whole, or an error */
	}
	if (error < 0)
		goto done;
	/*
	 * One pass over the hub's feeds with the pushed ones in place: linear in
	 * the push. Lean: the hook shows no entry, it judges them.
	 */
	if ((error = accord_sync_verify_lean(&l, &v, store, heads, nhub, cands, ncands, evh, nev)) <
	    0) {
		error = accord_error_wrap(ACCORD_EBADSIG,
					  "the ledger this push would make has no valid genesis");
		goto done;
	}
	for (i = 0; i < ncands; i++) {
		if (!cands[i].refused)
			continue;
		/* What was on the hub before is not this push's fault. */
		if (!git_oid_is_zero(&cands[i].take) &&
		    git_oid_equal(&cands[i].take, &cands[i].head.head))
			continue;
		accord_buf_printf(&why, "%s%s%s: %s", refused++ ? "; " : "", ACCORD_FEED_PREFIX,
				  cands[i].head.keyid, cands[i].reason);
	}
	accord_sync_check_evidence(items, nev, v, l);
	accord_sync_bound_evidence(items, nev, l, store, ACCORD_EVIDENCE_PREFIX,
				   ACCORD_FEED_PREFIX);
	for (i = 0; i < nev; i++)
		if (items[i].why[0])
			accord_buf_printf(&why, "%s%s%s/%s: %s", refused++ ? "; " : "",
					  ACCORD_EVIDENCE_PREFIX, items[i].keyid,
					  git_oid_tostr_s(&items[i].commit), items[i].why);
	if (refused)
		error = accord_error_set(ACCORD_EBADSIG, "%zu refused: %s", refused, why.ptr);
done:
	accord_buf_dispose(&why);
	accord_verification_free(v);
	accord_ledger_free(l);
	accord_sync_evidence_items_free(items, nev);
	free(evh);
	free(heads);
	free(cands);
	return error;
}
