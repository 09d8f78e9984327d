/* Bulk appends: packfiles, the same commits as accord_store_append, refs only on commit. */
#include <dirent.h>
#include <sys/stat.h>

#include "helpers.h"

#include "batch.h"

#define T0 1735689600 /* 2025-01-01T00:00:00Z */

typedef struct {
	char *dir;
	accord_key *alice, *bob;
	accord_store *store;
	char repo[512];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->dir = th_tmpdir();
	f->alice = th_key(f->dir, "alice");
	f->bob = th_key(f->dir, "bob");
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->dir);
	assert_int_equal(accord_store_open_or_init(&f->store, f->repo), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	accord_store_free(f->store);
	accord_key_free(f->alice);
	accord_key_free(f->bob);
	th_rmdir(f->dir);
	free(f);
	return 0;
}

static cJSON *json(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	assert_non_null(j);
	return j;
}

/*
 * Append one entry through the batch; the body is JSON text. `dep` (another
 * feed's entry it depends on) and `admission` may be NULL.
 */
static void batch_add_deps(char *id, accord_batch *b, const accord_key *key, const char *ledger,
			   int64_t lamport, const char *type, const char *incident,
			   const char *body, const char *dep, const char *admission)
{
	accord_entry_fields ef = { 0 };
	char deps[1][ACCORD_ID_HEXLEN + 1];
	cJSON *j = json(body);

	ef.ledger = ledger;
	ef.lamport = lamport;
	ef.time = T0 + lamport * 60;
	ef.type = type;
	ef.incident = incident;
	ef.body = j;
	if (dep) {
		snprintf(deps[0], sizeof(deps[0]), "%s", dep);
		ef.deps = (const char(*)[ACCORD_ID_HEXLEN + 1]) deps;
		ef.dep_count = 1;
	}
	ef.admission = admission;
	assert_int_equal(accord_batch_append(id, NULL, b, key, &ef), 0);
	cJSON_Delete(j);
}

static void batch_add(char *id, accord_batch *b, const accord_key *key, const char *ledger,
		      int64_t lamport, const char *type, const char *incident, const char *body)
{
	batch_add_deps(id, b, key, ledger, lamport, type, incident, body, NULL, NULL);
}

/*
 * Two feeds written in turns, as two writers who sync before each entry
 * would: an entry depends on the other feed's last entry when it did not
 * already, and its clock is derived from prev and that dep.
 */
typedef struct {
	const accord_key *key[2];
	char last[2][ACCORD_ID_HEXLEN + 1]; /* each feed's last entry, "" if none */
	int64_t lamport[2];
	char seen[2][ACCORD_ID_HEXLEN + 1]; /* the other feed's entry each last depended on */
} two_feeds;

static void turn(char *id, two_feeds *t, accord_batch *b, int who, const char *ledger,
		 const char *type, const char *incident, const char *body, const char *admission)
{
	int other = !who;
	const char *dep =
		t->last[other][0] && strcmp(t->seen[who], t->last[other]) ? t->last[other] : NULL;
	int64_t lamport = t->lamport[who];
	char out[ACCORD_ID_HEXLEN + 1];

	if (dep && t->lamport[other] > lamport)
		lamport = t->lamport[other];
	batch_add_deps(out, b, t->key[who], ledger, lamport + 1, type, incident, body, dep,
		       admission);
	if (dep)
		memcpy(t->seen[who], dep, sizeof(t->seen[who]));
	memcpy(t->last[who], out, sizeof(out));
	t->lamport[who] = lamport + 1;
	if (id)
		memcpy(id, out, sizeof(out));
}

/* Objects still loose: files in objects/xx/. */
static size_t loose_objects(const char *repo)
{
	char path[1024];
	size_t n = 0;
	int i;

	for (i = 0; i < 256; i++) {
		DIR *d;
		struct dirent *de;

		snprintf(path, sizeof(path), "%s/.git/objects/%02x", repo, i);
		if (!(d = opendir(path)))
			continue;
		while ((de = readdir(d)))
			n += de->d_name[0] != '.';
		closedir(d);
	}
	return n;
}

static size_t files_ending(const char *repo, const char *suffix)
{
	char path[1024];
	DIR *d;
	struct dirent *de;
	size_t n = 0, sl = strlen(suffix);

	snprintf(path, sizeof(path), "%s/.git/objects/pack", repo);
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		n += l > sl && strcmp(de->d_name + l - sl, suffix) == 0;
	}
	closedir(d);
	return n;
}

static const char *open_body =
	"{\"title\":\"Checkout errors\",\"severity\":2,\"service\":\"checkout\","
	"\"started_at\":\"2025-01-01T00:00:00Z\",\"parties\":[\"acme\",\"netco\"],"
	"\"tickets\":[{\"party\":\"acme\",\"id\":\"ACME-1\"}]}";

/* A two-party ledger of about `n` entries written in one batch; genesis id in `ledger`. */
static void write_ledger(fixture *f, accord_batch *b, char *ledger, int n)
{
	char id[65], invite[65], inc[65], res[65], body[1024];
	two_feeds t = { { f->alice, f->bob }, { "", "" }, { 0, 0 }, { "", "" } };
	int i, written = 0;

	turn(ledger, &t, b, 0, NULL, "genesis", NULL,
	     "{\"title\":\"t\",\"party\":\"acme\",\"member\":\"alice\"}", NULL);
	assert_int_equal(accord_store_config_set(f->store, "accord.ledger", ledger), 0);
	{
		char pk[65];

		accord_hex_encode(pk, f->bob->pub.pk, 32);
		snprintf(body, sizeof(body),
			 "{\"party\":\"netco\",\"key\":\"%s\",\"member\":\"bob\"}", pk);
	}
	turn(invite, &t, b, 0, ledger, "party-invite", NULL, body, NULL);
	snprintf(body, sizeof(body), "{\"party\":\"netco\",\"invite\":\"%s\"}", invite);
	turn(id, &t, b, 1, ledger, "party-accept", NULL, body, invite);
	for (written = 3; written < n; written += 9) {
		turn(inc, &t, b, 0, ledger, "open", NULL, open_body, NULL);
		for (i = 0; i < 4; i++)
			turn(id, &t, b, i % 2, ledger, "note", inc,
			     "{\"text\":\"Error rates are back to normal\\nwatching.\"}", NULL);
		turn(id, &t, b, 1, ledger, "status", inc, "{\"status\":\"mitigated\"}", NULL);
		turn(res, &t, b, 0, ledger, "resolution", inc,
		     "{\"summary\":\"s\",\"factors\":[\"a\"],\"went_well\":[],\"went_wrong\":[],"
		     "\"lucky\":[],\"actions\":[{\"text\":\"x\",\"owners\":[\"netco\"]}]}",
		     NULL);
		snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", res);
		turn(id, &t, b, 1, ledger, "cosign", inc, body, NULL);
		snprintf(body, sizeof(body),
			 "{\"resolution\":\"%s\",\"action\":1,\"state\":\"done\"}", res);
		turn(id, &t, b, 1, ledger, "action", inc, body, NULL);
	}
}

static void test_batch_same_commit_as_store_append(void **state)
{
	fixture *f = *state;
	accord_store *other = NULL;
	accord_batch *b = NULL;
	accord_buf raw1 = ACCORD_BUF_INIT, raw2 = ACCORD_BUF_INIT;
	accord_entry_fields ef = { 0 };
	unsigned char hash[32];
	char path[600], id1[65];
	git_oid s1, s2, b1, b2;
	cJSON *g = json("{\"title\":\"t\",\"party\":\"acme\",\"member\":\"alice\"}");
	cJSON *note = json("{\"text\":\"two\\nlines\"}");

	ef.author = &f->alice->pub;
	ef.seq = 1;
	ef.lamport = 1;
	ef.time = T0;
	ef.type = "genesis";
	ef.body = g;
	assert_int_equal(accord_entry_build(&raw1, &ef), 0);
	accord_sha256(hash, raw1.ptr, raw1.size);
	accord_hex_encode(id1, hash, sizeof(hash));
	ef.ledger = id1;
	ef.seq = 2;
	ef.prev = id1;
	ef.lamport = 2;
	ef.time = T0 + 90;
	ef.type = "note";
	ef.incident = id1;
	ef.body = note;
	assert_int_equal(accord_entry_build(&raw2, &ef), 0);

	/* the same two entries through accord_store_append in another repository */
	snprintf(path, sizeof(path), "%s/other", f->dir);
	assert_int_equal(accord_store_open_or_init(&other, path), 0);
	snprintf(path, sizeof(path), "%s%s", ACCORD_FEED_PREFIX, f->alice->pub.id);
	assert_int_equal(
		accord_store_append(&s1, other, path, NULL, raw1.ptr, raw1.size, f->alice, T0), 0);
	assert_int_equal(
		accord_store_append(&s2, other, path, &s1, raw2.ptr, raw2.size, f->alice, T0 + 90),
		0);

	assert_int_equal(accord_batch_new(&b, f->store), 0);
	assert_int_equal(accord_batch_write(&b1, b, f->alice, raw1.ptr, raw1.size, T0), 0);
	assert_int_equal(accord_batch_write(&b2, b, f->alice, raw2.ptr, raw2.size, T0 + 90), 0);
	assert_true(git_oid_equal(&s1, &b1));
	assert_true(git_oid_equal(&s2, &b2));
	/* the key's own name stays out of the commit: its identity is the entry's key id */
	{
		accord_commit *c = NULL;
		accord_buf want = ACCORD_BUF_INIT;

		assert_true(f->alice->pub.name[0] != '\0');
		assert_int_equal(accord_commit_read(&c, other, &s2), 0);
		accord_commit_ident(&want, f->alice->pub.id, T0 + 90);
		assert_int_equal(c->author_len, want.size);
		assert_memory_equal(c->payload.ptr + c->author_off, want.ptr, want.size);
		assert_int_equal(c->committer_len, want.size);
		assert_memory_equal(c->payload.ptr + c->committer_off, want.ptr, want.size);
		accord_buf_dispose(&want);
		accord_commit_free(c);
	}
	/* once written raw, the batch no longer knows the feed's seq */
	{
		accord_entry_fields more = ef;

		assert_int_equal(accord_batch_append(NULL, NULL, b, f->alice, &more),
				 ACCORD_EINVALID);
	}
	assert_int_equal(accord_batch_commit(b), 0);
	{
		git_oid head;

		assert_int_equal(accord_store_ref_get(&head, f->store, path), 0);
		assert_true(git_oid_equal(&head, &s2));
	}
	accord_batch_free(b);
	accord_store_free(other);
	accord_buf_dispose(&raw1);
	accord_buf_dispose(&raw2);
	cJSON_Delete(g);
	cJSON_Delete(note);
}

static void test_batch_packs_and_verifies(void **state)
{
	fixture *f = *state;
	accord_batch *b = NULL;
	accord_ledger *l = NULL;
	char ledger[65], cmd[1200];
	size_t loose_before = loose_objects(f->repo);

	assert_int_equal(accord_batch_new(&b, f->store), 0);
	accord_batch_set_flush(b, 64, 0); /* several packs, to cross flush boundaries */
	assert_int_equal(accord_batch_set_compression(b, 10), ACCORD_EINVALID);
	assert_int_equal(accord_batch_set_compression(b, -1), ACCORD_EINVALID);
	write_ledger(f, b, ledger, 200);
	assert_true(accord_batch_count(b) >= 200);
	assert_int_equal(accord_batch_commit(b), 0);
	accord_batch_free(b);

	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	assert_true(l->count >= 200);
	assert_string_equal(l->id, ledger);
	assert_int_equal(l->feed_count, 2);
	assert_int_equal(l->parties.party_count, 2);
	accord_ledger_free(l);

	/* packed, not loose: at least 200/64 packs, each with its index */
	assert_true(files_ending(f->repo, ".pack") >= 3);
	assert_int_equal(files_ending(f->repo, ".pack"), files_ending(f->repo, ".idx"));
	assert_int_equal(loose_objects(f->repo), loose_before);
	/* stock git agrees with our pack and index checksums */
	snprintf(cmd, sizeof(cmd), "git -C '%s' fsck --full --strict >/dev/null 2>&1", f->repo);
	assert_int_equal(system(cmd), 0);
}

static void test_batch_continues_an_existing_feed(void **state)
{
	fixture *f = *state;
	accord_batch *b = NULL;
	accord_ledger *l = NULL;
	char ledger[65], id[65];

	/* the genesis before the batch's entries: time never runs backwards in a feed */
	th_set_now("2024-12-31T00:00:00Z");
	assert_int_equal(accord_ledger_create(ledger, f->store, f->alice, "acme", "t", NULL), 0);
	th_set_now(NULL);
	assert_int_equal(accord_batch_new(&b, f->store), 0);
	assert_int_equal(accord_batch_set_compression(b, 0),
			 0); /* stored, not deflated: still valid */
	batch_add(id, b, f->alice, ledger, 2, "open", NULL,
		  "{\"title\":\"t\",\"severity\":2,\"service\":\"web\","
		  "\"started_at\":\"2025-01-01T00:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}");
	batch_add(id, b, f->alice, ledger, 3, "note", id, "{\"text\":\"x\"}");
	assert_int_equal(accord_batch_commit(b), 0);
	accord_batch_free(b);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	assert_int_equal(l->count, 3);
	assert_int_equal(l->feeds[0].seq, 3);
	assert_string_equal(l->entries[2]->id, id);
	assert_string_equal(l->entries[1]->prev, ledger);
	accord_ledger_free(l);
	{
		char cmd[1200];

		snprintf(cmd, sizeof(cmd), "git -C '%s' fsck --full --strict >/dev/null 2>&1",
			 f->repo);
		assert_int_equal(system(cmd), 0);
	}
}

static void test_batch_free_without_commit_moves_no_ref(void **state)
{
	fixture *f = *state;
	accord_batch *b = NULL;
	accord_ledger *l = NULL;
	git_strarray before = { NULL, 0 }, after = { NULL, 0 };
	git_oid head_before, head_after;
	char ledger[65], id[65], feed[128];

	assert_int_equal(accord_ledger_create(ledger, f->store, f->alice, "acme", "t", NULL), 0);
	snprintf(feed, sizeof(feed), "%s%s", ACCORD_FEED_PREFIX, f->alice->pub.id);
	assert_int_equal(accord_store_ref_get(&head_before, f->store, feed), 0);
	assert_int_equal(accord_store_ref_list(&before, f->store, ACCORD_REF_PREFIX), 0);

	assert_int_equal(accord_batch_new(&b, f->store), 0);
	batch_add(
		id, b, f->alice, ledger, 2, "checkpoint", NULL,
		"{\"heads\":[{\"feed\":\"00000000000000000000000000000000\",\"seq\":1,"
		"\"hash\":\"0000000000000000000000000000000000000000000000000000000000000000\"}]}");
	batch_add(id, b, f->bob, ledger, 3, "note", ledger, "{\"text\":\"x\"}");
	assert_int_equal(accord_batch_flush(b), 0); /* objects on disk, refs untouched */
	accord_batch_free(b);

	assert_int_equal(accord_store_ref_get(&head_after, f->store, feed), 0);
	assert_true(git_oid_equal(&head_before, &head_after));
	assert_int_equal(accord_store_ref_list(&after, f->store, ACCORD_REF_PREFIX), 0);
	assert_int_equal(after.count, before.count);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	assert_int_equal(l->count, 1);
	accord_ledger_free(l);
	git_strarray_dispose(&before);
	git_strarray_dispose(&after);
}

static void test_batch_commit_loses_the_race(void **state)
{
	fixture *f = *state;
	accord_batch *b = NULL;
	accord_ledger *l = NULL;
	char ledger[65], id[65], theirs[65], feed[128];
	git_oid head;

	assert_int_equal(accord_ledger_create(ledger, f->store, f->alice, "acme", "t", NULL), 0);
	assert_int_equal(accord_batch_new(&b, f->store), 0);
	batch_add(id, b, f->alice, ledger, 2, "open", NULL,
		  "{\"title\":\"t\",\"severity\":2,\"service\":\"web\","
		  "\"started_at\":\"2025-01-01T00:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}");
	/* someone appends to the same feed before the batch commits */
	assert_int_equal(
		th_append(
			theirs, f->store, f->alice, "open", NULL,
			"{\"title\":\"u\",\"severity\":3,\"service\":\"web\","
			"\"started_at\":\"2025-01-01T00:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		0);
	snprintf(feed, sizeof(feed), "%s%s", ACCORD_FEED_PREFIX, f->alice->pub.id);
	assert_int_equal(accord_batch_commit(b), ACCORD_EMODIFIED);
	assert_non_null(strstr(accord_error_last(), feed));
	accord_batch_free(b);
	assert_int_equal(accord_ledger_open(&l, f->store, NULL), 0);
	assert_int_equal(l->count, 2);
	assert_string_equal(l->entries[1]->id, theirs);
	assert_int_equal(accord_store_ref_get(&head, f->store, feed), 0);
	assert_string_equal(l->entries[1]->commit, git_oid_tostr_s(&head));
	accord_ledger_free(l);
}

static void test_batch_refuses_what_the_ledger_would(void **state)
{
	fixture *f = *state;
	accord_batch *b = NULL;
	accord_entry_fields ef = { 0 };
	cJSON *bad = json("{\"text\":\"x\",\"blame\":\"bob\"}");

	assert_int_equal(accord_batch_new(&b, f->store), 0);
	ef.ledger = "0000000000000000000000000000000000000000000000000000000000000000";
	ef.lamport = 2;
	ef.time = T0;
	ef.type = "note";
	ef.incident = ef.ledger;
	ef.body = bad;
	assert_int_equal(accord_batch_append(NULL, NULL, b, f->alice, &ef), ACCORD_EINVALID);
	assert_int_equal(accord_batch_write(NULL, b, f->alice, "a\0b", 3, T0), ACCORD_EINVALID);
	assert_int_equal(accord_batch_count(b), 0);
	assert_int_equal(accord_batch_commit(b), 0);
	accord_batch_free(b);
	accord_batch_free(NULL);
	{
		git_strarray refs = { NULL, 0 };

		assert_int_equal(accord_store_ref_list(&refs, f->store, ACCORD_REF_PREFIX), 0);
		assert_int_equal(refs.count, 0);
		git_strarray_dispose(&refs);
	}
	cJSON_Delete(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batch_same_commit_as_store_append, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_batch_packs_and_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_continues_an_existing_feed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_batch_free_without_commit_moves_no_ref, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_batch_commit_loses_the_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_refuses_what_the_ledger_would, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
