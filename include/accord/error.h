#ifndef ACCORD_ERROR_H
#define ACCORD_ERROR_H

/*
 * Error codes and the last error message, in the manner of libgit2:
 * every fallible function returns 0 or a negative ACCORD_E* code, and the
 * human-readable reason is kept per thread until the next error.
 */

enum {
	ACCORD_OK = 0,
	ACCORD_ERROR = -1,	/* generic runtime failure (I/O, libgit2, ...) */
	ACCORD_ENOTFOUND = -3,	/* object, key, incident or ref does not exist */
	ACCORD_EEXISTS = -4,	/* refusing to overwrite */
	ACCORD_EAMBIGUOUS = -5, /* prefix matches more than one thing */
	ACCORD_EINVALID = -6,	/* bad input: usage, malformed value, schema */
	ACCORD_EBADSIG = -7,	/* signature, chain or integrity failure */
	ACCORD_EDENIED = -8,	/* refused by a rule (authorization, transition) */
	ACCORD_ELOCKED = -9,	/* lock held by someone else */
	ACCORD_EMODIFIED = -10, /* ref moved under us (compare-and-swap lost) */
	ACCORD_EPASS = -11,	/* wrong or missing passphrase */
	ACCORD_ENOMEM =
		-12, /* secure memory (sodium_malloc) refused: RLIMIT_MEMLOCK; heap exhaustion aborts */
};

/* The message of the last failure on this thread, or "" if none. Borrowed. */
const char *accord_error_last(void);

/*
 * Record a formatted message and return `code`, so callers can write
 * `return accord_error_set(ACCORD_EINVALID, "bad %s", x);`.
 */
int accord_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix the current message with more context: "ctx: old message". */
int accord_error_wrap(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record libgit2's last error with our context, returning ACCORD_ERROR or ACCORD_ENOTFOUND. */
int accord_error_git(int git_code, const char *what);

void accord_error_clear(void);

#endif
