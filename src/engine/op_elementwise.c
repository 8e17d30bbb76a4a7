/* op_elementwise.c: add, sub, mul, div with NumPy broadcasting, and the elementwise
 * ops with a scalar or of one input (scale, add_scalar, pow, neg, exp, log, sqrt,
 * abs, tanh, sigmoid, relu). Kernels are the backend's unary/binary entries. */
#include "internal.h"

/* ---- broadcasting -------------------------------------------------------------- */

/* Shapes aligned at the right; sizes must be equal or one of them 1 (NumPy). Fills
 * the padded 4-D view with strides 0 along the axes an input is broadcast along. */
static int broadcast(nn_ctx *ctx, const char *who, const nn_tensor *a, const nn_tensor *b,
                     nn_bcast *bc, int *ndim, int *shape) {
    int n = a->ndim > b->ndim ? a->ndim : b->ndim;
    int pa[4], pb[4], ps[4];
    for (int k = 0; k < 4; k++) {
        int ia = k - (4 - a->ndim), ib = k - (4 - b->ndim);
        pa[k] = ia >= 0 ? a->shape[ia] : 1;
        pb[k] = ib >= 0 ? b->shape[ib] : 1;
        if (pa[k] != pb[k] && pa[k] != 1 && pb[k] != 1) {
            char sa[64], sb[64];
            return nn_errorf(ctx, NN_ESHAPE,
                             "%s: %s and %s do not broadcast: sizes %d and %d differ (axis -%d)",
                             who, nn_shape_str(a, sa, sizeof sa), nn_shape_str(b, sb, sizeof sb),
                             pa[k], pb[k], 4 - k);
        }
        ps[k] = pa[k] > pb[k] ? pa[k] : pb[k];
    }
    int64_t stra = 1, strb = 1;
    for (int k = 3; k >= 0; k--) {
        bc->shape[k] = ps[k];
        bc->sa[k] = pa[k] == ps[k] ? stra : 0;
        bc->sb[k] = pb[k] == ps[k] ? strb : 0;
        stra *= pa[k];
        strb *= pb[k];
    }
    /* A size-1 axis of the result needs no stride; normalising lets the kernel see a
     * contiguous last axis in more cases. */
    for (int k = 0; k < 4; k++)
        if (ps[k] == 1) bc->sa[k] = bc->sb[k] = 0;
    bc->size = (int64_t)ps[0] * ps[1] * ps[2] * ps[3];
    bc->same = a->size == bc->size && b->size == bc->size;
    if (bc->sa[3] == 0 && ps[3] == 1) bc->sa[3] = 1; /* a single column: any stride works */
    if (bc->sb[3] == 0 && ps[3] == 1) bc->sb[3] = 1;
    if (ndim) {
        *ndim = n;
        for (int k = 0; k < n; k++) shape[k] = ps[4 - n + k];
    }
    return NN_OK;
}

static int binary_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    nn_bcast bc;
    *saved = 0;
    return broadcast(ctx, nn_ops[nn_tn(out)->op]->name, nn_tn(out)->inputs[0],
                     nn_tn(out)->inputs[1], &bc, &out->ndim, out->shape);
}

static int binary_kind(int op) {
    switch (op) {
    case NN_OP_ADD:
        return NN_B_ADD;
    case NN_OP_SUB:
        return NN_B_SUB;
    case NN_OP_MUL:
        return NN_B_MUL;
    default:
        return NN_B_DIV;
    }
}

static void binary_forward(nn_ctx *ctx, nn_tensor *out) {
    nn_bcast bc;
    broadcast(ctx, "", nn_tn(out)->inputs[0], nn_tn(out)->inputs[1], &bc, NULL, NULL);
    ctx->backend->binary(binary_kind(nn_tn(out)->op), &bc, nn_tn(out)->inputs[0]->data,
                         nn_tn(out)->inputs[1]->data, out->data);
}

/* out = a (op) b; da and db follow from the op (bin_grads in the backend), summed over
 * the axes where a or b was broadcast. */
static void binary_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0], *b = nn_tn(out)->inputs[1];
    nn_bcast bc;
    broadcast(ctx, "", a, b, &bc, NULL, NULL);
    ctx->backend->binary_back(binary_kind(nn_tn(out)->op), &bc, a->data, b->data, out->grad->data,
                              a->requires_grad ? a->grad->data : NULL,
                              b->requires_grad ? b->grad->data : NULL);
}

#define BINARY_DEF(sym, nm)                                                                        \
    const nn_op_def sym = {.name = nm,                                                             \
                           .ninputs = 2,                                                           \
                           .differentiable = true,                                                 \
                           .shape = binary_shape,                                                  \
                           .forward = binary_forward,                                              \
                           .backward = binary_backward}
BINARY_DEF(nn_op_add, "add");
BINARY_DEF(nn_op_sub, "sub");
BINARY_DEF(nn_op_mul, "mul");
BINARY_DEF(nn_op_div, "div");

static nn_tensor *binary(nn_ctx *ctx, int op, nn_tensor *a, nn_tensor *b) {
    nn_tensor *in[2] = {a, b};
    return nn_op_apply(ctx, op, in, 2, NULL, NULL, NULL);
}

nn_tensor *nn_add(nn_ctx *ctx, nn_tensor *a, nn_tensor *b) {
    return binary(ctx, NN_OP_ADD, a, b);
}
nn_tensor *nn_sub(nn_ctx *ctx, nn_tensor *a, nn_tensor *b) {
    return binary(ctx, NN_OP_SUB, a, b);
}
nn_tensor *nn_mul(nn_ctx *ctx, nn_tensor *a, nn_tensor *b) {
    return binary(ctx, NN_OP_MUL, a, b);
}
nn_tensor *nn_div(nn_ctx *ctx, nn_tensor *a, nn_tensor *b) {
    return binary(ctx, NN_OP_DIV, a, b);
}

/* ---- unary and with a scalar (fargs[0] is the scalar) ----------------------------- */

static int unary_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    (void)ctx;
    const nn_tensor *a = nn_tn(out)->inputs[0];
    out->ndim = a->ndim;
    for (int k = 0; k < NN_MAX_DIMS; k++) out->shape[k] = a->shape[k];
    *saved = 0;
    return NN_OK;
}

static int unary_kind(int op) {
    switch (op) {
    case NN_OP_SCALE:
        return NN_U_SCALE;
    case NN_OP_ADD_SCALAR:
        return NN_U_ADD_SCALAR;
    case NN_OP_POW:
        return NN_U_POW;
    case NN_OP_NEG:
        return NN_U_NEG;
    case NN_OP_EXP:
        return NN_U_EXP;
    case NN_OP_LOG:
        return NN_U_LOG;
    case NN_OP_SQRT:
        return NN_U_SQRT;
    case NN_OP_ABS:
        return NN_U_ABS;
    case NN_OP_TANH:
        return NN_U_TANH;
    case NN_OP_SIGMOID:
        return NN_U_SIGMOID;
    default:
        return NN_U_RELU;
    }
}

static void unary_forward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->unary(unary_kind(nn_tn(out)->op), a->data, out->data, a->size,
                        nn_tn(out)->fargs[0]);
}

/* out = f(a): da += f'(a) dout, with f' from x = a and y = out (see the backend). */
static void unary_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->unary_back(unary_kind(nn_tn(out)->op), a->data, out->data, out->grad->data,
                             a->grad->data, a->size, nn_tn(out)->fargs[0]);
}

#define UNARY_DEF(sym, nm)                                                                         \
    const nn_op_def sym = {.name = nm,                                                             \
                           .ninputs = 1,                                                           \
                           .differentiable = true,                                                 \
                           .shape = unary_shape,                                                   \
                           .forward = unary_forward,                                               \
                           .backward = unary_backward}
UNARY_DEF(nn_op_scale, "scale");
UNARY_DEF(nn_op_add_scalar, "add_scalar");
UNARY_DEF(nn_op_pow, "pow");
UNARY_DEF(nn_op_neg, "neg");
UNARY_DEF(nn_op_exp, "exp");
UNARY_DEF(nn_op_log, "log");
UNARY_DEF(nn_op_sqrt, "sqrt");
UNARY_DEF(nn_op_abs, "abs");
UNARY_DEF(nn_op_tanh, "tanh");
UNARY_DEF(nn_op_sigmoid, "sigmoid");
UNARY_DEF(nn_op_relu, "relu");

static nn_tensor *unary(nn_ctx *ctx, int op, nn_tensor *a, float p) {
    float f[2] = {p, 0.0f};
    return nn_op_apply(ctx, op, &a, 1, f, NULL, NULL);
}

nn_tensor *nn_scale(nn_ctx *ctx, nn_tensor *a, float s) {
    return unary(ctx, NN_OP_SCALE, a, s);
}
nn_tensor *nn_add_scalar(nn_ctx *ctx, nn_tensor *a, float s) {
    return unary(ctx, NN_OP_ADD_SCALAR, a, s);
}
nn_tensor *nn_pow(nn_ctx *ctx, nn_tensor *a, float p) {
    return unary(ctx, NN_OP_POW, a, p);
}
nn_tensor *nn_neg(nn_ctx *ctx, nn_tensor *a) {
    return unary(ctx, NN_OP_NEG, a, 0.0f);
}
nn_tensor *nn_exp(nn_ctx *ctx, nn_tensor *a) {
    return unary(ctx, NN_OP_EXP, a, 0.0f);
}
nn_tensor *nn_log(nn_ctx *ctx, nn_tensor *a) {
    return unary(ctx, NN_OP_LOG, a, 0.0f);
}
nn_tensor *nn_sqrt(nn_ctx *ctx, nn_tensor *a) {
    return unary(ctx, NN_OP_SQRT, a, 0.0f);
}
nn_tensor *nn_abs(nn_ctx *ctx, nn_tensor *a) {
    return unary(ctx, NN_OP_ABS, a, 0.0f);
}
nn_tensor *nn_tanh(nn_ctx *ctx, nn_tensor *a) {
    return unary(ctx, NN_OP_TANH, a, 0.0f);
}
nn_tensor *nn_sigmoid(nn_ctx *ctx, nn_tensor *a) {
    return unary(ctx, NN_OP_SIGMOID, a, 0.0f);
}
nn_tensor *nn_relu(nn_ctx *ctx, nn_tensor *a) {
    return unary(ctx, NN_OP_RELU, a, 0.0f);
}
