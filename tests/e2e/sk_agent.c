/*
 * A test-only ssh-agent that plays a FIDO authenticator (tests/e2e/t1003-sk.sh).
 * No hardware is at hand, so this agent holds a software Ed25519 key and
 * answers as an authenticator-backed ssh-agent does (OpenSSH
 * PROTOCOL.agent and PROTOCOL.u2f): REQUEST_IDENTITIES lists the key,
 * SIGN_REQUEST returns string "sk-ssh-ed25519@openssh.com" | string sig |
 * byte flags | uint32 counter, the signature over SHA-256(application) |
 * flags | counter | SHA-256(data). Options let a test play a broken or
 * hostile authenticator: other flags, another application, or the same
 * key offered as a plain ssh-ed25519 key.
 *
 *   sk-agent SOCKET SEEDHEX PUBFILE [--flags N] [--identity TYPE]...
 *
 * TYPE is "sk:APPLICATION" or "plain"; the first identity's public line
 * goes to PUBFILE (the others to PUBFILE.2, PUBFILE.3, ...) once the
 * socket listens. The agent serves until it is killed. Nothing of this is linked into accord.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <sodium.h>

#define SK_TYPE "sk-ssh-ed25519@openssh.com"
#define MAX_IDS 8

struct id {
	int sk;
	const char *app;
	unsigned char blob[512];
	size_t bloblen;
};

static unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
static struct id ids[MAX_IDS];
static int nids;
static unsigned flags = 0x01;
static uint32_t counter;

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static size_t put_str(unsigned char *out, const void *s, size_t n)
{
	put_u32(out, (uint32_t)n);
	memcpy(out + 4, s, n);
	return 4 + n;
}

static int read_all(int fd, unsigned char *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r <= 0)
			return -1;
		p += r, n -= (size_t)r;
	}
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w, n -= (size_t)w;
	}
	return 0;
}

static int reply(int fd, const unsigned char *msg, size_t n)
{
	unsigned char len[4];

	put_u32(len, (uint32_t)n);
	return write_all(fd, len, 4) < 0 || write_all(fd, msg, n) < 0 ? -1 : 0;
}

static int failure(int fd)
{
	unsigned char f = 5;

	return reply(fd, &f, 1);
}

/* The signature blob for identity `id` over `data`. */
static size_t sign(unsigned char *out, const struct id *id, const unsigned char *data, size_t len)
{
	unsigned char sig[crypto_sign_BYTES], msg[32 + 1 + 4 + 32], c[4];
	size_t n = 0;

	if (!id->sk) {
		crypto_sign_detached(sig, NULL, data, len, sk);
		n += put_str(out, "ssh-ed25519", 11);
		n += put_str(out + n, sig, sizeof(sig));
		return n;
	}
	counter++;
	put_u32(c, counter);
	crypto_hash_sha256(msg, (const unsigned char *)id->app, strlen(id->app));
	msg[32] = (unsigned char)flags;
	memcpy(msg + 33, c, 4);
	crypto_hash_sha256(msg + 37, data, len);
	crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
	n += put_str(out, SK_TYPE, strlen(SK_TYPE));
	n += put_str(out + n, sig, sizeof(sig));
	out[n++] = (unsigned char)flags;
	memcpy(out + n, c, 4);
	return n + 4;
}

static void serve(int fd)
{
	static unsigned char in[256 * 1024], out[8192];
	unsigned char len[4];
	uint32_t n;

	while (read_all(fd, len, 4) == 0 && (n = get_u32(len)) > 0 && n <= sizeof(in) &&
	       read_all(fd, in, n) == 0) {
		size_t o = 0;
		int i;

		if (in[0] == 11) { /* REQUEST_IDENTITIES */
			out[o++] = 12;
			put_u32(out + o, (uint32_t)nids);
			o += 4;
			for (i = 0; i < nids; i++) {
				o += put_str(out + o, ids[i].blob, ids[i].bloblen);
				o += put_str(out + o, "test-authenticator", 18);
			}
			if (reply(fd, out, o) < 0)
				return;
		} else if (in[0] == 13 &&
			   n >= 9) { /* SIGN_REQUEST: string blob | string data | u32 flags */
			uint32_t bl = get_u32(in + 1), dl;
			const struct id *id = NULL;
			unsigned char sigblob[256];

			if (bl > n - 9 || (dl = get_u32(in + 5 + bl)) > n - 9 - bl) {
				if (failure(fd) < 0)
					return;
				continue;
			}
			for (i = 0; i < nids; i++)
				if (ids[i].bloblen == bl && !memcmp(ids[i].blob, in + 5, bl))
					id = &ids[i];
			if (!id) {
				if (failure(fd) < 0)
					return;
				continue;
			}
			out[o++] = 14;
			o += put_str(out + o, sigblob, sign(sigblob, id, in + 9 + bl, dl));
			if (reply(fd, out, o) < 0)
				return;
		} else if (failure(fd) < 0) {
			return;
		}
	}
}

static void write_pub(const char *path, const struct id *id)
{
	char b64[sodium_base64_ENCODED_LEN(512, sodium_base64_VARIANT_ORIGINAL)];
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	sodium_bin2base64(b64, sizeof(b64), id->blob, id->bloblen, sodium_base64_VARIANT_ORIGINAL);
	fprintf(f, "%s %s carol\n", id->sk ? SK_TYPE : "ssh-ed25519", b64);
	fclose(f);
}

int main(int argc, char **argv)
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	struct sockaddr_un sa;
	int i, lfd;

	if (argc < 4 || sodium_init() < 0 ||
	    sodium_hex2bin(seed, sizeof(seed), argv[2], strlen(argv[2]), NULL, NULL, NULL) < 0) {
		fprintf(stderr,
			"usage: sk-agent SOCKET SEEDHEX PUBFILE [--flags N] [--identity sk:APP|plain]...\n");
		return 2;
	}
	crypto_sign_seed_keypair(pk, sk, seed);
	for (i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--flags")) {
			flags = (unsigned)strtoul(argv[i + 1], NULL, 0);
		} else if (!strcmp(argv[i], "--identity") && nids < MAX_IDS) {
			struct id *id = &ids[nids++];

			id->sk = strncmp(argv[i + 1], "sk:", 3) == 0;
			id->app = id->sk ? argv[i + 1] + 3 : "";
			id->bloblen = put_str(id->blob, id->sk ? SK_TYPE : "ssh-ed25519",
					      id->sk ? strlen(SK_TYPE) : 11);
			id->bloblen += put_str(id->blob + id->bloblen, pk, sizeof(pk));
			if (id->sk)
				id->bloblen +=
					put_str(id->blob + id->bloblen, id->app, strlen(id->app));
		} else {
			fprintf(stderr, "sk-agent: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!nids) {
		ids[0].sk = 1;
		ids[0].app = "ssh:";
		ids[0].bloblen = put_str(ids[0].blob, SK_TYPE, strlen(SK_TYPE));
		ids[0].bloblen += put_str(ids[0].blob + ids[0].bloblen, pk, sizeof(pk));
		ids[0].bloblen += put_str(ids[0].blob + ids[0].bloblen, "ssh:", 4);
		nids = 1;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "sk-agent: socket path too long\n");
		return 2;
	}
	memcpy(sa.sun_path, argv[1], strlen(argv[1]));
	unlink(argv[1]);
	if ((lfd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 8) < 0) {
		perror("sk-agent");
		return 1;
	}
	/* the public lines last: once they are there, the agent answers */
	for (i = 0; i < nids; i++) {
		char path[4096];

		if (i == 0)
			snprintf(path, sizeof(path), "%s", argv[3]);
		else
			snprintf(path, sizeof(path), "%s.%d", argv[3], i + 1);
		write_pub(path, &ids[i]);
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			continue;
		serve(fd);
		close(fd);
	}
}
