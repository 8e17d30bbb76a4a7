/* test_e2e.c: the nnlab binary driven through a pseudo-terminal as a person types:
 * expressions print, a function typed over several lines works, an error leaves
 * the prompt alive, history survives a restart, a background job prints above a
 * half-typed line without breaking it, Ctrl-C stops an endless loop, Ctrl-D leaves,
 * --safe refuses os.execute, piped standard input runs as a script; user code that
 * removes globals can't crash it, errors show the user's frames only, output
 * without a newline stays on the screen (a small screen model replays it); a
 * script gets `arg`, its errors go to stderr with status 1, -i FILE, --version,
 * --help, :time on, colours unless NO_COLOR. Every wait is
 * for output (with a generous deadline for loaded CI machines), never a fixed sleep;
 * the test needs no standard input of its own. */
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEADLINE_S 30.0 /* per expected output; CI machines can be slow */
#define OUT_MAX    (1 << 20)

typedef struct term {
    pid_t pid;
    int fd;
    char *out; /* everything the program wrote, NUL-terminated */
    size_t len;
    size_t mark; /* expect() searches from here */
} term;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Starts nnlab with args on a new 100x30 terminal (TERM=xterm), history in
 * state_dir; with colour false NO_COLOR is set. */
static void start_colour(term *t, const char *state_dir, const char *const *args, bool colour) {
    struct winsize ws = {.ws_row = 30, .ws_col = 100};
    memset(t, 0, sizeof *t);
    t->out = calloc(OUT_MAX + 1, 1);
    assert_non_null(t->out);
    t->pid = forkpty(&t->fd, NULL, NULL, &ws);
    assert_true(t->pid >= 0);
    if (t->pid == 0) {
        const char *argv[16] = {NNLAB_EXE};
        for (int i = 0; args && args[i] && i < 14; i++) argv[i + 1] = args[i];
        setenv("XDG_STATE_HOME", state_dir, 1);
        setenv("TERM", "xterm", 1);
        if (colour)
            unsetenv("NO_COLOR");
        else
            setenv("NO_COLOR", "1", 1);
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        unsetenv("DISPLAY");
        execv(NNLAB_EXE, (char *const *)argv);
        _exit(127);
    }
}

static void start(term *t, const char *state_dir, const char *const *args) {
    start_colour(t, state_dir, args, false);
}

/* Reads what is there, waiting at most ms; false at end of output. */
static bool pump(term *t, int ms) {
    struct pollfd p = {.fd = t->fd, .events = POLLIN};
    if (poll(&p, 1, ms) <= 0) return true;
    ssize_t n = read(t->fd, t->out + t->len, OUT_MAX - t->len);
    if (n <= 0) return false; /* EIO once the child has gone */
    t->len += (size_t)n;
    t->out[t->len] = '\0';
    return true;
}

/* Waits until needle appears after the mark; moves the mark past it. */
static void expect(term *t, const char *needle) {
    double end = now() + DEADLINE_S;
    for (;;) {
        char *hit = strstr(t->out + t->mark, needle);
        if (hit) {
            t->mark = (size_t)(hit - t->out) + strlen(needle);
            return;
        }
        if (now() > end || !pump(t, 100))
            fail_msg("did not see \"%s\"; the terminal showed after the mark:\n%s", needle,
                     t->out + t->mark);
    }
}

static void type(term *t, const char *keys) {
    size_t n = strlen(keys);
    assert_int_equal(write(t->fd, keys, n), (ssize_t)n);
}

/* Waits for the program to end and returns its exit status; t->out stays for the
 * caller to read (and free). */
static int finish_keep(term *t) {
    double end = now() + DEADLINE_S;
    int status = 0;
    while (waitpid(t->pid, &status, WNOHANG) == 0) {
        if (now() > end) {
            kill(t->pid, SIGKILL);
            waitpid(t->pid, &status, 0);
            fail_msg("nnlab did not exit; it showed:\n%s", t->out + t->mark);
        }
        pump(t, 50);
    }
    while (pump(t, 0) && t->len < OUT_MAX) { /* what is still in the terminal */
        struct pollfd p = {.fd = t->fd, .events = POLLIN};
        if (poll(&p, 1, 0) <= 0) break;
    }
    close(t->fd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Waits for the program to end and returns its exit status. */
static int finish(term *t) {
    int status = finish_keep(t);
    free(t->out);
    return status;
}

static char state_dir[] = "/tmp/nnlab_e2e_XXXXXX";

static int make_state_dir(void **unused) {
    (void)unused;
    return mkdtemp(state_dir) ? 0 : -1;
}

static int remove_state_dir(void **unused) {
    (void)unused;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_e2e_expression_prints(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "6 * 7\r");
    expect(&t, "42");
    type(&t, "{1, 'two', x = 3}\r");
    expect(&t, "{1, \"two\", x = 3}");
    type(&t, "_.x * 10\r"); /* _ is the last value */
    expect(&t, "30");
    type(&t, "pcall(error, 'x' .. 'y')\r"); /* every value of the last call prints */
    expect(&t, "false\txy");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

static void test_e2e_multiline_function(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "function sq(x)\r");
    expect(&t, "..> ");
    type(&t, "return x * x\r");
    expect(&t, "..> ");
    type(&t, "end\r");
    expect(&t, "nn> ");
    type(&t, "sq(12)\r");
    expect(&t, "144");
    expect(&t, "nn> "); /* keys typed while a command runs are read in cooked mode,
                           where Ctrl-D would be taken by the terminal */
    type(&t, "\x04");   /* Ctrl-D on an empty line leaves */
    assert_int_equal(finish(&t), 0);
}

/* Ctrl-D with a job running names it and waits for a second Ctrl-D; a line typed
 * in between makes the next Ctrl-D ask again. :quit asks the same way. */
static void test_e2e_ctrl_d_asks_while_jobs_run(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "j = spawn(function() while true do coroutine.yield() end end, 'spinner')\r");
    expect(&t, "nn> ");
    type(&t, "\x04");
    expect(&t, "a job is still running: 1 (spinner). Ctrl-D again");
    expect(&t, "nn> ");
    type(&t, "x = 1\r");
    expect(&t, "nn> ");
    type(&t, ":quit\r");
    expect(&t, "a job is still running: 1 (spinner)");
    expect(&t, "nn> ");
    type(&t, "\x04");
    assert_int_equal(finish(&t), 0);
}

/* m:fit at the prompt says it started a job, keeps its progress on the status line
 * above the prompt and reports the final figures when it ends. */
static void test_e2e_fit_at_the_prompt_shows_its_job(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "nn.seed(1); d = data.spiral{n = 1000}; m = nn.sequential{nn.linear(2, 32), "
             "nn.tanh(), nn.linear(32, 2)}\r");
    expect(&t, "nn> ");
    type(&t, "r = m:fit{d, epochs = 100000}\r");
    expect(&t, "fit: job 1 trains in the background (100000 epochs)");
    expect(&t, "job 1 fit: epoch ");               /* the status line */
    expect(&t, "\x1b[A\r\x1b[Kjob 1 fit: epoch "); /* redrawn over itself */
    type(&t, "r:stop()\r");                        /* the run prints its final state */
    expect(&t, "run (stopped, epoch ");
    expect(&t, "nn> ");
    type(&t, "r2 = m:fit{d, epochs = 2}\r"); /* a short one reports its figures */
    expect(&t, "job 2 fit: done, 2 epochs in ");
    expect(&t, "loss ");
    expect(&t, "nn> ");
    type(&t, "\x04");
    assert_int_equal(finish(&t), 0);
}

/* wait() takes a run (m:fit at the prompt is a job) as it takes a job. */
static void test_e2e_wait_takes_a_run(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "nn.seed(1); d = data.xor{n = 64}; m = nn.sequential{nn.linear(2, 4), nn.tanh(), "
             "nn.linear(4, 1)}\r");
    expect(&t, "nn> ");
    type(&t, "r = m:fit{d, loss = nn.bce, epochs = 3, verbose = false}\r");
    expect(&t, "nn> ");
    type(&t, "print(wait(r), r:status().state)\r");
    expect(&t, "true\tdone");
    expect(&t, "nn> "); /* a Ctrl-D typed before the prompt is the terminal's */
    type(&t, "\x04");
    assert_int_equal(finish(&t), 0);
}

/* repl.status writes a job's progress just above the prompt and over its last
 * state (cursor up, line cleared), keeps the half-typed line, and status() gives
 * the line to the final report. */
static void test_e2e_status_line_above_the_prompt(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "function pause(s) local t = os.clock() while os.clock() - t < s do "
             "coroutine.yield() end end\r");
    expect(&t, "nn> ");
    type(&t,
         "j = spawn(function() pause(0.3); repl.status('st' .. 'ep 1'); pause(0.3); "
         "repl.status('st' .. 'ep 2'); pause(0.3); repl.status(); print('fin' .. 'ished') end)\r");
    expect(&t, "nn> ");
    type(&t, "half");
    expect(&t, "step 1\r\n");
    expect(&t, "\x1b[A\r\x1b[Kstep 2\r\n"); /* over the old one */
    expect(&t, "half");                     /* the typed text comes back */
    expect(&t, "\x1b[A\r\x1b[K");           /* the status line goes */
    expect(&t, "finished");
    expect(&t, "half");
    type(&t, "\x03");
    expect(&t, "^C");
    expect(&t, "nn> ");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* Reads a whole file into a new string (the caller frees it); fails the test if
 * it is missing. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("%s was not written", path);
    char *buf = calloc(1 << 20, 1);
    assert_non_null(buf);
    fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    return buf;
}

/* :record NAME ... :record stop writes the commands, their output, errors and the
 * plots shown into NAME.md (images beside it) and NAME.html (images embedded). */
static void test_e2e_record_writes_a_lab_record(void **unused) {
    (void)unused;
    term t;
    char cmd[256], path[256];
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    snprintf(cmd, sizeof cmd, ":record %s/lab3\r", state_dir);
    type(&t, cmd);
    expect(&t, "Recording to");
    expect(&t, "nn> ");
    type(&t, "6 * 7\r");
    expect(&t, "42");
    type(&t, "print('hel' .. 'lo')\r");
    expect(&t, "hello");
    type(&t, "error('oo' .. 'ps')\r");
    expect(&t, "oops");
    type(&t, "p = plot.lines{title = 'loss'}; for i = 1, 9 do p:push('train', 1 / i) end\r");
    expect(&t, "nn> ");
    type(&t, ":record stop\r");
    expect(&t, "lab3.html: 4 commands, 1 plot.");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
    snprintf(path, sizeof path, "%s/lab3.md", state_dir);
    char *md = slurp(path);
    assert_non_null(strstr(md, "```lua\nnn> 6 * 7\n```\n\n```\n42\n```"));
    assert_non_null(strstr(md, "```\nhello\n```"));
    assert_non_null(strstr(md, "stdin:1: oops"));
    assert_non_null(strstr(md, "![plot_001.png](lab3_files/plot_001.png)"));
    assert_null(strstr(md, "record stop"));
    free(md);
    snprintf(path, sizeof path, "%s/lab3_files/plot_001.png", state_dir);
    free(slurp(path));
    snprintf(path, sizeof path, "%s/lab3.html", state_dir);
    char *html = slurp(path);
    assert_non_null(
        strstr(html, "<img alt=\"plot_001.png\" src=\"data:image/png;base64,iVBORw0KGgo"));

    free(html);
}

static void test_e2e_error_leaves_repl_alive(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "kept = 'still here'\r");
    type(&t, "error('kaboom')\r");
    expect(&t, "stdin:1: kaboom");
    type(&t, "nil + 1\r");
    expect(&t, "attempt to perform arithmetic on a nil value");
    type(&t, "x = = 1\r");
    expect(&t, "unexpected symbol");
    type(&t, "kept\r");
    expect(&t, "still here");
    type(&t, ":nosuch\r");
    expect(&t, "unknown command ':nosuch'");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

static void test_e2e_tab_completes(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "word_count = 7\r");
    expect(&t, "nn> ");
    type(&t, "string.up\t"); /* a unique completion is written into the line */
    expect(&t, "per");
    type(&t, "(\"ab\") .. word_c\t");
    expect(&t, "ount");
    type(&t, "\r");
    expect(&t, "AB7");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* Inside the braces of a call, Tab completes the option names the function
 * declared (lua/options.lua), also for a method of an object (m:fit). */
static void test_e2e_tab_completes_option_names(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "require('options').declare('demo', {'optimizer', 'epochs'}, 1); "
             "function demo(o) return o.optimizer end\r");
    expect(&t, "nn> ");
    type(&t, "demo{1, opt\t");
    expect(&t, "imizer");
    type(&t, " = 'adam'}\r");
    expect(&t, "adam");
    type(&t, "require('options').declare('module:demo', {'patience'}); m = nn.linear(2, 1)\r");
    expect(&t, "nn> ");
    type(&t, "m:demo{pat\t");
    expect(&t, "ience");
    type(&t, "\x03"); /* Ctrl-C is a signal: keys typed right after it may come first */
    expect(&t, "^C");
    expect(&t, "nn> ");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* An error raised inside nnlab's lua/ files carries the student's position, not
 * nnlab's file: race's option check raises at level 1 inside lua/race.lua. */
static void test_e2e_errors_name_no_internal_file(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "race{surface = 'saddle', optimizers = {'sgd'}, show = false, foo = 1}\r");
    expect(&t, "stdin:1: race: unknown option 'foo'");
    expect(&t, "nn> ");
    type(&t, ":quit\r");
    assert_int_equal(finish_keep(&t), 0);
    assert_null(strstr(t.out, "lua/race.lua"));
    free(t.out);
}

static void test_e2e_odd_input_never_kills_the_prompt(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    const char *odd[] = {
        ")))",
        "]]",
        "=",
        ":",
        "?",
        "? nosuch_topic",
        ":stop",
        ":stop 99",
        ":time maybe",
        "local 1",
        "return",
        "...",
        "#nil",
        "nil()",
        "goto x",
        "\x1b[Z",
        "coroutine.yield()",
        "setmetatable(_G, {__index = function(_, k) error('no ' .. k) end})",
        "print = nil",
        "repl = nil",
        "error()",
        "error(nil)",
        "error({})",
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        type(&t, odd[i]);
        type(&t, "\r");
        expect(&t, "nn> ");
    }
    type(&t, "rawget(_G, 'string').format('%d', 6 * 7)\r");
    expect(&t, "42");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* The prompt's own code reads nothing the user can replace: with `table` and
 * `coroutine` gone, a module table whose __index raises and a read-only _G, values
 * still print, Tab still completes, jobs still run and :commands still work. */
static void test_e2e_user_globals_cannot_crash_the_prompt(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "table = nil\r");
    expect(&t, "nn> ");
    type(&t, "{b = 1, a = 2}\r");
    expect(&t, "{a = 2, b = 1}");
    type(&t, "string.up\t"); /* completion sorts its candidates */
    expect(&t, "per");
    type(&t, "('ok') .. 'ay'\r");
    expect(&t, "OKay");
    type(&t, ":help\r");
    expect(&t, ":quit");
    type(&t, "local y = coroutine.yield; j = spawn(function() for i = 1, 3 do y() end "
             "print('job' .. 'done') end); coroutine = nil\r");
    expect(&t, "jobdone");
    type(&t, ":jobs\r");
    expect(&t, "no jobs");
    type(&t, "setmetatable(repl, {__index = function(_, k) error('no field ' .. k) end})\r");
    expect(&t, "nn> ");
    type(&t, "6 * 7\r");
    expect(&t, "42");
    type(&t, "package.loaded.repl = setmetatable({}, {__index = function() error('gone') end})\r");
    expect(&t, "nn> ");
    type(&t, ":time on\r"); /* the prompt kept the module it started with */
    expect(&t, "nn> ");
    type(&t, "7 * 7\r");
    expect(&t, " ms)");
    type(&t, ":time off\r");
    expect(&t, "nn> ");
    type(&t, "setmetatable(_G, {__newindex = function() error('read-only') end})\r");
    expect(&t, "nn> ");
    type(&t, "2 + 3\r");
    expect(&t, "5");
    type(&t, "_ * 10\r"); /* _ is still set */
    expect(&t, "50");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* Counts the occurrences of needle in what the terminal showed from offset from. */
static int count_since(const term *t, size_t from, const char *needle) {
    int n = 0;
    for (const char *p = t->out + from; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* An error raised inside nnlab's Lua files (nn.linear checks its arguments in
 * lua/nn_train.lua) shows the user's line, typed as an expression or as a
 * statement, and none of nnlab's frames; wait on a failed job shows one traceback. */
static void test_e2e_errors_show_only_the_users_frames(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    size_t from = t.mark;
    type(&t, "x = nn.linear(nil)\r");
    expect(&t, "stdin:1: bad argument #1");
    expect(&t, "nn> ");
    type(&t, "nn.linear(nil)\r"); /* an expression: compiled without a tail call */
    expect(&t, "stdin:1: bad argument #1");
    expect(&t, "nn> ");
    if (count_since(&t, from, "nn_train.lua") || count_since(&t, from, "stack traceback:"))
        fail_msg("nnlab's frames were shown:\n%s", t.out + from);
    from = t.mark;
    type(&t, "j = spawn(function() coroutine.yield(); error('job ' .. 'broke') end); wait(j)\r");
    expect(&t, "stdin:1: job broke");
    expect(&t, "in main chunk");
    expect(&t, "nn> ");
    assert_int_equal(count_since(&t, from, "stack traceback:"), 1);
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* ---- what a person would see: a small model of the terminal's screen ---- */

#define SCREEN_COLS 100 /* as start() sets the window */
#define SCREEN_ROWS 400 /* rows never scroll off: the model keeps them all */

typedef struct screen {
    char cell[SCREEN_ROWS][SCREEN_COLS + 1];
    int row, col, rows_used;
} screen;

/* Applies one escape sequence "ESC [ params final" starting at s; returns its
 * length. Cursor moves and erasing are modelled, modes and colours ignored. */
static size_t apply_csi(screen *sc, const char *s) {
    size_t i = 2;
    int arg = 0;
    bool has = false;
    while (s[i] && (s[i] < 0x40 || s[i] > 0x7e)) {
        if (s[i] >= '0' && s[i] <= '9') arg = arg * 10 + (s[i] - '0'), has = true;
        i++;
    }
    int n = has && arg > 0 ? arg : 1;
    char *line = sc->cell[sc->row];
    switch (s[i]) {
    case 'K':
        if (arg == 0) memset(line + sc->col, ' ', SCREEN_COLS - (size_t)sc->col);
        if (arg == 1) memset(line, ' ', (size_t)sc->col + 1);
        if (arg == 2) memset(line, ' ', SCREEN_COLS);
        break;
    case 'A':
        sc->row = sc->row - n < 0 ? 0 : sc->row - n;
        break;
    case 'B':
        sc->row += n;
        break;
    case 'C':
        sc->col = sc->col + n >= SCREEN_COLS ? SCREEN_COLS - 1 : sc->col + n;
        break;
    case 'D':
        sc->col = sc->col - n < 0 ? 0 : sc->col - n;
        break;
    case 'G':
        sc->col = n - 1;
        break;
    default:
        break;
    }
    return s[i] ? i + 1 : i;
}

/* Replays everything the program wrote onto an empty screen. */
static void render(const term *t, screen *sc) {
    memset(sc, 0, sizeof *sc);
    for (int r = 0; r < SCREEN_ROWS; r++) memset(sc->cell[r], ' ', SCREEN_COLS);
    for (const char *p = t->out; *p && sc->row < SCREEN_ROWS - 1;) {
        unsigned char c = (unsigned char)*p;
        if (c == 0x1b && p[1] == '[') {
            p += apply_csi(sc, p);
            continue;
        }
        if (c == 0x1b) {
            p += p[1] ? 2 : 1;
            continue;
        }
        if (c == '\r')
            sc->col = 0;
        else if (c == '\n')
            sc->row++;
        else if (c == '\b')
            sc->col -= sc->col > 0;
        else if (c >= 32) {
            if (sc->col == SCREEN_COLS) sc->col = 0, sc->row++;
            sc->cell[sc->row][sc->col++] = (char)c;
        }
        if (sc->row + 1 > sc->rows_used) sc->rows_used = sc->row + 1;
        p++;
    }
}

/* True when needle shows on one row of the rendered screen. */
static bool on_screen(const screen *sc, const char *needle) {
    for (int r = 0; r < sc->rows_used; r++)
        if (strstr(sc->cell[r], needle)) return true;
    return false;
}

static void dump_screen(const screen *sc) {
    for (int r = 0; r < sc->rows_used; r++) print_message("|%s|\n", sc->cell[r]);
}

/* A job that writes without a newline, one piece a pass (each after ~30 ms of
 * yielding, longer than a pass's job budget): every piece stays on the screen,
 * none is drawn over by the prompt. */
static void test_e2e_job_output_without_newline_stays(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "now = require('repl.core').now; spawn(function() for i = 1, 3 do "
             "io.write('do' .. 't', i); local t0 = now() repeat coroutine.yield() until "
             "now() - t0 > 0.03 end print('|en' .. 'd') end)\r");
    expect(&t, "|end");
    expect(&t, "nn> ");
    type(&t, "io.write('half' .. 'way')\r"); /* at the prompt too: the prompt starts anew */
    expect(&t, "halfway");
    expect(&t, "nn> ");
    type(&t, ":quit\r");
    assert_int_equal(finish_keep(&t), 0);
    static screen sc;
    render(&t, &sc);
    if (!on_screen(&sc, "dot1") || !on_screen(&sc, "dot2") || !on_screen(&sc, "dot3") ||
        !on_screen(&sc, "halfway")) {
        dump_screen(&sc);
        fail_msg("a job's output without a newline was drawn over");
    }
    free(t.out);
}

/* Rows of the rendered screen that show needle. */
static int rows_showing(const screen *sc, const char *needle) {
    int n = 0;
    for (int r = 0; r < sc->rows_used; r++) n += strstr(sc->cell[r], needle) != NULL;
    return n;
}

/* Keys typed while a line runs show once, on the next prompt's line, not first as
 * the terminal's echo and then again by readline; code that reads the terminal
 * (a program run by os.execute; io.read is wrapped the same way) still has its
 * input echoed. */
static void test_e2e_keys_typed_during_a_command_show_once(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "print('bu' .. 'sy'); local t = os.clock() while os.clock() - t < 0.5 do end; "
             "print('do' .. 'ne')\r");
    expect(&t, "busy");
    type(&t, "typed_ahead = 17");
    expect(&t, "done");
    expect(&t, "typed_ahead = 17"); /* readline shows it on the new prompt line */
    type(&t, "\r");
    expect(&t, "nn> ");
    /* the program prints "reading" after echo is back on, so the keys come after */
    type(&t, "os.execute(\"printf 'rea''ding\\\\n'; read x; echo \\\"got $x\\\"\")\r");
    expect(&t, "reading");
    type(&t, "echoed_input\r");
    expect(&t, "got echoed_input");
    expect(&t, "nn> ");
    type(&t, "typed_ahead + 1\r");
    expect(&t, "18");
    type(&t, ":quit\r");
    assert_int_equal(finish_keep(&t), 0);
    static screen sc;
    render(&t, &sc);
    if (rows_showing(&sc, "typed_ahead = 17") != 1 || rows_showing(&sc, "echoed_input") != 2) {
        dump_screen(&sc);
        fail_msg("typed-ahead keys should show once, io.read's input echoed");
    }
    free(t.out);
}

static void test_e2e_history_persists(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "marker_417 = 417\r");
    expect(&t, "nn> ");
    type(&t, "marker_417 = 417\r"); /* a consecutive duplicate is kept once */
    expect(&t, "nn> ");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);

    char path[256], line[256];
    snprintf(path, sizeof path, "%s/nnlab/history", state_dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int count = 0;
    while (fgets(line, sizeof line, f)) count += strcmp(line, "marker_417 = 417\n") == 0;
    fclose(f);
    assert_int_equal(count, 1);

    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "\x1b[A\x1b[A"); /* Up twice: past :quit to the marker */
    expect(&t, "marker_417 = 417");
    type(&t, "\r");
    type(&t, "marker_417 + 1\r");
    expect(&t, "418");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

static void test_e2e_job_runs_while_typing(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    /* a job printing "tick N" every ~50 ms of its own run time */
    type(&t, "n, k = 0, 0; job = spawn(function() local t = os.clock() while true do "
             "n = n + 1; if os.clock() - t > 0.05 then t = os.clock(); k = k + 1; "
             "print('tick ' .. k) end; coroutine.yield() end end)\r");
    expect(&t, "tick 1");
    type(&t, "half_typed");
    expect(&t, "half_typed");
    /* two more ticks arrive while the line is half typed; after each the line is
     * drawn again below it */
    expect(&t, "tick ");
    expect(&t, "half_typed");
    expect(&t, "tick ");
    expect(&t, "half_typed");
    type(&t, " = n\r"); /* finishing the line: readline still holds all of it */
    expect(&t, "nn> ");
    type(&t, "job:stop(); print('progress', half_typed > 0 and n > half_typed)\r");
    expect(&t, "progress\ttrue");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

static void test_e2e_ctrl_c_stops_endless_loop(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "x = 5; print('loop' .. 'ing'); while true do end\r");
    expect(&t, "looping");
    type(&t, "\x03");
    expect(&t, "interrupted!");
    expect(&t, "nn> ");
    type(&t, "x + 1\r");
    expect(&t, "6");
    expect(&t, "nn> ");
    type(&t, "some text\x03"); /* at the prompt Ctrl-C drops the line, nnlab stays */
    expect(&t, "^C");
    type(&t, "x * 2\r");
    expect(&t, "10");
    /* Ctrl-C at the prompt leaves background jobs alone, but stops one that never
     * yields (after a second of holding the loop) */
    type(&t, "j = spawn(function() while true do coroutine.yield() end end); "
             "print('spawn' .. 'ed')\r");
    expect(&t, "spawned");
    expect(&t, "nn> ");
    type(&t, "\x03");
    expect(&t, "^C");
    type(&t, "k = spawn(function() coroutine.yield(); print('stuck' .. 'now'); while true do end "
             "end)\r");
    expect(&t, "stucknow");
    type(&t, "\x03");
    expect(&t, "stopped by Ctrl-C");
    type(&t, "print(j.state .. '/' .. k.state)\r");
    expect(&t, "running/stopped");
    type(&t, ":quit\r"); /* j still runs: the first :quit asks */
    expect(&t, "still running");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

static void test_e2e_safe_refuses_os_execute(void **unused) {
    (void)unused;
    term t;
    const char *args[] = {"--safe", "-e", "os.execute('true')", NULL};
    start(&t, state_dir, args);
    expect(&t, "attempt to call a nil value (field 'execute')");
    assert_int_equal(finish(&t), 1);

    const char *interactive[] = {"--safe", NULL};
    start(&t, state_dir, interactive);
    expect(&t, "nn> ");
    type(&t, "print(os.execute, io.popen, os.remove, os.rename, package.loadlib)\r");
    expect(&t, "nil\tnil\tnil\tnil\tnil");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* A loop that catches its own interruption still stops on Ctrl-C: pcall, xpcall
 * and coroutine.resume raise it again while it is pending, and the prompt comes
 * back working. */
static void test_e2e_ctrl_c_cannot_be_caught(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    const char *loops[] = {
        "print('a' .. 'go'); while true do pcall(function() while true do end end) end\r",
        "print('a' .. 'go'); while true do xpcall(function() while true do end end, print) end\r",
        "print('a' .. 'go'); while true do coroutine.resume(coroutine.create(function() "
        "while true do end end)) end\r",
        "print('a' .. 'go'); while true do pcall(pcall, pcall, function() while true do end "
        "end) end\r",
    };
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
        type(&t, loops[i]);
        expect(&t, "ago");
        type(&t, "\x03");
        expect(&t, "interrupted!");
        expect(&t, "nn> ");
    }
    type(&t, "print(pcall(error, 'caught' .. 'fine'))\r"); /* no interruption: normal */
    expect(&t, "false\tcaughtfine");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
    /* a finalizer runs with hooks off: nothing takes Ctrl-C, the third press leaves */
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "setmetatable({}, {__gc = function() while true do end end}); print('g' .. 'c'); "
             "collectgarbage()\r");
    expect(&t, "gc");
    struct timespec ts = {0, 200 * 1000000L};
    for (int i = 0; i < 3; i++) {
        nanosleep(&ts, NULL);
        type(&t, "\x03");
    }
    expect(&t, "Ctrl-C three times and the code did not stop");
    assert_int_equal(finish(&t), 130);
}

/* --time and --memory end a run that catches errors, with a message saying which. */
static void test_e2e_safe_time_and_memory_limits(void **unused) {
    (void)unused;
    term t;
    const char *timed[] = {
        "--safe", "--time", "1", "-e", "while true do pcall(function() while true do end end) end",
        NULL};
    double t0 = now();
    start(&t, state_dir, timed);
    expect(&t, "time limit of 1 s exceeded");
    assert_int_equal(finish(&t), 1);
    assert_true(now() - t0 < 1.0 + DEADLINE_S);
    const char *big[] = {"--safe",
                         "--memory",
                         "300M",
                         "-e",
                         "local t = {} while true do pcall(function() t[#t + 1] = "
                         "nn.randn{1000, 1000} end) end",
                         NULL};
    start(&t, state_dir, big);
    expect(&t, "memory limit exceeded");
    assert_int_equal(finish(&t), 1);
    const char *bad[] = {"--safe", "--memory", "lots", "-e", "print(1)", NULL};
    start(&t, state_dir, bad);
    expect(&t, "--memory lots: expected a size");
    assert_int_equal(finish(&t), 1);
}

/* --projector: every window opened afterwards is in projector mode (issue 20). */
static void test_e2e_projector_switch(void **unused) {
    (void)unused;
    term t;
    const char *args[] = {"--projector", "-e",
                          "w = plot.window{plot.lines{y = {1}, show = false}, show = false}\n"
                          "print('projector', plot.projector(), w:projector())",
                          NULL};
    start(&t, state_dir, args);
    expect(&t, "projector\ttrue\ttrue");
    assert_int_equal(finish(&t), 0);
}

/* Runs nnlab with input as its standard input (a pipe, not a terminal); returns
 * its exit status and its output in out. */
static int run_piped(const char *input, char *out, size_t n) {
    int in[2], res[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(res), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(res[1], 1);
        dup2(res[1], 2);
        close(in[1]);
        close(res[0]);
        execl(NNLAB_EXE, NNLAB_EXE, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(res[1]);
    assert_int_equal(write(in[1], input, strlen(input)), (ssize_t)strlen(input));
    close(in[1]);
    size_t len = 0;
    ssize_t got;
    while (len + 1 < n && (got = read(res[0], out + len, n - 1 - len)) > 0) len += (size_t)got;
    out[len] = '\0';
    close(res[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_e2e_piped_stdin_is_a_script(void **unused) {
    (void)unused;
    char out[4096];
    assert_int_equal(run_piped("print('from pipe', repl.interactive)\n", out, sizeof out), 0);
    assert_non_null(strstr(out, "from pipe\tfalse"));
    assert_int_equal(run_piped("error('piped failure')\n", out, sizeof out), 1);
    assert_non_null(strstr(out, "piped failure"));
}

/* Ctrl-C stops a foreground training run (fit with wait = true: the C training
 * loop in slices) and a Lua loop that calls C in a loop; the prompt comes back and
 * the model is still usable. */
static void test_e2e_ctrl_c_stops_training_and_c_loops(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "train = data.spiral{n = 200, classes = 3}; m = nn.sequential{nn.linear(2, 32), "
             "nn.tanh(), nn.linear(32, 3)}; opt = optim.adam(m, {lr = 0.01}); "
             "print('rea' .. 'dy')\r");
    expect(&t, "ready");
    expect(&t, "nn> ");
    type(&t, "print('fit' .. 'ting'); run = m:fit{train, loss = nn.cross_entropy, optimizer = opt, "
             "epochs = 1000000, batch = 8, wait = true}\r");
    expect(&t, "fitting");
    type(&t, "\x03");
    expect(&t, "interrupted!");
    expect(&t, "nn> ");
    type(&t, "print('after', m ~= nil)\r");
    expect(&t, "after\ttrue");
    expect(&t, "nn> ");
    type(&t, "a = nn.randn{64, 64}; print('mat' .. 'muls'); while true do a = a:matmul(a):tanh() "
             "end\r");
    expect(&t, "matmuls");
    type(&t, "\x03");
    expect(&t, "interrupted!");
    expect(&t, "nn> ");
    type(&t, "a.shape[1]\r");
    expect(&t, "64");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* A loop of long C calls (BLAS) runs few VM instructions, so the count hook alone
 * saw Ctrl-C only a hundred matmuls later (minutes); with a training job in the
 * background it stops at the next op. */
static void test_e2e_ctrl_c_stops_a_loop_of_long_ops_beside_a_job(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "train = data.spiral{n = 200, classes = 3}; m = nn.sequential{nn.linear(2, 32), "
             "nn.tanh(), nn.linear(32, 3)}; run = m:fit{train, loss = nn.cross_entropy, "
             "epochs = 1000000, batch = 8, verbose = false}; print('bg' .. 'job')\r");
    expect(&t, "bgjob");
    expect(&t, "nn> ");
    type(&t, "b = nn.randn{1000, 1000}; print('bl' .. 'as'); for i = 1, 1000000 do "
             "c = b:matmul(b) end\r");
    expect(&t, "blas");
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    double t0 = now();
    type(&t, "\x03");
    expect(&t, "interrupted!");
    double waited = now() - t0;
    if (waited > 10) fail_msg("Ctrl-C took %.1f s to stop a loop of matmuls", waited);
    expect(&t, "nn> ");
    type(&t, "print(run:status().state)\r"); /* the job goes on */
    expect(&t, "running");
    type(&t, ":quit\r"); /* the run is a job: the first :quit asks */
    expect(&t, "still running");
    type(&t, ":quit\r");
    finish(&t);
}

/* Ctrl-C while the decision surface is computed on its worker thread (a loop of
 * ticks keeps the worker busy beside the playground's training): the loop stops, the
 * run goes on, closing the window and quitting with a job still on the worker neither
 * hangs nor crashes. */
static void test_e2e_ctrl_c_beside_the_decision_worker(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, "pg = playground{grid = 400, speed = 0}; v = pg.views.decision; "
             "print('pg' .. 'up')\r");
    expect(&t, "pgup");
    expect(&t, "nn> ");
    type(&t, "print('tic' .. 'king'); while true do v:tick() end\r");
    expect(&t, "ticking");
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    type(&t, "\x03");
    expect(&t, "interrupted!");
    expect(&t, "nn> ");
    type(&t, "print('state', pg.run:status().state, v.frames > 1)\r");
    expect(&t, "state\trunning\ttrue");
    expect(&t, "nn> ");
    type(&t, "v:tick(); pg.window:close(); pg:stop(); print('clo' .. 'sed')\r");
    expect(&t, "closed");
    expect(&t, "nn> ");
    type(&t, "v:tick()\r:quit\r"); /* a job on the worker: lua_close cancels it */
    assert_int_equal(finish(&t), 0);
}

/* Runs nnlab with args (no terminal, empty standard input); returns its exit
 * status, with its standard output in out and its standard error in err. */
static int run_args(const char *const *args, char *out, char *err, size_t n) {
    int o[2], e[2];
    assert_int_equal(pipe(o), 0);
    assert_int_equal(pipe(e), 0);
    pid_t pid = fork();
    if (pid == 0) {
        const char *argv[16] = {NNLAB_EXE};
        for (int i = 0; args[i] && i < 14; i++) argv[i + 1] = args[i];
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(o[1], 1);
        dup2(e[1], 2);
        close(o[0]);
        close(e[0]);
        setenv("NO_COLOR", "1", 1);
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        execv(NNLAB_EXE, (char *const *)argv);
        _exit(127);
    }
    close(o[1]);
    close(e[1]);
    struct pollfd p[2] = {{.fd = o[0], .events = POLLIN}, {.fd = e[0], .events = POLLIN}};
    size_t len[2] = {0, 0};
    char *buf[2] = {out, err};
    int open_fds = 2;
    while (open_fds > 0 && poll(p, 2, (int)(DEADLINE_S * 1000)) > 0) {
        for (int k = 0; k < 2; k++) {
            if (p[k].fd < 0 || !(p[k].revents & (POLLIN | POLLHUP))) continue;
            ssize_t got = read(p[k].fd, buf[k] + len[k], n - 1 - len[k]);
            if (got <= 0) {
                close(p[k].fd);
                p[k].fd = -1;
                open_fds--;
            } else {
                len[k] += (size_t)got;
            }
        }
    }
    out[len[0]] = '\0';
    err[len[1]] = '\0';
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Writes code to a new script in state_dir; returns its path (static). */
static const char *write_script(const char *name, const char *code) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", state_dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(code, f);
    fclose(f);
    return path;
}

static void test_e2e_script_gets_its_arg_table(void **unused) {
    (void)unused;
    static char out[4096], err[4096];
    const char *script = write_script("args.lua", "print('arg', arg[0], arg[1], arg[2], #arg)\n"
                                                  "print('prog', arg[-1])\n"
                                                  "print('dots', ...)\n");
    char want[512];
    const char *args[] = {script, "a", "b c", NULL};
    assert_int_equal(run_args(args, out, err, sizeof out), 0);
    snprintf(want, sizeof want, "arg\t%s\ta\tb c\t2\nprog\t%s\ndots\ta\tb c\n", script, NNLAB_EXE);
    assert_string_equal(out, want);
    assert_string_equal(err, "");
}

static void test_e2e_script_error_goes_to_stderr_with_status_1(void **unused) {
    (void)unused;
    static char out[4096], err[4096];
    const char *script =
        write_script("fails.lua", "print('before')\nerror('script ' .. 'broke')\n");
    const char *args[] = {script, NULL};
    assert_int_equal(run_args(args, out, err, sizeof out), 1);
    assert_string_equal(out, "before\n");
    assert_non_null(strstr(err, "fails.lua:2: script broke"));
    const char *e_args[] = {"-e", "error('from -e')", NULL};
    assert_int_equal(run_args(e_args, out, err, sizeof out), 1);
    assert_non_null(strstr(err, "from -e"));
    assert_null(strstr(out, "from -e"));
}

static void test_e2e_version_and_help(void **unused) {
    (void)unused;
    static char out[4096], err[4096];
    const char *version[] = {"--version", NULL};
    assert_int_equal(run_args(version, out, err, sizeof out), 0);
    assert_true(strncmp(out, "nnlab ", 6) == 0);
    assert_non_null(strstr(out, "(Lua 5.4"));
    const char *v[] = {"-v", NULL};
    assert_int_equal(run_args(v, out, err, sizeof out), 0);
    assert_true(strncmp(out, "nnlab ", 6) == 0);
    const char *help[] = {"--help", NULL};
    assert_int_equal(run_args(help, out, err, sizeof out), 0);
    assert_true(strncmp(out, "usage: nnlab [options] [script [args]]", 38) == 0);
    assert_non_null(strstr(out, "--lesson NAME"));
    const char *bad[] = {"--nosuch", NULL};
    assert_int_equal(run_args(bad, out, err, sizeof out), 1);
    assert_non_null(strstr(err, "unknown option '--nosuch'"));
}

/* -i FILE: the script runs, then the prompt opens with its globals. */
static void test_e2e_dash_i_runs_the_script_then_the_prompt(void **unused) {
    (void)unused;
    const char *script = write_script("setup.lua", "answer = 6 * 7; print('set ' .. 'up')\n");
    term t;
    const char *args[] = {"-i", script, NULL};
    start(&t, state_dir, args);
    expect(&t, "set up");
    expect(&t, "nn> ");
    type(&t, "answer + 1\r");
    expect(&t, "43");
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

static void test_e2e_time_on_prints_a_time(void **unused) {
    (void)unused;
    term t;
    start(&t, state_dir, NULL);
    expect(&t, "nn> ");
    type(&t, ":time on\r");
    expect(&t, "nn> ");
    type(&t, "local s = 0; for i = 1, 1000 do s = s + i end; s\r");
    expect(&t, "500500");
    expect(&t, " ms)");
    type(&t, ":time off\r");
    expect(&t, "nn> ");
    size_t from = t.mark;
    type(&t, "2 + 2\r");
    expect(&t, "4");
    expect(&t, "nn> ");
    assert_int_equal(count_since(&t, from, " ms)"), 0);
    type(&t, ":quit\r");
    assert_int_equal(finish(&t), 0);
}

/* Errors are red on a terminal that has colours (TERM=xterm, no NO_COLOR), plain
 * with NO_COLOR set. */
static void test_e2e_colour_unless_no_color(void **unused) {
    (void)unused;
    for (int colour = 1; colour >= 0; colour--) {
        term t;
        start_colour(&t, state_dir, NULL, colour);
        expect(&t, "nn> ");
        size_t from = t.mark;
        type(&t, "error('pai' .. 'nted')\r");
        expect(&t, "painted");
        expect(&t, "nn> ");
        bool red = count_since(&t, from, "\x1b[1;31mstdin:1: painted\x1b[0m") == 1;
        if (red != (colour == 1))
            fail_msg("colour %d: the error showed as:\n%s", colour, t.out + from);
        type(&t, ":quit\r");
        assert_int_equal(finish(&t), 0);
    }
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_e2e_expression_prints),
        cmocka_unit_test(test_e2e_multiline_function),
        cmocka_unit_test(test_e2e_ctrl_d_asks_while_jobs_run),
        cmocka_unit_test(test_e2e_wait_takes_a_run),
        cmocka_unit_test(test_e2e_fit_at_the_prompt_shows_its_job),
        cmocka_unit_test(test_e2e_status_line_above_the_prompt),
        cmocka_unit_test(test_e2e_record_writes_a_lab_record),
        cmocka_unit_test(test_e2e_error_leaves_repl_alive),
        cmocka_unit_test(test_e2e_tab_completes),
        cmocka_unit_test(test_e2e_tab_completes_option_names),
        cmocka_unit_test(test_e2e_errors_name_no_internal_file),
        cmocka_unit_test(test_e2e_odd_input_never_kills_the_prompt),
        cmocka_unit_test(test_e2e_user_globals_cannot_crash_the_prompt),
        cmocka_unit_test(test_e2e_errors_show_only_the_users_frames),
        cmocka_unit_test(test_e2e_job_output_without_newline_stays),
        cmocka_unit_test(test_e2e_keys_typed_during_a_command_show_once),
        cmocka_unit_test(test_e2e_history_persists),
        cmocka_unit_test(test_e2e_job_runs_while_typing),
        cmocka_unit_test(test_e2e_ctrl_c_stops_endless_loop),
        cmocka_unit_test(test_e2e_ctrl_c_stops_training_and_c_loops),
        cmocka_unit_test(test_e2e_ctrl_c_stops_a_loop_of_long_ops_beside_a_job),
        cmocka_unit_test(test_e2e_safe_refuses_os_execute),
        cmocka_unit_test(test_e2e_ctrl_c_cannot_be_caught),
        cmocka_unit_test(test_e2e_safe_time_and_memory_limits),
        cmocka_unit_test(test_e2e_projector_switch),
        cmocka_unit_test(test_e2e_piped_stdin_is_a_script),
        cmocka_unit_test(test_e2e_script_gets_its_arg_table),
        cmocka_unit_test(test_e2e_script_error_goes_to_stderr_with_status_1),
        cmocka_unit_test(test_e2e_version_and_help),
        cmocka_unit_test(test_e2e_dash_i_runs_the_script_then_the_prompt),
        cmocka_unit_test(test_e2e_ctrl_c_beside_the_decision_worker),
        cmocka_unit_test(test_e2e_time_on_prints_a_time),
        cmocka_unit_test(test_e2e_colour_unless_no_color),
    };
    return cmocka_run_group_tests(tests, make_state_dir, remove_state_dir);
}
