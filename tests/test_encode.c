/* Hex, base64 and SHA-256: known answers, round trips, and one encoding per value. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "encode.h"
#include "accord/error.h"

static void test_hex_encode_every_byte(void **state)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char bin[256];
	char out[513], want[513];
	size_t i;

	(void)state;
	for (i = 0; i < 256; i++) {
		bin[i] = (unsigned char)i;
		want[2 * i] = digits[i >> 4];
		want[2 * i + 1] = digits[i & 15];
	}
	want[512] = '\0';
	memset(out, '#', sizeof(out));
	accord_hex_encode(out, bin, 256);
	assert_string_equal(out, want);
	assert_memory_equal(out, "000102030405060708090a0b0c0d0e0f10", 34);
	assert_string_equal(out + 512 - 8, "fcfdfeff");
	/* RFC 4648 section 10 (base16), in accord's lowercase */
	accord_hex_encode(out, (const unsigned char *)"foobar", 6);
	assert_string_equal(out, "666f6f626172");
	memset(out, '#', sizeof(out));
	accord_hex_encode(out, bin, 0);
	assert_string_equal(out, "");
}

static void test_hex_decode_known_and_round_trip(void **state)
{
	unsigned char bin[256], back[256];
	char hex[513];
	size_t i;

	(void)state;
	for (i = 0; i < 256; i++)
		bin[i] = (unsigned char)(255 - i);
	accord_hex_encode(hex, bin, 256);
	memset(back, 0, sizeof(back));
	assert_int_equal(accord_hex_decode(back, 256, hex), 0);
	assert_memory_equal(back, bin, 256);
	/* upper and mixed case decode to the same bytes, as documented */
	assert_int_equal(accord_hex_decode(back, 6, "666F6F626172"), 0);
	assert_memory_equal(back, "foobar", 6);
	assert_int_equal(accord_hex_decode(back, 4, "dEaDBeeF"), 0);
	assert_memory_equal(back, "\xde\xad\xbe\xef", 4);
	assert_int_equal(accord_hex_decode(back, 0, ""), 0);
}

static void test_hex_decode_rejects_malformed(void **state)
{
	static const struct {
		const char *hex;
		size_t len;
	} bad[] = {
		{ "abc", 2 },	 /* odd: one digit short */
		{ "abcde", 2 },	 /* odd: one digit long */
		{ "abcdef", 2 }, /* a whole byte too many */
		{ "ab", 2 },	 /* too few */
		{ "", 1 },	 { "zz", 1 },	    { "0g", 1 }, { "g0", 1 },
		{ " a", 1 },	 { "a ", 1 },	    { "0x", 1 }, { "+1", 1 },
		{ "-1", 1 },	 { "\xff\xfe", 1 }, /* bytes above ASCII */
		{ "abcd:f", 3 }, { "ab\0d", 2 },    /* a NUL where a digit should be */
	};
	unsigned char out[8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (accord_hex_decode(out, bad[i].len, bad[i].hex) != ACCORD_EINVALID)
			print_error("case %zu: \"%s\" was accepted\n", i, bad[i].hex);
		assert_int_equal(accord_hex_decode(out, bad[i].len, bad[i].hex), ACCORD_EINVALID);
	}
	accord_error_clear();
	assert_int_equal(accord_hex_decode(out, 2, "abc"), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "expected 4 hex digits"));
}

static void test_is_lower_hex(void **state)
{
	(void)state;
	assert_true(accord_is_lower_hex("0123456789abcdef", 16));
	assert_true(accord_is_lower_hex("", 0));
	assert_false(accord_is_lower_hex("0123456789ABCDEF", 16)); /* one spelling only */
	assert_false(accord_is_lower_hex("0123456789abcdeF", 16));
	assert_false(accord_is_lower_hex("abcdef", 4)); /* longer than n */
	assert_false(accord_is_lower_hex("ab", 4));	/* shorter than n */
	assert_false(accord_is_lower_hex("abgd", 4));
	assert_false(accord_is_lower_hex("ab d", 4));
	assert_false(accord_is_lower_hex("x", 0));
}

/* RFC 4648 section 10. */
static const struct {
	const char *bin, *b64;
} rfc4648[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static void test_base64_rfc4648_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		accord_buf enc = ACCORD_BUF_INIT, dec = ACCORD_BUF_INIT;
		size_t blen = strlen(rfc4648[i].bin), elen = strlen(rfc4648[i].b64);

		accord_base64_encode(&enc, (const unsigned char *)rfc4648[i].bin, blen);
		assert_int_equal(enc.size, elen);
		assert_string_equal(enc.ptr, rfc4648[i].b64);
		assert_int_equal(accord_base64_decode(&dec, rfc4648[i].b64, elen), 0);
		assert_int_equal(dec.size, blen);
		assert_non_null(dec.ptr);
		assert_memory_equal(dec.ptr, rfc4648[i].bin, blen);
		assert_int_equal(dec.ptr[dec.size], '\0');
		accord_buf_dispose(&enc);
		accord_buf_dispose(&dec);
	}
}

static void test_base64_alphabet_is_standard(void **state)
{
	static const unsigned char bin[] = { 0xfb, 0xff, 0xbf, 0x00, 0x10, 0x83 };
	accord_buf enc = ACCORD_BUF_INIT, dec = ACCORD_BUF_INIT;

	(void)state;
	/* '+' and '/' (not the URL-safe '-' and '_') */
	accord_base64_encode(&enc, bin, sizeof(bin));
	assert_string_equal(enc.ptr, "+/+/ABCD");
	assert_int_equal(accord_base64_decode(&dec, "+/+/ABCD", 8), 0);
	assert_int_equal(dec.size, sizeof(bin));
	assert_memory_equal(dec.ptr, bin, sizeof(bin));
	accord_buf_dispose(&dec);
	assert_int_equal(accord_base64_decode(&dec, "-_-_ABCD", 8), ACCORD_EINVALID);
	accord_buf_dispose(&enc);
	accord_buf_dispose(&dec);
}

static void test_base64_round_trips_and_appends(void **state)
{
	unsigned char bin[300];
	size_t len, i;

	(void)state;
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 37 + 11);
	for (len = 0; len <= sizeof(bin); len++) {
		accord_buf enc = ACCORD_BUF_INIT, dec = ACCORD_BUF_INIT;

		/* both append after what the buffer holds */
		accord_buf_puts(&enc, "pre:");
		accord_base64_encode(&enc, bin, len);
		assert_int_equal(enc.size, 4 + (len + 2) / 3 * 4);
		assert_int_equal(strlen(enc.ptr), enc.size);
		accord_buf_put(&dec, "X\0Y", 3);
		assert_int_equal(accord_base64_decode(&dec, enc.ptr + 4, enc.size - 4), 0);
		assert_int_equal(dec.size, 3 + len);
		assert_memory_equal(dec.ptr, "X\0Y", 3);
		assert_memory_equal(dec.ptr + 3, bin, len);
		assert_int_equal(dec.ptr[dec.size], '\0');
		accord_buf_dispose(&enc);
		accord_buf_dispose(&dec);
	}
}

/*
 * Each byte string has exactly one base64 spelling accord accepts: the
 * padded, canonical one. Everything else, including spellings other
 * decoders take for the same bytes, is ACCORD_EINVALID.
 */
static void test_base64_rejects_malformed_and_non_canonical(void **state)
{
	static const struct {
		const char *b64;
		size_t len;
		const char *why;
	} bad[] = {
		{ "Zg", 2, "padding missing" },
		{ "Zg=", 3, "padding short" },
		{ "Zm9vYg", 6, "padding missing, longer input" },
		{ "Zg===", 5, "padding long" },
		{ "Zg==\n", 5, "a newline after" },
		{ "Zm9v\nYmFy", 9, "a newline inside" },
		{ "Zm9v YmFy", 9, "a space inside" },
		{ " Zm9vYmF", 8, "a space before" },
		{ "Zh==", 4, "non-zero bits under the padding (\"f\" is Zg==)" },
		{ "Zm9=", 4, "non-zero bits under the padding (\"fo\" is Zm8=)" },
		{ "Zm9vYh==", 8, "non-zero bits after a full group" },
		{ "Z===", 4, "one character cannot hold a byte" },
		{ "====", 4, "padding alone" },
		{ "=Zg=", 4, "padding first" },
		{ "Zg=A", 4, "data after padding" },
		{ "Zm8=Zm8=", 8, "padding in the middle" },
		{ "Zm9vYmFy====", 12, "a group of padding after full data" },
		{ "Zm9v*mFy", 8, "a character outside the alphabet" },
		{ "Zm9v\xc3\xa9mF", 8, "bytes above ASCII" },
		{ "Zm9v\0mFy", 8, "a NUL inside" },
		{ "Zm9vYmFy", 7, "the length cuts a group" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		accord_buf dec = ACCORD_BUF_INIT;
		int error;

		accord_buf_puts(&dec, "kept");
		error = accord_base64_decode(&dec, bad[i].b64, bad[i].len);
		if (error != ACCORD_EINVALID)
			print_error("case %zu (%s) gave %d\n", i, bad[i].why, error);
		assert_int_equal(error, ACCORD_EINVALID);
		/* what the buffer held is untouched, and still a C string */
		assert_int_equal(dec.size, 4);
		assert_string_equal(dec.ptr, "kept");
		accord_buf_dispose(&dec);
	}
	/*
	 * Every byte outside ASCII, where '/' would be valid: libsodium 1.0.18
	 * alone decodes each of them as '/', a second spelling of "AAA/".
	 */
	{
		int c;

		for (c = 0x80; c <= 0xff; c++) {
			accord_buf dec = ACCORD_BUF_INIT;
			char s[5] = "AAA/";

			s[3] = (char)c;
			if (accord_base64_decode(&dec, s, 4) != ACCORD_EINVALID)
				print_error("byte %#x decoded to %02x\n", c,
					    dec.size == 3 ? (unsigned char)dec.ptr[2] : 0);
			assert_int_equal(accord_base64_decode(&dec, s, 4), ACCORD_EINVALID);
			assert_int_equal(dec.size, 0);
			accord_buf_dispose(&dec);
		}
	}
	/* and the canonical spellings of the same values are accepted */
	{
		accord_buf dec = ACCORD_BUF_INIT;

		assert_int_equal(accord_base64_decode(&dec, "Zg==Zm8=", 4), 0);
		assert_int_equal(accord_base64_decode(&dec, "Zm8=", 4), 0);
		assert_int_equal(accord_base64_decode(&dec, "Zm9vYmFy", 8), 0);
		assert_int_equal(dec.size, 1 + 2 + 6);
		assert_memory_equal(dec.ptr, "ffofoobar", 9);
		accord_buf_dispose(&dec);
	}
}

static void test_sha256_vectors(void **state)
{
	static const struct {
		const char *msg, *hex;
	} vectors[] = {
		/* FIPS 180-2 appendix B and the empty message */
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	unsigned char digest[32];
	char hex[65];
	char *million;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		accord_sha256(digest, vectors[i].msg, strlen(vectors[i].msg));
		accord_hex_encode(hex, digest, 32);
		assert_string_equal(hex, vectors[i].hex);
	}
	million = malloc(1000000);
	assert_non_null(million);
	memset(million, 'a', 1000000);
	accord_sha256(digest, million, 1000000);
	accord_hex_encode(hex, digest, 32);
	assert_string_equal(hex,
			    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
	/* the length is obeyed, NULs are data */
	accord_sha256(digest, "abc\0def", 3);
	accord_hex_encode(hex, digest, 32);
	assert_string_equal(hex, vectors[1].hex);
}

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_encode_every_byte),
		cmocka_unit_test(test_hex_decode_known_and_round_trip),
		cmocka_unit_test(test_hex_decode_rejects_malformed),
		cmocka_unit_test(test_is_lower_hex),
		cmocka_unit_test(test_base64_rfc4648_vectors),
		cmocka_unit_test(test_base64_alphabet_is_standard),
		cmocka_unit_test(test_base64_round_trips_and_appends),
		cmocka_unit_test(test_base64_rejects_malformed_and_non_canonical),
		cmocka_unit_test(test_sha256_vectors),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
