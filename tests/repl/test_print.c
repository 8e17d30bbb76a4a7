/* test_print.c: the prompt's pretty printer (src/repl/print.c): scalars, nested
 * tables on one line or many, depth and width limits, cycles, printers registered
 * by type name, failing __tostring, and a large tensor abbreviated NumPy-style
 * (through the "nn.core" binding's __tostring). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

#include "bind.h"
#include "repl.h"

static int setup(void **state) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    bind_open_all(L);
    *state = L;
    return 0;
}

static int teardown(void **state) {
    lua_close(*state);
    return 0;
}

/* Evaluates expr and returns the printer's text for its value. */
static const char *show(lua_State *L, const char *expr, bool raw) {
    static char out[16384];
    lua_settop(L, 0);
    lua_pushfstring(L, "return %s", expr);
    if (luaL_dostring(L, lua_tostring(L, -1)) != LUA_OK)
        fail_msg("%s: %s", expr, lua_tostring(L, -1));
    repl_pushrepr(L, -1, raw);
    snprintf(out, sizeof out, "%s", lua_tostring(L, -1));
    lua_settop(L, 0);
    return out;
}

/* An object (a table with a metatable and no __tostring: a race, a view) prints as
 * one line, nested ones too; :details (repl_pushrepr_full) shows its fields. */
static void test_print_objects_as_one_line(void **state) {
    lua_State *L = *state;
    const char *race =
        "setmetatable({k = 1, racers = {setmetatable({x = 1}, {__name = 'racer'})}}, "
        "{__name = 'race'})";
    assert_string_equal(show(L, race, true), "<race: 2 fields; :details shows them>");
    assert_string_equal(show(L, "setmetatable({}, {})", true),
                        "<object: 0 fields; :details shows them>");
    assert_string_equal(show(L, "{setmetatable({a = 1}, {})}", true),
                        "{<object: 1 field; :details shows them>}");
    lua_settop(L, 0);
    lua_pushfstring(L, "return %s", race);
    assert_int_equal(luaL_dostring(L, lua_tostring(L, -1)), LUA_OK);
    repl_pushrepr_full(L, -1);
    assert_string_equal(lua_tostring(L, -1),
                        "{k = 1, racers = {<racer: 1 field; :details shows them>}}");
    lua_settop(L, 0);
}

static void test_print_scalars(void **state) {
    lua_State *L = *state;
    assert_string_equal(show(L, "42", false), "42");
    assert_string_equal(show(L, "0.5", false), "0.5");
    assert_string_equal(show(L, "nil", false), "nil");
    assert_string_equal(show(L, "true", false), "true");
    assert_string_equal(show(L, "'a\\nb'", true), "a\nb");             /* at the prompt: as is */
    assert_string_equal(show(L, "'a\\nb\"'", false), "\"a\\nb\\\"\""); /* quoted, escaped */
    /* a float alone keeps its digits; inside a table it takes 6, and stays a float */
    assert_string_equal(show(L, "1/3", false), "0.33333333333333");
    assert_string_equal(show(L, "{1/3, 2.0, 3, 1e20, 0/0, -1e-7, {x = 12345.678}}", false),
                        "{0.333333, 2.0, 3, 1e+20, nan, -1e-07, {x = 12345.7}}");
}

static void test_print_nested_tables(void **state) {
    lua_State *L = *state;
    assert_string_equal(show(L, "{1, 2, {3, 4}, name = 'x', [10] = true, ['a b'] = 1}", true),
                        "{1, 2, {3, 4}, [10] = true, [\"a b\"] = 1, name = \"x\"}");
    assert_string_equal(show(L, "{}", true), "{}");
    /* too long for a line: one entry a line, nested ones indented */
    const char *s = show(L, "{alpha = {1, 2, 3}, beta = string.rep('x', 70)}", true);
    assert_string_equal(s, "{\n  alpha = {1, 2, 3},\n  beta = \""
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\n}");
    /* depth limit */
    assert_string_equal(show(L, "{{{{{{1}}}}}}", true), "{{{{{...}}}}}");
}

static void test_print_width_limit_counts_the_rest(void **state) {
    lua_State *L = *state;
    const char *s = show(L,
                         "(function() local t = {} for i = 1, 1000 do t[i] = i end "
                         "t.x = 1 return t end)()",
                         true);
    assert_non_null(strstr(s, "... (961 more)"));
    assert_null(strstr(s, "41,"));
    /* a layer's 100,000 weights: 40 shown, packed several a line, the rest counted */
    s = show(L,
             "(function() local t = {} for i = 1, 100040 do t[i] = 0.01 * i + 1e-9 end "
             "return t end)()",
             true);
    assert_non_null(strstr(s, "... (100000 more)"));
    int lines = 0;
    for (const char *c = s; *c; c++) lines += *c == '\n';
    if (lines > 8) fail_msg("40 numbers in %d lines:\n%s", lines, s);
    assert_true(strlen(s) < 400);
}

static void test_print_cycles_are_shown_not_followed(void **state) {
    lua_State *L = *state;
    const char *s = show(L, "(function() local t = {name = 'me'} t.self = t return t end)()", true);
    assert_non_null(strstr(s, "self = <cycle: table: 0x"));
    assert_non_null(strstr(s, "name = \"me\""));
    /* the same table twice, not on a cycle, prints twice */
    s = show(L, "(function() local a = {1} return {a, a} end)()", true);
    assert_string_equal(s, "{{1}, {1}}");
}

static int point_printer(lua_State *L) {
    lua_getfield(L, 1, "x");
    lua_pushfstring(L, "point(%d)", (int)lua_tointeger(L, -1));
    return 1;
}

static void test_print_registered_printer_and_tostring(void **state) {
    lua_State *L = *state;
    /* repl.printer stores printers here by type name (see print.c) */
    luaL_getsubtable(L, LUA_REGISTRYINDEX, "nnlab.printers");
    lua_pushcfunction(L, point_printer);
    lua_setfield(L, -2, "test.point");
    lua_pop(L, 1);
    assert_string_equal(show(L, "{setmetatable({x = 7}, {__name = 'test.point'})}", true),
                        "{point(7)}");
    assert_string_equal(
        show(L, "setmetatable({}, {__tostring = function() return 'custom' end})", true), "custom");
    const char *s =
        show(L, "setmetatable({}, {__tostring = function() error('bad tostring') end})", true);
    assert_non_null(strstr(s, "bad tostring"));
    assert_int_equal(s[0], '<');
}

static void test_print_large_tensor_is_abbreviated(void **state) {
    lua_State *L = *state;
    const char *s = show(L, "require('nn.core').zeros{100, 100}", true);
    assert_non_null(strstr(s, "[100,100]"));
    assert_non_null(strstr(s, "..."));
    int lines = 1;
    for (const char *p = s; *p; p++) lines += *p == '\n';
    assert_true(lines < 15);
    /* inside a table the tensor's lines are indented under its key */
    s = show(L, "{w = require('nn.core').zeros{2, 2}, b = 1}", true);
    assert_non_null(strstr(s, "w = tensor [2,2]"));
    assert_non_null(strstr(s, "\n   [0. 0.]]"));
}

static void test_print_sorts_keys_without_the_global_table(void **state) {
    lua_State *L = *state;
    assert_int_equal(luaL_dostring(L, "table = nil"), LUA_OK);
    assert_string_equal(show(L, "{b = 1, a = 2, [2] = 'x', [0.5] = 'y', [true] = 3}", true),
                        "{[0.5] = \"y\", [2] = \"x\", a = 2, b = 1, [true] = 3}");
}

/* Evaluates expr and returns its one-line form (a result printed beside others). */
static const char *show_line(lua_State *L, const char *expr) {
    static char out[4096];
    lua_settop(L, 0);
    lua_pushfstring(L, "return %s", expr);
    if (luaL_dostring(L, lua_tostring(L, -1)) != LUA_OK)
        fail_msg("%s: %s", expr, lua_tostring(L, -1));
    repl_pushrepr_line(L, -1);
    snprintf(out, sizeof out, "%s", lua_tostring(L, -1));
    lua_settop(L, 0);
    return out;
}

/* A plot's second and third results (a confusion table of 10 x 10 counts, a view)
 * print as one line naming what they hold; what fits one line prints as always. */
static void test_print_line_names_a_big_tables_keys(void **state) {
    lua_State *L = *state;
    const char *cm = "(function() local t = {k = 10, total = 2000, counts = {}, percent = {}} "
                     "for i = 1, 10 do t.counts[i] = {} t.percent[i] = {} for j = 1, 10 do "
                     "t.counts[i][j] = i * j t.percent[i][j] = i / j end end return t end)()";
    assert_string_equal(show_line(L, cm), "<table: counts, k, percent, total>");
    assert_string_equal(show_line(L, "(function() local t = {} for i = 1, 2000 do t[i] = i end "
                                     "return t end)()"),
                        "<table of 2000 items>");
    assert_string_equal(show_line(L, "(function() local t = {x = 1} for i = 1, 30 do t[i] = "
                                     "i * 1000 end return t end)()"),
                        "<table of 30 items and x>");
    assert_string_equal(show_line(L, "(function() local t = {} for i = 1, 12 do t['k' .. "
                                     "string.char(96 + i)] = string.rep('x', 20) end return t "
                                     "end)()"),
                        "<table: ka, kb, kc, kd, ke, kf, kg, kh (4 more)>");
    assert_string_equal(show_line(L, "{1, 2, {a = 'b'}}"), "{1, 2, {a = \"b\"}}");
    assert_string_equal(show_line(L, "'two\\nlines'"), "two\nlines"); /* a string as it is */
    assert_string_equal(show_line(L, "setmetatable({}, {__tostring = function() return "
                                     "'model (2 -> 1)\\nlayer 1\\nlayer 2' end})"),
                        "model (2 -> 1) ...");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_print_scalars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_nested_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_width_limit_counts_the_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_cycles_are_shown_not_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_registered_printer_and_tostring, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_print_large_tensor_is_abbreviated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_objects_as_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_line_names_a_big_tables_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_sorts_keys_without_the_global_table, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
