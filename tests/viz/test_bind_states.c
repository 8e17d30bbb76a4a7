/* test_bind_states.c: plot.states (lua/views_text.lua) in a real nnlab Lua state on
 * SDL's dummy video driver: a drag over the heat map's steps (a press, then the
 * release further right, reaching Lua as a click and a release) selects that span
 * as v:select does, a release past the last step stops at the last, and the
 * threshold keys redo the selection. */
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

static double number(const char *expr) {
    return strtod(eval(expr), NULL);
}

static uint32_t only_window(void) {
    for (uint32_t id = 1; id < 64; id++)
        if (SDL_GetWindowFromID(id)) return id;
    return 0;
}

static void push_button(uint32_t id, uint32_t type, int x, int y) {
    SDL_Event c = {0};
    c.type = type;
    c.button.windowID = id;
    c.button.button = SDL_BUTTON_LEFT;
    c.button.x = x, c.button.y = y;
    SDL_PushEvent(&c);
}

static void push_motion(uint32_t id, int x, int y) {
    SDL_Event m = {0};
    m.type = SDL_MOUSEMOTION;
    m.motion.windowID = id;
    m.motion.x = x, m.motion.y = y;
    SDL_PushEvent(&m);
}

static void key(uint32_t id, int sym) {
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.windowID = id;
    e.key.keysym.sym = sym;
    SDL_PushEvent(&e);
}

/* Runs the hooks after the motion limit has passed (the binding uses the real clock). */
static void pump_later(void) {
    SDL_Delay(VIZ_MOTION_MS + 10);
    repl_hooks_run(L);
}

static void test_bind_states_drag_selects_a_span(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("set = text.entities{n = 30, seed = 2}\n"
        "nn.seed(1)\n"
        "m = nn.sequential{nn.embedding(#set.words.tokens, 4, {padding = 0}),\n"
        "  nn.lstm(4, 6, {output = 'all', mask = true}), nn.linear(6, #set.labels)}\n"
        "v = plot.states(m, set.data, {words = set.words, threshold = 0})\n"
        "T = v.lens[1]\n"
        "hovers = {}\n"
        "v.map:on_hover(function(x, y) hovers[#hovers + 1] = x end)");
    uint32_t id = only_window();
    assert_true(id != 0);
    int ww, wh;
    SDL_GetWindowSize(SDL_GetWindowFromID(id), &ww, &wh);
    repl_hooks_run(L);
    pump_later();
    /* two places on the heat map (the upper panel) give the pixels' scale in steps */
    int y = wh / 4, xa = ww / 3, xb = ww * 2 / 3;
    push_motion(id, xa, y);
    pump_later();
    push_motion(id, xb, y);
    pump_later();
    assert_string_equal(eval("#hovers"), "2");
    double da = number("hovers[1]"), db = number("hovers[2]");
    assert_true(db > da);
    double px_per_step = (xb - xa) / (db - da);
    int x2 = xa + (int)lround((2 - da) * px_per_step),
        x4 = xa + (int)lround((4 - da) * px_per_step);
    assert_string_equal(eval("v.selection"), "nil");
    /* press on step 2, move with the button held, let go on step 4 */
    push_button(id, SDL_MOUSEBUTTONDOWN, x2, y);
    repl_hooks_run(L);
    assert_string_equal(eval("v.selection[1] .. '-' .. v.selection[2]"), "2-2");
    push_motion(id, x4, y);
    push_button(id, SDL_MOUSEBUTTONUP, x4, y);
    repl_hooks_run(L);
    assert_string_equal(eval("v.selection[1] .. '-' .. v.selection[2]"), "2-4");
    /* the units and matches are v:select's */
    run("local units, matches = v.units, v.matches\n"
        "local V = require 'views_text'\n"
        "local want = V.units_on(v.states[1], 2, 4, 0)\n"
        "assert(table.concat(units, ',') == table.concat(want, ','), table.concat(units, ','))\n"
        "local u2, m2 = v:select(2, 4)\n"
        "assert(#m2 == #matches and table.concat(u2, ',') == table.concat(units, ','))");
    /* a release past the heat map's right edge stops at the last step */
    push_button(id, SDL_MOUSEBUTTONDOWN, x2, y);
    push_button(id, SDL_MOUSEBUTTONUP, ww - 2, y);
    repl_hooks_run(L);
    assert_string_equal(eval("v.selection[1] .. '-' .. v.selection[2] == '2-' .. T"), "true");
    /* + raises the threshold and selects again */
    key(id, '+');
    repl_hooks_run(L);
    assert_true(fabs(number("v.threshold") - 0.05) < 1e-9);
    assert_string_equal(eval("v.selection[2] == T"), "true");
    repl_closestate(L);
    L = NULL;
}

/* A failed test leaves its state (and its windows) behind; the next test must not
 * find them. */
static int close_state(void **state) {
    (void)state;
    if (L) repl_closestate(L);
    L = NULL;
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_bind_states_drag_selects_a_span, close_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
