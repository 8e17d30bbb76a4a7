/* fileio.c: opening a file that a loader reads (CSV, IDX, model files). A folder,
 * a FIFO or a device given as a path is refused at once, "not a regular file",
 * rather than read as garbage, reported as out of memory, or waited on forever:
 * the file is opened without blocking, checked with fstat, and only then handed to
 * stdio. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static const char *kind_of(mode_t m) {
    if (S_ISDIR(m)) return "a folder";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m) || S_ISBLK(m)) return "a device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a plain file";
}

FILE *nn_open_regular(nn_ctx *ctx, const char *path, const char *mode) {
    if (mode[0] != 'r' || strchr(mode, '+')) {
        nn_errorf(ctx, NN_EARG, "open %s: mode '%s': only reading is supported", path, mode);
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        nn_errorf(ctx, NN_EIO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        nn_errorf(ctx, NN_EIO, "cannot open %s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        nn_errorf(ctx, NN_EIO, "cannot open %s: not a regular file (%s)", path,
                  kind_of(st.st_mode));
        close(fd);
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    FILE *f = fdopen(fd, mode);
    if (!f) {
        nn_errorf(ctx, NN_ENOMEM, "cannot open %s: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}
