#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/error.h"
#include "json.h"

#define LIMIT 65536

/* Parse `len` bytes (strlen if len is 0) expecting success. */
static cJSON *parse_ok(const char *text, size_t len, int integers_only)
{
	cJSON *root = NULL;
	int error;

	error = accord_json_parse_strict(&root, text, len ? len : strlen(text), LIMIT,
					 integers_only);
	if (error != 0)
		print_error("unexpected failure for %s: %s\n", text, accord_error_last());
	assert_int_equal(error, 0);
	assert_non_null(root);
	return root;
}

/* Expect ACCORD_EINVALID, *out untouched, and `msg` inside the message. */
static void parse_bad(const char *text, size_t len, int integers_only, const char *msg)
{
	cJSON *root = (cJSON *)&root; /* a sentinel that must survive */
	int error;

	accord_error_clear();
	error = accord_json_parse_strict(&root, text, len, LIMIT, integers_only);
	if (error != ACCORD_EINVALID || !strstr(accord_error_last(), msg))
		print_error("input %.60s: got %d \"%s\", wanted \"%s\"\n", text, error,
			    accord_error_last(), msg);
	assert_int_equal(error, ACCORD_EINVALID);
	assert_ptr_equal(root, (cJSON *)&root);
	assert_non_null(strstr(accord_error_last(), msg));
}

static void test_json_accepts_valid_documents(void **state)
{
	static const struct {
		const char *text;
		int integers_only;
	} cases[] = {
		{ "{}", 1 },
		{ "[]", 1 },
		{ "0", 1 },
		{ "-0", 1 },
		{ "\"\"", 1 },
		{ "true", 1 },
		{ "null", 1 },
		{ " \t\r\n{ \"a\" : [ 1 , 2 ] }\n\t ", 1 },
		{ "{\"a\":1,\"b\":{\"a\":1},\"c\":[{\"a\":1},{\"a\":2}]}", 1 },
		{ "{\"A\":1,\"a\":2}", 1 }, /* keys are case-sensitive */
		{ "{\"a\":1,\"a \":2,\"\":3}", 1 },
		{ "9007199254740991", 1 },
		{ "-9007199254740991", 1 },
		{ "1.5", 0 },
		{ "-0.25e+10", 0 },
		{ "1E-3", 0 },
		{ "[1e400]", 0 }, /* RFC 8259 leaves range to the reader */
		{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 1 },
		{ "\"\\u00e9 \\uD83D\\uDE00 \\uFFFF\"", 1 },
		{ "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \x7F\"", 1 },
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cJSON_Delete(parse_ok(cases[i].text, 0, cases[i].integers_only));
}

static void test_json_keeps_values(void **state)
{
	cJSON *root = parse_ok("{\"title\":\"caf\\u00e9\",\"n\":-42,\"big\":9007199254740991,"
			       "\"s\":\"\\uD83D\\uDE00\",\"Title\":\"other\"}",
			       0, 1);
	int64_t n = 0;

	assert_string_equal(accord_json_str(root, "title"), "caf\xC3\xA9");
	assert_string_equal(accord_json_str(root, "Title"), "other");
	assert_string_equal(accord_json_str(root, "s"), "\xF0\x9F\x98\x80");
	assert_int_equal(accord_json_int(&n, root, "n"), 0);
	assert_true(n == -42);
	assert_int_equal(accord_json_int(&n, root, "big"), 0);
	assert_true(n == 9007199254740991LL);
	cJSON_Delete(root);
}

static void test_json_lookups_are_strict(void **state)
{
	cJSON *root = parse_ok("{\"title\":\"x\",\"n\":1.5,\"s\":\"7\",\"huge\":1e300,"
			       "\"neg\":-9007199254740992,\"ok\":7,\"arr\":[1]}",
			       0, 0);
	int64_t n = 99;

	assert_null(accord_json_str(root, "TITLE")); /* case-sensitive */
	assert_null(accord_json_str(root, "missing"));
	assert_null(accord_json_str(root, "ok")); /* not a string */
	assert_null(accord_json_str(NULL, "title"));
	assert_null(accord_json_str(cJSON_GetObjectItemCaseSensitive(root, "arr"), "title"));

	assert_int_equal(accord_json_int(&n, root, "missing"), ACCORD_ENOTFOUND);
	assert_int_equal(accord_json_int(&n, root, "OK"), ACCORD_ENOTFOUND);
	assert_int_equal(accord_json_int(&n, root, "n"), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "\"n\""));
	assert_int_equal(accord_json_int(&n, root, "s"), ACCORD_EINVALID);
	assert_int_equal(accord_json_int(&n, root, "huge"), ACCORD_EINVALID);
	assert_int_equal(accord_json_int(&n, root, "neg"), ACCORD_EINVALID);
	assert_true(n == 99); /* untouched on failure */
	assert_int_equal(accord_json_int(&n, root, "ok"), 0);
	assert_true(n == 7);
	cJSON_Delete(root);
}

static void test_json_rejects_bad_text(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen */
		int integers_only;
		const char *msg;
	} cases[] = {
		/* raw bytes */
		{ "{\"a\":\"x\0\"}", 10, 0, "NUL byte at byte 7" },
		{ "\0", 1, 0, "NUL byte at byte 0" },
		{ "\"\x80\"", 0, 0, "invalid UTF-8 at byte 1" },	 /* stray continuation */
		{ "\"\xC0\xAF\"", 0, 0, "invalid UTF-8 at byte 1" },	 /* overlong '/' */
		{ "\"\xC1\xBF\"", 0, 0, "invalid UTF-8 at byte 1" },	 /* overlong */
		{ "\"\xE0\x80\xAF\"", 0, 0, "invalid UTF-8 at byte 1" }, /* overlong 3-byte */
		{ "\"\xF0\x80\x80\xAF\"", 0, 0, "invalid UTF-8 at byte 1" }, /* overlong 4-byte */
		{ "\"\xED\xA0\x80\"", 0, 0, "invalid UTF-8 at byte 1" },     /* U+D800 */
		{ "\"\xED\xBF\xBF\"", 0, 0, "invalid UTF-8 at byte 1" },     /* U+DFFF */
		{ "\"\xF4\x90\x80\x80\"", 0, 0, "invalid UTF-8 at byte 1" }, /* U+110000 */
		{ "\"\xF5\x80\x80\x80\"", 0, 0, "invalid UTF-8 at byte 1" },
		{ "\"\xFF\"", 0, 0, "invalid UTF-8 at byte 1" },
		{ "\"ab\xE2\x82\"", 0, 0, "invalid UTF-8 at byte 3" }, /* truncated */
		{ "\"ab\xE2\x82", 0, 0, "invalid UTF-8 at byte 3" },   /* truncated at end */
		{ "\"\xC3\"", 0, 0, "invalid UTF-8 at byte 1" },
		{ "\"\xF0\x9F\x98\"", 0, 0, "invalid UTF-8 at byte 1" },
		{ "\xEF\xBB\xBF{}", 0, 0, "byte order mark" },
		/* escapes */
		{ "\"a\\u0000b\"", 0, 0, "\\u0000 in string at byte 2" },
		{ "{\"k\\u0000\":1}", 0, 0, "\\u0000 in string at byte 3" },
		{ "\"\\uD800\"", 0, 0, "lone surrogate \\uD800 in string at byte 1" },
		{ "\"\\udbff x\"", 0, 0, "lone surrogate \\uDBFF" },
		{ "\"\\uDC00\"", 0, 0, "lone surrogate \\uDC00" },
		{ "\"\\uD83D\\u0041\"", 0, 0, "lone surrogate \\uD83D" },
		{ "\"\\uD83D\\uD83D\"", 0, 0, "lone surrogate \\uD83D" },
		{ "\"\\uD83D\\n\"", 0, 0, "lone surrogate \\uD83D" },
		{ "\"\\uD83D", 0, 0, "lone surrogate \\uD83D" },
		{ "\"\\uZZZZ\"", 0, 0, "invalid \\u escape in string at byte 1" },
		{ "\"\\u12\"", 0, 0, "invalid \\u escape" },
		{ "\"\\x41\"", 0, 0, "invalid escape in string at byte 1" },
		{ "\"\\'\"", 0, 0, "invalid escape" },
		{ "\"a\nb\"", 0, 0, "unescaped control character 0x0a in string at byte 2" },
		{ "\"a\tb\"", 0, 0, "unescaped control character 0x09" },
		{ "\"abc", 0, 0, "unterminated string starting at byte 0" },
		{ "\"abc\\", 0, 0, "unterminated string" },
		/* numbers and literals */
		{ "01", 0, 0, "invalid number at byte 0" },
		{ "[1.]", 0, 0, "invalid number at byte 1" },
		{ "-.5", 0, 0, "invalid number at byte 0" },
		{ ".5", 0, 0, "JSON syntax error at byte 0" },
		{ "+1", 0, 0, "JSON syntax error at byte 0" },
		{ "-", 0, 0, "invalid number at byte 0" },
		{ "1e", 0, 0, "invalid number" },
		{ "1e+", 0, 0, "invalid number" },
		{ "0x10", 0, 0, "invalid number" },
		{ "[1-2]", 0, 0, "invalid number at byte 1" },
		{ "NaN", 0, 0, "JSON syntax error at byte 0" },
		{ "[Infinity]", 0, 0, "JSON syntax error at byte 1" },
		{ "[-Infinity]", 0, 0, "invalid number at byte 1" },
		{ "tru", 0, 0, "JSON syntax error at byte 0" },
		{ "[True]", 0, 0, "JSON syntax error at byte 1" },
		{ "nul", 0, 0, "JSON syntax error at byte 0" },
		{ "[0.00000000000000000000000000000000000000000000000000000000000001]", 0, 0,
		  "longer than 63 characters" },
		/* integers_only */
		{ "1.0", 0, 1, "number at byte 0 is not an integer" },
		{ "{\"n\":1e2}", 0, 1, "number at byte 5 is not an integer" },
		{ "[2E0]", 0, 1, "not an integer" },
		{ "9007199254740992", 0, 1, "integer at byte 0 is outside +-(2^53-1)" },
		{ "-9007199254740992", 0, 1, "outside +-(2^53-1)" },
		{ "[99999999999999999999]", 0, 1, "integer at byte 1 is outside" },
		{ "{\"a\":[1,10000000000000000]}", 0, 1, "integer at byte 8 is outside" },
		/* structure */
		{ "", 0, 0, "JSON syntax error at byte 0" },
		{ "   ", 0, 0, "JSON syntax error" },
		{ "[1,]", 0, 0, "JSON syntax error at byte 3" },
		{ "{\"a\":1,}", 0, 0, "JSON syntax error at byte 7" },
		{ "{\"a\" 1}", 0, 0, "JSON syntax error" },
		{ "{a:1}", 0, 0, "JSON syntax error at byte 1" },
		{ "[1 2]", 0, 0, "JSON syntax error" },
		{ "[", 0, 0, "JSON syntax error" },
		{ "]", 0, 0, "JSON syntax error" },
		{ "{'a':1}", 0, 0, "JSON syntax error at byte 1" },
		{ "[1]/*c*/", 0, 0, "JSON syntax error at byte 3" },
		{ "\x01[1]", 0, 0, "JSON syntax error at byte 0" }, /* cJSON calls it whitespace */
		{ "[1]\x0b", 0, 0, "JSON syntax error at byte 3" },
		{ "[1\f]", 0, 0, "invalid number at byte 1" },
		/* trailing data */
		{ "{} {}", 0, 0, "trailing data after JSON value at byte 3" },
		{ "[1] ]", 0, 0, "trailing data after JSON value at byte 4" },
		{ "1 2", 0, 0, "trailing data after JSON value at byte 2" },
		{ "\"a\"\"b\"", 0, 0, "trailing data after JSON value at byte 3" },
		{ "nullnull", 0, 0, "trailing data after JSON value at byte 4" },
		{ "{}\n\n,", 0, 0, "trailing data after JSON value at byte 4" },
		/* duplicate keys */
		{ "{\"title\":1,\"title\":2}", 0, 0,
		  "duplicate key \"title\" in the top-level object" },
		{ "{\"body\":{\"title\":\"a\",\"x\":1,\"title\":\"b\"}}", 0, 0,
		  "duplicate key \"title\" in /body" },
		{ "{\"a\":[0,{\"b/c\":{\"t\":1,\"t\":1}}]}", 0, 0,
		  "duplicate key \"t\" in /a/1/b~1c" },
		{ "{\"m~n\":{\"\":1,\"\":2}}", 0, 0, "duplicate key \"\" in /m~0n" },
		{ "{\"a\":1,\"\\u0061\":2}", 0, 0, "duplicate key \"a\" in the top-level object" },
		{ "{\"\\n\":{\"q\\\"\":1,\"q\\\"\":2}}", 0, 0,
		  "duplicate key \"q\\\"\" in /\\u000a" },
		/* nesting */
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", 0, 0,
		  "nesting deeper than 32 at byte 32" },
		{ "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{}]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", 0, 0,
		  "nesting deeper than 32 at byte 36" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		parse_bad(cases[i].text, cases[i].len ? cases[i].len : strlen(cases[i].text),
			  cases[i].integers_only, cases[i].msg);
}

static void test_json_checks_size_first(void **state)
{
	size_t len = 10485760;
	char *big = malloc(len);
	cJSON *root = NULL;

	assert_non_null(big);
	memset(big, '[', len); /* would fail later checks too; size must be named first */
	assert_int_equal(accord_json_parse_strict(&root, big, len, LIMIT, 1), ACCORD_EINVALID);
	assert_string_equal(accord_error_last(),
			    "entry is 10485760 bytes, larger than the 65536-byte limit");
	assert_null(root);
	/* exactly at the limit is allowed */
	memset(big, ' ', 100);
	big[0] = '0';
	assert_int_equal(accord_json_parse_strict(&root, big, 100, 100, 1), 0);
	assert_true(cJSON_IsNumber(root) && root->valuedouble == 0);
	cJSON_Delete(root);
	root = NULL;
	assert_int_equal(accord_json_parse_strict(&root, big, 100, 99, 1), ACCORD_EINVALID);
	assert_string_equal(accord_error_last(),
			    "entry is 100 bytes, larger than the 99-byte limit");
	free(big);
}

static void test_json_survives_million_brackets(void **state)
{
	size_t len = 1000000;
	char *deep = malloc(len);
	cJSON *root = NULL;

	assert_non_null(deep);
	memset(deep, '[', len);
	assert_int_equal(accord_json_parse_strict(&root, deep, len, len, 0), ACCORD_EINVALID);
	assert_string_equal(accord_error_last(), "nesting deeper than 32 at byte 32");
	memset(deep, '{', len);
	assert_int_equal(accord_json_parse_strict(&root, deep, len, len, 0), ACCORD_EINVALID);
	assert_string_equal(accord_error_last(), "nesting deeper than 32 at byte 32");
	assert_null(root);
	free(deep);
}

/* An object of n keys "k0".."k<n-1>", then `last` as the final key. */
static char *many_keys(size_t n, const char *last, size_t *len)
{
	size_t cap = n * 24 + 64, used = 0, i;
	char *s = malloc(cap);

	assert_non_null(s);
	used += (size_t)snprintf(s + used, cap - used, "{\"body\":{");
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(s + used, cap - used, "\"k%zu\":%zu,", i, i);
	used += (size_t)snprintf(s + used, cap - used, "\"%s\":0}}", last);
	*len = used;
	return s;
}

static void test_json_finds_duplicate_among_many_keys(void **state)
{
	size_t len;
	char *s = many_keys(100000, "k99999", &len);
	cJSON *root = NULL;

	assert_int_equal(accord_json_parse_strict(&root, s, len, len, 1), ACCORD_EINVALID);
	assert_string_equal(accord_error_last(), "duplicate key \"k99999\" in /body");
	assert_null(root);
	free(s);

	/* the first key repeated last, and the no-duplicate control */
	s = many_keys(100000, "k0", &len);
	assert_int_equal(accord_json_parse_strict(&root, s, len, len, 1), ACCORD_EINVALID);
	assert_string_equal(accord_error_last(), "duplicate key \"k0\" in /body");
	free(s);
	s = many_keys(100000, "other", &len);
	assert_int_equal(accord_json_parse_strict(&root, s, len, len, 1), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "body")),
			 100001);
	cJSON_Delete(root);
	free(s);
}

static void test_json_quotes_long_keys_briefly(void **state)
{
	char text[512];
	char key[201];
	cJSON *root = NULL;

	memset(key, 'x', 200);
	key[200] = '\0';
	snprintf(text, sizeof(text), "{\"%s\":1,\"%s\":2}", key, key);
	assert_int_equal(accord_json_parse_strict(&root, text, strlen(text), LIMIT, 0),
			 ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "xxxx\"... in the top-level object"));
	assert_true(strlen(accord_error_last()) < 150);
}

static void test_json_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int valid;
	} cases[] = {
		{ "", 0, 1 },
		{ "plain ascii", 11, 1 },
		{ "\xC2\x80", 2, 1 },
		{ "\xDF\xBF", 2, 1 },
		{ "\xE0\xA0\x80", 3, 1 },
		{ "\xED\x9F\xBF", 3, 1 }, /* U+D7FF */
		{ "\xEE\x80\x80", 3, 1 }, /* U+E000 */
		{ "\xEF\xBF\xBF", 3, 1 }, /* U+FFFF */
		{ "\xF0\x90\x80\x80", 4, 1 },
		{ "\xF4\x8F\xBF\xBF", 4, 1 }, /* U+10FFFF */
		{ "a\0b", 3, 0 },
		{ "\xC2", 1, 0 },
		{ "\xC2\x41", 2, 0 },
		{ "\xC0\x80", 2, 0 }, /* overlong NUL */
		{ "\xE0\x9F\xBF", 3, 0 },
		{ "\xED\xA0\x80", 3, 0 },
		{ "\xED\xB0\x80", 3, 0 },
		{ "\xF0\x8F\xBF\xBF", 4, 0 },
		{ "\xF4\x90\x80\x80", 4, 0 },
		{ "\xF8\x88\x80\x80\x80", 5, 0 },
		{ "\xE2\x82\xAC\xE2\x82", 5, 0 },
		{ "\xBF", 1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (accord_utf8_valid(cases[i].s, cases[i].len) != cases[i].valid)
			print_error("case %zu\n", i);
		assert_int_equal(accord_utf8_valid(cases[i].s, cases[i].len), cases[i].valid);
	}
	/* the length is obeyed: the invalid byte lies just beyond it */
	assert_true(accord_utf8_valid("ab\xFF", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_accepts_valid_documents),
		cmocka_unit_test(test_json_keeps_values),
		cmocka_unit_test(test_json_lookups_are_strict),
		cmocka_unit_test(test_json_rejects_bad_text),
		cmocka_unit_test(test_json_checks_size_first),
		cmocka_unit_test(test_json_survives_million_brackets),
		cmocka_unit_test(test_json_finds_duplicate_among_many_keys),
		cmocka_unit_test(test_json_quotes_long_keys_briefly),
		cmocka_unit_test(test_json_utf8_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
