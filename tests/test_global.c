/* accord_init and accord_shutdown: once per process, in pairs, and what they set up. */
#include "helpers.h"

#include <sodium.h>

#define TEXT ACCORD_SCHEMA_BASE "common.schema.json#/definitions/text"

static void test_global_init_sets_up_the_libraries(void **state)
{
	size_t window = 0, limit = 0;
	unsigned char buf[16] = { 0 }, zero[16] = { 0 };

	(void)state;
	assert_int_equal(accord_init(), 0);
	/* libsodium is ready: it says so, and its generator works */
	assert_int_equal(sodium_init(), 1);
	randombytes_buf(buf, sizeof(buf));
	assert_memory_not_equal(buf, zero, sizeof(buf));
	/* libgit2 is ready, with the bounded memory accord asks for */
	assert_int_equal(git_libgit2_opts(GIT_OPT_GET_MWINDOW_SIZE, &window), 0);
	assert_int_equal(window, 1 << 20);
	assert_int_equal(git_libgit2_opts(GIT_OPT_GET_MWINDOW_MAPPED_LIMIT, &limit), 0);
	assert_int_equal(limit, 8 << 20);
	accord_shutdown();
}

static void test_global_init_pairs_nest(void **state)
{
	char *dir;
	accord_key *k;
	accord_store *s;
	accord_schema_registry *reg = NULL, *again = NULL;
	cJSON *doc;

	(void)state;
	/* twice: libgit2 counts, so one shutdown leaves it working */
	assert_int_equal(accord_init(), 0);
	assert_int_equal(accord_init(), 0);
	accord_shutdown();
	dir = th_tmpdir();
	k = th_key(dir, "alice");
	s = th_ledger(dir, k, "acme");
	assert_non_null(s);

	/* the builtin schemas are cached until shutdown, then built afresh */
	assert_int_equal(accord_schema_builtin(&reg), 0);
	assert_int_equal(accord_schema_builtin(&again), 0);
	assert_ptr_equal(reg, again);
	accord_store_free(s);
	accord_key_free(k);
	th_rmdir(dir);
	accord_shutdown();

	assert_int_equal(accord_init(), 0);
	assert_int_equal(accord_schema_builtin(&again), 0);
	/* and they work: a text is a string */
	doc = cJSON_CreateNumber(1);
	assert_int_not_equal(accord_schema_validate(again, TEXT, doc), 0);
	cJSON_Delete(doc);
	doc = cJSON_CreateString("a line of text");
	assert_int_equal(accord_schema_validate(again, TEXT, doc), 0);
	cJSON_Delete(doc);
	accord_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_init_sets_up_the_libraries),
		cmocka_unit_test(test_global_init_pairs_nest),
	};

	/* no group set-up: these tests call accord_init themselves */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
