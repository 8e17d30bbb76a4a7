/* mod_linear.c: the linear layer y = x W + b on [batch, in] -> [batch, out] (or on each
 * step of [batch, T, in]), with W [in, out] and b [out] side by side in the block (W
 * first), its optional L1/L2 penalty on W, and its graph (matmul + add). The kernels
 * are the backend's. */
#include <math.h>
#include <stdio.h>

#include "module_internal.h"

nn_module *nn_linear_new(nn_ctx *ctx, int in, int out, nn_init w_init, nn_init b_init) {
    if (in < 1 || out < 1) {
        nn_errorf(ctx, NN_EARG, "linear: sizes must be >= 1, got in=%d out=%d", in, out);
        return NULL;
    }
    nn_module *m = nn_module_alloc(ctx, NN_MOD_LINEAR, in, out, (int64_t)in * out + out);
    if (!m) return NULL;
    m->w_init = w_init;
    m->b_init = b_init;
    float *p = m->blk->p;
    if (nn_init_fill(ctx, w_init, p, in, out) != NN_OK ||
        nn_init_fill(ctx, b_init, p + (int64_t)in * out, 1, out) != NN_OK) {
        nn_module_free(m);
        return NULL;
    }
    return m;
}

/* [batch, in] -> [batch, out], and a sequence's steps [batch, T, in] -> [batch, T, out]
 * (the same weights at every step); images go through a flatten first. */
static int linear_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (ndim == 3 && in[2] == m->in) {
        out[0] = in[0], out[1] = in[1], out[2] = m->out;
        return 3;
    }
    if (ndim != 0 && (ndim != 2 || in[1] != m->in)) {
        char want[32];
        snprintf(want, sizeof want, "[batch, %d]", m->in);
        return nn_module_shape_error(
            m, want, ndim, in, ndim > 2 ? "it takes 2-D input; put nn.flatten() before it" : NULL);
    }
    out[0] = ndim ? in[0] : 1, out[1] = m->out;
    return 2;
}

static int linear_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    const float *p = m->blk->p + m->off;
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout)) return NN_ENOMEM;
    int rows = (int)(m->nin / m->in); /* batch, or batch x steps */
    ctx->backend->linear(x, p, p + (int64_t)m->in * m->out, m->y, rows, m->in, m->out);
    m->yout = m->y;
    return NN_OK;
}

/* forward: y = x W + b, so dW += x^T dy, db += sum_rows dy, dx = dy W^T; the penalty
 * l1 |W| + l2 W^2 adds l1 sign(W) + 2 l2 W to dW. */
static int linear_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    const nn_backend *be = m->ctx->backend;
    bool params = !m->frozen;
    float *p = m->blk->p + m->off, *g = m->blk->g + m->off;
    int64_t nw = (int64_t)m->in * m->out;
    be->linear_back(x, p, dy, params ? g : NULL, params ? g + nw : NULL, dx, (int)(m->nin / m->in),
                    m->in, m->out);
    if (params && (m->l1 != 0 || m->l2 != 0)) be->penalty_back(p, g, nw, m->l1, m->l2);
    return NN_OK;
}

static nn_tensor *linear_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    nn_tensor *w = nn_module_param_tensor(m, 0), *b = nn_module_param_tensor(m, 1);
    int rows[2] = {x->ndim == 3 ? x->shape[0] * x->shape[1] : x->shape[0], m->in};
    nn_tensor *x2 = x->ndim == 3 ? nn_reshape(ctx, x, 2, rows) : x; /* steps as rows */
    nn_tensor *xw = w && b && x2 ? nn_matmul(ctx, x2, w, false, false) : NULL;
    nn_tensor *y = xw ? nn_add(ctx, xw, b) : NULL;
    int steps[3] = {x->shape[0], x->ndim == 3 ? x->shape[1] : 1, m->out};
    nn_tensor *y3 = x->ndim == 3 && y ? nn_reshape(ctx, y, 3, steps) : y;
    if (!ctx->in_step) { /* the result holds what it needs */
        nn_tensor_free(xw);
        if (x2 != x) nn_tensor_free(x2);
        if (y3 != y) nn_tensor_free(y);
    }
    return y3;
}

static bool linear_param(const nn_module *m, int i, nn_param_desc *p) {
    if (i == 0) *p = (nn_param_desc){"weight", 0, 2, m->in, m->out};
    if (i == 1) *p = (nn_param_desc){"bias", (int64_t)m->in * m->out, 1, 1, m->out};
    return i == 0 || i == 1;
}

/* l1 sum|W| + l2 sum W^2 (Keras' convention; the bias goes free) */
static double linear_penalty(const nn_module *m) {
    const float *w = m->blk->p + m->off;
    double s = 0;
    for (int64_t i = 0; i < (int64_t)m->in * m->out; i++)
        s += m->l1 * fabsf(w[i]) + m->l2 * (double)w[i] * w[i];
    return s;
}

/* The weights follow the record in the parameter block: start from zeros. */
static nn_module *linear_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                              nn_mfile_in *r) {
    (void)kids;
    if (rec->in < 1 || rec->out < 1 ||
        !nn_mfile_claim(r, (int64_t)rec->in * rec->out + rec->out, "linear"))
        return NULL;
    nn_init zero = {NN_INIT_ZEROS, 0, 0};
    return nn_linear_new(ctx, rec->in, rec->out, zero, zero);
}

const nn_module_def nn_mod_linear = {.kind = "linear",
                                     .shape = linear_shape,
                                     .forward = linear_forward,
                                     .backward = linear_backward,
                                     .graph = linear_graph,
                                     .param = linear_param,
                                     .penalty = linear_penalty,
                                     .load = linear_load};
