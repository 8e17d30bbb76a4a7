/* mod_flatten.c: flatten [batch, d1, ..., dk] -> [batch, d1*...*dk], as Keras'
 * Flatten: the rows of the input read as they lie in memory, so the output is the
 * input itself (no copy) and the gradient passes through unchanged. It sits between
 * image-shaped data or layers and a linear layer. */
#include "module_internal.h"

nn_module *nn_flatten_new(nn_ctx *ctx) {
    return nn_module_alloc(ctx, NN_MOD_FLATTEN, 0, 0, 0);
}

static int flatten_shape(const nn_module *m, int ndim, const int *in, int *out) {
    (void)m;
    if (ndim == 0) return 0; /* the width depends on the input */
    out[0] = in[0];
    out[1] = (int)nn_dims_prod(ndim, in, 1);
    return 2;
}

static int flatten_forward(nn_module *m, const float *x) {
    m->yout = x; /* the same floats, read as [batch, prod] */
    return NN_OK;
}

/* forward: y = x (another shape), so dx = dy */
static int flatten_backward(nn_module *m, const float *x, const float *dy, float *dx) {
    (void)x;
    if (dx) m->ctx->backend->copy(dx, dy, m->nin);
    return NN_OK;
}

static nn_tensor *flatten_graph(nn_ctx *ctx, nn_module *m, nn_tensor *x) {
    (void)m;
    int shape[2] = {x->shape[0], -1};
    return nn_reshape(ctx, x, 2, shape);
}

static nn_module *flatten_load(nn_ctx *ctx, const nn_module_rec *rec, nn_module *const *kids,
                               nn_mfile_in *r) {
    (void)rec, (void)kids, (void)r;
    return nn_flatten_new(ctx);
}

const nn_module_def nn_mod_flatten = {.kind = "flatten",
                                      .shape = flatten_shape,
                                      .forward = flatten_forward,
                                      .backward = flatten_backward,
                                      .graph = flatten_graph,
                                      .load = flatten_load};
