/*
 * The regular expressions of "pattern" and "patternProperties": ECMA-262
 * syntax, translated onto POSIX ERE for glibc's regcomp, with a small
 * matcher of our own for the anchored patterns most schemas use. Inside
 * the schema module; not public.
 *
 * `utf8` is a UTF-8 LC_CTYPE locale to match in, so that "." and {n} count
 * code points, not bytes; (locale_t)0 matches bytes in the thread's locale
 * (and leaves the fast matcher out).
 */
#ifndef ACCORD_SCHEMA_REGEX_H
#define ACCORD_SCHEMA_REGEX_H

#include <locale.h>
#include <stddef.h>

typedef struct accord_regex accord_regex;

/*
 * Compile ECMA-262 `pattern`. -1 with a reason in `err` (`errlen` bytes)
 * for syntax we do not support (lookaround, backreferences, ...) or that
 * regcomp refuses. Free *out with accord_regex_free().
 */
int accord_regex_compile(accord_regex **out, const char *pattern, locale_t utf8, char *err,
			 size_t errlen);

/* NULL-safe. */
void accord_regex_free(accord_regex *re);

/* 1 if `s` matches, 0 if not, -1 if the regex engine failed (e.g. out of memory). */
int accord_regex_search(const accord_regex *re, const char *s, locale_t utf8);

/* Whether `re` runs on the fast matcher, which (unlike regexec) cannot fail. */
int accord_regex_is_fast(const accord_regex *re);

#endif
