#ifndef ACCORD_KEY_H
#define ACCORD_KEY_H

#include <stddef.h>

#include <sodium.h>

#include "accord/buf.h"

/*
 * Ed25519 member keys.
 *
 * A key id is the lowercase hex of the first 16 bytes of SHA-256 over the
 * 32-byte public key (32 hex digits). It names the member's feed ref
 * refs/accord/feeds/<key id>.
 *
 * Files in the key home (a 0700 folder outside any ledger):
 *   key      secret key, mode 0600, created with O_EXCL|O_NOFOLLOW:
 *              "untrusted comment: accord secret key <name>\n<base64>\n"
 *            The base64 body: "ACS1" | kdf (1 byte: 0 none, 1 Argon2id)
 *              | opslimit (u64 BE) | memlimit (u64 BE) | salt[16]
 *              | nonce[24] | secretbox(seed[32]) (48 bytes), or, without
 *              a passphrase, the same layout with kdf 0, zeroes for the kdf
 *              fields and the seed stored in place of the box (+16 zero bytes).
 *   key.pub  the OpenSSH public line "ssh-ed25519 AAAA... <name>\n", 0644.
 */

#define ACCORD_KEYID_HEXLEN 32

/*
 * The SSH key types of a member key. Both are Ed25519 keys with the same
 * key id; they differ in what is signed, so a member's type (recorded by
 * the entry that admits it) says how its signatures are checked.
 */
typedef enum {
	ACCORD_KEY_ED25519 = 0, /* ssh-ed25519 */
	ACCORD_KEY_SK_ED25519 =
		1 /* sk-ssh-ed25519@openssh.com: a FIDO key, signing through ssh-agent */
} accord_key_type;

#define ACCORD_KEY_TYPE_SK "sk-ssh-ed25519@openssh.com"
/* A FIDO application accord accepts: "ssh:" and up to 60 printable, non-space ASCII bytes. */
#define ACCORD_SK_APPLICATION_MAX 64

typedef struct {
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	char id[ACCORD_KEYID_HEXLEN + 1];
	char name[65];
	accord_key_type type;
	char application[ACCORD_SK_APPLICATION_MAX + 1]; /* an sk key's FIDO application, else "" */
} accord_pubkey;

/* "ssh-ed25519" or "sk-ssh-ed25519@openssh.com". */
const char *accord_pubkey_type_name(const accord_pubkey *pub);

/* 1 if `a` and `b` are the same SSH key: key, type and (sk) application. */
int accord_pubkey_same(const accord_pubkey *a, const accord_pubkey *b);

/* 1 if `app` is a FIDO application accord accepts (see ACCORD_SK_APPLICATION_MAX). */
int accord_sk_application_valid(const char *app);

/*
 * A loaded secret key lives in sodium_malloc memory; a key held by
 * ssh-agent has no secret here, only the agent's socket.
 */
typedef struct {
	accord_pubkey pub;
	unsigned char *sk; /* crypto_sign_SECRETKEYBYTES, sodium_malloc'd; NULL for an agent key */
	char *agent;	   /* the ssh-agent socket that signs for it, or NULL */
	/*
	 * The key home it was loaded from, or NULL: an append records there
	 * the last seq this key signed in each ledger, and never signs at or
	 * below it (lib/ledger/ledger_append.c).
	 */
	char *home;
} accord_key;

/* Fill pub->id from pub->pk. */
void accord_pubkey_set_id(accord_pubkey *pub);

/*
 * The SSH public key blob: string "ssh-ed25519" | string pk (51 bytes),
 * or for an sk key string "sk-ssh-ed25519@openssh.com" | string pk |
 * string application.
 */
void accord_pubkey_blob(accord_buf *out, const accord_pubkey *pub);

/* "<type> <base64 blob> <name>" (no newline). */
void accord_pubkey_to_openssh(accord_buf *out, const accord_pubkey *pub);

/*
 * Parse an OpenSSH line "ssh-ed25519 <base64> [comment]" or
 * "sk-ssh-ed25519@openssh.com <base64> [comment]"; the comment (first 63
 * bytes) becomes the name. ACCORD_EINVALID for other key types, an sk
 * application accord does not accept, or malformed lines.
 */
int accord_pubkey_from_openssh(accord_pubkey *out, const char *line);

/*
 * Where the key home comes from. The library reads no environment: the
 * program fills these in (the CLI: --home or $ACCORD_HOME, $XDG_CONFIG_HOME,
 * $HOME). NULL or empty fields are absent.
 */
typedef struct {
	unsigned int version;
	const char *home;	     /* the key home itself, used as it is */
	const char *xdg_config_home; /* <it>/accord, when it is absolute */
	const char *user_home;	     /* <it>/.config/accord */
} accord_key_home_options;

#define ACCORD_KEY_HOME_OPTIONS_VERSION 1
#define ACCORD_KEY_HOME_OPTIONS_INIT                              \
	{                                                         \
		ACCORD_KEY_HOME_OPTIONS_VERSION, NULL, NULL, NULL \
	}

/*
 * Resolve the key home: opts->home if set, else <xdg_config_home>/accord
 * when that is absolute (XDG says relative values are to be ignored), else
 * <user_home>/.config/accord; ACCORD_ERROR when none is set. The caller
 * frees *out.
 */
int accord_key_home(char **out, const accord_key_home_options *opts);

/*
 * Generate a key into `home` (created 0700 if missing). With a non-empty
 * passphrase the seed is sealed with Argon2id (crypto_pwhash) and
 * secretbox. ACCORD_EEXISTS if a key exists there and !force; with force
 * the old files are replaced atomically (rename). Returns the new key.
 */
int accord_key_generate(accord_key **out, const char *home, const char *name,
			const char *passphrase, int force);

/*
 * Load the secret key from `home`. `passphrase` may be NULL when the key
 * is not encrypted. Refuses a key file that is group or world readable
 * (ACCORD_EDENIED), a symlink, or malformed (ACCORD_EINVALID);
 * ACCORD_EPASS when a passphrase is needed and missing or wrong;
 * ACCORD_ENOTFOUND if there is no key.
 */
int accord_key_load(accord_key **out, const char *home, const char *passphrase);

/* True if the key in `home` is passphrase-protected (0 if absent or plain). */
int accord_key_is_encrypted(const char *home);

/* Load only key.pub (no passphrase needed). */
int accord_key_load_public(accord_pubkey *out, const char *home);

/* Wipe and free. NULL-safe. */
void accord_key_free(accord_key *key);

/* Ed25519 detached signature over `len` bytes. */
void accord_key_sign(unsigned char sig[crypto_sign_BYTES], const accord_key *key, const void *msg,
		     size_t len);

/*
 * Parse an SSH public key blob as accord_pubkey_blob writes it, with
 * nothing after it. The name is left empty. ACCORD_EINVALID for other key
 * types, wrong lengths, trailing bytes or an sk application accord does
 * not accept.
 */
int accord_pubkey_from_blob(accord_pubkey *out, const void *blob, size_t len);

/*
 * Write `key` into `home` (created 0700 if missing) as accord_key_generate
 * does: key 0600 (sealed with Argon2id + secretbox when `passphrase` is
 * non-empty) and key.pub, via temporary files and rename. The name is
 * key->pub.name (1-63 printable ASCII). ACCORD_EEXISTS if a key exists and
 * !force; ACCORD_EINVALID if the secret key doesn't match key->pub.pk.
 */
int accord_key_save(const accord_key *key, const char *home, const char *passphrase, int force);

/* Set the key's name (1-63 printable ASCII, no edge spaces), else ACCORD_EINVALID. */
int accord_key_set_name(accord_key *key, const char *name);

/*
 * Parse an unencrypted OpenSSH ed25519 private key ("-----BEGIN OPENSSH
 * PRIVATE KEY-----", as ssh-keygen writes it; at most 16 KiB) held in
 * `pem`. The key's comment becomes its name if it is a name
 * (accord_name_valid, accord/name.h); otherwise the name is empty. `source` names the input in messages (NULL: "the key").
 * ACCORD_EINVALID for malformed, truncated or inconsistent files (the
 * public key, the secret key's second half and the seed must agree), for
 * other key types, and for encrypted keys (which must be decrypted with
 * ssh-keygen -p first: libsodium has no bcrypt_pbkdf or AES-CTR). The
 * caller frees *out with accord_key_free().
 */
int accord_key_from_openssh(accord_key **out, const char *pem, size_t len, const char *source);

/*
 * accord_key_from_openssh on the file at `path` (symlinks followed).
 * ACCORD_EDENIED if it is a private key that group or others may access,
 * as accord_key_load refuses its own key file: chmod 600.
 */
int accord_key_read_openssh(accord_key **out, const char *path);

/*
 * Import an OpenSSH ed25519 private key (see accord_key_from_openssh) into
 * `home` with accord_key_save. The name is `name` if non-NULL, else the
 * key's comment; ACCORD_EINVALID if neither is usable. Returns the key.
 */
int accord_key_import_openssh(accord_key **out, const char *home, const char *pem, size_t len,
			      const char *name, const char *passphrase, int force);

/*
 * A member key held by ssh-agent: `home` gets key.pub for `pub` and a
 * marker "agent", never a private key byte. ACCORD_EEXISTS if a key is
 * there and !force; with force a key file there is removed.
 */
int accord_key_import_agent(const char *home, const accord_pubkey *pub, int force);

/* True if the key in `home` is held by ssh-agent (a marker and no key file). */
int accord_key_is_agent(const char *home);

/*
 * Load the agent-held key of `home`, signing through the agent at `sock`
 * ($SSH_AUTH_SOCK). ACCORD_ENOTFOUND if there is no agent there or it does
 * not hold the key (the message says to ssh-add it).
 */
int accord_key_load_agent(accord_key **out, const char *home, const char *sock);

/*
 * Key rotation's last step: the key in `home` is replaced by the one in
 * `staged` (a key home on the same filesystem, made by
 * accord_key_generate or accord_key_import_agent), which is then removed.
 * The old private key file is kept aside as key.old-<old_id> (renamed, so
 * still 0600 and sealed as it was) and its public line as
 * key.old-<old_id>.pub: nothing loads them again.
 */
int accord_key_replace(const char *home, const char *staged, const char *old_id);

#endif
