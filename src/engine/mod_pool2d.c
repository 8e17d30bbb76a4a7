/* mod_pool2d.c: pooling per channel of [batch, C, H, W]: max pooling and average
 * pooling over a window (kernel, stride, padding, dilation) -> [batch, C, OH, OW],
 * and global average pooling -> [batch, C] (the window is the whole map). Max pooling
 * keeps the position of each window's largest value for the backward pass; average
 * pooling counts the padding as zeros (PyTorch's default). Its record in the model
 * file adds i32 {kind} and the window (i32 kh kw sh sw dh dw pad[4] same). */
#include "module_internal.h"

typedef struct pool_state {
    nn_pool2d_kind kind;
    nn_window win;
    float *idx; /* max: the argmax of each output, grown and kept */
    int64_t idxcap;
} pool_state;

static pool_state *st(const nn_module *m) {
    return m->kstate;
}

nn_module *nn_pool2d_new(nn_ctx *ctx, nn_pool2d_kind kind, const nn_window *win) {
    static const char *names[] = {"maxpool2d", "avgpool2d", "global_avgpool"};
    if ((int)kind < 0 || kind > NN_POOL2D_GLOBAL_AVG) {
        nn_errorf(ctx, NN_EARG, "pool2d: unknown kind %d", (int)kind);
        return NULL;
    }
    nn_window w = {1, 1, 1, 1, 1, 1, {0, 0, 0, 0}, false};
    if (kind != NN_POOL2D_GLOBAL_AVG) {
        w = *win;
        if (!nn_window_ok(ctx, names[kind], &w)) return NULL;
        /* a window of padding only would have no value to take */
        int span_h = w.dh * (w.kh - 1) + 1, span_w = w.dw * (w.kw - 1) + 1;
        if (w.pad[0] < 0 || w.pad[1] < 0 || w.pad[2] < 0 || w.pad[3] < 0 || 2 * w.pad[0] > span_h ||
            2 * w.pad[1] > span_h || 2 * w.pad[2] > span_w || 2 * w.pad[3] > span_w) {
            nn_errorf(ctx, NN_EARG,
                      "%s: padding must be 0 to half the %dx%d window, got %d, %d, %d, %d",
                      names[kind], span_h, span_w, w.pad[0], w.pad[1], w.pad[2], w.pad[3]);
            return NULL;
        }
    }
    pool_state *s = nn_calloc(ctx, 1, sizeof *s);
    if (!s) return NULL;
    s->kind = kind, s->win = w;
    nn_module *m = nn_module_alloc(ctx, NN_MOD_POOL2D, 0, 0, 0);
    if (!m) {
        nn_mfree(s);
        return NULL;
    }
    m->kstate = s;
    return m;
}

/* The geometry for x of shape (ndim, in); the global pool's window is the map. */
static int pool_geom(const nn_module *m, int ndim, const int *in, nn_conv_geom *g) {
    const pool_state *s = st(m);
    nn_window w = s->win;
    if (s->kind == NN_POOL2D_GLOBAL_AVG && ndim == 4) w.kh = w.sh = in[2], w.kw = w.sw = in[3];
    return nn_window_geom(m, &w, 0, ndim, in, g);
}

static int pool_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (ndim == 0) return 0;
    nn_conv_geom g;
    int rc = pool_geom(m, ndim, in, &g);
    if (rc != NN_OK) return rc;
    out[0] = g.B, out[1] = g.C;
    if (st(m)->kind == NN_POOL2D_GLOBAL_AVG) return 2;
    out[2] = g.OH, out[3] = g.OW;
    return 4;
}

static int backend_kind(const pool_state *s) {
    return s->kind == NN_POOL2D_MAX ? NN_POOL_MAX : NN_POOL_AVG;
}

static int pool_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    pool_state *s = st(m);
    nn_conv_geom g;
    pool_geom(m, m->in_nd, m->ishape, &g);
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout) ||
        (s->kind == NN_POOL2D_MAX && nn_grow(ctx, &s->idx, &s->idxcap, m->nout)))
        return NN_ENOMEM;
    ctx->backend->pool2d(backend_kind(s), &g, x, m->y, s->idx);
    m->yout = m->y;
    return NN_OK;
}

/* max: dy to each window's first largest value; average: dy / (kh kw) to every
 * position of the window */
static int pool_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    (void)x;
    if (!dx) return NN_OK;
    pool_state *s = st(m);
    nn_conv_geom g;
    pool_geom(m, m->in_nd, m->ishape, &g);
    m->ctx->backend->pool2d_back(backend_kind(s), &g, dy, s->idx, dx, true);
    return NN_OK;
}

static nn_tensor *pool_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    nn_conv_geom g;
    if (pool_geom(m, x->ndim, x->shape, &g) != NN_OK) return NULL;
    nn_tensor *y = nn_pool2d_op(ctx, x, backend_kind(st(m)), &g);
    if (!y || st(m)->kind != NN_POOL2D_GLOBAL_AVG) return y;
    int shape[2] = {g.B, g.C};
    nn_tensor *flat = nn_reshape(ctx, y, 2, shape);
    if (!ctx->in_step) nn_tensor_free(y);
    return flat;
}

static const char *pool_name(const nn_module *m) {
    static const char *names[] = {"maxpool2d", "avgpool2d", "global_avgpool"};
    return names[st(m)->kind];
}

static void pool_free(nn_module *m) {
    pool_state *s = st(m);
    if (!s) return;
    nn_mfree(s->idx);
    nn_mfree(s);
    m->kstate = NULL;
}

static void pool_save(const nn_module *m, nn_mfile_out *w) {
    const pool_state *s = st(m);
    const nn_window *v = &s->win;
    int32_t r[12] = {s->kind, v->kh,     v->kw,     v->sh,     v->sw,     v->dh,
                     v->dw,   v->pad[0], v->pad[1], v->pad[2], v->pad[3], v->same};
    nn_mfile_write(w, r, sizeof r);
}

static nn_module *pool_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                            nn_mfile_in *r) {
    (void)rec, (void)kids;
    int32_t v[12];
    if (!nn_mfile_read(r, v, sizeof v)) return NULL;
    nn_window win = {v[1], v[2], v[3], v[4], v[5], v[6], {v[7], v[8], v[9], v[10]}, v[11] != 0};
    return nn_pool2d_new(ctx, (nn_pool2d_kind)v[0], &win);
}

const nn_module_def nn_mod_pool2d = {.kind = "pool2d",
                                     .shape = pool_shape,
                                     .forward = pool_forward,
                                     .backward = pool_backward,
                                     .graph = pool_graph,
                                     .name = pool_name,
                                     .save = pool_save,
                                     .load = pool_load,
                                     .free = pool_free};

bool nn_pool2d_window(const nn_module *m, nn_window *win, nn_pool2d_kind *kind) {
    if (!m || m->kind != NN_MOD_POOL2D || !m->kstate) return false;
    *win = st(m)->win, *kind = st(m)->kind;
    return true;
}
