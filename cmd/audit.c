/* accord audit: not written yet (issue 5). */
#include "cmd.h"

int cmd_audit(accord_ctx *ctx, int argc, char **argv)
{
	return cmd_failf(ACCORD_EXIT_FAIL, "audit is not implemented yet");
}
