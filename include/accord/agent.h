#ifndef ACCORD_AGENT_H
#define ACCORD_AGENT_H

#include <stddef.h>

#include "accord/buf.h"

/*
 * A client of ssh-agent (draft-miller-ssh-agent, OpenSSH PROTOCOL.agent)
 * over its unix socket: accord signs with a key whose private half the
 * agent holds, and never sees that private half. A hardware key
 * (sk-ssh-ed25519@openssh.com) answers through the agent the same way.
 * `sock` is the socket's path ($SSH_AUTH_SOCK; the caller reads it).
 */

/*
 * 1 if the agent holds the key with public blob `blob`, 0 if not.
 * ACCORD_ENOTFOUND if there is no agent at `sock` (NULL or empty: none
 * set), ACCORD_ERROR if it does not answer as an agent does.
 */
int accord_agent_has_key(const char *sock, const void *blob, size_t bloblen);

/*
 * Ask the agent to sign `data` with the key whose public blob is `blob`
 * (flags 0: for ssh-ed25519 and sk-ssh-ed25519 the one signature there
 * is). The agent's signature blob (string type | string signature, and
 * flags and counter for an sk key) is appended to `out`; the caller
 * checks it. ACCORD_ENOTFOUND as above; ACCORD_EDENIED if the agent
 * refuses (it lacks the key, or a hardware key was not touched).
 */
int accord_agent_sign(accord_buf *out, const char *sock, const void *blob, size_t bloblen,
		      const void *data, size_t len);

#endif
