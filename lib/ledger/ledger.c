#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accord/causal.h"
#include "accord/encode.h"
#include "accord/error.h"
#include "accord/file.h"
#include "accord/incident.h"
#include "accord/json.h"
#include "accord/schema.h"
#include "accord/sshsig.h"
#include "accord/timefmt.h"

#include "array.h"
#include "index.h"
#include "ledger_impl.h"

static void push_entry(accord_entry ***arr, size_t *count, size_t *alloc, accord_entry *e)
{
	if (*count == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		*arr = realloc(*arr, *alloc * sizeof(**arr));
		if (!*arr)
			abort();
	}
	(*arr)[(*count)++] = e;
}

int accord_ledger_verify_commit(accord_entry **out, const accord_commit *c, const char *feed,
				const accord_entry *prev, int64_t expect_seq)
{
	return accord_verify_commit(out, NULL, c, feed, prev, expect_seq);
}

int accord_ledger_order_cmp(const void *a, const void *b)
{
	const accord_entry *x = *(accord_entry *const *)a, *y = *(accord_entry *const *)b;
	int c;

	if (x->lamport != y->lamport)
		return x->lamport < y->lamport ? -1 : 1;
	if ((c = strcmp(x->author.id, y->author.id)) != 0)
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->id, y->id);
}

int accord_ledger_local_heads(accord_head **out, size_t *count, accord_store *store)
{
	git_strarray refs = { NULL, 0 };
	accord_head *heads;
	size_t i, n = 0;
	int error;

	if ((error = accord_store_ref_list(&refs, store, ACCORD_FEED_PREFIX)) < 0)
		return error;
	if (!(heads = calloc(refs.count + 1, sizeof(*heads)))) {
		git_strarray_dispose(&refs);
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	}
	for (i = 0; i < refs.count; i++) {
		const char *keyid = refs.strings[i] + strlen(ACCORD_FEED_PREFIX);

		/* not a feed: the audit reports it (unknown-ref); it holds nothing that counts */
		if (!accord_is_lower_hex(keyid, ACCORD_KEYID_HEXLEN))
			continue;
		memcpy(heads[n].keyid, keyid, sizeof(heads[n].keyid));
		if ((error = accord_store_ref_get(&heads[n].head, store, refs.strings[i])) < 0)
			goto fail;
		n++;
	}
	git_strarray_dispose(&refs);
	*out = heads;
	*count = n;
	return 0;
fail:
	git_strarray_dispose(&refs);
	free(heads);
	return error;
}

/*
 * The ledger the engine's verdicts leave: the entries that count, their
 * feeds (each up to its last entry that counts), membership, and the
 * findings about what was left out.
 */
int accord_ledger_from_verification(accord_ledger **out, accord_store *store,
				    accord_verification *v)
{
	accord_ledger *l = calloc(1, sizeof(*l));
	char *configured = NULL;
	size_t i;

	if (!l)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
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
	if (!(l->feeds = calloc(v->feed_count + 1, sizeof(*l->feeds))))
		abort();
	if (!(l->beyond = calloc(v->feed_count + 1, sizeof(*l->beyond))))
		abort();
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
	l->findings = v->findings;
	l->finding_count = v->finding_count;
	l->left_out = v->left_out;
	v->findings = NULL;
	v->finding_count = 0;
	*out = l;
	return 0;
}

int accord_ledger_load_heads(accord_ledger **out, accord_store *store, const accord_head *heads,
			     size_t count)
{
	accord_verification *v = NULL;
	int error;

	if (count == 0)
		return accord_error_set(ACCORD_ENOTFOUND,
					"%s holds no ledger (create one with accord init)",
					accord_store_gitdir(store));
	if ((error = accord_verify_heads(&v, store, heads, count, NULL)) < 0)
		return error;
	error = accord_ledger_from_verification(out, store, v);
	accord_verification_free(v);
	return error;
}

int accord_ledger_load(accord_ledger **out, accord_store *store)
{
	accord_head *heads = NULL;
	size_t count = 0;
	int error;

	if ((error = accord_ledger_local_heads(&heads, &count, store)) < 0)
		return error;
	error = accord_ledger_load_heads(out, store, heads, count);
	free(heads);
	return error;
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
	accord_index_free(ledger->index);
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

/*
 * The entry of commit `at`, parsed, no signature checked: for commits a
 * verification judged already. `parent` (may be NULL) gets its parent,
 * zero for a root.
 */
static int read_verified(accord_entry **out, git_oid *parent, const accord_ledger *l,
			 const git_oid *at)
{
	accord_commit *cm = NULL;
	int error;

	if ((error = accord_commit_read(&cm, l->store, at)) == 0 &&
	    (error = accord_entry_parse(out, cm->message, cm->message_len)) == 0 && parent) {
		if (cm->parent_count)
			*parent = cm->parent;
		else
			memset(parent, 0, sizeof(*parent));
	}
	accord_commit_free(cm);
	return error;
}

/* Walk back from `head`, adding each entry not added yet; stop at one that was (the rest is in). */
static int walk_into(accord_entry ***all, size_t *n, accord_idmap *added, const accord_ledger *l,
		     git_oid at, int64_t left)
{
	int error = 0;

	while (error == 0 && left-- > 0 && !git_oid_is_zero(&at)) {
		accord_entry *e = NULL;

		if ((error = read_verified(&e, &at, l, &at)) < 0)
			break;
		if (accord_idmap_get(added, e->id)) {
			accord_entry_free(e);
			break;
		}
		ACCORD_PUSH(*all, *n, e);
		accord_idmap_put(added, e->id, e);
	}
	return error;
}

/*
 * The frontiers of a ledger opened through the index, built once. The index
 * verified every entry up to each feed's head that counts, so the graph is
 * read from those heads back to the feeds' roots (prev and deps, parsed,
 * no signature checked again) and added in ledger order: a walk over the
 * commits, not a second verification. An entry that counts never depends
 * on one that does not, so leaving those out changes no answer. The other
 * side of a fork, kept under refs/accord/evidence/, is walked too: its
 * entries count where another key's entry depends on them (attack28 06).
 */
static int build_causal(accord_ledger *l)
{
	accord_idmap added = ACCORD_IDMAP_INIT;
	git_strarray ev = { NULL, 0 };
	accord_entry **all = NULL;
	accord_causal *c = NULL;
	size_t n = 0, i;
	int error = 0;

	for (i = 0; i < l->feed_count && error == 0; i++)
		error = walk_into(&all, &n, &added, l, l->feeds[i].head, l->feeds[i].seq);
	if (error == 0 &&
	    (error = accord_store_ref_list(&ev, l->store, ACCORD_EVIDENCE_PREFIX)) == 0) {
		for (i = 0; i < ev.count && error == 0; i++) {
			git_oid head;

			/* evidence that does not read adds nothing: the engine judged it */
			if (accord_store_ref_get(&head, l->store, ev.strings[i]) == 0 &&
			    walk_into(&all, &n, &added, l, head, INT64_MAX) < 0)
				accord_error_clear();
		}
		git_strarray_dispose(&ev);
	}
	if (error == 0 && (error = accord_causal_new(&c)) == 0) {
		qsort(all, n, sizeof(*all), accord_ledger_order_cmp);
		for (i = 0; i < n; i++)
			accord_causal_add(c, all[i]);
		l->causal = c;
	}
	accord_idmap_dispose(&added);
	for (i = 0; i < n; i++)
		accord_entry_free(all[i]);
	free(all);
	return error;
}

int accord_ledger_in_past(const accord_ledger *ledger, const accord_entry *later,
			  const accord_entry *earlier)
{
	accord_ledger *l = (accord_ledger *)ledger; /* the frontiers are a cache */
	int error, yes;

	if (!l->causal && (error = build_causal(l)) < 0)
		return error;
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
	size_t i;

	for (i = 0; i < ledger->count; i++)
		if (strcmp(ledger->entries[i]->id, id) == 0)
			return ledger->entries[i];
	return NULL;
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

static size_t short_len_held(const accord_ledger *ledger, size_t min)
{
	const accord_entry **opens = NULL;
	size_t n = 0, i, len = min;

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

/* The new entry joins the loaded ledger, last in ledger order, as a reload would place it. */
static void adopt_entry(accord_ledger *l, accord_entry *e, const git_oid *commit)
{
	accord_feed *feed = (accord_feed *)accord_ledger_feed(l, e->author.id);
	size_t alloc = l->count; /* push_entry grows from here */

	git_oid_tostr(e->commit, sizeof(e->commit), commit);
	push_entry(&l->entries, &l->count, &alloc, e);
	if (!feed) {
		accord_feed *nf = realloc(l->feeds, (l->feed_count + 1) * sizeof(*nf));

		if (!nf)
			abort();
		l->feeds = nf;
		feed = &nf[l->feed_count++];
		memset(feed, 0, sizeof(*feed));
		memcpy(feed->keyid, e->author.id, sizeof(feed->keyid));
	}
	feed->head = *commit;
	feed->seq = e->seq;
	feed->last = e;
	if (e->lamport > l->max_lamport)
		l->max_lamport = e->lamport;
}

/*
 * Build, check and write one entry. With a ledger, the author must be
 * allowed to write it there, and on success it joins the ledger.
 */
static int append_raw(char *out_id, accord_store *store, const accord_key *key,
		      const accord_feed *feed, const accord_entry_fields *f, accord_ledger *l)
{
	accord_buf raw = ACCORD_BUF_INIT, ref = ACCORD_BUF_INIT;
	accord_entry *e = NULL;
	git_oid commit;
	int error;

	if ((error = accord_entry_build(&raw, f)) < 0)
		goto done;
	if ((error = accord_entry_parse(&e, raw.ptr, raw.size)) < 0)
		goto done;
	/* signed with this key, as its type: what verification reads from the signature */
	e->author.type = key->pub.type;
	memcpy(e->author.application, key->pub.application, sizeof(e->author.application));
	/* its frontier first: authorization reads it (after a failure the ledger is only freed) */
	if (l && l->causal)
		accord_causal_add(l->causal, e);
	if (l && (error = accord_parties_apply(&l->parties, e)) < 0)
		goto done;
	accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, key->pub.id);
	error = accord_store_append(&commit, store, ref.ptr, feed ? &feed->head : NULL, raw.ptr,
				    raw.size, key, f->time);
	if (out_id && error == 0)
		memcpy(out_id, e->id, sizeof(e->id));
	if (l) {
		/* Authorization state may point at e now: it lives as long as the ledger. */
		if (error == 0) {
			adopt_entry(l, e, &commit);
			/* The entry is written: an index that lags is caught up by the next open. */
			accord_index_record(l, e);
		} else {
			accord_entry **no =
				realloc(l->orphans, (l->orphan_count + 1) * sizeof(*no));

			if (!no)
				abort();
			l->orphans = no;
			no[l->orphan_count++] = e;
		}
		e = NULL;
	}
done:
	accord_entry_free(e);
	accord_buf_dispose(&raw);
	accord_buf_dispose(&ref);
	return error;
}

/*
 * Never write on a feed whose ref holds entries that do not count: the new
 * entry would either chain from one of them (and not count either) or fork
 * the feed (and prove equivocation against this key).
 */
static int check_own_feed(const accord_ledger *l, const accord_key *key)
{
	const accord_beyond *b = accord_ledger_beyond(l, key->pub.id);
	const accord_finding *why = NULL;
	size_t i;

	/* a forked key writes nothing new, even where all of its side counts */
	for (i = 0; i < l->finding_count && !why; i++)
		if (!strcmp(l->findings[i].feed, key->pub.id) &&
		    l->findings[i].kind == ACCORD_AUDIT_EQUIVOCATION)
			why = &l->findings[i];
	if ((!b || b->holes) && !why)
		return 0; /* entries set aside alone, each for what it named: nothing builds on them */
	for (i = 0; i < l->finding_count && !why; i++)
		if (!strcmp(l->findings[i].feed, key->pub.id))
			why = &l->findings[i];
	if (why && why->kind == ACCORD_AUDIT_EQUIVOCATION)
		return accord_error_set(
			ACCORD_EBADSIG,
			"key %s signed two different entries with seq %lld (the same key used on two machines?); "
			"from there on its entries count only where another key's counted entry depends on them, and it must not write again. "
			"Have an admin of your party add a new key for you (accord key new on this machine, "
			"then accord member add), and re-record your excluded entries with accord recover",
			key->pub.id, (long long)why->seq);
	return accord_error_set(
		ACCORD_EBADSIG,
		"your feed %s holds entries that do not count (%s%s%s); writing would build on them. "
		"Run accord audit for the details",
		key->pub.id, why ? accord_audit_kind_name(why->kind) : "left out", why ? ": " : "",
		why ? why->explanation : "");
}

/* What the writer had seen: one dep, with its clock and time. */
struct dep {
	char id[ACCORD_ID_HEXLEN + 1];
	int64_t lamport, time;
	int must; /* kept whatever the cap (the feed a revocation names, an admission) */
};

static int cmp_dep_lamport(const void *a, const void *b)
{
	const struct dep *x = a, *y = b;

	if (x->must != y->must)
		return x->must ? -1 : 1;
	return x->lamport > y->lamport ? -1 : x->lamport < y->lamport;
}

static int cmp_dep_id(const void *a, const void *b)
{
	return strcmp(((const struct dep *)a)->id, ((const struct dep *)b)->id);
}

/*
 * The heads of the other feeds that the author's previous entry does not
 * already depend on (all of them when that is unknown, as when the ledger
 * was opened through the index): at most ACCORD_DEPS_MAX, the newest kept,
 * and the feed `must` names always. With `every` (a checkpoint), heads
 * already in the causal past are named too, so any copy checks its claims
 * against its deps alone (the index's catch-up among them), and a head
 * dated after `limit` (ahead of this machine's clock) is left out: sync's
 * witnessing never carries another member's clock into this author's time
 * (time >= deps). Other entries depend on all the author saw, since their
 * rule references (a cosign's proposal) must be in their causal past; a
 * copy holds a head that far ahead only if it was fetched around sync, and
 * sync then holds back what depends on it too. Sorted by id. Caller frees
 * *out.
 */
static size_t choose_deps(struct dep **out, const accord_ledger *l, const accord_entry *prev,
			  const char *author, const char *must, int64_t limit, int every)
{
	struct dep *d = calloc(l->feed_count + 1, sizeof(*d));
	size_t i, n = 0;

	if (!d)
		abort();
	for (i = 0; i < l->feed_count; i++) {
		const accord_feed *g = &l->feeds[i];

		if (!g->last || !strcmp(g->keyid, author))
			continue;
		if (!every && prev && l->causal &&
		    accord_causal_seen(l->causal, prev->id, g->keyid) >= g->seq)
			continue; /* already in the causal past */
		d[n].must = must && !strcmp(g->keyid, must);
		if (every && !d[n].must && g->last->time > limit)
			continue;
		memcpy(d[n].id, g->last->id, sizeof(d[n].id));
		d[n].lamport = g->last->lamport;
		d[n].time = g->last->time;
		n++;
	}
	if (n > ACCORD_DEPS_MAX) {
		qsort(d, n, sizeof(*d), cmp_dep_lamport);
		n = ACCORD_DEPS_MAX;
	}
	qsort(d, n, sizeof(*d), cmp_dep_id);
	*out = d;
	return n;
}

/*
 * The member-add a key's first entry accepts: the one offer in effect for
 * it, or the one of party `join` when several parties added it.
 * ACCORD_EDENIED when there is none, or several and no choice (accord does
 * not choose for the key's owner: an offer it never accepted has no effect).
 */
static int choose_admission(const accord_offer **out, const accord_ledger *l, const char *keyid,
			    const char *join)
{
	const accord_parties *p = &l->parties;
	const accord_offer *found = NULL;
	accord_buf which = ACCORD_BUF_INIT;
	size_t i, n = 0;
	int error;

	for (i = 0; i < p->offer_count; i++) {
		const accord_offer *o = &p->offers[i];
		char who[200];

		if (o->withdrawn || strcmp(o->key.id, keyid) != 0)
			continue;
		accord_parties_label(who, sizeof(who), p, o->adder->key.id);
		accord_buf_printf(&which, "%s%s (member-add %.12s by %s)", n ? ", " : "",
				  p->parties[o->party].name, o->entry->id, who);
		if (join[0] && strcmp(p->parties[o->party].name, join) != 0)
			continue;
		found = o;
		n++;
	}
	if (n == 1) {
		*out = found;
		error = 0;
	} else if (join[0]) {
		error = accord_error_set(ACCORD_EDENIED,
					 "key %.12s was not added by party %s (offers: %s)", keyid,
					 join, which.ptr ? which.ptr : "none");
	} else if (n == 0) {
		error = accord_error_set(
			ACCORD_EDENIED,
			"key %.12s is not a member of any party (no member-add names it)", keyid);
	} else {
		error = accord_error_set(
			ACCORD_EDENIED,
			"key %.12s was added by %zu parties: %s. Only the key's first entry decides which "
			"it joins; accord does not choose: accept one with accord member accept PARTY",
			keyid, n, which.ptr);
	}
	accord_buf_dispose(&which);
	return error;
}

int accord_ledger_set_join(accord_ledger *ledger, const char *party)
{
	if (party && strlen(party) >= sizeof(ledger->join))
		return accord_error_set(ACCORD_EINVALID, "party name '%.64s...' is too long",
					party);
	snprintf(ledger->join, sizeof(ledger->join), "%s", party ? party : "");
	return 0;
}

/*
 * The admission of a key's first entry, and the key id of the admin who
 * made it. Offers are kept by a full load only: a ledger opened through
 * the index loads the ledger once for this (a key's first entry only).
 */
static int first_admission(char *id, char *adder, const accord_ledger *l, const char *keyid)
{
	accord_ledger *full = NULL;
	const accord_offer *o = NULL;
	int error;

	const accord_member *m;

	if (l->index && (error = accord_ledger_load(&full, l->store)) < 0)
		return error;
	m = accord_parties_member(&(full ? full : l)->parties, keyid);
	if (m && m->recovered_by) {
		memcpy(id, m->recovered_by->id, ACCORD_ID_HEXLEN + 1);
		memcpy(adder, m->recovered_by->author.id, ACCORD_KEYID_HEXLEN + 1);
		error = 0;
	} else if ((error = choose_admission(&o, full ? full : l, keyid, l->join)) == 0) {
		memcpy(id, o->entry->id, ACCORD_ID_HEXLEN + 1);
		memcpy(adder, o->adder->key.id, ACCORD_KEYID_HEXLEN + 1);
	}
	accord_ledger_free(full);
	return error;
}

/* A member-revoke's cut: the revoked key's last entry this ledger holds, which deps then cover. */
static int revoke_body(cJSON **out, const accord_ledger *l, const cJSON *body, const char **target)
{
	const char *hex = accord_json_str(body, "key");
	accord_pubkey key;
	const accord_feed *g;
	cJSON *b;

	memset(&key, 0, sizeof(key));
	if (!hex || accord_hex_decode(key.pk, sizeof(key.pk), hex) < 0)
		return accord_error_set(ACCORD_EINVALID, "member-revoke names no valid key");
	accord_pubkey_set_id(&key);
	g = accord_ledger_feed(l, key.id);
	if (!(b = cJSON_Duplicate(body, 1)))
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	cJSON_DeleteItemFromObjectCaseSensitive(b, "cut");
	cJSON_AddNumberToObject(b, "cut", (double)(g ? g->seq : 0));
	*target = g ? g->keyid : NULL;
	*out = b;
	return 0;
}

/*
 * A checkpoint claims only heads in its causal past (docs/format.md): keep
 * the claims its deps name, or its prev's past holds; drop the rest (feeds
 * left out by the cap on deps). *out NULL when every claim stays.
 */
static int checkpoint_body(cJSON **out, const accord_ledger *l, const cJSON *body,
			   const accord_entry *prev, const struct dep *deps, size_t n)
{
	const cJSON *h;
	cJSON *b, *heads;
	size_t i, dropped = 0, kept = 0;

	*out = NULL;
	if (!(b = cJSON_Duplicate(body, 1)))
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	cJSON_DeleteItemFromObjectCaseSensitive(b, "heads");
	heads = cJSON_AddArrayToObject(b, "heads");
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(body, "heads")) {
		const char *feed = accord_json_str(h, "feed"), *hash = accord_json_str(h, "hash");
		int64_t seq = 0;
		int ok = 0;

		if (feed && hash && accord_json_int(&seq, h, "seq") == 0) {
			for (i = 0; i < n && !ok; i++)
				ok = !strcmp(deps[i].id, hash);
			if (!ok && prev && l->causal)
				ok = accord_causal_seen(l->causal, prev->id, feed) >= seq;
		}
		if (ok) {
			cJSON_AddItemToArray(heads, cJSON_Duplicate(h, 1));
			kept++;
		} else {
			dropped++;
		}
	}
	if (!dropped) {
		cJSON_Delete(b);
		return 0;
	}
	if (!kept) {
		cJSON_Delete(b);
		return accord_error_set(ACCORD_EINVALID,
					"the checkpoint names no head it depends on");
	}
	*out = b;
	return 0;
}

/*
 * Never write on a feed a remote holds further than this copy: a clone
 * takes a feed only as far as it counts, so after an entry of it stopped
 * counting the next append would sign a second entry with that entry's
 * seq, proof of equivocation against an honest key (attack28 finding 05).
 * What sync last saw there (refs/quarantine/REMOTE/feeds/KEY) must be
 * this copy's head or behind it.
 */
static int check_remote_copies(const accord_ledger *l, const char *keyid)
{
	git_strarray refs = { NULL, 0 };
	git_oid mine, theirs;
	char suffix[64];
	size_t i, n = (size_t)snprintf(suffix, sizeof(suffix), "/feeds/%s", keyid);
	accord_buf ref = ACCORD_BUF_INIT;
	int error, have;

	accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, keyid);
	have = accord_store_ref_get(&mine, l->store, ref.ptr) == 0;
	accord_buf_dispose(&ref);
	if ((error = accord_store_ref_list(&refs, l->store, ACCORD_QUARANTINE_PREFIX)) < 0)
		return error;
	for (i = 0; i < refs.count && error == 0; i++) {
		const char *name = refs.strings[i];
		size_t len = strlen(name);

		if (len < n || strcmp(name + len - n, suffix) != 0 ||
		    accord_store_ref_get(&theirs, l->store, name) < 0 ||
		    (have && git_oid_equal(&mine, &theirs)) ||
		    (have &&
		     git_graph_descendant_of(accord_store_repo(l->store), &mine, &theirs) == 1))
			continue;
		error = accord_error_set(
			ACCORD_EBADSIG,
			"%.*s holds entries of your feed %s that this copy does not count or does not have; "
			"writing would sign a second entry with the same sequence number. "
			"Run accord audit, and accord sync, to see why",
			(int)(len - n - strlen(ACCORD_QUARANTINE_PREFIX)),
			name + strlen(ACCORD_QUARANTINE_PREFIX), keyid);
	}
	git_strarray_dispose(&refs);
	return error;
}

/*
 * A feed whose entries past what counts are all set aside alone (holes):
 * the next entry chains on its ref's head, the last of them, as the hub
 * and every copy hold it. `tail` gets that head and its entry (to free).
 */
static int holes_tail(accord_feed *tail, accord_entry **owned, const accord_ledger *l,
		      const accord_beyond *b)
{
	int error;

	if ((error = read_verified(owned, NULL, l, &b->head)) < 0)
		return error;
	memcpy(tail->keyid, b->keyid, sizeof(tail->keyid));
	tail->head = b->head;
	tail->seq = (*owned)->seq;
	tail->last = *owned;
	return 0;
}

int accord_ledger_append(char *out_id, accord_ledger *ledger, const accord_key *key,
			 const char *type, const char *incident, const cJSON *body)
{
	const accord_feed *feed = accord_ledger_feed(ledger, key->pub.id);
	const accord_beyond *beyond = accord_ledger_beyond(ledger, key->pub.id);
	accord_entry *tail_entry = NULL;
	accord_feed tail;
	const accord_entry *prev;
	char admission[ACCORD_ID_HEXLEN + 1], adder[ACCORD_KEYID_HEXLEN + 1];
	const char *must = NULL;
	accord_entry_fields f = { 0 };
	int64_t now = accord_time_now();
	struct dep *deps = NULL;
	char(*ids)[ACCORD_ID_HEXLEN + 1] = NULL;
	cJSON *own = NULL;
	size_t n, i;
	int error;

	if ((error = check_own_feed(ledger, key)) < 0 ||
	    (error = check_remote_copies(ledger, key->pub.id)) < 0)
		return error;
	if (beyond && beyond->holes) {
		if ((error = holes_tail(&tail, &tail_entry, ledger, beyond)) < 0)
			return error;
		feed = &tail;
	}
	prev = feed ? feed->last : NULL;
	if ((error = accord_index_check_feed(ledger, key->pub.id, feed ? feed->seq : 0)) < 0)
		goto done;
	if (!strcmp(type, "member-revoke") && (error = revoke_body(&own, ledger, body, &must)) < 0)
		goto done;
	if (!feed && !strcmp(type, "party-accept"))
		f.admission = accord_json_str(body, "invite");
	else if (!feed && strcmp(type, "party-recover") != 0) {
		if ((error = first_admission(admission, adder, ledger, key->pub.id)) < 0)
			goto done;
		f.admission = admission;
		must = adder;
	}
	n = choose_deps(&deps, ledger, prev, key->pub.id, must,
			accord_sat_add(now, ACCORD_FUTURE_SLACK_S), !strcmp(type, "checkpoint"));
	if (!(ids = calloc(n + 1, sizeof(*ids))))
		abort();
	f.lamport = prev ? prev->lamport : 0;
	/* Time never runs backwards along the causal graph, even if the clock does. */
	f.time = prev && prev->time > now ? prev->time : now;
	for (i = 0; i < n; i++) {
		memcpy(ids[i], deps[i].id, sizeof(ids[i]));
		if (deps[i].lamport > f.lamport)
			f.lamport = deps[i].lamport;
		if (deps[i].time > f.time)
			f.time = deps[i].time;
	}
	f.lamport++;
	if (!strcmp(type, "checkpoint") &&
	    (error = checkpoint_body(&own, ledger, body, prev, deps, n)) < 0)
		goto done;
	f.deps = (const char(*)[ACCORD_ID_HEXLEN + 1]) ids;
	f.dep_count = n;
	f.ledger = ledger->id;
	f.author = &key->pub;
	f.seq = feed ? feed->seq + 1 : 1;
	f.prev = prev ? prev->id : NULL;
	f.type = type;
	f.incident = incident;
	f.body = own ? own : body;
	error = append_raw(out_id, ledger->store, key, feed, &f, ledger);
done:
	free(deps);
	free(ids);
	cJSON_Delete(own);
	accord_entry_free(tail_entry);
	return error;
}

void accord_recovery_hash(char *out, const accord_pubkey *key)
{
	unsigned char hash[32];

	accord_sha256(hash, key->pk, sizeof(key->pk));
	accord_hex_encode(out, hash, sizeof(hash));
}

int accord_ledger_create(char *out_id, accord_store *store, const accord_key *key,
			 const char *party, const char *title, const char *recovery)
{
	git_strarray refs = { NULL, 0 };
	accord_entry_fields f = { 0 };
	cJSON *body = cJSON_CreateObject();
	int error;

	if (!body)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	if ((error = accord_store_ref_list(&refs, store, ACCORD_REF_PREFIX)) < 0)
		goto done;
	if (refs.count > 0) {
		error = accord_error_set(ACCORD_EEXISTS, "%s already holds a ledger",
					 accord_store_gitdir(store));
		goto done;
	}
	cJSON_AddStringToObject(body, "title", title ? title : "");
	cJSON_AddStringToObject(body, "party", party);
	cJSON_AddStringToObject(body, "member", key->pub.name);
	if (recovery)
		cJSON_AddStringToObject(body, "recovery", recovery);
	accord_body_add_key_type(body, &key->pub);
	f.author = &key->pub;
	f.seq = 1;
	f.lamport = 1;
	f.time = accord_time_now();
	f.type = "genesis";
	f.body = body;
	if ((error = append_raw(out_id, store, key, NULL, &f, NULL)) < 0)
		goto done;
	error = accord_store_config_set(store, "accord.ledger", out_id);
done:
	git_strarray_dispose(&refs);
	cJSON_Delete(body);
	return error;
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
						abort();
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
