/*
 * Reading through the index: an incident by id prefix, the shortest
 * unique prefix, the list of incidents and their entries; a file that
 * turns out damaged repairs the index and the question is asked again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "encode.h"
#include "accord/error.h"
#include "json.h"
#include "accord/incident.h"
#include "accord/timefmt.h"

#include <sodium.h>

#include "index.h"
#include "index_impl.h"
#include "array.h"
#include "alloc.h"

static void free_strings(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* Take the tree of the state `from` was read from: the files it vouches for. */
static void adopt_tree(struct accord_index *ix, const struct accord_index *from)
{
	accord_index_drop_buckets(ix);
	ix->opens = from->opens;
	memcpy(ix->opens_head, from->opens_head, sizeof(ix->opens_head));
	memcpy(ix->state_tag, from->state_tag, sizeof(ix->state_tag));
	memcpy(ix->shelf_tag, from->shelf_tag, sizeof(ix->shelf_tag));
	memcpy(ix->has_shelf, from->has_shelf, sizeof(ix->has_shelf));
	accord_index_recent_drop(ix);
	ix->has_recent = from->has_recent;
	memcpy(ix->recent_tag, from->recent_tag, sizeof(ix->recent_tag));
}

/*
 * An index file turned out not to match the state this ledger read (a
 * bucket, a shelf or `opens` edited, dropped or put back from
 * earlier), under the write lock (taken once, *locked says so). First
 * round: if the state moved on since (another process appended), take its
 * tree and try again. Otherwise, or the second time, re-derive the index
 * from the refs by a full verification. The ledger's state was authentic
 * and current, so it stays as it is.
 */
static int repair(accord_ledger *l, int round, int *locked)
{
	struct accord_index *ix = l->index;
	accord_ledger *fresh = NULL;
	int error;

	if (!*locked && accord_store_lock_held(l->store) == 0) {
		if ((error = accord_store_lock(l->store)) < 0)
			return error;
		*locked = 1;
	}
	if (round == 0 && accord_index_load_state(&fresh, l->store, ix->dir, ix->key) == 0 &&
	    sodium_memcmp(fresh->index->state_tag, ix->state_tag, TAG_LEN) != 0) {
		adopt_tree(ix, fresh->index);
		accord_ledger_free(fresh);
		return 0;
	}
	accord_ledger_free(fresh);
	fresh = NULL;
	accord_error_clear();
	error = accord_index_rebuild(l->store, ix->dir, ix->key);
	if (error == 0 &&
	    (error = accord_index_load_state(&fresh, l->store, ix->dir, ix->key)) == 0)
		adopt_tree(ix, fresh->index);
	accord_ledger_free(fresh);
	return error;
}

#define INDEX_DAMAGED(error) ((error) == ACCORD_EINVALID || (error) == ACCORD_ENOTFOUND_INDEX)

/*
 * Call fn(l, ...) again after a repair when it found the index damaged:
 * what the index says is never taken over a full verification.
 */
#define WITH_REPAIR(l, call)                                                     \
	do {                                                                     \
		int round_, locked_ = 0;                                         \
                                                                                 \
		error = (call);                                                  \
		for (round_ = 0; round_ < 2 && INDEX_DAMAGED(error); round_++) { \
			if ((error = repair(l, round_, &locked_)) == 0)          \
				error = (call);                                  \
		}                                                                \
		if (locked_)                                                     \
			accord_store_unlock((l)->store);                         \
	} while (0)

/*
 * The incident ids that start with `prefix`, at most `max` of them (0:
 * all), from the buckets the prefix can be in (one when it has three
 * digits or more: O(incidents / 4096)). ACCORD_EINVALID when a bucket or
 * its shelf does not match the state.
 */
static int ids_matching(char ***out, size_t *count, struct accord_index *ix, const char *prefix,
			size_t max)
{
	size_t plen = strlen(prefix), i;
	unsigned b, first, last;
	int error = 0;

	*out = NULL;
	*count = 0;
	/* a prefix of three digits or more names its bucket: the others are not looked at */
	first = plen >= 3 ? accord_index_bucket_of(prefix) : 0;
	last = plen >= 3 ? first + 1 : BUCKETS;
	for (b = first; b < last && error == 0; b++) {
		static const char digits[] = "0123456789abcdef";
		const char name[4] = { digits[b >> 8], digits[b >> 4 & 15], digits[b & 15], '\0' };
		bucket *bk = NULL;

		if (strncmp(name, prefix, plen < 3 ? plen : 3) != 0 ||
		    (error = accord_index_read_bucket(&bk, ix, b)) < 0)
			continue;
		for (i = 0; i < bk->count && !(max && *count >= max); i++) {
			char *copy;

			if (strncmp(bk->rows[i].id, prefix, plen) != 0)
				continue;
			if (!(copy = strdup(bk->rows[i].id)))
				accord_oom();
			accord_index_push_ptr(out, count, copy);
		}
	}
	if (error < 0) {
		free_strings(*out, *count);
		*out = NULL;
		*count = 0;
	}
	return error;
}

static int find_once(const accord_entry **out, accord_ledger *l, const char *prefix)
{
	size_t n = 0, i;
	char **ids = NULL;
	loaded_incident *li;
	int error;

	if ((error = ids_matching(&ids, &n, l->index, prefix, 5)) < 0)
		return error;
	if (n == 0) {
		free(ids);
		return accord_error_set(ACCORD_ENOTFOUND, "no incident %s", prefix);
	}
	if (n > 1) {
		accord_buf list = ACCORD_BUF_INIT;

		for (i = 0; i < n; i++)
			accord_buf_printf(&list, " %.12s", ids[i]);
		error = accord_error_set(ACCORD_EAMBIGUOUS, "incident id %s is ambiguous:%s",
					 prefix, list.ptr);
		accord_buf_dispose(&list);
		free_strings(ids, n);
		return error;
	}
	error = accord_index_load_incident(l, ids[0]);
	li = error == 0 ? accord_index_loaded(l->index, ids[0], 0) : NULL;
	free_strings(ids, n);
	if (error == ACCORD_ENOTFOUND)
		return ACCORD_ENOTFOUND_INDEX; /* listed, but its file is gone */
	if (error < 0)
		return error;
	*out = li->entries[0];
	return 0;
}

int accord_index_find_incident(const accord_entry **out, accord_ledger *l, const char *prefix)
{
	size_t plen = strlen(prefix);
	int error;

	if (plen < 4 || plen > ACCORD_ID_HEXLEN || !accord_is_lower_hex(prefix, plen))
		return accord_error_set(ACCORD_EINVALID,
					"'%s' is not an incident id (4 to 64 lowercase hex digits)",
					prefix);
	WITH_REPAIR(l, find_once(out, l, prefix));
	if (INDEX_DAMAGED(error))
		return accord_error_wrap(ACCORD_EBADSIG, "index");
	return error;
}

int accord_index_short_len_of(size_t *len, struct accord_index *ix, const char *id, size_t min)
{
	char prefix[ACCORD_ID_HEXLEN + 1];
	char **ids = NULL;
	size_t n = 0, i;
	int error;

	/* ids that share fewer than `min` digits with `id` never make it longer than `min` */
	snprintf(prefix, sizeof(prefix), "%.*s",
		 (int)(min < ACCORD_ID_HEXLEN ? min : ACCORD_ID_HEXLEN), id);
	if ((error = ids_matching(&ids, &n, ix, prefix, 0)) < 0)
		return error;
	*len = min;
	for (i = 0; i < n; i++) {
		size_t k = 0;

		if (!strcmp(ids[i], id))
			continue;
		while (k < ACCORD_ID_HEXLEN && ids[i][k] == id[k])
			k++;
		if (k + 1 > *len)
			*len = k + 1;
	}
	free_strings(ids, n);
	return 0;
}

size_t accord_index_short_len(accord_ledger *l, const char *id, size_t min)
{
	/* a list's ids come from `recent`, which knows them: no bucket read for each */
	size_t len = accord_index_recent_short_len(l->index, id, min);
	int error;

	if (len > 0)
		return len;
	WITH_REPAIR(l, accord_index_short_len_of(&len, l->index, id, min));
	if (error < 0)
		return ACCORD_ID_HEXLEN; /* the full id is unique whatever the index says */
	return len;
}

static void reverse_summaries(accord_incident_summary *res, size_t n)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		accord_incident_summary tmp = res[i];

		res[i] = res[n - 1 - i];
		res[n - 1 - i] = tmp;
	}
}

/* A void or duplicate in effect is what list shows and filters by (attack74 03). */
static int status_matches(const char *want, const accord_incident_summary *s)
{
	const char *status = s->closed_as[0] ? s->closed_as : s->status;

	if (!want)
		return 1;
	if (!strcmp(want, "open"))
		return strcmp(status, "resolved") && strcmp(status, "closed") && !s->closed_as[0];
	return !strcmp(want, status);
}

/*
 * How incident `id` was first closed, from its index file, for the chain
 * of a duplicate (as show reads a target: its first joint void or
 * duplicate). Each answer is kept until the list is done with the row.
 */
struct closed_node {
	struct closed_node *next;
	accord_incident_summary s;
};

struct closed_cache {
	struct accord_index *ix;
	struct closed_node *seen;
};

static int index_closed_as(const char **kind, const char **of, int *later, const char *id,
			   void *payload)
{
	struct closed_cache *cc = payload;
	struct closed_node *node;
	incident_file f;

	if (accord_index_read_incident_file(&f, cc->ix, id, 1) < 0)
		return -1;
	node = accord_xcalloc(1, sizeof(*node));
	node->s = f.summary;
	node->next = cc->seen;
	cc->seen = node;
	*later = f.later_count > 0;
	accord_index_incident_file_dispose(&f);
	*kind = node->s.closed_as[0] ? node->s.closed_as : NULL;
	*of = node->s.of[0] ? node->s.of : NULL;
	return 0;
}

/*
 * Which of the row's joint voids and duplicates takes effect, as show
 * settles it (accord_incident_settle_duplicate): the first void, or the
 * first duplicate whose chain ends at an incident that counts (attack74
 * 03, attack75 03).
 */
static void settle_summary(incident_file *f, struct accord_index *ix)
{
	accord_incident_summary *s = &f->summary;
	struct closed_cache cc = { ix, NULL };
	size_t i = 0;

	while (s->closed_as[0] && !strcmp(s->closed_as, "duplicate") &&
	       accord_duplicate_why_not(s->id, s->of, index_closed_as, &cc)) {
		if (i < f->later_count) {
			memcpy(s->closed_as, f->later[i].kind, sizeof(s->closed_as));
			memcpy(s->of, f->later[i].of, sizeof(s->of));
			i++;
		} else {
			s->closed_as[0] = s->of[0] = '\0';
		}
	}
	while (cc.seen) {
		struct closed_node *next = cc.seen->next;

		free(cc.seen);
		cc.seen = next;
	}
}

static int list_once(accord_incident_summary **out, size_t *count, accord_ledger *l,
		     const char *status, size_t limit, int64_t now)
{
	const size_t chunk_lines = 1024;
	struct accord_index *ix = l->index;
	accord_buf path = ACCORD_BUF_INIT;
	accord_incident_summary *res = NULL;
	char trusted[2 * LINE_TAG_LEN + 1];
	size_t n = 0, i, end;
	int fd, error = 0, done = 0;

	*out = NULL;
	*count = 0;
	if (ix->opens == 0)
		return 0;
	accord_buf_printf(&path, "%s/opens", ix->dir);
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC);
	accord_buf_dispose(&path);
	if (fd < 0)
		return accord_error_set(ACCORD_EINVALID, "the index list of incidents is gone");
	/*
	 * Newest first, reading the lines that count backwards a chunk at a
	 * time, so that a limited list costs O(limit), not O(incidents). The
	 * state vouches for the last line's tag, each line for the tag of the
	 * line before it (read with the chunk).
	 */
	memcpy(trusted, ix->opens_head, sizeof(trusted));
	for (end = ix->opens; end > 0 && !done && error == 0;) {
		size_t start = end > chunk_lines ? end - chunk_lines : 0,
		       from = start ? start - 1 : 0;
		size_t len = (end - from) * OPENS_LINE;
		char *buf = malloc(len);

		if (!buf)
			accord_oom();
		if (pread(fd, buf, len, (off_t)(from * OPENS_LINE)) != (ssize_t)len) {
			free(buf);
			error = accord_error_set(ACCORD_EINVALID,
						 "the index list of incidents is damaged");
			break;
		}
		for (i = end; i-- > start && !done;) {
			const char *line = buf + (i - from) * OPENS_LINE;
			const char *prev = i ? line - OPENS_LINE + ACCORD_ID_HEXLEN + 1 : "";
			char want[2 * LINE_TAG_LEN + 1], id[ACCORD_ID_HEXLEN + 1];
			incident_file f;

			if (limit && n >= limit) {
				done = 1;
				break;
			}
			accord_index_opens_tag(want, ix, i, line, prev);
			if (sodium_memcmp(line + ACCORD_ID_HEXLEN + 1, trusted, 2 * LINE_TAG_LEN) !=
				    0 ||
			    sodium_memcmp(want, trusted, 2 * LINE_TAG_LEN) != 0) {
				error = accord_error_set(
					ACCORD_EINVALID,
					"the index list of incidents does not authenticate");
				break;
			}
			snprintf(trusted, sizeof(trusted), "%.32s", prev);
			memcpy(id, line, ACCORD_ID_HEXLEN);
			id[ACCORD_ID_HEXLEN] = '\0';
			if (!accord_index_recent_get(&f, ix, id) &&
			    (error = accord_index_read_incident_file(&f, ix, id, 1)) < 0) {
				error = error == ACCORD_ENOTFOUND ? ACCORD_ENOTFOUND_INDEX : error;
				break;
			}
			settle_summary(&f, ix);
			if (status_matches(status, &f.summary)) {
				f.summary.customer_seconds = accord_impact_customer_seconds(
					f.windows, f.window_count, now,
					&f.summary.customer_running);
				res = realloc(res, (n + 1) * sizeof(*res));
				if (!res)
					accord_oom();
				res[n++] = f.summary;
			}
			accord_index_incident_file_dispose(&f);
		}
		free(buf);
		end = start;
	}
	close(fd);
	if (error) {
		free(res);
		return error;
	}
	reverse_summaries(res, n);
	*out = res;
	*count = n;
	return 0;
}

int accord_index_list(accord_incident_summary **out, size_t *count, size_t *total, accord_ledger *l,
		      const char *status, size_t limit, int64_t now)
{
	int error;

	WITH_REPAIR(l, list_once(out, count, l, status, limit, now));
	if (error == ACCORD_ENOTFOUND_INDEX)
		error = accord_error_set(ACCORD_EINVALID,
					 "the index lists an incident it has no file for");
	if (error == 0)
		*total = l->index->opens;
	return error;
}

/*
 * The summaries of the incidents whose duplicate in effect names `id`: only
 * those its file lists as naming it (d lines) are read and settled, not
 * every incident (issue 14: show at a million entries).
 */
static int duplicates_once(accord_incident_summary **out, size_t *count, accord_ledger *l,
			   const char *id, int64_t now)
{
	accord_incident_summary *res = NULL;
	incident_file x;
	size_t n = 0, i;
	int error;

	*out = NULL;
	*count = 0;
	if ((error = accord_index_read_incident_file(&x, l->index, id, 1)) < 0)
		return error == ACCORD_ENOTFOUND ? ACCORD_ENOTFOUND_INDEX : error;
	for (i = 0; i < x.named_by_count && error == 0; i++) {
		incident_file f;

		if ((error = accord_index_read_incident_file(&f, l->index, x.named_by[i], 1)) < 0) {
			error = error == ACCORD_ENOTFOUND ? ACCORD_ENOTFOUND_INDEX : error;
			break;
		}
		settle_summary(&f, l->index);
		if (!strcmp(f.summary.closed_as, "duplicate") && !strcmp(f.summary.of, id)) {
			f.summary.customer_seconds = accord_impact_customer_seconds(
				f.windows, f.window_count, now, &f.summary.customer_running);
			ACCORD_PUSH(res, n, f.summary);
		}
		accord_index_incident_file_dispose(&f);
	}
	accord_index_incident_file_dispose(&x);
	if (error < 0) {
		free(res);
		return error;
	}
	*out = res;
	*count = n;
	return 0;
}

int accord_index_duplicates(accord_incident_summary **out, size_t *count, accord_ledger *l,
			    const char *id, int64_t now)
{
	int error;

	WITH_REPAIR(l, duplicates_once(out, count, l, id, now));
	if (error == ACCORD_ENOTFOUND_INDEX)
		error = accord_error_set(ACCORD_EINVALID,
					 "the index lists an incident it has no file for");
	return error;
}

/* Derive the summary of `li` (its entries in ledger order) as of `now`. */
static int summarize(accord_incident_summary *out, accord_ledger *l, const loaded_incident *li,
		     int64_t now)
{
	accord_incident *inc = NULL;
	int error;

	if ((error = accord_incident_build_from(&inc, &l->parties, li->entries, li->count,
						accord_incident_ledger_in_past, (void *)l)) < 0)
		return error;
	memset(out, 0, sizeof(*out));
	snprintf(out->id, sizeof(out->id), "%s", inc->id);
	snprintf(out->status, sizeof(out->status), "%s", inc->status);
	out->severity = inc->severity;
	out->opened_at = inc->opened_at;
	out->started_at = inc->started_at;
	out->status_at = inc->status_at;
	snprintf(out->service, sizeof(out->service), "%s", inc->service ? inc->service : "");
	snprintf(out->title, sizeof(out->title), "%s", inc->title ? inc->title : "");
	accord_incident_settle_duplicate_in(inc, l);
	if (inc->closed_as) {
		snprintf(out->closed_as, sizeof(out->closed_as), "%s", inc->closed_as->kind);
		snprintf(out->of, sizeof(out->of), "%s",
			 inc->closed_as->of ? inc->closed_as->of : "");
	}
	out->customer_seconds = accord_impact_customer_seconds(inc->impact, inc->impact_count, now,
							       &out->customer_running);
	accord_incident_free(inc);
	return 0;
}

int accord_index_list_entries(accord_incident_summary **out, size_t *count, size_t *total,
			      accord_ledger *l, const char *status, size_t limit, int64_t now)
{
	loaded_incident **order = NULL;
	accord_incident_summary *res = NULL;
	size_t norder = 0, n = 0, i;
	int error = 0;

	accord_index_group_incidents(&order, &norder, l);
	/* newest first, as through the index, then oldest first */
	for (i = norder; i-- > 0 && error == 0 && !(limit && n >= limit);) {
		accord_incident_summary sm;

		if ((error = summarize(&sm, l, order[i], now)) < 0 || !status_matches(status, &sm))
			continue;
		if (!(res = realloc(res, (n + 1) * sizeof(*res))))
			accord_oom();
		res[n++] = sm;
	}
	accord_index_free_incidents(order, norder);
	if (error < 0) {
		free(res);
		return error;
	}
	reverse_summaries(res, n);
	*out = res;
	*count = n;
	*total = norder;
	return 0;
}
