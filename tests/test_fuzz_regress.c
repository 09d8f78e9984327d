/*
 * Fuzzing regressions: every input kept in tests/fixtures/fuzz/ (named
 * <harness>-<what>) and every seed of fuzz/corpus/<harness>/ goes through the
 * same targets as the libFuzzer harnesses (fuzz/harnesses.h), so a crash
 * once found stays fixed under `make test`, `make check` and valgrind.
 */
#include "helpers.h"

#include <dirent.h>

#include "../fuzz/harnesses.h"

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} targets[] = {
	{ "entry", fuzz_entry }, { "sshsig", fuzz_sshsig }, { "json", fuzz_json },
	{ "commit", fuzz_commit }, { "schema", fuzz_schema },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static void run_file(int (*fn)(const uint8_t *, size_t), const char *path)
{
	accord_buf data = ACCORD_BUF_INIT;

	assert_int_equal(accord_buf_read_file(&data, path, 1 << 20), 0);
	fn((const uint8_t *)(data.ptr ? data.ptr : ""), data.size);
	accord_buf_dispose(&data);
}

/* Run fn on every file in dir whose name starts with prefix; returns how many. */
static size_t run_dir(int (*fn)(const uint8_t *, size_t), const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;
	char path[1024];

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		run_file(fn, path);
		n++;
	}
	closedir(d);
	return n;
}

static void test_fuzz_regress_fixtures(void **state)
{
	const char *fixtures = getenv("ACCORD_FIXTURES");
	char dir[1024], prefix[64];
	size_t i, n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fuzz", fixtures ? fixtures : "tests/fixtures");
	for (i = 0; i < NTARGETS; i++) {
		snprintf(prefix, sizeof(prefix), "%s-", targets[i].name);
		n += run_dir(targets[i].fn, dir, prefix);
	}
	print_message("%zu regression inputs replayed\n", n);
}

static void test_fuzz_regress_seeds(void **state)
{
	char dir[256];
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < NTARGETS; i++) {
		snprintf(dir, sizeof(dir), "fuzz/corpus/%s", targets[i].name);
		n += run_dir(targets[i].fn, dir, "");
	}
	print_message("%zu seeds replayed\n", n);
}

/* The seeds are real: entries parse, commits split, signatures verify. */
static void test_fuzz_regress_seeds_are_valid(void **state)
{
	accord_buf data = ACCORD_BUF_INIT;
	accord_entry *e = NULL;
	accord_commit *c = NULL;
	accord_pubkey signer;
	const char *nul;

	(void)state;
	if (accord_buf_read_file(&data, "fuzz/corpus/entry/e1", 1 << 20) < 0) {
		skip();
		return;
	}
	assert_int_equal(accord_entry_parse(&e, data.ptr, data.size), 0);
	accord_entry_free(e);
	accord_buf_dispose(&data);
	assert_int_equal(accord_buf_read_file(&data, "fuzz/corpus/commit/c1", 1 << 20), 0);
	assert_int_equal(accord_commit_parse(&c, data.ptr, data.size), 0);
	accord_commit_free(c);
	accord_buf_dispose(&data);
	assert_int_equal(accord_buf_read_file(&data, "fuzz/corpus/sshsig/g1", 1 << 20), 0);
	nul = memchr(data.ptr, 0, data.size);
	assert_non_null(nul);
	assert_int_equal(accord_sshsig_verify(&signer, data.ptr, (size_t)(nul - data.ptr), "git", nul + 1,
					      data.size - (size_t)(nul - data.ptr) - 1), 0);
	/* and one flipped message byte does not */
	((char *)nul)[5] ^= 1;
	assert_int_equal(accord_sshsig_verify(&signer, data.ptr, (size_t)(nul - data.ptr), "git", nul + 1,
					      data.size - (size_t)(nul - data.ptr) - 1), ACCORD_EBADSIG);
	accord_buf_dispose(&data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_regress_fixtures),
		cmocka_unit_test(test_fuzz_regress_seeds),
		cmocka_unit_test(test_fuzz_regress_seeds_are_valid),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
