#ifndef ACCORD_SSHSIG_H
#define ACCORD_SSHSIG_H

#include <stddef.h>
#include <stdint.h>

#include "accord/buf.h"
#include "accord/key.h"

/*
 * SSHSIG signatures (OpenSSH PROTOCOL.sshsig), the format git uses for
 * gpg.format=ssh. Ed25519 keys of both SSH types (ssh-ed25519, and
 * sk-ssh-ed25519@openssh.com through ssh-agent) and the sha512 hash are
 * produced; verification accepts sha256 and sha512.
 */

/*
 * Sign `msg` in `namespace` ("git" for commits) and append the armored
 * signature ("-----BEGIN SSH SIGNATURE-----\n" ... base64 wrapped at 70
 * columns ... "-----END SSH SIGNATURE-----", no trailing newline) to `out`.
 * A key held by ssh-agent signs through the agent: then it fails as
 * accord_agent_sign does, or ACCORD_EBADSIG if the agent's answer is not
 * a signature by that key (for an sk key: over the FIDO message, with its
 * application), ACCORD_EDENIED if a hardware key signed without the
 * user-presence flag. A key in memory never fails.
 */
int accord_sshsig_sign(accord_buf *out, const accord_key *key, const char *namespace,
		       const void *msg, size_t len);

/*
 * Verify an armored SSHSIG (`armor`, `armor_len` bytes, trailing newline
 * allowed) over `msg` in `namespace`, by an ssh-ed25519 key or, as
 * accord_sshsig_verify_sk (user presence required), an sk key. The public
 * key inside the signature, with its type and application, is returned in
 * *signer (if non-NULL) whether or not it matches anything; the caller
 * decides whether that key is allowed (and as which type). An sk key
 * whose application accord does not accept is ACCORD_EINVALID. Returns 0 if the
 * signature is valid, ACCORD_EINVALID if the armor or blob is malformed,
 * ACCORD_EBADSIG if the namespace differs or the signature does not verify.
 */
int accord_sshsig_verify(accord_pubkey *signer, const char *armor, size_t armor_len,
			 const char *namespace, const void *msg, size_t len);

/* The signer of an sk-ssh-ed25519@openssh.com (FIDO) signature. */
typedef struct {
	unsigned char pk[32];  /* the Ed25519 key */
	char application[256]; /* the FIDO application, usually "ssh:" */
	unsigned char flags;   /* the authenticator's flags: 0x01 user present */
	uint32_t counter;      /* its signature counter */
} accord_sk_signer;

/*
 * Verify an armored SSHSIG made by a FIDO key (OpenSSH PROTOCOL.u2f), as
 * `ssh-keygen -Y verify` does: the Ed25519 signature over
 * SHA-256(application) | flags | counter | SHA-256(the SSHSIG data), and
 * the user-presence flag set. *signer (may be NULL) gets the key,
 * application, flags and counter once the signature is well-formed.
 * Errors as accord_sshsig_verify. Checking the counter against earlier
 * ones is the caller's business.
 */
int accord_sshsig_verify_sk(accord_sk_signer *signer, const char *armor, size_t armor_len,
			    const char *namespace, const void *msg, size_t len);

/* How many signatures this process has checked (for tests that count work). */
size_t accord_sshsig_verify_count(void);

/*
 * 1 if `armored` is byte for byte the armor accord_sshsig_sign() writes
 * for the blob it holds (BEGIN line, base64 wrapped at 70 columns, END
 * line, no final newline), with the hash sha512 and nothing reserved. Any
 * other wrapping or signature of the same bytes is a second encoding of
 * the same commit, which accord refuses.
 */
int accord_sshsig_is_canonical(const char *armored, size_t len);

#endif
