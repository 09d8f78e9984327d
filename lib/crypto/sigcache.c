/*
 * The memo of signatures that verified (sigcache.h): a sorted table read
 * once, looked up by many threads, and the records added meanwhile, kept
 * apart under a lock until they are saved.
 *
 * File: "accord-sigcache 1\n", then records (digest[32] | key[32] |
 * application length[1] | application), then the BLAKE2b-256 tag of all
 * that under a key bound to the repository.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "accord/buf.h"
#include "encode.h"
#include "accord/error.h"
#include "file.h"
#include "sigcache.h"
#include "alloc.h"

#define MAGIC "accord-sigcache 1\n"
#define TAG_LEN 32
#define MAX_FILE (512u << 20)

struct rec {
	unsigned char digest[ACCORD_SIGCACHE_DIGEST_LEN];
	unsigned char pk[32];
	char *application; /* an sk key's, else NULL */
};

struct accord_sigcache {
	char *path;
	unsigned char key[crypto_generichash_KEYBYTES];
	int loaded;	  /* the file was read (accord_sigcache_load) */
	struct rec *recs; /* sorted by digest, read-only once loaded */
	size_t n;
	pthread_mutex_t lock; /* guards what follows */
	struct rec *added;
	size_t nadded, capadded;
};

static int cmp_rec(const void *a, const void *b)
{
	return memcmp(((const struct rec *)a)->digest, ((const struct rec *)b)->digest,
		      ACCORD_SIGCACHE_DIGEST_LEN);
}

static void tag_of(unsigned char *out, const accord_sigcache *c, const void *data, size_t len)
{
	crypto_generichash(out, TAG_LEN, data, len, c->key, sizeof(c->key));
}

/* Parse an authenticated file; anything malformed leaves the cache empty. */
static void parse(accord_sigcache *c, const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	size_t cap = 0;
	int sorted = 1;

	p += strlen(MAGIC);
	while (p < end) {
		struct rec r;
		size_t applen;

		if ((size_t)(end - p) < 65 || (applen = p[64]) > ACCORD_SK_APPLICATION_MAX ||
		    (size_t)(end - p) < 65 + applen)
			goto bad;
		memset(&r, 0, sizeof(r));
		memcpy(r.digest, p, 32);
		memcpy(r.pk, p + 32, 32);
		if (applen) {
			if (!(r.application = calloc(1, applen + 1)))
				accord_oom();
			memcpy(r.application, p + 65, applen);
		}
		p += 65 + applen;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 1024;
			if (!(c->recs = realloc(c->recs, cap * sizeof(*c->recs))))
				accord_oom();
		}
		c->recs[c->n++] = r;
		sorted = sorted && (c->n < 2 || cmp_rec(&c->recs[c->n - 2], &r) < 0);
	}
	if (!sorted) /* saved sorted: only a file written otherwise needs this */
		qsort(c->recs, c->n, sizeof(*c->recs), cmp_rec);
	return;
bad:
	for (size_t i = 0; i < c->n; i++)
		free(c->recs[i].application);
	free(c->recs);
	c->recs = NULL;
	c->n = 0;
}

int accord_sigcache_open(accord_sigcache **out, const char *gitdir, const unsigned char *cache_key)
{
	static const char purpose[] = "accord signature cache";
	accord_sigcache *c = accord_xcalloc(1, sizeof(*c));
	crypto_generichash_state st;
	size_t glen = strlen(gitdir);

	pthread_mutex_init(&c->lock, NULL);
	if (asprintf(&c->path, "%s%saccord/sigcache", gitdir,
		     glen && gitdir[glen - 1] == '/' ? "" : "/") < 0)
		accord_oom();
	/* bound to this repository and to this use of the cache key */
	crypto_generichash_init(&st, cache_key, ACCORD_SIGCACHE_KEY_LEN, sizeof(c->key));
	crypto_generichash_update(&st, (const unsigned char *)purpose, sizeof(purpose));
	crypto_generichash_update(&st, (const unsigned char *)gitdir, glen);
	crypto_generichash_final(&st, c->key, sizeof(c->key));
	*out = c;
	return 0;
}

size_t accord_sigcache_bytes(const accord_sigcache *c)
{
	struct stat st;

	if (!c)
		return 0;
	if (c->loaded)
		return c->n * 65;
	return stat(c->path, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
}

void accord_sigcache_load(accord_sigcache *c)
{
	accord_buf data = ACCORD_BUF_INIT;
	unsigned char want[TAG_LEN];

	if (!c || c->loaded)
		return;
	c->loaded = 1;
	if (accord_buf_read_regular(&data, c->path, MAX_FILE) == 0 &&
	    data.size >= strlen(MAGIC) + TAG_LEN && !memcmp(data.ptr, MAGIC, strlen(MAGIC))) {
		tag_of(want, c, data.ptr, data.size - TAG_LEN);
		if (sodium_memcmp(want, data.ptr + data.size - TAG_LEN, TAG_LEN) == 0)
			parse(c, (const unsigned char *)data.ptr, data.size - TAG_LEN);
	}
	accord_error_clear();
	accord_buf_dispose(&data);
}

void accord_sigcache_digest(unsigned char *out, const char *sig, size_t sig_len, const char *msg,
			    size_t msg_len)
{
	crypto_hash_sha256_state st;
	unsigned char len[8];
	size_t i;

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
	struct rec key;
	const struct rec *r;

	if (!cache || !cache->n)
		return 0;
	memcpy(key.digest, digest, sizeof(key.digest));
	if (!(r = bsearch(&key, cache->recs, cache->n, sizeof(*cache->recs), cmp_rec)))
		return 0;
	memset(signer, 0, sizeof(*signer));
	memcpy(signer->pk, r->pk, sizeof(signer->pk));
	if (r->application) {
		signer->type = ACCORD_KEY_SK_ED25519;
		snprintf(signer->application, sizeof(signer->application), "%s", r->application);
	}
	accord_pubkey_set_id(signer);
	return 1;
}

void accord_sigcache_put(accord_sigcache *cache, const unsigned char *digest,
			 const accord_pubkey *signer)
{
	struct rec *r;

	if (!cache)
		return;
	pthread_mutex_lock(&cache->lock);
	if (cache->nadded == cache->capadded) {
		cache->capadded = cache->capadded ? cache->capadded * 2 : 256;
		if (!(cache->added =
			      realloc(cache->added, cache->capadded * sizeof(*cache->added))))
			accord_oom();
	}
	r = &cache->added[cache->nadded++];
	memset(r, 0, sizeof(*r));
	memcpy(r->digest, digest, sizeof(r->digest));
	memcpy(r->pk, signer->pk, sizeof(r->pk));
	if (signer->type == ACCORD_KEY_SK_ED25519 && signer->application[0] &&
	    !(r->application = strdup(signer->application)))
		accord_oom();
	pthread_mutex_unlock(&cache->lock);
}

size_t accord_sigcache_count(accord_sigcache *cache)
{
	accord_sigcache_load(cache);
	return cache ? cache->n + cache->nadded : 0;
}

int accord_sigcache_save(accord_sigcache *cache)
{
	accord_buf data = ACCORD_BUF_INIT;
	unsigned char tag[TAG_LEN];
	size_t i, n;
	char *dir, *slash;
	int error;

	if (!cache || !cache->nadded)
		return 0;
	accord_sigcache_load(cache);
	/* merge: the table stays sorted, without duplicates */
	if (!(cache->recs =
		      realloc(cache->recs, (cache->n + cache->nadded) * sizeof(*cache->recs))))
		accord_oom();
	memcpy(cache->recs + cache->n, cache->added, cache->nadded * sizeof(*cache->added));
	cache->n += cache->nadded;
	cache->nadded = 0;
	qsort(cache->recs, cache->n, sizeof(*cache->recs), cmp_rec);
	for (i = n = 0; i < cache->n; i++) {
		if (n && !cmp_rec(&cache->recs[n - 1], &cache->recs[i])) {
			free(cache->recs[i].application);
			continue;
		}
		cache->recs[n++] = cache->recs[i];
	}
	cache->n = n;
	accord_buf_puts(&data, MAGIC);
	for (i = 0; i < cache->n; i++) {
		const struct rec *r = &cache->recs[i];
		unsigned char applen = (unsigned char)(r->application ? strlen(r->application) : 0);

		accord_buf_put(&data, (const char *)r->digest, sizeof(r->digest));
		accord_buf_put(&data, (const char *)r->pk, sizeof(r->pk));
		accord_buf_put(&data, (const char *)&applen, 1);
		if (applen)
			accord_buf_put(&data, r->application, applen);
	}
	tag_of(tag, cache, data.ptr, data.size);
	accord_buf_put(&data, (const char *)tag, sizeof(tag));
	if (!(dir = strdup(cache->path)))
		accord_oom();
	if ((slash = strrchr(dir, '/')))
		*slash = '\0';
	(void)mkdir(dir, 0700);
	free(dir);
	error = accord_file_write_atomic(cache->path, data.ptr, data.size, 0600);
	accord_buf_dispose(&data);
	return error;
}

void accord_sigcache_free(accord_sigcache *cache)
{
	size_t i;

	if (!cache)
		return;
	for (i = 0; i < cache->n; i++)
		free(cache->recs[i].application);
	for (i = 0; i < cache->nadded; i++)
		free(cache->added[i].application);
	free(cache->recs);
	free(cache->added);
	pthread_mutex_destroy(&cache->lock);
	sodium_memzero(cache->key, sizeof(cache->key));
	free(cache->path);
	free(cache);
}
