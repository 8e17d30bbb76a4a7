/* bind_seq.c: the "nn.seq" module: the embedding and the recurrent layers (rnn, lstm,
 * gru) for Lua, and the views' readings of a recurrent layer (states and gates over
 * time, gradient norms back in time). The friendly API is lua/nn_seq.lua. */
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>

#include "bind.h"
#include "nn_train.h"

/* embedding(vocab, dim, padding): padding -1 for none */
static int s_embedding(lua_State *L) {
    int vocab = (int)bind_checkint(L, 1, "vocabulary size", 1, INT_MAX);
    int dim = (int)bind_checkint(L, 2, "size", 1, INT_MAX);
    int pad = (int)bind_checkint(L, 3, "padding id", -1, INT_MAX);
    bind_pushmodule(L, nn_embedding_new(bind_ctx(L), vocab, dim, pad));
    return 1;
}

/* rnn(cell, in, hidden, act, layers, bidirectional, all, mask, bptt, winit, wa, wb):
 * cell "rnn", "lstm" or "gru"; act "tanh" or "relu" */
static int s_rnn(lua_State *L) {
    static const char *cells[] = {"rnn", "lstm", "gru", NULL};
    static const char *acts[] = {"tanh", "relu", NULL};
    int cell = luaL_checkoption(L, 1, NULL, cells);
    int in = (int)bind_checkint(L, 2, "inputs", 1, INT_MAX);
    int hidden = (int)bind_checkint(L, 3, "units", 1, INT_MAX);
    int act = luaL_checkoption(L, 4, "tanh", acts);
    nn_rnn_opts o = {act ? NN_ACT_RELU : NN_ACT_TANH,
                     (int)bind_checkint(L, 5, "layers", 1, 64),
                     lua_toboolean(L, 6),
                     lua_toboolean(L, 7),
                     lua_toboolean(L, 8),
                     (int)bind_checkint(L, 9, "bptt", 0, INT_MAX)};
    const char *iname = luaL_checkstring(L, 10);
    int k = nn_init_from_name(iname);
    if (k < 0) luaL_argerror(L, 10, lua_pushfstring(L, "unknown initialiser '%s'", iname));
    nn_init w = {(nn_init_kind)k, (float)luaL_optnumber(L, 11, 0), (float)luaL_optnumber(L, 12, 0)};
    bind_pushmodule(L, nn_rnn_new(bind_ctx(L), (nn_cell_kind)cell, in, hidden, &o, w));
    return 1;
}

/* trace(m, what, layer, dir, sample): a [T, H] tensor of the last forward (1-based
 * layer, direction and sample) */
static int s_trace(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    const char *what = luaL_checkstring(L, 2);
    int layer = (int)bind_optint(L, 3, "layer", 1, 1, 64) - 1;
    int dir = (int)bind_optint(L, 4, "direction", 1, 1, 2) - 1;
    int sample = (int)bind_optint(L, 5, "sample", 1, 1, INT_MAX) - 1;
    nn_ctx *ctx = bind_ctx(L);
    int H = 0, T = nn_rnn_trace(m, what, layer, dir, sample, NULL, 0, &H);
    if (T < 0) return luaL_error(L, "%s", nn_error(ctx));
    int shape[2] = {T, H};
    nn_tensor *t = nn_zeros(ctx, 2, shape);
    if (t && nn_rnn_trace(m, what, layer, dir, sample, t->data, t->size, NULL) < 0) {
        nn_tensor_free(t);
        t = NULL;
    }
    bind_pushtensor(L, t);
    return 1;
}

/* grad_norms(m): {||dL/dh_1||, ..., ||dL/dh_T||} of the last backward */
static int s_grad_norms(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    float probe;
    int T = nn_rnn_grad_norms(m, &probe, 1);
    if (T < 0) return luaL_error(L, "%s", nn_error(bind_ctx(L)));
    float *v = lua_newuserdatauv(L, sizeof(float) * (size_t)T, 0);
    nn_rnn_grad_norms(m, v, T);
    lua_createtable(L, T, 0);
    for (int t = 0; t < T; t++) {
        lua_pushnumber(L, v[t]);
        lua_rawseti(L, -2, t + 1);
    }
    return 1;
}

static const luaL_Reg seq_fns[] = {
    {"embedding", s_embedding},   {"rnn", s_rnn}, {"trace", s_trace},
    {"grad_norms", s_grad_norms}, {NULL, NULL},
};

int bind_open_seq(lua_State *L) {
    luaL_newlib(L, seq_fns);
    return 1;
}
