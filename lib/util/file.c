#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accord/error.h"
#include "accord/file.h"

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

int accord_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	const unsigned char *p = data;
	char *copy = strdup(path), *tmp = NULL;
	struct stat st;
	int fd = -1, error = 0;

	if (!copy || asprintf(&tmp, "%s/.accord-tmp.XXXXXX", dirname(copy)) < 0) {
		free(copy);
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	}
	free(copy);
	/* a rename would replace a link, a FIFO or a folder entry with a plain file */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		error = accord_error_set(ACCORD_ERROR, "can't write %s: not a regular file", path);
		goto done;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		error = accord_error_set(ACCORD_ERROR, "can't write %s: %s", path, strerror(errno));
		goto done;
	}
	if (fchmod(fd, mode) < 0)
		goto fail;
	if (accord_file_write_all(fd, p, len) < 0)
		goto fail;
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	goto done;
fail:
	error = accord_error_set(ACCORD_ERROR, "can't write %s: %s", path,
				 strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
done:
	free(tmp);
	return error;
}

int accord_file_mkdirs(const char *path, mode_t mode)
{
	char *tmp = strdup(path);
	size_t i, n;
	int error = 0;

	if (!tmp)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
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
