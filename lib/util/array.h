/*
 * Growing arrays inside the library. Not part of the public API.
 */
#ifndef ACCORD_ARRAY_H
#define ACCORD_ARRAY_H

#include <stdlib.h>
#include "alloc.h"

/* Append `item` to a realloc'd array; out of memory aborts, as everywhere in derivation. */
#define ACCORD_PUSH(arr, count, item)                                      \
	do {                                                               \
		void *p_ = realloc((arr), ((count) + 1) * sizeof(*(arr))); \
		if (!p_)                                                   \
			accord_oom();                                      \
		(arr) = p_;                                                \
		(arr)[(count)++] = (item);                                 \
	} while (0)

#endif
