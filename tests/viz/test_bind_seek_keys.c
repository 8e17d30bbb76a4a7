/* test_bind_seek_keys.c: the keys that move a run's views through its history, pressed
 * as SDL key events in the windows on the dummy video driver, as a user would: the
 * left and right arrows step one kept epoch back and forward, Home shows epoch 0 and
 * End the latest, in the playground's window (its own run, lua/pg_history.lua) and in
 * the windows of the views of a run of m:fit (plot.features and plot.confusion, which
 * follow each other's seeks). */
#include <lauxlib.h>
#include <string.h>

#define VIZT_LUA
#include "vizt.h"

/* Presses key sym in window id and lets the REPL's hook deliver it. */
static void press(uint32_t id, int sym) {
    vt_key(id, sym);
    vt_pump(20);
}

static void test_playground_window_arrows_home_and_end_seek(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("playground = require 'playground'\n"
        "pg = playground{data = 'xor', hidden = {3}, epochs = 100000, seed = 4, lr = 0.03, "
        "wait = false}");
    /* the run trains in slices of the REPL's job loop: a snapshot after each */
    for (int i = 0; i < 400 && eval_int("#pg.run:snapshots().epochs") < 4; i++) {
        run("repl._jobs_step(0.01)");
        repl_hooks_run(L);
    }
    assert_true(eval_int("#pg.run:snapshots().epochs") >= 4);
    uint32_t id = window_titled("playground");
    assert_true(id != 0);
    press(id, SDLK_HOME);
    assert_int_equal(eval_int("pg.run:shown_epoch()"), 0);
    assert_string_equal(eval("pg.job.state"), "paused"); /* an old epoch shown: no training */
    int second = eval_int("pg.run:snapshots().epochs[2]"),
        third = eval_int("pg.run:snapshots().epochs[3]");
    press(id, SDLK_RIGHT);
    assert_int_equal(eval_int("pg.run:shown_epoch()"), second);
    press(id, SDLK_RIGHT);
    assert_int_equal(eval_int("pg.run:shown_epoch()"), third);
    assert_string_equal(eval("select(2, pg.window:slider())"), "3"); /* the knob follows */
    press(id, SDLK_LEFT);
    assert_int_equal(eval_int("pg.run:shown_epoch()"), second);
    press(id, SDLK_END);
    assert_string_equal(eval("rawget(pg, '_seek_epoch')"), "nil");
    assert_int_equal(eval_int("pg.run:shown_epoch()"), eval_int("pg.run:status().epoch"));
    /* other keys keep their meaning: t hides the test points */
    press(id, SDLK_t);
    assert_string_equal(eval("pg._s.show_test"), "false");
}

static void test_fit_views_windows_arrows_home_and_end_seek(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    /* 75 steps an epoch: a snapshot after each */
    run("nn.seed(5)\n"
        "d = data.spiral{n = 150, classes = 3}\n"
        "m = nn.sequential{nn.linear(2, 12), nn.tanh(), nn.linear(12, 3)}\n"
        "r = m:fit{d, epochs = 4, batch = 2, wait = true, verbose = false}\n"
        "_, fv = plot.features(m, d, {run = r, layer = 2, title = 'features keys'})\n"
        "_, _, cv = plot.confusion(r, {title = 'confusion keys'})\n"
        "latest_x = fv.x[1]");
    assert_string_equal(eval("table.concat(r:snapshots().epochs, ',')"), "0,1,2,3,4");
    uint32_t fid = window_titled("features keys"), cid = window_titled("confusion keys");
    assert_true(fid != 0 && cid != 0 && fid != cid);
    press(fid, SDLK_HOME);
    assert_int_equal(eval_int("r:shown_epoch()"), 0);
    assert_int_equal(eval_int("fv.epoch"), 0);
    assert_string_equal(eval("fv.x[1] ~= latest_x"), "true");
    press(fid, SDLK_RIGHT);
    assert_int_equal(eval_int("fv.epoch"), 1);
    /* keys in the confusion matrix's window move the same run: the map follows */
    press(cid, SDLK_RIGHT);
    assert_int_equal(eval_int("fv.epoch"), 2);
    press(cid, SDLK_END);
    assert_string_equal(eval("rawget(r, '_seek_epoch')"), "nil");
    assert_int_equal(eval_int("fv.epoch"), 4);
    assert_string_equal(eval("fv.x[1] == latest_x"), "true");
    press(fid, SDLK_LEFT);
    assert_int_equal(eval_int("r:shown_epoch()"), 3);
    assert_int_equal(eval_int("fv.epoch"), 3);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_playground_window_arrows_home_and_end_seek, close_state),
        cmocka_unit_test_teardown(test_fit_views_windows_arrows_home_and_end_seek, close_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
