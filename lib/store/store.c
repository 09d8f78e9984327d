#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "encode.h"
#include "accord/error.h"
#include "sshsig.h"
#include "sigcache.h"
#include "accord/store.h"
#include "alloc.h"

struct accord_store {
	git_repository *repo;
	int lock_fd;
	accord_sigcache *sigcache; /* owned, may be NULL */
};

static int store_wrap(accord_store **out, git_repository *repo)
{
	accord_store *s = accord_xcalloc(1, sizeof(*s));

	s->repo = repo;
	s->lock_fd = -1;
	*out = s;
	return 0;
}

int accord_store_open(accord_store **out, const char *path)
{
	git_repository *repo = NULL;
	int error;

	if (path)
		error = git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	else
		error = git_repository_open_ext(&repo, ".", 0, NULL);
	if (error < 0) {
		if (error == GIT_ENOTFOUND)
			return accord_error_set(
				ACCORD_ENOTFOUND,
				"%s is not a git repository (use -C DIR or accord init)",
				path ? path : "the current directory");
		return accord_error_git(error, path ? path : ".");
	}
	return store_wrap(out, repo);
}

int accord_store_open_or_init(accord_store **out, const char *path)
{
	git_repository *repo = NULL;
	int error = git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);

	if (error == GIT_ENOTFOUND)
		error = git_repository_init(&repo, path, 0);
	if (error < 0)
		return accord_error_git(error, path);
	return store_wrap(out, repo);
}

void accord_store_free(accord_store *store)
{
	if (!store)
		return;
	accord_store_unlock(store);
	git_repository_free(store->repo);
	accord_sigcache_free(store->sigcache);
	free(store);
}

void accord_store_set_sigcache(accord_store *store, accord_sigcache *cache)
{
	if (store->sigcache != cache)
		accord_sigcache_free(store->sigcache);
	store->sigcache = cache;
}

accord_sigcache *accord_store_sigcache(accord_store *store)
{
	return store->sigcache;
}

git_repository *accord_store_repo(accord_store *store)
{
	return store->repo;
}

const char *accord_store_gitdir(accord_store *store)
{
	return git_repository_path(store->repo);
}

int accord_store_state_path(char **out, accord_store *store, const char *name)
{
	accord_buf path = ACCORD_BUF_INIT;

	accord_buf_printf(&path, "%saccord", accord_store_gitdir(store));
	if (mkdir(path.ptr, 0700) < 0 && errno != EEXIST) {
		int code = accord_error_set(ACCORD_ERROR, "can't create %s: %s", path.ptr,
					    strerror(errno));
		accord_buf_dispose(&path);
		return code;
	}
	accord_buf_printf(&path, "/%s", name);
	*out = accord_buf_detach(&path);
	return 0;
}

int accord_store_lock(accord_store *store)
{
	char *path = NULL;
	int fd, error;

	if (store->lock_fd >= 0)
		return 0;
	if ((error = accord_store_state_path(&path, store, "lock")) < 0)
		return error;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		error = accord_error_set(ACCORD_ERROR, "can't open lock %s: %s", path,
					 strerror(errno));
		free(path);
		return error;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		error = accord_error_set(ACCORD_ELOCKED, "can't lock %s: %s", path,
					 strerror(errno));
		close(fd);
		free(path);
		return error;
	}
	free(path);
	store->lock_fd = fd;
	return 0;
}

int accord_store_lock_held(const accord_store *store)
{
	return store->lock_fd >= 0;
}

void accord_store_unlock(accord_store *store)
{
	if (store->lock_fd >= 0) {
		close(store->lock_fd); /* closing releases the flock */
		store->lock_fd = -1;
	}
}

int accord_store_ref_get(git_oid *out, accord_store *store, const char *refname)
{
	int error = git_reference_name_to_id(out, store->repo, refname);

	if (error == GIT_ENOTFOUND)
		return accord_error_set(ACCORD_ENOTFOUND, "no ref %s", refname);
	if (error < 0)
		return accord_error_git(error, refname);
	return 0;
}

struct named_ref {
	char *name;
	git_oid id;
};

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named_ref *)a)->name, ((const struct named_ref *)b)->name);
}

/* The ref's commit: its target, or a symbolic ref's resolved as accord_store_ref_get does. */
static int ref_target(git_oid *out, accord_store *store, git_reference *ref)
{
	if (git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
		git_oid_cpy(out, git_reference_target(ref));
		return 0;
	}
	return accord_store_ref_get(out, store, git_reference_name(ref));
}

/*
 * The refs under `prefix`, sorted by name, with their commits if `ids`.
 * A glob makes libgit2 read only the folder that the prefix names, not
 * every loose ref of the repository: a command that checks the feeds no
 * longer reads the evidence, quarantine and branch refs as well.
 */
static int list_refs(git_strarray *out, git_oid **ids, accord_store *store, const char *prefix)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	accord_buf glob = ACCORD_BUF_INIT;
	struct named_ref *v = NULL;
	size_t i, n = 0, cap = 0, plen = strlen(prefix);
	int error;

	out->strings = NULL;
	out->count = 0;
	if (ids)
		*ids = NULL;
	if (strpbrk(prefix, "*?[\\")) {
		error = git_reference_iterator_new(&it, store->repo);
	} else {
		accord_buf_printf(&glob, "%s*", prefix);
		error = git_reference_iterator_glob_new(&it, store->repo, glob.ptr);
	}
	accord_buf_dispose(&glob);
	if (error < 0)
		return accord_error_git(error, "listing refs");
	while ((error = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);

		if (strncmp(name, prefix, plen) == 0) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				v = accord_xrealloc(v, cap * sizeof(*v));
			}
			v[n].name = accord_xstrdup(name);
			memset(&v[n].id, 0, sizeof(v[n].id));
			n++;
			if (ids && (error = ref_target(&v[n - 1].id, store, ref)) < 0) {
				git_reference_free(ref);
				goto fail;
			}
		}
		git_reference_free(ref);
	}
	if (error != GIT_ITEROVER) {
		error = accord_error_git(error, "listing refs");
		goto fail;
	}
	git_reference_iterator_free(it);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_named);
	out->strings = accord_xcalloc(n + 1, sizeof(char *));
	out->count = n;
	if (ids)
		*ids = accord_xcalloc(n + 1, sizeof(git_oid));
	for (i = 0; i < n; i++) {
		out->strings[i] = v[i].name;
		if (ids)
			git_oid_cpy(&(*ids)[i], &v[i].id);
	}
	free(v);
	return 0;
fail:
	git_reference_iterator_free(it);
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return error;
}

int accord_store_ref_list(git_strarray *out, accord_store *store, const char *prefix)
{
	return list_refs(out, NULL, store, prefix);
}

int accord_store_ref_heads(git_strarray *out, git_oid **ids, accord_store *store,
			   const char *prefix)
{
	return list_refs(out, ids, store, prefix);
}

static int ensure_empty_tree(git_tree **out, git_repository *repo)
{
	git_treebuilder *tb = NULL;
	git_oid id;
	int error;

	if ((error = git_treebuilder_new(&tb, repo, NULL)) < 0 ||
	    (error = git_treebuilder_write(&id, tb)) < 0 ||
	    (error = git_tree_lookup(out, repo, &id)) < 0) {
		git_treebuilder_free(tb);
		return accord_error_git(error, "writing the empty tree");
	}
	git_treebuilder_free(tb);
	return 0;
}

/*
 * Feed refs are written by accord under its flock, and by the system git
 * only for a moment (a plain fetch, pack-refs in an automatic gc), which
 * accord cannot see. A "<ref>.lock" that lasts is left by a process killed
 * mid-update (git's lock files outlive their process, the flock does not):
 * it is removed rather than refuse every later write. One younger than
 * STALE_LOCK_S may be a live git's: wait for it to go, or to grow stale.
 */
#define STALE_LOCK_S 2
#define LOCK_POLL_MS 50
/* polls before a lock counts as stale whatever its time (one dated ahead of the clock never ages) */
#define LOCK_POLLS ((STALE_LOCK_S + 1) * 1000 / LOCK_POLL_MS)

static int remove_stale_ref_lock(accord_store *store, const char *refname)
{
	accord_buf path = ACCORD_BUF_INIT;
	struct stat st;
	int error = 0, waited;

	accord_buf_printf(&path, "%s%s.lock", accord_store_gitdir(store), refname);
	for (waited = 0;; waited++) {
		if (lstat(path.ptr, &st) < 0) {
			error = errno == ENOENT ? 0 : -1; /* gone: released by its owner */
			break;
		}
		if (time(NULL) - st.st_mtime >= STALE_LOCK_S || waited >= LOCK_POLLS) {
			error = unlink(path.ptr) == 0 || errno == ENOENT ? 0 : -1;
			break;
		}
		usleep(LOCK_POLL_MS * 1000);
	}
	accord_buf_dispose(&path);
	return error;
}

int accord_store_ref_write(accord_store *store, const char *refname, const git_oid *id,
			   const git_oid *expect, const char *why)
{
	git_reference *ref = NULL;
	int error = git_reference_create_matching(&ref, store->repo, refname, id, expect != NULL,
						  expect, why);

	if (error == GIT_ELOCKED && store->lock_fd >= 0 &&
	    remove_stale_ref_lock(store, refname) == 0)
		error = git_reference_create_matching(&ref, store->repo, refname, id,
						      expect != NULL, expect, why);
	git_reference_free(ref);
	return error;
}

int accord_commit_payload(accord_buf *out, const git_oid *parent, const accord_key *key,
			  const char *entry, size_t len, int64_t time)
{
	char hex[GIT_OID_HEXSZ + 1];

	/* libgit2 takes the message as a C string. */
	if (memchr(entry, '\0', len))
		return accord_error_set(ACCORD_EINVALID, "entry bytes hold a NUL");
	if (time < 0)
		return accord_error_set(ACCORD_EINVALID, "time %lld is before 1970",
					(long long)time);
	accord_buf_clear(out);
	accord_buf_printf(out, "tree %s\n", ACCORD_EMPTY_TREE);
	if (parent) {
		git_oid_tostr(hex, sizeof(hex), parent);
		accord_buf_printf(out, "parent %s\n", hex);
	}
	/*
	 * Author and committer say nothing the entry does not (accord_commit_ident:
	 * the key id, the time, +0000), with all 64 bits of the time: libgit2's
	 * signature writer prints it as a 32-bit unsigned, which would make a
	 * commit whose time differs from its entry's past 2106 (a bad-commit of
	 * the writer's own).
	 */
	accord_buf_puts(out, "author ");
	accord_commit_ident(out, key->pub.id, time);
	accord_buf_puts(out, "\ncommitter ");
	accord_commit_ident(out, key->pub.id, time);
	accord_buf_puts(out, "\n\n");
	accord_buf_put(out, entry, len);
	return 0;
}

/*
 * The one writer of commit bytes: the payload above, signed, with the
 * SSHSIG armor as a "gpgsig" header after the others (each further armor
 * line indented by a space), as git and libgit2's
 * git_commit_create_with_signature lay it out. accord_store_append and
 * accord_batch both write exactly these bytes.
 */
int accord_commit_signed(accord_buf *out, const git_oid *parent, const accord_key *key,
			 const char *entry, size_t len, int64_t time)
{
	accord_buf payload = ACCORD_BUF_INIT, armor = ACCORD_BUF_INIT;
	const char *p, *nl, *end;
	size_t header_len;
	int error;

	if ((error = accord_commit_payload(&payload, parent, key, entry, len, time)) < 0)
		goto done;
	if ((error = accord_sshsig_sign(&armor, key, "git", payload.ptr, payload.size)) < 0)
		goto done;
	/* the headers end at the first blank line, which the payload always has */
	end = memmem(payload.ptr, payload.size, "\n\n", 2);
	header_len = (size_t)(end - payload.ptr) + 1;
	accord_buf_clear(out);
	accord_buf_grow(out, payload.size + armor.size + armor.size / 64 + 16);
	accord_buf_put(out, payload.ptr, header_len);
	accord_buf_puts(out, "gpgsig ");
	for (p = armor.ptr; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		accord_buf_put(out, p, (size_t)(nl - p));
		accord_buf_puts(out, "\n ");
	}
	accord_buf_puts(out, p);
	accord_buf_putc(out, '\n');
	accord_buf_put(out, payload.ptr + header_len, payload.size - header_len);
done:
	accord_buf_dispose(&payload);
	accord_buf_dispose(&armor);
	return error;
}

int accord_store_append(git_oid *out, accord_store *store, const char *refname,
			const git_oid *parent, const char *entry, size_t len, const accord_key *key,
			int64_t time)
{
	git_tree *tree = NULL;
	git_commit *parent_commit = NULL;
	git_odb *odb = NULL;
	accord_buf commit = ACCORD_BUF_INIT;
	git_oid id;
	int error;

	if ((error = ensure_empty_tree(&tree, store->repo)) < 0)
		goto done;
	if (parent && (error = git_commit_lookup(&parent_commit, store->repo, parent)) < 0) {
		error = accord_error_git(error, "reading the feed's previous entry");
		goto done;
	}
	if ((error = accord_commit_signed(&commit, parent, key, entry, len, time)) < 0)
		goto done;
	if ((error = git_repository_odb(&odb, store->repo)) < 0 ||
	    (error = git_odb_write(&id, odb, commit.ptr, commit.size, GIT_OBJECT_COMMIT)) < 0) {
		error = accord_error_git(error, "writing the commit");
		goto done;
	}
	error = accord_store_ref_write(store, refname, &id, parent, "accord: append");
	/* a ref deleted under us (ENOTFOUND for the expected parent) moved as much as any */
	if (error == GIT_EMODIFIED || error == GIT_EEXISTS || (parent && error == GIT_ENOTFOUND)) {
		error = accord_error_set(ACCORD_EMODIFIED,
					 "%s moved while appending; nothing was written", refname);
		goto done;
	}
	if (error < 0) {
		error = accord_error_git(error, refname);
		goto done;
	}
	git_oid_cpy(out, &id);
	error = 0;
done:
	git_odb_free(odb);
	git_commit_free(parent_commit);
	git_tree_free(tree);
	accord_buf_dispose(&commit);
	return error;
}

static int parse_oid_line(git_oid *out, const char *p, size_t n)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (n != GIT_OID_HEXSZ)
		return -1;
	memcpy(hex, p, n);
	hex[n] = '\0';
	if (!accord_is_lower_hex(hex, GIT_OID_HEXSZ))
		return -1;
	return git_oid_fromstrn(out, hex, n) < 0 ? -1 : 0;
}

/* "committer NAME <EMAIL> 1700000000 +0000": the epoch seconds. */
static int parse_committer_time(int64_t *out, const char *p, size_t n)
{
	const char *gt = memrchr(p, '>', n);
	int64_t t = 0;
	const char *q;

	if (!gt || gt + 2 >= p + n || gt[1] != ' ')
		return -1;
	for (q = gt + 2; q < p + n && *q >= '0' && *q <= '9'; q++) {
		if (t > (INT64_MAX - 9) / 10)
			return -1;
		t = t * 10 + (*q - '0');
	}
	if (q == gt + 2 || q >= p + n || *q != ' ')
		return -1;
	*out = t;
	return 0;
}

int accord_commit_parse(accord_commit **out, const char *raw, size_t len)
{
	accord_commit *c = accord_xcalloc(1, sizeof(*c));
	const char *p = raw, *end = raw + len;
	int seen_tree = 0, seen_author = 0, seen_committer = 0, seen_sig = 0, seen_blank = 0;

	if (memchr(raw, '\0', len))
		goto bad;
	/* Header lines up to the first empty line; gpgsig and its continuation lines are cut out of the payload. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (!nl)
			goto bad;
		n = (size_t)(nl - p);
		if (n == 0) {
			p = nl + 1;
			seen_blank = 1;
			break;
		}
		if (n > 7 && memcmp(p, "gpgsig ", 7) == 0) {
			if (seen_sig++)
				goto bad;
			accord_buf_put(&c->signature, p + 7, n - 7);
			p = nl + 1;
			while (p < end && *p == ' ') {
				nl = memchr(p, '\n', (size_t)(end - p));
				if (!nl)
					goto bad;
				accord_buf_putc(&c->signature, '\n');
				accord_buf_put(&c->signature, p + 1, (size_t)(nl - p - 1));
				p = nl + 1;
			}
			continue;
		}
		accord_buf_put(&c->payload, p, n + 1);
		/* gpgsig elsewhere signs the same bytes, but makes a second commit for the entry */
		if (seen_sig)
			c->sig_misplaced = 1;
		if (n > 5 && memcmp(p, "tree ", 5) == 0 && !seen_tree && c->parent_count == 0) {
			if (parse_oid_line(&c->tree, p + 5, n - 5) < 0)
				goto bad;
			seen_tree = 1;
		} else if (n > 7 && memcmp(p, "parent ", 7) == 0 && seen_tree && !seen_author) {
			if (c->parent_count++ == 0 && parse_oid_line(&c->parent, p + 7, n - 7) < 0)
				goto bad;
		} else if (n > 7 && memcmp(p, "author ", 7) == 0 && seen_tree && !seen_author) {
			c->author_off = c->payload.size - n - 1 + 7;
			c->author_len = n - 7;
			seen_author = 1;
		} else if (n > 10 && memcmp(p, "committer ", 10) == 0 && seen_author &&
			   !seen_committer) {
			if (parse_committer_time(&c->committer_time, p + 10, n - 10) < 0)
				goto bad;
			c->committer_off = c->payload.size - n - 1 + 10;
			c->committer_len = n - 10;
			seen_committer = 1;
		} else {
			c->has_extra_headers = 1;
		}
		p = nl + 1;
	}
	/* without the blank line, the payload's "\n" would be one the commit does not hold */
	if (!seen_tree || !seen_author || !seen_committer || !seen_blank)
		goto bad;
	accord_buf_putc(&c->payload, '\n');
	{
		size_t off = c->payload.size;

		accord_buf_put(&c->payload, p, (size_t)(end - p));
		c->message = c->payload.ptr + off;
		c->message_len = (size_t)(end - p);
	}
	if (!c->signature.ptr)
		accord_buf_grow(&c->signature, 0);
	*out = c;
	return 0;
bad:
	accord_commit_free(c);
	return accord_error_set(ACCORD_EBADSIG, "malformed commit object");
}

void accord_commit_ident(accord_buf *out, const char *keyid, int64_t time)
{
	accord_buf_printf(out, "%s <%s@accord> %lld +0000", keyid, keyid, (long long)time);
}

int accord_commit_read(accord_commit **out, accord_store *store, const git_oid *id)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int error;

	git_oid_tostr(hex, sizeof(hex), id);
	if ((error = git_repository_odb(&odb, store->repo)) < 0)
		return accord_error_git(error, "opening the object database");
	/* Look at the size first: a hostile 1 GB "commit" must not be read into memory. */
	{
		size_t size = 0;
		git_object_t type;

		error = git_odb_read_header(&size, &type, odb, id);
		if (error == 0 && size > ACCORD_COMMIT_MAX) {
			git_odb_free(odb);
			return accord_error_set(
				ACCORD_EBADSIG,
				"object %s is %zu bytes, larger than any entry may be", hex, size);
		}
	}
	error = git_odb_read(&obj, odb, id);
	git_odb_free(odb);
	if (error == GIT_ENOTFOUND)
		return accord_error_set(ACCORD_ENOTFOUND, "commit %s is missing", hex);
	if (error < 0)
		return accord_error_git(error, hex);
	if (git_odb_object_type(obj) != GIT_OBJECT_COMMIT) {
		git_odb_object_free(obj);
		return accord_error_set(ACCORD_EBADSIG, "object %s is not a commit", hex);
	}
	error = accord_commit_parse(out, git_odb_object_data(obj), git_odb_object_size(obj));
	git_odb_object_free(obj);
	if (error < 0)
		return accord_error_wrap(error, "commit %s", hex);
	git_oid_cpy(&(*out)->id, id);
	return 0;
}

void accord_commit_free(accord_commit *commit)
{
	if (!commit)
		return;
	accord_buf_dispose(&commit->payload);
	accord_buf_dispose(&commit->signature);
	free(commit);
}

int accord_store_config_get(char **out, accord_store *store, const char *name)
{
	git_config *cfg = NULL;
	git_buf value = GIT_BUF_INIT_CONST(NULL, 0);
	int error;

	if ((error = git_repository_config_snapshot(&cfg, store->repo)) < 0)
		return accord_error_git(error, "reading git config");
	error = git_config_get_string_buf(&value, cfg, name);
	git_config_free(cfg);
	if (error == GIT_ENOTFOUND)
		return accord_error_set(ACCORD_ENOTFOUND, "git config %s is not set", name);
	if (error < 0)
		return accord_error_git(error, name);
	*out = accord_xstrdup(value.ptr);
	git_buf_dispose(&value);
	return 0;
}

int accord_store_config_set(accord_store *store, const char *name, const char *value)
{
	git_config *cfg = NULL;
	int error;

	if ((error = git_repository_config(&cfg, store->repo)) < 0)
		return accord_error_git(error, "opening git config");
	error = git_config_set_string(cfg, name, value);
	git_config_free(cfg);
	return error < 0 ? accord_error_git(error, name) : 0;
}
