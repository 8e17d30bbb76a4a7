/* mod_dropout2d.c: dropout of whole maps of [batch, C, H, W] (or [batch, C, L]).
 * Training: each channel of each sample is kept with probability 1-p and scaled by
 * 1/(1-p), or zeroed whole, so neighbouring pixels (which are alike) do not stand in
 * for each other; evaluation (or p = 0): y = x, with no copy. The mask of [batch, C]
 * is drawn by the backend's dropout kernel, then broadcast over the maps. */
#include <stdio.h>

#include "module_internal.h"

nn_module *nn_dropout2d_new(nn_ctx *ctx, float p) {
    if (!(p >= 0 && p < 1)) {
        nn_errorf(ctx, NN_EARG, "dropout2d: p must be in [0, 1), got %g", p);
        return NULL;
    }
    nn_module *m = nn_module_alloc(ctx, NN_MOD_DROPOUT2D, 0, 0, 0);
    if (m) m->a = p;
    return m;
}

static int d2_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (ndim != 0 && ndim < 3)
        return nn_module_shape_error(m, "[batch, C, H, W] (whole maps are dropped)", ndim, in,
                                     "for [batch, features] use nn.dropout");
    for (int i = 0; i < ndim; i++) out[i] = in[i];
    return ndim;
}

static bool active(const nn_module *m) {
    return m->training && m->a != 0;
}

/* y [rows = B*C, maps of hw] = x times the mask, one value a row */
static nn_bcast row_bcast(const nn_module *m) {
    int64_t rows = (int64_t)m->ishape[0] * m->ishape[1], hw = m->nin / rows;
    return (nn_bcast){.shape = {1, 1, (int)rows, (int)hw},
                      .sa = {0, 0, hw, 1},
                      .sb = {0, 0, 1, 0},
                      .size = m->nin};
}

/* saved: the mask [B*C] (0 or 1/(1-p)), then ones [B*C] that the kernel masks */
static int d2_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    const nn_backend *be = ctx->backend;
    if (!active(m)) {
        m->yout = x;
        return NN_OK;
    }
    int64_t rows = (int64_t)m->ishape[0] * m->ishape[1];
    if (nn_grow(ctx, &m->y, &m->ycap, m->nin) || nn_grow(ctx, &m->saved, &m->scap, 2 * rows))
        return NN_ENOMEM;
    float *mask = m->saved, *ones = m->saved + rows;
    be->fill(ones, rows, 1.0f);
    be->dropout(ones, mask, ones, rows, 1 - m->a, ctx->rng);
    nn_bcast bc = row_bcast(m);
    be->binary(NN_B_MUL, &bc, x, mask, m->y);
    m->yout = m->y;
    return NN_OK;
}

/* forward: y = x mask[row], so dx = dy mask[row] */
static int d2_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    (void)x;
    if (!dx) return NN_OK;
    const nn_backend *be = m->ctx->backend;
    if (!active(m)) {
        be->copy(dx, dy, m->nin);
        return NN_OK;
    }
    nn_bcast bc = row_bcast(m);
    be->binary(NN_B_MUL, &bc, dy, m->saved, dx);
    return NN_OK;
}

/* The same from ops: a mask [B, C, 1...] drawn as dropout of ones, times x. */
static nn_tensor *d2_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    if (x->ndim < 3) {
        d2_shape(m, x->ndim, x->shape, NULL);
        return NULL;
    }
    if (!m->training || m->a == 0) return nn_tensor_retain(x);
    int ms[NN_MAX_DIMS];
    for (int i = 0; i < x->ndim; i++) ms[i] = i < 2 ? x->shape[i] : 1;
    nn_tensor *ones = nn_tensor_alloc(ctx, x->ndim, ms, ctx->in_step, true); /* arena in a step */
    if (ones) ctx->backend->fill(ones->data, ones->size, 1.0f);
    nn_tensor *mask = ones ? nn_dropout(ctx, ones, m->a, true) : NULL;
    nn_tensor *y = mask ? nn_mul(ctx, x, mask) : NULL;
    if (!ctx->in_step) nn_tensor_free(ones), nn_tensor_free(mask);
    return y;
}

static nn_module *d2_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                          nn_mfile_in *r) {
    (void)kids, (void)r;
    return nn_dropout2d_new(ctx, rec->a);
}

const nn_module_def nn_mod_dropout2d = {.kind = "dropout2d",
                                        .keeps_shape = true,
                                        .shape = d2_shape,
                                        .forward = d2_forward,
                                        .backward = d2_backward,
                                        .graph = d2_graph,
                                        .load = d2_load};
