/* mod_embedding.c: the embedding layer, ids [batch, T] -> [batch, T, dim]: row id of a
 * table W [vocab, dim] (a linear layer on one-hot inputs, without building them).
 * An optional padding id maps to zeros and its row gets no gradient, so padded
 * sequences reach a masked recurrent layer as all-zero steps. Ids are floats (data
 * sets hold floats) and must be whole numbers 0 .. vocab-1. Its record in the model
 * file adds i32 {padding, vocab, dim}. */
#include <math.h>
#include <stdio.h>

#include "module_internal.h"

typedef struct emb_state {
    int vocab, dim;
    int padding; /* -1: none */
    int *ids;    /* the last forward's ids, B T of them */
    int64_t idcap;
} emb_state;

static emb_state *st(const nn_module *m) {
    return m->kstate;
}

nn_module *nn_embedding_new(nn_ctx *ctx, int vocab, int dim, int padding) {
    if (vocab < 1 || dim < 1 || (int64_t)vocab * dim > (int64_t)1 << 30 || padding < -1 ||
        padding >= vocab) {
        nn_errorf(ctx, NN_EARG,
                  "embedding: vocabulary and size must be >= 1 (at most 2^30 values) and the "
                  "padding id in 0..%d, got vocab=%d dim=%d padding=%d",
                  vocab - 1, vocab, dim, padding);
        return NULL;
    }
    emb_state *s = nn_calloc(ctx, 1, sizeof *s);
    if (!s) {
        nn_errorf(ctx, NN_ENOMEM, "embedding: out of memory");
        return NULL;
    }
    s->vocab = vocab, s->dim = dim, s->padding = padding;
    nn_module *m = nn_module_alloc(ctx, NN_MOD_EMBEDDING, 0, 0, (int64_t)vocab * dim);
    if (!m) {
        nn_mfree(s);
        return NULL;
    }
    m->kstate = s;
    nn_init u = {NN_INIT_UNIFORM, -0.05f, 0.05f};
    m->w_init = u;
    if (nn_init_fill(ctx, u, m->blk->p, vocab, dim) != NN_OK) {
        nn_module_free(m);
        return NULL;
    }
    if (padding >= 0) ctx->backend->fill(m->blk->p + (int64_t)padding * dim, dim, 0.0f);
    return m;
}

/* [batch, T] -> [batch, T, dim] */
static int emb_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (ndim == 0) return 0;
    if (ndim != 2) {
        return nn_module_shape_error(m, "[batch, T] (ids)", ndim, in,
                                     ndim == 3 && in[2] == 1 ? "drop the last axis of size 1"
                                                             : NULL);
    }
    out[0] = in[0], out[1] = in[1], out[2] = st(m)->dim;
    return 3;
}

static int emb_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    emb_state *s = st(m);
    int64_t n = m->nin;
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout)) return NN_ENOMEM;
    if (n > s->idcap) {
        int *p = nn_malloc(ctx, sizeof(int) * (size_t)n);
        if (!p) return NN_ENOMEM;
        nn_mfree(s->ids);
        s->ids = p, s->idcap = n;
    }
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        if (!(v >= 0 && v < st(m)->vocab && v == floorf(v)))
            return nn_errorf(ctx, NN_EARG,
                             "embedding: id %g at [%lld, %lld] is not a whole number in 0..%d", v,
                             (long long)(i / m->ishape[1]) + 1, (long long)(i % m->ishape[1]) + 1,
                             st(m)->vocab - 1);
        s->ids[i] = (int)v;
    }
    const float *W = m->blk->p + m->off;
    ctx->backend->gather_rows(W, s->ids, (int)n, st(m)->dim, m->y);
    m->yout = m->y;
    return NN_OK;
}

/* forward: y_i = W[id_i]; so dW[id_i] += dy_i (the padding row's stays 0). The ids have
 * no gradient: dx = 0. */
static int emb_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    (void)x;
    const nn_backend *be = m->ctx->backend;
    emb_state *s = st(m);
    if (dx) be->fill(dx, m->nin, 0.0f);
    if (m->frozen) return NN_OK;
    float *g = m->blk->g + m->off;
    be->gather_rows_back(dy, s->ids, (int)m->nin, st(m)->dim, g);
    if (s->padding >= 0) be->fill(g + (int64_t)s->padding * st(m)->dim, st(m)->dim, 0.0f);
    return NN_OK;
}

static nn_tensor *emb_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    emb_state *s = st(m);
    int n = (int)x->size;
    float *v = nn_malloc(ctx, sizeof(float) * (size_t)n);
    int *rows = nn_malloc(ctx, sizeof(int) * (size_t)n);
    nn_tensor *y = NULL, *w = nn_module_param_tensor(m, 0);
    if (v && rows && w && nn_read(x, v) == NN_OK) {
        bool ok = true;
        for (int i = 0; i < n && ok; i++) {
            ok = v[i] >= 0 && v[i] < st(m)->vocab && v[i] == floorf(v[i]);
            rows[i] = ok ? (int)v[i] : 0;
            if (!ok)
                nn_errorf(ctx, NN_EARG, "embedding: id %g is not a whole number in 0..%d", v[i],
                          st(m)->vocab - 1);
        }
        /* the padding row is zeros and stays so: its gradient is cleared in backward */
        nn_tensor *g = ok ? nn_gather_rows(ctx, w, rows, n) : NULL;
        int shape[3] = {x->shape[0], x->shape[1], st(m)->dim};
        y = g ? nn_reshape(ctx, g, 3, shape) : NULL;
        if (!ctx->in_step) nn_tensor_free(g);
    }
    (void)s;
    nn_mfree(v), nn_mfree(rows);
    return y;
}

static bool emb_param(const nn_module *m, int i, nn_param_desc *p) {
    if (i == 0) *p = (nn_param_desc){"weight", 0, 2, st(m)->vocab, st(m)->dim};
    return i == 0;
}

static double emb_penalty(const nn_module *m) {
    const float *w = m->blk->p + m->off;
    double sum = 0;
    for (int64_t i = 0; i < (int64_t)st(m)->vocab * st(m)->dim; i++)
        sum += m->l1 * fabsf(w[i]) + m->l2 * (double)w[i] * w[i];
    return sum;
}

static void emb_free(nn_module *m) {
    emb_state *s = st(m);
    if (!s) return;
    nn_mfree(s->ids);
    nn_mfree(s);
    m->kstate = NULL;
}

static void emb_save(const nn_module *m, nn_mfile_out *w) {
    int32_t r[3] = {st(m)->padding, st(m)->vocab, st(m)->dim};
    nn_mfile_write(w, r, sizeof r);
}

static nn_module *emb_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                           nn_mfile_in *r) {
    (void)kids, (void)rec;
    int32_t v[3];
    if (!nn_mfile_read(r, v, sizeof v)) return NULL;
    if (v[1] < 1 || v[2] < 1 || v[1] > 1 << 30 || v[2] > 1 << 30 ||
        !nn_mfile_claim(r, (int64_t)v[1] * v[2], "embedding"))
        return NULL;
    return nn_embedding_new(ctx, v[1], v[2], v[0]);
}

const nn_module_def nn_mod_embedding = {.kind = "embedding",
                                        .shape = emb_shape,
                                        .forward = emb_forward,
                                        .backward = emb_backward,
                                        .graph = emb_graph,
                                        .param = emb_param,
                                        .penalty = emb_penalty,
                                        .save = emb_save,
                                        .load = emb_load,
                                        .free = emb_free};
