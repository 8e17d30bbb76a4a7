/* sandbox.c: the folders a --safe run may touch. A lesson file from elsewhere may
 * read and write its own folder and a scratch folder, and read nnlab's lua/ and
 * lessons/ folders and the data sets nnlab knows (Fashion-MNIST, the word list);
 * nothing else. Paths are resolved here (realpath of the file, or of its folder
 * when the file does not exist yet), so "..", symlinks and relative paths cannot
 * lead out. lua/sandbox.lua puts the check in front of every function that takes
 * a path (io, dofile, loadfile, require, nn.save/nn.load, plot saves, loaders).
 * Known limit: a symlink swapped in between the check and the open (a race) is
 * not caught; nothing in --safe can make symlinks. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "replint.h"

/* Data that lessons read, installed by Debian packages (dev.sh's list). */
static const char *const data_dirs[] = {"/usr/share/datasets/fashion-mnist", "/usr/share/dict"};

static void add_root(repl *r, const char *dir, bool write) {
    char real[PATH_MAX];
    if (r->nroots == REPL_SANDBOX_ROOTS || !dir || !*dir || !realpath(dir, real)) return;
    if (strcmp(real, "/") == 0) return; /* a lesson at the root gets no folder, not all */
    snprintf(r->roots[r->nroots], REPL_PATH_MAX, "%s", real);
    r->root_write[r->nroots++] = write;
}

bool repl_sandbox_init(repl *r, const char *script, const char *scratch) {
    if (scratch) {
        if (mkdir(scratch, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "nnlab: --scratch %s: %s\n", scratch, strerror(errno));
            return false;
        }
        snprintf(r->scratch, sizeof r->scratch, "%s", scratch);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(r->scratch, sizeof r->scratch, "%s/nnlab-scratch-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(r->scratch)) {
            fprintf(stderr, "nnlab: cannot make a scratch folder: %s\n", strerror(errno));
            return false;
        }
        r->scratch_made = true;
    }
    add_root(r, r->scratch, true);
    if (script && strcmp(script, "-") != 0) {
        char dir[REPL_PATH_MAX];
        snprintf(dir, sizeof dir, "%s", script);
        char *slash = strrchr(dir, '/');
        if (slash)
            slash == dir ? (void)(dir[1] = '\0') : (void)(*slash = '\0');
        else
            snprintf(dir, sizeof dir, ".");
        add_root(r, dir, true);
    }
    add_root(r, r->lua_dir, false);
    add_root(r, r->lessons_dir, false);
    for (size_t i = 0; i < sizeof data_dirs / sizeof data_dirs[0]; i++)
        add_root(r, data_dirs[i], false);
    return true;
}

void repl_sandbox_close(repl *r) {
    if (r && r->scratch_made) rmdir(r->scratch); /* only when empty: outputs stay */
}

/* Resolves path into out: realpath when it exists; else realpath of its folder and
 * the last name, which may not be "." or ".." (a dangling symlink is refused: an
 * open for writing would create its target wherever it points). */
static bool resolve(const char *path, char *out, char *err, size_t errn) {
    char tmp[PATH_MAX];
    if (realpath(path, tmp)) {
        snprintf(out, REPL_PATH_MAX, "%s", tmp);
        return true;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        snprintf(err, errn, "%s is a link to nowhere", path);
        return false;
    }
    char dir[REPL_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *name = slash ? slash + 1 : dir;
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        snprintf(err, errn, "%s names no file", path);
        return false;
    }
    if (!realpath(slash ? dir : ".", tmp)) {
        snprintf(err, errn, "%s: %s", path, strerror(errno));
        return false;
    }
    if (snprintf(out, REPL_PATH_MAX, "%s/%s", strcmp(tmp, "/") ? tmp : "", name) >= REPL_PATH_MAX) {
        snprintf(err, errn, "%s: the path is too long", path);
        return false;
    }
    return true;
}

static bool inside(const char *path, const char *root) {
    size_t n = strlen(root);
    return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static bool allowed(const repl *r, const char *real, bool write) {
    for (int i = 0; i < r->nroots; i++)
        if (inside(real, r->roots[i]) && (!write || r->root_write[i])) return true;
    return false;
}

bool repl_sandbox_check(const repl *r, const char *path, bool write, char out[REPL_PATH_MAX],
                        char *err, size_t errn) {
    /* A relative name is the scratch folder's, the working folder of a --safe
     * session (a lesson's experiment.csv lands there), unless it reads a file the
     * rules already let it read where it stands. */
    if (path[0] != '/' && !(!write && resolve(path, out, err, errn) && allowed(r, out, false))) {
        char in_scratch[REPL_PATH_MAX];
        if (snprintf(in_scratch, sizeof in_scratch, "%s/%s", r->scratch, path) <
                (int)sizeof in_scratch &&
            resolve(in_scratch, out, err, errn) && allowed(r, out, write))
            return true;
    }
    if (!resolve(path, out, err, errn)) return false;
    if (allowed(r, out, write)) return true;
    snprintf(err, errn,
             "%s is outside the folders --safe lets a lesson %s (%s and the scratch "
             "folder %s)",
             path, write ? "write" : "read",
             r->nroots > 1 && r->root_write[1] ? r->roots[1] : "no lesson folder", r->scratch);
    return false;
}
