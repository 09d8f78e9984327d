/*
 * The index's anchors: every ANCHOR_EVERY-th entry of each feed that
 * counts, with its seq, Lamport clock and commit. A causal question about
 * old entries needs only the entries with clocks between them
 * (ledger.c, build_causal); without anchors the walk down each feed
 * starts at its head, so showing an old incident read most of the ledger
 * (issue 14). An anchor says where the feed's chain holds a clock at or
 * above the question's, so the walk starts there.
 *
 * The file, `anchors`, is sealed like every index file and its tag is in
 * the state, so an older file put back is not used. It is written under
 * the write lock with the state: anew from a full verification, extended
 * from the feed's new commits when its head passes the next multiple of
 * ANCHOR_EVERY (a catch-up's walk is fast-forward only: anything else
 * rebuilds the index). Format:
 *
 *   accord-anchors 1
 *   <keyid> <seq> <lamport> <commit>     seq ascending within each feed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "accord/error.h"
#include "accord/incident.h"

#include "index.h"
#include "index_impl.h"
#include "alloc.h"

#define ANCHORS_VERSION "accord-anchors 1"

static anchor_feed *feed_of(struct accord_index *ix, const char *keyid, int create)
{
	anchor_feed *nf;
	size_t i;

	for (i = 0; i < ix->anchor_feeds; i++)
		if (!strcmp(ix->anchors[i].keyid, keyid))
			return &ix->anchors[i];
	if (!create)
		return NULL;
	if (!(nf = realloc(ix->anchors, (ix->anchor_feeds + 1) * sizeof(*nf))))
		accord_oom();
	ix->anchors = nf;
	nf += ix->anchor_feeds++;
	memset(nf, 0, sizeof(*nf));
	snprintf(nf->keyid, sizeof(nf->keyid), "%.32s", keyid);
	return nf;
}

static void push_anchor(anchor_feed *af, int64_t seq, int64_t lamport, const git_oid *commit)
{
	anchor *na = af->a;

	/* room doubles at each power of two: a million-entry ledger has 15,000 anchors */
	if ((af->n & (af->n - 1)) == 0 &&
	    !(na = realloc(af->a, (af->n ? 2 * af->n : 1) * sizeof(*na))))
		accord_oom();
	af->a = na;
	na[af->n].seq = seq;
	na[af->n].lamport = lamport;
	na[af->n].commit = *commit;
	af->n++;
}

/* Forget a feed's anchors: its walks start at its head until it is anchored anew. */
static void forget_feed(anchor_feed *af)
{
	free(af->a);
	af->a = NULL;
	af->n = 0;
	af->top = 0;
}

/* Forget every anchor. */
static void drop_all(struct accord_index *ix)
{
	size_t i;

	for (i = 0; i < ix->anchor_feeds; i++)
		forget_feed(&ix->anchors[i]);
}

void accord_index_anchors_dispose(struct accord_index *ix)
{
	drop_all(ix);
	free(ix->anchors);
	ix->anchors = NULL;
	ix->anchor_feeds = 0;
}

void accord_index_anchors_save(accord_buf *state, const struct accord_index *ix)
{
	char hex[2 * TAG_LEN + 1];
	size_t i;

	if (!ix->has_anchors_tag)
		return;
	accord_hex_encode(hex, ix->anchors_tag, TAG_LEN);
	accord_buf_printf(state, "anchors %s\n", hex);
	for (i = 0; i < ix->anchor_feeds; i++)
		if (ix->anchors[i].top > 0)
			accord_buf_printf(state, "anchored %s %lld\n", ix->anchors[i].keyid,
					  (long long)ix->anchors[i].top);
}

int accord_index_anchors_line(struct accord_index *ix, char *line)
{
	long long top;
	char *f[4];
	int n = accord_index_fields(f, 4, line);

	if (n == 2 && !strcmp(f[0], "anchors")) {
		if (strlen(f[1]) != 2 * TAG_LEN ||
		    accord_hex_decode(ix->anchors_tag, TAG_LEN, f[1]) < 0)
			return -1;
		ix->has_anchors_tag = 1;
		return 0;
	}
	if (n == 3 && !strcmp(f[0], "anchored")) {
		if (!accord_is_lower_hex(f[1], ACCORD_KEYID_HEXLEN) ||
		    accord_index_number(&top, f[2]) < 0 || top <= 0 || top % ANCHOR_EVERY ||
		    feed_of(ix, f[1], 0))
			return -1;
		feed_of(ix, f[1], 1)->top = top;
		return 0;
	}
	return -1;
}

/* A decimal number of at most 18 digits at *p, then `end`; *p moves past both. -1 if none. */
static int64_t decimal(const char **p, char end)
{
	int64_t v = 0;
	size_t n = 0;

	for (; **p >= '0' && **p <= '9' && n < 18; (*p)++, n++)
		v = v * 10 + (**p - '0');
	if (n == 0 || **p != end)
		return -1;
	(*p)++;
	return v;
}

/*
 * One line of the anchors file, "<keyid> <seq> <lamport> <commit>", into
 * its feed (*feed: the last line's, lines come feed by feed); -1 if it
 * does not read or is out of order. Read by hand: a million-entry ledger
 * has 15,000 lines, and sscanf took most of a `show` (issue 14).
 */
static int file_line(struct accord_index *ix, const char *line, anchor_feed **feed)
{
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	const char *p = line + ACCORD_KEYID_HEXLEN + 1;
	int64_t seq, lamport;
	anchor_feed *af = *feed;
	git_oid oid;

	if (strnlen(line, ACCORD_KEYID_HEXLEN + 1) != ACCORD_KEYID_HEXLEN + 1 ||
	    line[ACCORD_KEYID_HEXLEN] != ' ')
		return -1;
	memcpy(keyid, line, ACCORD_KEYID_HEXLEN);
	keyid[ACCORD_KEYID_HEXLEN] = '\0';
	if (!af || strcmp(af->keyid, keyid) != 0)
		af = *feed = feed_of(ix, keyid, 0);
	if (!af || (seq = decimal(&p, ' ')) <= 0 || (lamport = decimal(&p, ' ')) < 0 ||
	    seq % ANCHOR_EVERY || seq > af->top ||
	    (af->n && (seq <= af->a[af->n - 1].seq || lamport <= af->a[af->n - 1].lamport)) ||
	    strlen(p) != GIT_OID_HEXSZ || !accord_is_lower_hex(p, GIT_OID_HEXSZ) ||
	    git_oid_fromstr(&oid, p) < 0)
		return -1;
	push_anchor(af, seq, lamport, &oid);
	return 0;
}

/*
 * Read the anchors file once, checked against the tag the state recorded
 * for it. A file that is missing, damaged or not the state's leaves every
 * feed without anchors: the walks start at the heads, and the answers are
 * the same.
 */
static void read_anchors(struct accord_index *ix)
{
	accord_buf data = ACCORD_BUF_INIT;
	unsigned char tag[TAG_LEN];
	char *line, *save = NULL;
	anchor_feed *feed = NULL;
	size_t i;
	int ok = 1, first = 1;

	if (ix->anchors_read)
		return;
	ix->anchors_read = 1;
	if (!ix->has_anchors_tag) {
		drop_all(ix);
		return;
	}
	if (accord_index_read_sealed(&data, tag, ix, "anchors") < 0 ||
	    sodium_memcmp(tag, ix->anchors_tag, TAG_LEN) != 0)
		ok = 0;
	for (line = ok ? strtok_r(data.ptr, "\n", &save) : NULL; line && ok;
	     line = strtok_r(NULL, "\n", &save)) {
		if (first)
			ok = strcmp(line, ANCHORS_VERSION) == 0;
		else
			ok = file_line(ix, line, &feed) == 0;
		first = 0;
	}
	for (i = 0; i < ix->anchor_feeds && ok; i++)
		ok = ix->anchors[i].top ==
		     (ix->anchors[i].n ? ix->anchors[i].a[ix->anchors[i].n - 1].seq : 0);
	accord_buf_dispose(&data);
	accord_error_clear();
	if (!ok)
		drop_all(ix);
}

int accord_index_anchor_at(git_oid *commit, int64_t *seq, int64_t *lamport, struct accord_index *ix,
			   const char *keyid, int64_t max_seq, int64_t ceiling)
{
	const anchor_feed *af;
	size_t lo = 0, hi;

	read_anchors(ix);
	if (!(af = feed_of(ix, keyid, 0)))
		return 0;
	/* the lowest anchor at or above the ceiling: clocks grow along the feed */
	hi = af->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (af->a[mid].lamport < ceiling)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == af->n || af->a[lo].seq > max_seq)
		return 0;
	*commit = af->a[lo].commit;
	*seq = af->a[lo].seq;
	*lamport = af->a[lo].lamport;
	return 1;
}

void accord_index_anchors_from(struct accord_index *ix, const accord_ledger *full)
{
	size_t i;

	accord_index_anchors_dispose(ix);
	ix->anchors_read = 1;
	ix->anchors_dirty = 1;
	for (i = 0; i < full->feed_count; i++)
		feed_of(ix, full->feeds[i].keyid, 1);
	/* ledger order puts each feed's entries in seq order */
	for (i = 0; i < full->count; i++) {
		const accord_entry *e = full->entries[i];
		anchor_feed *af = feed_of(ix, e->author.id, 0);
		git_oid oid;

		if (!af || e->seq % ANCHOR_EVERY || e->seq != af->top + ANCHOR_EVERY ||
		    git_oid_fromstr(&oid, e->commit) < 0)
			continue;
		push_anchor(af, e->seq, e->lamport, &oid);
		af->top = e->seq;
	}
}

static void push_found(anchor **found, size_t *n, int64_t seq, int64_t lamport,
		       const git_oid *commit)
{
	if (!(*found = realloc(*found, (*n + 1) * sizeof(**found))))
		accord_oom();
	(*found)[*n].seq = seq;
	(*found)[*n].lamport = lamport;
	(*found)[*n].commit = *commit;
	(*n)++;
}

/*
 * Anchor feed `f` up to its head: read its commits down to the last
 * anchor, which must be on its chain (else the feed is anchored anew, down
 * to its root).
 */
static int extend_feed(accord_ledger *l, anchor_feed *af, const accord_feed *f)
{
	anchor *found = NULL;
	size_t nfound = 0, i;
	git_oid at = f->head;
	int64_t seq = f->seq, stop = af->top;
	int error = 0;

	while (seq > 0 && !git_oid_is_zero(&at)) {
		accord_commit *c = NULL;
		accord_entry *e = NULL;
		int64_t tseq, tlamport;
		git_oid parent;

		if (seq == stop && stop > 0) {
			if (git_oid_equal(&at, &af->a[af->n - 1].commit))
				break;
			/* not on this chain: anchor the feed anew */
			forget_feed(af);
			stop = 0;
		}
		/* just taken by the catch-up: known without reading it again */
		if (accord_ledger_taken_at(l, &at, &tseq, &tlamport, &parent)) {
			if (tseq != seq) {
				error = accord_error_set(ACCORD_EINVALID,
							 "feed %s is not a chain of seqs",
							 f->keyid);
				break;
			}
			if (seq % ANCHOR_EVERY == 0)
				push_found(&found, &nfound, seq, tlamport, &at);
			at = parent;
			seq--;
			continue;
		}
		if (seq % ANCHOR_EVERY == 0) {
			if ((error = accord_commit_read(&c, l->store, &at)) < 0 ||
			    (error = accord_entry_parse_checked_before(&e, c->message,
								       c->message_len)) < 0) {
				accord_commit_free(c);
				break;
			}
			if (e->seq != seq) {
				error = accord_error_set(ACCORD_EINVALID,
							 "feed %s is not a chain of seqs",
							 f->keyid);
			} else {
				push_found(&found, &nfound, seq, e->lamport, &at);
			}
			accord_entry_free(e);
		} else if ((error = accord_commit_read(&c, l->store, &at)) < 0) {
			break;
		}
		if (error == 0 && c->parent_count)
			at = c->parent;
		else if (error == 0)
			memset(&at, 0, sizeof(at));
		accord_commit_free(c);
		if (error < 0)
			break;
		seq--;
	}
	if (error == 0) {
		for (i = nfound; i-- > 0;) {
			push_anchor(af, found[i].seq, found[i].lamport, &found[i].commit);
			af->top = found[i].seq;
		}
	}
	free(found);
	return error;
}

int accord_index_anchors_update(accord_ledger *l)
{
	struct accord_index *ix = l->index;
	accord_buf data = ACCORD_BUF_INIT;
	size_t i, j;
	int error = 0;

	for (i = 0; i < l->feed_count; i++) {
		const accord_feed *f = &l->feeds[i];
		anchor_feed *af = feed_of(ix, f->keyid, 0);
		int64_t want = f->seq - f->seq % ANCHOR_EVERY;

		if ((af ? af->top : 0) == want)
			continue;
		read_anchors(ix);
		af = feed_of(ix, f->keyid, 1);
		if (af->top > want) /* the head that counts moved down: anchor it anew */
			forget_feed(af);
		if (af->top < want && (error = extend_feed(l, af, f)) < 0) {
			/* what cannot be read is the verification's to judge: no anchors here */
			accord_error_clear();
			forget_feed(af);
			error = 0;
		}
		ix->anchors_dirty = 1;
	}
	if (!ix->anchors_dirty)
		return 0;
	accord_buf_puts(&data, ANCHORS_VERSION "\n");
	for (i = 0; i < ix->anchor_feeds; i++)
		for (j = 0; j < ix->anchors[i].n; j++) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, sizeof(hex), &ix->anchors[i].a[j].commit);
			accord_buf_printf(&data, "%s %lld %lld %s\n", ix->anchors[i].keyid,
					  (long long)ix->anchors[i].a[j].seq,
					  (long long)ix->anchors[i].a[j].lamport, hex);
		}
	if ((error = accord_index_write_sealed(ix->anchors_tag, ix, "anchors", &data)) == 0) {
		ix->has_anchors_tag = 1;
		ix->anchors_dirty = 0;
	}
	accord_buf_dispose(&data);
	return error;
}
