/* op_loss.c: every loss of loss.c as one fused autograd op (inputs: predictions
 * [B,k] and targets; result [1]). Forward runs the loss kernel, which also gives
 * d(loss)/dy; that is saved, so backward is one scaled add. Targets get no
 * gradient. Cross-entropy takes logits (fused log-softmax, stable). Computes through
 * the backend's loss entries. */
#include "train_internal.h"

static void dims(const nn_tensor *t, int *rows, int *cols) {
    *cols = t->ndim >= 2 ? t->shape[t->ndim - 1] : 1;
    *rows = (int)(t->size / *cols);
}

static int loss_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *y = nn_tn(out)->inputs[0], *t = nn_tn(out)->inputs[1];
    int B, k, tb, tc;
    dims(y, &B, &k);
    dims(t, &tb, &tc);
    const char *name = nn_loss_name((nn_loss_kind)nn_tn(out)->iargs[0]);
    if (!name) return nn_errorf(ctx, NN_EARG, "loss: unknown kind %d", nn_tn(out)->iargs[0]);
    if (tb != B) {
        char s1[32], s2[32];
        return nn_errorf(ctx, NN_ESHAPE, "%s: %s predictions and %s targets have different rows",
                         name, nn_shape_str(y, s1, sizeof s1), nn_shape_str(t, s2, sizeof s2));
    }
    double l; /* validates targets (classes, widths) with the kernel's own messages */
    int rc = ctx->backend->loss(ctx, nn_tn(out)->iargs[0], y->data, B, k, t->data, tc,
                                nn_tn(out)->fargs[0], &l, NULL);
    if (rc) return rc;
    out->ndim = 1;
    out->shape[0] = 1;
    *saved = (size_t)y->size;
    return NN_OK;
}

static void loss_forward(nn_ctx *ctx, nn_tensor *out) {
    const nn_tensor *y = nn_tn(out)->inputs[0], *t = nn_tn(out)->inputs[1];
    int B, k, tb, tc;
    dims(y, &B, &k);
    dims(t, &tb, &tc);
    double l = 0;
    ctx->backend->loss(ctx, nn_tn(out)->iargs[0], y->data, B, k, t->data, tc, nn_tn(out)->fargs[0],
                       &l, nn_tn(out)->saved);
    ctx->backend->fill(out->data, 1, (float)l);
}

/* forward: L = loss(y, t) with dL/dy saved, so dy += dout * saved */
static void loss_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *y = nn_tn(out)->inputs[0];
    if (!y->requires_grad) return;
    ctx->backend->loss_back(nn_tn(out)->saved, out->grad->data, y->grad->data, y->size);
}

const nn_op_def nn_op_loss = {.name = "loss",
                              .ninputs = 2,
                              .differentiable = true,
                              .shape = loss_shape,
                              .forward = loss_forward,
                              .backward = loss_backward};

nn_tensor *nn_loss_graph(nn_ctx *ctx, nn_loss_kind kind, nn_tensor *y, nn_tensor *t, float delta) {
    nn_tensor *in[2] = {y, t};
    float fargs[2] = {delta, 0};
    int iargs[3] = {(int)kind, 0, 0};
    return nn_op_apply(ctx, NN_OP_LOSS, in, 2, fargs, iargs, NULL);
}
