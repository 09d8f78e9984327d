/* accord_init and accord_shutdown: once per process, in pairs, and what they set up. */
#include "helpers.h"

#include <pthread.h>
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

static void *first_use(void *out)
{
	assert_int_equal(accord_schema_builtin((accord_schema_registry **)out), 0);
	return NULL;
}

/*
 * Start-up costs what every command pays: init builds no schema registry
 * (the first validation does, once, whichever threads ask at once), and
 * libgit2 loads no CA bundle: accord's stand-in for mbedTLS's loader takes
 * a file that does not exist, where mbedTLS's would fail.
 */
static void test_global_init_is_cheap(void **state)
{
	accord_schema_registry *got[4] = { NULL };
	pthread_t t[4];
	static const unsigned char cache_key[ACCORD_LEDGER_CACHE_KEY_LEN] = { 7 };
	accord_ledger_options opts = ACCORD_LEDGER_OPTIONS_INIT;
	accord_ledger *l = NULL;
	accord_store *s = NULL;
	accord_key *k;
	char *dir, path[512];
	size_t builds, i;

	(void)state;
	/* a ledger, verified once and kept as the index everyday commands read */
	assert_int_equal(accord_init(), 0);
	dir = th_tmpdir();
	k = th_key(dir, "alice");
	accord_store_free(th_ledger(dir, k, "acme"));
	snprintf(path, sizeof(path), "%s/repo", dir);
	assert_int_equal(accord_store_open(&s, path), 0);
	assert_int_equal(accord_ledger_load(&l, s), 0);
	assert_int_equal(accord_ledger_save_index(l, cache_key), 0);
	accord_ledger_free(l);
	accord_store_free(s);
	accord_shutdown();

	builds = accord_schema_builtin_builds();
	assert_int_equal(accord_init(), 0);
	assert_int_equal(accord_schema_builtin_builds(), builds);
	/* opened again through the index, nothing new: nothing to validate, no registry built */
	opts.cache_key = cache_key;
	assert_int_equal(accord_store_open(&s, path), 0);
	assert_int_equal(accord_ledger_open(&l, s, &opts), 0);
	accord_ledger_free(l);
	accord_store_free(s);
	assert_int_equal(accord_schema_builtin_builds(), builds);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, first_use, &got[i]), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(accord_schema_builtin_builds(), builds + 1);
	for (i = 0; i < 4; i++)
		assert_ptr_equal(got[i], got[0]);
	assert_non_null(got[0]);
	assert_int_equal(
		git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, "/nonexistent/ca.pem", NULL), 0);
	accord_key_free(k);
	th_rmdir(dir);
	accord_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_init_sets_up_the_libraries),
		cmocka_unit_test(test_global_init_pairs_nest),
		cmocka_unit_test(test_global_init_is_cheap),
	};

	/* no group set-up: these tests call accord_init themselves */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
