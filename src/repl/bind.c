/* bind.c: the list of binding openers (each becomes a package.preload entry), and
 * the checked integer reader every binding shares. */
#include <lauxlib.h>
#include <math.h>

#include "bind.h"

static const luaL_Reg openers[] = {
    {"nn.core", bind_open_tensor},   /* bind_tensor.c */
    {"nn.race", bind_open_race},     /* bind_race.c */
    {"viz.core", bind_open_plot},    /* bind_plot.c */
    {"viz.win", bind_open_window},   /* bind_window.c */
    {"nn.train", bind_open_model},   /* bind_model.c */
    {"nn.optim", bind_open_optim},   /* bind_optim.c */
    {"nn.data", bind_open_data},     /* bind_data.c */
    {"views.core", bind_open_views}, /* bind_views.c */
    {"nn.rbm", bind_open_rbm},       /* bind_rbm.c */
    {"nn.text", bind_open_text},     /* bind_text.c */
    {"nn.embed", bind_open_embed},   /* bind_embed.c */
    {"nn.seq", bind_open_seq},       /* bind_seq.c */
    {"nn.field", bind_open_field},   /* bind_field.c */
    {NULL, NULL},
};

void bind_open_all(lua_State *L) {
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    for (const luaL_Reg *o = openers; o->name; o++) {
        lua_pushcfunction(L, o->func);
        lua_setfield(L, -2, o->name);
    }
    lua_pop(L, 1);
}

lua_Integer bind_checkint(lua_State *L, int arg, const char *what, lua_Integer min,
                          lua_Integer max) {
    int ok;
    lua_Integer v = lua_tointegerx(L, arg, &ok);
    if (ok && v >= min && v <= max) return v;
    const char *got;
    if (ok)
        got = lua_pushfstring(L, "%I", v);
    else if (lua_type(L, arg) == LUA_TNUMBER) {
        lua_Number x = lua_tonumber(L, arg);
        got = isfinite(x) ? lua_pushfstring(L, "%f", x) : x != x ? "nan" : x > 0 ? "inf" : "-inf";
    } else
        got = lua_pushfstring(L, "a %s", luaL_typename(L, arg));
    return luaL_argerror(
        L, arg,
        lua_pushfstring(L, "%s must be a whole number from %I to %I, got %s", what, min, max, got));
}

lua_Integer bind_optint(lua_State *L, int arg, const char *what, lua_Integer def, lua_Integer min,
                        lua_Integer max) {
    return lua_isnoneornil(L, arg) ? def : bind_checkint(L, arg, what, min, max);
}

void bind_refuse_free_in_use(lua_State *L, const char *what, const char *noun) {
    if (bind_used_by_run(L, 1))
        luaL_error(L, "%s:free: the %s is used by a running fit; stop the run first (run:stop())",
                   what, noun);
}
