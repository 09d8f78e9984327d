/*
 * The libFuzzer entry points, built once per harness of fuzz/harnesses.h
 * with -DFUZZ_FN=fuzz_<name> (see fuzz/fuzz.mk).
 */
#include "harnesses.h"

#ifndef FUZZ_FN
#error "build with -DFUZZ_FN=fuzz_<name>"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return accord_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return FUZZ_FN(data, size);
}
