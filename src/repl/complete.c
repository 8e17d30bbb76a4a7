/* complete.c: Tab completion. Candidates come from the live Lua state: globals and
 * keywords; after `a.b.` the fields of that table; after `a:` its methods; fields
 * and methods of userdata through their metatables (__index tables; and for
 * objects whose __index is a function, __keys, a table of names or a function
 * returning one, and after `:` also __methods, the table of methods). Nothing is called but __keys,
 * so completing never runs user code by accident. Inside a string literal, file names.
 * repl_complete is the tested core; the readline glue at the end converts its candidates to
 * readline's frame. */
#include <dirent.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <readline/readline.h>

#include "replint.h"

#define MAX_INDEX_CHAIN 8 /* __index tables followed */

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static bool ident_char(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Returns the offset just after the opening quote when end lies inside a string
 * literal of line, -1 otherwise (also -1 inside a comment). Long brackets are not
 * tracked: file names are typed in short strings. */
static long string_start(const char *line, size_t end) {
    char quote = 0;
    long start = -1;
    for (size_t i = 0; i < end; i++) {
        char c = line[i];
        if (quote) {
            if (c == '\\')
                i++;
            else if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
            start = (long)i + 1;
        } else if (c == '-' && i + 1 < end && line[i + 1] == '-') {
            return -1;
        }
    }
    return quote ? start : -1;
}

/* set[name] = true for every name of the file completion of the typed path. */
static void add_files(lua_State *L, int set, const char *typed) {
    char dir[PATH_MAX];
    const char *slash = strrchr(typed, '/');
    const char *base = slash ? slash + 1 : typed;
    size_t dlen = slash ? (size_t)(slash - typed) + 1 : 0;
    if (dlen >= sizeof dir) return;
    if (dlen) memcpy(dir, typed, dlen);
    dir[dlen] = '\0';
    DIR *d = opendir(dlen ? dir : ".");
    if (!d) return;
    size_t blen = strlen(base);
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (strncmp(e->d_name, base, blen) != 0) continue;
        if (e->d_name[0] == '.' && base[0] != '.') continue;
        char full[PATH_MAX];
        if (snprintf(full, sizeof full, "%s%s", dir, e->d_name) >= (int)sizeof full) continue;
        struct stat st;
        bool isdir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        lua_pushfstring(L, "%s%s", full, isdir ? "/" : "");
        lua_pushboolean(L, 1);
        lua_rawset(L, set);
    }
    closedir(d);
}

/* Adds prefix..key for the identifier keys of the table at t that start with
 * want; methods_only keeps functions only. Names starting with _ (private by
 * convention, and metamethods) only when want starts with _. */
static void add_keys(lua_State *L, int set, int t, const char *prefix, const char *want,
                     bool methods_only) {
    size_t wlen = strlen(want);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) == LUA_TSTRING && (!methods_only || lua_isfunction(L, -1))) {
            const char *k = lua_tostring(L, -2);
            bool ident = ident_char(*k) && !(*k >= '0' && *k <= '9');
            for (const char *p = k; ident && *p; p++) ident = ident_char(*p);
            if (ident && strncmp(k, want, wlen) == 0 && (*k != '_' || *want == '_')) {
                lua_pushfstring(L, "%s%s", prefix, k);
                lua_pushboolean(L, 1);
                lua_rawset(L, set);
            }
        }
        lua_pop(L, 1);
    }
}

/* Adds the names listed by the __keys metafield of the value at v. */
static void add_listed(lua_State *L, int set, int v, const char *prefix, const char *want) {
    int top = lua_gettop(L);
    if (luaL_getmetafield(L, v, "__keys") == LUA_TNIL) return;
    if (lua_isfunction(L, -1)) {
        lua_pushvalue(L, v);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) goto done;
    }
    if (lua_istable(L, -1)) {
        size_t wlen = strlen(want);
        int list = lua_gettop(L);
        for (lua_Integer i = 1; lua_rawgeti(L, list, i) == LUA_TSTRING; i++) {
            const char *k = lua_tostring(L, -1);
            if (strncmp(k, want, wlen) == 0) {
                lua_pushfstring(L, "%s%s", prefix, k);
                lua_pushboolean(L, 1);
                lua_rawset(L, set);
            }
            lua_pop(L, 1);
        }
    }
done:
    lua_settop(L, top);
}

/* Adds the names in the __methods table of v's metatable (userdata whose __index
 * is a function keep their methods there). */
static void add_methods(lua_State *L, int set, int v, const char *prefix, const char *want) {
    if (luaL_getmetafield(L, v, "__methods") == LUA_TNIL) return;
    if (lua_istable(L, -1)) add_keys(L, set, lua_gettop(L), prefix, want, true);
    lua_pop(L, 1);
}

/* Adds the fields (or methods) of the value at v: its own keys when it is a table,
 * then what its metatables' __keys and __index tables hold. */
static void add_fields(lua_State *L, int set, int v, const char *prefix, const char *want,
                       bool methods_only) {
    lua_pushvalue(L, v);
    for (int depth = 0; depth < MAX_INDEX_CHAIN; depth++) {
        int cur = lua_gettop(L);
        if (lua_istable(L, cur)) add_keys(L, set, cur, prefix, want, methods_only);
        /* after `:` too, every listed name: a listed field may be callable
         * (a tensor's t:shape() is a table with __call, not a method) */
        if (methods_only) add_methods(L, set, cur, prefix, want);
        add_listed(L, set, cur, prefix, want);
        if (luaL_getmetafield(L, cur, "__index") == LUA_TNIL) break;
        lua_replace(L, cur);
        if (!lua_istable(L, cur)) break;
    }
    lua_pop(L, 1);
}

/* Looks key up in the value on top of the stack without calling any function:
 * raw fields, then __index tables. Replaces the top with the result (maybe nil). */
static void lookup(lua_State *L, const char *key) {
    for (int depth = 0; depth < MAX_INDEX_CHAIN; depth++) {
        if (lua_istable(L, -1)) {
            lua_pushstring(L, key);
            if (lua_rawget(L, -2) != LUA_TNIL) {
                lua_remove(L, -2);
                return;
            }
            lua_pop(L, 1);
        }
        if (luaL_getmetafield(L, -1, "__index") == LUA_TNIL) break;
        if (!lua_istable(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        lua_remove(L, -2);
    }
    lua_pop(L, 1);
    lua_pushnil(L);
}

static int compare_words(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Replaces the set at index set by a sorted array of its keys. Sorted in C, not
 * with table.sort: the user may have replaced or removed the global table. */
static void push_sorted(lua_State *L, int set) {
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, set)) {
        lua_pop(L, 1);
        n++;
    }
    const char **words = lua_newuserdatauv(L, (n ? n : 1) * sizeof *words, 0);
    size_t i = 0;
    lua_pushnil(L);
    while (lua_next(L, set)) {
        lua_pop(L, 1);
        words[i++] = lua_tostring(L, -1); /* the set's keys are strings, anchored in it */
    }
    qsort(words, n, sizeof *words, compare_words);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, words[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_remove(L, -2); /* the pointers */
    lua_remove(L, set);
}

static void add_keywords(lua_State *L, int set, const char *want) {
    static const char *const kw[] = {
        "and",      "break",  "do",   "else", "elseif", "end",   "false", "for",
        "function", "goto",   "if",   "in",   "local",  "nil",   "not",   "or",
        "repeat",   "return", "then", "true", "until",  "while",
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
        if (strncmp(kw[i], want, strlen(want)) != 0) continue;
        lua_pushboolean(L, 1);
        lua_setfield(L, set, kw[i]);
    }
}

/* Inside the braces of a call (m:fit{opt), the option names of that function from
 * repl._complete_option (lua/options.lua), which reads the state without calling
 * the student's code. Returns whether any name matched. */
static bool add_option_names(lua_State *L, int set, const char *line, size_t before,
                             const char *want) {
    int top = lua_gettop(L);
    bool added = false;
    if (repl_module_field(L, "_complete_option") != LUA_TFUNCTION) {
        lua_settop(L, top);
        return false;
    }
    lua_pushlstring(L, line, before);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_istable(L, -1)) {
        size_t wlen = strlen(want);
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
            const char *name = lua_tostring(L, -1);
            if (strncmp(name, want, wlen) == 0) {
                lua_pushboolean(L, 1);
                lua_setfield(L, set, name);
                added = true;
            }
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
    return added;
}

/* Completes the word of identifiers, dots and colons that ends at end. */
static void complete_word(lua_State *L, int set, const char *line, size_t end, size_t *wstart) {
    size_t s = end;
    while (s > 0 && (ident_char(line[s - 1]) || line[s - 1] == '.' || line[s - 1] == ':')) s--;
    *wstart = s;
    char word[512];
    size_t n = end - s;
    if (n >= sizeof word) return;
    memcpy(word, line + s, n);
    word[n] = '\0';
    char *sep = strrchr(word, '.'), *colon = strrchr(word, ':');
    if (colon && (!sep || colon > sep)) sep = colon;
    if (!sep) {
        /* in a call's braces the option names come first: m:fit{opt is optimizer,
         * not the global optim; a positional value (m:fit{train) matches none */
        if (add_option_names(L, set, line, s, word)) return;
        lua_pushglobaltable(L);
        add_fields(L, set, lua_gettop(L), "", word, false);
        lua_pop(L, 1);
        add_keywords(L, set, word);
        return;
    }
    char want[512];
    snprintf(want, sizeof want, "%s", sep + 1);
    bool methods = *sep == ':';
    sep[1] = '\0'; /* word is now the prefix, e.g. "nn." */
    lua_pushglobaltable(L);
    char path[512];
    snprintf(path, sizeof path, "%.*s", (int)(sep - word), word);
    for (char *tok = path, *next; tok; tok = next) {
        next = strchr(tok, '.');
        if (next) *next++ = '\0';
        if (strchr(tok, ':') || *tok == '\0') { /* a colon in the middle: not a path */
            lua_pop(L, 1);
            return;
        }
        lookup(L, tok);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            return;
        }
    }
    add_fields(L, set, lua_gettop(L), word, want, methods);
    lua_pop(L, 1);
}

void repl_complete(lua_State *L, const char *line, size_t end, size_t *wstart) {
    luaL_checkstack(L, 20, "completion");
    lua_newtable(L);
    int set = lua_gettop(L);
    size_t len = strlen(line);
    if (end > len) end = len;
    long q = string_start(line, end);
    if (q >= 0) {
        char typed[PATH_MAX];
        *wstart = (size_t)q;
        if (end - (size_t)q < sizeof typed) {
            snprintf(typed, sizeof typed, "%.*s", (int)(end - (size_t)q), line + q);
            add_files(L, set, typed);
        }
    } else {
        complete_word(L, set, line, end, wstart);
    }
    push_sorted(L, set);
}

/* ---- readline glue ---- */

/* readline's completion callback takes no user pointer: the state it completes in. */
static lua_State *completion_state;

/* The longest common prefix of the candidates, from offset skip, as readline's
 * matches[0]. */
static char *common_prefix(char **m, size_t count) {
    size_t n = strlen(m[0]);
    for (size_t i = 1; i < count; i++) {
        size_t k = 0;
        while (k < n && m[i][k] == m[0][k]) k++;
        n = k;
    }
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, m[0], n);
        p[n] = '\0';
    }
    return p;
}

/* complete_protected(end) -> candidates, wstart: repl_complete under pcall, as
 * readline calls us outside any Lua call and an error there would abort. */
static int complete_protected(lua_State *L) {
    size_t wstart = 0;
    repl_complete(L, rl_line_buffer, (size_t)lua_tointeger(L, 1), &wstart);
    lua_pushinteger(L, (lua_Integer)wstart);
    return 2;
}

static char **attempt(const char *text, int start, int end) {
    (void)text;
    lua_State *L = completion_state;
    rl_attempted_completion_over = 1; /* no fallback to readline's file names */
    rl_completion_append_character = '\0';
    int top = lua_gettop(L);
    lua_pushcfunction(L, complete_protected);
    lua_pushinteger(L, end);
    if (lua_pcall(L, 1, 2, 0) != LUA_OK) {
        lua_settop(L, top);
        return NULL;
    }
    size_t wstart = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    size_t count = lua_rawlen(L, -1);
    char **m = count ? calloc(count + 2, sizeof *m) : NULL;
    if (!m) {
        lua_settop(L, top);
        return NULL;
    }
    /* readline replaces line[start, end): re-base candidates that start at wstart */
    for (size_t i = 0; i < count; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        const char *c = lua_tostring(L, -1);
        if ((size_t)start >= wstart) {
            size_t skip = (size_t)start - wstart;
            m[i + 1] = strdup(strlen(c) >= skip ? c + skip : "");
        } else {
            size_t pre = wstart - (size_t)start;
            m[i + 1] = malloc(pre + strlen(c) + 1);
            if (m[i + 1]) {
                memcpy(m[i + 1], rl_line_buffer + start, pre);
                strcpy(m[i + 1] + pre, c);
            }
        }
        lua_pop(L, 1);
        if (!m[i + 1]) break;
    }
    lua_settop(L, top);
    size_t got = 0;
    while (got < count && m[got + 1]) got++;
    if (got == 0) {
        free(m);
        return NULL;
    }
    if (got == 1) {
        m[0] = m[1];
        m[1] = NULL;
    } else {
        m[0] = common_prefix(m + 1, got);
        if (!m[0]) m[0] = strdup("");
    }
    return m;
}

void repl_complete_install(lua_State *L) {
    completion_state = L;
    rl_attempted_completion_function = attempt;
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,+-*/%^~#[])}";
    rl_completer_quote_characters = "";
}
