/*
 * The newest incidents' summaries in one file (issue 14: `accord list`).
 * A list of the 100 most recent incidents read a shelf, a bucket and an
 * incident file for each: about 280 files at a million entries, against
 * three at ten. `recent` holds the summary lines of the incidents of the
 * last RECENT lines of `opens`, sealed like every index file, its tag in
 * the state. It is a shortcut and nothing more: a `recent` that does not
 * match the state is not read (the buckets are), and the next
 * write makes it again.
 *
 * recent:
 *   accord-recent 1
 *   i <id> <digits>                newest first: the digits of its short id
 *   s, c, v, t and w lines         (accord_ledger_short_len, 12 at least),
 *                                  then its summary lines (as in its bucket)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/buf.h"
#include "accord/incident.h"
#include "index_impl.h"
#include "accord/error.h"
#include "alloc.h"
#include "encode.h"

#define RECENT 128   /* a list shows 100 unless told otherwise */
#define SHORT_MIN 12 /* the fewest digits an id is shown with (cmd_short_id) */

struct recent_row {
	char id[ACCORD_ID_HEXLEN + 1];
	size_t short_len; /* accord_ledger_short_len(id, SHORT_MIN) */
	const char *text; /* its summary lines, within data */
	size_t len;
};

struct recent {
	accord_buf data;
	struct recent_row *rows;
	size_t count;
	accord_idmap ids; /* id -> row */
};

static void recent_free(struct recent *r)
{
	if (!r)
		return;
	accord_buf_dispose(&r->data);
	accord_idmap_dispose(&r->ids);
	free(r->rows);
	free(r);
}

void accord_index_recent_drop(struct accord_index *ix)
{
	recent_free(ix->recent);
	ix->recent = NULL;
}

static void forget_changes(struct accord_index *ix)
{
	size_t i;

	for (i = 0; i < ix->recent_changed.size; i++)
		free((char *)ix->recent_changed.slots[i].key);
	accord_idmap_dispose(&ix->recent_changed);
	for (i = 0; i < ix->nrecent_opened; i++)
		free(ix->recent_opened[i]);
	free(ix->recent_opened);
	ix->recent_opened = NULL;
	ix->nrecent_opened = 0;
	ix->recent_dirty = 0;
}

void accord_index_recent_dispose(struct accord_index *ix)
{
	accord_index_recent_drop(ix);
	forget_changes(ix);
}

void accord_index_recent_changed(struct accord_index *ix, const char *id)
{
	ix->recent_dirty = 1;
	/* a rebuild writes every file: `recent` is made from the files alone then */
	if (id && !ix->fresh && !accord_idmap_get(&ix->recent_changed, id)) {
		char *key = accord_xstrdup(id);

		accord_idmap_put(&ix->recent_changed, key, key);
	}
}

void accord_index_recent_opened(struct accord_index *ix, const char *id)
{
	ix->recent_dirty = 1;
	if (ix->fresh)
		return;
	ix->recent_opened =
		accord_xrealloc(ix->recent_opened, (ix->nrecent_opened + 1) * sizeof(char *));
	ix->recent_opened[ix->nrecent_opened++] = accord_xstrdup(id);
}

/*
 * `recent` as the state recorded it, or an empty one (nothing found) when
 * the state records none or the file does not match.
 */
static struct recent *recent_load(struct accord_index *ix)
{
	static const char head[] = "accord-recent 1\n";
	struct recent *r = accord_xcalloc(1, sizeof(*r));
	unsigned char tag[TAG_LEN];
	const char *p, *end;
	size_t cap = 0;

	if (!ix->has_recent || accord_index_read_sealed(&r->data, tag, ix, "recent") < 0 ||
	    sodium_memcmp(tag, ix->recent_tag, TAG_LEN) != 0 || r->data.size < sizeof(head) - 1 ||
	    memcmp(r->data.ptr, head, sizeof(head) - 1) != 0) {
		accord_error_clear();
		accord_buf_dispose(&r->data);
		return r;
	}
	p = r->data.ptr + sizeof(head) - 1;
	end = r->data.ptr + r->data.size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *at = p + 3 + ACCORD_ID_HEXLEN;
		unsigned long digits = 0;
		struct recent_row *row;

		/* "i <id> <digits>": the row's summary lines run to the next such line */
		if (!nl || nl - p < 4 + ACCORD_ID_HEXLEN || nl - p > 5 + ACCORD_ID_HEXLEN ||
		    p[0] != 'i' || p[1] != ' ' || p[2 + ACCORD_ID_HEXLEN] != ' ' ||
		    strspn(p + 2, "0123456789abcdef") != ACCORD_ID_HEXLEN)
			break;
		for (; at < nl && *at >= '0' && *at <= '9'; at++)
			digits = digits * 10 + (unsigned long)(*at - '0');
		if (at != nl || digits < SHORT_MIN || digits > ACCORD_ID_HEXLEN)
			break;
		if (r->count == cap) {
			cap = cap ? 2 * cap : RECENT;
			r->rows = accord_xrealloc(r->rows, cap * sizeof(*r->rows));
		}
		row = &r->rows[r->count++];
		memcpy(row->id, p + 2, ACCORD_ID_HEXLEN);
		row->id[ACCORD_ID_HEXLEN] = '\0';
		row->short_len = digits;
		row->text = p = nl + 1;
		while (p < end && !(p[0] == 'i' && p + 1 < end && p[1] == ' ')) {
			nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
		}
		row->len = (size_t)(p - row->text);
	}
	if (p < end) { /* sealed by us, so never: read the files instead */
		r->count = 0;
		return r;
	}
	for (size_t i = 0; i < r->count; i++)
		accord_idmap_put(&r->ids, r->rows[i].id, &r->rows[i]);
	return r;
}

static const struct recent_row *recent_row(struct accord_index *ix, const char *id)
{
	if (!ix->recent)
		ix->recent = recent_load(ix);
	return accord_idmap_get(&ix->recent->ids, id);
}

size_t accord_index_recent_short_len(struct accord_index *ix, const char *id, size_t min)
{
	const struct recent_row *row = min >= SHORT_MIN ? recent_row(ix, id) : NULL;

	if (!row)
		return 0;
	/* the ids sharing `min` digits or more with it are those that made it longer than that */
	return row->short_len > min ? row->short_len : min;
}

int accord_index_recent_get(incident_file *f, struct accord_index *ix, const char *id)
{
	const struct recent_row *row;
	char *text;
	int error;

	if (!(row = recent_row(ix, id)))
		return 0;
	memset(f, 0, sizeof(*f));
	text = accord_xmalloc(row->len + 1);
	memcpy(text, row->text, row->len);
	text[row->len] = '\0';
	error = accord_index_parse_incident(f, text, 1);
	free(text);
	if (error < 0 || f->count != 0 || !f->summary.status[0]) {
		accord_index_incident_file_dispose(f);
		return 0;
	}
	memcpy(f->summary.id, id, sizeof(f->summary.id));
	return 1;
}

/* The summary lines of an incident as read (before list settles its closes). */
static void summary_lines(accord_buf *out, const incident_file *f)
{
	const accord_incident_summary *s = &f->summary;
	size_t i;

	accord_buf_printf(out, "s %s %lld %lld %lld %lld\nv %s\nt %s\n", s->status,
			  (long long)s->severity, (long long)s->opened_at, (long long)s->started_at,
			  (long long)s->status_at, s->service, s->title);
	if (s->closed_as[0])
		accord_buf_printf(out, "c %s %s\n", s->closed_as, s->of[0] ? s->of : "-");
	for (i = 0; i < f->later_count; i++)
		accord_buf_printf(out, "c %s %s\n", f->later[i].kind,
				  f->later[i].of[0] ? f->later[i].of : "-");
	for (i = 0; i < f->window_count; i++) {
		const accord_impact *w = &f->windows[i];

		accord_buf_printf(out, "w %lld %lld ", (long long)w->customers,
				  (long long)w->start);
		if (w->has_end)
			accord_buf_printf(out, "%lld\n", (long long)w->end);
		else
			accord_buf_puts(out, "-\n");
	}
}

/* `len` digits for `id`, or more if `other` shares that many (and is not `id` itself). */
static size_t longer(size_t len, const char *id, const char *other)
{
	size_t k = 0;

	if (!strcmp(id, other))
		return len;
	while (k < ACCORD_ID_HEXLEN && id[k] == other[k])
		k++;
	return k + 1 > len ? k + 1 : len;
}

/* The ids of the last `n` lines of `opens`, newest last, into *out (n lines of OPENS_LINE). */
static int opens_tail(accord_buf *out, const struct accord_index *ix, size_t n)
{
	accord_buf path = ACCORD_BUF_INIT;
	size_t len = n * OPENS_LINE;
	int fd, ok;

	accord_buf_printf(&path, "%s/opens", ix->dir);
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	accord_buf_dispose(&path);
	if (fd < 0)
		return -1;
	accord_buf_clear(out);
	accord_buf_grow(out, len + 1);
	ok = pread(fd, out->ptr, len, (off_t)((ix->opens - n) * OPENS_LINE)) == (ssize_t)len;
	close(fd);
	if (!ok)
		return -1;
	out->size = len;
	out->ptr[len] = '\0';
	return 0;
}

void accord_index_recent_save(struct accord_index *ix)
{
	accord_buf out = ACCORD_BUF_INIT, tail = ACCORD_BUF_INIT;
	struct recent *old = NULL;
	unsigned char tag[TAG_LEN];
	size_t n, i, j;

	if (!ix->recent_dirty && (ix->has_recent || ix->opens == 0))
		return;
	if (!ix->fresh)
		old = ix->recent ? ix->recent : recent_load(ix);
	else
		accord_index_recent_drop(ix);
	ix->recent = NULL;
	ix->has_recent = 0; /* until the new one is written */
	n = ix->opens < RECENT ? ix->opens : RECENT;
	if (n == 0 || opens_tail(&tail, ix, n) < 0)
		goto done;
	accord_buf_puts(&out, "accord-recent 1\n");
	for (i = n; i-- > 0;) {
		const char *line = tail.ptr + i * OPENS_LINE;
		const struct recent_row *row = NULL;
		char id[ACCORD_ID_HEXLEN + 1];
		size_t len;

		memcpy(id, line, ACCORD_ID_HEXLEN);
		id[ACCORD_ID_HEXLEN] = '\0';
		if (!accord_is_lower_hex(id, ACCORD_ID_HEXLEN))
			goto done;
		row = old ? accord_idmap_get(&old->ids, id) : NULL;
		/* the incidents opened since can only lengthen its short id */
		if (row) {
			len = row->short_len;
			for (j = 0; j < ix->nrecent_opened; j++)
				len = longer(len, id, ix->recent_opened[j]);
		} else if (accord_index_short_len_of(&len, ix, id, SHORT_MIN) < 0) {
			goto done;
		}
		accord_buf_printf(&out, "i %s %zu\n", id, len);
		if (row && !accord_idmap_get(&ix->recent_changed, id)) {
			accord_buf_put(&out, row->text, row->len);
		} else {
			incident_file f;

			if (accord_index_read_incident_file(&f, ix, id, 1) < 0)
				goto done;
			summary_lines(&out, &f);
			accord_index_incident_file_dispose(&f);
		}
	}
	if (accord_index_write_sealed_in_place(tag, ix, "recent", &out) == 0) {
		memcpy(ix->recent_tag, tag, TAG_LEN);
		ix->has_recent = 1;
	}
done:
	accord_error_clear();
	recent_free(old);
	forget_changes(ix);
	accord_buf_dispose(&out);
	accord_buf_dispose(&tail);
}

void accord_index_recent_state(accord_buf *state, const struct accord_index *ix)
{
	char hex[2 * TAG_LEN + 1];

	if (!ix->has_recent)
		return;
	accord_hex_encode(hex, ix->recent_tag, TAG_LEN);
	accord_buf_printf(state, "recent %s\n", hex);
}

int accord_index_recent_line(struct accord_index *ix, const char *line)
{
	if (strncmp(line, "recent ", 7) != 0 || strlen(line + 7) != 2 * TAG_LEN ||
	    !accord_is_lower_hex(line + 7, 2 * TAG_LEN) ||
	    accord_hex_decode(ix->recent_tag, TAG_LEN, line + 7) < 0)
		return -1;
	ix->has_recent = 1;
	return 0;
}
