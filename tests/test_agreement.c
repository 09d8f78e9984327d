/* Agreed terms: read from signed bodies, saved and loaded, scoped, and the one in force chosen. */
#include "helpers.h"

/* 64 and 32 copies of a one-character string literal: ids and key ids. */
#define X8(c) c c c c c c c c
#define ID(c) X8(X8(c))
#define KEYID(c) X8(c c c c)

static const char *business_hours =
	"{\"with\":\"globex\",\"service\":\"checkout\",\"severity\":1,\"acknowledge_s\":1800,"
	"\"mitigate_s\":14400,\"restore_s\":21600,\"hours\":{\"week\":\"Mon-Fri 08:00-18:00\","
	"\"zone\":\"Europe/Copenhagen\",\"tz\":\"CET-1CEST,M3.5.0,M10.5.0/3\"},"
	"\"csat_target\":80,\"lost_minutes_target\":30}";

/* The body `json` as a real agreement entry by `key` must pass the schema; then its terms. */
static accord_agreement *terms(const accord_key *key, const char *json)
{
	accord_entry_fields ef = { 0 };
	accord_buf raw = ACCORD_BUF_INIT;
	accord_entry *e = NULL;
	cJSON *body = cJSON_Parse(json);
	accord_agreement *a;

	assert_non_null(body);
	ef.ledger = ID("0");
	ef.author = &key->pub;
	ef.seq = 2;
	ef.prev = ID("1");
	ef.lamport = 2;
	ef.time = 1795419079;
	ef.type = "agreement";
	ef.body = body;
	if (accord_entry_build(&raw, &ef) != 0)
		fail_msg("the schema refuses %s: %s", json, accord_error_last());
	assert_int_equal(accord_entry_parse(&e, raw.ptr, raw.size), 0);
	a = accord_agreement_from_body(e->body);
	assert_non_null(a);
	accord_entry_free(e);
	accord_buf_dispose(&raw);
	cJSON_Delete(body);
	return a;
}

static accord_key *key_of(char **dir)
{
	*dir = th_tmpdir();
	return th_key(*dir, "alice");
}

static void test_agreement_from_body(void **state)
{
	char *dir;
	accord_key *k = key_of(&dir);
	accord_agreement *a = terms(k, business_hours), *b;
	cJSON *bad;

	(void)state;
	assert_string_equal(a->provider, "globex");
	assert_string_equal(a->service, "checkout");
	assert_int_equal(a->severity, 1);
	assert_int_equal(a->acknowledge_s, 1800);
	assert_int_equal(a->mitigate_s, 14400);
	assert_int_equal(a->restore_s, 21600);
	assert_string_equal(a->week, "Mon-Fri 08:00-18:00");
	assert_string_equal(a->zone, "Europe/Copenhagen");
	assert_string_equal(a->tz, "CET-1CEST,M3.5.0,M10.5.0/3");
	assert_int_equal(a->csat_target, 80);
	assert_int_equal(a->lost_minutes_target, 30);
	assert_false(a->joint);

	/* the least a body says: every service and severity, 24x7, no targets */
	b = terms(k, "{\"with\":\"initech\",\"acknowledge_s\":60,\"mitigate_s\":120,"
		     "\"restore_s\":180}");
	assert_null(b->service);
	assert_int_equal(b->severity, 0);
	assert_null(b->week);
	assert_null(b->zone);
	assert_null(b->tz);
	assert_int_equal(b->csat_target, -1);
	assert_int_equal(b->lost_minutes_target, -1);
	accord_agreement_free(b);

	/* what does not read: no provider, a provider too long, hours without a tz */
	bad = cJSON_Parse("{\"acknowledge_s\":60}");
	assert_null(accord_agreement_from_body(bad));
	cJSON_Delete(bad);
	bad = cJSON_Parse("{\"with\":\"" ID("x") "x\",\"acknowledge_s\":60}");
	assert_null(accord_agreement_from_body(bad));
	cJSON_Delete(bad);
	bad = cJSON_Parse("{\"with\":\"globex\",\"hours\":{\"week\":\"Mon 08:00-09:00\","
			  "\"zone\":\"UTC\"}}");
	assert_null(accord_agreement_from_body(bad));
	cJSON_Delete(bad);
	accord_agreement_free(a);
	accord_agreement_free(NULL);
	accord_key_free(k);
	th_rmdir(dir);
}

/* Fill in what the authorization state adds to terms. */
static void made_joint(accord_agreement *a, const char *customer, char id, int64_t lamport,
		       const char *joint_key, int64_t joint_seq)
{
	snprintf(a->customer, sizeof(a->customer), "%s", customer);
	memset(a->id, id, 64);
	a->id[64] = '\0';
	memset(a->proposed_by, 'a', 32);
	a->proposed_by[32] = '\0';
	a->proposed_at = 1795419079;
	if (!joint_key)
		return;
	a->joint = 1;
	a->joint_at = 1795419079 + 60;
	memset(a->joint_id, id == 'f' ? 'e' : 'f', 64);
	a->joint_id[64] = '\0';
	snprintf(a->joint_key, sizeof(a->joint_key), "%s", joint_key);
	a->joint_seq = joint_seq;
	a->joint_lamport = lamport;
}

static void test_agreement_save_and_load(void **state)
{
	char *dir;
	accord_key *k = key_of(&dir);
	accord_agreement *a = terms(k, business_hours), *back;
	accord_buf line = ACCORD_BUF_INIT, again = ACCORD_BUF_INIT;

	(void)state;
	made_joint(a, "acme", 'c', 7, KEYID("b"), 3);
	memset(a->withdrawn_by, 'd', 64);
	a->withdrawn_by[64] = '\0';
	accord_agreement_save(&line, a);
	assert_null(strchr(line.ptr, '\n')); /* one line of the state file */
	back = accord_agreement_load(line.ptr);
	assert_non_null(back);
	assert_string_equal(back->id, a->id);
	assert_string_equal(back->customer, "acme");
	assert_int_equal(back->customer_index, a->customer_index);
	assert_string_equal(back->provider, "globex");
	assert_string_equal(back->service, "checkout");
	assert_string_equal(back->tz, a->tz);
	assert_string_equal(back->proposed_by, a->proposed_by);
	assert_int_equal(back->proposed_at, a->proposed_at);
	assert_true(back->joint);
	assert_int_equal(back->joint_at, a->joint_at);
	assert_string_equal(back->joint_id, a->joint_id);
	assert_string_equal(back->joint_key, a->joint_key);
	assert_int_equal(back->joint_seq, 3);
	assert_int_equal(back->joint_lamport, 7);
	assert_string_equal(back->withdrawn_by, a->withdrawn_by);
	/* saved again, the same line */
	accord_agreement_save(&again, back);
	assert_string_equal(again.ptr, line.ptr);
	accord_agreement_free(back);

	/* not joint: loads as not joint */
	a->joint = 0;
	a->withdrawn_by[0] = '\0';
	accord_buf_clear(&line);
	accord_agreement_save(&line, a);
	assert_non_null(back = accord_agreement_load(line.ptr));
	assert_false(back->joint);
	assert_string_equal(back->withdrawn_by, "");
	accord_agreement_free(back);

	/* lines that do not read */
	assert_null(accord_agreement_load(""));
	assert_null(accord_agreement_load("not json"));
	assert_null(accord_agreement_load("{\"with\":\"globex\"}")); /* no id, customer */
	assert_null(accord_agreement_load("{\"with\":\"globex\",\"customer\":\"acme\",\"id\":\"" ID(
		"C") "\",\"proposed_by\":\"" KEYID("a") "\"}")); /* uppercase id */
	assert_null(accord_agreement_load("{\"with\":\"globex\",\"customer\":\"acme\",\"id\":\"" ID(
		"c") "\",\"proposed_by\":\"" KEYID("a") "\",\"joint_id\":\"short\"}"));
	assert_null(accord_agreement_load("{\"with\":\"globex\",\"customer\":\"acme\",\"id\":\"" ID(
		"c") "\",\"proposed_by\":\"" KEYID("a") "\",\"with\":\"initech\"}")); /* twice */
	assert_null(accord_agreement_load("{\"with\":\"globex\",\"customer\":\"acme\",\"id\":\"" ID(
		"c") "\",\"proposed_by\":\"" KEYID("a") "\",\"provider_index\":1}")); /* no customer_index */
	assert_null(accord_agreement_load(
		"{\"with\":\"globex\",\"customer\":\"acme\",\"customer_index\":2,\"id\":\"" ID(
			"c") "\",\"proposed_by\":\"" KEYID("a") "\"}")); /* no provider_index */
	assert_null(accord_agreement_load(
		"{\"with\":\"globex\",\"customer\":\"acme\",\"id\":\"" ID("c") "\",\"proposed_by\":\"" KEYID(
			"a") "\",\"customer_index\":-1,\"provider_index\":1}"));
	assert_non_null(
		back = accord_agreement_load(
			"{\"with\":\"globex\",\"customer\":\"acme\",\"customer_index\":2,\"provider_index\":1,\"id\":\"" ID(
				"c") "\",\"proposed_by\":\"" KEYID("a") "\"}"));
	assert_int_equal(back->customer_index, 2);
	assert_int_equal(back->provider_index, 1);
	accord_agreement_free(back);
	accord_buf_dispose(&line);
	accord_buf_dispose(&again);
	accord_agreement_free(a);
	accord_key_free(k);
	th_rmdir(dir);
}

static void test_agreement_covers_and_scope(void **state)
{
	char *dir;
	accord_key *k = key_of(&dir);
	accord_agreement *svc_sev = terms(k, business_hours);
	accord_agreement *all = terms(k, "{\"with\":\"globex\",\"acknowledge_s\":60,"
					 "\"mitigate_s\":120,\"restore_s\":180}");
	accord_agreement *sev2 =
		terms(k, "{\"with\":\"globex\",\"severity\":2,\"acknowledge_s\":60,"
			 "\"mitigate_s\":120,\"restore_s\":180}");
	accord_agreement *other = terms(k, "{\"with\":\"globex\",\"service\":\"checkout\","
					   "\"severity\":1,\"acknowledge_s\":1,"
					   "\"mitigate_s\":2,\"restore_s\":3}");

	(void)state;
	assert_true(accord_agreement_covers(svc_sev, "checkout", 1));
	assert_false(accord_agreement_covers(svc_sev, "checkout", 2));
	assert_false(accord_agreement_covers(svc_sev, "search", 1));
	assert_false(accord_agreement_covers(svc_sev, NULL, 1));
	assert_true(accord_agreement_covers(all, NULL, 3));
	assert_true(accord_agreement_covers(all, "anything", 1));
	assert_true(accord_agreement_covers(sev2, "search", 2));
	assert_false(accord_agreement_covers(sev2, "search", 1));

	made_joint(svc_sev, "acme", 'c', 1, NULL, 0);
	made_joint(other, "acme", 'd', 1, NULL, 0);
	made_joint(all, "acme", 'e', 1, NULL, 0);
	made_joint(sev2, "acme", 'f', 1, NULL, 0);
	/* other terms, same scope: one supersedes the other */
	assert_true(accord_agreement_same_scope(svc_sev, other));
	assert_false(accord_agreement_same_scope(svc_sev, all));
	assert_false(accord_agreement_same_scope(all, sev2));
	assert_false(accord_agreement_same_scope(svc_sev, sev2));
	snprintf(other->customer, sizeof(other->customer), "initech");
	assert_false(accord_agreement_same_scope(svc_sev, other));
	accord_agreement_free(svc_sev);
	accord_agreement_free(all);
	accord_agreement_free(sev2);
	accord_agreement_free(other);
	accord_key_free(k);
	th_rmdir(dir);
}

/* A `follows` oracle: the incident's open follows every co-signature but of agreement `payload`. */
static int follows_but(const accord_agreement *a, void *payload)
{
	return a->id[0] != *(const char *)payload;
}

static void test_agreement_in_force(void **state)
{
	char *dir;
	accord_key *k = key_of(&dir);
	const char *general = "{\"with\":\"globex\",\"acknowledge_s\":60,\"mitigate_s\":120,"
			      "\"restore_s\":180}";
	accord_agreement *a[6];
	const accord_agreement *got;
	char not_followed;

	(void)state;
	a[0] = terms(k, general); /* every service: joint, early */
	made_joint(a[0], "acme", '0', 5, KEYID("b"), 1);
	a[1] = terms(k, general); /* every service: joint, later */
	made_joint(a[1], "acme", '1', 9, KEYID("b"), 2);
	a[2] = terms(k, business_hours); /* checkout, severity 1: not joint */
	made_joint(a[2], "acme", '2', 0, NULL, 0);
	a[3] = terms(k, "{\"with\":\"globex\",\"severity\":1,\"acknowledge_s\":60,"
			"\"mitigate_s\":120,\"restore_s\":180}"); /* severity 1: joint */
	made_joint(a[3], "acme", '3', 6, KEYID("b"), 3);
	a[4] = terms(k, "{\"with\":\"globex\",\"service\":\"checkout\",\"acknowledge_s\":60,"
			"\"mitigate_s\":120,\"restore_s\":180}"); /* checkout: joint */
	made_joint(a[4], "acme", '4', 7, KEYID("b"), 4);
	a[5] = terms(k, "{\"with\":\"initech\",\"service\":\"checkout\",\"severity\":1,"
			"\"acknowledge_s\":60,\"mitigate_s\":120,\"restore_s\":180}");
	made_joint(a[5], "acme", '5', 8, KEYID("c"), 1); /* another provider */

	/* the most specific scope wins: a service before a severity before neither */
	got = accord_agreement_in_force(a, 6, "acme", "globex", "checkout", 1, NULL, NULL);
	assert_ptr_equal(got, a[4]);
	got = accord_agreement_in_force(a, 6, "acme", "globex", "search", 1, NULL, NULL);
	assert_ptr_equal(got, a[3]);
	/* of the same scope, the latest co-signed */
	got = accord_agreement_in_force(a, 6, "acme", "globex", "search", 2, NULL, NULL);
	assert_ptr_equal(got, a[1]);
	/* the provider and customer matter; NULL means any */
	got = accord_agreement_in_force(a, 6, "acme", "initech", "checkout", 1, NULL, NULL);
	assert_ptr_equal(got, a[5]);
	assert_null(accord_agreement_in_force(a, 6, "acme", "initech", "search", 1, NULL, NULL));
	assert_null(accord_agreement_in_force(a, 6, "hooli", "globex", "checkout", 1, NULL, NULL));
	got = accord_agreement_in_force(a, 6, NULL, NULL, "search", 2, NULL, NULL);
	assert_ptr_equal(got, a[1]);
	/* only what the incident's open causally follows */
	not_followed = '4';
	got = accord_agreement_in_force(a, 6, "acme", "globex", "checkout", 1, follows_but,
					&not_followed);
	assert_ptr_equal(got, a[3]);
	not_followed = '1';
	got = accord_agreement_in_force(a, 6, "acme", "globex", "search", 2, follows_but,
					&not_followed);
	assert_ptr_equal(got, a[0]);
	assert_null(accord_agreement_in_force(a, 0, "acme", "globex", "search", 2, NULL, NULL));

	/*
	 * A namesake (another party named acme, index 1) co-signs laxer terms
	 * later, and more specific ones: neither replaces acme's, the stricter
	 * of the two parties' terms in force holds. Its stricter terms would.
	 */
	{
		accord_agreement *ns[3] = { a[1], NULL, NULL };

		ns[1] = terms(k, "{\"with\":\"globex\",\"acknowledge_s\":6000,\"mitigate_s\":12000,"
				 "\"restore_s\":18000}");
		made_joint(ns[1], "acme", '6', 20, KEYID("b"), 5);
		ns[1]->customer_index = 1;
		ns[2] = terms(k,
			      "{\"with\":\"globex\",\"service\":\"search\",\"acknowledge_s\":6000,"
			      "\"mitigate_s\":12000,\"restore_s\":18000}");
		made_joint(ns[2], "acme", '7', 21, KEYID("b"), 6);
		ns[2]->customer_index = 1;
		got = accord_agreement_in_force(ns, 3, "acme", "globex", "search", 2, NULL, NULL);
		assert_ptr_equal(got, a[1]);
		/* the same terms from acme's own party: later and more specific, they replace */
		ns[1]->customer_index = ns[2]->customer_index = 0;
		got = accord_agreement_in_force(ns, 3, "acme", "globex", "search", 2, NULL, NULL);
		assert_ptr_equal(got, ns[2]);
		/* the namesake's stricter terms hold over acme's */
		ns[1]->customer_index = ns[2]->customer_index = 1;
		ns[2]->restore_s = 10;
		got = accord_agreement_in_force(ns, 3, "acme", "globex", "search", 2, NULL, NULL);
		assert_ptr_equal(got, ns[2]);
		accord_agreement_free(ns[1]);
		accord_agreement_free(ns[2]);
	}

	/* later: by Lamport clock, then co-signer key, then seq */
	assert_true(accord_agreement_later(a[1], a[0]));
	assert_false(accord_agreement_later(a[0], a[1]));
	a[0]->joint_lamport = a[1]->joint_lamport;
	assert_true(accord_agreement_later(a[1], a[0])); /* same key, higher seq */
	snprintf(a[0]->joint_key, sizeof(a[0]->joint_key), KEYID("c"));
	assert_true(accord_agreement_later(a[0], a[1]));
	for (int i = 0; i < 6; i++)
		accord_agreement_free(a[i]);
	accord_key_free(k);
	th_rmdir(dir);
}

static void test_agreement_to_json_matches_schema(void **state)
{
	char *dir;
	accord_key *k = key_of(&dir);
	accord_agreement *joint = terms(k, business_hours);
	accord_agreement *proposed = terms(k, "{\"with\":\"globex\",\"acknowledge_s\":60,"
					      "\"mitigate_s\":120,\"restore_s\":180}");
	accord_schema_registry *reg = NULL;
	cJSON *doc = cJSON_CreateObject(), *list, *o;

	(void)state;
	made_joint(joint, "acme", 'c', 7, KEYID("b"), 3);
	made_joint(proposed, "acme", 'd', 0, NULL, 0);
	assert_non_null(doc);
	cJSON_AddStringToObject(doc, "ledger", ID("0"));
	list = cJSON_AddArrayToObject(doc, "agreements");

	o = accord_agreement_to_json(joint);
	assert_string_equal(cJSON_GetObjectItem(o, "customer")->valuestring, "acme");
	assert_string_equal(cJSON_GetObjectItem(o, "provider")->valuestring, "globex");
	assert_string_equal(cJSON_GetObjectItem(o, "cosigned_by")->valuestring, joint->joint_id);
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(o, "hours"), "zone")->valuestring,
		"Europe/Copenhagen");
	assert_int_equal(cJSON_GetObjectItem(o, "csat_target")->valueint, 80);
	/* the caller adds the state; the rest is the module's */
	cJSON_AddStringToObject(o, "state", "in-force");
	cJSON_AddNullToObject(o, "superseded_by");
	cJSON_AddNullToObject(o, "withdrawn_by");
	cJSON_AddItemToArray(list, o);

	o = accord_agreement_to_json(proposed);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "service")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "severity")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "hours")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "csat_target")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "joint_at")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "cosigned_by")));
	cJSON_AddStringToObject(o, "state", "proposed");
	cJSON_AddNullToObject(o, "superseded_by");
	cJSON_AddNullToObject(o, "withdrawn_by");
	cJSON_AddItemToArray(list, o);

	assert_int_equal(accord_schema_builtin(&reg), 0);
	if (accord_schema_validate(reg, ACCORD_SCHEMA_BASE "agreements.schema.json", doc) != 0)
		fail_msg("agreement JSON does not match its schema: %s", accord_error_last());
	/* the check can fail */
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(list, 1), "acknowledge_s",
				  cJSON_CreateNumber(0));
	assert_int_not_equal(
		accord_schema_validate(reg, ACCORD_SCHEMA_BASE "agreements.schema.json", doc), 0);
	cJSON_Delete(doc);
	accord_agreement_free(joint);
	accord_agreement_free(proposed);
	accord_key_free(k);
	th_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agreement_from_body),
		cmocka_unit_test(test_agreement_save_and_load),
		cmocka_unit_test(test_agreement_covers_and_scope),
		cmocka_unit_test(test_agreement_in_force),
		cmocka_unit_test(test_agreement_to_json_matches_schema),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
