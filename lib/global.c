#include <git2.h>
#include <sodium.h>

#include "accord/error.h"
#include "accord/global.h"
#include "accord/schema.h"

int accord_init(void)
{
	if (sodium_init() < 0)
		return accord_error_set(ACCORD_ERROR, "libsodium failed to initialise");
	if (git_libgit2_init() < 0)
		return accord_error_git(-1, "libgit2 failed to initialise");
	return 0;
}

void accord_shutdown(void)
{
	accord_schema_builtin_free();
	git_libgit2_shutdown();
}
