/* The ssh-agent client against a real ssh-agent: holding, signing, refusing, and what is no agent. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "helpers.h"

#include "accord/agent.h"
#include "process.h"

typedef struct {
	char *dir;
	char sock[200];
	pid_t agent;
	accord_pubkey held, other; /* a key the agent holds, and one it does not */
	accord_buf held_blob, other_blob;
} fixture;

/* Run a program to its end, expecting exit 0. */
static void run_ok(const char *const *argv, const char *const *set)
{
	accord_process_options o = ACCORD_PROCESS_OPTIONS_INIT;
	accord_buf err = ACCORD_BUF_INIT;
	int status = -1;

	o.argv = argv;
	o.set = set;
	assert_int_equal(accord_process_run(&status, NULL, &err, &o), 0);
	if (status != 0)
		fail_msg("%s exited %d: %s", argv[0], status, err.ptr ? err.ptr : "");
	accord_buf_dispose(&err);
}

/* An Ed25519 key made by ssh-keygen at dir/name; its public half in *pub and *blob. */
static void keygen(fixture *f, const char *name, accord_pubkey *pub, accord_buf *blob)
{
	char path[300], pubpath[310];
	const char *const argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "",
				     "-C",	   name, "-f", path,	  NULL };
	accord_buf line = ACCORD_BUF_INIT;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	run_ok(argv, NULL);
	snprintf(pubpath, sizeof(pubpath), "%s.pub", path);
	assert_int_equal(accord_buf_read_file(&line, pubpath, 4096), 0);
	assert_int_equal(accord_pubkey_from_openssh(pub, line.ptr), 0);
	accord_pubkey_blob(blob, pub);
	accord_buf_dispose(&line);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	char path[300], env[256];
	const char *set[] = { env, NULL };
	const char *add[] = { "ssh-add", "-q", path, NULL };
	struct stat st;
	int i;

	assert_non_null(f);
	f->dir = th_tmpdir();
	snprintf(f->sock, sizeof(f->sock), "%s/agent.sock", f->dir);
	keygen(f, "held", &f->held, &f->held_blob);
	keygen(f, "other", &f->other, &f->other_blob);

	/* a real ssh-agent of our own, in the foreground so that its pid is ours to end */
	f->agent = fork();
	assert_true(f->agent >= 0);
	if (f->agent == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, 1) < 0)
			_exit(127);
		execlp("ssh-agent", "ssh-agent", "-D", "-a", f->sock, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200 && stat(f->sock, &st) != 0; i++)
		nanosleep(&(struct timespec){ 0, 25 * 1000 * 1000 }, NULL);
	assert_int_equal(stat(f->sock, &st), 0);
	snprintf(env, sizeof(env), "SSH_AUTH_SOCK=%s", f->sock);
	snprintf(path, sizeof(path), "%s/held", f->dir);
	run_ok(add, set);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	int status;

	if (f->agent > 0) {
		kill(f->agent, SIGTERM);
		waitpid(f->agent, &status, 0);
	}
	accord_buf_dispose(&f->held_blob);
	accord_buf_dispose(&f->other_blob);
	th_rmdir(f->dir);
	free(f);
	return 0;
}

static void test_agent_has_key(void **state)
{
	fixture *f = *state;

	assert_int_equal(accord_agent_has_key(f->sock, f->held_blob.ptr, f->held_blob.size), 1);
	assert_int_equal(accord_agent_has_key(f->sock, f->other_blob.ptr, f->other_blob.size), 0);
	/* the same key bytes under another type are another key */
	f->held.type = ACCORD_KEY_SK_ED25519;
	snprintf(f->held.application, sizeof(f->held.application), "ssh:");
	accord_buf_clear(&f->other_blob);
	accord_pubkey_blob(&f->other_blob, &f->held);
	assert_int_equal(accord_agent_has_key(f->sock, f->other_blob.ptr, f->other_blob.size), 0);
}

/* Read an SSH string (uint32 length, bytes) at *p of `end`. */
static const unsigned char *ssh_string(size_t *len, const unsigned char **p,
				       const unsigned char *end)
{
	const unsigned char *s;

	assert_true(end - *p >= 4);
	*len = (size_t)(*p)[0] << 24 | (size_t)(*p)[1] << 16 | (size_t)(*p)[2] << 8 | (*p)[3];
	assert_true((size_t)(end - *p - 4) >= *len);
	s = *p + 4;
	*p = s + *len;
	return s;
}

static void test_agent_signs_with_held_key(void **state)
{
	fixture *f = *state;
	accord_buf sig = ACCORD_BUF_INIT;
	const char data[] = "the bytes accord asks the agent to sign";
	const unsigned char *p, *end, *type, *raw;
	size_t type_len, raw_len;

	accord_buf_puts(&sig, "kept:"); /* appended, not overwritten */
	assert_int_equal(accord_agent_sign(&sig, f->sock, f->held_blob.ptr, f->held_blob.size, data,
					   sizeof(data) - 1),
			 0);
	assert_int_equal(memcmp(sig.ptr, "kept:", 5), 0);
	p = (const unsigned char *)sig.ptr + 5;
	end = (const unsigned char *)sig.ptr + sig.size;
	type = ssh_string(&type_len, &p, end);
	assert_int_equal(type_len, 11);
	assert_memory_equal(type, "ssh-ed25519", 11);
	raw = ssh_string(&raw_len, &p, end);
	assert_int_equal(raw_len, crypto_sign_BYTES);
	assert_ptr_equal(p, end);
	/* a real Ed25519 signature by the held key over exactly these bytes */
	assert_int_equal(crypto_sign_verify_detached(raw, (const unsigned char *)data,
						     sizeof(data) - 1, f->held.pk),
			 0);
	assert_int_not_equal(crypto_sign_verify_detached(raw, (const unsigned char *)data,
							 sizeof(data) - 2, f->held.pk),
			     0);
	accord_buf_dispose(&sig);
}

static void test_agent_refuses_key_it_lacks(void **state)
{
	fixture *f = *state;
	accord_buf sig = ACCORD_BUF_INIT;

	accord_error_clear();
	assert_int_equal(
		accord_agent_sign(&sig, f->sock, f->other_blob.ptr, f->other_blob.size, "x", 1),
		ACCORD_EDENIED);
	assert_true(accord_error_last()[0] != '\0');
	assert_int_equal(sig.size, 0);
	accord_buf_dispose(&sig);
}

static void test_agent_missing(void **state)
{
	fixture *f = *state;
	accord_buf sig = ACCORD_BUF_INIT;
	char gone[300];

	assert_int_equal(accord_agent_has_key(NULL, f->held_blob.ptr, f->held_blob.size),
			 ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), "SSH_AUTH_SOCK"));
	assert_int_equal(accord_agent_has_key("", f->held_blob.ptr, f->held_blob.size),
			 ACCORD_ENOTFOUND);
	snprintf(gone, sizeof(gone), "%s/no-agent.sock", f->dir);
	assert_int_equal(accord_agent_has_key(gone, f->held_blob.ptr, f->held_blob.size),
			 ACCORD_ENOTFOUND);
	assert_non_null(strstr(accord_error_last(), gone));
	assert_int_equal(accord_agent_sign(&sig, gone, f->held_blob.ptr, f->held_blob.size, "x", 1),
			 ACCORD_ENOTFOUND);
	accord_buf_dispose(&sig);
}

/* A socket that answers like no agent: reads a request, writes `reply`, closes. */
struct impostor {
	int listen_fd;
	const char *reply;
	size_t reply_len;
};

static void *impostor_serve(void *arg)
{
	struct impostor *im = arg;
	char buf[4096];
	int fd = accept(im->listen_fd, NULL, NULL);

	if (fd >= 0) {
		(void)!read(fd, buf, sizeof(buf));
		(void)!write(fd, im->reply, im->reply_len);
		close(fd);
	}
	return NULL;
}

static void test_agent_not_an_agent(void **state)
{
	fixture *f = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct impostor im;
	pthread_t t;
	char path[300];
	/* a length prefix promising more than is sent, then the end of the stream */
	static const char truncated[] = "\0\0\0\x10\x0c";
	/* a well-framed reply, "no keys", under a type no agent sends for a list of keys */
	static const char wrong_type[] = "\0\0\0\x05\x63\0\0\0\0";

	snprintf(path, sizeof(path), "%s/impostor.sock", f->dir);
	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	for (int round = 0; round < 2; round++) {
		im.listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_true(im.listen_fd >= 0);
		unlink(path);
		assert_int_equal(bind(im.listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
		assert_int_equal(listen(im.listen_fd, 1), 0);
		im.reply = round ? wrong_type : truncated;
		im.reply_len = round ? sizeof(wrong_type) - 1 : sizeof(truncated) - 1;
		assert_int_equal(pthread_create(&t, NULL, impostor_serve, &im), 0);
		assert_int_equal(accord_agent_has_key(path, f->held_blob.ptr, f->held_blob.size),
				 ACCORD_ERROR);
		assert_int_equal(pthread_join(t, NULL), 0);
		close(im.listen_fd);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_agent_has_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_signs_with_held_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_refuses_key_it_lacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_not_an_agent, setup, teardown),
	};

	return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
