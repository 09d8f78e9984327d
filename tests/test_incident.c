/* Incident state: lifecycle rules and the derived figures. */
#include "helpers.h"

#include "array.h"

static void test_incident_transitions(void **state)
{
	static const struct {
		const char *from, *to;
		int ok;
	} cases[] = {
		{ "investigating", "identified", 1 }, { "investigating", "mitigated", 1 },
		{ "investigating", "resolved", 1 },   { "mitigated", "identified", 1 },
		{ "investigating", "closed", 0 },     { "mitigated", "closed", 0 },
		{ "resolved", "closed", 1 },	      { "resolved", "investigating", 1 },
		{ "closed", "investigating", 1 },     { "closed", "resolved", 0 },
		{ "resolved", "mitigated", 1 },	      { "closed", "closed", 0 },
		{ "closed", "identified", 1 },	      { "identified", "identified", 0 },
		{ "resolved", "resolved", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got = accord_incident_transition_ok(cases[i].from, cases[i].to);

		if ((got == 0) != cases[i].ok)
			fail_msg("%s -> %s: expected %s, got %d (%s)", cases[i].from, cases[i].to,
				 cases[i].ok ? "allowed" : "refused", got, accord_error_last());
		if (!cases[i].ok)
			assert_int_equal(got, ACCORD_EDENIED);
	}
	assert_int_equal(accord_incident_transition_ok("investigating", "done"), ACCORD_EINVALID);
}

static void test_incident_derives_figures(void **state)
{
	char *dir = th_tmpdir();
	accord_key *k = th_key(dir, "alice");
	accord_store *s = th_ledger(dir, k, "acme");
	accord_ledger *l = NULL;
	accord_incident *inc = NULL;
	char id[65], x[65];
	const accord_entry *open;

	(void)state;
	assert_int_equal(
		th_append(id, s, k, "open", NULL,
			  "{\"title\":\"t\",\"severity\":1,\"service\":\"web\",\"started_at\":"
			  "\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		0);
	/* 100 customers for 90 minutes, 10 for an open window, then that window closed after 30 minutes */
	assert_int_equal(
		th_append(
			x, s, k, "impact", id,
			"{\"customers\":100,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T11:30:00Z\"}"),
		0);
	assert_int_equal(th_append(x, s, k, "impact", id,
				   "{\"customers\":10,\"start\":\"2026-11-20T12:00:00Z\"}"),
			 0);
	assert_int_equal(
		th_append(
			x, s, k, "impact", id,
			"{\"customers\":10,\"start\":\"2026-11-20T12:00:00Z\",\"end\":\"2026-11-20T12:30:00Z\"}"),
		0);
	assert_int_equal(
		th_append(x, s, k, "sla", id, "{\"name\":\"a\",\"target_s\":600,\"actual_s\":600}"),
		0);
	assert_int_equal(
		th_append(x, s, k, "sla", id, "{\"name\":\"b\",\"target_s\":600,\"actual_s\":601}"),
		0);
	assert_int_equal(th_append(x, s, k, "status", id, "{\"status\":\"resolved\"}"), 0);
	/* not allowed (closing needs a joint resolution): stays in the timeline, does not change the state */
	assert_int_equal(th_append(x, s, k, "status", id, "{\"status\":\"closed\"}"), 0);
	assert_int_equal(th_append(x, s, k, "feedback", id, "{\"score\":2,\"lost_minutes\":15}"),
			 0);

	assert_int_equal(accord_ledger_open(&l, s, NULL), 0);
	assert_int_equal(accord_ledger_find_incident(&open, l, id), 0);
	assert_int_equal(accord_incident_build(&inc, l, open), 0);
	assert_int_equal(inc->impact_count, 2);
	assert_int_equal(accord_incident_customer_seconds(inc, 1900000000, NULL),
			 100 * 90 * 60 + 10 * 30 * 60);
	assert_int_equal(inc->sla_count, 2);
	assert_true(inc->sla[0].met);
	assert_false(inc->sla[1].met);
	assert_string_equal(inc->status, "resolved");
	assert_int_equal(inc->feedback_count, 1);
	assert_int_equal(inc->feedback[0].lost_minutes, 15);
	assert_int_equal(inc->timeline_count, 9);
	assert_int_equal(inc->started_at, 1795168800);
	{
		cJSON *j = accord_incident_to_json(inc, &l->parties, 1900000000);

		assert_int_equal(
			(int)cJSON_GetObjectItemCaseSensitive(j, "customer_minutes")->valuedouble,
			9300);
		assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "status")->valuestring,
				    "resolved");
		cJSON_Delete(j);
	}
	accord_incident_free(inc);
	accord_ledger_free(l);
	accord_store_free(s);
	accord_key_free(k);
	th_rmdir(dir);
}

/*
 * An open impact window runs until now (docs/metrics.md): the figure grows
 * with now, says it is running, and no window counts past now.
 */
static void test_incident_open_window_runs_until_now(void **state)
{
	char *dir = th_tmpdir();
	accord_key *k = th_key(dir, "alice");
	accord_store *s = th_ledger(dir, k, "acme");
	accord_ledger *l = NULL;
	accord_incident *inc = NULL;
	char id[65], x[65];
	const accord_entry *open;
	const int64_t t0 = 1795168800; /* 2026-11-20T10:00:00Z */
	int running = -1;
	cJSON *j;

	(void)state;
	assert_int_equal(
		th_append(id, s, k, "open", NULL,
			  "{\"title\":\"t\",\"severity\":1,\"service\":\"web\",\"started_at\":"
			  "\"2026-11-20T09:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		0);
	/* 300 customers from 10:00, still open; 100 from 10:00 to 11:00 */
	assert_int_equal(th_append(x, s, k, "impact", id,
				   "{\"customers\":300,\"start\":\"2026-11-20T10:00:00Z\"}"),
			 0);
	assert_int_equal(
		th_append(
			x, s, k, "impact", id,
			"{\"customers\":100,\"start\":\"2026-11-20T09:00:00Z\",\"end\":\"2026-11-20T11:00:00Z\"}"),
		0);
	assert_int_equal(accord_ledger_open(&l, s, NULL), 0);
	assert_int_equal(accord_ledger_find_incident(&open, l, id), 0);
	assert_int_equal(accord_incident_build(&inc, l, open), 0);

	/* 77 hours after the start: 300 x 4620 min + 100 x 120 min */
	assert_true(accord_incident_customer_seconds(inc, t0 + 77 * 3600, &running) ==
		    (300LL * 4620 + 100 * 120) * 60);
	assert_int_equal(running, 1);
	/* half an hour in: the open window has 30 minutes, the closed one counts up to now */
	assert_true(accord_incident_customer_seconds(inc, t0 + 1800, &running) ==
		    (300LL * 30 + 100 * 90) * 60);
	/* before either window began: nothing, and nothing running yet */
	assert_true(accord_incident_customer_seconds(inc, t0 - 7200, &running) == 0);
	assert_int_equal(running, 0);

	j = accord_incident_to_json(inc, &l->parties, t0 + 77 * 3600);
	assert_true(cJSON_GetObjectItemCaseSensitive(j, "customer_minutes")->valuedouble ==
		    1386000 + 12000);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "customer_minutes_running")));
	cJSON_Delete(j);
	/* one decimal, half away from zero, as the report rounds */
	assert_true(accord_customer_minutes(90) == 1.5);
	assert_true(accord_customer_minutes(1) == 0.0);
	assert_true(accord_customer_minutes(3) == 0.1);
	assert_true(accord_customer_minutes(4) == 0.1);

	accord_incident_free(inc);
	accord_ledger_free(l);
	accord_store_free(s);
	accord_key_free(k);
	th_rmdir(dir);
}

/* The figures as report and show add them: 2^29 customers over 2^35 s once wrapped to 0. */
static void test_incident_sums_saturate(void **state)
{
	accord_impact w[2];
	int running = 0;

	(void)state;
	memset(w, 0, sizeof(w));
	w[0].customers = 536870912; /* 2^29 */
	w[0].start = 0;
	w[0].end = 34359738368LL; /* 2^35 s */
	w[0].has_end = 1;
	assert_true(accord_impact_customer_seconds(w, 1, INT64_MAX, &running) == INT64_MAX);
	assert_true(accord_saturated(accord_impact_customer_seconds(w, 1, INT64_MAX, NULL)));
	/* just below the edge it is exact; two windows that pass it together saturate too */
	w[0].customers = 1;
	w[0].end = INT64_MAX / 2;
	w[1] = w[0];
	assert_true(accord_impact_customer_seconds(w, 1, INT64_MAX, NULL) == INT64_MAX / 2);
	w[1].end = INT64_MAX / 2 + 2;
	assert_true(accord_impact_customer_seconds(w, 2, INT64_MAX, NULL) == INT64_MAX);
	assert_false(accord_saturated(INT64_MAX - 1));
	assert_true(accord_sat_add(INT64_MAX, 1) == INT64_MAX);
	assert_true(accord_sat_add(INT64_MIN, -1) == INT64_MIN);
	assert_true(accord_sat_mul(-3, INT64_MAX) == INT64_MIN);
	assert_true(accord_sat_mul(3, 4) == 12);
	/* a window that ends before it starts adds nothing, never a negative figure */
	w[0].start = 100;
	w[0].end = 50;
	assert_true(accord_impact_customer_seconds(w, 1, 1000, NULL) == 0);
	assert_true(accord_customer_minutes(INT64_MAX) > 1.5e17);
}

/* Two parties, acme (the opener) and globex: whose figures count, and what a party may undo. */
typedef struct {
	char *dir;
	accord_key *alice, *gina;
	accord_store *s;
	char inc[65];
} two;

static void two_setup(two *t)
{
	char id[65], body[512], hex[65];

	t->dir = th_tmpdir();
	t->alice = th_key(t->dir, "alice");
	t->gina = th_key(t->dir, "gina");
	t->s = th_ledger(t->dir, t->alice, "acme");
	accord_hex_encode(hex, t->gina->pub.pk, 32);
	snprintf(body, sizeof(body), "{\"party\":\"globex\",\"key\":\"%s\",\"member\":\"gina\"}",
		 hex);
	assert_int_equal(th_append(id, t->s, t->alice, "party-invite", NULL, body), 0);
	snprintf(body, sizeof(body), "{\"party\":\"globex\",\"invite\":\"%s\"}", id);
	assert_int_equal(th_append(id, t->s, t->gina, "party-accept", NULL, body), 0);
	assert_int_equal(
		th_append(
			t->inc, t->s, t->alice, "open", NULL,
			"{\"title\":\"t\",\"severity\":1,\"service\":\"web\",\"started_at\":"
			"\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\",\"globex\"],\"tickets\":[]}"),
		0);
}

static accord_incident *two_build(two *t, accord_ledger **l)
{
	const accord_entry *open;
	accord_incident *inc = NULL;

	assert_int_equal(accord_ledger_load(l, t->s), 0);
	assert_int_equal(accord_ledger_find_incident(&open, *l, t->inc), 0);
	assert_int_equal(accord_incident_build(&inc, *l, open), 0);
	return inc;
}

static void two_free(two *t, accord_incident *inc, accord_ledger *l)
{
	accord_incident_free(inc);
	accord_ledger_free(l);
	accord_store_free(t->s);
	accord_key_free(t->alice);
	accord_key_free(t->gina);
	th_rmdir(t->dir);
}

static void test_incident_facts_belong_to_their_party(void **state)
{
	two t;
	accord_ledger *l = NULL;
	accord_incident *inc;
	char acme_w[65], globex_w[65], x[65], body[160];

	(void)state;
	two_setup(&t);
	/* 1800 customers for 90 minutes by acme; globex "replaces" it with 1 for a minute */
	assert_int_equal(
		th_append(
			acme_w, t.s, t.alice, "impact", t.inc,
			"{\"customers\":1800,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T11:30:00Z\"}"),
		0);
	assert_int_equal(
		th_append(
			globex_w, t.s, t.gina, "impact", t.inc,
			"{\"customers\":1,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T10:01:00Z\"}"),
		0);
	assert_int_equal(
		th_append(x, t.s, t.alice, "feedback", t.inc, "{\"score\":1,\"response\":\"r1\"}"),
		0);
	assert_int_equal(th_append(x, t.s, t.gina, "feedback", t.inc, "{\"score\":5}"), 0);
	assert_int_equal(
		th_append(x, t.s, t.alice, "feedback", t.inc, "{\"score\":2,\"response\":\"r1\"}"),
		0);
	/* globex retracts acme's window: no effect */
	snprintf(body, sizeof(body), "{\"entry\":\"%s\",\"reason\":\"no\"}", acme_w);
	assert_int_equal(th_append(x, t.s, t.gina, "retract", t.inc, body), 0);
	inc = two_build(&t, &l);
	assert_string_equal(inc->customer_party, "acme");
	assert_int_equal(inc->figure_count, 2);
	assert_int_equal(inc->impact_count, 1);
	assert_int_equal(inc->impact[0].customers, 1800);
	assert_true(inc->disputed && inc->figures[0].disputed && inc->figures[1].disputed);
	assert_int_equal(inc->figures[1].state, ACCORD_FIGURE_ASIDE);
	assert_true(accord_incident_customer_seconds(inc, 1900000000, NULL) == 1800LL * 90 * 60);
	/* one response, its latest score; globex's feedback shown apart */
	assert_int_equal(inc->feedback_count, 1);
	assert_int_equal(inc->feedback[0].score, 2);
	assert_int_equal(inc->feedback_refused_count, 1);
	accord_incident_free(inc);
	accord_ledger_free(l);

	/* globex co-signs acme's window: joint, the dispute settled, globex's set aside */
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", acme_w);
	assert_int_equal(th_append(x, t.s, t.gina, "cosign", t.inc, body), 0);
	inc = two_build(&t, &l);
	assert_int_equal(inc->figures[0].state, ACCORD_FIGURE_JOINT);
	assert_false(inc->disputed);
	assert_int_equal(inc->impact_count, 1);
	accord_incident_free(inc);
	accord_ledger_free(l);

	/* joint now: acme alone can neither retract it nor replace it with a new version */
	snprintf(body, sizeof(body), "{\"entry\":\"%s\",\"reason\":\"mine\"}", acme_w);
	assert_int_equal(th_append(x, t.s, t.alice, "retract", t.inc, body), 0);
	assert_int_equal(
		th_append(
			x, t.s, t.alice, "impact", t.inc,
			"{\"customers\":1,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T11:30:00Z\"}"),
		0);
	inc = two_build(&t, &l);
	assert_int_equal(inc->figure_count, 3);
	assert_int_equal(inc->figures[0].state, ACCORD_FIGURE_JOINT);
	assert_true(inc->figures[2].pending);
	assert_int_equal(inc->figures[2].state, ACCORD_FIGURE_ASIDE);
	assert_true(accord_incident_customer_seconds(inc, 1900000000, NULL) == 1800LL * 90 * 60);
	accord_incident_free(inc);
	accord_ledger_free(l);

	/* the new version counts once globex co-signs it too */
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", x);
	assert_int_equal(th_append(x, t.s, t.gina, "cosign", t.inc, body), 0);
	inc = two_build(&t, &l);
	assert_int_equal(inc->figure_count, 2);
	assert_int_equal(inc->figures[1].customers, 1);
	assert_int_equal(inc->figures[1].state, ACCORD_FIGURE_JOINT);
	assert_true(accord_incident_customer_seconds(inc, 1900000000, NULL) == 1LL * 90 * 60);
	two_free(&t, inc, l);
}

/*
 * A joint window replaces only the time it covers (issue 13, F1): acme's
 * 10:00-11:30 window and its open one from 12:00 lose just the minutes of
 * the joint windows 10:30-10:40 and 12:10-12:20, each split in two, never
 * dropped whole.
 */
static void test_incident_joint_window_clips_not_drops(void **state)
{
	two t;
	accord_ledger *l = NULL;
	accord_incident *inc;
	char w[65], x[65], body[160];
	const int64_t now = 1795183200; /* 2026-11-20T14:00:00Z */

	(void)state;
	two_setup(&t);
	assert_int_equal(
		th_append(
			x, t.s, t.alice, "impact", t.inc,
			"{\"customers\":100,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T11:30:00Z\"}"),
		0);
	assert_int_equal(th_append(x, t.s, t.alice, "impact", t.inc,
				   "{\"customers\":7,\"start\":\"2026-11-20T12:00:00Z\"}"),
			 0);
	assert_int_equal(
		th_append(
			w, t.s, t.gina, "impact", t.inc,
			"{\"customers\":5,\"start\":\"2026-11-20T10:30:00Z\",\"end\":\"2026-11-20T10:40:00Z\"}"),
		0);
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", w);
	assert_int_equal(th_append(x, t.s, t.alice, "cosign", t.inc, body), 0);
	assert_int_equal(
		th_append(
			w, t.s, t.gina, "impact", t.inc,
			"{\"customers\":3,\"start\":\"2026-11-20T12:10:00Z\",\"end\":\"2026-11-20T12:20:00Z\"}"),
		0);
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", w);
	assert_int_equal(th_append(x, t.s, t.alice, "cosign", t.inc, body), 0);
	inc = two_build(&t, &l);
	assert_int_equal(inc->figure_count, 4);
	assert_true(inc->figures[0].clipped && inc->figures[1].clipped);
	assert_int_equal(inc->figures[0].state, ACCORD_FIGURE_OWN);
	assert_false(inc->disputed);
	/* 2 joint windows whole, and each of acme's in two parts */
	assert_int_equal(inc->impact_count, 6);
	/* 100 x 80 min + 5 x 10 min + 3 x 10 min + 7 x (120 - 10) min, now at 14:00 */
	assert_true(accord_incident_customer_seconds(inc, now, NULL) ==
		    (100LL * 80 + 5 * 10 + 3 * 10 + 7 * 110) * 60);
	accord_incident_free(inc);
	accord_ledger_free(l);

	/* a joint window that covers all of acme's time sets it aside */
	assert_int_equal(
		th_append(
			w, t.s, t.gina, "impact", t.inc,
			"{\"customers\":90,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T11:30:00Z\"}"),
		0);
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", w);
	assert_int_equal(th_append(x, t.s, t.alice, "cosign", t.inc, body), 0);
	inc = two_build(&t, &l);
	assert_int_equal(inc->figures[0].state, ACCORD_FIGURE_ASIDE);
	assert_true(accord_incident_customer_seconds(inc, now, NULL) ==
		    (90LL * 90 + 5 * 10 + 3 * 10 + 7 * 110) * 60);
	two_free(&t, inc, l);
}

static void test_incident_corrections(void **state)
{
	two t;
	accord_ledger *l = NULL;
	accord_incident *inc;
	char note[65], v[65], x[65], body[160];

	(void)state;
	two_setup(&t);
	assert_int_equal(th_append(x, t.s, t.alice, "amend", t.inc, "{\"severity\":3}"), 0);
	assert_int_equal(th_append(x, t.s, t.gina, "amend", t.inc, "{\"severity\":4}"), 0);
	assert_int_equal(th_append(note, t.s, t.alice, "note", t.inc, "{\"text\":\"oops\"}"), 0);
	snprintf(body, sizeof(body), "{\"entry\":\"%s\",\"reason\":\"wrong incident\"}", note);
	assert_int_equal(th_append(x, t.s, t.alice, "retract", t.inc, body), 0);
	assert_int_equal(th_append(v, t.s, t.alice, "void", t.inc, "{\"reason\":\"test alarm\"}"),
			 0);
	inc = two_build(&t, &l);
	/* the partner's amend has no effect; the opener's does, with its history */
	assert_int_equal(inc->severity, 3);
	assert_int_equal(inc->amendment_count, 1);
	assert_string_equal(accord_incident_mark(inc, inc->timeline[inc->timeline_count - 4])->mark,
			    "no effect: the customer-facing party amends an incident");
	{
		size_t i;
		const accord_entry *n = NULL;

		for (i = 0; i < inc->timeline_count; i++)
			if (!strcmp(inc->timeline[i]->id, note))
				n = inc->timeline[i];
		assert_non_null(n);
		assert_string_equal(accord_incident_mark(inc, n)->mark, "retracted");
	}
	/* void waits for globex */
	assert_null(inc->closed_as);
	accord_incident_free(inc);
	accord_ledger_free(l);
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", v);
	assert_int_equal(th_append(x, t.s, t.gina, "cosign", t.inc, body), 0);
	inc = two_build(&t, &l);
	assert_non_null(inc->closed_as);
	assert_string_equal(inc->closed_as->kind, "void");
	two_free(&t, inc, l);
}

/* An oracle that knows nothing: counts how often derivation had to ask, answers no (or fails). */
static int oracle_calls;
static int oracle_no(const accord_entry *later, const accord_entry *earlier, void *payload)
{
	(void)later;
	(void)earlier;
	oracle_calls++;
	return payload ? ACCORD_ERROR : 0;
}

/*
 * A party involved twice at once (two members, or an idle device on
 * purpose, attack32 06): a close that knew of either involve knew the party
 * was involved, and waits for its signature. Before, only the first
 * involve in ledger order was asked about, so a duplicate the closer had
 * not seen, sorted first, spared the party's signature.
 */
static void test_incident_close_knows_any_involve(void **state)
{
	two t;
	accord_ledger *l = NULL;
	accord_incident *inc = NULL;
	const accord_entry **list = NULL, **twice = NULL;
	accord_entry dup;
	char inc3[65], x[65];
	size_t n = 0, m = 0, i;

	(void)state;
	two_setup(&t);
	assert_int_equal(
		th_append(inc3, t.s, t.alice, "open", NULL,
			  "{\"title\":\"t\",\"severity\":1,\"service\":\"web\",\"started_at\":"
			  "\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		0);
	assert_int_equal(th_append(x, t.s, t.alice, "involve", inc3, "{\"party\":\"globex\"}"), 0);
	assert_int_equal(
		th_append(x, t.s, t.alice, "resolution", inc3,
			  "{\"summary\":\"s\",\"factors\":[],\"went_well\":[],\"went_wrong\":[],"
			  "\"lucky\":[],\"actions\":[]}"),
		0);
	assert_int_equal(th_append(x, t.s, t.alice, "status", inc3, "{\"status\":\"resolved\"}"),
			 0);
	assert_int_equal(th_append(x, t.s, t.alice, "status", inc3, "{\"status\":\"closed\"}"), 0);
	assert_int_equal(accord_ledger_load(&l, t.s), 0);
	for (i = 0; i < accord_ledger_entry_count(l); i++) {
		const accord_entry *e = accord_ledger_entry_at(l, i);

		if (!strcmp(e->id, inc3) || !strcmp(e->incident, inc3))
			ACCORD_PUSH(list, n, e);
	}
	assert_int_equal(n, 5);
	assert_string_equal(list[1]->type, "involve");
	/* globex never signed: the close does not count */
	assert_int_equal(accord_incident_build_from(&inc, &l->parties, list, n, oracle_no, NULL),
			 0);
	assert_string_equal(inc->status, "resolved");
	assert_null(inc->closed_by);
	accord_incident_free(inc);

	/* a second involve of globex, written without knowing of anything, sorted first */
	dup = *list[1];
	dup.id[0] = dup.id[0] == '0' ? '1' : '0';
	dup.lamport = list[1]->lamport - 1;
	dup.dep_count = 0;
	dup.prev[0] = '\0';
	dup.author = t.gina->pub; /* another key (an idle device), seen by no one */
	dup.seq = 1000;
	for (i = 0; i < n; i++) {
		if (i == 1)
			ACCORD_PUSH(twice, m, (const accord_entry *)&dup);
		ACCORD_PUSH(twice, m, list[i]);
	}
	assert_int_equal(accord_incident_build_from(&inc, &l->parties, twice, m, oracle_no, NULL),
			 0);
	assert_string_equal(inc->status, "resolved"); /* still waits for globex */
	assert_null(inc->closed_by);
	assert_int_equal(inc->party_count, 2);
	accord_incident_free(inc);
	free(twice);
	free(list);
	two_free(&t, NULL, l);
}

/*
 * Decisions are judged on their own causal past: a reopen counts only with
 * the close in it. The same entries with the reopen made concurrent (a
 * clock below the close, no deps) leave the incident closed and the reopen
 * late, decided from the incident's own entries without asking the oracle;
 * a walk that leaves them asks, and the oracle's error fails the build.
 */
/* acme proposes a resolution, globex co-signs it, acme resolves and closes: a joint close. */
static void close_jointly(two *t)
{
	char res[65], x[65], body[160];

	assert_int_equal(
		th_append(res, t->s, t->alice, "resolution", t->inc,
			  "{\"summary\":\"s\",\"factors\":[],\"went_well\":[],\"went_wrong\":[],"
			  "\"lucky\":[],\"actions\":[]}"),
		0);
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", res);
	assert_int_equal(th_append(x, t->s, t->gina, "cosign", t->inc, body), 0);
	assert_int_equal(
		th_append(x, t->s, t->alice, "status", t->inc, "{\"status\":\"resolved\"}"), 0);
	assert_int_equal(th_append(x, t->s, t->alice, "status", t->inc, "{\"status\":\"closed\"}"),
			 0);
}

/* Whether accord_incident_pending asks `party` for a co-signature of entry `id`. */
static int asks_for(const accord_incident *inc, const char *party, const char *id)
{
	const accord_entry **pending;
	size_t n, i;
	int asks = 0;

	pending = accord_incident_pending(inc, party, &n);
	for (i = 0; i < n; i++)
		asks |= !strcmp(pending[i]->id, id);
	free(pending);
	return asks;
}

/*
 * attack129 02: a disputed window waits for the other party's co-signature
 * (accord_incident_pending, the inbox's list) until a close stands, when no
 * co-signature could make it joint any more.
 */
static void test_incident_no_cosign_asked_after_close(void **state)
{
	two t;
	accord_ledger *l = NULL;
	accord_incident *inc;
	char w[65], x[65];

	(void)state;
	two_setup(&t);
	assert_int_equal(
		th_append(
			x, t.s, t.alice, "impact", t.inc,
			"{\"customers\":100,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T11:00:00Z\"}"),
		0);
	assert_int_equal(
		th_append(
			w, t.s, t.gina, "impact", t.inc,
			"{\"customers\":5,\"start\":\"2026-11-20T10:10:00Z\",\"end\":\"2026-11-20T10:20:00Z\"}"),
		0);
	inc = two_build(&t, &l);
	assert_true(asks_for(inc, "acme", w)); /* disputed: globex's window waits for acme */
	accord_incident_free(inc);
	accord_ledger_free(l);

	close_jointly(&t);
	inc = two_build(&t, &l);
	assert_non_null(inc->closed_by);
	assert_false(asks_for(inc, "acme", w));
	two_free(&t, inc, l);
}

static void test_incident_reopen_needs_the_close(void **state)
{
	two t;
	accord_ledger *l = NULL;
	accord_incident *inc, *other = NULL;
	const accord_entry **list = NULL, *close = NULL;
	accord_entry late;
	char x[65], missing[1][ACCORD_ID_HEXLEN + 1];
	size_t n = 0, i;

	(void)state;
	two_setup(&t);
	close_jointly(&t);
	assert_int_equal(
		th_append(x, t.s, t.gina, "status", t.inc, "{\"status\":\"investigating\"}"), 0);
	inc = two_build(&t, &l);
	assert_string_equal(inc->status, "investigating"); /* it knew of the close: a reopen */
	assert_null(inc->closed_by);
	accord_incident_free(inc);

	for (i = 0; i < accord_ledger_entry_count(l); i++) {
		const accord_entry *e = accord_ledger_entry_at(l, i);

		if (!strcmp(e->id, t.inc) || !strcmp(e->incident, t.inc))
			ACCORD_PUSH(list, n, e);
	}
	assert_int_equal(n, 6);
	close = list[4];
	assert_string_equal(accord_entry_str(close, "status"), "closed");
	late = *list[5];
	late.dep_count = 0;
	late.lamport = close->lamport - 1;
	list[5] = &late;
	oracle_calls = 0;
	assert_int_equal(accord_incident_build_from(&inc, &l->parties, list, n, oracle_no, NULL),
			 0);
	assert_string_equal(inc->status, "closed");
	assert_ptr_equal(inc->closed_by, close);
	assert_non_null(accord_incident_mark(inc, &late));
	{
		static const char want[] = "late: written without knowing of the close by acme at ";

		assert_int_equal(
			strncmp(accord_incident_mark(inc, &late)->mark, want, sizeof(want) - 1), 0);
	}
	assert_int_equal(oracle_calls, 0);
	accord_incident_free(inc);

	/* a dep the incident does not hold: only the ledger can say, and its error is the build's */
	memset(missing[0], 'a', ACCORD_ID_HEXLEN);
	missing[0][ACCORD_ID_HEXLEN] = '\0';
	late.deps = missing;
	late.dep_count = 1;
	late.lamport = close->lamport + 1;
	assert_int_equal(
		accord_incident_build_from(&other, &l->parties, list, n, oracle_no, (void *)1),
		ACCORD_ERROR);
	assert_null(other);
	assert_true(oracle_calls > 0);
	free(list);
	two_free(&t, NULL, l);
}

/*
 * Action items: an id derived from the incident and the text (a known
 * answer from Python's hashlib), owners' changes, and a revision that
 * inherits an item keeps its id and state. Then the inbox that shows them.
 */
static void test_incident_action_items(void **state)
{
	two t;
	accord_ledger *l = NULL;
	accord_incident *inc;
	accord_inbox *box = NULL;
	char res[65], x[65], body[512], id[ACCORD_ACTION_ID_LEN + 1],
		kept[ACCORD_ACTION_ID_LEN + 1];
	int64_t day;

	(void)state;
	accord_action_id(id, "0000000000000000000000000000000000000000000000000000000000000000",
			 "expiry alerts", 1);
	assert_string_equal(id, "dccd8a04");
	accord_action_id(id, "0000000000000000000000000000000000000000000000000000000000000000",
			 "expiry alerts", 2);
	assert_string_equal(id, "313b51f4");

	two_setup(&t);
	assert_int_equal(
		th_append(
			res, t.s, t.alice, "resolution", t.inc,
			"{\"summary\":\"s\",\"factors\":[],\"went_well\":[],\"went_wrong\":[],\"lucky\":[],"
			"\"actions\":[{\"text\":\"a\",\"owners\":[\"acme\"]},{\"text\":\"b\",\"owners\":[\"globex\"],"
			"\"due\":\"2026-12-01\"},{\"text\":\"a\",\"owners\":[\"acme\"]}]}"),
		0);
	/* only an owning party changes an item, and names only its own members as owner */
	snprintf(body, sizeof(body), "{\"resolution\":\"%s\",\"action\":2,\"state\":\"done\"}",
		 res);
	assert_int_equal(th_append(x, t.s, t.alice, "action", t.inc, body), ACCORD_EDENIED);
	snprintf(body, sizeof(body),
		 "{\"resolution\":\"%s\",\"action\":2,\"state\":\"assign\",\"owner\":\"alice\"}",
		 res);
	assert_int_equal(th_append(x, t.s, t.gina, "action", t.inc, body), ACCORD_EDENIED);
	/* one encoding: not-doing says why, assign takes no note */
	snprintf(body, sizeof(body), "{\"resolution\":\"%s\",\"action\":2,\"state\":\"not-doing\"}",
		 res);
	assert_int_not_equal(th_append(x, t.s, t.gina, "action", t.inc, body), 0);
	snprintf(body, sizeof(body),
		 "{\"resolution\":\"%s\",\"action\":2,\"state\":\"assign\",\"note\":\"n\"}", res);
	assert_int_not_equal(th_append(x, t.s, t.gina, "action", t.inc, body), 0);
	snprintf(body, sizeof(body),
		 "{\"resolution\":\"%s\",\"action\":2,\"state\":\"assign\",\"owner\":\"gina\","
		 "\"link\":\"https://t.example/1\"}",
		 res);
	assert_int_equal(th_append(x, t.s, t.gina, "action", t.inc, body), 0);
	inc = two_build(&t, &l);
	assert_int_equal(inc->resolution->action_count, 3);
	assert_string_not_equal(inc->resolution->actions[0].id, inc->resolution->actions[2].id);
	assert_string_equal(inc->resolution->actions[1].owner, "gina");
	assert_string_equal(inc->resolution->actions[1].link, "https://t.example/1");
	assert_int_equal(inc->resolution->actions[1].state, ACCORD_ACTION_OPEN);
	assert_int_equal(accord_time_parse(&day, "2026-12-01T23:59:59Z"), 0);
	assert_false(accord_action_overdue(&inc->resolution->actions[1], day));
	assert_true(accord_action_overdue(&inc->resolution->actions[1], day + 1));
	/* globex's inbox: the proposal to co-sign first, then its item; acme's: its two items */
	assert_int_equal(accord_inbox_build(&box, l, "globex", day), 0);
	assert_int_equal(box->count, 2);
	assert_int_equal(box->items[0].kind, ACCORD_INBOX_PROPOSAL);
	assert_string_equal(box->items[0].entry->id, res);
	assert_int_equal(box->items[1].kind, ACCORD_INBOX_ACTION);
	accord_inbox_free(box);
	assert_int_equal(accord_inbox_build(&box, l, "globex", day + 1), 0);
	assert_int_equal(box->items[0].kind, ACCORD_INBOX_OVERDUE); /* overdue before everything */
	accord_inbox_free(box);
	assert_int_equal(accord_inbox_build(&box, l, "nosuch", day), ACCORD_ENOTFOUND);
	memcpy(kept, inc->resolution->actions[1].id, sizeof(kept));
	accord_incident_free(inc);
	accord_ledger_free(l);

	snprintf(body, sizeof(body),
		 "{\"resolution\":\"%s\",\"action\":2,\"state\":\"not-doing\",\"note\":\"why\"}",
		 res);
	assert_int_equal(th_append(x, t.s, t.gina, "action", t.inc, body), 0);
	/* a revision inherits b (now first) and adds c: b keeps its id, state, note and owner */
	snprintf(
		body, sizeof(body),
		"{\"summary\":\"s2\",\"factors\":[],\"went_well\":[],\"went_wrong\":[],\"lucky\":[],\"revises\":\"%s\","
		"\"actions\":[{\"text\":\"b\",\"owners\":[\"globex\"]},{\"text\":\"c\",\"owners\":[\"acme\"]}]}",
		res);
	assert_int_equal(th_append(x, t.s, t.alice, "resolution", t.inc, body), 0);
	inc = two_build(&t, &l);
	assert_string_equal(inc->resolution->actions[0].id, kept);
	assert_int_equal(inc->resolution->actions[0].state, ACCORD_ACTION_NOT_DOING);
	assert_string_equal(inc->resolution->actions[0].note, "why");
	assert_string_equal(inc->resolution->actions[0].owner, "gina");
	assert_false(accord_action_overdue(&inc->resolution->actions[0], day + 1));
	assert_int_equal(inc->resolution->actions[1].state, ACCORD_ACTION_OPEN);
	assert_null(inc->resolution->actions[1].note);
	two_free(&t, inc, l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incident_transitions),
		cmocka_unit_test(test_incident_derives_figures),
		cmocka_unit_test(test_incident_open_window_runs_until_now),
		cmocka_unit_test(test_incident_sums_saturate),
		cmocka_unit_test(test_incident_facts_belong_to_their_party),
		cmocka_unit_test(test_incident_joint_window_clips_not_drops),
		cmocka_unit_test(test_incident_corrections),
		cmocka_unit_test(test_incident_reopen_needs_the_close),
		cmocka_unit_test(test_incident_no_cosign_asked_after_close),
		cmocka_unit_test(test_incident_close_knows_any_involve),
		cmocka_unit_test(test_incident_action_items),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
