/* eval.c: evaluating what is typed, in the steps of lua.c: a line is first
 * compiled as `return <line>` (its values passed through a call, so that it is no
 * tail call: see load_expression) so that expressions print; otherwise as a
 * statement; input whose only fault is that it ends early is incomplete (the prompt
 * asks for more). Calls run under a message handler that adds a traceback trimmed
 * to the user's code. `:commands` and `?name` are handed to lua/repl.lua. */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replint.h"

#define EOFMARK    "<eof>"
#define CHUNKNAME  "=stdin"
#define ANSI_ERR   "\x1b[1;31m"
#define ANSI_DIM   "\x1b[2m"
#define ANSI_RESET "\x1b[0m"

bool repl_colour(int fd) {
    const char *term = getenv("TERM");
    return isatty(fd) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;
}

/* Compiles `<head> return <expr>` so that an expression has values, but as
 * `<head> return (function(...) return ... end)(<expr>\n)`: the values are passed
 * on whole, and <expr> is no tail call, so while it runs the main chunk stays on
 * the stack and an error raised by a function it calls (error(msg, 2) from
 * nnlab's Lua files) keeps the user's "stdin:1:" and frame. The newline ends a
 * trailing `-- comment`. The plain form must compile first, so input that is not
 * an expression list (`x) (y`) can't become one inside the parentheses. Pushes
 * the function, or the error message of the plain form. */
static int load_expression(lua_State *L, const char *head, const char *expr) {
    const char *plain = lua_pushfstring(L, "%s return %s;", head, expr);
    int status = luaL_loadbuffer(L, plain, strlen(plain), CHUNKNAME);
    lua_remove(L, -2);
    if (status != LUA_OK) return status;
    lua_pop(L, 1);
    const char *whole =
        lua_pushfstring(L, "%s return (function(...) return ... end)(%s\n)", head, expr);
    status = luaL_loadbuffer(L, whole, strlen(whole), CHUNKNAME);
    lua_remove(L, -2);
    return status;
}

/* `loss:backward(); w.grad` is neither an expression nor a statement, so lua.c would
 * wait for more input. Students type it all the time: when the text after the last
 * ';' is an expression, compile `<head>; return <tail>` so that its value prints.
 * Only tried after both plain forms failed, and kept only if it compiles, so valid
 * input never changes meaning. On failure leaves the statement's error (status). */
static int load_last_expression(lua_State *L, const char *code, size_t len, int status) {
    const char *semi = NULL;
    for (size_t i = 0; i < len; i++)
        if (code[i] == ';') semi = code + i;
    if (!semi || semi[1] == '\0') return status;
    const char *head = lua_pushlstring(L, code, (size_t)(semi - code + 1));
    int again = load_expression(L, head, semi + 1);
    lua_remove(L, -2); /* head */
    if (again != LUA_OK) {
        lua_pop(L, 1);
        return status;
    }
    lua_replace(L, -2); /* the compiled function takes the error message's place */
    return LUA_OK;
}

/* Compiles code as an expression (so it has values) and, failing that, as a
 * statement. Pushes the function, or the statement's error message. */
static int load_chunk(lua_State *L, const char *code, size_t len) {
    int status = load_expression(L, "", code);
    if (status == LUA_OK) return status;
    lua_pop(L, 1);
    status = luaL_loadbuffer(L, code, len, CHUNKNAME);
    if (status == LUA_OK) return status;
    return load_last_expression(L, code, len, status);
}

bool repl_incomplete(lua_State *L, const char *code) {
    int status = load_chunk(L, code, strlen(code));
    bool incomplete = false;
    if (status == LUA_ERRSYNTAX) {
        size_t n;
        const char *msg = lua_tolstring(L, -1, &n);
        size_t mark = sizeof EOFMARK - 1;
        incomplete = n >= mark && strcmp(msg + n - mark, EOFMARK) == 0;
    }
    lua_pop(L, 1);
    return incomplete;
}

/* True when the n bytes at line contain the string needle. */
static bool contains(const char *line, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t j = 0; j + k <= n; j++)
        if (memcmp(line + j, needle, k) == 0) return true;
    return false;
}

/* True when the source src (n bytes, as a traceback shows it) is a file in the
 * folder dir_slash ("/x/lua/"). Lua shortens long paths to "..." and their tail:
 * then some "/"-ended start of the tail must be an end of dir_slash. */
static bool source_in_dir(const char *src, size_t n, const char *dir_slash) {
    size_t d = strlen(dir_slash);
    if (n >= 3 && memcmp(src, "...", 3) == 0) {
        src += 3;
        n -= 3;
        for (size_t i = 1; i <= n && i <= d; i++)
            if (src[i - 1] == '/' && memcmp(src, dir_slash + d - i, i) == 0) return true;
        return false;
    }
    return n > d && memcmp(src, dir_slash, d) == 0;
}

/* True for traceback frames that are nnlab's machinery, not the user's code: C
 * frames (the message already names the C function that raised, and a C frame has
 * no line a student could look at), tail-call markers, and any frame of a file in
 * nnlab's lua/ folder (dir_slash). */
static bool noise_frame(const char *line, size_t n, const char *dir_slash) {
    while (n > 0 && *line == '\t') line++, n--;
    if (n >= 4 && memcmp(line, "[C]:", 4) == 0) return true;
    if (contains(line, n, "(...tail calls...)")) return true;
    const char *colon = memchr(line, ':', n);
    return colon && source_in_dir(line, (size_t)(colon - line), dir_slash);
}

/* Writes nnlab's lua/ folder, with a final '/', into out (REPL_PATH_MAX bytes). */
static void lua_dir_slash(lua_State *L, char *out) {
    repl *r = repl_get(L);
    char dir[REPL_PATH_MAX];
    if (r)
        snprintf(dir, sizeof dir, "%s", r->lua_dir);
    else
        repl_find_lua_dir(dir, sizeof dir); /* a bare state (tests) */
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') dir[--n] = '\0';
    snprintf(out, REPL_PATH_MAX, "%.*s/", REPL_PATH_MAX - 2, dir);
}

/* Replaces the traceback string on top of the stack by one without nnlab's own
 * frames; drops the traceback entirely when all that is left is the main chunk
 * (the message already says where: "stdin:1:"). A message that carries a
 * traceback already (a job's error raised again by wait) gets one header: the
 * second "stack traceback:" line is not a frame. */
void repl_trim_traceback(lua_State *L) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    const char *tb = strstr(s, "\nstack traceback:");
    if (!tb) return;
    char *out = malloc(len + 1);
    if (!out) return; /* keep it untrimmed */
    char dir_slash[REPL_PATH_MAX];
    lua_dir_slash(L, dir_slash);
    size_t head = (size_t)(tb - s), o = 0;
    const char *p = tb + strlen("\nstack traceback:");
    int kept = 0;
    bool only_main = true;
    while (*p == '\n') {
        const char *line = p + 1;
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        bool header = n == strlen("stack traceback:") && memcmp(line, "stack traceback:", n) == 0;
        if (!header && !noise_frame(line, n, dir_slash)) {
            kept++;
            if (!contains(line, n, "in main chunk")) only_main = false;
            out[o++] = '\n';
            memcpy(out + o, line, n);
            o += n;
        }
        p = line + n;
    }
    out[o] = '\0';
    lua_pushlstring(L, s, head);
    if (kept > 0 && !only_main) {
        lua_pushfstring(L, "\nstack traceback:%s", out);
        lua_concat(L, 2);
    }
    free(out);
    lua_remove(L, -2);
}

/* Pushes the object a missing method was called on ("m:fitt()"), or nil when it is
 * not clear: Lua's message names the method, not the object, and a module's fit is
 * no hint for a tensor. The call's frame (level 1: the handler runs before the stack
 * unwinds) holds the method (nil) in a temporary and the object in the next one; an
 * object is one with a __name in its metatable. Arguments can look the same
 * ("m:f(nil, t)"), so two such objects of different types give nil. */
static void push_method_receiver(lua_State *L) {
    lua_Debug ar;
    const char *kind = NULL;
    bool found = false, prev_nil = false;
    lua_pushnil(L);
    if (!lua_getstack(L, 1, &ar)) return;
    const char *name;
    for (int n = 1; (name = lua_getlocal(L, &ar, n)) != NULL; n++) {
        bool temporary = name[0] == '(';
        int t = temporary && prev_nil ? luaL_getmetafield(L, -1, "__name") : LUA_TNIL;
        prev_nil = temporary && lua_isnil(L, t == LUA_TNIL ? -1 : -2);
        if (t != LUA_TSTRING) {
            lua_pop(L, t == LUA_TNIL ? 1 : 2);
            continue;
        }
        const char *k = lua_tostring(L, -1); /* stays reachable from the metatable */
        lua_pop(L, 1);
        if (found && strcmp(k, kind) != 0) {
            lua_pop(L, 1);
            lua_pushnil(L);
            lua_replace(L, -2);
            return;
        }
        kind = k;
        found = true;
        lua_replace(L, -2);
    }
}

/* A call of a missing function, method or global ("nn.lineaar(2, 3)") gets the
 * near names from repl._did_you_mean appended (for a method, those of the object's
 * type); the message on top is replaced only when that succeeds. */
static void add_did_you_mean(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    if (!msg || !strstr(msg, "a nil value (")) return;
    if (repl_module_field(L, "_did_you_mean") != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return;
    }
    lua_pushvalue(L, -2);
    if (strstr(msg, "(method '"))
        push_method_receiver(L);
    else
        lua_pushnil(L);
    if (lua_pcall(L, 2, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
        lua_replace(L, -2);
    else
        lua_pop(L, 1);
}

/* An error raised in nnlab's lua/ files at the wrong level starts with our path
 * ("/usr/share/nnlab/lua/race.lua:803: race: unknown option"), which tells a
 * student nothing: it gets the position of the innermost frame of the student's
 * code instead, or none. Returns msg itself, or a new string on the stack. */
static const char *user_position(lua_State *L, const char *msg) {
    const char *colon = strchr(msg, ':');
    if (!colon || colon[1] < '0' || colon[1] > '9') return msg;
    char dir[REPL_PATH_MAX];
    lua_dir_slash(L, dir);
    if (!source_in_dir(msg, (size_t)(colon - msg), dir)) return msg;
    const char *rest = colon + 1;
    while (*rest >= '0' && *rest <= '9') rest++;
    if (rest[0] != ':' || rest[1] != ' ') return msg;
    rest += 2;
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline <= 0 || source_in_dir(ar.short_src, strlen(ar.short_src), dir)) continue;
        return lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, rest);
    }
    return lua_pushstring(L, rest);
}

static int msghandler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) { /* not a string: use __tostring when there is one */
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    msg = user_position(L, msg);
    luaL_traceback(L, L, msg, 1);
    repl_trim_traceback(L);
    add_did_you_mean(L);
    return 1;
}

int repl_docall(lua_State *L, int nargs) {
    repl *r = repl_get(L); /* NULL in a bare state (tests) */
    bool was = r && r->foreground;
    if (r) r->foreground = true;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, LUA_MULTRET, base);
    lua_remove(L, base);
    if (r) r->foreground = was;
    /* a Ctrl-C that came after the last check belongs to this command, not the prompt */
    repl_interrupt_take();
    if (!was) repl_pending_clear(r); /* back at the top: the interruption is spent */
    return status;
}

void repl_report(lua_State *L) {
    repl *r = repl_get(L);
    if (r) repl_out_hide(r);
    const char *msg = lua_tostring(L, -1);
    if (!msg) msg = "(error object is not a string)";
    /* past --memory Lua can allocate nothing, so the error may be "not enough
     * memory" (or its traceback missing): say which limit ended the run */
    if (r && r->limit_hit && !strstr(msg, r->pending)) msg = r->pending;
    if (r && r->recording) {
        lua_pushfstring(L, "%s\n", msg); /* the error as the lab record shows it */
        repl_record(L, "output", lua_tostring(L, -1), strlen(lua_tostring(L, -1)));
        lua_pop(L, 1);
    }
    if (r && r->out_partial) fputc('\n', stdout); /* after io.write("abc"): own line */
    fflush(stdout);
    if (repl_colour(2)) {
        const char *tb = strstr(msg, "\nstack traceback:");
        int n = tb ? (int)(tb - msg) : (int)strlen(msg);
        fprintf(stderr, ANSI_ERR "%.*s" ANSI_RESET, n, msg);
        if (tb) fprintf(stderr, ANSI_DIM "%s" ANSI_RESET, tb);
        fputc('\n', stderr);
    } else {
        fprintf(stderr, "%s\n", msg);
    }
    fflush(stderr);
    if (r) r->out_partial = false;
    lua_pop(L, 1);
}

int repl_push_module(lua_State *L) {
    return lua_getfield(L, LUA_REGISTRYINDEX, REPL_MODULE_KEY);
}

int repl_module_field(lua_State *L, const char *name) {
    int type = LUA_TNIL;
    if (repl_push_module(L) == LUA_TTABLE) {
        lua_pushstring(L, name);
        type = lua_rawget(L, -2); /* raw: a metatable the user set can't run here */
    } else {
        lua_pushnil(L);
    }
    lua_remove(L, -2);
    return type;
}

bool repl_call_lua(lua_State *L, const char *name, int nargs, int nresults) {
    int top = lua_gettop(L) - nargs;
    if (repl_module_field(L, name) != LUA_TFUNCTION) {
        lua_settop(L, top);
        return false;
    }
    lua_insert(L, top + 1);
    int status = repl_docall(L, nargs);
    if (status != LUA_OK) {
        repl_report(L);
        lua_settop(L, top);
        return false;
    }
    lua_settop(L, top + (nresults > 0 ? nresults : 0));
    return true;
}

/* Prints the values from index first to the top, tab-separated (each in one line
 * when there are several), and makes the
 * first one `_`: set raw, so that a metatable the user gave _G (read-only
 * globals, say) can neither refuse it nor raise outside any pcall. */
static void print_results(lua_State *L, int first) {
    int n = lua_gettop(L) - first + 1;
    if (n <= 0) return;
    lua_pushglobaltable(L);
    lua_pushliteral(L, "_");
    lua_pushvalue(L, first);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    repl *r = repl_get(L);
    if (r && r->out_partial) fputc('\n', stdout); /* io.write('x') printed no newline */
    for (int i = first; i < first + n; i++) {
        /* One value is what the student asked to see; several (p, table, view of a
         * plot) would fill the screen with what they did not ask for. */
        if (n > 1)
            repl_pushrepr_line(L, i);
        else
            repl_pushrepr(L, i, true);
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (i > first) {
            fputc('\t', stdout);
            repl_record(L, "output", "\t", 1);
        }
        fwrite(s, 1, len, stdout);
        repl_record(L, "output", s, len);
        lua_pop(L, 1);
    }
    fputc('\n', stdout);
    repl_record(L, "output", "\n", 1);
    fflush(stdout);
    if (r) r->out_partial = false;
}

static bool timing_on(lua_State *L) {
    repl_module_field(L, "timing");
    bool on = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return on;
}

static int record_protected(lua_State *L) {
    if (repl_module_field(L, "_record") != LUA_TFUNCTION) return 0;
    lua_insert(L, 1);
    lua_call(L, 2, 0);
    return 0;
}

void repl_record(lua_State *L, const char *kind, const char *text, size_t len) {
    repl *r = repl_get(L);
    if (!r || !r->recording) return;
    int top = lua_gettop(L);
    lua_pushcfunction(L, record_protected);
    lua_pushstring(L, kind);
    if (text)
        lua_pushlstring(L, text, len);
    else
        lua_pushnil(L);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) r->recording = false; /* a broken record stops */
    lua_settop(L, top);
}

static void eval_chunk(lua_State *L, const char *chunk);

void repl_eval_line(lua_State *L, const char *chunk) {
    while (*chunk == ' ' || *chunk == '\t') chunk++;
    repl_record(L, "input", chunk, strlen(chunk));
    eval_chunk(L, chunk);
    repl_record(L, "after", NULL, 0);
}

static void eval_chunk(lua_State *L, const char *chunk) {
    int top = lua_gettop(L);
    if (*chunk == ':' || *chunk == '?') {
        lua_pushstring(L, chunk);
        repl_call_lua(L, *chunk == ':' ? "_command" : "_help", 1, 0);
        return;
    }
    /* a lesson may take the line: Enter goes on, a bare number answers a quiz */
    lua_pushstring(L, chunk);
    bool taken = repl_call_lua(L, "_line", 1, 1) && lua_toboolean(L, -1);
    lua_settop(L, top);
    if (taken || *chunk == '\0') return;
    if (load_chunk(L, chunk, strlen(chunk)) != LUA_OK) {
        repl_report(L);
        lua_settop(L, top);
        return;
    }
    double t0 = repl_now();
    int status = repl_docall(L, 0);
    double dt = repl_now() - t0;
    if (status == LUA_OK) {
        print_results(L, top + 1);
    } else {
        /* with echo on the terminal showed ^C without a newline; with echo held
         * (loop.c) it showed nothing */
        const char *msg = lua_tostring(L, -1);
        repl *r = repl_get(L);
        if (msg && strstr(msg, "interrupted!") && isatty(STDIN_FILENO))
            fputs(r && r->echo_held ? "^C\n" : "\n", stderr);
        repl_report(L);
    }
    lua_settop(L, top);
    if (timing_on(L)) {
        printf(dt < 1 ? "(%.3f ms)\n" : "(%.3f s)\n", dt < 1 ? dt * 1e3 : dt);
        fflush(stdout);
    }
}
