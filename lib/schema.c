/*
 * JSON Schema draft-07, interpreted: schema documents stay cJSON trees and
 * are walked at validation time, so schemas/ is the only description of
 * what an entry may contain. Adding a document walks it once to reject
 * keywords we do not implement, to index every "$id", to compile the
 * regular expressions and to find each schema object's keywords; then
 * registry_finalize() resolves "$ref"s and oneOf discriminators. Validation
 * never changes the registry (several threads may validate at once).
 */
#include <ctype.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "accord/json.h"
#include "accord/schema.h"
#include "schemas_gen.h"

/*
 * Nested schema objects a document may have, and nested evaluations
 * (subschemas plus $ref hops) one validation may make: generous for real
 * schemas, small enough that a hostile or looping one cannot exhaust the
 * stack (each level costs well under 2 KiB).
 */
#define WALK_MAX_DEPTH 128
#define EVAL_MAX_DEPTH 256

/* Longest validation message kept; the error buffer holds 1024 bytes. */
#define MSG_MAX 512

#define DRAFT07_URI "http://json-schema.org/draft-07/schema"

enum kw {
	KW_ID, KW_SCHEMA, KW_REF, KW_COMMENT, KW_TITLE, KW_DESCRIPTION,
	KW_DEFAULT, KW_EXAMPLES, KW_FORMAT, KW_DEFINITIONS,
	KW_TYPE, KW_ENUM, KW_CONST,
	KW_PROPERTIES, KW_REQUIRED, KW_ADDITIONAL_PROPERTIES,
	KW_PATTERN_PROPERTIES, KW_PROPERTY_NAMES, KW_MIN_PROPERTIES,
	KW_MAX_PROPERTIES, KW_DEPENDENCIES,
	KW_ITEMS, KW_ADDITIONAL_ITEMS, KW_MIN_ITEMS, KW_MAX_ITEMS,
	KW_UNIQUE_ITEMS, KW_CONTAINS,
	KW_MINIMUM, KW_MAXIMUM, KW_EXCLUSIVE_MINIMUM, KW_EXCLUSIVE_MAXIMUM,
	KW_MULTIPLE_OF,
	KW_MIN_LENGTH, KW_MAX_LENGTH, KW_PATTERN,
	KW_ALL_OF, KW_ANY_OF, KW_ONE_OF, KW_NOT, KW_IF, KW_THEN, KW_ELSE,
	KW_COUNT
};

static const char *const kw_names[KW_COUNT] = {
	"$id", "$schema", "$ref", "$comment", "title", "description",
	"default", "examples", "format", "definitions",
	"type", "enum", "const",
	"properties", "required", "additionalProperties",
	"patternProperties", "propertyNames", "minProperties",
	"maxProperties", "dependencies",
	"items", "additionalItems", "minItems", "maxItems",
	"uniqueItems", "contains",
	"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
	"multipleOf",
	"minLength", "maxLength", "pattern",
	"allOf", "anyOf", "oneOf", "not", "if", "then", "else",
};

/* Identifier of a (sub)schema: an absolute URI, maybe with a plain-name fragment. */
struct uri_entry {
	char *uri;
	const cJSON *node;
	char *base;
};

/* What we know about one node: its base if it has an "$id", its regex if it is a pattern. */
struct node_info {
	const cJSON *node;
	char *base;
	struct pattern *re;
	struct snode *sn;
};

/*
 * A oneOf whose alternatives each fix one member with "const" (an entry's
 * "type"): at most the alternative whose const equals the instance's member
 * can match, so it alone is tried first (see one_of_fast()).
 */
struct disc {
	const char *key;
	size_t n;
	const cJSON **alt, **want;
	int height; /* deepest evaluation nesting any alternative can reach */
};

/*
 * A schema object as the add walk compiled it: its keywords found once
 * (instead of by name on every visit), and its "$ref" resolved once the
 * target is in the registry. Validation only reads these.
 */
struct snode {
	const cJSON *kw[KW_COUNT];
	const cJSON *ref_target;
	const char *ref_tbase, *ref_base; /* borrowed from the registry */
	struct disc *disc;
	unsigned types; /* "type" as TY_* bits (the walk checked its names); 0 if none */
	int mark, height; /* for safe_height() */
};

static void snode_free(struct snode *sn);

/* Every "$ref" seen while adding, so accord_schema_registry_check() can resolve them all. */
struct ref_site {
	const cJSON *node;
	char *base;
	char *where;
};

struct accord_schema_registry {
	cJSON **docs;
	size_t ndocs, adocs;
	struct uri_entry *uris;
	size_t nuris, auris;
	struct node_info *map; /* open addressing keyed by node pointer */
	size_t map_cap, map_len;
	struct ref_site *refs;
	size_t nrefs, arefs;
	/* Regexes run in UTF-8 so that "." and {n} count code points, not bytes. */
	locale_t utf8;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		abort(); /* as accord_buf does: out of memory is not recoverable here */
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/*
 * Number helpers without libm: the Makefile links libaccord.a without -lm.
 * 2^53: from there on every double is an integer.
 */
#define TWO53 9007199254740992.0

static double dabs(double v)
{
	return v < 0 ? -v : v;
}

static int is_integral(double v)
{
	if (!isfinite(v))
		return 0;
	if (dabs(v) >= TWO53)
		return 1;
	return v == (double)(int64_t)v;
}

#define GROW(arr, n, a) do { \
	if ((n) == (a)) { \
		(a) = (a) ? (a) * 2 : 8; \
		(arr) = xrealloc((arr), (a) * sizeof(*(arr))); \
	} \
} while (0)

static int kw_lookup(const char *name)
{
	int i;

	for (i = 0; i < KW_COUNT; i++)
		if (strcmp(kw_names[i], name) == 0)
			return i;
	return -1;
}

/* First occurrence of each keyword, as cJSON_GetObjectItem would find it. */
static void kw_collect(const cJSON *s, const cJSON *kw[KW_COUNT])
{
	const cJSON *c;
	int k;

	memset(kw, 0, KW_COUNT * sizeof(*kw));
	cJSON_ArrayForEach(c, s) {
		if (!c->string)
			continue;
		k = kw_lookup(c->string);
		if (k >= 0 && !kw[k])
			kw[k] = c;
	}
}

/* ---- URIs (RFC 3986 reference resolution) ---- */

struct uri_parts {
	const char *scheme, *auth, *path, *query, *frag;
	size_t scheme_len, auth_len, path_len, query_len, frag_len;
	int has_scheme, has_auth, has_query, has_frag;
};

static void uri_parse(struct uri_parts *u, const char *s)
{
	const char *p = s;

	memset(u, 0, sizeof(*u));
	if (isalpha((unsigned char)*p)) {
		const char *q = p + 1;

		while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
			q++;
		if (*q == ':') {
			u->has_scheme = 1;
			u->scheme = p;
			u->scheme_len = (size_t)(q - p);
			p = q + 1;
		}
	}
	if (p[0] == '/' && p[1] == '/') {
		u->has_auth = 1;
		u->auth = p + 2;
		u->auth_len = strcspn(u->auth, "/?#");
		p = u->auth + u->auth_len;
	}
	u->path = p;
	u->path_len = strcspn(p, "?#");
	p += u->path_len;
	if (*p == '?') {
		u->has_query = 1;
		u->query = p + 1;
		u->query_len = strcspn(u->query, "#");
		p = u->query + u->query_len;
	}
	if (*p == '#') {
		u->has_frag = 1;
		u->frag = p + 1;
		u->frag_len = strlen(u->frag);
	}
}

/* RFC 3986 5.2.4, on a NUL-terminated copy; the result is appended to out. */
static void remove_dot_segments(accord_buf *out, const char *in)
{
	accord_buf o = ACCORD_BUF_INIT;
	char *last;

	while (*in) {
		if (strncmp(in, "../", 3) == 0) {
			in += 3;
		} else if (strncmp(in, "./", 2) == 0) {
			in += 2;
		} else if (strncmp(in, "/./", 3) == 0) {
			in += 2;
		} else if (strcmp(in, "/.") == 0) {
			in = "/";
		} else if (strncmp(in, "/../", 4) == 0 || strcmp(in, "/..") == 0) {
			in = in[3] ? in + 3 : "/";
			if (o.ptr && (last = strrchr(o.ptr, '/')) != NULL) {
				o.size = (size_t)(last - o.ptr);
				o.ptr[o.size] = '\0';
			} else {
				accord_buf_clear(&o);
			}
		} else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) {
			break;
		} else {
			size_t n = strcspn(in + 1, "/") + 1;

			accord_buf_put(&o, in, n);
			in += n;
		}
	}
	if (o.size)
		accord_buf_put(out, o.ptr, o.size);
	accord_buf_dispose(&o);
}

static void put_path(accord_buf *out, const char *p, size_t n)
{
	char *tmp = xstrndup(p, n);

	remove_dot_segments(out, tmp);
	free(tmp);
}

/* Resolve `ref` against `base` (RFC 3986 5.2.2). Returns a malloc'd string. */
static char *uri_resolve(const char *base, const char *ref)
{
	struct uri_parts b, r;
	accord_buf out = ACCORD_BUF_INIT;

	uri_parse(&r, ref);
	if (r.has_scheme || !base) {
		accord_buf_puts(&out, "");
		if (r.has_scheme) {
			accord_buf_put(&out, r.scheme, r.scheme_len);
			accord_buf_putc(&out, ':');
		}
		if (r.has_auth) {
			accord_buf_puts(&out, "//");
			accord_buf_put(&out, r.auth, r.auth_len);
		}
		if (r.has_scheme)
			put_path(&out, r.path, r.path_len);
		else
			accord_buf_put(&out, r.path, r.path_len);
		if (r.has_query) {
			accord_buf_putc(&out, '?');
			accord_buf_put(&out, r.query, r.query_len);
		}
		goto frag;
	}
	uri_parse(&b, base);
	if (b.has_scheme) {
		accord_buf_put(&out, b.scheme, b.scheme_len);
		accord_buf_putc(&out, ':');
	}
	if (r.has_auth) {
		accord_buf_puts(&out, "//");
		accord_buf_put(&out, r.auth, r.auth_len);
		put_path(&out, r.path, r.path_len);
		if (r.has_query) {
			accord_buf_putc(&out, '?');
			accord_buf_put(&out, r.query, r.query_len);
		}
		goto frag;
	}
	if (b.has_auth) {
		accord_buf_puts(&out, "//");
		accord_buf_put(&out, b.auth, b.auth_len);
	}
	if (r.path_len == 0) {
		accord_buf_put(&out, b.path, b.path_len);
		if (r.has_query || b.has_query) {
			accord_buf_putc(&out, '?');
			if (r.has_query)
				accord_buf_put(&out, r.query, r.query_len);
			else
				accord_buf_put(&out, b.query, b.query_len);
		}
	} else {
		if (r.path[0] == '/') {
			put_path(&out, r.path, r.path_len);
		} else {
			accord_buf merged = ACCORD_BUF_INIT;
			const char *slash = NULL;
			size_t i;

			for (i = 0; i < b.path_len; i++)
				if (b.path[i] == '/')
					slash = b.path + i;
			if (b.has_auth && b.path_len == 0)
				accord_buf_putc(&merged, '/');
			else if (slash)
				accord_buf_put(&merged, b.path, (size_t)(slash - b.path) + 1);
			accord_buf_put(&merged, r.path, r.path_len);
			if (merged.ptr[0] == '/' || b.has_scheme)
				remove_dot_segments(&out, merged.ptr);
			else
				accord_buf_put(&out, merged.ptr, merged.size);
			accord_buf_dispose(&merged);
		}
		if (r.has_query) {
			accord_buf_putc(&out, '?');
			accord_buf_put(&out, r.query, r.query_len);
		}
	}
frag:
	/* An empty fragment names the same resource: "x#" is "x". */
	if (r.has_frag && r.frag_len) {
		accord_buf_putc(&out, '#');
		accord_buf_put(&out, r.frag, r.frag_len);
	}
	if (!out.ptr)
		accord_buf_puts(&out, "");
	return accord_buf_detach(&out);
}

static int uri_is_absolute(const char *s)
{
	struct uri_parts u;

	uri_parse(&u, s);
	return u.has_scheme;
}

/* Length of `s` without its fragment. */
static size_t uri_nofrag_len(const char *s)
{
	return strcspn(s, "#");
}

/* ---- the node map ---- */

static size_t ptr_hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

static struct node_info *map_get(const accord_schema_registry *reg, const cJSON *node)
{
	size_t i;

	if (!reg->map_cap)
		return NULL;
	for (i = ptr_hash(node) & (reg->map_cap - 1); reg->map[i].node;
	     i = (i + 1) & (reg->map_cap - 1))
		if (reg->map[i].node == node)
			return &reg->map[i];
	return NULL;
}

static struct node_info *map_slot(accord_schema_registry *reg, const cJSON *node)
{
	struct node_info *info;
	size_t i;

	if ((reg->map_len + 1) * 2 > reg->map_cap) {
		struct node_info *old = reg->map;
		size_t oldcap = reg->map_cap, j;

		reg->map_cap = oldcap ? oldcap * 2 : 64;
		reg->map = calloc(reg->map_cap, sizeof(*reg->map));
		if (!reg->map)
			abort();
		for (j = 0; j < oldcap; j++) {
			if (!old[j].node)
				continue;
			for (i = ptr_hash(old[j].node) & (reg->map_cap - 1); reg->map[i].node;
			     i = (i + 1) & (reg->map_cap - 1))
				;
			reg->map[i] = old[j];
		}
		free(old);
	}
	if ((info = map_get(reg, node)) != NULL)
		return info;
	for (i = ptr_hash(node) & (reg->map_cap - 1); reg->map[i].node;
	     i = (i + 1) & (reg->map_cap - 1))
		;
	reg->map[i].node = node;
	reg->map_len++;
	return &reg->map[i];
}

/* ---- regular expressions: ECMA-262 syntax onto POSIX ERE ---- */

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

static int hexval(const char *p, int n, unsigned long *out)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -1;
		v = v * 16 + (unsigned long)(isdigit((unsigned char)p[i]) ? p[i] - '0' :
					     (tolower((unsigned char)p[i]) - 'a' + 10));
	}
	*out = v;
	return 0;
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
			case 'd': accord_buf_puts(&body, "0-9"); is_class = 1; break;
			case 'w': accord_buf_puts(&body, "A-Za-z0-9_"); is_class = 1; break;
			case 's': accord_buf_puts(&body, "[:space:]"); is_class = 1; break;
			case 'b': lo = '\b'; p++; goto literal;
			default: break;
			}
			if (is_class) {
				p++;
				members++;
				continue;
			}
			v = escape_literal(p, &n);
			if (v < 0) {
				snprintf(err, errlen, "unsupported escape \\%c in a character class", *p ? *p : '?');
				accord_buf_dispose(&body);
				return -1;
			}
			lo = (unsigned long)v;
			p += n;
		} else {
			lo = next_char(&p);
		}
literal:
		hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\') {
				size_t n;
				long v = escape_literal(p + 1, &n);

				if (v < 0) {
					snprintf(err, errlen, "unsupported range end in a character class");
					accord_buf_dispose(&body);
					return -1;
				}
				hi = (unsigned long)v;
				p += 1 + n;
			} else {
				hi = next_char(&p);
			}
			if (hi < lo) {
				snprintf(err, errlen, "character range out of order");
				accord_buf_dispose(&body);
				return -1;
			}
		}
		if (hi >= 0x80 && hi != lo && hi - (lo < 0x80 ? 0x80 : lo) < 256) {
			/*
			 * glibc's regcomp refuses ranges that reach past ASCII ("Invalid
			 * collation character"), so a short one is written out member by
			 * member (the free-text patterns exclude \u0080-\u009f this way).
			 */
			unsigned long c;

			if (lo < 0x80) {
				put_bracket_char(&body, lo);
				accord_buf_putc(&body, '-');
				put_bracket_char(&body, 0x7f);
			}
			for (c = lo < 0x80 ? 0x80 : lo; c <= hi; c++)
				put_bracket_char(&body, c);
		} else {
			put_bracket_char(&body, lo);
			if (hi != lo) {
				accord_buf_putc(&body, '-');
				put_bracket_char(&body, hi);
			}
		}
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
			case 'd': accord_buf_puts(out, "[0-9]"); p++; continue;
			case 'D': accord_buf_puts(out, "[^0-9]"); p++; continue;
			case 'w': accord_buf_puts(out, "[A-Za-z0-9_]"); p++; continue;
			case 'W': accord_buf_puts(out, "[^A-Za-z0-9_]"); p++; continue;
			case 's': accord_buf_puts(out, "[[:space:]]"); p++; continue;
			case 'S': accord_buf_puts(out, "[^[:space:]]"); p++; continue;
			/* glibc understands \b and \B as word boundaries in ERE too. */
			case 'b': accord_buf_puts(out, "\\b"); p++; continue;
			case 'B': accord_buf_puts(out, "\\B"); p++; continue;
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
					snprintf(err, errlen, "lookaround and named groups are not supported");
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
	uint64_t set[2];       /* ASCII code points the item matches */
	int nonascii;          /* whether it matches every code point >= 0x80 ... */
	unsigned nexcluded;    /* ... but those in these ranges (a negated class) */
	unsigned long excluded[FM_MAX_EXCLUDED][2];
	unsigned min, max;     /* repetitions; max UINT_MAX for unbounded */
};

struct pattern {
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
static void fm_compile(struct pattern *pat, const char *p)
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
			case 'd': fm_add(&it, '0', '9'); p++; break;
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
		items = xrealloc(NULL, sizeof(*items));
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
static int fm_match(const struct pattern *pat, const char *subject)
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

static int regex_compile(const accord_schema_registry *reg, struct pattern **out,
			 const char *pattern, char *err, size_t errlen)
{
	accord_buf ere = ACCORD_BUF_INIT;
	locale_t old = (locale_t)0;
	struct pattern *pat;
	int rc;

	err[0] = '\0';
	if (regex_translate(&ere, pattern, err, errlen) < 0) {
		accord_buf_dispose(&ere);
		return -1;
	}
	pat = xrealloc(NULL, sizeof(*pat));
	pat->items = NULL;
	pat->nitems = 0;
	if (reg->utf8)
		old = uselocale(reg->utf8);
	rc = regcomp(&pat->re, ere.ptr, REG_EXTENDED | REG_NOSUB);
	if (reg->utf8)
		uselocale(old);
	accord_buf_dispose(&ere);
	if (rc != 0) {
		regerror(rc, &pat->re, err, errlen);
		free(pat);
		return -1;
	}
	/* Only where regexec counts code points can a code-point matcher stand in for it. */
	if (reg->utf8)
		fm_compile(pat, pattern);
	*out = pat;
	return 0;
}

static void regex_free(struct pattern *pat)
{
	if (pat) {
		regfree(&pat->re);
		free(pat->items);
		free(pat);
	}
}

/* 1 on a match, 0 on none, -1 if the regex engine failed (e.g. out of memory). */
static int regex_search(const accord_schema_registry *reg, const struct pattern *pat,
			const char *s)
{
	locale_t old = (locale_t)0;
	int rc;

	if (pat->items && (rc = fm_match(pat, s)) >= 0)
		return rc;
	if (reg->utf8)
		old = uselocale(reg->utf8);
	rc = regexec(&pat->re, s, 0, NULL, 0);
	if (reg->utf8)
		uselocale(old);
	return rc == 0 ? 1 : rc == REG_NOMATCH ? 0 : -1;
}

/* ---- registry ---- */

int accord_schema_registry_new(accord_schema_registry **out)
{
	accord_schema_registry *reg;

	if (!out)
		return accord_error_set(ACCORD_EINVALID, "schema registry: no output pointer");
	reg = calloc(1, sizeof(*reg));
	if (!reg)
		return accord_error_set(ACCORD_ENOMEM, "schema registry: out of memory");
	reg->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	*out = reg;
	return 0;
}

void accord_schema_registry_free(accord_schema_registry *reg)
{
	size_t i;

	if (!reg)
		return;
	for (i = 0; i < reg->ndocs; i++)
		cJSON_Delete(reg->docs[i]);
	for (i = 0; i < reg->nuris; i++) {
		free(reg->uris[i].uri);
		free(reg->uris[i].base);
	}
	for (i = 0; i < reg->map_cap; i++) {
		free(reg->map[i].base);
		regex_free(reg->map[i].re);
		snode_free(reg->map[i].sn);
	}
	for (i = 0; i < reg->nrefs; i++) {
		free(reg->refs[i].base);
		free(reg->refs[i].where);
	}
	if (reg->utf8)
		freelocale(reg->utf8);
	free(reg->docs);
	free(reg->uris);
	free(reg->map);
	free(reg->refs);
	free(reg);
}

/* What one accord_schema_registry_add() collects before it commits. */
struct walk {
	accord_schema_registry *reg;
	const cJSON *root;
	const char *doc_uri;
	int lenient;
	accord_buf where; /* JSON pointer into the schema, for messages */
	struct uri_entry *uris;
	size_t nuris, auris;
	struct node_info *infos;
	size_t ninfos, ainfos;
	struct ref_site *refs;
	size_t nrefs, arefs;
};

static int walk_fail(struct walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int walk_fail(struct walk *w, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return accord_error_set(ACCORD_EINVALID, "schema %s#%s: %s", w->doc_uri,
				w->where.ptr ? w->where.ptr : "", reason);
}

static const struct uri_entry *uri_find(const struct uri_entry *v, size_t n, const char *uri)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].uri, uri) == 0)
			return &v[i];
	return NULL;
}

static int walk_index(struct walk *w, const char *uri, const cJSON *node, const char *base)
{
	const struct uri_entry *e = uri_find(w->uris, w->nuris, uri);

	if (e && e->node == node)
		return 0;
	if (e || uri_find(w->reg->uris, w->reg->nuris, uri))
		return accord_error_set(ACCORD_EEXISTS, "schema %s#%s: \"%s\" is already defined",
					w->doc_uri, w->where.ptr ? w->where.ptr : "", uri);
	GROW(w->uris, w->nuris, w->auris);
	w->uris[w->nuris].uri = xstrdup(uri);
	w->uris[w->nuris].node = node;
	w->uris[w->nuris].base = xstrdup(base);
	w->nuris++;
	return 0;
}

static void walk_info(struct walk *w, const cJSON *node, const char *base, struct pattern *re)
{
	GROW(w->infos, w->ninfos, w->ainfos);
	w->infos[w->ninfos].node = node;
	w->infos[w->ninfos].base = base ? xstrdup(base) : NULL;
	w->infos[w->ninfos].re = re;
	w->infos[w->ninfos].sn = NULL;
	w->ninfos++;
}

enum {
	TY_NULL = 1, TY_BOOLEAN = 2, TY_OBJECT = 4, TY_ARRAY = 8, TY_NUMBER = 16,
	TY_INTEGER = 32, TY_STRING = 64,
};

static unsigned type_bit(const cJSON *v)
{
	static const char *const names[] = {
		"null", "boolean", "object", "array", "number", "integer", "string",
	};
	unsigned i;

	for (i = 0; cJSON_IsString(v) && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v->valuestring, names[i]) == 0)
			return 1u << i;
	return 0;
}

/* Record a schema object's keywords (as kw_collect would find them). */
static void walk_node(struct walk *w, const cJSON *node, const cJSON *const kw[KW_COUNT])
{
	struct snode *sn = calloc(1, sizeof(*sn));

	if (!sn)
		abort();
	memcpy(sn->kw, kw, sizeof(sn->kw));
	if (cJSON_IsArray(kw[KW_TYPE])) {
		const cJSON *t;

		cJSON_ArrayForEach(t, kw[KW_TYPE])
			sn->types |= type_bit(t);
	} else if (kw[KW_TYPE]) {
		sn->types = type_bit(kw[KW_TYPE]);
	}
	GROW(w->infos, w->ninfos, w->ainfos);
	w->infos[w->ninfos].node = node;
	w->infos[w->ninfos].base = NULL;
	w->infos[w->ninfos].re = NULL;
	w->infos[w->ninfos].sn = sn;
	w->ninfos++;
}

static void snode_free(struct snode *sn)
{
	if (!sn)
		return;
	if (sn->disc) {
		free(sn->disc->alt);
		free(sn->disc->want);
		free(sn->disc);
	}
	free(sn);
}

static void walk_free(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->nuris; i++) {
		free(w->uris[i].uri);
		free(w->uris[i].base);
	}
	for (i = 0; i < w->ninfos; i++) {
		free(w->infos[i].base);
		regex_free(w->infos[i].re);
		snode_free(w->infos[i].sn);
	}
	for (i = 0; i < w->nrefs; i++) {
		free(w->refs[i].base);
		free(w->refs[i].where);
	}
	free(w->uris);
	free(w->infos);
	free(w->refs);
	accord_buf_dispose(&w->where);
}

/* Append one JSON-pointer token (escaped) to the schema location. */
static size_t where_push(struct walk *w, const char *tok)
{
	size_t mark = w->where.size;
	const char *p;

	accord_buf_putc(&w->where, '/');
	for (p = tok; *p; p++) {
		if (*p == '~')
			accord_buf_puts(&w->where, "~0");
		else if (*p == '/')
			accord_buf_puts(&w->where, "~1");
		else
			accord_buf_putc(&w->where, *p);
	}
	return mark;
}

static size_t where_push_index(struct walk *w, size_t i)
{
	size_t mark = w->where.size;

	accord_buf_printf(&w->where, "/%zu", i);
	return mark;
}

static void where_pop(struct walk *w, size_t mark)
{
	w->where.size = mark;
	w->where.ptr[mark] = '\0';
}

static int walk_schema(struct walk *w, const cJSON *s, const char *base, int depth);

static int walk_sub(struct walk *w, const char *tok, const cJSON *s, const char *base, int depth)
{
	size_t mark = where_push(w, tok);
	int rc = walk_schema(w, s, base, depth + 1);

	if (rc == 0)
		where_pop(w, mark);
	return rc;
}

static int walk_array_of_schemas(struct walk *w, const cJSON *kwv, const char *base, int depth,
				 int nonempty)
{
	size_t mark = where_push(w, kwv->string), m2, i = 0;
	const cJSON *c;
	int rc;

	if (!cJSON_IsArray(kwv) || (nonempty && cJSON_GetArraySize(kwv) == 0))
		return walk_fail(w, "must be a%s array of schemas", nonempty ? " non-empty" : "n");
	cJSON_ArrayForEach(c, kwv) {
		m2 = where_push_index(w, i++);
		if ((rc = walk_schema(w, c, base, depth + 1)) < 0)
			return rc;
		where_pop(w, m2);
	}
	where_pop(w, mark);
	return 0;
}

/* An object whose values are schemas ("properties", "definitions", ...). */
static int walk_schema_map(struct walk *w, const cJSON *kwv, const char *base, int depth,
			   int patterns)
{
	size_t mark = where_push(w, kwv->string);
	const cJSON *c;
	int rc;

	if (!cJSON_IsObject(kwv))
		return walk_fail(w, "must be an object");
	cJSON_ArrayForEach(c, kwv) {
		if (patterns) {
			char err[256];
			struct pattern *re;

			if (regex_compile(w->reg, &re, c->string, err, sizeof(err)) < 0)
				return walk_fail(w, "bad regular expression \"%s\": %s", c->string, err);
			walk_info(w, c, NULL, re);
		}
		if ((rc = walk_sub(w, c->string, c, base, depth)) < 0)
			return rc;
	}
	where_pop(w, mark);
	return 0;
}

static int is_type_name(const cJSON *v)
{
	static const char *const names[] = {
		"null", "boolean", "object", "array", "number", "integer", "string",
	};
	size_t i;

	if (!cJSON_IsString(v))
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v->valuestring, names[i]) == 0)
			return 1;
	return 0;
}

static int is_count(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 1e15 &&
	       is_integral(v->valuedouble);
}

static int is_string_array(const cJSON *v)
{
	const cJSON *c;

	if (!cJSON_IsArray(v))
		return 0;
	cJSON_ArrayForEach(c, v)
		if (!cJSON_IsString(c))
			return 0;
	return 1;
}

/* Keywords that may stand beside "$ref", which makes draft-07 ignore all its siblings. */
static int allowed_beside_ref(int k)
{
	return k == KW_ID || k == KW_SCHEMA || k == KW_COMMENT || k == KW_TITLE ||
	       k == KW_DESCRIPTION || k == KW_DEFINITIONS || k == KW_REF;
}

/* Handle "$id": index the subschema and work out the base its children see. */
static int walk_id(struct walk *w, const cJSON *s, const cJSON *id, const char **base,
		   char **owned)
{
	char *full, *nb;
	const char *frag;
	int rc = 0;

	if (!cJSON_IsString(id))
		return walk_fail(w, "\"$id\" must be a string");
	full = uri_resolve(*base, id->valuestring);
	if (!uri_is_absolute(full)) {
		rc = walk_fail(w, "\"$id\" \"%s\" does not resolve to an absolute URI", id->valuestring);
		goto done;
	}
	frag = strchr(full, '#');
	if (frag && frag[1] == '/') {
		/* draft-07 allows only plain-name fragments in $id. */
		if (!w->lenient) {
			rc = walk_fail(w, "\"$id\" \"%s\" has a JSON-pointer fragment", id->valuestring);
			goto done;
		}
		frag = NULL;
		full[uri_nofrag_len(full)] = '\0';
	}
	nb = xstrndup(full, uri_nofrag_len(full));
	if (id->valuestring[0] != '#')
		rc = walk_index(w, nb, s, nb);
	if (rc == 0 && frag)
		rc = walk_index(w, full, s, nb);
	if (rc == 0) {
		walk_info(w, s, nb, NULL);
		*owned = nb;
		*base = nb;
	} else {
		free(nb);
	}
done:
	free(full);
	return rc;
}

static int walk_schema(struct walk *w, const cJSON *s, const char *base, int depth)
{
	const cJSON *kw[KW_COUNT], *c;
	char *owned = NULL;
	size_t mark;
	int k, rc = 0;

	if (cJSON_IsBool(s))
		return 0;
	if (!cJSON_IsObject(s))
		return walk_fail(w, "a schema must be an object or a boolean");
	if (depth > WALK_MAX_DEPTH)
		return walk_fail(w, "schemas nested deeper than %d", WALK_MAX_DEPTH);

	memset(kw, 0, sizeof(kw));
	cJSON_ArrayForEach(c, s) {
		k = c->string ? kw_lookup(c->string) : -1;
		if (k < 0) {
			if (w->lenient)
				continue;
			return walk_fail(w, "unknown keyword \"%s\"", c->string ? c->string : "");
		}
		if (kw[k]) {
			if (w->lenient)
				continue;
			return walk_fail(w, "keyword \"%s\" appears twice", c->string);
		}
		kw[k] = c;
	}

	if (kw[KW_REF]) {
		if (!cJSON_IsString(kw[KW_REF]))
			return walk_fail(w, "\"$ref\" must be a string");
		if (!w->lenient)
			for (k = 0; k < KW_COUNT; k++)
				if (kw[k] && !allowed_beside_ref(k))
					return walk_fail(w, "\"%s\" beside \"$ref\" is ignored by draft-07; "
						"put both in an \"allOf\"", kw_names[k]);
	}
	/* draft-07: a sibling "$ref" hides "$id", except at the root, which names the document. */
	if (kw[KW_ID] && (!kw[KW_REF] || s == w->root)) {
		if ((rc = walk_id(w, s, kw[KW_ID], &base, &owned)) < 0)
			return rc;
	}
	if (kw[KW_REF]) {
		GROW(w->refs, w->nrefs, w->arefs);
		w->refs[w->nrefs].node = s;
		w->refs[w->nrefs].base = xstrdup(base);
		w->refs[w->nrefs].where = xstrdup(w->where.ptr ? w->where.ptr : "");
		w->nrefs++;
	}
	if (kw[KW_SCHEMA]) {
		const cJSON *v = kw[KW_SCHEMA];

		if (!cJSON_IsString(v)) {
			rc = walk_fail(w, "\"$schema\" must be a string");
			goto done;
		}
		if (!w->lenient && strcmp(v->valuestring, DRAFT07_URI) != 0 &&
		    strcmp(v->valuestring, DRAFT07_URI "#") != 0) {
			rc = walk_fail(w, "\"$schema\" \"%s\" is not draft-07 (" DRAFT07_URI "#)",
				       v->valuestring);
			goto done;
		}
	}

	for (k = 0; k < KW_COUNT && rc == 0; k++) {
		const cJSON *v = kw[k];

		if (!v)
			continue;
		switch (k) {
		case KW_COMMENT:
		case KW_TITLE:
		case KW_DESCRIPTION:
		case KW_FORMAT:
			if (!cJSON_IsString(v))
				rc = walk_fail(w, "\"%s\" must be a string", v->string);
			break;
		case KW_EXAMPLES:
			if (!cJSON_IsArray(v))
				rc = walk_fail(w, "\"examples\" must be an array");
			break;
		case KW_ENUM:
			if (!cJSON_IsArray(v))
				rc = walk_fail(w, "\"enum\" must be an array");
			break;
		case KW_TYPE:
			if (cJSON_IsArray(v)) {
				cJSON_ArrayForEach(c, v)
					if (!is_type_name(c))
						break;
				if (c || cJSON_GetArraySize(v) == 0)
					rc = walk_fail(w, "\"type\" must name JSON types");
			} else if (!is_type_name(v)) {
				rc = walk_fail(w, "\"type\" must name a JSON type");
			}
			break;
		case KW_DEFINITIONS:
		case KW_PROPERTIES:
			rc = walk_schema_map(w, v, base, depth, 0);
			break;
		case KW_PATTERN_PROPERTIES:
			rc = walk_schema_map(w, v, base, depth, 1);
			break;
		case KW_REQUIRED:
			if (!is_string_array(v))
				rc = walk_fail(w, "\"required\" must be an array of strings");
			break;
		case KW_ADDITIONAL_PROPERTIES:
		case KW_ADDITIONAL_ITEMS:
		case KW_PROPERTY_NAMES:
		case KW_CONTAINS:
		case KW_NOT:
		case KW_IF:
		case KW_THEN:
		case KW_ELSE:
			rc = walk_sub(w, v->string, v, base, depth);
			break;
		case KW_ITEMS:
			if (cJSON_IsArray(v))
				rc = walk_array_of_schemas(w, v, base, depth, 0);
			else
				rc = walk_sub(w, v->string, v, base, depth);
			break;
		case KW_ALL_OF:
		case KW_ANY_OF:
		case KW_ONE_OF:
			rc = walk_array_of_schemas(w, v, base, depth, 1);
			break;
		case KW_DEPENDENCIES:
			if (!cJSON_IsObject(v)) {
				rc = walk_fail(w, "\"dependencies\" must be an object");
				break;
			}
			mark = where_push(w, v->string);
			cJSON_ArrayForEach(c, v) {
				if (cJSON_IsArray(c)) {
					if (!is_string_array(c))
						rc = walk_fail(w, "\"%s\" must list field names", c->string);
				} else {
					rc = walk_sub(w, c->string, c, base, depth);
				}
				if (rc < 0)
					break;
			}
			if (rc == 0)
				where_pop(w, mark);
			break;
		case KW_MIN_PROPERTIES:
		case KW_MAX_PROPERTIES:
		case KW_MIN_ITEMS:
		case KW_MAX_ITEMS:
		case KW_MIN_LENGTH:
		case KW_MAX_LENGTH:
			if (!is_count(v))
				rc = walk_fail(w, "\"%s\" must be a non-negative integer", v->string);
			break;
		case KW_MINIMUM:
		case KW_MAXIMUM:
		case KW_EXCLUSIVE_MINIMUM:
		case KW_EXCLUSIVE_MAXIMUM:
			if (!cJSON_IsNumber(v))
				rc = walk_fail(w, "\"%s\" must be a number", v->string);
			break;
		case KW_MULTIPLE_OF:
			if (!cJSON_IsNumber(v) || !(v->valuedouble > 0))
				rc = walk_fail(w, "\"multipleOf\" must be a number greater than 0");
			break;
		case KW_UNIQUE_ITEMS:
			if (!cJSON_IsBool(v))
				rc = walk_fail(w, "\"uniqueItems\" must be true or false");
			break;
		case KW_PATTERN:
			if (!cJSON_IsString(v)) {
				rc = walk_fail(w, "\"pattern\" must be a string");
			} else {
				char err[256];
				struct pattern *re;

				if (regex_compile(w->reg, &re, v->valuestring, err, sizeof(err)) < 0)
					rc = walk_fail(w, "bad regular expression \"%s\": %s",
						       v->valuestring, err);
				else
					walk_info(w, v, NULL, re);
			}
			break;
		default:
			break; /* $id, $ref, $schema handled above; const, default: any value */
		}
	}
	if (rc == 0)
		walk_node(w, s, kw);
done:
	free(owned);
	return rc;
}

static void registry_finalize(accord_schema_registry *reg);

static int registry_add(accord_schema_registry *reg, cJSON *doc, const char *base_uri, int lenient)
{
	struct walk w;
	const cJSON *id;
	char *retrieval = NULL, *rootbase = NULL;
	size_t i;
	int rc;

	if (!reg || !doc)
		return accord_error_set(ACCORD_EINVALID, "schema registry: no registry or document");
	for (i = 0; i < reg->ndocs; i++)
		if (reg->docs[i] == doc)
			return accord_error_set(ACCORD_EEXISTS, "schema document added twice");
	memset(&w, 0, sizeof(w));
	w.reg = reg;
	w.root = doc;
	w.lenient = lenient;

	id = cJSON_IsObject(doc) ? cJSON_GetObjectItemCaseSensitive(doc, "$id") : NULL;
	if (base_uri) {
		retrieval = uri_resolve(NULL, base_uri);
		retrieval[uri_nofrag_len(retrieval)] = '\0';
		if (!uri_is_absolute(retrieval)) {
			rc = accord_error_set(ACCORD_EINVALID, "schema base URI \"%s\" is not absolute",
					      base_uri);
			goto done;
		}
	} else if (!cJSON_IsString(id)) {
		rc = accord_error_set(ACCORD_EINVALID, "schema has no \"$id\" and no base URI was given");
		goto done;
	}
	if (cJSON_IsString(id))
		rootbase = uri_resolve(retrieval, id->valuestring);
	else
		rootbase = xstrdup(retrieval);
	rootbase[uri_nofrag_len(rootbase)] = '\0';
	w.doc_uri = rootbase;
	if (!uri_is_absolute(rootbase)) {
		rc = accord_error_set(ACCORD_EINVALID, "schema \"$id\" \"%s\" is not an absolute URI",
				      rootbase);
		goto done;
	}
	/* Reachable by the name it was fetched under, and by its own "$id" (indexed by the walk). */
	if (retrieval && (rc = walk_index(&w, retrieval, doc, rootbase)) < 0)
		goto done;
	if ((rc = walk_index(&w, rootbase, doc, rootbase)) < 0)
		goto done;
	if ((rc = walk_schema(&w, doc, rootbase, 0)) < 0)
		goto done;

	/* Commit: nothing below can fail. */
	GROW(reg->docs, reg->ndocs, reg->adocs);
	reg->docs[reg->ndocs++] = doc;
	for (i = 0; i < w.nuris; i++) {
		GROW(reg->uris, reg->nuris, reg->auris);
		reg->uris[reg->nuris++] = w.uris[i];
	}
	w.nuris = 0;
	for (i = 0; i < w.ninfos; i++) {
		struct node_info *info = map_slot(reg, w.infos[i].node);

		if (w.infos[i].base && !info->base) {
			info->base = w.infos[i].base;
			w.infos[i].base = NULL;
		}
		if (w.infos[i].re && !info->re) {
			info->re = w.infos[i].re;
			w.infos[i].re = NULL;
		}
		if (w.infos[i].sn && !info->sn) {
			info->sn = w.infos[i].sn;
			w.infos[i].sn = NULL;
		}
	}
	for (i = 0; i < w.nrefs; i++) {
		GROW(reg->refs, reg->nrefs, reg->arefs);
		reg->refs[reg->nrefs++] = w.refs[i];
	}
	w.nrefs = 0;
	registry_finalize(reg);
	rc = 0;
done:
	walk_free(&w);
	free(retrieval);
	free(rootbase);
	return rc;
}

int accord_schema_registry_add(accord_schema_registry *reg, cJSON *doc, const char *base_uri)
{
	return registry_add(reg, doc, base_uri, 0);
}

int accord_schema_registry_add_lenient(accord_schema_registry *reg, cJSON *doc,
				       const char *base_uri)
{
	return registry_add(reg, doc, base_uri, 1);
}

/* ---- resolving references ---- */

/* Strings made while resolving (bases of subschemas the add walk never saw). */
struct strlist {
	char **v;
	size_t n, a;
};

static const char *strlist_keep(struct strlist *l, char *s)
{
	GROW(l->v, l->n, l->a);
	l->v[l->n++] = s;
	return s;
}

static void strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int pct_decode(char *s)
{
	char *r = s, *o = s;
	unsigned long v;

	while (*r) {
		if (*r == '%') {
			if (hexval(r + 1, 2, &v) < 0 || v == 0)
				return -1;
			*o++ = (char)v;
			r += 3;
		} else {
			*o++ = *r++;
		}
	}
	*o = '\0';
	return 0;
}

/* Follow a JSON pointer (already percent-decoded) from `node`, tracking "$id" bases on the way. */
static const cJSON *pointer_walk(const accord_schema_registry *reg, const cJSON *node,
				 const char *ptr, const char **base)
{
	accord_buf tok = ACCORD_BUF_INIT;
	const struct node_info *info;

	while (node && *ptr == '/') {
		ptr++;
		accord_buf_clear(&tok);
		accord_buf_puts(&tok, "");
		for (; *ptr && *ptr != '/'; ptr++) {
			if (*ptr == '~' && ptr[1] == '0') {
				accord_buf_putc(&tok, '~');
				ptr++;
			} else if (*ptr == '~' && ptr[1] == '1') {
				accord_buf_putc(&tok, '/');
				ptr++;
			} else {
				accord_buf_putc(&tok, *ptr);
			}
		}
		if (cJSON_IsObject(node)) {
			node = cJSON_GetObjectItemCaseSensitive(node, tok.ptr);
		} else if (cJSON_IsArray(node)) {
			char *end;
			unsigned long i = strtoul(tok.ptr, &end, 10);

			if (!isdigit((unsigned char)tok.ptr[0]) || *end ||
			    (tok.ptr[0] == '0' && tok.ptr[1]) || i > INT_MAX)
				node = NULL;
			else
				node = cJSON_GetArrayItem(node, (int)i);
		} else {
			node = NULL;
		}
		if (node && (info = map_get(reg, node)) != NULL && info->base)
			*base = info->base;
	}
	accord_buf_dispose(&tok);
	return *ptr ? NULL : node;
}

/*
 * Find the schema named by the absolute URI `uri`: a document or "$id"
 * plus a JSON-pointer fragment, or a plain-name fragment. Sets *node and
 * *base (borrowed from the registry or from `tmp`). ACCORD_ENOTFOUND if absent.
 */
static int lookup(const accord_schema_registry *reg, const char *uri, const cJSON **node,
		  const char **base)
{
	const struct uri_entry *e;
	const char *hash = strchr(uri, '#');
	char *doc, *frag;
	const cJSON *n;
	const char *b;

	if (hash && hash[1] && hash[1] != '/') {
		if ((e = uri_find(reg->uris, reg->nuris, uri)) == NULL)
			return ACCORD_ENOTFOUND;
		*node = e->node;
		*base = e->base;
		return 0;
	}
	doc = xstrndup(uri, hash ? (size_t)(hash - uri) : strlen(uri));
	e = uri_find(reg->uris, reg->nuris, doc);
	free(doc);
	if (!e)
		return ACCORD_ENOTFOUND;
	n = e->node;
	b = e->base;
	if (hash && hash[1]) {
		frag = xstrdup(hash + 1);
		if (pct_decode(frag) < 0)
			n = NULL;
		else
			n = pointer_walk(reg, n, frag, &b);
		free(frag);
		if (!n)
			return ACCORD_ENOTFOUND;
	}
	*node = n;
	*base = b;
	return 0;
}

/* ---- validation ---- */

/* How a failure bears on choosing among anyOf/oneOf alternatives. */
/* Compared by address: the failure that makes an entry's schema failure "unknown-field". */
static const char unknown_field_fmt[] = "unknown field \"%s\"";
static __thread accord_schema_failure last_failure;

accord_schema_failure accord_schema_last_failure(void)
{
	return last_failure;
}

enum fail_kind {
	FK_OTHER, /* the instance has the right shape but a wrong detail */
	FK_TYPE,  /* "type" mismatch: at the alternative's own level, it is the wrong alternative */
	FK_DISC,  /* const/enum mismatch: near the top, a discriminator that ruled it out */
};

struct verr {
	int set;
	int unknown_field; /* the failure is a field the schema does not know */
	int depth; /* length of the instance path */
	int disc;  /* a type/const/enum failure, weaker evidence than others */
	int kind;  /* enum fail_kind */
	size_t reason; /* offset of the reason in msg, after "<pointer>: " */
	char msg[MSG_MAX];
};

struct seg {
	const char *name; /* NULL for an array index */
	size_t index;
};

struct ref_frame {
	const cJSON *schema;
	const cJSON *inst;
};

/* A failed "const", remembered to name a discriminator like "type" when no alternative fits. */
struct const_fail {
	const cJSON *inst, *want;
	int depth;
};

/* Stacks start in the context itself, so a typical validation does not allocate. */
#define PATH_LOCAL 32
#define REFS_LOCAL 16

struct vctx {
	const accord_schema_registry *reg;
	struct seg *path;
	size_t npath, apath;
	struct ref_frame *refs;
	size_t nrefs, arefs;
	struct seg path_local[PATH_LOCAL];
	struct ref_frame refs_local[REFS_LOCAL];
	int depth;
	int quiet; /* only valid/invalid matters: no messages, stop at the first failure */
	struct verr err;
	/* The shallowest type/const/enum failure: why an alternative was ruled out. */
	struct verr disc;
	int type_min, disc_min; /* shallowest path depth of such failures so far */
	struct const_fail *cf;
	size_t ncf, acf;
	struct strlist tmp;
};

/* GROW for an array that starts in `local`. */
#define GROW_LOCAL(arr, n, a, local) do { \
	if ((n) == (a)) { \
		void *p_ = xrealloc((arr) == (local) ? NULL : (void *)(arr), (a) * 2 * sizeof(*(arr))); \
		if ((arr) == (local)) \
			memcpy(p_, (local), (n) * sizeof(*(arr))); \
		(arr) = p_; \
		(a) *= 2; \
	} \
} while (0)

static void path_push(struct vctx *c, const char *name, size_t index)
{
	GROW_LOCAL(c->path, c->npath, c->apath, c->path_local);
	c->path[c->npath].name = name;
	c->path[c->npath].index = index;
	c->npath++;
}

static void path_pop(struct vctx *c)
{
	c->npath--;
}

/* The instance location as a JSON pointer; the root is written "/" to be readable. */
static size_t path_write(const struct vctx *c, char *dst, size_t n)
{
	size_t len = 0, i;
	const char *p;

#define PUT(ch) do { if (len + 1 < n) dst[len] = (ch); len++; } while (0)
	if (c->npath == 0)
		PUT('/');
	for (i = 0; i < c->npath; i++) {
		PUT('/');
		if (c->path[i].name) {
			for (p = c->path[i].name; *p; p++) {
				if (*p == '~') {
					PUT('~');
					PUT('0');
				} else if (*p == '/') {
					PUT('~');
					PUT('1');
				} else {
					PUT(*p);
				}
			}
		} else {
			char num[24];

			snprintf(num, sizeof(num), "%zu", c->path[i].index);
			for (p = num; *p; p++)
				PUT(*p);
		}
	}
#undef PUT
	if (n)
		dst[len < n ? len : n - 1] = '\0';
	return len < n ? len : (n ? n - 1 : 0);
}

static int err_better(int depth, int disc, const struct verr *old)
{
	if (!old->set)
		return 1;
	if (disc != old->disc)
		return !disc;
	return depth > old->depth;
}

static int fail(struct vctx *c, enum fail_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record that the instance fails here; keeps the most telling message. Returns 1. */
static void err_format(struct vctx *c, struct verr *e, int kind, const char *fmt, va_list ap)
{
	size_t n = path_write(c, e->msg, sizeof(e->msg));

	if (n + 2 < sizeof(e->msg)) {
		memcpy(e->msg + n, ": ", 3);
		n += 2;
	}
	e->reason = n;
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	e->set = 1;
	e->unknown_field = fmt == unknown_field_fmt;
	e->depth = (int)c->npath;
	e->disc = kind != FK_OTHER;
	e->kind = kind;
}

static int fail(struct vctx *c, enum fail_kind kind, const char *fmt, ...)
{
	int depth = (int)c->npath, disc = kind != FK_OTHER;
	va_list ap;

	if (kind == FK_TYPE && depth < c->type_min)
		c->type_min = depth;
	if (kind == FK_DISC && depth < c->disc_min)
		c->disc_min = depth;
	if (c->quiet)
		return 1;
	/* A const/enum mismatch ("type": "open") explains more than a type mismatch beside it. */
	if (disc && (!c->disc.set || depth < c->disc.depth ||
		     (depth == c->disc.depth && kind == FK_DISC && c->disc.kind != FK_DISC))) {
		va_start(ap, fmt);
		err_format(c, &c->disc, (int)kind, fmt, ap);
		va_end(ap);
	}
	if (err_better(depth, disc, &c->err)) {
		va_start(ap, fmt);
		err_format(c, &c->err, (int)kind, fmt, ap);
		va_end(ap);
	}
	return 1;
}

/* fail() when only the outcome counts: no message, and its arguments are never formatted. */
static int fail_quiet(struct vctx *c, enum fail_kind kind)
{
	int depth = (int)c->npath;

	if (kind == FK_TYPE && depth < c->type_min)
		c->type_min = depth;
	if (kind == FK_DISC && depth < c->disc_min)
		c->disc_min = depth;
	return 1;
}

#define FAIL(c, kind, ...) ((c)->quiet ? fail_quiet((c), (kind)) : fail((c), (kind), __VA_ARGS__))

static int hard(struct vctx *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A failure of the schema rather than the instance: stops validation. */
static int hard(struct vctx *c, int code, const char *fmt, ...)
{
	char where[256], reason[512];
	va_list ap;

	path_write(c, where, sizeof(where));
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return accord_error_set(code, "%s: %s", where, reason);
}

/* Numbers in messages: integers without exponent, others as short as round-trips. */
static const char *fmt_num(char *buf, size_t n, double v)
{
	int prec;

	if (is_integral(v) && dabs(v) < 1e17) {
		snprintf(buf, n, "%.0f", v);
		return buf;
	}
	for (prec = 6; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

/* A value in messages, as compact JSON cut short if long. */
static const char *fmt_value(char *buf, size_t n, const cJSON *v)
{
	char *s;

	if (cJSON_IsNumber(v))
		return fmt_num(buf, n, v->valuedouble);
	s = cJSON_PrintUnformatted(v);
	if (!s) {
		snprintf(buf, n, "(value)");
		return buf;
	}
	if (strlen(s) >= n && n > 4) {
		memcpy(buf, s, n - 4);
		memcpy(buf + n - 4, "...", 4);
	} else {
		snprintf(buf, n, "%s", s);
	}
	cJSON_free(s);
	return buf;
}

static int is_integer(const cJSON *v)
{
	return cJSON_IsNumber(v) && is_integral(v->valuedouble);
}

static const char *type_of(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNumber(v))
		return is_integer(v) ? "integer" : "number";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsObject(v))
		return "object";
	return "unknown";
}

/* The TY_* bits of the type names `v` is an instance of. */
static unsigned inst_types(const cJSON *v)
{
	switch (v->type & 0xff) {
	case cJSON_NULL: return TY_NULL;
	case cJSON_False:
	case cJSON_True: return TY_BOOLEAN;
	case cJSON_Number: return is_integral(v->valuedouble) ? TY_NUMBER | TY_INTEGER : TY_NUMBER;
	case cJSON_String: return TY_STRING;
	case cJSON_Array: return TY_ARRAY;
	case cJSON_Object: return TY_OBJECT;
	default: return 0;
	}
}

static int type_matches(const char *t, const cJSON *v)
{
	if (strcmp(t, "integer") == 0)
		return is_integer(v);
	if (strcmp(t, "number") == 0)
		return cJSON_IsNumber(v);
	return strcmp(t, type_of(v)) == 0;
}

/* JSON equality: numbers by value (1 == 1.0), objects regardless of key order. */
static int json_equal(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble == b->valuedouble;
	if ((a->type & 0xff) != (b->type & 0xff))
		return 0;
	if (cJSON_IsString(a))
		return strcmp(a->valuestring, b->valuestring) == 0;
	if (cJSON_IsArray(a)) {
		for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
			if (!json_equal(x, y))
				return 0;
		return !x && !y;
	}
	if (cJSON_IsObject(a)) {
		if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
			return 0;
		cJSON_ArrayForEach(x, a) {
			y = cJSON_GetObjectItemCaseSensitive(b, x->string);
			if (!y || !json_equal(x, y))
				return 0;
		}
		return 1;
	}
	return 1; /* null, true, false */
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int v_schema(struct vctx *c, const cJSON *s, const char *base, const cJSON *inst);

/* Saved error state around an evaluation whose failure may not count. */
struct scope {
	struct verr err, disc;
	int type_min, disc_min, quiet;
	size_t npath; /* a quiet failure returns early, without popping */
	size_t ncf;
};

/*
 * While quiet nothing sets err or disc (fail() and err_merge() skip them),
 * and entering quiet cleared them: a scope inside a quiet one need not
 * save them.
 */
static void scope_enter(struct vctx *c, struct scope *sc, int quiet)
{
	if (!c->quiet) {
		sc->err = c->err;
		sc->disc = c->disc;
	}
	sc->type_min = c->type_min;
	sc->disc_min = c->disc_min;
	sc->quiet = c->quiet;
	sc->npath = c->npath;
	sc->ncf = c->ncf;
	c->err.set = 0;
	c->disc.set = 0;
	c->type_min = c->disc_min = INT_MAX;
	c->quiet = quiet || c->quiet;
}

static void scope_leave(struct vctx *c, const struct scope *sc)
{
	if (!sc->quiet) {
		c->err = sc->err;
		c->disc = sc->disc;
	}
	c->type_min = sc->type_min;
	c->disc_min = sc->disc_min;
	c->quiet = sc->quiet;
	c->npath = sc->npath;
	c->ncf = sc->ncf;
}

/* Valid or not, without messages and without touching the caller's error. */
static int v_quiet(struct vctx *c, const cJSON *s, const char *base, const cJSON *inst)
{
	struct scope sc;
	int rc;

	scope_enter(c, &sc, 1);
	rc = v_schema(c, s, base, inst);
	scope_leave(c, &sc);
	return rc;
}

/* Merge an error found in a sub-evaluation into the current one. */
static void err_merge(struct vctx *c, const struct verr *e, const struct verr *d, int type_min,
		      int disc_min)
{
	if (!c->quiet && d->set && (!c->disc.set || d->depth < c->disc.depth))
		c->disc = *d;
	if (type_min < c->type_min)
		c->type_min = type_min;
	if (disc_min < c->disc_min)
		c->disc_min = disc_min;
	if (!c->quiet && e->set && err_better(e->depth, e->disc, &c->err))
		c->err = *e;
}

/*
 * anyOf/oneOf with no matching alternative: re-run each one for its error
 * and report the one that most likely was meant. An alternative is ruled
 * out when the instance has the wrong type for it, or a const/enum at its
 * top or one level down (a "type": "open" field) does not match; of the
 * rest the one that got deepest into the instance wins.
 */
/*
 * If every one of `nalt` alternatives failed a "const" on the same member
 * (the "type" of an entry), say that member's value is none of theirs.
 * Returns 1 if it reported, 0 if there is no such member.
 */
static int discriminator_fail(struct vctx *c, const struct const_fail *seen, const int *seen_alt,
			      size_t nseen, int nalt)
{
	accord_buf wants = ACCORD_BUF_INIT;
	const cJSON *member;
	char vb[128];
	size_t k, m;
	int a, found, rc;

	for (k = 0; k < nseen && seen_alt[k] == 0; k++) {
		member = seen[k].inst;
		for (a = 1; a < nalt; a++) {
			for (found = 0, m = 0; m < nseen && !found; m++)
				found = seen_alt[m] == a && seen[m].inst == member;
			if (!found)
				break;
		}
		if (a < nalt)
			continue;
		for (a = 0; a < nalt; a++)
			for (m = 0; m < nseen; m++)
				if (seen_alt[m] == a && seen[m].inst == member) {
					accord_buf_puts(&wants, a ? ", " : "");
					accord_buf_puts(&wants, fmt_value(vb, sizeof(vb), seen[m].want));
					break;
				}
		path_push(c, member->string, 0);
		if (!member->string) {
			/* A member of an array: find its index. */
			const cJSON *x;
			size_t idx = 0;

			for (x = member->prev; x && x->next; x = x->prev)
				idx++;
			c->path[c->npath - 1].index = idx;
		}
		rc = fail(c, FK_DISC, "%s is not one of %s", fmt_value(vb, sizeof(vb), member),
			  wants.ptr);
		path_pop(c);
		accord_buf_dispose(&wants);
		return rc;
	}
	return 0;
}

static int report_alternatives(struct vctx *c, const cJSON *arr, const char *base,
			       const cJSON *inst, const char *kwname)
{
	struct verr best, best_disc;
	struct const_fail *seen = NULL; /* failed consts one level down, per alternative */
	int *seen_alt = NULL;
	size_t nseen = 0, aseen = 0, aalt = 0, k;
	struct scope sc;
	int best_ruled_out = 1, best_tmin = INT_MAX, best_dmin = INT_MAX, rc, d = (int)c->npath;
	int best_i = -1, i = 0;
	const cJSON *alt;

	if (c->quiet)
		return fail(c, FK_OTHER, "matches none of the %s alternatives", kwname);
	memset(&best, 0, sizeof(best));
	memset(&best_disc, 0, sizeof(best_disc));
	cJSON_ArrayForEach(alt, arr) {
		int ruled_out, better;

		scope_enter(c, &sc, 0);
		rc = v_schema(c, alt, base, inst);
		if (rc < 0) {
			scope_leave(c, &sc);
			free(seen);
			free(seen_alt);
			return rc;
		}
		for (k = sc.ncf; k < c->ncf; k++) {
			if (c->cf[k].depth != d + 1)
				continue;
			GROW(seen, nseen, aseen);
			if (aalt < aseen) {
				seen_alt = xrealloc(seen_alt, aseen * sizeof(*seen_alt));
				aalt = aseen;
			}
			seen[nseen] = c->cf[k];
			seen_alt[nseen++] = i;
		}
		ruled_out = c->type_min <= d || c->disc_min <= d + 1;
		if (!c->err.set)
			better = 0;
		else if (best_i < 0 || ruled_out != best_ruled_out)
			better = best_i < 0 || !ruled_out;
		else if (ruled_out && c->disc.set && best_disc.set && c->disc.depth != best_disc.depth)
			better = c->disc.depth > best_disc.depth; /* got further before being ruled out */
		else
			better = c->err.depth > best.depth;
		if (better) {
			best = c->err;
			best_disc = c->disc;
			best_ruled_out = ruled_out;
			best_tmin = c->type_min;
			best_dmin = c->disc_min;
			best_i = i;
		}
		scope_leave(c, &sc);
		i++;
	}
	if (best_i >= 0 && !best_ruled_out) {
		free(seen);
		free(seen_alt);
		err_merge(c, &best, &best_disc, best_tmin, best_dmin);
		return 1;
	}
	rc = discriminator_fail(c, seen, seen_alt, nseen, i);
	free(seen);
	free(seen_alt);
	if (rc)
		return rc;
	if (best_i >= 0)
		return fail(c, FK_DISC, "matches none of the %s alternatives (closest, #%d: %s)",
			    kwname, best_i, best_disc.set ? best_disc.msg : best.msg);
	return fail(c, FK_DISC, "matches none of the %s alternatives", kwname);
}

/* Evaluate the target of a "$ref", refusing to re-enter it on the same value. */
static int v_ref_target(struct vctx *c, const cJSON *ref, const cJSON *target, const char *tbase,
			const cJSON *inst)
{
	size_t i;
	int rc;

	/* Same schema on the same value while still inside it: it can only recurse forever. */
	for (i = 0; i < c->nrefs; i++)
		if (c->refs[i].schema == target && c->refs[i].inst == inst)
			return hard(c, ACCORD_EINVALID, "$ref \"%s\" loops back to itself",
				    ref->valuestring);
	GROW_LOCAL(c->refs, c->nrefs, c->arefs, c->refs_local);
	c->refs[c->nrefs].schema = target;
	c->refs[c->nrefs].inst = inst;
	c->nrefs++;
	rc = v_schema(c, target, tbase, inst);
	c->nrefs--;
	return rc;
}

static int v_ref(struct vctx *c, const cJSON *ref, const char *base, const cJSON *inst)
{
	const cJSON *target;
	const char *tbase;
	char *uri = uri_resolve(base, ref->valuestring);
	int rc;

	rc = lookup(c->reg, uri, &target, &tbase);
	if (rc < 0) {
		rc = hard(c, ACCORD_ENOTFOUND, "$ref \"%s\" (%s) is not in the schema registry",
			  ref->valuestring, uri);
		free(uri);
		return rc;
	}
	free(uri);
	return v_ref_target(c, ref, target, tbase, inst);
}

/* Step macro: hard errors end everything; failures end early only when quiet. */
#define STEP(expr) do { \
	int r_ = (expr); \
	if (r_ < 0) \
		return r_; \
	if (r_ > 0) { \
		failed = 1; \
		if (c->quiet) \
			return 1; \
	} \
} while (0)

static int v_type(struct vctx *c, const cJSON *t, const cJSON *inst)
{
	char want[128];
	const cJSON *x;
	size_t n = 0;

	if (cJSON_IsString(t)) {
		if (type_matches(t->valuestring, inst))
			return 0;
		return FAIL(c, FK_TYPE, "expected %s, got %s", t->valuestring, type_of(inst));
	}
	want[0] = '\0';
	cJSON_ArrayForEach(x, t) {
		if (!cJSON_IsString(x))
			continue;
		if (type_matches(x->valuestring, inst))
			return 0;
		if (n < sizeof(want))
			n += (size_t)snprintf(want + n, sizeof(want) - n, "%s%s",
					      n ? " or " : "", x->valuestring);
	}
	return FAIL(c, FK_TYPE, "expected %s, got %s", want, type_of(inst));
}

/*
 * Search `s` with the pattern held by `node` (compiled when the schema was
 * added; compiled now for parts the add walk never saw). 1 match, 0 none.
 */
static int pattern_search(struct vctx *c, const cJSON *node, const char *pattern, const char *s)
{
	const struct node_info *info = map_get(c->reg, node);
	struct pattern *tmpre = NULL;
	char err[256];
	int hit;

	if ((!info || !info->re) && regex_compile(c->reg, &tmpre, pattern, err, sizeof(err)) < 0)
		return hard(c, ACCORD_EINVALID, "bad regular expression \"%s\": %s", pattern, err);
	hit = regex_search(c->reg, tmpre ? tmpre : info->re, s);
	regex_free(tmpre);
	if (hit < 0)
		return hard(c, ACCORD_ERROR, "regular expression \"%s\" failed", pattern);
	return hit;
}

static int v_object(struct vctx *c, const cJSON *const kw[KW_COUNT], const char *base,
		    const cJSON *inst)
{
	const cJSON *props = kw[KW_PROPERTIES], *pats = kw[KW_PATTERN_PROPERTIES];
	const cJSON *addl = kw[KW_ADDITIONAL_PROPERTIES], *m, *p, *sub, *x;
	char nb[32];
	int count = cJSON_GetArraySize(inst), failed = 0;

	if (kw[KW_REQUIRED]) {
		cJSON_ArrayForEach(x, kw[KW_REQUIRED])
			if (cJSON_IsString(x) && !cJSON_GetObjectItemCaseSensitive(inst, x->valuestring))
				STEP(FAIL(c, FK_OTHER, "missing required field \"%s\"", x->valuestring));
	}
	cJSON_ArrayForEach(m, inst) {
		int matched = 0, r;

		path_push(c, m->string, 0);
		if (cJSON_IsObject(props) && (sub = cJSON_GetObjectItemCaseSensitive(props, m->string))) {
			matched = 1;
			STEP(v_schema(c, sub, base, m));
		}
		if (cJSON_IsObject(pats)) {
			cJSON_ArrayForEach(p, pats) {
				if ((r = pattern_search(c, p, p->string, m->string)) < 0)
					return r;
				if (r) {
					matched = 1;
					STEP(v_schema(c, p, base, m));
				}
			}
		}
		if (!matched && addl && !cJSON_IsFalse(addl))
			STEP(v_schema(c, addl, base, m));
		path_pop(c);
		if (!matched && cJSON_IsFalse(addl))
			STEP(FAIL(c, FK_OTHER, unknown_field_fmt, m->string));
	}
	if (kw[KW_PROPERTY_NAMES]) {
		cJSON_ArrayForEach(m, inst) {
			cJSON name;
			struct scope sc;
			char reason[MSG_MAX];
			int r;

			memset(&name, 0, sizeof(name));
			name.type = cJSON_String;
			name.valuestring = m->string;
			scope_enter(c, &sc, 0);
			r = v_schema(c, kw[KW_PROPERTY_NAMES], base, &name);
			snprintf(reason, sizeof(reason), "%s",
				 c->err.set ? c->err.msg + c->err.reason : "not allowed");
			scope_leave(c, &sc);
			if (r > 0)
				STEP(FAIL(c, FK_OTHER, "invalid field name \"%s\": %s", m->string, reason));
			else
				STEP(r);
		}
	}
	if (is_count(kw[KW_MIN_PROPERTIES]) && count < kw[KW_MIN_PROPERTIES]->valuedouble)
		STEP(FAIL(c, FK_OTHER, "has %d fields, fewer than minProperties %s", count,
			  fmt_num(nb, sizeof(nb), kw[KW_MIN_PROPERTIES]->valuedouble)));
	if (is_count(kw[KW_MAX_PROPERTIES]) && count > kw[KW_MAX_PROPERTIES]->valuedouble)
		STEP(FAIL(c, FK_OTHER, "has %d fields, more than maxProperties %s", count,
			  fmt_num(nb, sizeof(nb), kw[KW_MAX_PROPERTIES]->valuedouble)));
	if (cJSON_IsObject(kw[KW_DEPENDENCIES])) {
		cJSON_ArrayForEach(p, kw[KW_DEPENDENCIES]) {
			if (!cJSON_GetObjectItemCaseSensitive(inst, p->string))
				continue;
			if (cJSON_IsArray(p)) {
				cJSON_ArrayForEach(x, p)
					if (cJSON_IsString(x) &&
					    !cJSON_GetObjectItemCaseSensitive(inst, x->valuestring))
						STEP(FAIL(c, FK_OTHER, "field \"%s\" requires field \"%s\"",
							  p->string, x->valuestring));
			} else {
				STEP(v_schema(c, p, base, inst));
			}
		}
	}
	return failed;
}

static int v_array(struct vctx *c, const cJSON *const kw[KW_COUNT], const char *base,
		   const cJSON *inst)
{
	const cJSON *items = kw[KW_ITEMS], *x, *y, *sub;
	char nb[32];
	int count = cJSON_GetArraySize(inst), failed = 0, i, j;

	if (items) {
		int nitems = cJSON_IsArray(items) ? cJSON_GetArraySize(items) : -1;

		i = 0;
		cJSON_ArrayForEach(x, inst) {
			if (nitems < 0)
				sub = items;
			else if (i < nitems)
				sub = cJSON_GetArrayItem(items, i);
			else
				sub = kw[KW_ADDITIONAL_ITEMS];
			if (sub && cJSON_IsFalse(sub) && nitems >= 0 && i >= nitems) {
				STEP(FAIL(c, FK_OTHER, "has %d items, more than the %d allowed "
					  "(additionalItems is false)", count, nitems));
				break;
			}
			if (sub) {
				int r;

				path_push(c, NULL, (size_t)i);
				r = v_schema(c, sub, base, x);
				path_pop(c);
				STEP(r);
			}
			i++;
		}
	}
	if (is_count(kw[KW_MIN_ITEMS]) && count < kw[KW_MIN_ITEMS]->valuedouble)
		STEP(FAIL(c, FK_OTHER, "has %d items, fewer than minItems %s", count,
			  fmt_num(nb, sizeof(nb), kw[KW_MIN_ITEMS]->valuedouble)));
	if (is_count(kw[KW_MAX_ITEMS]) && count > kw[KW_MAX_ITEMS]->valuedouble)
		STEP(FAIL(c, FK_OTHER, "has %d items, more than maxItems %s", count,
			  fmt_num(nb, sizeof(nb), kw[KW_MAX_ITEMS]->valuedouble)));
	if (cJSON_IsTrue(kw[KW_UNIQUE_ITEMS])) {
		int dup_i = -1, dup_j = -1;

		for (x = inst->child, i = 0; x && dup_i < 0; x = x->next, i++)
			for (y = x->next, j = i + 1; y; y = y->next, j++)
				if (json_equal(x, y)) {
					dup_i = i;
					dup_j = j;
					break;
				}
		if (dup_i >= 0)
			STEP(FAIL(c, FK_OTHER, "items %d and %d are equal, but uniqueItems is set",
				  dup_i, dup_j));
	}
	if (kw[KW_CONTAINS]) {
		int found = 0, r;

		i = 0;
		cJSON_ArrayForEach(x, inst) {
			path_push(c, NULL, (size_t)i++);
			r = v_quiet(c, kw[KW_CONTAINS], base, x);
			path_pop(c);
			if (r < 0)
				return r;
			if (r == 0) {
				found = 1;
				break;
			}
		}
		if (!found)
			STEP(FAIL(c, FK_OTHER, "no item matches \"contains\""));
	}
	return failed;
}

static int v_number(struct vctx *c, const cJSON *const kw[KW_COUNT], const cJSON *inst)
{
	double v = inst->valuedouble;
	char a[32], b[32];
	const cJSON *k;
	int failed = 0;

	if (cJSON_IsNumber(k = kw[KW_MINIMUM]) && v < k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "%s is less than minimum %s", fmt_num(a, sizeof(a), v),
			  fmt_num(b, sizeof(b), k->valuedouble)));
	if (cJSON_IsNumber(k = kw[KW_MAXIMUM]) && v > k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "%s is greater than maximum %s", fmt_num(a, sizeof(a), v),
			  fmt_num(b, sizeof(b), k->valuedouble)));
	if (cJSON_IsNumber(k = kw[KW_EXCLUSIVE_MINIMUM]) && v <= k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "%s is not greater than exclusiveMinimum %s",
			  fmt_num(a, sizeof(a), v), fmt_num(b, sizeof(b), k->valuedouble)));
	if (cJSON_IsNumber(k = kw[KW_EXCLUSIVE_MAXIMUM]) && v >= k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "%s is not less than exclusiveMaximum %s",
			  fmt_num(a, sizeof(a), v), fmt_num(b, sizeof(b), k->valuedouble)));
	if (cJSON_IsNumber(k = kw[KW_MULTIPLE_OF]) && k->valuedouble > 0) {
		double m = k->valuedouble, q = v / m;
		int ok;

		/* Exact for integers; for fractions (0.0075 / 0.0001) allow binary rounding error. */
		if (is_integral(m) && is_integral(v) && dabs(v) < TWO53 && m < TWO53) {
			ok = (int64_t)v % (int64_t)m == 0;
		} else if (!isfinite(q)) {
			ok = 0;
		} else if (dabs(q) >= TWO53) {
			ok = 1; /* beyond double precision; the quotient is integral as far as we can tell */
		} else {
			double r = (double)(int64_t)(q < 0 ? q - 0.5 : q + 0.5);

			ok = dabs(q - r) <= 1e-9 * (dabs(q) > 1.0 ? dabs(q) : 1.0);
		}
		if (!ok)
			STEP(FAIL(c, FK_OTHER, "%s is not a multiple of %s", fmt_num(a, sizeof(a), v),
				  fmt_num(b, sizeof(b), m)));
	}
	return failed;
}

static int v_string(struct vctx *c, const cJSON *const kw[KW_COUNT], const cJSON *inst)
{
	const char *s = inst->valuestring;
	size_t len = kw[KW_MIN_LENGTH] || kw[KW_MAX_LENGTH] ? utf8_length(s) : 0;
	char nb[32], vb[128], pb[128];
	const cJSON *k;
	int failed = 0;

	if (is_count(k = kw[KW_MIN_LENGTH]) && (double)len < k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "is %zu characters long, shorter than minLength %s", len,
			  fmt_num(nb, sizeof(nb), k->valuedouble)));
	if (is_count(k = kw[KW_MAX_LENGTH]) && (double)len > k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "is %zu characters long, longer than maxLength %s", len,
			  fmt_num(nb, sizeof(nb), k->valuedouble)));
	if (cJSON_IsString(k = kw[KW_PATTERN])) {
		int hit = pattern_search(c, k, k->valuestring, s);

		if (hit < 0)
			return hit;
		if (!hit)
			STEP(FAIL(c, FK_OTHER, "%s does not match pattern %s",
				  fmt_value(vb, sizeof(vb), inst), fmt_value(pb, sizeof(pb), k)));
	}
	return failed;
}

/*
 * oneOf with a discriminator (struct disc): every alternative but the one
 * whose const equals the instance's member fails on that const, and none
 * can end in a hard error (registry_finalize() proved it), so the
 * alternative that fits is the whole answer when it matches: 0. 1 when it
 * does not, or none fits, or the instance lacks the member: then the caller
 * runs the general oneOf, which finds the same result and the message.
 */
static int one_of_fast(struct vctx *c, const struct disc *d, const char *base, const cJSON *inst)
{
	const cJSON *m;
	size_t i;
	int r;

	if (!cJSON_IsObject(inst) || c->depth + d->height > EVAL_MAX_DEPTH)
		return 1;
	if (!(m = cJSON_GetObjectItemCaseSensitive(inst, d->key)))
		return 1;
	for (i = 0; i < d->n; i++)
		if (json_equal(d->want[i], m))
			break;
	if (i == d->n)
		return 1;
	r = v_quiet(c, d->alt[i], base, inst);
	return r < 0 ? r : r > 0;
}

/* The base for a subschema that has "$id": from the add walk, or worked out now. */
static const char *id_base(struct vctx *c, const cJSON *s, const cJSON *id, const char *base)
{
	const struct node_info *info = map_get(c->reg, s);
	char *full;

	if (info && info->base)
		return info->base;
	if (!cJSON_IsString(id) || id->valuestring[0] == '#')
		return base;
	full = uri_resolve(base, id->valuestring);
	full[uri_nofrag_len(full)] = '\0';
	return strlist_keep(&c->tmp, full);
}

static int v_keywords(struct vctx *c, const cJSON *s, const char *base, const cJSON *inst)
{
	const struct node_info *info = map_get(c->reg, s);
	const struct snode *sn = info ? info->sn : NULL;
	const cJSON *local[KW_COUNT], *x;
	const cJSON *const *kw;
	char vb[128], eb[128];
	int failed = 0, r = 0;

	if (sn) {
		kw = sn->kw;
	} else {
		/* A part of a document the add walk never saw (lenient documents only). */
		kw_collect(s, local);
		kw = local;
	}
	if (kw[KW_REF]) {
		if (!cJSON_IsString(kw[KW_REF]))
			return hard(c, ACCORD_EINVALID, "\"$ref\" is not a string");
		if (info && info->base)
			base = info->base;
		if (sn && sn->ref_target && (sn->ref_base == base || strcmp(sn->ref_base, base) == 0))
			return v_ref_target(c, kw[KW_REF], sn->ref_target, sn->ref_tbase, inst);
		return v_ref(c, kw[KW_REF], base, inst);
	}
	if (kw[KW_ID])
		base = id_base(c, s, kw[KW_ID], base);

	/* The bits say the same as v_type() but for the message, made only on failure. */
	if (kw[KW_TYPE] && !(sn && (sn->types & inst_types(inst))))
		STEP(v_type(c, kw[KW_TYPE], inst));
	if (kw[KW_CONST] && !json_equal(kw[KW_CONST], inst)) {
		if (!c->quiet) {
			GROW(c->cf, c->ncf, c->acf);
			c->cf[c->ncf].inst = inst;
			c->cf[c->ncf].want = kw[KW_CONST];
			c->cf[c->ncf].depth = (int)c->npath;
			c->ncf++;
		}
		STEP(FAIL(c, FK_DISC, "must be %s, got %s", fmt_value(eb, sizeof(eb), kw[KW_CONST]),
			  fmt_value(vb, sizeof(vb), inst)));
	}
	if (cJSON_IsArray(kw[KW_ENUM])) {
		cJSON_ArrayForEach(x, kw[KW_ENUM])
			if (json_equal(x, inst))
				break;
		if (!x)
			STEP(FAIL(c, FK_DISC, "%s is not one of %s", fmt_value(vb, sizeof(vb), inst),
				  fmt_value(eb, sizeof(eb), kw[KW_ENUM])));
	}
	if (cJSON_IsObject(inst))
		STEP(v_object(c, kw, base, inst));
	else if (cJSON_IsArray(inst))
		STEP(v_array(c, kw, base, inst));
	else if (cJSON_IsNumber(inst))
		STEP(v_number(c, kw, inst));
	else if (cJSON_IsString(inst))
		STEP(v_string(c, kw, inst));

	if (cJSON_IsArray(kw[KW_ALL_OF])) {
		cJSON_ArrayForEach(x, kw[KW_ALL_OF])
			STEP(v_schema(c, x, base, inst));
	}
	if (cJSON_IsArray(kw[KW_ANY_OF])) {
		cJSON_ArrayForEach(x, kw[KW_ANY_OF]) {
			if ((r = v_quiet(c, x, base, inst)) <= 0)
				break;
		}
		if (x && r < 0)
			return r;
		if (!x)
			STEP(report_alternatives(c, kw[KW_ANY_OF], base, inst, "anyOf"));
	}
	if (cJSON_IsArray(kw[KW_ONE_OF]) && sn && sn->disc &&
	    (r = one_of_fast(c, sn->disc, base, inst)) <= 0) {
		if (r < 0)
			return r;
		/* exactly one alternative matches */
	} else if (cJSON_IsArray(kw[KW_ONE_OF])) {
		int matches = 0, first = -1, second = -1, i = 0;

		cJSON_ArrayForEach(x, kw[KW_ONE_OF]) {
			if ((r = v_quiet(c, x, base, inst)) < 0)
				return r;
			if (r == 0) {
				if (matches++ == 0)
					first = i;
				else if (second < 0)
					second = i;
			}
			i++;
		}
		if (matches == 0)
			STEP(report_alternatives(c, kw[KW_ONE_OF], base, inst, "oneOf"));
		else if (matches > 1)
			STEP(FAIL(c, FK_OTHER, "matches oneOf alternatives #%d and #%d, "
				  "but must match exactly one", first, second));
	}
	if (kw[KW_NOT]) {
		if ((r = v_quiet(c, kw[KW_NOT], base, inst)) < 0)
			return r;
		if (r == 0)
			STEP(FAIL(c, FK_OTHER, "must not match the \"not\" schema"));
	}
	if (kw[KW_IF]) {
		if ((r = v_quiet(c, kw[KW_IF], base, inst)) < 0)
			return r;
		if (r == 0 && kw[KW_THEN])
			STEP(v_schema(c, kw[KW_THEN], base, inst));
		else if (r > 0 && kw[KW_ELSE])
			STEP(v_schema(c, kw[KW_ELSE], base, inst));
	}
	return failed;
}

/* 0 if `inst` is valid against `s`, 1 if not (message in c->err), or a negative error. */
static int v_schema(struct vctx *c, const cJSON *s, const char *base, const cJSON *inst)
{
	int rc;

	if (cJSON_IsTrue(s))
		return 0;
	if (cJSON_IsFalse(s))
		return fail(c, FK_OTHER, "not allowed here (the schema is false)");
	if (!cJSON_IsObject(s))
		return hard(c, ACCORD_EINVALID, "schema is not an object or a boolean");
	if (c->depth >= EVAL_MAX_DEPTH)
		return hard(c, ACCORD_EINVALID,
			    "schema evaluation nested deeper than %d (a $ref loop?)", EVAL_MAX_DEPTH);
	c->depth++;
	rc = v_keywords(c, s, base, inst);
	c->depth--;
	return rc;
}

/* ---- compiling what validation needs, after each add ---- */

enum { MARK_NONE, MARK_BUSY, MARK_SAFE, MARK_UNSAFE };

static const struct snode *snode_of(const accord_schema_registry *reg, const cJSON *s)
{
	const struct node_info *info = cJSON_IsObject(s) ? map_get(reg, s) : NULL;

	return info ? info->sn : NULL;
}

static int safe_height(accord_schema_registry *reg, const cJSON *s, int depth);

/* The larger of *h and 1 + the height of `s`; -1 once anything is unsafe. */
static void safe_child(accord_schema_registry *reg, const cJSON *s, int depth, int *h)
{
	int ch;

	if (*h < 0)
		return;
	ch = safe_height(reg, s, depth + 1);
	if (ch < 0)
		*h = -1;
	else if (ch + 1 > *h)
		*h = ch + 1;
}

static int pattern_fast(const accord_schema_registry *reg, const cJSON *node)
{
	const struct node_info *info = map_get(reg, node);

	return info && info->re && info->re->items;
}

static void safe_children(accord_schema_registry *reg, const cJSON *const *kw, int depth, int *h)
{
	static const int one[] = {
		KW_ADDITIONAL_PROPERTIES, KW_PROPERTY_NAMES, KW_ADDITIONAL_ITEMS, KW_CONTAINS,
		KW_NOT, KW_IF, KW_THEN, KW_ELSE,
	};
	static const int many[] = { KW_ALL_OF, KW_ANY_OF, KW_ONE_OF };
	const cJSON *x;
	size_t i;

	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (kw[one[i]])
			safe_child(reg, kw[one[i]], depth, h);
	for (i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		if (cJSON_IsArray(kw[many[i]]))
			cJSON_ArrayForEach(x, kw[many[i]])
				safe_child(reg, x, depth, h);
	if (cJSON_IsObject(kw[KW_PROPERTIES]))
		cJSON_ArrayForEach(x, kw[KW_PROPERTIES])
			safe_child(reg, x, depth, h);
	if (cJSON_IsObject(kw[KW_PATTERN_PROPERTIES]))
		cJSON_ArrayForEach(x, kw[KW_PATTERN_PROPERTIES]) {
			if (!pattern_fast(reg, x))
				*h = -1;
			safe_child(reg, x, depth, h);
		}
	if (cJSON_IsObject(kw[KW_DEPENDENCIES]))
		cJSON_ArrayForEach(x, kw[KW_DEPENDENCIES])
			if (!cJSON_IsArray(x))
				safe_child(reg, x, depth, h);
	if (cJSON_IsArray(kw[KW_ITEMS])) {
		cJSON_ArrayForEach(x, kw[KW_ITEMS])
			safe_child(reg, x, depth, h);
	} else if (kw[KW_ITEMS]) {
		safe_child(reg, kw[KW_ITEMS], depth, h);
	}
	/* regexec can fail (out of memory); the fast matcher cannot. */
	if (cJSON_IsString(kw[KW_PATTERN]) && !pattern_fast(reg, kw[KW_PATTERN]))
		*h = -1;
}

/*
 * How deeply evaluating `s` can nest (1 for a schema without subschemas), or
 * -1 if it might end in a hard error instead of valid/invalid: a "$ref" not
 * resolved yet or on a cycle, a part the add walk did not compile, a
 * pattern left to regexec. Marks are reset by registry_finalize().
 */
static int safe_height(accord_schema_registry *reg, const cJSON *s, int depth)
{
	struct snode *sn;
	int h = 1;

	if (cJSON_IsBool(s))
		return 1;
	if (depth > EVAL_MAX_DEPTH || !(sn = (struct snode *)snode_of(reg, s)))
		return -1;
	if (sn->mark == MARK_SAFE)
		return sn->height;
	if (sn->mark != MARK_NONE)
		return -1;
	sn->mark = MARK_BUSY;
	if (sn->kw[KW_REF]) {
		if (!sn->ref_target)
			h = -1;
		else
			safe_child(reg, sn->ref_target, depth, &h);
	} else {
		safe_children(reg, sn->kw, depth, &h);
	}
	sn->mark = h < 0 ? MARK_UNSAFE : MARK_SAFE;
	sn->height = h;
	return h;
}

/* Follow "$ref"s to the schema that does the work; NULL if one is unresolved. */
static const struct snode *follow_refs(const accord_schema_registry *reg, const cJSON *s)
{
	const struct snode *sn = snode_of(reg, s);
	int hops;

	for (hops = 0; sn && sn->kw[KW_REF] && hops < 32; hops++)
		sn = sn->ref_target ? snode_of(reg, sn->ref_target) : NULL;
	return sn && !sn->kw[KW_REF] ? sn : NULL;
}

/* The const that alternative `alt` puts on member `key`, if it has one. */
static const cJSON *disc_const(const accord_schema_registry *reg, const cJSON *alt,
			       const char *key)
{
	const struct snode *sn = follow_refs(reg, alt);
	const cJSON *sub;

	if (!sn || !cJSON_IsObject(sn->kw[KW_PROPERTIES]))
		return NULL;
	sub = cJSON_GetObjectItemCaseSensitive(sn->kw[KW_PROPERTIES], key);
	sn = sub ? follow_refs(reg, sub) : NULL;
	return sn ? sn->kw[KW_CONST] : NULL;
}

/*
 * Give a oneOf its discriminator when its shape allows: a member that every
 * alternative fixes with a different "const" in its "properties" (through
 * "$ref"s), and alternatives that cannot end in a hard error (so skipping
 * them changes nothing but time).
 */
static void disc_build(accord_schema_registry *reg, struct snode *sn)
{
	const cJSON *arr = sn->kw[KW_ONE_OF], *alt, *key;
	const struct snode *first;
	struct disc *d;
	size_t n = (size_t)cJSON_GetArraySize(arr), i, j;
	int height = 0, h;

	if (n < 2 || !(first = follow_refs(reg, arr->child)) ||
	    !cJSON_IsObject(first->kw[KW_PROPERTIES]))
		return;
	d = xrealloc(NULL, sizeof(*d));
	d->n = n;
	d->alt = xrealloc(NULL, n * sizeof(*d->alt));
	d->want = xrealloc(NULL, n * sizeof(*d->want));
	cJSON_ArrayForEach(key, first->kw[KW_PROPERTIES]) {
		i = 0;
		cJSON_ArrayForEach(alt, arr) {
			d->alt[i] = alt;
			if (!(d->want[i] = disc_const(reg, alt, key->string)))
				break;
			for (j = 0; j < i && !json_equal(d->want[j], d->want[i]); j++)
				;
			if (j < i)
				break;
			i++;
		}
		if (i == n)
			break;
	}
	if (!key)
		goto none;
	for (i = 0; i < n; i++) {
		if ((h = safe_height(reg, d->alt[i], 0)) < 0)
			goto none;
		if (h > height)
			height = h;
	}
	d->key = key->string;
	d->height = height;
	sn->disc = d;
	return;
none:
	free(d->alt);
	free(d->want);
	free(d);
}

/*
 * After each add: resolve the "$ref"s whose targets are now in the
 * registry (a resolved one never changes: URIs cannot be redefined), and
 * find discriminators for oneOfs not yet given one.
 */
static void registry_finalize(accord_schema_registry *reg)
{
	const cJSON *node;
	const char *base;
	struct snode *sn;
	size_t i;
	char *uri;

	for (i = 0; i < reg->nrefs; i++) {
		struct node_info *info = map_get(reg, reg->refs[i].node);

		if (!info || !(sn = info->sn) || sn->ref_target || !cJSON_IsString(sn->kw[KW_REF]))
			continue;
		uri = uri_resolve(reg->refs[i].base, sn->kw[KW_REF]->valuestring);
		if (lookup(reg, uri, &node, &base) == 0) {
			sn->ref_target = node;
			sn->ref_tbase = base;
			sn->ref_base = reg->refs[i].base;
		}
		free(uri);
	}
	for (i = 0; i < reg->map_cap; i++)
		if (reg->map[i].sn)
			reg->map[i].sn->mark = MARK_NONE;
	for (i = 0; i < reg->map_cap; i++)
		if ((sn = reg->map[i].sn) && !sn->disc && cJSON_IsArray(sn->kw[KW_ONE_OF]))
			disc_build(reg, sn);
}

int accord_schema_validate(accord_schema_registry *reg, const char *uri, const cJSON *instance)
{
	const struct uri_entry *e;
	struct vctx c;
	const cJSON *node;
	const char *base;
	char *abs;
	int rc;

	if (!reg || !uri || !instance)
		return accord_error_set(ACCORD_EINVALID, "schema validation: missing argument");
	memset(&c, 0, sizeof(c));
	c.reg = reg;
	c.type_min = c.disc_min = INT_MAX;
	c.path = c.path_local;
	c.apath = PATH_LOCAL;
	c.refs = c.refs_local;
	c.arefs = REFS_LOCAL;
	/*
	 * A URI without fragment that is indexed as it is needs no resolving:
	 * indexed URIs are already resolved, and resolving is idempotent.
	 */
	if (!strchr(uri, '#') && (e = uri_find(reg->uris, reg->nuris, uri)) != NULL) {
		node = e->node;
		base = e->base;
		rc = 0;
	} else {
		abs = uri_resolve(NULL, uri);
		rc = lookup(reg, abs, &node, &base);
		free(abs);
	}
	if (rc < 0) {
		rc = accord_error_set(ACCORD_ENOTFOUND, "schema %s is not in the registry", uri);
		goto done;
	}
	rc = v_schema(&c, node, base, instance);
	last_failure = rc > 0 && c.err.set && c.err.unknown_field ? ACCORD_SCHEMA_UNKNOWN_FIELD
								     : ACCORD_SCHEMA_BAD_VALUE;
	if (rc > 0)
		rc = accord_error_set(ACCORD_EINVALID, "%s",
				      c.err.set ? c.err.msg : "/: does not match the schema");
done:
	if (c.path != c.path_local)
		free(c.path);
	if (c.refs != c.refs_local)
		free(c.refs);
	free(c.cf);
	strlist_free(&c.tmp);
	return rc;
}

int accord_schema_registry_check(accord_schema_registry *reg)
{
	const cJSON *node, *ref;
	const char *base;
	size_t i;
	char *uri;
	int rc = 0;

	if (!reg)
		return accord_error_set(ACCORD_EINVALID, "schema registry: no registry");
	for (i = 0; i < reg->nrefs && rc == 0; i++) {
		ref = cJSON_GetObjectItemCaseSensitive(reg->refs[i].node, "$ref");
		uri = uri_resolve(reg->refs[i].base, ref->valuestring);
		if (lookup(reg, uri, &node, &base) < 0)
			rc = accord_error_set(ACCORD_ENOTFOUND,
					      "schema %s#%s: $ref \"%s\" (%s) is not in the registry",
					      reg->refs[i].base, reg->refs[i].where, ref->valuestring, uri);
		free(uri);
	}
	return rc;
}

/* ---- accord's own schemas ---- */

static accord_schema_registry *builtin;

int accord_schema_builtin(accord_schema_registry **out)
{
	accord_schema_registry *reg = NULL;
	const struct accord_embedded_file *f;
	accord_buf uri = ACCORD_BUF_INIT;
	int rc;

	if (!out)
		return accord_error_set(ACCORD_EINVALID, "schema registry: no output pointer");
	if (builtin) {
		*out = builtin;
		return 0;
	}
	if ((rc = accord_schema_registry_new(&reg)) < 0)
		return rc;
	for (f = accord_schema_files; f->name; f++) {
		cJSON *doc = cJSON_ParseWithLength(f->data, f->len);

		if (!doc) {
			rc = accord_error_set(ACCORD_EINVALID, "schemas/%s: not valid JSON", f->name);
			goto done;
		}
		accord_buf_clear(&uri);
		accord_buf_printf(&uri, "%s%s", ACCORD_SCHEMA_BASE, f->name);
		if ((rc = accord_schema_registry_add(reg, doc, uri.ptr)) < 0) {
			cJSON_Delete(doc);
			accord_error_wrap(rc, "schemas/%s", f->name);
			goto done;
		}
	}
	if ((rc = accord_schema_registry_check(reg)) < 0)
		goto done;
	builtin = reg;
	reg = NULL;
	*out = builtin;
done:
	accord_schema_registry_free(reg);
	accord_buf_dispose(&uri);
	return rc;
}

void accord_schema_builtin_free(void)
{
	accord_schema_registry_free(builtin);
	builtin = NULL;
}
