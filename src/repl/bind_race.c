/* bind_race.c: "nn.race", the C side of the optimizer races: the engine's built-in
 * loss surfaces (value, gradient, Hessian, grids, the 2x2 eigen-decomposition) and an
 * engine optimizer stepping one raw 2-float parameter with a gradient the caller
 * gives, with its state, effective learning rates and hyper-parameters readable and
 * writable between steps. The races themselves (racers, recording, views) are in
 * lua/race.lua; the optimizers are the engine's own (optim.c), the same code that
 * trains networks. */
#include <lauxlib.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "bind.h"

#define SURFACE_MT "nnlab.surface"
#define RACEOPT_MT "nnlab.raceopt"
#define NPARAM     2 /* a racer optimizes the point (x, y) */

/* ---- surfaces ------------------------------------------------------------- */

static nn_surface *checksurface(lua_State *L, int arg) {
    return luaL_checkudata(L, arg, SURFACE_MT);
}

/* surface(name [, param]) -> a built-in surface (a copy the caller may change). */
static int w_surface_new(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    bool has_param = !lua_isnoneornil(L, 2);
    double param = has_param ? luaL_checknumber(L, 2) : 0;
    nn_surface *s = lua_newuserdatauv(L, sizeof *s, 0);
    memset(s, 0, sizeof *s);
    luaL_setmetatable(L, SURFACE_MT);
    nn_ctx *ctx = bind_ctx(L);
    if (nn_surface_find(ctx, name, s) != NN_OK) return luaL_error(L, "%s", nn_error(ctx));
    if (has_param && nn_surface_set_param(ctx, s, param) != NN_OK)
        return luaL_error(L, "%s", nn_error(ctx));
    return 1;
}

/* surfaces() -> the names of the built-in surfaces, in their order. */
static int w_surfaces(lua_State *L) {
    int n = nn_surface_count();
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        nn_surface s;
        nn_surface_get(NULL, i, &s);
        lua_pushstring(L, s.name);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* s:eval(x, y) -> f, fx, fy */
static int w_surface_eval(lua_State *L) {
    const nn_surface *s = checksurface(L, 1);
    double g[2];
    double f = nn_surface_eval(s, luaL_checknumber(L, 2), luaL_checknumber(L, 3), g, NULL);
    lua_pushnumber(L, f);
    lua_pushnumber(L, g[0]);
    lua_pushnumber(L, g[1]);
    return 3;
}

/* s:hessian(x, y) -> f, fx, fy, fxx, fxy, fyy */
static int w_surface_hessian(lua_State *L) {
    const nn_surface *s = checksurface(L, 1);
    double g[2], h[3];
    double f = nn_surface_eval(s, luaL_checknumber(L, 2), luaL_checknumber(L, 3), g, h);
    lua_pushnumber(L, f);
    lua_pushnumber(L, g[0]);
    lua_pushnumber(L, g[1]);
    for (int k = 0; k < 3; k++) lua_pushnumber(L, h[k]);
    return 6;
}

/* s:grid(nx, ny [, x0, x1, y0, y1]) -> flat table of nx*ny values, row j (y rising)
 * after row j-1; the box defaults to the view box. */
static int w_surface_grid(lua_State *L) {
    const nn_surface *s = checksurface(L, 1);
    int nx = (int)bind_checkint(L, 2, "nx (points across)", 2, 4096);
    int ny = (int)bind_checkint(L, 3, "ny (points down)", 2, 4096);
    double x0 = luaL_optnumber(L, 4, s->xmin), x1 = luaL_optnumber(L, 5, s->xmax);
    double y0 = luaL_optnumber(L, 6, s->ymin), y1 = luaL_optnumber(L, 7, s->ymax);
    float *v = lua_newuserdatauv(L, (size_t)nx * ny * sizeof *v, 0); /* freed by the GC */
    nn_ctx *ctx = bind_ctx(L);
    if (nn_surface_grid(ctx, s, x0, x1, y0, y1, nx, ny, v) != NN_OK)
        return luaL_error(L, "%s", nn_error(ctx));
    lua_createtable(L, nx * ny, 0);
    for (int i = 0; i < nx * ny; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* s:set_param(value): the valley's condition number kappa. */
static int w_surface_set_param(lua_State *L) {
    nn_surface *s = checksurface(L, 1);
    nn_ctx *ctx = bind_ctx(L);
    if (nn_surface_set_param(ctx, s, luaL_checknumber(L, 2)) != NN_OK)
        return luaL_error(L, "%s", nn_error(ctx));
    return 0;
}

static void setnum(lua_State *L, const char *k, double v) {
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

static void pushpoints(lua_State *L, const double (*pt)[2], int n) {
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_createtable(L, 2, 0);
        lua_pushnumber(L, pt[i][0]);
        lua_rawseti(L, -2, 1);
        lua_pushnumber(L, pt[i][1]);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, i + 1);
    }
}

/* s:info() -> {name, formula, xmin, xmax, ymin, ymax, log_levels, param, param_name,
 * starts = {{x, y}...}, minima = {{x, y}...}, minval = {...}, nglobal} */
static int w_surface_info(lua_State *L) {
    const nn_surface *s = checksurface(L, 1);
    lua_createtable(L, 0, 14);
    lua_pushstring(L, s->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, s->formula);
    lua_setfield(L, -2, "formula");
    setnum(L, "xmin", s->xmin);
    setnum(L, "xmax", s->xmax);
    setnum(L, "ymin", s->ymin);
    setnum(L, "ymax", s->ymax);
    lua_pushboolean(L, s->log_levels);
    lua_setfield(L, -2, "log_levels");
    if (s->param_name) {
        setnum(L, "param", s->param);
        lua_pushstring(L, s->param_name);
        lua_setfield(L, -2, "param_name");
    }
    pushpoints(L, s->starts, s->nstarts);
    lua_setfield(L, -2, "starts");
    pushpoints(L, s->minima, s->nminima);
    lua_setfield(L, -2, "minima");
    lua_createtable(L, s->nminima, 0);
    for (int i = 0; i < s->nminima; i++) {
        lua_pushnumber(L, s->minval[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "minval");
    lua_pushinteger(L, s->nglobal);
    lua_setfield(L, -2, "nglobal");
    return 1;
}

static int w_surface_tostring(lua_State *L) {
    const nn_surface *s = checksurface(L, 1);
    lua_pushfstring(L, "surface %s: %s", s->name, s->formula);
    return 1;
}

/* eig(hxx, hxy, hyy) -> l1, l2, v1x, v1y, v2x, v2y with l1 >= l2, unit vectors. */
static int w_eig(lua_State *L) {
    double h[3] = {luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_checknumber(L, 3)};
    double val[2], vec[2][2];
    nn_sym2_eig(h, val, vec);
    lua_pushnumber(L, val[0]);
    lua_pushnumber(L, val[1]);
    lua_pushnumber(L, vec[0][0]);
    lua_pushnumber(L, vec[0][1]);
    lua_pushnumber(L, vec[1][0]);
    lua_pushnumber(L, vec[1][1]);
    return 6;
}

/* ---- an optimizer on one point ------------------------------------------------ */

typedef struct {
    nn_optim *o; /* NULL once freed */
    float p[NPARAM];
} raceopt;

static raceopt *checkopt(lua_State *L, int arg) {
    raceopt *r = luaL_checkudata(L, arg, RACEOPT_MT);
    if (!r->o) luaL_error(L, "optimizer was freed");
    return r;
}

/* Sets hp.name = value, or raises an error naming the bad name or value. */
static void hp_set(lua_State *L, nn_optim_hp *hp, const char *opt, const char *name, double value) {
    float *slot = nn_optim_hp_field(hp, name);
    if (!slot) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        const char *known;
        for (int i = 0; (known = nn_optim_hp_name(i)); i++) {
            if (i > 0) luaL_addstring(&b, ", ");
            luaL_addstring(&b, known);
        }
        luaL_pushresult(&b);
        luaL_error(L, "%s: no hyper-parameter '%s' (there are: %s)", opt, name,
                   lua_tostring(L, -1));
    }
    if (!isfinite(value) || value < 0)
        luaL_error(L, "%s: %s = %f, must be a finite number >= 0", opt, name, value);
    *slot = (float)value;
}

/* optimizer(name, x, y [, {lr = ..., ...}]) -> an engine optimizer over the point
 * (x, y), with the kind's defaults changed by the table. */
static int w_optimizer_new(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    double x = luaL_checknumber(L, 2), y = luaL_checknumber(L, 3);
    lua_settop(L, 4); /* the new userdata goes to 5, whether the table was given or not */
    raceopt *r = lua_newuserdatauv(L, sizeof *r, 0); /* safe to collect before o is set */
    r->o = NULL;
    luaL_setmetatable(L, RACEOPT_MT);
    int kind = nn_optim_from_name(name);
    if (kind < 0) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (int k = 0; k < NN_OPT_COUNT; k++) {
            if (k) luaL_addstring(&b, ", ");
            luaL_addstring(&b, nn_optim_name((nn_optim_kind)k));
        }
        luaL_pushresult(&b);
        return luaL_error(L, "no optimizer called '%s' (there are: %s)", name, lua_tostring(L, -1));
    }
    nn_optim_hp hp = nn_optim_defaults((nn_optim_kind)kind);
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        lua_pushnil(L);
        while (lua_next(L, 4)) {
            if (lua_type(L, -2) == LUA_TSTRING) {
                const char *k = lua_tostring(L, -2);
                if (lua_type(L, -1) != LUA_TNUMBER)
                    return luaL_error(L, "%s: %s must be a number, got %s", name, k,
                                      luaL_typename(L, -1));
                hp_set(L, &hp, name, k, lua_tonumber(L, -1));
            }
            lua_pop(L, 1);
        }
    }
    nn_ctx *ctx = bind_ctx(L);
    r->o = nn_optim_new(ctx, (nn_optim_kind)kind, hp, NPARAM);
    if (!r->o) return luaL_error(L, "%s", nn_error(ctx));
    r->p[0] = (float)x, r->p[1] = (float)y;
    return 1;
}

static int push_position(lua_State *L, const raceopt *r) {
    lua_pushnumber(L, r->p[0]);
    lua_pushnumber(L, r->p[1]);
    return 2;
}

/* o:step(gx, gy) -> x, y: one engine update of the point with this gradient. */
static int w_opt_step(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    float g[NPARAM] = {(float)luaL_checknumber(L, 2), (float)luaL_checknumber(L, 3)};
    nn_optim_step(r->o, r->p, g);
    return push_position(L, r);
}

static int w_opt_position(lua_State *L) {
    return push_position(L, checkopt(L, 1));
}

/* o:set_position(x, y): moves the point, keeping the state (a rewind restores both). */
static int w_opt_set_position(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    r->p[0] = (float)luaL_checknumber(L, 2), r->p[1] = (float)luaL_checknumber(L, 3);
    return 0;
}

/* o:state() -> {name = {a, b}, ...}: the optimizer's state arrays ("velocity",
 * "m", "v", ...), empty for plain gradient descent. */
static int w_opt_state(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    int n = nn_optim_nstate(r->o);
    lua_createtable(L, 0, n);
    for (int i = 0; i < n; i++) {
        const float *s = nn_optim_state(r->o, i);
        lua_createtable(L, NPARAM, 0);
        for (int k = 0; k < NPARAM; k++) {
            lua_pushnumber(L, s[k]);
            lua_rawseti(L, -2, k + 1);
        }
        lua_setfield(L, -2, nn_optim_state_name(r->o, i));
    }
    return 1;
}

/* o:state_names() -> {"m", "v"}: the names of the state arrays, in snapshot order. */
static int w_opt_state_names(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    int n = nn_optim_nstate(r->o);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushstring(L, nn_optim_state_name(r->o, i));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* o:snapshot() -> flat table {steps, s0[1], s0[2], s1[1], ...}: everything a later
 * o:restore needs to continue exactly from here (the position aside). */
static int w_opt_snapshot(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    int n = nn_optim_nstate(r->o);
    lua_createtable(L, 1 + n * NPARAM, 0);
    lua_pushinteger(L, nn_optim_steps(r->o));
    lua_rawseti(L, -2, 1);
    for (int i = 0; i < n; i++) {
        const float *s = nn_optim_state(r->o, i);
        for (int k = 0; k < NPARAM; k++) {
            lua_pushnumber(L, s[k]);
            lua_rawseti(L, -2, 2 + i * NPARAM + k);
        }
    }
    return 1;
}

/* o:restore(snapshot): the state and step count of o:snapshot(); exact, since the
 * snapshot holds the floats as doubles. */
static int w_opt_restore(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    int n = nn_optim_nstate(r->o);
    luaL_argcheck(L, lua_rawlen(L, 2) == (lua_Unsigned)(1 + n * NPARAM), 2,
                  "not a snapshot of this optimizer");
    lua_rawgeti(L, 2, 1);
    nn_optim_set_steps(r->o, (int64_t)lua_tointeger(L, -1));
    lua_pop(L, 1);
    for (int i = 0; i < n; i++) {
        float *s = nn_optim_state(r->o, i);
        for (int k = 0; k < NPARAM; k++) {
            lua_rawgeti(L, 2, 2 + i * NPARAM + k);
            s[k] = (float)lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
    }
    return 0;
}

/* o:effective_lr() -> ex, ey: the per-coordinate step size at the current state. */
static int w_opt_effective_lr(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    float e[NPARAM];
    nn_optim_effective_lr(r->o, e);
    lua_pushnumber(L, e[0]);
    lua_pushnumber(L, e[1]);
    return 2;
}

/* o:hparams() -> {lr = ..., momentum = ..., ...} (a copy). */
static int w_opt_hparams(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    nn_optim_hp *hp = nn_optim_hparams(r->o);
    lua_createtable(L, 0, 13);
    const char *name;
    for (int i = 0; (name = nn_optim_hp_name(i)); i++)
        setnum(L, name, *nn_optim_hp_field(hp, name));
    return 1;
}

static int w_opt_steps(lua_State *L) {
    lua_pushinteger(L, nn_optim_steps(checkopt(L, 1)->o));
    return 1;
}

static int w_opt_name(lua_State *L) {
    lua_pushstring(L, nn_optim_name(nn_optim_kind_of(checkopt(L, 1)->o)));
    return 1;
}

/* o:reset(x, y): zero state and step count, the point moved to (x, y). */
static int w_opt_reset(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    nn_optim_reset(r->o);
    r->p[0] = (float)luaL_checknumber(L, 2), r->p[1] = (float)luaL_checknumber(L, 3);
    return 0;
}

static int w_opt_free(lua_State *L) {
    raceopt *r = luaL_checkudata(L, 1, RACEOPT_MT);
    nn_optim_free(r->o);
    r->o = NULL;
    return 0;
}

static const luaL_Reg opt_methods[] = {
    {"step", w_opt_step},
    {"position", w_opt_position},
    {"set_position", w_opt_set_position},
    {"state", w_opt_state},
    {"state_names", w_opt_state_names},
    {"snapshot", w_opt_snapshot},
    {"restore", w_opt_restore},
    {"effective_lr", w_opt_effective_lr},
    {"hparams", w_opt_hparams},
    {"steps", w_opt_steps},
    {"name", w_opt_name},
    {"reset", w_opt_reset},
    {"free", w_opt_free},
    {NULL, NULL},
};

/* o.lr, o.momentum, ...: hyper-parameters read like fields; methods otherwise. */
static int w_opt_index(lua_State *L) {
    raceopt *r = luaL_checkudata(L, 1, RACEOPT_MT);
    const char *k = luaL_checkstring(L, 2);
    if (luaL_getmetafield(L, 1, "methods") && lua_getfield(L, -1, k) != LUA_TNIL) return 1;
    if (!r->o) return luaL_error(L, "optimizer was freed");
    float *slot = nn_optim_hp_field(nn_optim_hparams(r->o), k);
    if (!slot) return 0;
    lua_pushnumber(L, *slot);
    return 1;
}

/* o.lr = 0.01: takes effect at the next step. */
static int w_opt_newindex(lua_State *L) {
    raceopt *r = checkopt(L, 1);
    const char *k = luaL_checkstring(L, 2);
    const char *name = nn_optim_name(nn_optim_kind_of(r->o));
    if (lua_type(L, 3) != LUA_TNUMBER)
        return luaL_error(L, "%s: %s must be a number, got %s", name, k, luaL_typename(L, 3));
    hp_set(L, nn_optim_hparams(r->o), name, k, lua_tonumber(L, 3));
    return 0;
}

static int w_opt_tostring(lua_State *L) {
    raceopt *r = luaL_checkudata(L, 1, RACEOPT_MT);
    if (!r->o) {
        lua_pushliteral(L, "optimizer (freed)");
        return 1;
    }
    lua_pushfstring(L, "%s at (%f, %f), step %d", nn_optim_name(nn_optim_kind_of(r->o)),
                    (double)r->p[0], (double)r->p[1], (int)nn_optim_steps(r->o));
    return 1;
}

static const luaL_Reg opt_meta[] = {
    {"__index", w_opt_index}, {"__newindex", w_opt_newindex}, {"__gc", w_opt_free},
    {"__close", w_opt_free},  {"__tostring", w_opt_tostring}, {NULL, NULL},
};

/* ---- the engine's generator ------------------------------------------------------ */

/* normals(n [, seed]) -> n standard normal draws from the engine's one generator,
 * seeded first when seed is given (as nn.seed would). */
static int w_normals(lua_State *L) {
    lua_Integer n = bind_checkint(L, 1, "n (draws)", 0, 1 << 26);
    nn_ctx *ctx = bind_ctx(L);
    if (!lua_isnoneornil(L, 2)) nn_seed(ctx, (uint64_t)luaL_checkinteger(L, 2));
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_pushnumber(L, nn_rand_normal(ctx));
        lua_rawseti(L, -2, i);
    }
    return 1;
}

/* optimizers() -> the engine's optimizer names, in its order. */
static int w_optimizers(lua_State *L) {
    lua_createtable(L, NN_OPT_COUNT, 0);
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        lua_pushstring(L, nn_optim_name((nn_optim_kind)k));
        lua_rawseti(L, -2, k + 1);
    }
    return 1;
}

static const luaL_Reg surface_methods[] = {
    {"eval", w_surface_eval}, {"hessian", w_surface_hessian},     {"grid", w_surface_grid},
    {"info", w_surface_info}, {"set_param", w_surface_set_param}, {NULL, NULL},
};

static const luaL_Reg functions[] = {
    {"surface", w_surface_new},
    {"surfaces", w_surfaces},
    {"eig", w_eig},
    {"optimizer", w_optimizer_new},
    {"optimizers", w_optimizers},
    {"normals", w_normals},
    {NULL, NULL},
};

int bind_open_race(lua_State *L) {
    luaL_newmetatable(L, SURFACE_MT);
    luaL_newlib(L, surface_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, w_surface_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    luaL_newmetatable(L, RACEOPT_MT);
    luaL_setfuncs(L, opt_meta, 0);
    luaL_newlib(L, opt_methods);
    lua_setfield(L, -2, "methods");
    lua_pop(L, 1);
    luaL_newlib(L, functions);
    return 1;
}
