#ifndef ACCORD_BUF_H
#define ACCORD_BUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * A growable byte buffer, always NUL-terminated so that text can be used
 * as a C string. Initialise with ACCORD_BUF_INIT; release with
 * accord_buf_dispose(). Allocation failure aborts (as git's strbuf does):
 * a ledger tool that runs out of memory cannot do anything useful.
 */
typedef struct {
	char *ptr;
	size_t size;
	size_t asize;
} accord_buf;

#define ACCORD_BUF_INIT    \
	{                  \
		NULL, 0, 0 \
	}

void accord_buf_grow(accord_buf *b, size_t extra);
void accord_buf_put(accord_buf *b, const void *data, size_t len);
void accord_buf_puts(accord_buf *b, const char *s);
void accord_buf_putc(accord_buf *b, char c);
void accord_buf_printf(accord_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append a big-endian uint32. */
void accord_buf_put_u32(accord_buf *b, uint32_t v);
/* Append an SSH "string": uint32 big-endian length, then the bytes. */
void accord_buf_put_sshstr(accord_buf *b, const void *data, size_t len);
/* Append `s` as a JSON string literal with quotes, escaping as RFC 8259 requires. */
void accord_buf_put_json_str(accord_buf *b, const char *s);
void accord_buf_clear(accord_buf *b);
/* Hand the storage to the caller (free with free()); the buffer becomes empty. */
char *accord_buf_detach(accord_buf *b);
void accord_buf_dispose(accord_buf *b);

/* `one` when n is 1, else `many`, for counts shown to people: "1 feed", "2 feeds". */
const char *accord_plural(long long n, const char *one, const char *many);

/* Read a whole file (at most max_size bytes, else ACCORD_EINVALID). */
int accord_buf_read_file(accord_buf *out, const char *path, size_t max_size);

/*
 * accord_buf_read_file for accord's own files in a repository, which
 * whoever can write the repository can replace: a link is not followed,
 * and anything but a regular file (a FIFO would block the reader) is
 * refused with ACCORD_EINVALID; ACCORD_ENOTFOUND when it does not exist.
 */
int accord_buf_read_regular(accord_buf *out, const char *path, size_t max_size);

#endif
