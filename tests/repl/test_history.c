/* test_history.c: the prompt's history file (src/repl/history.c): where it lives
 * ($XDG_STATE_HOME, else ~/.local/state), each line appended at once (a crash loses
 * nothing), blank lines and consecutive duplicates skipped, the file cut to its
 * bound when the prompt opens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_path_follows_xdg_then_home),
        cmocka_unit_test(test_history_appends_each_line_at_once),
        cmocka_unit_test(test_history_is_cut_to_its_bound),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
