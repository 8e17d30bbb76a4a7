/* bind_plot.c: the "viz.core" module: panels ("nnlab.plot") of src/viz for Lua, and
 * the plot kinds (names and window sizes) from the viz's table. Windows and the event
 * pump are bind_window.c's ("viz.win"). Friendliness (options tables, f(x, y) grids,
 * callbacks, job binding) lives in lua/plot.lua.
 *
 * Numbers come from Lua tables (flat, or nested rows for grids) or engine tensors; viz
 * copies them. A userdata owns its viz object; __gc, __close and :free() share one
 * release path. The viz app (fonts, windows) lives in a registry userdata made before
 * any panel or window, so at lua_close it is finalized after all of them. */
#include <ctype.h>
#include <limits.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "bind_viz.h"
#include "viz.h"

#define APP_KEY    "nnlab.viz.app"
#define MAX_VALUES 50000000 /* floats one call may pass (200 MB) */

typedef struct {
    viz_panel *p;
} plot_ud;

/* ---- the app ----------------------------------------------------------------------- */

static int app_gc(lua_State *L) {
    viz_app **a = lua_touserdata(L, 1);
    viz_app_free(*a);
    *a = NULL;
    return 0;
}

viz_app *bind_viz_app(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, APP_KEY) == LUA_TUSERDATA) {
        viz_app *a = *(viz_app **)lua_touserdata(L, -1);
        lua_pop(L, 1);
        if (!a) luaL_error(L, "plot: the viz is closed");
        return a;
    }
    lua_pop(L, 1);
    viz_app **a = lua_newuserdatauv(L, sizeof *a, 0);
    *a = NULL;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, app_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    char err[256];
    viz_app *app = viz_app_new(err, sizeof err);
    if (!app) luaL_error(L, "%s", err);
    *a = app;
    lua_setfield(L, LUA_REGISTRYINDEX, APP_KEY);
    return app;
}

viz_app *bind_viz_app_if_any(lua_State *L) {
    viz_app *a = NULL;
    if (lua_getfield(L, LUA_REGISTRYINDEX, APP_KEY) == LUA_TUSERDATA)
        a = *(viz_app **)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return a;
}

/* ---- numbers from tables and tensors ---------------------------------------------- */

/* A growable float buffer held by a userdata on the stack, so an error raised while
 * reading frees it with the next collection. */
typedef struct {
    float *v;
    size_t n, cap;
} fbuf;

static int fbuf_gc(lua_State *L) {
    fbuf *b = lua_touserdata(L, 1);
    free(b->v);
    b->v = NULL;
    return 0;
}

static fbuf *fbuf_new(lua_State *L) {
    fbuf *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    if (luaL_newmetatable(L, "nnlab.viz.fbuf")) {
        lua_pushcfunction(L, fbuf_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return b;
}

static void fbuf_push(lua_State *L, fbuf *b, float x) {
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        if (cap > MAX_VALUES) luaL_error(L, "plot: more than %d values", MAX_VALUES);
        float *v = realloc(b->v, cap * sizeof *v);
        if (!v) luaL_error(L, "plot: out of memory");
        b->v = v, b->cap = cap;
    }
    b->v[b->n++] = x;
}

/* Reads argument arg (a tensor, a list of numbers, or a list of rows) into a new fbuf
 * pushed on the stack. *rows and *cols give the shape: a tensor's first dimension and
 * the product of the rest; a list of n numbers is 1 x n. The buffer takes the next
 * stack slot, so a wrapper first fixes the stack at its last argument (lua_settop): an
 * argument left out then reads as nil, never as one of these buffers. */
static fbuf *check_floats(lua_State *L, int arg, int *rows, int *cols) {
    arg = lua_absindex(L, arg);
    fbuf *b = fbuf_new(L);
    int r = 1, c = 0;
    if (lua_type(L, arg) == LUA_TUSERDATA) {
        nn_tensor *t = bind_checktensor(L, arg);
        if (t->size > MAX_VALUES) luaL_argerror(L, arg, "tensor too large to plot");
        b->v = malloc((size_t)t->size * sizeof *b->v);
        if (!b->v) luaL_error(L, "plot: out of memory");
        b->cap = b->n = (size_t)t->size;
        if (nn_read(t, b->v) != 0) luaL_error(L, "plot: %s", nn_error(bind_ctx(L)));
        r = t->ndim > 1 ? t->shape[0] : 1;
        c = (int)(t->size / r);
    } else {
        luaL_checktype(L, arg, LUA_TTABLE);
        lua_Integer n = luaL_len(L, arg);
        int nested = n > 0 && lua_geti(L, arg, 1) == LUA_TTABLE;
        lua_pop(L, 1);
        r = nested ? (int)n : 1;
        for (lua_Integer i = 1; i <= n; i++) {
            lua_geti(L, arg, i);
            if (nested) {
                if (!lua_istable(L, -1))
                    luaL_argerror(L, arg, lua_pushfstring(L, "row %d is not a table", (int)i));
                lua_Integer m = luaL_len(L, -1);
                if (i == 1) c = (int)m;
                if (m != c)
                    luaL_argerror(L, arg,
                                  lua_pushfstring(L, "row %d has %d values, row 1 has %d", (int)i,
                                                  (int)m, c));
                for (lua_Integer j = 1; j <= m; j++) {
                    lua_geti(L, -1, j);
                    int ok;
                    lua_Number x = lua_tonumberx(L, -1, &ok);
                    if (!ok)
                        luaL_argerror(
                            L, arg,
                            lua_pushfstring(L, "value [%d][%d] is not a number", (int)i, (int)j));
                    fbuf_push(L, b, (float)x);
                    lua_pop(L, 1);
                }
            } else {
                int ok;
                lua_Number x = lua_tonumberx(L, -1, &ok);
                if (!ok)
                    luaL_argerror(L, arg, lua_pushfstring(L, "value %d is not a number", (int)i));
                fbuf_push(L, b, (float)x);
            }
            lua_pop(L, 1);
        }
        if (!nested) c = (int)n;
    }
    if (rows) *rows = r;
    if (cols) *cols = c;
    return b;
}

/* A list of n strings (or nil) as an array in a userdata pushed on the stack; a missing
 * entry is NULL, a number becomes its text. Like check_floats, it takes the next stack
 * slot. The strings stay alive in the userdata's user value, a table of them (a
 * number's text would otherwise die with the stack slot it was converted in). */
static const char **check_strings(lua_State *L, int arg, int n) {
    arg = lua_absindex(L, arg);
    if (lua_isnoneornil(L, arg)) {
        lua_pushnil(L);
        return NULL;
    }
    luaL_checktype(L, arg, LUA_TTABLE);
    const char **s = lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *s, 1);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        int type = lua_geti(L, arg, i + 1);
        if (type == LUA_TNIL) {
            s[i] = NULL;
            lua_pop(L, 1);
            continue;
        }
        if (type != LUA_TSTRING && type != LUA_TNUMBER)
            luaL_argerror(
                L, arg,
                lua_pushfstring(L, "entry %d is a %s, not a string", i + 1, lua_typename(L, type)));
        s[i] = lua_tostring(L, -1);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setiuservalue(L, -2, 1);
    return s;
}

/* ---- panels -------------------------------------------------------------------------- */

viz_panel *bind_checkplot(lua_State *L, int arg) {
    plot_ud *u = luaL_checkudata(L, arg, PLOT_MT);
    if (!u->p) luaL_argerror(L, arg, "plot was freed");
    return u->p;
}

static int check(lua_State *L, viz_panel *p, int rc) {
    if (rc != VIZ_OK) return luaL_error(L, "%s", viz_panel_error(p));
    return 0;
}

/* core.new(kind): a panel of the kind named ("lines", "field", ...: core.kinds). */
static int plot_new(lua_State *L) {
    const char *names[VIZ_NKINDS + 1];
    for (int k = 0; k <= VIZ_NKINDS; k++) names[k] = viz_kind_name((viz_kind)k); /* NULL-ended */
    int kind = luaL_checkoption(L, 1, NULL, names);
    bind_viz_app(L); /* before the panel: finalized after it */
    plot_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->p = NULL;
    luaL_setmetatable(L, PLOT_MT);
    if (!(u->p = viz_panel_new((viz_kind)kind))) return luaL_error(L, "plot: out of memory");
    return 1;
}

static int plot_release(lua_State *L) {
    plot_ud *u = luaL_checkudata(L, 1, PLOT_MT);
    viz_panel_free(u->p);
    u->p = NULL;
    return 0;
}

static int plot_tostring(lua_State *L) {
    plot_ud *u = luaL_checkudata(L, 1, PLOT_MT);
    if (!u->p)
        lua_pushstring(L, "plot (freed)");
    else
        lua_pushfstring(L, "plot (%s)", viz_kind_name(viz_panel_kind(u->p)));
    return 1;
}

static int w_plot_kind(lua_State *L) {
    lua_pushstring(L, viz_kind_name(viz_panel_kind(bind_checkplot(L, 1))));
    return 1;
}

static int w_plot_version(lua_State *L) {
    lua_pushinteger(L, viz_panel_version(bind_checkplot(L, 1)));
    return 1;
}

static int w_plot_label(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    static const char *const which[] = {"title", "xlabel", "ylabel", NULL};
    int k = luaL_checkoption(L, 2, NULL, which);
    check(L, p, viz_panel_set_label(p, (viz_label)k, luaL_optstring(L, 3, NULL)));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_log(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    check(L, p, viz_panel_set_log(p, lua_toboolean(L, 2), lua_toboolean(L, 3)));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_range(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    static const char *const axes[] = {"x", "y", "c", NULL}; /* c: a field's colours */
    int ax = luaL_checkoption(L, 2, NULL, axes);
    double lo = luaL_optnumber(L, 3, NAN), hi = luaL_optnumber(L, 4, NAN);
    if (ax == 2)
        check(L, p, viz_field_set_value_range(p, lo, hi));
    else
        check(L, p, viz_panel_set_range(p, ax, lo, hi));
    lua_settop(L, 1);
    return 1;
}

/* p:ticks("x"|"y", {names}): names[i] at position i on that axis instead of numbers;
 * nil or {} goes back to numbers. */
static int w_plot_ticks(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    static const char *const axes[] = {"x", "y"};
    const char *axis = lua_tostring(L, 2);
    int ax = axis && !strcmp(axis, "x") ? 0 : axis && !strcmp(axis, "y") ? 1 : -1;
    if (ax < 0)
        return luaL_error(L, "p:ticks: the axis is \"x\" or \"y\", got %s",
                          axis ? axis : luaL_typename(L, 2));
    if (lua_isnoneornil(L, 3)) {
        check(L, p, viz_panel_set_tick_labels(p, ax, 0, NULL, NULL));
        lua_settop(L, 1);
        return 1;
    }
    if (!lua_istable(L, 3))
        return luaL_error(L, "p:ticks: %sticks must be a list of names, got %s", axes[ax],
                          luaL_typename(L, 3));
    int n = (int)luaL_len(L, 3);
    if (n > 10000) return luaL_error(L, "p:ticks: %d %sticks, at most 10000", n, axes[ax]);
    luaL_checkstack(L, n + 4, "p:ticks: too many names");
    double *pos = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *pos, 0);
    const char **names = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *names, 0);
    for (int i = 0; i < n; i++) {
        lua_geti(L, 3, i + 1);
        if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER)
            return luaL_error(L, "p:ticks: %sticks[%d] must be a name (a string), got %s", axes[ax],
                              i + 1, luaL_typename(L, -1));
        names[i] = lua_tostring(L, -1); /* kept alive by the stack until set */
        pos[i] = i + 1;
    }
    check(L, p, viz_panel_set_tick_labels(p, ax, n, pos, names));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_map(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    static const char *const maps[] = {"auto", "viridis", "diverging", "gray", NULL};
    check(L, p, viz_panel_set_map(p, (viz_map)luaL_checkoption(L, 2, "auto", maps)));
    lua_settop(L, 1);
    return 1;
}

/* p:add(name, [x,] y): x and y lists (or tensors) of equal length. */
static int w_plot_add(lua_State *L) {
    lua_settop(L, 4);
    viz_panel *p = bind_checkplot(L, 1);
    const char *name = luaL_checkstring(L, 2);
    int two = !lua_isnoneornil(L, 4); /* (name, x, y), or (name, nil, y) */
    int hasx = two && !lua_isnil(L, 3);
    fbuf *y = check_floats(L, two ? 4 : 3, NULL, NULL);
    fbuf *x = hasx ? check_floats(L, 3, NULL, NULL) : NULL;
    if (x && x->n != y->n)
        return luaL_error(L, "plot:add %s: %d x values and %d y values", name, (int)x->n,
                          (int)y->n);
    check(L, p, viz_series_add(p, name, x ? x->v : NULL, y->v, y->n));
    lua_settop(L, 1);
    return 1;
}

/* p:push(name, y [, x]): one point. */
static int w_plot_push(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    const char *name = luaL_checkstring(L, 2);
    float y = (float)luaL_checknumber(L, 3);
    float x = (float)luaL_optnumber(L, 4, 0);
    check(L, p, viz_series_add(p, name, lua_isnoneornil(L, 4) ? NULL : &x, &y, 1));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_smooth(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    check(L, p, viz_series_set_smooth(p, luaL_checknumber(L, 2)));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_marker(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    check(L, p, viz_panel_add_marker(p, luaL_checknumber(L, 2), luaL_optstring(L, 3, "")));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_band(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    check(L, p, viz_panel_add_band(p, luaL_checknumber(L, 2), luaL_checknumber(L, 3)));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_clear(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    viz_series_clear(p);
    viz_points_clear(p);
    lua_settop(L, 1);
    return 1;
}

/* p:grid(values, xmin, xmax, ymin, ymax [, k]): values h rows of w (or w*k for k
 * classes); row 1 is at ymin. The kinds that take a grid (field, surface); classes: the
 * kinds that take them (field). */
static int w_plot_grid(lua_State *L) {
    lua_settop(L, 7);
    viz_panel *p = bind_checkplot(L, 1);
    double b[4];
    for (int i = 0; i < 4; i++) b[i] = luaL_checknumber(L, 3 + i);
    int k = (int)bind_optint(L, 7, "classes", 1, 1, INT_MAX);
    int h, w;
    fbuf *v = check_floats(L, 2, &h, &w);
    if (k < 1 || w % k) return luaL_error(L, "plot:grid: rows of %d values for %d classes", w, k);
    if (k == 1)
        check(L, p, viz_field_set(p, v->v, w, h, b[0], b[1], b[2], b[3]));
    else
        check(L, p, viz_field_set_classes(p, v->v, w / k, h, k, b[0], b[1], b[2], b[3]));
    lua_settop(L, 1);
    return 1;
}

/* p:cells(values, xmin, xmax, ymin, ymax): values h rows of w flat cells filling the box
 * (a matrix); row 1 at ymin. Fields only. */
static int w_plot_cells(lua_State *L) {
    lua_settop(L, 6);
    viz_panel *p = bind_checkplot(L, 1);
    double b[4];
    for (int i = 0; i < 4; i++) b[i] = luaL_checknumber(L, 3 + i);
    int h, w;
    fbuf *v = check_floats(L, 2, &h, &w);
    check(L, p, viz_field_set_cells(p, v->v, w, h, b[0], b[1], b[2], b[3]));
    lua_settop(L, 1);
    return 1;
}

/* p:levels(list) for explicit contour levels, p:levels(n) for about n automatic ones. */
static int w_plot_levels(lua_State *L) {
    lua_settop(L, 2);
    viz_panel *p = bind_checkplot(L, 1);
    if (lua_isnumber(L, 2)) {
        check(
            L, p,
            viz_field_set_levels(
                p, NULL, 0, (int)bind_checkint(L, 2, "levels (a count, 0 for none)", 0, INT_MAX)));
    } else {
        fbuf *v = check_floats(L, 2, NULL, NULL);
        double l[256];
        int n = v->n < 256 ? (int)v->n : 256;
        for (int i = 0; i < n; i++) l[i] = v->v[i];
        check(L, p, viz_field_set_levels(p, l, n, 0));
    }
    lua_settop(L, 1);
    return 1;
}

/* p:points(x, y [, classes [, hollow]]): classes are 1-based. */
static int w_plot_points(lua_State *L) {
    lua_settop(L, 5);
    viz_panel *p = bind_checkplot(L, 1);
    int hollow = lua_toboolean(L, 5);
    fbuf *x = check_floats(L, 2, NULL, NULL), *y = check_floats(L, 3, NULL, NULL);
    if (x->n != y->n)
        return luaL_error(L, "plot:points: %d x values and %d y values", (int)x->n, (int)y->n);
    int *cls = NULL;
    if (!lua_isnoneornil(L, 4)) {
        fbuf *c = check_floats(L, 4, NULL, NULL);
        if (c->n != x->n)
            return luaL_error(L, "plot:points: %d classes for %d points", (int)c->n, (int)x->n);
        cls = lua_newuserdatauv(L, (x->n ? x->n : 1) * sizeof *cls, 0);
        for (size_t i = 0; i < x->n; i++) cls[i] = (int)lroundf(c->v[i]) - 1;
    }
    check(L, p, viz_points_add(p, x->v, y->v, cls, x->n, hollow));
    lua_settop(L, 1);
    return 1;
}

/* p:values(list): the values of the first #list points, coloured on a field's scale */
static int w_plot_values(lua_State *L) {
    lua_settop(L, 2);
    viz_panel *p = bind_checkplot(L, 1);
    fbuf *v = check_floats(L, 2, NULL, NULL);
    check(L, p, viz_points_set_values(p, v->v, v->n));
    lua_settop(L, 1);
    return 1;
}

/* p:layer_names{"input 2", "4 tanh", ...}: the words under a network's layers */
static int w_plot_lnames(lua_State *L) {
    lua_settop(L, 2);
    viz_panel *p = bind_checkplot(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    int n = (int)luaL_len(L, 2);
    const char **s = check_strings(L, 2, n);
    check(L, p, viz_network_set_names(p, s, n));
    lua_settop(L, 1);
    return 1;
}

/* p:palette("series" | "marks"): the colours of the panel's series */
static int w_plot_palette(lua_State *L) {
    static const char *const names[] = {"series", "marks", NULL};
    viz_panel *p = bind_checkplot(L, 1);
    check(L, p, viz_panel_set_palette(p, luaL_checkoption(L, 2, NULL, names)));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_labels(lua_State *L) {
    lua_settop(L, 2);
    viz_panel *p = bind_checkplot(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    int n = (int)luaL_len(L, 2);
    const char **s = check_strings(L, 2, n);
    check(L, p, viz_points_set_labels(p, s, (size_t)n));
    lua_settop(L, 1);
    return 1;
}

/* p:class_names{"T-shirt/top", ...}: the legend's names of classes 1, 2, ... */
static int w_plot_class_names(lua_State *L) {
    lua_settop(L, 2);
    viz_panel *p = bind_checkplot(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    int n = (int)luaL_len(L, 2);
    const char **s = check_strings(L, 2, n);
    check(L, p, viz_points_set_class_names(p, s, n));
    lua_settop(L, 1);
    return 1;
}

/* p:images(data, n, h, w [, channels, shared, cols]) */
static int w_plot_images(lua_State *L) {
    lua_settop(L, 8);
    viz_panel *p = bind_checkplot(L, 1);
    int n = (int)bind_checkint(L, 3, "n (images)", 1, INT_MAX);
    int h = (int)bind_checkint(L, 4, "h (rows of an image)", 1, INT_MAX);
    int w = (int)bind_checkint(L, 5, "w (columns of an image)", 1, INT_MAX);
    int c = (int)bind_optint(L, 6, "channels (1 or 3)", 1, 1, 3);
    int shared = lua_isnoneornil(L, 7) ? 1 : lua_toboolean(L, 7);
    /* the viz says "-5 columns, 0 for automatic" below 0, as plot.images{cols} does */
    int cols = (int)bind_optint(L, 8, "cols", 0, INT_MIN, INT_MAX);
    fbuf *v = check_floats(L, 2, NULL, NULL);
    if (n < 1 || h < 1 || w < 1 || (c != 1 && c != 3))
        return luaL_error(L, "plot:images: %d images of %d x %d with %d channels", n, h, w, c);
    if ((double)v->n != (double)n * h * w * c) /* in doubles: the product may pass size_t */
        return luaL_error(L, "plot:images: %d values for %d images of %d x %d x %d", (int)v->n, n,
                          h, w, c);
    if (cols < 0)
        return luaL_argerror(L, 8, lua_pushfstring(L, "%d columns, 0 for automatic", cols));
    check(L, p, viz_images_set(p, v->v, n, h, w, c, shared, cols));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_caption(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    check(L, p,
          viz_images_set_caption(p, (int)bind_checkint(L, 2, "image", 1, INT_MAX) - 1,
                                 luaL_optstring(L, 3, NULL)));
    lua_settop(L, 1);
    return 1;
}

/* p:bars(values [, group_labels, series_names]): values a list (one series) or rows
 * of groups, each row one value per series. */
static int w_plot_bars(lua_State *L) {
    lua_settop(L, 4);
    viz_panel *p = bind_checkplot(L, 1);
    int rows, cols;
    fbuf *v = check_floats(L, 2, &rows, &cols);
    int ng = rows, ns = cols;
    if (lua_istable(L, 2) && rows == 1) ng = cols, ns = 1; /* a flat list: one series */
    if (v->n == 0) return luaL_error(L, "plot:bars: no values");
    const char **g = check_strings(L, 3, ng);
    const char **s = check_strings(L, 4, ns);
    check(L, p, viz_bars_set(p, v->v, ng, ns, g, s));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_hist(lua_State *L) {
    lua_settop(L, 3);
    viz_panel *p = bind_checkplot(L, 1);
    int bins = (int)bind_optint(L, 3, "bins", 30, 1, INT_MAX);
    fbuf *v = check_floats(L, 2, NULL, NULL);
    check(L, p, viz_hist_set(p, v->v, v->n, bins));
    lua_settop(L, 1);
    return 1;
}

/* p:network(sizes [, weights]): weights a list of matrices (in x out) or of tensors. */
static int w_plot_network(lua_State *L) {
    lua_settop(L, 3);
    viz_panel *p = bind_checkplot(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    int nl = (int)luaL_len(L, 2);
    if (nl < 1 || nl > 64) return luaL_error(L, "plot:network: %d layers (1 to 64)", nl);
    int sizes[64];
    for (int l = 0; l < nl; l++) {
        lua_geti(L, 2, l + 1);
        int ok;
        lua_Integer size = lua_tointegerx(L, -1, &ok);
        if (!ok || size < INT_MIN || size > INT_MAX) /* the viz refuses sizes out of 1..512 */
            return luaL_error(L, "plot:network: layer %d has %s nodes (1 to 512)", l + 1,
                              luaL_tolstring(L, -1, NULL));
        sizes[l] = (int)size;
        lua_pop(L, 1);
    }
    fbuf *all = NULL;
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        if (luaL_len(L, 3) != nl - 1)
            return luaL_error(L, "plot:network: %d weight matrices for %d layers",
                              (int)luaL_len(L, 3), nl);
        all = fbuf_new(L);
        for (int l = 0; l + 1 < nl; l++) {
            lua_geti(L, 3, l + 1);
            fbuf *m = check_floats(L, -1, NULL, NULL);
            if (m->n != (size_t)sizes[l] * sizes[l + 1])
                return luaL_error(L, "plot:network: matrix %d has %d values, layers %d x %d", l + 1,
                                  (int)m->n, sizes[l], sizes[l + 1]);
            for (size_t i = 0; i < m->n; i++) fbuf_push(L, all, m->v[i]);
            lua_pop(L, 2);
        }
    }
    check(L, p, viz_network_set(p, sizes, nl, all ? all->v : NULL));
    lua_settop(L, 1);
    return 1;
}

/* p:maps(values, res): one res x res map per node, nodes in layer order. */
/* The maps of p:maps given as a list of tensors (a layer's units as rows of res*res):
 * their values one after another, read without a Lua number each (the network view
 * passes 20 maps of 576 values at 7.5 frames a second). */
static fbuf *check_map_tensors(lua_State *L, int arg) {
    lua_Integer n = luaL_len(L, arg);
    fbuf *b = fbuf_new(L);
    int64_t total = 0;
    for (lua_Integer i = 1; i <= n; i++, lua_pop(L, 1)) {
        lua_geti(L, arg, i);
        if (!luaL_testudata(L, -1, "nnlab.tensor"))
            luaL_argerror(L, arg, lua_pushfstring(L, "map block %d is not a tensor", (int)i));
        total += bind_checktensor(L, lua_gettop(L))->size;
    }
    if (total > MAX_VALUES) luaL_argerror(L, arg, "tensors too large to plot");
    b->v = malloc((size_t)(total ? total : 1) * sizeof *b->v);
    if (!b->v) luaL_error(L, "plot: out of memory");
    b->cap = (size_t)total;
    for (lua_Integer i = 1; i <= n; i++, lua_pop(L, 1)) {
        lua_geti(L, arg, i);
        nn_tensor *t = bind_checktensor(L, lua_gettop(L));
        if (nn_read(t, b->v + b->n) != 0) luaL_error(L, "plot: %s", nn_error(bind_ctx(L)));
        b->n += (size_t)t->size;
    }
    return b;
}

static int w_plot_maps(lua_State *L) {
    lua_settop(L, 3);
    viz_panel *p = bind_checkplot(L, 1);
    int res = (int)bind_checkint(L, 3, "res (pixels across a map)", 2, INT_MAX);
    int blocks = lua_istable(L, 2) && lua_geti(L, 2, 1) == LUA_TUSERDATA;
    if (lua_istable(L, 2)) lua_pop(L, 1);
    fbuf *v = blocks ? check_map_tensors(L, 2) : check_floats(L, 2, NULL, NULL);
    if (res < 2 || v->n % ((size_t)res * res))
        return luaL_error(L, "plot:maps: %d values are not maps of %d x %d", (int)v->n, res, res);
    check(L, p, viz_network_set_maps(p, v->v, (int)(v->n / ((size_t)res * res)), res));
    lua_settop(L, 1);
    return 1;
}

/* p:graph(labels, from, to [, styles]): node labels; edges from[e] -> to[e] (1-based
 * node numbers); styles 0 operation, 1 weights, 2 data. */
static int w_plot_graph(lua_State *L) {
    lua_settop(L, 5);
    viz_panel *p = bind_checkplot(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    int n = (int)luaL_len(L, 2);
    const char **labels = check_strings(L, 2, n);
    fbuf *from = check_floats(L, 3, NULL, NULL), *to = check_floats(L, 4, NULL, NULL);
    if (from->n != to->n)
        return luaL_error(L, "plot:graph: %d edge starts and %d edge ends", (int)from->n,
                          (int)to->n);
    size_t ne = from->n;
    int *ends = lua_newuserdatauv(L, 2 * (ne ? ne : 1) * sizeof *ends, 0);
    for (size_t e = 0; e < ne; e++) { /* out-of-range numbers are refused by the viz */
        ends[e] = (int)lroundf(from->v[e]) - 1;
        ends[ne + e] = (int)lroundf(to->v[e]) - 1;
    }
    int *styles = NULL;
    if (!lua_isnoneornil(L, 5)) {
        fbuf *s = check_floats(L, 5, NULL, NULL);
        if (s->n != (size_t)n)
            return luaL_error(L, "plot:graph: %d styles for %d nodes", (int)s->n, n);
        styles = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *styles, 0);
        for (int i = 0; i < n; i++) styles[i] = (int)lroundf(s->v[i]);
    }
    check(L, p, viz_graph_set(p, labels, styles, n, ends, ends + ne, (int)ne));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_text(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    check(L, p, viz_text_set(p, luaL_checkstring(L, 2)));
    lua_settop(L, 1);
    return 1;
}

static int w_plot_view(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    int shaded = lua_isnoneornil(L, 4) ? 1 : lua_toboolean(L, 4);
    check(L, p, viz_surface_set_view(p, luaL_checknumber(L, 2), luaL_checknumber(L, 3), shaded));
    lua_settop(L, 1);
    return 1;
}

/* p:save(path [, w, h, projector]) */
static int w_plot_save(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    const char *path = luaL_checkstring(L, 2);
    int w = (int)bind_optint(L, 3, "width", 800, 1, INT_MAX);
    int h = (int)bind_optint(L, 4, "height", 560, 1, INT_MAX);
    check(L, p, viz_panel_save_png(bind_viz_app(L), p, path, w, h, lua_toboolean(L, 5)));
    lua_settop(L, 1);
    return 1;
}

/* p:to_data(px, py [, w, h]): data coordinates of a pixel of the panel saved at w x h. */
static int w_plot_to_data(lua_State *L) {
    viz_panel *p = bind_checkplot(L, 1);
    double px = luaL_checknumber(L, 2), py = luaL_checknumber(L, 3), x, y;
    int w = (int)bind_optint(L, 4, "width", 800, 1, INT_MAX);
    int h = (int)bind_optint(L, 5, "height", 560, 1, INT_MAX);
    if (viz_panel_to_data(bind_viz_app(L), p, w, h, px, py, &x, &y) != VIZ_OK) {
        lua_pushnil(L);
        lua_pushstring(L, viz_panel_error(p));
        return 2;
    }
    lua_pushnumber(L, x);
    lua_pushnumber(L, y);
    return 2;
}

/* core.kinds: the plot kinds in the viz's order, each {name =, width =, height =} (its
 * default window size in points), so that lua/plot.lua keeps no list of its own. */
static void push_kinds(lua_State *L) {
    lua_createtable(L, VIZ_NKINDS, 0);
    for (int k = 0; k < VIZ_NKINDS; k++) {
        int w, h;
        viz_kind_size((viz_kind)k, &w, &h);
        lua_createtable(L, 0, 3);
        lua_pushstring(L, viz_kind_name((viz_kind)k));
        lua_setfield(L, -2, "name");
        lua_pushinteger(L, w);
        lua_setfield(L, -2, "width");
        lua_pushinteger(L, h);
        lua_setfield(L, -2, "height");
        lua_rawseti(L, -2, k + 1);
    }
}

/* core.tick_label_room(label [, projector]) -> the points a named x tick label takes
 * with its gap (viz_tick_label_room): views size their windows by it. */
static int plot_tick_label_room(lua_State *L) {
    const char *label = luaL_checkstring(L, 1);
    lua_pushinteger(L, viz_tick_label_room(bind_viz_app(L), label, lua_toboolean(L, 2)));
    return 1;
}

static const luaL_Reg module_fns[] = {
    {"new", plot_new},
    {"tick_label_room", plot_tick_label_room},
    {NULL, NULL},
};

/* two columns, as before the list grew to an odd length */
/* clang-format off */
static const luaL_Reg plot_methods[] = {
    {"kind", w_plot_kind},       {"version", w_plot_version},
    {"label", w_plot_label},     {"log", w_plot_log},
    {"range", w_plot_range},     {"map", w_plot_map},
    {"ticks", w_plot_ticks},
    {"add", w_plot_add},         {"push", w_plot_push},
    {"smooth", w_plot_smooth},   {"marker", w_plot_marker}, {"band", w_plot_band},
    {"clear", w_plot_clear},     {"grid", w_plot_grid},
    {"cells", w_plot_cells},
    {"levels", w_plot_levels},   {"points", w_plot_points},
    {"labels", w_plot_labels},   {"images", w_plot_images},
    {"class_names", w_plot_class_names},
    {"caption", w_plot_caption}, {"bars", w_plot_bars},
    {"hist", w_plot_hist},       {"network", w_plot_network},
    {"maps", w_plot_maps},       {"text", w_plot_text},
    {"graph", w_plot_graph},     {"view", w_plot_view},
    {"save", w_plot_save},       {"to_data", w_plot_to_data},
    {"values", w_plot_values},   {"palette", w_plot_palette},
    {"free", plot_release},      {"layer_names", w_plot_lnames},
    {NULL, NULL},
};
/* clang-format on */

void bind_viz_type(lua_State *L, const char *name, lua_CFunction release, lua_CFunction tostring,
                   const luaL_Reg *methods, const char *field) {
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, release);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, tostring);
    lua_setfield(L, -2, "__tostring");
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -3, field); /* module.methods_<type> = the methods table */
    lua_pop(L, 1);
}

int bind_open_plot(lua_State *L) {
    luaL_newlib(L, module_fns);
    bind_viz_type(L, PLOT_MT, plot_release, plot_tostring, plot_methods, "plot_methods");
    push_kinds(L);
    lua_setfield(L, -2, "kinds");
    return 1;
}
