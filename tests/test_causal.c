/* accord_causal: frontiers through prev and deps, missing links, forks and the walk they need. */
#include "helpers.h"

#include "causal.h"

#define LEDGER "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define INCIDENT "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

typedef struct {
	char *dir;
	accord_key *a, *b, *c;
	accord_causal *g;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = th_tmpdir();
	f->a = th_key(f->dir, "alice");
	f->b = th_key(f->dir, "bob");
	f->c = th_key(f->dir, "carol");
	assert_int_equal(accord_causal_new(&f->g), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	accord_causal_free(f->g);
	accord_key_free(f->a);
	accord_key_free(f->b);
	accord_key_free(f->c);
	th_rmdir(f->dir);
	free(f);
	return 0;
}

static int cmp_id(const void *x, const void *y)
{
	return strcmp(x, y);
}

/*
 * A real note entry by `key`: built and parsed as the ledger does. `deps`
 * (NULL-terminated ids, any order) are sorted here; `text` tells apart
 * two entries at the same place of a feed (a fork).
 */
static accord_entry *mk(const accord_key *key, int64_t seq, const accord_entry *prev,
			int64_t lamport, const char *text, const accord_entry *const *deps)
{
	char(*ids)[ACCORD_ID_HEXLEN + 1] = NULL;
	accord_entry_fields fl = { 0 };
	accord_buf out = ACCORD_BUF_INIT;
	accord_entry *e = NULL;
	cJSON *body = cJSON_CreateObject();
	size_t n = 0;

	assert_non_null(body);
	assert_non_null(cJSON_AddStringToObject(body, "text", text));
	while (deps && deps[n])
		n++;
	if (n) {
		ids = calloc(n, sizeof(*ids));
		assert_non_null(ids);
		for (size_t i = 0; i < n; i++)
			memcpy(ids[i], deps[i]->id, sizeof(ids[i]));
		qsort(ids, n, sizeof(*ids), cmp_id);
	}
	fl.ledger = LEDGER;
	fl.author = &key->pub;
	fl.seq = seq;
	fl.prev = prev ? prev->id : NULL;
	fl.lamport = lamport;
	fl.time = 1795419079 + lamport;
	fl.type = "note";
	fl.incident = INCIDENT;
	fl.deps = (const char(*)[ACCORD_ID_HEXLEN + 1]) ids;
	fl.dep_count = n;
	fl.body = body;
	if (accord_entry_build(&out, &fl) != 0)
		print_error("build: %s\n", accord_error_last());
	assert_int_equal(accord_entry_parse(&e, out.ptr, out.size), 0);
	accord_buf_dispose(&out);
	cJSON_Delete(body);
	free(ids);
	return e;
}

static void free_all(accord_entry **e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		accord_entry_free(e[i]);
}

static void test_causal_linear_feed(void **state)
{
	fixture *f = *state;
	accord_entry *a[3];
	const char *keyid = NULL;
	int64_t seq = 0;

	a[0] = mk(f->a, 1, NULL, 1, "a1", NULL);
	a[1] = mk(f->a, 2, a[0], 2, "a2", NULL);
	a[2] = mk(f->a, 3, a[1], 3, "a3", NULL);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(accord_causal_add(f->g, a[i]), 0);

	assert_int_equal(accord_causal_find(f->g, a[1]->id, &keyid, &seq), 1);
	assert_string_equal(keyid, f->a->pub.id);
	assert_int_equal(seq, 2);
	assert_int_equal(accord_causal_find(f->g, a[1]->id, NULL, NULL), 1);

	/* an entry's own seq for its own feed */
	assert_int_equal(accord_causal_seen(f->g, a[0]->id, f->a->pub.id), 1);
	assert_int_equal(accord_causal_seen(f->g, a[2]->id, f->a->pub.id), 3);
	/* a feed the graph does not know: nothing seen */
	assert_int_equal(accord_causal_seen(f->g, a[2]->id, f->b->pub.id), 0);

	assert_int_equal(accord_causal_in_past(f->g, a[2], a[0]), 1);
	assert_int_equal(accord_causal_in_past(f->g, a[2], a[1]), 1);
	assert_int_equal(accord_causal_in_past(f->g, a[0], a[2]), 0);
	/* strict: not in its own past */
	assert_int_equal(accord_causal_in_past(f->g, a[1], a[1]), 0);
	assert_int_equal(accord_causal_fork_at(f->g, f->a->pub.id), 0);
	free_all(a, 3);
}

static void test_causal_deps_join_frontiers(void **state)
{
	fixture *f = *state;
	accord_entry *a[3], *b[2], *c1;

	a[0] = mk(f->a, 1, NULL, 1, "a1", NULL);
	a[1] = mk(f->a, 2, a[0], 2, "a2", NULL);
	a[2] = mk(f->a, 3, a[1], 3, "a3", NULL);
	b[0] = mk(f->b, 1, NULL, 3, "b1 saw a2", (const accord_entry *[]){ a[1], NULL });
	b[1] = mk(f->b, 2, b[0], 4, "b2", NULL);
	c1 = mk(f->c, 1, NULL, 5, "c1 saw b2 and a3", (const accord_entry *[]){ b[1], a[2], NULL });
	assert_int_equal(accord_causal_add(f->g, a[0]), 0);
	assert_int_equal(accord_causal_add(f->g, a[1]), 0);
	assert_int_equal(accord_causal_add(f->g, b[0]), 0);
	assert_int_equal(accord_causal_add(f->g, a[2]), 0);
	assert_int_equal(accord_causal_add(f->g, b[1]), 0);
	assert_int_equal(accord_causal_add(f->g, c1), 0);

	/* b1 saw a2 through its dep, b2 through its prev */
	assert_int_equal(accord_causal_seen(f->g, b[0]->id, f->a->pub.id), 2);
	assert_int_equal(accord_causal_seen(f->g, b[1]->id, f->a->pub.id), 2);
	assert_int_equal(accord_causal_seen(f->g, b[1]->id, f->b->pub.id), 2);
	assert_int_equal(accord_causal_in_past(f->g, b[1], a[0]), 1);
	assert_int_equal(accord_causal_in_past(f->g, b[1], a[1]), 1);
	assert_int_equal(accord_causal_in_past(f->g, b[1], a[2]), 0); /* concurrent */
	assert_int_equal(accord_causal_in_past(f->g, a[2], b[0]), 0);
	/* a feed known only after an entry was added: that entry saw none of it */
	assert_int_equal(accord_causal_seen(f->g, a[0]->id, f->c->pub.id), 0);
	assert_int_equal(accord_causal_seen(f->g, a[2]->id, f->b->pub.id), 0);

	/* c1 joins both: the highest of each feed */
	assert_int_equal(accord_causal_seen(f->g, c1->id, f->a->pub.id), 3);
	assert_int_equal(accord_causal_seen(f->g, c1->id, f->b->pub.id), 2);
	assert_int_equal(accord_causal_seen(f->g, c1->id, f->c->pub.id), 1);
	assert_int_equal(accord_causal_in_past(f->g, c1, a[2]), 1);
	assert_int_equal(accord_causal_in_past(f->g, c1, b[0]), 1);
	assert_int_equal(accord_causal_in_past(f->g, b[1], c1), 0);
	free_all(a, 3);
	free_all(b, 2);
	accord_entry_free(c1);
}

static void test_causal_missing_links_and_unknown_ids(void **state)
{
	fixture *f = *state;
	accord_entry *a[3], *b1, *stranger;
	int64_t seq = 7;
	const char *keyid = "unchanged";

	a[0] = mk(f->a, 1, NULL, 1, "a1", NULL);
	a[1] = mk(f->a, 2, a[0], 2, "a2", NULL);
	a[2] = mk(f->a, 3, a[1], 3, "a3", NULL);
	b1 = mk(f->b, 1, NULL, 4, "b1", (const accord_entry *[]){ a[1], a[2], NULL });

	/* added before its prev and deps: it says how many are missing */
	assert_int_equal(accord_causal_add(f->g, a[0]), 0);
	assert_int_equal(accord_causal_add(f->g, b1), 2);
	assert_int_equal(accord_causal_add(f->g, a[2]), 1);
	/* adding an entry twice changes nothing */
	assert_int_equal(accord_causal_add(f->g, a[2]), 0);
	assert_int_equal(accord_causal_add(f->g, a[0]), 0);
	assert_int_equal(accord_causal_seen(f->g, b1->id, f->a->pub.id), 0);
	assert_int_equal(accord_causal_seen(f->g, a[2]->id, f->a->pub.id), 3);

	/* an entry the graph does not hold */
	stranger = a[1];
	assert_int_equal(accord_causal_find(f->g, stranger->id, &keyid, &seq), 0);
	assert_string_equal(keyid, "unchanged");
	assert_int_equal(seq, 7);
	assert_int_equal(accord_causal_find(f->g, NULL, NULL, NULL), 0);
	assert_int_equal(accord_causal_seen(f->g, stranger->id, f->a->pub.id), -1);
	assert_int_equal(accord_causal_in_past(f->g, stranger, a[0]), -1);
	free_all(a, 3);
	accord_entry_free(b1);
}

static void test_causal_fork_walks_instead_of_comparing(void **state)
{
	fixture *f = *state;
	accord_entry *a1, *a2, *a2x, *a3x, *b1, *b2, *c1;

	/* alice's feed forks at seq 2: two entries there, and a third after one of them */
	a1 = mk(f->a, 1, NULL, 1, "a1", NULL);
	a2 = mk(f->a, 2, a1, 2, "a2", NULL);
	a2x = mk(f->a, 2, a1, 2, "a2, the other side", NULL);
	a3x = mk(f->a, 3, a2x, 3, "a3 after the other side", NULL);
	b1 = mk(f->b, 1, NULL, 3, "b1 saw a2", (const accord_entry *[]){ a2, NULL });
	b2 = mk(f->b, 2, b1, 4, "b2", NULL);
	c1 = mk(f->c, 1, NULL, 4, "c1 saw a3 of the other side",
		(const accord_entry *[]){ a3x, NULL });
	assert_int_equal(accord_causal_add(f->g, a1), 0);
	assert_int_equal(accord_causal_add(f->g, a2), 0);
	assert_int_equal(accord_causal_fork_at(f->g, f->a->pub.id), 0);
	assert_int_equal(accord_causal_add(f->g, b1), 0);
	assert_int_equal(accord_causal_add(f->g, b2), 0);
	assert_int_equal(accord_causal_add(f->g, a2x), 0);
	assert_int_equal(accord_causal_fork_at(f->g, f->a->pub.id), 2);
	assert_int_equal(accord_causal_add(f->g, a3x), 0);
	assert_int_equal(accord_causal_add(f->g, c1), 0);
	assert_int_equal(accord_causal_fork_at(f->g, f->a->pub.id), 2);
	assert_int_equal(accord_causal_fork_at(f->g, f->b->pub.id), 0);
	assert_int_equal(accord_causal_fork_at(f->g, f->c->pub.id), 0);

	/* b2 saw seq 2 of alice, but only one side of it: the ids decide */
	assert_int_equal(accord_causal_seen(f->g, b2->id, f->a->pub.id), 2);
	assert_int_equal(accord_causal_in_past(f->g, b2, a2), 1);
	assert_int_equal(accord_causal_in_past(f->g, b2, a2x), 0);
	assert_int_equal(accord_causal_in_past(f->g, c1, a2x), 1);
	assert_int_equal(accord_causal_in_past(f->g, c1, a2), 0);
	assert_int_equal(accord_causal_in_past(f->g, c1, a3x), 1);
	assert_int_equal(accord_causal_in_past(f->g, b2, a3x), 0);
	/* before the fork, the frontier still answers for both sides */
	assert_int_equal(accord_causal_in_past(f->g, b2, a1), 1);
	assert_int_equal(accord_causal_in_past(f->g, c1, a1), 1);
	/* the two sides are not in each other's past */
	assert_int_equal(accord_causal_in_past(f->g, a3x, a2), 0);
	assert_int_equal(accord_causal_in_past(f->g, a3x, a2x), 1);

	accord_entry_free(a1);
	accord_entry_free(a2);
	accord_entry_free(a2x);
	accord_entry_free(a3x);
	accord_entry_free(b1);
	accord_entry_free(b2);
	accord_entry_free(c1);
}

static void test_causal_entries_may_go_before_the_graph(void **state)
{
	fixture *f = *state;
	accord_entry *a1 = mk(f->a, 1, NULL, 1, "a1", NULL);
	accord_entry *a2 = mk(f->a, 2, a1, 2, "a2", NULL);
	char id1[ACCORD_ID_HEXLEN + 1], id2[ACCORD_ID_HEXLEN + 1];
	const char *keyid = NULL;

	assert_int_equal(accord_causal_add(f->g, a1), 0);
	assert_int_equal(accord_causal_add(f->g, a2), 0);
	memcpy(id1, a1->id, sizeof(id1));
	memcpy(id2, a2->id, sizeof(id2));
	/* the graph copies what it needs */
	accord_entry_free(a1);
	accord_entry_free(a2);
	assert_int_equal(accord_causal_find(f->g, id2, &keyid, NULL), 1);
	assert_string_equal(keyid, f->a->pub.id);
	assert_int_equal(accord_causal_seen(f->g, id2, f->a->pub.id), 2);
	assert_int_equal(accord_causal_seen(f->g, id1, f->a->pub.id), 1);
	accord_causal_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_causal_linear_feed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_causal_deps_join_frontiers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_causal_missing_links_and_unknown_ids, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_causal_fork_walks_instead_of_comparing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_causal_entries_may_go_before_the_graph, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
