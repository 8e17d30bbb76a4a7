/* bind_tensor.c: the "nn.core" module: tensors and their ops for Lua, plus the
 * helpers every binding shares (bind_ctx, bind_checktensor, bind_pushtensor).
 *
 * A tensor userdata owns one reference to an engine tensor; __gc, __close and
 * :free() share release(), which sets the pointer to NULL so later use raises
 * "tensor was freed". Indices and axes are 1-based here and 0-based in the engine;
 * negative axes count from the end in both. Layers, losses and training are bound
 * elsewhere (bind_model.c ...). */
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "repl.h"

#define TENSOR_MT    "nnlab.tensor"
#define CTX_KEY      "nnlab.ctx"
#define PRINT_EDGE   3                  /* items shown at each end of an abbreviated axis */
#define PRINT_THRESH 1000               /* tensors with more elements print abbreviated, as NumPy */
#define MAX_ELEMENTS ((int64_t)1 << 40) /* the engine's bound too (nn_check_shape) */

typedef struct {
    nn_tensor *t;
} tensor_ud;

/* ---- the context ---------------------------------------------------------------- */

static int ctx_gc(lua_State *L) {
    nn_ctx **c = lua_touserdata(L, 1);
    nn_ctx_free(*c);
    *c = NULL;
    return 0;
}

/* The context lives in a userdata in the registry, made before any tensor; Lua runs
 * finalizers in reverse order of creation, so at lua_close every tensor is released
 * before the context goes. */
nn_ctx *bind_ctx(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, CTX_KEY) == LUA_TUSERDATA) {
        nn_ctx *ctx = *(nn_ctx **)lua_touserdata(L, -1);
        lua_pop(L, 1);
        return ctx;
    }
    lua_pop(L, 1);
    nn_ctx **c = lua_newuserdatauv(L, sizeof *c, 0);
    *c = NULL;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, ctx_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    *c = nn_ctx_new();
    if (!*c) luaL_error(L, "nn: out of memory creating the engine context");
    lua_setfield(L, LUA_REGISTRYINDEX, CTX_KEY);
    return *c;
}

/* ---- tensor userdata --------------------------------------------------------------- */

nn_tensor *bind_checktensor(lua_State *L, int arg) {
    tensor_ud *u = luaL_checkudata(L, arg, TENSOR_MT);
    if (!u->t) luaL_argerror(L, arg, "tensor was freed");
    return u->t;
}

static nn_tensor *totensor(lua_State *L, int arg) {
    tensor_ud *u = luaL_testudata(L, arg, TENSOR_MT);
    if (u && !u->t) luaL_argerror(L, arg, "tensor was freed");
    return u ? u->t : NULL;
}

/* The collector sees only the small userdata, not the tensor's record and data
 * that the engine allocated: without help a loop of 40 KB tensors grows past a GB
 * before Lua's own heap has doubled once. So each new handle tells the collector
 * what it holds: LUA_GCSTEP with n counts as n KB allocated, which advances the
 * collection (and brings the next cycle nearer) without changing what Lua reports
 * as its heap. Chosen over allocating the data inside the userdata, which would
 * change who owns tensor memory in the engine. */
#define TENSOR_RECORD_BYTES 256       /* the engine's record and the allocator's overhead */
#define GC_STEP_MAX_KB      (1 << 20) /* one step's charge is capped (lua_gc takes an int) */

static void account_tensor(lua_State *L, const nn_tensor *t) {
    int64_t kb = (t->size * (int64_t)sizeof(float) + TENSOR_RECORD_BYTES + 1023) / 1024;
    lua_gc(L, LUA_GCSTEP, (int)(kb < GC_STEP_MAX_KB ? kb : GC_STEP_MAX_KB));
}

/* The userdata gets its metatable before it owns t, so __gc always finds a valid
 * (possibly NULL) pointer. An arena tensor (a step's result) is pushed as a copy. */
static int new_tensor_ud(lua_State *L) {
    tensor_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->t = NULL;
    luaL_setmetatable(L, TENSOR_MT);
    return 1;
}

void bind_pushtensor(lua_State *L, nn_tensor *t) {
    if (!t) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    if (nn_tensor_in_arena(t)) { /* Lua handles never point into the arena: it is reset each step */
        t = nn_copy(bind_ctx(L), t);
        if (!t) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    }
    if (repl_memory_limited(L)) { /* the handle's allocation may fail: t must not leak */
        lua_pushcfunction(L, new_tensor_ud);
        if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
            nn_tensor_free(t);
            lua_error(L);
        }
    } else {
        new_tensor_ud(L);
    }
    tensor_ud *u = lua_touserdata(L, -1);
    u->t = t;
    account_tensor(L, t);
    repl_interrupt_point(L); /* an op boundary: Ctrl-C stops a loop of long ops here */
}

static int release(lua_State *L) {
    tensor_ud *u = luaL_checkudata(L, 1, TENSOR_MT);
    nn_tensor_free(u->t);
    u->t = NULL;
    return 0;
}

/* ---- argument helpers ---------------------------------------------------------------- */

/* The size of dimension dim (1-based) of a shape, from the value at idx; arg is
 * the argument the message names. A size is an integer from 1 to INT_MAX (the
 * engine's shapes are int), or -1 when infer is true (reshape's "the rest"). */
static int checksize(lua_State *L, int arg, int idx, int dim, bool infer) {
    int ok;
    lua_Integer v = lua_tointegerx(L, idx, &ok);
    if (!ok) {
        if (lua_type(L, idx) == LUA_TNUMBER)
            luaL_argerror(
                L, arg,
                lua_pushfstring(L, "size %d is %f, not an integer", dim, lua_tonumber(L, idx)));
        luaL_argerror(
            L, arg,
            lua_pushfstring(L, "size %d is a %s, not an integer", dim, luaL_typename(L, idx)));
    }
    if ((v < 1 && !(infer && v == -1)) || v > INT_MAX)
        luaL_argerror(L, arg,
                      lua_pushfstring(L, "size %d is %I; sizes are 1 to %d%s", dim, v, INT_MAX,
                                      infer ? " (or -1 for the rest)" : ""));
    return (int)v;
}

/* Refuses a shape of more than MAX_ELEMENTS elements, naming the count. */
static void checkcount(lua_State *L, int arg, int n, const int *shape) {
    int64_t count = 1;
    for (int i = 0; i < n; i++) {
        int64_t d = shape[i] < 0 ? 1 : shape[i]; /* -1: reshape infers it */
        if (count > MAX_ELEMENTS / d) {
            double total = 1;
            for (int k = 0; k < n; k++) total *= shape[k] < 0 ? 1 : shape[k];
            if (total < 0x1p63)
                lua_pushfstring(L, "%I", (lua_Integer)total);
            else
                lua_pushfstring(L, "%f", total);
            luaL_argerror(L, arg,
                          lua_pushfstring(L, "%s elements are too many (at most %I)",
                                          lua_tostring(L, -1), (lua_Integer)MAX_ELEMENTS));
        }
        count *= d;
    }
}

/* A shape from a table {2, 3} at arg, or from the integers arg..top; -1 allowed
 * for one size when infer is true. */
static int checkshape_x(lua_State *L, int arg, int *shape, bool infer) {
    int n;
    if (lua_istable(L, arg)) {
        lua_Integer len = luaL_len(L, arg);
        if (len < 1 || len > NN_MAX_DIMS)
            luaL_argerror(
                L, arg, lua_pushfstring(L, "a shape has 1 to %d sizes, not %I", NN_MAX_DIMS, len));
        n = (int)len;
        for (int i = 0; i < n; i++) {
            lua_geti(L, arg, i + 1);
            shape[i] = checksize(L, arg, -1, i + 1, infer);
            lua_pop(L, 1);
        }
    } else {
        n = lua_gettop(L) - arg + 1;
        if (n < 1 || n > NN_MAX_DIMS)
            luaL_argerror(L, arg, "expected a shape: a table {2, 3} or sizes 2, 3");
        for (int i = 0; i < n; i++) shape[i] = checksize(L, arg + i, arg + i, i + 1, infer);
    }
    checkcount(L, arg, n, shape);
    return n;
}

static int checkshape(lua_State *L, int arg, int *shape) {
    return checkshape_x(L, arg, shape, false);
}

/* A 1-based axis of t (negative counts from the end) at arg, as the engine's 0-based
 * one; nil gives def. Checked here so that messages use the numbers the user typed. */
static int checkaxis(lua_State *L, int arg, const nn_tensor *t, int def) {
    if (lua_isnoneornil(L, arg)) return def;
    lua_Integer a = luaL_checkinteger(L, arg);
    if (a == 0) luaL_argerror(L, arg, "axes count from 1 (or from -1 at the end)");
    if (a > t->ndim || a < -t->ndim) {
        char s[64];
        luaL_argerror(
            L, arg,
            lua_pushfstring(L, "axis %d is out of range for shape %s (1 to %d, or -1 to -%d)",
                            (int)a, nn_shape_str(t, s, sizeof s), t->ndim, t->ndim));
    }
    return a > 0 ? (int)a - 1 : (int)a;
}

static nn_tensor *check_result(lua_State *L, nn_tensor *t) {
    if (!t) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    return t;
}

/* ---- makers ------------------------------------------------------------------------ */

/* Reads a nested table of numbers: the first pass finds the shape along the first
 * elements, the second checks every row against it and copies values. */
static void nested_shape(lua_State *L, int idx, int *ndim, int *shape) {
    *ndim = 0;
    lua_pushvalue(L, idx);
    while (lua_istable(L, -1)) {
        if (*ndim == NN_MAX_DIMS)
            luaL_error(L, "nn.tensor: more than %d levels of nesting", NN_MAX_DIMS);
        int n = (int)luaL_len(L, -1);
        if (n < 1) luaL_error(L, "nn.tensor: an empty table at level %d", *ndim + 1);
        shape[(*ndim)++] = n;
        lua_geti(L, -1, 1);
        lua_remove(L, -2);
    }
    lua_pop(L, 1);
}

/* Writes "t[2][1]" for the first `depth` indices of path into buf; with no path,
 * the first entry at that depth ("t[1][1]"), the one the shape was read from. */
static const char *index_path(char *buf, size_t size, const int *path, int depth) {
    size_t used = (size_t)snprintf(buf, size, "t");
    for (int d = 0; d < depth && used < size; d++)
        used += (size_t)snprintf(buf + used, size - used, "[%d]", path ? path[d] : 1);
    return buf;
}

/* path holds the index taken at each level above this one, so that a ragged or
 * wrong entry is named where the user wrote it: "t[2] holds 1 number, t[1] holds 2". */
static void nested_fill(lua_State *L, int level, int ndim, const int *shape, float *out,
                        int64_t *pos, int *path) {
    /* the table is on top */
    const char *what = level + 1 < ndim ? "tables" : "numbers";
    char here[96], first[96];
    if (!lua_istable(L, -1))
        luaL_error(L, "nn.tensor: ragged table: %s is a %s, where %s holds a table of %d %s",
                   index_path(here, sizeof here, path, level), luaL_typename(L, -1),
                   index_path(first, sizeof first, NULL, level), shape[level], what);
    int n = (int)luaL_len(L, -1);
    if (n != shape[level]) {
        char msg[256]; /* lua_pushfstring has no %.*s: "1 number", "3 numbers" */
        snprintf(msg, sizeof msg, "nn.tensor: ragged table: %s holds %d %.*s, but %s holds %d",
                 index_path(here, sizeof here, path, level), n, (int)strlen(what) - (n == 1), what,
                 index_path(first, sizeof first, NULL, level), shape[level]);
        luaL_error(L, "%s", msg);
    }
    for (int i = 1; i <= shape[level]; i++) {
        lua_geti(L, -1, i);
        path[level] = i;
        if (level + 1 < ndim && level + 1 < NN_MAX_DIMS) { /* 2nd test: -O3 sees the bound */
            nested_fill(L, level + 1, ndim, shape, out, pos, path);
        } else {
            int ok;
            lua_Number v = lua_tonumberx(L, -1, &ok);
            if (!ok)
                luaL_error(L, "nn.tensor: %s is a %s, not a number",
                           index_path(here, sizeof here, path, level + 1), luaL_typename(L, -1));
            out[(*pos)++] = (float)v;
        }
        lua_pop(L, 1);
    }
}

static int nn_tensor_l(lua_State *L) {
    nn_ctx *ctx = bind_ctx(L);
    if (lua_isnumber(L, 1)) {
        float v = (float)lua_tonumber(L, 1);
        bind_pushtensor(L, nn_from_array(ctx, 1, (int[]){1}, &v));
        return 1;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    int ndim, shape[NN_MAX_DIMS];
    nested_shape(L, 1, &ndim, shape);
    nn_tensor *t = check_result(L, nn_zeros(ctx, ndim, shape));
    bind_pushtensor(L, t); /* owned by Lua before reading, so an error frees it */
    int64_t pos = 0;
    lua_pushvalue(L, 1);
    int path[NN_MAX_DIMS] = {0};
    nested_fill(L, 0, ndim, shape, t->data, &pos, path);
    lua_pop(L, 1);
    return 1;
}

static int nn_zeros_l(lua_State *L) {
    int shape[NN_MAX_DIMS], n = checkshape(L, 1, shape);
    bind_pushtensor(L, nn_zeros(bind_ctx(L), n, shape));
    return 1;
}

static int nn_ones_l(lua_State *L) {
    int shape[NN_MAX_DIMS], n = checkshape(L, 1, shape);
    bind_pushtensor(L, nn_ones(bind_ctx(L), n, shape));
    return 1;
}

static int nn_full_l(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int shape[NN_MAX_DIMS], n = checkshape(L, 1, shape);
    float v = (float)luaL_checknumber(L, 2);
    bind_pushtensor(L, nn_full(bind_ctx(L), n, shape, v));
    return 1;
}

/* arange(n) is 0..n-1; arange(start, stop [, step]) as NumPy. */
static int nn_arange_l(lua_State *L) {
    float a = (float)luaL_checknumber(L, 1);
    float start = 0, stop = a, step = 1;
    if (!lua_isnoneornil(L, 2)) {
        start = a;
        stop = (float)luaL_checknumber(L, 2);
        step = (float)luaL_optnumber(L, 3, 1);
    }
    bind_pushtensor(L, nn_arange(bind_ctx(L), start, stop, step));
    return 1;
}

static int nn_linspace_l(lua_State *L) {
    float a = (float)luaL_checknumber(L, 1), b = (float)luaL_checknumber(L, 2);
    lua_Integer n = bind_checkint(L, 3, "count", 1, INT_MAX);
    bind_pushtensor(L, nn_linspace(bind_ctx(L), a, b, (int)n));
    return 1;
}

/* rand{2,3} / rand(2,3) / rand({2,3}, lo, hi); randn likewise with mean, std. */
static int random_maker(lua_State *L, bool normal) {
    int shape[NN_MAX_DIMS], n;
    float p1 = 0.0f, p2 = 1.0f; /* [0, 1) or mean 0, std 1 */
    if (lua_istable(L, 1)) {
        n = checkshape(L, 1, shape);
        p1 = (float)luaL_optnumber(L, 2, p1);
        p2 = (float)luaL_optnumber(L, 3, p2);
    } else {
        n = checkshape(L, 1, shape);
    }
    nn_ctx *ctx = bind_ctx(L);
    bind_pushtensor(L, normal ? nn_randn(ctx, n, shape, p1, p2) : nn_rand(ctx, n, shape, p1, p2));
    return 1;
}

static int nn_rand_l(lua_State *L) {
    return random_maker(L, false);
}

static int nn_randn_l(lua_State *L) {
    return random_maker(L, true);
}

static int nn_seed_l(lua_State *L) {
    nn_seed(bind_ctx(L), (uint64_t)luaL_checkinteger(L, 1));
    return 0;
}

/* no_grad(fn, ...): fn(...) with recording off; the mode comes back even on error. */
static int nn_no_grad_l(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    nn_ctx *ctx = bind_ctx(L);
    bool was = nn_set_grad_enabled(ctx, false);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    nn_set_grad_enabled(ctx, was);
    if (status != LUA_OK) return lua_error(L);
    return lua_gettop(L);
}

static void push_shape(lua_State *L, const nn_tensor *t);

/* graph(t): nodes in topological order, {id, op, shape, inputs = {ids},
 * requires_grad, name}; ids are positions in the list. */
static int nn_graph_l(lua_State *L) {
    nn_tensor *root = bind_checktensor(L, 1);
    nn_ctx *ctx = bind_ctx(L);
    int n = nn_graph(ctx, root, NULL, 0);
    if (n < 0) return luaL_error(L, "%s", nn_error(ctx));
    nn_tensor **nodes = lua_newuserdatauv(L, (size_t)n * sizeof *nodes, 0);
    nn_graph(ctx, root, nodes, n);
    int buf = lua_gettop(L);
    lua_createtable(L, 0, n); /* pointer -> id */
    int ids = lua_gettop(L);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        nn_tensor *t = nodes[i];
        lua_pushlightuserdata(L, t);
        lua_pushinteger(L, i + 1);
        lua_rawset(L, ids);
        lua_createtable(L, 0, 6);
        lua_pushinteger(L, i + 1);
        lua_setfield(L, -2, "id");
        lua_pushstring(L, nn_op_name(nn_tensor_op(t)));
        lua_setfield(L, -2, "op");
        push_shape(L, t);
        lua_setfield(L, -2, "shape");
        lua_newtable(L);
        for (int k = 0, m = 0; k < NN_MAX_INPUTS; k++) {
            if (!nn_tensor_input(t, k)) continue;
            lua_pushlightuserdata(L, nn_tensor_input(t, k));
            lua_rawget(L, ids);
            lua_rawseti(L, -2, ++m);
        }
        lua_setfield(L, -2, "inputs");
        lua_pushboolean(L, t->requires_grad);
        lua_setfield(L, -2, "requires_grad");
        if (t->name) {
            lua_pushstring(L, t->name);
            lua_setfield(L, -2, "name");
        }
        lua_rawseti(L, -2, i + 1);
    }
    lua_replace(L, buf);
    lua_settop(L, buf);
    return 1;
}

/* ---- methods: ops --------------------------------------------------------------------- */

/* a (op) b where either may be a number: the scalar ops cover numbers, so no
 * temporary tensor is made. Returns the new tensor (not yet pushed). */
enum arith { AR_ADD, AR_SUB, AR_MUL, AR_DIV, AR_POW };

static nn_tensor *arith(lua_State *L, enum arith op) {
    nn_ctx *ctx = bind_ctx(L);
    nn_tensor *a = totensor(L, 1), *b = totensor(L, 2);
    if (a && b) {
        switch (op) {
        case AR_ADD:
            return nn_add(ctx, a, b);
        case AR_SUB:
            return nn_sub(ctx, a, b);
        case AR_MUL:
            return nn_mul(ctx, a, b);
        case AR_DIV:
            return nn_div(ctx, a, b);
        case AR_POW:
            luaL_error(L, "pow: the exponent must be a number, not a tensor");
            return NULL;
        }
    }
    if (a) {
        float s = (float)luaL_checknumber(L, 2);
        switch (op) {
        case AR_ADD:
            return nn_add_scalar(ctx, a, s);
        case AR_SUB:
            return nn_add_scalar(ctx, a, -s);
        case AR_MUL:
            return nn_scale(ctx, a, s);
        case AR_DIV:
            return nn_scale(ctx, a, 1.0f / s);
        case AR_POW:
            return nn_pow(ctx, a, s);
        }
    }
    /* number (op) tensor */
    b = bind_checktensor(L, 2);
    float s = (float)luaL_checknumber(L, 1);
    nn_tensor *tmp = NULL, *r = NULL;
    switch (op) {
    case AR_ADD:
        return nn_add_scalar(ctx, b, s);
    case AR_MUL:
        return nn_scale(ctx, b, s);
    case AR_SUB: /* s - b = (-b) + s */
        tmp = nn_neg(ctx, b);
        r = tmp ? nn_add_scalar(ctx, tmp, s) : NULL;
        break;
    case AR_DIV: /* s / b = s * b^-1 */
        tmp = nn_pow(ctx, b, -1.0f);
        r = tmp ? nn_scale(ctx, tmp, s) : NULL;
        break;
    case AR_POW: /* s^b = e^(b ln s) */
        if (!(s > 0)) luaL_error(L, "pow: %f ^ tensor needs a positive base", (double)s);
        tmp = nn_scale(ctx, b, logf(s));
        r = tmp ? nn_exp(ctx, tmp) : NULL;
        break;
    }
    nn_tensor_free(tmp); /* r keeps it when it is in a graph */
    return r;
}

static int m_add(lua_State *L) {
    bind_pushtensor(L, arith(L, AR_ADD));
    return 1;
}
static int m_sub(lua_State *L) {
    bind_pushtensor(L, arith(L, AR_SUB));
    return 1;
}
static int m_mul(lua_State *L) {
    bind_pushtensor(L, arith(L, AR_MUL));
    return 1;
}
static int m_div(lua_State *L) {
    bind_pushtensor(L, arith(L, AR_DIV));
    return 1;
}
static int m_pow(lua_State *L) {
    bind_pushtensor(L, arith(L, AR_POW));
    return 1;
}

static int m_scale(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    bind_pushtensor(L, nn_scale(bind_ctx(L), a, (float)luaL_checknumber(L, 2)));
    return 1;
}

typedef nn_tensor *(*unary_fn)(nn_ctx *, nn_tensor *);

static int unary(lua_State *L, unary_fn f) {
    nn_tensor *a = bind_checktensor(L, 1);
    bind_pushtensor(L, f(bind_ctx(L), a));
    return 1;
}

static int m_neg(lua_State *L) {
    return unary(L, nn_neg);
}
static int m_exp(lua_State *L) {
    return unary(L, nn_exp);
}
static int m_log(lua_State *L) {
    return unary(L, nn_log);
}
static int m_sqrt(lua_State *L) {
    return unary(L, nn_sqrt);
}
static int m_abs(lua_State *L) {
    return unary(L, nn_abs);
}
static int m_tanh(lua_State *L) {
    return unary(L, nn_tanh);
}
static int m_sigmoid(lua_State *L) {
    return unary(L, nn_sigmoid);
}
static int m_relu(lua_State *L) {
    return unary(L, nn_relu);
}
static int m_transpose(lua_State *L) {
    return unary(L, nn_transpose);
}

typedef nn_tensor *(*reduce_fn)(nn_ctx *, nn_tensor *, int, bool);

/* t:sum([axis [, keepdim]]): all elements when axis is nil. */
static int reduce(lua_State *L, reduce_fn f) {
    nn_tensor *a = bind_checktensor(L, 1);
    int axis = checkaxis(L, 2, a, NN_ALL);
    bool keep = lua_toboolean(L, 3);
    nn_tensor *r = check_result(L, f(bind_ctx(L), a, axis, keep));
    if (f == nn_argmax) /* 1-based indices for Lua */
        for (int64_t i = 0; i < r->size; i++) r->data[i] += 1.0f;
    bind_pushtensor(L, r);
    return 1;
}

static int m_sum(lua_State *L) {
    return reduce(L, nn_sum);
}
static int m_mean(lua_State *L) {
    return reduce(L, nn_mean);
}
static int m_max(lua_State *L) {
    return reduce(L, nn_max);
}
static int m_argmax(lua_State *L) {
    return reduce(L, nn_argmax);
}

/* a:matmul(b [, trans_a [, trans_b]]) */
static int m_matmul(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1), *b = bind_checktensor(L, 2);
    bind_pushtensor(L, nn_matmul(bind_ctx(L), a, b, lua_toboolean(L, 3), lua_toboolean(L, 4)));
    return 1;
}

static int m_softmax(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    bind_pushtensor(L, nn_softmax(bind_ctx(L), a, checkaxis(L, 2, a, -1)));
    return 1;
}

static int m_log_softmax(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    bind_pushtensor(L, nn_log_softmax(bind_ctx(L), a, checkaxis(L, 2, a, -1)));
    return 1;
}

/* t:reshape(2, 3) or t:reshape{2, 3}; one size may be -1. */
static int m_reshape(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    int shape[NN_MAX_DIMS], n = checkshape_x(L, 2, shape, true);
    bind_pushtensor(L, nn_reshape(bind_ctx(L), a, n, shape));
    return 1;
}

/* t:rows(start [, count]): count rows from the 1-based row start (default 1 row). */
static int m_rows(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    lua_Integer start = bind_checkint(L, 2, "row", 1, a->shape[0]);
    lua_Integer count = bind_optint(L, 3, "count", 1, 1, INT_MAX);
    if (count < 1 || count > a->shape[0] - start + 1)
        luaL_argerror(L, 3,
                      lua_pushfstring(L, "%d rows from row %d do not fit in %d rows", (int)count,
                                      (int)start, a->shape[0]));
    bind_pushtensor(L, nn_slice_rows(bind_ctx(L), a, (int)start - 1, (int)count));
    return 1;
}

/* t:gather{3, 1, 3}: rows by 1-based index. */
static int m_gather(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    int n = (int)luaL_len(L, 2);
    if (n < 1) luaL_argerror(L, 2, "no row indices");
    int *rows = lua_newuserdatauv(L, (size_t)n * sizeof *rows, 0); /* freed by the GC */
    for (int i = 0; i < n; i++) {
        lua_geti(L, 2, i + 1);
        int ok;
        lua_Integer r = lua_tointegerx(L, -1, &ok);
        if (!ok) luaL_argerror(L, 2, lua_pushfstring(L, "index %d is not an integer", i + 1));
        if (r < 1 || r > a->shape[0]) /* not cast to int unchecked: 2^32 + 1 is not row 1 */
            luaL_argerror(L, 2,
                          lua_pushfstring(L, "row %I (position %d) is out of range 1..%d", r, i + 1,
                                          a->shape[0]));
        rows[i] = (int)r - 1;
        lua_pop(L, 1);
    }
    nn_tensor *r = nn_gather_rows(bind_ctx(L), a, rows, n);
    if (!r) {
        /* the engine counts from 0; say it in Lua's terms */
        for (int i = 0; i < n; i++)
            if (rows[i] < 0 || rows[i] >= a->shape[0])
                luaL_argerror(L, 2,
                              lua_pushfstring(L, "row %d (position %d) is out of range 1..%d",
                                              rows[i] + 1, i + 1, a->shape[0]));
    }
    bind_pushtensor(L, r);
    return 1;
}

static int m_copy(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    bind_pushtensor(L, nn_copy(bind_ctx(L), a));
    return 1;
}

static int m_fill(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    nn_fill(a, (float)luaL_checknumber(L, 2));
    lua_settop(L, 1);
    return 1;
}

static int m_backward(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    nn_ctx *ctx = bind_ctx(L);
    if (nn_backward(ctx, a) != NN_OK) return luaL_error(L, "%s", nn_error(ctx));
    return 0;
}

/* t:requires_grad([on]) -> t */
static int m_requires_grad(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    bool on = lua_isnoneornil(L, 2) ? true : lua_toboolean(L, 2);
    if (nn_requires_grad(a, on) != NN_OK) return luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_settop(L, 1);
    return 1;
}

static int m_zero_grad(lua_State *L) {
    nn_zero_grad(bind_checktensor(L, 1));
    lua_settop(L, 1);
    return 1;
}

static int m_item(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    if (a->size != 1) {
        char s[64];
        return luaL_error(L, "item: a tensor of shape %s has %d elements; item() needs one",
                          nn_shape_str(a, s, sizeof s), (int)a->size);
    }
    lua_pushnumber(L, nn_get(a, 0));
    return 1;
}

static void push_nested(lua_State *L, const nn_tensor *t, int level, int64_t *pos) {
    lua_createtable(L, t->shape[level], 0);
    for (int i = 1; i <= t->shape[level]; i++) {
        if (level + 1 < t->ndim &&
            level + 1 < NN_MAX_DIMS) /* the second test lets -O3 see the bound */
            push_nested(L, t, level + 1, pos);
        else
            lua_pushnumber(L, nn_get(t, (*pos)++));
        lua_rawseti(L, -2, i);
    }
}

static int m_totable(lua_State *L) {
    nn_tensor *a = bind_checktensor(L, 1);
    int64_t pos = 0;
    push_nested(L, a, 0, &pos);
    return 1;
}

/* The shape as a table that can also be called: t.shape and t:shape() both work. */
static int shape_call(lua_State *L) {
    lua_settop(L, 1);
    return 1;
}

/* "{3, 2}", as the table would be written */
static int shape_tostring(lua_State *L) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '{');
    for (lua_Integer i = 1, n = luaL_len(L, 1); i <= n; i++) {
        lua_geti(L, 1, i);
        if (i > 1) luaL_addstring(&b, ", ");
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '}');
    luaL_pushresult(&b);
    return 1;
}

static void push_shape(lua_State *L, const nn_tensor *t) {
    lua_createtable(L, t->ndim, 0);
    for (int k = 0; k < t->ndim; k++) {
        lua_pushinteger(L, t->shape[k]);
        lua_rawseti(L, -2, k + 1);
    }
    if (luaL_newmetatable(L, "nnlab.shape_mt")) {
        lua_pushcfunction(L, shape_call);
        lua_setfield(L, -2, "__call");
        lua_pushcfunction(L, shape_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_setmetatable(L, -2);
}

static int m_numel(lua_State *L) {
    lua_pushinteger(L, bind_checktensor(L, 1)->size);
    return 1;
}

/* ---- printing ---------------------------------------------------------------------------- */

typedef struct {
    char fmt[16]; /* one printf format for every element, NumPy-like */
    int width;
} numfmt;

static void format_number(char *s, size_t len, const numfmt *f, double v);

/* All integers: "3."; moderate magnitudes: fixed with 4 decimals; else exponents. */
static numfmt choose_format(const nn_tensor *t) {
    numfmt f;
    bool ints = true;
    double mx = 0;
    for (int64_t i = 0; i < t->size; i++) {
        double v = nn_get(t, i);
        if (!isfinite(v)) continue;
        if (v != floor(v)) ints = false;
        if (fabs(v) > mx) mx = fabs(v);
    }
    double mn = INFINITY;
    for (int64_t i = 0; i < t->size; i++) {
        double v = fabs((double)nn_get(t, i));
        if (v > 0 && v < mn) mn = v;
    }
    if (ints && mx < 1e8)
        snprintf(f.fmt, sizeof f.fmt, "%%.0f.");
    else if (mx < 1e5 && (mn >= 1e-4 || mn == INFINITY))
        snprintf(f.fmt, sizeof f.fmt, "%%.4f");
    else
        snprintf(f.fmt, sizeof f.fmt, "%%.4e");
    f.width = 0;
    for (int64_t i = 0; i < t->size; i++) {
        char b[64];
        format_number(b, sizeof b, &f, nn_get(t, i));
        int w = (int)strlen(b);
        if (w > f.width) f.width = w;
    }
    return f;
}

static void format_number(char *s, size_t len, const numfmt *f, double v) {
    if (isnan(v))
        snprintf(s, len, "nan");
    else if (isinf(v))
        snprintf(s, len, v > 0 ? "inf" : "-inf");
    else
        snprintf(s, len, f->fmt, v);
}

static void add_number(luaL_Buffer *b, const numfmt *f, double v) {
    char s[64], p[80];
    format_number(s, sizeof s, f, v);
    snprintf(p, sizeof p, "%*s", f->width, s);
    luaL_addstring(b, p);
}

/* The width a printed row may take: the terminal's (readline sets COLUMNS) up to
 * 120, else 80 as PyTorch: a row wider than the terminal wraps in the middle of a
 * number. */
static int print_width(void) {
    const char *c = getenv("COLUMNS");
    int w = c ? atoi(c) - 1 : 0;
    return w < 40 ? 80 : w > 120 ? 120 : w;
}

/* One axis: "[" items "]", items separated as NumPy (", " is not used: spaces for
 * numbers, newlines for rows, blank lines between blocks), "..." in the middle of
 * long axes when the tensor is big. A row longer than width goes on over more lines,
 * indented under its first number, as NumPy's. */
static void add_axis(luaL_Buffer *b, const nn_tensor *t, const numfmt *f, int level, int64_t offset,
                     bool abbreviate, int width) {
    if (level >= NN_MAX_DIMS) return; /* never (ndim <= 4): -O3's inlined recursion asks */
    int n = t->shape[level];
    int64_t stride = 1;
    for (int k = level + 1; k < t->ndim; k++) stride *= t->shape[k];
    luaL_addchar(b, '[');
    int col = level + 1; /* a row's "[" is indented by its level */
    for (int i = 0; i < n; i++) {
        if (level + 1 == t->ndim && i > 0 && col + 1 + f->width + level + 1 > width) {
            luaL_addchar(b, '\n'); /* room for the number and the closing brackets */
            for (int s = 0; s < level; s++) luaL_addchar(b, ' ');
            col = level; /* the separator below puts the number under the first */
        }
        if (abbreviate && n > 2 * PRINT_EDGE && i == PRINT_EDGE) {
            if (level + 1 == t->ndim) {
                luaL_addstring(b, " ...");
                col += 4;
            } else {
                luaL_addstring(b, "\n");
                for (int s = 0; s <= level; s++) luaL_addchar(b, ' ');
                luaL_addstring(b, "...");
            }
            i = n - PRINT_EDGE - 1;
            continue;
        }
        if (i > 0) {
            if (level + 1 == t->ndim) {
                luaL_addchar(b, ' ');
                col++;
            } else {
                for (int k = level + 1; k < t->ndim; k++) luaL_addchar(b, '\n');
                for (int s = 0; s <= level; s++) luaL_addchar(b, ' ');
            }
        }
        if (level + 1 == t->ndim) {
            add_number(b, f, nn_get(t, offset + i));
            col += f->width;
        } else {
            add_axis(b, t, f, level + 1, offset + i * stride, abbreviate, width);
        }
    }
    luaL_addchar(b, ']');
}

static int m_tostring(lua_State *L) {
    tensor_ud *u = luaL_checkudata(L, 1, TENSOR_MT);
    if (!u->t) {
        lua_pushstring(L, "tensor (freed)");
        return 1;
    }
    nn_tensor *t = u->t;
    char s[64];
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "tensor ");
    luaL_addstring(&b, nn_shape_str(t, s, sizeof s));
    luaL_addstring(&b, t->device == NN_CPU ? " float32 cpu" : " float32 cuda");
    if (t->requires_grad && nn_tensor_op(t) != NN_OP_LEAF) { /* in a graph: what made it */
        luaL_addstring(&b, " op=");
        luaL_addstring(&b, nn_op_name(nn_tensor_op(t)));
    }
    if (t->requires_grad) luaL_addstring(&b, " requires_grad");
    luaL_addchar(&b, '\n');
    numfmt f = choose_format(t);
    add_axis(&b, t, &f, 0, 0, t->size > PRINT_THRESH, print_width());
    luaL_pushresult(&b);
    return 1;
}

/* ---- fields and metamethods ------------------------------------------------------------------ */

/* t.grad, t.shape, t.op, t.ndim, t.needs_grad, then methods (the upvalue). */
static int m_index(lua_State *L) {
    tensor_ud *u = luaL_checkudata(L, 1, TENSOR_MT);
    const char *k = lua_tostring(L, 2);
    if (k && lua_getfield(L, lua_upvalueindex(1), k) != LUA_TNIL) return 1;
    if (!k) return 0;
    if (!u->t) return luaL_error(L, "tensor was freed (reading .%s)", k);
    nn_tensor *t = u->t;
    if (strcmp(k, "grad") == 0) {
        if (!t->grad)
            lua_pushnil(L);
        else
            bind_pushtensor(L, nn_tensor_retain(t->grad)); /* valid as long as Lua holds it */
    } else if (strcmp(k, "shape") == 0) {
        push_shape(L, t);
    } else if (strcmp(k, "op") == 0) {
        lua_pushstring(L, nn_op_name(nn_tensor_op(t)));
    } else if (strcmp(k, "ndim") == 0) {
        lua_pushinteger(L, t->ndim);
    } else if (strcmp(k, "needs_grad") == 0) {
        lua_pushboolean(L, t->requires_grad);
    } else {
        lua_pushnil(L);
    }
    return 1;
}

static int m_len(lua_State *L) {
    lua_pushinteger(L, bind_checktensor(L, 1)->shape[0]);
    return 1;
}

static const luaL_Reg module_fns[] = {
    {"tensor", nn_tensor_l},   {"zeros", nn_zeros_l},   {"ones", nn_ones_l},
    {"full", nn_full_l},       {"arange", nn_arange_l}, {"linspace", nn_linspace_l},
    {"rand", nn_rand_l},       {"randn", nn_randn_l},   {"seed", nn_seed_l},
    {"no_grad", nn_no_grad_l}, {"graph", nn_graph_l},   {NULL, NULL},
};

static const luaL_Reg methods[] = {
    {"add", m_add},
    {"sub", m_sub},
    {"mul", m_mul},
    {"div", m_div},
    {"pow", m_pow},
    {"neg", m_neg},
    {"scale", m_scale},
    {"exp", m_exp},
    {"log", m_log},
    {"sqrt", m_sqrt},
    {"abs", m_abs},
    {"tanh", m_tanh},
    {"sigmoid", m_sigmoid},
    {"relu", m_relu},
    {"sum", m_sum},
    {"mean", m_mean},
    {"max", m_max},
    {"argmax", m_argmax},
    {"matmul", m_matmul},
    {"softmax", m_softmax},
    {"log_softmax", m_log_softmax},
    {"t", m_transpose},
    {"transpose", m_transpose},
    {"reshape", m_reshape},
    {"rows", m_rows},
    {"gather", m_gather},
    {"copy", m_copy},
    {"detach", m_copy},
    {"fill", m_fill},
    {"backward", m_backward},
    {"requires_grad", m_requires_grad},
    {"zero_grad", m_zero_grad},
    {"item", m_item},
    {"totable", m_totable},
    {"numel", m_numel},
    {"free", release},
    {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
    {"__add", m_add},     {"__sub", m_sub},           {"__mul", m_mul}, {"__div", m_div},
    {"__pow", m_pow},     {"__unm", m_neg},           {"__len", m_len}, {"__gc", release},
    {"__close", release}, {"__tostring", m_tostring}, {NULL, NULL},
};

static const char *const field_names[] = {"grad", "shape", "op", "ndim", "needs_grad"};

int bind_open_tensor(lua_State *L) {
    bind_ctx(L); /* before any tensor: see bind_ctx */
    if (luaL_newmetatable(L, TENSOR_MT)) {
        luaL_setfuncs(L, metamethods, 0);
        /* __index is a function (for the fields); __methods holds the method table
         * and __keys every name, for help and tab completion. */
        luaL_newlib(L, methods);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, "__methods");
        lua_pushcclosure(L, m_index, 1);
        lua_setfield(L, -2, "__index");
        lua_newtable(L);
        int i = 1;
        for (const luaL_Reg *r = methods; r->name; r++) {
            lua_pushstring(L, r->name);
            lua_rawseti(L, -2, i++);
        }
        for (size_t k = 0; k < sizeof field_names / sizeof *field_names; k++) {
            lua_pushstring(L, field_names[k]);
            lua_rawseti(L, -2, i++);
        }
        lua_setfield(L, -2, "__keys");
    }
    lua_pop(L, 1);
    luaL_newlib(L, module_fns);
    return 1;
}
