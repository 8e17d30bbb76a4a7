/* op_matmul.c: C = op(A) op(B) for 2-D tensors, op = transpose when iargs[0]
 * (for A) or iargs[1] (for B) is set; one backend gemm forward, two backward. */
#include "internal.h"

/* A is [m,k] ([k,m] when transposed), B is [k,n] ([n,k]); C is [m,n]. */
static int matmul_error(nn_ctx *ctx, const nn_tensor *a, const nn_tensor *b, bool ta, bool tb,
                        int ka, int kb) {
    char sa[64], sb[64];
    nn_shape_str(a, sa, sizeof sa);
    nn_shape_str(b, sb, sizeof sb);
    if (a->ndim != 2 || b->ndim != 2)
        return nn_errorf(ctx, NN_ESHAPE, "matmul: %s x %s: both must be 2-D", sa, sb);
    const char *how = ta && tb ? " (both transposed)"
                      : ta     ? " (first transposed)"
                      : tb     ? " (second transposed)"
                               : "";
    return nn_errorf(ctx, NN_ESHAPE, "matmul: %s x %s%s: inner sizes %d and %d differ", sa, sb, how,
                     ka, kb);
}

/* A is [m,k] ([k,m] when transposed), B is [k,n] ([n,k]); C is [m,n]. Messages are
 * formatted only on failure: this runs on every step. */
static int matmul_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0], *b = nn_tn(out)->inputs[1];
    bool ta = nn_tn(out)->iargs[0], tb = nn_tn(out)->iargs[1];
    if (a->ndim != 2 || b->ndim != 2) return matmul_error(ctx, a, b, ta, tb, 0, 0);
    int ka = ta ? a->shape[0] : a->shape[1];
    int kb = tb ? b->shape[1] : b->shape[0];
    if (ka != kb) return matmul_error(ctx, a, b, ta, tb, ka, kb);
    out->ndim = 2;
    out->shape[0] = ta ? a->shape[1] : a->shape[0];
    out->shape[1] = tb ? b->shape[0] : b->shape[1];
    *saved = 0;
    return NN_OK;
}

static void matmul_forward(nn_ctx *ctx, nn_tensor *out) {
    const nn_tensor *a = nn_tn(out)->inputs[0], *b = nn_tn(out)->inputs[1];
    bool ta = nn_tn(out)->iargs[0], tb = nn_tn(out)->iargs[1];
    int m = out->shape[0], n = out->shape[1], k = ta ? a->shape[0] : a->shape[1];
    ctx->backend->gemm(ta, tb, m, n, k, 1.0f, a->data, a->shape[1], b->data, b->shape[1], 0.0f,
                       out->data, n);
}

/* forward: C = op(A) op(B), with dC [m,n]:
 *   ta=0 tb=0  dA += dC B^T    dB += A^T dC
 *   ta=0 tb=1  dA += dC B      dB += dC^T A
 *   ta=1 tb=0  dA += B dC^T    dB += A dC
 *   ta=1 tb=1  dA += B^T dC^T  dB += dC^T A^T */
static void matmul_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0], *b = nn_tn(out)->inputs[1];
    bool ta = nn_tn(out)->iargs[0], tb = nn_tn(out)->iargs[1];
    int m = out->shape[0], n = out->shape[1], k = ta ? a->shape[0] : a->shape[1];
    int lda = a->shape[1], ldb = b->shape[1];
    const float *dc = out->grad->data;
    const nn_backend *be = ctx->backend;
    if (a->requires_grad) {
        float *da = a->grad->data;
        if (!ta)
            be->gemm(false, !tb, m, k, n, 1.0f, dc, n, b->data, ldb, 1.0f, da, lda);
        else
            be->gemm(tb, true, k, m, n, 1.0f, b->data, ldb, dc, n, 1.0f, da, lda);
    }
    if (b->requires_grad) {
        float *db = b->grad->data;
        if (!tb)
            be->gemm(!ta, false, k, n, m, 1.0f, a->data, lda, dc, n, 1.0f, db, ldb);
        else
            be->gemm(true, ta, n, k, m, 1.0f, dc, n, a->data, lda, 1.0f, db, ldb);
    }
}

const nn_op_def nn_op_matmul = {.name = "matmul",
                                .ninputs = 2,
                                .differentiable = true,
                                .shape = matmul_shape,
                                .forward = matmul_forward,
                                .backward = matmul_backward};

nn_tensor *nn_matmul(nn_ctx *ctx, nn_tensor *a, nn_tensor *b, bool trans_a, bool trans_b) {
    nn_tensor *in[2] = {a, b};
    int iargs[3] = {trans_a, trans_b, 0};
    return nn_op_apply(ctx, NN_OP_MATMUL, in, 2, NULL, iargs, NULL);
}
