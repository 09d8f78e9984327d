/* Reports: percentiles, period clipping, filters, the schema and hostile text in every format. */
#include "helpers.h"

#include "accord/report.h"
#include "report_data.h" /* the report's figures: private to lib/report */

static void test_report_percentile_nearest_rank(void **state)
{
	int64_t five[] = { 50, 10, 30, 20, 40 }, two[] = { 86400, 21600 }, one[] = { 7 };
	int64_t ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };

	(void)state;
	/* rank ceil(p/100 x n): n=5 -> median 3rd, p90 5th */
	assert_int_equal(accord_report_percentile(five, 5, 50), 30);
	assert_int_equal(accord_report_percentile(five, 5, 90), 50);
	/* n=2: the median is the lower value (rank 1), p90 the upper (rank ceil(1.8) = 2) */
	assert_int_equal(accord_report_percentile(two, 2, 50), 21600);
	assert_int_equal(accord_report_percentile(two, 2, 90), 86400);
	assert_int_equal(accord_report_percentile(one, 1, 90), 7);
	/* n=10: p90 is rank 9, p50 rank 5 */
	assert_int_equal(accord_report_percentile(ten, 10, 90), 9);
	assert_int_equal(accord_report_percentile(ten, 10, 50), 5);
	assert_int_equal(accord_report_percentile(NULL, 0, 50), 0);
}

/* A ledger of two incidents by one party; returns the loaded ledger. */
static accord_ledger *two_incidents(accord_store *s, accord_key *k, char *i1, char *i2)
{
	accord_ledger *l = NULL;
	char x[65];

	th_set_now("2026-11-20T09:00:00Z");
	assert_int_equal(
		th_append(
			i1, s, k, "open", NULL,
			"{\"title\":\"Web down\",\"severity\":1,\"service\":\"web\",\"started_at\":"
			"\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		0);
	/* 100 customers 10:00-11:30 (90 min), 10 customers from 12:00, still open */
	assert_int_equal(
		th_append(
			x, s, k, "impact", i1,
			"{\"customers\":100,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"2026-11-20T11:30:00Z\"}"),
		0);
	assert_int_equal(th_append(x, s, k, "impact", i1,
				   "{\"customers\":10,\"start\":\"2026-11-20T12:00:00Z\"}"),
			 0);
	assert_int_equal(
		th_append(x, s, k, "sla", i1, "{\"name\":\"a\",\"target_s\":600,\"actual_s\":60}"),
		0);
	assert_int_equal(th_append(x, s, k, "feedback", i1, "{\"score\":1,\"lost_minutes\":5}"), 0);
	assert_int_equal(th_append(x, s, k, "feedback", i1, "{\"score\":3}"), 0);
	/* hostile text in a factor: markup (the schemas refuse terminal escapes; see below) */
	assert_int_equal(
		th_append(
			x, s, k, "resolution", i1,
			"{\"summary\":\"s\",\"factors\":[\"red <script>x</script> | a,b\"],"
			"\"went_well\":[],\"went_wrong\":[],\"lucky\":[],\"actions\":["
			"{\"text\":\"=HYPERLINK(1)\",\"owners\":[\"acme\"],\"due\":\"2026-11-19\"}]}"),
		0);
	assert_int_equal(
		th_append(
			i2, s, k, "open", NULL,
			"{\"title\":\"=cmd|' /C calc'!A0\",\"severity\":3,\"service\":\"mail\",\"started_at\":"
			"\"2026-11-25T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		0);
	assert_int_equal(accord_ledger_open(&l, s, NULL), 0);
	return l;
}

static accord_report *compute(const accord_ledger *l, const char *since, const char *until,
			      const char *now, const char *service)
{
	accord_report_options o = ACCORD_REPORT_OPTIONS_INIT;
	accord_report *r = NULL;

	assert_int_equal(accord_time_parse(&o.now, now), 0);
	if (since) {
		o.has_since = 1;
		assert_int_equal(accord_time_parse(&o.since, since), 0);
	}
	if (until) {
		o.has_until = 1;
		assert_int_equal(accord_time_parse(&o.until, until), 0);
	}
	o.service = service;
	if (accord_report_compute(&r, l, &o) != 0)
		fail_msg("compute: %s", accord_error_last());
	return r;
}

static void test_report_period_and_clipping(void **state)
{
	char *dir = th_tmpdir();
	accord_key *k = th_key(dir, "alice");
	accord_store *s = th_ledger(dir, k, "acme");
	char i1[65], i2[65];
	accord_ledger *l = two_incidents(s, k, i1, i2);
	accord_report *r;
	accord_report_options bad = ACCORD_REPORT_OPTIONS_INIT;

	(void)state;
	/* now 13:00: 100 x 90 + 10 x 60 = 9600 customer-minutes; I2 starts later, outside */
	r = compute(l, NULL, NULL, "2026-11-20T13:00:00Z", NULL);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->customer_seconds, 9600 * 60);
	assert_int_equal(r->customers, 100);
	assert_int_equal(r->longest_s, 90 * 60);
	assert_int_equal(r->watermelons, 1); /* SLA met, mean (1 + 3) / 2 = 2 */
	assert_int_equal(r->actions_overdue, 1);
	assert_int_equal(r->lost_median, 5);
	accord_report_free(r);
	/* [11:00, 12:30): 100 x 30 + 10 x 30 = 3300 */
	r = compute(l, "2026-11-20T11:00:00Z", "2026-11-20T12:30:00Z", "2026-11-20T13:00:00Z",
		    NULL);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->customer_seconds, 3300 * 60);
	assert_int_equal(r->longest_s, 30 * 60);
	accord_report_free(r);
	/* a period between the windows holds nothing: [11:30, 12:00) touches both ends only */
	r = compute(l, "2026-11-20T11:30:00Z", "2026-11-20T12:00:00Z", "2026-11-20T13:00:00Z",
		    NULL);
	assert_int_equal(r->count, 0);
	assert_null(r->longest);
	accord_report_free(r);
	/* I2 has no windows: it belongs when its start falls in the period; I1's open window runs on */
	r = compute(l, "2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z", "2026-11-30T00:00:00Z",
		    NULL);
	assert_int_equal(r->count, 2);
	assert_string_equal(r->incidents[1].incident->service, "mail");
	assert_int_equal(r->customer_seconds, 10 * 86400);
	accord_report_free(r);
	r = compute(l, "2026-11-25T11:00:00Z", "2026-11-26T00:00:00Z", "2026-11-25T12:00:00Z",
		    NULL);
	assert_int_equal(r->count, 1); /* I2 started 10:00, before the period */
	assert_string_equal(r->incidents[0].incident->service, "web");
	accord_report_free(r);
	r = compute(l, NULL, NULL, "2026-11-30T00:00:00Z", "mail");
	assert_int_equal(r->count, 1);
	accord_report_free(r);
	bad.has_since = bad.has_until = 1;
	bad.since = bad.until = 100;
	r = NULL;
	assert_int_equal(accord_report_compute(&r, l, &bad), ACCORD_EINVALID);
	assert_null(r);
	/* options of another version are refused, never misread */
	bad = (accord_report_options)ACCORD_REPORT_OPTIONS_INIT;
	bad.version = ACCORD_REPORT_OPTIONS_VERSION + 1;
	assert_int_equal(accord_report_compute(&r, l, &bad), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "accord_report_options version"));
	assert_null(r);
	accord_ledger_free(l);
	accord_store_free(s);
	accord_key_free(k);
	th_rmdir(dir);
	th_set_now(NULL);
}

/* Every control class the schemas refuse: CSI, OSC 52 (clipboard), conceal, a C1 CSI, RLO, LRI, PDI. */
#define HOSTILE                                           \
	"up\033[2A\033[2K\033]52;c;aGk=\a\033[8m\xc2\x9b" \
	"31m\xe2\x80\xae"                                 \
	"exe.txt\xe2\x81\xa6x\xe2\x81\xa9"

/* None of HOSTILE's controls is in `out` as such; each is there escaped (\\ in Markdown). */
static void check_defused(const char *out, int md)
{
	static const char *const raw[] = { "\033[2A",	   "\033[2K",	   "\033]52",
					   "\033[8m",	   "\a",	   "\xc2\x9b",
					   "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa9" };
	static const char *const shown[] = { "x1b", "x07", "u009b", "u202e", "u2066", "u2069" };
	size_t i;

	for (i = 0; i < sizeof(raw) / sizeof(*raw); i++)
		if (strstr(out, raw[i]))
			fail_msg("raw control #%zu reached the output:\n%s", i, out);
	for (i = 0; i < sizeof(shown) / sizeof(*shown); i++) {
		char want[64];

		snprintf(want, sizeof(want), "%s%s", md ? "\\\\" : "\\", shown[i]);
		if (!strstr(out, want))
			fail_msg("expected %s in the output", want);
	}
}

/* Cells a spreadsheet would run as formulas get a leading quote; others are left alone. */
static void test_report_csv_defuses_formulas(void **state)
{
	static const struct {
		const char *title, *cell;
	} cases[] = {
		{ "=1+1", ",'=1+1," },
		{ " =1+1", ",\"' =1+1\"," }, /* leading space, so quoted too */
		{ "   @SUM(A1)", ",\"'   @SUM(A1)\"," },
		{ "\xc2\xa0+1", ",'\xc2\xa0+1," },	   /* no-break space */
		{ "\xe3\x80\x80-1", ",'\xe3\x80\x80-1," }, /* ideographic space */
		{ "\xef\xbc\x9d"
		  "1+1",
		  ",'\xef\xbc\x9d"
		  "1+1," }, /* fullwidth = */
		{ "\xef\xbc\x8b"
		  "1",
		  ",'\xef\xbc\x8b"
		  "1," }, /* fullwidth + */
		{ "\xef\xbc\x8d"
		  "1",
		  ",'\xef\xbc\x8d"
		  "1," },				 /* fullwidth - */
		{ "\xef\xbc\xa0x", ",'\xef\xbc\xa0x," }, /* fullwidth @ */
		{ "\t=1", ",'\\x09=1," },		 /* tab: escaped, and quoted all the same */
		{ "\r=1", ",'\\x0d=1," },
		{ "a=1", ",a=1," },
		{ " plain", ",\"' plain\"," },		   /* any leading space counts */
		{ "\xef\xbc\xa1=1", ",'\xef\xbc\xa1=1," }, /* anything not ASCII first counts */
		{ "\xe1\x9a\x80=1", ",'\xe1\x9a\x80=1," }, /* U+1680 Ogham space mark */
		{ "\xe2\x80\x8e=1",
		  ",'\\u200e=1," }, /* U+200E left-to-right mark: escaped, still guarded */
		{ "\xe2\x81\xa0=1", ",'\xe2\x81\xa0=1," }, /* U+2060 word joiner */
		{ "\xe2\x88\x92"
		  "1",
		  ",'\xe2\x88\x92"
		  "1," }, /* U+2212 minus sign */
		{ "\xef\xb9\xa6"
		  "1",
		  ",'\xef\xb9\xa6"
		  "1," },		      /* U+FE66 small equals */
		{ "|calc", ",'|calc," },      /* DDE */
		{ "(EU) Web", ",(EU) Web," }, /* safe punctuation stays as it is */
	};
	char *dir = th_tmpdir();
	accord_key *k = th_key(dir, "alice");
	accord_store *s = th_ledger(dir, k, "acme");
	char i1[65], i2[65];
	accord_ledger *l = two_incidents(s, k, i1, i2);
	accord_report *r = compute(l, NULL, NULL, "2026-11-30T00:00:00Z", NULL);
	accord_report_meta meta = { 0 };
	size_t i;

	(void)state;
	meta.verified = 1;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		accord_buf b = ACCORD_BUF_INIT;

		((accord_incident *)r->incidents[1].incident)->title = cases[i].title;
		assert_int_equal(accord_report_render(&b, r, &meta, ACCORD_REPORT_CSV, 0), 0);
		if (!strstr(b.ptr, cases[i].cell))
			fail_msg("case %zu: expected %s in:\n%s", i, cases[i].cell, b.ptr);
		/* one table: the header row first, no comment lines */
		assert_memory_equal(b.ptr, "id,title,", 9);
		assert_null(strstr(b.ptr, "\n#"));
		accord_buf_dispose(&b);
	}
	accord_report_free(r);
	accord_ledger_free(l);
	accord_store_free(s);
	accord_key_free(k);
	th_rmdir(dir);
	th_set_now(NULL);
}

static void test_report_formats_schema_and_hostile_text(void **state)
{
	char *dir = th_tmpdir();
	accord_key *k = th_key(dir, "alice");
	accord_store *s = th_ledger(dir, k, "acme");
	char i1[65], i2[65];
	accord_ledger *l = two_incidents(s, k, i1, i2);
	accord_report *r = compute(l, NULL, NULL, "2026-11-30T00:00:00Z", NULL);
	accord_report_meta meta = { 0 };
	accord_schema_registry *reg = NULL;
	accord_report_format f;
	cJSON *doc;
	const char *feeds[] = { "0123456789abcdef0123456789abcdef" }, *from[] = { NULL };
	static const accord_report_format all[] = { ACCORD_REPORT_TEXT, ACCORD_REPORT_MD,
						    ACCORD_REPORT_CSV, ACCORD_REPORT_JSON,
						    ACCORD_REPORT_HTML };
	size_t i;

	(void)state;
	meta.verified = 1;
	doc = accord_report_to_json(r, &meta);
	assert_int_equal(accord_schema_builtin(&reg), 0);
	if (accord_schema_validate(reg, ACCORD_SCHEMA_BASE "report.schema.json", doc) != 0)
		fail_msg("report does not match its schema: %s", accord_error_last());
	/* the schema can fail: a figure of the wrong type is refused */
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "sla"), "met",
					       cJSON_CreateString("all"));
	assert_int_equal(accord_schema_validate(reg, ACCORD_SCHEMA_BASE "report.schema.json", doc),
			 ACCORD_EINVALID);
	cJSON_Delete(doc);
	/* unverified data: every format says so */
	meta.verified = 0;
	meta.verify_message = "entry 1234 (feed 0123): bad signature";
	meta.excluded_feeds = feeds;
	meta.excluded_from = from;
	meta.excluded_count = 1;
	doc = accord_report_to_json(r, &meta);
	assert_int_equal(accord_schema_validate(reg, ACCORD_SCHEMA_BASE "report.schema.json", doc),
			 0);
	cJSON_Delete(doc);
	/*
	 * The schemas refuse controls, so a ledger cannot hold them; an entry
	 * that slipped past (an older ledger, a bug) must still be shown, not
	 * obeyed. Put one in place of a title after verification.
	 */
	((accord_incident *)r->incidents[0].incident)->title = HOSTILE;
	for (i = 0; i < sizeof(all) / sizeof(*all); i++) {
		accord_buf b = ACCORD_BUF_INIT;

		assert_int_equal(
			accord_report_render(&b, r, &meta, all[i], all[i] == ACCORD_REPORT_TEXT),
			0);
		assert_non_null(strstr(b.ptr, all[i] == ACCORD_REPORT_JSON ? "\"partial\""
					      : all[i] == ACCORD_REPORT_CSV
						      ? ",PARTIAL (entries left out)\r\n"
						      : "PARTIAL"));
		if (all[i] != ACCORD_REPORT_JSON)
			check_defused(b.ptr, all[i] == ACCORD_REPORT_MD);
		if (all[i] == ACCORD_REPORT_HTML) {
			assert_non_null(strstr(b.ptr, "&lt;script&gt;"));
			assert_null(strstr(b.ptr, "<script"));
			assert_non_null(strstr(b.ptr, "<svg"));
			/* the histogram's own labels too: a raw "< 1h" made the SVG no XML (explore60a 07) */
			assert_non_null(strstr(b.ptr, ">&lt; 1h</text>"));
			assert_non_null(strstr(b.ptr, ">&gt;= 30d</text>"));
			assert_null(strstr(b.ptr, ">< 1h"));
		}
		if (all[i] == ACCORD_REPORT_CSV) {
			/* formulas are defused */
			assert_non_null(strstr(b.ptr, ",'=cmd|' /C calc'!A0,mail,"));
			assert_null(strstr(b.ptr, ",=cmd"));
		}
		if (all[i] == ACCORD_REPORT_MD)
			assert_non_null(strstr(b.ptr, "\\</script\\> \\| a,b"));
		accord_buf_dispose(&b);
	}
	{
		/* the CSV's metadata, in a file of its own, says so too (and escapes the message) */
		accord_buf b = ACCORD_BUF_INIT;

		meta.verify_message = "bad \033[8m signature";
		accord_report_render_csv_meta(&b, r, &meta);
		assert_memory_equal(b.ptr, "key,value\r\n", 11);
		assert_non_null(strstr(b.ptr, "\r\nverification,PARTIAL\r\n"));
		assert_non_null(
			strstr(b.ptr, "\r\nverification_message,bad \\x1b[8m signature\r\n"));
		assert_non_null(strstr(
			b.ptr,
			"\r\nwarning,entries that do not count were left out (accord audit explains them)\r\n"));
		assert_non_null(strstr(b.ptr, "\r\ndefinition customer_minutes,"));
		accord_buf_dispose(&b);
	}
	assert_int_equal(accord_report_format_parse(&f, "html"), 0);
	assert_int_equal(f, ACCORD_REPORT_HTML);
	assert_int_equal(accord_report_format_parse(&f, "pdf"), ACCORD_EINVALID);
	accord_report_free(r);
	accord_report_free(NULL);
	accord_ledger_free(l);
	accord_store_free(s);
	accord_key_free(k);
	th_rmdir(dir);
	th_set_now(NULL);
}

/*
 * Sums never wrap: two incidents of 10^10 customers over a thousand years pass
 * INT64_MAX customer-seconds and saturate there, per incident and in total;
 * an incident voided by its only party leaves every figure, counted apart.
 */
static void test_report_sums_saturate_and_void_leaves(void **state)
{
	char *dir = th_tmpdir();
	accord_key *k = th_key(dir, "alice");
	accord_store *s = th_ledger(dir, k, "acme");
	accord_ledger *l = NULL;
	accord_report *r;
	char i1[65], i2[65], i3[65], x[65];
	static const char open_body[] =
		"{\"title\":\"t\",\"severity\":1,\"service\":\"web\",\"started_at\":"
		"\"1000-01-01T00:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}";
	static const char window[] =
		"{\"customers\":10000000000,\"start\":\"1000-01-01T00:00:00Z\","
		"\"end\":\"2000-01-01T00:00:00Z\"}";
	cJSON *j;

	(void)state;
	assert_int_equal(th_append(i1, s, k, "open", NULL, open_body), 0);
	assert_int_equal(th_append(x, s, k, "impact", i1, window), 0);
	assert_int_equal(th_append(i2, s, k, "open", NULL, open_body), 0);
	assert_int_equal(th_append(x, s, k, "impact", i2, window), 0);
	assert_int_equal(th_append(i3, s, k, "open", NULL, open_body), 0);
	assert_int_equal(th_append(x, s, k, "impact", i3,
				   "{\"customers\":5,\"start\":\"1000-01-01T00:00:00Z\"}"),
			 0);
	assert_int_equal(th_append(x, s, k, "void", i3, "{\"reason\":\"test\"}"), 0);
	assert_int_equal(accord_ledger_load(&l, s), 0);
	r = compute(l, NULL, NULL, "2026-11-20T00:00:00Z", NULL);
	assert_int_equal(r->count, 2);
	assert_int_equal(r->voided, 1);
	/* 10^10 x 3.16e10 s is past INT64_MAX already for one incident */
	assert_true(r->incidents[0].customer_seconds == INT64_MAX);
	assert_true(r->customer_seconds == INT64_MAX);
	assert_true(accord_saturated(r->customer_seconds));
	j = accord_report_to_json(r, &(accord_report_meta){ 0 });
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "customer_impact"), "saturated")));
	assert_true(cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(j, "incidents"), "void")
			    ->valuedouble == 1);
	cJSON_Delete(j);
	accord_report_free(r);
	accord_ledger_free(l);
	accord_store_free(s);
	accord_key_free(k);
	th_rmdir(dir);
}

/* globex's row of report `r`: its own (admitted 0) or the one apart (1), or NULL. */
static const accord_report_provider *row_of(const accord_report *r, int admitted)
{
	size_t i;

	for (i = 0; i < r->provider_count; i++)
		if (!strcmp(r->providers[i].name, "globex") && r->providers[i].admitted == admitted)
			return &r->providers[i];
	return NULL;
}

/*
 * Probes a provider opens facing its real customer, under their terms, and
 * resolves at once rest on its word alone: they go to its row apart until
 * the customer writes on one (attack45 01). A void the customer proposes
 * says nothing for an incident.
 */
static void test_report_silent_customer_apart(void **state)
{
	char *dir = th_tmpdir();
	accord_key *alice = th_key(dir, "alice"), *gina = th_key(dir, "gina"),
		   *ivan = th_key(dir, "ivan");
	accord_store *s;
	accord_ledger *l = NULL;
	accord_report *r;
	char ag[65], real[65], p1[65], p2[65], r1[65], x[65], body[256];
	static const char probe[] =
		"{\"title\":\"probe\",\"severity\":1,\"service\":\"api\",\"started_at\":\"2026-11-20T09:00:00Z\","
		"\"parties\":[\"globex\",\"acme\"],\"tickets\":[]}";

	(void)state;
	th_set_now("2026-11-20T08:00:00Z");
	s = th_ledger(dir, alice, "acme");
	th_invite(s, alice, gina, "globex");
	th_append_ok(ag, s, alice, "agreement", NULL,
		     "{\"with\":\"globex\",\"service\":\"api\",\"acknowledge_s\":300,"
		     "\"mitigate_s\":1800,\"restore_s\":3600}");
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", ag);
	th_append_ok(x, s, gina, "cosign", NULL, body);
	th_set_now("2026-11-20T09:00:00Z");
	th_append_ok(
		real, s, alice, "open", NULL,
		"{\"title\":\"api down\",\"severity\":1,\"service\":\"api\",\"started_at\":\"2026-11-20T09:00:00Z\","
		"\"parties\":[\"acme\",\"globex\"],\"tickets\":[]}");
	th_append_ok(p1, s, gina, "open", NULL, probe);
	th_append_ok(r1, s, gina, "status", p1, "{\"status\":\"resolved\"}");
	th_append_ok(p2, s, gina, "open", NULL, probe);
	th_append_ok(x, s, gina, "status", p2, "{\"status\":\"resolved\"}");
	th_append_ok(x, s, alice, "void", p2, "{\"reason\":\"not ours\"}");
	assert_int_equal(accord_ledger_load(&l, s), 0);
	r = compute(l, NULL, NULL, "2026-11-20T12:00:00Z", NULL);
	assert_non_null(row_of(r, 0));
	assert_int_equal(row_of(r, 0)->incidents, 1);
	assert_int_equal(row_of(r, 0)->brought_in, 2);
	assert_non_null(row_of(r, 1));
	assert_int_equal(row_of(r, 1)->incidents, 2);
	assert_int_equal(r->brought_in, 2);
	accord_report_free(r);
	accord_ledger_free(l);

	/* acme disputes a probe's time: no word for it either (attack46 09) */
	snprintf(body, sizeof(body),
		 "{\"entry\":\"%s\",\"at\":\"2026-11-20T09:00:00Z\",\"reason\":\"r\"}", r1);
	th_append_ok(x, s, alice, "dispute", p1, body);
	assert_int_equal(accord_ledger_load(&l, s), 0);
	r = compute(l, NULL, NULL, "2026-11-20T12:00:00Z", NULL);
	assert_int_equal(row_of(r, 0)->incidents, 1);
	accord_report_free(r);
	accord_ledger_free(l);

	/* acme writes on a probe: its word, so it counts in globex's own row */
	th_append_ok(x, s, alice, "note", p1, "{\"text\":\"seen it\"}");
	assert_int_equal(accord_ledger_load(&l, s), 0);
	r = compute(l, NULL, NULL, "2026-11-20T12:00:00Z", NULL);
	assert_int_equal(row_of(r, 0)->incidents, 2);
	assert_int_equal(row_of(r, 1)->incidents, 1);
	accord_report_free(r);
	accord_ledger_free(l);

	/*
	 * acme co-signs globex's void of a third probe, which globex then keeps
	 * from taking effect by involving a party of its own: acme's signature
	 * on the void is no word for the probe (attack47 11).
	 */
	th_invite(s, gina, ivan, "initech");
	th_append_ok(p2, s, gina, "open", NULL, probe);
	th_append_ok(x, s, gina, "status", p2, "{\"status\":\"resolved\"}");
	th_append_ok(r1, s, gina, "void", p2, "{\"reason\":\"a probe\"}");
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", r1);
	th_append_ok(x, s, alice, "cosign", p2, body);
	th_append_ok(x, s, gina, "involve", p2, "{\"party\":\"initech\"}");
	assert_int_equal(accord_ledger_load(&l, s), 0);
	r = compute(l, NULL, NULL, "2026-11-20T12:00:00Z", NULL);
	assert_int_equal(r->voided, 0);
	assert_int_equal(row_of(r, 0)->incidents, 2);
	assert_int_equal(row_of(r, 1)->incidents, 2);
	accord_report_free(r);
	accord_ledger_free(l);
	th_set_now(NULL);
	accord_store_free(s);
	accord_key_free(alice);
	accord_key_free(gina);
	accord_key_free(ivan);
	th_rmdir(dir);
}

/* One incident of service web, owned action by acme, with lost minutes, in a fresh ledger. */
static accord_ledger *one_incident(accord_store *s, accord_key *k, int customers, const char *end,
				   const char *lost)
{
	accord_ledger *l = NULL;
	char id[65], x[65], body[256];

	th_set_now("2026-11-20T09:00:00Z");
	assert_int_equal(
		th_append(
			id, s, k, "open", NULL,
			"{\"title\":\"Web down\",\"severity\":2,\"service\":\"web\",\"started_at\":"
			"\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}"),
		0);
	snprintf(body, sizeof(body),
		 "{\"customers\":%d,\"start\":\"2026-11-20T10:00:00Z\",\"end\":\"%s\"}", customers,
		 end);
	assert_int_equal(th_append(x, s, k, "impact", id, body), 0);
	for (; *lost; lost += strcspn(lost, ",") + (lost[strcspn(lost, ",")] == ',')) {
		snprintf(body, sizeof(body), "{\"score\":2,\"lost_minutes\":%d}", atoi(lost));
		assert_int_equal(th_append(x, s, k, "feedback", id, body), 0);
	}
	assert_int_equal(
		th_append(
			x, s, k, "resolution", id,
			"{\"summary\":\"s\",\"factors\":[\"f\"],\"went_well\":[],\"went_wrong\":[],\"lucky\":[],"
			"\"actions\":[{\"text\":\"a\",\"owners\":[\"acme\"],\"due\":\"2026-12-31\"}]}"),
		0);
	assert_int_equal(accord_ledger_open(&l, s, NULL), 0);
	return l;
}

/*
 * The report reads entries without their bytes (ACCORD_LEDGER_OPEN_NO_BYTES,
 * half the memory at a million entries): every field and body stays, free
 * text included, so the report is the same as from entries held whole. An
 * action not done says why in free text the lean form blanks.
 */
static void test_report_entries_without_bytes(void **state)
{
	char *dir = th_tmpdir();
	accord_key *k = th_key(dir, "alice");
	accord_store *s = th_ledger(dir, k, "acme");
	accord_ledger *whole = one_incident(s, k, 10, "2026-11-20T11:00:00Z", "5"), *bare = NULL;
	accord_ledger_options o = ACCORD_LEDGER_OPTIONS_INIT;
	accord_report_meta meta = { 0 };
	accord_report *r1, *r2;
	accord_buf b1 = ACCORD_BUF_INIT, b2 = ACCORD_BUF_INIT;
	char inc[65], res[65], x[65], body[256];
	size_t i;

	(void)state;
	/* the one incident and its resolution, then the action not done, with a reason */
	snprintf(inc, sizeof(inc), "%s", accord_ledger_entry_at(whole, 1)->id);
	snprintf(res, sizeof(res), "%s",
		 accord_ledger_entry_at(whole, accord_ledger_entry_count(whole) - 1)->id);
	accord_ledger_free(whole);
	snprintf(body, sizeof(body),
		 "{\"resolution\":\"%s\",\"action\":1,\"state\":\"not-doing\","
		 "\"note\":\"too costly for now\"}",
		 res);
	assert_int_equal(th_append(x, s, k, "action", inc, body), 0);
	o.flags = ACCORD_LEDGER_OPEN_ENTRIES;
	assert_int_equal(accord_ledger_open(&whole, s, &o), 0);
	o.flags = ACCORD_LEDGER_OPEN_ENTRIES | ACCORD_LEDGER_OPEN_NO_BYTES;
	assert_int_equal(accord_ledger_open(&bare, s, &o), 0);
	assert_int_equal(accord_ledger_entry_count(bare), accord_ledger_entry_count(whole));
	for (i = 0; i < accord_ledger_entry_count(bare); i++) {
		const accord_entry *a = accord_ledger_entry_at(whole, i),
				   *b = accord_ledger_entry_at(bare, i);

		assert_string_equal(a->id, b->id);
		assert_non_null(a->raw);
		assert_null(b->raw);
		assert_non_null(b->body);
	}
	assert_string_equal(accord_entry_str(accord_ledger_entry_at(bare, i - 1), "note"),
			    "too costly for now");
	r1 = compute(whole, NULL, NULL, "2026-11-30T00:00:00Z", NULL);
	r2 = compute(bare, NULL, NULL, "2026-11-30T00:00:00Z", NULL);
	meta.verified = 1;
	assert_int_equal(accord_report_render(&b1, r1, &meta, ACCORD_REPORT_JSON, 0), 0);
	assert_int_equal(accord_report_render(&b2, r2, &meta, ACCORD_REPORT_JSON, 0), 0);
	assert_non_null(strstr(b2.ptr, "too costly for now"));
	assert_string_equal(b1.ptr, b2.ptr);
	accord_buf_dispose(&b1);
	accord_buf_dispose(&b2);
	accord_report_free(r1);
	accord_report_free(r2);
	accord_ledger_free(whole);
	accord_ledger_free(bare);
	accord_store_free(s);
	accord_key_free(k);
	th_rmdir(dir);
	th_set_now(NULL);
}

/*
 * Across ledgers the figures are one computation over all incidents: a
 * median over every response (not a merge of per-ledger medians), tables
 * by name adding up, each row knowing its ledgers.
 */
static void test_report_across_ledgers(void **state)
{
	char *d1 = th_tmpdir(), *d2 = th_tmpdir();
	accord_key *k1 = th_key(d1, "alice"), *k2 = th_key(d2, "alice");
	/* acme's root key is the same in both ledgers (one key home): one party across them */
	accord_store *s1 = th_ledger(d1, k1, "acme"), *s2 = th_ledger(d2, k1, "acme");
	/* A: 100 customers x 60 min, lost 5; B: 50 x 30, lost 10 and 20 */
	accord_ledger *a = one_incident(s1, k1, 100, "2026-11-20T11:00:00Z", "5");
	accord_ledger *b = one_incident(s2, k1, 50, "2026-11-20T10:30:00Z", "10,20");
	accord_report_source src[2] = { { a, "one" }, { b, "two" } },
			     unnamed[2] = { { a, NULL }, { b, NULL } };
	accord_report_options o = ACCORD_REPORT_OPTIONS_INIT;
	accord_report *r = NULL;
	accord_buf names = ACCORD_BUF_INIT;

	(void)state;
	assert_int_equal(accord_time_parse(&o.now, "2026-11-21T00:00:00Z"), 0);
	assert_int_equal(accord_report_compute_many(&r, src, 2, &o), 0);
	assert_true(r->across);
	assert_string_equal(r->ledger_id, "");
	assert_int_equal(r->ledger_count, 2);
	assert_string_equal(r->ledgers[1].id, accord_ledger_id(b));
	assert_int_equal(r->count, 2);
	assert_int_equal(r->incidents[0].ledger, 0);
	assert_int_equal(r->incidents[1].ledger, 1);
	assert_int_equal(r->customer_seconds, (6000 + 1500) * 60);
	assert_int_equal(r->customers, 150);
	/* every response: 5, 10, 20 -> median 10, computed over them all (not from the ledgers' 5 and 10) */
	assert_int_equal(r->lost_count, 3);
	assert_int_equal(r->lost_median, 10);
	/* one service, one owner, one factor: each from both ledgers */
	assert_int_equal(r->service_count, 1);
	assert_int_equal(r->services[0].count, 2);
	assert_int_equal(r->services[0].ledgers, 3);
	assert_int_equal(r->owner_count, 1);
	assert_int_equal(r->owners[0].open, 2);
	assert_int_equal(r->owners[0].ledgers, 3);
	assert_int_equal(r->factors[0].count, 2);
	accord_report_ledger_names(&names, r, r->owners[0].ledgers);
	assert_string_equal(names.ptr, "one, two");
	accord_buf_dispose(&names);
	accord_report_free(r);
	/* one ledger named: a view across ledgers all the same */
	r = NULL;
	assert_int_equal(accord_report_compute_many(&r, src + 1, 1, &o), 0);
	assert_true(r->across);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->incidents[0].ledger, 0);
	accord_report_free(r);
	/* a party of that name with another root key is another party: its figures stay apart */
	{
		char *d3 = th_tmpdir();
		accord_store *s3 = th_ledger(d3, k2, "acme");
		accord_ledger *c = one_incident(s3, k2, 10, "2026-11-20T10:50:00Z", "1");
		accord_report_source three[3] = { { a, "one" }, { b, "two" }, { c, "three" } };

		r = NULL;
		assert_int_equal(accord_report_compute_many(&r, three, 3, &o), 0);
		assert_int_equal(r->owner_count, 2);
		assert_string_equal(r->owners[0].name, "acme (one, two)");
		assert_int_equal(r->owners[0].open, 2);
		assert_string_equal(r->owners[1].name, "acme (three)");
		assert_int_equal(r->owners[1].open, 1);
		accord_report_free(r);
		accord_ledger_free(c);
		accord_store_free(s3);
		th_rmdir(d3);
	}
	/* several ledgers must be named; none is no report */
	r = NULL;
	assert_int_equal(accord_report_compute_many(&r, unnamed, 2, &o), ACCORD_EINVALID);
	assert_int_equal(accord_report_compute_many(&r, src, 0, &o), ACCORD_EINVALID);
	assert_null(r);
	accord_ledger_free(a);
	accord_ledger_free(b);
	accord_store_free(s1);
	accord_store_free(s2);
	accord_key_free(k1);
	accord_key_free(k2);
	th_rmdir(d1);
	th_rmdir(d2);
	th_set_now(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_percentile_nearest_rank),
		cmocka_unit_test(test_report_sums_saturate_and_void_leaves),
		cmocka_unit_test(test_report_silent_customer_apart),
		cmocka_unit_test(test_report_period_and_clipping),
		cmocka_unit_test(test_report_formats_schema_and_hostile_text),
		cmocka_unit_test(test_report_csv_defuses_formulas),
		cmocka_unit_test(test_report_across_ledgers),
		cmocka_unit_test(test_report_entries_without_bytes),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
