/*
 * bench/verify-limit: the machine's limit for a verifier, measured (issue
 * 14, "know the limit"): libsodium Ed25519 verifications per second
 * (crypto_sign_verify_detached) on one thread, then on every core at once.
 * An audit checks one signature an entry, so no audit can beat this figure;
 * make bench prints the audit's throughput as a fraction of it.
 *
 * The messages are entry-sized (--bytes, default 700: make bench passes
 * the mean entry size of the ledger it audits), each signed by one of a few
 * keys, and every verification must succeed. A measurement, never a test.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#define NMSG 256
#define NKEYS 16

static const char usage[] =
	"usage: bench/verify-limit [--threads T] [--seconds S] [--bytes B]\n"
	"\n"
	"Ed25519 verifications per second (libsodium's crypto_sign_verify_detached)\n"
	"on one thread, then on T threads at once (default: the number of CPUs),\n"
	"each for S seconds (default 3), over messages of B bytes (default 700).\n"
	"Prints one line each: '1 thread: R verifications/s' and 'T threads: R\n"
	"verifications/s', with the CPU time a verification took. Exit status:\n"
	"0 measured, 1 a signature did not verify, 2 usage error.\n";

static unsigned char msgs[NMSG][8192], sigs[NMSG][crypto_sign_BYTES];
static unsigned char pks[NKEYS][crypto_sign_PUBLICKEYBYTES];
static size_t msg_len = 700;
static atomic_int stop;
static atomic_int failed;

typedef struct {
	pthread_t thread;
	unsigned long long count;
	int index;
} worker;

static void *verify_loop(void *arg)
{
	worker *w = arg;
	unsigned long long n = 0;
	size_t i = (size_t)w->index * 31;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		size_t k = i++ % NMSG;

		if (crypto_sign_verify_detached(sigs[k], msgs[k], msg_len, pks[k % NKEYS]) != 0)
			atomic_store(&failed, 1);
		n++;
	}
	w->count = n;
	return NULL;
}

/* CPU seconds of the whole process: what the wall clock hides on a loaded machine. */
static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * Verifications per second on `threads` threads for about `secs` seconds;
 * *us_each gets the CPU microseconds a verification took.
 */
static double measure(int threads, double secs, double *us_each)
{
	worker *w = calloc((size_t)threads, sizeof(*w));
	unsigned long long total = 0;
	struct timespec nap = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };
	double t0, t1, c0;
	int i;

	if (!w) {
		fputs("verify-limit: out of memory\n", stderr);
		exit(1);
	}
	atomic_store(&stop, 0);
	c0 = cpu_seconds();
	t0 = now();
	for (i = 0; i < threads; i++) {
		w[i].index = i;
		if (pthread_create(&w[i].thread, NULL, verify_loop, &w[i]) != 0) {
			fputs("verify-limit: can't start a thread\n", stderr);
			exit(1);
		}
	}
	while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
		;
	atomic_store(&stop, 1);
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].thread, NULL);
		total += w[i].count;
	}
	t1 = now();
	*us_each = total ? (cpu_seconds() - c0) * 1e6 / (double)total : 0;
	free(w);
	return (double)total / (t1 - t0);
}

static long number(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s ? s : "", &end, 10);
	if (!s || !*s || *end || errno || v < lo || v > hi) {
		fprintf(stderr, "verify-limit: %s must be a number from %ld to %ld\n", what, lo,
			hi);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned char sk[NKEYS][crypto_sign_SECRETKEYBYTES];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = cpus > 0 ? (int)cpus : 1, i;
	double secs = 3, one, all, us_one, us_all;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
			threads = (int)number(argv[++i], "--threads", 1, 256);
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			secs = (double)number(argv[++i], "--seconds", 1, 600);
		} else if (!strcmp(argv[i], "--bytes") && i + 1 < argc) {
			msg_len = (size_t)number(argv[++i], "--bytes", 1, (long)sizeof(msgs[0]));
		} else {
			fprintf(stderr, "verify-limit: unknown argument '%s' (see --help)\n",
				argv[i]);
			return 2;
		}
	}
	if (sodium_init() < 0) {
		fputs("verify-limit: libsodium failed to start\n", stderr);
		return 1;
	}
	for (i = 0; i < NKEYS; i++)
		crypto_sign_keypair(pks[i], sk[i]);
	for (i = 0; i < NMSG; i++) {
		randombytes_buf(msgs[i], msg_len);
		crypto_sign_detached(sigs[i], NULL, msgs[i], msg_len, sk[i % NKEYS]);
	}
	sodium_memzero(sk, sizeof(sk));

	one = measure(1, secs, &us_one);
	all = measure(threads, secs, &us_all);
	if (atomic_load(&failed)) {
		fputs("verify-limit: a signature did not verify\n", stderr);
		return 1;
	}
	printf("1 thread: %.0f verifications/s (%.1f us of CPU each)\n", one, us_one);
	printf("%d threads: %.0f verifications/s (%.1f us of CPU each; %ld CPUs, %zu-byte messages, "
	       "libsodium %s)\n",
	       threads, all, us_all, cpus, msg_len, sodium_version_string());
	if (fflush(stdout) != 0 || ferror(stdout))
		return 1;
	return 0;
}
