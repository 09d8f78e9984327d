/*
 * Child processes without a shell. See process.h for the
 * environment policy.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accord/error.h"
#include "process.h"
#include "alloc.h"

extern char **environ;

#define ERR_KEEP (64 * 1024)

/*
 * What git clears before running in another repository (git's
 * local_repo_env, less the config variables, which are the user's
 * settings), and the receive-pack quarantine a hook runs under.
 */
static const char *const repo_vars[] = {
	"GIT_ALTERNATE_OBJECT_DIRECTORIES",
	"GIT_COMMON_DIR",
	"GIT_DIR",
	"GIT_GRAFT_FILE",
	"GIT_IMPLICIT_WORK_TREE",
	"GIT_INDEX_FILE",
	"GIT_INTERNAL_SUPER_PREFIX",
	"GIT_NO_REPLACE_OBJECTS",
	"GIT_OBJECT_DIRECTORY",
	"GIT_PREFIX",
	"GIT_QUARANTINE_PATH",
	"GIT_REPLACE_REF_BASE",
	"GIT_SHALLOW_FILE",
	"GIT_WORK_TREE",
	NULL,
};

static size_t name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');

	return eq ? (size_t)(eq - entry) : strlen(entry);
}

static int named(const char *entry, const char *name, size_t len)
{
	return name_len(entry) == len && strncmp(entry, name, len) == 0;
}

/* Whether `entry` ("NAME=value") is dropped: a repository variable or one `set` replaces. */
static int dropped(const char *entry, const char *const *set)
{
	size_t i;

	for (i = 0; repo_vars[i]; i++)
		if (named(entry, repo_vars[i], strlen(repo_vars[i])))
			return 1;
	for (i = 0; set && set[i]; i++)
		if (named(entry, set[i], name_len(set[i])))
			return 1;
	return 0;
}

/* The child's environment: pointers into `base` and `set`; free the array only. */
static char **child_env(char *const *base, const char *const *set)
{
	size_t n = 0, k = 0, i;
	char **env;

	for (i = 0; base && base[i]; i++)
		n++;
	for (i = 0; set && set[i]; i++)
		n++;
	if (!(env = calloc(n + 1, sizeof(*env))))
		accord_oom();
	for (i = 0; base && base[i]; i++)
		if (!dropped(base[i], set))
			env[k++] = base[i];
	for (i = 0; set && set[i]; i++)
		env[k++] = (char *)set[i];
	return env;
}

/* Keep the last ERR_KEEP bytes of stderr. */
static void keep_tail(accord_buf *err, const char *data, size_t len)
{
	accord_buf_put(err, data, len);
	if (err->size > ERR_KEEP) {
		size_t cut = err->size - ERR_KEEP;

		memmove(err->ptr, err->ptr + cut, ERR_KEEP);
		err->size = ERR_KEEP;
		err->ptr[err->size] = '\0';
	}
}

/* Read both pipes to their end. */
static void drain(int outfd, int errfd, accord_buf *out, accord_buf *err,
		  const accord_process_options *o)
{
	struct pollfd p[2] = { { outfd, POLLIN, 0 }, { errfd, POLLIN, 0 } };
	char chunk[8192];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		int i;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				continue;
			}
			if (i == 0 && out)
				accord_buf_put(out, chunk, (size_t)n);
			if (i == 1) {
				if (o->on_stderr)
					o->on_stderr(chunk, (size_t)n, o->payload);
				if (err)
					keep_tail(err, chunk, (size_t)n);
			}
		}
	}
	if (p[0].fd >= 0)
		close(p[0].fd);
	if (p[1].fd >= 0)
		close(p[1].fd);
}

/*
 * The child's standard input as an anonymous file holding `len` bytes,
 * read from its start: the child reads at its own pace and we never block
 * writing to a pipe it does not drain. -1 with the error set.
 */
static int input_file(const char *data, size_t len, const char *prog)
{
	int fd = memfd_create("accord-input", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return accord_error_set(ACCORD_ERROR, "can't run %s: %s", prog, strerror(errno)),
		       -1;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			accord_error_set(ACCORD_ERROR, "can't run %s: %s", prog, strerror(errno));
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		accord_error_set(ACCORD_ERROR, "can't run %s: %s", prog, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int wait_child(int *out_status, pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return accord_error_set(ACCORD_ERROR, "can't wait for %d: %s", (int)pid,
						strerror(errno));
	*out_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

int accord_process_run(int *out_status, accord_buf *out, accord_buf *err,
		       const accord_process_options *opts)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, execp[2] = { -1, -1 }, error = 0,
	    child_errno = 0;
	int infd = -1;
	char **env = child_env(opts->env ? opts->env : environ, opts->set);
	pid_t pid, parent = getpid();
	ssize_t n;

	if (opts->input && (infd = input_file(opts->input, opts->input_len, opts->argv[0])) < 0) {
		error = ACCORD_ERROR;
		goto done;
	}
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(execp, O_CLOEXEC) < 0) {
		error = accord_error_set(ACCORD_ERROR, "can't run %s: %s", opts->argv[0],
					 strerror(errno));
		goto done;
	}
	/*
	 * fork and exec rather than posix_spawn, for one thing posix_spawn
	 * cannot ask: that the child dies with us. A git fetch left running
	 * by a killed accord would race the next sync in the quarantine that
	 * accord's write lock is meant to own. Between fork and exec only
	 * async-signal-safe calls.
	 */
	if ((pid = fork()) < 0) {
		error = accord_error_set(ACCORD_ERROR, "can't run %s: %s", opts->argv[0],
					 strerror(errno));
		goto done;
	}
	if (pid == 0) {
		int fd, e;

		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
			_exit(127); /* the parent died before the request took hold */
		/* A child starts with default signal handling, whatever ours is. */
		signal(SIGPIPE, SIG_DFL);
		if ((fd = infd >= 0 ? infd : open("/dev/null", O_RDONLY)) < 0 || dup2(fd, 0) < 0 ||
		    dup2(outp[1], 1) < 0 || dup2(errp[1], 2) < 0)
			goto child_fail;
		execvpe(opts->argv[0], (char *const *)opts->argv, env);
child_fail:
		e = errno;
		(void)!write(execp[1], &e, sizeof(e));
		_exit(127);
	}
	close(outp[1]);
	close(errp[1]);
	close(execp[1]);
	outp[1] = errp[1] = execp[1] = -1;
	/* The exec pipe closes on exec; an errno on it means the exec failed. */
	while ((n = read(execp[0], &child_errno, sizeof(child_errno))) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(child_errno)) {
		int status;

		wait_child(&status, pid);
		error = accord_error_set(ACCORD_ERROR, "can't run %s: %s", opts->argv[0],
					 strerror(child_errno));
		goto done;
	}
	drain(outp[0], errp[0], out, err, opts);
	outp[0] = errp[0] = -1; /* drain closed them */
	error = wait_child(out_status, pid);
done:
	for (n = 0; n < 2; n++) {
		if (outp[n] >= 0)
			close(outp[n]);
		if (errp[n] >= 0)
			close(errp[n]);
		if (execp[n] >= 0)
			close(execp[n]);
	}
	if (infd >= 0)
		close(infd);
	free(env);
	return error;
}
