/* test_sandbox.c: --safe's path rule (src/repl/sandbox.c) on the cases a Lua test
 * under --safe cannot set up: symlinks shipped in a lesson's folder that point
 * out of it (to a folder, to a file, dangling), ".." climbs, the scratch folder,
 * and read-only folders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "replint.h"

static char lesson_dir[] = "/tmp/nnlab_sandbox_XXXXXX";
static char scratch[REPL_PATH_MAX];
static repl r;

static int setup(void **unused) {
    (void)unused;
    if (!mkdtemp(lesson_dir)) return -1;
    char p[REPL_PATH_MAX], script[REPL_PATH_MAX];
    snprintf(p, sizeof p, "%s/etc_link", lesson_dir);
    if (symlink("/etc", p) != 0) return -1;
    snprintf(p, sizeof p, "%s/passwd_link", lesson_dir);
    if (symlink("/etc/passwd", p) != 0) return -1;
    snprintf(p, sizeof p, "%s/dangling", lesson_dir);
    if (symlink("/tmp/nnlab_sandbox_no_such_file", p) != 0) return -1;
    snprintf(p, sizeof p, "%s/sub", lesson_dir);
    if (mkdir(p, 0700) != 0) return -1;
    snprintf(script, sizeof script, "%s/lesson.lua", lesson_dir);
    snprintf(scratch, sizeof scratch, "%s/scratch", lesson_dir);
    snprintf(r.lua_dir, sizeof r.lua_dir, "/usr/share"); /* stands for nnlab's lua/: read only */
    return repl_sandbox_init(&r, script, scratch) ? 0 : -1;
}

static int teardown(void **unused) {
    (void)unused;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", lesson_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static bool allowed(const char *rel, bool write) {
    char path[REPL_PATH_MAX], out[REPL_PATH_MAX], err[REPL_PATH_MAX + 200];
    if (rel[0] == '/')
        snprintf(path, sizeof path, "%s", rel);
    else
        snprintf(path, sizeof path, "%s/%s", lesson_dir, rel);
    return repl_sandbox_check(&r, path, write, out, err, sizeof err);
}

static void test_sandbox_allows_the_lesson_folder_and_scratch(void **unused) {
    (void)unused;
    assert_true(allowed("data.csv", false));
    assert_true(allowed("data.csv", true));
    assert_true(allowed("sub/new.png", true));
    assert_true(allowed("scratch/model.nnl", true));
    assert_true(allowed("sub/../data.csv", true));
    assert_true(allowed("/usr/share/dict/words", false) || access("/usr/share/dict", F_OK) != 0);
}

static void test_sandbox_refuses_links_and_climbs_out(void **unused) {
    (void)unused;
    assert_false(allowed("etc_link/passwd", false)); /* a folder link to /etc */
    assert_false(allowed("passwd_link", false));     /* a file link */
    assert_false(allowed("dangling", true));         /* writing would create the target outside */
    assert_false(allowed("../escape.txt", true));
    assert_false(allowed("sub/../../escape.txt", true));
    assert_false(allowed("no_such_dir/x", true));
    assert_false(allowed("/etc/passwd", false));
    assert_false(allowed("/usr/share/x.txt", true)); /* a read-only folder */
    char out[REPL_PATH_MAX], err[REPL_PATH_MAX + 200];
    assert_false(repl_sandbox_check(&r, "/etc/passwd", false, out, err, sizeof err));
    assert_non_null(strstr(err, "outside the folders --safe lets a lesson read"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sandbox_allows_the_lesson_folder_and_scratch),
        cmocka_unit_test(test_sandbox_refuses_links_and_climbs_out),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
