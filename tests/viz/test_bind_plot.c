/* test_bind_plot.c: the plot binding and lua/plot.lua inside a real nnlab Lua state,
 * on SDL's dummy video driver: keys and clicks pushed as SDL events reach Lua through
 * the REPL hook: space pauses and resumes the job bound to the window, clicks call the
 * panel's callback with data coordinates, other keys go to the window's key callback. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

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

static void push_motion(uint32_t id, int x, int y) {
    SDL_Event m = {0};
    m.type = SDL_MOUSEMOTION;
    m.motion.windowID = id;
    m.motion.x = x, m.motion.y = y;
    SDL_PushEvent(&m);
}

static void push_click(uint32_t id, int button, int x, int y) {
    SDL_Event c = {0};
    c.type = SDL_MOUSEBUTTONDOWN;
    c.button.windowID = id;
    c.button.button = (uint8_t)button;
    c.button.x = x, c.button.y = y;
    SDL_PushEvent(&c);
}

/* Runs the hooks after the motion limit has passed (the binding uses the real clock). */
static void pump_later(void) {
    SDL_Delay(VIZ_MOTION_MS + 10);
    repl_hooks_run(L);
}

static void test_bind_plot_hover_and_modifiers_reach_lua(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("p = plot.field{f = function(x, y) return x + y end, n = 20, width = 640, height = 560}\n"
        "hovers, clicks = {}, {}\n"
        "p:on_hover(function(x, y, info) hovers[#hovers + 1] = {x = x, y = y, info = info} end)\n"
        "p:on_click(function(x, y, b, mods) clicks[#clicks + 1] = {b = b, mods = mods} end)");
    uint32_t id = only_window();
    assert_true(id != 0);
    repl_hooks_run(L);
    pump_later();
    /* a sweep of 40 moves in one pass reaches Lua once, at its last place */
    for (int k = 0; k < 40; k++) push_motion(id, 200 + k, 200 + k);
    push_motion(id, 320, 280);
    pump_later();
    assert_string_equal(eval("#hovers"), "1");
    run("local x, y = p:to_data(320, 280, 640, 560)\n"
        "local h = hovers[1]\n"
        "assert(math.abs(h.x - x) < 0.05 and math.abs(h.y - y) < 0.05,\n"
        "  ('hover at %g, %g; pixel maps to %g, %g'):format(h.x, h.y, x, y))\n"
        "assert(h.info.text:find('value', 1, true), 'the tooltip text: ' .. h.info.text)");
    /* a move outside the plot area: no data coordinates */
    push_motion(id, 2, 2);
    pump_later();
    assert_string_equal(eval("#hovers"), "2");
    assert_string_equal(eval("hovers[2].x"), "nil");
    /* clicks carry the modifier keys */
    SDL_SetModState(KMOD_LSHIFT);
    push_click(id, SDL_BUTTON_LEFT, 320, 280);
    repl_hooks_run(L);
    SDL_SetModState(KMOD_LCTRL);
    push_click(id, SDL_BUTTON_RIGHT, 320, 280);
    repl_hooks_run(L);
    SDL_SetModState(KMOD_NONE);
    assert_string_equal(eval("#clicks"), "2");
    assert_string_equal(eval("clicks[1].mods.shift and not clicks[1].mods.ctrl"), "true");
    assert_string_equal(
        eval("clicks[2].b == 3 and clicks[2].mods.ctrl and not clicks[2].mods.shift"), "true");
    /* p:on_hover(nil) stops them; a bad callback is refused */
    run("p:on_hover(nil)");
    push_motion(id, 300, 300);
    pump_later();
    assert_string_equal(eval("#hovers"), "2");
    assert_string_equal(
        eval("select(2, pcall(p.on_hover, p, 3)):match('expected a function') ~= nil"), "true");
    repl_closestate(L);
}

static void test_bind_plot_window_records_frames_from_lua(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    char dir[] = "/tmp/nnlab-bind-rec-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char code[512];
    snprintf(code, sizeof code,
             "p = plot.lines{y = {1, 3, 2}, width = 320, height = 240}\n"
             "w = p:window(); w:record('%s/f')",
             dir);
    run(code);
    repl_hooks_run(L);
    SDL_Delay(40); /* past the 60-a-second limit */
    run("p:push('data', 5)");
    repl_hooks_run(L);
    SDL_Delay(40);
    repl_hooks_run(L); /* nothing changed: no frame */
    run("w:record(nil)");
    run("p:push('data', 1)");
    SDL_Delay(40);
    repl_hooks_run(L); /* drawn, but no longer recorded */
    char path[128];
    for (int k = 1; k <= 3; k++) {
        snprintf(path, sizeof path, "%s/f-%06d.png", dir, k);
        FILE *f = fopen(path, "rb");
        if (k <= 2 && !f) fail_msg("frame %d was not recorded", k);
        if (k == 3 && f) fail_msg("frame 3 was recorded after w:record(nil)");
        if (f) fclose(f);
    }
    /* the second frame is what the window showed after the push: 4 points */
    snprintf(path, sizeof path, "%s/f-%06d.png", dir, 2);
    snprintf(code, sizeof code,
             "q = plot.lines{y = {1, 3, 2, 5}, show = false}\n"
             "q:save('%s/want.png', 320, 240)",
             dir);
    run(code);
    uint32_t *got, *want;
    int gw, gh, ww, wh;
    char err[256], wpath[128];
    snprintf(wpath, sizeof wpath, "%s/want.png", dir);
    assert_int_equal(viz_png_read(path, &got, &gw, &gh, err, sizeof err), VIZ_OK);
    assert_int_equal(viz_png_read(wpath, &want, &ww, &wh, err, sizeof err), VIZ_OK);
    assert_int_equal(gw, ww);
    assert_int_equal(gh, wh);
    assert_memory_equal(got, want, (size_t)gw * gh * 4);
    free(got), free(want);
    for (int k = 1; k <= 2; k++) {
        snprintf(path, sizeof path, "%s/f-%06d.png", dir, k);
        unlink(path);
    }
    unlink(wpath);
    rmdir(dir);
    repl_closestate(L);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bind_plot_space_click_and_keys_reach_lua),
        cmocka_unit_test(test_bind_plot_hover_and_modifiers_reach_lua),
        cmocka_unit_test(test_bind_plot_window_records_frames_from_lua),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
