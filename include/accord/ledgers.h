#ifndef ACCORD_LEDGERS_H
#define ACCORD_LEDGERS_H

#include <stddef.h>

#include "accord/entry.h"

/*
 * The user's list of ledgers: every party of a ledger reads all of it, so
 * an organization keeps a ledger per relationship, and this list (in the
 * key home, never in any ledger) gives it one view across them. Each item
 * names a ledger, where its repository is (an absolute path) and its id,
 * so that a path that comes to hold another ledger is noticed.
 *
 * Stored as JSON in <key home>/ledgers.json, mode 0600, replaced whole.
 */

typedef struct {
	char *name; /* accord_name_valid, as party names */
	char *path; /* absolute */
	char id[ACCORD_ID_HEXLEN + 1];
} accord_ledgers_item;

typedef struct {
	accord_ledgers_item *items; /* in the order they were added */
	size_t count;
} accord_ledgers;

/*
 * Read the list from `home` (a missing file is an empty list).
 * ACCORD_EINVALID for a file that is not a list of ledgers. Free with
 * accord_ledgers_free().
 */
int accord_ledgers_load(accord_ledgers **out, const char *home);
/* Write the list to `home` atomically (accord_file_write_atomic), creating `home` (0700) if needed. */
int accord_ledgers_save(const accord_ledgers *list, const char *home);
void accord_ledgers_free(accord_ledgers *list);

/* The item named `name`, borrowed, or NULL. */
const accord_ledgers_item *accord_ledgers_find(const accord_ledgers *list, const char *name);
/*
 * Append an item (copies the strings). ACCORD_EEXISTS when the name, the
 * path or the ledger id is listed already (a ledger is listed once,
 * whatever copy of it); ACCORD_EINVALID for an invalid name or a relative
 * path.
 */
int accord_ledgers_add(accord_ledgers *list, const char *name, const char *path, const char *id);
/* Drop the item named `name`. ACCORD_ENOTFOUND if there is none. */
int accord_ledgers_remove(accord_ledgers *list, const char *name);

#endif
