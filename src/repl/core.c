/* core.c: "repl.core", the C helpers that lua/repl.lua (jobs, commands, help) builds
 * on: a monotonic clock, one pass of the event-loop hooks, the foreground flag,
 * the pretty printer, coroutine tracebacks, reporting above the prompt, and a
 * directory listing, and register, which keeps lua/repl.lua's module where the C
 * half finds it. Also wraps print and io.write so that what jobs print appears
 * above the prompt instead of inside the line being typed, and the functions that
 * read the terminal (io.read, file:read, os.execute, os.exit) so that they have
 * the terminal's echo, which the loop holds off while a typed line runs. */
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "replint.h"

static int core_now(lua_State *L) {
    lua_pushnumber(L, repl_now());
    return 1;
}

/* cpu_time() -> the seconds of CPU this thread has run: what a benchmark charges to
 * the training thread alone, without the time a busy host takes from it. */
static int core_cpu_time(lua_State *L) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    lua_pushnumber(L, (double)ts.tv_sec + ts.tv_nsec * 1e-9);
    return 1;
}

static int core_pump(lua_State *L) {
    repl_hooks_run(L);
    return 0;
}

/* foreground([on]) -> previous: while on, Ctrl-C raises "interrupted!" in Lua. */
static int core_foreground(lua_State *L) {
    repl *r = repl_get(L);
    lua_pushboolean(L, r->foreground);
    if (!lua_isnone(L, 1)) r->foreground = lua_toboolean(L, 1);
    return 1;
}

/* core.status(text): a background job's progress line just above the prompt;
 * core.status() takes it away. */
static int core_status(lua_State *L) {
    repl_status(repl_get(L), luaL_optstring(L, 1, NULL));
    return 0;
}

/* core.record_on(on): whether the prompt hands the session to repl._record. */
static int core_record_on(lua_State *L) {
    repl *r = repl_get(L);
    if (r) r->recording = lua_toboolean(L, 1);
    return 0;
}

/* core.mkdir(path) -> true, or nil and the reason (a folder that exists is fine). */
static int core_mkdir(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        luaL_pushfail(L);
        lua_pushfstring(L, "%s: %s", path, strerror(errno));
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int core_repr(lua_State *L) {
    luaL_checkany(L, 1);
    if (lua_toboolean(L, 3))
        repl_pushrepr_full(L, 1);
    else
        repl_pushrepr(L, 1, lua_toboolean(L, 2));
    return 1;
}

/* traceback(co, msg) -> msg with the traceback of the (dead or suspended)
 * coroutine co, trimmed to the user's code like the prompt's. */
static int core_traceback(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co != NULL, 1, "coroutine");
    const char *msg = luaL_optstring(L, 2, "");
    luaL_traceback(L, co, msg, 0);
    repl_trim_traceback(L);
    return 1;
}

/* report(msg): prints an error message on stderr above the prompt. */
static int core_report(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    repl_report(L);
    return 0;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* listdir(path) -> sorted array of the names in path (without . and ..), or nil and
 * a message. Sorted here in C, not with table.sort, which the user may replace. */
static int core_listdir(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    DIR *d = opendir(path);
    if (!d) {
        luaL_pushfail(L);
        lua_pushfstring(L, "%s: cannot open folder", path);
        return 2;
    }
    lua_newtable(L); /* the names, anchored while their pointers are sorted */
    int names = lua_gettop(L);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        lua_pushstring(L, e->d_name);
        lua_seti(L, names, ++n);
    }
    closedir(d);
    const char **sorted = lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *sorted, 0);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, names, i + 1);
        sorted[i] = lua_tostring(L, -1);
        lua_pop(L, 1); /* still referenced by names */
    }
    qsort(sorted, (size_t)n, sizeof *sorted, compare_names);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushstring(L, sorted[i]);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* register(module): keeps lua/repl.lua's module in the registry, where the C half
 * of the prompt finds it whatever the user does to `repl` or package.loaded. */
static int core_register(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_getfield(L, LUA_REGISTRYINDEX, REPL_MODULE_KEY) != LUA_TNIL)
        return luaL_error(L, "repl.core.register: the module is registered already");
    lua_settop(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, REPL_MODULE_KEY);
    return 0;
}

/* Notes whether what is about to be written, the values at first..last, ends
 * inside a line, so that the prompt can end that line before it is drawn again
 * (else it is drawn over the text, and the next pass clears both). */
static void note_output(lua_State *L, repl *r, int first, int last) {
    if (!r) return;
    for (int i = last; i >= first; i--) {
        if (lua_type(L, i) == LUA_TNUMBER) { /* no number ends in a newline */
            r->out_partial = true;
            return;
        }
        size_t n;
        const char *s = lua_type(L, i) == LUA_TSTRING ? lua_tolstring(L, i, &n) : NULL;
        if (s && n > 0) {
            r->out_partial = s[n - 1] != '\n';
            return;
        }
    }
}

/* hide(...): takes the prompt off the screen before the values ... are written
 * (by the caller) above it. */
static int core_hide(lua_State *L) {
    repl *r = repl_get(L);
    repl_out_hide(r);
    note_output(L, r, 1, lua_gettop(L));
    return 0;
}

static int core_clear(lua_State *L) {
    repl_out_hide(repl_get(L));
    fputs("\x1b[H\x1b[2J", stdout);
    fflush(stdout);
    return 0;
}

/* The wrapped output function is upvalue 1, and upvalue 2 is true when it ends
 * each call with a newline (print); the prompt comes off the screen first. */
/* What print (ends_lines) or io.write is about to write, for the lab record. */
static void record_output(lua_State *L, repl *r, bool ends_lines) {
    if (!r || !r->recording) return;
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (ends_lines && i > 1) luaL_addchar(&b, '\t');
        if (ends_lines || lua_type(L, i) == LUA_TSTRING || lua_type(L, i) == LUA_TNUMBER) {
            luaL_tolstring(L, i, NULL);
            luaL_addvalue(&b);
        }
    }
    if (ends_lines) luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    repl_record(L, "output", s, len);
    lua_pop(L, 1);
}

static int wrapped_output(lua_State *L) {
    repl *r = repl_get(L);
    repl_out_hide(r);
    record_output(L, r, lua_toboolean(L, lua_upvalueindex(2)));
    if (lua_toboolean(L, lua_upvalueindex(2))) {
        if (r) r->out_partial = false;
    } else {
        note_output(L, r, 1, lua_gettop(L));
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* The wrapped function is upvalue 1: it may read the terminal (io.read,
 * file:read, os.execute's program) or end the process (os.exit), so the echo the
 * loop holds off while a line runs is on during the call. */
static int with_echo(lua_State *L) {
    repl *r = repl_get(L);
    bool held = repl_echo_release(r);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    if (held) repl_echo_hold(r);
    return lua_gettop(L);
}

/* Replaces t[name] (t at index t) by with_echo around it. */
static void wrap_with_echo(lua_State *L, int t, const char *name) {
    if (lua_getfield(L, t, name) == LUA_TFUNCTION) {
        lua_pushcclosure(L, with_echo, 1);
        lua_setfield(L, t, name);
    } else {
        lua_pop(L, 1);
    }
}

static void wrap_readers(lua_State *L) {
    static const char *const readers[][2] = {{"io", "read"}, {"os", "execute"}, {"os", "exit"}};
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        if (lua_getglobal(L, readers[i][0]) == LUA_TTABLE)
            wrap_with_echo(L, lua_gettop(L), readers[i][1]);
        lua_pop(L, 1);
    }
    int top = lua_gettop(L); /* file methods: io.stdin:read() */
    if (luaL_getmetatable(L, LUA_FILEHANDLE) == LUA_TTABLE &&
        lua_getfield(L, -1, "__index") == LUA_TTABLE)
        wrap_with_echo(L, lua_gettop(L), "read");
    lua_settop(L, top);
}

static void wrap(lua_State *L, const char *table, const char *name, bool ends_lines) {
    if (table)
        lua_getglobal(L, table);
    else
        lua_pushglobaltable(L);
    lua_getfield(L, -1, name);
    if (lua_isfunction(L, -1)) {
        lua_pushboolean(L, ends_lines);
        lua_pushcclosure(L, wrapped_output, 2);
        lua_setfield(L, -2, name);
    } else {
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* pending() -> the message of an interruption (or limit) that user code must not
 * catch, or nil: lua/sandbox.lua's pcall raises it again. */
static int core_pending(lua_State *L) {
    repl *r = repl_get(L);
    if (r && r->pending)
        lua_pushstring(L, r->pending);
    else
        lua_pushnil(L);
    return 1;
}

/* safe_path(path, write) -> the resolved path when --safe allows it, or nil and
 * why not (src/repl/sandbox.c). */
static int core_safe_path(lua_State *L) {
    size_t n;
    const char *path = luaL_checklstring(L, 1, &n);
    bool write = lua_toboolean(L, 2);
    repl *r = repl_get(L);
    char out[REPL_PATH_MAX], err[REPL_PATH_MAX + 200];
    if (strlen(path) != n) {
        luaL_pushfail(L);
        lua_pushliteral(L, "the path has a zero byte in it");
        return 2;
    }
    if (!r || !repl_sandbox_check(r, path, write, out, err, sizeof err)) {
        luaL_pushfail(L);
        lua_pushstring(L, r ? err : "no sandbox in this state");
        return 2;
    }
    lua_pushstring(L, out);
    return 1;
}

/* scratch() -> the scratch folder of a --safe run, or nil. */
static int core_scratch(lua_State *L) {
    repl *r = repl_get(L);
    if (r && r->scratch[0])
        lua_pushstring(L, r->scratch);
    else
        lua_pushnil(L);
    return 1;
}

/* write_atomic(path, text) -> true, or nil and a message: replaces the file whole
 * (atomic.c), making its folder first. For nnlab's own files (lesson progress);
 * --safe takes it from user code. */
static int core_write_atomic(lua_State *L) {
    size_t n;
    const char *path = luaL_checkstring(L, 1), *text = luaL_checklstring(L, 2, &n);
    char dir[REPL_PATH_MAX], err[REPL_PATH_MAX + 64];
    snprintf(dir, sizeof dir, "%s", path);
    if (!repl_make_parent(dir) || !repl_write_atomic(path, text, n, err, sizeof err)) {
        luaL_pushfail(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static const luaL_Reg core_funcs[] = {
    {"write_atomic", core_write_atomic},
    {"pending", core_pending},
    {"safe_path", core_safe_path},
    {"scratch", core_scratch},
    {"now", core_now},
    {"cpu_time", core_cpu_time},
    {"pump", core_pump},
    {"foreground", core_foreground},
    {"repr", core_repr},
    {"status", core_status},
    {"record_on", core_record_on},
    {"mkdir", core_mkdir},
    {"traceback", core_traceback},
    {"report", core_report},
    {"listdir", core_listdir},
    {"hide", core_hide},
    {"clear", core_clear},
    {"printer", repl_set_printer},
    {"register", core_register},
    {NULL, NULL},
};

int repl_open_core(lua_State *L) {
    wrap(L, NULL, "print", true);
    wrap(L, "io", "write", false);
    wrap_readers(L);
    luaL_newlib(L, core_funcs);
    repl *r = repl_get(L);
    lua_pushboolean(L, r->safe);
    lua_setfield(L, -2, "safe");
    lua_pushstring(L, r->lua_dir);
    lua_setfield(L, -2, "lua_dir");
    lua_pushstring(L, r->lessons_dir);
    lua_setfield(L, -2, "lessons_dir");
    lua_pushstring(L, NNLAB_VERSION);
    lua_setfield(L, -2, "version");
    return 1;
}
