/* op_dropout.c: inverted dropout as an autograd op: in training each element is kept
 * with probability 1-p and scaled by 1/(1-p) (the mask is drawn from the ctx's
 * generator and saved for backward); in evaluation the op is the identity. Computes
 * through the backend's dropout entries. */
#include "train_internal.h"

static int dropout_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    float p = nn_tn(out)->fargs[0];
    if (!(p >= 0 && p < 1))
        return nn_errorf(ctx, NN_EARG, "dropout: p must be in [0, 1), got %g", p);
    out->ndim = a->ndim;
    for (int k = 0; k < NN_MAX_DIMS; k++) out->shape[k] = a->shape[k];
    *saved = nn_tn(out)->iargs[0] ? (size_t)a->size : 0; /* the mask, in training only */
    return NN_OK;
}

static void dropout_forward(nn_ctx *ctx, nn_tensor *out) {
    const float *x = nn_tn(out)->inputs[0]->data;
    if (!nn_tn(out)->iargs[0])
        ctx->backend->copy(out->data, x, out->size);
    else
        ctx->backend->dropout(x, nn_tn(out)->saved, out->data, out->size, 1 - nn_tn(out)->fargs[0],
                              ctx->rng);
}

/* forward: y = x mask (training) or y = x, so dx += mask dy or dx += dy */
static void dropout_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *x = nn_tn(out)->inputs[0];
    if (nn_tn(out)->iargs[0])
        ctx->backend->dropout_back(out->grad->data, nn_tn(out)->saved, x->grad->data, out->size,
                                   false);
    else
        ctx->backend->acc(x->grad->data, out->grad->data, out->size);
}

const nn_op_def nn_op_dropout = {.name = "dropout",
                                 .ninputs = 1,
                                 .differentiable = true,
                                 .shape = dropout_shape,
                                 .forward = dropout_forward,
                                 .backward = dropout_backward};

nn_tensor *nn_dropout(nn_ctx *ctx, nn_tensor *x, float p, bool training) {
    float fargs[2] = {p, 0};
    int iargs[3] = {training && p > 0, 0, 0};
    return nn_op_apply(ctx, NN_OP_DROPOUT, &x, 1, fargs, iargs, NULL);
}
