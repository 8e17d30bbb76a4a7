/* mod_batchnorm.c: batch normalisation over [batch, features]: y = gamma (x - mean)
 * / sqrt(var + eps) + beta per feature, on the batch's statistics in training (which
 * also move the running ones by momentum) and on the running ones in evaluation.
 * gamma and beta are the parameters; the running mean and variance are kept beside
 * them (m->running) and written in the model file after the record. */
#include <stdio.h>
#include <string.h>

#include "module_internal.h"

nn_module *nn_batchnorm_new(nn_ctx *ctx, int features, float momentum, float eps) {
    if (features < 1 || !(momentum > 0 && momentum <= 1) || !(eps > 0)) {
        nn_errorf(ctx, NN_EARG,
                  "batchnorm: need features >= 1, 0 < momentum <= 1, eps > 0; got %d, %g, %g",
                  features, momentum, eps);
        return NULL;
    }
    nn_module *m =
        nn_module_alloc(ctx, NN_MOD_BATCHNORM, features, features, 2 * (int64_t)features);
    if (!m) return NULL;
    m->a = momentum;
    m->eps = eps;
    m->running = nn_malloc(ctx, 2 * (size_t)features * sizeof(float));
    if (!m->running) {
        nn_module_free(m);
        return NULL;
    }
    for (int j = 0; j < features; j++) {
        m->blk->p[j] = 1; /* gamma = 1, beta = 0: the identity at start */
        m->running[j] = 0;
        m->running[features + j] = 1;
    }
    return m;
}

/* [batch, features] -> the same (per-channel statistics of images are for later) */
static int bn_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (ndim != 0 && (ndim != 2 || in[1] != m->in)) {
        char want[32];
        snprintf(want, sizeof want, "[batch, %d]", m->in);
        return nn_module_shape_error(m, want, ndim, in, NULL);
    }
    out[0] = ndim ? in[0] : 1, out[1] = m->in;
    return 2;
}

static int bn_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    int B = m->ishape[0], F = m->out;
    int64_t n = m->nin;
    if (nn_grow(ctx, &m->y, &m->ycap, n) || nn_grow(ctx, &m->saved, &m->scap, n + F))
        return NN_ENOMEM;
    const float *p = m->blk->p + m->off;
    ctx->backend->batchnorm(x, p, p + F, m->running, m->saved, m->saved + n, m->y, B, F,
                            m->training, m->a, m->eps);
    m->yout = m->y;
    return NN_OK;
}

/* forward: y = gamma x_hat + beta with x_hat = (x - mean) rstd (saved, then rstd), so
 * dgamma += sum_rows dy x_hat, dbeta += sum_rows dy, and dx through the batch
 * statistics in training (the running ones are constants in evaluation). */
static int bn_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    (void)x;
    int B = m->ishape[0], F = m->out;
    bool params = !m->frozen;
    float *p = m->blk->p + m->off, *g = m->blk->g + m->off;
    m->ctx->backend->batchnorm_back(dy, p, m->saved, m->saved + m->nin, params ? g : NULL,
                                    params ? g + F : NULL, dx, B, F, m->training);
    return NN_OK;
}

/* A copy of n floats as a leaf (arena in a step): results that do not record it
 * still read it, so it must live as long as they do. */
static nn_tensor *constant(nn_ctx *ctx, const float *v, int n) {
    nn_tensor *t = nn_tensor_alloc(ctx, 1, &n, ctx->in_step, true);
    if (t) memcpy(t->data, v, (size_t)n * sizeof(float));
    return t;
}

/* Batch norm from ops. Outside a step every op result is a heap tensor we own one
 * reference to: the intermediates are dropped at the end (the result keeps what
 * backward needs). */
static nn_tensor *bn_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    nn_tensor *gamma = nn_module_param_tensor(m, 0), *beta = nn_module_param_tensor(m, 1);
    if (!gamma || !beta) return NULL;
    int F = m->out;
    nn_tensor *tmp[8] = {NULL}, *xc, *rstd;
    if (m->training) { /* batch statistics; the running ones move as in bn_forward */
        nn_tensor *mean = tmp[0] = nn_mean(ctx, x, 0, true);
        xc = tmp[1] = nn_sub(ctx, x, mean);
        tmp[2] = nn_pow(ctx, xc, 2);
        nn_tensor *var = tmp[3] = nn_mean(ctx, tmp[2], 0, true);
        tmp[4] = nn_add_scalar(ctx, var, m->eps);
        rstd = tmp[5] = nn_pow(ctx, tmp[4], -0.5f);
        if (rstd) {
            int B = x->shape[0];
            for (int j = 0; j < F; j++) {
                float mu = mean->data[j], v = var->data[j], unb = B > 1 ? v * B / (B - 1) : v;
                m->running[j] = (1 - m->a) * m->running[j] + m->a * mu;
                m->running[F + j] = (1 - m->a) * m->running[F + j] + m->a * unb;
            }
        }
    } else { /* running statistics are constants here */
        nn_tensor *rm = tmp[0] = constant(ctx, m->running, F);
        nn_tensor *rv = tmp[1] = constant(ctx, m->running + F, F);
        xc = tmp[2] = nn_sub(ctx, x, rm);
        tmp[3] = nn_add_scalar(ctx, rv, m->eps);
        rstd = tmp[4] = nn_pow(ctx, tmp[3], -0.5f);
    }
    nn_tensor *xh = tmp[6] = nn_mul(ctx, xc, rstd);
    nn_tensor *xg = tmp[7] = nn_mul(ctx, xh, gamma);
    nn_tensor *y = nn_add(ctx, xg, beta);
    if (!ctx->in_step)
        for (int i = 0; i < 8; i++) nn_tensor_free(tmp[i]);
    return y;
}

static bool bn_param(const nn_module *m, int i, nn_param_desc *p) {
    if (i == 0) *p = (nn_param_desc){"gamma", 0, 1, 1, m->out};
    if (i == 1) *p = (nn_param_desc){"beta", m->out, 1, 1, m->out};
    return i == 0 || i == 1;
}

/* record extra: f32 running[2*features] (mean, then variance) */
static void bn_save(const nn_module *m, nn_mfile_out *w) {
    nn_mfile_write(w, m->running, 2 * (size_t)m->out * sizeof(float));
}

static nn_module *bn_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                          nn_mfile_in *r) {
    (void)kids;
    /* gamma and beta follow the tree; the running statistics, read here, are bounded
     * by the read itself */
    if (rec->in < 1 || !nn_mfile_claim(r, 2 * (int64_t)rec->in, "batchnorm")) return NULL;
    nn_module *m = nn_batchnorm_new(ctx, rec->in, rec->a, rec->eps);
    if (m && !nn_mfile_read(r, m->running, 2 * (size_t)m->out * sizeof(float))) {
        nn_module_free(m);
        return NULL;
    }
    return m;
}

const nn_module_def nn_mod_batchnorm = {.kind = "batchnorm",
                                        .shape = bn_shape,
                                        .forward = bn_forward,
                                        .backward = bn_backward,
                                        .graph = bn_graph,
                                        .param = bn_param,
                                        .save = bn_save,
                                        .load = bn_load};
