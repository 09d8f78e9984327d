/*
 * The report's list of blocks (report_doc.c) as one self-contained HTML
 * page: no scripts, no outside resources, SVG charts drawn from the weekly
 * series, printable on A4.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "accord/buf.h"
#include "accord/timefmt.h"

#include "report_impl.h"

static void html_escape(accord_buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': accord_buf_puts(out, "&amp;"); break;
		case '<': accord_buf_puts(out, "&lt;"); break;
		case '>': accord_buf_puts(out, "&gt;"); break;
		case '"': accord_buf_puts(out, "&quot;"); break;
		case '\'': accord_buf_puts(out, "&#39;"); break;
		default: accord_buf_putc(out, *s);
		}
	}
}

/* 1, 2 or 5 times a power of ten, at least v (and at least 1). */
static double nice_max(double v)
{
	double p = 1;

	if (v <= 1)
		return 1;
	while (p * 10 < v)
		p *= 10;
	if (p >= v)
		return p;
	if (2 * p >= v)
		return 2 * p;
	if (5 * p >= v)
		return 5 * p;
	return 10 * p;
}

#define SVG_W 960
#define SVG_H 270
#define PL 70
#define PR 20
#define PT 40
#define PB 45
#define PW (SVG_W - PL - PR)
#define PH (SVG_H - PT - PB)

static void svg_open(accord_buf *out, const char *title, const char *label)
{
	accord_buf_printf(
		out,
		"<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
		SVG_W, SVG_H, SVG_W, SVG_H);
	html_escape(out, label);
	accord_buf_puts(out, "\"><title>");
	html_escape(out, label);
	accord_buf_printf(
		out, "</title><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
		SVG_W, SVG_H);
	accord_buf_printf(
		out,
		"<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"#1d2330\">",
		PL);
	html_escape(out, title);
	accord_buf_puts(out, "</text>");
}

/* Horizontal grid lines with labels from 0 to `max` (suffix: "%" or ""). */
static void svg_axes(accord_buf *out, double max, const char *suffix)
{
	int i;

	for (i = 0; i <= 4; i++) {
		double v = max * i / 4, y = PT + PH - (double)PH * i / 4;
		char d[64];

		dec(d, sizeof(d), v, 1);
		accord_buf_printf(
			out,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>",
			PL, y, PL + PW, y, i ? "#e3e6ee" : "#556");
		accord_buf_printf(
			out,
			"<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" fill=\"#445\">%s",
			PL - 6, y + 4, d);
		html_escape(out, suffix);
		accord_buf_puts(out, "</text>");
	}
}

/* Week labels under the bars: at most about twelve, evenly spread. */
static void svg_week_labels(accord_buf *out, const accord_report *r)
{
	size_t i, step = r->week_count / 12 + 1;
	double bw = (double)PW / (double)r->week_count;

	for (i = 0; i < r->week_count; i += step) {
		char t[ACCORD_TIME_LEN];

		accord_time_format(t, r->weeks[i].start);
		t[10] = '\0';
		accord_buf_printf(
			out,
			"<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" fill=\"#445\">%s</text>",
			PL + bw * ((double)i + 0.5), PT + PH + 18, t + 5);
	}
	accord_buf_printf(
		out,
		"<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#445\">week of (MM-DD, weeks start Monday UTC)</text>",
		PL, PT + PH + 38);
}

static void svg_empty(accord_buf *out, const char *what)
{
	accord_buf_printf(
		out,
		"<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\" fill=\"#667\">",
		PL + PW / 2, PT + PH / 2);
	html_escape(out, what);
	accord_buf_puts(out, "</text>");
}

static void chart_minutes(accord_buf *out, const accord_report *r)
{
	double max = 0, bw;
	size_t i;

	svg_open(out, "Customer-minutes per week", "Bar chart: customer-minutes per week");
	for (i = 0; i < r->week_count; i++)
		if ((double)r->weeks[i].customer_seconds / 60.0 > max)
			max = (double)r->weeks[i].customer_seconds / 60.0;
	max = nice_max(max);
	svg_axes(out, max, "");
	if (!r->week_count) {
		svg_empty(out, "no incidents in the period");
	} else {
		bw = (double)PW / (double)r->week_count;
		for (i = 0; i < r->week_count; i++) {
			double v = (double)r->weeks[i].customer_seconds / 60.0,
			       h = (double)PH * v / max;
			char t[ACCORD_TIME_LEN], d[64];

			if (v <= 0)
				continue;
			accord_time_format(t, r->weeks[i].start);
			t[10] = '\0';
			dec(d, sizeof(d), round_to(v, 10), 1);
			accord_buf_printf(
				out,
				"<rect class=\"bar-minutes\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea5\"><title>week of %s: %s customer-minutes</title></rect>",
				PL + bw * (double)i + bw * 0.1, PT + PH - h, bw * 0.8, h, t, d);
		}
		svg_week_labels(out, r);
	}
	accord_buf_puts(
		out,
		"</svg><figcaption>Customers affected times minutes of impact, per week, clipped to the period.</figcaption></figure>\n");
}

static void chart_watermelon(accord_buf *out, const accord_report *r)
{
	double bw;
	size_t i;

	svg_open(out, "SLA met % beside CSAT % per week (the watermelon chart)",
		 "Grouped bars per week: SLA met percent (green) beside CSAT percent (red)");
	svg_axes(out, 100, "%");
	accord_buf_printf(
		out,
		"<rect x=\"%d\" y=\"12\" width=\"12\" height=\"12\" fill=\"#2e8b57\"/><text x=\"%d\" y=\"22\" font-size=\"12\" fill=\"#1d2330\">SLA met %%</text>"
		"<rect x=\"%d\" y=\"12\" width=\"12\" height=\"12\" fill=\"#d9434e\"/><text x=\"%d\" y=\"22\" font-size=\"12\" fill=\"#1d2330\">CSAT %%</text>",
		SVG_W - 260, SVG_W - 242, SVG_W - 150, SVG_W - 132);
	if (!r->week_count) {
		svg_empty(out, "no incidents in the period");
	} else {
		bw = (double)PW / (double)r->week_count;
		for (i = 0; i < r->week_count; i++) {
			const accord_report_week *w = &r->weeks[i];
			char t[ACCORD_TIME_LEN];
			double x = PL + bw * (double)i + bw * 0.1, half = bw * 0.4;

			accord_time_format(t, w->start);
			t[10] = '\0';
			/* the computed clocks where an agreement decided any, else the typed measurements */
			if (w->clocks_measured || w->sla_count) {
				size_t n = w->clocks_measured ? w->clocks_measured : w->sla_count;
				size_t met = w->clocks_measured ? w->clocks_met : w->sla_met;
				double v = 100.0 * (double)met / (double)n, h = PH * v / 100;

				if (h < 2)
					h = 2;
				accord_buf_printf(
					out,
					"<rect class=\"bar-sla\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2e8b57\"><title>week of %s: SLA met %.1f%% (%zu %s)</title></rect>",
					x, PT + PH - h, half, h, t, v, n,
					w->clocks_measured
						? accord_plural((long long)n, "computed clock",
								"computed clocks")
						: accord_plural((long long)n, "measurement",
								"measurements"));
			}
			if (w->feedback_count) {
				double v = 100.0 * (double)w->csat_count /
					   (double)w->feedback_count,
				       h = PH * v / 100;

				/* zero still gets a sliver, so "measured, 0%" differs from "no data" */
				if (h < 2)
					h = 2;
				accord_buf_printf(
					out,
					"<rect class=\"bar-csat\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#d9434e\"><title>week of %s: CSAT %.1f%% (%zu %s)</title></rect>",
					x + half, PT + PH - h, half, h, t, v, w->feedback_count,
					accord_plural((long long)w->feedback_count, "response",
						      "responses"));
			}
		}
		svg_week_labels(out, r);
	}
	accord_buf_puts(
		out,
		"</svg><figcaption>Green outside, red inside: a tall green bar beside a short red one is a week whose SLA figures hide unhappy customers.</figcaption></figure>\n");
}

static void chart_joint(accord_buf *out, const accord_report *r)
{
	static const struct {
		const char *label;
		int64_t upto; /* exclusive upper bound in seconds */
	} buckets[] = {
		{ "< 1h", 3600 },	 { "1-4h", 4 * 3600 }, { "4-24h", DAY },
		{ "1-3d", 3 * DAY },	 { "3-7d", 7 * DAY },  { "7-30d", 30 * DAY },
		{ ">= 30d", INT64_MAX },
	};
	size_t counts[7] = { 0 }, i, k, nb = 7;
	double max = 0, bw = (double)PW / 7;
	char caption[160];

	for (i = 0; i < r->count; i++) {
		if (!r->incidents[i].joint)
			continue;
		for (k = 0; k < nb && r->incidents[i].time_to_joint_s >= buckets[k].upto; k++)
			;
		counts[k < nb ? k : nb - 1]++;
	}
	for (k = 0; k < nb; k++)
		if ((double)counts[k] > max)
			max = (double)counts[k];
	/* whole incidents on every grid line */
	max = max <= 4 ? 4 : 4 * ceil(max / 4);
	svg_open(out, "Time from impact start to joint resolution",
		 "Histogram: incidents by time from impact start to joint resolution");
	svg_axes(out, max, "");
	for (k = 0; k < nb; k++) {
		double h = (double)PH * (double)counts[k] / max;

		/* "< 1h" and ">= 30d": raw, they made the SVG no XML (explore60a 07) */
		if (counts[k]) {
			accord_buf_printf(
				out,
				"<rect class=\"bar-joint\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#7a5aa6\"><title>",
				PL + bw * (double)k + bw * 0.15, PT + PH - h, bw * 0.7, h);
			html_escape(out, buckets[k].label);
			accord_buf_printf(
				out, ": %zu %s</title></rect>", counts[k],
				accord_plural((long long)counts[k], "incident", "incidents"));
		}
		accord_buf_printf(
			out,
			"<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" fill=\"#445\">",
			PL + bw * ((double)k + 0.5), PT + PH + 18);
		html_escape(out, buckets[k].label);
		accord_buf_puts(out, "</text>");
	}
	if (r->joint_total) {
		char *m = accord_report_dur_text(r->joint_median_s),
		     *p = accord_report_dur_text(r->joint_p90_s);

		snprintf(caption, sizeof(caption), "median %s, p90 %s (n=%zu, nearest rank)", m, p,
			 r->joint_total);
		free(m);
		free(p);
	} else {
		snprintf(caption, sizeof(caption), "no joint resolutions in the period (n=0)");
	}
	accord_buf_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#1d2330\">", PL,
			  PT + PH + 38);
	html_escape(out, caption);
	accord_buf_puts(out, "</text>");
	accord_buf_puts(
		out,
		"</svg><figcaption>Incidents with a joint resolution, by time from impact start to the last needed signature.</figcaption></figure>\n");
}

static const char html_style[] =
	"body{font:14px/1.45 \"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}"
	"h1{font-size:1.6rem;border-bottom:3px solid #2e8b57;padding-bottom:.3rem}"
	"h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd3e0}"
	"table{border-collapse:collapse;margin:.5rem 0}"
	"th,td{padding:.2rem .7rem;border-bottom:1px solid #e3e6ee;text-align:left;vertical-align:top}"
	"thead th{background:#f2f4f8}"
	".n{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.alert td{color:#b00020;font-weight:bold}"
	"table.kv th{font-weight:bold;color:#445;min-width:13rem}"
	".warn{border:3px solid #b00020;background:#fde8ea;color:#7a0014;padding:1rem;font-weight:bold;font-size:1.1rem;margin:1rem 0}"
	"figure.chart{margin:1rem 0}figcaption{color:#556;font-size:.9rem}"
	"svg{max-width:100%;height:auto;border:1px solid #e3e6ee}"
	"dt{font-weight:bold;margin-top:.4rem}dd{margin:0 0 0 1.5rem}"
	"@page{size:A4;margin:14mm}"
	"@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}"
	"figure.chart,table,tr{break-inside:avoid}.warn,thead th,svg rect{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

void accord_report_render_html(accord_buf *out, const rdoc *d, const accord_report *r)
{
	size_t i, row_i, c;

	accord_buf_puts(
		out,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<link rel=\"icon\" href=\"data:,\">\n<title>accord report ");
	{
		char t[ACCORD_TIME_LEN];

		accord_time_format(t, r->opts.now);
		accord_buf_puts(out, t);
	}
	accord_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_style);
	for (i = 0; i < d->n; i++) {
		const block *b = &d->b[i];

		switch (b->type) {
		case B_H1:
			accord_buf_puts(out, "<h1>");
			html_escape(out, b->text);
			accord_buf_puts(out, "</h1>\n");
			break;
		case B_H2:
		case B_H3:
			accord_buf_puts(out, b->type == B_H2 ? "<h2>" : "<h3>");
			html_escape(out, b->text);
			accord_buf_puts(out, b->type == B_H2 ? "</h2>\n" : "</h3>\n");
			break;
		case B_P:
			accord_buf_puts(out, "<p>");
			html_escape(out, b->text);
			accord_buf_puts(out, "</p>\n");
			break;
		case B_WARN:
			accord_buf_puts(out, "<div class=\"warn\" role=\"alert\">");
			html_escape(out, b->text);
			accord_buf_puts(out, "</div>\n");
			break;
		case B_KV:
			accord_buf_puts(out, "<table class=\"kv\">\n");
			for (row_i = 0; row_i < b->rows; row_i++) {
				accord_buf_printf(out, "<tr%s><th>",
						  b->alert[row_i] ? " class=\"alert\"" : "");
				html_escape(out, b->cells[row_i * 2]);
				accord_buf_puts(out, "</th><td>");
				html_escape(out, b->cells[row_i * 2 + 1]);
				accord_buf_puts(out, "</td></tr>\n");
			}
			accord_buf_puts(out, "</table>\n");
			break;
		case B_DEFS:
			accord_buf_puts(out, "<dl>\n");
			for (row_i = 0; row_i < b->rows; row_i++) {
				accord_buf_puts(out, "<dt>");
				html_escape(out, b->cells[row_i * 2]);
				accord_buf_puts(out, "</dt><dd>");
				html_escape(out, b->cells[row_i * 2 + 1]);
				accord_buf_puts(out, "</dd>\n");
			}
			accord_buf_puts(out, "</dl>\n");
			break;
		case B_TABLE:
			accord_buf_puts(out, "<table>\n");
			for (row_i = 0; row_i < b->rows; row_i++) {
				const char *cell = row_i ? "td" : "th";

				if (row_i == 0)
					accord_buf_puts(out, "<thead>");
				if (row_i == 1)
					accord_buf_puts(out, "<tbody>");
				accord_buf_printf(out, "<tr%s>",
						  b->alert[row_i] ? " class=\"alert\"" : "");
				for (c = 0; c < b->cols; c++) {
					accord_buf_printf(out, "<%s%s>", cell,
							  b->right >> c & 1 ? " class=\"n\"" : "");
					html_escape(out, b->cells[row_i * b->cols + c]);
					accord_buf_printf(out, "</%s>", cell);
				}
				accord_buf_puts(out, "</tr>");
				if (row_i == 0)
					accord_buf_puts(out, "</thead>");
				accord_buf_putc(out, '\n');
			}
			accord_buf_puts(out, b->rows > 1 ? "</tbody></table>\n" : "</table>\n");
			break;
		case B_CHART:
			if (b->chart == CHART_MINUTES)
				chart_minutes(out, r);
			else if (b->chart == CHART_WATERMELON)
				chart_watermelon(out, r);
			else
				chart_joint(out, r);
			break;
		}
	}
	accord_buf_puts(out, "</body>\n</html>\n");
}
