#ifndef ACCORD_ESCAPE_H
#define ACCORD_ESCAPE_H

#include <stdint.h>

#include "accord/buf.h"

/*
 * Text that other parties wrote reaches terminals and documents. The
 * schemas refuse the characters that could act on them (see
 * accord_text_char_allowed); every output path still passes such text
 * through accord_escape, so that an entry that slipped past (an older
 * ledger, a bug) is shown, never obeyed. One function, so that show, log,
 * audit, errors and every report format agree on what is dangerous.
 */

/* Keep newline and tab as they are (multi-line free text); otherwise they are escaped too. */
#define ACCORD_ESCAPE_MULTILINE 1u

/*
 * Whether free text may hold code point `cp`: not a C0 control (newline and
 * tab only when `multiline`), not DEL, not a C1 control (U+0080-U+009F),
 * not a bidi mark, embedding, override or isolate (U+061C, U+200E-U+200F,
 * U+202A-U+202E, U+2066-U+2069), not a line or paragraph separator
 * (U+2028-U+2029), not an interlinear annotation (U+FFF9-U+FFFB).
 * schemas/common.schema.json says the same for "line" and "text".
 */
int accord_text_char_allowed(uint32_t cp, int multiline);

/*
 * The first character of NUL-terminated `s` that free text may not hold:
 * its code point in *cp and its byte offset in *offset, returning 1; 0 if
 * there is none. Bytes that are not UTF-8 count, with *cp the byte value
 * plus 0x110000 (no code point), so callers can tell them apart.
 */
int accord_text_find_forbidden(uint32_t *cp, size_t *offset, const char *s, int multiline);

/*
 * Append `s` to `out`, each character that accord_text_char_allowed refuses
 * written as visible text instead: "\x1b" for C0 controls and DEL, "\u0085"
 * or "\u202e" for C1 and bidi controls, and "\xNN" for each byte that is not
 * part of well-formed UTF-8. Everything else is copied as is. `flags`:
 * ACCORD_ESCAPE_MULTILINE.
 */
void accord_escape(accord_buf *out, const char *s, unsigned flags);

/*
 * Append JSON text (as cJSON_Print writes it) to `out` with every character
 * accord_text_char_allowed refuses that cJSON leaves raw (DEL, C1 and bidi
 * controls) written as a \uXXXX escape, and every byte that is not UTF-8 as
 * \ufffd: the same document to a JSON reader, inert to a terminal, and
 * always valid UTF-8.
 */
void accord_escape_json(accord_buf *out, const char *json);

/* accord_escape into a new string (free with free()); never NULL: accord_buf aborts on out of memory. */
char *accord_escape_dup(const char *s, unsigned flags);

#endif
