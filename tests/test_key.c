/*
 * Tests for lib/key*.c: key files on disk, their permissions, the
 * passphrase, OpenSSH public key lines, and importing OpenSSH private keys
 * (made by the real ssh-keygen, and hand-built bad ones).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "accord/buf.h"
#include "encode.h"
#include "accord/error.h"
#include "accord/key.h"
#include "sshsig.h"

#define BODY_LEN 109
#define PASS "correct horse battery staple"

struct fx {
	char dir[64];	/* mkdtemp'd scratch folder */
	char home[128]; /* dir/home, created by accord_key_generate */
	char keypath[160];
	char pubpath[160];
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/accord-test-key-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->home, sizeof(f->home), "%s/home", f->dir);
	snprintf(f->keypath, sizeof(f->keypath), "%s/key", f->home);
	snprintf(f->pubpath, sizeof(f->pubpath), "%s/key.pub", f->home);
	accord_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	rm_rf(f->dir);
	free(f);
	return 0;
}

static int group_setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	if (system("command -v ssh-keygen >/dev/null 2>&1") != 0) {
		fprintf(stderr, "test_key: ssh-keygen (openssh-client) is required\n");
		return -1;
	}
	return 0;
}

static const char *fixtures(void)
{
	const char *d = getenv("ACCORD_FIXTURES");

	return d && *d ? d : ACCORD_SRCDIR "/tests/fixtures";
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

static void read_text(accord_buf *out, const char *path)
{
	assert_int_equal(accord_buf_read_file(out, path, 1 << 20), 0);
}

static accord_key *gen(struct fx *f, const char *pass)
{
	accord_key *key = NULL;

	assert_int_equal(accord_key_generate(&key, f->home, "alice.example", pass, 0), 0);
	assert_non_null(key);
	return key;
}

static void assert_same_key(const accord_key *a, const accord_key *b)
{
	assert_int_equal(sodium_memcmp(a->pub.pk, b->pub.pk, sizeof(a->pub.pk)), 0);
	assert_int_equal(sodium_memcmp(a->sk, b->sk, crypto_sign_SECRETKEYBYTES), 0);
	assert_string_equal(a->pub.id, b->pub.id);
	assert_string_equal(a->pub.name, b->pub.name);
}

/* Decode the body of a key file made by accord_key_generate. */
static void read_body(unsigned char body[BODY_LEN], const char *path)
{
	accord_buf text = ACCORD_BUF_INIT, bin = ACCORD_BUF_INIT;
	char *nl1, *nl2;

	read_text(&text, path);
	nl1 = strchr(text.ptr, '\n');
	assert_non_null(nl1);
	nl2 = strchr(nl1 + 1, '\n');
	assert_non_null(nl2);
	assert_int_equal(accord_base64_decode(&bin, nl1 + 1, (size_t)(nl2 - nl1 - 1)), 0);
	assert_int_equal(bin.size, BODY_LEN);
	memcpy(body, bin.ptr, BODY_LEN);
	accord_buf_dispose(&text);
	accord_buf_dispose(&bin);
}

static void write_body(const char *path, const unsigned char *body, size_t len)
{
	accord_buf text = ACCORD_BUF_INIT;

	accord_buf_puts(&text, "untrusted comment: accord secret key alice.example\n");
	accord_base64_encode(&text, body, len);
	accord_buf_putc(&text, '\n');
	write_file(path, text.ptr, text.size, 0600);
	accord_buf_dispose(&text);
}

static void put_u64be(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static int load_rc(struct fx *f, const char *pass)
{
	accord_key *key = NULL;
	int rc = accord_key_load(&key, f->home, pass);

	if (rc < 0)
		assert_null(key);
	accord_key_free(key);
	return rc;
}

static void test_key_roundtrip_plain(void **state)
{
	struct fx *f = *state;
	accord_key *key = gen(f, NULL), *loaded = NULL;
	unsigned char sig[crypto_sign_BYTES];

	assert_string_equal(key->pub.name, "alice.example");
	assert_int_equal(accord_key_is_encrypted(f->home), 0);
	assert_int_equal(accord_key_load(&loaded, f->home, NULL), 0);
	assert_same_key(key, loaded);
	/* a passphrase given for a plain key is ignored */
	accord_key_free(loaded);
	loaded = NULL;
	assert_int_equal(accord_key_load(&loaded, f->home, "unused"), 0);
	assert_same_key(key, loaded);

	accord_key_sign(sig, loaded, "msg", 3);
	assert_int_equal(
		crypto_sign_verify_detached(sig, (const unsigned char *)"msg", 3, key->pub.pk), 0);
	accord_key_free(key);
	accord_key_free(loaded);
	accord_key_free(NULL);
}

static void test_key_roundtrip_passphrase(void **state)
{
	struct fx *f = *state;
	accord_key *key = gen(f, PASS), *loaded = NULL;
	unsigned char body[BODY_LEN];
	accord_buf text = ACCORD_BUF_INIT;

	assert_int_equal(accord_key_is_encrypted(f->home), 1);
	assert_int_equal(accord_key_load(&loaded, f->home, PASS), 0);
	assert_same_key(key, loaded);

	/* the seed is not in the clear (the stored cost: test_key_default_kdf_params) */
	read_body(body, f->keypath);
	assert_memory_equal(body, "ACS1\x01", 5);
	assert_memory_not_equal(body + 61, loaded->sk, 32);
	read_text(&text, f->keypath);
	assert_memory_equal(text.ptr, "untrusted comment: accord secret key alice.example\n", 51);
	accord_buf_dispose(&text);
	accord_key_free(key);
	accord_key_free(loaded);
}

static void test_key_wrong_passphrase(void **state)
{
	struct fx *f = *state;

	accord_key_free(gen(f, PASS));
	assert_int_equal(load_rc(f, "correct horse battery stapler"), ACCORD_EPASS);
	assert_non_null(strstr(accord_error_last(), "wrong passphrase for"));
	assert_non_null(strstr(accord_error_last(), f->keypath));
}

static void test_key_missing_passphrase(void **state)
{
	struct fx *f = *state;

	accord_key_free(gen(f, PASS));
	assert_int_equal(load_rc(f, NULL), ACCORD_EPASS);
	assert_non_null(strstr(accord_error_last(), "is protected by a passphrase"));
	assert_int_equal(load_rc(f, ""), ACCORD_EPASS);
}

static void test_key_refuses_overwrite(void **state)
{
	struct fx *f = *state;
	accord_key *key = gen(f, NULL), *other = NULL, *loaded = NULL;

	assert_int_equal(accord_key_generate(&other, f->home, "bob", NULL, 0), ACCORD_EEXISTS);
	assert_null(other);
	assert_non_null(strstr(accord_error_last(), "a key already exists in"));
	assert_non_null(strstr(accord_error_last(), "use --force"));
	/* the one name rule (accord/name.h), as the CLI and the schemas say: no spaces, no '@' */
	assert_int_equal(accord_key_generate(&other, f->home, "alice smith", NULL, 1),
			 ACCORD_EINVALID);
	assert_non_null(
		strstr(accord_error_last(), "starting with a letter or digit (at most 64)"));
	assert_int_equal(accord_key_generate(&other, f->home, "alice@example", NULL, 1),
			 ACCORD_EINVALID);
	assert_null(other);
	assert_int_equal(accord_key_load(&loaded, f->home, NULL), 0);
	assert_same_key(key, loaded);
	accord_key_free(key);
	accord_key_free(loaded);
}

static void test_key_force_replaces(void **state)
{
	struct fx *f = *state;
	accord_key *old = gen(f, NULL), *key = NULL, *loaded = NULL;
	accord_pubkey pub;
	struct dirent *de;
	DIR *d;
	int entries = 0;

	assert_int_equal(accord_key_generate(&key, f->home, "bob", PASS, 1), 0);
	assert_memory_not_equal(old->pub.pk, key->pub.pk, sizeof(key->pub.pk));
	assert_int_equal(accord_key_load(&loaded, f->home, PASS), 0);
	assert_same_key(key, loaded);
	assert_string_equal(loaded->pub.name, "bob");
	assert_int_equal(accord_key_load_public(&pub, f->home), 0);
	assert_memory_equal(pub.pk, key->pub.pk, sizeof(pub.pk));
	assert_string_equal(pub.name, "bob");

	/* no temporary files left behind */
	d = opendir(f->home);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			entries++;
	closedir(d);
	assert_int_equal(entries, 2);
	accord_key_free(old);
	accord_key_free(key);
	accord_key_free(loaded);
}

static void test_key_file_modes(void **state)
{
	struct fx *f = *state;
	char nested[256];
	accord_key *key = NULL;
	struct stat st;
	mode_t old = umask(0);

	/* umask 0 must not loosen anything; mkdir -p creates the parents too */
	snprintf(nested, sizeof(nested), "%s/a/b/home", f->dir);
	assert_int_equal(accord_key_generate(&key, nested, "alice", NULL, 0), 0);
	accord_key_free(key);
	assert_int_equal(stat(nested, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(nested, sizeof(nested), "%s/a/b/home/key", f->dir);
	assert_int_equal(lstat(nested, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);

	/* umask 077 must not tighten key.pub below 0644 */
	umask(077);
	key = gen(f, NULL);
	accord_key_free(key);
	umask(old);
	assert_int_equal(stat(f->home, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(f->keypath, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(f->pubpath, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void test_key_home_tightened(void **state)
{
	struct fx *f = *state;
	struct stat st;

	assert_int_equal(mkdir(f->home, 0755), 0);
	assert_int_equal(chmod(f->home, 0755), 0);
	accord_key_free(gen(f, NULL));
	assert_int_equal(stat(f->home, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
}

static void test_key_group_readable_refused(void **state)
{
	struct fx *f = *state;

	accord_key_free(gen(f, NULL));
	assert_int_equal(chmod(f->keypath, 0640), 0);
	assert_int_equal(load_rc(f, NULL), ACCORD_EDENIED);
	assert_non_null(
		strstr(accord_error_last(),
		       "is a private key open to group or others (mode 0640); chmod 600 it"));
	assert_int_equal(chmod(f->keypath, 0604), 0);
	assert_int_equal(load_rc(f, NULL), ACCORD_EDENIED);
	assert_int_equal(chmod(f->keypath, 0600), 0);
	assert_int_equal(load_rc(f, NULL), 0);
}

static void test_key_symlinked_key_refused(void **state)
{
	struct fx *f = *state;
	char real[200];

	accord_key_free(gen(f, NULL));
	snprintf(real, sizeof(real), "%s/real-key", f->dir);
	assert_int_equal(rename(f->keypath, real), 0);
	assert_int_equal(symlink(real, f->keypath), 0);
	assert_int_equal(load_rc(f, NULL), ACCORD_EDENIED);
	assert_non_null(strstr(accord_error_last(), "symbolic link"));
	assert_int_equal(accord_key_is_encrypted(f->home), 0);
}

static void test_key_not_a_regular_file_refused(void **state)
{
	struct fx *f = *state;

	assert_int_equal(mkdir(f->home, 0700), 0);
	assert_int_equal(mkfifo(f->keypath, 0600), 0);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "not a regular file"));
}

static void test_key_not_found(void **state)
{
	struct fx *f = *state;
	accord_pubkey pub;

	assert_int_equal(mkdir(f->home, 0700), 0);
	assert_int_equal(load_rc(f, NULL), ACCORD_ENOTFOUND);
	assert_int_equal(accord_key_load_public(&pub, f->home), ACCORD_ENOTFOUND);
	assert_int_equal(accord_key_is_encrypted(f->home), 0);
}

static void test_key_malformed_refused(void **state)
{
	struct fx *f = *state;
	unsigned char body[BODY_LEN], bad[BODY_LEN + 3];
	accord_buf text = ACCORD_BUF_INIT;
	static const char *texts[] = {
		"",
		"\n",
		"untrusted comment: accord secret key alice.example\n",
		"untrusted comment: accord public key alice.example\nAAAA\n",
		"untrusted comment: accord secret key \nAAAA\n",
		"untrusted comment: accord secret key alice.example\n!!!!\n",
	};
	size_t i;
	char big[5000];

	accord_key_free(gen(f, NULL));
	read_body(body, f->keypath);
	/* the untouched body loads: the corruptions below are what fails */
	write_body(f->keypath, body, BODY_LEN);
	assert_int_equal(load_rc(f, NULL), 0);

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		write_file(f->keypath, texts[i], strlen(texts[i]), 0600);
		assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);
	}

	memcpy(bad, body, BODY_LEN);
	bad[0] = 'X'; /* magic */
	write_body(f->keypath, bad, BODY_LEN);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);

	memcpy(bad, body, BODY_LEN);
	bad[4] = 2; /* unknown kdf */
	write_body(f->keypath, bad, BODY_LEN);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);

	memcpy(bad, body, BODY_LEN);
	bad[BODY_LEN - 1] = 1; /* padding after a plain seed */
	write_body(f->keypath, bad, BODY_LEN);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);

	memcpy(bad, body, BODY_LEN);
	bad[30] = 1; /* salt of a plain key */
	write_body(f->keypath, bad, BODY_LEN);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);

	memcpy(bad, body, BODY_LEN);
	memset(bad + BODY_LEN, 0, 3); /* body too long */
	write_body(f->keypath, bad, BODY_LEN + 3);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);

	write_body(f->keypath, body, BODY_LEN - 1); /* too short */
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);

	/* trailing data after the body line */
	accord_buf_puts(&text, "untrusted comment: accord secret key alice.example\n");
	accord_base64_encode(&text, body, BODY_LEN);
	accord_buf_puts(&text, "\nextra\n");
	write_file(f->keypath, text.ptr, text.size, 0600);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);

	/* a NUL hidden in the comment */
	text.ptr[40] = '\0';
	write_file(f->keypath, text.ptr, text.size, 0600);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);
	accord_buf_dispose(&text);

	memset(big, 'A', sizeof(big));
	write_file(f->keypath, big, sizeof(big), 0600);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "larger than"));
}

static void test_key_truncated_refused(void **state)
{
	struct fx *f = *state;
	accord_buf text = ACCORD_BUF_INIT;
	size_t n;

	accord_key_free(gen(f, PASS));
	read_text(&text, f->keypath);
	/* every truncation fails, except dropping the final newline */
	for (n = 0; n + 1 < text.size; n++) {
		write_file(f->keypath, text.ptr, n, 0600);
		assert_int_equal(load_rc(f, PASS), ACCORD_EINVALID);
	}
	write_file(f->keypath, text.ptr, text.size - 1, 0600);
	assert_int_equal(load_rc(f, PASS), 0);
	accord_buf_dispose(&text);
}

static void test_key_hostile_kdf_refused(void **state)
{
	struct fx *f = *state;
	unsigned char body[BODY_LEN], bad[BODY_LEN];
	static const struct {
		uint64_t ops, mem;
	} cases[] = {
		{ 65, 8192 },
		{ UINT64_MAX, 8192 },
		{ 0, 8192 },
		{ 1, (1ULL << 30) + 1 },
		{ 1, UINT64_MAX },
		{ 1, 0 },
		/* below libsodium's interactive limits, the cost a file must have */
		{ crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE - 1,
		  crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE },
		{ crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
		  crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE - 1 },
		{ crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN },
	};
	size_t i;

	accord_key_free(gen(f, PASS));
	read_body(body, f->keypath);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(bad, body, BODY_LEN);
		put_u64be(bad + 5, cases[i].ops);
		put_u64be(bad + 13, cases[i].mem);
		write_body(f->keypath, bad, BODY_LEN);
		assert_int_equal(load_rc(f, PASS), ACCORD_EINVALID);
		assert_non_null(strstr(accord_error_last(), "key derivation parameters"));
	}
	/* in-range but different parameters are honoured: the box no longer opens */
	memcpy(bad, body, BODY_LEN);
	put_u64be(bad + 5, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE + 1);
	write_body(f->keypath, bad, BODY_LEN);
	assert_int_equal(load_rc(f, PASS), ACCORD_EPASS);
}

static void test_key_default_kdf_params(void **state)
{
	struct fx *f = *state;
	accord_key *key = NULL, *loaded = NULL;
	unsigned char body[BODY_LEN], expect[16];

	/* libsodium's interactive limits are stored and honoured; there is no cheaper setting */
	assert_int_equal(accord_key_generate(&key, f->home, "alice.example", PASS, 0), 0);
	read_body(body, f->keypath);
	put_u64be(expect, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
	put_u64be(expect + 8, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
	assert_memory_equal(body + 5, expect, 16);
	assert_int_equal(accord_key_load(&loaded, f->home, PASS), 0);
	assert_same_key(key, loaded);
	accord_key_free(key);
	accord_key_free(loaded);
}

static void test_key_pub_mismatch_refused(void **state)
{
	struct fx *f = *state;
	char other[160];
	accord_key *b = NULL;
	accord_buf line = ACCORD_BUF_INIT;

	accord_key_free(gen(f, NULL));
	snprintf(other, sizeof(other), "%s/other", f->dir);
	assert_int_equal(accord_key_generate(&b, other, "bob", NULL, 0), 0);
	accord_pubkey_to_openssh(&line, &b->pub);
	accord_buf_putc(&line, '\n');
	write_file(f->pubpath, line.ptr, line.size, 0644);
	assert_int_equal(load_rc(f, NULL), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "does not match"));

	/* without key.pub the key still loads */
	assert_int_equal(unlink(f->pubpath), 0);
	assert_int_equal(load_rc(f, NULL), 0);
	accord_buf_dispose(&line);
	accord_key_free(b);
}

static void test_key_id_is_sha256_prefix(void **state)
{
	struct fx *f = *state;
	accord_key *key = gen(f, NULL);
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[33];
	accord_pubkey pub;
	size_t i;

	crypto_hash_sha256(digest, key->pub.pk, sizeof(key->pub.pk));
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	assert_int_equal(strlen(key->pub.id), ACCORD_KEYID_HEXLEN);
	assert_string_equal(key->pub.id, hex);

	/* a fixed vector: the all-zero key */
	memset(&pub, 0, sizeof(pub));
	memset(pub.id, 'x', sizeof(pub.id));
	accord_pubkey_set_id(&pub);
	assert_string_equal(pub.id, "66687aadf862bd776c8fc18b8e9f8e20");
	accord_key_free(key);
}

static void test_key_bad_name_refused(void **state)
{
	struct fx *f = *state;
	accord_key *key = NULL;
	struct stat st;
	static const char *names[] = {
		"",	     "a\nb",
		" lead",     "trail ",
		"tab\there", "01234567890123456789012345678901234567890123456789012345678901234"
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(accord_key_generate(&key, f->home, names[i], NULL, 0),
				 ACCORD_EINVALID);
	assert_int_equal(accord_key_generate(&key, f->home, NULL, NULL, 0), ACCORD_EINVALID);
	assert_null(key);
	assert_int_equal(stat(f->home, &st), -1);
}

/*
 * One encoding per key file: libsodium reads every byte >= 0x80 as '/', so
 * a body with 0x80 where it has '/' would load as the same key. Refused.
 */
static void test_key_base64_high_byte_refused(void **state)
{
	struct fx *f = *state;
	accord_buf text = ACCORD_BUF_INIT;
	accord_key *key = NULL, *back = NULL;
	char *slash = NULL, *nl;
	int tries;

	for (tries = 0; tries < 64 && !slash; tries++) {
		accord_key_free(key);
		unlink(f->keypath);
		unlink(f->pubpath);
		key = gen(f, NULL);
		accord_buf_clear(&text);
		read_text(&text, f->keypath);
		nl = strchr(text.ptr, '\n');
		assert_non_null(nl);
		slash = strchr(nl + 1, '/');
	}
	assert_non_null(slash); /* 64 bodies without a '/': about 1e-42 */
	*slash = (char)0x80;
	write_file(f->keypath, text.ptr, text.size, 0600);
	assert_int_equal(accord_key_load(&back, f->home, NULL), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "base64"));
	assert_null(back);
	accord_key_free(key);
	accord_buf_dispose(&text);
}

/* One name rule: 64 characters, as the schema and the CLI allow, is a key name, kept whole. */
static void test_key_name_of_64(void **state)
{
	struct fx *f = *state;
	static const char name[] =
		"a123456789012345678901234567890123456789012345678901234567890123";
	accord_key *key = NULL, *back = NULL;

	assert_int_equal(strlen(name), 64);
	assert_int_equal(accord_key_generate(&key, f->home, name, NULL, 0), 0);
	assert_string_equal(key->pub.name, name);
	assert_int_equal(accord_key_load(&back, f->home, NULL), 0);
	assert_string_equal(back->pub.name, name);
	accord_key_free(key);
	accord_key_free(back);
}

static void test_key_openssh_roundtrip(void **state)
{
	struct fx *f = *state;
	accord_key *key = gen(f, NULL);
	accord_buf line = ACCORD_BUF_INIT, file = ACCORD_BUF_INIT, padded = ACCORD_BUF_INIT;
	accord_pubkey pub;

	accord_pubkey_to_openssh(&line, &key->pub);
	assert_int_equal(strncmp(line.ptr, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", 37), 0);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), 0);
	assert_memory_equal(pub.pk, key->pub.pk, sizeof(pub.pk));
	assert_string_equal(pub.name, "alice.example");
	assert_string_equal(pub.id, key->pub.id);

	/* key.pub is exactly the line plus a newline */
	read_text(&file, f->pubpath);
	accord_buf_putc(&line, '\n');
	assert_string_equal(file.ptr, line.ptr);

	accord_buf_puts(&padded, " \t ");
	accord_buf_put(&padded, line.ptr, line.size - 1);
	accord_buf_puts(&padded, " \t\r\n");
	memset(&pub, 0, sizeof(pub));
	assert_int_equal(accord_pubkey_from_openssh(&pub, padded.ptr), 0);
	assert_memory_equal(pub.pk, key->pub.pk, sizeof(pub.pk));
	assert_string_equal(pub.name, "alice.example");

	/* no comment: empty name, and no trailing space when printed */
	accord_buf_clear(&line);
	memset(pub.name, 0, sizeof(pub.name));
	accord_pubkey_to_openssh(&line, &pub);
	assert_int_equal(line.size, 12 + 68);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), 0);
	assert_string_equal(pub.name, "");

	/* long comments are cut to 64 bytes (the name rule); control characters are replaced */
	accord_buf_puts(
		&line,
		" Jane\x01"
		"Doe 0123456789012345678901234567890123456789012345678901234567890123456789\n");
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), 0);
	assert_int_equal(strlen(pub.name), 64);
	assert_memory_equal(pub.name, "Jane?Doe 01234", 14);

	accord_buf_dispose(&line);
	accord_buf_dispose(&file);
	accord_buf_dispose(&padded);
	accord_key_free(key);
}

static void test_key_openssh_matches_ssh_keygen(void **state)
{
	accord_buf path = ACCORD_BUF_INIT, file = ACCORD_BUF_INIT, line = ACCORD_BUF_INIT;
	accord_pubkey pub;

	accord_buf_printf(&path, "%s/sshsig/ssh-keygen.pub", fixtures());
	read_text(&file, path.ptr);
	assert_int_equal(accord_pubkey_from_openssh(&pub, file.ptr), 0);
	assert_string_equal(pub.name, "fixture@accord");
	accord_pubkey_to_openssh(&line, &pub);
	accord_buf_putc(&line, '\n');
	assert_string_equal(line.ptr, file.ptr);
	accord_buf_dispose(&path);
	accord_buf_dispose(&file);
	accord_buf_dispose(&line);
}

static void blob_line(accord_buf *out, const char *type, const void *blob, size_t len)
{
	accord_buf_clear(out);
	accord_buf_puts(out, type);
	accord_buf_putc(out, ' ');
	accord_base64_encode(out, blob, len);
	accord_buf_puts(out, " comment\n");
}

/* A hardware key's line: its type and application kept, the same key id as the plain key. */
static void test_key_sk_public_line(void **state)
{
	accord_buf blob = ACCORD_BUF_INIT, line = ACCORD_BUF_INIT, again = ACCORD_BUF_INIT;
	unsigned char pk[32];
	accord_pubkey pub, plain;
	static const char *bad_apps[] = {
		"",
		"ssh",
		"web:x",
		"ssh:a b",
		"ssh:\"q",
		"ssh:\x01",
		"ssh:0123456789012345678901234567890123456789012345678901234567890"
	};
	size_t i;

	memset(pk, 9, sizeof(pk));
	accord_buf_put_sshstr(&blob, "sk-ssh-ed25519@openssh.com", 26);
	accord_buf_put_sshstr(&blob, pk, 32);
	accord_buf_put_sshstr(&blob, "ssh:", 4);
	blob_line(&line, "sk-ssh-ed25519@openssh.com", blob.ptr, blob.size);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), 0);
	assert_int_equal(pub.type, ACCORD_KEY_SK_ED25519);
	assert_string_equal(pub.application, "ssh:");
	assert_memory_equal(pub.pk, pk, 32);
	assert_string_equal(pub.name, "comment");
	/* written back byte for byte, the blob included */
	accord_pubkey_to_openssh(&again, &pub);
	accord_buf_putc(&again, '\n');
	assert_string_equal(again.ptr, line.ptr);
	accord_buf_clear(&again);
	accord_pubkey_blob(&again, &pub);
	assert_int_equal(again.size, blob.size);
	assert_memory_equal(again.ptr, blob.ptr, blob.size);
	/* the same 32 bytes as a plain key: the same key id, but not the same SSH key */
	plain = pub;
	plain.type = ACCORD_KEY_ED25519;
	plain.application[0] = '\0';
	assert_string_equal(plain.id, pub.id);
	assert_false(accord_pubkey_same(&plain, &pub));
	assert_true(accord_pubkey_same(&pub, &pub));
	snprintf(plain.application, sizeof(plain.application), "ssh:");
	plain.type = ACCORD_KEY_SK_ED25519;
	snprintf(plain.application, sizeof(plain.application), "ssh:other");
	assert_false(accord_pubkey_same(&plain, &pub));

	/* the line's type must be the blob's, both ways */
	blob_line(&line, "ssh-ed25519", blob.ptr, blob.size);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), ACCORD_EINVALID);
	/* applications accord does not accept, and a blob with bytes after the application */
	for (i = 0; i < sizeof(bad_apps) / sizeof(bad_apps[0]); i++) {
		accord_buf_clear(&blob);
		accord_buf_put_sshstr(&blob, "sk-ssh-ed25519@openssh.com", 26);
		accord_buf_put_sshstr(&blob, pk, 32);
		accord_buf_put_sshstr(&blob, bad_apps[i], strlen(bad_apps[i]));
		assert_int_equal(accord_pubkey_from_blob(&pub, blob.ptr, blob.size),
				 ACCORD_EINVALID);
	}
	accord_buf_clear(&blob);
	accord_buf_put_sshstr(&blob, "sk-ssh-ed25519@openssh.com", 26);
	accord_buf_put_sshstr(&blob, pk, 32);
	accord_buf_put_sshstr(&blob, "ssh:", 4);
	accord_buf_putc(&blob, 'x');
	assert_int_equal(accord_pubkey_from_blob(&pub, blob.ptr, blob.size), ACCORD_EINVALID);
	accord_buf_clear(&blob);
	accord_buf_put_sshstr(&blob, "sk-ssh-ed25519@openssh.com", 26);
	accord_buf_put_sshstr(&blob, pk, 31);
	accord_buf_put_sshstr(&blob, "ssh:", 4);
	assert_int_equal(accord_pubkey_from_blob(&pub, blob.ptr, blob.size), ACCORD_EINVALID);
	accord_buf_dispose(&blob);
	accord_buf_dispose(&line);
	accord_buf_dispose(&again);
}

static void test_key_openssh_rejects(void **state)
{
	static const char *lines[] = {
		"",
		"   \n",
		"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host",
		"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= x",
		"ssh-ed25519",
		"ssh-ed25519 ",
		"ssh-ed25519AAAAC3NzaC1lZDI1NTE5AAAAIEXa7cN1LryXgYmxsTFEh8IWAkgbp2+fm5mQNWdrg3lh",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXa7cN1LryXgYmxsTFEh8IWAkgbp2+fm5mQNWdrg3l",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXa7cN1LryXgYmxsTFEh8IWAkgbp2+fm5mQNWdrg3l*",
		"ssh-ed25519 !!!! comment",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXa7cN1LryXgYmxsTFEh8IWAkgbp2+fm5mQNWdrg3lh a\nssh-ed25519 x",
		"garbage",
	};
	unsigned char blob[64];
	accord_buf line = ACCORD_BUF_INIT;
	accord_pubkey pub;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(accord_pubkey_from_openssh(&pub, lines[i]), ACCORD_EINVALID);
	assert_int_equal(accord_pubkey_from_openssh(&pub, lines[2]), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "ssh-rsa"));
	assert_int_equal(accord_pubkey_from_openssh(&pub, NULL), ACCORD_EINVALID);

	/* a well-formed blob parses: the variants below fail for their one defect */
	memcpy(blob, "\0\0\0\x0bssh-ed25519\0\0\0\x20", 19);
	memset(blob + 19, 7, 45);
	blob_line(&line, "ssh-ed25519", blob, 51);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), 0);

	blob_line(&line, "ssh-ed25519", blob, 52); /* trailing garbage in the blob */
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), ACCORD_EINVALID);
	blob_line(&line, "ssh-ed25519", blob, 50); /* short key */
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), ACCORD_EINVALID);
	blob[18] = 0x1f; /* key length 31 */
	blob_line(&line, "ssh-ed25519", blob, 51);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), ACCORD_EINVALID);
	blob[18] = 0x20;
	blob[3] = 0xff; /* type length runs past the end */
	blob_line(&line, "ssh-ed25519", blob, 51);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), ACCORD_EINVALID);
	blob[3] = 0x0b;
	memcpy(blob + 4, "ssh-ed25518", 11); /* line says ed25519, blob says otherwise */
	blob_line(&line, "ssh-ed25519", blob, 51);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), ACCORD_EINVALID);
	assert_int_equal(accord_pubkey_from_blob(&pub, blob, 51), ACCORD_EINVALID);
	assert_int_equal(accord_pubkey_from_blob(&pub, blob, 2), ACCORD_EINVALID);
	accord_buf_dispose(&line);
}

static void test_key_home_resolution(void **state)
{
	accord_key_home_options o = ACCORD_KEY_HOME_OPTIONS_INIT;
	char *home = NULL;

	(void)state;
	/* the library reads no environment: only what the program passes counts */
	assert_int_equal(setenv("ACCORD_HOME", "/env", 1), 0);
	o.home = "/explicit";
	o.xdg_config_home = "/xdg";
	o.user_home = "/home/u";
	assert_int_equal(accord_key_home(&home, &o), 0);
	assert_string_equal(home, "/explicit");
	free(home);
	o.home = "";
	assert_int_equal(accord_key_home(&home, &o), 0);
	assert_string_equal(home, "/xdg/accord");
	free(home);
	o.home = NULL;
	o.xdg_config_home = "relative";
	assert_int_equal(accord_key_home(&home, &o), 0);
	assert_string_equal(home, "/home/u/.config/accord");
	free(home);
	o.xdg_config_home = NULL;
	assert_int_equal(accord_key_home(&home, &o), 0);
	assert_string_equal(home, "/home/u/.config/accord");
	free(home);
	home = NULL;
	o.user_home = "";
	assert_int_equal(accord_key_home(&home, &o), ACCORD_ERROR);
	assert_null(home);
	assert_non_null(strstr(accord_error_last(), "HOME"));
	assert_int_equal(accord_key_home(&home, NULL), ACCORD_ERROR);
	assert_null(home);
	assert_int_equal(unsetenv("ACCORD_HOME"), 0);
}

static void test_key_load_public(void **state)
{
	struct fx *f = *state;
	accord_key *key = gen(f, PASS);
	accord_pubkey pub;

	assert_int_equal(accord_key_load_public(&pub, f->home), 0);
	assert_memory_equal(pub.pk, key->pub.pk, sizeof(pub.pk));
	assert_string_equal(pub.id, key->pub.id);
	assert_string_equal(pub.name, "alice.example");
	write_file(f->pubpath, "ssh-rsa AAAA x\n", 15, 0644);
	assert_int_equal(accord_key_load_public(&pub, f->home), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), f->pubpath));
	accord_key_free(key);
}

/* --- importing OpenSSH private keys ------------------------------------- */

/* Run a shell command in `dir`; its exit status. */
static int run(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(const char *dir, const char *fmt, ...)
{
	accord_buf cmd = ACCORD_BUF_INIT;
	char inner[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	assert_true(vsnprintf(inner, sizeof(inner), fmt, ap) < (int)sizeof(inner));
	va_end(ap);
	accord_buf_printf(&cmd, "cd '%s' && %s", dir, inner);
	st = system(cmd.ptr);
	accord_buf_dispose(&cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ssh-keygen -t TYPE -N PASS -C COMMENT -f dir/FILE; the private key text in `out`. */
static void ssh_keygen(accord_buf *out, struct fx *f, const char *type, const char *pass,
		       const char *comment, const char *file)
{
	char path[256];

	assert_int_equal(run(f->dir, "ssh-keygen -q -t %s -N '%s' -C '%s' -f %s </dev/null", type,
			     pass, comment, file),
			 0);
	snprintf(path, sizeof(path), "%s/%s", f->dir, file);
	accord_buf_clear(out);
	read_text(out, path);
}

static int import(struct fx *f, const accord_buf *pem, const char *name, const char *pass,
		  int force)
{
	accord_key *key = NULL;
	int rc = accord_key_import_openssh(&key, f->home, pem->ptr, pem->size, name, pass, force);

	if (rc < 0)
		assert_null(key);
	else
		assert_non_null(key);
	accord_key_free(key);
	return rc;
}

static int parse_rc(const void *pem, size_t len)
{
	accord_key *key = NULL;
	int rc = accord_key_from_openssh(&key, pem, len, "k");

	if (rc < 0)
		assert_null(key);
	accord_key_free(key);
	return rc;
}

static void assert_no_home(struct fx *f)
{
	struct stat st;

	assert_int_equal(stat(f->home, &st), -1);
}

static void test_key_import_roundtrip(void **state)
{
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT, pubfile = ACCORD_BUF_INIT, line = ACCORD_BUF_INIT;
	accord_buf ours = ACCORD_BUF_INIT, theirs = ACCORD_BUF_INIT, allowed = ACCORD_BUF_INIT;
	accord_key *key = NULL, *loaded = NULL;
	accord_pubkey sshpub, signer;
	char path[256];
	const char msg[] = "one key, two signers\n";

	ssh_keygen(&pem, f, "ed25519", "", "comment", "k");
	assert_int_equal(accord_key_import_openssh(&key, f->home, pem.ptr, pem.size, NULL, NULL, 0),
			 0);
	assert_string_equal(key->pub.name, "comment");

	/* the accord public key is the one in ssh-keygen's k.pub */
	snprintf(path, sizeof(path), "%s/k.pub", f->dir);
	read_text(&pubfile, path);
	assert_int_equal(accord_pubkey_from_openssh(&sshpub, pubfile.ptr), 0);
	assert_memory_equal(sshpub.pk, key->pub.pk, sizeof(sshpub.pk));
	assert_string_equal(sshpub.id, key->pub.id);
	/* and key.pub is the same line, since the name is the comment */
	read_text(&line, f->pubpath);
	assert_string_equal(line.ptr, pubfile.ptr);

	/* stored in accord's own format: it loads back, and the file is 0600 */
	assert_int_equal(accord_key_load(&loaded, f->home, NULL), 0);
	assert_same_key(key, loaded);
	assert_int_equal(accord_key_is_encrypted(f->home), 0);
	{
		struct stat st;

		assert_int_equal(stat(f->keypath, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
	}

	/* accord's signature verifies with OpenSSH under the .pub line ... */
	accord_sshsig_sign(&ours, loaded, "git", msg, strlen(msg));
	snprintf(path, sizeof(path), "%s/msg", f->dir);
	write_file(path, msg, strlen(msg), 0600);
	snprintf(path, sizeof(path), "%s/msg.accord", f->dir);
	write_file(path, ours.ptr, ours.size, 0600);
	accord_buf_puts(&allowed, "member namespaces=\"git\" ");
	accord_buf_puts(&allowed, pubfile.ptr);
	snprintf(path, sizeof(path), "%s/allowed", f->dir);
	write_file(path, allowed.ptr, allowed.size, 0600);
	assert_int_equal(run(f->dir, "ssh-keygen -Y verify -f allowed -I member -n git "
				     "-s msg.accord < msg >/dev/null 2>&1"),
			 0);
	assert_int_not_equal(run(f->dir, "echo tampered >> msg && ssh-keygen -Y verify -f allowed "
					 "-I member -n git -s msg.accord < msg >/dev/null 2>&1"),
			     0);

	/* ... and OpenSSH's signature with the original file verifies in accord */
	snprintf(path, sizeof(path), "%s/msg", f->dir);
	write_file(path, msg, strlen(msg), 0600);
	assert_int_equal(run(f->dir, "ssh-keygen -q -Y sign -n git -f k msg 2>/dev/null"), 0);
	snprintf(path, sizeof(path), "%s/msg.sig", f->dir);
	read_text(&theirs, path);
	assert_int_equal(
		accord_sshsig_verify(&signer, theirs.ptr, theirs.size, "git", msg, strlen(msg)), 0);
	assert_memory_equal(signer.pk, key->pub.pk, sizeof(signer.pk));
	/* Ed25519 is deterministic: the same key gives the very same signature */
	accord_buf_putc(&ours, '\n');
	assert_string_equal(theirs.ptr, ours.ptr);

	accord_key_free(key);
	accord_key_free(loaded);
	accord_buf_dispose(&pem);
	accord_buf_dispose(&pubfile);
	accord_buf_dispose(&line);
	accord_buf_dispose(&ours);
	accord_buf_dispose(&theirs);
	accord_buf_dispose(&allowed);
}

/*
 * An OpenSSH private key that group or others may read is refused, as our
 * own key is and as ssh refuses it: whoever could read it may hold it
 * already. Links are followed (~/.ssh may be a link farm), to the mode of
 * the file they name.
 */
static void test_key_read_openssh_refuses_open_permissions(void **state)
{
	static const mode_t open_modes[] = { 0644, 0640, 0604, 0620, 0660, 0602, 0700 | 0004 };
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT;
	accord_key *key = NULL;
	char path[512], link[512];
	size_t i;

	ssh_keygen(&pem, f, "ed25519", "", "dave", "k");
	snprintf(path, sizeof(path), "%s/k", f->dir);
	snprintf(link, sizeof(link), "%s/k-link", f->dir);
	assert_int_equal(symlink(path, link), 0);
	for (i = 0; i < sizeof(open_modes) / sizeof(*open_modes); i++) {
		assert_int_equal(chmod(path, open_modes[i]), 0);
		assert_int_equal(accord_key_read_openssh(&key, path), ACCORD_EDENIED);
		assert_null(key);
		assert_non_null(strstr(accord_error_last(), "open to group or others"));
		assert_non_null(strstr(accord_error_last(), "chmod 600"));
		assert_int_equal(accord_key_read_openssh(&key, link), ACCORD_EDENIED);
		assert_null(key);
	}
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(accord_key_read_openssh(&key, path), 0);
	assert_string_equal(key->pub.name, "dave");
	accord_key_free(key);
	key = NULL;
	assert_int_equal(accord_key_read_openssh(&key, link), 0);
	accord_key_free(key);
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(accord_key_read_openssh(&key, path), 0);
	accord_key_free(key);
	accord_buf_dispose(&pem);
}

static void test_key_import_passphrase(void **state)
{
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT;
	accord_key *key = NULL, *loaded = NULL;
	unsigned char body[BODY_LEN];

	ssh_keygen(&pem, f, "ed25519", "", "sealed", "k");
	assert_int_equal(accord_key_import_openssh(&key, f->home, pem.ptr, pem.size, NULL, PASS, 0),
			 0);
	assert_int_equal(accord_key_is_encrypted(f->home), 1);
	read_body(body, f->keypath);
	assert_int_equal(body[4], 1);
	assert_int_equal(load_rc(f, NULL), ACCORD_EPASS);
	assert_int_equal(load_rc(f, "wrong"), ACCORD_EPASS);
	assert_int_equal(accord_key_load(&loaded, f->home, PASS), 0);
	assert_same_key(key, loaded);
	accord_key_free(key);
	accord_key_free(loaded);
	accord_buf_dispose(&pem);
}

static void test_key_import_name(void **state)
{
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT;
	accord_key *key = NULL;
	char path[256];

	/* ssh-keygen's usual comment, user@host, is not a name */
	ssh_keygen(&pem, f, "ed25519", "", "alice@laptop", "k");
	assert_int_equal(import(f, &pem, NULL, NULL, 0), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "--name"));
	assert_no_home(f);
	assert_int_equal(import(f, &pem, "bad\nname", NULL, 0), ACCORD_EINVALID);
	assert_no_home(f);

	/* parsing alone leaves the name empty rather than guessing */
	snprintf(path, sizeof(path), "%s/k", f->dir);
	assert_int_equal(accord_key_read_openssh(&key, path), 0);
	assert_string_equal(key->pub.name, "");
	assert_int_equal(accord_key_set_name(key, ""), ACCORD_EINVALID);
	assert_int_equal(accord_key_set_name(key, "x\ty"), ACCORD_EINVALID);
	assert_int_equal(accord_key_set_name(key, "alice"), 0);
	assert_string_equal(key->pub.name, "alice");
	accord_key_free(key);
	key = NULL;

	assert_int_equal(import(f, &pem, "alice", NULL, 0), 0);
	assert_int_equal(accord_key_load(&key, f->home, NULL), 0);
	assert_string_equal(key->pub.name, "alice");
	accord_key_free(key);
	key = NULL;

	/* --name wins over a usable comment; no comment at all needs --name */
	ssh_keygen(&pem, f, "ed25519", "", "ops-key_2.b", "k2");
	assert_int_equal(accord_key_from_openssh(&key, pem.ptr, pem.size, NULL), 0);
	assert_string_equal(key->pub.name, "ops-key_2.b");
	accord_key_free(key);
	assert_int_equal(import(f, &pem, "bob", NULL, 1), 0);
	{
		accord_pubkey pub;

		assert_int_equal(accord_key_load_public(&pub, f->home), 0);
		assert_string_equal(pub.name, "bob");
	}
	ssh_keygen(&pem, f, "ed25519", "", "", "k3");
	assert_int_equal(import(f, &pem, NULL, NULL, 1), ACCORD_EINVALID);
	ssh_keygen(&pem, f, "ed25519", "", ".hidden", "k4");
	assert_int_equal(import(f, &pem, NULL, NULL, 1), ACCORD_EINVALID);
	accord_buf_dispose(&pem);
}

static void test_key_import_encrypted_refused(void **state)
{
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT;
	char path[256];

	ssh_keygen(&pem, f, "ed25519", "secret", "comment", "k");
	assert_int_equal(import(f, &pem, NULL, NULL, 0), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "is encrypted"));
	assert_non_null(strstr(accord_error_last(), "ssh-keygen -p"));
	/* even with a passphrase given: it is ours, not the file's */
	assert_int_equal(import(f, &pem, "alice", "secret", 0), ACCORD_EINVALID);
	assert_no_home(f);

	/* decrypted as the message says, it imports */
	assert_int_equal(run(f->dir, "ssh-keygen -q -p -P secret -N '' -f k >/dev/null"), 0);
	snprintf(path, sizeof(path), "%s/k", f->dir);
	accord_buf_clear(&pem);
	read_text(&pem, path);
	assert_int_equal(import(f, &pem, NULL, NULL, 0), 0);
	accord_buf_dispose(&pem);
}

static void test_key_import_other_types_refused(void **state)
{
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT;

	ssh_keygen(&pem, f, "rsa -b 2048", "", "comment", "rsa");
	assert_int_equal(import(f, &pem, NULL, NULL, 0), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "ssh-rsa"));
	assert_non_null(strstr(accord_error_last(), "ed25519"));
	/* an encrypted RSA key is refused for being RSA, not for being encrypted */
	ssh_keygen(&pem, f, "rsa -b 2048", "secret", "comment", "rsa2");
	assert_int_equal(import(f, &pem, NULL, NULL, 0), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "ssh-rsa"));
	ssh_keygen(&pem, f, "ecdsa", "", "comment", "ec");
	assert_int_equal(import(f, &pem, NULL, NULL, 0), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "ecdsa-sha2-nistp256"));
	/* the old PEM format */
	ssh_keygen(&pem, f, "ecdsa -m PEM", "", "comment", "ecpem");
	assert_int_equal(import(f, &pem, NULL, NULL, 0), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "PEM"));
	/* the .pub file instead of the private one */
	ssh_keygen(&pem, f, "ed25519", "", "comment", "k");
	{
		char path[256];

		snprintf(path, sizeof(path), "%s/k.pub", f->dir);
		accord_buf_clear(&pem);
		read_text(&pem, path);
	}
	assert_int_equal(import(f, &pem, NULL, NULL, 0), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "public key"));
	assert_no_home(f);
	accord_buf_dispose(&pem);
}

/* Decode the body of an armored OpenSSH key (its lines wrapped at 70). */
static void ossh_decode(accord_buf *bin, const accord_buf *pem)
{
	accord_buf b64 = ACCORD_BUF_INIT;
	const char *p = strchr(pem->ptr, '\n') + 1;
	const char *end = strstr(pem->ptr, "-----END");

	for (; p < end; p++)
		if (*p != '\n')
			accord_buf_putc(&b64, *p);
	accord_buf_clear(bin);
	assert_int_equal(accord_base64_decode(bin, b64.ptr, b64.size), 0);
	accord_buf_dispose(&b64);
}

static void ossh_armor(accord_buf *pem, const void *bin, size_t len)
{
	accord_buf b64 = ACCORD_BUF_INIT;
	size_t i;

	accord_base64_encode(&b64, bin, len);
	accord_buf_clear(pem);
	accord_buf_puts(pem, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	for (i = 0; i < b64.size; i += 70) {
		accord_buf_put(pem, b64.ptr + i, b64.size - i < 70 ? b64.size - i : 70);
		accord_buf_putc(pem, '\n');
	}
	accord_buf_puts(pem, "-----END OPENSSH PRIVATE KEY-----\n");
	accord_buf_dispose(&b64);
}

static void test_key_import_truncated_refused(void **state)
{
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT, bin = ACCORD_BUF_INIT, cut = ACCORD_BUF_INIT;
	size_t n, end_line;

	ssh_keygen(&pem, f, "ed25519", "", "comment", "k");
	/* every prefix of the text short of the END line fails, the rest parse */
	end_line = (size_t)(strstr(pem.ptr, "-----END") - pem.ptr) +
		   strlen("-----END OPENSSH PRIVATE KEY-----");
	for (n = 0; n <= pem.size; n++)
		assert_int_equal(parse_rc(pem.ptr, n), n < end_line ? ACCORD_EINVALID : 0);
	/* every prefix of the binary body, armored properly, fails */
	ossh_decode(&bin, &pem);
	for (n = 0; n < bin.size; n++) {
		ossh_armor(&cut, bin.ptr, n);
		assert_int_equal(parse_rc(cut.ptr, cut.size), ACCORD_EINVALID);
	}
	ossh_armor(&cut, bin.ptr, bin.size);
	assert_int_equal(parse_rc(cut.ptr, cut.size), 0);
	accord_buf_dispose(&pem);
	accord_buf_dispose(&bin);
	accord_buf_dispose(&cut);
}

static void test_key_import_corrupt_refused(void **state)
{
	static const unsigned char flips[] = { 0x01, 0x80, 0xff };
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT, bin = ACCORD_BUF_INIT, bad = ACCORD_BUF_INIT;
	accord_key *orig = NULL, *key = NULL;
	size_t i, j, comment_at, refused = 0;
	const char *c;

	ssh_keygen(&pem, f, "ed25519", "", "comment", "k");
	assert_int_equal(accord_key_from_openssh(&orig, pem.ptr, pem.size, NULL), 0);
	ossh_decode(&bin, &pem);
	/* the comment is the one part whose bytes nothing else checks */
	for (c = bin.ptr, comment_at = 0; comment_at + 7 <= bin.size; comment_at++)
		if (memcmp(c + comment_at, "comment", 7) == 0)
			break;
	assert_true(comment_at + 7 < bin.size);

	for (i = 0; i < bin.size; i++) {
		for (j = 0; j < sizeof(flips); j++) {
			int in_comment = i >= comment_at && i < comment_at + 7, rc;

			bin.ptr[i] ^= (char)flips[j];
			ossh_armor(&bad, bin.ptr, bin.size);
			bin.ptr[i] ^= (char)flips[j];
			rc = accord_key_from_openssh(&key, bad.ptr, bad.size, NULL);
			if (in_comment) {
				assert_int_equal(rc, 0);
				assert_memory_equal(key->pub.pk, orig->pub.pk,
						    sizeof(orig->pub.pk));
				accord_key_free(key);
				key = NULL;
			} else {
				if (rc != ACCORD_EINVALID)
					fail_msg("flip %02x at byte %zu: rc %d", flips[j], i, rc);
				assert_null(key);
				refused++;
			}
		}
	}
	assert_int_equal(refused, (bin.size - 7) * sizeof(flips));

	/* flips in the text itself: never a crash, never a different key */
	for (i = 0; i < pem.size; i++) {
		for (j = 0; j < sizeof(flips); j++) {
			int rc;

			pem.ptr[i] ^= (char)flips[j];
			rc = accord_key_from_openssh(&key, pem.ptr, pem.size, NULL);
			pem.ptr[i] ^= (char)flips[j];
			assert_true(rc == 0 || rc == ACCORD_EINVALID);
			if (rc == 0)
				assert_memory_equal(key->pub.pk, orig->pub.pk,
						    sizeof(orig->pub.pk));
			accord_key_free(key);
			key = NULL;
		}
	}
	accord_key_free(orig);
	accord_buf_dispose(&pem);
	accord_buf_dispose(&bin);
	accord_buf_dispose(&bad);
}

/* One defect each, in a key built by hand (ossh_build). */
enum ossh_defect {
	OSSH_OK,
	OSSH_NKEYS,
	OSSH_CHECKINT,
	OSSH_SK_TAIL,
	OSSH_SEED,
	OSSH_PRIV_PK,
	OSSH_PRIV_TYPE,
	OSSH_SK_LEN,
	OSSH_PADDING,
	OSSH_UNALIGNED,
	OSSH_TRAILING,
	OSSH_KDF,
	OSSH_MAGIC,
	OSSH_CIPHER,
	OSSH_PUB_TRAILING,
};

static void ossh_build(accord_buf *bin, const unsigned char seed[32], enum ossh_defect d)
{
	unsigned char pk[32], sk[64], other[32], other_sk[64];
	accord_buf pub = ACCORD_BUF_INIT, priv = ACCORD_BUF_INIT;
	unsigned char pad = 1;

	crypto_sign_seed_keypair(pk, sk, seed);
	memset(other, 0x42, sizeof(other));
	crypto_sign_seed_keypair(other, other_sk, other);

	accord_buf_put_sshstr(&pub, "ssh-ed25519", 11);
	accord_buf_put_sshstr(&pub, pk, 32);
	if (d == OSSH_PUB_TRAILING)
		accord_buf_putc(&pub, 0);

	accord_buf_put_u32(&priv, 0x11223344);
	accord_buf_put_u32(&priv, d == OSSH_CHECKINT ? 0x11223345 : 0x11223344);
	accord_buf_put_sshstr(&priv, d == OSSH_PRIV_TYPE ? "ssh-ed25518" : "ssh-ed25519", 11);
	/* a different but self-consistent key in the private section */
	if (d == OSSH_PRIV_PK) {
		memcpy(pk, other, 32);
		memcpy(sk, other_sk, 64);
	}
	accord_buf_put_sshstr(&priv, pk, 32);
	if (d == OSSH_SK_TAIL)
		sk[63] ^= 1;
	if (d == OSSH_SEED)
		sk[0] ^= 1;
	accord_buf_put_sshstr(&priv, sk, d == OSSH_SK_LEN ? 32 : 64);
	accord_buf_put_sshstr(&priv, "comment", 7);
	while (priv.size % 8)
		accord_buf_putc(&priv, (char)(d == OSSH_PADDING && pad == 2 ? 9 : pad)), pad++;
	if (d == OSSH_UNALIGNED)
		accord_buf_putc(&priv, (char)pad);

	accord_buf_clear(bin);
	accord_buf_put(bin, d == OSSH_MAGIC ? "openssh-key-v2" : "openssh-key-v1", 15);
	accord_buf_put_sshstr(bin, d == OSSH_CIPHER ? "aes256-ctr" : "none",
			      d == OSSH_CIPHER ? 10 : 4);
	accord_buf_put_sshstr(bin, d == OSSH_KDF ? "bcrypt" : "none", d == OSSH_KDF ? 6 : 4);
	accord_buf_put_sshstr(bin, "", 0);
	accord_buf_put_u32(bin, d == OSSH_NKEYS ? 2 : 1);
	accord_buf_put_sshstr(bin, pub.ptr, pub.size);
	if (d == OSSH_NKEYS)
		accord_buf_put_sshstr(bin, pub.ptr, pub.size);
	accord_buf_put_sshstr(bin, priv.ptr, priv.size);
	if (d == OSSH_TRAILING)
		accord_buf_putc(bin, 0);
	accord_buf_dispose(&pub);
	accord_buf_dispose(&priv);
}

static void test_key_import_inconsistent_refused(void **state)
{
	static const struct {
		enum ossh_defect d;
		const char *says;
	} cases[] = {
		{ OSSH_NKEYS, "holds 2 keys" },
		{ OSSH_CHECKINT, "check bytes differ" },
		{ OSSH_SK_TAIL, "does not end with its public key" },
		{ OSSH_SEED, "seed does not give" },
		{ OSSH_PRIV_PK, "different public key" },
		{ OSSH_PRIV_TYPE, "type differs" },
		{ OSSH_SK_LEN, "lengths" },
		{ OSSH_PADDING, "padding" },
		{ OSSH_UNALIGNED, "blocks" },
		{ OSSH_TRAILING, "trailing data" },
		{ OSSH_KDF, "key derivation" },
		{ OSSH_MAGIC, "magic" },
		{ OSSH_CIPHER, "encrypted" },
		{ OSSH_PUB_TRAILING, "blob" },
	};
	struct fx *f = *state;
	accord_buf bin = ACCORD_BUF_INIT, pem = ACCORD_BUF_INIT;
	accord_key *key = NULL;
	unsigned char seed[32];
	size_t i;

	randombytes_buf(seed, sizeof(seed));
	/* the builder is right: without a defect the key parses to its seed */
	ossh_build(&bin, seed, OSSH_OK);
	ossh_armor(&pem, bin.ptr, bin.size);
	assert_int_equal(accord_key_from_openssh(&key, pem.ptr, pem.size, NULL), 0);
	assert_memory_equal(key->sk, seed, 32);
	assert_string_equal(key->pub.name, "comment");
	accord_key_free(key);
	key = NULL;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ossh_build(&bin, seed, cases[i].d);
		ossh_armor(&pem, bin.ptr, bin.size);
		assert_int_equal(import(f, &pem, "x", NULL, 0), ACCORD_EINVALID);
		if (!strstr(accord_error_last(), cases[i].says))
			fail_msg("defect %d: expected \"%s\" in \"%s\"", (int)cases[i].d,
				 cases[i].says, accord_error_last());
	}
	assert_no_home(f);
	accord_buf_dispose(&bin);
	accord_buf_dispose(&pem);
}

static void test_key_import_armor(void **state)
{
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT, v = ACCORD_BUF_INIT;
	char *big;
	size_t i;

	ssh_keygen(&pem, f, "ed25519", "", "comment", "k");
	/* CRLF line ends, leading blank lines and trailing whitespace are fine */
	accord_buf_puts(&v, "\n  \n");
	for (i = 0; i < pem.size; i++) {
		if (pem.ptr[i] == '\n')
			accord_buf_putc(&v, '\r');
		accord_buf_putc(&v, pem.ptr[i]);
	}
	accord_buf_puts(&v, "\n\n");
	assert_int_equal(parse_rc(v.ptr, v.size), 0);
	/* no final newline */
	assert_int_equal(parse_rc(pem.ptr, pem.size - 1), 0);

	/* but nothing after the END line, and no NUL anywhere */
	accord_buf_clear(&v);
	accord_buf_put(&v, pem.ptr, pem.size);
	accord_buf_puts(&v, "x\n");
	assert_int_equal(parse_rc(v.ptr, v.size), ACCORD_EINVALID);
	accord_buf_clear(&v);
	accord_buf_put(&v, pem.ptr, pem.size);
	v.ptr[40] = '\0';
	assert_int_equal(parse_rc(v.ptr, v.size), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "binary"));
	/* a space inside the base64, a bad BEGIN line, no END line */
	accord_buf_clear(&v);
	accord_buf_put(&v, pem.ptr, pem.size);
	v.ptr[50] = ' ';
	assert_int_equal(parse_rc(v.ptr, v.size), ACCORD_EINVALID);
	accord_buf_clear(&v);
	accord_buf_put(&v, pem.ptr, pem.size);
	v.ptr[11] = 'X';
	assert_int_equal(parse_rc(v.ptr, v.size), ACCORD_EINVALID);
	accord_buf_clear(&v);
	accord_buf_put(&v, pem.ptr, (size_t)(strstr(pem.ptr, "-----END") - pem.ptr));
	assert_int_equal(parse_rc(v.ptr, v.size), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "END"));
	assert_int_equal(parse_rc("", 0), ACCORD_EINVALID);
	assert_int_equal(parse_rc("garbage", 7), ACCORD_EINVALID);
	assert_int_equal(accord_key_from_openssh(NULL, pem.ptr, pem.size, NULL), ACCORD_EINVALID);
	/* an empty body between the lines */
	assert_int_equal(
		parse_rc("-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n",
			 70),
		ACCORD_EINVALID);

	/* the size bound: 16 KiB */
	big = malloc(20000);
	assert_non_null(big);
	memset(big, 'A', 20000);
	memcpy(big, pem.ptr, 36);
	assert_int_equal(parse_rc(big, 20000), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "larger"));
	free(big);
	accord_buf_dispose(&pem);
	accord_buf_dispose(&v);
}

static void test_key_import_refuses_overwrite(void **state)
{
	struct fx *f = *state;
	accord_buf pem1 = ACCORD_BUF_INIT, pem2 = ACCORD_BUF_INIT, before = ACCORD_BUF_INIT;
	accord_buf after = ACCORD_BUF_INIT;
	accord_key *k1 = NULL, *k2 = NULL, *loaded = NULL;
	DIR *d;
	struct dirent *e;
	int entries = 0;

	ssh_keygen(&pem1, f, "ed25519", "", "one", "k1");
	ssh_keygen(&pem2, f, "ed25519", "", "two", "k2");
	assert_int_equal(accord_key_from_openssh(&k1, pem1.ptr, pem1.size, NULL), 0);
	assert_int_equal(accord_key_from_openssh(&k2, pem2.ptr, pem2.size, NULL), 0);

	assert_int_equal(import(f, &pem1, NULL, NULL, 0), 0);
	read_text(&before, f->keypath);
	assert_int_equal(import(f, &pem2, NULL, NULL, 0), ACCORD_EEXISTS);
	assert_non_null(strstr(accord_error_last(), "--force"));
	read_text(&after, f->keypath);
	assert_string_equal(after.ptr, before.ptr);
	assert_int_equal(accord_key_load(&loaded, f->home, NULL), 0);
	assert_memory_equal(loaded->pub.pk, k1->pub.pk, 32);
	accord_key_free(loaded);
	loaded = NULL;

	assert_int_equal(import(f, &pem2, NULL, NULL, 1), 0);
	assert_int_equal(accord_key_load(&loaded, f->home, NULL), 0);
	assert_memory_equal(loaded->pub.pk, k2->pub.pk, 32);
	assert_string_equal(loaded->pub.name, "two");
	accord_key_free(loaded);

	/* a generated key is protected the same way, and no temporary files are left */
	assert_int_equal(accord_key_generate(&loaded, f->home, "gen", NULL, 1), 0);
	accord_key_free(loaded);
	assert_int_equal(import(f, &pem1, NULL, NULL, 0), ACCORD_EEXISTS);
	assert_int_equal(load_rc(f, NULL), 0);
	d = opendir(f->home);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' || strncmp(e->d_name, ".key", 4) == 0)
			entries++;
	closedir(d);
	assert_int_equal(entries, 2);

	accord_key_free(k1);
	accord_key_free(k2);
	accord_buf_dispose(&pem1);
	accord_buf_dispose(&pem2);
	accord_buf_dispose(&before);
	accord_buf_dispose(&after);
}

static void test_key_read_openssh_file(void **state)
{
	struct fx *f = *state;
	accord_buf pem = ACCORD_BUF_INIT;
	accord_key *key = NULL;
	char path[256], link[256];
	char *big;

	ssh_keygen(&pem, f, "ed25519", "", "comment", "k");
	snprintf(path, sizeof(path), "%s/k", f->dir);
	snprintf(link, sizeof(link), "%s/link", f->dir);
	/* ~/.ssh may be a link farm: the source (not our key) may be a symlink */
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(accord_key_read_openssh(&key, link), 0);
	assert_string_equal(key->pub.name, "comment");
	accord_key_free(key);
	key = NULL;

	snprintf(path, sizeof(path), "%s/missing", f->dir);
	assert_int_equal(accord_key_read_openssh(&key, path), ACCORD_ENOTFOUND);
	assert_int_equal(accord_key_read_openssh(&key, f->dir), ACCORD_EINVALID);
	big = calloc(1, 16 * 1024 + 1);
	assert_non_null(big);
	memset(big, 'A', 16 * 1024 + 1);
	snprintf(path, sizeof(path), "%s/big", f->dir);
	write_file(path, big, 16 * 1024 + 1, 0600);
	assert_int_equal(accord_key_read_openssh(&key, path), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "larger"));
	free(big);
	assert_null(key);
	assert_int_equal(accord_key_read_openssh(NULL, path), ACCORD_EINVALID);
	accord_buf_dispose(&pem);
}

static void test_key_save_checks_key(void **state)
{
	struct fx *f = *state;
	accord_key *key = gen(f, NULL), *loaded = NULL;
	char other[160];

	snprintf(other, sizeof(other), "%s/other", f->dir);
	key->pub.pk[0] ^= 1;
	assert_int_equal(accord_key_save(key, other, NULL, 0), ACCORD_EINVALID);
	key->pub.pk[0] ^= 1;
	{
		struct stat st;

		assert_int_equal(stat(other, &st), -1);
	}
	key->pub.name[0] = '\0';
	assert_int_equal(accord_key_save(key, other, NULL, 0), ACCORD_EINVALID);
	assert_int_equal(accord_key_set_name(key, "copy"), 0);
	assert_int_equal(accord_key_save(key, other, PASS, 0), 0);
	assert_int_equal(accord_key_load(&loaded, other, PASS), 0);
	assert_same_key(key, loaded);
	assert_int_equal(accord_key_save(NULL, other, NULL, 1), ACCORD_EINVALID);
	assert_int_equal(accord_key_save(key, NULL, NULL, 1), ACCORD_EINVALID);
	accord_key_free(key);
	accord_key_free(loaded);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_key_roundtrip_plain),
		T(test_key_sk_public_line),
		T(test_key_roundtrip_passphrase),
		T(test_key_wrong_passphrase),
		T(test_key_missing_passphrase),
		T(test_key_refuses_overwrite),
		T(test_key_force_replaces),
		T(test_key_file_modes),
		T(test_key_home_tightened),
		T(test_key_group_readable_refused),
		T(test_key_symlinked_key_refused),
		T(test_key_not_a_regular_file_refused),
		T(test_key_not_found),
		T(test_key_malformed_refused),
		T(test_key_truncated_refused),
		T(test_key_hostile_kdf_refused),
		T(test_key_default_kdf_params),
		T(test_key_pub_mismatch_refused),
		T(test_key_id_is_sha256_prefix),
		T(test_key_bad_name_refused),
		T(test_key_name_of_64),
		T(test_key_base64_high_byte_refused),
		T(test_key_openssh_roundtrip),
		T(test_key_openssh_matches_ssh_keygen),
		T(test_key_openssh_rejects),
		T(test_key_home_resolution),
		T(test_key_load_public),
		T(test_key_import_roundtrip),
		T(test_key_read_openssh_refuses_open_permissions),
		T(test_key_import_passphrase),
		T(test_key_import_name),
		T(test_key_import_encrypted_refused),
		T(test_key_import_other_types_refused),
		T(test_key_import_truncated_refused),
		T(test_key_import_corrupt_refused),
		T(test_key_import_inconsistent_refused),
		T(test_key_import_armor),
		T(test_key_import_refuses_overwrite),
		T(test_key_read_openssh_file),
		T(test_key_save_checks_key),
	};

	return cmocka_run_group_tests_name("key", tests, group_setup, NULL);
}
