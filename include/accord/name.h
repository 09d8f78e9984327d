#ifndef ACCORD_NAME_H
#define ACCORD_NAME_H

#include <stddef.h>

/* The longest name, in bytes. */
#define ACCORD_NAME_MAX 64

/*
 * The one name rule, for parties, members, keys and the ledgers of a
 * user's list: letters, digits, '.', '_' and '-', starting with a letter
 * or digit, at most ACCORD_NAME_MAX. Names end up in git principals, file
 * names, tables and messages: never shaped like a path, never a control
 * character. The schemas' "name" (common.schema.json) says the same.
 */
int accord_name_valid(const char *s);

/* accord_name_valid() of the `len` bytes at `s` (not NUL-terminated). */
int accord_name_valid_n(const char *s, size_t len);

/* What a name may be, for messages: "letters, digits, ... at most 64". */
#define ACCORD_NAME_RULE \
	"letters, digits, '.', '_' and '-', starting with a letter or digit (at most 64)"

#endif
