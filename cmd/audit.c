/* accord audit: verify the whole history and report every finding. */
#include <stdlib.h>
#include <string.h>

#include "accord/audit.h"
#include "cmd.h"

static const char audit_usage[] =
	"usage: accord audit [--json | --format text|json] [--no-record] [--threads N]\n"
	"\n"
	"Verify every entry of every feed (signatures, hash chains, sequence numbers,\n"
	"schemas, ledger id, authorization in ledger order, cosign references,\n"
	"timestamps), the evidence refs, partners' checkpoints and the refs under\n"
	"refs/accord/, without stopping at the first problem. Prints a report that\n"
	"can be pasted into meeting minutes (text, the default) or a JSON document\n"
	"(--json; schemas/audit.schema.json).\n"
	"\n"
	"  --json               same as --format json\n"
	"  --format FORMAT      text (default) or json\n"

	"  --no-record          do not record the verified heads after a clean audit\n"
	"  --threads N          signature-checking threads (default: one per CPU)\n"
	"\n"
	"A clean audit records the verified heads in <gitdir>/accord/verified-heads; a\n"
	"later audit reports a feed that no longer extends them as a rollback.\n"
	"Entries set aside by a documented rule (a key's entries after its revocation)\n"
	"are listed in a section of their own and do not make the audit fail.\n"
	"Exit codes: 0 clean (or only entries set aside), 3 findings, 1 failure,\n"
	"2 usage error.\n";

/*
 * What an audit checks and what it cannot prove, said once for both formats:
 * a reviewer must not read more into "clean" than was checked.
 */
static const char *const checked[] = {
	"signatures and their one encoding",
	"hash chains and sequence numbers",
	"time order within each feed",
	"schemas",
	"ledger id",
	"authorization in ledger order",
	"cosign references",
	"checkpoints",
	"evidence refs",
	"refs/accord/ layout",
};
static const char *const not_proven[] = {
	"when things happened: every time is asserted by the member who signed it; the audit "
	"checks times only against the order of their own feed and against revocations",
	"that nothing is missing: a party can withhold entries it never pushed; the audit sees "
	"what reached this copy, and partners' checkpoints show how far each feed was seen",
};

/* Print `text` from column 13, wrapped before column 80, the first line already indented. */
static void print_wrapped(const char *text)
{
	const char *p = text;
	size_t col = 13;

	while (*p) {
		size_t word = strcspn(p, " ");

		if (col > 13 && col + 1 + word > 79) {
			printf("\n%13s", "");
			col = 13;
		} else if (col > 13) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)word, p);
		col += word;
		p += word;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

static const char *role_of(const accord_member *m)
{
	return m->root ? "root" : m->admin ? "admin" : "member";
}

static void add_time_or_null(cJSON *obj, const char *name, int64_t t)
{
	char when[ACCORD_TIME_LEN];

	if (t) {
		accord_time_format(when, t);
		cJSON_AddStringToObject(obj, name, when);
	} else {
		cJSON_AddNullToObject(obj, name);
	}
}

static void add_str_or_null(cJSON *obj, const char *name, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(obj, name, s);
	else
		cJSON_AddNullToObject(obj, name);
}

/* party and member names of a key, or NULLs. */
static void who(const accord_audit *a, const char *keyid, const char **party, const char **member)
{
	const accord_member *m = keyid && *keyid ? accord_parties_member(&a->parties, keyid) : NULL;

	*party = m ? a->parties.parties[m->party].name : NULL;
	*member = m ? m->key.name : NULL;
}

/*
 * Findings that set entries aside by a documented rule (verify.h,
 * accord_audit_kind_sets_aside) are listed apart and do not fail the audit.
 */
static size_t set_aside_count(const accord_audit *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->finding_count; i++)
		n += a->findings[i].set_aside != 0;
	return n;
}

static cJSON *finding_json(const accord_audit *a, const accord_audit_finding *f)
{
	cJSON *it = cJSON_CreateObject();
	const char *party, *member;

	who(a, f->feed, &party, &member);
	cJSON_AddStringToObject(it, "kind", accord_audit_kind_name(f->kind));
	add_str_or_null(it, "feed", f->feed);
	add_str_or_null(it, "party", party);
	add_str_or_null(it, "member", member);
	if (f->seq)
		cJSON_AddNumberToObject(it, "seq", (double)f->seq);
	else
		cJSON_AddNullToObject(it, "seq");
	add_str_or_null(it, "commit", f->commit);
	add_str_or_null(it, "entry", f->entry);
	add_str_or_null(it, "incident", f->incident);
	add_str_or_null(it, "ref", f->ref);
	cJSON_AddStringToObject(it, "explanation", f->explanation);
	return it;
}

static cJSON *audit_json(accord_ctx *ctx, const accord_audit *a, int recorded)
{
	cJSON *doc = cJSON_CreateObject(), *o, *arr, *section, *counts;
	size_t i, count[ACCORD_AUDIT_KIND_COUNT] = { 0 }, aside = set_aside_count(a);
	char when[ACCORD_TIME_LEN];

	add_str_or_null(doc, "ledger", a->ledger);
	cJSON_AddStringToObject(doc, "title", a->title);
	cJSON_AddStringToObject(doc, "repository", accord_store_gitdir(ctx->store));
	accord_time_format(when, accord_time_now());
	cJSON_AddStringToObject(doc, "generated_at", when);
	cJSON_AddStringToObject(doc, "generated_by", "accord " ACCORD_VERSION);
	cJSON_AddBoolToObject(doc, "clean", a->finding_count == aside);
	o = cJSON_AddObjectToObject(doc, "period");
	add_time_or_null(o, "first", a->first_time);
	add_time_or_null(o, "last", a->last_time);
	o = cJSON_AddObjectToObject(doc, "totals");
	cJSON_AddNumberToObject(o, "feeds", (double)a->feed_count);
	cJSON_AddNumberToObject(o, "entries", (double)a->entries);
	cJSON_AddNumberToObject(o, "verified", (double)a->verified);
	cJSON_AddNumberToObject(o, "findings", (double)(a->finding_count - aside));
	cJSON_AddNumberToObject(o, "set_aside", (double)aside);
	cJSON_AddNumberToObject(o, "evidence", (double)a->evidence);
	cJSON_AddNumberToObject(o, "checkpoints", (double)a->checkpoints);
	cJSON_AddNumberToObject(o, "replays", (double)a->replays);
	o = cJSON_AddObjectToObject(doc, "record");
	cJSON_AddBoolToObject(o, "compared", a->had_record);
	cJSON_AddBoolToObject(o, "written", recorded);
	arr = cJSON_AddArrayToObject(doc, "checked");
	for (i = 0; i < sizeof(checked) / sizeof(*checked); i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(checked[i]));
	arr = cJSON_AddArrayToObject(doc, "not_proven");
	for (i = 0; i < sizeof(not_proven) / sizeof(*not_proven); i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(not_proven[i]));

	arr = cJSON_AddArrayToObject(doc, "parties");
	for (i = 0; i < a->parties.party_count; i++) {
		const accord_party *p = &a->parties.parties[i];
		cJSON *it = cJSON_CreateObject();

		cJSON_AddStringToObject(it, "name", p->name);
		add_time_or_null(it, "joined", p->joined);
		cJSON_AddStringToObject(it, "root", a->parties.members[p->root]->key.id);
		cJSON_AddItemToArray(arr, it);
	}
	arr = cJSON_AddArrayToObject(doc, "members");
	for (i = 0; i < a->parties.member_count; i++) {
		const accord_member *m = a->parties.members[i];
		int parties;
		size_t offers = accord_parties_pending_offers(&a->parties, m, &parties);
		cJSON *it = cJSON_CreateObject();

		cJSON_AddStringToObject(it, "name", offers > 1 ? "" : m->key.name);
		cJSON_AddStringToObject(it, "party",
					parties > 1 ? "" : a->parties.parties[m->party].name);
		cJSON_AddStringToObject(it, "key", m->key.id);
		cJSON_AddStringToObject(it, "role", role_of(m));
		add_time_or_null(it, "added", m->added);
		add_time_or_null(it, "revoked", m->revoked ? m->revoked_at : 0);
		cJSON_AddBoolToObject(it, "accepted", m->accepted != 0);
		cJSON_AddNumberToObject(it, "offers", (double)offers);
		cJSON_AddItemToArray(arr, it);
	}
	arr = cJSON_AddArrayToObject(doc, "feeds");
	for (i = 0; i < a->feed_count; i++) {
		const accord_audit_feed *f = &a->feeds[i];
		cJSON *it = cJSON_CreateObject();
		const char *party, *member;

		who(a, f->keyid, &party, &member);
		cJSON_AddStringToObject(it, "feed", f->keyid);
		add_str_or_null(it, "party", party);
		add_str_or_null(it, "member", member);
		cJSON_AddNumberToObject(it, "entries", (double)f->entries);
		cJSON_AddNumberToObject(it, "verified", (double)f->verified);
		if (f->head_commit[0]) {
			cJSON *h = cJSON_AddObjectToObject(it, "head");

			cJSON_AddNumberToObject(h, "seq", (double)f->head_seq);
			cJSON_AddStringToObject(h, "commit", f->head_commit);
			add_str_or_null(h, "entry", f->head_entry);
		} else {
			cJSON_AddNullToObject(it, "head");
		}
		if (f->broken_at)
			cJSON_AddNumberToObject(it, "broken_at", (double)f->broken_at);
		else
			cJSON_AddNullToObject(it, "broken_at");
		if (f->witnessed_seq) {
			cJSON *w = cJSON_AddObjectToObject(it, "witnessed");

			cJSON_AddNumberToObject(w, "seq", (double)f->witnessed_seq);
			cJSON_AddStringToObject(w, "by", f->witnessed_by);
		} else {
			cJSON_AddNullToObject(it, "witnessed");
		}
		cJSON_AddItemToArray(arr, it);
	}
	arr = cJSON_AddArrayToObject(doc, "findings");
	section = cJSON_AddArrayToObject(doc, "set_aside");
	for (i = 0; i < a->finding_count; i++) {
		const accord_audit_finding *f = &a->findings[i];

		if (!f->set_aside)
			count[f->kind]++;
		cJSON_AddItemToArray(f->set_aside ? section : arr, finding_json(a, f));
	}
	counts = cJSON_AddObjectToObject(doc, "counts");
	for (i = 0; i < ACCORD_AUDIT_KIND_COUNT; i++)
		if (count[i])
			cJSON_AddNumberToObject(counts,
						accord_audit_kind_name((accord_audit_kind)i),
						(double)count[i]);
	return doc;
}

/* One section of the text report: the faults, or the findings that set entries aside. */
static void print_findings(const accord_audit *a, int set_aside, const char *title)
{
	size_t i, k, total = 0, count[ACCORD_AUDIT_KIND_COUNT] = { 0 };

	for (i = 0; i < a->finding_count; i++)
		if (!a->findings[i].set_aside == !set_aside) {
			count[a->findings[i].kind]++;
			total++;
		}
	if (!total)
		return;
	printf("\n%s (%zu)\n", title, total);
	for (k = 0; k < ACCORD_AUDIT_KIND_COUNT; k++) {
		size_t n = 0;

		if (!count[k])
			continue;
		printf("\n  %s (%zu): %s\n", accord_audit_kind_name((accord_audit_kind)k), count[k],
		       accord_audit_kind_summary((accord_audit_kind)k));
		for (i = 0; i < a->finding_count; i++) {
			const accord_audit_finding *f = &a->findings[i];

			if (f->kind != (accord_audit_kind)k || !f->set_aside != !set_aside)
				continue;
			printf("    %zu. ", ++n);
			if (f->feed[0])
				printf("feed %s (%s)", f->feed, cmd_esc(f->label, 0));
			if (f->seq)
				printf(" seq %lld", (long long)f->seq);
			if (f->commit[0])
				printf("%scommit %s", f->feed[0] ? ", " : "", f->commit);
			if (f->entry[0])
				printf(", entry %s", cmd_esc(f->entry, 0));
			if (f->incident[0])
				printf(", incident %.12s", f->incident);
			if (f->ref && (!f->feed[0] || k == ACCORD_AUDIT_UNKNOWN_REF ||
				       strstr(f->ref, "/evidence/")))
				printf("%sref %s", f->feed[0] || f->commit[0] ? ", " : "",
				       cmd_esc(f->ref, 0));
			if (!f->feed[0] && !f->commit[0] && !f->ref)
				printf("the ledger");
			printf("\n       %s\n", cmd_esc(f->explanation, 0));
		}
	}
}

/* The "Checked:" and "Not proven:" lines of the text report. */
static void print_checked(const accord_audit *a)
{
	accord_buf line = ACCORD_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(checked) / sizeof(*checked); i++) {
		accord_buf_printf(&line, "%s%s", i ? ", " : "", checked[i]);
		if (!strcmp(checked[i], "checkpoints"))
			accord_buf_printf(&line, " (%zu)", a->checkpoints);
		else if (!strcmp(checked[i], "evidence refs"))
			accord_buf_printf(
				&line, " (%zu %s)", a->evidence,
				accord_plural((long long)a->evidence, "commit", "commits"));
	}
	printf("Checked:     ");
	print_wrapped(line.ptr);
	for (i = 0; i < sizeof(not_proven) / sizeof(*not_proven); i++) {
		printf("%-13s", i ? "" : "Not proven:");
		print_wrapped(not_proven[i]);
	}
	accord_buf_dispose(&line);
}

/* The parties and members sections of the text report. */
static void print_parties(const accord_parties *p)
{
	char t1[ACCORD_TIME_LEN], t2[ACCORD_TIME_LEN];
	size_t i;

	printf("\nParties (%zu)\n", p->party_count);
	for (i = 0; i < p->party_count; i++) {
		const accord_party *party = &p->parties[i];
		const accord_member *root = p->members[party->root];

		accord_time_format(t1, party->joined);
		printf("  %-16s joined %s, root key %s (%s)\n", cmd_esc(party->name, 0), t1,
		       root->key.id, cmd_esc(root->key.name, 0));
	}
	printf("\nMembers (%zu)\n", p->member_count);
	for (i = 0; i < p->member_count; i++) {
		const accord_member *m = p->members[i];
		int parties;
		size_t offers = accord_parties_pending_offers(p, m, &parties);
		char label[160];

		snprintf(label, sizeof(label), "%s@%s", offers > 1 ? "-" : m->key.name,
			 parties > 1 ? "-" : p->parties[m->party].name);
		accord_time_format(t1, m->added);
		printf("  %-24s %s  %-6s added %s", cmd_esc(label, 0), m->key.id,
		       offers > 1 ? "-" : role_of(m), t1);
		if (!m->accepted)
			printf(", not accepted yet (%zu admission%s waiting)", offers ? offers : 1,
			       offers > 1 ? "s" : "");
		if (m->revoked) {
			accord_time_format(t2, m->revoked_at);
			printf(", revoked %s", t2);
		}
		putchar('\n');
	}
}

/* The feeds section of the text report. */
static void print_feeds(const accord_audit *a)
{
	size_t i;

	printf("\nFeeds (%zu)\n", a->feed_count);
	for (i = 0; i < a->feed_count; i++) {
		const accord_audit_feed *f = &a->feeds[i];

		printf("  %s  %-24s %zu %s, %zu verified, head seq %lld (commit %.12s)", f->keyid,
		       cmd_esc(f->label, 0), f->entries,
		       accord_plural((long long)f->entries, "entry", "entries"), f->verified,
		       (long long)f->head_seq, f->head_commit[0] ? f->head_commit : "-");
		if (f->broken_at)
			printf(", first finding at seq %lld", (long long)f->broken_at);
		if (f->witnessed_seq)
			printf(", witnessed to seq %lld by %s%s", (long long)f->witnessed_seq,
			       cmd_esc(f->witnessed_by, 0),
			       f->witnessed_seq > f->head_seq ? " (this copy is behind)" : "");
		putchar('\n');
	}
}

static void audit_text(accord_ctx *ctx, const accord_audit *a, int recorded)
{
	size_t i, k, count[ACCORD_AUDIT_KIND_COUNT] = { 0 }, aside = set_aside_count(a);
	size_t faults = a->finding_count - aside;
	char t1[ACCORD_TIME_LEN], t2[ACCORD_TIME_LEN];

	for (i = 0; i < a->finding_count; i++)
		if (!a->findings[i].set_aside)
			count[a->findings[i].kind]++;
	/* the title comes from an entry that may not verify: shown, never obeyed */
	printf("Audit of ledger \"%s\" (%s)\n", cmd_esc(a->title, 0),
	       a->ledger[0] ? cmd_esc(a->ledger, 0) : "no genesis found");
	printf("Repository:  %s\n", cmd_esc(accord_store_gitdir(ctx->store), 0));
	accord_time_format(t1, accord_time_now());
	printf("Generated:   %s by accord %s\n", t1, ACCORD_VERSION);
	if (a->first_time) {
		accord_time_format(t1, a->first_time);
		accord_time_format(t2, a->last_time);
		printf("Period:      %s to %s (first and last verified entry)\n", t1, t2);
	} else {
		printf("Period:      none (no entry verified)\n");
	}
	print_checked(a);
	printf("Record:      %s\n",
	       a->had_record
		       ? (recorded ? "compared with the previous audit's verified heads; updated"
				   : "compared with the previous audit's verified heads")
		       : (recorded ? "none before; verified heads recorded" : "none"));
	if (faults == 0) {
		printf("Result:      CLEAN: %zu of %zu %s verified in %zu %s, no findings",
		       a->verified, a->entries,
		       accord_plural((long long)a->entries, "entry", "entries"), a->feed_count,
		       accord_plural((long long)a->feed_count, "feed", "feeds"));
	} else {
		const char *sep = "";

		printf("Result:      %zu FINDING%s (", faults, faults == 1 ? "" : "S");
		for (k = 0; k < ACCORD_AUDIT_KIND_COUNT; k++)
			if (count[k]) {
				printf("%s%s %zu", sep,
				       accord_audit_kind_name((accord_audit_kind)k), count[k]);
				sep = ", ";
			}
		printf("); %zu of %zu %s verified in %zu %s", a->verified, a->entries,
		       accord_plural((long long)a->entries, "entry", "entries"), a->feed_count,
		       accord_plural((long long)a->feed_count, "feed", "feeds"));
	}
	if (aside)
		printf("; %zu set aside by rule", aside);
	putchar('\n');

	print_parties(&a->parties);
	print_feeds(a);
	print_findings(a, 0, "Findings");
	print_findings(a, 1, "Set aside by rule (not faults: see docs/audit.md)");
}

int cmd_audit(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'f' },
		{ "no-record", no_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_audit_options o = ACCORD_AUDIT_OPTIONS_INIT;
	accord_audit *a = NULL;
	int json = 0, format_text = 0, record = 1, recorded = 0, c, error;
	int64_t v;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'h': fputs(audit_usage, stdout); return 0;
		case 'j':
			if (format_text)
				return cmd_usage_error(
					ctx, "--json and --format text exclude each other");
			json = 1;
			break;
		case 'f':
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (!strcmp(optarg, "text") && json)
				return cmd_usage_error(
					ctx, "--json and --format text exclude each other");
			else if (!strcmp(optarg, "text"))
				format_text = 1;
			else
				return cmd_usage_error(
					ctx, "--format must be text or json, not '%s'", optarg);
			break;
		case 'n': record = 0; break;
		case 'T':
			if ((error = cmd_parse_int(ctx, &v, "--threads", optarg, 1, 8)))
				return error;
			o.threads = (int)v;
			break;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_open_store(ctx)))
		return error;
	if ((error = accord_audit_run(&a, ctx->store, &o)) < 0)
		return error == ACCORD_ENOTFOUND
			       ? cmd_failf(ACCORD_EXIT_FAIL, "%s", accord_error_last())
			       : cmd_fail(error);
	if (record && a->finding_count == 0) {
		if (accord_audit_heads_write(ctx->store, a) == 0)
			recorded = 1;
		else
			cmd_warn("warning: %s", accord_error_last());
	}
	if (json)
		cmd_print_json(audit_json(ctx, a, recorded));
	else
		audit_text(ctx, a, recorded);
	/* entries set aside by a rule are reported, not faults: they do not fail the audit */
	error = a->finding_count > set_aside_count(a) ? ACCORD_EXIT_VERIFY : ACCORD_EXIT_OK;
	accord_audit_free(a);
	return error;
}
