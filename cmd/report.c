/* accord report: not written yet (issue 6). */
#include "cmd.h"

int cmd_report(accord_ctx *ctx, int argc, char **argv)
{
	return cmd_failf(ACCORD_EXIT_FAIL, "report is not implemented yet");
}
