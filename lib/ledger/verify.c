/*
 * The verification engine (verify.h): every feed read root first, every
 * commit checked on its own on every core, then the chains, then the
 * ledger id, equivocation, authorization and revocation in ledger order.
 * Problems become findings; an entry that does not count takes with it
 * only its feed's later entries and what rests on it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "causal.h"
#include "encode.h"
#include "accord/error.h"
#include "accord/idmap.h"
#include "sigcache.h"
#include "accord/verify.h"
#include "array.h"
#include "verify_impl.h"

static const struct {
	const char *name;
	const char *summary;
} kinds[ACCORD_AUDIT_KIND_COUNT] = {
	{ "entry-modified", "entry bytes changed after they were signed" },
	{ "wrong-signer", "signed by a key other than the entry's author" },
	{ "entry-missing", "an entry is missing from a feed (removed)" },
	{ "reordered", "entries of a feed are out of order" },
	{ "rollback",
	  "a feed no longer extends the head verified before (truncated or rewritten)" },
	{ "equivocation", "two signed entries with the same author and sequence number" },
	{ "foreign-ledger", "an entry or feed replayed from another ledger" },
	{ "unknown-key", "signed by a key of no party" },
	{ "revoked-key",
	  "signed by a revoked key beyond its cut, after its revocation (in its causal past)" },
	{ "bad-cosign", "a cosign naming a missing or altered proposal" },
	{ "malformed-entry",
	  "not an entry: malformed JSON, invalid UTF-8, duplicate keys or oversized" },
	{ "unknown-type",
	  "a type that is no type name (other unknown types are kept, not interpreted)" },
	{ "unknown-field", "a field no schema knows" },
	{ "signature-mismatch",
	  "the commit's signature does not verify over the commit and its entry" },
	{ "unknown-ref", "a ref under refs/accord/ outside the ledger's layout" },
	{ "split-view", "a partner's signed checkpoint contradicts this copy of a feed" },
	{ "time-backwards", "time runs backwards within a feed" },
	{ "schema-violation", "a field with a value its schema refuses" },
	{ "chain-broken", "prev or the Lamport clock does not follow the feed" },
	{ "wrong-feed", "an entry stored in another key's feed" },
	{ "bad-commit", "the git commit around an entry is not in accord's form or encoding" },
	{ "not-authorized", "the author was not allowed to write this entry at that point" },
	{ "false-checkpoint",
	  "a checkpoint names, for a feed and seq, an entry other than the feed's signed one, with no proof that the feed forked" },
	{ "past-cut",
	  "set aside: beyond its key's cut (written before its author learned of the revocation), or resting on such an entry" },
	{ "pending", "names dependencies this copy does not hold: not valid until they arrive" },
	{ "late",
	  "recorded but without effect: it changes a decision it does not causally follow" },
	{ "forked",
	  "set aside: an entry of a forked key, from the fork on, that no counted entry of another key depends on" },
};

const char *accord_audit_kind_name(accord_audit_kind kind)
{
	return (unsigned)kind < ACCORD_AUDIT_KIND_COUNT ? kinds[kind].name : "unknown";
}

const char *accord_audit_kind_summary(accord_audit_kind kind)
{
	return (unsigned)kind < ACCORD_AUDIT_KIND_COUNT ? kinds[kind].summary : "";
}

int accord_audit_kind_sets_aside(accord_audit_kind kind)
{
	/*
	 * Left out by a rule, no fault in what the ledger holds: entries past a
	 * cut (written before or after their author heard of the revocation:
	 * issue 12 lists both as set aside), entries waiting for their
	 * dependencies, and late changes to decisions.
	 */
	return kind == ACCORD_AUDIT_PAST_CUT || kind == ACCORD_AUDIT_REVOKED_KEY ||
	       kind == ACCORD_AUDIT_PENDING || kind == ACCORD_AUDIT_LATE ||
	       kind == ACCORD_AUDIT_FORKED;
}

static accord_finding *new_finding(accord_verification *v, accord_audit_kind kind, const char *feed,
				   const char *ref)
{
	accord_finding *f;

	if (v->finding_count == v->finding_cap) {
		accord_finding *nf;

		v->finding_cap = v->finding_cap ? v->finding_cap * 2 : 16;
		if (!(nf = realloc(v->findings, v->finding_cap * sizeof(*nf))))
			accord_oom();
		v->findings = nf;
	}
	f = &v->findings[v->finding_count++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->set_aside = accord_audit_kind_sets_aside(kind);
	snprintf(f->feed, sizeof(f->feed), "%s", feed ? feed : "");
	f->ref = ref ? accord_xstrdup(ref) : NULL;
	return f;
}

void accord_verify_finding(struct run *r, accord_audit_kind kind, const char *feed, struct item *it,
			   const char *ref, const char *fmt, ...)
{
	accord_finding *f = new_finding(r->v, kind, feed, ref);
	va_list ap;

	if (it) {
		git_oid_tostr(f->commit, sizeof(f->commit), &it->oid);
		if (it->env) {
			f->seq = it->seq;
			memcpy(f->entry, it->id, sizeof(f->entry));
		}
		memcpy(f->incident, it->incident, sizeof(f->incident));
		it->flagged = 1;
	}
	va_start(ap, fmt);
	if (vasprintf(&f->explanation, fmt, ap) < 0)
		accord_oom();
	va_end(ap);
}

void accord_verification_add(accord_verification *v, accord_audit_kind kind, const char *feed,
			     const accord_verified_item *item, const char *ref, const char *fmt,
			     ...)
{
	accord_finding *f = new_finding(v, kind, feed, ref);
	va_list ap;

	if (item) {
		memcpy(f->commit, item->commit, sizeof(f->commit));
		f->seq = item->seq;
		memcpy(f->entry, item->id, sizeof(f->entry));
	}
	va_start(ap, fmt);
	if (vasprintf(&f->explanation, fmt, ap) < 0)
		accord_oom();
	va_end(ap);
}

void accord_finding_dispose(accord_finding *f)
{
	if (!f)
		return;
	free(f->ref);
	free(f->explanation);
	f->ref = f->explanation = NULL;
}

/* ---- finding feeds and entries ---- */

/* The item of seq `seq` in a feed, or NULL (entries normally sit at seq - 1). */
struct item *accord_verify_item_at(struct feed *f, int64_t seq)
{
	size_t i;

	if (seq >= 1 && (uint64_t)seq <= f->n && f->items[seq - 1].env &&
	    f->items[seq - 1].seq == seq)
		return &f->items[seq - 1];
	for (i = 0; i < f->n; i++)
		if (f->items[i].env && f->items[i].seq == seq)
			return &f->items[i];
	return NULL;
}

/* bsearch over feeds sorted by key id, which is each struct's first member. */
static int cmp_keyid(const void *key, const void *elem)
{
	return strcmp(key, elem);
}

struct feed *accord_verify_find_feed(struct run *r, const char *keyid)
{
	return r->nfeeds ? bsearch(keyid, r->feeds, r->nfeeds, sizeof(*r->feeds), cmp_keyid) : NULL;
}

struct item *accord_verify_item_of(struct run *r, const accord_entry *e)
{
	struct item *it;
	struct feed *f;

	if (e->slot && e->slot <= r->nslots && r->slots[e->slot - 1]->e == e)
		return r->slots[e->slot - 1];
	it = accord_idmap_get(&r->byid, e->id);
	if (it && it->e == e)
		return it;
	/* an entry held but not in the graph (of another ledger): on its feed */
	f = accord_verify_find_feed(r, e->author.id);
	it = f ? accord_verify_item_at(f, e->seq) : NULL;
	return it && it->e == e ? it : NULL;
}

/* The item holding entry `id`, on a feed or on a fork's other side; NULL if none. */
struct item *accord_verify_item_by_id(struct run *r, const char *id)
{
	struct item *it = id ? accord_idmap_get(&r->byid, id) : NULL;

	return it && it->e && !strcmp(it->e->id, id) ? it : NULL;
}

/* ---- ledger order ---- */

int accord_verify_ledger_order_cmp(const void *a, const void *b)
{
	const accord_entry *x = *(accord_entry *const *)a, *y = *(accord_entry *const *)b;
	int c;

	if (x->lamport != y->lamport)
		return x->lamport < y->lamport ? -1 : 1;
	if ((c = strcmp(x->author.id, y->author.id)) != 0)
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->id, y->id); /* a fork's two entries, in one order on every copy */
}

static int cmp_item_incident(const void *a, const void *b)
{
	return strcmp((*(struct item *const *)a)->e->incident,
		      (*(struct item *const *)b)->e->incident);
}

size_t accord_verify_first_on(struct item *const *items, size_t n, const char *incident)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(items[mid]->e->incident, incident) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(items[lo]->e->incident, incident) ? lo : n;
}

/*
 * The entries that take part in the replay, in ledger order: every
 * authentic entry within its feed's cut, both sides of each fork, and no
 * entry of another ledger (its feed stops there). Fills r->invites, and
 * r->involves, r->statuses and r->signs sorted by incident (involve_aside
 * and the raises of verify_cut.c look them up).
 * Returns how many; `all` holds room for every entry read.
 */
size_t accord_verify_in_ledger_order(struct run *r, accord_entry **all)
{
	accord_verification *v = r->v;
	size_t n = 0, i, j;

	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++)
			if (r->feeds[i].items[j].authentic && !r->feeds[i].items[j].fork &&
			    !accord_verify_misplaced(&r->feeds[i], j))
				all[n++] = r->feeds[i].items[j].e;
	for (i = 0; i < r->nforks; i++)
		all[n++] = r->forks[i]->e; /* of this ledger, both sides of each fork */
	for (i = j = 0; i < n; i++) {
		accord_entry *e = all[i];
		struct feed *f = accord_verify_find_feed(r, e->author.id);
		int foreign = !strcmp(e->type, "genesis") ? strcmp(e->id, v->ledger) != 0
							  : strcmp(e->ledger, v->ledger) != 0;

		if (accord_verify_item_of(r, e) && accord_verify_item_of(r, e)->fork) {
			all[j++] = e;
			continue;
		}
		if (e->seq > f->cut)
			continue;
		if (foreign && v->ledger[0]) {
			if (!strcmp(e->type, "genesis"))
				accord_verify_finding(
					r, ACCORD_AUDIT_FOREIGN_LEDGER, e->author.id,
					accord_verify_item_of(r, e), NULL,
					"a second genesis entry, founding ledger %.16s: replayed from another ledger",
					e->id);
			else
				accord_verify_finding(
					r, ACCORD_AUDIT_FOREIGN_LEDGER, e->author.id,
					accord_verify_item_of(r, e), NULL,
					"the entry belongs to ledger %.16s, not to this ledger %.16s",
					e->ledger[0] ? e->ledger : "(none)", v->ledger);
			f->cut = e->seq - 1;
			continue;
		}
		all[j++] = e;
	}
	n = j;
	qsort(all, n, sizeof(*all), accord_verify_ledger_order_cmp);
	for (i = 0; i < n; i++) {
		const char *st = accord_entry_str(all[i], "status");

		if (!accord_verify_item_of(r, all[i]))
			continue;
		if (!strcmp(all[i]->type, "key-rotate"))
			ACCORD_PUSH(r->rotations, r->nrotations, accord_verify_item_of(r, all[i]));
		if (!strcmp(all[i]->type, "party-invite"))
			ACCORD_PUSH(r->invites, r->ninvites, accord_verify_item_of(r, all[i]));
		else if (!strcmp(all[i]->type, "involve"))
			ACCORD_PUSH(r->involves, r->ninvolves, accord_verify_item_of(r, all[i]));
		else if (!strcmp(all[i]->type, "status") && all[i]->incident[0] && st)
			ACCORD_PUSH(r->statuses, r->nstatuses, accord_verify_item_of(r, all[i]));
		else if ((!strcmp(all[i]->type, "resolution") || !strcmp(all[i]->type, "cosign")) &&
			 all[i]->incident[0])
			ACCORD_PUSH(r->signs, r->nsigns, accord_verify_item_of(r, all[i]));
	}
	if (r->ninvolves > 1)
		qsort(r->involves, r->ninvolves, sizeof(*r->involves), cmp_item_incident);
	if (r->nstatuses > 1)
		qsort(r->statuses, r->nstatuses, sizeof(*r->statuses), cmp_item_incident);
	if (r->nsigns > 1)
		qsort(r->signs, r->nsigns, sizeof(*r->signs), cmp_item_incident);
	return n;
}

/* ---- results ---- */

static int cmp_finding(const void *a, const void *b)
{
	const accord_finding *x = a, *y = b;
	int c;

	/* Findings about no feed (refs, the ledger) come last. */
	if (!x->feed[0] != !y->feed[0])
		return x->feed[0] ? -1 : 1;
	if ((c = strcmp(x->feed, y->feed)))
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->commit, y->commit)))
		return c;
	return strcmp(x->explanation, y->explanation);
}

void accord_verification_sort(accord_verification *v)
{
	size_t i;

	for (i = 0; i < v->finding_count; i++)
		if (v->findings[i].feed[0])
			accord_parties_label(v->findings[i].label, sizeof(v->findings[i].label),
					     &v->parties, v->findings[i].feed);
	if (v->finding_count)
		qsort(v->findings, v->finding_count, sizeof(*v->findings), cmp_finding);
}

/* Fill the feeds' views; the entries that count stay with v->entries, the rest are freed. */
static void finish(struct run *r)
{
	accord_verification *v = r->v;
	size_t i, j;

	/* entries of a fork's other side that count are in v->entries */
	for (i = 0; i < r->nev; i++)
		for (j = 0; j < r->ev[i].n; j++)
			if (r->ev[i].items[j].counted) {
				r->ev[i].items[j].e = NULL;
				v->fork_side++;
			}
	for (i = 0; i < r->nfeeds; i++) {
		struct feed *f = &r->feeds[i];
		accord_verified_feed *o = &v->feeds[i];

		o->valid = o->kept = f->cut;
		/* a feed's valid prefix ends on an entry that counts, never on a hole */
		while (o->valid > 0 && f->items[o->valid - 1].hole)
			o->valid--;
		v->read += f->n;
		for (j = 0; j < f->n; j++) {
			struct item *it = &f->items[j];
			accord_verified_item *pub = it->pub;

			pub->seq = it->env ? it->seq : (int64_t)j + 1;
			memcpy(pub->id, it->id, sizeof(pub->id));
			pub->sigfail = it->sigfail;
			pub->hole = it->hole;
			if ((int64_t)j < o->valid && !it->hole) {
				pub->verdict = ACCORD_VERDICT_VALID;
				o->valid_head = o->kept_head = it->oid;
				o->last = it->e;
				it->e = NULL; /* in v->entries */
			} else {
				if (it->hole)
					o->kept_head =
						it->oid; /* within the kept prefix, set aside alone */
				else if (it->aside && o->kept == (int64_t)j) {
					o->kept = (int64_t)j + 1;
					o->kept_head = it->oid;
				}
				pub->verdict = it->flagged ? ACCORD_VERDICT_INVALID
							   : ACCORD_VERDICT_FOLLOWS;
				v->left_out++;
				/* what counts is in v->entries, wherever its item lies: owned there */
				if (it->counted)
					it->e = NULL;
			}
		}
	}
	/* what does not count stays readable: the parties may name it (accord_verification.held) */
	for (i = 0; i < r->nfeeds + r->nev; i++) {
		struct feed *f = i < r->nfeeds ? &r->feeds[i] : &r->ev[i - r->nfeeds];

		for (j = 0; j < f->n; j++)
			if (f->items[j].e) {
				ACCORD_PUSH(v->held, v->held_count, f->items[j].e);
				f->items[j].e = NULL;
			}
	}
	accord_verification_sort(v);
}

static void free_feed(struct feed *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct item *it = &f->items[i];

		accord_commit_free(it->c);
		free(it->sig_msg);
		free(it->parse_msg);
		free(it->form_msg);
		free(it->modified_by);
		accord_entry_free(it->e);
		if (f->evidence)
			free(it->pub);
	}
	free(f->items);
	free(f->seqs);
	free(f->ref);
}

/* ---- refs ---- */

/* `n` bytes of `s` are a key id (what follows does not matter). */
static int is_keyid(const char *s, size_t n)
{
	size_t i;

	if (n != ACCORD_KEYID_HEXLEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* "<key id>/<commit>" after the evidence prefix: the layout the hook enforces. */
static int evidence_name_ok(const char *rest)
{
	const char *c = rest + ACCORD_KEYID_HEXLEN + 1;

	return strlen(rest) == ACCORD_KEYID_HEXLEN + 1 + GIT_OID_HEXSZ &&
	       is_keyid(rest, ACCORD_KEYID_HEXLEN) && rest[ACCORD_KEYID_HEXLEN] == '/' &&
	       accord_is_lower_hex(c, GIT_OID_HEXSZ);
}

/* A ref must point to a commit; anything else is a finding (returns 1) and is skipped. */
static int ref_commit(struct run *r, git_oid *out, const char *name, const char *keyid)
{
	git_reference *ref = NULL;
	git_odb *odb = NULL;
	git_object_t type;
	size_t size;
	char hex[41];
	int error;

	if ((error = git_reference_lookup(&ref, accord_store_repo(r->store), name)) < 0)
		return accord_error_git(error, name);
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
		accord_verify_finding(r, ACCORD_AUDIT_UNKNOWN_REF, keyid, NULL, name,
				      "ref %s is symbolic; feeds are direct refs to commits", name);
		git_reference_free(ref);
		return 1;
	}
	*out = *git_reference_target(ref);
	git_reference_free(ref);
	git_oid_tostr(hex, sizeof(hex), out);
	/* the type from the object's header: a commit libgit2 cannot parse is still there */
	if ((error = git_repository_odb(&odb, accord_store_repo(r->store))) < 0)
		return accord_error_git(error, "opening the object database");
	if (git_odb_read_header(&size, &type, odb, out) < 0) {
		git_odb_free(odb);
		accord_verify_finding(r, ACCORD_AUDIT_ENTRY_MISSING, keyid, NULL, name,
				      "ref %s points to %s, which is not in the repository", name,
				      hex);
		return 1;
	}
	git_odb_free(odb);
	if (type != GIT_OBJECT_COMMIT) {
		accord_verify_finding(r, ACCORD_AUDIT_BAD_COMMIT, keyid, NULL, name,
				      "ref %s points to a %s (%s), not to a commit", name,
				      git_object_type2string(type), hex);
		return 1;
	}
	return 0;
}

static void add_evidence(struct run *r, size_t *cap, const char *keyid, const char *ref,
			 const git_oid *head)
{
	struct feed *ev;

	if (r->nev == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		if (!(r->ev = realloc(r->ev, *cap * sizeof(*r->ev))))
			accord_oom();
	}
	ev = &r->ev[r->nev++];
	memset(ev, 0, sizeof(*ev));
	ev->evidence = 1;
	snprintf(ev->keyid, sizeof(ev->keyid), "%.32s", keyid);
	ev->ref = accord_xstrdup(ref);
	ev->head = *head;
}

/* The repository's evidence refs (and any given), as chains to read. */
static int gather_evidence(struct run *r, const accord_verify_options *opts)
{
	git_strarray refs = { NULL, 0 };
	size_t i, cap = 0;
	int error;

	for (i = 0; i < opts->evidence_count; i++) {
		char name[160], hex[GIT_OID_HEXSZ + 1];

		/* offered, not stored yet: the name it is stored under (<key id>/<commit>) */
		git_oid_tostr(hex, sizeof(hex), &opts->evidence[i].head);
		snprintf(name, sizeof(name), "%s%s/%s", ACCORD_EVIDENCE_PREFIX,
			 opts->evidence[i].keyid, hex);
		add_evidence(r, &cap, opts->evidence[i].keyid, name, &opts->evidence[i].head);
	}
	if (opts->no_evidence_refs)
		return 0;
	if ((error = accord_store_ref_list(&refs, r->store, ACCORD_EVIDENCE_PREFIX)) < 0)
		return error;
	for (i = 0; i < refs.count; i++) {
		const char *rest = refs.strings[i] + strlen(ACCORD_EVIDENCE_PREFIX);
		git_oid head;

		if (!evidence_name_ok(rest))
			continue; /* accord_verify_refs reports it as outside the layout */
		{
			char keyid[ACCORD_KEYID_HEXLEN + 1];

			snprintf(keyid, sizeof(keyid), "%.32s", rest);
			git_oid named;

			if ((error = ref_commit(r, &head, refs.strings[i], keyid)) < 0)
				break;
			if (error > 0) {
				error = 0;
				continue;
			}
			/* a ref that names another commit than it holds proves nothing (audit says so) */
			if (git_oid_fromstr(&named, rest + ACCORD_KEYID_HEXLEN + 1) < 0 ||
			    !git_oid_equal(&named, &head))
				continue;
		}
		add_evidence(r, &cap, rest, refs.strings[i], &head);
	}
	git_strarray_dispose(&refs);
	return error;
}

static int cmp_feed(const void *a, const void *b)
{
	return strcmp(((const struct feed *)a)->keyid, ((const struct feed *)b)->keyid);
}

static size_t run_count;

size_t accord_verify_run_count(void)
{
	return __atomic_load_n(&run_count, __ATOMIC_RELAXED);
}

/* One thread per core, up to 8. */
static int default_threads(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus > 0 ? (int)(cpus < 8 ? cpus : 8) : 1;
}

/* Write the memo (a thread's body): failing to costs time next run, never a verdict. */
static void *save_memo(void *memo)
{
	if (accord_sigcache_save(memo) < 0)
		accord_error_clear();
	return NULL;
}

/* Both entry points: `heads` (n) are the feeds; `refs` names their refs, or NULL. */

static int run_engine(accord_verification **out, accord_store *store, const accord_head *heads,
		      size_t n, char **refs, accord_verification *v,
		      const accord_verify_options *opts)
{
	accord_verify_options defaults = ACCORD_VERIFY_OPTIONS_INIT;
	struct pool pool;
	struct run r;
	pthread_t saver;
	size_t i;
	int error, saving = 0;

	if (!opts)
		opts = &defaults;
	__atomic_add_fetch(&run_count, 1, __ATOMIC_RELAXED);
	memset(&r, 0, sizeof(r));
	r.v = v;
	r.store = store;
	r.threads = opts->threads;
	r.lean = opts->lean;
	r.sigcache = opts->no_signature_cache ? NULL : accord_store_sigcache(store);
	accord_sigcache_load(r.sigcache); /* before any worker thread looks in it */
	if ((r.memo = r.sigcache != NULL))
		accord_verify_memo_domain(r.domain);
	if (r.threads <= 0)
		r.threads = default_threads();
	accord_verify_pool_init(&pool, r.threads, r.lean, r.sigcache, r.memo ? r.domain : NULL);
	r.pool = &pool;
	if (!(r.feeds = calloc(n + 1, sizeof(*r.feeds))) ||
	    !(v->feeds = calloc(n + 1, sizeof(*v->feeds))))
		accord_oom();
	for (i = 0; i < n; i++) {
		struct feed *f = &r.feeds[r.nfeeds];

		memcpy(f->keyid, heads[i].keyid, sizeof(f->keyid));
		f->head = heads[i].head;
		f->ref = refs ? refs[i] : NULL;
		if (refs)
			refs[i] = NULL;
		r.nfeeds++;
	}
	qsort(r.feeds, r.nfeeds, sizeof(*r.feeds), cmp_feed);
	for (i = 0; i + 1 < r.nfeeds; i++)
		if (!strcmp(r.feeds[i].keyid, r.feeds[i + 1].keyid)) {
			error = accord_error_set(ACCORD_EINVALID, "feed %s given twice",
						 r.feeds[i].keyid);
			goto done;
		}
	v->feed_count = r.nfeeds;
	for (i = 0; i < r.nfeeds; i++) {
		struct feed *f = &r.feeds[i];
		accord_verified_feed *o = &v->feeds[i];

		memcpy(o->keyid, f->keyid, sizeof(o->keyid));
		o->head = f->head;
		o->ref = f->ref ? accord_xstrdup(f->ref) : NULL;
		if (git_oid_is_zero(&f->head))
			continue; /* the ref named no commit: a finding already */
		if ((error = accord_verify_read_feed(&r, f, o)) < 0)
			goto done;
	}
	accord_verify_pick_ledger(&r);
	if ((error = gather_evidence(&r, opts)) < 0 ||
	    (error = accord_verify_read_evidence(&r)) < 0)
		goto done;
	/*
	 * Pass 1 is over: nothing puts into the memo or looks in it until this
	 * run ends, so it is written while the rules replay, on a core the
	 * replay leaves idle (a million commits' records: about a second).
	 */
	if (r.sigcache && pthread_create(&saver, NULL, save_memo, r.sigcache) == 0)
		saving = 1;
	accord_verify_replay(&r);
	finish(&r);
	if (saving)
		pthread_join(saver, NULL);
	else if (r.sigcache)
		save_memo(r.sigcache);
	*out = v;
	v = NULL;
	error = 0;
done:
	accord_verify_pool_dispose(&pool);
	for (i = 0; i < r.nfeeds; i++)
		free_feed(&r.feeds[i]);
	free(r.feeds);
	for (i = 0; i < r.nev; i++)
		free_feed(&r.ev[i]);
	free(r.ev);
	accord_idmap_dispose(&r.byid);
	free(r.slots);
	free(r.forks);
	free(r.invites);
	free(r.rotations);
	free(r.involves);
	free(r.statuses);
	free(r.signs);
	accord_verification_free(v);
	return error;
}

int accord_verify_heads(accord_verification **out, accord_store *store, const accord_head *heads,
			size_t count, const accord_verify_options *opts)
{
	accord_verification *v = calloc(1, sizeof(*v));

	if (!v)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	accord_parties_init(&v->parties);
	return run_engine(out, store, heads, count, NULL, v, opts);
}

int accord_verify_refs(accord_verification **out, accord_store *store,
		       const accord_verify_options *opts)
{
	git_strarray refs = { NULL, 0 };
	accord_verification *v = calloc(1, sizeof(*v));
	accord_head *heads = NULL;
	char **names = NULL;
	struct run r; /* for the findings about refs only */
	size_t i, n = 0;
	int error;

	if (!v)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	accord_parties_init(&v->parties);
	memset(&r, 0, sizeof(r));
	r.v = v;
	r.store = store;
	if ((error = accord_store_ref_list(&refs, store, ACCORD_REF_PREFIX)) < 0)
		goto fail;
	if (refs.count == 0) {
		error = accord_error_set(ACCORD_ENOTFOUND, "%s holds no ledger (nothing under %s)",
					 accord_store_gitdir(store), ACCORD_REF_PREFIX);
		goto fail;
	}
	if (!(heads = calloc(refs.count, sizeof(*heads))) ||
	    !(names = calloc(refs.count, sizeof(*names))))
		accord_oom();
	for (i = 0; i < refs.count; i++) {
		const char *name = refs.strings[i], *rest;
		char hex[41] = "";

		if (!strncmp(name, ACCORD_FEED_PREFIX, strlen(ACCORD_FEED_PREFIX))) {
			rest = name + strlen(ACCORD_FEED_PREFIX);
			if (is_keyid(rest, strlen(rest))) {
				memcpy(heads[n].keyid, rest, sizeof(heads[n].keyid));
				if ((error = ref_commit(&r, &heads[n].head, name, rest)) < 0)
					goto fail;
				if (error > 0)
					memset(&heads[n].head, 0, sizeof(heads[n].head));
				names[n++] = accord_xstrdup(name);
				continue;
			}
		} else if (!strncmp(name, ACCORD_EVIDENCE_PREFIX, strlen(ACCORD_EVIDENCE_PREFIX))) {
			rest = name + strlen(ACCORD_EVIDENCE_PREFIX);
			if (evidence_name_ok(rest)) {
				git_oid named, at;

				if (git_oid_fromstr(&named, rest + ACCORD_KEYID_HEXLEN + 1) == 0 &&
				    accord_store_ref_get(&at, store, name) == 0 &&
				    !git_oid_equal(&named, &at))
					accord_verify_finding(
						&r, ACCORD_AUDIT_UNKNOWN_REF, NULL, NULL, name,
						"evidence ref %s does not point at the commit it names",
						name);
				continue;
			}
		}
		{
			git_reference *ref = NULL;

			if (git_reference_lookup(&ref, accord_store_repo(store), name) == 0) {
				if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC)
					snprintf(hex, sizeof(hex), "symbolic");
				else
					git_oid_tostr(hex, sizeof(hex), git_reference_target(ref));
				git_reference_free(ref);
			}
		}
		accord_verify_finding(
			&r, ACCORD_AUDIT_UNKNOWN_REF, NULL, NULL, name,
			"ref %s (-> %s) lies outside the layout (%s<key id>, %s<key id>/<commit id>)",
			name, hex[0] ? hex : "?", ACCORD_FEED_PREFIX, ACCORD_EVIDENCE_PREFIX);
	}
	error = run_engine(out, store, heads, n, names, v, opts);
	v = NULL; /* run_engine owns it now */
fail:
	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	free(heads);
	git_strarray_dispose(&refs);
	accord_verification_free(v);
	return error;
}

void accord_verification_free(accord_verification *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->finding_count; i++)
		accord_finding_dispose(&v->findings[i]);
	free(v->findings);
	for (i = 0; i < v->feed_count; i++) {
		free(v->feeds[i].items);
		free(v->feeds[i].ref);
	}
	free(v->feeds);
	accord_parties_dispose(&v->parties);
	accord_causal_free(v->causal);
	for (i = 0; i < v->count; i++)
		accord_entry_free(v->entries[i]);
	free(v->entries);
	for (i = 0; i < v->held_count; i++)
		accord_entry_free(v->held[i]);
	free(v->held);
	free(v);
}

const accord_verified_feed *accord_verification_feed(const accord_verification *v,
						     const char *keyid)
{
	return v->feed_count ? bsearch(keyid, v->feeds, v->feed_count, sizeof(*v->feeds), cmp_keyid)
			     : NULL;
}

const accord_verified_item *accord_verified_feed_item(const accord_verified_feed *f, int64_t seq)
{
	size_t i;

	if (seq >= 1 && (uint64_t)seq <= f->count && f->items[seq - 1].seq == seq)
		return &f->items[seq - 1];
	for (i = 0; i < f->count; i++)
		if (f->items[i].seq == seq)
			return &f->items[i];
	return NULL;
}

int accord_verification_counts(const accord_verification *v, const char *keyid, int64_t seq,
			       const char *entry_id)
{
	const accord_verified_feed *f = accord_verification_feed(v, keyid);
	const accord_verified_item *it =
		f && seq <= f->valid ? accord_verified_feed_item(f, seq) : NULL;

	return it && it->verdict == ACCORD_VERDICT_VALID && !strcmp(it->id, entry_id);
}

/* ---- one commit on its own ---- */

int accord_verify_commit(accord_entry **out, accord_finding *finding, const accord_commit *c,
			 const char *keyid, const accord_entry *prev, int64_t expect_seq)
{
	return accord_verify_commit_memo(out, finding, c, keyid, prev, expect_seq, NULL);
}

/* An item for commit `c` alone, its public view in *pub; `c` stays the caller's. */
static void item_for(struct item *it, accord_verified_item *pub, const accord_commit *c)
{
	memset(it, 0, sizeof(*it));
	memset(pub, 0, sizeof(*pub));
	it->oid = c->id;
	it->pub = pub;
	git_oid_tostr(pub->commit, sizeof(pub->commit), &c->id);
	it->c = (accord_commit *)c;
	it->readable = 1;
}

static void item_dispose(struct item *it)
{
	accord_entry_free(it->e);
	free(it->sig_msg);
	free(it->parse_msg);
	free(it->form_msg);
	free(it->modified_by);
	memset(it, 0, sizeof(*it));
}

/*
 * The verdict on `it`, checked on its own already, as a commit with
 * `parents` parents (see accord_verify_commit for the rest): *out gets its
 * entry. The item is disposed.
 */
static int judge_commit(accord_entry **out, accord_finding *finding, struct item *it,
			const char *keyid, const accord_entry *prev, int64_t expect_seq,
			unsigned parents)
{
	accord_verification v;
	struct feed f;
	struct run r;
	int error = 0;

	memset(&v, 0, sizeof(v));
	memset(&f, 0, sizeof(f));
	memset(&r, 0, sizeof(r));
	r.v = &v;
	snprintf(f.keyid, sizeof(f.keyid), "%s", keyid ? keyid : it->author);
	accord_verify_item_findings(&r, &f, it);
	if (it->sigfail)
		accord_verify_finding(&r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f.keyid, it, NULL,
				      "the signature does not verify over this commit: %s",
				      it->sig_msg ? it->sig_msg : "bad signature");
	if (!v.finding_count && !it->authentic)
		accord_verify_finding(&r, ACCORD_AUDIT_MALFORMED_ENTRY, f.keyid, it, NULL,
				      "not an entry");
	if (!v.finding_count && expect_seq > 0) {
		if (it->seq != expect_seq)
			accord_verify_finding(
				&r, ACCORD_AUDIT_REORDERED, f.keyid, it, NULL,
				"sequence number %lld where %lld was expected (entry removed, reordered or replayed)",
				(long long)it->seq, (long long)expect_seq);
		else if (prev && (parents != 1 || strcmp(it->prev, prev->id) != 0))
			accord_verify_finding(
				&r, ACCORD_AUDIT_CHAIN_BROKEN, f.keyid, it, NULL,
				"hash chain broken: prev does not name the previous entry %.16s",
				prev->id);
		else if (prev && it->lamport <= prev->lamport)
			accord_verify_finding(&r, ACCORD_AUDIT_CHAIN_BROKEN, f.keyid, it, NULL,
					      "Lamport clock does not increase");
		else if (prev && it->time < prev->time)
			accord_verify_finding(&r, ACCORD_AUDIT_TIME_BACKWARDS, f.keyid, it, NULL,
					      "the entry's time is before the previous entry's");
		else if (!prev && (parents != 0 || it->prev[0]))
			accord_verify_finding(&r, ACCORD_AUDIT_CHAIN_BROKEN, f.keyid, it, NULL,
					      "the first entry of a feed has a predecessor");
	}
	if (v.finding_count) {
		error = accord_error_set(ACCORD_EBADSIG, "entry %s (feed %s, seq %lld): %s",
					 it->pub->commit, f.keyid, (long long)v.findings[0].seq,
					 v.findings[0].explanation);
		if (finding) {
			*finding = v.findings[0];
			v.findings[0].ref = v.findings[0].explanation = NULL;
		}
	} else {
		*out = it->e;
		it->e = NULL;
	}
	for (size_t i = 0; i < v.finding_count; i++)
		accord_finding_dispose(&v.findings[i]);
	free(v.findings);
	item_dispose(it);
	return error;
}

int accord_verify_commit_memo(accord_entry **out, accord_finding *finding, const accord_commit *c,
			      const char *keyid, const accord_entry *prev, int64_t expect_seq,
			      accord_sigcache *memo)
{
	unsigned char domain[32];
	accord_verified_item pub;
	struct item it;

	item_for(&it, &pub, c);
	if (memo) {
		accord_sigcache_load(memo);
		accord_verify_memo_domain(domain);
	}
	accord_verify_item(&it, memo, memo ? domain : NULL);
	it.c = NULL;
	return judge_commit(out, finding, &it, keyid, prev, expect_seq, c->parent_count);
}

int accord_verify_chain(accord_entry **out, accord_finding *finding, accord_commit **commits,
			size_t n, const char *keyid, const accord_entry *prev, int64_t first_seq)
{
	struct item *items = accord_xcalloc(n + 1, sizeof(*items));
	accord_verified_item *pubs = accord_xcalloc(n + 1, sizeof(*pubs));
	unsigned *parents = accord_xcalloc(n + 1, sizeof(*parents));
	size_t i;
	int error = 0;

	for (i = 0; i < n; i++) {
		item_for(&items[i], &pubs[i], commits[i]);
		parents[i] = commits[i]->parent_count;
		commits[i] = NULL; /* freed once checked */
		out[i] = NULL;
	}
	/* the checks of each commit on its own on every core; the chain's in order */
	accord_verify_check_items(items, n, default_threads(), NULL, NULL);
	for (i = 0; i < n; i++) {
		if (error < 0) {
			item_dispose(&items[i]);
			continue;
		}
		error = judge_commit(&out[i], finding, &items[i], keyid, i ? out[i - 1] : prev,
				     first_seq + (int64_t)i, parents[i]);
		if (error == 0)
			memcpy(out[i]->commit, pubs[i].commit, sizeof(out[i]->commit));
	}
	free(items);
	free(pubs);
	free(parents);
	return error;
}
