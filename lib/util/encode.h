#ifndef ACCORD_ENCODE_H
#define ACCORD_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "accord/buf.h"

/* Lowercase hex of `len` bytes into `out` (2*len+1 bytes, NUL-terminated). */
void accord_hex_encode(char *out, const unsigned char *bin, size_t len);

/*
 * Decode exactly `len` bytes from lowercase or uppercase hex; the string
 * must have exactly 2*len hex digits. ACCORD_EINVALID otherwise.
 */
int accord_hex_decode(unsigned char *out, size_t len, const char *hex);

/* True if `s` is exactly `n` lowercase hex digits. */
int accord_is_lower_hex(const char *s, size_t n);

/* Standard base64 with padding (as OpenSSH and git use), appended to `out`. */
void accord_base64_encode(accord_buf *out, const unsigned char *bin, size_t len);

/*
 * Decode standard base64 (padding required, no whitespace) and append the
 * bytes to `out`. ACCORD_EINVALID on any malformed input.
 */
/**
 * 1 if `len` bytes of `b64` are all of the base64 alphabet (and '='). Call
 * before sodium_base642bin, which reads every byte >= 0x80 as '/'.
 */
int accord_base64_alphabet(const char *b64, size_t len);

int accord_base64_decode(accord_buf *out, const char *b64, size_t len);

/* SHA-256 of `len` bytes. */
void accord_sha256(unsigned char out[32], const void *data, size_t len);

#endif
