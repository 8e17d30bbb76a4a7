/* replint.h: what the REPL's own files share and nothing else sees: the per-state
 * REPL record (hooks, foreground flag, prompt state), Ctrl-C, output above the
 * prompt, history, and the "repl.core" module. */
#ifndef REPLINT_H
#define REPLINT_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

#include "repl.h"

#define REPL_PATH_MAX      4096
#define REPL_SANDBOX_ROOTS 8

typedef struct repl repl;

typedef struct repl_hook {
    repl_hook_fn fn;
    void *ud;
} repl_hook;

/* One per Lua state, a userdata in the registry (repl_get finds it). */
struct repl {
    lua_State *main;
    repl_hook *hooks;
    int nhooks, caphooks;
    bool in_hooks;    /* hooks are running: don't run them again from the count hook */
    bool foreground;  /* a command or wait() runs: Ctrl-C raises "interrupted!" */
    bool interactive; /* at the prompt (also repl.interactive) */
    bool safe;
    /* Ctrl-C or a --time/--memory limit raised an error that user code must not
     * catch: set by the count hook, cleared when the command (or job pass) that
     * got it returns to the top (signals.c). limit is sticky: the run ends. */
    const char *pending; /* "interrupted!" or a limit's message, or NULL */
    double pending_since;
    bool limit_hit;
    double deadline;   /* monotonic seconds after which --time stops the run, or 0 */
    double time_limit; /* --time in seconds (for the message), or 0 */
    size_t mem_limit;  /* --memory in bytes (resident set), or 0 */
    double last_mem;   /* monotonic seconds of the last resident-memory check */
    /* --safe's folders (sandbox.c): roots[i] is readable, writable when
     * root_write[i]; scratch is one of them (made with mkdtemp unless --scratch) */
    char roots[REPL_SANDBOX_ROOTS][REPL_PATH_MAX];
    bool root_write[REPL_SANDBOX_ROOTS];
    int nroots;
    char scratch[REPL_PATH_MAX];
    bool scratch_made;
    double jobs_since; /* monotonic start of the background job pass running now, or 0 */
    double last_hooks; /* monotonic seconds of the last hook pass from the count hook */
    /* prompt state, owned by loop.c */
    bool rl_active;     /* readline's handler is installed and its line shown */
    bool rl_hidden;     /* the line was taken off the screen to print above it */
    bool out_partial;   /* the last write through print/io.write ended inside a line */
    bool echo_held;     /* the terminal's echo is off while a typed line runs */
    bool status_fresh;  /* the line just above the prompt is the status line */
    bool recording;     /* :record runs: input and output go to repl._record too */
    char *history_path; /* NULL: history in memory only */
    char lua_dir[REPL_PATH_MAX], lessons_dir[REPL_PATH_MAX];
};

/* The record of L's state (L may be any of its threads); NULL for states not made
 * by repl_newstate, until a hook is added to them. */
repl *repl_get(lua_State *L);

/* Monotonic time in seconds. */
double repl_now(void);

/* signals.c: SIGINT sets a flag; the count hook (installed on the main thread and
 * so inherited by every coroutine) raises "interrupted!" in the foreground. */
void repl_signals_install(void);
void repl_counthook_install(lua_State *L);
/* Returns and clears the Ctrl-C flag. */
bool repl_interrupt_take(void);
/* Clears the uncatchable error of the command that ended (not a limit's). */
void repl_pending_clear(repl *r);
/* Starts the --time limit: the hook raises at the deadline, and SIGALRM ends the
 * process REPL_TIME_GRACE_S later if C code (a regex, a long BLAS call) never
 * returns to Lua. */
#define REPL_TIME_GRACE_S 5
void repl_time_limit_start(repl *r, double seconds);
/* Ends the run with a limit's message (fmt takes value), raised by the hook. */
void repl_limit_hit(repl *r, const char *fmt, double value);
/* Checks the resident set against --memory (now: repl_now()); false once over. */
bool repl_memory_check(repl *r, double now);
/* Resident memory of this process in bytes (/proc/self/statm), 0 if unknown. */
size_t repl_resident_bytes(void);

/* sandbox.c: --safe's file rules. repl_sandbox_init makes the scratch folder and
 * records the folders a --safe run may read and write; repl_sandbox_check
 * resolves path (symlinks, "..") and returns it when it lies inside them, else
 * NULL with a message in err. */
bool repl_sandbox_init(repl *r, const char *script, const char *scratch);
bool repl_sandbox_check(const repl *r, const char *path, bool write, char out[REPL_PATH_MAX],
                        char *err, size_t errn);
/* Removes the scratch folder when it was made here and is empty. */
void repl_sandbox_close(repl *r);

/* loop.c: before anything is written while the prompt is shown, take the typed
 * line off the screen; repl_out_show puts it back (called at the end of a pass). */
void repl_out_hide(repl *r);
void repl_out_show(repl *r);
/* Writes a status line (a background job's progress) just above the prompt, over
 * the previous one while nothing else was written since; cut to the terminal's
 * width; text NULL takes the status line away. Does nothing unless the prompt is
 * shown on a terminal. */
void repl_status(repl *r, const char *text);
/* While a typed line runs, the terminal does not echo keys (readline shows them
 * when the prompt is back). repl_echo_release turns echo on again for code that
 * reads the terminal (io.read, os.execute, ...; core.c wraps them) and returns
 * whether it was held; repl_echo_hold turns it off again. Both do nothing when
 * standard input is not a terminal. */
bool repl_echo_release(repl *r);
void repl_echo_hold(repl *r);
/* Runs the interactive prompt until :quit or Ctrl-D; returns the exit status. */
int repl_loop(lua_State *L);

/* eval.c: while :record runs, hands repl._record(kind, text) what the session
 * shows: kind "input" (a command typed), "output" (what it printed), "after" (the
 * command ended). Does nothing when not recording; never raises. */
void repl_record(lua_State *L, const char *kind, const char *text, size_t len);

/* eval.c: evaluates one complete chunk typed at the prompt (or a `:command` or a
 * `?name`), prints results, sets _, reports errors. */
void repl_eval_line(lua_State *L, const char *chunk);
/* Registry key of the module "repl" (lua/repl.lua), which it stores there itself
 * (core.register) as it loads, before any user code runs. */
#define REPL_MODULE_KEY "nnlab_repl_module"
/* Pushes the module "repl" as it was stored at start-up, so that a user replacing
 * the global `repl` or package.loaded.repl can't break the prompt; returns its
 * type (nil in a state without it). */
int repl_push_module(lua_State *L);
/* Pushes the raw field name of that module (nil when there is no module), and
 * returns its type; never runs a metamethod, so never raises. */
int repl_module_field(lua_State *L, const char *name);
/* Calls repl[name](...) from lua/repl.lua with nargs arguments on the stack,
 * reporting errors; returns false on error or when the function is missing. */
bool repl_call_lua(lua_State *L, const char *name, int nargs, int nresults);

/* history.c: loads the history file (see history.c for where it is) and keeps
 * appending to it; without a usable file the history lives in memory only. */
bool repl_history_path(char *out, size_t n);
void repl_history_open(repl *r);
void repl_history_add(repl *r, const char *line);
void repl_history_close(repl *r);

/* atomic.c: replaces path by len bytes of data through a temporary file, fsync and
 * rename, so that a crash leaves the old file or the new, never a mix. False with
 * a message in err (errn bytes) on failure; the old file is then untouched. */
bool repl_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errn);
/* mkdir -p of path's parent folder (path is restored on return); false on failure. */
bool repl_make_parent(char *path);

/* complete.c: installs the readline completion function for L. */
void repl_complete_install(lua_State *L);

/* core.c: opens "repl.core" (C helpers that lua/repl.lua builds on). */
int repl_open_core(lua_State *L);

/* print.c: repl.printer(type_name, fn). */
int repl_set_printer(lua_State *L);
/* eval.c: replaces the traceback string on top of the stack by one trimmed to the
 * user's code. */
void repl_trim_traceback(lua_State *L);

/* start.c: the whole program: options, scripts, -e, the prompt; the exit status. */
int repl_main(int argc, char **argv);

/* Colours for the terminal, or "" when stderr/stdout is not one. */
bool repl_colour(int fd);

#endif
