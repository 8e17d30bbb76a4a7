/* rnn_lstm_cpu.c: the LSTM's whole recurrence in one call (the backend's lstm_seq) on
 * CPUs with AVX-512: W_h packed once a pass, each step's h W_h a register-blocked
 * product (6 rows by the four gates of 16 units) whose gates are activated as they leave
 * the registers, and in backward each step's dA W_h^T the same way from a packed W_h^T.
 * One gemm call a step made OpenBLAS repack W_h 32 times a pass (an eighth of the
 * char-LSTM's step) and write the pre-activations out and read them back. After the
 * backward, lstm_seq_grads makes dW and db in one pass over dA (no packing of dA, which
 * was a twelfth of the LSTM in OpenBLAS).
 * The rows of the batch are independent in the recurrence: with two threads each runs
 * chunks of them (a quarter of the batch each, claimed as a thread comes free) through
 * every step, and a row's numbers do not depend on the split; the weight gradient
 * splits its columns instead (blocks of 64, claimed the same way), each summed over the
 * rows in order. Claimed chunks rather than fixed halves: a worker that starts late or
 * is held up by another program takes what is left, and the caller never waits for a
 * half that the worker has claimed but not yet run.
 * Elsewhere (no AVX-512, H not a multiple of 16) it declines and the module runs the
 * per-step path (rnn_cpu.c's cells and gemm), which the tests compare it with. */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "parallel.h"
#include "rnn_cpu.h"
#include "train_internal.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define HAVE_LSTM_AVX512 1
#include <immintrin.h>
#endif

bool nn_cpu_lstm_fast = true;

#ifdef HAVE_LSTM_AVX512

#define AVX512 __attribute__((target("avx512f")))
#define INL    static inline __attribute__((always_inline, target("avx512f")))
#define V      16 /* floats a vector */
#define R      4  /* a thread's chunk of rows is whole multiples of this */

/* e^x as train_internal.h's nn_fexp, 16 at a time: x = n ln 2 + r, e^r by its degree-6 Taylor
 * polynomial, times 2^n built in the exponent bits; x clamped to [-87, 87]. */
INL __m512 vexp(__m512 x) {
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.0f)), _mm512_set1_ps(87.0f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145752f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.42860677e-6f), r);
    __m512 p = _mm512_set1_ps(1.38888889e-3f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.33333333e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.16666667e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.66666667e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n); /* p 2^n in one instruction, exact as the product was */
}

/* 1 / x by the 14-bit estimate and one Newton step (relative error about 1e-8, within
 * a float's rounding): a division's throughput was a third of the gates' time. */
INL __m512 vrcp(__m512 x) {
    __m512 r = _mm512_rcp14_ps(x);
    return _mm512_fmadd_ps(r, _mm512_fnmadd_ps(x, r, _mm512_set1_ps(1.0f)), r);
}

INL __m512 vsigm(__m512 x) {
    __m512 one = _mm512_set1_ps(1.0f);
    return vrcp(_mm512_add_ps(one, vexp(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

/* tanh x = 1 - 2 / (e^{2x} + 1) */
INL __m512 vtanh(__m512 x) {
    __m512 one = _mm512_set1_ps(1.0f);
    __m512 r = vrcp(_mm512_add_ps(vexp(_mm512_add_ps(x, x)), one));
    return _mm512_fnmadd_ps(_mm512_set1_ps(2.0f), r, one);
}

/* Forward pack of W [H + F, 4H] (the rows of h, then of x): for each block of 16 units
 * u, for each row kk, the four gates' 16 weights: P[((u K + kk) 4 + g) 16 + v] =
 * W[kk][g H + 16 u + v], K = H + F. */
static void pack_fwd(int H, int F, const float *W, float *P) {
    int64_t GH = 4 * (int64_t)H, K = (int64_t)H + F;
    for (int u = 0; u < H / V; u++)
        for (int64_t kk = 0; kk < K; kk++)
            for (int g = 0; g < 4; g++)
                memcpy(P + (((int64_t)u * K + kk) * 4 + g) * V, W + kk * GH + g * H + u * V,
                       sizeof(float) * V);
}

/* r[i] = column i of the 16 x 16 block whose rows were r[0..16): pairs of rows
 * interleaved, then groups of four, then the 128-bit lanes twice. */
INL void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 16; i += 2)
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]), t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    for (int i = 0; i < 16; i += 4) { /* r[i + c]: columns c, c + 4, c + 8, c + 12 */
        r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
        r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
        r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int h = 0; h < 16; h += 8) /* t[h + c]: columns c, c + 8; t[h + 4 + c]: c + 4, c + 12 */
        for (int c = 0; c < 4; c++) {
            t[h + c] = _mm512_shuffle_f32x4(r[h + c], r[h + 4 + c], 0x88);
            t[h + 4 + c] = _mm512_shuffle_f32x4(r[h + c], r[h + 4 + c], 0xDD);
        }
    for (int c = 0; c < 8; c++) {
        r[c] = _mm512_shuffle_f32x4(t[c], t[8 + c], 0x88);
        r[c + 8] = _mm512_shuffle_f32x4(t[c], t[8 + c], 0xDD);
    }
}

/* Backward pack of W^T by blocks of 16 of W's rows j (those of W_h, then W_x's when
 * nj covers them): P[(j 4H + kk) 16 + v] = W[16 j + v][kk], 16 x 16 blocks transposed in
 * registers (element by element it was a fiftieth of the step). */
AVX512 static void pack_back(int H, int nj, const float *W, float *P) {
    int64_t GH = 4 * (int64_t)H;
    for (int j = 0; j < nj; j++)
        for (int64_t kk = 0; kk < GH; kk += V) {
            __m512 r[16];
            for (int v = 0; v < V; v++) r[v] = _mm512_loadu_ps(W + (j * V + v) * GH + kk);
            transpose16(r);
            for (int i = 0; i < V; i++) _mm512_storeu_ps(P + ((int64_t)j * GH + kk + i) * V, r[i]);
        }
}

static bool is_pad(const nn_lstm_seq *q, int b, int t) {
    return q->mask && q->mask[(int64_t)b * q->T + t] == 0.0f;
}

/* acc[r][g] += sum over kk < K of src[r][kk] P[kk][g] for NR rows (P: a block's packed
 * rows). */
INL void gate_products(__m512 acc[6][4], const float *const src[6], const int NR, const float *P,
                       int K) {
    for (int kk = 0; kk < K; kk++) {
        const float *w = P + (int64_t)kk * 4 * V;
        __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(w + V),
               w2 = _mm512_loadu_ps(w + 2 * V), w3 = _mm512_loadu_ps(w + 3 * V);
#pragma GCC unroll 6
        for (int r = 0; r < NR; r++) {
            __m512 x = _mm512_set1_ps(src[r][kk]);
            acc[r][0] = _mm512_fmadd_ps(x, w0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(x, w1, acc[r][1]);
            acc[r][2] = _mm512_fmadd_ps(x, w2, acc[r][2]);
            acc[r][3] = _mm512_fmadd_ps(x, w3, acc[r][3]);
        }
    }
}

/* Row b's 16 units from u0 at step k (time t) from their pre-activations a: the gates,
 * the cell and the state, or the state carried over a padding step. */
INL void fwd_cell(const nn_lstm_seq *q, int k, int t, int b, int u0, __m512 a0, __m512 a1,
                  __m512 a2, __m512 a3) {
    int64_t H = q->H, BH = (int64_t)q->B * H, o = (int64_t)b * H + u0;
    const float *h0 = q->hs + k * BH, *c0 = q->cs + k * BH;
    float *h1 = q->hs + (k + 1) * BH, *c1 = q->cs + (k + 1) * BH;
    float *out = q->out ? q->out + ((int64_t)b * q->T + t) * q->ldo + u0 : NULL;
    if (is_pad(q, b, t)) {
        memcpy(h1 + o, h0 + o, sizeof(float) * V);
        memcpy(c1 + o, c0 + o, sizeof(float) * V);
        if (out) memset(out, 0, sizeof(float) * V);
        return;
    }
    float *g = q->gates + k * BH * 4 + (int64_t)b * 4 * H + u0;
    __m512 f = vsigm(a0), i = vsigm(a1), cc = vtanh(a2), og = vsigm(a3);
    __m512 c = _mm512_fmadd_ps(f, _mm512_loadu_ps(c0 + o), _mm512_mul_ps(i, cc));
    __m512 tc = vtanh(c), h = _mm512_mul_ps(og, tc);
    _mm512_storeu_ps(g, f), _mm512_storeu_ps(g + H, i);
    _mm512_storeu_ps(g + 2 * H, cc), _mm512_storeu_ps(g + 3 * H, og);
    _mm512_storeu_ps(c1 + o, c), _mm512_storeu_ps(q->tc + k * BH + o, tc);
    _mm512_storeu_ps(h1 + o, h);
    if (out) _mm512_storeu_ps(out, h);
}

/* NR rows from rb, 16 units from u0, at step k: the pre-activations b + h_k W_h + x_k
 * W_x (the concatenated [h, x] times W, one product) in registers, then each row's cell. */
INL void fwd_block(const nn_lstm_seq *q, int k, int t, int u, int rb, const int NR) {
    int H = q->H, F = q->F, u0 = u * V;
    int64_t BH = (int64_t)q->B * H, K = (int64_t)H + F;
    const float *P = q->pack + (int64_t)u * K * 4 * V;
    const float *hr[6], *xr[6];
    for (int r = 0; r < NR; r++) {
        hr[r] = q->hs + k * BH + (int64_t)(rb + r) * H;
        xr[r] = q->x + (k * (int64_t)q->B + rb + r) * F;
    }
    __m512 acc[6][4];
#pragma GCC unroll 6
    for (int r = 0; r < NR; r++)
#pragma GCC unroll 4
        for (int g = 0; g < 4; g++) acc[r][g] = _mm512_loadu_ps(q->bias + g * H + u0);
    gate_products(acc, hr, NR, P, H);
    gate_products(acc, xr, NR, P + (int64_t)H * 4 * V, F);
#pragma GCC unroll 6
    for (int r = 0; r < NR; r++)
        fwd_cell(q, k, t, rb + r, u0, acc[r][0], acc[r][1], acc[r][2], acc[r][3]);
}

/* Step k (time t) of rows [b0, b1), by blocks of 16 units (each block's packed weights
 * stay in L1 over the rows) and of 6 rows (24 accumulators: a weight load feeds six
 * FMAs, four with blocks of 4), the last ones 4 and the rest. */
AVX512 static void fwd_step(const nn_lstm_seq *q, int k, int b0, int b1) {
    int t = q->reverse ? q->T - 1 - k : k;
    for (int u = 0; u < q->H / V; u++)
        for (int rb = b0; rb < b1;) {
            int n = b1 - rb, nr = n >= 10 ? 6 : n > 6 ? 4 : n;
            switch (nr) {
            case 6:
                fwd_block(q, k, t, u, rb, 6);
                break;
            case 5:
                fwd_block(q, k, t, u, rb, 5);
                break;
            case 4:
                fwd_block(q, k, t, u, rb, 4);
                break;
            case 3:
                fwd_block(q, k, t, u, rb, 3);
                break;
            case 2:
                fwd_block(q, k, t, u, rb, 2);
                break;
            default:
                fwd_block(q, k, t, u, rb, 1);
                break;
            }
            rb += nr;
        }
}

/* The cell's backward at step k for row b (rnn_cpu.c's lstm_row_back, with the forward's
 * tanh(c)): dh gets dy_t, then dA into dhp, dc = dC f, dh = 0 (the part through
 * W_h is bwd_product's). */
AVX512 static void bwd_cell(const nn_lstm_seq *q, int k, int b) {
    int B = q->B, T = q->T, H = q->H, t = q->reverse ? T - 1 - k : k;
    int64_t GH = 4 * (int64_t)H, BH = (int64_t)B * H, o = (int64_t)b * H;
    float *dh = q->dh + o, *dc = q->dc + o;
    float *dp = q->dhp + k * BH * 4 + b * GH;
    bool pad = is_pad(q, b, t);
    const float *dy = q->dy && !pad ? q->dy + ((int64_t)b * T + t) * q->ldy : NULL;
    if (q->rowsq) { /* 16 float lanes, then their sum in double (mod_rnn.c's row_sq
                     * has 8: the same to a float's rounding) */
        __m512 acc = _mm512_setzero_ps();
        for (int j = 0; j < H; j += V) {
            __m512 e = _mm512_loadu_ps(dh + j);
            if (dy) e = _mm512_add_ps(e, _mm512_loadu_ps(dy + j));
            acc = _mm512_fmadd_ps(e, e, acc);
        }
        float lanes[V];
        _mm512_storeu_ps(lanes, acc);
        double s = 0;
        for (int v = 0; v < V; v++) s += lanes[v];
        q->rowsq[(int64_t)t * B + b] = s;
    }
    if (pad) {
        memset(dp, 0, sizeof(float) * GH);
        return;
    }
    const float *g = q->gates + k * BH * 4 + b * GH, *c0 = q->cs + k * BH + o,
                *tcs = q->tc + k * BH + o;
    __m512 one = _mm512_set1_ps(1.0f);
    for (int j = 0; j < H; j += V) {
        __m512 d = _mm512_loadu_ps(dh + j);
        if (dy) d = _mm512_add_ps(d, _mm512_loadu_ps(dy + j));
        __m512 f = _mm512_loadu_ps(g + j), i = _mm512_loadu_ps(g + H + j),
               cc = _mm512_loadu_ps(g + 2 * H + j), og = _mm512_loadu_ps(g + 3 * H + j),
               tc = _mm512_loadu_ps(tcs + j);
        __m512 dC =
            _mm512_add_ps(_mm512_loadu_ps(dc + j),
                          _mm512_mul_ps(_mm512_mul_ps(d, og), _mm512_fnmadd_ps(tc, tc, one)));
        __m512 df = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(dC, _mm512_loadu_ps(c0 + j)), f),
                                  _mm512_sub_ps(one, f));
        __m512 di = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(dC, cc), i), _mm512_sub_ps(one, i));
        __m512 dcc = _mm512_mul_ps(_mm512_mul_ps(dC, i), _mm512_fnmadd_ps(cc, cc, one));
        __m512 dout =
            _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(d, tc), og), _mm512_sub_ps(one, og));
        _mm512_storeu_ps(dp + j, df), _mm512_storeu_ps(dp + H + j, di);
        _mm512_storeu_ps(dp + 2 * H + j, dcc), _mm512_storeu_ps(dp + 3 * H + j, dout);
        _mm512_storeu_ps(dc + j, _mm512_mul_ps(dC, f));
        _mm512_storeu_ps(dh + j, _mm512_setzero_ps());
    }
}

/* out[rows rb..rb+n) (+)= dA[.., kk0..kk1) W^T[kk0..kk1) over NJ blocks of 16 of W's
 * rows from j0 (packed by pack_back), row r of out at out + r ld, its columns from 16 c0;
 * accumulates when asked (dh, and a later part of kk), else assigns (dx's first part).
 * A block short of its NR rows repeats its first row in the others and stores only its
 * own (a row's sums are the same whatever the block). */
INL void bwd_block(const nn_lstm_seq *q, const float *dA, int rb, const int NR, int n, int j0,
                   const int NJ, float *out, int64_t ld, int c0, bool accumulate, int64_t kk0,
                   int64_t kk1) {
    int64_t GH = 4 * (int64_t)q->H;
    const float *ar[6];
    for (int r = 0; r < NR; r++) ar[r] = dA + (int64_t)(rb + (r < n ? r : 0)) * GH;
    __m512 acc[6][4];
#pragma GCC unroll 6
    for (int r = 0; r < NR; r++)
#pragma GCC unroll 4
        for (int j = 0; j < NJ; j++)
            acc[r][j] = r < n && accumulate
                            ? _mm512_loadu_ps(out + (int64_t)(rb + r) * ld + (c0 + j) * V)
                            : _mm512_setzero_ps();
    const float *P = q->pack + (int64_t)j0 * GH * V;
    for (int64_t kk = kk0; kk < kk1; kk++) {
        __m512 w[4];
#pragma GCC unroll 4
        for (int j = 0; j < NJ; j++) w[j] = _mm512_loadu_ps(P + ((int64_t)j * GH + kk) * V);
#pragma GCC unroll 6
        for (int r = 0; r < NR; r++) {
            __m512 x = _mm512_set1_ps(ar[r][kk]);
#pragma GCC unroll 4
            for (int j = 0; j < NJ; j++) acc[r][j] = _mm512_fmadd_ps(x, w[j], acc[r][j]);
        }
    }
#pragma GCC unroll 6
    for (int r = 0; r < NR; r++)
        if (r < n)
#pragma GCC unroll 4
            for (int j = 0; j < NJ; j++)
                _mm512_storeu_ps(out + (int64_t)(rb + r) * ld + (c0 + j) * V, acc[r][j]);
}

/* The rows [b0, b1) of one group of NJ blocks: by parts of 128 of dA's columns (the
 * group's packed W^T part, 32 KiB at most, stays in L1 over the rows; each sum still
 * runs over kk in order), blocks of 6 rows, the last ones of 4. */
INL void bwd_group(const nn_lstm_seq *q, const float *dA, int b0, int b1, int j0, const int NJ,
                   float *out, int64_t ld, int c0, bool accumulate) {
    int64_t GH = 4 * (int64_t)q->H;
    for (int64_t kk = 0; kk < GH; kk += 128) {
        int64_t ke = kk + 128 < GH ? kk + 128 : GH;
        bool acc = accumulate || kk > 0;
        for (int rb = b0; rb < b1;) {
            int n = b1 - rb;
            if (n >= 10) {
                bwd_block(q, dA, rb, 6, 6, j0, NJ, out, ld, c0, acc, kk, ke);
                rb += 6;
            } else {
                bwd_block(q, dA, rb, 4, n < 4 ? n : 4, j0, NJ, out, ld, c0, acc, kk, ke);
                rb += 4;
            }
        }
    }
}

/* Step k's backward for rows [b0, b1): the cells, then dh += dA W_h^T and (when q->dx)
 * dx_k = dA W_x^T, by groups of 4 blocks of 16 columns (then 2, then 1). */
AVX512 static void bwd_step(const nn_lstm_seq *q, int k, int b0, int b1) {
    int B = q->B, H = q->H, F = q->F, nh = H / V, nx = q->dx ? F / V : 0;
    int64_t BH = (int64_t)B * H;
    for (int b = b0; b < b1; b++) bwd_cell(q, k, b);
    const float *dA = q->dhp + k * BH * 4;
    float *dx = q->dx ? q->dx + (int64_t)k * B * F : NULL;
    for (int part = 0; part < 2; part++) {
        int nb = part ? nx : nh, jb = part ? nh : 0;
        float *out = part ? dx : q->dh;
        int64_t ld = part ? F : H;
        for (int j = 0; j < nb;) {
            if (nb - j >= 4)
                bwd_group(q, dA, b0, b1, jb + j, 4, out, ld, j, !part), j += 4;
            else if (nb - j >= 2)
                bwd_group(q, dA, b0, b1, jb + j, 2, out, ld, j, !part), j += 2;
            else
                bwd_group(q, dA, b0, b1, jb + j, 1, out, ld, j, !part), j += 1;
        }
    }
    if (q->bptt > 0 && k % q->bptt == 0) { /* a segment's start: the gradient stops */
        memset(q->dh + (int64_t)b0 * H, 0, sizeof(float) * (size_t)(b1 - b0) * H);
        memset(q->dc + (int64_t)b0 * H, 0, sizeof(float) * (size_t)(b1 - b0) * H);
    }
}

/* The weight gradient's tile: C[i][16 c..] += sum over rows r in [r0, r1) of A[r][i]
 * D[r][16 c..] for NR rows i of C (A's columns i0..) and four vectors of columns, the
 * tile in registers over the rows and D read in place (no packing: OpenBLAS's packing
 * of dA was a twelfth of the LSTM's time). Each C element sums its rows in order
 * whatever the tiling, so a thread's share of the columns does not change its bits. */
INL void grad_tile(const float *A, int64_t lda, int i0, const int NR, const float *D, int64_t ldd,
                   int64_t r0, int64_t r1, float *C, int64_t ldc) {
    __m512 acc[6][4];
#pragma GCC unroll 6
    for (int i = 0; i < NR; i++)
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++) acc[i][j] = _mm512_loadu_ps(C + (int64_t)i * ldc + j * V);
    for (int64_t r = r0; r < r1; r++) {
        const float *d = D + r * ldd, *a = A + r * lda + i0;
        __m512 d0 = _mm512_loadu_ps(d), d1 = _mm512_loadu_ps(d + V),
               d2 = _mm512_loadu_ps(d + 2 * V), d3 = _mm512_loadu_ps(d + 3 * V);
#pragma GCC unroll 6
        for (int i = 0; i < NR; i++) {
            __m512 x = _mm512_set1_ps(a[i]);
            acc[i][0] = _mm512_fmadd_ps(x, d0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(x, d1, acc[i][1]);
            acc[i][2] = _mm512_fmadd_ps(x, d2, acc[i][2]);
            acc[i][3] = _mm512_fmadd_ps(x, d3, acc[i][3]);
        }
    }
#pragma GCC unroll 6
    for (int i = 0; i < NR; i++)
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++) _mm512_storeu_ps(C + (int64_t)i * ldc + j * V, acc[i][j]);
}

/* C[n rows][64 columns] += A[rows r0..r1)[columns 0..n)]^T D[r0..r1)[64 columns], by tiles
 * of 6 rows (24 accumulators), the last ones of 4 or fewer (128 = 20 6 + 2 4). */
AVX512 static void grad_rows(const float *A, int64_t lda, int n, const float *D, int64_t ldd,
                             int64_t r0, int64_t r1, float *C, int64_t ldc) {
    int i = 0;
    for (; n - i >= 10; i += 6) grad_tile(A, lda, i, 6, D, ldd, r0, r1, C + i * ldc, ldc);
    if (n - i > 6) grad_tile(A, lda, i, 4, D, ldd, r0, r1, C + i * ldc, ldc), i += 4;
    switch (n - i) {
    case 6:
        grad_tile(A, lda, i, 6, D, ldd, r0, r1, C + i * ldc, ldc);
        break;
    case 5:
        grad_tile(A, lda, i, 5, D, ldd, r0, r1, C + i * ldc, ldc);
        break;
    case 4:
        grad_tile(A, lda, i, 4, D, ldd, r0, r1, C + i * ldc, ldc);
        break;
    case 3:
        grad_tile(A, lda, i, 3, D, ldd, r0, r1, C + i * ldc, ldc);
        break;
    case 2:
        grad_tile(A, lda, i, 2, D, ldd, r0, r1, C + i * ldc, ldc);
        break;
    case 1:
        grad_tile(A, lda, i, 1, D, ldd, r0, r1, C + i * ldc, ldc);
        break;
    default:
        break;
    }
}

typedef struct grads {
    const nn_lstm_seq *q;
    float *dW, *db;
    bool split;
    atomic_int next; /* split: the next block of 64 columns to claim */
} grads;

/* dW's columns [c, c + 64) += [H_k, X_k]^T dA and db's the column sums of dA, by blocks
 * of 64 rows of dA (a block of dA stays in L1 while every row of dW's block takes it). */
AVX512 static void grad_cols(const grads *p, int64_t c) {
    const nn_lstm_seq *q = p->q;
    int H = q->H, F = q->F;
    int64_t GH = 4 * (int64_t)H, BT = (int64_t)q->B * q->T;
    float blk[64 * 4 * V] __attribute__((aligned(64)));
    const float *D = q->dhp + c;
    __m512 s[4];
    for (int j = 0; j < 4; j++) s[j] = _mm512_loadu_ps(p->db + c + j * V);
    for (int64_t r = 0; r < BT; r += 64) {
        int64_t n = BT - r < 64 ? BT - r : 64;
        /* dA's rows lie 4H apart, which maps them onto a few of L1's sets: copied
         * together, the block stays in L1; db's sums on the way */
        for (int64_t k = 0; k < n; k++)
            for (int j = 0; j < 4; j++) {
                __m512 d = _mm512_loadu_ps(D + (r + k) * GH + j * V);
                s[j] = _mm512_add_ps(s[j], d);
                _mm512_store_ps(blk + (k * 4 + j) * V, d);
            }
        grad_rows(q->hs + r * H, H, H, blk, 4 * V, 0, n, p->dW + c, GH);
        grad_rows(q->x + r * F, F, F, blk, 4 * V, 0, n, p->dW + (int64_t)H * GH + c, GH);
    }
    for (int j = 0; j < 4; j++) _mm512_storeu_ps(p->db + c + j * V, s[j]);
}

/* One thread's share of dW and db: all blocks of 64 columns (not split), or, split, the
 * blocks it claims first: a worker that starts late, or is held up by another program,
 * still takes what is left rather than a fixed half that the caller must wait for. Each
 * column sums its rows in order whoever takes it, so the bits do not change. */
static void grad_part(void *arg, int part) {
    grads *p = arg;
    int64_t GH = 4 * (int64_t)p->q->H;
    if (!p->split) {
        if (!part)
            for (int64_t c = 0; c < GH; c += 4 * V) grad_cols(p, c);
        return;
    }
    for (int64_t c; (c = (int64_t)atomic_fetch_add(&p->next, 1) * 4 * V) < GH;) grad_cols(p, c);
}

/* A pass over the rows: all of them in part 0 (split = false), or, split, by chunks of
 * `chunk` rows that the two threads claim as they come free (as grad_part's columns; a
 * row's numbers do not depend on who runs it, so this is only speed). */
typedef struct pass {
    const nn_lstm_seq *q;
    bool backward, split;
    int chunk;
    atomic_int next;
} pass;

static void run_rows(const pass *p, int b0, int b1) {
    const nn_lstm_seq *q = p->q;
    if (p->backward)
        for (int k = q->T - 1; k >= 0; k--) bwd_step(q, k, b0, b1);
    else
        for (int k = 0; k < q->T; k++) fwd_step(q, k, b0, b1);
}

static void run_part(void *arg, int part) {
    pass *p = arg;
    int B = p->q->B;
    if (!p->split) {
        if (!part) run_rows(p, 0, B);
        return;
    }
    for (int b0; (b0 = atomic_fetch_add(&p->next, 1) * p->chunk) < B;)
        run_rows(p, b0, b0 + p->chunk < B ? b0 + p->chunk : B);
}

bool nn_cpu_lstm_seq_takes(int B, int H) {
    static int avx512 = -1;
    if (avx512 < 0) {
        __builtin_cpu_init();
        avx512 = __builtin_cpu_supports("avx512f");
    }
    return nn_cpu_lstm_fast && avx512 && B > 0 && H % V == 0;
}

bool nn_cpu_lstm_seq(const nn_lstm_seq *q, bool backward) {
    if (!nn_cpu_lstm_seq_takes(q->B, q->H) || (backward && q->dx && q->F % V != 0)) return false;
    if (backward)
        pack_back(q->H, (q->H + (q->dx ? q->F : 0)) / V, q->W, q->pack);
    else
        pack_fwd(q->H, q->F, q->W, q->pack);
    /* chunks of the rows on the engine's two threads when it may use two and the batch
     * has a few row blocks: about a quarter of the rows each (two per thread when both
     * run from the start), whole blocks of R rows */
    pass p = {.q = q, .backward = backward, .split = nn_par_threads() > 1 && q->B >= 4 * R};
    p.chunk = (q->B / 4 + R - 1) / R * R;
    atomic_init(&p.next, 0);
    if (p.split)
        nn_par_halves(run_part, &p);
    else
        run_part(&p, 0);
    return true;
}

bool nn_cpu_lstm_seq_grads(const nn_lstm_seq *q, float *dW, float *db) {
    if (!nn_cpu_lstm_seq_takes(q->B, q->H)) return false;
    grads p = {.q = q, .dW = dW, .db = db, .split = nn_par_threads() > 1};
    atomic_init(&p.next, 0);
    if (p.split)
        nn_par_halves(grad_part, &p);
    else
        grad_part(&p, 0);
    return true;
}

#else

bool nn_cpu_lstm_seq_takes(int B, int H) {
    (void)B, (void)H;
    return false;
}

bool nn_cpu_lstm_seq(const nn_lstm_seq *q, bool backward) {
    (void)q, (void)backward;
    return false;
}

bool nn_cpu_lstm_seq_grads(const nn_lstm_seq *q, float *dW, float *db) {
    (void)q, (void)dW, (void)db;
    return false;
}

#endif
