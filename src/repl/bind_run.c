/* bind_run.c: training runs for Lua, in the "nn.train" module: run(m, opt, train, val,
 * opts) makes a C training loop (nn_run) and its userdata ("nnlab.run"), whose methods
 * step it in time slices (run_for), stop it and read its status, history, step losses
 * and confusion matrices; also the LR range test. The friendly m:fit{...} is
 * lua/nn_train.lua on top. A run keeps its model, optimizer and data sets alive
 * through user values, and calls a Lua function from the C loop for on_step.
 *
 * A model written in Lua trains through the same loop as an engine module of the
 * callback kind (mod_lua.c), made by lua_model(...) ("nnlab.luamodel"): its forward
 * calls the Lua forward on a tensor over the batch and hands back the output, whose
 * graph the engine back-propagates. Lua is entered only between bind_lua_enter and
 * bind_lua_leave (run_for, the LR range test, evaluate), where the state is known; an
 * error in the forward fails the step with its message, and Ctrl-C ("interrupted!")
 * stops the run and is raised after it. */
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "bind.h"

#define RUN_MT      "nnlab.run"
#define LUAMODEL_MT "nnlab.luamodel"
#define TENSOR_MT   "nnlab.tensor"

typedef struct bind_luamodel {
    nn_module *m;    /* of the callback kind */
    lua_State *L;    /* set while the engine may call it (run_for, LR test, evaluate) */
    nn_run *run;     /* the run being stepped, so that Ctrl-C can stop it */
    int forward_ref; /* registry: function(x) -> y, the model's forward */
    int mode_ref;    /* registry: function([on]) -> training, sets and reads the mode */
    char err[256];   /* an interrupt seen in the forward, raised after the slice */
} luamodel_ud;

typedef struct {
    nn_run *r;
    lua_State *L;    /* the thread inside the current run_for, for callbacks */
    luamodel_ud *lm; /* the model written in Lua that it trains, or NULL */
    char err[256];   /* a callback's error, raised after the slice */
} run_ud;

/* ---- models written in Lua ------------------------------------------------------- */

/* In a protected call: y = forward(x) for the luamodel (1, light) and tensor (2,
 * light); returns y retained, as a light userdata. */
static int call_forward(lua_State *L) {
    luamodel_ud *lm = lua_touserdata(L, 1);
    nn_tensor *x = lua_touserdata(L, 2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, lm->forward_ref);
    bind_pushtensor(L, nn_tensor_retain(x));
    lua_call(L, 1, 1);
    if (!luaL_testudata(L, -1, TENSOR_MT))
        luaL_error(L, "the model's forward returned %s, not a tensor", luaL_typename(L, -1));
    lua_pushlightuserdata(L, nn_tensor_retain(bind_checktensor(L, -1)));
    return 1;
}

static nn_tensor *lua_forward(void *user, nn_tensor *x, char *err, size_t errlen) {
    luamodel_ud *lm = user;
    lua_State *L = lm->L;
    if (!L) {
        snprintf(err, errlen, "a model written in Lua runs only inside fit");
        return NULL;
    }
    lua_pushcfunction(L, call_forward);
    lua_pushlightuserdata(L, lm);
    lua_pushlightuserdata(L, x);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        snprintf(err, errlen, "%s", msg ? msg : "error in the model's forward");
        if (msg && strstr(msg, "interrupted!")) { /* Ctrl-C: stop, and say so after */
            snprintf(lm->err, sizeof lm->err, "%s", msg);
            if (lm->run) nn_run_stop(lm->run);
        }
        lua_pop(L, 1);
        return NULL;
    }
    nn_tensor *y = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return y;
}

/* In a protected call: mode(on) for the luamodel (1, light) and on (2: boolean, or
 * none to only read it); returns the mode. */
static int call_mode(lua_State *L) {
    luamodel_ud *lm = lua_touserdata(L, 1);
    int n = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, lm->mode_ref);
    if (n >= 2) lua_pushvalue(L, 2);
    lua_call(L, n >= 2 ? 1 : 0, 1);
    return 1;
}

static bool lua_mode(luamodel_ud *lm, int on) {
    lua_State *L = lm->L;
    if (!L) return true;
    lua_pushcfunction(L, call_mode);
    lua_pushlightuserdata(L, lm);
    if (on >= 0) lua_pushboolean(L, on);
    bool training = true; /* a mode that cannot be read counts as training */
    if (lua_pcall(L, on >= 0 ? 2 : 1, 1, 0) == LUA_OK) training = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return training;
}

static void lua_train(void *user, bool on) {
    lua_mode(user, on);
}

static bool lua_training(void *user) {
    return lua_mode(user, -1);
}

static int lm_release(lua_State *L) {
    luamodel_ud *u = luaL_checkudata(L, 1, LUAMODEL_MT);
    nn_module_free(u->m);
    u->m = NULL;
    luaL_unref(L, LUA_REGISTRYINDEX, u->forward_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, u->mode_ref);
    u->forward_ref = u->mode_ref = LUA_NOREF;
    return 0;
}

/* lua_model(forward, mode, params, builtins, out) -> the engine's view of a model
 * written in Lua: forward(x) -> y [batch, out] with autograd; mode([on]) sets (on
 * given) and returns its training mode; params: its parameter tensors, in the order
 * of its optimizer; builtins: the built-in modules inside it. */
static int t_lua_model(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    luaL_checktype(L, 3, LUA_TTABLE);
    luaL_checktype(L, 4, LUA_TTABLE);
    lua_Integer out = bind_checkint(L, 5, "the output width", 1, INT32_MAX);
    int np = (int)luaL_len(L, 3), nm = (int)luaL_len(L, 4);
    nn_tensor **ps = lua_newuserdatauv(L, (size_t)(np + 1) * sizeof *ps, 0); /* GC frees */
    nn_module **ms = lua_newuserdatauv(L, (size_t)(nm + 1) * sizeof *ms, 0);
    for (int i = 0; i < np; i++) {
        lua_geti(L, 3, i + 1);
        if (!luaL_testudata(L, -1, TENSOR_MT))
            luaL_error(L, "fit: parameter %d of the model is %s, not a tensor", i + 1,
                       luaL_typename(L, -1));
        ps[i] = bind_checktensor(L, -1);
        lua_pop(L, 1);
    }
    for (int i = 0; i < nm; i++) {
        lua_geti(L, 4, i + 1);
        ms[i] = bind_checkmodule(L, -1);
        lua_pop(L, 1);
    }
    luamodel_ud *lm = lua_newuserdatauv(L, sizeof *lm, 0);
    memset(lm, 0, sizeof *lm);
    lm->forward_ref = lm->mode_ref = LUA_NOREF;
    luaL_setmetatable(L, LUAMODEL_MT);
    lua_pushvalue(L, 1);
    lm->forward_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, 2);
    lm->mode_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    static const nn_callback_fns fns = {lua_forward, lua_train, lua_training};
    lm->m = nn_callback_new(bind_ctx(L), &fns, lm, ps, np, ms, nm, (int)out);
    if (!lm->m) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    return 1;
}

nn_module *bind_checkmodel(lua_State *L, int arg, luamodel_ud **lm) {
    *lm = luaL_testudata(L, arg, LUAMODEL_MT);
    if (!*lm) return bind_checkmodule(L, arg);
    if (!(*lm)->m) luaL_argerror(L, arg, "model was freed");
    return (*lm)->m;
}

void bind_lua_enter(lua_State *L, luamodel_ud *lm) {
    if (lm) lm->L = L;
}

/* Also raises the interrupt that a Lua model's forward saw since bind_lua_enter. */
void bind_lua_leave(lua_State *L, luamodel_ud *lm) {
    if (!lm) return;
    lm->L = NULL, lm->run = NULL;
    if (!lm->err[0]) return;
    char msg[256];
    memcpy(msg, lm->err, sizeof msg);
    lm->err[0] = '\0';
    luaL_error(L, "%s", msg);
}

enum { UV_MODEL = 1, UV_OPTIM, UV_TRAIN, UV_VAL, UV_CALLBACK, RUN_NUV = UV_CALLBACK };

static run_ud *checkrun(lua_State *L, int arg) {
    run_ud *u = luaL_checkudata(L, arg, RUN_MT);
    if (!u->r) luaL_argerror(L, arg, "run was freed");
    return u;
}

static int r_release(lua_State *L) {
    run_ud *u = luaL_checkudata(L, 1, RUN_MT);
    nn_run_free(u->r);
    u->r = NULL;
    return 0;
}

/* ---- what runs use ---------------------------------------------------------------
 * The C loop holds engine pointers to its model, optimizer and data sets; the run's
 * user values keep their userdata alive, but :free() of one would free the engine
 * object under a running loop. So the registry maps each object a run uses to the
 * runs using it (weak both ways: neither keeps the other alive), and :free() refuses
 * while one of them is still running. A run that ended no longer touches them
 * (r_run_for steps only a running run), so freeing them then is safe. */
#define USERS_KEY "nnlab.run_users" /* weak-keyed: object -> {run = true} (weak keys) */

static void push_weak_table(lua_State *L) {
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
}

/* Records that the run at index ri uses the object at index obj. */
static void note_use(lua_State *L, int obj, int ri) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, USERS_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        push_weak_table(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, USERS_KEY);
    }
    lua_pushvalue(L, obj);
    if (lua_rawget(L, -2) != LUA_TTABLE) {
        lua_pop(L, 1);
        push_weak_table(L);
        lua_pushvalue(L, obj);
        lua_pushvalue(L, -2);
        lua_rawset(L, -4);
    }
    lua_pushvalue(L, ri);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 2);
}

bool bind_used_by_run(lua_State *L, int arg) {
    arg = lua_absindex(L, arg);
    bool used = false;
    if (lua_getfield(L, LUA_REGISTRYINDEX, USERS_KEY) == LUA_TTABLE) {
        lua_pushvalue(L, arg);
        if (lua_rawget(L, -2) == LUA_TTABLE) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                run_ud *u = luaL_testudata(L, -2, RUN_MT);
                lua_pop(L, 1);
                if (u && u->r && nn_run_status(u->r) == NN_RUN_RUNNING) used = true;
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return used;
}

/* The C loop's callback: calls the Lua function (user value) with epoch_end; a true
 * result or an error stops the run (the error is raised after the slice). */
static int run_callback(nn_run *r, bool epoch_end, void *user) {
    (void)r;
    run_ud *u = user;
    lua_State *L = u->L;
    if (!L || u->err[0]) return 1;
    if (lua_getiuservalue(L, 1, UV_CALLBACK) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushboolean(L, epoch_end);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        snprintf(u->err, sizeof u->err, "%s", msg ? msg : "error in a callback");
        lua_pop(L, 1);
        return 1;
    }
    int stop = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return stop;
}

/* Pushes option k of fit: opts[k], or else fit_defaults[k] of this module (upvalue 1),
 * which lua/nn_train.lua sets: the defaults are written there once. */
static int push_option(lua_State *L, int opts, const char *k) {
    if (lua_getfield(L, opts, k) != LUA_TNIL) return lua_type(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, lua_upvalueindex(1), "fit_defaults") != LUA_TTABLE)
        luaL_error(L, "fit: no value for option '%s' (and no fit_defaults)", k);
    int t = lua_getfield(L, -1, k);
    lua_remove(L, -2);
    if (t == LUA_TNIL) luaL_error(L, "fit: no value for option '%s'", k);
    return t;
}

/* A numeric option (whole when integral); its range is the engine's to check. */
static double num_option(lua_State *L, int opts, const char *k, bool integral) {
    push_option(L, opts, k);
    int isnum;
    double v = lua_tonumberx(L, -1, &isnum);
    if (!isnum || lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "fit: %s must be a number, got %s", k, luaL_typename(L, -1));
    if (integral && (v != floor(v) || fabs(v) > INT32_MAX))
        luaL_error(L, "fit: %s must be a whole number, got %s", k, lua_tostring(L, -1));
    lua_pop(L, 1);
    return v;
}

/* A number field of a schedule table t (made complete by optim.schedule). */
static double sched_field(lua_State *L, int t, const char *k) {
    lua_getfield(L, t, k);
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L,
                   "fit: the schedule's %s must be a number, got %s (make it with "
                   "optim.schedule{...})",
                   k, luaL_typename(L, -1));
    double v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return v;
}

/* Samples the schedule function at index fi for each step of the run into a
 * userdata left on the stack (the run copies it): the C loop calls no Lua per step. */
static const float *sample_schedule(lua_State *L, int fi, int64_t steps) {
    if (steps > 100000000)
        luaL_error(L,
                   "fit: a schedule function over %lld steps is too many to sample; use a "
                   "table schedule",
                   (long long)steps);
    float *lrs = lua_newuserdatauv(L, (size_t)steps * sizeof(float), 0);
    for (int64_t t = 0; t < steps; t++) {
        lua_pushvalue(L, fi);
        lua_pushinteger(L, (lua_Integer)t);
        lua_call(L, 1, 1);
        int isnum;
        double v = lua_tonumberx(L, -1, &isnum);
        if (!isnum || !(v >= 0) || isinf(v))
            luaL_error(L, "fit: the schedule gave %s at step %lld; it must return a rate >= 0",
                       luaL_tolstring(L, -1, NULL), (long long)t);
        lrs[t] = (float)v;
        lua_pop(L, 1);
    }
    return lrs;
}

/* run(m, opt, train, val|nil, opts) with opts {loss, epochs, batch, shuffle,
 * patience, min_delta, every, every_ms, delta, class_weights, callback, schedule =
 * {kind, lr0 (or lr), lr_min, gamma, period} or a function of the step -> lr} */
static int t_run(lua_State *L) {
    luamodel_ud *lm;
    nn_module *m = bind_checkmodel(L, 1, &lm);
    nn_optim *o = bind_checkoptim(L, 2);
    nn_dataset *tr = bind_checkdataset(L, 3);
    nn_dataset *va = lua_isnoneornil(L, 4) ? NULL : bind_checkdataset(L, 4);
    luaL_checktype(L, 5, LUA_TTABLE);
    run_ud *u = lua_newuserdatauv(L, sizeof *u, RUN_NUV);
    memset(u, 0, sizeof *u);
    luaL_setmetatable(L, RUN_MT);
    u->lm = lm;
    int ri = lua_gettop(L);
    for (int i = 1; i <= 4; i++) {
        lua_pushvalue(L, i);
        lua_setiuservalue(L, ri, i);
    }
    for (int i = 1; i <= 4; i++)
        if (lua_type(L, i) == LUA_TUSERDATA) note_use(L, i, ri);
    nn_fit_opts fo = {0};
    lua_getfield(L, 5, "loss");
    fo.loss = bind_checkloss(L, -1);
    lua_pop(L, 1);
    fo.epochs = (int)num_option(L, 5, "epochs", true);
    fo.batch = (int)num_option(L, 5, "batch", true);
    fo.patience = (int)num_option(L, 5, "patience", true);
    fo.min_delta = (float)num_option(L, 5, "min_delta", false);
    fo.every_steps = (int)num_option(L, 5, "every", true);
    fo.every_ms = num_option(L, 5, "every_ms", false);
    fo.huber_delta = (float)num_option(L, 5, "delta", false);
    if (push_option(L, 5, "shuffle") != LUA_TBOOLEAN)
        luaL_error(L, "fit: shuffle must be true or false, got %s", luaL_typename(L, -1));
    fo.shuffle = lua_toboolean(L, -1);
    lua_pop(L, 1);
    float cw[1024];
    if (lua_getfield(L, 5, "class_weights") == LUA_TTABLE) {
        int nc = tr->classes > 0 ? tr->classes : 2, n = (int)luaL_len(L, -1);
        if (n != nc || nc > 1024)
            luaL_error(L, "fit: class_weights needs %d numbers, got %d", nc, n);
        for (int i = 0; i < n; i++) {
            lua_geti(L, -1, i + 1);
            cw[i] = (float)luaL_checknumber(L, -1);
            lua_pop(L, 1);
        }
        fo.class_weights = cw;
    }
    lua_pop(L, 1);
    int st = lua_getfield(L, 5, "schedule");
    bool formula = st == LUA_TTABLE && lua_getfield(L, -1, "kind") != LUA_TNIL;
    if (st == LUA_TTABLE) lua_pop(L, 1);
    if (formula) { /* {kind =, ...} or optim.schedule's: the engine's formula, no Lua a step */
        int t = lua_gettop(L);
        lua_getfield(L, t, "kind");
        const char *kn = lua_tostring(L, -1);
        int k = kn ? nn_sched_from_name(kn) : -1;
        if (k < 0) luaL_error(L, "fit: unknown schedule '%s'", kn ? kn : luaL_typename(L, -1));
        lua_pop(L, 1);
        double period = sched_field(L, t, "period"); /* checked before the cast to int */
        if (!(period >= 1 && period <= INT32_MAX) || period != floor(period))
            luaL_error(L, "fit: the schedule's period must be a whole number >= 1, got %f", period);
        fo.sched = (nn_sched){(nn_sched_kind)k, sched_field(L, t, "lr0"),
                              sched_field(L, t, "lr_min"), sched_field(L, t, "gamma"), (int)period};
        if (nn_sched_check(bind_ctx(L), &fo.sched)) luaL_error(L, "fit: %s", nn_error(bind_ctx(L)));
    } else if (st == LUA_TFUNCTION || (st == LUA_TTABLE && luaL_getmetafield(L, -1, "__call"))) {
        if (st == LUA_TTABLE) lua_pop(L, 1); /* the __call: the table is called */
        int b = nn_fit_batch(fo.batch, tr->n);
        fo.n_lr_steps = (int64_t)(fo.epochs > 0 ? fo.epochs : 0) * ((tr->n + b - 1) / b);
        if (fo.n_lr_steps > 0) fo.lr_steps = sample_schedule(L, lua_gettop(L), fo.n_lr_steps);
    } else if (st != LUA_TNIL) {
        luaL_error(L,
                   "fit: schedule must be a table {kind = ..., lr0 = ...} or a function of "
                   "the step, got %s",
                   luaL_typename(L, -1));
    }
    /* the schedule (and its sampled rates) stay on the stack until the run copies them */
    if (lua_getfield(L, 5, "callback") == LUA_TFUNCTION) {
        lua_setiuservalue(L, ri, UV_CALLBACK);
        fo.callback = run_callback;
        fo.user = u;
        if (fo.every_steps <= 0 && fo.every_ms <= 0) fo.every_steps = 1;
    } else {
        lua_pop(L, 1);
    }
    u->r = nn_run_new(bind_ctx(L), m, o, tr, va, &fo);
    if (!u->r) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_settop(L, ri);
    return 1;
}

static const char *const state_names[] = {"running", "done", "stopped", "failed"};

/* run:run_for(ms) -> state; raises a callback's error */
static int r_run_for(lua_State *L) {
    run_ud *u = checkrun(L, 1);
    double ms = luaL_optnumber(L, 2, 0);
    nn_run_state now = nn_run_status(u->r);
    if (now != NN_RUN_RUNNING) { /* its model and data may be freed since it ended */
        lua_pushstring(L, state_names[now]);
        return 1;
    }
    lua_settop(L, 1); /* the callback finds the run at index 1 */
    u->L = L;
    bind_lua_enter(L, u->lm);
    if (u->lm) u->lm->run = u->r;
    nn_run_state st = nn_run_for(u->r, ms);
    u->L = NULL;
    bind_lua_leave(L, u->lm);
    if (u->err[0]) {
        char msg[256];
        memcpy(msg, u->err, sizeof msg);
        u->err[0] = '\0';
        luaL_error(L, "%s", msg);
    }
    lua_pushstring(L, state_names[st]);
    return 1;
}

static int r_stop(lua_State *L) {
    nn_run_stop(checkrun(L, 1)->r);
    return 0;
}

/* run:status() -> a table of where the run stands */
static int r_status(lua_State *L) {
    nn_run *r = checkrun(L, 1)->r;
    lua_createtable(L, 0, 10);
    lua_pushstring(L, state_names[nn_run_status(r)]);
    lua_setfield(L, -2, "state");
    lua_pushstring(L, nn_run_message(r));
    lua_setfield(L, -2, "message");
    lua_pushinteger(L, nn_run_epoch(r));
    lua_setfield(L, -2, "epoch");
    lua_pushinteger(L, (lua_Integer)nn_run_step(r));
    lua_setfield(L, -2, "step");
    lua_pushinteger(L, nn_run_steps_per_epoch(r));
    lua_setfield(L, -2, "steps_per_epoch");
    lua_pushinteger(L, nn_run_step_in_epoch(r));
    lua_setfield(L, -2, "step_in_epoch");
    lua_pushnumber(L, nn_run_last_loss(r));
    lua_setfield(L, -2, "last_loss");
    lua_pushnumber(L, nn_run_epoch_loss(r));
    lua_setfield(L, -2, "epoch_loss");
    lua_pushnumber(L, nn_run_epoch_acc(r));
    lua_setfield(L, -2, "epoch_acc");
    lua_pushinteger(L, nn_run_best_epoch(r));
    lua_setfield(L, -2, "best_epoch");
    return 1;
}

/* run:history([from]) -> {loss = {...}, acc, val_loss, val_acc, seconds, precision,
 * recall, f1, val_precision, val_recall, val_f1} per epoch; NaN entries (no validation,
 * regression) are left out as nil-free NaNs for plots. With from, the tables hold the
 * epochs from `from` on only, at their own epoch numbers (h.loss[from] .. h.loss[n]),
 * and h.epochs is n: a live view asks for what it has not drawn yet, rather than copying
 * a long run's whole history ten times a second. run:history(from, "loss", "val_loss")
 * holds the fields named alone. */
static int r_history(lua_State *L) {
    nn_run *r = checkrun(L, 1)->r;
    int n;
    const nn_epoch_rec *h = nn_run_history(r, &n);
    bool ranged = !lua_isnoneornil(L, 2);
    int from = (int)bind_optint(L, 2, "from (an epoch)", 1, 1, INT_MAX);
    static const char *const keys[] = {"loss",          "acc",        "val_loss", "val_acc",
                                       "seconds",       "precision",  "recall",   "f1",
                                       "val_precision", "val_recall", "val_f1"};
    enum { NKEYS = sizeof keys / sizeof keys[0] };
    /* names after from: those fields alone (a live view reads two to four of them ten
     * times a second; the other seven were tables of garbage) */
    int top = lua_gettop(L);
    bool want[NKEYS];
    for (int k = 0; k < NKEYS; k++) want[k] = top < 3;
    for (int i = 3; i <= top; i++) {
        const char *name = luaL_checkstring(L, i);
        int k = 0;
        while (k < NKEYS && strcmp(keys[k], name) != 0) k++;
        if (k == NKEYS)
            return luaL_error(L,
                              "run:history: no field '%s' (loss, acc, val_loss, val_acc, "
                              "seconds, precision, recall, f1, val_precision, val_recall, val_f1)",
                              name);
        want[k] = true;
    }
    lua_createtable(L, 0, NKEYS + ranged);
    for (int k = 0; k < NKEYS; k++) {
        if (!want[k]) continue;
        lua_createtable(L, from == 1 ? n : 0, from == 1 ? 0 : (n >= from ? n - from + 1 : 0));
        for (int e = from - 1; e < n; e++) {
            const double v[NKEYS] = {h[e].loss,       h[e].acc,     h[e].val_loss,
                                     h[e].val_acc,    h[e].seconds, h[e].precision,
                                     h[e].recall,     h[e].f1,      h[e].val_precision,
                                     h[e].val_recall, h[e].val_f1};
            lua_pushnumber(L, v[k]);
            lua_rawseti(L, -2, e + 1);
        }
        lua_setfield(L, -2, keys[k]);
    }
    if (ranged) {
        lua_pushinteger(L, n);
        lua_setfield(L, -2, "epochs");
    }
    return 1;
}

/* run:losses([from]) -> the step losses from step `from` (1-based) on, as a table */
static int r_losses(lua_State *L) {
    nn_run *r = checkrun(L, 1)->r;
    int64_t n, from = bind_optint(L, 2, "from (a step)", 1, 1, INT64_MAX);
    const float *ls = nn_run_step_losses(r, &n);
    lua_createtable(L, n >= from ? (int)(n - from + 1) : 0, 0);
    for (int64_t i = from - 1; i < n; i++) {
        lua_pushnumber(L, ls[i]);
        lua_rawseti(L, -2, (lua_Integer)(i - from + 2));
    }
    return 1;
}

/* lr_range_test(m, data, loss, batch, lr_min, lr_max, n [, opt]) -> lrs, losses */
static int t_lr_range(lua_State *L) {
    luamodel_ud *lm;
    nn_module *m = bind_checkmodel(L, 1, &lm);
    nn_dataset *d = bind_checkdataset(L, 2);
    nn_loss_kind k = bind_checkloss(L, 3);
    int batch = (int)bind_checkint(L, 4, "batch", 1, INT32_MAX);
    int n = (int)bind_checkint(L, 7, "steps", 2, 100000);
    double lo = luaL_checknumber(L, 5), hi = luaL_checknumber(L, 6);
    nn_optim *o = lua_isnoneornil(L, 8) ? NULL : bind_checkoptim(L, 8);
    float *buf = lua_newuserdatauv(L, 2 * (size_t)n * sizeof(float), 0);
    if (lm) lm->L = L;
    int done =
        nn_lr_range_test(bind_ctx(L), m, o, d, k, batch, (float)lo, (float)hi, n, buf, buf + n);
    bind_lua_leave(L, lm);
    if (done < 0) luaL_error(L, "%s", nn_error(bind_ctx(L)));
    lua_createtable(L, done, 0); /* the rates as asked for (the engine's are floats) */
    for (int i = 0; i < done; i++) {
        lua_pushnumber(L, lo * pow(hi / lo, (double)i / (n - 1)));
        lua_rawseti(L, -2, i + 1);
    }
    lua_createtable(L, done, 0);
    for (int i = 0; i < done; i++) {
        lua_pushnumber(L, buf[n + i]);
        lua_rawseti(L, -2, i + 1);
    }
    return 2;
}

/* run_confusion(run [, validation]) -> confusion, metrics of the last finished epoch (the
 * validation set's when validation is true), or nil */
static int r_confusion(lua_State *L) {
    nn_run *r = checkrun(L, 1)->r;
    int c;
    const int64_t *cm = nn_run_confusion(r, lua_toboolean(L, 2), &c);
    if (!cm) return 0;
    bind_pushconfusion(L, cm, c);
    return 2;
}

static int t_isatty(lua_State *L) {
    lua_pushboolean(L, isatty(STDOUT_FILENO));
    return 1;
}

/* set_running(m, mean, var): puts a batch-norm module's running statistics back (a
 * run's weight snapshots hold them; m:running() gives copies) */
static int t_set_running(lua_State *L) {
    nn_module *m = bind_checkmodule(L, 1);
    nn_tensor *mean = bind_checktensor(L, 2), *var = bind_checktensor(L, 3);
    float *r = nn_module_running(m);
    if (!r) return luaL_error(L, "set_running: %s has no running statistics", nn_module_name(m));
    int n = nn_module_out(m);
    if (mean->size != n || var->size != n)
        return luaL_error(L, "set_running: %s has %d channels, got %lld and %lld values",
                          nn_module_name(m), n, (long long)mean->size, (long long)var->size);
    memcpy(r, mean->data, (size_t)n * sizeof(float));
    memcpy(r + n, var->data, (size_t)n * sizeof(float));
    return 0;
}

static const luaL_Reg run_fns[] = {
    {"run", t_run},       {"run_confusion", r_confusion}, {"lr_range_test", t_lr_range},
    {"isatty", t_isatty}, {"lua_model", t_lua_model},     {"set_running", t_set_running},
    {NULL, NULL},
};

static const luaL_Reg run_methods[] = {
    {"run_for", r_run_for}, {"stop", r_stop},    {"status", r_status}, {"history", r_history},
    {"losses", r_losses},   {"free", r_release}, {NULL, NULL},
};

void bind_open_run(lua_State *L, int lib) {
    lib = lua_absindex(L, lib);
    lua_pushvalue(L, lib);
    lua_pushvalue(L, lib); /* upvalue: run reads fit_defaults from the module */
    luaL_setfuncs(L, run_fns, 1);
    lua_pop(L, 1);
    luaL_newmetatable(L, RUN_MT);
    lua_pushcfunction(L, r_release);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, r_release);
    lua_setfield(L, -2, "__close");
    lua_newtable(L);
    luaL_setfuncs(L, run_methods, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__index");
    lua_setfield(L, lib, "run_methods");
    lua_pop(L, 1);
    luaL_newmetatable(L, LUAMODEL_MT);
    lua_pushcfunction(L, lm_release);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}
