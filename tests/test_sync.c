/* Sync's pure parts: feed relations, the verification loop, rollbacks, hub checks. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#include "accord/sync.h"
#include "sync_impl.h" /* accord_sync_classify_counting, accord_sync_count_new */

typedef th_fixture fixture;
#define setup th_fixture_setup
#define teardown th_fixture_teardown

static void head(git_oid *out, fixture *f)
{
	assert_int_equal(accord_store_ref_get(out, f->store, f->feed), 0);
}

/* An incident to hang notes on; returns the feed head after it. */
static void open_incident(char *id, fixture *f)
{
	assert_int_equal(
		th_append(
			id, f->store, f->alice, "open", NULL,
			"{\"title\":\"t\",\"severity\":2,\"service\":\"web\","
			"\"started_at\":\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		0);
}

/* A commit by `key` with parent `parent`, written without moving any feed ref. */
static void side_commit(git_oid *out, fixture *f, const git_oid *parent, const char *entry)
{
	git_reference *ref = NULL;

	/* A scratch ref, so accord_store_append's compare-and-swap has something to move. */
	if (parent)
		assert_int_equal(git_reference_create(&ref, accord_store_repo(f->store),
						      "refs/test/side", parent, 1, NULL),
				 0);
	git_reference_free(ref);
	assert_int_equal(accord_store_append(out, f->store, "refs/test/side", parent, entry,
					     strlen(entry), f->alice, 1700000000),
			 0);
}

static void test_sync_classify(void **state)
{
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1];
	git_oid h1, h2, side;
	accord_sync_relation rel;

	head(&h1, f);
	open_incident(inc, f);
	head(&h2, f);
	assert_int_equal(accord_sync_classify(&rel, f->store, &h1, &h1), 0);
	assert_int_equal(rel, ACCORD_SYNC_EQUAL);
	assert_int_equal(accord_sync_classify(&rel, f->store, &h1, &h2), 0);
	assert_int_equal(rel, ACCORD_SYNC_AHEAD);
	assert_int_equal(accord_sync_classify(&rel, f->store, &h2, &h1), 0);
	assert_int_equal(rel, ACCORD_SYNC_BEHIND);
	assert_int_equal(accord_sync_classify(&rel, f->store, NULL, &h1), 0);
	assert_int_equal(rel, ACCORD_SYNC_NEW);
	assert_int_equal(accord_sync_classify(&rel, f->store, &h1, NULL), 0);
	assert_int_equal(rel, ACCORD_SYNC_MISSING);
	side_commit(&side, f, &h1, "{\"not\":\"an entry, but a commit\"}");
	assert_int_equal(accord_sync_classify(&rel, f->store, &h2, &side), 0);
	assert_int_equal(rel, ACCORD_SYNC_FORK);
	assert_int_not_equal(accord_sync_classify(&rel, f->store, NULL, NULL), 0);
}

/* The walk that finds our head on the remote's chain counts the new commits (sync's "fetched"). */
static void test_sync_classify_counting(void **state)
{
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1];
	git_oid h1, h2, h4, side;
	accord_sync_relation rel;
	size_t ahead = 99;

	head(&h1, f);
	open_incident(inc, f);
	head(&h2, f);
	open_incident(inc, f);
	open_incident(inc, f);
	head(&h4, f);
	assert_int_equal(accord_sync_classify_counting(&rel, &ahead, f->store, &h1, &h2), 0);
	assert_int_equal(rel, ACCORD_SYNC_AHEAD);
	assert_int_equal(ahead, 1);
	assert_int_equal(accord_sync_classify_counting(&rel, &ahead, f->store, &h1, &h4), 0);
	assert_int_equal(rel, ACCORD_SYNC_AHEAD);
	assert_int_equal(ahead, 3);
	assert_int_equal(ahead, accord_sync_count_new(f->store, &h4, &h1));
	assert_int_equal(accord_sync_classify_counting(&rel, &ahead, f->store, &h2, &h4), 0);
	assert_int_equal(ahead, 2);
	/* nothing new on any other relation */
	assert_int_equal(accord_sync_classify_counting(&rel, &ahead, f->store, &h4, &h1), 0);
	assert_int_equal(rel, ACCORD_SYNC_BEHIND);
	assert_int_equal(ahead, 0);
	assert_int_equal(accord_sync_classify_counting(&rel, &ahead, f->store, &h4, &h4), 0);
	assert_int_equal(rel, ACCORD_SYNC_EQUAL);
	assert_int_equal(ahead, 0);
	side_commit(&side, f, &h1, "{\"not\":\"an entry, but a commit\"}");
	assert_int_equal(accord_sync_classify_counting(&rel, &ahead, f->store, &h4, &side), 0);
	assert_int_equal(rel, ACCORD_SYNC_FORK);
	assert_int_equal(ahead, 0);
}

static void test_sync_verify_chain(void **state)
{
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1];
	git_oid h1, side;
	int64_t seq = 0;

	open_incident(inc, f);
	head(&h1, f);
	assert_int_equal(accord_sync_verify_chain(&seq, f->store, f->alice->pub.id, &h1), 0);
	assert_int_equal(seq, 2);
	/* the wrong feed, and a commit that is no entry */
	assert_int_equal(
		accord_sync_verify_chain(NULL, f->store, "00000000000000000000000000000000", &h1),
		ACCORD_EBADSIG);
	side_commit(&side, f, &h1, "{\"not\":\"an entry\"}");
	assert_int_equal(accord_sync_verify_chain(NULL, f->store, f->alice->pub.id, &side),
			 ACCORD_EBADSIG);
}

/*
 * A long chain (a fork's side, say) is checked on every core, in runs of
 * 512 that each follow the one before: 600 notes after the open, each
 * commit checked once, a thread started beside this one on 2 cores or
 * more, and a bad commit in the second run refused.
 */
static void test_sync_verify_chain_long(void **state)
{
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1];
	git_oid h, mid, side;
	th_writer w;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t checks, threads, i;
	int64_t seq = 0;

	open_incident(inc, f);
	th_writer_start(&w, f->store);
	for (i = 0; i < 600; i++) {
		th_write_ok(&w, NULL, f->alice, "note", inc, "{\"text\":\"more\"}");
		if (i == 548)
			head(&mid, f); /* seq 551: in the chain's second run */
	}
	th_writer_end(&w);
	head(&h, f);
	checks = accord_verify_pass1_count();
	threads = accord_verify_thread_count();
	assert_int_equal(accord_sync_verify_chain(&seq, f->store, f->alice->pub.id, &h), 0);
	assert_int_equal(seq, 602); /* the genesis, the open and 600 notes */
	assert_int_equal(accord_verify_pass1_count() - checks, 602);
	threads = accord_verify_thread_count() - threads;
	assert_true(cpus < 2 || threads >= 1);
	side_commit(&side, f, &mid, "{\"not\":\"an entry\"}");
	assert_int_equal(accord_sync_verify_chain(&seq, f->store, f->alice->pub.id, &side),
			 ACCORD_EBADSIG);
}

/*
 * The loop sets aside what fails and takes the rest: a second genesis
 * (another ledger's) is refused, alice's valid growth is accepted.
 */
static void verify_loop_once(fixture *f, const char *name)
{
	accord_key *mallory = th_key(f->dir, name);
	accord_head *local = NULL;
	size_t nlocal = 0, i;
	accord_sync_candidate cands[2];
	accord_ledger *l = NULL;
	accord_buf raw = ACCORD_BUF_INIT;
	accord_entry_fields fields = { 0 };
	cJSON *body = cJSON_Parse("{\"title\":\"\",\"party\":\"evil\",\"member\":\"mallory\"}");
	char inc[ACCORD_ID_HEXLEN + 1], ref[100];
	git_oid evil, grown;

	assert_int_equal(accord_ledger_local_heads(&local, &nlocal, f->store), 0);
	assert_int_equal(nlocal, 1);
	open_incident(inc, f);
	head(&grown, f);
	fields.author = &mallory->pub;
	fields.seq = 1;
	fields.lamport = 1;
	fields.time = 1700000000;
	fields.type = "genesis";
	fields.body = body;
	assert_int_equal(accord_entry_build(&raw, &fields), 0);
	snprintf(ref, sizeof(ref), "refs/test/%s", name);
	assert_int_equal(accord_store_append(&evil, f->store, ref, NULL, raw.ptr, raw.size, mallory,
					     1700000000),
			 0);
	memset(cands, 0, sizeof(cands));
	memcpy(cands[0].head.keyid, mallory->pub.id, sizeof(cands[0].head.keyid));
	cands[0].head.head = evil;
	memcpy(cands[1].head.keyid, f->alice->pub.id, sizeof(cands[1].head.keyid));
	cands[1].head.head = grown;
	assert_int_equal(accord_sync_verify(&l, NULL, f->store, local, nlocal, cands, 2, NULL, 0),
			 0);
	assert_int_equal(cands[0].refused, 1);
	assert_int_equal(cands[0].kind, ACCORD_AUDIT_FOREIGN_LEDGER);
	assert_true(git_oid_is_zero(&cands[0].take));
	assert_true(git_oid_equal(&cands[1].take, &grown));
	assert_int_equal(cands[1].refused, 0);
	assert_non_null(accord_ledger_feed(l, f->alice->pub.id));
	assert_null(accord_ledger_feed(l, mallory->pub.id));
	/* sync shows arrivals from fields and bodies: no entry keeps its bytes */
	assert_true(accord_ledger_entry_count(l) >= 2);
	for (i = 0; i < accord_ledger_entry_count(l); i++) {
		assert_null(accord_ledger_entry_at(l, i)->raw);
		assert_non_null(accord_ledger_entry_at(l, i)->body);
	}
	accord_ledger_free(l);
	/* local heads that do not verify are an error, not a refusal */
	memcpy(local[0].keyid, mallory->pub.id, sizeof(local[0].keyid));
	local[0].head = grown; /* alice's commits under mallory's feed name */
	memset(cands, 0, sizeof(cands));
	assert_int_equal(accord_sync_verify(&l, NULL, f->store, local, 1, cands, 0, NULL, 0),
			 ACCORD_EBADSIG);
	free(local);
	accord_buf_dispose(&raw);
	cJSON_Delete(body);
	accord_key_free(mallory);
}

/*
 * The loop sets aside what fails and takes the rest: a second genesis
 * (another ledger's) is refused, alice's valid growth is accepted. Which
 * genesis comes first in ledger order depends on the random key ids, so
 * several rounds cover both blame paths.
 */
static void test_sync_verify_loop(void **state)
{
	char name[32];
	int round;

	for (round = 0; round < 8; round++) {
		snprintf(name, sizeof(name), "mallory%d", round);
		verify_loop_once(*state, name);
	}
}

static void test_sync_heads_and_rollbacks(void **state)
{
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], path[600];
	accord_head seen[2], now[2], *back = NULL;
	accord_sync_rollback *rb = NULL;
	size_t n = 0;
	FILE *fp;

	memset(seen, 0, sizeof(seen));
	memset(now, 0, sizeof(now));
	snprintf(path, sizeof(path), "%s/heads", f->dir);
	assert_int_equal(accord_sync_heads_read(&back, &n, path), 0); /* missing: none */
	assert_int_equal(n, 0);
	free(back);
	memcpy(seen[0].keyid, f->alice->pub.id, sizeof(seen[0].keyid));
	head(&now[0].head, f);
	open_incident(inc, f);
	head(&seen[0].head, f);
	memcpy(now[0].keyid, f->alice->pub.id, sizeof(now[0].keyid));
	memcpy(seen[1].keyid, "0123456789abcdef0123456789abcdef", 33);
	seen[1].head = now[0].head;
	assert_int_equal(accord_sync_heads_write(path, seen, 2), 0);
	assert_int_equal(accord_sync_heads_read(&back, &n, path), 0);
	assert_int_equal(n, 2);
	assert_true(git_oid_equal(&back[0].head, &seen[1].head) ||
		    git_oid_equal(&back[0].head, &seen[0].head));
	free(back);
	/* alice's feed went back to an ancestor; the other feed is gone */
	assert_int_equal(accord_sync_rollbacks(&rb, &n, f->store, seen, 2, now, 1), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rb[0].feed, f->alice->pub.id);
	assert_string_equal(rb[1].now, "");
	free(rb);
	/* moving forward is no rollback */
	assert_int_equal(accord_sync_rollbacks(&rb, &n, f->store, now, 1, seen, 1), 0);
	assert_int_equal(n, 0);
	free(rb);
	fp = fopen(path, "w");
	fputs("not a heads line\n", fp);
	fclose(fp);
	assert_int_equal(accord_sync_heads_read(&back, &n, path), ACCORD_EINVALID);
}

static void test_sync_check_push(void **state)
{
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], hex[GIT_OID_HEXSZ + 1], evref[200];
	git_oid h1, h2, side, zero;
	accord_ref_update u;

	memset(&zero, 0, sizeof(zero));
	head(&h1, f);
	open_incident(inc, f);
	head(&h2, f);
	u.ref = f->feed;
	u.old_id = h1;
	u.new_id = h2;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), 0);
	u.old_id = h2;
	u.new_id = h1;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), ACCORD_EDENIED);
	assert_non_null(strstr(accord_error_last(), "fast-forward"));
	u.new_id = zero;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), ACCORD_EDENIED);
	u.ref = "refs/accord/other";
	u.old_id = zero;
	u.new_id = h2;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), ACCORD_EDENIED);
	u.ref = "refs/heads/main";
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), 0);
	/* a feed grown by a commit that is no valid entry */
	side_commit(&side, f, &h2, "{\"v\":1}");
	u.ref = f->feed;
	u.old_id = h2;
	u.new_id = side;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), ACCORD_EBADSIG);
	/* evidence that proves nothing (the feed's own entry) is refused */
	git_oid_tostr(hex, sizeof(hex), &h2);
	snprintf(evref, sizeof(evref), "%s%s/%s", ACCORD_EVIDENCE_PREFIX, f->alice->pub.id, hex);
	u.ref = evref;
	u.old_id = zero;
	u.new_id = h2;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "proves no equivocation"));
	/* a second signed entry with the same seq is proof: taken, only created, naming its commit */
	{
		accord_commit *c = NULL;
		accord_entry *e = NULL;
		char *alt, *at;

		assert_int_equal(accord_commit_read(&c, f->store, &h2), 0);
		assert_int_equal(accord_entry_parse(&e, c->message, c->message_len), 0);
		alt = strndup(c->message, c->message_len);
		at = strstr(alt, "\"title\":\"t\"");
		assert_non_null(at);
		at[9] = 'u';
		assert_int_equal(git_reference_create(NULL, accord_store_repo(f->store),
						      "refs/test/alt", &h1, 1, NULL),
				 0);
		assert_int_equal(accord_store_append(&side, f->store, "refs/test/alt", &h1, alt,
						     strlen(alt), f->alice, e->time),
				 0);
		free(alt);
		accord_entry_free(e);
		accord_commit_free(c);
	}
	git_oid_tostr(hex, sizeof(hex), &side);
	snprintf(evref, sizeof(evref), "%s%s/%s", ACCORD_EVIDENCE_PREFIX, f->alice->pub.id, hex);
	u.new_id = side;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), 0);
	u.new_id = h1;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), ACCORD_EDENIED);
	u.old_id = h2;
	u.new_id = zero;
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), ACCORD_EDENIED);
	(void)inc;
}

/*
 * A push of 400 feeds of unknown keys, or of 400 evidence refs that prove
 * nothing, is refused with work linear in the push: each commit's
 * signature is checked about once (the old hook re-verified everything
 * once per bad feed).
 */
static void test_sync_check_push_is_linear(void **state)
{
	enum { N = 400 };
	fixture *f = *state;
	accord_ref_update *u = calloc(2 * N, sizeof(*u));
	char(*names)[200] = calloc(2 * N, sizeof(*names));
	char ledger[ACCORD_ID_HEXLEN + 1], inc[ACCORD_ID_HEXLEN + 1], home[64],
		hex[GIT_OID_HEXSZ + 1];
	accord_ledger *l = NULL;
	size_t before, hub_entries, i;
	cJSON *body = cJSON_Parse("{\"text\":\"let me in\"}");

	assert_non_null(u);
	assert_non_null(names);
	open_incident(inc, f);
	for (i = 0; i < 30; i++)
		assert_int_equal(
			th_append(NULL, f->store, f->alice, "note", inc, "{\"text\":\"n\"}"), 0);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	memcpy(ledger, l->id, sizeof(ledger));
	hub_entries = l->count;
	accord_ledger_free(l);
	for (i = 0; i < N; i++) {
		accord_key *k;
		accord_entry_fields ef = { 0 };
		accord_buf raw = ACCORD_BUF_INIT;
		char ref[120];
		git_oid c;

		snprintf(home, sizeof(home), "k%zu", i);
		k = th_key(f->dir, home);
		ef.ledger = ledger;
		ef.author = &k->pub;
		ef.seq = 1;
		ef.lamport = 50;
		ef.time = 1800000000;
		ef.type = "note";
		ef.incident = inc;
		ef.body = body;
		assert_int_equal(accord_entry_build(&raw, &ef), 0);
		snprintf(ref, sizeof(ref), "refs/test/%s", k->pub.id);
		assert_int_equal(
			accord_store_append(&c, f->store, ref, NULL, raw.ptr, raw.size, k, ef.time),
			0);
		git_oid_tostr(hex, sizeof(hex), &c);
		snprintf(names[i], sizeof(names[i]), "%s%s", ACCORD_FEED_PREFIX, k->pub.id);
		snprintf(names[N + i], sizeof(names[N + i]), "%s%s/%s", ACCORD_EVIDENCE_PREFIX,
			 k->pub.id, hex);
		u[i].ref = names[i];
		u[i].new_id = c;
		u[N + i].ref = names[N + i];
		u[N + i].new_id = c;
		accord_buf_dispose(&raw);
		accord_key_free(k);
	}
	before = accord_sshsig_verify_count();
	assert_int_equal(accord_sync_check_push(f->store, u, N), ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "400 refused"));
	assert_true(accord_sshsig_verify_count() - before <= 2 * (N + hub_entries));
	before = accord_sshsig_verify_count();
	assert_int_equal(accord_sync_check_push(f->store, u + N, N), ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "400 refused"));
	assert_true(accord_sshsig_verify_count() - before <= 2 * (N + hub_entries));
	cJSON_Delete(body);
	free(names);
	free(u);
}

/* Append `n` notes to the fixture's ledger, under one load. */
static void add_notes(fixture *f, const char *inc, int n)
{
	accord_ledger *l = NULL;
	cJSON *note = cJSON_Parse("{\"text\":\"n\"}");
	int i;

	assert_int_equal(accord_store_lock(f->store), 0);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(accord_ledger_append(NULL, l, f->alice, "note", inc, note), 0);
	accord_ledger_free(l);
	accord_store_unlock(f->store);
	cJSON_Delete(note);
}

/*
 * Issue 14: a sync checks the signatures of the new commits only. A copy
 * of a 300-entry ledger with a memo of verified signatures syncs once
 * (which checks the ledger's signatures and remembers them), then syncs
 * 10 new entries: about 10 signature checks, where every sync used to
 * check every signature of the ledger two or three times. The memo skips
 * only the Ed25519 check of bytes it saw verify (test_sync_sigcache_exact_bytes).
 */
static void test_sync_checks_only_new_signatures(void **state)
{
	static const unsigned char key[ACCORD_SIGCACHE_KEY_LEN] = "a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], id[ACCORD_ID_HEXLEN + 1], url[1024], copy[1024];
	accord_store *b = NULL;
	accord_sigcache *sc = NULL;
	accord_sync_result *res = NULL;
	size_t before, first, second, digests;

	open_incident(inc, f);
	add_notes(f, inc, 300);
	snprintf(url, sizeof(url), "%s/repo", f->dir);
	snprintf(copy, sizeof(copy), "%s/copy", f->dir);
	assert_int_equal(accord_sync_clone(id, NULL, url, copy, NULL), 0);
	assert_int_equal(accord_store_open(&b, copy), 0);
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(b), key), 0);
	accord_store_set_sigcache(b, sc);

	{
		/* sync options of another version are refused, and the result still says why */
		accord_sync_options other = ACCORD_SYNC_OPTIONS_INIT;

		other.version = ACCORD_SYNC_OPTIONS_VERSION + 1;
		assert_int_equal(accord_sync_remote(&res, b, "origin", &other), ACCORD_EINVALID);
		assert_non_null(res);
		assert_non_null(strstr(accord_error_last(), "accord_sync_options version"));
		accord_sync_result_free(res);
	}
	before = accord_sshsig_verify_count();
	digests = accord_sigcache_digest_count();
	assert_int_equal(accord_sync_remote(&res, b, "origin", NULL), 0);
	first = accord_sshsig_verify_count() - before;
	accord_sync_result_free(res);
	assert_true(first >= 300); /* the memo was empty: every signature */
	assert_true(accord_sigcache_count(sc) >= 300);
	/* and nothing to look up in it: no digest of a whole commit, for each commit */
	assert_int_equal(accord_sigcache_digest_count() - digests, 0);

	add_notes(f, inc, 10);
	before = accord_sshsig_verify_count();
	digests = accord_sigcache_digest_count();
	assert_int_equal(accord_sync_remote(&res, b, "origin", NULL), 0);
	second = accord_sshsig_verify_count() - before;
	assert_int_equal(res->verified, 312);
	accord_sync_result_free(res);
	/* a memo to ask now: the new commits' digests, looked up */
	digests = accord_sigcache_digest_count() - digests;
	assert_true(digests >= 10 && digests <= 12);
	print_message(
		"sync of 10 new entries onto 302: %zu signature checks (the first sync: %zu)\n",
		second, first);
	assert_true(second >= 10 && second <= 12);

	/* a memo read back from disk, by a new process as it were, serves as well */
	accord_store_free(b);
	assert_int_equal(accord_store_open(&b, copy), 0);
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(b), key), 0);
	assert_true(accord_sigcache_count(sc) >= 312);
	accord_store_set_sigcache(b, sc);
	add_notes(f, inc, 10);
	before = accord_sshsig_verify_count();
	assert_int_equal(accord_sync_remote(&res, b, "origin", NULL), 0);
	second = accord_sshsig_verify_count() - before;
	accord_sync_result_free(res);
	assert_true(second >= 10 && second <= 12);
	accord_store_free(b);
}

/* Verify the copy's refs with or without the memo: what counts and what is found. */
static void verdicts(accord_store *b, int memo, size_t *count, size_t *findings, size_t *left_out)
{
	accord_verify_options o = ACCORD_VERIFY_OPTIONS_INIT;
	accord_verification *v = NULL;

	o.no_signature_cache = !memo;
	assert_int_equal(accord_verify_refs(&v, b, &o), 0);
	*count = v->count;
	*findings = v->finding_count;
	*left_out = v->left_out;
	accord_verification_free(v);
}

/* A clone of the fixture's ledger at <dir>/copy, opened with a memo under `key`. */
static accord_store *memo_copy(fixture *f, const unsigned char *key)
{
	char url[1024], copy[1024], id[ACCORD_ID_HEXLEN + 1];
	accord_store *b = NULL;
	accord_sigcache *sc = NULL;

	snprintf(url, sizeof(url), "%s/repo", f->dir);
	snprintf(copy, sizeof(copy), "%s/copy", f->dir);
	assert_int_equal(accord_sync_clone(id, NULL, url, copy, NULL), 0);
	assert_int_equal(accord_store_open(&b, copy), 0);
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(b), key), 0);
	accord_store_set_sigcache(b, sc);
	return b;
}

/*
 * Issue 14, "incremental everywhere": a sync runs pass 1 (signature, form,
 * schema of each commit on its own) on the new commits only. 10 new
 * entries onto 302: 10 commits checked, where every run of the engine (a
 * sync runs it two or three times) used to check all 312. Every rule still
 * runs over the whole ledger, and what counts is what a verification
 * without the memo finds.
 */
static void test_sync_verifies_only_new_commits(void **state)
{
	static const unsigned char key[ACCORD_SIGCACHE_KEY_LEN] = "a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1];
	accord_store *b;
	accord_sync_result *res = NULL;
	size_t before, first, second, c1, f1, l1, c2, f2, l2;

	open_incident(inc, f);
	add_notes(f, inc, 300);
	b = memo_copy(f, key);
	before = accord_verify_pass1_count();
	assert_int_equal(accord_sync_remote(&res, b, "origin", NULL), 0);
	first = accord_verify_pass1_count() - before;
	accord_sync_result_free(res);
	assert_true(first >= 302); /* the memo was empty: every commit */

	add_notes(f, inc, 10);
	before = accord_verify_pass1_count();
	assert_int_equal(accord_sync_remote(&res, b, "origin", NULL), 0);
	second = accord_verify_pass1_count() - before;
	assert_int_equal(res->verified, 312);
	accord_sync_result_free(res);
	print_message("sync of 10 new entries onto 302: pass 1 on %zu commits (the first: %zu)\n",
		      second, first);
	assert_true(second >= 10 && second <= 12);

	/* the same verdicts as a verification that checks every commit in full */
	before = accord_verify_pass1_count();
	verdicts(b, 1, &c1, &f1, &l1);
	assert_true(accord_verify_pass1_count() - before == 0);
	verdicts(b, 0, &c2, &f2, &l2);
	assert_true(accord_verify_pass1_count() - before >= 312);
	assert_int_equal(c1, c2);
	assert_int_equal(f1, f2);
	assert_int_equal(l1, l2);
	assert_int_equal(c1, 312);
	accord_store_free(b);
}

/*
 * A sync that takes entries verifies the ledger once (issue 14): it used
 * to verify the local refs before, then the offer, then the CLI loaded
 * the result a third time. The ledger it verified is handed over
 * (keep_ledger), its checkpoint included, and holds what a fresh load of
 * the refs holds; once the refs move it is no longer current.
 */
static void test_sync_verifies_once(void **state)
{
	static const unsigned char key[ACCORD_SIGCACHE_KEY_LEN] = "a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1];
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	accord_sync_result *res = NULL;
	accord_ledger *fresh = NULL;
	accord_key *gary = th_key(f->dir, "gary");
	accord_store *b;
	size_t runs, i;

	th_invite(f->store, f->alice, gary, "globex");
	open_incident(inc, f);
	add_notes(f, inc, 20);
	b = memo_copy(f, key);
	add_notes(f, inc, 7);
	so.key = gary; /* a member who sees others' new entries: the sync writes a checkpoint */
	so.keep_ledger = 1;
	runs = accord_verify_run_count();
	assert_int_equal(accord_sync_remote(&res, b, "origin", &so), 0);
	assert_int_equal(accord_verify_run_count() - runs, 1);
	assert_int_equal(res->accepted_count, 1);
	assert_int_not_equal(res->checkpoint[0], '\0');
	assert_non_null(res->ledger);
	assert_true(accord_ledger_is_current(res->ledger));

	/* the same ledger as a verification of the refs finds */
	assert_int_equal(accord_ledger_load(&fresh, b), 0);
	assert_int_equal(accord_ledger_entry_count(res->ledger), accord_ledger_entry_count(fresh));
	for (i = 0; i < accord_ledger_entry_count(fresh); i++)
		assert_string_equal(accord_ledger_entry_at(res->ledger, i)->id,
				    accord_ledger_entry_at(fresh, i)->id);
	assert_non_null(accord_ledger_entry(res->ledger, res->checkpoint));

	accord_ledger_free(fresh);

	/* without keep_ledger nothing is handed over; the refs moved: the first is stale */
	add_notes(f, inc, 2);
	{
		accord_sync_result *again = NULL;

		assert_int_equal(accord_sync_remote(&again, b, "origin", NULL), 0);
		assert_int_equal(again->accepted_count, 1);
		assert_null(again->ledger);
		accord_sync_result_free(again);
	}
	assert_false(accord_ledger_is_current(res->ledger));
	accord_sync_result_free(res);
	accord_store_free(b);
	accord_key_free(gary);
}

/*
 * Issue 14, "incremental everywhere": with the copy's index (the cache
 * key), a sync whose offer only extends what the copy verified runs no
 * verification of the whole ledger. Pass 1 checks the 10 new commits (the
 * incident's 301 older entries, read back to judge them, come from the
 * memo), the rules judge the new entries alone, and the index takes them,
 * so the next open verifies nothing. What counts is what a full
 * verification finds. An offer that changes authority (a member added)
 * goes through the engine, as before.
 */
static void test_sync_through_the_index(void **state)
{
	static const unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN] =
		"a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], hex[65], body[256];
	accord_ledger_options lo = ACCORD_LEDGER_OPTIONS_INIT;
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	accord_sync_result *res = NULL;
	accord_key *bob = th_key(f->dir, "bob");
	accord_ledger *l = NULL;
	accord_store *b;
	size_t runs, before, checked, c1, f1, l1;

	open_incident(inc, f);
	add_notes(f, inc, 300);
	b = memo_copy(f, key);
	lo.cache_key = key;
	so.cache_key = key;
	assert_int_equal(accord_ledger_open(&l, b, &lo),
			 0); /* the copy's index, as a command makes it */
	accord_ledger_free(l);

	add_notes(f, inc, 10);
	runs = accord_verify_run_count();
	before = accord_verify_pass1_count();
	assert_int_equal(accord_sync_remote(&res, b, "origin", &so), 0);
	checked = accord_verify_pass1_count() - before;
	print_message("sync of 10 new entries onto 302 through the index: pass 1 on %zu commits, "
		      "%zu verifications of the whole ledger\n",
		      checked, accord_verify_run_count() - runs);
	assert_int_equal(accord_verify_run_count(), runs);
	assert_int_equal(checked, 10);
	assert_int_equal(res->verified, 10);
	assert_int_equal(res->accepted_count, 1);
	assert_int_equal(res->accepted[0].from, 302);
	assert_int_equal(res->accepted[0].to, 312);
	accord_sync_result_free(res);

	/* the index holds them: opening it verifies nothing, and the incident has them all */
	runs = accord_verify_run_count();
	assert_int_equal(accord_ledger_open(&l, b, &lo), 0);
	assert_int_equal(accord_verify_run_count(), runs);
	assert_int_equal(accord_ledger_feed(l, f->alice->pub.id)->seq, 312);
	accord_ledger_free(l);
	verdicts(b, 0, &c1, &f1, &l1);
	assert_int_equal(c1, 312);
	assert_int_equal(f1, 0);
	assert_int_equal(l1, 0);

	/* a member added: the engine judges the offer */
	accord_hex_encode(hex, bob->pub.pk, 32);
	snprintf(body, sizeof(body), "{\"key\":\"%s\",\"member\":\"bob\",\"admin\":false}", hex);
	th_append_ok(NULL, f->store, f->alice, "member-add", NULL, body);
	runs = accord_verify_run_count();
	assert_int_equal(accord_sync_remote(&res, b, "origin", &so), 0);
	assert_int_equal(accord_verify_run_count(), runs + 1);
	assert_int_equal(res->accepted_count, 1);
	assert_int_equal(res->verified, 313);
	accord_sync_result_free(res);
	accord_store_free(b);
	accord_key_free(bob);
}

/*
 * A sync killed while it moved a feed ref leaves "<ref>.lock" behind (git's
 * lock files outlive their process; accord's flock does not). The next
 * sync holds accord's lock, so that file can only be stale: it takes the
 * feed all the same, on the full path and on the index's.
 */
static void test_sync_clears_a_killed_syncs_ref_lock(void **state)
{
	static const unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN] =
		"a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], lockpath[1024];
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	accord_sync_result *res = NULL;
	accord_store *b;
	git_oid want, got;
	struct stat st;
	int pass, fd;

	open_incident(inc, f);
	b = memo_copy(f, key);
	so.cache_key = key;
	snprintf(lockpath, sizeof(lockpath), "%s%s.lock", accord_store_gitdir(b), f->feed);
	for (pass = 0; pass < 2; pass++) {
		add_notes(f, inc, 3);
		head(&want, f);
		fd = open(lockpath, O_WRONLY | O_CREAT | O_EXCL, 0644);
		assert_true(fd >= 0);
		close(fd);
		if (accord_sync_remote(&res, b, "origin", pass ? &so : NULL) < 0)
			print_error("sync over a stale ref lock: %s\n", accord_error_last());
		accord_sync_result_free(res);
		res = NULL;
		assert_int_equal(accord_store_ref_get(&got, b, f->feed), 0);
		assert_true(git_oid_equal(&got, &want));
		assert_int_equal(stat(lockpath, &st), -1);
	}
	accord_store_free(b);
}

/*
 * `n` notes as a push would bring them: written, then the hub's ref put
 * back where it was, so the new commits are only pushed objects; *u the
 * ref update the hook is asked about.
 */
static void pushed_notes(accord_ref_update *u, fixture *f, const char *inc, int n)
{
	git_oid old, pushed;

	head(&old, f);
	add_notes(f, inc, n);
	head(&pushed, f);
	assert_int_equal(
		git_reference_create(NULL, accord_store_repo(f->store), f->feed, &old, 1, NULL), 0);
	memset(u, 0, sizeof(*u));
	u->ref = f->feed;
	u->old_id = old;
	u->new_id = pushed;
}

/*
 * Issue 14: the hub's hook checks pass 1 (signature, form, schema) on the
 * pushed commits only, once the hub's own are in its memo: a push of 10
 * entries onto 302 checks 10 commits, not 312.
 */
static void test_sync_hook_checks_only_new_commits(void **state)
{
	static const unsigned char key[ACCORD_SIGCACHE_KEY_LEN] = "a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1];
	accord_sigcache *sc = NULL;
	accord_ledger *l = NULL;
	accord_ref_update u;
	size_t before, checked;

	open_incident(inc, f);
	add_notes(f, inc, 300);
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(f->store), key), 0);
	accord_store_set_sigcache(f->store, sc);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0); /* the hub verified its own */
	accord_ledger_free(l);
	pushed_notes(&u, f, inc, 10);
	before = accord_verify_pass1_count();
	assert_int_equal(accord_sync_check_push(f->store, &u, 1), 0);
	checked = accord_verify_pass1_count() - before;
	print_message("the hook's check of 10 entries pushed onto 302: pass 1 on %zu commits\n",
		      checked);
	assert_true(checked >= 10 && checked <= 12);
}

/*
 * Issue 14: with the hub's index, a push that extends what the hub
 * verified is judged through it: no verification of the whole ledger,
 * pass 1 on the pushed commits. A pushed entry the index cannot judge on
 * its own (one signed by no member) still meets the engine, which refuses it.
 */
static void test_sync_hook_through_the_index(void **state)
{
	static const unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN] =
		"a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], ref[160];
	accord_ledger_options lo = ACCORD_LEDGER_OPTIONS_INIT;
	accord_key *mallory = th_key(f->dir, "mallory");
	accord_entry_fields fields = { 0 };
	accord_buf raw = ACCORD_BUF_INIT;
	cJSON *body = cJSON_Parse("{\"text\":\"mine\"}");
	accord_sigcache *sc = NULL;
	accord_ledger *l = NULL;
	accord_ref_update u;
	size_t runs, before, checked;

	open_incident(inc, f);
	add_notes(f, inc, 300);
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(f->store), key), 0);
	accord_store_set_sigcache(f->store, sc);
	lo.cache_key = key;
	assert_int_equal(accord_ledger_open(&l, f->store, &lo), 0); /* the hub's index */
	accord_ledger_free(l);
	pushed_notes(&u, f, inc, 10);
	runs = accord_verify_run_count();
	before = accord_verify_pass1_count();
	assert_int_equal(accord_sync_check_push_cached(f->store, &u, 1, key), 0);
	checked = accord_verify_pass1_count() - before;
	print_message("the hook's check of 10 entries pushed onto 302 through the index: pass 1 "
		      "on %zu commits, %zu verifications of the whole ledger\n",
		      checked, accord_verify_run_count() - runs);
	assert_int_equal(accord_verify_run_count(), runs);
	assert_int_equal(checked, 10);

	/* a note by a key no one admitted, built as an attacker would: the engine refuses it */
	assert_int_equal(accord_ledger_open(&l, f->store, &lo), 0);
	fields.ledger = accord_ledger_id(l);
	fields.author = &mallory->pub;
	fields.seq = 1;
	fields.lamport = 1000;
	fields.time = accord_time_now();
	fields.type = "note";
	fields.incident = inc;
	fields.body = body;
	assert_int_equal(accord_entry_build(&raw, &fields), 0);
	accord_ledger_free(l);
	snprintf(ref, sizeof(ref), "refs/test/mallory");
	memset(&u, 0, sizeof(u));
	assert_int_equal(accord_store_append(&u.new_id, f->store, ref, NULL, raw.ptr, raw.size,
					     mallory, fields.time),
			 0);
	snprintf(ref, sizeof(ref), "%s%s", ACCORD_FEED_PREFIX, mallory->pub.id);
	u.ref = ref;
	runs = accord_verify_run_count();
	assert_int_equal(accord_sync_check_push_cached(f->store, &u, 1, key), ACCORD_EBADSIG);
	assert_int_equal(accord_verify_run_count(), runs + 1);
	assert_non_null(strstr(accord_error_last(), mallory->pub.id));
	accord_buf_dispose(&raw);
	cJSON_Delete(body);
	accord_key_free(mallory);
}

/*
 * The ledger a sync hands over is the one a verification of the refs it
 * leaves finds, also when the remote offers again a proof of equivocation
 * this copy holds already: its findings and what it leaves out, not only
 * its entries.
 */
static void test_sync_hands_over_what_a_load_finds(void **state)
{
	static const unsigned char key[ACCORD_SIGCACHE_KEY_LEN] = "a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], hex[65], body[256], ref[160], commit[GIT_OID_HEXSZ + 1];
	accord_key *bob = th_key(f->dir, "bob");
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	accord_sync_result *res = NULL;
	accord_ledger *fresh = NULL;
	accord_store *b;
	git_oid base, side_a;
	size_t i, n1 = 0, n2 = 0;

	accord_hex_encode(hex, bob->pub.pk, 32);
	snprintf(body, sizeof(body), "{\"key\":\"%s\",\"member\":\"bob\",\"admin\":false}", hex);
	th_append_ok(NULL, f->store, f->alice, "member-add", NULL, body);
	open_incident(inc, f);
	th_append_ok(NULL, f->store, bob, "note", inc, "{\"text\":\"base\"}");
	snprintf(ref, sizeof(ref), "%s%s", ACCORD_FEED_PREFIX, bob->pub.id);
	assert_int_equal(accord_store_ref_get(&base, f->store, ref), 0);
	th_append_ok(NULL, f->store, bob, "note", inc, "{\"text\":\"side A\"}");
	assert_int_equal(accord_store_ref_get(&side_a, f->store, ref), 0);
	/* a second machine that never saw side A */
	assert_int_equal(
		git_reference_create(NULL, accord_store_repo(f->store), ref, &base, 1, NULL), 0);
	th_append_ok(NULL, f->store, bob, "note", inc, "{\"text\":\"side B\"}");
	git_oid_tostr(commit, sizeof(commit), &side_a);
	snprintf(ref, sizeof(ref), "%s%s/%s", ACCORD_EVIDENCE_PREFIX, bob->pub.id, commit);
	assert_int_equal(
		git_reference_create(NULL, accord_store_repo(f->store), ref, &side_a, 1, NULL), 0);

	b = memo_copy(f, key); /* holds the proof now */
	add_notes(f, inc, 3);
	so.keep_ledger = 1;
	assert_int_equal(accord_sync_remote(&res, b, "origin", &so), 0);
	assert_non_null(res->ledger);
	assert_int_equal(accord_ledger_load(&fresh, b), 0);
	assert_int_equal(accord_ledger_entry_count(res->ledger), accord_ledger_entry_count(fresh));
	for (i = 0; i < accord_ledger_entry_count(fresh); i++)
		assert_string_equal(accord_ledger_entry_at(res->ledger, i)->id,
				    accord_ledger_entry_at(fresh, i)->id);
	accord_ledger_findings(res->ledger, &n1);
	accord_ledger_findings(fresh, &n2);
	assert_true(n2 > 0); /* the equivocation */
	assert_int_equal(n1, n2);
	assert_int_equal(accord_ledger_left_out(res->ledger), accord_ledger_left_out(fresh));
	accord_ledger_free(fresh);
	accord_sync_result_free(res);
	accord_store_free(b);
	accord_key_free(bob);
}

/*
 * Issue 14: a clone given the user's cache key keeps what it verified. The
 * copy's index is current, so its first open verifies nothing, and its memo
 * holds every commit, so a full verification checks none of them again in
 * pass 1. Without the key the copy keeps neither.
 */
static void test_sync_clone_keeps_what_it_verified(void **state)
{
	static const unsigned char key[ACCORD_SIGCACHE_KEY_LEN] = "a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], url[1024], copy[1024], id[ACCORD_ID_HEXLEN + 1], *dir;
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	accord_ledger_options lo = ACCORD_LEDGER_OPTIONS_INIT;
	accord_store *b = NULL;
	accord_sigcache *sc = NULL;
	accord_ledger *l = NULL;
	const accord_entry *open = NULL;
	size_t runs, checked;
	struct stat st;

	open_incident(inc, f);
	add_notes(f, inc, 20);
	snprintf(url, sizeof(url), "%s/repo", f->dir);
	snprintf(copy, sizeof(copy), "%s/copy", f->dir);
	so.cache_key = key;
	assert_int_equal(accord_sync_clone(id, NULL, url, copy, &so), 0);
	assert_int_equal(accord_store_open(&b, copy), 0);
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(b), key), 0);
	accord_store_set_sigcache(b, sc);

	runs = accord_verify_run_count();
	lo.cache_key = key;
	assert_int_equal(accord_ledger_open(&l, b, &lo), 0);
	assert_int_equal(accord_ledger_find_incident(&open, l, inc), 0);
	assert_int_equal(accord_verify_run_count(), runs); /* the index was current */
	accord_ledger_free(l);

	checked = accord_verify_pass1_count();
	assert_int_equal(accord_ledger_load(&l, b), 0);
	assert_int_equal(accord_verify_pass1_count(), checked); /* every commit in the memo */
	assert_int_equal(accord_ledger_entry_count(l), 22);
	accord_ledger_free(l);
	accord_store_free(b);

	/* without the key: no index, no memo */
	snprintf(copy, sizeof(copy), "%s/bare-copy", f->dir);
	assert_int_equal(accord_sync_clone(id, NULL, url, copy, NULL), 0);
	assert_int_equal(accord_store_open(&b, copy), 0);
	assert_int_equal(accord_store_state_path(&dir, b, "index"), 0);
	assert_int_equal(stat(dir, &st), -1);
	free(dir);
	assert_int_equal(accord_store_state_path(&dir, b, "sigcache"), 0);
	assert_int_equal(stat(dir, &st), -1);
	free(dir);
	accord_store_free(b);
}

/*
 * A memo file that does not authenticate under the user's cache key, for
 * this repository, is no memo: one changed by a byte, or one made for
 * another repository and put in this one's gitdir. Every commit is then
 * checked in full, with the same verdicts.
 */
static void test_sync_memo_refused(void **state)
{
	static const unsigned char key[ACCORD_SIGCACHE_KEY_LEN] = "a test cache key, never real...";
	fixture *f = *state;
	char inc[ACCORD_ID_HEXLEN + 1], path[1024], hub[1024], copy[1024];
	accord_store *b;
	accord_sigcache *sc = NULL;
	accord_sync_result *res = NULL;
	accord_ledger *l = NULL;
	accord_buf file = ACCORD_BUF_INIT;
	size_t before, n, c1, f1, l1, c2, f2, l2;
	int round;

	open_incident(inc, f);
	add_notes(f, inc, 300);
	b = memo_copy(f, key);
	assert_int_equal(accord_sync_remote(&res, b, "origin", NULL), 0);
	accord_sync_result_free(res);
	snprintf(path, sizeof(path), "%saccord/sigcache", accord_store_gitdir(b));
	snprintf(copy, sizeof(copy), "%s/copy", f->dir);
	/* the hub's own memo, made with the same cache key, of the same commits */
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(f->store), key), 0);
	accord_store_set_sigcache(f->store, sc);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	accord_ledger_free(l);
	snprintf(hub, sizeof(hub), "%saccord/sigcache", accord_store_gitdir(f->store));

	for (round = 0; round < 2; round++) {
		accord_store_free(b);
		if (round == 0) { /* one byte of each record of the copy's memo changed */
			size_t at;

			assert_int_equal(accord_buf_read_file(&file, path, 16 << 20), 0);
			/* "accord-sigcache 2\n", no application, records of 81 bytes */
			assert_int_equal(file.ptr[18], 0);
			assert_int_equal((file.size - 19) % 81, 0);
			for (at = 19; at < file.size; at += 81)
				file.ptr[at + 40] ^= 1;
		} else { /* the hub's memo, authentic there, planted here */
			assert_int_equal(accord_buf_read_file(&file, hub, 16 << 20), 0);
		}
		assert_int_equal(accord_file_write_atomic(path, file.ptr, file.size, 0600), 0);
		accord_buf_dispose(&file);
		assert_int_equal(accord_store_open(&b, copy), 0);
		assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(b), key), 0);
		assert_int_equal(accord_sigcache_count(sc), 0);
		accord_store_set_sigcache(b, sc);
		add_notes(f, inc, 5);
		before = accord_verify_pass1_count();
		assert_int_equal(accord_sync_remote(&res, b, "origin", NULL), 0);
		n = accord_verify_pass1_count() - before;
		assert_int_equal(res->verified, 307 + 5 * (size_t)round);
		accord_sync_result_free(res);
		assert_true(n >= 307 + 5 * (size_t)round);
		verdicts(b, 1, &c1, &f1, &l1);
		verdicts(b, 0, &c2, &f2, &l2);
		assert_int_equal(c1, c2);
		assert_int_equal(f1, f2);
		assert_int_equal(l1, l2);
		assert_int_equal(c1, 307 + 5 * (size_t)round);
	}
	accord_store_free(b);
}

/*
 * The memo answers only for the exact bytes it saw verify: other signed
 * bytes or another signature miss it; a file changed on disk, or read with
 * another key, is an empty memo.
 */
static void test_sync_sigcache_exact_bytes(void **state)
{
	static const unsigned char key[ACCORD_SIGCACHE_KEY_LEN] = "a test cache key, never real...";
	static const unsigned char other[ACCORD_SIGCACHE_KEY_LEN] =
		"another key, never a real one..";
	fixture *f = *state;
	unsigned char d[ACCORD_SIGCACHE_DIGEST_LEN], d2[ACCORD_SIGCACHE_DIGEST_LEN];
	accord_sigcache *sc = NULL;
	accord_pubkey got;
	accord_buf file = ACCORD_BUF_INIT;
	char path[1024];

	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(f->store), key), 0);
	accord_sigcache_digest(d, "sig", 3, "signed bytes", 12);
	accord_sigcache_put(sc, d, &f->alice->pub);
	assert_int_equal(accord_sigcache_save(sc), 0);
	assert_int_equal(accord_sigcache_get(&got, sc, d), 1);
	assert_string_equal(got.id, f->alice->pub.id);
	accord_sigcache_digest(d2, "sig", 3, "signed byteS", 12);
	assert_int_equal(accord_sigcache_get(&got, sc, d2), 0);
	accord_sigcache_digest(d2, "sig ", 4, "signed bytes", 12);
	assert_int_equal(accord_sigcache_get(&got, sc, d2), 0);
	accord_sigcache_digest(d2, "si", 2, "gsigned bytes", 13); /* the boundary moved */
	assert_int_equal(accord_sigcache_get(&got, sc, d2), 0);
	accord_sigcache_free(sc);

	/* read back: there with the key, absent with another */
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(f->store), key), 0);
	accord_sigcache_load(sc);
	assert_int_equal(accord_sigcache_get(&got, sc, d), 1);
	accord_sigcache_free(sc);
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(f->store), other), 0);
	accord_sigcache_load(sc);
	assert_int_equal(accord_sigcache_get(&got, sc, d), 0);
	accord_sigcache_free(sc);

	/* one byte changed on disk (a key put in a record): not authentic, so empty */
	snprintf(path, sizeof(path), "%saccord/sigcache", accord_store_gitdir(f->store));
	assert_int_equal(accord_buf_read_file(&file, path, 1 << 20), 0);
	file.ptr[strlen("accord-sigcache 1\n") + 40] ^= 1;
	assert_int_equal(accord_file_write_atomic(path, file.ptr, file.size, 0600), 0);
	assert_int_equal(accord_sigcache_open(&sc, accord_store_gitdir(f->store), key), 0);
	accord_sigcache_load(sc);
	assert_int_equal(accord_sigcache_get(&got, sc, d), 0);
	assert_int_equal(accord_sigcache_count(sc), 0);
	accord_sigcache_free(sc);
	accord_buf_dispose(&file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sync_checks_only_new_signatures, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sync_sigcache_exact_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_verifies_only_new_commits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sync_memo_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_verifies_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_through_the_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_clears_a_killed_syncs_ref_lock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sync_hook_through_the_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_hands_over_what_a_load_finds, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sync_clone_keeps_what_it_verified, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sync_hook_checks_only_new_commits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sync_classify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_classify_counting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_verify_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_verify_chain_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_verify_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_heads_and_rollbacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_check_push, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_check_push_is_linear, setup, teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
