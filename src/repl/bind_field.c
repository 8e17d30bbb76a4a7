/* bind_field.c: "nn.field", the decision view's surface computed off the training
 * thread. A field worker owns one thread and an engine context of its own; submit
 * copies the model's weights (on the caller's thread, so the copy is one weight
 * version, never torn by a step) and the grid's inputs, and the thread runs the copy
 * forward over the grid and turns its outputs into class probabilities in one pass.
 * The training thread meanwhile goes on; result() hands the finished surface back.
 *
 * Why this is safe: the engine keeps no global state a forward touches; a module's
 * buffers, its errors and its allocation counts belong to its context, and the copy
 * lives in the worker's context, which only one thread uses at a time (the worker
 * while a job is queued or running, the caller otherwise: every hand-over is under
 * the mutex). The forward never draws random numbers (evaluation mode), and wide
 * layers call OpenBLAS, whose pthreads build (Debian's) serialises concurrent callers
 * with its own locks. The training numbers cannot change: the worker reads only its
 * copies. SDL and Lua stay on the caller's thread.
 *
 * A submit that names the view's plot also has the thread render the surface's heat
 * map and contours (viz_field_layer, src/viz/plot_field.c) as the plot last drew them,
 * so that the caller's thread only copies the pixels when it sets that surface on the
 * plot (w:layer_to). The layer is safe for the same reasons: capture (reading the
 * panel) and adopt (writing it) run on the caller's thread; render, on the worker,
 * touches only the job's layer and the job's result, which the caller leaves alone
 * while a job is queued or running (the hand-overs are under the mutex as above); the
 * finished layer moves to w->ready under the mutex in result(). */
#include <lauxlib.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "bind_viz.h"
#include "nn_train.h"

#define WORKER_MT  "nnlab.field_worker"
#define CHUNK_ROWS 2048 /* rows a forward: small buffers, and a cancel is seen soon */

typedef enum { W_IDLE, W_QUEUED, W_BUSY, W_DONE } worker_state;

/* What a job computes from the model's outputs y [n, out]. */
typedef enum {
    HEAD_RAW,     /* y itself (regression) */
    HEAD_PAIR,    /* out = 1, already a probability p: [1 - p, p] */
    HEAD_SIGMOID, /* out = 1, a logit: p = sigmoid(y), then [1 - p, p] */
    HEAD_ROWS,    /* out > 1, already probabilities */
    HEAD_SOFTMAX, /* out > 1, logits: softmax along each row */
} head_kind;

typedef struct field_job {
    nn_module *model; /* the copy (evaluation mode), in the worker's context */
    nn_module *head;  /* sigmoid or softmax after it, or NULL */
    head_kind kind;
    float *x; /* [n, nx] inputs */
    int64_t n, xcap;
    int nx, out, k; /* model outputs; floats a row of the result */
    float *res;     /* [n, k] */
    int64_t rescap;
    int rc;
    char err[256];
    lua_Integer tag;
    /* the plot's layer: rendered after the forward when want_layer (side x side grid
     * over box, gk floats a node) */
    viz_field_layer *layer;
    bool want_layer;
    int side, gk;
    double box[4];
} field_job;

typedef struct field_worker {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool started, quit;
    atomic_bool cancel;
    worker_state state;
    nn_ctx *ctx; /* the worker's own: the copies, their errors and allocations */
    field_job job;
    viz_field_layer *ready; /* the last result's layer (caller's thread), when ready_ok */
    bool ready_ok;
    lua_Integer ready_tag;
    bool closed;
} field_worker;

/* ---- the computation (worker thread, or the caller's when the worker is idle) ------ */

static void head_rows(const field_job *j, const float *y, float *out, int rows) {
    if (j->kind == HEAD_PAIR || j->kind == HEAD_SIGMOID) {
        for (int r = 0; r < rows; r++) out[2 * r] = 1.0f - y[r], out[2 * r + 1] = y[r];
        return;
    }
    memcpy(out, y, (size_t)rows * j->k * sizeof *out);
}

/* Runs the job over all its rows, CHUNK_ROWS at a time; stops early (NN_OK, result
 * incomplete) when cancel is set. Returns NN_OK or the engine's error code, with the
 * message in j->err. */
static int job_run(field_job *j, nn_ctx *ctx, atomic_bool *cancel) {
    for (int64_t r0 = 0; r0 < j->n; r0 += CHUNK_ROWS) {
        if (cancel && atomic_load(cancel)) return NN_OK;
        int rows = (int)(j->n - r0 < CHUNK_ROWS ? j->n - r0 : CHUNK_ROWS);
        int shape[2] = {rows, j->nx}, yshape[2] = {rows, j->out};
        const float *y;
        int rc = nn_module_forward(j->model, j->x + r0 * j->nx, 2, shape, &y);
        if (rc == NN_OK && j->head) rc = nn_module_forward(j->head, y, 2, yshape, &y);
        if (rc != NN_OK) {
            snprintf(j->err, sizeof j->err, "%s", nn_error(ctx));
            return rc;
        }
        head_rows(j, y, j->res + r0 * j->k, rows);
    }
    /* a layer that cannot be rendered (out of memory) is just not there: the plot
     * draws the surface itself */
    if (j->want_layer && !(cancel && atomic_load(cancel)))
        j->want_layer = viz_field_layer_render(j->layer, j->res, j->side, j->side, j->gk, j->box[0],
                                               j->box[1], j->box[2], j->box[3]) == VIZ_OK;
    return NN_OK;
}

static void *worker_main(void *arg) {
    field_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->quit && w->state != W_QUEUED) pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit) break;
        w->state = W_BUSY;
        pthread_mutex_unlock(&w->mu);
        int rc = job_run(&w->job, w->ctx, &w->cancel);
        pthread_mutex_lock(&w->mu);
        w->job.rc = rc;
        w->state = atomic_load(&w->cancel) ? W_IDLE : W_DONE;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* The thread, started on the first asynchronous job with every signal blocked, so
 * that Ctrl-C always reaches the REPL's thread. */
static bool worker_start(field_worker *w) {
    if (w->started) return true;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    w->started = pthread_create(&w->th, NULL, worker_main, w) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return w->started;
}

/* Waits until no job is queued or running. Caller holds w->mu. */
static void wait_idle(field_worker *w) {
    while (w->state == W_QUEUED || w->state == W_BUSY) pthread_cond_wait(&w->cv, &w->mu);
}

static void job_release(field_job *j) {
    nn_module_free(j->model);
    nn_module_free(j->head);
    j->model = j->head = NULL;
}

/* Stops the thread (a running job is cancelled between chunks) and frees everything;
 * the worker then refuses jobs. Safe to call twice. */
static void worker_close(field_worker *w) {
    if (w->closed) return;
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    atomic_store(&w->cancel, true);
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    if (w->started) pthread_join(w->th, NULL);
    job_release(&w->job);
    free(w->job.x);
    free(w->job.res);
    viz_field_layer_free(w->job.layer);
    viz_field_layer_free(w->ready);
    nn_ctx_free(w->ctx);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    w->closed = true;
}

/* ---- setting up a job (caller's thread, worker idle) -------------------------------- */

/* The activation a model ends in (its last top-level child, or itself), or -1. */
static int last_act(const nn_module *m) {
    nn_module *kids[256];
    int n = nn_module_children(m, kids, 256);
    const nn_module *last = n > 0 ? kids[n < 256 ? n - 1 : 255] : m;
    if (n > 256) return -1; /* more children than read: look no further */
    return nn_module_kind_of(last) == NN_MOD_ACTIVATION ? (int)nn_module_act(last) : -1;
}

static bool grow(float **p, int64_t *cap, int64_t n) {
    if (n <= *cap) return true;
    float *q = realloc(*p, (size_t)n * sizeof *q);
    if (!q) return false;
    *p = q, *cap = n;
    return true;
}

/* Prepares w->job from model m, grid g [n, nx] and classes (0: regression); NULL, or
 * a message naming what failed. */
static const char *job_setup(field_worker *w, nn_module *m, const nn_tensor *g, int classes) {
    field_job *j = &w->job;
    job_release(j);
    if (g->ndim != 2 || g->device != NN_CPU) return "the grid must be [n, features] on the CPU";
    int64_t n = g->shape[0];
    int nx = g->shape[1];
    int shape[2] = {(int)n, nx}, oshape[NN_MAX_DIMS];
    int nd = nn_module_out_shape(m, 2, shape, oshape);
    if (nd < 0) return "the grid does not fit the model's inputs";
    if (nd != 2) return "the model's output is not [n, k]";
    int out = oshape[1];
    int act = last_act(m);
    head_kind kind = HEAD_RAW;
    if (classes > 0 && out == 1) kind = act == NN_ACT_SIGMOID ? HEAD_PAIR : HEAD_SIGMOID;
    if (classes > 0 && out > 1) kind = act == NN_ACT_SOFTMAX ? HEAD_ROWS : HEAD_SOFTMAX;
    int k = kind == HEAD_PAIR || kind == HEAD_SIGMOID ? 2 : out;
    if (!grow(&j->x, &j->xcap, n * nx) || !grow(&j->res, &j->rescap, n * k)) return "out of memory";
    j->model = nn_model_copy(w->ctx, m);
    if (!j->model) return nn_error(w->ctx);
    nn_module_train(j->model, false);
    if (kind == HEAD_SIGMOID || kind == HEAD_SOFTMAX) {
        nn_act_kind a = kind == HEAD_SIGMOID ? NN_ACT_SIGMOID : NN_ACT_SOFTMAX;
        j->head = nn_activation_new(w->ctx, a, nn_act_default_arg(a));
        if (!j->head) return nn_error(w->ctx);
    }
    memcpy(j->x, g->data, (size_t)(n * nx) * sizeof(float));
    j->n = n, j->nx = nx, j->out = out, j->k = k, j->kind = kind;
    j->rc = NN_OK;
    j->err[0] = '\0';
    return NULL;
}

/* Asks the job for plot's layer when plot is given, has drawn a field before, and the
 * result is what the view sets on it (classes: k floats a node; regression: one).
 * Caller holds w->mu, the worker idle. */
static void layer_setup(field_worker *w, const viz_panel *plot, int side, const double box[4],
                        int classes) {
    field_job *j = &w->job;
    j->want_layer = false;
    if (!plot || (int64_t)side * side != j->n || (classes == 0 && j->k != 1)) return;
    if (!j->layer && !(j->layer = viz_field_layer_new())) return;
    j->want_layer = viz_field_layer_capture(j->layer, plot);
    j->side = side, j->gk = j->k;
    memcpy(j->box, box, sizeof j->box);
}

/* ---- Lua ----------------------------------------------------------------------------- */

static field_worker *checkworker(lua_State *L) {
    field_worker *w = luaL_checkudata(L, 1, WORKER_MT);
    if (w->closed) luaL_error(L, "field worker was closed");
    return w;
}

/* worker() -> a field worker (its thread starts with its first submit). */
static int f_worker(lua_State *L) {
    field_worker *w = lua_newuserdatauv(L, sizeof *w, 0);
    memset(w, 0, sizeof *w);
    w->closed = true; /* until fully made: __gc of a half-made one does nothing */
    luaL_setmetatable(L, WORKER_MT);
    w->ctx = nn_ctx_new();
    if (!w->ctx) return luaL_error(L, "field worker: out of memory");
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    atomic_init(&w->cancel, false);
    w->state = W_IDLE;
    w->closed = false;
    return 1;
}

/* Takes the result out as a tensor; caller holds w->mu and the state is W_DONE. */
static int push_result(lua_State *L, field_worker *w) {
    field_job *j = &w->job;
    w->state = W_IDLE;
    w->ready_ok = false;
    if (j->rc != NN_OK) {
        pthread_mutex_unlock(&w->mu);
        luaL_pushfail(L);
        lua_pushstring(L, j->err);
        return 2;
    }
    int shape[2] = {(int)j->n, j->k};
    nn_tensor *t = nn_from_array(bind_ctx(L), 2, shape, j->res);
    lua_Integer tag = j->tag;
    w->ready_ok = j->want_layer; /* the job's layer becomes the ready one */
    if (j->want_layer) {
        viz_field_layer *l = w->ready;
        w->ready = j->layer, j->layer = l;
        w->ready_tag = tag;
        j->want_layer = false;
    }
    pthread_mutex_unlock(&w->mu);
    bind_pushtensor(L, t);
    lua_pushinteger(L, tag);
    return 2;
}

/* w:submit(model, grid, classes, tag [, wait [, plot, side, xmin, xmax, ymin, ymax]])
 * -> true, or false when a job is still running (try again at the next frame), or nil
 * and the reason when the model cannot be copied (a module written in Lua: the caller
 * computes in Lua). A finished result not yet taken is dropped. With wait, the job runs
 * now on the caller's thread and w:result() has it at once. With plot (a field that has
 * drawn a surface before) and the grid's side and box, the job also renders the
 * surface's heat map and contours as plot would draw them, for w:layer_to. */
static int w_submit(lua_State *L) {
    field_worker *w = checkworker(L);
    nn_module *m = bind_checkmodule(L, 2);
    nn_tensor *g = bind_checktensor(L, 3);
    int classes = (int)bind_checkint(L, 4, "classes", 0, 1 << 20);
    lua_Integer tag = luaL_checkinteger(L, 5);
    bool now = lua_toboolean(L, 6);
    viz_panel *plot = lua_isnoneornil(L, 7) ? NULL : bind_checkplot(L, 7);
    int side = plot ? (int)bind_checkint(L, 8, "side", 2, 1 << 15) : 0;
    double box[4] = {0, 0, 0, 0};
    for (int i = 0; plot && i < 4; i++) box[i] = luaL_checknumber(L, 9 + i);
    pthread_mutex_lock(&w->mu);
    if (now) wait_idle(w);
    if (w->state == W_QUEUED || w->state == W_BUSY) {
        pthread_mutex_unlock(&w->mu);
        lua_pushboolean(L, 0);
        return 1;
    }
    const char *why = job_setup(w, m, g, classes);
    if (why) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", why);
        w->state = W_IDLE;
        pthread_mutex_unlock(&w->mu);
        luaL_pushfail(L);
        lua_pushstring(L, msg);
        return 2;
    }
    w->job.tag = tag;
    layer_setup(w, plot, side, box, classes);
    if (now) {
        w->job.rc = job_run(&w->job, w->ctx, NULL);
        w->state = W_DONE;
    } else if (worker_start(w)) {
        atomic_store(&w->cancel, false);
        w->state = W_QUEUED;
        pthread_cond_broadcast(&w->cv);
    } else { /* no thread to be had: the job runs here */
        w->job.rc = job_run(&w->job, w->ctx, NULL);
        w->state = W_DONE;
    }
    pthread_mutex_unlock(&w->mu);
    lua_pushboolean(L, 1);
    return 1;
}

/* w:result([wait]) -> surface [n, k], tag of its submit; nil while the job runs or
 * when none was submitted; nil and the message when the forward failed. */
static int w_result(lua_State *L) {
    field_worker *w = checkworker(L);
    bool wait = lua_toboolean(L, 2);
    pthread_mutex_lock(&w->mu);
    if (wait) wait_idle(w);
    if (w->state != W_DONE) {
        pthread_mutex_unlock(&w->mu);
        lua_pushnil(L);
        return 1;
    }
    return push_result(L, w);
}

/* w:layer_to(plot, tag) -> whether the layer of the result of submit tag (taken by
 * w:result()) went to plot: call it right after setting that surface on plot, which
 * then draws it by copying the layer (see viz_field_layer_adopt). */
static int w_layer_to(lua_State *L) {
    field_worker *w = checkworker(L);
    viz_panel *p = bind_checkplot(L, 2);
    lua_Integer tag = luaL_checkinteger(L, 3);
    bool ok = w->ready_ok && w->ready_tag == tag && viz_field_layer_adopt(p, w->ready);
    w->ready_ok = false;
    lua_pushboolean(L, ok);
    return 1;
}

/* w:busy() -> whether a job is queued or running */
static int w_busy(lua_State *L) {
    field_worker *w = checkworker(L);
    pthread_mutex_lock(&w->mu);
    bool busy = w->state == W_QUEUED || w->state == W_BUSY;
    pthread_mutex_unlock(&w->mu);
    lua_pushboolean(L, busy);
    return 1;
}

/* w:close() / __gc / __close: the thread stops (a running job is cancelled) */
static int w_close(lua_State *L) {
    field_worker *w = luaL_checkudata(L, 1, WORKER_MT);
    worker_close(w);
    return 0;
}

static int w_tostring(lua_State *L) {
    field_worker *w = luaL_checkudata(L, 1, WORKER_MT);
    lua_pushfstring(L, "field worker (%s)",
                    w->closed    ? "closed"
                    : w->started ? (w->state == W_BUSY || w->state == W_QUEUED ? "busy" : "idle")
                                 : "no thread yet");
    return 1;
}

static const luaL_Reg fns[] = {
    {"worker", f_worker},
    {NULL, NULL},
};

static const luaL_Reg methods[] = {
    {"submit", w_submit}, {"result", w_result},     {"busy", w_busy},
    {"close", w_close},   {"layer_to", w_layer_to}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
    {"__gc", w_close}, {"__close", w_close}, {"__tostring", w_tostring},
    {"__index", NULL}, {NULL, NULL},
};

int bind_open_field(lua_State *L) {
    luaL_newmetatable(L, WORKER_MT);
    luaL_setfuncs(L, metamethods, 0);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_newlib(L, fns);
    return 1;
}
