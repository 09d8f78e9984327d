/* The store and the ledger: commits, feeds, verification on load. */
#include <unistd.h>

#include "helpers.h"

typedef th_fixture fixture;
#define setup th_fixture_setup
#define teardown th_fixture_teardown

static const char *open_body =
	"{\"title\":\"t\",\"severity\":2,\"service\":\"web\","
	"\"started_at\":\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}";

static void test_ledger_create_and_load(void **state)
{
	fixture *f = *state;
	accord_ledger *l = NULL;
	char *configured = NULL;

	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	assert_int_equal(l->count, 1);
	assert_int_equal(l->feed_count, 1);
	assert_string_equal(l->genesis->type, "genesis");
	assert_string_equal(l->id, l->genesis->id);
	assert_int_equal(accord_store_config_get(&configured, f->store, "accord.ledger"), 0);
	assert_string_equal(configured, l->id);
	free(configured);
	accord_ledger_free(l);

	{
		char id[65];

		assert_int_equal(accord_ledger_create(id, f->store, f->alice, "acme", "", NULL),
				 ACCORD_EEXISTS);
	}
}

static void test_ledger_append_chains(void **state)
{
	fixture *f = *state;
	accord_ledger *l = NULL;
	char inc[65], note[65];
	const accord_entry *found = NULL;

	assert_int_equal(th_append(inc, f->store, f->alice, "open", NULL, open_body), 0);
	assert_int_equal(th_append(note, f->store, f->alice, "note", inc, "{\"text\":\"x\"}"), 0);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	assert_int_equal(l->count, 3);
	assert_int_equal(l->feeds[0].seq, 3);
	assert_string_equal(l->entries[2]->id, note);
	assert_string_equal(l->entries[2]->prev, inc);
	assert_string_equal(l->entries[1]->prev, l->genesis->id);
	assert_true(l->entries[2]->lamport > l->entries[1]->lamport);
	assert_string_equal(l->entries[2]->ledger, l->id);
	assert_int_equal(accord_ledger_find_incident(&found, l, inc + 0), 0);
	assert_ptr_equal(found, l->entries[1]);
	{
		char prefix[7];

		snprintf(prefix, sizeof(prefix), "%.6s", inc);
		assert_int_equal(accord_ledger_find_incident(&found, l, prefix), 0);
		assert_string_equal(found->id, inc);
	}
	/* a note is not an incident; junk is a usage error */
	assert_int_equal(accord_ledger_find_incident(&found, l, note), ACCORD_ENOTFOUND);
	assert_int_equal(accord_ledger_find_incident(&found, l, "xyz!"), ACCORD_EINVALID);
	assert_int_equal(accord_ledger_find_incident(&found, l, "ab"), ACCORD_EINVALID);
	accord_ledger_free(l);
}

static void test_ledger_append_refuses_invalid_body(void **state)
{
	fixture *f = *state;
	char inc[65];
	git_oid before, after;

	assert_int_equal(accord_store_ref_get(&before, f->store, f->feed), 0);
	assert_int_equal(
		th_append(
			inc, f->store, f->alice, "open", NULL,
			"{\"title\":\"t\",\"severity\":9,\"service\":\"web\","
			"\"started_at\":\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		ACCORD_EINVALID);
	assert_int_equal(th_append(inc, f->store, f->alice, "note", NULL,
				   "{\"text\":\"x\",\"blame\":\"y\"}"),
			 ACCORD_EINVALID);
	assert_int_equal(accord_store_ref_get(&after, f->store, f->feed), 0);
	assert_true(git_oid_equal(&before, &after));
}

static void test_store_append_compare_and_swap(void **state)
{
	fixture *f = *state;
	accord_ledger *l = NULL;
	git_oid stale, now, out;
	char inc[65];

	assert_int_equal(accord_store_ref_get(&stale, f->store, f->feed), 0);
	assert_int_equal(th_append(inc, f->store, f->alice, "open", NULL, open_body), 0);
	assert_int_equal(accord_store_ref_get(&now, f->store, f->feed), 0);
	/* a writer that read the feed before that append loses the race */
	assert_int_equal(accord_store_append(&out, f->store, f->feed, &stale, "{}", 2, f->alice, 1),
			 ACCORD_EMODIFIED);
	assert_int_equal(accord_store_ref_get(&out, f->store, f->feed), 0);
	assert_true(git_oid_equal(&out, &now));
	/* and a first entry cannot replace an existing feed */
	assert_int_equal(accord_store_append(&out, f->store, f->feed, NULL, "{}", 2, f->alice, 1),
			 ACCORD_EMODIFIED);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	accord_ledger_free(l);
}

/* Write raw commit bytes as an object and point the feed at it. */
static void put_commit(fixture *f, const char *raw, size_t len, git_oid *out)
{
	git_odb *odb = NULL;

	assert_int_equal(git_repository_odb(&odb, accord_store_repo(f->store)), 0);
	assert_int_equal(git_odb_write(out, odb, raw, len, GIT_OBJECT_COMMIT), 0);
	git_odb_free(odb);
	assert_int_equal(
		git_reference_create(NULL, accord_store_repo(f->store), f->feed, out, 1, NULL), 0);
}

static char *head_raw(fixture *f, size_t *len)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_oid head;
	char *copy;

	assert_int_equal(accord_store_ref_get(&head, f->store, f->feed), 0);
	assert_int_equal(git_repository_odb(&odb, accord_store_repo(f->store)), 0);
	assert_int_equal(git_odb_read(&obj, odb, &head), 0);
	*len = git_odb_object_size(obj);
	copy = malloc(*len + 1);
	memcpy(copy, git_odb_object_data(obj), *len);
	copy[*len] = '\0';
	git_odb_object_free(obj);
	git_odb_free(odb);
	return copy;
}

/*
 * A bad entry is contained: the ledger still loads, the entry is left out
 * with a finding of `kind` on `feed` (naming `commit` if given), and the
 * genesis still counts.
 */
static void expect_left_out(fixture *f, accord_audit_kind kind, const char *feed,
			    const char *commit)
{
	accord_ledger *l = NULL;
	size_t i, found = 0;

	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	assert_non_null(l->genesis);
	assert_true(l->left_out >= 1);
	for (i = 0; i < l->finding_count; i++)
		if (l->findings[i].kind == kind && !strcmp(l->findings[i].feed, feed) &&
		    (!commit || !strcmp(l->findings[i].commit, commit)))
			found++;
	if (!found)
		fail_msg("no %s finding on feed %s (first: %s: %s)", accord_audit_kind_name(kind),
			 feed,
			 l->finding_count ? accord_audit_kind_name(l->findings[0].kind) : "none",
			 l->finding_count ? l->findings[0].explanation : "");
	assert_non_null(accord_ledger_beyond(l, feed));
	accord_ledger_free(l);
}

static void test_ledger_detects_changed_entry_bytes(void **state)
{
	fixture *f = *state;
	char inc[65];
	size_t len;
	char *raw, *at;
	git_oid forged;
	char hex[41];

	assert_int_equal(th_append(inc, f->store, f->alice, "note", NULL, "{\"text\":\"x\"}"),
			 ACCORD_EINVALID);
	assert_int_equal(th_append(inc, f->store, f->alice, "open", NULL, open_body), 0);
	raw = head_raw(f, &len);
	at = strstr(raw, "\"severity\":2");
	assert_non_null(at);
	at[11] = '1';
	put_commit(f, raw, len, &forged);
	git_oid_tostr(hex, sizeof(hex), &forged);
	expect_left_out(f, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->alice->pub.id, hex);
	free(raw);
}

static void test_ledger_detects_extra_header_and_foreign_tree(void **state)
{
	fixture *f = *state;
	char inc[65];
	size_t len;
	char *raw, *nl;
	accord_buf b = ACCORD_BUF_INIT;
	git_oid forged;

	assert_int_equal(th_append(inc, f->store, f->alice, "open", NULL, open_body), 0);
	raw = head_raw(f, &len);
	nl = strchr(raw, '\n');
	accord_buf_put(&b, raw, (size_t)(nl - raw + 1));
	accord_buf_puts(&b, "encoding ISO-8859-1\n");
	accord_buf_puts(&b, nl + 1);
	put_commit(f, b.ptr, b.size, &forged);
	expect_left_out(f, ACCORD_AUDIT_BAD_COMMIT, f->alice->pub.id, NULL);
	accord_buf_dispose(&b);
	free(raw);
}

static void test_commit_parse_splits_signature(void **state)
{
	static const char raw[] = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
				  "author a <a@b> 1700000000 +0000\n"
				  "committer a <a@b> 1700000001 +0000\n"
				  "gpgsig -----BEGIN SSH SIGNATURE-----\n"
				  " AAAA\n"
				  " -----END SSH SIGNATURE-----\n"
				  "\n"
				  "{\"x\":1}";
	static const char payload[] = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
				      "author a <a@b> 1700000000 +0000\n"
				      "committer a <a@b> 1700000001 +0000\n"
				      "\n"
				      "{\"x\":1}";
	accord_commit *c = NULL;

	(void)state;
	assert_int_equal(accord_commit_parse(&c, raw, strlen(raw)), 0);
	assert_string_equal(c->payload.ptr, payload);
	assert_string_equal(c->signature.ptr,
			    "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----");
	assert_int_equal(c->message_len, 7);
	assert_memory_equal(c->message, "{\"x\":1}", 7);
	assert_int_equal(c->committer_time, 1700000001);
	assert_int_equal(c->parent_count, 0);
	assert_false(c->has_extra_headers);
	accord_commit_free(c);

	/* no blank line, no tree, two signatures, NUL: all malformed */
	assert_int_equal(accord_commit_parse(&c, "tree x\n", 7), ACCORD_EBADSIG);
	assert_int_equal(accord_commit_parse(&c, payload + 46, strlen(payload + 46)),
			 ACCORD_EBADSIG);
	{
		char twice[1024];
		int at = (int)(strstr(raw, "gpgsig") - raw);

		snprintf(twice, sizeof(twice), "%.*sgpgsig x\n%s", at, raw, raw + at);
		assert_int_equal(accord_commit_parse(&c, twice, strlen(twice)), ACCORD_EBADSIG);
	}
	assert_int_equal(accord_commit_parse(&c, raw, sizeof(raw)), ACCORD_EBADSIG);
}

static void test_ledger_detects_other_ledger(void **state)
{
	fixture *f = *state;
	accord_ledger *l = NULL;
	accord_key *mallory = th_key(f->dir, "mallory");
	accord_entry_fields ef = { 0 };
	accord_buf raw = ACCORD_BUF_INIT, ref = ACCORD_BUF_INIT;
	cJSON *body = cJSON_Parse("{\"text\":\"replayed\"}");
	git_oid out;

	ef.ledger = "1111111111111111111111111111111111111111111111111111111111111111";
	ef.author = &mallory->pub;
	ef.seq = 1;
	ef.lamport = 5;
	ef.time = 1795419079;
	ef.type = "note";
	ef.incident = ef.ledger;
	ef.body = body;
	assert_int_equal(accord_entry_build(&raw, &ef), 0);
	accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, mallory->pub.id);
	assert_int_equal(accord_store_append(&out, f->store, ref.ptr, NULL, raw.ptr, raw.size,
					     mallory, ef.time),
			 0);
	expect_left_out(f, ACCORD_AUDIT_FOREIGN_LEDGER, mallory->pub.id, NULL);
	/* the rest of the ledger still counts; nothing of mallory's does */
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	assert_null(accord_ledger_feed(l, mallory->pub.id));
	assert_non_null(accord_ledger_feed(l, f->alice->pub.id));
	accord_ledger_free(l);
	cJSON_Delete(body);
	accord_buf_dispose(&raw);
	accord_buf_dispose(&ref);
	accord_key_free(mallory);
}

static void test_ledger_detects_feed_of_wrong_key(void **state)
{
	fixture *f = *state;
	accord_key *bob = th_key(f->dir, "bob");
	git_oid head;
	accord_buf ref = ACCORD_BUF_INIT;

	/* alice's feed copied under bob's name */
	assert_int_equal(accord_store_ref_get(&head, f->store, f->feed), 0);
	accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, bob->pub.id);
	assert_int_equal(
		git_reference_create(NULL, accord_store_repo(f->store), ref.ptr, &head, 1, NULL),
		0);
	expect_left_out(f, ACCORD_AUDIT_WRONG_FEED, bob->pub.id, NULL);
	accord_buf_dispose(&ref);
	accord_key_free(bob);
}

static void test_store_lock_is_reentrant_per_handle(void **state)
{
	fixture *f = *state;

	assert_int_equal(accord_store_lock(f->store), 0);
	assert_int_equal(accord_store_lock(f->store), 0);
	accord_store_unlock(f->store);
	accord_store_unlock(f->store);
}

/* ---- equivocation (TRUST.md attack 2) ---- */

/* A fork of bob's key, as a stale second machine makes one. */
typedef struct {
	accord_key *bob, *carol;
	char a[ACCORD_ID_HEXLEN + 1], b[ACCORD_ID_HEXLEN + 1], c[ACCORD_ID_HEXLEN + 1];
	char saw_a[ACCORD_ID_HEXLEN + 1], saw_b[ACCORD_ID_HEXLEN + 1], inc[ACCORD_ID_HEXLEN + 1];
	char a_commit[GIT_OID_HEXSZ + 1];
} fork_world;

static void set_ref(fixture *f, const char *ref, const git_oid *to)
{
	assert_int_equal(git_reference_create(NULL, accord_store_repo(f->store), ref, to, 1, NULL),
			 0);
}

static void note(char *id, fixture *f, const accord_key *k, const char *inc, const char *text)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"text\":\"%s\"}", text);
	assert_int_equal(th_append(id, f->store, k, "note", inc, body), 0);
}

/*
 * bob writes seq 2 twice: side A (carol depends on it) and side B (alice
 * depends on it), then C on side B, which nobody depends on. Side B stays
 * on bob's feed, side A is kept as evidence, as sync keeps it.
 */
static void make_fork(fixture *f, fork_world *w)
{
	char *inc = w->inc, id[ACCORD_ID_HEXLEN + 1], body[256], hex[65], ref[160];
	git_oid base, a;

	w->bob = th_key(f->dir, "bob");
	w->carol = th_key(f->dir, "carol");
	accord_hex_encode(hex, w->bob->pub.pk, 32);
	snprintf(body, sizeof(body), "{\"key\":\"%s\",\"member\":\"bob\",\"admin\":false}", hex);
	assert_int_equal(th_append(id, f->store, f->alice, "member-add", NULL, body), 0);
	accord_hex_encode(hex, w->carol->pub.pk, 32);
	snprintf(body, sizeof(body), "{\"key\":\"%s\",\"member\":\"carol\",\"admin\":false}", hex);
	assert_int_equal(th_append(id, f->store, f->alice, "member-add", NULL, body), 0);
	assert_int_equal(th_append(inc, f->store, f->alice, "open", NULL, open_body), 0);
	note(id, f, w->bob, inc, "base");
	note(id, f, w->carol, inc, "carol joins");
	snprintf(ref, sizeof(ref), "%s%s", ACCORD_FEED_PREFIX, w->bob->pub.id);
	assert_int_equal(accord_store_ref_get(&base, f->store, ref), 0);
	note(w->a, f, w->bob, inc, "side A");
	assert_int_equal(accord_store_ref_get(&a, f->store, ref), 0);
	git_oid_tostr(w->a_commit, sizeof(w->a_commit), &a);
	note(w->saw_a, f, w->carol, inc, "carol saw A");
	set_ref(f, ref, &base); /* the second machine, which never saw A */
	note(w->b, f, w->bob, inc, "side B");
	note(w->saw_b, f, f->alice, inc, "alice saw B");
	note(w->c, f, w->bob, inc, "C, after B");
	snprintf(ref, sizeof(ref), "%s%s/%s", ACCORD_EVIDENCE_PREFIX, w->bob->pub.id, w->a_commit);
	set_ref(f, ref, &a);
}

static void free_fork(fork_world *w)
{
	accord_key_free(w->bob);
	accord_key_free(w->carol);
}

static const accord_finding *finding_on(const accord_ledger *l, accord_audit_kind kind,
					const char *entry)
{
	size_t i;

	for (i = 0; i < l->finding_count; i++)
		if (l->findings[i].kind == kind && (!entry || !strcmp(l->findings[i].entry, entry)))
			return &l->findings[i];
	return NULL;
}

/*
 * After a proof, a forked key's entries count where a counted entry of
 * another key depends on them, on either side of the fork; the rest are
 * set aside (forked), not faults; the other keys' entries count.
 */
static void test_ledger_fork_counts_what_others_depend_on(void **state)
{
	fixture *f = *state;
	fork_world w;
	accord_ledger *l = NULL;
	const accord_finding *x;

	memset(&w, 0, sizeof(w));
	make_fork(f, &w);
	assert_int_equal(accord_ledger_load(&l, f->store), 0);
	assert_non_null(finding_on(l, ACCORD_AUDIT_EQUIVOCATION, NULL));
	assert_non_null(accord_ledger_entry(l, w.a));	  /* on the evidence, carol depends on it */
	assert_non_null(accord_ledger_entry(l, w.b));	  /* on the feed, alice depends on it */
	assert_non_null(accord_ledger_entry(l, w.saw_a)); /* neither pending nor left out */
	assert_non_null(accord_ledger_entry(l, w.saw_b));
	assert_null(accord_ledger_entry(l, w.c));
	assert_non_null(x = finding_on(l, ACCORD_AUDIT_FORKED, w.c));
	assert_true(x->set_aside);
	assert_null(finding_on(l, ACCORD_AUDIT_FORKED, w.a));
	assert_null(finding_on(l, ACCORD_AUDIT_PENDING, NULL));
	/* the two sides are concurrent: the graph compares their ids, not their seq */
	assert_int_equal(accord_ledger_in_past(l, accord_ledger_entry(l, w.saw_b),
					       accord_ledger_entry(l, w.a)),
			 0);
	assert_int_equal(accord_ledger_in_past(l, accord_ledger_entry(l, w.saw_a),
					       accord_ledger_entry(l, w.a)),
			 1);
	assert_int_equal(accord_ledger_in_past(l, accord_ledger_entry(l, w.saw_b),
					       accord_ledger_entry(l, w.b)),
			 1);
	assert_int_equal(accord_ledger_in_past(l, accord_ledger_entry(l, w.saw_a),
					       accord_ledger_entry(l, w.b)),
			 0);
	accord_ledger_free(l);
	/* the forked key writes nothing new, although all of its feed counts or is set aside */
	assert_int_equal(th_append(NULL, f->store, w.bob, "note", NULL, "{\"text\":\"x\"}") < 0, 1);
	free_fork(&w);
}

/* The incident's timeline (what counts) and the findings, as one comparable text. */
static char *verdict_text(accord_ledger *l, const char *incident)
{
	accord_buf b = ACCORD_BUF_INIT;
	const accord_entry *open = NULL;
	accord_incident *inc = NULL;
	size_t i;

	assert_int_equal(accord_ledger_find_incident(&open, l, incident), 0);
	assert_int_equal(accord_incident_build(&inc, l, open), 0);
	for (i = 0; i < inc->timeline_count; i++)
		accord_buf_printf(&b, "%s %s\n", inc->timeline[i]->type, inc->timeline[i]->id);
	accord_buf_printf(&b, "status %s\n", inc->status);
	accord_incident_free(inc);
	for (i = 0; i < l->finding_count; i++)
		accord_buf_printf(&b, "%s %s\n", accord_audit_kind_name(l->findings[i].kind),
				  l->findings[i].entry);
	return accord_buf_detach(&b);
}

static const unsigned char fork_cache_key[ACCORD_LEDGER_CACHE_KEY_LEN] =
	"a test key, never a real one...";

/*
 * TRUST.md attack 5: a copy that received the feeds and the proof one at a
 * time, in any order, opening through its index after each arrival,
 * reaches the verdict of a fresh verification of everything.
 */
static void test_ledger_fork_same_verdict_any_arrival(void **state)
{
	fixture *f = *state;
	fork_world w;
	accord_ledger *l = NULL;
	accord_ledger_options o = ACCORD_LEDGER_OPTIONS_INIT;
	char *want, *got, refs[4][160], cmd[1024], ledger[ACCORD_ID_HEXLEN + 1];
	unsigned seed = 7;
	int order;

	memset(&w, 0, sizeof(w));
	make_fork(f, &w);
	assert_int_equal(accord_ledger_load(&l, f->store), 0);
	want = verdict_text(l, w.inc);
	assert_non_null(strstr(want, w.a));
	assert_non_null(strstr(want, w.b));
	snprintf(ledger, sizeof(ledger), "%s", accord_ledger_id(l));
	accord_ledger_free(l);
	snprintf(refs[0], sizeof(refs[0]), "%s%s", ACCORD_FEED_PREFIX, f->alice->pub.id);
	snprintf(refs[1], sizeof(refs[1]), "%s%s", ACCORD_FEED_PREFIX, w.bob->pub.id);
	snprintf(refs[2], sizeof(refs[2]), "%s%s", ACCORD_FEED_PREFIX, w.carol->pub.id);
	snprintf(refs[3], sizeof(refs[3]), "%s%s/%s", ACCORD_EVIDENCE_PREFIX, w.bob->pub.id,
		 w.a_commit);
	o.cache_key = fork_cache_key;
	for (order = 0; order < 8; order++) {
		int perm[4] = { 0, 1, 2, 3 }, i;
		accord_store *copy = NULL;
		char path[512];

		for (i = 3; i > 0; i--) { /* a fixed shuffle per round: the same on every run */
			int j, t;

			seed = seed * 1103515245u + 12345u;
			j = (int)((seed >> 16) % (unsigned)(i + 1));
			t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		snprintf(path, sizeof(path), "%s/copy%d", f->dir, order);
		assert_int_equal(accord_store_open_or_init(&copy, path), 0);
		assert_int_equal(accord_store_config_set(copy, "accord.ledger", ledger), 0);
		for (i = 0; i < 4; i++) {
			snprintf(cmd, sizeof(cmd), "git -C '%s' fetch -q '%s' '+%s:%s'",
				 accord_store_gitdir(copy), accord_store_gitdir(f->store),
				 refs[perm[i]], refs[perm[i]]);
			assert_int_equal(system(cmd), 0);
			/* each arrival read as the everyday commands read it; no genesis yet is an error */
			if (accord_ledger_open(&l, copy, &o) == 0)
				accord_ledger_free(l);
			l = NULL;
		}
		assert_int_equal(accord_ledger_open(&l, copy, &o), 0);
		got = verdict_text(l, w.inc);
		assert_string_equal(got, want);
		free(got);
		accord_ledger_free(l);
		accord_store_free(copy);
	}
	free(want);
	free_fork(&w);
}

/*
 * attack105 02: while a fork side stands set aside, a new entry may vouch
 * for it and change other entries' verdicts, which recording it as an
 * append would not show. So the index leaves it for the next open, which
 * has the engine judge (a rebuild: the marker left in the index folder
 * goes), and reaches the verdict of a fresh verification.
 */
static void test_ledger_fork_append_rejudged_by_the_engine(void **state)
{
	fixture *f = *state;
	fork_world w;
	accord_ledger *l = NULL;
	const accord_entry *open = NULL;
	accord_ledger_options o = ACCORD_LEDGER_OPTIONS_INIT;
	cJSON *body = cJSON_Parse("{\"text\":\"alice, routinely\"}");
	char *dir = NULL, *want, *got, marker[1024];
	FILE *fp;

	memset(&w, 0, sizeof(w));
	make_fork(f, &w);
	o.cache_key = fork_cache_key;
	assert_int_equal(accord_ledger_open(&l, f->store, &o),
			 0); /* the index, from a verification */
	assert_non_null(finding_on(l, ACCORD_AUDIT_FORKED, w.c));
	accord_ledger_free(l);
	assert_int_equal(accord_store_state_path(&dir, f->store, "index"), 0);
	snprintf(marker, sizeof(marker), "%s/marker", dir);
	assert_non_null(fp = fopen(marker, "w"));
	fclose(fp);
	/* an everyday write, through the index */
	assert_int_equal(accord_store_lock(f->store), 0);
	assert_int_equal(accord_ledger_open(&l, f->store, &o), 0);
	assert_int_equal(accord_ledger_find_incident(&open, l, w.inc), 0);
	assert_int_equal(accord_ledger_append(NULL, l, f->alice, "note", w.inc, body), 0);
	accord_ledger_free(l);
	accord_store_unlock(f->store);
	assert_int_equal(access(marker, F_OK), 0);
	/* the next open judges it with the engine, and agrees with a fresh verification */
	assert_int_equal(accord_ledger_open(&l, f->store, &o), 0);
	assert_int_equal(access(marker, F_OK), -1);
	got = verdict_text(l, w.inc);
	accord_ledger_free(l);
	assert_int_equal(accord_ledger_load(&l, f->store), 0);
	want = verdict_text(l, w.inc);
	accord_ledger_free(l);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(dir);
	cJSON_Delete(body);
	free_fork(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ledger_create_and_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_append_chains, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_append_refuses_invalid_body, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_append_compare_and_swap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ledger_detects_changed_entry_bytes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ledger_detects_extra_header_and_foreign_tree,
						setup, teardown),
		cmocka_unit_test(test_commit_parse_splits_signature),
		cmocka_unit_test_setup_teardown(test_ledger_detects_other_ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_detects_feed_of_wrong_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_lock_is_reentrant_per_handle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ledger_fork_counts_what_others_depend_on,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_fork_same_verdict_any_arrival, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ledger_fork_append_rejudged_by_the_engine,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
