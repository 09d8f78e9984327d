/* accord allowed-signers: let stock git verify every ledger commit. */
#include <string.h>

#include "cmd.h"

static const char signers_usage[] =
	"usage: accord allowed-signers\n\n"
	"Print an allowed_signers file naming every member key of the ledger\n"
	"(principal member@party, namespaces=\"git\", valid-after the time the key was\n"
	"added and valid-before its revocation), for\n"
	"  git -c gpg.ssh.allowedSignersFile=FILE verify-commit COMMIT\n"
	"  git -c gpg.ssh.allowedSignersFile=FILE log --show-signature --glob=refs/accord/feeds/\n";

/* ssh-keygen's timestamp form, in UTC ("Z"). */
static void ssh_time(char *out, size_t len, int64_t t)
{
	char iso[ACCORD_TIME_LEN];

	accord_time_format(iso, t);
	snprintf(out, len, "%.4s%.2s%.2s%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14,
		 iso + 17);
}

int cmd_allowed_signers(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const accord_parties *p;
	int c, error;
	size_t i;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		if (c == 'h') {
			fputs(signers_usage, stdout);
			return 0;
		}
		return ACCORD_EXIT_USAGE;
	}
	if (optind < argc)
		return cmd_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
	if ((error = cmd_setup(ctx)))
		return error;
	p = accord_ledger_parties(ctx->ledger);
	for (i = 0; i < p->member_count; i++) {
		const accord_member *m = p->members[i];
		accord_buf blob = ACCORD_BUF_INIT, b64 = ACCORD_BUF_INIT;
		char after[32], before[32];

		accord_pubkey_blob(&blob, &m->key);
		accord_base64_encode(&b64, (const unsigned char *)blob.ptr, blob.size);
		ssh_time(after, sizeof(after), m->added);
		printf("%s@%s namespaces=\"git\",valid-after=\"%s\"", m->key.name,
		       p->parties[m->party].name, after);
		if (m->revoked) {
			/*
			 * Until its last entry that counts (the cut, or the rotation it
			 * signed), that second included: ssh-keygen's valid-before is
			 * inclusive (attack131 01: one second more let a thief's entry
			 * through). ssh-keygen refuses valid-before <= valid-after.
			 */
			int64_t until = m->valid_until ? m->valid_until : m->revoked_at;

			ssh_time(before, sizeof(before), until > m->added ? until : m->added + 1);
			printf(",valid-before=\"%s\"", before);
		}
		printf(" %s %s\n", accord_pubkey_type_name(&m->key), b64.ptr);
		accord_buf_dispose(&blob);
		accord_buf_dispose(&b64);
	}
	return 0;
}
