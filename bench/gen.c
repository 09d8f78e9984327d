/*
 * bench/gen: write a realistic accord ledger fast, for the benchmarks of
 * issue 7. Everything goes through the library: entries encoded by
 * accord_entry_encode (the encoder under accord_entry_build), commits
 * signed and laid out by accord_commit_signed (what accord_store_append
 * writes), written in bulk as packfiles by accord_batch (lib/store/batch.c).
 *
 * The ledger is a pure function of --entries and --seed: parties and
 * members, keys (derived from the seed), times, incidents and every word
 * in them. Two runs with the same arguments write the same commits.
 *
 * Work is split in two: this thread invents and serializes entries (the
 * content, the hash chains, the authorization model); worker threads
 * sign them and write the packs, each owning the feeds of some members,
 * because a commit names its parent's id and so a feed is written in
 * order by one thread.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "batch.h"
#include "accord/buf.h"
#include "encode.h"
#include "accord/entry.h"
#include "accord/error.h"
#include "accord/global.h"
#include "accord/key.h"
#include "accord/party.h"
#include "accord/store.h"
#include "accord/timefmt.h"

#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

static const char usage[] =
	"usage: bench/gen --entries N [--seed S] --homes DIR [--threads T]\n"
	"                 [--compression L] [--check] [--note-bytes B] [--note-share P]\n"
	"                 LEDGER\n"
	"\n"
	"Write a ledger of exactly N entries into LEDGER (a new path or an empty\n"
	"git repository) and the members' key homes into DIR/<party>-<member>/\n"
	"(DIR must be empty or new, and outside LEDGER).\n"
	"\n"
	"Three parties (acme and two partners) with two to four members each, and\n"
	"incidents involving one to three of them: notes, status changes, impact\n"
	"windows, SLA measurements, feedback, resolutions (some revised) cosigned\n"
	"by every party involved, action items, closes; some incidents stay open,\n"
	"and now and then a member is revoked and replaced.\n"
	"\n"
	"The output is a pure function of N and S (default 1): keys are derived\n"
	"from the seed, times start at 2025-01-01 and advance about 95 s an entry.\n"
	"The keys are not secret: they are for benchmarks only.\n"
	"\n"
	"  --entries N   number of entries, 1 to 100000000\n"
	"  --seed S      any unsigned 64-bit number (default 1)\n"
	"  --homes DIR   where the members' key homes go\n"
	"  --threads T   signing threads, 1 to 64 (default: the number of CPUs)\n"
	"  --compression L\n"
	"                zlib level of the pack objects, 0 (stored) to 9 (default 1,\n"
	"                about a third of the CPU time; 0 makes packs ~45%% larger)\n"
	"  --check       also parse every entry against the schemas and replay\n"
	"                authorization (accord_parties_apply) as it is written;\n"
	"                slow, for testing the generator. Without it every 97th\n"
	"                entry and the first of each type are parsed.\n"
	"  --note-bytes B\n"
	"                pad every note's text to B bytes, 1 to 8192 (the schema's\n"
	"                limit): ledgers whose entries are large, for memory tests\n"
	"  --note-share P\n"
	"                before each step of an incident, write a note instead with\n"
	"                probability P%%, 0 to 95 (default 0: the usual mix, about\n"
	"                a quarter notes)\n"
	"\n"
	"Exit status: 0 written, 1 failure (LEDGER already holds a ledger, I/O),\n"
	"2 usage error.\n";

static void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* ---- deterministic randomness: splitmix64 ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int64_t between(int64_t lo, int64_t hi)
{
	return lo + (int64_t)below((uint64_t)(hi - lo + 1));
}

static int chance(unsigned pct)
{
	return below(100) < pct;
}

#define PICK(arr) ((arr)[below(sizeof(arr) / sizeof(*(arr)))])

/* ---- vocabulary ---- */

static const char *const party_names[3] = { "acme", "nimbus", "payflow" };
static const char *const ticket_prefix[3] = { "ACME", "NIM", "PF" };
static const char *const services[3][5] = {
	{ "checkout-api", "storefront", "search", "accounts", "mobile-api" },
	{ "compute-eu-west", "object-storage", "managed-postgres", "load-balancer", "dns" },
	{ "card-authorization", "payouts", "fraud-scoring", "3ds-gateway", "webhooks" },
};
static const char *const first_names[] = {
	"alice", "bob",	 "carol", "dave",   "erin",  "frank",  "grace", "heidi", "ivan",
	"judy",	 "ken",	 "laura", "mike",   "nina",  "oscar",  "peggy", "quinn", "rita",
	"sam",	 "tina", "uma",	  "victor", "wendy", "xavier", "yara",	"zoe",
};
static const char *const symptoms[] = {
	"Elevated 5xx responses from %s",
	"%s latency above SLO",
	"Timeouts calling %s",
	"Partial outage of %s in eu-west-1",
	"Degraded throughput on %s",
	"Intermittent authentication failures on %s",
	"Stale data served by %s",
	"Expired certificate broke %s",
	"%s queue backlog growing",
	"Packet loss between %s and its upstream",
	"%s rejecting valid requests",
	"Memory pressure restarting %s pods",
};
/* {s} is the service, {n} a number */
static const char *const note_texts[] = {
	"Investigating reports of failures; on-call engaged.",
	"Error rate on {s} is at {n}% and rising; paging the service owner.",
	"Rolled back the last deploy of {s}; watching the error rate.",
	"Upstream confirms the issue on their side and is working on a fix.",
	"Customer support reports {n} tickets mentioning the problem.",
	"Failover to the secondary region started for {s}.",
	"Traffic shifted away from the affected zone; latency improving.",
	"Connection pool on {s} exhausted; raised the limit to {n}0.",
	"Status page updated; next update in 30 minutes.",
	"Dashboards show recovery, but {n}% of requests still retry.",
	"Spike traced to a config change on {s}; reverting.",
	"Joined the partner bridge call; sharing traces for {s}.",
};
static const char *const status_notes[] = {
	"Cause understood, fix in progress.",
	"Mitigation in place; monitoring.",
	"Service restored for all customers.",
	"Confirmed stable for an hour.",
};
static const char *const impact_texts[] = {
	"Checkout failing for a share of customers.",
	"Slow page loads across the storefront.",
	"Card payments declined with a generic error.",
	"API clients seeing timeouts.",
	"Logins failing on mobile.",
	"Delayed payouts to merchants.",
};
static const char *const feedback_texts[] = {
	"Could not pay for two hours, very frustrating.",
	"Status page kept us informed, thanks.",
	"Lost a morning of sales.",
	"Barely noticed.",
	"Support had no answers for us.",
	"Quick fix, appreciated the updates.",
	"Third time this month.",
};
static const char *const factors[] = {
	"%s: a configuration change was rolled out to all regions at once.",
	"%s: alerting fired only after the error budget was half spent.",
	"%s: retries from clients amplified the load during recovery.",
	"%s: the runbook for this failover was out of date.",
	"%s: a capacity limit had not been raised after the last migration.",
	"%s: the dependency's health check stayed green while requests failed.",
	"%s: a certificate renewal job had failed silently for weeks.",
	"%s: the change was not announced to the partner in advance.",
};
static const char *const went_well[] = {
	"The partner bridge call was up within minutes.",
	"Rollback was fast and safe.",
	"Customer communication went out early.",
	"Traces made the cause easy to find.",
};
static const char *const went_wrong[] = {
	"Detection depended on customer reports.",
	"Two teams worked the same lead for an hour.",
	"The status page lagged behind reality.",
	"Escalation to the partner took too long.",
};
static const char *const lucky[] = {
	"It happened outside the sales peak.",
	"An engineer who knew the system was online.",
};
static const char *const actions[] = {
	"Stage configuration changes region by region",
	"Alert on error rate, not only on health checks",
	"Add client-side backoff with jitter",
	"Update and rehearse the failover runbook",
	"Monitor certificate expiry and renewal jobs",
	"Announce risky changes to partners a day ahead",
	"Raise capacity limits with the migration checklist",
	"Add synthetic checks for the payment path",
};
static const char *const summaries[] = {
	"A change on %s degraded service for customers until it was rolled back.",
	"%s lost capacity when a dependency failed; traffic was moved and service recovered.",
	"Requests to %s failed intermittently; several small factors combined.",
};
static const char *const revoke_reasons[] = {
	"Left the company.",
	"Laptop lost; key rotated.",
	"Moved to another team.",
};

/* ---- a small JSON writer (entries are ASCII here; strings escaped as accord does) ---- */

typedef struct {
	accord_buf *b;
	int first[8];
	int depth;
} jw;

static void jw_sep(jw *w)
{
	if (!w->first[w->depth])
		accord_buf_putc(w->b, ',');
	w->first[w->depth] = 0;
}

static void jw_open(jw *w, char c)
{
	accord_buf_putc(w->b, c);
	w->first[++w->depth] = 1;
}

static void jw_close(jw *w, char c)
{
	accord_buf_putc(w->b, c);
	w->depth--;
}

static void jw_key(jw *w, const char *k)
{
	jw_sep(w);
	accord_buf_put_json_str(w->b, k);
	accord_buf_putc(w->b, ':');
}

static void jw_str(jw *w, const char *k, const char *v)
{
	if (k)
		jw_key(w, k);
	else
		jw_sep(w);
	accord_buf_put_json_str(w->b, v);
}

static void jw_int(jw *w, const char *k, int64_t v)
{
	jw_key(w, k);
	accord_buf_printf(w->b, "%lld", (long long)v);
}

static void jw_time(jw *w, const char *k, int64_t t)
{
	char s[ACCORD_TIME_LEN];

	accord_time_format(s, t);
	jw_str(w, k, s);
}

static void jw_obj(jw *w, const char *k)
{
	if (k)
		jw_key(w, k);
	else
		jw_sep(w);
	jw_open(w, '{');
}

static void jw_arr(jw *w, const char *k)
{
	jw_key(w, k);
	jw_open(w, '[');
}

/* printf into a small static buffer, for template texts */
static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
	static char s[512];
	va_list ap;

	va_start(ap, f);
	vsnprintf(s, sizeof(s), f, ap);
	va_end(ap);
	return s;
}

static accord_buf fill_buf;

/* A template with {s} and {n} filled in, valid until the next call. */
static const char *fill(const char *t, const char *service, int n)
{
	accord_buf *out = &fill_buf;

	accord_buf_clear(out);
	for (; *t; t++) {
		if (!strncmp(t, "{s}", 3))
			accord_buf_puts(out, service), t += 2;
		else if (!strncmp(t, "{n}", 3))
			accord_buf_printf(out, "%d", n), t += 2;
		else
			accord_buf_putc(out, *t);
	}
	return out->ptr;
}

/* ---- the model: parties, members, incidents ---- */

#define MAX_MEMBERS 4096
#define MAX_ACTIVE 12

typedef struct {
	accord_key *key;
	int party;
	int root, admin, revoked;
	int64_t seq;
	char last_id[ACCORD_ID_HEXLEN + 1];
	char pkhex[65];
	int worker;
	char admission[ACCORD_ID_HEXLEN + 1]; /* the offer its first entry accepts */
} member;

typedef struct {
	int joined;
	int nticket;
} party_info;

enum step {
	ST_NOTE,
	ST_INVOLVE,
	ST_IMPACT_START,
	ST_IDENTIFIED,
	ST_MITIGATED,
	ST_IMPACT_END,
	ST_SLA_ACK,
	ST_SLA_MITIGATE,
	ST_SLA_RESOLVE,
	ST_RESOLVED,
	ST_FEEDBACK,
	ST_RESOLUTION,
	ST_REVISION,
	ST_COSIGN,
	ST_ACTION,
	ST_CLOSED,
};

typedef struct {
	char id[ACCORD_ID_HEXLEN + 1];
	int sev;
	const char *service;
	int parties[3], nparties;
	int late_party; /* involved later with "involve", or -1 */
	int64_t started_at, identified_at, mitigated_at, resolved_at, customers;
	char res_id[ACCORD_ID_HEXLEN + 1];
	int res_party, signed_mask, nactions, next_action;
	int action_owners[3][2], action_nowners[3];
	unsigned char steps[48];
	int nsteps, next;
} incident_t;

typedef struct worker worker;

typedef struct {
	const char *homes;
	accord_store *store;
	char ledger[ACCORD_ID_HEXLEN + 1];
	uint64_t seed;
	int64_t target, written, lamport, now;
	char last_id[ACCORD_ID_HEXLEN + 1]; /* the ledger's last entry, whoever wrote it */
	const member *last_by;
	member *members[MAX_MEMBERS];
	int nmembers;
	party_info parties[3];
	int nparties;
	incident_t *active[MAX_ACTIVE];
	int nactive, incidents;
	int used_names;
	accord_buf raw;
	worker *workers;
	int nworkers;
	int check;
	int compression;
	int note_bytes;	     /* --note-bytes: pad notes' text to this size (0: no padding) */
	int note_share;	     /* --note-share: percent of steps that become an extra note */
	accord_parties auth; /* --check: the authorization replay */
	accord_entry **kept;
	size_t nkept;
	int seen_type[32];
} gen;

/* ---- workers: sign and pack ---- */

#define CHUNK_JOBS 512
#define MAX_QUEUED 8

typedef struct {
	const accord_key *key;
	int64_t time;
	size_t off, len;
} job;

typedef struct chunk {
	struct chunk *next;
	size_t n;
	job jobs[CHUNK_JOBS];
	accord_buf data;
} chunk;

struct worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_space;
	chunk *head, *tail, *spare;
	size_t queued;
	int done;
	chunk *filling; /* owned by the generating thread */
	accord_batch *batch;
	int failed; /* set under mu */
	char error[512];
	int64_t entries; /* handed to it, counted by the generating thread */
};

static chunk *chunk_new(void)
{
	chunk *c = calloc(1, sizeof(*c));

	if (!c)
		die(EXIT_RUNTIME, "out of memory");
	return c;
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	int failed = 0;

	for (;;) {
		chunk *c;
		size_t i;

		pthread_mutex_lock(&w->mu);
		while (!w->head && !w->done)
			pthread_cond_wait(&w->cv_work, &w->mu);
		if (!w->head) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		c = w->head;
		w->head = c->next;
		if (!w->head)
			w->tail = NULL;
		pthread_mutex_unlock(&w->mu);

		for (i = 0; i < c->n && !failed; i++) {
			const job *j = &c->jobs[i];

			if (accord_batch_write(NULL, w->batch, j->key, c->data.ptr + j->off, j->len,
					       j->time) < 0)
				failed = 1;
		}

		pthread_mutex_lock(&w->mu);
		if (failed && !w->failed) {
			snprintf(w->error, sizeof(w->error), "%s", accord_error_last());
			w->failed = 1;
		}
		c->n = 0;
		accord_buf_clear(&c->data);
		c->next = w->spare;
		w->spare = c;
		w->queued--;
		pthread_cond_signal(&w->cv_space);
		pthread_mutex_unlock(&w->mu);
	}
	if (!failed && accord_batch_flush(w->batch) < 0) {
		pthread_mutex_lock(&w->mu);
		snprintf(w->error, sizeof(w->error), "%s", accord_error_last());
		w->failed = 1;
		pthread_mutex_unlock(&w->mu);
	}
	return NULL;
}

static void worker_push(worker *w)
{
	chunk *c = w->filling;

	pthread_mutex_lock(&w->mu);
	while (w->queued >= MAX_QUEUED)
		pthread_cond_wait(&w->cv_space, &w->mu);
	if (w->failed) {
		pthread_mutex_unlock(&w->mu);
		die(EXIT_RUNTIME, "writing the ledger: %s", w->error);
	}
	c->next = NULL;
	if (w->tail)
		w->tail->next = c;
	else
		w->head = c;
	w->tail = c;
	w->queued++;
	pthread_cond_signal(&w->cv_work);
	if (w->spare) {
		w->filling = w->spare;
		w->spare = w->spare->next;
	} else {
		w->filling = NULL;
	}
	pthread_mutex_unlock(&w->mu);
	if (!w->filling)
		w->filling = chunk_new();
}

static void workers_start(gen *g)
{
	int i;

	if (!(g->workers = calloc((size_t)g->nworkers, sizeof(*g->workers))))
		die(EXIT_RUNTIME, "out of memory");
	for (i = 0; i < g->nworkers; i++) {
		worker *w = &g->workers[i];

		pthread_mutex_init(&w->mu, NULL);
		pthread_cond_init(&w->cv_work, NULL);
		pthread_cond_init(&w->cv_space, NULL);
		w->filling = chunk_new();
		if (accord_batch_new(&w->batch, g->store) < 0)
			die(EXIT_RUNTIME, "%s", accord_error_last());
		/* fewer, larger packs: the benchmarks read them back */
		accord_batch_set_flush(w->batch, 250000, 256u << 20);
		if (accord_batch_set_compression(w->batch, g->compression) < 0)
			die(EXIT_RUNTIME, "%s", accord_error_last());
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
			die(EXIT_RUNTIME, "can't start a thread");
	}
}

/* Drain the queues, then move the refs (from this thread: it owns the store). */
static void workers_finish(gen *g)
{
	int i;

	for (i = 0; i < g->nworkers; i++) {
		worker *w = &g->workers[i];

		if (w->filling->n)
			worker_push(w);
		pthread_mutex_lock(&w->mu);
		w->done = 1;
		pthread_cond_signal(&w->cv_work);
		pthread_mutex_unlock(&w->mu);
	}
	for (i = 0; i < g->nworkers; i++)
		pthread_join(g->workers[i].thread, NULL);
	for (i = 0; i < g->nworkers; i++)
		if (g->workers[i].failed)
			die(EXIT_RUNTIME, "writing the ledger: %s", g->workers[i].error);
	for (i = 0; i < g->nworkers; i++)
		if (accord_batch_commit(g->workers[i].batch) < 0)
			die(EXIT_RUNTIME, "updating the feeds: %s", accord_error_last());
}

static void workers_free(gen *g)
{
	int i;

	for (i = 0; i < g->nworkers; i++) {
		worker *w = &g->workers[i];
		chunk *c, *next;

		accord_batch_free(w->batch);
		for (c = w->spare; c; c = next) {
			next = c->next;
			accord_buf_dispose(&c->data);
			free(c);
		}
		if (w->filling) {
			accord_buf_dispose(&w->filling->data);
			free(w->filling);
		}
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv_work);
		pthread_cond_destroy(&w->cv_space);
	}
	free(g->workers);
}

/* ---- entries ---- */

static const char *const type_names[] = {
	"genesis",    "open",	      "note",	      "status",	    "impact",	     "sla",
	"feedback",   "party-invite", "party-accept", "member-add", "member-revoke", "involve",
	"resolution", "cosign",	      "action",	      "checkpoint",
};

static int type_index(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(*type_names); i++)
		if (strcmp(type, type_names[i]) == 0)
			return (int)i;
	return 31;
}

/*
 * Wrap `body` (a JSON object, as cJSON_PrintUnformatted prints it) in the
 * envelope with the library's encoder (accord_entry_encode, under
 * accord_entry_build), hand it to the author's worker and advance the clocks.
 * Every writer has seen the ledger's last entry (one history, as if each
 * synced before writing): it is the one dep when another key wrote it, so
 * the derived clock, 1 + the highest of prev and deps, is the global count.
 * `id` (65 bytes, may be NULL) gets the entry id.
 */
static void emit(gen *g, member *m, const char *type, const char *incident, const accord_buf *body,
		 char *id)
{
	accord_entry_fields fields = { 0 };
	unsigned char hash[32];
	accord_buf *raw = &g->raw;
	int ti = type_index(type);
	worker *w;
	job *j;

	if (g->written >= g->target)
		return;
	g->lamport++;
	g->now += between(1, 189); /* about 95 s an entry: a million entries span three years */
	fields.ledger = g->ledger[0] ? g->ledger : NULL;
	fields.author = &m->key->pub;
	fields.seq = m->seq + 1;
	fields.prev = m->seq ? m->last_id : NULL;
	fields.lamport = g->lamport;
	fields.time = g->now;
	fields.type = type;
	fields.incident = incident;
	if (g->last_by && g->last_by != m) {
		fields.deps = (const char(*)[ACCORD_ID_HEXLEN + 1]) & g->last_id;
		fields.dep_count = 1;
	}
	fields.admission = !m->seq && m->admission[0] ? m->admission : NULL;
	accord_entry_encode(raw, &fields, body->ptr, body->size);

	accord_sha256(hash, raw->ptr, raw->size);
	m->seq++;
	accord_hex_encode(m->last_id, hash, sizeof(hash));
	memcpy(g->last_id, m->last_id, sizeof(g->last_id));
	g->last_by = m;
	if (id)
		memcpy(id, m->last_id, sizeof(m->last_id));

	/* What the ledger will check on read, checked now: all of it, or a sample. */
	if (g->check || !g->seen_type[ti] || g->written % 97 == 0) {
		accord_entry *e = NULL;

		if (accord_entry_parse(&e, raw->ptr, raw->size) < 0)
			die(EXIT_RUNTIME, "internal error: entry %lld (%s) is invalid: %s\n%s",
			    (long long)g->written + 1, type, accord_error_last(), raw->ptr);
		if (g->check) {
			accord_entry **nk;

			if (accord_parties_apply(&g->auth, e) < 0)
				die(EXIT_RUNTIME,
				    "internal error: entry %lld (%s) is not authorized: %s",
				    (long long)g->written + 1, type, accord_error_last());
			/* the authorization state points into entries: keep them */
			if (!(nk = realloc(g->kept, (g->nkept + 1) * sizeof(*nk))))
				die(EXIT_RUNTIME, "out of memory");
			g->kept = nk;
			nk[g->nkept++] = e;
		} else {
			accord_entry_free(e);
		}
		g->seen_type[ti] = 1;
	}

	w = &g->workers[m->worker];
	w->entries++;
	j = &w->filling->jobs[w->filling->n++];
	j->key = m->key;
	j->time = g->now;
	j->off = w->filling->data.size;
	j->len = raw->size;
	accord_buf_put(&w->filling->data, raw->ptr, raw->size);
	if (w->filling->n == CHUNK_JOBS)
		worker_push(w);
	g->written++;
}

/* ---- members ---- */

/* A key derived from the seed: SHA-256("accord bench gen" | seed | index) is the Ed25519 seed. */
static accord_key *derive_key(uint64_t seed, int index, const char *name)
{
	unsigned char in[32], kseed[32];
	accord_key *k = calloc(1, sizeof(*k));
	int i;

	if (!k || !(k->sk = sodium_malloc(crypto_sign_SECRETKEYBYTES)))
		die(EXIT_RUNTIME, "out of memory");
	memset(in, 0, sizeof(in));
	memcpy(in, "accord bench gen", 16);
	for (i = 0; i < 8; i++)
		in[16 + i] = (unsigned char)(seed >> (56 - 8 * i));
	for (i = 0; i < 4; i++)
		in[24 + i] = (unsigned char)((unsigned)index >> (24 - 8 * i));
	accord_sha256(kseed, in, sizeof(in));
	crypto_sign_seed_keypair(k->pub.pk, k->sk, kseed);
	sodium_memzero(kseed, sizeof(kseed));
	accord_pubkey_set_id(&k->pub);
	snprintf(k->pub.name, sizeof(k->pub.name), "%s", name);
	return k;
}

/*
 * The worker that will sign a new member's feed. A feed is a chain (each
 * commit names its parent's id, which depends on the parent's signature),
 * so one thread signs it all, and the threads are only as busy as their
 * feeds. Members of one party write about equally often (someone() picks
 * uniformly) but parties do not (acme is in most incidents): spread each
 * party's active members over the workers, then even out the totals.
 * Round robin over all members left one of two workers with twice the
 * other's entries, and the generator used about 1.2 of 2 cores.
 */
static int pick_worker(const gen *g, int party)
{
	int same[64] = { 0 }, all[64] = { 0 };
	int i, best = 0;

	for (i = 0; i < g->nmembers; i++) {
		const member *m = g->members[i];

		if (m->revoked)
			continue;
		all[m->worker]++;
		if (m->party == party)
			same[m->worker]++;
	}
	for (i = 1; i < g->nworkers; i++)
		if (same[i] < same[best] || (same[i] == same[best] && all[i] < all[best]))
			best = i;
	return best;
}

/* A new member of `party` (not yet in the ledger): key derived, home written. */
static member *new_member(gen *g, int party)
{
	char name[64], home[PATH_MAX];
	member *m;
	size_t nn = sizeof(first_names) / sizeof(*first_names);
	int n = g->used_names++;

	if (g->nmembers == MAX_MEMBERS)
		die(EXIT_RUNTIME, "more than %d members", MAX_MEMBERS);
	/* names in a seed-shuffled order, then numbered */
	if ((size_t)n < nn)
		snprintf(name, sizeof(name), "%s", first_names[(size_t)n]);
	else
		snprintf(name, sizeof(name), "%s%zu", first_names[(size_t)n % nn],
			 (size_t)n / nn + 1);
	if (!(m = calloc(1, sizeof(*m))))
		die(EXIT_RUNTIME, "out of memory");
	m->key = derive_key(g->seed, g->nmembers, name);
	m->party = party;
	m->worker = pick_worker(g, party);
	accord_hex_encode(m->pkhex, m->key->pub.pk, sizeof(m->key->pub.pk));
	snprintf(home, sizeof(home), "%s/%s-%s", g->homes, party_names[party], name);
	if (accord_key_save(m->key, home, NULL, 0) < 0)
		die(EXIT_RUNTIME, "writing the key home %s: %s", home, accord_error_last());
	g->members[g->nmembers++] = m;
	return m;
}

/* An active member of `party`, chosen at random; NULL if there is none. */
static member *someone(gen *g, int party)
{
	member *pool[MAX_MEMBERS];
	int i, n = 0;

	for (i = 0; i < g->nmembers; i++)
		if (g->members[i]->party == party && !g->members[i]->revoked &&
		    g->parties[party].joined)
			pool[n++] = g->members[i];
	return n ? pool[below((uint64_t)n)] : NULL;
}

static member *admin_of(gen *g, int party)
{
	member *pool[MAX_MEMBERS];
	int i, n = 0;

	for (i = 0; i < g->nmembers; i++)
		if (g->members[i]->party == party && !g->members[i]->revoked &&
		    g->members[i]->admin)
			pool[n++] = g->members[i];
	return n ? pool[below((uint64_t)n)] : NULL;
}

static void add_member(gen *g, member *by, int admin)
{
	accord_buf body = ACCORD_BUF_INIT;
	member *m;
	jw w = { &body, { 1 }, 0 };

	if (g->written >= g->target)
		return; /* no key home for a member who never joins */
	m = new_member(g, by->party);
	m->admin = admin;
	jw_open(&w, '{');
	jw_str(&w, "key", m->pkhex);
	jw_str(&w, "member", m->key->pub.name);
	jw_key(&w, "admin");
	accord_buf_puts(&body, admin ? "true" : "false");
	jw_close(&w, '}');
	emit(g, by, "member-add", NULL, &body, m->admission);
	accord_buf_dispose(&body);
}

/* Genesis by acme's root, then each partner invited, accepted and staffed: 2 to 4 members a party. */
static void found(gen *g)
{
	accord_buf body = ACCORD_BUF_INIT;
	member *root = new_member(g, 0), *by;
	char invite[ACCORD_ID_HEXLEN + 1];
	int p, i, extra;

	root->root = root->admin = 1;
	g->parties[0].joined = 1;
	g->nparties = 1;
	{
		jw w = { &body, { 1 }, 0 };

		jw_open(&w, '{');
		jw_str(&w, "title", "acme and partners: shared incident ledger");
		jw_str(&w, "party", party_names[0]);
		jw_str(&w, "member", root->key->pub.name);
		jw_close(&w, '}');
	}
	emit(g, root, "genesis", NULL, &body, g->ledger);
	if (accord_store_config_set(g->store, "accord.ledger", g->ledger) < 0)
		die(EXIT_RUNTIME, "%s", accord_error_last());
	for (p = 0; p < 3 && g->written < g->target; p++) {
		if (p > 0) {
			member *proot = new_member(g, p);
			jw w = { &body, { 1 }, 0 };

			by = admin_of(g, 0);
			accord_buf_clear(&body);
			jw_open(&w, '{');
			jw_str(&w, "party", party_names[p]);
			jw_str(&w, "key", proot->pkhex);
			jw_str(&w, "member", proot->key->pub.name);
			jw_close(&w, '}');
			emit(g, by, "party-invite", NULL, &body, invite);
			memcpy(proot->admission, invite, sizeof(proot->admission));

			accord_buf_clear(&body);
			w.depth = 0;
			w.first[0] = 1;
			jw_open(&w, '{');
			jw_str(&w, "party", party_names[p]);
			jw_str(&w, "invite", invite);
			jw_close(&w, '}');
			emit(g, proot, "party-accept", NULL, &body, NULL);
			proot->root = proot->admin = 1;
			g->parties[p].joined = 1;
			g->nparties++;
		}
		extra = (int)between(1, 3);
		by = admin_of(g, p);
		for (i = 0; i < extra; i++)
			add_member(g, by, i == 0);
	}
	accord_buf_dispose(&body);
}

/* A member other than a root leaves: revoked by an admin of the party and replaced. */
static void revoke_someone(gen *g)
{
	accord_buf body = ACCORD_BUF_INIT;
	member *pool[MAX_MEMBERS], *target, *by;
	int i, n = 0;

	for (i = 0; i < g->nmembers; i++) {
		member *m = g->members[i];

		if (!m->revoked && !m->root && g->parties[m->party].joined)
			pool[n++] = m;
	}
	if (!n || g->nmembers >= MAX_MEMBERS - 1)
		return;
	target = pool[below((uint64_t)n)];
	/* the root: an admin may revoke only keys it admitted, the root any key of its party */
	for (by = NULL, i = 0; i < g->nmembers && !by; i++)
		if (g->members[i]->party == target->party && g->members[i]->root)
			by = g->members[i];
	{
		jw w = { &body, { 1 }, 0 };

		jw_open(&w, '{');
		jw_str(&w, "key", target->pkhex);
		jw_str(&w, "reason", PICK(revoke_reasons));
		jw_int(&w, "cut", target->seq); /* it saw every entry: the key's last seq */
		jw_close(&w, '}');
	}
	emit(g, by, "member-revoke", NULL, &body, NULL);
	target->revoked = 1;
	add_member(g, by, target->admin);
	accord_buf_dispose(&body);
}

/* ---- incidents ---- */

static int involved(const incident_t *inc, int party)
{
	int i;

	for (i = 0; i < inc->nparties; i++)
		if (inc->parties[i] == party)
			return 1;
	return 0;
}

/* An active member of any party involved in `inc`. */
static member *participant(gen *g, const incident_t *inc)
{
	member *m = NULL;

	while (!m)
		m = someone(g, inc->parties[below((uint64_t)inc->nparties)]);
	return m;
}

static void push_step(incident_t *inc, enum step s)
{
	if (inc->nsteps < (int)sizeof(inc->steps))
		inc->steps[inc->nsteps++] = (unsigned char)s;
}

/* The incident's course, decided when it opens; it is played out between other incidents' steps. */
static void plan(incident_t *inc, int total_parties)
{
	int i, notes;

	push_step(inc, ST_NOTE);
	if (inc->late_party >= 0)
		push_step(inc, ST_INVOLVE);
	push_step(inc, ST_IMPACT_START);
	for (notes = (int)between(0, 2), i = 0; i < notes; i++)
		push_step(inc, ST_NOTE);
	push_step(inc, ST_IDENTIFIED);
	push_step(inc, ST_SLA_ACK);
	for (notes = (int)between(1, 4), i = 0; i < notes; i++)
		push_step(inc, ST_NOTE);
	push_step(inc, ST_MITIGATED);
	push_step(inc, ST_IMPACT_END);
	push_step(inc, ST_SLA_MITIGATE);
	if (chance(8))
		return; /* left open at mitigated */
	for (notes = (int)between(0, 2), i = 0; i < notes; i++)
		push_step(inc, ST_NOTE);
	push_step(inc, ST_RESOLVED);
	push_step(inc, ST_SLA_RESOLVE);
	for (notes = (int)between(1, 4), i = 0; i < notes; i++)
		push_step(inc, ST_FEEDBACK);
	if (chance(5))
		return; /* resolved, never reviewed */
	push_step(inc, ST_RESOLUTION);
	if (total_parties > 1 && chance(20)) {
		push_step(inc, ST_COSIGN);   /* one party signs the first draft... */
		push_step(inc, ST_REVISION); /* ...another revises it, and signing starts over */
	}
	for (i = 1; i < total_parties; i++)
		push_step(inc, ST_COSIGN);
	for (i = 0; i < inc->nactions; i++)
		if (chance(85))
			push_step(inc, ST_ACTION);
	if (chance(95))
		push_step(inc, ST_CLOSED);
}

static void open_incident(gen *g)
{
	accord_buf body = ACCORD_BUF_INIT;
	incident_t *inc = calloc(1, sizeof(*inc));
	member *opener;
	int total, i, first, sp;
	jw w = { &body, { 1 }, 0 };

	if (!inc)
		die(EXIT_RUNTIME, "out of memory");
	first = chance(50) ? 0 : (int)between(1, 2);
	inc->parties[inc->nparties++] = first;
	total = chance(45) ? 1 : chance(70) ? 2 : 3;
	while (inc->nparties < total) {
		int p = (int)below(3);

		if (!involved(inc, p))
			inc->parties[inc->nparties++] = p;
	}
	inc->late_party = -1;
	if (total > 1 && chance(30))
		inc->late_party = inc->parties[--inc->nparties];
	{
		uint64_t r = below(100);

		inc->sev = r < 5 ? 1 : r < 25 ? 2 : r < 70 ? 3 : 4;
	}
	sp = inc->parties[below((uint64_t)inc->nparties)];
	inc->service = services[sp][below(5)];
	inc->started_at = g->now - between(60, 1800);
	inc->nactions = (int)between(1, 3);
	for (i = 0; i < inc->nactions; i++) {
		int allp[3] = { inc->parties[0],
				inc->nparties > 1 ? inc->parties[1] : inc->parties[0],
				inc->late_party >= 0 ? inc->late_party : inc->parties[0] };
		int a = allp[below(3)], b = allp[below(3)];

		inc->action_owners[i][0] = a;
		inc->action_nowners[i] = 1;
		if (b != a && chance(30))
			inc->action_owners[i][inc->action_nowners[i]++] = b;
	}
	plan(inc, total);

	opener = someone(g, first);
	jw_open(&w, '{');
	jw_str(&w, "title", fmt(PICK(symptoms), inc->service));
	jw_int(&w, "severity", inc->sev);
	jw_str(&w, "service", inc->service);
	jw_time(&w, "started_at", inc->started_at);
	jw_arr(&w, "parties");
	for (i = 0; i < inc->nparties; i++)
		jw_str(&w, NULL, party_names[inc->parties[i]]);
	jw_close(&w, ']');
	jw_arr(&w, "tickets");
	for (i = 0; i < inc->nparties; i++) {
		int p = inc->parties[i];

		if (i > 0 && chance(40))
			continue; /* not every party has its ticket yet */
		jw_obj(&w, NULL);
		jw_str(&w, "party", party_names[p]);
		jw_str(&w, "id", fmt("%s-%d", ticket_prefix[p], 1000 + ++g->parties[p].nticket));
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	emit(g, opener, "open", NULL, &body, inc->id);
	g->incidents++;
	g->active[g->nactive++] = inc;
	accord_buf_dispose(&body);
}

static int64_t sla_target(int sev, int which)
{
	static const int64_t t[3][4] = {
		{ 300, 900, 1800, 3600 },
		{ 3600, 14400, 28800, 86400 },
		{ 14400, 43200, 86400, 259200 },
	};

	return t[which][sev - 1];
}

static void write_resolution(gen *g, incident_t *inc, member *by, const char *revises)
{
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };
	int i, n;

	jw_open(&w, '{');
	{
		char summary[600];

		snprintf(summary, sizeof(summary), "%s%s", fmt(PICK(summaries), inc->service),
			 revises ? " Revised after review: factors from every side." : "");
		jw_str(&w, "summary", summary);
	}
	jw_arr(&w, "factors");
	for (i = 0; i < inc->nparties; i++)
		jw_str(&w, NULL, fmt(PICK(factors), party_names[inc->parties[i]]));
	if (chance(50))
		jw_str(&w, NULL, fmt(PICK(factors), "shared"));
	jw_close(&w, ']');
	jw_arr(&w, "went_well");
	for (n = (int)between(1, 2), i = 0; i < n; i++)
		jw_str(&w, NULL, PICK(went_well));
	jw_close(&w, ']');
	jw_arr(&w, "went_wrong");
	for (n = (int)between(1, 2), i = 0; i < n; i++)
		jw_str(&w, NULL, PICK(went_wrong));
	jw_close(&w, ']');
	jw_arr(&w, "lucky");
	if (chance(40))
		jw_str(&w, NULL, PICK(lucky));
	jw_close(&w, ']');
	jw_arr(&w, "actions");
	for (i = 0; i < inc->nactions; i++) {
		char due[ACCORD_TIME_LEN];
		int o;

		accord_time_format(due, g->now + between(7, 45) * 86400);
		due[10] = '\0';
		jw_obj(&w, NULL);
		jw_str(&w, "text", PICK(actions));
		jw_arr(&w, "owners");
		for (o = 0; o < inc->action_nowners[i]; o++)
			jw_str(&w, NULL, party_names[inc->action_owners[i][o]]);
		jw_close(&w, ']');
		jw_str(&w, "due", due);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	if (revises)
		jw_str(&w, "revises", revises);
	jw_close(&w, '}');
	emit(g, by, "resolution", inc->id, &body, inc->res_id);
	inc->res_party = by->party;
	inc->signed_mask = 1 << by->party;
	inc->next_action = 0;
	accord_buf_dispose(&body);
}

static void status(gen *g, incident_t *inc, const char *to)
{
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };

	jw_open(&w, '{');
	jw_str(&w, "status", to);
	if (chance(40))
		jw_str(&w, "note", PICK(status_notes));
	jw_close(&w, '}');
	emit(g, participant(g, inc), "status", inc->id, &body, NULL);
	accord_buf_dispose(&body);
}

static void sla(gen *g, incident_t *inc, const char *name, int which, int64_t actual)
{
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };

	if (actual < 0)
		actual = 0;
	if (actual > 31536000)
		actual = 31536000;
	jw_open(&w, '{');
	jw_str(&w, "name", name);
	jw_int(&w, "target_s", sla_target(inc->sev, which));
	jw_int(&w, "actual_s", actual);
	jw_close(&w, '}');
	emit(g, participant(g, inc), "sla", inc->id, &body, NULL);
	accord_buf_dispose(&body);
}

/* A note on `inc`, its text padded to --note-bytes. */
static void note(gen *g, incident_t *inc)
{
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };
	const char *text = fill(PICK(note_texts), inc->service, (int)between(2, 60));

	if (g->note_bytes) {
		size_t n = strlen(text);

		/* fill_buf holds the text: pad it in place, cut at the size asked */
		while (fill_buf.size < (size_t)g->note_bytes)
			accord_buf_puts(&fill_buf, fill_buf.size == n ? " (" : " padding");
		fill_buf.size = (size_t)g->note_bytes;
		fill_buf.ptr[fill_buf.size] = '\0';
		text = fill_buf.ptr;
	}
	jw_open(&w, '{');
	jw_str(&w, "text", text);
	jw_close(&w, '}');
	emit(g, participant(g, inc), "note", inc->id, &body, NULL);
	accord_buf_dispose(&body);
}

/* The incident's late party involved, with a ticket of its own now and then. */
static void write_involve(gen *g, incident_t *inc)
{
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };
	int p = inc->late_party;

	jw_open(&w, '{');
	jw_str(&w, "party", party_names[p]);
	if (chance(70))
		jw_str(&w, "ticket",
		       fmt("%s-%d", ticket_prefix[p], 1000 + ++g->parties[p].nticket));
	jw_close(&w, '}');
	emit(g, participant(g, inc), "involve", inc->id, &body, NULL);
	inc->parties[inc->nparties++] = p;
	accord_buf_dispose(&body);
}

/* An impact window of `inc`: its start (`s` ST_IMPACT_START, a new customer count) or its end. */
static void write_impact(gen *g, incident_t *inc, enum step s)
{
	static const int64_t lo[4] = { 5000, 500, 50, 1 }, hi[4] = { 200000, 20000, 2000, 200 };
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };

	if (s == ST_IMPACT_START)
		inc->customers = between(lo[inc->sev - 1], hi[inc->sev - 1]);
	jw_open(&w, '{');
	jw_int(&w, "customers", inc->customers);
	jw_time(&w, "start", inc->started_at);
	if (s == ST_IMPACT_END)
		jw_time(&w, "end", inc->mitigated_at);
	jw_str(&w, "description", PICK(impact_texts));
	jw_close(&w, '}');
	emit(g, participant(g, inc), "impact", inc->id, &body, NULL);
	accord_buf_dispose(&body);
}

/* The customer's feedback on `inc`. */
static void write_feedback(gen *g, incident_t *inc)
{
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };
	/* unhappier with long, severe incidents, whatever the SLA says */
	int64_t minutes = (inc->mitigated_at - inc->started_at) / 60;
	int score = (int)between(1, 5) + (minutes < 60) - (inc->sev <= 2);

	score = score < 1 ? 1 : score > 5 ? 5 : score;
	jw_open(&w, '{');
	jw_int(&w, "score", score);
	if (chance(70))
		jw_int(&w, "lost_minutes", between(0, minutes + 30));
	if (chance(40))
		jw_str(&w, "comment", PICK(feedback_texts));
	jw_close(&w, '}');
	emit(g, participant(g, inc), "feedback", inc->id, &body, NULL);
	accord_buf_dispose(&body);
}

/* A cosign of the resolution of `inc` by a party that has not signed it, if one is left. */
static void write_cosign(gen *g, incident_t *inc)
{
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };
	member *by = NULL;
	int i;

	for (i = 0; i < inc->nparties && !by; i++)
		if (!(inc->signed_mask & (1 << inc->parties[i])))
			by = someone(g, inc->parties[i]);
	if (!by)
		return; /* everyone has signed */
	jw_open(&w, '{');
	jw_str(&w, "proposal", inc->res_id);
	jw_close(&w, '}');
	emit(g, by, "cosign", inc->id, &body, NULL);
	inc->signed_mask |= 1 << by->party;
	accord_buf_dispose(&body);
}

/* The next action item of `inc` done by one of its owners, if one is left. */
static void write_action(gen *g, incident_t *inc)
{
	accord_buf body = ACCORD_BUF_INIT;
	jw w = { &body, { 1 }, 0 };
	int a = inc->next_action++;
	member *by;

	if (a >= inc->nactions)
		return;
	by = someone(g, inc->action_owners[a][below((uint64_t)inc->action_nowners[a])]);
	jw_open(&w, '{');
	jw_str(&w, "resolution", inc->res_id);
	jw_int(&w, "action", a + 1);
	jw_str(&w, "state", "done");
	if (chance(50))
		jw_str(&w, "note", "Done and verified in production.");
	jw_close(&w, '}');
	emit(g, by, "action", inc->id, &body, NULL);
	accord_buf_dispose(&body);
}

/* Play the next step of `inc`; returns 1 when its course is over. */
static int step(gen *g, incident_t *inc)
{
	enum step s;
	int i;

	if (g->note_share && chance((unsigned)g->note_share)) {
		note(g, inc); /* the step waits for the next turn */
		return 0;
	}
	s = (enum step)inc->steps[inc->next++];

	switch (s) {
	case ST_NOTE: note(g, inc); break;
	case ST_INVOLVE: write_involve(g, inc); break;
	case ST_IMPACT_START:
	case ST_IMPACT_END: write_impact(g, inc, s); break;
	case ST_IDENTIFIED:
		status(g, inc, "identified");
		inc->identified_at = g->now;
		break;
	case ST_MITIGATED:
		status(g, inc, "mitigated");
		inc->mitigated_at = g->now;
		break;
	case ST_RESOLVED:
		status(g, inc, "resolved");
		inc->resolved_at = g->now;
		break;
	case ST_CLOSED: status(g, inc, "closed"); break;
	case ST_SLA_ACK:
		sla(g, inc, "time to acknowledge", 0, inc->identified_at - inc->started_at);
		break;
	case ST_SLA_MITIGATE:
		sla(g, inc, "time to mitigate", 1, inc->mitigated_at - inc->started_at);
		break;
	case ST_SLA_RESOLVE:
		sla(g, inc, "time to resolve", 2, inc->resolved_at - inc->started_at);
		break;
	case ST_FEEDBACK: write_feedback(g, inc); break;
	case ST_RESOLUTION: write_resolution(g, inc, participant(g, inc), NULL); break;
	case ST_REVISION: {
		member *by = NULL;
		char prev[ACCORD_ID_HEXLEN + 1];

		/* a party that has not proposed this draft revises it */
		for (i = 0; i < inc->nparties && !by; i++)
			if (inc->parties[i] != inc->res_party)
				by = someone(g, inc->parties[i]);
		memcpy(prev, inc->res_id, sizeof(prev));
		write_resolution(g, inc, by ? by : participant(g, inc), prev);
		break;
	}
	case ST_COSIGN: write_cosign(g, inc); break;
	case ST_ACTION: write_action(g, inc); break;
	}
	return inc->next >= inc->nsteps;
}

/* The day's business: open incidents, advance them in an interleaved order, now and then a revocation. */
static void run(gen *g)
{
	while (g->written < g->target) {
		int want = 2 + (int)((g->written / 5000) % 7); /* busy and quiet spells */

		if (g->written > 50 && below(25000) == 0) {
			revoke_someone(g);
		} else if (g->nactive < want && (g->nactive == 0 || chance(25))) {
			open_incident(g);
		} else {
			int i = (int)below((uint64_t)g->nactive);

			if (step(g, g->active[i])) {
				free(g->active[i]);
				g->active[i] = g->active[--g->nactive];
			}
		}
	}
}

/* ---- arguments and paths ---- */

static uint64_t parse_u64(const char *s, const char *what, uint64_t min, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!s || !*s || *s == '-' || *s == '+')
		die(EXIT_USAGE, "%s must be a number (see --help)", what);
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		die(EXIT_USAGE, "%s must be a number from %llu to %llu, not '%s'", what,
		    (unsigned long long)min, (unsigned long long)max, s);
	return v;
}

/*
 * The absolute path `p` will have: the real path of its longest existing
 * prefix, then the rest with "." and ".." applied. Caller frees.
 */
static char *future_path(const char *p)
{
	char *abs, *cut, *real = NULL, *out;
	accord_buf b = ACCORD_BUF_INIT, rest = ACCORD_BUF_INIT;

	if (p[0] == '/') {
		accord_buf_puts(&b, p);
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			die(EXIT_RUNTIME, "can't find the current directory: %s", strerror(errno));
		accord_buf_printf(&b, "%s/%s", cwd, p);
	}
	abs = accord_buf_detach(&b);
	/* walk back until a prefix exists */
	for (;;) {
		if ((real = realpath(abs, NULL)) || !(cut = strrchr(abs, '/')))
			break;
		{
			accord_buf t = ACCORD_BUF_INIT;

			accord_buf_printf(&t, "%s%s%s", cut + 1, rest.size ? "/" : "",
					  rest.ptr ? rest.ptr : "");
			accord_buf_clear(&rest);
			accord_buf_put(&rest, t.ptr, t.size);
			accord_buf_dispose(&t);
		}
		if (cut == abs) {
			if (!(real = strdup("/")))
				die(EXIT_RUNTIME, "out of memory");
			break;
		}
		*cut = '\0';
	}
	accord_buf_puts(&b, real ? real : "/");
	free(real);
	free(abs);
	/* apply the remaining components lexically */
	if (rest.size) {
		char *save = NULL, *tok;

		for (tok = strtok_r(rest.ptr, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
			if (!strcmp(tok, ".") || !*tok)
				continue;
			if (!strcmp(tok, "..")) {
				char *slash = strrchr(b.ptr, '/');

				if (slash && slash != b.ptr)
					*slash = '\0', b.size = (size_t)(slash - b.ptr);
				else
					accord_buf_clear(&b), accord_buf_putc(&b, '/');
				continue;
			}
			if (b.size > 1)
				accord_buf_putc(&b, '/');
			accord_buf_puts(&b, tok);
		}
	}
	accord_buf_dispose(&rest);
	out = accord_buf_detach(&b);
	return out;
}

static int is_inside(const char *inner, const char *outer)
{
	size_t n = strlen(outer);

	if (strcmp(outer, "/") == 0)
		return 1;
	return strncmp(inner, outer, n) == 0 && (inner[n] == '\0' || inner[n] == '/');
}

/* Empty or missing: 1; anything else: 0. */
static int dir_empty_or_missing(const char *path)
{
	struct stat st;
	int n = 0;

	if (stat(path, &st) < 0)
		return errno == ENOENT;
	if (!S_ISDIR(st.st_mode))
		return 0;
	{
		DIR *d = opendir(path);
		struct dirent *de;

		if (!d)
			return 0;
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				n++;
		closedir(d);
	}
	return n == 0;
}

static void mkdirs(const char *path, mode_t mode)
{
	char *p = strdup(path), *s;

	if (!p)
		die(EXIT_RUNTIME, "out of memory");
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			die(EXIT_RUNTIME, "can't create %s: %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		die(EXIT_RUNTIME, "can't create %s: %s", p, strerror(errno));
	free(p);
}

static double cpu_seconds(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru) < 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Read the options into `g` and *homes; -1 after --help, else 0 (a usage error exits). */
static int parse_options(gen *g, const char **homes, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "entries", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "homes", required_argument, NULL, 'H' },
		{ "threads", required_argument, NULL, 't' },
		{ "compression", required_argument, NULL, 'z' },
		{ "check", no_argument, NULL, 'c' },
		{ "note-bytes", required_argument, NULL, 'b' },
		{ "note-share", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int c, have_entries = 0;

	g->seed = 1;
	g->compression = 1;
	g->nworkers = cpus > 0 ? (cpus > 64 ? 64 : (int)cpus) : 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			g->target = (int64_t)parse_u64(optarg, "--entries", 1, 100000000);
			have_entries = 1;
			break;
		case 's': g->seed = parse_u64(optarg, "--seed", 0, UINT64_MAX); break;
		case 'H': *homes = optarg; break;
		case 't': g->nworkers = (int)parse_u64(optarg, "--threads", 1, 64); break;
		case 'z': g->compression = (int)parse_u64(optarg, "--compression", 0, 9); break;
		case 'c': g->check = 1; break;
		case 'b': g->note_bytes = (int)parse_u64(optarg, "--note-bytes", 1, 8192); break;
		case 'p': g->note_share = (int)parse_u64(optarg, "--note-share", 0, 95); break;
		case 'h': fputs(usage, stdout); return -1;
		default:
			if (optopt)
				die(EXIT_USAGE,
				    "unknown option or missing value near '%s' (see --help)",
				    argv[optind - 1]);
			die(EXIT_USAGE, "unknown option '%s' (see --help)", argv[optind - 1]);
		}
	}
	if (!have_entries)
		die(EXIT_USAGE, "--entries N is required (see --help)");
	if (!*homes || !**homes)
		die(EXIT_USAGE, "--homes DIR is required (see --help)");
	if (argc - optind != 1)
		die(EXIT_USAGE, "%s (see --help)",
		    argc - optind ? "give exactly one LEDGER path" : "LEDGER is required");
	return 0;
}

/* Open and lock the ledger at `ledger_abs` (`path` as given): a new path or an empty repository. */
static void open_ledger(gen *g, const char *ledger_abs, const char *path)
{
	git_strarray refs = { NULL, 0 };
	accord_store *probe = NULL;
	int error = accord_store_open(&probe, ledger_abs);

	if (error == ACCORD_ENOTFOUND && !dir_empty_or_missing(ledger_abs))
		die(EXIT_RUNTIME, "%s is neither a git repository nor an empty folder", path);
	if (error < 0 && error != ACCORD_ENOTFOUND)
		die(EXIT_RUNTIME, "%s", accord_error_last());
	accord_store_free(probe);
	if (accord_store_open_or_init(&g->store, ledger_abs) < 0)
		die(EXIT_RUNTIME, "%s", accord_error_last());
	if (accord_store_lock(g->store) < 0)
		die(EXIT_RUNTIME, "%s", accord_error_last());
	if (accord_store_ref_list(&refs, g->store, ACCORD_REF_PREFIX) < 0)
		die(EXIT_RUNTIME, "%s", accord_error_last());
	if (refs.count > 0)
		die(EXIT_RUNTIME,
		    "%s already holds a ledger: give a new path or an empty repository", path);
	git_strarray_dispose(&refs);
}

/* What was written, in `wall` seconds and `cpu_all` of CPU (`cpu_main` of them making entries). */
static void print_summary(const gen *g, const char *path, const char *homes, double wall,
			  double cpu_main, double cpu_all)
{
	int i, revoked = 0;

	for (i = 0; i < g->nmembers; i++)
		revoked += g->members[i]->revoked;
	printf("wrote %lld entries (%d incidents, %d parties, %d members, %d revoked) to %s "
	       "in %.2f s: %.0f entries/s\n",
	       (long long)g->written, g->incidents, g->nparties, g->nmembers, revoked, path, wall,
	       (double)g->written / wall);
	/* The CPU time tells what a busy machine's wall clock hides. */
	printf("cpu %.2f s: %.2f s making entries, %.2f s in %d signing threads (%.1f us an entry)\n",
	       cpu_all, cpu_main, cpu_all - cpu_main, g->nworkers,
	       cpu_all * 1e6 / (double)g->written);
	/* One feed is one thread's: an uneven split leaves a core idle. */
	printf("entries per signing thread:");
	for (i = 0; i < g->nworkers; i++)
		printf(" %lld", (long long)g->workers[i].entries);
	printf("\nkey homes in %s\n", homes);
}

int main(int argc, char **argv)
{
	gen g;
	const char *homes = NULL, *path;
	char *ledger_abs, *homes_abs;
	double t0, t1, cpu_main, cpu_all;
	int i;

	memset(&g, 0, sizeof(g));
	if (parse_options(&g, &homes, argc, argv) < 0)
		return 0; /* --help */
	path = argv[optind];

	ledger_abs = future_path(path);
	homes_abs = future_path(homes);
	if (is_inside(homes_abs, ledger_abs))
		die(EXIT_USAGE, "--homes %s is inside the ledger %s: keys never go into a ledger",
		    homes, path);
	if (is_inside(ledger_abs, homes_abs))
		die(EXIT_USAGE, "the ledger %s is inside --homes %s", path, homes);
	if (!dir_empty_or_missing(homes_abs))
		die(EXIT_RUNTIME, "--homes %s exists and is not an empty folder", homes);

	if (accord_init() < 0)
		die(EXIT_RUNTIME, "%s", accord_error_last());
	open_ledger(&g, ledger_abs, path);
	mkdirs(homes_abs, 0700);
	g.homes = homes_abs;

	rng_state = g.seed;
	g.now = 1735722000; /* 2025-01-01T09:00:00Z */
	accord_parties_init(&g.auth);
	/* the order of names is part of the seed's world */
	g.used_names = (int)below(sizeof(first_names) / sizeof(*first_names));

	t0 = seconds();
	workers_start(&g);
	found(&g);
	run(&g);
	cpu_main = cpu_seconds(RUSAGE_THREAD);
	workers_finish(&g);
	t1 = seconds();
	cpu_all = cpu_seconds(RUSAGE_SELF);

	print_summary(&g, path, homes, t1 - t0, cpu_main, cpu_all);

	workers_free(&g);
	for (i = 0; i < g.nactive; i++)
		free(g.active[i]);
	for (i = 0; i < g.nmembers; i++) {
		accord_key_free(g.members[i]->key);
		free(g.members[i]);
	}
	accord_parties_dispose(&g.auth);
	for (i = 0; i < (int)g.nkept; i++)
		accord_entry_free(g.kept[i]);
	free(g.kept);
	accord_buf_dispose(&g.raw);
	accord_buf_dispose(&fill_buf);
	accord_store_free(g.store);
	free(ledger_abs);
	free(homes_abs);
	accord_shutdown();
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_RUNTIME, "can't write to stdout");
	return 0;
}
