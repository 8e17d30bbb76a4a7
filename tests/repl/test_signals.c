/* test_signals.c: what runs while a long foreground command runs (src/repl/signals.c
 * and the hook list of state.c): the event-loop hooks keep being called (so windows
 * stay alive), Ctrl-C (SIGINT) stops the command with "interrupted!" and leaves the
 * state usable, and a Ctrl-C outside any command is not taken by the next one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <lauxlib.h>
#include <signal.h>
#include <string.h>

#include "replint.h"

static int setup(void **state) {
    repl_signals_install();
    lua_State *L = repl_newstate(false);
    if (!L) return -1;
    *state = L;
    return 0;
}

static int teardown(void **state) {
    repl_closestate(*state);
    return 0;
}

static void count_calls(lua_State *L, void *ud) {
    (void)L;
    (*(int *)ud)++;
}

static int run(lua_State *L, const char *code) {
    assert_int_equal(luaL_loadstring(L, code), LUA_OK);
    int status = repl_docall(L, 0);
    return status;
}

static void test_hooks_run_during_long_command(void **state) {
    lua_State *L = *state;
    int calls = 0;
    repl_hook_add(L, count_calls, &calls);
    /* 0.5 s of pure Lua: about 30 passes at 60 a second; ask for a third of it */
    assert_int_equal(run(L, "local t = os.clock() while os.clock() - t < 0.5 do end"), LUA_OK);
    assert_true(calls >= 10);
    repl_hooks_run(L);
    assert_true(calls >= 11);
}

/* A hook that presses Ctrl-C on its third call, as a person would mid-command. */
static void press_ctrl_c(lua_State *L, void *ud) {
    (void)L;
    if (++*(int *)ud == 3) raise(SIGINT);
}

static void test_sigint_stops_endless_loop(void **state) {
    lua_State *L = *state;
    int calls = 0;
    repl_hook_add(L, press_ctrl_c, &calls);
    assert_int_equal(run(L, "x = 1; while true do x = x + 1 end"), LUA_ERRRUN);
    assert_non_null(strstr(lua_tostring(L, -1), "interrupted!"));
    lua_settop(L, 0);
    /* the state survives with what the command did */
    assert_int_equal(run(L, "return x > 1"), LUA_OK);
    assert_true(lua_toboolean(L, -1));
    lua_settop(L, 0);
}

static void test_sigint_between_commands_is_not_carried_over(void **state) {
    lua_State *L = *state;
    raise(SIGINT); /* at the prompt: the loop takes it to clear the line */
    assert_true(repl_interrupted());
    assert_true(repl_interrupt_take());
    assert_false(repl_interrupted());
    assert_int_equal(run(L, "local s = 0 for i = 1, 1e6 do s = s + i end return s"), LUA_OK);
    lua_settop(L, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hooks_run_during_long_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigint_stops_endless_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigint_between_commands_is_not_carried_over, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
