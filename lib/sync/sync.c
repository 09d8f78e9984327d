/*
 * Sync between parties over git remotes, and the checks a hub's
 * pre-receive hook makes. See include/accord/sync.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accord/chain.h"
#include "accord/encode.h"
#include "accord/error.h"
#include "accord/file.h"
#include "accord/incident.h"
#include "accord/json.h"
#include "accord/sync.h"
#include "accord/timefmt.h"
#include "accord/transport.h"

#include "ledger_impl.h"

#define ZERO_OID_HEX "0000000000000000000000000000000000000000"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort(); /* as accord_buf does: nothing useful can follow */
	return p;
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		abort();
	return d;
}

/* True if the first `n` bytes of `s` are lowercase hex (what follows does not matter). */
static int hex_span(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Grow an array by one element and return a zeroed pointer to it. */
#define PUSH(arr, count)                                          \
	((arr) = xrealloc((arr), ((count) + 1) * sizeof(*(arr))), \
	 memset(&(arr)[(count)], 0, sizeof(*(arr))), &(arr)[(count)++])

/* ------------------------------------------------------------------ */
/* Feeds: relations, chains, verification */

int accord_sync_classify(accord_sync_relation *out, accord_store *store, const git_oid *local,
			 const git_oid *remote)
{
	int r;

	if (!local && !remote)
		return accord_error_set(ACCORD_EINVALID, "nothing to classify");
	if (!local) {
		*out = ACCORD_SYNC_NEW;
		return 0;
	}
	if (!remote) {
		*out = ACCORD_SYNC_MISSING;
		return 0;
	}
	if (git_oid_equal(local, remote)) {
		*out = ACCORD_SYNC_EQUAL;
		return 0;
	}
	/* along first parents read raw: a commit libgit2 cannot parse is the engine's to judge */
	if ((r = accord_chain_descendant_of(store, remote, local)) < 0)
		return accord_error_wrap(r, "comparing feed heads");
	if (r) {
		*out = ACCORD_SYNC_AHEAD;
		return 0;
	}
	if ((r = accord_chain_descendant_of(store, local, remote)) < 0)
		return accord_error_wrap(r, "comparing feed heads");
	*out = r ? ACCORD_SYNC_BEHIND : ACCORD_SYNC_FORK;
	return 0;
}

static int verify_chain_head(int64_t *out_seq, accord_entry **out_head, accord_store *store,
			     const char *keyid, const git_oid *head);

int accord_sync_verify_chain(int64_t *out_seq, accord_store *store, const char *keyid,
			     const git_oid *head)
{
	return verify_chain_head(out_seq, NULL, store, keyid, head);
}

/* accord_sync_verify_chain, also handing over the head's entry (*out_head, caller frees). */
static int verify_chain_head(int64_t *out_seq, accord_entry **out_head, accord_store *store,
			     const char *keyid, const git_oid *head)
{
	accord_commit **commits = NULL;
	accord_entry *prev = NULL;
	size_t n = 0, i;
	git_oid at = *head;
	int error = 0;

	for (;;) {
		accord_commit *c = NULL;

		if ((error = accord_commit_read(&c, store, &at)) < 0)
			goto done;
		commits = xrealloc(commits, (n + 1) * sizeof(*commits));
		commits[n++] = c;
		if (c->parent_count == 0)
			break;
		if (c->parent_count > 1 || n > 100000000) {
			error = accord_error_set(ACCORD_EBADSIG, "commit in feed %s has %u parents",
						 keyid, c->parent_count);
			goto done;
		}
		at = c->parent;
	}
	for (i = n; i-- > 0;) {
		accord_entry *e = NULL;

		if ((error = accord_ledger_verify_commit(&e, commits[i], keyid, prev,
							 (int64_t)(n - i))) < 0)
			goto done;
		accord_entry_free(prev);
		prev = e;
	}
	if (out_seq)
		*out_seq = (int64_t)n;
	if (out_head) {
		*out_head = prev;
		prev = NULL;
	}
done:
	accord_entry_free(prev);
	for (i = 0; i < n; i++)
		accord_commit_free(commits[i]);
	free(commits);
	return error;
}

/* Local heads with the candidates in place (each replacing or adding its feed). */
static accord_head *merge_heads(size_t *count, const accord_head *local, size_t nlocal,
				const accord_sync_candidate *cands, size_t ncands)
{
	accord_head *h = xcalloc(nlocal + ncands + 1, sizeof(*h));
	size_t n = nlocal, i, j;

	if (nlocal)
		memcpy(h, local, nlocal * sizeof(*h));
	for (i = 0; i < ncands; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(h[j].keyid, cands[i].head.keyid) == 0)
				break;
		h[j] = cands[i].head;
		if (j == n)
			n++;
	}
	*count = n;
	return h;
}

/*
 * Why the first commit of a feed that does not count (`first`) does not:
 * its own finding, else the first finding of that feed (the one it follows,
 * or a rule such as equivocation that cut it), else NULL.
 */
static const accord_finding *finding_for(const accord_verification *v, const char *keyid,
					 const accord_verified_item *first)
{
	size_t i;

	for (i = 0; first && i < v->finding_count; i++)
		if (!strcmp(v->findings[i].feed, keyid) &&
		    !strcmp(v->findings[i].commit, first->commit))
			return &v->findings[i];
	for (i = 0; i < v->finding_count; i++)
		if (!strcmp(v->findings[i].feed, keyid))
			return &v->findings[i];
	return NULL;
}

/* What sync and the hook hold back of a candidate: entries dated ahead of this machine's clock. */
struct early {
	accord_head head; /* the candidate's head as verified: before its first early entry */
	int gone; /* nothing of it is verified (its first new entry is early, no local feed) */
	int64_t seq, time;
	char commit[GIT_OID_HEXSZ + 1];
};

/* The seq of `local`'s head in the verified feed `vf`, 0 when there is none. */
static int64_t local_seq(const accord_verified_feed *vf, const accord_head *was)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	if (!vf || !was)
		return 0;
	git_oid_tostr(hex, sizeof(hex), &was->head);
	for (i = 0; i < vf->count; i++)
		if (!strcmp(vf->items[i].commit, hex))
			return vf->items[i].seq;
	return 0;
}

/*
 * Hold back each candidate's first new entry that counts and is dated
 * after `limit`, with what follows it in its feed. Anything depending on
 * it is dated after it too (time >= deps), so what is left is closed under
 * the causal past. 1 if a head moved (verify again), else 0.
 */
static int hold_back_early(struct early *x, const accord_sync_candidate *cands, size_t ncands,
			   const accord_head *local, size_t nlocal, const accord_verification *v,
			   int64_t limit)
{
	size_t i, k, j;
	int moved = 0;

	for (i = 0; i < v->count; i++) {
		const accord_entry *e = v->entries[i];
		const accord_verified_feed *vf;
		const accord_verified_item *before;
		const accord_head *was = NULL;
		int64_t from;

		if (e->time <= limit)
			continue;
		for (k = 0; k < ncands && strcmp(cands[k].head.keyid, e->author.id) != 0; k++)
			;
		if (k == ncands)
			continue; /* held here already: the verdict is not the clock's */
		for (j = 0; j < nlocal; j++)
			if (!strcmp(local[j].keyid, e->author.id))
				was = &local[j];
		vf = accord_verification_feed(v, e->author.id);
		from = local_seq(vf, was);
		if (e->seq <= from || (x[k].seq && x[k].seq <= e->seq))
			continue;
		x[k].seq = e->seq;
		x[k].time = e->time;
		snprintf(x[k].commit, sizeof(x[k].commit), "%s", e->commit);
		if (e->seq - 1 <= from) {
			if (was)
				x[k].head = *was;
			else
				x[k].gone = 1;
		} else if ((before = accord_verified_feed_item(vf, e->seq - 1)) != NULL) {
			git_oid_fromstr(&x[k].head.head, before->commit);
		} else {
			x[k].gone = 1;
		}
		moved = 1;
	}
	return moved;
}

/* Refuse (for now) what waits for the clock, naming the first entry that does. */
static void mark_early(accord_sync_candidate *c, const struct early *x)
{
	char when[ACCORD_TIME_LEN];

	accord_time_format(when, x->time);
	c->refused = 1;
	c->kind = -1;
	c->seq = x->seq;
	snprintf(c->entry, sizeof(c->entry), "%s", x->commit);
	snprintf(
		c->reason, sizeof(c->reason),
		"too early at seq %lld, commit %s: it is dated %s, more than %d minutes ahead of this machine's clock; "
		"it and what follows it wait until then (a clock set ahead?)",
		(long long)x->seq, x->commit, when, ACCORD_FUTURE_SLACK_S / 60);
}

int accord_sync_verify(accord_ledger **out, accord_verification **out_v, accord_store *store,
		       const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
		       size_t ncands, const accord_head *evidence, size_t nevidence)
{
	accord_verify_options vo = ACCORD_VERIFY_OPTIONS_INIT;
	accord_verification *v = NULL;
	accord_ledger *l = NULL;
	accord_sync_candidate *use = xcalloc(ncands + 1, sizeof(*use));
	struct early *x = xcalloc(ncands + 1, sizeof(*x));
	/*
	 * Not a verdict: a policy of what to take now. An entry dated more than
	 * a few minutes ahead of this machine's clock waits, like a pending one,
	 * so no member's clock can drag others' signed times (time >= deps)
	 * into the future. Verdicts on what is held never read the clock.
	 */
	int64_t limit = accord_sat_add(accord_time_now(), ACCORD_FUTURE_SLACK_S);
	accord_head *heads;
	size_t n, i, nuse;
	int error;

	for (i = 0; i < ncands; i++)
		x[i].head = cands[i].head;
	vo.evidence = evidence;
	vo.evidence_count = nevidence;
	/* One verification of everything: cost linear in the entries, however many feeds are bad. */
	for (;;) {
		for (i = nuse = 0; i < ncands; i++)
			if (!x[i].gone) {
				use[nuse] = cands[i];
				use[nuse++].head = x[i].head;
			}
		heads = merge_heads(&n, local, nlocal, use, nuse);
		if (n == 0) {
			free(heads);
			error = accord_error_set(ACCORD_ENOTFOUND, "nothing to verify");
			goto fail;
		}
		error = accord_verify_heads(&v, store, heads, n, &vo);
		free(heads);
		if (error < 0)
			goto fail;
		/* rare (a clock far ahead): verify again without what waits */
		if (!hold_back_early(x, cands, ncands, local, nlocal, v, limit))
			break;
		accord_verification_free(v);
		v = NULL;
	}
	for (i = 0; i < ncands; i++) {
		accord_sync_candidate *c = &cands[i];
		const accord_verified_feed *vf = accord_verification_feed(v, c->head.keyid);
		const accord_head *was = NULL;
		const accord_verified_item *first;
		const accord_finding *why;
		size_t j;

		for (j = 0; j < nlocal; j++)
			if (!strcmp(local[j].keyid, c->head.keyid))
				was = &local[j];
		memset(&c->take, 0, sizeof(c->take));
		c->refused = 0;
		c->reason[0] = c->entry[0] = '\0';
		/*
		 * Entries set aside by a rule travel with the feed: they are the
		 * author's signed words, shown as excluded, and other copies need
		 * them as deps. Only faults and pending entries are refused.
		 */
		if (x[i].gone)
			vf = NULL;
		if (vf && (size_t)vf->kept == vf->count && !git_oid_is_zero(&vf->head)) {
			c->take = vf->head;
			if (x[i].seq)
				mark_early(c, &x[i]);
			continue;
		}
		/* Take the feed up to its last entry that counts or is set aside, if that is new here. */
		if (vf && vf->kept > 0 &&
		    (!was || accord_chain_descendant_of(store, &vf->kept_head, &was->head) == 1))
			c->take = vf->kept_head;
		c->refused = 1;
		first = vf && (size_t)vf->kept < vf->count ? &vf->items[vf->kept] : NULL;
		why = vf ? finding_for(v, c->head.keyid, first) : NULL;
		c->kind = why ? (int)why->kind : -1;
		c->seq = first ? first->seq : (vf ? vf->valid + 1 : 0);
		snprintf(c->entry, sizeof(c->entry), "%s", first ? first->commit : "");
		/* what was taken up to there is in the accepted list; the hook takes nothing */
		snprintf(c->reason, sizeof(c->reason), "%s at seq %lld, commit %s: %s",
			 why ? accord_audit_kind_name(why->kind) : "left out", (long long)c->seq,
			 c->entry[0] ? c->entry : "(none)",
			 why ? why->explanation : "it rests on entries that do not count");
		if (first && vf->count - (size_t)vf->kept > 1) {
			size_t used = strlen(c->reason);

			snprintf(c->reason + used, sizeof(c->reason) - used,
				 " (and the %zu later entries of this feed, which follow it)",
				 vf->count - (size_t)vf->kept - 1);
		}
		if (x[i].seq && (!first || first->seq >= x[i].seq))
			mark_early(c, &x[i]);
	}
	error = accord_ledger_from_verification(&l, store, v);
	if (error < 0)
		goto fail;
	if (out_v)
		*out_v = v;
	else
		accord_verification_free(v);
	if (out)
		*out = l;
	else
		accord_ledger_free(l);
	free(use);
	free(x);
	return 0;
fail:
	accord_verification_free(v);
	free(use);
	free(x);
	return error;
}

/* ------------------------------------------------------------------ */
/* Heads last seen on a remote; rollbacks */

static int cmp_head(const void *a, const void *b)
{
	return strcmp(((const accord_head *)a)->keyid, ((const accord_head *)b)->keyid);
}

int accord_sync_heads_read(accord_head **out, size_t *count, const char *path)
{
	accord_buf text = ACCORD_BUF_INIT;
	accord_head *heads = NULL;
	size_t n = 0;
	const char *p, *end;
	int error;

	if ((error = accord_buf_read_file(&text, path, 64 << 20)) < 0) {
		accord_buf_dispose(&text);
		if (access(path, F_OK) < 0 && errno == ENOENT) {
			*out = xcalloc(1, sizeof(accord_head));
			*count = 0;
			return 0;
		}
		return error;
	}
	p = text.ptr ? text.ptr : "";
	end = p + text.size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		accord_head h;

		if (len != ACCORD_KEYID_HEXLEN + 1 + GIT_OID_HEXSZ ||
		    p[ACCORD_KEYID_HEXLEN] != ' ' || !hex_span(p, ACCORD_KEYID_HEXLEN) ||
		    !hex_span(p + ACCORD_KEYID_HEXLEN + 1, GIT_OID_HEXSZ)) {
			free(heads);
			accord_buf_dispose(&text);
			return accord_error_set(ACCORD_EINVALID, "%s: malformed line", path);
		}
		memcpy(h.keyid, p, ACCORD_KEYID_HEXLEN);
		h.keyid[ACCORD_KEYID_HEXLEN] = '\0';
		git_oid_fromstrn(&h.head, p + ACCORD_KEYID_HEXLEN + 1, GIT_OID_HEXSZ);
		*(accord_head *)PUSH(heads, n) = h;
		p = nl ? nl + 1 : end;
	}
	accord_buf_dispose(&text);
	if (!heads)
		heads = xcalloc(1, sizeof(*heads));
	*out = heads;
	*count = n;
	return 0;
}

int accord_sync_heads_write(const char *path, const accord_head *heads, size_t count)
{
	accord_buf text = ACCORD_BUF_INIT;
	accord_head *sorted = xcalloc(count + 1, sizeof(*sorted));
	size_t i;
	int error;

	if (count)
		memcpy(sorted, heads, count * sizeof(*sorted));
	qsort(sorted, count, sizeof(*sorted), cmp_head);
	for (i = 0; i < count; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &sorted[i].head);
		accord_buf_printf(&text, "%s %s\n", sorted[i].keyid, hex);
	}
	free(sorted);
	error = accord_file_write_atomic(path, text.ptr, text.size, 0600);
	accord_buf_dispose(&text);
	return error;
}

static const accord_head *find_head(const accord_head *heads, size_t n, const char *keyid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(heads[i].keyid, keyid) == 0)
			return &heads[i];
	return NULL;
}

int accord_sync_rollbacks(accord_sync_rollback **out, size_t *count, accord_store *store,
			  const accord_head *seen, size_t nseen, const accord_head *now,
			  size_t nnow)
{
	accord_sync_rollback *rb = NULL;
	git_odb *odb = NULL;
	size_t n = 0, i;
	int error;

	if ((error = git_repository_odb(&odb, accord_store_repo(store))) < 0)
		return accord_error_git(error, "opening the object database");
	for (i = 0; i < nseen; i++) {
		const accord_head *h = find_head(now, nnow, seen[i].keyid);
		accord_sync_rollback *r;

		if (h && git_oid_equal(&h->head, &seen[i].head))
			continue;
		/* Without the objects we cannot tell; say nothing rather than guess. */
		if (!git_odb_exists(odb, &seen[i].head) || (h && !git_odb_exists(odb, &h->head)))
			continue;
		if (h && accord_chain_descendant_of(store, &h->head, &seen[i].head) == 1)
			continue;
		r = PUSH(rb, n);
		memcpy(r->feed, seen[i].keyid, sizeof(r->feed));
		git_oid_tostr(r->seen, sizeof(r->seen), &seen[i].head);
		if (h)
			git_oid_tostr(r->now, sizeof(r->now), &h->head);
	}
	git_odb_free(odb);
	*out = rb;
	*count = n;
	return 0;
}

char *accord_sync_refspec(const char *name)
{
	accord_buf spec = ACCORD_BUF_INIT;

	accord_buf_printf(&spec, "+%s*:%s%s/*", ACCORD_REF_PREFIX, ACCORD_QUARANTINE_PREFIX, name);
	return accord_buf_detach(&spec);
}

static int ref_create(accord_store *store, const char *name, const git_oid *id,
		      const git_oid *expect);

/* ------------------------------------------------------------------ */
/* One sync */

/* A ref name's key id part: exactly 32 lowercase hex digits, else NULL. */
static const char *feed_keyid(const char *ref, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *k = ref + plen;

	if (strncmp(ref, prefix, plen) != 0 || strlen(k) != ACCORD_KEYID_HEXLEN ||
	    !accord_is_lower_hex(k, ACCORD_KEYID_HEXLEN))
		return NULL;
	return k;
}

/* "<32 hex>/<40 hex>" after the evidence prefix: fills keyid and the commit it must name. */
static int evidence_name(char *keyid, git_oid *commit, const char *rest)
{
	if (strlen(rest) != ACCORD_KEYID_HEXLEN + 1 + GIT_OID_HEXSZ ||
	    rest[ACCORD_KEYID_HEXLEN] != '/' || !hex_span(rest, ACCORD_KEYID_HEXLEN) ||
	    !accord_is_lower_hex(rest + ACCORD_KEYID_HEXLEN + 1, GIT_OID_HEXSZ))
		return -1;
	memcpy(keyid, rest, ACCORD_KEYID_HEXLEN);
	keyid[ACCORD_KEYID_HEXLEN] = '\0';
	return git_oid_fromstr(commit, rest + ACCORD_KEYID_HEXLEN + 1) < 0 ? -1 : 0;
}

/* An evidence commit read and checked on its own. */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	git_oid commit;
	accord_entry *e; /* NULL if it does not verify */
	int misnamed;	 /* the ref's name does not fit the layout or its commit */
	char why[512];
} evidence_item;

/*
 * Evidence must prove equivocation: an entry of this ledger, signed by a
 * member key, whose seq holds a different signed entry in this copy (on the
 * feed, or in another evidence commit). Anything else would be a false
 * charge, kept forever. Each check reads one commit: linear in the push.
 */
static void check_evidence(evidence_item *items, size_t n, const accord_verification *v,
			   const accord_ledger *l)
{
	const accord_parties *parties = &l->parties;
	size_t nf = 0;
	const accord_finding *fs = accord_ledger_findings(l, &nf);
	size_t i, j;

	for (i = 0; i < n; i++) {
		evidence_item *x = &items[i];
		const accord_verified_feed *f;
		const accord_verified_item *mine;
		int proof = 0;

		if (!x->e)
			continue;
		if (strcmp(x->e->ledger[0] ? x->e->ledger : x->e->id, v->ledger) != 0) {
			snprintf(x->why, sizeof(x->why), "it belongs to another ledger");
			continue;
		}
		if (!accord_parties_member(parties, x->keyid)) {
			snprintf(x->why, sizeof(x->why), "key %.12s is of no party of this ledger",
				 x->keyid);
			continue;
		}
		f = accord_verification_feed(v, x->keyid);
		mine = f ? accord_verified_feed_item(f, x->e->seq) : NULL;
		if (mine && !mine->sigfail && mine->id[0] && strcmp(mine->id, x->e->id) != 0)
			proof = 1;
		for (j = 0; j < n && !proof; j++)
			proof = j != i && items[j].e && !strcmp(items[j].keyid, x->keyid) &&
				items[j].e->seq == x->e->seq &&
				strcmp(items[j].e->id, x->e->id) != 0;
		if (!proof)
			snprintf(
				x->why, sizeof(x->why),
				"it proves no equivocation: no other signed entry of key %.12s has seq %lld here",
				x->keyid, (long long)x->e->seq);
	}
	/*
	 * A later entry of a side of a proven fork is kept too (both sides
	 * travel whole: another key's entry may depend on any of them), but
	 * only where this copy holds proof at or below its seq.
	 */
	for (i = 0; i < n; i++) {
		evidence_item *x = &items[i];

		if (!x->e || !x->why[0] || strncmp(x->why, "it proves no", 12) != 0)
			continue;
		for (j = 0; j < nf; j++)
			if (fs[j].kind == ACCORD_AUDIT_EQUIVOCATION &&
			    !strcmp(fs[j].feed, x->keyid) && fs[j].seq <= x->e->seq)
				x->why[0] = '\0';
		for (j = 0; j < n && x->why[0]; j++)
			if (j != i && items[j].e && !items[j].why[0] &&
			    !strcmp(items[j].keyid, x->keyid) && items[j].e->seq <= x->e->seq)
				x->why[0] = '\0';
	}
}

/* Read evidence ref `rest` (after the evidence prefix) pointing at `target`. */
static void read_evidence_item(evidence_item *x, accord_store *store, const char *rest,
			       const git_oid *target)
{
	accord_commit *c = NULL;
	git_oid named;

	memset(x, 0, sizeof(*x));
	x->commit = *target;
	if (evidence_name(x->keyid, &named, rest) < 0) {
		x->misnamed = 1;
		snprintf(x->why, sizeof(x->why), "evidence refs are named %s<key id>/<commit>",
			 ACCORD_EVIDENCE_PREFIX);
		return;
	}
	if (!git_oid_equal(&named, target)) {
		x->misnamed = 1;
		snprintf(x->why, sizeof(x->why), "the ref does not point at the commit it names");
		return;
	}
	if (accord_commit_read(&c, store, target) < 0 ||
	    accord_verify_commit(&x->e, NULL, c, x->keyid, NULL, 0) < 0)
		snprintf(x->why, sizeof(x->why), "it does not verify: %s", accord_error_last());
	accord_commit_free(c);
}

static void evidence_items_free(evidence_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		accord_entry_free(items[i].e);
	free(items);
}

/* Number of commits from `head` back to `stop` (exclusive) or the root. */
static size_t count_new(accord_store *store, const git_oid *head, const git_oid *stop)
{
	return accord_chain_count(store, head, stop, 100000000);
}

/* The commit on `head`'s side right after the fork point `base` (NULL: the root). */
static int first_after(git_oid *out, accord_store *store, const git_oid *head, const git_oid *base)
{
	git_oid at = *head;
	size_t steps = 0;

	for (;;) {
		git_oid parent;
		int error = accord_chain_parent(&parent, store, &at);

		if (error < 0)
			return accord_error_wrap(error, "walking a feed");
		if (git_oid_is_zero(&parent) || (base && git_oid_equal(&parent, base)) ||
		    ++steps > 100000000) {
			*out = at;
			return 0;
		}
		at = parent;
	}
}

static int ref_create(accord_store *store, const char *name, const git_oid *id,
		      const git_oid *expect)
{
	git_reference *ref = NULL;
	int error = git_reference_create_matching(&ref, accord_store_repo(store), name, id,
						  expect != NULL, expect, "accord: sync");

	git_reference_free(ref);
	if (error == GIT_EMODIFIED || error == GIT_EEXISTS)
		return accord_error_set(ACCORD_EMODIFIED, "%s moved during the sync", name);
	return error < 0 ? accord_error_git(error, name) : 0;
}

/*
 * Neither head extends the other. Two valid entries by the same key with
 * the same sequence number prove equivocation: keep both as evidence.
 * Anything else is a rewritten feed, refused.
 */
static int handle_fork(accord_sync_result *res, accord_store *store, const char *keyid,
		       const git_oid *local, const git_oid *remote)
{
	git_oid base, dl, dr;
	int has_base, error, news = 0;
	int64_t seq = 0;
	char lhex[GIT_OID_HEXSZ + 1], rhex[GIT_OID_HEXSZ + 1];
	accord_buf ref = ACCORD_BUF_INIT;

	has_base = accord_chain_merge_base(&base, store, local, remote) == 0;
	if ((error = first_after(&dl, store, local, has_base ? &base : NULL)) < 0 ||
	    (error = first_after(&dr, store, remote, has_base ? &base : NULL)) < 0)
		return error;
	git_oid_tostr(lhex, sizeof(lhex), &dl);
	git_oid_tostr(rhex, sizeof(rhex), &dr);
	if (accord_sync_verify_chain(&seq, store, keyid, &dr) < 0) {
		accord_sync_candidate *c = PUSH(res->refused, res->refused_count);
		char reason[600];

		snprintf(reason, sizeof(reason), "%s", accord_error_last());
		memcpy(c->head.keyid, keyid, sizeof(c->head.keyid));
		c->head.head = *remote;
		c->refused = 1;
		snprintf(c->entry, sizeof(c->entry), "%s", rhex);
		snprintf(c->reason, sizeof(c->reason),
			 "feed rewritten: the remote head does not extend ours (%s)", reason);
		return 0;
	}
	accord_buf_printf(&ref, "%s%s/%s", ACCORD_EVIDENCE_PREFIX, keyid, lhex);
	if (accord_store_ref_get(&base, store, ref.ptr) == ACCORD_ENOTFOUND) {
		if ((error = ref_create(store, ref.ptr, &dl, NULL)) < 0)
			goto done;
		news++;
	}
	accord_buf_clear(&ref);
	accord_buf_printf(&ref, "%s%s/%s", ACCORD_EVIDENCE_PREFIX, keyid, rhex);
	if (accord_store_ref_get(&base, store, ref.ptr) == ACCORD_ENOTFOUND) {
		if ((error = ref_create(store, ref.ptr, &dr, NULL)) < 0)
			goto done;
		news++;
	}
	/*
	 * Each side's tip too, when it has gone on past its first entry: both
	 * sides travel whole, since another key's entry may depend on any of
	 * their entries (docs/format.md, "Forks").
	 */
	{
		const git_oid *tips[2] = { local, remote };
		const git_oid *firsts[2] = { &dl, &dr };
		int t;

		for (t = 0; t < 2; t++) {
			char hex[GIT_OID_HEXSZ + 1];

			if (git_oid_equal(tips[t], firsts[t]))
				continue;
			git_oid_tostr(hex, sizeof(hex), tips[t]);
			accord_buf_clear(&ref);
			accord_buf_printf(&ref, "%s%s/%s", ACCORD_EVIDENCE_PREFIX, keyid, hex);
			if (accord_store_ref_get(&base, store, ref.ptr) == ACCORD_ENOTFOUND &&
			    (error = ref_create(store, ref.ptr, tips[t], NULL)) < 0)
				goto done;
		}
	}
	/* a fork this copy held proof of already is not news: audit lists it */
	if (news) {
		accord_sync_evidence *ev = PUSH(res->evidence, res->evidence_count);

		memcpy(ev->feed, keyid, sizeof(ev->feed));
		ev->seq = seq;
		memcpy(ev->local, lhex, sizeof(ev->local));
		memcpy(ev->remote, rhex, sizeof(ev->remote));
	}
	accord_error_clear();
	error = 0;
done:
	accord_buf_dispose(&ref);
	return error;
}

/* Feed heads under `prefix` (quarantine or local); malformed names go to *bad. */
static int list_feeds(accord_head **out, size_t *count, accord_store *store, const char *prefix,
		      char ***bad, size_t *nbad)
{
	git_strarray refs = { NULL, 0 };
	accord_head *heads = NULL;
	size_t n = 0, i;
	int error;

	if ((error = accord_store_ref_list(&refs, store, prefix)) < 0)
		return error;
	for (i = 0; i < refs.count; i++) {
		const char *k = feed_keyid(refs.strings[i], prefix);
		accord_head *h;

		if (!k) {
			if (bad)
				*PUSH(*bad, *nbad) = xstrdup(refs.strings[i]);
			continue;
		}
		h = PUSH(heads, n);
		memcpy(h->keyid, k, sizeof(h->keyid));
		if ((error = accord_store_ref_get(&h->head, store, refs.strings[i])) < 0)
			break;
	}
	git_strarray_dispose(&refs);
	if (error < 0) {
		free(heads);
		return error;
	}
	*out = heads ? heads : xcalloc(1, sizeof(*heads));
	*count = n;
	return 0;
}

static void add_refused(accord_sync_result *res, const char *feed, const char *entry,
			const char *reason)
{
	accord_sync_candidate *c = PUSH(res->refused, res->refused_count);

	snprintf(c->head.keyid, sizeof(c->head.keyid), "%s", feed);
	snprintf(c->entry, sizeof(c->entry), "%s", entry ? entry : "");
	snprintf(c->reason, sizeof(c->reason), "%s", reason);
	c->refused = 1;
}

/*
 * Whether this copy holds proof of equivocation by `keyid` already (kept
 * before this sync, or found by it and reported as evidence).
 */
static int has_evidence(accord_store *store, const char *keyid)
{
	git_strarray refs = { NULL, 0 };
	char prefix[128];
	int found;

	snprintf(prefix, sizeof(prefix), "%s%s/", ACCORD_EVIDENCE_PREFIX, keyid);
	if (accord_store_ref_list(&refs, store, prefix) < 0)
		return 0;
	found = refs.count > 0;
	git_strarray_dispose(&refs);
	return found;
}

/* The evidence refs under `qprefix` (a quarantine copy of refs/accord/evidence/), as heads. */
static int list_evidence(accord_head **out, char ***names, size_t *count, accord_store *store,
			 const char *qprefix)
{
	git_strarray refs = { NULL, 0 };
	size_t i, n = 0, plen = strlen(qprefix);
	int error;

	*out = NULL;
	*names = NULL;
	*count = 0;
	if ((error = accord_store_ref_list(&refs, store, qprefix)) < 0)
		return error;
	*out = xcalloc(refs.count + 1, sizeof(**out));
	*names = xcalloc(refs.count + 1, sizeof(**names));
	for (i = 0; i < refs.count; i++) {
		const char *rest = refs.strings[i] + plen;

		if (accord_store_ref_get(&(*out)[n].head, store, refs.strings[i]) < 0)
			continue;
		snprintf((*out)[n].keyid, sizeof((*out)[n].keyid), "%.32s", rest);
		(*names)[n++] = xstrdup(rest);
	}
	git_strarray_dispose(&refs);
	*count = n;
	return 0;
}

/*
 * Take the remote's evidence refs we do not have yet that prove
 * equivocation (`v`: the verification of the ledger after the sync); the
 * rest are reported as refused.
 */
static int take_evidence(accord_sync_result *res, accord_store *store, const char *qprefix,
			 const accord_verification *v, const accord_ledger *l)
{
	accord_head *heads = NULL;
	evidence_item *items = NULL;
	char **names = NULL;
	size_t i, n = 0;
	int error;

	if ((error = list_evidence(&heads, &names, &n, store, qprefix)) < 0)
		return error;
	items = xcalloc(n + 1, sizeof(*items));
	for (i = 0; i < n; i++)
		read_evidence_item(&items[i], store, names[i], &heads[i].head);
	check_evidence(items, n, v, l);
	for (i = 0; i < n && error == 0; i++) {
		accord_buf local = ACCORD_BUF_INIT;
		git_oid have;

		accord_buf_printf(&local, "%s%s", ACCORD_EVIDENCE_PREFIX, names[i]);
		if (accord_store_ref_get(&have, store, local.ptr) == 0) {
			accord_buf_dispose(&local);
			continue;
		}
		if (!items[i].e || items[i].why[0]) {
			char hex[GIT_OID_HEXSZ + 1], why[700];

			git_oid_tostr(hex, sizeof(hex), &heads[i].head);
			snprintf(why, sizeof(why), "evidence %s: %s", names[i], items[i].why);
			add_refused(res, items[i].keyid, hex, why);
		} else if ((error = ref_create(store, local.ptr, &heads[i].head, NULL)) == 0) {
			/* proof received: said like proof found, since it changes what counts */
			accord_sync_evidence *ev = PUSH(res->evidence, res->evidence_count);

			memcpy(ev->feed, items[i].keyid, sizeof(ev->feed));
			ev->seq = items[i].e->seq;
			git_oid_tostr(ev->remote, sizeof(ev->remote), &heads[i].head);
		}
		accord_buf_dispose(&local);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(heads);
	evidence_items_free(items, n);
	return error;
}

/* Heads each key recorded in its last checkpoint: feed -> seq. */
static int64_t checkpoint_seq(const accord_entry *cp, const char *feed)
{
	const cJSON *heads = cJSON_GetObjectItemCaseSensitive(cp->body, "heads"), *h;

	cJSON_ArrayForEach(h, heads) {
		const char *f = accord_json_str(h, "feed");
		int64_t seq = 0;

		if (f && strcmp(f, feed) == 0 && accord_json_int(&seq, h, "seq") == 0)
			return seq;
	}
	return 0;
}

/*
 * Witness the verified heads of the other feeds in a checkpoint entry,
 * when any of them has gained an entry other than a checkpoint since our
 * last one: checkpoints answering checkpoints would never settle.
 * `l` is the ledger just verified and written, under the write lock;
 * after a failed append it may only be freed.
 */
static int write_checkpoint(char *out_id, accord_ledger *l, const accord_key *key,
			    const char *remote)
{
	const accord_member *m;
	const accord_entry *last = NULL;
	cJSON *body = NULL, *heads;
	size_t i, witnessed = 0;
	int error = 0, changed = 0;
	int64_t limit = accord_sat_add(accord_time_now(), ACCORD_FUTURE_SLACK_S);

	out_id[0] = '\0';
	m = accord_parties_member(&l->parties, key->pub.id);
	if (!m || m->revoked)
		goto done; /* not a member here: nothing to witness with */
	for (i = l->count; i-- > 0;) {
		const accord_entry *e = l->entries[i];

		if (strcmp(e->author.id, key->pub.id) == 0 && strcmp(e->type, "checkpoint") == 0) {
			last = e;
			break;
		}
	}
	for (i = 0; i < l->count && !changed; i++) {
		const accord_entry *e = l->entries[i];

		if (strcmp(e->author.id, key->pub.id) == 0 || strcmp(e->type, "checkpoint") == 0)
			continue;
		if (!last || e->seq > checkpoint_seq(last, e->author.id))
			changed = 1;
	}
	if (!changed)
		goto done;
	body = cJSON_CreateObject();
	heads = cJSON_AddArrayToObject(body, "heads");
	for (i = 0; i < l->feed_count; i++) {
		const accord_feed *f = &l->feeds[i];
		cJSON *h;

		if (strcmp(f->keyid, key->pub.id) == 0 || !f->last)
			continue;
		/* the writer does not depend on a head dated ahead of the clock, so cannot claim it */
		if (f->last->time > limit)
			continue;
		witnessed++;
		h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "feed", f->keyid);
		cJSON_AddNumberToObject(h, "seq", (double)f->seq);
		cJSON_AddStringToObject(h, "hash", f->last->id);
		cJSON_AddItemToArray(heads, h);
	}
	if (!witnessed)
		goto done;
	if (remote && *remote && strlen(remote) <= 200)
		cJSON_AddStringToObject(body, "remote", remote);
	error = accord_ledger_append(out_id, l, key, "checkpoint", NULL, body);
done:
	cJSON_Delete(body);
	return error;
}

/*
 * Move *head back before the feed's first counting entry dated more than
 * the slack ahead of this machine's clock (a copy may hold one, fetched by
 * plain git): pushed, the hook would refuse it, and the whole push with it.
 * -1 when nothing of the feed is before it.
 */
static int early_before(git_oid *head, const accord_ledger *l, const accord_verification *v,
			const char *keyid)
{
	int64_t limit = accord_sat_add(accord_time_now(), ACCORD_FUTURE_SLACK_S), first = 0;
	const accord_verified_item *it;
	size_t i;

	for (i = 0; i < l->count; i++) {
		const accord_entry *e = l->entries[i];

		if (e->time > limit && !strcmp(e->author.id, keyid) && (!first || e->seq < first))
			first = e->seq;
	}
	if (!first)
		return 0;
	if (first == 1 ||
	    !(it = accord_verified_feed_item(accord_verification_feed(v, keyid), first - 1)))
		return -1;
	git_oid_fromstr(head, it->commit);
	return 0;
}

/* Where the heads last seen on remote `name` are kept. */
static int seen_path(char **out, accord_store *store, const char *name)
{
	accord_buf file = ACCORD_BUF_INIT;
	const char *p;
	int error;

	accord_buf_puts(&file, "remote-");
	for (p = name; *p; p++) {
		if (*p == '/' || *p == '%')
			accord_buf_printf(&file, "%%%02X", (unsigned char)*p);
		else
			accord_buf_putc(&file, *p);
	}
	accord_buf_puts(&file, ".heads");
	error = accord_store_state_path(out, store, file.ptr);
	accord_buf_dispose(&file);
	return error;
}

static void result_error(accord_sync_result *res)
{
	free(res->error);
	res->error = xstrdup(accord_error_last());
}

/*
 * One round of a sync: fetch into the quarantine, verify, take what counts,
 * push. ACCORD_EMODIFIED when the remote moved between the fetch and the
 * push (nothing was pushed then).
 */
/* Refs under the remote's refs/accord/ outside the layout: each refused, named. */
static int refuse_outside_layout(accord_sync_result *res, accord_store *store, const char *name,
				 const accord_buf *qfeeds, const accord_buf *qevidence, char ***bad,
				 size_t *nbad)
{
	git_strarray all = { NULL, 0 };
	accord_buf q = ACCORD_BUF_INIT;
	size_t i;
	int error;

	accord_buf_printf(&q, "%s%s/", ACCORD_QUARANTINE_PREFIX, name);
	if ((error = accord_store_ref_list(&all, store, q.ptr)) < 0) {
		accord_buf_dispose(&q);
		return error;
	}
	for (i = 0; i < all.count; i++)
		if (strncmp(all.strings[i], qfeeds->ptr, qfeeds->size) != 0 &&
		    strncmp(all.strings[i], qevidence->ptr, qevidence->size) != 0)
			*PUSH(*bad, *nbad) = xstrdup(all.strings[i]);
	git_strarray_dispose(&all);
	for (i = 0; i < *nbad; i++) {
		accord_buf why = ACCORD_BUF_INIT;

		accord_buf_printf(&why,
				  "the remote's ref %s%s is outside the ledger layout; ignored",
				  ACCORD_REF_PREFIX, (*bad)[i] + q.size);
		add_refused(res, "", NULL, why.ptr);
		accord_buf_dispose(&why);
	}
	accord_buf_dispose(&q);
	return 0;
}

/* Each remote feed against ours: new or ahead is a candidate, a fork is proof. */
static int classify_remote(accord_sync_result *res, accord_sync_candidate **cands, size_t *ncands,
			   accord_store *store, const accord_head *local, size_t nlocal,
			   const accord_head *remote, size_t nremote)
{
	size_t i;
	int error;

	for (i = 0; i < nremote; i++) {
		const accord_head *l = find_head(local, nlocal, remote[i].keyid);
		accord_sync_relation rel;

		if (accord_sync_classify(&rel, store, l ? &l->head : NULL, &remote[i].head) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, sizeof(hex), &remote[i].head);
			add_refused(res, remote[i].keyid, hex, accord_error_last());
			continue;
		}
		if (rel == ACCORD_SYNC_NEW || rel == ACCORD_SYNC_AHEAD) {
			accord_sync_candidate *c = PUSH(*cands, *ncands);

			c->head = remote[i];
			res->fetched += count_new(store, &remote[i].head, l ? &l->head : NULL);
		} else if (rel == ACCORD_SYNC_FORK &&
			   (error = handle_fork(res, store, remote[i].keyid, &l->head,
						&remote[i].head)) < 0) {
			return error;
		}
	}
	return 0;
}

/* Move each feed ref onto what the verification took of its candidate, never past it. */
static int take_candidates(accord_sync_result *res, accord_store *store,
			   const accord_sync_candidate *cands, size_t ncands,
			   const accord_head *local, size_t nlocal, const accord_ledger *before,
			   const accord_ledger *verified)
{
	size_t i;
	int error;

	for (i = 0; i < ncands; i++) {
		const accord_head *l = find_head(local, nlocal, cands[i].head.keyid);
		const accord_feed *was =
			before ? accord_ledger_feed(before, cands[i].head.keyid) : NULL;
		const accord_feed *now = accord_ledger_feed(verified, cands[i].head.keyid);
		accord_sync_accepted *a;
		accord_buf ref = ACCORD_BUF_INIT;

		/* a fork this copy already holds proof of is not news: audit lists it */
		if (cands[i].refused && !(cands[i].kind == ACCORD_AUDIT_EQUIVOCATION &&
					  has_evidence(store, cands[i].head.keyid)))
			*PUSH(res->refused, res->refused_count) = cands[i];
		/* Never move a feed ref onto an entry that does not count. */
		if (git_oid_is_zero(&cands[i].take) ||
		    (l && git_oid_equal(&cands[i].take, &l->head)))
			continue;
		accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, cands[i].head.keyid);
		error = ref_create(store, ref.ptr, &cands[i].take, l ? &l->head : NULL);
		accord_buf_dispose(&ref);
		if (error < 0)
			return error;
		a = PUSH(res->accepted, res->accepted_count);
		memcpy(a->feed, cands[i].head.keyid, sizeof(a->feed));
		a->from = was ? was->seq : 0;
		a->to = now ? now->seq : 0;
	}
	return 0;
}

/*
 * Our feeds the remote lacks or is behind on, each only over what we saw
 * there: what counts or is set aside by a rule, up to the feed's first
 * fault, and nothing the remote would refuse as too early.
 */
static void plan_feed_pushes(accord_transport_update **pushes, size_t *npushes, accord_store *store,
			     accord_head *local, size_t nlocal, const accord_head *remote,
			     size_t nremote, const accord_ledger *verified,
			     const accord_verification *vv)
{
	size_t i;

	for (i = 0; i < nlocal; i++) {
		const accord_head *r = find_head(remote, nremote, local[i].keyid);
		const accord_beyond *beyond = accord_ledger_beyond(verified, local[i].keyid);
		accord_sync_relation rel;
		accord_buf ref = ACCORD_BUF_INIT;
		accord_transport_update *u;

		if (beyond && git_oid_equal(&beyond->head, &local[i].head)) {
			const accord_verified_feed *f =
				accord_verification_feed(vv, local[i].keyid);

			if (!f || f->kept == 0)
				continue;
			local[i].head = f->kept_head;
		}
		if (early_before(&local[i].head, verified, vv, local[i].keyid) < 0)
			continue;
		if (accord_sync_classify(&rel, store, &local[i].head, r ? &r->head : NULL) < 0 ||
		    (rel != ACCORD_SYNC_MISSING && rel != ACCORD_SYNC_BEHIND))
			continue;
		accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, local[i].keyid);
		u = PUSH(*pushes, *npushes);
		u->ref = accord_buf_detach(&ref);
		u->new_id = local[i].head;
		if (r)
			u->old_id = r->head;
	}
}

/* Our evidence refs (proofs of forks) the remote does not hold. */
static int plan_evidence_pushes(accord_transport_update **pushes, size_t *npushes,
				accord_store *store, const char *qevidence)
{
	git_strarray ev = { NULL, 0 };
	size_t i;
	int error;

	if ((error = accord_store_ref_list(&ev, store, ACCORD_EVIDENCE_PREFIX)) < 0)
		return error;
	for (i = 0; i < ev.count; i++) {
		accord_buf q = ACCORD_BUF_INIT;
		git_oid there;

		accord_buf_printf(&q, "%s%s", qevidence,
				  ev.strings[i] + strlen(ACCORD_EVIDENCE_PREFIX));
		if (accord_store_ref_get(&there, store, q.ptr) == ACCORD_ENOTFOUND &&
		    accord_store_ref_get(&there, store, ev.strings[i]) == 0) {
			accord_transport_update *u = PUSH(*pushes, *npushes);

			u->ref = xstrdup(ev.strings[i]);
			u->new_id = there;
		}
		accord_buf_dispose(&q);
	}
	git_strarray_dispose(&ev);
	return 0;
}

/* What the remote took: listed, and its feed heads as now seen there (`after`). */
static void record_pushed(accord_sync_result *res, const accord_transport_update *pushes,
			  size_t npushes, accord_head *after, size_t *nafter)
{
	size_t i;

	for (i = 0; i < npushes; i++) {
		const char *ref = pushes[i].ref;

		if (pushes[i].status != ACCORD_PUSH_OK)
			continue;
		*PUSH(res->pushed, res->pushed_count) = xstrdup(ref);
		if (strncmp(ref, ACCORD_FEED_PREFIX, strlen(ACCORD_FEED_PREFIX)) == 0) {
			const char *k = ref + strlen(ACCORD_FEED_PREFIX);
			accord_head *a = (accord_head *)find_head(after, *nafter, k);

			if (!a)
				a = &after[(*nafter)++];
			memcpy(a->keyid, k, sizeof(a->keyid));
			a->head = pushes[i].new_id;
		}
	}
}

static int sync_once(accord_sync_result *res, accord_store *store, const char *name,
		     const accord_sync_options *opts)
{
	accord_head *local = NULL, *remote = NULL, *seen = NULL, *after = NULL;
	size_t nlocal = 0, nremote = 0, nseen = 0, nafter = 0, ncands = 0, nbad = 0, i;
	accord_sync_candidate *cands = NULL;
	accord_ledger *before = NULL, *verified = NULL;
	accord_ledger_options opts_before = ACCORD_LEDGER_OPTIONS_INIT;
	accord_verification *vv = NULL;
	char **bad = NULL, *seenfile = NULL;
	accord_transport_update *pushes = NULL;
	size_t npushes = 0;
	accord_buf qfeeds = ACCORD_BUF_INIT, qevidence = ACCORD_BUF_INIT,
		   quarantine = ACCORD_BUF_INIT;
	int error, locked = 0;

	/*
	 * The write lock covers the quarantine refs too, from the fetch to
	 * the ref updates; appends wait meanwhile. It is released before the
	 * push, so two ledgers syncing with each other never wait in a cycle.
	 */
	if ((error = accord_store_lock(store)) < 0)
		goto fail;
	locked = 1;
	accord_buf_printf(&quarantine, "%s%s/", ACCORD_QUARANTINE_PREFIX, name);
	if ((error = accord_transport_fetch(store, name, name, quarantine.ptr,
					    opts ? &opts->transport : NULL)) < 0)
		goto fail;
	if ((error = accord_ledger_local_heads(&local, &nlocal, store)) < 0)
		goto fail;
	opts_before.heads = local;
	opts_before.head_count = nlocal;
	if ((error = accord_ledger_open(&before, store, &opts_before)) < 0) {
		if (error == ACCORD_ENOTFOUND)
			error = accord_error_set(
				ACCORD_ENOTFOUND,
				"no ledger here to sync (use accord clone URL DIR)");
		else
			error = accord_error_wrap(ACCORD_EBADSIG,
						  "the local ledger does not verify");
		goto fail;
	}
	accord_buf_printf(&qfeeds, "%s%s/feeds/", ACCORD_QUARANTINE_PREFIX, name);
	accord_buf_printf(&qevidence, "%s%s/evidence/", ACCORD_QUARANTINE_PREFIX, name);
	if ((error = list_feeds(&remote, &nremote, store, qfeeds.ptr, &bad, &nbad)) < 0 ||
	    (error = refuse_outside_layout(res, store, name, &qfeeds, &qevidence, &bad, &nbad)) <
		    0 ||
	    (error = classify_remote(res, &cands, &ncands, store, local, nlocal, remote, nremote)) <
		    0)
		goto fail;

	{
		accord_head *evh = NULL;
		char **evnames = NULL;
		size_t nev = 0;

		/* One verification of the local feeds, the candidates and the incoming evidence. */
		error = list_evidence(&evh, &evnames, &nev, store, qevidence.ptr);
		if (error == 0)
			error = accord_sync_verify(&verified, &vv, store, local, nlocal, cands,
						   ncands, evh, nev);
		for (i = 0; i < nev; i++)
			free(evnames[i]);
		free(evnames);
		free(evh);
		if (error < 0)
			goto fail;
	}
	res->verified = verified->count;
	if (opts && opts->progress)
		opts->progress(name, "verifying entries", verified->count, verified->count,
			       opts->payload);
	if ((error = take_candidates(res, store, cands, ncands, local, nlocal, before, verified)) <
		    0 ||
	    (error = take_evidence(res, store, qevidence.ptr, vv, verified)) < 0)
		goto fail;

	/* Rollbacks: the remote's heads now against those seen there last time. */
	if ((error = seen_path(&seenfile, store, name)) < 0 ||
	    (error = accord_sync_heads_read(&seen, &nseen, seenfile)) < 0 ||
	    (error = accord_sync_rollbacks(&res->rollbacks, &res->rollback_count, store, seen,
					   nseen, remote, nremote)) < 0)
		goto fail;

	if (opts && opts->key && res->refused_count == 0 && res->evidence_count == 0 &&
	    (error = write_checkpoint(res->checkpoint, verified, opts->key, name)) < 0)
		goto fail;
	accord_store_unlock(store);
	locked = 0;

	/* Push what the remote lacks or is behind on, each only over what we saw there. */
	free(local);
	local = NULL;
	if ((error = list_feeds(&local, &nlocal, store, ACCORD_FEED_PREFIX, NULL, NULL)) < 0)
		goto fail;
	after = xcalloc(nremote + nlocal + 1, sizeof(*after));
	if (nremote)
		memcpy(after, remote, nremote * sizeof(*after));
	nafter = nremote;
	plan_feed_pushes(&pushes, &npushes, store, local, nlocal, remote, nremote, verified, vv);
	if ((error = plan_evidence_pushes(&pushes, &npushes, store, qevidence.ptr)) < 0)
		goto fail;
	if (npushes) {
		error = accord_transport_push(store, name, name, pushes, npushes,
					      opts ? &opts->transport : NULL);
		record_pushed(res, pushes, npushes, after, &nafter);
		if (error < 0) {
			result_error(res);
			/* What was seen stays recorded even when the push failed. */
			accord_sync_heads_write(seenfile, after, nafter);
			goto done;
		}
	}
	if ((error = accord_sync_heads_write(seenfile, after, nafter)) < 0)
		goto fail;
	error = (res->refused_count || res->evidence_count) ? ACCORD_EBADSIG : 0;
	goto done;
fail:
	result_error(res);
done:
	if (locked)
		accord_store_unlock(store);
	for (i = 0; i < nbad; i++)
		free(bad[i]);
	free(bad);
	for (i = 0; i < npushes; i++)
		free((char *)pushes[i].ref);
	free(pushes);
	accord_ledger_free(before);
	accord_ledger_free(verified);
	accord_verification_free(vv);
	free(local);
	free(remote);
	free(seen);
	free(after);
	free(cands);
	free(seenfile);
	accord_buf_dispose(&qfeeds);
	accord_buf_dispose(&qevidence);
	accord_buf_dispose(&quarantine);
	return error;
}

/* Whether `c` is refused in res->refused[0..n) already (a later round found it again). */
static int refused_before(const accord_sync_result *res, size_t n, const accord_sync_candidate *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(res->refused[i].head.keyid, c->head.keyid) &&
		    !strcmp(res->refused[i].entry, c->entry) &&
		    !strcmp(res->refused[i].reason, c->reason))
			return 1;
	return 0;
}

/*
 * Fold what a further round found into the result: a feed taken in two
 * rounds is one feed taken from where it was to where it is, a refusal
 * said twice is said once.
 */
static void merge_round(accord_sync_result *res, size_t accepted0, size_t refused0)
{
	size_t i, j, n = accepted0, m = refused0;

	for (i = accepted0; i < res->accepted_count; i++) {
		for (j = 0; j < accepted0; j++)
			if (!strcmp(res->accepted[j].feed, res->accepted[i].feed))
				break;
		if (j < accepted0)
			res->accepted[j].to = res->accepted[i].to;
		else
			res->accepted[n++] = res->accepted[i];
	}
	res->accepted_count = n;
	for (i = refused0; i < res->refused_count; i++)
		if (!refused_before(res, refused0, &res->refused[i]))
			res->refused[m++] = res->refused[i];
	res->refused_count = m;
}

int accord_sync_remote(accord_sync_result **out, accord_store *store, const char *name,
		       const accord_sync_options *opts)
{
	accord_sync_result *res = xcalloc(1, sizeof(*res));
	int error, round;

	res->remote = xstrdup(name);
	if ((error = accord_sync_remote_url(&res->url, NULL, store, name)) < 0) {
		result_error(res);
		*out = res;
		return error;
	}
	/* A hub that moves between our fetch and our push: fetch, verify and push again. */
	for (round = 1;; round++) {
		size_t accepted0 = res->accepted_count, refused0 = res->refused_count;

		error = sync_once(res, store, name, opts);
		merge_round(res, accepted0, refused0);
		if (error != ACCORD_EMODIFIED)
			break;
		if (round == ACCORD_SYNC_ROUNDS) {
			error = accord_error_set(
				ACCORD_ERROR,
				"%s kept moving during the sync; gave up after %d rounds of fetch, verify and push",
				name, round);
			result_error(res);
			break;
		}
		free(res->error);
		res->error = NULL;
	}
	res->rounds = round;
	*out = res;
	return error;
}

void accord_sync_result_free(accord_sync_result *res)
{
	size_t i;

	if (!res)
		return;
	free(res->remote);
	free(res->url);
	free(res->accepted);
	free(res->refused);
	free(res->evidence);
	free(res->rollbacks);
	for (i = 0; i < res->pushed_count; i++)
		free(res->pushed[i]);
	free(res->pushed);
	free(res->error);
	free(res);
}

cJSON *accord_sync_result_json(const accord_sync_result *res)
{
	cJSON *o = cJSON_CreateObject(), *a;
	size_t i;

	cJSON_AddStringToObject(o, "remote", res->remote);
	cJSON_AddStringToObject(o, "url", res->url ? res->url : "");
	cJSON_AddNumberToObject(o, "fetched", (double)res->fetched);
	a = cJSON_AddArrayToObject(o, "accepted");
	for (i = 0; i < res->accepted_count; i++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "feed", res->accepted[i].feed);
		cJSON_AddNumberToObject(x, "from", (double)res->accepted[i].from);
		cJSON_AddNumberToObject(x, "to", (double)res->accepted[i].to);
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "refused");
	for (i = 0; i < res->refused_count; i++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "feed", res->refused[i].head.keyid);
		if (res->refused[i].entry[0])
			cJSON_AddStringToObject(x, "entry", res->refused[i].entry);
		else
			cJSON_AddNullToObject(x, "entry");
		cJSON_AddStringToObject(x, "reason", res->refused[i].reason);
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "evidence");
	for (i = 0; i < res->evidence_count; i++) {
		cJSON *x = cJSON_CreateObject(), *e;

		cJSON_AddStringToObject(x, "feed", res->evidence[i].feed);
		cJSON_AddNumberToObject(x, "seq", (double)res->evidence[i].seq);
		e = cJSON_AddArrayToObject(x, "entries");
		cJSON_AddItemToArray(e, cJSON_CreateString(res->evidence[i].local));
		cJSON_AddItemToArray(e, cJSON_CreateString(res->evidence[i].remote));
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "rollbacks");
	for (i = 0; i < res->rollback_count; i++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "feed", res->rollbacks[i].feed);
		cJSON_AddStringToObject(x, "seen", res->rollbacks[i].seen);
		if (res->rollbacks[i].now[0])
			cJSON_AddStringToObject(x, "now", res->rollbacks[i].now);
		else
			cJSON_AddNullToObject(x, "now");
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "pushed");
	for (i = 0; i < res->pushed_count; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(res->pushed[i]));
	if (res->checkpoint[0])
		cJSON_AddStringToObject(o, "checkpoint", res->checkpoint);
	else
		cJSON_AddNullToObject(o, "checkpoint");
	cJSON_AddNumberToObject(o, "verified", (double)res->verified);
	cJSON_AddNumberToObject(o, "rounds", (double)res->rounds);
	if (res->error)
		cJSON_AddStringToObject(o, "error", res->error);
	return o;
}

/* ------------------------------------------------------------------ */
/* Remotes and clone */

/* A config value, or NULL if unset. */
static char *config_string(git_config *cfg, const char *fmt, const char *name)
{
	accord_buf key = ACCORD_BUF_INIT;
	git_buf value = GIT_BUF_INIT_CONST(NULL, 0);
	char *out = NULL;

	accord_buf_printf(&key, fmt, name);
	if (git_config_get_string_buf(&value, cfg, key.ptr) == 0)
		out = xstrdup(value.ptr);
	git_buf_dispose(&value);
	accord_buf_dispose(&key);
	return out;
}

int accord_sync_remote_url(char **url, char **pushurl, accord_store *store, const char *name)
{
	git_config *cfg = NULL;
	int error;

	if ((error = git_repository_config_snapshot(&cfg, accord_store_repo(store))) < 0)
		return accord_error_git(error, "reading git config");
	*url = config_string(cfg, "remote.%s.url", name);
	if (pushurl)
		*pushurl = config_string(cfg, "remote.%s.pushurl", name);
	git_config_free(cfg);
	if (!*url) {
		if (pushurl) {
			free(*pushurl);
			*pushurl = NULL;
		}
		return accord_error_set(ACCORD_ENOTFOUND, "no remote '%s' (see accord remote add)",
					name);
	}
	return 0;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int accord_sync_remote_list(git_strarray *out, accord_store *store)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *entry;
	char **names = NULL;
	size_t n = 0, i;
	int error;

	if ((error = git_repository_config_snapshot(&cfg, accord_store_repo(store))) < 0)
		return accord_error_git(error, "reading git config");
	if ((error = git_config_iterator_new(&it, cfg)) < 0) {
		git_config_free(cfg);
		return accord_error_git(error, "reading git config");
	}
	while (git_config_next(&entry, it) == 0) {
		size_t len = strlen(entry->name);

		/* remote.<name>.url, where <name> may hold dots */
		if (len <= 11 || strncmp(entry->name, "remote.", 7) != 0 ||
		    strcmp(entry->name + len - 4, ".url") != 0)
			continue;
		for (i = 0; i < n; i++)
			if (strlen(names[i]) == len - 11 &&
			    !strncmp(names[i], entry->name + 7, len - 11))
				break;
		if (i < n)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = xcalloc(len - 10, 1);
		memcpy(names[n++], entry->name + 7, len - 11);
	}
	git_config_iterator_free(it);
	git_config_free(cfg);
	if (n)
		qsort(names, n, sizeof(*names), cmp_cstr);
	out->strings = names;
	out->count = n;
	return 0;
}

int accord_sync_remote_add(accord_store *store, const char *name, const char *url)
{
	git_config *cfg = NULL;
	char *spec, *have = NULL;
	accord_buf key = ACCORD_BUF_INIT;
	int error, valid = 0;

	if (git_remote_name_is_valid(&valid, name) < 0 || !valid || strchr(name, '%'))
		return accord_error_set(ACCORD_EINVALID, "'%s' is not a valid remote name", name);
	if (accord_sync_remote_url(&have, NULL, store, name) == 0) {
		free(have);
		return accord_error_set(ACCORD_EEXISTS, "remote '%s' already exists", name);
	}
	if ((error = git_repository_config(&cfg, accord_store_repo(store))) < 0)
		return accord_error_git(error, "opening git config");
	spec = accord_sync_refspec(name);
	accord_buf_printf(&key, "remote.%s.url", name);
	error = git_config_set_string(cfg, key.ptr, url);
	if (error == 0) {
		accord_buf_clear(&key);
		accord_buf_printf(&key, "remote.%s.fetch", name);
		error = git_config_set_string(cfg, key.ptr, spec);
	}
	git_config_free(cfg);
	free(spec);
	accord_buf_dispose(&key);
	return error < 0 ? accord_error_git(error, name) : 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Remove what clone made: `dir` itself if it created it, else its contents. */
static void clone_cleanup(const char *dir, int created)
{
	if (created) {
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	{
		accord_buf git = ACCORD_BUF_INIT;

		accord_buf_printf(&git, "%s/.git", dir);
		nftw(git.ptr, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		accord_buf_dispose(&git);
	}
}

/* git's rule (url_is_local_not_ssh): no ':' at all, or a '/' before the first one. */
static int is_local_path(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	return !colon || (slash && slash < colon);
}

static int dir_is_empty(const char *dir)
{
	accord_buf cmd = ACCORD_BUF_INIT;
	DIR *d = opendir(dir);
	struct dirent *de;
	int empty = 1;

	accord_buf_dispose(&cmd);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

int accord_sync_clone(char *out_id, accord_sync_result **out_res, const char *url, const char *dir,
		      const accord_sync_options *opts)
{
	accord_store *store = NULL;
	accord_verification *v = NULL;
	accord_ledger *l = NULL;
	accord_head *heads = NULL;
	accord_sync_candidate *cands = NULL;
	accord_sync_result *scratch = NULL;
	size_t n = 0, i, nbad = 0;
	char **bad = NULL, *abs_url = NULL, *seenfile = NULL;
	struct stat st;
	int created = 0, error;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || !dir_is_empty(dir))
			return accord_error_set(ACCORD_EEXISTS,
						"%s exists and is not an empty folder", dir);
	} else if (errno == ENOENT) {
		if (mkdir(dir, 0777) < 0)
			return accord_error_set(ACCORD_ERROR, "can't create %s: %s", dir,
						strerror(errno));
		created = 1;
	} else {
		return accord_error_set(ACCORD_ERROR, "can't use %s: %s", dir, strerror(errno));
	}
	scratch = xcalloc(1, sizeof(*scratch));
	/* A local path is kept absolute, so the remote works from anywhere. */
	if (is_local_path(url))
		abs_url = realpath(url, NULL);
	if (!abs_url)
		abs_url = xstrdup(url);
	if ((error = accord_store_open_or_init(&store, dir)) < 0)
		goto done;
	if ((error = accord_transport_fetch(store, url, abs_url, ACCORD_QUARANTINE_PREFIX "origin/",
					    opts ? &opts->transport : NULL)) < 0)
		goto done;
	if ((error = list_feeds(&heads, &n, store, ACCORD_QUARANTINE_PREFIX "origin/feeds/", &bad,
				&nbad)) < 0)
		goto done;
	for (i = 0; i < nbad; i++) {
		accord_buf why = ACCORD_BUF_INIT;

		accord_buf_printf(&why, "the remote's ref %s is outside the ledger layout; ignored",
				  bad[i]);
		add_refused(scratch, "", NULL, why.ptr);
		accord_buf_dispose(&why);
	}
	if (n == 0) {
		error = accord_error_set(ACCORD_ENOTFOUND,
					 "%s holds no ledger (no refs/accord/feeds/)", url);
		goto done;
	}
	cands = xcalloc(n, sizeof(*cands));
	for (i = 0; i < n; i++)
		cands[i].head = heads[i];
	{
		accord_head *evh = NULL;
		char **evnames = NULL;
		size_t nev = 0;

		/* A copy of a ledger whose genesis verifies: what counts, its findings, its evidence. */
		error = list_evidence(&evh, &evnames, &nev, store,
				      ACCORD_QUARANTINE_PREFIX "origin/evidence/");
		if (error == 0)
			error = accord_sync_verify(&l, &v, store, NULL, 0, cands, n, evh, nev);
		for (i = 0; i < nev; i++)
			free(evnames[i]);
		free(evnames);
		free(evh);
	}
	if (error < 0) {
		error = accord_error_wrap(ACCORD_EBADSIG, "%s does not verify", url);
		goto done;
	}
	/*
	 * A hub can serve a ledger that verifies but is not the one meant: the
	 * same names, another genesis. The id the inviter gave is the only
	 * thing a look-alike cannot copy.
	 */
	if (opts && opts->expect_ledger && strcmp(l->id, opts->expect_ledger) != 0) {
		error = accord_error_set(
			ACCORD_EBADSIG,
			"%s holds ledger %s, not the expected %s; nothing was cloned", url, l->id,
			opts->expect_ledger);
		goto done;
	}
	if (opts && opts->progress)
		opts->progress("origin", "verifying entries", l->count, l->count, opts->payload);
	for (i = 0; i < n; i++) {
		accord_buf ref = ACCORD_BUF_INIT;

		if (cands[i].refused)
			*PUSH(scratch->refused, scratch->refused_count) = cands[i];
		if (git_oid_is_zero(&cands[i].take))
			continue;
		accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, heads[i].keyid);
		error = ref_create(store, ref.ptr, &cands[i].take, NULL);
		accord_buf_dispose(&ref);
		if (error < 0)
			goto done;
		{
			accord_sync_accepted *a = PUSH(scratch->accepted, scratch->accepted_count);
			const accord_feed *now = accord_ledger_feed(l, heads[i].keyid);

			memcpy(a->feed, heads[i].keyid, sizeof(a->feed));
			a->to = now ? now->seq : 0;
		}
	}
	if ((error = take_evidence(scratch, store, ACCORD_QUARANTINE_PREFIX "origin/evidence/", v,
				   l)) < 0)
		goto done;
	scratch->verified = l->count;
	if ((error = accord_store_config_set(store, "accord.ledger", l->id)) < 0 ||
	    (error = accord_sync_remote_add(store, "origin", abs_url)) < 0 ||
	    (error = seen_path(&seenfile, store, "origin")) < 0 ||
	    (error = accord_sync_heads_write(seenfile, heads, n)) < 0)
		goto done;
	memcpy(out_id, l->id, ACCORD_ID_HEXLEN + 1);
	if (out_res) {
		*out_res = scratch;
		scratch = NULL;
	}
done:
	accord_ledger_free(l);
	accord_verification_free(v);
	accord_store_free(store);
	if (error < 0)
		clone_cleanup(dir, created);
	for (i = 0; i < nbad; i++)
		free(bad[i]);
	free(bad);
	free(heads);
	free(cands);
	free(abs_url);
	free(seenfile);
	accord_sync_result_free(scratch);
	return error;
}

/* ------------------------------------------------------------------ */
/* The hub's pre-receive check */

int accord_sync_check_push(accord_store *store, const accord_ref_update *u, size_t count)
{
	accord_head *heads = NULL, *evh = xcalloc(count + 1, sizeof(*evh));
	accord_sync_candidate *cands = xcalloc(count + 1, sizeof(*cands));
	evidence_item *items = xcalloc(count + 1, sizeof(*items));
	accord_verification *v = NULL;
	accord_ledger *l = NULL;
	accord_buf why = ACCORD_BUF_INIT;
	size_t nhub = 0, ncands = 0, nev = 0, i, refused = 0;
	int error, touched = 0;

	if ((error = accord_ledger_local_heads(&heads, &nhub, store)) < 0) {
		error = accord_error_wrap(error, "the hub's ledger refs are malformed");
		goto done;
	}
	for (i = 0; i < count; i++) {
		const char *ref = u[i].ref, *k;
		int deleting = git_oid_is_zero(&u[i].new_id),
		    creating = git_oid_is_zero(&u[i].old_id);

		if (strncmp(ref, ACCORD_REF_PREFIX, strlen(ACCORD_REF_PREFIX)) != 0)
			continue; /* branches and tags are not the ledger's business */
		if ((k = feed_keyid(ref, ACCORD_FEED_PREFIX))) {
			accord_sync_candidate *h = NULL;
			size_t j;
			int r;

			if (deleting) {
				error = accord_error_set(ACCORD_EDENIED,
							 "%s: a feed may not be deleted", ref);
				goto done;
			}
			if (!creating && !git_oid_equal(&u[i].old_id, &u[i].new_id)) {
				r = accord_chain_descendant_of(store, &u[i].new_id, &u[i].old_id);
				if (r < 0) {
					error = accord_error_wrap(ACCORD_EDENIED,
								  "%s: its chain cannot be read",
								  ref);
					goto done;
				}
				if (r != 1) {
					error = accord_error_set(
						ACCORD_EDENIED,
						"%s: not a fast-forward (a feed may only grow)",
						ref);
					goto done;
				}
			}
			for (j = 0; j < ncands; j++)
				if (strcmp(cands[j].head.keyid, k) == 0)
					h = &cands[j];
			if (!h) {
				h = &cands[ncands++];
				memcpy(h->head.keyid, k, sizeof(h->head.keyid));
			}
			h->head.head = u[i].new_id;
			touched = 1;
		} else if (strncmp(ref, ACCORD_EVIDENCE_PREFIX, strlen(ACCORD_EVIDENCE_PREFIX)) ==
			   0) {
			if (!creating || deleting) {
				error = accord_error_set(
					ACCORD_EDENIED,
					"%s: evidence may only be added, never moved or deleted",
					ref);
				goto done;
			}
			read_evidence_item(&items[nev], store, ref + strlen(ACCORD_EVIDENCE_PREFIX),
					   &u[i].new_id);
			if (!items[nev].e) {
				error = accord_error_set(items[nev].misnamed ? ACCORD_EDENIED
									     : ACCORD_EBADSIG,
							 "%s: %s", ref, items[nev].why);
				goto done;
			}
			memcpy(evh[nev].keyid, items[nev].keyid, sizeof(evh[nev].keyid));
			evh[nev].head = u[i].new_id;
			nev++;
			touched = 1;
		} else {
			error = accord_error_set(
				ACCORD_EDENIED,
				"%s is outside the ledger layout (%s<key id>, %s<key id>/<commit>)",
				ref, ACCORD_FEED_PREFIX, ACCORD_EVIDENCE_PREFIX);
			goto done;
		}
	}
	if (!touched)
		goto done;
	/* One pass over the hub's feeds with the pushed ones in place: linear in the push. */
	if ((error = accord_sync_verify(&l, &v, store, heads, nhub, cands, ncands, evh, nev)) < 0) {
		error = accord_error_wrap(ACCORD_EBADSIG,
					  "the ledger this push would make has no valid genesis");
		goto done;
	}
	for (i = 0; i < ncands; i++) {
		if (!cands[i].refused)
			continue;
		/* What was on the hub before is not this push's fault. */
		if (!git_oid_is_zero(&cands[i].take) &&
		    git_oid_equal(&cands[i].take, &cands[i].head.head))
			continue;
		accord_buf_printf(&why, "%s%s%s: %s", refused++ ? "; " : "", ACCORD_FEED_PREFIX,
				  cands[i].head.keyid, cands[i].reason);
	}
	check_evidence(items, nev, v, l);
	for (i = 0; i < nev; i++)
		if (items[i].why[0])
			accord_buf_printf(&why, "%s%s%s/%s: %s", refused++ ? "; " : "",
					  ACCORD_EVIDENCE_PREFIX, items[i].keyid,
					  git_oid_tostr_s(&items[i].commit), items[i].why);
	if (refused)
		error = accord_error_set(ACCORD_EBADSIG, "%zu refused: %s", refused, why.ptr);
done:
	accord_buf_dispose(&why);
	accord_verification_free(v);
	accord_ledger_free(l);
	evidence_items_free(items, nev);
	free(evh);
	free(heads);
	free(cands);
	return error;
}
