/* atomic.c: replacing a file so that a crash, a kill -9 or a full disk at any
 * moment leaves either the old file or the new one, never half of one: the data
 * goes to a temporary file beside it (same folder, so same file system), is
 * fsync'ed, and is renamed over the old name; the folder is fsync'ed so that the
 * rename itself is on disk. Used by the history file and lesson progress. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "replint.h"

static bool write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

static void sync_folder(const char *path) {
    char dir[REPL_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    fsync(fd); /* best effort: some file systems refuse it, the rename stands */
    close(fd);
}

bool repl_make_parent(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
        *p = '/';
        if (!ok) return false;
    }
    return true;
}

bool repl_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errn) {
    char tmp[REPL_PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        snprintf(err, errn, "%s: the path is too long", path);
        return false;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errn, "cannot write %s: %s", tmp, strerror(errno));
        return false;
    }
    bool ok = write_all(fd, data, len) && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) ok = false, saved = errno;
    if (ok && rename(tmp, path) != 0) ok = false, saved = errno;
    if (!ok) {
        snprintf(err, errn, "cannot write %s: %s", path, strerror(saved));
        unlink(tmp);
        return false;
    }
    sync_folder(path);
    return true;
}
