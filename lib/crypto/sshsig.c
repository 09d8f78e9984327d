/*
 * SSHSIG (OpenSSH PROTOCOL.sshsig) for Ed25519: what git writes into a
 * commit's gpgsig header when gpg.format=ssh. Everything read from a
 * signature is bounds-checked, because signatures come from other parties.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "accord/agent.h"
#include "accord/buf.h"
#include "encode.h"
#include "accord/error.h"
#include "accord/key.h"
#include "sshsig.h"

#define SSHSIG_MAGIC "SSHSIG"
#define SSHSIG_MAGIC_LEN 6
#define SSHSIG_VERSION 1
#define ARMOR_BEGIN "-----BEGIN SSH SIGNATURE-----\n"
#define ARMOR_END "-----END SSH SIGNATURE-----"
#define ARMOR_WRAP 70
#define ARMOR_LINE_MAX 76
/* An Ed25519 armor is about 300 bytes; anything far larger is not ours. */
#define ARMOR_MAX 8192
#define ED25519_TYPE "ssh-ed25519"
/*
 * FIDO keys (OpenSSH PROTOCOL.u2f). The public blob is string
 * "sk-ssh-ed25519@openssh.com" | string pk[32] | string application; the
 * signature blob adds byte flags | uint32 counter after the 64 bytes, and
 * the authenticator's Ed25519 signature covers SHA-256(application) |
 * flags | counter | SHA-256(what was signed).
 */
#define SK_ED25519_TYPE "sk-ssh-ed25519@openssh.com"
#define SK_USER_PRESENT 0x01
#define SK_APPLICATION_MAX 255

/* A bounds-checked cursor over untrusted bytes. */
struct reader {
	const unsigned char *p;
	size_t left;
};

static int read_bytes(struct reader *r, const unsigned char **out, size_t n)
{
	if (n > r->left)
		return -1;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return 0;
}

static int read_u32(struct reader *r, uint32_t *v)
{
	const unsigned char *b;

	if (read_bytes(r, &b, 4) < 0)
		return -1;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

static int read_string(struct reader *r, const unsigned char **s, size_t *n)
{
	uint32_t len;

	if (read_u32(r, &len) < 0 || read_bytes(r, s, len) < 0)
		return -1;
	*n = len;
	return 0;
}

static int bytes_eq(const unsigned char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n == l && memcmp(s, lit, l) == 0;
}

/* "SSHSIG" | string namespace | string reserved | string hash_alg | string H(msg) */
static void signed_data(accord_buf *out, const void *ns, size_t ns_len, const void *reserved,
			size_t reserved_len, const char *hash_alg, const unsigned char *hash,
			size_t hash_len)
{
	accord_buf_put(out, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN);
	accord_buf_put_sshstr(out, ns, ns_len);
	accord_buf_put_sshstr(out, reserved, reserved_len);
	accord_buf_put_sshstr(out, hash_alg, strlen(hash_alg));
	accord_buf_put_sshstr(out, hash, hash_len);
}

/* The one armor accord writes: base64 wrapped at 70 columns, as ssh-keygen does, no final newline. */
static void armor(accord_buf *out, const accord_buf *blob)
{
	accord_buf b64 = ACCORD_BUF_INIT;
	size_t off;

	accord_base64_encode(&b64, (const unsigned char *)blob->ptr, blob->size);
	accord_buf_puts(out, ARMOR_BEGIN);
	for (off = 0; off < b64.size; off += ARMOR_WRAP) {
		size_t n = b64.size - off < ARMOR_WRAP ? b64.size - off : ARMOR_WRAP;

		accord_buf_put(out, b64.ptr + off, n);
		accord_buf_putc(out, '\n');
	}
	accord_buf_puts(out, ARMOR_END);
	accord_buf_dispose(&b64);
}

/* What a FIDO authenticator signs: SHA-256(application) | flags | counter | SHA-256(tbs). */
static void sk_message(accord_buf *out, const char *application, const unsigned char *flags,
		       const unsigned char *counter, const void *tbs, size_t tbs_len)
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)application, strlen(application));
	accord_buf_put(out, h, sizeof(h));
	accord_buf_put(out, flags, 1);
	accord_buf_put(out, counter, 4);
	crypto_hash_sha256(h, tbs, tbs_len);
	accord_buf_put(out, h, sizeof(h));
}

/*
 * An sk key's signature blob from the agent: string type | string sig[64]
 * | byte flags | uint32 counter, by this key over `tbs`, with the user
 * present. Anything else would be an entry every copy refuses, so nothing
 * is written: EBADSIG, or EDENIED when the key was not touched.
 */
static int check_sk_answer(const accord_key *key, const accord_buf *got, const accord_buf *tbs)
{
	const unsigned char *type, *s, *flags, *counter;
	size_t type_len, s_len;
	accord_buf m = ACCORD_BUF_INIT;
	struct reader r = { (const unsigned char *)got->ptr, got->size };
	int ok;

	if (read_string(&r, &type, &type_len) < 0 || !bytes_eq(type, type_len, SK_ED25519_TYPE) ||
	    read_string(&r, &s, &s_len) < 0 || s_len != crypto_sign_BYTES ||
	    read_bytes(&r, &flags, 1) < 0 || read_bytes(&r, &counter, 4) < 0 || r.left)
		return accord_error_set(ACCORD_EBADSIG,
					"ssh-agent at %s returned no " SK_ED25519_TYPE
					" signature for key %s",
					key->agent, key->pub.id);
	sk_message(&m, key->pub.application, flags, counter, tbs->ptr, tbs->size);
	ok = crypto_sign_verify_detached(s, (const unsigned char *)m.ptr, m.size, key->pub.pk) == 0;
	accord_buf_dispose(&m);
	if (!ok)
		return accord_error_set(
			ACCORD_EBADSIG,
			"ssh-agent at %s returned no valid signature by hardware key %s (application %s)",
			key->agent, key->pub.id, key->pub.application);
	if (!(flags[0] & SK_USER_PRESENT))
		return accord_error_set(
			ACCORD_EDENIED,
			"hardware key %s signed without user presence (flags 0x%02x): every copy refuses such a signature; touch the key when it asks",
			key->pub.id, flags[0]);
	return 0;
}

/*
 * The signature blob (string "ssh-ed25519" | string sig[64], or an sk
 * key's) over `tbs`: made here with the secret key, or by ssh-agent for an
 * agent-held key. What the agent returns is checked before it is used: the
 * right type and length, and a signature by this very key over these very
 * bytes.
 */
static int signature_blob(accord_buf *out, const accord_key *key, const accord_buf *tbs)
{
	unsigned char sig[crypto_sign_BYTES];
	accord_buf pub = ACCORD_BUF_INIT, got = ACCORD_BUF_INIT;
	const unsigned char *type, *s;
	size_t type_len, s_len;
	struct reader r;
	int rc = 0;

	if (!key->agent && key->pub.type != ACCORD_KEY_ED25519)
		return accord_error_set(ACCORD_EINVALID,
					"a hardware key signs only through ssh-agent");
	if (!key->agent) {
		accord_key_sign(sig, key, tbs->ptr, tbs->size);
		accord_buf_put_sshstr(out, ED25519_TYPE, strlen(ED25519_TYPE));
		accord_buf_put_sshstr(out, sig, sizeof(sig));
		return 0;
	}
	accord_pubkey_blob(&pub, &key->pub);
	if ((rc = accord_agent_sign(&got, key->agent, pub.ptr, pub.size, tbs->ptr, tbs->size)) < 0)
		goto done;
	if (key->pub.type == ACCORD_KEY_SK_ED25519) {
		if ((rc = check_sk_answer(key, &got, tbs)) == 0)
			accord_buf_put(out, got.ptr, got.size);
		goto done;
	}
	r.p = (const unsigned char *)got.ptr;
	r.left = got.size;
	if (read_string(&r, &type, &type_len) < 0 || read_string(&r, &s, &s_len) < 0 || r.left ||
	    !bytes_eq(type, type_len, ED25519_TYPE) || s_len != crypto_sign_BYTES ||
	    crypto_sign_verify_detached(s, (const unsigned char *)tbs->ptr, tbs->size,
					key->pub.pk) != 0) {
		rc = accord_error_set(
			ACCORD_EBADSIG,
			"ssh-agent at %s returned no valid ssh-ed25519 signature by key %s",
			key->agent, key->pub.id);
		goto done;
	}
	accord_buf_put(out, got.ptr, got.size);
done:
	accord_buf_dispose(&pub);
	accord_buf_dispose(&got);
	return rc;
}

int accord_sshsig_sign(accord_buf *out, const accord_key *key, const char *namespace,
		       const void *msg, size_t len)
{
	unsigned char hash[crypto_hash_sha512_BYTES];
	accord_buf tbs = ACCORD_BUF_INIT, blob = ACCORD_BUF_INIT, sigblob = ACCORD_BUF_INIT;
	size_t ns_len = strlen(namespace);
	int rc;

	crypto_hash_sha512(hash, msg, len);
	signed_data(&tbs, namespace, ns_len, "", 0, "sha512", hash, sizeof(hash));
	if ((rc = signature_blob(&sigblob, key, &tbs)) < 0)
		goto done;

	accord_buf_put(&blob, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN);
	accord_buf_put_u32(&blob, SSHSIG_VERSION);
	{
		accord_buf pub = ACCORD_BUF_INIT;

		accord_pubkey_blob(&pub, &key->pub);
		accord_buf_put_sshstr(&blob, pub.ptr, pub.size);
		accord_buf_dispose(&pub);
	}
	accord_buf_put_sshstr(&blob, namespace, ns_len);
	accord_buf_put_sshstr(&blob, "", 0);
	accord_buf_put_sshstr(&blob, "sha512", 6);
	accord_buf_put_sshstr(&blob, sigblob.ptr, sigblob.size);
	armor(out, &blob);
done:
	accord_buf_dispose(&tbs);
	accord_buf_dispose(&blob);
	accord_buf_dispose(&sigblob);
	return rc;
}

static int is_b64_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

/*
 * Strip the armor: BEGIN line, base64 lines of 1..76 characters, END line,
 * at most one newline after it and nothing else. Appends the decoded blob.
 */
static int dearmor(accord_buf *blob, const char *armor, size_t len)
{
	const size_t begin_len = sizeof(ARMOR_BEGIN) - 1, end_len = sizeof(ARMOR_END) - 1;
	accord_buf b64 = ACCORD_BUF_INIT;
	const char *p, *stop = armor + len;
	int rc = 0, found_end = 0;

	if (len > ARMOR_MAX)
		return accord_error_set(ACCORD_EINVALID, "SSH signature is too long (%zu bytes)",
					len);
	if (len < begin_len || memcmp(armor, ARMOR_BEGIN, begin_len) != 0)
		return accord_error_set(
			ACCORD_EINVALID,
			"SSH signature does not start with -----BEGIN SSH SIGNATURE-----");
	p = armor + begin_len;
	while (p < stop) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		size_t line_len = nl ? (size_t)(nl - p) : (size_t)(stop - p), i;

		if (line_len == end_len && memcmp(p, ARMOR_END, end_len) == 0) {
			if (nl && nl + 1 != stop) {
				rc = accord_error_set(ACCORD_EINVALID,
						      "unexpected data after the SSH signature");
				goto done;
			}
			found_end = 1;
			break;
		}
		if (!nl)
			break;
		if (line_len == 0 || line_len > ARMOR_LINE_MAX) {
			rc = accord_error_set(ACCORD_EINVALID,
					      "SSH signature has a line of %zu characters",
					      line_len);
			goto done;
		}
		for (i = 0; i < line_len; i++)
			if (!is_b64_char((unsigned char)p[i])) {
				rc = accord_error_set(
					ACCORD_EINVALID,
					"SSH signature contains a non-base64 character");
				goto done;
			}
		accord_buf_put(&b64, p, line_len);
		p = nl + 1;
	}
	if (!found_end) {
		rc = accord_error_set(ACCORD_EINVALID,
				      "SSH signature is truncated (no " ARMOR_END " line)");
		goto done;
	}
	if (b64.size == 0) {
		rc = accord_error_set(ACCORD_EINVALID, "SSH signature is empty");
		goto done;
	}
	if (accord_base64_decode(blob, b64.ptr, b64.size) < 0)
		rc = accord_error_set(ACCORD_EINVALID, "SSH signature is not valid base64");

done:
	accord_buf_dispose(&b64);
	return rc;
}

static int malformed(const char *what)
{
	return accord_error_set(ACCORD_EINVALID, "malformed SSH signature: %s", what);
}

/* Signatures checked by this process: tests count work with it instead of timing it. */
static size_t verify_count;

size_t accord_sshsig_verify_count(void)
{
	return __atomic_load_n(&verify_count, __ATOMIC_RELAXED);
}

static int is_sk_sshsig(const accord_buf *blob);
static int verify_sk_as_pubkey(accord_pubkey *signer, const accord_buf *blob, const char *namespace,
			       const void *msg, size_t len);

/* The SSHSIG fields, each pointing into the decoded blob. */
typedef struct {
	const unsigned char *pub, *ns, *reserved, *alg, *sig;
	size_t pub_len, ns_len, reserved_len, alg_len, sig_len;
} sshsig_fields;

/*
 * The fields of the (ssh-ed25519) SSHSIG in `blob`, and the signature type
 * and bytes of its signature field; each error names the field at fault.
 */
static int read_ed25519_sshsig(sshsig_fields *f, const unsigned char **sigtype, size_t *sigtype_len,
			       const unsigned char **sig, size_t *sig_len, const accord_buf *blob)
{
	const unsigned char *magic;
	struct reader r = { (const unsigned char *)blob->ptr, blob->size }, sr;
	uint32_t version;

	if (read_bytes(&r, &magic, SSHSIG_MAGIC_LEN) < 0 ||
	    memcmp(magic, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN) != 0)
		return malformed("missing SSHSIG magic");
	if (read_u32(&r, &version) < 0)
		return malformed("truncated version");
	if (version != SSHSIG_VERSION)
		return accord_error_set(ACCORD_EINVALID, "unsupported SSH signature version %u",
					version);
	if (read_string(&r, &f->pub, &f->pub_len) < 0)
		return malformed("public key field is truncated or overlong");
	if (read_string(&r, &f->ns, &f->ns_len) < 0)
		return malformed("namespace field is truncated or overlong");
	if (read_string(&r, &f->reserved, &f->reserved_len) < 0)
		return malformed("reserved field is truncated or overlong");
	if (read_string(&r, &f->alg, &f->alg_len) < 0)
		return malformed("hash algorithm field is truncated or overlong");
	if (read_string(&r, &f->sig, &f->sig_len) < 0)
		return malformed("signature field is truncated or overlong");
	if (r.left != 0)
		return malformed("trailing bytes after the signature");
	sr.p = f->sig;
	sr.left = f->sig_len;
	if (read_string(&sr, sigtype, sigtype_len) < 0 || read_string(&sr, sig, sig_len) < 0)
		return malformed("signature blob is truncated or overlong");
	if (sr.left != 0)
		return malformed("trailing bytes in the signature blob");
	return 0;
}

/* `msg` hashed with the SSHSIG hash algorithm `alg` (sha512 or sha256), and its name. */
static int hash_message(unsigned char *hash, size_t *hash_len, const char **hash_name,
			const unsigned char *alg, size_t alg_len, const void *msg, size_t len)
{
	if (bytes_eq(alg, alg_len, "sha512")) {
		*hash_name = "sha512";
		crypto_hash_sha512(hash, msg, len);
		*hash_len = crypto_hash_sha512_BYTES;
	} else if (bytes_eq(alg, alg_len, "sha256")) {
		*hash_name = "sha256";
		crypto_hash_sha256(hash, msg, len);
		*hash_len = crypto_hash_sha256_BYTES;
	} else {
		return accord_error_set(ACCORD_EINVALID,
					"SSH signature uses an unsupported hash algorithm");
	}
	return 0;
}

int accord_sshsig_verify(accord_pubkey *signer, const char *armor, size_t armor_len,
			 const char *namespace, const void *msg, size_t len)
{
	accord_buf blob = ACCORD_BUF_INIT, tbs = ACCORD_BUF_INIT;
	const unsigned char *sigtype, *sig;
	size_t sigtype_len, sig_len;
	unsigned char hash[crypto_hash_sha512_BYTES];
	size_t hash_len = 0;
	const char *hash_name = NULL;
	accord_pubkey pub;
	sshsig_fields f;
	int rc;

	__atomic_add_fetch(&verify_count, 1, __ATOMIC_RELAXED);
	if (!armor || !namespace || (!msg && len))
		return accord_error_set(ACCORD_EINVALID, "nothing to verify");
	if ((rc = dearmor(&blob, armor, armor_len)) < 0)
		goto done;
	if (is_sk_sshsig(&blob)) {
		rc = verify_sk_as_pubkey(signer, &blob, namespace, msg, len);
		goto done;
	}
	if ((rc = read_ed25519_sshsig(&f, &sigtype, &sigtype_len, &sig, &sig_len, &blob)) < 0)
		goto done;
	if ((rc = accord_pubkey_from_blob(&pub, f.pub, f.pub_len)) < 0) {
		accord_error_wrap(rc, "SSH signature");
		goto done;
	}
	if (!bytes_eq(sigtype, sigtype_len, ED25519_TYPE)) {
		rc = malformed("signature type does not match the ssh-ed25519 key");
		goto done;
	}
	if (sig_len != crypto_sign_BYTES) {
		rc = malformed("ssh-ed25519 signature is not 64 bytes");
		goto done;
	}
	if ((rc = hash_message(hash, &hash_len, &hash_name, f.alg, f.alg_len, msg, len)) < 0)
		goto done;

	/* well-formed: the caller may want to name the claimed signer even if it fails below */
	if (signer)
		*signer = pub;

	if (!bytes_eq(f.ns, f.ns_len, namespace)) {
		rc = accord_error_set(ACCORD_EBADSIG,
				      "SSH signature is for another namespace (expected \"%s\")",
				      namespace);
		goto done;
	}
	signed_data(&tbs, f.ns, f.ns_len, f.reserved, f.reserved_len, hash_name, hash, hash_len);
	if (crypto_sign_verify_detached(sig, (const unsigned char *)tbs.ptr, tbs.size, pub.pk) !=
	    0) {
		rc = accord_error_set(ACCORD_EBADSIG, "SSH signature does not verify (key %s)",
				      pub.id);
		goto done;
	}
	rc = 0;

done:
	accord_buf_dispose(&blob);
	accord_buf_dispose(&tbs);
	return rc;
}

static int sshsig_parse(sshsig_fields *f, const accord_buf *blob);

int accord_sshsig_is_canonical(const char *armored, size_t len)
{
	accord_buf blob = ACCORD_BUF_INIT, again = ACCORD_BUF_INIT;
	sshsig_fields f;
	int same;

	if (dearmor(&blob, armored, len) < 0 || sshsig_parse(&f, &blob) < 0) {
		accord_buf_dispose(&blob);
		accord_error_clear();
		return 0;
	}
	/*
	 * The fields accord_sshsig_sign() fixes: the key holder could sign the
	 * same bytes again with sha256, or with bytes in `reserved`, and make a
	 * second valid commit of one entry (explore60c 03).
	 */
	armor(&again, &blob);
	same = again.size == len && memcmp(again.ptr, armored, len) == 0 &&
	       bytes_eq(f.alg, f.alg_len, "sha512") && f.reserved_len == 0;
	accord_buf_dispose(&blob);
	accord_buf_dispose(&again);
	return same;
}

static int sshsig_parse(sshsig_fields *f, const accord_buf *blob)
{
	const unsigned char *magic;
	struct reader r = { (const unsigned char *)blob->ptr, blob->size };
	uint32_t version;

	if (read_bytes(&r, &magic, SSHSIG_MAGIC_LEN) < 0 ||
	    memcmp(magic, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN) != 0)
		return malformed("missing SSHSIG magic");
	if (read_u32(&r, &version) < 0 || version != SSHSIG_VERSION)
		return accord_error_set(ACCORD_EINVALID, "unsupported SSH signature version");
	if (read_string(&r, &f->pub, &f->pub_len) < 0 || read_string(&r, &f->ns, &f->ns_len) < 0 ||
	    read_string(&r, &f->reserved, &f->reserved_len) < 0 ||
	    read_string(&r, &f->alg, &f->alg_len) < 0 || read_string(&r, &f->sig, &f->sig_len) < 0)
		return malformed("a field is truncated or overlong");
	if (r.left != 0)
		return malformed("trailing bytes after the signature");
	return 0;
}

/* The sk public blob: its key and application. */
static int sk_parse_pub(accord_sk_signer *out, const unsigned char *p, size_t n)
{
	struct reader r = { p, n };
	const unsigned char *type, *pk, *app;
	size_t type_len, pk_len, app_len;

	if (read_string(&r, &type, &type_len) < 0 || !bytes_eq(type, type_len, SK_ED25519_TYPE))
		return accord_error_set(ACCORD_EINVALID, "not an " SK_ED25519_TYPE " key");
	if (read_string(&r, &pk, &pk_len) < 0 || pk_len != crypto_sign_PUBLICKEYBYTES ||
	    read_string(&r, &app, &app_len) < 0 || app_len > SK_APPLICATION_MAX || r.left ||
	    memchr(app, '\0', app_len))
		return malformed(SK_ED25519_TYPE " public key is malformed");
	memcpy(out->pk, pk, pk_len);
	memcpy(out->application, app, app_len);
	out->application[app_len] = '\0';
	return 0;
}

/*
 * The sk SSHSIG in `blob` over `msg`: *who gets the key, application, flags
 * and counter once the signature is well-formed (*formed = 1), whether or
 * not it verifies.
 */
static int verify_sk_blob(accord_sk_signer *who, int *formed, const accord_buf *blob,
			  const char *namespace, const void *msg, size_t len)
{
	accord_buf tbs = ACCORD_BUF_INIT, sk_msg = ACCORD_BUF_INIT;
	unsigned char hash[crypto_hash_sha512_BYTES];
	const unsigned char *type, *sig, *flags, *counter;
	size_t type_len, sig_len, hash_len;
	sshsig_fields f;
	struct reader r;
	int rc;

	memset(who, 0, sizeof(*who));
	*formed = 0;
	if ((rc = sshsig_parse(&f, blob)) < 0 || (rc = sk_parse_pub(who, f.pub, f.pub_len)) < 0)
		goto done;
	r.p = f.sig;
	r.left = f.sig_len;
	if (read_string(&r, &type, &type_len) < 0 || !bytes_eq(type, type_len, SK_ED25519_TYPE) ||
	    read_string(&r, &sig, &sig_len) < 0 || sig_len != crypto_sign_BYTES ||
	    read_bytes(&r, &flags, 1) < 0 || read_bytes(&r, &counter, 4) < 0 || r.left) {
		rc = malformed(SK_ED25519_TYPE " signature is malformed");
		goto done;
	}
	who->flags = flags[0];
	who->counter = (uint32_t)counter[0] << 24 | (uint32_t)counter[1] << 16 |
		       (uint32_t)counter[2] << 8 | counter[3];
	if (bytes_eq(f.alg, f.alg_len, "sha512")) {
		crypto_hash_sha512(hash, msg, len);
		hash_len = crypto_hash_sha512_BYTES;
	} else if (bytes_eq(f.alg, f.alg_len, "sha256")) {
		crypto_hash_sha256(hash, msg, len);
		hash_len = crypto_hash_sha256_BYTES;
	} else {
		rc = accord_error_set(ACCORD_EINVALID,
				      "SSH signature uses an unsupported hash algorithm");
		goto done;
	}
	*formed = 1;
	if (!bytes_eq(f.ns, f.ns_len, namespace)) {
		rc = accord_error_set(ACCORD_EBADSIG,
				      "SSH signature is for another namespace (expected \"%s\")",
				      namespace);
		goto done;
	}
	signed_data(&tbs, f.ns, f.ns_len, f.reserved, f.reserved_len,
		    hash_len == crypto_hash_sha512_BYTES ? "sha512" : "sha256", hash, hash_len);
	sk_message(&sk_msg, who->application, flags, counter, tbs.ptr, tbs.size);
	if (crypto_sign_verify_detached(sig, (const unsigned char *)sk_msg.ptr, sk_msg.size,
					who->pk) != 0) {
		rc = accord_error_set(ACCORD_EBADSIG,
				      "SSH signature does not verify (" SK_ED25519_TYPE ")");
		goto done;
	}
	/* as ssh-keygen -Y verify by default: the key was touched */
	if (!(who->flags & SK_USER_PRESENT)) {
		rc = accord_error_set(
			ACCORD_EBADSIG,
			"SSH signature was made without user presence (the hardware key was not touched)");
		goto done;
	}
	rc = 0;
done:
	accord_buf_dispose(&tbs);
	accord_buf_dispose(&sk_msg);
	return rc;
}

int accord_sshsig_verify_sk(accord_sk_signer *signer, const char *armor_text, size_t armor_len,
			    const char *namespace, const void *msg, size_t len)
{
	accord_buf blob = ACCORD_BUF_INIT;
	accord_sk_signer who;
	int rc, formed = 0;

	__atomic_add_fetch(&verify_count, 1, __ATOMIC_RELAXED);
	memset(&who, 0, sizeof(who));
	if (!armor_text || !namespace || (!msg && len))
		return accord_error_set(ACCORD_EINVALID, "nothing to verify");
	if ((rc = dearmor(&blob, armor_text, armor_len)) == 0)
		rc = verify_sk_blob(&who, &formed, &blob, namespace, msg, len);
	if (formed && signer)
		*signer = who;
	accord_buf_dispose(&blob);
	return rc;
}

/* Whether an SSHSIG blob names an sk public key. */
static int is_sk_sshsig(const accord_buf *blob)
{
	const unsigned char *type;
	size_t type_len;
	sshsig_fields f;
	struct reader r;

	if (sshsig_parse(&f, blob) < 0) {
		accord_error_clear();
		return 0;
	}
	r.p = f.pub;
	r.left = f.pub_len;
	return read_string(&r, &type, &type_len) == 0 && bytes_eq(type, type_len, SK_ED25519_TYPE);
}

/* accord_sshsig_verify for an sk key: the signer as a public key of type sk. */
static int verify_sk_as_pubkey(accord_pubkey *signer, const accord_buf *blob, const char *namespace,
			       const void *msg, size_t len)
{
	accord_sk_signer who;
	accord_pubkey pub;
	int rc, formed;

	rc = verify_sk_blob(&who, &formed, blob, namespace, msg, len);
	if (!formed)
		return rc;
	memset(&pub, 0, sizeof(pub));
	memcpy(pub.pk, who.pk, sizeof(pub.pk));
	pub.type = ACCORD_KEY_SK_ED25519;
	accord_pubkey_set_id(&pub);
	/* no member can hold an application accord refuses: the signer is named all the same */
	if (strlen(who.application) <= ACCORD_SK_APPLICATION_MAX)
		memcpy(pub.application, who.application, strlen(who.application) + 1);
	if (signer)
		*signer = pub;
	if (rc == 0 && !accord_sk_application_valid(pub.application))
		rc = malformed(SK_ED25519_TYPE " key with an application accord does not accept");
	return rc;
}
