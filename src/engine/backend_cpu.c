/* backend_cpu.c: the reference kernels, on host memory: OpenBLAS for gemm, plain loops
 * that the compiler vectorises for the rest, and the training kernels (activations and
 * losses through activation.c and loss.c, whose formulas they share with nothing else).
 * Every CUDA kernel is tested against these. Backward kernels add into their outputs. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conv_cpu.h"
#include "parallel.h"
#include "rnn_cpu.h"
#include "train_internal.h"

/* Below this many multiply-adds (B * in * out) the linear layer runs its own loops:
 * OpenBLAS's call and packing overhead dominates tiny Playground nets (2-8-8-1). */
#define SMALL_GEMM 16384

/* ---- the BLAS kernels the CPU can run -------------------------------------------- */

const char *nn_blas_better_core(void) {
    static const char *generic[] = {"Prescott", "Core2",  "Penryn", "Dunnington", "Nehalem",
                                    "Atom",     "Katmai", "Banias", "Northwood",  NULL};
    const char *chosen = openblas_get_corename();
    int is_generic = 0;
    for (int i = 0; chosen && generic[i]; i++) is_generic |= strcmp(chosen, generic[i]) == 0;
    if (!is_generic) return NULL;
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init(); /* the builtins below also check that the OS saves the registers */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512cd"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return NULL;
}

/* ---- memory: host memory is device memory --------------------------------------- */

/* Memory NN_ALIGN-aligned inside a malloc'd or calloc'd chunk whose address lies just
 * before it, so that zeroed memory can come from calloc: a large calloc maps fresh pages,
 * which take no memory until they are written (a model's gradients until it trains). */
static void *aligned_in(void *raw) {
    if (!raw) return NULL;
    uintptr_t at = ((uintptr_t)raw + sizeof(void *) + NN_ALIGN - 1) & ~(uintptr_t)(NN_ALIGN - 1);
    ((void **)at)[-1] = raw;
    return (void *)at;
}

static size_t padded(size_t bytes) {
    return bytes > SIZE_MAX - NN_ALIGN - sizeof(void *) ? 0 : bytes + NN_ALIGN + sizeof(void *);
}

static void *cpu_alloc(size_t bytes) {
    size_t n = padded(bytes);
    return n ? aligned_in(malloc(n)) : NULL;
}

static void *cpu_alloc_zeros(size_t bytes) {
    size_t n = padded(bytes);
    return n ? aligned_in(calloc(1, n)) : NULL;
}

static void cpu_free(void *p) {
    if (p) free(((void **)p)[-1]);
}

static void cpu_transfer(float *dst, const float *src, int64_t n) {
    if (dst != src && n > 0) memmove(dst, src, (size_t)n * sizeof(float));
}

/* From this many floats on, zeroing runs as two halves (nn_par_halves), on the engine's
 * two threads when it may use two: a step's zero_grad of the MLP's 235k gradients is
 * otherwise the largest part of the step that one core runs alone. */
#define SPLIT_ZERO (1 << 17)

typedef struct zero_job {
    float *x;
    int64_t n, split;
} zero_job;

static void zero_half(void *arg, int part) {
    const zero_job *j = arg;
    int64_t a = part ? j->split : 0, b = part ? j->n : j->split;
    memset(j->x + a, 0, (size_t)(b - a) * sizeof(float));
}

/* Zeroing (every step's zero_grad) goes through memset: wider stores than the baseline
 * build's loop, about half the time on the MLP's 235k gradients. */
static void cpu_fill(float *x, int64_t n, float v) {
    if (v == 0.0f && !signbit(v)) {
        if (n >= SPLIT_ZERO) {
            zero_job j = {x, n, n / 2 / 16 * 16};
            nn_par_halves(zero_half, &j);
        } else if (n > 0) {
            memset(x, 0, (size_t)n * sizeof(float));
        }
        return;
    }
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

/* In TRANSPOSE_TILE square tiles, so that the strided side stays in cache: the LSTM
 * transposes its recurrent weights (128 x 512) once a backward. */
#define TRANSPOSE_TILE 32
static void cpu_transpose(const float *restrict x, int r, int c, float *restrict y) {
    for (int i0 = 0; i0 < r; i0 += TRANSPOSE_TILE)
        for (int j0 = 0; j0 < c; j0 += TRANSPOSE_TILE) {
            int i1 = i0 + TRANSPOSE_TILE < r ? i0 + TRANSPOSE_TILE : r;
            int j1 = j0 + TRANSPOSE_TILE < c ? j0 + TRANSPOSE_TILE : c;
            for (int i = i0; i < i1; i++)
                for (int j = j0; j < j1; j++) y[(int64_t)j * r + i] = x[(int64_t)i * c + j];
        }
}

static void cpu_transpose_back(const float *gy, int r, int c, float *gx) {
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++) gx[(int64_t)i * c + j] += gy[(int64_t)j * r + i];
}

/* ---- activations, PReLU, dropout ---------------------------------------------------- */

static void cpu_act(int kind, float a, const float *x, float *y, int64_t rows, int cols) {
    nn_act_forward((nn_act_kind)kind, a, x, y, rows, cols);
}

static void cpu_act_back(int kind, float a, const float *x, const float *y, const float *gy,
                         float *gx, int64_t rows, int cols) {
    nn_act_backward((nn_act_kind)kind, a, x, y, gy, gx, rows, cols, NULL);
}

static void cpu_prelu(const float *restrict x, const float *restrict alpha, int nalpha,
                      float *restrict y, int64_t rows, int cols) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        for (int j = 0; j < cols; j++) {
            float aj = alpha[nalpha == 1 ? 0 : j];
            yr[j] = xr[j] > 0.0f ? xr[j] : aj * xr[j];
        }
    }
}

/* forward: y = x > 0 ? x : a_j x, so dx += (x > 0 ? 1 : a_j) dy, da_j += x dy (x <= 0).
 * The slopes' sums are kept in double: one slope can gather a whole batch. */
static void cpu_prelu_back(const float *restrict x, const float *restrict alpha, int nalpha,
                           const float *restrict gy, float *restrict gx, float *restrict galpha,
                           int64_t rows, int cols) {
    double shared = 0.0;
    for (int j = 0; j < cols; j++) {
        float aj = alpha[nalpha == 1 ? 0 : j];
        double s = 0.0;
        for (int64_t r = 0; r < rows; r++) {
            int64_t i = r * cols + j;
            if (x[i] > 0.0f) {
                if (gx) gx[i] += gy[i];
            } else {
                if (gx) gx[i] += aj * gy[i];
                s += (double)x[i] * gy[i];
            }
        }
        if (galpha && nalpha != 1) galpha[j] += (float)s;
        shared += s;
    }
    if (galpha && nalpha == 1) galpha[0] += (float)shared;
}

static void cpu_dropout(const float *restrict x, float *restrict mask, float *restrict y, int64_t n,
                        float keep, uint64_t rng[4]) {
    float scale = 1.0f / keep;
    for (int64_t i = 0; i < n; i++) {
        mask[i] = nn_xoshiro_uniform(rng) < keep ? scale : 0.0f;
        y[i] = x[i] * mask[i];
    }
}

static void cpu_dropout_back(const float *restrict gy, const float *restrict mask,
                             float *restrict gx, int64_t n, bool assign) {
    if (assign)
        for (int64_t i = 0; i < n; i++) gx[i] = gy[i] * mask[i];
    else
        for (int64_t i = 0; i < n; i++) gx[i] += gy[i] * mask[i];
}

/* ---- the linear layer ------------------------------------------------------------------ */

/* y[B,out] = x[B,in] W[in,out] + b */
/* A narrow layer (out <= LANES, in <= NARROW_IN) over many rows, as a decision view's
 * 40 000 grid points through a 3-8-8-1 net: one row's outputs live in a register of
 * LANES floats (W padded with zeros), so each input costs one multiply and one add of
 * a whole vector. OpenBLAS packed these thin matrices at five times the cost. The sums
 * go in the small loops' order (b, then x_0 w_0, x_1 w_1, ...): the same numbers. */
#define LANES     8
#define NARROW_IN 64
typedef float lanes_f32 __attribute__((vector_size(LANES * sizeof(float))));

static inline __attribute__((always_inline)) void
linear_narrow(const float *x, const float *w, const float *b, float *y, int B, int in, int out) {
    lanes_f32 wp[NARROW_IN], bp = {0};
    for (int j = 0; j < out; j++) bp[j] = b[j];
    for (int k = 0; k < in; k++) {
        wp[k] = (lanes_f32){0};
        for (int j = 0; j < out; j++) wp[k][j] = w[(int64_t)k * out + j];
    }
    /* the playground's widths unrolled by hand (GCC's -O2 keeps a loop of 3 or 8 steps),
     * in the same order; other widths loop */
#define NARROW_ROWS(SUM)                                                                           \
    for (int r = 0; r < B; r++) {                                                                  \
        const float *xr = x + (int64_t)r * in;                                                     \
        lanes_f32 acc = bp;                                                                        \
        SUM;                                                                                       \
        float *yr = y + (int64_t)r * out;                                                          \
        if (out == LANES)                                                                          \
            memcpy(yr, &acc, sizeof acc);                                                          \
        else if (out == 1)                                                                         \
            yr[0] = acc[0];                                                                        \
        else                                                                                       \
            for (int j = 0; j < out; j++) yr[j] = acc[j];                                          \
    }
#define T(k) acc += xr[k] * wp[k]
    switch (in) {
    case 2:
        NARROW_ROWS((T(0), T(1)));
        break;
    case 3:
        NARROW_ROWS((T(0), T(1), T(2)));
        break;
    case 4:
        NARROW_ROWS((T(0), T(1), T(2), T(3)));
        break;
    case 8:
        NARROW_ROWS((T(0), T(1), T(2), T(3), T(4), T(5), T(6), T(7)));
        break;
    default:
        NARROW_ROWS(for (int k = 0; k < in; k++) T(k));
        break;
    }
#undef T
#undef NARROW_ROWS
}

/* From this many multiply-adds (B * in * out) on, the linear layer's products run as
 * two fixed halves (nn_par_halves): on the engine's two threads when it may use two,
 * one after the other on one. The split is by this size alone, never by the thread
 * count, so that one thread and two give the same bits. OpenBLAS on two threads
 * reaches only 1.3 times its one-thread rate at the MLP benchmark's shapes (64 rows),
 * two one-threaded halves nearly twice. The MLP's 784-256 and 256-128 layers are split,
 * its 128-10 one (82k) and the Playground's nets are not. */
#define SPLIT_GEMM (1 << 19)

/* Where the halves of n columns meet: near the middle, on a 64-byte line of a row. */
static int half_cols(int n) {
    int h = (n / 2 + 8) / 16 * 16;
    return h > 0 && h < n ? h : n / 2;
}

/* Runs half(arg, 0) and half(arg, 1) as nn_par_halves does, OpenBLAS on one thread
 * inside when they run on two: its own workers on top would put three busy threads on
 * two cores. Its thread count is one global setting (a plain store in OpenBLAS 0.3.21,
 * a few nanoseconds); another thread's sgemm meanwhile merely runs on one thread. */
static void blas_halves(void (*half)(void *arg, int part), void *arg) {
    int blas = nn_par_threads() > 1 ? openblas_get_num_threads() : 1;
    if (blas > 1) openblas_set_num_threads(1);
    nn_par_halves(half, arg);
    if (blas > 1) openblas_set_num_threads(blas);
}

/* An unsplit linear product (under SPLIT_GEMM), with OpenBLAS on one thread while the
 * engine may use two: OpenBLAS threads products from 2^18 multiply-adds (LeNet's last
 * batch of 32 or 40 through 120-84), and after a threaded call its idle worker spins
 * in sched_yield for a while, taking the core that the engine's worker needs for the
 * next conv's halves. At these sizes two threads gain OpenBLAS little. */
static void sgemm_unsplit(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k,
                          const float *a, int lda, const float *b, int ldb, float beta, float *c,
                          int ldc) {
    int blas = nn_par_threads() > 1 ? openblas_get_num_threads() : 1;
    if (blas > 1) openblas_set_num_threads(1);
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
    if (blas > 1) openblas_set_num_threads(blas);
}

typedef struct linear_job {
    const float *x, *w, *b, *dy;
    float *y, *dw, *db, *dx;
    int B, in, out, split; /* split: the first column of half 1 (of out forward, of in back) */
} linear_job;

/* Half `part` of the forward: the columns [j0, j1) of y = x W + b, over all rows. */
static void linear_half(void *arg, int part) {
    const linear_job *j = arg;
    int j0 = part ? j->split : 0, n = (part ? j->out : j->split) - j0;
    for (int r = 0; r < j->B; r++)
        memcpy(j->y + (int64_t)r * j->out + j0, j->b + j0, (size_t)n * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, j->B, n, j->in, 1.0f, j->x, j->in,
                j->w + j0, j->out, 1.0f, j->y + j0, j->out);
}

NN_VECTOR_CLONES static void cpu_linear(const float *x, const float *w, const float *b, float *y,
                                        int B, int in, int out) {
    if (out <= LANES && in <= NARROW_IN) {
        linear_narrow(x, w, b, y, B, in, out);
        return;
    }
    if ((int64_t)B * in * out >= SPLIT_GEMM && out >= 2) {
        linear_job j = {.x = x, .w = w, .b = b, .y = y, .B = B, .in = in, .out = out};
        j.split = half_cols(out);
        blas_halves(linear_half, &j);
        return;
    }
    for (int r = 0; r < B; r++) memcpy(y + (int64_t)r * out, b, (size_t)out * sizeof(float));
    if ((int64_t)B * in * out < SMALL_GEMM) {
        for (int r = 0; r < B; r++) {
            float *yr = y + (int64_t)r * out;
            const float *xr = x + (int64_t)r * in;
            for (int k = 0; k < in; k++) {
                float xv = xr[k];
                const float *wk = w + (int64_t)k * out;
                for (int j = 0; j < out; j++) yr[j] += xv * wk[j];
            }
        }
        return;
    }
    sgemm_unsplit(CblasNoTrans, CblasNoTrans, B, out, in, x, in, w, out, 1.0f, y, out);
}

/* The column sums of dy into db (added). */
static void bias_back(const float *dy, float *db, int B, int out) {
    for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++) db[j] += dy[(int64_t)r * out + j];
}

/* Half `part` of the backward, over the inputs [k0, k1): the rows [k0, k1) of dW (x's
 * columns k0.. times dy) and the columns [k0, k1) of dx (dy times W's rows k0..), so
 * that each half reads only its own rows of W and writes its own of dW, and no sum is
 * split between the halves. Half 0 also sums db, in the order of the unsplit loop. */
static void linear_back_half(void *arg, int part) {
    const linear_job *j = arg;
    int k0 = part ? j->split : 0, n = (part ? j->in : j->split) - k0;
    if (j->dw) {
        if (!part) bias_back(j->dy, j->db, j->B, j->out);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, j->out, j->B, 1.0f, j->x + k0,
                    j->in, j->dy, j->out, 1.0f, j->dw + (int64_t)k0 * j->out, j->out);
    }
    if (j->dx)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, j->B, n, j->out, 1.0f, j->dy, j->out,
                    j->w + (int64_t)k0 * j->out, j->out, 0.0f, j->dx + k0, j->in);
}

/* forward was y = x W + b, so: dW += x^T dy, db += sum_rows dy, dx = dy W^T. */
NN_VECTOR_CLONES static void cpu_linear_back(const float *x, const float *w, const float *dy,
                                             float *dw, float *db, float *dx, int B, int in,
                                             int out) {
    if ((int64_t)B * in * out >= SPLIT_GEMM && in >= 2 && (dw || dx)) {
        linear_job j = {.x = x, .w = w, .dy = dy, .dw = dw, .db = db, .dx = dx};
        j.B = B, j.in = in, j.out = out, j.split = half_cols(in);
        blas_halves(linear_back_half, &j);
        return;
    }
    bool small = (int64_t)B * in * out < SMALL_GEMM;
    if (dw) {
        bias_back(dy, db, B, out);
        if (small) {
            for (int r = 0; r < B; r++) {
                const float *xr = x + (int64_t)r * in, *gr = dy + (int64_t)r * out;
                for (int k = 0; k < in; k++) {
                    float xv = xr[k];
                    float *dwk = dw + (int64_t)k * out;
                    for (int j = 0; j < out; j++) dwk[j] += xv * gr[j];
                }
            }
        } else {
            sgemm_unsplit(CblasTrans, CblasNoTrans, in, out, B, x, in, dy, out, 1.0f, dw, out);
        }
    }
    if (!dx) return;
    if (small) {
        for (int r = 0; r < B; r++) {
            const float *gr = dy + (int64_t)r * out;
            float *dxr = dx + (int64_t)r * in;
            for (int k = 0; k < in; k++) {
                const float *wk = w + (int64_t)k * out;
                float s = 0;
                for (int j = 0; j < out; j++) s += gr[j] * wk[j];
                dxr[k] = s;
            }
        }
    } else {
        sgemm_unsplit(CblasNoTrans, CblasTrans, B, in, out, dy, out, w, out, 0.0f, dx, in);
    }
}

/* ---- batch norm and the regulariser ------------------------------------------------------ */

/* Training: per feature j, mean and biased variance over the batch; x_hat saved for
 * backward with rstd = 1/sqrt(var + eps); running stats move by momentum towards
 * the batch's (unbiased variance, as PyTorch). Evaluation: running stats. */
static void cpu_batchnorm(const float *x, const float *gamma, const float *beta, float *running,
                          float *xhat, float *rstd, float *y, int B, int F, bool training,
                          float momentum, float eps) {
    for (int j = 0; j < F; j++) {
        float mean, var;
        if (training) {
            double s = 0, s2 = 0;
            for (int r = 0; r < B; r++) s += x[(int64_t)r * F + j];
            mean = (float)(s / B);
            for (int r = 0; r < B; r++) {
                double d = x[(int64_t)r * F + j] - mean;
                s2 += d * d;
            }
            var = (float)(s2 / B);
            running[j] = (1 - momentum) * running[j] + momentum * mean;
            float unb = B > 1 ? (float)(s2 / (B - 1)) : var;
            running[F + j] = (1 - momentum) * running[F + j] + momentum * unb;
        } else {
            mean = running[j];
            var = running[F + j];
        }
        rstd[j] = 1.0f / sqrtf(var + eps);
        for (int r = 0; r < B; r++) {
            int64_t i = (int64_t)r * F + j;
            xhat[i] = (x[i] - mean) * rstd[j];
            y[i] = gamma[j] * xhat[i] + beta[j];
        }
    }
}

/* forward was y = gamma x_hat + beta with x_hat = (x - mean) rstd, so
 * dgamma += sum dy x_hat, dbeta += sum dy and, with batch statistics,
 * dx = gamma rstd / B (B dy - sum dy - x_hat sum(dy x_hat)); with running
 * statistics (evaluation) the mean and rstd are constants: dx = gamma rstd dy. */
static void cpu_batchnorm_back(const float *dy, const float *gamma, const float *xhat,
                               const float *rstd, float *dgamma, float *dbeta, float *dx, int B,
                               int F, bool training) {
    for (int j = 0; j < F; j++) {
        double sg = 0, sgx = 0;
        for (int r = 0; r < B; r++) {
            int64_t i = (int64_t)r * F + j;
            sg += dy[i];
            sgx += (double)dy[i] * xhat[i];
        }
        if (dgamma) {
            dgamma[j] += (float)sgx;
            dbeta[j] += (float)sg;
        }
        if (!dx) continue;
        float k = gamma[j] * rstd[j];
        for (int r = 0; r < B; r++) {
            int64_t i = (int64_t)r * F + j;
            dx[i] = training ? k / B * (float)(B * dy[i] - sg - xhat[i] * sgx) : k * dy[i];
        }
    }
}

/* The regulariser's gradient: dW += l1 sign(w) + 2 l2 w. */
static void cpu_penalty_back(const float *restrict w, float *restrict dw, int64_t n, float l1,
                             float l2) {
    for (int64_t i = 0; i < n; i++) dw[i] += l1 * (float)((w[i] > 0) - (w[i] < 0)) + 2 * l2 * w[i];
}

/* ---- losses ------------------------------------------------------------------------------ */

static int cpu_loss(struct nn_ctx *ctx, int kind, const float *y, int B, int k, const float *t,
                    int tcols, float delta, double *loss, float *dy) {
    return nn_loss(ctx, (nn_loss_kind)kind, y, B, k, t, tcols, NULL, delta, loss, dy);
}

static void cpu_loss_back(const float *restrict d, const float *restrict g, float *restrict gy,
                          int64_t n) {
    float g0 = g[0];
    for (int64_t i = 0; i < n; i++) gy[i] += g0 * d[i];
}

const nn_backend nn_backend_cpu = {
    .name = "cpu",
    .alloc = cpu_alloc,
    .alloc_zeros = cpu_alloc_zeros,
    .free = cpu_free,
    .upload = cpu_transfer,
    .download = cpu_transfer,
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
    .act = cpu_act,
    .act_back = cpu_act_back,
    .prelu = cpu_prelu,
    .prelu_back = cpu_prelu_back,
    .dropout = cpu_dropout,
    .dropout_back = cpu_dropout_back,
    .linear = cpu_linear,
    .linear_back = cpu_linear_back,
    .batchnorm = cpu_batchnorm,
    .batchnorm_back = cpu_batchnorm_back,
    .conv2d_scratch = nn_cpu_conv2d_scratch,
    .conv2d = nn_cpu_conv2d,
    .conv2d_back = nn_cpu_conv2d_back,
    .pool2d = nn_cpu_pool2d,
    .pool2d_back = nn_cpu_pool2d_back,
    .penalty_back = cpu_penalty_back,
    .loss = cpu_loss,
    .loss_back = cpu_loss_back,
    .rnn_cell = nn_cpu_rnn_cell,
    .rnn_cell_back = nn_cpu_rnn_cell_back,
    .lstm_seq = nn_cpu_lstm_seq,
    .lstm_seq_takes = nn_cpu_lstm_seq_takes,
    .lstm_seq_grads = nn_cpu_lstm_seq_grads,
};
