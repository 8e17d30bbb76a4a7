/* mod_activation.c: the activation layer y = f(x; a) of lesson 03 on any shape
 * (softmax along the last axis, the rest elementwise), and PReLU, whose slopes are
 * its parameters: one shared (any shape) or one per feature ([batch, features]).
 * The kernels are activation.c's, through the backend's act and prelu entries. */
#include <stdio.h>

#include "module_internal.h"

nn_module *nn_activation_new(nn_ctx *ctx, nn_act_kind kind, float a) {
    if ((unsigned)kind >= NN_ACT_COUNT) {
        nn_errorf(ctx, NN_EARG, "activation: unknown kind %d", (int)kind);
        return NULL;
    }
    if (kind == NN_ACT_PRELU) return nn_prelu_new(ctx, 0, a);
    nn_module *m = nn_module_alloc(ctx, NN_MOD_ACTIVATION, 0, 0, 0);
    if (!m) return NULL;
    m->act = kind;
    m->a = a;
    return m;
}

nn_module *nn_prelu_new(nn_ctx *ctx, int features, float init) {
    if (features < 0) {
        nn_errorf(ctx, NN_EARG, "prelu: features must be >= 1 (or 0 for one shared slope), got %d",
                  features);
        return NULL;
    }
    /* the slopes are the parameters; the width is checked only when they are per feature */
    nn_module *m =
        nn_module_alloc(ctx, NN_MOD_ACTIVATION, features, features, features ? features : 1);
    if (!m) return NULL;
    m->act = NN_ACT_PRELU;
    m->a = init;
    for (int64_t j = 0; j < m->np; j++) m->blk->p[j] = init;
    return m;
}

/* Any shape to the same; PReLU with one slope per feature takes [batch, features]. */
static int act_shape(const nn_module *m, int ndim, const int *in, int *out) {
    if (m->in && ndim != 0 && (ndim != 2 || in[1] != m->in)) {
        char want[32];
        snprintf(want, sizeof want, "[batch, %d]", m->in);
        return nn_module_shape_error(m, want, ndim, in, NULL);
    }
    if (ndim == 0) {
        if (!m->in) return 0;
        out[0] = 1, out[1] = m->in;
        return 2;
    }
    for (int i = 0; i < ndim; i++) out[i] = in[i];
    return ndim;
}

/* Softmax works along the last axis: rows are everything before it. */
static void rows_cols(const nn_module *m, int64_t *rows, int *cols) {
    *cols = m->ishape[m->in_nd - 1];
    *rows = m->nin / *cols;
}

static int act_forward(nn_module *m, const float *x) {
    nn_ctx *ctx = m->ctx;
    int64_t rows;
    int cols;
    rows_cols(m, &rows, &cols);
    if (nn_grow(ctx, &m->y, &m->ycap, m->nout)) return NN_ENOMEM;
    if (m->act == NN_ACT_PRELU)
        ctx->backend->prelu(x, m->blk->p + m->off, (int)m->np, m->y, rows, cols);
    else
        ctx->backend->act(m->act, m->a, x, m->y, rows, cols);
    m->yout = m->y;
    return NN_OK;
}

/* forward: y = f(x; a), so dx = f'(x) dy; PReLU's slopes also get
 * da_j += sum over x <= 0 of x dy, even when no dx is wanted. */
static int act_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    const nn_backend *be = m->ctx->backend;
    bool params = m->np > 0 && !m->frozen;
    if (!dx && !(params && m->act == NN_ACT_PRELU)) return NN_OK;
    int64_t rows;
    int cols;
    rows_cols(m, &rows, &cols);
    if (dx) be->fill(dx, m->nin, 0.0f); /* the kernels add */
    if (m->act == NN_ACT_PRELU) {
        float *p = m->blk->p + m->off, *g = m->blk->g + m->off;
        be->prelu_back(x, p, (int)m->np, dy, dx, params ? g : NULL, rows, cols);
    } else {
        be->act_back(m->act, m->a, x, m->yout, dy, dx, rows, cols);
    }
    return NN_OK;
}

static nn_tensor *act_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    if (m->act == NN_ACT_PRELU) return nn_prelu(ctx, x, nn_module_param_tensor(m, 0));
    return nn_activation(ctx, x, m->act, m->a);
}

static bool act_param(const nn_module *m, int i, nn_param_desc *p) {
    if (m->act != NN_ACT_PRELU || i != 0) return false;
    *p = (nn_param_desc){"alpha", 0, 1, 1, (int)m->np};
    return true;
}

static const char *act_name(const nn_module *m) {
    return nn_act_name(m->act);
}

/* PReLU's number is its (first) learned slope. */
static float act_arg(const nn_module *m) {
    return m->act == NN_ACT_PRELU ? m->blk->p[m->off] : m->a;
}

static nn_module *act_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                           nn_mfile_in *r) {
    (void)kids;
    if (rec->act == NN_ACT_PRELU) { /* in 0: one shared slope */
        if (rec->in < 0 || !nn_mfile_claim(r, rec->in > 0 ? rec->in : 1, "prelu")) return NULL;
        return nn_prelu_new(ctx, rec->in, rec->a);
    }
    /* files written before the bipolar sigmoid had a slope hold a = 0 for it */
    float a = rec->act == NN_ACT_BIPOLAR && rec->a == 0 ? 1 : rec->a;
    return nn_activation_new(ctx, (nn_act_kind)rec->act, a);
}

const nn_module_def nn_mod_activation = {.kind = "activation",
                                         .keeps_shape = true,
                                         .shape = act_shape,
                                         .forward = act_forward,
                                         .backward = act_backward,
                                         .graph = act_graph,
                                         .param = act_param,
                                         .name = act_name,
                                         .arg = act_arg,
                                         .load = act_load};
