/* backend_cpu.c: the reference kernels, on host memory: OpenBLAS for gemm, plain loops
 * that the compiler vectorises for the rest. Every CUDA kernel is tested against
 * these. Backward kernels add into their outputs. */
#include <cblas.h>
#include <math.h>
#include <string.h>

#include "backend.h"

static void cpu_fill(float *x, int64_t n, float v) {
    for (int64_t i = 0; i < n; i++) x[i] = v;
}

static void cpu_copy(float *dst, const float *src, int64_t n) {
    if (dst != src) memmove(dst, src, (size_t)n * sizeof(float));
}

static void cpu_acc(float *restrict dst, const float *restrict src, int64_t n) {
    for (int64_t i = 0; i < n; i++) dst[i] += src[i];
}

/* ---- unary ------------------------------------------------------------------- */

static void cpu_unary(int kind, const float *restrict x, float *restrict y, int64_t n, float p) {
    switch (kind) {
    case NN_U_SCALE:
        for (int64_t i = 0; i < n; i++) y[i] = p * x[i];
        break;
    case NN_U_ADD_SCALAR:
        for (int64_t i = 0; i < n; i++) y[i] = x[i] + p;
        break;
    case NN_U_POW:
        if (p == 2.0f)
            for (int64_t i = 0; i < n; i++) y[i] = x[i] * x[i];
        else
            for (int64_t i = 0; i < n; i++) y[i] = powf(x[i], p);
        break;
    case NN_U_NEG:
        for (int64_t i = 0; i < n; i++) y[i] = -x[i];
        break;
    case NN_U_EXP:
        for (int64_t i = 0; i < n; i++) y[i] = expf(x[i]);
        break;
    case NN_U_LOG:
        for (int64_t i = 0; i < n; i++) y[i] = logf(x[i]);
        break;
    case NN_U_SQRT:
        for (int64_t i = 0; i < n; i++) y[i] = sqrtf(x[i]);
        break;
    case NN_U_ABS:
        for (int64_t i = 0; i < n; i++) y[i] = fabsf(x[i]);
        break;
    case NN_U_TANH:
        for (int64_t i = 0; i < n; i++) y[i] = tanhf(x[i]);
        break;
    case NN_U_SIGMOID:
        for (int64_t i = 0; i < n; i++) y[i] = 1.0f / (1.0f + expf(-x[i]));
        break;
    case NN_U_RELU:
        for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    }
}

/* Derivatives, in terms of x or of the forward's y where that is cheaper. */
static void cpu_unary_back(int kind, const float *restrict x, const float *restrict y,
                           const float *restrict gy, float *restrict gx, int64_t n, float p) {
    switch (kind) {
    case NN_U_SCALE: /* y = p x */
        for (int64_t i = 0; i < n; i++) gx[i] += p * gy[i];
        break;
    case NN_U_ADD_SCALAR: /* y = x + p */
        for (int64_t i = 0; i < n; i++) gx[i] += gy[i];
        break;
    case NN_U_POW: /* y = x^p: p x^(p-1) */
        if (p == 2.0f)
            for (int64_t i = 0; i < n; i++) gx[i] += 2.0f * x[i] * gy[i];
        else
            for (int64_t i = 0; i < n; i++) gx[i] += p * powf(x[i], p - 1.0f) * gy[i];
        break;
    case NN_U_NEG:
        for (int64_t i = 0; i < n; i++) gx[i] -= gy[i];
        break;
    case NN_U_EXP: /* y = e^x: y */
        for (int64_t i = 0; i < n; i++) gx[i] += y[i] * gy[i];
        break;
    case NN_U_LOG: /* y = ln x: 1/x */
        for (int64_t i = 0; i < n; i++) gx[i] += gy[i] / x[i];
        break;
    case NN_U_SQRT: /* y = sqrt x: 1/(2y) */
        for (int64_t i = 0; i < n; i++) gx[i] += 0.5f * gy[i] / y[i];
        break;
    case NN_U_ABS: /* sign(x), 0 at 0 as PyTorch */
        for (int64_t i = 0; i < n; i++)
            gx[i] += (x[i] > 0.0f ? 1.0f : x[i] < 0.0f ? -1.0f : 0.0f) * gy[i];
        break;
    case NN_U_TANH: /* 1 - y^2 */
        for (int64_t i = 0; i < n; i++) gx[i] += (1.0f - y[i] * y[i]) * gy[i];
        break;
    case NN_U_SIGMOID: /* y (1 - y) */
        for (int64_t i = 0; i < n; i++) gx[i] += y[i] * (1.0f - y[i]) * gy[i];
        break;
    case NN_U_RELU: /* 1 where x > 0 */
        for (int64_t i = 0; i < n; i++) gx[i] += x[i] > 0.0f ? gy[i] : 0.0f;
        break;
    }
}

/* ---- binary with broadcasting --------------------------------------------------- */

static inline float bin(int kind, float a, float b) {
    switch (kind) {
    case NN_B_ADD:
        return a + b;
    case NN_B_SUB:
        return a - b;
    case NN_B_MUL:
        return a * b;
    default:
        return a / b;
    }
}

/* Same-shape loops, one per kind so each vectorises. */
static void binary_flat(int kind, const float *restrict a, const float *restrict b,
                        float *restrict y, int64_t n) {
    switch (kind) {
    case NN_B_ADD:
        for (int64_t i = 0; i < n; i++) y[i] = a[i] + b[i];
        break;
    case NN_B_SUB:
        for (int64_t i = 0; i < n; i++) y[i] = a[i] - b[i];
        break;
    case NN_B_MUL:
        for (int64_t i = 0; i < n; i++) y[i] = a[i] * b[i];
        break;
    default:
        for (int64_t i = 0; i < n; i++) y[i] = a[i] / b[i];
        break;
    }
}

static void cpu_binary(int kind, const nn_bcast *bc, const float *a, const float *b, float *y) {
    if (bc->same) {
        binary_flat(kind, a, b, y, bc->size);
        return;
    }
    const int *s = bc->shape;
    const int64_t *sa = bc->sa, *sb = bc->sb;
    int64_t o = 0;
    for (int i0 = 0; i0 < s[0]; i0++)
        for (int i1 = 0; i1 < s[1]; i1++)
            for (int i2 = 0; i2 < s[2]; i2++) {
                const float *pa = a + i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
                const float *pb = b + i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
                float *py = y + o;
                if (sa[3] == 1 && sb[3] == 1) {
                    binary_flat(kind, pa, pb, py, s[3]);
                } else if (sa[3] == 1 && sb[3] == 0) { /* b constant along the row */
                    for (int i3 = 0; i3 < s[3]; i3++) py[i3] = bin(kind, pa[i3], pb[0]);
                } else {
                    for (int i3 = 0; i3 < s[3]; i3++)
                        py[i3] = bin(kind, pa[i3 * sa[3]], pb[i3 * sb[3]]);
                }
                o += s[3];
            }
}

/* d/da and d/db of one element. */
static inline void bin_grads(int kind, float a, float b, float g, float *da, float *db) {
    switch (kind) {
    case NN_B_ADD:
        *da = g, *db = g;
        break;
    case NN_B_SUB:
        *da = g, *db = -g;
        break;
    case NN_B_MUL:
        *da = g * b, *db = g * a;
        break;
    default:
        *da = g / b, *db = -g * a / (b * b);
        break;
    }
}

/* g += sign * gy summed over the axes where g's input was broadcast (stride 0): the
 * gradient of a + b and a - b. Rows are walked with the input's strides, so a row
 * bias ([m] against [n,m]) is a vectorised add per row and a column bias ([n,1]) a
 * row sum. */
static void acc_broadcast(const nn_bcast *bc, const int64_t *st, const float *restrict gy,
                          float *restrict g, float sign) {
    const int *s = bc->shape;
    int64_t o = 0;
    for (int i0 = 0; i0 < s[0]; i0++)
        for (int i1 = 0; i1 < s[1]; i1++)
            for (int i2 = 0; i2 < s[2]; i2++, o += s[3]) {
                float *row = g + i0 * st[0] + i1 * st[1] + i2 * st[2];
                const float *gr = gy + o;
                if (st[3] == 1) {
                    for (int i3 = 0; i3 < s[3]; i3++) row[i3] += sign * gr[i3];
                } else {
                    float acc = 0.0f;
                    for (int i3 = 0; i3 < s[3]; i3++) acc += gr[i3];
                    row[0] += sign * acc;
                }
            }
}

static void cpu_binary_back(int kind, const nn_bcast *bc, const float *a, const float *b,
                            const float *gy, float *ga, float *gb) {
    if (kind == NN_B_ADD || kind == NN_B_SUB) {
        if (ga) acc_broadcast(bc, bc->sa, gy, ga, 1.0f);
        if (gb) acc_broadcast(bc, bc->sb, gy, gb, kind == NN_B_ADD ? 1.0f : -1.0f);
        return;
    }
    /* General case: += into the input's element, which sums over broadcast axes
     * because a stride of 0 maps every position along them to one element. */
    const int *s = bc->shape;
    const int64_t *sa = bc->sa, *sb = bc->sb;
    int64_t o = 0;
    for (int i0 = 0; i0 < s[0]; i0++)
        for (int i1 = 0; i1 < s[1]; i1++)
            for (int i2 = 0; i2 < s[2]; i2++)
                for (int i3 = 0; i3 < s[3]; i3++, o++) {
                    int64_t ia = i0 * sa[0] + i1 * sa[1] + i2 * sa[2] + i3 * sa[3];
                    int64_t ib = i0 * sb[0] + i1 * sb[1] + i2 * sb[2] + i3 * sb[3];
                    float da, db;
                    bin_grads(kind, a[ia], b[ib], gy[o], &da, &db);
                    if (ga) ga[ia] += da;
                    if (gb) gb[ib] += db;
                }
}

/* ---- reductions ------------------------------------------------------------------ */

static void cpu_reduce(int kind, nn_rdims d, const float *x, float *y, float *idx) {
    for (int64_t o = 0; o < d.outer; o++) {
        const float *xo = x + o * d.n * d.inner;
        float *yo = y ? y + o * d.inner : NULL;
        float *io = idx ? idx + o * d.inner : NULL;
        if (kind == NN_R_MAX) {
            for (int64_t i = 0; i < d.inner; i++) {
                float best = xo[i];
                int64_t arg = 0;
                for (int64_t j = 1; j < d.n; j++)
                    if (xo[j * d.inner + i] > best) best = xo[j * d.inner + i], arg = j;
                if (yo) yo[i] = best;
                if (io) io[i] = (float)arg;
            }
        } else {
            /* Sum in double: a mean over 60000 floats keeps its last digits. */
            for (int64_t i = 0; i < d.inner; i++) {
                double acc = 0.0;
                for (int64_t j = 0; j < d.n; j++) acc += xo[j * d.inner + i];
                yo[i] = (float)(kind == NN_R_MEAN ? acc / (double)d.n : acc);
            }
        }
    }
}

static void cpu_reduce_back(int kind, nn_rdims d, const float *gy, const float *idx, float *gx) {
    float f = kind == NN_R_MEAN ? 1.0f / (float)d.n : 1.0f;
    for (int64_t o = 0; o < d.outer; o++) {
        const float *go = gy + o * d.inner;
        float *xo = gx + o * d.n * d.inner;
        if (kind == NN_R_MAX) {
            for (int64_t i = 0; i < d.inner; i++)
                xo[(int64_t)idx[o * d.inner + i] * d.inner + i] += go[i];
        } else {
            for (int64_t j = 0; j < d.n; j++)
                for (int64_t i = 0; i < d.inner; i++) xo[j * d.inner + i] += f * go[i];
        }
    }
}

/* ---- matmul, softmax, gathers, transpose ------------------------------------------ */

static void cpu_gemm(bool ta, bool tb, int m, int n, int k, float alpha, const float *a, int lda,
                     const float *b, int ldb, float beta, float *c, int ldc) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n,
                k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* Subtracts the maximum first, so large logits do not overflow expf. */
static void cpu_softmax(bool take_log, nn_rdims d, const float *x, float *y) {
    for (int64_t o = 0; o < d.outer; o++)
        for (int64_t i = 0; i < d.inner; i++) {
            const float *xo = x + o * d.n * d.inner + i;
            float *yo = y + o * d.n * d.inner + i;
            float mx = xo[0];
            for (int64_t j = 1; j < d.n; j++) mx = xo[j * d.inner] > mx ? xo[j * d.inner] : mx;
            double sum = 0.0;
            for (int64_t j = 0; j < d.n; j++) sum += exp((double)(xo[j * d.inner] - mx));
            if (take_log) {
                /* (x - max) first: exact for nearby logits, then one rounding */
                float ls = (float)log(sum);
                for (int64_t j = 0; j < d.n; j++) yo[j * d.inner] = (xo[j * d.inner] - mx) - ls;
            } else {
                for (int64_t j = 0; j < d.n; j++)
                    yo[j * d.inner] = (float)(exp((double)(xo[j * d.inner] - mx)) / sum);
            }
        }
}

/* softmax: gx = y (gy - sum(gy y)); log-softmax: gx = gy - e^y sum(gy). */
static void cpu_softmax_back(bool take_log, nn_rdims d, const float *y, const float *gy,
                             float *gx) {
    for (int64_t o = 0; o < d.outer; o++)
        for (int64_t i = 0; i < d.inner; i++) {
            int64_t base = o * d.n * d.inner + i;
            double dot = 0.0;
            for (int64_t j = 0; j < d.n; j++) {
                int64_t k = base + j * d.inner;
                dot += take_log ? gy[k] : gy[k] * y[k];
            }
            for (int64_t j = 0; j < d.n; j++) {
                int64_t k = base + j * d.inner;
                gx[k] += take_log ? gy[k] - expf(y[k]) * (float)dot : y[k] * (gy[k] - (float)dot);
            }
        }
}

static void cpu_gather_rows(const float *x, const int *rows, int n, int64_t cols, float *y) {
    for (int i = 0; i < n; i++)
        memcpy(y + (int64_t)i * cols, x + (int64_t)rows[i] * cols, (size_t)cols * sizeof(float));
}

static void cpu_gather_rows_back(const float *gy, const int *rows, int n, int64_t cols, float *gx) {
    for (int i = 0; i < n; i++) cpu_acc(gx + (int64_t)rows[i] * cols, gy + (int64_t)i * cols, cols);
}

static void cpu_transpose(const float *x, int r, int c, float *y) {
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++) y[(int64_t)j * r + i] = x[(int64_t)i * c + j];
}

static void cpu_transpose_back(const float *gy, int r, int c, float *gx) {
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++) gx[(int64_t)i * c + j] += gy[(int64_t)j * r + i];
}

const nn_backend nn_backend_cpu = {
    .name = "cpu",
    .fill = cpu_fill,
    .copy = cpu_copy,
    .acc = cpu_acc,
    .unary = cpu_unary,
    .unary_back = cpu_unary_back,
    .binary = cpu_binary,
    .binary_back = cpu_binary_back,
    .reduce = cpu_reduce,
    .reduce_back = cpu_reduce_back,
    .gemm = cpu_gemm,
    .softmax = cpu_softmax,
    .softmax_back = cpu_softmax_back,
    .gather_rows = cpu_gather_rows,
    .gather_rows_back = cpu_gather_rows_back,
    .transpose = cpu_transpose,
    .transpose_back = cpu_transpose_back,
};
