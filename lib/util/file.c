#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accord/error.h"
#include "file.h"

#include "alloc.h"

int accord_file_write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A name for a temporary file next to `name`: ".<name>.tmp-<16 hex digits>", random. */
static void temp_name(char *out, const char *name)
{
	static const char hex[] = "0123456789abcdef";
	static unsigned long counter;
	unsigned char rnd[8];
	char digits[17];
	size_t i;

	/* O_EXCL makes the name unique; randomness only makes a retry rare */
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		unsigned long v = (unsigned long)getpid() * 2654435761u ^
				  (unsigned long)time(NULL) ^
				  __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) << 20;

		for (i = 0; i < sizeof(rnd); i++)
			rnd[i] = (unsigned char)(v >> (8 * (i % sizeof(v))));
	}
	for (i = 0; i < sizeof(rnd); i++) {
		digits[2 * i] = hex[rnd[i] >> 4];
		digits[2 * i + 1] = hex[rnd[i] & 15];
	}
	digits[16] = '\0';
	snprintf(out, ACCORD_FILE_TMPNAME_MAX, ".%.*s.tmp-%s", ACCORD_FILE_TMPNAME_MAX - 23, name,
		 digits);
}

/* Set the error for `what` on `where`/`name` and return ACCORD_ERROR, keeping errno. */
static int file_error(const char *what, const char *where, const char *name)
{
	int saved = errno ? errno : EIO;

	accord_error_set(ACCORD_ERROR, "can't %s %s/%s: %s", what, where, name, strerror(saved));
	errno = saved;
	return ACCORD_ERROR;
}

/* accord_file_temp_at(), with ACCORD_FILE_NO_SYNC for a cache. */
static int temp_at(char *tmpname, int dfd, const char *where, const char *name, const void *data,
		   size_t len, mode_t mode, unsigned int flags)
{
	int fd = -1, tries, saved;

	for (tries = 0; tries < 100; tries++) {
		temp_name(tmpname, name);
		/* 0600 from the start: a key is never readable by others, not even for a moment */
		fd = openat(dfd, tmpname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		file_error("create", where, tmpname);
		tmpname[0] = '\0';
		return ACCORD_ERROR;
	}
	/* exactly `mode`, whatever the umask */
	if (fchmod(fd, mode) < 0 || accord_file_write_all(fd, data, len) < 0 ||
	    (!(flags & ACCORD_FILE_NO_SYNC) && fsync(fd) < 0))
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;

fail:
	file_error("write", where, tmpname);
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(dfd, tmpname, 0);
	tmpname[0] = '\0';
	errno = saved;
	return ACCORD_ERROR;
}

int accord_file_temp_at(char *tmpname, int dfd, const char *where, const char *name,
			const void *data, size_t len, mode_t mode)
{
	return temp_at(tmpname, dfd, where, name, data, len, mode, 0);
}

int accord_file_install_at(int dfd, const char *where, const char *tmpname, const char *name,
			   unsigned int flags)
{
	struct stat st;
	int saved, error = 0;

	if (flags & ACCORD_FILE_NO_REPLACE) {
		/* link() refuses an existing name atomically: of two writers, one wins */
		if (linkat(dfd, tmpname, dfd, name, 0) == 0) {
			unlinkat(dfd, tmpname, 0);
			goto sync;
		}
		if (errno == EEXIST) {
			error = accord_error_set(ACCORD_EEXISTS, "%s/%s exists already", where,
						 name);
			saved = EEXIST;
			goto fail;
		}
		/* filesystems without hard links: check, then rename */
		if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS) {
			error = file_error("create", where, name);
			saved = errno;
			goto fail;
		}
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT) {
			error = accord_error_set(ACCORD_EEXISTS, "%s/%s exists already", where,
						 name);
			saved = EEXIST;
			goto fail;
		}
	}
	if (renameat(dfd, tmpname, dfd, name) < 0) {
		saved = errno;
		error = accord_error_set(ACCORD_ERROR, "can't rename %s/%s to %s: %s", where,
					 tmpname, name, strerror(saved));
		goto fail;
	}
sync:
	/* the rename itself must survive a crash, not only the bytes */
	if (!(flags & ACCORD_FILE_NO_SYNC) && fsync(dfd) < 0)
		return accord_error_set(ACCORD_ERROR, "can't sync the folder %s: %s", where,
					strerror(errno));
	return 0;

fail:
	unlinkat(dfd, tmpname, 0);
	errno = saved;
	return error;
}

int accord_file_write_atomic_at(int dfd, const char *where, const char *name, const void *data,
				size_t len, mode_t mode, unsigned int flags)
{
	char tmp[ACCORD_FILE_TMPNAME_MAX];
	int error;

	if ((error = temp_at(tmp, dfd, where, name, data, len, mode, flags)) < 0)
		return error;
	return accord_file_install_at(dfd, where, tmp, name, flags);
}

/* accord_file_write_atomic() and accord_file_create_atomic(), told apart by `flags`. */
static int write_path(const char *path, const void *data, size_t len, mode_t mode,
		      unsigned int flags)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	struct stat st;
	int dfd = -1, error, saved;

	if (!dir)
		accord_oom();
	if (!*name) {
		free(dir);
		errno = EISDIR;
		return accord_error_set(ACCORD_EINVALID, "can't write %s: no file name", path);
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		saved = errno;
		error = accord_error_set(ACCORD_ERROR, "can't write %s: %s", path, strerror(saved));
		goto done;
	}
	/* a rename would replace a link, a FIFO or a folder entry with a plain file */
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
		saved = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		error = accord_error_set(ACCORD_ERROR, "can't write %s: not a regular file", path);
		goto done;
	}
	error = accord_file_write_atomic_at(dfd, dir, name, data, len, mode, flags);
	saved = errno;
	/* the caller knows the file by its path, not by a temporary name */
	if (error == ACCORD_ERROR)
		accord_error_set(ACCORD_ERROR, "can't write %s: %s", path, strerror(saved));
done:
	if (dfd >= 0)
		close(dfd);
	free(dir);
	errno = saved;
	return error;
}

int accord_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_path(path, data, len, mode, 0);
}

int accord_file_create_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_path(path, data, len, mode, ACCORD_FILE_NO_REPLACE);
}

int accord_file_write_cache(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_path(path, data, len, mode, ACCORD_FILE_NO_SYNC);
}

int accord_file_mkdirs(const char *path, mode_t mode)
{
	char *tmp = accord_xstrdup(path);
	size_t i, n;
	int error = 0;

	n = strlen(tmp);
	for (i = 1; i <= n && !error; i++) {
		char c = tmp[i];

		if (c != '/' && c != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			error = accord_error_set(ACCORD_ERROR, "can't create %s: %s", tmp,
						 strerror(errno));
		tmp[i] = c;
	}
	free(tmp);
	return error;
}
