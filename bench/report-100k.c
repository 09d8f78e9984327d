/*
 * bench/report-100k: write a ledger of about N entries (default 100,000)
 * with the library directly, for timing `accord report` on it.
 *   bench/report-100k DIR [N]
 * Two parties (acme, globex); each incident gets an open, an impact
 * window, two SLA measurements, two feedback entries, a status, a
 * resolution and, for globex's side, a cosign: 9 entries per incident.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <accord.h>

static void die(const char *what)
{
	fprintf(stderr, "report-100k: %s: %s\n", what, accord_error_last());
	exit(1);
}

static void append(accord_ledger *l, accord_key *k, const char *type, const char *inc,
		   const char *json, char *id)
{
	cJSON *body = cJSON_Parse(json);

	if (!body || accord_ledger_append(id, l, k, type, inc, body) < 0)
		die(type);
	cJSON_Delete(body);
}

int main(int argc, char **argv)
{
	static const char *services[] = { "checkout", "search", "login", "api", "billing" };
	accord_key *a = NULL, *g = NULL;
	accord_store *s = NULL;
	accord_ledger *l = NULL;
	char path[4096], id[65], inc[65], res[65], json[1024], t0[ACCORD_TIME_LEN],
		t1[ACCORD_TIME_LEN];
	long n = argc > 2 ? atol(argv[2]) : 100000, i;
	int64_t base;

	if (argc < 2 || accord_init() < 0)
		return 2;
	accord_time_parse(&base, "2024-01-01T00:00:00Z");
	accord_time_set_now(&base);
	snprintf(path, sizeof(path), "%s/alice", argv[1]);
	if (accord_key_generate(&a, path, "alice", NULL, 0) < 0)
		die("key");
	snprintf(path, sizeof(path), "%s/gina", argv[1]);
	if (accord_key_generate(&g, path, "gina", NULL, 0) < 0)
		die("key");
	snprintf(path, sizeof(path), "%s/ledger", argv[1]);
	if (accord_store_open_or_init(&s, path) < 0 ||
	    accord_ledger_create(id, s, a, "acme", "bench", NULL) < 0)
		die("init");
	if (accord_store_lock(s) < 0 || accord_ledger_open(&l, s, NULL) < 0)
		die("load");
	{
		/* party-invite takes the key as hex of the public key */
		char hex[65];
		size_t j;

		for (j = 0; j < 32; j++)
			sprintf(hex + 2 * j, "%02x", g->pub.pk[j]);
		snprintf(json, sizeof(json),
			 "{\"party\":\"globex\",\"key\":\"%s\",\"member\":\"gina\"}", hex);
	}
	append(l, a, "party-invite", NULL, json, id);
	snprintf(json, sizeof(json), "{\"party\":\"globex\",\"invite\":\"%s\"}", id);
	append(l, g, "party-accept", NULL, json, id);
	for (i = 0; accord_ledger_entry_count(l) < (size_t)n; i++) {
		int64_t start = base + i * 3600;
		int score = 1 + (int)(i % 5);

		accord_time_format(t0, start);
		accord_time_format(t1, start + 600 + (i % 7) * 600);
		snprintf(
			json, sizeof(json),
			"{\"title\":\"incident %ld\",\"severity\":%ld,\"service\":\"%s\",\"started_at\":\"%s\","
			"\"parties\":[\"acme\",\"globex\"],\"tickets\":[]}",
			i, 1 + i % 4, services[i % 5], t0);
		accord_time_set_now(&start);
		append(l, a, "open", NULL, json, inc);
		snprintf(json, sizeof(json), "{\"customers\":%ld,\"start\":\"%s\",\"end\":\"%s\"}",
			 10 + i % 1000, t0, t1);
		append(l, a, "impact", inc, json, id);
		append(l, a, "sla", inc,
		       "{\"name\":\"first-response\",\"target_s\":1800,\"actual_s\":600}", id);
		snprintf(json, sizeof(json),
			 "{\"name\":\"restore\",\"target_s\":3600,\"actual_s\":%ld}",
			 600 + (i % 9) * 600);
		append(l, g, "sla", inc, json, id);
		snprintf(json, sizeof(json), "{\"score\":%d,\"lost_minutes\":%ld}", score, i % 90);
		append(l, a, "feedback", inc, json, id);
		append(l, a, "feedback", inc, "{\"score\":4}", id);
		append(l, a, "status", inc, "{\"status\":\"resolved\"}", id);
		snprintf(
			json, sizeof(json),
			"{\"summary\":\"fixed\",\"factors\":[\"factor %ld\",\"shared cause\"],\"went_well\":[],"
			"\"went_wrong\":[],\"lucky\":[],\"actions\":[{\"text\":\"follow up\",\"owners\":[\"globex\"],"
			"\"due\":\"2024-06-01\"}]}",
			i % 50);
		append(l, a, "resolution", inc, json, res);
		if (i % 3) {
			snprintf(json, sizeof(json), "{\"resolution\":\"%s\"}", res);
			append(l, g, "cosign", inc, json, id);
		}
	}
	printf("%zu entries\n", accord_ledger_entry_count(l));
	accord_ledger_free(l);
	accord_store_unlock(s);
	accord_store_free(s);
	accord_key_free(a);
	accord_key_free(g);
	accord_shutdown();
	return 0;
}
