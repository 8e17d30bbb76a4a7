/* bind_window.c: the "viz.win" module: windows ("nnlab.window") of src/viz for Lua,
 * each a grid of panels (bind_plot.c's), and the REPL hook that pumps SDL events,
 * redraws windows and hands keys, clicks, moves and closes to a Lua handler. Keys,
 * callbacks and job binding are lua/plot.lua's.
 *
 * A window's userdata keeps its panels' userdata (its user value) so that events name
 * them; the windows on screen are kept alive in the registry until closed. */
#include <limits.h>
#include <lauxlib.h>
#include <math.h>
#include <time.h>

#include "bind.h"
#include "bind_viz.h"
#include "repl.h"
#include "viz.h"

#define WINDOW_MT "nnlab.window"
#define WINS_KEY  "nnlab.viz.windows" /* viz_window* -> userdata, weak values */
#define OPEN_KEY  "nnlab.viz.open"    /* shown windows, kept alive until closed */
#define HAND_KEY  "nnlab.viz.handler" /* Lua function receiving events */

typedef struct {
    viz_window *w;
} window_ud;

/* ---- windows ------------------------------------------------------------------------- */

static viz_window *checkwindow(lua_State *L, int arg) {
    window_ud *u = luaL_checkudata(L, arg, WINDOW_MT);
    if (!u->w) luaL_argerror(L, arg, "window was freed");
    return u->w;
}

static int window_new(lua_State *L) {
    const char *title = luaL_optstring(L, 1, "nnlab");
    int w = (int)bind_optint(L, 2, "width", 800, 1, INT_MAX);
    int h = (int)bind_optint(L, 3, "height", 560, 1, INT_MAX);
    viz_app *a = bind_viz_app(L);
    window_ud *u = lua_newuserdatauv(L, sizeof *u, 1);
    u->w = NULL;
    luaL_setmetatable(L, WINDOW_MT);
    lua_newtable(L); /* its panels' userdata, for events */
    lua_setiuservalue(L, -2, 1);
    if (!(u->w = viz_window_new(a, title, w, h))) return luaL_error(L, "%s", viz_app_error(a));
    lua_getfield(L, LUA_REGISTRYINDEX, WINS_KEY);
    lua_pushlightuserdata(L, u->w);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    return 1;
}

static void set_open(lua_State *L, viz_window *w, int idx, int open) {
    idx = lua_absindex(L, idx);
    lua_getfield(L, LUA_REGISTRYINDEX, OPEN_KEY);
    lua_pushlightuserdata(L, w);
    if (open)
        lua_pushvalue(L, idx);
    else
        lua_pushnil(L);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

static int window_release(lua_State *L) {
    window_ud *u = luaL_checkudata(L, 1, WINDOW_MT);
    if (!u->w) return 0;
    set_open(L, u->w, 1, 0);
    viz_window_free(u->w);
    u->w = NULL;
    return 0;
}

static int window_tostring(lua_State *L) {
    window_ud *u = luaL_checkudata(L, 1, WINDOW_MT);
    if (!u->w)
        lua_pushstring(L, "window (freed)");
    else
        lua_pushfstring(L, "window (%d panels, %s)", viz_window_npanels(u->w),
                        viz_window_is_open(u->w) ? "open" : "not shown");
    return 1;
}

static int w_window_add(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    viz_panel *p = bind_checkplot(L, 2);
    if (viz_window_add(w, p) != VIZ_OK) return luaL_error(L, "%s", viz_window_error(w));
    lua_getiuservalue(L, 1, 1);
    lua_pushvalue(L, 2);
    lua_rawseti(L, -2, viz_window_npanels(w));
    lua_settop(L, 1);
    return 1;
}

static int w_window_panels(lua_State *L) {
    checkwindow(L, 1);
    lua_getiuservalue(L, 1, 1);
    return 1;
}

static int w_window_cols(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    if (viz_window_set_cols(w, (int)bind_checkint(L, 2, "cols (0 for automatic)", 0, INT_MAX)) !=
        VIZ_OK)
        return luaL_error(L, "%s", viz_window_error(w));
    lua_settop(L, 1);
    return 1;
}

/* w:show() -> true, or false and the reason (no display). */
static int w_window_show(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    if (viz_window_show(w) != VIZ_OK) {
        lua_pushboolean(L, 0);
        lua_pushstring(L, viz_window_error(w));
        return 2;
    }
    set_open(L, w, 1, 1);
    lua_pushboolean(L, 1);
    return 1;
}

static int w_window_close(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    viz_window_close(w);
    set_open(L, w, 1, 0);
    return 0;
}

static int w_window_is_open(lua_State *L) {
    lua_pushboolean(L, viz_window_is_open(checkwindow(L, 1)));
    return 1;
}

static int w_window_projector(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    if (!lua_isnoneornil(L, 2)) viz_window_set_projector(w, lua_toboolean(L, 2));
    lua_pushboolean(L, viz_window_projector(w));
    return 1;
}

/* w:caption(text | nil), w:status(text | nil), w:overlay(text | nil): the strips under
 * and above the panels, and the box over them. Return w. */
static int w_window_text(lua_State *L, int (*set)(viz_window *, const char *)) {
    viz_window *w = checkwindow(L, 1);
    const char *text = lua_isnoneornil(L, 2) ? NULL : luaL_checkstring(L, 2);
    if (set(w, text) != VIZ_OK) return luaL_error(L, "%s", viz_window_error(w));
    lua_settop(L, 1);
    return 1;
}
static int w_window_caption(lua_State *L) {
    return w_window_text(L, viz_window_set_caption);
}
static int w_window_status(lua_State *L) {
    return w_window_text(L, viz_window_set_status);
}
static int w_window_overlay(lua_State *L) {
    return w_window_text(L, viz_window_set_overlay);
}

/* w:slider(n, pos, text) puts the scrubbing slider along the bottom (pos 1-based),
 * w:slider(0) removes it; w:slider() -> n, pos of the slider there (0 when none). */
static int w_window_slider(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    if (lua_isnoneornil(L, 2)) {
        int pos, n = viz_window_slider(w, &pos);
        lua_pushinteger(L, n);
        lua_pushinteger(L, n ? pos + 1 : 0);
        return 2;
    }
    int n = (int)bind_checkint(L, 2, "n (positions)", 0, 100000);
    int pos = n ? (int)bind_checkint(L, 3, "pos (1 to n)", 1, n) : 1;
    if (viz_window_set_slider(w, n, pos - 1, luaL_optstring(L, 4, NULL)) != VIZ_OK)
        return luaL_error(L, "%s", viz_window_error(w));
    lua_settop(L, 1);
    return 1;
}

/* w:slider_at(i) -> x, y: the centre of the slider's position i (1-based) in the
 * window's pixels, as last laid out (for tests that click it). */
static int w_window_slider_at(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    int pos, n = viz_window_slider(w, &pos);
    int i = (int)bind_checkint(L, 2, "i (a position)", 1, n > 0 ? n : 1);
    int x, y, sw, sh, px;
    if (viz_window_slider_at(w, i - 1, &x, &y, &sw, &sh, &px) != VIZ_OK)
        return luaL_error(L, "w:slider_at: the window has no slider");
    lua_pushinteger(L, px);
    lua_pushinteger(L, y + sh / 2);
    return 2;
}

/* placement(w, fullscreen, display): display 1-based, nil for the default one. */
static int win_placement(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    int display = (int)bind_optint(L, 3, "display (1 for the first screen)", 0, 1, INT_MAX);
    if (display < 0)
        return luaL_error(L, "window: display %d (1 for the first screen, 2 for the second)",
                          display);
    if (viz_window_set_placement(w, lua_toboolean(L, 2), display - 1) != VIZ_OK)
        return luaL_error(L, "%s", viz_window_error(w));
    lua_settop(L, 1);
    return 1;
}

/* w:cell(i) -> x, y, w, h: where panel i (1-based) lies in the window's pixels. */
static int w_window_cell(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    int i = (int)bind_checkint(L, 2, "w:cell: the panel", 1, INT_MAX), x, y, cw, ch;
    if (viz_window_cell(w, i - 1, &x, &y, &cw, &ch) != VIZ_OK)
        return luaL_error(L, "w:cell: no panel %d (the window has %d)", i, viz_window_npanels(w));
    lua_pushinteger(L, x);
    lua_pushinteger(L, y);
    lua_pushinteger(L, cw);
    lua_pushinteger(L, ch);
    return 4;
}

static int w_window_visible(lua_State *L) {
    lua_pushboolean(L, viz_window_visible(checkwindow(L, 1)));
    return 1;
}

static int w_window_save(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    if (viz_window_save_png(w, luaL_checkstring(L, 2)) != VIZ_OK)
        return luaL_error(L, "%s", viz_window_error(w));
    lua_settop(L, 1);
    return 1;
}

static int w_window_record(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    if (viz_window_record(w, luaL_optstring(L, 2, NULL)) != VIZ_OK)
        return luaL_error(L, "%s", viz_window_error(w));
    lua_settop(L, 1);
    return 1;
}

/* record_gif(w, path | nil, fps): lua/plot.lua's w:record{gif =} calls it. */
static int win_record_gif(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    const char *path = luaL_optstring(L, 2, NULL);
    int fps = (int)bind_optint(L, 3, "fps", 20, 1, INT_MAX);
    if (viz_window_record_gif(w, path, fps) != VIZ_OK)
        return luaL_error(L, "%s", viz_window_error(w));
    lua_settop(L, 1);
    return 1;
}

/* w:frame() -> frames: renders now into the recordings; the GIF's frame count. */
static int w_window_frame(lua_State *L) {
    viz_window *w = checkwindow(L, 1);
    if (viz_window_record_frame(w) != VIZ_OK) return luaL_error(L, "%s", viz_window_error(w));
    lua_pushinteger(L, viz_window_gif_frames(w));
    return 1;
}

/* w:frames_drawn() -> n: frames drawn since the window opened (a click maps through the
 * layout of the last one; tests wait for a frame before they click). */
static int w_window_frames_drawn(lua_State *L) {
    lua_pushinteger(L, viz_window_frames_drawn(checkwindow(L, 1)));
    return 1;
}

/* ---- events and the hook --------------------------------------------------------------- */

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void push_key(lua_State *L, int key) {
    if (key == ' ')
        lua_pushstring(L, "space");
    else if (key > ' ' && key < 127)
        lua_pushfstring(L, "%c", key);
    else
        lua_pushfstring(L, "key%d", key);
}

static void set_bool(lua_State *L, const char *k, int v) {
    lua_pushboolean(L, v);
    lua_setfield(L, -2, k);
}

/* x, y of a click or motion; nil where the cursor was off the data axes (NAN). */
static void set_coords(lua_State *L, const viz_event *ev) {
    if (isnan(ev->x) || isnan(ev->y)) return;
    lua_pushnumber(L, ev->x);
    lua_setfield(L, -2, "x");
    lua_pushnumber(L, ev->y);
    lua_setfield(L, -2, "y");
}

/* image, row, col of a click or motion on an images panel's pixel (1-based). */
static void set_pixel(lua_State *L, const viz_event *ev) {
    if (ev->row <= 0) return;
    lua_pushinteger(L, ev->image);
    lua_setfield(L, -2, "image");
    lua_pushinteger(L, ev->row);
    lua_setfield(L, -2, "row");
    lua_pushinteger(L, ev->col);
    lua_setfield(L, -2, "col");
}

/* Pushes the event as a table {type, window, panel, key, button, x, y, shift, ctrl,
 * alt, text, layer, node, image, row, col, path}; layer 0 is a network's inputs, node is 1-based.
 */
static void push_event(lua_State *L, const viz_event *ev) {
    static const char *const types[] = {"key",    "click", "close", "saved",  "motion",
                                        "hidden", "shown", "slide", "release"};
    lua_createtable(L, 0, 12);
    lua_pushstring(L, types[ev->type]);
    lua_setfield(L, -2, "type");
    lua_getfield(L, LUA_REGISTRYINDEX, WINS_KEY);
    lua_pushlightuserdata(L, ev->win);
    lua_rawget(L, -2);
    lua_remove(L, -2);
    if (ev->panel >= 0 && lua_type(L, -1) == LUA_TUSERDATA) {
        lua_getiuservalue(L, -1, 1);
        lua_rawgeti(L, -1, ev->panel + 1);
        lua_setfield(L, -4, "panel");
        lua_pop(L, 1);
    }
    lua_setfield(L, -2, "window");
    if (ev->type == VIZ_EV_KEY || ev->type == VIZ_EV_CLICK || ev->type == VIZ_EV_MOTION ||
        ev->type == VIZ_EV_RELEASE) {
        set_bool(L, "shift", ev->mods & VIZ_MOD_SHIFT);
        set_bool(L, "ctrl", ev->mods & VIZ_MOD_CTRL);
        set_bool(L, "alt", ev->mods & VIZ_MOD_ALT);
    }
    if (ev->type == VIZ_EV_KEY) {
        push_key(L, ev->key);
        lua_setfield(L, -2, "key");
    } else if (ev->type == VIZ_EV_CLICK || ev->type == VIZ_EV_RELEASE) {
        lua_pushinteger(L, ev->button);
        lua_setfield(L, -2, "button");
        set_coords(L, ev);
        set_pixel(L, ev);
    } else if (ev->type == VIZ_EV_MOTION) {
        if (ev->button) { /* held down: a drag */
            lua_pushinteger(L, ev->button);
            lua_setfield(L, -2, "button");
        }
        set_coords(L, ev);
        set_pixel(L, ev);
        lua_pushstring(L, ev->text);
        lua_setfield(L, -2, "text");
        if (ev->layer >= 0) {
            lua_pushinteger(L, ev->layer);
            lua_setfield(L, -2, "layer");
            lua_pushinteger(L, ev->node + 1);
            lua_setfield(L, -2, "node");
        }
    } else if (ev->type == VIZ_EV_SAVED) {
        lua_pushstring(L, ev->path);
        lua_setfield(L, -2, "path");
    } else if (ev->type == VIZ_EV_SLIDE) {
        lua_pushinteger(L, ev->position + 1);
        lua_setfield(L, -2, "position");
    }
}

/* Pumps SDL, redraws, and calls the handler for each event; an error in the handler
 * is reported and the rest are still delivered. Returns the number of events. */
static int pump(lua_State *L) {
    viz_app *a = bind_viz_app_if_any(L);
    if (!a) return 0;
    viz_app_pump(a, now_ms());
    viz_event ev;
    int n = 0;
    while (viz_app_next_event(a, &ev)) {
        n++;
        if (ev.type == VIZ_EV_CLOSE) { /* a closed window may be collected again */
            lua_getfield(L, LUA_REGISTRYINDEX, OPEN_KEY);
            lua_pushlightuserdata(L, ev.win);
            lua_pushnil(L);
            lua_rawset(L, -3);
            lua_pop(L, 1);
        }
        if (lua_getfield(L, LUA_REGISTRYINDEX, HAND_KEY) != LUA_TFUNCTION) {
            lua_pop(L, 1);
            continue;
        }
        push_event(L, &ev);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK) repl_report(L);
    }
    return n;
}

static void hook(lua_State *L, void *ud) {
    (void)ud;
    if (!lua_checkstack(L, 20)) return;
    pump(L);
}

static int win_pump(lua_State *L) {
    lua_pushinteger(L, pump(L));
    return 1;
}

static int win_on_event(lua_State *L) {
    if (!lua_isnil(L, 1)) luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, HAND_KEY);
    return 0;
}

/* has_display() -> true, or false and why. */
static int win_has_display(lua_State *L) {
    viz_app *a = bind_viz_app(L);
    int ok = viz_app_has_display(a);
    lua_pushboolean(L, ok);
    if (ok) return 1;
    lua_pushstring(L, viz_app_error(a));
    return 2;
}

static const luaL_Reg module_fns[] = {
    {"new", window_new},
    {"pump", win_pump},
    {"on_event", win_on_event},
    {"has_display", win_has_display},
    {"record_gif", win_record_gif},
    {"placement", win_placement},
    {NULL, NULL},
};

static const luaL_Reg window_methods[] = {
    {"add", w_window_add},
    {"panels", w_window_panels},
    {"cols", w_window_cols},
    {"show", w_window_show},
    {"close", w_window_close},
    {"is_open", w_window_is_open},
    {"projector", w_window_projector},
    {"caption", w_window_caption},
    {"status", w_window_status},
    {"overlay", w_window_overlay},
    {"slider", w_window_slider},
    {"slider_at", w_window_slider_at},
    {"visible", w_window_visible},
    {"cell", w_window_cell},
    {"save", w_window_save},
    {"record", w_window_record},
    {"frame", w_window_frame},
    {"frames_drawn", w_window_frames_drawn},
    {"free", window_release},
    {NULL, NULL},
};

int bind_open_window(lua_State *L) {
    luaL_newlib(L, module_fns);
    bind_viz_type(L, WINDOW_MT, window_release, window_tostring, window_methods, "methods");
    lua_newtable(L); /* viz_window* -> window userdata, weak: windows die when dropped */
    lua_createtable(L, 0, 1);
    lua_pushstring(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, WINS_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, OPEN_KEY);
    repl_hook_add(L, hook, NULL);
    return 1;
}
