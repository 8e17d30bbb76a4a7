/* test_complete.c: Tab completion candidates (src/repl/complete.c) in a bare Lua
 * state: globals and keywords, fields after `.`, methods after `:` through
 * metatables (an __index table, and __methods/__keys for userdata whose __index is
 * a function), nothing for unknown paths, file names inside a string literal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repl.h"

/* Runs code, which must succeed, leaving its results on the stack. */
static void run(lua_State *L, const char *code) {
    if (luaL_dostring(L, code) != LUA_OK) fail_msg("%s: %s", code, lua_tostring(L, -1));
}

static int setup(void **state) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    const char *code = "nn = {zeros = function() end, zip = 1, ones = function() end, _private = 1,"
                       "      cuda = {available = function() end}}\n"
                       "nnumber = 3\n"
                       "local methods = {matmul = function() end, max = function() end, size = 4}\n"
                       "obj = setmetatable({own = 1}, {__index = methods})\n";
    run(L, code);
    /* a userdata with a function __index, __methods and __keys, like nnlab.tensor */
    lua_newuserdatauv(L, 1, 0);
    lua_newtable(L);
    run(L, "return function(t, k) return nil end");
    lua_setfield(L, -2, "__index");
    run(L, "return {relu = function() end, reshape = function() end}");
    lua_setfield(L, -2, "__methods");
    run(L, "return {'relu', 'reshape', 'requires', 'shape'}");
    lua_setfield(L, -2, "__keys");
    lua_setmetatable(L, -2);
    lua_setglobal(L, "t");
    *state = L;
    return 0;
}

static int teardown(void **state) {
    lua_close(*state);
    return 0;
}

/* Completes line (cursor at its end) and returns the candidates joined by spaces. */
static const char *complete(lua_State *L, const char *line, size_t *wstart) {
    static char out[4096];
    size_t ws;
    repl_complete(L, line, strlen(line), &ws);
    if (wstart) *wstart = ws;
    out[0] = '\0';
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        if (i > 1) strcat(out, " ");
        strncat(out, lua_tostring(L, -1), sizeof out - strlen(out) - 2);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return out;
}

static void test_complete_globals_and_keywords(void **state) {
    lua_State *L = *state;
    size_t ws;
    assert_string_equal(complete(L, "x = nn", &ws), "nn nnumber");
    assert_int_equal(ws, 4);
    assert_string_equal(complete(L, "whi", NULL), "while");
    assert_string_equal(complete(L, "print(pai", NULL), "pairs");
}

static void test_complete_fields_after_dot(void **state) {
    lua_State *L = *state;
    size_t ws;
    assert_string_equal(complete(L, "y = nn.z", &ws), "nn.zeros nn.zip");
    assert_int_equal(ws, 4);
    assert_string_equal(complete(L, "nn.", NULL), "nn.cuda nn.ones nn.zeros nn.zip");
    assert_string_equal(complete(L, "nn.cuda.av", NULL), "nn.cuda.available");
    assert_string_equal(complete(L, "obj.", NULL), "obj.matmul obj.max obj.own obj.size");
}

static void test_complete_methods_after_colon(void **state) {
    lua_State *L = *state;
    assert_string_equal(complete(L, "obj:ma", NULL), "obj:matmul obj:max");
    assert_string_equal(complete(L, "obj:s", NULL), ""); /* size is not a function */
    assert_string_equal(complete(L, "t:re", NULL), "t:relu t:requires t:reshape");
    /* a listed field may be callable (a tensor's t:shape()): userdata list every name */
    assert_string_equal(complete(L, "t:s", NULL), "t:shape");
    assert_string_equal(complete(L, "t.s", NULL), "t.shape");
    assert_string_equal(complete(L, "io.stdout:wr", NULL), "io.stdout:write");
}

static void test_complete_without_the_global_table(void **state) {
    lua_State *L = *state;
    run(L, "table = nil");
    assert_string_equal(complete(L, "nn.z", NULL), "nn.zeros nn.zip");
    run(L, "setmetatable(_G, {__index = function(_, k) error('no global ' .. k) end})");
    assert_string_equal(complete(L, "nnu", NULL), "nnumber");
}

static void test_complete_nothing_for_unknown_paths(void **state) {
    lua_State *L = *state;
    assert_string_equal(complete(L, "nope.x", NULL), "");
    assert_string_equal(complete(L, "nn.zip.x", NULL), "");
    assert_string_equal(complete(L, "obj:max.x", NULL), "");
}

static void test_complete_file_names_in_strings(void **state) {
    lua_State *L = *state;
    char dir[] = "/tmp/nnlab_complete_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/data.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof path, "%s/dataset", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/.hidden", dir);
    f = fopen(path, "w");
    fclose(f);

    char line[512], want[1024];
    size_t ws;
    snprintf(line, sizeof line, "x = load(\"%s/da", dir);
    snprintf(want, sizeof want, "%s/data.csv %s/dataset/", dir, dir);
    assert_string_equal(complete(L, line, &ws), want);
    assert_int_equal(ws, strlen("x = load(\""));
    snprintf(line, sizeof line, "f('%s/", dir); /* single quotes; hidden files hidden */
    assert_string_equal(complete(L, line, NULL), want);
    snprintf(line, sizeof line, "f(\"%s/.h", dir);
    snprintf(want, sizeof want, "%s/.hidden", dir);
    assert_string_equal(complete(L, line, NULL), want);
    snprintf(line, sizeof line, "f(\"%s/x\", nn.z", dir); /* the string is closed */
    assert_string_equal(complete(L, line, NULL), "nn.zeros nn.zip");

    snprintf(path, sizeof path, "%s/data.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/.hidden", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/dataset", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_complete_globals_and_keywords, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_fields_after_dot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_methods_after_colon, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_without_the_global_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_nothing_for_unknown_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete_file_names_in_strings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
