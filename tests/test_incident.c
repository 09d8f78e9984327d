/* Incident state: lifecycle rules and the derived figures. */
#include "helpers.h"

static void test_incident_transitions(void **state)
{
	static const struct {
		const char *from, *to;
		int ok;
	} cases[] = {
		{ "investigating", "identified", 1 },
		{ "investigating", "mitigated", 1 },
		{ "investigating", "resolved", 1 },
		{ "mitigated", "identified", 1 },
		{ "investigating", "closed", 0 },
		{ "mitigated", "closed", 0 },
		{ "resolved", "closed", 1 },
		{ "resolved", "investigating", 1 },
		{ "closed", "investigating", 1 },
		{ "closed", "resolved", 0 },
		{ "resolved", "mitigated", 0 },
		{ "closed", "identified", 0 },
		{ "identified", "identified", 0 },
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
	assert_int_equal(th_append(id, s, k, "open", NULL,
				   "{\"title\":\"t\",\"severity\":1,\"service\":\"web\",\"started_at\":"
				   "\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"), 0);
	/* 100 customers for 90 minutes, 10 for an open window, then that window closed after 30 minutes */
	assert_int_equal(th_append(x, s, k, "impact", id, "{\"customers\":100,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T11:30:00Z\"}"), 0);
	assert_int_equal(th_append(x, s, k, "impact", id, "{\"customers\":10,\"start\":\"2026-11-20T12:00:00Z\"}"), 0);
	assert_int_equal(th_append(x, s, k, "impact", id, "{\"customers\":10,\"start\":\"2026-11-20T12:00:00Z\",\"end\":\"2026-11-20T12:30:00Z\"}"), 0);
	assert_int_equal(th_append(x, s, k, "sla", id, "{\"name\":\"a\",\"target_s\":600,\"actual_s\":600}"), 0);
	assert_int_equal(th_append(x, s, k, "sla", id, "{\"name\":\"b\",\"target_s\":600,\"actual_s\":601}"), 0);
	assert_int_equal(th_append(x, s, k, "status", id, "{\"status\":\"resolved\"}"), 0);
	/* not allowed: stays in the timeline, does not change the state */
	assert_int_equal(th_append(x, s, k, "status", id, "{\"status\":\"mitigated\"}"), 0);
	assert_int_equal(th_append(x, s, k, "feedback", id, "{\"score\":2,\"lost_minutes\":15}"), 0);

	assert_int_equal(accord_ledger_open(&l, s, NULL), 0);
	assert_int_equal(accord_ledger_find_incident(&open, l, id), 0);
	assert_int_equal(accord_incident_build(&inc, l, open), 0);
	assert_int_equal(inc->impact_count, 2);
	assert_int_equal(accord_incident_customer_seconds(inc, 1900000000, NULL), 100 * 90 * 60 + 10 * 30 * 60);
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

		assert_int_equal((int)cJSON_GetObjectItemCaseSensitive(j, "customer_minutes")->valuedouble, 9300);
		assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "status")->valuestring, "resolved");
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
	assert_int_equal(th_append(id, s, k, "open", NULL,
				   "{\"title\":\"t\",\"severity\":1,\"service\":\"web\",\"started_at\":"
				   "\"2026-11-20T09:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"), 0);
	/* 300 customers from 10:00, still open; 100 from 10:00 to 11:00 */
	assert_int_equal(th_append(x, s, k, "impact", id, "{\"customers\":300,\"start\":\"2026-11-20T10:00:00Z\"}"), 0);
	assert_int_equal(th_append(x, s, k, "impact", id, "{\"customers\":100,\"start\":\"2026-11-20T09:00:00Z\",\"end\":\"2026-11-20T11:00:00Z\"}"), 0);
	assert_int_equal(accord_ledger_open(&l, s, NULL), 0);
	assert_int_equal(accord_ledger_find_incident(&open, l, id), 0);
	assert_int_equal(accord_incident_build(&inc, l, open), 0);

	/* 77 hours after the start: 300 x 4620 min + 100 x 120 min */
	assert_true(accord_incident_customer_seconds(inc, t0 + 77 * 3600, &running) ==
		    (300LL * 4620 + 100 * 120) * 60);
	assert_int_equal(running, 1);
	/* half an hour in: the open window has 30 minutes, the closed one counts up to now */
	assert_true(accord_incident_customer_seconds(inc, t0 + 1800, &running) == (300LL * 30 + 100 * 90) * 60);
	/* before either window began: nothing, and nothing running yet */
	assert_true(accord_incident_customer_seconds(inc, t0 - 7200, &running) == 0);
	assert_int_equal(running, 0);

	j = accord_incident_to_json(inc, &l->parties, t0 + 77 * 3600);
	assert_true(cJSON_GetObjectItemCaseSensitive(j, "customer_minutes")->valuedouble == 1386000 + 12000);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incident_transitions),
		cmocka_unit_test(test_incident_derives_figures),
		cmocka_unit_test(test_incident_open_window_runs_until_now),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
