/*
 * Tests for lib/crypto/sshsig.c: interoperability with the real OpenSSH
 * ssh-keygen in both directions, a fixed vector made by ssh-keygen
 * (tests/fixtures/sshsig/), and hostile signatures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

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

#define BEGIN "-----BEGIN SSH SIGNATURE-----\n"
#define END "-----END SSH SIGNATURE-----"

/* Offsets in an Ed25519 SSHSIG blob with namespace "git" (173 bytes). */
#define OFF_VERSION 6
#define OFF_PUBLEN 10
#define OFF_PUBTYPE 18
#define OFF_NSLEN 65
#define OFF_RESLEN 72
#define OFF_ALG 80
#define OFF_SIGBLOBLEN 86
#define OFF_SIGTYPE 94
#define OFF_SIGLEN 105
#define BLOB_LEN 173

static const char fixture_msg[] = "hello fixture\n";

struct fx {
	char dir[64];
	accord_key *key; /* a fresh accord key, no passphrase */
	accord_buf fixture_sig, fixture_sig256, fixture_pub;
	unsigned char blob[BLOB_LEN]; /* the decoded fixture signature */
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static const char *fixtures(void)
{
	const char *d = getenv("ACCORD_FIXTURES");

	return d && *d ? d : ACCORD_SRCDIR "/tests/fixtures";
}

static int read_fixture(accord_buf *out, const char *name)
{
	accord_buf path = ACCORD_BUF_INIT;
	int rc;

	accord_buf_printf(&path, "%s/sshsig/%s", fixtures(), name);
	rc = accord_buf_read_file(out, path.ptr, 1 << 16);
	if (rc < 0)
		fprintf(stderr, "test_sshsig: can't read fixture %s: %s\n", path.ptr,
			accord_error_last());
	accord_buf_dispose(&path);
	return rc;
}

/* Decode the base64 lines between the armor lines, as a test oracle. */
static int test_dearmor(accord_buf *out, const char *armor)
{
	accord_buf b64 = ACCORD_BUF_INIT;
	const char *p = armor + strlen(BEGIN), *end = strstr(armor, END);
	int rc;

	if (strncmp(armor, BEGIN, strlen(BEGIN)) != 0 || !end)
		return -1;
	for (; p < end; p++)
		if (*p != '\n')
			accord_buf_putc(&b64, *p);
	rc = accord_base64_decode(out, b64.ptr, b64.size);
	accord_buf_dispose(&b64);
	return rc;
}

/* Armor `blob` with lines of `width`, as ssh-keygen does (with its final newline). */
static void rearmor(accord_buf *out, const void *blob, size_t len, size_t width)
{
	accord_buf b64 = ACCORD_BUF_INIT;
	size_t off;

	accord_base64_encode(&b64, blob, len);
	accord_buf_clear(out);
	accord_buf_puts(out, BEGIN);
	for (off = 0; off < b64.size; off += width) {
		accord_buf_put(out, b64.ptr + off, b64.size - off < width ? b64.size - off : width);
		accord_buf_putc(out, '\n');
	}
	accord_buf_puts(out, END "\n");
	accord_buf_dispose(&b64);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	accord_buf home = ACCORD_BUF_INIT, blob = ACCORD_BUF_INIT;
	int rc = -1;

	if (!f)
		return -1;
	*state = f;
	strcpy(f->dir, "/tmp/accord-test-sshsig-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	accord_buf_printf(&home, "%s/home", f->dir);
	if (accord_key_generate(&f->key, home.ptr, "accord-test", NULL, 0) < 0)
		goto done;
	if (read_fixture(&f->fixture_sig, "ssh-keygen.msg.sig") < 0 ||
	    read_fixture(&f->fixture_sig256, "ssh-keygen-sha256.msg.sig") < 0 ||
	    read_fixture(&f->fixture_pub, "ssh-keygen.pub") < 0)
		goto done;
	if (test_dearmor(&blob, f->fixture_sig.ptr) < 0 || blob.size != BLOB_LEN)
		goto done;
	memcpy(f->blob, blob.ptr, BLOB_LEN);
	accord_error_clear();
	rc = 0;

done:
	accord_buf_dispose(&home);
	accord_buf_dispose(&blob);
	return rc;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	if (f->dir[0] == '/')
		nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	accord_key_free(f->key);
	accord_buf_dispose(&f->fixture_sig);
	accord_buf_dispose(&f->fixture_sig256);
	accord_buf_dispose(&f->fixture_pub);
	free(f);
	return 0;
}

static int group_setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	if (system("command -v ssh-keygen >/dev/null 2>&1") != 0) {
		fprintf(stderr, "test_sshsig: ssh-keygen (openssh-client) is required\n");
		return -1;
	}
	return 0;
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	accord_buf path = ACCORD_BUF_INIT;
	int fd;

	accord_buf_printf(&path, "%s/%s", dir, name);
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	accord_buf_dispose(&path);
}

static void read_file(accord_buf *out, const char *dir, const char *name)
{
	accord_buf path = ACCORD_BUF_INIT;

	accord_buf_printf(&path, "%s/%s", dir, name);
	assert_int_equal(accord_buf_read_file(out, path.ptr, 1 << 16), 0);
	accord_buf_dispose(&path);
}

/* Run a shell command in `dir`; its exit status. */
static int run(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(const char *dir, const char *fmt, ...)
{
	accord_buf cmd = ACCORD_BUF_INIT, inner = ACCORD_BUF_INIT;
	va_list ap;
	int n, st;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	accord_buf_grow(&inner, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(inner.ptr, (size_t)n + 1, fmt, ap);
	va_end(ap);
	accord_buf_printf(&cmd, "cd '%s' && %s", dir, inner.ptr);
	st = system(cmd.ptr);
	accord_buf_dispose(&cmd);
	accord_buf_dispose(&inner);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int verify_blob(const void *blob, size_t len, const char *ns, const char *msg)
{
	accord_buf armor = ACCORD_BUF_INIT;
	int rc;

	rearmor(&armor, blob, len, 70);
	rc = accord_sshsig_verify(NULL, armor.ptr, armor.size, ns, msg, strlen(msg));
	accord_buf_dispose(&armor);
	return rc;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void test_sshsig_roundtrip(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT;
	accord_pubkey signer;
	const char msg[] = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nhello\n";

	accord_sshsig_sign(&armor, f->key, "git", msg, strlen(msg));
	memset(&signer, 0, sizeof(signer));
	assert_int_equal(
		accord_sshsig_verify(&signer, armor.ptr, armor.size, "git", msg, strlen(msg)), 0);
	assert_memory_equal(signer.pk, f->key->pub.pk, sizeof(signer.pk));
	assert_string_equal(signer.id, f->key->pub.id);
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 0);
	/* the armor is not tied to a terminating NUL */
	accord_buf_putc(&armor, 'X');
	assert_int_equal(
		accord_sshsig_verify(NULL, armor.ptr, armor.size - 1, "git", msg, strlen(msg)), 0);
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 ACCORD_EINVALID);

	/* an empty message signs too */
	accord_buf_clear(&armor);
	accord_sshsig_sign(&armor, f->key, "file", "", 0);
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "file", NULL, 0), 0);
	accord_buf_dispose(&armor);
}

static void test_sshsig_armor_shape(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT, blob = ACCORD_BUF_INIT, ours = ACCORD_BUF_INIT;
	const char *p, *nl;
	size_t lines = 0, lens[8];

	accord_sshsig_sign(&armor, f->key, "git", fixture_msg, strlen(fixture_msg));
	assert_int_equal(strncmp(armor.ptr, BEGIN, strlen(BEGIN)), 0);
	assert_true(armor.size > strlen(END));
	assert_string_equal(armor.ptr + armor.size - strlen(END), END);
	assert_int_equal(armor.ptr[armor.size - strlen(END) - 1], '\n');

	for (p = armor.ptr + strlen(BEGIN); (nl = strchr(p, '\n')); p = nl + 1) {
		assert_true(lines < 8);
		lens[lines++] = (size_t)(nl - p);
	}
	assert_string_equal(p, END);
	/* the same shape as ssh-keygen's: 70, 70, 70, 22 for namespace "git" */
	assert_int_equal(lines, 4);
	assert_int_equal(lens[0], 70);
	assert_int_equal(lens[1], 70);
	assert_int_equal(lens[2], 70);
	assert_int_equal(lens[3], 22);

	/* field by field, ours equals ssh-keygen's except for key and signature */
	assert_int_equal(test_dearmor(&blob, armor.ptr), 0);
	assert_int_equal(blob.size, BLOB_LEN);
	assert_memory_equal(blob.ptr, f->blob, 33);
	assert_memory_equal(blob.ptr + 65, f->blob + 65, 109 - 65);
	assert_memory_equal(blob.ptr + 33, f->key->pub.pk, 32);

	/* and the text equals our own re-armoring of the blob, less the final newline */
	rearmor(&ours, blob.ptr, blob.size, 70);
	assert_int_equal(ours.size, armor.size + 1);
	assert_memory_equal(ours.ptr, armor.ptr, armor.size);
	accord_buf_dispose(&armor);
	accord_buf_dispose(&blob);
	accord_buf_dispose(&ours);
}

static void test_sshsig_verified_by_ssh_keygen(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT, allowed = ACCORD_BUF_INIT;
	const char msg[] = "signed by accord, checked by OpenSSH\n";

	accord_sshsig_sign(&armor, f->key, "git", msg, strlen(msg));
	write_file(f->dir, "msg", msg, strlen(msg));
	write_file(f->dir, "bad", "Signed by accord, checked by OpenSSH\n", strlen(msg));
	write_file(f->dir, "sig", armor.ptr, armor.size);
	accord_buf_puts(&allowed, "accord-id namespaces=\"git\" ");
	accord_pubkey_to_openssh(&allowed, &f->key->pub);
	accord_buf_putc(&allowed, '\n');
	write_file(f->dir, "allowed", allowed.ptr, allowed.size);

	assert_int_equal(run(f->dir, "ssh-keygen -Y verify -f allowed -I accord-id -n git "
				     "-s sig < msg >/dev/null 2>&1"),
			 0);
	/* and OpenSSH does say no when it should */
	assert_int_not_equal(run(f->dir, "ssh-keygen -Y verify -f allowed -I accord-id -n git "
					 "-s sig < bad >/dev/null 2>&1"),
			     0);
	assert_int_not_equal(run(f->dir, "ssh-keygen -Y verify -f allowed -I accord-id -n file "
					 "-s sig < msg >/dev/null 2>&1"),
			     0);
	accord_buf_dispose(&armor);
	accord_buf_dispose(&allowed);
}

static void test_sshsig_verifies_ssh_keygen(void **state)
{
	struct fx *f = *state;
	accord_buf sig = ACCORD_BUF_INIT, publine = ACCORD_BUF_INIT;
	accord_pubkey pub, signer;
	const char msg[] = "signed by OpenSSH, checked by accord\n";
	const char *algs[] = { "sha512", "sha256" };
	size_t i;

	write_file(f->dir, "msg", msg, strlen(msg));
	assert_int_equal(run(f->dir, "ssh-keygen -q -t ed25519 -N '' -C openssh-key -f k "
				     ">/dev/null 2>&1"),
			 0);
	read_file(&publine, f->dir, "k.pub");
	assert_int_equal(accord_pubkey_from_openssh(&pub, publine.ptr), 0);
	assert_string_equal(pub.name, "openssh-key");

	for (i = 0; i < 2; i++) {
		assert_int_equal(run(f->dir,
				     "rm -f msg.sig && ssh-keygen -Y sign -n git "
				     "-O hashalg=%s -f k msg >/dev/null 2>&1 </dev/null",
				     algs[i]),
				 0);
		read_file(&sig, f->dir, "msg.sig");
		memset(&signer, 0, sizeof(signer));
		assert_int_equal(
			accord_sshsig_verify(&signer, sig.ptr, sig.size, "git", msg, strlen(msg)),
			0);
		assert_memory_equal(signer.pk, pub.pk, sizeof(pub.pk));
		assert_string_equal(signer.id, pub.id);
		assert_int_equal(
			accord_sshsig_verify(&signer, sig.ptr, sig.size, "file", msg, strlen(msg)),
			ACCORD_EBADSIG);
		assert_int_equal(accord_sshsig_verify(&signer, sig.ptr, sig.size, "git", msg,
						      strlen(msg) - 1),
				 ACCORD_EBADSIG);
	}
	accord_buf_dispose(&sig);
	accord_buf_dispose(&publine);
}

static void test_sshsig_fixture_vector(void **state)
{
	struct fx *f = *state;
	accord_pubkey pub, signer;

	assert_int_equal(accord_pubkey_from_openssh(&pub, f->fixture_pub.ptr), 0);
	memset(&signer, 0, sizeof(signer));
	assert_int_equal(accord_sshsig_verify(&signer, f->fixture_sig.ptr, f->fixture_sig.size,
					      "git", fixture_msg, strlen(fixture_msg)),
			 0);
	assert_memory_equal(signer.pk, pub.pk, sizeof(pub.pk));
	memset(&signer, 0, sizeof(signer));
	assert_int_equal(accord_sshsig_verify(&signer, f->fixture_sig256.ptr,
					      f->fixture_sig256.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 0);
	assert_memory_equal(signer.pk, pub.pk, sizeof(pub.pk));
	/* without its trailing newline too */
	assert_int_equal(accord_sshsig_verify(NULL, f->fixture_sig.ptr, f->fixture_sig.size - 1,
					      "git", fixture_msg, strlen(fixture_msg)),
			 0);
}

static void test_sshsig_flipped_message(void **state)
{
	struct fx *f = *state;
	char msg[sizeof(fixture_msg)];
	size_t i;

	for (i = 0; i + 1 < sizeof(msg); i++) {
		memcpy(msg, fixture_msg, sizeof(msg));
		msg[i] ^= 0x01;
		assert_int_equal(accord_sshsig_verify(NULL, f->fixture_sig.ptr, f->fixture_sig.size,
						      "git", msg, strlen(msg)),
				 ACCORD_EBADSIG);
	}
	assert_int_equal(accord_sshsig_verify(NULL, f->fixture_sig256.ptr, f->fixture_sig256.size,
					      "git", "hello fixture!", 14),
			 ACCORD_EBADSIG);
}

static void test_sshsig_flipped_signature(void **state)
{
	struct fx *f = *state;
	unsigned char blob[BLOB_LEN];
	accord_pubkey signer;
	size_t i;

	assert_int_equal(verify_blob(f->blob, BLOB_LEN, "git", fixture_msg), 0);
	for (i = BLOB_LEN - 64; i < BLOB_LEN; i++) {
		memcpy(blob, f->blob, BLOB_LEN);
		blob[i] ^= 0x01;
		assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EBADSIG);
	}
	/* a different public key: the signature no longer verifies */
	memcpy(blob, f->blob, BLOB_LEN);
	blob[40] ^= 0x01;
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EBADSIG);

	/* a flipped armor character is a flipped blob bit */
	{
		accord_buf armor = ACCORD_BUF_INIT;
		char *c;

		accord_buf_put(&armor, f->fixture_sig.ptr, f->fixture_sig.size);
		c = armor.ptr + strlen(BEGIN) + 3 * 71 + 10;
		*c = *c == 'A' ? 'B' : 'A';
		assert_int_equal(accord_sshsig_verify(&signer, armor.ptr, armor.size, "git",
						      fixture_msg, strlen(fixture_msg)),
				 ACCORD_EBADSIG);
		accord_buf_dispose(&armor);
	}
}

static void test_sshsig_wrong_namespace(void **state)
{
	struct fx *f = *state;
	accord_pubkey pub, signer;

	memset(&signer, 0, sizeof(signer));
	assert_int_equal(accord_sshsig_verify(&signer, f->fixture_sig.ptr, f->fixture_sig.size,
					      "file", fixture_msg, strlen(fixture_msg)),
			 ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "namespace"));
	/* the claimed signer is still reported */
	assert_int_equal(accord_pubkey_from_openssh(&pub, f->fixture_pub.ptr), 0);
	assert_memory_equal(signer.pk, pub.pk, sizeof(pub.pk));
	assert_int_equal(accord_sshsig_verify(NULL, f->fixture_sig.ptr, f->fixture_sig.size, "gi",
					      fixture_msg, strlen(fixture_msg)),
			 ACCORD_EBADSIG);
	assert_int_equal(accord_sshsig_verify(NULL, f->fixture_sig.ptr, f->fixture_sig.size, "",
					      fixture_msg, strlen(fixture_msg)),
			 ACCORD_EBADSIG);
}

static void test_sshsig_truncated_armor(void **state)
{
	struct fx *f = *state;
	const accord_buf *sig = &f->fixture_sig;
	size_t n;

	/* every prefix fails, except the one that only drops the final newline */
	for (n = 0; n + 1 < sig->size; n++)
		assert_int_equal(accord_sshsig_verify(NULL, sig->ptr, n, "git", fixture_msg,
						      strlen(fixture_msg)),
				 ACCORD_EINVALID);
	assert_int_equal(accord_sshsig_verify(NULL, sig->ptr, sig->size - 1, "git", fixture_msg,
					      strlen(fixture_msg)),
			 0);
}

static void test_sshsig_truncated_blob(void **state)
{
	struct fx *f = *state;
	size_t n;

	for (n = 1; n < BLOB_LEN; n++)
		assert_int_equal(verify_blob(f->blob, n, "git", fixture_msg), ACCORD_EINVALID);
}

static void test_sshsig_bad_base64(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT;
	const size_t body = strlen(BEGIN);
	static const char bad[] = { '*', '-', ' ', '\t', '\r', '\0', '.', '\x80' };
	size_t i;

	for (i = 0; i < sizeof(bad); i++) {
		accord_buf_clear(&armor);
		accord_buf_put(&armor, f->fixture_sig.ptr, f->fixture_sig.size);
		armor.ptr[body + 5] = bad[i];
		assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git",
						      fixture_msg, strlen(fixture_msg)),
				 ACCORD_EINVALID);
	}
	/* padding in the middle */
	accord_buf_clear(&armor);
	accord_buf_put(&armor, f->fixture_sig.ptr, f->fixture_sig.size);
	armor.ptr[body + 4] = '=';
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 ACCORD_EINVALID);
	/* a missing character: the length is no longer a multiple of 4 */
	accord_buf_clear(&armor);
	accord_buf_put(&armor, f->fixture_sig.ptr, body);
	accord_buf_put(&armor, f->fixture_sig.ptr + body + 1, f->fixture_sig.size - body - 1);
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 ACCORD_EINVALID);
	/* an empty body */
	accord_buf_clear(&armor);
	accord_buf_puts(&armor, BEGIN END "\n");
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 ACCORD_EINVALID);
	accord_buf_dispose(&armor);
}

static void test_sshsig_oversize_length(void **state)
{
	struct fx *f = *state;
	static const size_t fields[] = { OFF_PUBLEN,  OFF_NSLEN,       OFF_RESLEN,
					 OFF_ALG - 4, OFF_SIGBLOBLEN,  OFF_SIGTYPE - 4,
					 OFF_SIGLEN,  OFF_PUBTYPE - 4, OFF_PUBTYPE + 11 };
	static const uint32_t lens[] = { 0xffffffffu, 0x80000000u, 0x10000u, 1000 };
	unsigned char blob[BLOB_LEN];
	size_t i, j;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			memcpy(blob, f->blob, BLOB_LEN);
			put_u32(blob + fields[i], lens[j]);
			assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg),
					 ACCORD_EINVALID);
		}
	/* one byte too long, one byte too short */
	memcpy(blob, f->blob, BLOB_LEN);
	put_u32(blob + OFF_SIGLEN, 65);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
	put_u32(blob + OFF_SIGLEN, 63);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
}

static void test_sshsig_trailing_garbage(void **state)
{
	struct fx *f = *state;
	unsigned char blob[BLOB_LEN + 4];
	accord_buf armor = ACCORD_BUF_INIT;

	/* after the blob */
	memcpy(blob, f->blob, BLOB_LEN);
	memset(blob + BLOB_LEN, 0, 4);
	assert_int_equal(verify_blob(blob, BLOB_LEN + 1, "git", fixture_msg), ACCORD_EINVALID);
	assert_int_equal(verify_blob(blob, BLOB_LEN + 4, "git", fixture_msg), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "trailing"));

	/* inside the signature blob, with its length grown to cover it */
	put_u32(blob + OFF_SIGBLOBLEN, 83 + 1);
	assert_int_equal(verify_blob(blob, BLOB_LEN + 1, "git", fixture_msg), ACCORD_EINVALID);

	/* after the END line */
	accord_buf_put(&armor, f->fixture_sig.ptr, f->fixture_sig.size);
	accord_buf_puts(&armor, "x");
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 ACCORD_EINVALID);
	accord_buf_clear(&armor);
	accord_buf_put(&armor, f->fixture_sig.ptr, f->fixture_sig.size);
	accord_buf_puts(&armor, "\n");
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 ACCORD_EINVALID);
	/* leading garbage */
	accord_buf_clear(&armor);
	accord_buf_puts(&armor, "\n");
	accord_buf_put(&armor, f->fixture_sig.ptr, f->fixture_sig.size);
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 ACCORD_EINVALID);
	accord_buf_dispose(&armor);
}

static void test_sshsig_wrong_version(void **state)
{
	struct fx *f = *state;
	unsigned char blob[BLOB_LEN];

	memcpy(blob, f->blob, BLOB_LEN);
	put_u32(blob + OFF_VERSION, 2);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "version"));
	put_u32(blob + OFF_VERSION, 0);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
	memcpy(blob, f->blob, BLOB_LEN);
	blob[0] = 'X'; /* magic */
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
}

static void test_sshsig_wrong_key_type(void **state)
{
	struct fx *f = *state;
	unsigned char blob[BLOB_LEN];
	accord_buf b = ACCORD_BUF_INIT, pk = ACCORD_BUF_INIT;

	memcpy(blob, f->blob, BLOB_LEN);
	memcpy(blob + OFF_PUBTYPE, "ssh-ed25518", 11);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "key type"));

	/* a whole ssh-rsa key in place of the Ed25519 one */
	accord_buf_put_sshstr(&pk, "ssh-rsa", 7);
	accord_buf_put_sshstr(&pk, "\x01\x00\x01", 3);
	accord_buf_put_sshstr(&pk, f->blob + 33, 32);
	accord_buf_put(&b, f->blob, OFF_PUBLEN);
	accord_buf_put_sshstr(&b, pk.ptr, pk.size);
	accord_buf_put(&b, f->blob + OFF_NSLEN, BLOB_LEN - OFF_NSLEN);
	assert_int_equal(verify_blob(b.ptr, b.size, "git", fixture_msg), ACCORD_EINVALID);
	accord_buf_dispose(&b);
	accord_buf_dispose(&pk);
}

static void test_sshsig_signature_type_mismatch(void **state)
{
	struct fx *f = *state;
	unsigned char blob[BLOB_LEN];

	memcpy(blob, f->blob, BLOB_LEN);
	memcpy(blob + OFF_SIGTYPE, "ssh-ed448\0\0", 11);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
	memcpy(blob + OFF_SIGTYPE, "SSH-ED25519", 11);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "signature type"));
}

static void test_sshsig_unsupported_hash(void **state)
{
	struct fx *f = *state;
	unsigned char blob[BLOB_LEN];

	memcpy(blob, f->blob, BLOB_LEN);
	memcpy(blob + OFF_ALG, "sha384", 6);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "hash algorithm"));
	/* claiming sha256 for a sha512 signature is a bad signature, not a crash */
	memcpy(blob + OFF_ALG, "sha256", 6);
	assert_int_equal(verify_blob(blob, BLOB_LEN, "git", fixture_msg), ACCORD_EBADSIG);
}

/* `armor` as accord writes it: rearmor()'s text less its final newline. */
static int canonical_of(const void *blob, size_t len)
{
	accord_buf text = ACCORD_BUF_INIT;
	int yes;

	rearmor(&text, blob, len, 70);
	yes = accord_sshsig_is_canonical(text.ptr, text.size - 1);
	accord_buf_dispose(&text);
	return yes;
}

/*
 * One encoding per commit (explore60c 03): the key holder can sign the same
 * bytes again with ssh-keygen -O hashalg=sha256, or with bytes in the
 * reserved field, and both verify; neither is the armor accord writes.
 */
static void test_sshsig_canonical_fields(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT, blob = ACCORD_BUF_INIT, b = ACCORD_BUF_INIT;

	accord_sshsig_sign(&armor, f->key, "git", fixture_msg, strlen(fixture_msg));
	assert_true(accord_sshsig_is_canonical(armor.ptr, armor.size));
	/* ssh-keygen's sha512 signature, less its final newline, is in the same encoding */
	assert_true(accord_sshsig_is_canonical(f->fixture_sig.ptr, f->fixture_sig.size - 1));
	assert_true(canonical_of(f->blob, BLOB_LEN));
	/* its sha256 signature of the same message verifies, and is not */
	assert_int_equal(accord_sshsig_verify(NULL, f->fixture_sig256.ptr, f->fixture_sig256.size,
					      "git", fixture_msg, strlen(fixture_msg)),
			 0);
	assert_int_equal(test_dearmor(&blob, f->fixture_sig256.ptr), 0);
	assert_false(canonical_of(blob.ptr, blob.size));
	assert_false(accord_sshsig_is_canonical(f->fixture_sig256.ptr, f->fixture_sig256.size - 1));
	/* a reserved field that is not empty */
	accord_buf_put(&b, f->blob, OFF_RESLEN);
	accord_buf_put_sshstr(&b, "x", 1);
	accord_buf_put(&b, f->blob + OFF_ALG - 4, BLOB_LEN - (OFF_ALG - 4));
	assert_false(canonical_of(b.ptr, b.size));
	/* and a blob that does not parse */
	assert_false(canonical_of(f->blob, BLOB_LEN - 1));
	accord_buf_dispose(&armor);
	accord_buf_dispose(&blob);
	accord_buf_dispose(&b);
}

static void test_sshsig_every_corrupted_byte(void **state)
{
	struct fx *f = *state;
	unsigned char blob[BLOB_LEN];
	static const unsigned char masks[] = { 0x01, 0x80, 0xff };
	size_t i, m;

	for (i = 0; i < BLOB_LEN; i++)
		for (m = 0; m < sizeof(masks); m++) {
			int rc;

			memcpy(blob, f->blob, BLOB_LEN);
			blob[i] ^= masks[m];
			rc = verify_blob(blob, BLOB_LEN, "git", fixture_msg);
			if (rc != ACCORD_EINVALID && rc != ACCORD_EBADSIG)
				fail_msg("byte %zu ^ 0x%02x gave %d", i, masks[m], rc);
		}
}

static void test_sshsig_line_lengths(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT;
	static const size_t ok[] = { 1, 4, 64, 70, 76 };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		rearmor(&armor, f->blob, BLOB_LEN, ok[i]);
		assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git",
						      fixture_msg, strlen(fixture_msg)),
				 0);
	}
	rearmor(&armor, f->blob, BLOB_LEN, 77);
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 ACCORD_EINVALID);
	rearmor(&armor, f->blob, BLOB_LEN, 1000);
	assert_int_equal(accord_sshsig_verify(NULL, armor.ptr, armor.size, "git", fixture_msg,
					      strlen(fixture_msg)),
			 ACCORD_EINVALID);
	accord_buf_dispose(&armor);
}

static void test_sshsig_garbage_inputs(void **state)
{
	static const char *inputs[] = {
		"",
		"hello",
		BEGIN,
		BEGIN END,
		BEGIN "U1NIU0lH\n" END "\n",
		BEGIN "AAAA\n" END,
		"-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n",
		"-----BEGIN SSH SIGNATURE-----\r\nU1NIU0lH\r\n-----END SSH SIGNATURE-----\r\n",
	};
	char *big;
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		assert_int_equal(
			accord_sshsig_verify(NULL, inputs[i], strlen(inputs[i]), "git", "m", 1),
			ACCORD_EINVALID);
	assert_int_equal(accord_sshsig_verify(NULL, NULL, 0, "git", "m", 1), ACCORD_EINVALID);

	big = malloc(100000);
	assert_non_null(big);
	memcpy(big, BEGIN, strlen(BEGIN));
	memset(big + strlen(BEGIN), 'A', 100000 - strlen(BEGIN));
	assert_int_equal(accord_sshsig_verify(NULL, big, 100000, "git", "m", 1), ACCORD_EINVALID);
	free(big);
}

/*
 * An sk-ssh-ed25519 SSHSIG built as a FIDO authenticator builds it, from
 * an Ed25519 key (no hardware here): the authenticator signs
 * SHA-256(application) | flags | counter | SHA-256(the SSHSIG data).
 * `app_signed` is the application the authenticator hashes, `app_blob`
 * the one the public key names: the same unless a test forges.
 */
#define SK_TYPE "sk-ssh-ed25519@openssh.com"
static void sk_build(accord_buf *armor, accord_buf *pubblob, const accord_key *key,
		     const char *app_blob, const char *app_signed, unsigned char flags,
		     uint32_t counter, const char *ns, const char *msg)
{
	accord_buf tbs = ACCORD_BUF_INIT, skm = ACCORD_BUF_INIT, sigblob = ACCORD_BUF_INIT,
		   blob = ACCORD_BUF_INIT;
	unsigned char h[64], ah[32], th[32], sig[64], ctr[4];

	accord_buf_clear(pubblob);
	accord_buf_put_sshstr(pubblob, SK_TYPE, strlen(SK_TYPE));
	accord_buf_put_sshstr(pubblob, key->pub.pk, 32);
	accord_buf_put_sshstr(pubblob, app_blob, strlen(app_blob));
	crypto_hash_sha512(h, (const unsigned char *)msg, strlen(msg));
	accord_buf_put(&tbs, "SSHSIG", 6);
	accord_buf_put_sshstr(&tbs, ns, strlen(ns));
	accord_buf_put_sshstr(&tbs, "", 0);
	accord_buf_put_sshstr(&tbs, "sha512", 6);
	accord_buf_put_sshstr(&tbs, h, sizeof(h));
	crypto_hash_sha256(ah, (const unsigned char *)app_signed, strlen(app_signed));
	crypto_hash_sha256(th, (const unsigned char *)tbs.ptr, tbs.size);
	put_u32(ctr, counter);
	accord_buf_put(&skm, ah, 32);
	accord_buf_put(&skm, &flags, 1);
	accord_buf_put(&skm, ctr, 4);
	accord_buf_put(&skm, th, 32);
	accord_key_sign(sig, key, skm.ptr, skm.size);
	accord_buf_put_sshstr(&sigblob, SK_TYPE, strlen(SK_TYPE));
	accord_buf_put_sshstr(&sigblob, sig, sizeof(sig));
	accord_buf_put(&sigblob, &flags, 1);
	accord_buf_put(&sigblob, ctr, 4);
	accord_buf_put(&blob, "SSHSIG", 6);
	accord_buf_put_u32(&blob, 1);
	accord_buf_put_sshstr(&blob, pubblob->ptr, pubblob->size);
	accord_buf_put_sshstr(&blob, ns, strlen(ns));
	accord_buf_put_sshstr(&blob, "", 0);
	accord_buf_put_sshstr(&blob, "sha512", 6);
	accord_buf_put_sshstr(&blob, sigblob.ptr, sigblob.size);
	rearmor(armor, blob.ptr, blob.size, 70);
	accord_buf_dispose(&tbs);
	accord_buf_dispose(&skm);
	accord_buf_dispose(&sigblob);
	accord_buf_dispose(&blob);
}

/* accord's verdict and ssh-keygen -Y verify's on the same sk signature (0 or not). */
static void sk_verdicts(int *ours, int *openssh, struct fx *f, const accord_buf *armor,
			const accord_buf *pubblob, const char *msg)
{
	accord_buf allowed = ACCORD_BUF_INIT;

	*ours = accord_sshsig_verify_sk(NULL, armor->ptr, armor->size, "git", msg, strlen(msg));
	write_file(f->dir, "skmsg", msg, strlen(msg));
	write_file(f->dir, "sksig", armor->ptr, armor->size);
	accord_buf_puts(&allowed, "sk-id namespaces=\"git\" " SK_TYPE " ");
	accord_base64_encode(&allowed, (const unsigned char *)pubblob->ptr, pubblob->size);
	accord_buf_putc(&allowed, '\n');
	write_file(f->dir, "skallowed", allowed.ptr, allowed.size);
	*openssh = run(f->dir, "ssh-keygen -Y verify -f skallowed -I sk-id -n git -s sksig < skmsg "
			       ">/dev/null 2>&1");
	accord_buf_dispose(&allowed);
}

static void test_sshsig_sk_agrees_with_ssh_keygen(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT, pub = ACCORD_BUF_INIT;
	accord_sk_signer who;
	const char msg[] = "tree 4b82\n\nsigned with a touch\n";
	int ours, openssh;

	/* a touched key: both accept, and accord reports who and how */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x01, 7, "git", msg);
	sk_verdicts(&ours, &openssh, f, &armor, &pub, msg);
	assert_int_equal(ours, 0);
	assert_int_equal(openssh, 0);
	assert_int_equal(
		accord_sshsig_verify_sk(&who, armor.ptr, armor.size, "git", msg, strlen(msg)), 0);
	assert_memory_equal(who.pk, f->key->pub.pk, 32);
	assert_string_equal(who.application, "ssh:");
	assert_int_equal(who.flags, 0x01);
	assert_int_equal(who.counter, 7);
	/* user verification on top of presence is fine too */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x05, 8, "git", msg);
	sk_verdicts(&ours, &openssh, f, &armor, &pub, msg);
	assert_int_equal(ours, 0);
	assert_int_equal(openssh, 0);
	/*
	 * not touched: accord refuses. ssh-keygen -Y verify 9.2 does not look
	 * at the flag (OpenSSH requires presence for logins only), so it is the
	 * one place accord is stricter: a signature nobody touched for can be
	 * made by anything on the machine the key is plugged into.
	 */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x00, 9, "git", msg);
	sk_verdicts(&ours, &openssh, f, &armor, &pub, msg);
	assert_int_equal(ours, ACCORD_EBADSIG);
	assert_int_equal(openssh, 0);
	/* the authenticator signed another application than the key names: both refuse */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:other", 0x01, 10, "git", msg);
	sk_verdicts(&ours, &openssh, f, &armor, &pub, msg);
	assert_int_equal(ours, ACCORD_EBADSIG);
	assert_int_not_equal(openssh, 0);
	/* another message: both refuse */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x01, 11, "git", msg);
	{
		const char other[] = "tree 4b82\n\nsigned with a touch!\n";

		sk_verdicts(&ours, &openssh, f, &armor, &pub, other);
		assert_int_equal(ours, ACCORD_EBADSIG);
		assert_int_not_equal(openssh, 0);
	}
	accord_buf_dispose(&armor);
	accord_buf_dispose(&pub);
}

/* Flags and counter are signed: changing either byte after signing breaks the signature. */
/*
 * The verifier every path uses (accord_sshsig_verify) checks sk signatures
 * as strictly as accord_sshsig_verify_sk: user presence, the application
 * the key names, the bytes; and it names the signer as an sk key, never
 * as the plain ssh-ed25519 key with the same 32 bytes.
 */
static void test_sshsig_sk_through_the_common_verifier(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT, pub = ACCORD_BUF_INIT;
	const char msg[] = "tree 4b82\n\n{\"v\":2}";
	accord_pubkey who;

	/* no touch: refused, the signer still named */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x00, 7, "git", msg);
	memset(&who, 0, sizeof(who));
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 ACCORD_EBADSIG);
	assert_string_equal(who.id, f->key->pub.id);
	assert_int_equal(who.type, ACCORD_KEY_SK_ED25519);
	/* other flags with the touch bit (user verified too): fine */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x05, 8, "git", msg);
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 0);
	/* the authenticator hashed another application than the key names */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:other", 0x01, 9, "git", msg);
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 ACCORD_EBADSIG);
	/* a valid signature over other bytes */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x01, 10, "git", "other bytes");
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 ACCORD_EBADSIG);
	/* another namespace */
	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x01, 11, "file", msg);
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 ACCORD_EBADSIG);
	/* an application no member can hold (not "ssh:...", or with a space): malformed here */
	sk_build(&armor, &pub, f->key, "web:x", "web:x", 0x01, 12, "git", msg);
	assert_int_equal(
		accord_sshsig_verify_sk(NULL, armor.ptr, armor.size, "git", msg, strlen(msg)), 0);
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 ACCORD_EINVALID);
	sk_build(&armor, &pub, f->key, "ssh:a b", "ssh:a b", 0x01, 13, "git", msg);
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 ACCORD_EINVALID);
	/* a named application is kept as the key names it */
	sk_build(&armor, &pub, f->key, "ssh:accord", "ssh:accord", 0x01, 14, "git", msg);
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 0);
	assert_string_equal(who.application, "ssh:accord");
	/* a plain signature is named as a plain key */
	accord_buf_clear(&armor);
	assert_int_equal(accord_sshsig_sign(&armor, f->key, "git", msg, strlen(msg)), 0);
	assert_int_equal(accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			 0);
	assert_int_equal(who.type, ACCORD_KEY_ED25519);
	assert_string_equal(who.application, "");
	accord_buf_dispose(&armor);
	accord_buf_dispose(&pub);
}

static void test_sshsig_sk_flags_and_counter_are_signed(void **state)
{
	struct fx *f = *state;
	accord_buf armor = ACCORD_BUF_INIT, pub = ACCORD_BUF_INIT, blob = ACCORD_BUF_INIT;
	const char msg[] = "counter\n";
	size_t i;

	sk_build(&armor, &pub, f->key, "ssh:", "ssh:", 0x01, 1000, "git", msg);
	assert_int_equal(
		accord_sshsig_verify_sk(NULL, armor.ptr, armor.size, "git", msg, strlen(msg)), 0);
	/* the blob ends with flags (1 byte) and counter (4): corrupt each of those 5 bytes */
	{
		accord_buf b64 = ACCORD_BUF_INIT;
		const char *p;

		for (p = armor.ptr + strlen(BEGIN); p < armor.ptr + armor.size - strlen(END "\n");
		     p++)
			if (*p != '\n')
				accord_buf_putc(&b64, *p);
		assert_int_equal(accord_base64_decode(&blob, b64.ptr, b64.size), 0);
		accord_buf_dispose(&b64);
	}
	for (i = 1; i <= 5; i++) {
		accord_buf bad = ACCORD_BUF_INIT, raw = ACCORD_BUF_INIT;

		accord_buf_put(&raw, blob.ptr, blob.size);
		raw.ptr[raw.size - i] ^= 0x02;
		rearmor(&bad, raw.ptr, raw.size, 70);
		assert_int_not_equal(
			accord_sshsig_verify_sk(NULL, bad.ptr, bad.size, "git", msg, strlen(msg)),
			0);
		accord_buf_dispose(&bad);
		accord_buf_dispose(&raw);
	}
	/*
	 * accord_sshsig_verify reads both key types and says which one signed
	 * (the rules hold it against the member's type); but a plain
	 * ssh-ed25519 signature is no sk signature.
	 */
	{
		accord_pubkey who;

		memset(&who, 0, sizeof(who));
		assert_int_equal(
			accord_sshsig_verify(&who, armor.ptr, armor.size, "git", msg, strlen(msg)),
			0);
		assert_int_equal(who.type, ACCORD_KEY_SK_ED25519);
		assert_string_equal(who.application, "ssh:");
		assert_memory_equal(who.pk, f->key->pub.pk, 32);
		assert_string_equal(who.id, f->key->pub.id);
	}
	accord_buf_clear(&armor);
	accord_sshsig_sign(&armor, f->key, "git", msg, strlen(msg));
	assert_int_equal(
		accord_sshsig_verify_sk(NULL, armor.ptr, armor.size, "git", msg, strlen(msg)),
		ACCORD_EINVALID);
	accord_buf_dispose(&armor);
	accord_buf_dispose(&pub);
	accord_buf_dispose(&blob);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sshsig_roundtrip),
		T(test_sshsig_armor_shape),
		T(test_sshsig_verified_by_ssh_keygen),
		T(test_sshsig_verifies_ssh_keygen),
		T(test_sshsig_fixture_vector),
		T(test_sshsig_flipped_message),
		T(test_sshsig_flipped_signature),
		T(test_sshsig_wrong_namespace),
		T(test_sshsig_truncated_armor),
		T(test_sshsig_truncated_blob),
		T(test_sshsig_bad_base64),
		T(test_sshsig_oversize_length),
		T(test_sshsig_trailing_garbage),
		T(test_sshsig_wrong_version),
		T(test_sshsig_wrong_key_type),
		T(test_sshsig_signature_type_mismatch),
		T(test_sshsig_unsupported_hash),
		T(test_sshsig_canonical_fields),
		T(test_sshsig_every_corrupted_byte),
		T(test_sshsig_line_lengths),
		T(test_sshsig_garbage_inputs),
		T(test_sshsig_sk_agrees_with_ssh_keygen),
		T(test_sshsig_sk_flags_and_counter_are_signed),
		T(test_sshsig_sk_through_the_common_verifier),
	};

	return cmocka_run_group_tests_name("sshsig", tests, group_setup, NULL);
}
