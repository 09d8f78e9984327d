/*
 * Validating an instance: the context one accord_schema_validate() carries,
 * shared by schema_validate.c (evaluating keywords) and schema_failure.c
 * (recording failures and choosing the message reported). Inside the
 * schema module; not public.
 */
#ifndef ACCORD_SCHEMA_VALIDATE_H
#define ACCORD_SCHEMA_VALIDATE_H

#include <limits.h>
#include <stddef.h>

#include <cJSON.h>

#include "schema_impl.h"

/* Longest validation message kept; the error buffer holds 1024 bytes. */
#define MSG_MAX 512

/* How a failure bears on choosing among anyOf/oneOf alternatives. */
enum fail_kind {
	FK_OTHER, /* the instance has the right shape but a wrong detail */
	FK_TYPE,  /* "type" mismatch: at the alternative's own level, it is the wrong alternative */
	FK_DISC,  /* const/enum mismatch: near the top, a discriminator that ruled it out */
};

struct verr {
	int set;
	int unknown_field; /* the failure is a field the schema does not know */
	int depth;	   /* length of the instance path */
	int disc;	   /* a type/const/enum failure, weaker evidence than others */
	int kind;	   /* enum fail_kind */
	size_t reason;	   /* offset of the reason in msg, after "<pointer>: " */
	char msg[MSG_MAX];
};

struct seg {
	const char *name; /* NULL for an array index */
	size_t index;
};

struct ref_frame {
	const cJSON *schema;
	const cJSON *inst;
};

/* A failed "const", remembered to name a discriminator like "type" when no alternative fits. */
struct const_fail {
	const cJSON *inst, *want;
	int depth;
};

/* Strings made while validating (bases of subschemas the add walk never saw). */
struct strlist {
	char **v;
	size_t n, a;
};

/* Stacks start in the context itself, so a typical validation does not allocate. */
#define PATH_LOCAL 32
#define REFS_LOCAL 16

struct vctx {
	const accord_schema_registry *reg;
	struct seg *path;
	size_t npath, apath;
	struct ref_frame *refs;
	size_t nrefs, arefs;
	struct seg path_local[PATH_LOCAL];
	struct ref_frame refs_local[REFS_LOCAL];
	int depth;
	int quiet; /* only valid/invalid matters: no messages, stop at the first failure */
	struct verr err;
	/* The shallowest type/const/enum failure: why an alternative was ruled out. */
	struct verr disc;
	int type_min, disc_min; /* shallowest path depth of such failures so far */
	struct const_fail *cf;
	size_t ncf, acf;
	struct strlist tmp;
};

/* GROW for an array that starts in `local`. */
#define GROW_LOCAL(arr, n, a, local)                                                        \
	do {                                                                                \
		if ((n) == (a)) {                                                           \
			void *p_ = accord_xrealloc((arr) == (local) ? NULL : (void *)(arr), \
						   (a)*2 * sizeof(*(arr)));                 \
			if ((arr) == (local))                                               \
				memcpy(p_, (local), (n) * sizeof(*(arr)));                  \
			(arr) = p_;                                                         \
			(a) *= 2;                                                           \
		}                                                                           \
	} while (0)

static inline void path_push(struct vctx *c, const char *name, size_t index)
{
	GROW_LOCAL(c->path, c->npath, c->apath, c->path_local);
	c->path[c->npath].name = name;
	c->path[c->npath].index = index;
	c->npath++;
}

static inline void path_pop(struct vctx *c)
{
	c->npath--;
}

/*
 * *dst = *src, but an unset one only as unset: one validation saves and
 * restores the error state around every alternative it tries.
 */
static inline void verr_copy(struct verr *dst, const struct verr *src)
{
	if (src->set)
		*dst = *src;
	else
		dst->set = 0;
}

/* Saved error state around an evaluation whose failure may not count. */
struct scope {
	struct verr err, disc;
	int type_min, disc_min, quiet;
	size_t npath; /* a quiet failure returns early, without popping */
	size_t ncf;
};

/*
 * Save the error state in `sc` and start afresh; `quiet`: no messages
 * until the leave. While quiet nothing sets err or disc
 * (accord_schema_fail() and err_merge() skip them), and entering quiet
 * cleared them: a scope inside a quiet one need not save them. Inline, as
 * v_quiet() enters one for every alternative it tries.
 */
static inline void accord_schema_scope_enter(struct vctx *c, struct scope *sc, int quiet)
{
	/* Nothing reads an unset verr past .set: skip copying its 512-byte message. */
	if (!c->quiet) {
		verr_copy(&sc->err, &c->err);
		verr_copy(&sc->disc, &c->disc);
	}
	sc->type_min = c->type_min;
	sc->disc_min = c->disc_min;
	sc->quiet = c->quiet;
	sc->npath = c->npath;
	sc->ncf = c->ncf;
	c->err.set = 0;
	c->disc.set = 0;
	c->type_min = c->disc_min = INT_MAX;
	c->quiet = quiet || c->quiet;
}

/* Put back what accord_schema_scope_enter() saved. */
static inline void accord_schema_scope_leave(struct vctx *c, const struct scope *sc)
{
	if (!sc->quiet) {
		verr_copy(&c->err, &sc->err);
		verr_copy(&c->disc, &sc->disc);
	}
	c->type_min = sc->type_min;
	c->disc_min = sc->disc_min;
	c->quiet = sc->quiet;
	c->npath = sc->npath;
	c->ncf = sc->ncf;
}

/* Compared by address: the failure that makes an entry's schema failure "unknown-field". */
extern const char accord_schema_unknown_field_fmt[];

/*
 * Record that the instance fails here (at the current path, for `kind`),
 * keeping the most telling message. Returns 1.
 */
int accord_schema_fail(struct vctx *c, enum fail_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* accord_schema_fail() when only the outcome counts: no message, nothing formatted. */
int accord_schema_fail_quiet(struct vctx *c, enum fail_kind kind);

#define FAIL(c, kind, ...)                                  \
	((c)->quiet ? accord_schema_fail_quiet((c), (kind)) \
		    : accord_schema_fail((c), (kind), __VA_ARGS__))

/* A failure of the schema rather than the instance: sets the error, returns `code`. */
int accord_schema_hard(struct vctx *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Numbers in messages: integers without exponent, others as short as round-trips. */
const char *accord_schema_fmt_num(char *buf, size_t n, double v);

/* A value in messages, as compact JSON cut short if long. */
const char *accord_schema_fmt_value(char *buf, size_t n, const cJSON *v);

/*
 * anyOf/oneOf (`kwname`) with no matching alternative in `arr`: report the
 * alternative that most likely was meant. Returns 1, or a negative error.
 */
int accord_schema_report_alternatives(struct vctx *c, const cJSON *arr, const char *base,
				      const cJSON *inst, const char *kwname);

/* 0 if `inst` is valid against `s`, 1 if not (message in c->err), or a negative error. */
int accord_schema_eval(struct vctx *c, const cJSON *s, const char *base, const cJSON *inst);

#endif
