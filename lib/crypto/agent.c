/*
 * ssh-agent client. Every message is uint32 length | byte type | body;
 * what comes back is bounds-checked, since the socket is only as
 * trustworthy as whoever set $SSH_AUTH_SOCK.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "accord/agent.h"
#include "accord/error.h"

#define AGENT_FAILURE 5
#define AGENTC_REQUEST_IDENTITIES 11
#define AGENT_IDENTITIES_ANSWER 12
#define AGENTC_SIGN_REQUEST 13
#define AGENT_SIGN_RESPONSE 14
/* OpenSSH's own limit on an agent message */
#define AGENT_MAX (256 * 1024)

static int agent_connect(int *out, const char *sock)
{
	struct sockaddr_un sa;
	int fd;

	if (!sock || !*sock)
		return accord_error_set(ACCORD_ENOTFOUND, "no ssh-agent: SSH_AUTH_SOCK is not set");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(sa.sun_path))
		return accord_error_set(ACCORD_ENOTFOUND,
					"the ssh-agent socket path %s is too long", sock);
	memcpy(sa.sun_path, sock, strlen(sock));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return accord_error_set(ACCORD_ENOTFOUND, "can't reach ssh-agent at %s: %s", sock,
					strerror(e));
	}
	*out = fd;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, unsigned char *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Send one request (type and body), read one answer into `reply` (type byte first). */
static int transact(accord_buf *reply, const char *sock, unsigned char type, const accord_buf *body)
{
	accord_buf msg = ACCORD_BUF_INIT;
	unsigned char len[4];
	uint32_t n;
	int fd = -1, error;

	if ((error = agent_connect(&fd, sock)) < 0)
		return error;
	accord_buf_put_u32(&msg, (uint32_t)(1 + (body ? body->size : 0)));
	accord_buf_putc(&msg, (char)type);
	if (body && body->size)
		accord_buf_put(&msg, body->ptr, body->size);
	if (write_all(fd, msg.ptr, msg.size) < 0 || read_all(fd, len, 4) < 0) {
		error = accord_error_set(ACCORD_ERROR, "ssh-agent at %s hung up", sock);
		goto done;
	}
	n = get_u32(len);
	if (n == 0 || n > AGENT_MAX) {
		error = accord_error_set(ACCORD_ERROR, "ssh-agent at %s sent a %u-byte message",
					 sock, n);
		goto done;
	}
	accord_buf_grow(reply, n);
	if (read_all(fd, (unsigned char *)reply->ptr, n) < 0) {
		error = accord_error_set(ACCORD_ERROR, "ssh-agent at %s hung up mid-answer", sock);
		goto done;
	}
	reply->size = n;
	reply->ptr[n] = '\0';
done:
	close(fd);
	accord_buf_dispose(&msg);
	return error;
}

/* A string at *p within [*p, end): its bytes and length; advances *p. */
static int take_string(const unsigned char **s, size_t *n, const unsigned char **p,
		       const unsigned char *end)
{
	uint32_t len;

	if (end - *p < 4)
		return -1;
	len = get_u32(*p);
	if ((size_t)(end - *p - 4) < len)
		return -1;
	*s = *p + 4;
	*n = len;
	*p += 4 + (size_t)len;
	return 0;
}

int accord_agent_has_key(const char *sock, const void *blob, size_t bloblen)
{
	accord_buf reply = ACCORD_BUF_INIT;
	const unsigned char *p, *end;
	uint32_t count, i;
	int error, found = 0;

	if ((error = transact(&reply, sock, AGENTC_REQUEST_IDENTITIES, NULL)) < 0)
		goto done;
	p = (const unsigned char *)reply.ptr;
	end = p + reply.size;
	if (*p++ != AGENT_IDENTITIES_ANSWER || end - p < 4) {
		error = accord_error_set(ACCORD_ERROR, "ssh-agent at %s did not list its keys",
					 sock);
		goto done;
	}
	count = get_u32(p);
	p += 4;
	for (i = 0; i < count && !found; i++) {
		const unsigned char *k, *comment;
		size_t klen, clen;

		if (take_string(&k, &klen, &p, end) < 0 ||
		    take_string(&comment, &clen, &p, end) < 0) {
			error = accord_error_set(ACCORD_ERROR,
						 "ssh-agent at %s sent a malformed key list", sock);
			goto done;
		}
		found = klen == bloblen && memcmp(k, blob, bloblen) == 0;
	}
	error = found;
done:
	accord_buf_dispose(&reply);
	return error;
}

int accord_agent_sign(accord_buf *out, const char *sock, const void *blob, size_t bloblen,
		      const void *data, size_t len)
{
	accord_buf body = ACCORD_BUF_INIT, reply = ACCORD_BUF_INIT;
	const unsigned char *p, *end, *sig;
	size_t siglen;
	int error;

	accord_buf_put_sshstr(&body, blob, bloblen);
	accord_buf_put_sshstr(&body, data, len);
	accord_buf_put_u32(&body, 0);
	if ((error = transact(&reply, sock, AGENTC_SIGN_REQUEST, &body)) < 0)
		goto done;
	p = (const unsigned char *)reply.ptr;
	end = p + reply.size;
	if (*p == AGENT_FAILURE) {
		error = accord_error_set(
			ACCORD_EDENIED,
			"ssh-agent at %s refused to sign (it lacks the key, or a hardware key was not touched)",
			sock);
		goto done;
	}
	p++;
	if (reply.ptr[0] != AGENT_SIGN_RESPONSE || take_string(&sig, &siglen, &p, end) < 0 ||
	    p != end) {
		error = accord_error_set(ACCORD_ERROR, "ssh-agent at %s sent a malformed signature",
					 sock);
		goto done;
	}
	accord_buf_put(out, sig, siglen);
done:
	accord_buf_dispose(&body);
	accord_buf_dispose(&reply);
	return error;
}
