/*
 * ECMA-262 patterns onto POSIX ERE, and a fast matcher for the simple
 * anchored ones. See schema_regex.h.
 */
#include <ctype.h>
#include <limits.h>
#include <locale.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/buf.h"
#include "json.h"
#include "schema_impl.h"
#include "schema_regex.h"

static int ere_special(int c)
{
	return c && strchr(".[]()*+?{}|^$\\", c) != NULL;
}

static void put_utf8(accord_buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		accord_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		accord_buf_putc(b, (char)(0xc0 | (cp >> 6)));
		accord_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		accord_buf_putc(b, (char)(0xe0 | (cp >> 12)));
		accord_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		accord_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		accord_buf_putc(b, (char)(0xf0 | (cp >> 18)));
		accord_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		accord_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		accord_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/*
 * One literal character of an escape (after the backslash) as a code
 * point: \n \t \xHH \uXXXX (with surrogate pairs) and escaped punctuation.
 * *len is how many pattern bytes it used. -1 if not a literal escape.
 */
static long escape_literal(const char *p, size_t *len)
{
	unsigned long v, lo;

	*len = 1;
	switch (*p) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'v': return '\v';
	case 'x':
		if (hexval(p + 1, 2, &v) < 0)
			return -1;
		*len = 3;
		return (long)v;
	case 'u':
		if (hexval(p + 1, 4, &v) < 0)
			return -1;
		*len = 5;
		if (v >= 0xd800 && v < 0xdc00 && p[5] == '\\' && p[6] == 'u' &&
		    hexval(p + 7, 4, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
			*len = 11;
			return (long)(0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00));
		}
		if (v >= 0xd800 && v < 0xe000)
			return -1;
		return (long)v;
	default:
		if (*p && (unsigned char)*p < 0x80 && ispunct((unsigned char)*p))
			return (unsigned char)*p;
		return -1;
	}
}

/* A bracket-expression member, written so that POSIX reads it literally. */
static void put_bracket_char(accord_buf *b, unsigned long cp)
{
	if (cp == ']' || cp == '-' || cp == '^' || cp == '[') {
		accord_buf_puts(b, "[.");
		accord_buf_putc(b, (char)cp);
		accord_buf_puts(b, ".]");
	} else {
		put_utf8(b, cp);
	}
}

/* Decode one UTF-8 character of the pattern (bytes pass through as themselves if malformed). */
static unsigned long next_char(const char **pp)
{
	const unsigned char *p = (const unsigned char *)*pp;
	unsigned long cp;
	int n, i;

	if (p[0] < 0x80) {
		(*pp)++;
		return p[0];
	}
	n = (p[0] & 0xe0) == 0xc0 ? 1 : (p[0] & 0xf0) == 0xe0 ? 2 : (p[0] & 0xf8) == 0xf0 ? 3 : 0;
	cp = p[0] & (0x3f >> n);
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			(*pp)++;
			return p[0];
		}
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	*pp += n + 1;
	return cp;
}

/*
 * After the class member `lo` at *pp: "-X" makes it the range lo-X. Sets
 * *hi (to `lo` when it is no range) and moves *pp past what it read.
 */
static int read_range_end(const char **pp, unsigned long lo, unsigned long *hi, char *err,
			  size_t errlen)
{
	const char *p = *pp;

	*hi = lo;
	if (p[0] == '-' && p[1] && p[1] != ']') {
		p++;
		if (*p == '\\') {
			size_t n;
			long v = escape_literal(p + 1, &n);

			if (v < 0) {
				snprintf(err, errlen, "unsupported range end in a character class");
				return -1;
			}
			*hi = (unsigned long)v;
			p += 1 + n;
		} else {
			*hi = next_char(&p);
		}
		if (*hi < lo) {
			snprintf(err, errlen, "character range out of order");
			return -1;
		}
	}
	*pp = p;
	return 0;
}

/* Write the class member lo-hi (one character when hi == lo) into the bracket `body`. */
static void put_member(accord_buf *body, unsigned long lo, unsigned long hi)
{
	if (hi >= 0x80 && hi != lo && hi - (lo < 0x80 ? 0x80 : lo) < 256) {
		/*
		 * glibc's regcomp refuses ranges that reach past ASCII ("Invalid
		 * collation character"), so a short one is written out member by
		 * member (the free-text patterns exclude \u0080-\u009f this way).
		 */
		unsigned long c;

		if (lo < 0x80) {
			put_bracket_char(body, lo);
			accord_buf_putc(body, '-');
			put_bracket_char(body, 0x7f);
		}
		for (c = lo < 0x80 ? 0x80 : lo; c <= hi; c++)
			put_bracket_char(body, c);
	} else {
		put_bracket_char(body, lo);
		if (hi != lo) {
			accord_buf_putc(body, '-');
			put_bracket_char(body, hi);
		}
	}
}

/*
 * Translate an ECMA-262 character class starting after '['. POSIX has no
 * escapes inside brackets and gives ']' '-' '^' positional meaning, so we
 * collect the members and write them back in an order POSIX reads right.
 */
static int translate_class(accord_buf *out, const char **pp, char *err, size_t errlen)
{
	const char *p = *pp;
	accord_buf body = ACCORD_BUF_INIT;
	int neg = 0, members = 0;

	if (*p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']') {
		snprintf(err, errlen, "empty character class is not supported");
		return -1;
	}
	while (*p && *p != ']') {
		unsigned long lo, hi;
		int is_class = 0;

		if (*p == '\\') {
			size_t n;
			long v;

			p++;
			switch (*p) {
			case 'd':
				accord_buf_puts(&body, "0-9");
				is_class = 1;
				break;
			case 'w':
				accord_buf_puts(&body, "A-Za-z0-9_");
				is_class = 1;
				break;
			case 's':
				accord_buf_puts(&body, "[:space:]");
				is_class = 1;
				break;
			case 'b':
				lo = '\b';
				p++;
				goto literal;
			default: break;
			}
			if (is_class) {
				p++;
				members++;
				continue;
			}
			v = escape_literal(p, &n);
			if (v < 0) {
				snprintf(err, errlen,
					 "unsupported escape \\%c in a character class",
					 *p ? *p : '?');
				accord_buf_dispose(&body);
				return -1;
			}
			lo = (unsigned long)v;
			p += n;
		} else {
			lo = next_char(&p);
		}
literal:
		if (read_range_end(&p, lo, &hi, err, errlen) < 0) {
			accord_buf_dispose(&body);
			return -1;
		}
		put_member(&body, lo, hi);
		members++;
	}
	if (*p != ']') {
		snprintf(err, errlen, "unterminated character class");
		accord_buf_dispose(&body);
		return -1;
	}
	*pp = p + 1;
	accord_buf_puts(out, neg ? "[^" : "[");
	accord_buf_put(out, body.ptr, body.size);
	accord_buf_putc(out, ']');
	accord_buf_dispose(&body);
	return members ? 0 : -1;
}

/* Skip ECMA's lazy marker: it changes which match is found, never whether one exists. */
static void skip_lazy(const char **pp)
{
	if (**pp == '?')
		(*pp)++;
}

/*
 * ECMA-262 pattern → POSIX ERE, for the subset schemas use: \d \w \s and
 * their negations, literal escapes, classes, groups (?:), quantifiers
 * (lazy ones become greedy), anchors. Lookaround and backreferences are
 * refused rather than approximated.
 */
static int regex_translate(accord_buf *out, const char *p, char *err, size_t errlen)
{
	while (*p) {
		char c = *p;

		if (c == '\\') {
			size_t n;
			long v;

			p++;
			switch (*p) {
			case 'd':
				accord_buf_puts(out, "[0-9]");
				p++;
				continue;
			case 'D':
				accord_buf_puts(out, "[^0-9]");
				p++;
				continue;
			case 'w':
				accord_buf_puts(out, "[A-Za-z0-9_]");
				p++;
				continue;
			case 'W':
				accord_buf_puts(out, "[^A-Za-z0-9_]");
				p++;
				continue;
			case 's':
				accord_buf_puts(out, "[[:space:]]");
				p++;
				continue;
			case 'S':
				accord_buf_puts(out, "[^[:space:]]");
				p++;
				continue;
			/* glibc understands \b and \B as word boundaries in ERE too. */
			case 'b':
				accord_buf_puts(out, "\\b");
				p++;
				continue;
			case 'B':
				accord_buf_puts(out, "\\B");
				p++;
				continue;
			default: break;
			}
			v = escape_literal(p, &n);
			if (v <= 0) {
				snprintf(err, errlen, "unsupported escape \\%c", *p ? *p : '?');
				return -1;
			}
			if (v < 0x80 && ere_special((int)v))
				accord_buf_putc(out, '\\');
			put_utf8(out, (unsigned long)v);
			p += n;
		} else if (c == '[') {
			p++;
			if (translate_class(out, &p, err, errlen) < 0) {
				if (!err[0])
					snprintf(err, errlen, "bad character class");
				return -1;
			}
		} else if (c == '(') {
			p++;
			if (*p == '?') {
				if (p[1] != ':') {
					snprintf(err, errlen,
						 "lookaround and named groups are not supported");
					return -1;
				}
				p += 2;
			}
			accord_buf_putc(out, '(');
		} else if (c == '*' || c == '+' || c == '?') {
			accord_buf_putc(out, c);
			p++;
			skip_lazy(&p);
		} else if (c == '{') {
			size_t n = 1;

			while (isdigit((unsigned char)p[n]))
				n++;
			if (n > 1 && p[n] == ',')
				for (n++; isdigit((unsigned char)p[n]); n++)
					;
			if (n > 1 && p[n] == '}') {
				accord_buf_put(out, p, n + 1);
				p += n + 1;
				skip_lazy(&p);
			} else {
				accord_buf_puts(out, "\\{");
				p++;
			}
		} else if (c == '}' || c == ']') {
			accord_buf_putc(out, '\\');
			accord_buf_putc(out, c);
			p++;
		} else if (c == '.') {
			/* ECMA's dot stops at line terminators; POSIX's does not. */
			accord_buf_puts(out, "[^\n\r]");
			p++;
		} else {
			accord_buf_putc(out, c);
			p++;
		}
	}
	if (!out->ptr)
		accord_buf_puts(out, "");
	return 0;
}

/*
 * Most schema patterns are anchored runs of ASCII character classes
 * ("^[0-9a-f]{64}$"). glibc's regexec in a UTF-8 locale converts the whole
 * subject to wide characters first, which costs more than the rest of
 * validating an entry, so such patterns get a small matcher of their own.
 * Anything else, and subjects it cannot read (malformed UTF-8), goes to
 * regexec as before.
 */
#define FM_MAX_EXCLUDED 8

struct fm_item {
	uint64_t set[2];    /* ASCII code points the item matches */
	int nonascii;	    /* whether it matches every code point >= 0x80 ... */
	unsigned nexcluded; /* ... but those in these ranges (a negated class) */
	unsigned long excluded[FM_MAX_EXCLUDED][2];
	unsigned min, max; /* repetitions; max UINT_MAX for unbounded */
};

struct accord_regex {
	regex_t re;
	struct fm_item *items; /* NULL: no fast matcher, use re */
	size_t nitems;
};

static void fm_add(struct fm_item *it, unsigned lo, unsigned hi)
{
	unsigned c;

	for (c = lo; c <= hi; c++)
		it->set[c >> 6] |= (uint64_t)1 << (c & 63);
}

/* One ASCII literal of an escape, as escape_literal reads it; -1 if none. */
static long fm_escape(const char **pp)
{
	size_t n;
	long v = escape_literal(*pp, &n);

	if (v <= 0 || v >= 0x80)
		return -1;
	*pp += n;
	return v;
}

/*
 * One member of a class as a code point: an escape as escape_literal reads
 * it, or a character of the pattern (UTF-8). -1 if neither. Non-ASCII
 * members let the free-text patterns ("[^...\u0080-\u009f\u202a-\u202e]")
 * stay on the fast matcher.
 */
static long fm_member(const char **pp)
{
	const char *p = *pp;
	uint32_t cp;
	size_t n;
	long v;

	if (*p == '\\') {
		if ((v = escape_literal(p + 1, &n)) <= 0)
			return -1;
		*pp = p + 1 + n;
		return v;
	}
	if ((unsigned char)*p < 0x80) {
		*pp = p + 1;
		return (unsigned char)*p;
	}
	if ((n = accord_utf8_decode(&cp, (const unsigned char *)p)) == 0)
		return -1;
	*pp = p + n;
	return (long)cp;
}

/*
 * A class after '[', read exactly as translate_class reads it. -1 if it is
 * not ASCII-only, except that a negated class may exclude a few non-ASCII
 * ranges.
 */
static int fm_class(struct fm_item *it, const char **pp)
{
	const char *p = *pp;
	int neg = 0, members = 0, k;
	unsigned long nx[FM_MAX_EXCLUDED][2];
	unsigned nnx = 0;

	if (*p == '^') {
		neg = 1;
		p++;
	}
	while (*p && *p != ']') {
		long lo, hi;

		if (*p == '\\' && (p[1] == 'd' || p[1] == 'w')) {
			p++;
			fm_add(it, '0', '9');
			if (*p == 'w') {
				fm_add(it, 'A', 'Z');
				fm_add(it, 'a', 'z');
				fm_add(it, '_', '_');
			}
			p++;
			members++;
			continue;
		}
		if (*p == '\\' && p[1] == 'b') {
			lo = '\b';
			p += 2;
		} else if ((lo = fm_member(&p)) < 0) {
			return -1;
		}
		hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			if ((hi = fm_member(&p)) < 0 || hi < lo)
				return -1;
		}
		if (hi >= 0x80) {
			/* non-ASCII members only in a negated class, as exclusions */
			if (!neg || nnx == FM_MAX_EXCLUDED)
				return -1;
			nx[nnx][0] = lo < 0x80 ? 0x80 : (unsigned long)lo;
			nx[nnx][1] = (unsigned long)hi;
			nnx++;
			if (lo >= 0x80) {
				members++;
				continue;
			}
			hi = 0x7f;
		}
		fm_add(it, (unsigned)lo, (unsigned)hi);
		members++;
	}
	if (*p != ']' || !members)
		return -1;
	if (neg) {
		for (k = 0; k < 2; k++)
			it->set[k] = ~it->set[k];
		it->set[0] &= ~(uint64_t)1; /* NUL never occurs in a C string */
		it->nonascii = 1;
		memcpy(it->excluded, nx, sizeof(nx));
		it->nexcluded = nnx;
	}
	*pp = p + 1;
	return 0;
}

/* The quantifier after an atom, if any, with ECMA's lazy marker skipped. -1 if malformed. */
static int fm_quant(struct fm_item *it, const char **pp)
{
	const char *p = *pp;
	unsigned long a, b;
	char *end;

	it->min = it->max = 1;
	if (*p == '*' || *p == '+' || *p == '?') {
		it->min = *p == '+';
		it->max = *p == '?' ? 1 : UINT_MAX;
		p++;
	} else if (*p == '{') {
		if (!isdigit((unsigned char)p[1]))
			return -1;
		a = strtoul(p + 1, &end, 10);
		b = a;
		if (*end == ',') {
			if (isdigit((unsigned char)end[1]))
				b = strtoul(end + 1, &end, 10);
			else {
				b = UINT_MAX;
				end++;
			}
		}
		if (*end != '}' || a > b || a > 0x7fff || (b != UINT_MAX && b > 0x7fff))
			return -1;
		it->min = (unsigned)a;
		it->max = (unsigned)b;
		p = end + 1;
	}
	if (*p == '?')
		p++;
	*pp = p;
	return 0;
}

static int fm_disjoint(const struct fm_item *a, const struct fm_item *b)
{
	return !(a->set[0] & b->set[0]) && !(a->set[1] & b->set[1]) &&
	       !(a->nonascii && b->nonascii);
}

/*
 * Compile "^ATOM{m,n}...$" for the fast matcher. Matching is greedy with
 * no backtracking, which finds a match exactly when one exists only if
 * every item of variable count is the last or is followed by an item of
 * at least one repetition matching none of its characters (then the run
 * an item takes is forced). Patterns outside that shape are left to regexec.
 */
static void fm_compile(accord_regex *pat, const char *p)
{
	struct fm_item *items = NULL;
	size_t n = 0, a = 0, i;

	if (*p++ != '^')
		return;
	while (*p && !(p[0] == '$' && p[1] == '\0')) {
		struct fm_item it;

		memset(&it, 0, sizeof(it));
		if (*p == '[') {
			p++;
			if (fm_class(&it, &p) < 0)
				goto fallback;
		} else if (*p == '\\') {
			long v;

			p++;
			switch (*p) {
			case 'd':
				fm_add(&it, '0', '9');
				p++;
				break;
			case 'w':
				fm_add(&it, '0', '9');
				fm_add(&it, 'A', 'Z');
				fm_add(&it, 'a', 'z');
				fm_add(&it, '_', '_');
				p++;
				break;
			default:
				if ((v = fm_escape(&p)) < 0)
					goto fallback;
				fm_add(&it, (unsigned)v, (unsigned)v);
			}
		} else if (*p == '.') {
			fm_add(&it, 1, 127);
			it.set[0] &= ~(((uint64_t)1 << '\n') | ((uint64_t)1 << '\r'));
			it.nonascii = 1;
			p++;
		} else if ((unsigned char)*p < 0x80 && !strchr("^$()|*+?{}[]", *p)) {
			fm_add(&it, (unsigned char)*p, (unsigned char)*p);
			p++;
		} else {
			goto fallback;
		}
		if (fm_quant(&it, &p) < 0)
			goto fallback;
		GROW(items, n, a);
		items[n++] = it;
	}
	if (*p != '$')
		goto fallback;
	for (i = 0; i + 1 < n; i++)
		if (items[i].min != items[i].max &&
		    (items[i + 1].min == 0 || !fm_disjoint(&items[i], &items[i + 1])))
			goto fallback;
	if (!items)
		items = accord_xrealloc(NULL, sizeof(*items));
	pat->items = items;
	pat->nitems = n;
	return;
fallback:
	free(items);
}

/* Whether the rest of a subject is well-formed UTF-8. */
static int fm_readable(const unsigned char *s)
{
	uint32_t cp;
	size_t len;

	for (; *s; s += len)
		if (*s < 0x80)
			len = 1;
		else if ((len = accord_utf8_decode(&cp, s)) == 0)
			return 0;
	return 1;
}

static int fm_excluded(const struct fm_item *it, unsigned long cp)
{
	unsigned i;

	for (i = 0; i < it->nexcluded; i++)
		if (cp >= it->excluded[i][0] && cp <= it->excluded[i][1])
			return 1;
	return 0;
}

/*
 * 1 on a match, 0 on none, -1 if the subject is not well-formed UTF-8
 * (then regexec decides, as it always did). NUL is in no item's set.
 */
static int fm_match(const accord_regex *pat, const char *subject)
{
	const unsigned char *s = (const unsigned char *)subject;
	uint32_t cp;
	size_t i, len;

	for (i = 0; i < pat->nitems; i++) {
		const struct fm_item *it = &pat->items[i];
		unsigned k;

		for (k = 0; k < it->max; k++) {
			unsigned ch = *s;

			if (ch < 0x80) {
				if (!((it->set[ch >> 6] >> (ch & 63)) & 1))
					break;
				s++;
			} else {
				if ((len = accord_utf8_decode(&cp, s)) == 0)
					return -1;
				if (!it->nonascii || fm_excluded(it, cp))
					break;
				s += len;
			}
		}
		if (k < it->min)
			return fm_readable(s) ? 0 : -1;
	}
	if (!*s)
		return 1;
	return fm_readable(s) ? 0 : -1;
}

int accord_regex_compile(accord_regex **out, const char *pattern, locale_t utf8, char *err,
			 size_t errlen)
{
	accord_buf ere = ACCORD_BUF_INIT;
	locale_t old = (locale_t)0;
	accord_regex *pat;
	int rc;

	err[0] = '\0';
	if (regex_translate(&ere, pattern, err, errlen) < 0) {
		accord_buf_dispose(&ere);
		return -1;
	}
	pat = accord_xrealloc(NULL, sizeof(*pat));
	pat->items = NULL;
	pat->nitems = 0;
	if (utf8)
		old = uselocale(utf8);
	rc = regcomp(&pat->re, ere.ptr, REG_EXTENDED | REG_NOSUB);
	if (utf8)
		uselocale(old);
	accord_buf_dispose(&ere);
	if (rc != 0) {
		regerror(rc, &pat->re, err, errlen);
		free(pat);
		return -1;
	}
	/* Only where regexec counts code points can a code-point matcher stand in for it. */
	if (utf8)
		fm_compile(pat, pattern);
	*out = pat;
	return 0;
}

void accord_regex_free(accord_regex *pat)
{
	if (pat) {
		regfree(&pat->re);
		free(pat->items);
		free(pat);
	}
}

/* 1 on a match, 0 on none, -1 if the regex engine failed (e.g. out of memory). */
int accord_regex_search(const accord_regex *pat, const char *s, locale_t utf8)
{
	locale_t old = (locale_t)0;
	int rc;

	if (pat->items && (rc = fm_match(pat, s)) >= 0)
		return rc;
	if (utf8)
		old = uselocale(utf8);
	rc = regexec(&pat->re, s, 0, NULL, 0);
	if (utf8)
		uselocale(old);
	return rc == 0 ? 1 : rc == REG_NOMATCH ? 0 : -1;
}

int accord_regex_is_fast(const accord_regex *pat)
{
	return pat->items != NULL;
}
