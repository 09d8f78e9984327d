/* accord_buf: growth, formatting, ownership, files under a size cap, and the limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accord/buf.h"
#include "accord/error.h"

/* Every buffer that holds storage must keep it NUL-terminated and within asize. */
static void assert_buf_sane(const accord_buf *b)
{
	assert_non_null(b->ptr);
	assert_true(b->size < b->asize);
	assert_int_equal(b->ptr[b->size], '\0');
}

static void test_buf_grows_across_many_appends(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;
	size_t i, reallocs = 0, last_asize = 0;

	(void)state;
	for (i = 0; i < 100000; i++) {
		accord_buf_putc(&b, (char)('a' + i % 26));
		assert_buf_sane(&b);
		if (b.asize != last_asize) {
			reallocs++;
			last_asize = b.asize;
		}
	}
	assert_int_equal(b.size, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.ptr[i], 'a' + i % 26);
	/* geometric growth: a power of two from 64, a handful of reallocs, not one per byte */
	assert_int_equal(b.asize & (b.asize - 1), 0);
	assert_true(b.asize >= 100001 && b.asize <= 2 * 100001);
	assert_true(reallocs <= 12);
	assert_int_equal(strlen(b.ptr), 100000);
	accord_buf_dispose(&b);
}

static void test_buf_grow_reserves_without_changing_content(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;
	char *before;

	(void)state;
	accord_buf_grow(&b, 0);
	assert_buf_sane(&b); /* even an empty grow gives a C string */
	assert_int_equal(b.size, 0);
	assert_int_equal(b.asize, 64);
	accord_buf_puts(&b, "abc");
	accord_buf_grow(&b, 1000);
	assert_true(b.asize >= 3 + 1000 + 1);
	assert_int_equal(b.size, 3);
	assert_string_equal(b.ptr, "abc");
	/* room reserved: appending that much moves nothing */
	before = b.ptr;
	{
		char block[1000];

		memset(block, 'x', sizeof(block));
		accord_buf_put(&b, block, sizeof(block));
	}
	assert_ptr_equal(b.ptr, before);
	assert_int_equal(b.size, 1003);
	assert_int_equal(b.ptr[1002], 'x');
	assert_buf_sane(&b);
	accord_buf_dispose(&b);
}

static void test_buf_put_puts_putc(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;

	(void)state;
	accord_buf_put(&b, "hello", 5);
	accord_buf_putc(&b, ' ');
	accord_buf_puts(&b, "world");
	accord_buf_put(&b, "ignored", 0);
	accord_buf_puts(&b, "");
	assert_int_equal(b.size, 11);
	assert_string_equal(b.ptr, "hello world");
	assert_buf_sane(&b);
	accord_buf_dispose(&b);
}

static void test_buf_keeps_embedded_nuls(void **state)
{
	static const char data[] = { 'a', '\0', 'b', '\0', '\0', 'c' };
	accord_buf b = ACCORD_BUF_INIT;

	(void)state;
	accord_buf_put(&b, data, sizeof(data));
	accord_buf_putc(&b, '\0');
	assert_int_equal(b.size, 7);
	assert_memory_equal(b.ptr, data, sizeof(data));
	assert_int_equal(b.ptr[6], '\0');
	assert_int_equal(strlen(b.ptr), 1); /* as a C string it stops early, size does not */
	assert_buf_sane(&b);
	accord_buf_dispose(&b);
}

static void test_buf_printf(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;
	char *big = malloc(70001);
	size_t i;

	(void)state;
	assert_non_null(big);
	accord_buf_printf(&b, "%d-%s-%c-%05.1f", -42, "x", 'y', 3.14159);
	assert_string_equal(b.ptr, "-42-x-y-003.1");
	assert_int_equal(b.size, 13);
	accord_buf_printf(&b, "%s", ""); /* nothing to add */
	assert_int_equal(b.size, 13);
	/* longer than any initial allocation, and appended after what is there */
	memset(big, 'q', 70000);
	big[70000] = '\0';
	accord_buf_printf(&b, "[%s]%zu", big, (size_t)70000);
	assert_int_equal(b.size, 13 + 1 + 70000 + 1 + 5);
	assert_memory_equal(b.ptr, "-42-x-y-003.1[", 14);
	for (i = 14; i < 14 + 70000; i++)
		assert_int_equal(b.ptr[i], 'q');
	assert_string_equal(b.ptr + 14 + 70000, "]70000");
	assert_buf_sane(&b);
	/* many small printfs, each growing the buffer in turn */
	accord_buf_clear(&b);
	for (i = 0; i < 10000; i++)
		accord_buf_printf(&b, "%zu,", i);
	assert_int_equal(b.size, 10 * 2 + 90 * 3 + 900 * 4 + 9000 * 5);
	assert_memory_equal(b.ptr, "0,1,2,", 6);
	assert_string_equal(b.ptr + b.size - 5, "9999,");
	assert_buf_sane(&b);
	accord_buf_dispose(&b);
	free(big);
}

static void test_buf_binary_encodings(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;

	(void)state;
	accord_buf_put_u32(&b, 0x01020304u);
	accord_buf_put_u32(&b, 0xffffffffu);
	accord_buf_put_u32(&b, 0);
	assert_int_equal(b.size, 12);
	assert_memory_equal(b.ptr, "\x01\x02\x03\x04\xff\xff\xff\xff\0\0\0\0", 12);
	accord_buf_clear(&b);
	accord_buf_put_sshstr(&b, "ssh-ed25519", 11);
	accord_buf_put_sshstr(&b, "", 0);
	accord_buf_put_sshstr(&b, "a\0b", 3);
	assert_int_equal(b.size, 4 + 11 + 4 + 4 + 3);
	assert_memory_equal(b.ptr,
			    "\0\0\0\x0bssh-ed25519\0\0\0\0\0\0\0\x03"
			    "a\0b",
			    b.size);
	assert_buf_sane(&b);
	accord_buf_dispose(&b);
}

static void test_buf_json_str(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "q\"b\\s/", "\"q\\\"b\\\\s/\"" },
		{ "\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\"" }, /* UTF-8 as is */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		accord_buf b = ACCORD_BUF_INIT;

		accord_buf_puts(&b, ">");
		accord_buf_put_json_str(&b, cases[i].in);
		assert_string_equal(b.ptr + 1, cases[i].out);
		assert_int_equal(b.size, 1 + strlen(cases[i].out));
		accord_buf_dispose(&b);
	}
}

static void test_buf_clear_detach_dispose(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;
	size_t asize;
	char *p;

	(void)state;
	/* clear on a buffer that never held storage is harmless */
	accord_buf_clear(&b);
	assert_null(b.ptr);
	assert_int_equal(b.size, 0);
	/* clear keeps the storage, empties the string */
	accord_buf_puts(&b, "some text");
	asize = b.asize;
	p = b.ptr;
	accord_buf_clear(&b);
	assert_int_equal(b.size, 0);
	assert_int_equal(b.asize, asize);
	assert_ptr_equal(b.ptr, p);
	assert_string_equal(b.ptr, "");
	accord_buf_puts(&b, "again");
	assert_string_equal(b.ptr, "again");
	/* detach hands the very storage over and leaves an empty, reusable buffer */
	p = accord_buf_detach(&b);
	assert_string_equal(p, "again");
	assert_null(b.ptr);
	assert_int_equal(b.size, 0);
	assert_int_equal(b.asize, 0);
	free(p);
	accord_buf_puts(&b, "reused");
	assert_string_equal(b.ptr, "reused");
	/* dispose frees and resets; a second dispose is harmless */
	accord_buf_dispose(&b);
	assert_null(b.ptr);
	assert_int_equal(b.size, 0);
	assert_int_equal(b.asize, 0);
	accord_buf_dispose(&b);
	/* detach of a never-used buffer still gives a freeable "" */
	p = accord_buf_detach(&b);
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
	assert_null(b.ptr);
}

static char *write_temp(const char *data, size_t len)
{
	char *path = strdup("/tmp/accord-test-buf.XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_buf_read_file(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;
	size_t len = 3 * 8192 + 17, i; /* more than one read() chunk */
	char *data = malloc(len), *path;

	(void)state;
	assert_non_null(data);
	for (i = 0; i < len; i++)
		data[i] = (char)(i * 7 % 251); /* NULs included */
	path = write_temp(data, len);
	/* exactly at the cap is accepted, byte for byte; old content is replaced */
	accord_buf_puts(&b, "stale");
	assert_int_equal(accord_buf_read_file(&b, path, len), 0);
	assert_int_equal(b.size, len);
	assert_memory_equal(b.ptr, data, len);
	assert_buf_sane(&b);
	/* one byte over the cap is refused */
	accord_error_clear();
	assert_int_equal(accord_buf_read_file(&b, path, len - 1), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "larger than"));
	assert_int_equal(accord_buf_read_file(&b, path, 0), ACCORD_EINVALID);
	/* a missing file is ENOTFOUND, and names the path */
	accord_error_clear();
	assert_int_equal(accord_buf_read_file(&b, "/nonexistent/accord/file", 100),
			 ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "/nonexistent/accord/file"));
	/* a directory opens but cannot be read: a plain error */
	assert_int_equal(accord_buf_read_file(&b, "/tmp", 100), ACCORD_ERROR);
	accord_buf_dispose(&b);
	unlink(path);
	free(path);
	free(data);
}

/*
 * A large file (the memo of checked commits) is read into storage the
 * kernel may back with huge pages: every byte arrives, whether it does
 * or not, and the buffer grows and frees as any other.
 */
static void test_buf_read_regular_large(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;
	size_t len = ((size_t)9 << 20) + 4097, i; /* past the 8 MB of BIG_READ, pages unaligned */
	char *data = malloc(len), *path;

	(void)state;
	assert_non_null(data);
	for (i = 0; i < len; i++)
		data[i] = (char)(i * 131 % 253);
	path = write_temp(data, len);
	assert_int_equal(accord_buf_read_regular(&b, path, len), 0);
	assert_int_equal(b.size, len);
	assert_memory_equal(b.ptr, data, len);
	assert_buf_sane(&b);
	accord_buf_put(&b, "tail", 4); /* still an ordinary buffer */
	assert_memory_equal(b.ptr + len, "tail", 4);
	/* over the cap: refused before a byte is taken */
	assert_int_equal(accord_buf_read_regular(&b, path, len - 1), ACCORD_EINVALID);
	accord_error_clear();
	accord_buf_dispose(&b);
	unlink(path);
	free(path);
	free(data);
}

static void test_buf_read_empty_file(void **state)
{
	accord_buf b = ACCORD_BUF_INIT;
	char *path = write_temp("", 0);

	(void)state;
	/* an empty file gives an empty C string, not a NULL pointer, even with cap 0 */
	assert_int_equal(accord_buf_read_file(&b, path, 0), 0);
	assert_int_equal(b.size, 0);
	assert_buf_sane(&b);
	assert_string_equal(b.ptr, "");
	accord_buf_dispose(&b);
	unlink(path);
	free(path);
}

static void test_buf_plural(void **state)
{
	(void)state;
	assert_string_equal(accord_plural(1, "feed", "feeds"), "feed");
	assert_string_equal(accord_plural(0, "feed", "feeds"), "feeds");
	assert_string_equal(accord_plural(2, "feed", "feeds"), "feeds");
	assert_string_equal(accord_plural(-1, "feed", "feeds"), "feeds");
	assert_string_equal(accord_plural(1LL << 40, "feed", "feeds"), "feeds");
}

/*
 * The documented limit: allocation failure (or a size that cannot be
 * represented) aborts rather than returning a short buffer. Run in a child,
 * with an alarm so that a hang fails instead of stalling the suite.
 * (Under valgrind the child's malloc of 2^63 bytes draws a "fishy value"
 * warning; it is a warning, not an error.)
 */
static void grow_in_child(size_t prefill, size_t extra)
{
	pid_t pid = fork();
	int status = 0;

	assert_true(pid >= 0);
	if (pid == 0) {
		accord_buf b = ACCORD_BUF_INIT;
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigaction(SIGABRT, &sa, NULL);
		alarm(10);
		if (prefill) {
			char *fill = calloc(1, prefill);

			if (!fill)
				_exit(3);
			accord_buf_put(&b, fill, prefill);
			free(fill);
		}
		accord_buf_grow(&b, extra);
		/* reaching here means a buffer claims room it cannot have */
		_exit(b.asize > b.size + extra ? 0 : 2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		print_error("grow(%zu + %zu): status %#x, wanted SIGABRT\n", prefill, extra,
			    status);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

#if defined(__SANITIZE_ADDRESS__) /* gcc */
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) /* clang */
#define UNDER_ASAN 1
#endif
#endif
#ifdef UNDER_ASAN
/*
 * Under AddressSanitizer an allocation too large for it ends the process in
 * ASan's own way; let it return NULL as the C library's does, so the child
 * shows accord_buf_grow's abort (this binary only, not the library).
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

static void test_buf_grow_aborts_at_the_limits(void **state)
{
	(void)state;
	grow_in_child(0, SIZE_MAX);	    /* size + extra + 1 wraps to 0 */
	grow_in_child(10, SIZE_MAX);	    /* ... wraps to 10, no less than size */
	grow_in_child(10, SIZE_MAX - 5);    /* ... wraps below size */
	grow_in_child(0, SIZE_MAX / 2 + 2); /* no power of two is that large */
	grow_in_child(0, SIZE_MAX / 4);	    /* representable, but no memory for it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_across_many_appends),
		cmocka_unit_test(test_buf_grow_reserves_without_changing_content),
		cmocka_unit_test(test_buf_put_puts_putc),
		cmocka_unit_test(test_buf_keeps_embedded_nuls),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_binary_encodings),
		cmocka_unit_test(test_buf_json_str),
		cmocka_unit_test(test_buf_clear_detach_dispose),
		cmocka_unit_test(test_buf_read_file),
		cmocka_unit_test(test_buf_read_regular_large),
		cmocka_unit_test(test_buf_read_empty_file),
		cmocka_unit_test(test_buf_plural),
		cmocka_unit_test(test_buf_grow_aborts_at_the_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
