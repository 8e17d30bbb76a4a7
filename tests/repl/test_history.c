/* test_history.c: the prompt's history file (src/repl/history.c): where it lives
 * ($XDG_STATE_HOME, else ~/.local/state), each line appended at once (a crash loses
 * nothing), blank lines and consecutive duplicates skipped, the file cut to its
 * bound when the prompt opens, and a kill -9 in the middle of a write leaves the
 * previous file whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>

#include "replint.h"

static char dir[] = "/tmp/nnlab_history_XXXXXX";
static char file[256];

static int setup(void **unused) {
    (void)unused;
    if (!mkdtemp(dir)) return -1;
    setenv("XDG_STATE_HOME", dir, 1);
    snprintf(file, sizeof file, "%s/nnlab/history", dir);
    return 0;
}

static int teardown(void **unused) {
    (void)unused;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int count_lines(void) {
    FILE *f = fopen(file, "r");
    if (!f) return -1;
    int n = 0;
    for (int c; (c = fgetc(f)) != EOF;) n += c == '\n';
    fclose(f);
    return n;
}

static void test_history_path_follows_xdg_then_home(void **unused) {
    (void)unused;
    char path[512];
    assert_true(repl_history_path(path, sizeof path));
    assert_string_equal(path, file);
    setenv("XDG_STATE_HOME", "relative/is/ignored", 1);
    setenv("HOME", "/home/student", 1);
    assert_true(repl_history_path(path, sizeof path));
    assert_string_equal(path, "/home/student/.local/state/nnlab/history");
    setenv("XDG_STATE_HOME", dir, 1);
}

static void test_history_appends_each_line_at_once(void **unused) {
    (void)unused;
    repl r = {0};
    repl_history_open(&r);
    assert_non_null(r.history_path);
    repl_history_add(&r, "x = 1");
    assert_int_equal(count_lines(), 1); /* on disk before anything else happens */
    repl_history_add(&r, "x = 1");      /* consecutive duplicate */
    repl_history_add(&r, "   ");        /* blank */
    repl_history_add(&r, "y = 2");
    repl_history_add(&r, "x = 1"); /* not consecutive: kept */
    assert_int_equal(count_lines(), 3);
    repl_history_close(&r);
    free(r.history_path);
}

static void test_history_is_cut_to_its_bound(void **unused) {
    (void)unused;
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    for (int i = 0; i < 5000; i++) fprintf(f, "line_%d\n", i);
    fclose(f);
    clear_history();
    repl r = {0};
    repl_history_open(&r);
    int n = count_lines();
    assert_true(n > 0 && n < 5000);
    /* the newest lines are the ones kept, and the prompt can recall them */
    HIST_ENTRY *last = history_get(history_base + history_length - 1);
    assert_non_null(last);
    assert_string_equal(last->line, "line_4999");
    repl_history_close(&r);
    free(r.history_path);
}

#define LONG_LINE 4000 /* bytes an entry: 2000 of them make each rewrite take a while */

/* True when every line of the file is a whole entry "<tag>_<n>_xxx...x" of
 * LONG_LINE bytes, and there are at least min_lines of them. */
static bool file_whole(int min_lines) {
    FILE *f = fopen(file, "r");
    if (!f) return false;
    static char line[LONG_LINE + 16];
    int n = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        ok = len == LONG_LINE + 1 && line[LONG_LINE] == '\n' && line[LONG_LINE - 1] == 'x' &&
             (strncmp(line, "old_", 4) == 0 || strncmp(line, "new_", 4) == 0);
        n++;
    }
    fclose(f);
    return ok && n >= min_lines;
}

static void entry(char *buf, const char *tag, int i) {
    int k = snprintf(buf, LONG_LINE + 1, "%s_%d_", tag, i);
    memset(buf + k, 'x', (size_t)(LONG_LINE - k));
    buf[LONG_LINE] = '\0';
}

/* A child keeps adding long lines; it is killed with SIGKILL at varying moments,
 * most of them in the middle of rewriting the 8 MB file. */
static void test_history_survives_kill_9_mid_write(void **unused) {
    (void)unused;
    static char buf[LONG_LINE + 1];
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    for (int i = 0; i < 1999; i++) {
        entry(buf, "old", i);
        fprintf(f, "%s\n", buf);
    }
    fclose(f);
    for (int round = 0; round < 8; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            clear_history();
            repl r = {0};
            repl_history_open(&r);
            for (int i = 0;; i++) {
                entry(buf, "new", i);
                repl_history_add(&r, buf);
            }
        }
        struct timespec ts = {0, (long)(5 + 7 * round) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status));
        if (!file_whole(1999)) fail_msg("round %d: the history file is broken", round);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_path_follows_xdg_then_home),
        cmocka_unit_test(test_history_appends_each_line_at_once),
        cmocka_unit_test(test_history_is_cut_to_its_bound),
        cmocka_unit_test(test_history_survives_kill_9_mid_write),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
