/* test_bind_states.c: plot.states (lua/views_text.lua) in a real nnlab Lua state on
 * SDL's dummy video driver: a drag over the heat map's steps (a press, then the
 * release further right, reaching Lua as a click and a release) selects that span
 * as v:select does, a release past the last step stops at the last, and the
 * threshold keys redo the selection. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#define VIZT_LUA
#include "vizt.h"

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
    vt_pump_later();
    /* two places on the heat map (the upper panel) give the pixels' scale in steps */
    int y = wh / 4, xa = ww / 3, xb = ww * 2 / 3;
    vt_motion(id, xa, y, 0);
    vt_pump_later();
    vt_motion(id, xb, y, 0);
    vt_pump_later();
    assert_string_equal(eval("#hovers"), "2");
    double da = eval_number("hovers[1]"), db = eval_number("hovers[2]");
    assert_true(db > da);
    double px_per_step = (xb - xa) / (db - da);
    int x2 = xa + (int)lround((2 - da) * px_per_step),
        x4 = xa + (int)lround((4 - da) * px_per_step);
    assert_string_equal(eval("v.selection"), "nil");
    /* press on step 2, move with the button held, let go on step 4 */
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, x2, y);
    repl_hooks_run(L);
    assert_string_equal(eval("v.selection[1] .. '-' .. v.selection[2]"), "2-2");
    vt_motion(id, x4, y, 0);
    vt_button(id, SDL_MOUSEBUTTONUP, SDL_BUTTON_LEFT, x4, y);
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
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, x2, y);
    vt_button(id, SDL_MOUSEBUTTONUP, SDL_BUTTON_LEFT, ww - 2, y);
    repl_hooks_run(L);
    assert_string_equal(eval("v.selection[1] .. '-' .. v.selection[2] == '2-' .. T"), "true");
    /* + raises the threshold and selects again */
    vt_key(id, '+');
    repl_hooks_run(L);
    assert_true(fabs(eval_number("v.threshold") - 0.05) < 1e-9);
    assert_string_equal(eval("v.selection[2] == T"), "true");
    repl_closestate(L);
    L = NULL;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_bind_states_drag_selects_a_span, close_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
