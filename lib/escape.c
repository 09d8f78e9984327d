/* The one place that decides which characters of other parties' text may reach an output. */
#include "accord/escape.h"

int accord_text_char_allowed(uint32_t cp, int multiline)
{
	if (cp < 0x20)
		return multiline && (cp == '\n' || cp == '\t');
	if (cp >= 0x7f && cp <= 0x9f)
		return 0;
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return 1;
}

/* One code point of well-formed UTF-8 (no overlongs, no surrogates); 0 if malformed. */
static size_t decode(const unsigned char *s, uint32_t *cp)
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

int accord_text_find_forbidden(uint32_t *cp, size_t *offset, const char *s, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	size_t n;

	for (; *p; p += n) {
		if ((n = decode(p, &c)) == 0) {
			*cp = 0x110000u + *p;
			*offset = (size_t)((const char *)p - s);
			return 1;
		}
		if (!accord_text_char_allowed(c, multiline)) {
			*cp = c;
			*offset = (size_t)((const char *)p - s);
			return 1;
		}
	}
	return 0;
}

void accord_escape(accord_buf *out, const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	int multiline = (flags & ACCORD_ESCAPE_MULTILINE) != 0;
	uint32_t c;
	size_t n;

	/* copy runs of harmless text at once; most text has nothing to escape */
	while (*p) {
		if ((n = decode(p, &c)) != 0 && accord_text_char_allowed(c, multiline)) {
			p += n;
			continue;
		}
		accord_buf_put(out, run, (size_t)(p - run));
		if (n == 0 || c < 0x80)
			accord_buf_printf(out, "\\x%02x", *p);
		else
			accord_buf_printf(out, "\\u%04x", (unsigned)c);
		p += n ? n : 1;
		run = p;
	}
	accord_buf_put(out, run, (size_t)(p - run));
	if (!out->ptr)
		accord_buf_puts(out, "");
}

void accord_escape_json(accord_buf *out, const char *json)
{
	const unsigned char *p = (const unsigned char *)json;
	const unsigned char *run = p;
	uint32_t c;
	size_t n;

	/*
	 * cJSON escapes C0 controls in strings, nothing else. What it leaves can
	 * only stand inside strings, where \uXXXX is the same character to a
	 * JSON reader and inert to a terminal; bytes that are not UTF-8 become
	 * U+FFFD, so the document is valid UTF-8 whatever it quotes.
	 */
	while (*p) {
		if ((n = decode(p, &c)) != 0 && (c < 0x80 ? c != 0x7f : accord_text_char_allowed(c, 1))) {
			p += n;
			continue;
		}
		accord_buf_put(out, run, (size_t)(p - run));
		if (n == 0)
			accord_buf_puts(out, "\\ufffd");
		else
			accord_buf_printf(out, "\\u%04x", (unsigned)c);
		p += n ? n : 1;
		run = p;
	}
	accord_buf_put(out, run, (size_t)(p - run));
	if (!out->ptr)
		accord_buf_puts(out, "");
}

char *accord_escape_dup(const char *s, unsigned flags)
{
	accord_buf b = ACCORD_BUF_INIT;

	/* accord_escape always leaves storage behind, so detach never returns NULL here */
	accord_escape(&b, s, flags);
	return accord_buf_detach(&b);
}
