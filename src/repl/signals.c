/* signals.c: Ctrl-C. As in lua.c, the signal handler touches nothing of the
 * interpreter: it only sets a flag (the one global of nnlab). A count hook, set on
 * the main thread at start-up and so inherited by every coroutine, turns the flag
 * into the error "interrupted!" while a foreground command or wait() runs, and runs
 * the event-loop hooks about 60 times a second so windows stay alive meanwhile.
 * At the prompt the loop takes the flag instead and clears the line, and background
 * jobs go on, unless one has held the loop for STUCK_PASS_S without yielding: that
 * one is stopped. */
#include <lauxlib.h>
#include <signal.h>
#include <string.h>

#include "replint.h"

#define HOOK_COUNT    1000       /* VM instructions between checks: ~10 us of Lua */
#define HOOK_INTERVAL (1.0 / 60) /* seconds between hook passes in long commands */
#define STUCK_PASS_S  1.0        /* a job slice this long is a loop without yield */

static volatile sig_atomic_t interrupted_flag;

static void on_sigint(int sig) {
    (void)sig;
    interrupted_flag = 1;
}

void repl_signals_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: poll() in the loop wakes up with EINTR */
    sigaction(SIGINT, &sa, NULL);
}

bool repl_interrupted(void) {
    return interrupted_flag != 0;
}

bool repl_interrupt_take(void) {
    bool was = interrupted_flag != 0;
    interrupted_flag = 0;
    return was;
}

/* True when a background pass has run so long that a job must be stuck in a loop
 * that never yields: then Ctrl-C stops that job instead of waiting forever. */
static bool stuck_job(const repl *r, double now) {
    return r->jobs_since > 0 && now - r->jobs_since > STUCK_PASS_S;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    repl *r = repl_get(L);
    if (!r || !(r->foreground || r->jobs_since > 0)) return;
    double now = repl_now();
    if (interrupted_flag && (r->foreground || stuck_job(r, now))) {
        interrupted_flag = 0;
        luaL_error(L, "interrupted!");
    }
    if (now - r->last_hooks >= HOOK_INTERVAL) {
        r->last_hooks = now;
        repl_hooks_run(L);
    }
}

void repl_counthook_install(lua_State *L) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_COUNT);
}
