/* Entries: exact bytes in, exact bytes out; the schemas decide what is valid. */
#include "helpers.h"

static const char good_note[] =
	"{\"v\":2,\"ledger\":\""
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"\",\"author\":\""
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	"\",\"seq\":2,\"prev\":\""
	"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
	"\",\"lamport\":3,\"time\":\"2026-11-23T07:31:19Z\",\"type\":\"note\",\"incident\":\""
	"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\",\"deps\":[\""
	"1111111111111111111111111111111111111111111111111111111111111111\",\""
	"2222222222222222222222222222222222222222222222222222222222222222\"],\"admission\":null,"
	"\"body\":{\"text\":\"hi\"}}";

static void test_entry_parse_valid(void **state)
{
	accord_entry *e = NULL;
	unsigned char h[32];
	char hex[65];

	(void)state;
	assert_int_equal(accord_entry_parse(&e, good_note, strlen(good_note)), 0);
	assert_string_equal(e->type, "note");
	assert_int_equal(e->seq, 2);
	assert_int_equal(e->lamport, 3);
	assert_int_equal(e->time, 1795419079);
	assert_string_equal(accord_entry_str(e, "text"), "hi");
	accord_sha256(h, good_note, strlen(good_note));
	accord_hex_encode(hex, h, 32);
	assert_string_equal(e->id, hex);
	assert_memory_equal(e->raw, good_note, strlen(good_note));
	accord_entry_free(e);
}

/* Replace the first `from` in good_note by `to` and expect the parse to fail with a message containing `why`. */
static void expect_refused(const char *from, const char *to, const char *why)
{
	char buf[4096];
	const char *at = strstr(good_note, from);
	accord_entry *e = NULL;

	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - good_note), good_note, to,
		 at + strlen(from));
	assert_int_equal(accord_entry_parse(&e, buf, strlen(buf)), ACCORD_EINVALID);
	assert_null(e);
	if (!strstr(accord_error_last(), why))
		fail_msg("expected '%s' in '%s' (input %s)", why, accord_error_last(), buf);
}

static void test_entry_parse_refuses_bad_entries(void **state)
{
	(void)state;
	expect_refused("{\"text\":\"hi\"}", "{\"text\":\"hi\",\"fault\":\"partner\"}", "fault");
	expect_refused("{\"text\":\"hi\"}", "{\"text\":\"hi\",\"text\":\"ho\"}", "duplicate");
	expect_refused("\"type\":\"note\"", "\"type\":\"Blame!\"", "");
	expect_refused("\"type\":\"note\"", "\"type\":\"blame\",\"x\":1",
		       ""); /* new types: the envelope still */
	expect_refused("\"seq\":2", "\"seq\":0", "");
	expect_refused("\"seq\":2", "\"seq\":2.5", "");
	expect_refused("2026-11-23T07:31:19Z", "2026-11-23 07:31:19", "");
	expect_refused("\"v\":2", "\"v\":1", "entry format version 1");
	/* a newer accord's entry says so, not "3 is not one of 2, 2, 2..." (attack135 01) */
	expect_refused("\"v\":2", "\"v\":3", "entry format version 3; this accord reads version 2");
	expect_refused("\"v\":2,", "", "");
	/* deps: one encoding of a set (sorted, no duplicates), at most 32 */
	expect_refused(
		"\"1111111111111111111111111111111111111111111111111111111111111111\",\"2222",
		"\"2222222222222222222222222222222222222222222222222222222222222222\",\"1111", "");
	expect_refused("\"2222222222222222222222222222222222222222222222222222222222222222\"]",
		       "\"1111111111111111111111111111111111111111111111111111111111111111\"]", "");
	expect_refused("\"admission\":null", "\"admission\":\"x\"", "");
	expect_refused(",\"admission\":null", "", "");
	expect_refused("{\"text\":\"hi\"}", "{}", "text");
	expect_refused("{\"text\":\"hi\"}", "{\"text\":\"\\ud800\"}", "");
	expect_refused("{\"text\":\"hi\"}", "{\"text\":\"\xc3\x28\"}", "UTF-8");
	expect_refused("\"incident\":\"d", "\"incident\":\"D", "");
	expect_refused("\"body\":{", "\"extra\":1,\"body\":{", "extra");
}

/* A type a newer accord writes: kept (its envelope checked), not interpreted. */
static void test_entry_parse_keeps_unknown_type(void **state)
{
	char buf[4096];
	const char *at = strstr(good_note, "\"type\":\"note\"");
	accord_entry *e = NULL;

	(void)state;
	snprintf(buf, sizeof(buf), "%.*s\"type\":\"escalation\"%s", (int)(at - good_note),
		 good_note, at + strlen("\"type\":\"note\""));
	assert_int_equal(accord_entry_parse(&e, buf, strlen(buf)), 0);
	assert_false(e->known);
	assert_int_equal(e->dep_count, 2);
	assert_int_equal(
		accord_entry_dep_index(
			e, "2222222222222222222222222222222222222222222222222222222222222222"),
		1);
	accord_entry_free(e);
}

/*
 * drop_bytes frees the bytes and the envelope's tree and keeps the body
 * whole; done twice it changes nothing more, even for a body (of a type
 * this version does not know) that holds a "body" of its own.
 */
static void test_entry_drop_bytes_keeps_body(void **state)
{
	char buf[4096];
	const char *at = strstr(good_note, "\"type\":\"note\""),
		   *b = strstr(good_note, "\"body\":");
	accord_entry *e = NULL;
	const cJSON *inner;

	(void)state;
	assert_non_null(b);
	snprintf(buf, sizeof(buf),
		 "%.*s\"type\":\"escalation\"%.*s\"body\":{\"body\":{\"x\":1},\"y\":2}}",
		 (int)(at - good_note), good_note, (int)(b - at - strlen("\"type\":\"note\"")),
		 at + strlen("\"type\":\"note\""));
	assert_int_equal(accord_entry_parse(&e, buf, strlen(buf)), 0);
	accord_entry_drop_bytes(e);
	assert_null(e->raw);
	assert_ptr_equal(e->json, e->body);
	assert_int_equal(accord_entry_int(e, "y", 0), 2);
	accord_entry_drop_bytes(e);
	assert_int_equal(accord_entry_int(e, "y", 0), 2);
	assert_non_null(inner = cJSON_GetObjectItemCaseSensitive(e->body, "body"));
	assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(inner, "x")));
	accord_entry_free(e);
}

/* key-rotate (format 2): the successor's key and nothing else, outside any incident. */
static void test_entry_key_rotate_schema(void **state)
{
	static const char *const bodies[] = {
		"{\"key\":\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\"}", /* valid */
		"{\"key\":\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\",\"member\":\"x\"}",
		"{\"key\":\"eeee\"}",
		"{}",
	};
	const char *type = strstr(good_note, "\"type\":\"note\""),
		   *deps = strstr(good_note, ",\"deps\"");
	const char *tail = strstr(good_note, "\"body\":"),
		   *after_type = type + strlen("\"type\":\"note\"");
	char buf[4096];
	accord_entry *e = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		/* the same envelope, as a key-rotate outside any incident */
		snprintf(buf, sizeof(buf),
			 "%.*s\"type\":\"key-rotate\",\"incident\":null%.*s\"body\":%s}",
			 (int)(type - good_note), good_note, (int)(tail - deps), deps, bodies[i]);
		e = NULL;
		if (i == 0) {
			if (accord_entry_parse(&e, buf, strlen(buf)) != 0)
				fail_msg("%s: %s", buf, accord_error_last());
			assert_true(e->known);
			assert_string_equal(e->type, "key-rotate");
			accord_entry_free(e);
		} else {
			assert_int_equal(accord_entry_parse(&e, buf, strlen(buf)), ACCORD_EINVALID);
		}
	}
	/* in an incident: refused */
	snprintf(buf, sizeof(buf), "%.*s\"type\":\"key-rotate\"%.*s\"body\":%s}",
		 (int)(type - good_note), good_note, (int)(tail - after_type), after_type,
		 bodies[0]);
	assert_int_equal(accord_entry_parse(&e, buf, strlen(buf)), ACCORD_EINVALID);
}

static void test_entry_parse_refuses_oversized(void **state)
{
	size_t n = ACCORD_ENTRY_MAX + 100;
	char *big = malloc(n + 1);
	accord_entry *e = NULL;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, good_note, strlen(good_note));
	big[n] = '\0';
	assert_int_equal(accord_entry_parse(&e, big, n), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "limit"));
	free(big);
}

static void test_entry_build_round_trips(void **state)
{
	accord_pubkey pk = { 0 };
	accord_entry_fields f = { 0 };
	accord_buf out = ACCORD_BUF_INIT;
	accord_entry *e = NULL;
	cJSON *body = cJSON_Parse("{\"score\":4,\"comment\":\"caf\xc3\xa9 \\\"ok\\\"\\n\"}");

	(void)state;
	memset(pk.pk, 7, sizeof(pk.pk));
	accord_pubkey_set_id(&pk);
	f.ledger = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	f.author = &pk;
	f.seq = 5;
	f.prev = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
	f.lamport = 9;
	f.time = 1795419079;
	f.type = "feedback";
	f.incident = f.prev;
	f.body = body;
	assert_int_equal(accord_entry_build(&out, &f), 0);
	assert_int_equal(accord_entry_parse(&e, out.ptr, out.size), 0);
	assert_string_equal(e->type, "feedback");
	assert_int_equal(accord_entry_int(e, "score", 0), 4);
	assert_string_equal(accord_entry_str(e, "comment"), "caf\xc3\xa9 \"ok\"\n");
	assert_string_equal(e->author.id, pk.id);
	accord_entry_free(e);

	/* what the schema refuses is never built */
	cJSON_ReplaceItemInObjectCaseSensitive(body, "score", cJSON_CreateNumber(9));
	assert_int_equal(accord_entry_build(&out, &f), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "score"));
	cJSON_Delete(body);
	accord_buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_parse_valid),
		cmocka_unit_test(test_entry_parse_refuses_bad_entries),
		cmocka_unit_test(test_entry_parse_refuses_oversized),
		cmocka_unit_test(test_entry_parse_keeps_unknown_type),
		cmocka_unit_test(test_entry_drop_bytes_keeps_body),
		cmocka_unit_test(test_entry_key_rotate_schema),
		cmocka_unit_test(test_entry_build_round_trips),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
