/* state.c: the Lua state of nnlab: standard libraries, bindings, "repl.core",
 * package.path on nnlab's lua/ folder, the per-state REPL record with its hook
 * list, lua/init.lua, and --safe. The prompt itself is in loop.c. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bind.h"
#include "replint.h"

/* registry key of the record; not "nnlab.<type>", which names userdata types */
#define REPL_KEY "nnlab_repl_record"

double repl_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Looked up in the registry rather than kept in lua_getextraspace: Lua leaves the
 * main thread's extra space uninitialised, so a state made elsewhere (a test's)
 * could not be told apart. */
repl *repl_get(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, REPL_KEY);
    repl *r = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return r;
}

static int repl_gc(lua_State *L) {
    repl *r = lua_touserdata(L, 1);
    free(r->hooks);
    free(r->history_path);
    r->hooks = NULL;
    r->history_path = NULL;
    return 0;
}

/* Creates the record as a userdata anchored in the registry, so it lives exactly as
 * long as the state. */
static repl *repl_record_new(lua_State *L) {
    repl *r = lua_newuserdatauv(L, sizeof *r, 0);
    memset(r, 0, sizeof *r);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
    r->main = lua_tothread(L, -1);
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, repl_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, REPL_KEY);
    return r;
}

void repl_hook_add(lua_State *L, repl_hook_fn fn, void *ud) {
    repl *r = repl_get(L);
    if (!r) r = repl_record_new(L); /* a state not made by repl_newstate (a test's) */
    if (r->nhooks == r->caphooks) {
        int cap = r->caphooks ? 2 * r->caphooks : 8;
        repl_hook *h = realloc(r->hooks, (size_t)cap * sizeof *h);
        if (!h) luaL_error(L, "repl_hook_add: out of memory");
        r->hooks = h;
        r->caphooks = cap;
    }
    r->hooks[r->nhooks++] = (repl_hook){fn, ud};
}

void repl_hooks_run(lua_State *L) {
    repl *r = repl_get(L);
    if (!r || r->in_hooks) return;
    r->in_hooks = true;
    /* a hook may add hooks: index, don't cache the pointer */
    for (int i = 0; i < r->nhooks; i++) r->hooks[i].fn(L, r->hooks[i].ud);
    r->in_hooks = false;
}

static void set_path(lua_State *L) {
    const char *dir = repl_get(L)->lua_dir;
    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", dir, dir);
    lua_setfield(L, -2, "path");
    lua_pop(L, 1);
}

/* --safe: the user's code loses what can run programs, delete or rename files, or
 * load native code. The preload searcher stays, so nnlab's own bindings load. */
static void make_safe(lua_State *L) {
    static const char *const remove[][2] = {
        {"os", "execute"}, {"io", "popen"},        {"os", "remove"},
        {"os", "rename"},  {"package", "loadlib"},
    };
    for (size_t i = 0; i < sizeof remove / sizeof remove[0]; i++) {
        lua_getglobal(L, remove[i][0]);
        lua_pushnil(L);
        lua_setfield(L, -2, remove[i][1]);
        lua_pop(L, 1);
    }
    lua_getglobal(L, "package");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_getfield(L, -1, "searchers"); /* preload, Lua, C, Croot: keep the first two */
    lua_pushnil(L);
    lua_seti(L, -2, 4);
    lua_pushnil(L);
    lua_seti(L, -2, 3);
    lua_pop(L, 2);
}

/* The Lua allocator with a ceiling (--memory): counts what Lua holds and refuses
 * to grow past limit, which Lua raises as "not enough memory". */
typedef struct limited_alloc {
    lua_Alloc next;
    void *next_ud;
    size_t used, limit;
    repl *r; /* also checks the resident set (tensors) every ALLOC_CHECK */
    unsigned growths;
} limited_alloc;

#define ALLOC_CHECK   16    /* growing allocations between looks at the clock */
#define ALLOC_CHECK_S 0.005 /* seconds between resident-set checks from here */

/* Past the limit it returns NULL: Lua raises "not enough memory", and the pending
 * limit (signals.c) keeps pcall from swallowing it. Checking here too, not only in
 * the count hook, matters for loops of few instructions that each make a large
 * tensor. */
static void *alloc_limited(void *ud, void *ptr, size_t osize, size_t nsize) {
    limited_alloc *a = ud;
    size_t old = ptr ? osize : 0;
    if (nsize > old) {
        if (a->used - old + nsize > a->limit || a->r->limit_hit) return NULL;
        if (++a->growths % ALLOC_CHECK == 0) {
            double now = repl_now();
            if (now - a->r->last_mem >= ALLOC_CHECK_S && !repl_memory_check(a->r, now)) return NULL;
        }
    }
    void *p = a->next(a->next_ud, ptr, osize, nsize);
    if (p || nsize == 0) a->used = a->used - old + nsize;
    return p;
}

static void limit_memory(lua_State *L, repl *r, size_t limit) {
    limited_alloc *a = calloc(1, sizeof *a); /* freed by repl_closestate */
    if (!a) return;
    a->r = r;
    a->next = lua_getallocf(L, &a->next_ud);
    a->used = (size_t)lua_gc(L, LUA_GCCOUNT) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB);
    a->limit = limit;
    lua_setallocf(L, alloc_limited, a);
}

static int pinit(lua_State *L) {
    bool safe = lua_toboolean(L, 1);
    luaL_openlibs(L);
    bind_open_all(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, repl_open_core);
    lua_setfield(L, -2, "repl.core");
    lua_pop(L, 1);
    set_path(L);
    if (safe) make_safe(L);
    lua_pushfstring(L, "%s/init.lua", repl_get(L)->lua_dir);
    const char *init = lua_tostring(L, -1);
    if (luaL_loadfile(L, init) != LUA_OK) return lua_error(L);
    lua_call(L, 0, 0);
    return 0;
}

lua_State *repl_newstate_with(const repl_options *o) {
    lua_State *L = luaL_newstate();
    if (!L) {
        fprintf(stderr, "nnlab: cannot create the Lua state: out of memory\n");
        return NULL;
    }
    repl *r = repl_record_new(L);
    r->safe = o->safe;
    repl_find_lua_dir(r->lua_dir, sizeof r->lua_dir);
    repl_find_lessons_dir(r->lessons_dir, sizeof r->lessons_dir);
    if (o->safe && !repl_sandbox_init(r, o->script, o->scratch)) {
        lua_close(L);
        return NULL;
    }
    repl_counthook_install(L);
    lua_pushcfunction(L, pinit);
    lua_pushboolean(L, o->safe);
    if (repl_docall(L, 1) != LUA_OK) {
        lua_pushfstring(L, "nnlab: starting up (%s/init.lua): %s", r->lua_dir, lua_tostring(L, -1));
        lua_remove(L, -2);
        repl_report(L);
        repl_sandbox_close(r);
        lua_close(L);
        return NULL;
    }
    lua_settop(L, 0);
    /* limits start once nnlab itself is up: they are the user's code's */
    if (o->memory) {
        r->mem_limit = o->memory;
        limit_memory(L, r, o->memory);
    }
    if (o->time_s > 0) repl_time_limit_start(r, o->time_s);
    return L;
}

lua_State *repl_newstate(bool safe) {
    repl_options o = {.safe = safe};
    return repl_newstate_with(&o);
}

void repl_closestate(lua_State *L) {
    if (!L) return;
    repl_sandbox_close(repl_get(L));
    void *ud;
    bool limited = lua_getallocf(L, &ud) == alloc_limited;
    lua_close(L);
    if (limited) free(ud);
}
