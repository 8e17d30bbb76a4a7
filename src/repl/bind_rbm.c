/* bind_rbm.c: "nn.rbm", the Lua binding of restricted Boltzmann machines (the
 * engine's rbm.c) and of the 8x8 digits loader (digits.c). Thin wrappers: check,
 * call, push. Batches are tensors [n, visible]; results are new tensors. Named
 * options, defaults, training loops, views and deep belief nets are lua/rbm.lua's. */
#include <lauxlib.h>
#include <string.h>

#include "bind.h"

#define RBM_MT   "nnlab.rbm"
#define MAX_UNIT 1000000 /* more units than this is a typo, not a model */

typedef struct {
    nn_rbm *r;
} rbm_handle;

static nn_rbm *check_rbm(lua_State *L, int arg) {
    rbm_handle *h = luaL_checkudata(L, arg, RBM_MT);
    if (!h->r) luaL_error(L, "rbm was freed");
    return h->r;
}

/* A tensor argument of `cols` columns (rows of a batch); the message names it. */
static nn_tensor *check_batch(lua_State *L, int arg, const char *fname, int cols,
                              const char *what) {
    nn_tensor *t = bind_checktensor(L, arg);
    int got = t->ndim == 1 ? (int)t->size : t->shape[t->ndim - 1];
    if (t->ndim > 2 || got != cols || t->size == 0)
        luaL_error(L, "%s: a batch [n, %d] of %s, got %s", fname, cols, what,
                   nn_shape_str(t, (char[64]){0}, 64));
    return t;
}

static int rows_of(const nn_tensor *t) {
    return t->ndim == 1 ? 1 : t->shape[0];
}

static nn_tensor *new_matrix(lua_State *L, int rows, int cols, const float *values) {
    int shape[2] = {rows, cols};
    nn_tensor *t =
        values ? nn_from_array(bind_ctx(L), 2, shape, values) : nn_zeros(bind_ctx(L), 2, shape);
    if (!t) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    return t;
}

/* new(visible, hidden, gaussian) -> rbm */
static int w_new(lua_State *L) {
    int nv = (int)bind_checkint(L, 1, "rbm: visible units", 1, MAX_UNIT);
    int nh = (int)bind_checkint(L, 2, "rbm: hidden units", 1, MAX_UNIT);
    bool gaussian = lua_toboolean(L, 3);
    rbm_handle *h = lua_newuserdatauv(L, sizeof *h, 0);
    h->r = NULL;
    luaL_setmetatable(L, RBM_MT);
    h->r = nn_rbm_new(bind_ctx(L), nv, nh, gaussian);
    if (!h->r) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    return 1;
}

/* digits(path) -> data set, or nil and the message */
static int w_digits(lua_State *L) {
    nn_dataset *d = nn_digits_load(bind_ctx(L), luaL_checkstring(L, 1));
    if (!d) {
        luaL_pushfail(L);
        lua_pushstring(L, nn_error(bind_ctx(L)));
        return 2;
    }
    bind_pushdataset(L, d);
    return 1;
}

/* r:cd(x, k, lr, persistent) -> reconstruction error before the update */
static int r_cd(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    nn_tensor *x = check_batch(L, 2, "rbm:cd", r->nv, "visible values");
    int k = (int)bind_checkint(L, 3, "rbm:cd: k (Gibbs steps)", 1, 10000);
    float lr = (float)luaL_checknumber(L, 4);
    double recon;
    if (nn_rbm_cd(r, bind_ctx(L), x->data, rows_of(x), k, lr, lua_toboolean(L, 5), &recon) != NN_OK)
        luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_pushnumber(L, recon);
    return 1;
}

/* r:free_energy(x) -> tensor [n, 1] */
static int r_free_energy(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    nn_tensor *x = check_batch(L, 2, "rbm:free_energy", r->nv, "visible values");
    nn_tensor *f = new_matrix(L, rows_of(x), 1, NULL);
    bind_pushtensor(L, f);
    if (nn_rbm_free_energy(r, bind_ctx(L), x->data, rows_of(x), f->data) != NN_OK)
        luaL_error(L, "%s", nn_error(bind_ctx(L)));
    return 1;
}

/* r:hidden(x) -> p(h=1|x) [n, nh] */
static int r_hidden(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    nn_tensor *x = check_batch(L, 2, "rbm:hidden", r->nv, "visible values");
    nn_tensor *h = new_matrix(L, rows_of(x), r->nh, NULL);
    bind_pushtensor(L, h);
    nn_rbm_hidden(r, bind_ctx(L), x->data, rows_of(x), h->data);
    return 1;
}

/* r:visible(h) -> E[v|h] [n, nv] */
static int r_visible(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    nn_tensor *h = check_batch(L, 2, "rbm:visible", r->nh, "hidden values");
    nn_tensor *v = new_matrix(L, rows_of(h), r->nv, NULL);
    bind_pushtensor(L, v);
    nn_rbm_visible(r, bind_ctx(L), h->data, rows_of(h), v->data);
    return 1;
}

/* r:gibbs(x, k, mean_last) -> a new tensor [n, nv] after k steps from x */
static int r_gibbs(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    nn_tensor *x = check_batch(L, 2, "rbm:gibbs", r->nv, "visible values");
    int k = (int)bind_checkint(L, 3, "rbm:gibbs: k (Gibbs steps)", 1, 100000);
    nn_tensor *v = new_matrix(L, rows_of(x), r->nv, x->data);
    bind_pushtensor(L, v);
    if (nn_rbm_gibbs(r, bind_ctx(L), v->data, rows_of(x), k, lua_toboolean(L, 4)) != NN_OK)
        luaL_error(L, "%s", nn_error(bind_ctx(L)));
    return 1;
}

/* r:pseudo_likelihood(x) -> mean log pseudo-likelihood of the rows */
static int r_pseudo_likelihood(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    nn_tensor *x = check_batch(L, 2, "rbm:pseudo_likelihood", r->nv, "binary visible values");
    double pl;
    if (nn_rbm_pseudo_likelihood(r, bind_ctx(L), x->data, rows_of(x), &pl) != NN_OK)
        luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_pushnumber(L, pl);
    return 1;
}

/* r:params() -> copies of W [nv, nh], b [1, nv], c [1, nh] */
static int r_params(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    bind_pushtensor(L, new_matrix(L, r->nv, r->nh, r->w));
    bind_pushtensor(L, new_matrix(L, 1, r->nv, r->b));
    bind_pushtensor(L, new_matrix(L, 1, r->nh, r->c));
    return 3;
}

/* r:set_params(W, b, c): copies the numbers in (each of the right count) */
static int r_set_params(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    float *dst[3] = {r->w, r->b, r->c};
    int64_t want[3] = {(int64_t)r->nv * r->nh, r->nv, r->nh};
    const char *name[3] = {"W", "b", "c"};
    for (int i = 0; i < 3; i++) {
        nn_tensor *t = bind_checktensor(L, 2 + i);
        if (t->size != want[i])
            luaL_error(L, "rbm:set_params: %s needs %I numbers, got %I", name[i],
                       (lua_Integer)want[i], (lua_Integer)t->size);
    }
    for (int i = 0; i < 3; i++)
        memcpy(dst[i], bind_checktensor(L, 2 + i)->data, (size_t)want[i] * sizeof(float));
    return 0;
}

/* r:info() -> visible, hidden, gaussian */
static int r_info(lua_State *L) {
    nn_rbm *r = check_rbm(L, 1);
    lua_pushinteger(L, r->nv);
    lua_pushinteger(L, r->nh);
    lua_pushboolean(L, r->gaussian);
    return 3;
}

static int r_release(lua_State *L) {
    rbm_handle *h = luaL_checkudata(L, 1, RBM_MT);
    nn_rbm_free(h->r);
    h->r = NULL;
    return 0;
}

static int r_tostring(lua_State *L) {
    rbm_handle *h = luaL_checkudata(L, 1, RBM_MT);
    if (!h->r)
        lua_pushliteral(L, "rbm (freed)");
    else
        lua_pushfstring(L, "rbm %d visible (%s) x %d hidden", h->r->nv,
                        h->r->gaussian ? "gaussian" : "binary", h->r->nh);
    return 1;
}

/* One table of functions taking the RBM first (r.cd(rbm, ...)): lua/rbm.lua's RBM
 * class is what users hold and what help documents; the handle has no methods. */
static const luaL_Reg functions[] = {
    {"new", w_new},       {"digits", w_digits},
    {"cd", r_cd},         {"free_energy", r_free_energy},
    {"hidden", r_hidden}, {"visible", r_visible},
    {"gibbs", r_gibbs},   {"pseudo_likelihood", r_pseudo_likelihood},
    {"params", r_params}, {"set_params", r_set_params},
    {"info", r_info},     {"free", r_release},
    {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
    {"__gc", r_release},
    {"__close", r_release},
    {"__tostring", r_tostring},
    {NULL, NULL},
};

int bind_open_rbm(lua_State *L) {
    luaL_newmetatable(L, RBM_MT);
    luaL_setfuncs(L, metamethods, 0);
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    return 1;
}
