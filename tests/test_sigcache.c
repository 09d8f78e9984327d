/* accord_sigcache: the memo of verified signatures, keyed by exact bytes, trusted only when tagged. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#include "sigcache.h"

typedef struct {
	th_fixture *base;
	unsigned char key[ACCORD_SIGCACHE_KEY_LEN];
	char path[600];	   /* the cache file */
	accord_commit *c1; /* alice's genesis commit, read back */
	unsigned char d1[ACCORD_SIGCACHE_DIGEST_LEN];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	void *base = NULL;
	git_oid head;
	accord_pubkey signer;

	assert_non_null(f);
	th_fixture_setup(&base);
	f->base = base;
	memset(f->key, 0x5a, sizeof(f->key));
	snprintf(f->path, sizeof(f->path), "%s/accord/sigcache",
		 accord_store_gitdir(f->base->store));
	/* a real signed commit: the genesis entry on alice's feed */
	assert_int_equal(accord_store_ref_get(&head, f->base->store, f->base->feed), 0);
	assert_int_equal(accord_commit_read(&f->c1, f->base->store, &head), 0);
	assert_int_equal(accord_sshsig_verify(&signer, f->c1->signature.ptr, f->c1->signature.size,
					      "git", f->c1->payload.ptr, f->c1->payload.size),
			 0);
	assert_true(accord_pubkey_same(&signer, &f->base->alice->pub));
	accord_sigcache_digest(f->d1, f->c1->signature.ptr, f->c1->signature.size,
			       f->c1->payload.ptr, f->c1->payload.size);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	void *base = f->base;

	accord_commit_free(f->c1);
	free(f);
	return th_fixture_teardown(&base);
}

static accord_sigcache *open_cache(fixture *f, const unsigned char *key)
{
	accord_sigcache *c = NULL;

	assert_int_equal(accord_sigcache_open(&c, accord_store_gitdir(f->base->store), key), 0);
	assert_non_null(c);
	return c;
}

/* A fresh cache on the same repository and key, loaded: what the next command sees. */
static accord_sigcache *reopen(fixture *f)
{
	accord_sigcache *c = open_cache(f, f->key);

	accord_sigcache_load(c);
	return c;
}

/* Save one record for alice's genesis commit. */
static void save_one(fixture *f)
{
	accord_sigcache *c = open_cache(f, f->key);

	accord_sigcache_put(c, f->d1, &f->base->alice->pub);
	assert_int_equal(accord_sigcache_save(c), 0);
	accord_sigcache_free(c);
}

static void test_sigcache_digest_is_of_exact_bytes(void **state)
{
	fixture *f = *state;
	unsigned char d[ACCORD_SIGCACHE_DIGEST_LEN], e[ACCORD_SIGCACHE_DIGEST_LEN];
	accord_buf payload = ACCORD_BUF_INIT;

	/* the same bytes, the same digest */
	accord_sigcache_digest(d, f->c1->signature.ptr, f->c1->signature.size, f->c1->payload.ptr,
			       f->c1->payload.size);
	assert_memory_equal(d, f->d1, sizeof(d));

	/* one byte of the signed commit changed: another digest */
	accord_buf_put(&payload, f->c1->payload.ptr, f->c1->payload.size);
	payload.ptr[payload.size - 2] ^= 1;
	accord_sigcache_digest(d, f->c1->signature.ptr, f->c1->signature.size, payload.ptr,
			       payload.size);
	assert_memory_not_equal(d, f->d1, sizeof(d));
	accord_buf_dispose(&payload);
	/* one byte of the signature changed, or the signature cut short */
	accord_sigcache_digest(d, f->c1->signature.ptr, f->c1->signature.size - 1,
			       f->c1->payload.ptr, f->c1->payload.size);
	assert_memory_not_equal(d, f->d1, sizeof(d));

	/* the boundary between signature and message counts: "ab"+"c" is not "a"+"bc" */
	accord_sigcache_digest(d, "ab", 2, "c", 1);
	accord_sigcache_digest(e, "a", 1, "bc", 2);
	assert_memory_not_equal(d, e, sizeof(d));
}

static void test_sigcache_round_trip(void **state)
{
	fixture *f = *state;
	accord_sigcache *c = open_cache(f, f->key);
	accord_pubkey got;
	unsigned char other[ACCORD_SIGCACHE_DIGEST_LEN];
	struct stat st;

	/* nothing there yet: an empty cache, and nothing to save */
	accord_sigcache_load(c);
	assert_int_equal(accord_sigcache_count(c), 0);
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 0);
	assert_int_equal(accord_sigcache_save(c), 0);
	assert_int_equal(stat(f->path, &st), -1);

	/* a record added is counted, found once saved, and written to a private file */
	accord_sigcache_put(c, f->d1, &f->base->alice->pub);
	assert_int_equal(accord_sigcache_count(c), 1);
	assert_int_equal(accord_sigcache_save(c), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	accord_sigcache_free(c);

	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 1);
	memset(&got, 0xee, sizeof(got));
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 1);
	assert_memory_equal(got.pk, f->base->alice->pub.pk, sizeof(got.pk));
	assert_string_equal(got.id, f->base->alice->pub.id);
	assert_int_equal(got.type, ACCORD_KEY_ED25519);
	assert_string_equal(got.application, "");
	/* another digest is not found */
	memcpy(other, f->d1, sizeof(other));
	other[31] ^= 1;
	assert_int_equal(accord_sigcache_get(&got, c, other), 0);
	accord_sigcache_free(c);
}

static void test_sigcache_nothing_read_until_load(void **state)
{
	fixture *f = *state;
	accord_sigcache *c;
	accord_pubkey got;

	save_one(f);
	c = open_cache(f, f->key);
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 0);
	accord_sigcache_load(c);
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 1);
	/* a second load reads nothing again */
	assert_int_equal(unlink(f->path), 0);
	accord_sigcache_load(c);
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 1);
	accord_sigcache_free(c);
}

static void test_sigcache_merges_without_duplicates(void **state)
{
	fixture *f = *state;
	accord_key *bob = th_key(f->base->dir, "bob");
	unsigned char d2[ACCORD_SIGCACHE_DIGEST_LEN];
	accord_sigcache *c;
	accord_pubkey got;

	save_one(f);
	accord_sigcache_digest(d2, "bob's signature", 15, "bob's commit", 12);
	/* a second run adds bob's record and alice's again */
	c = reopen(f);
	accord_sigcache_put(c, d2, &bob->pub);
	accord_sigcache_put(c, f->d1, &f->base->alice->pub);
	accord_sigcache_put(c, d2, &bob->pub);
	assert_int_equal(accord_sigcache_save(c), 0);
	accord_sigcache_free(c);

	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 2);
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 1);
	assert_string_equal(got.id, f->base->alice->pub.id);
	assert_int_equal(accord_sigcache_get(&got, c, d2), 1);
	assert_string_equal(got.id, bob->pub.id);
	accord_sigcache_free(c);
	accord_key_free(bob);
}

static void write_file(const char *path, const void *data, size_t len);

static void test_sigcache_keeps_sk_application(void **state)
{
	fixture *f = *state;
	accord_pubkey sk = f->base->alice->pub, got;
	unsigned char d[ACCORD_SIGCACHE_DIGEST_LEN];
	accord_buf data = ACCORD_BUF_INIT;
	accord_sigcache *c;
	size_t at;

	sk.type = ACCORD_KEY_SK_ED25519;
	snprintf(sk.application, sizeof(sk.application), "ssh:accord-test");
	accord_pubkey_set_id(&sk);
	accord_sigcache_digest(d, "sk signature", 12, "sk commit", 9);
	c = open_cache(f, f->key);
	accord_sigcache_put(c, d, &sk);
	accord_sigcache_put(c, f->d1, &f->base->alice->pub);
	assert_int_equal(accord_sigcache_save(c), 0);
	accord_sigcache_free(c);

	c = reopen(f);
	assert_int_equal(accord_sigcache_get(&got, c, d), 1);
	assert_int_equal(got.type, ACCORD_KEY_SK_ED25519);
	assert_string_equal(got.application, "ssh:accord-test");
	assert_true(accord_pubkey_same(&got, &sk));
	assert_string_equal(got.id, sk.id);
	/* the plain key's record stays a plain key */
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 1);
	assert_true(accord_pubkey_same(&got, &f->base->alice->pub));
	accord_sigcache_free(c);

	/* the tag covers the application: the plain record made to name the sk one's is not found */
	assert_int_equal(accord_buf_read_file(&data, f->path, 1 << 20), 0);
	at = 18 + 1 + 1 + strlen("ssh:accord-test"); /* the application table */
	assert_int_equal(data.size, at + 2 * 81);
	at += (unsigned char)data.ptr[at + 64] == 0 ? 64 : 81 + 64;
	assert_int_equal(data.ptr[at], 0);
	data.ptr[at] = 1;
	write_file(f->path, data.ptr, data.size);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 1);
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 0);
	assert_int_equal(accord_sigcache_get(&got, c, d), 1);
	accord_sigcache_free(c);
	accord_buf_dispose(&data);
}

/* Replace the cache file with `len` bytes of `data`. */
static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The loaded cache of the file as it stands now must be empty. */
static void assert_ignored(fixture *f, const char *why)
{
	accord_sigcache *c = reopen(f);
	accord_pubkey got;

	if (accord_sigcache_count(c) != 0)
		fail_msg("a cache file %s was trusted", why);
	assert_int_equal(accord_sigcache_get(&got, c, f->d1), 0);
	accord_sigcache_free(c);
}

static void test_sigcache_unauthentic_file_is_empty(void **state)
{
	fixture *f = *state;
	accord_buf good = ACCORD_BUF_INIT;
	accord_buf bad = ACCORD_BUF_INIT;
	unsigned char other_key[ACCORD_SIGCACHE_KEY_LEN];
	accord_sigcache *c;
	char copy[700];
	size_t i;

	save_one(f);
	assert_int_equal(accord_buf_read_file(&good, f->path, 1 << 20), 0);
	/* "accord-sigcache 2\n", no application, one record: digest, key, application, tag */
	assert_int_equal(good.size, 18 + 1 + 32 + 32 + 1 + 16);

	/* another user's cache key: the tag does not authenticate */
	memset(other_key, 0xa5, sizeof(other_key));
	c = open_cache(f, other_key);
	assert_int_equal(accord_sigcache_count(c), 0);
	accord_sigcache_free(c);

	/* every single changed byte (magic, table, digest, key, application, tag): untrusted */
	for (i = 0; i < good.size; i++) {
		accord_buf_clear(&bad);
		accord_buf_put(&bad, good.ptr, good.size);
		bad.ptr[i] ^= 0x01;
		write_file(f->path, bad.ptr, bad.size);
		assert_ignored(f, "with a changed byte");
	}
	/* cut short, or longer */
	write_file(f->path, good.ptr, good.size - 1);
	assert_ignored(f, "cut short");
	write_file(f->path, good.ptr, 10);
	assert_ignored(f, "of 10 bytes");
	accord_buf_clear(&bad);
	accord_buf_put(&bad, good.ptr, good.size);
	accord_buf_putc(&bad, 0);
	write_file(f->path, bad.ptr, bad.size);
	assert_ignored(f, "with a byte appended");

	/* the same file in another repository: bound to the one it was written for */
	write_file(f->path, good.ptr, good.size);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 1);
	accord_sigcache_free(c);
	snprintf(copy, sizeof(copy), "%s/other", f->base->dir);
	assert_int_equal(mkdir(copy, 0700), 0);
	snprintf(copy, sizeof(copy), "%s/other/accord", f->base->dir);
	assert_int_equal(mkdir(copy, 0700), 0);
	snprintf(copy, sizeof(copy), "%s/other/accord/sigcache", f->base->dir);
	write_file(copy, good.ptr, good.size);
	snprintf(copy, sizeof(copy), "%s/other", f->base->dir);
	assert_int_equal(accord_sigcache_open(&c, copy, f->key), 0);
	assert_int_equal(accord_sigcache_count(c), 0);
	accord_sigcache_free(c);

	accord_buf_dispose(&good);
	accord_buf_dispose(&bad);
}

/* The digest of a made-up commit "commit <i>", signed "sig". */
static void commit_digest(unsigned char *d, int i)
{
	char msg[32];

	snprintf(msg, sizeof(msg), "commit %d", i);
	accord_sigcache_digest(d, "sig", 3, msg, strlen(msg));
}

struct putter {
	accord_sigcache *cache;
	const accord_pubkey *signer;
	int from;
};

static void *put_many(void *arg)
{
	struct putter *p = arg;
	unsigned char d[ACCORD_SIGCACHE_DIGEST_LEN];

	for (int i = 0; i < 5000; i++) {
		commit_digest(d, p->from + i);
		accord_sigcache_put(p->cache, d, p->signer);
	}
	return NULL;
}

static void test_sigcache_put_from_threads(void **state)
{
	fixture *f = *state;
	accord_sigcache *c = open_cache(f, f->key);
	struct putter p[4];
	pthread_t t[4];
	unsigned char d[ACCORD_SIGCACHE_DIGEST_LEN];
	accord_pubkey got;
	int i;

	accord_sigcache_load(c);
	/* four threads, overlapping by half: 12,500 distinct records */
	for (i = 0; i < 4; i++) {
		p[i] = (struct putter){ c, &f->base->alice->pub, i * 2500 };
		assert_int_equal(pthread_create(&t[i], NULL, put_many, &p[i]), 0);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(accord_sigcache_count(c), 20000);
	assert_int_equal(accord_sigcache_save(c), 0);
	accord_sigcache_free(c);

	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 12500);
	for (i = 0; i < 12500; i++) {
		commit_digest(d, i);
		assert_int_equal(accord_sigcache_get(&got, c, d), 1);
	}
	accord_sigcache_free(c);
}

/* Save `n` records for the digests of "commit <from>" .. "commit <from + n - 1>". */
static void save_range(fixture *f, const accord_pubkey *signer, int from, int n)
{
	accord_sigcache *c = reopen(f);
	unsigned char d[ACCORD_SIGCACHE_DIGEST_LEN];
	int i;

	for (i = 0; i < n; i++) {
		commit_digest(d, from + i);
		accord_sigcache_put(c, d, signer);
	}
	assert_int_equal(accord_sigcache_save(c), 0);
	accord_sigcache_free(c);
}

static int found(accord_sigcache *c, int i)
{
	unsigned char d[ACCORD_SIGCACHE_DIGEST_LEN];
	accord_pubkey got;

	commit_digest(d, i);
	return accord_sigcache_get(&got, c, d);
}

/*
 * A few records added to a large memo go to a file of their own: the bulk
 * is not rewritten (same inode, same bytes) until the additions reach an
 * eighth of it, when they are merged into it.
 */
static void test_sigcache_adds_beside_the_bulk(void **state)
{
	fixture *f = *state;
	const accord_pubkey *alice = &f->base->alice->pub;
	char newpath[700];
	struct stat bulk, after, st;
	accord_sigcache *c;
	int i;

	snprintf(newpath, sizeof(newpath), "%s-new", f->path);
	save_range(f, alice, 0, 8000);
	assert_int_equal(stat(f->path, &bulk), 0);
	assert_int_equal(bulk.st_size, 18 + 1 + 8000 * 81);
	assert_int_equal(stat(newpath, &st), -1);

	save_range(f, alice, 8000, 600);
	save_range(f, alice, 8600, 300);
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_equal(after.st_ino, bulk.st_ino);
	assert_int_equal(after.st_size, bulk.st_size);
	assert_int_equal(stat(newpath, &st), 0);
	assert_int_equal(st.st_size, 18 + 1 + 900 * 81);
	assert_int_equal(st.st_mode & 0777, 0600);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 8900);
	for (i = 0; i < 8900; i++)
		assert_int_equal(found(c, i), 1);
	assert_int_equal(found(c, 8900), 0);
	accord_sigcache_free(c);

	/* records the memo holds already are not added again */
	save_range(f, alice, 0, 8900);
	assert_int_equal(stat(newpath, &st), 0);
	assert_int_equal(st.st_size, 18 + 1 + 900 * 81);

	/* past an eighth of the bulk: one bulk again, each digest once */
	save_range(f, alice, 8900, 200);
	assert_int_equal(stat(newpath, &st), -1);
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_equal(after.st_size, 18 + 1 + 9100 * 81);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 9100);
	for (i = 0; i < 9100; i++)
		assert_int_equal(found(c, i), 1);
	accord_sigcache_free(c);
}

/*
 * Each record is checked on its own when it is found: a changed byte in
 * one record hides that record, not the others, and a merge drops it.
 */
static void test_sigcache_checks_each_record(void **state)
{
	fixture *f = *state;
	accord_buf data = ACCORD_BUF_INIT;
	accord_sigcache *c;
	size_t at;
	int i, lost = -1;

	save_range(f, &f->base->alice->pub, 0, 100);
	assert_int_equal(accord_buf_read_file(&data, f->path, 1 << 20), 0);
	assert_int_equal(data.size, 19 + 100 * 81);
	at = 19 + 40 * 81 + 32 + 5; /* a byte of the 41st record's key */
	data.ptr[at] ^= 0x40;
	write_file(f->path, data.ptr, data.size);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 99);
	for (i = 0; i < 100; i++)
		if (!found(c, i)) {
			assert_int_equal(lost, -1);
			lost = i;
		}
	assert_true(lost >= 0);
	accord_sigcache_free(c);

	/* a merge keeps the 99 that authenticate; the lost one comes back once checked again */
	save_range(f, &f->base->alice->pub, 100, 20);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 119);
	assert_int_equal(found(c, lost), 0);
	accord_sigcache_free(c);
	save_range(f, &f->base->alice->pub, lost, 1);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 120);
	assert_int_equal(found(c, lost), 1);
	accord_sigcache_free(c);
	accord_buf_dispose(&data);
}

/*
 * A memo cut short in place (a copy made over it) while a command holds it
 * loaded: the command reads on from what it read (attack141 01: a mapped
 * file killed it with SIGBUS), and the next one takes what is left.
 */
static void test_sigcache_cut_short_while_loaded(void **state)
{
	fixture *f = *state;
	accord_sigcache *c;
	int i;

	save_range(f, &f->base->alice->pub, 0, 2000);
	c = reopen(f);
	assert_int_equal(truncate(f->path, 19 + 10 * 81), 0);
	for (i = 0; i < 2000; i++)
		assert_int_equal(found(c, i), 1);
	accord_sigcache_free(c);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 10);
	accord_sigcache_free(c);
}

/*
 * A save killed before its rename leaves a copy of the memo behind: the
 * next save removes those older than an hour, and nothing else.
 */
static void test_sigcache_sweeps_old_temporary_files(void **state)
{
	fixture *f = *state;
	static const char *const names[] = {
		".sigcache.tmp-0123456789abcdef",     /* old: removed */
		".sigcache-new.tmp-00000000ffffffff", /* old: removed */
		".sigcache.tmp-fedcba9876543210",     /* new: another save's, kept */
		".sigcache.tmp-0123",		      /* not one of ours: kept */
		".index.tmp-0123456789abcdef",	      /* nor this */
	};
	struct timespec hours_ago[2] = { { time(NULL) - 7200, 0 }, { time(NULL) - 7200, 0 } };
	char dir[600], path[700];
	struct stat st;
	size_t i;

	save_one(f);
	snprintf(dir, sizeof(dir), "%s/accord", accord_store_gitdir(f->base->store));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		write_file(path, "x", 1);
		if (i != 2)
			assert_int_equal(utimensat(AT_FDCWD, path, hours_ago, 0), 0);
	}
	save_range(f, &f->base->alice->pub, 0, 5);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		assert_int_equal(stat(path, &st), i < 2 ? -1 : 0);
	}
}

/*
 * A held memo writes nothing when saved and keeps what was added; released,
 * it writes it (the hook: what a refused push taught is never kept).
 */
static void test_sigcache_hold_defers_saves(void **state)
{
	fixture *f = *state;
	accord_sigcache *c = open_cache(f, f->key);
	struct stat st;

	accord_sigcache_hold(c, 1);
	accord_sigcache_put(c, f->d1, &f->base->alice->pub);
	assert_int_equal(accord_sigcache_save(c), 0);
	assert_int_equal(stat(f->path, &st), -1);
	assert_int_equal(accord_sigcache_count(c), 1); /* still added */
	accord_sigcache_hold(c, 0);
	assert_int_equal(accord_sigcache_save(c), 0);
	assert_int_equal(stat(f->path, &st), 0);
	accord_sigcache_free(c);
	c = reopen(f);
	assert_int_equal(accord_sigcache_count(c), 1);
	accord_sigcache_free(c);
	accord_sigcache_hold(NULL, 1); /* no memo: nothing to hold */
}

static void test_sigcache_null_is_an_empty_cache(void **state)
{
	accord_pubkey got;
	unsigned char d[ACCORD_SIGCACHE_DIGEST_LEN] = { 0 };

	(void)state;
	accord_sigcache_load(NULL);
	assert_int_equal(accord_sigcache_get(&got, NULL, d), 0);
	accord_sigcache_put(NULL, d, &got);
	assert_int_equal(accord_sigcache_count(NULL), 0);
	assert_int_equal(accord_sigcache_save(NULL), 0);
	accord_sigcache_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sigcache_digest_is_of_exact_bytes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_nothing_read_until_load, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_merges_without_duplicates, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_keeps_sk_application, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_unauthentic_file_is_empty, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_put_from_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_adds_beside_the_bulk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_checks_each_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_cut_short_while_loaded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_sweeps_old_temporary_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigcache_hold_defers_saves, setup, teardown),
		cmocka_unit_test(test_sigcache_null_is_an_empty_cache),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
