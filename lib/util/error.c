#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "accord/error.h"

/* One message per thread; long enough for a path plus a reason. */
static __thread char last_message[1024];

const char *accord_error_last(void)
{
	return last_message;
}

void accord_error_clear(void)
{
	last_message[0] = '\0';
}

int accord_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	return code;
}

int accord_error_wrap(int code, const char *fmt, ...)
{
	char prefix[256], old[sizeof(last_message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_message, sizeof(old));
	if (old[0])
		snprintf(last_message, sizeof(last_message), "%s: %.760s", prefix, old);
	else
		snprintf(last_message, sizeof(last_message), "%s", prefix);
	return code;
}

int accord_error_git(int git_code, const char *what)
{
	const git_error *e = git_error_last();

	accord_error_set(ACCORD_ERROR, "%s: %s", what,
			 e && e->message ? e->message : "libgit2 error");
	return git_code == GIT_ENOTFOUND ? ACCORD_ENOTFOUND : ACCORD_ERROR;
}
