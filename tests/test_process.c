/* accord_process_run: no shell, exit codes and signals, pipes, the environment policy, real git. */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#include "process.h"

extern char **environ;

/* Run argv with `o` (argv filled in), expecting it to start. */
static int run(accord_buf *out, accord_buf *err, accord_process_options *o, const char *const *argv)
{
	int status = -1;

	o->argv = argv;
	if (accord_process_run(&status, out, err, o) != 0)
		fail_msg("%s did not start: %s", argv[0], accord_error_last());
	return status;
}

static void test_process_exit_status_and_output(void **state)
{
	accord_process_options o = ACCORD_PROCESS_OPTIONS_INIT;
	accord_buf out = ACCORD_BUF_INIT, err = ACCORD_BUF_INIT;
	const char *const ok[] = { "sh", "-c", "printf 'to out'; printf 'to err' >&2; exit 3",
				   NULL };
	const char *const killed[] = { "sh", "-c", "kill -TERM $$; sleep 5", NULL };
	const char *const quiet[] = { "true", NULL };

	(void)state;
	assert_int_equal(run(&out, &err, &o, ok), 3);
	assert_string_equal(out.ptr, "to out");
	assert_string_equal(err.ptr, "to err");
	/* a signal: 128 plus its number, as a shell says */
	accord_buf_clear(&out);
	assert_int_equal(run(&out, NULL, &o, killed), 128 + SIGTERM);
	assert_int_equal(out.size, 0);
	/* out and err may be NULL: discarded */
	assert_int_equal(run(NULL, NULL, &o, ok), 3);
	assert_int_equal(run(NULL, NULL, &o, quiet), 0);
	accord_buf_dispose(&out);
	accord_buf_dispose(&err);
}

static void test_process_arguments_are_never_shell_text(void **state)
{
	accord_process_options o = ACCORD_PROCESS_OPTIONS_INIT;
	accord_buf out = ACCORD_BUF_INIT;
	char *dir = th_tmpdir(), marker[600];
	char arg[2000];
	const char *argv[] = { "printf", "%s|", NULL, "two words", "'quoted'", "*", NULL };
	struct stat st;

	(void)state;
	snprintf(marker, sizeof(marker), "%s/pwned", dir);
	snprintf(arg, sizeof(arg), "$(touch %s);`touch %s` && touch %s", marker, marker, marker);
	argv[2] = arg;
	assert_int_equal(run(&out, NULL, &o, argv), 0);
	{
		accord_buf want = ACCORD_BUF_INIT;

		accord_buf_printf(&want, "%s|two words|'quoted'|*|", arg);
		assert_string_equal(out.ptr, want.ptr);
		accord_buf_dispose(&want);
	}
	assert_int_equal(stat(marker, &st), -1);
	accord_buf_dispose(&out);
	th_rmdir(dir);
}

static void test_process_missing_program(void **state)
{
	accord_process_options o = ACCORD_PROCESS_OPTIONS_INIT;
	const char *const argv[] = { "accord-no-such-program", NULL };
	char *dir = th_tmpdir(), file[600];
	const char *const not_exec[] = { file, NULL };
	int status = 12345;
	FILE *fp;

	(void)state;
	/* a file that is not executable */
	snprintf(file, sizeof(file), "%s/script", dir);
	assert_non_null(fp = fopen(file, "w"));
	fputs("echo ran\n", fp);
	assert_int_equal(fclose(fp), 0);
	o.argv = argv;
	accord_error_clear();
	assert_int_equal(accord_process_run(&status, NULL, NULL, &o), ACCORD_ERROR);
	assert_non_null(strstr(accord_error_last(), "accord-no-such-program"));
	assert_int_equal(status, 12345);
	o.argv = not_exec;
	assert_int_equal(accord_process_run(&status, NULL, NULL, &o), ACCORD_ERROR);
	assert_non_null(strstr(accord_error_last(), file));
	assert_non_null(strstr(accord_error_last(), "ermission denied"));
	assert_int_equal(status, 12345);
	th_rmdir(dir);
}

/* Whether the NUL-separated `env -0` output holds the entry `want`. */
static int has_entry(const accord_buf *b, const char *want)
{
	for (size_t at = 0; at < b->size; at += strlen(b->ptr + at) + 1)
		if (!strcmp(b->ptr + at, want))
			return 1;
	return 0;
}

static int has_name(const accord_buf *b, const char *name)
{
	size_t n = strlen(name);

	for (size_t at = 0; at < b->size; at += strlen(b->ptr + at) + 1)
		if (!strncmp(b->ptr + at, name, n) && b->ptr[at + n] == '=')
			return 1;
	return 0;
}

static void test_process_environment_policy(void **state)
{
	accord_process_options o = ACCORD_PROCESS_OPTIONS_INIT;
	accord_buf out = ACCORD_BUF_INIT;
	char path[4200];
	char *base[] = { path,
			 "HOME=/home/someone",
			 "SSH_AUTH_SOCK=/run/agent",
			 "GIT_DIR=/elsewhere/.git",
			 "GIT_WORK_TREE=/elsewhere",
			 "GIT_OBJECT_DIRECTORY=/elsewhere/objects",
			 "GIT_INDEX_FILE=/elsewhere/index",
			 "GIT_QUARANTINE_PATH=/elsewhere/q",
			 "GIT_SSH_COMMAND=ssh -i key",
			 "GIT_DIRECTORY=kept, not GIT_DIR",
			 "KEEP=old",
			 NULL };
	const char *const set[] = { "KEEP=new", "ADDED=yes", NULL };
	const char *const argv[] = { "env", "-0", NULL };

	(void)state;
	snprintf(path, sizeof(path), "PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	o.env = base;
	o.set = set;
	assert_int_equal(run(&out, NULL, &o, argv), 0);
	/* what the user set up for git and ssh passes */
	assert_true(has_entry(&out, "HOME=/home/someone"));
	assert_true(has_entry(&out, "SSH_AUTH_SOCK=/run/agent"));
	assert_true(has_entry(&out, "GIT_SSH_COMMAND=ssh -i key"));
	assert_true(has_entry(&out, "GIT_DIRECTORY=kept, not GIT_DIR"));
	/* what points git at another repository does not */
	assert_false(has_name(&out, "GIT_DIR"));
	assert_false(has_name(&out, "GIT_WORK_TREE"));
	assert_false(has_name(&out, "GIT_OBJECT_DIRECTORY"));
	assert_false(has_name(&out, "GIT_INDEX_FILE"));
	assert_false(has_name(&out, "GIT_QUARANTINE_PATH"));
	/* set replaces and adds, once each */
	assert_true(has_entry(&out, "KEEP=new"));
	assert_false(has_entry(&out, "KEEP=old"));
	assert_true(has_entry(&out, "ADDED=yes"));

	/* without a base: this process's environment, by the same policy */
	accord_buf_clear(&out);
	o.env = NULL;
	o.set = NULL;
	assert_int_equal(setenv("ACCORD_TEST_PASSED", "1", 1), 0);
	assert_int_equal(setenv("GIT_DIR", "/elsewhere/.git", 1), 0);
	assert_int_equal(run(&out, NULL, &o, argv), 0);
	assert_int_equal(unsetenv("GIT_DIR"), 0);
	assert_int_equal(unsetenv("ACCORD_TEST_PASSED"), 0);
	assert_true(has_entry(&out, "ACCORD_TEST_PASSED=1"));
	assert_false(has_name(&out, "GIT_DIR"));
	accord_buf_dispose(&out);
}

static void test_process_real_git_ignores_outside_repository(void **state)
{
	accord_process_options o = ACCORD_PROCESS_OPTIONS_INIT;
	accord_buf out = ACCORD_BUF_INIT, err = ACCORD_BUF_INIT;
	char *dir = th_tmpdir(), repo[600], other[600], want[700];
	const char *const init[] = { "git", "init", "-q", repo, NULL };
	const char *const init_other[] = { "git", "init", "-q", "--bare", other, NULL };
	const char *const where[] = { "git", "-C", repo, "rev-parse", "--absolute-git-dir", NULL };
	const char *const bad[] = { "git", "-C", repo, "rev-parse", "--verify", "nothing", NULL };

	(void)state;
	snprintf(repo, sizeof(repo), "%s/repo", dir);
	snprintf(other, sizeof(other), "%s/other.git", dir);
	assert_int_equal(run(NULL, NULL, &o, init), 0);
	assert_int_equal(run(NULL, NULL, &o, init_other), 0);
	/* a hook's environment points at another repository: the child still reads its own */
	assert_int_equal(setenv("GIT_DIR", other, 1), 0);
	assert_int_equal(run(&out, NULL, &o, where), 0);
	assert_int_equal(unsetenv("GIT_DIR"), 0);
	snprintf(want, sizeof(want), "%s/.git\n", repo);
	assert_string_equal(out.ptr, want);
	/* git's failure: its exit code and its message */
	assert_int_equal(run(NULL, &err, &o, bad), 128);
	assert_non_null(strstr(err.ptr, "fatal"));
	accord_buf_dispose(&out);
	accord_buf_dispose(&err);
	th_rmdir(dir);
}

static void count_bytes(const char *data, size_t len, void *payload)
{
	(void)data;
	*(size_t *)payload += len;
}

static void test_process_large_input_and_output(void **state)
{
	accord_process_options o = ACCORD_PROCESS_OPTIONS_INIT;
	accord_buf out = ACCORD_BUF_INIT, err = ACCORD_BUF_INIT;
	size_t len = 1 << 20, seen = 0, i;
	char *input = malloc(len);
	/* stdout and stderr both far beyond a pipe's buffer, at once */
	const char *const both[] = { "sh", "-c", "tee /dev/stderr", NULL };
	const char *const none[] = { "cat", NULL };

	(void)state;
	assert_non_null(input);
	for (i = 0; i < len; i++)
		input[i] = (char)(i % 251); /* NUL bytes too */
	o.input = input;
	o.input_len = len;
	o.on_stderr = count_bytes;
	o.payload = &seen;
	assert_int_equal(run(&out, &err, &o, both), 0);
	assert_int_equal(out.size, len);
	assert_memory_equal(out.ptr, input, len);
	/* every byte reached the callback; err keeps the last 64 KiB */
	assert_int_equal(seen, len);
	assert_int_equal(err.size, 64 * 1024);
	assert_memory_equal(err.ptr, input + len - 64 * 1024, 64 * 1024);

	/* no input: /dev/null, so a reader ends at once */
	accord_buf_clear(&out);
	o.input = NULL;
	o.input_len = 0;
	o.on_stderr = NULL;
	assert_int_equal(run(&out, NULL, &o, none), 0);
	assert_int_equal(out.size, 0);
	free(input);
	accord_buf_dispose(&out);
	accord_buf_dispose(&err);
}

/* Whether process `pid` is gone (or a zombie) within `secs` seconds. */
static int gone_within(pid_t pid, int secs)
{
	char path[64], buf[512];

	for (int i = 0; i < secs * 20; i++) {
		FILE *fp;
		char *close_paren;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		if (!(fp = fopen(path, "r")))
			return 1;
		buf[0] = '\0';
		if (!fgets(buf, sizeof(buf), fp))
			buf[0] = '\0';
		fclose(fp);
		if ((close_paren = strrchr(buf, ')')) && close_paren[1] == ' ' &&
		    close_paren[2] == 'Z')
			return 1;
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	return 0;
}

static void test_process_child_dies_with_its_parent(void **state)
{
	char *dir = th_tmpdir(), pidfile[600], script[2000];
	pid_t runner, child = 0;
	int status;

	(void)state;
	snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
	snprintf(script, sizeof(script), "echo $$ > %s.tmp && mv %s.tmp %s && exec sleep 60",
		 pidfile, pidfile, pidfile);
	/* a process of our own runs a long child, and is killed */
	runner = fork();
	assert_true(runner >= 0);
	if (runner == 0) {
		accord_process_options o = ACCORD_PROCESS_OPTIONS_INIT;
		const char *const argv[] = { "sh", "-c", script, NULL };
		int st;

		o.argv = argv;
		_exit(accord_process_run(&st, NULL, NULL, &o) == 0 ? 0 : 1);
	}
	for (int i = 0; i < 200 && !child; i++) {
		FILE *fp = fopen(pidfile, "r");

		if (fp) {
			if (fscanf(fp, "%d", &child) != 1)
				child = 0;
			fclose(fp);
		}
		if (!child)
			nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	assert_int_equal(kill(runner, SIGKILL), 0);
	assert_int_equal(waitpid(runner, &status, 0), runner);
	assert_true(child > 0);
	/* the child got SIGTERM: no sleep is left behind */
	if (!gone_within(child, 5)) {
		kill(child, SIGKILL);
		fail_msg("child %d outlived the process that started it", (int)child);
	}
	th_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_process_exit_status_and_output),
		cmocka_unit_test(test_process_arguments_are_never_shell_text),
		cmocka_unit_test(test_process_missing_program),
		cmocka_unit_test(test_process_environment_policy),
		cmocka_unit_test(test_process_real_git_ignores_outside_repository),
		cmocka_unit_test(test_process_large_input_and_output),
		cmocka_unit_test(test_process_child_dies_with_its_parent),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
