/* repl.h: the nnlab REPL seen from the other parts of src/repl (bindings, viz glue)
 * and from tests: the event-loop hooks, the Lua state the REPL makes, and the pieces
 * of the prompt that are tested on their own (evaluation, printing, completion).
 * Everything else in src/repl/{loop,eval,print,complete,history,jobs,...}.c is
 * private to the REPL. */
#ifndef REPL_H
#define REPL_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- event-loop hooks ----------------------------------------------------- */

/* A hook is called on each pass of the event loop: about every 10 ms while idle at
 * the prompt, while wait(job) runs a job in the foreground, and (about 60 times a
 * second) during long foreground Lua commands. L is the running thread, which may
 * be a coroutine; a hook must not yield, and should not raise errors (an error raised
 * from a hook inside a long command ends that command). */
typedef void (*repl_hook_fn)(lua_State *L, void *ud);

/* Registers fn(L, ud) in the hook list of L's state (one list per Lua state; the
 * same fn may be added with different ud). Can't fail except for lack of memory,
 * which raises a Lua memory error. */
void repl_hook_add(lua_State *L, repl_hook_fn fn, void *ud);
/* Runs every hook once, in the order they were added. */
void repl_hooks_run(lua_State *L);

/* ---- the Lua state -------------------------------------------------------- */

/* Makes a Lua state with the standard libraries, the bindings (bind_open_all), the
 * module "repl.core", package.path set to nnlab's lua/ folder, and runs lua/init.lua.
 * With safe true the user's code runs without os.execute, io.popen, os.remove,
 * os.rename, package.loadlib and C module loading. Returns NULL after printing the
 * reason on stderr when init.lua fails. */
lua_State *repl_newstate(bool safe);
/* What `nnlab --safe --time S --memory M --scratch DIR script` asks of the state.
 * With safe, files outside the script's folder, the scratch folder (made with
 * mkdtemp when scratch is NULL) and nnlab's own folders are refused, and so are
 * binary chunks, the debug library, the environment, os.exit and stopping the
 * collector (lua/sandbox.lua). time_s > 0 ends the run after that many seconds;
 * memory > 0 refuses Lua allocations past it and ends the run when the resident
 * set grows past it (tensors included). */
typedef struct repl_options {
    bool safe;
    const char *script;  /* the script's path, or NULL */
    const char *scratch; /* --scratch, or NULL */
    double time_s;
    size_t memory;
} repl_options;
lua_State *repl_newstate_with(const repl_options *o);
/* Closes a state made by repl_newstate (NULL is accepted). */
void repl_closestate(lua_State *L);

/* Writes into out (n bytes, PATH_MAX is enough) the folder of nnlab's Lua files:
 * $NNLAB_LUA_DIR, else the installed one next to the executable (PREFIX/bin/nnlab ->
 * PREFIX/share/nnlab/lua), else the source tree's lua/ when it exists, else the
 * configured install folder. */
void repl_find_lua_dir(char *out, size_t n);
/* The same for the lessons folder ($NNLAB_LESSONS_DIR first). */
void repl_find_lessons_dir(char *out, size_t n);

/* ---- evaluation ----------------------------------------------------------- */

/* True when code does not compile only because it ends too early (an open
 * `function`, `{`, string, ...), so the prompt should read another line. */
bool repl_incomplete(lua_State *L, const char *code);

/* Calls the function below its nargs arguments like lua_pcall with nresults
 * LUA_MULTRET, with a traceback trimmed to the user's code (no frames of nnlab's
 * lua/ folder, no C frames) and Ctrl-C handling.
 * On error leaves the message (with traceback) on the stack and returns the status. */
int repl_docall(lua_State *L, int nargs);
/* Prints the error message on top of the stack to stderr (coloured on a terminal)
 * and pops it. */
void repl_report(lua_State *L);

/* ---- printing ------------------------------------------------------------- */

/* Pushes a readable representation of the value at idx: strings quoted when
 * nested, tables with depth and width limits and cycle detection, userdata through
 * a printer registered with repl.printer(type_name, fn) or __tostring, and other
 * objects (tables with a metatable) as one line saying what they are. Top-level
 * strings are pushed as they are when raw_strings is true. Never raises except for
 * lack of memory (a failing __tostring shows as <tostring error: msg>). */
void repl_pushrepr(lua_State *L, int idx, bool raw_strings);
/* The same with a top-level object's fields shown as a table's (:details). */
void repl_pushrepr_full(lua_State *L, int idx);
/* The same in one line, for a value printed beside others (a call's second and third
 * results): a plain table that would take several lines names its keys instead, an
 * object shows its first line. */
void repl_pushrepr_line(lua_State *L, int idx);

/* ---- completion ----------------------------------------------------------- */

/* Pushes a sorted array of the words that complete `line` up to byte `end`: global
 * names, table fields and methods after `.` and `:` (walking metatables' __index
 * tables, and __keys tables or functions, without calling any __index function;
 * after `:` a table's functions, and for userdata every name listed in __methods
 * or __keys, since a listed field may be callable, like a tensor's t:shape()),
 * and file names when end is inside a string literal. Each candidate is the whole
 * word from the position *wstart (set on return), which is where the completed
 * word begins in line. */
void repl_complete(lua_State *L, const char *line, size_t end, size_t *wstart);

/* ---- Ctrl-C --------------------------------------------------------------- */

/* True when Ctrl-C was pressed and not yet consumed; long C loops called from Lua
 * may poll it between steps and return early. */
bool repl_interrupted(void);
/* An op boundary: when Ctrl-C is pending, raises "interrupted!" as the count hook
 * would (in the foreground, or in a job that has held the loop too long); else
 * returns at once. Bindings call it after each op, so that a loop of long C calls
 * (BLAS) stops at the next op instead of after a thousand VM instructions. */
void repl_interrupt_point(lua_State *L);
/* Whether L's state runs under a --memory limit, where any Lua allocation may fail:
 * bindings that hold an engine object while they make its userdata then make it in a
 * protected call, so that the object is freed rather than leaked. */
bool repl_memory_limited(lua_State *L);

#endif
