/* mod_dropout.c: inverted dropout on any shape. Training: y = x m/(1-p) with m ~
 * Bernoulli(1-p) drawn from the context's generator; evaluation (or p = 0): y = x,
 * with no copy (the output is the input). */
#include "module_internal.h"

nn_module *nn_dropout_new(nn_ctx *ctx, float p) {
    if (!(p >= 0 && p < 1)) {
        nn_errorf(ctx, NN_EARG, "dropout: p must be in [0, 1), got %g", p);
        return NULL;
    }
    nn_module *m = nn_module_alloc(ctx, NN_MOD_DROPOUT, 0, 0, 0);
    if (m) m->a = p;
    return m;
}

static int same_shape(const nn_module *m, int ndim, const int *in, int *out) {
    (void)m;
    for (int i = 0; i < ndim; i++) out[i] = in[i];
    return ndim;
}

static bool active(const nn_module *m) {
    return m->training && m->a != 0;
}

static int dropout_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    if (!active(m)) {
        m->yout = x; /* identity in evaluation: no copy */
        return NN_OK;
    }
    int64_t n = m->nin;
    if (nn_grow(ctx, &m->y, &m->ycap, n) || nn_grow(ctx, &m->saved, &m->scap, n)) return NN_ENOMEM;
    ctx->backend->dropout(x, m->saved, m->y, n, 1 - m->a, ctx->rng);
    m->yout = m->y;
    return NN_OK;
}

/* forward: y = x mask/(1-p) (the saved mask holds the scale), so dx = dy mask/(1-p) */
static int dropout_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    (void)x;
    if (!dx) return NN_OK;
    const nn_backend *be = m->ctx->backend;
    if (!active(m))
        be->copy(dx, dy, m->nin);
    else
        be->dropout_back(dy, m->saved, dx, m->nin, true);
    return NN_OK;
}

static nn_tensor *dropout_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    return nn_dropout(ctx, x, m->a, m->training);
}

static nn_module *dropout_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                               nn_mfile_in *r) {
    (void)kids, (void)r;
    return nn_dropout_new(ctx, rec->a);
}

const nn_module_def nn_mod_dropout = {.kind = "dropout",
                                      .keeps_shape = true,
                                      .shape = same_shape,
                                      .forward = dropout_forward,
                                      .backward = dropout_backward,
                                      .graph = dropout_graph,
                                      .load = dropout_load};
