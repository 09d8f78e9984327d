/*
 * Pass 1 of the verification engine (verify_impl.h): each commit checked
 * on its own (signature, form, encoding, strict JSON, schema) on every
 * core, the memo of commits that passed, reading a chain of commits.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "chain.h"
#include "encode.h"
#include "accord/error.h"
#include "json.h"
#include "schema.h"
#include "sigcache.h"
#include "sshsig.h"
#include "accord/timefmt.h"
#include "verify_impl.h"

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
 * accord_verify_item checks something else) and the entry checks of this build
 * (accord_entry_checks_fingerprint), so a memo written by another build
 * is not used.
 */
#define PASS1_CHECKS "accord pass 1, version 2" /* 2: sha512 only, nothing reserved */

static size_t pass1_count, threads_started;

size_t accord_verify_pass1_count(void)
{
	return __atomic_load_n(&pass1_count, __ATOMIC_RELAXED);
}

size_t accord_verify_thread_count(void)
{
	return __atomic_load_n(&threads_started, __ATOMIC_RELAXED);
}

static unsigned char memo_domain[32];
static pthread_once_t memo_domain_once = PTHREAD_ONCE_INIT;

/* Hashing every schema compiled in: once a process, not once a commit read through the memo. */
static void make_memo_domain(void)
{
	unsigned char fp[32];
	crypto_hash_sha256_state st;

	accord_entry_checks_fingerprint(fp);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)PASS1_CHECKS, sizeof(PASS1_CHECKS));
	crypto_hash_sha256_update(&st, fp, sizeof(fp));
	crypto_hash_sha256_final(&st, memo_domain);
}

void accord_verify_memo_domain(unsigned char *out)
{
	pthread_once(&memo_domain_once, make_memo_domain);
	memcpy(out, memo_domain, sizeof(memo_domain));
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
 * The author field holds the Ed25519 key only; the key that signed says
 * which SSH key type it is, and the rules hold it against the type the
 * member was admitted with (accord_parties_apply).
 */
static void take_signer_type(accord_entry *e, const accord_pubkey *signer)
{
	if (!sodium_memcmp(signer->pk, e->author.pk, sizeof(signer->pk))) {
		e->author.type = signer->type;
		memcpy(e->author.application, signer->application, sizeof(e->author.application));
	}
}

/*
 * A commit checked before (its memo record says who signed it): what
 * accord_verify_item would find, without checking it again. 0 if its entry does
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
	take_signer_type(it->e, signer);
	return 1;
}

/* The memo's digest of the commit's signature and of the bytes it signs. */
static void sig_digest(unsigned char *digest, const accord_commit *c)
{
	accord_sigcache_digest(digest, c->signature.ptr, c->signature.size, c->payload.ptr,
			       c->payload.size);
}

/*
 * The commit's signature over the signed commit, the memo of signatures
 * sparing the Ed25519 work for bytes checked before: `signer` is the key
 * that signed, if any. 1 if a good signature is new to the memo; `digest`
 * is then computed if *has_digest says so. An empty memo (a first index,
 * a clone) is not asked: its digest, a SHA-256 of the whole commit, would
 * cost a million of them for nothing.
 */
static int check_signature(struct item *it, const accord_commit *c, accord_sigcache *cache,
			   accord_pubkey *signer, unsigned char *digest, int *has_digest)
{
	int sig_new = 0;

	*has_digest = 0;
	memset(signer, 0, sizeof(*signer));
	if (!c->signature.size) {
		it->sig = SIG_NONE;
		return 0;
	}
	/*
	 * Checked before over these exact bytes (signature and signed
	 * commit): the same result again, only the Ed25519 work skipped.
	 */
	if (cache && !accord_sigcache_empty(cache)) {
		sig_digest(digest, c);
		*has_digest = 1;
	}
	if (*has_digest && accord_sigcache_get(signer, cache, digest)) {
		it->sig = SIG_OK;
	} else {
		it->sig = accord_sshsig_verify(signer, c->signature.ptr, c->signature.size, "git",
					       c->payload.ptr, c->payload.size);
		sig_new = cache && it->sig == SIG_OK;
	}
	it->has_signer = !sodium_is_zero(signer->pk, sizeof(signer->pk));
	if (it->has_signer) {
		accord_pubkey_set_id(signer);
		memcpy(it->signer, signer->id, sizeof(it->signer));
	}
	if (it->sig < 0)
		it->sig_msg = accord_xstrdup(accord_error_last());
	return sig_new;
}

/* The id of bytes that are no entry, for naming them in findings. */
static void id_of_bytes(struct item *it, const accord_commit *c)
{
	unsigned char hash[32];

	accord_sha256(hash, c->message, c->message_len);
	accord_hex_encode(it->id, hash, sizeof(hash));
}

/* The entry's bytes: parsed and schema-valid (it->e), else the kind of failure and its envelope. */
static void parse_entry(struct item *it, const accord_commit *c)
{
	it->parse_kind = -1;
	if (c->message_len > ACCORD_ENTRY_MAX) {
		id_of_bytes(it, c);
		it->parse_kind = ACCORD_AUDIT_MALFORMED_ENTRY;
		it->parse_msg = xprintf("the entry is %zu bytes, larger than the %d-byte limit",
					c->message_len, ACCORD_ENTRY_MAX);
	} else if (accord_entry_parse(&it->e, c->message, c->message_len) == 0) {
		memcpy(it->id, it->e->id, sizeof(it->id)); /* hashed once, by the parse */
		envelope_from_json(it, it->e->json);
		git_oid_tostr(it->e->commit, sizeof(it->e->commit), &it->oid);
	} else {
		char *msg = accord_xstrdup(accord_error_last());
		int kind = accord_schema_last_failure() == ACCORD_SCHEMA_UNKNOWN_FIELD;
		cJSON *j = NULL;

		id_of_bytes(it, c);

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
}

/* The commit's form: what accord writes and nothing else (it->form_msg lists the rest). */
static void check_form(struct item *it, const accord_commit *c)
{
	git_oid empty_tree;
	accord_buf form = ACCORD_BUF_INIT;

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
		it->form_msg = accord_xstrdup(form.ptr + 2);
	accord_buf_dispose(&form);
}

void accord_verify_item(struct item *it, accord_sigcache *cache, const unsigned char *domain)
{
	const accord_commit *c = it->c;
	unsigned char memo[ACCORD_SIGCACHE_DIGEST_LEN];
	unsigned char digest[ACCORD_SIGCACHE_DIGEST_LEN];
	int sig_new, has_digest;
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

	sig_new = check_signature(it, c, cache, &signer, digest, &has_digest);
	parse_entry(it, c);

	if (it->e && it->sig == SIG_OK && it->has_signer)
		take_signer_type(it->e, &signer);

	check_form(it, c);
	/* remembered: the whole of pass 1 on its own when it all passed, else the signature */
	if (cache && domain && it->sig == SIG_OK && it->has_signer && it->e && it->parse_kind < 0 &&
	    !it->form_msg)
		accord_sigcache_put(cache, memo, &signer);
	else if (sig_new) {
		if (!has_digest)
			sig_digest(digest, c);
		accord_sigcache_put(cache, digest, &signer);
	}
}

/*
 * Items a thread takes at a time: small, so that the last chunk of a
 * chain, and the wait before the items move, cost little.
 */
#define POOL_CHUNK 16
/*
 * Items read and not yet taken, at most, before the main thread checks a
 * chunk itself rather than read on: the raw commits in memory stay
 * bounded, and reading never gets far ahead of checking.
 */
#define POOL_AHEAD 256
/* A chain shorter than this is checked on the main thread: no thread is started for it. */
#define POOL_START 128

static void check_chunk(const struct pool *p, struct item *items, size_t i, size_t end)
{
	for (; i < end; i++) {
		accord_verify_item(&items[i], p->cache, p->domain);
		if (p->lean == ACCORD_VERIFY_LEAN_BYTES && items[i].e)
			accord_entry_drop_bytes(items[i].e);
		else if (p->lean && items[i].e)
			accord_entry_drop_text(items[i].e);
		accord_commit_free(items[i].c);
		items[i].c = NULL;
	}
}

/* Whether a chunk waits to be taken (the lock held). */
static int chunk_ready(const struct pool *p)
{
	return !p->held && p->next < p->n && (p->closed || p->n - p->next >= POOL_CHUNK);
}

/* Take and check one chunk (the lock held on entry and exit, and a chunk ready). */
static void take_chunk(struct pool *p)
{
	size_t i = p->next, end = p->n - i > POOL_CHUNK ? i + POOL_CHUNK : p->n;
	struct item *items = p->items; /* stays while busy: pool_hold waits */

	p->next = end;
	p->busy++;
	pthread_mutex_unlock(&p->lock);
	check_chunk(p, items, i, end);
	pthread_mutex_lock(&p->lock);
	if (--p->busy == 0)
		pthread_cond_broadcast(&p->idle);
}

static void *worker(void *arg)
{
	struct pool *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && !chunk_ready(p))
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stop)
			break;
		take_chunk(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void accord_verify_pool_init(struct pool *p, int threads, int lean, accord_sigcache *cache,
			     const unsigned char *domain)
{
	memset(p, 0, sizeof(*p));
	p->want = threads > 8 ? 8 : threads;
	p->start = POOL_START;
	p->lean = lean;
	p->cache = cache;
	p->domain = domain;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->idle, NULL);
}

/*
 * The first `n` items of `items` (the chain read so far) may be checked:
 * the workers take them by chunks, and the calling (main) thread checks
 * one itself when too many wait. The items must not move but by pool_hold.
 */
static void pool_append(struct pool *p, struct item *items, size_t n)
{
	if (n - p->n < POOL_CHUNK && p->n) /* p->n changes only here and on this thread */
		return;
	while (n >= p->start && p->started < p->want - 1 &&
	       pthread_create(&p->tids[p->started], NULL, worker, p) == 0) {
		p->started++;
		__atomic_add_fetch(&threads_started, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_lock(&p->lock);
	p->items = items;
	p->n = n;
	if (p->started)
		pthread_cond_broadcast(&p->work);
	while (p->n - p->next > POOL_AHEAD && chunk_ready(p))
		take_chunk(p);
	pthread_mutex_unlock(&p->lock);
}

/* The items are about to move (realloc): wait until no thread checks any. */
static void pool_hold(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->held = 1;
	while (p->busy)
		pthread_cond_wait(&p->idle, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

/* They moved to `items`: take them again. */
static void pool_release(struct pool *p, struct item *items)
{
	pthread_mutex_lock(&p->lock);
	if (p->n)
		p->items = items;
	p->held = 0;
	if (p->started && chunk_ready(p))
		pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
}

/*
 * The chain is all read, its first `n` items: check what is left, the
 * calling thread helping, and wait until every item is checked.
 */
static void pool_finish(struct pool *p, struct item *items, size_t n)
{
	pthread_mutex_lock(&p->lock);
	p->items = items;
	p->n = n;
	p->closed = 1;
	if (p->started)
		pthread_cond_broadcast(&p->work);
	while (chunk_ready(p))
		take_chunk(p);
	while (p->busy)
		pthread_cond_wait(&p->idle, &p->lock);
	p->items = NULL;
	p->n = p->next = 0;
	p->closed = 0;
	pthread_mutex_unlock(&p->lock);
}

void accord_verify_pool_dispose(struct pool *p)
{
	int i;

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

void accord_verify_check_items(struct item *items, size_t n, int threads, accord_sigcache *cache,
			       const unsigned char *domain)
{
	struct pool p;

	accord_verify_pool_init(&p, threads, 0, cache, domain);
	p.start = 2 * POOL_CHUNK; /* all read already: a thread pays from two chunks on */
	pool_append(&p, items, n);
	pool_finish(&p, items, n);
	accord_verify_pool_dispose(&p);
}

/* ---- reading a chain of commits ---- */

/* A new item at the end of the feed's chain; the items may move (the pool holds them). */
static struct item *push_item(struct pool *p, struct feed *f, size_t *cap, const git_oid *oid)
{
	struct item *it;

	if (f->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		pool_hold(p);
		if (!(f->items = realloc(f->items, *cap * sizeof(*f->items))))
			accord_oom();
		pool_release(p, f->items);
	}
	it = &f->items[f->n++];
	memset(it, 0, sizeof(*it));
	it->oid = *oid;
	return it;
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
	char *why = accord_xstrdup(accord_error_last());
	git_oid parent;
	int error = accord_chain_parent(&parent, r->store, at);

	if (error < 0)
		accord_error_set(ACCORD_EBADSIG, "%s", why);
	else
		accord_verify_finding(r, ACCORD_AUDIT_BAD_COMMIT, f->keyid, it, f->ref, "%s", why);
	free(why);
	if (error < 0)
		return -1;
	if (git_oid_is_zero(&parent))
		return 0;
	*at = parent;
	return 1;
}

/*
 * Walk from `head` along first parents to the root (or to a commit for
 * which `stop` says so), verifying each commit on its own (accord_verify_item)
 * on the pool as it goes, then put the commits root first. The pool frees
 * each commit's bytes once checked, so a feed's raw commits are never all
 * in memory at once.
 */
int accord_verify_read_chain(struct run *r, struct feed *f, const git_oid *head,
			     int (*stop)(void *, const git_oid *), void *stop_arg)
{
	size_t cap = 0, i;
	git_oid at = *head;

	for (;;) {
		accord_commit *c = NULL;
		struct item *it;
		int error, over, root;

		if (stop && stop(stop_arg, &at))
			break;
		/* the items before it may be checked on other threads meanwhile */
		it = push_item(r->pool, f, &cap, &at);
		error = accord_commit_read(&c, r->store, &at);
		if (error == ACCORD_EBADSIG && (over = step_over(r, f, it, &at)) >= 0) {
			if (over == 0)
				break;
			continue;
		}
		if (error == ACCORD_ENOTFOUND || error == ACCORD_EBADSIG) {
			accord_verify_finding(r,
					      error == ACCORD_ENOTFOUND ? ACCORD_AUDIT_ENTRY_MISSING
									: ACCORD_AUDIT_BAD_COMMIT,
					      f->keyid, it, f->ref,
					      "%s; the feed before it cannot be read",
					      accord_error_last());
			break;
		}
		if (error < 0) {
			pool_finish(r->pool, f->items, f->n);
			return error;
		}
		it->c = c;
		it->readable = 1;
		root = c->parent_count == 0;
		at = c->parent;
		pool_append(r->pool, f->items, f->n);
		if (root)
			break;
	}
	pool_finish(r->pool, f->items, f->n);
	/* no slack: a feed's items stay for the whole verification */
	if (f->n && f->n < cap && !(f->items = realloc(f->items, f->n * sizeof(*f->items))))
		accord_oom();
	/* root first */
	for (i = 0; i < f->n / 2; i++) {
		struct item t = f->items[i];

		f->items[i] = f->items[f->n - 1 - i];
		f->items[f->n - 1 - i] = t;
	}
	return 0;
}

/* ---- checks on one commit (main thread) ---- */

void accord_verify_item_findings(struct run *r, struct feed *f, struct item *it)
{
	const char *ref = f->evidence ? f->ref : NULL;

	if (!it->readable)
		return;
	if (it->form_msg)
		accord_verify_finding(r, ACCORD_AUDIT_BAD_COMMIT, f->keyid, it, ref, "%s",
				      it->form_msg);
	if (it->sig == SIG_NONE) {
		accord_verify_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it, ref,
				      "the commit is not signed");
	} else if (it->sig == ACCORD_EINVALID) {
		accord_verify_finding(r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it, ref,
				      "the commit's signature is malformed: %s", it->sig_msg);
	} else if (it->sig < 0) {
		it->sigfail = 1; /* modified or mismatched: decided once all evidence is in */
		it->flagged = 1;
	} else if (it->author[0] && it->has_signer && strcmp(it->signer, it->author) != 0) {
		accord_verify_finding(
			r, ACCORD_AUDIT_WRONG_SIGNER, f->keyid, it, ref,
			"the signature is valid but made by key %s, not by the entry's author %s",
			it->signer, it->author);
	}
	if (it->parse_kind >= 0)
		accord_verify_finding(r, (accord_audit_kind)it->parse_kind, f->keyid, it, ref, "%s",
				      it->parse_msg);
	if (it->author[0] && strcmp(it->author, f->keyid) != 0)
		accord_verify_finding(r, ACCORD_AUDIT_WRONG_FEED, f->keyid, it, ref,
				      "an entry by key %s stored in the feed of key %s", it->author,
				      f->keyid);
	if (it->env && it->lamport > ACCORD_LAMPORT_MAX)
		accord_verify_finding(
			r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, ref,
			"Lamport clock %lld is beyond %lld: no ledger gets there one entry at a time, and it would leave no clock for anyone's next entry",
			(long long)it->lamport, (long long)ACCORD_LAMPORT_MAX);
	it->authentic = it->sig == SIG_OK && it->e && it->has_signer &&
			!strcmp(it->signer, it->author) && !strcmp(it->author, f->keyid);
}
