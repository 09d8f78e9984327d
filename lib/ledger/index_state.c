/*
 * The index's state file: the verified feed heads and Lamport clock, the
 * findings, the membership after the last entry, each feed's furthest
 * verified point (the rollback guard), and the tags of the files below.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "encode.h"
#include "accord/error.h"
#include "json.h"
#include "accord/incident.h"
#include "accord/timefmt.h"

#include <sodium.h>

#include "index.h"
#include "index_impl.h"
#include "alloc.h"

void accord_index_raise_mark(struct accord_index *ix, const char *keyid, int64_t seq,
			     const char *id)
{
	high_mark *h = accord_idmap_get(&ix->high, keyid);

	if (!h) {
		if (!(h = calloc(1, sizeof(*h))))
			accord_oom();
		snprintf(h->keyid, sizeof(h->keyid), "%.32s", keyid);
		accord_idmap_put(&ix->high, h->keyid, h);
	}
	if (seq > h->seq || !h->id[0]) {
		h->seq = seq;
		snprintf(h->id, sizeof(h->id), "%.64s", id);
	}
}

int accord_index_high_line(struct accord_index *ix, char *line)
{
	long long seq;
	char *f[5];

	if (strncmp(line, "high ", 5) != 0 || accord_index_fields(f, 5, line) != 4 ||
	    !accord_is_lower_hex(f[1], ACCORD_KEYID_HEXLEN) ||
	    accord_index_number(&seq, f[2]) < 0 || !accord_is_lower_hex(f[3], ACCORD_ID_HEXLEN))
		return -1;
	accord_index_raise_mark(ix, f[1], seq, f[3]);
	return 0;
}

int accord_index_check_feed(const accord_ledger *l, const char *keyid, int64_t seq)
{
	struct accord_index scratch;
	char *dir = NULL;
	int error = 0;

	/* A ledger loaded without the index still obeys the marks the index kept. */
	if (!l->index) {
		memset(&scratch, 0, sizeof(scratch));
		if (accord_store_state_path(&dir, l->store, "index") == 0)
			accord_index_carry_marks(&scratch, dir);
		error = accord_index_check_mark(&scratch, keyid, seq);
		free(dir);
		accord_index_marks_dispose(&scratch);
		return error;
	}
	return accord_index_check_mark(l->index, keyid, seq);
}

int accord_index_check_mark(const struct accord_index *ix, const char *keyid, int64_t seq)
{
	const high_mark *h = accord_idmap_get(&ix->high, keyid);

	if (h && h->seq > seq)
		return accord_error_set(
			ACCORD_EBADSIG,
			"feed %s was rolled back: this repository verified it up to seq %lld (entry %.12s), "
			"it now ends at seq %lld; writing would sign a second entry with the same "
			"sequence number. Restore the feed first (accord sync with a copy that has it)",
			keyid, (long long)h->seq, h->id, (long long)seq);
	return 0;
}

/* A stand-in for a feed's last entry: what appending needs (id, seq, time, Lamport clock). */
static accord_entry *stub_entry(accord_ledger *l, const char *id, int64_t seq, int64_t lamport,
				int64_t time)
{
	accord_entry *e = calloc(1, sizeof(*e));
	accord_entry **no;

	if (!e)
		accord_oom();
	snprintf(e->id, sizeof(e->id), "%.64s", id);
	e->seq = seq;
	e->lamport = lamport;
	e->time = time;
	/* owned by the ledger through its orphan list: never shown, freed with it */
	no = realloc(l->orphans, (l->orphan_count + 1) * sizeof(*no));
	if (!no)
		accord_oom();
	l->orphans = no;
	no[l->orphan_count++] = e;
	return e;
}

/*
 * A digest of refs/accord/evidence/ (names and targets): new proof of
 * equivocation changes what counts, so the state is rebuilt when it moves.
 */
void accord_index_evidence_digest(char *out, accord_store *store)
{
	git_strarray refs = { NULL, 0 };
	git_oid *ids = NULL;
	accord_buf text = ACCORD_BUF_INIT;
	unsigned char hash[32];
	size_t i;

	if (accord_store_ref_heads(&refs, &ids, store, ACCORD_EVIDENCE_PREFIX) == 0) {
		for (i = 0; i < refs.count; i++) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, sizeof(hex), &ids[i]);
			accord_buf_printf(&text, "%s %s\n", refs.strings[i], hex);
		}
		git_strarray_dispose(&refs);
		free(ids);
	}
	accord_error_clear();
	accord_sha256(hash, text.ptr ? text.ptr : "", text.size);
	accord_hex_encode(out, hash, sizeof(hash));
	accord_buf_dispose(&text);
}

int accord_index_save_state(accord_ledger *l)
{
	const accord_parties *p = &l->parties;
	accord_buf path = ACCORD_BUF_INIT, data = ACCORD_BUF_INIT;
	size_t i;
	unsigned b;
	int error;

	/* the files below the state first: it must vouch for what is there */
	if ((error = accord_index_flush_buckets(l->index)) < 0 ||
	    (error = accord_index_anchors_update(l)) < 0)
		return error;
	accord_index_recent_save(l->index);
	if (!l->index->evidence[0])
		accord_index_evidence_digest(l->index->evidence, l->store);
	accord_buf_printf(&data, "%s\nledger %s\nlamport %lld\nevidence %s\nopens %zu %s\n",
			  INDEX_VERSION, l->id, (long long)l->max_lamport, l->index->evidence,
			  l->index->opens, l->index->opens ? l->index->opens_head : "-");
	for (b = 0; b < SHELVES; b++) {
		char hex[2 * TAG_LEN + 1];

		if (!l->index->has_shelf[b])
			continue;
		accord_hex_encode(hex, l->index->shelf_tag[b], TAG_LEN);
		accord_buf_printf(&data, "shelf %02x %s\n", b, hex);
	}
	accord_index_anchors_save(&data, l->index);
	accord_index_recent_state(&data, l->index);
	for (i = 0; i < l->feed_count; i++) {
		const accord_feed *f = &l->feeds[i];
		char head[GIT_OID_HEXSZ + 1];

		git_oid_tostr(head, sizeof(head), &f->head);
		accord_buf_printf(&data, "feed %s %s %lld %s %lld %lld\n", f->keyid, head,
				  (long long)f->seq, f->last->id, (long long)f->last->lamport,
				  (long long)f->last->time);
	}
	/* Feed refs that point past what counts: unchanged, they need no new verdict. */
	for (i = 0; i < l->beyond_count; i++) {
		char head[GIT_OID_HEXSZ + 1], first[GIT_OID_HEXSZ + 1], seen[GIT_OID_HEXSZ + 1];

		git_oid_tostr(head, sizeof(head), &l->beyond[i].head);
		git_oid_tostr(first, sizeof(first), &l->beyond[i].first_out);
		git_oid_tostr(seen, sizeof(seen), &l->beyond[i].seen_at);
		accord_buf_printf(&data, "beyond %s %s %s %lld %d %lld %s\n", l->beyond[i].keyid,
				  head, first, (long long)l->beyond[i].first_seq,
				  l->beyond[i].holes, (long long)l->beyond[i].seen_top, seen);
	}
	accord_buf_printf(&data, "leftout %zu\n", l->left_out);
	for (i = 0; i < l->finding_count; i++) {
		const accord_finding *f = &l->findings[i];
		const char *x;

		accord_buf_printf(&data, "finding %s %s %lld %s %s ",
				  accord_audit_kind_name(f->kind), f->feed[0] ? f->feed : "-",
				  (long long)f->seq, f->commit[0] ? f->commit : "-",
				  f->entry[0] ? f->entry : "-");
		for (x = f->explanation ? f->explanation : ""; *x; x++)
			accord_buf_putc(&data, *x == '\n' || *x == '\r' ? ' ' : *x);
		accord_buf_putc(&data, '\n');
	}
	for (i = 0; i < l->feed_count; i++)
		accord_index_raise_mark(l->index, l->feeds[i].keyid, l->feeds[i].seq,
					l->feeds[i].last->id);
	for (i = 0; i < l->index->high.size; i++) {
		const high_mark *h =
			l->index->high.slots[i].key ? l->index->high.slots[i].value : NULL;

		if (h)
			accord_buf_printf(&data, "high %s %lld %s\n", h->keyid, (long long)h->seq,
					  h->id);
	}
	for (i = 0; i < p->party_count; i++)
		accord_buf_printf(&data, "party %s %lld %s %s\n", p->parties[i].name,
				  (long long)p->parties[i].joined,
				  p->parties[i].recovery[0] ? p->parties[i].recovery : "-",
				  p->parties[i].inviter < p->party_count
					  ? p->parties[p->parties[i].inviter].name
					  : "-");
	for (i = 0; i < p->member_count; i++) {
		const accord_member *m = p->members[i];
		char pk[65];

		accord_hex_encode(pk, m->key.pk, sizeof(m->key.pk));
		accord_buf_printf(
			&data, "member %s%s%s %s %zu %d %d %d %lld %lld %lld %lld %d %s\n", pk,
			KEY_TYPE_SUFFIX(&m->key), m->key.name, m->party, m->root, m->admin,
			m->revoked, (long long)m->added, (long long)m->revoked_at,
			(long long)m->cut, (long long)m->valid_until, m->accepted,
			m->added_by[0] ? m->added_by : "-");
	}
	/* a rotation its successor took up: the admin keeps its authority over what its old key admitted */
	for (i = 0; i < p->member_count; i++)
		if (accord_parties_rotation_taken_up(p, p->members[i]))
			accord_buf_printf(&data, "rotated %s %s\n", p->members[i]->key.id,
					  p->members[i]->rotated_to->key.id);
	for (i = 0; i < p->invite_count; i++) {
		const accord_invite *inv = &p->invites[i];
		char pk[65];

		accord_hex_encode(pk, inv->key.pk, sizeof(inv->key.pk));
		accord_buf_printf(&data, "invite %s%s%s %s %s %s %lld %d %s\n", pk,
				  KEY_TYPE_SUFFIX(&inv->key), inv->party, inv->member,
				  inv->entry_id, (long long)inv->time, inv->accepted,
				  p->parties[inv->by_party].name);
	}
	for (i = 0; i < p->agreement_count; i++) {
		accord_buf_puts(&data, "agreement ");
		accord_agreement_save(&data, p->agreements[i]);
		accord_buf_putc(&data, '\n');
	}
	accord_buf_puts(&data, "end\n");
	error = accord_index_write_sealed(l->index->state_tag, l->index, "state", &data);
	accord_buf_dispose(&path);
	accord_buf_dispose(&data);
	if (error == 0)
		l->index->dirty = 0;
	return error;
}

/* "<64 hex>", or "<64 hex>:<application>" for an sk key (an application has no space). */
static int parse_pubkey(accord_pubkey *k, const char *hex)
{
	char head[65];

	memset(k, 0, sizeof(*k));
	if (strlen(hex) < 64)
		return -1;
	memcpy(head, hex, 64);
	head[64] = '\0';
	if (!accord_is_lower_hex(head, 64) || accord_hex_decode(k->pk, sizeof(k->pk), head) < 0)
		return -1;
	if (hex[64] == ':') {
		if (!accord_sk_application_valid(hex + 65))
			return -1;
		k->type = ACCORD_KEY_SK_ED25519;
		memcpy(k->application, hex + 65, strlen(hex + 65) + 1);
	} else if (hex[64]) {
		return -1;
	}
	accord_pubkey_set_id(k);
	return 0;
}

/* "<kind> <feed|-> <seq> <commit|-> <entry|-> <explanation>" back into a finding. */
static int restore_finding(accord_ledger *l, const char *line)
{
	char kind[40], feed[40], commit[48], entry[72];
	long long seq;
	int used = 0, k;
	accord_finding *f, *nf;

	if (sscanf(line, "%39s %39s %lld %47s %71s %n", kind, feed, &seq, commit, entry, &used) !=
		    5 ||
	    !used)
		return -1;
	for (k = 0; k < ACCORD_AUDIT_KIND_COUNT &&
		    strcmp(accord_audit_kind_name((accord_audit_kind)k), kind);
	     k++)
		;
	if (k == ACCORD_AUDIT_KIND_COUNT)
		return -1;
	if (!(nf = realloc(l->findings, (l->finding_count + 1) * sizeof(*nf))))
		accord_oom();
	l->findings = nf;
	f = &nf[l->finding_count++];
	memset(f, 0, sizeof(*f));
	f->kind = (accord_audit_kind)k;
	f->set_aside = accord_audit_kind_sets_aside(f->kind);
	f->seq = seq;
	snprintf(f->feed, sizeof(f->feed), "%.32s", strcmp(feed, "-") ? feed : "");
	snprintf(f->commit, sizeof(f->commit), "%.40s", strcmp(commit, "-") ? commit : "");
	snprintf(f->entry, sizeof(f->entry), "%.64s", strcmp(entry, "-") ? entry : "");
	if (!(f->explanation = strdup(line + used)))
		accord_oom();
	return 0;
}

/* A new indexed ledger with no entries, for index folder `dir` of `store`, tagging with `key`. */
accord_ledger *accord_index_shell(accord_store *store, const char *dir, const unsigned char *key)
{
	accord_ledger *l = calloc(1, sizeof(*l));

	if (!l || !(l->index = calloc(1, sizeof(*l->index))) || !(l->index->dir = strdup(dir)))
		accord_oom();
	l->store = store;
	accord_parties_init(&l->parties);
	memcpy(l->index->key, key, sizeof(l->index->key));
	return l;
}

/* What state_line says of a line besides 0 (taken): */
#define LINE_BAD (-1) /* not a line of this version's state file */
#define LINE_END 1    /* "end": every line before it was written */

static int state_feed(accord_ledger *l, char *line)
{
	char a[300], b[300], c[300], d[300], *f[8];
	long long x, y, z;
	int holes = 0;

	if (!strncmp(line, "feed ", 5)) {
		/* feed <keyid> <head> <seq> <last entry> <its lamport> <its time> */
		accord_feed *nf;

		if (accord_index_fields(f, 8, line) != 7 ||
		    !accord_is_lower_hex(f[1], ACCORD_KEYID_HEXLEN) ||
		    !accord_is_lower_hex(f[2], GIT_OID_HEXSZ) ||
		    !accord_is_lower_hex(f[4], ACCORD_ID_HEXLEN) ||
		    accord_index_number(&x, f[3]) < 0 || accord_index_number(&y, f[5]) < 0 ||
		    accord_index_number(&z, f[6]) < 0)
			return LINE_BAD;
		if (!(nf = realloc(l->feeds, (l->feed_count + 1) * sizeof(*nf))))
			accord_oom();
		l->feeds = nf;
		nf += l->feed_count++;
		memset(nf, 0, sizeof(*nf));
		if (git_oid_fromstr(&nf->head, f[2]) < 0)
			return LINE_BAD;
		memcpy(nf->keyid, f[1], sizeof(nf->keyid));
		nf->seq = x;
		nf->last = stub_entry(l, f[4], x, y, z);
		return 0;
	}
	if (sscanf(line, "beyond %32s %40s %40s %lld %d %lld %40s", a, b, c, &x, &holes, &y, d) ==
	    7) {
		accord_beyond *nb = realloc(l->beyond, (l->beyond_count + 1) * sizeof(*nb));

		if (!nb)
			accord_oom();
		l->beyond = nb;
		nb += l->beyond_count++;
		memset(nb, 0, sizeof(*nb));
		if (!accord_is_lower_hex(a, 32) || git_oid_fromstr(&nb->head, b) < 0 ||
		    git_oid_fromstr(&nb->first_out, c) < 0)
			return LINE_BAD;
		memcpy(nb->keyid, a, sizeof(nb->keyid));
		nb->first_seq = x;
		nb->holes = holes == 1;
		nb->seen_top = y;
		if (y < 0 || git_oid_fromstr(&nb->seen_at, d) < 0)
			return LINE_BAD;
		return 0;
	}
	return LINE_BAD;
}

/* Lines of the parties' state: party, member, invite, agreement. */
static int state_parties(accord_ledger *l, char *line)
{
	char a[300], b[300], c[300], d[300], e[300];
	const accord_party *by;
	long long x, y, w, cut, until;
	int i1;

	if (!strncmp(line, "party ", 6) &&
	    sscanf(line, "party %299s %lld %299s %299s", a, &x, b, c) == 4) {
		size_t pi;

		/* a name conflict is resolved by causal pasts, which only the engine has */
		if (accord_parties_find(&l->parties, a))
			return NAME_CONFLICT;
		pi = accord_parties_restore_party(&l->parties, a, x);
		if (strcmp(b, "-") != 0) {
			if (!accord_is_lower_hex(b, ACCORD_ID_HEXLEN))
				return LINE_BAD;
			memcpy(l->parties.parties[pi].recovery, b, ACCORD_ID_HEXLEN + 1);
		}
		if (strcmp(c, "-") != 0) {
			/* its inviter came first; restored state has no name twice */
			if (!(by = accord_parties_find(&l->parties, c)) ||
			    by == &l->parties.parties[pi])
				return LINE_BAD;
			l->parties.parties[pi].inviter = (size_t)(by - l->parties.parties);
		}
		return 0;
	}
	if (!strncmp(line, "member ", 7)) {
		/*
		 * member <key> <name> <party> <root> <admin> <revoked> <added>
		 * <revoked at> <cut> <valid until> <accepted> <added by|->
		 */
		long long flag[4];
		accord_pubkey k;
		accord_member *m;
		char *f[14];

		if (accord_index_fields(f, 14, line) != 13 || parse_pubkey(&k, f[1]) < 0 ||
		    accord_index_number(&w, f[3]) < 0 || w < 0 ||
		    (size_t)w >= l->parties.party_count ||
		    accord_index_number(&flag[0], f[4]) < 0 ||
		    accord_index_number(&flag[1], f[5]) < 0 ||
		    accord_index_number(&flag[2], f[6]) < 0 || accord_index_number(&x, f[7]) < 0 ||
		    accord_index_number(&y, f[8]) < 0 || accord_index_number(&cut, f[9]) < 0 ||
		    accord_index_number(&until, f[10]) < 0 ||
		    accord_index_number(&flag[3], f[11]) < 0)
			return LINE_BAD;
		for (i1 = 0; i1 < 4; i1++)
			if (flag[i1] < 0 || flag[i1] > 1)
				return LINE_BAD;
		snprintf(k.name, sizeof(k.name), "%.64s",
			 f[2]); /* 64 characters, as the name rule allows */
		m = accord_parties_restore_member(&l->parties, &k, (size_t)w);
		m->root = (int)flag[0];
		m->admin = (int)flag[1];
		m->revoked = (int)flag[2];
		m->added = x;
		m->revoked_at = y;
		m->cut = cut;
		m->valid_until = until;
		m->accepted = (int)flag[3];
		if (strcmp(f[12], "-") != 0)
			snprintf(m->added_by, sizeof(m->added_by), "%.32s", f[12]);
		if (m->root)
			l->parties.parties[w].root = l->parties.member_count - 1;
		return 0;
	}
	if (sscanf(line, "rotated %299s %299s", a, b) == 2) {
		accord_member *from = (accord_member *)accord_parties_member(&l->parties, a);
		const accord_member *to = accord_parties_member(&l->parties, b);

		if (!from || !to || from == to)
			return LINE_BAD;
		from->rotated_to = to;
		return 0;
	}
	if (sscanf(line, "invite %299s %299s %299s %299s %lld %d %299s", a, b, c, d, &x, &i1, e) ==
	    7) {
		accord_invite *inv = accord_parties_restore_invite(&l->parties);

		if (parse_pubkey(&inv->key, a) < 0 || !accord_is_lower_hex(d, 64))
			return LINE_BAD;
		snprintf(inv->party, sizeof(inv->party), "%.64s", b);
		snprintf(inv->member, sizeof(inv->member), "%.64s", c);
		memcpy(inv->entry_id, d, sizeof(inv->entry_id));
		inv->time = x;
		inv->accepted = i1;
		if (!(by = accord_parties_find(&l->parties, e))) /* every invite has its inviter */
			return LINE_BAD;
		inv->by_party = (size_t)(by - l->parties.parties);
		return 0;
	}
	if (!strncmp(line, "agreement ", 10)) {
		accord_agreement *ag = accord_agreement_load(line + 10);

		if (!ag)
			return LINE_BAD;
		accord_parties_restore_agreement(&l->parties, ag);
		return 0;
	}
	return LINE_BAD;
}

/* One line of the state file (after its version line) into `l`. */
static int state_line(accord_ledger *l, char *line)
{
	char a[300];
	long long x;

	/*
	 * Picked by keyword first: the shelf and anchor lines grow with the
	 * ledger (an anchor every 64 entries of a feed), and each sscanf tried
	 * in turn on them would cost as much as reading the line.
	 */
	if (!strncmp(line, "shelf ", 6)) {
		/* "shelf <ab> <tag>" */
		unsigned char sh = 0;

		if (strlen(line) != 6 + 3 + 2 * TAG_LEN || line[8] != ' ')
			return LINE_BAD;
		line[8] = '\0';
		if (!accord_is_lower_hex(line + 6, 2) || accord_hex_decode(&sh, 1, line + 6) < 0 ||
		    accord_hex_decode(l->index->shelf_tag[sh], TAG_LEN, line + 9) < 0)
			return LINE_BAD;
		l->index->has_shelf[sh] = 1;
	} else if (!strncmp(line, "recent ", 7)) {
		return accord_index_recent_line(l->index, line) < 0 ? LINE_BAD : 0;
	} else if (!strncmp(line, "anchor", 6)) {
		return accord_index_anchors_line(l->index, line) < 0 ? LINE_BAD : 0;
	} else if (!strncmp(line, "feed ", 5) || !strncmp(line, "beyond ", 7)) {
		return state_feed(l, line);
	} else if (!strncmp(line, "member ", 7)) {
		return state_parties(l, line);
	} else if (!strncmp(line, "high ", 5)) {
		if (accord_index_high_line(l->index, line) < 0)
			return LINE_BAD;
	} else if (!strncmp(line, "finding ", 8)) {
		if (restore_finding(l, line + 8) < 0)
			return LINE_BAD;
	} else if (sscanf(line, "ledger %64s", a) == 1 && accord_is_lower_hex(a, 64)) {
		memcpy(l->id, a, sizeof(l->id));
	} else if (sscanf(line, "evidence %64s", a) == 1 && accord_is_lower_hex(a, 64)) {
		memcpy(l->index->evidence, a, sizeof(l->index->evidence));
	} else if (sscanf(line, "lamport %lld", &x) == 1) {
		l->max_lamport = x;
	} else if (sscanf(line, "opens %lld %32s", &x, a) == 2 && x >= 0) {
		l->index->opens = (size_t)x;
		if (x == 0 ? strcmp(a, "-") != 0 : !accord_is_lower_hex(a, 2 * LINE_TAG_LEN))
			return LINE_BAD;
		if (x)
			memcpy(l->index->opens_head, a, sizeof(l->index->opens_head));
	} else if (sscanf(line, "leftout %lld", &x) == 1 && x >= 0) {
		l->left_out = (size_t)x;
	} else if (strcmp(line, "end") == 0) {
		return LINE_END;
	} else {
		return state_parties(l, line);
	}
	return 0;
}

/*
 * Read the state file into a new indexed ledger. ACCORD_ENOTFOUND /
 * ACCORD_EINVALID (damaged, or it does not authenticate): rebuild.
 */
int accord_index_load_state(accord_ledger **out, accord_store *store, const char *dir,
			    const unsigned char *key)
{
	accord_buf data = ACCORD_BUF_INIT;
	accord_ledger *l = accord_index_shell(store, dir, key);
	char *line, *save = NULL;
	int error, n = 0, ended = 0;

	if ((error = accord_index_read_sealed(&data, l->index->state_tag, l->index, "state")) < 0)
		goto fail;
	for (line = strtok_r(data.ptr, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		if (n == 0) {
			if (strcmp(line, INDEX_VERSION) != 0)
				goto bad;
			continue;
		}
		if ((error = state_line(l, line)) == LINE_BAD)
			goto bad;
		if (error == NAME_CONFLICT)
			goto fail;
		ended |= error == LINE_END;
	}
	if (!ended || !l->id[0])
		goto bad;
	for (n = 0; (size_t)n < l->finding_count; n++)
		if (l->findings[n].feed[0])
			accord_parties_label(l->findings[n].label, sizeof(l->findings[n].label),
					     &l->parties, l->findings[n].feed);
	accord_buf_dispose(&data);
	*out = l;
	return 0;
bad:
	error = accord_error_set(ACCORD_EINVALID, "the index state in %s is damaged", dir);
fail:
	accord_buf_dispose(&data);
	accord_ledger_free(l);
	return error;
}
