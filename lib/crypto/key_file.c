/*
 * The key home on disk: generating and saving a key, the secret key file
 * format, key.pub, loading, keys held by ssh-agent (a marker, no secret),
 * and rotation. See include/accord/key.h for the format.
 *
 * Secrets (seed, secret key, derived box key, the decoded key body and the
 * key file text, which holds the seed when there is no passphrase) only
 * ever live in sodium_malloc memory and are freed with sodium_free, which
 * wipes them.
 *
 * The key home: missing folders are created 0700 (mkdir -p style, every
 * component we create is 0700, as the XDG spec asks). An existing home that
 * is group or world accessible is tightened to 0700 rather than refused,
 * since the common cause is a folder made by hand under a default umask; a
 * home owned by another user is refused (ACCORD_EDENIED).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <sodium.h>

#include "accord/buf.h"
#include "encode.h"
#include "accord/error.h"
#include "file.h"
#include "accord/agent.h"
#include "accord/key.h"
#include "accord/name.h"
#include "key_impl.h"
#include "alloc.h"

#define KEY_MAGIC "ACS1"
#define KEY_MAGIC_LEN 4
#define KDF_NONE 0
#define KDF_ARGON2ID 1

#define OFF_KDF 4
#define OFF_OPS 5
#define OFF_MEM 13
#define OFF_SALT 21
#define OFF_NONCE 37
#define OFF_BOX 61
#define BOX_LEN (SEED_LEN + crypto_secretbox_MACBYTES)
#define BODY_LEN (OFF_BOX + BOX_LEN)
/* base64 of BODY_LEN bytes, without the NUL */
#define BODY_B64_LEN (((BODY_LEN + 2) / 3) * 4)

#define KEY_FILE_MAX 4096
#define COMMENT_PREFIX "untrusted comment: accord secret key "

/* Bounds for stored KDF parameters, so a hostile file can't demand hours or gigabytes. */
#define OPSLIMIT_MAX 64ULL
#define MEMLIMIT_MAX (1ULL << 30)

_Static_assert(BODY_LEN == 109 && SEED_LEN == 32 && crypto_pwhash_SALTBYTES == 16 &&
		       crypto_secretbox_NONCEBYTES == 24,
	       "the key file layout in key.h assumes these sizes");

static void put_u64be(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t get_u64be(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static int is_all_zero(const unsigned char *p, size_t n)
{
	return sodium_is_zero(p, n);
}

static char *dup_join(const char *a, const char *b)
{
	accord_buf buf = ACCORD_BUF_INIT;

	accord_buf_puts(&buf, a);
	accord_buf_puts(&buf, b);
	return accord_buf_detach(&buf);
}

int accord_key_home(char **out, const accord_key_home_options *opts)
{
	char *home;

	if (opts && opts->home && *opts->home)
		home = dup_join(opts->home, "");
	/* XDG says relative values are to be ignored */
	else if (opts && opts->xdg_config_home && opts->xdg_config_home[0] == '/')
		home = dup_join(opts->xdg_config_home, "/accord");
	else if (opts && opts->user_home && *opts->user_home)
		home = dup_join(opts->user_home, "/.config/accord");
	else
		return accord_error_set(
			ACCORD_ERROR, "can't find the key home: HOME is not set (set ACCORD_HOME)");
	*out = home;
	return 0;
}

/*
 * mkdir -p `home` (new components 0700), then open it and make sure it is a
 * folder of ours with no group/other access. Returns an O_DIRECTORY fd.
 */
static int open_home(int *out, const char *home)
{
	char *path = dup_join(home, "");
	size_t i, len = strlen(path);
	struct stat st;
	int fd;

	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		if (path[i - 1] == '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			int err = errno;

			accord_error_set(ACCORD_ERROR, "can't create the key home %s: %s", path,
					 strerror(err));
			free(path);
			return ACCORD_ERROR;
		}
		if (i < len)
			path[i] = '/';
	}
	free(path);

	fd = open(home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return accord_error_set(ACCORD_ERROR, "can't open the key home %s: %s", home,
					strerror(errno));
	if (fstat(fd, &st) < 0) {
		accord_error_set(ACCORD_ERROR, "can't stat the key home %s: %s", home,
				 strerror(errno));
		close(fd);
		return ACCORD_ERROR;
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return accord_error_set(ACCORD_EDENIED, "the key home %s belongs to another user",
					home);
	}
	if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0) {
		accord_error_set(ACCORD_ERROR, "can't chmod 700 the key home %s: %s", home,
				 strerror(errno));
		close(fd);
		return ACCORD_ERROR;
	}
	*out = fd;
	return 0;
}

static int key_exists(int dfd)
{
	struct stat st;

	return fstatat(dfd, "key", &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT;
}

static int exists_error(const char *home)
{
	return accord_error_set(ACCORD_EEXISTS,
				"a key already exists in %s (use --force to replace it)", home);
}

/*
 * Put the temporary secret key in place as "key". Without force an existing
 * "key" is refused atomically (accord_file_install_at), so two concurrent
 * generates can't both win. The temporary file is gone either way.
 */
static int install_key(int dfd, const char *home, const char *tmp, int force)
{
	int rc = accord_file_install_at(dfd, home, tmp, "key", force ? 0 : ACCORD_FILE_NO_REPLACE);

	return rc == ACCORD_EEXISTS ? exists_error(home) : rc;
}

/* Build the 109-byte key body for `seed`, sealing it when there is a passphrase. */
static int seal_body(unsigned char *body, const unsigned char *seed, const char *passphrase)
{
	unsigned char *boxkey;
	unsigned long long ops;
	size_t mem;

	memset(body, 0, BODY_LEN);
	memcpy(body, KEY_MAGIC, KEY_MAGIC_LEN);
	if (!passphrase || !*passphrase) {
		body[OFF_KDF] = KDF_NONE;
		memcpy(body + OFF_BOX, seed, SEED_LEN);
		return 0;
	}
	/* never less than libsodium's interactive limits: there is no switch to weaken them */
	ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
	mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	body[OFF_KDF] = KDF_ARGON2ID;
	put_u64be(body + OFF_OPS, ops);
	put_u64be(body + OFF_MEM, mem);
	randombytes_buf(body + OFF_SALT, crypto_pwhash_SALTBYTES);
	randombytes_buf(body + OFF_NONCE, crypto_secretbox_NONCEBYTES);
	if (!(boxkey = sodium_malloc(crypto_secretbox_KEYBYTES)))
		return accord_error_set(ACCORD_ENOMEM, "out of secure memory");
	if (crypto_pwhash(boxkey, crypto_secretbox_KEYBYTES, passphrase, strlen(passphrase),
			  body + OFF_SALT, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_free(boxkey);
		return accord_error_set(ACCORD_ENOMEM,
					"can't derive a key from the passphrase (out of memory)");
	}
	crypto_secretbox_easy(body + OFF_BOX, seed, SEED_LEN, body + OFF_NONCE, boxkey);
	sodium_free(boxkey);
	return 0;
}

int accord_key_save(const accord_key *key, const char *home, const char *passphrase, int force)
{
	accord_buf publine = ACCORD_BUF_INIT;
	unsigned char *seed = NULL, *body = NULL, *sk = NULL;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	char *text = NULL;
	char keytmp[ACCORD_FILE_TMPNAME_MAX] = "", pubtmp[ACCORD_FILE_TMPNAME_MAX] = "";
	size_t text_cap, text_len;
	int dfd = -1, rc;

	if (!key || !key->sk)
		return accord_error_set(ACCORD_EINVALID, "no key given");
	if (!home)
		return accord_error_set(ACCORD_EINVALID, "no key home given");
	if ((rc = accord_key_check_name(key->pub.name)) < 0)
		return rc;
	seed = sodium_malloc(SEED_LEN);
	sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (!seed || !sk) {
		rc = accord_error_set(ACCORD_ENOMEM, "out of secure memory saving a key");
		goto done;
	}
	/* only the seed is stored: make sure it really is the seed of this public key */
	crypto_sign_ed25519_sk_to_seed(seed, key->sk);
	crypto_sign_seed_keypair(pk, sk, seed);
	if (sodium_memcmp(pk, key->pub.pk, sizeof(pk)) != 0) {
		rc = accord_error_set(ACCORD_EINVALID,
				      "the secret key does not match its public key");
		goto done;
	}
	if ((rc = open_home(&dfd, home)) < 0)
		goto done;
	/* fail early, before spending a second on Argon2; install_key checks again */
	if (!force && key_exists(dfd)) {
		rc = exists_error(home);
		goto done;
	}

	text_cap = sizeof(COMMENT_PREFIX) + strlen(key->pub.name) + 1 + BODY_B64_LEN + 2;
	body = sodium_malloc(BODY_LEN);
	text = sodium_malloc(text_cap);
	if (!body || !text) {
		rc = accord_error_set(ACCORD_ENOMEM, "out of secure memory saving a key");
		goto done;
	}
	if ((rc = seal_body(body, seed, passphrase)) < 0)
		goto done;
	text_len = (size_t)snprintf(text, text_cap, "%s%s\n", COMMENT_PREFIX, key->pub.name);
	sodium_bin2base64(text + text_len, text_cap - text_len, body, BODY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
	text_len += BODY_B64_LEN;
	text[text_len++] = '\n';

	accord_pubkey_to_openssh(&publine, &key->pub);
	accord_buf_putc(&publine, '\n');

	/* both written before either is installed: a full disk changes nothing */
	if ((rc = accord_file_temp_at(keytmp, dfd, home, "key", text, text_len, 0600)) < 0 ||
	    (rc = accord_file_temp_at(pubtmp, dfd, home, "key.pub", publine.ptr, publine.size,
				      0644)) < 0)
		goto done;
	/*
	 * key first: if we stop between the two renames, load() sees a key.pub
	 * that doesn't match and refuses, rather than silently using a stale one.
	 */
	rc = install_key(dfd, home, keytmp, force);
	keytmp[0] = '\0';
	if (rc < 0)
		goto done;
	rc = accord_file_install_at(dfd, home, pubtmp, "key.pub", 0);
	pubtmp[0] = '\0';

done:
	if (keytmp[0])
		unlinkat(dfd, keytmp, 0);
	if (pubtmp[0])
		unlinkat(dfd, pubtmp, 0);
	if (dfd >= 0)
		close(dfd);
	accord_buf_dispose(&publine);
	sodium_free(seed);
	sodium_free(sk);
	sodium_free(body);
	sodium_free(text);
	return rc;
}

int accord_key_generate(accord_key **out, const char *home, const char *name,
			const char *passphrase, int force)
{
	accord_key *key = NULL;
	unsigned char *seed = NULL;
	int rc;

	if (!home)
		return accord_error_set(ACCORD_EINVALID, "no key home given");
	if ((rc = accord_key_check_name(name)) < 0)
		return rc;
	key = accord_key_alloc();
	seed = sodium_malloc(SEED_LEN);
	if (!key || !seed) {
		rc = accord_error_set(ACCORD_ENOMEM, "out of secure memory generating a key");
		goto done;
	}
	randombytes_buf(seed, SEED_LEN);
	crypto_sign_seed_keypair(key->pub.pk, key->sk, seed);
	accord_pubkey_set_id(&key->pub);
	memcpy(key->pub.name, name, strlen(name) + 1);
	if ((rc = accord_key_save(key, home, passphrase, force)) < 0)
		goto done;
	*out = key;
	key = NULL;

done:
	sodium_free(seed);
	accord_key_free(key);
	return rc;
}

/*
 * A private key file must be its reader's alone: owned by it (the owner can
 * read or replace the key whatever the mode) and closed to group and others.
 */
int accord_key_private_file_ok(const char *path, const struct stat *st)
{
	if (st->st_uid != geteuid())
		return accord_error_set(
			ACCORD_EDENIED,
			"%s is a private key owned by another user (uid %u); only its owner may use it",
			path, (unsigned)st->st_uid);
	if (st->st_mode & 077)
		return accord_error_set(
			ACCORD_EDENIED,
			"%s is a private key open to group or others (mode %04o); chmod 600 it",
			path, (unsigned)(st->st_mode & 07777));
	return 0;
}

/*
 * Read a small file, by default without following a symlink at its last
 * component (`flags`: READ_*). `buf` has room for `cap` bytes plus a NUL.
 * `mode`, if not NULL, gets the permission bits of the file read.
 */
int accord_key_read_small(char *buf, size_t cap, size_t *len, const char *path, int flags,
			  struct stat *st_out)
{
	struct stat st;
	size_t total = 0;
	int fd, rc = 0;

	/* O_NONBLOCK so that a FIFO planted in place of the file can't hang us */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (flags & READ_FOLLOW ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		if (errno == ENOENT)
			return accord_error_set(ACCORD_ENOTFOUND, "no key at %s", path);
		if (errno == ELOOP)
			return accord_error_set(ACCORD_EDENIED,
						"%s is a symbolic link; refusing to follow it",
						path);
		return accord_error_set(ACCORD_ERROR, "can't open %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		rc = accord_error_set(ACCORD_ERROR, "can't stat %s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = accord_error_set(ACCORD_EINVALID, "%s is not a regular file", path);
		goto done;
	}
	if (st_out)
		*st_out = st;
	if ((flags & READ_PRIVATE) && (rc = accord_key_private_file_ok(path, &st)) < 0)
		goto done;
	if (st.st_size < 0 || (unsigned long long)st.st_size > cap) {
		rc = accord_error_set(ACCORD_EINVALID, "%s is larger than %zu bytes", path, cap);
		goto done;
	}
	for (;;) {
		ssize_t n = read(fd, buf + total, cap + 1 - total);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = accord_error_set(ACCORD_ERROR, "can't read %s: %s", path,
					      strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		/* it grew after fstat */
		if (total > cap) {
			rc = accord_error_set(ACCORD_EINVALID, "%s is larger than %zu bytes", path,
					      cap);
			goto done;
		}
	}
	buf[total] = '\0';
	*len = total;

done:
	close(fd);
	return rc;
}

/* Strictly parse the key file text into `body` (BODY_LEN) and `name`. */
static int parse_key_text(unsigned char *body, char name[65], const char *text, size_t len,
			  const char *path)
{
	const size_t plen = sizeof(COMMENT_PREFIX) - 1;
	const char *nl, *b64, *rest;
	size_t name_len, bin_len = 0, b64_len;
	const char *b64_end = NULL;
	uint64_t ops, mem;

	if (memchr(text, '\0', len))
		return accord_error_set(ACCORD_EINVALID, "%s is not a key file (binary data)",
					path);
	nl = memchr(text, '\n', len);
	if (!nl || (size_t)(nl - text) < plen || memcmp(text, COMMENT_PREFIX, plen) != 0)
		return accord_error_set(ACCORD_EINVALID,
					"%s is not an accord secret key (bad comment line)", path);
	name_len = (size_t)(nl - text) - plen;
	if (name_len == 0 || name_len > 64)
		return accord_error_set(ACCORD_EINVALID, "%s has a malformed key name", path);
	memcpy(name, text + plen, name_len);
	name[name_len] = '\0';
	if (!accord_name_valid(name))
		return accord_error_set(ACCORD_EINVALID, "%s has a malformed key name", path);

	b64 = nl + 1;
	rest = memchr(b64, '\n', len - (size_t)(b64 - text));
	b64_len = rest ? (size_t)(rest - b64) : len - (size_t)(b64 - text);
	/* at most one final newline, nothing after it */
	if (rest && rest + 1 != text + len)
		return accord_error_set(ACCORD_EINVALID, "%s has trailing data after the key",
					path);
	if (b64_len != BODY_B64_LEN)
		return accord_error_set(ACCORD_EINVALID, "%s has a key body of the wrong length",
					path);
	if (!accord_base64_alphabet(b64, b64_len) ||
	    sodium_base642bin(body, BODY_LEN, b64, b64_len, NULL, &bin_len, &b64_end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    b64_end != b64 + b64_len || bin_len != BODY_LEN)
		return accord_error_set(ACCORD_EINVALID, "%s has a malformed key body (base64)",
					path);
	if (memcmp(body, KEY_MAGIC, KEY_MAGIC_LEN) != 0)
		return accord_error_set(ACCORD_EINVALID,
					"%s is not an accord secret key (bad magic)", path);

	ops = get_u64be(body + OFF_OPS);
	mem = get_u64be(body + OFF_MEM);
	switch (body[OFF_KDF]) {
	case KDF_NONE:
		/* unused fields must be zero, so nothing can hide in them */
		if (!is_all_zero(body + OFF_OPS, OFF_BOX - OFF_OPS) ||
		    !is_all_zero(body + OFF_BOX + SEED_LEN, BOX_LEN - SEED_LEN))
			return accord_error_set(ACCORD_EINVALID,
						"%s is malformed (non-zero padding in a plain key)",
						path);
		return 0;
	case KDF_ARGON2ID:
		if (ops > OPSLIMIT_MAX || mem > MEMLIMIT_MAX)
			return accord_error_set(
				ACCORD_EINVALID,
				"%s has unreasonable key derivation parameters (opslimit %llu, memlimit %llu)",
				path, (unsigned long long)ops, (unsigned long long)mem);
		/* a file sealed cheaply would be cheap to guess: refuse it rather than trust it */
		if (ops < crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE ||
		    mem < crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE)
			return accord_error_set(
				ACCORD_EINVALID,
				"%s has key derivation parameters below libsodium's interactive limits (opslimit %llu < %llu or memlimit %llu < %llu); make a new key",
				path, (unsigned long long)ops,
				(unsigned long long)crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
				(unsigned long long)mem,
				(unsigned long long)crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
		return 0;
	default:
		return accord_error_set(ACCORD_EINVALID, "%s uses an unknown kdf (%u)", path,
					body[OFF_KDF]);
	}
}

/* Read and parse home/key. *body is sodium_malloc'd (BODY_LEN) on success. */
static int read_key_file(unsigned char **body_out, char name[65], const char *path)
{
	unsigned char *body = sodium_malloc(BODY_LEN);
	char *text = sodium_malloc(KEY_FILE_MAX + 1);
	size_t len = 0;
	int rc;

	if (!body || !text) {
		rc = accord_error_set(ACCORD_ENOMEM, "out of secure memory reading %s", path);
		goto done;
	}
	if ((rc = accord_key_read_small(text, KEY_FILE_MAX, &len, path, READ_PRIVATE, NULL)) < 0)
		goto done;
	if ((rc = parse_key_text(body, name, text, len, path)) < 0)
		goto done;
	*body_out = body;
	body = NULL;

done:
	sodium_free(text);
	sodium_free(body);
	return rc;
}

int accord_key_load_public(accord_pubkey *out, const char *home)
{
	char *path, text[KEY_FILE_MAX + 1];
	size_t len = 0;
	int rc;

	if (!home)
		return accord_error_set(ACCORD_EINVALID, "no key home given");
	path = dup_join(home, "/key.pub");
	if ((rc = accord_key_read_small(text, KEY_FILE_MAX, &len, path, 0, NULL)) < 0)
		goto done;
	if (strlen(text) != len) {
		rc = accord_error_set(ACCORD_EINVALID, "%s is not a public key (binary data)",
				      path);
		goto done;
	}
	if ((rc = accord_pubkey_from_openssh(out, text)) < 0)
		accord_error_wrap(rc, "%s", path);

done:
	free(path);
	return rc;
}

int accord_key_is_encrypted(const char *home)
{
	unsigned char *body = NULL;
	char name[65], *path;
	int enc = 0;

	if (!home)
		return 0;
	path = dup_join(home, "/key");
	if (read_key_file(&body, name, path) == 0)
		enc = body[OFF_KDF] == KDF_ARGON2ID;
	sodium_free(body);
	free(path);
	return enc;
}

int accord_key_load(accord_key **out, const char *home, const char *passphrase)
{
	unsigned char *body = NULL, *seed = NULL, *boxkey = NULL;
	accord_key *key = NULL;
	accord_pubkey filepub;
	char name[65], *path = NULL;
	int rc;

	if (!home)
		return accord_error_set(ACCORD_EINVALID, "no key home given");
	path = dup_join(home, "/key");
	if ((rc = read_key_file(&body, name, path)) < 0)
		goto done;
	key = accord_key_alloc();
	seed = sodium_malloc(SEED_LEN);
	if (!key || !seed) {
		rc = accord_error_set(ACCORD_ENOMEM, "out of secure memory loading %s", path);
		goto done;
	}

	if (body[OFF_KDF] == KDF_ARGON2ID) {
		if (!passphrase || !*passphrase) {
			rc = accord_error_set(ACCORD_EPASS, "key %s is protected by a passphrase",
					      path);
			goto done;
		}
		if (!(boxkey = sodium_malloc(crypto_secretbox_KEYBYTES))) {
			rc = accord_error_set(ACCORD_ENOMEM, "out of secure memory loading %s",
					      path);
			goto done;
		}
		if (crypto_pwhash(boxkey, crypto_secretbox_KEYBYTES, passphrase, strlen(passphrase),
				  body + OFF_SALT, get_u64be(body + OFF_OPS),
				  (size_t)get_u64be(body + OFF_MEM),
				  crypto_pwhash_ALG_ARGON2ID13) != 0) {
			rc = accord_error_set(ACCORD_ENOMEM,
					      "can't derive the key for %s (out of memory)", path);
			goto done;
		}
		if (crypto_secretbox_open_easy(seed, body + OFF_BOX, BOX_LEN, body + OFF_NONCE,
					       boxkey) != 0) {
			rc = accord_error_set(ACCORD_EPASS, "wrong passphrase for %s", path);
			goto done;
		}
	} else {
		memcpy(seed, body + OFF_BOX, SEED_LEN);
	}
	crypto_sign_seed_keypair(key->pub.pk, key->sk, seed);
	accord_pubkey_set_id(&key->pub);
	memcpy(key->pub.name, name, sizeof(key->pub.name));

	rc = accord_key_load_public(&filepub, home);
	if (rc == ACCORD_ENOTFOUND) {
		accord_error_clear();
	} else if (rc < 0) {
		goto done;
	} else if (sodium_memcmp(filepub.pk, key->pub.pk, sizeof(filepub.pk)) != 0) {
		rc = accord_error_set(ACCORD_EINVALID, "%s.pub does not match the secret key %s",
				      path, path);
		goto done;
	}
	key->home = accord_xstrdup(home);
	*out = key;
	key = NULL;
	rc = 0;

done:
	sodium_free(boxkey);
	sodium_free(seed);
	sodium_free(body);
	accord_key_free(key);
	free(path);
	return rc;
}

/*
 * Keys in ssh-agent. The key home holds key.pub and "agent", a marker
 * with nothing secret in it, and no "key" file: the private half stays
 * in the agent, and accord signs through it (accord_sshsig_sign).
 */
#define AGENT_MARKER "agent"
#define AGENT_MARKER_TEXT "the private half of key.pub is held by ssh-agent ($SSH_AUTH_SOCK)\n"

int accord_key_is_agent(const char *home)
{
	char *marker, *key;
	struct stat st;
	int yes;

	if (!home)
		return 0;
	marker = dup_join(home, "/" AGENT_MARKER);
	key = dup_join(home, "/key");
	yes = lstat(marker, &st) == 0 && lstat(key, &st) < 0 && errno == ENOENT;
	free(marker);
	free(key);
	return yes;
}

int accord_key_import_agent(const char *home, const accord_pubkey *pub, int force)
{
	accord_buf publine = ACCORD_BUF_INIT;
	char markertmp[ACCORD_FILE_TMPNAME_MAX] = "", pubtmp[ACCORD_FILE_TMPNAME_MAX] = "";
	struct stat st;
	int dfd = -1, rc;

	if (!home)
		return accord_error_set(ACCORD_EINVALID, "no key home given");
	if ((rc = accord_key_check_name(pub->name)) < 0)
		return rc;
	if ((rc = open_home(&dfd, home)) < 0)
		return rc;
	if (!force &&
	    (key_exists(dfd) || fstatat(dfd, AGENT_MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0)) {
		rc = exists_error(home);
		goto done;
	}
	accord_pubkey_to_openssh(&publine, pub);
	accord_buf_putc(&publine, '\n');
	if ((rc = accord_file_temp_at(markertmp, dfd, home, AGENT_MARKER, AGENT_MARKER_TEXT,
				      strlen(AGENT_MARKER_TEXT), 0644)) < 0 ||
	    (rc = accord_file_temp_at(pubtmp, dfd, home, "key.pub", publine.ptr, publine.size,
				      0644)) < 0)
		goto done;
	/* a key file replaced (--force) goes first: never a key.pub that names another key's file */
	if (unlinkat(dfd, "key", 0) < 0 && errno != ENOENT) {
		rc = accord_error_set(ACCORD_ERROR, "can't install the agent key in %s: %s", home,
				      strerror(errno));
		goto done;
	}
	rc = accord_file_install_at(dfd, home, markertmp, AGENT_MARKER, 0);
	markertmp[0] = '\0';
	if (rc < 0)
		goto done;
	rc = accord_file_install_at(dfd, home, pubtmp, "key.pub", 0);
	pubtmp[0] = '\0';
done:
	if (markertmp[0])
		unlinkat(dfd, markertmp, 0);
	if (pubtmp[0])
		unlinkat(dfd, pubtmp, 0);
	close(dfd);
	accord_buf_dispose(&publine);
	return rc;
}

int accord_key_load_agent(accord_key **out, const char *home, const char *sock)
{
	accord_buf blob = ACCORD_BUF_INIT;
	accord_key *key;
	int rc;

	key = accord_xcalloc(1, sizeof(*key));
	if ((rc = accord_key_load_public(&key->pub, home)) < 0)
		goto fail;
	accord_pubkey_blob(&blob, &key->pub);
	rc = accord_agent_has_key(sock, blob.ptr, blob.size);
	if (rc == 0)
		rc = accord_error_set(
			ACCORD_ENOTFOUND,
			"ssh-agent at %s does not hold key %s (the key in %s): ssh-add it", sock,
			key->pub.id, home);
	if (rc < 0)
		goto fail;
	key->agent = accord_xstrdup(sock);
	key->home = accord_xstrdup(home);
	accord_buf_dispose(&blob);
	*out = key;
	return 0;
fail:
	accord_buf_dispose(&blob);
	accord_key_free(key);
	return rc;
}

int accord_key_replace(const char *home, const char *staged, const char *old_id)
{
	static const char *const files[] = { "key", AGENT_MARKER, "key.pub" };
	char aside[64];
	struct stat st;
	size_t i;
	int dfd = -1, sfd = -1, rc = 0;

	if (!home || !staged || !old_id || strlen(old_id) > 32)
		return accord_error_set(ACCORD_EINVALID,
					"no key home, staged key or old key id given");
	if ((rc = open_home(&dfd, home)) < 0)
		return rc;
	if ((sfd = open(staged, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = accord_error_set(ACCORD_ERROR, "can't open %s: %s", staged, strerror(errno));
		goto done;
	}
	/* the old key first, under names that nothing loads; a rename keeps its 0600 */
	snprintf(aside, sizeof(aside), "key.old-%s", old_id);
	if (fstatat(dfd, "key", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    renameat(dfd, "key", dfd, aside) < 0)
		goto fail;
	snprintf(aside, sizeof(aside), "key.old-%s.pub", old_id);
	if (fstatat(dfd, "key.pub", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    renameat(dfd, "key.pub", dfd, aside) < 0)
		goto fail;
	if (unlinkat(dfd, AGENT_MARKER, 0) < 0 && errno != ENOENT)
		goto fail;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (fstatat(sfd, files[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (renameat(sfd, files[i], dfd, files[i]) < 0)
			goto fail;
	}
	if (fsync(dfd) < 0)
		goto fail;
	close(sfd);
	sfd = -1;
	if (rmdir(staged) < 0)
		rc = accord_error_set(ACCORD_ERROR, "can't remove %s: %s", staged, strerror(errno));
	goto done;
fail:
	rc = accord_error_set(ACCORD_ERROR, "can't put the new key in place in %s: %s", home,
			      strerror(errno));
done:
	if (sfd >= 0)
		close(sfd);
	close(dfd);
	return rc;
}
