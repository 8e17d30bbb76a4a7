/* op_concat.c: joining tensors along axis 1 (channels of [B, C, H, W], features of
 * [B, F]) as an autograd op of two inputs; nn_concat_op chains it for more. The
 * inputs share every size but axis 1's. */
#include "internal.h"

/* rows = B, a sample of a is ca floats, of b cb floats */
static void sizes(const nn_tensor *a, const nn_tensor *b, int64_t *rows, int64_t *ca, int64_t *cb) {
    *rows = a->shape[0];
    *ca = a->size / a->shape[0];
    *cb = b->size / b->shape[0];
}

static int concat_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    (void)saved;
    const nn_tensor *a = nn_tn(out)->inputs[0], *b = nn_tn(out)->inputs[1];
    bool ok = a->ndim == b->ndim && a->ndim >= 2;
    for (int i = 0; ok && i < a->ndim; i++) ok = i == 1 || a->shape[i] == b->shape[i];
    if (!ok) {
        char sa[64], sb[64];
        nn_shape_str(a, sa, sizeof sa);
        nn_shape_str(b, sb, sizeof sb);
        return nn_errorf(ctx, NN_ESHAPE,
                         "concat: %s and %s differ in a size other than axis 2 (the channels)", sa,
                         sb);
    }
    out->ndim = a->ndim;
    for (int i = 0; i < a->ndim; i++) out->shape[i] = a->shape[i];
    out->shape[1] = a->shape[1] + b->shape[1];
    return NN_OK;
}

static void concat_forward(nn_ctx *ctx, nn_tensor *out) {
    const nn_tensor *a = nn_tn(out)->inputs[0], *b = nn_tn(out)->inputs[1];
    int64_t rows, ca, cb;
    sizes(a, b, &rows, &ca, &cb);
    for (int64_t r = 0; r < rows; r++) {
        ctx->backend->copy(out->data + r * (ca + cb), a->data + r * ca, ca);
        ctx->backend->copy(out->data + r * (ca + cb) + ca, b->data + r * cb, cb);
    }
}

/* forward: each output row is [a row, b row], so each input's gradient is its part */
static void concat_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0], *b = nn_tn(out)->inputs[1];
    int64_t rows, ca, cb;
    sizes(a, b, &rows, &ca, &cb);
    const float *gy = out->grad->data;
    for (int64_t r = 0; r < rows; r++) {
        if (a->requires_grad) ctx->backend->acc(a->grad->data + r * ca, gy + r * (ca + cb), ca);
        if (b->requires_grad)
            ctx->backend->acc(b->grad->data + r * cb, gy + r * (ca + cb) + ca, cb);
    }
}

const nn_op_def nn_op_concat = {.name = "concat",
                                .ninputs = 2,
                                .differentiable = true,
                                .shape = concat_shape,
                                .forward = concat_forward,
                                .backward = concat_backward};

/* Left to right; the partial results are dropped (each later result holds the ones
 * it needs; arena tensors ignore the references). The caller owns the result. */
nn_tensor *nn_concat_op(nn_ctx *ctx, nn_tensor *const *xs, int n) {
    if (n < 1) {
        nn_errorf(ctx, NN_EARG, "concat: nothing to join");
        return NULL;
    }
    nn_tensor *y = nn_tensor_retain(xs[0]);
    for (int i = 1; i < n && y; i++) {
        nn_tensor *in[2] = {y, xs[i]};
        nn_tensor *next = nn_op_apply(ctx, NN_OP_CONCAT, in, 2, NULL, NULL, NULL);
        nn_tensor_free(y);
        y = next;
    }
    return y;
}
