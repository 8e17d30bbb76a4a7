/* test_bind_present.c: the presenter's keys and windows through the binding and
 * lua/plot.lua, on SDL's dummy driver with events pushed as SDL would send them: ? and
 * h show the keys over the window, PageDown and PageUp step a lesson, a minimised
 * window pauses its job and restoring it plays again, the click that only focuses a
 * window is not a click, and NNLAB_PROJECTOR=1 puts every new window in projector
 * mode. */
#include <lauxlib.h>
#include <string.h>
#include <unistd.h>

#define VIZT_LUA
#include "vizt.h"

static void key(uint32_t id, int sym, int mod) {
    SDL_SetModState((SDL_Keymod)mod);
    vt_key(id, sym);
}

static void window_event(uint32_t id, int what) {
    SDL_Event e = {0};
    e.type = SDL_WINDOWEVENT;
    e.window.windowID = id;
    e.window.event = (uint8_t)what;
    SDL_PushEvent(&e);
}

static void click(uint32_t id, int x, int y) {
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, x, y);
}

/* Dark pixels in the middle fifth of the window as last drawn (the overlay's box),
 * after pumping long enough for a redraw (a window redraws at most every few ms). */
static int middle_ink(void) {
    for (int k = 0; k < 10; k++) {
        SDL_Delay(20);
        repl_hooks_run(L);
    }
    SDL_Window *sw = SDL_GetWindowFromID(only_window());
    SDL_Surface *s = SDL_GetWindowSurface(sw);
    assert_non_null(s);
    int n = 0;
    SDL_LockSurface(s);
    for (int y = s->h * 2 / 5; y < s->h * 3 / 5; y++)
        for (int x = s->w * 2 / 5; x < s->w * 3 / 5; x++) {
            uint32_t p = ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x];
            n += vt_luma(p) < 100;
        }
    SDL_UnlockSurface(s);
    return n;
}

static void test_present_keys_overlay_and_lesson_pages(void **state) {
    (void)state;
    char dir[] = "/tmp/nnlab-present-XXXXXX";
    assert_non_null(mkdtemp(dir));
    L = repl_newstate(false);
    assert_non_null(L);
    char code[1024];
    snprintf(code, sizeof code,
             "local f = io.open('%s/demo.lua', 'w')\n"
             "f:write('lesson{\"demo\", \"Demo\"}\\nsay[[one]]\\npause()\\nsay[[two]]\\npause()\\n"
             "say[[three]]\\npause()\\n')\n"
             "f:close()\n"
             "lesson = require 'lesson'\n"
             "lesson._state_dir = function() return '%s' end\n"
             "lesson._write = function() end\n"
             "lesson.start('%s/demo.lua')\n"
             "p = plot.lines{y = {1, 3, 2}, width = 640, height = 480}",
             dir, dir, dir);
    run(code);
    uint32_t id = only_window();
    assert_true(id != 0);
    repl_hooks_run(L);
    assert_string_equal(eval("lesson._current().page"), "1");
    int before = middle_ink();
    key(id, SDLK_h, KMOD_NONE);
    int shown = middle_ink();
    print_message("ink in the middle: %d before h, %d after\n", before, shown);
    assert_true(shown > before + 200); /* the box of keys is over the plot */
    key(id, SDLK_h, KMOD_NONE);
    assert_int_equal(middle_ink(), before);
    key(id, SDLK_SLASH, KMOD_LSHIFT); /* ? on a US keyboard */
    assert_true(middle_ink() > before + 200);
    key(id, SDLK_ESCAPE, KMOD_NONE);
    SDL_SetModState(KMOD_NONE);
    assert_int_equal(middle_ink(), before);
    /* the presenter's clicker: PageDown twice, PageUp once */
    key(id, SDLK_PAGEDOWN, KMOD_NONE);
    repl_hooks_run(L);
    assert_string_equal(eval("lesson._current().page"), "2");
    key(id, SDLK_PAGEDOWN, KMOD_NONE);
    key(id, SDLK_PAGEUP, KMOD_NONE);
    repl_hooks_run(L);
    assert_string_equal(eval("lesson._current().page"), "2");
    /* the keys are listed for help */
    assert_string_equal(eval("plot._key_list(p:window()):find('PageDown') ~= nil"), "true");
    repl_closestate(L);
    snprintf(code, sizeof code, "rm -rf '%s'", dir);
    assert_int_equal(system(code), 0);
}

/* A race does not play unseen: its window minimised pauses its animation, and it goes
 * on where it was when the window comes back. */
static void test_present_minimised_race_does_not_play(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("repl.interactive = true -- a race plays at the prompt only\n"
        "r = race{surface = 'bowl', steps = 100000, optimizers = {'gd'}, speed = 10}");
    uint32_t id = only_window();
    repl_hooks_run(L);
    assert_string_equal(eval("r.view.job.state"), "running");
    window_event(id, SDL_WINDOWEVENT_MINIMIZED);
    repl_hooks_run(L);
    assert_string_equal(eval("r.view.job.state"), "paused");
    run("shown = r.shown");
    window_event(id, SDL_WINDOWEVENT_RESTORED);
    repl_hooks_run(L);
    assert_string_equal(eval("r.view.job.state"), "running");
    assert_string_equal(eval("r.shown - shown < 50"), "true"); /* no jump for the time away */
    run("r:pause()");
    repl_closestate(L);
}

static void test_present_minimised_window_pauses_its_job(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("job = spawn(function() while true do coroutine.yield() end end)\n"
        "p = plot.lines{y = {1, 2}}\n"
        "w = p:window(); w:bind(job)");
    uint32_t id = only_window();
    repl_hooks_run(L);
    assert_string_equal(eval("w:visible()"), "true");
    window_event(id, SDL_WINDOWEVENT_MINIMIZED);
    repl_hooks_run(L);
    assert_string_equal(eval("job.state"), "paused");
    assert_string_equal(eval("w:visible()"), "false");
    window_event(id, SDL_WINDOWEVENT_RESTORED);
    repl_hooks_run(L);
    assert_string_equal(eval("job.state"), "running");
    /* a job the presenter paused (space) stays paused when the window comes back */
    run("job:pause()");
    window_event(id, SDL_WINDOWEVENT_MINIMIZED);
    repl_hooks_run(L);
    window_event(id, SDL_WINDOWEVENT_RESTORED);
    repl_hooks_run(L);
    assert_string_equal(eval("job.state"), "paused");
    run("job:stop()");
    repl_closestate(L);
}

static void test_present_focus_click_is_not_a_click(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("p = plot.field{f = function(x, y) return x + y end, n = 20, width = 640, height = 560}\n"
        "clicks = 0\n"
        "p:on_click(function() clicks = clicks + 1 end)");
    uint32_t id = only_window();
    repl_hooks_run(L);
    /* the focus and the click that brought it, in one batch (X11 may queue either first) */
    click(id, 320, 280);
    window_event(id, SDL_WINDOWEVENT_FOCUS_GAINED);
    repl_hooks_run(L);
    assert_string_equal(eval("clicks"), "0");
    SDL_Delay(300);
    click(id, 320, 280); /* a click on the focused window */
    repl_hooks_run(L);
    assert_string_equal(eval("clicks"), "1");
    repl_closestate(L);
}

static void test_present_projector_from_the_environment(void **state) {
    (void)state;
    setenv("NNLAB_PROJECTOR", "1", 1);
    L = repl_newstate(false);
    assert_non_null(L);
    run("p = plot.lines{y = {1, 2}}\n"
        "w2 = plot.window{plot.lines{y = {1}, show = false}, title = 'second'}");
    assert_string_equal(eval("p:window():projector()"), "true");
    assert_string_equal(eval("w2:projector()"), "true");
    run("plot.projector(false)\nw3 = plot.window{plot.lines{y = {1}, show = false}}");
    assert_string_equal(eval("w3:projector()"), "false");
    assert_string_equal(eval("p:window():projector()"), "false");
    repl_closestate(L);
    unsetenv("NNLAB_PROJECTOR");
    L = repl_newstate(false);
    run("p = plot.lines{y = {1, 2}}");
    assert_string_equal(eval("p:window():projector()"), "false");
    repl_closestate(L);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_present_keys_overlay_and_lesson_pages),
        cmocka_unit_test(test_present_minimised_window_pauses_its_job),
        cmocka_unit_test(test_present_minimised_race_does_not_play),
        cmocka_unit_test(test_present_focus_click_is_not_a_click),
        cmocka_unit_test(test_present_projector_from_the_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
