/*
 * Frontiers of the causal graph (causal.h). Feeds get a small index the
 * first time they are seen; an entry's frontier is a uint32 per feed
 * known when it was added (later feeds are 0 in it: not seen).
 */
#include <stdlib.h>
#include <string.h>

#include "accord/causal.h"
#include "accord/error.h"
#include "accord/idmap.h"

struct node {
	char id[ACCORD_ID_HEXLEN + 1]; /* copies: entries may go before the graph */
	char author[ACCORD_KEYID_HEXLEN + 1];
	int64_t seq;
	uint32_t n;	   /* feeds in `seen` */
	uint32_t seen[]; /* by feed index */
};

struct feedix {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	uint32_t ix;
};

struct accord_causal {
	accord_idmap nodes; /* entry id -> node */
	accord_idmap feeds; /* key id -> feedix */
	struct node **all;
	struct feedix **fx;
	size_t count, cap, nfeeds;
};

int accord_causal_new(accord_causal **out)
{
	accord_causal *c = calloc(1, sizeof(*c));

	if (!c)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	*out = c;
	return 0;
}

static uint32_t feed_index(accord_causal *c, const char *keyid)
{
	struct feedix *f = accord_idmap_get(&c->feeds, keyid);

	if (f)
		return f->ix;
	if (!(f = calloc(1, sizeof(*f))) || !(c->fx = realloc(c->fx, (c->nfeeds + 1) * sizeof(*c->fx))))
		abort();
	memcpy(f->keyid, keyid, sizeof(f->keyid));
	f->ix = (uint32_t)c->nfeeds;
	c->fx[c->nfeeds++] = f;
	accord_idmap_put(&c->feeds, f->keyid, f);
	return f->ix;
}

static void join(struct node *into, const struct node *from)
{
	uint32_t i;

	for (i = 0; i < from->n && i < into->n; i++)
		if (from->seen[i] > into->seen[i])
			into->seen[i] = from->seen[i];
}

size_t accord_causal_add(accord_causal *c, const accord_entry *e)
{
	struct node *nd, *p;
	size_t missing = 0, i;
	uint32_t own;

	if (accord_idmap_get(&c->nodes, e->id))
		return 0;
	own = feed_index(c, e->author.id);
	if (!(nd = calloc(1, sizeof(*nd) + c->nfeeds * sizeof(uint32_t))))
		abort();
	memcpy(nd->id, e->id, sizeof(nd->id));
	memcpy(nd->author, e->author.id, sizeof(nd->author));
	nd->seq = e->seq;
	nd->n = (uint32_t)c->nfeeds;
	if (e->prev[0]) {
		if ((p = accord_idmap_get(&c->nodes, e->prev)))
			join(nd, p);
		else
			missing++;
	}
	for (i = 0; i < e->dep_count; i++) {
		if ((p = accord_idmap_get(&c->nodes, e->deps[i])))
			join(nd, p);
		else
			missing++;
	}
	nd->seen[own] = e->seq > UINT32_MAX ? UINT32_MAX : (uint32_t)e->seq;
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		if (!(c->all = realloc(c->all, c->cap * sizeof(*c->all))))
			abort();
	}
	c->all[c->count++] = nd;
	accord_idmap_put(&c->nodes, nd->id, nd);
	return missing;
}

int accord_causal_find(const accord_causal *c, const char *id, const char **keyid, int64_t *seq)
{
	const struct node *nd = id ? accord_idmap_get(&c->nodes, id) : NULL;

	if (!nd)
		return 0;
	if (keyid)
		*keyid = nd->author;
	if (seq)
		*seq = nd->seq;
	return 1;
}

int64_t accord_causal_seen(const accord_causal *c, const char *id, const char *keyid)
{
	const struct node *nd = accord_idmap_get(&c->nodes, id);
	const struct feedix *f = accord_idmap_get(&c->feeds, keyid);

	if (!nd)
		return -1;
	return f && f->ix < nd->n ? nd->seen[f->ix] : 0;
}

int accord_causal_in_past(const accord_causal *c, const accord_entry *later,
			  const accord_entry *earlier)
{
	int64_t seen = accord_causal_seen(c, later->id, earlier->author.id);

	if (seen < 0)
		return -1;
	if (!strcmp(later->id, earlier->id))
		return 0;
	return seen >= earlier->seq;
}

void accord_causal_free(accord_causal *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->count; i++)
		free(c->all[i]);
	for (i = 0; i < c->nfeeds; i++)
		free(c->fx[i]);
	free(c->all);
	free(c->fx);
	accord_idmap_dispose(&c->nodes);
	accord_idmap_dispose(&c->feeds);
	free(c);
}
