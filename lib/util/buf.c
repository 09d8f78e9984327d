#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "alloc.h"

void accord_buf_grow(accord_buf *b, size_t extra)
{
	size_t need = b->size + extra + 1;
	size_t nsize;
	char *p;

	if (extra >= SIZE_MAX - b->size) /* size + extra + 1 would wrap */
		accord_oom();
	if (need <= b->asize)
		return;
	nsize = b->asize ? b->asize : 64;
	while (nsize < need)
		nsize = nsize > SIZE_MAX / 2 ? need : nsize * 2;
	p = realloc(b->ptr, nsize);
	if (!p)
		accord_oom();
	p[b->size] = '\0'; /* fresh storage is a C string too, before anything is put */
	b->ptr = p;
	b->asize = nsize;
}

void accord_buf_put(accord_buf *b, const void *data, size_t len)
{
	accord_buf_grow(b, len);
	if (len)
		memcpy(b->ptr + b->size, data, len);
	b->size += len;
	b->ptr[b->size] = '\0';
}

void accord_buf_puts(accord_buf *b, const char *s)
{
	accord_buf_put(b, s, strlen(s));
}

void accord_buf_putc(accord_buf *b, char c)
{
	accord_buf_put(b, &c, 1);
}

void accord_buf_printf(accord_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		accord_oom();
	accord_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->size += (size_t)n;
}

void accord_buf_put_u32(accord_buf *b, uint32_t v)
{
	unsigned char be[4] = { v >> 24, v >> 16, v >> 8, v };

	accord_buf_put(b, be, 4);
}

void accord_buf_put_sshstr(accord_buf *b, const void *data, size_t len)
{
	accord_buf_put_u32(b, (uint32_t)len);
	accord_buf_put(b, data, len);
}

void accord_buf_put_json_str(accord_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	accord_buf_putc(b, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"': accord_buf_puts(b, "\\\""); break;
		case '\\': accord_buf_puts(b, "\\\\"); break;
		case '\n': accord_buf_puts(b, "\\n"); break;
		case '\r': accord_buf_puts(b, "\\r"); break;
		case '\t': accord_buf_puts(b, "\\t"); break;
		case '\b': accord_buf_puts(b, "\\b"); break;
		case '\f': accord_buf_puts(b, "\\f"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				accord_buf_printf(b, "\\u%04x", *p);
			else
				accord_buf_putc(b, (char)*p);
		}
	}
	accord_buf_putc(b, '"');
}

void accord_buf_clear(accord_buf *b)
{
	b->size = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *accord_buf_detach(accord_buf *b)
{
	char *p = b->ptr;

	if (!p) {
		p = calloc(1, 1);
		if (!p)
			accord_oom();
	}
	b->ptr = NULL;
	b->size = b->asize = 0;
	return p;
}

void accord_buf_dispose(accord_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->size = b->asize = 0;
}

static int read_fd(accord_buf *out, int fd, const char *path, size_t max_size, size_t hint);

int accord_buf_read_file(accord_buf *out, const char *path, size_t max_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return accord_error_set(errno == ENOENT ? ACCORD_ENOTFOUND : ACCORD_ERROR,
					"can't open %s: %s", path, strerror(errno));
	return read_fd(out, fd, path, max_size, 0);
}

int accord_buf_read_regular(accord_buf *out, const char *path, size_t max_size)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return accord_error_set(errno == ENOENT	 ? ACCORD_ENOTFOUND
					: errno == ELOOP ? ACCORD_EINVALID
							 : ACCORD_ERROR,
					"can't open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return accord_error_set(ACCORD_EINVALID, "%s is not a regular file", path);
	}
	return read_fd(out, fd, path, max_size, (size_t)st.st_size);
}

/*
 * Ask for huge pages under the part of a buffer a large file is about to
 * fill: reading the 80 MB memo at 1M entries took 0.23 s of a 3 s sync on
 * this VM, most of it faulting in 20,000 fresh 4 kB pages one by one
 * (issue 14); in about 40 pages of 2 MB, 0.16 s. Only the 2 MB-aligned
 * part can use them, and only the file's bytes are advised, not the
 * buffer's spare room. A hint: where the kernel has no huge page to give,
 * nothing changes.
 */
#define BIG_READ ((size_t)8 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void advise_huge(void *ptr, size_t len)
{
	uintptr_t lo = ((uintptr_t)ptr + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t hi = ((uintptr_t)ptr + len) & ~(HUGE_PAGE - 1);

#ifdef MADV_HUGEPAGE
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)lo;
	(void)hi;
#endif
}

/*
 * Read all of `fd` (closed here) into `out`, straight into its storage:
 * sized for `hint` bytes (the file's size, 0 if unknown) at once, so that
 * a large file (the memo of checked commits: 80 MB at 1M) is not copied
 * chunk by chunk through doublings.
 */
static int read_fd(accord_buf *out, int fd, const char *path, size_t max_size, size_t hint)
{
	ssize_t n;

	accord_buf_clear(out);
	accord_buf_grow(out, hint <= max_size ? hint : 0);
	if (hint <= max_size && hint >= BIG_READ)
		advise_huge(out->ptr, hint);
	for (;;) {
		if (out->asize - out->size <= 1)
			accord_buf_grow(out, 8192);
		n = read(fd, out->ptr + out->size, out->asize - out->size - 1);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return accord_error_set(ACCORD_ERROR, "can't read %s: %s", path,
						strerror(errno));
		}
		if (out->size + (size_t)n > max_size) {
			close(fd);
			return accord_error_set(ACCORD_EINVALID, "%s is larger than %zu bytes",
						path, max_size);
		}
		out->size += (size_t)n;
		out->ptr[out->size] = '\0';
	}
	close(fd);
	return 0;
}

const char *accord_plural(long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}
