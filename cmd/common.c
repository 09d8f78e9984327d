#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"

int cmd_exit_code(int error)
{
	switch (error) {
	case 0: return ACCORD_EXIT_OK;
	case ACCORD_EINVALID: return ACCORD_EXIT_USAGE;
	case ACCORD_EBADSIG: return ACCORD_EXIT_VERIFY;
	default: return ACCORD_EXIT_FAIL;
	}
}

/*
 * Messages quote names, values and other parties' text: they go through
 * accord_escape like every other output, so nothing can move the cursor.
 * A message may list things one per line (ambiguous prefixes); each line
 * after the first is indented under "accord: ", so no text can pass for a
 * message of its own.
 */
static void vwarn(const char *fmt, va_list ap)
{
	accord_buf raw = ACCORD_BUF_INIT, out = ACCORD_BUF_INIT;
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n >= 0) {
		accord_buf_grow(&raw, (size_t)n);
		vsnprintf(raw.ptr, (size_t)n + 1, fmt, ap);
		raw.size = (size_t)n;
	}
	accord_escape(&out, raw.ptr ? raw.ptr : "", ACCORD_ESCAPE_MULTILINE);
	fputs("accord: ", stderr);
	for (const char *p = out.ptr; *p; p++) {
		fputc(*p, stderr);
		if (*p == '\n')
			fputs("accord:   ", stderr);
	}
	fputc('\n', stderr);
	accord_buf_dispose(&raw);
	accord_buf_dispose(&out);
}

const char *cmd_esc(const char *s, unsigned flags)
{
	static accord_buf ring[16];
	static unsigned next;
	accord_buf *b = &ring[next++ % 16];

	accord_buf_clear(b);
	accord_escape(b, s ? s : "", flags);
	return b->ptr;
}

const char *cmd_esc_block(const char *s, int indent)
{
	static accord_buf ring[8];
	static unsigned next;
	accord_buf *b = &ring[next++ % 8];
	const char *e = cmd_esc(s, ACCORD_ESCAPE_MULTILINE), *p;

	accord_buf_clear(b);
	accord_buf_puts(b, "");
	for (p = e; *p; p++) {
		accord_buf_putc(b, *p);
		if (*p == '\n')
			accord_buf_printf(b, "%*s| ", indent, "");
	}
	return b->ptr;
}

void cmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

int cmd_fail(int error)
{
	const char *msg = accord_error_last();

	cmd_warn("%s", msg[0] ? msg : "failed");
	return cmd_exit_code(error);
}

int cmd_failf(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	return code;
}

int cmd_usage_error(accord_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'accord %s --help'.\n", ctx->command ? ctx->command : "");
	return ACCORD_EXIT_USAGE;
}

int cmd_getopt(accord_ctx *ctx, int argc, char **argv, const struct option *longopts)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, ":h", longopts, NULL);
	if (c == '?') {
		if (optopt)
			cmd_usage_error(ctx, "unknown option -%c", optopt);
		else
			cmd_usage_error(ctx, "unknown option %s", argv[optind - 1]);
		return '?';
	}
	if (c == ':') {
		cmd_usage_error(ctx, "option %s needs a value", argv[optind - 1]);
		return '?';
	}
	return c;
}

void cmd_ctx_release(accord_ctx *ctx)
{
	accord_ledger_free(ctx->ledger);
	accord_store_free(ctx->store);
	accord_key_free(ctx->key);
	ctx->ledger = NULL;
	ctx->store = NULL;
	ctx->key = NULL;
}

/* cmd_fail, naming the listed ledger in a cross-ledger view. */
static int fail_in(accord_ctx *ctx, int error)
{
	const char *msg = accord_error_last();

	if (!ctx->label)
		return cmd_fail(error);
	cmd_warn("ledger %s: %s", ctx->label, msg[0] ? msg : "failed");
	return cmd_exit_code(error);
}

void cmd_keep_memo(accord_store *store, const unsigned char *key)
{
	accord_sigcache *sc = NULL;

	if (accord_sigcache_open(&sc, accord_store_gitdir(store), key) == 0)
		accord_store_set_sigcache(store, sc);
}

int cmd_open_store(accord_ctx *ctx)
{
	unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN];
	int error;

	if (ctx->store)
		return 0;
	if ((error = accord_store_open(&ctx->store, ctx->dir)) < 0)
		return fail_in(ctx, error);
	if (cmd_cache_key(key, ctx))
		cmd_keep_memo(ctx->store, key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

/* Create `path` and its missing parents (0700); failures show when the key is written. */
static void make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(path, 0700);
			*p = '/';
		}
	(void)mkdir(path, 0700);
}

/*
 * The cache key, kept in the key home (made there, 0600, on first use).
 * Without one (no home, a read-only one) the ledger is verified in full on
 * every open: slower, never less sound.
 */
int cmd_cache_key(unsigned char *out, accord_ctx *ctx)
{
	char *home = NULL, *path = NULL;
	int ok;

	if (cmd_key_home(&home, ctx) < 0) {
		accord_error_clear();
		return 0;
	}
	make_dirs(home);
	ok = asprintf(&path, "%s/index.key", home) >= 0 && accord_ledger_cache_key(out, path) == 0;
	if (!ok)
		accord_error_clear();
	free(path);
	free(home);
	return ok;
}

/* Open the ledger (ctx->ledger), with the write lock first if `lock`. */
static int load(accord_ctx *ctx, int lock, unsigned int flags)
{
	accord_ledger_options opts = ACCORD_LEDGER_OPTIONS_INIT;
	unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN];
	int error;

	if ((error = cmd_open_store(ctx)) != 0)
		return error;
	if (lock && (error = accord_store_lock(ctx->store)) < 0)
		return fail_in(ctx, error);
	opts.flags = flags;
	if (cmd_cache_key(key, ctx))
		opts.cache_key = key;
	error = accord_ledger_open(&ctx->ledger, ctx->store, &opts);
	sodium_memzero(key, sizeof(key));
	if (error < 0)
		return fail_in(ctx, error);
	cmd_notice_left_out(ctx);
	return 0;
}

int cmd_load(accord_ctx *ctx, int lock)
{
	return load(ctx, lock, ACCORD_LEDGER_OPEN_ENTRIES);
}

int cmd_load_fields(accord_ctx *ctx, int lock)
{
	return load(ctx, lock, ACCORD_LEDGER_OPEN_ENTRIES | ACCORD_LEDGER_OPEN_NO_BYTES);
}

int cmd_load_incidents(accord_ctx *ctx, int lock)
{
	return load(ctx, lock, 0);
}

void cmd_save_index(accord_ctx *ctx)
{
	unsigned char key[ACCORD_LEDGER_CACHE_KEY_LEN];

	if (ctx->ledger && cmd_cache_key(key, ctx) &&
	    accord_ledger_save_index(ctx->ledger, key) < 0)
		accord_error_clear();
	sodium_memzero(key, sizeof(key));
}

void cmd_notice_left_out(accord_ctx *ctx)
{
	const accord_finding *findings, *f;
	accord_buf msg = ACCORD_BUF_INIT;
	size_t left_out, finding_count;

	if (!ctx->ledger)
		return;
	findings = accord_ledger_findings(ctx->ledger, &finding_count);
	left_out = accord_ledger_left_out(ctx->ledger);
	if (!left_out && !finding_count)
		return;
	f = finding_count ? &findings[0] : NULL;
	/* built whole, then written through cmd_warn: the explanation may quote a forged entry */
	if (ctx->label)
		accord_buf_printf(&msg, "ledger %s: ", ctx->label);
	if (left_out)
		accord_buf_printf(&msg, "%zu entr%s left out, %s do%s not count%s", left_out,
				  left_out == 1 ? "y" : "ies", left_out == 1 ? "it" : "they",
				  left_out == 1 ? "es" : "", f ? ": " : "");
	else /* a fork whose side counts where vouched for: the proof stays, nothing is lost */
		accord_buf_printf(&msg, "nothing left out, but ");
	if (f) {
		accord_buf_printf(&msg, "%s", accord_audit_kind_name(f->kind));
		if (f->feed[0])
			accord_buf_printf(&msg, " on feed %s", f->label[0] ? f->label : f->feed);
		if (f->seq > 0)
			accord_buf_printf(&msg, " seq %lld", (long long)f->seq);
		if (f->commit[0])
			accord_buf_printf(&msg, ", commit %s", f->commit);
		accord_buf_printf(&msg, ": %s", f->explanation ? f->explanation : "");
	}
	if (finding_count > 1)
		accord_buf_printf(&msg, " (and %zu more finding%s)", finding_count - 1,
				  finding_count == 2 ? "" : "s");
	cmd_warn("%s; 'accord audit'%s%s lists every finding", msg.ptr, ctx->label ? " -C " : "",
		 ctx->label ? ctx->dir : "");
	accord_buf_dispose(&msg);
}

char *cmd_read_passphrase(const char *prompt, int confirm)
{
	const char *env = getenv("ACCORD_PASSPHRASE");
	struct termios old, quiet;
	char *buf, *again = NULL;
	size_t n = 0;
	int fd, c;

	buf = sodium_malloc(1024);
	if (!buf)
		return NULL;
	if (env) {
		snprintf(buf, 1024, "%s", env);
		return buf;
	}
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || !isatty(fd)) {
		if (fd >= 0)
			close(fd);
		sodium_free(buf);
		return NULL;
	}
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is a courtesy; read anyway */
	}
	tcgetattr(fd, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || ch == '\n' || ch == '\r')
			break;
		c = (unsigned char)ch;
		if (n < 1023)
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* cosmetic */
	}
	close(fd);
	if (confirm && n > 0) {
		again = cmd_read_passphrase("Repeat passphrase: ", 0);
		if (!again || strcmp(again, buf) != 0) {
			cmd_free_passphrase(again);
			cmd_free_passphrase(buf);
			fprintf(stderr, "accord: the passphrases differ\n");
			return NULL;
		}
		cmd_free_passphrase(again);
	}
	return buf;
}

void cmd_free_passphrase(char *pass)
{
	if (pass) {
		sodium_memzero(pass, 1024);
		sodium_free(pass);
	}
}

int cmd_key_home(char **out, accord_ctx *ctx)
{
	accord_key_home_options o = ACCORD_KEY_HOME_OPTIONS_INIT;

	o.home = ctx->home && *ctx->home ? ctx->home : getenv("ACCORD_HOME");
	o.xdg_config_home = getenv("XDG_CONFIG_HOME");
	o.user_home = getenv("HOME");
	return accord_key_home(out, &o);
}

int cmd_load_key(accord_ctx *ctx)
{
	char *home = NULL, *pass = NULL;
	int error;

	if (ctx->key)
		return 0;
	if ((error = cmd_key_home(&home, ctx)) < 0)
		return cmd_fail(error);
	if (accord_key_is_agent(home)) {
		/* the private half is in ssh-agent: sign through it, never read a key */
		error = accord_key_load_agent(&ctx->key, home, getenv("SSH_AUTH_SOCK"));
		free(home);
		if (error < 0) {
			cmd_fail(error);
			return ACCORD_EXIT_FAIL;
		}
		return 0;
	}
	if (accord_key_is_encrypted(home))
		pass = cmd_read_passphrase("Passphrase: ", 0);
	error = accord_key_load(&ctx->key, home, pass);
	if (error == ACCORD_EPASS && (!pass || !*pass)) {
		/* name the way out: scripts and CI have no terminal to ask on */
		if (pass)
			cmd_failf(ACCORD_EXIT_FAIL, "%s, and the one given is empty",
				  accord_error_last());
		else
			cmd_failf(
				ACCORD_EXIT_FAIL,
				"%s, and there is no terminal to ask for it on: set ACCORD_PASSPHRASE",
				accord_error_last());
		cmd_free_passphrase(pass);
		free(home);
		return ACCORD_EXIT_FAIL;
	}
	cmd_free_passphrase(pass);
	if (error == ACCORD_ENOTFOUND) {
		cmd_failf(ACCORD_EXIT_FAIL, "no key in %s (create one with 'accord key new')",
			  home);
		free(home);
		return ACCORD_EXIT_FAIL;
	}
	free(home);
	if (error < 0) {
		cmd_fail(error);
		return ACCORD_EXIT_FAIL; /* a bad key file or passphrase is not a usage error */
	}
	return 0;
}

int cmd_recovery_commit(accord_ctx *ctx, const char *dir, cmd_recovery *out)
{
	char *home = NULL;
	accord_pubkey pub;
	accord_key *key = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if (dir) {
		out->dir = accord_xstrdup(dir);
	} else {
		if ((error = cmd_key_home(&home, ctx)) < 0)
			return cmd_fail(error);
		if (asprintf(&out->dir, "%s/recovery", home) < 0)
			accord_oom();
		free(home);
	}
	if ((error = accord_key_load_public(&pub, out->dir)) == ACCORD_ENOTFOUND) {
		const char *pass = getenv("ACCORD_PASSPHRASE");

		if ((error = accord_key_generate(&key, out->dir, "recovery", pass, 0)) == 0) {
			pub = key->pub;
			accord_key_free(key);
		}
	}
	if (error < 0) {
		error = cmd_failf(ACCORD_EXIT_FAIL, "recovery key in %s: %s", out->dir,
				  accord_error_last());
		free(out->dir);
		out->dir = NULL;
		return error;
	}
	accord_recovery_hash(out->hash, &pub);
	memcpy(out->id, pub.id, sizeof(out->id));
	return 0;
}

int cmd_recovery_end(cmd_recovery *rc, const char *party, int error)
{
	/*
	 * A key made for a refused command stays: the next attempt commits to
	 * it. Removing it could lose the one key an entry names, were the
	 * append to fail after its ref moved.
	 */
	if (rc->dir && error == 0)
		cmd_warn("party %s commits to the recovery key in %s (%.12s): move it offline now; "
			 "it alone can replace %s's root key (accord party recover)",
			 party, rc->dir, rc->id, party);
	free(rc->dir);
	rc->dir = NULL;
	return error;
}

int cmd_find_incident(const accord_entry **out, accord_ctx *ctx, const char *arg)
{
	int error = accord_ledger_find_incident(out, ctx->ledger, arg);

	if (error == ACCORD_EINVALID)
		return cmd_usage_error(ctx, "%s", accord_error_last());
	if (error < 0)
		return cmd_fail(error);
	return 0;
}

void cmd_short_id(char *out, size_t outlen, accord_ctx *ctx, const char *id)
{
	size_t len = accord_ledger_short_len(ctx->ledger, id, 12);

	if (len < 12)
		len = 12;
	snprintf(out, outlen, "%.*s", (int)len, id);
}

int cmd_parse_int(accord_ctx *ctx, int64_t *out, const char *what, const char *s, int64_t min,
		  int64_t max)
{
	char *end = NULL;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || (s[0] < '0' || s[0] > '9') || v < min || v > max)
		return cmd_usage_error(ctx, "%s must be a whole number from %lld to %lld, not '%s'",
				       what, (long long)min, (long long)max, s);
	*out = v;
	return 0;
}

int cmd_parse_time(accord_ctx *ctx, int64_t *out, const char *what, const char *s)
{
	if (accord_time_parse(out, s) < 0)
		return cmd_usage_error(ctx, "%s: %s", what, accord_error_last());
	return 0;
}

int cmd_parse_duration(accord_ctx *ctx, int64_t *out, const char *what, const char *s)
{
	if (accord_duration_parse(out, s) < 0)
		return cmd_usage_error(ctx, "%s: %s", what, accord_error_last());
	return 0;
}

int cmd_check_text(accord_ctx *ctx, const char *what, const char *s, int multiline)
{
	uint32_t cp;
	size_t at;

	if (!accord_utf8_valid(s, strlen(s)))
		return cmd_usage_error(ctx, "%s is not valid UTF-8", what);
	if (!*s)
		return cmd_usage_error(ctx, "%s is empty", what);
	/* the same rule as the schemas, so what the CLI takes is never refused on read */
	if (accord_text_find_forbidden(&cp, &at, s, multiline)) {
		if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return cmd_usage_error(
				ctx,
				"%s holds a bidirectional control character (U+%04X at byte %zu)",
				what, (unsigned)cp, at);
		return cmd_usage_error(ctx, "%s holds a control character (U+%04X at byte %zu)",
				       what, (unsigned)cp, at);
	}
	return 0;
}

int cmd_print_json(cJSON *doc)
{
	char *text = cJSON_Print(doc);
	accord_buf safe = ACCORD_BUF_INIT;

	cJSON_Delete(doc);
	if (!text)
		return cmd_failf(ACCORD_EXIT_FAIL, "out of memory printing JSON");
	accord_escape_json(&safe, text);
	fputs(safe.ptr, stdout);
	fputc('\n', stdout);
	accord_buf_dispose(&safe);
	cJSON_free(text);
	return 0;
}

int cmd_finish(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE) /* the reader went away (accord log | head): not worth a word */
			return code ? code : ACCORD_EXIT_FAIL;
		fprintf(stderr, "accord: can't write to standard output: %s\n", strerror(errno));
		return code ? code : ACCORD_EXIT_FAIL;
	}
	return code;
}

int cmd_write(accord_ctx *ctx, const char *type, const char *incident, cJSON *body)
{
	char id[ACCORD_ID_HEXLEN + 1];
	int error = cmd_append(ctx, type, incident, body, id);

	cJSON_Delete(body);
	if (error)
		return error;
	printf("%.12s\n", id);
	return 0;
}

int cmd_append(accord_ctx *ctx, const char *type, const char *incident, cJSON *body, char *out_id)
{
	char id[ACCORD_ID_HEXLEN + 1];
	int error = accord_ledger_append(id, ctx->ledger, ctx->key, type, incident, body);

	if (error < 0)
		return cmd_fail(error);
	if (out_id)
		memcpy(out_id, id, sizeof(id));
	return 0;
}

int cmd_valid_ledger_id(const char *s)
{
	return strlen(s) == ACCORD_ID_HEXLEN && strspn(s, "0123456789abcdef") == ACCORD_ID_HEXLEN;
}

int cmd_no_such_party(accord_ctx *ctx, const char *name)
{
	const accord_parties *p = accord_ledger_parties(ctx->ledger);
	accord_buf known = ACCORD_BUF_INIT;
	size_t i;
	int code;

	for (i = 0; i < p->party_count; i++)
		accord_buf_printf(&known, "%s%s", i ? ", " : "", p->parties[i].name);
	code = cmd_failf(ACCORD_EXIT_FAIL, "there is no party '%s' in this ledger (known: %s)",
			 name, known.ptr ? known.ptr : "none");
	accord_buf_dispose(&known);
	return code;
}

cJSON *cmd_heads_body(accord_ctx *ctx)
{
	const accord_feed *f;
	cJSON *body = cJSON_CreateObject(), *heads = cJSON_AddArrayToObject(body, "heads");
	size_t i;

	for (i = 0; (f = accord_ledger_feed_at(ctx->ledger, i)) != NULL; i++) {
		cJSON *h;

		if (!f->last)
			continue;
		h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "feed", f->keyid);
		cJSON_AddNumberToObject(h, "seq", (double)f->seq);
		cJSON_AddStringToObject(h, "hash", f->last->id);
		cJSON_AddItemToArray(heads, h);
	}
	return body;
}

int cmd_setup(accord_ctx *ctx)
{
	int error, lock = (ctx->setup & CMD_LOCK) != 0;

	if ((ctx->setup & CMD_NEEDS_KEY) && (error = cmd_load_key(ctx)))
		return error;
	if (ctx->setup & CMD_NEEDS_ENTRIES)
		return cmd_load(ctx, lock);
	if (ctx->setup & CMD_NEEDS_FIELDS)
		return cmd_load_fields(ctx, lock);
	if (ctx->setup & CMD_NEEDS_LEDGER)
		return cmd_load_incidents(ctx, lock);
	return 0;
}

int cmd_prepare(accord_ctx *ctx, const char *arg, const accord_entry **open, accord_incident **inc,
		int flags)
{
	int error;

	if ((error = cmd_setup(ctx)))
		return error;
	if (!open)
		return 0;
	if ((error = cmd_find_incident(open, ctx, arg)))
		return error;
	if (inc && (error = accord_incident_build(inc, ctx->ledger, *open)) < 0)
		return cmd_fail(error);
	if (inc && (flags & CMD_PREPARE_SETTLE))
		accord_incident_settle_duplicate_in(*inc, ctx->ledger);
	return 0;
}

int cmd_options(accord_ctx *ctx, int argc, char **argv, const struct option *opts,
		const char *usage, int (*take)(int c, void *arg), void *arg)
{
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (c == '?' || !take || take(c, arg) != 0)
			return ACCORD_EXIT_USAGE;
	}
	return 0;
}

int cmd_party_ambiguous(accord_ctx *ctx, const char *name)
{
	const accord_parties *p = accord_ledger_parties(ctx->ledger);
	const accord_member *me = ctx->key ? accord_parties_member(p, ctx->key->pub.id) : NULL;
	accord_buf which = ACCORD_BUF_INIT;
	size_t i, n = 0;
	int code;

	/* a member naming its own party means it (the rules say so too) */
	if (me && me->accepted && !strcmp(p->parties[me->party].name, name))
		return 0;
	for (i = 0; i < p->party_count; i++) {
		if (strcmp(p->parties[i].name, name) != 0)
			continue;
		accord_buf_printf(&which, "\n  %s  root key %s, joined by entry %.12s",
				  cmd_esc(name, 0), p->members[p->parties[i].root]->key.id,
				  p->parties[i].joined_by[0] ? p->parties[i].joined_by
							     : "(unknown)");
		n++;
	}
	code = n > 1 ? cmd_failf(
			       ACCORD_EXIT_USAGE,
			       "%zu parties are named '%s' (invited concurrently): an entry naming it cannot say which, "
			       "so nothing was written. They are:%s",
			       n, cmd_esc(name, 0), which.ptr)
		     : 0;
	accord_buf_dispose(&which);
	return code;
}

int cmd_valid_name(const char *s)
{
	return accord_name_valid(s);
}

int cmd_color(void)
{
	static int decided = -1;
	const char *no = getenv("NO_COLOR");

	/* no-color.org: any non-empty NO_COLOR turns colour off; only a terminal gets it */
	if (decided < 0)
		decided = isatty(STDOUT_FILENO) && !(no && *no) &&
			  !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
	return decided;
}

const char *cmd_sgr(const char *code)
{
	return cmd_color() ? code : "";
}

const char *cmd_status_color(const char *status)
{
	if (!strcmp(status, "investigating"))
		return cmd_sgr(SGR_RED);
	if (!strcmp(status, "identified") || !strcmp(status, "mitigated") ||
	    !strcmp(status, "waiting"))
		return cmd_sgr(SGR_YELLOW);
	if (!strcmp(status, "resolved"))
		return cmd_sgr(SGR_GREEN);
	return cmd_sgr(SGR_DIM);
}

void cmd_reltime(char *out, size_t len, int64_t t)
{
	int64_t d = accord_time_now() - t, a = d < 0 ? -d : d;
	const char *unit;
	int64_t n;

	if (a < 60) {
		snprintf(out, len, "just now");
		return;
	}
	if (a < 3600)
		n = a / 60, unit = "m";
	else if (a < 86400 * 2)
		n = a / 3600, unit = "h";
	else if (a < 86400 * 60)
		n = a / 86400, unit = "d";
	else if (a < 86400 * 365 * 2)
		n = a / (86400 * 30), unit = "mo";
	else
		n = a / (86400 * 365), unit = "y";
	if (d < 0)
		snprintf(out, len, "in %lld%s", (long long)n, unit);
	else
		snprintf(out, len, "%lld%s ago", (long long)n, unit);
}

int cmd_dispatch(accord_ctx *ctx, int argc, char **argv, const char *group, const char *usage,
		 const struct cmd_sub *subs)
{
	static char name[64];
	accord_buf names = ACCORD_BUF_INIT;
	const struct cmd_sub *s;
	int code;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? ACCORD_EXIT_USAGE : 0;
	}
	for (s = subs; s->name; s++) {
		if (!strcmp(argv[1], s->name)) {
			snprintf(name, sizeof(name), "%s %s", group, s->name);
			ctx->command = name;
			if (s->setup)
				ctx->setup = s->setup;
			return s->fn(ctx, argc - 1, argv + 1);
		}
	}
	/* Only an unknown name needs the list, so build it here, not in the loop. */
	for (s = subs; s->name; s++)
		accord_buf_printf(&names, "%s%s", s == subs ? "" : ", ", s->name);
	ctx->command = group;
	code = cmd_usage_error(ctx, "unknown %s command '%s' (%s)", group, argv[1], names.ptr);
	accord_buf_dispose(&names);
	return code;
}

int cmd_take_ledger_pick(cmd_ledger_pick *out, accord_ctx *ctx, int argc, char **argv)
{
	int i, j;

	memset(out, 0, sizeof(*out));
	for (i = j = 1; i < argc; i++) {
		const char *name = NULL;

		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[j++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--all-ledgers")) {
			out->all = 1;
			continue;
		}
		if (!strcmp(argv[i], "--ledger")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return cmd_usage_error(
					       ctx, "--ledger needs the name of a listed ledger"),
				       -1;
			name = argv[++i];
		} else if (!strncmp(argv[i], "--ledger=", 9)) {
			name = argv[i] + 9;
		}
		if (name) {
			if (out->name_count == CMD_MAX_LEDGER_NAMES)
				return cmd_usage_error(ctx,
						       "more than %d --ledger: use --all-ledgers",
						       CMD_MAX_LEDGER_NAMES),
				       -1;
			out->names[out->name_count++] = name;
			continue;
		}
		argv[j++] = argv[i];
	}
	argv[j] = NULL;
	if (out->all && out->name_count)
		return cmd_usage_error(ctx, "--all-ledgers and --ledger exclude each other"), -1;
	return j;
}
