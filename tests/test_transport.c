/* accord_transport: fetch into a quarantine and push by lease, with the system git and a real hub. */
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#include "accord/transport.h"

typedef struct {
	th_fixture *base;
	char hub[600];	  /* a bare repository: the shared git server */
	accord_store *hs; /* the hub, opened */
	git_oid head;	  /* alice's feed head */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	void *base = NULL;
	git_repository *hub = NULL;

	assert_non_null(f);
	th_fixture_setup(&base);
	f->base = base;
	snprintf(f->hub, sizeof(f->hub), "%s/hub.git", f->base->dir);
	assert_int_equal(git_repository_init(&hub, f->hub, 1), 0);
	git_repository_free(hub);
	assert_int_equal(accord_store_open(&f->hs, f->hub), 0);
	assert_int_equal(accord_store_ref_get(&f->head, f->base->store, f->base->feed), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	void *base = f->base;

	accord_store_free(f->hs);
	free(f);
	return th_fixture_teardown(&base);
}

/* `ref` in `store` must be `want` (NULL: missing). */
static void assert_ref(accord_store *store, const char *ref, const git_oid *want)
{
	git_oid got;
	int error = accord_store_ref_get(&got, store, ref);

	if (!want) {
		assert_int_equal(error, ACCORD_ENOTFOUND);
		return;
	}
	if (error)
		fail_msg("%s: %s", ref, accord_error_last());
	assert_true(git_oid_equal(&got, want));
}

/* Push alice's feed to the hub, as a first push (the ref must not exist there). */
static int push_feed(fixture *f, const git_oid *new_id, const git_oid *old_id,
		     accord_transport_update *u)
{
	memset(u, 0, sizeof(*u));
	u->ref = f->base->feed;
	u->new_id = *new_id;
	if (old_id)
		u->old_id = *old_id;
	return accord_transport_push(f->base->store, "hub", f->hub, u, 1, NULL);
}

/* Another entry on alice's feed: its new head. */
static void another_entry(git_oid *out, fixture *f)
{
	char id[ACCORD_ID_HEXLEN + 1];

	assert_int_equal(th_append(id, f->base->store, f->base->alice, "open", NULL,
				   "{\"title\":\"t\",\"severity\":2,\"service\":\"web\","
				   "\"started_at\":\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],"
				   "\"tickets\":[]}"),
			 0);
	assert_int_equal(accord_store_ref_get(out, f->base->store, f->base->feed), 0);
}

static void test_transport_push_by_lease(void **state)
{
	fixture *f = *state;
	accord_transport_update u;
	git_oid next;

	/* the first push: the ref must not exist there */
	if (push_feed(f, &f->head, NULL, &u) != 0)
		fail_msg("push: %s", accord_error_last());
	assert_int_equal(u.status, ACCORD_PUSH_OK);
	assert_ref(f->hs, f->base->feed, &f->head);

	/* again as a first push: it exists now, so the lease fails and nothing moves */
	another_entry(&next, f);
	accord_error_clear();
	assert_int_equal(push_feed(f, &next, NULL, &u), ACCORD_EMODIFIED);
	assert_int_equal(u.status, ACCORD_PUSH_STALE);
	assert_non_null(strstr(accord_error_last(), "hub"));
	assert_ref(f->hs, f->base->feed, &f->head);

	/* with the value the hub has: it moves */
	assert_int_equal(push_feed(f, &next, &f->head, &u), 0);
	assert_int_equal(u.status, ACCORD_PUSH_OK);
	assert_ref(f->hs, f->base->feed, &next);

	/* a stale lease (the old head) never overwrites, even going back */
	assert_int_equal(push_feed(f, &f->head, &f->head, &u), ACCORD_EMODIFIED);
	assert_ref(f->hs, f->base->feed, &next);
}

static void test_transport_push_is_atomic(void **state)
{
	fixture *f = *state;
	accord_transport_update u[2];
	git_oid next;

	assert_int_equal(push_feed(f, &f->head, NULL, &u[0]), 0);
	another_entry(&next, f);
	/* two refs, one lease stale: neither is pushed */
	memset(u, 0, sizeof(u));
	u[0].ref = "refs/accord/checkpoints/extra";
	u[0].new_id = next;
	u[1].ref = f->base->feed;
	u[1].new_id = next; /* old_id zero: "must not exist", but it does */
	assert_int_equal(accord_transport_push(f->base->store, "hub", f->hub, u, 2, NULL),
			 ACCORD_EMODIFIED);
	assert_int_equal(u[1].status, ACCORD_PUSH_STALE);
	assert_int_not_equal(u[0].status, ACCORD_PUSH_OK);
	assert_ref(f->hs, "refs/accord/checkpoints/extra", NULL);
	assert_ref(f->hs, f->base->feed, &f->head);
}

/*
 * Thousands of refs (a hub restored from a backup, every proof of a fork
 * pushed back): more than one command line holds, pushed in batches
 * (attack38 paths 02: one push of them all failed with E2BIG).
 */
static void test_transport_push_many_refs(void **state)
{
	fixture *f = *state;
	size_t n = 2500, i;
	accord_transport_update *u = calloc(n, sizeof(*u));
	char **names = calloc(n, sizeof(*names));
	char seg[201];

	assert_non_null(u);
	assert_non_null(names);
	memset(seg, 'x', sizeof(seg) - 1);
	seg[sizeof(seg) - 1] = '\0';
	for (i = 0; i < n; i++) {
		/* about 1.4 kB of arguments a ref: 3.5 MB in all, past ARG_MAX */
		names[i] = malloc(700);
		assert_non_null(names[i]);
		snprintf(names[i], 700, "refs/accord/checkpoints/%s/%s/%s/%zu", seg, seg, seg, i);
		u[i].ref = names[i];
		u[i].new_id = f->head;
	}
	if (accord_transport_push(f->base->store, "hub", f->hub, u, n, NULL) != 0)
		fail_msg("push: %s", accord_error_last());
	for (i = 0; i < n; i++)
		assert_int_equal(u[i].status, ACCORD_PUSH_OK);
	assert_ref(f->hs, names[0], &f->head);
	assert_ref(f->hs, names[n - 1], &f->head);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(u);
}

static void test_transport_push_refused_by_hook(void **state)
{
	fixture *f = *state;
	accord_transport_update u;
	char hook[700];
	FILE *fp;

	snprintf(hook, sizeof(hook), "%s/hooks/pre-receive", f->hub);
	assert_non_null(fp = fopen(hook, "w"));
	fputs("#!/bin/sh\necho 'refused by the hub: entry does not verify' >&2\nexit 1\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(hook, 0755), 0);

	accord_error_clear();
	assert_int_equal(push_feed(f, &f->head, NULL, &u), ACCORD_EDENIED);
	assert_int_equal(u.status, ACCORD_PUSH_REJECTED);
	assert_true(u.why[0] != '\0');
	/* the hub's own words reach the message */
	assert_non_null(strstr(accord_error_last(), "hub refused the push"));
	assert_non_null(strstr(accord_error_last(), "entry does not verify"));
	assert_ref(f->hs, f->base->feed, NULL);
}

static void test_transport_fetch_into_quarantine(void **state)
{
	fixture *f = *state;
	accord_transport_update u;
	accord_store *c = NULL;
	git_oid next, stale;
	FILE *fp;
	char clone[600], qref[300], fetch_head[700], lock[800];
	struct stat st;

	/* the hub holds alice's feed, a branch and a tag: only refs/accord/ travels */
	assert_int_equal(push_feed(f, &f->head, NULL, &u), 0);
	assert_int_equal(git_reference_create(NULL, accord_store_repo(f->hs), "refs/heads/main",
					      &f->head, 0, NULL),
			 0);
	assert_int_equal(git_reference_create(NULL, accord_store_repo(f->hs), "refs/tags/v1",
					      &f->head, 0, NULL),
			 0);

	snprintf(clone, sizeof(clone), "%s/copy", f->base->dir);
	assert_int_equal(accord_store_open_or_init(&c, clone), 0);
	/* a stale quarantine ref, and the lock a killed fetch left behind */
	assert_int_equal(git_blob_create_from_buffer(&stale, accord_store_repo(c), "x", 1), 0);
	assert_int_equal(git_reference_create(NULL, accord_store_repo(c),
					      "refs/quarantine/hub/feeds/gone", &stale, 0, NULL),
			 0);
	snprintf(lock, sizeof(lock), "%s/refs/quarantine/hub/feeds/%s.lock", accord_store_gitdir(c),
		 f->base->alice->pub.id);
	assert_non_null(fp = fopen(lock, "w"));
	assert_int_equal(fclose(fp), 0);
	if (accord_transport_fetch(c, "hub", f->hub, "refs/quarantine/hub/", NULL) != 0)
		fail_msg("fetch: %s", accord_error_last());
	snprintf(qref, sizeof(qref), "refs/quarantine/hub/feeds/%s", f->base->alice->pub.id);
	assert_ref(c, qref, &f->head);
	assert_ref(c, "refs/quarantine/hub/feeds/gone", NULL);
	/* nothing outside the quarantine: not the feed itself, no branch, no tag, no FETCH_HEAD */
	assert_ref(c, f->base->feed, NULL);
	assert_ref(c, "refs/quarantine/hub/heads/main", NULL);
	assert_ref(c, "refs/tags/v1", NULL);
	assert_ref(c, "refs/remotes/hub/main", NULL);
	snprintf(fetch_head, sizeof(fetch_head), "%s/FETCH_HEAD", accord_store_gitdir(c));
	assert_int_equal(stat(fetch_head, &st), -1);

	/* the hub moves on: a second fetch mirrors it */
	another_entry(&next, f);
	assert_int_equal(push_feed(f, &next, &f->head, &u), 0);
	assert_int_equal(accord_transport_fetch(c, "hub", f->hub, "refs/quarantine/hub/", NULL), 0);
	assert_ref(c, qref, &next);
	accord_store_free(c);
}

static void test_transport_remote_is_never_an_option(void **state)
{
	fixture *f = *state;
	accord_transport_update u;
	char marker[700], evil[1600];
	struct stat st;

	snprintf(marker, sizeof(marker), "%s/pwned", f->base->dir);
	snprintf(evil, sizeof(evil), "--upload-pack=touch %s;", marker);
	accord_error_clear();
	assert_int_equal(
		accord_transport_fetch(f->base->store, "evil", evil, "refs/quarantine/evil/", NULL),
		ACCORD_ERROR);
	snprintf(evil, sizeof(evil), "--receive-pack=touch %s;", marker);
	memset(&u, 0, sizeof(u));
	u.ref = f->base->feed;
	u.new_id = f->head;
	assert_int_equal(accord_transport_push(f->base->store, "evil", evil, &u, 1, NULL),
			 ACCORD_ERROR);
	assert_int_equal(stat(marker, &st), -1);
}

static void test_transport_failures_say_what_git_said(void **state)
{
	fixture *f = *state;
	accord_transport_update u;
	char missing[700];

	snprintf(missing, sizeof(missing), "%s/no-such-hub.git", f->base->dir);
	accord_error_clear();
	assert_int_equal(accord_transport_fetch(f->base->store, "nowhere", missing,
						"refs/quarantine/nowhere/", NULL),
			 ACCORD_ERROR);
	assert_non_null(strstr(accord_error_last(), "can't fetch from nowhere"));
	assert_non_null(strstr(accord_error_last(), "no-such-hub.git"));
	memset(&u, 0, sizeof(u));
	u.ref = f->base->feed;
	u.new_id = f->head;
	assert_int_equal(accord_transport_push(f->base->store, "nowhere", missing, &u, 1, NULL),
			 ACCORD_ERROR);
	assert_non_null(strstr(accord_error_last(), "can't push to nowhere"));
	{
		/* options of another version are refused before git runs, never misread */
		accord_transport_options other = ACCORD_TRANSPORT_OPTIONS_INIT;

		other.version = ACCORD_TRANSPORT_OPTIONS_VERSION + 1;
		assert_int_equal(accord_transport_fetch(f->base->store, "nowhere", missing,
							"refs/quarantine/nowhere/", &other),
				 ACCORD_EINVALID);
		assert_non_null(strstr(accord_error_last(), "accord_transport_options version"));
		assert_int_equal(
			accord_transport_push(f->base->store, "nowhere", missing, &u, 1, &other),
			ACCORD_EINVALID);
	}
	assert_int_not_equal(u.status, ACCORD_PUSH_OK);
}

static void collect(const char *remote, const char *data, size_t len, void *payload)
{
	accord_buf *b = payload;

	assert_string_equal(remote, "hub");
	accord_buf_put(b, data, len);
}

static void test_transport_interactive_relays_git_output(void **state)
{
	fixture *f = *state;
	accord_transport_options o = ACCORD_TRANSPORT_OPTIONS_INIT;
	accord_transport_update u;
	accord_buf said = ACCORD_BUF_INIT;
	char hook[700];
	FILE *fp;

	/* a message from the hub, shown to the person at the terminal */
	snprintf(hook, sizeof(hook), "%s/hooks/post-receive", f->hub);
	assert_non_null(fp = fopen(hook, "w"));
	fputs("#!/bin/sh\necho 'hello from the hub' >&2\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(hook, 0755), 0);
	o.interactive = 1;
	o.output = collect;
	o.payload = &said;
	memset(&u, 0, sizeof(u));
	u.ref = f->base->feed;
	u.new_id = f->head;
	assert_int_equal(accord_transport_push(f->base->store, "hub", f->hub, &u, 1, &o), 0);
	assert_non_null(said.ptr);
	assert_non_null(strstr(said.ptr, "hello from the hub"));

	/* not interactive: the hub speaks again, and nothing is relayed */
	accord_buf_clear(&said);
	o.interactive = 0;
	u.old_id = f->head;
	another_entry(&u.new_id, f);
	assert_int_equal(accord_transport_push(f->base->store, "hub", f->hub, &u, 1, &o), 0);
	assert_int_equal(said.size, 0);
	accord_buf_dispose(&said);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_transport_push_by_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transport_push_is_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transport_push_many_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transport_push_refused_by_hook, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transport_fetch_into_quarantine, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transport_remote_is_never_an_option, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transport_failures_say_what_git_said, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transport_interactive_relays_git_output, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
