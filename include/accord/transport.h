#ifndef ACCORD_TRANSPORT_H
#define ACCORD_TRANSPORT_H

#include <stddef.h>

#include <git2.h>

#include "accord/store.h"

/*
 * Moving refs/accord/ between repositories with the system git (2.29 or
 * later: --no-write-fetch-head), started through accord_process_run, so
 * that every remote the user's `git fetch` reaches works the same way:
 * URL forms and relative paths, ~/.ssh/config and ssh-agent, credential
 * helpers, http.* and proxy settings, insteadOf and pushurl. git runs in
 * the ledger's repository (`git -C`), where it resolves a relative path
 * as `git fetch` there would. libgit2 is used for objects and refs only.
 */

/* What git writes to stderr (progress, the remote's messages): raw bytes from the remote. */
typedef void (*accord_transport_output_cb)(const char *remote, const char *data, size_t len,
					   void *payload);

typedef struct {
	unsigned int
		version; /* ACCORD_TRANSPORT_OPTIONS_VERSION: fields added later keep old callers working */
	char *const *env; /* the environment git runs with (NULL: this process's) */
	int interactive;  /* a person at a terminal: git shows progress and may ask for
			      credentials; otherwise it is quiet and never prompts */
	accord_transport_output_cb output; /* may be NULL; escape what it gets before showing it */
	void *payload;
} accord_transport_options;

#define ACCORD_TRANSPORT_OPTIONS_VERSION 1
#define ACCORD_TRANSPORT_OPTIONS_INIT                                 \
	{                                                             \
		ACCORD_TRANSPORT_OPTIONS_VERSION, NULL, 0, NULL, NULL \
	}

/*
 * Fetch `remote` (a remote's name or a URL git understands) into
 * `quarantine` ("refs/quarantine/NAME/"): everything under its refs/accord/ lands there and
 * nowhere else (no FETCH_HEAD, no tags, no configured refspec), after
 * the quarantine is cleared, so it mirrors the remote. `label` names the
 * remote in messages. ACCORD_ERROR with what git said.
 */
int accord_transport_fetch(accord_store *store, const char *label, const char *remote,
			   const char *quarantine, const accord_transport_options *opts);

/* How one ref of a push went. */
enum {
	ACCORD_PUSH_PENDING = 0,
	ACCORD_PUSH_OK,	      /* the remote has new_id now */
	ACCORD_PUSH_STALE,    /* the remote no longer had old_id: it moved since the fetch */
	ACCORD_PUSH_REJECTED, /* refused (a hook, a rule); `why` says so */
};

typedef struct {
	const char *ref;
	git_oid new_id;
	git_oid old_id; /* the value the remote must still have; zero: the ref must not exist */
	int status;	/* set by the push */
	char why[256];	/* git's reason when not ACCORD_PUSH_OK (remote text: escape it) */
} accord_transport_update;

/*
 * Push every update to `remote` in one atomic push, each ref only if the
 * remote still has its old_id (--force-with-lease=REF:OLD), so nothing
 * there is ever overwritten. More refs than one command line holds (about
 * 4,000) go in several atomic pushes, in the given order, stopping at the
 * first that fails. 0 when all went through; ACCORD_EMODIFIED
 * when a ref had moved (nothing of that push went through: fetch, verify and try again);
 * ACCORD_EDENIED when the remote refused (each update says why);
 * ACCORD_ERROR when git failed, with what it said.
 */
int accord_transport_push(accord_store *store, const char *label, const char *remote,
			  accord_transport_update *updates, size_t count,
			  const accord_transport_options *opts);

#endif
