/* test_bind_states.c: plot.states (lua/views_text.lua) in a real nnlab Lua state on
 * SDL's dummy video driver: a drag over the heat map's steps (a press, then the
 * release further right, reaching Lua as a click and a release) selects that span
 * as v:select does, a release past the last step stops at the last, and the
 * threshold keys redo the selection; the window is wide enough for every step's word. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#define VIZT_LUA
#include "bind_viz.h"
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

/* The named x ticks of v's heat map, drawn at its place in v's window as the window
 * draws it: every k-th is written, k returned (1: every step has its word). */
static int word_stride(int projector) {
    int cw = eval_int("select(3, v.window:cell(1))"), ch = eval_int("select(4, v.window:cell(1))");
    lua_getglobal(L, "v");
    lua_getfield(L, -1, "map");
    viz_panel *p = bind_checkplot(L, -1);
    uint32_t *px = malloc((size_t)cw * ch * sizeof *px);
    assert_non_null(px);
    viz_canvas cv;
    viz_theme t;
    viz_layout lay;
    cv_init(&cv, px, cw, ch);
    int wh = eval_int("select(2, v.window:cell(2)) + select(4, v.window:cell(2))");
    theme_make(&t, window_size_scale(cw, wh), projector); /* the window's type */
    panel_draw(&cv, bind_viz_app(L), &t, p, &lay);
    lua_pop(L, 2);
    free(px);
    return lay.f.xk;
}

/* Lesson 18's sentences (the longest one, with a selection's brackets) and lesson 16's
 * words (one character a step): the window is wide enough for every step's word. */
static void test_bind_states_every_step_has_its_word(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    /* the sequence whose words need the widest heat map: its steps times the most that
     * two neighbours' labels need */
    run("function most_crowded(v)\n"
        "  local room, best, most = require('viz.core').tick_label_room, 1, 0\n"
        "  for s = 1, #v.lens do\n"
        "    local need, prev = 0, nil\n"
        "    for t = 1, v.lens[s] do\n"
        "      local r = room(v.name(v.ids[s][t]))\n"
        "      need, prev = math.max(need, prev and (prev + r) / 2 or r), r\n"
        "    end\n"
        "    if need * v.lens[s] > most then best, most = s, need * v.lens[s] end\n"
        "  end\n"
        "  return best\n"
        "end");
    run("ner = text.entities{n = 1000, seed = 1}\n"
        "train, test = ner.data:split(0.3)\n"
        "nn.seed(7)\n"
        "m = nn.sequential{nn.embedding(#ner.words.tokens, 16, {padding = 0}),\n"
        "  nn.lstm(16, 32, {output = 'all', mask = true, bidirectional = true}), nn.linear(64, "
        "7)}\n"
        "v = plot.states(m, test, {words = ner.words, show = false})\n"
        "v:show(most_crowded(v)); v:select(1, 2)");
    assert_true(eval_int("v.lens[v.sample]") >= 9);
    int k = word_stride(0), w18 = eval_int("select(3, v.window:cell(1))");
    if (k != 1) fail_msg("lesson 18: one word in %d written at width %d", k, w18);
    /* in projector mode (large type) too */
    run("plot.defaults{projector = true}\n"
        "v = plot.states(m, test, {words = ner.words, show = false})\n"
        "v:show(most_crowded(v)); v:select(1, 2)\n"
        "plot.defaults{projector = false}");
    k = word_stride(1), w18 = eval_int("select(3, v.window:cell(1))");
    if (k != 1) fail_msg("lesson 18, projector: one word in %d written at width %d", k, w18);
    run("L16 = require 'lessonlib_16'\n"
        "words = L16.words()\n"
        "_, word_test = L16.split(words)\n"
        "nn.seed(1)\n"
        "m = nn.sequential{nn.embedding(words:size(), 16), nn.lstm(16, 64, {output = 'all'}),\n"
        "  nn.linear(64, words:size())}\n"
        "v = plot.states(m, word_test, {words = words, show = false, limit = 100})\n"
        "v:show(most_crowded(v)); v:select(1, 2)");
    /* the characters name the steps, the padding after the word is left out */
    assert_string_equal(eval("v.name(v.ids[1][1])"), "⏎");
    assert_true(eval_int("v.lens[v.sample]") < eval_int("#v.ids[v.sample]"));
    k = word_stride(0);
    if (k != 1) fail_msg("lesson 16: one character in %d written", k);
    repl_closestate(L);
    L = NULL;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_bind_states_drag_selects_a_span, close_state),
        cmocka_unit_test_teardown(test_bind_states_every_step_has_its_word, close_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
