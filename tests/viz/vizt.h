/* vizt.h: helpers shared by the viz tests: an app per test, pixel access, colour
 * distance. Header-only so that each test stays one executable per source file. */
#ifndef VIZT_H
#define VIZT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vizint.h"

static inline viz_app *vt_app(void) {
    char err[256];
    viz_app *a = viz_app_new(err, sizeof err);
    if (!a) fail_msg("viz_app_new: %s", err);
    return a;
}

/* Largest difference of the three channels. */
static inline int vt_dist(uint32_t a, uint32_t b) {
    int d = abs(viz_r(a) - viz_r(b));
    int g = abs(viz_g(a) - viz_g(b));
    int bl = abs(viz_b(a) - viz_b(b));
    return d > g ? (d > bl ? d : bl) : (g > bl ? g : bl);
}

static inline int vt_luma(uint32_t c) {
    return (299 * viz_r(c) + 587 * viz_g(c) + 114 * viz_b(c)) / 1000;
}

/* Counts pixels in [x0, x1) x [y0, y1) within tol of col. */
static inline int vt_count(const uint32_t *px, int w, int x0, int y0, int x1, int y1, uint32_t col,
                           int tol) {
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) n += vt_dist(px[(size_t)y * w + x], col) <= tol;
    return n;
}

/* Counts pixels darker than luma lim. */
static inline int vt_dark(const uint32_t *px, int w, int x0, int y0, int x1, int y1, int lim) {
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) n += vt_luma(px[(size_t)y * w + x]) < lim;
    return n;
}

/* Renders p at w x h with the layout, scale 1, no projector; caller frees. */
static inline uint32_t *vt_render(viz_app *a, viz_panel *p, int w, int h, viz_layout *lay) {
    uint32_t *px = malloc((size_t)w * h * sizeof *px);
    assert_non_null(px);
    viz_canvas cv;
    viz_theme t;
    cv_init(&cv, px, w, h);
    theme_make(&t, 1, 0);
    panel_draw(&cv, a, &t, p, lay);
    return px;
}

/* As vt_render, in projector mode when projector is set. */
static inline uint32_t *vt_render_mode(viz_app *a, viz_panel *p, int w, int h, int projector,
                                       viz_layout *lay) {
    uint32_t *px = malloc((size_t)w * h * sizeof *px);
    assert_non_null(px);
    viz_canvas cv;
    viz_theme t;
    cv_init(&cv, px, w, h);
    theme_make(&t, 1, projector);
    panel_draw(&cv, a, &t, p, lay);
    return px;
}

/* 1 when the rectangles (x, y, w, h) overlap. */
static inline int vt_overlap(const int *r, int x, int y, int w, int h) {
    return r[0] < x + w && x < r[0] + r[2] && r[1] < y + h && y < r[1] + r[3];
}

/* Writes the render to $NNLAB_VIZ_LOOK/name.png when that folder is given, so that a
 * person can look at what the tests draw. */
static inline void vt_look(const uint32_t *px, int w, int h, const char *name) {
    const char *dir = getenv("NNLAB_VIZ_LOOK");
    if (!dir) return;
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    if (viz_png_write(path, px, w, h, err, sizeof err) != VIZ_OK) fail_msg("%s", err);
}

/* The binding tests (tests that define VIZT_LUA before including this header): a real
 * nnlab Lua state and SDL events sent through the offscreen windows. */
#ifdef VIZT_LUA
#include <lauxlib.h>

#include "repl.h"

static lua_State *L; /* the test's state: L = repl_newstate(false) */

/* Runs Lua code in L, failing the test with Lua's message. */
static inline void run(const char *code) {
    if (luaL_dostring(L, code) != LUA_OK) fail_msg("lua: %s", lua_tostring(L, -1));
}

/* tostring(expr) in L, in a buffer the next call overwrites. */
static inline const char *eval(const char *expr) {
    static char out[256];
    char buf[512];
    snprintf(buf, sizeof buf, "return tostring(%s)", expr);
    run(buf);
    snprintf(out, sizeof out, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return out;
}

static inline int eval_int(const char *expr) {
    return atoi(eval(expr));
}

static inline double eval_number(const char *expr) {
    return strtod(eval(expr), NULL);
}

/* The id of the first open window (0: none). */
static inline uint32_t only_window(void) {
    for (uint32_t id = 1; id < 64; id++)
        if (SDL_GetWindowFromID(id)) return id;
    return 0;
}

/* The id of the window whose title holds title (0: none). */
static inline uint32_t window_titled(const char *title) {
    for (uint32_t k = 1; k < 64; k++) {
        SDL_Window *sw = SDL_GetWindowFromID(k);
        if (sw && strstr(SDL_GetWindowTitle(sw), title)) return k;
    }
    return 0;
}

/* A key pressed in window id (the modifiers are SDL's current ones). */
static inline void vt_key(uint32_t id, int sym) {
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.windowID = id;
    e.key.keysym.sym = sym;
    SDL_PushEvent(&e);
}

/* A mouse button (SDL_BUTTON_LEFT, ...) pressed or released (type) at x, y. */
static inline void vt_button(uint32_t id, uint32_t type, int button, int x, int y) {
    SDL_Event c = {0};
    c.type = type;
    c.button.windowID = id;
    c.button.button = (uint8_t)button;
    c.button.x = x, c.button.y = y;
    SDL_PushEvent(&c);
}

/* The mouse moved to x, y with the buttons (SDL_BUTTON_LMASK, ...) held. */
static inline void vt_motion(uint32_t id, int x, int y, uint32_t held) {
    SDL_Event m = {0};
    m.type = SDL_MOUSEMOTION;
    m.motion.windowID = id;
    m.motion.state = held;
    m.motion.x = x, m.motion.y = y;
    SDL_PushEvent(&m);
}

/* Runs the REPL's hooks after ms, so that the windows can draw a frame (they redraw at
 * most every few ms) or take an event. */
static inline void vt_pump(int ms) {
    SDL_Delay((uint32_t)ms);
    repl_hooks_run(L);
}

/* The teardown of every test: a failed test leaves its state (and its windows)
 * behind; the next test must not find them. */
static inline int close_state(void **state) {
    (void)state;
    if (L) repl_closestate(L);
    L = NULL;
    return 0;
}

/* Runs the hooks after the motion limit has passed (the binding uses the real clock). */
static inline void vt_pump_later(void) {
    vt_pump(VIZ_MOTION_MS + 10);
}
#endif

#endif
