/* op_shape.c: reshape and row slices (views sharing the input's memory), transpose
 * of a 2-D tensor and row gathers (copies). Mini-batches are slices or gathers. */
#include <string.h>

#include "internal.h"

/* ---- reshape: extra is {ndim, shape...}; one size may be -1 ------------------------ */

static int reshape_error(nn_ctx *ctx, const nn_tensor *a, int ndim, const int *shape,
                         const char *what, long long x, long long y) {
    char sa[64], sr[64];
    nn_shape_str(a, sa, sizeof sa);
    if (ndim < 1 || ndim > NN_MAX_DIMS)
        return nn_errorf(ctx, NN_ESHAPE, "reshape: %s to %d dimensions; tensors have 1 to %d", sa,
                         ndim, NN_MAX_DIMS);
    nn_dims_str(ndim, shape, sr, sizeof sr);
    if (!what)
        return nn_errorf(ctx, NN_ESHAPE, "reshape: %s to %s: sizes must be >= 1 (one may be -1)",
                         sa, sr);
    return nn_errorf(ctx, NN_ESHAPE, what, sa, sr, x, y);
}

static int reshape_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    const int *req = nn_tn(out)->saved;
    int ndim = req[0];
    const int *shape = req + 1;
    if (ndim < 1 || ndim > NN_MAX_DIMS) return reshape_error(ctx, a, ndim, shape, NULL, 0, 0);
    int64_t known = 1;
    int infer = -1;
    for (int k = 0; k < ndim; k++) {
        if (shape[k] == -1 && infer < 0)
            infer = k;
        else if (shape[k] < 1)
            return reshape_error(ctx, a, ndim, shape, NULL, 0, 0);
        else
            known *= shape[k];
        out->shape[k] = shape[k];
    }
    if (infer >= 0) {
        if (a->size % known != 0)
            return reshape_error(ctx, a, ndim, shape,
                                 "reshape: %s to %s: %lld elements do not divide by %lld",
                                 (long long)a->size, (long long)known);
        out->shape[infer] = (int)(a->size / known);
        known = a->size;
    }
    if (known != a->size)
        return reshape_error(ctx, a, ndim, shape, "reshape: %s to %s: sizes %lld and %lld differ",
                             (long long)a->size, (long long)known);
    out->ndim = ndim;
    *saved = 0;
    return NN_OK;
}

static void view_forward(nn_ctx *ctx, nn_tensor *out) {
    (void)ctx;
    const nn_tensor *a = nn_tn(out)->inputs[0];
    /* a row slice starts iargs[0] rows in; a reshape at 0 */
    int64_t row = nn_tn(out)->op == NN_OP_SLICE_ROWS ? a->size / a->shape[0] : 0;
    out->data = a->data + row * nn_tn(out)->iargs[0];
}

/* A view's elements are the input's, in order (from iargs[0] rows in): add back. */
static void view_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    int64_t row = nn_tn(out)->op == NN_OP_SLICE_ROWS ? a->size / a->shape[0] : 0;
    ctx->backend->acc(a->grad->data + row * nn_tn(out)->iargs[0], out->grad->data, out->size);
}

const nn_op_def nn_op_reshape = {.name = "reshape",
                                 .ninputs = 1,
                                 .view = true,
                                 .differentiable = true,
                                 .shape = reshape_shape,
                                 .forward = view_forward,
                                 .backward = view_backward};

nn_tensor *nn_reshape(nn_ctx *ctx, nn_tensor *a, int ndim, const int *shape) {
    int req[1 + NN_MAX_DIMS] = {ndim};
    if (ndim < 1 || ndim > NN_MAX_DIMS || !shape) {
        nn_errorf(ctx, NN_ESHAPE, "reshape: %d dimensions; tensors have 1 to %d", ndim,
                  NN_MAX_DIMS);
        return NULL;
    }
    memcpy(req + 1, shape, (size_t)ndim * sizeof(int));
    return nn_op_apply(ctx, NN_OP_RESHAPE, &a, 1, NULL, NULL, req);
}

/* ---- slice_rows: rows [start, start+count) of axis 0; iargs = {start, count} ------- */

static int slice_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    int start = nn_tn(out)->iargs[0], count = nn_tn(out)->iargs[1];
    if (start < 0 || count < 1 || start > a->shape[0] - count) {
        char s[64];
        return nn_errorf(ctx, NN_EARG,
                         "rows: %d rows from row %d do not fit in %s (row indices 0 to %d)", count,
                         start, nn_shape_str(a, s, sizeof s), a->shape[0] - 1);
    }
    out->ndim = a->ndim;
    for (int k = 0; k < NN_MAX_DIMS; k++) out->shape[k] = a->shape[k];
    out->shape[0] = count;
    *saved = 0;
    return NN_OK;
}

const nn_op_def nn_op_slice_rows = {.name = "rows",
                                    .ninputs = 1,
                                    .view = true,
                                    .differentiable = true,
                                    .shape = slice_shape,
                                    .forward = view_forward,
                                    .backward = view_backward};

nn_tensor *nn_slice_rows(nn_ctx *ctx, nn_tensor *a, int start, int count) {
    int iargs[3] = {start, count, 0};
    return nn_op_apply(ctx, NN_OP_SLICE_ROWS, &a, 1, NULL, iargs, NULL);
}

/* ---- gather_rows: out[i] = a[rows[i]]; saved holds the rows; iargs[0] = n ---------- */

static int gather_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    const int *rows = nn_tn(out)->saved;
    int n = nn_tn(out)->iargs[0];
    char s[64];
    if (n < 1 || !rows)
        return nn_errorf(ctx, NN_EARG, "gather: %d row indices; at least one is needed", n);
    for (int i = 0; i < n; i++)
        if (rows[i] < 0 || rows[i] >= a->shape[0])
            return nn_errorf(ctx, NN_EARG,
                             "gather: row index %d (position %d) is out of range for %s", rows[i],
                             i + 1, nn_shape_str(a, s, sizeof s));
    out->ndim = a->ndim;
    for (int k = 0; k < NN_MAX_DIMS; k++) out->shape[k] = a->shape[k];
    out->shape[0] = n;
    _Static_assert(sizeof(int) == sizeof(float), "rows are kept in a float buffer");
    *saved = (size_t)n;
    return NN_OK;
}

static void gather_forward(nn_ctx *ctx, nn_tensor *out) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->gather_rows(a->data, nn_tn(out)->saved, nn_tn(out)->iargs[0],
                              a->size / a->shape[0], out->data);
}

/* forward: out[i] = a[rows[i]], so da[rows[i]] += dout[i] (repeated rows add up). */
static void gather_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->gather_rows_back(out->grad->data, nn_tn(out)->saved, nn_tn(out)->iargs[0],
                                   a->size / a->shape[0], a->grad->data);
}

const nn_op_def nn_op_gather_rows = {.name = "gather",
                                     .ninputs = 1,
                                     .differentiable = true,
                                     .shape = gather_shape,
                                     .forward = gather_forward,
                                     .backward = gather_backward};

nn_tensor *nn_gather_rows(nn_ctx *ctx, nn_tensor *a, const int *rows, int n) {
    int iargs[3] = {n, 0, 0};
    return nn_op_apply(ctx, NN_OP_GATHER_ROWS, &a, 1, NULL, iargs, rows);
}

/* ---- transpose of a 2-D tensor ------------------------------------------------------ */

static int transpose_shape(nn_ctx *ctx, nn_tensor *out, size_t *saved) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    if (a->ndim != 2) {
        char s[64];
        return nn_errorf(ctx, NN_ESHAPE, "transpose: %s: only 2-D tensors transpose",
                         nn_shape_str(a, s, sizeof s));
    }
    out->ndim = 2;
    out->shape[0] = a->shape[1];
    out->shape[1] = a->shape[0];
    *saved = 0;
    return NN_OK;
}

static void transpose_forward(nn_ctx *ctx, nn_tensor *out) {
    const nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->transpose(a->data, a->shape[0], a->shape[1], out->data);
}

/* forward: out[j,i] = a[i,j], so da[i,j] += dout[j,i]. */
static void transpose_backward(nn_ctx *ctx, nn_tensor *out) {
    nn_tensor *a = nn_tn(out)->inputs[0];
    ctx->backend->transpose_back(out->grad->data, a->shape[0], a->shape[1], a->grad->data);
}

const nn_op_def nn_op_transpose = {.name = "transpose",
                                   .ninputs = 1,
                                   .differentiable = true,
                                   .shape = transpose_shape,
                                   .forward = transpose_forward,
                                   .backward = transpose_backward};

nn_tensor *nn_transpose(nn_ctx *ctx, nn_tensor *a) {
    return nn_op_apply(ctx, NN_OP_TRANSPOSE, &a, 1, NULL, NULL, NULL);
}
