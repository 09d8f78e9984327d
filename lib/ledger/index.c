#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accord/encode.h"
#include "accord/error.h"
#include "accord/file.h"
#include "accord/json.h"
#include "accord/incident.h"
#include "accord/timefmt.h"

#include <sodium.h>

#include "index.h"

/* A key's type in the state file: nothing for ssh-ed25519, ":<application>" for an sk key. */
#define KEY_TYPE_SUFFIX(k)                               \
	((k)->type == ACCORD_KEY_SK_ED25519 ? ":" : ""), \
		((k)->type == ACCORD_KEY_SK_ED25519 ? (k)->application : "")
#define INDEX_VERSION \
	"accord-index 7" /* 5: a tree of tags from the state down, opens chained; 6: cuts, format 2; 7: agreements */
#define TAG_LEN 32						 /* a file's tag: BLAKE2b-256 */
#define LINE_TAG_LEN 16						 /* an opens line's tag */
#define OPENS_LINE (ACCORD_ID_HEXLEN + 1 + 2 * LINE_TAG_LEN + 1) /* "<id> <tag>\n" */
#define BUCKETS 256 /* incidents/<ab>/: one bucket per first byte of the id */

/* The entries of one incident loaded so far, in ledger order. */
typedef struct {
	const accord_entry **entries;
	size_t count;
} loaded_incident;

/* An incident of a bucket and the tag its file must have. */
typedef struct {
	char id[ACCORD_ID_HEXLEN + 1];
	unsigned char tag[TAG_LEN];
} bucket_row;

/* A bucket file, incidents/<ab>/bucket: every incident whose id starts with <ab>. */
typedef struct {
	bucket_row *rows; /* sorted by id */
	size_t count;
	int dirty; /* changed since it was read or written */
} bucket;

/* The furthest point of a feed this repository ever verified. */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	int64_t seq;
	char id[ACCORD_ID_HEXLEN + 1];
} high_mark;

struct accord_index {
	char *dir; /* <gitdir>/accord/index */
	char evidence[ACCORD_ID_HEXLEN +
		      1];	/* digest of the evidence refs the state was made with */
	accord_idmap high;	/* key id -> high_mark: survives rebuilds, never goes down */
	accord_idmap loaded;	/* entry id -> entry, for entries held by the ledger */
	accord_idmap incidents; /* incident id -> loaded_incident */
	int dirty;		/* the state file lags behind the ledger */
	size_t opens;		/* lines of `opens` that count (the state says how many) */
	char opens_head[2 * LINE_TAG_LEN + 1]; /* the tag of the last of them ("" for none) */
	/*
	 * The tree that makes an older file put back show: the state records
	 * each bucket file's tag, each bucket each of its incident files' tag.
	 */
	unsigned char state_tag[TAG_LEN]; /* of the state file read: has it moved since? */
	unsigned char bucket_tag[BUCKETS][TAG_LEN]; /* as the state records them */
	unsigned char has_bucket[BUCKETS];	    /* the state records bucket b */
	bucket *buckets[BUCKETS];		    /* read (and authenticated) or changed so far */
	unsigned char key[crypto_generichash_KEYBYTES]; /* this repository's tag key */
};

static void carry_marks(struct accord_index *ix, const char *dir);
static int check_mark(const struct accord_index *ix, const char *keyid, int64_t seq);
static void index_marks_dispose(struct accord_index *ix);

static void push_ptr(void *arrp, size_t *count, const void *item)
{
	void ***arr = arrp;
	void **n = realloc(*arr, (*count + 1) * sizeof(void *));

	if (!n)
		abort();
	n[(*count)++] = (void *)item;
	*arr = n;
}

static void ledger_push(accord_ledger *l, accord_entry *e)
{
	size_t count = l->count;

	push_ptr(&l->entries, &count, e);
	l->count = count;
}

static void drop_buckets(struct accord_index *ix)
{
	size_t b;

	for (b = 0; b < BUCKETS; b++) {
		if (ix->buckets[b])
			free(ix->buckets[b]->rows);
		free(ix->buckets[b]);
		ix->buckets[b] = NULL;
	}
}

static void index_marks_dispose(struct accord_index *ix)
{
	size_t i;

	for (i = 0; i < ix->high.size; i++)
		if (ix->high.keys[i])
			free(ix->high.values[i]);
	accord_idmap_dispose(&ix->high);
}

void accord_index_free(struct accord_index *ix)
{
	size_t i;

	if (!ix)
		return;
	for (i = 0; i < ix->incidents.size; i++) {
		loaded_incident *li = ix->incidents.keys[i] ? ix->incidents.values[i] : NULL;

		if (li) {
			free(li->entries);
			free(li);
		}
	}
	index_marks_dispose(ix);
	drop_buckets(ix);
	sodium_memzero(ix->key, sizeof(ix->key));
	accord_idmap_dispose(&ix->incidents);
	accord_idmap_dispose(&ix->loaded);
	free(ix->dir);
	free(ix);
}

/* ---- files ----------------------------------------------------------- */

static int mkdir_p(const char *path)
{
	char tmp[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(tmp))
		return accord_error_set(ACCORD_ERROR, "path too long: %s", path);
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] == '/' || tmp[i] == '\0') {
			char c = tmp[i];

			tmp[i] = '\0';
			if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
				return accord_error_set(ACCORD_ERROR, "can't create %s: %s", tmp,
							strerror(errno));
			tmp[i] = c;
		}
	}
	return 0;
}

/* Replace `path` by `data` atomically: readers see the old file or the new one. */
static int write_atomic(const char *path, const accord_buf *data)
{
	return accord_file_write_cache(path, data->ptr, data->size, 0600);
}

/* An incident file's name in the index folder (what its tag covers). */
static void incident_name(accord_buf *out, const char *id)
{
	accord_buf_clear(out);
	accord_buf_printf(out, "incidents/%.2s/%s", id, id);
}

/* ---- authentication ------------------------------------------------------------ */

/* The tag key of the index of `store`: the user's cache key, bound to this repository. */
static void derive_key(unsigned char *out, accord_store *store, const unsigned char *cache_key)
{
	const char *gitdir = accord_store_gitdir(store);

	crypto_generichash(out, crypto_generichash_KEYBYTES, (const unsigned char *)gitdir,
			   strlen(gitdir), cache_key, ACCORD_LEDGER_CACHE_KEY_LEN);
}

/* The tag of `len` bytes of `data` stored as `name` (its place in the index). */
static void tag_of(unsigned char *out, size_t outlen, const struct accord_index *ix,
		   const char *name, const void *data, size_t len)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, ix->key, sizeof(ix->key), outlen);
	crypto_generichash_update(&st, (const unsigned char *)name, strlen(name) + 1);
	crypto_generichash_update(&st, data, len);
	crypto_generichash_final(&st, out, outlen);
}

/* End `data` (the contents of file `name`) with its tag line "mac <hex>"; the tag into `tag`. */
static void seal(unsigned char *tag, const struct accord_index *ix, const char *name,
		 accord_buf *data)
{
	char hex[2 * TAG_LEN + 1];

	tag_of(tag, TAG_LEN, ix, name, data->ptr ? data->ptr : "", data->size);
	accord_hex_encode(hex, tag, TAG_LEN);
	accord_buf_printf(data, "mac %s\n", hex);
}

/*
 * Check and strip the tag line of `data`, its tag into `tag`; ACCORD_EINVALID
 * when it does not authenticate.
 */
static int unseal(unsigned char *tag, const struct accord_index *ix, const char *name,
		  accord_buf *data)
{
	const size_t line = 4 + 2 * TAG_LEN + 1;
	unsigned char want[TAG_LEN];
	char hex[2 * TAG_LEN + 1];
	size_t body;

	if (data->size < line || memcmp(data->ptr + data->size - line, "mac ", 4) != 0 ||
	    data->ptr[data->size - 1] != '\n')
		return accord_error_set(ACCORD_EINVALID, "index file %s is not authenticated",
					name);
	body = data->size - line;
	tag_of(want, sizeof(want), ix, name, data->ptr, body);
	accord_hex_encode(hex, want, sizeof(want));
	if (sodium_memcmp(hex, data->ptr + body + 4, 2 * TAG_LEN) != 0)
		return accord_error_set(ACCORD_EINVALID, "index file %s does not authenticate",
					name);
	memcpy(tag, want, TAG_LEN);
	data->size = body;
	data->ptr[body] = '\0';
	return 0;
}

/* Read index file `name` (relative to the index folder) and authenticate it; its tag into `tag`. */
static int read_sealed(accord_buf *out, unsigned char *tag, const struct accord_index *ix,
		       const char *name)
{
	accord_buf path = ACCORD_BUF_INIT;
	int error;

	accord_buf_printf(&path, "%s/%s", ix->dir, name);
	error = accord_buf_read_file(out, path.ptr, 64 << 20);
	accord_buf_dispose(&path);
	if (error == 0)
		error = unseal(tag, ix, name, out);
	return error;
}

/* Seal `data` and write it as index file `name`, atomically; its tag into `tag`. */
static int write_sealed(unsigned char *tag, const struct accord_index *ix, const char *name,
			accord_buf *data)
{
	accord_buf path = ACCORD_BUF_INIT;
	int error;

	seal(tag, ix, name, data);
	accord_buf_printf(&path, "%s/%s", ix->dir, name);
	error = write_atomic(path.ptr, data);
	accord_buf_dispose(&path);
	return error;
}

/*
 * The tag (hex) of line `n` of `opens`, incident `id`, chained to `prev`,
 * the tag of line n-1 ("" for the first): the state records the last tag,
 * which so vouches for every line before it, and reading backwards from
 * the end checks only the lines read. An older list put back does not
 * end in the recorded tag, even with as many lines.
 */
static void opens_tag(char *out, const struct accord_index *ix, size_t n, const char *id,
		      const char *prev)
{
	unsigned char tag[LINE_TAG_LEN];
	char place[32 + ACCORD_ID_HEXLEN + 2 * LINE_TAG_LEN];
	int len = snprintf(place, sizeof(place), "%zu %.64s %.32s", n, id, prev);

	tag_of(tag, sizeof(tag), ix, "opens", place, (size_t)len);
	accord_hex_encode(out, tag, sizeof(tag));
}

/* A line of `opens`: "<id> <tag>\n" (no NUL). */
static void opens_line(char *out, const char *id, const char *tag)
{
	memcpy(out, id, ACCORD_ID_HEXLEN);
	out[ACCORD_ID_HEXLEN] = ' ';
	memcpy(out + ACCORD_ID_HEXLEN + 1, tag, 2 * LINE_TAG_LEN);
	out[OPENS_LINE - 1] = '\n';
}

/* ---- buckets ------------------------------------------------------------------ */

/* The bucket of an incident id (or of a prefix of two digits or more). */
static unsigned bucket_of(const char *id)
{
	unsigned char b = 0;
	char hex[3] = { id[0], id[1], '\0' };

	if (accord_hex_decode(&b, 1, hex) < 0)
		accord_error_clear(); /* callers pass checked hex */
	return b;
}

static void bucket_name(accord_buf *out, unsigned b)
{
	accord_buf_clear(out);
	accord_buf_printf(out, "incidents/%02x/bucket", b);
}

/*
 * Bucket `b`, read once per open and checked against the tag the state
 * recorded for it, so that a bucket file put back from earlier does not
 * pass; empty when the state records none. ACCORD_EINVALID when it does
 * not match or is gone. Borrowed from the index.
 */
static int read_bucket(bucket **out, struct accord_index *ix, unsigned b)
{
	accord_buf name = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	unsigned char tag[TAG_LEN];
	char *line, *save = NULL;
	bucket *bk;
	int error = 0, first = 1;

	if (ix->buckets[b]) {
		*out = ix->buckets[b];
		return 0;
	}
	if (!(bk = calloc(1, sizeof(*bk))))
		abort();
	if (ix->has_bucket[b]) {
		bucket_name(&name, b);
		error = read_sealed(&data, tag, ix, name.ptr);
		if (error == ACCORD_ENOTFOUND)
			error = accord_error_set(ACCORD_EINVALID, "index file %s is gone",
						 name.ptr);
		else if (error == 0 && sodium_memcmp(tag, ix->bucket_tag[b], TAG_LEN) != 0)
			error = accord_error_set(ACCORD_EINVALID,
						 "index file %s is not the one the state recorded",
						 name.ptr);
		for (line = error ? NULL : strtok_r(data.ptr, "\n", &save); line && error == 0;
		     line = strtok_r(NULL, "\n", &save)) {
			bucket_row *r;

			if (first) {
				first = 0;
				if (strcmp(line, "accord-bucket 1") != 0)
					error = ACCORD_EINVALID;
				continue;
			}
			if (!(r = realloc(bk->rows, (bk->count + 1) * sizeof(*r))))
				abort();
			bk->rows = r;
			r += bk->count;
			/* "<id> <tag>", ids in order and of this bucket */
			if (strlen(line) != ACCORD_ID_HEXLEN + 1 + 2 * TAG_LEN ||
			    line[ACCORD_ID_HEXLEN] != ' ') {
				error = ACCORD_EINVALID;
				break;
			}
			line[ACCORD_ID_HEXLEN] = '\0';
			if (!accord_is_lower_hex(line, ACCORD_ID_HEXLEN) || bucket_of(line) != b ||
			    (bk->count && strcmp(r[-1].id, line) >= 0) ||
			    accord_hex_decode(r->tag, TAG_LEN, line + ACCORD_ID_HEXLEN + 1) < 0) {
				error = ACCORD_EINVALID;
				break;
			}
			memcpy(r->id, line, sizeof(r->id));
			bk->count++;
		}
		if (error == ACCORD_EINVALID && !first)
			error = accord_error_set(ACCORD_EINVALID, "index file %s is damaged",
						 name.ptr);
	}
	accord_buf_dispose(&name);
	accord_buf_dispose(&data);
	if (error < 0) {
		free(bk->rows);
		free(bk);
		return error;
	}
	ix->buckets[b] = bk;
	*out = bk;
	return 0;
}

/* Where `id` is in `bk`, or where it would go. */
static size_t bucket_place(const bucket *bk, const char *id, int *found)
{
	size_t lo = 0, hi = bk->count;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(bk->rows[mid].id, id);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Record `tag` as the tag of incident `id`'s file in its (loaded) bucket. */
static void bucket_set(bucket *bk, const char *id, const unsigned char *tag)
{
	int found;
	size_t at = bucket_place(bk, id, &found);

	if (!found) {
		bucket_row *r = realloc(bk->rows, (bk->count + 1) * sizeof(*r));

		if (!r)
			abort();
		bk->rows = r;
		memmove(&r[at + 1], &r[at], (bk->count - at) * sizeof(*r));
		bk->count++;
		snprintf(r[at].id, sizeof(r[at].id), "%.64s", id);
	}
	memcpy(bk->rows[at].tag, tag, TAG_LEN);
	bk->dirty = 1;
}

/* Write the buckets that changed, recording their new tags for the state. */
static int flush_buckets(struct accord_index *ix)
{
	accord_buf name = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	unsigned b;
	size_t i;
	int error = 0;

	for (b = 0; b < BUCKETS && error == 0; b++) {
		bucket *bk = ix->buckets[b];

		if (!bk || !bk->dirty)
			continue;
		accord_buf_clear(&data);
		accord_buf_puts(&data, "accord-bucket 1\n");
		for (i = 0; i < bk->count; i++) {
			char hex[2 * TAG_LEN + 1];

			accord_hex_encode(hex, bk->rows[i].tag, TAG_LEN);
			accord_buf_printf(&data, "%s %s\n", bk->rows[i].id, hex);
		}
		bucket_name(&name, b);
		if ((error = write_sealed(ix->bucket_tag[b], ix, name.ptr, &data)) == 0) {
			ix->has_bucket[b] = 1;
			bk->dirty = 0;
		}
	}
	accord_buf_dispose(&name);
	accord_buf_dispose(&data);
	return error;
}

/* ---- incident files -------------------------------------------------------- */

/*
 * incidents/<ab>/bucket (read_bucket):
 *   accord-bucket 1
 *   <id> <tag>                     one per incident of the bucket, by id: the
 *                                  tag its file must carry
 *
 * incidents/<ab>/<id>:
 *   accord-incident 2
 *   s <status> <severity> <opened> <started> <status_at>
 *   v <service>
 *   t <title>
 *   w <customers> <start> <end|->  one per impact window: customer-minutes
 *                                  depend on when they are read
 *   e <commit> <entry id>          one per entry, ledger order, open first
 */
typedef struct {
	accord_incident_summary summary;
	git_oid *commits;
	char (*ids)[ACCORD_ID_HEXLEN + 1];
	size_t count;
	accord_impact *windows;
	size_t window_count;
} incident_file;

static void incident_file_dispose(incident_file *f)
{
	free(f->commits);
	free(f->ids);
	free(f->windows);
	memset(f, 0, sizeof(*f));
}

/*
 * Read incident `id`'s file, checked down the tree: the state vouches for
 * its bucket, the bucket for the file. ACCORD_ENOTFOUND when its bucket
 * does not list it, ACCORD_EINVALID when a file does not match.
 */
static int read_incident_file(incident_file *f, struct accord_index *ix, const char *id)
{
	accord_buf path = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	unsigned char tag[TAG_LEN];
	char *line, *save = NULL;
	bucket *bk = NULL;
	size_t at;
	int error, first = 1, found = 0;

	memset(f, 0, sizeof(*f));
	if ((error = read_bucket(&bk, ix, bucket_of(id))) < 0)
		return error;
	at = bucket_place(bk, id, &found);
	if (!found)
		return accord_error_set(ACCORD_ENOTFOUND, "the index has no incident %.12s", id);
	incident_name(&path, id);
	error = read_sealed(&data, tag, ix, path.ptr);
	if (error == ACCORD_ENOTFOUND)
		error = accord_error_set(ACCORD_EINVALID, "index file %s is gone", path.ptr);
	else if (error == 0 && sodium_memcmp(tag, bk->rows[at].tag, TAG_LEN) != 0)
		error = accord_error_set(ACCORD_EINVALID,
					 "index file %s is not the one its bucket recorded",
					 path.ptr);
	accord_buf_dispose(&path);
	if (error < 0) {
		accord_buf_dispose(&data);
		return error;
	}
	for (line = strtok_r(data.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		accord_incident_summary *s = &f->summary;

		if (first) {
			first = 0;
			if (strcmp(line, "accord-incident 2") != 0)
				goto bad;
		} else if (line[0] == 's' && line[1] == ' ') {
			long long sev, op, st, sa;

			if (sscanf(line + 2, "%15s %lld %lld %lld %lld", s->status, &sev, &op, &st,
				   &sa) != 5)
				goto bad;
			s->severity = sev;
			s->opened_at = op;
			s->started_at = st;
			s->status_at = sa;
		} else if (line[0] == 'w' && line[1] == ' ') {
			accord_impact w = { 0 };
			long long c, ws, we;
			char end[24];

			if (sscanf(line + 2, "%lld %lld %23s", &c, &ws, end) != 3)
				goto bad;
			w.customers = c;
			w.start = ws;
			if (strcmp(end, "-") != 0) {
				if (sscanf(end, "%lld", &we) != 1)
					goto bad;
				w.end = we;
				w.has_end = 1;
			}
			f->windows =
				realloc(f->windows, (f->window_count + 1) * sizeof(*f->windows));
			if (!f->windows)
				abort();
			f->windows[f->window_count++] = w;
		} else if (line[0] == 'v' && line[1] == ' ') {
			snprintf(s->service, sizeof(s->service), "%s", line + 2);
		} else if (line[0] == 't' && line[1] == ' ') {
			snprintf(s->title, sizeof(s->title), "%s", line + 2);
		} else if (line[0] == 'e' && line[1] == ' ' && strlen(line) == 2 + 40 + 1 + 64) {
			git_oid oid;

			line[42] = '\0';
			if (git_oid_fromstr(&oid, line + 2) < 0 ||
			    !accord_is_lower_hex(line + 43, 64))
				goto bad;
			f->commits = realloc(f->commits, (f->count + 1) * sizeof(*f->commits));
			f->ids = realloc(f->ids, (f->count + 1) * sizeof(*f->ids));
			if (!f->commits || !f->ids)
				abort();
			f->commits[f->count] = oid;
			memcpy(f->ids[f->count], line + 43, 65);
			f->count++;
		} else {
			goto bad;
		}
	}
	accord_buf_dispose(&data);
	if (f->count == 0 || strcmp(f->ids[0], id) != 0)
		goto bad_noclean;
	memcpy(f->summary.id, id, sizeof(f->summary.id));
	return 0;
bad:
	accord_buf_dispose(&data);
bad_noclean:
	incident_file_dispose(f);
	return accord_error_set(ACCORD_EINVALID, "index file of incident %.12s is damaged", id);
}

/*
 * Derive the incident from its loaded entries, write its file and record
 * its tag in its bucket (written with the state, flush_buckets).
 */
static int write_incident_file(struct accord_index *ix, const accord_ledger *l,
			       const accord_parties *parties, const loaded_incident *li)
{
	accord_incident *inc = NULL;
	accord_buf path = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	unsigned char tag[TAG_LEN];
	bucket *bk = NULL;
	size_t i;
	int error;

	if ((error = accord_incident_build_from(&inc, parties, li->entries, li->count,
						accord_incident_ledger_in_past, (void *)l)) < 0)
		return error;
	/* a bucket that does not match is not written on: the next open re-derives it */
	if ((error = read_bucket(&bk, ix, bucket_of(inc->id))) < 0) {
		accord_incident_free(inc);
		return error;
	}
	accord_buf_printf(&data, "accord-incident 2\ns %s %lld %lld %lld %lld\nv %s\nt %s\n",
			  inc->status, (long long)inc->severity, (long long)inc->opened_at,
			  (long long)inc->started_at, (long long)inc->status_at,
			  inc->service ? inc->service : "", inc->title ? inc->title : "");
	for (i = 0; i < inc->impact_count; i++) {
		const accord_impact *w = &inc->impact[i];

		accord_buf_printf(&data, "w %lld %lld ", (long long)w->customers,
				  (long long)w->start);
		if (w->has_end)
			accord_buf_printf(&data, "%lld\n", (long long)w->end);
		else
			accord_buf_puts(&data, "-\n");
	}
	for (i = 0; i < li->count; i++)
		accord_buf_printf(&data, "e %s %s\n", li->entries[i]->commit, li->entries[i]->id);
	accord_buf_printf(&path, "%s/incidents/%.2s", ix->dir, inc->id);
	if ((error = mkdir_p(path.ptr)) == 0) {
		incident_name(&path, inc->id);
		if ((error = write_sealed(tag, ix, path.ptr, &data)) == 0)
			bucket_set(bk, inc->id, tag);
	}
	accord_incident_free(inc);
	accord_buf_dispose(&path);
	accord_buf_dispose(&data);
	return error;
}

/*
 * Write incident `id` as line ix->opens of `opens`, past which nothing
 * counts: what an interrupted update left there is overwritten.
 */
static int append_open(struct accord_index *ix, const char *id)
{
	accord_buf path = ACCORD_BUF_INIT;
	char line[OPENS_LINE], tag[2 * LINE_TAG_LEN + 1];
	int fd, error = 0;

	accord_buf_printf(&path, "%s/opens", ix->dir);
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	opens_tag(tag, ix, ix->opens, id, ix->opens_head);
	opens_line(line, id, tag);
	if (fd < 0 || pwrite(fd, line, sizeof(line), (off_t)(ix->opens * OPENS_LINE)) !=
			      (ssize_t)sizeof(line)) {
		error = accord_error_set(ACCORD_ERROR, "can't write %s: %s", path.ptr,
					 strerror(errno));
	} else {
		ix->opens++;
		memcpy(ix->opens_head, tag, sizeof(tag));
	}
	if (fd >= 0)
		close(fd);
	accord_buf_dispose(&path);
	return error;
}

/* ---- the state file ------------------------------------------------------------ */

static void raise_mark(struct accord_index *ix, const char *keyid, int64_t seq, const char *id)
{
	high_mark *h = accord_idmap_get(&ix->high, keyid);

	if (!h) {
		if (!(h = calloc(1, sizeof(*h))))
			abort();
		snprintf(h->keyid, sizeof(h->keyid), "%.32s", keyid);
		accord_idmap_put(&ix->high, h->keyid, h);
	}
	if (seq > h->seq || !h->id[0]) {
		h->seq = seq;
		snprintf(h->id, sizeof(h->id), "%.64s", id);
	}
}

int accord_index_check_feed(const accord_ledger *l, const char *keyid, int64_t seq)
{
	struct accord_index scratch;
	char *dir = NULL;
	int error = 0;

	/* A ledger loaded without the index still obeys the marks the index kept. */
	if (!l->index) {
		memset(&scratch, 0, sizeof(scratch));
		if (accord_store_state_path(&dir, l->store, "index") == 0)
			carry_marks(&scratch, dir);
		error = check_mark(&scratch, keyid, seq);
		free(dir);
		index_marks_dispose(&scratch);
		return error;
	}
	return check_mark(l->index, keyid, seq);
}

static int check_mark(const struct accord_index *ix, const char *keyid, int64_t seq)
{
	const high_mark *h = accord_idmap_get(&ix->high, keyid);

	if (h && h->seq > seq)
		return accord_error_set(
			ACCORD_EBADSIG,
			"feed %s was rolled back: this repository verified it up to seq %lld (entry %.12s), "
			"it now ends at seq %lld; writing would sign a second entry with the same "
			"sequence number. Restore the feed first (accord sync with a copy that has it)",
			keyid, (long long)h->seq, h->id, (long long)seq);
	return 0;
}

/* A stand-in for a feed's last entry: what appending needs (id, seq, time, Lamport clock). */
static accord_entry *stub_entry(accord_ledger *l, const char *id, int64_t seq, int64_t lamport,
				int64_t time)
{
	accord_entry *e = calloc(1, sizeof(*e));
	accord_entry **no;

	if (!e)
		abort();
	snprintf(e->id, sizeof(e->id), "%.64s", id);
	e->seq = seq;
	e->lamport = lamport;
	e->time = time;
	/* owned by the ledger through its orphan list: never shown, freed with it */
	no = realloc(l->orphans, (l->orphan_count + 1) * sizeof(*no));
	if (!no)
		abort();
	l->orphans = no;
	no[l->orphan_count++] = e;
	return e;
}

/*
 * A digest of refs/accord/evidence/ (names and targets): new proof of
 * equivocation changes what counts, so the state is rebuilt when it moves.
 */
static void evidence_digest(char *out, accord_store *store)
{
	git_strarray refs = { NULL, 0 };
	accord_buf text = ACCORD_BUF_INIT;
	unsigned char hash[32];
	size_t i;

	if (accord_store_ref_list(&refs, store, ACCORD_EVIDENCE_PREFIX) == 0) {
		for (i = 0; i < refs.count; i++) {
			git_oid oid;
			char hex[GIT_OID_HEXSZ + 1] = "";

			if (accord_store_ref_get(&oid, store, refs.strings[i]) == 0)
				git_oid_tostr(hex, sizeof(hex), &oid);
			accord_buf_printf(&text, "%s %s\n", refs.strings[i], hex);
		}
		git_strarray_dispose(&refs);
	}
	accord_error_clear();
	accord_sha256(hash, text.ptr ? text.ptr : "", text.size);
	accord_hex_encode(out, hash, sizeof(hash));
	accord_buf_dispose(&text);
}

static int save_state(accord_ledger *l)
{
	const accord_parties *p = &l->parties;
	accord_buf path = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	size_t i;
	unsigned b;
	int error;

	/* the files below the state first: it must vouch for what is there */
	if ((error = flush_buckets(l->index)) < 0)
		return error;
	if (!l->index->evidence[0])
		evidence_digest(l->index->evidence, l->store);
	accord_buf_printf(&data, "%s\nledger %s\nlamport %lld\nevidence %s\nopens %zu %s\n",
			  INDEX_VERSION, l->id, (long long)l->max_lamport, l->index->evidence,
			  l->index->opens, l->index->opens ? l->index->opens_head : "-");
	for (b = 0; b < BUCKETS; b++) {
		char hex[2 * TAG_LEN + 1];

		if (!l->index->has_bucket[b])
			continue;
		accord_hex_encode(hex, l->index->bucket_tag[b], TAG_LEN);
		accord_buf_printf(&data, "bucket %02x %s\n", b, hex);
	}
	for (i = 0; i < l->feed_count; i++) {
		const accord_feed *f = &l->feeds[i];
		char head[GIT_OID_HEXSZ + 1];

		git_oid_tostr(head, sizeof(head), &f->head);
		accord_buf_printf(&data, "feed %s %s %lld %s %lld %lld\n", f->keyid, head,
				  (long long)f->seq, f->last->id, (long long)f->last->lamport,
				  (long long)f->last->time);
	}
	/* Feed refs that point past what counts: unchanged, they need no new verdict. */
	for (i = 0; i < l->beyond_count; i++) {
		char head[GIT_OID_HEXSZ + 1], first[GIT_OID_HEXSZ + 1];

		git_oid_tostr(head, sizeof(head), &l->beyond[i].head);
		git_oid_tostr(first, sizeof(first), &l->beyond[i].first_out);
		accord_buf_printf(&data, "beyond %s %s %s %lld %d\n", l->beyond[i].keyid, head,
				  first, (long long)l->beyond[i].first_seq, l->beyond[i].holes);
	}
	accord_buf_printf(&data, "leftout %zu\n", l->left_out);
	for (i = 0; i < l->finding_count; i++) {
		const accord_finding *f = &l->findings[i];
		const char *x;

		accord_buf_printf(&data, "finding %s %s %lld %s %s ",
				  accord_audit_kind_name(f->kind), f->feed[0] ? f->feed : "-",
				  (long long)f->seq, f->commit[0] ? f->commit : "-",
				  f->entry[0] ? f->entry : "-");
		for (x = f->explanation ? f->explanation : ""; *x; x++)
			accord_buf_putc(&data, *x == '\n' || *x == '\r' ? ' ' : *x);
		accord_buf_putc(&data, '\n');
	}
	for (i = 0; i < l->feed_count; i++)
		raise_mark(l->index, l->feeds[i].keyid, l->feeds[i].seq, l->feeds[i].last->id);
	for (i = 0; i < l->index->high.size; i++) {
		const high_mark *h = l->index->high.keys[i] ? l->index->high.values[i] : NULL;

		if (h)
			accord_buf_printf(&data, "high %s %lld %s\n", h->keyid, (long long)h->seq,
					  h->id);
	}
	for (i = 0; i < p->party_count; i++)
		accord_buf_printf(&data, "party %s %lld %s\n", p->parties[i].name,
				  (long long)p->parties[i].joined,
				  p->parties[i].recovery[0] ? p->parties[i].recovery : "-");
	for (i = 0; i < p->member_count; i++) {
		const accord_member *m = p->members[i];
		char pk[65];

		accord_hex_encode(pk, m->key.pk, sizeof(m->key.pk));
		accord_buf_printf(
			&data, "member %s%s%s %s %zu %d %d %d %lld %lld %lld %lld %d %s\n", pk,
			KEY_TYPE_SUFFIX(&m->key), m->key.name, m->party, m->root, m->admin,
			m->revoked, (long long)m->added, (long long)m->revoked_at,
			(long long)m->cut, (long long)m->valid_until, m->accepted,
			m->added_by[0] ? m->added_by : "-");
	}
	for (i = 0; i < p->invite_count; i++) {
		const accord_invite *inv = &p->invites[i];
		char pk[65];

		accord_hex_encode(pk, inv->key.pk, sizeof(inv->key.pk));
		accord_buf_printf(&data, "invite %s%s%s %s %s %s %lld %d\n", pk,
				  KEY_TYPE_SUFFIX(&inv->key), inv->party, inv->member,
				  inv->entry_id, (long long)inv->time, inv->accepted);
	}
	for (i = 0; i < p->agreement_count; i++) {
		accord_buf_puts(&data, "agreement ");
		accord_agreement_save(&data, p->agreements[i]);
		accord_buf_putc(&data, '\n');
	}
	accord_buf_puts(&data, "end\n");
	error = write_sealed(l->index->state_tag, l->index, "state", &data);
	accord_buf_dispose(&path);
	accord_buf_dispose(&data);
	if (error == 0)
		l->index->dirty = 0;
	return error;
}

/* "<64 hex>", or "<64 hex>:<application>" for an sk key (an application has no space). */
static int parse_pubkey(accord_pubkey *k, const char *hex)
{
	char head[65];

	memset(k, 0, sizeof(*k));
	if (strlen(hex) < 64)
		return -1;
	memcpy(head, hex, 64);
	head[64] = '\0';
	if (!accord_is_lower_hex(head, 64) || accord_hex_decode(k->pk, sizeof(k->pk), head) < 0)
		return -1;
	if (hex[64] == ':') {
		if (!accord_sk_application_valid(hex + 65))
			return -1;
		k->type = ACCORD_KEY_SK_ED25519;
		memcpy(k->application, hex + 65, strlen(hex + 65) + 1);
	} else if (hex[64]) {
		return -1;
	}
	accord_pubkey_set_id(k);
	return 0;
}

/* "<kind> <feed|-> <seq> <commit|-> <entry|-> <explanation>" back into a finding. */
static int restore_finding(accord_ledger *l, const char *line)
{
	char kind[40], feed[40], commit[48], entry[72];
	long long seq;
	int used = 0, k;
	accord_finding *f, *nf;

	if (sscanf(line, "%39s %39s %lld %47s %71s %n", kind, feed, &seq, commit, entry, &used) !=
		    5 ||
	    !used)
		return -1;
	for (k = 0; k < ACCORD_AUDIT_KIND_COUNT &&
		    strcmp(accord_audit_kind_name((accord_audit_kind)k), kind);
	     k++)
		;
	if (k == ACCORD_AUDIT_KIND_COUNT)
		return -1;
	if (!(nf = realloc(l->findings, (l->finding_count + 1) * sizeof(*nf))))
		abort();
	l->findings = nf;
	f = &nf[l->finding_count++];
	memset(f, 0, sizeof(*f));
	f->kind = (accord_audit_kind)k;
	f->set_aside = accord_audit_kind_sets_aside(f->kind);
	f->seq = seq;
	snprintf(f->feed, sizeof(f->feed), "%.32s", strcmp(feed, "-") ? feed : "");
	snprintf(f->commit, sizeof(f->commit), "%.40s", strcmp(commit, "-") ? commit : "");
	snprintf(f->entry, sizeof(f->entry), "%.64s", strcmp(entry, "-") ? entry : "");
	if (!(f->explanation = strdup(line + used)))
		abort();
	return 0;
}

/* A new indexed ledger with no entries, for index folder `dir` of `store`, tagging with `key`. */
static accord_ledger *index_shell(accord_store *store, const char *dir, const unsigned char *key)
{
	accord_ledger *l = calloc(1, sizeof(*l));

	if (!l || !(l->index = calloc(1, sizeof(*l->index))) || !(l->index->dir = strdup(dir)))
		abort();
	l->store = store;
	accord_parties_init(&l->parties);
	memcpy(l->index->key, key, sizeof(l->index->key));
	return l;
}

/*
 * Read the state file into a new indexed ledger. ACCORD_ENOTFOUND /
 * ACCORD_EINVALID (damaged, or it does not authenticate): rebuild.
 */
/* load_state: two parties share a name; every open of this ledger is a full verification */
#define NAME_CONFLICT 2

/* What state_line says of a line besides 0 (taken): */
#define LINE_BAD (-1) /* not a line of this version's state file */
#define LINE_END 1    /* "end": every line before it was written */

static int state_feed(accord_ledger *l, const char *line)
{
	char a[300], b[300], c[300];
	long long x, y, z;
	int holes = 0;

	if (sscanf(line, "feed %32s %40s %lld %64s %lld %lld", a, b, &x, c, &y, &z) == 6) {
		accord_feed *nf = realloc(l->feeds, (l->feed_count + 1) * sizeof(*nf));

		if (!nf)
			abort();
		l->feeds = nf;
		nf += l->feed_count++;
		memset(nf, 0, sizeof(*nf));
		if (!accord_is_lower_hex(a, 32) || git_oid_fromstr(&nf->head, b) < 0)
			return LINE_BAD;
		memcpy(nf->keyid, a, sizeof(nf->keyid));
		nf->seq = x;
		nf->last = stub_entry(l, c, x, y, z);
		return 0;
	}
	if (sscanf(line, "beyond %32s %40s %40s %lld %d", a, b, c, &x, &holes) >= 4) {
		accord_beyond *nb = realloc(l->beyond, (l->beyond_count + 1) * sizeof(*nb));

		if (!nb)
			abort();
		l->beyond = nb;
		nb += l->beyond_count++;
		memset(nb, 0, sizeof(*nb));
		if (!accord_is_lower_hex(a, 32) || git_oid_fromstr(&nb->head, b) < 0 ||
		    git_oid_fromstr(&nb->first_out, c) < 0)
			return LINE_BAD;
		memcpy(nb->keyid, a, sizeof(nb->keyid));
		nb->first_seq = x;
		nb->holes = holes == 1;
		return 0;
	}
	return LINE_BAD;
}

/* Lines of the parties' state: party, member, invite, agreement. */
static int state_parties(accord_ledger *l, const char *line)
{
	char a[300], b[300], c[300], d[300];
	long long x, y, w, cut, until;
	int accepted, i1, i2, i3;

	if (sscanf(line, "party %299s %lld %299s", a, &x, b) == 3) {
		size_t pi;

		/* a name conflict is resolved by causal pasts, which only the engine has */
		if (accord_parties_find(&l->parties, a))
			return NAME_CONFLICT;
		pi = accord_parties_restore_party(&l->parties, a, x);
		if (strcmp(b, "-") != 0) {
			if (!accord_is_lower_hex(b, ACCORD_ID_HEXLEN))
				return LINE_BAD;
			memcpy(l->parties.parties[pi].recovery, b, ACCORD_ID_HEXLEN + 1);
		}
		return 0;
	}
	if (sscanf(line, "member %299s %299s %lld %d %d %d %lld %lld %lld %lld %d %299s", a, b, &w,
		   &i1, &i2, &i3, &x, &y, &cut, &until, &accepted, c) == 12) {
		accord_pubkey k;
		accord_member *m;

		if (parse_pubkey(&k, a) < 0 || w < 0 || (size_t)w >= l->parties.party_count)
			return LINE_BAD;
		snprintf(k.name, sizeof(k.name), "%.64s",
			 b); /* 64 characters, as the name rule allows */
		m = accord_parties_restore_member(&l->parties, &k, (size_t)w);
		m->root = i1;
		m->admin = i2;
		m->revoked = i3;
		m->added = x;
		m->revoked_at = y;
		m->cut = cut;
		m->valid_until = until;
		m->accepted = accepted;
		if (strcmp(c, "-") != 0)
			snprintf(m->added_by, sizeof(m->added_by), "%.32s", c);
		if (m->root)
			l->parties.parties[w].root = l->parties.member_count - 1;
		return 0;
	}
	if (sscanf(line, "invite %299s %299s %299s %299s %lld %d", a, b, c, d, &x, &i1) == 6) {
		accord_invite *inv = accord_parties_restore_invite(&l->parties);

		if (parse_pubkey(&inv->key, a) < 0 || !accord_is_lower_hex(d, 64))
			return LINE_BAD;
		snprintf(inv->party, sizeof(inv->party), "%.64s", b);
		snprintf(inv->member, sizeof(inv->member), "%.64s", c);
		memcpy(inv->entry_id, d, sizeof(inv->entry_id));
		inv->time = x;
		inv->accepted = i1;
		return 0;
	}
	if (!strncmp(line, "agreement ", 10)) {
		accord_agreement *ag = accord_agreement_load(line + 10);

		if (!ag)
			return LINE_BAD;
		accord_parties_restore_agreement(&l->parties, ag);
		return 0;
	}
	return LINE_BAD;
}

/* One line of the state file (after its version line) into `l`. */
static int state_line(accord_ledger *l, char *line)
{
	char a[300], b[300];
	long long x;

	if (!strncmp(line, "bucket ", 7)) {
		/* "bucket <ab> <tag>": 256 of them, so no sscanf tried in turn */
		unsigned bk;

		if (strlen(line) != 7 + 3 + 2 * TAG_LEN || line[9] != ' ')
			return LINE_BAD;
		line[9] = '\0';
		if (!accord_is_lower_hex(line + 7, 2))
			return LINE_BAD;
		bk = bucket_of(line + 7);
		if (accord_hex_decode(l->index->bucket_tag[bk], TAG_LEN, line + 10) < 0)
			return LINE_BAD;
		l->index->has_bucket[bk] = 1;
	} else if (sscanf(line, "ledger %64s", a) == 1 && accord_is_lower_hex(a, 64)) {
		memcpy(l->id, a, sizeof(l->id));
	} else if (sscanf(line, "evidence %64s", a) == 1 && accord_is_lower_hex(a, 64)) {
		memcpy(l->index->evidence, a, sizeof(l->index->evidence));
	} else if (sscanf(line, "lamport %lld", &x) == 1) {
		l->max_lamport = x;
	} else if (sscanf(line, "opens %lld %32s", &x, a) == 2 && x >= 0) {
		l->index->opens = (size_t)x;
		if (x == 0 ? strcmp(a, "-") != 0 : !accord_is_lower_hex(a, 2 * LINE_TAG_LEN))
			return LINE_BAD;
		if (x)
			memcpy(l->index->opens_head, a, sizeof(l->index->opens_head));
	} else if (!strncmp(line, "feed ", 5) || !strncmp(line, "beyond ", 7)) {
		return state_feed(l, line);
	} else if (sscanf(line, "leftout %lld", &x) == 1 && x >= 0) {
		l->left_out = (size_t)x;
	} else if (!strncmp(line, "finding ", 8)) {
		if (restore_finding(l, line + 8) < 0)
			return LINE_BAD;
	} else if (sscanf(line, "high %32s %lld %64s", a, &x, b) == 3) {
		raise_mark(l->index, a, x, b);
	} else if (strcmp(line, "end") == 0) {
		return LINE_END;
	} else {
		return state_parties(l, line);
	}
	return 0;
}

static int load_state(accord_ledger **out, accord_store *store, const char *dir,
		      const unsigned char *key)
{
	accord_buf data = ACCORD_BUF_INIT;
	accord_ledger *l = index_shell(store, dir, key);
	char *line, *save = NULL;
	int error, n = 0, ended = 0;

	if ((error = read_sealed(&data, l->index->state_tag, l->index, "state")) < 0)
		goto fail;
	for (line = strtok_r(data.ptr, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		if (n == 0) {
			if (strcmp(line, INDEX_VERSION) != 0)
				goto bad;
			continue;
		}
		if ((error = state_line(l, line)) == LINE_BAD)
			goto bad;
		if (error == NAME_CONFLICT)
			goto fail;
		ended |= error == LINE_END;
	}
	if (!ended || !l->id[0])
		goto bad;
	for (n = 0; (size_t)n < l->finding_count; n++)
		if (l->findings[n].feed[0])
			accord_parties_label(l->findings[n].label, sizeof(l->findings[n].label),
					     &l->parties, l->findings[n].feed);
	accord_buf_dispose(&data);
	*out = l;
	return 0;
bad:
	error = accord_error_set(ACCORD_EINVALID, "the index state in %s is damaged", dir);
fail:
	accord_buf_dispose(&data);
	accord_ledger_free(l);
	return error;
}

/* ---- loading incidents -------------------------------------------------------- */

static loaded_incident *loaded(struct accord_index *ix, const char *id, int create)
{
	loaded_incident *li = accord_idmap_get(&ix->incidents, id);

	if (!li && create) {
		if (!(li = calloc(1, sizeof(*li))))
			abort();
		accord_idmap_put(&ix->incidents, id,
				 li); /* key: the open entry's id, owned by the ledger */
	}
	return li;
}

/* Hold a verified entry in the ledger and in its incident's list. */
static void hold(accord_ledger *l, accord_entry *e)
{
	struct accord_index *ix = l->index;
	const char *incident =
		e->incident[0] ? e->incident : (!strcmp(e->type, "open") ? e->id : NULL);

	ledger_push(l, e);
	accord_idmap_put(&ix->loaded, e->id, e);
	if (incident) {
		loaded_incident *li = loaded(ix, !strcmp(e->type, "open") ? e->id : incident, 1);

		push_ptr(&li->entries, &li->count, e);
	}
}

/*
 * Read an incident's entries through its index file, verifying each again
 * (signature, schema, and that it belongs to this incident), then restore
 * the incident's authorization facts.
 */
static int load_incident(accord_ledger *l, const char *id)
{
	struct accord_index *ix = l->index;
	incident_file f;
	loaded_incident *li;
	size_t i;
	int error;

	if ((li = loaded(ix, id, 0)) && li->count)
		return 0;
	if ((error = read_incident_file(&f, ix, id)) < 0)
		return error;
	for (i = 0; i < f.count; i++) {
		accord_commit *c = NULL;
		accord_entry *e = NULL;

		if (accord_idmap_get(&ix->loaded, f.ids[i]))
			continue;
		if ((error = accord_commit_read(&c, l->store, &f.commits[i])) < 0 ||
		    (error = accord_ledger_verify_commit(&e, c, NULL, NULL, 0)) < 0) {
			accord_commit_free(c);
			error = error == ACCORD_ENOTFOUND ? ACCORD_EBADSIG : error;
			goto done;
		}
		accord_commit_free(c);
		if (strcmp(e->id, f.ids[i]) != 0 ||
		    (i == 0 ? strcmp(e->type, "open") : strcmp(e->incident, id)) != 0) {
			accord_entry_free(e);
			error = accord_error_set(ACCORD_EINVALID,
						 "index file of incident %.12s is damaged", id);
			goto done;
		}
		hold(l, e);
	}
	li = loaded(ix, id, 0);
	error = li ? accord_parties_restore_incident(&l->parties, li->entries, li->count)
		   : accord_error_set(ACCORD_EINVALID, "index file of incident %.12s is damaged",
				      id);
done:
	incident_file_dispose(&f);
	return error;
}

/* ---- recording new entries ----------------------------------------------------- */

static int record(accord_ledger *l, const accord_entry *e)
{
	struct accord_index *ix = l->index;
	loaded_incident *li;
	int error;

	l->index->dirty = 1;
	if (!strcmp(e->type, "open")) {
		li = loaded(ix, e->id, 0);
		if ((error = write_incident_file(ix, l, &l->parties, li)) < 0)
			return error;
		return append_open(ix, e->id);
	}
	if (!e->incident[0])
		return 0;
	li = loaded(ix, e->incident, 0);
	if (!li)
		return accord_error_set(ACCORD_ERROR, "incident %.12s is not loaded", e->incident);
	return write_incident_file(ix, l, &l->parties, li);
}

int accord_index_record(accord_ledger *l, const accord_entry *e)
{
	struct accord_index *ix = l->index;
	int error;

	if (!ix)
		return 0;
	if (!accord_idmap_get(&ix->loaded, e->id)) {
		/* accord_ledger_append put it in l->entries; index it too */
		const char *incident =
			e->incident[0] ? e->incident : (!strcmp(e->type, "open") ? e->id : NULL);

		accord_idmap_put(&ix->loaded, e->id, (void *)e);
		if (incident)
			push_ptr(&loaded(ix, incident, 1)->entries, &loaded(ix, incident, 1)->count,
				 e);
	}
	if ((error = record(l, e)) < 0)
		return error;
	return save_state(l);
}

/* ---- rebuilding from a full verification ------------------------------------------- */

/* The high marks of the state file being replaced (a damaged file gives what it can). */
static void carry_marks(struct accord_index *ix, const char *dir)
{
	accord_buf path = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	char *line, *save = NULL;

	accord_buf_printf(&path, "%s/state", dir);
	if (accord_buf_read_file(&data, path.ptr, 64 << 20) == 0) {
		for (line = strtok_r(data.ptr, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char a[64], b[80];
			long long x;

			if (sscanf(line, "high %32s %lld %64s", a, &x, b) == 3 &&
			    accord_is_lower_hex(a, 32))
				raise_mark(ix, a, x, b);
		}
	}
	accord_buf_dispose(&path);
	accord_buf_dispose(&data);
}

static int remove_one(const char *path, const struct stat *st, int kind, struct FTW *at)
{
	(void)st;
	(void)kind;
	(void)at;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* The incidents of `l` in ledger order, each with its entries in ledger order, the open first. */
static void group_incidents(loaded_incident ***order, size_t *norder, const accord_ledger *l)
{
	accord_idmap groups = ACCORD_IDMAP_INIT;
	size_t i;

	for (i = 0; i < l->count; i++) {
		const accord_entry *e = l->entries[i];
		loaded_incident *li;

		if (!strcmp(e->type, "open")) {
			if (!(li = calloc(1, sizeof(*li))))
				abort();
			accord_idmap_put(&groups, e->id, li);
			push_ptr(order, norder, li);
		} else if (!e->incident[0] || !(li = accord_idmap_get(&groups, e->incident))) {
			continue;
		}
		push_ptr(&li->entries, &li->count, e);
	}
	accord_idmap_dispose(&groups);
}

static void free_incidents(loaded_incident **order, size_t norder)
{
	size_t i;

	for (i = 0; i < norder; i++) {
		free(order[i]->entries);
		free(order[i]);
	}
	free(order);
}

/*
 * Remove `dir` and everything in it, children first, without a shell and
 * without following symbolic links: a link planted in the index is
 * removed, never what it points at.
 */
static int remove_tree(const char *dir)
{
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return accord_error_set(ACCORD_ERROR, "can't clear %s: %s", dir, strerror(errno));
	return 0;
}

static int rebuild(accord_store *store, const char *dir, const unsigned char *key)
{
	accord_ledger *full = NULL, *shell = NULL;
	accord_buf path = ACCORD_BUF_INIT, opens = ACCORD_BUF_INIT;
	loaded_incident **order = NULL;
	size_t norder = 0, i;
	int error;
	char *head, line[OPENS_LINE];

	/* A shell ledger with the full state, to write files with; it keeps the old high marks. */
	shell = index_shell(store, dir, key);
	/* taken before the load: evidence that arrives meanwhile makes the next open rebuild */
	evidence_digest(shell->index->evidence, store);
	if ((error = accord_ledger_load(&full, store)) < 0) {
		accord_ledger_free(shell);
		return error;
	}
	carry_marks(shell->index, dir);
	/* Start from an empty folder so nothing stale survives. */
	if ((error = remove_tree(dir)) < 0)
		goto done;
	accord_buf_printf(&path, "%s/incidents", dir);
	if ((error = mkdir_p(path.ptr)) < 0)
		goto done;
	group_incidents(&order, &norder, full);
	for (i = 0; i < norder; i++) {
		const char *id = order[i]->entries[0]->id;

		head = shell->index->opens_head;
		opens_tag(head, shell->index, shell->index->opens++, id, head);
		opens_line(line, id, head);
		accord_buf_put(&opens, line, sizeof(line));
	}
	for (i = 0; i < norder && error == 0; i++)
		error = write_incident_file(shell->index, full, &full->parties, order[i]);
	if (error < 0)
		goto done;
	accord_buf_clear(&path);
	accord_buf_printf(&path, "%s/opens", dir);
	if ((error = write_atomic(path.ptr, &opens)) < 0)
		goto done;
	/* save_state reads these from the ledger it is given */
	memcpy(shell->id, full->id, sizeof(shell->id));
	shell->max_lamport = full->max_lamport;
	shell->feeds = full->feeds;
	shell->feed_count = full->feed_count;
	shell->parties = full->parties;
	shell->beyond = full->beyond;
	shell->beyond_count = full->beyond_count;
	shell->findings = full->findings;
	shell->finding_count = full->finding_count;
	shell->left_out = full->left_out;
	error = save_state(shell);
	shell->beyond = NULL;
	shell->beyond_count = 0;
	shell->findings = NULL;
	shell->finding_count = 0;
	shell->feeds = NULL;
	shell->feed_count = 0;
	accord_parties_init(&shell->parties);
done:
	free_incidents(order, norder);
	accord_ledger_free(shell);
	accord_ledger_free(full);
	accord_buf_dispose(&path);
	accord_buf_dispose(&opens);
	return error;
}

/* ---- opening ------------------------------------------------------------------ */

#define NEED_REBUILD 1
#define ACCORD_ENOTFOUND_INDEX 3 /* the index lists an incident whose file is gone */

/*
 * Verify the commits of one feed from its recorded head (or its root) to
 * `head`, appending the new entries to *news. NEED_REBUILD if the recorded
 * head is not an ancestor of the ref (a rewritten feed).
 */
static int walk_feed(accord_entry ***news, size_t *nnews, accord_ledger *l, accord_feed *feed,
		     const git_oid *head)
{
	accord_commit **commits = NULL;
	size_t n = 0, i;
	git_oid at = *head;
	const accord_entry *prev = feed->last;
	int error = 0, found = feed->last == NULL;

	for (;;) {
		accord_commit *c = NULL;

		if (!found && git_oid_equal(&at, &feed->head)) {
			found = 1;
			break;
		}
		if ((error = accord_commit_read(&c, l->store, &at)) < 0) {
			error = NEED_REBUILD; /* the full load names what is wrong */
			goto done;
		}
		push_ptr(&commits, &n, c);
		if (c->parent_count != 1)
			break;
		at = c->parent;
	}
	if (!found) {
		error = NEED_REBUILD;
		goto done;
	}
	for (i = n; i-- > 0;) {
		accord_entry *e = NULL;

		if ((error = accord_ledger_verify_commit(&e, commits[i], feed->keyid, prev,
							 feed->seq + (int64_t)(n - i))) < 0)
			goto done;
		git_oid_tostr(e->commit, sizeof(e->commit), &commits[i]->id);
		push_ptr(news, nnews, e);
		prev = e;
	}
	if (n) {
		feed->head = *head;
		feed->seq += (int64_t)n;
		feed->last = prev;
	}
done:
	for (i = 0; i < n; i++)
		accord_commit_free(commits[i]);
	free(commits);
	return error;
}

/* The feeds' last entries as recorded, by id: what new entries may depend on here. */
static accord_idmap *recorded_lasts(const accord_ledger *l)
{
	accord_idmap *m = calloc(1, sizeof(*m));
	size_t i;

	if (!m)
		abort();
	for (i = 0; i < l->feed_count; i++)
		if (l->feeds[i].last)
			accord_idmap_put(m, l->feeds[i].last->id, (void *)l->feeds[i].last);
	return m;
}

/*
 * Whether every head a checkpoint claims is one of its own deps (as accord
 * writes them), so the claim holds by the deps just checked. Any other
 * claim needs the causal past: a full verification judges it.
 */
static int claims_named(const accord_entry *e, accord_idmap *lasts)
{
	const cJSON *h;
	size_t j;

	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(e->body, "heads")) {
		const char *feed = accord_json_str(h, "feed"), *hash = accord_json_str(h, "hash");
		const accord_entry *d = NULL;
		int64_t seq;

		if (!feed || !hash || accord_json_int(&seq, h, "seq") < 0)
			return 0;
		for (j = 0; j < e->dep_count && !d; j++)
			if (!strcmp(e->deps[j], hash))
				d = accord_idmap_get(lasts, hash);
		if (!d || strcmp(d->author.id, feed) != 0 || d->seq != seq)
			return 0;
	}
	return 1;
}

/*
 * Whether the new entries can be recorded without the engine: none
 * changes authority (admissions, revocations, a key's first entry) or is
 * of a type this version does not read, every dep is a recorded feed head
 * or a new entry, and each clock is exactly one above its prev and deps.
 * Anything else goes through a full verification (the engine decides).
 */
static int causal_simple(accord_ledger *l, accord_entry **news, size_t n, accord_idmap *lasts)
{
	static const char *authority[] = { "member-add",   "member-revoke", "key-rotate",
					   "party-invite", "party-accept",  "party-recover",
					   "genesis" };
	size_t i, j;

	for (i = 0; i < n; i++)
		accord_idmap_put(lasts, news[i]->id, news[i]);
	for (i = 0; i < n; i++) {
		const accord_entry *e = news[i],
				   *p = e->prev[0] ? accord_idmap_get(lasts, e->prev) : NULL;
		int64_t want = p ? p->lamport : 0;

		if (e->seq == 1 || !e->known || (e->prev[0] && !p))
			return 0;
		/* agreements change every incident's customer side and clocks, and a dispute is judged
		 * on the causal graph: the engine re-derives */
		if (!strcmp(e->type, "agreement") || !strcmp(e->type, "dispute") ||
		    (!e->incident[0] &&
		     (!strcmp(e->type, "cosign") || !strcmp(e->type, "retract"))))
			return 0;
		for (j = 0; j < sizeof(authority) / sizeof(authority[0]); j++)
			if (!strcmp(e->type, authority[j]))
				return 0;
		for (j = 0; j < e->dep_count; j++) {
			const accord_entry *d = accord_idmap_get(lasts, e->deps[j]);

			if (!d || d->time > e->time || !strcmp(d->author.id, e->author.id))
				return 0;
			if (d->lamport > want)
				want = d->lamport;
		}
		if (e->lamport != want + 1)
			return 0;
		if (!strcmp(e->type, "checkpoint") && !claims_named(e, lasts))
			return 0;
	}
	(void)l;
	return 1;
}

/*
 * Whether new entries can change the verdict of entries already judged
 * here, which appending cannot express (TRUST.md attack 5): a pending
 * entry may count once what it waits for arrives, and a key's cut is
 * raised when another key of its party builds on its set-aside entries,
 * even through a third party's entry that counts, or when another party's
 * close rests on its cosign or its checkpoint on its open. These take the
 * engine.
 */
static int may_change_verdicts(const accord_ledger *l, accord_entry *const *news, size_t n)
{
	size_t i, j;

	for (i = 0; i < l->finding_count; i++) {
		const accord_finding *f = &l->findings[i];
		const accord_member *x;

		if (f->kind == ACCORD_AUDIT_PENDING)
			return 1;
		if (f->kind != ACCORD_AUDIT_PAST_CUT && f->kind != ACCORD_AUDIT_REVOKED_KEY)
			continue;
		if (!(x = accord_parties_member(&l->parties, f->feed)) || !x->revoked)
			continue;
		for (j = 0; j < n; j++) {
			const accord_member *m =
				accord_parties_member(&l->parties, news[j]->author.id);
			const char *t = news[j]->type, *st = accord_entry_str(news[j], "status");

			/* a colleague's entry, or another party's that may raise the cut
			 * (lib/ledger/verify.c, other_party_rests_on): a close resting on the
			 * key's entries, a cosign or action naming its proposal, a
			 * checkpoint resting on its open */
			if ((m && m != x && m->party == x->party) || !strcmp(t, "checkpoint") ||
			    (!strcmp(t, "status") && st && !strcmp(st, "closed")) ||
			    !strcmp(t, "cosign") || !strcmp(t, "action"))
				return 1;
		}
	}
	return 0;
}

/*
 * Bring `l` (from the state file) up to the refs. Returns 0 when done,
 * NEED_REBUILD when only a full verification can tell, or an error.
 */
static int catch_up(accord_ledger *l)
{
	accord_head *heads = NULL;
	accord_entry **news = NULL;
	size_t nheads = 0, nnews = 0, i, j;
	accord_idmap *lasts = NULL;
	int error;

	{
		char ev[ACCORD_ID_HEXLEN + 1];

		evidence_digest(ev, l->store);
		if (strcmp(ev, l->index->evidence) != 0)
			return NEED_REBUILD; /* new proof of equivocation can change what counts */
	}
	/*
	 * With a proven fork, a new entry that depends on a side of it can make
	 * that side count (TRUST.md attack 2): only the engine can tell.
	 */
	for (i = 0; i < l->finding_count; i++)
		if (l->findings[i].kind == ACCORD_AUDIT_EQUIVOCATION && !l->findings[i].set_aside)
			return NEED_REBUILD; /* a recovered fork (cut below it) has nothing left to count */
	if ((error = accord_ledger_local_heads(&heads, &nheads, l->store)) < 0)
		return error == ACCORD_EBADSIG ? NEED_REBUILD : error;
	if (nheads < l->feed_count)
		error = NEED_REBUILD; /* a feed disappeared */
	lasts = recorded_lasts(l);
	for (i = 0; i < nheads && error == 0; i++) {
		accord_feed *feed = (accord_feed *)accord_ledger_feed(l, heads[i].keyid);
		const accord_beyond *b = accord_ledger_beyond(l, heads[i].keyid);

		if (b && git_oid_equal(&b->head, &heads[i].head))
			continue;
		if (b) {
			error = NEED_REBUILD; /* a feed with entries that do not count moved: a new verdict */
			break;
		}
		if (feed && git_oid_equal(&feed->head, &heads[i].head))
			continue;
		if (!feed) {
			accord_feed *nf = realloc(l->feeds, (l->feed_count + 1) * sizeof(*nf));

			if (!nf)
				abort();
			l->feeds = nf;
			feed = &nf[l->feed_count++];
			memset(feed, 0, sizeof(*feed));
			memcpy(feed->keyid, heads[i].keyid, sizeof(feed->keyid));
		}
		error = walk_feed(&news, &nnews, l, feed, &heads[i].head);
	}
	free(heads);
	if (error == 0 && nnews) {
		qsort(news, nnews, sizeof(*news), accord_ledger_order_cmp);
		/* Entries that sort before what is recorded change history's order: rebuild. */
		if (news[0]->lamport <= l->max_lamport || !causal_simple(l, news, nnews, lasts) ||
		    may_change_verdicts(l, news, nnews))
			error = NEED_REBUILD;
	}
	for (i = 0; i < nnews && error == 0; i++) {
		accord_entry *e = news[i];
		git_oid c;

		git_oid_fromstr(&c, e->commit);
		if (strcmp(e->ledger, l->id) != 0) {
			error = accord_error_set(
				ACCORD_EBADSIG,
				"entry %s (feed %s, seq %lld): entry belongs to another ledger (%.16s)",
				e->commit, e->author.id, (long long)e->seq, e->ledger);
			break;
		}
		if (e->incident[0] && (error = load_incident(l, e->incident)) < 0) {
			error = error == ACCORD_ENOTFOUND
					? 0
					: error; /* apply names the missing incident */
			if (error < 0)
				break;
		}
		/* An earlier, interrupted catch-up may have recorded it already: use that copy. */
		{
			accord_entry *seen = accord_idmap_get(&l->index->loaded, e->id);

			if (seen) {
				size_t k;

				for (k = 0; k < l->feed_count; k++)
					if (l->feeds[k].last == e)
						l->feeds[k].last = seen;
				accord_entry_free(e);
				e = seen;
			} else {
				hold(l, e);
			}
			news[i] = NULL;
		}
		if (accord_parties_apply(&l->parties, e) < 0) {
			char why[512];

			snprintf(why, sizeof(why), "%s", accord_error_last());
			error = accord_error_set(ACCORD_EBADSIG,
						 "entry %s (feed %s, seq %lld): not authorized: %s",
						 e->commit, e->author.id, (long long)e->seq, why);
			break;
		}
		if (e->lamport > l->max_lamport)
			l->max_lamport = e->lamport;
		if ((error = record(l, e)) < 0)
			break;
	}
	for (j = 0; j < nnews; j++)
		accord_entry_free(news[j]);
	free(news);
	if (lasts)
		accord_idmap_dispose(lasts);
	free(lasts);
	/*
	 * Anything that does not verify on the way, or an index file that does
	 * not match the state: the engine's full pass decides what counts.
	 */
	if (error == ACCORD_EBADSIG || error == ACCORD_EINVALID)
		error = NEED_REBUILD;
	if (error == 0 && l->index->dirty)
		error = save_state(l);
	return error;
}

static int index_dir(char **out, accord_store *store)
{
	int error = accord_store_state_path(out, store, "index");

	if (error == 0 && mkdir(*out, 0700) < 0 && errno != EEXIST) {
		error = accord_error_set(ACCORD_ERROR, "can't create %s: %s", *out,
					 strerror(errno));
		free(*out);
	}
	return error;
}

static int find_ref(const accord_head *heads, size_t n, const char *keyid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(heads[i].keyid, keyid))
			return 1;
	return 0;
}

/* Heads recorded in the state equal the refs: nothing to verify. */
static int up_to_date(accord_ledger *l)
{
	accord_head *heads = NULL;
	size_t n = 0, i;
	int same;

	char ev[ACCORD_ID_HEXLEN + 1];

	evidence_digest(ev, l->store);
	if (strcmp(ev, l->index->evidence) != 0)
		return 0;
	if (accord_ledger_local_heads(&heads, &n, l->store) < 0)
		return 0;
	same = 1;
	for (i = 0; i < n && same; i++) {
		const accord_feed *f = accord_ledger_feed(l, heads[i].keyid);
		const accord_beyond *b = accord_ledger_beyond(l, heads[i].keyid);

		same = b ? git_oid_equal(&b->head, &heads[i].head)
			 : f && git_oid_equal(&f->head, &heads[i].head);
	}
	/* and no feed is gone */
	for (i = 0; i < l->feed_count && same; i++)
		same = find_ref(heads, n, l->feeds[i].keyid);
	free(heads);
	return same;
}

int accord_index_open(accord_ledger **out, accord_store *store, const unsigned char *cache_key)
{
	unsigned char key[crypto_generichash_KEYBYTES];
	accord_ledger *l = NULL;
	char *dir = NULL;
	int error, attempt, locked_here = 0;

	if ((error = index_dir(&dir, store)) < 0)
		return error;
	derive_key(key, store, cache_key);
	for (attempt = 0; attempt < 2; attempt++) {
		error = load_state(&l, store, dir, key);
		if (error == 0 && up_to_date(l))
			break;
		/* Changing the index is a write: serialize it with appends. */
		if (!locked_here && accord_store_lock_held(store) == 0) {
			if ((error = accord_store_lock(store)) < 0)
				goto done;
			locked_here = 1;
			accord_ledger_free(l);
			l = NULL;
			continue; /* someone may have updated it while we waited */
		}
		if (error == 0)
			error = catch_up(l);
		else if (error != ACCORD_ENOTFOUND && error != ACCORD_EINVALID)
			goto done;
		else
			error = NEED_REBUILD;
		if (error == NEED_REBUILD) {
			accord_ledger_free(l);
			l = NULL;
			if ((error = rebuild(store, dir, key)) < 0 ||
			    (error = load_state(&l, store, dir, key)) < 0)
				goto done;
		}
		if (error < 0)
			goto done;
		break;
	}
done:
	if (error == NAME_CONFLICT) {
		accord_ledger_free(l);
		l = NULL;
		error = accord_ledger_load(&l, store);
	}
	sodium_memzero(key, sizeof(key));
	if (locked_here)
		accord_store_unlock(store);
	free(dir);
	if (error < 0) {
		accord_ledger_free(l);
		return error;
	}
	*out = l;
	return 0;
}

/* ---- finding and listing ------------------------------------------------------- */

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
	drop_buckets(ix);
	ix->opens = from->opens;
	memcpy(ix->opens_head, from->opens_head, sizeof(ix->opens_head));
	memcpy(ix->state_tag, from->state_tag, sizeof(ix->state_tag));
	memcpy(ix->bucket_tag, from->bucket_tag, sizeof(ix->bucket_tag));
	memcpy(ix->has_bucket, from->has_bucket, sizeof(ix->has_bucket));
}

/*
 * An index file turned out not to match the state this ledger read (an
 * incident file, a bucket or `opens` edited, dropped or put back from
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
	if (round == 0 && load_state(&fresh, l->store, ix->dir, ix->key) == 0 &&
	    sodium_memcmp(fresh->index->state_tag, ix->state_tag, TAG_LEN) != 0) {
		adopt_tree(ix, fresh->index);
		accord_ledger_free(fresh);
		return 0;
	}
	accord_ledger_free(fresh);
	fresh = NULL;
	accord_error_clear();
	error = rebuild(l->store, ix->dir, ix->key);
	if (error == 0 && (error = load_state(&fresh, l->store, ix->dir, ix->key)) == 0)
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
 * all), from the buckets the prefix can be in (one when it has two digits
 * or more: O(incidents / 256)). ACCORD_EINVALID when a bucket does not
 * match the state.
 */
static int ids_matching(char ***out, size_t *count, struct accord_index *ix, const char *prefix,
			size_t max)
{
	size_t plen = strlen(prefix), i;
	unsigned b;
	int error = 0;

	*out = NULL;
	*count = 0;
	for (b = 0; b < BUCKETS && error == 0; b++) {
		char name[3];
		bucket *bk = NULL;

		snprintf(name, sizeof(name), "%02x", b);
		if (strncmp(name, prefix, plen < 2 ? plen : 2) != 0 ||
		    (error = read_bucket(&bk, ix, b)) < 0)
			continue;
		for (i = 0; i < bk->count && !(max && *count >= max); i++) {
			char *copy;

			if (strncmp(bk->rows[i].id, prefix, plen) != 0)
				continue;
			if (!(copy = strdup(bk->rows[i].id)))
				abort();
			push_ptr(out, count, copy);
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
	error = load_incident(l, ids[0]);
	li = error == 0 ? loaded(l->index, ids[0], 0) : NULL;
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

size_t accord_index_short_len(accord_ledger *l, const char *id, size_t min)
{
	char prefix[ACCORD_ID_HEXLEN + 1];
	char **ids = NULL;
	size_t n = 0, i, len = min;
	int error;

	/* ids that share fewer than `min` digits with `id` never make it longer than `min` */
	snprintf(prefix, sizeof(prefix), "%.*s",
		 (int)(min < ACCORD_ID_HEXLEN ? min : ACCORD_ID_HEXLEN), id);
	WITH_REPAIR(l, ids_matching(&ids, &n, l->index, prefix, 0));
	if (error < 0)
		return ACCORD_ID_HEXLEN; /* the full id is unique whatever the index says */
	for (i = 0; i < n; i++) {
		size_t k = 0;

		if (!strcmp(ids[i], id))
			continue;
		while (k < ACCORD_ID_HEXLEN && ids[i][k] == id[k])
			k++;
		if (k + 1 > len)
			len = k + 1;
	}
	free_strings(ids, n);
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

static int status_matches(const char *want, const char *status)
{
	if (!want)
		return 1;
	if (!strcmp(want, "open"))
		return strcmp(status, "resolved") && strcmp(status, "closed");
	return !strcmp(want, status);
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
			abort();
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
			opens_tag(want, ix, i, line, prev);
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
			if ((error = read_incident_file(&f, ix, id)) < 0) {
				error = error == ACCORD_ENOTFOUND ? ACCORD_ENOTFOUND_INDEX : error;
				break;
			}
			if (status_matches(status, f.summary.status)) {
				f.summary.customer_seconds = accord_impact_customer_seconds(
					f.windows, f.window_count, now,
					&f.summary.customer_running);
				res = realloc(res, (n + 1) * sizeof(*res));
				if (!res)
					abort();
				res[n++] = f.summary;
			}
			incident_file_dispose(&f);
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

/* Derive the summary of `li` (its entries in ledger order) as of `now`. */
static int summarize(accord_incident_summary *out, const accord_ledger *l,
		     const loaded_incident *li, int64_t now)
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
	out->customer_seconds = accord_impact_customer_seconds(inc->impact, inc->impact_count, now,
							       &out->customer_running);
	accord_incident_free(inc);
	return 0;
}

int accord_index_list_entries(accord_incident_summary **out, size_t *count, size_t *total,
			      const accord_ledger *l, const char *status, size_t limit, int64_t now)
{
	loaded_incident **order = NULL;
	accord_incident_summary *res = NULL;
	size_t norder = 0, n = 0, i;
	int error = 0;

	group_incidents(&order, &norder, l);
	/* newest first, as through the index, then oldest first */
	for (i = norder; i-- > 0 && error == 0 && !(limit && n >= limit);) {
		accord_incident_summary sm;

		if ((error = summarize(&sm, l, order[i], now)) < 0 ||
		    !status_matches(status, sm.status))
			continue;
		if (!(res = realloc(res, (n + 1) * sizeof(*res))))
			abort();
		res[n++] = sm;
	}
	free_incidents(order, norder);
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
