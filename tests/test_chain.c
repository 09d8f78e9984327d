/* accord_chain: first-parent chains read from raw commit headers, malformed commits included. */
#include "helpers.h"

#include "chain.h"

typedef struct {
	char *dir;
	accord_store *store;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	char path[512];

	assert_non_null(f);
	f->dir = th_tmpdir();
	snprintf(path, sizeof(path), "%s/repo", f->dir);
	assert_int_equal(accord_store_open_or_init(&f->store, path), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	accord_store_free(f->store);
	th_rmdir(f->dir);
	free(f);
	return 0;
}

/* Write `text` as a raw object of `type`, as a hostile pusher could; no parsing by libgit2. */
static void write_raw(git_oid *out, fixture *f, const char *text, git_object_t type)
{
	git_odb *odb = NULL;

	assert_int_equal(git_repository_odb(&odb, accord_store_repo(f->store)), 0);
	assert_int_equal(git_odb_write(out, odb, text, strlen(text), type), 0);
	git_odb_free(odb);
}

/* A well-formed commit on the empty tree, with `parent` (NULL: a root) as git writes it. */
static void commit(git_oid *out, fixture *f, const git_oid *parent, const char *msg)
{
	char text[1024], phex[GIT_OID_HEXSZ + 1];

	if (parent) {
		git_oid_tostr(phex, sizeof(phex), parent);
		snprintf(
			text, sizeof(text),
			"tree " ACCORD_EMPTY_TREE "\nparent %s\n"
			"author a <a@x> 1735689600 +0000\ncommitter a <a@x> 1735689600 +0000\n\n%s\n",
			phex, msg);
	} else {
		snprintf(
			text, sizeof(text),
			"tree " ACCORD_EMPTY_TREE "\n"
			"author a <a@x> 1735689600 +0000\ncommitter a <a@x> 1735689600 +0000\n\n%s\n",
			msg);
	}
	write_raw(out, f, text, GIT_OBJECT_COMMIT);
}

/* A chain of n commits: ids[0] the root, ids[n-1] the head. */
static void chain(git_oid *ids, size_t n, fixture *f, const git_oid *base, const char *tag)
{
	char msg[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(msg, sizeof(msg), "%s %zu", tag, i);
		commit(&ids[i], f, i ? &ids[i - 1] : base, msg);
	}
}

static void test_chain_parent_of_commits_libgit2_writes(void **state)
{
	fixture *f = *state;
	git_repository *repo = accord_store_repo(f->store);
	git_oid tree_id, root, child, got;
	git_treebuilder *tb = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_signature *sig = NULL;
	const git_commit *parents[1];

	/* commits written by libgit2 itself, as accord_store_append does */
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_oid_streq(&tree_id, ACCORD_EMPTY_TREE), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	assert_int_equal(git_signature_new(&sig, "a", "a@x", 1735689600, 0), 0);
	assert_int_equal(
		git_commit_create(&root, repo, NULL, sig, sig, NULL, "root\n", tree, 0, NULL), 0);
	assert_int_equal(git_commit_lookup(&parent, repo, &root), 0);
	parents[0] = parent;
	assert_int_equal(
		git_commit_create(&child, repo, NULL, sig, sig, NULL, "child\n", tree, 1, parents),
		0);

	assert_int_equal(accord_chain_parent(&got, f->store, &child), 0);
	assert_true(git_oid_equal(&got, &root));
	assert_int_equal(accord_chain_parent(&got, f->store, &root), 0);
	assert_true(git_oid_is_zero(&got));

	git_commit_free(parent);
	git_tree_free(tree);
	git_signature_free(sig);
}

static void test_chain_parent_steps_over_headers_libgit2_refuses(void **state)
{
	fixture *f = *state;
	git_oid root, odd, got;
	git_commit *c = NULL;
	char text[1024], rhex[GIT_OID_HEXSZ + 1];

	commit(&root, f, NULL, "root");
	git_oid_tostr(rhex, sizeof(rhex), &root);
	/* a garbage header line and a gpgsig before author: out of git's order */
	snprintf(text, sizeof(text),
		 "tree " ACCORD_EMPTY_TREE "\nparent %s\ngpgsig nonsense\n"
		 "garbage line\nauthor a <a@x> 1 +0000\n\nodd\n",
		 rhex);
	write_raw(&odd, f, text, GIT_OBJECT_COMMIT);
	/* whether or not libgit2 parses it, the chain reads the parent from the raw header */
	if (git_commit_lookup(&c, accord_store_repo(f->store), &odd) == 0)
		git_commit_free(c);
	assert_int_equal(accord_chain_parent(&got, f->store, &odd), 0);
	assert_true(git_oid_equal(&got, &root));
	assert_int_equal(accord_chain_descendant_of(f->store, &odd, &root), 1);
	assert_int_equal(accord_chain_count(f->store, &odd, NULL, 100), 2);
}

static void test_chain_parent_refuses_malformed_headers(void **state)
{
	fixture *f = *state;
	git_oid root, bad, got;
	char rhex[GIT_OID_HEXSZ + 1], upper[GIT_OID_HEXSZ + 1], text[1024];
	size_t i;

	commit(&root, f, NULL, "root");
	git_oid_tostr(rhex, sizeof(rhex), &root);
	for (i = 0; i < GIT_OID_HEXSZ; i++)
		upper[i] = (char)(rhex[i] >= 'a' ? rhex[i] - 'a' + 'A' : rhex[i]);
	upper[GIT_OID_HEXSZ] = '\0';

	/* no tree line first */
	snprintf(text, sizeof(text), "parent %s\ntree " ACCORD_EMPTY_TREE "\n\nx\n", rhex);
	write_raw(&bad, f, text, GIT_OBJECT_COMMIT);
	accord_error_clear();
	assert_int_equal(accord_chain_parent(&got, f->store, &bad), ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "tree line"));

	/* uppercase hex in the parent line: not as git writes it */
	snprintf(text, sizeof(text), "tree " ACCORD_EMPTY_TREE "\nparent %s\n\nx\n", upper);
	write_raw(&bad, f, text, GIT_OBJECT_COMMIT);
	assert_int_equal(accord_chain_parent(&got, f->store, &bad), ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "parent"));

	/* a short parent id */
	snprintf(text, sizeof(text), "tree " ACCORD_EMPTY_TREE "\nparent %.39s\n\nx\n", rhex);
	write_raw(&bad, f, text, GIT_OBJECT_COMMIT);
	assert_int_equal(accord_chain_parent(&got, f->store, &bad), ACCORD_EBADSIG);

	/* two spaces after "tree" */
	write_raw(&bad, f, "tree  " ACCORD_EMPTY_TREE "\n\nx\n", GIT_OBJECT_COMMIT);
	assert_int_equal(accord_chain_parent(&got, f->store, &bad), ACCORD_EBADSIG);

	/* not a commit at all: a blob */
	write_raw(&bad, f, "tree " ACCORD_EMPTY_TREE "\n", GIT_OBJECT_BLOB);
	assert_int_equal(accord_chain_parent(&got, f->store, &bad), ACCORD_EBADSIG);
	assert_non_null(strstr(accord_error_last(), "not a commit"));

	/* a missing object */
	assert_int_equal(git_oid_fromstr(&bad, "0123456789abcdef0123456789abcdef01234567"), 0);
	assert_int_equal(accord_chain_parent(&got, f->store, &bad), ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "0123456789abcdef"));
}

static void test_chain_descendant_of(void **state)
{
	fixture *f = *state;
	git_oid a[5], other[2], missing;
	char text[256];

	chain(a, 5, f, NULL, "a");
	chain(other, 2, f, NULL, "other");

	assert_int_equal(accord_chain_descendant_of(f->store, &a[4], &a[0]), 1);
	assert_int_equal(accord_chain_descendant_of(f->store, &a[4], &a[3]), 1);
	/* a commit is not its own descendant, nor is an ancestor a descendant of its child */
	assert_int_equal(accord_chain_descendant_of(f->store, &a[4], &a[4]), 0);
	assert_int_equal(accord_chain_descendant_of(f->store, &a[2], &a[3]), 0);
	assert_int_equal(accord_chain_descendant_of(f->store, &a[4], &other[0]), 0);

	/* a chain that cannot be read: the error, not a "no" */
	assert_int_equal(git_oid_fromstr(&missing, "00000000000000000000000000000000000000aa"), 0);
	snprintf(text, sizeof(text),
		 "tree " ACCORD_EMPTY_TREE
		 "\nparent 00000000000000000000000000000000000000aa\n\nx\n");
	write_raw(&other[1], f, text, GIT_OBJECT_COMMIT);
	assert_int_equal(accord_chain_descendant_of(f->store, &other[1], &a[0]), ACCORD_ENOTFOUND);
	assert_int_equal(accord_chain_descendant_of(f->store, &other[1], &missing), 1);
}

static void test_chain_count(void **state)
{
	fixture *f = *state;
	git_oid a[6], broken;
	char text[256];

	chain(a, 6, f, NULL, "a");
	assert_int_equal(accord_chain_count(f->store, &a[5], NULL, 100), 6);
	assert_int_equal(accord_chain_count(f->store, &a[5], &a[2], 100), 3); /* a5 a4 a3 */
	assert_int_equal(accord_chain_count(f->store, &a[5], &a[5], 100), 0);
	assert_int_equal(accord_chain_count(f->store, &a[5], NULL, 4), 4);
	assert_int_equal(accord_chain_count(f->store, &a[0], NULL, 100), 1);

	/* it stops quietly where the chain cannot be read, counting what it could */
	snprintf(text, sizeof(text),
		 "tree " ACCORD_EMPTY_TREE
		 "\nparent 00000000000000000000000000000000000000bb\n\nx\n");
	write_raw(&broken, f, text, GIT_OBJECT_COMMIT);
	assert_int_equal(accord_chain_count(f->store, &broken, NULL, 100), 2);
}

static void test_chain_merge_base(void **state)
{
	fixture *f = *state;
	git_oid trunk[4], left[3], right[2], lone[2], got, broken, bad;
	char text[256];

	chain(trunk, 4, f, NULL, "trunk");
	chain(left, 3, f, &trunk[3], "left");
	chain(right, 2, f, &trunk[1], "right");
	chain(lone, 2, f, NULL, "lone");

	/* forked at trunk[1]: the newest commit on both */
	assert_int_equal(accord_chain_merge_base(&got, f->store, &left[2], &right[1]), 0);
	assert_true(git_oid_equal(&got, &trunk[1]));
	assert_int_equal(accord_chain_merge_base(&got, f->store, &right[1], &left[2]), 0);
	assert_true(git_oid_equal(&got, &trunk[1]));
	/* one on the other's chain: that one */
	assert_int_equal(accord_chain_merge_base(&got, f->store, &left[2], &trunk[3]), 0);
	assert_true(git_oid_equal(&got, &trunk[3]));
	assert_int_equal(accord_chain_merge_base(&got, f->store, &trunk[2], &left[1]), 0);
	assert_true(git_oid_equal(&got, &trunk[2]));
	assert_int_equal(accord_chain_merge_base(&got, f->store, &left[0], &left[0]), 0);
	assert_true(git_oid_equal(&got, &left[0]));

	/* unrelated roots share nothing */
	accord_error_clear();
	assert_int_equal(accord_chain_merge_base(&got, f->store, &left[2], &lone[1]),
			 ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "share no commit"));

	/* an unreadable chain is an error of its own */
	snprintf(text, sizeof(text),
		 "tree " ACCORD_EMPTY_TREE
		 "\nparent 00000000000000000000000000000000000000cc\n\nx\n");
	write_raw(&broken, f, text, GIT_OBJECT_COMMIT);
	assert_int_equal(accord_chain_merge_base(&got, f->store, &broken, &trunk[0]),
			 ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "is missing"));
	write_raw(&bad, f, "tree " ACCORD_EMPTY_TREE "\nparent zz\n\nx\n", GIT_OBJECT_COMMIT);
	assert_int_equal(accord_chain_merge_base(&got, f->store, &bad, &trunk[0]), ACCORD_EBADSIG);
	assert_int_equal(accord_chain_merge_base(&got, f->store, &trunk[0], &bad), ACCORD_EBADSIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_chain_parent_of_commits_libgit2_writes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_chain_parent_steps_over_headers_libgit2_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_parent_refuses_malformed_headers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_chain_descendant_of, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_merge_base, setup, teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
