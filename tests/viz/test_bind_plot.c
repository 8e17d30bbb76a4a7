/* test_bind_plot.c: the plot binding and lua/plot.lua inside a real nnlab Lua state,
 * on SDL's dummy video driver: keys and clicks pushed as SDL events reach Lua through
 * the REPL hook: space pauses and resumes the job bound to the window, clicks call the
 * panel's callback with data coordinates, other keys go to the window's key callback;
 * with no display, windows being off is said once. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#define VIZT_LUA
#include "vizt.h"

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
    vt_key(id, SDLK_SPACE);
    repl_hooks_run(L);
    assert_string_equal(eval("job.state"), "paused");
    vt_key(id, SDLK_SPACE);
    vt_key(id, SDLK_x);
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
    L = NULL;
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
    vt_pump_later();
    /* a sweep of 40 moves in one pass reaches Lua once, at its last place */
    for (int k = 0; k < 40; k++) vt_motion(id, 200 + k, 200 + k, 0);
    vt_motion(id, 320, 280, 0);
    vt_pump_later();
    assert_string_equal(eval("#hovers"), "1");
    run("local x, y = p:to_data(320, 280, 640, 560)\n"
        "local h = hovers[1]\n"
        "assert(math.abs(h.x - x) < 0.05 and math.abs(h.y - y) < 0.05,\n"
        "  ('hover at %g, %g; pixel maps to %g, %g'):format(h.x, h.y, x, y))\n"
        "assert(h.info.text:find('value', 1, true), 'the tooltip text: ' .. h.info.text)");
    /* a move outside the plot area: no data coordinates */
    vt_motion(id, 2, 2, 0);
    vt_pump_later();
    assert_string_equal(eval("#hovers"), "2");
    assert_string_equal(eval("hovers[2].x"), "nil");
    /* clicks carry the modifier keys */
    SDL_SetModState(KMOD_LSHIFT);
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, 320, 280);
    repl_hooks_run(L);
    SDL_SetModState(KMOD_LCTRL);
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_RIGHT, 320, 280);
    repl_hooks_run(L);
    SDL_SetModState(KMOD_NONE);
    assert_string_equal(eval("#clicks"), "2");
    assert_string_equal(eval("clicks[1].mods.shift and not clicks[1].mods.ctrl"), "true");
    assert_string_equal(
        eval("clicks[2].b == 3 and clicks[2].mods.ctrl and not clicks[2].mods.shift"), "true");
    /* keys carry them too */
    run("keys = {}; p:window():on_key(function(k, panel, mods) keys[#keys + 1] = {k = k, mods = "
        "mods} end)");
    SDL_SetModState(KMOD_LCTRL);
    vt_key(id, SDLK_z);
    repl_hooks_run(L);
    SDL_SetModState(KMOD_NONE);
    assert_string_equal(eval("#keys == 1 and keys[1].k == 'z' and keys[1].mods.ctrl"), "true");
    /* p:on_hover(nil) stops them; a bad callback is refused */
    run("p:on_hover(nil)");
    vt_motion(id, 300, 300, 0);
    vt_pump_later();
    assert_string_equal(eval("#hovers"), "2");
    assert_string_equal(
        eval("select(2, pcall(p.on_hover, p, 3)):match('expected a function') ~= nil"), "true");
    repl_closestate(L);
    L = NULL;
}

/* Images have no data axes: a click on one reaches Lua with the pixel (image, row,
 * col) under it, the one its tooltip names; a click beside the images does not. */
static void test_bind_plot_click_on_an_image_gives_its_pixel(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("p = plot.images{images = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, n = 1, h = 3, w = 4,\n"
        "  width = 640, height = 560}\n"
        "hovers, clicks = {}, {}\n"
        "p:on_hover(function(x, y, info) hovers[#hovers + 1] = info end)\n"
        "p:on_click(function(x, y, b, info) clicks[#clicks + 1] = {x = x, b = b, info = info} "
        "end)");
    uint32_t id = only_window();
    assert_true(id != 0);
    repl_hooks_run(L);
    vt_pump_later();
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, 2, 2); /* the corner: no image there */
    repl_hooks_run(L);
    assert_string_equal(eval("#clicks"), "0");
    /* left of the middle and right of it: two columns of the same row */
    int xs[2] = {250, 390};
    for (int k = 0; k < 2; k++) {
        vt_motion(id, xs[k], 290, 0);
        vt_pump_later();
        vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, xs[k], 290);
        repl_hooks_run(L);
    }
    assert_string_equal(eval("#clicks"), "2");
    assert_string_equal(eval("#hovers"), "2");
    run("for k = 1, 2 do\n"
        "  local c, h = clicks[k].info, hovers[k]\n"
        "  assert(c.image == 1 and c.row and c.col and clicks[k].x == nil and clicks[k].b == 1,\n"
        "    ('click %d: image %s row %s col %s'):format(k, c.image, c.row, c.col))\n"
        "  assert(h.row == c.row and h.col == c.col, ('click %d at row %d col %d, hover at %s, "
        "%s')\n"
        "    :format(k, c.row, c.col, h.row, h.col))\n"
        "  assert(h.text:find(('row %d  col %d'):format(c.row, c.col), 1, true), h.text)\n"
        "end\n"
        "assert(clicks[1].info.row == clicks[2].info.row and clicks[1].info.col < "
        "clicks[2].info.col,\n"
        "  ('cols %d then %d'):format(clicks[1].info.col, clicks[2].info.col))");
    repl_closestate(L);
    L = NULL;
}

/* plot.explain chooses the unit clicked on a map: its receptive field and sum. */
static void test_bind_plot_click_chooses_a_unit_in_explain(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("nn.seed(1)\n"
        "m = nn.sequential{nn.conv2d(1, 1, 3), nn.relu(), nn.flatten(), nn.linear(36, 3)}\n"
        "w, view = plot.explain(m, nn.randn(8, 8), {cols = 2})\n"
        "seen = {}\n"
        "view.panel1:on_hover(function(x, y, info) seen[#seen + 1] = info end)");
    uint32_t id = only_window();
    assert_true(id != 0);
    repl_hooks_run(L);
    vt_pump_later();
    int ww, wh;
    SDL_GetWindowSize(SDL_GetWindowFromID(id), &ww, &wh);
    /* layer 1's panel is the top right cell of two columns; its one map fills it */
    int x = ww * 3 / 4, y = wh / 5;
    vt_motion(id, x, y, 0);
    vt_pump_later();
    assert_string_equal(eval("#seen"), "1");
    assert_string_equal(eval("seen[1].row ~= nil"), "true");
    assert_string_equal(eval("view.chosen"), "nil");
    run("view.panel1:on_hover(function(x, y, info) view:hover(1, info.text) end)");
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, x, y);
    repl_hooks_run(L);
    run("local c, s = view.chosen, seen[1]\n"
        "assert(c and c[1] == 1 and c[2] == 1 and c[3] == s.row and c[4] == s.col,\n"
        "  ('chosen %s; the pixel under the cursor row %d col %d'):format(\n"
        "    c and table.concat(c, ',') or 'nothing', s.row, s.col))\n"
        "local V = require 'views_cnn'\n"
        "local f = {V.receptive_field(view.layers, 1, s.row, s.col)}\n"
        "assert(view.field[1] == f[1] and view.field[3] == f[3], 'the receptive field lit')\n"
        "assert(view.unit.text:find(('row %d, col %d'):format(s.row, s.col), 1, true), "
        "view.unit.text)");
    /* a right click chooses nothing new */
    run("view.chosen = nil");
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_RIGHT, x, y);
    repl_hooks_run(L);
    assert_string_equal(eval("view.chosen"), "nil");
    repl_closestate(L);
    L = NULL;
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
    L = NULL;
}

/* The panel inside a plot userdata held by Lua global name (lua/plot.lua's panels are
 * "nnlab.plot" userdata holding a viz_panel pointer first). */
static viz_panel *panel_of(const char *name) {
    lua_getglobal(L, name);
    viz_panel *p = *(viz_panel **)luaL_checkudata(L, -1, "nnlab.plot");
    lua_pop(L, 1);
    return p;
}

static void
test_bind_plot_playground_hover_shows_a_neuron_and_shift_click_adds_the_other_class(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("playground = require 'playground'\n"
        "pg = playground{data = 'xor', hidden = {3}, epochs = 20, seed = 4, lr = 0.1}\n"
        "net_panel = pg.views.network.plot\n"
        "n0 = #pg._rows.y");
    assert_string_equal(eval("pg.window:is_open()"), "true");
    uint32_t id = 0;
    for (uint32_t k = 1; k < 64; k++) {
        SDL_Window *sw = SDL_GetWindowFromID(k);
        if (sw && strcmp(SDL_GetWindowTitle(sw), "playground") == 0) id = k;
    }
    assert_true(id != 0);
    int ww, wh;
    SDL_GetWindowSize(SDL_GetWindowFromID(id), &ww, &wh);
    /* a click maps through the layout last drawn: wait until training has stopped
     * changing the status line and the window has drawn what it shows (no frame for
     * 1.5 s); a busy machine spaces frames out (a window takes at most a fifth of the
     * time) */
    repl_hooks_run(L);
    int last = atoi(eval("pg.window:frames_drawn()")), quiet = 0;
    for (int waited = 0; waited < 30000 && quiet < 1500; waited += 10) {
        SDL_Delay(10);
        repl_hooks_run(L);
        int now = atoi(eval("pg.window:frames_drawn()"));
        if (now != last || strcmp(eval("pg.job and pg.job.state"), "running") == 0)
            quiet = 0, last = now;
        else
            quiet += 10;
    }
    assert_true(quiet >= 1500);
    /* the decision panel is the middle third: click its centre, plain, shifted, right */
    int cx = ww / 2, cy = wh / 2;
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, cx, cy);
    repl_hooks_run(L);
    SDL_SetModState(KMOD_LSHIFT);
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, cx, cy);
    repl_hooks_run(L);
    SDL_SetModState(KMOD_NONE);
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_RIGHT, cx, cy);
    repl_hooks_run(L);
    assert_string_equal(eval("#pg._rows.y - n0"), "3");
    /* labels are 0-based: click_class 1 is label 0, the other class label 1 */
    assert_string_equal(
        eval("pg._rows.y[n0 + 1][1] .. pg._rows.y[n0 + 2][1] .. pg._rows.y[n0 + 3][1]"), "011");
    char code[512];
    /* the panel's cell: the middle third, under the status line of the run's figures */
    snprintf(code, sizeof code,
             "local x0, y0, w, h = pg.window:cell(2)\n"
             "local x, y = pg.views.decision.plot:to_data(%d - x0, %d - y0, w, h)\n"
             "local r = pg._rows.x[n0 + 2]\n"
             "assert(math.abs(r[1] - x) < 0.1 and math.abs(r[2] - y) < 0.1,\n"
             "  ('point at %%g, %%g; the click maps to %%g, %%g'):format(r[1], r[2], x, y))",
             cx, cy);
    run(code);
    /* hover: find neuron 2 of the hidden layer in the network panel (the left third)
     * by the viz's own hit test on an offscreen render of the same size */
    viz_app *a = vt_app();
    viz_panel *np = panel_of("net_panel");
    viz_layout lay;
    int pw = atoi(eval("select(3, pg.window:cell(1))")),
        ph = atoi(eval("select(4, pg.window:cell(1))"));
    int top = atoi(eval("select(2, pg.window:cell(1))"));
    uint32_t *px = vt_render(a, np, pw, ph, &lay);
    int hx = -1, hy = -1, gx = -1, gy = -1; /* neurons 2 and 3 of layer 1 */
    for (int y = 0; y < ph; y++)
        for (int x = 0; x < pw; x++) {
            int l, i;
            if (!network_node_at(np, &lay, x, y, &l, &i) || l != 1) continue;
            if (i == 1 && hx < 0) hx = x + 6, hy = top + y + 6;
            if (i == 2 && gx < 0) gx = x + 6, gy = top + y + 6;
        }
    free(px);
    viz_app_free(a);
    assert_true(hx >= 0 && gx >= 0);
    vt_pump_later();
    vt_motion(id, hx, hy, 0);
    vt_pump_later();
    assert_string_equal(eval("pg.views.network.zoom and pg.views.network.zoom.layer"), "1");
    assert_string_equal(eval("pg.views.network.zoom.index"), "2");
    /* the enlarged plot shows that neuron: red where its tanh output is positive, blue
     * where negative (the diverging map of signed fields) */
    run("local png, train, nncore = require 'views.core', require 'nn.train', require 'nn.core'\n"
        "local z = pg.views.network.zoom.plot\n"
        "local path = (os.getenv('TMPDIR') or '/tmp') .. '/nnlab-test-bind-neuron.png'\n"
        "assert(z:save(path, 640, 560))\n"
        "local img = assert(png.read_png(path))\n"
        "os.remove(path)\n"
        "local kids = pg.model:children()\n"
        "local function out(x, y)\n"
        "  local h = train.predict(kids[2], train.predict(kids[1], nncore.tensor{{x, y}}))\n"
        "  return h:totable()[1][2]\n"
        "end\n"
        "local x1, y1 = z:to_data(256, 224, 640, 560)\n"
        "local x2, y2 = z:to_data(384, 336, 640, 560)\n"
        "local checked = 0\n"
        "for _, q in ipairs{{-0.8, -0.8}, {0.8, 0.8}, {-0.8, 0.8}, {0.8, -0.8}} do\n"
        "  local b = pg.box\n"
        "  local x, y = q[1] * b.xmax, q[2] * b.ymax\n"
        "  local v = out(x, y)\n"
        "  if math.abs(v) > 0.3 then\n"
        "    local px = math.floor(256 + (x - x1) / (x2 - x1) * 128 + 0.5)\n"
        "    local py = math.floor(224 + (y - y1) / (y2 - y1) * 112 + 0.5)\n"
        "    local r, g, bl = img:pixel(px, py)\n"
        "    assert((v > 0) == (r > bl), ('neuron output %g at (%g, %g) drawn as (%d, %d, "
        "%d)'):format(v, x, y, r, g, bl))\n"
        "    checked = checked + 1\n"
        "  end\n"
        "end\n"
        "assert(checked >= 2, 'the neuron is nearly flat: nothing to compare')");
    /* moving to another neuron shows it in the same plot */
    run("zoom_plot, zoom_version = pg.views.network.zoom.plot, "
        "pg.views.network.zoom.plot:version()");
    vt_motion(id, gx, gy, 0);
    vt_pump_later();
    assert_string_equal(eval("pg.views.network.zoom.index"), "3");
    assert_string_equal(eval("pg.views.network.zoom.plot == zoom_plot"), "true");
    assert_string_equal(eval("zoom_plot:version() > zoom_version"), "true");
    repl_closestate(L);
    L = NULL;
}

/* With no display, the first plot that would open a window says once that windows are
 * off (and how to save instead); later ones say nothing; plots still save. */
static void test_bind_plot_says_once_that_windows_are_off(void **state) {
    (void)state;
    char keep[64] = "";
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv) snprintf(keep, sizeof keep, "%s", drv);
    unsetenv("SDL_VIDEODRIVER"), unsetenv("DISPLAY"), unsetenv("WAYLAND_DISPLAY");
    L = repl_newstate(false);
    assert_non_null(L);
    run("said = {}\n"
        "local real = io.stderr\n"
        "io.stderr = setmetatable({write = function(self, ...)\n"
        "  for _, s in ipairs{...} do said[#said + 1] = s end\n"
        "  return self\n"
        "end}, {__index = real})\n"
        "a = plot.lines{y = {1, 2}}\n"
        "b = plot.field{f = function(x, y) return x * y end, n = 5}\n"
        "w = plot.window{a, b}\n"
        "c = plot.text('x')\n"
        "io.stderr = real");
    assert_string_equal(eval("#said"), "1");
    const char *msg = eval("said[1]");
    if (!strstr(msg, "windows are off") || !strstr(msg, "no display") || !strstr(msg, "p:save"))
        fail_msg("message: %s", msg);
    assert_string_equal(eval("w:is_open() or a:window():is_open()"), "false");
    char path[] = "/tmp/nnlab-bind-off-XXXXXX.png", code[128];
    close(mkstemps(path, 4));
    snprintf(code, sizeof code, "a:save('%s', 320, 240)", path);
    run(code);
    uint32_t *back;
    int bw, bh;
    char err[256];
    assert_int_equal(viz_png_read(path, &back, &bw, &bh, err, sizeof err), VIZ_OK);
    assert_int_equal(bw, 320);
    free(back);
    unlink(path);
    repl_closestate(L);
    L = NULL;
    if (*keep) setenv("SDL_VIDEODRIVER", keep, 1);
}

/* The 's' key in a window says where the PNG went, or why it could not be written (the
 * current folder was removed), never "saved" for a file that is not there. */
static void test_bind_plot_s_key_says_saved_or_why_not(void **state) {
    (void)state;
    char dir[] = "/tmp/nnlab-bind-s-XXXXXX", old[1024];
    assert_non_null(mkdtemp(dir));
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(dir), 0);
    L = repl_newstate(false);
    assert_non_null(L);
    run("said = {}\n"
        "print = function(...) said[#said + 1] = table.concat({...}, ' ') end\n"
        "p = plot.lines{y = {1, 2}, width = 320, height = 240, title = 'k'}");
    uint32_t id = only_window();
    assert_true(id != 0);
    repl_hooks_run(L);
    vt_key(id, SDLK_s);
    repl_hooks_run(L);
    assert_string_equal(eval("said[1]"), "saved nnlab-k-1.png");
    unlink("nnlab-k-1.png");
    assert_int_equal(rmdir(dir), 0); /* the folder is gone: the next save fails */
    vt_key(id, SDLK_s);
    repl_hooks_run(L);
    const char *msg = eval("said[2]");
    if (strncmp(msg, "plot: not saved: ", 17) != 0 || !strstr(msg, "nnlab-k-2.png"))
        fail_msg("said: %s", msg);
    repl_closestate(L);
    L = NULL;
    assert_int_equal(chdir(old), 0);
}

/* The 2-D GAN view (lua/views_gen.lua): a press on D's plane adds a blob of real
 * points and starts a stroke; moves with the left button held add points along the
 * stroke, which the GAN then trains on; a move with no button held ends the stroke
 * (the next drag starts afresh, not joined to it); c clears them. */
static void test_bind_plot_gan_view_drag_draws_real_points_along_the_stroke(void **state) {
    (void)state;
    L = repl_newstate(false);
    assert_non_null(L);
    run("nn.seed(1)\n"
        "g = gan.new{'ring', n = 64, hidden = {8}, batch = 16}\n"
        "view = gan.view(g, {res = 10, samples = 16, box = {xmin = -3, xmax = 3, ymin = -3, "
        "ymax = 3}})");
    uint32_t id = 0;
    for (uint32_t k = 1; k < 64; k++) {
        SDL_Window *sw = SDL_GetWindowFromID(k);
        if (sw && strcmp(SDL_GetWindowTitle(sw), "GAN") == 0) id = k;
    }
    assert_true(id != 0);
    /* clicks map through the layout last drawn: let the window draw */
    for (int waited = 0; waited < 10000 && atoi(eval("view.window:frames_drawn()")) < 1;
         waited += 10) {
        SDL_Delay(10);
        repl_hooks_run(L);
    }
    assert_true(atoi(eval("view.window:frames_drawn()")) >= 1);
    int x0 = atoi(eval("select(1, view.window:cell(1))"));
    int y0 = atoi(eval("select(2, view.window:cell(1))"));
    int cw = atoi(eval("select(3, view.window:cell(1))"));
    int ch = atoi(eval("select(4, view.window:cell(1))"));
    /* the stroke: a press at a, a drag through b to c */
    int ax = x0 + cw * 3 / 10, ay = y0 + ch / 2, bx = x0 + cw / 2, by = y0 + ch / 2,
        cx = x0 + cw * 6 / 10, cy = y0 + ch * 3 / 10;
    char code[1024];
    snprintf(code, sizeof code,
             "stroke = {}\n"
             "for i, p in ipairs{{%d, %d}, {%d, %d}, {%d, %d}} do\n"
             "  stroke[i] = {view.field:to_data(p[1] - %d, p[2] - %d, %d, %d)}\n"
             "end",
             ax, ay, bx, by, cx, cy, x0, y0, cw, ch);
    run(code);
    vt_pump_later();
    vt_button(id, SDL_MOUSEBUTTONDOWN, SDL_BUTTON_LEFT, ax, ay);
    repl_hooks_run(L);
    assert_string_equal(eval("#view.real_shown"), "16"); /* the blob of a press */
    vt_motion(id, bx, by, SDL_BUTTON_LMASK);
    vt_pump_later();
    vt_motion(id, cx, cy, SDL_BUTTON_LMASK);
    vt_pump_later();
    /* a spot of 4 points every 1/60 of the box's width (6 / 60 = 0.1) along the
     * stroke, each within a few jitters (0.05) of it, from a to c */
    run("local a, b, c = stroke[1], stroke[2], stroke[3]\n"
        "local function dist(p, u, v)\n"
        "  local dx, dy = v[1] - u[1], v[2] - u[2]\n"
        "  local t = math.max(0, math.min(1, ((p[1] - u[1]) * dx + (p[2] - u[2]) * dy) / (dx * "
        "dx + dy * dy)))\n"
        "  return math.sqrt((p[1] - u[1] - t * dx) ^ 2 + (p[2] - u[2] - t * dy) ^ 2)\n"
        "end\n"
        "local len = dist(a, b, b) + dist(b, c, c)\n"
        "local n = #view.real_shown - 16\n"
        "local want = 4 * math.floor(len / 0.1)\n"
        "assert(math.abs(n - want) <= 4, ('%d points along a stroke %.2f long, want %d'):format(n, "
        "len, want))\n"
        "assert(g.real.shape[1] == #view.real_shown and g.centres == nil, 'the GAN trains on the "
        "drawn points')\n"
        "local nearest_c = math.huge\n"
        "for i = 17, #view.real_shown do\n"
        "  local p = view.real_shown[i]\n"
        "  local d = math.min(dist(p, a, b), dist(p, b, c))\n"
        "  assert(d < 0.25, ('point %d at %.2f, %.2f is %.2f off the stroke'):format(i, p[1], "
        "p[2], d))\n"
        "  nearest_c = math.min(nearest_c, dist(p, c, c))\n"
        "end\n"
        "assert(nearest_c < 0.3, ('the stroke ends %.2f short of where the drag did'):format("
        "nearest_c))\n"
        "drawn = #view.real_shown\n"
        "local d0 = g.steps.d\n"
        "view:run(2)\n"
        "assert(g.steps.d == d0 + 2)");
    /* a move with no button ends the stroke: the next drag starts a new one there */
    vt_motion(id, bx, cy, 0);
    vt_pump_later();
    vt_motion(id, ax, cy, SDL_BUTTON_LMASK);
    vt_pump_later();
    assert_string_equal(eval("#view.real_shown == drawn"), "true");
    vt_key(id, SDLK_c);
    repl_hooks_run(L);
    assert_string_equal(eval("#view.real_shown"), "0");
    repl_closestate(L);
    L = NULL;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_bind_plot_space_click_and_keys_reach_lua, close_state),
        cmocka_unit_test_teardown(test_bind_plot_hover_and_modifiers_reach_lua, close_state),
        cmocka_unit_test_teardown(test_bind_plot_click_on_an_image_gives_its_pixel, close_state),
        cmocka_unit_test_teardown(test_bind_plot_click_chooses_a_unit_in_explain, close_state),
        cmocka_unit_test_teardown(test_bind_plot_window_records_frames_from_lua, close_state),
        cmocka_unit_test_teardown(
            test_bind_plot_playground_hover_shows_a_neuron_and_shift_click_adds_the_other_class,
            close_state),
        cmocka_unit_test_teardown(test_bind_plot_says_once_that_windows_are_off, close_state),
        cmocka_unit_test_teardown(test_bind_plot_s_key_says_saved_or_why_not, close_state),
        cmocka_unit_test_teardown(test_bind_plot_gan_view_drag_draws_real_points_along_the_stroke,
                                  close_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
