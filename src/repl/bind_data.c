/* bind_data.c: the "nn.data" module: data sets for Lua. A data set userdata
 * ("nnlab.dataset") owns an engine nn_dataset (x [n, ...], y [n, ...], classes);
 * synthetic sets, CSV and IDX loaders, shuffling, splitting, scaling, features,
 * and copies of x and y as tensors. The friendly API is lua/data.lua. */
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
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

/* d:free() and <close>: refused while a running fit trains or validates on d. */
static int d_free(lua_State *L) {
    luaL_checkudata(L, 1, DATASET_MT);
    bind_refuse_free_in_use(L, "dataset", "data set");
    return d_release(L);
}

/* synth(kind, n, classes, noise) */
static int w_synth(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    int k = nn_synth_from_name(name);
    if (k < 0) luaL_argerror(L, 1, lua_pushfstring(L, "unknown data set '%s'", name));
    int n = (int)bind_checkint(L, 2, "n", 1, INT_MAX);
    int c = (int)bind_optint(L, 3, "classes", 0, 0, INT_MAX);
    float noise = (float)luaL_optnumber(L, 4, 0);
    bind_pushdataset(L, nn_synth(bind_ctx(L), (nn_synth_kind)k, n, c, noise));
    return 1;
}

/* The shape of one sample of t [n, ...] ([n] gives samples of one value). */
static int sample_shape(const nn_tensor *t, int *shape) {
    if (t->ndim < 2) {
        shape[0] = 1;
        return 1;
    }
    for (int i = 1; i < t->ndim; i++) shape[i - 1] = t->shape[i];
    return t->ndim - 1;
}

/* from(x, y [, classes]): a set from tensors x [n, ...] and y [n, ...] (copied); the
 * samples keep their shapes ([n] is n samples of one value) */
static int w_from(lua_State *L) {
    nn_tensor *x = bind_checktensor(L, 1), *y = bind_checktensor(L, 2);
    int classes = (int)bind_optint(L, 3, "classes", 0, 0, INT_MAX);
    int n = x->shape[0], xs[NN_MAX_DIMS], ys[NN_MAX_DIMS];
    int xnd = sample_shape(x, xs), ynd = sample_shape(y, ys);
    int ny = (int)(y->size / y->shape[0]);
    if (y->shape[0] != n) luaL_error(L, "data.from: x has %d rows and y %d", n, y->shape[0]);
    nn_dataset *d = nn_dataset_new_shaped(bind_ctx(L), n, xnd, xs, ynd, ys, classes);
    if (!d) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    nn_read(x, d->x);
    nn_read(y, d->y);
    if (classes > 0) /* one label a sample, or one a step (ny > 1) where -1 pads */
        for (int64_t i = 0; i < (int64_t)n * ny; i++) {
            float v = d->y[i];
            bool pad = ny > 1 && v == -1;
            if (pad || (v >= 0 && v < classes && v == (float)(int)v)) continue;
            nn_dataset_free(d);
            if (ny == 1)
                luaL_error(L, "data.from: label %f of row %d is not a class 0..%d", v, (int)i + 1,
                           classes - 1);
            luaL_error(L,
                       "data.from: label %f of row %d, step %d is not a class 0..%d (or -1 "
                       "for padding)",
                       v, (int)(i / ny) + 1, (int)(i % ny) + 1, classes - 1);
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
        col = (int)bind_checkint(L, 2, "label column", 1, INT_MAX) - 1;
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
                                (int)bind_optint(L, 3, "limit", 0, 0, INT_MAX));
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

/* n samples of the given shape as a new tensor [n, shape...] */
static void push_samples(lua_State *L, const float *v, int n, int ndim, const int *shape) {
    int full[NN_MAX_DIMS] = {n};
    for (int i = 0; i < ndim; i++) full[i + 1] = shape[i];
    bind_pushtensor(L, nn_from_array(bind_ctx(L), ndim + 1, full, v));
}

static int d_x(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    push_samples(L, d->x, d->n, d->x_ndim, d->x_shape);
    return 1;
}

static int d_y(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    push_samples(L, d->y, d->n, d->y_ndim, d->y_shape);
    return 1;
}

static void push_sizes(lua_State *L, int ndim, const int *shape) {
    lua_createtable(L, ndim, 0);
    for (int i = 0; i < ndim; i++) {
        lua_pushinteger(L, shape[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

/* d:reshape({sizes...} [, of_y]): gives the samples of x (or y) that shape, of as
 * many values (no copy) */
static int d_reshape(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    int n = (int)luaL_len(L, 2), shape[NN_MAX_DIMS] = {0};
    if (n < 1 || n > NN_MAX_DIMS - 1)
        luaL_argerror(
            L, 2,
            lua_pushfstring(L, "a sample's shape has 1 to %d sizes, got %d", NN_MAX_DIMS - 1, n));
    for (int i = 0; i < n; i++) {
        lua_geti(L, 2, i + 1);
        /* -1: the size the others leave; 2^32 + 2 must not wrap to a size of 2 */
        int ok;
        lua_Integer v = lua_tointegerx(L, -1, &ok);
        if (!ok || v < -1 || v > INT_MAX)
            luaL_argerror(L, 2,
                          lua_pushfstring(L, "size %d must be a whole number from -1 to %d, got %s",
                                          i + 1, INT_MAX, luaL_tolstring(L, -1, NULL)));
        shape[i] = (int)v;
        lua_pop(L, 1);
    }
    if (nn_dataset_reshape(bind_ctx(L), d, lua_toboolean(L, 3), n, shape))
        luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_settop(L, 1);
    return 1;
}

/* d:one_hot() -> [n, classes] tensor of the labels */
static int d_one_hot(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    if (d->classes < 1) luaL_error(L, "one_hot: the set has no classes (regression)");
    if (d->ny != 1)
        luaL_error(L, "one_hot: the set has %d labels a sample (one a step); one_hot takes one",
                   d->ny);
    float *buf = lua_newuserdatauv(L, (size_t)d->n * d->classes * sizeof(float), 0);
    if (nn_one_hot(bind_ctx(L), d->y, d->n, d->classes, buf))
        luaL_error(L, "%s", nn_error(bind_ctx(L)));
    push_matrix(L, buf, d->n, d->classes);
    return 1;
}

static int d_info(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, d->n);
    lua_setfield(L, -2, "n");
    push_sizes(L, d->x_ndim, d->x_shape);
    lua_setfield(L, -2, "shape");
    push_sizes(L, d->y_ndim, d->y_shape);
    lua_setfield(L, -2, "yshape");
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
    int first = (int)bind_checkint(L, 2, "first row", 1, d->n);
    int count = (int)bind_checkint(L, 3, "count", 1, d->n - first + 1);
    bind_pushdataset(L, nn_dataset_slice(bind_ctx(L), d, first - 1, count));
    return 1;
}

/* d:features(flags) -> a new set of Playground features */
static int d_features(lua_State *L) {
    nn_dataset *d = bind_checkdataset(L, 1);
    bind_pushdataset(L, nn_features(bind_ctx(L), d,
                                    (unsigned)bind_checkint(L, 2, "feature flags", 0, UINT_MAX)));
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
    else if (u->d->classes && u->d->ny > 1) /* a tagger's: one label a step */
        lua_pushfstring(L, "dataset (%d samples, %d features, %d classes at each of %d steps)",
                        u->d->n, u->d->nx, u->d->classes, u->d->ny);
    else if (u->d->x_ndim > 1) {
        char s[64];
        int at = snprintf(s, sizeof s, "[%d", u->d->x_shape[0]);
        for (int i = 1; i < u->d->x_ndim; i++)
            at += snprintf(s + at, sizeof s - (size_t)at, ", %d", u->d->x_shape[i]);
        snprintf(s + at, sizeof s - (size_t)at, "]");
        if (u->d->classes)
            lua_pushfstring(L, "dataset (%d samples of %s, %d classes)", u->d->n, s, u->d->classes);
        else
            lua_pushfstring(L, "dataset (%d samples of %s, %d targets)", u->d->n, s, u->d->ny);
    } else if (u->d->classes)
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
    {"reshape", d_reshape},
    {"scaler", d_scaler},
    {"scale", d_scale},
    {"free", d_free},
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
    lua_pushcfunction(L, d_free);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, d_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, d_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    return 1;
}
