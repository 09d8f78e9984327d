/*
 * URI references (RFC 3986): parsing into parts, resolving a reference
 * against a base (5.2.2) with dot segments removed (5.2.4), and
 * percent-decoding a fragment. Enough for "$id" and "$ref"; nothing here
 * looks a URI up (schema.c does).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "accord/buf.h"
#include "schema_impl.h"
#include "schema_uri.h"

struct uri_parts {
	const char *scheme, *auth, *path, *query, *frag;
	size_t scheme_len, auth_len, path_len, query_len, frag_len;
	int has_scheme, has_auth, has_query, has_frag;
};

static void uri_parse(struct uri_parts *u, const char *s)
{
	const char *p = s;

	memset(u, 0, sizeof(*u));
	if (isalpha((unsigned char)*p)) {
		const char *q = p + 1;

		while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
			q++;
		if (*q == ':') {
			u->has_scheme = 1;
			u->scheme = p;
			u->scheme_len = (size_t)(q - p);
			p = q + 1;
		}
	}
	if (p[0] == '/' && p[1] == '/') {
		u->has_auth = 1;
		u->auth = p + 2;
		u->auth_len = strcspn(u->auth, "/?#");
		p = u->auth + u->auth_len;
	}
	u->path = p;
	u->path_len = strcspn(p, "?#");
	p += u->path_len;
	if (*p == '?') {
		u->has_query = 1;
		u->query = p + 1;
		u->query_len = strcspn(u->query, "#");
		p = u->query + u->query_len;
	}
	if (*p == '#') {
		u->has_frag = 1;
		u->frag = p + 1;
		u->frag_len = strlen(u->frag);
	}
}

/* RFC 3986 5.2.4, on a NUL-terminated copy; the result is appended to out. */
static void remove_dot_segments(accord_buf *out, const char *in)
{
	accord_buf o = ACCORD_BUF_INIT;
	char *last;

	while (*in) {
		if (strncmp(in, "../", 3) == 0) {
			in += 3;
		} else if (strncmp(in, "./", 2) == 0) {
			in += 2;
		} else if (strncmp(in, "/./", 3) == 0) {
			in += 2;
		} else if (strcmp(in, "/.") == 0) {
			in = "/";
		} else if (strncmp(in, "/../", 4) == 0 || strcmp(in, "/..") == 0) {
			in = in[3] ? in + 3 : "/";
			if (o.ptr && (last = strrchr(o.ptr, '/')) != NULL) {
				o.size = (size_t)(last - o.ptr);
				o.ptr[o.size] = '\0';
			} else {
				accord_buf_clear(&o);
			}
		} else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) {
			break;
		} else {
			size_t n = strcspn(in + 1, "/") + 1;

			accord_buf_put(&o, in, n);
			in += n;
		}
	}
	if (o.size)
		accord_buf_put(out, o.ptr, o.size);
	accord_buf_dispose(&o);
}

static void put_path(accord_buf *out, const char *p, size_t n)
{
	char *tmp = xstrndup(p, n);

	remove_dot_segments(out, tmp);
	free(tmp);
}

/* Resolve `ref` against `base` (RFC 3986 5.2.2). Returns a malloc'd string. */
char *accord_uri_resolve(const char *base, const char *ref)
{
	struct uri_parts b, r;
	accord_buf out = ACCORD_BUF_INIT;

	uri_parse(&r, ref);
	if (r.has_scheme || !base) {
		accord_buf_puts(&out, "");
		if (r.has_scheme) {
			accord_buf_put(&out, r.scheme, r.scheme_len);
			accord_buf_putc(&out, ':');
		}
		if (r.has_auth) {
			accord_buf_puts(&out, "//");
			accord_buf_put(&out, r.auth, r.auth_len);
		}
		if (r.has_scheme)
			put_path(&out, r.path, r.path_len);
		else
			accord_buf_put(&out, r.path, r.path_len);
		if (r.has_query) {
			accord_buf_putc(&out, '?');
			accord_buf_put(&out, r.query, r.query_len);
		}
		goto frag;
	}
	uri_parse(&b, base);
	if (b.has_scheme) {
		accord_buf_put(&out, b.scheme, b.scheme_len);
		accord_buf_putc(&out, ':');
	}
	if (r.has_auth) {
		accord_buf_puts(&out, "//");
		accord_buf_put(&out, r.auth, r.auth_len);
		put_path(&out, r.path, r.path_len);
		if (r.has_query) {
			accord_buf_putc(&out, '?');
			accord_buf_put(&out, r.query, r.query_len);
		}
		goto frag;
	}
	if (b.has_auth) {
		accord_buf_puts(&out, "//");
		accord_buf_put(&out, b.auth, b.auth_len);
	}
	if (r.path_len == 0) {
		accord_buf_put(&out, b.path, b.path_len);
		if (r.has_query || b.has_query) {
			accord_buf_putc(&out, '?');
			if (r.has_query)
				accord_buf_put(&out, r.query, r.query_len);
			else
				accord_buf_put(&out, b.query, b.query_len);
		}
	} else {
		if (r.path[0] == '/') {
			put_path(&out, r.path, r.path_len);
		} else {
			accord_buf merged = ACCORD_BUF_INIT;
			const char *slash = NULL;
			size_t i;

			for (i = 0; i < b.path_len; i++)
				if (b.path[i] == '/')
					slash = b.path + i;
			if (b.has_auth && b.path_len == 0)
				accord_buf_putc(&merged, '/');
			else if (slash)
				accord_buf_put(&merged, b.path, (size_t)(slash - b.path) + 1);
			accord_buf_put(&merged, r.path, r.path_len);
			if (merged.ptr[0] == '/' || b.has_scheme)
				remove_dot_segments(&out, merged.ptr);
			else
				accord_buf_put(&out, merged.ptr, merged.size);
			accord_buf_dispose(&merged);
		}
		if (r.has_query) {
			accord_buf_putc(&out, '?');
			accord_buf_put(&out, r.query, r.query_len);
		}
	}
frag:
	/* An empty fragment names the same resource: "x#" is "x". */
	if (r.has_frag && r.frag_len) {
		accord_buf_putc(&out, '#');
		accord_buf_put(&out, r.frag, r.frag_len);
	}
	if (!out.ptr)
		accord_buf_puts(&out, "");
	return accord_buf_detach(&out);
}

int accord_uri_is_absolute(const char *s)
{
	struct uri_parts u;

	uri_parse(&u, s);
	return u.has_scheme;
}

/* Length of `s` without its fragment. */
size_t accord_uri_nofrag_len(const char *s)
{
	return strcspn(s, "#");
}

int accord_uri_pct_decode(char *s)
{
	char *r = s, *o = s;
	unsigned long v;

	while (*r) {
		if (*r == '%') {
			if (hexval(r + 1, 2, &v) < 0 || v == 0)
				return -1;
			*o++ = (char)v;
			r += 3;
		} else {
			*o++ = *r++;
		}
	}
	*o = '\0';
	return 0;
}
