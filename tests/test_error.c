/* accord_error: codes pass through, the message is kept per thread, wrapped and bounded. */
#include <pthread.h>

#include "helpers.h"

static void test_error_set_returns_code_and_keeps_message(void **state)
{
	(void)state;
	accord_error_clear();
	assert_string_equal(accord_error_last(), "");
	assert_int_equal(accord_error_set(ACCORD_EINVALID, "bad %s: %d", "severity", 9),
			 ACCORD_EINVALID);
	assert_string_equal(accord_error_last(), "bad severity: 9");
	/* the next error replaces it; success leaves it alone */
	assert_int_equal(accord_error_set(ACCORD_ENOTFOUND, "no such incident"), ACCORD_ENOTFOUND);
	assert_string_equal(accord_error_last(), "no such incident");
	accord_error_clear();
	assert_string_equal(accord_error_last(), "");

	/* the codes are distinct and negative, as callers compare them */
	{
		const int codes[] = { ACCORD_ERROR,	 ACCORD_ENOTFOUND, ACCORD_EEXISTS,
				      ACCORD_EAMBIGUOUS, ACCORD_EINVALID,  ACCORD_EBADSIG,
				      ACCORD_EDENIED,	 ACCORD_ELOCKED,   ACCORD_EMODIFIED,
				      ACCORD_EPASS,	 ACCORD_ENOMEM };
		size_t n = sizeof(codes) / sizeof(*codes);

		for (size_t i = 0; i < n; i++) {
			assert_true(codes[i] < 0);
			for (size_t j = i + 1; j < n; j++)
				assert_int_not_equal(codes[i], codes[j]);
		}
		assert_int_equal(ACCORD_OK, 0);
	}
}

static void test_error_wrap_adds_context(void **state)
{
	(void)state;
	accord_error_set(ACCORD_EPASS, "wrong passphrase");
	assert_int_equal(accord_error_wrap(ACCORD_EPASS, "loading key %s", "alice"), ACCORD_EPASS);
	assert_string_equal(accord_error_last(), "loading key alice: wrong passphrase");
	assert_int_equal(accord_error_wrap(ACCORD_ERROR, "sync"), ACCORD_ERROR);
	assert_string_equal(accord_error_last(), "sync: loading key alice: wrong passphrase");
	/* nothing to wrap: the context alone */
	accord_error_clear();
	assert_int_equal(accord_error_wrap(ACCORD_ERROR, "opening %s", "x"), ACCORD_ERROR);
	assert_string_equal(accord_error_last(), "opening x");
}

static void test_error_message_is_bounded(void **state)
{
	char big[5000];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	accord_error_set(ACCORD_ERROR, "%s", big);
	assert_int_equal(strlen(accord_error_last()), 1023);
	/* wrapping a long message keeps the context and stays within the bound */
	assert_int_equal(accord_error_wrap(ACCORD_ERROR, "ctx"), ACCORD_ERROR);
	assert_true(strlen(accord_error_last()) <= 1023);
	assert_int_equal(strncmp(accord_error_last(), "ctx: aaa", 8), 0);
	memset(big, 'p', 300);
	big[300] = '\0';
	accord_error_set(ACCORD_ERROR, "reason");
	accord_error_wrap(ACCORD_ERROR, "%s", big);
	assert_true(strlen(accord_error_last()) <= 1023);
	assert_non_null(strstr(accord_error_last(), ": reason"));
}

static void *other_thread(void *arg)
{
	char *seen = arg;

	/* a thread starts with no message, and its own does not leak out */
	snprintf(seen, 64, "%s", accord_error_last());
	accord_error_set(ACCORD_EDENIED, "from the other thread");
	return NULL;
}

static void test_error_message_is_per_thread(void **state)
{
	pthread_t t;
	char seen[64] = "unset";

	(void)state;
	accord_error_set(ACCORD_EINVALID, "from the main thread");
	assert_int_equal(pthread_create(&t, NULL, other_thread, seen), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_string_equal(seen, "");
	assert_string_equal(accord_error_last(), "from the main thread");
}

static void test_error_git_maps_libgit2_errors(void **state)
{
	git_repository *repo = NULL;
	char *dir = th_tmpdir();
	int code;

	(void)state;
	/* a real libgit2 failure: no repository here */
	code = git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	assert_int_equal(code, GIT_ENOTFOUND);
	assert_int_equal(accord_error_git(code, "opening the ledger"), ACCORD_ENOTFOUND);
	assert_int_equal(strncmp(accord_error_last(), "opening the ledger: ", 20), 0);
	assert_true(strlen(accord_error_last()) > 20); /* libgit2's own reason follows */
	/* any other libgit2 code is a generic failure */
	assert_int_equal(accord_error_git(GIT_EEXISTS, "writing"), ACCORD_ERROR);
	assert_int_equal(accord_error_git(GIT_ERROR, "reading"), ACCORD_ERROR);
	assert_int_equal(strncmp(accord_error_last(), "reading: ", 9), 0);
	th_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_set_returns_code_and_keeps_message),
		cmocka_unit_test(test_error_wrap_adds_context),
		cmocka_unit_test(test_error_message_is_bounded),
		cmocka_unit_test(test_error_message_is_per_thread),
		cmocka_unit_test(test_error_git_maps_libgit2_errors),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
