/* The user's list of ledgers: what it refuses, and how it is stored (atomically, 0600). */
#include "helpers.h"

#include <sys/stat.h>
#include <unistd.h>

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_ledgers_add_refuses(void **state)
{
	accord_ledgers *l = NULL;
	char *home = th_tmpdir();

	(void)state;
	/* no file yet: an empty list */
	assert_int_equal(accord_ledgers_load(&l, home), 0);
	assert_int_equal(l->count, 0);
	assert_int_equal(accord_ledgers_add(l, "acme-globex", "/srv/a", ID_A), 0);
	assert_int_equal(accord_ledgers_add(l, "acme-globex", "/srv/b", ID_B), ACCORD_EEXISTS);
	assert_int_equal(accord_ledgers_add(l, "other", "/srv/a", ID_B), ACCORD_EEXISTS);
	assert_int_equal(accord_ledgers_add(l, "../up", "/srv/b", ID_B), ACCORD_EINVALID);
	assert_int_equal(accord_ledgers_add(l, "", "/srv/b", ID_B), ACCORD_EINVALID);
	assert_int_equal(accord_ledgers_add(l, "b", "relative/b", ID_B), ACCORD_EINVALID);
	assert_int_equal(accord_ledgers_add(l, "b", "/srv/b", "abc"), ACCORD_EINVALID);
	assert_int_equal(l->count, 1);
	assert_int_equal(accord_ledgers_remove(l, "nosuch"), ACCORD_ENOTFOUND);
	assert_int_equal(accord_ledgers_remove(l, "acme-globex"), 0);
	assert_int_equal(l->count, 0);
	assert_null(accord_ledgers_find(l, "acme-globex"));
	accord_ledgers_free(l);
	accord_ledgers_free(NULL);
	th_rmdir(home);
}

static void test_ledgers_saved_and_read_back(void **state)
{
	accord_ledgers *l = NULL, *back = NULL;
	char *home = th_tmpdir(), path[1100], sub[512];
	struct stat st;

	(void)state;
	/* the key home is made (0700) when missing */
	snprintf(sub, sizeof(sub), "%s/new/home", home);
	assert_int_equal(accord_ledgers_load(&l, sub), 0);
	assert_int_equal(accord_ledgers_add(l, "acme-globex", "/srv/a", ID_A), 0);
	assert_int_equal(accord_ledgers_add(l, "acme-initech", "/srv/b", ID_B), 0);
	assert_int_equal(accord_ledgers_save(l, sub), 0);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/ledgers.json", sub);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(accord_ledgers_load(&back, sub), 0);
	assert_int_equal(back->count, 2);
	assert_string_equal(back->items[1].name, "acme-initech");
	assert_string_equal(back->items[1].path, "/srv/b");
	assert_string_equal(back->items[1].id, ID_B);
	assert_string_equal(accord_ledgers_find(back, "acme-globex")->path, "/srv/a");
	accord_ledgers_free(back);
	/* a link where the list goes is not followed: the rename would replace it */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/tmp/elsewhere", path), 0);
	assert_int_equal(accord_ledgers_save(l, sub), ACCORD_ERROR);
	assert_int_equal(unlink(path), 0);
	accord_ledgers_free(l);
	th_rmdir(home);
}

static void test_ledgers_damaged_file(void **state)
{
	static const char *const bad[] = {
		"not json",
		"{\"ledgers\": 3}",
		"{\"ledgers\": [{\"name\": \"a\", \"path\": \"/a\"}]}",
		"{\"ledgers\": [{\"name\": \"a/b\", \"path\": \"/a\", \"ledger\": \"" ID_A "\"}]}",
		"{\"ledgers\": [{\"name\": \"a\", \"path\": \"/a\", \"ledger\": \"" ID_A "\"},"
		" {\"name\": \"a\", \"path\": \"/b\", \"ledger\": \"" ID_B "\"}]}",
	};
	accord_ledgers *l = NULL;
	char *home = th_tmpdir(), path[512];
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/ledgers.json", home);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		write_file(path, bad[i]);
		l = NULL;
		if (accord_ledgers_load(&l, home) != ACCORD_EINVALID)
			fail_msg("case %zu was not refused", i);
		assert_null(l);
		assert_non_null(strstr(accord_error_last(), path));
	}
	th_rmdir(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledgers_add_refuses),
		cmocka_unit_test(test_ledgers_saved_and_read_back),
		cmocka_unit_test(test_ledgers_damaged_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
