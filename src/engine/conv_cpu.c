/* conv_cpu.c: the CPU kernels of 2-D convolution (im2col and sgemm) and pooling.
 *
 * The backward runs over chunks of samples: the chunk's im2col lies as one matrix col
 * [C kh kw, n OH OW] (sample s in columns [s OH OW, (s+1) OH OW)), so the weight
 * gradient of a group is one sgemm over the chunk. Measured on LeNet-5's shapes
 * (bench/lenet.sh), sgemm over a whole batch of 64 (5 MB of col) ran 3 to 4 times
 * slower than over one sample or a few, whose col stays in the L2 cache (thin
 * products: K is 6 or 16 rows); a chunk is one sample (CHUNK_SAMPLES), so the
 * workspace is bounded whatever the batch. The backward's first pass
 * moves dy [n, K, OH, OW] into the chunk's [K, n OH OW], masked by a fused ReLU and
 * summed for the bias gradient on the way. The forward goes one sample at a time (see
 * nn_cpu_conv2d), the bias and the ReLU of a conv + ReLU pair in one pass after it.
 *
 * GCC would turn the short row copies and fills of im2col (28 and 10 floats on LeNet)
 * into calls of memcpy and memset, which cost more than the copies: the pragma below
 * keeps them loops. */
#include <cblas.h>
#include <math.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) /* clang (the fuzz build) has no such pragma */
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

#include "conv_cpu.h"
#include "train_internal.h"

/* Samples a chunk of the backward takes: one. Chunks of 2 to 4 measured no faster, and
 * with one the products have the shapes they had before chunks, so that training gives
 * the same bits as it did (lesson 14's claims compare two nets epoch by epoch, a
 * rounding apart); the chunk machinery stays for a backend or shapes that gain. */
enum { CHUNK_SAMPLES = 1 };

/* Floats a sample takes in the scratch: its im2col rows and its output (or dy) rows. */
static int64_t per_sample(const nn_conv_geom *g) {
    return ((int64_t)g->C * g->kh * g->kw + g->K) * g->OH * g->OW;
}

/* Samples per chunk: at least one, at most the batch. */
static int chunk_of(const nn_conv_geom *g) {
    return g->B < CHUNK_SAMPLES ? (g->B < 1 ? 1 : g->B) : CHUNK_SAMPLES;
}

int64_t nn_cpu_conv2d_scratch(const nn_conv_geom *g) {
    int64_t n = chunk_of(g) * per_sample(g);
    int64_t d = nn_cpu_conv_direct_scratch(g); /* whether on or off: tests switch */
    return d > n ? d : n;
}

/* The outputs o in [*lo, *hi) of n_out whose input o*stride + offset lies in [0, n_in):
 * the span of a row (or of the rows) that reads no padding. */
static void inside(int n_out, int stride, int offset, int n_in, int *lo, int *hi) {
    int a = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    int b = n_in - offset <= 0 ? 0 : (n_in - offset + stride - 1) / stride;
    *lo = a < n_out ? a : n_out;
    *hi = b < n_out ? b : n_out;
    if (*hi < *lo) *hi = *lo;
}

/* col[(c*kh + i)*kw + j][oh*OW + ow] (rows ld floats apart) = x[c, oh*sh - pt + i*dh,
 * ow*sw - pl + j*dw] of one sample, 0 in the padding: the rows a group's gemm reads are
 * contiguous. Each row of col is zeros, a strided (with stride 1: copied) run of one
 * input row, and zeros. */
NN_VECTOR_CLONES static void im2col(const nn_conv_geom *g, const float *restrict x,
                                    float *restrict col, int64_t ld) {
    int OW = g->OW;
    for (int c = 0; c < g->C; c++)
        for (int i = 0; i < g->kh; i++) {
            int h0 = i * g->dh - g->pt, oh_lo, oh_hi;
            inside(g->OH, g->sh, h0, g->H, &oh_lo, &oh_hi);
            const float *xc = x + (int64_t)c * g->H * g->W;
            for (int j = 0; j < g->kw; j++) {
                float *restrict row = col + ((int64_t)(c * g->kh + i) * g->kw + j) * ld;
                int w0 = j * g->dw - g->pl, lo, hi;
                inside(OW, g->sw, w0, g->W, &lo, &hi);
                for (int64_t p = 0; p < (int64_t)oh_lo * OW; p++) row[p] = 0.0f;
                for (int oh = oh_lo; oh < oh_hi; oh++) {
                    float *restrict r = row + (int64_t)oh * OW;
                    const float *restrict xr = xc + (int64_t)(oh * g->sh + h0) * g->W + w0;
                    for (int ow = 0; ow < lo; ow++) r[ow] = 0.0f;
                    if (g->sw == 1)
                        for (int ow = lo; ow < hi; ow++) r[ow] = xr[ow];
                    else
                        for (int ow = lo; ow < hi; ow++) r[ow] = xr[ow * g->sw];
                    for (int ow = hi; ow < OW; ow++) r[ow] = 0.0f;
                }
                for (int64_t p = (int64_t)oh_hi * OW; p < (int64_t)g->OH * OW; p++) row[p] = 0.0f;
            }
        }
}

/* im2col's adjoint: x[c, at] += col[row][pos] over every position reading it. */
NN_VECTOR_CLONES static void col2im_add(const nn_conv_geom *g, const float *restrict col,
                                        int64_t ld, float *restrict x) {
    for (int c = 0; c < g->C; c++)
        for (int i = 0; i < g->kh; i++) {
            int h0 = i * g->dh - g->pt, oh_lo, oh_hi;
            inside(g->OH, g->sh, h0, g->H, &oh_lo, &oh_hi);
            float *xc = x + (int64_t)c * g->H * g->W;
            for (int j = 0; j < g->kw; j++) {
                const float *row = col + ((int64_t)(c * g->kh + i) * g->kw + j) * ld;
                int w0 = j * g->dw - g->pl, lo, hi;
                inside(g->OW, g->sw, w0, g->W, &lo, &hi);
                for (int oh = oh_lo; oh < oh_hi; oh++) {
                    const float *restrict r = row + (int64_t)oh * g->OW;
                    float *restrict xr = xc + (int64_t)(oh * g->sh + h0) * g->W + w0;
                    if (g->sw == 1)
                        for (int ow = lo; ow < hi; ow++) xr[ow] += r[ow];
                    else
                        for (int ow = lo; ow < hi; ow++) xr[ow * g->sw] += r[ow];
                }
            }
        }
}

/* y[p] += b, then max(0, .) (NaN to 0, as the ReLU's) with relu. Two functions: GCC
 * vectorizes neither loop behind a test of relu. */
NN_VECTOR_CLONES static void add_bias(float *y, int64_t n, float b) {
    for (int64_t p = 0; p < n; p++) y[p] += b;
}

NN_VECTOR_CLONES static void add_bias_relu(float *y, int64_t n, float b) {
    for (int64_t p = 0; p < n; p++) {
        float v = y[p] + b;
        y[p] = v > 0.0f ? v : 0.0f;
    }
}

/* d[p] = dy[p], or 0 where relu_y[p] <= 0 (the ReLU's gradient); returns the sum of
 * d, added in order (the bias gradient's rounding as it was). */
NN_VECTOR_CLONES static float in_row(float *restrict d, const float *restrict dy,
                                     const float *restrict relu_y, int64_t n) {
    if (relu_y)
        for (int64_t p = 0; p < n; p++) d[p] = relu_y[p] > 0.0f ? dy[p] : 0.0f;
    else
        for (int64_t p = 0; p < n; p++) d[p] = dy[p];
    float sum = 0.0f;
    for (int64_t p = 0; p < n; p++) sum += d[p];
    return sum;
}

/* Per sample and group: y_g [K/G, OH OW] = w_g [K/G, patch] col_g [patch, OH OW], then
 * the bias and the ReLU in one pass. The forward goes a sample at a time, so that a
 * sample's outputs are the same bits in any batch (a product's rounding may depend on
 * its width); it measured no slower than chunks of 2 to 4 (bench/lenet.sh's shapes). */
void nn_cpu_conv2d(const nn_conv_geom *g, const float *x, const float *w, const float *bias,
                   bool relu, float *y, float *col) {
    int ohw = g->OH * g->OW, kg = g->K / g->groups, cg = g->C / g->groups;
    int patch = cg * g->kh * g->kw;
    int64_t chw = (int64_t)g->C * g->H * g->W;
    if (nn_cpu_conv_direct_applies(g)) {
        nn_cpu_conv_direct(g, x, w, bias, relu, y, col);
        return;
    }
    for (int b = 0; b < g->B; b++) {
        float *yb = y + (int64_t)b * g->K * ohw;
        im2col(g, x + b * chw, col, ohw);
        for (int gr = 0; gr < g->groups; gr++)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kg, ohw, patch, 1.0f,
                        w + (int64_t)gr * kg * patch, patch, col + (int64_t)gr * patch * ohw, ohw,
                        0.0f, yb + (int64_t)gr * kg * ohw, ohw);
        if (relu)
            for (int k = 0; k < g->K; k++)
                add_bias_relu(yb + (int64_t)k * ohw, ohw, bias ? bias[k] : 0.0f);
        else if (bias)
            for (int k = 0; k < g->K; k++) add_bias(yb + (int64_t)k * ohw, ohw, bias[k]);
    }
}

/* forward y_g = w_g col_g + b (then the ReLU when relu_y): per chunk, dyc = dy moved
 * to [K, n OH OW] (masked by relu_y > 0), db += its row sums, dw_g += dyc_g col_g^T,
 * and dcol_g = w_g^T dyc_g, whose col2im adds into dx. */
void nn_cpu_conv2d_back(const nn_conv_geom *g, const float *x, const float *w, const float *relu_y,
                        const float *dy, float *dw, float *db, float *dx, float *col) {
    int ohw = g->OH * g->OW, kg = g->K / g->groups, cg = g->C / g->groups;
    int patch = cg * g->kh * g->kw, rows = g->C * g->kh * g->kw, nb = chunk_of(g);
    int64_t chw = (int64_t)g->C * g->H * g->W;
    if (nn_cpu_conv_direct_applies(g)) {
        nn_cpu_conv_direct_back(g, x, w, relu_y, dy, dw, db, dx, col);
        return;
    }
    for (int b0 = 0; b0 < g->B; b0 += nb) {
        int n = g->B - b0 < nb ? g->B - b0 : nb;
        int64_t ld = (int64_t)n * ohw;
        float *dyc = col + rows * ld;
        for (int s = 0; s < n; s++)
            for (int k = 0; k < g->K; k++) {
                int64_t at = ((int64_t)(b0 + s) * g->K + k) * ohw;
                float sum = in_row(dyc + k * ld + (int64_t)s * ohw, dy + at,
                                   relu_y ? relu_y + at : NULL, ohw);
                if (db) db[k] += sum;
            }
        if (dw) {
            for (int s = 0; s < n; s++) im2col(g, x + (b0 + s) * chw, col + (int64_t)s * ohw, ld);
            for (int gr = 0; gr < g->groups; gr++)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, kg, patch, (int)ld, 1.0f,
                            dyc + (int64_t)gr * kg * ld, (int)ld, col + (int64_t)gr * patch * ld,
                            (int)ld, 1.0f, dw + (int64_t)gr * kg * patch, patch);
        }
        if (dx) {
            for (int gr = 0; gr < g->groups; gr++)
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, patch, (int)ld, kg, 1.0f,
                            w + (int64_t)gr * kg * patch, patch, dyc + (int64_t)gr * kg * ld,
                            (int)ld, 0.0f, col + (int64_t)gr * patch * ld, (int)ld);
            for (int s = 0; s < n; s++)
                col2im_add(g, col + (int64_t)s * ohw, ld, dx + (b0 + s) * chw);
        }
    }
}

static bool use_pool_rows = true;

void nn_cpu_pool_rows_enable(bool on) {
    use_pool_rows = on;
}

/* Max pooling over 2x2 windows with stride 2, no dilation and no padding (LeNet's, and
 * most nets'): the general loop below with its bounds checks gone, the same first largest
 * value (row-major order within the window, strict comparisons). */
static bool is_max_2x2(int kind, const nn_conv_geom *g) {
    return kind == NN_POOL_MAX && g->kh == 2 && g->kw == 2 && g->sh == 2 && g->sw == 2 &&
           g->dh == 1 && g->dw == 1 && g->pt == 0 && g->pl == 0 && 2 * g->OH <= g->H &&
           2 * g->OW <= g->W;
}

NN_VECTOR_CLONES static void max_pool_2x2(const nn_conv_geom *g, const float *restrict x,
                                          float *restrict y, float *restrict idx) {
    for (int64_t bc = 0; bc < (int64_t)g->B * g->C; bc++) {
        const float *xc = x + bc * g->H * g->W;
        for (int oh = 0; oh < g->OH; oh++) {
            const float *r0 = xc + (int64_t)(2 * oh) * g->W, *r1 = r0 + g->W;
            int64_t o = (bc * g->OH + oh) * g->OW;
            for (int ow = 0; ow < g->OW; ow++) {
                int at = 2 * ow;
                float best = r0[at];
                if (r0[2 * ow + 1] > best) best = r0[2 * ow + 1], at = 2 * ow + 1;
                if (r1[2 * ow] > best) best = r1[2 * ow], at = g->W + 2 * ow;
                if (r1[2 * ow + 1] > best) best = r1[2 * ow + 1], at = g->W + 2 * ow + 1;
                y[o + ow] = best;
                idx[o + ow] = (float)(2 * oh * g->W + at);
            }
        }
    }
}

/* Its backward when the windows tile the map exactly: every input position is written
 * once, dy where it was its window's largest, else 0 (no fill before). */
NN_VECTOR_CLONES static void max_pool_2x2_back(const nn_conv_geom *g, const float *restrict dy,
                                               const float *restrict idx, float *restrict dx) {
    for (int64_t bc = 0; bc < (int64_t)g->B * g->C; bc++) {
        float *dc = dx + bc * g->H * g->W;
        for (int oh = 0; oh < g->OH; oh++) {
            float *r0 = dc + (int64_t)(2 * oh) * g->W, *r1 = r0 + g->W;
            int64_t o = (bc * g->OH + oh) * g->OW;
            int base = 2 * oh * g->W;
            for (int ow = 0; ow < g->OW; ow++) {
                int at = (int)idx[o + ow] - base;
                float d = dy[o + ow];
                r0[2 * ow] = at == 2 * ow ? d : 0.0f;
                r0[2 * ow + 1] = at == 2 * ow + 1 ? d : 0.0f;
                r1[2 * ow] = at == g->W + 2 * ow ? d : 0.0f;
                r1[2 * ow + 1] = at == g->W + 2 * ow + 1 ? d : 0.0f;
            }
        }
    }
}

void nn_cpu_pool2d(int kind, const nn_conv_geom *g, const float *x, float *y, float *idx) {
    if (is_max_2x2(kind, g)) {
        if (use_pool_rows && nn_cpu_max_pool_2x2_rows_apply(g))
            nn_cpu_max_pool_2x2_rows(g, x, y, idx);
        else
            max_pool_2x2(g, x, y, idx);
        return;
    }
    float inv = 1.0f / (float)(g->kh * g->kw);
    for (int64_t bc = 0; bc < (int64_t)g->B * g->C; bc++) {
        const float *xc = x + bc * g->H * g->W;
        for (int oh = 0; oh < g->OH; oh++)
            for (int ow = 0; ow < g->OW; ow++) {
                int64_t o = (bc * g->OH + oh) * g->OW + ow;
                float best = -INFINITY, sum = 0.0f;
                int64_t at = -1;
                for (int i = 0; i < g->kh; i++) {
                    int h = oh * g->sh - g->pt + i * g->dh;
                    if (h < 0 || h >= g->H) continue;
                    for (int j = 0; j < g->kw; j++) {
                        int w = ow * g->sw - g->pl + j * g->dw;
                        if (w < 0 || w >= g->W) continue;
                        float v = xc[(int64_t)h * g->W + w];
                        sum += v;
                        if (at < 0 || v > best) best = v, at = (int64_t)h * g->W + w;
                    }
                }
                if (kind == NN_POOL_MAX) {
                    y[o] = best;
                    idx[o] = (float)at;
                } else {
                    y[o] = sum * inv;
                }
            }
    }
}

void nn_cpu_pool2d_back(int kind, const nn_conv_geom *g, const float *dy, const float *idx,
                        float *dx, bool assign) {
    if (assign && is_max_2x2(kind, g) && 2 * g->OH == g->H && 2 * g->OW == g->W) {
        if (use_pool_rows && nn_cpu_max_pool_2x2_rows_apply(g))
            nn_cpu_max_pool_2x2_rows_back(g, dy, idx, dx);
        else
            max_pool_2x2_back(g, dy, idx, dx);
        return;
    }
    if (assign) memset(dx, 0, sizeof(float) * (size_t)((int64_t)g->B * g->C * g->H * g->W));
    float inv = 1.0f / (float)(g->kh * g->kw);
    for (int64_t bc = 0; bc < (int64_t)g->B * g->C; bc++) {
        float *dc = dx + bc * g->H * g->W;
        for (int oh = 0; oh < g->OH; oh++)
            for (int ow = 0; ow < g->OW; ow++) {
                int64_t o = (bc * g->OH + oh) * g->OW + ow;
                if (kind == NN_POOL_MAX) {
                    dc[(int64_t)idx[o]] += dy[o];
                    continue;
                }
                for (int i = 0; i < g->kh; i++) {
                    int h = oh * g->sh - g->pt + i * g->dh;
                    if (h < 0 || h >= g->H) continue;
                    for (int j = 0; j < g->kw; j++) {
                        int w = ow * g->sw - g->pl + j * g->dw;
                        if (w >= 0 && w < g->W) dc[(int64_t)h * g->W + w] += dy[o] * inv;
                    }
                }
            }
    }
}
