/* op_reduce.c: sum, mean, max and argmax over one axis or over all elements.
 * iargs[0] is the axis (resolved, or NN_ALL), iargs[1] keepdim. The input is viewed
 * as [outer, n, inner] with n the reduced axis; the result is [outer, inner]. */
#include "internal.h"

static nn_rdims rdims(const nn_tensor *a, int axis) {
    nn_rdims d = {1, 1, 1};
    if (axis == NN_ALL) {
        d.n = a->size;
        return d;
    }
    for (int k = 0; k < a->ndim; k++) {
        if (k < axis)
            d.outer *= a->shape[k];
        else if (k == axis)
            d.n = a->shape[k];
        else
            d.inner *= a->shape[k];
    }
    return d;
}

static int reduce_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    int axis = nn_tn(out)->iargs[0];
    bool keep = nn_tn(out)->iargs[1] != 0;
    if (axis != NN_ALL) {
        int rc = nn_norm_axis(ctx, nn_ops[nn_tn(out)->op]->name, a, axis, &axis);
        if (rc != NN_OK) return rc;
        nn_tn(out)->iargs[0] = axis;
    }
    int n = 0;
    for (int k = 0; k < a->ndim; k++) {
        bool reduced = axis == NN_ALL || k == axis;
        if (!reduced)
            out->shape[n++] = a->shape[k];
        else if (keep)
            out->shape[n++] = 1;
    }
    if (n == 0) out->shape[n++] = 1; /* a full reduction is a [1] tensor */
    out->ndim = n;
    /* max keeps the argmax of every output element for backward */
    int64_t size = 1;
    for (int k = 0; k < n; k++) size *= out->shape[k];
    *saved = nn_tn(out)->op == NN_OP_MAX ? (size_t)size : 0;
    return NN_OK;
}

static int reduce_kind(int op) {
    return op == NN_OP_SUM ? NN_R_SUM : op == NN_OP_MEAN ? NN_R_MEAN : NN_R_MAX;
}

static void reduce_forward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    nn_rdims d = rdims(a, nn_tn(out)->iargs[0]);
    if (nn_tn(out)->op == NN_OP_ARGMAX)
        ctx->backend->reduce(NN_R_MAX, d, a->data, NULL, out->data);
    else
        ctx->backend->reduce(reduce_kind(nn_tn(out)->op), d, a->data, out->data, nn_tn(out)->saved);
}

/* sum: out[o,i] = sum_j a[o,j,i], so da[o,j,i] += dout[o,i]; mean divides by n; max
 * routes dout[o,i] to the first j where a[o,j,i] was largest. */
static void reduce_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->reduce_back(reduce_kind(nn_tn(out)->op), rdims(a, nn_tn(out)->iargs[0]),
                              out->grad->data, nn_tn(out)->saved, a->grad->data);
}

#define REDUCE_DEF(sym, nm, diff)                                                                  \
    const nn_op_def sym = {.name = nm,                                                             \
                           .ninputs = 1,                                                           \
                           .differentiable = diff,                                                 \
                           .shape = reduce_shape,                                                  \
                           .forward = reduce_forward,                                              \
                           .backward = diff ? reduce_backward : NULL}
REDUCE_DEF(nn_op_sum, "sum", true);
REDUCE_DEF(nn_op_mean, "mean", true);
REDUCE_DEF(nn_op_max, "max", true);
REDUCE_DEF(nn_op_argmax, "argmax", false);

static nn_tensor *reduce(nn_ctx *ctx, int op, nn_tensor *a, int axis, bool keepdim) {
    int iargs[3] = {axis, keepdim, 0};
    return nn_op_apply(ctx, op, &a, 1, NULL, iargs, NULL);
}

nn_tensor *nn_sum(nn_ctx *ctx, nn_tensor *a, int axis, bool keepdim) {
    return reduce(ctx, NN_OP_SUM, a, axis, keepdim);
}
nn_tensor *nn_mean(nn_ctx *ctx, nn_tensor *a, int axis, bool keepdim) {
    return reduce(ctx, NN_OP_MEAN, a, axis, keepdim);
}
nn_tensor *nn_max(nn_ctx *ctx, nn_tensor *a, int axis, bool keepdim) {
    return reduce(ctx, NN_OP_MAX, a, axis, keepdim);
}
nn_tensor *nn_argmax(nn_ctx *ctx, nn_tensor *a, int axis, bool keepdim) {
    return reduce(ctx, NN_OP_ARGMAX, a, axis, keepdim);
}
