/*
 * Ed25519 member keys in memory: the secret key (in sodium_malloc memory,
 * wiped when freed), the public key and its forms (the key id, the SSH
 * blob, the OpenSSH line), and the rule for names. See
 * include/accord/key.h; the key home on disk is key_file.c, importing an
 * OpenSSH private key key_openssh.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accord/buf.h"
#include "encode.h"
#include "accord/error.h"
#include "accord/key.h"
#include "accord/name.h"
#include "key_impl.h"

#define PUB_BLOB_LEN (4 + ED25519_TYPE_LEN + 4 + crypto_sign_PUBLICKEYBYTES)

void accord_pubkey_set_id(accord_pubkey *pub)
{
	unsigned char digest[32];

	accord_sha256(digest, pub->pk, sizeof(pub->pk));
	accord_hex_encode(pub->id, digest, ACCORD_KEYID_HEXLEN / 2);
}

const char *accord_pubkey_type_name(const accord_pubkey *pub)
{
	return pub->type == ACCORD_KEY_SK_ED25519 ? ACCORD_KEY_TYPE_SK : ED25519_TYPE;
}

int accord_pubkey_same(const accord_pubkey *a, const accord_pubkey *b)
{
	return sodium_memcmp(a->pk, b->pk, sizeof(a->pk)) == 0 && a->type == b->type &&
	       (a->type != ACCORD_KEY_SK_ED25519 || strcmp(a->application, b->application) == 0);
}

int accord_sk_application_valid(const char *app)
{
	size_t i, n = app ? strlen(app) : 0;

	/* OpenSSH insists on "ssh:"; the rest ends up in allowed_signers lines and terminals */
	if (n < 4 || n > ACCORD_SK_APPLICATION_MAX || strncmp(app, "ssh:", 4) != 0)
		return 0;
	for (i = 4; i < n; i++)
		if (app[i] <= 0x20 || app[i] > 0x7e || app[i] == '"' || app[i] == '\\')
			return 0;
	return 1;
}

void accord_pubkey_blob(accord_buf *out, const accord_pubkey *pub)
{
	const char *type = accord_pubkey_type_name(pub);

	accord_buf_put_sshstr(out, type, strlen(type));
	accord_buf_put_sshstr(out, pub->pk, sizeof(pub->pk));
	if (pub->type == ACCORD_KEY_SK_ED25519)
		accord_buf_put_sshstr(out, pub->application, strlen(pub->application));
}

void accord_pubkey_to_openssh(accord_buf *out, const accord_pubkey *pub)
{
	accord_buf blob = ACCORD_BUF_INIT;

	accord_pubkey_blob(&blob, pub);
	accord_buf_puts(out, accord_pubkey_type_name(pub));
	accord_buf_putc(out, ' ');
	accord_base64_encode(out, (const unsigned char *)blob.ptr, blob.size);
	if (pub->name[0]) {
		accord_buf_putc(out, ' ');
		accord_buf_puts(out, pub->name);
	}
	accord_buf_dispose(&blob);
}

/* An sk blob: string type (read by the caller) | string pk[32] | string application. */
static int sk_from_blob(accord_pubkey *out, const unsigned char *p, size_t len)
{
	uint32_t klen, alen;

	if (len < 4 || (klen = get_u32be(p)) != crypto_sign_PUBLICKEYBYTES || len - 4 < klen + 4)
		return accord_error_set(ACCORD_EINVALID,
					ACCORD_KEY_TYPE_SK " key blob is malformed");
	alen = get_u32be(p + 4 + klen);
	if (alen != len - 8 - klen)
		return accord_error_set(ACCORD_EINVALID,
					ACCORD_KEY_TYPE_SK " key blob is malformed");
	memset(out, 0, sizeof(*out));
	if (alen > ACCORD_SK_APPLICATION_MAX || memchr(p + 8 + klen, '\0', alen))
		return accord_error_set(ACCORD_EINVALID, ACCORD_KEY_TYPE_SK
					" key with an application accord does not accept");
	memcpy(out->application, p + 8 + klen, alen);
	if (!accord_sk_application_valid(out->application))
		return accord_error_set(ACCORD_EINVALID, ACCORD_KEY_TYPE_SK
					" key with an application accord does not accept "
					"(\"ssh:\" and up to 60 printable characters)");
	memcpy(out->pk, p + 4, crypto_sign_PUBLICKEYBYTES);
	out->type = ACCORD_KEY_SK_ED25519;
	accord_pubkey_set_id(out);
	return 0;
}

int accord_pubkey_from_blob(accord_pubkey *out, const void *blob, size_t len)
{
	const unsigned char *p = blob;
	const size_t sk_len = sizeof(ACCORD_KEY_TYPE_SK) - 1;
	uint32_t tlen, klen;

	if (len < 4)
		return accord_error_set(ACCORD_EINVALID, "public key blob is truncated");
	tlen = get_u32be(p);
	if (tlen > len - 4)
		return accord_error_set(ACCORD_EINVALID,
					"public key blob is malformed (type length %u)", tlen);
	if (tlen == sk_len && memcmp(p + 4, ACCORD_KEY_TYPE_SK, sk_len) == 0)
		return sk_from_blob(out, p + 4 + sk_len, len - 4 - sk_len);
	if (tlen != ED25519_TYPE_LEN || memcmp(p + 4, ED25519_TYPE, ED25519_TYPE_LEN) != 0)
		return accord_error_set(
			ACCORD_EINVALID,
			"unsupported public key type (only ssh-ed25519 and " ACCORD_KEY_TYPE_SK
			" keys are accepted)");
	if (len != PUB_BLOB_LEN)
		return accord_error_set(ACCORD_EINVALID,
					"ssh-ed25519 key blob is %zu bytes, expected %d", len,
					PUB_BLOB_LEN);
	klen = get_u32be(p + 4 + ED25519_TYPE_LEN);
	if (klen != crypto_sign_PUBLICKEYBYTES)
		return accord_error_set(ACCORD_EINVALID,
					"ssh-ed25519 key blob holds a %u-byte key, expected 32",
					klen);
	memset(out, 0, sizeof(*out));
	memcpy(out->pk, p + 8 + ED25519_TYPE_LEN, crypto_sign_PUBLICKEYBYTES);
	accord_pubkey_set_id(out);
	return 0;
}

int accord_pubkey_from_openssh(accord_pubkey *out, const char *line)
{
	const char *p = line, *type, *b64, *comment, *end;
	size_t type_len, b64_len, comment_len, i;
	accord_buf blob = ACCORD_BUF_INIT;
	accord_pubkey pub;
	int rc;

	if (!line)
		return accord_error_set(ACCORD_EINVALID, "no public key given");
	while (is_space(*p))
		p++;
	type = p;
	while (*p && !is_space(*p))
		p++;
	type_len = (size_t)(p - type);
	if (type_len == 0)
		return accord_error_set(ACCORD_EINVALID, "empty public key line");
	if ((type_len != ED25519_TYPE_LEN || memcmp(type, ED25519_TYPE, ED25519_TYPE_LEN) != 0) &&
	    (type_len != sizeof(ACCORD_KEY_TYPE_SK) - 1 ||
	     memcmp(type, ACCORD_KEY_TYPE_SK, type_len) != 0)) {
		char shown[33];
		size_t n = type_len < 32 ? type_len : 32;

		for (i = 0; i < n; i++)
			shown[i] = (type[i] >= 0x20 && type[i] <= 0x7e) ? type[i] : '?';
		shown[n] = '\0';
		return accord_error_set(
			ACCORD_EINVALID,
			"unsupported key type \"%s\" (only ssh-ed25519 and " ACCORD_KEY_TYPE_SK
			" keys are accepted)",
			shown);
	}
	if (*p != ' ' && *p != '\t')
		return accord_error_set(ACCORD_EINVALID, "ssh-ed25519 line has no key data");
	while (*p == ' ' || *p == '\t')
		p++;
	b64 = p;
	while (*p && !is_space(*p))
		p++;
	b64_len = (size_t)(p - b64);
	if (b64_len == 0)
		return accord_error_set(ACCORD_EINVALID, "ssh-ed25519 line has no key data");
	/* the blob is 51 bytes (68 base64 chars); don't decode anything much larger */
	if (b64_len > 256)
		return accord_error_set(ACCORD_EINVALID, "ssh-ed25519 key data is too long");
	if ((rc = accord_base64_decode(&blob, b64, b64_len)) < 0) {
		accord_buf_dispose(&blob);
		return accord_error_set(ACCORD_EINVALID,
					"ssh-ed25519 key data is not valid base64");
	}
	rc = accord_pubkey_from_blob(&pub, blob.ptr, blob.size);
	accord_buf_dispose(&blob);
	if (rc < 0)
		return rc;
	/* the line's type must be the blob's: one key, one way of writing it */
	if (strlen(accord_pubkey_type_name(&pub)) != type_len ||
	    memcmp(type, accord_pubkey_type_name(&pub), type_len) != 0)
		return accord_error_set(ACCORD_EINVALID,
					"the key line's type differs from its key data's");

	while (*p == ' ' || *p == '\t')
		p++;
	comment = p;
	end = comment + strlen(comment);
	while (end > comment && is_space(end[-1]))
		end--;
	comment_len = (size_t)(end - comment);
	for (i = 0; i < comment_len; i++)
		if (comment[i] == '\n' || comment[i] == '\r')
			return accord_error_set(ACCORD_EINVALID,
						"public key must be a single line");
	if (comment_len > sizeof(pub.name) - 1)
		comment_len = sizeof(pub.name) - 1;
	/* The name ends up in terminals and logs: keep it to printable ASCII. */
	for (i = 0; i < comment_len; i++)
		pub.name[i] = (comment[i] >= 0x20 && comment[i] <= 0x7e) ? comment[i] : '?';
	pub.name[comment_len] = '\0';
	*out = pub;
	return 0;
}

accord_key *accord_key_alloc(void)
{
	accord_key *key = calloc(1, sizeof(*key));

	if (!key)
		return NULL;
	if (!(key->sk = sodium_malloc(crypto_sign_SECRETKEYBYTES))) {
		free(key);
		return NULL;
	}
	return key;
}

int accord_key_check_name(const char *name)
{
	if (!accord_name_valid(name))
		return accord_error_set(ACCORD_EINVALID, "invalid name '%s': use %s",
					name ? name : "", ACCORD_NAME_RULE);
	return 0;
}

void accord_key_free(accord_key *key)
{
	if (!key)
		return;
	if (key->sk) {
		sodium_memzero(key->sk, crypto_sign_SECRETKEYBYTES);
		sodium_free(key->sk);
	}
	free(key->agent);
	free(key->home);
	sodium_memzero(key, sizeof(*key));
	free(key);
}

void accord_key_sign(unsigned char sig[crypto_sign_BYTES], const accord_key *key, const void *msg,
		     size_t len)
{
	crypto_sign_detached(sig, NULL, msg, len, key->sk);
}

int accord_key_set_name(accord_key *key, const char *name)
{
	int rc;

	if (!key)
		return accord_error_set(ACCORD_EINVALID, "no key given");
	if ((rc = accord_key_check_name(name)) < 0)
		return rc;
	memcpy(key->pub.name, name, strlen(name) + 1);
	return 0;
}
