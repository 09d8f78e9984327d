/* accord key new | import | rotate | show: the member's signing key, kept outside any ledger. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accord/agent.h"
#include "cmd.h"

static const char key_usage[] =
	"usage: accord key new [--name NAME] [--no-passphrase] [--force]\n"
	"       accord key import FILE [--name NAME] [--no-passphrase] [--force]\n"
	"       accord key import --agent FILE.pub [--name NAME] [--force]\n"
	"       accord key rotate [--agent FILE.pub] [--no-passphrase]\n"
	"       accord key show [--json]\n\n"
	"  new     make an Ed25519 key in the key home (0700), private key 0600,\n"
	"          sealed with a passphrase (Argon2id, libsodium's interactive cost):\n"
	"          $ACCORD_PASSPHRASE, else asked on the terminal (empty: none).\n"
	"          Without a terminal, a key without a passphrase takes an explicit\n"
	"          --no-passphrase. Never overwrites a key without --force.\n"
	"  import  use an existing OpenSSH ed25519 private key FILE (ssh-keygen -t\n"
	"          ed25519) as the accord key: it is copied into the key home in\n"
	"          accord's format, with a passphrase as for 'new'; FILE is left\n"
	"          as it is, and refused if group or others may read it (chmod 600).\n"
	"          The name is --name, else the key's comment. Encrypted files must\n"
	"          be decrypted first (ssh-keygen -p -N '' -f COPY).\n"
	"          With --agent, FILE.pub is the public key of a key held by\n"
	"          ssh-agent ($SSH_AUTH_SOCK): accord records the public key and\n"
	"          signs through the agent; no private key byte is ever in the key\n"
	"          home. A hardware key (sk-ssh-ed25519@openssh.com, ssh-keygen -t\n"
	"          ed25519-sk) works too: touch it for every entry it signs.\n"
	"  rotate  replace this machine's key in the ledger here: make a new key\n"
	"          (or, with --agent, use the ssh-agent key FILE.pub), sign with the\n"
	"          old key an entry naming it, and retire the old key at that entry.\n"
	"          The member keeps name, party and role. The new key becomes the key\n"
	"          home's key; the old private key is kept aside as key.old-<id>\n"
	"          (0600), and can no longer write. A revoked key cannot rotate.\n"
	"  show    print the key id and the OpenSSH public key line.\n\n"
	"One key per machine: on each machine make its own key (key new) and\n"
	"have an admin of your party add it under your name (member add --key\n"
	"PUBKEY --name NAME). A key used on two machines stops counting.\n"
	"Names: letters, digits, '.', '_' and '-', starting with a letter or digit.\n"
	"Key home: --home DIR, else $ACCORD_HOME, else ${XDG_CONFIG_HOME:-$HOME/.config}/accord.\n";

/*
 * The passphrase that seals a new or imported key, in *out (NULL: none).
 * No passphrase is never a silent default: it is --no-passphrase, or an
 * empty answer on the terminal. Returns 0 or an exit code.
 */
static int sealing_passphrase(accord_ctx *ctx, char **out, int no_passphrase, const char *what)
{
	const char *env = getenv("ACCORD_PASSPHRASE");

	*out = NULL;
	if (no_passphrase)
		return 0;
	if (env && !*env)
		return cmd_usage_error(
			ctx,
			"ACCORD_PASSPHRASE is empty; for a key without a passphrase, "
			"give --no-passphrase (no key was %s)",
			what);
	*out = cmd_read_passphrase("Passphrase for the key (empty for none): ", 1);
	if (*out)
		return 0;
	if (env)
		return cmd_failf(ACCORD_EXIT_FAIL,
				 "out of secure memory reading ACCORD_PASSPHRASE");
	return cmd_failf(
		ACCORD_EXIT_USAGE,
		"no passphrase read (no terminal to ask on, or the two differed): set "
		"ACCORD_PASSPHRASE, or give --no-passphrase for a key without one; no key was %s",
		what);
}

static int key_new(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "no-passphrase", no_argument, NULL, 'P' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL;
	char *home = NULL, *pass = NULL;
	accord_key *key = NULL;
	accord_buf line = ACCORD_BUF_INIT;
	int force = 0, no_pass = 0, c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'P': no_pass = 1; break;
		case 'f': force = 1; break;
		case 'h': fputs(key_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (!name) {
		name = getenv("USER");
		if (!name || !cmd_valid_name(name))
			name = "member";
	}
	if (!cmd_valid_name(name))
		return cmd_usage_error(ctx,
				       "invalid name '%s': use letters, digits, '.', '_' and '-', "
				       "starting with a letter or digit (at most 64)",
				       name);
	if ((error = cmd_key_home(&home, ctx)) < 0)
		return cmd_fail(error);
	if ((error = sealing_passphrase(ctx, &pass, no_pass, "made"))) {
		free(home);
		return error;
	}
	error = accord_key_generate(&key, home, name, pass && *pass ? pass : NULL, force);
	cmd_free_passphrase(pass);
	if (error < 0) {
		free(home);
		cmd_fail(error);
		return ACCORD_EXIT_FAIL;
	}
	accord_pubkey_to_openssh(&line, &key->pub);
	cmd_warn("created key %s in %s", key->pub.id, home);
	/* the mistake that forks a feed: say it where the key is made */
	cmd_warn(
		"make one key per machine: use this key on this machine only; on another machine "
		"run accord key new there and have an admin add that key under your name "
		"(accord member add --key PUBKEY --name NAME); a key used on two machines stops counting");
	printf("%s\n%s\n", key->pub.id, line.ptr);
	accord_buf_dispose(&line);
	accord_key_free(key);
	free(home);
	return 0;
}

/* key import --agent: record FILE.pub; the private half stays in ssh-agent. */
static int import_agent(accord_ctx *ctx, const char *file, const char *name, int force)
{
	accord_buf text = ACCORD_BUF_INIT, line = ACCORD_BUF_INIT, blob = ACCORD_BUF_INIT;
	accord_pubkey pub;
	char *home = NULL;
	const char *sock = getenv("SSH_AUTH_SOCK");
	int error, code = ACCORD_EXIT_FAIL;

	if ((error = accord_buf_read_file(&text, file, 16384)) < 0) {
		cmd_fail(error);
		goto done;
	}
	if ((error = accord_pubkey_from_openssh(&pub, text.ptr)) < 0) {
		code = cmd_usage_error(ctx,
				       "%s: %s (an ssh-ed25519 or " ACCORD_KEY_TYPE_SK
				       " public key line, as FILE.pub holds it)",
				       cmd_esc(file, 0), accord_error_last());
		goto done;
	}
	if (name)
		snprintf(pub.name, sizeof(pub.name), "%s", name);
	if (!cmd_valid_name(pub.name)) {
		code = cmd_usage_error(
			ctx, "the comment in %s is not a usable name; give one with --name", file);
		goto done;
	}
	/* an agent that lacks the key now is worth saying, not refusing: it may be added later */
	accord_pubkey_blob(&blob, &pub);
	error = accord_agent_has_key(sock, blob.ptr, blob.size);
	if (error == 0)
		cmd_warn("ssh-agent at %s does not hold this key yet: ssh-add it before signing",
			 sock);
	else if (error < 0)
		cmd_warn("%s: ssh-add the key to an agent before signing", accord_error_last());
	if ((error = cmd_key_home(&home, ctx)) < 0 ||
	    (error = accord_key_import_agent(home, &pub, force)) < 0) {
		cmd_fail(error);
		goto done;
	}
	accord_pubkey_to_openssh(&line, &pub);
	cmd_warn("recorded key %s in %s; its private half stays in ssh-agent", pub.id,
		 cmd_esc(home, 0));
	if (pub.type == ACCORD_KEY_SK_ED25519)
		cmd_warn("a hardware key (" ACCORD_KEY_TYPE_SK
			 ", application %s): touch it for every entry it signs",
			 cmd_esc(pub.application, 0));
	printf("%s\n%s\n", pub.id, line.ptr);
	code = 0;
done:
	accord_buf_dispose(&text);
	accord_buf_dispose(&line);
	accord_buf_dispose(&blob);
	free(home);
	return code;
}

static int key_import(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "agent", no_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "no-passphrase", no_argument, NULL, 'P' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *file;
	char *home = NULL, *pass = NULL;
	accord_key *key = NULL;
	accord_buf line = ACCORD_BUF_INIT;
	int force = 0, no_pass = 0, agent = 0, c, error, code = ACCORD_EXIT_FAIL;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'a': agent = 1; break;
		case 'n': name = optarg; break;
		case 'P': no_pass = 1; break;
		case 'f': force = 1; break;
		case 'h': fputs(key_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cmd_usage_error(ctx, "missing the OpenSSH private key FILE");
	file = argv[optind];
	if (optind + 1 < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind + 1]);
	if (name && (!cmd_valid_name(name)))
		return cmd_usage_error(ctx,
				       "invalid name '%s': use letters, digits, '.', '_' and '-', "
				       "starting with a letter or digit (at most 64)",
				       name);
	if (agent) {
		if (no_pass)
			return cmd_usage_error(
				ctx, "--agent takes no passphrase: the agent keeps the key");
		return import_agent(ctx, file, name, force);
	}
	if ((error = cmd_key_home(&home, ctx)) < 0)
		return cmd_fail(error);
	/* read the file before asking for a passphrase: it may well be refused */
	if ((error = accord_key_read_openssh(&key, file)) < 0) {
		cmd_fail(error);
		goto done;
	}
	if (name && (error = accord_key_set_name(key, name)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	if (!key->pub.name[0]) {
		code = cmd_usage_error(
			ctx,
			"the comment in %s is not a usable name (a name has letters, digits, "
			"'.', '_' and '-', starting with a letter or digit, at most 64; "
			"ssh-keygen's default user@host has '@'); give one with --name",
			file);
		goto done;
	}
	if ((error = sealing_passphrase(ctx, &pass, no_pass, "imported"))) {
		code = error;
		goto done;
	}
	error = accord_key_save(key, home, pass && *pass ? pass : NULL, force);
	cmd_free_passphrase(pass);
	if (error < 0) {
		cmd_fail(error);
		goto done;
	}
	accord_pubkey_to_openssh(&line, &key->pub);
	cmd_warn("imported key %s from %s into %s", key->pub.id, file, home);
	cmd_warn("use this key on this machine only; on another machine make another key and have "
		 "an admin add it (a key used on two machines stops counting)");
	printf("%s\n%s\n", key->pub.id, line.ptr);
	code = 0;

done:
	accord_buf_dispose(&line);
	accord_key_free(key);
	free(home);
	return code;
}

/* Take a staged key home apart after a failed rotation: nothing of it stays on disk. */
static void remove_staged(const char *dir)
{
	static const char *const files[] = { "key", "key.pub", "agent" };
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * The successor's key in a staged key home inside the key home (same
 * filesystem, so it moves in with a rename): made here, or an agent key's
 * public line. Returns 0 or an exit code; *out is the new key, to sign with.
 */
static int stage_new_key(accord_ctx *ctx, accord_key **out, const char *dir, const char *agent_pub,
			 const char *name, int no_pass)
{
	accord_pubkey pubkey, *pub = &pubkey;
	accord_buf text = ACCORD_BUF_INIT, blob = ACCORD_BUF_INIT;
	accord_key *key = NULL;
	char *pass = NULL;
	int error, code = ACCORD_EXIT_FAIL;

	if (agent_pub) {
		if ((error = accord_buf_read_file(&text, agent_pub, 16384)) < 0) {
			cmd_fail(error);
			goto done;
		}
		if (accord_pubkey_from_openssh(pub, text.ptr) < 0) {
			code = cmd_usage_error(ctx,
					       "%s: %s (an ssh-ed25519 or " ACCORD_KEY_TYPE_SK
					       " public key line, as FILE.pub holds it)",
					       cmd_esc(agent_pub, 0), accord_error_last());
			goto done;
		}
		snprintf(pub->name, sizeof(pub->name), "%s", name);
		/* the rotation retires the old key: the new one must be able to sign right away */
		accord_pubkey_blob(&blob, pub);
		error = accord_agent_has_key(getenv("SSH_AUTH_SOCK"), blob.ptr, blob.size);
		if (error <= 0) {
			if (error == 0)
				cmd_failf(
					ACCORD_EXIT_FAIL,
					"ssh-agent does not hold the key in %s: ssh-add it first; nothing was written",
					agent_pub);
			else
				cmd_failf(ACCORD_EXIT_FAIL, "%s; nothing was written",
					  accord_error_last());
			goto done;
		}
		if ((error = accord_key_import_agent(dir, pub, 0)) < 0 ||
		    (error = accord_key_load_agent(&key, dir, getenv("SSH_AUTH_SOCK"))) < 0) {
			cmd_fail(error);
			goto done;
		}
		*out = key;
		key = NULL;
		code = 0;
		goto done;
	}
	if ((code = sealing_passphrase(ctx, &pass, no_pass, "made")) != 0)
		goto done;
	error = accord_key_generate(&key, dir, name, pass && *pass ? pass : NULL, 0);
	cmd_free_passphrase(pass);
	if (error < 0) {
		cmd_fail(error);
		goto done;
	}
	*out = key;
	key = NULL;
	code = 0;
done:
	accord_key_free(key);
	accord_buf_dispose(&text);
	accord_buf_dispose(&blob);
	return code;
}

/* The new key's first entry: a checkpoint of the feed heads this copy verified, the rotation's among them. */
static int accept_rotation(accord_ctx *ctx, const accord_key *next)
{
	cJSON *body = cmd_heads_body(ctx);
	accord_key as = *next;
	int error;

	/* what it signs is recorded in the key home it is about to replace the old key in */
	as.home = ctx->key->home;
	error = accord_ledger_append(NULL, ctx->ledger, &as, "checkpoint", NULL, body);
	cJSON_Delete(body);
	return error;
}

/*
 * The member whose key this key home holds, if it may rotate (a member, not
 * revoked), and *pp the ledger's parties; NULL (said) if not.
 */
static const accord_member *rotating_member(const accord_parties **pp, accord_ctx *ctx)
{
	const accord_parties *p;
	const accord_member *me;

	p = *pp = accord_ledger_parties(ctx->ledger);
	me = accord_parties_member(p, ctx->key->pub.id);
	if (!me) {
		cmd_failf(
			ACCORD_EXIT_FAIL,
			"key %s is not a member of any party in this ledger: there is nothing to rotate",
			ctx->key->pub.id);
		return NULL;
	}
	if (me->revoked) {
		cmd_failf(
			ACCORD_EXIT_FAIL,
			"key %s is revoked, or retired by an earlier rotation: a revoked key cannot rotate. If this "
			"machine's key was rotated, its key home holds the new key; else make a new key (accord key new --force) and "
			"have an admin of %s add it (accord member add --key PUBKEY --name %s); nothing was written",
			ctx->key->pub.id, cmd_esc(p->parties[me->party].name, 0),
			cmd_esc(me->key.name, 0));
		return NULL;
	}
	return me;
}

/* Append the key-rotate entry naming `next`, signed by this key home's key; its id: entry_id. */
static int append_rotation(accord_ctx *ctx, const accord_key *next, char *entry_id)
{
	char hex[65];
	cJSON *body;
	int code;

	accord_hex_encode(hex, next->pub.pk, sizeof(next->pub.pk));
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "key", hex);
	accord_body_add_key_type(body, &next->pub);
	code = cmd_append(ctx, "key-rotate", NULL, body, entry_id);
	cJSON_Delete(body);
	return code;
}

/*
 * key rotate: the old key signs a key-rotate naming the new one, then the
 * new key takes its place in the key home. The new key is on disk (staged)
 * before the entry that names it is written, so a failure in between never
 * leaves a member with a retired key and no successor.
 */
static int key_rotate(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "agent", required_argument, NULL, 'a' },
		{ "no-passphrase", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *agent_pub = NULL, *name;
	const accord_member *me;
	const accord_parties *p;
	char *home = NULL, *staged = NULL, old_id[ACCORD_KEYID_HEXLEN + 1];
	char entry_id[ACCORD_ID_HEXLEN + 1];
	accord_buf line = ACCORD_BUF_INIT;
	accord_key *next = NULL;
	int no_pass = 0, c, error, code = ACCORD_EXIT_FAIL;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'a': agent_pub = optarg; break;
		case 'P': no_pass = 1; break;
		case 'h': fputs(key_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if (agent_pub && no_pass)
		return cmd_usage_error(ctx, "--agent takes no passphrase: the agent keeps the key");
	if ((error = cmd_key_home(&home, ctx)) < 0)
		return cmd_fail(error);
	if ((code = cmd_setup(ctx)) != 0)
		goto done;
	code = ACCORD_EXIT_FAIL;
	if (!(me = rotating_member(&p, ctx)))
		goto done;
	name = cmd_valid_name(ctx->key->pub.name) ? ctx->key->pub.name : me->key.name;
	if (asprintf(&staged, "%s/.rotate-XXXXXX", home) < 0)
		accord_oom();
	if (!mkdtemp(staged)) {
		cmd_failf(ACCORD_EXIT_FAIL, "can't create %s: %s", staged, strerror(errno));
		free(staged);
		staged = NULL;
		goto done;
	}
	if ((code = stage_new_key(ctx, &next, staged, agent_pub, name, no_pass)) != 0)
		goto done;
	code = ACCORD_EXIT_FAIL;
	memcpy(old_id, ctx->key->pub.id, sizeof(old_id));
	code = append_rotation(ctx, next, entry_id);
	if (code != 0)
		goto done;
	/*
	 * The new key accepts its rotation at once, with a checkpoint of what
	 * it saw: until its first entry, another party could offer the same
	 * key a place and leave it two admissions to choose from.
	 */
	if (accept_rotation(ctx, next) < 0)
		cmd_warn(
			"the new key did not write its first entry (%s); it will with its first write",
			accord_error_last());
	if ((error = accord_key_replace(home, staged, old_id)) < 0) {
		cmd_failf(
			ACCORD_EXIT_FAIL,
			"%s. The rotation is written: the new key is in %s; move its files into %s by hand",
			accord_error_last(), staged, home);
		free(staged);
		staged = NULL;
		code = ACCORD_EXIT_FAIL;
		goto done;
	}
	free(staged);
	staged = NULL;
	accord_pubkey_to_openssh(&line, &next->pub);
	cmd_warn(
		"rotated (entry %.12s): key %s is retired there; key %s takes its place as %s of %s",
		entry_id, old_id, next->pub.id, cmd_esc(me->key.name, 0),
		cmd_esc(p->parties[me->party].name, 0));
	cmd_warn(
		"the old private key is kept as %s/key.old-%s and can no longer write; sync to share the rotation",
		home, old_id);
	/* signed by the key it retires: any other copy of that key can contest it until then */
	cmd_warn(
		"the rotation is final once another member's entry depends on it (their next sync "
		"does); until then a copy of the old key used elsewhere makes it stop counting, and "
		"an admin of %s brings it back with accord member vouch %.12s",
		cmd_esc(p->parties[me->party].name, 0), next->pub.id);
	printf("%s\n%s\n", next->pub.id, line.ptr);
	code = 0;
done:
	accord_key_free(next);
	if (staged) {
		remove_staged(staged);
		free(staged);
	}
	accord_buf_dispose(&line);
	free(home);
	return code;
}

static int key_show(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_pubkey pub;
	accord_buf line = ACCORD_BUF_INIT;
	char *home = NULL;
	int json = 0, c, error;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': fputs(key_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_key_home(&home, ctx)) < 0)
		return cmd_fail(error);
	error = accord_key_load_public(&pub, home);
	if (error < 0) {
		if (error == ACCORD_ENOTFOUND)
			cmd_failf(1, "no key in %s (create one with 'accord key new')", home);
		else
			cmd_fail(error);
		free(home);
		return ACCORD_EXIT_FAIL;
	}
	accord_pubkey_to_openssh(&line, &pub);
	if (json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "id", pub.id);
		cJSON_AddStringToObject(o, "public_key", line.ptr);
		cJSON_AddStringToObject(o, "name", pub.name);
		cJSON_AddStringToObject(o, "home", home);
		cJSON_AddBoolToObject(o, "encrypted", accord_key_is_encrypted(home));
		cJSON_AddBoolToObject(o, "agent", accord_key_is_agent(home));
		cmd_print_json(o);
	} else {
		printf("%s\n%s\n", pub.id, line.ptr);
	}
	accord_buf_dispose(&line);
	free(home);
	return 0;
}

int cmd_key(accord_ctx *ctx, int argc, char **argv)
{
	static const struct cmd_sub subs[] = {
		{ "new", key_new, 0 },	     { "show", key_show, 0 },
		{ "import", key_import, 0 }, { "rotate", key_rotate, CMD_WRITES_AUTHORITY },
		{ NULL, NULL, 0 },
	};

	return cmd_dispatch(ctx, argc, argv, "key", key_usage, subs);
}
