/* test_bind_slider.c: the run-history slider along the bottom of a run's view windows
 * (src/viz/window.c's slider, lua/scrub.lua), driven by SDL mouse events on the dummy
 * video driver as a user would: a click on a position seeks the run to that snapshot,
 * a drag with the button held follows the cursor, moving without the button does
 * nothing, the last position is the latest model, and the playground's window has the
 * slider of its own run. Also the keys of the convolution playground's window (→ and
 * space slide the kernel, ← back, a fills the output in, r starts again). */
#include <lauxlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#define VIZT_LUA
#include "vizt.h"

/* A left-button press or release, or a move (with the button held when held is set). */
static void mouse(uint32_t id, int type, int x, int y, int held) {
    if (type == SDL_MOUSEMOTION)
        vt_motion(id, x, y, held ? SDL_BUTTON_LMASK : 0);
    else
        vt_button(id, (uint32_t)type, SDL_BUTTON_LEFT, x, y);
}

/* Pumps after the frame limit, so that the window has been drawn with its slider. */
static void pump(void) {
    vt_pump(40);
}

/* The pixel of slider position i (1-based) of window w. */
static void slider_xy(int i, int *x, int *y) {
    char code[128];
    snprintf(code, sizeof code, "return w:slider_at(%d)", i);
    run(code);
    *x = (int)lua_tointeger(L, -2), *y = (int)lua_tointeger(L, -1);
    lua_pop(L, 2);
}

static void test_slider_clicks_and_drags_seek_the_run(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    /* 2048 points in batches of 32: 64 steps an epoch, a snapshot every epoch */
    run("tr = data.xor{n = 2048, seed = 1}\n"
        "nn.seed(1)\n"
        "m = nn.sequential{nn.linear(2, 8), nn.tanh(), nn.linear(8, 1)}\n"
        "r = m:fit{tr, loss = nn.bce, epochs = 6, batch = 32, optimizer = optim.adam(m), wait = "
        "true, "
        "verbose = false}\n"
        "v = plot.decision(m, tr, {run = r, title = 'slider test'})\n"
        "w = v.plot:window()");
    assert_string_equal(eval("w:is_open()"), "true");
    assert_string_equal(eval("table.concat(r:snapshots().epochs, ',')"), "0,1,2,3,4,5,6");
    uint32_t id = window_titled("slider test");
    assert_true(id != 0);
    pump();
    /* positions 0..5 and the latest (6): 7, the knob at the latest */
    assert_string_equal(eval("select(1, w:slider())"), "7");
    assert_string_equal(eval("select(2, w:slider())"), "7");
    int x, y;
    slider_xy(3, &x, &y); /* epoch 2 */
    mouse(id, SDL_MOUSEBUTTONDOWN, x, y, 1);
    pump();
    assert_int_equal(eval_int("r:shown_epoch()"), 2);
    assert_string_equal(eval("select(2, w:slider())"), "3");
    /* a drag to the first position, the button held */
    int x1, y1;
    slider_xy(1, &x1, &y1);
    mouse(id, SDL_MOUSEMOTION, (x + x1) / 2, y, 1);
    mouse(id, SDL_MOUSEMOTION, x1, y, 1);
    pump();
    assert_int_equal(eval_int("r:shown_epoch()"), 0);
    assert_string_equal(eval("w:slider() and select(2, w:slider())"), "1");
    mouse(id, SDL_MOUSEBUTTONUP, x1, y, 0);
    /* moving without the button does not seek */
    int x5, y5;
    slider_xy(5, &x5, &y5);
    mouse(id, SDL_MOUSEMOTION, x5, y5, 0);
    pump();
    assert_int_equal(eval_int("r:shown_epoch()"), 0);
    /* the arrow keys move the knob too (the run tells the slider) */
    run("r:step_forward()");
    assert_string_equal(eval("select(2, w:slider())"), "2");
    /* the last position is the model as it is now */
    int x7, y7;
    slider_xy(7, &x7, &y7);
    mouse(id, SDL_MOUSEBUTTONDOWN, x7, y7, 1);
    mouse(id, SDL_MOUSEBUTTONUP, x7, y7, 0);
    pump();
    assert_string_equal(eval("rawget(r, '_seek_epoch')"), "nil");
    assert_int_equal(eval_int("r:shown_epoch()"), 6);
    /* a click above the strip is the panel's, not the slider's */
    mouse(id, SDL_MOUSEBUTTONDOWN, x, y - 60, 1);
    mouse(id, SDL_MOUSEBUTTONUP, x, y - 60, 0);
    pump();
    assert_int_equal(eval_int("r:shown_epoch()"), 6);
}

static void test_slider_of_the_playground_run(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("playground = require 'playground'\n"
        "pg = playground{data = 'xor', hidden = {3}, epochs = 30, seed = 4, lr = 0.1}\n"
        "w = pg.window");
    pump();
    assert_true(eval_int("select(1, w:slider())") >= 2);
    uint32_t id = window_titled("playground");
    assert_true(id != 0);
    int x, y;
    slider_xy(1, &x, &y);
    mouse(id, SDL_MOUSEBUTTONDOWN, x, y, 1);
    mouse(id, SDL_MOUSEBUTTONUP, x, y, 0);
    pump();
    assert_int_equal(eval_int("pg.run:shown_epoch()"), 0);
    assert_string_equal(eval("select(2, w:slider())"), "1");
}

static void test_slider_refuses_bad_positions(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("w = plot.window{plot.lines{show = false}, show = false}\n"
        "ok, err = pcall(w.slider, w, 1, 1)");
    assert_string_equal(eval("err:match('slider: position 0 of 1') ~= nil"), "true");
    run("ok, err = pcall(w.slider, w, 4, 5)");
    assert_string_equal(eval("err:match('pos %(1 to n%)') ~= nil"), "true");
    run("w:slider(4, 2, 'epoch 1'); w:slider(0)");
    assert_string_equal(eval("select(1, w:slider())"), "0");
}

static void test_conv_playground_keys_slide_the_kernel(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("pg = conv{image = 'step', kernel = 'vertical_edge', title = 'conv keys'}");
    uint32_t id = window_titled("conv keys");
    assert_true(id != 0);
    pump();
    vt_key(id, SDLK_RIGHT);
    vt_key(id, SDLK_SPACE);
    pump();
    assert_string_equal(eval("pg.k"), "3");
    assert_string_equal(eval("pg:dot()"),
                        "10·1 + 0·0 + 0·(-1) + 10·1 + 0·0 + 0·(-1) + 10·1 + 0·0 + 0·(-1) = 30");
    vt_key(id, SDLK_LEFT);
    pump();
    assert_string_equal(eval("pg.k"), "2");
    vt_key(id, SDLK_a);
    pump();
    assert_string_equal(eval("pg.all"), "true");
    vt_key(id, SDLK_r);
    pump();
    assert_string_equal(eval("pg.k .. ' ' .. tostring(pg.all)"), "1 false");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_slider_clicks_and_drags_seek_the_run, close_state),
        cmocka_unit_test_teardown(test_slider_of_the_playground_run, close_state),
        cmocka_unit_test_teardown(test_slider_refuses_bad_positions, close_state),
        cmocka_unit_test_teardown(test_conv_playground_keys_slide_the_kernel, close_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
