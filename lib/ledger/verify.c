/*
 * The verification engine (verify.h): every feed read root first, every
 * commit checked on its own on every core, then the chains, then the
 * ledger id, equivocation, authorization and revocation in ledger order.
 * Problems become findings; an entry that does not count takes with it
 * only its feed's later entries and what rests on it.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accord/causal.h"
#include "accord/chain.h"
#include "accord/encode.h"
#include "accord/error.h"
#include "accord/idmap.h"
#include "accord/json.h"
#include "accord/schema.h"
#include "accord/sigcache.h"
#include "accord/sshsig.h"
#include "accord/timefmt.h"
#include "accord/verify.h"
#include "array.h"

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

enum { SIG_OK = 0, SIG_NONE = 1 };

/* One commit of a feed or of an evidence chain, root first. */
struct item {
	git_oid oid;
	accord_verified_item *pub; /* the caller's view of it */
	accord_commit *c;	   /* freed once verified */
	int readable;
	/* from the worker */
	int sig; /* SIG_OK, SIG_NONE, ACCORD_EINVALID (malformed) or ACCORD_EBADSIG */
	char signer[ACCORD_KEYID_HEXLEN + 1]; /* the id of the key that signed, when has_signer */
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
	char author[ACCORD_KEYID_HEXLEN + 1];
	char incident[ACCORD_ID_HEXLEN + 1]; /* as the bytes claim it, for naming it in findings */
	/* from the main thread */
	int authentic; /* signed by its author, parsed, in its author's feed */
	int flagged;   /* some finding is about it */
	int sigfail;   /* signature does not verify: modified or mismatched */
	int counted;   /* counts in the current replay round */
	int aside;     /* set aside by a rule this round, its own deps counting or set aside */
	int fork;      /* of a forked key, at or past the fork: counts only if vouched for */
	int fork_ok;   /* (fork) its chain and clock check out against its prev, found by id */
	int vouched;   /* (fork) in the causal past of a counted entry of a key that did not fork */
	int hole; /* this round: beyond its key's cut, within a raise, set aside (raised_over) */
	char *modified_by; /* proof that the bytes changed (who names other bytes) */
};

struct feed {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	char *ref;
	git_oid head;
	struct item *items;
	size_t n;
	int64_t *seqs; /* every seq the chain claims, sorted */
	size_t nseqs;
	int evidence;
	int64_t cut; /* entries beyond this seq do not count (for good: equivocation, revocation) */
	int64_t forked_at; /* the seq where proof of equivocation starts, 0 if none */
	int64_t chain;	   /* where the feed's own checks stop it, before any proof or rule */
};

struct run {
	accord_verification *v;
	accord_store *store;
	int threads;
	int lean;		   /* accord_verify_options.lean */
	accord_sigcache *sigcache; /* the store's, unless the options say otherwise */
	int memo;		   /* remember and skip pass 1 of commits (with sigcache) */
	struct pool *pool;	   /* checks commits on their own, for the whole run */
	unsigned char domain[32];  /* memo_domain */
	struct feed *feeds;
	size_t nfeeds;
	struct feed *ev;
	size_t nev;
	accord_idmap
		byid; /* entry id -> item: every authentic entry of the ledger, feeds and forks */
	struct item **forks; /* entries of forked keys from the fork on, both sides */
	size_t nforks;
	struct item **invites; /* every party-invite, for refusals naming a party set aside */
	size_t ninvites;
	struct item **involves; /* every involve, for refusals of a party's entry on an incident */
	size_t ninvolves;
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
			abort();
		v->findings = nf;
	}
	f = &v->findings[v->finding_count++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->set_aside = accord_audit_kind_sets_aside(kind);
	snprintf(f->feed, sizeof(f->feed), "%s", feed ? feed : "");
	f->ref = ref ? xstrdup(ref) : NULL;
	return f;
}

static void add_finding(struct run *r, accord_audit_kind kind, const char *feed, struct item *it,
			const char *ref, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void add_finding(struct run *r, accord_audit_kind kind, const char *feed, struct item *it,
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
		abort();
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
		abort();
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
	/* an open entry is its incident; the others name theirs */
	if ((s = accord_json_str(j, "type")) && !strcmp(s, "open"))
		memcpy(it->incident, it->id, sizeof(it->incident));
	else if ((s = accord_json_str(j, "incident")) && accord_is_lower_hex(s, ACCORD_ID_HEXLEN) &&
		 !s[ACCORD_ID_HEXLEN])
		memcpy(it->incident, s, sizeof(it->incident));
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
static int schema_kind(const cJSON *j)
{
	const char *type = accord_json_str(j, "type");
	size_t i, n = type ? strlen(type) : 0;

	/* another type is kept when its envelope is right: only a non-name is an unknown type */
	for (i = 0; type && !accord_entry_type_known(type) && i < n; i++)
		if (!((type[i] >= 'a' && type[i] <= 'z') || (i && type[i] == '-') ||
		      (i && type[i] >= '0' && type[i] <= '9')))
			return ACCORD_AUDIT_UNKNOWN_TYPE;
	if (type && (n == 0 || n > 31))
		return ACCORD_AUDIT_UNKNOWN_TYPE;
	if (accord_schema_last_failure() == ACCORD_SCHEMA_UNKNOWN_FIELD)
		return ACCORD_AUDIT_UNKNOWN_FIELD;
	return ACCORD_AUDIT_SCHEMA_VIOLATION;
}

/*
 * The memo of pass 1 (issue 14): a commit whose checks on its own all
 * passed (signature by a key, form, encoding, strict JSON, schema) is
 * remembered by its id in the store's memo of signatures (sigcache.h,
 * authenticated with the user's cache key), the value being the key that
 * signed it. Git reads a commit only if its bytes hash to its id, so the
 * id names those bytes. Read again, such a commit skips the signature,
 * the armor, the form and the schema: its entry is parsed without the
 * schemas, and everything after pass 1 on its own (the feed, the chain,
 * the clocks, every rule) runs as before, so verdicts stay the same.
 * The record's digest names what was checked: PASS1_CHECKS (bump it when
 * verify_item checks something else) and the entry checks of this build
 * (accord_entry_checks_fingerprint), so a memo written by another build
 * is not used.
 */
#define PASS1_CHECKS "accord pass 1, version 1"

static size_t pass1_count;

size_t accord_verify_pass1_count(void)
{
	return __atomic_load_n(&pass1_count, __ATOMIC_RELAXED);
}

static void memo_domain(unsigned char *out)
{
	unsigned char fp[32];
	crypto_hash_sha256_state st;

	accord_entry_checks_fingerprint(fp);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)PASS1_CHECKS, sizeof(PASS1_CHECKS));
	crypto_hash_sha256_update(&st, fp, sizeof(fp));
	crypto_hash_sha256_final(&st, out);
}

static void memo_digest(unsigned char *out, const unsigned char *domain, const git_oid *oid)
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, domain, 32);
	crypto_hash_sha256_update(&st, oid->id, GIT_OID_RAWSZ);
	crypto_hash_sha256_final(&st, out);
}

/*
 * A commit checked before (its memo record says who signed it): what
 * verify_item would find, without checking it again. 0 if its entry does
 * not parse after all (then it is checked in full).
 */
static int checked_before(struct item *it, const accord_pubkey *signer)
{
	const accord_commit *c = it->c;

	if (accord_entry_parse_checked_before(&it->e, c->message, c->message_len) < 0) {
		accord_error_clear();
		return 0;
	}
	it->parents = (int)c->parent_count;
	memcpy(it->id, it->e->id, sizeof(it->id));
	it->sig = SIG_OK;
	it->has_signer = 1;
	memcpy(it->signer, signer->id, sizeof(it->signer));
	it->parse_kind = -1;
	envelope_from_json(it, it->e->json);
	git_oid_tostr(it->e->commit, sizeof(it->e->commit), &it->oid);
	if (!sodium_memcmp(signer->pk, it->e->author.pk, sizeof(signer->pk))) {
		it->e->author.type = signer->type;
		memcpy(it->e->author.application, signer->application,
		       sizeof(it->e->author.application));
	}
	return 1;
}

static void verify_item(struct item *it, accord_sigcache *cache, const unsigned char *domain)
{
	const accord_commit *c = it->c;
	unsigned char hash[32], memo[ACCORD_SIGCACHE_DIGEST_LEN];
	unsigned char digest[ACCORD_SIGCACHE_DIGEST_LEN];
	int sig_new = 0;
	git_oid empty_tree;
	accord_buf form = ACCORD_BUF_INIT;
	accord_pubkey signer;

	if (!c)
		return;
	if (cache && domain) {
		memo_digest(memo, domain, &it->oid);
		if (accord_sigcache_get(&signer, cache, memo) && checked_before(it, &signer))
			return;
	}
	__atomic_add_fetch(&pass1_count, 1, __ATOMIC_RELAXED);
	it->parents = (int)c->parent_count;
	accord_sha256(hash, c->message, c->message_len);
	accord_hex_encode(it->id, hash, sizeof(hash));

	memset(&signer, 0, sizeof(signer));
	if (!c->signature.size) {
		it->sig = SIG_NONE;
	} else {
		/*
		 * Checked before over these exact bytes (signature and signed
		 * commit): the same result again, only the Ed25519 work skipped.
		 */
		if (cache)
			accord_sigcache_digest(digest, c->signature.ptr, c->signature.size,
					       c->payload.ptr, c->payload.size);
		if (cache && accord_sigcache_get(&signer, cache, digest)) {
			it->sig = SIG_OK;
		} else {
			it->sig = accord_sshsig_verify(&signer, c->signature.ptr, c->signature.size,
						       "git", c->payload.ptr, c->payload.size);
			sig_new = cache && it->sig == SIG_OK;
		}
		it->has_signer = !sodium_is_zero(signer.pk, sizeof(signer.pk));
		if (it->has_signer) {
			accord_pubkey_set_id(&signer);
			memcpy(it->signer, signer.id, sizeof(it->signer));
		}
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
		git_oid_tostr(it->e->commit, sizeof(it->e->commit), &it->oid);
	} else {
		char *msg = xstrdup(accord_error_last());
		int kind = accord_schema_last_failure() == ACCORD_SCHEMA_UNKNOWN_FIELD;
		cJSON *j = NULL;

		if (accord_json_parse_strict(&j, c->message, c->message_len, ACCORD_ENTRY_MAX, 1) <
		    0) {
			it->parse_kind = ACCORD_AUDIT_MALFORMED_ENTRY;
			it->parse_msg = xprintf("not strict JSON: %s", accord_error_last());
		} else if (!cJSON_IsObject(j)) {
			it->parse_kind = ACCORD_AUDIT_MALFORMED_ENTRY;
			it->parse_msg = xprintf("not a JSON object: %s", msg);
		} else {
			it->parse_kind = schema_kind(j);
			if (it->parse_kind == ACCORD_AUDIT_SCHEMA_VIOLATION && kind)
				it->parse_kind = ACCORD_AUDIT_UNKNOWN_FIELD;
			it->parse_msg = xprintf("schema: %s", msg);
			envelope_from_json(it, j);
		}
		cJSON_Delete(j);
		free(msg);
	}

	/*
	 * The author field holds the Ed25519 key only; the key that signed says
	 * which SSH key type it is, and the rules hold it against the type the
	 * member was admitted with (accord_parties_apply).
	 */
	if (it->e && it->sig == SIG_OK && it->has_signer &&
	    !sodium_memcmp(signer.pk, it->e->author.pk, sizeof(signer.pk))) {
		it->e->author.type = signer.type;
		memcpy(it->e->author.application, signer.application,
		       sizeof(it->e->author.application));
	}

	git_oid_fromstr(&empty_tree, ACCORD_EMPTY_TREE);
	if (c->has_extra_headers)
		accord_buf_puts(&form, "; the commit has headers accord does not write");
	if (c->sig_misplaced)
		accord_buf_puts(
			&form,
			"; the signature header is not the last header, where accord writes it");
	if (c->signature.size && it->sig == SIG_OK &&
	    !accord_sshsig_is_canonical(c->signature.ptr, c->signature.size))
		accord_buf_puts(&form, "; the signature is not in the one encoding accord writes "
				       "(re-wrapped or re-encoded armor)");
	if (!git_oid_equal(&c->tree, &empty_tree))
		accord_buf_puts(&form, "; the commit's tree is not the empty tree");
	if (c->parent_count > 1)
		accord_buf_printf(&form, "; the commit has %u parents (a merge)", c->parent_count);
	if (it->env && it->time && c->committer_time != it->time)
		accord_buf_printf(&form, "; committer time %lld differs from the entry time %lld",
				  (long long)c->committer_time, (long long)it->time);
	/* one encoding: the identity is the entry's author and time, never a name of the writer's */
	if (it->env && it->author[0]) {
		accord_buf ident = ACCORD_BUF_INIT;

		accord_commit_ident(&ident, it->author, it->time);
		if (c->author_len != ident.size ||
		    memcmp(c->payload.ptr + c->author_off, ident.ptr, ident.size) != 0 ||
		    c->committer_len != ident.size ||
		    memcmp(c->payload.ptr + c->committer_off, ident.ptr, ident.size) != 0)
			accord_buf_printf(&form,
					  "; the commit's author or committer is not \"%s\", "
					  "the one accord derives from the entry",
					  ident.ptr);
		accord_buf_dispose(&ident);
	}
	if (form.size)
		it->form_msg = xstrdup(form.ptr + 2);
	accord_buf_dispose(&form);
	/* remembered: the whole of pass 1 on its own when it all passed, else the signature */
	if (cache && domain && it->sig == SIG_OK && it->has_signer && it->e && it->parse_kind < 0 &&
	    !it->form_msg)
		accord_sigcache_put(cache, memo, &signer);
	else if (sig_new)
		accord_sigcache_put(cache, digest, &signer);
}

/*
 * The threads that check commits on their own, for the whole run: the
 * main thread reads the next batch of commits out of git while they check
 * the one posted, then helps them finish it (issue 14: reading and
 * checking used to alternate, one core waiting on the other, and every
 * batch of 512 started and joined its threads).
 */
struct pool {
	pthread_t tids[8];
	int started; /* worker threads running */
	int want;    /* threads to use, the main thread among them */
	pthread_mutex_t lock;
	pthread_cond_t work; /* a batch was posted, or stop */
	pthread_cond_t idle; /* the batch's last chunk is done */
	struct item *items;  /* the batch posted */
	size_t n, next;	     /* its size, and the first item no thread took */
	size_t busy;	     /* threads checking a chunk of it */
	int stop;
	int lean;
	accord_sigcache *cache;
	const unsigned char *domain;
};

static void check_chunk(const struct pool *p, struct item *items, size_t i, size_t end)
{
	for (; i < end; i++) {
		verify_item(&items[i], p->cache, p->domain);
		if (p->lean && items[i].e)
			accord_entry_drop_text(items[i].e);
		accord_commit_free(items[i].c);
		items[i].c = NULL;
	}
}

/* Take chunks of the posted batch until none is left (the lock held on entry and exit). */
static void take_chunks(struct pool *p)
{
	while (p->next < p->n) {
		size_t i = p->next, end = i + 64 < p->n ? i + 64 : p->n;
		struct item *items = p->items; /* stays while busy: pool_finish waits */

		p->next = end;
		p->busy++;
		pthread_mutex_unlock(&p->lock);
		check_chunk(p, items, i, end);
		pthread_mutex_lock(&p->lock);
		if (--p->busy == 0 && p->next >= p->n)
			pthread_cond_broadcast(&p->idle);
	}
}

static void *worker(void *arg)
{
	struct pool *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->next >= p->n)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stop)
			break;
		take_chunks(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void pool_init(struct pool *p, int threads, int lean, accord_sigcache *cache,
		      const unsigned char *domain)
{
	memset(p, 0, sizeof(*p));
	p->want = threads > 8 ? 8 : threads;
	p->lean = lean;
	p->cache = cache;
	p->domain = domain;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->idle, NULL);
}

/* Finish the batch posted, if any: the calling (main) thread helps, then waits for the rest. */
static void pool_finish(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	take_chunks(p);
	while (p->busy)
		pthread_cond_wait(&p->idle, &p->lock);
	p->items = NULL;
	p->n = p->next = 0;
	pthread_mutex_unlock(&p->lock);
}

/*
 * Check these items on the pool's threads while the caller goes on; with
 * `lean`, keep of each entry only what the rules read. A batch too small
 * to share is checked at once on the calling thread. The items must not
 * move until pool_finish.
 */
static void pool_post(struct pool *p, struct item *items, size_t n)
{
	pool_finish(p);
	if (n < 128 || p->want < 2) {
		check_chunk(p, items, 0, n);
		return;
	}
	while (p->started < p->want - 1 &&
	       pthread_create(&p->tids[p->started], NULL, worker, p) == 0)
		p->started++;
	pthread_mutex_lock(&p->lock);
	p->items = items;
	p->n = n;
	p->next = 0;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
}

static void pool_dispose(struct pool *p)
{
	int i;

	pool_finish(p);
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->started; i++)
		pthread_join(p->tids[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->idle);
	pthread_mutex_destroy(&p->lock);
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
}

/*
 * A commit that is not in accord's form (accord_commit_read said so) is a
 * bad commit on its own; if its raw header still names its parent, the
 * walk goes on there (*at), so its predecessors are judged as if it were
 * not there. 1: go on at *at, 0: it is a root, -1: its parent cannot be
 * read either (the error is accord_commit_read's again).
 */
static int step_over(struct run *r, struct feed *f, struct item *it, git_oid *at)
{
	char *why = xstrdup(accord_error_last());
	git_oid parent;
	int error = accord_chain_parent(&parent, r->store, at);

	if (error < 0)
		accord_error_set(ACCORD_EBADSIG, "%s", why);
	else
		add_finding(r, ACCORD_AUDIT_BAD_COMMIT, f->keyid, it, f->ref, "%s", why);
	free(why);
	if (error < 0)
		return -1;
	if (git_oid_is_zero(&parent))
		return 0;
	*at = parent;
	return 1;
}

/*
 * Commits read and not yet verified, at most, in each of the two batches
 * in flight (the one read, the one posted to the pool): each batch is
 * checked on every core as soon as it is read, and its commit bytes
 * freed, so a feed's raw commits are never all in memory at once.
 */
#define VERIFY_BATCH 256

/*
 * Walk from `head` along first parents to the root (or to a commit for
 * which `stop` says so), verifying each commit on its own (verify_item)
 * in batches as it goes, then put the commits root first.
 */
static int read_chain(struct run *r, struct feed *f, const git_oid *head,
		      int (*stop)(void *, const git_oid *), void *stop_arg)
{
	size_t cap = 0, i, done = 0;
	git_oid at = *head;

	for (;;) {
		accord_commit *c = NULL;
		struct item *it;
		int error, over, root;

		if (stop && stop(stop_arg, &at))
			break;
		if (f->n == cap) /* the items move: the batch posted is checked first */
			pool_finish(r->pool);
		push_item(f, &cap, &at);
		it = &f->items[f->n - 1];
		error = accord_commit_read(&c, r->store, &at);
		if (error == ACCORD_EBADSIG && (over = step_over(r, f, it, &at)) >= 0) {
			if (over == 0)
				break;
			continue;
		}
		if (error == ACCORD_ENOTFOUND || error == ACCORD_EBADSIG) {
			add_finding(r,
				    error == ACCORD_ENOTFOUND ? ACCORD_AUDIT_ENTRY_MISSING
							      : ACCORD_AUDIT_BAD_COMMIT,
				    f->keyid, it, f->ref, "%s; the feed before it cannot be read",
				    accord_error_last());
			break;
		}
		if (error < 0) {
			pool_finish(r->pool);
			return error;
		}
		it->c = c;
		it->readable = 1;
		root = c->parent_count == 0;
		at = c->parent;
		if (f->n - done >= VERIFY_BATCH) { /* frees the batch's commits, c among them */
			pool_post(r->pool, f->items + done, f->n - done);
			done = f->n;
		}
		if (root)
			break;
	}
	pool_post(r->pool, f->items + done, f->n - done);
	pool_finish(r->pool);
	/* no slack: a feed's items stay for the whole verification */
	if (f->n && f->n < cap && !(f->items = realloc(f->items, f->n * sizeof(*f->items))))
		abort();
	/* root first */
	for (i = 0; i < f->n / 2; i++) {
		struct item t = f->items[i];

		f->items[i] = f->items[f->n - 1 - i];
		f->items[f->n - 1 - i] = t;
	}
	return 0;
}

/* ---- checks on one commit, and on a feed's chain (main thread) ---- */

static void item_findings(struct run *r, struct feed *f, struct item *it)
{
	const char *ref = f->evidence ? f->ref : NULL;

	if (!it->readable)
		return;
	if (it->form_msg)
		add_finding(r, ACCORD_AUDIT_BAD_COMMIT, f->keyid, it, ref, "%s", it->form_msg);
	if (it->sig == SIG_NONE) {
		add_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it, ref,
			    "the commit is not signed");
	} else if (it->sig == ACCORD_EINVALID) {
		add_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it, ref,
			    "the commit's signature is malformed: %s", it->sig_msg);
	} else if (it->sig < 0) {
		it->sigfail = 1; /* modified or mismatched: decided once all evidence is in */
		it->flagged = 1;
	} else if (it->author[0] && it->has_signer && strcmp(it->signer, it->author) != 0) {
		add_finding(
			r, ACCORD_AUDIT_WRONG_SIGNER, f->keyid, it, ref,
			"the signature is valid but made by key %s, not by the entry's author %s",
			it->signer, it->author);
	}
	if (it->parse_kind >= 0)
		add_finding(r, (accord_audit_kind)it->parse_kind, f->keyid, it, ref, "%s",
			    it->parse_msg);
	if (it->author[0] && strcmp(it->author, f->keyid) != 0)
		add_finding(r, ACCORD_AUDIT_WRONG_FEED, f->keyid, it, ref,
			    "an entry by key %s stored in the feed of key %s", it->author,
			    f->keyid);
	if (it->env && it->lamport > ACCORD_LAMPORT_MAX)
		add_finding(
			r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, ref,
			"Lamport clock %lld is beyond %lld: no ledger gets there one entry at a time, and it would leave no clock for anyone's next entry",
			(long long)it->lamport, (long long)ACCORD_LAMPORT_MAX);
	it->authentic = it->sig == SIG_OK && it->e && it->has_signer &&
			!strcmp(it->signer, it->author) && !strcmp(it->author, f->keyid);
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
	size_t lo = 0, hi = f->nseqs;
	int n = 0;

	while (lo < hi) { /* first index with seqs[i] >= seq */
		size_t mid = (lo + hi) / 2;

		if (f->seqs[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < f->nseqs && f->seqs[lo++] == seq)
		n++;
	return n;
}

/* Seqs, prev, Lamport clock and time along one feed's chain. */
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
					add_finding(
						r, ACCORD_AUDIT_ENTRY_MISSING, f->keyid, it, NULL,
						"the feed starts at seq %lld: %lld earlier entr%s missing",
						(long long)it->seq, (long long)gone,
						gone == 1 ? "y is" : "ies are");
				else if (it->seq == 1 && it->prev[0])
					add_finding(
						r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
						"the first entry of the feed names a previous entry %.16s",
						it->prev);
			}
			q = it;
			continue;
		}
		if (it->seq == q->seq + 1) {
			if (strcmp(it->prev, q->id) != 0) {
				if (q->sigfail && !q->modified_by)
					q->modified_by = xprintf(
						"the next entry (seq %lld, commit %.12s) names %.16s as its predecessor, but these bytes hash to %.16s",
						(long long)it->seq, it->pub->commit, it->prev,
						q->id);
				else if (!q->sigfail)
					add_finding(
						r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
						"prev names %.16s, not the previous entry %.16s (seq %lld)",
						it->prev[0] ? it->prev : "nothing", q->id,
						(long long)q->seq);
			} else if (it->lamport <= q->lamport) {
				add_finding(r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
					    "Lamport clock %lld does not increase over %lld",
					    (long long)it->lamport, (long long)q->lamport);
			}
			/* accord never writes an entry earlier than its predecessor: no tolerance */
			if (it->time < q->time) {
				accord_duration_format(when, sizeof(when), q->time - it->time);
				add_finding(r, ACCORD_AUDIT_TIME_BACKWARDS, f->keyid, it, NULL,
					    "the entry's time is %s before the previous entry's",
					    when);
			}
		} else if (it->seq > q->seq + 1) {
			int64_t gone = missing_between(f, q->seq, it->seq);

			if (gone > 0)
				add_finding(
					r, ACCORD_AUDIT_ENTRY_MISSING, f->keyid, it, NULL,
					"seq %lld follows seq %lld: %lld entr%s missing (prev names %.16s, which is not in the feed)",
					(long long)it->seq, (long long)q->seq, (long long)gone,
					gone == 1 ? "y is" : "ies are",
					it->prev[0] ? it->prev : "nothing");
			else
				add_finding(
					r, ACCORD_AUDIT_REORDERED, f->keyid, it, NULL,
					"seq %lld comes after seq %lld in the feed's commit chain",
					(long long)it->seq, (long long)q->seq);
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
		return; /* no seq appears twice: the usual case */
	for (p = 0; p < f->n; p++) {
		struct item *x = &f->items[p];

		if (!x->env || seq_count(f, x->seq) < 2)
			continue;
		for (i = p + 1; i < f->n; i++) {
			struct item *y = &f->items[i];

			if (!y->env || y->seq != x->seq)
				continue;
			if (!strcmp(x->id, y->id))
				add_finding(
					r, ACCORD_AUDIT_REORDERED, f->keyid, y, NULL,
					"the entry of seq %lld appears twice in the chain (commits %.12s and %.12s)",
					(long long)y->seq, x->pub->commit, y->pub->commit);
			else if (x->authentic && y->authentic)
				add_finding(
					r, ACCORD_AUDIT_EQUIVOCATION, f->keyid, y, NULL,
					"two entries signed by %s with seq %lld: %.16s (commit %.12s) and %.16s (commit %.12s)",
					f->keyid, (long long)y->seq, x->id, x->pub->commit, y->id,
					y->pub->commit);
			else
				add_finding(
					r, ACCORD_AUDIT_REORDERED, f->keyid, y, NULL,
					"seq %lld appears twice in the chain (commits %.12s and %.12s)",
					(long long)y->seq, x->pub->commit, y->pub->commit);
			break;
		}
	}
}

/* The item of seq `seq` in a feed, or NULL (entries normally sit at seq - 1). */
static struct item *item_at(struct feed *f, int64_t seq)
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

static struct feed *find_feed(struct run *r, const char *keyid)
{
	return r->nfeeds ? bsearch(keyid, r->feeds, r->nfeeds, sizeof(*r->feeds), cmp_keyid) : NULL;
}

/* A failed signature is a modified entry when something signed names other bytes; else a mismatch. */
static void decide_sigfails(struct run *r, struct feed *f)
{
	size_t j;

	for (j = 0; j < f->n; j++) {
		struct item *it = &f->items[j];

		if (!it->sigfail)
			continue;
		if (it->modified_by)
			add_finding(
				r, ACCORD_AUDIT_ENTRY_MODIFIED, f->keyid, it,
				f->evidence ? f->ref : NULL,
				"the signature does not verify and %s: the entry was changed after it was signed",
				it->modified_by);
		else
			add_finding(
				r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it,
				f->evidence ? f->ref : NULL,
				"the signature%s%s does not verify over this commit (%s): the commit was rewritten or its signature belongs to other bytes",
				it->has_signer ? " by key " : "", it->has_signer ? it->signer : "",
				it->sig_msg ? it->sig_msg : "bad signature");
	}
}

/*
 * Pass 1 for one feed: read, verify on every core, check the chain. The
 * feed counts up to the first commit that is not an authentic entry in
 * its place.
 */
static int read_feed(struct run *r, struct feed *f, accord_verified_feed *o)
{
	size_t j;
	int error;

	if ((error = read_chain(r, f, &f->head, NULL, NULL)) < 0)
		return error;
	o->count = f->n;
	if (!(o->items = calloc(f->n + 1, sizeof(*o->items))))
		abort();
	for (j = 0; j < f->n; j++) {
		f->items[j].pub = &o->items[j];
		git_oid_tostr(o->items[j].commit, sizeof(o->items[j].commit), &f->items[j].oid);
	}
	for (j = 0; j < f->n; j++)
		item_findings(r, f, &f->items[j]);
	chain_findings(r, f);
	decide_sigfails(r, f);
	f->cut = 0;
	for (j = 0; j < f->n; j++) {
		struct item *it = &f->items[j];

		if (!it->authentic || it->flagged || !it->env || it->seq != (int64_t)j + 1)
			break;
		f->cut = it->seq;
	}
	f->chain = f->cut;
	return 0;
}

/* ---- evidence: chains kept to prove equivocation ---- */

struct stop_arg {
	accord_idmap *known;
};

static int stop_at_known(void *arg, const git_oid *oid)
{
	char hex[41];

	git_oid_tostr(hex, sizeof(hex), oid);
	return accord_idmap_get(((struct stop_arg *)arg)->known, hex) != NULL;
}

/* Whether an authentic entry belongs to the ledger chosen. */
static int of_this_ledger(const struct run *r, const accord_entry *e)
{
	return !strcmp(e->type, "genesis") ? !strcmp(e->id, r->v->ledger)
					   : !strcmp(e->ledger, r->v->ledger);
}

/*
 * The first authentic evidence item of the same key and seq seen so far, or
 * NULL (then `it` becomes that item): two evidence chains can prove a fork
 * on their own, even where this copy has no feed of that key. Keys of the
 * map are digests of "key id/seq", kept in `names` until the map goes.
 */
static struct item *other_evidence(accord_idmap *byseq, char ***names, size_t *nnames,
				   const char *keyid, struct item *it)
{
	char what[64], *name;
	unsigned char hash[32];
	struct item *first;

	snprintf(what, sizeof(what), "%s/%lld", keyid, (long long)it->seq);
	accord_sha256(hash, what, strlen(what));
	if (!(name = malloc(ACCORD_ID_HEXLEN + 1)))
		abort();
	accord_hex_encode(name, hash, sizeof(hash));
	if ((first = accord_idmap_get(byseq, name))) {
		free(name);
		return first;
	}
	if (!(*names = realloc(*names, (*nnames + 1) * sizeof(**names))))
		abort();
	(*names)[(*nnames)++] = name;
	accord_idmap_put(byseq, name, it);
	return NULL;
}

/* Whether an equivocation finding already names this key at or before `seq`. */
static int fork_known(struct run *r, const char *keyid, int64_t seq)
{
	size_t i;

	for (i = 0; i < r->v->finding_count; i++)
		if (r->v->findings[i].kind == ACCORD_AUDIT_EQUIVOCATION &&
		    !strcmp(r->v->findings[i].feed, keyid) && r->v->findings[i].seq <= seq)
			return 1;
	return 0;
}

/*
 * Each evidence commit must be authentic; a signed entry that differs from
 * the feed's entry of the same seq (compared by entry id, never by commit)
 * is proof: from that seq on, the key's entries do not count.
 */
static int read_evidence(struct run *r)
{
	accord_idmap known = ACCORD_IDMAP_INIT, byseq = ACCORD_IDMAP_INIT;
	char **names = NULL;
	size_t nnames = 0;
	struct stop_arg sa = { &known };
	size_t i, j;
	int error = 0;

	if (!r->nev)
		return 0;
	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++)
			accord_idmap_put(&known, r->feeds[i].items[j].pub->commit,
					 &r->feeds[i].items[j]);
	for (i = 0; i < r->nev; i++) {
		struct feed *ev = &r->ev[i];
		struct feed *f;

		if ((error = read_chain(r, ev, &ev->head, stop_at_known, &sa)) < 0)
			break;
		for (j = 0; j < ev->n; j++) {
			/* evidence items have no public view: keep the commit id somewhere stable */
			if (!(ev->items[j].pub = calloc(1, sizeof(*ev->items[j].pub))))
				abort();
			git_oid_tostr(ev->items[j].pub->commit, sizeof(ev->items[j].pub->commit),
				      &ev->items[j].oid);
			/* chains that share commits are read once: linear in the evidence */
			accord_idmap_put(&known, ev->items[j].pub->commit, &ev->items[j]);
		}
		r->v->evidence += ev->n;
		f = find_feed(r, ev->keyid);
		for (j = 0; j < ev->n; j++) {
			struct item *it = &ev->items[j], *mine;

			item_findings(r, ev, it);
			if (it->sigfail)
				add_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, ev->keyid, it,
					    ev->ref,
					    "evidence commit: the signature does not verify: %s",
					    it->sig_msg);
			if (!it->authentic)
				continue;
			/* an entry of another ledger proves nothing here, whoever signed it */
			if (!of_this_ledger(r, it->e)) {
				add_finding(
					r, ACCORD_AUDIT_FOREIGN_LEDGER, NULL, it, ev->ref,
					"evidence %s holds an entry of ledger %.16s, not of this one: it proves nothing here",
					ev->ref, it->e->ledger[0] ? it->e->ledger : it->e->id);
				continue;
			}
			mine = f ? item_at(f, it->seq) : NULL;
			if (mine && mine->authentic && !of_this_ledger(r, mine->e))
				mine = NULL;
			if (!mine || !mine->authentic)
				mine = other_evidence(&byseq, &names, &nnames, ev->keyid, it);
			else
				other_evidence(&byseq, &names, &nnames, ev->keyid, it);
			/*
			 * Proof whatever this copy's feed holds: a copy whose sync stopped
			 * the feed before the fork holds both sides as evidence only.
			 */
			if (mine && mine->authentic && strcmp(mine->id, it->id) != 0 &&
			    !fork_known(r, ev->keyid, it->seq)) {
				add_finding(
					r, ACCORD_AUDIT_EQUIVOCATION, ev->keyid, mine, ev->ref,
					"two entries signed by %s with seq %lld: %.16s (commit %.12s, %s) and %.16s (commit %.12s, kept under %s); from seq %lld on, this key's entries count only where a counted entry of another key depends on them",
					ev->keyid, (long long)it->seq, mine->id, mine->pub->commit,
					f && mine == item_at(f, it->seq) ? "on the feed"
									 : "kept as evidence",
					it->id, it->pub->commit, ev->ref, (long long)it->seq);
				if (f) {
					if (it->seq - 1 < f->cut)
						f->cut = it->seq - 1;
					if (!f->forked_at || it->seq < f->forked_at)
						f->forked_at = it->seq;
				}
			}
		}
	}
	accord_idmap_dispose(&known);
	accord_idmap_dispose(&byseq);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return error;
}

/* ---- pass 2: ledger order ---- */

static struct item *item_of(struct run *r, const accord_entry *e)
{
	struct item *it = accord_idmap_get(&r->byid, e->id);
	struct feed *f;

	if (it && it->e == e)
		return it;
	/* an entry held but not in the graph (of another ledger): on its feed */
	f = find_feed(r, e->author.id);
	it = f ? item_at(f, e->seq) : NULL;
	return it && it->e == e ? it : NULL;
}

/* The item holding entry `id`, on a feed or on a fork's other side; NULL if none. */
static struct item *item_by_id(struct run *r, const char *id)
{
	struct item *it = id ? accord_idmap_get(&r->byid, id) : NULL;

	return it && it->e && !strcmp(it->e->id, id) ? it : NULL;
}

/* The ledger id: git config accord.ledger, else the genesis most entries name. */
static void choose_ledger(struct run *r, accord_entry **all, size_t n)
{
	char *configured = NULL;
	size_t i, best = 0;
	const accord_entry *pick = NULL;
	accord_verification *v = r->v;

	if (accord_store_config_get(&configured, r->store, "accord.ledger") == 0 &&
	    accord_is_lower_hex(configured, ACCORD_ID_HEXLEN) && !configured[ACCORD_ID_HEXLEN]) {
		memcpy(v->ledger, configured, sizeof(v->ledger));
		for (i = 0; i < n; i++)
			if (!strcmp(all[i]->type, "genesis") && !strcmp(all[i]->id, configured))
				pick = all[i];
		if (!pick)
			add_finding(
				r, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
				"the genesis entry %.16s of this ledger (git config accord.ledger) is in no feed",
				configured);
	} else {
		accord_idmap votes = ACCORD_IDMAP_INIT;

		/* one pass to count, one to pick: linear in the entries */
		for (i = 0; i < n; i++)
			if (!strcmp(all[i]->type, "genesis"))
				accord_idmap_put(&votes, all[i]->id, (void *)(uintptr_t)1);
		for (i = 0; i < n; i++) {
			void *c = accord_idmap_get(&votes, all[i]->ledger);

			if (c)
				accord_idmap_put(&votes, all[i]->ledger,
						 (void *)((uintptr_t)c + 1));
		}
		for (i = 0; i < n; i++) {
			size_t count;

			if (strcmp(all[i]->type, "genesis") != 0)
				continue;
			count = (size_t)(uintptr_t)accord_idmap_get(&votes, all[i]->id);
			if (!pick || count > best) {
				pick = all[i];
				best = count;
			}
		}
		accord_idmap_dispose(&votes);
		if (pick)
			memcpy(v->ledger, pick->id, sizeof(v->ledger));
		else
			add_finding(r, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
				    "no genesis entry: the ledger has no founding entry");
	}
	free(configured);
	if (pick) {
		const char *t = accord_entry_str(pick, "title");

		snprintf(v->title, sizeof(v->title), "%s", t ? t : "");
	}
}

static int ledger_order_cmp(const void *a, const void *b)
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

/* ---- pass 2a: the causal graph ---- */

/*
 * One entry against what it depends on: every dep held here (else it is
 * pending), none of its own feed, the Lamport clock exactly one above the
 * highest of prev and deps, and time not before any of them. 0 if it holds.
 */
static int causal_check(struct run *r, struct feed *f, struct item *it, const accord_entry *prev,
			const accord_idmap *held)
{
	const accord_entry *e = it->e;
	int64_t want = prev ? prev->lamport : 0;
	char gap[64];
	size_t i;

	for (i = 0; i < e->dep_count; i++) {
		const accord_entry *d = accord_idmap_get(held, e->deps[i]);

		if (!d) {
			add_finding(
				r, ACCORD_AUDIT_PENDING, f->keyid, it, NULL,
				"depends on entry %.16s, which this copy does not hold: pending until it arrives",
				e->deps[i]);
			return -1;
		}
		if (!strcmp(d->author.id, e->author.id)) {
			add_finding(
				r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
				"deps name %.16s, an entry of its own feed (prev orders a feed)",
				d->id);
			return -1;
		}
		if (d->time > e->time) {
			accord_duration_format(gap, sizeof(gap), d->time - e->time);
			add_finding(
				r, ACCORD_AUDIT_TIME_BACKWARDS, f->keyid, it, NULL,
				"the entry's time is %s before that of entry %.16s, which it depends on",
				gap, d->id);
			return -1;
		}
		if (d->lamport > want)
			want = d->lamport;
	}
	if (e->lamport != want + 1) {
		add_finding(
			r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
			"Lamport clock %lld, but 1 + the highest clock of prev and deps is %lld: the clock is derived, not chosen",
			(long long)e->lamport, (long long)want + 1);
		return -1;
	}
	return 0;
}

/*
 * A checkpoint claims only what it can prove: each head it names must be
 * in its own causal past (reached through prev and deps), and be the
 * entry this copy holds there. So the verdict rests on the checkpoint's
 * past alone, the same on every copy holding it and never changed by what
 * arrives later: a claim about entries not written yet is false at once,
 * not a trap that turns false when the named feed's author writes, leaving
 * whatever depended on the checkpoint pending for ever. A feed proven
 * forked at or before the seq is exempt (the witness may hold the other
 * branch). 0 if it holds; else a finding against the checkpoint's author.
 */
static int checkpoint_check(struct run *r, struct feed *f, struct item *it)
{
	const cJSON *h;

	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(it->e->body, "heads")) {
		const char *feed = accord_json_str(h, "feed"), *hash = accord_json_str(h, "hash");
		struct feed *g = feed ? find_feed(r, feed) : NULL;
		const struct item *mine;
		int64_t seq, seen;

		if (!feed || !hash || accord_json_int(&seq, h, "seq") < 0)
			continue; /* the schema refused it already */
		if (g && g->forked_at && g->forked_at <= seq)
			continue;
		seen = accord_causal_seen(r->v->causal, it->e->id, feed);
		if (seen < seq) {
			add_finding(
				r, ACCORD_AUDIT_FALSE_CHECKPOINT, f->keyid, it, NULL,
				"the checkpoint names entry %.16s as seq %lld of feed %s, which is not in its causal past (it depends on that feed up to seq %lld): a checkpoint claims only what it depends on",
				hash, (long long)seq, feed, (long long)(seen < 0 ? 0 : seen));
			return -1;
		}
		/* a copy of it that does not verify here is the dep chain's to judge (pending) */
		mine = g ? item_at(g, seq) : NULL;
		if (mine && mine->authentic && strcmp(mine->id, hash) != 0) {
			add_finding(
				r, ACCORD_AUDIT_FALSE_CHECKPOINT, f->keyid, it, NULL,
				"the checkpoint names entry %.16s as seq %lld of feed %s, but the entry there in its causal past is %.16s, and nothing here proves the feed forked",
				hash, (long long)seq, feed, mine->id);
			return -1;
		}
	}
	return 0;
}

/*
 * Every authentic entry of this ledger joins the causal graph, in ledger
 * order (deps first when clocks are right); those within their feed's cut
 * are checked against their deps, and a failure cuts the feed there.
 */
static void hold_item(struct run *r, accord_idmap *held, accord_entry **every, size_t *n,
		      struct item *it)
{
	if (accord_idmap_get(&r->byid, it->e->id))
		return; /* the same entry on the feed and as evidence (another commit of it) */
	every[(*n)++] = it->e;
	accord_idmap_put(held, it->e->id, it->e);
	accord_idmap_put(&r->byid, it->e->id, it);
}

/*
 * Whether an entry of a forked key at or past the fork follows its prev,
 * found by entry id (two entries share each seq from the fork on): the
 * prev's seq one below, its own chain sound. 0 if it does.
 */
static int fork_chain_ok(struct run *r, const struct feed *f, const accord_entry *e,
			 const accord_entry **prev)
{
	const struct item *p;

	*prev = NULL;
	if (e->seq == 1)
		return !e->prev[0] ? 0 : -1;
	if (!(p = item_by_id(r, e->prev)) || p->e->seq != e->seq - 1 ||
	    strcmp(p->e->author.id, e->author.id) != 0)
		return -1;
	*prev = p->e;
	if (p->fork)
		return p->fork_ok ? 0 : -1;
	return p->e->seq <= f->chain ? 0 : -1;
}

/*
 * Every authentic entry of this ledger joins the causal graph, in ledger
 * order (deps first when clocks are right); those within their feed's cut
 * are checked against their deps, and a failure cuts the feed there.
 * A forked key's entries from the fork on join too, from the feed and
 * from the evidence alike (both sides, whichever this copy keeps where),
 * each checked against its prev found by id: whether they count is
 * decided by the replay (vouch_forks).
 */
static void causal_pass(struct run *r)
{
	accord_idmap held = ACCORD_IDMAP_INIT;
	accord_entry **every;
	size_t n = 0, i, j;

	for (i = 0; i < r->nfeeds; i++)
		n += r->feeds[i].n;
	for (i = 0; i < r->nev; i++)
		n += r->ev[i].n;
	if (!(every = calloc(n + 1, sizeof(*every))))
		abort();
	n = 0;
	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++) {
			struct feed *f = &r->feeds[i];
			struct item *it = &f->items[j];

			if (!it->authentic || (r->v->ledger[0] && !of_this_ledger(r, it->e)))
				continue;
			hold_item(r, &held, every, &n, it);
			if (f->forked_at && it->seq >= f->forked_at && it->seq <= f->chain) {
				it->fork = 1;
				ACCORD_PUSH(r->forks, r->nforks, it);
			}
		}
	for (i = 0; i < r->nev; i++)
		for (j = 0; j < r->ev[i].n; j++) {
			struct item *it = &r->ev[i].items[j];
			struct feed *f = find_feed(r, r->ev[i].keyid);

			if (!it->authentic || !f || !f->forked_at || it->seq < f->forked_at ||
			    strcmp(it->e->author.id, f->keyid) != 0 || !of_this_ledger(r, it->e) ||
			    accord_idmap_get(&r->byid, it->e->id))
				continue;
			hold_item(r, &held, every, &n, it);
			it->fork = 1;
			ACCORD_PUSH(r->forks, r->nforks, it);
		}
	if (n)
		qsort(every, n, sizeof(*every), ledger_order_cmp);
	if (accord_causal_new(&r->v->causal) < 0)
		abort();
	for (i = 0; i < n; i++) {
		accord_entry *e = every[i];
		struct feed *f = find_feed(r, e->author.id);
		struct item *it = item_of(r, e);
		const accord_entry *prev = NULL;

		if (it && it->fork) {
			it->fork_ok = fork_chain_ok(r, f, e, &prev) == 0 &&
				      causal_check(r, f, it, prev, &held) == 0;
		} else if (it && e->seq <= f->cut) {
			struct item *p = e->seq > 1 ? item_at(f, e->seq - 1) : NULL;

			if (causal_check(r, f, it, p ? p->e : NULL, &held) < 0)
				f->cut = e->seq - 1;
		}
		accord_causal_add(r->v->causal, e);
		/* its claims against its frontier, now known */
		if (it && e->seq <= f->cut && !strcmp(e->type, "checkpoint") &&
		    checkpoint_check(r, f, it) < 0)
			f->cut = e->seq - 1;
	}
	accord_idmap_dispose(&held);
	free(every);
}

/* ---- pass 2b: authority in ledger order ---- */

/* Per-round state of the replay: where each feed stops, and why. */
struct round {
	int64_t *stop;		 /* per feed: entries beyond do not count this round */
	int *aside;		 /* per feed: stopped by the revocation rule (set aside) */
	int64_t *precut;	 /* per feed: a cut learnt in an earlier round (INT64_MAX: none) */
	const accord_entry **by; /* per feed: the revocation that named that cut */
	int64_t *raise;		 /* per feed: a cut raised to what its party counted on */
	int64_t *sound; /* per feed: where faults, forks and missing deps stop it, rules aside */
	int64_t *rests; /* per feed: a set-aside open another party wrote on, unaware (raised) */
};

static int64_t floor_of(void *arg, const char *keyid)
{
	struct run *r = ((void **)arg)[0];
	struct round *rd = ((void **)arg)[1];
	struct feed *f = find_feed(r, keyid);

	return f ? rd->raise[f - r->feeds] : 0;
}

/* parties.set_aside: a proposal of e's incident (an agreement: of none) in e's causal past, set aside this round. */
static int proposal_aside(void *arg, const accord_entry *e, const char *id)
{
	struct run *r = ((void **)arg)[0];
	struct item *it = item_by_id(r, id);

	return it && it->aside && !strcmp(it->e->incident, e->incident) &&
	       (!strcmp(it->e->type, "resolution") || !strcmp(it->e->type, "impact") ||
		!strcmp(it->e->type, "void") || !strcmp(it->e->type, "duplicate") ||
		!strcmp(it->e->type, "agreement") || !strcmp(it->e->type, "status")) &&
	       accord_causal_in_past(r->v->causal, e, it->e) == 1;
}

/* Whether `id` is an entry left out this round by the revocation rule. */
static int rests_on_aside(struct run *r, const struct round *rd, const char *id)
{
	struct item *it = item_by_id(r, id);
	struct feed *f = it ? find_feed(r, it->e->author.id) : NULL;

	/* the entry itself set aside, not only its feed: one resting on a fault is a fault */
	return f && it->aside &&
	       (it->fork || it->hole ||
		(rd->aside[f - r->feeds] && it->e->seq > rd->stop[f - r->feeds]));
}

/*
 * How far a raise of revoked member x's cut may go, up to `upto`: not past
 * an entry of x that has x's revocation in its causal past. Such an entry
 * was written knowing of the revocation, and no colleague depending on it
 * can make it count (else a revoked admin could add admins through any
 * member of its party).
 */
static int64_t unaware_of_revocation(struct run *r, struct feed *g, const accord_member *x,
				     int64_t upto)
{
	const accord_entry *rev = x->revocation;
	int64_t s;

	if (!rev)
		return upto;
	for (s = x->cut + 1; s <= upto; s++) {
		struct item *it = item_at(g, s);

		if (!it || accord_causal_seen(r->v->causal, it->id, rev->author.id) >= rev->seq)
			return s - 1;
	}
	return upto;
}

/* A type that gives authority (admits, revokes, invites, founds): never raised over for another party. */
static int gives_authority(const accord_entry *e)
{
	static const char *const types[] = { "genesis",	     "member-add",   "member-revoke",
					     "key-rotate",   "party-invite", "party-accept",
					     "party-recover" };
	size_t i;

	if (!e->known)
		return 1; /* a newer accord's type may be one */
	for (i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (!strcmp(e->type, types[i]))
			return 1;
	return 0;
}

/*
 * The last entry of revoked member x beyond its cut that `e` has in its
 * causal past, written unaware of the revocation, and that `match`es;
 * 0 if none. What gives authority on the way stays set aside
 * (beyond_cut_authority), so a raise to it never brings back a revoked
 * admin's backdated member-add.
 */
static int64_t last_seen_beyond_cut(struct run *r, struct feed *g, const accord_member *x,
				    const accord_entry *e,
				    int (*match)(const accord_entry *, const void *),
				    const void *arg)
{
	int64_t upto =
		unaware_of_revocation(r, g, x, accord_causal_seen(r->v->causal, e->id, x->key.id));
	int64_t s, target = 0;

	for (s = x->cut + 1; s <= upto; s++) {
		struct item *it = item_at(g, s);

		if (!it || !it->e)
			break;
		if (match(it->e, arg))
			target = s;
	}
	return target;
}

static int open_naming(const accord_entry *e, const void *party)
{
	const cJSON *name;

	if (strcmp(e->type, "open") != 0)
		return 0;
	cJSON_ArrayForEach(name, cJSON_GetObjectItemCaseSensitive(e->body, "parties"))
		if (cJSON_IsString(name) && !strcmp(name->valuestring, party))
			return 1;
	return 0;
}

/* An entry on `incident`: its open (the incident's id), or any entry naming it. */
static int on_incident(const accord_entry *e, const void *incident)
{
	return !strcmp(e->incident, incident) || !strcmp(e->id, incident);
}

/* match arguments: an incident and a party name */
struct involving {
	const char *incident, *party;
};

/* The open or an involve of an incident, naming a party: what makes it that party's incident. */
static int involves(const accord_entry *e, const void *arg)
{
	const struct involving *in = arg;
	const char *party = accord_entry_str(e, "party");

	if (!strcmp(e->type, "involve"))
		return !strcmp(e->incident, in->incident) && party && !strcmp(party, in->party);
	return !strcmp(e->id, in->incident) && open_naming(e, in->party);
}

static int is_entry(const accord_entry *e, const void *id)
{
	return !strcmp(e->id, id);
}

/*
 * How far another party's entry `e` (of member m) raises revoked member
 * x's cut (TRUST.md attack 1: decisions of other parties resting on the
 * key's entries stand). A cosign raises it to the proposal it signs (a
 * resolution, an agreement's terms, a pause), an action to the resolution
 * it updates (attack27 06). A close raises it to x's last entry on that
 * incident in e's causal past: the cosign, proposal or status it rests on,
 * a pause x co-signed (attack26 finding 11, attack27 03, 04 and 07). Any other entry on an
 * incident raises it to the open or involve that made it e's party's
 * incident (attack26 12, attack27 01). A checkpoint raises it to x's last
 * open of an incident naming m's party (attack26 07): a party that synced
 * an incident opened for it keeps it. 0 if it raises nothing.
 */
static int64_t other_party_rests_on(struct run *r, const accord_parties *p, struct feed *g,
				    const accord_member *x, const accord_member *m,
				    const accord_entry *e)
{
	const char *st = accord_entry_str(e, "status");
	const char *named = !strcmp(e->type, "cosign")	 ? accord_entry_str(e, "proposal")
			    : !strcmp(e->type, "action") ? accord_entry_str(e, "resolution")
							 : NULL;
	struct involving in = { e->incident, p->parties[m->party].name };
	int64_t signed_on = named ? last_seen_beyond_cut(r, g, x, e, is_entry, named) : 0, s = 0;

	if (!strcmp(e->type, "status") && st && !strcmp(st, "closed") && e->incident[0])
		s = last_seen_beyond_cut(r, g, x, e, on_incident, e->incident);
	else if (e->incident[0])
		s = last_seen_beyond_cut(r, g, x, e, involves, &in);
	else if (!strcmp(e->type, "checkpoint"))
		s = last_seen_beyond_cut(r, g, x, e, open_naming, in.party);
	return signed_on > s ? signed_on : s;
}

/*
 * When `e`, of another party and unaware of a revocation, is refused: the
 * revoked key's entries it rests on (other_party_rests_on) may be what was
 * cut, an open, an involve, what a close rests on. learn_cuts raises the
 * cut to them once the cuts hold, so a revoker cannot hide or undo the
 * work of parties that built on them.
 */
static void rests_on_refused(struct run *r, struct round *rd, const accord_parties *p,
			     const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);
	size_t j;

	for (j = 0; m && j < p->member_count; j++) {
		const accord_member *x = p->members[j];
		struct feed *g;
		int64_t seen;

		if (!x->revoked || x->party == m->party || !(g = find_feed(r, x->key.id)) ||
		    (x->revocation && accord_causal_in_past(r->v->causal, e, x->revocation) == 1))
			continue;
		seen = other_party_rests_on(r, p, g, x, m, e);
		if (seen > x->cut && seen > rd->rests[g - r->feeds])
			rd->rests[g - r->feeds] = seen;
	}
}

/*
 * Whether every dep of `e` counts or is set aside by a rule this round.
 * An entry set aside that rests on neither (a dep missing, invalid or
 * pending) is not sound: its dependants wait like those of a bad entry.
 */
static int deps_sound(struct run *r, const accord_entry *e)
{
	size_t i;

	for (i = 0; i < e->dep_count; i++) {
		struct item *d = item_by_id(r, e->deps[i]);

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
 * the cut to cover it (attack 1), which learn_cuts does once this entry
 * counts. 0 if it may count; else the pending finding is added and -1
 * returned.
 */
static int deps_count(struct run *r, const struct round *rd, const accord_parties *p,
		      const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);
	size_t i;

	for (i = 0; i < e->dep_count; i++) {
		struct item *d = item_by_id(r, e->deps[i]);
		struct feed *g = d ? find_feed(r, d->e->author.id) : NULL;
		int64_t seq = d ? d->e->seq : 0;
		const accord_member *x;

		if (d && (d->counted || d->aside))
			continue;
		x = g ? accord_parties_member(p, g->keyid) : NULL;
		if (m && x && x != m && x->party == m->party && x->revoked && !d->fork &&
		    rd->aside[g - r->feeds] && seq > rd->stop[g - r->feeds] &&
		    unaware_of_revocation(r, g, x, seq) >= seq &&
		    !(x->revocation && accord_causal_in_past(r->v->causal, e, x->revocation) == 1))
			continue; /* it raises the cut to cover the dep (learn_cuts), as it does there */
		add_finding(
			r, ACCORD_AUDIT_PENDING, e->author.id, item_of(r, e), NULL,
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

static int cmp_item_incident(const void *a, const void *b)
{
	return strcmp((*(struct item *const *)a)->e->incident,
		      (*(struct item *const *)b)->e->incident);
}

/* Whether e's party was involved in e's incident by an involve, in e's causal past, set aside this round. */
static int involve_aside(struct run *r, const struct round *rd, const accord_parties *p,
			 const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);
	size_t lo = 0, hi = r->ninvolves, i;

	if (!m || !e->incident[0])
		return 0;
	while (lo <
	       hi) { /* the first involve of e's incident (r->involves is sorted by incident) */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->involves[mid]->e->incident, e->incident) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < r->ninvolves && !strcmp(r->involves[i]->e->incident, e->incident); i++) {
		const accord_entry *inv = r->involves[i]->e;
		const char *party = accord_entry_str(inv, "party");

		if (party && accord_party_names_alike(party, p->parties[m->party].name) &&
		    rests_on_aside(r, rd, inv->id) &&
		    accord_causal_in_past(r->v->causal, e, inv) == 1)
			return 1;
	}
	return 0;
}

/*
 * Whether `e` refers, other than through its author's own admission, to
 * an entry set aside this round: the incident it is about, the involve
 * that made it its party's incident, the proposal or revision it names, a
 * party whose invitation is set aside. Such an
 * entry is refused for want of what it names, no fault of its author: it
 * is set aside alone (a hole), and its feed goes on, else a revocation
 * below an admission or invitation would stop every feed that built on it.
 */
static int refers_to_aside(struct run *r, const struct round *rd, const accord_parties *p,
			   const accord_entry *e)
{
	const cJSON *item;

	if (rests_on_aside(r, rd, accord_entry_str(e, "resolution")) ||
	    rests_on_aside(r, rd, accord_entry_str(e, "proposal")) ||
	    rests_on_aside(r, rd, accord_entry_str(e, "revises")) ||
	    (e->incident[0] && rests_on_aside(r, rd, e->incident)) || involve_aside(r, rd, p, e) ||
	    party_aside(r, rd, p, e, accord_entry_str(e, "party")) ||
	    party_aside(r, rd, p, e, accord_entry_str(e, "with")))
		return 1;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(e->body, "parties"))
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
		add_finding(r, ACCORD_AUDIT_WRONG_SIGNER, e->author.id, it, NULL, "%s", why);
	} else if (p->last_rule == ACCORD_RULE_AFTER_REVOCATION) {
		add_finding(r, ACCORD_AUDIT_REVOKED_KEY, e->author.id, it, NULL, "%s", why);
		return 1;
	} else if (p->last_rule == ACCORD_RULE_PAST_CUT) {
		add_finding(r, ACCORD_AUDIT_PAST_CUT, e->author.id, it, NULL, "%s", why);
		return 1;
	} else if (rests_on_aside(r, rd, e->admission) ||
		   rests_on_aside(r, rd, accord_entry_str(e, "invite"))) {
		add_finding(r, ACCORD_AUDIT_PAST_CUT, e->author.id, it, NULL,
			    "rests on an entry set aside beyond its key's cut: %s", why);
		return 1;
	} else if (refers_to_aside(r, rd, p, e)) {
		add_finding(r, ACCORD_AUDIT_PAST_CUT, e->author.id, it, NULL,
			    "refers to an entry set aside beyond its key's cut: %s", why);
		return m && !m->revoked ? 2 : 1;
	} else if (!m && strcmp(e->type, "party-accept") != 0 &&
		   !accord_parties_invite_for(p, e->author.id)) {
		add_finding(r, ACCORD_AUDIT_UNKNOWN_KEY, e->author.id, it, NULL,
			    "key %s is a member of no party at this point: %s", e->author.id, why);
	} else if (!strcmp(e->type, "cosign")) {
		add_finding(r, ACCORD_AUDIT_BAD_COSIGN, e->author.id, it, NULL,
			    "%s (a missing proposal, or one whose bytes were not accepted)", why);
	} else {
		add_finding(r, ACCORD_AUDIT_NOT_AUTHORIZED, e->author.id, it, NULL, "%s", why);
	}
	return 0;
}

/*
 * Where revoked key `m`'s cut stands this round, and the revocation that
 * names it: learnt in an earlier round, or applied already in this one.
 */
static int64_t cut_now(const struct round *rd, size_t fi, const accord_member *m,
		       const accord_entry **rev)
{
	*rev = rd->by[fi];
	if (m && m->revoked && m->cut < rd->precut[fi]) {
		*rev = m->revocation;
		return m->cut;
	}
	return rd->precut[fi];
}

/*
 * Whether `e` gives authority and is not what its key's cut names: beyond
 * the cut (counting, if at all, only through a raise), or, for a forked
 * key, at or below the cut's seq on the side the revocation did not see
 * (TRUST.md attack 2: cuts name entry ids). A raise brings back what
 * colleagues and partners built on (notes, cosigns, opens), never an
 * admission, revocation or invitation, whoever depends on it: else a
 * revoked admin adds admins through any colleague's or partner's entry.
 */
static int beyond_cut_authority(struct run *r, const struct round *rd, const accord_parties *p,
				const struct item *it)
{
	const accord_entry *e = it->e, *rev;
	const accord_member *m;
	size_t fi;
	int64_t cut;

	if (!gives_authority(e)) /* most entries: no lookups on the replay's hot path */
		return 0;
	m = accord_parties_member(p, e->author.id);
	fi = (size_t)(find_feed(r, e->author.id) - r->feeds);
	if ((cut = cut_now(rd, fi, m, &rev)) == INT64_MAX)
		return 0;
	if (e->seq > cut)
		return e->seq <= rd->raise[fi]; /* beyond the raise, the cut's own finding */
	if (!it->fork || (rev && !strcmp(rev->id, e->id)))
		return 0; /* a rotation is its key's own cut: the entry the cut names */
	return !rev || accord_causal_in_past(r->v->causal, rev, e) != 1;
}

/*
 * Set aside an entry that beyond_cut_authority names. Its feed goes on
 * past it: what the key wrote after it still counts as far as the raise
 * covers, since nothing there rests on it through the feed alone.
 */
static void set_aside_hole(struct run *r, const accord_parties *p, struct item *it)
{
	const accord_entry *e = it->e;
	const accord_member *m = accord_parties_member(p, e->author.id);
	int after =
		m && m->revocation && accord_causal_in_past(r->v->causal, e, m->revocation) == 1;

	add_finding(
		r, after ? ACCORD_AUDIT_REVOKED_KEY : ACCORD_AUDIT_PAST_CUT, e->author.id, it, NULL,
		"key %s was revoked, and this %s entry (seq %lld) is not within its cut: what other keys built on beyond a cut counts, never an entry that gives authority",
		e->author.id, e->type, (long long)e->seq);
	it->hole = 1;
	it->aside = deps_sound(r, e);
}

/*
 * An entry of a forked key at or past the fork, on either side (TRUST.md
 * attack 2): it counts only where its prev counts, it is within any cut,
 * a counted entry of a key that did not fork has it in its causal past
 * (vouch_forks), and the usual rules hold. Else it is set aside, its
 * author's signed word that travels; nothing else of the feed stops. 0 if
 * it counts.
 */
static int replay_fork(struct run *r, struct round *rd, accord_parties *p, struct item *it,
		       int64_t pre)
{
	const accord_entry *e = it->e;
	struct feed *f = find_feed(r, e->author.id);
	size_t fi = (size_t)(f - r->feeds);
	struct item *pv = e->seq > 1 ? item_by_id(r, e->prev) : NULL;
	char why[512];

	if (!it->fork_ok || (pv && !pv->counted) || (!pv && e->seq > 1) ||
	    (pv && !pv->fork && pv->e->seq > rd->stop[fi])) {
		/* follows an entry that does not count: set aside with it, else left out */
		it->aside = it->fork_ok && pv && pv->aside && deps_sound(r, e);
		return -1;
	}
	if (e->seq > pre) {
		const accord_member *m = accord_parties_member(p, e->author.id);
		int after = m && m->revocation &&
			    accord_causal_in_past(r->v->causal, e, m->revocation) == 1;

		add_finding(
			r, after ? ACCORD_AUDIT_REVOKED_KEY : ACCORD_AUDIT_PAST_CUT, e->author.id,
			it, NULL,
			"key %s was revoked with cut %lld; this %s entry is seq %lld, beyond it",
			e->author.id, (long long)pre, e->type, (long long)e->seq);
		rd->aside[fi] = 1;
		it->aside = deps_sound(r, e);
		return -1;
	}
	if (beyond_cut_authority(r, rd, p, it)) {
		set_aside_hole(r, p, it);
		return -1;
	}
	if (!it->vouched) {
		add_finding(
			r, ACCORD_AUDIT_FORKED, e->author.id, it, NULL,
			"key %s signed two entries with seq %lld; this %s entry (seq %lld) is on one side of the fork, and no counted entry of another key depends on it",
			e->author.id, (long long)f->forked_at, e->type, (long long)e->seq);
		rd->aside[fi] = 1;
		it->aside = deps_sound(r, e);
		return -1;
	}
	if (deps_count(r, rd, p, e) < 0)
		return -1;
	if (accord_parties_apply(p, e) < 0) {
		snprintf(why, sizeof(why), "%s", accord_error_last());
		it->aside = deny_finding(r, rd, p, it, e, why) && deps_sound(r, e);
		return -1;
	}
	it->counted = 1;
	return 0;
}

/*
 * After a round: a forked key's entries from the fork on that a counted
 * entry of a key that did not fork has in its causal past are vouched
 * for, on whichever side of the fork they are (found by walking prev and
 * deps by entry id). Vouching only grows, so rounds end; the walk is
 * linear in the entries above the fork's lowest clock. 1 if it grew.
 */
static int vouch_forks(struct run *r, accord_entry **kept, size_t k)
{
	accord_idmap seen = ACCORD_IDMAP_INIT;
	const char **stack = NULL;
	size_t n = 0, i, j;
	int64_t low = INT64_MAX;
	int grew = 0;

	if (!r->nforks)
		return 0;
	for (i = 0; i < r->nforks; i++)
		if (r->forks[i]->e->lamport < low)
			low = r->forks[i]->e->lamport;
	for (i = 0; i < k; i++) {
		struct feed *f = find_feed(r, kept[i]->author.id);

		if (f && f->forked_at)
			continue; /* a forked key vouches for nothing, not even the other side */
		if (kept[i]->lamport > low)
			ACCORD_PUSH(stack, n, kept[i]->id);
	}
	while (n) {
		const char *id = stack[--n];
		struct item *it = item_by_id(r, id);
		const accord_entry *e;

		if (!it || accord_idmap_get(&seen, id))
			continue;
		e = it->e;
		accord_idmap_put(&seen, e->id, it);
		if (it->fork && !it->vouched) {
			it->vouched = 1;
			grew = 1;
		}
		if (e->lamport <= low)
			continue;
		if (e->prev[0])
			ACCORD_PUSH(stack, n, e->prev);
		for (j = 0; j < e->dep_count; j++)
			ACCORD_PUSH(stack, n, e->deps[j]);
	}
	free(stack);
	accord_idmap_dispose(&seen);
	return grew;
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
		struct feed *f = find_feed(r, e->author.id);
		size_t fi = (size_t)(f - r->feeds);
		int64_t pre = rd->precut[fi] > rd->raise[fi] ? rd->precut[fi] : rd->raise[fi];
		struct item *it = item_of(r, e);
		char why[512];

		if (it && it->fork) {
			if (replay_fork(r, rd, p, it, pre) == 0)
				kept[k++] = e;
			continue;
		}
		if (e->seq > rd->stop[fi]) {
			struct item *prev = item_at(f, e->seq - 1);

			/* a feed set aside by a rule stays its author's word up to its first fault */
			if (rd->aside[fi] && e->seq <= rd->sound[fi] && prev && prev->aside &&
			    deps_sound(r, e))
				item_of(r, e)->aside = 1;
			continue;
		}
		if (e->seq > pre) {
			const accord_member *m = accord_parties_member(p, e->author.id);
			int after = m && m->revocation &&
				    accord_causal_in_past(r->v->causal, e, m->revocation) == 1;

			add_finding(
				r, after ? ACCORD_AUDIT_REVOKED_KEY : ACCORD_AUDIT_PAST_CUT,
				e->author.id, item_of(r, e), NULL,
				"key %s was revoked with cut %lld; this %s entry is seq %lld, beyond it%s",
				e->author.id, (long long)pre, e->type, (long long)e->seq,
				after ? ", written after the revocation"
				      : " (written before its author learned of the revocation)");
			rd->stop[fi] = e->seq - 1;
			rd->aside[fi] = 1;
			item_of(r, e)->aside = deps_sound(r, e);
			continue;
		}
		if (beyond_cut_authority(r, rd, p, it)) {
			set_aside_hole(r, p, it);
			continue;
		}
		if (deps_count(r, rd, p, e) < 0) {
			rd->stop[fi] = e->seq - 1;
			continue;
		}
		if (accord_parties_apply(p, e) < 0) {
			int aside;

			snprintf(why, sizeof(why), "%s", accord_error_last());
			rests_on_refused(r, rd, p, e);
			aside = deny_finding(r, rd, p, it, e, why);
			it->aside = aside && deps_sound(r, e);
			if (aside == 2) {
				it->hole =
					1; /* refused for what it names alone: the feed goes on */
				continue;
			}
			rd->aside[fi] = aside;
			rd->stop[fi] = e->seq - 1;
			continue;
		}
		item_of(r, e)->counted = 1;
		kept[k++] = e;
	}
	return k;
}

/*
 * After a round: cuts the round learnt too late (entries beyond them sorted
 * before their revocation), and cuts to raise because another key of the
 * revoked key's party counted on entries beyond them (TRUST.md attack 1).
 * Cuts only go down and raises only up, so rounds end. 1 if another round
 * is needed. Raises are learnt only once the cuts hold without them, so no
 * entry resting on what lies beyond a cut can raise that cut itself.
 */
static int learn_cuts(struct run *r, accord_entry **kept, size_t k, const accord_parties *p,
		      struct round *rd, int raising)
{
	size_t i, j;
	int again = 0;

	for (i = 0; i < k; i++) {
		const accord_entry *e = kept[i];
		const accord_member *m = accord_parties_member(p, e->author.id);
		struct feed *f = find_feed(r, e->author.id);
		size_t fi = (size_t)(f - r->feeds);

		if (m && m->revoked && m->cut < rd->precut[fi] &&
		    (e->seq > m->cut || beyond_cut_authority(r, rd, p, item_of(r, e)))) {
			rd->precut[fi] = m->cut;
			rd->by[fi] = m->revocation;
			again = 1;
		}
		if (!m || !raising)
			continue;
		for (j = 0; j < p->member_count; j++) {
			const accord_member *x = p->members[j];
			struct feed *g;
			int64_t seen;

			if (!x->revoked || x == m || !(g = find_feed(r, x->key.id)))
				continue;
			/*
			 * Only a colleague unaware of the revocation raises it: one that
			 * knew (the revoker's own later entries among them) accepted the
			 * cut, and what it saw beyond it, however it came by it, stays
			 * set aside (else a revoked admin's backdated member-add would
			 * come back through any note that depends on it).
			 */
			if (x->revocation &&
			    accord_causal_in_past(r->v->causal, e, x->revocation) == 1)
				continue;
			if (x->party != m->party)
				seen = other_party_rests_on(r, p, g, x, m, e);
			else
				seen = unaware_of_revocation(
					r, g, x,
					accord_causal_seen(r->v->causal, e->id, x->key.id));
			if (seen > rd->raise[g - r->feeds] && seen > x->cut) {
				rd->raise[g - r->feeds] = seen;
				again = 1;
			}
		}
	}
	for (i = 0; raising && i < r->nfeeds; i++) {
		if (rd->rests[i] > rd->raise[i]) {
			rd->raise[i] = rd->rests[i];
			again = 1;
		}
	}
	/*
	 * A cut holds only while the revocation naming it is within its own
	 * author's cut: one written past it (an admin revoked meanwhile, on a
	 * stale copy) has no effect at all (F2). Decided on the cuts alone,
	 * not on what else a round refused, so rounds settle.
	 */
	for (i = 0; i < r->nfeeds; i++) {
		const accord_entry *rev = rd->by[i];
		struct feed *g = rev ? find_feed(r, rev->author.id) : NULL;

		if (g && rd->precut[g - r->feeds] != INT64_MAX &&
		    rev->seq > rd->precut[g - r->feeds]) {
			rd->precut[i] = INT64_MAX;
			rd->by[i] = NULL;
			again = 1;
		}
	}
	return again;
}

/* A revoked key is valid, for stock git, until the time of its last entry that counts. */
static void set_valid_until(struct run *r, accord_parties *p)
{
	size_t i;

	for (i = 0; i < p->member_count; i++) {
		accord_member *m = p->members[i];
		struct feed *f;
		struct item *it;

		if (!m->revoked)
			continue;
		m->valid_until = m->added;
		f = find_feed(r, m->key.id);
		it = f && f->cut > 0 ? item_at(f, f->cut) : NULL;
		if (it && it->e && it->e->time > m->valid_until)
			m->valid_until = it->e->time;
	}
}

/*
 * A proven fork is a fault until its party deals with it: once the forked
 * key is revoked with a cut below the fork, nothing of either branch can
 * count any more (the member's work is re-recorded under new keys, accord
 * recover), so the proof stays listed, set aside as recovered.
 */
static void settle_recovered_forks(accord_verification *v)
{
	accord_buf why = ACCORD_BUF_INIT;
	size_t i;

	for (i = 0; i < v->finding_count; i++) {
		accord_finding *f = &v->findings[i];
		const accord_member *m;

		if (f->kind != ACCORD_AUDIT_EQUIVOCATION || f->set_aside)
			continue;
		m = accord_parties_member(&v->parties, f->feed);
		if (!m || !m->revoked || f->seq <= 0 || m->cut >= f->seq)
			continue;
		accord_buf_clear(&why);
		accord_buf_printf(
			&why,
			"%s; recovered: the key is revoked with its cut at seq %lld, below the fork",
			f->explanation ? f->explanation : "", (long long)m->cut);
		free(f->explanation);
		f->explanation = accord_buf_detach(&why);
		f->set_aside = 1;
	}
	accord_buf_dispose(&why);
}

/* The ledger id, before anything is judged against it (evidence too). */
static void pick_ledger(struct run *r)
{
	accord_entry **all;
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
	free(all);
}

/*
 * The entries that take part in the replay, in ledger order: every
 * authentic entry within its feed's cut, both sides of each fork, and no
 * entry of another ledger (its feed stops there). Fills r->invites, and
 * r->involves sorted by incident (involve_aside looks them up).
 * Returns how many; `all` holds room for every entry read.
 */
static size_t in_ledger_order(struct run *r, accord_entry **all)
{
	accord_verification *v = r->v;
	size_t n = 0, i, j;

	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++)
			if (r->feeds[i].items[j].authentic && !r->feeds[i].items[j].fork)
				all[n++] = r->feeds[i].items[j].e;
	for (i = 0; i < r->nforks; i++)
		all[n++] = r->forks[i]->e; /* of this ledger, both sides of each fork */
	for (i = j = 0; i < n; i++) {
		accord_entry *e = all[i];
		struct feed *f = find_feed(r, e->author.id);
		int foreign = !strcmp(e->type, "genesis") ? strcmp(e->id, v->ledger) != 0
							  : strcmp(e->ledger, v->ledger) != 0;

		if (item_of(r, e) && item_of(r, e)->fork) {
			all[j++] = e;
			continue;
		}
		if (e->seq > f->cut)
			continue;
		if (foreign && v->ledger[0]) {
			if (!strcmp(e->type, "genesis"))
				add_finding(
					r, ACCORD_AUDIT_FOREIGN_LEDGER, e->author.id, item_of(r, e),
					NULL,
					"a second genesis entry, founding ledger %.16s: replayed from another ledger",
					e->id);
			else
				add_finding(
					r, ACCORD_AUDIT_FOREIGN_LEDGER, e->author.id, item_of(r, e),
					NULL,
					"the entry belongs to ledger %.16s, not to this ledger %.16s",
					e->ledger[0] ? e->ledger : "(none)", v->ledger);
			f->cut = e->seq - 1;
			continue;
		}
		all[j++] = e;
	}
	n = j;
	qsort(all, n, sizeof(*all), ledger_order_cmp);
	for (i = 0; i < n; i++) {
		if (!item_of(r, all[i]))
			continue;
		if (!strcmp(all[i]->type, "party-invite"))
			ACCORD_PUSH(r->invites, r->ninvites, item_of(r, all[i]));
		else if (!strcmp(all[i]->type, "involve"))
			ACCORD_PUSH(r->involves, r->ninvolves, item_of(r, all[i]));
	}
	if (r->ninvolves > 1)
		qsort(r->involves, r->ninvolves, sizeof(*r->involves), cmp_item_incident);
	return n;
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

static int replay(struct run *r)
{
	accord_verification *v = r->v;
	accord_entry **all = NULL, **kept = NULL;
	struct round rd;
	void *floor_arg[2] = { r, &rd };
	size_t n = 0, i, k = 0, mark, rounds;
	int raising;

	for (i = 0; i < r->nfeeds; i++)
		n += r->feeds[i].n;
	if (!(rd.stop = calloc(r->nfeeds + 1, sizeof(*rd.stop))) ||
	    !(rd.aside = calloc(r->nfeeds + 1, sizeof(*rd.aside))) ||
	    !(rd.precut = calloc(r->nfeeds + 1, sizeof(*rd.precut))) ||
	    !(rd.by = calloc(r->nfeeds + 1, sizeof(*rd.by))) ||
	    !(rd.raise = calloc(r->nfeeds + 1, sizeof(*rd.raise))) ||
	    !(rd.sound = calloc(r->nfeeds + 1, sizeof(*rd.sound))) ||
	    !(rd.rests = calloc(r->nfeeds + 1, sizeof(*rd.rests))))
		abort();
	for (i = 0; i < r->nfeeds; i++)
		rd.precut[i] = INT64_MAX;
	causal_pass(r);
	if (!(all = calloc(n + r->nforks + 1, sizeof(*all))) ||
	    !(kept = calloc(n + r->nforks + 1, sizeof(*kept))))
		abort();
	n = in_ledger_order(r, all);
	/*
	 * Replay; a revocation can cut entries that sorted before it, and an
	 * entry of the revoked key's party can raise a cut, which changes what
	 * follows: replay again until the cuts hold. The findings of refused
	 * entries are those of the last round.
	 */
	mark = v->finding_count;
	for (raising = 0, rounds = 0;;) {
		start_round(r, &rd, mark, floor_arg);
		k = replay_once(r, all, n, &rd, kept, &v->parties);
		/*
		 * A cut dropped because its revoker was cut can revive entries,
		 * but only down the admission tree (an admin revokes below it
		 * only), so rounds are bounded by its depth; the cap only
		 * guarantees an end, the same on every copy.
		 */
		if (++rounds > 2 * r->nfeeds + 8 + r->nforks)
			break;
		if (vouch_forks(r, kept, k))
			continue;
		if (learn_cuts(r, kept, k, &v->parties, &rd, raising))
			continue;
		if (raising || !learn_cuts(r, kept, k, &v->parties, &rd, 1))
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
	set_valid_until(r, &v->parties);
	settle_recovered_forks(v);
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
	free(rd.sound);
	free(rd.rests);
	return 0;
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
			}
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
		add_finding(r, ACCORD_AUDIT_UNKNOWN_REF, keyid, NULL, name,
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
		add_finding(r, ACCORD_AUDIT_ENTRY_MISSING, keyid, NULL, name,
			    "ref %s points to %s, which is not in the repository", name, hex);
		return 1;
	}
	git_odb_free(odb);
	if (type != GIT_OBJECT_COMMIT) {
		add_finding(r, ACCORD_AUDIT_BAD_COMMIT, keyid, NULL, name,
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
			abort();
	}
	ev = &r->ev[r->nev++];
	memset(ev, 0, sizeof(*ev));
	ev->evidence = 1;
	snprintf(ev->keyid, sizeof(ev->keyid), "%.32s", keyid);
	ev->ref = xstrdup(ref);
	ev->head = *head;
}

/* The repository's evidence refs (and any given), as chains to read. */
static int gather_evidence(struct run *r, const accord_verify_options *opts)
{
	git_strarray refs = { NULL, 0 };
	size_t i, cap = 0;
	int error;

	for (i = 0; i < opts->evidence_count; i++) {
		char name[160];

		snprintf(name, sizeof(name), "%s%s/(pushed)", ACCORD_EVIDENCE_PREFIX,
			 opts->evidence[i].keyid);
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

/* Both entry points: `heads` (n) are the feeds; `refs` names their refs, or NULL. */
static int run_engine(accord_verification **out, accord_store *store, const accord_head *heads,
		      size_t n, char **refs, accord_verification *v,
		      const accord_verify_options *opts)
{
	accord_verify_options defaults = ACCORD_VERIFY_OPTIONS_INIT;
	accord_schema_registry *reg = NULL;
	struct pool pool;
	struct run r;
	size_t i;
	int error;

	if (!opts)
		opts = &defaults;
	memset(&r, 0, sizeof(r));
	r.v = v;
	r.store = store;
	r.threads = opts->threads;
	r.lean = opts->lean;
	r.sigcache = opts->no_signature_cache ? NULL : accord_store_sigcache(store);
	accord_sigcache_load(r.sigcache); /* before any worker thread looks in it */
	if ((r.memo = r.sigcache != NULL))
		memo_domain(r.domain);
	if (r.threads <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		r.threads = cpus > 0 ? (int)(cpus < 8 ? cpus : 8) : 1;
	}
	pool_init(&pool, r.threads, r.lean, r.sigcache, r.memo ? r.domain : NULL);
	r.pool = &pool;
	/* The schema cache is built once, before any worker thread uses it. */
	if ((error = accord_schema_builtin(&reg)) < 0)
		goto done;
	if (!(r.feeds = calloc(n + 1, sizeof(*r.feeds))) ||
	    !(v->feeds = calloc(n + 1, sizeof(*v->feeds))))
		abort();
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
		o->ref = f->ref ? xstrdup(f->ref) : NULL;
		if (git_oid_is_zero(&f->head))
			continue; /* the ref named no commit: a finding already */
		if ((error = read_feed(&r, f, o)) < 0)
			goto done;
	}
	pick_ledger(&r);
	if ((error = gather_evidence(&r, opts)) < 0 || (error = read_evidence(&r)) < 0)
		goto done;
	replay(&r);
	finish(&r);
	/* a memo: failing to write it costs time next run, never a verdict */
	if (r.sigcache && accord_sigcache_save(r.sigcache) < 0)
		accord_error_clear();
	*out = v;
	v = NULL;
	error = 0;
done:
	pool_dispose(&pool);
	for (i = 0; i < r.nfeeds; i++)
		free_feed(&r.feeds[i]);
	free(r.feeds);
	for (i = 0; i < r.nev; i++)
		free_feed(&r.ev[i]);
	free(r.ev);
	accord_idmap_dispose(&r.byid);
	free(r.forks);
	free(r.invites);
	free(r.involves);
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
		abort();
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
				names[n++] = xstrdup(name);
				continue;
			}
		} else if (!strncmp(name, ACCORD_EVIDENCE_PREFIX, strlen(ACCORD_EVIDENCE_PREFIX))) {
			rest = name + strlen(ACCORD_EVIDENCE_PREFIX);
			if (evidence_name_ok(rest)) {
				git_oid named, at;

				if (git_oid_fromstr(&named, rest + ACCORD_KEYID_HEXLEN + 1) == 0 &&
				    accord_store_ref_get(&at, store, name) == 0 &&
				    !git_oid_equal(&named, &at))
					add_finding(
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
		add_finding(
			&r, ACCORD_AUDIT_UNKNOWN_REF, NULL, NULL, name,
			"ref %s (-> %s) lies outside the layout (%s<key id>, %s<key id>/<name>)",
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
	accord_verification v;
	accord_verified_item pub;
	struct feed f;
	struct item it;
	struct run r;
	int error = 0;

	memset(&v, 0, sizeof(v));
	memset(&pub, 0, sizeof(pub));
	memset(&f, 0, sizeof(f));
	memset(&it, 0, sizeof(it));
	memset(&r, 0, sizeof(r));
	r.v = &v;
	snprintf(f.keyid, sizeof(f.keyid), "%s", keyid ? keyid : "");
	it.oid = c->id;
	it.pub = &pub;
	git_oid_tostr(pub.commit, sizeof(pub.commit), &c->id);
	it.c = (accord_commit *)c;
	it.readable = 1;
	verify_item(&it, NULL, NULL);
	it.c = NULL;
	if (!keyid)
		snprintf(f.keyid, sizeof(f.keyid), "%s", it.author);
	item_findings(&r, &f, &it);
	if (it.sigfail)
		add_finding(&r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f.keyid, &it, NULL,
			    "the signature does not verify over this commit: %s",
			    it.sig_msg ? it.sig_msg : "bad signature");
	if (!v.finding_count && !it.authentic)
		add_finding(&r, ACCORD_AUDIT_MALFORMED_ENTRY, f.keyid, &it, NULL, "not an entry");
	if (!v.finding_count && expect_seq > 0) {
		if (it.seq != expect_seq)
			add_finding(
				&r, ACCORD_AUDIT_REORDERED, f.keyid, &it, NULL,
				"sequence number %lld where %lld was expected (entry removed, reordered or replayed)",
				(long long)it.seq, (long long)expect_seq);
		else if (prev && (c->parent_count != 1 || strcmp(it.prev, prev->id) != 0))
			add_finding(
				&r, ACCORD_AUDIT_CHAIN_BROKEN, f.keyid, &it, NULL,
				"hash chain broken: prev does not name the previous entry %.16s",
				prev->id);
		else if (prev && it.lamport <= prev->lamport)
			add_finding(&r, ACCORD_AUDIT_CHAIN_BROKEN, f.keyid, &it, NULL,
				    "Lamport clock does not increase");
		else if (prev && it.time < prev->time)
			add_finding(&r, ACCORD_AUDIT_TIME_BACKWARDS, f.keyid, &it, NULL,
				    "the entry's time is before the previous entry's");
		else if (!prev && (c->parent_count != 0 || it.prev[0]))
			add_finding(&r, ACCORD_AUDIT_CHAIN_BROKEN, f.keyid, &it, NULL,
				    "the first entry of a feed has a predecessor");
	}
	if (v.finding_count) {
		error = accord_error_set(ACCORD_EBADSIG, "entry %s (feed %s, seq %lld): %s",
					 pub.commit, f.keyid, (long long)v.findings[0].seq,
					 v.findings[0].explanation);
		if (finding) {
			*finding = v.findings[0];
			v.findings[0].ref = v.findings[0].explanation = NULL;
		}
	} else {
		*out = it.e;
		it.e = NULL;
	}
	for (size_t i = 0; i < v.finding_count; i++)
		accord_finding_dispose(&v.findings[i]);
	free(v.findings);
	accord_entry_free(it.e);
	free(it.sig_msg);
	free(it.parse_msg);
	free(it.form_msg);
	free(it.modified_by);
	return error;
}
