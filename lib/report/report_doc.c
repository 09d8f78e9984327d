/*
 * The human formats (text, Markdown, HTML) built from one list of blocks,
 * so that every format says the same thing: headings, paragraphs,
 * key-value lists and tables of cells already formatted (thousands
 * grouped, one decimal, durations) and escaped (accord_escape).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "accord/report.h"
#include "accord/timefmt.h"

#include "array.h"
#include "report_impl.h"
#include "alloc.h"

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	accord_buf b = ACCORD_BUF_INIT;
	va_list ap;
	char *s;
	int n;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	accord_buf_grow(&b, (size_t)n + 1);
	va_start(ap, f);
	vsnprintf(b.ptr, (size_t)n + 1, f, ap);
	va_end(ap);
	b.size = (size_t)n;
	s = accord_buf_detach(&b);
	return s ? s : accord_xstrdup("");
}

/*
 * Text from other parties goes to terminals and documents: controls and
 * bidi overrides are shown escaped (accord_escape), in every format. Takes
 * `s` and returns its replacement.
 */
static char *sanitize(char *s)
{
	char *r = accord_escape_dup(s, 0);

	free(s);
	return r;
}

/*
 * Thousands separators for the human formats (text, md, html; never json
 * or csv, which programs read): "1234567.5" -> "1,234,567.5".
 */
static void group(char *out, size_t len, const char *num)
{
	const char *dot = strchr(num, '.'), *p = num;
	size_t digits, o = 0;

	if (*p == '-' && o + 1 < len)
		out[o++] = *p++;
	digits = (size_t)((dot ? dot : num + strlen(num)) - p);
	for (; *p && p != dot && o + 2 < len; p++, digits--) {
		out[o++] = *p;
		if (digits > 1 && (digits - 1) % 3 == 0)
			out[o++] = ',';
	}
	for (; *p && o + 1 < len; p++)
		out[o++] = *p;
	out[o] = '\0';
}

/* A count, grouped. */
static char *cnt(long long v)
{
	char b[32], g[48];

	snprintf(b, sizeof(b), "%lld", v);
	group(g, sizeof(g), b);
	return accord_xstrdup(g);
}

/* cnt into the caller's buffer, for a figure inside a longer text. */
static const char *cnt_in(char *g, size_t n, long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	group(g, n, b);
	return g;
}

/* num1, grouped. */
static char *num1g(double v)
{
	char b[64], g[96];

	dec(b, sizeof(b), round_to(v, 10), 1);
	group(g, sizeof(g), b);
	return accord_xstrdup(g);
}

static const char *num1g_in(char *g, size_t n, double v)
{
	char b[64];

	dec(b, sizeof(b), round_to(v, 10), 1);
	group(g, n, b);
	return g;
}

static char *pct_text(size_t a, size_t b)
{
	char d[64];

	if (!b)
		return accord_xstrdup("n/a");
	dec(d, sizeof(d), round_to(100.0 * (double)a / (double)b, 10), 1);
	return fmt("%s%%", d);
}

char *accord_report_dur_text(int64_t s)
{
	char d[48];

	accord_duration_format(d, sizeof(d), s < 0 ? -s : s);
	return fmt("%s%s", s < 0 ? "-" : "", d);
}

static block *add_block(rdoc *d, int type)
{
	block b = { 0 };

	b.type = type;
	ACCORD_PUSH(d->b, d->n, b);
	return &d->b[d->n - 1];
}

static void add_text(rdoc *d, int type, char *text)
{
	block *b = add_block(d, type);

	b->text = sanitize(text);
}

static block *add_table(rdoc *d, int type, size_t cols, unsigned right)
{
	block *b = add_block(d, type);

	b->cols = cols;
	b->right = right;
	return b;
}

/* Append a row of `b->cols` cells, taking each (malloc'd) string. */
static void row(block *b, int alert, ...)
{
	va_list ap;
	size_t i;

	b->cells = realloc(b->cells, (b->rows + 1) * b->cols * sizeof(*b->cells));
	b->alert = realloc(b->alert, b->rows + 1);
	if (!b->cells || !b->alert)
		accord_oom();
	va_start(ap, alert);
	for (i = 0; i < b->cols; i++) {
		char *c = va_arg(ap, char *);

		b->cells[b->rows * b->cols + i] = sanitize(c);
	}
	va_end(ap);
	b->alert[b->rows++] = (unsigned char)alert;
}

static void kv(block *b, int alert, const char *label, char *value)
{
	row(b, alert, accord_xstrdup(label), value);
}

void accord_report_doc_free(rdoc *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->b[i].rows * d->b[i].cols; j++)
			free(d->b[i].cells[j]);
		free(d->b[i].cells);
		free(d->b[i].alert);
		free(d->b[i].text);
	}
	free(d->b);
}

static char *short_id(const char *id)
{
	return fmt("%.12s", id);
}

/* "a, b": the ledgers of a row across ledgers (malloc'd). */
/* The ledgers any party's own action items came from. */
static uint64_t all_owner_ledgers(const accord_report *r)
{
	uint64_t set = 0;
	size_t i;

	for (i = 0; i < r->owner_count; i++)
		set |= r->owners[i].ledgers;
	return set;
}

static char *ledgers_text(const accord_report *r, uint64_t set)
{
	accord_buf b = ACCORD_BUF_INIT;
	char *s;

	accord_report_ledger_names(&b, r, set);
	s = accord_xstrdup(b.ptr ? b.ptr : "");
	accord_buf_dispose(&b);
	return s;
}

static char *time_text(int64_t t)
{
	char b[ACCORD_TIME_LEN];

	accord_time_format(b, t);
	return accord_xstrdup(b);
}

/* "had-to-repeat 2, slow 1" (most given first), or "none given". Caller frees. */
static char *indicators_text(const accord_incident *inc)
{
	size_t counts[16], k, best;
	int used[16] = { 0 };
	accord_buf b = ACCORD_BUF_INIT;
	char *t;

	accord_report_indicator_counts(counts, inc);
	for (;;) {
		best = SIZE_MAX;
		for (k = 0; accord_feedback_indicators[k]; k++)
			if (!used[k] && counts[k] && (best == SIZE_MAX || counts[k] > counts[best]))
				best = k;
		if (best == SIZE_MAX)
			break;
		used[best] = 1;
		accord_buf_printf(&b, "%s%s %zu", b.size ? ", " : "",
				  accord_feedback_indicators[best], counts[best]);
	}
	t = strdup(b.size ? b.ptr : "none given");
	accord_buf_dispose(&b);
	if (!t)
		accord_oom();
	return t;
}

static void build_meta(rdoc *d, const accord_report *r, const accord_report_meta *meta)
{
	block *b;
	char *since, *until, gb[48];
	size_t i;

	add_text(
		d, B_H1,
		accord_xstrdup(
			r->across
				? "accord report across ledgers: joint outcomes and customer impact"
				: "accord report: joint outcomes and customer impact"));
	if (meta && !meta->verified) {
		accord_buf ex = ACCORD_BUF_INIT;
		/* across ledgers each ledger says what it left out; the others' figures stand */
		const accord_report_meta *ms = meta->ledger_count ? meta->ledgers : meta;
		size_t n = meta->ledger_count ? meta->ledger_count : 1, k;

		for (k = 0; k < n; k++) {
			for (i = 0; i < ms[k].excluded_count; i++) {
				const char *from =
					ms[k].excluded_from ? ms[k].excluded_from[i] : NULL;

				accord_buf_printf(&ex, "%s", ex.size ? "; " : "");
				if (meta->ledger_count && k < r->ledger_count)
					accord_buf_printf(&ex, "ledger %s ", r->ledgers[k].name);
				accord_buf_printf(&ex, "feed %s", ms[k].excluded_feeds[i]);
				if (from)
					accord_buf_printf(&ex, " from commit %.12s on", from);
				else
					accord_buf_puts(&ex, " (all of it)");
			}
		}
		add_text(d, B_WARN,
			 fmt("PARTIAL: %s. These figures count only the entries that verify: each "
			     "feed up to its first entry that does not count. Left out: %s. "
			     "accord audit explains each finding.",
			     meta->verify_message ? meta->verify_message : "entries were left out",
			     ex.size ? ex.ptr : "none"));
		accord_buf_dispose(&ex);
	}
	b = add_table(d, B_KV, 2, 0);
	kv(b, 0, "generated at", time_text(r->opts.now));
	if (!r->across) {
		kv(b, 0, "ledger", accord_xstrdup(r->ledger_id));
		kv(b, 0, "title",
		   accord_xstrdup(r->ledgers[0].title && *r->ledgers[0].title ? r->ledgers[0].title
									      : "(none)"));
	}
	{
		accord_buf names = ACCORD_BUF_INIT;
		const char **list = NULL;
		size_t n = 0;

		accord_report_party_names(&list, &n, r);
		for (i = 0; i < n; i++)
			accord_buf_printf(&names, "%s%s", i ? ", " : "", list[i]);
		kv(b, 0, "parties", accord_xstrdup(n ? names.ptr : "none"));
		free(list);
		accord_buf_dispose(&names);
	}
	for (i = 0; r->across && i < r->ledger_count; i++) {
		const accord_report_meta *lm =
			meta && i < meta->ledger_count ? &meta->ledgers[i] : NULL;
		const accord_report_ledger *l = &r->ledgers[i];

		if (!lm || lm->verified)
			row(b, 0, fmt("ledger %s", l->name),
			    fmt("%s: verified (%s %s)%s%s%s", l->id,
				cnt_in(gb, sizeof(gb), (long long)l->entry_count),
				accord_plural((long long)l->entry_count, "entry", "entries"),
				l->title && *l->title ? ", title \"" : "", l->title ? l->title : "",
				l->title && *l->title ? "\"" : ""));
		else
			row(b, 1, fmt("ledger %s", l->name),
			    fmt("%s: PARTIAL: %s", l->id,
				lm->verify_message ? lm->verify_message : ""));
	}
	if (meta && meta->key_id)
		kv(b, 0, "generated by",
		   fmt("key %s (%s)", meta->key_id,
		       meta->key_name && *meta->key_name ? meta->key_name : "unnamed"));
	else
		kv(b, 0, "generated by", accord_xstrdup("none (no key in the key home)"));
	since = r->opts.has_since ? time_text(r->opts.since) : accord_xstrdup("the first entry");
	until = time_text(r->opts.has_until ? r->opts.until : r->opts.now);
	kv(b, 0, "period", fmt("from %s until %s", since, until));
	free(since);
	free(until);
	kv(b, 0, "filters",
	   r->opts.service || r->opts.party
		   ? fmt("%s%s%s%s%s", r->opts.service ? "service " : "",
			 r->opts.service ? r->opts.service : "",
			 r->opts.service && r->opts.party ? ", " : "",
			 r->opts.party ? "party " : "", r->opts.party ? r->opts.party : "")
		   : accord_xstrdup("none"));
	if (!meta || meta->verified)
		kv(b, 0, "verification",
		   fmt("verified: every signature, chain and authorization (%s %s)",
		       cnt_in(gb, sizeof(gb), (long long)r->entry_count),
		       accord_plural((long long)r->entry_count, "entry", "entries")));
	else
		kv(b, 1, "verification",
		   fmt("PARTIAL: %s", meta->verify_message ? meta->verify_message : ""));
}

/* Disputed windows beside the figure they are not part of: "3f2a… globex: 1 customer, ..., 1 customer-minute". */
static void kv_disputed(block *b, const accord_report *r)
{
	size_t i, j, n = 0;
	char nb[64], gb[48];

	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];

		for (j = 0; j < ri->disputed_count; j++) {
			const accord_impact *w = ri->disputed[j];
			char *start = time_text(w->start),
			     *end = w->has_end ? time_text(w->end) : accord_xstrdup("ongoing");
			int64_t cs = 0, ce = 0;

			accord_report_window_in_period(r, w, &cs, &ce);
			kv(b, 0, n++ ? "" : "disputed figures",
			   fmt("%.12s %s: %s customers, %s to %s, %s customer-minutes (%s)",
			       ri->incident->id, w->party ? w->party : "?",
			       cnt_in(gb, sizeof(gb), (long long)w->customers), start, end,
			       num1g_in(nb, sizeof(nb),
					(double)accord_sat_mul(w->customers, ce - cs) / 60.0),
			       w->state == ACCORD_FIGURE_ASIDE ? "not counted" : "counted"));
			free(start);
			free(end);
		}
	}
}

/*
 * Incidents whose figures rest on concurrent changes not settled yet (a
 * response recorded twice at once, two statuses...): which one counts
 * follows ledger order until an entry knowing both settles it, so the
 * report says so beside the figures (attack124 02).
 */
static void kv_conflicts(block *b, const accord_report *r)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->count; i++) {
		const accord_incident *inc = r->incidents[i].incident;

		for (j = 0; j < inc->conflict_count; j++) {
			const accord_conflict *c = &inc->conflicts[j];

			kv(b, 0, n++ ? "" : "unsettled conflicts",
			   fmt("%.12s %s%s%s: %.12s in effect, %.12s beside it", inc->id, c->kind,
			       c->subject ? " " : "", c->subject ? c->subject : "", c->b->id,
			       c->a->id));
		}
	}
}

/* Incidents by status and severity, and by service. */
static void section_incidents(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i;

	add_text(d, B_H2, accord_xstrdup("Incidents"));
	b = add_table(d, B_KV, 2, 0);
	kv(b, 0, "in the period", cnt((long long)r->count));
	kv(b, 0, "resolved", cnt((long long)r->resolved));
	kv(b, 0, "closed", cnt((long long)r->closed));
	kv(b, 0, "still open", cnt((long long)r->open));
	if (r->voided || r->duplicates)
		kv(b, 0, "left out",
		   fmt("%zu void, %zu %s (agreed by every involved party)", r->voided,
		       r->duplicates,
		       accord_plural((long long)r->duplicates, "duplicate", "duplicates")));
	if (r->brought_in)
		kv(b, 1, "without a customer's word",
		   fmt("%zu %s faced by a party that a provider of %s brought into the ledger, "
		       "or on which %s customer-facing party never wrote (that provider's figures "
		       "for %s are shown apart, under By provider)",
		       r->brought_in,
		       accord_plural((long long)r->brought_in, "incident", "incidents"),
		       r->brought_in == 1 ? "it" : "theirs", r->brought_in == 1 ? "its" : "their",
		       r->brought_in == 1 ? "it" : "them"));
	kv(b, 0, "by severity",
	   fmt("SEV1 %zu, SEV2 %zu, SEV3 %zu, SEV4 %zu", r->by_severity[1], r->by_severity[2],
	       r->by_severity[3], r->by_severity[4]));
	if (r->service_count && !r->across) {
		b = add_table(d, B_TABLE, 3, 6);
		row(b, 0, accord_xstrdup("service"), accord_xstrdup("incidents"),
		    accord_xstrdup("customer-minutes"));
		for (i = 0; i < r->service_count; i++)
			row(b, 0, accord_xstrdup(r->services[i].name),
			    cnt((long long)r->services[i].count),
			    num1g((double)r->services[i].customer_seconds / 60.0));
	} else if (r->service_count) {
		b = add_table(d, B_TABLE, 4, 6);
		row(b, 0, accord_xstrdup("service"), accord_xstrdup("incidents"),
		    accord_xstrdup("customer-minutes"), accord_xstrdup("ledgers"));
		for (i = 0; i < r->service_count; i++)
			row(b, 0, accord_xstrdup(r->services[i].name),
			    cnt((long long)r->services[i].count),
			    num1g((double)r->services[i].customer_seconds / 60.0),
			    ledgers_text(r, r->services[i].ledgers));
	}
}

/* Customers affected, customer-minutes (unconfirmed and disputed beside), the longest impact. */
static void section_impact(rdoc *d, const accord_report *r)
{
	block *b;
	char nb[64];

	add_text(d, B_H2, accord_xstrdup("Customer impact"));
	b = add_table(d, B_KV, 2, 0);
	kv(b, 0, "customers affected", cnt((long long)r->customers));
	kv(b, 0, "customer-minutes",
	   fmt("%s%s", accord_saturated(r->customer_seconds) ? "at least " : "",
	       num1g_in(nb, sizeof(nb), (double)r->customer_seconds / 60.0)));
	if (r->unconfirmed)
		kv(b, 0, "unconfirmed",
		   fmt("%zu %s counted on another party's windows: the customer-facing party recorded none",
		       r->unconfirmed,
		       accord_plural((long long)r->unconfirmed, "incident", "incidents")));
	kv_disputed(b, r);
	kv_conflicts(b, r);
	if (r->longest) {
		char *m = num1g((double)r->longest_s / 60.0);

		kv(b, 0, "longest impact",
		   fmt("%s %s (%.12s %s)", m, strcmp(m, "1") ? "minutes" : "minute",
		       r->longest->incident->id, r->longest->incident->title));
		free(m);
	} else {
		kv(b, 0, "longest impact", accord_xstrdup("n/a"));
	}
}

/* Feedback, CSAT and lost minutes. */
static void section_experience(rdoc *d, const accord_report *r)
{
	block *b;
	char gb[48], gb2[48];

	add_text(d, B_H2, accord_xstrdup("Customer experience"));
	b = add_table(d, B_KV, 2, 0);
	kv(b, 0, "feedback responses", cnt((long long)r->feedback_count));
	{
		char *mean = mean_text(r->score_sum, r->feedback_count);
		char *csat = pct_text(r->csat_count, r->feedback_count);

		kv(b, 0, "mean score",
		   fmt("%s of 5 (%zu %s)", mean, r->feedback_count,
		       accord_plural((long long)r->feedback_count, "response", "responses")));
		kv(b, 0, "CSAT%",
		   fmt("%s (%zu of %zu %s scored 4-5)", csat, r->csat_count, r->feedback_count,
		       accord_plural((long long)r->feedback_count, "response", "responses")));
		free(mean);
		free(csat);
	}
	if (r->lost_count)
		kv(b, 0, "lost minutes",
		   fmt("sum %s, median %s (%zu %s)", cnt_in(gb, sizeof(gb), (long long)r->lost_sum),
		       cnt_in(gb2, sizeof(gb2), (long long)r->lost_median), r->lost_count,
		       accord_plural((long long)r->lost_count, "response", "responses")));
	else
		kv(b, 0, "lost minutes", accord_xstrdup("sum 0, median n/a (0 responses)"));
}

/* SLA met and watermelons, typed and from the computed clocks, and the watermelon incidents. */
static void section_sla(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i;

	add_text(d, B_H2, accord_xstrdup("SLA and watermelons"));
	b = add_table(d, B_KV, 2, 0);
	{
		char *met = pct_text(r->sla_met, r->sla_count);
		char *rate = pct_text(r->watermelons, r->sla_all_met);

		kv(b, 0, "SLA met",
		   fmt("%s (%zu of %zu %s)", met, r->sla_met, r->sla_count,
		       accord_plural((long long)r->sla_count, "measurement", "measurements")));
		kv(b, r->watermelons > 0, "watermelons",
		   fmt("%zu (rate %s of %zu %s with every SLA met; SLA met %s)", r->watermelons,
		       rate, r->sla_all_met,
		       accord_plural((long long)r->sla_all_met, "incident", "incidents"), met));
		free(met);
		free(rate);
	}
	/* the same questions from the clocks and the agreements: the provider table's figures, summed */
	if (r->provider_count) {
		size_t measured = 0, clocks_met = 0, melons = 0;
		char *met;

		for (i = 0; i < r->provider_count; i++) {
			measured += r->providers[i].clocks_measured;
			clocks_met += r->providers[i].clocks_met;
			melons += r->providers[i].watermelons;
		}
		met = pct_text(clocks_met, measured);
		kv(b, 0, "SLA met (computed clocks)",
		   fmt("%s (%zu of %zu %s decided against an agreement; see By provider)", met,
		       clocks_met, measured,
		       accord_plural((long long)measured, "clock", "clocks")));
		kv(b, melons > 0, "watermelons (agreements)",
		   fmt("%zu (a provider's every clock met, its agreement's experience target missed; see By provider)",
		       melons));
		free(met);
	}
	if (r->watermelons) {
		b = add_table(d, B_TABLE, r->across ? 8 : 7, 8 | 16 | 32);
		if (r->across)
			row(b, 0, accord_xstrdup("incident"), accord_xstrdup("title"),
			    accord_xstrdup("service"), accord_xstrdup("SLA met"),
			    accord_xstrdup("mean score"), accord_xstrdup("responses"),
			    accord_xstrdup("why (indicators)"), accord_xstrdup("ledger"));
		else
			row(b, 0, accord_xstrdup("incident"), accord_xstrdup("title"),
			    accord_xstrdup("service"), accord_xstrdup("SLA met"),
			    accord_xstrdup("mean score"), accord_xstrdup("responses"),
			    accord_xstrdup("why (indicators)"));
		for (i = 0; i < r->count; i++) {
			const accord_report_incident *ri = &r->incidents[i];

			if (ri->watermelon && r->across)
				row(b, 1, short_id(ri->incident->id),
				    accord_xstrdup(ri->incident->title),
				    accord_xstrdup(ri->incident->service),
				    fmt("%zu/%zu", ri->verdicts_met, ri->verdicts),
				    mean_text(ri->score_sum, ri->feedback_count),
				    cnt((long long)ri->feedback_count),
				    indicators_text(ri->incident),
				    accord_xstrdup(r->ledgers[ri->ledger].name));
			else if (ri->watermelon)
				row(b, 1, short_id(ri->incident->id),
				    accord_xstrdup(ri->incident->title),
				    accord_xstrdup(ri->incident->service),
				    fmt("%zu/%zu", ri->verdicts_met, ri->verdicts),
				    mean_text(ri->score_sum, ri->feedback_count),
				    cnt((long long)ri->feedback_count),
				    indicators_text(ri->incident));
		}
	}
}

/* Joint resolutions, their time and revisions, and what waits for a cosignature. */
static void section_joint(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i, j;

	add_text(d, B_H2, accord_xstrdup("Joint outcomes"));
	b = add_table(d, B_KV, 2, 0);
	{
		char *share = pct_text(r->resolved_joint, r->resolved_total);

		kv(b, 0, "joint resolutions",
		   fmt("%s of resolved incidents (%zu of %zu)", share, r->resolved_joint,
		       r->resolved_total));
		free(share);
	}
	if (r->joint_total) {
		char *m = accord_report_dur_text(r->joint_median_s),
		     *p = accord_report_dur_text(r->joint_p90_s);

		kv(b, 0, "time to joint resolution",
		   fmt("median %s, p90 %s (n=%zu)", m, p, r->joint_total));
		free(m);
		free(p);
	} else {
		kv(b, 0, "time to joint resolution", accord_xstrdup("n/a (n=0)"));
	}
	kv(b, 0, "revised before agreement",
	   fmt("%zu %s, %zu %s", r->revised,
	       accord_plural((long long)r->revised, "incident", "incidents"), r->revisions,
	       accord_plural((long long)r->revisions, "revision", "revisions")));
	kv(b, r->waiting_incidents > 0, "waiting for cosignature",
	   fmt("%zu %s", r->waiting_incidents,
	       accord_plural((long long)r->waiting_incidents, "incident", "incidents")));
	if (r->waiting_incidents) {
		b = add_table(d, B_TABLE, r->across ? 4 : 3, 0);
		if (r->across)
			row(b, 0, accord_xstrdup("incident"), accord_xstrdup("title"),
			    accord_xstrdup("waiting for"), accord_xstrdup("ledger"));
		else
			row(b, 0, accord_xstrdup("incident"), accord_xstrdup("title"),
			    accord_xstrdup("waiting for"));
		for (i = 0; i < r->count; i++) {
			const accord_report_incident *ri = &r->incidents[i];
			accord_buf w = ACCORD_BUF_INIT;

			if (!ri->waiting_count)
				continue;
			for (j = 0; j < ri->waiting_count; j++)
				accord_buf_printf(&w, "%s%s", j ? ", " : "", ri->waiting[j]);
			if (r->across)
				row(b, 0, short_id(ri->incident->id),
				    accord_xstrdup(ri->incident->title), accord_xstrdup(w.ptr),
				    accord_xstrdup(r->ledgers[ri->ledger].name));
			else
				row(b, 0, short_id(ri->incident->id),
				    accord_xstrdup(ri->incident->title), accord_xstrdup(w.ptr));
			accord_buf_dispose(&w);
		}
	}
}

/* Action items by owner, and the overdue ones. */
static void section_actions(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i, j;

	add_text(d, B_H2, accord_xstrdup("Shared action items"));
	if (!r->across) {
		b = add_table(d, B_TABLE, 4, 2 | 4 | 8);
		row(b, 0, accord_xstrdup("owner"), accord_xstrdup("open"), accord_xstrdup("done"),
		    accord_xstrdup("overdue"));
		for (i = 0; i < r->owner_count; i++)
			row(b, r->owners[i].overdue > 0, accord_xstrdup(r->owners[i].name),
			    cnt((long long)r->owners[i].open), cnt((long long)r->owners[i].done),
			    cnt((long long)r->owners[i].overdue));
		row(b, r->joint_overdue > 0, accord_xstrdup("jointly owned"),
		    cnt((long long)r->joint_open), cnt((long long)r->joint_done),
		    cnt((long long)r->joint_overdue));
		row(b, r->actions_overdue > 0, accord_xstrdup("all items"),
		    cnt((long long)r->actions_open), cnt((long long)r->actions_done),
		    cnt((long long)r->actions_overdue));
	} else {
		/* a party's items add up across the ledgers it shares with us, which are named */
		b = add_table(d, B_TABLE, 5, 2 | 4 | 8);
		row(b, 0, accord_xstrdup("owner"), accord_xstrdup("open"), accord_xstrdup("done"),
		    accord_xstrdup("overdue"), accord_xstrdup("ledgers"));
		for (i = 0; i < r->owner_count; i++)
			row(b, r->owners[i].overdue > 0, accord_xstrdup(r->owners[i].name),
			    cnt((long long)r->owners[i].open), cnt((long long)r->owners[i].done),
			    cnt((long long)r->owners[i].overdue),
			    ledgers_text(r, r->owners[i].ledgers));
		row(b, r->joint_overdue > 0, accord_xstrdup("jointly owned"),
		    cnt((long long)r->joint_open), cnt((long long)r->joint_done),
		    cnt((long long)r->joint_overdue), ledgers_text(r, r->joint_ledgers));
		row(b, r->actions_overdue > 0, accord_xstrdup("all items"),
		    cnt((long long)r->actions_open), cnt((long long)r->actions_done),
		    cnt((long long)r->actions_overdue),
		    ledgers_text(r, r->joint_ledgers | all_owner_ledgers(r)));
	}
	if (r->actions_overdue) {
		b = add_table(d, B_TABLE, r->across ? 6 : 5, 2);
		if (r->across)
			row(b, 0, accord_xstrdup("incident"), accord_xstrdup("item"),
			    accord_xstrdup("action"), accord_xstrdup("owners"),
			    accord_xstrdup("due"), accord_xstrdup("ledger"));
		else
			row(b, 0, accord_xstrdup("incident"), accord_xstrdup("item"),
			    accord_xstrdup("action"), accord_xstrdup("owners"),
			    accord_xstrdup("due"));
		for (i = 0; i < r->count; i++) {
			const accord_resolution *res =
				accord_incident_actions(r->incidents[i].incident);

			for (j = 0; res && j < res->action_count; j++) {
				accord_buf o = ACCORD_BUF_INIT;
				const cJSON *p;

				if (!action_overdue(&res->actions[j], r->opts.now))
					continue;
				cJSON_ArrayForEach(p, res->actions[j].owners)
					accord_buf_printf(&o, "%s%s", o.size ? ", " : "",
							  p->valuestring);
				if (r->across)
					row(b, 1, short_id(r->incidents[i].incident->id),
					    cnt((long long)j + 1),
					    accord_xstrdup(res->actions[j].text),
					    accord_xstrdup(o.ptr),
					    accord_xstrdup(res->actions[j].due),
					    accord_xstrdup(
						    r->ledgers[r->incidents[i].ledger].name));
				else
					row(b, 1, short_id(r->incidents[i].incident->id),
					    cnt((long long)j + 1),
					    accord_xstrdup(res->actions[j].text),
					    accord_xstrdup(o.ptr),
					    accord_xstrdup(res->actions[j].due));
				accord_buf_dispose(&o);
			}
		}
	}
}

/* The items not being done, and why. */
static void section_not_doing(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i, j;

	if (r->actions_not_doing) {
		add_text(d, B_P, accord_xstrdup("Not doing, and why:"));
		b = add_table(d, B_TABLE, 4, 2);
		row(b, 0, accord_xstrdup("incident"), accord_xstrdup("item"),
		    accord_xstrdup("action"), accord_xstrdup("why not"));
		for (i = 0; i < r->count; i++) {
			const accord_resolution *res =
				accord_incident_actions(r->incidents[i].incident);

			for (j = 0; res && j < res->action_count; j++)
				if (res->actions[j].state == ACCORD_ACTION_NOT_DOING)
					row(b, 0, short_id(r->incidents[i].incident->id),
					    fmt("%zu", j + 1), accord_xstrdup(res->actions[j].text),
					    accord_xstrdup(res->actions[j].note));
		}
	}
}

/* The most frequent contributing factors, attributed to no party. */
static void section_factors(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i;

	add_text(d, B_H2, accord_xstrdup("Contributing factors"));
	if (r->factor_count) {
		b = add_table(d, B_TABLE, r->across ? 3 : 2, 2);
		if (r->across)
			row(b, 0, accord_xstrdup("factor"), accord_xstrdup("incidents"),
			    accord_xstrdup("ledgers"));
		else
			row(b, 0, accord_xstrdup("factor"), accord_xstrdup("incidents"));
		for (i = 0; i < r->factor_count && i < TOP_FACTORS; i++) {
			if (r->across)
				row(b, 0, accord_xstrdup(r->factors[i].name),
				    cnt((long long)r->factors[i].count),
				    ledgers_text(r, r->factors[i].ledgers));
			else
				row(b, 0, accord_xstrdup(r->factors[i].name),
				    cnt((long long)r->factors[i].count));
		}
	}
	add_text(
		d, B_P,
		fmt("%zu distinct %s across all parties' resolutions; none is attributed to a party.",
		    r->factor_count,
		    accord_plural((long long)r->factor_count, "factor", "factors")));
}

/* The sections after the provider table, in the order every human format shows them. */
static void build_sections(rdoc *d, const accord_report *r)
{
	section_incidents(d, r);
	section_impact(d, r);
	section_experience(d, r);
	section_sla(d, r);
	section_joint(d, r);
	section_actions(d, r);
	section_not_doing(d, r);
	section_factors(d, r);
}

static void build_weeks(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i;

	add_text(d, B_H2, accord_xstrdup("By week"));
	b = add_table(d, B_TABLE, 5, 2 | 4 | 8 | 16);
	row(b, 0, accord_xstrdup("week of"), accord_xstrdup("incidents"),
	    accord_xstrdup("customer-minutes"), accord_xstrdup("SLA met"), accord_xstrdup("CSAT%"));
	for (i = 0; i < r->week_count; i++) {
		const accord_report_week *w = &r->weeks[i];
		char *t;

		if (!w->incidents && !w->customer_seconds)
			continue;
		t = time_text(w->start);
		t[10] = '\0';
		row(b,
		    w->sla_count && w->sla_met == w->sla_count && w->feedback_count &&
			    w->csat_count * 2 < w->feedback_count,
		    t, cnt((long long)w->incidents), num1g((double)w->customer_seconds / 60.0),
		    pct_text(w->sla_met, w->sla_count), pct_text(w->csat_count, w->feedback_count));
	}
}

static void build_incidents(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i;

	add_text(d, B_H2, accord_xstrdup("Incidents in the period"));
	if (r->across) {
		/* the same columns, the incident's ledger first */
		b = add_table(d, B_TABLE, 10, 4 | 32 | 64 | 128);
		row(b, 0, accord_xstrdup("ledger"), accord_xstrdup("incident"),
		    accord_xstrdup("sev"), accord_xstrdup("service"), accord_xstrdup("status"),
		    accord_xstrdup("cust-min"), accord_xstrdup("CSAT%"), accord_xstrdup("SLA met"),
		    accord_xstrdup("resolution"), accord_xstrdup("title"));
	} else {
		b = add_table(d, B_TABLE, 9, 2 | 16 | 32 | 64);
		row(b, 0, accord_xstrdup("incident"), accord_xstrdup("sev"),
		    accord_xstrdup("service"), accord_xstrdup("status"), accord_xstrdup("cust-min"),
		    accord_xstrdup("CSAT%"), accord_xstrdup("SLA met"),
		    accord_xstrdup("resolution"), accord_xstrdup("title"));
	}
	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];
		const accord_incident *inc = ri->incident;

		if (r->across)
			row(b, ri->watermelon, accord_xstrdup(r->ledgers[ri->ledger].name),
			    short_id(inc->id), fmt("SEV%lld", (long long)inc->severity),
			    accord_xstrdup(inc->service), accord_xstrdup(inc->status),
			    num1g((double)ri->customer_seconds / 60.0),
			    pct_text(ri->csat_count, ri->feedback_count),
			    fmt("%zu/%zu", ri->sla_met, ri->sla_count),
			    ri->joint ? fmt("joint r%d", ri->revisions + 1)
				      : accord_xstrdup(resolution_state(inc)),
			    fmt("%s%s%s%s", inc->title, ri->watermelon ? " (watermelon)" : "",
				ri->unconfirmed ? " (unconfirmed figure)" : "",
				ri->disputed_count ? " (disputed figure)" : ""));
		else
			row(b, ri->watermelon, short_id(inc->id),
			    fmt("SEV%lld", (long long)inc->severity), accord_xstrdup(inc->service),
			    accord_xstrdup(inc->status), num1g((double)ri->customer_seconds / 60.0),
			    pct_text(ri->csat_count, ri->feedback_count),
			    fmt("%zu/%zu", ri->sla_met, ri->sla_count),
			    ri->joint ? fmt("joint r%d", ri->revisions + 1)
				      : accord_xstrdup(resolution_state(inc)),
			    fmt("%s%s%s%s", inc->title, ri->watermelon ? " (watermelon)" : "",
				ri->unconfirmed ? " (unconfirmed figure)" : "",
				ri->disputed_count ? " (disputed figure)" : ""));
	}
}

/* A figure's change from the previous period: "+2", "-20m", "+12.5 pts", "n/a". */
static char *change_count(long long now, long long before)
{
	char g[48];

	cnt_in(g, sizeof(g), now - before);
	return fmt("%s%s", now > before ? "+" : "", g);
}

static char *change_dur(size_t n_now, int64_t now, size_t n_before, int64_t before)
{
	char *d, *t;

	if (!n_now || !n_before)
		return accord_xstrdup("n/a");
	d = accord_report_dur_text(now - before);
	t = fmt("%s%s", now > before ? "+" : "", d);
	free(d);
	return t;
}

static char *change_pct(size_t a, size_t b, size_t pa, size_t pb)
{
	char d[64];
	double x, y;

	if (!b || !pb)
		return accord_xstrdup("n/a");
	x = round_to(100.0 * (double)a / (double)b, 10);
	y = round_to(100.0 * (double)pa / (double)pb, 10);
	dec(d, sizeof(d), round_to(x - y, 10), 1);
	return fmt("%s%s pts", x > y ? "+" : "", d);
}

static char *clock_text(const accord_report_provider *pv, size_t k)
{
	char *m, *p, *t;

	if (!pv->clock_n[k])
		return accord_xstrdup("n/a");
	m = accord_report_dur_text(pv->clock_median_s[k]);
	p = accord_report_dur_text(pv->clock_p90_s[k]);
	t = fmt("%s / %s (n=%zu)", m, p, pv->clock_n[k]);
	free(m);
	free(p);
	return t;
}

static char *of_text(size_t a, size_t b)
{
	char *pct = pct_text(a, b), *t;
	char ga[48], gb[48];

	t = fmt("%s (%s of %s)", pct, cnt_in(ga, sizeof(ga), (long long)a),
		cnt_in(gb, sizeof(gb), (long long)b));
	free(pct);
	return t;
}

/*
 * A table per provider party: each figure, the previous period's beside it
 * and the change (docs/metrics.md, "By provider").
 */
static void build_providers(rdoc *d, const accord_report *r)
{
	static const char *const clock_labels[ACCORD_CLOCKS] = {
		"time to acknowledge, median / p90", "time to mitigate, median / p90",
		"time to restore, median / p90"
	};
	accord_report_provider none;
	size_t i, k;
	int prev = r->previous != NULL;

	if (!r->provider_count)
		return;
	memset(&none, 0, sizeof(none));
	add_text(d, B_H2, accord_xstrdup("By provider"));
	if (prev) {
		char *a = time_text(r->previous->opts.since),
		     *b = time_text(r->previous->opts.until);

		add_text(
			d, B_P,
			fmt("Clocks computed from the signed timeline, against the agreement in force at each "
			    "incident's start; beside each figure the previous period of the same length "
			    "(%s to %s) and the change.",
			    a, b));
		free(a);
		free(b);
	} else {
		add_text(
			d, B_P,
			accord_xstrdup(
				"Clocks computed from the signed timeline, against the agreement in force at "
				"each incident's start (give --since to compare with the previous period)."));
	}
	for (i = 0; i < r->provider_count; i++) {
		const accord_report_provider *pv = &r->providers[i],
					     *pp = accord_report_provider_of(r->previous, pv->name,
									     pv->admitted);
		const char *apart = pv->admitted ? ": customers it brought in, or silent" : "";
		block *b;

		if (!pp)
			pp = &none;
		if (r->across) {
			char *l = ledgers_text(r, pv->ledgers);

			add_text(d, B_H3, fmt("%s%s (ledgers: %s)", pv->name, apart, l));
			free(l);
		} else {
			add_text(d, B_H3, fmt("%s%s", pv->name, apart));
		}
		if (pv->admitted)
			add_text(
				d, B_P,
				fmt("Incidents faced by parties %s invited, or its invitees did: such a "
				    "customer may be one it made up, so they are kept out of %s's own row.",
				    pv->name, pv->name));
		b = add_table(d, B_TABLE, prev ? 4 : 2, prev ? 14 : 2);
		if (prev)
			row(b, 0, accord_xstrdup("figure"), accord_xstrdup("this period"),
			    accord_xstrdup("previous"), accord_xstrdup("change"));
		else
			row(b, 0, accord_xstrdup("figure"), accord_xstrdup("this period"));
#define PROW(alert, label, now, before, change)                                    \
	do {                                                                       \
		if (prev)                                                          \
			row(b, alert, accord_xstrdup(label), now, before, change); \
		else                                                               \
			row(b, alert, accord_xstrdup(label), now);                 \
	} while (0)
		PROW(0, "incidents", cnt((long long)pv->incidents),
		     prev ? cnt((long long)pp->incidents) : NULL,
		     prev ? change_count((long long)pv->incidents, (long long)pp->incidents)
			  : NULL);
		if (!pv->admitted && (pv->brought_in || pp->brought_in))
			PROW(pv->brought_in > 0, "apart: invitee or silent customer",
			     cnt((long long)pv->brought_in),
			     prev ? cnt((long long)pp->brought_in) : NULL,
			     prev ? change_count((long long)pv->brought_in,
						 (long long)pp->brought_in)
				  : NULL);
		for (k = 0; k < ACCORD_CLOCKS; k++)
			PROW(0, clock_labels[k], clock_text(pv, k), prev ? clock_text(pp, k) : NULL,
			     prev ? change_dur(pv->clock_n[k], pv->clock_median_s[k],
					       pp->clock_n[k], pp->clock_median_s[k])
				  : NULL);
		PROW(0, "SLA met (computed clocks)", of_text(pv->clocks_met, pv->clocks_measured),
		     prev ? of_text(pp->clocks_met, pp->clocks_measured) : NULL,
		     prev ? change_pct(pv->clocks_met, pv->clocks_measured, pp->clocks_met,
				       pp->clocks_measured)
			  : NULL);
		PROW(0, "clocks disputed (counted apart)", cnt((long long)pv->clocks_disputed),
		     prev ? cnt((long long)pp->clocks_disputed) : NULL,
		     prev ? change_count((long long)pv->clocks_disputed,
					 (long long)pp->clocks_disputed)
			  : NULL);
		PROW(0, "CSAT%", of_text(pv->csat_count, pv->feedback_count),
		     prev ? of_text(pp->csat_count, pp->feedback_count) : NULL,
		     prev ? change_pct(pv->csat_count, pv->feedback_count, pp->csat_count,
				       pp->feedback_count)
			  : NULL);
		PROW(0, "lost minutes", cnt((long long)pv->lost_sum),
		     prev ? cnt((long long)pp->lost_sum) : NULL,
		     prev ? change_count((long long)pv->lost_sum, (long long)pp->lost_sum) : NULL);
		PROW(pv->watermelons > 0, "watermelons", cnt((long long)pv->watermelons),
		     prev ? cnt((long long)pp->watermelons) : NULL,
		     prev ? change_count((long long)pv->watermelons, (long long)pp->watermelons)
			  : NULL);
		PROW(0, "joint resolutions", of_text(pv->resolved_joint, pv->resolved),
		     prev ? of_text(pp->resolved_joint, pp->resolved) : NULL,
		     prev ? change_pct(pv->resolved_joint, pv->resolved, pp->resolved_joint,
				       pp->resolved)
			  : NULL);
		PROW(0, "action items open", cnt((long long)pv->actions_open),
		     prev ? cnt((long long)pp->actions_open) : NULL,
		     prev ? change_count((long long)pv->actions_open, (long long)pp->actions_open)
			  : NULL);
		PROW(pv->actions_overdue > 0, "action items overdue",
		     cnt((long long)pv->actions_overdue),
		     prev ? cnt((long long)pp->actions_overdue) : NULL,
		     prev ? change_count((long long)pv->actions_overdue,
					 (long long)pp->actions_overdue)
			  : NULL);
#undef PROW
		for (k = 0; k < pv->watermelon_list_count; k++) {
			const accord_incident *inc = pv->watermelon_list[k]->incident;
			char *why = indicators_text(inc);

			add_text(
				d, B_P,
				fmt("watermelon %.12s %s: every clock met, the experience target missed; why: %s",
				    inc->id, inc->title, why));
			free(why);
		}
	}
}

void accord_report_build_doc(rdoc *d, const accord_report *r, const accord_report_meta *meta,
			     int charts)
{
	size_t i;

	build_meta(d, r, meta);
	/* first: what each provider's clocks and customers say, beside the previous period */
	build_providers(d, r);
	if (charts) {
		add_text(d, B_H2, accord_xstrdup("Charts"));
		add_block(d, B_CHART)->chart = CHART_MINUTES;
		add_block(d, B_CHART)->chart = CHART_WATERMELON;
		add_block(d, B_CHART)->chart = CHART_JOINT;
	}
	build_sections(d, r);
	build_weeks(d, r);
	build_incidents(d, r);
	add_text(d, B_H2, accord_xstrdup("How each figure is defined"));
	{
		block *b = add_table(d, B_DEFS, 2, 0);

		for (i = 0; i < accord_report_definition_count; i++)
			row(b, 0, accord_xstrdup(accord_report_definitions[i].label),
			    accord_xstrdup(accord_report_definitions[i].text));
	}
}
