/*
 * The report as CSV: one table, a header row and a row per incident, so a
 * spreadsheet imports it cleanly; what the rows do not say goes to a
 * second CSV of key,value rows (accord_report_render_csv_meta).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/buf.h"
#include "escape.h"
#include "accord/report.h"
#include "accord/timefmt.h"

#include "report_impl.h"

/*
 * Whether a spreadsheet might run `s` as a formula. Spreadsheets fold many
 * characters to = + - @ | (fullwidth, small and mathematical forms) and skip
 * many before them (every kind of space, invisible format characters), and
 * the lists differ between them: so anything that does not start with an
 * ASCII letter, digit or a punctuation mark no formula starts with counts.
 */
static int csv_formula(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (!c)
		return 0;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return 0;
	return !strchr("([{\"'#.,/_!?*&%$~^:;<>", c) || c >= 0x80;
}

/*
 * RFC 4180 quoting. `text` fields come from the ledger: escaped as every
 * output is (accord_escape), and given a leading quote when a spreadsheet
 * would run them as a formula.
 */
static void csv_field(accord_buf *out, const char *s, int text, int last)
{
	char *esc = text ? accord_escape_dup(s, 0) : NULL;
	const char *v = esc ? esc : s;
	/* U+2028 and U+2029 end lines for some readers: quoted like a newline */
	int quote = strpbrk(v, ",\"\r\n") != NULL || strstr(v, "\xe2\x80\xa8") ||
		    strstr(v, "\xe2\x80\xa9") || (*v && (v[0] == ' ' || v[strlen(v) - 1] == ' '));

	if (quote)
		accord_buf_putc(out, '"');
	if (text && csv_formula(s))
		accord_buf_putc(out, '\'');
	for (; *v; v++) {
		if (*v == '"')
			accord_buf_putc(out, '"');
		accord_buf_putc(out, *v);
	}
	if (quote)
		accord_buf_putc(out, '"');
	accord_buf_puts(out, last ? "\r\n" : ",");
	free(esc);
}

static void csv_num(accord_buf *out, const char *s)
{
	csv_field(out, s, 0, 0);
}

/* One "key,value" row of the metadata CSV. */
static void csv_meta_row(accord_buf *out, const char *key, const char *value)
{
	csv_field(out, key, 0, 0);
	csv_field(out, value, 1, 1);
}

static char *num1(double v)
{
	char b[64];

	dec(b, sizeof(b), round_to(v, 10), 1);
	return accord_xstrdup(b);
}

void accord_report_render_csv_meta(accord_buf *out, const accord_report *r,
				   const accord_report_meta *meta)
{
	char t[ACCORD_TIME_LEN], b[64];
	size_t i;

	csv_meta_row(out, "key", "value");
	csv_meta_row(out, "report", "accord report");
	accord_time_format(t, r->opts.now);
	csv_meta_row(out, "generated_at", t);
	if (!r->across)
		csv_meta_row(out, "ledger", r->ledger_id);
	for (i = 0; r->across && i < r->ledger_count; i++) {
		const accord_report_meta *lm =
			meta && i < meta->ledger_count ? &meta->ledgers[i] : NULL;
		char key[128];

		snprintf(key, sizeof(key), "ledger %s", r->ledgers[i].name);
		csv_meta_row(out, key, r->ledgers[i].id);
		snprintf(key, sizeof(key), "verification %s", r->ledgers[i].name);
		if (!lm || lm->verified) {
			snprintf(b, sizeof(b), "verified (%zu %s)", r->ledgers[i].entry_count,
				 accord_plural((long long)r->ledgers[i].entry_count, "entry",
					       "entries"));
			csv_meta_row(out, key, b);
		} else {
			csv_meta_row(out, key, "PARTIAL");
			snprintf(key, sizeof(key), "verification_message %s", r->ledgers[i].name);
			csv_meta_row(out, key, lm->verify_message ? lm->verify_message : "");
		}
	}
	csv_meta_row(out, "generated_by", meta && meta->key_id ? meta->key_id : "none");
	if (r->opts.has_since)
		accord_time_format(t, r->opts.since);
	csv_meta_row(out, "since", r->opts.has_since ? t : "");
	accord_time_format(t, r->opts.has_until ? r->opts.until : r->opts.now);
	csv_meta_row(out, "until", t);
	csv_meta_row(out, "service", r->opts.service ? r->opts.service : "");
	csv_meta_row(out, "party", r->opts.party ? r->opts.party : "");
	if (!meta || meta->verified) {
		snprintf(b, sizeof(b), "verified (%zu %s)", r->entry_count,
			 accord_plural((long long)r->entry_count, "entry", "entries"));
		csv_meta_row(out, "verification", b);
	} else {
		csv_meta_row(out, "verification", "PARTIAL");
		csv_meta_row(out, "verification_message",
			     meta->verify_message ? meta->verify_message : "");
		csv_meta_row(
			out, "warning",
			"entries that do not count were left out (accord audit explains them)");
	}
	for (i = 0; i < accord_report_definition_count; i++) {
		char key[128];

		snprintf(key, sizeof(key), "definition %s", accord_report_definitions[i].key);
		csv_meta_row(out, key, accord_report_definitions[i].text);
	}
}

/* The row of incident `ri`, its last column `verified`. */
static void csv_incident_row(accord_buf *out, const accord_report_incident *ri,
			     const char *verified)
{
	const accord_incident *inc = ri->incident;
	accord_buf list = ACCORD_BUF_INIT;
	char t[ACCORD_TIME_LEN], b[64];
	char *s;
	size_t j;

	csv_field(out, inc->id, 0, 0);
	csv_field(out, inc->title, 1, 0);
	csv_field(out, inc->service, 1, 0);
	snprintf(b, sizeof(b), "%lld", (long long)inc->severity);
	csv_num(out, b);
	csv_field(out, inc->status, 0, 0);
	accord_time_format(t, inc->started_at);
	csv_num(out, t);
	for (j = 0; j < inc->party_count; j++)
		accord_buf_printf(&list, "%s%s", j ? ";" : "", inc->parties[j]);
	csv_field(out, list.ptr ? list.ptr : "", 1, 0);
	accord_buf_clear(&list);
	snprintf(b, sizeof(b), "%zu", ri->windows);
	csv_num(out, b);
	snprintf(b, sizeof(b), "%lld", (long long)ri->customers);
	csv_num(out, b);
	s = num1((double)ri->customer_seconds / 60.0);
	csv_num(out, s);
	free(s);
	s = num1((double)ri->longest_s / 60.0);
	csv_num(out, s);
	free(s);
	snprintf(b, sizeof(b), "%zu", ri->feedback_count);
	csv_num(out, b);
	s = ri->feedback_count ? mean_text(ri->score_sum, ri->feedback_count) : accord_xstrdup("");
	csv_num(out, s);
	free(s);
	if (ri->feedback_count)
		dec(b, sizeof(b),
		    round_to(100.0 * (double)ri->csat_count / (double)ri->feedback_count, 10), 1);
	else
		b[0] = '\0';
	csv_num(out, b);
	snprintf(b, sizeof(b), "%lld", (long long)ri->lost_sum);
	csv_num(out, b);
	snprintf(b, sizeof(b), "%zu", ri->sla_count);
	csv_num(out, b);
	snprintf(b, sizeof(b), "%zu", ri->sla_met);
	csv_num(out, b);
	csv_num(out, ri->watermelon ? "yes" : "no");
	csv_num(out, resolution_state(inc));
	if (ri->joint) {
		accord_time_format(t, ri->joint_at);
		csv_num(out, t);
		snprintf(b, sizeof(b), "%lld", (long long)ri->time_to_joint_s);
		csv_num(out, b);
		snprintf(b, sizeof(b), "%d", ri->revisions);
		csv_num(out, b);
	} else {
		csv_num(out, "");
		csv_num(out, "");
		csv_num(out, "");
	}
	for (j = 0; j < ri->waiting_count; j++)
		accord_buf_printf(&list, "%s%s", j ? ";" : "", ri->waiting[j]);
	csv_field(out, list.ptr ? list.ptr : "", 1, 0);
	accord_buf_dispose(&list);
	snprintf(b, sizeof(b), "%zu", ri->actions_open);
	csv_num(out, b);
	snprintf(b, sizeof(b), "%zu", ri->actions_done);
	csv_num(out, b);
	snprintf(b, sizeof(b), "%zu", ri->actions_overdue);
	csv_num(out, b);
	/* each clock: party:verdict:seconds per provider (party names start with a letter or digit) */
	for (j = 0; j < ACCORD_CLOCKS; j++) {
		accord_buf cell = ACCORD_BUF_INIT;

		accord_clocks_brief_text(&cell, ri->clocks, j);
		csv_field(out, cell.ptr ? cell.ptr : "", 1, 0);
		accord_buf_dispose(&cell);
	}
	csv_field(out, verified, 0, 1);
}

/*
 * One table, nothing else: a header row and one row per incident, so a
 * spreadsheet imports it cleanly. What the rows do not say is in
 * accord_report_render_csv_meta; the last column says whether every
 * entry counted, so a row computed without some can never pass for one
 * computed with all.
 */
void accord_report_render_csv(accord_buf *out, const accord_report *r,
			      const accord_report_meta *meta)
{
	static const char *const cols[] = {
		"id",
		"title",
		"service",
		"severity",
		"status",
		"started_at",
		"parties",
		"impact_windows",
		"customers",
		"customer_minutes",
		"longest_minutes",
		"responses",
		"mean_score",
		"csat_pct",
		"lost_minutes",
		"sla_measurements",
		"sla_met",
		"watermelon",
		"resolution",
		"joint_at",
		"time_to_joint_s",
		"revisions",
		"waiting_for",
		"actions_open",
		"actions_done",
		"actions_overdue",
		"acknowledge",
		"mitigate",
		"restore",
		"verified",
	};
	size_t i, n = sizeof(cols) / sizeof(*cols);
	const char *verified = !meta || meta->verified ? "yes" : "PARTIAL (entries left out)";

	if (r->across)
		csv_field(out, "ledger", 0, 0);
	for (i = 0; i < n; i++)
		csv_field(out, cols[i], 0, i + 1 == n);
	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];

		/* across ledgers a row is as verified as its own ledger */
		if (r->across) {
			const accord_report_meta *lm = meta && ri->ledger < meta->ledger_count
							       ? &meta->ledgers[ri->ledger]
							       : NULL;

			csv_field(out, r->ledgers[ri->ledger].name, 1, 0);
			verified = !lm || lm->verified ? "yes" : "PARTIAL (entries left out)";
		}
		csv_incident_row(out, ri, verified);
	}
}
