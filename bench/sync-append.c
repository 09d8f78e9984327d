/*
 * bench/sync-append: append N notes to one incident in one process (one
 * ledger load, N appends), so the sync benchmark can make 1,000 entries
 * in a moment. usage: sync-append LEDGER KEYHOME N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <accord.h>

int main(int argc, char **argv)
{
	accord_store *store = NULL;
	accord_ledger *l = NULL;
	accord_key *key = NULL;
	char id[ACCORD_ID_HEXLEN + 1], inc[ACCORD_ID_HEXLEN + 1];
	cJSON *body;
	long i, n;

	if (argc != 4 || (n = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: sync-append LEDGER KEYHOME N\n");
		return 2;
	}
	if (accord_init() < 0 || accord_store_open(&store, argv[1]) < 0 ||
	    accord_key_load(&key, argv[2], NULL) < 0 || accord_store_lock(store) < 0 ||
	    accord_ledger_open(&l, store, NULL) < 0)
		goto fail;
	body = cJSON_Parse(
		"{\"title\":\"bench\",\"severity\":3,\"service\":\"bench\","
		"\"started_at\":\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\"],\"tickets\":[]}");
	if (accord_ledger_append(inc, l, key, "open", NULL, body) < 0)
		goto fail;
	cJSON_Delete(body);
	for (i = 0; i < n - 1; i++) {
		char text[64];

		snprintf(text, sizeof(text), "note %ld", i);
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "text", text);
		if (accord_ledger_append(id, l, key, "note", inc, body) < 0)
			goto fail;
		cJSON_Delete(body);
	}
	accord_ledger_free(l);
	accord_key_free(key);
	accord_store_free(store);
	accord_shutdown();
	return 0;
fail:
	fprintf(stderr, "sync-append: %s\n", accord_error_last());
	return 1;
}
