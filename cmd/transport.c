/* What clone and sync show of git at work: its output, escaped, and progress on a terminal. */
#include <stdio.h>
#include <unistd.h>

extern char **environ;

#include "escape.h"
#include "accord/sync.h"

#include "cmd.h"

/*
 * What git writes while it works (its progress, the remote's messages),
 * shown as git shows it: carriage returns and newlines pass, everything
 * else goes through accord's escaping, a line at a time so that a
 * character split between two reads is not mistaken for a bad byte.
 */
static accord_buf git_line = ACCORD_BUF_INIT;

void cmd_transport_flush(void)
{
	if (git_line.size)
		fputs(cmd_esc(git_line.ptr, ACCORD_ESCAPE_MULTILINE), stderr);
	accord_buf_clear(&git_line);
	fflush(stderr);
}

void cmd_transport_output(const char *remote, const char *data, size_t len, void *payload)
{
	size_t i;

	(void)remote;
	(void)payload;
	for (i = 0; i < len; i++) {
		if (data[i] == '\r' || data[i] == '\n') {
			cmd_transport_flush();
			fputc(data[i], stderr);
		} else if (data[i] == '\0') {
			accord_buf_puts(&git_line, "\\x00");
		} else {
			accord_buf_putc(&git_line, data[i]);
		}
	}
	fflush(stderr);
}

/* Progress on a terminal only: one line rewritten in place. */
static void progress(const char *remote, const char *what, size_t done, size_t total, void *payload)
{
	(void)payload;
	if (total)
		fprintf(stderr, "\r%s: %s %zu/%zu%s", remote, what, done, total,
			done == total ? "\n" : "");
	else
		fprintf(stderr, "\r%s: %s %zu", remote, what, done);
}

/* git runs with this process's environment; on a terminal it shows progress and may ask. */
void cmd_transport_setup(accord_sync_options *so, int show_progress)
{
	so->transport.env = environ;
	so->transport.interactive = isatty(2);
	so->transport.output = cmd_transport_output;
	if (show_progress && isatty(2))
		so->progress = progress;
}
