/*
 * Fetch and push through the system git. See include/accord/transport.h.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/error.h"
#include "process.h"
#include "accord/transport.h"
#include "alloc.h"

/* A push's refs on git's command line, at most: far below ARG_MAX (2 MB on Linux). */
#define PUSH_ARG_BYTES (1024 * 1024)

/* Room for the fixed arguments of a fetch or push. */
#define MAX_ARGS 16

/* Where git runs: the work tree, else the git dir (a bare repository), as `git fetch` does. */
static const char *repo_dir(accord_store *store)
{
	const char *wd = git_repository_workdir(accord_store_repo(store));

	return wd ? wd : accord_store_gitdir(store);
}

typedef struct {
	const char *label;
	const accord_transport_options *opts;
} relay;

static void relay_stderr(const char *data, size_t len, void *payload)
{
	relay *r = payload;

	r->opts->output(r->label, data, len, r->opts->payload);
}

/*
 * What git said, in one line: its stderr without progress (what a
 * carriage return overwrote) and blank lines, joined by "; ", at most
 * about 1,000 bytes. Appended to `out`.
 */
static void git_said(accord_buf *out, const accord_buf *err)
{
	const char *p = err->ptr ? err->ptr : "", *end;
	size_t start = out->size;

	for (; *p; p = *end ? end + 1 : end) {
		const char *cr;
		size_t len;

		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		while ((cr = memchr(p, '\r', len)) && cr + 1 < end) {
			len -= (size_t)(cr + 1 - p);
			p = cr + 1;
		}
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
			len--;
		if (!len)
			continue;
		if (out->size > start)
			accord_buf_puts(out, "; ");
		if (out->size - start + len > 1000) {
			accord_buf_puts(out, "...");
			break;
		}
		accord_buf_put(out, p, len);
	}
	if (out->size == start)
		accord_buf_puts(out, "git said nothing more");
}

/* Run git with `args` (NULL-terminated) in the ledger's repository; stdout to `out` (may be NULL). */
static int run_git(int *status, accord_buf *out, accord_buf *err, accord_store *store,
		   const char *label, const char *const *args, const accord_transport_options *opts)
{
	static const char *const quiet[] = { "GIT_TERMINAL_PROMPT=0", NULL };
	accord_process_options po = ACCORD_PROCESS_OPTIONS_INIT;
	relay r = { label, opts };
	const char **argv;
	size_t i, n = 0;
	int error;

	for (i = 0; args[i]; i++)
		;
	if (!(argv = calloc(i + 4, sizeof(*argv))))
		accord_oom();
	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = repo_dir(store);
	for (i = 0; args[i]; i++)
		argv[n++] = args[i];
	po.argv = argv;
	po.env = opts->env;
	po.set = opts->interactive ? NULL : quiet;
	if (opts->interactive && opts->output) {
		po.on_stderr = relay_stderr;
		po.payload = &r;
	}
	error = accord_process_run(status, out, err, &po);
	free(argv);
	return error;
}

/* nftw callback: remove "<ref>.lock" files. */
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
 * Clear the refs under `prefix` (a quarantine). They are written only
 * under accord's write lock, which the caller holds: a "<ref>.lock" there
 * was left by a fetch killed midway, and would fail every later one.
 */
static int clear_quarantine(accord_store *store, const char *prefix)
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
	for (i = 0; i < refs.count && error == 0; i++) {
		git_reference *ref = NULL;

		if (git_reference_lookup(&ref, accord_store_repo(store), refs.strings[i]) == 0 &&
		    (error = git_reference_delete(ref)) < 0)
			error = accord_error_git(error, refs.strings[i]);
		git_reference_free(ref);
	}
	git_strarray_dispose(&refs);
	return error;
}

/* Options of another version than this library's: refused, never misread. */
static int options_version(unsigned int version)
{
	return accord_error_set(ACCORD_EINVALID, "accord_transport_options version %u (want %u)",
				version, ACCORD_TRANSPORT_OPTIONS_VERSION);
}

int accord_transport_fetch(accord_store *store, const char *label, const char *remote,
			   const char *quarantine, const accord_transport_options *opts)
{
	accord_transport_options none = ACCORD_TRANSPORT_OPTIONS_INIT;
	accord_buf spec = ACCORD_BUF_INIT, err = ACCORD_BUF_INIT, msg = ACCORD_BUF_INIT;
	const char *args[MAX_ARGS];
	size_t n = 0;
	int status = 0, error;

	if (!opts)
		opts = &none;
	if (opts->version != ACCORD_TRANSPORT_OPTIONS_VERSION)
		return options_version(opts->version);
	if ((error = clear_quarantine(store, quarantine)) < 0)
		return error;
	accord_buf_printf(&spec, "+%s*:%s*", ACCORD_REF_PREFIX, quarantine);
	args[n++] = "fetch";
	args[n++] = opts->interactive ? "--progress" : "--quiet";
	/* only the refspec below: no FETCH_HEAD, no tags, no configured refspec, no gc */
	args[n++] = "--no-write-fetch-head";
	args[n++] = "--no-tags";
	args[n++] = "--refmap=";
	args[n++] = "--no-recurse-submodules";
	args[n++] = "--no-auto-maintenance";
	args[n++] = "--";
	args[n++] = remote;
	args[n++] = spec.ptr;
	args[n] = NULL;
	if ((error = run_git(&status, NULL, &err, store, label, args, opts)) == 0 && status != 0) {
		git_said(&msg, &err);
		error = accord_error_set(ACCORD_ERROR, "can't fetch from %s: %s", label, msg.ptr);
	}
	accord_buf_dispose(&spec);
	accord_buf_dispose(&err);
	accord_buf_dispose(&msg);
	return error;
}

static accord_transport_update *find_update(accord_transport_update *u, size_t n, const char *ref,
					    size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(u[i].ref) == len && !strncmp(u[i].ref, ref, len))
			return &u[i];
	return NULL;
}

/*
 * Read `git push --porcelain` (stable for scripts): one
 * "<flag>\t<from>:<to>\t<summary>" line per ref, flag '!' for a refusal
 * and a summary "[rejected] (stale info)" when a lease did not hold.
 */
static void read_porcelain(accord_transport_update *u, size_t n, const char *text)
{
	const char *line, *next;

	for (line = text; line && *line; line = next) {
		const char *tab1, *tab2, *colon, *eol;
		accord_transport_update *x;

		next = strchr(line, '\n');
		eol = next ? next : line + strlen(line);
		if (next)
			next++;
		tab1 = memchr(line, '\t', (size_t)(eol - line));
		tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(eol - tab1 - 1)) : NULL;
		colon = tab2 ? memchr(tab1 + 1, ':', (size_t)(tab2 - tab1 - 1)) : NULL;
		if (tab1 != line + 1 || !colon ||
		    !(x = find_update(u, n, colon + 1, (size_t)(tab2 - colon - 1))))
			continue;
		snprintf(x->why, sizeof(x->why), "%.*s", (int)(eol - tab2 - 1), tab2 + 1);
		if (*line != '!')
			x->status = ACCORD_PUSH_OK;
		else if (strstr(x->why, "(stale info)"))
			x->status = ACCORD_PUSH_STALE;
		else
			x->status = ACCORD_PUSH_REJECTED;
	}
}

/* The push's outcome from the refs' statuses and git's exit status. */
static int push_outcome(accord_transport_update *u, size_t n, int status, const char *label,
			const accord_buf *err)
{
	accord_buf msg = ACCORD_BUF_INIT;
	size_t i, stale = 0, refused = 0, unknown = 0;
	int error = 0;

	for (i = 0; i < n; i++) {
		stale += u[i].status == ACCORD_PUSH_STALE;
		refused += u[i].status == ACCORD_PUSH_REJECTED;
		unknown += u[i].status == ACCORD_PUSH_PENDING;
	}
	/*
	 * The lease checked on the remote: another push moved a ref after git
	 * advertised it, while the hook ran. Its transaction then fails with
	 * "cannot lock ref ...: is at X but expected Y", every ref rejected
	 * (explore60b 01): the remote moved, as with "(stale info)".
	 */
	if (!stale && refused && err->ptr && strstr(err->ptr, "but expected ")) {
		size_t lost = 0;

		for (i = 0; i < n; i++)
			lost += u[i].status == ACCORD_PUSH_REJECTED &&
				(strstr(u[i].why, "(atomic transaction failed)") ||
				 strstr(u[i].why, "(failed to update ref)") ||
				 strstr(u[i].why, "(atomic push failure)"));
		if (lost == refused)
			stale = refused;
	}
	if (stale) {
		error = accord_error_set(ACCORD_EMODIFIED, "%s moved since the fetch", label);
	} else if (refused) {
		accord_buf_printf(&msg, "%s refused the push:", label);
		for (i = 0; i < n; i++)
			if (u[i].status == ACCORD_PUSH_REJECTED)
				accord_buf_printf(&msg, " %s %s;", u[i].ref, u[i].why);
		accord_buf_puts(&msg, " ");
		git_said(&msg, err);
		error = accord_error_set(ACCORD_EDENIED, "%s", msg.ptr);
	} else if (status != 0 || unknown) {
		git_said(&msg, err);
		error = accord_error_set(ACCORD_ERROR, "can't push to %s: %s", label, msg.ptr);
	}
	accord_buf_dispose(&msg);
	return error;
}

/*
 * One `git push` of u[0..count): atomic, each ref by lease. Statuses of
 * refs git did not report stay pending.
 */
static int push_batch(accord_store *store, const char *label, const char *remote,
		      accord_transport_update *u, size_t count,
		      const accord_transport_options *opts)
{
	accord_buf out = ACCORD_BUF_INIT, err = ACCORD_BUF_INIT;
	const char **args = calloc(2 * count + MAX_ARGS, sizeof(*args));
	char **owned = calloc(2 * count + 1, sizeof(*owned));
	size_t n = 0, k = 0, i;
	int status = 0, error;

	if (!args || !owned)
		accord_oom();
	args[n++] = "push";
	args[n++] = "--porcelain";
	args[n++] = "--atomic";
	args[n++] = "--recurse-submodules=no";
	/* not --quiet: with it, porcelain output leaves out the refs that went through */
	args[n++] = opts->interactive ? "--progress" : "--no-progress";
	for (i = 0; i < count; i++) {
		accord_buf lease = ACCORD_BUF_INIT;
		char old[GIT_OID_HEXSZ + 1] = "";

		if (!git_oid_is_zero(&u[i].old_id))
			git_oid_tostr(old, sizeof(old), &u[i].old_id);
		accord_buf_printf(&lease, "--force-with-lease=%s:%s", u[i].ref, old);
		args[n++] = owned[k++] = accord_buf_detach(&lease);
	}
	args[n++] = "--";
	args[n++] = remote;
	for (i = 0; i < count; i++) {
		accord_buf spec = ACCORD_BUF_INIT;
		char id[GIT_OID_HEXSZ + 1];

		git_oid_tostr(id, sizeof(id), &u[i].new_id);
		accord_buf_printf(&spec, "%s:%s", id, u[i].ref);
		args[n++] = owned[k++] = accord_buf_detach(&spec);
	}
	args[n] = NULL;
	if ((error = run_git(&status, &out, &err, store, label, args, opts)) == 0) {
		read_porcelain(u, count, out.ptr ? out.ptr : "");
		error = push_outcome(u, count, status, label, &err);
	}
	for (i = 0; i < k; i++)
		free(owned[i]);
	free(owned);
	free(args);
	accord_buf_dispose(&out);
	accord_buf_dispose(&err);
	return error;
}

int accord_transport_push(accord_store *store, const char *label, const char *remote,
			  accord_transport_update *u, size_t count,
			  const accord_transport_options *opts)
{
	accord_transport_options none = ACCORD_TRANSPORT_OPTIONS_INIT;
	size_t start = 0, end, i;
	int error = 0;

	if (!opts)
		opts = &none;
	if (opts->version != ACCORD_TRANSPORT_OPTIONS_VERSION)
		return options_version(opts->version);
	for (i = 0; i < count; i++) {
		u[i].status = ACCORD_PUSH_PENDING;
		u[i].why[0] = '\0';
	}
	/*
	 * Batches of at most PUSH_ARG_BYTES of refs on git's command line, in
	 * the caller's order (feeds before evidence): thousands of evidence
	 * refs would pass the kernel's limit on arguments (E2BIG), and then
	 * nothing, not even the feeds, would be pushed. Each batch is atomic;
	 * a failed one stops the push and leaves the rest pending.
	 */
	while (start < count && error == 0) {
		size_t bytes = 0;

		for (end = start; end < count; end++) {
			size_t one = 2 * strlen(u[end].ref) + 2 * GIT_OID_HEXSZ + 64;

			if (end > start && bytes + one > PUSH_ARG_BYTES)
				break;
			bytes += one;
		}
		error = push_batch(store, label, remote, u + start, end - start, opts);
		start = end;
	}
	return error;
}
