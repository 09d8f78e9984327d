#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "escape.h"
#include "schema.h"
#include "schemas_gen.h"

/*
 * The official JSON-Schema-Test-Suite (Debian: json-schema-test-suite)
 * drives the keyword semantics; the unit tests below cover what is ours:
 * messages, strictness, $ref resolution and resource limits.
 */
#define SUITE_DEFAULT "/usr/share/json-schema-test-suite"
#define REMOTE_BASE "http://localhost:1234/"
#define MAX_FILE (4u << 20)

static const char *suite_dir(void)
{
	const char *d = getenv("ACCORD_SCHEMA_SUITE");

	return d && *d ? d : SUITE_DEFAULT;
}

static const char *fixtures_dir(void)
{
	const char *d = getenv("ACCORD_FIXTURES");

	return d && *d ? d : ACCORD_SRCDIR "/tests/fixtures";
}

static cJSON *parse_text(const char *text)
{
	cJSON *doc = cJSON_Parse(text);

	if (!doc)
		fail_msg("test JSON does not parse: %s", text);
	return doc;
}

static cJSON *parse_file(const char *path)
{
	accord_buf b = ACCORD_BUF_INIT;
	cJSON *doc;

	if (accord_buf_read_file(&b, path, MAX_FILE) != 0)
		fail_msg("cannot read %s: %s", path, accord_error_last());
	doc = cJSON_ParseWithLength(b.ptr, b.size);
	accord_buf_dispose(&b);
	if (!doc)
		fail_msg("%s is not valid JSON", path);
	return doc;
}

/* A registry holding one schema (strict), named `uri`. */
static accord_schema_registry *reg_one(const char *schema, const char *uri)
{
	accord_schema_registry *reg = NULL;
	cJSON *doc = parse_text(schema);
	int rc;

	assert_int_equal(accord_schema_registry_new(&reg), 0);
	rc = accord_schema_registry_add(reg, doc, uri);
	if (rc != 0)
		fail_msg("adding %s failed: %s", schema, accord_error_last());
	return reg;
}

/* Validate `instance` (JSON text); returns the code, message in accord_error_last(). */
static int check(accord_schema_registry *reg, const char *uri, const char *instance)
{
	cJSON *inst = parse_text(instance);
	int rc;

	accord_error_clear();
	rc = accord_schema_validate(reg, uri, inst);
	cJSON_Delete(inst);
	return rc;
}

static void expect_valid(accord_schema_registry *reg, const char *uri, const char *instance)
{
	int rc = check(reg, uri, instance);

	if (rc != 0)
		fail_msg("%s: expected valid, got %d \"%s\"", instance, rc, accord_error_last());
}

/* Invalid with exactly `msg`. */
static void expect_error(accord_schema_registry *reg, const char *uri, const char *instance,
			 int code, const char *msg)
{
	int rc = check(reg, uri, instance);

	if (rc != code || strcmp(accord_error_last(), msg) != 0)
		fail_msg("%s: expected %d \"%s\", got %d \"%s\"", instance, code, msg, rc,
			 accord_error_last());
}

/* Adding `schema` strictly fails with `code` and a message containing `part`. */
static void expect_add_error(const char *schema, int code, const char *part)
{
	accord_schema_registry *reg = NULL;
	cJSON *doc = parse_text(schema);
	int rc;

	assert_int_equal(accord_schema_registry_new(&reg), 0);
	rc = accord_schema_registry_add(reg, doc, "https://t.test/s.json");
	if (rc != code || !strstr(accord_error_last(), part))
		fail_msg("%s: expected %d with \"%s\", got %d \"%s\"", schema, code, part, rc,
			 accord_error_last());
	/* On failure the document stays ours. */
	cJSON_Delete(doc);
	accord_schema_registry_free(reg);
}

/* ---- the official test suite ---- */

/* Every file of tests/draft7 must be in one of these lists, so none is left out silently. */
static const char *const suite_files[] = {
	"additionalItems.json",
	"additionalProperties.json",
	"allOf.json",
	"anyOf.json",
	"boolean_schema.json",
	"const.json",
	"contains.json",
	"default.json",
	"definitions.json",
	"dependencies.json",
	"enum.json",
	"exclusiveMaximum.json",
	"exclusiveMinimum.json",
	"if-then-else.json",
	"items.json",
	"maxItems.json",
	"maxLength.json",
	"maxProperties.json",
	"maximum.json",
	"minItems.json",
	"minLength.json",
	"minProperties.json",
	"minimum.json",
	"multipleOf.json",
	"not.json",
	"oneOf.json",
	"pattern.json",
	"patternProperties.json",
	"properties.json",
	"propertyNames.json",
	"ref.json",
	"refRemote.json",
	"required.json",
	"type.json",
	"uniqueItems.json",
	NULL,
};

static const struct {
	const char *name, *reason;
} suite_skipped_files[] = {
	{ "optional",
	  "optional/: format checks, bignums, ECMA-262 regex corner cases and "
	  "content keywords, all optional in draft-07; we treat format as an annotation" },
	{ NULL, NULL },
};

/* Single cases left out, with why. None at present: remotes and the metaschema are loaded. */
static const struct {
	const char *file, *group, *test, *reason;
} suite_skipped_cases[] = {
	{ NULL, NULL, NULL, NULL },
};

static int case_skipped(const char *file, const char *group, const char *test, const char **why)
{
	size_t i;

	for (i = 0; suite_skipped_cases[i].file; i++)
		if (strcmp(suite_skipped_cases[i].file, file) == 0 &&
		    strcmp(suite_skipped_cases[i].group, group) == 0 &&
		    strcmp(suite_skipped_cases[i].test, test) == 0) {
			*why = suite_skipped_cases[i].reason;
			return 1;
		}
	return 0;
}

/* Documents every group can $ref: the draft-07 metaschema and the suite's remotes/. */
struct suite_docs {
	cJSON *docs[32];
	char *uris[32];
	size_t n;
};

static void load_remotes(struct suite_docs *sd, const char *dir, const char *rel)
{
	char path[1024], sub[512];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		fail_msg("cannot open %s: the JSON-Schema-Test-Suite is incomplete", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(sub, sizeof(sub), "%s%s", rel, de->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			strcat(sub, "/");
			load_remotes(sd, path, sub);
		} else if (strstr(de->d_name, ".json")) {
			char uri[600];

			assert_true(sd->n < sizeof(sd->docs) / sizeof(sd->docs[0]));
			snprintf(uri, sizeof(uri), REMOTE_BASE "%s", sub);
			sd->docs[sd->n] = parse_file(path);
			sd->uris[sd->n] = strdup(uri);
			sd->n++;
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct tally {
	int passed, failed, skipped;
};

static void run_suite_file(const struct suite_docs *sd, const char *path, const char *file,
			   struct tally *t)
{
	cJSON *groups = parse_file(path), *g, *tc;
	char base[600];
	int gi = 0;

	snprintf(base, sizeof(base), "http://accord.test/draft7/%s", file);
	cJSON_ArrayForEach(g, groups) {
		const char *gdesc = cJSON_GetStringValue(cJSON_GetObjectItem(g, "description"));
		accord_schema_registry *reg = NULL;
		char uri[640];
		size_t i;
		int add_rc;

		snprintf(uri, sizeof(uri), "%s/%d", base, gi++);
		assert_int_equal(accord_schema_registry_new(&reg), 0);
		for (i = 0; i < sd->n; i++) {
			cJSON *dup = cJSON_Duplicate(sd->docs[i], 1);

			if (accord_schema_registry_add_lenient(reg, dup, sd->uris[i]) != 0)
				fail_msg("adding %s: %s", sd->uris[i], accord_error_last());
		}
		{
			cJSON *dup = cJSON_Duplicate(cJSON_GetObjectItem(g, "schema"), 1);

			add_rc = accord_schema_registry_add_lenient(reg, dup, uri);
			if (add_rc != 0) {
				cJSON_Delete(dup);
				printf("    FAIL %s / %s: schema not accepted: %s\n", file, gdesc,
				       accord_error_last());
			}
		}
		cJSON_ArrayForEach(tc, cJSON_GetObjectItem(g, "tests")) {
			const char *tdesc =
				cJSON_GetStringValue(cJSON_GetObjectItem(tc, "description"));
			int want = cJSON_IsTrue(cJSON_GetObjectItem(tc, "valid"));
			const char *why;
			int rc;

			if (case_skipped(file, gdesc, tdesc, &why)) {
				printf("    skip %s / %s / %s: %s\n", file, gdesc, tdesc, why);
				t->skipped++;
				continue;
			}
			if (add_rc != 0) {
				t->failed++;
				continue;
			}
			accord_error_clear();
			rc = accord_schema_validate(reg, uri, cJSON_GetObjectItem(tc, "data"));
			if ((want && rc == 0) || (!want && rc == ACCORD_EINVALID)) {
				t->passed++;
			} else {
				t->failed++;
				printf("    FAIL %s / %s / %s: expected %s, got %d %s\n", file,
				       gdesc, tdesc, want ? "valid" : "invalid", rc,
				       accord_error_last());
			}
		}
		accord_schema_registry_free(reg);
	}
	cJSON_Delete(groups);
}

static void test_schema_official_suite_draft7(void **state)
{
	char dir[1024], path[1200];
	struct suite_docs sd;
	struct tally total = { 0, 0, 0 };
	char *names[256];
	size_t nnames = 0, i, j;
	struct dirent *de;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/draft7", suite_dir());
	d = opendir(dir);
	if (!d)
		fail_msg("JSON-Schema-Test-Suite not found at %s: install the Debian package "
			 "json-schema-test-suite (or point ACCORD_SCHEMA_SUITE at a checkout)",
			 dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		assert_true(nnames < sizeof(names) / sizeof(names[0]));
		names[nnames++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, nnames, sizeof(names[0]), cmp_str);

	memset(&sd, 0, sizeof(sd));
	snprintf(path, sizeof(path), "%s/schema/draft-07-schema.json", fixtures_dir());
	sd.docs[0] = parse_file(path);
	sd.uris[0] = strdup("http://json-schema.org/draft-07/schema");
	sd.n = 1;
	snprintf(path, sizeof(path), "%s/remotes", suite_dir());
	load_remotes(&sd, path, "");

	printf("JSON-Schema-Test-Suite %s (draft7):\n", suite_dir());
	for (i = 0; i < nnames; i++) {
		struct tally t = { 0, 0, 0 };
		int known = 0;

		for (j = 0; suite_skipped_files[j].name; j++)
			if (strcmp(names[i], suite_skipped_files[j].name) == 0) {
				printf("  %-28s skipped: %s\n", names[i],
				       suite_skipped_files[j].reason);
				known = 1;
			}
		if (known)
			continue;
		for (j = 0; suite_files[j]; j++)
			if (strcmp(names[i], suite_files[j]) == 0)
				known = 1;
		if (!known) {
			printf("  %-28s FAIL: not in the supported or skipped list of test_schema.c\n",
			       names[i]);
			total.failed++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		run_suite_file(&sd, path, names[i], &t);
		printf("  %-28s %3d passed, %d failed, %d skipped\n", names[i], t.passed, t.failed,
		       t.skipped);
		total.passed += t.passed;
		total.failed += t.failed;
		total.skipped += t.skipped;
	}
	printf("  total: %d passed, %d failed, %d skipped\n", total.passed, total.failed,
	       total.skipped);

	for (i = 0; i < nnames; i++)
		free(names[i]);
	for (i = 0; i < sd.n; i++) {
		cJSON_Delete(sd.docs[i]);
		free(sd.uris[i]);
	}
	assert_int_equal(total.failed, 0);
	/* The 2.0.0 suite has 423 draft-07 cases outside optional/; far fewer means it did not run. */
	assert_true(total.passed >= 400);
}

/* ---- messages ---- */

#define U "https://t.test/s.json"

static void test_schema_error_names_pointer_and_limit(void **state)
{
	accord_schema_registry *reg = reg_one(
		"{\"type\":\"object\",\"properties\":{\"body\":{\"type\":\"object\","
		"\"properties\":{\"severity\":{\"type\":\"integer\",\"maximum\":4},"
		"\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":3}}}}}}",
		U);

	(void)state;
	expect_valid(reg, U, "{\"body\":{\"severity\":4,\"tags\":[\"a\"]}}");
	expect_error(reg, U, "{\"body\":{\"severity\":7}}", ACCORD_EINVALID,
		     "/body/severity: 7 is greater than maximum 4");
	expect_error(reg, U, "{\"body\":{\"tags\":[\"ok\",\"long\"]}}", ACCORD_EINVALID,
		     "/body/tags/1: is 4 characters long, longer than maxLength 3");
	expect_error(reg, U, "{\"body\":{\"severity\":\"high\"}}", ACCORD_EINVALID,
		     "/body/severity: expected integer, got string");
	expect_error(reg, U, "[]", ACCORD_EINVALID, "/: expected object, got array");
	accord_schema_registry_free(reg);
}

static void test_schema_error_names_unknown_and_missing_fields(void **state)
{
	accord_schema_registry *reg =
		reg_one("{\"required\":[\"title\"],\"properties\":{\"title\":{\"type\":\"string\"},"
			"\"body\":{\"additionalProperties\":false,\"properties\":{\"a\":true}}}}",
			U);

	(void)state;
	expect_error(reg, U, "{\"body\":{}}", ACCORD_EINVALID,
		     "/: missing required field \"title\"");
	expect_error(reg, U, "{\"title\":\"x\",\"body\":{\"a\":1,\"fault\":\"them\"}}",
		     ACCORD_EINVALID, "/body: unknown field \"fault\"");
	/* Field names with '/' and '~' are escaped in the pointer. */
	expect_error(reg, U, "{\"title\":\"x\",\"a/b~c\":{},\"body\":{\"x\":1}}", ACCORD_EINVALID,
		     "/body: unknown field \"x\"");
	accord_schema_registry_free(reg);

	reg = reg_one("{\"properties\":{\"a/b~c\":{\"type\":\"null\"}}}", U);
	expect_error(reg, U, "{\"a/b~c\":1}", ACCORD_EINVALID,
		     "/a~1b~0c: expected null, got integer");
	accord_schema_registry_free(reg);
}

/*
 * accord's entry schema is a oneOf of per-type schemas, each fixing
 * "type" with const: the error must come from the branch of the entry's
 * type, not from whichever branch failed first.
 */
static void test_schema_oneof_reports_matching_branch(void **state)
{
	accord_schema_registry *reg = NULL;
	static const char *const docs[][2] = {
		{ "https://t.test/entry.json",
		  "{\"oneOf\":[{\"$ref\":\"open.json\"},{\"$ref\":\"note.json\"},{\"$ref\":\"close.json\"}]}" },
		{ "https://t.test/open.json",
		  "{\"type\":\"object\",\"required\":[\"type\",\"title\",\"body\"],"
		  "\"additionalProperties\":false,\"properties\":{\"type\":{\"const\":\"open\"},"
		  "\"title\":{\"type\":\"string\"},\"body\":{\"type\":\"object\","
		  "\"additionalProperties\":false,\"properties\":{"
		  "\"severity\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":4}}}}}" },
		{ "https://t.test/note.json",
		  "{\"type\":\"object\",\"required\":[\"type\",\"text\"],\"additionalProperties\":false,"
		  "\"properties\":{\"type\":{\"const\":\"note\"},\"text\":{\"type\":\"string\"}}}" },
		{ "https://t.test/close.json",
		  "{\"type\":\"object\",\"required\":[\"type\",\"body\"],\"additionalProperties\":false,"
		  "\"properties\":{\"type\":{\"const\":\"close\"},\"body\":{\"type\":\"object\","
		  "\"properties\":{\"severity\":{\"type\":\"string\"}}}}}" },
	};
	const char *e = "https://t.test/entry.json";
	size_t i;

	(void)state;
	assert_int_equal(accord_schema_registry_new(&reg), 0);
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		assert_int_equal(
			accord_schema_registry_add(reg, parse_text(docs[i][1]), docs[i][0]), 0);
	assert_int_equal(accord_schema_registry_check(reg), 0);

	expect_valid(reg, e, "{\"type\":\"open\",\"title\":\"t\",\"body\":{\"severity\":2}}");
	expect_valid(reg, e, "{\"type\":\"note\",\"text\":\"t\"}");
	expect_error(reg, e, "{\"type\":\"open\",\"title\":\"t\",\"body\":{\"severity\":7}}",
		     ACCORD_EINVALID, "/body/severity: 7 is greater than maximum 4");
	expect_error(reg, e, "{\"type\":\"open\",\"body\":{}}", ACCORD_EINVALID,
		     "/: missing required field \"title\"");
	expect_error(reg, e, "{\"type\":\"open\",\"title\":\"t\",\"body\":{\"fault\":\"ops\"}}",
		     ACCORD_EINVALID, "/body: unknown field \"fault\"");
	/* The close branch also has /body/severity, but the entry says "note". */
	expect_error(reg, e, "{\"type\":\"note\",\"text\":3}", ACCORD_EINVALID,
		     "/text: expected string, got integer");
	/* No branch has this type: name the discriminator and what it may be. */
	expect_error(reg, e, "{\"type\":\"bogus\"}", ACCORD_EINVALID,
		     "/type: \"bogus\" is not one of \"open\", \"note\", \"close\"");
	/* Ruled out everywhere for another reason: the closest failure is named. */
	expect_error(
		reg, e, "[]", ACCORD_EINVALID,
		"/: matches none of the oneOf alternatives (closest, #0: /: expected object, got array)");
	accord_schema_registry_free(reg);
}

static void test_schema_oneof_reports_double_match(void **state)
{
	accord_schema_registry *reg = reg_one(
		"{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2},{\"type\":\"string\"}]}", U);

	(void)state;
	expect_valid(reg, U, "1");
	expect_valid(reg, U, "2.5");
	expect_error(reg, U, "3", ACCORD_EINVALID,
		     "/: matches oneOf alternatives #0 and #1, but must match exactly one");
	accord_schema_registry_free(reg);
}

/*
 * A oneOf whose alternatives fix one member with different consts is
 * decided by trying the alternative the member names first; that must give
 * draft-07's answer whenever the shortcut does not apply.
 */
static void test_schema_oneof_discriminator_keeps_draft07_results(void **state)
{
	accord_schema_registry *reg;
	const char *e = "https://t.test/e.json";

	(void)state;
	/* Two alternatives fix the same value: both can match, which oneOf refuses. */
	reg = reg_one("{\"oneOf\":[{\"properties\":{\"t\":{\"const\":\"a\"}}},"
		      "{\"properties\":{\"t\":{\"const\":\"a\"},\"n\":{\"type\":\"integer\"}}},"
		      "{\"properties\":{\"t\":{\"const\":\"b\"}}}]}",
		      U);
	expect_error(reg, U, "{\"t\":\"a\",\"n\":1}", ACCORD_EINVALID,
		     "/: matches oneOf alternatives #0 and #1, but must match exactly one");
	expect_valid(reg, U, "{\"t\":\"a\",\"n\":\"x\"}");
	expect_valid(reg, U, "{\"t\":\"b\"}");
	accord_schema_registry_free(reg);

	/* Distinct consts, but without the member every alternative applies. */
	reg = reg_one("{\"oneOf\":[{\"properties\":{\"t\":{\"const\":\"a\"}}},"
		      "{\"properties\":{\"t\":{\"const\":\"b\"}}}]}",
		      U);
	expect_valid(reg, U, "{\"t\":\"b\"}");
	expect_error(reg, U, "{\"n\":1}", ACCORD_EINVALID,
		     "/: matches oneOf alternatives #0 and #1, but must match exactly one");
	expect_error(reg, U, "3", ACCORD_EINVALID,
		     "/: matches oneOf alternatives #0 and #1, but must match exactly one");
	expect_error(reg, U, "{\"t\":\"c\"}", ACCORD_EINVALID,
		     "/t: \"c\" is not one of \"a\", \"b\"");
	accord_schema_registry_free(reg);

	/*
	 * An alternative the member rules out still runs when it could end in an
	 * error rather than a verdict: here a $ref that resolves to nothing,
	 * reached (instance order) before the const fails.
	 */
	reg = reg_one("{\"oneOf\":[{\"properties\":{\"t\":{\"const\":\"a\"}}},"
		      "{\"properties\":{\"t\":{\"const\":\"b\"},"
		      "\"x\":{\"$ref\":\"missing.json\"}}}]}",
		      U);
	assert_int_equal(check(reg, U, "{\"x\":1,\"t\":\"a\"}"), ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "missing.json"));
	accord_schema_registry_free(reg);

	/* References resolved by a later add: first an error, then a verdict. */
	assert_int_equal(accord_schema_registry_new(&reg), 0);
	assert_int_equal(
		accord_schema_registry_add(
			reg,
			parse_text("{\"oneOf\":[{\"$ref\":\"a.json\"},{\"$ref\":\"b.json\"}]}"), e),
		0);
	assert_int_equal(check(reg, e, "{\"t\":\"a\"}"), ACCORD_ENOTFOUND);
	assert_int_equal(
		accord_schema_registry_add(
			reg,
			parse_text(
				"{\"required\":[\"n\"],\"properties\":{\"t\":{\"const\":\"a\"}}}"),
			"https://t.test/a.json"),
		0);
	assert_int_equal(
		accord_schema_registry_add(
			reg,
			parse_text("{\"properties\":{\"t\":{\"$ref\":\"#/definitions/b\"}},"
				   "\"definitions\":{\"b\":{\"const\":\"b\"}}}"),
			"https://t.test/b.json"),
		0);
	assert_int_equal(accord_schema_registry_check(reg), 0);
	expect_valid(reg, e, "{\"t\":\"a\",\"n\":1}");
	expect_valid(reg, e, "{\"t\":\"b\"}");
	expect_error(reg, e, "{\"t\":\"a\"}", ACCORD_EINVALID, "/: missing required field \"n\"");
	accord_schema_registry_free(reg);
}

/*
 * Simple anchored patterns skip regexec for a matcher of their own; it must
 * agree with regexec in a UTF-8 locale on every subject, multibyte and
 * malformed ones included. Each ECMA pattern is paired with the POSIX ERE
 * it means.
 */
static void test_schema_fast_patterns_agree_with_regexec(void **state)
{
	static const char *const pats[][2] = {
		{ "^[0-9a-f]{4}$", "^[0-9a-f]{4}$" },
		{ "^[0-9]{2}-[0-9]{2}T$", "^[0-9]{2}-[0-9]{2}T$" },
		{ "^[A-Za-z0-9][A-Za-z0-9._-]{0,3}$", "^[A-Za-z0-9][A-Za-z0-9._-]{0,3}$" },
		{ "^[^\x01-\x1f\x7f]*$", "^[^\x01-\x1f\x7f]*$" },
		{ "^[^\\u0001-\\u001f\\u007f]*$", "^[^\x01-\x1f\x7f]*$" },
		{ "^a*b$", "^a*b$" },
		{ "^.{2,3}$", "^[^\n\r]{2,3}$" },
		{ "^\\d+x$", "^[0-9]+x$" },
		{ "^[^a]{0,2}$", "^[^a]{0,2}$" },
		{ "^a?$", "^a?$" },
		{ "^$", "^$" },
		{ "^x{2,}$", "^x{2,}$" },
		{ "^\\.\\w$", "^\\.[A-Za-z0-9_]$" },
		{ "^[a-c]+x?$", "^[a-c]+x?$" }, /* not a fast shape: regexec itself */
		/* negated classes excluding non-ASCII ranges, as the free-text patterns do */
		{ "^[^\\u0001-\\u0008\\u007f-\\u0082\\u202a-\\u202e]*$",
		  "^[^\x01-\x08\x7f\xc2\x80\xc2\x81\xc2\x82\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae]*$" },
		{ "^[^\x01\u2066-\u2069]{1,3}$",
		  "^[^\x01\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9]{1,3}$" },
	};
	static const char *const pieces[] = {
		"a",
		"b",
		"x",
		"0",
		"7",
		"f",
		"A",
		"-",
		".",
		"_",
		"T",
		" ",
		"\n",
		"\r",
		"\x01",
		"\x1f",
		"\x7f",
		"\xc3\xa9",
		"\xe2\x82\xac",
		"\xf0\x9f\x98\x80",
		"\xff",
		"\xc3",
		"\xed\xa0\x80",
		"\xc0\xaf",
		"\xc2\x80",
		"\xc2\x82",
		"\xc2\x83",
		"\xe2\x80\xa9",
		"\xe2\x80\xaa",
		"\xe2\x80\xae",
		"\xe2\x80\xaf",
		"\xe2\x81\xa6",
		"\xe2\x81\xaa",
	};
	const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0), old;
	unsigned seed = 12345;
	size_t i, t, k;

	(void)state;
	assert_non_null(utf8);
	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		accord_schema_registry *reg = NULL;
		cJSON *doc = cJSON_CreateObject();
		regex_t re;

		assert_non_null(cJSON_AddStringToObject(doc, "pattern", pats[i][0]));
		assert_int_equal(accord_schema_registry_new(&reg), 0);
		assert_int_equal(accord_schema_registry_add(reg, doc, U), 0);
		old = uselocale(utf8);
		assert_int_equal(regcomp(&re, pats[i][1], REG_EXTENDED | REG_NOSUB), 0);
		uselocale(old);
		for (t = 0; t < 3000; t++) {
			char subject[64] = "";
			size_t n = (seed = seed * 1103515245u + 12345u) >> 16 & 7;
			cJSON *inst;
			int want, got;

			for (k = 0; k < n; k++) {
				seed = seed * 1103515245u + 12345u;
				strcat(subject, pieces[(seed >> 16) % npieces]);
			}
			old = uselocale(utf8);
			want = regexec(&re, subject, 0, NULL, 0) == 0;
			uselocale(old);
			/* cJSON_CreateString would not take malformed UTF-8 on trust; set it directly. */
			inst = cJSON_CreateString("");
			assert_non_null(inst);
			cJSON_free(inst->valuestring);
			inst->valuestring = strdup(subject);
			got = accord_schema_validate(reg, U, inst);
			cJSON_Delete(inst);
			if (got != (want ? 0 : ACCORD_EINVALID))
				fail_msg("pattern %s on \"%s\": regexec says %s, validation %d",
					 pats[i][0], subject, want ? "match" : "no match", got);
		}
		regfree(&re);
		accord_schema_registry_free(reg);
	}
	freelocale(utf8);
}

/* ---- strictness when adding ---- */

static void test_schema_add_rejects_unknown_keywords(void **state)
{
	accord_schema_registry *reg = NULL;
	cJSON *doc;

	(void)state;
	expect_add_error("{\"type\":\"string\",\"maxLenght\":3}", ACCORD_EINVALID,
			 "schema https://t.test/s.json#: unknown keyword \"maxLenght\"");
	expect_add_error("{\"properties\":{\"a\":{\"items\":{\"formt\":\"x\"}}}}", ACCORD_EINVALID,
			 "#/properties/a/items: unknown keyword \"formt\"");
	expect_add_error("{\"allOf\":[true,{\"requires\":[]}]}", ACCORD_EINVALID,
			 "#/allOf/1: unknown keyword \"requires\"");
	expect_add_error("{\"type\":\"strin\"}", ACCORD_EINVALID, "\"type\" must name a JSON type");
	expect_add_error("{\"minLength\":-1}", ACCORD_EINVALID, "non-negative integer");
	expect_add_error("{\"pattern\":\"(?=x)\"}", ACCORD_EINVALID, "bad regular expression");
	expect_add_error(
		"{\"$ref\":\"#/definitions/a\",\"maxItems\":2,\"definitions\":{\"a\":true}}",
		ACCORD_EINVALID, "\"maxItems\" beside \"$ref\" is ignored by draft-07");
	expect_add_error("{\"$schema\":\"http://json-schema.org/draft-04/schema#\"}",
			 ACCORD_EINVALID, "is not draft-07");
	expect_add_error("{\"definitions\":{\"a\":{\"$id\":\"#x\"},\"b\":{\"$id\":\"#x\"}}}",
			 ACCORD_EEXISTS, "\"https://t.test/s.json#x\" is already defined");
	expect_add_error("[1]", ACCORD_EINVALID, "a schema must be an object or a boolean");

	/* Names inside properties/definitions/patternProperties/dependencies, and values of
	 * const/enum/default/examples, are not keywords. */
	reg = reg_one("{\"properties\":{\"maxLenght\":{\"default\":{\"bogus\":1}}},"
		      "\"definitions\":{\"weird name\":{\"const\":{\"also\":\"fine\"}}},"
		      "\"patternProperties\":{\"^x-\":{\"enum\":[{\"typ\":1}]}},"
		      "\"dependencies\":{\"nope\":[\"maxLenght\"]},"
		      "\"examples\":[{\"whatever\":true}]}",
		      U);
	accord_schema_registry_free(reg);

	/* The lenient form ignores unknown keywords, as draft-07 says. */
	assert_int_equal(accord_schema_registry_new(&reg), 0);
	doc = parse_text("{\"type\":\"string\",\"maxLenght\":1}");
	assert_int_equal(accord_schema_registry_add_lenient(reg, doc, U), 0);
	expect_valid(reg, U, "\"long string\"");
	accord_schema_registry_free(reg);

	/* A failed add leaves the registry as it was: the same $id can be added after. */
	assert_int_equal(accord_schema_registry_new(&reg), 0);
	doc = parse_text("{\"$id\":\"https://t.test/a.json\",\"typo\":1}");
	assert_int_equal(accord_schema_registry_add(reg, doc, NULL), ACCORD_EINVALID);
	cJSON_Delete(doc);
	doc = parse_text("{\"$id\":\"https://t.test/a.json\",\"type\":\"null\"}");
	assert_int_equal(accord_schema_registry_add(reg, doc, NULL), 0);
	expect_valid(reg, "https://t.test/a.json", "null");
	doc = parse_text("{\"$id\":\"https://t.test/a.json\"}");
	assert_int_equal(accord_schema_registry_add(reg, doc, NULL), ACCORD_EEXISTS);
	cJSON_Delete(doc);
	doc = parse_text("{\"type\":\"null\"}");
	assert_int_equal(accord_schema_registry_add(reg, doc, NULL), ACCORD_EINVALID);
	assert_int_equal(accord_schema_registry_add(reg, doc, "relative.json"), ACCORD_EINVALID);
	cJSON_Delete(doc);
	accord_schema_registry_free(reg);
}

/* ---- $ref ---- */

static void test_schema_ref_loop_is_an_error(void **state)
{
	accord_schema_registry *reg;

	(void)state;
	reg = reg_one("{\"$ref\":\"#\"}", U);
	assert_int_equal(check(reg, U, "1"), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "loops back to itself"));
	accord_schema_registry_free(reg);

	reg = reg_one("{\"definitions\":{\"a\":{\"anyOf\":[{\"$ref\":\"#/definitions/b\"}]},"
		      "\"b\":{\"not\":{\"$ref\":\"#/definitions/a\"}}},"
		      "\"allOf\":[{\"$ref\":\"#/definitions/a\"}]}",
		      U);
	assert_int_equal(check(reg, U, "{}"), ACCORD_EINVALID);
	assert_non_null(strstr(accord_error_last(), "loops back to itself"));
	accord_schema_registry_free(reg);

	/* Recursion that consumes the instance is fine... */
	reg = reg_one("{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}", U);
	expect_valid(reg, U, "[[[]],[]]");
	expect_error(reg, U, "[[[1]]]", ACCORD_EINVALID, "/0/0/0: expected array, got integer");
	/* ...until it is deeper than the evaluation limit. */
	{
		char deep[2 * 600 + 1];

		memset(deep, '[', 600);
		memset(deep + 600, ']', 600);
		deep[1200] = '\0';
		assert_int_equal(check(reg, U, deep), ACCORD_EINVALID);
		assert_non_null(strstr(accord_error_last(), "nested deeper than"));
	}
	accord_schema_registry_free(reg);
}

static void test_schema_ref_across_documents(void **state)
{
	accord_schema_registry *reg = NULL;

	(void)state;
	assert_int_equal(accord_schema_registry_new(&reg), 0);
	assert_int_equal(
		accord_schema_registry_add(
			reg,
			parse_text(
				"{\"properties\":{\"id\":{\"$ref\":\"defs/common.json#/definitions/id\"},"
				"\"who\":{\"$ref\":\"defs/common.json#who\"},"
				"\"sub\":{\"$ref\":\"https://t.test/x/sub.json\"}}}"),
			"https://t.test/x/main.json"),
		0);
	/* Refs may dangle until the other documents arrive; check() says which. */
	assert_int_equal(accord_schema_registry_check(reg), ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "defs/common.json#/definitions/id"));
	assert_int_equal(check(reg, "https://t.test/x/main.json", "{\"id\":\"x\"}"),
			 ACCORD_ENOTFOUND);
	assert_non_null(
		strstr(accord_error_last(), "/id: $ref \"defs/common.json#/definitions/id\""));

	assert_int_equal(
		accord_schema_registry_add(
			reg,
			parse_text(
				"{\"$id\":\"https://t.test/x/defs/common.json\",\"definitions\":{"
				"\"id\":{\"type\":\"string\",\"pattern\":\"^[0-9a-f]{4}$\"},"
				"\"who\":{\"$id\":\"#who\",\"type\":\"string\",\"minLength\":2},"
				"\"nested\":{\"$id\":\"https://t.test/x/sub.json\",\"type\":\"object\","
				"\"properties\":{\"n\":{\"$ref\":\"#/definitions/n\"}},"
				"\"definitions\":{\"n\":{\"type\":\"integer\"}}}}}"),
			NULL),
		0);
	assert_int_equal(accord_schema_registry_check(reg), 0);
	expect_valid(reg, "https://t.test/x/main.json",
		     "{\"id\":\"00af\",\"who\":\"ab\",\"sub\":{\"n\":1}}");
	expect_error(reg, "https://t.test/x/main.json", "{\"id\":\"00AF\"}", ACCORD_EINVALID,
		     "/id: \"00AF\" does not match pattern \"^[0-9a-f]{4}$\"");
	expect_error(reg, "https://t.test/x/main.json", "{\"who\":\"a\"}", ACCORD_EINVALID,
		     "/who: is 1 characters long, shorter than minLength 2");
	/* "#/definitions/n" inside sub.json resolves against sub.json's own $id. */
	expect_error(reg, "https://t.test/x/main.json", "{\"sub\":{\"n\":\"1\"}}", ACCORD_EINVALID,
		     "/sub/n: expected integer, got string");
	/* Validation entry points may be any $id, plain name or pointer. */
	expect_valid(reg, "https://t.test/x/defs/common.json#who", "\"abc\"");
	expect_valid(reg, "https://t.test/x/defs/common.json#/definitions/id", "\"abcd\"");
	expect_error(reg, "https://t.test/x/sub.json#/definitions/n", "true", ACCORD_EINVALID,
		     "/: expected integer, got boolean");
	assert_int_equal(check(reg, "https://t.test/x/nope.json", "1"), ACCORD_ENOTFOUND);
	assert_int_equal(check(reg, "https://t.test/x/defs/common.json#/definitions/zz", "1"),
			 ACCORD_ENOTFOUND);
	accord_schema_registry_free(reg);
}

static void test_schema_ref_pointer_escapes(void **state)
{
	accord_schema_registry *reg =
		reg_one("{\"definitions\":{\"a~b/c%d\":{\"type\":\"integer\"},"
			"\"t\":{\"items\":[true,{\"type\":\"null\"}]}},"
			"\"properties\":{\"x\":{\"$ref\":\"#/definitions/a~0b~1c%25d\"},"
			"\"y\":{\"$ref\":\"#/definitions/t/items/1\"}}}",
			U);

	(void)state;
	assert_int_equal(accord_schema_registry_check(reg), 0);
	expect_valid(reg, U, "{\"x\":1,\"y\":null}");
	expect_error(reg, U, "{\"x\":1.5}", ACCORD_EINVALID, "/x: expected integer, got number");
	expect_error(reg, U, "{\"y\":0}", ACCORD_EINVALID, "/y: expected null, got integer");
	accord_schema_registry_free(reg);
}

/* ---- keyword details ---- */

static void test_schema_length_counts_code_points(void **state)
{
	accord_schema_registry *reg =
		reg_one("{\"minLength\":2,\"maxLength\":5,\"pattern\":\"^.{2,5}$\"}", U);

	(void)state;
	expect_valid(reg, U, "\"h\\u00e9llo\"");		  /* 5 code points, 6 bytes */
	expect_valid(reg, U, "\"\\ud83d\\ude00\\ud83d\\ude00\""); /* 2 code points, 8 bytes */
	expect_error(reg, U, "\"\\ud83d\\ude00\"", ACCORD_EINVALID,
		     "/: is 1 characters long, shorter than minLength 2");
	expect_error(reg, U, "\"h\\u00e9llo!\"", ACCORD_EINVALID,
		     "/: is 6 characters long, longer than maxLength 5");
	accord_schema_registry_free(reg);
}

static void test_schema_integer_versus_number(void **state)
{
	accord_schema_registry *reg = reg_one(
		"{\"properties\":{\"i\":{\"type\":\"integer\"},\"n\":{\"type\":\"number\"},"
		"\"m\":{\"multipleOf\":0.01},\"e\":{\"exclusiveMinimum\":0,\"exclusiveMaximum\":1},"
		"\"t\":{\"type\":[\"integer\",\"null\"]}}}",
		U);

	(void)state;
	expect_valid(reg, U, "{\"i\":1.0,\"n\":1.5,\"m\":19.99,\"e\":0.5,\"t\":null}");
	expect_valid(reg, U, "{\"i\":-9007199254740991,\"t\":3}");
	expect_error(reg, U, "{\"i\":1.5}", ACCORD_EINVALID, "/i: expected integer, got number");
	expect_error(reg, U, "{\"n\":\"1\"}", ACCORD_EINVALID, "/n: expected number, got string");
	expect_error(reg, U, "{\"m\":0.015}", ACCORD_EINVALID,
		     "/m: 0.015 is not a multiple of 0.01");
	expect_error(reg, U, "{\"e\":1}", ACCORD_EINVALID,
		     "/e: 1 is not less than exclusiveMaximum 1");
	expect_error(reg, U, "{\"e\":0}", ACCORD_EINVALID,
		     "/e: 0 is not greater than exclusiveMinimum 0");
	expect_error(reg, U, "{\"t\":0.5}", ACCORD_EINVALID,
		     "/t: expected integer or null, got number");
	accord_schema_registry_free(reg);
}

static void test_schema_equality_is_json_equality(void **state)
{
	accord_schema_registry *reg =
		reg_one("{\"properties\":{\"e\":{\"enum\":[1,{\"a\":1,\"b\":[true,null]}]},"
			"\"c\":{\"const\":{\"x\":{\"y\":2.0},\"z\":\"s\"}},"
			"\"u\":{\"uniqueItems\":true}}}",
			U);

	(void)state;
	expect_valid(reg, U, "{\"e\":1.0,\"c\":{\"z\":\"s\",\"x\":{\"y\":2}}}");
	expect_valid(reg, U, "{\"e\":{\"b\":[true,null],\"a\":1.0}}");
	expect_valid(reg, U, "{\"u\":[1,\"1\",[1],{\"a\":1},{\"a\":2},true,1.5]}");
	expect_error(
		reg, U, "{\"e\":{\"a\":1,\"b\":[null,true]}}", ACCORD_EINVALID,
		"/e: {\"a\":1,\"b\":[null,true]} is not one of [1,{\"a\":1,\"b\":[true,null]}]");
	expect_error(
		reg, U, "{\"c\":{\"z\":\"s\",\"x\":{\"y\":2.5}}}", ACCORD_EINVALID,
		"/c: must be {\"x\":{\"y\":2},\"z\":\"s\"}, got {\"z\":\"s\",\"x\":{\"y\":2.5}}");
	expect_error(reg, U, "{\"u\":[{\"a\":1,\"b\":2},3,{\"b\":2,\"a\":1.0}]}", ACCORD_EINVALID,
		     "/u: items 0 and 2 are equal, but uniqueItems is set");
	expect_valid(reg, U, "{\"u\":[false,0]}");
	accord_schema_registry_free(reg);
}

static void test_schema_patterns_use_ecma_escapes(void **state)
{
	accord_schema_registry *reg =
		reg_one("{\"properties\":{"
			"\"d\":{\"pattern\":\"^\\\\d{3}-\\\\w+\\\\s\\\\S$\"},"
			"\"p\":{\"pattern\":\"^a\\\\.b\\\\/c\\\\\\\\d\\\\-[\\\\]\\\\-x^]+$\"},"
			"\"s\":{\"pattern\":\"b+?c\"},"
			"\"n\":{\"pattern\":\"^[^\\\\d\\\\s]*$\"},"
			"\"g\":{\"pattern\":\"^(?:ab)+$\"},"
			"\"u\":{\"pattern\":\"^\\\\u00e9.$\"}},"
			"\"patternProperties\":{\"^x-\\\\d+$\":{\"type\":\"integer\"}},"
			"\"additionalProperties\":false}",
			U);

	(void)state;
	expect_valid(reg, U, "{\"d\":\"123-a_b \\u00e9\"}");
	expect_error(reg, U, "{\"d\":\"12-ab x\"}", ACCORD_EINVALID,
		     "/d: \"12-ab x\" does not match pattern \"^\\\\d{3}-\\\\w+\\\\s\\\\S$\"");
	expect_valid(reg, U, "{\"p\":\"a.b/c\\\\d-]-^x\"}");
	assert_int_equal(check(reg, U, "{\"p\":\"aXb/c\\\\d-x\"}"), ACCORD_EINVALID);
	/* Search semantics: unanchored patterns match anywhere. */
	expect_valid(reg, U, "{\"s\":\"aaabbbcdd\"}");
	assert_int_equal(check(reg, U, "{\"s\":\"ac\"}"), ACCORD_EINVALID);
	expect_valid(reg, U, "{\"n\":\"abc\"}");
	assert_int_equal(check(reg, U, "{\"n\":\"a b\"}"), ACCORD_EINVALID);
	assert_int_equal(check(reg, U, "{\"n\":\"a1\"}"), ACCORD_EINVALID);
	expect_valid(reg, U, "{\"g\":\"ababab\"}");
	assert_int_equal(check(reg, U, "{\"g\":\"aba\"}"), ACCORD_EINVALID);
	/* "." is one code point, not one byte. */
	expect_valid(reg, U, "{\"u\":\"\\u00e9\\u00e9\"}");
	expect_valid(reg, U, "{\"x-12\":3}");
	expect_error(reg, U, "{\"x-12\":\"3\"}", ACCORD_EINVALID,
		     "/x-12: expected integer, got string");
	expect_error(reg, U, "{\"x-1a\":3}", ACCORD_EINVALID, "/: unknown field \"x-1a\"");
	accord_schema_registry_free(reg);
}

static void test_schema_object_and_array_keywords(void **state)
{
	accord_schema_registry *reg = reg_one(
		"{\"properties\":{"
		"\"o\":{\"minProperties\":1,\"maxProperties\":2,\"dependencies\":{\"a\":[\"b\"]},"
		"\"propertyNames\":{\"maxLength\":3}},"
		"\"a\":{\"items\":[{\"type\":\"string\"}],\"additionalItems\":false,\"minItems\":1},"
		"\"c\":{\"contains\":{\"const\":7},\"maxItems\":2},"
		"\"f\":{\"if\":{\"minimum\":10},\"then\":{\"multipleOf\":10},\"else\":{\"not\":{\"const\":3}}},"
		"\"z\":false}}",
		U);

	(void)state;
	expect_valid(reg, U, "{\"o\":{\"a\":1,\"b\":2},\"a\":[\"x\"],\"c\":[1,7],\"f\":20}");
	expect_error(reg, U, "{\"o\":{}}", ACCORD_EINVALID,
		     "/o: has 0 fields, fewer than minProperties 1");
	expect_error(reg, U, "{\"o\":{\"b\":1,\"c\":2,\"d\":3}}", ACCORD_EINVALID,
		     "/o: has 3 fields, more than maxProperties 2");
	expect_error(reg, U, "{\"o\":{\"a\":1}}", ACCORD_EINVALID,
		     "/o: field \"a\" requires field \"b\"");
	expect_error(
		reg, U, "{\"o\":{\"long\":1}}", ACCORD_EINVALID,
		"/o: invalid field name \"long\": is 4 characters long, longer than maxLength 3");
	expect_error(reg, U, "{\"a\":[\"x\",\"y\"]}", ACCORD_EINVALID,
		     "/a: has 2 items, more than the 1 allowed (additionalItems is false)");
	expect_error(reg, U, "{\"a\":[]}", ACCORD_EINVALID,
		     "/a: has 0 items, fewer than minItems 1");
	expect_error(reg, U, "{\"c\":[1,2]}", ACCORD_EINVALID, "/c: no item matches \"contains\"");
	expect_error(reg, U, "{\"c\":[7,7,7]}", ACCORD_EINVALID,
		     "/c: has 3 items, more than maxItems 2");
	expect_error(reg, U, "{\"f\":15}", ACCORD_EINVALID, "/f: 15 is not a multiple of 10");
	expect_error(reg, U, "{\"f\":3}", ACCORD_EINVALID, "/f: must not match the \"not\" schema");
	expect_error(reg, U, "{\"z\":0}", ACCORD_EINVALID,
		     "/z: not allowed here (the schema is false)");
	accord_schema_registry_free(reg);
}

static void test_schema_free_accepts_null_and_validate_checks_arguments(void **state)
{
	accord_schema_registry *reg = reg_one("true", U);
	cJSON *inst = parse_text("1");

	(void)state;
	accord_schema_registry_free(NULL);
	assert_int_equal(accord_schema_validate(NULL, U, inst), ACCORD_EINVALID);
	assert_int_equal(accord_schema_validate(reg, NULL, inst), ACCORD_EINVALID);
	assert_int_equal(accord_schema_validate(reg, U, NULL), ACCORD_EINVALID);
	assert_int_equal(accord_schema_validate(reg, U, inst), 0);
	assert_int_equal(accord_schema_validate(reg, "https://t.test/other.json", inst),
			 ACCORD_ENOTFOUND);
	assert_string_equal(accord_error_last(),
			    "schema https://t.test/other.json is not in the registry");
	assert_int_equal(accord_schema_registry_add(reg, NULL, U), ACCORD_EINVALID);
	cJSON_Delete(inst);
	accord_schema_registry_free(reg);
}

/* accord's compiled-in schemas load, resolve every $ref, and are valid draft-07. */
static void test_schema_builtin_schemas_are_valid_draft07(void **state)
{
	accord_schema_registry *builtin = NULL, *again = NULL, *meta = NULL;
	const struct accord_embedded_file *f;
	char path[1024];
	int rc, n = 0;

	(void)state;
	rc = accord_schema_builtin(&builtin);
	if (rc != 0)
		fail_msg("builtin schemas: %s", accord_error_last());
	assert_int_equal(accord_schema_builtin(&again), 0);
	assert_ptr_equal(builtin, again);
	assert_int_equal(accord_schema_registry_check(builtin), 0);

	assert_int_equal(accord_schema_registry_new(&meta), 0);
	snprintf(path, sizeof(path), "%s/schema/draft-07-schema.json", fixtures_dir());
	assert_int_equal(accord_schema_registry_add(meta, parse_file(path), NULL), 0);
	for (f = accord_schema_files; f->name; f++, n++) {
		cJSON *doc = cJSON_ParseWithLength(f->data, f->len);
		char uri[512];

		assert_non_null(doc);
		rc = accord_schema_validate(meta, "http://json-schema.org/draft-07/schema#", doc);
		if (rc != 0)
			fail_msg("schemas/%s is not a valid draft-07 schema: %s", f->name,
				 accord_error_last());
		/* Each file is reachable under ACCORD_SCHEMA_BASE + its name. */
		snprintf(uri, sizeof(uri), "%s%s", ACCORD_SCHEMA_BASE, f->name);
		rc = accord_schema_validate(builtin, uri, doc);
		assert_true(rc == 0 || rc == ACCORD_EINVALID);
		cJSON_Delete(doc);
	}
	printf("builtin: %d schema files\n", n);
	accord_schema_registry_free(meta);
	accord_schema_builtin_free();
	accord_schema_builtin_free();
}

static void put_cp(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xc0 | cp >> 6);
		*o++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (unsigned char)(0xe0 | cp >> 12);
		*o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = '\0';
}

/*
 * The schemas' "line" and "text" (and the genesis title) refuse exactly
 * what accord_text_char_allowed refuses, so the CLI, the schemas and the
 * escaping of output agree on every code point of the BMP: C0 controls
 * (text keeps newline and tab), DEL, C1 controls, the bidi controls, the
 * line and paragraph separators and the interlinear annotations.
 */
static void test_schema_free_text_refuses_what_escape_refuses(void **state)
{
	static const char *const defs[] = { "line", "text" };
	accord_schema_registry *reg = NULL;
	size_t d;
	uint32_t cp;
	int refused[2] = { 0, 0 };

	(void)state;
	assert_int_equal(accord_schema_builtin(&reg), 0);
	for (d = 0; d < 2; d++) {
		char uri[256];

		snprintf(uri, sizeof(uri), "%scommon.schema.json#/definitions/%s",
			 ACCORD_SCHEMA_BASE, defs[d]);
		for (cp = 1; cp < 0x10000; cp++) {
			char ch[8], subject[16];
			cJSON *inst;
			int rc, want;

			if (cp >= 0xd800 && cp < 0xe000)
				continue;
			put_cp(ch, cp);
			snprintf(subject, sizeof(subject), "a%sb", ch);
			assert_non_null(inst = cJSON_CreateString(subject));
			rc = accord_schema_validate(reg, uri, inst);
			cJSON_Delete(inst);
			want = accord_text_char_allowed(cp, d == 1);
			if (rc != (want ? 0 : ACCORD_EINVALID))
				fail_msg("%s with U+%04X: validation %d, expected %s", defs[d],
					 (unsigned)cp, rc, want ? "valid" : "refused");
			refused[d] += !want;
		}
	}
	/* 31 C0 + DEL + 32 C1 + 3 + 5 + 4 bidi + 2 separators + 3 annotations; text allows \n and \t */
	assert_int_equal(refused[0], 81);
	assert_int_equal(refused[1], 79);
	accord_schema_builtin_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_official_suite_draft7),
		cmocka_unit_test(test_schema_error_names_pointer_and_limit),
		cmocka_unit_test(test_schema_error_names_unknown_and_missing_fields),
		cmocka_unit_test(test_schema_oneof_reports_matching_branch),
		cmocka_unit_test(test_schema_oneof_reports_double_match),
		cmocka_unit_test(test_schema_oneof_discriminator_keeps_draft07_results),
		cmocka_unit_test(test_schema_fast_patterns_agree_with_regexec),
		cmocka_unit_test(test_schema_add_rejects_unknown_keywords),
		cmocka_unit_test(test_schema_ref_loop_is_an_error),
		cmocka_unit_test(test_schema_ref_across_documents),
		cmocka_unit_test(test_schema_ref_pointer_escapes),
		cmocka_unit_test(test_schema_length_counts_code_points),
		cmocka_unit_test(test_schema_integer_versus_number),
		cmocka_unit_test(test_schema_equality_is_json_equality),
		cmocka_unit_test(test_schema_patterns_use_ecma_escapes),
		cmocka_unit_test(test_schema_object_and_array_keywords),
		cmocka_unit_test(test_schema_free_accepts_null_and_validate_checks_arguments),
		cmocka_unit_test(test_schema_builtin_schemas_are_valid_draft07),
		cmocka_unit_test(test_schema_free_text_refuses_what_escape_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
