/* bind_optim.c: the "nn.optim" module: optimizers for Lua. An optimizer userdata
 * ("nnlab.optimizer") owns its engine optimizer and keeps its target alive through
 * a user value: a built-in module (one block), one tensor (w with w.grad), or a list
 * of tensors (the parameters of a module written in Lua). Hyper-parameters are
 * fields (opt.lr = 0.01 takes effect at the next step); the state is readable. */
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "bind.h"

#define OPTIM_MT "nnlab.optimizer"

typedef struct {
    nn_optim *o;
} optim_ud;

/* Pushes a table {lr = ..., momentum = ..., ...} of hp's fields. */
static void push_hparams(lua_State *L, nn_optim_hp *hp) {
    lua_newtable(L);
    const char *name;
    for (int i = 0; (name = nn_optim_hp_name(i)); i++) {
        lua_pushnumber(L, *nn_optim_hp_field(hp, name));
        lua_setfield(L, -2, name);
    }
}

nn_optim *bind_checkoptim(lua_State *L, int arg) {
    optim_ud *u = luaL_checkudata(L, arg, OPTIM_MT);
    if (!u->o) luaL_argerror(L, arg, "optimizer was freed");
    return u->o;
}

void bind_pushoptim(lua_State *L, nn_optim *o, int target) {
    target = lua_absindex(L, target);
    optim_ud *u = lua_newuserdatauv(L, sizeof *u, 1);
    u->o = NULL;
    luaL_setmetatable(L, OPTIM_MT);
    u->o = o;
    lua_pushvalue(L, target);
    lua_setiuservalue(L, -2, 1);
}

static int o_release(lua_State *L) {
    optim_ud *u = luaL_checkudata(L, 1, OPTIM_MT);
    nn_optim_free(u->o);
    u->o = NULL;
    return 0;
}

/* opt:free() and <close>: refused while a running fit uses the optimizer. */
static int o_free(lua_State *L) {
    luaL_checkudata(L, 1, OPTIM_MT);
    bind_refuse_free_in_use(L, "optimizer", "optimizer");
    return o_release(L);
}

/* The parameter count of a target: module, tensor or list of tensors. */
static int64_t target_size(lua_State *L, int arg) {
    if (luaL_testudata(L, arg, "nnlab.module")) return nn_module_nparams(bind_checkmodule(L, arg));
    if (lua_istable(L, arg)) {
        int64_t n = 0;
        for (int i = 1; i <= (int)luaL_len(L, arg); i++) {
            lua_geti(L, arg, i);
            n += bind_checktensor(L, -1)->size;
            lua_pop(L, 1);
        }
        return n;
    }
    return bind_checktensor(L, arg)->size;
}

/* Edit distance of a and b (both short names): insertions, deletions, changes. */
static int edit_distance(const char *a, const char *b) {
    enum { MAXLEN = 32 };
    int la = (int)strlen(a), lb = (int)strlen(b), row[MAXLEN + 1];
    if (la > MAXLEN || lb > MAXLEN) return MAXLEN;
    for (int j = 0; j <= lb; j++) row[j] = j;
    for (int i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up, row[j] = best;
        }
    }
    return row[lb];
}

/* Raises "optim.<kind>: unknown option 'x'; did you mean 'y'? (takes ...)" for a
 * setting the kind does not take, naming the nearest it takes when one is close. */
static void refuse_option(lua_State *L, nn_optim_kind kind, const char *key) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *opt, *near = NULL;
    int best = 3; /* farther than two edits is no typo */
    for (int i = 0; (opt = nn_optim_option(kind, i)); i++) {
        if (i) luaL_addstring(&b, ", ");
        luaL_addstring(&b, opt);
        int d = edit_distance(key, opt);
        if (d < best) best = d, near = opt;
    }
    luaL_pushresult(&b);
    const char *list = lua_tostring(L, -1), *kn = nn_optim_name(kind);
    if (near)
        luaL_error(L, "optim.%s: unknown option '%s'; did you mean '%s'? (takes %s)", kn, key, near,
                   list);
    luaL_error(L, "optim.%s: unknown option '%s' (takes %s)", kn, key, list);
}

/* Sets setting key of hp from the value on the top of the stack: a number >= 0, or
 * for nesterov also a boolean. Raises for a setting kind does not take. */
static void set_option(lua_State *L, nn_optim_kind kind, nn_optim_hp *hp, const char *key) {
    float *f = nn_optim_takes(kind, key) ? nn_optim_hp_field(hp, key) : NULL;
    if (!f) refuse_option(L, kind, key);
    double v;
    if (!strcmp(key, "nesterov") && lua_isboolean(L, -1))
        v = lua_toboolean(L, -1);
    else if (lua_type(L, -1) == LUA_TNUMBER)
        v = lua_tonumber(L, -1);
    else
        luaL_error(L, "optim.%s: %s must be a number%s, got %s", nn_optim_name(kind), key,
                   strcmp(key, "nesterov") ? "" : " or a boolean", luaL_typename(L, -1));
    if (v != v) /* 0/0 prints as "-nan" on x86: said plainly */
        luaL_error(L, "optim.%s: %s must be a finite number >= 0, got NaN", nn_optim_name(kind),
                   key);
    if (!(v >= 0) || isinf(v))
        luaL_error(L, "optim.%s: %s must be a finite number >= 0, got %f", nn_optim_name(kind), key,
                   v);
    *f = (float)v;
}

/* new(kind, target [, hp table]) */
static int w_new(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    int k = nn_optim_from_name(name);
    if (k < 0) luaL_argerror(L, 1, lua_pushfstring(L, "unknown optimizer '%s'", name));
    int64_t n = target_size(L, 2);
    nn_optim_hp hp = nn_optim_defaults((nn_optim_kind)k);
    if (lua_istable(L, 3)) {
        lua_pushnil(L);
        while (lua_next(L, 3)) {
            if (lua_type(L, -2) == LUA_TSTRING)
                set_option(L, (nn_optim_kind)k, &hp, lua_tostring(L, -2));
            lua_pop(L, 1);
        }
    }
    nn_optim *o = nn_optim_new(bind_ctx(L), (nn_optim_kind)k, hp, n);
    if (!o) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    bind_pushoptim(L, o, 2);
    return 1;
}

/* defaults(kind) -> table of hyper-parameters */
static int w_defaults(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    int k = nn_optim_from_name(name);
    if (k < 0) luaL_argerror(L, 1, lua_pushfstring(L, "unknown optimizer '%s'", name));
    nn_optim_hp hp = nn_optim_defaults((nn_optim_kind)k);
    push_hparams(L, &hp);
    return 1;
}

static int w_names(lua_State *L) {
    lua_createtable(L, NN_OPT_COUNT, 0);
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        lua_pushstring(L, nn_optim_name((nn_optim_kind)k));
        lua_rawseti(L, -2, k + 1);
    }
    return 1;
}

/* opt:step() -> gradient norm before clipping: updates the target from its gradients */
static int o_step(lua_State *L) {
    nn_optim *o = bind_checkoptim(L, 1);
    lua_getiuservalue(L, 1, 1);
    double norm;
    if (luaL_testudata(L, -1, "nnlab.module")) {
        norm = nn_optim_step_module(o, bind_checkmodule(L, -1));
    } else if (lua_istable(L, -1)) {
        int n = (int)luaL_len(L, -1);
        float **p =
            lua_newuserdatauv(L, 2 * (size_t)n * sizeof(float *) + (size_t)n * sizeof(int64_t), 0);
        float **g = p + n;
        int64_t *sz = (int64_t *)(g + n);
        for (int i = 0; i < n; i++) {
            lua_geti(L, -2, i + 1);
            nn_tensor *t = bind_checktensor(L, -1);
            if (!t->grad)
                luaL_error(L, "step: parameter %d has no gradient (call backward first)", i + 1);
            /* requires_grad off (a frozen layer's tensor): keep its state, skip it */
            p[i] = t->requires_grad ? t->data : NULL, g[i] = t->grad->data, sz[i] = t->size;
            lua_pop(L, 1);
        }
        norm = nn_optim_step_parts(o, p, g, sz, n);
    } else {
        nn_tensor *t = bind_checktensor(L, -1);
        if (!t->grad) luaL_error(L, "step: the tensor has no gradient (call backward first)");
        if (t->size != nn_optim_size(o)) luaL_error(L, "step: the tensor changed size");
        norm = nn_optim_step(o, t->data, t->grad->data);
    }
    if (norm != norm) /* the engine names the cause: a NaN gradient, a size changed */
        luaL_error(L, "%s",
                   nn_error(bind_ctx(L))[0] ? nn_error(bind_ctx(L))
                                            : "step: the gradient norm is NaN");
    lua_pushnumber(L, norm);
    return 1;
}

/* Copies n floats into a new 1-D tensor. */
static void push_floats(lua_State *L, const float *v, int64_t n) {
    int shape = (int)n;
    bind_pushtensor(L, nn_from_array(bind_ctx(L), 1, &shape, v));
}

/* opt:state(name|i) -> a copy of a state array (velocity, m, v, sum_sq...) as a tensor */
static int o_state(lua_State *L) {
    nn_optim *o = bind_checkoptim(L, 1);
    int i = -1, n = nn_optim_nstate(o);
    if (lua_type(L, 2) == LUA_TNUMBER) /* plain SGD keeps none: state(1) is nil */
        i = (int)bind_checkint(L, 2, "opt:state: the index", 1, n > 1 ? n : 1) - 1;
    else {
        const char *name = luaL_checkstring(L, 2);
        for (int k = 0; k < nn_optim_nstate(o); k++)
            if (!strcmp(name, nn_optim_state_name(o, k))) i = k;
    }
    float *s = nn_optim_state(o, i);
    if (!s) return 0;
    push_floats(L, s, nn_optim_size(o));
    return 1;
}

static int o_state_names(lua_State *L) {
    nn_optim *o = bind_checkoptim(L, 1);
    lua_createtable(L, nn_optim_nstate(o), 0);
    for (int k = 0; k < nn_optim_nstate(o); k++) {
        lua_pushstring(L, nn_optim_state_name(o, k));
        lua_rawseti(L, -2, k + 1);
    }
    return 1;
}

static int o_effective_lr(lua_State *L) {
    nn_optim *o = bind_checkoptim(L, 1);
    int64_t n = nn_optim_size(o);
    float *buf = lua_newuserdatauv(L, (size_t)n * sizeof(float), 0);
    nn_optim_effective_lr(o, buf);
    push_floats(L, buf, n);
    return 1;
}

static int o_reset(lua_State *L) {
    nn_optim_reset(bind_checkoptim(L, 1));
    return 0;
}

static int o_zero_grad(lua_State *L) {
    bind_checkoptim(L, 1);
    lua_getiuservalue(L, 1, 1);
    if (luaL_testudata(L, -1, "nnlab.module")) {
        nn_module_zero_grad(bind_checkmodule(L, -1));
    } else if (lua_istable(L, -1)) {
        for (int i = 1; i <= (int)luaL_len(L, -1); i++) {
            lua_geti(L, -1, i);
            nn_zero_grad(bind_checktensor(L, -1));
            lua_pop(L, 1);
        }
    } else {
        nn_zero_grad(bind_checktensor(L, -1));
    }
    return 0;
}

static int o_steps(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)nn_optim_steps(bind_checkoptim(L, 1)));
    return 1;
}

static int o_kind(lua_State *L) {
    lua_pushstring(L, nn_optim_name(nn_optim_kind_of(bind_checkoptim(L, 1))));
    return 1;
}

static int o_hparams(lua_State *L) {
    nn_optim_hp *h = nn_optim_hparams(bind_checkoptim(L, 1));
    push_hparams(L, h);
    return 1;
}

static int o_target(lua_State *L) {
    bind_checkoptim(L, 1);
    lua_getiuservalue(L, 1, 1);
    return 1;
}

static const luaL_Reg methods[] = {
    {"step", o_step},
    {"state", o_state},
    {"state_names", o_state_names},
    {"effective_lr", o_effective_lr},
    {"reset", o_reset},
    {"zero_grad", o_zero_grad},
    {"steps", o_steps},
    {"kind", o_kind},
    {"hparams", o_hparams},
    {"target", o_target},
    {"free", o_free},
    {NULL, NULL},
};

/* opt.lr and the other hyper-parameters read as fields; methods otherwise. */
static int o_index(lua_State *L) {
    optim_ud *u = luaL_checkudata(L, 1, OPTIM_MT);
    const char *k = lua_tostring(L, 2);
    float *f = k && u->o ? nn_optim_hp_field(nn_optim_hparams(u->o), k) : NULL;
    if (f) {
        lua_pushnumber(L, *f);
        return 1;
    }
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__methods");
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

/* opt.lr = 0.01: a setting the kind takes, checked as at creation (nesterov on needs
 * a momentum > 0, which is kept). */
static int o_newindex(lua_State *L) {
    nn_optim *o = bind_checkoptim(L, 1);
    const char *k = luaL_checkstring(L, 2);
    lua_settop(L, 3);
    nn_optim_hp hp = *nn_optim_hparams(o);
    set_option(L, nn_optim_kind_of(o), &hp, k);
    if (nn_optim_kind_of(o) == NN_OPT_SGD && hp.nesterov != 0 && !(hp.momentum > 0))
        luaL_error(L, "optim.sgd: nesterov needs a momentum > 0, got momentum %f", hp.momentum);
    *nn_optim_hparams(o) = hp;
    return 0;
}

static int o_tostring(lua_State *L) {
    optim_ud *u = luaL_checkudata(L, 1, OPTIM_MT);
    if (!u->o)
        lua_pushliteral(L, "optimizer (freed)");
    else
        lua_pushfstring(L, "%s (lr %f, %d steps)", nn_optim_name(nn_optim_kind_of(u->o)),
                        (double)nn_optim_hparams(u->o)->lr, (int)nn_optim_steps(u->o));
    return 1;
}

/* schedule(kind, lr0, lr_min, gamma, period [, t]) -> the rate at step t (0-based) by
 * sched.c's formula, in double; without t only checks the settings. Raises naming a
 * bad kind or setting. */
static int w_schedule(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    int k = nn_sched_from_name(name);
    if (k < 0) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (int i = 0; i < NN_SCHED_COUNT; i++) {
            if (i) luaL_addstring(&b, ", ");
            luaL_addstring(&b, nn_sched_name((nn_sched_kind)i));
        }
        luaL_pushresult(&b);
        return luaL_error(L, "unknown kind '%s' (there are: %s)", name, lua_tostring(L, -1));
    }
    lua_Number period = luaL_checknumber(L, 5); /* the message lua/optim.lua's callers read */
    if (!(period >= 1 && period <= INT_MAX) || period != floor(period))
        return luaL_error(L, "period must be a whole number >= 1, got %s", lua_tostring(L, 5));
    nn_sched s = {(nn_sched_kind)k, luaL_checknumber(L, 2), luaL_checknumber(L, 3),
                  luaL_checknumber(L, 4), (int)period};
    if (nn_sched_check(bind_ctx(L), &s)) return luaL_error(L, "%s", nn_error(bind_ctx(L)));
    if (lua_isnoneornil(L, 6)) return 0;
    lua_pushnumber(L, nn_sched_rate(&s, (int64_t)bind_checkint(L, 6, "step", 0, INT64_MAX)));
    return 1;
}

static const luaL_Reg fns[] = {
    {"new", w_new}, {"schedule", w_schedule}, {"defaults", w_defaults}, {"names", w_names},
    {NULL, NULL},
};

int bind_open_optim(lua_State *L) {
    luaL_newlib(L, fns);
    luaL_newmetatable(L, OPTIM_MT);
    luaL_newlib(L, methods);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__methods"); /* the help test reads methods here */
    lua_setfield(L, -3, "methods");
    lua_pushcfunction(L, o_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, o_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, o_release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, o_free);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, o_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    return 1;
}
