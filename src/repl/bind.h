/* bind.h: the Lua bindings of the engine and the viz, shared by the bind_*.c files.
 * Each area (tensor, model, optim, data, plot) has one bind_<area>.c that ends in
 * luaL_Reg tables and one opener; bind_open_all registers every opener's module in
 * package.preload, so `require "nn.core"` etc. work in any Lua state we make. */
#ifndef BIND_H
#define BIND_H

#include <lua.h>

#include "nn.h"

/* Registers all binding modules in package.preload of L. */
void bind_open_all(lua_State *L);

/* Openers, one per bind_*.c; each pushes its module table. */
int bind_open_tensor(lua_State *L); /* "nn.core": tensors and ops */
int bind_open_race(lua_State *L);   /* "nn.race": loss surfaces, optimizers on a point */
int bind_open_plot(lua_State *L);   /* "viz.core": plot panels and the plot kinds */
int bind_open_window(lua_State *L); /* "viz.win": windows and their events (bind_window.c) */
int bind_open_model(lua_State *L);  /* "nn.train": modules, losses, runs, files (bind_model.c) */
int bind_open_optim(lua_State *L);  /* "nn.optim": optimizers (bind_optim.c) */
int bind_open_data(lua_State *L);   /* "nn.data": data sets (bind_data.c) */
int bind_open_views(lua_State *L);  /* "views.core": PNG pixels for the views (bind_views.c) */
int bind_open_rbm(lua_State *L);    /* "nn.rbm": RBMs and the 8x8 digits (bind_rbm.c) */
int bind_open_text(lua_State *L);   /* "nn.text": text files, word2vec, PCA (bind_text.c) */
int bind_open_embed(lua_State *L);  /* "nn.embed": PCA and t-SNE maps (bind_embed.c) */
int bind_open_seq(lua_State *L);    /* "nn.seq": embedding and recurrent layers (bind_seq.c) */
int bind_open_field(lua_State *L);  /* "nn.field": decision surfaces off the main thread */

/* Argument arg as a whole number from min to max, or a Lua error naming the
 * argument (what, e.g. "size") and its range: refuses non-numbers, fractions,
 * NaN and infinities, and values out of range (so that 2^32 + 2 is not taken as 2
 * when cast to int). bind_optint returns def for nil or none. */
lua_Integer bind_checkint(lua_State *L, int arg, const char *what, lua_Integer min,
                          lua_Integer max);
lua_Integer bind_optint(lua_State *L, int arg, const char *what, lua_Integer def, lua_Integer min,
                        lua_Integer max);

/* The engine context of this Lua state (created on first use, freed with the state). */
nn_ctx *bind_ctx(lua_State *L);
/* Checks that argument arg is a live tensor and returns it; raises a Lua error naming
 * the argument otherwise ("tensor was freed" for a freed one). */
nn_tensor *bind_checktensor(lua_State *L, int arg);
/* Pushes a new userdata owning t (takes the caller's reference). A NULL t raises the
 * engine's error message as a Lua error. */
void bind_pushtensor(lua_State *L, nn_tensor *t);

/* Training objects shared between bind_model.c, bind_optim.c and bind_data.c: check
 * an argument (raising "... was freed" / a type error) or push a new owner. */
nn_module *bind_checkmodule(lua_State *L, int arg);
/* Pushes a userdata owning m (the caller's reference); NULL raises the engine error. */
void bind_pushmodule(lua_State *L, nn_module *m);
nn_optim *bind_checkoptim(lua_State *L, int arg);
/* Pushes a userdata owning o that keeps the value at index target (its module or
 * tensors) alive. */
void bind_pushoptim(lua_State *L, nn_optim *o, int target);
nn_dataset *bind_checkdataset(lua_State *L, int arg);
/* A loss named by argument arg ("mse", "cross_entropy"...), or a Lua error. */
nn_loss_kind bind_checkloss(lua_State *L, int arg);
/* Pushes a confusion matrix cm[c*c] (row = true class) as rows of counts, then
 * {accuracy, precision, recall, f1} read from it as fit reports them. */
void bind_pushconfusion(lua_State *L, const int64_t *cm, int c);
/* Adds the runs (run, run_confusion, lr_range_test, isatty, lua_model) to the "nn.train"
 * table at index lib, with the "nnlab.run" metatable as lib.run_methods (bind_run.c). */
void bind_open_run(lua_State *L, int lib);
/* Whether the userdata at arg (a model, optimizer or data set) is used by a run that
 * is still running: its :free() then refuses (see bind_refuse_free_in_use). */
bool bind_used_by_run(lua_State *L, int arg);
/* Raises "<what>:free: the <noun> is used by a running fit; stop the run first"
 * when bind_used_by_run(L, 1); returns otherwise. */
void bind_refuse_free_in_use(lua_State *L, const char *what, const char *noun);
/* A model argument: a built-in module, or a model written in Lua (lua_model's userdata;
 * then *lua is set, else NULL). The engine may call a Lua model back only between
 * bind_lua_enter and bind_lua_leave, which raises an interrupt seen meanwhile. */
typedef struct bind_luamodel bind_luamodel;
nn_module *bind_checkmodel(lua_State *L, int arg, bind_luamodel **lua);
void bind_lua_enter(lua_State *L, bind_luamodel *lua);
void bind_lua_leave(lua_State *L, bind_luamodel *lua);
void bind_pushdataset(lua_State *L, nn_dataset *d); /* NULL raises the engine error */
#endif
