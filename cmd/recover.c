/* accord recover: re-record, under your current key, what an old key of yours wrote that no longer counts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/idmap.h"
#include "array.h"
#include "cmd.h"

static const char recover_usage[] =
	"usage: accord recover --from KEY [--with-evidence] [--dry-run] [--json]\n\n"
	"After a key forked (the same key used on two machines) or was replaced, its\n"
	"entries from the fork on do not count on any copy. Re-record them under the\n"
	"key of this key home, which must be an active member of the same party (an\n"
	"admin adds it with accord member add). Run it on each machine that wrote\n"
	"with the old key: each re-records its own branch (the old key's feed past what\n"
	"counts). Each entry keeps its type, incident and body;\n"
	"incidents and proposals it opened get new ids, and later entries follow them.\n"
	"Membership acts and checkpoints are not re-recorded, nor what was signed with\n"
	"the old key knowing that it was revoked or replaced; from a revoked or\n"
	"replaced key, only notes, impact windows, SLA measurements and opens (no\n"
	"status, cosign, proposal, involve, action or other decision): the rest is\n"
	"listed; sign again what you stand by. What another key of the party recorded\n"
	"already (an earlier recover) is not recorded twice.\n\n"
	"  --from KEY   the old key id (or a unique prefix of at least 8 digits)\n"
	"  --with-evidence  also the other branch kept as evidence (when the machine\n"
	"               that wrote it is lost; never on both machines)\n"
	"  --dry-run    list what would be re-recorded, write nothing\n"
	"  --json       print {recorded:[{old, new, type}], skipped:[{old, type, reason}]}\n";

/* Types that speak for the key's membership or its view of feeds, not for an incident. */
static int is_membership(const char *type)
{
	static const char *const skip[] = { "genesis",	  "party-invite",  "party-accept",
					    "member-add", "member-revoke", "key-rotate",
					    "checkpoint" };
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(*skip); i++)
		if (!strcmp(type, skip[i]))
			return 1;
	return 0;
}

/*
 * What a revoked or replaced key's entries may be re-recorded as: the
 * member's words and figures (notes, impact windows, SLA measurements, the
 * opens they rest on). Everything else decides something for the party (a
 * signature, a proposal, a status, an involve, an action, a void), and
 * whoever held the key may have left the revocation out of what it
 * depended on, so that its work looks like the member's stale work
 * (attack33 01, attack34 04). The member signs again what it stands by.
 */
static int is_restated(const accord_entry *e)
{
	static const char *const kinds[] = { "note", "impact", "sla", "open" };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(e->type, kinds[i]))
			return 1;
	return 0;
}

/* The member whose key id starts with `prefix`, or NULL (an error is printed). */
static const accord_member *find_old_key(accord_ctx *ctx, const char *prefix)
{
	const accord_parties *p = accord_ledger_parties(ctx->ledger);
	const accord_member *found = NULL;
	size_t i, n = strlen(prefix), hits = 0;

	for (i = 0; i < p->member_count; i++)
		if (!strncmp(p->members[i]->key.id, prefix, n)) {
			found = p->members[i];
			hits++;
		}
	if (n < 8 || hits != 1) {
		cmd_failf(ACCORD_EXIT_FAIL,
			  hits > 1 ? "key %s is ambiguous" : "no member key %s in this ledger",
			  prefix);
		return NULL;
	}
	return found;
}

/*
 * Which of the old key's excluded entries were written knowing of its
 * revocation (or rotation) `rev`: `rev` is in their causal past, through a
 * dep or their feed's earlier entries. Those are not the member's honest
 * stale work but what someone holding the key wrote after it was retired
 * (a thief's cosign): re-recording them would launder them (attack32 04).
 * knew[i] for list[i].
 */
static void knew_of_revocation(unsigned char *knew, const accord_ledger *l, accord_entry **list,
			       size_t n, const accord_entry *rev)
{
	accord_idmap at = ACCORD_IDMAP_INIT;
	size_t i, j;
	int changed = 1;

	for (i = 0; i < n; i++)
		accord_idmap_put(&at, list[i]->id, (void *)(uintptr_t)(i + 1));
	/* what counts: one question to the ledger per reference */
	for (i = 0; i < n; i++) {
		const accord_entry *e = list[i], *d;

		for (j = 0; j <= e->dep_count && !knew[i]; j++) {
			const char *ref = j < e->dep_count ? e->deps[j] : e->prev;

			if (!ref[0])
				continue;
			if (!strcmp(ref, rev->id))
				knew[i] = 1;
			else if ((d = accord_ledger_entry(l, ref)) &&
				 accord_ledger_in_past(l, d, rev) == 1)
				knew[i] = 1;
		}
	}
	/* and through the excluded entries it rests on */
	while (changed) {
		changed = 0;
		for (i = 0; i < n; i++) {
			const accord_entry *e = list[i];

			for (j = 0; j <= e->dep_count && !knew[i]; j++) {
				const char *ref = j < e->dep_count ? e->deps[j] : e->prev;
				size_t k = (size_t)(uintptr_t)accord_idmap_get(&at, ref);

				if (ref[0] && k && knew[k - 1])
					knew[i] = changed = 1;
			}
		}
	}
	accord_idmap_dispose(&at);
}

/* A copy of `body` with every string that names a re-recorded entry renamed. */
static cJSON *remap_body(const cJSON *body, const accord_idmap *renamed)
{
	cJSON *copy = cJSON_Duplicate(body, 1), *m;

	if (!copy)
		accord_oom();
	cJSON_ArrayForEach(m, copy) {
		const char *now;

		if (cJSON_IsString(m) && (now = accord_idmap_get(renamed, m->valuestring)))
			cJSON_SetValuestring(m, now);
	}
	return copy;
}

/*
 * Check that the key of this key home may recover `old`'s work: an active
 * member of the same party, not `old` itself. Sets *nowp to its member.
 * Returns 0, or the exit code (the message said).
 */
static int check_keys(const accord_member **nowp, accord_ctx *ctx, const accord_member *old)
{
	const accord_member *now;

	*nowp = now = accord_parties_member(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);
	if (!now || now->revoked)
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"your key %s is not an active member here; have an admin of your party add it (accord member add)",
			ctx->key->pub.id);
	if (now == old)
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"key %s is the key of this key home: recover with a new key (accord key new, then accord member add by an admin)",
			old->key.id);
	if (now->party != old->party)
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"key %s belongs to party %s, yours to %s: a party recovers only its own members' work",
			old->key.id, accord_ledger_parties(ctx->ledger)->parties[old->party].name,
			accord_ledger_parties(ctx->ledger)->parties[now->party].name);
	return 0;
}

/* An entry an earlier recover may have written, and whether it matched one already. */
struct candidate {
	const accord_entry *e;
	int fresh; /* by a key added since the old key's first entry that no longer counts */
	int used;
};

/*
 * Where an earlier recover may have put what it re-recorded (any machine
 * may have run it): entries of the old key's party by its other keys.
 */
static struct candidate *party_entries(size_t *count, const accord_ledger *l,
				       const accord_member *old, int64_t since)
{
	const accord_parties *p = accord_ledger_parties(l);
	struct candidate *out = NULL;
	size_t i;

	*count = 0;
	for (i = 0; i < accord_ledger_entry_count(l); i++) {
		const accord_entry *e = accord_ledger_entry_at(l, i);
		const accord_member *m = accord_parties_member(p, e->author.id);
		struct candidate c = { e, 0, 0 };

		if (!m || m == old || m->party != old->party || is_membership(e->type))
			continue;
		c.fresh = m->added >= since;
		ACCORD_PUSH(out, *count, c);
	}
	return out;
}

/*
 * The entry that already re-records `e` as `incident` and `body` (renamed):
 * the same type, incident and body, by another key of its party, not
 * matched to another entry yet; or NULL. Recover run twice (plain, then
 * --with-evidence, or again after a sync) must not record an incident or a
 * window twice, doubling the customer-minutes (explore60b 02).
 */
static const accord_entry *recorded_before(struct candidate *cands, size_t n,
					   const accord_member *old, const accord_entry *e,
					   const char *incident, const cJSON *body)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const accord_entry *c = cands[i].e;

		/*
		 * A re-recording comes after its original (a second later at
		 * least), by a key added since or after the old key's revocation:
		 * another member's incident opened alike before it is no
		 * re-recording (review60 F4).
		 */
		if (cands[i].used || c->time <= e->time ||
		    !(cands[i].fresh || (old->revoked && c->time > old->revoked_at)) ||
		    strcmp(c->type, e->type) != 0 ||
		    strcmp(c->incident, incident ? incident : "") != 0 ||
		    !cJSON_Compare(c->body, body, 1))
			continue;
		cands[i].used = 1;
		return c;
	}
	return NULL;
}

/* Say that entry `e` is not re-recorded, and why: into `skip` with --json, else on stdout. */
static void say_skipped(cJSON *skip, const accord_entry *e, const char *why)
{
	if (skip) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "old", e->id);
		cJSON_AddStringToObject(x, "type", e->type);
		cJSON_AddStringToObject(x, "reason", why);
		cJSON_AddItemToArray(skip, x);
	} else {
		printf("skipped  %.12s %-13s %s\n", e->id, cmd_esc(e->type, 0), cmd_esc(why, 0));
	}
}

/*
 * Say that entry `e` is re-recorded as `id` (NULL in a dry run): into `rec`
 * with --json, else on stdout.
 */
static void say_recorded(cJSON *rec, const accord_entry *e, const char *id)
{
	if (rec) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "old", e->id);
		if (!id)
			cJSON_AddNullToObject(x, "new");
		else
			cJSON_AddStringToObject(x, "new", id);
		cJSON_AddStringToObject(x, "type", e->type);
		cJSON_AddItemToArray(rec, x);
	} else {
		printf("%s %.12s %-13s -> %.12s\n", !id ? "would re-record" : "recorded", e->id,
		       e->type, !id ? "(dry run)" : id);
	}
}

int cmd_recover(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },    { "dry-run", no_argument, NULL, 'n' },
		{ "with-evidence", no_argument, NULL, 'e' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },	     { NULL, 0, NULL, 0 },
	};
	const char *from = NULL;
	const accord_member *old, *now;
	accord_entry **list = NULL;
	struct candidate *before = NULL;
	accord_idmap renamed = ACCORD_IDMAP_INIT;
	char **ids = NULL;
	unsigned char *knew = NULL;
	size_t nbefore = 0;
	cJSON *doc = NULL, *rec = NULL, *skip = NULL;
	size_t n = 0, i, done = 0, skipped = 0;
	int c, dry = 0, json = 0, with_evidence = 0, error = 0;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 'n': dry = 1; break;
		case 'e': with_evidence = 1; break;
		case 'j': json = 1; break;
		case 'h': fputs(recover_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (!from)
		return cmd_usage_error(ctx, "recover needs --from KEY (the old key id)");
	/* the full ledger: what counts must be known entry by entry */
	if ((error = cmd_load_key(ctx)) != 0 || (error = cmd_load_fields(ctx, 1)) != 0)
		return error;
	if (!(old = find_old_key(ctx, from)))
		return ACCORD_EXIT_FAIL;
	if ((error = check_keys(&now, ctx, old)) != 0)
		return error;
	if ((error = accord_ledger_excluded(&list, &n, ctx->ledger, old->key.id, with_evidence)) <
	    0)
		return cmd_fail(error);
	if (!(ids = calloc(n + 1, sizeof(*ids))) || !(knew = calloc(n + 1, 1)))
		accord_oom();
	if (old->revoked && old->revocation)
		knew_of_revocation(knew, ctx->ledger, list, n, old->revocation);
	{
		int64_t since = INT64_MAX;

		for (i = 0; i < n; i++)
			if (list[i]->time < since)
				since = list[i]->time;
		before = party_entries(&nbefore, ctx->ledger, old, since);
	}
	if (json) {
		doc = cJSON_CreateObject();
		rec = cJSON_AddArrayToObject(doc, "recorded");
		skip = cJSON_AddArrayToObject(doc, "skipped");
	}
	for (i = 0; i < n; i++) {
		const accord_entry *e = list[i];
		const char *incident = e->incident[0] ? e->incident : NULL, *why = NULL;
		char id[ACCORD_ID_HEXLEN + 1] = "";
		cJSON *body;

		if (is_membership(e->type))
			why = "membership acts and checkpoints are not re-recorded";
		else if (knew[i])
			why = "written knowing that the key was revoked or replaced: not its owner's "
			      "work from before, never re-recorded";
		else if (old->revoked && !is_restated(e))
			why = "signed with a key since revoked or replaced: of such a key only notes, "
			      "impact windows, SLA measurements and opens are re-recorded; sign it again "
			      "if you stand by it";
		else if (incident && accord_idmap_get(&renamed, incident))
			incident = accord_idmap_get(&renamed, incident);
		if (why) {
			skipped++;
			say_skipped(skip, e, why);
			continue;
		}
		body = remap_body(e->body, &renamed);
		{
			const accord_entry *was =
				recorded_before(before, nbefore, old, e, incident, body);

			if (was) {
				char said[96];

				/* later entries follow it, as they follow what this run records */
				accord_idmap_put(&renamed, e->id, (void *)was->id);
				snprintf(said, sizeof(said), "re-recorded already, as %.12s",
					 was->id);
				cJSON_Delete(body);
				skipped++;
				say_skipped(skip, e, said);
				continue;
			}
		}
		if (!dry) {
			error = accord_ledger_append(id, ctx->ledger, ctx->key, e->type, incident,
						     body);
			if (error < 0) {
				cJSON_Delete(body);
				error = cmd_failf(
					cmd_exit_code(error),
					"re-recording %s entry %.12s: %s (%zu re-recorded before it)",
					e->type, e->id, accord_error_last(), done);
				goto done;
			}
			if (!(ids[i] = strdup(id)))
				accord_oom();
			accord_idmap_put(&renamed, e->id, ids[i]);
		}
		cJSON_Delete(body);
		done++;
		say_recorded(rec, e, dry ? NULL : id);
	}
	if (json) {
		cmd_print_json(doc);
		doc = NULL;
	} else
		printf("%s %zu entr%s of key %.12s under key %.12s; %zu skipped\n",
		       dry ? "would re-record" : "re-recorded", done, done == 1 ? "y" : "ies",
		       old->key.id, ctx->key->pub.id, skipped);
	error = 0;
done:
	cJSON_Delete(doc);
	for (i = 0; i < n; i++) {
		accord_entry_free(list[i]);
		free(ids[i]);
	}
	free(list);
	free(ids);
	free(knew);
	free(before);
	accord_idmap_dispose(&renamed);
	return error;
}
