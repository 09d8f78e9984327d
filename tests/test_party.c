/* Authorization rules, applied to entries in ledger order without git. */
#include "helpers.h"

#define LEDGER "1111111111111111111111111111111111111111111111111111111111111111"

typedef struct {
	accord_parties p;
	accord_entry *owned[64];
	int applied[64]; /* refused attempts take no place in their feed */
	size_t n;
	int64_t lamport;
	char genesis_id[65];
} world;

static void make_key(accord_pubkey *k, unsigned char fill, const char *name)
{
	memset(k, 0, sizeof(*k));
	memset(k->pk, fill, sizeof(k->pk));
	accord_pubkey_set_id(k);
	snprintf(k->name, sizeof(k->name), "%s", name);
}

/* How many entries the key with id `keyid` has written in this world. */
static int64_t written_by(const world *w, const char *keyid)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < w->n; i++)
		n += w->applied[i] && !strcmp(w->owned[i]->author.id, keyid);
	return n;
}

/* The last member-add, party-invite or key-rotate in this world that offers the key `keyid` a place. */
static const char *offer_for(const world *w, const char *keyid)
{
	size_t i;

	for (i = w->n; i-- > 0;) {
		const accord_entry *e = w->owned[i];
		const char *hex = accord_entry_str(e, "key");
		accord_pubkey k;

		if (!w->applied[i] ||
		    (strcmp(e->type, "member-add") && strcmp(e->type, "party-invite") &&
		     strcmp(e->type, "key-rotate")) ||
		    !hex)
			continue;
		memset(&k, 0, sizeof(k));
		if (accord_hex_decode(k.pk, sizeof(k.pk), hex) == 0) {
			accord_pubkey_set_id(&k);
			if (!strcmp(k.id, keyid))
				return e->id;
		}
	}
	return NULL;
}

/*
 * Build an entry by `author` and apply it; returns accord_parties_apply's
 * result. Format 2 as a writer makes it: a key's first entry is seq 1 and
 * names the offer that admitted it, a revocation's cut is the revoked key's
 * last seq (the world holds every entry, so that is what the revoker saw).
 */
static int put(world *w, const accord_pubkey *author, const char *type, const char *incident,
	       const char *body_json, char *id_out)
{
	accord_entry_fields f = { 0 };
	accord_buf raw = ACCORD_BUF_INIT;
	accord_entry *e = NULL;
	cJSON *body = cJSON_Parse(body_json);
	int64_t seq = written_by(w, author->id) + 1;
	int error;

	assert_non_null(body);
	if (!strcmp(type, "member-revoke") && !cJSON_GetObjectItem(body, "cut")) {
		accord_pubkey k;

		memset(&k, 0, sizeof(k));
		assert_int_equal(accord_hex_decode(k.pk, sizeof(k.pk),
						   cJSON_GetObjectItem(body, "key")->valuestring),
				 0);
		accord_pubkey_set_id(&k);
		cJSON_AddNumberToObject(body, "cut", (double)written_by(w, k.id));
	}
	f.ledger = strcmp(type, "genesis") ? LEDGER : NULL;
	f.author = author;
	f.seq = seq;
	f.prev = seq > 1 ? LEDGER : NULL;
	f.lamport = ++w->lamport;
	f.time = 1795419079 + w->lamport;
	f.type = type;
	f.incident = incident;
	f.admission = seq == 1 && strcmp(type, "genesis") ? offer_for(w, author->id) : NULL;
	f.body = body;
	assert_int_equal(accord_entry_build(&raw, &f), 0);
	assert_int_equal(accord_entry_parse(&e, raw.ptr, raw.size), 0);
	/* signed as `author`'s SSH key type, which verification reads from the signature */
	e->author.type = author->type;
	memcpy(e->author.application, author->application, sizeof(e->author.application));
	error = accord_parties_apply(&w->p, e);
	if (id_out)
		memcpy(id_out, e->id, 65);
	w->applied[w->n] = error == 0;
	w->owned[w->n++] = e; /* the state may point at it */
	cJSON_Delete(body);
	accord_buf_dispose(&raw);
	return error;
}

static char *keybody(const accord_pubkey *k, const char *fmt_tail)
{
	static char buf[512];
	char hex[65];

	accord_hex_encode(hex, k->pk, 32);
	snprintf(buf, sizeof(buf), "{\"key\":\"%s\",%s}", hex, fmt_tail);
	return buf;
}

/* A key-rotate's body: the successor's key only. */
static char *rotbody(const accord_pubkey *k)
{
	static char buf[128];
	char hex[65];

	accord_hex_encode(hex, k->pk, 32);
	snprintf(buf, sizeof(buf), "{\"key\":\"%s\"}", hex);
	return buf;
}

static accord_pubkey alice, gina, gus, oscar, amy;

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));

	accord_parties_init(&w->p);
	make_key(&alice, 1, "alice");
	make_key(&gina, 2, "gina");
	make_key(&gus, 3, "gus");
	make_key(&oscar, 4, "oscar");
	make_key(&amy, 5, "amy");
	assert_int_equal(put(w, &alice, "genesis", NULL,
			     "{\"title\":\"\",\"party\":\"acme\",\"member\":\"alice\"}",
			     w->genesis_id),
			 0);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	size_t i;

	accord_parties_dispose(&w->p);
	for (i = 0; i < w->n; i++)
		accord_entry_free(w->owned[i]);
	free(w);
	return 0;
}

static const char open_both[] =
	"{\"title\":\"t\",\"severity\":2,\"service\":\"s\",\"started_at\":"
	"\"2026-11-20T10:00:00Z\",\"parties\":[\"acme\",\"globex\"],\"tickets\":[]}";

static void join_globex(world *w)
{
	char *body = keybody(&gina, "\"party\":\"globex\",\"member\":\"gina\"");
	char accept[256], invite[65];

	assert_int_equal(put(w, &alice, "party-invite", NULL, body, invite), 0);
	snprintf(accept, sizeof(accept), "{\"party\":\"globex\",\"invite\":\"%s\"}", invite);
	assert_int_equal(put(w, &gina, "party-accept", NULL, accept, NULL), 0);
}

static void test_party_invite_without_accept(void **state)
{
	world *w = *state;
	char *body = keybody(&gina, "\"party\":\"globex\",\"member\":\"gina\"");
	char invite[65], accept[256];

	assert_int_equal(put(w, &alice, "party-invite", NULL, body, invite), 0);
	snprintf(accept, sizeof(accept), "{\"party\":\"globex\",\"invite\":\"%s\"}", invite);
	assert_non_null(accord_parties_invite_for(&w->p, gina.id));
	assert_null(accord_parties_find(&w->p, "globex"));
	/* the invited key may write nothing but the accept */
	assert_int_equal(put(w, &gina, "open", NULL, open_both, NULL), ACCORD_EDENIED);
	assert_non_null(strstr(accord_error_last(), "not accepted"));
	/* accepting someone else's invitation or another party fails */
	assert_int_equal(put(w, &oscar, "party-accept", NULL,
			     "{\"party\":\"globex\",\"invite\":\"" LEDGER "\"}", NULL),
			 ACCORD_EDENIED);
	assert_int_equal(put(w, &gina, "party-accept", NULL,
			     "{\"party\":\"initech\",\"invite\":\"" LEDGER "\"}", NULL),
			 ACCORD_EDENIED);
	/* the accept must name the invitation itself */
	assert_int_equal(put(w, &gina, "party-accept", NULL,
			     "{\"party\":\"globex\",\"invite\":\"" LEDGER "\"}", NULL),
			 ACCORD_EDENIED);
	assert_int_equal(put(w, &gina, "party-accept", NULL, accept, NULL), 0);
	assert_non_null(accord_parties_find(&w->p, "globex"));
	assert_true(accord_parties_member(&w->p, gina.id)->root);
	/* an invitation cannot be replayed, and a party name is taken once */
	assert_int_equal(put(w, &gina, "party-accept", NULL, accept, NULL), ACCORD_EDENIED);
	body = keybody(&oscar, "\"party\":\"globex\",\"member\":\"o\"");
	assert_int_equal(put(w, &alice, "party-invite", NULL, body, NULL), ACCORD_EDENIED);
}

/* `k` as a hardware key of application `app`. */
static accord_pubkey as_sk(const accord_pubkey *k, const char *app)
{
	accord_pubkey sk = *k;

	sk.type = ACCORD_KEY_SK_ED25519;
	snprintf(sk.application, sizeof(sk.application), "%s", app);
	return sk;
}

/*
 * A key is admitted with its SSH key type, and every entry of it must be
 * signed as that very key: the same Ed25519 bytes as a plain key, as an
 * sk key, or under another FIDO application are a wrong signer.
 */
static void test_party_key_types(void **state)
{
	world *w = *state;
	accord_pubkey sam = as_sk(&oscar, "ssh:"), sam_other = as_sk(&oscar, "ssh:other");
	accord_pubkey gina_sk = as_sk(&gina, "ssh:accord"), pat_sk = as_sk(&amy, "ssh:");
	accord_pubkey gus_sk = as_sk(&gus, "ssh:");
	char body[512], invite[65], accept[256], cp[256];

	snprintf(cp, sizeof(cp), "{\"heads\":[{\"feed\":\"%s\",\"seq\":1,\"hash\":\"%s\"}]}",
		 alice.id, w->genesis_id);
	snprintf(body, sizeof(body), "%s",
		 keybody(&oscar,
			 "\"member\":\"sam\",\"admin\":false,"
			 "\"key_type\":\"sk-ssh-ed25519@openssh.com\",\"application\":\"ssh:\""));
	assert_int_equal(put(w, &alice, "member-add", NULL, body, NULL), 0);
	/* the first entry signed as the plain key: refused, and the key stays unaccepted */
	assert_int_equal(put(w, &oscar, "checkpoint", NULL, cp, NULL), ACCORD_EDENIED);
	assert_int_equal(w->p.last_rule, ACCORD_RULE_WRONG_KEY);
	assert_non_null(strstr(accord_error_last(), "admitted as sk-ssh-ed25519@openssh.com"));
	assert_int_equal(put(w, &sam, "checkpoint", NULL, cp, NULL), 0);
	assert_int_equal(accord_parties_member(&w->p, sam.id)->key.type, ACCORD_KEY_SK_ED25519);
	assert_int_equal(put(w, &sam_other, "checkpoint", NULL, cp, NULL), ACCORD_EDENIED);
	assert_int_equal(w->p.last_rule, ACCORD_RULE_WRONG_KEY);
	assert_int_equal(put(w, &oscar, "checkpoint", NULL, cp, NULL), ACCORD_EDENIED);
	assert_int_equal(put(w, &sam, "checkpoint", NULL, cp, NULL), 0);
	/* a plain member signing as an sk key */
	snprintf(body, sizeof(body), "%s", keybody(&gus, "\"member\":\"gus\",\"admin\":false"));
	assert_int_equal(put(w, &alice, "member-add", NULL, body, NULL), 0);
	assert_int_equal(put(w, &gus_sk, "checkpoint", NULL, cp, NULL), ACCORD_EDENIED);
	assert_int_equal(w->p.last_rule, ACCORD_RULE_WRONG_KEY);
	assert_non_null(strstr(accord_error_last(), "admitted as ssh-ed25519"));
	assert_int_equal(put(w, &gus, "checkpoint", NULL, cp, NULL), 0);
	/* an invitation names the type; the accept must be signed as it */
	snprintf(
		body, sizeof(body), "%s",
		keybody(&gina,
			"\"party\":\"globex\",\"member\":\"gina\","
			"\"key_type\":\"sk-ssh-ed25519@openssh.com\",\"application\":\"ssh:accord\""));
	assert_int_equal(put(w, &alice, "party-invite", NULL, body, invite), 0);
	snprintf(accept, sizeof(accept), "{\"party\":\"globex\",\"invite\":\"%s\"}", invite);
	assert_int_equal(put(w, &gina, "party-accept", NULL, accept, NULL), ACCORD_EDENIED);
	assert_int_equal(w->p.last_rule, ACCORD_RULE_WRONG_KEY);
	assert_null(accord_parties_find(&w->p, "globex"));
	assert_int_equal(put(w, &gina_sk, "party-accept", NULL, accept, NULL), 0);
	assert_int_equal(accord_parties_member(&w->p, gina.id)->key.type, ACCORD_KEY_SK_ED25519);
	/*
	 * Two parties offer one key with different types: the offer the key
	 * accepts says its type, not the first one made.
	 */
	snprintf(body, sizeof(body), "%s", keybody(&amy, "\"member\":\"pat\",\"admin\":false"));
	assert_int_equal(put(w, &gina_sk, "member-add", NULL, body, NULL), 0);
	snprintf(body, sizeof(body), "%s",
		 keybody(&amy,
			 "\"member\":\"pat\",\"admin\":false,"
			 "\"key_type\":\"sk-ssh-ed25519@openssh.com\",\"application\":\"ssh:\""));
	assert_int_equal(put(w, &alice, "member-add", NULL, body, NULL), 0);
	assert_int_equal(put(w, &pat_sk, "checkpoint", NULL, cp, NULL), 0);
	assert_string_equal(w->p.parties[accord_parties_member(&w->p, amy.id)->party].name, "acme");
	assert_int_equal(put(w, &amy, "checkpoint", NULL, cp, NULL), ACCORD_EDENIED);
}

static void test_party_admin_versus_member(void **state)
{
	world *w = *state;

	join_globex(w);
	assert_int_equal(put(w, &gina, "member-add", NULL,
			     keybody(&gus, "\"member\":\"gus\",\"admin\":false"), NULL),
			 0);
	/* a plain member may not add or revoke */
	assert_int_equal(put(w, &gus, "member-add", NULL,
			     keybody(&oscar, "\"member\":\"oscar\",\"admin\":false"), NULL),
			 ACCORD_EDENIED);
	assert_int_equal(
		put(w, &gus, "member-revoke", NULL, keybody(&gina, "\"reason\":\"x\""), NULL),
		ACCORD_EDENIED);
	/* an admin may add to its own party */
	assert_int_equal(put(w, &alice, "member-add", NULL,
			     keybody(&amy, "\"member\":\"amy\",\"admin\":true"), NULL),
			 0);
	assert_int_equal(put(w, &amy, "member-add", NULL,
			     keybody(&oscar, "\"member\":\"oscar\",\"admin\":false"), NULL),
			 0);
	assert_int_equal(accord_parties_member(&w->p, oscar.id)->party,
			 accord_parties_member(&w->p, amy.id)->party);
	/* but not revoke in another party, nor a root key */
	assert_int_equal(
		put(w, &amy, "member-revoke", NULL, keybody(&gus, "\"reason\":\"x\""), NULL),
		ACCORD_EDENIED);
	assert_int_equal(
		put(w, &amy, "member-revoke", NULL, keybody(&alice, "\"reason\":\"x\""), NULL),
		ACCORD_EDENIED);
	/* a key already in a party cannot be added again */
	assert_int_equal(put(w, &gina, "member-add", NULL,
			     keybody(&amy, "\"member\":\"amy\",\"admin\":false"), NULL),
			 ACCORD_EDENIED);
}

static void test_party_member_at_the_time_and_revoked_after(void **state)
{
	world *w = *state;
	char inc[65], note[128];

	join_globex(w);
	/* gus writes nothing before being added */
	assert_int_equal(put(w, &alice, "open", NULL, open_both, inc), 0);
	snprintf(note, sizeof(note), "{\"text\":\"early\"}");
	assert_int_equal(put(w, &gus, "note", inc, note, NULL), ACCORD_EDENIED);
	assert_int_equal(put(w, &gina, "member-add", NULL,
			     keybody(&gus, "\"member\":\"gus\",\"admin\":false"), NULL),
			 0);
	assert_int_equal(put(w, &gus, "note", inc, note, NULL), 0);
	assert_int_equal(put(w, &gina, "member-revoke", NULL,
			     keybody(&gus, "\"reason\":\"laptop lost\""), NULL),
			 0);
	assert_true(accord_parties_member(&w->p, gus.id)->revoked);
	assert_int_equal(put(w, &gus, "note", inc, note, NULL), ACCORD_EDENIED);
	assert_non_null(strstr(accord_error_last(), "revoked"));
	/* and a revoked key is never re-added */
	assert_int_equal(put(w, &gina, "member-add", NULL,
			     keybody(&gus, "\"member\":\"gus\",\"admin\":false"), NULL),
			 ACCORD_EDENIED);
}

/*
 * key-rotate: the successor takes the member's name, party and role once
 * its first entry accepts the rotation; the old key is cut at it.
 */
static void test_party_rotation(void **state)
{
	world *w = *state;
	const accord_member *m;
	char inc[65], rot[65];

	join_globex(w);
	assert_int_equal(put(w, &alice, "open", NULL, open_both, inc), 0);
	assert_int_equal(put(w, &gina, "member-add", NULL,
			     keybody(&gus, "\"member\":\"gus\",\"admin\":false"), NULL),
			 0);
	assert_int_equal(put(w, &gus, "note", inc, "{\"text\":\"before\"}", NULL), 0);
	/* a key already known is never anyone's successor */
	assert_int_equal(put(w, &gus, "key-rotate", NULL, rotbody(&alice), NULL), ACCORD_EDENIED);
	assert_int_equal(put(w, &gus, "key-rotate", NULL, rotbody(&oscar), rot), 0);
	m = accord_parties_member(&w->p, gus.id);
	assert_true(m->revoked);
	assert_int_equal(m->cut, 2);
	assert_ptr_equal(m->rotated_to, accord_parties_member(&w->p, oscar.id));
	/* the old key writes nothing more, not even another rotation */
	assert_int_equal(put(w, &gus, "note", inc, "{\"text\":\"after\"}", NULL), ACCORD_EDENIED);
	assert_int_not_equal(w->p.last_rule, ACCORD_RULE_NONE); /* a cut, not a fault */
	assert_int_equal(put(w, &gus, "key-rotate", NULL, rotbody(&amy), NULL), ACCORD_EDENIED);
	/* the successor: same name, party and role, admitted by the rotation */
	assert_int_equal(put(w, &oscar, "note", inc, "{\"text\":\"new key\"}", NULL), 0);
	m = accord_parties_member(&w->p, oscar.id);
	assert_string_equal(m->key.name, "gus");
	assert_string_equal(w->p.parties[m->party].name, "globex");
	assert_false(m->admin);
	assert_false(m->revoked);
	assert_string_equal(m->added_by, gus.id);
	/* a revocation naming the retired key reaches its successor */
	assert_int_equal(
		put(w, &gina, "member-revoke", NULL, keybody(&gus, "\"reason\":\"x\""), NULL), 0);
	m = accord_parties_member(&w->p, oscar.id);
	assert_true(m->revoked);
	assert_string_equal(m->revocation->type, "member-revoke");
	/* its cut is derived from the revocation's causal past (causal.h): t1004-devices.sh plays that */
	assert_int_equal(
		put(w, &gina, "member-revoke", NULL, keybody(&gus, "\"reason\":\"x\""), NULL),
		ACCORD_EDENIED);
}

/* A root key rotates: the party's root is the new key, which acts as root once it writes. */
static void test_party_root_rotation(void **state)
{
	world *w = *state;
	const accord_party *acme;

	assert_int_equal(put(w, &alice, "key-rotate", NULL, rotbody(&amy), NULL), 0);
	acme = accord_parties_find(&w->p, "acme");
	assert_non_null(acme);
	assert_string_equal(w->p.members[acme->root]->key.id, amy.id);
	assert_int_equal(put(w, &alice, "member-add", NULL,
			     keybody(&gus, "\"member\":\"gus\",\"admin\":false"), NULL),
			 ACCORD_EDENIED);
	assert_int_equal(put(w, &amy, "member-add", NULL,
			     keybody(&gus, "\"member\":\"gus\",\"admin\":false"), NULL),
			 0);
	assert_true(accord_parties_member(&w->p, amy.id)->root);
	assert_string_equal(accord_parties_member(&w->p, amy.id)->key.name, "alice");
	/* the root's successor is never revoked through its retired key */
	assert_int_equal(
		put(w, &amy, "member-revoke", NULL, keybody(&alice, "\"reason\":\"x\""), NULL),
		ACCORD_EDENIED);
}

static void test_party_incident_rules(void **state)
{
	world *w = *state;
	char inc[65], res[65], body[512];

	join_globex(w);
	/* an incident must involve the opener's party, and name existing parties */
	assert_int_equal(
		put(w, &alice, "open", NULL,
		    "{\"title\":\"t\",\"severity\":2,\"service\":\"s\",\"started_at\":\"2026-11-20T10:00:00Z\","
		    "\"parties\":[\"globex\"],\"tickets\":[]}",
		    NULL),
		ACCORD_EDENIED);
	assert_int_equal(
		put(w, &alice, "open", NULL,
		    "{\"title\":\"t\",\"severity\":2,\"service\":\"s\",\"started_at\":\"2026-11-20T10:00:00Z\","
		    "\"parties\":[\"acme\",\"initech\"],\"tickets\":[]}",
		    NULL),
		ACCORD_EDENIED);
	assert_int_equal(
		put(w, &alice, "open", NULL,
		    "{\"title\":\"t\",\"severity\":2,\"service\":\"s\",\"started_at\":\"2026-11-20T10:00:00Z\","
		    "\"parties\":[\"acme\"],\"tickets\":[]}",
		    inc),
		0);
	/* globex is not involved until someone involves it */
	assert_int_equal(put(w, &gina, "note", inc, "{\"text\":\"x\"}", NULL), ACCORD_EDENIED);
	assert_int_equal(put(w, &alice, "involve", inc, "{\"party\":\"globex\"}", NULL), 0);
	assert_int_equal(put(w, &gina, "note", inc, "{\"text\":\"x\"}", NULL), 0);
	/* a cosign must name a proposal of this incident */
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", inc);
	assert_int_equal(put(w, &gina, "cosign", inc, body, NULL), ACCORD_EDENIED);
	assert_int_equal(
		put(w, &alice, "resolution", inc,
		    "{\"summary\":\"s\",\"factors\":[],\"went_well\":[],\"went_wrong\":[],\"lucky\":[],"
		    "\"actions\":[{\"text\":\"a\",\"owners\":[\"globex\"]}]}",
		    res),
		0);
	snprintf(body, sizeof(body), "{\"proposal\":\"%s\"}", res);
	assert_int_equal(put(w, &gina, "cosign", inc, body, NULL), 0);
	/* the action item is globex's */
	snprintf(body, sizeof(body), "{\"resolution\":\"%s\",\"action\":1,\"state\":\"done\"}",
		 res);
	assert_int_equal(put(w, &alice, "action", inc, body, NULL), ACCORD_EDENIED);
	assert_int_equal(put(w, &gina, "action", inc, body, NULL), 0);
	snprintf(body, sizeof(body), "{\"resolution\":\"%s\",\"action\":2,\"state\":\"done\"}",
		 res);
	assert_int_equal(put(w, &gina, "action", inc, body, NULL), ACCORD_EDENIED);
	/* notes on an incident that does not exist */
	assert_int_equal(put(w, &alice, "note", LEDGER, "{\"text\":\"x\"}", NULL), ACCORD_EDENIED);
	/* a second genesis */
	assert_int_equal(put(w, &oscar, "genesis", NULL,
			     "{\"title\":\"\",\"party\":\"evil\",\"member\":\"o\"}", NULL),
			 ACCORD_EDENIED);
}

/* Names a reader takes for one name are one name; a name that reads differently is not. */
static void test_party_names_alike(void **state)
{
	static const char *const alike[][2] = {
		{ "acme", "ACME" },	  { "acme", "acrne" },	   { "globex", "gIobex" },
		{ "globex", "g1obex" },	  { "globex", "GL0BEX" },  { "acme-eu", "acme_eu" },
		{ "acme-eu", "ACME.EU" }, { "vvidget", "widget" }, { "rnm", "mm" },
	};
	static const char *const apart[][2] = {
		{ "acme", "acme-eu" }, { "acme", "acne" },  { "globex", "giobex" },
		{ "acme", "acm" },     { "acme", "acme_" }, { "initech", "lnitech2" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(alike) / sizeof(*alike); i++) {
		assert_int_equal(accord_party_names_alike(alike[i][0], alike[i][1]), 1);
		assert_int_equal(accord_party_names_alike(alike[i][1], alike[i][0]), 1);
	}
	for (i = 0; i < sizeof(apart) / sizeof(*apart); i++)
		assert_int_equal(accord_party_names_alike(apart[i][0], apart[i][1]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_party_names_alike),
		cmocka_unit_test_setup_teardown(test_party_invite_without_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_party_key_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_party_admin_versus_member, setup, teardown),
		cmocka_unit_test_setup_teardown(test_party_member_at_the_time_and_revoked_after,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_party_incident_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_party_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_party_root_rotation, setup, teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
