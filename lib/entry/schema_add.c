/*
 * Adding a schema document to a registry: one walk over it rejects
 * keywords we do not implement and malformed values, indexes every "$id",
 * compiles the regular expressions and records each schema object's
 * keywords (struct snode). All of it is collected first and committed only
 * when the whole document is good, so a failed add leaves the registry as
 * it was; then accord_schema_finalize() resolves "$ref"s.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "schema.h"
#include "schema_impl.h"
#include "schema_uri.h"
#include "alloc.h"

#define DRAFT07_URI "http://json-schema.org/draft-07/schema"

/* What one accord_schema_registry_add() collects before it commits. */
struct walk {
	accord_schema_registry *reg;
	const cJSON *root;
	const char *doc_uri;
	int lenient;
	accord_buf where; /* JSON pointer into the schema, for messages */
	struct uri_entry *uris;
	size_t nuris, auris;
	struct node_info *infos;
	size_t ninfos, ainfos;
	struct ref_site *refs;
	size_t nrefs, arefs;
};

static int walk_fail(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int walk_fail(struct walk *w, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return accord_error_set(ACCORD_EINVALID, "schema %s#%s: %s", w->doc_uri,
				w->where.ptr ? w->where.ptr : "", reason);
}

static int walk_index(struct walk *w, const char *uri, const cJSON *node, const char *base)
{
	const struct uri_entry *e = accord_schema_uri_find(w->uris, w->nuris, uri);

	if (e && e->node == node)
		return 0;
	if (e || accord_schema_uri_get(w->reg, uri))
		return accord_error_set(ACCORD_EEXISTS, "schema %s#%s: \"%s\" is already defined",
					w->doc_uri, w->where.ptr ? w->where.ptr : "", uri);
	GROW(w->uris, w->nuris, w->auris);
	w->uris[w->nuris].uri = xstrdup(uri);
	w->uris[w->nuris].node = node;
	w->uris[w->nuris].base = xstrdup(base);
	w->nuris++;
	return 0;
}

static void walk_info(struct walk *w, const cJSON *node, const char *base, accord_regex *re)
{
	GROW(w->infos, w->ninfos, w->ainfos);
	w->infos[w->ninfos].node = node;
	w->infos[w->ninfos].base = base ? xstrdup(base) : NULL;
	w->infos[w->ninfos].re = re;
	w->infos[w->ninfos].sn = NULL;
	w->ninfos++;
}

static unsigned type_bit(const cJSON *v)
{
	static const char *const names[] = {
		"null", "boolean", "object", "array", "number", "integer", "string",
	};
	unsigned i;

	for (i = 0; cJSON_IsString(v) && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v->valuestring, names[i]) == 0)
			return 1u << i;
	return 0;
}

/* The index of `name` in t->names, added (with no subschema) if it is not there yet. */
static size_t ptable_add(struct ptable *t, const char *name)
{
	long k = ptable_find(t, name);
	size_t i;

	if (k >= 0)
		return (size_t)k;
	t->names[t->n].name = name;
	t->names[t->n].hash = name_hash(name);
	t->names[t->n].prop = NULL;
	for (i = t->names[t->n].hash & t->mask; t->slot[i]; i = (i + 1) & t->mask)
		;
	t->slot[i] = (uint32_t)++t->n;
	return t->n - 1;
}

/* The names of "properties" and "required" (struct ptable), or NULL if it has neither. */
static struct ptable *ptable_build(const cJSON *const kw[KW_COUNT])
{
	const cJSON *props = cJSON_IsObject(kw[KW_PROPERTIES]) ? kw[KW_PROPERTIES] : NULL;
	const cJSON *req = cJSON_IsArray(kw[KW_REQUIRED]) ? kw[KW_REQUIRED] : NULL, *x;
	size_t max = 0, cap = 4;
	struct ptable *t;
	size_t i;

	if (!props && !req)
		return NULL;
	max = (size_t)cJSON_GetArraySize(props) + (size_t)cJSON_GetArraySize(req);
	while (cap < 2 * max)
		cap *= 2;
	t = accord_xcalloc(1, sizeof(*t));
	t->names = accord_xcalloc(max ? max : 1, sizeof(*t->names));
	t->slot = accord_xcalloc(cap, sizeof(*t->slot));
	t->req = accord_xcalloc(max ? max : 1, sizeof(*t->req));
	t->mask = cap - 1;
	/* The first member of a name, as cJSON_GetObjectItemCaseSensitive finds it. */
	cJSON_ArrayForEach(x, props) {
		i = ptable_add(t, x->string);
		if (!t->names[i].prop)
			t->names[i].prop = x;
	}
	cJSON_ArrayForEach(x, req)
		if (cJSON_IsString(x))
			t->req[t->nreq++] = ptable_add(t, x->valuestring);
	return t;
}

/* Record a schema object's keywords (as accord_schema_kw_collect would find them). */
static void walk_node(struct walk *w, const cJSON *node, const cJSON *const kw[KW_COUNT])
{
	struct snode *sn = calloc(1, sizeof(*sn));

	if (!sn)
		accord_oom();
	memcpy(sn->kw, kw, sizeof(sn->kw));
	sn->names = ptable_build(kw);
	if (cJSON_IsArray(kw[KW_TYPE])) {
		const cJSON *t;

		cJSON_ArrayForEach(t, kw[KW_TYPE])
			sn->types |= type_bit(t);
	} else if (kw[KW_TYPE]) {
		sn->types = type_bit(kw[KW_TYPE]);
	}
	GROW(w->infos, w->ninfos, w->ainfos);
	w->infos[w->ninfos].node = node;
	w->infos[w->ninfos].base = NULL;
	w->infos[w->ninfos].re = NULL;
	w->infos[w->ninfos].sn = sn;
	w->ninfos++;
}

static void walk_free(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->nuris; i++) {
		free(w->uris[i].uri);
		free(w->uris[i].base);
	}
	for (i = 0; i < w->ninfos; i++) {
		free(w->infos[i].base);
		accord_regex_free(w->infos[i].re);
		accord_schema_snode_free(w->infos[i].sn);
	}
	for (i = 0; i < w->nrefs; i++) {
		free(w->refs[i].base);
		free(w->refs[i].where);
	}
	free(w->uris);
	free(w->infos);
	free(w->refs);
	accord_buf_dispose(&w->where);
}

/* Append one JSON-pointer token (escaped) to the schema location. */
static size_t where_push(struct walk *w, const char *tok)
{
	size_t mark = w->where.size;
	const char *p;

	accord_buf_putc(&w->where, '/');
	for (p = tok; *p; p++) {
		if (*p == '~')
			accord_buf_puts(&w->where, "~0");
		else if (*p == '/')
			accord_buf_puts(&w->where, "~1");
		else
			accord_buf_putc(&w->where, *p);
	}
	return mark;
}

static size_t where_push_index(struct walk *w, size_t i)
{
	size_t mark = w->where.size;

	accord_buf_printf(&w->where, "/%zu", i);
	return mark;
}

static void where_pop(struct walk *w, size_t mark)
{
	w->where.size = mark;
	w->where.ptr[mark] = '\0';
}

static int walk_schema(struct walk *w, const cJSON *s, const char *base, int depth);

static int walk_sub(struct walk *w, const char *tok, const cJSON *s, const char *base, int depth)
{
	size_t mark = where_push(w, tok);
	int rc = walk_schema(w, s, base, depth + 1);

	if (rc == 0)
		where_pop(w, mark);
	return rc;
}

static int walk_array_of_schemas(struct walk *w, const cJSON *kwv, const char *base, int depth,
				 int nonempty)
{
	size_t mark = where_push(w, kwv->string), m2, i = 0;
	const cJSON *c;
	int rc;

	if (!cJSON_IsArray(kwv) || (nonempty && cJSON_GetArraySize(kwv) == 0))
		return walk_fail(w, "must be a%s array of schemas", nonempty ? " non-empty" : "n");
	cJSON_ArrayForEach(c, kwv) {
		m2 = where_push_index(w, i++);
		if ((rc = walk_schema(w, c, base, depth + 1)) < 0)
			return rc;
		where_pop(w, m2);
	}
	where_pop(w, mark);
	return 0;
}

/* An object whose values are schemas ("properties", "definitions", ...). */
static int walk_schema_map(struct walk *w, const cJSON *kwv, const char *base, int depth,
			   int patterns)
{
	size_t mark = where_push(w, kwv->string);
	const cJSON *c;
	int rc;

	if (!cJSON_IsObject(kwv))
		return walk_fail(w, "must be an object");
	cJSON_ArrayForEach(c, kwv) {
		if (patterns) {
			char err[256];
			accord_regex *re;

			if (accord_regex_compile(&re, c->string, w->reg->utf8, err, sizeof(err)) <
			    0)
				return walk_fail(w, "bad regular expression \"%s\": %s", c->string,
						 err);
			walk_info(w, c, NULL, re);
		}
		if ((rc = walk_sub(w, c->string, c, base, depth)) < 0)
			return rc;
	}
	where_pop(w, mark);
	return 0;
}

static int is_type_name(const cJSON *v)
{
	static const char *const names[] = {
		"null", "boolean", "object", "array", "number", "integer", "string",
	};
	size_t i;

	if (!cJSON_IsString(v))
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v->valuestring, names[i]) == 0)
			return 1;
	return 0;
}

static int is_string_array(const cJSON *v)
{
	const cJSON *c;

	if (!cJSON_IsArray(v))
		return 0;
	cJSON_ArrayForEach(c, v)
		if (!cJSON_IsString(c))
			return 0;
	return 1;
}

/* Keywords that may stand beside "$ref", which makes draft-07 ignore all its siblings. */
static int allowed_beside_ref(int k)
{
	return k == KW_ID || k == KW_SCHEMA || k == KW_COMMENT || k == KW_TITLE ||
	       k == KW_DESCRIPTION || k == KW_DEFINITIONS || k == KW_REF;
}

/* Handle "$id": index the subschema and work out the base its children see. */
static int walk_id(struct walk *w, const cJSON *s, const cJSON *id, const char **base, char **owned)
{
	char *full, *nb;
	const char *frag;
	int rc = 0;

	if (!cJSON_IsString(id))
		return walk_fail(w, "\"$id\" must be a string");
	full = accord_uri_resolve(*base, id->valuestring);
	if (!accord_uri_is_absolute(full)) {
		rc = walk_fail(w, "\"$id\" \"%s\" does not resolve to an absolute URI",
			       id->valuestring);
		goto done;
	}
	frag = strchr(full, '#');
	if (frag && frag[1] == '/') {
		/* draft-07 allows only plain-name fragments in $id. */
		if (!w->lenient) {
			rc = walk_fail(w, "\"$id\" \"%s\" has a JSON-pointer fragment",
				       id->valuestring);
			goto done;
		}
		frag = NULL;
		full[accord_uri_nofrag_len(full)] = '\0';
	}
	nb = xstrndup(full, accord_uri_nofrag_len(full));
	if (id->valuestring[0] != '#')
		rc = walk_index(w, nb, s, nb);
	if (rc == 0 && frag)
		rc = walk_index(w, full, s, nb);
	if (rc == 0) {
		walk_info(w, s, nb, NULL);
		*owned = nb;
		*base = nb;
	} else {
		free(nb);
	}
done:
	free(full);
	return rc;
}

/*
 * Index `s`'s keywords into kw (as accord_schema_kw_collect() would find
 * them), refusing names that are not keywords and keywords given twice,
 * unless lenient.
 */
static int walk_keywords(struct walk *w, const cJSON *s, const cJSON *kw[KW_COUNT])
{
	const cJSON *c;
	int k;

	memset(kw, 0, KW_COUNT * sizeof(*kw));
	cJSON_ArrayForEach(c, s) {
		k = c->string ? accord_schema_kw_lookup(c->string) : -1;
		if (k < 0) {
			if (w->lenient)
				continue;
			return walk_fail(w, "unknown keyword \"%s\"", c->string ? c->string : "");
		}
		if (kw[k]) {
			if (w->lenient)
				continue;
			return walk_fail(w, "keyword \"%s\" appears twice", c->string);
		}
		kw[k] = c;
	}
	return 0;
}

/* A "$ref" must be a string, and (unless lenient) have no siblings draft-07 would ignore. */
static int walk_ref(struct walk *w, const cJSON *const kw[KW_COUNT])
{
	int k;

	if (!cJSON_IsString(kw[KW_REF]))
		return walk_fail(w, "\"$ref\" must be a string");
	if (!w->lenient)
		for (k = 0; k < KW_COUNT; k++)
			if (kw[k] && !allowed_beside_ref(k))
				return walk_fail(w,
						 "\"%s\" beside \"$ref\" is ignored by draft-07; "
						 "put both in an \"allOf\"",
						 accord_schema_kw_names[k]);
	return 0;
}

/* Remember a "$ref" for accord_schema_registry_check() and accord_schema_finalize(). */
static void walk_ref_site(struct walk *w, const cJSON *s, const char *base)
{
	GROW(w->refs, w->nrefs, w->arefs);
	w->refs[w->nrefs].node = s;
	w->refs[w->nrefs].base = xstrdup(base);
	w->refs[w->nrefs].where = xstrdup(w->where.ptr ? w->where.ptr : "");
	w->nrefs++;
}

/* "$schema": a string, and (unless lenient) draft-07's URI. */
static int walk_meta(struct walk *w, const cJSON *v)
{
	if (!cJSON_IsString(v))
		return walk_fail(w, "\"$schema\" must be a string");
	if (!w->lenient && strcmp(v->valuestring, DRAFT07_URI) != 0 &&
	    strcmp(v->valuestring, DRAFT07_URI "#") != 0)
		return walk_fail(w, "\"$schema\" \"%s\" is not draft-07 (" DRAFT07_URI "#)",
				 v->valuestring);
	return 0;
}

/* "dependencies": each value lists field names or is a schema. */
static int walk_dependencies(struct walk *w, const cJSON *v, const char *base, int depth)
{
	const cJSON *c;
	size_t mark;
	int rc = 0;

	if (!cJSON_IsObject(v))
		return walk_fail(w, "\"dependencies\" must be an object");
	mark = where_push(w, v->string);
	cJSON_ArrayForEach(c, v) {
		if (cJSON_IsArray(c)) {
			if (!is_string_array(c))
				rc = walk_fail(w, "\"%s\" must list field names", c->string);
		} else {
			rc = walk_sub(w, c->string, c, base, depth);
		}
		if (rc < 0)
			return rc;
	}
	where_pop(w, mark);
	return 0;
}

/* "pattern": a string we can compile, kept compiled for validation. */
static int walk_pattern(struct walk *w, const cJSON *v)
{
	char err[256];
	accord_regex *re;

	if (!cJSON_IsString(v))
		return walk_fail(w, "\"pattern\" must be a string");
	if (accord_regex_compile(&re, v->valuestring, w->reg->utf8, err, sizeof(err)) < 0)
		return walk_fail(w, "bad regular expression \"%s\": %s", v->valuestring, err);
	walk_info(w, v, NULL, re);
	return 0;
}

/* A keyword whose value is data: check its shape ("$id", "$ref", "$schema" are done already). */
static int walk_value(struct walk *w, int k, const cJSON *v)
{
	const cJSON *c;

	switch (k) {
	case KW_COMMENT:
	case KW_TITLE:
	case KW_DESCRIPTION:
	case KW_FORMAT:
		if (!cJSON_IsString(v))
			return walk_fail(w, "\"%s\" must be a string", v->string);
		return 0;
	case KW_EXAMPLES:
		if (!cJSON_IsArray(v))
			return walk_fail(w, "\"examples\" must be an array");
		return 0;
	case KW_ENUM:
		if (!cJSON_IsArray(v))
			return walk_fail(w, "\"enum\" must be an array");
		return 0;
	case KW_TYPE:
		if (cJSON_IsArray(v)) {
			cJSON_ArrayForEach(c, v)
				if (!is_type_name(c))
					break;
			if (c || cJSON_GetArraySize(v) == 0)
				return walk_fail(w, "\"type\" must name JSON types");
		} else if (!is_type_name(v)) {
			return walk_fail(w, "\"type\" must name a JSON type");
		}
		return 0;
	case KW_REQUIRED:
		if (!is_string_array(v))
			return walk_fail(w, "\"required\" must be an array of strings");
		return 0;
	case KW_MIN_PROPERTIES:
	case KW_MAX_PROPERTIES:
	case KW_MIN_ITEMS:
	case KW_MAX_ITEMS:
	case KW_MIN_LENGTH:
	case KW_MAX_LENGTH:
		if (!is_count(v))
			return walk_fail(w, "\"%s\" must be a non-negative integer", v->string);
		return 0;
	case KW_MINIMUM:
	case KW_MAXIMUM:
	case KW_EXCLUSIVE_MINIMUM:
	case KW_EXCLUSIVE_MAXIMUM:
		if (!cJSON_IsNumber(v))
			return walk_fail(w, "\"%s\" must be a number", v->string);
		return 0;
	case KW_MULTIPLE_OF:
		if (!cJSON_IsNumber(v) || !(v->valuedouble > 0))
			return walk_fail(w, "\"multipleOf\" must be a number greater than 0");
		return 0;
	case KW_UNIQUE_ITEMS:
		if (!cJSON_IsBool(v))
			return walk_fail(w, "\"uniqueItems\" must be true or false");
		return 0;
	case KW_PATTERN: return walk_pattern(w, v);
	default: return 0; /* $id, $ref, $schema handled before; const, default: any value */
	}
}

/* Check keyword `k` of a schema: walk into its subschemas, or check its value (walk_value). */
static int walk_keyword(struct walk *w, int k, const cJSON *v, const char *base, int depth)
{
	switch (k) {
	case KW_DEFINITIONS:
	case KW_PROPERTIES: return walk_schema_map(w, v, base, depth, 0);
	case KW_PATTERN_PROPERTIES: return walk_schema_map(w, v, base, depth, 1);
	case KW_ADDITIONAL_PROPERTIES:
	case KW_ADDITIONAL_ITEMS:
	case KW_PROPERTY_NAMES:
	case KW_CONTAINS:
	case KW_NOT:
	case KW_IF:
	case KW_THEN:
	case KW_ELSE: return walk_sub(w, v->string, v, base, depth);
	case KW_ITEMS:
		if (cJSON_IsArray(v))
			return walk_array_of_schemas(w, v, base, depth, 0);
		return walk_sub(w, v->string, v, base, depth);
	case KW_ALL_OF:
	case KW_ANY_OF:
	case KW_ONE_OF: return walk_array_of_schemas(w, v, base, depth, 1);
	case KW_DEPENDENCIES: return walk_dependencies(w, v, base, depth);
	default: return walk_value(w, k, v);
	}
}

/*
 * Check schema `s` (`base` the URI its relative references resolve
 * against) and everything below it, collecting into `w` what the registry
 * keeps. Keywords are checked in enum kw order, so the first failure
 * reported does not depend on the order of the document's members.
 */
static int walk_schema(struct walk *w, const cJSON *s, const char *base, int depth)
{
	const cJSON *kw[KW_COUNT];
	char *owned = NULL;
	int k, rc;

	if (cJSON_IsBool(s))
		return 0;
	if (!cJSON_IsObject(s))
		return walk_fail(w, "a schema must be an object or a boolean");
	if (depth > WALK_MAX_DEPTH)
		return walk_fail(w, "schemas nested deeper than %d", WALK_MAX_DEPTH);
	if ((rc = walk_keywords(w, s, kw)) < 0)
		return rc;
	if (kw[KW_REF] && (rc = walk_ref(w, kw)) < 0)
		return rc;
	/* draft-07: a sibling "$ref" hides "$id", except at the root, which names the document. */
	if (kw[KW_ID] && (!kw[KW_REF] || s == w->root)) {
		if ((rc = walk_id(w, s, kw[KW_ID], &base, &owned)) < 0)
			return rc;
	}
	if (kw[KW_REF])
		walk_ref_site(w, s, base);
	if (kw[KW_SCHEMA])
		rc = walk_meta(w, kw[KW_SCHEMA]);
	for (k = 0; k < KW_COUNT && rc == 0; k++)
		if (kw[k])
			rc = walk_keyword(w, k, kw[k], base, depth);
	if (rc == 0)
		walk_node(w, s, kw);
	free(owned);
	return rc;
}

static int registry_add(accord_schema_registry *reg, cJSON *doc, const char *base_uri, int lenient)
{
	struct walk w;
	const cJSON *id;
	char *retrieval = NULL, *rootbase = NULL;
	size_t i;
	int rc;

	if (!reg || !doc)
		return accord_error_set(ACCORD_EINVALID,
					"schema registry: no registry or document");
	for (i = 0; i < reg->ndocs; i++)
		if (reg->docs[i] == doc)
			return accord_error_set(ACCORD_EEXISTS, "schema document added twice");
	memset(&w, 0, sizeof(w));
	w.reg = reg;
	w.root = doc;
	w.lenient = lenient;

	id = cJSON_IsObject(doc) ? cJSON_GetObjectItemCaseSensitive(doc, "$id") : NULL;
	if (base_uri) {
		retrieval = accord_uri_resolve(NULL, base_uri);
		retrieval[accord_uri_nofrag_len(retrieval)] = '\0';
		if (!accord_uri_is_absolute(retrieval)) {
			rc = accord_error_set(ACCORD_EINVALID,
					      "schema base URI \"%s\" is not absolute", base_uri);
			goto done;
		}
	} else if (!cJSON_IsString(id)) {
		rc = accord_error_set(ACCORD_EINVALID,
				      "schema has no \"$id\" and no base URI was given");
		goto done;
	}
	if (cJSON_IsString(id))
		rootbase = accord_uri_resolve(retrieval, id->valuestring);
	else
		rootbase = xstrdup(retrieval);
	rootbase[accord_uri_nofrag_len(rootbase)] = '\0';
	w.doc_uri = rootbase;
	if (!accord_uri_is_absolute(rootbase)) {
		rc = accord_error_set(ACCORD_EINVALID,
				      "schema \"$id\" \"%s\" is not an absolute URI", rootbase);
		goto done;
	}
	/* Reachable by the name it was fetched under, and by its own "$id" (indexed by the walk). */
	if (retrieval && (rc = walk_index(&w, retrieval, doc, rootbase)) < 0)
		goto done;
	if ((rc = walk_index(&w, rootbase, doc, rootbase)) < 0)
		goto done;
	if ((rc = walk_schema(&w, doc, rootbase, 0)) < 0)
		goto done;

	/* Commit: nothing below can fail. */
	GROW(reg->docs, reg->ndocs, reg->adocs);
	reg->docs[reg->ndocs++] = doc;
	for (i = 0; i < w.nuris; i++) {
		GROW(reg->uris, reg->nuris, reg->auris);
		w.uris[i].base = accord_schema_base_intern(reg, w.uris[i].base);
		reg->uris[reg->nuris++] = w.uris[i];
	}
	w.nuris = 0;
	accord_schema_uri_reindex(reg);
	for (i = 0; i < w.ninfos; i++) {
		struct node_info *info = accord_schema_map_slot(reg, w.infos[i].node);

		if (w.infos[i].base && !info->base) {
			info->base = accord_schema_base_intern(reg, w.infos[i].base);
			w.infos[i].base = NULL;
		}
		if (w.infos[i].re && !info->re) {
			info->re = w.infos[i].re;
			w.infos[i].re = NULL;
		}
		if (w.infos[i].sn && !info->sn) {
			info->sn = w.infos[i].sn;
			w.infos[i].sn = NULL;
		}
	}
	for (i = 0; i < w.nrefs; i++) {
		GROW(reg->refs, reg->nrefs, reg->arefs);
		w.refs[i].base = accord_schema_base_intern(reg, w.refs[i].base);
		reg->refs[reg->nrefs++] = w.refs[i];
	}
	w.nrefs = 0;
	accord_schema_finalize(reg);
	rc = 0;
done:
	walk_free(&w);
	free(retrieval);
	free(rootbase);
	return rc;
}

int accord_schema_registry_add(accord_schema_registry *reg, cJSON *doc, const char *base_uri)
{
	return registry_add(reg, doc, base_uri, 0);
}

int accord_schema_registry_add_lenient(accord_schema_registry *reg, cJSON *doc,
				       const char *base_uri)
{
	return registry_add(reg, doc, base_uri, 1);
}
