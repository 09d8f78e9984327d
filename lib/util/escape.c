/* The one place that decides which characters of other parties' text may reach an output. */
#include "escape.h"
#include "json.h"

int accord_text_char_allowed(uint32_t cp, int multiline)
{
	if (cp < 0x20)
		return multiline && (cp == '\n' || cp == '\t');
	if (cp >= 0x7f && cp <= 0x9f)
		return 0;
	/* bidi marks, embeddings, overrides and isolates (Trojan Source) */
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	/* line and paragraph separators end a line in some readers, interlinear annotations hide text */
	if (cp == 0x2028 || cp == 0x2029 || (cp >= 0xfff9 && cp <= 0xfffb))
		return 0;
	return 1;
}

int accord_text_find_forbidden(uint32_t *cp, size_t *offset, const char *s, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	size_t n;

	for (; *p; p += n) {
		if ((n = accord_utf8_decode(&c, p)) == 0) {
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
		if ((n = accord_utf8_decode(&c, p)) != 0 &&
		    accord_text_char_allowed(c, multiline)) {
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
		if ((n = accord_utf8_decode(&c, p)) != 0 &&
		    (c < 0x80 ? c != 0x7f : accord_text_char_allowed(c, 1))) {
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
