#ifndef ACCORD_SCHEMAS_GEN_H
#define ACCORD_SCHEMAS_GEN_H

#include <stddef.h>

/* The files of schemas/, compiled in by tools/embed.c (private to lib/). */
struct accord_embedded_file {
	const char *name;
	const char *data;
	size_t len;
};

extern const struct accord_embedded_file accord_schema_files[];

#endif
