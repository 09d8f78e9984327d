/*
 * Tests for lib/key.c: key files on disk, their permissions, the
 * passphrase, and OpenSSH public key lines.
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
#include <unistd.h>

#include <sodium.h>

#include "accord/buf.h"
#include "accord/encode.h"
#include "accord/error.h"
#include "accord/key.h"

#define BODY_LEN 109
#define PASS "correct horse battery staple"

struct fx {
	char dir[64];   /* mkdtemp'd scratch folder */
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
	setenv("ACCORD_KDF_FAST", "1", 1);
	return 0;
}

static const char *fixtures(void)
{
	const char *d = getenv("ACCORD_FIXTURES");

	return d && *d ? d : "tests/fixtures";
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

	assert_int_equal(accord_key_generate(&key, f->home, "alice@example", pass, 0), 0);
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

	accord_buf_puts(&text, "untrusted comment: accord secret key alice@example\n");
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

	assert_string_equal(key->pub.name, "alice@example");
	assert_int_equal(accord_key_is_encrypted(f->home), 0);
	assert_int_equal(accord_key_load(&loaded, f->home, NULL), 0);
	assert_same_key(key, loaded);
	/* a passphrase given for a plain key is ignored */
	accord_key_free(loaded);
	loaded = NULL;
	assert_int_equal(accord_key_load(&loaded, f->home, "unused"), 0);
	assert_same_key(key, loaded);

	accord_key_sign(sig, loaded, "msg", 3);
	assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)"msg", 3,
						     key->pub.pk), 0);
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

	/* the fast KDF parameters were stored, and the seed is not in the clear */
	read_body(body, f->keypath);
	assert_memory_equal(body, "ACS1\x01", 5);
	assert_int_equal(body[5 + 7], crypto_pwhash_OPSLIMIT_MIN);
	assert_memory_not_equal(body + 61, loaded->sk, 32);
	read_text(&text, f->keypath);
	assert_memory_equal(text.ptr, "untrusted comment: accord secret key alice@example\n", 51);
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
	assert_non_null(strstr(accord_error_last(), "is readable by others; chmod 600 it"));
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
		"untrusted comment: accord secret key alice@example\n",
		"untrusted comment: accord public key alice@example\nAAAA\n",
		"untrusted comment: accord secret key \nAAAA\n",
		"untrusted comment: accord secret key alice@example\n!!!!\n",
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
	accord_buf_puts(&text, "untrusted comment: accord secret key alice@example\n");
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
	put_u64be(bad + 5, 2);
	write_body(f->keypath, bad, BODY_LEN);
	assert_int_equal(load_rc(f, PASS), ACCORD_EPASS);
}

static void test_key_default_kdf_params(void **state)
{
	struct fx *f = *state;
	accord_key *key = NULL, *loaded = NULL;
	unsigned char body[BODY_LEN], expect[16];

	/* without ACCORD_KDF_FAST the interactive limits are stored and honoured */
	unsetenv("ACCORD_KDF_FAST");
	assert_int_equal(accord_key_generate(&key, f->home, "alice@example", PASS, 0), 0);
	setenv("ACCORD_KDF_FAST", "1", 1);
	read_body(body, f->keypath);
	put_u64be(expect, crypto_pwhash_OPSLIMIT_INTERACTIVE);
	put_u64be(expect + 8, crypto_pwhash_MEMLIMIT_INTERACTIVE);
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
	static const char *names[] = { "", "a\nb", " lead", "trail ", "tab\there",
				       "0123456789012345678901234567890123456789012345678901234567890123" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(accord_key_generate(&key, f->home, names[i], NULL, 0),
				 ACCORD_EINVALID);
	assert_int_equal(accord_key_generate(&key, f->home, NULL, NULL, 0), ACCORD_EINVALID);
	assert_null(key);
	assert_int_equal(stat(f->home, &st), -1);
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
	assert_string_equal(pub.name, "alice@example");
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
	assert_string_equal(pub.name, "alice@example");

	/* no comment: empty name, and no trailing space when printed */
	accord_buf_clear(&line);
	memset(pub.name, 0, sizeof(pub.name));
	accord_pubkey_to_openssh(&line, &pub);
	assert_int_equal(line.size, 12 + 68);
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), 0);
	assert_string_equal(pub.name, "");

	/* long comments are cut to 63 bytes; control characters are replaced */
	accord_buf_puts(&line, " Jane\x01" "Doe 0123456789012345678901234567890123456789012345678901234567890123456789\n");
	assert_int_equal(accord_pubkey_from_openssh(&pub, line.ptr), 0);
	assert_int_equal(strlen(pub.name), 63);
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
	char *saved[3], *home = NULL;
	static const char *vars[] = { "ACCORD_HOME", "XDG_CONFIG_HOME", "HOME" };
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);

		saved[i] = v ? strdup(v) : NULL;
	}
	setenv("ACCORD_HOME", "/acc", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);

	assert_int_equal(accord_key_home(&home, "/explicit"), 0);
	assert_string_equal(home, "/explicit");
	free(home);
	assert_int_equal(accord_key_home(&home, NULL), 0);
	assert_string_equal(home, "/acc");
	free(home);
	unsetenv("ACCORD_HOME");
	assert_int_equal(accord_key_home(&home, NULL), 0);
	assert_string_equal(home, "/xdg/accord");
	free(home);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_int_equal(accord_key_home(&home, NULL), 0);
	assert_string_equal(home, "/home/u/.config/accord");
	free(home);
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(accord_key_home(&home, NULL), 0);
	assert_string_equal(home, "/home/u/.config/accord");
	free(home);
	home = NULL;
	unsetenv("HOME");
	assert_int_equal(accord_key_home(&home, NULL), ACCORD_ERROR);
	assert_null(home);
	assert_non_null(strstr(accord_error_last(), "HOME"));

	for (i = 0; i < 3; i++) {
		if (saved[i])
			setenv(vars[i], saved[i], 1);
		else
			unsetenv(vars[i]);
		free(saved[i]);
	}
}

static void test_key_load_public(void **state)
{
	struct fx *f = *state;
	accord_key *key = gen(f, PASS);
	accord_pubkey pub;

	assert_int_equal(accord_key_load_public(&pub, f->home), 0);
	assert_memory_equal(pub.pk, key->pub.pk, sizeof(pub.pk));
	assert_string_equal(pub.id, key->pub.id);
	assert_string_equal(pub.name, "alice@example");
	write_file(f->pubpath, "ssh-rsa AAAA x\n", 15, 0644);
	assert_int_equal(accord_key_load_public(&pub, f->home), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), f->pubpath));
	accord_key_free(key);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_key_roundtrip_plain),
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
		T(test_key_openssh_roundtrip),
		T(test_key_openssh_matches_ssh_keygen),
		T(test_key_openssh_rejects),
		T(test_key_home_resolution),
		T(test_key_load_public),
	};

	return cmocka_run_group_tests_name("key", tests, group_setup, NULL);
}
