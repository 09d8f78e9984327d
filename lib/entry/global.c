#include <stdlib.h>

#include <cJSON.h>
#include <git2.h>
#include <sodium.h>

#include "accord/error.h"
#include "accord/global.h"
#include "schema.h"

#include "alloc.h"

/*
 * Debian's libgit2 1.5 (built with mbedTLS) parses the whole system CA
 * bundle in git_libgit2_init(): 53 million instructions, 82% of an
 * `accord list` (callgrind), paid by every command and every hook run.
 * accord never opens a network connection through libgit2 (the system git
 * carries every fetch and push, README "Sync"), so the certificates are
 * never used. This definition takes the place of mbedTLS's for libgit2 and
 * loads none. Were libgit2's https ever used, it would trust no server:
 * it fails closed.
 */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);
int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

/* cJSON follows the library's out-of-memory policy (alloc.h). */
static cJSON_Hooks json_hooks = { accord_xmalloc, free };

int accord_init(void)
{
	if (sodium_init() < 0)
		return accord_error_set(ACCORD_ERROR, "libsodium failed to initialise");
	if (git_libgit2_init() < 0)
		return accord_error_git(-1, "libgit2 failed to initialise");
	/*
	 * Bounded memory (issue 14): accord reads each object once and keeps
	 * what it needs itself, so libgit2's object cache (256 MB by default)
	 * and pack windows (up to 8 GB mapped on 64-bit, resident as they are
	 * read) would only make memory grow with the ledger. Mapped windows are
	 * recycled least recently used first; 32 MB keep several packs open.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(4 << 20));
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)(1 << 20));
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)(8 << 20));
	cJSON_InitHooks(&json_hooks);
	return 0;
}

void accord_shutdown(void)
{
	accord_schema_builtin_free();
	git_libgit2_shutdown();
}
