/* signals.c: Ctrl-C. As in lua.c, the signal handler touches nothing of the
 * interpreter: it only sets a flag (the one global of nnlab). A count hook, set on
 * the main thread at start-up and so inherited by every coroutine, turns the flag
 * into the error "interrupted!" while a foreground command or wait() runs, and runs
 * the event-loop hooks about 60 times a second so windows stay alive meanwhile.
 * At the prompt the loop takes the flag instead and clears the line, and background
 * jobs go on, unless one has held the loop for STUCK_PASS_S without yielding: that
 * one is stopped.
 *
 * The error that Ctrl-C raises cannot be caught for good: the hook records it as
 * pending in the REPL record until the command returns to the top, the pcall,
 * xpcall and coroutine.resume that user code sees raise it again when they catch
 * it while it is pending (lua/sandbox.lua), and should C code swallow it (a
 * binding that runs a callback under lua_pcall) the hook raises it again every
 * REFIRE_S. So `while true do pcall(function() while true do end end) end` stops.
 * The --time and --memory limits raise the same way, and stay pending: the run
 * ends. When no Lua runs to take Ctrl-C at all (a finalizer, which Lua runs with
 * hooks off, looping; C code that never returns), the third unanswered press
 * ends the process.
 *
 * The count hook counts VM instructions, and a loop of long C calls runs few: `for
 * i = 1, 1000 do c = b:matmul(b) end` reaches 1000 instructions only every hundred
 * matmuls. So the bindings also call repl_interrupt_point after each op (when a
 * tensor result is pushed), and Ctrl-C stops such a loop at the next op. */
#include <lauxlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "replint.h"

#define HOOK_COUNT    1000       /* VM instructions between checks: ~10 us of Lua */
#define HOOK_INTERVAL (1.0 / 60) /* seconds between hook passes in long commands */
#define STUCK_PASS_S  1.0        /* a job slice this long is a loop without yield */
#define REFIRE_S      0.25       /* a pending interruption swallowed this long: again */
#define MEM_CHECK_S   0.01       /* seconds between resident-memory checks (--memory) */

/* Ctrl-C presses not yet taken; FORCE_QUIT_PRESSES of them mean that no Lua runs
 * to take them (a finalizer loops with hooks off, C code never returns): then the
 * process ends rather than hang. */
static volatile sig_atomic_t interrupted_flag;

#define FORCE_QUIT_PRESSES 3

static void on_sigint(int sig) {
    (void)sig;
    if (interrupted_flag >= FORCE_QUIT_PRESSES - 1) {
        static const char msg[] = "\nnnlab: Ctrl-C three times and the code did not stop; "
                                  "leaving\n";
        ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)w;
        _exit(130);
    }
    interrupted_flag = interrupted_flag + 1;
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

void repl_pending_clear(repl *r) {
    if (r && !r->limit_hit) r->pending = NULL;
}

size_t repl_resident_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (!f) return 0;
    int n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? (size_t)resident * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

/* The last resort of --time: C code that never comes back to Lua. Only
 * async-signal-safe calls here. */
static void on_sigalrm(int sig) {
    (void)sig;
    static const char msg[] = "nnlab: time limit exceeded; stopped\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(124);
}

void repl_time_limit_start(repl *r, double seconds) {
    r->time_limit = seconds;
    r->deadline = repl_now() + seconds;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigalrm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    alarm((unsigned)seconds + REPL_TIME_GRACE_S);
}

/* Records a limit's message (kept in the record, so it outlives the stack) and
 * marks the run over. */
void repl_limit_hit(repl *r, const char *fmt, double value) {
    static char msg[128]; /* one per process, like the flag: limits end the run */
    snprintf(msg, sizeof msg, fmt, value);
    r->pending = msg;
    r->limit_hit = true;
}

bool repl_memory_check(repl *r, double now) {
    r->last_mem = now;
    size_t rss = r->limit_hit ? 0 : repl_resident_bytes();
    if (rss > r->mem_limit)
        repl_limit_hit(r, "memory limit exceeded: %.0f MB resident", (double)rss / (1 << 20));
    return !r->limit_hit;
}

/* Sets r->pending when a limit is passed or Ctrl-C came; returns the message to
 * raise now, or NULL. */
static const char *due(repl *r, double now) {
    if (r->deadline > 0 && now > r->deadline && !r->limit_hit)
        repl_limit_hit(r, "time limit of %g s exceeded", r->time_limit);
    if (r->mem_limit && now - r->last_mem >= MEM_CHECK_S) repl_memory_check(r, now);
    if (r->limit_hit) return r->pending;
    if (!(r->foreground || r->jobs_since > 0)) return NULL;
    if (interrupted_flag && (r->foreground || stuck_job(r, now))) {
        interrupted_flag = 0;
        r->pending = "interrupted!";
        r->pending_since = now;
        return r->pending;
    }
    if (r->pending && now - r->pending_since > REFIRE_S) {
        r->pending_since = now;
        return r->pending;
    }
    return NULL;
}

bool repl_memory_limited(lua_State *L) {
    repl *r = repl_get(L);
    return r && r->mem_limit > 0;
}

void repl_interrupt_point(lua_State *L) {
    if (!interrupted_flag) return; /* the common case: one load */
    repl *r = repl_get(L);
    const char *raise = r ? due(r, repl_now()) : NULL;
    if (raise) luaL_error(L, "%s", raise);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    repl *r = repl_get(L);
    if (!r) return;
    double now = repl_now();
    const char *raise = due(r, now);
    if (raise) luaL_error(L, "%s", raise);
    if (!(r->foreground || r->jobs_since > 0)) return;
    if (now - r->last_hooks >= HOOK_INTERVAL) {
        r->last_hooks = now;
        repl_hooks_run(L);
    }
}

void repl_counthook_install(lua_State *L) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_COUNT);
}
