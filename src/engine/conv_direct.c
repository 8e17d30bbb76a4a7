/* conv_direct.c: direct 2-D convolution kernels for thin layers (few channels, maps at
 * most 32 wide, stride 1, one group: LeNet's), which never build im2col. Measured on
 * LeNet-5 (bench/lenet.sh), im2col, col2im and sgemm's packing of its 6- and 16-row
 * products took most of the epoch; these kernels keep their accumulators in vector
 * registers and read each input row straight from a zero-padded copy of the sample.
 *
 * Every pass is a row correlation: an output row of up to 32 positions is one or two
 * 16-lane vectors, a block of KB output channels' accumulators of it stay in registers,
 * and each tap adds a shifted input row times the tap's weight (broadcast).
 *  - forward: y[k] = sum over c, i, j of w[k,c,i,j] x_pad[c] shifted by (i dh, j dw);
 *  - input gradient: the same correlation of dy, padded by the kernel's span, with
 *    the kernels turned by 180 degrees and the roles of C and K swapped;
 *  - weight gradient: dw[k,c,i,j] = sum over samples and positions of dy[k] times
 *    x_pad[c] shifted by (i, j), a reduction: a tile of 4 channels x JT taps of 16-lane
 *    partial sums runs over a sample's rows, is kept between samples, and its lanes
 *    are summed (in a fixed order) once per batch.
 * Where a layer has more output channels (at most 16) than a row has positions (LeNet's
 * conv2: 16 channels, rows of 10), the forward pass and the 3x3 / 5x5 weight gradient
 * run over channels instead: one vector holds a position's 16 channels (kfwd, kwg), so
 * every lane works (37% fewer multiply-adds on conv2), and unpadded maps are read as
 * they are; its 3x3 / 5x5 input gradient too (kdx), which forms no product with the
 * padding of dy (the correlation above forms 70% more on conv2) and ends each input
 * position's sum over the channels with a lane sum, sixteen positions at a time. The 2x2 max pool
 * runs a row at a time, the maps in the batch's two halves. Rounding differs from sgemm's (another
 * order of the same sums); the tests hold the two paths to each other. Vectors are GCC's generic
 * vectors (16 lanes: one AVX-512 register, two AVX2 or four SSE ones), so the one source serves
 * every clone. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conv_cpu.h"
#include "parallel.h"
#include "train_internal.h"

#if defined(__GNUC__) && !defined(__clang__)
/* the generic vectors' ABI note of GCC (a 64-byte vector passed without AVX-512) does
 * not concern static functions, which are all inlined */
#pragma GCC diagnostic ignored "-Wpsabi"
/* C11 turns off the contraction of a * b + c into one FMA; these sums want it */
#pragma GCC optimize("fp-contract=fast")
/* short row copies stay loops, not calls of memcpy (see conv_cpu.c) */
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#ifndef DIRECT_CLONES /* -DDIRECT_CLONES= builds the baseline alone (a test of it) */
#define DIRECT_CLONES __attribute__((target_clones("avx512f", "avx2,fma", "default")))
#endif
/* kwg: carrying a row's x values over to the next position (GCC's predictive commoning)
 * spills them and the taps' offsets; each tap's broadcast from its row pointer does not */
#define NO_PREDICTIVE_COMMONING __attribute__((optimize("no-predictive-commoning")))
#else
/* clang: one baseline build (no clones), with the same note about inlined statics */
#define NO_PREDICTIVE_COMMONING
#pragma clang diagnostic ignored "-Wpsabi"
#define DIRECT_CLONES
#endif
#define INLINE static inline __attribute__((always_inline))
/* Loads before it stay loads of their own: a compiler barrier (no instruction) that keeps
 * GCC from folding a vector loaded once into each multiply-add that uses it. */
#define LOADS_DONE() __asm__ volatile("" ::: "memory")

enum { VL = 16, MAX_W = 2 * VL, PARTS = 2 };

typedef float v16 __attribute__((vector_size(VL * sizeof(float))));
typedef int32_t v16i __attribute__((vector_size(VL * sizeof(int32_t))));

INLINE v16 load16(const float *p) {
    v16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

INLINE void store16(float *p, v16 v) {
    memcpy(p, &v, sizeof v);
}

/* n <= 2 VL floats from p into v[0], v[1], zeros after them; whole vectors are read
 * where at least 2 VL floats remain in the array (avail). */
INLINE void load_row(const float *p, int n, int64_t avail, v16 v[2]) {
    if (avail >= 2 * VL) {
        v[0] = load16(p), v[1] = load16(p + VL);
        return;
    }
    float tmp[2 * VL] = {0};
    for (int i = 0; i < n; i++) tmp[i] = p[i];
    v[0] = load16(tmp), v[1] = load16(tmp + VL);
}

/* Lane orders of lane_sums: each step adds the lower and the upper halves of the
 * groups of its two vectors (group sizes 16, 8, 4, 2), the groups in order. */
#define HALVES_LO   0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23
#define HALVES_HI   8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31
#define QUARTERS_LO 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27
#define QUARTERS_HI 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31
#define PAIRS_LO    0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29
#define PAIRS_HI    2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31
#define EVENS       0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30
#define ODDS        1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31

/* The vector whose lane q is the sum of v[q]'s 16 lanes (in a fixed order): 15 adds and
 * 30 shuffles for 16 sums, where one horizontal sum each would take 4 adds and 4
 * shuffles. */
INLINE v16 lane_sums(const v16 v[VL]) {
    v16 h[8], q[4], p[2];
#pragma GCC unroll 8
    for (int n = 0; n < 8; n++)
        h[n] = __builtin_shufflevector(v[2 * n], v[2 * n + 1], HALVES_LO) +
               __builtin_shufflevector(v[2 * n], v[2 * n + 1], HALVES_HI);
#pragma GCC unroll 4
    for (int n = 0; n < 4; n++)
        q[n] = __builtin_shufflevector(h[2 * n], h[2 * n + 1], QUARTERS_LO) +
               __builtin_shufflevector(h[2 * n], h[2 * n + 1], QUARTERS_HI);
#pragma GCC unroll 2
    for (int n = 0; n < 2; n++)
        p[n] = __builtin_shufflevector(q[2 * n], q[2 * n + 1], PAIRS_LO) +
               __builtin_shufflevector(q[2 * n], q[2 * n + 1], PAIRS_HI);
    return __builtin_shufflevector(p[0], p[1], EVENS) + __builtin_shufflevector(p[0], p[1], ODDS);
}

/* 16 positions' lanes of the channels of r (16 vectors) from 16 channels' lanes of the
 * positions: r[q] lane k = r[k] lane q before, in four steps that each swap one bit of
 * the vector's index with one of the lane's. */
#define SWAP8_LO 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23
#define SWAP8_HI 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31
#define SWAP4_LO 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27
#define SWAP4_HI 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31
#define SWAP2_LO 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29
#define SWAP2_HI 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31
#define SWAP1_LO 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30
#define SWAP1_HI 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31
#define SWAP_STEP(S)                                                                               \
    _Pragma("GCC unroll 8") for (int t = 0; t < VL / 2; t++) {                                     \
        int q = t / (S)*2 * (S) + t % (S);                                                         \
        v16 lo = __builtin_shufflevector(r[q], r[q + (S)], SWAP##S##_LO);                          \
        v16 hi = __builtin_shufflevector(r[q], r[q + (S)], SWAP##S##_HI);                          \
        r[q] = lo, r[q + (S)] = hi;                                                                \
    }

INLINE void transpose16(v16 r[VL]){SWAP_STEP(8) SWAP_STEP(4) SWAP_STEP(2) SWAP_STEP(1)}

/* VL floats from p, zeros past the array's end (avail floats left from p). */
INLINE v16 load_avail(const float *p, int64_t avail) {
    if (avail >= VL) return load16(p);
    float tmp[VL] = {0};
    for (int64_t i = 0; i < avail; i++) tmp[i] = p[i];
    return load16(tmp);
}

static bool use_direct = true;

void nn_cpu_conv_direct_enable(bool on) {
    use_direct = on;
}

/* Thin stride-1 layers of one group with maps of at most 32 columns: LeNet's convs
 * and those of the lessons; wider or strided ones go to im2col and sgemm. */
static bool shape_fits(const nn_conv_geom *g) {
    return g->groups == 1 && g->sh == 1 && g->sw == 1 && g->OW <= MAX_W && g->W <= MAX_W &&
           g->K <= 32 && g->C <= 32 && g->kh <= 16 && g->kw <= 16 && g->dh <= 4 && g->dw <= 4 &&
           g->pt <= 64 && g->pl <= 64;
}

bool nn_cpu_conv_direct_applies(const nn_conv_geom *g) {
    return use_direct && shape_fits(g);
}

/* Positions of a block of kfwd: the candidate (at most OW) that computes the fewest
 * positions of a row, the larger on a tie. */
static const int kf_blocks[] = {4, 5, 6, 8, 10, 12};

static int kf_block_of(int ow) {
    int best = 0, cost = 0;
    for (size_t i = 0; i < sizeof kf_blocks / sizeof kf_blocks[0]; i++) {
        int pb = kf_blocks[i];
        if (pb > ow) break;
        int c = (ow + pb - 1) / pb * pb;
        if (!best || c <= cost) best = pb, cost = c;
    }
    return best;
}

/* The layout of the direct path's scratch, from the geometry. */
typedef struct layout {
    int nvo, nvi;       /* vectors of an output row (forward, weight gradient), of an input row */
    int jt, kwpad;      /* taps of the weight gradient's tile, kw rounded up to a multiple */
    int hp, wp;         /* the padded input: x_pad[c][r][s] = x[c][r - pt][s - pl] */
    int ay, ax, rq, wq; /* the padded dy: dy_pad[k][r][s] = dy[k][r - ay][s - ax] */
    int kbf, kbx, kbw;  /* channels of a register block: forward, input, weight gradients */
    bool kf, kw, kx;    /* forward, weight and input gradients over output channels */
    bool unpadded;      /* no padding: kfwd and kwg read x itself, not x_pad */
    int pb;             /* positions of kfwd's block */
    int64_t nxp, ndyp, nwf, nwx, nvdw, nvdb, ndyt, nvdk;
} layout;

static int ceil_div(int a, int b) {
    return (a + b - 1) / b;
}

static int max_int(int a, int b) {
    return a > b ? a : b;
}

/* Channels in a register block of nv-vector rows: the candidate leaving the fewest
 * padded channels, the larger on a tie (16 or 24 accumulators at most). */
static int block_of(int n, int nv) {
    static const int one[] = {4, 6, 8, 16}, two[] = {4, 6, 8, 12};
    const int *c = nv == 1 ? one : two;
    int best = c[0];
    for (int i = 1; i < 4; i++)
        if (ceil_div(n, c[i]) * c[i] <= ceil_div(n, best) * best) best = c[i];
    return best;
}

/* n floats rounded up to whole 64-byte lines: each area of the scratch starts on a line
 * (the scratch itself is aligned to one by direct_area), so that rows of whole vectors
 * at a multiple of VL floats load without crossing a line. */
static int64_t lines(int64_t n) {
    return (n + VL - 1) / VL * VL;
}

/* The layout of a pass; dx says whether the backward pass forms the input gradient,
 * line_rows whether x_pad's rows are whole 64-byte lines (layout_of). Without the input
 * gradient (a first layer's, whose input is the data) dy_pad needs no padding: only the
 * weight gradient reads it, so its rows are whole aligned vectors (ay = ax = 0, wq = VL
 * nvo) and each pass writes all of it. */
static layout layout_with(const nn_conv_geom *g, bool dx, bool line_rows) {
    layout l;
    l.nvo = ceil_div(g->OW, VL), l.nvi = ceil_div(g->W, VL);
    l.jt = g->kw <= 5 ? g->kw : 5;
    l.kwpad = ceil_div(g->kw, l.jt) * l.jt;
    l.hp = g->OH + (g->kh - 1) * g->dh;
    l.wp = (l.kwpad - 1) * g->dw + VL * l.nvo;
    if (line_rows) l.wp = (int)lines(l.wp);
    l.ay = (g->kh - 1) * g->dh, l.ax = (g->kw - 1) * g->dw;
    l.rq = l.ay + max_int(g->H + g->pt, g->OH);
    l.wq = l.ax + max_int(g->pl + VL * l.nvi, VL * l.nvo);
    if (!dx) l.ay = 0, l.ax = 0, l.rq = g->OH, l.wq = VL * l.nvo;
    l.kbf = block_of(g->K, l.nvo), l.kbx = block_of(g->C, l.nvi);
    /* over output channels where they fill more lanes than a row's positions do (LeNet's
     * conv2: 16 channels, rows of 10 in 16 lanes): 37% fewer multiply-adds */
    l.kf = g->K <= VL && g->OW >= kf_blocks[0] && g->K * l.nvo > g->OW;
    l.pb = l.kf ? kf_block_of(g->OW) : 0;
    l.unpadded = g->pt == 0 && g->pl == 0 && g->OH + (g->kh - 1) * g->dh == g->H &&
                 g->OW + (g->kw - 1) * g->dw == g->W;
    l.kw = l.kf && g->kh == g->kw && (g->kh == 3 || g->kh == 5) && g->dh == 1 && g->dw == 1;
    /* kdx's row of sums covers the dy columns and the kernel's span in 16 lanes */
    l.kx = l.kf && g->kh == g->kw && (g->kh == 3 || g->kh == 5) && g->dh == 1 && g->dw == 1 &&
           g->OW + g->kw - 1 <= VL;
    int khw = g->kh * g->kw;
    l.nxp = (int64_t)g->C * l.hp * l.wp;
    l.ndyp = (int64_t)g->K * l.rq * l.wq;
    l.nwf = (int64_t)ceil_div(g->K, l.kbf) * l.kbf * g->C * khw;
    l.nwx = (int64_t)ceil_div(g->C, l.kbx) * l.kbx * g->K * khw;
    /* the weight gradient's tile: 4 channels, or 3 where that pads fewer (LeNet's conv1:
     * 6 channels in two tiles of 3, not 8 in two of 4, a quarter fewer multiply-adds);
     * its sums per channel are the same whatever the tile */
    l.kbw = ceil_div(g->K, 3) * 3 < ceil_div(g->K, 4) * 4 ? 3 : 4;
    l.nvdw = (int64_t)ceil_div(g->K, l.kbw) * l.kbw * g->C * g->kh * l.kwpad * VL;
    l.nvdb = (int64_t)g->K * VL;
    if (l.kf && l.nwf < (int64_t)g->C * khw * VL) l.nwf = (int64_t)g->C * khw * VL;
    l.ndyt = l.kf ? (int64_t)g->OH * g->OW * VL : 0;
    l.nvdk = l.kw ? (int64_t)g->C * khw * VL : 0;
    l.nxp = lines(l.nxp), l.ndyp = lines(l.ndyp), l.nwf = lines(l.nwf), l.nwx = lines(l.nwx);
    return l;
}

/* The scratch: the packed weights, then each part's x_pad, dy_pad and partial sums. */
static int64_t part_floats(const layout *l) {
    return l->nxp + l->ndyp + l->nvdw + l->nvdb + l->ndyt + l->nvdk;
}

static int64_t layout_floats(const layout *l) {
    return VL + l->nwf + l->nwx + PARTS * part_floats(l);
}

/* The layout of a pass (dx: see layout_with). x_pad's rows are whole 64-byte lines,
 * so that the first tap's loads of a row do not cross one (LeNet's conv1 forward and
 * weight gradient), where that fits in the scratch that
 * nn_cpu_conv_direct_scratch asks for (with dx, without lines: the smallest that
 * serves every pass); the sums are the same either way. */
static layout layout_of(const nn_conv_geom *g, bool dx) {
    layout lined = layout_with(g, dx, true), least = layout_with(g, true, false);
    return layout_floats(&lined) <= layout_floats(&least) ? lined : layout_with(g, dx, false);
}

int64_t nn_cpu_conv_direct_scratch(const nn_conv_geom *g) {
    if (!shape_fits(g)) return 0;
    layout l = layout_with(g, true, false); /* dy_pad no smaller than without dx */
    return layout_floats(&l);
}

/* The scratch from its first 64-byte line (VL floats of slack were asked for). */
static float *direct_area(float *scratch) {
    uintptr_t at = (uintptr_t)scratch, line = VL * sizeof(float);
    return scratch + (line - at % line) % line / sizeof(float);
}

/* ---- the batch in two parts, the second on the engine's worker when two threads are
 * allowed (parallel.h) ---- The parts are fixed (the first and second half of the
 * batch), each with its own partial sums of the weight and bias gradients, added part 0
 * first: the numbers are the same whatever the thread count. */

/* One correlation: out[k][oh][ow] (=, or += with add) = bias[k] + sum over c < cin,
 * i < kh, j < kw of wpk(k, c, i, j) in[c][r0 + oh + i dh][s0 + ow + j dw], then max(0,
 * .) with relu. wpk holds blocks of KB channels as [block][c][i][j][KB]; the input
 * rows are readable for nv whole vectors (zeros past the map). */
typedef struct corr {
    const float *in;
    int cin, ld;
    int64_t cstride;
    int r0, s0, dh, dw, kh, kw;
    int row_lo, row_hi; /* the rows of in that may hold other than zeros */
    const float *wpk;
    int kout, OH, OW;
    const float *bias;
    bool relu, add;
    float *out;
} corr;

#define CORR_KB 4
#define CORR_NV 1
#include "conv_direct_tmpl.h"
#define CORR_KB 6
#define CORR_NV 1
#include "conv_direct_tmpl.h"
#define CORR_KB 8
#define CORR_NV 1
#include "conv_direct_tmpl.h"
#define CORR_KB 16
#define CORR_NV 1
#include "conv_direct_tmpl.h"
#define CORR_KB 4
#define CORR_NV 2
#include "conv_direct_tmpl.h"
#define CORR_KB 6
#define CORR_NV 2
#include "conv_direct_tmpl.h"
#define CORR_KB 8
#define CORR_NV 2
#include "conv_direct_tmpl.h"
#define CORR_KB 12
#define CORR_NV 2
#include "conv_direct_tmpl.h"
#define CORR_CASE(KB, NV)                                                                          \
    case (KB)*4 + (NV):                                                                            \
        corr_##KB##_##NV(a);                                                                       \
        break

static void corr_any(const corr *a, int kb, int nv) {
    switch (kb * 4 + nv) {
        CORR_CASE(4, 1);
        CORR_CASE(6, 1);
        CORR_CASE(8, 1);
        CORR_CASE(16, 1);
        CORR_CASE(4, 2);
        CORR_CASE(6, 2);
        CORR_CASE(8, 2);
        CORR_CASE(12, 2);
    default:
        break; /* block_of gives no other */
    }
}

/* The forward pass over output channels (kfwd_<PB>): x_pad (rows row_lo to row_hi
 * other than zeros) correlated with wk, [c][i][j][16] (lanes past K zeros), plus bias,
 * then max(0, .) with relu, to tmp as [position][16]. */
typedef struct kcorr {
    const float *xp, *wk, *bias;
    int C, K, kh, kw, dh, dw, ld, OH, OW, row_lo, row_hi;
    int64_t cstride;
    bool relu;
    float *tmp;
} kcorr;

#define KF_PB 4
#include "conv_direct_tmpl.h"
#define KF_PB 5
#include "conv_direct_tmpl.h"
#define KF_PB 6
#include "conv_direct_tmpl.h"
#define KF_PB 8
#include "conv_direct_tmpl.h"
#define KF_PB 10
#include "conv_direct_tmpl.h"
#define KF_PB 12
#include "conv_direct_tmpl.h"

static void kfwd_any(const kcorr *a, int pb) {
    switch (pb) {
    case 4:
        kfwd_4_1(a);
        break;
    case 5:
        kfwd_5_1(a);
        break;
    case 6:
        kfwd_6_1(a);
        break;
    case 8:
        kfwd_8_1(a);
        break;
    case 10:
        kfwd_10_1(a);
        break;
    case 12:
        kfwd_12_1(a);
        break;
    default:
        break; /* kf_block_of gives no other */
    }
}

/* The weight gradient over output channels (kwg_<T>): vdk[c][i][j][16] += sum over a
 * sample's positions of dyt[position][16] x_pad[c][oh + i][ow + j]. */
typedef struct kwgrad {
    const float *xp, *dyt;
    int C, OH, OW, ld;
    int64_t cstride;
    float *vdk;
} kwgrad;

#define KW_T 3
#include "conv_direct_tmpl.h"
#define KW_T 5
#include "conv_direct_tmpl.h"

/* The input gradient over output channels (kdx_<T>): dx[c] += the sums of dyt
 * ([position][16]) times wk ([c][i][j][16]) over every o, i, j. */
typedef struct kdgrad {
    const float *dyt, *wk;
    int C, H, W, OH, OW, pt, pl;
    float *dx;
} kdgrad;

#define KX_T 3
#include "conv_direct_tmpl.h"
#define KX_T 5
#include "conv_direct_tmpl.h"

/* y[k][position] from tmp[position][16], the first K lanes, 16 positions at a time by
 * a transpose. */
DIRECT_CLONES static void untranspose(const float *tmp, int K, int64_t n, float *y) {
    for (int64_t p0 = 0; p0 < n; p0 += VL) {
        int m = n - p0 < VL ? (int)(n - p0) : VL;
        v16 r[VL];
        if (m == VL) {
#pragma GCC unroll 16
            for (int q = 0; q < VL; q++) r[q] = load16(tmp + (p0 + q) * VL);
            transpose16(r);
            for (int k = 0; k < K; k++) store16(y + k * n + p0, r[k]);
            continue;
        }
        for (int q = 0; q < VL; q++) r[q] = q < m ? load16(tmp + (p0 + q) * VL) : (v16){0};
        transpose16(r);
        for (int k = 0; k < K; k++) {
            float lanes[VL];
            store16(lanes, r[k]);
            for (int q = 0; q < m; q++) y[k * n + p0 + q] = lanes[q];
        }
    }
}

/* wk[c][i][j][16] = w[k][c][i][j] for k < K, zeros past K. */
static void pack_lanes(const nn_conv_geom *g, const float *w, float *wk) {
    int khw = g->kh * g->kw;
    for (int c = 0; c < g->C; c++)
        for (int q = 0; q < khw; q++)
            for (int k = 0; k < VL; k++)
                wk[((int64_t)c * khw + q) * VL + k] =
                    k < g->K ? w[((int64_t)k * g->C + c) * khw + q] : 0.0f;
}

/* wpk[block][c][i][j][KB] = w[k][c][i][j] (forward) or, with turn, the input gradient's
 * kernels w[c][k][kh-1-i][kw-1-j] with (k, c) = (an input channel, an output one);
 * zeros for the channels past the last block's end. */
static void pack(const nn_conv_geom *g, const float *w, bool turn, int kb, float *wpk) {
    int kout = turn ? g->C : g->K, cin = turn ? g->K : g->C, khw = g->kh * g->kw;
    int blocks = ceil_div(kout, kb);
    for (int bl = 0; bl < blocks; bl++)
        for (int c = 0; c < cin; c++)
            for (int q = 0; q < khw; q++)
                for (int t = 0; t < kb; t++) {
                    int k = bl * kb + t;
                    float v = 0.0f;
                    if (k < kout)
                        v = turn ? w[((int64_t)c * g->C + k) * khw + khw - 1 - q]
                                 : w[((int64_t)k * g->C + c) * khw + q];
                    wpk[(((int64_t)bl * cin + c) * khw + q) * kb + t] = v;
                }
}

/* The data area of x_pad from one sample's x (the padding stays as zeroed). */
DIRECT_CLONES static void pad_x(const nn_conv_geom *g, const layout *l, const float *x, float *xp) {
    for (int c = 0; c < g->C; c++)
        for (int h = 0; h < g->H && h + g->pt < l->hp; h++) {
            const float *src = x + ((int64_t)c * g->H + h) * g->W;
            float *dst = xp + ((int64_t)c * l->hp + h + g->pt) * l->wp + g->pl;
            int n = g->W < l->wp - g->pl ? g->W : l->wp - g->pl;
            for (int w = 0; w < n; w++) dst[w] = src[w];
        }
}

/* What the parts of a pass share. */
typedef struct job {
    const nn_conv_geom *g;
    const layout *l;
    const float *x, *w, *bias, *relu_y, *dy;
    bool relu;
    float *y, *dw, *dx, *wpk, *parts;
} job;

static void forward_part(void *arg, int part) {
    const job *j = arg;
    const nn_conv_geom *g = j->g;
    const layout *l = j->l;
    float *xp = j->parts + part * part_floats(l);
    if (!(l->kf && l->unpadded)) /* else x is read as it is */
        memset(xp, 0, sizeof(float) * (size_t)l->nxp);
    int64_t chw = (int64_t)g->C * g->H * g->W, kohw = (int64_t)g->K * g->OH * g->OW;
    corr a = {.in = xp,
              .cin = g->C,
              .ld = l->wp,
              .cstride = (int64_t)l->hp * l->wp,
              .dh = g->dh,
              .dw = g->dw,
              .kh = g->kh,
              .kw = g->kw,
              .row_lo = g->pt,
              .row_hi = g->pt + g->H,
              .wpk = j->wpk,
              .kout = g->K,
              .OH = g->OH,
              .OW = g->OW,
              .bias = j->bias,
              .relu = j->relu};
    kcorr ka = {.xp = xp,
                .wk = j->wpk,
                .bias = j->bias,
                .C = g->C,
                .K = g->K,
                .kh = g->kh,
                .kw = g->kw,
                .dh = g->dh,
                .dw = g->dw,
                .ld = l->wp,
                .OH = g->OH,
                .OW = g->OW,
                .row_lo = g->pt,
                .row_hi = g->pt + g->H,
                .cstride = (int64_t)l->hp * l->wp,
                .relu = j->relu,
                .tmp = xp + l->nxp + l->ndyp + l->nvdw + l->nvdb};
    if (l->kf && l->unpadded) ka.ld = g->W, ka.cstride = (int64_t)g->H * g->W;
    for (int b = g->B * part / PARTS; b < g->B * (part + 1) / PARTS; b++) {
        a.out = j->y + b * kohw;
        if (l->kf && l->unpadded)
            ka.xp = j->x + b * chw; /* its reads stay inside the map */
        else
            pad_x(g, l, j->x + b * chw, xp);
        if (l->kf) {
            kfwd_any(&ka, l->pb);
            untranspose(ka.tmp, g->K, (int64_t)g->OH * g->OW, a.out);
        } else {
            corr_any(&a, l->kbf, l->nvo);
        }
    }
}

void nn_cpu_conv_direct(const nn_conv_geom *g, const float *x, const float *w, const float *bias,
                        bool relu, float *y, float *scratch) {
    layout l = layout_of(g, false);
    scratch = direct_area(scratch);
    if (l.kf)
        pack_lanes(g, w, scratch);
    else
        pack(g, w, false, l.kbf, scratch);
    job j = {.g = g,
             .l = &l,
             .x = x,
             .bias = bias,
             .relu = relu,
             .y = y,
             .wpk = scratch,
             .parts = scratch + l.nwf + l.nwx};
    nn_par_halves(forward_part, &j);
}

/* The weight gradient's tile: KB (3 or 4) output channels (from k0) x JT taps (from j0) of row
 * i and input channel c, partial sums of 16 lanes in vdw, over one sample's rows. */
typedef struct wgrad {
    const float *xp, *dyp;
    int K, C, OH, kh, dh, dw, kwpad;
    const layout *l;
    float *vdw;
} wgrad;

#define WG_KB 3
#define WG_JT 1
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 2
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 3
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 4
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 5
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 1
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 2
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 3
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 4
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 3
#define WG_JT 5
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 1
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 2
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 3
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 4
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 5
#define WG_NV 1
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 1
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 2
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 3
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 4
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WG_KB 4
#define WG_JT 5
#define WG_NV 2
#include "conv_direct_tmpl.h"
#define WGRAD_CASE(KB, JT, NV)                                                                     \
    case ((KB)*8 + (JT)) * 4 + (NV):                                                               \
        wgrad_##KB##_##JT##_##NV(a);                                                               \
        break

static void wgrad_any(const wgrad *a, int kb, int jt, int nv) {
    switch ((kb * 8 + jt) * 4 + nv) {
        WGRAD_CASE(3, 1, 1);
        WGRAD_CASE(3, 2, 1);
        WGRAD_CASE(3, 3, 1);
        WGRAD_CASE(3, 4, 1);
        WGRAD_CASE(3, 5, 1);
        WGRAD_CASE(3, 1, 2);
        WGRAD_CASE(3, 2, 2);
        WGRAD_CASE(3, 3, 2);
        WGRAD_CASE(3, 4, 2);
        WGRAD_CASE(3, 5, 2);
        WGRAD_CASE(4, 1, 1);
        WGRAD_CASE(4, 2, 1);
        WGRAD_CASE(4, 3, 1);
        WGRAD_CASE(4, 4, 1);
        WGRAD_CASE(4, 5, 1);
        WGRAD_CASE(4, 1, 2);
        WGRAD_CASE(4, 2, 2);
        WGRAD_CASE(4, 3, 2);
        WGRAD_CASE(4, 4, 2);
        WGRAD_CASE(4, 5, 2);
    default:
        break; /* layout_of gives no other */
    }
}

/* dy_pad's data area from one sample's dy (avail floats left in dy from it), masked by
 * relu_y > 0 when relu_y, a row of vectors at a time; each channel's rows added into
 * its 16 lanes of vdb, the bias gradient's partial sums. */
DIRECT_CLONES static void pad_dy(const nn_conv_geom *g, const layout *l, const float *dy,
                                 const float *relu_y, int64_t avail, float *dyp, float *vdb) {
    const v16i lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const v16i inside[2] = {lane < g->OW, lane + VL < g->OW};
    for (int k = 0; k < g->K; k++) {
        v16 sum = load16(vdb + k * VL);
        for (int oh = 0; oh < g->OH; oh++) {
            int64_t at = ((int64_t)k * g->OH + oh) * g->OW;
            float *dst = dyp + ((int64_t)k * l->rq + oh + l->ay) * l->wq + l->ax;
            v16 d[2], m[2] = {{0}, {0}};
            load_row(dy + at, g->OW, avail - at, d);
            if (relu_y) load_row(relu_y + at, g->OW, avail - at, m);
                /* constant bounds, unrolled: d and m stay in registers, not on the stack */
#pragma GCC unroll 2
            for (int v = 0; v < 2; v++) {
                if (v == l->nvo) break;
                v16i keep = inside[v];
                if (relu_y) keep &= m[v] > 0.0f;
                v16 dv = (v16)(keep & (v16i)d[v]); /* zeros past the row: the padding's */
                store16(dst + VL * v, dv);
                sum += dv;
            }
        }
        store16(vdb + k * VL, sum);
    }
}

/* dyt[position][16], lane k dy[k][position] masked by relu_y > 0 when relu_y (lanes
 * past K zeros), from one sample's dy (avail floats left in dy from it), 16 positions
 * at a time by a transpose; the positions' vectors added into vdb[0, 16), the bias
 * gradient's partial sums (lane k). kwg and kdx read it; dy_pad is not built. */
DIRECT_CLONES static void transpose_dy(const nn_conv_geom *g, const float *dy, const float *relu_y,
                                       int64_t avail, float *dyt, float *vdb) {
    static const float zeros[VL];
    int64_t n = (int64_t)g->OH * g->OW;
    v16 sum = load16(vdb);
    for (int64_t p0 = 0; p0 < n; p0 += VL) {
        v16 r[VL];
        if (avail - ((g->K - 1) * n + p0) >= VL) { /* whole vectors of every channel */
#pragma GCC unroll 16
            for (int k = 0; k < VL; k++) {
                int64_t at = k * n + p0;
                r[k] = load16(k < g->K ? dy + at : zeros);
                if (relu_y)
                    r[k] =
                        (v16)((v16i)(load16(k < g->K ? relu_y + at : zeros) > 0.0f) & (v16i)r[k]);
            }
        } else {
            for (int k = 0; k < VL; k++) {
                int64_t at = k * n + p0;
                r[k] = k < g->K ? load_avail(dy + at, avail - at) : (v16){0};
                if (relu_y && k < g->K)
                    r[k] = (v16)((v16i)(load_avail(relu_y + at, avail - at) > 0.0f) & (v16i)r[k]);
            }
        }
        transpose16(r);
        /* the lanes of positions past n came from the next channel: not stored */
        int m = n - p0 < VL ? (int)(n - p0) : VL;
#pragma GCC unroll 16
        for (int q = 0; q < VL; q++) {
            if (q == m) break;
            store16(dyt + (p0 + q) * VL, r[q]);
            sum += r[q];
        }
    }
    store16(vdb, sum);
}

/* Whether the backward pass reads dy as [position][16] alone (transpose_dy, whose bias
 * partial sums are per lane) rather than dy_pad. */
static bool dy_transposed(const layout *l, bool dw, bool dx) {
    return (dw || dx) && (!dw || l->kw) && (!dx || l->kx);
}

/* The sum of 16 lanes, pairwise in a fixed order. */
static float lanes_sum(const float *p) {
    float lane[VL];
    memcpy(lane, p, sizeof lane);
    for (int s = VL / 2; s > 0; s /= 2)
        for (int q = 0; q < s; q++) lane[q] += lane[q + s];
    return lane[0];
}

static void backward_part(void *arg, int part) {
    const job *j = arg;
    const nn_conv_geom *g = j->g;
    const layout *l = j->l;
    float *xp = j->parts + part * part_floats(l), *dyp = xp + l->nxp, *vdw = dyp + l->ndyp;
    float *vdb = vdw + l->nvdw, *dyt = vdb + l->nvdb, *vdk = dyt + l->ndyt;
    /* dy as [position][16] for kwg and kdx: from dy itself where they are all that
     * read it, else from dy_pad */
    bool transposed = (j->dw && l->kw) || (j->dx && l->kx);
    bool direct_t = dy_transposed(l, j->dw, j->dx);
    /* without dx, pad_dy writes the whole of dy_pad (no padding: layout_of) */
    if (!direct_t && j->dx) memset(dyp, 0, sizeof(float) * (size_t)l->ndyp);
    memset(vdb, 0, sizeof(float) * (size_t)l->nvdb);
    if (transposed && !direct_t) /* lanes past K stay 0 */
        memset(dyt, 0, sizeof(float) * (size_t)l->ndyt);
    if (j->dw) {
        if (!(l->kw && l->unpadded)) memset(xp, 0, sizeof(float) * (size_t)l->nxp);
        /* the partial sums of the kernel that runs: kwg's (vdk) or wgrad's (vdw) */
        if (l->kw)
            memset(vdk, 0, sizeof(float) * (size_t)l->nvdk);
        else
            memset(vdw, 0, sizeof(float) * (size_t)l->nvdw);
    }
    kdgrad kd = {.dyt = dyt,
                 .wk = j->wpk,
                 .C = g->C,
                 .H = g->H,
                 .W = g->W,
                 .OH = g->OH,
                 .OW = g->OW,
                 .pt = g->pt,
                 .pl = g->pl};
    kwgrad kt = {.xp = xp,
                 .dyt = dyt,
                 .C = g->C,
                 .OH = g->OH,
                 .OW = g->OW,
                 .ld = l->wp,
                 .cstride = (int64_t)l->hp * l->wp,
                 .vdk = vdk};
    if (l->kw && l->unpadded) kt.ld = g->W, kt.cstride = (int64_t)g->H * g->W;
    int64_t chw = (int64_t)g->C * g->H * g->W, kohw = (int64_t)g->K * g->OH * g->OW;
    corr a = {.in = dyp,
              .cin = g->K,
              .ld = l->wq,
              .cstride = (int64_t)l->rq * l->wq,
              .r0 = g->pt,
              .s0 = g->pl,
              .dh = g->dh,
              .dw = g->dw,
              .kh = g->kh,
              .kw = g->kw,
              .row_lo = l->ay,
              .row_hi = l->ay + g->OH,
              .wpk = j->wpk,
              .kout = g->C,
              .OH = g->H,
              .OW = g->W,
              .add = true};
    wgrad t = {.xp = xp,
               .dyp = dyp,
               .K = g->K,
               .C = g->C,
               .OH = g->OH,
               .kh = g->kh,
               .dh = g->dh,
               .dw = g->dw,
               .kwpad = l->kwpad,
               .l = l,
               .vdw = vdw};
    const float *relu_y = j->relu_y;
    for (int b = g->B * part / PARTS; b < g->B * (part + 1) / PARTS; b++) {
        if (direct_t) {
            transpose_dy(g, j->dy + b * kohw, relu_y ? relu_y + b * kohw : NULL,
                         (int64_t)(g->B - b) * kohw, dyt, vdb);
        } else {
            pad_dy(g, l, j->dy + b * kohw, relu_y ? relu_y + b * kohw : NULL,
                   (int64_t)(g->B - b) * kohw, dyp, vdb);
        }
        if (transposed && !direct_t) /* dy (masked) as [position][16] from dy_pad */
            for (int k = 0; k < g->K; k++)
                for (int oh = 0; oh < g->OH; oh++) {
                    const float *src = dyp + ((int64_t)k * l->rq + oh + l->ay) * l->wq + l->ax;
                    float *dst = dyt + (int64_t)oh * g->OW * VL + k;
                    for (int ow = 0; ow < g->OW; ow++) dst[ow * VL] = src[ow];
                }
        if (j->dw) {
            if (l->kw && l->unpadded)
                kt.xp = j->x + b * chw; /* its reads stay inside the map */
            else
                pad_x(g, l, j->x + b * chw, xp);
            if (l->kw) {
                if (g->kh == 3)
                    kwg_3_1(&kt);
                else
                    kwg_5_1(&kt);
            } else {
                wgrad_any(&t, l->kbw, l->jt, l->nvo);
            }
        }
        if (j->dx && l->kx) {
            kd.dx = j->dx + b * chw;
            if (g->kh == 3)
                kdx_3_1(&kd);
            else
                kdx_5_1(&kd);
        } else if (j->dx) {
            a.out = j->dx + b * chw;
            corr_any(&a, l->kbx, l->nvi);
        }
    }
}

void nn_cpu_conv_direct_back(const nn_conv_geom *g, const float *x, const float *w,
                             const float *relu_y, const float *dy, float *dw, float *db, float *dx,
                             float *scratch) {
    layout l = layout_of(g, dx != NULL);
    scratch = direct_area(scratch);
    if (dx && l.kx)
        pack_lanes(g, w, scratch);
    else if (dx)
        pack(g, w, true, l.kbx, scratch);
    job j = {.g = g,
             .l = &l,
             .x = x,
             .relu_y = relu_y,
             .dy = dy,
             .dw = dw,
             .dx = dx,
             .wpk = scratch,
             .parts = scratch + l.nwf + l.nwx};
    nn_par_halves(backward_part, &j);
    /* the parts' partial sums, part 0 first, each one's lanes pairwise */
    int64_t pf = part_floats(&l);
    const float *vdw = j.parts + l.nxp + l.ndyp, *vdb = vdw + l.nvdw;
    bool direct_t = dy_transposed(&l, dw, dx);
    if (db)
        for (int k = 0; k < g->K; k++) {
            float sum = 0.0f;
            for (int p = 0; p < PARTS; p++)
                sum += direct_t ? vdb[p * pf + k] : lanes_sum(vdb + p * pf + k * VL);
            db[k] += sum;
        }
    if (!dw) return;
    int khw = g->kh * g->kw;
    if (l.kw) {
        const float *vdk = vdb + l.nvdb + l.ndyt;
        for (int k = 0; k < g->K; k++)
            for (int c = 0; c < g->C; c++)
                for (int q = 0; q < khw; q++) {
                    float sum = 0.0f;
                    for (int p = 0; p < PARTS; p++)
                        sum += vdk[p * pf + ((int64_t)c * khw + q) * VL + k];
                    dw[((int64_t)k * g->C + c) * khw + q] += sum;
                }
        return;
    }
    for (int k = 0; k < g->K; k++)
        for (int c = 0; c < g->C; c++)
            for (int i = 0; i < g->kh; i++)
                for (int jj = 0; jj < g->kw; jj++) {
                    int64_t at = ((((int64_t)k * g->C + c) * g->kh + i) * l.kwpad + jj) * VL;
                    float sum = 0.0f;
                    for (int p = 0; p < PARTS; p++) sum += lanes_sum(vdw + p * pf + at);
                    dw[((int64_t)k * g->C + c) * khw + i * g->kw + jj] += sum;
                }
}

/* ---- 2x2 max pooling with stride 2 over maps at most 32 wide, a row at a time ---- */

/* The first n lanes of v to p; the whole vector where VL floats remain (avail): the
 * lanes past n land on what the caller writes next. */
INLINE void store_lanes(float *p, v16 v, int n, int64_t avail) {
    if (avail >= VL) {
        store16(p, v);
        return;
    }
    float tmp[VL];
    store16(tmp, v);
    for (int i = 0; i < n; i++) p[i] = tmp[i];
}

INLINE v16 select16(v16i m, v16 a, v16 b) {
    return (v16)((m & (v16i)a) | (~m & (v16i)b));
}

/* Lane orders for __builtin_shufflevector (GCC 12 and clang both have it; GCC's own
 * __builtin_shuffle is not clang's): each of the low and high eight lanes twice (EVENS
 * and ODDS, the even and odd lanes of two vectors, are lane_sums'). */
#define LOWS  0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7
#define HIGHS 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15

bool nn_cpu_max_pool_2x2_rows_apply(const nn_conv_geom *g) {
    return g->W <= 2 * VL;
}

/* A pool pass over maps bc0 to bc1 of the batch's B C. */
DIRECT_CLONES static void pool_rows(const nn_conv_geom *g, const float *x, float *y, float *idx,
                                    int64_t bc0, int64_t bc1) {
    const v16i even = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
    const v16i odd = even + 1;
    /* whole vectors are stored only where they end inside this part's maps (yend): the
     * lanes past a row land on the next row, which this part writes after it */
    int64_t nx = (int64_t)g->B * g->C * g->H * g->W, yend = bc1 * g->OH * g->OW;
    for (int64_t bc = bc0; bc < bc1; bc++)
        for (int oh = 0; oh < g->OH; oh++) {
            int64_t r0 = (bc * g->H + 2 * oh) * g->W, o = (bc * g->OH + oh) * g->OW;
            v16 a[2], b[2];
            load_row(x + r0, g->W, nx - r0, a);
            load_row(x + r0 + g->W, g->W, nx - r0 - g->W, b);
            v16 e0 = __builtin_shufflevector(a[0], a[1], EVENS),
                o0 = __builtin_shufflevector(a[0], a[1], ODDS);
            v16 e1 = __builtin_shufflevector(b[0], b[1], EVENS),
                o1 = __builtin_shufflevector(b[0], b[1], ODDS);
            /* the first largest in row-major order: strict comparisons, as the loop */
            v16 best = e0;
            v16i at = even, m = o0 > best;
            best = select16(m, o0, best), at = (m & odd) | (~m & at);
            m = e1 > best;
            best = select16(m, e1, best), at = (m & (even + g->W)) | (~m & at);
            m = o1 > best;
            best = select16(m, o1, best), at = (m & (odd + g->W)) | (~m & at);
            v16 where = __builtin_convertvector(at + 2 * oh * g->W, v16);
            store_lanes(y + o, best, g->OW, yend - o);
            store_lanes(idx + o, where, g->OW, yend - o);
        }
}

/* Its backward where the windows tile the map: each input position gets dy where it
 * was its window's largest, else 0. */
DIRECT_CLONES static void pool_rows_back(const nn_conv_geom *g, const float *dy, const float *idx,
                                         float *dx, int64_t bc0, int64_t bc1) {
    const v16i col = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    /* whole vectors stored only inside this part's maps (xend), as in pool_rows */
    int64_t xend = bc1 * g->H * g->W, ny = (int64_t)g->B * g->C * g->OH * g->OW;
    for (int64_t bc = bc0; bc < bc1; bc++)
        for (int oh = 0; oh < g->OH; oh++) {
            int64_t r0 = (bc * g->H + 2 * oh) * g->W, o = (bc * g->OH + oh) * g->OW;
            v16 d[2], p[2];
            load_row(dy + o, g->OW, ny - o, d);
            load_row(idx + o, g->OW, ny - o, p);
            v16i at = __builtin_convertvector(p[0], v16i) - 2 * oh * g->W;
            v16 dl = __builtin_shufflevector(d[0], d[0], LOWS),
                dh = __builtin_shufflevector(d[0], d[0], HIGHS);
            v16i al = __builtin_shufflevector(at, at, LOWS),
                 ah = __builtin_shufflevector(at, at, HIGHS);
            for (int r = 0; r < 2; r++) {
                int64_t row = r0 + r * g->W;
                v16i c0 = col + r * g->W, c1 = c0 + VL;
                store_lanes(dx + row, (v16)((al == c0) & (v16i)dl), g->W < VL ? g->W : VL,
                            xend - row);
                if (g->W > VL)
                    store_lanes(dx + row + VL, (v16)((ah == c1) & (v16i)dh), g->W - VL,
                                xend - row - VL);
            }
        }
}

/* The pools' maps in two fixed halves, the second on the engine's worker (parallel.h):
 * the halves' outputs do not meet, so the numbers are the same on one thread or two. */
typedef struct pool_job {
    const nn_conv_geom *g;
    const float *x, *dy, *idx_in;
    float *y, *idx, *dx;
} pool_job;

static void pool_part(void *arg, int part) {
    const pool_job *p = arg;
    int64_t n = (int64_t)p->g->B * p->g->C, bc0 = n * part / PARTS, bc1 = n * (part + 1) / PARTS;
    if (p->dy)
        pool_rows_back(p->g, p->dy, p->idx_in, p->dx, bc0, bc1);
    else
        pool_rows(p->g, p->x, p->y, p->idx, bc0, bc1);
}

void nn_cpu_max_pool_2x2_rows(const nn_conv_geom *g, const float *x, float *y, float *idx) {
    pool_job p = {.g = g, .x = x, .y = y, .idx = idx};
    nn_par_halves(pool_part, &p);
}

void nn_cpu_max_pool_2x2_rows_back(const nn_conv_geom *g, const float *dy, const float *idx,
                                   float *dx) {
    pool_job p = {.g = g, .dy = dy, .idx_in = idx, .dx = dx};
    nn_par_halves(pool_part, &p);
}
