/*
 * Inside the incident module: impact windows as party-owned figures
 * (lib/ledger/figure.c) and the helpers lib/ledger/incident.c and lib/ledger/figure.c share.
 * Not part of the public API.
 */
#ifndef ACCORD_FIGURE_H
#define ACCORD_FIGURE_H

#include <stdlib.h>
#include <string.h>

#include "accord/incident.h"

#include "array.h"

/* Equal strings, NULL equal to nothing. */
static inline int accord_str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* A party in a list of names, added once. */
static inline void accord_sign_for(const char ***list, size_t *count, const char *party)
{
	size_t i;

	if (!party)
		return;
	for (i = 0; i < *count; i++)
		if (strcmp((*list)[i], party) == 0)
			return;
	ACCORD_PUSH(*list, *count, party);
}

/* The party of the member that wrote `e` (borrowed), or NULL. */
const char *accord_party_of(const accord_parties *p, const accord_entry *e);

/*
 * While a close stands: whether window `e` is a new version of a window its
 * party recorded (same start) that changes what the close judged, rather
 * than only end a window still open, by the close's time at the latest.
 */
int accord_figure_rescores(const accord_incident *inc, const accord_parties *p,
			   const accord_entry *e);
/* Record window `e`: it replaces the same party's window with the same start. */
void accord_figure_apply(accord_incident *inc, const accord_parties *p, const accord_entry *e);
/* After a co-signature of `w`: once joint it stays shared, and a new version replaces the old. */
void accord_figure_cosigned(accord_incident *inc, accord_impact *w, const accord_entry *cosign);
/*
 * A co-signature by `party` of window `id` that a new version of the same
 * party replaced, when `cosign` never knew of that version: it signs the
 * old one, and if that makes it joint it counts again and the current
 * version waits to be joint too. The window signed, or NULL (no such
 * window, or the co-signature knew it was replaced).
 */
accord_impact *accord_figure_cosign_replaced(accord_incident *inc, const accord_entry *cosign,
					     const char *id, const char *party);
/*
 * At close `close`: a window made joint by a co-signature the close never
 * saw gives way to the new version (or retract) the close judged; a new
 * version or retract the close never saw gives way to the window the
 * close judged. What gives way is marked late.
 */
void accord_figure_on_close(accord_incident *inc, const accord_parties *p,
			    const accord_entry *close);
/* The current window written by entry `id`, or NULL. */
accord_impact *accord_figure_find(accord_incident *inc, const char *id);
/* Drop the current window written by `e`, retracted by `by`. 0 if there was one. */
int accord_figure_remove(accord_incident *inc, const accord_entry *e, const accord_entry *by);
/* Whether every involved party other than the recording one co-signed window `w`. */
int accord_figure_joint(const accord_incident *inc, const accord_impact *w);
/* After the last entry: decide which windows count, which are disputed, and fill inc->impact. */
void accord_figure_settle(accord_incident *inc);

#endif
