#ifndef ACCORD_TEST_HELPERS_H
#define ACCORD_TEST_HELPERS_H

/* Shared set-up for the cmocka tests: temporary folders, keys and ledgers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <accord.h>

/* Unit tests see the library's private headers too (never installed). */
#include "batch.h"
#include "causal.h"
#include "chain.h"
#include "encode.h"
#include "escape.h"
#include "file.h"
#include "json.h"
#include "process.h"
#include "schema.h"
#include "sigcache.h"
#include "sshsig.h"

/* white-box: the unit tests look inside the ledger and its cache */
#include "index.h"

/* A fresh folder under /tmp; removed by th_rmdir(). */
static inline char *th_tmpdir(void)
{
	char *p = strdup("/tmp/accord-test.XXXXXX");

	assert_non_null(p);
	assert_non_null(mkdtemp(p));
	return p;
}

static inline void th_rmdir(char *p)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);
	assert_int_equal(system(cmd), 0);
	free(p);
}

/* Fix "now" at the RFC 3339 time `s` for what follows, as the CLI does for $ACCORD_NOW; NULL: the clock again. */
static inline void th_set_now(const char *s)
{
	int64_t t;

	if (!s) {
		accord_time_set_now(NULL);
		return;
	}
	assert_int_equal(accord_time_parse(&t, s), 0);
	accord_time_set_now(&t);
}

/* A key named `name` in `dir`/<name>. */
static inline accord_key *th_key(const char *dir, const char *name)
{
	char home[512];
	accord_key *key = NULL;

	snprintf(home, sizeof(home), "%s/%s", dir, name);
	assert_int_equal(accord_key_generate(&key, home, name, NULL, 0), 0);
	return key;
}

/* A new repository at `dir`/repo with a ledger founded by `key` for `party`. */
static inline accord_store *th_ledger(const char *dir, const accord_key *key, const char *party)
{
	char path[512], id[ACCORD_ID_HEXLEN + 1];
	accord_store *store = NULL;

	snprintf(path, sizeof(path), "%s/repo", dir);
	assert_int_equal(accord_store_open_or_init(&store, path), 0);
	assert_int_equal(accord_ledger_create(id, store, key, party, "test", NULL), 0);
	return store;
}

/* Append under the lock. Returns the error code; *id gets the entry id. */
static inline int th_append(char *id, accord_store *store, const accord_key *key, const char *type,
			    const char *incident, const char *body_json)
{
	accord_ledger *l = NULL;
	cJSON *body = cJSON_Parse(body_json);
	int error;

	assert_non_null(body);
	assert_int_equal(accord_store_lock(store), 0);
	error = accord_ledger_open(&l, store, NULL);
	if (error == 0)
		error = accord_ledger_append(id, l, key, type, incident, body);
	accord_ledger_free(l);
	accord_store_unlock(store);
	cJSON_Delete(body);
	return error;
}

/* th_append that must succeed: the test fails naming the entry type and why. */
static inline void th_append_ok(char *id, accord_store *store, const accord_key *key,
				const char *type, const char *incident, const char *body_json)
{
	char scratch[ACCORD_ID_HEXLEN + 1];

	if (th_append(id ? id : scratch, store, key, type, incident, body_json) != 0)
		fail_msg("%s: %s", type, accord_error_last());
}

/*
 * A run of appends: the lock taken and the ledger verified once, each
 * entry joining the open ledger as it is written, as accord_ledger_append
 * does. th_append verifies the whole ledger again for every entry, so n
 * entries in a row cost n²/2 signature checks: 422,400 in test_index,
 * eleven minutes under valgrind.
 */
typedef struct {
	accord_store *store;
	accord_ledger *ledger;
} th_writer;

static inline void th_writer_start(th_writer *w, accord_store *store)
{
	w->store = store;
	w->ledger = NULL;
	assert_int_equal(accord_store_lock(store), 0);
	assert_int_equal(accord_ledger_open(&w->ledger, store, NULL), 0);
}

/* Append through w, or fail the test naming the entry type and why. */
static inline void th_write_ok(th_writer *w, char *id, const accord_key *key, const char *type,
			       const char *incident, const char *body_json)
{
	char scratch[ACCORD_ID_HEXLEN + 1];
	cJSON *body = cJSON_Parse(body_json);
	int error;

	assert_non_null(body);
	error = accord_ledger_append(id ? id : scratch, w->ledger, key, type, incident, body);
	cJSON_Delete(body);
	if (error != 0)
		fail_msg("%s: %s", type, accord_error_last());
}

static inline void th_writer_end(th_writer *w)
{
	accord_ledger_free(w->ledger);
	w->ledger = NULL;
	accord_store_unlock(w->store);
}

/* `admin` invites `party` with `member`'s key as its root, and `member` accepts. */
static inline void th_invite(accord_store *store, const accord_key *admin, const accord_key *member,
			     const char *party)
{
	char id[ACCORD_ID_HEXLEN + 1], body[512], hex[65];

	accord_hex_encode(hex, member->pub.pk, 32);
	snprintf(body, sizeof(body), "{\"party\":\"%s\",\"key\":\"%s\",\"member\":\"%s\"}", party,
		 hex, member->pub.name);
	th_append_ok(id, store, admin, "party-invite", NULL, body);
	snprintf(body, sizeof(body), "{\"party\":\"%s\",\"invite\":\"%s\"}", party, id);
	th_append_ok(NULL, store, member, "party-accept", NULL, body);
}

/* The usual fixture: a temporary folder, alice's key, a ledger founded by her for acme. */
typedef struct {
	char *dir;
	accord_key *alice;
	accord_store *store;
	char feed[128]; /* alice's feed ref */
} th_fixture;

static inline int th_fixture_setup(void **state)
{
	th_fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = th_tmpdir();
	f->alice = th_key(f->dir, "alice");
	f->store = th_ledger(f->dir, f->alice, "acme");
	snprintf(f->feed, sizeof(f->feed), "%s%s", ACCORD_FEED_PREFIX, f->alice->pub.id);
	*state = f;
	return 0;
}

static inline int th_fixture_teardown(void **state)
{
	th_fixture *f = *state;

	accord_store_free(f->store);
	accord_key_free(f->alice);
	th_rmdir(f->dir);
	free(f);
	return 0;
}

static inline int th_setup(void **state)
{
	(void)state;
	return accord_init();
}

static inline int th_teardown(void **state)
{
	(void)state;
	accord_shutdown();
	return 0;
}

#endif
