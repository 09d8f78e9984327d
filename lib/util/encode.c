#include <string.h>

#include <sodium.h>

#include "encode.h"
#include "accord/error.h"

void accord_hex_encode(char *out, const unsigned char *bin, size_t len)
{
	sodium_bin2hex(out, len * 2 + 1, bin, len);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int accord_hex_decode(unsigned char *out, size_t len, const char *hex)
{
	size_t i;

	if (strlen(hex) != len * 2)
		return accord_error_set(ACCORD_EINVALID, "expected %zu hex digits", len * 2);
	for (i = 0; i < len; i++) {
		int hi = hexval((unsigned char)hex[2 * i]),
		    lo = hexval((unsigned char)hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return accord_error_set(ACCORD_EINVALID, "invalid hex digit");
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int accord_is_lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

void accord_base64_encode(accord_buf *out, const unsigned char *bin, size_t len)
{
	size_t b64len = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);

	accord_buf_grow(out, b64len);
	sodium_bin2base64(out->ptr + out->size, b64len, bin, len, sodium_base64_VARIANT_ORIGINAL);
	out->size += b64len - 1;
}

int accord_base64_alphabet(const char *b64, size_t len)
{
	/* libsodium 1.0.18 decodes every byte >= 0x80 as '/': a second spelling of the same bytes */
	for (size_t i = 0; i < len; i++) {
		char c = b64[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '='))
			return 0;
	}
	return 1;
}

int accord_base64_decode(accord_buf *out, const char *b64, size_t len)
{
	size_t maxbin = len / 4 * 3 + 3, binlen = 0;
	const char *end = NULL;

	if (len % 4 != 0)
		return accord_error_set(ACCORD_EINVALID, "invalid base64 length");
	if (!accord_base64_alphabet(b64, len))
		return accord_error_set(ACCORD_EINVALID, "invalid base64 character");
	accord_buf_grow(out, maxbin);
	if (sodium_base642bin((unsigned char *)out->ptr + out->size, maxbin, b64, len, NULL,
			      &binlen, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != b64 + len) {
		out->ptr[out->size] = '\0'; /* the decoder may have written past it */
		return accord_error_set(ACCORD_EINVALID, "invalid base64");
	}
	out->size += binlen;
	out->ptr[out->size] = '\0';
	return 0;
}

void accord_sha256(unsigned char out[32], const void *data, size_t len)
{
	crypto_hash_sha256(out, data, len);
}
