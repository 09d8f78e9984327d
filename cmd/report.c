/* accord report: joint outcomes and customer impact, in numbers (docs/metrics.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "accord/report.h"
#include "cmd.h"

static const char report_usage[] =
	"usage: accord report [--since TIME] [--until TIME] [--service NAME] [--party NAME]\n"
	"                     [--format text|json|csv|md|html] [-o FILE] [--meta FILE]\n"
	"                     [--strict] [--all-ledgers | --ledger NAME...]\n\n"
	"What customers went through and how the parties worked together, for the\n"
	"incidents whose impact overlaps the period [--since, --until) (default: all\n"
	"time until now). Customer-minutes are clipped to the period; feedback, SLA\n"
	"measurements and resolutions count whenever they were recorded.\n"
	"docs/metrics.md and every report define each figure. TIME: RFC 3339 with a\n"
	"zone (2026-11-23T07:31:00Z) or a date, meaning 00:00 UTC (2026-11-23).\n\n"
	"  --service NAME      only incidents of this service (their current one, after\n"
	"                      any amend)\n"
	"  --party NAME        only incidents involving this party (or owing it an action)\n"
	"  --format F          text (default), json (schemas/report.schema.json), csv (a\n"
	"                      header row and one row per incident, nothing else), md\n"
	"                      (for review minutes), html (one self-contained page with\n"
	"                      charts, printable)\n"
	"  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
	"  --meta FILE         with csv: write what the rows do not say (generation time,\n"
	"                      ledger, filters, verification, definitions) to FILE, as a\n"
	"                      CSV of key,value rows (not the -o file)\n"
	"  --strict            exit 3 when entries were left out because they do not\n"
	"                      count (the report always covers only what counts, and\n"
	"                      names what it left out)\n"
	"  --all-ledgers, --ledger NAME (repeatable)\n"
	"                      across the ledgers listed with 'accord ledgers add' (or\n"
	"                      each NAME): every figure over all their incidents, each\n"
	"                      incident and each table row (service, party, factor)\n"
	"                      naming the ledgers it came from, and each ledger's own\n"
	"                      verification. Every format; csv has a ledger column and\n"
	"                      (as for one ledger) no aggregate tables.\n"
	"  --allow-unverified  no longer needed: accepted and ignored\n";

/* A feed with entries left out: from commit `from` on, or all of it. */
typedef struct {
	char feed[ACCORD_KEYID_HEXLEN + 1];
	char from[GIT_OID_HEXSZ + 1]; /* empty: the whole feed */
} feed_cut;

/* What of the loaded ledger `l` was left out, into `meta` (which borrows *message and *cuts). */
static void describe_ledger(const accord_ledger *l, accord_report_meta *meta, char **message,
			    feed_cut **cuts)
{
	const accord_beyond *beyond;
	size_t i, left_out, finding_count, beyond_count;

	meta->verified = 1;
	meta->findings = accord_ledger_findings(l, &finding_count);
	left_out = accord_ledger_left_out(l);
	if (!left_out && !finding_count) {
		meta->findings = NULL;
		return;
	}
	meta->verified = 0;
	meta->finding_count = finding_count;
	if (asprintf(message, "%zu entr%s left out, %zu finding%s", left_out,
		     left_out == 1 ? "y" : "ies", finding_count, finding_count == 1 ? "" : "s") < 0)
		accord_oom();
	meta->verify_message = *message;
	beyond = accord_ledger_beyonds(l, &beyond_count);
	if (!(*cuts = calloc(beyond_count + 1, sizeof(**cuts))))
		accord_oom();
	for (i = 0; i < beyond_count; i++) {
		feed_cut *c = &(*cuts)[meta->excluded_count++];

		memcpy(c->feed, beyond[i].keyid, sizeof(c->feed));
		/* from its first commit that does not count on: the whole feed when that is its root */
		if (!git_oid_is_zero(&beyond[i].first_out) && accord_ledger_feed(l, c->feed))
			git_oid_tostr(c->from, sizeof(c->from), &beyond[i].first_out);
	}
}

/*
 * Load the ledger: what counts, as every path sees it. Entries left out
 * are named in the report's verification block (and --strict makes the
 * command exit 3, in the dispatcher).
 */
static int load_ledger(accord_ctx *ctx, accord_report_meta *meta, char **message, feed_cut **cuts)
{
	int error;

	if ((error = cmd_load_fields(ctx, 0)) != 0)
		return error;
	describe_ledger(ctx->ledger, meta, message, cuts);
	return 0;
}

/* meta->excluded_feeds and excluded_from, pointing into `cuts`; free *ptrs. */
static void point_at_cuts(accord_report_meta *meta, const feed_cut *cuts, const char ***ptrs)
{
	size_t i;

	*ptrs = NULL;
	if (!meta->excluded_count)
		return;
	/* one array: feeds, then where each was cut */
	if (!(*ptrs = calloc(2 * meta->excluded_count, sizeof(**ptrs))))
		accord_oom();
	for (i = 0; i < meta->excluded_count; i++) {
		(*ptrs)[i] = cuts[i].feed;
		(*ptrs)[meta->excluded_count + i] = cuts[i].from[0] ? cuts[i].from : NULL;
	}
	meta->excluded_feeds = *ptrs;
	meta->excluded_from = *ptrs + meta->excluded_count;
}

/* Write `data` to `path` (-o) atomically: a reader sees the old report or the new one. */
static int write_atomic(const char *path, const char *data, size_t len)
{
	struct stat st;
	mode_t mask;
	int exists = lstat(path, &st) == 0;

	if (exists && S_ISDIR(st.st_mode))
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "can't write the report to %s: it is a directory", path);
	/* A rename would replace a link, a FIFO or a device with a plain file: refuse them. */
	if (exists && !S_ISREG(st.st_mode))
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "can't write the report to %s: not a regular file", path);
	mask = umask(0);
	umask(mask);
	/* an existing report keeps its mode */
	if (accord_file_write_atomic(path, data, len,
				     exists ? (st.st_mode & 07777) : (0666 & ~mask)) < 0)
		return cmd_failf(ACCORD_EXIT_FAIL, "can't write the report to %s: %s", path,
				 strerror(errno));
	return 0;
}

/*
 * A --service that no incident of `ledgers` has would give an empty report
 * that reads as good news: refuse it, naming the services there are
 * (`where`: "this ledger" or "the ledgers reported on"). An incident's
 * service is its current one, after any amend, as list and the report's
 * by-service table show it: the service it was opened under refused an
 * amended incident and let a service no incident has any more through
 * (explore60b 06). A NULL ledger (one that could not be read) is skipped.
 */
static int check_service(accord_ledger *const *ledgers, size_t n, const char *service, int64_t now,
			 const char *where)
{
	accord_incident_summary *all = NULL;
	accord_buf known = ACCORD_BUF_INIT;
	accord_idmap seen = ACCORD_IDMAP_INIT;
	size_t count = 0, i;
	int found = 0, code = 0;

	for (i = 0; i < n; i++) {
		accord_incident_summary *s = NULL;
		size_t k = 0, total = 0;
		int error;

		if (!ledgers[i])
			continue;
		if ((error = accord_ledger_list(&s, &k, &total, ledgers[i], NULL, 0, now)) < 0) {
			code = cmd_fail(error);
			goto done;
		}
		if (k && !(all = realloc(all, (count + k) * sizeof(*all))))
			accord_oom();
		if (k)
			memcpy(all + count, s, k * sizeof(*s));
		count += k;
		free(s);
	}
	/* the map borrows its keys from `all`, complete by now */
	for (i = 0; i < count; i++) {
		found |= !strcmp(all[i].service, service);
		if (accord_idmap_add(&seen, all[i].service, &all[i]))
			continue;
		accord_buf_printf(&known, "%s%s", known.size ? ", " : "", all[i].service);
	}
	if (!found)
		code = cmd_failf(ACCORD_EXIT_FAIL,
				 "there is no incident of service '%s' in %s (known: %s)", service,
				 where, known.ptr ? known.ptr : "none");
done:
	accord_idmap_dispose(&seen);
	accord_buf_dispose(&known);
	free(all);
	return code;
}

/* A filter naming what the ledger does not hold: refused, as check_service says why. */
static int check_filters(accord_ctx *ctx, const accord_report_options *ro)
{
	if (ro->party && !accord_parties_find(accord_ledger_parties(ctx->ledger), ro->party))
		return cmd_no_such_party(ctx, ro->party);
	return ro->service ? check_service(&ctx->ledger, 1, ro->service, ro->now, "this ledger")
			   : 0;
}

/* `path` with its folder resolved through links (it may not exist yet), or NULL. Caller frees. */
static char *resolved_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir, *real, *out = NULL;

	if (!slash)
		dir = strdup(".");
	else
		dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		accord_oom();
	real = realpath(dir, NULL);
	if (real && asprintf(&out, "%s/%s", real, slash ? slash + 1 : path) < 0)
		accord_oom();
	free(real);
	free(dir);
	return out;
}

/*
 * Whether -o and --meta name one file, however spelled: then one output
 * would replace the other unsaid (explore60a 08). Asked before anything is
 * written, so a file that does not exist yet is compared by its resolved
 * path; two that exist, by device and inode.
 */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char *ra, *rb;
	int same;

	if (!strcmp(a, b))
		return 1;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	ra = resolved_path(a);
	rb = resolved_path(b);
	same = ra && rb && !strcmp(ra, rb);
	free(ra);
	free(rb);
	return same;
}

/* The JSON report is checked against its own schema before anyone sees it. */
static int render_json(accord_buf *out, const accord_report *r, const accord_report_meta *meta)
{
	accord_schema_registry *reg = NULL;
	cJSON *doc = accord_report_to_json(r, meta);
	char *text;
	int error;

	if ((error = accord_schema_builtin(&reg)) < 0 ||
	    (error = accord_schema_validate(reg, ACCORD_SCHEMA_BASE "report.schema.json", doc)) <
		    0) {
		cJSON_Delete(doc);
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "internal error: the report does not match its schema: %s",
				 accord_error_last());
	}
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text)
		return cmd_failf(ACCORD_EXIT_FAIL, "out of memory printing the report");
	accord_escape_json(out, text);
	accord_buf_putc(out, '\n');
	cJSON_free(text);
	return 0;
}

/* Render `report` in `format` to `output` (atomically) or stdout, and the csv's --meta file. */
static int emit(const accord_report *report, const accord_report_meta *meta,
		accord_report_format format, const char *output, const char *meta_file)
{
	accord_buf out = ACCORD_BUF_INIT;
	const char *no_colour = getenv("NO_COLOR");
	int colour, error;

	colour = format == ACCORD_REPORT_TEXT && !output && isatty(STDOUT_FILENO) &&
		 !(no_colour && *no_colour);
	if (format == ACCORD_REPORT_JSON)
		error = render_json(&out, report, meta);
	else if ((error = accord_report_render(&out, report, meta, format, colour)) < 0)
		error = cmd_fail(error);
	if (!error && meta_file) {
		accord_buf m = ACCORD_BUF_INIT;

		accord_report_render_csv_meta(&m, report, meta);
		error = write_atomic(meta_file, m.ptr, m.size);
		accord_buf_dispose(&m);
	}
	if (!error && output)
		error = write_atomic(output, out.ptr, out.size);
	else if (!error)
		fwrite(out.ptr, 1, out.size, stdout);
	accord_buf_dispose(&out);
	return error;
}

/* The key that generates a report: who ran it, if they have a key (no passphrase needed). */
static void generated_by(accord_ctx *ctx, accord_report_meta *meta, accord_pubkey *pub)
{
	char *home = NULL;

	if (cmd_key_home(&home, ctx) == 0 && accord_key_load_public(pub, home) == 0) {
		meta->key_id = pub->id;
		meta->key_name = pub->name;
	}
	free(home);
	accord_error_clear();
}

/*
 * A filter naming what none of the ledgers holds would give an empty report
 * that looks like good news: refuse it, as for one ledger.
 */
static int check_filters_across(cmd_ledger_view *v, size_t n, const accord_report_options *ro)
{
	accord_ledger **ledgers;
	size_t i;
	int party = !ro->party, code;

	for (i = 0; i < n && !party; i++)
		party = v[i].ctx.ledger &&
			accord_parties_find(accord_ledger_parties(v[i].ctx.ledger), ro->party);
	if (!party)
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "there is no party '%s' in the ledgers reported on", ro->party);
	if (!ro->service)
		return 0;
	if (!(ledgers = calloc(n, sizeof(*ledgers))))
		accord_oom();
	for (i = 0; i < n; i++)
		ledgers[i] = v[i].ctx.ledger;
	code = check_service(ledgers, n, ro->service, ro->now, "the ledgers reported on");
	free(ledgers);
	return code;
}

/*
 * The report across listed ledgers: each opened in a ctx of its own, each
 * one's verification kept apart (a ledger with findings is reported as
 * such, the others' figures still stand), the figures computed once over
 * all of them. A ledger that cannot be opened at all is said, left out,
 * and makes the exit 1; the report covers the rest.
 */
static int report_across(accord_ctx *ctx, const cmd_ledger_pick *pick,
			 const accord_report_options *ro, accord_report_format format,
			 const char *output, const char *meta_file)
{
	cmd_ledger_view *v = NULL;
	accord_report_source *src = NULL;
	accord_report_meta meta = { 0 }, *lm = NULL;
	accord_report *report = NULL;
	accord_buf partial = ACCORD_BUF_INIT;
	accord_pubkey pub;
	char **messages = NULL;
	feed_cut **cuts = NULL;
	const char ***ptrs = NULL;
	size_t i, n = 0, opened = 0, failed = 0;
	int error;

	if ((error = cmd_ledgers_pick(&v, &n, ctx, pick)) != 0)
		return error;
	src = calloc(n, sizeof(*src));
	lm = calloc(n, sizeof(*lm));
	messages = calloc(n, sizeof(*messages));
	cuts = calloc(n, sizeof(*cuts));
	ptrs = calloc(n, sizeof(*ptrs));
	if (!src || !lm || !messages || !cuts || !ptrs)
		accord_oom();
	meta.verified = 1;
	for (i = 0; i < n; i++) {
		accord_report_meta *m = &lm[opened];

		if (cmd_ledger_view_open(&v[i], ctx, CMD_VIEW_FIELDS) != 0) {
			failed++;
			accord_buf_printf(&partial, "%sledger %s could not be read",
					  partial.size ? "; " : "", v[i].name);
			meta.verified = 0;
			continue;
		}
		describe_ledger(v[i].ctx.ledger, m, &messages[opened], &cuts[opened]);
		point_at_cuts(m, cuts[opened], &ptrs[opened]);
		if (!m->verified) {
			meta.verified = 0;
			accord_buf_printf(&partial, "%sledger %s: %s", partial.size ? "; " : "",
					  v[i].name, m->verify_message);
		}
		src[opened].ledger = v[i].ctx.ledger;
		src[opened].name = v[i].name;
		opened++;
	}
	if (!opened) {
		error = cmd_failf(ACCORD_EXIT_FAIL, "none of the ledgers could be read");
		goto done;
	}
	meta.verify_message = partial.ptr;
	meta.ledgers = lm;
	meta.ledger_count = opened;
	if ((error = check_filters_across(v, n, ro)) != 0)
		goto done;
	generated_by(ctx, &meta, &pub);
	if ((error = accord_report_compute_many(&report, src, opened, ro)) < 0) {
		error = error == ACCORD_EINVALID ? cmd_usage_error(ctx, "%s", accord_error_last())
						 : cmd_fail(error);
		goto done;
	}
	if ((error = emit(report, &meta, format, output, meta_file)) == 0 && failed)
		error = ACCORD_EXIT_FAIL;
	/* --strict across ledgers: any ledger that left entries out */
	if (!error && ctx->strict && !meta.verified) {
		cmd_warn("--strict: entries were left out (%s)", partial.ptr ? partial.ptr : "");
		error = ACCORD_EXIT_VERIFY;
	}
done:
	accord_report_free(report);
	for (i = 0; i < n; i++) {
		free(messages[i]);
		free(cuts[i]);
		free(ptrs[i]);
	}
	free(messages);
	free(cuts);
	free(ptrs);
	free(lm);
	free(src);
	accord_buf_dispose(&partial);
	cmd_ledger_views_free(v, n);
	return error;
}

int cmd_report(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "service", required_argument, NULL, 'v' },
		{ "party", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "meta", required_argument, NULL, 'm' },
		{ "allow-unverified", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_report_options ro = ACCORD_REPORT_OPTIONS_INIT;
	accord_report_meta meta = { 0 };
	accord_report_format format = ACCORD_REPORT_TEXT;
	accord_report *report = NULL;
	accord_pubkey pub;
	char *message = NULL;
	feed_cut *cuts = NULL;
	const char **excluded_ptrs = NULL;
	const char *since = NULL, *until = NULL, *output = NULL, *meta_file = NULL;
	cmd_ledger_pick pick;
	int c, error = 0;
	size_t i;

	if ((argc = cmd_take_ledger_pick(&pick, ctx, argc, argv)) < 0)
		return ACCORD_EXIT_USAGE;
	/* cmd_getopt knows only long options and -h: spell -o FILE as --output FILE */
	for (i = 1; i < (size_t)argc && strcmp(argv[i], "--") != 0; i++)
		if (!strcmp(argv[i], "-o"))
			argv[i] = (char *)"--output";
	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'v': ro.service = optarg; break;
		case 'p': ro.party = optarg; break;
		case 'o': output = optarg; break;
		case 'm': meta_file = optarg; break;
		case 'A': break;
		case 'f':
			if (accord_report_format_parse(&format, optarg) < 0)
				return cmd_usage_error(ctx, "%s", accord_error_last());
			break;
		case 'h': fputs(report_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((since && (error = cmd_parse_time(ctx, &ro.since, "--since", since))) ||
	    (until && (error = cmd_parse_time(ctx, &ro.until, "--until", until))) ||
	    (ro.service && (error = cmd_check_text(ctx, "--service", ro.service, 0))))
		return error;
	if (ro.party && !cmd_valid_name(ro.party))
		return cmd_usage_error(ctx, "invalid party name '%s'", ro.party);
	if (output && !*output)
		return cmd_usage_error(ctx, "-o needs a file name");
	if (meta_file && (!*meta_file || format != ACCORD_REPORT_CSV))
		return cmd_usage_error(ctx, "--meta FILE goes with --format csv");
	if (meta_file && output && same_file(output, meta_file))
		return cmd_usage_error(
			ctx, "-o and --meta name the same file (%s): give each its own", meta_file);
	ro.has_since = since != NULL;
	ro.has_until = until != NULL;
	if (ro.has_since && ro.has_until && ro.until <= ro.since)
		return cmd_usage_error(ctx, "--until must be after --since");
	ro.now = accord_time_now();
	if (output) {
		struct stat st;

		if (stat(output, &st) == 0 && S_ISDIR(st.st_mode))
			return cmd_failf(ACCORD_EXIT_FAIL,
					 "can't write the report to %s: it is a directory", output);
	}

	if (CMD_LEDGER_PICKED(&pick)) {
		error = report_across(ctx, &pick, &ro, format, output, meta_file);
		goto done;
	}
	if ((error = load_ledger(ctx, &meta, &message, &cuts)) != 0)
		goto done;
	point_at_cuts(&meta, cuts, &excluded_ptrs);
	if ((error = check_filters(ctx, &ro)) != 0)
		goto done;
	generated_by(ctx, &meta, &pub);

	if ((error = accord_report_compute(&report, ctx->ledger, &ro)) < 0) {
		error = error == ACCORD_EINVALID ? cmd_usage_error(ctx, "%s", accord_error_last())
						 : cmd_fail(error);
		goto done;
	}
	error = emit(report, &meta, format, output, meta_file);
done:
	accord_report_free(report);
	free(excluded_ptrs);
	free(cuts);
	free(message);
	return error;
}
