/*
 * Bulk appends written as packfiles (see batch.h). We build the pack and
 * its version 2 index ourselves rather than through libgit2's mempack and
 * packbuilder: the packbuilder searches for deltas between objects, which
 * signed commits never yield, and that search would cost more than the
 * signing. Object ids still come from libgit2 (git_odb_hash), and the
 * pack's and index's SHA-1 trailers from libmbedcrypto (which Debian's
 * libgit2 loads anyway; libsodium has no SHA-1); the pack format is git's
 * Documentation/gitformat-pack.txt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/sha1.h>
#include <zlib.h>

#include "batch.h"
#include "encode.h"
#include "accord/error.h"
#include "file.h"
#include "accord/idmap.h"
#include "alloc.h"

#define DEFAULT_FLUSH_OBJECTS 50000
#define DEFAULT_FLUSH_BYTES (256u << 20)
/* Offsets in a version 2 index are 31 bits unless a large-offset table follows; we never need one. */
#define PACK_MAX_BYTES (1u << 30)
#define PACK_HEADER 12

/* ---- the batch ---- */

typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1]; /* the idmap key */
	git_oid start, head;
	int has_start, has_head, touched;
	int known; /* seq and last_id are valid (accord_batch_append) */
	int raw;   /* written with accord_batch_write: seq and last_id unknown */
	int64_t seq;
	char last_id[ACCORD_ID_HEXLEN + 1];
} batch_feed;

typedef struct {
	git_oid id;
	uint32_t crc;
	uint32_t offset;
} pack_object;

struct accord_batch {
	accord_store *store;
	char *packdir;
	accord_idmap feeds_by_id;
	batch_feed **feeds;
	size_t feed_count;

	accord_buf pack; /* the pending pack: header placeholder, then objects */
	pack_object *objects;
	size_t object_count, object_alloc;
	size_t flush_objects, flush_bytes;
	int tree_written;
	size_t entries;

	z_stream z;
	int z_ready;
	accord_buf commit;
};

static batch_feed *feed_get(accord_batch *b, const char *keyid)
{
	batch_feed *f = accord_idmap_get(&b->feeds_by_id, keyid);
	batch_feed **nf;

	if (f)
		return f;
	if (!(f = calloc(1, sizeof(*f))) ||
	    !(nf = realloc(b->feeds, (b->feed_count + 1) * sizeof(*nf))))
		accord_oom();
	b->feeds = nf;
	nf[b->feed_count++] = f;
	snprintf(f->keyid, sizeof(f->keyid), "%s", keyid);
	accord_idmap_put(&b->feeds_by_id, f->keyid, f);
	return f;
}

int accord_batch_new(accord_batch **out, accord_store *store)
{
	accord_batch *b = accord_xcalloc(1, sizeof(*b));
	git_strarray refs = { NULL, 0 };
	git_buf objdir = GIT_BUF_INIT_CONST(NULL, 0);
	size_t i, plen = strlen(ACCORD_FEED_PREFIX);
	int error;

	b->store = store;
	b->flush_objects = DEFAULT_FLUSH_OBJECTS;
	b->flush_bytes = DEFAULT_FLUSH_BYTES;
	if ((error = git_repository_item_path(&objdir, accord_store_repo(store),
					      GIT_REPOSITORY_ITEM_OBJECTS)) < 0) {
		error = accord_error_git(error, "finding the object folder");
		goto fail;
	}
	{
		accord_buf dir = ACCORD_BUF_INIT;

		accord_buf_printf(&dir, "%spack", objdir.ptr);
		b->packdir = accord_buf_detach(&dir);
	}
	if (mkdir(b->packdir, 0755) < 0 && errno != EEXIST) {
		error = accord_error_set(ACCORD_ERROR, "can't create %s: %s", b->packdir,
					 strerror(errno));
		goto fail;
	}
	if ((error = accord_store_ref_list(&refs, store, ACCORD_FEED_PREFIX)) < 0)
		goto fail;
	for (i = 0; i < refs.count; i++) {
		const char *keyid = refs.strings[i] + plen;
		batch_feed *f;

		if (!accord_is_lower_hex(keyid, ACCORD_KEYID_HEXLEN))
			continue; /* not a feed: the ledger refuses it on read, we never write it */
		f = feed_get(b, keyid);
		if ((error = accord_store_ref_get(&f->start, store, refs.strings[i])) < 0)
			goto fail;
		f->head = f->start;
		f->has_start = f->has_head = 1;
	}
	if (deflateInit(&b->z, Z_BEST_SPEED) != Z_OK) {
		error = accord_error_set(ACCORD_ENOMEM, "can't initialise zlib");
		goto fail;
	}
	b->z_ready = 1;
	accord_buf_put(&b->pack, "PACK\0\0\0\2\0\0\0\0",
		       PACK_HEADER); /* the count is set at flush */
	git_strarray_dispose(&refs);
	git_buf_dispose(&objdir);
	*out = b;
	return 0;
fail:
	git_strarray_dispose(&refs);
	git_buf_dispose(&objdir);
	accord_batch_free(b);
	return error;
}

void accord_batch_set_flush(accord_batch *b, size_t max_objects, size_t max_bytes)
{
	if (max_objects)
		b->flush_objects = max_objects;
	if (max_bytes)
		b->flush_bytes = max_bytes < PACK_MAX_BYTES ? max_bytes : PACK_MAX_BYTES;
}

int accord_batch_set_compression(accord_batch *b, int level)
{
	if (level < 0 || level > 9)
		return accord_error_set(ACCORD_EINVALID, "compression level %d is not 0 to 9",
					level);
	deflateReset(&b->z);
	if (deflateParams(&b->z, level, Z_DEFAULT_STRATEGY) != Z_OK)
		return accord_error_set(ACCORD_ERROR, "zlib refused compression level %d", level);
	return 0;
}

size_t accord_batch_count(const accord_batch *b)
{
	return b->entries;
}

/* Deflate `len` bytes as one object (pack header, zlib stream) onto the pending pack. */
static int pack_put(accord_batch *b, git_object_t type, const void *data, size_t len,
		    const git_oid *id)
{
	unsigned char hdr[16];
	size_t n = 0, size = len, start = b->pack.size;
	pack_object *o;

	if (b->pack.size > PACK_MAX_BYTES - len - 1024)
		return accord_error_set(ACCORD_ERROR, "pack would exceed %u bytes", PACK_MAX_BYTES);
	hdr[n] = (unsigned char)((type << 4) | (size & 15));
	size >>= 4;
	while (size) {
		hdr[n++] |= 0x80;
		hdr[n] = size & 0x7f;
		size >>= 7;
	}
	accord_buf_put(&b->pack, hdr, n + 1);

	accord_buf_grow(&b->pack, deflateBound(&b->z, (uLong)len));
	deflateReset(&b->z);
	b->z.next_in = (Bytef *)data;
	b->z.avail_in = (uInt)len;
	b->z.next_out = (Bytef *)b->pack.ptr + b->pack.size;
	b->z.avail_out = (uInt)(b->pack.asize - b->pack.size - 1);
	if (deflate(&b->z, Z_FINISH) != Z_STREAM_END) {
		b->pack.size = start;
		return accord_error_set(ACCORD_ERROR, "zlib failed to compress an object");
	}
	b->pack.size = b->pack.asize - 1 - b->z.avail_out;
	b->pack.ptr[b->pack.size] = '\0';

	if (b->object_count == b->object_alloc) {
		b->object_alloc = b->object_alloc ? b->object_alloc * 2 : 1024;
		if (!(b->objects = realloc(b->objects, b->object_alloc * sizeof(*b->objects))))
			accord_oom();
	}
	o = &b->objects[b->object_count++];
	git_oid_cpy(&o->id, id);
	o->offset = (uint32_t)start;
	o->crc = (uint32_t)crc32(crc32(0, NULL, 0), (const Bytef *)b->pack.ptr + start,
				 (uInt)(b->pack.size - start));
	return 0;
}

static int cmp_object(const void *a, const void *b)
{
	return git_oid_cmp(&((const pack_object *)a)->id, &((const pack_object *)b)->id);
}

static void put_be32(accord_buf *out, uint32_t v)
{
	accord_buf_put_u32(out, v);
}

int accord_batch_flush(accord_batch *b)
{
	unsigned char pack_sum[20], idx_sum[20];
	char hex[41];
	accord_buf idx = ACCORD_BUF_INIT, path = ACCORD_BUF_INIT;
	uint32_t fanout[256] = { 0 };
	size_t i;
	int error;

	if (b->object_count == 0)
		return 0;
	/* The pack: "PACK", version 2, object count, the objects, SHA-1 of all that. */
	memcpy(b->pack.ptr, "PACK\0\0\0\2", 8);
	for (i = 0; i < 4; i++)
		b->pack.ptr[8 + i] = (char)(b->object_count >> (24 - 8 * i));
	if (mbedtls_sha1_ret((const unsigned char *)b->pack.ptr, b->pack.size, pack_sum) != 0)
		return accord_error_set(ACCORD_ERROR, "can't compute the pack's SHA-1");
	accord_buf_put(&b->pack, pack_sum, sizeof(pack_sum));

	/* The index (version 2): fan-out, sorted ids, CRCs, offsets, both checksums. */
	qsort(b->objects, b->object_count, sizeof(*b->objects), cmp_object);
	for (i = 0; i < b->object_count; i++)
		fanout[b->objects[i].id.id[0]]++;
	accord_buf_put(&idx, "\377tOc", 4);
	put_be32(&idx, 2);
	{
		uint32_t sum = 0;

		for (i = 0; i < 256; i++) {
			sum += fanout[i];
			put_be32(&idx, sum);
		}
	}
	for (i = 0; i < b->object_count; i++)
		accord_buf_put(&idx, b->objects[i].id.id, GIT_OID_RAWSZ);
	for (i = 0; i < b->object_count; i++)
		put_be32(&idx, b->objects[i].crc);
	for (i = 0; i < b->object_count; i++)
		put_be32(&idx, b->objects[i].offset);
	accord_buf_put(&idx, pack_sum, sizeof(pack_sum));
	if (mbedtls_sha1_ret((const unsigned char *)idx.ptr, idx.size, idx_sum) != 0) {
		error = accord_error_set(ACCORD_ERROR, "can't compute the pack index's SHA-1");
		goto done;
	}
	accord_buf_put(&idx, idx_sum, sizeof(idx_sum));

	/* The pack goes first: git looks for packs by their .idx. */
	accord_hex_encode(hex, pack_sum, sizeof(pack_sum));
	accord_buf_printf(&path, "%s/pack-%s.pack", b->packdir, hex);
	if ((error = accord_file_write_atomic(path.ptr, b->pack.ptr, b->pack.size, 0444)) < 0)
		goto done;
	accord_buf_clear(&path);
	accord_buf_printf(&path, "%s/pack-%s.idx", b->packdir, hex);
	if ((error = accord_file_write_atomic(path.ptr, idx.ptr, idx.size, 0444)) < 0)
		goto done;

	b->object_count = 0;
	b->pack.size = PACK_HEADER;
	b->pack.ptr[b->pack.size] = '\0';
done:
	if (error)
		b->pack.size -= sizeof(pack_sum);
	accord_buf_dispose(&idx);
	accord_buf_dispose(&path);
	return error;
}

static int write_entry(git_oid *out_commit, accord_batch *b, batch_feed *f, const accord_key *key,
		       const char *entry, size_t len, int64_t time)
{
	git_oid id;
	int error;

	/* Flush first, so that a failure leaves this entry unwritten rather than half-reported. */
	if ((b->object_count >= b->flush_objects || b->pack.size >= b->flush_bytes) &&
	    (error = accord_batch_flush(b)) < 0)
		return error;
	if (!b->tree_written) {
		/* The empty tree every entry commit names; a duplicate of a loose copy is harmless. */
		if ((error = git_odb_hash(&id, "", 0, GIT_OBJECT_TREE)) < 0)
			return accord_error_git(error, "hashing the empty tree");
		if ((error = pack_put(b, GIT_OBJECT_TREE, "", 0, &id)) < 0)
			return error;
		b->tree_written = 1;
	}
	/* accord_store_append's bytes, from the same writer: the same id */
	if ((error = accord_commit_signed(&b->commit, f->has_head ? &f->head : NULL, key, entry,
					  len, time)) < 0)
		return error;
	if ((error = git_odb_hash(&id, b->commit.ptr, b->commit.size, GIT_OBJECT_COMMIT)) < 0)
		return accord_error_git(error, "hashing a commit");
	if ((error = pack_put(b, GIT_OBJECT_COMMIT, b->commit.ptr, b->commit.size, &id)) < 0)
		return error;
	f->head = id;
	f->has_head = f->touched = 1;
	b->entries++;
	if (out_commit)
		git_oid_cpy(out_commit, &id);
	return 0;
}

int accord_batch_write(git_oid *out_commit, accord_batch *b, const accord_key *key,
		       const char *entry, size_t len, int64_t time)
{
	batch_feed *f = feed_get(b, key->pub.id);

	f->raw = 1;
	return write_entry(out_commit, b, f, key, entry, len, time);
}

/* Learn the seq and id of a feed's head as it was when the batch began. */
static int feed_learn(accord_batch *b, batch_feed *f)
{
	accord_commit *c = NULL;
	accord_entry *e = NULL;
	int error;

	if (f->known)
		return 0;
	if (f->has_start) {
		if ((error = accord_commit_read(&c, b->store, &f->start)) < 0)
			return error;
		error = accord_entry_parse(&e, c->message, c->message_len);
		accord_commit_free(c);
		if (error < 0)
			return accord_error_wrap(error, "the head of feed %s", f->keyid);
		f->seq = e->seq;
		memcpy(f->last_id, e->id, sizeof(f->last_id));
		accord_entry_free(e);
	}
	f->known = 1;
	return 0;
}

int accord_batch_append(char *out_id, git_oid *out_commit, accord_batch *b, const accord_key *key,
			const accord_entry_fields *fields)
{
	batch_feed *f = feed_get(b, key->pub.id);
	accord_entry_fields ef = *fields;
	accord_buf raw = ACCORD_BUF_INIT;
	unsigned char hash[32];
	int error;

	if (f->raw)
		return accord_error_set(
			ACCORD_EINVALID,
			"feed %s was written with accord_batch_write: its seq is unknown",
			f->keyid);
	if ((error = feed_learn(b, f)) < 0)
		return error;
	ef.author = &key->pub;
	ef.seq = f->seq + 1;
	ef.prev = f->seq ? f->last_id : NULL;
	if ((error = accord_entry_build(&raw, &ef)) < 0)
		goto done;
	if ((error = write_entry(out_commit, b, f, key, raw.ptr, raw.size, ef.time)) < 0)
		goto done;
	accord_sha256(hash, raw.ptr, raw.size);
	accord_hex_encode(f->last_id, hash, sizeof(hash));
	f->seq++;
	if (out_id)
		memcpy(out_id, f->last_id, sizeof(f->last_id));
done:
	accord_buf_dispose(&raw);
	return error;
}

static int cmp_feed(const void *a, const void *b)
{
	return strcmp((*(batch_feed *const *)a)->keyid, (*(batch_feed *const *)b)->keyid);
}

int accord_batch_commit(accord_batch *b)
{
	git_repository *repo = accord_store_repo(b->store);
	git_odb *odb = NULL;
	accord_buf name = ACCORD_BUF_INIT;
	size_t i;
	int error;

	if ((error = accord_batch_flush(b)) < 0)
		return error;
	/* libgit2 caches the pack list: make it see the packs just written. */
	if ((error = git_repository_odb(&odb, repo)) < 0 || (error = git_odb_refresh(odb)) < 0) {
		git_odb_free(odb);
		return accord_error_git(error, "rereading the object database");
	}
	git_odb_free(odb);
	qsort(b->feeds, b->feed_count, sizeof(*b->feeds), cmp_feed);
	for (i = 0; i < b->feed_count; i++) {
		batch_feed *f = b->feeds[i];

		if (!f->touched || (f->has_start && git_oid_equal(&f->start, &f->head)))
			continue;
		accord_buf_clear(&name);
		accord_buf_printf(&name, "%s%s", ACCORD_FEED_PREFIX, f->keyid);
		error = accord_store_ref_write(b->store, name.ptr, &f->head,
					       f->has_start ? &f->start : NULL,
					       "accord: batch append");
		if (error == GIT_EMODIFIED || error == GIT_EEXISTS) {
			error = accord_error_set(
				ACCORD_EMODIFIED,
				"%s moved while the batch was written; it was not updated",
				name.ptr);
			break;
		}
		if (error < 0) {
			error = accord_error_git(error, name.ptr);
			break;
		}
		/* Committed: a second commit only moves what is written after this one. */
		f->start = f->head;
		f->has_start = 1;
		f->touched = 0;
	}
	accord_buf_dispose(&name);
	return error;
}

void accord_batch_free(accord_batch *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->feed_count; i++)
		free(b->feeds[i]);
	free(b->feeds);
	accord_idmap_dispose(&b->feeds_by_id);
	if (b->z_ready)
		deflateEnd(&b->z);
	free(b->objects);
	free(b->packdir);
	accord_buf_dispose(&b->pack);
	accord_buf_dispose(&b->commit);
	free(b);
}
