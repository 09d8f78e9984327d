/* The inbox: what waits on a party in a real two-party ledger, most urgent first. */
#include "helpers.h"

#include "accord/inbox.h"

#define DAY 86400

/* acme (alice) and globex (gina). */
typedef struct {
	char *dir;
	accord_key *alice, *gina;
	accord_store *s;
	accord_ledger *l;
	accord_inbox *box;
	accord_schema_registry *reg;
} world;

static void append(char *id, world *w, const accord_key *k, const char *type, const char *inc,
		   const char *body)
{
	th_append_ok(id, w->s, k, type, inc, body);
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
	assert_int_equal(accord_schema_builtin(&w->reg), 0);
	*state = w;
	return 0;
}

static void forget(world *w)
{
	accord_inbox_free(w->box);
	accord_ledger_free(w->l);
	w->box = NULL;
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

/* `party`'s inbox as of `now`; every item as inbox.schema.json says. */
static const accord_inbox *inbox(world *w, const char *party, int64_t now)
{
	forget(w);
	assert_int_equal(accord_ledger_load(&w->l, w->s), 0);
	if (accord_inbox_build(&w->box, w->l, party, now) != 0)
		fail_msg("inbox: %s", accord_error_last());
	assert_string_equal(w->box->party, party);
	for (size_t i = 0; i < w->box->count; i++) {
		const accord_inbox_item *it = &w->box->items[i];

		assert_non_null(it->summary);
		assert_non_null(it->entry);
		if (accord_schema_validate(w->reg,
					   ACCORD_SCHEMA_BASE "inbox.schema.json#/definitions/item",
					   it->json) != 0)
			fail_msg("item %zu does not match the schema: %s", i, accord_error_last());
		if (i)
			assert_true(accord_inbox_item_cmp(&w->box->items[i - 1], it) <= 0);
	}
	return w->box;
}

static void open_incident(char *id, world *w, int severity)
{
	char body[512];

	snprintf(body, sizeof(body),
		 "{\"title\":\"checkout fails\",\"severity\":%d,\"service\":\"checkout\","
		 "\"started_at\":\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\",\"globex\"],"
		 "\"tickets\":[]}",
		 severity);
	append(id, w, w->alice, "open", NULL, body);
}

static void test_inbox_involved_until_answered(void **state)
{
	world *w = *state;
	const accord_inbox *b;
	char inc[ACCORD_ID_HEXLEN + 1];
	int64_t now = accord_time_now();

	open_incident(inc, w, 2);
	/* acme wrote the open: nothing waits on it; globex is involved and silent */
	b = inbox(w, "acme", now);
	assert_int_equal(b->count, 0);
	b = inbox(w, "globex", now);
	assert_int_equal(b->count, 1);
	assert_int_equal(b->items[0].kind, ACCORD_INBOX_INVOLVED);
	assert_string_equal(b->items[0].incident, inc);
	assert_string_equal(b->items[0].entry->id, inc);
	assert_int_equal(b->items[0].severity, 2);
	assert_string_equal(cJSON_GetObjectItem(b->items[0].json, "kind")->valuestring, "involved");
	assert_non_null(strstr(b->items[0].summary, "written nothing"));
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(b->items[0].json, "incident"), "title")
			->valuestring,
		"checkout fails");

	/* globex answers: nothing waits on it any more */
	append(NULL, w, w->gina, "note", inc, "{\"text\":\"looking\"}");
	b = inbox(w, "globex", now);
	assert_int_equal(b->count, 0);
}

static void test_inbox_proposals_wait_for_cosignature(void **state)
{
	world *w = *state;
	const accord_inbox *b;
	char ag[ACCORD_ID_HEXLEN + 1], body[128];

	append(ag, w, w->alice, "agreement", NULL,
	       "{\"with\":\"globex\",\"acknowledge_s\":1800,\"mitigate_s\":14400,"
	       "\"restore_s\":21600}");
	b = inbox(w, "globex", accord_time_now());
	assert_int_equal(b->count, 1);
	assert_int_equal(b->items[0].kind, ACCORD_INBOX_PROPOSAL);
	assert_string_equal(b->items[0].entry->id, ag);
	assert_string_equal(b->items[0].incident, ""); /* an agreement is of no incident */
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(b->items[0].json, "incident")));
	/* the proposer's own party owes nothing */
	assert_int_equal(inbox(w, "acme", accord_time_now())->count, 0);

	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", ag);
	append(NULL, w, w->gina, "cosign", NULL, body);
	assert_int_equal(inbox(w, "globex", accord_time_now())->count, 0);
}

static void test_inbox_action_items_and_urgency(void **state)
{
	world *w = *state;
	const accord_inbox *b;
	char inc1[ACCORD_ID_HEXLEN + 1], inc2[ACCORD_ID_HEXLEN + 1], body[1024], due[16];
	int64_t now = accord_time_now();
	char today[ACCORD_TIME_LEN];

	open_incident(inc1, w, 3);
	open_incident(inc2, w, 1);
	accord_time_format(today, now + 10 * DAY);
	snprintf(due, sizeof(due), "%.10s", today);
	snprintf(body, sizeof(body),
		 "{\"summary\":\"certificate expired\",\"factors\":[\"no monitoring\"],"
		 "\"went_well\":[],\"went_wrong\":[],\"lucky\":[],\"actions\":["
		 "{\"text\":\"monitor expiry\",\"owners\":[\"globex\"],\"due\":\"%s\"}]}",
		 due);
	append(NULL, w, w->alice, "resolution", inc1, body);

	/* today: the resolution waits for globex's signature, the item is not due; the
	 * severity-1 incident before the severity-3 one */
	b = inbox(w, "globex", now);
	assert_true(b->count >= 3);
	assert_int_equal(b->items[0].kind, ACCORD_INBOX_PROPOSAL);
	assert_int_equal(b->items[b->count - 1].kind, ACCORD_INBOX_ACTION);
	for (size_t i = 1; i < b->count - 1; i++)
		assert_int_equal(b->items[i].kind, ACCORD_INBOX_INVOLVED);
	assert_string_equal(b->items[1].incident, inc2);
	assert_string_equal(b->items[2].incident, inc1);

	/* eleven days on, the item is overdue: first of all */
	b = inbox(w, "globex", now + 11 * DAY);
	assert_int_equal(b->items[0].kind, ACCORD_INBOX_OVERDUE);
	assert_string_equal(b->items[0].incident, inc1);
	assert_string_equal(cJSON_GetObjectItem(b->items[0].json, "kind")->valuestring, "action");
	/* acme owns no item */
	b = inbox(w, "acme", now + 11 * DAY);
	for (size_t i = 0; i < b->count; i++)
		assert_int_not_equal(b->items[i].kind, ACCORD_INBOX_OVERDUE);
}

static void test_inbox_unknown_party_and_names(void **state)
{
	world *w = *state;
	accord_inbox *box = (accord_inbox *)&box;

	assert_int_equal(accord_ledger_load(&w->l, w->s), 0);
	accord_error_clear();
	assert_int_equal(accord_inbox_build(&box, w->l, "initech", accord_time_now()),
			 ACCORD_ENOTFOUND);
	assert_ptr_equal(box, (accord_inbox *)&box);
	assert_non_null(strstr(accord_error_last(), "initech"));
	assert_string_equal(accord_inbox_kind_name(ACCORD_INBOX_OVERDUE), "action");
	assert_string_equal(accord_inbox_kind_name(ACCORD_INBOX_PROPOSAL), "proposal");
	assert_string_equal(accord_inbox_kind_name(ACCORD_INBOX_INVOLVED), "involved");
	assert_string_equal(accord_inbox_kind_name(ACCORD_INBOX_CONFLICT), "conflict");
	assert_string_equal(accord_inbox_kind_name(ACCORD_INBOX_ACTION), "action");
	accord_inbox_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inbox_involved_until_answered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_inbox_proposals_wait_for_cosignature, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_inbox_action_items_and_urgency, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_inbox_unknown_party_and_names, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
