/* accord clone, remote and sync: not written yet (issue 4). */
#include "cmd.h"

int cmd_clone(accord_ctx *ctx, int argc, char **argv)
{
	return cmd_failf(ACCORD_EXIT_FAIL, "clone is not implemented yet");
}

int cmd_remote(accord_ctx *ctx, int argc, char **argv)
{
	return cmd_failf(ACCORD_EXIT_FAIL, "remote is not implemented yet");
}

int cmd_sync(accord_ctx *ctx, int argc, char **argv)
{
	return cmd_failf(ACCORD_EXIT_FAIL, "sync is not implemented yet");
}
