/*
 * The one name rule (include/accord/name.h).
 */
#include <string.h>

#include "accord/name.h"

int accord_name_valid_n(const char *s, size_t len)
{
	size_t i;

	if (!s || len == 0 || len > ACCORD_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		int alnum =
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return 0;
	}
	return 1;
}

int accord_name_valid(const char *s)
{
	return s && accord_name_valid_n(s, strlen(s));
}
