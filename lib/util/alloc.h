/*
 * Heap allocation inside the library. Not part of the public API.
 *
 * The library's one out-of-memory policy (docs/architecture.md): a failed
 * heap allocation prints one line and aborts, through accord_oom(), as git
 * does (xmalloc). Nothing useful can follow it, and an error path for each
 * allocation is code no test runs. cJSON allocates through these too
 * (accord_global_init sets its hooks), so a cJSON_Create* result is never
 * NULL for want of memory. Secure memory (sodium_malloc, bounded by
 * RLIMIT_MEMLOCK) is a limit a user can raise, not exhausted memory: it
 * stays an error, ACCORD_ENOMEM, with the limit named.
 */
#ifndef ACCORD_ALLOC_H
#define ACCORD_ALLOC_H

#include <stddef.h>

/* Print "accord: out of memory" to stderr and abort. */
__attribute__((noreturn)) void accord_oom(void);

/* malloc, calloc, realloc and strdup that never return NULL (size 0 gives a valid pointer). */
void *accord_xmalloc(size_t size);
void *accord_xcalloc(size_t n, size_t size);
void *accord_xrealloc(void *p, size_t size);
char *accord_xstrdup(const char *s);

#endif
