/* history.c: the prompt's history across sessions, in $XDG_STATE_HOME/nnlab/history
 * (or ~/.local/state/nnlab/history). Each accepted line is appended to the file at
 * once, so a crash loses nothing already entered; consecutive duplicates and blank
 * lines are skipped; the file is cut to HISTORY_MAX lines when the prompt opens and
 * closes. Without a writable folder the history simply stays in memory. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <readline/history.h>

#include "replint.h"

#define HISTORY_MAX 2000

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* mkdir -p of path's parent folder. */
static bool make_parent(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
        *p = '/';
        if (!ok) return false;
    }
    return true;
}

bool repl_history_path(char *out, size_t n) {
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int len;
    if (state && state[0] == '/')
        len = snprintf(out, n, "%s/nnlab/history", state);
    else if (home && *home)
        len = snprintf(out, n, "%s/.local/state/nnlab/history", home);
    else
        return false;
    return len > 0 && (size_t)len < n;
}

void repl_history_open(repl *r) {
    char path[PATH_MAX];
    using_history();
    stifle_history(HISTORY_MAX);
    if (!repl_history_path(path, sizeof path) || !make_parent(path)) return;
    FILE *f = fopen(path, "a"); /* append_history needs the file to exist */
    if (!f) return;
    fclose(f);
    read_history(path);
    history_truncate_file(path, HISTORY_MAX);
    r->history_path = strdup(path);
}

void repl_history_add(repl *r, const char *line) {
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '\0') return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0) return;
    add_history(line);
    if (r->history_path) append_history(1, r->history_path);
}

void repl_history_close(repl *r) {
    if (r->history_path) history_truncate_file(r->history_path, HISTORY_MAX);
}
