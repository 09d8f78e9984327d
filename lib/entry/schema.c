/*
 * JSON Schema draft-07, interpreted: schema documents stay cJSON trees and
 * are walked at validation time, so schemas/ is the only description of
 * what an entry may contain. Adding a document (schema_add.c) walks it
 * once to reject keywords we do not implement, to index every "$id", to
 * compile the regular expressions (schema_regex.c) and to find each schema
 * object's keywords; then accord_schema_finalize() here resolves "$ref"s
 * and oneOf discriminators. Validation (schema_validate.c) never changes
 * the registry (several threads may validate at once).
 *
 * This file is the registry itself: its lifetime, the map from schema
 * nodes to what the add compiled for them, URI lookup, the discriminators,
 * and accord's own schemas. schema_impl.h maps the other parts.
 */
#include <ctype.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
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
#include "schemas_gen.h"
#include "alloc.h"

const char *const accord_schema_kw_names[KW_COUNT] = {
	"$id",
	"$schema",
	"$ref",
	"$comment",
	"title",
	"description",
	"default",
	"examples",
	"format",
	"definitions",
	"type",
	"enum",
	"const",
	"properties",
	"required",
	"additionalProperties",
	"patternProperties",
	"propertyNames",
	"minProperties",
	"maxProperties",
	"dependencies",
	"items",
	"additionalItems",
	"minItems",
	"maxItems",
	"uniqueItems",
	"contains",
	"minimum",
	"maximum",
	"exclusiveMinimum",
	"exclusiveMaximum",
	"multipleOf",
	"minLength",
	"maxLength",
	"pattern",
	"allOf",
	"anyOf",
	"oneOf",
	"not",
	"if",
	"then",
	"else",
};

int accord_schema_kw_lookup(const char *name)
{
	int i;

	for (i = 0; i < KW_COUNT; i++)
		if (strcmp(accord_schema_kw_names[i], name) == 0)
			return i;
	return -1;
}

/* First occurrence of each keyword, as cJSON_GetObjectItem would find it. */
void accord_schema_kw_collect(const cJSON *s, const cJSON *kw[KW_COUNT])
{
	const cJSON *c;
	int k;

	memset(kw, 0, KW_COUNT * sizeof(*kw));
	cJSON_ArrayForEach(c, s) {
		if (!c->string)
			continue;
		k = accord_schema_kw_lookup(c->string);
		if (k >= 0 && !kw[k])
			kw[k] = c;
	}
}

const struct uri_entry *accord_schema_uri_find(const struct uri_entry *v, size_t n, const char *uri)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].uri, uri) == 0)
			return &v[i];
	return NULL;
}

const struct uri_entry *accord_schema_uri_get(const accord_schema_registry *reg, const char *uri)
{
	uint32_t h, k;
	size_t i;

	if (!reg->uri_slot)
		return NULL;
	h = name_hash(uri);
	for (i = h & reg->uri_mask; (k = reg->uri_slot[i]) != 0; i = (i + 1) & reg->uri_mask)
		if (strcmp(reg->uris[k - 1].uri, uri) == 0)
			return &reg->uris[k - 1];
	return NULL;
}

void accord_schema_uri_reindex(accord_schema_registry *reg)
{
	size_t cap = 16, i, j;

	while (cap < 2 * reg->nuris)
		cap *= 2;
	free(reg->uri_slot);
	reg->uri_slot = accord_xcalloc(cap, sizeof(*reg->uri_slot));
	reg->uri_mask = cap - 1;
	for (i = 0; i < reg->nuris; i++) {
		for (j = name_hash(reg->uris[i].uri) & reg->uri_mask; reg->uri_slot[j];
		     j = (j + 1) & reg->uri_mask)
			;
		reg->uri_slot[j] = (uint32_t)(i + 1);
	}
}

char *accord_schema_base_intern(accord_schema_registry *reg, char *owned)
{
	size_t i;

	for (i = 0; i < reg->nbases; i++)
		if (strcmp(reg->bases[i], owned) == 0) {
			free(owned);
			return reg->bases[i];
		}
	GROW(reg->bases, reg->nbases, reg->abases);
	reg->bases[reg->nbases++] = owned;
	return owned;
}

/* ---- the node map ---- */

struct node_info *accord_schema_map_slot(accord_schema_registry *reg, const cJSON *node)
{
	struct node_info *info;
	size_t i;

	if ((reg->map_len + 1) * 2 > reg->map_cap) {
		struct node_info *old = reg->map;
		size_t oldcap = reg->map_cap, j;

		reg->map_cap = oldcap ? oldcap * 2 : 64;
		reg->map = calloc(reg->map_cap, sizeof(*reg->map));
		if (!reg->map)
			accord_oom();
		for (j = 0; j < oldcap; j++) {
			if (!old[j].node)
				continue;
			for (i = ptr_hash(old[j].node) & (reg->map_cap - 1); reg->map[i].node;
			     i = (i + 1) & (reg->map_cap - 1))
				;
			reg->map[i] = old[j];
		}
		free(old);
	}
	if ((info = accord_schema_map_get(reg, node)) != NULL)
		return info;
	for (i = ptr_hash(node) & (reg->map_cap - 1); reg->map[i].node;
	     i = (i + 1) & (reg->map_cap - 1))
		;
	reg->map[i].node = node;
	reg->map_len++;
	return &reg->map[i];
}

/* ---- registry ---- */

int accord_schema_registry_new(accord_schema_registry **out)
{
	accord_schema_registry *reg;

	if (!out)
		return accord_error_set(ACCORD_EINVALID, "schema registry: no output pointer");
	reg = accord_xcalloc(1, sizeof(*reg));
	reg->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	*out = reg;
	return 0;
}

void accord_schema_registry_free(accord_schema_registry *reg)
{
	size_t i;

	if (!reg)
		return;
	for (i = 0; i < reg->ndocs; i++)
		cJSON_Delete(reg->docs[i]);
	for (i = 0; i < reg->nuris; i++)
		free(reg->uris[i].uri);
	for (i = 0; i < reg->map_cap; i++) {
		accord_regex_free(reg->map[i].re);
		accord_schema_snode_free(reg->map[i].sn);
	}
	for (i = 0; i < reg->nrefs; i++)
		free(reg->refs[i].where);
	for (i = 0; i < reg->nbases; i++)
		free(reg->bases[i]);
	if (reg->utf8)
		freelocale(reg->utf8);
	free(reg->docs);
	free(reg->uris);
	free(reg->uri_slot);
	free(reg->bases);
	free(reg->map);
	free(reg->refs);
	free(reg);
}

void accord_schema_snode_free(struct snode *sn)
{
	if (!sn)
		return;
	if (sn->names) {
		free(sn->names->names);
		free(sn->names->slot);
		free(sn->names->req);
		free(sn->names);
	}
	if (sn->disc) {
		free(sn->disc->alt);
		free(sn->disc->want);
		free(sn->disc->alt_sn);
		free(sn->disc->safe);
		free(sn->disc);
	}
	free(sn);
}

/* ---- resolving references ---- */

/* Follow a JSON pointer (already percent-decoded) from `node`, tracking "$id" bases on the way. */
static const cJSON *pointer_walk(const accord_schema_registry *reg, const cJSON *node,
				 const char *ptr, const char **base)
{
	accord_buf tok = ACCORD_BUF_INIT;
	const struct node_info *info;

	while (node && *ptr == '/') {
		ptr++;
		accord_buf_clear(&tok);
		accord_buf_puts(&tok, "");
		for (; *ptr && *ptr != '/'; ptr++) {
			if (*ptr == '~' && ptr[1] == '0') {
				accord_buf_putc(&tok, '~');
				ptr++;
			} else if (*ptr == '~' && ptr[1] == '1') {
				accord_buf_putc(&tok, '/');
				ptr++;
			} else {
				accord_buf_putc(&tok, *ptr);
			}
		}
		if (cJSON_IsObject(node)) {
			node = cJSON_GetObjectItemCaseSensitive(node, tok.ptr);
		} else if (cJSON_IsArray(node)) {
			char *end;
			unsigned long i = strtoul(tok.ptr, &end, 10);

			if (!isdigit((unsigned char)tok.ptr[0]) || *end ||
			    (tok.ptr[0] == '0' && tok.ptr[1]) || i > INT_MAX)
				node = NULL;
			else
				node = cJSON_GetArrayItem(node, (int)i);
		} else {
			node = NULL;
		}
		if (node && (info = accord_schema_map_get(reg, node)) != NULL && info->base)
			*base = info->base;
	}
	accord_buf_dispose(&tok);
	return *ptr ? NULL : node;
}

/*
 * Find the schema named by the absolute URI `uri`: a document or "$id"
 * plus a JSON-pointer fragment, or a plain-name fragment. Sets *node and
 * *base (borrowed from the registry or from `tmp`). ACCORD_ENOTFOUND if absent.
 */
int accord_schema_lookup(const accord_schema_registry *reg, const char *uri, const cJSON **node,
			 const char **base)
{
	const struct uri_entry *e;
	const char *hash = strchr(uri, '#');
	char *doc, *frag;
	const cJSON *n;
	const char *b;

	if (hash && hash[1] && hash[1] != '/') {
		if ((e = accord_schema_uri_get(reg, uri)) == NULL)
			return ACCORD_ENOTFOUND;
		*node = e->node;
		*base = e->base;
		return 0;
	}
	doc = xstrndup(uri, hash ? (size_t)(hash - uri) : strlen(uri));
	e = accord_schema_uri_get(reg, doc);
	free(doc);
	if (!e)
		return ACCORD_ENOTFOUND;
	n = e->node;
	b = e->base;
	if (hash && hash[1]) {
		frag = xstrdup(hash + 1);
		if (accord_uri_pct_decode(frag) < 0)
			n = NULL;
		else
			n = pointer_walk(reg, n, frag, &b);
		free(frag);
		if (!n)
			return ACCORD_ENOTFOUND;
	}
	*node = n;
	*base = b;
	return 0;
}

/* ---- compiling what validation needs, after each add ---- */

enum { MARK_NONE, MARK_BUSY, MARK_SAFE, MARK_UNSAFE };

static const struct snode *snode_of(const accord_schema_registry *reg, const cJSON *s)
{
	const struct node_info *info = cJSON_IsObject(s) ? accord_schema_map_get(reg, s) : NULL;

	return info ? info->sn : NULL;
}

static int safe_height(accord_schema_registry *reg, const cJSON *s, int depth);

/* The larger of *h and 1 + the height of `s`; -1 once anything is unsafe. */
static void safe_child(accord_schema_registry *reg, const cJSON *s, int depth, int *h)
{
	int ch;

	if (*h < 0)
		return;
	ch = safe_height(reg, s, depth + 1);
	if (ch < 0)
		*h = -1;
	else if (ch + 1 > *h)
		*h = ch + 1;
}

static int pattern_fast(const accord_schema_registry *reg, const cJSON *node)
{
	const struct node_info *info = accord_schema_map_get(reg, node);

	return info && info->re && accord_regex_is_fast(info->re);
}

static void safe_children(accord_schema_registry *reg, const cJSON *const *kw, int depth, int *h)
{
	static const int one[] = {
		KW_ADDITIONAL_PROPERTIES,
		KW_PROPERTY_NAMES,
		KW_ADDITIONAL_ITEMS,
		KW_CONTAINS,
		KW_NOT,
		KW_IF,
		KW_THEN,
		KW_ELSE,
	};
	static const int many[] = { KW_ALL_OF, KW_ANY_OF, KW_ONE_OF };
	const cJSON *x;
	size_t i;

	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (kw[one[i]])
			safe_child(reg, kw[one[i]], depth, h);
	for (i = 0; i < sizeof(many) / sizeof(many[0]); i++)
		if (cJSON_IsArray(kw[many[i]]))
			cJSON_ArrayForEach(x, kw[many[i]])
				safe_child(reg, x, depth, h);
	if (cJSON_IsObject(kw[KW_PROPERTIES]))
		cJSON_ArrayForEach(x, kw[KW_PROPERTIES])
			safe_child(reg, x, depth, h);
	if (cJSON_IsObject(kw[KW_PATTERN_PROPERTIES]))
		cJSON_ArrayForEach(x, kw[KW_PATTERN_PROPERTIES]) {
			if (!pattern_fast(reg, x))
				*h = -1;
			safe_child(reg, x, depth, h);
		}
	if (cJSON_IsObject(kw[KW_DEPENDENCIES]))
		cJSON_ArrayForEach(x, kw[KW_DEPENDENCIES])
			if (!cJSON_IsArray(x))
				safe_child(reg, x, depth, h);
	if (cJSON_IsArray(kw[KW_ITEMS])) {
		cJSON_ArrayForEach(x, kw[KW_ITEMS])
			safe_child(reg, x, depth, h);
	} else if (kw[KW_ITEMS]) {
		safe_child(reg, kw[KW_ITEMS], depth, h);
	}
	/* regexec can fail (out of memory); the fast matcher cannot. */
	if (cJSON_IsString(kw[KW_PATTERN]) && !pattern_fast(reg, kw[KW_PATTERN]))
		*h = -1;
}

/*
 * How deeply evaluating `s` can nest (1 for a schema without subschemas), or
 * -1 if it might end in a hard error instead of valid/invalid: a "$ref" not
 * resolved yet or on a cycle, a part the add walk did not compile, a
 * pattern left to regexec. Marks are reset by accord_schema_finalize().
 */
static int safe_height(accord_schema_registry *reg, const cJSON *s, int depth)
{
	struct snode *sn;
	int h = 1;

	if (cJSON_IsBool(s))
		return 1;
	if (depth > EVAL_MAX_DEPTH || !(sn = (struct snode *)snode_of(reg, s)))
		return -1;
	if (sn->mark == MARK_SAFE)
		return sn->height;
	if (sn->mark != MARK_NONE)
		return -1;
	sn->mark = MARK_BUSY;
	if (sn->kw[KW_REF]) {
		if (!sn->ref_target)
			h = -1;
		else
			safe_child(reg, sn->ref_target, depth, &h);
	} else {
		safe_children(reg, sn->kw, depth, &h);
	}
	sn->mark = h < 0 ? MARK_UNSAFE : MARK_SAFE;
	sn->height = h;
	return h;
}

/* Follow "$ref"s to the schema that does the work; NULL if one is unresolved. */
static const struct snode *follow_refs(const accord_schema_registry *reg, const cJSON *s)
{
	const struct snode *sn = snode_of(reg, s);
	int hops;

	for (hops = 0; sn && sn->kw[KW_REF] && hops < 32; hops++)
		sn = sn->ref_target ? snode_of(reg, sn->ref_target) : NULL;
	return sn && !sn->kw[KW_REF] ? sn : NULL;
}

/* The const that alternative `alt` puts on member `key`, if it has one. */
static const cJSON *disc_const(const accord_schema_registry *reg, const cJSON *alt, const char *key)
{
	const struct snode *sn = follow_refs(reg, alt);
	const cJSON *sub;

	if (!sn || !cJSON_IsObject(sn->kw[KW_PROPERTIES]))
		return NULL;
	sub = cJSON_GetObjectItemCaseSensitive(sn->kw[KW_PROPERTIES], key);
	sn = sub ? follow_refs(reg, sub) : NULL;
	return sn ? sn->kw[KW_CONST] : NULL;
}

/*
 * Which alternatives of `d` cannot end in a hard error (so skipping them
 * changes nothing but time), and how deep the safe ones nest. Again after
 * each add until all are: a "$ref" resolved later can make one safe.
 */
static void disc_safety(accord_schema_registry *reg, struct disc *d)
{
	size_t i;
	int h;

	d->all_safe = 1;
	d->height = 0;
	for (i = 0; i < d->n; i++) {
		h = safe_height(reg, d->alt[i], 0);
		d->safe[i] = h >= 0;
		if (h < 0)
			d->all_safe = 0;
		else if (h > d->height)
			d->height = h;
	}
}

/*
 * Give a oneOf its discriminator when its shape allows: a member that every
 * alternative fixes with a different "const" in its "properties" (through
 * "$ref"s).
 */
static void disc_build(accord_schema_registry *reg, struct snode *sn)
{
	const cJSON *arr = sn->kw[KW_ONE_OF], *alt, *key;
	const struct snode *first;
	struct disc *d;
	size_t n = (size_t)cJSON_GetArraySize(arr), i, j;

	if (n < 2 || !(first = follow_refs(reg, arr->child)) ||
	    !cJSON_IsObject(first->kw[KW_PROPERTIES]))
		return;
	d = accord_xcalloc(1, sizeof(*d));
	d->n = n;
	d->alt = accord_xrealloc(NULL, n * sizeof(*d->alt));
	d->want = accord_xrealloc(NULL, n * sizeof(*d->want));
	cJSON_ArrayForEach(key, first->kw[KW_PROPERTIES]) {
		i = 0;
		cJSON_ArrayForEach(alt, arr) {
			d->alt[i] = alt;
			if (!(d->want[i] = disc_const(reg, alt, key->string)))
				break;
			for (j = 0; j < i && !accord_schema_json_equal(d->want[j], d->want[i]); j++)
				;
			if (j < i)
				break;
			i++;
		}
		if (i == n)
			break;
	}
	if (!key)
		goto none;
	d->alt_sn = accord_xrealloc(NULL, n * sizeof(*d->alt_sn));
	for (i = 0; i < n; i++)
		d->alt_sn[i] = snode_of(reg, d->alt[i]);
	d->safe = accord_xcalloc(n, 1);
	d->key = key->string;
	sn->disc = d;
	return;
none:
	free(d->alt);
	free(d->want);
	free(d);
}

/*
 * Copy into `sn` what validation would otherwise ask the node map for: its
 * base, its pattern's regex, its properties' compiled subschemas. What a
 * node maps to never changes once added, so doing it again is harmless.
 */
static void snode_link(const accord_schema_registry *reg, struct snode *sn, const char *base)
{
	const struct node_info *info;
	size_t i;

	sn->base = base;
	if (sn->kw[KW_PATTERN] && (info = accord_schema_map_get(reg, sn->kw[KW_PATTERN])) != NULL)
		sn->pattern_re = info->re;
	for (i = 0; sn->names && i < sn->names->n; i++)
		if (sn->names->names[i].prop)
			sn->names->names[i].prop_sn = snode_of(reg, sn->names->names[i].prop);
}

/*
 * After each add: resolve the "$ref"s whose targets are now in the
 * registry (a resolved one never changes: URIs cannot be redefined), and
 * find discriminators for oneOfs not yet given one.
 */
void accord_schema_finalize(accord_schema_registry *reg)
{
	const cJSON *node;
	const char *base;
	struct snode *sn;
	size_t i;
	char *uri;

	for (i = 0; i < reg->nrefs; i++) {
		struct node_info *info = accord_schema_map_get(reg, reg->refs[i].node);

		if (!info || !(sn = info->sn) || sn->ref_target || !cJSON_IsString(sn->kw[KW_REF]))
			continue;
		uri = accord_uri_resolve(reg->refs[i].base, sn->kw[KW_REF]->valuestring);
		if (accord_schema_lookup(reg, uri, &node, &base) == 0) {
			sn->ref_target = node;
			sn->ref_sn = snode_of(reg, node);
			sn->ref_tbase = base;
			sn->ref_base = reg->refs[i].base;
		}
		free(uri);
	}
	for (i = 0; i < reg->map_cap; i++)
		if ((sn = reg->map[i].sn) != NULL) {
			sn->mark = MARK_NONE;
			snode_link(reg, sn, reg->map[i].base);
		}
	for (i = 0; i < reg->map_cap; i++) {
		if ((sn = reg->map[i].sn) && !sn->disc && cJSON_IsArray(sn->kw[KW_ONE_OF]))
			disc_build(reg, sn);
		if (sn && sn->disc && !sn->disc->all_safe)
			disc_safety(reg, sn->disc);
	}
}

int accord_schema_registry_check(accord_schema_registry *reg)
{
	const cJSON *node, *ref;
	const char *base;
	size_t i;
	char *uri;
	int rc = 0;

	if (!reg)
		return accord_error_set(ACCORD_EINVALID, "schema registry: no registry");
	for (i = 0; i < reg->nrefs && rc == 0; i++) {
		ref = cJSON_GetObjectItemCaseSensitive(reg->refs[i].node, "$ref");
		uri = accord_uri_resolve(reg->refs[i].base, ref->valuestring);
		if (accord_schema_lookup(reg, uri, &node, &base) < 0)
			rc = accord_error_set(
				ACCORD_ENOTFOUND,
				"schema %s#%s: $ref \"%s\" (%s) is not in the registry",
				reg->refs[i].base, reg->refs[i].where, ref->valuestring, uri);
		free(uri);
	}
	return rc;
}

/* ---- accord's own schemas ---- */

/*
 * Built on first use, not at start: most commands validate nothing (show,
 * list, a sync with nothing new), and building costs more than the rest of
 * their run. The lock makes the first use safe from any verifying thread.
 */
static accord_schema_registry *builtin;
static pthread_mutex_t builtin_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t builtin_builds;

static int builtin_build(accord_schema_registry **out)
{
	accord_schema_registry *reg = NULL;
	const struct accord_embedded_file *f;
	accord_buf uri = ACCORD_BUF_INIT;
	int rc;

	if ((rc = accord_schema_registry_new(&reg)) < 0)
		return rc;
	for (f = accord_schema_files; f->name; f++) {
		cJSON *doc = cJSON_ParseWithLength(f->data, f->len);

		if (!doc) {
			rc = accord_error_set(ACCORD_EINVALID, "schemas/%s: not valid JSON",
					      f->name);
			goto done;
		}
		accord_buf_clear(&uri);
		accord_buf_printf(&uri, "%s%s", ACCORD_SCHEMA_BASE, f->name);
		if ((rc = accord_schema_registry_add(reg, doc, uri.ptr)) < 0) {
			cJSON_Delete(doc);
			accord_error_wrap(rc, "schemas/%s", f->name);
			goto done;
		}
	}
	if ((rc = accord_schema_registry_check(reg)) < 0)
		goto done;
	*out = reg;
	reg = NULL;
done:
	accord_schema_registry_free(reg);
	accord_buf_dispose(&uri);
	return rc;
}

int accord_schema_builtin(accord_schema_registry **out)
{
	int rc = 0;

	if (!out)
		return accord_error_set(ACCORD_EINVALID, "schema registry: no output pointer");
	pthread_mutex_lock(&builtin_lock);
	if (!builtin) {
		builtin_builds++;
		rc = builtin_build(&builtin);
	}
	*out = builtin;
	pthread_mutex_unlock(&builtin_lock);
	return rc;
}

size_t accord_schema_builtin_builds(void)
{
	size_t n;

	pthread_mutex_lock(&builtin_lock);
	n = builtin_builds;
	pthread_mutex_unlock(&builtin_lock);
	return n;
}

void accord_schema_builtin_free(void)
{
	pthread_mutex_lock(&builtin_lock);
	accord_schema_registry_free(builtin);
	builtin = NULL;
	pthread_mutex_unlock(&builtin_lock);
}
