/* init.c: weight initialisers (zeros, constant, uniform, normal, Xavier/Glorot, He,
 * LeCun, orthogonal), drawing from the context's one generator. fan_in is the
 * number of rows of W [in, out] and fan_out the number of columns. */
#include <math.h>
#include <string.h>

#include "train_internal.h"

static const char *const init_names[NN_INIT_COUNT] = {
    "zeros",      "constant",  "uniform",       "normal",       "xavier_uniform", "xavier_normal",
    "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "orthogonal",
};

const char *nn_init_name(nn_init_kind kind) {
    return (unsigned)kind < NN_INIT_COUNT ? init_names[kind] : NULL;
}

static const nn_name_alias init_aliases[] = {
    {"glorot_uniform", NN_INIT_XAVIER_UNIFORM},
    {"glorot_normal", NN_INIT_XAVIER_NORMAL},
    {"xavier", NN_INIT_XAVIER_UNIFORM},
    {"he", NN_INIT_HE_NORMAL},
    {"lecun", NN_INIT_LECUN_NORMAL},
    {NULL, 0},
};

int nn_init_from_name(const char *name) {
    return nn_kind_from_name(name, init_names, NN_INIT_COUNT, init_aliases);
}

static void fill_uniform(nn_ctx *ctx, float *w, int64_t n, double lo, double hi) {
    for (int64_t i = 0; i < n; i++) w[i] = (float)(lo + (hi - lo) * nn_rand_uniform(ctx));
}

static void fill_normal(nn_ctx *ctx, float *w, int64_t n, double mean, double std) {
    for (int64_t i = 0; i < n; i++) w[i] = (float)(mean + std * nn_rand_normal(ctx));
}

/* Orthogonal (Saxe et al.): modified Gram-Schmidt on the shorter side of a normal
 * matrix, so rows (rows <= cols) or columns (rows > cols) are orthonormal; in double
 * to keep the vectors orthogonal to float precision. */
static int fill_orthogonal(nn_ctx *ctx, float *w, int rows, int cols, double gain) {
    bool by_rows = rows <= cols;
    int nv = by_rows ? rows : cols, len = by_rows ? cols : rows;
    double *v = nn_malloc(ctx, (size_t)nv * len * sizeof(double));
    if (!v) return NN_ENOMEM;
    for (int64_t i = 0; i < (int64_t)nv * len; i++) v[i] = nn_rand_normal(ctx);
    for (int a = 0; a < nv; a++) {
        double *va = v + (int64_t)a * len;
        for (int b = 0; b < a; b++) {
            double *vb = v + (int64_t)b * len, d = 0;
            for (int k = 0; k < len; k++) d += va[k] * vb[k];
            for (int k = 0; k < len; k++) va[k] -= d * vb[k];
        }
        double s = 0;
        for (int k = 0; k < len; k++) s += va[k] * va[k];
        s = s > 0 ? 1 / sqrt(s) : 0;
        for (int k = 0; k < len; k++) va[k] *= s;
    }
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            w[(int64_t)r * cols + c] =
                (float)(gain * (by_rows ? v[(int64_t)r * len + c] : v[(int64_t)c * len + r]));
    nn_mfree(v);
    return NN_OK;
}

int nn_init_fill(nn_ctx *ctx, nn_init init, float *w, int rows, int cols) {
    int64_t n = (int64_t)rows * cols;
    double fin = rows, fout = cols, lim;
    switch (init.kind) {
    case NN_INIT_ZEROS:
        memset(w, 0, (size_t)n * sizeof(float));
        return NN_OK;
    case NN_INIT_CONSTANT:
        for (int64_t i = 0; i < n; i++) w[i] = init.a;
        return NN_OK;
    case NN_INIT_UNIFORM:
        if (!(init.a < init.b))
            return nn_errorf(ctx, NN_EARG, "uniform init: need a < b, got %g and %g", init.a,
                             init.b);
        fill_uniform(ctx, w, n, init.a, init.b);
        return NN_OK;
    case NN_INIT_NORMAL:
        if (!(init.b >= 0))
            return nn_errorf(ctx, NN_EARG, "normal init: std must be >= 0, got %g", init.b);
        fill_normal(ctx, w, n, init.a, init.b);
        return NN_OK;
    case NN_INIT_XAVIER_UNIFORM:
        lim = sqrt(6.0 / (fin + fout));
        fill_uniform(ctx, w, n, -lim, lim);
        return NN_OK;
    case NN_INIT_XAVIER_NORMAL:
        fill_normal(ctx, w, n, 0, sqrt(2.0 / (fin + fout)));
        return NN_OK;
    case NN_INIT_HE_UNIFORM:
        lim = sqrt(6.0 / fin);
        fill_uniform(ctx, w, n, -lim, lim);
        return NN_OK;
    case NN_INIT_HE_NORMAL:
        fill_normal(ctx, w, n, 0, sqrt(2.0 / fin));
        return NN_OK;
    case NN_INIT_LECUN_UNIFORM:
        lim = sqrt(3.0 / fin);
        fill_uniform(ctx, w, n, -lim, lim);
        return NN_OK;
    case NN_INIT_LECUN_NORMAL:
        fill_normal(ctx, w, n, 0, sqrt(1.0 / fin));
        return NN_OK;
    case NN_INIT_ORTHOGONAL:
        return fill_orthogonal(ctx, w, rows, cols, init.a != 0 ? init.a : 1.0);
    case NN_INIT_COUNT:
        break;
    }
    return nn_errorf(ctx, NN_EARG, "unknown initialiser %d", (int)init.kind);
}
