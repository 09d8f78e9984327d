/* An incident's derived state as show --json has it, from a real ledger. */
#include "helpers.h"

#define START "2026-11-20T10:00:00Z"

typedef struct {
	th_fixture *base;
	char inc[ACCORD_ID_HEXLEN + 1];
	accord_ledger *l;
	accord_incident *incident;
	cJSON *doc;
} fixture;

static void append(char *id, fixture *f, const char *type, const char *body)
{
	char scratch[ACCORD_ID_HEXLEN + 1];

	if (th_append(id ? id : scratch, f->base->store, f->base->alice, type, f->inc, body) != 0)
		fail_msg("%s: %s", type, accord_error_last());
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	void *base = NULL;

	assert_non_null(f);
	th_fixture_setup(&base);
	f->base = base;
	assert_int_equal(
		th_append(f->inc, f->base->store, f->base->alice, "open", NULL,
			  "{\"title\":\"checkout fails\",\"severity\":2,\"service\":\"web\","
			  "\"started_at\":\"" START "\",\"parties\":[\"acme\"],"
			  "\"tickets\":[{\"party\":\"acme\",\"id\":\"INC-4411\"}]}"),
		0);
	*state = f;
	return 0;
}

static void forget(fixture *f)
{
	cJSON_Delete(f->doc);
	accord_incident_free(f->incident);
	accord_ledger_free(f->l);
	f->doc = NULL;
	f->incident = NULL;
	f->l = NULL;
}

static int teardown(void **state)
{
	fixture *f = *state;
	void *base = f->base;

	forget(f);
	free(f);
	return th_fixture_teardown(&base);
}

/* The document as of `now`. */
static const cJSON *to_json(fixture *f, int64_t now)
{
	const accord_entry *open;

	forget(f);
	assert_int_equal(accord_ledger_load(&f->l, f->base->store), 0);
	assert_int_equal(accord_ledger_find_incident(&open, f->l, f->inc), 0);
	assert_int_equal(accord_incident_build(&f->incident, f->l, open), 0);
	f->doc = accord_incident_to_json(f->incident, accord_ledger_parties(f->l), now);
	assert_non_null(f->doc);
	return f->doc;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v))
		fail_msg("%s is not a string", key);
	return v->valuestring;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("%s is not a number", key);
	return v->valuedouble;
}

static void test_incident_json_fresh_incident(void **state)
{
	fixture *f = *state;
	const cJSON *d = to_json(f, 1795419079), *tl, *item;

	assert_string_equal(str(d, "id"), f->inc);
	assert_string_equal(str(d, "title"), "checkout fails");
	assert_int_equal(num(d, "severity"), 2);
	assert_string_equal(str(d, "service"), "web");
	assert_string_equal(str(d, "status"), "investigating");
	assert_string_equal(str(d, "started_at"), START);
	assert_non_null(strstr(str(d, "opened_by"), "acme"));
	assert_string_equal(str(d, "customer_party"), "acme");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "parties")), 1);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "parties"), 0)->valuestring,
			    "acme");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "resolution")));
	/* the ticket, with its party */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "tickets")), 1);
	assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "tickets"), 0), "party"),
			    "acme");
	assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "tickets"), 0), "id"),
			    "INC-4411");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "impact")), 0);
	assert_int_equal(num(d, "customer_minutes"), 0);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "disputed")));

	/* the timeline: the open, as signed */
	tl = cJSON_GetObjectItem(d, "timeline");
	assert_int_equal(cJSON_GetArraySize(tl), 1);
	item = cJSON_GetArrayItem(tl, 0);
	assert_string_equal(str(item, "id"), f->inc);
	assert_string_equal(str(item, "type"), "open");
	assert_string_equal(str(item, "author"), f->base->alice->pub.id);
	assert_string_equal(str(cJSON_GetObjectItem(item, "body"), "title"), "checkout fails");
}

static void test_incident_json_figures_and_history(void **state)
{
	fixture *f = *state;
	const cJSON *d, *w, *tl, *am;
	char impact[ACCORD_ID_HEXLEN + 1];

	append(impact, f, "impact",
	       "{\"customers\":1800,\"start\":\"" START "\",\"end\":\"2026-11-20T11:30:00Z\"}");
	append(NULL, f, "amend", "{\"title\":\"card checkout fails\"}");
	append(NULL, f, "status", "{\"status\":\"mitigated\"}");
	d = to_json(f, 1795419079);
	assert_string_equal(str(d, "title"), "card checkout fails");
	assert_string_equal(str(d, "status"), "mitigated");
	/* 1,800 customers for 90 minutes */
	assert_int_equal(num(d, "customer_minutes"), 1800 * 90);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "customer_minutes_running")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "impact")), 1);
	w = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "impact"), 0);
	assert_string_equal(str(w, "entry"), impact);
	assert_string_equal(str(w, "party"), "acme");
	assert_int_equal(num(w, "customers"), 1800);
	/* the amendment's history: what the title was */
	am = cJSON_GetObjectItem(d, "amendments");
	assert_true(cJSON_GetArraySize(am) >= 1);
	assert_string_equal(str(cJSON_GetArrayItem(am, 0), "field"), "title");
	/* every entry on the timeline, in order */
	tl = cJSON_GetObjectItem(d, "timeline");
	assert_int_equal(cJSON_GetArraySize(tl), 4);
	assert_string_equal(str(cJSON_GetArrayItem(tl, 0), "type"), "open");
	assert_string_equal(str(cJSON_GetArrayItem(tl, 1), "type"), "impact");
	assert_string_equal(str(cJSON_GetArrayItem(tl, 2), "type"), "amend");
	assert_string_equal(str(cJSON_GetArrayItem(tl, 3), "type"), "status");
}

static void test_incident_json_open_window_runs(void **state)
{
	fixture *f = *state;
	const cJSON *d;
	int64_t start;

	append(NULL, f, "impact", "{\"customers\":10,\"start\":\"" START "\"}");
	assert_int_equal(accord_time_parse(&start, START), 0);
	/* an open window keeps adding until now: 10 customers for an hour, then two */
	d = to_json(f, start + 3600);
	assert_int_equal(num(d, "customer_minutes"), 600);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "customer_minutes_running")));
	d = to_json(f, start + 7200);
	assert_int_equal(num(d, "customer_minutes"), 1200);
}

static void test_incident_json_timeline_item(void **state)
{
	fixture *f = *state;
	cJSON *item;

	to_json(f, 1795419079);
	item = accord_entry_to_timeline_json(f->incident->open, accord_ledger_parties(f->l));
	assert_string_equal(str(item, "id"), f->inc);
	assert_string_equal(str(item, "type"), "open");
	assert_non_null(strstr(str(item, "by"), "acme"));
	assert_int_equal(num(item, "lamport"), f->incident->open->lamport);
	/* the body is a copy: the document outlives the entry */
	assert_ptr_not_equal(cJSON_GetObjectItem(item, "body")->child,
			     f->incident->open->body->child);
	assert_false(cJSON_GetObjectItem(item, "body")->type & cJSON_IsReference);
	assert_string_equal(str(cJSON_GetObjectItem(item, "body"), "title"), "checkout fails");
	assert_null(cJSON_GetObjectItem(item, "needs"));
	cJSON_Delete(item);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_incident_json_fresh_incident, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incident_json_figures_and_history, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_incident_json_open_window_runs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_incident_json_timeline_item, setup, teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
