/* op_conv.c: conv2d and 2-D pooling as autograd ops, over a geometry (nn_conv_geom)
 * the caller resolved from the module's settings and x's shape. Their saved buffer
 * holds the geometry, then the im2col scratch (conv) or the argmax positions (max
 * pooling); the kernels are the backend's, the same the modules call. */
#include "internal.h"

#define GEOM_FLOATS ((sizeof(nn_conv_geom) + sizeof(float) - 1) / sizeof(float))

static const nn_conv_geom *geom_of(const nn_tensor *out) {
    return (const nn_conv_geom *)nn_tn(out)->saved;
}

static float *after_geom(const nn_tensor *out) {
    return (float *)nn_tn(out)->saved + GEOM_FLOATS;
}

/* x must be [B, C, H, W] as the geometry says (the module checked it; this catches a
 * caller of the op that did not). */
static int check_x(nn_ctx *ctx, const char *who, const nn_tensor *x, const nn_conv_geom *g) {
    if (x->ndim == 4 && x->shape[0] == g->B && x->shape[1] == g->C && x->shape[2] == g->H &&
        x->shape[3] == g->W)
        return NN_OK;
    char got[64];
    nn_shape_str(x, got, sizeof got);
    return nn_errorf(ctx, NN_ESHAPE, "%s expects [%d, %d, %d, %d], got %s", who, g->B, g->C, g->H,
                     g->W, got);
}

static int conv_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_conv_geom *g = geom_of(out);
    const nn_tensor *x = nn_tn(out)->inputs[0], *w = nn_tn(out)->inputs[1];
    if (check_x(ctx, "conv2d", x, g) != NN_OK) return NN_ESHAPE;
    int patch = g->C / g->groups * g->kh * g->kw;
    if (w->ndim != 2 || w->shape[0] != g->K || w->shape[1] != patch) {
        char got[64];
        nn_shape_str(w, got, sizeof got);
        return nn_errorf(ctx, NN_ESHAPE, "conv2d: the weight must be [%d, %d], got %s", g->K, patch,
                         got);
    }
    out->ndim = 4;
    out->shape[0] = g->B, out->shape[1] = g->K, out->shape[2] = g->OH, out->shape[3] = g->OW;
    *saved = GEOM_FLOATS + (size_t)ctx->backend->conv2d_scratch(g);
    return NN_OK;
}

static void conv_forward(nn_ctx *ctx, nn_tensor *out) {
    const nn_tensor *x = nn_tn(out)->inputs[0], *w = nn_tn(out)->inputs[1];
    ctx->backend->conv2d(geom_of(out), x->data, w->data, NULL, false, out->data, after_geom(out));
}

/* The backend's conv2d_back adds dw and dx from dy (see backend.h). */
static void conv_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *x = nn_tn(out)->inputs[0], *w = nn_tn(out)->inputs[1];
    ctx->backend->conv2d_back(geom_of(out), x->data, w->data, NULL, out->grad->data,
                              w->requires_grad ? w->grad->data : NULL, NULL,
                              x->requires_grad ? x->grad->data : NULL, after_geom(out));
}

const nn_op_def nn_op_conv2d = {.name = "conv2d",
                                .ninputs = 2,
                                .differentiable = true,
                                .extra_bytes = sizeof(nn_conv_geom),
                                .shape = conv_shape,
                                .forward = conv_forward,
                                .backward = conv_backward};

nn_tensor *nn_conv2d_op(nn_ctx *ctx, nn_tensor *x, nn_tensor *w, const nn_conv_geom *g) {
    nn_tensor *in[2] = {x, w};
    return nn_op_apply(ctx, NN_OP_CONV2D, in, 2, NULL, NULL, g);
}

static int pool_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_conv_geom *g = geom_of(out);
    const nn_tensor *x = nn_tn(out)->inputs[0];
    if (check_x(ctx, nn_tn(out)->iargs[0] == NN_POOL_MAX ? "maxpool2d" : "avgpool2d", x, g) !=
        NN_OK)
        return NN_ESHAPE;
    out->ndim = 4;
    out->shape[0] = g->B, out->shape[1] = g->C, out->shape[2] = g->OH, out->shape[3] = g->OW;
    *saved = GEOM_FLOATS + (size_t)g->B * g->C * g->OH * g->OW;
    return NN_OK;
}

static void pool_forward(nn_ctx *ctx, nn_tensor *out) {
    ctx->backend->pool2d(nn_tn(out)->iargs[0], geom_of(out), nn_tn(out)->inputs[0]->data, out->data,
                         after_geom(out));
}

/* max: the gradient goes to the first largest value of each window; average: dy/(kh kw)
 * to every position of the window */
static void pool_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *x = nn_tn(out)->inputs[0];
    if (x->requires_grad)
        ctx->backend->pool2d_back(nn_tn(out)->iargs[0], geom_of(out), out->grad->data,
                                  after_geom(out), x->grad->data, false);
}

const nn_op_def nn_op_pool2d = {.name = "pool2d",
                                .ninputs = 1,
                                .differentiable = true,
                                .extra_bytes = sizeof(nn_conv_geom),
                                .shape = pool_shape,
                                .forward = pool_forward,
                                .backward = pool_backward};

nn_tensor *nn_pool2d_op(nn_ctx *ctx, nn_tensor *x, int kind, const nn_conv_geom *g) {
    int iargs[3] = {kind, 0, 0};
    return nn_op_apply(ctx, NN_OP_POOL2D, &x, 1, NULL, iargs, g);
}

/* Transposed conv2d: x [B, K, OH, OW] -> y [B, C, H, W] over the geometry of the conv2d
 * it is the adjoint of (that conv maps [B, C, H, W] to [B, K, OH, OW]), with w [K,
 * C/groups*kh*kw]: y = conv2d's dx for dy = x. The saved buffer holds the geometry, the
 * col2im scratch and a buffer of x's size for backward. */
static int convt_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_conv_geom *g = geom_of(out);
    const nn_tensor *x = nn_tn(out)->inputs[0], *w = nn_tn(out)->inputs[1];
    int patch = g->C / g->groups * g->kh * g->kw;
    if (x->ndim != 4 || x->shape[0] != g->B || x->shape[1] != g->K || x->shape[2] != g->OH ||
        x->shape[3] != g->OW) {
        char got[64];
        nn_shape_str(x, got, sizeof got);
        return nn_errorf(ctx, NN_ESHAPE, "conv_transpose2d expects [%d, %d, %d, %d], got %s", g->B,
                         g->K, g->OH, g->OW, got);
    }
    if (w->ndim != 2 || w->shape[0] != g->K || w->shape[1] != patch) {
        char got[64];
        nn_shape_str(w, got, sizeof got);
        return nn_errorf(ctx, NN_ESHAPE, "conv_transpose2d: the weight must be [%d, %d], got %s",
                         g->K, patch, got);
    }
    out->ndim = 4;
    out->shape[0] = g->B, out->shape[1] = g->C, out->shape[2] = g->H, out->shape[3] = g->W;
    *saved = GEOM_FLOATS + (size_t)ctx->backend->conv2d_scratch(g) + (size_t)x->size;
    return NN_OK;
}

static void convt_forward(nn_ctx *ctx, nn_tensor *out) {
    const nn_tensor *x = nn_tn(out)->inputs[0], *w = nn_tn(out)->inputs[1];
    ctx->backend->fill(out->data, out->size, 0.0f);
    ctx->backend->conv2d_back(geom_of(out), NULL, w->data, NULL, x->data, NULL, NULL, out->data,
                              after_geom(out));
}

/* forward y = col2im(w^T x): dx += conv2d(dy, w) (im2col of dy, then w), dw += x
 * im2col(dy)^T, which is conv2d's weight gradient with the roles of x and dy swapped */
static void convt_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *x = nn_tn(out)->inputs[0], *w = nn_tn(out)->inputs[1];
    const nn_conv_geom *g = geom_of(out);
    float *col = after_geom(out), *tmp = col + ctx->backend->conv2d_scratch(g);
    if (x->requires_grad) {
        ctx->backend->conv2d(g, out->grad->data, w->data, NULL, false, tmp, col);
        ctx->backend->acc(x->grad->data, tmp, x->size);
    }
    if (w->requires_grad)
        ctx->backend->conv2d_back(g, out->grad->data, w->data, NULL, x->data, w->grad->data, NULL,
                                  NULL, col);
}

const nn_op_def nn_op_conv_transpose2d = {.name = "conv_transpose2d",
                                          .ninputs = 2,
                                          .differentiable = true,
                                          .extra_bytes = sizeof(nn_conv_geom),
                                          .shape = convt_shape,
                                          .forward = convt_forward,
                                          .backward = convt_backward};

nn_tensor *nn_conv_transpose2d_op(nn_ctx *ctx, nn_tensor *x, nn_tensor *w, const nn_conv_geom *g) {
    nn_tensor *in[2] = {x, w};
    return nn_op_apply(ctx, NN_OP_CONV_TRANSPOSE2D, in, 2, NULL, NULL, g);
}
