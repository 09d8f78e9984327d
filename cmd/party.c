/* accord party invite|accept|list and accord member add|revoke|list. */
#include <stdlib.h>
#include <string.h>

#include "accord/sync.h"
#include "cmd.h"

static const char party_usage[] =
	"usage: accord party invite NAME --key PUBKEY [--name MEMBER]\n"
	"       accord party accept NAME [--ledger ID] [--recovery DIR]\n"
	"       accord party recover NAME --recovery DIR --key PUBKEY [--name MEMBER]\n"
	"                            [--offline]\n"
	"       accord party list [--json]\n\n"
	"  invite  propose party NAME with PUBKEY as its root key (signed by a root\n"
	"          or admin of your party). PUBKEY is an OpenSSH ssh-ed25519 line, or\n"
	"          an sk-ssh-ed25519@openssh.com line (a hardware key), or a file\n"
	"          holding one (such as the output of accord key show). Prints\n"
	"          the invitation's id, and on stderr the commands the invitee runs,\n"
	"          with the ledger id: send them along with the invitation.\n"
	"  accept  signed by the invited key: complete the join. Until then that key\n"
	"          may write nothing else. --ledger ID: the ledger id the inviter\n"
	"          sent; a ledger with another id is refused (exit 3), nothing written.\n"
	"          Commits to the party's recovery key (the key in --recovery DIR, else\n"
	"          <key home>/recovery, made if missing): keep it offline.\n"
	"  recover signed by party NAME's recovery key (in DIR): make PUBKEY its root\n"
	"          key and revoke the old one, when that key is lost, stolen or forked.\n"
	"          Commits to a next recovery key, made in DIR/next. Needs no other key\n"
	"          and no other party: no one else can take a party over. It first\n"
	"          syncs with every remote, since the old key is cut at its last entry\n"
	"          this copy holds (its later work, and parties it invited, would be\n"
	"          set aside); --offline: this copy holds all of it, sync nothing.\n"
	"  list    parties, their root keys and pending invitations.\n";
static const char member_usage[] =
	"usage: accord member add --key PUBKEY [--name NAME] [--admin | --role ROLE]\n"
	"       accord member revoke KEYID|NAME [--reason TEXT]\n"
	"       accord member accept PARTY\n"
	"       accord member vouch KEY\n"
	"       accord member list [--json]\n\n"
	"  add     add a member key to your party (you must be its root or an admin).\n"
	"          PUBKEY is an OpenSSH ssh-ed25519 or sk-ssh-ed25519@openssh.com\n"
	"          (hardware key) line, or a file holding one.\n"
	"          One key per machine: a NAME that is already a member of your\n"
	"          party gets PUBKEY as another device key (its own feed); its role\n"
	"          is ROLE (member or admin; --admin is --role admin), else that\n"
	"          member's role (a root's other devices are admins: a party has one\n"
	"          root key).\n"
	"  accept  when several parties added your key, join PARTY: your key's first\n"
	"          entry (a checkpoint) accepts PARTY's member-add; the others never\n"
	"          take effect. With one such party your first write accepts it.\n"
	"  revoke  revoke a member key of your party from now on; what it signed\n"
	"          before stays valid. KEYID is a key id (or unique prefix); a\n"
	"          member name of your party names its key when it has only one\n"
	"          active key (else exit 2, listing them: give the key id). The\n"
	"          member's other device keys stay.\n"
	"  vouch   after a member's old key was used again past its rotation, or an\n"
	"          admin's key forked where it added a member, make the admission of\n"
	"          KEY count again (you must be an admin of its party); accord member\n"
	"          vouch --help says more.\n"
	"  list    every member of every party, its keys grouped under its name:\n"
	"          role, key id, added, revoked; '*' marks this machine's key.\n";

/*
 * PUBKEY: an OpenSSH line, or the path of a file whose first ssh-ed25519
 * or sk-ssh-ed25519@openssh.com (hardware key) line is used.
 */
static int read_pubkey(accord_ctx *ctx, accord_pubkey *out, const char *arg)
{
	accord_buf file = ACCORD_BUF_INIT;
	char *line, *save = NULL;
	int error;

	if (!strncmp(arg, "ssh-", 4) || !strncmp(arg, "sk-", 3)) {
		if (accord_pubkey_from_openssh(out, arg) < 0)
			return cmd_usage_error(ctx, "--key: %s", accord_error_last());
		return 0;
	}
	if ((error = accord_buf_read_file(&file, arg, 16384)) < 0) {
		accord_buf_dispose(&file);
		return cmd_usage_error(ctx,
				       "--key takes an ssh-ed25519 or " ACCORD_KEY_TYPE_SK
				       " line or a file holding one: %s",
				       accord_error_last());
	}
	for (line = strtok_r(file.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if ((!strncmp(line, "ssh-ed25519 ", 12) ||
		     !strncmp(line, ACCORD_KEY_TYPE_SK " ", sizeof(ACCORD_KEY_TYPE_SK))) &&
		    accord_pubkey_from_openssh(out, line) == 0) {
			accord_buf_dispose(&file);
			return 0;
		}
	}
	accord_buf_dispose(&file);
	return cmd_usage_error(ctx,
			       "%s holds no ssh-ed25519 or " ACCORD_KEY_TYPE_SK " public key line",
			       cmd_esc(arg, 0));
}

/*
 * What the invitee runs, with the ledger id: a hub could serve them a
 * look-alike ledger (same names, an invitation for their key), and the id
 * is what tells the two apart. The URL is this ledger's only remote if it
 * has exactly one; the invitee's path to the hub may differ all the same.
 */
static void print_invitee_commands(accord_ctx *ctx, const char *party, const char *keyid)
{
	git_strarray names = { NULL, 0 };
	char *url = NULL;
	const char *id = accord_ledger_id(ctx->ledger);

	if (accord_sync_remote_list(&names, ctx->store) == 0 && names.count == 1)
		accord_sync_remote_url(&url, NULL, ctx->store, names.strings[0]);
	git_strarray_dispose(&names);
	fprintf(stderr,
		"accord: invited party %s (root key %s). The invitee runs, with this ledger id:\n",
		cmd_esc(party, 0), keyid);
	fprintf(stderr, "  accord clone %s %s --ledger %s\n", url ? cmd_esc(url, 0) : "URL",
		cmd_esc(party, 0), id);
	fprintf(stderr, "  cd %s && accord party accept %s --ledger %s\n", cmd_esc(party, 0),
		cmd_esc(party, 0), id);
	free(url);
}

static int party_invite(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyarg = NULL, *name = NULL;
	char hex[65];
	accord_pubkey pub;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'k': keyarg = optarg; break;
		case 'n': name = optarg; break;
		case 'h': fputs(party_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected the new party's name");
	if (!keyarg)
		return cmd_usage_error(ctx, "--key PUBKEY is required");
	if (!cmd_valid_name(argv[optind]))
		return cmd_usage_error(
			ctx, "invalid party name '%s': use letters, digits, '.', '_' and '-'",
			argv[optind]);
	if ((error = read_pubkey(ctx, &pub, keyarg)))
		return error;
	if (!name)
		name = cmd_valid_name(pub.name) ? pub.name : "root";
	if (!cmd_valid_name(name))
		return cmd_usage_error(ctx, "invalid member name '%s'", name);
	if ((error = cmd_setup(ctx)))
		return error;
	accord_hex_encode(hex, pub.pk, sizeof(pub.pk));
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "party", argv[optind]);
	cJSON_AddStringToObject(body, "key", hex);
	cJSON_AddStringToObject(body, "member", name);
	accord_body_add_key_type(body, &pub);
	if ((error = cmd_write(ctx, "party-invite", NULL, body)))
		return error;
	print_invitee_commands(ctx, argv[optind], pub.id);
	return 0;
}

static int party_accept(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ledger", required_argument, NULL, 'l' },
		{ "recovery", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_invite *inv;
	const char *expect = NULL, *recovery = NULL;
	cmd_recovery rc;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'l': expect = optarg; break;
		case 'r': recovery = optarg; break;
		case 'h': fputs(party_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected the party's name");
	if (expect && !cmd_valid_ledger_id(expect))
		return cmd_usage_error(ctx,
				       "--ledger takes a ledger id: 64 lowercase hex digits, as "
				       "party invite prints it");
	if ((error = cmd_setup(ctx)))
		return error;
	/* joining a look-alike ledger would sign its invitation as if it were the real one */
	if (expect && strcmp(accord_ledger_id(ctx->ledger), expect) != 0)
		return cmd_failf(ACCORD_EXIT_VERIFY,
				 "this is ledger %s, not the expected %s; nothing was written",
				 accord_ledger_id(ctx->ledger), expect);
	inv = accord_parties_invite_for(accord_ledger_parties(ctx->ledger), ctx->key->pub.id);
	if (!inv || strcmp(inv->party, argv[optind]) != 0)
		return cmd_failf(ACCORD_EXIT_FAIL, "key %s has no pending invitation to join %s",
				 ctx->key->pub.id, argv[optind]);
	if ((error = cmd_recovery_commit(ctx, recovery, &rc)) != 0)
		return error;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "party", argv[optind]);
	cJSON_AddStringToObject(body, "invite", inv->entry_id);
	cJSON_AddStringToObject(body, "recovery", rc.hash);
	return cmd_recovery_end(&rc, argv[optind], cmd_write(ctx, "party-accept", NULL, body));
}

/*
 * Signed by the party's recovery key, which is no member key: it writes on
 * its own feed, and the rules check it against the hash the party committed to.
 */
/*
 * A recovery cuts the old root at its last entry this copy holds: on a
 * copy kept offline since `accord init`, the root's later work, and every
 * party it invited, would be set aside on every copy (attack74 01; a key
 * the party cut cannot admit anyone, so accord cannot tell a partner from
 * a thief's sock). So it takes what every remote holds first, and stops if
 * one cannot be reached, unless --offline says this copy is all there is.
 */
static int recover_take_first(accord_ctx *ctx)
{
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	git_strarray names = { NULL, 0 };
	size_t i;
	int error;

	if ((error = cmd_open_store(ctx)) != 0)
		return error;
	if ((error = accord_sync_remote_list(&names, ctx->store)) < 0)
		return cmd_fail(error);
	cmd_transport_setup(&so, 1);
	for (i = 0, error = 0; i < names.count && !error; i++) {
		accord_sync_result *r = NULL;
		int taken = accord_sync_remote(&r, ctx->store, names.strings[i], &so);

		/* entries that do not verify (a fork of the root: why one recovers) are taken as proof */
		if (taken < 0 && taken != ACCORD_EBADSIG)
			error = cmd_failf(
				ACCORD_EXIT_FAIL,
				"a recovery first takes what remote %s holds, so that the old root's cut covers its work others built on: %s\n"
				"Run it again once %s is reachable, or with --offline if this copy holds all the old root wrote (the root's later entries, and parties it invited, would be set aside on every copy)",
				cmd_esc(names.strings[i], 0), accord_error_last(),
				cmd_esc(names.strings[i], 0));
		cmd_transport_flush();
		accord_sync_result_free(r);
	}
	git_strarray_dispose(&names);
	return error;
}

static int party_recover(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "recovery", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "offline", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *keyarg = NULL, *name = NULL;
	char hex[ACCORD_ID_HEXLEN + 1], *next = NULL, *pass = NULL;
	cmd_recovery rc;
	accord_key *rk = NULL;
	accord_pubkey pub;
	cJSON *body = NULL;
	int c, error, offline = 0;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': dir = optarg; break;
		case 'k': keyarg = optarg; break;
		case 'n': name = optarg; break;
		case 'o': offline = 1; break;
		case 'h': fputs(party_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected the party's name");
	if (!dir || !keyarg)
		return cmd_usage_error(
			ctx,
			"recover needs --recovery DIR (the recovery key) and --key PUBKEY (the new root key)");
	if ((error = read_pubkey(ctx, &pub, keyarg)))
		return error;
	if (!name)
		name = cmd_valid_name(pub.name) ? pub.name : "root";
	if (!cmd_valid_name(name))
		return cmd_usage_error(ctx, "invalid member name '%s'", name);
	if (accord_key_is_encrypted(dir))
		pass = cmd_read_passphrase("Recovery key passphrase: ", 0);
	error = accord_key_load(&rk, dir, pass);
	cmd_free_passphrase(pass);
	if (error < 0)
		return cmd_failf(ACCORD_EXIT_FAIL, "recovery key in %s: %s", dir,
				 accord_error_last());
	ctx->key = rk; /* the writer of this one entry; freed with the context */
	if ((!offline && (error = recover_take_first(ctx))) || (error = cmd_setup(ctx)) != 0)
		return error;
	if (asprintf(&next, "%s/next", dir) < 0)
		accord_oom();
	error = cmd_recovery_commit(ctx, next, &rc);
	free(next);
	if (error)
		return error;
	accord_hex_encode(hex, pub.pk, sizeof(pub.pk));
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "party", argv[optind]);
	cJSON_AddStringToObject(body, "key", hex);
	cJSON_AddStringToObject(body, "member", name);
	cJSON_AddStringToObject(body, "recovery", rc.hash);
	accord_body_add_key_type(body, &pub);
	return cmd_recovery_end(&rc, argv[optind], cmd_write(ctx, "party-recover", NULL, body));
}

static int json_flag(accord_ctx *ctx, int argc, char **argv, const char *usage, int *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': *json = 1; break;
		case 'h': fputs(usage, stdout); return -1;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static const char *role(const accord_member *m)
{
	return m->root ? "root" : m->admin ? "admin" : "member";
}

/* Whether party i is the first of the names alike to its own: the one that carries the warning. */
static int first_alike(const accord_parties *p, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (accord_party_names_alike(p->parties[j].name, p->parties[i].name))
			return 0;
	return 1;
}

static int party_list(accord_ctx *ctx, int argc, char **argv)
{
	const accord_parties *p;
	char t[ACCORD_TIME_LEN];
	cJSON *arr = NULL;
	int json = 0, error;
	size_t i, j;

	if ((error = json_flag(ctx, argc, argv, party_usage, &json)))
		return error < 0 ? 0 : error;
	if ((error = cmd_setup(ctx)))
		return error;
	p = accord_ledger_parties(ctx->ledger);
	if (json)
		arr = cJSON_CreateArray();
	else
		printf("%-20s %-8s %-34s %-20s %s\n", "PARTY", "STATE", "ROOT KEY", "JOINED",
		       "MEMBERS");
	for (i = 0; i < p->party_count; i++) {
		const accord_member *root = p->members[p->parties[i].root];
		size_t active = 0, same = 0;
		const char *state;

		/* members, not keys: a member's device keys share its name (explore60b 12) */
		for (j = 0; j < p->member_count; j++) {
			const accord_member *m = p->members[j];
			size_t k;

			if (m->party != i || m->revoked)
				continue;
			for (k = 0; k < j; k++)
				if (p->members[k]->party == i && !p->members[k]->revoked &&
				    !strcmp(p->members[k]->key.name, m->key.name))
					break;
			active += k == j;
		}
		for (j = 0; j < p->party_count; j++)
			same += accord_party_names_alike(p->parties[j].name, p->parties[i].name);
		/* two joins of one name (concurrent invitations) are shown, never one hidden */
		state = same > 1 ? "conflict" : "joined";
		if (same > 1 && !json && first_alike(p, i))
			cmd_warn(
				"%zu parties are named '%s' or a name that looks alike (invited concurrently): "
				"each counts, and an entry that saw both cannot name it",
				same, cmd_esc(p->parties[i].name, 0));
		accord_time_format(t, p->parties[i].joined);
		if (json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "name", p->parties[i].name);
			cJSON_AddStringToObject(o, "state", state);
			cJSON_AddStringToObject(o, "root_key", root->key.id);
			cJSON_AddStringToObject(o, "root_member", root->key.name);
			cJSON_AddStringToObject(o, "joined_at", t);
			if (p->parties[i].inviter < p->party_count)
				cJSON_AddStringToObject(o, "invited_by",
							p->parties[p->parties[i].inviter].name);
			else /* the genesis party */
				cJSON_AddNullToObject(o, "invited_by");
			cJSON_AddNumberToObject(o, "members", (double)active);
			cJSON_AddItemToArray(arr, o);
		} else {
			printf("%-20s %-8s %-34s %-20s %zu\n", cmd_esc(p->parties[i].name, 0),
			       state, root->key.id, t, active);
		}
	}
	for (i = 0; i < p->invite_count; i++) {
		const accord_invite *inv = &p->invites[i];

		if (inv->accepted)
			continue;
		accord_time_format(t, inv->time);
		if (json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "name", inv->party);
			cJSON_AddStringToObject(o, "state", "invited");
			cJSON_AddStringToObject(o, "root_key", inv->key.id);
			cJSON_AddStringToObject(o, "root_member", inv->member);
			cJSON_AddStringToObject(o, "invited_at", t);
			cJSON_AddStringToObject(o, "invited_by", p->parties[inv->by_party].name);
			cJSON_AddNumberToObject(o, "members", 0);
			cJSON_AddItemToArray(arr, o);
		} else {
			printf("%-20s %-8s %-34s %-20s %d\n", cmd_esc(inv->party, 0), "invited",
			       inv->key.id, t, 0);
		}
	}
	return json ? cmd_print_json(arr) : 0;
}

int cmd_party(accord_ctx *ctx, int argc, char **argv)
{
	static const struct cmd_sub subs[] = {
		{ "invite", party_invite, CMD_WRITES_AUTHORITY },
		{ "accept", party_accept, CMD_WRITES_AUTHORITY },
		{ "recover", party_recover, CMD_NEEDS_FIELDS | CMD_LOCK },
		{ "list", party_list, CMD_NEEDS_LEDGER },
		{ NULL, NULL, 0 },
	};

	return cmd_dispatch(ctx, argc, argv, "party", party_usage, subs);
}

/* The active keys named `name` in `party`, and the first of them (NULL if none). */
static size_t keys_named(const accord_member **first, const accord_parties *p, size_t party,
			 const char *name)
{
	size_t i, n = 0;

	*first = NULL;
	for (i = 0; i < p->member_count; i++) {
		const accord_member *m = p->members[i];

		if (m->party != party || m->revoked || strcmp(m->key.name, name) != 0)
			continue;
		if (!n++)
			*first = m;
	}
	return n;
}

static int member_add(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' }, { "name", required_argument, NULL, 'n' },
		{ "admin", no_argument, NULL, 'a' },	 { "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },	 { NULL, 0, NULL, 0 },
	};
	const char *keyarg = NULL, *name = NULL;
	const accord_member *me, *same;
	const accord_parties *p;
	accord_pubkey pub;
	char hex[65];
	cJSON *body;
	size_t devices = 0;
	int admin = -1, c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'k': keyarg = optarg; break;
		case 'n': name = optarg; break;
		case 'a': admin = 1; break;
		case 'r':
			if (strcmp(optarg, "admin") != 0 && strcmp(optarg, "member") != 0)
				return cmd_usage_error(
					ctx,
					"--role takes member or admin (a party has one root key)");
			admin = !strcmp(optarg, "admin");
			break;
		case 'h': fputs(member_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (!keyarg)
		return cmd_usage_error(ctx, "--key PUBKEY is required");
	if ((error = read_pubkey(ctx, &pub, keyarg)))
		return error;
	if (!name)
		name = cmd_valid_name(pub.name) ? pub.name : NULL;
	if (!name || !cmd_valid_name(name))
		return cmd_usage_error(ctx,
				       "give the member a --name (letters, digits, '.', '_', '-')");
	if ((error = cmd_setup(ctx)))
		return error;
	p = accord_ledger_parties(ctx->ledger);
	/* a name already in the adder's party: another device of that member */
	if ((me = accord_parties_member(p, ctx->key->pub.id)) &&
	    (devices = keys_named(&same, p, me->party, name)) > 0 && admin < 0)
		admin = same->admin;
	accord_hex_encode(hex, pub.pk, sizeof(pub.pk));
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "key", hex);
	cJSON_AddStringToObject(body, "member", name);
	cJSON_AddBoolToObject(body, "admin", admin > 0);
	accord_body_add_key_type(body, &pub);
	if ((error = cmd_write(ctx, "member-add", NULL, body)))
		return error;
	if (devices)
		cmd_warn(
			"added key %s as another device key of %s (%s), role %s: %s has %zu keys now, "
			"each with its own feed",
			pub.id, cmd_esc(name, 0), cmd_esc(p->parties[me->party].name, 0),
			admin > 0 ? "admin" : "member", cmd_esc(name, 0), devices + 1);
	return 0;
}

/*
 * member accept PARTY: the key's owner, not accord, chooses which party's
 * member-add its first entry accepts (TRUST.md attack 3: an admission the
 * key never accepted has no effect, so another party cannot claim it).
 */
static int member_accept(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *party;
	cJSON *body;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'h': fputs(member_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected the party whose member-add your key accepts");
	party = argv[optind];
	if (!cmd_valid_name(party))
		return cmd_usage_error(ctx, "invalid party name '%s'", party);
	if ((error = cmd_setup(ctx)))
		return error;
	if (accord_ledger_feed(ctx->ledger, ctx->key->pub.id))
		return cmd_failf(
			ACCORD_EXIT_FAIL,
			"key %s has written already: its first entry accepted its admission",
			ctx->key->pub.id);
	if ((error = accord_ledger_set_join(ctx->ledger, party)) < 0)
		return cmd_fail(error);
	body = cmd_heads_body(ctx);
	error = cmd_append(ctx, "checkpoint", NULL, body, NULL);
	cJSON_Delete(body);
	if (error)
		return error;
	cmd_warn("key %s joined %s", ctx->key->pub.id, cmd_esc(party, 0));
	return 0;
}

static int member_revoke(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_member *me, *target = NULL;
	const accord_parties *p;
	const char *arg, *reason = NULL;
	char hex[65];
	cJSON *body;
	size_t i, matches = 0;
	int c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 'h': fputs(member_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one key id (or a member name)");
	if (reason && (error = cmd_check_text(ctx, "--reason", reason, 1)))
		return error;
	arg = argv[optind];
	if ((error = cmd_setup(ctx)))
		return error;
	p = accord_ledger_parties(ctx->ledger);
	me = accord_parties_member(p, ctx->key->pub.id);
	/* A key id prefix, or a member name of the signer's own party. */
	for (i = 0; i < p->member_count; i++) {
		const accord_member *m = p->members[i];

		if ((strlen(arg) >= 4 && !strncmp(m->key.id, arg, strlen(arg))) ||
		    (me && m->party == me->party && !strcmp(m->key.name, arg) && !m->revoked)) {
			target = m;
			matches++;
		}
	}
	if (matches == 0) {
		/* say why when the name is known but already revoked */
		for (i = 0; i < p->member_count; i++)
			if (me && p->members[i]->party == me->party &&
			    !strcmp(p->members[i]->key.name, arg) && p->members[i]->revoked)
				return cmd_failf(ACCORD_EXIT_FAIL,
						 "member %s of %s is revoked already", arg,
						 p->parties[me->party].name);
		return cmd_failf(ACCORD_EXIT_FAIL, "no member key %s", arg);
	}
	if (matches > 1) {
		/* several device keys of one member, or a short prefix: list them, choose none */
		cmd_failf(ACCORD_EXIT_USAGE,
			  "%s matches %zu member keys; give the key id of the one to revoke:", arg,
			  matches);
		for (i = 0; i < p->member_count; i++) {
			const accord_member *m = p->members[i];

			if ((strlen(arg) >= 4 && !strncmp(m->key.id, arg, strlen(arg))) ||
			    (me && m->party == me->party && !strcmp(m->key.name, arg) &&
			     !m->revoked))
				fprintf(stderr, "  %s  %s (%s)%s\n", m->key.id,
					cmd_esc(m->key.name, 0),
					cmd_esc(p->parties[m->party].name, 0),
					m->revoked ? ", revoked" : "");
		}
		return ACCORD_EXIT_USAGE;
	}
	accord_hex_encode(hex, target->key.pk, sizeof(target->key.pk));
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "key", hex);
	if (reason)
		cJSON_AddStringToObject(body, "reason", reason);
	return cmd_write(ctx, "member-revoke", NULL, body);
}

/* This machine's key id, from the key home's public key (no passphrase needed); "" if none. */
static void own_key_id(accord_ctx *ctx, char *out)
{
	accord_pubkey pub;
	char *home = NULL;

	out[0] = '\0';
	if (cmd_key_home(&home, ctx) == 0 && accord_key_load_public(&pub, home) == 0)
		memcpy(out, pub.id, ACCORD_KEYID_HEXLEN + 1);
	free(home);
	accord_error_clear();
}

/*
 * A key that has not written yet is no member: each party that added it
 * made an offer, and its first entry accepts one (the others never take
 * effect). Added by several parties, it is listed with its offers, never
 * as a member of the first party that added it (attack25 finding 12).
 */
static size_t offers_for(const accord_parties *p, const accord_member *m)
{
	int parties;

	return accord_parties_pending_offers(p, m, &parties);
}

static void offers_of(const accord_parties *p, const accord_member *m, const char *mine, cJSON *arr)
{
	char t[ACCORD_TIME_LEN];
	accord_buf by = ACCORD_BUF_INIT;
	const char *party = NULL, *name = m->key.name, *r = "-";
	size_t i, n = 0;
	int here = mine[0] && !strcmp(m->key.id, mine);

	for (i = 0; i < p->offer_count; i++) {
		const accord_offer *o = &p->offers[i];

		if (o->withdrawn || strcmp(o->key.id, m->key.id) != 0)
			continue;
		r = o->root ? "root" : o->admin ? "admin" : "member";
		party = p->parties[o->party].name;
		name = o->name;
		accord_buf_printf(&by, "%s%s", n++ ? ", " : "", party);
		accord_time_format(t, o->entry->time);
		if (arr) {
			cJSON *g = cJSON_CreateObject(), *keys = cJSON_AddArrayToObject(g, "keys");
			cJSON *k = cJSON_CreateObject();
			accord_buf line = ACCORD_BUF_INIT;

			accord_pubkey_to_openssh(&line, &m->key);
			cJSON_AddStringToObject(k, "key_id", m->key.id);
			cJSON_AddStringToObject(k, "public_key", line.ptr);
			cJSON_AddStringToObject(k, "role", r);
			cJSON_AddStringToObject(k, "added_at", t);
			cJSON_AddNullToObject(k, "revoked_at");
			cJSON_AddBoolToObject(k, "active", 1);
			cJSON_AddBoolToObject(k, "accepted", 0);
			cJSON_AddBoolToObject(k, "this_machine", here);
			cJSON_AddItemToArray(keys, k);
			cJSON_AddStringToObject(g, "party", party);
			cJSON_AddStringToObject(g, "member", o->name);
			cJSON_AddStringToObject(g, "role", r);
			cJSON_AddBoolToObject(g, "active", 1);
			cJSON_AddBoolToObject(g, "accepted", 0);
			cJSON_AddItemToArray(arr, g);
			accord_buf_dispose(&line);
		}
	}
	/* offers from several parties: the key is in none until its first entry chooses */
	if (!arr && n)
		printf("%-16s %-16s %-6s %-34s %-20s %s  (added by %s, not accepted yet)%s\n",
		       n == 1 ? cmd_esc(party, 0) : "-", cmd_esc(name, 0), n == 1 ? r : "-",
		       m->key.id, n == 1 ? t : "-", "-", cmd_esc(by.ptr, 0),
		       here ? "  * this machine" : "");
	accord_buf_dispose(&by);
}

/*
 * One member is a name in a party; it may hold several keys (one per
 * device, and the successors of rotated keys). Listed grouped, in the order
 * each name first appears.
 */
static int member_list(accord_ctx *ctx, int argc, char **argv)
{
	const accord_parties *p;
	char t[ACCORD_TIME_LEN], r[ACCORD_TIME_LEN], mine[ACCORD_KEYID_HEXLEN + 1];
	cJSON *arr = NULL;
	int json = 0, error;
	unsigned char *done;
	size_t i, j;

	if ((error = json_flag(ctx, argc, argv, member_usage, &json)))
		return error < 0 ? 0 : error;
	if ((error = cmd_setup(ctx)))
		return error;
	p = accord_ledger_parties(ctx->ledger);
	/* a key not yet accepted is shown by its offers, which only a full load keeps */
	for (i = 0; i < p->member_count && !p->offer_count; i++) {
		if (!p->members[i]->accepted) {
			accord_ledger_free(ctx->ledger);
			ctx->ledger = NULL;
			if ((error = cmd_load_fields(ctx, 0)))
				return error;
			p = accord_ledger_parties(ctx->ledger);
			break;
		}
	}
	own_key_id(ctx, mine);
	if (!(done = calloc(p->member_count + 1, 1)))
		accord_oom();
	if (json)
		arr = cJSON_CreateArray();
	else
		printf("%-16s %-16s %-6s %-34s %-20s %s\n", "PARTY", "MEMBER", "ROLE", "KEY ID",
		       "ADDED", "REVOKED");
	for (i = 0; i < p->member_count; i++) {
		const accord_member *first = p->members[i], *shown = NULL;
		cJSON *group = NULL, *keys = NULL;
		int active = 0, row = 0;

		if (done[i])
			continue;
		if (offers_for(p, first) > 1) {
			offers_of(p, first, mine, arr);
			continue;
		}
		if (json) {
			group = cJSON_CreateObject();
			keys = cJSON_CreateArray();
		}
		for (j = i; j < p->member_count; j++) {
			const accord_member *m = p->members[j];
			int here = mine[0] && !strcmp(m->key.id, mine);

			if (m->party != first->party || strcmp(m->key.name, first->key.name) != 0 ||
			    offers_for(p, m) > 1)
				continue;
			done[j] = 1;
			active |= !m->revoked;
			if (!m->revoked || !shown || shown->revoked)
				shown = m; /* the group's role: its latest active key's */
			accord_time_format(t, m->added);
			if (m->revoked)
				accord_time_format(r, m->revoked_at);
			if (json) {
				cJSON *o = cJSON_CreateObject();
				accord_buf line = ACCORD_BUF_INIT;

				accord_pubkey_to_openssh(&line, &m->key);
				cJSON_AddStringToObject(o, "key_id", m->key.id);
				cJSON_AddStringToObject(o, "public_key", line.ptr);
				cJSON_AddStringToObject(o, "role", role(m));
				cJSON_AddStringToObject(o, "added_at", t);
				if (m->revoked)
					cJSON_AddStringToObject(o, "revoked_at", r);
				else
					cJSON_AddNullToObject(o, "revoked_at");
				cJSON_AddBoolToObject(o, "active", !m->revoked);
				cJSON_AddBoolToObject(o, "this_machine", here);
				cJSON_AddItemToArray(keys, o);
				accord_buf_dispose(&line);
			} else {
				printf("%-16s %-16s %-6s %-34s %-20s %s%s\n",
				       row ? "" : cmd_esc(p->parties[m->party].name, 0),
				       row ? "" : cmd_esc(m->key.name, 0), role(m), m->key.id, t,
				       m->revoked ? r : "-", here ? "  * this machine" : "");
			}
			row++;
		}
		if (json) {
			cJSON_AddStringToObject(group, "party", p->parties[first->party].name);
			cJSON_AddStringToObject(group, "member", first->key.name);
			cJSON_AddStringToObject(group, "role", role(shown));
			cJSON_AddBoolToObject(group, "active", active);
			cJSON_AddItemToObject(group, "keys", keys);
			cJSON_AddItemToArray(arr, group);
		}
	}
	free(done);
	return json ? cmd_print_json(arr) : 0;
}

int cmd_member(accord_ctx *ctx, int argc, char **argv)
{
	static const struct cmd_sub subs[] = {
		{ "add", member_add, CMD_WRITES_AUTHORITY },
		{ "accept", member_accept, CMD_WRITES_AUTHORITY },
		{ "revoke", member_revoke, CMD_WRITES_AUTHORITY },
		{ "vouch", cmd_member_vouch, CMD_WRITES_ENTRIES }, /* a fork's other side */
		{ "list", member_list, CMD_NEEDS_LEDGER },
		{ NULL, NULL, 0 },
	};

	return cmd_dispatch(ctx, argc, argv, "member", member_usage, subs);
}
