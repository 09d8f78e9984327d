/* The verification engine called directly: verdicts, findings and containment on real feeds. */
#include <unistd.h>

#include "helpers.h"

#include "causal.h"
#include "verify_impl.h"

static const char *open_body =
	"{\"title\":\"t\",\"severity\":2,\"service\":\"web\","
	"\"started_at\":\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}";

typedef struct {
	th_fixture *base;
	char inc[ACCORD_ID_HEXLEN + 1];	     /* alice's incident */
	char notes[2][ACCORD_ID_HEXLEN + 1]; /* two notes on it */
	char ledger[ACCORD_ID_HEXLEN + 1];
	accord_key *bob; /* a key of no party */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	void *base = NULL;
	th_fixture *b;

	assert_non_null(f);
	th_fixture_setup(&base);
	f->base = b = base;
	/* genesis, an incident and two notes: seq 1 to 4 on alice's feed */
	assert_int_equal(th_append(f->inc, b->store, b->alice, "open", NULL, open_body), 0);
	assert_int_equal(
		th_append(f->notes[0], b->store, b->alice, "note", f->inc, "{\"text\":\"one\"}"),
		0);
	assert_int_equal(
		th_append(f->notes[1], b->store, b->alice, "note", f->inc, "{\"text\":\"two\"}"),
		0);
	f->bob = th_key(b->dir, "bob");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	void *base = f->base;

	accord_key_free(f->bob);
	free(f);
	return th_fixture_teardown(&base);
}

static accord_verification *verify(fixture *f)
{
	accord_verification *v = NULL;

	assert_int_equal(accord_verify_refs(&v, f->base->store, NULL), 0);
	assert_non_null(v);
	return v;
}

/* The finding of `kind` on `feed` at `seq`, or NULL. */
static const accord_finding *finding(const accord_verification *v, accord_audit_kind kind,
				     const char *feed, int64_t seq)
{
	for (size_t i = 0; i < v->finding_count; i++)
		if (v->findings[i].kind == kind && !strcmp(v->findings[i].feed, feed) &&
		    v->findings[i].seq == seq)
			return &v->findings[i];
	return NULL;
}

static void expect_finding(const accord_verification *v, accord_audit_kind kind, const char *feed,
			   int64_t seq)
{
	if (finding(v, kind, feed, seq))
		return;
	fail_msg("no %s finding at seq %lld (%zu findings, first: %s: %s)",
		 accord_audit_kind_name(kind), (long long)seq, v->finding_count,
		 v->finding_count ? accord_audit_kind_name(v->findings[0].kind) : "none",
		 v->finding_count ? v->findings[0].explanation : "");
}

/* The finding of `kind` whose explanation holds `word`, or NULL. */
static const accord_finding *explained(const accord_verification *v, accord_audit_kind kind,
				       const char *word)
{
	for (size_t i = 0; i < v->finding_count; i++)
		if (v->findings[i].kind == kind && strstr(v->findings[i].explanation, word))
			return &v->findings[i];
	return NULL;
}

/* Entry bytes by `author` of this ledger: a note on alice's incident. */
static void note_bytes(accord_buf *out, fixture *f, const accord_key *author, int64_t seq,
		       const char *prev, int64_t lamport, int64_t time, const char *text)
{
	accord_entry_fields ef = { 0 };
	cJSON *body = cJSON_CreateObject();

	assert_non_null(body);
	assert_non_null(cJSON_AddStringToObject(body, "text", text));
	ef.ledger = f->ledger;
	ef.author = &author->pub;
	ef.seq = seq;
	ef.prev = prev;
	ef.lamport = lamport;
	ef.time = time;
	ef.type = "note";
	ef.incident = f->inc;
	ef.body = body;
	assert_int_equal(accord_entry_build(out, &ef), 0);
	cJSON_Delete(body);
}

/* Write `entry` as a commit on `parent` signed by `signer`, and point `ref` at it. */
static void put(git_oid *out, fixture *f, const char *ref, const git_oid *parent,
		const accord_key *signer, const accord_buf *entry, int64_t time)
{
	accord_buf raw = ACCORD_BUF_INIT;
	git_odb *odb = NULL;
	git_repository *repo = accord_store_repo(f->base->store);

	assert_int_equal(accord_commit_signed(&raw, parent, signer, entry->ptr, entry->size, time),
			 0);
	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_int_equal(git_odb_write(out, odb, raw.ptr, raw.size, GIT_OBJECT_COMMIT), 0);
	git_odb_free(odb);
	assert_int_equal(git_reference_create(NULL, repo, ref, out, 1, NULL), 0);
	accord_buf_dispose(&raw);
}

/* Alice's head: its commit, entry id, lamport and time (from a clean verification). */
typedef struct {
	git_oid commit;
	char id[ACCORD_ID_HEXLEN + 1];
	int64_t seq, lamport, time;
} tip;

static void alice_tip(tip *t, fixture *f)
{
	accord_verification *v = verify(f);
	const accord_verified_feed *feed = accord_verification_feed(v, f->base->alice->pub.id);

	assert_non_null(feed);
	assert_non_null(feed->last);
	memcpy(f->ledger, v->ledger, sizeof(f->ledger));
	t->commit = feed->valid_head;
	memcpy(t->id, feed->last->id, sizeof(t->id));
	t->seq = feed->last->seq;
	t->lamport = feed->last->lamport;
	t->time = feed->last->time;
	accord_verification_free(v);
}

static void test_verify_clean_ledger(void **state)
{
	fixture *f = *state;
	const char *alice = f->base->alice->pub.id;
	accord_verification *v = verify(f), *w = NULL;
	const accord_verified_feed *feed;
	const accord_verified_item *item;
	accord_head head;

	assert_int_equal(v->finding_count, 0);
	assert_int_equal(v->count, 4);
	assert_int_equal(v->read, 4);
	assert_int_equal(v->left_out, 0);
	assert_non_null(v->genesis);
	assert_string_equal(v->ledger, v->genesis->id);
	assert_string_equal(v->title, "test");
	assert_string_equal(v->entries[0]->type, "genesis");
	assert_string_equal(v->entries[1]->id, f->inc);
	assert_string_equal(v->entries[3]->id, f->notes[1]);

	assert_int_equal(v->feed_count, 1);
	assert_non_null(feed = accord_verification_feed(v, alice));
	assert_null(accord_verification_feed(v, f->bob->pub.id));
	assert_int_equal(feed->count, 4);
	assert_int_equal(feed->valid, 4);
	assert_int_equal(feed->kept, 4);
	for (size_t i = 0; i < feed->count; i++) {
		assert_int_equal(feed->items[i].seq, (int64_t)i + 1);
		assert_int_equal(feed->items[i].verdict, ACCORD_VERDICT_VALID);
	}
	assert_non_null(item = accord_verified_feed_item(feed, 3));
	assert_string_equal(item->id, f->notes[0]);
	assert_null(accord_verified_feed_item(feed, 5));
	assert_null(accord_verified_feed_item(feed, 0));
	assert_true(accord_verification_counts(v, alice, 3, f->notes[0]));
	assert_false(accord_verification_counts(v, alice, 3, f->notes[1]));
	assert_false(accord_verification_counts(v, alice, 5, f->notes[1]));
	assert_false(accord_verification_counts(v, f->bob->pub.id, 1, f->notes[0]));

	/*
	 * the run numbered every entry it held (the slot that finds its record
	 * without hashing its id): 1 to 4, each once, in ledger order here
	 */
	for (size_t i = 0; i < v->count; i++)
		assert_int_equal(v->entries[i]->slot, i + 1);

	/* the causal graph of what was read */
	assert_non_null(v->causal);
	assert_int_equal(accord_causal_seen(v->causal, f->notes[1], alice), 4);

	/* heads that are no refs: the ledger as of alice's third entry */
	memcpy(head.keyid, alice, sizeof(head.keyid));
	assert_int_equal(git_oid_fromstr(&head.head, item->commit), 0);
	assert_int_equal(accord_verify_heads(&w, f->base->store, &head, 1, NULL), 0);
	assert_int_equal(w->finding_count, 0);
	assert_int_equal(w->count, 3);
	assert_string_equal(w->ledger, v->ledger);
	assert_false(accord_verification_counts(w, alice, 4, f->notes[1]));
	accord_verification_free(w);
	accord_verification_free(v);
	accord_verification_free(NULL);
}

static void test_verify_threads_agree(void **state)
{
	fixture *f = *state;
	accord_verify_options o = ACCORD_VERIFY_OPTIONS_INIT;
	accord_verification *one = NULL, *many = NULL;

	o.threads = 1;
	o.no_signature_cache = 1;
	assert_int_equal(accord_verify_refs(&one, f->base->store, &o), 0);
	o.threads = 4;
	o.lean = 1;
	assert_int_equal(accord_verify_refs(&many, f->base->store, &o), 0);
	assert_int_equal(one->count, many->count);
	for (size_t i = 0; i < one->count; i++)
		assert_string_equal(one->entries[i]->id, many->entries[i]->id);
	/* lean: the same verdicts, without the raw bytes */
	assert_non_null(one->entries[3]->raw);
	assert_null(many->entries[3]->raw);
	accord_verification_free(one);
	accord_verification_free(many);
}

static void test_verify_nothing_to_verify(void **state)
{
	fixture *f = *state;
	accord_store *empty = NULL;
	accord_verification *v = NULL;
	char path[600];

	snprintf(path, sizeof(path), "%s/empty", f->base->dir);
	assert_int_equal(accord_store_open_or_init(&empty, path), 0);
	assert_int_equal(accord_verify_refs(&v, empty, NULL), ACCORD_ENOTFOUND);
	assert_null(v);
	accord_store_free(empty);
}

static void test_verify_wrong_signer_is_contained(void **state)
{
	fixture *f = *state;
	const char *alice = f->base->alice->pub.id;
	accord_buf e5 = ACCORD_BUF_INIT, e6 = ACCORD_BUF_INIT;
	accord_entry *parsed = NULL;
	accord_verification *v;
	const accord_verified_feed *feed;
	git_oid c5, c6;
	tip t;

	/* alice's next entry, signed by bob; then alice's own after it */
	alice_tip(&t, f);
	note_bytes(&e5, f, f->base->alice, 5, t.id, t.lamport + 1, t.time + 1, "not mine");
	put(&c5, f, f->base->feed, &t.commit, f->bob, &e5, t.time + 1);
	assert_int_equal(accord_entry_parse(&parsed, e5.ptr, e5.size), 0);
	note_bytes(&e6, f, f->base->alice, 6, parsed->id, t.lamport + 2, t.time + 2, "after");
	put(&c6, f, f->base->feed, &c5, f->base->alice, &e6, t.time + 2);

	v = verify(f);
	expect_finding(v, ACCORD_AUDIT_WRONG_SIGNER, alice, 5);
	assert_non_null(strstr(finding(v, ACCORD_AUDIT_WRONG_SIGNER, alice, 5)->explanation,
			       f->bob->pub.id));
	feed = accord_verification_feed(v, alice);
	assert_non_null(feed);
	assert_int_equal(feed->count, 6);
	assert_int_equal(feed->valid, 4);
	assert_true(git_oid_equal(&feed->valid_head, &t.commit));
	assert_int_equal(feed->items[4].verdict, ACCORD_VERDICT_INVALID);
	assert_int_equal(feed->items[5].verdict, ACCORD_VERDICT_FOLLOWS);
	/* the rest of the ledger counts */
	assert_int_equal(v->count, 4);
	assert_int_equal(v->left_out, 2);
	assert_false(accord_verification_counts(v, alice, 5, parsed->id));
	assert_true(accord_verification_counts(v, alice, 4, f->notes[1]));
	accord_verification_free(v);
	accord_entry_free(parsed);
	accord_buf_dispose(&e5);
	accord_buf_dispose(&e6);
}

static void test_verify_chain_faults(void **state)
{
	fixture *f = *state;
	const char *alice = f->base->alice->pub.id;
	accord_buf e = ACCORD_BUF_INIT;
	accord_verification *v;
	git_oid c;
	tip t;

	alice_tip(&t, f);

	/* seq 6 after seq 4: an entry is missing */
	note_bytes(&e, f, f->base->alice, 6, t.id, t.lamport + 1, t.time + 1, "skips");
	put(&c, f, f->base->feed, &t.commit, f->base->alice, &e, t.time + 1);
	v = verify(f);
	expect_finding(v, ACCORD_AUDIT_ENTRY_MISSING, alice, 6);
	assert_int_equal(accord_verification_feed(v, alice)->valid, 4);
	accord_verification_free(v);

	/* prev names something else */
	note_bytes(&e, f, f->base->alice, 5, f->notes[0], t.lamport + 1, t.time + 1, "wrong prev");
	put(&c, f, f->base->feed, &t.commit, f->base->alice, &e, t.time + 1);
	v = verify(f);
	expect_finding(v, ACCORD_AUDIT_CHAIN_BROKEN, alice, 5);
	accord_verification_free(v);

	/* a Lamport clock that does not increase */
	note_bytes(&e, f, f->base->alice, 5, t.id, t.lamport, t.time + 1, "same clock");
	put(&c, f, f->base->feed, &t.commit, f->base->alice, &e, t.time + 1);
	v = verify(f);
	expect_finding(v, ACCORD_AUDIT_CHAIN_BROKEN, alice, 5);
	accord_verification_free(v);

	/* a clock beyond the limit: it would leave none for anyone's next entry */
	note_bytes(&e, f, f->base->alice, 5, t.id, ACCORD_LAMPORT_MAX + 1, t.time + 1, "far");
	put(&c, f, f->base->feed, &t.commit, f->base->alice, &e, t.time + 1);
	v = verify(f);
	expect_finding(v, ACCORD_AUDIT_CHAIN_BROKEN, alice, 5);
	assert_non_null(explained(v, ACCORD_AUDIT_CHAIN_BROKEN, "beyond"));
	accord_verification_free(v);

	/* time running backwards */
	note_bytes(&e, f, f->base->alice, 5, t.id, t.lamport + 1, t.time - 60, "earlier");
	put(&c, f, f->base->feed, &t.commit, f->base->alice, &e, t.time - 60);
	v = verify(f);
	expect_finding(v, ACCORD_AUDIT_TIME_BACKWARDS, alice, 5);
	assert_int_equal(accord_verification_feed(v, alice)->valid, 4);
	accord_verification_free(v);

	/* and the same entry done right counts */
	note_bytes(&e, f, f->base->alice, 5, t.id, t.lamport + 1, t.time + 1, "fine");
	put(&c, f, f->base->feed, &t.commit, f->base->alice, &e, t.time + 1);
	v = verify(f);
	assert_int_equal(v->finding_count, 0);
	assert_int_equal(accord_verification_feed(v, alice)->valid, 5);
	accord_verification_free(v);
	accord_buf_dispose(&e);
}

static void test_verify_unknown_key(void **state)
{
	fixture *f = *state;
	accord_buf e = ACCORD_BUF_INIT, ref = ACCORD_BUF_INIT;
	accord_verification *v;
	git_oid c;
	tip t;

	/* bob, a member of no party, writes a well-signed note on his own feed */
	alice_tip(&t, f);
	note_bytes(&e, f, f->bob, 1, NULL, 1, t.time + 1, "let me in");
	accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, f->bob->pub.id);
	put(&c, f, ref.ptr, NULL, f->bob, &e, t.time + 1);
	v = verify(f);
	expect_finding(v, ACCORD_AUDIT_UNKNOWN_KEY, f->bob->pub.id, 1);
	assert_int_equal(v->count, 4);
	assert_false(accord_verification_counts(v, f->bob->pub.id, 1, NULL));
	assert_int_equal(accord_verification_feed(v, f->base->alice->pub.id)->valid, 4);
	accord_verification_free(v);
	accord_buf_dispose(&e);
	accord_buf_dispose(&ref);
}

static void test_verify_commit_alone(void **state)
{
	fixture *f = *state;
	accord_verification *v = verify(f);
	const accord_verified_feed *feed = accord_verification_feed(v, f->base->alice->pub.id);
	accord_commit *c = NULL;
	accord_entry *e = NULL;
	accord_finding fd;
	git_oid id;
	char *at;

	assert_int_equal(git_oid_fromstr(&id, feed->items[3].commit), 0);
	assert_int_equal(accord_commit_read(&c, f->base->store, &id), 0);

	/* in its place: seq 4 after the entry of seq 3 */
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(accord_verify_commit(&e, &fd, c, f->base->alice->pub.id, v->entries[2], 4),
			 0);
	assert_string_equal(e->id, f->notes[1]);
	accord_entry_free(e);
	e = NULL;
	/* re-read on its own: no seq or feed check */
	assert_int_equal(accord_verify_commit(&e, NULL, c, NULL, NULL, 0), 0);
	assert_string_equal(e->id, f->notes[1]);
	accord_entry_free(e);
	e = NULL;

	/* in bob's feed, or at another seq: refused with a finding */
	assert_int_equal(accord_verify_commit(&e, &fd, c, f->bob->pub.id, v->entries[2], 4),
			 ACCORD_EBADSIG);
	assert_null(e);
	assert_int_equal(fd.kind, ACCORD_AUDIT_WRONG_FEED);
	accord_finding_dispose(&fd);
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(accord_verify_commit(&e, &fd, c, f->base->alice->pub.id, v->entries[1], 3),
			 ACCORD_EBADSIG);
	assert_null(e);
	assert_non_null(fd.explanation);
	accord_finding_dispose(&fd);

	/* one byte of the entry changed after signing */
	at = strstr(c->payload.ptr, "\"text\":\"two\"");
	assert_non_null(at);
	at[9] = 'T';
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(accord_verify_commit(&e, &fd, c, NULL, NULL, 0), ACCORD_EBADSIG);
	assert_null(e);
	assert_int_equal(fd.kind, ACCORD_AUDIT_SIGNATURE_MISMATCH);
	accord_finding_dispose(&fd);

	accord_commit_free(c);
	accord_verification_free(v);
}

/* Alice's commits of seq 2 to 1 + n, oldest first, read from her feed `feed`. */
static accord_commit **alice_commits(fixture *f, const accord_verified_feed *feed, size_t n)
{
	accord_commit **c = calloc(n, sizeof(*c));
	git_oid id;

	assert_non_null(c);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(git_oid_fromstr(&id, feed->items[i + 1].commit), 0);
		assert_int_equal(accord_commit_read(&c[i], f->base->store, &id), 0);
	}
	return c;
}

static void free_entries(accord_entry **e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		accord_entry_free(e[i]);
}

/*
 * Issue 14: a chain of new commits, as a catch-up, sync or the hook takes
 * it, checked on every core: the same entries and verdicts as commit by
 * commit, each commit checked once, and the first fault stops the chain
 * there, whichever thread met it.
 */
static void test_verify_chain_of_commits(void **state)
{
	enum { N = 100 };
	fixture *f = *state;
	const char *alice = f->base->alice->pub.id;
	accord_verification *v;
	const accord_verified_feed *feed;
	accord_entry *out[N];
	accord_commit **c;
	accord_finding fd;
	th_writer w;
	size_t i, checks, threads;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char *at;

	th_writer_start(&w, f->base->store);
	for (i = 4; i < N + 1; i++)
		th_write_ok(&w, NULL, f->base->alice, "note", f->inc, "{\"text\":\"more\"}");
	th_writer_end(&w);
	v = verify(f);
	assert_non_null(feed = accord_verification_feed(v, alice));
	assert_int_equal(feed->valid, N + 1);

	/* every commit after the genesis, checked once each */
	c = alice_commits(f, feed, N);
	checks = accord_verify_pass1_count();
	threads = accord_verify_thread_count();
	assert_int_equal(accord_verify_chain(out, NULL, c, N, alice, v->entries[0], 2), 0);
	assert_int_equal(accord_verify_pass1_count() - checks, N);
	/* on every core (up to 8): a thread beside this one for each other core it could start */
	threads = accord_verify_thread_count() - threads;
	assert_true(threads <= (size_t)(cpus < 8 ? cpus : 8) - 1);
	assert_true(cpus < 2 || threads >= 1);
	for (i = 0; i < N; i++) {
		assert_null(c[i]); /* taken */
		assert_non_null(out[i]);
		assert_string_equal(out[i]->id, feed->items[i + 1].id);
		assert_string_equal(out[i]->commit, feed->items[i + 1].commit);
		assert_int_equal(out[i]->seq, (int64_t)i + 2);
	}
	free_entries(out, N);
	free(c);

	/* one byte changed after signing, deep in the chain: the entries before it, none after */
	c = alice_commits(f, feed, N);
	at = strstr(c[70]->payload.ptr, "\"text\":\"more\"");
	assert_non_null(at);
	at[9] = 'M';
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(accord_verify_chain(out, &fd, c, N, alice, v->entries[0], 2),
			 ACCORD_EBADSIG);
	assert_int_equal(fd.kind, ACCORD_AUDIT_SIGNATURE_MISMATCH);
	assert_string_equal(fd.commit, feed->items[71].commit);
	accord_finding_dispose(&fd);
	for (i = 0; i < N; i++)
		if (i < 70)
			assert_string_equal(out[i]->id, feed->items[i + 1].id);
		else
			assert_null(out[i]);
	free_entries(out, N);
	free(c);

	/* two commits swapped: a reordering, found at the first out of place */
	c = alice_commits(f, feed, N);
	{
		accord_commit *t = c[40];

		c[40] = c[41];
		c[41] = t;
	}
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(accord_verify_chain(out, &fd, c, N, alice, v->entries[0], 2),
			 ACCORD_EBADSIG);
	assert_int_equal(fd.kind, ACCORD_AUDIT_REORDERED);
	assert_int_equal(fd.seq, 43);
	accord_finding_dispose(&fd);
	assert_non_null(out[39]);
	assert_null(out[40]);
	free_entries(out, N);
	free(c);

	/* the chain must follow `prev`: the same commits after another entry, or in another feed */
	c = alice_commits(f, feed, N);
	assert_int_equal(accord_verify_chain(out, NULL, c, N, alice, v->entries[1], 2),
			 ACCORD_EBADSIG);
	assert_null(out[0]);
	free(c);
	c = alice_commits(f, feed, N);
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(accord_verify_chain(out, &fd, c, N, f->bob->pub.id, v->entries[0], 2),
			 ACCORD_EBADSIG);
	assert_int_equal(fd.kind, ACCORD_AUDIT_WRONG_FEED);
	accord_finding_dispose(&fd);
	assert_null(out[0]);
	free(c);
	accord_verification_free(v);
}

static void test_verify_findings_added_sorted(void **state)
{
	fixture *f = *state;
	accord_verification *v = verify(f);
	const accord_verified_feed *feed = accord_verification_feed(v, f->base->alice->pub.id);
	const char *alice = f->base->alice->pub.id;

	accord_verification_add(v, ACCORD_AUDIT_SPLIT_VIEW, alice, &feed->items[3], NULL,
				"checkpoint %d", 2);
	accord_verification_add(v, ACCORD_AUDIT_ROLLBACK, alice, &feed->items[1], NULL, "back");
	accord_verification_add(v, ACCORD_AUDIT_UNKNOWN_REF, "", NULL, "refs/accord/junk",
				"outside the layout");
	accord_verification_sort(v);
	assert_int_equal(v->finding_count, 3);
	/* by feed, then seq; findings about no feed last */
	assert_int_equal(v->findings[0].kind, ACCORD_AUDIT_ROLLBACK);
	assert_int_equal(v->findings[0].seq, 2);
	assert_string_equal(v->findings[0].commit, feed->items[1].commit);
	assert_int_equal(v->findings[1].kind, ACCORD_AUDIT_SPLIT_VIEW);
	assert_string_equal(v->findings[1].explanation, "checkpoint 2");
	assert_int_equal(v->findings[2].kind, ACCORD_AUDIT_UNKNOWN_REF);
	assert_string_equal(v->findings[2].ref, "refs/accord/junk");
	assert_string_equal(v->findings[2].feed, "");
	/* labelled with the member, not left blank */
	assert_non_null(strstr(v->findings[1].label, "acme"));
	accord_verification_free(v);

	/* every kind has a stable name and a summary */
	for (int k = 0; k < ACCORD_AUDIT_KIND_COUNT; k++) {
		assert_non_null(accord_audit_kind_name((accord_audit_kind)k));
		assert_non_null(accord_audit_kind_summary((accord_audit_kind)k));
	}
	assert_string_equal(accord_audit_kind_name(ACCORD_AUDIT_WRONG_SIGNER), "wrong-signer");
	assert_true(accord_audit_kind_sets_aside(ACCORD_AUDIT_PAST_CUT));
	assert_false(accord_audit_kind_sets_aside(ACCORD_AUDIT_WRONG_SIGNER));
}

/*
 * At the round cap, only the decisions (COVER_STEPS raises) the last two
 * rounds both kept stay: a swing ends the same whichever round the cap
 * falls on, and undoes no decision that did not swing (attack67 01).
 */
static void test_verify_settle_decisions(void **state)
{
	accord_idmap now[2] = { ACCORD_IDMAP_INIT, ACCORD_IDMAP_INIT };
	accord_idmap prev[2] = { ACCORD_IDMAP_INIT, ACCORD_IDMAP_INIT };
	int64_t tops[2] = { 5, 4 };
	struct round rd;
	struct run r;
	size_t i;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&rd, 0, sizeof(rd));
	r.nfeeds = 2;
	rd.raised[COVER_STEPS] = now;
	rd.prev_steps = prev;
	rd.steps_top = tops;
	/*
	 * feed 0: inc1 kept to seq 5 both times; inc2 swinging between two
	 * decisions (to 3, then to 2: the earlier one both rounds kept, attack71
	 * 01); inc4 raised this round only
	 */
	accord_idmap_put(&now[0], "inc1", (void *)(uintptr_t)5);
	accord_idmap_put(&now[0], "inc2", (void *)(uintptr_t)3);
	accord_idmap_put(&now[0], "inc4", (void *)(uintptr_t)6);
	accord_idmap_put(&prev[0], "inc1", (void *)(uintptr_t)5);
	accord_idmap_put(&prev[0], "inc2", (void *)(uintptr_t)2);
	/* feed 1: inc3 kept to seq 4 both times; inc5 raised the round before only */
	accord_idmap_put(&now[1], "inc3", (void *)(uintptr_t)4);
	accord_idmap_put(&prev[1], "inc3", (void *)(uintptr_t)4);
	accord_idmap_put(&prev[1], "inc5", (void *)(uintptr_t)7);
	assert_int_equal(accord_verify_settle_decisions(&r, &rd), 1);
	assert_int_equal(now[0].count, 2);
	assert_ptr_equal(accord_idmap_get(&now[0], "inc1"), (void *)(uintptr_t)5);
	assert_ptr_equal(accord_idmap_get(&now[0], "inc2"), (void *)(uintptr_t)2);
	assert_null(accord_idmap_get(&now[0], "inc4"));
	assert_int_equal(tops[0], 5);
	assert_int_equal(now[1].count, 1);
	assert_null(accord_idmap_get(&now[1], "inc5"));
	assert_int_equal(tops[1], 4);
	/* what is left was kept both times: nothing more to drop */
	accord_idmap_dispose(&prev[0]);
	accord_idmap_put(&prev[0], "inc1", (void *)(uintptr_t)5);
	accord_idmap_put(&prev[0], "inc2", (void *)(uintptr_t)2);
	assert_int_equal(accord_verify_settle_decisions(&r, &rd), 0);
	assert_int_equal(now[0].count + now[1].count, 3);
	for (i = 0; i < 2; i++) {
		accord_idmap_dispose(&now[i]);
		accord_idmap_dispose(&prev[i]);
	}
}

/*
 * An entry's record is found by the number the run gave it (its `held`),
 * checked against the entry: a number another run left, or one past the
 * run's records, names nothing here, and the lookup goes by id and feed
 * as before. Without the check, a copy of an entry (same id, another
 * struct) would be taken for the one this run holds.
 */
static void test_verify_item_of_checks_slot(void **state)
{
	accord_entry e, copy, stray;
	struct item it, *held[1];
	struct run r;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&it, 0, sizeof(it));
	memset(&e, 0, sizeof(e));
	memset(&e.id, 'a', ACCORD_ID_HEXLEN);
	memset(&e.author.id, 'b', ACCORD_KEYID_HEXLEN);
	e.seq = 1;
	it.e = &e;
	held[0] = &it;
	r.slots = held;
	r.nslots = 1;
	e.slot = 1;
	assert_ptr_equal(accord_verify_item_of(&r, &e), &it);
	copy = e; /* the same bytes and number, another entry */
	assert_null(accord_verify_item_of(&r, &copy));
	stray = e;
	stray.slot = 2; /* past the run's records */
	assert_null(accord_verify_item_of(&r, &stray));
	/* by id, as before the number: the entry held, not its copy */
	e.slot = 0;
	accord_idmap_put(&r.byid, e.id, &it);
	assert_ptr_equal(accord_verify_item_of(&r, &e), &it);
	assert_null(accord_verify_item_of(&r, &copy));
	accord_idmap_dispose(&r.byid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verify_clean_ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_threads_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_nothing_to_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_wrong_signer_is_contained, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_chain_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_unknown_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_commit_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_chain_of_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_findings_added_sorted, setup, teardown),
		cmocka_unit_test(test_verify_settle_decisions),
		cmocka_unit_test(test_verify_item_of_checks_slot),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
