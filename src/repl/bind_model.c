/* bind_model.c: the "nn.train" module: C modules (layers and containers), losses,
 * evaluation and model files, for Lua; the runs are bind_run.c's, added to the same
 * table. The friendly API (nn.linear, m:fit{...}, m:summary()) is lua/nn_train.lua.
 *
 * A module userdata ("nnlab.module") owns one reference to an engine module; a
 * container holds its children's references itself. */
#include <limits.h>
#include <lauxlib.h>
#include <string.h>

#include "bind.h"

#define MODULE_MT "nnlab.module"
#define KEEP_KEY  "nnlab.keepalive" /* weak-keyed: tensor userdata -> its module */

typedef struct {
    nn_module *m;
} module_ud;

/* ---- modules ------------------------------------------------------------------ */

nn_module *bind_checkmodule(lua_State *L, int arg) {
    module_ud *u = luaL_checkudata(L, arg, MODULE_MT);
    if (!u->m) luaL_argerror(L, arg, "module was freed");
    return u->m;
}

/* Pushes a userdata owning m (the caller's reference); NULL raises the engine error. */
static void pushmodule(lua_State *L, nn_module *m) {
    if (!m) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    module_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->m = NULL;
    luaL_setmetatable(L, MODULE_MT);
    u->m = m;
}

void bind_pushmodule(lua_State *L, nn_module *m) {
    pushmodule(L, m);
}

static int m_release(lua_State *L) {
    module_ud *u = luaL_checkudata(L, 1, MODULE_MT);
    nn_module_free(u->m);
    u->m = NULL;
    return 0;
}

/* m:free() and <close>: refused while a running fit trains m (the collector's __gc
 * comes only once no run holds m). */
static int m_free(lua_State *L) {
    luaL_checkudata(L, 1, MODULE_MT);
    bind_refuse_free_in_use(L, "module", "model");
    return m_release(L);
}

static nn_init checkinit(lua_State *L, int arg) {
    nn_init in = {NN_INIT_ZEROS, 0, 0};
    const char *name = luaL_checkstring(L, arg);
    int k = nn_init_from_name(name);
    if (k < 0) luaL_argerror(L, arg, lua_pushfstring(L, "unknown initialiser '%s'", name));
    in.kind = (nn_init_kind)k;
    in.a = (float)luaL_optnumber(L, arg + 1, 0);
    in.b = (float)luaL_optnumber(L, arg + 2, 0);
    return in;
}

/* linear(in, out, winit, wa, wb, binit, ba, bb) */
static int t_linear(lua_State *L) {
    int in = (int)bind_checkint(L, 1, "inputs", 1, INT_MAX);
    int out = (int)bind_checkint(L, 2, "outputs", 1, INT_MAX);
    nn_init w = checkinit(L, 3), b = checkinit(L, 6);
    pushmodule(L, nn_linear_new(bind_ctx(L), in, out, w, b));
    return 1;
}

static int t_activation(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    int k = nn_act_from_name(name);
    if (k < 0) luaL_argerror(L, 1, lua_pushfstring(L, "unknown activation '%s'", name));
    float a = (float)luaL_optnumber(L, 2, nn_act_default_arg((nn_act_kind)k));
    pushmodule(L, nn_activation_new(bind_ctx(L), (nn_act_kind)k, a));
    return 1;
}

/* prelu([features [, init]]): features 0 (the default) learns one shared slope. */
static int t_prelu(lua_State *L) {
    lua_Integer n = bind_optint(L, 1, "features (0: one shared slope)", 0, 0, INT_MAX);
    float init = (float)luaL_optnumber(L, 2, nn_act_default_arg(NN_ACT_PRELU));
    pushmodule(L, nn_prelu_new(bind_ctx(L), (int)n, init));
    return 1;
}

static int t_dropout(lua_State *L) {
    pushmodule(L, nn_dropout_new(bind_ctx(L), (float)luaL_checknumber(L, 1)));
    return 1;
}

static int t_batchnorm(lua_State *L) {
    int n = (int)bind_checkint(L, 1, "features", 1, INT_MAX);
    float mom = (float)luaL_optnumber(L, 2, 0.1), eps = (float)luaL_optnumber(L, 3, 1e-5);
    pushmodule(L, nn_batchnorm_new(bind_ctx(L), n, mom, eps));
    return 1;
}

static int t_sequential(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int n = (int)luaL_len(L, 1);
    if (n < 1) luaL_argerror(L, 1, "a sequential needs at least one module");
    nn_module **kids = lua_newuserdatauv(L, (size_t)n * sizeof *kids, 0); /* freed by GC */
    for (int i = 0; i < n; i++) {
        lua_geti(L, 1, i + 1);
        module_ud *u = luaL_testudata(L, -1, MODULE_MT);
        if (!u || !u->m)
            luaL_error(L, "sequential: item %d is not a built-in module (%s)", i + 1,
                       luaL_typename(L, -1));
        kids[i] = u->m;
        lua_pop(L, 1);
    }
    pushmodule(L, nn_sequential_new(bind_ctx(L), kids, n));
    return 1;
}

/* residual(f [, shortcut]) */
static int t_residual(lua_State *L) {
    nn_module *f = bind_checkmodule(L, 1),
              *s = lua_isnoneornil(L, 2) ? NULL : bind_checkmodule(L, 2);
    pushmodule(L, nn_residual_shortcut_new(bind_ctx(L), f, s));
    return 1;
}

/* concat{branches...} */
static int t_concat(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int n = (int)luaL_len(L, 1);
    if (n < 1 || n > 64) luaL_argerror(L, 1, "concat takes 1 to 64 branches");
    nn_module *kids[64];
    for (int i = 0; i < n; i++) {
        lua_geti(L, 1, i + 1);
        module_ud *u = luaL_testudata(L, -1, MODULE_MT);
        if (!u || !u->m)
            luaL_error(L, "concat: branch %d is not a built-in module (%s)", i + 1,
                       luaL_typename(L, -1));
        kids[i] = u->m;
        lua_pop(L, 1);
    }
    pushmodule(L, nn_concat_new(bind_ctx(L), kids, n));
    return 1;
}

static int t_dropout2d(lua_State *L) {
    pushmodule(L, nn_dropout2d_new(bind_ctx(L), (float)luaL_checknumber(L, 1)));
    return 1;
}

static int t_flatten(lua_State *L) {
    pushmodule(L, nn_flatten_new(bind_ctx(L)));
    return 1;
}

/* The window at args arg..arg+10: kh kw sh sw dh dw pt pb pl pr same (lua/nn.lua
 * reads the user's options into these). */
static nn_window checkwindow(lua_State *L, int arg) {
    static const char *what[] = {"kernel height", "kernel width", "stride",  "stride",  "dilation",
                                 "dilation",      "padding",      "padding", "padding", "padding"};
    int v[10];
    for (int i = 0; i < 10; i++)
        v[i] = (int)bind_checkint(L, arg + i, what[i], i < 6 ? 1 : 0, 4096);
    nn_window w = {v[0], v[1], v[2], v[3], v[4], v[5], {v[6], v[7], v[8], v[9]}, false};
    w.same = lua_toboolean(L, arg + 10);
    return w;
}

/* conv2d(in, out, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, same, groups, bias, winit,
 * wa, wb) */
static int t_conv2d(lua_State *L) {
    int in = (int)bind_checkint(L, 1, "in channels", 1, 1 << 20);
    int out = (int)bind_checkint(L, 2, "out channels", 1, 1 << 20);
    nn_window w = checkwindow(L, 3);
    int groups = (int)bind_checkint(L, 14, "groups", 1, 1 << 20);
    bool bias = lua_toboolean(L, 15);
    nn_init wi = checkinit(L, 16), zero = {NN_INIT_ZEROS, 0, 0};
    pushmodule(L, nn_conv2d_new(bind_ctx(L), in, out, &w, groups, bias, wi, zero));
    nn_conv2d_flip(bind_checkmodule(L, -1), lua_toboolean(L, 19)); /* flip: true convolution */
    return 1;
}

/* conv_transpose2d(in, out, kh, kw, sh, sw, dh, dw, ph, ph, pw, pw, oph, opw, groups,
 * bias, winit, wa, wb, same) */
static int t_conv_transpose2d(lua_State *L) {
    int in = (int)bind_checkint(L, 1, "in channels", 1, 1 << 20);
    int out = (int)bind_checkint(L, 2, "out channels", 1, 1 << 20);
    nn_window w = checkwindow(L, 3); /* its `same` (arg 13) is the output padding's height */
    w.same = false;
    int oph = (int)bind_checkint(L, 13, "output padding", 0, 4096);
    int opw = (int)bind_checkint(L, 14, "output padding", 0, 4096);
    int groups = (int)bind_checkint(L, 15, "groups", 1, 1 << 20);
    bool bias = lua_toboolean(L, 16);
    nn_init wi = checkinit(L, 17), zero = {NN_INIT_ZEROS, 0, 0};
    w.same = lua_toboolean(L, 20);
    pushmodule(L,
               nn_conv_transpose2d_new(bind_ctx(L), in, out, &w, oph, opw, groups, bias, wi, zero));
    return 1;
}

/* pool2d(kind, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, same): kind "max", "avg" or
 * "global_avg" (whose window is ignored) */
static int t_pool2d(lua_State *L) {
    static const char *kinds[] = {"max", "avg", "global_avg", NULL};
    int k = luaL_checkoption(L, 1, NULL, kinds);
    nn_window w = checkwindow(L, 2);
    pushmodule(L, nn_pool2d_new(bind_ctx(L), (nn_pool2d_kind)k, &w));
    return 1;
}

/* Reads a table of 1..NN_MAX_DIMS-1 whole sizes at arg into shape; returns the count. */
static int checksizes(lua_State *L, int arg, int *shape) {
    luaL_checktype(L, arg, LUA_TTABLE);
    int n = (int)luaL_len(L, arg);
    if (n < 1 || n > NN_MAX_DIMS - 1)
        luaL_argerror(
            L, arg,
            lua_pushfstring(L, "a sample's shape has 1 to %d sizes, got %d", NN_MAX_DIMS - 1, n));
    for (int i = 0; i < n; i++) {
        lua_geti(L, arg, i + 1);
        int at = lua_gettop(L); /* the name is pushed above it; 0 is the engine's to refuse */
        lua_Integer v = bind_checkint(L, at, lua_pushfstring(L, "size %d", i + 1), -1, INT_MAX);
        shape[i] = (int)v;
        lua_pop(L, 2); /* the name and the size */
    }
    return n;
}

/* reshape{sizes...}: each sample to that shape (one size may be -1) */
static int t_reshape(lua_State *L) {
    int shape[NN_MAX_DIMS];
    int n = checksizes(L, 1, shape);
    pushmodule(L, nn_reshape_new(bind_ctx(L), n, shape));
    return 1;
}

/* m:out_shape{sizes...} -> the output's sample shape for samples of that shape */
static int m_out_shape(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    int in[NN_MAX_DIMS], out[NN_MAX_DIMS];
    /* no sizes: what the module fixes by itself (a reshape's target), if anything */
    int n = lua_isnoneornil(L, 2) ? -1 : checksizes(L, 2, in + 1);
    in[0] = 1;
    int nd = nn_module_out_shape(m, n + 1, in, out);
    if (nd < 0) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    if (nd == 0) return 0; /* only a forward can tell */
    lua_createtable(L, nd - 1, 0);
    for (int i = 1; i < nd; i++) {
        lua_pushinteger(L, out[i]);
        lua_rawseti(L, -2, i);
    }
    return 1;
}

/* m:window() -> {kind =, kh =, kw =, sh =, sw =, dh =, dw =, pad = {t, b, l, r}, same =,
 * groups =} of a conv2d or pooling layer (kind "conv2d", "max", "avg", "global_avg"),
 * nil for other layers: what receptive fields are computed from. */
static int m_window(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    static const char *pools[] = {"max", "avg", "global_avg"};
    nn_window w;
    int groups = 1;
    nn_pool2d_kind pk;
    const char *kind;
    if (nn_conv2d_window(m, &w, &groups))
        kind = "conv2d";
    else if (nn_pool2d_window(m, &w, &pk))
        kind = pools[pk];
    else
        return 0;
    lua_createtable(L, 0, 10);
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    const char *names[] = {"kh", "kw", "sh", "sw", "dh", "dw"};
    const int vals[] = {w.kh, w.kw, w.sh, w.sw, w.dh, w.dw};
    for (int i = 0; i < 6; i++) {
        lua_pushinteger(L, vals[i]);
        lua_setfield(L, -2, names[i]);
    }
    lua_createtable(L, 4, 0);
    for (int i = 0; i < 4; i++) {
        lua_pushinteger(L, w.pad[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "pad");
    lua_pushboolean(L, w.same);
    lua_setfield(L, -2, "same");
    lua_pushinteger(L, groups);
    lua_setfield(L, -2, "groups");
    return 1;
}

/* m:forward(x): the graph path, so autograd sees it (x and the parameters). */
static int m_forward(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    nn_tensor *x = bind_checktensor(L, 2);
    bind_pushtensor(L, nn_module_graph(bind_ctx(L), m, x));
    return 1;
}

/* Pushes tensor t owned by module userdata at index mi, keeping the module alive. */
static void push_owned(lua_State *L, nn_tensor *t, int mi) {
    bind_pushtensor(L, nn_tensor_retain(t));
    if (lua_getfield(L, LUA_REGISTRYINDEX, KEEP_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, KEEP_KEY);
    }
    lua_pushvalue(L, -2);
    lua_pushvalue(L, mi);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Pushes the leaves of m with parameters into the table at index ti, from 1+*n. */
static void collect_params(lua_State *L, nn_module *m, int mi, int ti, int *n) {
    nn_module *kids[256];
    int nk = nn_module_children(m, kids, 256);
    if (nk == 0) {
        for (int i = 0; i < 2; i++) {
            nn_tensor *t = nn_module_param_tensor(m, i);
            if (!t) break;
            push_owned(L, t, mi);
            lua_rawseti(L, ti, ++*n);
        }
        return;
    }
    for (int i = 0; i < nk && i < 256; i++) collect_params(L, kids[i], mi, ti, n);
}

static int m_parameters(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    lua_newtable(L);
    int n = 0;
    collect_params(L, m, 1, lua_gettop(L), &n);
    nn_clear_error(bind_ctx(L));
    return 1;
}

/* m:param(i) -> tensor, name (i = 1 weight/gamma/alpha, 2 bias/beta) of a leaf; nil
 * when the module has no such parameter (an activation, a bias-free layer). */
static int m_param(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    int i = (int)bind_checkint(L, 2, "m:param: the index (1 weight, 2 bias)", 1, 2) - 1;
    const char *name;
    if (nn_module_param(m, i, &name, NULL, NULL, NULL, NULL) != NN_OK) {
        lua_pushnil(L);
        return 1;
    }
    nn_tensor *t = nn_module_param_tensor(m, i);
    if (!t) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    push_owned(L, t, 1);
    lua_pushstring(L, name);
    return 2;
}

static int m_children(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1), *kids[256];
    int n = nn_module_children(m, kids, 256);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n && i < 256; i++) {
        pushmodule(L, nn_module_retain(kids[i]));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

static int m_info(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    lua_createtable(L, 0, 9);
    lua_pushstring(L, nn_module_name(m));
    lua_setfield(L, -2, "name");
    lua_pushstring(L, nn_module_kind_name(m));
    lua_setfield(L, -2, "kind");
    lua_pushboolean(L, nn_module_is_container(m));
    lua_setfield(L, -2, "container");
    lua_pushinteger(L, nn_module_in(m));
    lua_setfield(L, -2, "inputs");
    lua_pushinteger(L, nn_module_out(m));
    lua_setfield(L, -2, "outputs");
    lua_pushinteger(L, (lua_Integer)nn_module_nparams(m));
    lua_setfield(L, -2, "nparams");
    lua_pushnumber(L, nn_module_arg(m));
    lua_setfield(L, -2, "arg");
    lua_pushboolean(L, nn_module_frozen(m));
    lua_setfield(L, -2, "frozen");
    return 1;
}

static int m_train(lua_State *L) {
    nn_module_train(bind_checkmodule(L, 1), lua_isnone(L, 2) || lua_toboolean(L, 2));
    lua_settop(L, 1);
    return 1;
}

/* training(m) -> whether m is in training mode (for lua/, not a method: m:train()
 * and m:eval() are the user's side). */
static int m_training(lua_State *L) {
    lua_pushboolean(L, nn_module_training(bind_checkmodule(L, 1)));
    return 1;
}

static int m_eval(lua_State *L) {
    nn_module_train(bind_checkmodule(L, 1), false);
    lua_settop(L, 1);
    return 1;
}

static int m_freeze(lua_State *L) {
    nn_module_freeze(bind_checkmodule(L, 1), lua_isnone(L, 2) || lua_toboolean(L, 2));
    lua_settop(L, 1);
    return 1;
}

static int m_unfreeze(lua_State *L) {
    nn_module_freeze(bind_checkmodule(L, 1), false);
    lua_settop(L, 1);
    return 1;
}

static int m_regularize(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    float l1 = (float)luaL_optnumber(L, 2, 0), l2 = (float)luaL_optnumber(L, 3, 0);
    if (l1 < 0 || l2 < 0)
        luaL_error(L, "regularize: l1 and l2 must be >= 0, got %f and %f", l1, l2);
    nn_module_regularize(m, l1, l2);
    lua_settop(L, 1);
    return 1;
}

static int m_penalty(lua_State *L) {
    lua_pushnumber(L, nn_module_penalty(bind_checkmodule(L, 1)));
    return 1;
}

static int m_zero_grad(lua_State *L) {
    nn_module_zero_grad(bind_checkmodule(L, 1));
    return 0;
}

static int m_nparams(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)nn_module_nparams(bind_checkmodule(L, 1)));
    return 1;
}

/* Batch norm's running mean and variance as two new tensors. */
static int m_running(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    float *r = nn_module_running(m);
    if (!r) return 0;
    int n = nn_module_out(m);
    bind_pushtensor(L, nn_from_array(bind_ctx(L), 1, &n, r));
    bind_pushtensor(L, nn_from_array(bind_ctx(L), 1, &n, r + n));
    return 2;
}

static int m_tostring(lua_State *L) {
    module_ud *u = luaL_checkudata(L, 1, MODULE_MT);
    if (!u->m) {
        lua_pushliteral(L, "module (freed)");
        return 1;
    }
    int in = nn_module_in(u->m), out = nn_module_out(u->m);
    char ins[16] = "any", outs[16] = "any"; /* 0: any width (a sequence's steps, say) */
    if (in) snprintf(ins, sizeof ins, "%d", in);
    if (out) snprintf(outs, sizeof outs, "%d", out);
    int np = (int)nn_module_nparams(u->m);
    if (in || out)
        lua_pushfstring(L, "%s (%s -> %s, %d parameters)", nn_module_name(u->m), ins, outs, np);
    else if (np) /* a conv or an embedding: its shapes depend on the input's */
        lua_pushfstring(L, "%s (%d parameters)", nn_module_name(u->m), np);
    else
        lua_pushfstring(L, "%s", nn_module_name(u->m));
    return 1;
}

/* ---- losses and evaluation ------------------------------------------------------ */

nn_loss_kind bind_checkloss(lua_State *L, int arg) {
    const char *name = luaL_checkstring(L, arg);
    int k = nn_loss_from_name(name);
    if (k < 0) luaL_argerror(L, arg, lua_pushfstring(L, "unknown loss '%s'", name));
    return (nn_loss_kind)k;
}

/* assign(dst, src): copies src's numbers into dst in place (same element count);
 * fit puts the best epoch's weights back into a Lua module's tensors with it. */
static int t_assign(lua_State *L) {
    nn_tensor *dst = bind_checktensor(L, 1), *src = bind_checktensor(L, 2);
    if (dst->size != src->size)
        luaL_error(L, "assign: %lld numbers into a tensor of %lld", (long long)src->size,
                   (long long)dst->size);
    if (dst->size) memcpy(dst->data, src->data, (size_t)dst->size * sizeof(float));
    return 0;
}

/* loss(name, y, t [, delta]) -> a [1] tensor in the graph */
static int t_loss(lua_State *L) {
    nn_loss_kind k = bind_checkloss(L, 1);
    nn_tensor *y = bind_checktensor(L, 2), *t = bind_checktensor(L, 3);
    bind_pushtensor(L, nn_loss_graph(bind_ctx(L), k, y, t, (float)luaL_optnumber(L, 4, 1.0)));
    return 1;
}

/* Pushes the confusion matrix cm (classes x classes) as rows of counts, then
 * {accuracy, precision, recall, f1} read from it as fit reports them. */
void bind_pushconfusion(lua_State *L, const int64_t *cm, int c) {
    lua_createtable(L, c, 0);
    for (int i = 0; i < c; i++) {
        lua_createtable(L, c, 0);
        for (int j = 0; j < c; j++) {
            lua_pushinteger(L, (lua_Integer)cm[(int64_t)i * c + j]);
            lua_rawseti(L, -2, j + 1);
        }
        lua_rawseti(L, -2, i + 1);
    }
    nn_metrics mt = nn_metrics_reported(cm, c);
    lua_createtable(L, 0, 4);
    lua_pushnumber(L, mt.accuracy);
    lua_setfield(L, -2, "accuracy");
    lua_pushnumber(L, mt.precision);
    lua_setfield(L, -2, "precision");
    lua_pushnumber(L, mt.recall);
    lua_setfield(L, -2, "recall");
    lua_pushnumber(L, mt.f1);
    lua_setfield(L, -2, "f1");
}

/* evaluate(m, data, loss [, delta]) -> loss, accuracy|nil, confusion|nil, metrics|nil
 * (no confusion over NN_CONFUSION_MAX_CLASSES classes) */
static int t_evaluate(lua_State *L) {
    bind_luamodel *lm;
    nn_module *m = bind_checkmodel(L, 1, &lm);
    nn_dataset *d = bind_checkdataset(L, 2);
    nn_loss_kind k = bind_checkloss(L, 3);
    float delta = (float)luaL_optnumber(L, 4, 1.0);
    lua_settop(L, 3);
    int c = d->classes;
    int64_t *cm = c > 0 && c <= NN_CONFUSION_MAX_CLASSES
                      ? lua_newuserdatauv(L, (size_t)c * c * sizeof(int64_t), 0)
                      : NULL;
    if (cm) memset(cm, 0, (size_t)c * c * sizeof(int64_t));
    double loss, acc;
    bind_lua_enter(L, lm);
    int rc = nn_evaluate(bind_ctx(L), m, d, k, delta, &loss, &acc, cm);
    bind_lua_leave(L, lm);
    if (rc) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_pushnumber(L, loss);
    if (c == 0) return 1;
    lua_pushnumber(L, acc);
    if (!cm) return 2; /* too many classes for a matrix: accuracy alone */
    bind_pushconfusion(L, cm, c);
    return 4;
}

/* predict(m, x) -> y (a new tensor, evaluation mode, no graph); the model keeps the
 * mode it had. */
static int t_predict(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    nn_tensor *x = bind_checktensor(L, 2);
    if (x->ndim < 2) luaL_argerror(L, 2, "expected [batch, features] or [batch, ...]");
    const float *y;
    int shape[NN_MAX_DIMS], nd = nn_module_out_shape(m, x->ndim, x->shape, shape);
    if (nd < 0) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    if (nd == 0)
        luaL_error(L, "predict: the output shape of %s is known only by running it",
                   nn_module_name(m));
    bool was = nn_module_training(m);
    nn_module_train(m, false);
    int rc = nn_module_forward(m, x->data, x->ndim, x->shape, &y);
    nn_module_train(m, was);
    if (rc) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    bind_pushtensor(L, nn_from_array(bind_ctx(L), nd, shape, y));
    return 1;
}

/* ---- files -------------------------------------------------------------------------- */

static int t_save(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    const char *path = luaL_checkstring(L, 2);
    nn_optim *o = lua_isnoneornil(L, 3) ? NULL : bind_checkoptim(L, 3);
    if (nn_model_save(bind_ctx(L), m, o, path)) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    return 0;
}

/* load(path) -> module, optimizer|nil; nil, message when the file is refused */
static int t_load(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    nn_optim *o = NULL;
    nn_module *m = nn_model_load(bind_ctx(L), path, &o);
    if (!m) {
        lua_pushnil(L);
        lua_pushstring(L, nn_error(bind_ctx(L)));
        return 2;
    }
    pushmodule(L, m);
    if (!o) return 1;
    bind_pushoptim(L, o, lua_gettop(L));
    return 2;
}

/* copy(m) -> a new module, a deep copy of m (weights, statistics, frozen flags) */
static int t_copy(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    nn_module *c = nn_model_copy(bind_ctx(L), m);
    if (!c) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    pushmodule(L, c);
    return 1;
}

static int t_names(lua_State *L) {
    lua_newtable(L);
    lua_newtable(L);
    for (int k = 0; k < NN_ACT_COUNT; k++) {
        lua_pushstring(L, nn_act_name((nn_act_kind)k));
        lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "activations");
    lua_newtable(L);
    for (int k = 0; k < NN_LOSS_COUNT; k++) {
        lua_pushstring(L, nn_loss_name((nn_loss_kind)k));
        lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "losses");
    lua_newtable(L);
    for (int k = 0; k < NN_INIT_COUNT; k++) {
        lua_pushstring(L, nn_init_name((nn_init_kind)k));
        lua_rawseti(L, -2, k + 1);
    }
    lua_setfield(L, -2, "inits");
    return 1;
}

static const luaL_Reg module_fns[] = {
    {"linear", t_linear},       {"activation", t_activation},
    {"prelu", t_prelu},         {"dropout", t_dropout},
    {"batchnorm", t_batchnorm}, {"sequential", t_sequential},
    {"residual", t_residual},   {"flatten", t_flatten},
    {"reshape", t_reshape},     {"conv2d", t_conv2d},
    {"pool2d", t_pool2d},       {"loss", t_loss},
    {"assign", t_assign},       {"evaluate", t_evaluate},
    {"training", m_training},   {"predict", t_predict},
    {"save", t_save},           {"load", t_load},
    {"names", t_names},         {NULL, NULL},
};

/* issue 13's layers */
static const luaL_Reg cnn_fns[] = {
    {"conv_transpose2d", t_conv_transpose2d},
    {"dropout2d", t_dropout2d},
    {"concat", t_concat},
    {"copy", t_copy},
    {NULL, NULL},
};

static const luaL_Reg module_methods[] = {
    {"forward", m_forward},
    {"parameters", m_parameters},
    {"param", m_param},
    {"children", m_children},
    {"info", m_info},
    {"train", m_train},
    {"eval", m_eval},
    {"freeze", m_freeze},
    {"unfreeze", m_unfreeze},
    {"regularize", m_regularize},
    {"penalty", m_penalty},
    {"zero_grad", m_zero_grad},
    {"nparams", m_nparams},
    {"running", m_running},
    {"out_shape", m_out_shape},
    {"free", m_free},
    {NULL, NULL},
};

/* A metatable named mt with __index = a table of methods, __gc and __close; leaves
 * the methods table on the stack. */
static void new_class(lua_State *L, const char *mt, const luaL_Reg *methods, lua_CFunction gc) {
    luaL_newmetatable(L, mt);
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__close");
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_remove(L, -2);
}

int bind_open_model(lua_State *L) {
    luaL_newlib(L, module_fns);
    luaL_setfuncs(L, cnn_fns, 0);
    new_class(L, MODULE_MT, module_methods, m_release);
    lua_pushcfunction(L, m_window); /* receptive fields, the explainer (lua/views_cnn.lua) */
    lua_setfield(L, -2, "window");
    luaL_getmetatable(L, MODULE_MT);
    lua_pushcfunction(L, m_forward);
    lua_setfield(L, -2, "__call");
    lua_pushcfunction(L, m_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, m_free);
    lua_setfield(L, -2, "__close");
    lua_pop(L, 1);
    lua_setfield(L, -2, "module_methods"); /* lua/nn_train.lua adds fit, summary */
    bind_open_run(L, lua_gettop(L));
    return 1;
}
