/* history.c: the prompt's history across sessions, in $XDG_STATE_HOME/nnlab/history
 * (or ~/.local/state/nnlab/history). Each accepted line is written to the file at
 * once, so a crash loses nothing already entered; the file is replaced whole (the
 * lines on disk, which another session may have added to, then the new one, cut to
 * HISTORY_MAX) through a temporary file and a rename (atomic.c), so a kill -9
 * mid-write leaves the previous file. Consecutive duplicates and blank lines are
 * skipped. Without a writable folder the history simply stays in memory. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>

#include "replint.h"

#define HISTORY_MAX 2000

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

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

/* Rewrites the file at path as its last HISTORY_MAX lines (one fewer, then line,
 * when line is not NULL). Errors leave the old file; the history in memory goes on. */
static void rewrite(const char *path, const char *line) {
    FILE *f = fopen(path, "r");
    char *old = NULL;
    size_t len = 0;
    if (f) {
        struct stat st;
        if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
            (old = malloc((size_t)st.st_size + 1)))
            len = fread(old, 1, (size_t)st.st_size, f);
        fclose(f);
    }
    if (len > 0 && old[len - 1] != '\n') old[len++] = '\n'; /* a last line cut short */
    int keep = line ? HISTORY_MAX - 1 : HISTORY_MAX;
    size_t start = len; /* the start of the last `keep` lines */
    for (int n = 0; start > 0; start--)
        if (old[start - 1] == '\n' && start != len && ++n == keep) break;
    size_t tail = len - start, add = line ? strlen(line) + 1 : 0;
    char *data = malloc(tail + add + 1);
    if (data) {
        if (tail) memcpy(data, old + start, tail);
        if (line) {
            memcpy(data + tail, line, add - 1);
            data[tail + add - 1] = '\n';
        }
        char err[REPL_PATH_MAX + 64];
        repl_write_atomic(path, data, tail + add, err, sizeof err);
    }
    free(data);
    free(old);
}

void repl_history_open(repl *r) {
    char path[PATH_MAX];
    using_history();
    stifle_history(HISTORY_MAX);
    if (!repl_history_path(path, sizeof path) || !repl_make_parent(path)) return;
    if (access(path, F_OK) != 0) rewrite(path, NULL); /* an empty file to read */
    read_history(path);
    rewrite(path, NULL); /* cut to HISTORY_MAX */
    r->history_path = strdup(path);
}

void repl_history_add(repl *r, const char *line) {
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '\0') return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0) return;
    add_history(line);
    if (r->history_path) rewrite(r->history_path, line);
}

void repl_history_close(repl *r) {
    (void)r; /* every write already left the file whole and cut to HISTORY_MAX */
}
