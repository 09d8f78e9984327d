/*
 * Pass 2b of the verification engine (verify_impl.h): the replay of every
 * rule in ledger order, round after round until the cuts hold; deps
 * counting, entries set aside, holes, forked keys' entries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "causal.h"
#include "accord/error.h"
#include "json.h"
#include "verify_impl.h"

/* ---- pass 2b: authority in ledger order ---- */

static int64_t floor_of(void *arg, const char *keyid)
{
	struct run *r = ((void **)arg)[0];
	struct round *rd = ((void **)arg)[1];
	struct feed *f = accord_verify_find_feed(r, keyid);

	return f ? accord_verify_raise_of(rd, (size_t)(f - r->feeds)) : 0;
}

/* parties.set_aside: a proposal of e's incident (an agreement: of none) in e's causal past, set aside this round. */
static int proposal_aside(void *arg, const accord_entry *e, const char *id)
{
	struct run *r = ((void **)arg)[0];
	struct item *it = accord_verify_item_by_id(r, id);

	return it && it->aside && !strcmp(it->e->incident, e->incident) &&
	       (!strcmp(it->e->type, "resolution") || !strcmp(it->e->type, "impact") ||
		!strcmp(it->e->type, "void") || !strcmp(it->e->type, "duplicate") ||
		!strcmp(it->e->type, "agreement") || !strcmp(it->e->type, "status")) &&
	       accord_causal_in_past(r->v->causal, e, it->e) == 1;
}

/* Whether `id` is an entry left out this round by the revocation rule. */
static int rests_on_aside(struct run *r, const struct round *rd, const char *id)
{
	struct item *it = accord_verify_item_by_id(r, id);
	struct feed *f = it ? accord_verify_find_feed(r, it->e->author.id) : NULL;

	/* the entry itself set aside, not only its feed: one resting on a fault is a fault */
	return f && it->aside &&
	       (it->fork || it->hole ||
		(rd->aside[f - r->feeds] && it->e->seq > rd->stop[f - r->feeds]));
}

/*
 * Whether every dep of `e` counts or is set aside by a rule this round.
 * An entry set aside that rests on neither (a dep missing, invalid or
 * pending) is not sound: its dependants wait like those of a bad entry.
 */
int accord_verify_deps_sound(struct run *r, const accord_entry *e)
{
	size_t i;

	for (i = 0; i < e->dep_count; i++) {
		struct item *d = accord_verify_item_by_id(r, e->deps[i]);

		if (!d || !(d->counted || d->aside))
			return 0;
	}
	return 1;
}

/*
 * Whether an entry may count given its deps: each must count this round
 * or be set aside by a rule (deps sort first, their clocks being lower).
 * A dep set aside by a rule (beyond a cut, resting on such an entry) is
 * the author's signed word, which this copy holds and judged: it does not
 * count, nor does what it would carry through a rule reference, but an
 * entry that saw it counts on its own, else a revoker would choose which
 * of other parties' work dies (docs/format.md, "Causal order"). A dep that
 * does not count for any other reason (missing, forged, refused, pending)
 * leaves the entry pending, never invalid: a copy of the dep that counts
 * makes it count (TRUST.md attack 9). A dep set aside by a revocation's
 * cut when the entry's author is of the revoked key's party also raises
 * the cut to cover it (attack 1), which accord_verify_learn_cuts does once this entry
 * counts. 0 if it may count; else the pending finding is added and -1
 * returned.
 */
static int deps_count(struct run *r, const struct round *rd, const accord_parties *p,
		      const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);
	size_t i;

	for (i = 0; i < e->dep_count; i++) {
		struct item *d = accord_verify_item_by_id(r, e->deps[i]);
		struct feed *g = d ? accord_verify_find_feed(r, d->e->author.id) : NULL;
		int64_t seq = d ? d->e->seq : 0;
		const accord_member *x;

		if (d && (d->counted || d->aside))
			continue;
		x = g ? accord_parties_member(p, g->keyid) : NULL;
		if (m && x && x != m && x->party == m->party && x->revoked && !d->fork &&
		    rd->aside[g - r->feeds] && seq > rd->stop[g - r->feeds] &&
		    accord_verify_unaware_of_revocation(r, g, x, seq, e) >= seq &&
		    !(x->revocation && accord_causal_in_past(r->v->causal, e, x->revocation) == 1))
			continue; /* it raises the cut to cover the dep (accord_verify_learn_cuts), as it does there */
		accord_verify_finding(
			r, ACCORD_AUDIT_PENDING, e->author.id, accord_verify_item_of(r, e), NULL,
			"depends on entry %.16s, which does not count on this copy: pending until a copy of it that counts arrives",
			e->deps[i]);
		return -1;
	}
	return 0;
}

/* Whether `name` is no party because its invitation, in e's causal past, is set aside this round. */
static int party_aside(struct run *r, const struct round *rd, const accord_parties *p,
		       const accord_entry *e, const char *name)
{
	size_t i;

	if (!name || accord_parties_find(p, name))
		return 0;
	for (i = 0; i < r->ninvites; i++) {
		const accord_entry *inv = r->invites[i]->e;
		const char *invited = accord_entry_str(inv, "party");

		if (invited && accord_party_names_alike(invited, name) &&
		    rests_on_aside(r, rd, inv->id) &&
		    accord_causal_in_past(r->v->causal, e, inv) == 1)
			return 1;
	}
	return 0;
}

/*
 * Whether party `name` was involved in e's incident by an involve, in e's
 * causal past, set aside this round: e's own party, or the party a ticket
 * or a pause names (attack71 02: a partner's pause waiting on a party that
 * a revoked key involved is refused for want of that involve, no fault of
 * its author).
 */
static int involve_aside(struct run *r, const struct round *rd, const accord_entry *e,
			 const char *name)
{
	size_t i;

	if (!name || !e->incident[0])
		return 0;
	for (i = accord_verify_first_on(r->involves, r->ninvolves, e->incident);
	     i < r->ninvolves && !strcmp(r->involves[i]->e->incident, e->incident); i++) {
		const accord_entry *inv = r->involves[i]->e;
		const char *party = accord_entry_str(inv, "party");

		if (party && accord_party_names_alike(party, name) &&
		    rests_on_aside(r, rd, inv->id) &&
		    accord_causal_in_past(r->v->causal, e, inv) == 1)
			return 1;
	}
	return 0;
}

/*
 * Whether `it` is a member-add whose `field` ("member", the name, or
 * "key") is `value`, set aside this round, in e's causal past.
 */
static int adds_aside(struct run *r, const struct item *it, const accord_entry *e,
		      const char *field, const char *value)
{
	const char *named = it && it->e ? accord_entry_str(it->e, field) : NULL;

	return named && it->aside && !strcmp(it->e->type, "member-add") && !strcmp(named, value) &&
	       accord_causal_in_past(r->v->causal, e, it->e) == 1;
}

/*
 * Whether the member whose `field` is `value` (a name, or a key) was
 * admitted, in e's causal past, by an admission set aside this round
 * (attack73 01: an action assigned to a member a revoked admin added;
 * attack76 01: the party's root revoking that member's key). A member-add
 * is set aside with its feed's tail, alone beyond a revoked key's cut (a
 * raise never brings back authority: attack75 02), whether the cut was
 * learnt in an earlier round or applied in this one, or as a fork side,
 * so only those parts are looked at, not the whole ledger.
 */
static int member_aside(struct run *r, const struct round *rd, const accord_parties *p,
			const accord_entry *e, const char *field, const char *value)
{
	const accord_entry *rev;
	size_t i;
	int64_t s, from, cut;

	if (!value)
		return 0;
	for (i = 0; i < r->nfeeds; i++) {
		from = rd->aside[i] ? rd->stop[i] : INT64_MAX;
		cut = accord_verify_cut_now(rd, i, accord_parties_member(p, r->feeds[i].keyid),
					    &rev);
		if (cut < from)
			from = cut;
		if (from == INT64_MAX)
			continue; /* nothing of this feed is set aside (and from + 1 would overflow) */
		for (s = from + 1; s <= (int64_t)r->feeds[i].n; s++)
			if (adds_aside(r, accord_verify_item_at(&r->feeds[i], s), e, field, value))
				return 1;
	}
	for (i = 0; i < r->nforks; i++)
		if (adds_aside(r, r->forks[i], e, field, value))
			return 1;
	return 0;
}

/*
 * Whether `e` refers, other than through its author's own admission, to
 * an entry set aside this round: the incident it is about, the involve
 * that made it its party's incident or the involve of a party it names,
 * the proposal, revision or evidence it names, a party whose invitation
 * is set aside, a member whose admission is. Such an
 * entry is refused for want of what it names, no fault of its author: it
 * is set aside alone (a hole), and its feed goes on, else a revocation
 * below an admission or invitation would stop every feed that built on it.
 */
static int refers_to_aside(struct run *r, const struct round *rd, const accord_parties *p,
			   const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);
	const cJSON *item, *action;

	if (rests_on_aside(r, rd, accord_entry_str(e, "resolution")) ||
	    rests_on_aside(r, rd, accord_entry_str(e, "proposal")) ||
	    rests_on_aside(r, rd, accord_entry_str(e, "revises")) ||
	    (e->incident[0] && rests_on_aside(r, rd, e->incident)) ||
	    (m && involve_aside(r, rd, e, p->parties[m->party].name)) ||
	    involve_aside(r, rd, e, accord_entry_str(e, "party")) ||
	    involve_aside(r, rd, e, accord_entry_str(e, "on")) ||
	    party_aside(r, rd, p, e, accord_entry_str(e, "party")) ||
	    party_aside(r, rd, p, e, accord_entry_str(e, "on")) ||
	    party_aside(r, rd, p, e, accord_entry_str(e, "with")) ||
	    rests_on_aside(r, rd, accord_entry_str(e, "entry")) ||
	    rests_on_aside(r, rd, accord_entry_str(e, "of")) ||
	    rests_on_aside(r, rd, accord_entry_str(e, "evidence")) ||
	    member_aside(r, rd, p, e, "member", accord_entry_str(e, "owner")) ||
	    (!strcmp(e->type, "member-revoke") &&
	     member_aside(r, rd, p, e, "key", accord_entry_str(e, "key"))))
		return 1;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(e->body, "parties"))
		if (cJSON_IsString(item) && party_aside(r, rd, p, e, item->valuestring))
			return 1;
	/* a resolution's action items name the parties that own them */
	cJSON_ArrayForEach(action, cJSON_GetObjectItemCaseSensitive(e->body, "actions"))
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(action, "owners"))
			if (cJSON_IsString(item) && party_aside(r, rd, p, e, item->valuestring))
				return 1;
	return 0;
}

/*
 * Authorization failures named by what went wrong. 0 if the entry is a
 * fault; else set aside by a rule: 1 past a cut or resting on such an
 * entry through its admission or invite, which stops its feed; 2 when it
 * refers to such an entry otherwise (refers_to_aside), set aside alone.
 */
static int deny_finding(struct run *r, const struct round *rd, const accord_parties *p,
			struct item *it, const accord_entry *e, const char *why)
{
	const accord_member *m = accord_parties_member(p, e->author.id);

	if (p->last_rule == ACCORD_RULE_WRONG_KEY) {
		accord_verify_finding(r, ACCORD_AUDIT_WRONG_SIGNER, e->author.id, it, NULL, "%s",
				      why);
	} else if (p->last_rule == ACCORD_RULE_AFTER_REVOCATION) {
		accord_verify_finding(r, ACCORD_AUDIT_REVOKED_KEY, e->author.id, it, NULL, "%s",
				      why);
		return 1;
	} else if (p->last_rule == ACCORD_RULE_PAST_CUT) {
		accord_verify_finding(r, ACCORD_AUDIT_PAST_CUT, e->author.id, it, NULL, "%s", why);
		return 1;
	} else if (rests_on_aside(r, rd, e->admission) ||
		   rests_on_aside(r, rd, accord_entry_str(e, "invite"))) {
		accord_verify_finding(r, ACCORD_AUDIT_PAST_CUT, e->author.id, it, NULL,
				      "rests on an entry set aside beyond its key's cut: %s", why);
		return 1;
	} else if (refers_to_aside(r, rd, p, e)) {
		accord_verify_finding(r, ACCORD_AUDIT_PAST_CUT, e->author.id, it, NULL,
				      "refers to an entry set aside beyond its key's cut: %s", why);
		return m && !m->revoked ? 2 : 1;
	} else if (!m && strcmp(e->type, "party-accept") != 0 &&
		   !accord_parties_invite_for(p, e->author.id)) {
		accord_verify_finding(r, ACCORD_AUDIT_UNKNOWN_KEY, e->author.id, it, NULL,
				      "key %s is a member of no party at this point: %s",
				      e->author.id, why);
	} else if (!strcmp(e->type, "cosign")) {
		accord_verify_finding(
			r, ACCORD_AUDIT_BAD_COSIGN, e->author.id, it, NULL,
			"%s (a missing proposal, or one whose bytes were not accepted)", why);
	} else {
		accord_verify_finding(r, ACCORD_AUDIT_NOT_AUTHORIZED, e->author.id, it, NULL, "%s",
				      why);
	}
	return 0;
}

/* Set aside entry `it` on a side of its key's fork, for `why`: its signed word travels. -1. */
static int fork_side_aside(struct run *r, struct round *rd, struct item *it, size_t fi,
			   const char *gives, const char *why)
{
	const accord_entry *e = it->e;

	accord_verify_finding(
		r, ACCORD_AUDIT_FORKED, e->author.id, it, NULL,
		"key %s signed two entries with seq %lld; this %s entry (seq %lld) is on one side of the fork%s, and %s",
		e->author.id, (long long)r->feeds[fi].forked_at, e->type, (long long)e->seq, gives,
		why);
	rd->aside[fi] = 1;
	it->aside = accord_verify_deps_sound(r, e);
	return -1;
}

/*
 * An entry of a forked key at or past the fork, on either side (TRUST.md
 * attack 2): it counts only where its prev counts, it is within any cut,
 * a counted entry of a key that did not fork has it in its causal past
 * (accord_verify_vouch_forks), one of an admin of its party if it gives
 * authority and the other side does too, and the usual rules hold. Else it is set aside, its
 * author's signed word that travels; nothing else of the feed stops. 0 if
 * it counts.
 */
static int replay_fork(struct run *r, struct round *rd, accord_parties *p, struct item *it,
		       int64_t pre)
{
	const accord_entry *e = it->e;
	struct feed *f = accord_verify_find_feed(r, e->author.id);
	size_t fi = (size_t)(f - r->feeds);
	struct item *pv = e->seq > 1 ? accord_verify_item_by_id(r, e->prev) : NULL;
	const accord_member *m;
	char why[512];

	if (!it->fork_ok || (pv && !pv->counted) || (!pv && e->seq > 1) ||
	    (pv && !pv->fork && pv->e->seq > rd->stop[fi])) {
		/* follows an entry that does not count: set aside with it, else left out */
		it->aside = it->fork_ok && pv && pv->aside && accord_verify_deps_sound(r, e);
		return -1;
	}
	if (e->seq > pre) {
		int after = (m = accord_parties_member(p, e->author.id)) && m->revocation &&
			    accord_causal_in_past(r->v->causal, e, m->revocation) == 1;

		accord_verify_finding(
			r, after ? ACCORD_AUDIT_REVOKED_KEY : ACCORD_AUDIT_PAST_CUT, e->author.id,
			it, NULL,
			"key %s was revoked with cut %lld; this %s entry is seq %lld, beyond it",
			e->author.id, (long long)pre, e->type, (long long)e->seq);
		rd->aside[fi] = 1;
		it->aside = accord_verify_deps_sound(r, e);
		return -1;
	}
	if (accord_verify_beyond_cut_authority(r, rd, p, it) ||
	    accord_verify_raised_over(r, rd, p, it, fi)) {
		accord_verify_set_aside_hole(r, p, it);
		return -1;
	}
	if (!it->vouched)
		return fork_side_aside(r, rd, it, fi, "",
				       "no counted entry of another key depends on it");
	if (deps_count(r, rd, p, e) < 0)
		return -1;
	m = accord_parties_member(p, e->author.id);
	if (f->contested && accord_verify_gives_authority(e) && !(m && m->revoked) &&
	    (m && m->root ? f->rotated /* no admin chooses a root (attack101 02) */
			  : !it->vouched_own)) {
		/*
		 * Who holds a key can sign a rotation (or an admission) on each
		 * side of its fork, and show each side to different members first:
		 * only the key's own party chooses who takes its place (attack88 01).
		 * A revoked key's authority past its cut is refused as past-cut. A
		 * root has no one above it to choose (attack97 01): its fork is
		 * judged as any other, and its party's recovery key is the way out,
		 * but for a rival rotation, which would hand a thief the root
		 * (attack99 01): neither side counts, whoever vouches (an admin is
		 * below the root: attack101 02), until the recovery key acts.
		 */
		return fork_side_aside(
			r, rd, it, fi, " and gives authority",
			"no counted entry of an admin of its party depends on it (accord member vouch)");
	}
	if (accord_parties_apply(p, e) < 0) {
		snprintf(why, sizeof(why), "%s", accord_error_last());
		it->aside = deny_finding(r, rd, p, it, e, why) && accord_verify_deps_sound(r, e);
		return -1;
	}
	it->counted = 1;
	return 0;
}

/*
 * A rotation that does not count, written unaware of a revocation of its
 * key: the successor it names is the member's key, revoked too
 * (accord_parties_retire_rotation). Known from an earlier round
 * (rd->retire: a fork side, or a recovery of a root), or now: set aside
 * beyond its key's cut (past it, or on a feed that stopped at it, not at a
 * fault below it).
 */
static void retire_rotation(struct run *r, const struct round *rd, accord_parties *p,
			    const accord_entry *e, size_t fi)
{
	const accord_member *m;
	const accord_entry *rev;
	int64_t cut;

	if (strcmp(e->type, "key-rotate") != 0 || !(m = accord_parties_member(p, e->author.id)))
		return;
	if ((rev = accord_idmap_get(&rd->retire, e->id))) {
		accord_parties_retire_rotation(p, e, m, rev);
		return;
	}
	cut = accord_verify_cut_now(rd, fi, m, &rev);
	if (cut == INT64_MAX || e->seq <= cut || rd->stop[fi] < cut || !rev ||
	    strcmp(rev->type, "member-revoke") != 0 ||
	    accord_causal_in_past(r->v->causal, e, rev) == 1)
		return;
	accord_parties_retire_rotation(p, e, m, rev);
}

/*
 * One replay in ledger order of the entries within each feed's cut. An
 * entry the rules refuse is a finding, and its feed stops there. A cut
 * learnt in an earlier round holds from the start, since entries beyond
 * it may sort before their revocation. Returns the entries that count.
 */
static size_t replay_once(struct run *r, accord_entry **all, size_t n, struct round *rd,
			  accord_entry **kept, accord_parties *p)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		accord_entry *e = all[i];
		struct feed *f = accord_verify_find_feed(r, e->author.id);
		size_t fi = (size_t)(f - r->feeds);
		int64_t raise = accord_verify_raise_of(rd, fi);
		int64_t pre = rd->precut[fi] > raise ? rd->precut[fi] : raise;
		struct item *it = accord_verify_item_of(r, e);
		char why[512];

		if (it && it->fork) {
			if (replay_fork(r, rd, p, it, pre) == 0)
				kept[k++] = e;
			else
				retire_rotation(r, rd, p, e, fi);
			continue;
		}
		if (e->seq > rd->stop[fi]) {
			struct item *prev = accord_verify_item_at(f, e->seq - 1);

			retire_rotation(r, rd, p, e, fi);

			/* a feed set aside by a rule stays its author's word up to its first fault */
			if (rd->aside[fi] && e->seq <= rd->sound[fi] && prev && prev->aside &&
			    accord_verify_deps_sound(r, e))
				accord_verify_item_of(r, e)->aside = 1;
			continue;
		}
		if (e->seq > pre) {
			const accord_member *m = accord_parties_member(p, e->author.id);
			int after = m && m->revocation &&
				    accord_causal_in_past(r->v->causal, e, m->revocation) == 1;

			retire_rotation(r, rd, p, e, fi);
			accord_verify_finding(
				r, after ? ACCORD_AUDIT_REVOKED_KEY : ACCORD_AUDIT_PAST_CUT,
				e->author.id, accord_verify_item_of(r, e), NULL,
				"key %s was revoked with cut %lld; this %s entry is seq %lld, beyond it%s",
				e->author.id, (long long)pre, e->type, (long long)e->seq,
				after ? ", written after the revocation"
				      : " (written before its author learned of the revocation)");
			rd->stop[fi] = e->seq - 1;
			rd->aside[fi] = 1;
			accord_verify_item_of(r, e)->aside = accord_verify_deps_sound(r, e);
			continue;
		}
		if (accord_verify_beyond_cut_authority(r, rd, p, it) ||
		    accord_verify_raised_over(r, rd, p, it, fi)) {
			retire_rotation(r, rd, p, e, fi);
			accord_verify_set_aside_hole(r, p, it);
			continue;
		}
		if (deps_count(r, rd, p, e) < 0) {
			rd->stop[fi] = e->seq - 1;
			continue;
		}
		if (accord_parties_apply(p, e) < 0) {
			int aside;

			snprintf(why, sizeof(why), "%s", accord_error_last());
			if (p->last_rule == ACCORD_RULE_PAST_CUT)
				retire_rotation(r, rd, p, e, fi);
			/* refused for its own author's revocation: it rests on nothing (attack57 02) */
			if (p->last_rule != ACCORD_RULE_AFTER_REVOCATION &&
			    p->last_rule != ACCORD_RULE_PAST_CUT)
				accord_verify_note_refused(rd, e);
			aside = deny_finding(r, rd, p, it, e, why);
			it->aside = aside && accord_verify_deps_sound(r, e);
			if (aside == 2) {
				it->hole =
					1; /* refused for what it names alone: the feed goes on */
				continue;
			}
			rd->aside[fi] = aside;
			rd->stop[fi] = e->seq - 1;
			continue;
		}
		accord_verify_item_of(r, e)->counted = 1;
		kept[k++] = e;
	}
	return k;
}

/* A new round starts from nothing but the cuts and raises learnt: no finding, verdict or state of the last. */
static void start_round(struct run *r, struct round *rd, size_t mark, void **floor_arg)
{
	accord_verification *v = r->v;
	size_t i, j;

	for (i = mark; i < v->finding_count; i++)
		accord_finding_dispose(&v->findings[i]);
	v->finding_count = mark;
	for (i = 0; i < r->nfeeds; i++) {
		rd->stop[i] = rd->sound[i] = r->feeds[i].cut;
		rd->aside[i] = 0;
		for (j = 0; j < r->feeds[i].n; j++)
			r->feeds[i].items[j].counted = r->feeds[i].items[j].aside =
				r->feeds[i].items[j].hole = 0;
	}
	for (i = 0; i < r->nforks; i++)
		r->forks[i]->counted = r->forks[i]->aside = r->forks[i]->hole = 0;
	rd->nrefused = 0;
	accord_parties_dispose(&v->parties);
	accord_parties_init(&v->parties);
	v->parties.causal = v->causal;
	v->parties.cut_floor = floor_of;
	v->parties.cut_floor_arg = floor_arg;
	v->parties.set_aside = proposal_aside;
}

/* What the verification says of the entries that count: clocks, times, the genesis. */
static void summarize(accord_verification *v)
{
	size_t i;

	for (i = 0; i < v->count; i++) {
		const accord_entry *e = v->entries[i];

		if (e->lamport > v->max_lamport)
			v->max_lamport = e->lamport;
		if (!v->first_time || e->time < v->first_time)
			v->first_time = e->time;
		if (e->time > v->last_time)
			v->last_time = e->time;
		if (!strcmp(e->type, "genesis"))
			v->genesis = e;
	}
}

/* Replay rounds that may extend vouching for a fork's sides (accord_verify_vouch_forks). */
#define VOUCH_ROUNDS 8

int accord_verify_replay(struct run *r)
{
	accord_verification *v = r->v;
	accord_entry **all = NULL, **kept = NULL;
	struct round rd = { 0 };
	void *floor_arg[2] = { r, &rd };
	size_t n = 0, i, j, k = 0, mark, rounds, vouch_rounds;
	int raising;

	for (i = 0; i < r->nfeeds; i++)
		n += r->feeds[i].n;
	if (!(rd.stop = calloc(r->nfeeds + 1, sizeof(*rd.stop))) ||
	    !(rd.aside = calloc(r->nfeeds + 1, sizeof(*rd.aside))) ||
	    !(rd.precut = calloc(r->nfeeds + 1, sizeof(*rd.precut))) ||
	    !(rd.by = calloc(r->nfeeds + 1, sizeof(*rd.by))) ||
	    !(rd.raise = calloc(r->nfeeds + 1, sizeof(*rd.raise))) ||
	    !(rd.steps_top = calloc(r->nfeeds + 1, sizeof(*rd.steps_top))) ||
	    !(rd.prev_steps = calloc(r->nfeeds + 1, sizeof(*rd.prev_steps))) ||
	    !(rd.prev2_steps = calloc(r->nfeeds + 1, sizeof(*rd.prev2_steps))) ||
	    !(rd.prefix = calloc(r->nfeeds + 1, sizeof(*rd.prefix))) ||
	    !(rd.sound = calloc(r->nfeeds + 1, sizeof(*rd.sound))))
		accord_oom();
	for (i = 0; i < COVER_KINDS; i++) {
		rd.raised[i] = accord_xcalloc(r->nfeeds + 1, sizeof(*rd.raised[i]));
		rd.rested[i] = accord_xcalloc(r->nfeeds + 1, sizeof(*rd.rested[i]));
	}
	for (i = 0; i < r->nfeeds; i++)
		rd.precut[i] = INT64_MAX;
	accord_verify_causal_pass(r);
	accord_verify_mark_contested(r);
	if (!(all = calloc(n + r->nforks + 1, sizeof(*all))) ||
	    !(kept = calloc(n + r->nforks + 1, sizeof(*kept))))
		accord_oom();
	n = accord_verify_in_ledger_order(r, all);
	/*
	 * Replay; a revocation can cut entries that sorted before it, and an
	 * entry of the revoked key's party can raise a cut, which changes what
	 * follows: replay again until the cuts hold. The findings of refused
	 * entries are those of the last round.
	 */
	mark = v->finding_count;
	for (raising = 0, rounds = vouch_rounds = 0;;) {
		start_round(r, &rd, mark, floor_arg);
		k = replay_once(r, all, n, &rd, kept, &v->parties);
		v->replays++;
		/*
		 * A cut dropped because its revoker was cut can revive entries,
		 * but only down the admission tree (an admin revokes below it
		 * only), so rounds are bounded by its depth; the cap only
		 * guarantees an end, the same on every copy.
		 */
		if (++rounds > 2 * r->nfeeds + 8 + r->nforks || rd.swing) {
			/*
			 * Decisions still swinging at the cap, or found to swing
			 * with period two (each round would replay the whole
			 * ledger to the cap: attack71): one more round with only
			 * what the last two rounds' decisions both kept, so the
			 * verdict never depends on the round the cap fell on,
			 * which another key's fork moves (attack67 01), and a
			 * swing on one incident undoes no decision elsewhere.
			 */
			if (raising && accord_verify_settle_decisions(r, &rd)) {
				start_round(r, &rd, mark, floor_arg);
				k = replay_once(r, all, n, &rd, kept, &v->parties);
				v->replays++;
			}
			break;
		}
		/*
		 * Vouching grows one admission deep a round (a key admitted on a
		 * fork side vouches for the next admission there), and each round
		 * replays the ledger: a forked admin's chain of them would cost
		 * every copy a replay per link (attack34 B 05). It settles within
		 * VOUCH_ROUNDS rounds; what only a deeper link vouches for stays
		 * set aside, the same on every copy.
		 */
		if (vouch_rounds < VOUCH_ROUNDS &&
		    accord_verify_vouch_forks(r, kept, k, &v->parties)) {
			vouch_rounds++;
			rd.quiet = 0;
			continue;
		}
		if (accord_verify_learn_cuts(r, kept, k, &v->parties, &rd, raising))
			continue;
		if (raising || !accord_verify_learn_cuts(r, kept, k, &v->parties, &rd, 1))
			break;
		raising = 1;
	}
	for (i = 0; i < r->nfeeds; i++) {
		struct feed *f = &r->feeds[i];

		f->cut = rd.stop[i];
		/* this copy's side of a fork counts as far as it is vouched for */
		while (f->forked_at && f->cut < (int64_t)f->n && f->items[f->cut].fork &&
		       f->items[f->cut].counted && f->items[f->cut].seq == f->cut + 1)
			f->cut++;
	}
	accord_verify_set_valid_until(r, &v->parties);
	accord_verify_settle_recovered_forks(v);
	/* the state outlives this run: no callbacks into it */
	v->parties.cut_floor = NULL;
	v->parties.cut_floor_arg = NULL;
	v->parties.set_aside = NULL;
	v->entries = kept;
	v->count = k;
	summarize(v);
	free(all);
	free(rd.stop);
	free(rd.aside);
	free(rd.precut);
	free(rd.by);
	free(rd.raise);
	free(rd.steps_top);
	for (i = 0; i < r->nfeeds; i++) {
		accord_idmap_dispose(&rd.prev_steps[i]);
		accord_idmap_dispose(&rd.prev2_steps[i]);
	}
	free(rd.prev_steps);
	free(rd.prev2_steps);
	free(rd.prefix);
	for (j = 0; j < COVER_KINDS; j++) {
		for (i = 0; i < r->nfeeds; i++) {
			accord_idmap_dispose(&rd.raised[j][i]);
			accord_idmap_dispose(&rd.rested[j][i]);
		}
		free(rd.raised[j]);
		free(rd.rested[j]);
	}
	free(rd.sound);
	free(rd.refused);
	accord_idmap_dispose(&rd.retire);
	return 0;
}
