/*
 * The report's list of blocks (report_doc.c) as text for a terminal, with
 * colour when the caller asks, and as Markdown for review minutes.
 */
#include <stdint.h>
#include <string.h>

#include "accord/buf.h"

#include "report_impl.h"

/* ---- text ------------------------------------------------------------------ */

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define RESET "\033[0m"
#define TEXT_CELL_MAX 60

/* Width in code points (UTF-8 continuation bytes do not count). */
static size_t width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Put `s` cut to `max` code points (ending in "..." when cut), padded to `w`. */
static void put_cell(accord_buf *out, const char *s, size_t w, size_t max, int right)
{
	size_t n = width(s), i, shown = n > max ? max : n;
	const char *p = s;

	if (right)
		for (i = shown; i < w; i++)
			accord_buf_putc(out, ' ');
	if (n > max) {
		size_t cps = 0;

		while (*p && cps < max - 3) {
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			cps++;
		}
		accord_buf_put(out, s, (size_t)(p - s));
		accord_buf_puts(out, "...");
	} else {
		accord_buf_puts(out, s);
	}
	if (!right)
		for (i = shown; i < w; i++)
			accord_buf_putc(out, ' ');
}

/* Word-wrap `s` at `cols` columns; the cursor is at `col`, continuation lines start at `indent`. */
static void put_wrapped(accord_buf *out, const char *s, size_t col, size_t indent, size_t cols)
{
	int first = 1;
	size_t i;

	for (;;) {
		const char *e;
		size_t w;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		for (e = s; *e && *e != ' '; e++)
			;
		w = (size_t)(e - s);
		if (!first && col + 1 + w > cols) {
			accord_buf_putc(out, '\n');
			for (i = 0; i < indent; i++)
				accord_buf_putc(out, ' ');
			col = indent;
		} else if (!first) {
			accord_buf_putc(out, ' ');
			col++;
		}
		accord_buf_put(out, s, w);
		col += w;
		first = 0;
		s = e;
	}
	accord_buf_putc(out, '\n');
}

void accord_report_render_text(accord_buf *out, const rdoc *d, int colour)
{
	size_t i, r, c, w[16];

	for (i = 0; i < d->n; i++) {
		const block *b = &d->b[i];

		switch (b->type) {
		case B_H1:
			accord_buf_printf(out, "%s%s%s\n", colour ? BOLD : "", b->text,
					  colour ? RESET : "");
			for (c = width(b->text); c > 0; c--)
				accord_buf_putc(out, '=');
			accord_buf_putc(out, '\n');
			break;
		case B_H2:
			accord_buf_printf(out, "\n%s%s%s\n", colour ? BOLD : "", b->text,
					  colour ? RESET : "");
			break;
		case B_H3:
			accord_buf_printf(out, "  %s%s%s\n", colour ? BOLD : "", b->text,
					  colour ? RESET : "");
			break;
		case B_P:
			accord_buf_puts(out, "  ");
			put_wrapped(out, b->text, 2, 2, 100);
			break;
		case B_WARN:
			accord_buf_printf(out, "\n%s!!! ", colour ? RED : "");
			put_wrapped(out, b->text, 4, 4, 100);
			if (colour)
				accord_buf_puts(out, RESET);
			accord_buf_putc(out, '\n');
			break;
		case B_KV:
		case B_DEFS:
			w[0] = 0;
			for (r = 0; r < b->rows; r++)
				if (width(b->cells[r * 2]) > w[0])
					w[0] = width(b->cells[r * 2]);
			for (r = 0; r < b->rows; r++) {
				int hot = colour && b->alert[r];

				accord_buf_printf(out, "  %s", hot ? RED : "");
				put_cell(out, b->cells[r * 2], w[0], SIZE_MAX, 0);
				accord_buf_puts(out, "  ");
				if (b->type == B_DEFS)
					put_wrapped(out, b->cells[r * 2 + 1], w[0] + 4, w[0] + 4,
						    100);
				else
					accord_buf_printf(out, "%s%s\n", b->cells[r * 2 + 1],
							  hot ? RESET : "");
			}
			break;
		case B_TABLE:
			for (c = 0; c < b->cols && c < 16; c++) {
				w[c] = 0;
				for (r = 0; r < b->rows; r++) {
					size_t cw = width(b->cells[r * b->cols + c]);

					if (cw > TEXT_CELL_MAX)
						cw = TEXT_CELL_MAX;
					if (cw > w[c])
						w[c] = cw;
				}
			}
			for (r = 0; r < b->rows; r++) {
				int hot = colour && b->alert[r];

				accord_buf_printf(out, "  %s%s", r == 0 && colour ? BOLD : "",
						  hot ? RED : "");
				for (c = 0; c < b->cols && c < 16; c++) {
					int last = c + 1 == b->cols;

					put_cell(out, b->cells[r * b->cols + c],
						 last && !(b->right >> c & 1) ? 0 : w[c],
						 TEXT_CELL_MAX, b->right >> c & 1);
					if (!last)
						accord_buf_puts(out, "  ");
				}
				accord_buf_printf(out, "%s\n",
						  (r == 0 && colour) || hot ? RESET : "");
				if (r == 0) {
					size_t total = 0;

					for (c = 0; c < b->cols && c < 16; c++)
						total += w[c] + (c ? 2 : 0);
					accord_buf_puts(out, "  ");
					while (total--)
						accord_buf_putc(out, '-');
					accord_buf_putc(out, '\n');
				}
			}
			break;
		}
	}
}

/* ---- Markdown ------------------------------------------------------------ */

static void md_escape(accord_buf *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#", *s))
			accord_buf_putc(out, '\\');
		accord_buf_putc(out, *s);
	}
}

void accord_report_render_md(accord_buf *out, const rdoc *d)
{
	size_t i, r, c;

	for (i = 0; i < d->n; i++) {
		const block *b = &d->b[i];

		switch (b->type) {
		case B_H1:
			accord_buf_puts(out, "# ");
			md_escape(out, b->text);
			accord_buf_puts(out, "\n\n");
			break;
		case B_H2:
		case B_H3:
			accord_buf_puts(out, b->type == B_H2 ? "\n## " : "\n### ");
			md_escape(out, b->text);
			accord_buf_puts(out, "\n\n");
			break;
		case B_P:
			md_escape(out, b->text);
			accord_buf_puts(out, "\n");
			break;
		case B_WARN:
			accord_buf_puts(out, "> **WARNING: ");
			md_escape(out, b->text);
			accord_buf_puts(out, "**\n\n");
			break;
		case B_KV:
		case B_DEFS:
			for (r = 0; r < b->rows; r++) {
				if (!b->cells[r * 2][0]) {
					/* a row with no label goes on the one above: a sub-item (attack124 03) */
					accord_buf_puts(out, "  - ");
					md_escape(out, b->cells[r * 2 + 1]);
					accord_buf_putc(out, '\n');
					continue;
				}
				accord_buf_puts(out, b->alert[r] ? "- **" : "- ");
				md_escape(out, b->cells[r * 2]);
				accord_buf_puts(out, b->alert[r] ? ":** " : ": ");
				md_escape(out, b->cells[r * 2 + 1]);
				accord_buf_putc(out, '\n');
			}
			accord_buf_putc(out, '\n');
			break;
		case B_TABLE:
			for (r = 0; r < b->rows; r++) {
				accord_buf_puts(out, "|");
				for (c = 0; c < b->cols; c++) {
					accord_buf_puts(out, b->alert[r] ? " **" : " ");
					md_escape(out, b->cells[r * b->cols + c]);
					accord_buf_puts(out, b->alert[r] ? "** |" : " |");
				}
				accord_buf_putc(out, '\n');
				if (r == 0) {
					accord_buf_puts(out, "|");
					for (c = 0; c < b->cols; c++)
						accord_buf_puts(out, b->right >> c & 1 ? " ---: |"
										       : " --- |");
					accord_buf_putc(out, '\n');
				}
			}
			accord_buf_putc(out, '\n');
			break;
		}
	}
}
