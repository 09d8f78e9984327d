/*
 * The index's files and their authentication: every file carries a keyed
 * BLAKE2b tag, and the tags form a tree from the state down (index.h);
 * the shelves, the buckets that hold the incidents' lines, and `opens`.
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
#include "file.h"
#include "json.h"
#include "accord/clock.h"
#include "accord/incident.h"
#include "accord/timefmt.h"

#include <sodium.h>

#include "index.h"
#include "index_impl.h"
#include "array.h"
#include "alloc.h"

int accord_index_fields(char **field, int max, char *line)
{
	int n = 0;

	for (;;) {
		char *space = strchr(line, ' ');

		if (n == max || !*line || space == line)
			return -1;
		field[n++] = line;
		if (!space)
			return n;
		*space = '\0';
		line = space + 1;
	}
}

int accord_index_number(long long *out, const char *s)
{
	size_t sign = s[0] == '-', n = strlen(s), i;

	if (n == sign || n - sign > 19)
		return -1;
	for (i = sign; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	errno = 0;
	*out = strtoll(s, NULL, 10);
	return errno ? -1 : 0;
}

/* The tag key of the index of `store`: the user's cache key, bound to this repository. */
void accord_index_derive_key(unsigned char *out, accord_store *store,
			     const unsigned char *cache_key)
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
int accord_index_read_sealed(accord_buf *out, unsigned char *tag, const struct accord_index *ix,
			     const char *name)
{
	accord_buf path = ACCORD_BUF_INIT;
	int error;

	accord_buf_printf(&path, "%s/%s", ix->dir, name);
	error = accord_buf_read_regular(out, path.ptr, 64 << 20);
	accord_buf_dispose(&path);
	if (error == 0)
		error = unseal(tag, ix, name, out);
	return error;
}

/*
 * The folder of index file `name` ("opens", "incidents/ab/<id>"), opened
 * by descriptor from the index folder, each folder made if missing and
 * none of them followed if it is a link: what whoever can write the
 * repository swaps in never redirects a write. The last part of `name`
 * into *last; -1 with errno set on failure.
 */
static int parent_fd(const struct accord_index *ix, const char *name, const char **last)
{
	int fd = open(ix->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), next;
	const char *p = name, *slash;
	char part[16];

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		size_t n = (size_t)(slash - p);

		if (n == 0 || n >= sizeof(part)) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		if (mkdirat(fd, part, 0700) < 0 && errno != EEXIST) {
			close(fd);
			return -1;
		}
		next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	*last = p;
	return fd;
}

/*
 * Whether regular file `name` of folder `dfd` (a link is not followed)
 * holds exactly `data` under this one name: then writing it again would
 * change nothing. Reading a file costs less than writing it, and a rebuild
 * would otherwise write every incident's file again.
 */
static int holds(int dfd, const char *name, const accord_buf *data)
{
	struct stat st;
	char *have;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), same = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
	    (size_t)st.st_size == data->size) {
		have = accord_xmalloc(data->size + 1);
		same = read(fd, have, data->size + 1) == (ssize_t)data->size &&
		       (data->size == 0 || memcmp(have, data->ptr, data->size) == 0);
		free(have);
	}
	close(fd);
	return same;
}

int accord_index_write_file(const struct accord_index *ix, const char *name, const accord_buf *data)
{
	const char *last;
	int dfd = parent_fd(ix, name, &last), error = 0;

	/* a link or a file where a folder should be: planted, so the index is re-derived */
	if (dfd < 0)
		return accord_error_set(errno == ELOOP || errno == ENOTDIR ? ACCORD_EINVALID
									   : ACCORD_ERROR,
					"can't write index file %s: %s", name, strerror(errno));
	if (!holds(dfd, last, data))
		error = accord_file_write_atomic_at(dfd, ix->dir, last, data->ptr, data->size, 0600,
						    ACCORD_FILE_NO_SYNC);
	close(dfd);
	return error;
}

/* Seal `data` and write it as index file `name`, atomically; its tag into `tag`. */
int accord_index_write_sealed(unsigned char *tag, const struct accord_index *ix, const char *name,
			      accord_buf *data)
{
	seal(tag, ix, name, data);
	return accord_index_write_file(ix, name, data);
}

/* Open `last` in `dfd` for writing in place: a regular file of its own, made if missing. */
static int open_in_place(int dfd, const char *last)
{
	struct stat st;
	int fd = openat(dfd, last, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1)
		return fd;
	/* a link, a second name, a FIFO planted there: removed, never written through */
	if (fd >= 0)
		close(fd);
	if (unlinkat(dfd, last, 0) < 0 && errno != ENOENT)
		return -1;
	return openat(dfd, last, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
}

int accord_index_write_sealed_in_place(unsigned char *tag, const struct accord_index *ix,
				       const char *name, accord_buf *data)
{
	const char *last;
	int dfd, fd = -1, error = 0;

	seal(tag, ix, name, data);
	/* a link or a file where a folder should be: planted, so the index is re-derived */
	if ((dfd = parent_fd(ix, name, &last)) < 0)
		return accord_error_set(errno == ELOOP || errno == ENOTDIR ? ACCORD_EINVALID
									   : ACCORD_ERROR,
					"can't write index file %s: %s", name, strerror(errno));
	/* the same bytes are not written again: no reader meets them half-written */
	if (holds(dfd, last, data)) {
		close(dfd);
		return 0;
	}
	fd = open_in_place(dfd, last);
	close(dfd);
	if (fd < 0 || pwrite(fd, data->ptr, data->size, 0) != (ssize_t)data->size ||
	    ftruncate(fd, (off_t)data->size) < 0)
		error = accord_error_set(ACCORD_ERROR, "can't write index file %s: %s", name,
					 strerror(errno));
	if (fd >= 0)
		close(fd);
	return error;
}

/*
 * The tag (hex) of line `n` of `opens`, incident `id`, chained to `prev`,
 * the tag of line n-1 ("" for the first): the state records the last tag,
 * which so vouches for every line before it, and reading backwards from
 * the end checks only the lines read. An older list put back does not
 * end in the recorded tag, even with as many lines.
 */
void accord_index_opens_tag(char *out, const struct accord_index *ix, size_t n, const char *id,
			    const char *prev)
{
	unsigned char tag[LINE_TAG_LEN];
	char place[32 + ACCORD_ID_HEXLEN + 2 * LINE_TAG_LEN];
	int len = snprintf(place, sizeof(place), "%zu %.64s %.32s", n, id, prev);

	tag_of(tag, sizeof(tag), ix, "opens", place, (size_t)len);
	accord_hex_encode(out, tag, sizeof(tag));
}

/* A line of `opens`: "<id> <tag>\n" (no NUL). */
void accord_index_opens_line(char *out, const char *id, const char *tag)
{
	memcpy(out, id, ACCORD_ID_HEXLEN);
	out[ACCORD_ID_HEXLEN] = ' ';
	memcpy(out + ACCORD_ID_HEXLEN + 1, tag, 2 * LINE_TAG_LEN);
	out[OPENS_LINE - 1] = '\n';
}

/* The bucket of an incident id (or of a prefix of three digits or more). */
unsigned accord_index_bucket_of(const char *id)
{
	unsigned char b = 0;
	char hex[3] = { id[0], id[1], '\0' };
	unsigned c = (unsigned)(id[2] >= 'a' ? id[2] - 'a' + 10 : id[2] - '0');

	if (accord_hex_decode(&b, 1, hex) < 0)
		accord_error_clear(); /* callers pass checked hex */
	return (unsigned)b * 16 + (c & 15);
}

static const char hexdigits[] = "0123456789abcdef";

static void shelf_name(accord_buf *out, unsigned s)
{
	accord_buf_clear(out);
	accord_buf_printf(out, "incidents/%02x/shelf", s);
}

static void bucket_name(accord_buf *out, unsigned b)
{
	accord_buf_clear(out);
	accord_buf_printf(out, "incidents/%02x/bucket-%c", b / 16, hexdigits[b % 16]);
}

/* `n` lowercase hex digits: ids and tags, never secrets, so a table may say. */
static int lower_hex(const char *s, size_t n)
{
	static const unsigned char ok[256] = {
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
		['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1,
		['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	};
	size_t i;

	for (i = 0; i < n; i++)
		if (!ok[(unsigned char)s[i]])
			return 0;
	return 1;
}

/*
 * Read sealed index file `name` and check it against `want`, the tag its
 * parent recorded, so that a file put back from earlier does not pass.
 */
static int read_vouched(accord_buf *data, struct accord_index *ix, const char *name,
			const unsigned char *want)
{
	unsigned char tag[TAG_LEN];
	int error = accord_index_read_sealed(data, tag, ix, name);

	if (error == ACCORD_ENOTFOUND)
		return accord_error_set(ACCORD_EINVALID, "index file %s is gone", name);
	if (error == 0 && sodium_memcmp(tag, want, TAG_LEN) != 0)
		return accord_error_set(ACCORD_EINVALID,
					"index file %s is not the one its parent recorded", name);
	return error;
}

/*
 * Shelf `s`, read once per open and checked against the tag the state
 * recorded for it; empty when the state records none. ACCORD_EINVALID
 * when it does not match or is gone. Borrowed from the index.
 */
static int read_shelf(shelf **out, struct accord_index *ix, unsigned s)
{
	accord_buf name = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	shelf *sh;
	int error = 0;

	if (ix->shelves[s]) {
		*out = ix->shelves[s];
		return 0;
	}
	if (!(sh = calloc(1, sizeof(*sh))))
		accord_oom();
	if (ix->has_shelf[s]) {
		const char *p = NULL, *end = NULL;
		int last = -1;

		shelf_name(&name, s);
		error = read_vouched(&data, ix, name.ptr, ix->shelf_tag[s]);
		/* "accord-shelf 1\n", then "<c> <tag>\n" lines by digit, each at most once */
		if (error == 0 && (data.size < 15 || memcmp(data.ptr, "accord-shelf 1\n", 15) != 0))
			error = ACCORD_EINVALID;
		if (error == 0) {
			p = data.ptr + 15;
			end = data.ptr + data.size;
		}
		for (; error == 0 && p < end; p += 3 + 2 * TAG_LEN) {
			char hex[2 * TAG_LEN + 1];
			const char *d;
			int c;

			if (end - p < 3 + 2 * TAG_LEN || p[1] != ' ' ||
			    p[2 + 2 * TAG_LEN] != '\n' || !(d = memchr(hexdigits, p[0], 16)) ||
			    (c = (int)(d - hexdigits)) <= last) {
				error = ACCORD_EINVALID;
				break;
			}
			memcpy(hex, p + 2, 2 * TAG_LEN);
			hex[2 * TAG_LEN] = '\0';
			if (!lower_hex(hex, 2 * TAG_LEN) ||
			    accord_hex_decode(sh->tag[c], TAG_LEN, hex) < 0) {
				accord_error_clear();
				error = ACCORD_EINVALID;
				break;
			}
			sh->has[c] = 1;
			last = c;
		}
		if (error == ACCORD_EINVALID)
			error = accord_error_set(ACCORD_EINVALID, "index file %s is damaged",
						 name.ptr);
	}
	accord_buf_dispose(&name);
	accord_buf_dispose(&data);
	if (error < 0) {
		free(sh);
		return error;
	}
	ix->shelves[s] = sh;
	*out = sh;
	return 0;
}

/* Free bucket `bk` and its incidents' lines. */
void accord_index_bucket_free(bucket *bk)
{
	size_t i;

	if (!bk)
		return;
	for (i = 0; i < bk->count; i++)
		free(bk->rows[i].text);
	free(bk->rows);
	free(bk);
}

/*
 * The rows of bucket file `data` ("accord-bucket 2\n", then for each
 * incident "i <id> <length>\n" and its lines), ids in order and of bucket
 * `hb` (its three digits). -1 on anything else.
 */
static int parse_bucket(bucket *bk, const accord_buf *data, const char *hb)
{
	static const char head[] = "accord-bucket 2\n";
	const char *p = data->ptr, *end = data->ptr + data->size;
	size_t cap = 0;

	if (data->size < sizeof(head) - 1 || memcmp(p, head, sizeof(head) - 1) != 0)
		return -1;
	for (p += sizeof(head) - 1; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char line[2 + ACCORD_ID_HEXLEN + 1 + 20 + 1], *fld[4];
		long long len;
		bucket_row *r;

		/* "i <id> <length>", ids in order and of this bucket, then <length> bytes of lines */
		if (!nl || (size_t)(nl - p) >= sizeof(line))
			return -1;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		if (accord_index_fields(fld, 4, line) != 3 || strcmp(fld[0], "i") != 0 ||
		    !accord_is_lower_hex(fld[1], ACCORD_ID_HEXLEN) || memcmp(fld[1], hb, 3) != 0 ||
		    (bk->count && strcmp(bk->rows[bk->count - 1].id, fld[1]) >= 0) ||
		    accord_index_number(&len, fld[2]) < 0 || len <= 0 || len > end - (nl + 1) ||
		    nl[len] != '\n')
			return -1;
		if (bk->count == cap) {
			cap = cap ? 2 * cap : 16;
			bk->rows = accord_xrealloc(bk->rows, cap * sizeof(*bk->rows));
		}
		r = &bk->rows[bk->count++];
		memcpy(r->id, fld[1], sizeof(r->id));
		r->len = (size_t)len;
		r->text = accord_xmalloc(r->len + 1);
		memcpy(r->text, nl + 1, r->len);
		r->text[r->len] = '\0';
		p = nl + 1 + len;
	}
	return 0;
}

/*
 * Bucket `b`, read once per open and checked against the tag its shelf
 * recorded for it; empty when the shelf records none. ACCORD_EINVALID when
 * it does not match or is gone. Borrowed from the index.
 */
int accord_index_read_bucket(bucket **out, struct accord_index *ix, unsigned b)
{
	accord_buf name = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	shelf *sh = NULL;
	bucket *bk;
	/* the bucket's three digits */
	const char hb[3] = { hexdigits[b >> 8 & 15], hexdigits[b >> 4 & 15], hexdigits[b & 15] };
	int error = 0;

	if (ix->buckets[b]) {
		*out = ix->buckets[b];
		return 0;
	}
	if ((error = read_shelf(&sh, ix, b / 16)) < 0)
		return error;
	bk = accord_xcalloc(1, sizeof(*bk));
	if (sh->has[b % 16]) {
		bucket_name(&name, b);
		error = read_vouched(&data, ix, name.ptr, sh->tag[b % 16]);
		if (error == 0 && parse_bucket(bk, &data, hb) < 0)
			error = accord_error_set(ACCORD_EINVALID, "index file %s is damaged",
						 name.ptr);
	}
	accord_buf_dispose(&name);
	accord_buf_dispose(&data);
	if (error < 0) {
		accord_index_bucket_free(bk);
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

/*
 * Put `text` (taken) as incident `id`'s lines in its (loaded) bucket. The
 * same lines again leave it as it is: a rebuild writes only what changed.
 */
static void bucket_set(bucket *bk, const char *id, accord_buf *text)
{
	int found;
	size_t at = bucket_place(bk, id, &found);

	if (found && bk->rows[at].len == text->size &&
	    memcmp(bk->rows[at].text, text->ptr, text->size) == 0)
		return;
	if (!found) {
		bk->rows = accord_xrealloc(bk->rows, (bk->count + 1) * sizeof(*bk->rows));
		memmove(&bk->rows[at + 1], &bk->rows[at], (bk->count - at) * sizeof(*bk->rows));
		bk->count++;
		snprintf(bk->rows[at].id, sizeof(bk->rows[at].id), "%.64s", id);
	} else {
		free(bk->rows[at].text);
	}
	bk->rows[at].len = text->size;
	bk->rows[at].text = accord_buf_detach(text);
	bk->dirty = 1;
}

/* Write bucket `b` if it changed, and record its new tag in its shelf. */
static int write_bucket(struct accord_index *ix, unsigned b, accord_buf *name, accord_buf *data)
{
	bucket *bk = ix->buckets[b];
	shelf *sh = NULL;
	size_t i;
	int error;

	if (!bk || !bk->dirty)
		return 0;
	accord_buf_clear(data);
	accord_buf_puts(data, "accord-bucket 2\n");
	for (i = 0; i < bk->count; i++) {
		accord_buf_printf(data, "i %s %zu\n", bk->rows[i].id, bk->rows[i].len);
		accord_buf_put(data, bk->rows[i].text, bk->rows[i].len);
	}
	bucket_name(name, b);
	/* its shelf was read with it: a bucket is read through its shelf */
	if ((error = read_shelf(&sh, ix, b / 16)) == 0 &&
	    (error = accord_index_write_sealed_in_place(sh->tag[b % 16], ix, name->ptr, data)) ==
		    0) {
		sh->has[b % 16] = 1;
		sh->dirty = 1;
		bk->dirty = 0;
	}
	return error;
}

int accord_index_flush_bucket(struct accord_index *ix, unsigned b)
{
	accord_buf name = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	int error = write_bucket(ix, b, &name, &data);

	accord_buf_dispose(&name);
	accord_buf_dispose(&data);
	if (error == 0) {
		accord_index_bucket_free(ix->buckets[b]);
		ix->buckets[b] = NULL;
	}
	return error;
}

/*
 * Write the buckets that changed, then the shelves whose tags
 * changed, recording the shelves' new tags for the state: each file is
 * written before the one that vouches for it.
 */
int accord_index_flush_buckets(struct accord_index *ix)
{
	accord_buf name = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	unsigned b, s;
	size_t i;
	int error = 0;

	for (b = 0; b < BUCKETS && error == 0; b++)
		error = write_bucket(ix, b, &name, &data);
	for (s = 0; s < SHELVES && error == 0; s++) {
		shelf *sh = ix->shelves[s];

		if (!sh || !sh->dirty)
			continue;
		accord_buf_clear(&data);
		accord_buf_puts(&data, "accord-shelf 1\n");
		for (i = 0; i < 16; i++) {
			char hex[2 * TAG_LEN + 1];

			if (!sh->has[i])
				continue;
			accord_hex_encode(hex, sh->tag[i], TAG_LEN);
			accord_buf_printf(&data, "%c %s\n", hexdigits[i], hex);
		}
		shelf_name(&name, s);
		if ((error = accord_index_write_sealed_in_place(ix->shelf_tag[s], ix, name.ptr,
								&data)) == 0) {
			ix->has_shelf[s] = 1;
			sh->dirty = 0;
		}
	}
	accord_buf_dispose(&name);
	accord_buf_dispose(&data);
	return error;
}

void accord_index_incident_file_dispose(incident_file *f)
{
	free(f->commits);
	free(f->ids);
	free(f->windows);
	free(f->later);
	free(f->named_by);
	free(f->past);
	memset(f, 0, sizeof(*f));
}

/*
 * Read incident `id`'s file, checked down the tree: the state vouches for
 * its bucket, the bucket for the file. ACCORD_ENOTFOUND when its bucket
 * does not list it, ACCORD_EINVALID when a file does not match.
 */
static size_t incident_reads;

size_t accord_ledger_index_read_count(void)
{
	return __atomic_load_n(&incident_reads, __ATOMIC_RELAXED);
}

/*
 * One side of a p line into `out` (ACCORD_ID_HEXLEN + 1 bytes): an
 * entry's id, or its place among the e lines read so far. -1 if neither.
 */
static int past_side(char *out, const incident_file *f, const char *s)
{
	long long at;

	if (strlen(s) == ACCORD_ID_HEXLEN && accord_is_lower_hex(s, ACCORD_ID_HEXLEN))
		memcpy(out, s, ACCORD_ID_HEXLEN + 1);
	else if (accord_index_number(&at, s) == 0 && at >= 0 && (size_t)at < f->count)
		memcpy(out, f->ids[at], ACCORD_ID_HEXLEN + 1);
	else
		return -1;
	return 0;
}

/*
 * Parse an incident's lines (of its bucket, or of `recent`, which has no
 * e lines) into *f (zeroed by the caller), in place. With `summary_only`,
 * stop at the first e line. -1 on a line that does not parse; f keeps
 * what it got, for the caller to dispose.
 */
int accord_index_parse_incident(incident_file *f, char *text, int summary_only)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line && !(summary_only && f->count);
	     line = strtok_r(NULL, "\n", &save)) {
		accord_incident_summary *s = &f->summary;

		if (line[0] == 's' && line[1] == ' ') {
			/* s <status> <severity> <opened> <started> <status changed> */
			long long sev, op, st, sa;
			char *fld[7];

			if (accord_index_fields(fld, 7, line) != 6 ||
			    strlen(fld[1]) >= sizeof(s->status) ||
			    accord_index_number(&sev, fld[2]) < 0 ||
			    accord_index_number(&op, fld[3]) < 0 ||
			    accord_index_number(&st, fld[4]) < 0 ||
			    accord_index_number(&sa, fld[5]) < 0)
				return -1;
			memcpy(s->status, fld[1], strlen(fld[1]) + 1);
			s->severity = sev;
			s->opened_at = op;
			s->started_at = st;
			s->status_at = sa;
		} else if (line[0] == 'c' && line[1] == ' ') {
			/* a joint void or duplicate; which takes effect is the list's to settle */
			struct index_closure c;

			if (sscanf(line + 2, "%15s %64s", c.kind, c.of) != 2)
				return -1;
			if (!strcmp(c.of, "-"))
				c.of[0] = '\0';
			if (!s->closed_as[0]) {
				memcpy(s->closed_as, c.kind, sizeof(c.kind));
				memcpy(s->of, c.of, sizeof(c.of));
			} else {
				ACCORD_PUSH(f->later, f->later_count, c);
			}
		} else if (line[0] == 'w' && line[1] == ' ') {
			/* w <customers> <start> <end|-> */
			accord_impact w = { 0 };
			long long c, ws, we;
			char *fld[5];

			if (accord_index_fields(fld, 5, line) != 4 ||
			    accord_index_number(&c, fld[1]) < 0 ||
			    accord_index_number(&ws, fld[2]) < 0)
				return -1;
			w.customers = c;
			w.start = ws;
			if (strcmp(fld[3], "-") != 0) {
				if (accord_index_number(&we, fld[3]) < 0)
					return -1;
				w.end = we;
				w.has_end = 1;
			}
			f->windows =
				realloc(f->windows, (f->window_count + 1) * sizeof(*f->windows));
			if (!f->windows)
				accord_oom();
			f->windows[f->window_count++] = w;
		} else if (line[0] == 'd' && line[1] == ' ' && strlen(line) == 2 + 64 &&
			   accord_is_lower_hex(line + 2, 64)) {
			f->named_by = realloc(f->named_by,
					      (f->named_by_count + 1) * sizeof(*f->named_by));
			if (!f->named_by)
				accord_oom();
			memcpy(f->named_by[f->named_by_count++], line + 2, ACCORD_ID_HEXLEN + 1);
		} else if (line[0] == 'p' && line[1] == ' ') {
			/* p <later> <earlier> 0|1, after the e lines it may name by place */
			struct index_past q;
			char *fld[5];

			if (accord_index_fields(fld, 5, line) != 4 ||
			    past_side(q.key, f, fld[1]) < 0 ||
			    past_side(q.key + ACCORD_ID_HEXLEN, f, fld[2]) < 0 ||
			    (strcmp(fld[3], "0") && strcmp(fld[3], "1")))
				return -1;
			q.yes = fld[3][0] == '1';
			ACCORD_PUSH(f->past, f->past_count, q);
		} else if (line[0] == 'v' && line[1] == ' ') {
			snprintf(s->service, sizeof(s->service), "%s", line + 2);
		} else if (line[0] == 't' && line[1] == ' ') {
			snprintf(s->title, sizeof(s->title), "%s", line + 2);
		} else if (line[0] == 'e' && line[1] == ' ' && strlen(line) == 2 + 40 + 1 + 64) {
			git_oid oid;

			line[42] = '\0';
			if (git_oid_fromstr(&oid, line + 2) < 0 ||
			    !accord_is_lower_hex(line + 43, 64))
				return -1;
			f->commits = realloc(f->commits, (f->count + 1) * sizeof(*f->commits));
			f->ids = realloc(f->ids, (f->count + 1) * sizeof(*f->ids));
			if (!f->commits || !f->ids)
				accord_oom();
			f->commits[f->count] = oid;
			memcpy(f->ids[f->count], line + 43, 65);
			f->count++;
		} else {
			return -1;
		}
	}
	return 0;
}

int accord_index_read_incident_file(incident_file *f, struct accord_index *ix, const char *id,
				    int summary_only)
{
	bucket *bk = NULL;
	char *text;
	size_t at;
	int error, found = 0;

	memset(f, 0, sizeof(*f));
	__atomic_add_fetch(&incident_reads, 1, __ATOMIC_RELAXED);
	if ((error = accord_index_read_bucket(&bk, ix, accord_index_bucket_of(id))) < 0)
		return error;
	at = bucket_place(bk, id, &found);
	if (!found)
		return accord_error_set(ACCORD_ENOTFOUND, "the index has no incident %.12s", id);
	/* parsed in place: the bucket keeps its copy */
	text = accord_xmalloc(bk->rows[at].len + 1);
	memcpy(text, bk->rows[at].text, bk->rows[at].len + 1);
	if (accord_index_parse_incident(f, text, summary_only) < 0 || f->count == 0 ||
	    strcmp(f->ids[0], id) != 0) {
		free(text);
		accord_index_incident_file_dispose(f);
		return accord_error_set(ACCORD_EINVALID, "index file of incident %.12s is damaged",
					id);
	}
	free(text);
	memcpy(f->summary.id, id, sizeof(f->summary.id));
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The d lines of incident `id`: those its file has (unless the index is
 * written anew) and those learnt since, sorted, each once.
 */
static int named_by_lines(accord_buf *out, struct accord_index *ix, const char *id)
{
	const struct named_by *nb = accord_idmap_get(&ix->named_by, id);
	const char **all = NULL;
	incident_file old;
	size_t n = 0, i;
	int error = 0, have = 0;

	memset(&old, 0, sizeof(old));
	if (!ix->fresh) {
		error = accord_index_read_incident_file(&old, ix, id, 0);
		if (error == ACCORD_ENOTFOUND) /* a new incident: no file yet */
			error = 0;
		else if (error == 0)
			have = 1;
	}
	if (error < 0)
		return error;
	for (i = 0; have && i < old.named_by_count; i++)
		ACCORD_PUSH(all, n, old.named_by[i]);
	for (i = 0; nb && i < nb->count; i++)
		ACCORD_PUSH(all, n, nb->ids[i]);
	if (n > 1)
		qsort(all, n, sizeof(*all), cmp_id);
	for (i = 0; i < n; i++)
		if (!i || strcmp(all[i], all[i - 1]) != 0)
			accord_buf_printf(out, "d %s\n", all[i]);
	free(all);
	accord_index_incident_file_dispose(&old);
	return 0;
}

const char *accord_index_name_duplicate(struct accord_index *ix, const accord_entry *e)
{
	const char *of = strcmp(e->type, "duplicate") ? NULL : accord_entry_str(e, "of");
	struct named_by *nb;

	if (!of || !e->incident[0] || strlen(of) != ACCORD_ID_HEXLEN)
		return NULL;
	if (!(nb = accord_idmap_get(&ix->named_by, of))) {
		nb = accord_xcalloc(1, sizeof(*nb));
		accord_idmap_put(&ix->named_by, accord_xstrdup(of), nb);
	}
	ACCORD_PUSH(nb->ids, nb->count, e->incident);
	return of;
}

/* The causal questions a derivation asks, with their answers: the p lines. */
struct asked {
	const accord_ledger *ledger;
	struct index_past *q;
	size_t n;
};

static int ask(const accord_entry *later, const accord_entry *earlier, void *payload)
{
	struct asked *a = payload;
	int yes = accord_incident_ledger_in_past(later, earlier, (void *)a->ledger);
	struct index_past q;
	size_t i;

	if (yes < 0)
		return yes;
	memcpy(q.key, later->id, ACCORD_ID_HEXLEN);
	memcpy(q.key + ACCORD_ID_HEXLEN, earlier->id, ACCORD_ID_HEXLEN + 1);
	q.yes = yes;
	for (i = 0; i < a->n; i++)
		if (!memcmp(a->q[i].key, q.key, sizeof(q.key)))
			return yes;
	ACCORD_PUSH(a->q, a->n, q);
	return yes;
}

/* One side of a p line: the entry's place among the incident's e lines, else its id. */
static void past_side_line(accord_buf *out, const loaded_incident *li, const char *id)
{
	size_t i;

	for (i = 0; i < li->count; i++)
		if (!memcmp(li->entries[i]->id, id, ACCORD_ID_HEXLEN)) {
			accord_buf_printf(out, " %zu", i);
			return;
		}
	accord_buf_printf(out, " %.*s", ACCORD_ID_HEXLEN, id);
}

/*
 * Derive the incident from its loaded entries, write its file and record
 * its tag in its bucket (written with the state, flush_buckets). The
 * clocks are computed too, for the causal questions they ask: what show
 * asks, answered here once (p lines).
 */
int accord_index_write_incident_file(struct accord_index *ix, const accord_ledger *l,
				     const accord_parties *parties, const loaded_incident *li)
{
	struct asked asked = { l, NULL, 0 };
	accord_incident *inc = NULL;
	accord_clocks *clocks = NULL;
	accord_buf data = ACCORD_BUF_INIT;
	bucket *bk = NULL;
	int64_t last = 0;
	size_t i;
	int error;

	if ((error = accord_incident_build_from(&inc, parties, li->entries, li->count, ask,
						&asked)) < 0) {
		free(asked.q);
		return error;
	}
	/*
	 * No question the clocks ask depends on when they are read; the
	 * newest entry's time keeps their sums in range. Clocks that cannot be
	 * computed fail show, as before, not the index: their questions are
	 * simply not kept.
	 */
	for (i = 0; i < li->count; i++)
		if (li->entries[i]->time > last)
			last = li->entries[i]->time;
	if (accord_clocks_compute(&clocks, inc, parties, ask, &asked, last) < 0)
		accord_error_clear();
	accord_clocks_free(clocks);
	/* a bucket that does not match is not written on: the next open re-derives it */
	if ((error = accord_index_read_bucket(&bk, ix, accord_index_bucket_of(inc->id))) < 0) {
		accord_incident_free(inc);
		free(asked.q);
		return error;
	}
	accord_buf_printf(&data, "s %s %lld %lld %lld %lld\nv %s\nt %s\n", inc->status,
			  (long long)inc->severity, (long long)inc->opened_at,
			  (long long)inc->started_at, (long long)inc->status_at,
			  inc->service ? inc->service : "", inc->title ? inc->title : "");
	for (i = inc->closed_as ? (size_t)(inc->closed_as - inc->closures) : inc->closure_count;
	     i < inc->closure_count; i++)
		if (inc->closures[i].joint && !inc->closures[i].retracted)
			accord_buf_printf(&data, "c %s %s\n", inc->closures[i].kind,
					  inc->closures[i].of ? inc->closures[i].of : "-");
	for (i = 0; i < inc->impact_count; i++) {
		const accord_impact *w = &inc->impact[i];

		accord_buf_printf(&data, "w %lld %lld ", (long long)w->customers,
				  (long long)w->start);
		if (w->has_end)
			accord_buf_printf(&data, "%lld\n", (long long)w->end);
		else
			accord_buf_puts(&data, "-\n");
	}
	if ((error = named_by_lines(&data, ix, inc->id)) < 0) {
		accord_incident_free(inc);
		accord_buf_dispose(&data);
		free(asked.q);
		return error;
	}
	for (i = 0; i < li->count; i++)
		accord_buf_printf(&data, "e %s %s\n", li->entries[i]->commit, li->entries[i]->id);
	for (i = 0; i < asked.n; i++) {
		accord_buf_puts(&data, "p");
		past_side_line(&data, li, asked.q[i].key);
		past_side_line(&data, li, asked.q[i].key + ACCORD_ID_HEXLEN);
		accord_buf_printf(&data, " %d\n", asked.q[i].yes);
	}
	bucket_set(bk, inc->id, &data);
	accord_index_recent_changed(ix, inc->id);
	accord_incident_free(inc);
	accord_buf_dispose(&data);
	free(asked.q);
	return 0;
}

/*
 * Write incident `id` as line ix->opens of `opens`, past which nothing
 * counts: what an interrupted update left there is overwritten.
 */
int accord_index_append_open(struct accord_index *ix, const char *id)
{
	accord_buf path = ACCORD_BUF_INIT;
	char line[OPENS_LINE], tag[2 * LINE_TAG_LEN + 1];
	const char *last;
	struct stat st;
	int fd, dfd, error = 0;

	accord_buf_printf(&path, "%s/opens", ix->dir);
	dfd = parent_fd(ix, "opens", &last);
	fd = dfd < 0 ? -1
		     : openat(dfd, last, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
			      0600);
	if (dfd >= 0)
		close(dfd);
	accord_index_opens_tag(tag, ix, ix->opens, id, ix->opens_head);
	accord_index_opens_line(line, id, tag);
	/* written in place: only into a file of its own, never through a second name */
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)) {
		error = accord_error_set(ACCORD_EINVALID, "index file %s is not a file of its own",
					 path.ptr);
	} else if (fd < 0 || pwrite(fd, line, sizeof(line), (off_t)(ix->opens * OPENS_LINE)) !=
				     (ssize_t)sizeof(line)) {
		error = accord_error_set(ACCORD_ERROR, "can't write %s: %s", path.ptr,
					 strerror(errno));
	} else {
		ix->opens++;
		memcpy(ix->opens_head, tag, sizeof(tag));
		accord_index_recent_opened(ix, id);
	}
	if (fd >= 0)
		close(fd);
	accord_buf_dispose(&path);
	return error;
}
