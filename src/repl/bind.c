/* bind.c: the list of binding openers; each becomes a package.preload entry. */
#include <lauxlib.h>

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
