#ifndef ACCORD_INBOX_H
#define ACCORD_INBOX_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "accord/ledger.h"

/*
 * What waits on a party: derived from the ledger alone, the same on every
 * copy, so a party's inbox is what any reader of the ledger can tell it
 * owes. Kinds, most urgent first (the order of this enum):
 */
typedef enum {
	ACCORD_INBOX_OVERDUE = 0, /* an action item the party owns, past its due day */
	ACCORD_INBOX_PROPOSAL,	  /* a proposal waiting for the party's cosignature */
	ACCORD_INBOX_INVOLVED, /* an incident that involves the party, which has written nothing in it */
	ACCORD_INBOX_CONFLICT, /* a conflict in an incident that involves the party */
	ACCORD_INBOX_ACTION,   /* an open action item the party owns, not yet due */
} accord_inbox_kind;

typedef struct {
	accord_inbox_kind kind;
	/*
	 * The entry that put the item there (the proposal; the involve, or
	 * the open that named the party; the resolution or the last action
	 * entry; the later of the conflict's two): sync notifies of an item
	 * whose entry it took. Borrowed from the ledger.
	 */
	const accord_entry *entry;
	const accord_entry
		*other; /* a conflict's other entry (it is new when either arrives), else NULL */
	char incident[ACCORD_ID_HEXLEN + 1];
	int64_t severity;
	int64_t since; /* the time of `entry`: how long it has waited */
	char *summary; /* one line, unescaped: the caller escapes it for a terminal */
	cJSON *json;   /* the item as schemas/inbox.schema.json#/definitions/item has it */
} accord_inbox_item;

typedef struct {
	char *party;
	accord_inbox_item *items; /* most urgent first */
	size_t count;
} accord_inbox;

/*
 * The inbox of `party` in `ledger` (holding every entry: accord_ledger_open
 * with entries) at time `now` (overdue actions, waiting times). ACCORD_ENOTFOUND
 * when the ledger has no such party. Free with accord_inbox_free().
 */
int accord_inbox_build(accord_inbox **out, const accord_ledger *ledger, const char *party,
		       int64_t now);
void accord_inbox_free(accord_inbox *inbox);

/*
 * Urgency order, most urgent first: by kind, an action item by its due day,
 * then severity, then how long it has waited. <0, 0, >0 as strcmp.
 */
int accord_inbox_item_cmp(const accord_inbox_item *a, const accord_inbox_item *b);

/* The kind's name in JSON and text: "overdue", "proposal", "involved", "conflict", "action". */
const char *accord_inbox_kind_name(accord_inbox_kind kind);

#endif
