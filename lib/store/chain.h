#ifndef ACCORD_CHAIN_H
#define ACCORD_CHAIN_H

#include <git2.h>

#include "accord/store.h"

/*
 * A feed's chain of commits, followed along first parents read from each
 * commit's raw header. libgit2 refuses to parse a commit whose headers are
 * out of git's order (a gpgsig before author, a garbage line), and every
 * libgit2 walk that meets one fails; an attacker can push such a commit.
 * Reading only "tree" and "parent" lines, strictly, lets every path step
 * over it to its predecessors, which still count.
 */

/*
 * The first parent of commit `id` into *out, or a zero id when it has none.
 * ACCORD_ENOTFOUND if the object is missing, ACCORD_EBADSIG if it is not a
 * commit or its header does not start with a tree line followed by parent
 * lines as git writes them (lowercase hex, one per line).
 */
int accord_chain_parent(git_oid *out, accord_store *store, const git_oid *id);

/* 1 if object `id` is a commit, 0 if it is another kind (a tag, a tree), negative if unreadable. */
int accord_chain_is_commit(accord_store *store, const git_oid *id);

/*
 * 1 if `ancestor` is on `commit`'s first-parent chain (not `commit`
 * itself), 0 if not, a negative code if the chain cannot be read.
 */
int accord_chain_descendant_of(accord_store *store, const git_oid *commit, const git_oid *ancestor);

/* The same, with the commits from `commit` down to `ancestor` (exclusive) into *steps when 1. */
int accord_chain_steps_to(size_t *steps, accord_store *store, const git_oid *commit,
			  const git_oid *ancestor);

/*
 * The number of commits from `head` back to `stop` (exclusive; NULL: to the
 * root) along first parents, counting at most `limit`. Stops quietly where
 * the chain cannot be read.
 */
size_t accord_chain_count(accord_store *store, const git_oid *head, const git_oid *stop,
			  size_t limit);

/*
 * The newest commit on both first-parent chains into *out.
 * ACCORD_ENOTFOUND if they share none; other negative codes if a chain
 * cannot be read.
 */
int accord_chain_merge_base(git_oid *out, accord_store *store, const git_oid *a, const git_oid *b);

#endif
