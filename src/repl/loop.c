/* loop.c: the interactive prompt. One thread: each pass waits on standard input for
 * at most PASS_WAIT_MS (not at all while jobs have work), feeds readline's callback
 * interface the keys that came, evaluates a finished line with readline's handler
 * removed (so the terminal is in its normal mode while user code runs, but without
 * echo: type-ahead is shown once, by readline, at the next prompt), then runs
 * the event-loop hooks and gives background jobs a time slice. Whatever is printed
 * while the line is shown first takes the line off the screen; the pass ends by
 * putting it back, on a line of its own when output ended mid-line. Ctrl-C at the
 * prompt clears the line; Ctrl-D on an empty line (or end of input) leaves. */
#include <errno.h>
#include <lauxlib.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "replint.h"

#define PASS_WAIT_MS  10
#define JOB_BUDGET_S  0.008 /* seconds of job slices per pass */
#define KEYS_PER_PASS 256   /* keys fed to readline before hooks get a turn */
#define PROMPT        "nn> "
#define PROMPT_MORE   "..> "

typedef struct loop {
    lua_State *L;
    repl *r;
    char *pending;  /* the lines of an incomplete chunk so far, or NULL */
    char *line;     /* a line readline finished, waiting to be evaluated */
    bool have_line; /* line is set (NULL line: end of input) */
} loop;

/* readline's line handler takes no user pointer, and readline itself is one per
 * process: this is the loop that its handler reports to. */
static loop *current;

/* Removing the handler here (as readline's own example does) keeps readline from
 * printing a fresh prompt before the line has been evaluated. */
static void on_line(char *line) {
    current->line = line;
    current->have_line = true;
    rl_callback_handler_remove();
    current->r->rl_active = false;
    current->r->rl_hidden = false;
}

/* Keys typed while a line runs would be echoed by the terminal (readline's
 * handler is removed, so the terminal is in its normal mode) and then shown again
 * by readline when the prompt is back: "opt.lr = 0.01nn> opt.lr = 0.01". So echo
 * is off meanwhile; the keys wait in the terminal's buffer for readline. */
void repl_echo_hold(repl *r) {
    struct termios tio;
    if (r->echo_held || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tio) != 0) return;
    if (!(tio.c_lflag & ECHO)) return; /* not ours to turn back on later */
    tio.c_lflag &= ~(tcflag_t)ECHO;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0) r->echo_held = true;
}

bool repl_echo_release(repl *r) {
    struct termios tio;
    if (!r || !r->echo_held) return false;
    r->echo_held = false;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_lflag |= ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    }
    return true;
}

/* Ends a line that output left open, so that the prompt starts a line of its own
 * and clearing it later takes nothing else with it. */
static void end_partial_line(repl *r) {
    if (!r->out_partial) return;
    fflush(stderr);
    fputc('\n', stdout);
    fflush(stdout);
    r->out_partial = false;
}

static void prompt_show(loop *lp) {
    end_partial_line(lp->r);
    repl_echo_release(lp->r); /* before readline saves the terminal's modes */
    rl_callback_handler_install(lp->pending ? PROMPT_MORE : PROMPT, on_line);
    lp->r->rl_active = true;
    lp->r->rl_hidden = false;
}

static void prompt_remove(loop *lp) {
    if (!lp->r->rl_active) return;
    rl_callback_handler_remove();
    lp->r->rl_active = false;
    lp->r->rl_hidden = false;
}

void repl_out_hide(repl *r) {
    if (r) r->status_fresh = false; /* whatever comes now goes below the status */
    if (!r || !r->rl_active || r->rl_hidden) return;
    fflush(stdout);
    rl_clear_visible_line();
    fflush(rl_outstream);
    r->rl_hidden = true;
}

void repl_out_show(repl *r) {
    if (!r->rl_hidden) return;
    fflush(stdout);
    end_partial_line(r); /* a job's io.write("dot", i) without "\n" */
    fflush(stderr);
    rl_on_new_line();
    rl_redisplay();
    r->rl_hidden = false;
}

void repl_status(repl *r, const char *text) {
    if (!r || !r->rl_active || !isatty(STDOUT_FILENO)) return;
    bool over = r->status_fresh;
    repl_out_hide(r); /* the cursor is now at the start of the prompt's line */
    int rows = 0, cols = 0;
    rl_get_screen_size(&rows, &cols);
    if (cols < 20) cols = 80;
    if (over) fputs("\033[A\r\033[K", stdout); /* up to the old status, cleared */
    if (!text) {                               /* the line goes: what follows takes it */
        fflush(stdout);
        return;
    }
    /* one screen line at most, or the next update would climb too few lines */
    size_t n = strlen(text), max = (size_t)cols - 1, cut = 0, chars = 0;
    while (cut < n && chars < max) {
        cut++;
        while (cut < n && ((unsigned char)text[cut] & 0xC0) == 0x80) cut++; /* UTF-8 */
        chars++;
    }
    fprintf(stdout, "%.*s\n", (int)cut, text);
    fflush(stdout);
    r->status_fresh = true;
}

/* Appends line to the pending chunk; returns the chunk when it is complete (the
 * caller frees it), NULL when more lines are needed. */
static char *accumulate(loop *lp, const char *line) {
    size_t old = lp->pending ? strlen(lp->pending) : 0, n = strlen(line);
    char *chunk = realloc(lp->pending, old + n + 2);
    if (!chunk) {
        fprintf(stderr, "nnlab: out of memory; input dropped\n");
        free(lp->pending);
        lp->pending = NULL;
        return NULL;
    }
    if (old) chunk[old++] = '\n';
    memcpy(chunk + old, line, n + 1);
    lp->pending = NULL;
    /* `:command` and `?name` are whole on one line */
    const char *p = chunk;
    while (*p == ' ' || *p == '\t') p++;
    bool special = (old == 0) && (*p == ':' || *p == '?');
    if (!special && repl_incomplete(lp->L, chunk)) {
        lp->pending = chunk;
        return NULL;
    }
    return chunk;
}

/* Handles a line from readline; returns false to leave the prompt. */
/* Whether Ctrl-D may leave: at a terminal with jobs running, repl._may_quit names
 * them and asks for a second Ctrl-D; piped input that ends always leaves. */
static bool may_quit(lua_State *L) {
    if (!isatty(STDIN_FILENO)) return true;
    int top = lua_gettop(L);
    bool go = !repl_call_lua(L, "_may_quit", 0, 1) || lua_toboolean(L, -1);
    lua_settop(L, top);
    return go;
}

static bool take_line(loop *lp) {
    char *line = lp->line;
    lp->have_line = false;
    lp->line = NULL;
    prompt_remove(lp);
    if (!line) { /* Ctrl-D on an empty line, or end of input */
        fputc('\n', stdout);
        return !may_quit(lp->L);
    }
    lp->r->status_fresh = false; /* the entered line now sits below the status */
    repl_history_add(lp->r, line);
    char *chunk = accumulate(lp, line);
    free(line);
    if (chunk) {
        repl_echo_hold(lp->r);
        repl_eval_line(lp->L, chunk);
        free(chunk);
    }
    return true;
}

/* Ctrl-C at the prompt: drop the typed line and any pending chunk. */
static void clear_line(loop *lp) {
    free(lp->pending);
    lp->pending = NULL;
    if (lp->r->rl_active) {
        /* ^C after the typed text; then the handler goes, and with it the "\r"
         * readline writes when it turns bracketed paste off, now harmless */
        rl_point = rl_end;
        rl_redisplay();
        fputs("^C\n", rl_outstream);
        fflush(rl_outstream);
        rl_replace_line("", 0);
        prompt_remove(lp);
    } else {
        fputs("^C\n", stdout);
        fflush(stdout);
    }
}

static bool quit_requested(lua_State *L) {
    repl_module_field(L, "_quit");
    bool quit = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return quit;
}

/* Gives background jobs a slice; true when some job still wants to run. Not a
 * foreground call: Ctrl-C meanwhile is for the prompt (see signals.c). */
static bool run_jobs(loop *lp) {
    lua_State *L = lp->L;
    int top = lua_gettop(L);
    if (repl_module_field(L, "_jobs_step") != LUA_TFUNCTION) {
        lua_settop(L, top);
        return false;
    }
    lua_pushnumber(L, JOB_BUDGET_S);
    lp->r->jobs_since = repl_now();
    int status = lua_pcall(L, 1, 1, 0);
    lp->r->jobs_since = 0;
    repl_pending_clear(lp->r);
    bool busy = status == LUA_OK && lua_toboolean(L, -1);
    if (status != LUA_OK) repl_report(L);
    lua_settop(L, top);
    return busy;
}

static int set_interactive_protected(lua_State *L) {
    lua_pushliteral(L, "interactive");
    lua_pushvalue(L, 2);
    lua_rawset(L, 1);
    return 0;
}

/* repl.interactive, set raw (no metamethod runs) and under pcall (the module
 * could be out of memory), so the loop never raises. */
static void set_interactive(lua_State *L, bool on) {
    if (repl_push_module(L) != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    lua_pushcfunction(L, set_interactive_protected);
    lua_insert(L, -2);
    lua_pushboolean(L, on);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) lua_pop(L, 1);
}

static int run_hooks_protected(lua_State *L) {
    repl_hooks_run(L);
    return 0;
}

/* The event-loop hooks (windows' event pumps) under pcall: a hook that raises
 * must not take the prompt with it. */
static void run_hooks(loop *lp) {
    lua_State *L = lp->L;
    lua_pushcfunction(L, run_hooks_protected);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        lp->r->in_hooks = false; /* the error jumped past repl_hooks_run's reset */
        repl_report(L);
    }
}

/* Feeds readline the keys waiting on standard input; false at end of input. */
static bool read_keys(loop *lp, int wait_ms) {
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    for (int k = 0; k < KEYS_PER_PASS && !lp->have_line; k++) {
        int n = poll(&pfd, 1, k == 0 ? wait_ms : 0);
        if (n < 0 && errno != EINTR) return false;
        if (n <= 0) break;
        if (pfd.revents & POLLIN)
            rl_callback_read_char();
        else if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
            return false;
    }
    return true;
}

int repl_loop(lua_State *L) {
    loop lp = {.L = L, .r = repl_get(L)};
    loop *outer = current;
    current = &lp;
    rl_catch_signals = 0; /* Ctrl-C is ours: signals.c */
    rl_readline_name = "nnlab";
    repl_history_open(lp.r);
    repl_complete_install(L);
    set_interactive(L, true);
    lp.r->interactive = true;
    bool busy = false;
    prompt_show(&lp);
    for (;;) {
        bool eof = !read_keys(&lp, busy ? 0 : PASS_WAIT_MS);
        if (repl_interrupt_take()) {
            clear_line(&lp);
        } else if (lp.have_line) {
            if (!take_line(&lp)) break;
        } else if (eof) {
            prompt_remove(&lp);
            fputc('\n', stdout);
            break;
        }
        if (quit_requested(L) || lp.r->limit_hit) break;
        run_hooks(&lp);
        busy = run_jobs(&lp);
        if (!lp.r->rl_active) prompt_show(&lp);
        repl_out_show(lp.r);
    }
    prompt_remove(&lp);
    repl_echo_release(lp.r);
    free(lp.pending);
    repl_history_close(lp.r);
    lp.r->interactive = false;
    set_interactive(L, false);
    current = outer;
    return 0;
}
