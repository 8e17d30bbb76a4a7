/* bind_viz.h: what the two bindings of the viz share, and nothing else uses:
 * bind_plot.c's panels ("viz.core") and bind_window.c's windows and event pump
 * ("viz.win"). Defined in bind_plot.c. */
#ifndef BIND_VIZ_H
#define BIND_VIZ_H

#include <lauxlib.h>
#include <lua.h>

#include "viz.h"

#define PLOT_MT "nnlab.plot"

/* The viz app of this Lua state: fonts, windows, events. Made on first use, in a
 * registry userdata made before any panel or window, so that lua_close finalizes it
 * after all of them; a Lua error when the viz cannot start (no fonts). */
viz_app *bind_viz_app(lua_State *L);
viz_app *bind_viz_app_if_any(lua_State *L); /* NULL before the first panel or window */
/* Argument arg as a live panel; raises "plot was freed" or a type error. */
viz_panel *bind_checkplot(lua_State *L, int arg);
/* Makes metatable name with __gc/__close = release, __tostring, and __index = a table
 * of methods, which it leaves in field `field` of the module table on top. */
void bind_viz_type(lua_State *L, const char *name, lua_CFunction release, lua_CFunction tostring,
                   const luaL_Reg *methods, const char *field);

#endif
