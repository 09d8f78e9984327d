/* The one name rule (accord/name.h): what a party, member, key or ledger may be called. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "accord/name.h"

static void test_names_taken(void **state)
{
	static const char *ok[] = { "acme", "a", "0", "globex-eu", "ops_team", "v1.2", "A-Z_0.9" };
	char longest[ACCORD_NAME_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(*ok); i++)
		assert_true(accord_name_valid(ok[i]));
	memset(longest, 'x', ACCORD_NAME_MAX);
	longest[ACCORD_NAME_MAX] = '\0';
	assert_true(accord_name_valid(longest));
}

static void test_names_refused(void **state)
{
	/* empty, too long, path-shaped, spaces, controls, not ASCII, a leading separator */
	static const char *bad[] = { "",       "-acme", ".acme",       "_acme",
				     "../etc", "a/b",	"alice smith", "alice@example",
				     "a\tb",   "a\nb",	"caf\xc3\xa9", "a\x1b[31m",
				     "acme ",  " acme" };
	char toolong[ACCORD_NAME_MAX + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (accord_name_valid(bad[i]))
			fail_msg("'%s' taken as a name", bad[i]);
	memset(toolong, 'x', ACCORD_NAME_MAX + 1);
	toolong[ACCORD_NAME_MAX + 1] = '\0';
	assert_false(accord_name_valid(toolong));
	assert_false(accord_name_valid(NULL));
}

static void test_names_counted(void **state)
{
	(void)state;
	/* the first `len` bytes only: a comment line's name, not NUL-terminated */
	assert_true(accord_name_valid_n("alice laptop", 5));
	assert_false(accord_name_valid_n("alice laptop", 6));
	assert_false(accord_name_valid_n("alice", 0));
	assert_false(accord_name_valid_n("a\0b", 3)); /* a NUL inside is no name */
	assert_false(accord_name_valid_n(NULL, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_taken),
		cmocka_unit_test(test_names_refused),
		cmocka_unit_test(test_names_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
