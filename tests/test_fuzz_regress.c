/*
 * Fuzzing regressions: every input kept in tests/fixtures/fuzz/ (named
 * <harness>-<what>) and every seed of fuzz/corpus/<harness>/ goes through the
 * same targets as the libFuzzer harnesses (fuzz/harnesses.h), so a crash
 * once found stays fixed under `make test`, `make check` and valgrind.
 * Inputs are found from any working directory ($ACCORD_FIXTURES, else the
 * source tree the test was built from), and a target with nothing to
 * replay fails the test.
 */
#include "helpers.h"

#include <dirent.h>
#include <errno.h>

#include "../fuzz/harnesses.h"

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} targets[] = {
	{ "entry", fuzz_entry },   { "sshsig", fuzz_sshsig }, { "json", fuzz_json },
	{ "commit", fuzz_commit }, { "schema", fuzz_schema },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

/* The fixtures: $ACCORD_FIXTURES, else the source tree the test was built from. */
static const char *fixtures_dir(void)
{
	const char *d = getenv("ACCORD_FIXTURES");

	return d && *d ? d : ACCORD_SRCDIR "/tests/fixtures";
}

static void run_file(int (*fn)(const uint8_t *, size_t), const char *path)
{
	accord_buf data = ACCORD_BUF_INIT;

	if (accord_buf_read_file(&data, path, 1 << 20) < 0)
		fail_msg("can't read %s: %s", path, accord_error_last());
	fn((const uint8_t *)(data.ptr ? data.ptr : ""), data.size);
	accord_buf_dispose(&data);
}

/* Run fn on every file in dir whose name starts with prefix; returns how many. A missing dir fails. */
static size_t run_dir(int (*fn)(const uint8_t *, size_t), const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;
	char path[1024];

	if (!d)
		fail_msg("can't open %s: %s", dir, strerror(errno));
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

/*
 * Every kept input replays, and there are some for every target: a test
 * that replays nothing (a wrong path, an empty folder) must fail, not pass.
 */
static void test_fuzz_regress_fixtures(void **state)
{
	char dir[1024], prefix[64];
	size_t i, n, total = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fuzz", fixtures_dir());
	for (i = 0; i < NTARGETS; i++) {
		snprintf(prefix, sizeof(prefix), "%s-", targets[i].name);
		n = run_dir(targets[i].fn, dir, prefix);
		if (n == 0)
			fail_msg("no regression input for target %s in %s", targets[i].name, dir);
		total += n;
	}
	print_message("%zu regression inputs replayed from %s\n", total, dir);
}

static void test_fuzz_regress_seeds(void **state)
{
	char dir[1024];
	size_t i, n, total = 0;

	(void)state;
	for (i = 0; i < NTARGETS; i++) {
		snprintf(dir, sizeof(dir), "%s/fuzz/corpus/%s", ACCORD_SRCDIR, targets[i].name);
		n = run_dir(targets[i].fn, dir, "");
		if (n == 0)
			fail_msg("no seed for target %s in %s", targets[i].name, dir);
		total += n;
	}
	print_message("%zu seeds replayed\n", total);
}

/*
 * The kept entries are known-bad on purpose (controls, bidi overrides,
 * malformed UTF-8 in free text), except those named *-ok, which differ
 * from them only in their text: each bad one is refused, each ok one parses.
 */
static void test_fuzz_regress_hostile_entries_refused(void **state)
{
	char dir[1024], path[1024 + 1 + 256]; /* dir, '/', a d_name */
	DIR *d;
	struct dirent *de;
	size_t bad = 0, good = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fuzz", fixtures_dir());
	if (!(d = opendir(dir)))
		fail_msg("can't open %s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		accord_buf data = ACCORD_BUF_INIT;
		accord_entry *e = NULL;
		size_t len = strlen(de->d_name);
		int ok = len > 3 && !strcmp(de->d_name + len - 3, "-ok"), rc;

		if (strncmp(de->d_name, "entry-", 6) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(accord_buf_read_file(&data, path, 1 << 20), 0);
		rc = accord_entry_parse(&e, data.ptr, data.size);
		if (ok ? rc != 0 : rc != ACCORD_EINVALID)
			fail_msg("%s: parse returned %d (%s)", de->d_name, rc, accord_error_last());
		accord_entry_free(e);
		accord_buf_dispose(&data);
		ok ? good++ : bad++;
	}
	closedir(d);
	assert_true(bad >= 8);
	assert_true(good >= 1);
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
	/* no skipping when the seeds are not found: that would pass without checking anything */
	assert_int_equal(
		accord_buf_read_file(&data, ACCORD_SRCDIR "/fuzz/corpus/entry/e1", 1 << 20), 0);
	assert_int_equal(accord_entry_parse(&e, data.ptr, data.size), 0);
	accord_entry_free(e);
	accord_buf_dispose(&data);
	assert_int_equal(
		accord_buf_read_file(&data, ACCORD_SRCDIR "/fuzz/corpus/commit/c1", 1 << 20), 0);
	assert_int_equal(accord_commit_parse(&c, data.ptr, data.size), 0);
	accord_commit_free(c);
	accord_buf_dispose(&data);
	assert_int_equal(
		accord_buf_read_file(&data, ACCORD_SRCDIR "/fuzz/corpus/sshsig/g1", 1 << 20), 0);
	nul = memchr(data.ptr, 0, data.size);
	assert_non_null(nul);
	assert_int_equal(accord_sshsig_verify(&signer, data.ptr, (size_t)(nul - data.ptr), "git",
					      nul + 1, data.size - (size_t)(nul - data.ptr) - 1),
			 0);
	/* and one flipped message byte does not */
	((char *)nul)[5] ^= 1;
	assert_int_equal(accord_sshsig_verify(&signer, data.ptr, (size_t)(nul - data.ptr), "git",
					      nul + 1, data.size - (size_t)(nul - data.ptr) - 1),
			 ACCORD_EBADSIG);
	accord_buf_dispose(&data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_regress_fixtures),
		cmocka_unit_test(test_fuzz_regress_seeds),
		cmocka_unit_test(test_fuzz_regress_seeds_are_valid),
		cmocka_unit_test(test_fuzz_regress_hostile_entries_refused),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
