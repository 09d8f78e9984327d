/*
 * The audit: check everything, stop at nothing, and say precisely what
 * is wrong. See docs/audit.md for the kinds and how the audit continues
 * past a broken feed.
 *
 * The work is split so that the expensive part runs on every core: the
 * main thread reads each feed's commits (a walk along parents, which is
 * sequential), worker threads verify signatures and parse entries (each
 * commit on its own), and the main thread then checks what ties commits
 * together: chains, the ledger id, authorization in ledger order,
 * checkpoints and the record of verified heads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accord/audit.h"
#include "accord/encode.h"
#include "accord/error.h"
#include "accord/json.h"
#include "accord/ledger.h"
#include "accord/schema.h"
#include "accord/sshsig.h"
#include "accord/timefmt.h"

#define EVIDENCE_PREFIX "refs/accord/evidence/"
#define HEADS_FILE "verified-heads"

static const struct {
	const char *name;
	const char *summary;
} kinds[ACCORD_AUDIT_KIND_COUNT] = {
	{ "entry-modified", "entry bytes changed after they were signed" },
	{ "wrong-signer", "signed by a key other than the entry's author" },
	{ "entry-missing", "an entry is missing from a feed (removed)" },
	{ "reordered", "entries of a feed are out of order" },
	{ "rollback", "a feed no longer extends the head verified before (truncated or rewritten)" },
	{ "equivocation", "two signed entries with the same author and sequence number" },
	{ "foreign-ledger", "an entry or feed replayed from another ledger" },
	{ "unknown-key", "signed by a key of no party" },
	{ "revoked-key", "signed by a revoked key after its revocation" },
	{ "bad-cosign", "a cosign naming a missing or altered proposal" },
	{ "malformed-entry", "not an entry: malformed JSON, invalid UTF-8, duplicate keys or oversized" },
	{ "unknown-type", "an entry type no schema knows" },
	{ "unknown-field", "a field no schema knows" },
	{ "signature-mismatch", "the commit's signature does not verify over the commit and its entry" },
	{ "unknown-ref", "a ref under refs/accord/ outside the ledger's layout" },
	{ "split-view", "a partner's signed checkpoint contradicts this copy of a feed" },
	{ "time-backwards", "time runs backwards within a feed beyond the tolerance" },
	{ "schema-violation", "a field with a value its schema refuses" },
	{ "chain-broken", "prev or the Lamport clock does not follow the feed" },
	{ "wrong-feed", "an entry stored in another key's feed" },
	{ "bad-commit", "the git commit around an entry is not in accord's form" },
	{ "not-authorized", "the author was not allowed to write this entry at that point" },
};

const char *accord_audit_kind_name(accord_audit_kind kind)
{
	return (unsigned)kind < ACCORD_AUDIT_KIND_COUNT ? kinds[kind].name : "unknown";
}

const char *accord_audit_kind_summary(accord_audit_kind kind)
{
	return (unsigned)kind < ACCORD_AUDIT_KIND_COUNT ? kinds[kind].summary : "";
}

enum { SIG_OK = 0, SIG_NONE = 1 };

/* One commit of a feed or of an evidence chain, root first. */
struct item {
	git_oid oid;
	char commit[41];
	accord_commit *c; /* freed once verified */
	int readable;
	/* from the worker */
	int sig; /* SIG_OK, SIG_NONE, ACCORD_EINVALID (malformed) or ACCORD_EBADSIG */
	accord_pubkey signer;
	int has_signer;
	char *sig_msg;
	accord_entry *e; /* parsed and schema-valid, else NULL */
	int parse_kind;	 /* -1, or the kind of the parse failure */
	char *parse_msg;
	char *form_msg; /* commit form problems, joined */
	int parents;
	/* the envelope, as far as it could be read */
	int env;
	int64_t seq, lamport, time;
	char id[ACCORD_ID_HEXLEN + 1];
	char prev[ACCORD_ID_HEXLEN + 1];
	char ledger[ACCORD_ID_HEXLEN + 1];
	char author[ACCORD_KEYID_HEXLEN + 1];
	/* from the main thread */
	int authentic;	 /* signed by its author, parsed, in its author's feed */
	int flagged;	 /* some finding is about it */
	int sigfail;	 /* signature does not verify: modified or mismatched, decided last */
	char *modified_by; /* proof that the bytes changed (who names other bytes) */
};

struct feed {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	char *ref;
	struct item *items;
	size_t n;
	int64_t *seqs; /* sorted distinct... all known seqs, sorted */
	size_t nseqs;
	int evidence;
	accord_audit_feed *out;
};

struct run {
	accord_audit *a;
	accord_store *store;
	int64_t tolerance;
	int threads;
	struct feed *feeds;
	size_t nfeeds;
	struct feed *ev;
	size_t nev;
	size_t fcap; /* findings allocated */
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		abort();
	return d;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static void add_finding(struct run *r, accord_audit_kind kind, const char *feed, struct item *it,
			const char *ref, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_finding(struct run *r, accord_audit_kind kind, const char *feed, struct item *it,
			const char *ref, const char *fmt, ...)
{
	accord_audit *a = r->a;
	accord_audit_finding *f;
	va_list ap;

	if (a->finding_count == r->fcap) {
		accord_audit_finding *nf;

		r->fcap = r->fcap ? r->fcap * 2 : 16;
		if (!(nf = realloc(a->findings, r->fcap * sizeof(*nf))))
			abort();
		a->findings = nf;
	}
	f = &a->findings[a->finding_count++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	snprintf(f->feed, sizeof(f->feed), "%s", feed ? feed : "");
	if (it) {
		memcpy(f->commit, it->commit, sizeof(f->commit));
		if (it->env) {
			f->seq = it->seq;
			memcpy(f->entry, it->id, sizeof(f->entry));
		}
		it->flagged = 1;
	}
	f->ref = ref ? xstrdup(ref) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&f->explanation, fmt, ap) < 0)
		abort();
	va_end(ap);
}

/* ---- one commit on its own (worker threads) ---- */

static void envelope_from_json(struct item *it, const cJSON *j)
{
	const char *s;
	int64_t v;

	if (!cJSON_IsObject(j))
		return;
	if (accord_json_int(&v, j, "seq") == 0 && v >= 1) {
		it->seq = v;
		it->env = 1;
	}
	if (accord_json_int(&v, j, "lamport") == 0)
		it->lamport = v;
	if ((s = accord_json_str(j, "time")) && accord_time_parse_canonical(&v, s) == 0)
		it->time = v;
	if ((s = accord_json_str(j, "prev")) && accord_is_lower_hex(s, ACCORD_ID_HEXLEN) &&
	    !s[ACCORD_ID_HEXLEN])
		memcpy(it->prev, s, sizeof(it->prev));
	if ((s = accord_json_str(j, "ledger")) && accord_is_lower_hex(s, ACCORD_ID_HEXLEN) &&
	    !s[ACCORD_ID_HEXLEN])
		memcpy(it->ledger, s, sizeof(it->ledger));
	if ((s = accord_json_str(j, "author")) && strlen(s) == 64) {
		accord_pubkey pk;

		memset(&pk, 0, sizeof(pk));
		if (accord_hex_decode(pk.pk, sizeof(pk.pk), s) == 0) {
			accord_pubkey_set_id(&pk);
			memcpy(it->author, pk.id, sizeof(it->author));
		}
	}
}

/* Which kind a schema failure is: an unknown type, an unknown field, or a bad value. */
static int schema_kind(const cJSON *j, const char *msg)
{
	static const char *types[] = { "genesis", "open", "note", "status", "impact", "sla",
				       "feedback", "party-invite", "party-accept", "member-add",
				       "member-revoke", "involve", "resolution", "cosign", "action",
				       "checkpoint" };
	const char *type = accord_json_str(j, "type");
	size_t i;

	if (type) {
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcmp(type, types[i]))
				break;
		if (i == sizeof(types) / sizeof(types[0]))
			return ACCORD_AUDIT_UNKNOWN_TYPE;
	}
	if (strstr(msg, "unknown field"))
		return ACCORD_AUDIT_UNKNOWN_FIELD;
	return ACCORD_AUDIT_SCHEMA_VIOLATION;
}

static void verify_item(struct item *it)
{
	const accord_commit *c = it->c;
	unsigned char hash[32];
	git_oid empty_tree;
	accord_buf form = ACCORD_BUF_INIT;

	if (!c)
		return;
	it->parents = (int)c->parent_count;
	accord_sha256(hash, c->message, c->message_len);
	accord_hex_encode(it->id, hash, sizeof(hash));

	if (!c->signature.size) {
		it->sig = SIG_NONE;
	} else {
		memset(&it->signer, 0, sizeof(it->signer));
		it->sig = accord_sshsig_verify(&it->signer, c->signature.ptr, c->signature.size, "git",
					       c->payload.ptr, c->payload.size);
		it->has_signer = !sodium_is_zero(it->signer.pk, sizeof(it->signer.pk));
		if (it->has_signer)
			accord_pubkey_set_id(&it->signer);
		if (it->sig < 0)
			it->sig_msg = xstrdup(accord_error_last());
	}

	it->parse_kind = -1;
	if (c->message_len > ACCORD_ENTRY_MAX) {
		it->parse_kind = ACCORD_AUDIT_MALFORMED_ENTRY;
		it->parse_msg = xprintf("the entry is %zu bytes, larger than the %d-byte limit",
					c->message_len, ACCORD_ENTRY_MAX);
	} else if (accord_entry_parse(&it->e, c->message, c->message_len) == 0) {
		envelope_from_json(it, it->e->json);
		memcpy(it->e->commit, it->commit, sizeof(it->e->commit));
	} else {
		char *msg = xstrdup(accord_error_last());
		cJSON *j = NULL;

		if (accord_json_parse_strict(&j, c->message, c->message_len, ACCORD_ENTRY_MAX, 1) < 0) {
			it->parse_kind = ACCORD_AUDIT_MALFORMED_ENTRY;
			it->parse_msg = xprintf("not strict JSON: %s", accord_error_last());
		} else if (!cJSON_IsObject(j)) {
			it->parse_kind = ACCORD_AUDIT_MALFORMED_ENTRY;
			it->parse_msg = xprintf("not a JSON object: %s", msg);
		} else {
			it->parse_kind = schema_kind(j, msg);
			it->parse_msg = xprintf("schema: %s", msg);
			envelope_from_json(it, j);
		}
		cJSON_Delete(j);
		free(msg);
	}

	git_oid_fromstr(&empty_tree, ACCORD_EMPTY_TREE);
	if (c->has_extra_headers)
		accord_buf_puts(&form, "; the commit has headers accord does not write");
	if (!git_oid_equal(&c->tree, &empty_tree))
		accord_buf_puts(&form, "; the commit's tree is not the empty tree");
	if (c->parent_count > 1)
		accord_buf_printf(&form, "; the commit has %u parents (a merge)", c->parent_count);
	if (it->env && it->time && c->committer_time != it->time)
		accord_buf_printf(&form, "; committer time %lld differs from the entry time %lld",
				  (long long)c->committer_time, (long long)it->time);
	if (form.size)
		it->form_msg = xstrdup(form.ptr + 2);
	accord_buf_dispose(&form);
}

struct pool {
	struct item *items;
	size_t n;
	size_t next;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		size_t i, end;

		pthread_mutex_lock(&p->lock);
		i = p->next;
		p->next = i + 64 < p->n ? i + 64 : p->n;
		end = p->next;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			break;
		for (; i < end; i++) {
			verify_item(&p->items[i]);
			accord_commit_free(p->items[i].c);
			p->items[i].c = NULL;
		}
	}
	return NULL;
}

/* Verify items on `threads` threads (the caller's thread being one of them). */
static void verify_items(struct item *items, size_t n, int threads)
{
	struct pool p = { items, n, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t tids[8];
	int started = 0, i;

	if (threads > 8)
		threads = 8;
	if (n < 256)
		threads = 1;
	for (i = 1; i < threads; i++)
		if (pthread_create(&tids[started], NULL, worker, &p) == 0)
			started++;
	worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&p.lock);
}

/* ---- reading a chain of commits ---- */

static void push_item(struct feed *f, size_t *cap, const git_oid *oid)
{
	struct item *it;

	if (f->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if (!(f->items = realloc(f->items, *cap * sizeof(*f->items))))
			abort();
	}
	it = &f->items[f->n++];
	memset(it, 0, sizeof(*it));
	it->oid = *oid;
	git_oid_tostr(it->commit, sizeof(it->commit), oid);
}

/*
 * Walk from `head` along first parents to the root (or to a commit for
 * which `stop` says so), then put the commits root first.
 */
static int read_chain(struct run *r, struct feed *f, const git_oid *head,
		      int (*stop)(void *, const git_oid *), void *stop_arg)
{
	size_t cap = 0, i;
	git_oid at = *head;

	for (;;) {
		accord_commit *c = NULL;
		struct item *it;
		int error;

		if (stop && stop(stop_arg, &at))
			break;
		push_item(f, &cap, &at);
		it = &f->items[f->n - 1];
		error = accord_commit_read(&c, r->store, &at);
		if (error == ACCORD_ENOTFOUND || error == ACCORD_EBADSIG) {
			add_finding(r, error == ACCORD_ENOTFOUND ? ACCORD_AUDIT_ENTRY_MISSING : ACCORD_AUDIT_BAD_COMMIT,
				    f->keyid, it, f->ref,
				    "%s; the feed before it cannot be read", accord_error_last());
			break;
		}
		if (error < 0)
			return error;
		it->c = c;
		it->readable = 1;
		if (c->parent_count == 0)
			break;
		at = c->parent;
	}
	/* root first */
	for (i = 0; i < f->n / 2; i++) {
		struct item t = f->items[i];

		f->items[i] = f->items[f->n - 1 - i];
		f->items[f->n - 1 - i] = t;
	}
	return 0;
}

/* ---- checks on one commit, and on a feed's chain (main thread) ---- */

static void label_key(char *out, size_t len, struct run *r, const char *keyid)
{
	accord_parties_label(out, len, &r->a->parties, keyid);
}

static void item_findings(struct run *r, struct feed *f, struct item *it)
{
	const char *ref = f->evidence ? f->ref : NULL;

	if (!it->readable)
		return;
	if (it->form_msg)
		add_finding(r, ACCORD_AUDIT_BAD_COMMIT, f->keyid, it, ref, "%s", it->form_msg);
	if (it->sig == SIG_NONE) {
		add_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it, ref, "the commit is not signed");
	} else if (it->sig == ACCORD_EINVALID) {
		add_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it, ref,
			    "the commit's signature is malformed: %s", it->sig_msg);
	} else if (it->sig < 0) {
		it->sigfail = 1; /* modified or mismatched: decided once all evidence is in */
		it->flagged = 1;
	} else if (it->author[0] && it->has_signer && strcmp(it->signer.id, it->author) != 0) {
		add_finding(r, ACCORD_AUDIT_WRONG_SIGNER, f->keyid, it, ref,
			    "the signature is valid but made by key %s, not by the entry's author %s",
			    it->signer.id, it->author);
	}
	if (it->parse_kind >= 0)
		add_finding(r, (accord_audit_kind)it->parse_kind, f->keyid, it, ref, "%s", it->parse_msg);
	if (it->author[0] && strcmp(it->author, f->keyid) != 0)
		add_finding(r, ACCORD_AUDIT_WRONG_FEED, f->keyid, it, ref,
			    "an entry by key %s stored in the feed of key %s", it->author, f->keyid);
	it->authentic = it->sig == SIG_OK && it->e && it->has_signer &&
			!strcmp(it->signer.id, it->author) && !strcmp(it->author, f->keyid);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many of the seqs strictly between lo and hi appear nowhere in the feed. */
static int64_t missing_between(const struct feed *f, int64_t lo, int64_t hi)
{
	int64_t present = 0, last = -1;
	size_t i;

	if (hi - lo <= 1)
		return 0;
	for (i = 0; i < f->nseqs; i++) {
		if (f->seqs[i] > lo && f->seqs[i] < hi && f->seqs[i] != last)
			present++;
		last = f->seqs[i];
	}
	return (hi - lo - 1) - present;
}

static int seq_count(const struct feed *f, int64_t seq)
{
	size_t i;
	int n = 0;

	for (i = 0; i < f->nseqs; i++)
		n += f->seqs[i] == seq;
	return n;
}

static void chain_findings(struct run *r, struct feed *f)
{
	size_t p, i;
	struct item *q = NULL;
	char when[64];

	f->nseqs = 0;
	if (!(f->seqs = calloc(f->n + 1, sizeof(*f->seqs))))
		abort();
	for (i = 0; i < f->n; i++)
		if (f->items[i].env)
			f->seqs[f->nseqs++] = f->items[i].seq;
	qsort(f->seqs, f->nseqs, sizeof(*f->seqs), cmp_i64);

	for (p = 0; p < f->n; p++) {
		struct item *it = &f->items[p];

		if (!it->env) {
			q = NULL; /* unreadable or no envelope: reported already, skip pairs over it */
			continue;
		}
		if (!q) {
			if (p == 0 && it->readable && it->parents == 0) {
				int64_t gone = missing_between(f, 0, it->seq);

				if (gone > 0)
					add_finding(r, ACCORD_AUDIT_ENTRY_MISSING, f->keyid, it, NULL,
						    "the feed starts at seq %lld: %lld earlier entr%s missing",
						    (long long)it->seq, (long long)gone, gone == 1 ? "y is" : "ies are");
				else if (it->seq == 1 && it->prev[0])
					add_finding(r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
						    "the first entry of the feed names a previous entry %.16s",
						    it->prev);
			}
			q = it;
			continue;
		}
		if (it->seq == q->seq + 1) {
			if (strcmp(it->prev, q->id) != 0) {
				if (q->sigfail && !q->modified_by)
					q->modified_by = xprintf("the next entry (seq %lld, commit %.12s) names %.16s as its predecessor, but these bytes hash to %.16s",
								 (long long)it->seq, it->commit, it->prev, q->id);
				else if (!q->sigfail)
					add_finding(r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
						    "prev names %.16s, not the previous entry %.16s (seq %lld)",
						    it->prev[0] ? it->prev : "nothing", q->id, (long long)q->seq);
			} else if (it->lamport <= q->lamport) {
				add_finding(r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
					    "Lamport clock %lld does not increase over %lld", (long long)it->lamport,
					    (long long)q->lamport);
			}
			if (it->time + r->tolerance < q->time) {
				accord_duration_format(when, sizeof(when), q->time - it->time);
				add_finding(r, ACCORD_AUDIT_TIME_BACKWARDS, f->keyid, it, NULL,
					    "the entry's time is %s before the previous entry's (tolerance %lld s)",
					    when, (long long)r->tolerance);
			}
		} else if (it->seq > q->seq + 1) {
			int64_t gone = missing_between(f, q->seq, it->seq);

			if (gone > 0)
				add_finding(r, ACCORD_AUDIT_ENTRY_MISSING, f->keyid, it, NULL,
					    "seq %lld follows seq %lld: %lld entr%s missing (prev names %.16s, which is not in the feed)",
					    (long long)it->seq, (long long)q->seq, (long long)gone,
					    gone == 1 ? "y is" : "ies are", it->prev[0] ? it->prev : "nothing");
		} else if (seq_count(f, it->seq) == 1) {
			add_finding(r, ACCORD_AUDIT_REORDERED, f->keyid, it, NULL,
				    "seq %lld comes after seq %lld in the feed's commit chain",
				    (long long)it->seq, (long long)q->seq);
		}
		q = it;
	}
	/* The same seq twice in one chain: equivocation if both are signed and differ. */
	for (i = 1; i < f->nseqs && f->seqs[i] != f->seqs[i - 1]; i++)
		;
	if (i >= f->nseqs)
		return; /* no seq appears twice: the usual case, found in O(n log n) */
	for (p = 0; p < f->n; p++) {
		struct item *x = &f->items[p];

		if (!x->env || seq_count(f, x->seq) < 2)
			continue;
		for (i = p + 1; i < f->n; i++) {
			struct item *y = &f->items[i];

			if (!y->env || y->seq != x->seq)
				continue;
			if (!strcmp(x->id, y->id))
				add_finding(r, ACCORD_AUDIT_REORDERED, f->keyid, y, NULL,
					    "the entry of seq %lld appears twice in the chain (commits %.12s and %.12s)",
					    (long long)y->seq, x->commit, y->commit);
			else if (x->authentic && y->authentic)
				add_finding(r, ACCORD_AUDIT_EQUIVOCATION, f->keyid, y, NULL,
					    "two entries signed by %s with seq %lld: %.16s (commit %.12s) and %.16s (commit %.12s)",
					    f->keyid, (long long)y->seq, x->id, x->commit, y->id, y->commit);
			else
				add_finding(r, ACCORD_AUDIT_REORDERED, f->keyid, y, NULL,
					    "seq %lld appears twice in the chain (commits %.12s and %.12s)",
					    (long long)y->seq, x->commit, y->commit);
			break;
		}
	}
}

/* The item of seq `seq` in a feed, or NULL (entries normally sit at seq - 1). */
static struct item *item_at(struct feed *f, int64_t seq)
{
	size_t i;

	if (seq >= 1 && (uint64_t)seq <= f->n && f->items[seq - 1].env && f->items[seq - 1].seq == seq)
		return &f->items[seq - 1];
	for (i = 0; i < f->n; i++)
		if (f->items[i].env && f->items[i].seq == seq)
			return &f->items[i];
	return NULL;
}

static struct feed *find_feed(struct run *r, const char *keyid)
{
	size_t lo = 0, hi = r->nfeeds;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->feeds[mid].keyid, keyid);

		if (c == 0)
			return &r->feeds[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
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

static int sort_refs(struct run *r, git_strarray *feeds_out, git_strarray *ev_out)
{
	git_strarray refs = { NULL, 0 };
	size_t i;
	int error;

	if ((error = accord_store_ref_list(&refs, r->store, ACCORD_REF_PREFIX)) < 0)
		return error;
	if (refs.count == 0) {
		git_strarray_dispose(&refs);
		return accord_error_set(ACCORD_ENOTFOUND, "%s holds no ledger (nothing under %s)",
					accord_store_gitdir(r->store), ACCORD_REF_PREFIX);
	}
	feeds_out->strings = calloc(refs.count, sizeof(char *));
	ev_out->strings = calloc(refs.count, sizeof(char *));
	if (!feeds_out->strings || !ev_out->strings)
		abort();
	for (i = 0; i < refs.count; i++) {
		const char *name = refs.strings[i];
		const char *rest;
		char hex[41] = "";
		int ok = 0;

		if (!strncmp(name, ACCORD_FEED_PREFIX, strlen(ACCORD_FEED_PREFIX))) {
			rest = name + strlen(ACCORD_FEED_PREFIX);
			ok = is_keyid(rest, strlen(rest));
			if (ok)
				feeds_out->strings[feeds_out->count++] = xstrdup(name);
		} else if (!strncmp(name, EVIDENCE_PREFIX, strlen(EVIDENCE_PREFIX))) {
			rest = name + strlen(EVIDENCE_PREFIX);
			ok = strlen(rest) > ACCORD_KEYID_HEXLEN + 1 && is_keyid(rest, ACCORD_KEYID_HEXLEN) &&
			     rest[ACCORD_KEYID_HEXLEN] == '/';
			if (ok)
				ev_out->strings[ev_out->count++] = xstrdup(name);
		}
		if (ok)
			continue;
		{
			git_reference *ref = NULL;

			if (git_reference_lookup(&ref, accord_store_repo(r->store), name) == 0) {
				if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC)
					snprintf(hex, sizeof(hex), "symbolic");
				else
					git_oid_tostr(hex, sizeof(hex), git_reference_target(ref));
				git_reference_free(ref);
			}
		}
		add_finding(r, ACCORD_AUDIT_UNKNOWN_REF, NULL, NULL, name,
			    "ref %s (-> %s) lies outside the layout (%s<key id>, %s<key id>/<name>)", name,
			    hex[0] ? hex : "?", ACCORD_FEED_PREFIX, EVIDENCE_PREFIX);
	}
	git_strarray_dispose(&refs);
	return 0;
}

/* A feed ref must point to a commit; anything else is reported and skipped. */
static int ref_commit(struct run *r, git_oid *out, const char *name, const char *keyid)
{
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int error;

	if ((error = git_reference_lookup(&ref, accord_store_repo(r->store), name)) < 0)
		return accord_error_git(error, name);
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
		add_finding(r, ACCORD_AUDIT_UNKNOWN_REF, keyid, NULL, name,
			    "ref %s is symbolic; feeds are direct refs to commits", name);
		git_reference_free(ref);
		return 1;
	}
	*out = *git_reference_target(ref);
	git_reference_free(ref);
	if (git_object_lookup(&obj, accord_store_repo(r->store), out, GIT_OBJECT_ANY) < 0) {
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), out);
		add_finding(r, ACCORD_AUDIT_ENTRY_MISSING, keyid, NULL, name,
			    "ref %s points to %s, which is not in the repository", name, hex);
		return 1;
	}
	if (git_object_type(obj) != GIT_OBJECT_COMMIT) {
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), out);
		add_finding(r, ACCORD_AUDIT_BAD_COMMIT, keyid, NULL, name,
			    "ref %s points to a %s (%s), not to a commit", name,
			    git_object_type2string(git_object_type(obj)), hex);
		git_object_free(obj);
		return 1;
	}
	git_object_free(obj);
	return 0;
}

/* ---- the steps ---- */

static int read_feeds(struct run *r, const git_strarray *names)
{
	size_t i, j;
	int error;

	if (!(r->feeds = calloc(names->count + 1, sizeof(*r->feeds))))
		abort();
	for (i = 0; i < names->count; i++) {
		struct feed *f = &r->feeds[r->nfeeds];
		git_oid head;

		memset(f, 0, sizeof(*f));
		snprintf(f->keyid, sizeof(f->keyid), "%s", names->strings[i] + strlen(ACCORD_FEED_PREFIX));
		f->ref = xstrdup(names->strings[i]);
		if ((error = ref_commit(r, &head, f->ref, f->keyid)) < 0)
			return error;
		r->nfeeds++;
		if (error > 0)
			continue;
		if ((error = read_chain(r, f, &head, NULL, NULL)) < 0)
			return error;
		verify_items(f->items, f->n, r->threads);
		for (j = 0; j < f->n; j++)
			item_findings(r, f, &f->items[j]);
		chain_findings(r, f);
	}
	return 0;
}

struct stop_arg {
	accord_idmap *known;
};

static int stop_at_known(void *arg, const git_oid *oid)
{
	char hex[41];

	git_oid_tostr(hex, sizeof(hex), oid);
	return accord_idmap_get(((struct stop_arg *)arg)->known, hex) != NULL;
}

/* Evidence: chains kept to prove equivocation. Each commit must be authentic; a different signed entry for a seq is equivocation. */
static int read_evidence(struct run *r, const git_strarray *names)
{
	accord_idmap known = ACCORD_IDMAP_INIT;
	struct stop_arg sa = { &known };
	size_t i, j;
	int error = 0;

	if (!names->count)
		return 0;
	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++)
			accord_idmap_put(&known, r->feeds[i].items[j].commit, &r->feeds[i].items[j]);
	if (!(r->ev = calloc(names->count, sizeof(*r->ev))))
		abort();
	for (i = 0; i < names->count; i++) {
		struct feed *ev = &r->ev[r->nev];
		struct feed *f;
		git_oid head;

		memset(ev, 0, sizeof(*ev));
		ev->evidence = 1;
		snprintf(ev->keyid, sizeof(ev->keyid), "%.*s", ACCORD_KEYID_HEXLEN,
			 names->strings[i] + strlen(EVIDENCE_PREFIX));
		ev->ref = xstrdup(names->strings[i]);
		r->nev++;
		if ((error = ref_commit(r, &head, ev->ref, ev->keyid)) < 0)
			break;
		if (error > 0) {
			error = 0;
			continue;
		}
		if ((error = read_chain(r, ev, &head, stop_at_known, &sa)) < 0)
			break;
		verify_items(ev->items, ev->n, r->threads);
		r->a->evidence += ev->n;
		f = find_feed(r, ev->keyid);
		for (j = 0; j < ev->n; j++) {
			struct item *it = &ev->items[j], *mine;

			item_findings(r, ev, it);
			if (it->sigfail)
				add_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, ev->keyid, it, ev->ref,
					    "evidence commit: the signature does not verify: %s", it->sig_msg);
			if (!it->authentic)
				continue;
			mine = f ? item_at(f, it->seq) : NULL;
			if (mine && mine->authentic && strcmp(mine->id, it->id) != 0) {
				add_finding(r, ACCORD_AUDIT_EQUIVOCATION, ev->keyid, it, ev->ref,
					    "two entries signed by %s with seq %lld: %.16s (commit %.12s, on the feed) and %.16s (commit %.12s, kept under %s)",
					    ev->keyid, (long long)it->seq, mine->id, mine->commit, it->id,
					    it->commit, ev->ref);
				mine->flagged = 1;
			}
		}
	}
	accord_idmap_dispose(&known);
	return error;
}

/* Find the item holding entry `e` (by its commit) in its author's feed. */
static struct item *item_of(struct run *r, const accord_entry *e)
{
	struct feed *f = find_feed(r, e->author.id);
	struct item *it;

	if (!f)
		return NULL;
	it = item_at(f, e->seq);
	if (it && it->e == e)
		return it;
	for (size_t i = 0; i < f->n; i++)
		if (f->items[i].e == e)
			return &f->items[i];
	return NULL;
}

/* The ledger id: git config accord.ledger, else the genesis most entries name. */
static void choose_ledger(struct run *r, accord_entry **all, size_t n)
{
	char *configured = NULL;
	size_t i, best = 0;
	const accord_entry *pick = NULL;

	if (accord_store_config_get(&configured, r->store, "accord.ledger") == 0 &&
	    accord_is_lower_hex(configured, ACCORD_ID_HEXLEN) && !configured[ACCORD_ID_HEXLEN]) {
		memcpy(r->a->ledger, configured, sizeof(r->a->ledger));
		for (i = 0; i < n; i++)
			if (!strcmp(all[i]->type, "genesis") && !strcmp(all[i]->id, configured))
				pick = all[i];
		if (!pick)
			add_finding(r, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
				    "the genesis entry %.16s of this ledger (git config accord.ledger) is in no feed",
				    configured);
	} else {
		for (i = 0; i < n; i++) {
			size_t votes = 0, j;

			if (strcmp(all[i]->type, "genesis") != 0)
				continue;
			for (j = 0; j < n; j++)
				votes += !strcmp(all[j]->ledger, all[i]->id);
			if (!pick || votes > best) {
				pick = all[i];
				best = votes;
			}
		}
		if (pick)
			memcpy(r->a->ledger, pick->id, sizeof(r->a->ledger));
		else
			add_finding(r, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
				    "no genesis entry: the ledger has no founding entry");
	}
	free(configured);
	if (pick) {
		const char *t = accord_entry_str(pick, "title");

		snprintf(r->a->title, sizeof(r->a->title), "%s", t ? t : "");
	}
}

/* Authorization failures named by what went wrong. */
static void deny_finding(struct run *r, struct item *it, const accord_entry *e, const char *why)
{
	const accord_member *m = accord_parties_member(&r->a->parties, e->author.id);
	const accord_parties *p = &r->a->parties;
	char when[ACCORD_TIME_LEN];

	if (!m && strcmp(e->type, "party-accept") != 0 && !accord_parties_invite_for(p, e->author.id)) {
		add_finding(r, ACCORD_AUDIT_UNKNOWN_KEY, e->author.id, it, NULL,
			    "key %s is a member of no party at this point: %s", e->author.id, why);
	} else if (m && m->revoked) {
		accord_time_format(when, m->revoked_at);
		add_finding(r, ACCORD_AUDIT_REVOKED_KEY, e->author.id, it, NULL,
			    "key %s (%s@%s) was revoked at %s; this %s entry comes after the revocation",
			    e->author.id, m->key.name, p->parties[m->party].name, when, e->type);
	} else if (!strcmp(e->type, "cosign")) {
		add_finding(r, ACCORD_AUDIT_BAD_COSIGN, e->author.id, it, NULL,
			    "%s (a missing proposal, or one whose bytes were altered so its id changed)",
			    why);
	} else {
		add_finding(r, ACCORD_AUDIT_NOT_AUTHORIZED, e->author.id, it, NULL, "%s", why);
	}
}

static int replay(struct run *r)
{
	accord_entry **all = NULL;
	size_t n = 0, i, j;

	for (i = 0; i < r->nfeeds; i++)
		n += r->feeds[i].n;
	if (!(all = calloc(n + 1, sizeof(*all))))
		abort();
	n = 0;
	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++)
			if (r->feeds[i].items[j].authentic)
				all[n++] = r->feeds[i].items[j].e;
	choose_ledger(r, all, n);
	/* Entries of another ledger never take part in authorization. */
	for (i = j = 0; i < n; i++) {
		accord_entry *e = all[i];
		struct item *it = item_of(r, e);
		int foreign = !strcmp(e->type, "genesis") ? strcmp(e->id, r->a->ledger) != 0
							  : strcmp(e->ledger, r->a->ledger) != 0;

		if (foreign && r->a->ledger[0]) {
			if (!strcmp(e->type, "genesis"))
				add_finding(r, ACCORD_AUDIT_FOREIGN_LEDGER, e->author.id, it, NULL,
					    "a second genesis entry, founding ledger %.16s: replayed from another ledger",
					    e->id);
			else
				add_finding(r, ACCORD_AUDIT_FOREIGN_LEDGER, e->author.id, it, NULL,
					    "the entry belongs to ledger %.16s, not to this ledger %.16s",
					    e->ledger[0] ? e->ledger : "(none)", r->a->ledger);
			continue;
		}
		all[j++] = e;
	}
	n = j;
	qsort(all, n, sizeof(*all), accord_ledger_order_cmp);
	for (i = 0; i < n; i++) {
		if (accord_parties_apply(&r->a->parties, all[i]) < 0) {
			char why[512];

			snprintf(why, sizeof(why), "%s", accord_error_last());
			deny_finding(r, item_of(r, all[i]), all[i], why);
		}
	}
	/* A revoked key can order its entries before the revocation with a low Lamport clock; its timestamp still tells. */
	for (i = 0; i < n; i++) {
		const accord_entry *e = all[i];
		const accord_member *m = accord_parties_member(&r->a->parties, e->author.id);
		struct item *it;
		char when[ACCORD_TIME_LEN], late[64];

		if (!m || !m->revoked || e->time <= m->revoked_at + r->tolerance)
			continue;
		if (!(it = item_of(r, e)) || it->flagged)
			continue;
		accord_time_format(when, m->revoked_at);
		accord_duration_format(late, sizeof(late), e->time - m->revoked_at);
		add_finding(r, ACCORD_AUDIT_REVOKED_KEY, e->author.id, it, NULL,
			    "key %s (%s) was revoked at %s; this entry is ordered before the revocation by its Lamport clock but was signed %s after it",
			    e->author.id, m->key.name, when, late);
	}
	free(all);
	return 0;
}

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

/* Witnessing: what partners' checkpoints say about each feed must hold in this copy. */
static void check_checkpoints(struct run *r)
{
	struct claim *claims = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < r->nfeeds; i++) {
		for (j = 0; j < r->feeds[i].n; j++) {
			struct item *it = &r->feeds[i].items[j];
			const cJSON *h;

			if (!it->authentic || it->flagged || strcmp(it->e->type, "checkpoint") != 0)
				continue;
			r->a->checkpoints++;
			cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(it->e->body, "heads")) {
				const char *feed = accord_json_str(h, "feed"), *hash = accord_json_str(h, "hash");
				int64_t seq;

				if (!feed || !hash || accord_json_int(&seq, h, "seq") < 0)
					continue;
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					if (!(claims = realloc(claims, cap * sizeof(*claims))))
						abort();
				}
				snprintf(claims[n].feed, sizeof(claims[n].feed), "%s", feed);
				snprintf(claims[n].hash, sizeof(claims[n].hash), "%s", hash);
				claims[n].seq = seq;
				claims[n].by = it->e;
				n++;
			}
		}
	}
	if (n)
		qsort(claims, n, sizeof(*claims), cmp_claim);
	for (i = 0; i < n; i++) {
		struct claim *c = &claims[i];
		struct feed *f = find_feed(r, c->feed);
		struct item *mine = f ? item_at(f, c->seq) : NULL;
		char by[160];

		label_key(by, sizeof(by), r, c->by->author.id);
		/* Two witnesses that disagree prove a split view on their own. */
		if (i > 0 && !strcmp(claims[i - 1].feed, c->feed) && claims[i - 1].seq == c->seq &&
		    strcmp(claims[i - 1].hash, c->hash) != 0) {
			char other[160];

			label_key(other, sizeof(other), r, claims[i - 1].by->author.id);
			add_finding(r, ACCORD_AUDIT_SPLIT_VIEW, c->feed, mine, NULL,
				    "checkpoints disagree on feed %s seq %lld: %s (checkpoint %.16s) saw %.16s, %s (checkpoint %.16s) saw %.16s",
				    c->feed, (long long)c->seq, other, claims[i - 1].by->id,
				    claims[i - 1].hash, by, c->by->id, c->hash);
		}
		if (!mine) {
			if (f && c->seq > f->out->witnessed_seq) {
				f->out->witnessed_seq = c->seq;
				snprintf(f->out->witnessed_by, sizeof(f->out->witnessed_by), "%s", by);
			}
			continue;
		}
		if (c->seq > f->out->witnessed_seq) {
			f->out->witnessed_seq = c->seq;
			snprintf(f->out->witnessed_by, sizeof(f->out->witnessed_by), "%s", by);
		}
		if (!strcmp(mine->id, c->hash))
			continue;
		if (mine->sigfail) {
			if (!mine->modified_by)
				mine->modified_by = xprintf("the checkpoint %.16s by %s names %.16s at seq %lld, but these bytes hash to %.16s",
							    c->by->id, by, c->hash, (long long)c->seq, mine->id);
			continue;
		}
		add_finding(r, ACCORD_AUDIT_SPLIT_VIEW, c->feed, mine, NULL,
			    "%s verified feed %s at seq %lld as entry %.16s (checkpoint %.16s), but this copy has %.16s there: two signed heads that do not extend each other",
			    by, c->feed, (long long)c->seq, c->hash, c->by->id, mine->id);
	}
	free(claims);
}

/* Compare with the heads a previous clean audit recorded. */
static void check_record(struct run *r)
{
	accord_verified_head *heads = NULL;
	size_t n = 0, i;
	char ledger[ACCORD_ID_HEXLEN + 1] = "";

	if (accord_audit_heads_read(&heads, &n, ledger, r->store) < 0) {
		accord_error_clear();
		return;
	}
	r->a->had_record = 1;
	if (r->a->ledger[0] && strcmp(ledger, r->a->ledger) != 0)
		add_finding(r, ACCORD_AUDIT_ROLLBACK, NULL, NULL, NULL,
			    "the verified heads were recorded for ledger %.16s, but this is ledger %.16s",
			    ledger, r->a->ledger);
	for (i = 0; i < n; i++) {
		accord_verified_head *h = &heads[i];
		struct feed *f = find_feed(r, h->keyid);
		struct item *mine = f ? item_at(f, h->seq) : NULL;

		if (!f || f->n == 0) {
			add_finding(r, ACCORD_AUDIT_ROLLBACK, h->keyid, NULL, f ? f->ref : NULL,
				    "feed %s was verified up to seq %lld (entry %.16s), but %s",
				    h->keyid, (long long)h->seq, h->entry,
				    f ? "it cannot be read now" : "its ref is gone");
			continue;
		}
		if (!mine) {
			struct item *last = &f->items[f->n - 1];

			add_finding(r, ACCORD_AUDIT_ROLLBACK, h->keyid, last, f->ref,
				    "feed %s was verified up to seq %lld (entry %.16s); it now ends at seq %lld: truncated or rolled back",
				    h->keyid, (long long)h->seq, h->entry, (long long)(last->env ? last->seq : (int64_t)f->n));
			continue;
		}
		if (!strcmp(mine->id, h->entry))
			continue;
		if (mine->sigfail) {
			if (!mine->modified_by)
				mine->modified_by = xprintf("a previous audit verified seq %lld as %.16s, but these bytes hash to %.16s",
							    (long long)h->seq, h->entry, mine->id);
			continue;
		}
		add_finding(r, ACCORD_AUDIT_ROLLBACK, h->keyid, mine, f->ref,
			    "feed %s was verified with entry %.16s at seq %lld; it now has %.16s there: history rewritten",
			    h->keyid, h->entry, (long long)h->seq, mine->id);
	}
	free(heads);
}

/* A failed signature is a modified entry when something signed names other bytes; else a mismatch. */
static void decide_sigfails(struct run *r)
{
	size_t i, j;

	for (i = 0; i < r->nfeeds; i++) {
		struct feed *f = &r->feeds[i];

		for (j = 0; j < f->n; j++) {
			struct item *it = &f->items[j];

			if (!it->sigfail)
				continue;
			if (it->modified_by)
				add_finding(r, ACCORD_AUDIT_ENTRY_MODIFIED, f->keyid, it, NULL,
					    "the signature does not verify and %s: the entry was changed after it was signed",
					    it->modified_by);
			else
				add_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it, NULL,
					    "the signature%s%s does not verify over this commit (%s): the commit was rewritten or its signature belongs to other bytes",
					    it->has_signer ? " by key " : "", it->has_signer ? it->signer.id : "",
					    it->sig_msg ? it->sig_msg : "bad signature");
		}
	}
}

static int cmp_finding(const void *a, const void *b)
{
	const accord_audit_finding *x = a, *y = b;
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

static void finish(struct run *r)
{
	accord_audit *a = r->a;
	size_t i, j;

	if (!(a->feeds = calloc(r->nfeeds + 1, sizeof(*a->feeds))))
		abort();
	a->feed_count = r->nfeeds;
	for (i = 0; i < r->nfeeds; i++) {
		struct feed *f = &r->feeds[i];
		accord_audit_feed *o = &a->feeds[i];

		memcpy(o->keyid, f->keyid, sizeof(o->keyid));
		label_key(o->label, sizeof(o->label), r, f->keyid);
		o->entries = f->n;
		a->entries += f->n;
		for (j = 0; j < f->n; j++) {
			struct item *it = &f->items[j];

			if (it->authentic && !it->flagged) {
				o->verified++;
				if (!a->first_time || it->time < a->first_time)
					a->first_time = it->time;
				if (it->time > a->last_time)
					a->last_time = it->time;
			} else if (!o->broken_at) {
				o->broken_at = it->env ? it->seq : (int64_t)j + 1;
			}
		}
		a->verified += o->verified;
		if (f->n) {
			struct item *h = &f->items[f->n - 1];

			o->head_seq = h->env ? h->seq : 0;
			memcpy(o->head_commit, h->commit, sizeof(o->head_commit));
			if (h->env)
				memcpy(o->head_entry, h->id, sizeof(o->head_entry));
		}
	}
	for (i = 0; i < a->finding_count; i++)
		if (a->findings[i].feed[0])
			label_key(a->findings[i].label, sizeof(a->findings[i].label), r, a->findings[i].feed);
	if (a->finding_count)
		qsort(a->findings, a->finding_count, sizeof(*a->findings), cmp_finding);
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
		if (f->evidence)
			accord_entry_free(it->e);
	}
	free(f->items);
	free(f->seqs);
	free(f->ref);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int accord_audit_run(accord_audit **out, accord_store *store, const accord_audit_options *opts)
{
	accord_audit_options defaults = ACCORD_AUDIT_OPTIONS_INIT;
	git_strarray feeds = { NULL, 0 }, ev = { NULL, 0 };
	accord_schema_registry *reg = NULL;
	struct run r;
	size_t i, j;
	int error;

	if (!opts)
		opts = &defaults;
	memset(&r, 0, sizeof(r));
	if (!(r.a = calloc(1, sizeof(*r.a))))
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	accord_parties_init(&r.a->parties);
	r.store = store;
	r.tolerance = opts->tolerance >= 0 ? opts->tolerance : ACCORD_AUDIT_DEFAULT_TOLERANCE;
	r.a->tolerance = r.tolerance;
	r.threads = opts->threads;
	if (r.threads <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		r.threads = cpus > 0 ? (int)(cpus < 8 ? cpus : 8) : 1;
	}
	/* The schema cache is built once, before any worker thread uses it. */
	if ((error = accord_schema_builtin(&reg)) < 0)
		goto done;
	if ((error = sort_refs(&r, &feeds, &ev)) < 0)
		goto done;
	qsort(feeds.strings, feeds.count, sizeof(char *), cmp_str);
	if ((error = read_feeds(&r, &feeds)) < 0 || (error = read_evidence(&r, &ev)) < 0)
		goto done;
	replay(&r);
	/* feeds' public totals are needed by the checkpoint step (witnessed seq) */
	if (!(r.a->feeds = calloc(r.nfeeds + 1, sizeof(*r.a->feeds))))
		abort();
	for (i = 0; i < r.nfeeds; i++)
		r.feeds[i].out = &r.a->feeds[i];
	check_checkpoints(&r);
	check_record(&r);
	decide_sigfails(&r);
	{
		/* keep the witness figures across finish(), which rebuilds the array */
		accord_audit_feed *w = r.a->feeds;

		r.a->feeds = NULL;
		finish(&r);
		for (i = 0; i < r.nfeeds; i++) {
			r.a->feeds[i].witnessed_seq = w[i].witnessed_seq;
			memcpy(r.a->feeds[i].witnessed_by, w[i].witnessed_by, sizeof(w[i].witnessed_by));
		}
		free(w);
	}
	/* The authorization state points into the entries: they live as long as the audit. */
	for (i = 0; i < r.nfeeds; i++)
		r.a->owned_count += r.feeds[i].n;
	if (!(r.a->owned = calloc(r.a->owned_count + 1, sizeof(*r.a->owned))))
		abort();
	r.a->owned_count = 0;
	for (i = 0; i < r.nfeeds; i++)
		for (j = 0; j < r.feeds[i].n; j++)
			if (r.feeds[i].items[j].e) {
				r.a->owned[r.a->owned_count++] = r.feeds[i].items[j].e;
				r.feeds[i].items[j].e = NULL;
			}
	error = 0;
done:
	for (i = 0; i < r.nfeeds; i++) {
		for (j = 0; j < r.feeds[i].n; j++)
			accord_entry_free(r.feeds[i].items[j].e);
		free_feed(&r.feeds[i]);
	}
	free(r.feeds);
	for (i = 0; i < r.nev; i++)
		free_feed(&r.ev[i]);
	free(r.ev);
	git_strarray_dispose(&feeds);
	git_strarray_dispose(&ev);
	if (error < 0) {
		accord_audit_free(r.a);
		return error;
	}
	*out = r.a;
	return 0;
}

void accord_audit_free(accord_audit *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->finding_count; i++) {
		free(a->findings[i].ref);
		free(a->findings[i].explanation);
	}
	free(a->findings);
	free(a->feeds);
	accord_parties_dispose(&a->parties);
	for (i = 0; i < a->owned_count; i++)
		accord_entry_free(a->owned[i]);
	free(a->owned);
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
		error = accord_error_set(ACCORD_ENOTFOUND, "no record of verified heads (%s)", path);
		free(path);
		return error;
	}
	if ((error = accord_buf_read_file(&text, path, 64 << 20)) < 0)
		goto done;
	for (line = strtok_r(text.ptr ? text.ptr : "", "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
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
		if (sscanf(line, "%32s %lld %64s %40s %c", h.keyid, &seq, h.entry, h.commit, &extra) != 4 ||
		    !is_keyid(h.keyid, strlen(h.keyid)) || seq < 1 ||
		    !accord_is_lower_hex(h.entry, ACCORD_ID_HEXLEN) || strlen(h.entry) != ACCORD_ID_HEXLEN ||
		    !accord_is_lower_hex(h.commit, 40) || strlen(h.commit) != 40) {
			error = accord_error_set(ACCORD_EINVALID, "%s: malformed line '%.80s'", path, line);
			goto done;
		}
		h.seq = seq;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(heads = realloc(heads, cap * sizeof(*heads))))
				abort();
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
	char *path = NULL, *tmp = NULL, when[ACCORD_TIME_LEN];
	size_t i;
	int fd = -1, error = 0;

	if (a->finding_count)
		return accord_error_set(ACCORD_EINVALID, "only a clean audit's heads are recorded");
	accord_time_format(when, accord_time_now());
	accord_buf_printf(&text, "# accord verified heads %s %s\n", a->ledger, when);
	for (i = 0; i < a->feed_count; i++) {
		const accord_audit_feed *f = &a->feeds[i];

		if (f->head_seq > 0 && f->head_entry[0])
			accord_buf_printf(&text, "%s %lld %s %s\n", f->keyid, (long long)f->head_seq,
					  f->head_entry, f->head_commit);
	}
	if ((error = accord_store_state_path(&path, store, HEADS_FILE)) < 0)
		goto done;
	tmp = xprintf("%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		error = accord_error_set(ACCORD_ERROR, "can't open %s for writing: %s", tmp, strerror(errno));
		goto done;
	}
	if (write(fd, text.ptr, text.size) != (ssize_t)text.size || fsync(fd) != 0) {
		error = accord_error_set(ACCORD_ERROR, "can't write %s: %s", tmp, strerror(errno));
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		error = accord_error_set(ACCORD_ERROR, "can't write %s: %s", tmp, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		error = accord_error_set(ACCORD_ERROR, "can't rename %s to %s: %s", tmp, path,
					 strerror(errno));
		goto done;
	}
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp)
		unlink(tmp);
	free(tmp);
	free(path);
	accord_buf_dispose(&text);
	return error;
}
