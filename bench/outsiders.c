/*
 * bench/outsiders: write N feeds of keys that belong to no party into a
 * ledger (one note each, validly signed), and print each "<commit> <key id>",
 * so the hook benchmark can push a hostile set in one go.
 * usage: outsiders LEDGER TMPDIR N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <accord.h>

int main(int argc, char **argv)
{
	accord_store *store = NULL;
	accord_ledger *l = NULL;
	const accord_entry *genesis;
	char gen_id[ACCORD_ID_HEXLEN + 1];
	cJSON *body = cJSON_Parse("{\"text\":\"let me in\"}");
	long i, n;

	if (argc != 4 || (n = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: outsiders LEDGER TMPDIR N\n");
		return 2;
	}
	if (accord_init() < 0 || accord_store_open(&store, argv[1]) < 0 ||
	    accord_ledger_open(&l, store, NULL) < 0)
		goto fail;
	genesis = accord_ledger_entry_at(l, 0); /* ledger order starts with it */
	snprintf(gen_id, sizeof(gen_id), "%s", genesis->id);
	for (i = 0; i < n; i++) {
		accord_key *k = NULL;
		accord_entry_fields ef = { 0 };
		accord_buf raw = ACCORD_BUF_INIT;
		char home[4096], ref[128], hex[GIT_OID_HEXSZ + 1];
		git_oid c;

		snprintf(home, sizeof(home), "%s/k%ld", argv[2], i);
		if (accord_key_generate(&k, home, "outsider", NULL, 0) < 0)
			goto fail;
		/* format 2: it claims to have seen the genesis and to be admitted by it */
		ef.ledger = accord_ledger_id(l);
		ef.author = &k->pub;
		ef.seq = 1;
		ef.deps = &gen_id;
		ef.dep_count = 1;
		ef.lamport = genesis->lamport + 1;
		ef.time = genesis->time + 60;
		ef.admission = genesis->id;
		ef.type = "note";
		ef.incident =
			genesis->id; /* any id: the key is refused before the incident matters */
		ef.body = body;
		snprintf(ref, sizeof(ref), "%s%s", ACCORD_FEED_PREFIX, k->pub.id);
		if (accord_entry_build(&raw, &ef) < 0 ||
		    accord_store_append(&c, store, ref, NULL, raw.ptr, raw.size, k, ef.time) < 0)
			goto fail;
		printf("%s %s\n", git_oid_tostr(hex, sizeof(hex), &c), k->pub.id);
		accord_buf_dispose(&raw);
		accord_key_free(k);
	}
	cJSON_Delete(body);
	accord_ledger_free(l);
	accord_store_free(store);
	accord_shutdown();
	return 0;
fail:
	fprintf(stderr, "outsiders: %s\n", accord_error_last());
	return 1;
}
