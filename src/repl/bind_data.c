/* bind_data.c: the "nn.data" module: data sets for Lua. A data set userdata
 * ("nnlab.dataset") owns an engine nn_dataset (x [n, nx], y [n, ny], classes);
 * synthetic sets, CSV and IDX loaders, shuffling, splitting, scaling, features,
 * and copies of x and y as tensors. The friendly API is lua/data.lua. */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"

#define DATASET_MT "nnlab.dataset"

typedef struct {
    nn_dataset *d;
} dataset_ud;

nn_dataset *bind_checkdataset(lua_State *L, int arg) {
    dataset_ud *u = luaL_checkudata(L, arg, DATASET_MT);
    if (!u->d) luaL_argerror(L, arg, "data set was freed");
    return u->d;
}

void bind_pushdataset(lua_State *L, nn_dataset *d) {
    if (!d) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    dataset_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->d = NULL;
    luaL_setmetatable(L, DATASET_MT);
    u->d = d;
}

static int d_release(lua_State *L) {
    dataset_ud *u = luaL_checkudata(L, 1, DATASET_MT);
    nn_dataset_free(u->d);
    u->d = NULL;
    return 0;
}

/* Argument arg as an integer in lo..hi, or an error naming fn, what and the range: a
 * cast to int of 2^31 or of 2^32 + 2 would wrap around (to a negative row or to 2). */
static int check_int_in(lua_State *L, int arg, const char *fn, const char *what, lua_Integer lo,
                        lua_Integer hi) {
    lua_Integer v = luaL_checkinteger(L, arg);
    if (v < lo || v > hi)
        luaL_argerror(L, arg,
                      lua_pushfstring(L, "%s: %s %I is outside %I..%I", fn, what, (LUAI_UACINT)v,
                                      (LUAI_UACINT)lo, (LUAI_UACINT)hi));
    return (int)v;
}

/* synth(kind, n, classes, noise) */
static int w_synth(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    int k = nn_synth_from_name(name);
    if (k < 0) luaL_argerror(L, 1, lua_pushfstring(L, "unknown data set '%s'", name));
    int n = (int)luaL_checkinteger(L, 2), c = (int)luaL_optinteger(L, 3, 0);
    float noise = (float)luaL_optnumber(L, 4, 0);
    bind_pushdataset(L, nn_synth(bind_ctx(L), (nn_synth_kind)k, n, c, noise));
    return 1;
}

/* from(x, y [, classes]): a set from tensors [n, nx] and [n, ny] (copied) */
static int w_from(lua_State *L) {
    nn_tensor *x = bind_checktensor(L, 1), *y = bind_checktensor(L, 2);
    int classes = (int)luaL_optinteger(L, 3, 0);
    int n = x->shape[0], nx = x->ndim >= 2 ? (int)(x->size / n) : 1;
    int ny = y->ndim >= 2 ? (int)(y->size / y->shape[0]) : 1;
    if (y->shape[0] != n) luaL_error(L, "data.from: x has %d rows and y %d", n, y->shape[0]);
    if (classes > 0 && ny != 1)
        luaL_error(L, "data.from: class labels must be one column, y has %d", ny);
    nn_dataset *d = nn_dataset_new(bind_ctx(L), n, nx, ny, classes);
    if (!d) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    nn_read(x, d->x);
    nn_read(y, d->y);
    if (classes > 0)
        for (int i = 0; i < n; i++)
            if (!(d->y[i] >= 0 && d->y[i] < classes) || d->y[i] != (float)(int)d->y[i]) {
                float v = d->y[i];
                nn_dataset_free(d);
                luaL_error(L, "data.from: label %f of row %d is not a class 0..%d", v, i + 1,
                           classes - 1);
            }
    bind_pushdataset(L, d);
    return 1;
}

static void push_strings(lua_State *L, char *const *s, int n, int skip) {
    lua_createtable(L, n, 0);
    for (int i = 0, k = 0; i < n; i++)
        if (i != skip) {
            lua_pushstring(L, s[i]);
            lua_rawseti(L, -2, ++k);
        }
}

/* csv(path, label (a header name, a 1-based column or nil), classify) -> set, info |
 * nil, message. info = {columns = header names, features = x's column names, label =
 * the label column's name, classes = text labels by class id (1-based) or nil}. */
static int w_csv(lua_State *L) {
    const char *path = luaL_checkstring(L, 1), *label = NULL;
    int col = -1;
    if (lua_type(L, 2) == LUA_TSTRING)
        label = lua_tostring(L, 2);
    else if (!lua_isnoneornil(L, 2))
        col = (int)luaL_checkinteger(L, 2) - 1;
    if (!label && col < -1) luaL_argerror(L, 2, "a column is numbered from 1");
    nn_csv_names names;
    nn_dataset *d = nn_csv_load(bind_ctx(L), path, label, col, lua_toboolean(L, 3), &names);
    if (!d) {
        lua_pushnil(L);
        lua_pushstring(L, nn_error(bind_ctx(L)));
        return 2;
    }
    bind_pushdataset(L, d);
    lua_createtable(L, 0, 4);
    push_strings(L, names.columns, names.ncols, -1);
    lua_setfield(L, -2, "columns");
    push_strings(L, names.columns, names.ncols, names.label_col);
    lua_setfield(L, -2, "features");
    if (names.label_col >= 0) {
        lua_pushstring(L, names.columns[names.label_col]);
        lua_setfield(L, -2, "label");
    }
    if (names.nclasses) {
        push_strings(L, names.classes, names.nclasses, -1);
        lua_setfield(L, -2, "classes");
    }
    nn_csv_names_free(&names);
    return 2;
}

/* idx(images, labels [, limit]) -> set | nil, message */
static int w_idx(lua_State *L) {
    nn_dataset *d = nn_idx_load(bind_ctx(L), luaL_checkstring(L, 1), luaL_checkstring(L, 2),
                                (int)luaL_optinteger(L, 3, 0));
    if (!d) {
        lua_pushnil(L);
        lua_pushstring(L, nn_error(bind_ctx(L)));
        return 2;
    }
    bind_pushdataset(L, d);
    return 1;
}

static void push_matrix(lua_State *L, const float *v, int rows, int cols) {
    int shape[2] = {rows, cols};
    bind_pushtensor(L, nn_from_array(bind_ctx(L), 2, shape, v));
}

static int d_x(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    push_matrix(L, d->x, d->n, d->nx);
    return 1;
}

static int d_y(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    push_matrix(L, d->y, d->n, d->ny);
    return 1;
}

/* d:one_hot() -> [n, classes] tensor of the labels */
static int d_one_hot(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    if (d->classes < 1) luaL_error(L, "one_hot: the set has no classes (regression)");
    float *buf = lua_newuserdatauv(L, (size_t)d->n * d->classes * sizeof(float), 0);
    if (nn_one_hot(bind_ctx(L), d->y, d->n, d->classes, buf))
        luaL_error(L, "%s", nn_error(bind_ctx(L)));
    push_matrix(L, buf, d->n, d->classes);
    return 1;
}

static int d_info(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, d->n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, d->nx);
    lua_setfield(L, -2, "nx");
    lua_pushinteger(L, d->ny);
    lua_setfield(L, -2, "ny");
    lua_pushinteger(L, d->classes);
    lua_setfield(L, -2, "classes");
    return 1;
}

static int d_shuffle(lua_State *L) {
    nn_dataset_shuffle(bind_ctx(L), bind_checkdataset(L, 1));
    lua_settop(L, 1);
    return 1;
}

/* d:split(frac) -> first (1-frac), last frac (copies, in order) */
static int d_split(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1), *a, *b;
    if (nn_dataset_split(bind_ctx(L), d, (float)luaL_checknumber(L, 2), &a, &b))
        luaL_error(L, "%s", nn_error(bind_ctx(L)));
    bind_pushdataset(L, a);
    bind_pushdataset(L, b);
    return 2;
}

/* d:slice(first, count) with 1-based first */
static int d_slice(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    int first = check_int_in(L, 2, "d:slice", "first row", 1, d->n);
    int count = check_int_in(L, 3, "d:slice", "count", 1, d->n - first + 1);
    bind_pushdataset(L, nn_dataset_slice(bind_ctx(L), d, first - 1, count));
    return 1;
}

/* d:features(flags) -> a new set of Playground features */
static int d_features(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    bind_pushdataset(L, nn_features(bind_ctx(L), d, (unsigned)luaL_checkinteger(L, 2)));
    return 1;
}

/* d:scaler(kind) -> stats table {shift..., scale...} fitted on d ("standard"|"minmax") */
static int d_scaler(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    const char *kind = luaL_optstring(L, 2, "standard");
    float *st = lua_newuserdatauv(L, 2 * (size_t)d->nx * sizeof(float), 0);
    if (!strcmp(kind, "standard"))
        nn_fit_standardize(d, st);
    else if (!strcmp(kind, "minmax"))
        nn_fit_minmax(d, st);
    else
        luaL_argerror(L, 2, "expected \"standard\" or \"minmax\"");
    lua_createtable(L, 2 * d->nx, 0);
    for (int i = 0; i < 2 * d->nx; i++) {
        lua_pushnumber(L, st[i]);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* d:scale(stats): x = (x - shift)/scale with stats from d:scaler() of any set */
static int d_scale(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    if ((int)luaL_len(L, 2) != 2 * d->nx)
        luaL_error(L, "scale: the statistics are for %d columns, the set has %d",
                   (int)luaL_len(L, 2) / 2, d->nx);
    float *st = lua_newuserdatauv(L, 2 * (size_t)d->nx * sizeof(float), 0);
    for (int i = 0; i < 2 * d->nx; i++) {
        lua_geti(L, 2, i + 1);
        st[i] = (float)luaL_checknumber(L, -1);
        lua_pop(L, 1);
        if (i >= d->nx && st[i] == 0) luaL_error(L, "scale: column %d has scale 0", i - d->nx + 1);
    }
    nn_apply_scaling(d, st);
    lua_settop(L, 1);
    return 1;
}

static int d_len(lua_State *L) {
    lua_pushinteger(L, bind_checkdataset(L, 1)->n);
    return 1;
}

static int d_tostring(lua_State *L) {
    dataset_ud *u = luaL_checkudata(L, 1, DATASET_MT);
    if (!u->d)
        lua_pushliteral(L, "dataset (freed)");
    else if (u->d->classes)
        lua_pushfstring(L, "dataset (%d samples, %d features, %d classes)", u->d->n, u->d->nx,
                        u->d->classes);
    else
        lua_pushfstring(L, "dataset (%d samples, %d features, %d targets)", u->d->n, u->d->nx,
                        u->d->ny);
    return 1;
}

static const luaL_Reg fns[] = {
    {"synth", w_synth}, {"from", w_from}, {"csv", w_csv}, {"idx", w_idx}, {NULL, NULL},
};

static const luaL_Reg methods[] = {
    {"x", d_x},
    {"y", d_y},
    {"one_hot", d_one_hot},
    {"info", d_info},
    {"shuffle", d_shuffle},
    {"split", d_split},
    {"slice", d_slice},
    {"features", d_features},
    {"scaler", d_scaler},
    {"scale", d_scale},
    {"free", d_release},
    {NULL, NULL},
};

int bind_open_data(lua_State *L) {
    luaL_newlib(L, fns);
    luaL_newmetatable(L, DATASET_MT);
    luaL_newlib(L, methods);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -3, "methods"); /* lua/data.lua adds methods here */
    lua_pushcfunction(L, d_release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, d_release);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, d_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, d_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    return 1;
}
