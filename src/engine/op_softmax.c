/* op_softmax.c: softmax and log-softmax along one axis (iargs[0]), stable (the
 * maximum is subtracted first). Backward reads the forward's output. */
#include "internal.h"

static nn_rdims sm_dims(const nn_tensor *a, int axis) {
    nn_rdims d = {1, a->shape[axis], 1};
    for (int k = 0; k < a->ndim; k++) {
        if (k < axis)
            d.outer *= a->shape[k];
        else if (k > axis)
            d.inner *= a->shape[k];
    }
    return d;
}

static int softmax_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    int axis;
    int rc = nn_norm_axis(ctx, nn_ops[nn_tn(out)->op]->name, a, nn_tn(out)->iargs[0], &axis);
    if (rc != NN_OK) return rc;
    nn_tn(out)->iargs[0] = axis;
    out->ndim = a->ndim;
    for (int k = 0; k < NN_MAX_DIMS; k++) out->shape[k] = a->shape[k];
    *saved = 0;
    return NN_OK;
}

static void softmax_forward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->softmax(nn_tn(out)->op == NN_OP_LOG_SOFTMAX, sm_dims(a, nn_tn(out)->iargs[0]),
                          a->data, out->data);
}

/* forward: y_j = e^x_j / sum_k e^x_k, so dx_j = y_j (dy_j - sum_k dy_k y_k);
 * log-softmax: y_j = x_j - log sum_k e^x_k, so dx_j = dy_j - e^y_j sum_k dy_k. */
static void softmax_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->softmax_back(nn_tn(out)->op == NN_OP_LOG_SOFTMAX,
                               sm_dims(a, nn_tn(out)->iargs[0]), out->data, out->grad->data,
                               a->grad->data);
}

const nn_op_def nn_op_softmax = {.name = "softmax",
                                 .ninputs = 1,
                                 .differentiable = true,
                                 .shape = softmax_shape,
                                 .forward = softmax_forward,
                                 .backward = softmax_backward};
const nn_op_def nn_op_log_softmax = {.name = "log_softmax",
                                     .ninputs = 1,
                                     .differentiable = true,
                                     .shape = softmax_shape,
                                     .forward = softmax_forward,
                                     .backward = softmax_backward};

nn_tensor *nn_softmax(nn_ctx *ctx, nn_tensor *a, int axis) {
    int iargs[3] = {axis, 0, 0};
    return nn_op_apply(ctx, NN_OP_SOFTMAX, &a, 1, NULL, iargs, NULL);
}

nn_tensor *nn_log_softmax(nn_ctx *ctx, nn_tensor *a, int axis) {
    int iargs[3] = {axis, 0, 0};
    return nn_op_apply(ctx, NN_OP_LOG_SOFTMAX, &a, 1, NULL, iargs, NULL);
}
