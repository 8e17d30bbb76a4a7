/* op_activation.c: the activations of lesson 03 as autograd ops over any tensor
 * (softmax along the last axis): NN_OP_ACTIVATION (kind in iargs[0], argument a in
 * fargs[0]) and PReLU with a learned slope tensor as second input. The math is
 * activation.c's, shared with the activation module. */
#include "train_internal.h"

static void rows_cols(const nn_tensor *a, int64_t *rows, int *cols) {
    *cols = a->shape[a->ndim - 1];
    *rows = a->size / *cols;
}

static int act_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = out->inputs[0];
    if ((unsigned)out->iargs[0] >= NN_ACT_COUNT)
        return nn_errorf(ctx, NN_EARG, "activation: unknown kind %d", out->iargs[0]);
    if (out->op == NN_OP_PRELU && out->inputs[1]->size != 1) {
        char s[32];
        return nn_errorf(ctx, NN_ESHAPE, "prelu: the slope must be one number, got %s",
                         nn_shape_str(out->inputs[1], s, sizeof s));
    }
    out->ndim = a->ndim;
    for (int k = 0; k < NN_MAX_DIMS; k++) out->shape[k] = a->shape[k];
    *saved = 0;
    return NN_OK;
}

static float slope(const nn_tensor *out) {
    return out->op == NN_OP_PRELU ? out->inputs[1]->data[0] : out->fargs[0];
}

static void act_forward(nn_ctx *ctx, nn_tensor *out) {
    (void)ctx;
    int64_t rows;
    int cols;
    rows_cols(out, &rows, &cols);
    nn_act_forward((nn_act_kind)out->iargs[0], slope(out), out->inputs[0]->data, out->data, rows,
                   cols);
}

/* forward: y = f(x; a), so dx += f'(x) dy (and for PReLU da += sum_{x<=0} x dy). The
 * input's grad is written through a scratch sum when only the slope needs one. */
static void act_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *x = out->inputs[0], *a = out->op == NN_OP_PRELU ? out->inputs[1] : NULL;
    int64_t rows;
    int cols;
    rows_cols(out, &rows, &cols);
    float *da = a && a->requires_grad ? a->grad->data : NULL;
    if (x->requires_grad) {
        nn_act_backward((nn_act_kind)out->iargs[0], slope(out), x->data, out->data, out->grad->data,
                        x->grad->data, rows, cols, da);
        return;
    }
    if (!da) return;
    double s = 0; /* the slope alone: sum over x <= 0 of x dy */
    for (int64_t i = 0; i < out->size; i++)
        if (x->data[i] <= 0) s += (double)x->data[i] * out->grad->data[i];
    (void)ctx;
    *da += (float)s;
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
    float fargs[2] = {a, 0};
    int iargs[3] = {(int)kind, 0, 0};
    if (kind == NN_ACT_PRELU) fargs[0] = a; /* a fixed slope; nn_prelu learns it */
    return nn_op_apply(ctx, NN_OP_ACTIVATION, &x, 1, fargs, iargs, NULL);
}

nn_tensor *nn_prelu(nn_ctx *ctx, nn_tensor *x, nn_tensor *alpha) {
    nn_tensor *in[2] = {x, alpha};
    int iargs[3] = {NN_ACT_PRELU, 0, 0};
    return nn_op_apply(ctx, NN_OP_PRELU, in, 2, NULL, iargs, NULL);
}
