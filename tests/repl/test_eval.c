/* test_eval.c: evaluation pieces of the prompt (src/repl/eval.c): the detector of
 * incomplete input that decides between running a chunk and asking for another
 * line, and calls that report errors with a traceback trimmed to the user's code. */
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

#include "repl.h"
#include "replint.h"

static int setup(void **state) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    *state = L;
    return 0;
}

static int teardown(void **state) {
    lua_close(*state);
    return 0;
}

static void test_incomplete_open_constructs_ask_for_more(void **state) {
    lua_State *L = *state;
    const char *open[] = {
        "function f(x)",
        "function f(x)\n  return x * 2",
        "t = {",
        "t = {1, 2,\n 3",
        "s = \"abc",
        "s = [[long\nstring",
        "for i = 1, 10 do",
        "if x then print(x) else",
        "x = 1 +",
        "print(",
        "local t = {a = {b = {",
        "repeat x = x + 1",
        "while true do",
        "--[[ an open\ncomment",
        "x = 1; function f()",
        "for i = 1, 2 do print(i);",
    };
    for (size_t i = 0; i < sizeof open / sizeof open[0]; i++) {
        if (!repl_incomplete(L, open[i])) fail_msg("should be incomplete: %s", open[i]);
    }
    assert_int_equal(lua_gettop(L), 0);
}

static void test_incomplete_rejects_finished_and_broken_input(void **state) {
    lua_State *L = *state;
    const char *done[] = {
        "1 + 2",
        "function f(x)\n  return x * 2\nend",
        "t = {1, 2, 3}",
        "x = = 1", /* a syntax error that more lines can't fix */
        "end",     /* likewise */
        "print('a' 'b')",
        "s = \"abc\"",
        "",
        "f(21)",
        "for i = 1, 2 do end",
        "x = 1 + )",
        "a = 1; a",                /* statements, then an expression whose value prints */
        "loss:backward(); w.grad", /* (lua.c would ask for more lines here) */
        "s = \"a;b\"; s",
    };
    for (size_t i = 0; i < sizeof done / sizeof done[0]; i++) {
        if (repl_incomplete(L, done[i])) fail_msg("should be complete: %s", done[i]);
    }
    assert_int_equal(lua_gettop(L), 0);
}

/* Runs code under repl_docall; returns its error message (or NULL). */
static const char *run(lua_State *L, const char *code) {
    static char msg[2048];
    if (luaL_loadbuffer(L, code, strlen(code), "=stdin") != LUA_OK) return "syntax";
    if (repl_docall(L, 0) == LUA_OK) {
        lua_settop(L, 0);
        return NULL;
    }
    snprintf(msg, sizeof msg, "%s", lua_tostring(L, -1));
    lua_settop(L, 0);
    return msg;
}

static void test_docall_error_at_top_level_has_no_traceback(void **state) {
    const char *msg = run(*state, "error('boom')");
    assert_non_null(msg);
    assert_string_equal(msg, "stdin:1: boom");
}

static void test_docall_traceback_shows_user_frames_only(void **state) {
    const char *msg = run(*state, "local function inner() local x = nil; return x.y end\n"
                                  "local function outer() return inner() + 1 end\n"
                                  "outer()");
    assert_non_null(msg);
    assert_non_null(strstr(msg, "stdin:1: attempt to index a nil value (local 'x')"));
    assert_non_null(strstr(msg, "stack traceback:"));
    assert_non_null(strstr(msg, "in upvalue 'inner'"));
    assert_non_null(strstr(msg, "in local 'outer'"));
    assert_null(strstr(msg, "[C]: in ?"));
}

/* Loads code as the file path (chunk name "@path", as require gives it) and stores
 * the function it returns in the global name. */
static void define_in_file(lua_State *L, const char *path, const char *code, const char *name) {
    lua_pushfstring(L, "@%s", path);
    assert_int_equal(luaL_loadbuffer(L, code, strlen(code), lua_tostring(L, -1)), LUA_OK);
    lua_call(L, 0, 1);
    lua_setglobal(L, name);
    lua_pop(L, 1);
}

/* Every frame of a file in nnlab's lua/ folder goes, whichever file it is (not only
 * repl.lua, init.lua, help.lua), also when Lua shortened a long path to "...";
 * C frames go; the user's frames stay. */
static void test_docall_trims_every_frame_of_nnlab_lua_files(void **state) {
    lua_State *L = *state;
    const char *dirs[] = {
        "/opt/nnlab/share/nnlab/lua",
        "/a/very/long/prefix/that/lua/shortens/in/tracebacks/share/nnlab/lua",
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        setenv("NNLAB_LUA_DIR", dirs[i], 1);
        char path[512];
        snprintf(path, sizeof path, "%s/nn_train.lua", dirs[i]);
        define_in_file(L, path,
                       "local function ccall(f, ...) local ok, e = pcall(f, ...)\n"
                       "  if not ok then error(e, 3) end end\n"
                       "return function(n) ccall(string.rep, 'x', n); return 1 end",
                       "linear");
        const char *msg = run(L, "local function build() local m = linear(nil) + 1 end\n"
                                 "build()");
        unsetenv("NNLAB_LUA_DIR");
        assert_non_null(msg);
        if (strstr(msg, "nn_train.lua") || strstr(msg, "[C]"))
            fail_msg("nnlab's frames are left in:\n%s", msg);
        if (!strstr(msg, "stdin:1: bad argument #2 to 'string.rep'")) fail_msg("message: %s", msg);
        assert_non_null(strstr(msg, "in local 'build'"));
        assert_non_null(strstr(msg, "stdin:2: in main chunk"));
    }
}

/* A job's error raised again (wait) already carries its traceback: the new one
 * joins it under one header. */
static void test_docall_traceback_inside_message_gets_one_header(void **state) {
    const char *msg = run(*state, "local function again() error('stdin:9: job broke\\n"
                                  "stack traceback:\\n\\tstdin:9: in function <stdin:8>', 0) end\n"
                                  "again()");
    assert_non_null(msg);
    const char *first = strstr(msg, "stack traceback:");
    assert_non_null(first);
    assert_null(strstr(first + 1, "stack traceback:"));
    assert_non_null(strstr(msg, "\tstdin:9: in function <stdin:8>\n\tstdin:1: in local 'again'"));
}

static void test_docall_error_objects_that_are_not_strings(void **state) {
    const char *msg = run(*state, "error(setmetatable({}, {__tostring = function() "
                                  "return 'custom error' end}))");
    assert_non_null(msg);
    assert_string_equal(msg, "custom error");
    msg = run(*state, "error({code = 1})");
    assert_non_null(msg);
    assert_non_null(strstr(msg, "(error object is a table value)"));
}

static void test_docall_success_returns_values(void **state) {
    lua_State *L = *state;
    luaL_loadstring(L, "return 1, 2, 3");
    assert_int_equal(repl_docall(L, 0), LUA_OK);
    assert_int_equal(lua_gettop(L), 3);
    assert_int_equal(lua_tointeger(L, 3), 3);
}

/* A missing method's message goes to repl._did_you_mean with the object it was called
 * on (found in the call's frame), so that the hint names that type's methods; nil
 * where two objects of different types could be it. The stand-in _did_you_mean
 * appends the receiver's __name. */
static void test_docall_passes_a_missing_methods_receiver(void **state) {
    lua_State *L = *state;
    const char *module = "local M = {}\n"
                         "function M._did_you_mean(msg, receiver)\n"
                         "  local mt = getmetatable(receiver)\n"
                         "  return msg .. ' [' .. (mt and mt.__name or tostring(receiver)) .. ']'\n"
                         "end\n"
                         "return M";
    assert_int_equal(luaL_loadbuffer(L, module, strlen(module), "=module"), LUA_OK);
    lua_call(L, 0, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, REPL_MODULE_KEY);
    assert_int_equal(luaL_dostring(L, "A = setmetatable({}, {__name = 'kind.a', __index = {}})\n"
                                      "B = setmetatable({}, {__name = 'kind.b', __index = {}})"),
                     LUA_OK);
    const char *msg = run(L, "local n = nil; local b = B; A:fitt()");
    assert_non_null(msg);
    assert_non_null(strstr(msg, "(method 'fitt') [kind.a]"));
    msg = run(L, "local t = {a = A}; t.a:fitt(1, 2)");
    assert_non_null(strstr(msg, "(method 'fitt') [kind.a]"));
    msg = run(L, "A:fitt(nil, B)"); /* A or B? not clear */
    assert_non_null(strstr(msg, "(method 'fitt') [nil]"));
    msg = run(L, "A:fitt(nil, A)"); /* the same type either way */
    assert_non_null(strstr(msg, "(method 'fitt') [kind.a]"));
    msg = run(L, "local s = 'x'; s:nosuch()"); /* no __name */
    assert_non_null(strstr(msg, "(method 'nosuch') [nil]"));
    msg = run(L, "nosuch()"); /* not a method: no receiver */
    assert_non_null(strstr(msg, "(global 'nosuch') [nil]"));
    assert_int_equal(lua_gettop(L), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_incomplete_open_constructs_ask_for_more, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_incomplete_rejects_finished_and_broken_input, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_docall_error_at_top_level_has_no_traceback, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_docall_traceback_shows_user_frames_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_docall_trims_every_frame_of_nnlab_lua_files, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_docall_traceback_inside_message_gets_one_header, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_docall_error_objects_that_are_not_strings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_docall_success_returns_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_docall_passes_a_missing_methods_receiver, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
