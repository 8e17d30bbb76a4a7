/* op_activation.c: the activations of lesson 03 as autograd ops over any tensor
 * (softmax along the last axis): NN_OP_ACTIVATION (kind in iargs[0], argument a in
 * fargs[0]) and PReLU with learned slopes as second input: one shared slope [1], or one
 * per feature (the last axis) [n]. Both compute through the backend's act and prelu
 * entries. */
#include "train_internal.h"

static void rows_cols(const nn_tensor *a, int64_t *rows, int *cols) {
    *cols = a->shape[a->ndim - 1];
    *rows = a->size / *cols;
}

static int act_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    if ((unsigned)nn_tn(out)->iargs[0] >= NN_ACT_COUNT)
        return nn_errorf(ctx, NN_EARG, "activation: unknown kind %d", nn_tn(out)->iargs[0]);
    if (nn_tn(out)->op == NN_OP_PRELU) {
        const nn_tensor *alpha = nn_tn(out)->inputs[1];
        int features = a->shape[a->ndim - 1];
        if (alpha->size != 1 && alpha->size != features) {
            char s1[32], s2[32];
            return nn_errorf(ctx, NN_ESHAPE,
                             "prelu: %s slopes for input %s: give one slope, or one per feature "
                             "(%d)",
                             nn_shape_str(alpha, s1, sizeof s1), nn_shape_str(a, s2, sizeof s2),
                             features);
        }
    }
    out->ndim = a->ndim;
    for (int k = 0; k < NN_MAX_DIMS; k++) out->shape[k] = a->shape[k];
    *saved = 0;
    return NN_OK;
}

static void act_forward(nn_ctx *ctx, nn_tensor *out) {
    const nn_backend *be = ctx->backend;
    int64_t rows;
    int cols;
    rows_cols(out, &rows, &cols);
    if (nn_tn(out)->op == NN_OP_PRELU) {
        const nn_tensor *alpha = nn_tn(out)->inputs[1];
        be->prelu(nn_tn(out)->inputs[0]->data, alpha->data, (int)alpha->size, out->data, rows,
                  cols);
    } else {
        be->act(nn_tn(out)->iargs[0], nn_tn(out)->fargs[0], nn_tn(out)->inputs[0]->data, out->data,
                rows, cols);
    }
}

/* forward: y = f(x; a), so dx += f'(x) dy; for PReLU y = x > 0 ? x : a_j x, so also
 * da_j += sum over x <= 0 of x dy (over column j, or over all for one slope). */
static void act_backward(nn_ctx *ctx, nn_tensor *out) {
    const nn_backend *be = ctx->backend;
    nn_tensor *x = nn_tn(out)->inputs[0];
    int64_t rows;
    int cols;
    rows_cols(out, &rows, &cols);
    float *gx = x->requires_grad ? x->grad->data : NULL;
    if (nn_tn(out)->op == NN_OP_PRELU) {
        nn_tensor *alpha = nn_tn(out)->inputs[1];
        float *ga = alpha->requires_grad ? alpha->grad->data : NULL;
        be->prelu_back(x->data, alpha->data, (int)alpha->size, out->grad->data, gx, ga, rows, cols);
    } else if (gx) {
        be->act_back(nn_tn(out)->iargs[0], nn_tn(out)->fargs[0], x->data, out->data,
                     out->grad->data, gx, rows, cols);
    }
}

const nn_op_def nn_op_activation = {.name = "activation",
                                    .ninputs = 1,
                                    .differentiable = true,
                                    .shape = act_shape,
                                    .forward = act_forward,
                                    .backward = act_backward};
const nn_op_def nn_op_prelu = {.name = "prelu",
                               .ninputs = 2,
                               .differentiable = true,
                               .shape = act_shape,
                               .forward = act_forward,
                               .backward = act_backward};

nn_tensor *nn_activation(nn_ctx *ctx, nn_tensor *x, nn_act_kind kind, float a) {
    float fargs[2] = {a, 0}; /* for NN_ACT_PRELU a fixed slope; nn_prelu learns them */
    int iargs[3] = {(int)kind, 0, 0};
    return nn_op_apply(ctx, NN_OP_ACTIVATION, &x, 1, fargs, iargs, NULL);
}

nn_tensor *nn_prelu(nn_ctx *ctx, nn_tensor *x, nn_tensor *alpha) {
    nn_tensor *in[2] = {x, alpha};
    int iargs[3] = {NN_ACT_PRELU, 0, 0};
    return nn_op_apply(ctx, NN_OP_PRELU, in, 2, NULL, iargs, NULL);
}
