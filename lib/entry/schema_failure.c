/*
 * Validation failures: where in the instance one happened, which of
 * several is worth reporting (a discriminator that ruled an alternative
 * out says less than a failure deep inside the right one), and the one
 * message accord_schema_validate() returns.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "schema_impl.h"
#include "schema_validate.h"

const char accord_schema_unknown_field_fmt[] = "unknown field \"%s\"";

/* The instance location as a JSON pointer; the root is written "/" to be readable. */
static size_t path_write(const struct vctx *c, char *dst, size_t n)
{
	size_t len = 0, i;
	const char *p;

#define PUT(ch)                          \
	do {                             \
		if (len + 1 < n)         \
			dst[len] = (ch); \
		len++;                   \
	} while (0)
	if (c->npath == 0)
		PUT('/');
	for (i = 0; i < c->npath; i++) {
		PUT('/');
		if (c->path[i].name) {
			for (p = c->path[i].name; *p; p++) {
				if (*p == '~') {
					PUT('~');
					PUT('0');
				} else if (*p == '/') {
					PUT('~');
					PUT('1');
				} else {
					PUT(*p);
				}
			}
		} else {
			char num[24];

			snprintf(num, sizeof(num), "%zu", c->path[i].index);
			for (p = num; *p; p++)
				PUT(*p);
		}
	}
#undef PUT
	if (n)
		dst[len < n ? len : n - 1] = '\0';
	return len < n ? len : (n ? n - 1 : 0);
}

static int err_better(int depth, int disc, const struct verr *old)
{
	if (!old->set)
		return 1;
	if (disc != old->disc)
		return !disc;
	return depth > old->depth;
}

/* Record that the instance fails here; keeps the most telling message. Returns 1. */
static void err_format(struct vctx *c, struct verr *e, int kind, const char *fmt, va_list ap)
{
	size_t n = path_write(c, e->msg, sizeof(e->msg));

	if (n + 2 < sizeof(e->msg)) {
		memcpy(e->msg + n, ": ", 3);
		n += 2;
	}
	e->reason = n;
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	e->set = 1;
	e->unknown_field = fmt == accord_schema_unknown_field_fmt;
	e->depth = (int)c->npath;
	e->disc = kind != FK_OTHER;
	e->kind = kind;
}

int accord_schema_fail(struct vctx *c, enum fail_kind kind, const char *fmt, ...)
{
	int depth = (int)c->npath, disc = kind != FK_OTHER;
	va_list ap;

	if (kind == FK_TYPE && depth < c->type_min)
		c->type_min = depth;
	if (kind == FK_DISC && depth < c->disc_min)
		c->disc_min = depth;
	if (c->quiet)
		return 1;
	/* A const/enum mismatch ("type": "open") explains more than a type mismatch beside it. */
	if (disc && (!c->disc.set || depth < c->disc.depth ||
		     (depth == c->disc.depth && kind == FK_DISC && c->disc.kind != FK_DISC))) {
		va_start(ap, fmt);
		err_format(c, &c->disc, (int)kind, fmt, ap);
		va_end(ap);
	}
	if (err_better(depth, disc, &c->err)) {
		va_start(ap, fmt);
		err_format(c, &c->err, (int)kind, fmt, ap);
		va_end(ap);
	}
	return 1;
}

/* accord_schema_fail() when only the outcome counts: no message, and its arguments are never formatted. */
int accord_schema_fail_quiet(struct vctx *c, enum fail_kind kind)
{
	int depth = (int)c->npath;

	if (kind == FK_TYPE && depth < c->type_min)
		c->type_min = depth;
	if (kind == FK_DISC && depth < c->disc_min)
		c->disc_min = depth;
	return 1;
}

/* A failure of the schema rather than the instance: stops validation. */
int accord_schema_hard(struct vctx *c, int code, const char *fmt, ...)
{
	char where[256], reason[512];
	va_list ap;

	path_write(c, where, sizeof(where));
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return accord_error_set(code, "%s: %s", where, reason);
}

/* Numbers in messages: integers without exponent, others as short as round-trips. */
const char *accord_schema_fmt_num(char *buf, size_t n, double v)
{
	int prec;

	if (is_integral(v) && dabs(v) < 1e17) {
		snprintf(buf, n, "%.0f", v);
		return buf;
	}
	for (prec = 6; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

/* A value in messages, as compact JSON cut short if long. */
const char *accord_schema_fmt_value(char *buf, size_t n, const cJSON *v)
{
	char *s;

	if (cJSON_IsNumber(v))
		return accord_schema_fmt_num(buf, n, v->valuedouble);
	s = cJSON_PrintUnformatted(v);
	if (!s) {
		snprintf(buf, n, "(value)");
		return buf;
	}
	if (strlen(s) >= n && n > 4) {
		memcpy(buf, s, n - 4);
		memcpy(buf + n - 4, "...", 4);
	} else {
		snprintf(buf, n, "%s", s);
	}
	cJSON_free(s);
	return buf;
}

/* Merge an error found in a sub-evaluation into the current one. */
static void err_merge(struct vctx *c, const struct verr *e, const struct verr *d, int type_min,
		      int disc_min)
{
	if (!c->quiet && d->set && (!c->disc.set || d->depth < c->disc.depth))
		c->disc = *d;
	if (type_min < c->type_min)
		c->type_min = type_min;
	if (disc_min < c->disc_min)
		c->disc_min = disc_min;
	if (!c->quiet && e->set && err_better(e->depth, e->disc, &c->err))
		c->err = *e;
}

/*
 * If every one of `nalt` alternatives failed a "const" on the same member
 * (the "type" of an entry), say that member's value is none of theirs.
 * Returns 1 if it reported, 0 if there is no such member.
 */
static int discriminator_fail(struct vctx *c, const struct const_fail *seen, const int *seen_alt,
			      size_t nseen, int nalt)
{
	accord_buf wants = ACCORD_BUF_INIT;
	const cJSON *member;
	char vb[128];
	size_t k, m;
	int a, found, rc;

	for (k = 0; k < nseen && seen_alt[k] == 0; k++) {
		member = seen[k].inst;
		for (a = 1; a < nalt; a++) {
			for (found = 0, m = 0; m < nseen && !found; m++)
				found = seen_alt[m] == a && seen[m].inst == member;
			if (!found)
				break;
		}
		if (a < nalt)
			continue;
		for (a = 0; a < nalt; a++)
			for (m = 0; m < nseen; m++)
				if (seen_alt[m] == a && seen[m].inst == member) {
					accord_buf_puts(&wants, a ? ", " : "");
					accord_buf_puts(&wants,
							accord_schema_fmt_value(vb, sizeof(vb),
										seen[m].want));
					break;
				}
		path_push(c, member->string, 0);
		if (!member->string) {
			/* A member of an array: find its index. */
			const cJSON *x;
			size_t idx = 0;

			for (x = member->prev; x && x->next; x = x->prev)
				idx++;
			c->path[c->npath - 1].index = idx;
		}
		rc = accord_schema_fail(c, FK_DISC, "%s is not one of %s",
					accord_schema_fmt_value(vb, sizeof(vb), member), wants.ptr);
		path_pop(c);
		accord_buf_dispose(&wants);
		return rc;
	}
	return 0;
}

/*
 * anyOf/oneOf with no matching alternative: re-run each one for its error
 * and report the one that most likely was meant. An alternative is ruled
 * out when the instance has the wrong type for it, or a const/enum at its
 * top or one level down (a "type": "open" field) does not match; of the
 * rest the one that got deepest into the instance wins.
 */
int accord_schema_report_alternatives(struct vctx *c, const cJSON *arr, const char *base,
				      const cJSON *inst, const char *kwname)
{
	struct verr best, best_disc;
	struct const_fail *seen = NULL; /* failed consts one level down, per alternative */
	int *seen_alt = NULL;
	size_t nseen = 0, aseen = 0, aalt = 0, k;
	struct scope sc;
	int best_ruled_out = 1, best_tmin = INT_MAX, best_dmin = INT_MAX, rc, d = (int)c->npath;
	int best_i = -1, i = 0;
	const cJSON *alt;

	if (c->quiet)
		return accord_schema_fail(c, FK_OTHER, "matches none of the %s alternatives",
					  kwname);
	memset(&best, 0, sizeof(best));
	memset(&best_disc, 0, sizeof(best_disc));
	cJSON_ArrayForEach(alt, arr) {
		int ruled_out, better;

		accord_schema_scope_enter(c, &sc, 0);
		rc = accord_schema_eval(c, alt, base, inst);
		if (rc < 0) {
			accord_schema_scope_leave(c, &sc);
			free(seen);
			free(seen_alt);
			return rc;
		}
		for (k = sc.ncf; k < c->ncf; k++) {
			if (c->cf[k].depth != d + 1)
				continue;
			GROW(seen, nseen, aseen);
			if (aalt < aseen) {
				seen_alt = accord_xrealloc(seen_alt, aseen * sizeof(*seen_alt));
				aalt = aseen;
			}
			seen[nseen] = c->cf[k];
			seen_alt[nseen++] = i;
		}
		ruled_out = c->type_min <= d || c->disc_min <= d + 1;
		if (!c->err.set)
			better = 0;
		else if (best_i < 0 || ruled_out != best_ruled_out)
			better = best_i < 0 || !ruled_out;
		else if (ruled_out && c->disc.set && best_disc.set &&
			 c->disc.depth != best_disc.depth)
			better = c->disc.depth >
				 best_disc.depth; /* got further before being ruled out */
		else
			better = c->err.depth > best.depth;
		if (better) {
			best = c->err;
			best_disc = c->disc;
			best_ruled_out = ruled_out;
			best_tmin = c->type_min;
			best_dmin = c->disc_min;
			best_i = i;
		}
		accord_schema_scope_leave(c, &sc);
		i++;
	}
	if (best_i >= 0 && !best_ruled_out) {
		free(seen);
		free(seen_alt);
		err_merge(c, &best, &best_disc, best_tmin, best_dmin);
		return 1;
	}
	rc = discriminator_fail(c, seen, seen_alt, nseen, i);
	free(seen);
	free(seen_alt);
	if (rc)
		return rc;
	if (best_i >= 0)
		return accord_schema_fail(c, FK_DISC,
					  "matches none of the %s alternatives (closest, #%d: %s)",
					  kwname, best_i, best_disc.set ? best_disc.msg : best.msg);
	return accord_schema_fail(c, FK_DISC, "matches none of the %s alternatives", kwname);
}
