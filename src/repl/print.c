/* print.c: the pretty printer of the prompt. Numbers and booleans as Lua writes
 * them; strings quoted when inside a table; tables as constructors, sorted keys,
 * one line when short and indented lines otherwise, cut at MAX_DEPTH levels and
 * MAX_ITEMS entries, with cycles shown instead of followed; anything with a printer
 * registered under its metatable's __name (repl.printer) or a __tostring through
 * that. Everything runs inside one pcall, so a failing __tostring can't escape. */
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replint.h"

#define MAX_DEPTH    4    /* nesting levels shown before {...} */
#define MAX_ITEMS    40   /* entries shown per table before "... (N more)" */
#define MAX_SORT     2000 /* hash keys sorted; beyond that they are only counted */
#define MAX_STRING   300  /* bytes of a nested string shown */
#define LINE_WIDTH   78
#define PACK_WIDTH   16 /* items up to this long are packed several a line */
#define PRINTERS_KEY "nnlab.printers"

/* stack slot of the table of tables on the current path (cycle detection) */
#define SEEN 2
#define FULL 3 /* true: the top-level object's fields are shown (:details) */

static void repr(lua_State *L, int idx, int depth, int indent);

static void push_quoted(lua_State *L, int idx) {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '"');
    size_t n = len > MAX_STRING ? MAX_STRING : len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            luaL_addstring(&b, "\\\"");
            break;
        case '\\':
            luaL_addstring(&b, "\\\\");
            break;
        case '\n':
            luaL_addstring(&b, "\\n");
            break;
        case '\t':
            luaL_addstring(&b, "\\t");
            break;
        case '\r':
            luaL_addstring(&b, "\\r");
            break;
        default:
            if (c < 32 || c == 127) {
                char esc[8];
                snprintf(esc, sizeof esc, "\\%d", c);
                luaL_addstring(&b, esc);
            } else {
                luaL_addchar(&b, (char)c);
            }
        }
    }
    luaL_addchar(&b, '"');
    if (n < len) {
        lua_pushfstring(L, "...(%I bytes)", (lua_Integer)len);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
}

static bool is_identifier(const char *s) {
    static const char *const keywords[] = {
        "and",      "break",  "do",   "else", "elseif", "end",   "false", "for",
        "function", "goto",   "if",   "in",   "local",  "nil",   "not",   "or",
        "repeat",   "return", "then", "true", "until",  "while",
    };
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return false;
    for (const char *p = s; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcmp(s, keywords[i]) == 0) return false;
    return true;
}

/* Pushes the printer registered for the __name of idx's metatable, or nothing and
 * returns false. */
static bool get_printer(lua_State *L, int idx) {
    int top = lua_gettop(L);
    if (luaL_getmetafield(L, idx, "__name") != LUA_TSTRING ||
        lua_getfield(L, LUA_REGISTRYINDEX, PRINTERS_KEY) != LUA_TTABLE) {
        lua_settop(L, top);
        return false;
    }
    lua_insert(L, -2);
    if (lua_gettable(L, -2) == LUA_TNIL) {
        lua_settop(L, top);
        return false;
    }
    lua_remove(L, -2);
    return true;
}

/* Replaces the string on top by one whose second and later lines are indented. */
static void indent_lines(lua_State *L, int indent) {
    const char *s = lua_tostring(L, -1);
    if (indent == 0 || !strchr(s, '\n')) return;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (; *s; s++) {
        luaL_addchar(&b, *s);
        if (*s == '\n')
            for (int k = 0; k < indent; k++) luaL_addchar(&b, ' ');
    }
    luaL_pushresult(&b);
    lua_remove(L, -2);
}

/* Pushes what a printer or __tostring says about idx, or nothing and false. A
 * multi-line result is indented to where it is printed. */
static bool custom_repr(lua_State *L, int idx, int indent) {
    if (get_printer(L, idx)) {
        lua_pushvalue(L, idx);
        lua_call(L, 1, 1);
        if (!lua_isstring(L, -1)) luaL_error(L, "printer returned a %s", luaL_typename(L, -1));
    } else if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        luaL_tolstring(L, idx, NULL);
    } else {
        return false;
    }
    indent_lines(L, indent);
    return true;
}

/* A key of a table being printed, with what it sorts by. */
typedef struct sort_key {
    int rank; /* 0 numbers, 1 strings, 2 anything else (by its printed form) */
    lua_Number num;
    const char *s; /* the string, or the printed form; anchored in a Lua table */
    size_t len;
    lua_Integer slot; /* index in the table of keys */
} sort_key;

/* Orders keys: numbers, then strings, then anything else by its printed form. */
static int key_order(const void *pa, const void *pb) {
    const sort_key *a = pa, *b = pb;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->rank == 0) return a->num < b->num ? -1 : a->num > b->num ? 1 : 0;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    return c != 0 ? c : a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

/* Sorts the array keys[1..n] in place, in C rather than with table.sort, which
 * the user may have replaced or removed. */
static void sort_keys(lua_State *L, int keys, lua_Integer n) {
    if (n < 2) return;
    sort_key *k = lua_newuserdatauv(L, (size_t)n * sizeof *k, 0);
    lua_createtable(L, (int)n, 0); /* anchors the printed forms */
    int forms = lua_gettop(L);
    for (lua_Integer i = 0; i < n; i++) {
        int type = lua_rawgeti(L, keys, i + 1);
        sort_key *e = &k[i];
        e->slot = i + 1;
        e->rank = type == LUA_TNUMBER ? 0 : type == LUA_TSTRING ? 1 : 2;
        e->num = e->rank == 0 ? lua_tonumber(L, -1) : 0;
        if (e->rank == 0) {
            e->s = NULL;
            e->len = 0;
        } else if (e->rank == 1) {
            e->s = lua_tolstring(L, -1, &e->len); /* anchored by keys */
        } else {
            luaL_tolstring(L, -1, &e->len);
            lua_rawseti(L, forms, i + 1);
            lua_rawgeti(L, forms, i + 1);
            e->s = lua_tostring(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    qsort(k, (size_t)n, sizeof *k, key_order);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 0; i < n; i++) {
        lua_rawgeti(L, keys, k[i].slot);
        lua_rawseti(L, -2, i + 1);
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_rawseti(L, keys, i);
    }
    lua_pop(L, 3);
}

/* Pushes `key = ` (or `[key] = `) for the key at kidx. */
static void push_key(lua_State *L, int kidx, int depth, int indent) {
    if (lua_type(L, kidx) == LUA_TSTRING && is_identifier(lua_tostring(L, kidx))) {
        lua_pushfstring(L, "%s = ", lua_tostring(L, kidx));
    } else {
        repr(L, kidx, depth + 1, indent);
        lua_pushfstring(L, "[%s] = ", lua_tostring(L, -1));
        lua_remove(L, -2);
    }
}

/* Joins n short items (numbers, say) into as many per line as fit. */
static void join_packed(lua_State *L, int n, int indent) {
    luaL_Buffer b;
    int first = lua_gettop(L) - n + 1;
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '{');
    size_t col = LINE_WIDTH; /* forces a line break before the first item */
    for (int i = 0; i < n; i++) {
        size_t len;
        const char *s = lua_tolstring(L, first + i, &len);
        if (col + len + 2 > LINE_WIDTH) {
            luaL_addchar(&b, '\n');
            for (int k = 0; k < indent + 2; k++) luaL_addchar(&b, ' ');
            col = (size_t)indent + 2;
        } else {
            luaL_addchar(&b, ' ');
            col++;
        }
        luaL_addlstring(&b, s, len);
        luaL_addchar(&b, ',');
        col += len + 1;
    }
    luaL_addchar(&b, '\n');
    for (int k = 0; k < indent; k++) luaL_addchar(&b, ' ');
    luaL_addchar(&b, '}');
    luaL_pushresult(&b);
    lua_replace(L, first);
    lua_settop(L, first);
}

/* Joins the n item strings on top of the stack into one table constructor: on one
 * line when it fits, packed lines when the items are short, else one a line. */
static void join_items(lua_State *L, int n, int indent) {
    if (n == 0) {
        lua_pushliteral(L, "{}");
        return;
    }
    size_t total = 0;
    bool multiline = false;
    for (int i = n; i >= 1; i--) {
        size_t len;
        const char *s = lua_tolstring(L, -i, &len);
        total += len + 2;
        if (strchr(s, '\n')) multiline = true;
    }
    bool packed = !multiline && total + 2 + (size_t)indent > LINE_WIDTH;
    for (int i = n; packed && i >= 1; i--) /* the last may say "... (100312 more)" */
        packed = luaL_len(L, -i) <= PACK_WIDTH ||
                 (i == 1 && strncmp(lua_tostring(L, -i), "... (", 5) == 0);
    multiline = multiline || total + 2 + (size_t)indent > LINE_WIDTH;
    if (packed) {
        join_packed(L, n, indent);
        return;
    }
    luaL_Buffer b;
    int first = lua_gettop(L) - n + 1;
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '{');
    for (int i = 0; i < n; i++) {
        const char *s = lua_tostring(L, first + i);
        if (multiline) {
            luaL_addchar(&b, '\n');
            for (int k = 0; k < indent + 2; k++) luaL_addchar(&b, ' ');
            luaL_addstring(&b, s); /* nested items are indented already */
            luaL_addchar(&b, ',');
        } else {
            if (i > 0) luaL_addstring(&b, ", ");
            luaL_addstring(&b, s);
        }
    }
    if (multiline) {
        luaL_addchar(&b, '\n');
        for (int k = 0; k < indent; k++) luaL_addchar(&b, ' ');
    }
    luaL_addchar(&b, '}');
    luaL_pushresult(&b);
    lua_replace(L, first);
    lua_settop(L, first);
}

/* An object (a table with a metatable and no printer or __tostring: a race, a
 * view) as one line; its fields, often hundreds of numbers, are for :details. */
static bool object_line(lua_State *L, int t, int depth) {
    if (depth == 0 && lua_toboolean(L, FULL)) return false;
    if (!lua_getmetatable(L, t)) return false;
    lua_pop(L, 1);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        n++;
    }
    const char *name = "object";
    if (luaL_getmetafield(L, t, "__name") == LUA_TSTRING) {
        name = lua_tostring(L, -1);
        if (strncmp(name, "nnlab.", 6) == 0) name += 6;
    } else {
        lua_pushnil(L);
    }
    lua_pushfstring(L, "<%s: %I field%s; :details shows them>", name, n, n == 1 ? "" : "s");
    lua_remove(L, -2);
    return true;
}

static void repr_table(lua_State *L, int t, int depth, int indent) {
    if (custom_repr(L, t, indent) || object_line(L, t, depth)) return;
    lua_pushvalue(L, t);
    if (lua_rawget(L, SEEN) != LUA_TNIL) {
        lua_pop(L, 1);
        lua_pushfstring(L, "<cycle: %s>", luaL_tolstring(L, t, NULL));
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    if (depth >= MAX_DEPTH) {
        lua_pushliteral(L, "{...}");
        return;
    }
    lua_pushvalue(L, t);
    lua_pushboolean(L, 1);
    lua_rawset(L, SEEN);
    luaL_checkstack(L, MAX_ITEMS + 10, "printing a table");
    int base = lua_gettop(L);
    lua_Integer narr = 0;
    while (lua_rawgeti(L, t, narr + 1) != LUA_TNIL) { /* the array part 1..n */
        lua_pop(L, 1);
        narr++;
    }
    lua_pop(L, 1);
    int shown = 0;
    for (lua_Integer i = 1; i <= narr && shown < MAX_ITEMS; i++, shown++) {
        lua_rawgeti(L, t, i);
        repr(L, lua_gettop(L), depth + 1, indent + 2);
        lua_remove(L, -2);
    }
    lua_Integer more = narr - shown;
    lua_newtable(L); /* the other keys, sorted */
    int keys = lua_gettop(L);
    lua_Integer nkeys = 0, unsorted = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 && lua_tointeger(L, -1) <= narr)
            continue;
        if (nkeys < MAX_SORT) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, keys, ++nkeys);
        } else {
            unsorted++;
        }
    }
    sort_keys(L, keys, nkeys);
    for (lua_Integer i = 1; i <= nkeys; i++) {
        if (shown >= MAX_ITEMS) {
            more += nkeys - i + 1;
            break;
        }
        lua_rawgeti(L, keys, i);
        int k = lua_gettop(L);
        push_key(L, k, depth, indent + 2);
        lua_pushvalue(L, k);
        lua_rawget(L, t);
        repr(L, lua_gettop(L), depth + 1, indent + 2);
        lua_remove(L, -2);
        lua_concat(L, 2);
        lua_remove(L, k);
        lua_insert(L, keys); /* keep the items below the key table */
        keys++;
        shown++;
    }
    lua_settop(L, keys - 1); /* drop the key table */
    more += unsorted;
    if (more > 0) {
        lua_pushfstring(L, "... (%I more)", more);
        shown++;
    }
    join_items(L, lua_gettop(L) - base, indent);
    lua_pushvalue(L, t);
    lua_pushnil(L);
    lua_rawset(L, SEEN);
}

/* function (builtin), or function (file.lua:12) where it was defined: the address
 * Lua would print tells a student nothing. */
static void repr_function(lua_State *L, int idx) {
    lua_Debug ar;
    lua_pushvalue(L, idx);
    lua_getinfo(L, ">S", &ar);
    if (strcmp(ar.what, "C") == 0) {
        lua_pushliteral(L, "function (builtin)");
    } else {
        const char *src = strrchr(ar.short_src, '/');
        lua_pushfstring(L, "function (%s:%d)", src ? src + 1 : ar.short_src, ar.linedefined);
    }
}

/* A float inside a table in 6 significant digits (a list of weights packs several a
 * line, where 15 digits put one a line), still written as a float: 2.0, not 2. */
static void push_short_float(lua_State *L, double v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.6g", isnan(v) ? NAN : v); /* nan, not 0/0's -nan */
    if (!strpbrk(buf, ".eni")) strcat(buf, ".0");          /* not 1e+20, nan or inf */
    lua_pushstring(L, buf);
}

static void repr(lua_State *L, int idx, int depth, int indent) {
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        push_quoted(L, idx);
        break;
    case LUA_TTABLE:
        repr_table(L, idx, depth, indent);
        break;
    case LUA_TFUNCTION:
        repr_function(L, idx);
        break;
    case LUA_TUSERDATA:
        if (!custom_repr(L, idx, indent)) luaL_tolstring(L, idx, NULL);
        break;
    case LUA_TNUMBER: /* a number asked for alone shows all its digits */
        if (depth > 0 && !lua_isinteger(L, idx))
            push_short_float(L, lua_tonumber(L, idx));
        else
            luaL_tolstring(L, idx, NULL);
        break;
    default:
        luaL_tolstring(L, idx, NULL);
    }
}

/* A plain table in one line, by what it holds: "<table: counts, k, percent, total>"
 * or "<table of 2000 items>". The first BRIEF_KEYS keys, sorted, are named. */
#define BRIEF_KEYS 8
static void brief_table(lua_State *L, int t) {
    lua_Integer narr = 0;
    while (lua_rawgeti(L, t, narr + 1) != LUA_TNIL) {
        lua_pop(L, 1);
        narr++;
    }
    lua_pop(L, 1);
    lua_newtable(L);
    int keys = lua_gettop(L);
    lua_Integer nkeys = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 && lua_tointeger(L, -1) <= narr)
            continue;
        if (nkeys >= MAX_SORT) {
            nkeys++;
            continue;
        }
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++nkeys);
    }
    if (nkeys > MAX_SORT) {
        lua_pushfstring(L, "<table of %I items and %I keys>", narr, nkeys);
        lua_remove(L, keys);
        return;
    }
    sort_keys(L, keys, nkeys);
    int parts = 0; /* pushed above keys, then joined */
    lua_pushliteral(L, "<table");
    parts++;
    if (narr > 0) {
        lua_pushfstring(L, " of %I item%s%s", narr, narr == 1 ? "" : "s", nkeys > 0 ? " and" : "");
        parts++;
    }
    if (nkeys > 0) {
        lua_pushstring(L, narr > 0 ? " " : ": ");
        parts++;
    }
    for (lua_Integer i = 1; i <= nkeys && i <= BRIEF_KEYS; i++) {
        if (i > 1) {
            lua_pushliteral(L, ", ");
            parts++;
        }
        lua_rawgeti(L, keys, i);
        luaL_tolstring(L, -1, NULL);
        lua_remove(L, -2);
        parts++;
    }
    if (nkeys > BRIEF_KEYS) {
        lua_pushfstring(L, " (%I more)", nkeys - BRIEF_KEYS);
        parts++;
    }
    lua_pushliteral(L, ">");
    lua_concat(L, parts + 1);
    lua_remove(L, keys);
}

/* repr_protected(value, raw_strings, full, brief) -> string; runs under pcall. */
static int repr_protected(lua_State *L) {
    bool raw = lua_toboolean(L, 2);
    bool full = lua_toboolean(L, 3);
    bool brief = lua_toboolean(L, 4);
    lua_settop(L, 1);
    lua_newtable(L);          /* SEEN */
    lua_pushboolean(L, full); /* FULL */
    if (raw && lua_type(L, 1) == LUA_TSTRING)
        lua_pushvalue(L, 1);
    else
        repr(L, 1, 0, 0);
    const char *s = lua_tostring(L, -1);
    int type = lua_type(L, 1); /* a string is shown whole, as it is its own form */
    const char *nl =
        brief && (type == LUA_TTABLE || type == LUA_TUSERDATA) ? strchr(s, '\n') : NULL;
    if (!nl) return 1;
    if (type == LUA_TTABLE && !lua_getmetatable(L, 1)) {
        brief_table(L, 1);
    } else { /* an object's first line says what it is */
        lua_pushlstring(L, s, (size_t)(nl - s));
        lua_pushliteral(L, " ...");
        lua_concat(L, 2);
    }
    return 1;
}

/* printer(type_name, fn): fn(value) -> string prints values whose metatable's
 * __name is type_name; fn nil removes it. */
int repl_set_printer(lua_State *L) {
    luaL_checkstring(L, 1);
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, PRINTERS_KEY);
    lua_insert(L, 1);
    lua_rawset(L, 1);
    return 0;
}

static void pushrepr(lua_State *L, int idx, bool raw_strings, bool full, bool brief) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, repr_protected);
    lua_pushvalue(L, idx);
    lua_pushboolean(L, raw_strings);
    lua_pushboolean(L, full);
    lua_pushboolean(L, brief);
    if (lua_pcall(L, 4, 1, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        lua_pushfstring(L, "<%s: %s>", luaL_typename(L, idx), msg ? msg : "printing failed");
        lua_remove(L, -2);
    }
}

void repl_pushrepr(lua_State *L, int idx, bool raw_strings) {
    pushrepr(L, idx, raw_strings, false, false);
}

void repl_pushrepr_full(lua_State *L, int idx) {
    pushrepr(L, idx, false, true, false);
}

void repl_pushrepr_line(lua_State *L, int idx) {
    pushrepr(L, idx, true, false, true);
}
