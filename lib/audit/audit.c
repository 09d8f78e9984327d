/*
 * The audit: the verification engine's verdicts over every ref under
 * refs/accord/ (verify.c), plus what only an audit checks: the partners'
 * checkpoints and the heads a previous clean audit recorded. See
 * docs/audit.md for the kinds and for what counts after a finding.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/audit.h"
#include "encode.h"
#include "causal.h"
#include "accord/error.h"
#include "file.h"
#include "accord/idmap.h"
#include "accord/incident.h"
#include "json.h"
#include "accord/timefmt.h"
#include "alloc.h"
#include "array.h"

#define HEADS_FILE "verified-heads"

struct claim {
	char feed[ACCORD_KEYID_HEXLEN + 1];
	int64_t seq;
	char hash[ACCORD_ID_HEXLEN + 1];
	const accord_entry *by;
};

static int cmp_claim(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;
	int c = strcmp(x->feed, y->feed);

	if (c)
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->hash, y->hash);
}

static void label_key(char *out, size_t len, const accord_verification *v, const char *keyid)
{
	accord_parties_label(out, len, &v->parties, keyid);
}

static accord_audit_feed *audit_feed(accord_audit *a, const char *keyid)
{
	size_t i;

	for (i = 0; i < a->feed_count; i++)
		if (!strcmp(a->feeds[i].keyid, keyid))
			return &a->feeds[i];
	return NULL;
}

/*
 * A failed signature whose bytes something signed names differently is a
 * modified entry, not a mere mismatch: upgrade the engine's finding.
 */
static void modified(accord_verification *v, const accord_verified_item *it, const char *why)
{
	size_t i;

	for (i = 0; i < v->finding_count; i++) {
		accord_finding *f = &v->findings[i];
		char *e;

		if (f->kind != ACCORD_AUDIT_SIGNATURE_MISMATCH ||
		    strcmp(f->commit, it->commit) != 0)
			continue;
		if (asprintf(
			    &e,
			    "the signature does not verify and %s: the entry was changed after it was signed",
			    why) < 0)
			accord_oom();
		free(f->explanation);
		f->explanation = e;
		f->kind = ACCORD_AUDIT_ENTRY_MODIFIED;
	}
}

/*
 * Witnessing: how far partners' checkpoints vouch for each feed, and the
 * proof that an entry whose signature fails was modified (a checkpoint
 * that counts names its original bytes).
 */
static void check_checkpoints(accord_audit *a, accord_verification *v)
{
	struct claim *claims = NULL;
	size_t n = 0, cap = 0, i;

	for (i = 0; i < v->count; i++) {
		const accord_entry *e = v->entries[i];
		const cJSON *h;

		if (strcmp(e->type, "checkpoint") != 0)
			continue;
		a->checkpoints++;
		cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(e->body, "heads")) {
			const char *feed = accord_json_str(h, "feed"),
				   *hash = accord_json_str(h, "hash");
			int64_t seq;

			if (!feed || !hash || accord_json_int(&seq, h, "seq") < 0)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				if (!(claims = realloc(claims, cap * sizeof(*claims))))
					accord_oom();
			}
			snprintf(claims[n].feed, sizeof(claims[n].feed), "%s", feed);
			snprintf(claims[n].hash, sizeof(claims[n].hash), "%s", hash);
			claims[n].seq = seq;
			claims[n].by = e;
			n++;
		}
	}
	if (n)
		qsort(claims, n, sizeof(*claims), cmp_claim);
	for (i = 0; i < n; i++) {
		struct claim *c = &claims[i];
		const accord_verified_feed *f = accord_verification_feed(v, c->feed);
		const accord_verified_item *mine = f ? accord_verified_feed_item(f, c->seq) : NULL;
		accord_audit_feed *af = audit_feed(a, c->feed);
		char by[160], why[512];

		label_key(by, sizeof(by), v, c->by->author.id);
		if (af && c->seq > af->witnessed_seq) {
			af->witnessed_seq = c->seq;
			snprintf(af->witnessed_by, sizeof(af->witnessed_by), "%s", by);
		}
		if (!mine || !strcmp(mine->id, c->hash))
			continue;
		/* a signed entry that differs is the engine's to judge (false-checkpoint) */
		if (mine->sigfail) {
			snprintf(
				why, sizeof(why),
				"the checkpoint %.16s by %s names %.16s at seq %lld, but these bytes hash to %.16s",
				c->by->id, by, c->hash, (long long)c->seq, mine->id);
			modified(v, mine, why);
		}
	}
	free(claims);
}

/* Compare with the heads a previous clean audit recorded. */
static void check_record(accord_audit *a, accord_verification *v, accord_store *store)
{
	accord_verified_head *heads = NULL;
	size_t n = 0, i;
	char ledger[ACCORD_ID_HEXLEN + 1] = "", why[512];

	if (accord_audit_heads_read(&heads, &n, ledger, store) < 0) {
		accord_error_clear();
		return;
	}
	a->had_record = 1;
	if (v->ledger[0] && strcmp(ledger, v->ledger) != 0)
		accord_verification_add(
			v, ACCORD_AUDIT_ROLLBACK, NULL, NULL, NULL,
			"the verified heads were recorded for ledger %.16s, but this is ledger %.16s",
			ledger, v->ledger);
	for (i = 0; i < n; i++) {
		accord_verified_head *h = &heads[i];
		const accord_verified_feed *f = accord_verification_feed(v, h->keyid);
		const accord_verified_item *mine = f ? accord_verified_feed_item(f, h->seq) : NULL;

		if (!f || f->count == 0) {
			accord_verification_add(
				v, ACCORD_AUDIT_ROLLBACK, h->keyid, NULL, f ? f->ref : NULL,
				"feed %s was verified up to seq %lld (entry %.16s), but %s",
				h->keyid, (long long)h->seq, h->entry,
				f ? "it cannot be read now" : "its ref is gone");
			continue;
		}
		if (!mine) {
			const accord_verified_item *last = &f->items[f->count - 1];

			accord_verification_add(
				v, ACCORD_AUDIT_ROLLBACK, h->keyid, last, f->ref,
				"feed %s was verified up to seq %lld (entry %.16s); it now ends at seq %lld: truncated or rolled back",
				h->keyid, (long long)h->seq, h->entry, (long long)last->seq);
			continue;
		}
		if (!strcmp(mine->id, h->entry))
			continue;
		if (mine->sigfail) {
			snprintf(
				why, sizeof(why),
				"a previous audit verified seq %lld as %.16s, but these bytes hash to %.16s",
				(long long)h->seq, h->entry, mine->id);
			modified(v, mine, why);
			continue;
		}
		accord_verification_add(
			v, ACCORD_AUDIT_ROLLBACK, h->keyid, mine, f->ref,
			"feed %s was verified with entry %.16s at seq %lld; it now has %.16s there: history rewritten",
			h->keyid, h->entry, (long long)h->seq, mine->id);
	}
	free(heads);
}

/* A head a checkpoint claims that no feed of this copy holds, and whose checkpoint claims it. */
struct lack {
	char feed[ACCORD_KEYID_HEXLEN + 1];
	int64_t seq;
	char by[160];
};

/* Every head a checkpoint in `list` claims that is not in `held`, into `out` (id -> struct lack). */
static void claimed_lacks(accord_idmap *out, const accord_idmap *held, accord_entry *const *list,
			  size_t n, const accord_verification *v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const cJSON *h;

		if (strcmp(list[i]->type, "checkpoint") != 0)
			continue;
		cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(list[i]->body, "heads")) {
			const char *f = accord_json_str(h, "feed"),
				   *hash = accord_json_str(h, "hash");
			struct lack *l;
			int64_t seq;

			if (!f || !hash || accord_json_int(&seq, h, "seq") < 0 ||
			    accord_idmap_get(held, hash) || accord_idmap_get(out, hash))
				continue;
			l = accord_xcalloc(1, sizeof(*l));
			snprintf(l->feed, sizeof(l->feed), "%s", f);
			l->seq = seq;
			label_key(l->by, sizeof(l->by), v, list[i]->author.id);
			accord_idmap_put(out, hash, l);
		}
	}
}

/*
 * The entry-missing finding for `id`, a head a checkpoint claims as seq
 * `l->seq` of `l->feed`. The claim is told, not taken: such a checkpoint
 * does not count here (it waits on what it claims), and a false one must
 * not set the finding against the feed it names (review60 F1).
 */
static void lack_claimed(accord_verification *v, const char *id, const struct lack *l)
{
	const accord_verified_feed *f = accord_verification_feed(v, l->feed);
	const accord_verified_item *there = f ? accord_verified_feed_item(f, l->seq) : NULL;
	char feed[160];
	accord_finding *x;

	label_key(feed, sizeof(feed), v, l->feed);
	if (there && there->id[0])
		accord_verification_add(
			v, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
			"entry %.16s is in no feed of this copy; a checkpoint of %s names it as seq %lld of feed %s (%s), which holds another signed entry there (%.16s): that feed was rewritten, or the checkpoint is false",
			id, l->by, (long long)l->seq, l->feed, feed, there->id);
	else
		accord_verification_add(
			v, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
			"entry %.16s is in no feed of this copy; a checkpoint of %s names it as seq %lld of feed %s (%s), which this copy holds to seq %lld only: cut back, deleted or withheld, or the checkpoint is false",
			id, l->by, (long long)l->seq, l->feed, feed,
			f && f->count ? (long long)f->items[f->count - 1].seq : 0LL);
	x = &v->findings[v->finding_count - 1];
	memcpy(x->entry, id, ACCORD_ID_HEXLEN + 1);
}

/*
 * Entries here that depend on an entry no feed of this copy holds, in any
 * form, prove the copy incomplete: withheld, deleted, or rewritten by its
 * own author (explore60c 01); so do checkpoints naming heads it holds no
 * entry of. Pending is a wait, no verdict on those entries; but an audit
 * that finds nothing else wrong must not call such a copy clean, or a hub
 * that withheld a revocation would pass. Each missing entry is an
 * entry-missing finding, telling as which feed and seq a checkpoint names
 * it where one does (told, not taken: no finding is set against a feed).
 * With other faults the copy is not clean anyway, and their pending
 * entries say what they wait for.
 */
static void check_missing(accord_verification *v)
{
	accord_idmap held = ACCORD_IDMAP_INIT, done = ACCORD_IDMAP_INIT, lacks = ACCORD_IDMAP_INIT;
	struct wait {
		char dep[ACCORD_ID_HEXLEN + 1];
		char feed[ACCORD_KEYID_HEXLEN + 1];
		int64_t seq;
	} *waits = NULL, w;
	size_t i, j, n = 0;

	for (i = 0; i < v->finding_count; i++)
		if (!v->findings[i].set_aside)
			return;
	/* copied out: adding findings moves them, and the maps borrow their keys */
	for (i = 0; i < v->finding_count; i++) {
		const accord_finding *p = &v->findings[i];

		if (p->kind != ACCORD_AUDIT_PENDING || !p->dep[0])
			continue;
		memcpy(w.dep, p->dep, sizeof(w.dep));
		memcpy(w.feed, p->feed, sizeof(w.feed));
		w.seq = p->seq;
		ACCORD_PUSH(waits, n, w);
	}
	/*
	 * A checkpoint that counts names heads in its own causal past, held
	 * here: only those that do not count can name what is missing. With
	 * neither those nor waits (a clean ledger), no map of every id is made.
	 */
	for (i = 0, j = 0; i < v->held_count && !j; i++)
		j = !strcmp(v->held[i]->type, "checkpoint");
	if (!n && !j) {
		free(waits);
		return;
	}
	for (i = 0; i < v->feed_count; i++)
		for (j = 0; j < v->feeds[i].count; j++)
			if (v->feeds[i].items[j].id[0])
				accord_idmap_put(&held, v->feeds[i].items[j].id, &v->feeds[i]);
	claimed_lacks(&lacks, &held, v->held, v->held_count, v);
	for (i = 0; i < n; i++) {
		const struct lack *l;
		char who[160];
		accord_finding *x;

		if (accord_idmap_get(&held, waits[i].dep) || accord_idmap_get(&done, waits[i].dep))
			continue;
		accord_idmap_put(&done, waits[i].dep, v);
		if ((l = accord_idmap_get(&lacks, waits[i].dep))) {
			lack_claimed(v, waits[i].dep, l);
			continue;
		}
		label_key(who, sizeof(who), v, waits[i].feed);
		accord_verification_add(
			v, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
			"entry %.16s, which %s's seq %lld depends on, is in no feed of this copy: deleted or withheld (its dependants wait for it)",
			waits[i].dep, who, (long long)waits[i].seq);
		x = &v->findings[v->finding_count - 1];
		memcpy(x->entry, waits[i].dep, sizeof(x->entry));
	}
	/* heads claimed by checkpoints that no entry's deps named first */
	for (i = 0; i < lacks.size; i++) {
		const char *id = lacks.slots[i].key;

		if (id && !accord_idmap_get(&done, id))
			lack_claimed(v, id, lacks.slots[i].value);
	}
	for (i = 0; i < lacks.size; i++)
		free(lacks.slots[i].value);
	accord_idmap_dispose(&lacks);
	accord_idmap_dispose(&held);
	accord_idmap_dispose(&done);
	free(waits);
}

static int causal_in_past(const accord_entry *later, const accord_entry *earlier, void *payload)
{
	int yes = accord_causal_in_past(payload, later, earlier);

	return yes < 0 ? accord_error_set(ACCORD_ENOTFOUND,
					  "entry %.16s is not in the causal graph", later->id)
		       : yes;
}

/* An incident's entries that count, in ledger order, the open first. */
typedef struct {
	const accord_entry **entries;
	size_t count;
} incident_entries;

/*
 * Entries that count but changed nothing because they did not know of a
 * decision (a close, a joint resolution): derived per incident as show
 * derives them, reported as set aside.
 */
static int check_late(accord_verification *v)
{
	accord_idmap by_id = ACCORD_IDMAP_INIT;
	incident_entries *incs = NULL;
	size_t n = 0, i, j;
	int error = 0;

	if (!v->causal)
		return 0;
	if (!(incs = calloc(v->count + 1, sizeof(*incs))))
		accord_oom();
	for (i = 0; i < v->count; i++) {
		const accord_entry *e = v->entries[i];
		incident_entries *li;

		if (!strcmp(e->type, "open")) {
			li = &incs[n++];
			accord_idmap_put(&by_id, e->id, li);
		} else if (!e->incident[0] || !(li = accord_idmap_get(&by_id, e->incident))) {
			continue;
		}
		li->entries = realloc(li->entries, (li->count + 1) * sizeof(*li->entries));
		if (!li->entries)
			accord_oom();
		li->entries[li->count++] = e;
	}
	for (i = 0; i < n && error == 0; i++) {
		accord_incident *inc = NULL;

		if ((error = accord_incident_build_from(&inc, &v->parties, incs[i].entries,
							incs[i].count, causal_in_past, v->causal)) <
		    0)
			break;
		for (j = 0; j < inc->mark_count; j++) {
			const accord_mark *m = &inc->marks[j];
			const accord_verified_feed *f =
				accord_verification_feed(v, m->entry->author.id);

			if (strncmp(m->mark, "late:", 5) != 0 ||
			    accord_incident_mark(inc, m->entry) != m)
				continue;
			accord_verification_add(v, ACCORD_AUDIT_LATE, m->entry->author.id,
						f ? accord_verified_feed_item(f, m->entry->seq)
						  : NULL,
						f ? f->ref : NULL, "%s of incident %.12s, %s",
						m->entry->type, inc->id, m->mark);
		}
		accord_incident_free(inc);
	}
	for (i = 0; i < n; i++)
		free(incs[i].entries);
	free(incs);
	accord_idmap_dispose(&by_id);
	return error;
}

int accord_audit_run(accord_audit **out, accord_store *store, const accord_audit_options *opts)
{
	accord_verify_options vo = ACCORD_VERIFY_OPTIONS_INIT;
	accord_verification *v = NULL;
	accord_audit *a;
	size_t i;
	int error;

	if (opts)
		vo.threads = opts->threads;
	vo.lean = 1;		   /* the audit shows no entry: keep only what the rules read */
	vo.no_signature_cache = 1; /* and checks every signature itself */
	if ((error = accord_verify_refs(&v, store, &vo)) < 0)
		return error;
	if (!(a = calloc(1, sizeof(*a))) ||
	    !(a->feeds = calloc(v->feed_count + 1, sizeof(*a->feeds))))
		accord_oom();
	memcpy(a->ledger, v->ledger, sizeof(a->ledger));
	memcpy(a->title, v->title, sizeof(a->title));
	a->feed_count = v->feed_count;
	for (i = 0; i < v->feed_count; i++) {
		const accord_verified_feed *f = &v->feeds[i];
		accord_audit_feed *o = &a->feeds[i];

		memcpy(o->keyid, f->keyid, sizeof(o->keyid));
		label_key(o->label, sizeof(o->label), v, f->keyid);
		o->entries = f->count;
		o->verified = (size_t)f->valid;
		if ((size_t)f->valid < f->count)
			o->broken_at = f->items[f->valid].seq;
		if (f->count) {
			const accord_verified_item *h = &f->items[f->count - 1];

			o->head_seq = h->id[0] ? h->seq : 0;
			memcpy(o->head_commit, h->commit, sizeof(o->head_commit));
			memcpy(o->head_entry, h->id, sizeof(o->head_entry));
		}
	}
	a->entries =
		v->read + v->fork_side; /* a fork's other side counts where others depend on it */
	a->verified = v->count;
	a->evidence = v->evidence;
	a->replays = v->replays;
	a->first_time = v->first_time;
	a->last_time = v->last_time;
	check_checkpoints(a, v);
	check_record(a, v, store);
	check_missing(v);
	if ((error = check_late(v)) < 0) {
		free(a->feeds);
		free(a);
		accord_verification_free(v);
		return error;
	}
	accord_verification_sort(v);
	/* the audit shows the engine's findings; the entries stay with the verification */
	a->findings = v->findings;
	a->finding_count = v->finding_count;
	v->findings = NULL;
	v->finding_count = v->finding_cap = 0;
	a->parties = v->parties;
	accord_parties_init(&v->parties);
	a->v = v;
	*out = a;
	return 0;
}

void accord_audit_free(accord_audit *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->finding_count; i++)
		accord_finding_dispose(&a->findings[i]);
	free(a->findings);
	free(a->feeds);
	accord_parties_dispose(&a->parties);
	accord_verification_free(a->v);
	free(a);
}

/* ---- the record of verified heads ---- */

int accord_audit_heads_read(accord_verified_head **out, size_t *count, char *ledger,
			    accord_store *store)
{
	accord_buf text = ACCORD_BUF_INIT;
	accord_verified_head *heads = NULL;
	size_t n = 0, cap = 0;
	char *path = NULL, *line, *save = NULL;
	int error;

	if ((error = accord_store_state_path(&path, store, HEADS_FILE)) < 0)
		return error;
	if (access(path, F_OK) != 0) {
		error = accord_error_set(ACCORD_ENOTFOUND, "no record of verified heads (%s)",
					 path);
		free(path);
		return error;
	}
	if ((error = accord_buf_read_regular(&text, path, 64 << 20)) < 0)
		goto done;
	for (line = strtok_r(text.ptr ? text.ptr : "", "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		accord_verified_head h;
		long long seq;
		char extra;

		if (line[0] == '#') {
			char id[ACCORD_ID_HEXLEN + 1];

			if (ledger && sscanf(line, "# accord verified heads %64s", id) == 1)
				snprintf(ledger, ACCORD_ID_HEXLEN + 1, "%s", id);
			continue;
		}
		memset(&h, 0, sizeof(h));
		if (sscanf(line, "%32s %lld %64s %40s %c", h.keyid, &seq, h.entry, h.commit,
			   &extra) != 4 ||
		    strlen(h.keyid) != ACCORD_KEYID_HEXLEN ||
		    !accord_is_lower_hex(h.keyid, ACCORD_KEYID_HEXLEN) || seq < 1 ||
		    !accord_is_lower_hex(h.entry, ACCORD_ID_HEXLEN) ||
		    strlen(h.entry) != ACCORD_ID_HEXLEN || !accord_is_lower_hex(h.commit, 40) ||
		    strlen(h.commit) != 40) {
			error = accord_error_set(ACCORD_EINVALID, "%s: malformed line '%.80s'",
						 path, line);
			goto done;
		}
		h.seq = seq;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(heads = realloc(heads, cap * sizeof(*heads))))
				accord_oom();
		}
		heads[n++] = h;
	}
	*out = heads;
	*count = n;
	heads = NULL;
	error = 0;
done:
	free(heads);
	free(path);
	accord_buf_dispose(&text);
	return error;
}

int accord_audit_heads_write(accord_store *store, const accord_audit *a)
{
	accord_buf text = ACCORD_BUF_INIT;
	char *path = NULL, when[ACCORD_TIME_LEN];
	size_t i;
	int error = 0;

	if (a->finding_count)
		return accord_error_set(ACCORD_EINVALID, "only a clean audit's heads are recorded");
	accord_time_format(when, accord_time_now());
	accord_buf_printf(&text, "# accord verified heads %s %s\n", a->ledger, when);
	for (i = 0; i < a->feed_count; i++) {
		const accord_audit_feed *f = &a->feeds[i];

		if (f->head_seq > 0 && f->head_entry[0])
			accord_buf_printf(&text, "%s %lld %s %s\n", f->keyid,
					  (long long)f->head_seq, f->head_entry, f->head_commit);
	}
	if ((error = accord_store_state_path(&path, store, HEADS_FILE)) < 0)
		goto done;
	error = accord_file_write_atomic(path, text.ptr, text.size, 0644);
done:
	free(path);
	accord_buf_dispose(&text);
	return error;
}
