/*
 * Importing an OpenSSH ed25519 private key (accord key import): the armor,
 * the binary format, the checks that its halves agree, and saving it into
 * a key home. See include/accord/key.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "encode.h"
#include "accord/error.h"
#include "accord/key.h"
#include "accord/name.h"
#include "key_impl.h"

/*
 * Importing an OpenSSH private key (PROTOCOL.key in OpenSSH):
 *
 *   "-----BEGIN OPENSSH PRIVATE KEY-----" base64 lines "-----END ...-----"
 *   "openssh-key-v1\0" | string ciphername | string kdfname
 *   | string kdfoptions | uint32 nkeys | string pubkey blob | string private
 *   private = uint32 checkint | uint32 checkint | string "ssh-ed25519"
 *   | string pk[32] | string sk[64] (seed || pk) | string comment
 *   | padding 1, 2, 3, ... up to a multiple of 8.
 *
 * The file may be hostile: every length is checked against what is left.
 * Unencrypted files hold the seed in clear, so the text, the base64 and
 * the decoded bytes all live in sodium_malloc memory.
 */

#define OPENSSH_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define OPENSSH_END "-----END OPENSSH PRIVATE KEY-----"
#define OPENSSH_MAGIC "openssh-key-v1" /* with its NUL */
#define OPENSSH_MAGIC_LEN 15
/* ssh-keygen writes ~400 bytes for ed25519; anything much larger isn't one */
#define OPENSSH_FILE_MAX (16 * 1024)
/* the block size of cipher "none" */
#define OPENSSH_BLOCK 8

typedef struct {
	const unsigned char *p;
	size_t left;
} ssh_reader;

static int rd_u32(ssh_reader *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = get_u32be(r->p);
	r->p += 4;
	r->left -= 4;
	return 0;
}

/* An SSH string: its bytes stay in the reader's buffer. */
static int rd_str(ssh_reader *r, const unsigned char **s, size_t *len)
{
	uint32_t n;

	if (rd_u32(r, &n) < 0 || n > r->left)
		return -1;
	*s = r->p;
	*len = n;
	r->p += n;
	r->left -= n;
	return 0;
}

static int str_is(const unsigned char *s, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(s, want, len) == 0;
}

/* A key type for an error message: printable ASCII only, cut to 40 bytes. */
static void shown_type(char out[41], const unsigned char *s, size_t len)
{
	size_t i, n = len < 40 ? len : 40;

	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] <= 0x7e) ? (char)s[i] : '?';
	out[n] = '\0';
}

static int malformed(const char *src, const char *why)
{
	return accord_error_set(ACCORD_EINVALID, "%s is not a valid OpenSSH private key (%s)", src,
				why);
}

/* Trim trailing whitespace (spaces, tabs, '\r') off the line [p, *end). */
static void trim_line(const char *p, const char **end)
{
	while (*end > p && is_space((*end)[-1]))
		(*end)--;
}

static int line_is(const char *p, const char *end, const char *want)
{
	return (size_t)(end - p) == strlen(want) && memcmp(p, want, strlen(want)) == 0;
}

/*
 * Check the armor of `pem` and copy the base64 between the BEGIN and END
 * lines into `b64` (room for `len` bytes), without line breaks.
 */
static int openssh_unarmor(char *b64, size_t *b64_len, const char *pem, size_t len, const char *src)
{
	const char *p = pem, *end = pem + len;
	size_t n = 0;
	int first = 1;

	if (memchr(pem, '\0', len))
		return accord_error_set(ACCORD_EINVALID,
					"%s is not an OpenSSH private key (binary data)", src);
	while (p < end && is_space(*p))
		p++;
	if ((size_t)(end - p) >= 4 &&
	    (memcmp(p, "ssh-", 4) == 0 || memcmp(p, "ecds", 4) == 0 || memcmp(p, "sk-", 3) == 0))
		return accord_error_set(
			ACCORD_EINVALID,
			"%s is a public key; give the private key file (the one without .pub)",
			src);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end, *lend = eol ? eol : end;

		trim_line(p, &lend);
		if (first) {
			if (!line_is(p, lend, OPENSSH_BEGIN)) {
				if ((size_t)(lend - p) > 11 && memcmp(p, "-----BEGIN ", 11) == 0)
					return accord_error_set(
						ACCORD_EINVALID,
						"%s is a PEM key, not in the OpenSSH format; make an ed25519 key with ssh-keygen -t ed25519",
						src);
				return accord_error_set(
					ACCORD_EINVALID,
					"%s is not an OpenSSH private key (no \"%s\" line)", src,
					OPENSSH_BEGIN);
			}
			first = 0;
		} else if (line_is(p, lend, OPENSSH_END)) {
			/* nothing but whitespace may follow */
			for (p = next; p < end; p++)
				if (!is_space(*p))
					return malformed(src, "data after the END line");
			*b64_len = n;
			return 0;
		} else {
			memcpy(b64 + n, p, (size_t)(lend - p));
			n += (size_t)(lend - p);
		}
		p = next;
	}
	return malformed(src, "no END line; is the file truncated?");
}

/*
 * Parse the decoded key `bin`. The public blob is looked at first, so
 * that an encrypted RSA key is refused for being RSA rather than asking
 * the user to decrypt it for nothing.
 */
static int openssh_parse_bin(accord_key **out, const unsigned char *bin, size_t bin_len,
			     const char *src)
{
	ssh_reader r = { bin, bin_len }, priv;
	const unsigned char *cipher, *kdf, *kdfopts, *pubblob, *sect, *type, *pk, *sk, *comment;
	size_t cipher_len, kdf_len, kdfopts_len, pub_len, sect_len, type_len, pk_len, sk_len,
		comment_len, i;
	uint32_t nkeys, check1, check2;
	accord_pubkey pub;
	accord_key *key = NULL;
	ssh_reader blob;
	char shown[41];
	int rc;

	if (bin_len < OPENSSH_MAGIC_LEN || memcmp(bin, OPENSSH_MAGIC, OPENSSH_MAGIC_LEN) != 0)
		return malformed(src, "bad magic");
	r.p += OPENSSH_MAGIC_LEN;
	r.left -= OPENSSH_MAGIC_LEN;
	if (rd_str(&r, &cipher, &cipher_len) < 0 || rd_str(&r, &kdf, &kdf_len) < 0 ||
	    rd_str(&r, &kdfopts, &kdfopts_len) < 0 || rd_u32(&r, &nkeys) < 0)
		return malformed(src, "truncated header");
	if (nkeys != 1)
		return accord_error_set(ACCORD_EINVALID,
					"%s holds %lu keys; accord imports a file with exactly one",
					src, (unsigned long)nkeys);
	if (rd_str(&r, &pubblob, &pub_len) < 0)
		return malformed(src, "truncated public key");
	blob.p = pubblob;
	blob.left = pub_len;
	if (rd_str(&blob, &type, &type_len) < 0)
		return malformed(src, "truncated public key");
	if (str_is(type, type_len, ACCORD_KEY_TYPE_SK))
		return accord_error_set(
			ACCORD_EINVALID,
			"%s is a hardware key (" ACCORD_KEY_TYPE_SK
			"), whose private half never leaves it: add it to ssh-agent and use accord key import --agent FILE.pub",
			src);
	if (!str_is(type, type_len, ED25519_TYPE)) {
		shown_type(shown, type, type_len);
		return accord_error_set(
			ACCORD_EINVALID,
			"%s is a \"%s\" key; accord needs an ed25519 key (ssh-keygen -t ed25519)",
			src, shown);
	}
	if ((rc = accord_pubkey_from_blob(&pub, pubblob, pub_len)) < 0)
		return accord_error_wrap(rc, "%s", src);
	if (!str_is(cipher, cipher_len, "none"))
		return accord_error_set(
			ACCORD_EINVALID,
			"%s is encrypted; decrypt a copy with ssh-keygen -p -N '' -f COPY first",
			src);
	if (!str_is(kdf, kdf_len, "none") || kdfopts_len != 0)
		return malformed(src, "a key derivation without a cipher");
	if (rd_str(&r, &sect, &sect_len) < 0)
		return malformed(src, "truncated private section");
	if (r.left != 0)
		return malformed(src, "trailing data");
	if (sect_len % OPENSSH_BLOCK != 0)
		return malformed(src, "private section is not a whole number of blocks");

	priv.p = sect;
	priv.left = sect_len;
	if (rd_u32(&priv, &check1) < 0 || rd_u32(&priv, &check2) < 0)
		return malformed(src, "truncated private section");
	if (check1 != check2)
		return malformed(src, "check bytes differ; the file is corrupt");
	if (rd_str(&priv, &type, &type_len) < 0 || rd_str(&priv, &pk, &pk_len) < 0 ||
	    rd_str(&priv, &sk, &sk_len) < 0 || rd_str(&priv, &comment, &comment_len) < 0)
		return malformed(src, "truncated private key");
	if (!str_is(type, type_len, ED25519_TYPE))
		return malformed(src, "the private key's type differs from the public key's");
	if (pk_len != crypto_sign_PUBLICKEYBYTES || sk_len != crypto_sign_SECRETKEYBYTES)
		return malformed(src, "wrong ed25519 key lengths");
	if (sodium_memcmp(pk, pub.pk, sizeof(pub.pk)) != 0)
		return malformed(src, "the private section holds a different public key");
	if (sodium_memcmp(sk + SEED_LEN, pk, crypto_sign_PUBLICKEYBYTES) != 0)
		return malformed(src, "the secret key does not end with its public key");
	for (i = 0; i < priv.left; i++)
		if (priv.p[i] != (unsigned char)(i + 1))
			return malformed(src, "bad padding");

	if (!(key = accord_key_alloc()))
		return accord_error_set(ACCORD_ENOMEM, "out of secure memory reading %s", src);
	crypto_sign_seed_keypair(key->pub.pk, key->sk, sk);
	if (sodium_memcmp(key->pub.pk, pk, crypto_sign_PUBLICKEYBYTES) != 0 ||
	    sodium_memcmp(key->sk, sk, crypto_sign_SECRETKEYBYTES) != 0) {
		accord_key_free(key);
		return malformed(src, "the seed does not give its public key");
	}
	accord_pubkey_set_id(&key->pub);
	if (accord_name_valid_n((const char *)comment, comment_len)) {
		memcpy(key->pub.name, comment, comment_len);
		key->pub.name[comment_len] = '\0';
	}
	*out = key;
	return 0;
}

int accord_key_from_openssh(accord_key **out, const char *pem, size_t len, const char *source)
{
	const char *src = source && *source ? source : "the key";
	char *b64 = NULL;
	unsigned char *bin = NULL;
	const char *b64_end = NULL;
	size_t b64_len = 0, bin_len = 0;
	int rc;

	if (!out || (!pem && len))
		return accord_error_set(ACCORD_EINVALID, "no key given");
	if (len == 0)
		return accord_error_set(ACCORD_EINVALID, "%s is empty", src);
	if (len > OPENSSH_FILE_MAX)
		return accord_error_set(ACCORD_EINVALID, "%s is larger than %d bytes", src,
					OPENSSH_FILE_MAX);
	if (!(b64 = sodium_malloc(len))) {
		rc = accord_error_set(ACCORD_ENOMEM, "out of secure memory reading %s", src);
		goto done;
	}
	if ((rc = openssh_unarmor(b64, &b64_len, pem, len, src)) < 0)
		goto done;
	if (b64_len == 0 || b64_len % 4 != 0) {
		rc = malformed(src, "bad base64 length");
		goto done;
	}
	if (!(bin = sodium_malloc(b64_len / 4 * 3))) {
		rc = accord_error_set(ACCORD_ENOMEM, "out of secure memory reading %s", src);
		goto done;
	}
	if (!accord_base64_alphabet(b64, b64_len) ||
	    sodium_base642bin(bin, b64_len / 4 * 3, b64, b64_len, NULL, &bin_len, &b64_end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    b64_end != b64 + b64_len) {
		rc = malformed(src, "bad base64");
		goto done;
	}
	rc = openssh_parse_bin(out, bin, bin_len, src);

done:
	sodium_free(b64);
	sodium_free(bin);
	return rc;
}

int accord_key_read_openssh(accord_key **out, const char *path)
{
	accord_key *key = NULL;
	char *text;
	size_t len = 0;
	struct stat st;
	int rc;

	if (!out || !path)
		return accord_error_set(ACCORD_EINVALID, "no key file given");
	if (!(text = sodium_malloc(OPENSSH_FILE_MAX + 1)))
		return accord_error_set(ACCORD_ENOMEM, "out of secure memory reading %s", path);
	/*
	 * ~/.ssh may be a link farm: follow links. ssh-keygen makes the file
	 * 0600; a private key that others can read (or that another user owns)
	 * may have been read already, so it is refused as our own key would be
	 * (ssh refuses the first too). The mode is checked once the file proves to be a private key, so that a
	 * .pub or a stray file gets the message that fits it.
	 */
	rc = accord_key_read_small(text, OPENSSH_FILE_MAX, &len, path, READ_FOLLOW, &st);
	if (rc == 0 && (rc = accord_key_from_openssh(&key, text, len, path)) == 0) {
		if ((rc = accord_key_private_file_ok(path, &st)) < 0)
			accord_key_free(key);
		else
			*out = key;
	}
	sodium_free(text);
	return rc;
}

int accord_key_import_openssh(accord_key **out, const char *home, const char *pem, size_t len,
			      const char *name, const char *passphrase, int force)
{
	accord_key *key = NULL;
	int rc;

	if (!home)
		return accord_error_set(ACCORD_EINVALID, "no key home given");
	if ((rc = accord_key_from_openssh(&key, pem, len, NULL)) < 0)
		return rc;
	if (name)
		rc = accord_key_set_name(key, name);
	else if (!key->pub.name[0])
		rc = accord_error_set(
			ACCORD_EINVALID,
			"the key's comment is not a usable name (letters, digits, '.', '_', '-', at most 64); give one with --name");
	if (rc == 0)
		rc = accord_key_save(key, home, passphrase, force);
	if (rc == 0)
		*out = key;
	else
		accord_key_free(key);
	return rc;
}
