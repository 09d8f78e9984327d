#ifndef ACCORD_PROCESS_H
#define ACCORD_PROCESS_H

#include <stddef.h>

#include "accord/buf.h"

/*
 * Running a program (the system git) as a child process: fork and exec
 * with a PATH lookup, never a shell, so no argument is ever parsed as
 * shell text. (Where the documented contract is a shell command, as git
 * config accord.notify's is, like git's hooks and aliases, the caller runs
 * "sh -c" itself.) The child gets SIGTERM when the thread that started it
 * dies, so a killed accord leaves no git behind to race the next command.
 *
 * The environment policy: the child gets the base environment (the
 * caller's `env`, else this process's), so that everything the user set
 * up for git and ssh applies (HOME, SSH_AUTH_SOCK, GIT_SSH_COMMAND,
 * GIT_CONFIG_*, proxies, credential helpers), less the variables that
 * point git at another repository (GIT_DIR, GIT_WORK_TREE,
 * GIT_OBJECT_DIRECTORY, GIT_INDEX_FILE, GIT_QUARANTINE_PATH, ... the
 * list git itself clears for a subprocess in another repository), plus
 * the caller's `set` entries. Standard input is `input` (a hook's data),
 * else /dev/null.
 */

/* A piece of what the child wrote to stderr, as it arrives. */
typedef void (*accord_process_output_cb)(const char *data, size_t len, void *payload);

typedef struct {
	const char *const *argv; /* argv[0] is looked up in PATH; NULL-terminated */
	char *const *env;	 /* base environment; NULL: this process's */
	const char *const *set;	 /* "NAME=value" entries to add or replace; may be NULL */
	accord_process_output_cb on_stderr; /* may be NULL */
	void *payload;
	const char *input; /* the child's standard input, `input_len` bytes; NULL: /dev/null */
	size_t input_len;
} accord_process_options;

#define ACCORD_PROCESS_OPTIONS_INIT                   \
	{                                             \
		NULL, NULL, NULL, NULL, NULL, NULL, 0 \
	}

/*
 * Run the program to its end. *out_status is its exit code, or 128 plus
 * the signal that ended it. What it wrote to stdout goes to `out` and to
 * stderr to `err` (either may be NULL to discard; `err` keeps at most
 * the last 64 KiB). ACCORD_ERROR if it could not be started (the
 * message names the program).
 */
int accord_process_run(int *out_status, accord_buf *out, accord_buf *err,
		       const accord_process_options *opts);

#endif
