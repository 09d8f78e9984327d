/*
 * Validating an instance against a schema of the registry: the keywords
 * evaluated one by one on the compiled schema objects (struct snode), with
 * "$ref"s followed as the add resolved them. Validation never changes the
 * registry, so several threads may validate at once.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "schema.h"
#include "schema_impl.h"
#include "schema_uri.h"
#include "schema_validate.h"

static __thread accord_schema_failure last_failure;

accord_schema_failure accord_schema_last_failure(void)
{
	return last_failure;
}

static const char *strlist_keep(struct strlist *l, char *s)
{
	GROW(l->v, l->n, l->a);
	l->v[l->n++] = s;
	return s;
}

static void strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int is_integer(const cJSON *v)
{
	return cJSON_IsNumber(v) && is_integral(v->valuedouble);
}

static const char *type_of(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNumber(v))
		return is_integer(v) ? "integer" : "number";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsObject(v))
		return "object";
	return "unknown";
}

/* The TY_* bits of the type names `v` is an instance of. */
static unsigned inst_types(const cJSON *v)
{
	switch (v->type & 0xff) {
	case cJSON_NULL: return TY_NULL;
	case cJSON_False:
	case cJSON_True: return TY_BOOLEAN;
	case cJSON_Number: return is_integral(v->valuedouble) ? TY_NUMBER | TY_INTEGER : TY_NUMBER;
	case cJSON_String: return TY_STRING;
	case cJSON_Array: return TY_ARRAY;
	case cJSON_Object: return TY_OBJECT;
	default: return 0;
	}
}

static int type_matches(const char *t, const cJSON *v)
{
	if (strcmp(t, "integer") == 0)
		return is_integer(v);
	if (strcmp(t, "number") == 0)
		return cJSON_IsNumber(v);
	return strcmp(t, type_of(v)) == 0;
}

/* JSON equality: numbers by value (1 == 1.0), objects regardless of key order. */
int accord_schema_json_equal(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble == b->valuedouble;
	if ((a->type & 0xff) != (b->type & 0xff))
		return 0;
	if (cJSON_IsString(a))
		return strcmp(a->valuestring, b->valuestring) == 0;
	if (cJSON_IsArray(a)) {
		for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
			if (!accord_schema_json_equal(x, y))
				return 0;
		return !x && !y;
	}
	if (cJSON_IsObject(a)) {
		if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
			return 0;
		cJSON_ArrayForEach(x, a) {
			y = cJSON_GetObjectItemCaseSensitive(b, x->string);
			if (!y || !accord_schema_json_equal(x, y))
				return 0;
		}
		return 1;
	}
	return 1; /* null, true, false */
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int eval_sn(struct vctx *c, const cJSON *s, const struct snode *sn, const char *base,
		   const cJSON *inst);

/* Valid or not, without messages and without touching the caller's error. `sn` as eval_sn(). */
static int v_quiet(struct vctx *c, const cJSON *s, const struct snode *sn, const char *base,
		   const cJSON *inst)
{
	struct scope sc;
	int rc;

	accord_schema_scope_enter(c, &sc, 1);
	rc = eval_sn(c, s, sn, base, inst);
	accord_schema_scope_leave(c, &sc);
	return rc;
}

/* Evaluate the target of a "$ref", refusing to re-enter it on the same value. */
static int v_ref_target(struct vctx *c, const cJSON *ref, const cJSON *target,
			const struct snode *tsn, const char *tbase, const cJSON *inst)
{
	size_t i;
	int rc;

	/* Same schema on the same value while still inside it: it can only recurse forever. */
	for (i = 0; i < c->nrefs; i++)
		if (c->refs[i].schema == target && c->refs[i].inst == inst)
			return accord_schema_hard(c, ACCORD_EINVALID,
						  "$ref \"%s\" loops back to itself",
						  ref->valuestring);
	GROW_LOCAL(c->refs, c->nrefs, c->arefs, c->refs_local);
	c->refs[c->nrefs].schema = target;
	c->refs[c->nrefs].inst = inst;
	c->nrefs++;
	rc = eval_sn(c, target, tsn, tbase, inst);
	c->nrefs--;
	return rc;
}

static int v_ref(struct vctx *c, const cJSON *ref, const char *base, const cJSON *inst)
{
	const cJSON *target;
	const char *tbase;
	char *uri = accord_uri_resolve(base, ref->valuestring);
	int rc;

	rc = accord_schema_lookup(c->reg, uri, &target, &tbase);
	if (rc < 0) {
		rc = accord_schema_hard(c, ACCORD_ENOTFOUND,
					"$ref \"%s\" (%s) is not in the schema registry",
					ref->valuestring, uri);
		free(uri);
		return rc;
	}
	free(uri);
	return v_ref_target(c, ref, target, NULL, tbase, inst);
}

/* Step macro: hard errors end everything; failures end early only when quiet. */
#define STEP(expr)                        \
	do {                              \
		int r_ = (expr);          \
		if (r_ < 0)               \
			return r_;        \
		if (r_ > 0) {             \
			failed = 1;       \
			if (c->quiet)     \
				return 1; \
		}                         \
	} while (0)

static int v_type(struct vctx *c, const cJSON *t, const cJSON *inst)
{
	char want[128];
	const cJSON *x;
	size_t n = 0;

	if (cJSON_IsString(t)) {
		if (type_matches(t->valuestring, inst))
			return 0;
		return FAIL(c, FK_TYPE, "expected %s, got %s", t->valuestring, type_of(inst));
	}
	want[0] = '\0';
	cJSON_ArrayForEach(x, t) {
		if (!cJSON_IsString(x))
			continue;
		if (type_matches(x->valuestring, inst))
			return 0;
		if (n < sizeof(want))
			n += (size_t)snprintf(want + n, sizeof(want) - n, "%s%s", n ? " or " : "",
					      x->valuestring);
	}
	return FAIL(c, FK_TYPE, "expected %s, got %s", want, type_of(inst));
}

/*
 * Search `s` with the pattern held by `node`: `re` if the caller has it,
 * else as compiled when the schema was added, else (parts the add walk
 * never saw) compiled now. 1 match, 0 none.
 */
static int pattern_search(struct vctx *c, const cJSON *node, const accord_regex *re,
			  const char *pattern, const char *s)
{
	const struct node_info *info;
	accord_regex *tmpre = NULL;
	char err[256];
	int hit;

	if (!re && (info = accord_schema_map_get(c->reg, node)) != NULL)
		re = info->re;
	if (!re && accord_regex_compile(&tmpre, pattern, c->reg->utf8, err, sizeof(err)) < 0)
		return accord_schema_hard(c, ACCORD_EINVALID, "bad regular expression \"%s\": %s",
					  pattern, err);
	hit = accord_regex_search(tmpre ? tmpre : re, s, c->reg->utf8);
	accord_regex_free(tmpre);
	if (hit < 0)
		return accord_schema_hard(c, ACCORD_ERROR, "regular expression \"%s\" failed",
					  pattern);
	return hit;
}

/*
 * Members' indexes in a name table, for the first IDX_LOCAL members of an
 * instance: v_object() finds them once for "required" and "properties".
 * NO_NAME marks a member without a name.
 */
#define IDX_LOCAL 32
#define NO_NAME (-2)

struct midx {
	int16_t v[IDX_LOCAL];
	size_t n;
};

/* The index of member `m`, the `i`th of its object, in `pt`; -1 if absent. */
static long member_index(const struct ptable *pt, const struct midx *mi, size_t i, const cJSON *m)
{
	if (i < mi->n)
		return mi->v[i];
	return m->string ? ptable_find(pt, m->string) : NO_NAME;
}

/*
 * "required" by the schema's name table: one pass over the members ticks
 * off the names it holds. A member without a name ends the pass, as it
 * ends cJSON_GetObjectItemCaseSensitive's search.
 */
static int v_required(struct vctx *c, const struct ptable *pt, const struct midx *mi,
		      const cJSON *inst)
{
	uint64_t seen = 0;
	const cJSON *m;
	size_t i = 0;
	long k;
	int failed = 0;

	cJSON_ArrayForEach(m, inst) {
		if ((k = member_index(pt, mi, i++, m)) == NO_NAME)
			break;
		if (k >= 0)
			seen |= (uint64_t)1 << k;
	}
	for (i = 0; i < pt->nreq; i++)
		if (!(seen >> pt->req[i] & 1))
			STEP(FAIL(c, FK_OTHER, "missing required field \"%s\"",
				  pt->names[pt->req[i]].name));
	return failed;
}

/* `pt`: the schema's name table (struct ptable), NULL for a part the add walk never saw. */
static int v_object(struct vctx *c, const cJSON *const kw[KW_COUNT], const struct ptable *pt,
		    const char *base, const cJSON *inst)
{
	const cJSON *props = kw[KW_PROPERTIES], *pats = kw[KW_PATTERN_PROPERTIES];
	const cJSON *addl = kw[KW_ADDITIONAL_PROPERTIES], *m, *p, *sub, *x;
	const struct snode *subsn;
	struct midx mi;
	char nb[32];
	int addl_false = cJSON_IsFalse(addl), count, failed = 0;
	size_t i = 0;

	mi.n = 0;
	if (pt) {
		cJSON_ArrayForEach(m, inst) {
			if (mi.n == IDX_LOCAL)
				break;
			mi.v[mi.n] = (int16_t)member_index(pt, &mi, mi.n, m);
			mi.n++;
		}
	}
	if (pt && pt->nreq && pt->n <= 64) {
		STEP(v_required(c, pt, &mi, inst));
	} else if (kw[KW_REQUIRED]) {
		cJSON_ArrayForEach(x, kw[KW_REQUIRED])
			if (cJSON_IsString(x) &&
			    !cJSON_GetObjectItemCaseSensitive(inst, x->valuestring))
				STEP(FAIL(c, FK_OTHER, "missing required field \"%s\"",
					  x->valuestring));
	}
	cJSON_ArrayForEach(m, inst) {
		int matched = 0, r;
		long k;

		path_push(c, m->string, 0);
		subsn = NULL;
		if (pt) {
			k = member_index(pt, &mi, i++, m);
			sub = k >= 0 ? pt->names[k].prop : NULL;
			subsn = k >= 0 ? pt->names[k].prop_sn : NULL;
		} else {
			sub = cJSON_IsObject(props)
				      ? cJSON_GetObjectItemCaseSensitive(props, m->string)
				      : NULL;
		}
		if (sub) {
			matched = 1;
			STEP(eval_sn(c, sub, subsn, base, m));
		}
		if (cJSON_IsObject(pats)) {
			cJSON_ArrayForEach(p, pats) {
				if ((r = pattern_search(c, p, NULL, p->string, m->string)) < 0)
					return r;
				if (r) {
					matched = 1;
					STEP(accord_schema_eval(c, p, base, m));
				}
			}
		}
		if (!matched && addl && !addl_false)
			STEP(accord_schema_eval(c, addl, base, m));
		path_pop(c);
		if (!matched && addl_false)
			STEP(FAIL(c, FK_OTHER, accord_schema_unknown_field_fmt, m->string));
	}
	if (kw[KW_PROPERTY_NAMES]) {
		cJSON_ArrayForEach(m, inst) {
			cJSON name;
			struct scope sc;
			char reason[MSG_MAX];
			int r;

			memset(&name, 0, sizeof(name));
			name.type = cJSON_String;
			name.valuestring = m->string;
			accord_schema_scope_enter(c, &sc, 0);
			r = accord_schema_eval(c, kw[KW_PROPERTY_NAMES], base, &name);
			snprintf(reason, sizeof(reason), "%s",
				 c->err.set ? c->err.msg + c->err.reason : "not allowed");
			accord_schema_scope_leave(c, &sc);
			if (r > 0)
				STEP(FAIL(c, FK_OTHER, "invalid field name \"%s\": %s", m->string,
					  reason));
			else
				STEP(r);
		}
	}
	count = kw[KW_MIN_PROPERTIES] || kw[KW_MAX_PROPERTIES] ? cJSON_GetArraySize(inst) : 0;
	if (is_count(kw[KW_MIN_PROPERTIES]) && count < kw[KW_MIN_PROPERTIES]->valuedouble)
		STEP(FAIL(
			c, FK_OTHER, "has %d fields, fewer than minProperties %s", count,
			accord_schema_fmt_num(nb, sizeof(nb), kw[KW_MIN_PROPERTIES]->valuedouble)));
	if (is_count(kw[KW_MAX_PROPERTIES]) && count > kw[KW_MAX_PROPERTIES]->valuedouble)
		STEP(FAIL(
			c, FK_OTHER, "has %d fields, more than maxProperties %s", count,
			accord_schema_fmt_num(nb, sizeof(nb), kw[KW_MAX_PROPERTIES]->valuedouble)));
	if (cJSON_IsObject(kw[KW_DEPENDENCIES])) {
		cJSON_ArrayForEach(p, kw[KW_DEPENDENCIES]) {
			if (!cJSON_GetObjectItemCaseSensitive(inst, p->string))
				continue;
			if (cJSON_IsArray(p)) {
				cJSON_ArrayForEach(x, p)
					if (cJSON_IsString(x) &&
					    !cJSON_GetObjectItemCaseSensitive(inst, x->valuestring))
						STEP(FAIL(c, FK_OTHER,
							  "field \"%s\" requires field \"%s\"",
							  p->string, x->valuestring));
			} else {
				STEP(accord_schema_eval(c, p, base, inst));
			}
		}
	}
	return failed;
}

static int v_array(struct vctx *c, const cJSON *const kw[KW_COUNT], const char *base,
		   const cJSON *inst)
{
	const cJSON *items = kw[KW_ITEMS], *x, *y, *sub;
	char nb[32];
	int count = cJSON_GetArraySize(inst), failed = 0, i, j;

	if (items) {
		int nitems = cJSON_IsArray(items) ? cJSON_GetArraySize(items) : -1;

		i = 0;
		cJSON_ArrayForEach(x, inst) {
			if (nitems < 0)
				sub = items;
			else if (i < nitems)
				sub = cJSON_GetArrayItem(items, i);
			else
				sub = kw[KW_ADDITIONAL_ITEMS];
			if (sub && cJSON_IsFalse(sub) && nitems >= 0 && i >= nitems) {
				STEP(FAIL(c, FK_OTHER,
					  "has %d items, more than the %d allowed "
					  "(additionalItems is false)",
					  count, nitems));
				break;
			}
			if (sub) {
				int r;

				path_push(c, NULL, (size_t)i);
				r = accord_schema_eval(c, sub, base, x);
				path_pop(c);
				STEP(r);
			}
			i++;
		}
	}
	if (is_count(kw[KW_MIN_ITEMS]) && count < kw[KW_MIN_ITEMS]->valuedouble)
		STEP(FAIL(c, FK_OTHER, "has %d items, fewer than minItems %s", count,
			  accord_schema_fmt_num(nb, sizeof(nb), kw[KW_MIN_ITEMS]->valuedouble)));
	if (is_count(kw[KW_MAX_ITEMS]) && count > kw[KW_MAX_ITEMS]->valuedouble)
		STEP(FAIL(c, FK_OTHER, "has %d items, more than maxItems %s", count,
			  accord_schema_fmt_num(nb, sizeof(nb), kw[KW_MAX_ITEMS]->valuedouble)));
	if (cJSON_IsTrue(kw[KW_UNIQUE_ITEMS])) {
		int dup_i = -1, dup_j = -1;

		for (x = inst->child, i = 0; x && dup_i < 0; x = x->next, i++)
			for (y = x->next, j = i + 1; y; y = y->next, j++)
				if (accord_schema_json_equal(x, y)) {
					dup_i = i;
					dup_j = j;
					break;
				}
		if (dup_i >= 0)
			STEP(FAIL(c, FK_OTHER, "items %d and %d are equal, but uniqueItems is set",
				  dup_i, dup_j));
	}
	if (kw[KW_CONTAINS]) {
		int found = 0, r;

		i = 0;
		cJSON_ArrayForEach(x, inst) {
			path_push(c, NULL, (size_t)i++);
			r = v_quiet(c, kw[KW_CONTAINS], NULL, base, x);
			path_pop(c);
			if (r < 0)
				return r;
			if (r == 0) {
				found = 1;
				break;
			}
		}
		if (!found)
			STEP(FAIL(c, FK_OTHER, "no item matches \"contains\""));
	}
	return failed;
}

static int v_number(struct vctx *c, const cJSON *const kw[KW_COUNT], const cJSON *inst)
{
	double v = inst->valuedouble;
	char a[32], b[32];
	const cJSON *k;
	int failed = 0;

	if (cJSON_IsNumber(k = kw[KW_MINIMUM]) && v < k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "%s is less than minimum %s",
			  accord_schema_fmt_num(a, sizeof(a), v),
			  accord_schema_fmt_num(b, sizeof(b), k->valuedouble)));
	if (cJSON_IsNumber(k = kw[KW_MAXIMUM]) && v > k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "%s is greater than maximum %s",
			  accord_schema_fmt_num(a, sizeof(a), v),
			  accord_schema_fmt_num(b, sizeof(b), k->valuedouble)));
	if (cJSON_IsNumber(k = kw[KW_EXCLUSIVE_MINIMUM]) && v <= k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "%s is not greater than exclusiveMinimum %s",
			  accord_schema_fmt_num(a, sizeof(a), v),
			  accord_schema_fmt_num(b, sizeof(b), k->valuedouble)));
	if (cJSON_IsNumber(k = kw[KW_EXCLUSIVE_MAXIMUM]) && v >= k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "%s is not less than exclusiveMaximum %s",
			  accord_schema_fmt_num(a, sizeof(a), v),
			  accord_schema_fmt_num(b, sizeof(b), k->valuedouble)));
	if (cJSON_IsNumber(k = kw[KW_MULTIPLE_OF]) && k->valuedouble > 0) {
		double m = k->valuedouble, q = v / m;
		int ok;

		/* Exact for integers; for fractions (0.0075 / 0.0001) allow binary rounding error. */
		if (is_integral(m) && is_integral(v) && dabs(v) < TWO53 && m < TWO53) {
			ok = (int64_t)v % (int64_t)m == 0;
		} else if (!isfinite(q)) {
			ok = 0;
		} else if (dabs(q) >= TWO53) {
			ok = 1; /* beyond double precision; the quotient is integral as far as we can tell */
		} else {
			double r = (double)(int64_t)(q < 0 ? q - 0.5 : q + 0.5);

			ok = dabs(q - r) <= 1e-9 * (dabs(q) > 1.0 ? dabs(q) : 1.0);
		}
		if (!ok)
			STEP(FAIL(c, FK_OTHER, "%s is not a multiple of %s",
				  accord_schema_fmt_num(a, sizeof(a), v),
				  accord_schema_fmt_num(b, sizeof(b), m)));
	}
	return failed;
}

/* `re`: the compiled "pattern", or NULL to ask the registry. */
static int v_string(struct vctx *c, const cJSON *const kw[KW_COUNT], const accord_regex *re,
		    const cJSON *inst)
{
	const char *s = inst->valuestring;
	size_t len = kw[KW_MIN_LENGTH] || kw[KW_MAX_LENGTH] ? utf8_length(s) : 0;
	char nb[32], vb[128], pb[128];
	const cJSON *k;
	int failed = 0;

	if (is_count(k = kw[KW_MIN_LENGTH]) && (double)len < k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "is %zu characters long, shorter than minLength %s", len,
			  accord_schema_fmt_num(nb, sizeof(nb), k->valuedouble)));
	if (is_count(k = kw[KW_MAX_LENGTH]) && (double)len > k->valuedouble)
		STEP(FAIL(c, FK_OTHER, "is %zu characters long, longer than maxLength %s", len,
			  accord_schema_fmt_num(nb, sizeof(nb), k->valuedouble)));
	if (cJSON_IsString(k = kw[KW_PATTERN])) {
		int hit = pattern_search(c, k, re, k->valuestring, s);

		if (hit < 0)
			return hit;
		if (!hit)
			STEP(FAIL(c, FK_OTHER, "%s does not match pattern %s",
				  accord_schema_fmt_value(vb, sizeof(vb), inst),
				  accord_schema_fmt_value(pb, sizeof(pb), k)));
	}
	return failed;
}

/*
 * oneOf with a discriminator (struct disc): every alternative but the one
 * whose const equals the instance's member fails on that const, and none
 * can end in a hard error (accord_schema_finalize() proved it), so the
 * alternative that fits is the whole answer when it matches: 0. 1 when it
 * does not, or none fits, or the instance lacks the member: then the caller
 * runs the general oneOf, which finds the same result and the message.
 */
static int one_of_fast(struct vctx *c, const struct disc *d, const char *base, const cJSON *inst)
{
	const cJSON *m;
	size_t i;
	int r;

	if (!cJSON_IsObject(inst) || c->depth + d->height > EVAL_MAX_DEPTH)
		return 1;
	if (!(m = cJSON_GetObjectItemCaseSensitive(inst, d->key)))
		return 1;
	for (i = 0; i < d->n; i++)
		if (accord_schema_json_equal(d->want[i], m))
			break;
	if (i == d->n)
		return 1;
	r = v_quiet(c, d->alt[i], d->alt_sn[i], base, inst);
	return r < 0 ? r : r > 0;
}

/* The base for a subschema that has "$id": from the add walk (`known`), or worked out now. */
static const char *id_base(struct vctx *c, const char *known, const cJSON *id, const char *base)
{
	char *full;

	if (known)
		return known;
	if (!cJSON_IsString(id) || id->valuestring[0] == '#')
		return base;
	full = accord_uri_resolve(base, id->valuestring);
	full[accord_uri_nofrag_len(full)] = '\0';
	return strlist_keep(&c->tmp, full);
}

/* "anyOf" (the array `any`): 0 if an alternative matches, 1 if none does, or a negative error. */
static int v_any_of(struct vctx *c, const cJSON *any, const char *base, const cJSON *inst)
{
	const cJSON *x;
	int r = 0;

	cJSON_ArrayForEach(x, any) {
		if ((r = v_quiet(c, x, NULL, base, inst)) <= 0)
			break;
	}
	if (x && r < 0)
		return r;
	if (!x)
		return accord_schema_report_alternatives(c, any, base, inst, "anyOf");
	return 0;
}

/*
 * "oneOf" (the array `one`) of the schema node `sn` (NULL when the add walk
 * never saw it): 0 if exactly one alternative matches, 1 if not, or a
 * negative error.
 */
static int v_one_of(struct vctx *c, const cJSON *one, const struct snode *sn, const char *base,
		    const cJSON *inst)
{
	const struct disc *d = sn ? sn->disc : NULL;
	int matches = 0, first = -1, second = -1, i = 0, r;
	const cJSON *x, *m = NULL;

	if (d && d->all_safe && (r = one_of_fast(c, d, base, inst)) <= 0)
		return r; /* exactly one alternative matches, or an error */
	/* The member whose value rules out the safe alternatives that fix it otherwise. */
	if (d && cJSON_IsObject(inst) && c->depth + d->height <= EVAL_MAX_DEPTH)
		m = cJSON_GetObjectItemCaseSensitive(inst, d->key);
	cJSON_ArrayForEach(x, one) {
		if (m && d->safe[i] && !accord_schema_json_equal(d->want[i], m)) {
			i++;
			continue; /* it can only fail, and quietly (v_quiet) */
		}
		if ((r = v_quiet(c, x, d ? d->alt_sn[i] : NULL, base, inst)) < 0)
			return r;
		if (r == 0) {
			if (matches++ == 0)
				first = i;
			else if (second < 0)
				second = i;
		}
		i++;
	}
	if (matches == 0)
		return accord_schema_report_alternatives(c, one, base, inst, "oneOf");
	if (matches > 1)
		return FAIL(c, FK_OTHER,
			    "matches oneOf alternatives #%d and #%d, "
			    "but must match exactly one",
			    first, second);
	return 0;
}

/* `sn`: what the registry compiled for `s`, or NULL to ask its node map. */
static int v_keywords(struct vctx *c, const cJSON *s, const struct snode *sn, const char *base,
		      const cJSON *inst)
{
	const struct node_info *info;
	const cJSON *local[KW_COUNT], *x;
	const cJSON *const *kw;
	const char *node_base = sn ? sn->base : NULL;
	char vb[128], eb[128];
	int failed = 0, r = 0;

	if (!sn && (info = accord_schema_map_get(c->reg, s)) != NULL) {
		sn = info->sn;
		node_base = info->base;
	}
	if (sn) {
		kw = sn->kw;
	} else {
		/* A part of a document the add walk never saw (lenient documents only). */
		accord_schema_kw_collect(s, local);
		kw = local;
	}
	if (kw[KW_REF]) {
		if (!cJSON_IsString(kw[KW_REF]))
			return accord_schema_hard(c, ACCORD_EINVALID, "\"$ref\" is not a string");
		if (node_base)
			base = node_base;
		if (sn && sn->ref_target &&
		    (sn->ref_base == base || strcmp(sn->ref_base, base) == 0))
			return v_ref_target(c, kw[KW_REF], sn->ref_target, sn->ref_sn,
					    sn->ref_tbase, inst);
		return v_ref(c, kw[KW_REF], base, inst);
	}
	if (kw[KW_ID])
		base = id_base(c, node_base, kw[KW_ID], base);

	/* The bits say the same as v_type() but for the message, made only on failure. */
	if (kw[KW_TYPE] && !(sn && (sn->types & inst_types(inst))))
		STEP(v_type(c, kw[KW_TYPE], inst));
	if (kw[KW_CONST] && !accord_schema_json_equal(kw[KW_CONST], inst)) {
		if (!c->quiet) {
			GROW(c->cf, c->ncf, c->acf);
			c->cf[c->ncf].inst = inst;
			c->cf[c->ncf].want = kw[KW_CONST];
			c->cf[c->ncf].depth = (int)c->npath;
			c->ncf++;
		}
		STEP(FAIL(c, FK_DISC, "must be %s, got %s",
			  accord_schema_fmt_value(eb, sizeof(eb), kw[KW_CONST]),
			  accord_schema_fmt_value(vb, sizeof(vb), inst)));
	}
	if (cJSON_IsArray(kw[KW_ENUM])) {
		cJSON_ArrayForEach(x, kw[KW_ENUM])
			if (accord_schema_json_equal(x, inst))
				break;
		if (!x)
			STEP(FAIL(c, FK_DISC, "%s is not one of %s",
				  accord_schema_fmt_value(vb, sizeof(vb), inst),
				  accord_schema_fmt_value(eb, sizeof(eb), kw[KW_ENUM])));
	}
	if (cJSON_IsObject(inst))
		STEP(v_object(c, kw, sn ? sn->names : NULL, base, inst));
	else if (cJSON_IsArray(inst))
		STEP(v_array(c, kw, base, inst));
	else if (cJSON_IsNumber(inst))
		STEP(v_number(c, kw, inst));
	else if (cJSON_IsString(inst))
		STEP(v_string(c, kw, sn ? sn->pattern_re : NULL, inst));

	if (cJSON_IsArray(kw[KW_ALL_OF])) {
		cJSON_ArrayForEach(x, kw[KW_ALL_OF])
			STEP(accord_schema_eval(c, x, base, inst));
	}
	if (cJSON_IsArray(kw[KW_ANY_OF]))
		STEP(v_any_of(c, kw[KW_ANY_OF], base, inst));
	if (cJSON_IsArray(kw[KW_ONE_OF]))
		STEP(v_one_of(c, kw[KW_ONE_OF], sn, base, inst));
	if (kw[KW_NOT]) {
		if ((r = v_quiet(c, kw[KW_NOT], NULL, base, inst)) < 0)
			return r;
		if (r == 0)
			STEP(FAIL(c, FK_OTHER, "must not match the \"not\" schema"));
	}
	if (kw[KW_IF]) {
		if ((r = v_quiet(c, kw[KW_IF], NULL, base, inst)) < 0)
			return r;
		if (r == 0 && kw[KW_THEN])
			STEP(accord_schema_eval(c, kw[KW_THEN], base, inst));
		else if (r > 0 && kw[KW_ELSE])
			STEP(accord_schema_eval(c, kw[KW_ELSE], base, inst));
	}
	return failed;
}

/*
 * accord_schema_eval(), where the caller may know what the registry
 * compiled for `s` (`sn`; NULL to ask the node map).
 */
static int eval_sn(struct vctx *c, const cJSON *s, const struct snode *sn, const char *base,
		   const cJSON *inst)
{
	int rc;

	if (cJSON_IsTrue(s))
		return 0;
	if (cJSON_IsFalse(s))
		return accord_schema_fail(c, FK_OTHER, "not allowed here (the schema is false)");
	if (!cJSON_IsObject(s))
		return accord_schema_hard(c, ACCORD_EINVALID,
					  "schema is not an object or a boolean");
	if (c->depth >= EVAL_MAX_DEPTH)
		return accord_schema_hard(c, ACCORD_EINVALID,
					  "schema evaluation nested deeper than %d (a $ref loop?)",
					  EVAL_MAX_DEPTH);
	c->depth++;
	rc = v_keywords(c, s, sn, base, inst);
	c->depth--;
	return rc;
}

/* 0 if `inst` is valid against `s`, 1 if not (message in c->err), or a negative error. */
int accord_schema_eval(struct vctx *c, const cJSON *s, const char *base, const cJSON *inst)
{
	return eval_sn(c, s, NULL, base, inst);
}

int accord_schema_validate(accord_schema_registry *reg, const char *uri, const cJSON *instance)
{
	const struct uri_entry *e;
	struct vctx c;
	const cJSON *node;
	const char *base;
	char *abs;
	int rc;

	if (!reg || !uri || !instance)
		return accord_error_set(ACCORD_EINVALID, "schema validation: missing argument");
	memset(&c, 0, sizeof(c));
	c.reg = reg;
	c.type_min = c.disc_min = INT_MAX;
	c.path = c.path_local;
	c.apath = PATH_LOCAL;
	c.refs = c.refs_local;
	c.arefs = REFS_LOCAL;
	/*
	 * A URI without fragment that is indexed as it is needs no resolving:
	 * indexed URIs are already resolved, and resolving is idempotent.
	 */
	if (!strchr(uri, '#') && (e = accord_schema_uri_get(reg, uri)) != NULL) {
		node = e->node;
		base = e->base;
		rc = 0;
	} else {
		abs = accord_uri_resolve(NULL, uri);
		rc = accord_schema_lookup(reg, abs, &node, &base);
		free(abs);
	}
	if (rc < 0) {
		rc = accord_error_set(ACCORD_ENOTFOUND, "schema %s is not in the registry", uri);
		goto done;
	}
	rc = accord_schema_eval(&c, node, base, instance);
	last_failure = rc > 0 && c.err.set && c.err.unknown_field ? ACCORD_SCHEMA_UNKNOWN_FIELD
								  : ACCORD_SCHEMA_BAD_VALUE;
	if (rc > 0)
		rc = accord_error_set(ACCORD_EINVALID, "%s",
				      c.err.set ? c.err.msg : "/: does not match the schema");
done:
	if (c.path != c.path_local)
		free(c.path);
	if (c.refs != c.refs_local)
		free(c.refs);
	free(c.cf);
	strlist_free(&c.tmp);
	return rc;
}
