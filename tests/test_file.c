/*
 * accord_file_write_atomic and its halves: the one way accord replaces a
 * file. What it writes, with what mode, what it leaves behind, two writers
 * of one path, and a failure that must leave the old file whole.
 */
#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file.h"

/* The whole content of `path` in a malloc'd buffer (*len bytes), or NULL. */
static char *slurp(const char *path, size_t *len)
{
	accord_buf b = ACCORD_BUF_INIT;

	*len = 0;
	if (accord_buf_read_file(&b, path, 1 << 24) < 0)
		return NULL;
	*len = b.size;
	return accord_buf_detach(&b);
}

/* How many entries `dir` holds besides . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_file_writes_content_with_exact_mode(void **state)
{
	char *dir = th_tmpdir(), path[512], *got;
	struct stat st;
	mode_t old = umask(077);
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/f", dir);
	/* the umask takes nothing off: key.pub must be 0644 even under umask 077 */
	assert_int_equal(accord_file_write_atomic(path, "first\n", 6, 0644), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_non_null(got = slurp(path, &len));
	assert_int_equal(len, 6);
	assert_memory_equal(got, "first\n", 6);
	free(got);
	/* replaced whole, and the mode is the new one */
	umask(0);
	assert_int_equal(accord_file_write_atomic(path, "2", 1, 0600), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_non_null(got = slurp(path, &len));
	assert_int_equal(len, 1);
	assert_memory_equal(got, "2", 1);
	free(got);
	/* an empty file is a content too */
	assert_int_equal(accord_file_write_atomic(path, "", 0, 0600), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(count_entries(dir), 1); /* no temporary file left behind */
	/* a cache is replaced the same way, only without waiting for the disk */
	assert_int_equal(accord_file_write_cache(path, "cache", 5, 0640), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_non_null(got = slurp(path, &len));
	assert_int_equal(len, 5);
	assert_memory_equal(got, "cache", 5);
	free(got);
	assert_int_equal(count_entries(dir), 1);
	umask(old);
	th_rmdir(dir);
}

static void test_file_temp_is_private_until_installed(void **state)
{
	char *dir = th_tmpdir(), tmp[ACCORD_FILE_TMPNAME_MAX], path[512];
	struct stat st;
	mode_t old = umask(0);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_true(dfd >= 0);
	assert_int_equal(accord_file_temp_at(tmp, dfd, dir, "key", "secret", 6, 0600), 0);
	/* a temporary name of its own, hidden, next to the file it becomes */
	assert_true(tmp[0] == '.' && strncmp(tmp, ".key.tmp-", 9) == 0);
	assert_int_equal(fstatat(dfd, tmp, &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(accord_file_install_at(dfd, dir, tmp, "key", ACCORD_FILE_NO_REPLACE), 0);
	snprintf(path, sizeof(path), "%s/key", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* without replacing: refused, the first one kept, the temporary file gone */
	assert_int_equal(accord_file_temp_at(tmp, dfd, dir, "key", "other!", 6, 0600), 0);
	assert_int_equal(accord_file_install_at(dfd, dir, tmp, "key", ACCORD_FILE_NO_REPLACE),
			 ACCORD_EEXISTS);
	assert_int_equal(accord_file_create_atomic(path, "other!", 6, 0600), ACCORD_EEXISTS);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(count_entries(dir), 1);
	{
		size_t len;
		char *got = slurp(path, &len);

		assert_non_null(got);
		assert_memory_equal(got, "secret", 6);
		free(got);
	}
	close(dfd);
	umask(old);
	th_rmdir(dir);
}

/*
 * Write `path` `rounds` times with `size` bytes of `c`; exit 0 if every
 * write succeeded. The child frees `owned` (the parent's folder name) first:
 * under valgrind (make valgrind) each child's exit is checked for leaks too.
 */
static void writer(char *owned, const char *path, char c, size_t size, int rounds)
{
	char *data = malloc(size);
	int i, rc = 0;

	if (!data)
		_exit(2);
	memset(data, c, size);
	for (i = 0; i < rounds && rc == 0; i++)
		if (accord_file_write_atomic(path, data, size, 0600) < 0)
			rc = 1;
	free(data);
	free(owned);
	_exit(rc);
}

static void test_file_two_writers_do_not_collide(void **state)
{
	enum { SIZE = 256 * 1024, ROUNDS = 40 };
	char *dir = th_tmpdir(), path[512], *got;
	pid_t pids[2];
	size_t len, i;
	int k, status;

	(void)state;
	snprintf(path, sizeof(path), "%s/shared", dir);
	for (k = 0; k < 2; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0)
			writer(dir, path, k ? 'b' : 'a', SIZE, ROUNDS);
	}
	for (k = 0; k < 2; k++) {
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0); /* both finish, neither fails */
	}
	/* one whole content, from one writer, and nothing else in the folder */
	assert_non_null(got = slurp(path, &len));
	assert_int_equal(len, SIZE);
	for (i = 1; i < len && got[i] == got[0]; i++)
		;
	assert_int_equal(i, len);
	assert_true(got[0] == 'a' || got[0] == 'b');
	free(got);
	assert_int_equal(count_entries(dir), 1);
	th_rmdir(dir);
}

static void test_file_failure_keeps_the_old_file(void **state)
{
	char *dir = th_tmpdir(), path[512], missing[600], *got;
	struct stat st;
	pid_t pid;
	size_t len;
	int status;

	(void)state;
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(accord_file_write_atomic(path, "old content\n", 12, 0600), 0);
	/*
	 * A write that fails half-way: a file size limit (root ignores folder
	 * permissions, not this), in a child so the limit stays there.
	 */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 4096, 4096 };
		static char big[65536];
		int rc;

		signal(SIGXFSZ, SIG_IGN);
		memset(big, 'x', sizeof(big));
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(3);
		rc = accord_file_write_atomic(path, big, sizeof(big), 0600);
		rc = rc == ACCORD_ERROR && errno == EFBIG && strstr(accord_error_last(), dir) ? 0
											      : 1;
		free(dir); /* valgrind checks the child's exit for leaks too */
		_exit(rc);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(got = slurp(path, &len));
	assert_int_equal(len, 12);
	assert_memory_equal(got, "old content\n", 12);
	free(got);
	assert_int_equal(count_entries(dir), 1); /* the half-written temporary file is gone */

	/* no folder: the error names the file and errno says why */
	snprintf(missing, sizeof(missing), "%s/no/such/f", dir);
	assert_int_equal(accord_file_write_atomic(missing, "x", 1, 0600), ACCORD_ERROR);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(accord_error_last(), missing));
	/* a folder, a link: never replaced by a plain file */
	assert_int_equal(accord_file_write_atomic(dir, "x", 1, 0600) < 0, 1);
	snprintf(missing, sizeof(missing), "%s/link", dir);
	assert_int_equal(symlink(path, missing), 0);
	assert_int_equal(accord_file_write_atomic(missing, "x", 1, 0600), ACCORD_ERROR);
	assert_int_equal(lstat(missing, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	th_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_writes_content_with_exact_mode),
		cmocka_unit_test(test_file_temp_is_private_until_installed),
		cmocka_unit_test(test_file_two_writers_do_not_collide),
		cmocka_unit_test(test_file_failure_keeps_the_old_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
