/* accord_escape: what of other parties' text may reach a terminal, and how the rest is shown. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "escape.h"

/* accord_escape(s, flags) as a new string, compared with `want`. */
static void assert_escapes_to(const char *s, unsigned flags, const char *want)
{
	char *got = accord_escape_dup(s, flags);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void assert_json_escapes_to(const char *json, const char *want)
{
	accord_buf b = ACCORD_BUF_INIT;

	accord_escape_json(&b, json);
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, want);
	accord_buf_dispose(&b);
}

/* No byte of `s` is an ESC, another C0 control but newline, or a C1/bidi control in UTF-8. */
static void assert_inert(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t off;

	for (; *p; p++)
		assert_true(*p >= 0x20 || *p == '\n' || *p == '\t');
	assert_int_equal(accord_text_find_forbidden(&cp, &off, s, 1), 0);
}

static void test_escape_char_allowed_classes(void **state)
{
	static const uint32_t refused[] = {
		0x00,	0x07,	0x1b,	0x1f,	0x7f,	0x80,	0x85,	0x9b,	0x9f,
		0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066,
		0x2067, 0x2068, 0x2069, 0x2028, 0x2029, 0xfff9, 0xfffa, 0xfffb,
	};
	static const uint32_t allowed[] = {
		' ',	'a',	'~',	0xa0,	0xe9,	0x061b, 0x200d,	 0x2010,
		0x2027, 0x2065, 0x206a, 0xfff8, 0xfffc, 0xfffd, 0x1f600, 0x10ffff,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		assert_false(accord_text_char_allowed(refused[i], 0));
		assert_false(accord_text_char_allowed(refused[i], 1));
	}
	for (i = 0; i < sizeof(allowed) / sizeof(*allowed); i++) {
		assert_true(accord_text_char_allowed(allowed[i], 0));
		assert_true(accord_text_char_allowed(allowed[i], 1));
	}
	/* newline and tab only in multi-line text; carriage return never */
	assert_false(accord_text_char_allowed('\n', 0));
	assert_false(accord_text_char_allowed('\t', 0));
	assert_true(accord_text_char_allowed('\n', 1));
	assert_true(accord_text_char_allowed('\t', 1));
	assert_false(accord_text_char_allowed('\r', 1));
}

static void test_escape_find_forbidden(void **state)
{
	uint32_t cp = 0;
	size_t off = 0;

	(void)state;
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "", 0), 0);
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "caf\xc3\xa9 \xe2\x9c\x93", 0), 0);
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "two\nlines\tand tab", 1), 0);

	/* the first offender, with its code point and byte offset */
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "two\nlines", 0), 1);
	assert_int_equal(cp, '\n');
	assert_int_equal(off, 3);
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "ok \x1b[31mred\x07", 1), 1);
	assert_int_equal(cp, 0x1b);
	assert_int_equal(off, 3);
	/* U+202E RIGHT-TO-LEFT OVERRIDE after a two-byte character */
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "\xc3\xa9x\xe2\x80\xae", 1), 1);
	assert_int_equal(cp, 0x202e);
	assert_int_equal(off, 3);
	/* U+0085 NEXT LINE, a C1 control in UTF-8 */
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "a\xc2\x85", 1), 1);
	assert_int_equal(cp, 0x85);
	assert_int_equal(off, 1);

	/* bytes that are not UTF-8: the byte plus 0x110000, so no code point is confused with them */
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "ab\xff", 1), 1);
	assert_int_equal(cp, 0x110000u + 0xff);
	assert_int_equal(off, 2);
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "\xc0\xaf", 1),
			 1); /* overlong '/' */
	assert_int_equal(cp, 0x110000u + 0xc0);
	assert_int_equal(off, 0);
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "x\xed\xa0\x80", 1),
			 1); /* surrogate */
	assert_int_equal(cp, 0x110000u + 0xed);
	assert_int_equal(off, 1);
	assert_int_equal(accord_text_find_forbidden(&cp, &off, "x\xe2\x80", 1), 1); /* truncated */
	assert_int_equal(cp, 0x110000u + 0xe2);
	assert_int_equal(off, 1);
}

static void test_escape_plain_text_unchanged(void **state)
{
	const char *utf8 = "Kunde \xc3\xa6\xc3\xb8\xc3\xa5 \xe2\x82\xac 12 \xf0\x9f\x98\x80 \\x1b";

	(void)state;
	assert_escapes_to("", 0, "");
	assert_escapes_to("checkout fails: card payments", 0, "checkout fails: card payments");
	assert_escapes_to(utf8, 0, utf8);
	assert_escapes_to("line one\nline two\tcol", ACCORD_ESCAPE_MULTILINE,
			  "line one\nline two\tcol");
}

static void test_escape_terminal_controls_shown_not_obeyed(void **state)
{
	(void)state;
	/* ANSI colour and cursor sequences: ESC is shown, the rest is harmless text */
	assert_escapes_to("\x1b[31mred\x1b[0m", 0, "\\x1b[31mred\\x1b[0m");
	assert_escapes_to("\x1b[2J\x1b[H", ACCORD_ESCAPE_MULTILINE, "\\x1b[2J\\x1b[H");
	/* an OSC 8 hyperlink and a title change, terminated by BEL */
	assert_escapes_to("\x1b]0;pwned\x07", 0, "\\x1b]0;pwned\\x07");
	/* carriage return would overwrite the line shown so far; backspace would erase */
	assert_escapes_to("ok\rFAKE", ACCORD_ESCAPE_MULTILINE, "ok\\x0dFAKE");
	assert_escapes_to("ab\b\bcd", 0, "ab\\x08\\x08cd");
	assert_escapes_to("del\x7f", 0, "del\\x7f");
	/* newline and tab only in multi-line text */
	assert_escapes_to("a\nb\tc", 0, "a\\x0ab\\x09c");
	/* the single-byte CSI (U+009B) and NEL (U+0085) as UTF-8 */
	assert_escapes_to("\xc2\x9b"
			  "31m",
			  0, "\\u009b31m");
	assert_escapes_to("x\xc2\x85y", ACCORD_ESCAPE_MULTILINE, "x\\u0085y");
}

static void test_escape_bidi_and_separators(void **state)
{
	(void)state;
	/* Trojan Source: an override that would show "admin" text reversed */
	assert_escapes_to("user\xe2\x80\xae"
			  "nimda",
			  0, "user\\u202enimda");
	assert_escapes_to("\xe2\x81\xa6isolate\xe2\x81\xa9", ACCORD_ESCAPE_MULTILINE,
			  "\\u2066isolate\\u2069");
	assert_escapes_to("\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f", 0, "\\u061c\\u200e\\u200f");
	assert_escapes_to("a\xe2\x80\xa8"
			  "b\xe2\x80\xa9"
			  "c",
			  ACCORD_ESCAPE_MULTILINE, "a\\u2028b\\u2029c");
	assert_escapes_to("\xef\xbf\xb9hidden\xef\xbf\xbb", 0, "\\ufff9hidden\\ufffb");
}

static void test_escape_bytes_not_utf8(void **state)
{
	char *got;

	(void)state;
	assert_escapes_to("a\xff"
			  "b",
			  0, "a\\xffb");
	/* an overlong encoding of ESC must not decode to a raw ESC, nor pass whole */
	assert_escapes_to("\xc0\x9b", 0, "\\xc0\\x9b");
	/* a lone continuation byte, a truncated sequence at the end */
	assert_escapes_to("\x80x", 0, "\\x80x");
	assert_escapes_to("x\xe2\x80", 0, "x\\xe2\\x80");
	/* a UTF-16 surrogate encoded in UTF-8 */
	assert_escapes_to("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");

	/* whatever goes in, what comes out holds nothing a terminal would act on */
	got = accord_escape_dup("\x1b\x9b\xc2\x9b\xe2\x80\xae\r\x7f\xff\xc0\x80\n", 0);
	assert_inert(got);
	assert_null(strchr(got, '\n'));
	free(got);
}

static void test_escape_appends_to_buffer(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;

	(void)state;
	/* an empty input still leaves a C string behind */
	accord_escape(&b, "", 0);
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	accord_buf_puts(&b, "title: ");
	accord_escape(&b, "x\x1b", 0);
	accord_buf_puts(&b, "|");
	assert_string_equal(b.ptr, "title: x\\x1b|");
	accord_buf_dispose(&b);
}

static void test_escape_json_stays_same_document(void **state)
{
	cJSON *doc, *back;
	char *printed;
	accord_buf b = ACCORD_BUF_INIT;
	const char *title = "\x1b[31m\xc2\x9b\xe2\x80\xae\x7f caf\xc3\xa9 \xe2\x82\xac";

	(void)state;
	/* plain JSON and harmless UTF-8 pass as they are */
	assert_json_escapes_to("{\"a\":\"caf\xc3\xa9\"}", "{\"a\":\"caf\xc3\xa9\"}");
	/* what cJSON leaves raw becomes \uXXXX; bytes that are not UTF-8 become \ufffd */
	assert_json_escapes_to("[\"\x7f\xc2\x85\xe2\x80\xae\"]", "[\"\\u007f\\u0085\\u202e\"]");
	assert_json_escapes_to("[\"a\xff\"]", "[\"a\\ufffd\"]");
	/* structural newlines and tabs of pretty-printed JSON are kept */
	assert_json_escapes_to("{\n\t\"a\":\t1\n}", "{\n\t\"a\":\t1\n}");

	/* a real document: escaped, it parses back to the very same string, and is inert */
	doc = cJSON_CreateObject();
	assert_non_null(doc);
	assert_non_null(cJSON_AddStringToObject(doc, "title", title));
	printed = cJSON_Print(doc);
	assert_non_null(printed);
	accord_escape_json(&b, printed);
	assert_inert(b.ptr);
	back = cJSON_Parse(b.ptr);
	assert_non_null(back);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(back, "title")->valuestring, title);
	cJSON_Delete(back);
	cJSON_free(printed);
	cJSON_Delete(doc);
	accord_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_char_allowed_classes),
		cmocka_unit_test(test_escape_find_forbidden),
		cmocka_unit_test(test_escape_plain_text_unchanged),
		cmocka_unit_test(test_escape_terminal_controls_shown_not_obeyed),
		cmocka_unit_test(test_escape_bidi_and_separators),
		cmocka_unit_test(test_escape_bytes_not_utf8),
		cmocka_unit_test(test_escape_appends_to_buffer),
		cmocka_unit_test(test_escape_json_stays_same_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
