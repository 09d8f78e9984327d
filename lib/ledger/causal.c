/*
 * Frontiers of the causal graph (causal.h). Feeds get a small index the
 * first time they are seen; an entry's frontier is a uint32 per feed
 * known when it was added (later feeds are 0 in it: not seen).
 */
#include <stdlib.h>
#include <string.h>

#include "causal.h"
#include "accord/error.h"
#include "accord/idmap.h"
#include "alloc.h"

struct node {
	char id[ACCORD_ID_HEXLEN + 1]; /* copies: entries may go before the graph */
	char author[ACCORD_KEYID_HEXLEN + 1];
	int64_t seq, lamport;
	int64_t time;	  /* the signed claim: a dispute's evidence bounds its `at` by it */
	struct node **up; /* prev and deps held in the graph: walked for a forked feed */
	size_t nup;
	uint32_t feed;	 /* its author's feed index */
	uint32_t n;	 /* feeds in `seen` */
	uint32_t seen[]; /* by feed index */
};

struct feedix {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	uint32_t ix;
	int64_t top;	 /* the highest seq added */
	int64_t fork_at; /* the lowest seq held twice (two entry ids), 0 if none */
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
	accord_causal *c = accord_xcalloc(1, sizeof(*c));

	*out = c;
	return 0;
}

static uint32_t feed_index(accord_causal *c, const char *keyid)
{
	struct feedix *f = accord_idmap_get(&c->feeds, keyid);

	if (f)
		return f->ix;
	if (!(f = calloc(1, sizeof(*f))) ||
	    !(c->fx = realloc(c->fx, (c->nfeeds + 1) * sizeof(*c->fx))))
		accord_oom();
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

static void link_up(struct node *nd, struct node *p)
{
	join(nd, p);
	nd->up[nd->nup++] = p;
}

size_t accord_causal_add(accord_causal *c, const accord_entry *e)
{
	struct node *nd, *p;
	struct feedix *fx;
	size_t missing = 0, i;
	uint32_t own;

	own = feed_index(c, e->author.id);
	if (!(nd = calloc(1, sizeof(*nd) + c->nfeeds * sizeof(uint32_t))))
		accord_oom();
	memcpy(nd->id, e->id, sizeof(nd->id));
	/*
	 * In the map before it is filled: no entry names itself in prev or
	 * deps (its id is the hash of those very bytes), so the lookups below
	 * never find it.
	 */
	if (accord_idmap_add(&c->nodes, nd->id, nd)) { /* held already */
		free(nd);
		return 0;
	}
	memcpy(nd->author, e->author.id, sizeof(nd->author));
	nd->seq = e->seq;
	nd->lamport = e->lamport;
	nd->time = e->time;
	nd->feed = own;
	nd->n = (uint32_t)c->nfeeds;
	if (!(nd->up = malloc((1 + e->dep_count) * sizeof(*nd->up))))
		accord_oom();
	if (e->prev[0]) {
		if ((p = accord_idmap_get(&c->nodes, e->prev)))
			link_up(nd, p);
		else
			missing++;
	}
	for (i = 0; i < e->dep_count; i++) {
		if ((p = accord_idmap_get(&c->nodes, e->deps[i])))
			link_up(nd, p);
		else
			missing++;
	}
	/*
	 * A feed's entries arrive in seq order (each after its prev), so a seq
	 * at or below one already added is a second entry there: the feed
	 * forked, and from there on its highest seq no longer tells the sides
	 * apart (accord_causal_in_past walks instead).
	 */
	fx = c->fx[own];
	if (e->seq <= fx->top && (!fx->fork_at || e->seq < fx->fork_at))
		fx->fork_at = e->seq;
	if (e->seq > fx->top)
		fx->top = e->seq;
	if (nd->seen[own] < e->seq)
		nd->seen[own] = e->seq > UINT32_MAX ? UINT32_MAX : (uint32_t)e->seq;
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		if (!(c->all = realloc(c->all, c->cap * sizeof(*c->all))))
			accord_oom();
	}
	c->all[c->count++] = nd;
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

int accord_causal_time(const accord_causal *c, const char *id, int64_t *time)
{
	const struct node *nd = id ? accord_idmap_get(&c->nodes, id) : NULL;

	if (!nd)
		return 0;
	*time = nd->time;
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

long accord_causal_feed_index(const accord_causal *c, const char *keyid)
{
	const struct feedix *f = accord_idmap_get(&c->feeds, keyid);

	return f ? (long)f->ix : -1;
}

const uint32_t *accord_causal_frontier(const accord_causal *c, const char *id, size_t *n)
{
	const struct node *nd = accord_idmap_get(&c->nodes, id);

	*n = nd ? nd->n : 0;
	return nd ? nd->seen : NULL;
}

int64_t accord_causal_fork_at(const accord_causal *c, const char *keyid)
{
	const struct feedix *f = accord_idmap_get(&c->feeds, keyid);

	return f ? f->fork_at : 0;
}

/*
 * Whether node `to` is reachable from `from` through prev and deps. Nodes
 * with a clock at or below `to`'s cannot lead to it: clocks grow along
 * every edge (the engine checks it before an entry counts).
 */
static int reaches(const struct node *from, const struct node *to)
{
	accord_idmap seen = ACCORD_IDMAP_INIT;
	const struct node **stack = NULL;
	size_t n = 0, cap = 0, i;
	int yes = 0;

	for (i = 0; i < from->nup; i++) {
		if (n == cap &&
		    !(stack = realloc(stack, (cap = cap ? cap * 2 : 16) * sizeof(*stack))))
			accord_oom();
		stack[n++] = from->up[i];
	}
	while (n && !yes) {
		const struct node *x = stack[--n];

		if (x == to) {
			yes = 1;
			break;
		}
		if (x->lamport <= to->lamport || accord_idmap_get(&seen, x->id))
			continue;
		accord_idmap_put(&seen, x->id, (void *)x);
		for (i = 0; i < x->nup; i++) {
			if (n == cap &&
			    !(stack = realloc(stack, (cap = cap ? cap * 2 : 16) * sizeof(*stack))))
				accord_oom();
			stack[n++] = x->up[i];
		}
	}
	free(stack);
	accord_idmap_dispose(&seen);
	return yes;
}

int accord_causal_in_past(const accord_causal *c, const accord_entry *later,
			  const accord_entry *earlier)
{
	int64_t seen = accord_causal_seen(c, later->id, earlier->author.id);
	int64_t fork = accord_causal_fork_at(c, earlier->author.id);
	const struct node *from, *to;

	if (seen < 0)
		return -1;
	if (!strcmp(later->id, earlier->id))
		return 0;
	if (!fork || earlier->seq < fork || seen < earlier->seq)
		return seen >= earlier->seq;
	/* a forked feed from the fork on: two entries share a seq, compare ids */
	from = accord_idmap_get(&c->nodes, later->id);
	to = accord_idmap_get(&c->nodes, earlier->id);
	return to ? reaches(from, to) : 0;
}

void accord_causal_free(accord_causal *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->count; i++) {
		free(c->all[i]->up);
		free(c->all[i]);
	}
	for (i = 0; i < c->nfeeds; i++)
		free(c->fx[i]);
	free(c->all);
	free(c->fx);
	accord_idmap_dispose(&c->nodes);
	accord_idmap_dispose(&c->feeds);
	free(c);
}
