/*
 * The memo of signatures that verified (sigcache.h), each record checked
 * on its own: a million commits make an 80 MB memo, and a sync that
 * checks 10,000 of them should not authenticate, sort and rewrite it all.
 *
 * Two files of the same form: `sigcache`, the bulk, and `sigcache-new`,
 * what later runs added, kept below an eighth of the bulk and merged into
 * it beyond. A file is "accord-sigcache 2\n", a table of the sk
 * applications its records name (a count byte, then a length byte and the
 * bytes of each), then records sorted by digest, each REC_LEN bytes:
 *
 *	digest[32] | key[32] | application[1] (0: none, k: the k-th) | tag[16]
 *
 * The tag is BLAKE2b under a key bound to the repository, over the digest,
 * the key and the application's own bytes, so each record is checked on
 * its own when it is found, and a record moved to another file or another
 * table index still says the same. Every record is a fact about exact
 * bytes, true for good: a file put back from before, records removed or
 * reordered cost lookups, never a verdict.
 *
 * Loading reads the files, about 25 ms for 80 MB here, and checks
 * nothing: a lookup checks the record it finds. Only a save writes,
 * and it writes the small file unless the bulk is due.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "encode.h"
#include "file.h"
#include "sigcache.h"
#include "alloc.h"

#define MAGIC "accord-sigcache 2\n"
#define MAGIC_LEN (sizeof(MAGIC) - 1)
#define DIGEST_LEN ACCORD_SIGCACHE_DIGEST_LEN
#define TAG_LEN 16
#define REC_LEN (DIGEST_LEN + 32 + 1 + TAG_LEN)
#define MAX_APPS 255 /* a record names its application in one byte */
/* What the bulk may hold before a merge writes the additions into it: 1 in ... */
#define NEW_SHARE 8
#define MAX_FILE (1u << 30) /* 13 million records */

enum { BULK, NEW, NFILES };
static const char *const file_names[NFILES] = { "sigcache", "sigcache-new" };

/* One file, read. */
struct table {
	unsigned char *data;
	size_t size;
	const unsigned char *recs; /* n records, sorted by digest as written */
	size_t n;
	const unsigned char *apps[MAX_APPS]; /* each: a length byte, then the bytes */
	size_t napps;
};

/* A record added in this run, not yet saved: its application an index into `apps`. */
struct added {
	unsigned char digest[DIGEST_LEN];
	unsigned char pk[32];
	unsigned char app; /* 0 or 1 + an index into accord_sigcache.apps */
};

struct accord_sigcache {
	char *dir; /* <gitdir>/accord */
	unsigned char key[crypto_generichash_KEYBYTES];
	int loaded;
	int held;		    /* saves write nothing (accord_sigcache_hold) */
	struct table files[NFILES]; /* read-only once loaded */
	pthread_mutex_t lock;	    /* guards what follows */
	struct added *added;
	size_t nadded, capadded;
	char *apps[MAX_APPS]; /* the applications of added records */
	size_t napps;
};

static void tag_of(unsigned char *out, const accord_sigcache *c, const unsigned char *rec,
		   const unsigned char *app, size_t applen)
{
	crypto_generichash_state st;
	unsigned char len = (unsigned char)applen;

	crypto_generichash_init(&st, c->key, sizeof(c->key), TAG_LEN);
	crypto_generichash_update(&st, rec, DIGEST_LEN + 32);
	crypto_generichash_update(&st, &len, 1);
	crypto_generichash_update(&st, app, applen);
	crypto_generichash_final(&st, out, TAG_LEN);
}

/* The application of record `rec` of `t` (length in *len), or NULL for an index out of range. */
static const unsigned char *rec_app(const struct table *t, const unsigned char *rec, size_t *len)
{
	unsigned char k = rec[DIGEST_LEN + 32];

	*len = 0;
	if (k == 0)
		return (const unsigned char *)"";
	if (k > t->napps)
		return NULL;
	*len = t->apps[k - 1][0];
	return t->apps[k - 1] + 1;
}

/* 1 if the record's tag is the one this cache's key gives it. */
static int rec_authentic(const accord_sigcache *c, const struct table *t, const unsigned char *rec)
{
	unsigned char want[TAG_LEN];
	const unsigned char *app;
	size_t applen;

	if (!(app = rec_app(t, rec, &applen)))
		return 0;
	tag_of(want, c, rec, app, applen);
	return sodium_memcmp(want, rec + REC_LEN - TAG_LEN, TAG_LEN) == 0;
}

static void table_free(struct table *t)
{
	free(t->data);
	memset(t, 0, sizeof(*t));
}

/* Find the parts of the file in t->data; one that is malformed leaves `t` empty. */
static void table_parse(struct table *t)
{
	const unsigned char *p, *end;
	size_t i;

	p = t->data;
	end = p + t->size;
	if (t->size < MAGIC_LEN + 1 || memcmp(p, MAGIC, MAGIC_LEN) != 0)
		goto bad;
	p += MAGIC_LEN;
	t->napps = *p++;
	for (i = 0; i < t->napps; i++) {
		if (p >= end || *p > ACCORD_SK_APPLICATION_MAX || (size_t)(end - p) < 1u + *p)
			goto bad;
		t->apps[i] = p;
		p += 1u + *p;
	}
	if ((size_t)(end - p) % REC_LEN != 0)
		goto bad;
	t->recs = p;
	t->n = (size_t)(end - p) / REC_LEN;
	return;
bad:
	table_free(t);
}

/*
 * Read the file `name`; one that is missing, no regular file, or
 * malformed is empty. Read, not mapped: a mapping of a file someone cuts
 * short in place (a copy made over it) kills the reader. What it holds is
 * checked when found.
 */
static void table_load(struct table *t, const accord_sigcache *c, const char *name)
{
	accord_buf b = ACCORD_BUF_INIT;
	char *path;

	memset(t, 0, sizeof(*t));
	if (asprintf(&path, "%s/%s", c->dir, name) < 0)
		accord_oom();
	if (accord_buf_read_regular(&b, path, MAX_FILE) == 0) {
		t->size = b.size;
		t->data = (unsigned char *)accord_buf_detach(&b);
		table_parse(t);
	} else {
		accord_error_clear();
	}
	accord_buf_dispose(&b);
	free(path);
}

/* The record of `digest` in `t`, or NULL. */
static const unsigned char *table_find(const struct table *t, const unsigned char *digest)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const unsigned char *rec = t->recs + mid * REC_LEN;
		int cmp = memcmp(digest, rec, DIGEST_LEN);

		if (cmp == 0)
			return rec;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int accord_sigcache_open(accord_sigcache **out, const char *gitdir, const unsigned char *cache_key)
{
	static const char purpose[] = "accord signature cache 2";
	accord_sigcache *c = accord_xcalloc(1, sizeof(*c));
	crypto_generichash_state st;
	size_t glen = strlen(gitdir);

	pthread_mutex_init(&c->lock, NULL);
	if (asprintf(&c->dir, "%s%saccord", gitdir, glen && gitdir[glen - 1] == '/' ? "" : "/") < 0)
		accord_oom();
	/* bound to this repository and to this use of the cache key */
	crypto_generichash_init(&st, cache_key, ACCORD_SIGCACHE_KEY_LEN, sizeof(c->key));
	crypto_generichash_update(&st, (const unsigned char *)purpose, sizeof(purpose));
	crypto_generichash_update(&st, (const unsigned char *)gitdir, glen);
	crypto_generichash_final(&st, c->key, sizeof(c->key));
	*out = c;
	return 0;
}

void accord_sigcache_load(accord_sigcache *c)
{
	int i;

	if (!c || c->loaded)
		return;
	c->loaded = 1;
	for (i = 0; i < NFILES; i++)
		table_load(&c->files[i], c, file_names[i]);
}

static size_t digests;

size_t accord_sigcache_digest_count(void)
{
	return __atomic_load_n(&digests, __ATOMIC_RELAXED);
}

void accord_sigcache_digest(unsigned char *out, const char *sig, size_t sig_len, const char *msg,
			    size_t msg_len)
{
	crypto_hash_sha256_state st;
	unsigned char len[8];
	size_t i;

	__atomic_add_fetch(&digests, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)sig_len >> (56 - 8 * i));
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"accord-sigcache", 16);
	crypto_hash_sha256_update(&st, len, sizeof(len));
	crypto_hash_sha256_update(&st, (const unsigned char *)sig, sig_len);
	crypto_hash_sha256_update(&st, (const unsigned char *)msg, msg_len);
	crypto_hash_sha256_final(&st, out);
}

int accord_sigcache_get(accord_pubkey *signer, const accord_sigcache *cache,
			const unsigned char *digest)
{
	int i;

	if (!cache)
		return 0;
	for (i = 0; i < NFILES; i++) {
		const struct table *t = &cache->files[i];
		const unsigned char *rec = table_find(t, digest), *app;
		size_t applen;

		if (!rec || !rec_authentic(cache, t, rec))
			continue;
		app = rec_app(t, rec, &applen);
		memset(signer, 0, sizeof(*signer));
		memcpy(signer->pk, rec + DIGEST_LEN, sizeof(signer->pk));
		if (applen) {
			signer->type = ACCORD_KEY_SK_ED25519;
			memcpy(signer->application, app, applen);
		}
		accord_pubkey_set_id(signer);
		return 1;
	}
	return 0;
}

size_t accord_sigcache_bytes(const accord_sigcache *c)
{
	size_t n = 0;
	int k;

	if (!c)
		return 0;
	for (k = 0; k < NFILES; k++) {
		struct stat st;
		char *path;

		if (c->loaded) {
			n += c->files[k].size;
			continue;
		}
		if (asprintf(&path, "%s/%s", c->dir, file_names[k]) < 0)
			accord_oom();
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			n += (size_t)st.st_size;
		free(path);
	}
	return n;
}

int accord_sigcache_empty(const accord_sigcache *cache)
{
	return !cache || (cache->files[BULK].n == 0 && cache->files[NEW].n == 0);
}

/* The index (1 + k) of application `app` among the added records', 0 when they are full. */
static unsigned char intern_app(accord_sigcache *c, const char *app)
{
	size_t i;

	for (i = 0; i < c->napps; i++)
		if (!strcmp(c->apps[i], app))
			return (unsigned char)(i + 1);
	if (c->napps == MAX_APPS)
		return 0;
	c->apps[c->napps] = accord_xstrdup(app);
	return (unsigned char)++c->napps;
}

void accord_sigcache_put(accord_sigcache *cache, const unsigned char *digest,
			 const accord_pubkey *signer)
{
	struct added *r;
	unsigned char app = 0;
	int sk;

	if (!cache)
		return;
	sk = signer->type == ACCORD_KEY_SK_ED25519 && signer->application[0];
	pthread_mutex_lock(&cache->lock);
	if (sk && !(app = intern_app(cache, signer->application))) {
		pthread_mutex_unlock(&cache->lock); /* a 256th application: not remembered */
		return;
	}
	if (cache->nadded == cache->capadded) {
		cache->capadded = cache->capadded ? cache->capadded * 2 : 256;
		if (!(cache->added =
			      realloc(cache->added, cache->capadded * sizeof(*cache->added))))
			accord_oom();
	}
	r = &cache->added[cache->nadded++];
	memcpy(r->digest, digest, sizeof(r->digest));
	memcpy(r->pk, signer->pk, sizeof(r->pk));
	r->app = app;
	pthread_mutex_unlock(&cache->lock);
}

size_t accord_sigcache_count(accord_sigcache *cache)
{
	size_t n = 0, i;
	int k;

	if (!cache)
		return 0;
	accord_sigcache_load(cache);
	for (k = 0; k < NFILES; k++)
		for (i = 0; i < cache->files[k].n; i++)
			n += rec_authentic(cache, &cache->files[k],
					   cache->files[k].recs + i * REC_LEN);
	return n + cache->nadded;
}

static int cmp_added(const void *a, const void *b)
{
	return memcmp(a, b, DIGEST_LEN);
}

/* A file being written: its header, then its records. */
struct out {
	accord_buf data;
	int frozen; /* the header is written: no more applications */
	unsigned char apps[MAX_APPS][1 + ACCORD_SK_APPLICATION_MAX]; /* a length byte, the bytes */
	size_t napps;
};

/* The index (1 + k) of an application in the file being written, 0 for none left. */
static unsigned char out_app(struct out *o, const unsigned char *app, size_t len)
{
	size_t i;

	for (i = 0; i < o->napps; i++)
		if (o->apps[i][0] == len && !memcmp(o->apps[i] + 1, app, len))
			return (unsigned char)(i + 1);
	if (o->frozen || o->napps == MAX_APPS)
		return 0;
	o->apps[o->napps][0] = (unsigned char)len;
	memcpy(o->apps[o->napps] + 1, app, len);
	return (unsigned char)++o->napps;
}

/* Copy a record that authenticates: its tag holds under another index of its application. */
static int out_copy(struct out *o, const accord_sigcache *c, const struct table *t,
		    const unsigned char *rec)
{
	unsigned char r[REC_LEN];
	const unsigned char *app;
	size_t applen;

	if (!rec_authentic(c, t, rec) || !(app = rec_app(t, rec, &applen)))
		return 0;
	memcpy(r, rec, REC_LEN);
	if (applen && !(r[DIGEST_LEN + 32] = out_app(o, app, applen)))
		return 0;
	accord_buf_put(&o->data, r, REC_LEN);
	return 1;
}

static int out_add(struct out *o, const accord_sigcache *c, const struct added *a)
{
	unsigned char r[REC_LEN];
	const char *app = a->app ? c->apps[a->app - 1] : "";
	size_t applen = strlen(app);

	memcpy(r, a->digest, DIGEST_LEN);
	memcpy(r + DIGEST_LEN, a->pk, 32);
	r[DIGEST_LEN + 32] = 0;
	if (applen && !(r[DIGEST_LEN + 32] = out_app(o, (const unsigned char *)app, applen)))
		return 0;
	tag_of(r + DIGEST_LEN + 33, c, r, (const unsigned char *)app, applen);
	accord_buf_put(&o->data, r, REC_LEN);
	return 1;
}

/*
 * Write the records of `tables` (sorted as written, each checked again)
 * and the sorted added ones into `o`, in digest order, each digest once:
 * an added record wins, then the first that authenticates.
 */
static void merge(struct out *o, const accord_sigcache *c, const struct table *const *tables,
		  size_t ntables, const struct added *add, size_t nadd)
{
	size_t pos[NFILES] = { 0 };
	size_t k, i, total = nadd;

	for (k = 0; k < ntables; k++) {
		total += tables[k]->n;
		for (i = 0; i < tables[k]->napps; i++)
			out_app(o, tables[k]->apps[i] + 1, tables[k]->apps[i][0]);
	}
	for (i = 0; i < c->napps; i++)
		out_app(o, (const unsigned char *)c->apps[i], strlen(c->apps[i]));
	o->frozen = 1;
	accord_buf_grow(&o->data, MAGIC_LEN + 1 + o->napps * (1 + ACCORD_SK_APPLICATION_MAX) +
					  total * REC_LEN);
	accord_buf_puts(&o->data, MAGIC);
	accord_buf_putc(&o->data, (char)o->napps);
	for (i = 0; i < o->napps; i++)
		accord_buf_put(&o->data, o->apps[i], 1u + o->apps[i][0]);
	for (;;) {
		const unsigned char *least = nadd ? add->digest : NULL;
		unsigned char d[DIGEST_LEN];
		int done = 0;

		for (k = 0; k < ntables; k++) {
			const unsigned char *rec;

			if (pos[k] == tables[k]->n)
				continue;
			rec = tables[k]->recs + pos[k] * REC_LEN;
			if (!least || memcmp(rec, least, DIGEST_LEN) < 0)
				least = rec;
		}
		if (!least)
			break;
		memcpy(d, least, DIGEST_LEN);
		if (nadd && !memcmp(add->digest, d, DIGEST_LEN))
			done = out_add(o, c, add);
		for (k = 0; k < ntables; k++)
			for (; pos[k] < tables[k]->n; pos[k]++) {
				const unsigned char *rec = tables[k]->recs + pos[k] * REC_LEN;
				int cmp = memcmp(rec, d, DIGEST_LEN);

				if (cmp > 0)
					break;
				if (cmp == 0 && !done)
					done = out_copy(o, c, tables[k], rec);
			}
		for (; nadd && memcmp(add->digest, d, DIGEST_LEN) <= 0; nadd--)
			add++;
	}
}

/* A temporary file of the memo's (accord_file_write_cache): ".<file>.tmp-" and 16 hex digits. */
static int is_temp(const char *name)
{
	int k;

	for (k = 0; k < NFILES; k++) {
		size_t n = strlen(file_names[k]);

		if (name[0] == '.' && !strncmp(name + 1, file_names[k], n) &&
		    !strncmp(name + 1 + n, ".tmp-", 5) && strlen(name + n + 6) == 16 &&
		    accord_is_lower_hex(name + n + 6, 16))
			return 1;
	}
	return 0;
}

/*
 * Remove the temporary files a save killed before its rename left, a copy
 * of the memo each: those older than an hour, so that no save still
 * writing loses its own.
 */
static void sweep_temps(const accord_sigcache *c)
{
	DIR *d = opendir(c->dir);
	struct dirent *de;
	struct stat st;
	time_t old = time(NULL) - 3600;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL)
		if (is_temp(de->d_name) &&
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_mtime < old)
			(void)unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

/*
 * Write file `which` from `tables` and the added records; once written,
 * its table holds those bytes (what the next lookup sees), not read back.
 */
static int write_file(accord_sigcache *c, int which, const struct table *const *tables,
		      size_t ntables, const struct added *add, size_t nadd)
{
	struct out *o = accord_xcalloc(1, sizeof(*o));
	struct table *t = &c->files[which];
	char *path;
	int error;

	merge(o, c, tables, ntables, add, nadd);
	if (asprintf(&path, "%s/%s", c->dir, file_names[which]) < 0)
		accord_oom();
	(void)mkdir(c->dir, 0700);
	/* a cache: every record is checked when found, so a crash may only lose some */
	if ((error = accord_file_write_cache(path, o->data.ptr, o->data.size, 0600)) == 0) {
		table_free(t);
		t->size = o->data.size;
		t->data = (unsigned char *)accord_buf_detach(&o->data);
		table_parse(t);
	}
	free(path);
	accord_buf_dispose(&o->data);
	free(o);
	return error;
}

void accord_sigcache_hold(accord_sigcache *cache, int held)
{
	if (cache)
		cache->held = held;
}

int accord_sigcache_save(accord_sigcache *cache)
{
	struct table *bulk, *nw;
	accord_pubkey known;
	size_t i, n;
	int error;

	if (!cache || !cache->nadded || cache->held)
		return 0;
	accord_sigcache_load(cache);
	bulk = &cache->files[BULK];
	nw = &cache->files[NEW];
	/* sorted, each digest once, and none the files already hold */
	qsort(cache->added, cache->nadded, sizeof(*cache->added), cmp_added);
	for (i = n = 0; i < cache->nadded; i++)
		if ((!n || cmp_added(&cache->added[n - 1], &cache->added[i]) != 0) &&
		    !accord_sigcache_get(&known, cache, cache->added[i].digest))
			cache->added[n++] = cache->added[i];
	cache->nadded = 0;
	if (n == 0)
		return 0;
	sweep_temps(cache);
	/* the additions in a file of their own while it is small beside the bulk */
	if (bulk->n && (nw->n + n) * NEW_SHARE <= bulk->n) {
		const struct table *from[] = { nw };

		error = write_file(cache, NEW, from, 1, cache->added, n);
	} else {
		const struct table *from[] = { bulk, nw };
		char *path;

		if ((error = write_file(cache, BULK, from, 2, cache->added, n)) == 0) {
			if (asprintf(&path, "%s/%s", cache->dir, file_names[NEW]) < 0)
				accord_oom();
			(void)unlink(path); /* what it held is in the bulk now */
			free(path);
			table_free(nw);
		}
	}
	return error;
}

void accord_sigcache_free(accord_sigcache *cache)
{
	size_t i;
	int k;

	if (!cache)
		return;
	for (k = 0; k < NFILES; k++)
		table_free(&cache->files[k]);
	for (i = 0; i < cache->napps; i++)
		free(cache->apps[i]);
	free(cache->added);
	free(cache->dir);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}
