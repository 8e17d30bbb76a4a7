/* test_bind_plot.c: the plot binding and lua/plot.lua inside a real nnlab Lua state,
 * on SDL's dummy video driver: keys and clicks pushed as SDL events reach Lua through
 * the REPL hook: space pauses and resumes the job bound to the window, clicks call the
 * panel's callback with data coordinates, other keys go to the window's key callback. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "repl.h"
#include "vizt.h"

static lua_State *L;

static void run(const char *code) {
    if (luaL_dostring(L, code) != LUA_OK) fail_msg("lua: %s", lua_tostring(L, -1));
}

/* The value of a Lua expression as a string (valid until the next call). */
static const char *eval(const char *expr) {
    static char out[256];
    char buf[512];
    snprintf(buf, sizeof buf, "return tostring(%s)", expr);
    run(buf);
    snprintf(out, sizeof out, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return out;
}

static uint32_t only_window(void) {
    for (uint32_t id = 1; id < 64; id++)
        if (SDL_GetWindowFromID(id)) return id;
    return 0;
}

static void key(uint32_t id, int sym) {
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.windowID = id;
    e.key.keysym.sym = sym;
    SDL_PushEvent(&e);
}

static void test_bind_plot_space_click_and_keys_reach_lua(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("job = spawn(function() while true do coroutine.yield() end end)\n"
        "p = plot.field{f = function(x, y) return x + y end, n = 20, width = 640, height = 560}\n"
        "w = p:window(); w:bind(job)\n"
        "clicks, keys = {}, {}\n"
        "p:on_click(function(x, y, b) clicks[#clicks + 1] = {x = x, y = y, b = b} end)\n"
        "w:on_key(function(k) keys[#keys + 1] = k end)");
    assert_string_equal(eval("w:is_open()"), "true");
    uint32_t id = only_window();
    assert_true(id != 0);
    repl_hooks_run(L);
    key(id, SDLK_SPACE);
    repl_hooks_run(L);
    assert_string_equal(eval("job.state"), "paused");
    key(id, SDLK_SPACE);
    key(id, SDLK_x);
    repl_hooks_run(L);
    assert_string_equal(eval("job.state"), "running");
    assert_string_equal(eval("table.concat(keys, ',')"), "space,space,x");
    SDL_Event c = {0};
    c.type = SDL_MOUSEBUTTONDOWN;
    c.button.windowID = id;
    c.button.button = SDL_BUTTON_LEFT;
    c.button.x = 320, c.button.y = 280;
    SDL_PushEvent(&c);
    repl_hooks_run(L);
    assert_string_equal(eval("#clicks"), "1");
    assert_string_equal(eval("clicks[1].b"), "1");
    /* the same pixel mapped by the panel itself */
    run("local x, y = p:to_data(320, 280, 640, 560)\n"
        "assert(math.abs(clicks[1].x - x) < 0.05 and math.abs(clicks[1].y - y) < 0.05,\n"
        "  ('click at %g, %g; pixel maps to %g, %g'):format(clicks[1].x, clicks[1].y, x, y))");
    /* closing the window does not end anything; the plot still saves */
    SDL_Event cl = {0};
    cl.type = SDL_WINDOWEVENT;
    cl.window.windowID = id;
    cl.window.event = SDL_WINDOWEVENT_CLOSE;
    SDL_PushEvent(&cl);
    repl_hooks_run(L);
    assert_string_equal(eval("w:is_open()"), "false");
    run("job:stop()");
    repl_closestate(L);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bind_plot_space_click_and_keys_reach_lua),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
