#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "encode.h"
#include "accord/error.h"
#include "accord/idmap.h"
#include "alloc.h"

/* Only the header's first lines matter; a hostile huge object is not read whole. */
#define CHAIN_HEADER_MAX 4096

/* "<word> <40 lowercase hex>\n" at p (n bytes available): the id, else -1. */
static int oid_line(git_oid *out, const char *p, size_t n, const char *word)
{
	size_t w = strlen(word);
	char hex[GIT_OID_HEXSZ + 1];

	if (n < w + 1 + GIT_OID_HEXSZ + 1 || memcmp(p, word, w) != 0 || p[w] != ' ' ||
	    p[w + 1 + GIT_OID_HEXSZ] != '\n')
		return -1;
	memcpy(hex, p + w + 1, GIT_OID_HEXSZ);
	hex[GIT_OID_HEXSZ] = '\0';
	if (!accord_is_lower_hex(hex, GIT_OID_HEXSZ))
		return -1;
	return git_oid_fromstrn(out, hex, GIT_OID_HEXSZ) < 0 ? -1 : 0;
}

int accord_chain_is_commit(accord_store *store, const git_oid *id)
{
	git_odb *odb = NULL;
	git_object_t type;
	size_t size = 0;
	int error;

	if ((error = git_repository_odb(&odb, accord_store_repo(store))) < 0)
		return accord_error_git(error, "opening the object database");
	error = git_odb_read_header(&size, &type, odb, id);
	git_odb_free(odb);
	if (error < 0)
		return accord_error_git(error, "reading an object");
	return type == GIT_OBJECT_COMMIT;
}

/* The first CHAIN_HEADER_MAX bytes (or fewer) of commit `id`, into buf. */
static int read_head_bytes(char *buf, size_t *len, accord_store *store, const git_oid *id)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_odb_stream *st = NULL;
	git_object_t type;
	size_t size = 0;
	char hex[GIT_OID_HEXSZ + 1];
	int error;

	git_oid_tostr(hex, sizeof(hex), id);
	if ((error = git_repository_odb(&odb, accord_store_repo(store))) < 0)
		return accord_error_git(error, "opening the object database");
	if ((error = git_odb_read_header(&size, &type, odb, id)) < 0) {
		git_odb_free(odb);
		if (error == GIT_ENOTFOUND)
			return accord_error_set(ACCORD_ENOTFOUND, "commit %s is missing", hex);
		return accord_error_git(error, hex);
	}
	if (type != GIT_OBJECT_COMMIT) {
		git_odb_free(odb);
		return accord_error_set(ACCORD_EBADSIG, "object %s is not a commit", hex);
	}
	*len = 0;
	if (size > ACCORD_COMMIT_MAX && git_odb_open_rstream(&st, &size, &type, odb, id) == 0) {
		/* a loose object can be streamed: read only its first bytes */
		while (*len < CHAIN_HEADER_MAX) {
			int got = st->read(st, buf + *len, CHAIN_HEADER_MAX - *len);

			if (got <= 0)
				break;
			*len += (size_t)got;
		}
		git_odb_stream_free(st);
	} else if (size > ACCORD_COMMIT_MAX) {
		error = accord_error_set(ACCORD_EBADSIG,
					 "object %s is %zu bytes, larger than any entry may be",
					 hex, size);
	} else if ((error = git_odb_read(&obj, odb, id)) < 0) {
		error = accord_error_git(error, hex);
	} else {
		*len = git_odb_object_size(obj) < CHAIN_HEADER_MAX ? git_odb_object_size(obj)
								   : CHAIN_HEADER_MAX;
		memcpy(buf, git_odb_object_data(obj), *len);
		git_odb_object_free(obj);
	}
	git_odb_free(odb);
	return error < 0 ? error : 0;
}

int accord_chain_parent(git_oid *out, accord_store *store, const git_oid *id)
{
	char buf[CHAIN_HEADER_MAX], hex[GIT_OID_HEXSZ + 1];
	const size_t tree_len = 5 + GIT_OID_HEXSZ + 1;
	git_oid tree, parent;
	size_t len = 0;
	int error;

	if ((error = read_head_bytes(buf, &len, store, id)) < 0)
		return error;
	git_oid_tostr(hex, sizeof(hex), id);
	if (oid_line(&tree, buf, len, "tree") < 0)
		return accord_error_set(ACCORD_EBADSIG, "commit %s does not start with a tree line",
					hex);
	if (oid_line(&parent, buf + tree_len, len - tree_len, "parent") < 0) {
		/* no parent line: a root, unless a later line claims one out of place */
		if (len - tree_len >= 7 && memcmp(buf + tree_len, "parent ", 7) == 0)
			return accord_error_set(ACCORD_EBADSIG,
						"commit %s has a malformed parent line", hex);
		memset(out, 0, sizeof(*out));
		return 0;
	}
	*out = parent;
	return 0;
}

int accord_chain_steps_to(size_t *steps, accord_store *store, const git_oid *commit,
			  const git_oid *ancestor)
{
	git_oid at = *commit;
	size_t n = 0;
	int error;

	*steps = 0;
	if (git_oid_equal(commit, ancestor))
		return 0;
	for (;;) {
		if ((error = accord_chain_parent(&at, store, &at)) < 0)
			return error;
		n++;
		if (git_oid_is_zero(&at))
			return 0;
		if (git_oid_equal(&at, ancestor)) {
			*steps = n;
			return 1;
		}
	}
}

int accord_chain_descendant_of(accord_store *store, const git_oid *commit, const git_oid *ancestor)
{
	size_t steps;

	return accord_chain_steps_to(&steps, store, commit, ancestor);
}

size_t accord_chain_count(accord_store *store, const git_oid *head, const git_oid *stop,
			  size_t limit)
{
	git_oid at = *head;
	size_t n = 0;

	while (n < limit && !git_oid_is_zero(&at) && !(stop && git_oid_equal(&at, stop))) {
		n++;
		if (accord_chain_parent(&at, store, &at) < 0)
			break;
	}
	return n;
}

int accord_chain_merge_base(git_oid *out, accord_store *store, const git_oid *a, const git_oid *b)
{
	accord_idmap seen = ACCORD_IDMAP_INIT;
	char **hexes = NULL, hex[GIT_OID_HEXSZ + 1];
	size_t n = 0, i;
	git_oid at = *a;
	int error = 0;

	/* a's chain into a set; the map borrows its keys, kept in hexes until it goes */
	while (!git_oid_is_zero(&at)) {
		if (!(hexes = realloc(hexes, (n + 1) * sizeof(*hexes))) ||
		    !(hexes[n] = malloc(sizeof(hex))))
			accord_oom();
		git_oid_tostr(hexes[n], sizeof(hex), &at);
		accord_idmap_put(&seen, hexes[n], hexes[n]);
		n++;
		if ((error = accord_chain_parent(&at, store, &at)) < 0)
			goto done;
	}
	for (at = *b; !git_oid_is_zero(&at);) {
		git_oid_tostr(hex, sizeof(hex), &at);
		if (accord_idmap_get(&seen, hex)) {
			*out = at;
			goto done;
		}
		if ((error = accord_chain_parent(&at, store, &at)) < 0)
			goto done;
	}
	error = accord_error_set(ACCORD_ENOTFOUND, "the two chains share no commit");
done:
	accord_idmap_dispose(&seen);
	for (i = 0; i < n; i++)
		free(hexes[i]);
	free(hexes);
	return error;
}
