/* start.c: the ways to start nnlab, as in lua.c: options, -e chunks, a script with
 * its `arg` table, standard input read as a script when it is not a terminal, and
 * the interactive prompt. Background jobs that a script spawned run to completion
 * after the script (and after each -e chunk), so `spawn` means the same everywhere;
 * with -i they go on in the background at the prompt instead. */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replint.h"

static const char usage[] =
    "usage: nnlab [options] [script [args]]\n"
    "  -e CODE      run the Lua code CODE\n"
    "  -i           enter the prompt after running script or -e\n"
    "  --safe       run a lesson file from elsewhere in a sandbox: files only in\n"
    "               its folder and a scratch folder, no programs, C modules,\n"
    "               binary chunks, debug library, environment or os.exit\n"
    "  --time S     stop the run after S seconds (Ctrl-C-proof; for --safe)\n"
    "  --memory M   stop the run when it holds more than M bytes (512M, 2G)\n"
    "  --scratch DIR  the scratch folder of --safe (default: a new one in /tmp)\n"
    "  --projector  every window opens in projector mode: large type, thick lines\n"
    "               (the same as NNLAB_PROJECTOR=1; plot.projector(on) at the prompt)\n"
    "  --lesson NAME  start (or resume) lesson NAME at the prompt, e.g. --lesson 01\n"
    "  --check [NAME...]  run every lesson (or the named ones) headless with the\n"
    "               reference solutions; exit 1 naming the lesson, step and reason\n"
    "               when a step fails\n"
    "  -v, --version  print the version\n"
    "  -h, --help   print this help\n"
    "  --           stop handling options\n"
    "  -            run standard input as a script\n"
    "With no script and no -e, nnlab opens the prompt (or, when standard input is\n"
    "not a terminal, runs it as a script).\n";

typedef struct options {
    bool interactive, safe, version, help, has_e, projector;
    double time_s;       /* --time, 0 when none */
    size_t memory;       /* --memory in bytes, 0 when none */
    const char *scratch; /* --scratch, or NULL */
    int script;          /* index of the script in argv, 0 when none */
    const char *lesson;  /* --lesson NAME, or NULL */
    int check;           /* index of --check in argv (the lesson names follow), 0 when none */
} options;

/* "512M", "2G", "100k", "1000000" -> bytes; 0 when the text is not a size. */
static size_t parse_size(const char *s) {
    char *end;
    double v = strtod(s, &end);
    double unit = 1;
    switch (*end) {
    case 'k':
    case 'K':
        unit = 1 << 10;
        end++;
        break;
    case 'm':
    case 'M':
        unit = 1 << 20;
        end++;
        break;
    case 'g':
    case 'G':
        unit = 1 << 30;
        end++;
        break;
    default:
        break;
    }
    if (*end == 'B' || *end == 'b') end++;
    if (end == s || *end || !(v > 0) || v * unit > 1e15) return 0;
    return (size_t)(v * unit);
}

/* The value of option argv[*i]; NULL (after a message) when there is none. */
static const char *option_value(int argc, char **argv, int *i, const char *what) {
    if (++*i < argc) return argv[*i];
    fprintf(stderr, "nnlab: %s needs %s\n%s", argv[*i - 1], what, usage);
    return NULL;
}

/* Returns false (after a message) on a bad option. */
static bool parse(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            o->script = i;
            return true;
        }
        if (strcmp(a, "--") == 0) {
            o->script = i + 1 < argc ? i + 1 : 0;
            return true;
        }
        if (strcmp(a, "-i") == 0)
            o->interactive = true;
        else if (strcmp(a, "--safe") == 0)
            o->safe = true;
        else if (strcmp(a, "--time") == 0) {
            const char *v = option_value(argc, argv, &i, "a number of seconds, e.g. --time 60");
            char *end;
            if (!v) return false;
            o->time_s = strtod(v, &end);
            if (end == v || *end || !(o->time_s > 0) || o->time_s > 1e7) {
                fprintf(stderr, "nnlab: --time %s: expected seconds from 0 to 1e7, e.g. 60\n", v);
                return false;
            }
        } else if (strcmp(a, "--memory") == 0) {
            const char *v = option_value(argc, argv, &i, "a size, e.g. --memory 512M");
            if (!v) return false;
            if (!(o->memory = parse_size(v))) {
                fprintf(stderr, "nnlab: --memory %s: expected a size such as 512M or 2G\n", v);
                return false;
            }
        } else if (strcmp(a, "--scratch") == 0) {
            if (!(o->scratch = option_value(argc, argv, &i, "a folder"))) return false;
        } else if (strcmp(a, "--projector") == 0)
            o->projector = true;
        else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0)
            o->version = true;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            o->help = true;
        else if (strcmp(a, "--lesson") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "nnlab: --lesson needs a lesson name, e.g. --lesson 01\n%s", usage);
                return false;
            }
            o->lesson = argv[i];
        } else if (strcmp(a, "--check") == 0) {
            o->check = i; /* the remaining arguments are lesson names */
            return true;
        } else if (strcmp(a, "-e") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "nnlab: -e needs a chunk of Lua code\n%s", usage);
                return false;
            }
            o->has_e = true;
        } else {
            fprintf(stderr, "nnlab: unknown option '%s'\n%s", a, usage);
            return false;
        }
    }
    return true;
}

/* arg = {[-n] = "nnlab", ..., [0] = script, [1] = its first argument, ...} as lua.c
 * makes it; without a script arg[0] is the program. */
static void set_arg(lua_State *L, int argc, char **argv, int script) {
    lua_createtable(L, argc - script, script + 1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");
}

/* Runs the function on top of the stack, below its nargs arguments; reports
 * errors. */
static bool run(lua_State *L, int nargs) {
    if (repl_docall(L, nargs) != LUA_OK) {
        repl_report(L);
        return false;
    }
    lua_settop(L, 0);
    return true;
}

/* Lets the jobs spawned so far finish (a script's jobs run to the end), unless the
 * prompt follows (-i), where they go on in the background. */
static bool finish_jobs(lua_State *L, bool prompt_follows) {
    if (prompt_follows) return true;
    if (!repl_call_lua(L, "_jobs_finish", 0, 1)) return false;
    bool ok = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return ok;
}

static bool run_e(lua_State *L, char **argv, int end, bool prompt_follows) {
    for (int i = 1; i < end; i++) {
        if (strcmp(argv[i], "-e") != 0) continue;
        const char *code = argv[++i];
        if (luaL_loadbuffer(L, code, strlen(code), "=(command line)") != LUA_OK) {
            repl_report(L);
            return false;
        }
        if (!run(L, 0) || !finish_jobs(L, prompt_follows)) return false;
    }
    return true;
}

static bool run_script(lua_State *L, int argc, char **argv, int script, bool prompt_follows) {
    const char *name = argv[script];
    if (strcmp(name, "-") == 0 && strcmp(argv[script - 1], "--") != 0) name = NULL;
    if (luaL_loadfile(L, name) != LUA_OK) {
        repl_report(L);
        return false;
    }
    int n = 0;
    for (int i = script + 1; i < argc; i++, n++) lua_pushstring(L, argv[i]);
    return run(L, n) && finish_jobs(L, prompt_follows);
}

/* --check: lesson._check_main{names} (lua/lesson.lua) runs the named lessons (all
 * when none) headless and returns the exit status. */
static int check_lessons(lua_State *L, int argc, char **argv, int first) {
    lua_getglobal(L, "lesson");
    if (!lua_istable(L, -1) || lua_getfield(L, -1, "_check_main") != LUA_TFUNCTION) {
        fprintf(stderr, "nnlab --check: the lesson engine (lua/lesson.lua) did not load\n");
        return 1;
    }
    lua_remove(L, -2);
    lua_createtable(L, argc - first, 0);
    for (int i = first; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - first + 1);
    }
    int top = lua_gettop(L) - 2;
    if (repl_docall(L, 1) != LUA_OK) {
        repl_report(L);
        return 1;
    }
    int status =
        lua_gettop(L) > top && lua_isinteger(L, top + 1) ? (int)lua_tointeger(L, top + 1) : 1;
    lua_settop(L, top);
    return status;
}

/* --lesson NAME: the prompt follows, so the lesson's code runs as it will there
 * (background jobs, live plots) from its first page on. */
static bool start_lesson(lua_State *L, const char *name) {
    if (luaL_loadstring(L, "repl.interactive = true; lesson.start(...)") != LUA_OK) {
        repl_report(L);
        return false;
    }
    lua_pushstring(L, name);
    return run(L, 1);
}

/* What a student sees first at a bare prompt: where help is and how to leave, in lines
 * that fit an 80-column terminal. */
static void banner(void) {
    printf("nnlab %s, a deep-learning lab at the prompt (%s)\n"
           "help() lists topics, ?name explains one, :lessons lists lessons, :quit leaves\n",
           NNLAB_VERSION, LUA_RELEASE);
}

int repl_main(int argc, char **argv) {
    options o;
    if (!parse(argc, argv, &o)) return 1;
    if (o.help) {
        fputs(usage, stdout);
        return 0;
    }
    if (o.version) {
        printf("nnlab %s (%s)\n", NNLAB_VERSION, LUA_RELEASE);
        if (!o.interactive && !o.has_e && !o.script) return 0;
    }
    /* lua/plot.lua reads it when it loads, and scripts' child nnlabs inherit it */
    if (o.projector) setenv("NNLAB_PROJECTOR", "1", 1);
    repl_signals_install();
    repl_options ro = {.safe = o.safe,
                       .script = o.script ? argv[o.script] : NULL,
                       .scratch = o.scratch,
                       .time_s = o.time_s,
                       .memory = o.memory};
    lua_State *L = repl_newstate_with(&ro);
    if (!L) return 1;
    set_arg(L, argc, argv, o.script);
    if (o.check) {
        int status = check_lessons(L, argc, argv, o.check + 1);
        repl_closestate(L);
        return status;
    }
    bool ok = run_e(L, argv, o.script ? o.script : argc, o.interactive);
    if (ok && o.script)
        ok = run_script(L, argc, argv, o.script, o.interactive);
    else if (ok && !o.has_e && !o.interactive && !isatty(STDIN_FILENO)) {
        ok = luaL_loadfile(L, NULL) == LUA_OK ? run(L, 0) && finish_jobs(L, false)
                                              : (repl_report(L), false);
    } else if (ok && !o.has_e && !o.script) {
        o.interactive = true;
    }
    if (ok && o.lesson) {
        ok = start_lesson(L, o.lesson);
        o.interactive = ok;
    }
    if (ok && o.interactive) {
        if (!o.lesson && !o.script && !o.has_e) banner();
        repl_loop(L);
    }
    repl_closestate(L);
    return ok ? 0 : 1;
}
