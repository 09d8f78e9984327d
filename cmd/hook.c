/* accord hook pre-receive: not written yet (issue 4). */
#include "cmd.h"

int cmd_hook(accord_ctx *ctx, int argc, char **argv)
{
	return cmd_failf(ACCORD_EXIT_FAIL, "hook is not implemented yet");
}
