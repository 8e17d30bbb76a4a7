/* bind_embed.c: "nn.embed", the engine's 2-D maps of many points (nn_embed.h) for
 * plot.features: pca(x, k) and tsne(x, {perplexity =, iterations =, seed =, method =,
 * theta =}) of a tensor x [n, d] of CPU floats. The results are new tensors; nothing
 * is kept here. */
#include <lauxlib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "nn.h"
#include "nn_embed.h"

/* x as n rows of d values; raises naming its shape when it is not 2-D on the CPU. */
static nn_tensor *check_points(lua_State *L, int arg, const char *who, int *n, int *d) {
    nn_tensor *x = bind_checktensor(L, arg);
    if (x->ndim != 2 || x->device != NN_CPU)
        luaL_error(L, "%s: expected points as a tensor [n, d] on the CPU, got %d dimensions", who,
                   x->ndim);
    *n = x->shape[0], *d = x->shape[1];
    return x;
}

/* pca(x, k) -> scores [n, k], components [k, d], variances {v1, ..., vk} */
static int w_pca(lua_State *L) {
    int n, d;
    nn_tensor *x = check_points(L, 1, "pca", &n, &d);
    int k = (int)bind_checkint(L, 2, "k (components)", 1, d);
    nn_ctx *ctx = bind_ctx(L);
    int so[2] = {n, k}, sc[2] = {k, d};
    bind_pushtensor(L, nn_zeros(ctx, 2, so)); /* owned by Lua before the work: no leak */
    bind_pushtensor(L, nn_zeros(ctx, 2, sc));
    nn_tensor *out = bind_checktensor(L, -2), *comps = bind_checktensor(L, -1);
    float *var = lua_newuserdatauv(L, sizeof *var * (size_t)k, 0);
    if (nn_pca(ctx, x->data, n, d, k, out->data, comps->data, var) != NN_OK)
        return luaL_error(L, "%s", nn_error(ctx));
    lua_createtable(L, k, 0);
    for (int c = 0; c < k; c++) {
        lua_pushnumber(L, var[c]);
        lua_rawseti(L, -2, c + 1);
    }
    lua_remove(L, -2); /* the scratch of variances */
    return 3;
}

/* tsne(x [, {perplexity = 30, iterations = 1000, seed = 0, method = "auto" | "exact" |
 * "barnes_hut", theta = 0.5}]) -> y [n, 2]; auto: exact up to 1000 points */
static int w_tsne(lua_State *L) {
    static const char *const methods[] = {"auto", "exact", "barnes_hut", NULL};
    int n, d;
    nn_tensor *x = check_points(L, 1, "tsne", &n, &d);
    nn_tsne_opts o = {.perplexity = 30, .iterations = 1000, .method = NN_TSNE_AUTO, .theta = 0.5};
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        if (lua_getfield(L, 2, "perplexity") != LUA_TNIL) o.perplexity = luaL_checknumber(L, -1);
        if (lua_getfield(L, 2, "iterations") != LUA_TNIL)
            o.iterations = (int)bind_checkint(L, -1, "iterations", 250, 100000);
        if (lua_getfield(L, 2, "seed") != LUA_TNIL)
            o.seed = (uint64_t)bind_checkint(L, -1, "seed", 0, INT64_MAX);
        if (lua_getfield(L, 2, "method") != LUA_TNIL) {
            const char *m = lua_tostring(L, -1);
            int k = 0;
            while (methods[k] && !(m && strcmp(m, methods[k]) == 0)) k++;
            if (!methods[k])
                return luaL_error(
                    L, "tsne: method must be \"auto\", \"exact\" or \"barnes_hut\", got %s",
                    m ? m : luaL_typename(L, -1));
            o.method = k; /* the order of NN_TSNE_AUTO, NN_TSNE_EXACT, NN_TSNE_BARNES_HUT */
        }
        if (lua_getfield(L, 2, "theta") != LUA_TNIL) {
            o.theta = luaL_checknumber(L, -1);
            if (!(o.theta > 0 && o.theta <= 1))
                return luaL_error(L, "tsne: theta %f: it must be above 0 and at most 1", o.theta);
        }
        lua_pop(L, 5);
    }
    nn_ctx *ctx = bind_ctx(L);
    int so[2] = {n, 2};
    bind_pushtensor(L, nn_zeros(ctx, 2, so));
    nn_tensor *out = bind_checktensor(L, -1);
    if (nn_tsne(ctx, x->data, n, d, &o, out->data) != NN_OK)
        return luaL_error(L, "%s", nn_error(ctx));
    return 1;
}

static const luaL_Reg funcs[] = {
    {"pca", w_pca},
    {"tsne", w_tsne},
    {NULL, NULL},
};

int bind_open_embed(lua_State *L) {
    luaL_newlib(L, funcs);
    return 1;
}
