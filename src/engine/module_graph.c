/* module_graph.c: a module's forward built from autograd ops on tensors, for the
 * prompt (m(x) with w.grad afterwards, modules composed in Lua) and as the
 * reference the direct kernels of module.c are tested against. Parameters enter as
 * tensors over the shared block whose .grad is a tensor over the gradient block, so
 * backward through the graph accumulates where the kernels do. */
#include <string.h>

#include "train_internal.h"

/* The i-th parameter tensor of a leaf, made once and kept until the block moves. */
nn_tensor *nn_module_param_tensor(nn_module *m, int i) {
    if (i < 0 || i > 1) return NULL;
    if (m->pt[i]) return m->pt[i];
    float *data, *grad;
    int rows, cols;
    if (nn_module_param(m, i, NULL, &data, &grad, &rows, &cols) != NN_OK) return NULL;
    int shape[2] = {rows, cols};
    int nd = m->kind == NN_MOD_LINEAR && i == 0 ? 2 : 1; /* W [in,out]; the rest vectors */
    const int *sh = nd == 1 ? &shape[1] : shape;
    nn_tensor *t = nn_wrap(m->ctx, nd, sh, data), *g = t ? nn_wrap(m->ctx, nd, sh, grad) : NULL;
    if (!g) {
        nn_tensor_free(t);
        return NULL;
    }
    t->base = nn_tensor_retain(m->blk->pt); /* views: the block's memory outlives m */
    g->base = nn_tensor_retain(m->blk->gt);
    t->grad = g;
    t->requires_grad = !m->frozen;
    return m->pt[i] = t;
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
    if (m->training) { /* batch statistics; the running ones move as in module.c */
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

nn_tensor *nn_module_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    if (!x) return NULL;
    int width = x->shape[x->ndim - 1];
    if (x->ndim != 2 && m->kind != NN_MOD_ACTIVATION && m->kind != NN_MOD_DROPOUT) {
        char s[32];
        nn_errorf(ctx, NN_ESHAPE, "%s: takes [batch, features], got %s", nn_module_name(m),
                  nn_shape_str(x, s, sizeof s));
        return NULL;
    }
    if (m->in && width != m->in) {
        nn_errorf(ctx, NN_ESHAPE, "%s: takes %d features, got %d", nn_module_name(m), m->in, width);
        return NULL;
    }
    switch (m->kind) {
    case NN_MOD_LINEAR: {
        nn_tensor *w = nn_module_param_tensor(m, 0), *b = nn_module_param_tensor(m, 1);
        nn_tensor *xw = w && b ? nn_matmul(ctx, x, w, false, false) : NULL;
        nn_tensor *y = xw ? nn_add(ctx, xw, b) : NULL;
        if (!ctx->in_step) nn_tensor_free(xw); /* y holds it when it needs it */
        return y;
    }
    case NN_MOD_ACTIVATION:
        if (m->act == NN_ACT_PRELU) return nn_prelu(ctx, x, nn_module_param_tensor(m, 0));
        return nn_activation(ctx, x, m->act, m->a);
    case NN_MOD_DROPOUT:
        return nn_dropout(ctx, x, m->a, m->training);
    case NN_MOD_BATCHNORM:
        return bn_graph(ctx, m, x);
    case NN_MOD_SEQUENTIAL: {
        nn_tensor *h = x;
        for (int i = 0; i < m->nkids && h; i++) {
            nn_tensor *next = nn_module_graph(ctx, m->kids[i], h);
            if (h != x && !ctx->in_step) nn_tensor_free(h); /* next holds what it needs */
            h = next;
        }
        return h;
    }
    case NN_MOD_RESIDUAL: {
        nn_tensor *f = nn_module_graph(ctx, m->kids[0], x), *y = f ? nn_add(ctx, x, f) : NULL;
        if (!ctx->in_step) nn_tensor_free(f);
        return y;
    }
    case NN_MOD_CALLBACK: /* its forward is the caller's: it calls it on tensors itself */
    case NN_MOD_COUNT:
        break;
    }
    nn_errorf(ctx, NN_EARG, "module of unknown kind %d", (int)m->kind);
    return NULL;
}
