/*
 * accord member vouch: an admin vouches for an admission in its party (a
 * rotation, a member-add) that a fork of the key that signed it set aside
 * (docs/format.md, "Threat model").
 *
 * A rotation is signed by the key it retires, so whoever else holds that key
 * (an old laptop, a backup) can fork it before another member's entry
 * depends on the rotation; both sides then stop counting, the successor
 * with them. Nothing in the entries tells the member's side from the
 * thief's: the same shape is a stolen current key rotated to the thief's
 * key. Another key's counted entry that depends on one side is what makes
 * it count, so an admin who knows which successor is the member's names it.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char vouch_usage[] =
	"usage: accord member vouch KEY\n\n"
	"When a member's old key was used again after it rotated (a copy of it on\n"
	"another machine, or in someone else's hands), or an admin's key signed two\n"
	"entries where it added a member or invited a party, the rotation, member-add\n"
	"or invitation and the key it admitted can stop counting. If you are an admin\n"
	"of that party and know the admitted key is the member's, vouch for it: a\n"
	"checkpoint of yours names the admission, and it counts again, with what\n"
	"rests on it. The other side of the fork stays set aside. Sync to share it.\n\n"
	"  KEY   the admitted key's id (accord key show, on the member's machine) or\n"
	"        the id of the key that signed the admission, or a unique prefix of\n"
	"        at least 8 digits\n";

/* A rotation, member-add, invitation or revocation that does not count here, and the keys on both ends. */
struct candidate {
	accord_entry *rotation; /* the admission or revocation (owned) */
	const accord_member *old;
	accord_pubkey next;
	const accord_finding *fork; /* the old key's equivocation, if any */
};

static const accord_finding *equivocation_of(const accord_ledger *l, const char *keyid)
{
	const accord_finding *f = NULL;
	size_t i, n;

	f = accord_ledger_findings(l, &n);
	for (i = 0; i < n; i++)
		if (!strcmp(f[i].feed, keyid) && f[i].kind == ACCORD_AUDIT_EQUIVOCATION)
			return &f[i];
	return NULL;
}

static int prefix_of(const char *arg, const char *id)
{
	return !strncmp(id, arg, strlen(arg));
}

/* Keep each excluded entry of `m` that admits or revokes a key matching `arg`; free the rest. */
static void collect(struct candidate **out, size_t *count, const accord_ledger *l,
		    const accord_member *m, const char *arg)
{
	accord_entry **list = NULL;
	size_t i, n = 0;

	if (accord_ledger_excluded(&list, &n, l, m->key.id, 1) < 0) {
		accord_error_clear();
		return;
	}
	for (i = 0; i < n; i++) {
		accord_entry *e = list[i];
		const char *hex = accord_entry_str(e, "key");
		accord_pubkey next;

		memset(&next, 0, sizeof(next));
		if ((strcmp(e->type, "key-rotate") != 0 && strcmp(e->type, "member-add") != 0 &&
		     strcmp(e->type, "party-invite") != 0 &&
		     strcmp(e->type, "member-revoke") != 0) ||
		    !hex || accord_hex_decode(next.pk, sizeof(next.pk), hex) < 0) {
			accord_entry_free(e);
			continue;
		}
		accord_pubkey_set_id(&next);
		if (!prefix_of(arg, m->key.id) && !prefix_of(arg, next.id)) {
			accord_entry_free(e);
			continue;
		}
		if (!(*out = realloc(*out, (*count + 1) * sizeof(**out))))
			accord_oom();
		(*out)[*count].rotation = e;
		(*out)[*count].old = m;
		(*out)[*count].next = next;
		(*out)[*count].fork = equivocation_of(l, m->key.id);
		(*count)++;
	}
	free(list);
}

/* The ledger as verified in full after the vouch, kept in the index. */
static int verdict(accord_ctx *ctx, const struct candidate *c, const char *written)
{
	accord_ledger_options opts = ACCORD_LEDGER_OPTIONS_INIT;
	accord_ledger *full = NULL;
	const accord_member *now;
	char old[ACCORD_KEYID_HEXLEN + 1];
	int error;

	/* a full verification: the index would not re-judge entries it already set aside */
	memcpy(old, c->old->key.id, sizeof(old));
	opts.flags = ACCORD_LEDGER_OPEN_ENTRIES;
	if ((error = accord_ledger_open(&full, ctx->store, &opts)) < 0)
		return cmd_fail(error);
	accord_ledger_free(ctx->ledger); /* c->old pointed into it */
	ctx->ledger = full;
	cmd_save_index(ctx);
	now = accord_parties_member(accord_ledger_parties(full), c->next.id);
	/* the key vouched for may have rotated again since: its last successor holds the seat */
	while (now && now->revoked && now->rotated_to && now->revocation &&
	       !strcmp(now->revocation->author.id, now->key.id))
		now = now->rotated_to;
	/* the entry itself must count: a rival another admin vouched for may sort first */
	if (accord_ledger_entry(full, c->rotation->id) && now &&
	    !strcmp(c->rotation->type, "member-revoke")) {
		printf("vouched for the member-revoke %.12s (checkpoint %.12s): key %s of %s stays "
		       "revoked\n",
		       c->rotation->id, written, c->next.id, cmd_esc(now->key.name, 0));
		return 0;
	}
	if (accord_ledger_entry(full, c->rotation->id) && now && !now->revoked) {
		/* another admin may vouch for the other side at once: the first in ledger order wins */
		printf("vouched for the %s %.12s (checkpoint %.12s): key %s is %s of %s again%s%s%s; "
		       "sync, and check: if another admin vouched for another side at once, the "
		       "first in ledger order takes the seat\n",
		       c->rotation->type, c->rotation->id, written, now->key.id,
		       cmd_esc(now->key.name, 0),
		       cmd_esc(accord_ledger_parties(full)->parties[now->party].name, 0),
		       strcmp(c->rotation->type, "key-rotate") ? "" : ", key ",
		       strcmp(c->rotation->type, "key-rotate") ? "" : old,
		       strcmp(c->rotation->type, "key-rotate") ? "" : " stays retired");
		return 0;
	}
	return cmd_failf(ACCORD_EXIT_VERIFY,
			 "checkpoint %.12s names the %s %.12s, but it still does not count "
			 "here; run accord audit for why",
			 written, c->rotation->type, c->rotation->id);
}

/* A counted entry of the key that signed `e`, at e's seq, that is not e: the fork's other side. */
static const accord_entry *other_side(const accord_ledger *l, const accord_entry *e)
{
	size_t i;

	for (i = 0; i < accord_ledger_entry_count(l); i++) {
		const accord_entry *x = accord_ledger_entry_at(l, i);

		if (x->seq == e->seq && !strcmp(x->author.id, e->author.id) && strcmp(x->id, e->id))
			return x;
	}
	return NULL;
}

static int vouch(accord_ctx *ctx, const char *arg)
{
	const accord_parties *p = accord_ledger_parties(ctx->ledger);
	const accord_member *me = accord_parties_member(p, ctx->key->pub.id);
	struct candidate *cand = NULL, *c;
	const accord_entry *won;
	char written[ACCORD_ID_HEXLEN + 1];
	size_t i, n = 0, pick, named;
	int code;

	if (!me || me->revoked)
		return cmd_failf(ACCORD_EXIT_FAIL, "key %s is not an active member here",
				 ctx->key->pub.id);
	if (!me->admin && !me->root)
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "only an admin of %s vouches for an admission of its members",
				 p->parties[me->party].name);
	/*
	 * A key that rotated again after a contested rotation (the one `key
	 * show` gives on the member's machine): the vouch is for the rotation
	 * that admitted its first successor (attack118 02).
	 */
	for (i = 0, named = 0; i < p->member_count; i++)
		if (p->members[i]->party == me->party && prefix_of(arg, p->members[i]->key.id)) {
			pick = i;
			named++;
		}
	if (named == 1) {
		const accord_member *first =
			accord_parties_contested_successor(p, p->members[pick]);

		if (first && first != p->members[pick]) {
			fprintf(stderr,
				"accord: key %s took its place through key %s, whose rotation is "
				"contested: vouching for that rotation\n",
				p->members[pick]->key.id, first->key.id);
			arg = first->key.id;
		}
	}
	for (i = 0; i < p->member_count; i++) {
		const accord_member *m = p->members[i];

		/* revoked ones too: a thief's rival rotation may be the one that counts */
		if (m->party == me->party && m != me)
			collect(&cand, &n, ctx->ledger, m, arg);
	}
	if (n == 0) {
		code = cmd_failf(
			ACCORD_EXIT_FAIL,
			"no admission or revocation of a key of %s that does not count names or "
			"is signed by key %s: nothing to vouch for",
			cmd_esc(p->parties[me->party].name, 0), arg);
		goto done;
	}
	/*
	 * The admitted key's id picks its admission: a successor that rotated
	 * again also signed one (attack117 01).
	 */
	for (i = 0, pick = n, named = 0; n > 1 && i < n; i++)
		if (prefix_of(arg, cand[i].next.id)) {
			pick = i;
			named++;
		}
	if (named == 1) {
		struct candidate keep = cand[pick];

		cand[pick] = cand[0];
		cand[0] = keep;
		for (i = 1; i < n; i++)
			accord_entry_free(cand[i].rotation);
		n = 1;
	}
	if (n > 1) {
		/* a rival rotation (one per side of the fork): the admin chooses, accord does not */
		code = cmd_failf(
			ACCORD_EXIT_USAGE,
			"%s matches %zu admissions; give the admitted key's id of the one to vouch for:",
			arg, n);
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %s  %s %.12s by %s (%s), seq %lld\n", cand[i].next.id,
				cand[i].rotation->type, cand[i].rotation->id, cand[i].old->key.id,
				cmd_esc(cand[i].old->key.name, 0),
				(long long)cand[i].rotation->seq);
		goto done;
	}
	c = &cand[0];
	if (c->old->root) {
		/* no admin chooses who holds the root: the party's recovery key does */
		code = cmd_failf(
			ACCORD_EXIT_FAIL,
			"key %s is %s's root: a contest of its rotation waits for the party's "
			"recovery key (accord party recover), not for an admin's vouch",
			c->old->key.id, cmd_esc(p->parties[me->party].name, 0));
		goto done;
	}
	if (c->old->revoked) {
		/*
		 * Retired by its other rotation (an admin of the party had it in its
		 * causal past first: its choice), or revoked: nothing to vouch back.
		 */
		code = cmd_failf(
			ACCORD_EXIT_FAIL,
			"the %s %.12s of key %s to key %s does not count, and key %s is retired or "
			"revoked here (accord member list shows what took its place). A vouch cannot undo "
			"that: if the key that took %s's place is not %s's, revoke it (accord member "
			"revoke) and add %s a new key (accord member add); the member re-records its work "
			"with accord recover",
			c->rotation->type, c->rotation->id, c->old->key.id, c->next.id,
			c->old->key.id, cmd_esc(c->old->key.name, 0), cmd_esc(c->old->key.name, 0),
			cmd_esc(c->old->key.name, 0));
		goto done;
	}
	if (!c->fork) {
		/* set aside for something else (a bad entry, a cut): a vouch changes nothing there */
		code = cmd_failf(ACCORD_EXIT_FAIL,
				 "the %s %.12s of key %s does not count, but its key did not "
				 "fork: a vouch would not change that; run accord audit for why",
				 c->rotation->type, c->rotation->id, c->old->key.id);
		goto done;
	}
	if (!strcmp(c->next.id, me->key.id)) {
		code = cmd_failf(ACCORD_EXIT_FAIL, "a key cannot vouch for its own admission");
		goto done;
	}
	if ((won = other_side(ctx->ledger, c->rotation))) {
		/* a contest has one winner: the side an admin vouched for first (attack108 02) */
		code = cmd_failf(
			ACCORD_EXIT_FAIL,
			"the %s %.12s of key %s does not count: the %s %.12s at the same seq %lld, "
			"another side of that fork, counts already (an admin vouched for it first). "
			"A vouch cannot undo that: if that side is not %s's, undo what it did "
			"(accord member revoke the key it admitted) and do it again (accord member add)",
			c->rotation->type, c->rotation->id, c->old->key.id, won->type, won->id,
			(long long)won->seq, cmd_esc(c->old->key.name, 0));
		goto done;
	}
	if ((code = accord_ledger_vouch(written, ctx->ledger, ctx->key, c->rotation)) < 0) {
		code = cmd_fail(code);
		goto done;
	}
	code = verdict(ctx, c, written);
done:
	for (i = 0; i < n; i++)
		accord_entry_free(cand[i].rotation);
	free(cand);
	return code;
}

int cmd_member_vouch(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'h': fputs(vouch_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one key id");
	if (strlen(argv[optind]) < 8 || !accord_is_lower_hex(argv[optind], strlen(argv[optind])) ||
	    strlen(argv[optind]) > ACCORD_KEYID_HEXLEN)
		return cmd_usage_error(ctx, "%s is no key id (8 to 32 lowercase hex digits)",
				       argv[optind]);
	if ((error = cmd_setup(ctx)))
		return error;
	return vouch(ctx, argv[optind]);
}
