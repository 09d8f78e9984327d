/* Impact windows as party-owned figures: whose count, disputes, joint figures, versions, retraction. */
#include "helpers.h"

/* white-box: the figure helpers the incident module shares */
#include "figure.h"

#define START "2026-11-20T10:00:00Z"
#define END "2026-11-20T11:30:00Z"

/* acme (alice, customer-facing: it opened the incident) and globex (gina). */
typedef struct {
	char *dir;
	accord_key *alice, *gina;
	accord_store *s;
	char inc[ACCORD_ID_HEXLEN + 1];
	accord_ledger *l;
	accord_incident *incident;
} world;

static void append(char *id, world *w, const accord_key *k, const char *type, const char *body)
{
	char scratch[ACCORD_ID_HEXLEN + 1];

	if (th_append(id ? id : scratch, w->s, k, type, w->inc, body) != 0)
		fail_msg("%s: %s", type, accord_error_last());
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->dir = th_tmpdir();
	w->alice = th_key(w->dir, "alice");
	w->gina = th_key(w->dir, "gina");
	w->s = th_ledger(w->dir, w->alice, "acme");
	th_invite(w->s, w->alice, w->gina, "globex");
	assert_int_equal(th_append(w->inc, w->s, w->alice, "open", NULL,
				   "{\"title\":\"t\",\"severity\":1,\"service\":\"web\","
				   "\"started_at\":\"" START "\",\"parties\":[\"acme\",\"globex\"],"
				   "\"tickets\":[]}"),
			 0);
	*state = w;
	return 0;
}

static void forget(world *w)
{
	accord_incident_free(w->incident);
	accord_ledger_free(w->l);
	w->incident = NULL;
	w->l = NULL;
}

static int teardown(void **state)
{
	world *w = *state;

	forget(w);
	accord_store_free(w->s);
	accord_key_free(w->alice);
	accord_key_free(w->gina);
	th_rmdir(w->dir);
	free(w);
	return 0;
}

static accord_incident *build(world *w)
{
	const accord_entry *open;

	forget(w);
	assert_int_equal(accord_ledger_load(&w->l, w->s), 0);
	assert_int_equal(accord_ledger_find_incident(&open, w->l, w->inc), 0);
	assert_int_equal(accord_incident_build(&w->incident, w->l, open), 0);
	return w->incident;
}

static void window(char *id, world *w, const accord_key *k, int customers, const char *start,
		   const char *end)
{
	char body[256];

	if (end)
		snprintf(body, sizeof(body), "{\"customers\":%d,\"start\":\"%s\",\"end\":\"%s\"}",
			 customers, start, end);
	else
		snprintf(body, sizeof(body), "{\"customers\":%d,\"start\":\"%s\"}", customers,
			 start);
	append(id, w, k, "impact", body);
}

static void cosign(world *w, const accord_key *k, const char *proposal)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", proposal);
	append(NULL, w, k, "cosign", body);
}

/* The total of customers over what counts (inc->impact). */
static int64_t counted(const accord_incident *inc)
{
	int64_t n = 0;

	for (size_t i = 0; i < inc->impact_count; i++)
		n += inc->impact[i].customers;
	return n;
}

static void test_figure_owned_by_recording_party(void **state)
{
	world *w = *state;
	accord_incident *inc;
	accord_impact *f;
	char a[ACCORD_ID_HEXLEN + 1], g[ACCORD_ID_HEXLEN + 1];

	/* globex alone: its figure counts, unconfirmed */
	window(g, w, w->gina, 1200, START, END);
	inc = build(w);
	assert_string_equal(accord_party_of(accord_ledger_parties(w->l), inc->open), "acme");
	assert_non_null(f = accord_figure_find(inc, g));
	assert_string_equal(f->party, "globex");
	assert_int_equal(f->state, ACCORD_FIGURE_UNCONFIRMED);
	assert_false(f->disputed);
	assert_int_equal(counted(inc), 1200);
	assert_null(accord_figure_find(inc, w->inc)); /* the open is no window */

	/* acme records its own for the same time: acme's counts, globex's is shown beside */
	window(a, w, w->alice, 1800, START, END);
	inc = build(w);
	f = accord_figure_find(inc, a);
	assert_non_null(f);
	assert_int_equal(f->state, ACCORD_FIGURE_OWN);
	assert_int_equal(f->customers, 1800);
	assert_true(f->has_end);
	assert_true(f->disputed); /* another party's window overlaps it */
	f = accord_figure_find(inc, g);
	assert_int_equal(f->state, ACCORD_FIGURE_ASIDE);
	assert_non_null(strstr(f->aside, "customer-facing"));
	assert_true(f->disputed);
	assert_true(inc->disputed);
	assert_int_equal(counted(inc), 1800);
	assert_false(accord_figure_joint(inc, accord_figure_find(inc, a)));
}

static void test_figure_joint_once_cosigned(void **state)
{
	world *w = *state;
	accord_incident *inc;
	accord_impact *f;
	char a[ACCORD_ID_HEXLEN + 1], g[ACCORD_ID_HEXLEN + 1], a2[ACCORD_ID_HEXLEN + 1];

	window(a, w, w->alice, 1800, START, END);
	window(g, w, w->gina, 1200, START, END);
	/* globex checks acme's count and co-signs it: joint, and the dispute is settled */
	cosign(w, w->gina, a);
	inc = build(w);
	f = accord_figure_find(inc, a);
	assert_int_equal(f->state, ACCORD_FIGURE_JOINT);
	assert_true(accord_figure_joint(inc, f));
	assert_true(f->was_joint);
	assert_int_equal(f->signed_count, 1);
	assert_string_equal(f->signed_by[0], "globex");
	assert_false(f->disputed);
	assert_int_equal(accord_figure_find(inc, g)->state, ACCORD_FIGURE_ASIDE);
	assert_false(inc->disputed);
	assert_int_equal(counted(inc), 1800);

	/* acme restates the same window (same start): a new version, pending until joint */
	window(a2, w, w->alice, 2000, START, END);
	inc = build(w);
	assert_non_null(accord_figure_find(inc, a)); /* the old version stays until then */
	f = accord_figure_find(inc, a2);
	assert_non_null(f);
	assert_true(f->pending);
	assert_int_equal(counted(inc), 1800);
	cosign(w, w->gina, a2);
	inc = build(w);
	f = accord_figure_find(inc, a2);
	assert_false(f->pending);
	assert_int_equal(f->state, ACCORD_FIGURE_JOINT);
	assert_null(accord_figure_find(inc, a)); /* replaced */
	assert_int_equal(counted(inc), 2000);
}

static void test_figure_retracted_and_separate_windows(void **state)
{
	world *w = *state;
	accord_incident *inc;
	char a[ACCORD_ID_HEXLEN + 1], b[ACCORD_ID_HEXLEN + 1], body[128];

	/* two windows of acme's at different starts both count */
	window(a, w, w->alice, 100, START, "2026-11-20T10:30:00Z");
	window(b, w, w->alice, 50, "2026-11-20T12:00:00Z", "2026-11-20T12:10:00Z");
	inc = build(w);
	assert_int_equal(inc->figure_count, 2);
	assert_int_equal(counted(inc), 150);
	assert_false(inc->disputed);

	/* acme retracts one: gone from the figures */
	snprintf(body, sizeof(body), "{\"entry\":\"%s\",\"reason\":\"counted twice\"}", a);
	append(NULL, w, w->alice, "retract", body);
	inc = build(w);
	assert_null(accord_figure_find(inc, a));
	assert_non_null(accord_figure_find(inc, b));
	assert_int_equal(inc->figure_count, 1);
	assert_int_equal(counted(inc), 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_figure_owned_by_recording_party, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_figure_joint_once_cosigned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_figure_retracted_and_separate_windows, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
