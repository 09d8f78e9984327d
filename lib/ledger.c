#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accord/encode.h"
#include "accord/error.h"
#include "accord/index.h"
#include "accord/ledger.h"
#include "accord/schema.h"
#include "accord/sshsig.h"
#include "accord/timefmt.h"

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

/* The feed of the last entry_fail(), so callers such as sync can set that feed aside. */
static __thread char last_failed_feed[ACCORD_KEYID_HEXLEN + 1];

/* Message for a failed entry: "entry <commit> (feed <keyid>, seq N): reason". */
static int entry_fail(const git_oid *commit, const char *keyid, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int entry_fail(const git_oid *commit, const char *keyid, int64_t seq, const char *fmt, ...)
{
	char hex[GIT_OID_HEXSZ + 1], reason[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(last_failed_feed, sizeof(last_failed_feed), "%s", keyid);
	git_oid_tostr(hex, sizeof(hex), commit);
	if (seq > 0)
		return accord_error_set(ACCORD_EBADSIG, "entry %s (feed %s, seq %lld): %s", hex,
					keyid, (long long)seq, reason);
	return accord_error_set(ACCORD_EBADSIG, "entry %s (feed %s): %s", hex, keyid, reason);
}

/*
 * The expensive half of checking a commit: the signature and the entry's
 * parse. It touches no shared state, so load_feed runs it on several
 * threads; the cheap checks of the entry's place follow in order.
 */
struct prepared {
	int sig_error;     /* 0, or the code of accord_sshsig_verify */
	int parse_error;   /* 0, or the code of accord_entry_parse */
	char msg[640];     /* the reason for the first of those that failed */
	accord_pubkey signer;
	accord_entry *entry;
};

static void prepare_commit(struct prepared *p, const accord_commit *c)
{
	memset(p, 0, sizeof(*p));
	if (c->has_extra_headers || !c->signature.size)
		return; /* verify_prepared names these first */
	p->sig_error = accord_sshsig_verify(&p->signer, c->signature.ptr, c->signature.size, "git",
					    c->payload.ptr, c->payload.size);
	if (p->sig_error < 0) {
		snprintf(p->msg, sizeof(p->msg), "%s", accord_error_last());
		return;
	}
	p->parse_error = accord_entry_parse(&p->entry, c->message, c->message_len);
	if (p->parse_error < 0)
		snprintf(p->msg, sizeof(p->msg), "%s", accord_error_last());
}

/*
 * Check one commit of a feed, given its prepared half. `prev` is the entry
 * before it in the same feed (NULL for the first). The checks are ordered
 * so the most telling reason is reported: a changed entry byte shows as a
 * bad signature, not as a schema error. Takes p->entry.
 */
static int verify_prepared(accord_entry **out, const accord_commit *c, const char *feed,
			   const accord_entry *prev, int64_t expect_seq, struct prepared *p)
{
	const char *keyid = feed ? feed : "?";
	accord_pubkey signer = p->signer;
	accord_entry *e = p->entry;
	git_oid empty_tree;
	int error;

	p->entry = NULL;
	git_oid_fromstr(&empty_tree, ACCORD_EMPTY_TREE);
	if (c->has_extra_headers)
		return entry_fail(&c->id, keyid, expect_seq, "commit has unexpected headers");
	if (!c->signature.size)
		return entry_fail(&c->id, keyid, expect_seq, "commit is not signed");
	if (p->sig_error < 0)
		return entry_fail(&c->id, keyid, expect_seq, "bad signature: %s", p->msg);
	if (p->parse_error < 0)
		return entry_fail(&c->id, keyid, expect_seq, "invalid entry: %s", p->msg);
	git_oid_tostr(e->commit, sizeof(e->commit), &c->id);
	if (sodium_memcmp(signer.pk, e->author.pk, sizeof(signer.pk)) != 0) {
		error = entry_fail(&c->id, keyid, expect_seq,
				   "signed by key %s, but the entry names author %s", signer.id,
				   e->author.id);
		goto fail;
	}
	if (feed && strcmp(e->author.id, feed) != 0) {
		error = entry_fail(&c->id, keyid, expect_seq, "entry by %s stored in another key's feed",
				   e->author.id);
		goto fail;
	}
	if (!git_oid_equal(&c->tree, &empty_tree)) {
		error = entry_fail(&c->id, keyid, expect_seq, "commit tree is not the empty tree");
		goto fail;
	}
	if (c->committer_time != e->time) {
		error = entry_fail(&c->id, keyid, expect_seq, "commit time differs from entry time");
		goto fail;
	}
	if (expect_seq == 0) {
		/* A single entry read back (the index verified its place in the chain when it was added). */
		*out = e;
		return 0;
	}
	if (e->seq != expect_seq) {
		error = entry_fail(&c->id, keyid, expect_seq,
				   "sequence number %lld where %lld was expected (entry removed, reordered or replayed)",
				   (long long)e->seq, (long long)expect_seq);
		goto fail;
	}
	if (prev) {
		if (c->parent_count != 1 || strcmp(e->prev, prev->id) != 0) {
			error = entry_fail(&c->id, keyid, expect_seq,
					   "hash chain broken: prev does not name the previous entry %.16s",
					   prev->id);
			goto fail;
		}
		if (e->lamport <= prev->lamport) {
			error = entry_fail(&c->id, keyid, expect_seq, "Lamport clock does not increase");
			goto fail;
		}
	} else if (c->parent_count != 0 || e->prev[0]) {
		error = entry_fail(&c->id, keyid, expect_seq, "first entry of a feed has a predecessor");
		goto fail;
	}
	*out = e;
	return 0;
fail:
	accord_entry_free(e);
	return error;
}

int accord_ledger_verify_commit(accord_entry **out, const accord_commit *c, const char *feed,
				const accord_entry *prev, int64_t expect_seq)
{
	struct prepared p;

	prepare_commit(&p, c);
	return verify_prepared(out, c, feed, prev, expect_seq, &p);
}

/* Signature checks dominate loading: spread them over the cores. */
struct prepare_job {
	accord_commit **commits;
	struct prepared *prepared;
	size_t n;
	size_t next; /* shared counter */
	pthread_mutex_t lock;
};

static void *prepare_worker(void *arg)
{
	struct prepare_job *job = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&job->lock);
		i = job->next;
		job->next += 64;
		pthread_mutex_unlock(&job->lock);
		if (i >= job->n)
			return NULL;
		for (size_t k = i; k < i + 64 && k < job->n; k++)
			prepare_commit(&job->prepared[k], job->commits[k]);
	}
}

static void prepare_all(struct prepared *prepared, accord_commit **commits, size_t n)
{
	struct prepare_job job = { commits, prepared, n, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t threads[8];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int nthreads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus, started = 0, t;
	accord_schema_registry *reg;

	/* small feeds are not worth a thread; the schema registry is built before any starts */
	if (n < 256 || nthreads == 1 || accord_schema_builtin(&reg) < 0) {
		prepare_worker(&job);
		return;
	}
	for (t = 1; t < nthreads; t++)
		if (pthread_create(&threads[started], NULL, prepare_worker, &job) == 0)
			started++;
	prepare_worker(&job);
	for (t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
}

/* Read one feed from its head back to its root, then verify it from the root forward. */
static int load_feed(accord_ledger *l, accord_feed *feed, size_t *alloc)
{
	struct prepared *prepared = NULL;
	accord_commit **commits = NULL;
	size_t n = 0, nalloc = 0, i;
	git_oid at = feed->head;
	const accord_entry *prev = NULL;
	int error = 0;

	for (;;) {
		accord_commit *c = NULL;

		if ((error = accord_commit_read(&c, l->store, &at)) < 0) {
			error = entry_fail(&at, feed->keyid, 0, "%s", accord_error_last());
			goto done;
		}
		if (n == nalloc) {
			nalloc = nalloc ? nalloc * 2 : 64;
			if (!(commits = realloc(commits, nalloc * sizeof(*commits))))
				abort();
		}
		commits[n++] = c;
		if (c->parent_count == 0)
			break;
		if (c->parent_count > 1) {
			error = entry_fail(&c->id, feed->keyid, 0, "commit has %u parents",
					   c->parent_count);
			goto done;
		}
		at = c->parent;
	}
	if (!(prepared = calloc(n, sizeof(*prepared))))
		abort();
	prepare_all(prepared, commits, n);
	for (i = n; i-- > 0;) {
		accord_entry *e = NULL;

		if ((error = verify_prepared(&e, commits[i], feed->keyid, prev, (int64_t)(n - i),
					     &prepared[i])) < 0)
			goto done;
		push_entry(&l->entries, &l->count, alloc, e);
		prev = e;
	}
	feed->seq = (int64_t)n;
	feed->last = prev;
done:
	for (i = 0; i < n; i++) {
		accord_commit_free(commits[i]);
		if (prepared)
			accord_entry_free(prepared[i].entry); /* those not taken after a failure */
	}
	free(prepared);
	free(commits);
	return error;
}

int accord_ledger_order_cmp(const void *a, const void *b)
{
	const accord_entry *x = *(accord_entry *const *)a, *y = *(accord_entry *const *)b;
	int c;

	if (x->lamport != y->lamport)
		return x->lamport < y->lamport ? -1 : 1;
	if ((c = strcmp(x->author.id, y->author.id)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Every entry must name the ledger founded by the one genesis entry. */
static int check_ledger_id(accord_ledger *l)
{
	char *configured = NULL;
	size_t i;

	for (i = 0; i < l->count; i++) {
		const accord_entry *e = l->entries[i];

		if (strcmp(e->type, "genesis") != 0)
			continue;
		if (l->genesis) {
			git_oid c;

			git_oid_fromstr(&c, e->commit);
			return entry_fail(&c, e->author.id, e->seq,
					  "a second genesis entry (replayed from another ledger?)");
		}
		l->genesis = e;
	}
	if (!l->genesis)
		return accord_error_set(ACCORD_EBADSIG, "the ledger has no genesis entry");
	memcpy(l->id, l->genesis->id, sizeof(l->id));
	/* The id recorded at init or clone is the anchor: a different genesis is another ledger. */
	if (accord_store_config_get(&configured, l->store, "accord.ledger") == 0) {
		int same = strcmp(configured, l->id) == 0;

		free(configured);
		if (!same)
			return accord_error_set(ACCORD_EBADSIG,
						"genesis %.16s is not the genesis of this ledger (git config accord.ledger)",
						l->id);
	}
	for (i = 0; i < l->count; i++) {
		const accord_entry *e = l->entries[i];
		git_oid c;

		if (e == l->genesis || strcmp(e->ledger, l->id) == 0)
			continue;
		git_oid_fromstr(&c, e->commit);
		return entry_fail(&c, e->author.id, e->seq,
				  "entry belongs to another ledger (%.16s)", e->ledger);
	}
	return 0;
}

/* Replay membership in ledger order: each entry must be allowed by the state before it. */
static int check_authorization(accord_ledger *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		const accord_entry *e = l->entries[i];

		if (accord_parties_apply(&l->parties, e) < 0) {
			git_oid c;

			git_oid_fromstr(&c, e->commit);
			return entry_fail(&c, e->author.id, e->seq, "not authorized: %s",
					  accord_error_last());
		}
	}
	return 0;
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

		if (!accord_is_lower_hex(keyid, ACCORD_KEYID_HEXLEN)) {
			error = accord_error_set(ACCORD_EBADSIG, "ref %s is not a feed (expected %s<key id>)",
						 refs.strings[i], ACCORD_FEED_PREFIX);
			goto fail;
		}
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

int accord_ledger_load_heads(accord_ledger **out, accord_store *store, const accord_head *heads,
			     size_t count, char *failed_feed)
{
	accord_ledger *l = calloc(1, sizeof(*l));
	size_t alloc = 0, i;
	int error;

	last_failed_feed[0] = '\0';
	if (failed_feed)
		failed_feed[0] = '\0';
	if (!l)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	l->store = store;
	accord_parties_init(&l->parties);
	if (count == 0) {
		error = accord_error_set(ACCORD_ENOTFOUND,
					 "%s holds no ledger (create one with accord init)",
					 accord_store_gitdir(store));
		goto fail;
	}
	if (!(l->feeds = calloc(count, sizeof(*l->feeds)))) {
		error = accord_error_set(ACCORD_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < count; i++) {
		accord_feed *f = &l->feeds[l->feed_count++];

		memcpy(f->keyid, heads[i].keyid, sizeof(f->keyid));
		f->head = heads[i].head;
		if ((error = load_feed(l, f, &alloc)) < 0)
			goto fail;
	}
	qsort(l->entries, l->count, sizeof(*l->entries), accord_ledger_order_cmp);
	for (i = 0; i < l->count; i++)
		if (l->entries[i]->lamport > l->max_lamport)
			l->max_lamport = l->entries[i]->lamport;
	if ((error = check_ledger_id(l)) < 0 || (error = check_authorization(l)) < 0)
		goto fail;
	*out = l;
	return 0;
fail:
	if (failed_feed)
		memcpy(failed_feed, last_failed_feed, sizeof(last_failed_feed));
	accord_ledger_free(l);
	return error;
}

int accord_ledger_load(accord_ledger **out, accord_store *store)
{
	accord_head *heads = NULL;
	size_t count = 0;
	int error;

	if ((error = accord_ledger_local_heads(&heads, &count, store)) < 0)
		return error;
	error = accord_ledger_load_heads(out, store, heads, count, NULL);
	free(heads);
	return error;
}

void accord_ledger_free(accord_ledger *ledger)
{
	size_t i;

	if (!ledger)
		return;
	for (i = 0; i < ledger->count; i++)
		accord_entry_free(ledger->entries[i]);
	for (i = 0; i < ledger->orphan_count; i++)
		accord_entry_free(ledger->orphans[i]);
	free(ledger->orphans);
	free(ledger->entries);
	free(ledger->feeds);
	accord_parties_dispose(&ledger->parties);
	accord_index_free(ledger->index);
	free(ledger);
}

const accord_feed *accord_ledger_feed(const accord_ledger *ledger, const char *keyid)
{
	size_t i;

	for (i = 0; i < ledger->feed_count; i++)
		if (strcmp(ledger->feeds[i].keyid, keyid) == 0)
			return &ledger->feeds[i];
	return NULL;
}

const accord_entry *accord_ledger_entry(const accord_ledger *ledger, const char *id)
{
	size_t i;

	for (i = 0; i < ledger->count; i++)
		if (strcmp(ledger->entries[i]->id, id) == 0)
			return ledger->entries[i];
	return NULL;
}

int accord_ledger_find_incident(const accord_entry **out, const accord_ledger *ledger,
				const char *prefix)
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

size_t accord_ledger_short_len(const accord_ledger *ledger)
{
	const accord_entry **opens = NULL;
	size_t n = 0, i, len = 8;

	opens = calloc(ledger->count + 1, sizeof(*opens));
	if (!opens)
		return ACCORD_ID_HEXLEN;
	for (i = 0; i < ledger->count; i++)
		if (strcmp(ledger->entries[i]->type, "open") == 0)
			opens[n++] = ledger->entries[i];
	/* Quadratic, but only over incidents; grow until every pair differs. */
	for (i = 0; i < n; i++) {
		size_t j;

		for (j = i + 1; j < n; j++) {
			size_t k = 0;

			while (k < ACCORD_ID_HEXLEN && opens[i]->id[k] == opens[j]->id[k])
				k++;
			if (k + 1 > len)
				len = k + 1;
		}
	}
	free(opens);
	return len;
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
			accord_entry **no = realloc(l->orphans, (l->orphan_count + 1) * sizeof(*no));

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

int accord_ledger_append(char *out_id, accord_ledger *ledger, const accord_key *key,
			 const char *type, const char *incident, const cJSON *body)
{
	const accord_feed *feed = accord_ledger_feed(ledger, key->pub.id);
	accord_entry_fields f = { 0 };
	int64_t now = accord_time_now();
	int error;

	if ((error = accord_index_check_feed(ledger, key->pub.id, feed ? feed->seq : 0)) < 0)
		return error;

	f.ledger = ledger->id;
	f.author = &key->pub;
	f.seq = feed ? feed->seq + 1 : 1;
	f.prev = feed ? feed->last->id : NULL;
	f.lamport = ledger->max_lamport + 1;
	/* Time never runs backwards within a feed, even if the clock does. */
	f.time = feed && feed->last->time > now ? feed->last->time : now;
	f.type = type;
	f.incident = incident;
	f.body = body;
	return append_raw(out_id, ledger->store, key, feed, &f, ledger);
}

int accord_ledger_create(char *out_id, accord_store *store, const accord_key *key,
			 const char *party, const char *title)
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
