/*
 * The ledger: opening it (through the index, or by a full verification),
 * reading what counts, the causal past of its entries, finding incidents,
 * and what was left out. Writing to it is ledger_append.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "causal.h"
#include "chain.h"
#include "encode.h"
#include "accord/error.h"
#include "file.h"
#include "accord/incident.h"
#include "json.h"
#include "schema.h"
#include "sshsig.h"
#include "accord/timefmt.h"

#include "array.h"
#include "index.h"
#include "ledger_impl.h"
#include "alloc.h"

struct causal_window;
static void window_free(struct causal_window *w);
static void taken_dispose(accord_ledger *l);

void accord_ledger_push_entry(accord_entry ***arr, size_t *count, size_t *alloc, accord_entry *e)
{
	if (*count == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		*arr = realloc(*arr, *alloc * sizeof(**arr));
		if (!*arr)
			accord_oom();
	}
	(*arr)[(*count)++] = e;
}

int accord_ledger_verify_commit(accord_entry **out, const accord_commit *c, const char *feed,
				const accord_entry *prev, int64_t expect_seq)
{
	return accord_verify_commit(out, NULL, c, feed, prev, expect_seq);
}

/* Ledger order on the fields that decide it: clock, author, seq, entry id. */
static int order_cmp(int64_t lx, const char *ax, int64_t sx, const char *ix, int64_t ly,
		     const char *ay, int64_t sy, const char *iy)
{
	int c;

	if (lx != ly)
		return lx < ly ? -1 : 1;
	if ((c = strcmp(ax, ay)) != 0)
		return c;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return strcmp(ix, iy);
}

int accord_ledger_order_cmp(const void *a, const void *b)
{
	const accord_entry *x = *(accord_entry *const *)a, *y = *(accord_entry *const *)b;

	return order_cmp(x->lamport, x->author.id, x->seq, x->id, y->lamport, y->author.id, y->seq,
			 y->id);
}

int accord_ledger_local_heads(accord_head **out, size_t *count, accord_store *store)
{
	git_strarray refs = { NULL, 0 };
	git_oid *ids = NULL;
	accord_head *heads;
	size_t i, n = 0;
	int error;

	if ((error = accord_store_ref_heads(&refs, &ids, store, ACCORD_FEED_PREFIX)) < 0)
		return error;
	heads = accord_xcalloc(refs.count + 1, sizeof(*heads));
	for (i = 0; i < refs.count; i++) {
		const char *keyid = refs.strings[i] + strlen(ACCORD_FEED_PREFIX);

		/* not a feed: the audit reports it (unknown-ref); it holds nothing that counts */
		if (!accord_is_lower_hex(keyid, ACCORD_KEYID_HEXLEN))
			continue;
		memcpy(heads[n].keyid, keyid, sizeof(heads[n].keyid));
		git_oid_cpy(&heads[n].head, &ids[i]);
		n++;
	}
	git_strarray_dispose(&refs);
	free(ids);
	*out = heads;
	*count = n;
	return 0;
}

/*
 * How far the entries of `b`'s key past what counts are in the causal past
 * of entries that count: the highest such seq, over the last entry that
 * counts of every feed (a feed's entries see what its earlier ones saw).
 */
static void beyond_seen(accord_beyond *b, const accord_ledger *l, const accord_verified_feed *vf)
{
	const accord_feed *mine = accord_ledger_feed(l, b->keyid);
	int64_t top = 0, s;
	size_t k;

	for (k = 0; l->causal && k < l->feed_count; k++)
		if (l->feeds[k].last &&
		    (s = accord_causal_seen(l->causal, l->feeds[k].last->id, b->keyid)) > top)
			top = s;
	b->seen_top = 0;
	if (!vf || top <= (mine ? mine->seq : 0))
		return;
	for (k = 0; k < vf->count; k++)
		if (vf->items[k].seq == top &&
		    git_oid_fromstr(&b->seen_at, vf->items[k].commit) == 0) {
			b->seen_top = top;
			return;
		}
}

/*
 * The ledger the engine's verdicts leave: the entries that count, their
 * feeds (each up to its last entry that counts), membership, and the
 * findings about what was left out.
 */
int accord_ledger_from_verification(accord_ledger **out, accord_store *store,
				    accord_verification *v)
{
	accord_ledger *l = accord_xcalloc(1, sizeof(*l));
	char *configured = NULL;
	size_t i;

	l->store = store;
	accord_parties_init(&l->parties);
	if (!v->genesis) {
		int code;

		/* A copy created or cloned for one ledger never silently becomes another. */
		if (accord_store_config_get(&configured, store, "accord.ledger") == 0 &&
		    v->ledger[0])
			code = accord_error_set(
				ACCORD_EBADSIG,
				"the genesis %.16s of this ledger (git config accord.ledger) does not verify%s%s",
				v->ledger, v->finding_count ? ": " : "",
				v->finding_count ? v->findings[0].explanation : "");
		else
			code = accord_error_set(ACCORD_EBADSIG,
						"the ledger has no genesis entry that verifies%s%s",
						v->finding_count ? ": " : "",
						v->finding_count ? v->findings[0].explanation : "");
		free(configured);
		free(l);
		return code;
	}
	memcpy(l->id, v->ledger, sizeof(l->id));
	l->genesis = v->genesis;
	l->entries = v->entries;
	l->count = v->count;
	l->max_lamport = v->max_lamport;
	l->parties = v->parties;
	l->causal = v->causal;
	v->causal = NULL;
	v->entries = NULL;
	v->count = 0;
	accord_parties_init(&v->parties);
	/* entries that do not count, which the parties may name: freed with the ledger */
	l->orphans = v->held;
	l->orphan_count = v->held_count;
	v->held = NULL;
	v->held_count = 0;
	if (!(l->feeds = calloc(v->feed_count + 1, sizeof(*l->feeds))))
		accord_oom();
	if (!(l->beyond = calloc(v->feed_count + 1, sizeof(*l->beyond))))
		accord_oom();
	for (i = 0; i < v->feed_count; i++) {
		const accord_verified_feed *vf = &v->feeds[i];
		accord_feed *f;

		if ((size_t)vf->valid != vf->count || git_oid_is_zero(&vf->head)) {
			accord_beyond *b = &l->beyond[l->beyond_count++];

			memcpy(b->keyid, vf->keyid, sizeof(b->keyid));
			b->head = vf->head;
			if ((size_t)vf->valid < vf->count) {
				size_t j;

				git_oid_fromstr(&b->first_out, vf->items[vf->valid].commit);
				b->first_seq = vf->items[vf->valid].seq;
				for (j = (size_t)vf->valid, b->holes = 1; j < vf->count; j++)
					b->holes &= vf->items[j].hole;
			}
		}
		if (vf->valid == 0)
			continue; /* nothing of it counts: as if it had written nothing */
		f = &l->feeds[l->feed_count++];
		memcpy(f->keyid, vf->keyid, sizeof(f->keyid));
		f->head = vf->valid_head;
		f->seq = vf->valid;
		f->last = vf->last;
	}
	for (i = 0; i < l->beyond_count; i++)
		beyond_seen(&l->beyond[i], l, accord_verification_feed(v, l->beyond[i].keyid));
	l->findings = v->findings;
	l->finding_count = v->finding_count;
	l->left_out = v->left_out;
	v->findings = NULL;
	v->finding_count = 0;
	*out = l;
	return 0;
}

static int load_heads(accord_ledger **out, accord_store *store, const accord_head *heads,
		      size_t count, const accord_verify_options *opts)
{
	accord_verification *v = NULL;
	int error;

	if (count == 0)
		return accord_error_set(ACCORD_ENOTFOUND,
					"%s holds no ledger (create one with accord init)",
					accord_store_gitdir(store));
	if ((error = accord_verify_heads(&v, store, heads, count, opts)) < 0)
		return error;
	error = accord_ledger_from_verification(out, store, v);
	accord_verification_free(v);
	return error;
}

int accord_ledger_load_heads(accord_ledger **out, accord_store *store, const accord_head *heads,
			     size_t count)
{
	return load_heads(out, store, heads, count, NULL);
}

static int load(accord_ledger **out, accord_store *store, const accord_verify_options *opts)
{
	accord_head *heads = NULL;
	size_t count = 0;
	int error;

	char ev[ACCORD_ID_HEXLEN + 1];

	/* taken before the verification: evidence that arrives meanwhile does not match it */
	accord_ledger_evidence_digest(ev, store);
	if ((error = accord_ledger_local_heads(&heads, &count, store)) < 0)
		return error;
	error = load_heads(out, store, heads, count, opts);
	free(heads);
	if (error == 0)
		memcpy((*out)->evidence, ev, sizeof(ev));
	return error;
}

int accord_ledger_load(accord_ledger **out, accord_store *store)
{
	return load(out, store, NULL);
}

int accord_ledger_load_lean(accord_ledger **out, accord_store *store)
{
	accord_verify_options opts = ACCORD_VERIFY_OPTIONS_INIT;

	opts.lean = 1;
	return load(out, store, &opts);
}

void accord_ledger_evidence_digest(char *out, accord_store *store)
{
	accord_index_evidence_digest(out, store);
}

int accord_ledger_open(accord_ledger **out, accord_store *store, const accord_ledger_options *opts)
{
	accord_ledger_options none = ACCORD_LEDGER_OPTIONS_INIT;

	if (!opts)
		opts = &none;
	if (opts->version != ACCORD_LEDGER_OPTIONS_VERSION)
		return accord_error_set(ACCORD_EINVALID,
					"accord_ledger_options version %u (want %u)", opts->version,
					ACCORD_LEDGER_OPTIONS_VERSION);
	if (opts->heads)
		return accord_ledger_load_heads(out, store, opts->heads, opts->head_count);
	/* The cache holds incidents, not every entry: those who need them all verify them all. */
	if (opts->cache_key && !(opts->flags & ACCORD_LEDGER_OPEN_ENTRIES))
		return accord_index_open(out, store, opts->cache_key);
	if (opts->flags & ACCORD_LEDGER_OPEN_NO_BYTES) {
		accord_verify_options vo = ACCORD_VERIFY_OPTIONS_INIT;

		vo.lean = ACCORD_VERIFY_LEAN_BYTES;
		return load(out, store, &vo);
	}
	return accord_ledger_load(out, store);
}

int accord_ledger_cache_key(unsigned char *out, const char *path)
{
	unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN];
	char hex[2 * ACCORD_LEDGER_CACHE_KEY_LEN + 2];
	accord_buf data = ACCORD_BUF_INIT;
	int error;

	if ((error = accord_buf_read_file(&data, path, sizeof(hex) + 1)) == ACCORD_ENOTFOUND) {
		/* first use: a new random key, never replacing one that appeared meanwhile */
		randombytes_buf(key, sizeof(key));
		accord_hex_encode(hex, key, sizeof(key));
		hex[2 * sizeof(key)] = '\n';
		if (accord_file_create_atomic(path, hex, sizeof(hex) - 1, 0600) == 0) {
			memcpy(out, key, sizeof(key));
			sodium_memzero(key, sizeof(key));
			sodium_memzero(hex, sizeof(hex));
			return 0;
		}
		error = accord_error_set(ACCORD_ERROR, "can't write the cache key %s: %s", path,
					 strerror(errno));
		sodium_memzero(key, sizeof(key));
		return error;
	}
	if (error < 0)
		return error;
	if (data.size != sizeof(hex) - 1 || data.ptr[data.size - 1] != '\n') {
		error = accord_error_set(
			ACCORD_EINVALID,
			"the cache key %s is damaged (remove it: a new one is made)", path);
	} else {
		data.ptr[data.size - 1] = '\0';
		if (accord_hex_decode(out, ACCORD_LEDGER_CACHE_KEY_LEN, data.ptr) < 0)
			error = accord_error_set(
				ACCORD_EINVALID,
				"the cache key %s is damaged (remove it: a new one is made)", path);
	}
	sodium_memzero(data.ptr, data.size);
	accord_buf_dispose(&data);
	return error;
}

const char *accord_ledger_id(const accord_ledger *ledger)
{
	return ledger->id;
}

const char *accord_ledger_title(const accord_ledger *ledger)
{
	const char *t = ledger->genesis ? accord_entry_str(ledger->genesis, "title") : NULL;

	return t ? t : "";
}

const accord_parties *accord_ledger_parties(const accord_ledger *ledger)
{
	return &ledger->parties;
}

size_t accord_ledger_entry_count(const accord_ledger *ledger)
{
	return ledger->count;
}

const accord_entry *accord_ledger_entry_at(const accord_ledger *ledger, size_t i)
{
	return i < ledger->count ? ledger->entries[i] : NULL;
}

const accord_finding *accord_ledger_findings(const accord_ledger *ledger, size_t *count)
{
	*count = ledger->finding_count;
	return ledger->findings;
}

size_t accord_ledger_left_out(const accord_ledger *ledger)
{
	return ledger->left_out;
}

const accord_beyond *accord_ledger_beyonds(const accord_ledger *ledger, size_t *count)
{
	*count = ledger->beyond_count;
	return ledger->beyond;
}

static void lookups_dispose(accord_ledger *l)
{
	size_t i;

	for (i = 0; i < l->lookup_list_count; i++)
		free(l->lookup_lists[i].entries);
	free(l->lookup_lists);
	l->lookup_lists = NULL;
	l->lookup_list_count = 0;
	accord_idmap_dispose(&l->lookup_ids);
	accord_idmap_dispose(&l->lookup_incidents);
}

/*
 * The ledger's lookups by id and by incident, extended by the entries it
 * holds since they were last built: entries are only ever added at the
 * end (an append, an incident loaded through the index), so going on from
 * there gives what building them again would. Building them again for
 * each incident loaded made `list --json` quadratic in the incidents.
 * A cache, so a const ledger may fill it.
 */
static accord_ledger *ledger_lookups(const accord_ledger *ledger)
{
	accord_ledger *l = (accord_ledger *)ledger;
	size_t i, k;

	if (l->lookup_count == l->count)
		return l;
	if (l->lookup_count > l->count) { /* entries are not taken away; if they were, start over */
		lookups_dispose(l);
		l->lookup_count = 0;
	}
	for (i = l->lookup_count; i < l->count; i++) {
		const accord_entry *e = l->entries[i];

		if (!accord_idmap_get(&l->lookup_ids, e->id))
			accord_idmap_put(&l->lookup_ids, e->id, (void *)e);
		if (!e->incident[0])
			continue;
		if (!(k = (size_t)(uintptr_t)accord_idmap_get(&l->lookup_incidents, e->incident))) {
			struct accord_entry_list fresh = { NULL, 0 };

			ACCORD_PUSH(l->lookup_lists, l->lookup_list_count, fresh);
			k = l->lookup_list_count; /* index + 1: never NULL */
			accord_idmap_put(&l->lookup_incidents, e->incident, (void *)(uintptr_t)k);
		}
		ACCORD_PUSH(l->lookup_lists[k - 1].entries, l->lookup_lists[k - 1].count, e);
	}
	l->lookup_count = l->count;
	return l;
}

void accord_ledger_free(accord_ledger *ledger)
{
	size_t i;

	if (!ledger)
		return;
	for (i = 0; i < ledger->count; i++)
		accord_entry_free(ledger->entries[i]);
	for (i = 0; i < ledger->finding_count; i++)
		accord_finding_dispose(&ledger->findings[i]);
	free(ledger->findings);
	free(ledger->beyond);
	for (i = 0; i < ledger->orphan_count; i++)
		accord_entry_free(ledger->orphans[i]);
	free(ledger->orphans);
	free(ledger->entries);
	free(ledger->feeds);
	accord_parties_dispose(&ledger->parties);
	accord_causal_free(ledger->causal);
	window_free(ledger->window);
	taken_dispose(ledger);
	accord_index_free(ledger->index);
	lookups_dispose(ledger);
	free(ledger);
}

const accord_beyond *accord_ledger_beyond(const accord_ledger *ledger, const char *keyid)
{
	size_t i;

	for (i = 0; i < ledger->beyond_count; i++)
		if (strcmp(ledger->beyond[i].keyid, keyid) == 0)
			return &ledger->beyond[i];
	return NULL;
}

int accord_ledger_save_index(const accord_ledger *ledger, const unsigned char *cache_key)
{
	return accord_index_adopt(ledger, cache_key);
}

int accord_ledger_offer(accord_ledger **out, int64_t *was, accord_store *store,
			const unsigned char *cache_key, const accord_head *heads, size_t n,
			int64_t not_after)
{
	*out = NULL;
	if (!cache_key)
		return ACCORD_INDEX_NEED_FULL;
	return accord_index_offer(out, was, store, cache_key, heads, n, not_after);
}

int accord_ledger_keep(accord_ledger *l)
{
	return l->index ? accord_index_keep(l) : 0;
}

static int has_ref(const accord_head *heads, size_t n, const char *keyid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(heads[i].keyid, keyid))
			return 1;
	return 0;
}

int accord_ledger_is_current(const accord_ledger *l)
{
	accord_head *heads = NULL;
	size_t n = 0, i;
	int same = 1;

	if (accord_ledger_local_heads(&heads, &n, l->store) < 0) {
		accord_error_clear();
		return 0;
	}
	for (i = 0; i < n && same; i++) {
		const accord_feed *f = accord_ledger_feed(l, heads[i].keyid);
		const accord_beyond *b = accord_ledger_beyond(l, heads[i].keyid);

		same = b ? git_oid_equal(&b->head, &heads[i].head)
			 : f && git_oid_equal(&f->head, &heads[i].head);
	}
	/* and no feed is gone */
	for (i = 0; i < l->feed_count && same; i++)
		same = has_ref(heads, n, l->feeds[i].keyid);
	for (i = 0; i < l->beyond_count && same; i++)
		same = has_ref(heads, n, l->beyond[i].keyid);
	free(heads);
	return same;
}

/*
 * The entry of commit `at`, parsed, no signature checked: for commits a
 * verification judged already. `parent` (may be NULL) gets its parent,
 * zero for a root.
 */
static int read_judged(accord_entry **out, git_oid *parent, const accord_ledger *l,
		       const git_oid *at, int validate)
{
	accord_commit *cm = NULL;
	int error;

	if ((error = accord_commit_read(&cm, l->store, at)) == 0 &&
	    (error = validate ? accord_entry_parse(out, cm->message, cm->message_len)
			      : accord_entry_parse_checked_before(out, cm->message,
								  cm->message_len)) == 0 &&
	    parent) {
		if (cm->parent_count)
			*parent = cm->parent;
		else
			memset(parent, 0, sizeof(*parent));
	}
	accord_commit_free(cm);
	return error;
}

int accord_ledger_read_verified(accord_entry **out, git_oid *parent, const accord_ledger *l,
				const git_oid *at)
{
	return read_judged(out, parent, l, at, 1);
}

/* Whether a finding names entry `seq` of feed `keyid`: within what counts, one set aside alone. */
static int named_by_finding(const accord_ledger *l, const char *keyid, int64_t seq)
{
	size_t i;

	for (i = 0; i < l->finding_count; i++)
		if (l->findings[i].seq == seq && !strcmp(l->findings[i].feed, keyid))
			return 1;
	return 0;
}

int accord_ledger_walk_feed(const accord_ledger *l, const char *keyid, int64_t down_to,
			    int (*fn)(const accord_entry *e, void *arg), void *arg)
{
	const accord_feed *f = accord_ledger_feed(l, keyid);
	git_oid at, parent;
	int64_t seq;
	int r = 0;

	if (!f)
		return 0;
	at = f->head;
	for (seq = f->seq; seq > down_to && r == 0 && !git_oid_is_zero(&at); seq--) {
		accord_entry *e = NULL;

		if ((r = accord_ledger_read_verified(&e, &parent, l, &at)) < 0)
			return r;
		if (!named_by_finding(l, keyid, e->seq))
			r = fn(e, arg);
		accord_entry_free(e);
		at = parent;
	}
	return r;
}

static size_t causal_reads, causal_adds;

size_t accord_ledger_causal_read_count(void)
{
	return __atomic_load_n(&causal_reads, __ATOMIC_RELAXED);
}

size_t accord_ledger_causal_graph_count(void)
{
	return __atomic_load_n(&causal_adds, __ATOMIC_RELAXED);
}

/* What the graph reads of an entry (accord_causal_add): a quarter of an accord_entry. */
struct window_entry {
	char id[ACCORD_ID_HEXLEN + 1];
	char author[ACCORD_KEYID_HEXLEN + 1];
	char prev[ACCORD_ID_HEXLEN + 1];
	int64_t seq, lamport;
	char (*deps)[ACCORD_ID_HEXLEN + 1];
	size_t dep_count;
};

/*
 * The entries a ledger opened through the index read for its frontiers,
 * kept so that a deeper question reads only what lies below: each feed's
 * walk resumes where it stopped.
 */
struct causal_window {
	struct window_entry **all;
	size_t n;
	accord_idmap added;
	int64_t ceiling; /* every entry with a clock up to this one is read; INT64_MAX: all */
	struct window_feed {
		char keyid[ACCORD_KEYID_HEXLEN + 1];
		git_oid head;	    /* the feed's head when the window began */
		int64_t head_seq;   /* and its seq */
		git_oid next;	    /* the next commit to read, zero at the root */
		int64_t left;	    /* entries of the feed that count, not read yet */
		int64_t anchor_seq; /* the walk began at this anchor: check it (0: none) */
		int64_t anchor_lamport;
		struct window_entry *below; /* read, under the floor: the next to add */
		git_oid below_parent;
		int unjudged; /* from the ref, past what counts: validated, and read as far as it reads */
	} * feeds;
	size_t nfeeds;
};

static void window_entry_free(struct window_entry *we)
{
	if (we)
		free(we->deps);
	free(we);
}

/* The fields the graph reads of `e` into `we`, but the deps. */
static void window_set(struct window_entry *we, const accord_entry *e)
{
	memcpy(we->id, e->id, sizeof(we->id));
	memcpy(we->author, e->author.id, sizeof(we->author));
	memcpy(we->prev, e->prev, sizeof(we->prev));
	we->seq = e->seq;
	we->lamport = e->lamport;
}

/* A copy of `n` deps into `we` (its own). */
static void window_set_deps(struct window_entry *we, const char (*deps)[ACCORD_ID_HEXLEN + 1],
			    size_t n)
{
	if ((we->dep_count = n)) {
		we->deps = accord_xcalloc(n, sizeof(*we->deps));
		memcpy(we->deps, deps, n * sizeof(*we->deps));
	}
}

/* A commit a catch-up took: its entry as the window reads it, and its parent. */
struct taken_entry {
	char commit[GIT_OID_HEXSZ + 1]; /* the key */
	git_oid parent;
	struct window_entry we;
};

void accord_ledger_keep_taken(accord_ledger *l, const accord_entry *e, const git_oid *parent)
{
	struct taken_entry *t = accord_xcalloc(1, sizeof(*t));

	memcpy(t->commit, e->commit, sizeof(t->commit));
	t->parent = *parent;
	window_set(&t->we, e);
	window_set_deps(&t->we, (const char(*)[ACCORD_ID_HEXLEN + 1]) e->deps, e->dep_count);
	if (accord_idmap_add(&l->taken, t->commit, t)) {
		free(t->we.deps);
		free(t);
	}
}

/* What a catch-up took of commit `at` here, or NULL. */
static const struct taken_entry *taken_get(const accord_ledger *l, const git_oid *at)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (!l->taken.count)
		return NULL;
	git_oid_tostr(hex, sizeof(hex), at);
	return accord_idmap_get(&l->taken, hex);
}

int accord_ledger_taken_at(const accord_ledger *l, const git_oid *at, int64_t *seq,
			   int64_t *lamport, git_oid *parent)
{
	const struct taken_entry *t = taken_get(l, at);

	if (!t)
		return 0;
	*seq = t->we.seq;
	*lamport = t->we.lamport;
	*parent = t->parent;
	return 1;
}

static void taken_dispose(accord_ledger *l)
{
	size_t i;

	for (i = 0; i < l->taken.size; i++)
		if (l->taken.slots[i].key) {
			struct taken_entry *t = l->taken.slots[i].value;

			free(t->we.deps);
			free(t);
		}
	accord_idmap_dispose(&l->taken);
}

static void window_free(struct causal_window *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++)
		window_entry_free(w->all[i]);
	for (i = 0; i < w->nfeeds; i++)
		window_entry_free(w->feeds[i].below);
	free(w->all);
	free(w->feeds);
	accord_idmap_dispose(&w->added);
	free(w);
}

/* The fields the graph reads, out of `e` (freed). */
static struct window_entry *window_entry_of(accord_entry *e)
{
	struct window_entry *we = accord_xcalloc(1, sizeof(*we));

	window_set(we, e);
	we->deps = e->deps;
	we->dep_count = e->dep_count;
	e->deps = NULL;
	e->dep_count = 0;
	accord_entry_free(e);
	return we;
}

static int window_order_cmp(const void *a, const void *b)
{
	const struct window_entry *x = *(struct window_entry *const *)a,
				  *y = *(struct window_entry *const *)b;

	return order_cmp(x->lamport, x->author, x->seq, x->id, y->lamport, y->author, y->seq,
			 y->id);
}

/*
 * What the window reads of the commit at `at`, and its parent: kept by a
 * catch-up that took it, else read from git (read_judged).
 */
static int walk_read(struct window_entry **out, git_oid *parent, const accord_ledger *l,
		     const git_oid *at, int validate)
{
	const struct taken_entry *t = taken_get(l, at);
	accord_entry *e = NULL;
	int error;

	if (t) {
		struct window_entry *we = accord_xcalloc(1, sizeof(*we));

		*we = t->we;
		window_set_deps(we, (const char(*)[ACCORD_ID_HEXLEN + 1]) t->we.deps,
				t->we.dep_count);
		*parent = t->parent;
		*out = we;
		return 0;
	}
	if ((error = read_judged(&e, parent, l, at, validate)) < 0)
		return error;
	__atomic_add_fetch(&causal_reads, 1, __ATOMIC_RELAXED);
	*out = window_entry_of(e);
	return 0;
}

/* 1 if `we` was added, 0 if it was there already (the rest of its chain is in). */
static int window_add(struct causal_window *w, struct window_entry *we)
{
	if (accord_idmap_get(&w->added, we->id)) {
		window_entry_free(we);
		return 0;
	}
	ACCORD_PUSH(w->all, w->n, we);
	accord_idmap_put(&w->added, we->id, we);
	return 1;
}

/* Walk feed `f` down to `floor`, from where it stopped. */
static int window_walk(struct causal_window *w, struct window_feed *f, const accord_ledger *l,
		       int64_t floor)
{
	int error = 0;

	if (f->below) {
		if (f->below->lamport < floor)
			return 0;
		if (!window_add(w, f->below))
			f->left = 0;
		f->below = NULL;
		f->next = f->below_parent;
	}
	while (f->left > 0 && !git_oid_is_zero(&f->next)) {
		struct window_entry *we = NULL;
		git_oid parent;

		/* the index verified these, schemas included: parse only (half the walk's time) */
		if ((error = walk_read(&we, &parent, l, &f->next, f->unjudged)) < 0) {
			if (!f->unjudged)
				break;
			/* what does not read is no one's past (the engine judged it): on to its parent */
			accord_error_clear();
			error = 0;
			if (accord_chain_parent(&parent, l->store, &f->next) < 0 ||
			    git_oid_is_zero(&parent)) {
				accord_error_clear();
				break;
			}
			f->next = parent;
			continue;
		}
		if (f->anchor_seq) {
			int holds = we->seq == f->anchor_seq && we->lamport == f->anchor_lamport &&
				    !strcmp(we->author, f->keyid);

			f->anchor_seq = 0;
			if (!holds) { /* an anchor that does not hold: walk from the head */
				window_entry_free(we);
				f->next = f->head;
				f->left = f->head_seq;
				continue;
			}
		}
		f->left--;
		if (we->lamport < floor) {
			f->below = we;
			f->below_parent = parent;
			break;
		}
		if (!window_add(w, we)) {
			f->left = 0;
			break;
		}
		f->next = parent;
	}
	return error;
}

/* Whether the window began at the feeds' heads now (an append moves one). */
static int window_current(const struct causal_window *w, const accord_ledger *l)
{
	size_t i;

	if (w->nfeeds != l->feed_count)
		return 0;
	for (i = 0; i < l->feed_count; i++)
		if (!git_oid_equal(&w->feeds[i].head, &l->feeds[i].head))
			return 0;
	return 1;
}

/*
 * The frontiers of a ledger opened through the index. The index verified
 * every entry up to each feed's head that counts, so the graph is read
 * from the refs back (prev and deps, parsed, no signature checked
 * again) and added in ledger order: a walk over the commits, not a second
 * verification. A feed's entries past what counts are walked too: an
 * entry that counts may depend on one a rule set aside, and what that one
 * saw is in its past (attack34 B 01, 02); one that depends on a fault
 * does not count, so a fault read on the way changes no answer.
 *
 * Only entries with a clock at or above `floor` are read: clocks grow
 * along every edge, so nothing below the floor has an entry above it in
 * its past, and "is X in Y's past" for an X at or above the floor reads
 * the same in this window as in the whole graph. Showing a recent
 * incident then reads the entries since it, not the ledger (issue 14),
 * and a deeper question reads only what lies below the last window.
 * Likewise nothing above Y's clock is in Y's past: each feed's walk
 * starts at the index's anchor just above `ceiling` (index_anchors.c),
 * so an old incident reads the entries around it, not those since. The
 * other side of a fork, kept under refs/accord/evidence/, is walked too,
 * and then the whole graph, since its entries count where another key's
 * entry depends on them (attack28 06) and its seqs repeat.
 */
/*
 * Whether a causal walk reads feed `b`'s entries past what counts: those
 * some entry that counts saw (accord_beyond.seen_top), or, with evidence of
 * a fork (whose counted sides the heads do not show), all of them. A tail
 * nothing counted depends on is read by no question (attack35 B 01).
 */
static int tail_seen(const accord_beyond *b, size_t evidence)
{
	if (git_oid_is_zero(&b->head))
		return 0;
	return evidence ? 1 : b->seen_top > 0 && !git_oid_is_zero(&b->seen_at);
}

static int build_causal(accord_ledger *l, int64_t floor, int64_t ceiling)
{
	struct causal_window *w = l->window;
	git_strarray ev = { NULL, 0 };
	accord_entry scratch; /* one entry at a time, as accord_causal_add reads it */
	accord_causal *c = NULL;
	size_t i;
	int error = 0, fresh = 0;

	if (w && (!window_current(w, l) || ceiling > w->ceiling)) {
		if (l->causal && l->causal_floor < floor)
			floor = l->causal_floor;
		window_free(w);
		w = l->window = NULL;
	}
	if (!w) {
		fresh = 1;
		if ((error = accord_store_ref_list(&ev, l->store, ACCORD_EVIDENCE_PREFIX)) < 0)
			return error;
		if (ev.count) {
			floor = 0;
			ceiling = INT64_MAX;
		}
		w = l->window = accord_xcalloc(1, sizeof(*w));
		w->feeds = accord_xcalloc(l->feed_count + 1, sizeof(*w->feeds));
		w->nfeeds = l->feed_count;
		w->ceiling = INT64_MAX; /* lowered to the lowest anchor a walk starts at */
		for (i = 0; i < l->feed_count; i++) {
			struct window_feed *f = &w->feeds[i];
			const accord_beyond *b = accord_ledger_beyond(l, l->feeds[i].keyid);

			memcpy(f->keyid, l->feeds[i].keyid, sizeof(f->keyid));
			f->head = f->next = l->feeds[i].head;
			f->head_seq = f->left = l->feeds[i].seq;
			if (b && tail_seen(b, ev.count)) {
				/* from what others saw of its entries set aside (all, with a fork) */
				f->next = ev.count ? b->head : b->seen_at;
				f->left = INT64_MAX;
				f->unjudged = 1;
				continue;
			}
			if (ceiling < INT64_MAX && l->index &&
			    accord_index_anchor_at(&f->next, &f->left, &f->anchor_lamport, l->index,
						   f->keyid, f->head_seq, ceiling) == 1) {
				f->anchor_seq = f->left;
				if (f->anchor_lamport < w->ceiling)
					w->ceiling = f->anchor_lamport;
			}
		}
	}
	for (i = 0; i < w->nfeeds && error == 0; i++)
		error = window_walk(w, &w->feeds[i], l, floor);
	for (i = 0; i < ev.count && error == 0; i++) {
		struct window_feed f = { .left = INT64_MAX, .unjudged = 1 };

		/* evidence that does not read adds nothing: the engine judged it */
		if (accord_store_ref_get(&f.next, l->store, ev.strings[i]) == 0)
			window_walk(w, &f, l, 0);
	}
	/* a feed none of whose entries counts: what others saw of it, once per window */
	for (i = 0; fresh && i < l->beyond_count && error == 0; i++) {
		struct window_feed f = { .left = INT64_MAX, .unjudged = 1 };

		if (!accord_ledger_feed(l, l->beyond[i].keyid) &&
		    tail_seen(&l->beyond[i], ev.count)) {
			f.next = ev.count ? l->beyond[i].head : l->beyond[i].seen_at;
			window_walk(w, &f, l, 0);
		}
	}
	git_strarray_dispose(&ev);
	if (error == 0 && (error = accord_causal_new(&c)) == 0) {
		qsort(w->all, w->n, sizeof(*w->all), window_order_cmp);
		memset(&scratch, 0, sizeof(scratch));
		for (i = 0; i < w->n; i++) {
			const struct window_entry *we = w->all[i];

			memcpy(scratch.id, we->id, sizeof(scratch.id));
			memcpy(scratch.author.id, we->author, sizeof(scratch.author.id));
			memcpy(scratch.prev, we->prev, sizeof(scratch.prev));
			scratch.seq = we->seq;
			scratch.lamport = we->lamport;
			scratch.deps = we->deps;
			scratch.dep_count = we->dep_count;
			accord_causal_add(c, &scratch);
		}
		__atomic_add_fetch(&causal_adds, w->n, __ATOMIC_RELAXED);
		accord_causal_free(l->causal);
		l->causal = c;
		l->causal_floor = floor;
	}
	return error;
}

/*
 * The ceiling of a new window for a question up to clock `top`: the
 * newest entry the ledger holds (a ledger opened through the index holds
 * the incident being derived), so that the incident's other questions fit
 * in the same window; INT64_MAX (every walk from the heads) when that is
 * the ledger's newest clock.
 */
static int64_t window_ceiling(const accord_ledger *l, int64_t top)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (l->entries[i]->lamport > top)
			top = l->entries[i]->lamport;
	return top >= l->max_lamport ? INT64_MAX : top;
}

/*
 * The floor of a window that must reach down to clock `need`. Deepening
 * builds the window's graph again, so it reaches further down than asked:
 * an eighth, a quarter, then half of what the window spans the first
 * three times, as far again every time after. Questions about ever older
 * entries (`list --json` of every incident, newest first) build it a
 * logarithmic number of times, not once per incident; a question a little
 * below the window reads a little more. A sync's 10,000 new entries onto
 * 1M asked about an involve 17 clock ticks below them, and reaching twice
 * as far down read 9,994 entries from git for it (issue 14). A lower floor
 * gives the same answers: a path into an entry's past passes only through
 * higher clocks.
 */
static int64_t window_floor(const accord_ledger *l, int64_t need)
{
	int64_t top, span;

	if (!l->causal || !l->window || need >= l->causal_floor)
		return need;
	top = l->window->ceiling < INT64_MAX ? l->window->ceiling : l->max_lamport;
	span = (top - l->causal_floor) >> (3 - l->causal_deeper);
	if (span <= 0 || l->causal_floor - need >= span)
		return need;
	return l->causal_floor - span > 0 ? l->causal_floor - span : 0;
}

int accord_ledger_in_past(const accord_ledger *ledger, const accord_entry *later,
			  const accord_entry *earlier)
{
	accord_ledger *l = (accord_ledger *)ledger; /* the frontiers are a cache */
	int64_t need = earlier->lamport < later->lamport ? earlier->lamport : later->lamport,
		top = earlier->lamport < later->lamport ? later->lamport : earlier->lamport;
	int error, yes;

	/* what an incident loaded through the index recorded: no walk (index_impl.h, p lines) */
	if (l->index && (yes = accord_index_past(l->index, later->id, earlier->id)) >= 0)
		return yes;
	if (!l->causal || need < l->causal_floor ||
	    (l->window && (!window_current(l->window, l) || top > l->window->ceiling))) {
		/*
		 * A window whose top must rise is read again from its new top
		 * down: rising once to the heads, not once per incident whose
		 * newest entry is higher, keeps `list --json` of every incident
		 * from reading the ledger again and again.
		 */
		int64_t ceiling =
			l->window && top > l->window->ceiling ? INT64_MAX : window_ceiling(l, top);
		int deeper = l->causal && need < l->causal_floor;

		if ((error = build_causal(l, window_floor(l, need), ceiling)) < 0)
			return error;
		if (deeper && l->causal_deeper < 3)
			l->causal_deeper++;
	}
	if ((yes = accord_causal_in_past(l->causal, later, earlier)) < 0)
		return accord_error_set(ACCORD_ENOTFOUND,
					"entry %.16s is not in this ledger's causal graph",
					later->id);
	return yes;
}

const accord_feed *accord_ledger_feed(const accord_ledger *ledger, const char *keyid)
{
	size_t i;

	for (i = 0; i < ledger->feed_count; i++)
		if (strcmp(ledger->feeds[i].keyid, keyid) == 0)
			return &ledger->feeds[i];
	return NULL;
}

const accord_feed *accord_ledger_feed_at(const accord_ledger *ledger, size_t i)
{
	return i < ledger->feed_count ? &ledger->feeds[i] : NULL;
}

const accord_entry *accord_ledger_entry(const accord_ledger *ledger, const char *id)
{
	return accord_idmap_get(&ledger_lookups(ledger)->lookup_ids, id);
}

const accord_entry *const *accord_ledger_naming(const accord_ledger *ledger, const char *id,
						size_t *count)
{
	accord_ledger *l = ledger_lookups(ledger);
	size_t k = (size_t)(uintptr_t)accord_idmap_get(&l->lookup_incidents, id);

	*count = k ? l->lookup_lists[k - 1].count : 0;
	return k ? l->lookup_lists[k - 1].entries : NULL;
}

/* Resolve an incident prefix among the entries the ledger holds (all of them: no index). */
static int find_held(const accord_entry **out, const accord_ledger *ledger, const char *prefix)
{
	size_t i, plen = strlen(prefix), found = 0;
	const accord_entry *match = NULL;
	accord_buf list = ACCORD_BUF_INIT;

	if (plen < 4 || plen > ACCORD_ID_HEXLEN || !accord_is_lower_hex(prefix, plen))
		return accord_error_set(ACCORD_EINVALID,
					"'%s' is not an incident id (4 to 64 lowercase hex digits)",
					prefix);
	for (i = 0; i < ledger->count; i++) {
		const accord_entry *e = ledger->entries[i];

		if (strcmp(e->type, "open") != 0 || strncmp(e->id, prefix, plen) != 0)
			continue;
		if (found++ < 5)
			accord_buf_printf(&list, " %.12s", e->id);
		match = e;
	}
	if (found == 0) {
		accord_buf_dispose(&list);
		return accord_error_set(ACCORD_ENOTFOUND, "no incident %s", prefix);
	}
	if (found > 1) {
		int code = accord_error_set(ACCORD_EAMBIGUOUS, "incident id %s is ambiguous:%s",
					    prefix, list.ptr);
		accord_buf_dispose(&list);
		return code;
	}
	accord_buf_dispose(&list);
	*out = match;
	return 0;
}

/* Shortest unique prefix (at least `min`) among all incident ids the ledger holds. */
static int cmp_entry_id(const void *a, const void *b)
{
	return strcmp((*(const accord_entry *const *)a)->id, (*(const accord_entry *const *)b)->id);
}

static size_t short_len_held(accord_ledger *ledger, size_t min)
{
	const accord_entry **opens = NULL;
	size_t n = 0, i, len = min;

	if (ledger->count && ledger->short_len_count == ledger->count &&
	    ledger->short_len_min == min)
		return ledger->short_len;
	opens = calloc(ledger->count + 1, sizeof(*opens));
	if (!opens)
		return ACCORD_ID_HEXLEN;
	for (i = 0; i < ledger->count; i++)
		if (strcmp(ledger->entries[i]->type, "open") == 0)
			opens[n++] = ledger->entries[i];
	/*
	 * Grow until every pair differs: in sorted order the longest common
	 * prefix of any pair is that of some neighbours. (It compared every
	 * pair: a sync naming 500 new incidents of a 5,000-incident ledger
	 * spent minutes here.)
	 */
	if (n > 1)
		qsort(opens, n, sizeof(*opens), cmp_entry_id);
	for (i = 0; i + 1 < n; i++) {
		size_t k = 0;

		while (k < ACCORD_ID_HEXLEN && opens[i]->id[k] == opens[i + 1]->id[k])
			k++;
		if (k + 1 > len)
			len = k + 1;
	}
	free(opens);
	ledger->short_len_count = ledger->count;
	ledger->short_len_min = min;
	ledger->short_len = len;
	return len;
}

int accord_ledger_find_incident(const accord_entry **out, accord_ledger *ledger, const char *prefix)
{
	return ledger->index ? accord_index_find_incident(out, ledger, prefix)
			     : find_held(out, ledger, prefix);
}

size_t accord_ledger_short_len(accord_ledger *ledger, const char *id, size_t min)
{
	return ledger->index ? accord_index_short_len(ledger, id, min)
			     : short_len_held(ledger, min);
}

int accord_ledger_list(accord_incident_summary **out, size_t *count, size_t *total,
		       accord_ledger *ledger, const char *status, size_t limit, int64_t now)
{
	return ledger->index
		       ? accord_index_list(out, count, total, ledger, status, limit, now)
		       : accord_index_list_entries(out, count, total, ledger, status, limit, now);
}

int accord_ledger_duplicates(accord_incident_summary **out, size_t *count, accord_ledger *ledger,
			     const char *id, int64_t now)
{
	accord_incident_summary *all = NULL;
	size_t n = 0, total = 0, i, k = 0;
	int error;

	if (ledger->index)
		return accord_index_duplicates(out, count, ledger, id, now);
	/* every entry in memory: the list settles each incident, then the filter */
	if ((error = accord_index_list_entries(&all, &n, &total, ledger, NULL, 0, now)) < 0)
		return error;
	for (i = 0; i < n; i++)
		if (!strcmp(all[i].closed_as, "duplicate") && !strcmp(all[i].of, id))
			all[k++] = all[i];
	*out = all;
	*count = k;
	return 0;
}

static int cmp_time_seq(const void *a, const void *b)
{
	const accord_entry *x = *(accord_entry *const *)a, *y = *(accord_entry *const *)b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Walk back from `head` while the key's entries do not count; collect each once. */
static int collect_excluded(accord_entry ***list, size_t *n, size_t *cap, accord_idmap *seen,
			    const accord_ledger *l, const char *keyid, const git_oid *head)
{
	const accord_feed *f = accord_ledger_feed(l, keyid);
	git_oid at = *head;
	int error = 0;

	for (;;) {
		accord_commit *c = NULL;
		accord_entry *e = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		if (f && git_oid_equal(&at, &f->head))
			break; /* what counts from here down */
		git_oid_tostr(hex, sizeof(hex), &at);
		if ((error = accord_commit_read(&c, l->store, &at)) < 0)
			break;
		if (accord_verify_commit(&e, NULL, c, keyid, NULL, 0) == 0) {
			/* it counts, and so does what it chains from (a side of a fork another key depends on) */
			if (accord_ledger_entry(l, e->id)) {
				accord_entry_free(e);
				accord_commit_free(c);
				break;
			}
			if (!accord_idmap_get(seen, e->id)) {
				memcpy(e->commit, hex, sizeof(e->commit));
				if (*n == *cap) {
					*cap = *cap ? *cap * 2 : 16;
					if (!(*list = realloc(*list, *cap * sizeof(**list))))
						accord_oom();
				}
				(*list)[(*n)++] = e;
				accord_idmap_put(seen, e->id, e);
				e = NULL;
			}
		}
		accord_entry_free(e);
		accord_error_clear();
		if (c->parent_count != 1) {
			accord_commit_free(c);
			break;
		}
		at = c->parent;
		accord_commit_free(c);
	}
	return error == ACCORD_ENOTFOUND ? 0 : error;
}

int accord_ledger_excluded(accord_entry ***out, size_t *count, const accord_ledger *l,
			   const char *keyid, int with_evidence)
{
	accord_idmap seen = ACCORD_IDMAP_INIT;
	accord_entry **list = NULL;
	git_strarray refs = { NULL, 0 };
	const accord_beyond *b = accord_ledger_beyond(l, keyid);
	size_t n = 0, cap = 0, i;
	char prefix[128];
	int error = 0;

	if (b && !git_oid_is_zero(&b->head))
		error = collect_excluded(&list, &n, &cap, &seen, l, keyid, &b->head);
	snprintf(prefix, sizeof(prefix), "%s%s/", ACCORD_EVIDENCE_PREFIX, keyid);
	if (error == 0 && with_evidence &&
	    (error = accord_store_ref_list(&refs, l->store, prefix)) == 0) {
		for (i = 0; i < refs.count && error == 0; i++) {
			git_oid h;

			if (accord_store_ref_get(&h, l->store, refs.strings[i]) == 0)
				error = collect_excluded(&list, &n, &cap, &seen, l, keyid, &h);
		}
		git_strarray_dispose(&refs);
	}
	accord_idmap_dispose(&seen);
	if (error < 0) {
		for (i = 0; i < n; i++)
			accord_entry_free(list[i]);
		free(list);
		return error;
	}
	if (n)
		qsort(list, n, sizeof(*list), cmp_time_seq);
	*out = list;
	*count = n;
	return 0;
}
