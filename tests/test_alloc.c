/* lib/util/alloc.h: the one out-of-memory policy, shown in a child process. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"

/*
 * Under AddressSanitizer (make check) an impossible allocation is a report
 * and an exit of its own unless the allocator may return NULL, as libc's
 * does: then accord_oom is what answers, as in the plain build.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void test_allocations_usable(void **state)
{
	char *s = accord_xstrdup("acme"), *e = accord_xstrdup(NULL);
	int *z = accord_xcalloc(4, sizeof(int));
	void *zero = accord_xmalloc(0);

	(void)state;
	assert_string_equal(s, "acme");
	assert_string_equal(e, ""); /* NULL duplicates as "" */
	assert_int_equal(z[0] + z[1] + z[2] + z[3], 0);
	assert_non_null(zero); /* size 0 still gives a pointer that can be freed */
	z = accord_xrealloc(z, 1000 * sizeof(int));
	z[999] = 7;
	assert_int_equal(z[999], 7);
	free(s);
	free(e);
	free(z);
	free(zero);
}

/* Run `what` in a child with stderr into a pipe; its status and what it wrote. */
static int in_child(void (*what)(void), char *err, size_t len)
{
	int fds[2], status = 0;
	char discard[256];
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &core); /* an abort here is expected: no core file */
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		what();
		_exit(0);
	}
	close(fds[1]);
	/* to the end: a sanitizer or valgrind may write before accord does */
	while ((n = read(fds[0], err + got, len - 1 - got)) > 0 && got + (size_t)n < len - 1)
		got += (size_t)n;
	if (n > 0)
		got += (size_t)n;
	err[got] = '\0';
	while (read(fds[0], discard, sizeof(discard)) > 0)
		;
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void exhaust_malloc(void)
{
	(void)accord_xmalloc(SIZE_MAX / 2);
}

static void exhaust_calloc(void)
{
	(void)accord_xcalloc(1, SIZE_MAX / 2);
}

static void exhaust_realloc(void)
{
	(void)accord_xrealloc(NULL, SIZE_MAX / 2);
}

static void test_out_of_memory_aborts_saying_so(void **state)
{
	void (*each[])(void) = { exhaust_malloc, exhaust_calloc, exhaust_realloc };
	char err[4096];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(each) / sizeof(*each); i++) {
		int status = in_child(each[i], err, sizeof(err));

		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGABRT);
		/* valgrind (make valgrind) may add its own lines around it */
		assert_non_null(strstr(err, "accord: out of memory\n"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allocations_usable),
		cmocka_unit_test(test_out_of_memory_aborts_saying_so),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
