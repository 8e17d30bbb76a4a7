/* test_paths.c: where nnlab finds its Lua files and lessons (src/repl/paths.c).
 * An installed nnlab is PREFIX/bin/nnlab with PREFIX/share/nnlab/{lua,lessons}: the
 * test builds that layout in a temporary folder, copies itself in as PREFIX/bin/nnlab
 * (paths.c reads /proc/self/exe, which a symbolic link would not fool) and runs the
 * copy, which prints what it found. $NNLAB_LUA_DIR overrides; a prefix without
 * init.lua is not taken for an installation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "repl.h"

#define PRINT_DIRS "--print-dirs" /* argv[1] of the copy: print the two folders */

static char prefix[] = "/tmp/nnlab_paths_XXXXXX";

static void make_dir(const char *path) {
    if (mkdir(path, 0755) != 0) fail_msg("mkdir %s failed", path);
}

static void touch(const char *path) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

/* PREFIX/{bin, share/nnlab/lua/init.lua, share/nnlab/lessons}, and this test's
 * executable copied to PREFIX/bin/nnlab. */
static int make_prefix(void **unused) {
    (void)unused;
    if (!mkdtemp(prefix)) return -1;
    char p[PATH_MAX];
    const char *dirs[] = {"bin", "share", "share/nnlab", "share/nnlab/lua", "share/nnlab/lessons"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", prefix, dirs[i]);
        make_dir(p);
    }
    snprintf(p, sizeof p, "%s/share/nnlab/lua/init.lua", prefix);
    touch(p);
    char cmd[2 * PATH_MAX];
    snprintf(cmd, sizeof cmd, "cp /proc/%d/exe '%s/bin/nnlab'", (int)getpid(), prefix);
    return system(cmd) == 0 ? 0 : -1;
}

static int remove_prefix(void **unused) {
    (void)unused;
    char cmd[PATH_MAX];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", prefix);
    return system(cmd) == 0 ? 0 : -1;
}

/* Runs PREFIX/bin/nnlab --print-dirs with NNLAB_LUA_DIR set to lua_env (or unset
 * when NULL) and reads the two lines it prints into lua and lessons. */
static void run_copy(const char *lua_env, char *lua, char *lessons) {
    char cmd[2 * PATH_MAX];
    snprintf(cmd, sizeof cmd, "%s '%s/bin/nnlab' " PRINT_DIRS,
             lua_env ? "env NNLAB_LUA_DIR=\"$LUA_ENV\"" : "env -u NNLAB_LUA_DIR", prefix);
    if (lua_env) setenv("LUA_ENV", lua_env, 1);
    unsetenv("NNLAB_LESSONS_DIR");
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    assert_non_null(fgets(lua, PATH_MAX, f));
    assert_non_null(fgets(lessons, PATH_MAX, f));
    lua[strcspn(lua, "\n")] = '\0';
    lessons[strcspn(lessons, "\n")] = '\0';
    assert_int_equal(pclose(f), 0);
}

static void test_paths_installed_prefix_is_found_beside_the_executable(void **unused) {
    (void)unused;
    char lua[PATH_MAX], lessons[PATH_MAX], want[PATH_MAX];
    run_copy(NULL, lua, lessons);
    snprintf(want, sizeof want, "%s/share/nnlab/lua", prefix);
    assert_string_equal(lua, want);
    snprintf(want, sizeof want, "%s/share/nnlab/lessons", prefix);
    assert_string_equal(lessons, want);
}

static void test_paths_environment_overrides_the_prefix(void **unused) {
    (void)unused;
    char lua[PATH_MAX], lessons[PATH_MAX];
    run_copy("/somewhere/else/lua", lua, lessons);
    assert_string_equal(lua, "/somewhere/else/lua");
}

/* Without init.lua the prefix's lua/ is not nnlab's: the source tree's (this is
 * a build tree) or the configured install folder is used instead. */
static void test_paths_prefix_without_init_lua_is_not_taken(void **unused) {
    (void)unused;
    char p[PATH_MAX], lua[PATH_MAX], lessons[PATH_MAX];
    snprintf(p, sizeof p, "%s/share/nnlab/lua/init.lua", prefix);
    assert_int_equal(unlink(p), 0);
    run_copy(NULL, lua, lessons);
    touch(p);
    assert_null(strstr(lua, prefix));
    assert_true(strcmp(lua, NNLAB_LUA_DIR_BUILD) == 0 || strcmp(lua, NNLAB_LUA_DIR_INSTALL) == 0);
}

/* This binary, in the build tree (not PREFIX/bin), uses the source tree's lua/. */
static void test_paths_build_tree_uses_the_source_lua_folder(void **unused) {
    (void)unused;
    char lua[PATH_MAX];
    unsetenv("NNLAB_LUA_DIR");
    repl_find_lua_dir(lua, sizeof lua);
    assert_string_equal(lua, NNLAB_LUA_DIR_BUILD);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], PRINT_DIRS) == 0) {
        char lua[PATH_MAX], lessons[PATH_MAX];
        repl_find_lua_dir(lua, sizeof lua);
        repl_find_lessons_dir(lessons, sizeof lessons);
        printf("%s\n%s\n", lua, lessons);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_installed_prefix_is_found_beside_the_executable),
        cmocka_unit_test(test_paths_environment_overrides_the_prefix),
        cmocka_unit_test(test_paths_prefix_without_init_lua_is_not_taken),
        cmocka_unit_test(test_paths_build_tree_uses_the_source_lua_folder),
    };
    return cmocka_run_group_tests(tests, make_prefix, remove_prefix);
}
