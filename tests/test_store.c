/* The git side: opening, the lock, refs, appending by compare-and-swap, reading commits back. */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define T0 1735689600 /* 2025-01-01T00:00:00Z */

typedef struct {
	char *dir;
	accord_key *alice;
	accord_store *store;
	char repo[512];
	char feed[128]; /* alice's feed ref */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = th_tmpdir();
	f->alice = th_key(f->dir, "alice");
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->dir);
	assert_int_equal(accord_store_open_or_init(&f->store, f->repo), 0);
	snprintf(f->feed, sizeof(f->feed), "%s%s", ACCORD_FEED_PREFIX, f->alice->pub.id);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	accord_store_free(f->store);
	accord_key_free(f->alice);
	th_rmdir(f->dir);
	free(f);
	return 0;
}

static void assert_ref_is(accord_store *store, const char *ref, const git_oid *want)
{
	git_oid got;

	if (!want) {
		assert_int_equal(accord_store_ref_get(&got, store, ref), ACCORD_ENOTFOUND);
		return;
	}
	assert_int_equal(accord_store_ref_get(&got, store, ref), 0);
	assert_true(git_oid_equal(&got, want));
}

/* Append `entry` (a C string) to alice's feed, expecting success. */
static void append_ok(git_oid *out, fixture *f, const git_oid *parent, const char *entry,
		      int64_t time)
{
	int error = accord_store_append(out, f->store, f->feed, parent, entry, strlen(entry),
					f->alice, time);

	if (error)
		print_error("append: %s\n", accord_error_last());
	assert_int_equal(error, 0);
}

static void test_store_open_and_init(void **state)
{
	fixture *f = *state;
	accord_store *s = NULL;
	char path[600], cwd[4096];
	const char *gitdir;

	/* no repository: ENOTFOUND, naming the path */
	snprintf(path, sizeof(path), "%s/alice", f->dir);
	accord_error_clear();
	assert_int_equal(accord_store_open(&s, path), ACCORD_ENOTFOUND);
	assert_null(s);
	assert_non_null(strstr(accord_error_last(), path));
	/* open_or_init made a non-bare repository; open finds it again */
	gitdir = accord_store_gitdir(f->store);
	snprintf(path, sizeof(path), "%s/.git/", f->repo);
	assert_string_equal(gitdir, path);
	assert_false(git_repository_is_bare(accord_store_repo(f->store)));
	assert_int_equal(accord_store_open(&s, f->repo), 0);
	assert_string_equal(accord_store_gitdir(s), path);
	accord_store_free(s);
	s = NULL;
	/* open_or_init on an existing repository opens it */
	assert_int_equal(accord_store_open_or_init(&s, f->repo), 0);
	assert_string_equal(accord_store_gitdir(s), path);
	accord_store_free(s);
	s = NULL;
	/* a path opens only that folder, no search upwards ... */
	snprintf(path, sizeof(path), "%s/sub", f->repo);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(accord_store_open(&s, path), ACCORD_ENOTFOUND);
	/* ... while NULL searches from the current directory, as git does */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(path), 0);
	assert_int_equal(accord_store_open(&s, NULL), 0);
	assert_int_equal(chdir(cwd), 0);
	snprintf(path, sizeof(path), "%s/.git/", f->repo);
	assert_string_equal(accord_store_gitdir(s), path);
	accord_store_free(s);
	accord_store_free(NULL); /* harmless */
}

static void test_store_state_path_and_lock(void **state)
{
	fixture *f = *state;
	char *path = NULL, want[700];
	struct stat st;
	int fd;

	assert_int_equal(accord_store_state_path(&path, f->store, "cache"), 0);
	snprintf(want, sizeof(want), "%s/.git/accord/cache", f->repo);
	assert_string_equal(path, want);
	free(path);
	snprintf(want, sizeof(want), "%s/.git/accord", f->repo);
	assert_int_equal(stat(want, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	/* the lock: held, idempotent, and excludes another open file description */
	assert_false(accord_store_lock_held(f->store));
	assert_int_equal(accord_store_lock(f->store), 0);
	assert_true(accord_store_lock_held(f->store));
	assert_int_equal(accord_store_lock(f->store), 0);
	snprintf(want, sizeof(want), "%s/.git/accord/lock", f->repo);
	fd = open(want, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	accord_store_unlock(f->store);
	assert_false(accord_store_lock_held(f->store));
	accord_store_unlock(f->store); /* twice is harmless */
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	assert_int_equal(flock(fd, LOCK_UN), 0);
	/* freeing a store releases its lock */
	{
		accord_store *s = NULL;

		assert_int_equal(accord_store_open(&s, f->repo), 0);
		assert_int_equal(accord_store_lock(s), 0);
		assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
		accord_store_free(s);
		assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	}
	close(fd);
}

static void test_store_commit_payload_bytes(void **state)
{
	fixture *f = *state;
	accord_buf out = ACCORD_BUF_INIT, want = ACCORD_BUF_INIT;
	const char *id = f->alice->pub.id;
	git_oid parent;

	accord_buf_puts(&out, "cleared first");
	assert_int_equal(accord_commit_payload(&out, NULL, f->alice, "{\"x\":1}", 7, T0), 0);
	accord_buf_printf(&want,
			  "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
			  "author %s <%s@accord> 1735689600 +0000\n"
			  "committer %s <%s@accord> 1735689600 +0000\n"
			  "\n{\"x\":1}",
			  id, id, id, id);
	assert_int_equal(out.size, want.size);
	assert_string_equal(out.ptr, want.ptr);
	/* with a parent, and a time past 2106: all 64 bits, not libgit2's 32 */
	assert_int_equal(git_oid_fromstr(&parent, "0123456789abcdef0123456789abcdef01234567"), 0);
	assert_int_equal(accord_commit_payload(&out, &parent, f->alice, "e", 1, 4294967296LL + 5),
			 0);
	accord_buf_clear(&want);
	accord_buf_printf(&want,
			  "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
			  "parent 0123456789abcdef0123456789abcdef01234567\n"
			  "author %s <%s@accord> 4294967301 +0000\n"
			  "committer %s <%s@accord> 4294967301 +0000\n"
			  "\ne",
			  id, id, id, id);
	assert_string_equal(out.ptr, want.ptr);
	/* the length is obeyed */
	assert_int_equal(accord_commit_payload(&out, NULL, f->alice, "abcdef", 3, 0), 0);
	assert_string_equal(out.ptr + out.size - 5, "\n\nabc");
	/* refused: a NUL in the entry, a time before 1970; out is left alone */
	accord_buf_clear(&out);
	accord_buf_puts(&out, "kept");
	assert_int_equal(accord_commit_payload(&out, NULL, f->alice, "a\0b", 3, T0),
			 ACCORD_EINVALID);
	assert_int_equal(accord_commit_payload(&out, NULL, f->alice, "ab", 2, -1), ACCORD_EINVALID);
	assert_string_equal(out.ptr, "kept");
	/* the ident, alone */
	accord_buf_clear(&out);
	accord_commit_ident(&out, "abc", 7);
	assert_string_equal(out.ptr, "abc <abc@accord> 7 +0000");
	accord_buf_dispose(&out);
	accord_buf_dispose(&want);
}

/* Check a stored entry commit against what accord promises for it. */
static void check_entry_commit(fixture *f, const git_oid *id, const git_oid *parent,
			       const char *entry, int64_t time)
{
	accord_commit *c = NULL;
	accord_buf payload = ACCORD_BUF_INIT;
	accord_pubkey signer;
	git_commit *gc = NULL;
	git_oid empty;

	assert_int_equal(accord_commit_read(&c, f->store, id), 0);
	assert_true(git_oid_equal(&c->id, id));
	/* the entry, byte for byte */
	assert_int_equal(c->message_len, strlen(entry));
	assert_memory_equal(c->message, entry, c->message_len);
	/* the payload is exactly what accord_commit_payload builds, and what was signed */
	assert_int_equal(
		accord_commit_payload(&payload, parent, f->alice, entry, strlen(entry), time), 0);
	assert_int_equal(c->payload.size, payload.size);
	assert_memory_equal(c->payload.ptr, payload.ptr, payload.size);
	assert_int_equal(git_oid_fromstr(&empty, ACCORD_EMPTY_TREE), 0);
	assert_true(git_oid_equal(&c->tree, &empty));
	assert_int_equal(c->parent_count, parent ? 1 : 0);
	if (parent)
		assert_true(git_oid_equal(&c->parent, parent));
	assert_int_equal(c->committer_time, time);
	assert_false(c->has_extra_headers);
	assert_false(c->sig_misplaced);
	assert_memory_equal(c->signature.ptr, "-----BEGIN SSH SIGNATURE-----\n", 30);
	assert_true(accord_sshsig_is_canonical(c->signature.ptr, c->signature.size));
	assert_int_equal(accord_sshsig_verify(&signer, c->signature.ptr, c->signature.size, "git",
					      c->payload.ptr, c->payload.size),
			 0);
	assert_string_equal(signer.id, f->alice->pub.id);
	/* a different namespace or payload does not verify */
	assert_int_equal(accord_sshsig_verify(&signer, c->signature.ptr, c->signature.size, "file",
					      c->payload.ptr, c->payload.size),
			 ACCORD_EBADSIG);
	/* author and committer, as offsets into the payload */
	accord_buf_clear(&payload);
	accord_commit_ident(&payload, f->alice->pub.id, time);
	assert_int_equal(c->author_len, payload.size);
	assert_memory_equal(c->payload.ptr + c->author_off, payload.ptr, payload.size);
	assert_int_equal(c->committer_len, payload.size);
	assert_memory_equal(c->payload.ptr + c->committer_off, payload.ptr, payload.size);
	/* stock git sees the same commit */
	assert_int_equal(git_commit_lookup(&gc, accord_store_repo(f->store), id), 0);
	assert_string_equal(git_commit_message_raw(gc), entry);
	assert_int_equal(git_commit_parentcount(gc), parent ? 1 : 0);
	if (parent)
		assert_true(git_oid_equal(git_commit_parent_id(gc, 0), parent));
	assert_true(git_oid_equal(git_commit_tree_id(gc), &empty));
	git_commit_free(gc);
	accord_commit_free(c);
	accord_buf_dispose(&payload);
}

static void test_store_append_and_read_back(void **state)
{
	fixture *f = *state;
	const char *e1 = "{\"first\":true}\n", *e2 = "second entry\nwith \"lines\"\n\n";
	git_oid one, two, three;

	assert_ref_is(f->store, f->feed, NULL);
	append_ok(&one, f, NULL, e1, T0);
	assert_ref_is(f->store, f->feed, &one);
	check_entry_commit(f, &one, NULL, e1, T0);
	append_ok(&two, f, &one, e2, T0 + 60);
	assert_ref_is(f->store, f->feed, &two);
	check_entry_commit(f, &two, &one, e2, T0 + 60);
	/* a time past 2106 survives the trip */
	append_ok(&three, f, &two, "late", 4294967296LL * 3);
	check_entry_commit(f, &three, &two, "late", 4294967296LL * 3);
	/* Ed25519 is deterministic: the same entry, time and parent make the same commit */
	{
		git_oid again;

		assert_int_equal(accord_store_append(&again, f->store, "refs/accord/other", NULL,
						     e1, strlen(e1), f->alice, T0),
				 0);
		assert_true(git_oid_equal(&again, &one));
		assert_ref_is(f->store, "refs/accord/other", &one);
	}
}

/*
 * accord_commit_signed is the one writer of commit bytes (append, batch,
 * bench/gen): it lays the signature out as libgit2's
 * git_commit_create_with_signature does, so the ids are the ones a commit
 * written through libgit2 (and read by stock git) would have.
 */
static void test_store_commit_signed_as_libgit2_writes_it(void **state)
{
	fixture *f = *state;
	const char *entry = "{\"an\":\"entry\"}";
	accord_buf payload = ACCORD_BUF_INIT, armor = ACCORD_BUF_INIT, ours = ACCORD_BUF_INIT;
	git_repository *repo = accord_store_repo(f->store);
	git_oid parent, theirs, mine;

	append_ok(&parent, f, NULL, "first", T0);
	assert_int_equal(
		accord_commit_payload(&payload, &parent, f->alice, entry, strlen(entry), T0 + 9),
		0);
	assert_int_equal(accord_sshsig_sign(&armor, f->alice, "git", payload.ptr, payload.size), 0);
	assert_int_equal(
		git_commit_create_with_signature(&theirs, repo, payload.ptr, armor.ptr, "gpgsig"),
		0);
	assert_int_equal(
		accord_commit_signed(&ours, &parent, f->alice, entry, strlen(entry), T0 + 9), 0);
	assert_int_equal(git_odb_hash(&mine, ours.ptr, ours.size, GIT_OBJECT_COMMIT), 0);
	assert_true(git_oid_equal(&mine, &theirs));
	/* and append writes those bytes */
	append_ok(&mine, f, &parent, entry, T0 + 9);
	assert_true(git_oid_equal(&mine, &theirs));
	accord_buf_dispose(&payload);
	accord_buf_dispose(&armor);
	accord_buf_dispose(&ours);
}

static void test_store_append_compare_and_swap(void **state)
{
	fixture *f = *state;
	git_oid one, two, out, bogus;

	append_ok(&one, f, NULL, "one", T0);
	append_ok(&two, f, &one, "two", T0 + 1);
	/* as if a first entry, but the feed exists: lost the race */
	memset(&out, 0, sizeof(out));
	accord_error_clear();
	assert_int_equal(
		accord_store_append(&out, f->store, f->feed, NULL, "x", 1, f->alice, T0 + 2),
		ACCORD_EMODIFIED);
	assert_non_null(strstr(accord_error_last(), f->feed));
	assert_true(git_oid_is_zero(&out)); /* out is set only on success */
	assert_ref_is(f->store, f->feed, &two);
	/* on a parent the ref has moved from */
	assert_int_equal(
		accord_store_append(&out, f->store, f->feed, &one, "x", 1, f->alice, T0 + 2),
		ACCORD_EMODIFIED);
	assert_ref_is(f->store, f->feed, &two);
	/* a parent that is no commit at all */
	assert_int_equal(git_oid_fromstr(&bogus, "00000000000000000000000000000000000000aa"), 0);
	assert_int_equal(
		accord_store_append(&out, f->store, f->feed, &bogus, "x", 1, f->alice, T0 + 2),
		ACCORD_ENOTFOUND);
	assert_ref_is(f->store, f->feed, &two);
	/* a parent that names a blob, not a commit */
	assert_int_equal(
		git_blob_create_from_buffer(&bogus, accord_store_repo(f->store), "blob", 4), 0);
	assert_true(accord_store_append(&out, f->store, f->feed, &bogus, "x", 1, f->alice, T0 + 2) <
		    0);
	assert_ref_is(f->store, f->feed, &two);
	/* what accord_commit_payload refuses, append refuses before writing */
	assert_int_equal(
		accord_store_append(&out, f->store, f->feed, &two, "x\0y", 3, f->alice, T0),
		ACCORD_EINVALID);
	assert_int_equal(accord_store_append(&out, f->store, f->feed, &two, "x", 1, f->alice, -5),
			 ACCORD_EINVALID);
	assert_ref_is(f->store, f->feed, &two);
	/* the ref was deleted underneath a writer that expected `two` */
	{
		git_reference *ref = NULL;
		int error;

		assert_int_equal(git_reference_lookup(&ref, accord_store_repo(f->store), f->feed),
				 0);
		assert_int_equal(git_reference_delete(ref), 0);
		git_reference_free(ref);
		error = accord_store_append(&out, f->store, f->feed, &two, "x", 1, f->alice,
					    T0 + 3);
		if (error != ACCORD_EMODIFIED)
			print_error("deleted ref: %d %s\n", error, accord_error_last());
		assert_int_equal(error, ACCORD_EMODIFIED);
		assert_ref_is(f->store, f->feed, NULL);
	}
}

/* A "<ref>.lock" left by a killed writer: cleared only by the holder of accord's lock. */
static void test_store_append_clears_stale_ref_lock(void **state)
{
	fixture *f = *state;
	char lockpath[1024];
	git_oid one, two;
	struct stat st;
	int fd;

	append_ok(&one, f, NULL, "one", T0);
	snprintf(lockpath, sizeof(lockpath), "%s%s.lock", accord_store_gitdir(f->store), f->feed);
	fd = open(lockpath, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	close(fd);
	/* without accord's lock, another process may be mid-update: refuse, touch nothing */
	assert_int_equal(
		accord_store_append(&two, f->store, f->feed, &one, "two", 3, f->alice, T0 + 1),
		ACCORD_ERROR);
	assert_int_equal(stat(lockpath, &st), 0);
	assert_ref_is(f->store, f->feed, &one);
	/* with it, the lock file can only be stale: removed, and the append goes through */
	assert_int_equal(accord_store_lock(f->store), 0);
	append_ok(&two, f, &one, "two", T0 + 1);
	accord_store_unlock(f->store);
	assert_int_equal(stat(lockpath, &st), -1);
	assert_ref_is(f->store, f->feed, &two);
}

static void make_ref(accord_store *store, const char *name, const git_oid *id)
{
	git_reference *ref = NULL;

	assert_int_equal(git_reference_create(&ref, accord_store_repo(store), name, id, 0, "test"),
			 0);
	git_reference_free(ref);
}

/*
 * A "<ref>.lock" a live git holds (a plain fetch, pack-refs in an automatic
 * gc) is not a killed accord's: accord waits for it to go, and git's update
 * stands (attack136 02). Here the other writer moves the ref as git does,
 * its new value written into the lock file, renamed over the ref after
 * half a second: the append then finds the ref moved and writes nothing.
 */
static void test_store_append_waits_for_a_live_ref_lock(void **state)
{
	fixture *f = *state;
	char lockpath[1100], refpath[1024], hex[GIT_OID_HEXSZ + 2];
	git_oid one, theirs, out;
	int fd, status;
	pid_t pid;

	append_ok(&one, f, NULL, "one", T0);
	make_ref(f->store, "refs/accord/feeds/other", &one);
	assert_int_equal(accord_store_append(&theirs, f->store, "refs/accord/feeds/other", &one,
					     "theirs", 6, f->alice, T0 + 1),
			 0);
	snprintf(refpath, sizeof(refpath), "%s%s", accord_store_gitdir(f->store), f->feed);
	snprintf(lockpath, sizeof(lockpath), "%s.lock", refpath);
	fd = open(lockpath, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(500 * 1000);
		git_oid_tostr(hex, sizeof(hex), &theirs);
		strcat(hex, "\n");
		_exit(write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) &&
				      rename(lockpath, refpath) == 0
			      ? 0
			      : 1);
	}
	close(fd);
	assert_int_equal(accord_store_lock(f->store), 0);
	assert_int_equal(
		accord_store_append(&out, f->store, f->feed, &one, "two", 3, f->alice, T0 + 2),
		ACCORD_EMODIFIED);
	accord_store_unlock(f->store);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0); /* git's rename went through */
	assert_ref_is(f->store, f->feed, &theirs);
}

static void test_store_ref_list(void **state)
{
	fixture *f = *state;
	git_strarray refs = { NULL, 0 };
	git_oid one;

	append_ok(&one, f, NULL, "one", T0);
	/* made out of order, some outside accord's namespace */
	make_ref(f->store, "refs/accord/feeds/zz", &one);
	make_ref(f->store, "refs/heads/main", &one);
	make_ref(f->store, "refs/accord/feeds/00", &one);
	make_ref(f->store, "refs/accord/inbox", &one);
	make_ref(f->store, "refs/accord/feedsX", &one);
	make_ref(f->store, "refs/tags/refs/accord/feeds/t", &one);

	assert_int_equal(accord_store_ref_list(&refs, f->store, ACCORD_FEED_PREFIX), 0);
	assert_int_equal(refs.count, 3);
	assert_string_equal(refs.strings[0], "refs/accord/feeds/00");
	assert_string_equal(refs.strings[1], f->feed); /* a hex key id sorts between */
	assert_string_equal(refs.strings[2], "refs/accord/feeds/zz");
	git_strarray_dispose(&refs);

	assert_int_equal(accord_store_ref_list(&refs, f->store, ACCORD_REF_PREFIX), 0);
	assert_int_equal(refs.count, 5);
	assert_string_equal(refs.strings[0], "refs/accord/feeds/00");
	assert_string_equal(refs.strings[2], "refs/accord/feeds/zz");
	assert_string_equal(refs.strings[3], "refs/accord/feedsX");
	assert_string_equal(refs.strings[4], "refs/accord/inbox");
	git_strarray_dispose(&refs);

	assert_int_equal(accord_store_ref_list(&refs, f->store, "refs/nothing/"), 0);
	assert_int_equal(refs.count, 0);
	git_strarray_dispose(&refs);

	/* packed refs are listed too */
	{
		git_refdb *db = NULL;

		assert_int_equal(git_repository_refdb(&db, accord_store_repo(f->store)), 0);
		assert_int_equal(git_refdb_compress(db), 0);
		git_refdb_free(db);
	}
	assert_int_equal(accord_store_ref_list(&refs, f->store, ACCORD_FEED_PREFIX), 0);
	assert_int_equal(refs.count, 3);
	git_strarray_dispose(&refs);
	assert_ref_is(f->store, "refs/accord/feeds/zz", &one);
}

/*
 * Refs with their commits in one pass: loose over packed, a symbolic ref
 * resolved, and a prefix holding glob characters taken literally, not
 * as a pattern.
 */
static void test_store_ref_heads(void **state)
{
	fixture *f = *state;
	git_repository *repo = accord_store_repo(f->store);
	git_strarray refs = { NULL, 0 };
	git_reference *sym = NULL;
	git_refdb *db = NULL;
	git_oid one, two, *ids = NULL;

	append_ok(&one, f, NULL, "one", T0);
	append_ok(&two, f, &one, "two", T0 + 1);
	make_ref(f->store, "refs/accord/feeds/00", &one);
	make_ref(f->store, "refs/quarantine/r/feeds/bb", &one);
	make_ref(f->store, "refs/quarantine/r1/feeds/cc", &two);
	assert_int_equal(git_repository_refdb(&db, repo), 0);
	assert_int_equal(git_refdb_compress(db), 0);
	git_refdb_free(db);
	/* a loose ref over its packed one wins, as git reads it */
	assert_int_equal(git_reference_create(&sym, repo, "refs/accord/feeds/00", &two, 1, "t"), 0);
	git_reference_free(sym);
	assert_int_equal(
		git_reference_symbolic_create(&sym, repo, "refs/accord/feeds/zz", f->feed, 0, "t"),
		0);
	git_reference_free(sym);

	assert_int_equal(accord_store_ref_heads(&refs, &ids, f->store, ACCORD_FEED_PREFIX), 0);
	assert_int_equal(refs.count, 3);
	assert_string_equal(refs.strings[0], "refs/accord/feeds/00");
	assert_true(git_oid_equal(&ids[0], &two));
	assert_string_equal(refs.strings[1], f->feed);
	assert_true(git_oid_equal(&ids[1], &two));
	assert_string_equal(refs.strings[2], "refs/accord/feeds/zz");
	assert_true(git_oid_equal(&ids[2], &two)); /* resolved through f->feed */
	git_strarray_dispose(&refs);
	free(ids);

	/* a prefix is a folder: "r/" is not "r1/" */
	assert_int_equal(accord_store_ref_heads(&refs, &ids, f->store, "refs/quarantine/r/"), 0);
	assert_int_equal(refs.count, 1);
	assert_string_equal(refs.strings[0], "refs/quarantine/r/feeds/bb");
	assert_true(git_oid_equal(&ids[0], &one));
	git_strarray_dispose(&refs);
	free(ids);
	/* no ref name holds a glob character, so such a prefix matches nothing, not every ref */
	assert_int_equal(accord_store_ref_list(&refs, f->store, "refs/quarantine/r*"), 0);
	assert_int_equal(refs.count, 0);
	git_strarray_dispose(&refs);
	assert_int_equal(accord_store_ref_list(&refs, f->store, "refs/[aq]"), 0);
	assert_int_equal(refs.count, 0);
	git_strarray_dispose(&refs);
	assert_int_equal(accord_store_ref_list(&refs, f->store, "refs/quarantine/"), 0);
	assert_int_equal(refs.count, 2);
	git_strarray_dispose(&refs);
}

static void test_store_ref_get_errors(void **state)
{
	fixture *f = *state;
	git_oid out;

	accord_error_clear();
	assert_int_equal(accord_store_ref_get(&out, f->store, f->feed), ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), f->feed));
	/* not a valid ref name: an error, but not "missing" */
	assert_int_equal(accord_store_ref_get(&out, f->store, "refs/accord/feeds/a..b"),
			 ACCORD_ERROR);
	assert_int_equal(accord_store_ref_get(&out, f->store, "refs/accord/feeds/a b"),
			 ACCORD_ERROR);
	/* HEAD of a fresh repository points at an unborn branch */
	assert_int_equal(accord_store_ref_get(&out, f->store, "HEAD"), ACCORD_ENOTFOUND);
}

static void test_commit_read_errors(void **state)
{
	fixture *f = *state;
	git_repository *repo = accord_store_repo(f->store);
	accord_commit *c = NULL;
	git_odb *odb = NULL;
	git_oid id;
	char *big;

	/* missing */
	assert_int_equal(git_oid_fromstr(&id, "1111111111111111111111111111111111111111"), 0);
	accord_error_clear();
	assert_int_equal(accord_commit_read(&c, f->store, &id), ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "1111111111111111111111111111111111111111"));
	assert_null(c);
	/* not a commit */
	assert_int_equal(git_blob_create_from_buffer(&id, repo, "tree x\n", 7), 0);
	assert_int_equal(accord_commit_read(&c, f->store, &id), ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "not a commit"));
	/* larger than any entry's commit: refused from the header, before reading */
	big = malloc(ACCORD_COMMIT_MAX + 1);
	assert_non_null(big);
	memset(big, 'a', ACCORD_COMMIT_MAX + 1);
	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_int_equal(git_odb_write(&id, odb, big, ACCORD_COMMIT_MAX + 1, GIT_OBJECT_COMMIT), 0);
	assert_int_equal(accord_commit_read(&c, f->store, &id), ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "larger"));
	/* a commit object git would store, that accord cannot split: no author */
	{
		static const char raw[] = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
					  "committer a <a@accord> 1 +0000\n\nmsg";

		assert_int_equal(git_odb_write(&id, odb, raw, sizeof(raw) - 1, GIT_OBJECT_COMMIT),
				 0);
		assert_int_equal(accord_commit_read(&c, f->store, &id), ACCORD_EBADSIG);
		assert_non_null(strstr(accord_error_last(), "malformed commit"));
	}
	assert_null(c);
	git_odb_free(odb);
	free(big);
}

#define TREE "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
#define PARENT "parent 0123456789abcdef0123456789abcdef01234567\n"
#define AUTHOR "author k <k@accord> 5 +0000\n"
#define COMMITTER "committer k <k@accord> 7 +0000\n"
#define SIG "gpgsig -----BEGIN SSH SIGNATURE-----\n AAAA\n -----END SSH SIGNATURE-----\n"

static accord_commit *parse_ok(const char *raw)
{
	accord_commit *c = NULL;
	int error = accord_commit_parse(&c, raw, strlen(raw));

	if (error)
		print_error("refused %s: %s\n", raw, accord_error_last());
	assert_int_equal(error, 0);
	assert_non_null(c);
	return c;
}

static void test_commit_parse_accepts_and_splits(void **state)
{
	accord_commit *c;

	(void)state;
	/* the shape accord writes: gpgsig last, cut out of the payload */
	c = parse_ok(TREE PARENT AUTHOR COMMITTER SIG "\n{\"e\":1}");
	assert_string_equal(c->payload.ptr, TREE PARENT AUTHOR COMMITTER "\n{\"e\":1}");
	assert_string_equal(c->signature.ptr,
			    "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----");
	assert_int_equal(c->message_len, 7);
	assert_memory_equal(c->message, "{\"e\":1}", 7);
	assert_int_equal(c->parent_count, 1);
	assert_int_equal(c->committer_time, 7);
	assert_int_equal(c->author_len, strlen("k <k@accord> 5 +0000"));
	assert_memory_equal(c->payload.ptr + c->author_off, "k <k@accord> 5 +0000", c->author_len);
	assert_memory_equal(c->payload.ptr + c->committer_off, "k <k@accord> 7 +0000",
			    c->committer_len);
	assert_false(c->has_extra_headers);
	assert_false(c->sig_misplaced);
	accord_commit_free(c);
	/* no signature: an empty string, not a NULL or garbage */
	c = parse_ok(TREE AUTHOR COMMITTER "\n");
	assert_non_null(c->signature.ptr);
	assert_int_equal(c->signature.size, 0);
	assert_string_equal(c->signature.ptr, "");
	assert_int_equal(c->message_len, 0);
	assert_int_equal(c->parent_count, 0);
	accord_commit_free(c);
	/* flagged, not refused: extra headers, a gpgsig before other headers, two parents */
	c = parse_ok(TREE AUTHOR COMMITTER "encoding latin1\n" SIG "\nm");
	assert_true(c->has_extra_headers);
	assert_false(c->sig_misplaced);
	accord_commit_free(c);
	c = parse_ok(TREE AUTHOR SIG COMMITTER "\nm");
	assert_true(c->sig_misplaced);
	assert_string_equal(c->payload.ptr, TREE AUTHOR COMMITTER "\nm");
	accord_commit_free(c);
	c = parse_ok(TREE PARENT
		     "parent 1111111111111111111111111111111111111111\n" AUTHOR COMMITTER "\nm");
	assert_int_equal(c->parent_count, 2);
	accord_commit_free(c);
	/* the message is everything after the blank line, blank lines included */
	c = parse_ok(TREE AUTHOR COMMITTER "\n\nmsg\n\n");
	assert_int_equal(c->message_len, 6);
	assert_memory_equal(c->message, "\nmsg\n\n", 6);
	accord_commit_free(c);
	accord_commit_free(NULL);
}

static void test_commit_parse_refuses_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		AUTHOR COMMITTER "\nm",	     /* no tree */
		TREE COMMITTER "\nm",	     /* no author */
		TREE AUTHOR "\nm",	     /* no committer */
		AUTHOR TREE COMMITTER "\nm", /* tree not first */
		TREE COMMITTER AUTHOR "\nm", /* committer before author */
		"tree 4B825DC642CB6EB9A060E54BF8D69288FBEE4904\n" AUTHOR COMMITTER
		"\nm", /* uppercase */
		"tree 4b825dc642cb6eb9a060e54bf8d69288fbee490\n" AUTHOR COMMITTER "\nm", /* short */
		"tree 4b825dc642cb6eb9a060e54bf8d69288fbee49044\n" AUTHOR COMMITTER
		"\nm",						 /* long */
		TREE "parent 0123\n" AUTHOR COMMITTER "\nm",	 /* short parent */
		TREE AUTHOR "committer k <k@accord> +0000\n\nm", /* committer without time */
		TREE AUTHOR "committer k <k@accord>\n\nm",
		TREE AUTHOR "committer k 7 +0000\n\nm",				      /* no '>' */
		TREE AUTHOR "committer k <k@accord> 99999999999999999999 +0000\n\nm", /* overflow */
		TREE AUTHOR COMMITTER SIG SIG "\nm",	      /* two signatures */
		TREE AUTHOR COMMITTER "gpgsig x\n y",	      /* signature cut short */
		TREE AUTHOR "committer k <k@accord> 7 +0000", /* no newline at all after headers */
		TREE AUTHOR COMMITTER,			      /* headers only, no blank line */
		TREE AUTHOR COMMITTER SIG, /* ... would sign as if "\n" followed */
	};
	accord_commit *c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int error;

		c = (accord_commit *)&c;
		error = accord_commit_parse(&c, bad[i], strlen(bad[i]));
		if (error != ACCORD_EBADSIG)
			print_error("case %zu accepted: %s\n", i, bad[i]);
		assert_int_equal(error, ACCORD_EBADSIG);
		assert_ptr_equal(c, (accord_commit *)&c); /* untouched */
	}
	/* a NUL anywhere, even in the message */
	{
		static const char raw[] = TREE AUTHOR COMMITTER "\nm\0m";

		assert_int_equal(accord_commit_parse(&c, raw, sizeof(raw) - 1), ACCORD_EBADSIG);
	}
}

static void test_store_config(void **state)
{
	fixture *f = *state;
	char *value = NULL;

	accord_error_clear();
	assert_int_equal(accord_store_config_get(&value, f->store, "accord.test"),
			 ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "accord.test"));
	assert_null(value);
	assert_int_equal(accord_store_config_set(f->store, "accord.test", "one two"), 0);
	assert_int_equal(accord_store_config_get(&value, f->store, "accord.test"), 0);
	assert_string_equal(value, "one two");
	free(value);
	assert_int_equal(accord_store_config_set(f->store, "accord.test", "three"), 0);
	assert_int_equal(accord_store_config_get(&value, f->store, "accord.test"), 0);
	assert_string_equal(value, "three");
	free(value);
	/* written to the repository's own config: another handle sees it */
	{
		accord_store *s = NULL;

		assert_int_equal(accord_store_open(&s, f->repo), 0);
		assert_int_equal(accord_store_config_get(&value, s, "accord.test"), 0);
		assert_string_equal(value, "three");
		free(value);
		accord_store_free(s);
	}
	assert_int_equal(accord_store_config_set(f->store, "no-section", "x"), ACCORD_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_open_and_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_state_path_and_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_commit_payload_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_append_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_commit_signed_as_libgit2_writes_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_append_compare_and_swap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_append_waits_for_a_live_ref_lock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_append_clears_stale_ref_lock, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_ref_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_ref_heads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_ref_get_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_read_errors, setup, teardown),
		cmocka_unit_test(test_commit_parse_accepts_and_splits),
		cmocka_unit_test(test_commit_parse_refuses_malformed),
		cmocka_unit_test_setup_teardown(test_store_config, setup, teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
