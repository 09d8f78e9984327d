/*
 * Sync between parties over git remotes, and the checks a hub's
 * pre-receive hook makes. See include/accord/sync.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accord/encode.h"
#include "accord/error.h"
#include "accord/json.h"
#include "accord/sync.h"

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
#define PUSH(arr, count) \
	((arr) = xrealloc((arr), ((count) + 1) * sizeof(*(arr))), \
	 memset(&(arr)[(count)], 0, sizeof(*(arr))), &(arr)[(count)++])

/* ------------------------------------------------------------------ */
/* SHA-1 and HMAC-SHA-1, only for OpenSSH's hashed known_hosts names. */

typedef struct {
	uint32_t h[5];
	uint64_t len;
	unsigned char buf[64];
	size_t fill;
} sha1_ctx;

static uint32_t rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(sha1_ctx *c, const unsigned char *p)
{
	uint32_t w[80], a = c->h[0], b = c->h[1], d = c->h[3], e = c->h[4], cc = c->h[2], t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		uint32_t f, k;

		if (i < 20) {
			f = (b & cc) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ cc ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & cc) | (b & d) | (cc & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ cc ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = cc;
		cc = rol(b, 30);
		b = a;
		a = t;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
}

static void sha1_init(sha1_ctx *c)
{
	static const uint32_t iv[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->fill = 0;
}

static void sha1_update(sha1_ctx *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->len += len;
	while (len > 0) {
		size_t n = 64 - c->fill < len ? 64 - c->fill : len;

		memcpy(c->buf + c->fill, p, n);
		c->fill += n;
		p += n;
		len -= n;
		if (c->fill == 64) {
			sha1_block(c, c->buf);
			c->fill = 0;
		}
	}
}

static void sha1_final(unsigned char out[20], sha1_ctx *c)
{
	uint64_t bits = c->len * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	int i;

	sha1_update(c, &pad, 1);
	while (c->fill != 56)
		sha1_update(c, &zero, 1);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(c, len, 8);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

static void hmac_sha1(unsigned char out[20], const unsigned char *key, size_t keylen,
		      const void *msg, size_t len)
{
	unsigned char k[64] = { 0 }, pad[64], inner[20];
	sha1_ctx c;
	size_t i;

	if (keylen > 64) {
		sha1_init(&c);
		sha1_update(&c, key, keylen);
		sha1_final(k, &c);
	} else {
		memcpy(k, key, keylen);
	}
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha1_init(&c);
	sha1_update(&c, pad, 64);
	sha1_update(&c, msg, len);
	sha1_final(inner, &c);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sha1_init(&c);
	sha1_update(&c, pad, 64);
	sha1_update(&c, inner, 20);
	sha1_final(out, &c);
}

/* ------------------------------------------------------------------ */
/* known_hosts */

/* The key type string at the start of an SSH key blob, into `out`. */
static int blob_type(char *out, size_t outlen, const unsigned char *blob, size_t len)
{
	uint32_t n;

	if (len < 4)
		return -1;
	n = (uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 | (uint32_t)blob[2] << 8 | blob[3];
	if (n == 0 || n >= outlen || n > len - 4)
		return -1;
	memcpy(out, blob + 4, n);
	out[n] = '\0';
	return 0;
}

/* One "|1|salt|hash" name against the host string. */
static int hashed_name_matches(const char *pat, size_t plen, const char *name)
{
	accord_buf salt = ACCORD_BUF_INIT, hash = ACCORD_BUF_INIT;
	const char *bar;
	unsigned char mac[20];
	int match = 0;

	if (plen < 3 || memcmp(pat, "|1|", 3) != 0)
		return 0;
	bar = memchr(pat + 3, '|', plen - 3);
	if (!bar)
		return 0;
	if (accord_base64_decode(&salt, pat + 3, (size_t)(bar - pat - 3)) == 0 &&
	    accord_base64_decode(&hash, bar + 1, (size_t)(pat + plen - bar - 1)) == 0 &&
	    hash.size == 20) {
		hmac_sha1(mac, (unsigned char *)salt.ptr, salt.size, name, strlen(name));
		match = memcmp(mac, hash.ptr, 20) == 0;
	}
	accord_buf_dispose(&salt);
	accord_buf_dispose(&hash);
	return match;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* OpenSSH's patterns: '*' and '?' only, case-insensitive ('[' is literal). */
static int wildmatch(const char *pat, const char *s)
{
	for (; *pat; pat++, s++) {
		if (*pat == '*') {
			while (pat[1] == '*')
				pat++;
			if (!pat[1])
				return 1;
			for (; *s; s++)
				if (wildmatch(pat + 1, s))
					return 1;
			return 0;
		}
		if (!*s)
			return 0;
		if (*pat != '?' && lower(*pat) != lower(*s))
			return 0;
	}
	return *s == '\0';
}

/* The host field of a line: 1 if a pattern matches and no negated one does. */
static int host_field_matches(const char *field, size_t flen, const char *name)
{
	int matched = 0;
	const char *p = field, *end = field + flen;

	if (flen >= 3 && memcmp(field, "|1|", 3) == 0)
		return hashed_name_matches(field, flen, name);
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = (size_t)((comma ? comma : end) - p);
		int neg = n > 0 && p[0] == '!';
		char pat[256];

		if (n - (size_t)neg < sizeof(pat) && n > (size_t)neg) {
			memcpy(pat, p + neg, n - (size_t)neg);
			pat[n - (size_t)neg] = '\0';
			if (wildmatch(pat, name)) {
				if (neg)
					return 0;
				matched = 1;
			}
		}
		p += n + (comma ? 1 : 0);
	}
	return matched;
}

int accord_known_hosts_match(const char *text, size_t len, const char *host, int port,
			     const unsigned char *blob, size_t bloblen)
{
	char name[300], want_type[64];
	const char *p = text, *end = text + len;
	int known_other = 0, ok = 0;

	if (port <= 0 || port == 22)
		snprintf(name, sizeof(name), "%s", host);
	else
		snprintf(name, sizeof(name), "[%s]:%d", host, port);
	for (char *q = name; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	if (blob_type(want_type, sizeof(want_type), blob, bloblen) < 0)
		return ACCORD_HOST_UNKNOWN;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end, *f[4];
		size_t flen[4], nf = 0;
		const char *q = p;
		int revoked = 0, skip = 0;
		accord_buf key = ACCORD_BUF_INIT;
		char type[64];

		/* Split into up to four whitespace-separated fields. */
		while (q < lend && nf < 4) {
			while (q < lend && (*q == ' ' || *q == '\t' || *q == '\r'))
				q++;
			if (q >= lend)
				break;
			f[nf] = q;
			while (q < lend && *q != ' ' && *q != '\t' && *q != '\r')
				q++;
			flen[nf] = (size_t)(q - f[nf]);
			nf++;
		}
		p = nl ? nl + 1 : end;
		if (nf == 0 || f[0][0] == '#')
			continue;
		if (f[0][0] == '@') {
			if (flen[0] == 8 && memcmp(f[0], "@revoked", 8) == 0)
				revoked = 1;
			else
				skip = 1; /* @cert-authority: certificates are not supported */
			memmove(f, f + 1, 3 * sizeof(*f));
			memmove(flen, flen + 1, 3 * sizeof(*flen));
			nf--;
		}
		if (skip || nf < 3 || !host_field_matches(f[0], flen[0], name))
			continue;
		if (accord_base64_decode(&key, f[2], flen[2]) < 0 ||
		    blob_type(type, sizeof(type), (unsigned char *)key.ptr, key.size) < 0) {
			accord_buf_dispose(&key);
			continue;
		}
		if (key.size == bloblen && memcmp(key.ptr, blob, bloblen) == 0) {
			if (revoked) {
				accord_buf_dispose(&key);
				return ACCORD_HOST_REVOKED;
			}
			ok = 1;
		} else if (!revoked && strcmp(type, want_type) == 0) {
			known_other = 1;
		}
		accord_buf_dispose(&key);
	}
	if (ok)
		return ACCORD_HOST_OK;
	return known_other ? ACCORD_HOST_CHANGED : ACCORD_HOST_UNKNOWN;
}

int accord_known_hosts_check(const char *path, const char *host, int port,
			     const unsigned char *blob, size_t bloblen)
{
	accord_buf text = ACCORD_BUF_INIT;
	int verdict;

	if (accord_buf_read_file(&text, path, 16 << 20) < 0) {
		accord_buf_dispose(&text);
		return ACCORD_HOST_UNKNOWN;
	}
	verdict = accord_known_hosts_match(text.ptr ? text.ptr : "", text.size, host, port, blob,
					   bloblen);
	accord_buf_dispose(&text);
	return verdict;
}

int accord_known_hosts_add(const char *path, const char *host, int port,
			   const unsigned char *blob, size_t bloblen)
{
	accord_buf line = ACCORD_BUF_INIT;
	char type[64];
	int fd, error = 0;

	if (blob_type(type, sizeof(type), blob, bloblen) < 0)
		return accord_error_set(ACCORD_EINVALID, "malformed host key");
	if (port <= 0 || port == 22)
		accord_buf_printf(&line, "%s %s ", host, type);
	else
		accord_buf_printf(&line, "[%s]:%d %s ", host, port, type);
	accord_base64_encode(&line, blob, bloblen);
	accord_buf_putc(&line, '\n');
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || write(fd, line.ptr, line.size) != (ssize_t)line.size)
		error = accord_error_set(ACCORD_ERROR, "can't add the host key to %s: %s", path,
					 strerror(errno));
	if (fd >= 0)
		close(fd);
	accord_buf_dispose(&line);
	return error;
}

/* ------------------------------------------------------------------ */
/* Feeds: relations, chains, verification */

int accord_sync_classify(accord_sync_relation *out, accord_store *store, const git_oid *local,
			 const git_oid *remote)
{
	git_repository *repo = accord_store_repo(store);
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
	if ((r = git_graph_descendant_of(repo, remote, local)) < 0)
		return accord_error_git(r, "comparing feed heads");
	if (r) {
		*out = ACCORD_SYNC_AHEAD;
		return 0;
	}
	if ((r = git_graph_descendant_of(repo, local, remote)) < 0)
		return accord_error_git(r, "comparing feed heads");
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
		if (!strcmp(v->findings[i].feed, keyid) && !strcmp(v->findings[i].commit, first->commit))
			return &v->findings[i];
	for (i = 0; i < v->finding_count; i++)
		if (!strcmp(v->findings[i].feed, keyid))
			return &v->findings[i];
	return NULL;
}

int accord_sync_verify(accord_ledger **out, accord_verification **out_v, accord_store *store,
		       const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
		       size_t ncands, const accord_head *evidence, size_t nevidence)
{
	accord_verify_options vo = ACCORD_VERIFY_OPTIONS_INIT;
	accord_verification *v = NULL;
	accord_ledger *l = NULL;
	accord_head *heads;
	size_t n, i;
	int error;

	/* One verification of everything: cost linear in the entries, however many feeds are bad. */
	heads = merge_heads(&n, local, nlocal, cands, ncands);
	if (n == 0) {
		free(heads);
		return accord_error_set(ACCORD_ENOTFOUND, "nothing to verify");
	}
	vo.evidence = evidence;
	vo.evidence_count = nevidence;
	error = accord_verify_heads(&v, store, heads, n, &vo);
	free(heads);
	if (error < 0)
		return error;
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
		if (vf && (size_t)vf->valid == vf->count && !git_oid_is_zero(&vf->head)) {
			c->take = c->head.head;
			continue;
		}
		/* Take the feed up to its last entry that counts, if that is new here. */
		if (vf && vf->valid > 0 && (!was || git_graph_descendant_of(accord_store_repo(store),
									    &vf->valid_head, &was->head) == 1))
			c->take = vf->valid_head;
		c->refused = 1;
		first = vf && (size_t)vf->valid < vf->count ? &vf->items[vf->valid] : NULL;
		why = vf ? finding_for(v, c->head.keyid, first) : NULL;
		c->kind = why ? (int)why->kind : -1;
		c->seq = first ? first->seq : (vf ? vf->valid + 1 : 0);
		snprintf(c->entry, sizeof(c->entry), "%s", first ? first->commit : "");
		/* what was taken up to there is in the accepted list; the hook takes nothing */
		snprintf(c->reason, sizeof(c->reason), "%s at seq %lld, commit %s: %s",
			 why ? accord_audit_kind_name(why->kind) : "left out", (long long)c->seq,
			 c->entry[0] ? c->entry : "(none)",
			 why ? why->explanation : "it rests on entries that do not count");
		if (first && vf->count - (size_t)vf->valid > 1) {
			size_t used = strlen(c->reason);

			snprintf(c->reason + used, sizeof(c->reason) - used,
				 " (and the %zu later entries of this feed, which follow it)",
				 vf->count - (size_t)vf->valid - 1);
		}
	}
	error = accord_ledger_from_verification(&l, store, v);
	if (error < 0) {
		accord_verification_free(v);
		return error;
	}
	if (out_v)
		*out_v = v;
	else
		accord_verification_free(v);
	if (out)
		*out = l;
	else
		accord_ledger_free(l);
	return 0;
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

		if (len != ACCORD_KEYID_HEXLEN + 1 + GIT_OID_HEXSZ || p[ACCORD_KEYID_HEXLEN] != ' ' ||
		    !hex_span(p, ACCORD_KEYID_HEXLEN) ||
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
	accord_buf text = ACCORD_BUF_INIT, tmp = ACCORD_BUF_INIT;
	accord_head *sorted = xcalloc(count + 1, sizeof(*sorted));
	size_t i;
	int fd, error = 0;

	if (count)
		memcpy(sorted, heads, count * sizeof(*sorted));
	qsort(sorted, count, sizeof(*sorted), cmp_head);
	for (i = 0; i < count; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &sorted[i].head);
		accord_buf_printf(&text, "%s %s\n", sorted[i].keyid, hex);
	}
	free(sorted);
	accord_buf_printf(&tmp, "%s.tmp", path);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || (text.size && write(fd, text.ptr, text.size) != (ssize_t)text.size) ||
	    fsync(fd) < 0 || close(fd) < 0 || (fd = -1, rename(tmp.ptr, path) < 0)) {
		error = accord_error_set(ACCORD_ERROR, "can't write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp.ptr);
	}
	accord_buf_dispose(&text);
	accord_buf_dispose(&tmp);
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
			  const accord_head *seen, size_t nseen, const accord_head *now, size_t nnow)
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
		if (h && git_graph_descendant_of(accord_store_repo(store), &h->head, &seen[i].head) == 1)
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

/* ------------------------------------------------------------------ */
/* Transport: credentials, host keys, progress */

typedef struct {
	const accord_sync_options *opts;
	const char *remote;
	int port;
	int cred_tries;
	char error[512];  /* our reason when a callback refused */
	char **rejected;  /* "ref: status" from a push */
	size_t rejected_count;
} transport;

/* The port of an ssh URL (22 by default), 0 for other schemes. */
static int url_port(const char *url)
{
	const char *p = strstr(url, "://"), *end, *at, *colon;

	if (!p) {
		/* scp-like [user@]host:path is ssh; a local path has no ':' before '/'. */
		colon = strchr(url, ':');
		return colon && (!strchr(url, '/') || colon < strchr(url, '/')) ? 22 : 0;
	}
	if (!(strncmp(url, "ssh://", 6) == 0 || strncmp(url, "ssh+git://", 10) == 0 ||
	      strncmp(url, "git+ssh://", 10) == 0))
		return 0;
	p += 3;
	end = strchr(p, '/');
	if (!end)
		end = p + strlen(p);
	for (at = end; at > p && at[-1] != '@'; at--)
		;
	if (*at == '[') {
		const char *rb = memchr(at, ']', (size_t)(end - at));

		colon = rb && rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(at, ':', (size_t)(end - at));
	}
	if (colon && colon + 1 < end) {
		long port = strtol(colon + 1, NULL, 10);

		return port > 0 && port < 65536 ? (int)port : 22;
	}
	return 22;
}

static int is_ssh_url(const char *url)
{
	return url_port(url) > 0;
}

static const char *home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home && *home)
		return home;
	pw = getpwuid(getuid());
	return pw ? pw->pw_dir : "/";
}

static const char *local_user(void)
{
	const char *user = getenv("USER");
	struct passwd *pw;

	if (user && *user)
		return user;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "git";
}

static int transport_fail(transport *t, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int transport_fail(transport *t, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->error, sizeof(t->error), fmt, ap);
	va_end(ap);
	git_error_set_str(GIT_ERROR_SSH, t->error);
	return code;
}

static const char *raw_type_name(git_cert_ssh_raw_type_t type)
{
	switch (type) {
	case GIT_CERT_SSH_RAW_TYPE_RSA: return "ssh-rsa";
	case GIT_CERT_SSH_RAW_TYPE_DSS: return "ssh-dss";
	case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_256: return "ecdsa-sha2-nistp256";
	case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_384: return "ecdsa-sha2-nistp384";
	case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_521: return "ecdsa-sha2-nistp521";
	case GIT_CERT_SSH_RAW_TYPE_KEY_ED25519: return "ssh-ed25519";
	default: return "unknown";
	}
}

/*
 * libgit2 1.5 checks no ssh host key itself (it accepts whatever this
 * callback accepts), so known_hosts is checked here, strictly.
 */
static int cb_certificate(git_cert *cert, int valid, const char *host, void *payload)
{
	transport *t = payload;
	const git_cert_hostkey *hk;
	accord_buf user_file = ACCORD_BUF_INIT, fp = ACCORD_BUF_INIT, dir = ACCORD_BUF_INIT;
	unsigned char digest[32];
	int verdict, code = 0;

	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2) {
		if (valid)
			return 0;
		return transport_fail(t, GIT_ECERTIFICATE, "the TLS certificate of %s is not valid", host);
	}
	hk = (const git_cert_hostkey *)cert;
	if (!(hk->type & GIT_CERT_SSH_RAW) || !hk->hostkey || !hk->hostkey_len)
		return transport_fail(t, GIT_ECERTIFICATE,
				      "can't check the host key of %s: libgit2 gave no raw key", host);
	if (t->opts && t->opts->known_hosts)
		accord_buf_puts(&user_file, t->opts->known_hosts);
	else
		accord_buf_printf(&user_file, "%s/.ssh/known_hosts", home_dir());
	verdict = accord_known_hosts_check(user_file.ptr, host, t->port,
					   (const unsigned char *)hk->hostkey, hk->hostkey_len);
	if (verdict == ACCORD_HOST_UNKNOWN)
		verdict = accord_known_hosts_check("/etc/ssh/ssh_known_hosts", host, t->port,
						   (const unsigned char *)hk->hostkey, hk->hostkey_len);
	accord_sha256(digest, hk->hostkey, hk->hostkey_len);
	accord_base64_encode(&fp, digest, sizeof(digest));
	while (fp.size && fp.ptr[fp.size - 1] == '=')
		fp.ptr[--fp.size] = '\0';
	switch (verdict) {
	case ACCORD_HOST_OK:
		break;
	case ACCORD_HOST_REVOKED:
		code = transport_fail(t, GIT_ECERTIFICATE, "the host key of %s (%s SHA256:%s) is revoked",
				      host, raw_type_name(hk->raw_type), fp.ptr);
		break;
	case ACCORD_HOST_CHANGED:
		code = transport_fail(t, GIT_ECERTIFICATE,
				      "the host key of %s has CHANGED (now %s SHA256:%s): someone may be intercepting the connection; if the change is expected, fix %s",
				      host, raw_type_name(hk->raw_type), fp.ptr, user_file.ptr);
		break;
	default:
		if (t->opts && t->opts->accept_new_host_key) {
			accord_buf_printf(&dir, "%s/.ssh", home_dir());
			if (!(t->opts && t->opts->known_hosts))
				mkdir(dir.ptr, 0700);
			if (accord_known_hosts_add(user_file.ptr, host, t->port,
						   (const unsigned char *)hk->hostkey,
						   hk->hostkey_len) < 0)
				code = transport_fail(t, GIT_ECERTIFICATE, "%s", accord_error_last());
			break;
		}
		code = transport_fail(t, GIT_ECERTIFICATE,
				      "the host key of %s (%s SHA256:%s) is not in %s; check it and add it (ssh-keyscan), or sync once with --accept-new-host-key",
				      host, raw_type_name(hk->raw_type), fp.ptr, user_file.ptr);
	}
	accord_buf_dispose(&user_file);
	accord_buf_dispose(&fp);
	accord_buf_dispose(&dir);
	return code;
}

static int cb_credentials(git_credential **out, const char *url, const char *user_from_url,
			  unsigned int allowed, void *payload)
{
	static const char *const names[] = { "id_ed25519", "id_ecdsa", "id_rsa", NULL };
	transport *t = payload;
	const char *user = user_from_url && *user_from_url ? user_from_url : local_user();

	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		/* Try the agent first, then each key file in ~/.ssh, once each. */
		for (;;) {
			int i = t->cred_tries++;
			accord_buf key = ACCORD_BUF_INIT, pub = ACCORD_BUF_INIT;
			int error;

			if (i == 0) {
				if (getenv("SSH_AUTH_SOCK") && *getenv("SSH_AUTH_SOCK"))
					return git_credential_ssh_key_from_agent(out, user);
				continue;
			}
			if (i > 3 || !names[i - 1])
				break;
			accord_buf_printf(&key, "%s/.ssh/%s", home_dir(), names[i - 1]);
			accord_buf_printf(&pub, "%s.pub", key.ptr);
			if (access(key.ptr, R_OK) < 0) {
				accord_buf_dispose(&key);
				accord_buf_dispose(&pub);
				continue;
			}
			error = git_credential_ssh_key_new(out, user,
							   access(pub.ptr, R_OK) == 0 ? pub.ptr : NULL,
							   key.ptr, getenv("ACCORD_SSH_PASSPHRASE"));
			accord_buf_dispose(&key);
			accord_buf_dispose(&pub);
			return error;
		}
		return transport_fail(t, GIT_EAUTH,
				      "no ssh key was accepted for %s (tried ssh-agent and ~/.ssh/id_ed25519, id_ecdsa, id_rsa)",
				      user);
	}
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		const char *u = getenv("ACCORD_HTTP_USER"), *pw = getenv("ACCORD_HTTP_PASSWORD");

		if (t->cred_tries++ == 0 && pw)
			return git_credential_userpass_plaintext_new(out, u && *u ? u : user, pw);
		return transport_fail(t, GIT_EAUTH,
				      "the server asks for a password: set ACCORD_HTTP_USER and ACCORD_HTTP_PASSWORD");
	}
	return transport_fail(t, GIT_EAUTH, "the server asks for credentials accord cannot give");
}

static int cb_transfer(const git_indexer_progress *s, void *payload)
{
	transport *t = payload;

	if (t->opts && t->opts->progress)
		t->opts->progress(t->remote, "receiving objects", s->received_objects,
				  s->total_objects, t->opts->payload);
	return 0;
}

static int cb_push_transfer(unsigned int current, unsigned int total, size_t bytes, void *payload)
{
	transport *t = payload;

	if (t->opts && t->opts->progress)
		t->opts->progress(t->remote, "pushing objects", current, total, t->opts->payload);
	return 0;
}

static int cb_push_update(const char *refname, const char *status, void *payload)
{
	transport *t = payload;
	accord_buf msg = ACCORD_BUF_INIT;

	if (!status)
		return 0;
	accord_buf_printf(&msg, "%s: %s", refname, status);
	*PUSH(t->rejected, t->rejected_count) = accord_buf_detach(&msg);
	return 0;
}

static void transport_callbacks(git_remote_callbacks *cb, transport *t)
{
	cb->credentials = cb_credentials;
	cb->certificate_check = cb_certificate;
	cb->transfer_progress = cb_transfer;
	cb->push_transfer_progress = cb_push_transfer;
	cb->push_update_reference = cb_push_update;
	cb->payload = t;
}

static void transport_dispose(transport *t)
{
	size_t i;

	for (i = 0; i < t->rejected_count; i++)
		free(t->rejected[i]);
	free(t->rejected);
	t->rejected = NULL;
	t->rejected_count = 0;
}

/* Record a transport failure: our callback's reason if it has one, else libgit2's. */
static int transport_error(transport *t, int git_code, const char *what, const char *url)
{
	const git_error *e = git_error_last();

	if (t->error[0])
		return accord_error_set(ACCORD_ERROR, "%s %s: %s", what, url, t->error);
	(void)git_code;
	return accord_error_set(ACCORD_ERROR, "%s %s: %s", what, url,
				e && e->message ? e->message : "failed");
}

static int check_transport(const char *url)
{
	if (is_ssh_url(url) && !(git_libgit2_features() & GIT_FEATURE_SSH))
		return accord_error_set(ACCORD_ERROR,
					"%s: this libgit2 was built without ssh support", url);
	if (strncmp(url, "https://", 8) == 0 && !(git_libgit2_features() & GIT_FEATURE_HTTPS))
		return accord_error_set(ACCORD_ERROR,
					"%s: this libgit2 was built without https support", url);
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

/*
 * A remote for `url` alone. url.<base>.insteadOf is not applied: libgit2
 * 1.5.1 leaks PCRE2 match data on every regex config lookup (fixed in
 * libgit2 PR 6382), and accord must stay clean under valgrind.
 */
static int anonymous_remote(git_remote **out, accord_store *store, const char *url)
{
	git_remote_create_options o;

	git_remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	o.repository = accord_store_repo(store);
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	return git_remote_create_with_opts(out, url, &o);
}

/* Delete every ref under `prefix`. */
/*
 * Where a feed pushed only up to what counts is staged as a push source:
 * outside refs/accord/, never exchanged, cleared at the next fetch.
 */
#define ACCORD_PUSH_PREFIX "refs/accord-push/"

/* nftw callback: remove git's "<ref>.lock" files. */
static int unlink_lock(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)st;
	(void)ftw;
	if (flag == FTW_F && n > 5 && !strcmp(path + n - 5, ".lock"))
		unlink(path);
	return 0;
}

/*
 * Clear the refs under `prefix` (a quarantine). They are written only by
 * accord under its flock, which we hold: a "<ref>.lock" there was left by an
 * accord process killed mid-fetch, and would fail every later sync.
 */
static int delete_refs(accord_store *store, const char *prefix)
{
	git_strarray refs = { NULL, 0 };
	accord_buf dir = ACCORD_BUF_INIT;
	size_t i;
	int error;

	accord_buf_printf(&dir, "%s%s", accord_store_gitdir(store), prefix);
	nftw(dir.ptr, unlink_lock, 16, FTW_PHYS);
	accord_buf_dispose(&dir);
	if ((error = accord_store_ref_list(&refs, store, prefix)) < 0)
		return error;
	for (i = 0; i < refs.count; i++) {
		git_reference *ref = NULL;

		if (git_reference_lookup(&ref, accord_store_repo(store), refs.strings[i]) == 0) {
			if ((error = git_reference_delete(ref)) < 0)
				error = accord_error_git(error, refs.strings[i]);
			git_reference_free(ref);
			if (error < 0)
				break;
		}
	}
	git_strarray_dispose(&refs);
	return error < 0 ? error : 0;
}

/*
 * Fetch the remote's refs/accord/... into refs/quarantine/<name>/, which
 * afterwards mirrors the remote exactly (cleared first).
 */
static int fetch_quarantine(transport *t, accord_store *store, const char *name, const char *url)
{
	git_remote *remote = NULL;
	git_fetch_options fo;
	accord_buf prefix = ACCORD_BUF_INIT;
	char *spec = accord_sync_refspec(name);
	git_strarray specs = { &spec, 1 };
	int error;

	if ((error = check_transport(url)) < 0)
		goto done;
	accord_buf_printf(&prefix, "%s%s/", ACCORD_QUARANTINE_PREFIX, name);
	/* the push sources of an earlier sync go too (see the push step) */
	if ((error = delete_refs(store, prefix.ptr)) < 0 ||
	    (error = delete_refs(store, ACCORD_PUSH_PREFIX)) < 0)
		goto done;
	/* Anonymous: the configured refspecs never take part, not even opportunistically. */
	if ((error = anonymous_remote(&remote, store, url)) < 0) {
		error = accord_error_git(error, url);
		goto done;
	}
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	transport_callbacks(&fo.callbacks, t);
	fo.prune = GIT_FETCH_NO_PRUNE;
	fo.update_fetchhead = 0;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	t->error[0] = '\0';
	t->cred_tries = 0;
	if ((error = git_remote_fetch(remote, &specs, &fo, "accord: sync")) < 0)
		error = transport_error(t, error, "can't fetch from", url);
done:
	git_remote_free(remote);
	accord_buf_dispose(&prefix);
	free(spec);
	return error;
}

/* The folder of a local path or file:// URL, else NULL. Caller frees. */
static char *local_path(const char *url)
{
	if (strncmp(url, "file://", 7) == 0)
		return xstrdup(url + 7);
	if (strstr(url, "://") || is_ssh_url(url))
		return NULL;
	return xstrdup(url);
}

/* Copy `id` from one object database to another unless it is there. */
static int copy_object(git_odb *from, git_odb *to, const git_oid *id)
{
	git_odb_object *obj = NULL;
	git_oid written;
	int error;

	if (git_odb_exists(to, id))
		return 0;
	if ((error = git_odb_read(&obj, from, id)) < 0)
		return accord_error_git(error, "reading an object to push");
	error = git_odb_write(&written, to, git_odb_object_data(obj), git_odb_object_size(obj),
			      git_odb_object_type(obj));
	git_odb_object_free(obj);
	return error < 0 ? accord_error_git(error, "writing a pushed object") : 0;
}

/* Copy the commits of a feed (and their empty tree) back to what `to` already has. */
static int copy_feed(git_repository *src, git_odb *from, git_odb *to, const git_oid *head)
{
	git_oid at = *head;
	int error;

	while (!git_odb_exists(to, &at)) {
		git_commit *c = NULL;

		if ((error = git_commit_lookup(&c, src, &at)) < 0)
			return accord_error_git(error, "reading a commit to push");
		if ((error = copy_object(from, to, git_commit_tree_id(c))) < 0 ||
		    (error = copy_object(from, to, &at)) < 0) {
			git_commit_free(c);
			return error;
		}
		if (git_commit_parentcount(c) == 0) {
			git_commit_free(c);
			break;
		}
		at = *git_commit_parent_id(c, 0);
		git_commit_free(c);
	}
	return 0;
}

/*
 * A hub on a local path enforces its rules through its pre-receive hook,
 * as it does for stock git push: run it, with "old new ref" lines on
 * stdin, from inside its git dir. 0 when there is no executable hook.
 */
static int run_pre_receive(accord_store *dst, const accord_ref_update *u, size_t n)
{
	accord_buf hook = ACCORD_BUF_INIT, cmd = ACCORD_BUF_INIT;
	const char *gitdir = accord_store_gitdir(dst);
	FILE *p;
	size_t i;
	int status, error = 0;

	accord_buf_printf(&hook, "%shooks/pre-receive", gitdir);
	if (access(hook.ptr, X_OK) != 0) {
		accord_buf_dispose(&hook);
		return 0;
	}
	if (strchr(gitdir, '\'')) {
		accord_buf_dispose(&hook);
		return accord_error_set(ACCORD_ERROR, "can't run the hook of %s (a quote in its path)", gitdir);
	}
	accord_buf_printf(&cmd, "cd '%s' && GIT_DIR=. exec hooks/pre-receive >&2", gitdir);
	fflush(NULL);
	if (!(p = popen(cmd.ptr, "w"))) {
		error = accord_error_set(ACCORD_ERROR, "can't run %s: %s", hook.ptr, strerror(errno));
		goto done;
	}
	for (i = 0; i < n; i++) {
		char o[GIT_OID_HEXSZ + 1], nw[GIT_OID_HEXSZ + 1];

		git_oid_tostr(o, sizeof(o), &u[i].old_id);
		git_oid_tostr(nw, sizeof(nw), &u[i].new_id);
		fprintf(p, "%s %s %s\n", o, nw, u[i].ref);
	}
	status = pclose(p);
	if (status != 0)
		error = accord_error_set(ACCORD_EDENIED, "the pre-receive hook of %s declined the push", gitdir);
done:
	accord_buf_dispose(&hook);
	accord_buf_dispose(&cmd);
	return error;
}

/*
 * Push into a repository on this machine. libgit2 cannot push into a
 * non-bare repository, and runs no hook on local pushes, so accord does
 * it itself: objects first, then the same checks a hub's hook makes and
 * the hub's own pre-receive hook, then each ref by compare-and-swap under
 * the other ledger's lock.
 */
static int local_push(transport *t, accord_store *store, const char *path, char **refs,
		      char **srcs, const git_oid *expect, size_t n)
{
	accord_store *dst = NULL;
	git_odb *from = NULL, *to = NULL;
	accord_ref_update *updates = xcalloc(n + 1, sizeof(*updates));
	size_t i;
	int error;

	if ((error = accord_store_open(&dst, path)) < 0)
		goto done;
	if ((error = git_repository_odb(&from, accord_store_repo(store))) < 0 ||
	    (error = git_repository_odb(&to, accord_store_repo(dst))) < 0) {
		error = accord_error_git(error, "opening the object databases");
		goto done;
	}
	for (i = 0; i < n; i++) {
		updates[i].ref = refs[i];
		updates[i].old_id = expect[i];
		if ((error = accord_store_ref_get(&updates[i].new_id, store,
						  srcs[i] ? srcs[i] : refs[i])) < 0 ||
		    (error = copy_feed(accord_store_repo(store), from, to, &updates[i].new_id)) < 0)
			goto done;
	}
	if ((error = accord_sync_check_push(dst, updates, n)) < 0 ||
	    (error = run_pre_receive(dst, updates, n)) < 0) {
		error = accord_error_wrap(ACCORD_ERROR, "%s refused the push", path);
		goto done;
	}
	/* Only now: the hook, an accord process too, may need this lock itself. */
	if ((error = accord_store_lock(dst)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		int creating = git_oid_is_zero(&expect[i]);

		if (ref_create(dst, refs[i], &updates[i].new_id, creating ? NULL : &expect[i]) < 0) {
			accord_buf msg = ACCORD_BUF_INIT;

			accord_buf_printf(&msg, "%s: %s", refs[i], accord_error_last());
			*PUSH(t->rejected, t->rejected_count) = accord_buf_detach(&msg);
		}
	}
	error = 0;
done:
	git_odb_free(from);
	git_odb_free(to);
	accord_store_free(dst);
	free(updates);
	return error;
}

/* Push `refs`, each from srcs[i] (NULL: the same name), never forced. */
static int push_refs(transport *t, accord_store *store, const char *url, char **refs,
		     char **srcs, const git_oid *expect, size_t n)
{
	git_remote *remote = NULL;
	git_push_options po;
	char **specs, *local = local_path(url);
	git_strarray arr;
	size_t i;
	int error;

	if (local) {
		error = local_push(t, store, local, refs, srcs, expect, n);
		free(local);
		return error;
	}
	specs = xcalloc(n + 1, sizeof(*specs));
	arr.strings = specs;
	arr.count = n;
	for (i = 0; i < n; i++) {
		accord_buf s = ACCORD_BUF_INIT;

		accord_buf_printf(&s, "%s:%s", srcs[i] ? srcs[i] : refs[i], refs[i]);
		specs[i] = accord_buf_detach(&s);
	}
	if ((error = check_transport(url)) < 0)
		goto done;
	if ((error = anonymous_remote(&remote, store, url)) < 0) {
		error = accord_error_git(error, url);
		goto done;
	}
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	transport_callbacks(&po.callbacks, t);
	t->error[0] = '\0';
	t->cred_tries = 0;
	if ((error = git_remote_push(remote, &arr, &po)) < 0)
		error = transport_error(t, error, "can't push to", url);
done:
	git_remote_free(remote);
	for (i = 0; i < n; i++)
		free(specs[i]);
	free(specs);
	return error;
}

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
			   const accord_parties *parties)
{
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
			snprintf(x->why, sizeof(x->why), "key %.12s is of no party of this ledger", x->keyid);
			continue;
		}
		f = accord_verification_feed(v, x->keyid);
		mine = f ? accord_verified_feed_item(f, x->e->seq) : NULL;
		if (mine && !mine->sigfail && mine->id[0] && strcmp(mine->id, x->e->id) != 0)
			proof = 1;
		for (j = 0; j < n && !proof; j++)
			proof = j != i && items[j].e && !strcmp(items[j].keyid, x->keyid) &&
				items[j].e->seq == x->e->seq && strcmp(items[j].e->id, x->e->id) != 0;
		if (!proof)
			snprintf(x->why, sizeof(x->why),
				 "it proves no equivocation: no other signed entry of key %.12s has seq %lld here",
				 x->keyid, (long long)x->e->seq);
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
	size_t ahead = 0, behind = 0;
	git_revwalk *walk = NULL;
	git_oid id;

	if (stop) {
		if (git_graph_ahead_behind(&ahead, &behind, accord_store_repo(store), head, stop) < 0)
			return 0;
		return ahead;
	}
	if (git_revwalk_new(&walk, accord_store_repo(store)) < 0)
		return 0;
	if (git_revwalk_push(walk, head) == 0)
		while (git_revwalk_next(&id, walk) == 0)
			ahead++;
	git_revwalk_free(walk);
	return ahead;
}

/* The commit on `head`'s side right after the fork point `base` (NULL: the root). */
static int first_after(git_oid *out, accord_store *store, const git_oid *head, const git_oid *base)
{
	git_oid at = *head;
	size_t steps = 0;

	for (;;) {
		git_commit *c = NULL;
		int error = git_commit_lookup(&c, accord_store_repo(store), &at);
		const git_oid *parent;

		if (error < 0)
			return accord_error_git(error, "walking a feed");
		parent = git_commit_parentcount(c) ? git_commit_parent_id(c, 0) : NULL;
		if (!parent || (base && git_oid_equal(parent, base)) || ++steps > 100000000) {
			git_commit_free(c);
			*out = at;
			return 0;
		}
		at = *parent;
		git_commit_free(c);
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

	has_base = git_merge_base(&base, accord_store_repo(store), local, remote) == 0;
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
			 const accord_verification *v, const accord_parties *parties)
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
	check_evidence(items, n, v, parties);
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
	size_t i;
	int error = 0, changed = 0;

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
		h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "feed", f->keyid);
		cJSON_AddNumberToObject(h, "seq", (double)f->seq);
		cJSON_AddStringToObject(h, "hash", f->last->id);
		cJSON_AddItemToArray(heads, h);
	}
	if (remote && *remote && strlen(remote) <= 200)
		cJSON_AddStringToObject(body, "remote", remote);
	error = accord_ledger_append(out_id, l, key, "checkpoint", NULL, body);
done:
	cJSON_Delete(body);
	return error;
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

int accord_sync_remote(accord_sync_result **out, accord_store *store, const char *name,
		       const accord_sync_options *opts)
{
	accord_sync_result *res = xcalloc(1, sizeof(*res));
	transport t = { 0 };
	accord_head *local = NULL, *remote = NULL, *seen = NULL, *after = NULL;
	size_t nlocal = 0, nremote = 0, nseen = 0, nafter = 0, ncands = 0, nbad = 0, i;
	accord_sync_candidate *cands = NULL;
	accord_ledger *before = NULL, *verified = NULL;
	accord_ledger_options opts_before = ACCORD_LEDGER_OPTIONS_INIT;
	accord_verification *vv = NULL;
	char **bad = NULL, *seenfile = NULL, *pushurl = NULL;
	char **pushes = NULL, **srcs = NULL;
	git_oid *expects = NULL;
	size_t npushes = 0, nexpects = 0, nsrcs = 0;
	accord_buf qfeeds = ACCORD_BUF_INIT, qevidence = ACCORD_BUF_INIT;
	int error, locked = 0;

	res->remote = xstrdup(name);
	t.opts = opts;
	t.remote = name;
	if ((error = accord_sync_remote_url(&res->url, &pushurl, store, name)) < 0)
		goto fail;
	if (!pushurl)
		pushurl = xstrdup(res->url);
	if (!*res->url) {
		error = accord_error_set(ACCORD_EINVALID, "remote '%s' has no url", name);
		goto fail;
	}
	t.port = url_port(res->url);
	/*
	 * The write lock covers the quarantine refs too, from the fetch to
	 * the ref updates; appends wait meanwhile. It is released before the
	 * push, so two ledgers syncing with each other never wait in a cycle.
	 */
	if ((error = accord_store_lock(store)) < 0)
		goto fail;
	locked = 1;
	if ((error = fetch_quarantine(&t, store, name, res->url)) < 0)
		goto fail;
	if ((error = accord_ledger_local_heads(&local, &nlocal, store)) < 0)
		goto fail;
	opts_before.heads = local;
	opts_before.head_count = nlocal;
	if ((error = accord_ledger_open(&before, store, &opts_before)) < 0) {
		if (error == ACCORD_ENOTFOUND)
			error = accord_error_set(ACCORD_ENOTFOUND,
						 "no ledger here to sync (use accord clone URL DIR)");
		else
			error = accord_error_wrap(ACCORD_EBADSIG, "the local ledger does not verify");
		goto fail;
	}
	accord_buf_printf(&qfeeds, "%s%s/feeds/", ACCORD_QUARANTINE_PREFIX, name);
	accord_buf_printf(&qevidence, "%s%s/evidence/", ACCORD_QUARANTINE_PREFIX, name);
	if ((error = list_feeds(&remote, &nremote, store, qfeeds.ptr, &bad, &nbad)) < 0)
		goto fail;
	{
		/* Refs under the remote's refs/accord/ outside the layout. */
		git_strarray all = { NULL, 0 };
		accord_buf q = ACCORD_BUF_INIT;

		accord_buf_printf(&q, "%s%s/", ACCORD_QUARANTINE_PREFIX, name);
		if ((error = accord_store_ref_list(&all, store, q.ptr)) < 0) {
			accord_buf_dispose(&q);
			goto fail;
		}
		for (i = 0; i < all.count; i++)
			if (strncmp(all.strings[i], qfeeds.ptr, qfeeds.size) != 0 &&
			    strncmp(all.strings[i], qevidence.ptr, qevidence.size) != 0)
				*PUSH(bad, nbad) = xstrdup(all.strings[i]);
		git_strarray_dispose(&all);
		for (i = 0; i < nbad; i++) {
			accord_buf why = ACCORD_BUF_INIT;

			accord_buf_printf(&why, "the remote's ref %s%s is outside the ledger layout; ignored",
					  ACCORD_REF_PREFIX, bad[i] + q.size);
			add_refused(res, "", NULL, why.ptr);
			accord_buf_dispose(&why);
		}
		accord_buf_dispose(&q);
	}

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
			accord_sync_candidate *c = PUSH(cands, ncands);

			c->head = remote[i];
			res->fetched += count_new(store, &remote[i].head, l ? &l->head : NULL);
		} else if (rel == ACCORD_SYNC_FORK) {
			if ((error = handle_fork(res, store, remote[i].keyid, &l->head,
						 &remote[i].head)) < 0)
				goto fail;
		}
	}

	{
		accord_head *evh = NULL;
		char **evnames = NULL;
		size_t nev = 0;

		/* One verification of the local feeds, the candidates and the incoming evidence. */
		error = list_evidence(&evh, &evnames, &nev, store, qevidence.ptr);
		if (error == 0)
			error = accord_sync_verify(&verified, &vv, store, local, nlocal, cands, ncands, evh, nev);
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
	for (i = 0; i < ncands; i++) {
		const accord_head *l = find_head(local, nlocal, cands[i].head.keyid);
		const accord_feed *was = before ? accord_ledger_feed(before, cands[i].head.keyid) : NULL;
		const accord_feed *now = accord_ledger_feed(verified, cands[i].head.keyid);
		accord_buf ref = ACCORD_BUF_INIT;

		/* a fork this copy already holds proof of is not news: audit lists it */
		if (cands[i].refused && !(cands[i].kind == ACCORD_AUDIT_EQUIVOCATION &&
					  has_evidence(store, cands[i].head.keyid)))
			*PUSH(res->refused, res->refused_count) = cands[i];
		/* Never move a feed ref onto an entry that does not count. */
		if (git_oid_is_zero(&cands[i].take) || (l && git_oid_equal(&cands[i].take, &l->head)))
			continue;
		accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, cands[i].head.keyid);
		error = ref_create(store, ref.ptr, &cands[i].take, l ? &l->head : NULL);
		accord_buf_dispose(&ref);
		if (error < 0)
			goto fail;
		{
			accord_sync_accepted *a = PUSH(res->accepted, res->accepted_count);

			memcpy(a->feed, cands[i].head.keyid, sizeof(a->feed));
			a->from = was ? was->seq : 0;
			a->to = now ? now->seq : 0;
		}
	}
	if ((error = take_evidence(res, store, qevidence.ptr, vv, &verified->parties)) < 0)
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

	/* Push what the remote lacks or is behind on; never force. */
	free(local);
	local = NULL;
	if ((error = list_feeds(&local, &nlocal, store, ACCORD_FEED_PREFIX, NULL, NULL)) < 0)
		goto fail;
	after = xcalloc(nremote + nlocal + 1, sizeof(*after));
	if (nremote)
		memcpy(after, remote, nremote * sizeof(*after));
	nafter = nremote;
	for (i = 0; i < nlocal; i++) {
		const accord_head *r = find_head(remote, nremote, local[i].keyid);
		const accord_beyond *beyond = accord_ledger_beyond(verified, local[i].keyid);
		accord_sync_relation rel;
		accord_buf ref = ACCORD_BUF_INIT;
		char *src = NULL;

		/* Only what counts travels: a feed is pushed up to its last entry that counts. */
		if (beyond && git_oid_equal(&beyond->head, &local[i].head)) {
			const accord_feed *f = accord_ledger_feed(verified, local[i].keyid);

			if (!f)
				continue;
			local[i].head = f->head;
			accord_buf_printf(&ref, "%s%s", ACCORD_PUSH_PREFIX, local[i].keyid);
			if ((error = git_reference_create(NULL, accord_store_repo(store), ref.ptr, &f->head, 1,
							  "accord: push what counts")) < 0) {
				accord_buf_dispose(&ref);
				error = accord_error_git(error, "preparing the push");
				goto fail;
			}
			src = accord_buf_detach(&ref);
		}
		if (accord_sync_classify(&rel, store, &local[i].head, r ? &r->head : NULL) < 0 ||
		    (rel != ACCORD_SYNC_MISSING && rel != ACCORD_SYNC_BEHIND)) {
			free(src);
			continue;
		}
		accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, local[i].keyid);
		*PUSH(pushes, npushes) = accord_buf_detach(&ref);
		*PUSH(srcs, nsrcs) = src;
		*PUSH(expects, nexpects) = r ? r->head : (git_oid){ { 0 } };
	}
	{
		git_strarray ev = { NULL, 0 };

		if ((error = accord_store_ref_list(&ev, store, ACCORD_EVIDENCE_PREFIX)) < 0)
			goto fail;
		for (i = 0; i < ev.count; i++) {
			accord_buf q = ACCORD_BUF_INIT;
			git_oid there;

			accord_buf_printf(&q, "%s%s", qevidence.ptr,
					  ev.strings[i] + strlen(ACCORD_EVIDENCE_PREFIX));
			if (accord_store_ref_get(&there, store, q.ptr) == ACCORD_ENOTFOUND)
			{
				*PUSH(pushes, npushes) = xstrdup(ev.strings[i]);
				*PUSH(srcs, nsrcs) = NULL;
				PUSH(expects, nexpects);
			}
			accord_buf_dispose(&q);
		}
		git_strarray_dispose(&ev);
	}
	if (npushes) {
		error = push_refs(&t, store, pushurl, pushes, srcs, expects, npushes);
		for (i = 0; i < npushes; i++) {
			size_t j;
			int rejected = error < 0;

			for (j = 0; j < t.rejected_count && !rejected; j++)
				if (strncmp(t.rejected[j], pushes[i], strlen(pushes[i])) == 0 &&
				    t.rejected[j][strlen(pushes[i])] == ':')
					rejected = 1;
			if (rejected)
				continue;
			*PUSH(res->pushed, res->pushed_count) = xstrdup(pushes[i]);
			if (strncmp(pushes[i], ACCORD_FEED_PREFIX, strlen(ACCORD_FEED_PREFIX)) == 0) {
				const char *k = pushes[i] + strlen(ACCORD_FEED_PREFIX);
				const accord_head *lh = find_head(local, nlocal, k);
				accord_head *a = (accord_head *)find_head(after, nafter, k);

				if (!a)
					a = &after[nafter++];
				*a = *lh;
			}
		}
		if (error == 0 && t.rejected_count) {
			accord_buf why = ACCORD_BUF_INIT;

			accord_buf_printf(&why, "%s rejected the push:", pushurl);
			for (i = 0; i < t.rejected_count; i++)
				accord_buf_printf(&why, " %s;", t.rejected[i]);
			error = accord_error_set(ACCORD_ERROR, "%s", why.ptr);
			accord_buf_dispose(&why);
		}
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
	for (i = 0; i < npushes; i++) {
		free(pushes[i]);
		free(srcs[i]);
	}
	free(pushes);
	free(srcs);
	free(expects);
	transport_dispose(&t);
	accord_ledger_free(before);
	accord_ledger_free(verified);
	accord_verification_free(vv);
	free(local);
	free(remote);
	free(seen);
	free(after);
	free(cands);
	free(seenfile);
	free(pushurl);
	accord_buf_dispose(&qfeeds);
	accord_buf_dispose(&qevidence);
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
		return accord_error_set(ACCORD_ENOTFOUND, "no remote '%s' (see accord remote add)", name);
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
			if (strlen(names[i]) == len - 11 && !strncmp(names[i], entry->name + 7, len - 11))
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
	transport t = { 0 };
	size_t n = 0, i, nbad = 0;
	char **bad = NULL, *abs_url = NULL, *seenfile = NULL;
	struct stat st;
	int created = 0, error;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || !dir_is_empty(dir))
			return accord_error_set(ACCORD_EEXISTS, "%s exists and is not an empty folder", dir);
	} else if (errno == ENOENT) {
		if (mkdir(dir, 0777) < 0)
			return accord_error_set(ACCORD_ERROR, "can't create %s: %s", dir, strerror(errno));
		created = 1;
	} else {
		return accord_error_set(ACCORD_ERROR, "can't use %s: %s", dir, strerror(errno));
	}
	scratch = xcalloc(1, sizeof(*scratch));
	/* A local path is kept absolute, so the remote works from anywhere. */
	if (!strstr(url, "://") && !is_ssh_url(url))
		abs_url = realpath(url, NULL);
	if (!abs_url)
		abs_url = xstrdup(url);
	t.opts = opts;
	t.remote = "origin";
	t.port = url_port(abs_url);
	if ((error = accord_store_open_or_init(&store, dir)) < 0)
		goto done;
	if ((error = fetch_quarantine(&t, store, "origin", abs_url)) < 0)
		goto done;
	if ((error = list_feeds(&heads, &n, store, ACCORD_QUARANTINE_PREFIX "origin/feeds/", &bad,
				&nbad)) < 0)
		goto done;
	for (i = 0; i < nbad; i++) {
		accord_buf why = ACCORD_BUF_INIT;

		accord_buf_printf(&why, "the remote's ref %s is outside the ledger layout; ignored", bad[i]);
		add_refused(scratch, "", NULL, why.ptr);
		accord_buf_dispose(&why);
	}
	if (n == 0) {
		error = accord_error_set(ACCORD_ENOTFOUND, "%s holds no ledger (no refs/accord/feeds/)", url);
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
		error = list_evidence(&evh, &evnames, &nev, store, ACCORD_QUARANTINE_PREFIX "origin/evidence/");
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
		error = accord_error_set(ACCORD_EBADSIG,
					 "%s holds ledger %s, not the expected %s; nothing was cloned",
					 url, l->id, opts->expect_ledger);
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
	if ((error = take_evidence(scratch, store, ACCORD_QUARANTINE_PREFIX "origin/evidence/", v, &l->parties)) < 0)
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
	transport_dispose(&t);
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
		int deleting = git_oid_is_zero(&u[i].new_id), creating = git_oid_is_zero(&u[i].old_id);

		if (strncmp(ref, ACCORD_REF_PREFIX, strlen(ACCORD_REF_PREFIX)) != 0)
			continue; /* branches and tags are not the ledger's business */
		if ((k = feed_keyid(ref, ACCORD_FEED_PREFIX))) {
			accord_sync_candidate *h = NULL;
			size_t j;
			int r;

			if (deleting) {
				error = accord_error_set(ACCORD_EDENIED, "%s: a feed may not be deleted", ref);
				goto done;
			}
			if (!creating && !git_oid_equal(&u[i].old_id, &u[i].new_id)) {
				r = git_graph_descendant_of(accord_store_repo(store), &u[i].new_id,
							    &u[i].old_id);
				if (r != 1) {
					error = accord_error_set(ACCORD_EDENIED,
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
		} else if (strncmp(ref, ACCORD_EVIDENCE_PREFIX, strlen(ACCORD_EVIDENCE_PREFIX)) == 0) {
			if (!creating || deleting) {
				error = accord_error_set(ACCORD_EDENIED,
							 "%s: evidence may only be added, never moved or deleted",
							 ref);
				goto done;
			}
			read_evidence_item(&items[nev], store, ref + strlen(ACCORD_EVIDENCE_PREFIX),
					   &u[i].new_id);
			if (!items[nev].e) {
				error = accord_error_set(items[nev].misnamed ? ACCORD_EDENIED : ACCORD_EBADSIG,
							 "%s: %s", ref, items[nev].why);
				goto done;
			}
			memcpy(evh[nev].keyid, items[nev].keyid, sizeof(evh[nev].keyid));
			evh[nev].head = u[i].new_id;
			nev++;
			touched = 1;
		} else {
			error = accord_error_set(ACCORD_EDENIED,
						 "%s is outside the ledger layout (%s<key id>, %s<key id>/<commit>)",
						 ref, ACCORD_FEED_PREFIX, ACCORD_EVIDENCE_PREFIX);
			goto done;
		}
	}
	if (!touched)
		goto done;
	/* One pass over the hub's feeds with the pushed ones in place: linear in the push. */
	if ((error = accord_sync_verify(&l, &v, store, heads, nhub, cands, ncands, evh, nev)) < 0) {
		error = accord_error_wrap(ACCORD_EBADSIG, "the ledger this push would make has no valid genesis");
		goto done;
	}
	for (i = 0; i < ncands; i++) {
		if (!cands[i].refused)
			continue;
		/* What was on the hub before is not this push's fault. */
		if (!git_oid_is_zero(&cands[i].take) && git_oid_equal(&cands[i].take, &cands[i].head.head))
			continue;
		accord_buf_printf(&why, "%s%s%s: %s", refused++ ? "; " : "", ACCORD_FEED_PREFIX,
				  cands[i].head.keyid, cands[i].reason);
	}
	check_evidence(items, nev, v, &l->parties);
	for (i = 0; i < nev; i++)
		if (items[i].why[0])
			accord_buf_printf(&why, "%s%s%s/%s: %s", refused++ ? "; " : "", ACCORD_EVIDENCE_PREFIX,
					  items[i].keyid, git_oid_tostr_s(&items[i].commit), items[i].why);
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
