/*
 * Heap allocation that never fails: the out-of-memory policy of alloc.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

void accord_oom(void)
{
	static const char msg[] = "accord: out of memory\n";

	/* write(2), not stdio: stdio may itself need memory */
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to try */
	}
	abort();
}

void *accord_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		accord_oom();
	return p;
}

void *accord_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		accord_oom();
	return p;
}

void *accord_xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		accord_oom();
	return q;
}

char *accord_xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		accord_oom();
	return d;
}
