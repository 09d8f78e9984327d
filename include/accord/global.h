#ifndef ACCORD_GLOBAL_H
#define ACCORD_GLOBAL_H

/* Initialise libsodium and libgit2 once per process. 0 or ACCORD_ERROR. */
int accord_init(void);

/* Release what accord_init() and cached registries hold (for clean valgrind runs). */
void accord_shutdown(void);

#endif
