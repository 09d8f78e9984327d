/*
 * Inside the key module: what its three parts share. Not part of the
 * public API (callers use include/accord/key.h); never installed.
 *
 *   key.c          a key in memory and the forms of a public key (blob,
 *                  OpenSSH line, key id); names
 *   key_file.c     the key home on disk: the secret key file format,
 *                  key.pub, the ssh-agent marker, rotation
 *   key_openssh.c  importing an OpenSSH private key
 */
#ifndef ACCORD_KEY_IMPL_H
#define ACCORD_KEY_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <sodium.h>

#include "accord/key.h"

#define SEED_LEN crypto_sign_SEEDBYTES

#define ED25519_TYPE "ssh-ed25519"
#define ED25519_TYPE_LEN 11

/* accord_key_read_small() flags */
#define READ_PRIVATE 1 /* refuse a file another user owns, or group/other permission bits */
#define READ_FOLLOW 2  /* follow a symlink (files we only read, never our own key) */

static inline uint32_t get_u32be(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* accord_name_valid() (accord/name.h), else ACCORD_EINVALID saying what a name may be. */
int accord_key_check_name(const char *name);

/* A zeroed key with room for a secret key (sodium_malloc). NULL when out of memory. */
accord_key *accord_key_alloc(void);

/*
 * A private key file must be its reader's alone: owned by it (the owner can
 * read or replace the key whatever the mode) and closed to group and others.
 * ACCORD_EDENIED otherwise.
 */
int accord_key_private_file_ok(const char *path, const struct stat *st);

/*
 * Read a small file, by default without following a symlink at its last
 * component (`flags`: READ_*). `buf` has room for `cap` bytes plus a NUL.
 * `st_out`, if not NULL, gets the file's status. ACCORD_ENOTFOUND if it
 * does not exist.
 */
int accord_key_read_small(char *buf, size_t cap, size_t *len, const char *path, int flags,
			  struct stat *st_out);

#endif
