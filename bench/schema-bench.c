/*
 * Entry validation cost: accord_entry_parse on real entries in a loop, and
 * its two parts (strict JSON parse; schema validation) on their own.
 *
 *   cc -O2 -g -std=c11 -D_GNU_SOURCE -Iinclude $(pkg-config --cflags libcjson) \
 *      -o build/schema-bench bench/schema-bench.c build/plain/libaccord.a \
 *      $(pkg-config --libs libsodium libgit2 libcjson zlib) -lm
 *   accord export > entries.txt
 *   build/schema-bench entries.txt [ITERATIONS]
 *
 * Input: one entry per line (what `accord export` prints). For each line it
 * prints the type and the CPU time per call in microseconds (process CPU
 * time, so a loaded machine skews it less than wall time). Under callgrind
 * pass a small ITERATIONS and compare instruction counts instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "accord/entry.h"
#include "accord/error.h"
#include "json.h"
#include "schema.h"

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, a = 0, r;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 > a) {
			a = a ? a * 2 : 65536;
			if (!(buf = realloc(buf, a + 1)))
				abort();
		}
		if ((r = fread(buf + n, 1, a - n, f)) == 0)
			break;
		n += r;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	accord_schema_registry *reg;
	char *data, *line, *next;
	long iters = argc > 2 ? atol(argv[2]) : 20000, i;
	size_t len;

	if (argc < 2 || iters <= 0) {
		fprintf(stderr, "usage: schema-bench ENTRIES-FILE [ITERATIONS]\n");
		return 2;
	}
	if (!(data = read_all(argv[1], &len))) {
		perror(argv[1]);
		return 1;
	}
	if (accord_schema_builtin(&reg) < 0) {
		fprintf(stderr, "schema-bench: %s\n", accord_error_last());
		return 1;
	}
	printf("%-14s %6s %10s %10s %10s\n", "type", "bytes", "parse_us", "json_us", "schema_us");
	for (line = data; *line; line = next) {
		size_t n = strcspn(line, "\n");
		accord_entry *e = NULL;
		cJSON *json = NULL;
		double t0, t_all, t_json, t_schema;
		char type[32];

		next = line + n + (line[n] == '\n');
		if (n == 0)
			continue;
		if (accord_entry_parse(&e, line, n) < 0) {
			fprintf(stderr, "schema-bench: entry refused: %s\n", accord_error_last());
			return 1;
		}
		snprintf(type, sizeof(type), "%s", e->type);
		accord_entry_free(e);

		t0 = cpu_now();
		for (i = 0; i < iters; i++) {
			if (accord_entry_parse(&e, line, n) < 0)
				abort();
			accord_entry_free(e);
		}
		t_all = (cpu_now() - t0) / (double)iters * 1e6;

		t0 = cpu_now();
		for (i = 0; i < iters; i++) {
			if (accord_json_parse_strict(&json, line, n, ACCORD_ENTRY_MAX, 1) < 0)
				abort();
			cJSON_Delete(json);
		}
		t_json = (cpu_now() - t0) / (double)iters * 1e6;

		if (accord_json_parse_strict(&json, line, n, ACCORD_ENTRY_MAX, 1) < 0)
			abort();
		t0 = cpu_now();
		for (i = 0; i < iters; i++)
			if (accord_schema_validate(reg, ACCORD_SCHEMA_BASE "entry.schema.json",
						   json) < 0)
				abort();
		t_schema = (cpu_now() - t0) / (double)iters * 1e6;
		cJSON_Delete(json);

		printf("%-14s %6zu %10.2f %10.2f %10.2f\n", type, n, t_all, t_json, t_schema);
	}
	accord_schema_builtin_free();
	free(data);
	return 0;
}
