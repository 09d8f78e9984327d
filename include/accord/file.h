#ifndef ACCORD_FILE_H
#define ACCORD_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Small files replaced whole: written to a temporary file in the same
 * folder, fsync'd, then renamed over the old one, so that a reader (or a
 * crash) sees the old file or the new one, never a mix.
 */

/*
 * Replace `path` by the `len` bytes of `data`, with exactly `mode`. Refuses
 * a path that is a link or anything but a regular file (a rename would
 * replace it). ACCORD_ERROR naming the file on failure; nothing is left
 * behind.
 */
int accord_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/*
 * Write all `len` bytes of `data` to `fd`, retrying short writes and
 * EINTR. 0, or -1 with errno set (EIO for a write that wrote nothing).
 */
int accord_file_write_all(int fd, const void *data, size_t len);

/* Create `path` and its missing parents with `mode` (existing ones are left as they are). */
int accord_file_mkdirs(const char *path, mode_t mode);

#endif
