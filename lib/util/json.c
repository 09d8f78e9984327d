#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "json.h"
#include "accord/timefmt.h"
#include "alloc.h"

/*
 * cJSON is lenient where a ledger cannot be: it keeps duplicate keys, lets
 * invalid UTF-8 through, treats every byte <= 0x20 as whitespace, reads
 * "01" and "1." as numbers, turns a bad \u escape into U+0000 and truncates
 * strings at an escaped NUL. So we validate the raw bytes ourselves first
 * (one linear pass, no recursion), leave only the grammar to cJSON, and
 * then check the tree for what the text cannot show (duplicate keys).
 * Byte offsets in messages count from 0.
 */

#define MAX_SAFE_INT 9007199254740991.0 /* 2^53 - 1 */
#define MAX_SAFE_DIGITS "9007199254740991"
/* cJSON copies a number into a 64-byte buffer and silently stops there. */
#define MAX_NUMBER_LEN 63
/* Objects up to this size are checked pairwise; larger ones are sorted. */
#define SMALL_OBJECT 16
/* How much of a key to quote back in a message. */
#define KEY_QUOTE_MAX 64

/*
 * Return the offset of the first byte that is NUL or starts an invalid
 * UTF-8 sequence (Unicode table 3-7: no overlongs, no surrogates, nothing
 * above U+10FFFF, no truncated sequences), or `len` if all is well.
 */
static size_t utf8_scan(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		unsigned char lo = 0x80, hi = 0xBF;
		size_t n, k;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* U+D800..DFFF */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return i; /* stray continuation, C0/C1 overlong, F5..FF */
		}
		if (len - i - 1 < n)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k <= n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return i;
		i += n + 1;
	}
	return len;
}

size_t accord_utf8_decode(uint32_t *cp, const unsigned char *s)
{
	uint32_t v;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		v = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		v = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (v < 0x800 || (v >= 0xd800 && v < 0xe000))) ||
	    (n == 4 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return n;
}

int accord_utf8_valid(const char *s, size_t len)
{
	if (!s)
		return len == 0;
	return utf8_scan((const unsigned char *)s, len) == len;
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int hex4(unsigned *out, const unsigned char *s, size_t avail)
{
	unsigned v = 0;
	size_t k;

	if (avail < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		unsigned char c = s[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int syntax_error(size_t at)
{
	return accord_error_set(ACCORD_EINVALID, "JSON syntax error at byte %zu", at);
}

/*
 * Check the string starting at the quote s[*pos]; leave *pos after the
 * closing quote. Raw bytes are already valid UTF-8.
 */
static int scan_string(size_t *pos, const unsigned char *s, size_t len)
{
	size_t start = *pos, j = start + 1;
	unsigned cp, lo;

	for (;;) {
		if (j >= len)
			return accord_error_set(ACCORD_EINVALID,
						"unterminated string starting at byte %zu", start);
		if (s[j] == '"')
			break;
		if (s[j] < 0x20)
			return accord_error_set(
				ACCORD_EINVALID,
				"unescaped control character 0x%02x in string at byte %zu", s[j],
				j);
		if (s[j] != '\\') {
			j++;
			continue;
		}
		if (j + 1 >= len)
			return accord_error_set(ACCORD_EINVALID,
						"unterminated string starting at byte %zu", start);
		switch (s[j + 1]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't': j += 2; continue;
		case 'u': break;
		default:
			return accord_error_set(ACCORD_EINVALID,
						"invalid escape in string at byte %zu", j);
		}
		if (hex4(&cp, s + j + 2, len - j - 2) < 0)
			return accord_error_set(ACCORD_EINVALID,
						"invalid \\u escape in string at byte %zu", j);
		if (cp == 0)
			/* cJSON keeps C strings: U+0000 would cut the string short unseen */
			return accord_error_set(
				ACCORD_EINVALID,
				"\\u0000 in string at byte %zu: NUL characters are not allowed", j);
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return accord_error_set(ACCORD_EINVALID,
						"lone surrogate \\u%04X in string at byte %zu", cp,
						j);
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (len - j < 12 || s[j + 6] != '\\' || s[j + 7] != 'u' ||
			    hex4(&lo, s + j + 8, len - j - 8) < 0 || lo < 0xDC00 || lo > 0xDFFF)
				return accord_error_set(
					ACCORD_EINVALID,
					"lone surrogate \\u%04X in string at byte %zu", cp, j);
			j += 12;
		} else {
			j += 6;
		}
	}
	*pos = j + 1;
	return 0;
}

/*
 * Check the number starting at s[*pos] against RFC 8259's grammar (cJSON
 * would take "01", "1." and "-.5"); with integers_only, refuse fractions,
 * exponents and anything beyond +-(2^53-1), which doubles cannot hold
 * exactly.
 */
static int scan_number(size_t *pos, const unsigned char *s, size_t len, int integers_only)
{
	size_t start = *pos, j = start, int_start, ndigits;

	if (s[j] == '-')
		j++;
	int_start = j;
	if (j < len && s[j] == '0')
		j++;
	else if (j < len && is_digit(s[j]))
		while (j < len && is_digit(s[j]))
			j++;
	else
		return accord_error_set(ACCORD_EINVALID, "invalid number at byte %zu", start);
	ndigits = j - int_start;

	if (j < len && (s[j] == '.' || s[j] == 'e' || s[j] == 'E') && integers_only)
		return accord_error_set(
			ACCORD_EINVALID,
			"number at byte %zu is not an integer (no fraction or exponent allowed)",
			start);
	if (j < len && s[j] == '.') {
		j++;
		if (j >= len || !is_digit(s[j]))
			return accord_error_set(ACCORD_EINVALID, "invalid number at byte %zu",
						start);
		while (j < len && is_digit(s[j]))
			j++;
	}
	if (j < len && (s[j] == 'e' || s[j] == 'E')) {
		j++;
		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j >= len || !is_digit(s[j]))
			return accord_error_set(ACCORD_EINVALID, "invalid number at byte %zu",
						start);
		while (j < len && is_digit(s[j]))
			j++;
	}
	/* a number must end at a delimiter, or cJSON's strtod reads "01" as 1 */
	if (j < len && !is_ws(s[j]) && s[j] != ',' && s[j] != ']' && s[j] != '}')
		return accord_error_set(ACCORD_EINVALID, "invalid number at byte %zu", start);
	if (j - start > MAX_NUMBER_LEN)
		return accord_error_set(ACCORD_EINVALID,
					"number at byte %zu is longer than %d characters", start,
					MAX_NUMBER_LEN);
	if (integers_only && (ndigits > sizeof(MAX_SAFE_DIGITS) - 1 ||
			      (ndigits == sizeof(MAX_SAFE_DIGITS) - 1 &&
			       memcmp(s + int_start, MAX_SAFE_DIGITS, ndigits) > 0)))
		return accord_error_set(ACCORD_EINVALID,
					"integer at byte %zu is outside +-(2^53-1)", start);
	*pos = j;
	return 0;
}

/*
 * One linear pass over the text: lexical checks, and the nesting depth
 * counted without recursion, so that a megabyte of '[' costs nothing and
 * never reaches cJSON's recursive parser. Grammar is cJSON's job.
 */
static int prescan(const unsigned char *s, size_t len, int integers_only)
{
	size_t i = 0;
	int depth = 0, error;

	while (i < len) {
		unsigned char c = s[i];

		switch (c) {
		case ' ':
		case '\t':
		case '\n':
		case '\r':
		case ',':
		case ':': i++; break;
		case '[':
		case '{':
			if (++depth > ACCORD_JSON_MAX_DEPTH)
				return accord_error_set(ACCORD_EINVALID,
							"nesting deeper than %d at byte %zu",
							ACCORD_JSON_MAX_DEPTH, i);
			i++;
			break;
		case ']':
		case '}':
			/* unbalanced closers are a syntax error cJSON will report */
			if (depth > 0)
				depth--;
			i++;
			break;
		case '"':
			if ((error = scan_string(&i, s, len)) < 0)
				return error;
			break;
		case 't':
		case 'f':
		case 'n': {
			const char *lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
			size_t n = strlen(lit);

			if (len - i < n || memcmp(s + i, lit, n) != 0)
				return syntax_error(i);
			i += n;
			break;
		}
		default:
			if (c == '-' || is_digit(c)) {
				if ((error = scan_number(&i, s, len, integers_only)) < 0)
					return error;
				break;
			}
			if (i == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
				return accord_error_set(ACCORD_EINVALID,
							"byte order mark at byte 0 is not allowed");
			return syntax_error(i);
		}
	}
	return 0;
}

static int keycmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *key_of(const cJSON *item)
{
	return item->string ? item->string : "";
}

/* Append `key` to a message as a JSON string, cut short at a character boundary. */
static void quote_key(accord_buf *b, const char *key)
{
	size_t n = strlen(key);
	char cut[KEY_QUOTE_MAX + 1];

	if (n <= KEY_QUOTE_MAX) {
		accord_buf_put_json_str(b, key);
		return;
	}
	n = KEY_QUOTE_MAX;
	while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80)
		n--;
	memcpy(cut, key, n);
	cut[n] = '\0';
	accord_buf_put_json_str(b, cut);
	accord_buf_puts(b, "...");
}

/*
 * Where check_tree() is, as a chain of frames on its stack: the path
 * string is only written when there is an error to report.
 */
struct trail {
	const struct trail *up;
	const char *key; /* NULL: an array index */
	size_t index;
};

static void path_push_key(accord_buf *path, const char *key);

static void trail_write(accord_buf *path, const struct trail *t)
{
	if (!t)
		return;
	trail_write(path, t->up);
	if (t->key)
		path_push_key(path, t->key);
	else
		accord_buf_printf(path, "/%zu", t->index);
}

static int duplicate_error(const char *key, const struct trail *where)
{
	accord_buf msg = ACCORD_BUF_INIT, path = ACCORD_BUF_INIT;
	int error;

	quote_key(&msg, key);
	trail_write(&path, where);
	if (path.size)
		error = accord_error_set(ACCORD_EINVALID, "duplicate key %s in %s", msg.ptr,
					 path.ptr);
	else
		error = accord_error_set(ACCORD_EINVALID,
					 "duplicate key %s in the top-level object", msg.ptr);
	accord_buf_dispose(&msg);
	accord_buf_dispose(&path);
	return error;
}

/*
 * Refuse an object that names a key twice. Pairwise for small objects;
 * sorting for large ones, as hostile entries may carry 100,000 keys.
 */
static int check_duplicates(const cJSON *obj, const struct trail *path)
{
	const cJSON *a, *b;
	const char **keys;
	size_t n = 0, i;
	int error = 0;

	for (a = obj->child; a; a = a->next)
		n++;
	if (n <= SMALL_OBJECT) {
		for (a = obj->child; a; a = a->next)
			for (b = a->next; b; b = b->next)
				if (strcmp(key_of(a), key_of(b)) == 0)
					return duplicate_error(key_of(a), path);
		return 0;
	}
	keys = accord_xmalloc(n * sizeof(*keys));
	for (i = 0, a = obj->child; a; a = a->next)
		keys[i++] = key_of(a);
	qsort(keys, n, sizeof(*keys), keycmp);
	for (i = 1; i < n; i++) {
		if (strcmp(keys[i - 1], keys[i]) == 0) {
			error = duplicate_error(keys[i], path);
			break;
		}
	}
	free(keys);
	return error;
}

/*
 * Append a JSON pointer (RFC 6901) reference token for `key`. The path is
 * only shown to people, so control characters (a hostile key could carry
 * terminal escapes) are written as \u00XX.
 */
static void path_push_key(accord_buf *path, const char *key)
{
	const unsigned char *k = (const unsigned char *)key;

	accord_buf_putc(path, '/');
	for (; *k; k++) {
		if (*k == '~')
			accord_buf_puts(path, "~0");
		else if (*k == '/')
			accord_buf_puts(path, "~1");
		else if (*k < 0x20 || *k == 0x7f)
			accord_buf_printf(path, "\\u%04x", *k);
		else
			accord_buf_putc(path, (char)*k);
	}
}

static int number_ok(double d)
{
	/* the range test first: it also refuses NaN and makes the cast defined */
	if (!(d >= -MAX_SAFE_INT && d <= MAX_SAFE_INT))
		return 0;
	return (double)(int64_t)d == d;
}

/* Recursion is bounded: the pre-scan has already limited the depth. */
static int check_tree(const cJSON *node, const struct trail *path, int integers_only, int depth)
{
	const cJSON *child;
	struct trail here;
	int error;

	if (depth > ACCORD_JSON_MAX_DEPTH + 1)
		return accord_error_set(ACCORD_EINVALID, "nesting deeper than %d",
					ACCORD_JSON_MAX_DEPTH);
	if (cJSON_IsNumber(node) && integers_only && !number_ok(node->valuedouble)) {
		accord_buf where = ACCORD_BUF_INIT;

		trail_write(&where, path);
		error = accord_error_set(ACCORD_EINVALID,
					 "number at %s is not an integer within +-(2^53-1)",
					 where.size ? where.ptr : "the top level");
		accord_buf_dispose(&where);
		return error;
	}
	if (cJSON_IsObject(node) && (error = check_duplicates(node, path)) < 0)
		return error;
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return 0;
	here.up = path;
	here.index = 0;
	for (child = node->child; child; child = child->next, here.index++) {
		here.key = cJSON_IsObject(node) ? key_of(child) : NULL;
		if ((error = check_tree(child, &here, integers_only, depth + 1)) < 0)
			return error;
	}
	return 0;
}

int accord_json_parse_strict(cJSON **out, const char *data, size_t len, size_t max_size,
			     int integers_only)
{
	const unsigned char *s = (const unsigned char *)data;
	const char *end = NULL;
	cJSON *root;
	size_t bad;
	int error;

	/* before anything else, so an oversized entry costs nothing */
	if (len > max_size)
		return accord_error_set(ACCORD_EINVALID,
					"entry is %zu bytes, larger than the %zu-byte limit", len,
					max_size);
	if (!data)
		return accord_error_set(ACCORD_EINVALID, "no JSON text given");
	if ((bad = utf8_scan(s, len)) < len) {
		if (s[bad] == 0)
			return accord_error_set(ACCORD_EINVALID, "NUL byte at byte %zu", bad);
		return accord_error_set(ACCORD_EINVALID, "invalid UTF-8 at byte %zu", bad);
	}
	if ((error = prescan(s, len, integers_only)) < 0)
		return error;

	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (!root)
		return syntax_error(end && end >= data && end <= data + len ? (size_t)(end - data)
									    : 0);
	while (end < data + len && is_ws((unsigned char)*end))
		end++;
	if (end != data + len) {
		cJSON_Delete(root);
		return accord_error_set(ACCORD_EINVALID,
					"trailing data after JSON value at byte %zu",
					(size_t)(end - data));
	}
	if ((error = check_tree(root, NULL, integers_only, 1)) < 0) {
		cJSON_Delete(root);
		return error;
	}
	*out = root;
	return 0;
}

const char *accord_json_str(const cJSON *obj, const char *key)
{
	const cJSON *item;

	if (!cJSON_IsObject(obj))
		return NULL;
	item = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

int accord_json_int(int64_t *out, const cJSON *obj, const char *key)
{
	const cJSON *item;

	if (!cJSON_IsObject(obj))
		return accord_error_set(ACCORD_EINVALID, "looking up \"%s\" in a non-object", key);
	item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!item)
		return accord_error_set(ACCORD_ENOTFOUND, "\"%s\" is missing", key);
	if (!cJSON_IsNumber(item))
		return accord_error_set(ACCORD_EINVALID, "\"%s\" is not a number", key);
	if (!number_ok(item->valuedouble))
		return accord_error_set(ACCORD_EINVALID,
					"\"%s\" is not an integer within +-(2^53-1)", key);
	*out = (int64_t)item->valuedouble;
	return 0;
}

void accord_json_add_time(cJSON *obj, const char *key, int64_t t)
{
	char buf[ACCORD_TIME_LEN];

	accord_time_format(buf, t);
	cJSON_AddStringToObject(obj, key, buf);
}
