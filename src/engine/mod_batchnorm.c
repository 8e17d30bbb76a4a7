/* mod_batchnorm.c: batch normalisation over [batch, features]: y = gamma (x - mean)
 * / sqrt(var + eps) + beta per feature, on the batch's statistics in training (which
 * also move the running ones by momentum) and on the running ones in evaluation.
 * Over images [batch, C, H, W] it is per channel (BatchNorm2d): each channel's
 * statistics are taken over batch, H and W, by running the same kernels on the
 * maps transposed to [batch*H*W, C].
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

/* [batch, features] or [batch, C, H, W] -> the same */
static int bn_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (ndim == 0) return 0; /* features or maps: the input tells */
    if ((ndim != 2 && ndim != 4) || in[1] != m->in) {
        char want[64]; /* the form nearest the input's: features, or maps */
        if (ndim == 4)
            snprintf(want, sizeof want, "[batch, %d, H, W]", m->in);
        else
            snprintf(want, sizeof want, "[batch, %d]", m->in);
        return nn_module_shape_error(m, want, ndim, in, NULL);
    }
    for (int i = 0; i < ndim; i++) out[i] = in[i];
    return ndim;
}

/* Rows of the kernels' [rows, F] view: batch, or batch*H*W for maps. */
static int bn_rows(const nn_module *m) {
    return (int)(m->nin / m->out);
}

/* The maps of each sample, [C, HW] -> [HW, C] (back: the other way) via the backend. */
static void to_rows(const nn_module *m, const float *maps, float *rows, bool back) {
    int B = m->ishape[0], C = m->out, hw = (int)(m->nin / B / C);
    for (int b = 0; b < B; b++) {
        int64_t at = (int64_t)b * C * hw;
        if (back)
            m->ctx->backend->transpose(rows + at, hw, C, (float *)maps + at);
        else
            m->ctx->backend->transpose(maps + at, C, hw, rows + at);
    }
}

/* saved: x_hat [rows, F], rstd [F]; for maps also a scratch of n (x, then dy, as
 * rows); y: the output, for maps then a scratch of n (y, then dx, as rows) */
static int bn_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    int rows = bn_rows(m), F = m->out;
    int64_t n = m->nin;
    bool maps = m->in_nd == 4;
    if (nn_grow(ctx, &m->y, &m->ycap, maps ? 2 * n : n) ||
        nn_grow(ctx, &m->saved, &m->scap, n + F + (maps ? n : 0)))
        return NN_ENOMEM;
    const float *p = m->blk->p + m->off;
    float *xr = maps ? m->saved + n + F : (float *)x, *yr = maps ? m->y + n : m->y;
    if (maps) to_rows(m, x, xr, false);
    ctx->backend->batchnorm(xr, p, p + F, m->running, m->saved, m->saved + n, yr, rows, F,
                            m->training, m->a, m->eps);
    if (maps) to_rows(m, m->y, yr, true);
    m->yout = m->y;
    return NN_OK;
}

/* forward: y = gamma x_hat + beta with x_hat = (x - mean) rstd (saved, then rstd), so
 * dgamma += sum_rows dy x_hat, dbeta += sum_rows dy, and dx through the batch
 * statistics in training (the running ones are constants in evaluation). */
static int bn_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    (void)x;
    int rows = bn_rows(m), F = m->out;
    int64_t n = m->nin;
    bool params = !m->frozen, maps = m->in_nd == 4;
    float *p = m->blk->p + m->off, *g = m->blk->g + m->off;
    float *dyr = maps ? m->saved + n + F : (float *)dy, *dxr = maps && dx ? m->y + n : dx;
    if (maps) to_rows(m, dy, dyr, false);
    m->ctx->backend->batchnorm_back(dyr, p, m->saved, m->saved + n, params ? g : NULL,
                                    params ? g + F : NULL, dxr, rows, F, m->training);
    if (maps && dx) to_rows(m, dx, dxr, true);
    return NN_OK;
}

/* A copy of n floats as a leaf (arena in a step): results that do not record it
 * still read it, so it must live as long as they do. */
static nn_tensor *constant(nn_ctx *ctx, const float *v, int n) {
    nn_tensor *t = nn_tensor_alloc(ctx, 1, &n, ctx->in_step, true);
    if (t) memcpy(t->data, v, (size_t)n * sizeof(float));
    return t;
}

/* The mean over the statistics' axes, kept: axis 0 of [B, F]; axes 2 and 0 of [B, C,
 * HW] (a mean of equal-sized means is the mean). */
static nn_tensor *stat_mean(nn_ctx *ctx, nn_tensor *x, nn_tensor **tmp) {
    if (x->ndim == 2) return nn_mean(ctx, x, 0, true);
    *tmp = nn_mean(ctx, x, 2, true);
    return *tmp ? nn_mean(ctx, *tmp, 0, true) : NULL;
}

/* Batch norm from ops, over x [B, F] or, for maps, x viewed as [B, C, HW] with the
 * statistics and parameters as [1, C, 1]. Outside a step every op result is a heap
 * tensor we own one reference to: the intermediates are dropped at the end (the
 * result keeps what backward needs). */
static nn_tensor *bn_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x4) {
    nn_tensor *gamma = nn_module_param_tensor(m, 0), *beta = nn_module_param_tensor(m, 1);
    if (!gamma || !beta) return NULL;
    int F = m->out;
    bool maps = x4->ndim == 4;
    nn_tensor *tmp[16] = {NULL}, *xc, *rstd, *x = x4, *y = NULL;
    if (maps) {
        int v[3] = {x4->shape[0], F, x4->shape[2] * x4->shape[3]}, c[3] = {1, F, 1};
        x = tmp[8] = nn_reshape(ctx, x4, 3, v);
        gamma = tmp[9] = nn_reshape(ctx, gamma, 3, c);
        beta = tmp[10] = nn_reshape(ctx, beta, 3, c);
        if (!x || !gamma || !beta) goto done;
    }
    if (m->training) { /* batch statistics; the running ones move as in bn_forward */
        nn_tensor *mean = tmp[0] = stat_mean(ctx, x, &tmp[11]);
        xc = tmp[1] = nn_sub(ctx, x, mean);
        tmp[2] = nn_pow(ctx, xc, 2);
        nn_tensor *var = tmp[3] = tmp[2] ? stat_mean(ctx, tmp[2], &tmp[12]) : NULL;
        tmp[4] = nn_add_scalar(ctx, var, m->eps);
        rstd = tmp[5] = nn_pow(ctx, tmp[4], -0.5f);
        if (rstd) {
            int64_t B = x->size / F;
            for (int j = 0; j < F; j++) {
                float mu = mean->data[j], v = var->data[j], unb = B > 1 ? v * B / (B - 1) : v;
                m->running[j] = (1 - m->a) * m->running[j] + m->a * mu;
                m->running[F + j] = (1 - m->a) * m->running[F + j] + m->a * unb;
            }
        }
    } else { /* running statistics are constants here */
        nn_tensor *rm = tmp[0] = constant(ctx, m->running, F);
        nn_tensor *rv = tmp[1] = constant(ctx, m->running + F, F);
        if (maps && rm && rv) {
            int c[3] = {1, F, 1};
            rm = tmp[11] = nn_reshape(ctx, rm, 3, c);
            rv = tmp[12] = nn_reshape(ctx, rv, 3, c);
        }
        xc = tmp[2] = nn_sub(ctx, x, rm);
        tmp[3] = nn_add_scalar(ctx, rv, m->eps);
        rstd = tmp[4] = nn_pow(ctx, tmp[3], -0.5f);
    }
    nn_tensor *xh = tmp[6] = nn_mul(ctx, xc, rstd);
    nn_tensor *xg = tmp[7] = nn_mul(ctx, xh, gamma);
    y = nn_add(ctx, xg, beta);
    if (maps) {
        tmp[13] = y;
        y = y ? nn_reshape(ctx, y, 4, x4->shape) : NULL;
    }
done:
    if (!ctx->in_step)
        for (int i = 0; i < 16; i++) nn_tensor_free(tmp[i]);
    return maps && !tmp[13] ? NULL : y;
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
