/* paths.c: where nnlab's Lua files and lessons are. An installed nnlab finds them
 * next to its executable (PREFIX/bin/nnlab -> PREFIX/share/nnlab/...), so a copied
 * prefix still works; a build-tree nnlab uses the source tree; $NNLAB_LUA_DIR and
 * $NNLAB_LESSONS_DIR override both. The REPL record keeps the answers. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static bool is_dir_with(const char *dir, const char *file) {
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/%s", dir, file) >= (int)sizeof p) return false;
    return access(p, R_OK) == 0;
}

/* Writes PREFIX/share/nnlab/<sub> into out when the running executable is
 * PREFIX/bin/<something> and that folder holds probe. */
static bool beside_exe(const char *sub, const char *probe, char *out, size_t n) {
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return false;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return false;
    *slash = '\0'; /* exe is now the bin folder */
    slash = strrchr(exe, '/');
    if (!slash || strcmp(slash, "/bin") != 0) return false;
    *slash = '\0';
    if (snprintf(out, n, "%s/share/nnlab/%s", exe, sub) >= (int)n) return false;
    return is_dir_with(out, probe);
}

static void find_dir(char *buf, size_t n, const char *env, const char *sub, const char *probe,
                     const char *build, const char *install) {
    const char *e = getenv(env);
    if (e && *e)
        snprintf(buf, n, "%s", e);
    else if (!beside_exe(sub, probe, buf, n))
        snprintf(buf, n, "%s", is_dir_with(build, probe) ? build : install);
}

void repl_find_lua_dir(char *out, size_t n) {
    find_dir(out, n, "NNLAB_LUA_DIR", "lua", "init.lua", NNLAB_LUA_DIR_BUILD,
             NNLAB_LUA_DIR_INSTALL);
}

void repl_find_lessons_dir(char *out, size_t n) {
    find_dir(out, n, "NNLAB_LESSONS_DIR", "lessons", ".", NNLAB_LESSONS_DIR_BUILD,
             NNLAB_LESSONS_DIR_INSTALL);
}
