/* Tests of bind_tensor.c ("nn.core"): Lua code run in a state opened with
 * bind_open_all, no REPL. Each test is a Lua chunk whose asserts must hold; a chunk
 * that must fail is checked for its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lualib.h>

#include "bind.h"
#include "repl.h"

static int setup(void **state) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    bind_open_all(L);
    if (luaL_dostring(L, "nn = require 'nn.core'") != LUA_OK) return -1;
    *state = L;
    return 0;
}

static int teardown(void **state) {
    lua_close(*state);
    return 0;
}

static void run(lua_State *L, const char *code) {
    if (luaL_dostring(L, code) != LUA_OK) {
        print_message("Lua error: %s\n", lua_tostring(L, -1));
        fail();
    }
}

/* Runs code, which must raise an error containing want. */
static void run_fails(lua_State *L, const char *code, const char *want) {
    assert_int_not_equal(luaL_dostring(L, code), LUA_OK);
    const char *msg = lua_tostring(L, -1);
    if (!strstr(msg, want)) print_message("error was: %s\nwanted: %s\n", msg, want);
    assert_non_null(strstr(msg, want));
    lua_pop(L, 1);
}

static void test_makers(void **state) {
    run(*state, "local t = nn.tensor{{1, 2}, {3, 4}}\n"
                "assert(#t == 2 and t:numel() == 4)\n"
                "local s = t.shape; assert(s[1] == 2 and s[2] == 2 and #s == 2)\n"
                "assert(t:shape()[2] == 2)\n"
                "assert(nn.tensor(3.5):item() == 3.5)\n"
                "assert(nn.zeros{2, 3}:numel() == 6 and nn.zeros(2, 3).shape[2] == 3)\n"
                "assert(nn.ones(4):sum():item() == 4)\n"
                "assert(nn.full({2, 2}, 7):mean():item() == 7)\n"
                "local a = nn.arange(5):totable(); assert(#a == 5 and a[1] == 0 and a[5] == 4)\n"
                "local b = nn.arange(1, 2, 0.5):totable(); assert(#b == 2 and b[2] == 1.5)\n"
                "local l = nn.linspace(0, 1, 3):totable(); assert(l[2] == 0.5)\n"
                "local r = nn.rand({100}, 2, 3)\n"
                "assert(r:max():item() < 3 and (-r):max():item() <= -2)\n"
                "assert(nn.randn(10, 10):numel() == 100)\n"
                "local t3 = nn.tensor{{{1}, {2}}, {{3}, {4}}}; assert(t3.ndim == 3)\n");
}

/* Sizes that do not fit the engine's int shapes were truncated: {4294967298} made
 * shape [2], {1e12, 1e12} negative sizes. Each bad size is refused by value. */
static void test_makers_refuse_sizes_that_do_not_fit(void **state) {
    lua_State *L = *state;
    run_fails(L, "nn.zeros{4294967298}", "size 1 is 4294967298; sizes are 1 to 2147483647");
    run_fails(L, "nn.zeros{1e12, 1e12}", "size 1 is 1000000000000");
    run_fails(L, "nn.ones(3, 4294967296)", "size 2 is 4294967296");
    run_fails(L, "nn.zeros{2.5}", "size 1 is 2.5, not an integer");
    run_fails(L, "nn.zeros{2, 'x'}", "size 2 is a string, not an integer");
    run_fails(L, "nn.randn{3, -1}", "size 2 is -1; sizes are 1 to");
    run_fails(L, "nn.zeros{0}", "size 1 is 0");
    run_fails(L, "nn.full({1048576, 1048576, 2}, 1)",
              "2199023255552 elements are too many (at most 1099511627776)");
    run_fails(L, "nn.linspace(0, 1, 4294967298)",
              "count must be a whole number from 1 to 2147483647, got 4294967298");
    run_fails(L, "nn.zeros{2, 3}:reshape{4294967298, -1}", "size 1 is 4294967298");
    run_fails(L, "nn.zeros{2, 3}:reshape(-2, 3)", "size 1 is -2; sizes are 1 to 2147483647 (or -1");
    run(L, "assert(nn.zeros{2, 3}:reshape(-1, 2).shape[1] == 3)");
}

/* Tab after `t:` lists every name a tensor answers to, the callable field shape
 * (t:shape()) with the methods. */
static void test_completion_after_colon_lists_shape(void **state) {
    lua_State *L = *state;
    run(L, "t = nn.zeros{2, 3}");
    size_t wstart;
    const char *line = "n = t:sh";
    repl_complete(L, line, strlen(line), &wstart);
    assert_int_equal(lua_rawlen(L, -1), 1);
    lua_rawgeti(L, -1, 1);
    assert_string_equal(lua_tostring(L, -1), "t:shape");
    assert_int_equal(wstart, 4);
    lua_settop(L, 0);
    line = "t:";
    repl_complete(L, line, strlen(line), &wstart);
    bool matmul = false, shape = false;
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        matmul = matmul || strcmp(lua_tostring(L, -1), "t:matmul") == 0;
        shape = shape || strcmp(lua_tostring(L, -1), "t:shape") == 0;
        lua_pop(L, 1);
    }
    lua_settop(L, 0);
    assert_true(matmul && shape);
}

static void test_seed_gives_the_same_numbers(void **state) {
    run(*state, "nn.seed(5); local a = nn.randn{8}:totable()\n"
                "nn.seed(5); local b = nn.randn{8}:totable()\n"
                "for i = 1, 8 do assert(a[i] == b[i]) end\n");
}

static void test_arithmetic_and_metamethods(void **state) {
    run(*state, "local t = nn.tensor{1, 2, 4}\n"
                "local function same(x, want)\n"
                "  local v = x:totable()\n"
                "  for i = 1, #want do assert(math.abs(v[i] - want[i]) < 1e-6,\n"
                "    ('element %d: %g, want %g'):format(i, v[i], want[i])) end\n"
                "end\n"
                "same(t + 1, {2, 3, 5}); same(1 + t, {2, 3, 5})\n"
                "same(t - 1, {0, 1, 3}); same(1 - t, {0, -1, -3})\n"
                "same(t * 2, {2, 4, 8}); same(2 * t, {2, 4, 8})\n"
                "same(t / 2, {0.5, 1, 2}); same(4 / t, {4, 2, 1})\n"
                "same(t ^ 2, {1, 4, 16}); same(2 ^ t, {2, 4, 16}); same(-t, {-1, -2, -4})\n"
                "same(t + t, {2, 4, 8}); same(t * t, {1, 4, 16}); same(t:div(t), {1, 1, 1})\n"
                "same(t:add(1), {2, 3, 5}); same(t:scale(3), {3, 6, 12})\n"
                "same(t:pow(0.5), {1, math.sqrt(2), 2}); same(t:sqrt(), {1, math.sqrt(2), 2})\n"
                "same(t:log():exp(), {1, 2, 4}); same((-t):abs(), {1, 2, 4})\n"
                "same((-t):relu(), {0, 0, 0}); same(nn.tensor{0}:sigmoid(), {0.5})\n"
                "same(nn.tensor{0}:tanh(), {0})\n"
                "local m = nn.tensor{{1, 2}, {3, 4}}\n"
                "same((m + nn.tensor{10, 20}):reshape(4), {11, 22, 13, 24})\n");
}

static void test_reductions_use_one_based_axes(void **state) {
    run(*state, "local m = nn.tensor{{1, 5, 2}, {7, 0, 3}}\n"
                "local s = m:sum(1):totable(); assert(s[1] == 8 and s[2] == 5 and s[3] == 5)\n"
                "local r = m:sum(2, true); assert(r.shape[1] == 2 and r.shape[2] == 1)\n"
                "assert(m:sum(-1):totable()[2] == 10)\n"
                "assert(m:mean():item() == 3)\n"
                "assert(m:max():item() == 7)\n"
                "local am = m:argmax(2):totable(); assert(am[1] == 2 and am[2] == 1)\n"
                "assert(m:argmax():item() == 4)\n");
    run_fails(*state, "nn.zeros(2, 2):sum(0)", "axes count from 1");
    run_fails(*state, "nn.zeros(2, 2):sum(3)",
              "bad argument #1 to 'sum' (axis 3 is out of range for shape [2,2] (1 to 2, or -1 "
              "to -2))");
    run_fails(*state, "nn.zeros(2, 2):softmax(-3)", "axis -3 is out of range");
}

static void test_matmul_softmax_and_shapes(void **state) {
    run(*state, "local a = nn.tensor{{1, 2, 3}, {4, 5, 6}}\n"
                "local b = nn.tensor{{7, 8}, {9, 10}, {11, 12}}\n"
                "local c = a:matmul(b):totable(); assert(c[1][1] == 58 and c[2][2] == 154)\n"
                "local d = a:matmul(a, false, true):totable(); assert(d[1][2] == 32)\n"
                "assert(a:t().shape[1] == 3 and a:transpose():totable()[3][2] == 6)\n"
                "local p = nn.tensor{{1, 2, 3}}:softmax():totable()[1]\n"
                "assert(math.abs(p[1] + p[2] + p[3] - 1) < 1e-6 and p[3] > p[2])\n"
                "local lp = nn.tensor{{1, 2, 3}}:log_softmax(2):exp():sum():item()\n"
                "assert(math.abs(lp - 1) < 1e-6)\n"
                "local r = nn.arange(6):reshape(2, 3); assert(r:totable()[2][1] == 3)\n"
                "assert(nn.arange(6):reshape{-1, 2}.shape[1] == 3)\n"
                "local rows = r:rows(2):totable(); assert(#rows == 1 and rows[1][3] == 5)\n"
                "local g = r:gather{2, 1, 2}:totable(); assert(#g == 3 and g[1][1] == 3)\n"
                "local c2 = r:copy(); c2:fill(1); assert(r:sum():item() == 15)\n"
                "assert(c2:sum():item() == 6 and r:detach().op == 'leaf')\n");
    run_fails(*state, "nn.zeros(32, 3):matmul(nn.zeros(4, 8))",
              "matmul: [32,3] x [4,8]: inner sizes 3 and 4 differ");
    run_fails(*state, "local x = nn.zeros(2, 3) + nn.zeros(4)",
              "add: [2,3] and [4] do not broadcast");
    run_fails(*state, "nn.zeros(3, 2):gather{1, 4}", "row 4 (position 2) is out of range 1..3");
    run_fails(*state, "nn.zeros(3, 2):rows(3, 2)", "2 rows from row 3 do not fit in 3 rows");
    run_fails(*state, "nn.zeros(2, 2):item()", "item() needs one");
    run_fails(*state, "nn.tensor{{1, 2}, {3}}", "t[2] holds 1 number, but t[1] holds 2");
    run_fails(*state, "nn.tensor{{1, 2}, 3}",
              "t[2] is a number, where t[1] holds a table of 2 numbers");
    run_fails(*state, "nn.tensor{{{1, 2}, {3, 4}}, {{1, 2}, {3}}}",
              "t[2][2] holds 1 number, but t[1][1] holds 2");
    run_fails(*state, "nn.tensor{{1, \"a\"}}", "t[1][2] is a string, not a number");
    run_fails(*state, "nn.tensor{{1, 'x'}}", "is a string, not a number");
    run_fails(*state, "nn.zeros('a')", "bad argument #1 to 'zeros'");
    run_fails(*state, "nn.zeros(2):matmul(5)",
              "bad argument #1 to 'matmul' (nnlab.tensor expected");
}

static void test_autograd_from_lua(void **state) {
    run(*state, "local x = nn.tensor{{1, 2}, {3, 4}}\n"
                "local w = nn.tensor{{0.5}, {-1}}:requires_grad()\n"
                "assert(w.needs_grad and w.grad == nil)\n"
                "local loss = (x:matmul(w) - 1):pow(2):mean()\n"
                "assert(loss.op == 'mean' and loss.needs_grad)\n"
                "loss:backward()\n"
                /* d/dw mean((xw-1)^2) = 2/2 * x^T (xw - 1); xw = {-1.5, -2.5} */
                "local g = w.grad:totable()\n"
                "assert(math.abs(g[1][1] - (1 * -2.5 + 3 * -3.5)) < 1e-5)\n"
                "assert(math.abs(g[2][1] - (2 * -2.5 + 4 * -3.5)) < 1e-5)\n"
                "w:zero_grad(); assert(w.grad:sum():item() == 0)\n"
                "local y = nn.no_grad(function(a) return a * 2 end, w)\n"
                "assert(not y.needs_grad)\n"
                "assert(select('#', nn.no_grad(function() return 1, 2 end)) == 2)\n");
    run_fails(*state, "nn.zeros(2, 2):exp():requires_grad()",
              "requires_grad: only leaves can require grad");
    run_fails(*state, "nn.zeros(2):requires_grad():exp():backward()",
              "backward: the loss has shape [2]");
    /* no_grad restores recording after an error */
    run(*state, "assert(not pcall(nn.no_grad, function() error('x') end))\n"
                "assert(nn.zeros(1):requires_grad():exp().needs_grad)\n");
}

static void test_freed_tensors_and_graph_lifetime(void **state) {
    run(*state, "local x = nn.tensor{1, 2}:requires_grad()\n"
                "local y = (x * x):sum()\n"
                "local g\n"
                "do\n"
                "  local w <close> = nn.tensor{5}\n"
                "end\n"
                "x = nil; collectgarbage(); collectgarbage()\n" /* y still holds x */
                "y:backward()\n"
                "local nodes = nn.graph(y)\n"
                "assert(#nodes == 3 and nodes[1].op == 'leaf' and nodes[3].op == 'sum')\n"
                "assert(nodes[2].inputs[1] == 1 and nodes[2].inputs[2] == 1)\n"
                "assert(nodes[3].shape[1] == 1 and nodes[1].requires_grad)\n"
                "local leaf = nn.tensor{3}:requires_grad(); (leaf * leaf):sum():backward()\n"
                "g = leaf.grad; leaf = nil; collectgarbage(); collectgarbage()\n"
                "assert(g:item() == 6)\n" /* the grad outlives its leaf */
                "local f = nn.ones(2); f:free(); f:free()\n"
                "assert(tostring(f) == 'tensor (freed)')\n");
    run_fails(*state, "local f = nn.ones(2); f:free(); return f + 1", "tensor was freed");
    run_fails(*state, "local f = nn.ones(2); f:free(); return f.grad", "tensor was freed");
}

static void test_tostring_like_numpy(void **state) {
    lua_State *L = *state;
    run(L, "s1 = tostring(nn.tensor{{1, 2}, {30, 4}})\n"
           "s2 = tostring(nn.tensor{0.5, -1.25})\n"
           "s3 = tostring(nn.arange(2000):reshape(40, 50))\n"
           "s4 = tostring(nn.tensor{1}:requires_grad() * 2)\n"
           "s5 = tostring(nn.tensor{-1, 0, 1}:log())\n"
           "s6 = tostring(nn.zeros(3, 2).shape)\n");
    lua_getglobal(L, "s1");
    assert_string_equal(lua_tostring(L, -1), "tensor [2,2] float32 cpu\n[[ 1.  2.]\n [30.  4.]]");
    lua_getglobal(L, "s2");
    assert_string_equal(lua_tostring(L, -1), "tensor [2] float32 cpu\n[ 0.5000 -1.2500]");
    lua_getglobal(L, "s3");
    assert_string_equal(lua_tostring(L, -1), "tensor [40,50] float32 cpu\n"
                                             "[[   0.    1.    2. ...   47.   48.   49.]\n"
                                             " [  50.   51.   52. ...   97.   98.   99.]\n"
                                             " [ 100.  101.  102. ...  147.  148.  149.]\n"
                                             " ...\n"
                                             " [1850. 1851. 1852. ... 1897. 1898. 1899.]\n"
                                             " [1900. 1901. 1902. ... 1947. 1948. 1949.]\n"
                                             " [1950. 1951. 1952. ... 1997. 1998. 1999.]]");
    lua_getglobal(L, "s4");
    assert_string_equal(lua_tostring(L, -1), "tensor [1] float32 cpu op=scale requires_grad\n[2.]");
    lua_getglobal(L, "s5");
    assert_string_equal(lua_tostring(L, -1), "tensor [3] float32 cpu\n[ nan -inf   0.]");
    lua_getglobal(L, "s6");
    assert_string_equal(lua_tostring(L, -1), "{3, 2}");
    /* a row wider than the terminal goes on over lines, under its first number */
    setenv("COLUMNS", "41", 1); /* rows of 40 */
    run(L, "s7 = tostring(nn.arange(16):reshape(2, 8) * 10)\n");
    unsetenv("COLUMNS");
    lua_getglobal(L, "s7");
    assert_string_equal(lua_tostring(L, -1), "tensor [2,8] float32 cpu\n"
                                             "[[  0.  10.  20.  30.  40.  50.  60.\n"
                                             "   70.]\n"
                                             " [ 80.  90. 100. 110. 120. 130. 140.\n"
                                             "  150.]]");
    lua_pop(L, 6);
}

/* Every function of nn.core and every method and field of a tensor has a help entry
 * in lua/doc/tensor.lua (the REPL's help test checks the same from the prompt). */
static void test_docs_cover_every_function(void **state) {
    lua_State *L = *state;
    lua_pushstring(L, TENSOR_DOC);
    lua_setglobal(L, "doc_path");
    run(L, "local doc = dofile(doc_path)\n"
           "local missing = {}\n"
           "for k in pairs(nn) do\n"
           "  if not doc['nn.' .. k] then missing[#missing + 1] = 'nn.' .. k end\n"
           "end\n"
           "local mt = debug.getregistry()['nnlab.tensor']\n"
           "for _, k in ipairs(mt.__keys) do\n"
           "  if not doc['tensor:' .. k] then missing[#missing + 1] = 'tensor:' .. k end\n"
           "end\n"
           "assert(#missing == 0, 'no help for ' .. table.concat(missing, ', '))\n"
           "for k, e in pairs(doc) do assert(e.sig and e.summary, k .. ' lacks sig or summary') "
           "end\n");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_makers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_makers_refuse_sizes_that_do_not_fit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_completion_after_colon_lists_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seed_gives_the_same_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arithmetic_and_metamethods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reductions_use_one_based_axes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matmul_softmax_and_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_autograd_from_lua, setup, teardown),
        cmocka_unit_test_setup_teardown(test_freed_tensors_and_graph_lifetime, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tostring_like_numpy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_docs_cover_every_function, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
