#ifndef ACCORD_FILE_H
#define ACCORD_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Small files replaced whole: written to a temporary file with a unique
 * name in the same folder (created O_EXCL, 0600 until it has its mode),
 * fsync'd, renamed over the old one, and the folder fsync'd, so that a
 * reader (or a crash) sees the old file or the new one, never a mix, and
 * two writers of one path never share a temporary file. This is the one
 * way accord replaces a file.
 */

/* accord_file_install_at(): fail with ACCORD_EEXISTS rather than replace an existing file. */
#define ACCORD_FILE_NO_REPLACE 1u
/* For a cache only (accord_file_write_cache): no fsync of the file or the folder. */
#define ACCORD_FILE_NO_SYNC 2u

/* Room for a temporary file's name (accord_file_temp_at). */
#define ACCORD_FILE_TMPNAME_MAX 96

/*
 * Replace `path` by the `len` bytes of `data`, with exactly `mode`. Refuses
 * a path that is a link or anything but a regular file (a rename would
 * replace it). ACCORD_ERROR naming the file on failure, with errno left at
 * the cause; nothing is left behind and the old file is untouched.
 */
int accord_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/*
 * The same for a file that must not exist yet: ACCORD_EEXISTS (errno
 * EEXIST) if it does, also when another writer created it meanwhile.
 */
int accord_file_create_atomic(const char *path, const void *data, size_t len, mode_t mode);

/*
 * The same for a cache whose every file is checked when read and rebuilt
 * when it is damaged or lost (the incident index): atomic, but without
 * fsync, since a crash may only cost a rebuild, and a rebuild writes
 * thousands of files that waiting for the disk would make several times
 * slower.
 */
int accord_file_write_cache(const char *path, const void *data, size_t len, mode_t mode);

/*
 * The same for `name` in the open folder `dfd` (what `where` names in
 * messages; flags ACCORD_FILE_NO_REPLACE, ACCORD_FILE_NO_SYNC):
 * accord_file_temp_at(), then accord_file_install_at().
 */
int accord_file_write_atomic_at(int dfd, const char *where, const char *name, const void *data,
				size_t len, mode_t mode, unsigned int flags);

/*
 * The two halves, for a caller that replaces several files together (a key
 * and its public half): write `data` with exactly `mode` to a new temporary
 * file for `name` in `dfd` and fsync it; its name goes to `tmpname`
 * (ACCORD_FILE_TMPNAME_MAX bytes, "" on failure, when nothing is left).
 */
int accord_file_temp_at(char *tmpname, int dfd, const char *where, const char *name,
			const void *data, size_t len, mode_t mode);
/*
 * Rename the temporary file `tmpname` to `name` (with ACCORD_FILE_NO_REPLACE
 * only if there is none: ACCORD_EEXISTS otherwise, atomically where the
 * filesystem has hard links) and fsync the folder. On failure the temporary
 * file is removed.
 */
int accord_file_install_at(int dfd, const char *where, const char *tmpname, const char *name,
			   unsigned int flags);

/*
 * Write all `len` bytes of `data` to `fd`, retrying short writes and
 * EINTR. 0, or -1 with errno set (EIO for a write that wrote nothing).
 */
int accord_file_write_all(int fd, const void *data, size_t len);

/* Create `path` and its missing parents with `mode` (existing ones are left as they are). */
int accord_file_mkdirs(const char *path, mode_t mode);

#endif
