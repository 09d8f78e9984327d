/* Clocks computed from a real two-party timeline: agreed targets, verdicts, pauses, the oracle. */
#include "helpers.h"

#include "accord/clock.h"

#define HOUR 3600
#define SLACK 120 /* seconds the test itself may take between entries */

/* acme (alice, the customer) and globex (gina, the provider), with or without agreed terms. */
typedef struct {
	char *dir;
	accord_key *alice, *gina;
	accord_store *s;
	char inc[ACCORD_ID_HEXLEN + 1];
	int64_t t0; /* when the incident was opened; impact began 3 hours before */
	accord_ledger *l;
	accord_incident *incident;
	accord_clocks *c;
} world;

static void append(char *id, world *w, const accord_key *k, const char *type, const char *inc,
		   const char *body)
{
	th_append_ok(id, w->s, k, type, inc, body);
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));

	int64_t back = accord_time_now() - 24 * HOUR;

	assert_non_null(w);
	w->dir = th_tmpdir();
	w->alice = th_key(w->dir, "alice");
	w->gina = th_key(w->dir, "gina");
	/* a day back, so that the terms (agree) can precede the impact start */
	accord_time_set_now(&back);
	w->s = th_ledger(w->dir, w->alice, "acme");
	th_invite(w->s, w->alice, w->gina, "globex");
	accord_time_set_now(NULL);
	*state = w;
	return 0;
}

static void forget(world *w)
{
	accord_clocks_free(w->c);
	accord_incident_free(w->incident);
	accord_ledger_free(w->l);
	w->c = NULL;
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

/*
 * acme proposes `terms` to globex and globex co-signs, at `at` (0: now).
 * An entry's time never goes below what it depends on: setup wrote a day back.
 */
static void agree_at(world *w, int64_t at, const char *terms)
{
	char ag[ACCORD_ID_HEXLEN + 1], body[256];

	if (at)
		accord_time_set_now(&at);
	append(ag, w, w->alice, "agreement", NULL, terms);
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", ag);
	append(NULL, w, w->gina, "cosign", NULL, body);
	accord_time_set_now(NULL);
}

/*
 * 30m / 4h / 6h, twelve hours ago: in force before the impact
 * open_incident files (no clock of the terms runs before their co-signature).
 */
static void agree(world *w)
{
	agree_at(w, accord_time_now() - 12 * HOUR,
		 "{\"with\":\"globex\",\"acknowledge_s\":1800,\"mitigate_s\":14400,"
		 "\"restore_s\":21600}");
}

/* acme opens an incident involving globex; impact began three hours ago. */
static void open_incident(world *w)
{
	char started[ACCORD_TIME_LEN], body[512];

	w->t0 = accord_time_now();
	accord_time_format(started, w->t0 - 3 * HOUR);
	snprintf(body, sizeof(body),
		 "{\"title\":\"checkout fails\",\"severity\":1,\"service\":\"checkout\","
		 "\"started_at\":\"%s\",\"parties\":[\"acme\",\"globex\"],\"tickets\":[]}",
		 started);
	append(w->inc, w, w->alice, "open", NULL, body);
}

static void status(char *id, world *w, const accord_key *k, const char *json)
{
	append(id, w, k, "status", w->inc, json);
}

/* The clocks as of `now`, on the ledger as it stands. */
static const accord_party_clocks *compute(world *w, int64_t now)
{
	const accord_entry *open;

	forget(w);
	assert_int_equal(accord_ledger_load(&w->l, w->s), 0);
	assert_int_equal(accord_ledger_find_incident(&open, w->l, w->inc), 0);
	assert_int_equal(accord_incident_build(&w->incident, w->l, open), 0);
	if (accord_clocks_compute(&w->c, w->incident, accord_ledger_parties(w->l),
				  accord_incident_ledger_in_past, w->l, now) != 0)
		fail_msg("clocks: %s", accord_error_last());
	assert_string_equal(w->c->customer, "acme");
	assert_int_equal(w->c->party_count, 1); /* the customer has no clocks of its own */
	assert_string_equal(w->c->parties[0].party, "globex");
	return &w->c->parties[0];
}

static void assert_near(int64_t got, int64_t want)
{
	if (got < want - SLACK || got > want + SLACK)
		fail_msg("%lld is not within %d s of %lld", (long long)got, SLACK, (long long)want);
}

static void test_clock_measured_against_agreement(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	const accord_clock *ack, *mit, *res;
	char note[ACCORD_ID_HEXLEN + 1], mitigated[ACCORD_ID_HEXLEN + 1];

	agree(w);
	open_incident(w);

	/* nobody at globex has written: every clock runs */
	pc = compute(w, w->t0);
	assert_non_null(pc->agreement);
	assert_int_equal(pc->agreement->mitigate_s, 14400);
	ack = &pc->clocks[0];
	mit = &pc->clocks[1];
	res = &pc->clocks[2];
	assert_string_equal(ack->name, "acknowledge");
	assert_string_equal(mit->name, "mitigate");
	assert_string_equal(res->name, "restore");
	assert_false(ack->stopped);
	assert_string_equal(ack->state, "running");
	assert_int_equal(ack->target_s, 1800);
	assert_near(ack->elapsed_s, 0);
	/* mitigate and restore count from impact start, three hours before the open */
	assert_int_equal(mit->from, w->t0 - 3 * HOUR);
	assert_near(mit->elapsed_s, 3 * HOUR);
	assert_string_equal(mit->state, "running");
	assert_int_equal(res->target_s, 21600);

	/* two hours on with no word: acknowledge and mitigate missed, restore still running */
	pc = compute(w, w->t0 + 2 * HOUR);
	assert_string_equal(pc->clocks[0].state, "missed");
	assert_near(pc->clocks[1].elapsed_s, 5 * HOUR);
	assert_string_equal(pc->clocks[1].state, "missed");
	assert_string_equal(pc->clocks[2].state, "running");

	/* globex answers and mitigates now: stopped and met, whatever time it is later */
	append(note, w, w->gina, "note", w->inc, "{\"text\":\"looking\"}");
	status(mitigated, w, w->gina, "{\"status\":\"mitigated\"}");
	pc = compute(w, w->t0 + 10 * HOUR);
	ack = &pc->clocks[0];
	mit = &pc->clocks[1];
	res = &pc->clocks[2];
	assert_true(ack->stopped);
	assert_non_null(ack->to_entry);
	assert_string_equal(ack->to_entry->id, note);
	assert_string_equal(ack->from_entry->id, w->inc); /* the open involved globex */
	assert_near(ack->elapsed_s, 0);
	assert_string_equal(ack->state, "met");
	assert_true(mit->stopped);
	assert_string_equal(mit->to_entry->id, mitigated);
	assert_near(mit->elapsed_s, 3 * HOUR);
	assert_string_equal(mit->state, "met");
	/* restore ran on: 13 hours by then, past its 6 */
	assert_false(res->stopped);
	assert_string_equal(res->state, "missed");

	status(NULL, w, w->gina, "{\"status\":\"resolved\"}");
	pc = compute(w, w->t0 + 10 * HOUR);
	assert_true(pc->clocks[2].stopped);
	assert_near(pc->clocks[2].elapsed_s, 3 * HOUR);
	assert_string_equal(pc->clocks[2].state, "met");
}

/*
 * Terms measure from their co-signature (attack43 04): an outage filed as
 * started three hours before the terms were agreed runs their mitigate
 * and restore clocks from the co-signature, and says so.
 */
static void test_clock_terms_not_retroactive(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	int64_t joint = accord_time_now() - 600;

	/* agreed ten minutes ago */
	agree_at(w, joint,
		 "{\"with\":\"globex\",\"acknowledge_s\":1800,\"mitigate_s\":3600,"
		 "\"restore_s\":7200}");
	open_incident(w); /* now, t0: impact began at t0 - 3h */
	pc = compute(w, w->t0 + HOUR / 2);
	assert_non_null(pc->agreement);
	assert_int_equal(pc->agreement->joint_at, joint);
	assert_false(pc->clocks[0].from_terms); /* the involvement: the open, no earlier */
	for (int k = 1; k < ACCORD_CLOCKS; k++) {
		assert_true(pc->clocks[k].from_terms);
		assert_int_equal(pc->clocks[k].from, joint);
		assert_int_equal(pc->clocks[k].began, w->t0 - 3 * HOUR);
		assert_near(pc->clocks[k].elapsed_s, w->t0 + HOUR / 2 - joint);
		assert_string_equal(pc->clocks[k].state, "running");
	}

	/* stricter terms co-signed now replace them: measured from their own co-signature */
	agree_at(w, 0,
		 "{\"with\":\"globex\",\"acknowledge_s\":600,\"mitigate_s\":1800,"
		 "\"restore_s\":3600}");
	open_incident(w);
	pc = compute(w, w->t0 + HOUR / 2);
	assert_int_equal(pc->agreement->mitigate_s, 1800);
	assert_true(pc->agreement->joint_at > joint);
	assert_true(pc->clocks[1].from_terms);
	assert_int_equal(pc->clocks[1].from, pc->agreement->joint_at);
}

/*
 * globex proposes a resolution, acme (and `also`, when not NULL) co-signs
 * it, and acme closes the incident on it.
 */
static void resolve_and_close(world *w, const accord_key *also)
{
	char res[ACCORD_ID_HEXLEN + 1], body[128];

	append(res, w, w->gina, "resolution", w->inc,
	       "{\"summary\":\"s\",\"factors\":[],\"went_well\":[],\"went_wrong\":[],"
	       "\"lucky\":[],\"actions\":[]}");
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", res);
	append(NULL, w, w->alice, "cosign", w->inc, body);
	if (also)
		append(NULL, w, also, "cosign", w->inc, body);
	status(NULL, w, w->alice, "{\"status\":\"closed\"}");
}

/* globex resolves, and the incident is closed jointly (resolve_and_close). */
static void close_jointly(world *w, const accord_key *also)
{
	status(NULL, w, w->gina, "{\"status\":\"resolved\"}");
	resolve_and_close(w, also);
}

/* `k` disputes the time of entry `event`: it says `event` happened at `said`. */
static void dispute(world *w, const accord_key *k, const char *event, int64_t said)
{
	char body[256], when[ACCORD_TIME_LEN];

	accord_time_format(when, said);
	snprintf(body, sizeof(body), "{\"entry\":\"%s\",\"at\":\"%s\",\"reason\":\"r\"}", event,
		 when);
	append(NULL, w, k, "dispute", w->inc, body);
}

/*
 * A reopen long after a joint close resumes the clocks where the close left
 * them (attack45 04): the days it stood closed are not charged to the
 * provider, whose restore was met, and the time after the reopen is.
 */
static void test_clock_reopen_resumes_after_close(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	int64_t at;

	agree(w);
	open_incident(w); /* restore target 6 h; impact began 3 h before t0 */
	append(NULL, w, w->gina, "note", w->inc, "{\"text\":\"on it\"}");
	close_jointly(w, NULL);
	pc = compute(w, w->t0 + HOUR);
	assert_string_equal(w->incident->status, "closed");
	assert_string_equal(pc->clocks[2].state, "met");
	assert_near(pc->clocks[2].elapsed_s, 3 * HOUR);
	assert_int_equal(pc->clocks[2].closed_s, 0);

	/* acme reopens three days later: restore runs again, from 3 h, not from 3 days */
	at = w->t0 + 72 * HOUR;
	accord_time_set_now(&at);
	status(NULL, w, w->alice, "{\"status\":\"investigating\"}");
	pc = compute(w, at + HOUR);
	assert_string_equal(w->incident->status, "investigating");
	assert_false(pc->clocks[2].stopped);
	assert_near(pc->clocks[2].elapsed_s, 4 * HOUR);
	assert_near(pc->clocks[2].closed_s, 72 * HOUR);
	assert_string_equal(pc->clocks[2].state, "running");

	/* resolved again at once: met, with the closed days left out */
	at += 60;
	accord_time_set_now(&at);
	status(NULL, w, w->gina, "{\"status\":\"resolved\"}");
	accord_time_set_now(NULL);
	pc = compute(w, at + 10 * HOUR);
	assert_true(pc->clocks[2].stopped);
	assert_near(pc->clocks[2].elapsed_s, 3 * HOUR + 60);
	assert_string_equal(pc->clocks[2].state, "met");
	/* not resolved again for 4 hours: missed (3 h before the close and 4 after the reopen) */
	at += 4 * HOUR;
	accord_time_set_now(&at);
	status(NULL, w, w->alice, "{\"status\":\"investigating\"}");
	accord_time_set_now(NULL);
	pc = compute(w, at + 4 * HOUR);
	assert_false(pc->clocks[2].stopped);
	assert_string_equal(pc->clocks[2].state, "missed");
}

/*
 * A provider's own reopen resumes its clocks too, from where the close left
 * them, disputes included: re-resolving at once does not launder a stop the
 * customer disputed before the close (attack46 07).
 */
static void test_clock_provider_reopen_keeps_dispute(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	char resolved[ACCORD_ID_HEXLEN + 1];
	int64_t at;

	agree(w);
	open_incident(w); /* restore target 6 h; impact began 3 h before t0 */
	status(resolved, w, w->gina, "{\"status\":\"resolved\"}");
	/* acme says the service came back 4 h later: 7 h, missed */
	at = w->t0 + 4 * HOUR;
	accord_time_set_now(&at);
	dispute(w, w->alice, resolved, at);
	resolve_and_close(w, NULL);
	pc = compute(w, at + HOUR);
	assert_string_equal(pc->clocks[2].state, "disputed");
	assert_string_equal(pc->clocks[2].dispute_state, "missed");

	/* globex reopens three days later and resolves at once */
	at = w->t0 + 72 * HOUR;
	accord_time_set_now(&at);
	status(NULL, w, w->gina, "{\"status\":\"investigating\"}");
	at += 60;
	accord_time_set_now(&at);
	status(NULL, w, w->gina, "{\"status\":\"resolved\"}");
	accord_time_set_now(NULL);
	pc = compute(w, at + HOUR);
	assert_string_equal(w->incident->status, "resolved");
	assert_true(pc->clocks[2].stopped);
	assert_near(pc->clocks[2].elapsed_s, 3 * HOUR + 60);
	assert_near(pc->clocks[2].closed_s, 68 * HOUR);
	assert_non_null(pc->clocks[2].dispute);
	assert_string_equal(pc->clocks[2].state, "disputed");
	assert_string_equal(pc->clocks[2].dispute_state, "missed");
	assert_near(pc->clocks[2].dispute_elapsed_s, 7 * HOUR + 60);

	/*
	 * acme reopens again and globex takes 4 h: missed on either claim, so
	 * missed, not shielded by the dispute the record keeps (attack48 03)
	 */
	at += HOUR;
	accord_time_set_now(&at);
	status(NULL, w, w->alice, "{\"status\":\"investigating\"}");
	at += 4 * HOUR;
	accord_time_set_now(&at);
	status(NULL, w, w->gina, "{\"status\":\"resolved\"}");
	accord_time_set_now(NULL);
	pc = compute(w, at + HOUR);
	assert_string_equal(pc->clocks[2].claimed_state, "missed");
	assert_string_equal(pc->clocks[2].dispute_state, "missed");
	assert_string_equal(pc->clocks[2].state, "missed");
	assert_false(pc->clocks[2].apart);
}

/*
 * The provider's dispute of the customer's reopen is shown beside the
 * clock and never mixes into the customer's view: with a dispute of the
 * customer's in the record, it does not take a resumed miss out of the
 * count (attack49 01).
 */
static void test_clock_provider_dispute_of_reopen_counts_nothing(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	char resolved[ACCORD_ID_HEXLEN + 1], reopen[ACCORD_ID_HEXLEN + 1];
	int64_t at;

	agree(w);
	open_incident(w); /* restore target 6 h; impact began 3 h before t0 */
	status(resolved, w, w->gina, "{\"status\":\"resolved\"}");
	/* acme says 2 minutes later: met on both claims */
	at = w->t0 + 300;
	accord_time_set_now(&at);
	dispute(w, w->alice, resolved, w->t0 + 120);
	resolve_and_close(w, NULL);
	at = w->t0 + 24 * HOUR;
	accord_time_set_now(&at);
	status(reopen, w, w->alice, "{\"status\":\"investigating\"}");
	/* globex restores three days later and disputes the reopen's time */
	at = w->t0 + 96 * HOUR;
	accord_time_set_now(&at);
	status(NULL, w, w->gina, "{\"status\":\"resolved\"}");
	dispute(w, w->gina, reopen, at - 60);
	accord_time_set_now(NULL);
	pc = compute(w, at + HOUR);
	assert_string_equal(pc->clocks[2].resumed_entry->id, reopen);
	assert_near(pc->clocks[2].elapsed_s, 75 * HOUR);
	assert_string_equal(pc->clocks[2].state, "missed");
	assert_false(pc->clocks[2].apart);
}

/*
 * After a reopen, mitigate resumes from where it had stopped, not from the
 * resolved the close rested on (attack47 13): the hours between mitigated
 * and resolved are not charged again.
 */
static void test_clock_mitigate_resumes_where_it_stopped(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	int64_t at;

	agree(w);
	open_incident(w); /* mitigate target 4 h; impact began 3 h before t0 */
	status(NULL, w, w->gina, "{\"status\":\"mitigated\"}");
	at = w->t0 + 2 * HOUR;
	accord_time_set_now(&at);
	close_jointly(w, NULL); /* resolved 5 h after the impact began */
	at = w->t0 + 72 * HOUR;
	accord_time_set_now(&at);
	status(NULL, w, w->alice, "{\"status\":\"investigating\"}");
	accord_time_set_now(NULL);
	pc = compute(w, at + HOUR / 2);
	assert_false(pc->clocks[1].stopped);
	assert_near(pc->clocks[1].elapsed_s, 3 * HOUR + HOUR / 2);
	assert_string_equal(pc->clocks[1].state, "running");
	assert_near(pc->clocks[1].closed_s, 70 * HOUR);
	assert_near(pc->clocks[2].elapsed_s, 5 * HOUR + HOUR / 2);
	assert_string_equal(pc->clocks[2].state, "running");
}

/*
 * After a reopen, what the close measured from stays: the customer that
 * retracts the window its clocks started at, or amends the incident to
 * stricter terms, re-scores nothing before the close (attack47 12,
 * attack46 04).
 */
static void test_clock_reopen_keeps_what_the_close_judged(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	char window[ACCORD_ID_HEXLEN + 1], body[256], when[ACCORD_TIME_LEN];
	int64_t at;

	agree(w);
	agree_at(w, accord_time_now() - 12 * HOUR,
		 "{\"with\":\"globex\",\"severity\":2,\"acknowledge_s\":60,"
		 "\"mitigate_s\":60,\"restore_s\":60}");
	open_incident(w); /* severity 1: restore 6 h; --started 3 h before t0 */
	accord_time_format(when, w->t0 - HOUR);
	snprintf(body, sizeof(body), "{\"customers\":100,\"start\":\"%s\"}", when);
	append(window, w, w->alice, "impact", w->inc, body);
	at = w->t0 + 4 * HOUR;
	accord_time_set_now(&at);
	close_jointly(w, NULL); /* restored 5 h after the window's start */
	pc = compute(w, at + HOUR);
	assert_string_equal(pc->clocks[2].state, "met");
	assert_near(pc->clocks[2].elapsed_s, 5 * HOUR);

	at = w->t0 + 72 * HOUR;
	accord_time_set_now(&at);
	status(NULL, w, w->alice, "{\"status\":\"investigating\"}");
	snprintf(body, sizeof(body), "{\"entry\":\"%s\",\"reason\":\"r\"}", window);
	append(NULL, w, w->alice, "retract", w->inc, body);
	append(NULL, w, w->alice, "amend", w->inc, "{\"severity\":2}");
	accord_time_set_now(NULL);
	pc = compute(w, at + HOUR / 2);
	assert_int_equal(w->incident->severity, 2);
	assert_int_equal(pc->clocks[2].target_s, 21600);
	assert_near(pc->clocks[2].elapsed_s, 5 * HOUR + HOUR / 2);
	assert_string_equal(pc->clocks[2].state, "running");
	assert_int_equal(pc->clocks[0].target_s, 1800);
}

/*
 * A partner's reopen (or a sock's the customer controls) resumes the
 * provider's clocks where the close left them, as the customer's does
 * (attack47 10): only the provider's own reopen is charged the closed time.
 */
static void test_clock_partner_reopen_resumes(void **state)
{
	world *w = *state;
	accord_key *ivan = th_key(w->dir, "ivan");
	const accord_entry *open;
	const accord_party_clocks *pc = NULL;
	int64_t at;
	size_t i;

	at = accord_time_now() - 20 * HOUR; /* before the terms agree() backdates */
	accord_time_set_now(&at);
	th_invite(w->s, w->alice, ivan, "initech");
	accord_time_set_now(NULL);
	agree(w);
	open_incident(w);
	append(NULL, w, w->alice, "involve", w->inc, "{\"party\":\"initech\"}");
	close_jointly(w, ivan);
	at = w->t0 + 72 * HOUR;
	accord_time_set_now(&at);
	status(NULL, w, ivan, "{\"status\":\"investigating\"}");
	accord_time_set_now(NULL);
	forget(w);
	assert_int_equal(accord_ledger_load(&w->l, w->s), 0);
	assert_int_equal(accord_ledger_find_incident(&open, w->l, w->inc), 0);
	assert_int_equal(accord_incident_build(&w->incident, w->l, open), 0);
	assert_string_equal(w->incident->status, "investigating");
	assert_int_equal(accord_clocks_compute(&w->c, w->incident, accord_ledger_parties(w->l),
					       accord_incident_ledger_in_past, w->l, at + HOUR),
			 0);
	for (i = 0; i < w->c->party_count; i++)
		if (!strcmp(w->c->parties[i].party, "globex"))
			pc = &w->c->parties[i];
	assert_non_null(pc);
	assert_near(pc->clocks[2].closed_s, 72 * HOUR);
	assert_near(pc->clocks[2].elapsed_s, 4 * HOUR);
	assert_string_equal(pc->clocks[2].state, "running");
	accord_key_free(ivan);
}

static void test_clock_without_agreement_has_no_verdict(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	accord_buf line = ACCORD_BUF_INIT;
	cJSON *brief;

	open_incident(w);
	pc = compute(w, w->t0 + HOUR);
	assert_null(pc->agreement);
	for (int k = 0; k < ACCORD_CLOCKS; k++) {
		assert_null(pc->clocks[k].state);
		assert_int_equal(pc->clocks[k].target_s, -1);
	}
	assert_near(pc->clocks[0].elapsed_s, HOUR); /* measured all the same */
	assert_near(pc->clocks[1].elapsed_s, 4 * HOUR);

	/* in brief: a null verdict, and the CSV line's empty one */
	brief = accord_clocks_brief_json(w->c);
	assert_non_null(brief);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(brief, 0), "agreement")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetArrayItem(brief, 0), "mitigate"), "state")));
	cJSON_Delete(brief);
	accord_clocks_brief_text(&line, w->c, 1);
	assert_int_equal(strncmp(line.ptr, "globex::", 8), 0);
	accord_buf_dispose(&line);
}

static void test_clock_brief_reports_verdicts(void **state)
{
	world *w = *state;
	accord_buf line = ACCORD_BUF_INIT;
	cJSON *brief, *mit, *full;
	char want[64];

	agree(w);
	open_incident(w);
	status(NULL, w, w->gina, "{\"status\":\"mitigated\"}");
	compute(w, w->t0 + HOUR);
	brief = accord_clocks_brief_json(w->c);
	assert_int_equal(cJSON_GetArraySize(brief), 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(brief, 0), "party")->valuestring,
			    "globex");
	mit = cJSON_GetObjectItem(cJSON_GetArrayItem(brief, 0), "mitigate");
	assert_non_null(mit);
	assert_string_equal(cJSON_GetObjectItem(mit, "state")->valuestring, "met");
	assert_int_equal((int64_t)cJSON_GetObjectItem(mit, "target_s")->valuedouble, 14400);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(mit, "running")));
	cJSON_Delete(brief);

	accord_clocks_brief_text(&line, w->c, 1);
	snprintf(want, sizeof(want), "globex:met:%lld",
		 (long long)w->c->parties[0].clocks[1].elapsed_s);
	assert_string_equal(line.ptr, want);
	accord_buf_dispose(&line);

	full = accord_clocks_to_json(w->c, accord_ledger_parties(w->l));
	assert_non_null(full);
	/* show --json's "clocks": each provider's clocks in full, and the pauses */
	mit = cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(full, "parties"), 0),
				    "clocks"),
		1);
	assert_non_null(mit);
	assert_string_equal(cJSON_GetObjectItem(mit, "name")->valuestring, "mitigate");
	assert_string_equal(cJSON_GetObjectItem(mit, "state")->valuestring, "met");
	assert_string_equal(cJSON_GetObjectItem(mit, "to_entry")->valuestring,
			    w->c->parties[0].clocks[1].to_entry->id);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(full, "pauses")), 0);
	cJSON_Delete(full);
}

static void test_clock_pause_counts_once_cosigned(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;
	char wait[ACCORD_ID_HEXLEN + 1], body[128];

	agree(w);
	open_incident(w);
	/* globex waits on acme: that stops globex's own clock, so it needs acme's word */
	status(wait, w, w->gina, "{\"status\":\"waiting\",\"on\":\"acme\",\"note\":\"need logs\"}");
	pc = compute(w, w->t0 + HOUR);
	assert_int_equal(w->c->pause_count, 1);
	assert_string_equal(w->c->pauses[0].setter, "globex");
	assert_string_equal(w->c->pauses[0].on, "acme");
	assert_string_equal(w->c->pauses[0].note, "need logs");
	assert_true(w->c->pauses[0].needs_cosign);
	assert_null(w->c->pauses[0].cosigned_by);
	assert_false(w->c->pauses[0].counts);
	assert_false(w->c->pauses[0].has_end);
	assert_int_equal(pc->clocks[1].paused_s, 0);
	assert_near(pc->clocks[1].elapsed_s, 4 * HOUR);

	/* acme confirms: the hour since counts as paused */
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", wait);
	append(NULL, w, w->alice, "cosign", w->inc, body);
	pc = compute(w, w->t0 + HOUR);
	assert_non_null(w->c->pauses[0].cosigned_by);
	assert_true(w->c->pauses[0].counts);
	assert_near(pc->clocks[1].paused_s, HOUR);
	assert_near(pc->clocks[1].elapsed_s, 3 * HOUR);

	/* the next status ends the pause */
	status(NULL, w, w->gina, "{\"status\":\"investigating\"}");
	pc = compute(w, w->t0 + 5 * HOUR);
	assert_true(w->c->pauses[0].has_end);
	assert_near(pc->clocks[1].paused_s, 0);
	assert_near(pc->clocks[1].elapsed_s, 8 * HOUR);
}

static void test_clock_waited_on_party_runs_on(void **state)
{
	world *w = *state;
	const accord_party_clocks *pc;

	agree(w);
	open_incident(w);
	/* acme waits on globex: it stops every clock but globex's, and needs no co-signature */
	status(NULL, w, w->alice, "{\"status\":\"waiting\",\"on\":\"globex\"}");
	pc = compute(w, w->t0 + HOUR);
	assert_int_equal(w->c->pause_count, 1);
	assert_string_equal(w->c->pauses[0].setter, "acme");
	assert_false(w->c->pauses[0].needs_cosign);
	assert_true(w->c->pauses[0].counts);
	assert_int_equal(pc->clocks[1].paused_s, 0);
	assert_near(pc->clocks[1].elapsed_s, 4 * HOUR);
	assert_string_equal(pc->clocks[1].state, "running");
}

static int oracle_fails(const accord_entry *later, const accord_entry *earlier, void *payload)
{
	(void)later;
	(void)earlier;
	(void)payload;
	return accord_error_set(ACCORD_ERROR, "the oracle could not answer");
}

static void test_clock_oracle_failure_is_returned(void **state)
{
	world *w = *state;
	accord_clocks *c = (accord_clocks *)&c; /* must stay untouched */

	agree(w);
	open_incident(w);
	append(NULL, w, w->gina, "note", w->inc, "{\"text\":\"looking\"}");
	compute(w, w->t0);
	accord_error_clear();
	assert_int_equal(accord_clocks_compute(&c, w->incident, accord_ledger_parties(w->l),
					       oracle_fails, NULL, w->t0),
			 ACCORD_ERROR);
	assert_ptr_equal(c, (accord_clocks *)&c);
	assert_string_equal(accord_error_last(), "the oracle could not answer");
	accord_clocks_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clock_measured_against_agreement, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clock_terms_not_retroactive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_reopen_resumes_after_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clock_provider_reopen_keeps_dispute, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_clock_provider_dispute_of_reopen_counts_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_mitigate_resumes_where_it_stopped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clock_reopen_keeps_what_the_close_judged,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_partner_reopen_resumes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_without_agreement_has_no_verdict, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clock_brief_reports_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_pause_counts_once_cosigned, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clock_waited_on_party_runs_on, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clock_oracle_failure_is_returned, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
