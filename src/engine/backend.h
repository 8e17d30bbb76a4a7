/* backend.h: the kernels and the memory a device provides, as a table of function
 * pointers.
 *
 * Ops check shapes and manage memory; they compute only through ctx->backend, and so do
 * the built-in modules (linear, activation, dropout, batch norm) and the fused losses. Tensor data
 * is had from the table's alloc and read or written from the host only through upload and download.
 * The CPU table (backend_cpu.c) is the reference; a CUDA table with the same entries plugs in
 * later. Pointers are device pointers unless named host. Backward kernels ADD into their outputs
 * unless their comment says otherwise.
 */
#ifndef NN_BACKEND_H
#define NN_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nn_ctx; /* only for the loss entry's error message */

/* Elementwise binary with NumPy broadcasting, over shapes padded to 4 dims:
 * out[i0,i1,i2,i3] = f(a[sum ik*sa[k]], b[sum ik*sb[k]]); a stride of 0 marks an axis
 * that input is broadcast along. */
typedef struct nn_bcast {
    int shape[4];  /* the result's shape, padded in front with 1s */
    int64_t sa[4]; /* a's strides in floats (0 along broadcast axes) */
    int64_t sb[4]; /* b's strides */
    int64_t size;  /* product of shape */
    bool same;     /* a, b and out have one shape: a flat loop */
} nn_bcast;

/* A reduction viewed as [outer, n, inner] -> [outer, inner]. */
typedef struct nn_rdims {
    int64_t outer, n, inner;
} nn_rdims;

/* The geometry of a 2-D convolution or pooling over x [B, C, H, W] -> y [B, K, OH, OW]
 * (pooling: K = C, groups = C). Output position (oh, ow) reads input rows
 * oh*sh - pt + i*dh and columns ow*sw - pl + j*dw for kernel offsets (i, j) < (kh, kw);
 * positions outside the input are the padding. */
typedef struct nn_conv_geom {
    int B, C, H, W, K, OH, OW;
    int kh, kw, sh, sw, dh, dw;
    int pt, pl; /* padding above and left (below and right follow from OH, OW) */
    int groups;
} nn_conv_geom;

enum nn_pool_kind { NN_POOL_MAX, NN_POOL_AVG };

/* Kernel kinds of the elementwise tables (a subset of the op kinds, own numbering so
 * the backend need not know the op enum). */
enum nn_unary_kind {
    NN_U_SCALE,
    NN_U_ADD_SCALAR,
    NN_U_POW,
    NN_U_NEG,
    NN_U_EXP,
    NN_U_LOG,
    NN_U_SQRT,
    NN_U_ABS,
    NN_U_TANH,
    NN_U_SIGMOID,
    NN_U_RELU
};
enum nn_binary_kind { NN_B_ADD, NN_B_SUB, NN_B_MUL, NN_B_DIV };
enum nn_reduce_kind { NN_R_SUM, NN_R_MEAN, NN_R_MAX };

/* xoshiro256** (Blackman and Vigna, 2018), the engine's one generator, over the
 * context's four state words. Here, not in ctx.c, so that a kernel that draws
 * (dropout's mask) gives the numbers nn_rand_uniform would, on every device. */
static inline uint64_t nn_xoshiro_next(uint64_t s[4]) {
    uint64_t x = s[1] * 5;
    uint64_t result = (x << 7 | x >> 57) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3] << 45 | s[3] >> 19;
    return result;
}

/* Uniform in [0, 1) from 53 random bits. */
static inline double nn_xoshiro_uniform(uint64_t s[4]) {
    return (double)(nn_xoshiro_next(s) >> 11) * 0x1.0p-53;
}

/* One LSTM lane's pass over its sequence for the backend's lstm_seq: B rows, T steps, H
 * units, gates f, i, C~, o side by side (4H a row). Step k (processing order) is time t =
 * k, or T-1-k when reverse. Rows (b, t) of the [B, T, .] arrays lie at (b T + t) times
 * their row stride; the step-major ones [T(+1), B, .] hold step k at k B rows. */
typedef struct nn_lstm_seq {
    int B, T, H, bptt; /* bptt > 0: the gradient stops after steps k with k % bptt == 0 */
    bool reverse;
    int F;             /* inputs a step */
    const float *W;    /* [H + F, 4H]: W_h, then W_x */
    const float *bias; /* [4H] */
    float *pack;       /* scratch of 4 H (H + F) floats */
    const float *mask; /* [B, T]: 1 a real step, 0 padding (carries the state); NULL none */
    const float *x;    /* [T, B, F]: the inputs in processing order (forward) */
    float *hs, *cs;    /* [T+1, B, H]: slot k the states after k steps */
    float *gates, *tc; /* [T, B, 4H] the activated gates, [T, B, H] tanh(c) after the step */
    float *out;        /* [B, T, .] stride ldo: each step's h (0 on padding), or NULL */
    const float *dy;   /* [B, T, .] stride ldy: d(loss)/d(out), or NULL */
    int64_t ldo, ldy;
    float *dh, *dc; /* [B, H]: d(loss)/d(h, c) after the last step in, before the first out */
    float *dhp;     /* [T, B, 4H]: d(loss)/d(pre-activations) */
    float *dx;      /* [T, B, F]: d(loss)/dx in processing order (dA W_x^T), or NULL */
    double *rowsq;  /* [T, B]: |dh + dy_t|^2 of each row as step t's cell gets it, or NULL */
} nn_lstm_seq;

typedef struct nn_backend {
    const char *name;
    /* Memory. alloc: `bytes` of device memory aligned for vector loads, NULL when there
     * is none; free accepts NULL. upload/download copy n floats host -> device and
     * device -> host. */
    void *(*alloc)(size_t bytes);
    /* As alloc, the memory zeroed; the CPU's takes no memory until it is written. */
    void *(*alloc_zeros)(size_t bytes);
    void (*free)(void *p);
    void (*upload)(float *dst, const float *host_src, int64_t n);
    void (*download)(float *host_dst, const float *src, int64_t n);
    void (*fill)(float *x, int64_t n, float v);
    void (*copy)(float *dst, const float *src, int64_t n);
    void (*acc)(float *dst, const float *src, int64_t n); /* dst += src */
    /* y = f(x; p) elementwise; p is the kind's scalar (factor, addend, exponent). */
    void (*unary)(int kind, const float *x, float *y, int64_t n, float p);
    /* gx += f'(x; p) * gy, given x and the forward's y. */
    void (*unary_back)(int kind, const float *x, const float *y, const float *gy, float *gx,
                       int64_t n, float p);
    void (*binary)(int kind, const nn_bcast *bc, const float *a, const float *b, float *y);
    /* ga += d/da, gb += d/db (summed over broadcast axes); either may be NULL. */
    void (*binary_back)(int kind, const nn_bcast *bc, const float *a, const float *b,
                        const float *gy, float *ga, float *gb);
    /* y[o,i] = reduce over j of x[o,j,i]; for NN_R_MAX idx gets the first argmax j. */
    void (*reduce)(int kind, nn_rdims d, const float *x, float *y, float *idx);
    /* gx[o,j,i] += gy[o,i] (sum), gy/n (mean), or gy where j == idx[o,i] (max). */
    void (*reduce_back)(int kind, nn_rdims d, const float *gy, const float *idx, float *gx);
    /* C = alpha op(A) op(B) + beta C, row-major, as cblas_sgemm. */
    void (*gemm)(bool ta, bool tb, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
    /* Softmax (or log-softmax) along the middle axis of [outer, n, inner]. */
    void (*softmax)(bool take_log, nn_rdims d, const float *x, float *y);
    /* gx += J^T gy, from the forward's y. */
    void (*softmax_back)(bool take_log, nn_rdims d, const float *y, const float *gy, float *gx);
    /* y[i,:] = x[rows[i],:] with rows of `cols` floats; back: gx[rows[i],:] += gy[i,:]. */
    void (*gather_rows)(const float *x, const int *rows, int n, int64_t cols, float *y);
    void (*gather_rows_back)(const float *gy, const int *rows, int n, int64_t cols, float *gx);
    /* y = x^T for x of r rows and c columns; back adds: gx += gy^T. */
    void (*transpose)(const float *x, int r, int c, float *y);
    void (*transpose_back)(const float *gy, int r, int c, float *gx);

    /* ---- training kernels: layers, activations, dropout, losses ---- */
    /* Activation `kind` (an nn_act_kind) of x viewed as [rows, cols] (softmax: per row)
     * with argument a; back: gx += f'(x) gy from the forward's x and y. */
    void (*act)(int kind, float a, const float *x, float *y, int64_t rows, int cols);
    void (*act_back)(int kind, float a, const float *x, const float *y, const float *gy, float *gx,
                     int64_t rows, int cols);
    /* PReLU over [rows, cols] with nalpha slopes: 1 shared, or cols (one per feature,
     * alpha[j] for column j): y = x > 0 ? x : alpha x. Back: gx += (x > 0 ? 1 : alpha)
     * gy and galpha[j] += sum over rows (of column j, or of all) of x gy where x <= 0;
     * either output may be NULL. */
    void (*prelu)(const float *x, const float *alpha, int nalpha, float *y, int64_t rows, int cols);
    void (*prelu_back)(const float *x, const float *alpha, int nalpha, const float *gy, float *gx,
                       float *galpha, int64_t rows, int cols);
    /* Inverted dropout in training: mask[i] = 1/keep with probability keep (drawn with
     * nn_xoshiro_uniform from rng, element by element, so a seed gives one mask on every
     * device), else 0; y = x mask. Back: gx += gy mask, or gx = gy mask when `assign`. */
    void (*dropout)(const float *x, float *mask, float *y, int64_t n, float keep, uint64_t rng[4]);
    void (*dropout_back)(const float *gy, const float *mask, float *gx, int64_t n, bool assign);
    /* The linear layer: y[B,out] = x[B,in] W[in,out] + b[out]. Back: dW += x^T dy and
     * db += the column sums of dy when dw (and then db) is not NULL, and dx = dy W^T
     * (assigned, not added) when dx is not NULL. */
    void (*linear)(const float *x, const float *w, const float *b, float *y, int B, int in,
                   int out);
    void (*linear_back)(const float *x, const float *w, const float *dy, float *dw, float *db,
                        float *dx, int B, int in, int out);
    /* Batch norm over [B,F] per feature j: y = gamma_j x_hat + beta_j, x_hat = (x - mean_j)
     * rstd_j, with the batch's mean and variance in training (running[0..F) means and
     * running[F..2F) variances then move by momentum towards them) or the running ones;
     * xhat[B,F] and rstd[F] are saved for back. Back: dgamma, dbeta += (when not NULL)
     * and dx assigned (when not NULL). */
    void (*batchnorm)(const float *x, const float *gamma, const float *beta, float *running,
                      float *xhat, float *rstd, float *y, int B, int F, bool training,
                      float momentum, float eps);
    void (*batchnorm_back)(const float *dy, const float *gamma, const float *xhat,
                           const float *rstd, float *dgamma, float *dbeta, float *dx, int B, int F,
                           bool training);
    /* Conv2d as cross-correlation (no flip): y[b,k] = sum over c in k's group and (i, j)
     * of w[k, c', i, j] x[b, c, at(i, j)] + bias[k], with w [K, C/groups, kh, kw] and bias
     * NULL for none, then max(0, .) when relu (a conv + ReLU pair in one pass); col is
     * the caller's scratch of conv2d_scratch(g) floats (the CPU's: im2col of a few
     * samples at a time, bounded whatever the batch). Back: dw += and db += (either may
     * be NULL), dx += (when not NULL); relu_y, when not NULL, is the output of a forward
     * with relu, whose mask (relu_y > 0) applies to dy first. */
    int64_t (*conv2d_scratch)(const nn_conv_geom *g);
    void (*conv2d)(const nn_conv_geom *g, const float *x, const float *w, const float *bias,
                   bool relu, float *y, float *col);
    void (*conv2d_back)(const nn_conv_geom *g, const float *x, const float *w, const float *relu_y,
                        const float *dy, float *dw, float *db, float *dx, float *col);
    /* Pooling (an nn_pool_kind) per channel over the window (K = C); max skips the
     * padding and writes the flat index (in x) of the first largest value into idx
     * (B*C*OH*OW floats); average divides by kh*kw, padding counted as zeros. Back:
     * dx += (idx is the forward's for max, unused for average), or dx = when assign. */
    void (*pool2d)(int kind, const nn_conv_geom *g, const float *x, float *y, float *idx);
    void (*pool2d_back)(int kind, const nn_conv_geom *g, const float *dy, const float *idx,
                        float *dx, bool assign);
    /* The L1/L2 regulariser's gradient: dw += l1 sign(w) + 2 l2 w over n weights. */
    void (*penalty_back)(const float *w, float *dw, int64_t n, float l1, float l2);
    /* Loss `kind` (an nn_loss_kind) of predictions y[B,k] against targets t[B,tcols], as
     * nn_loss: the mean into *loss (host) and d(loss)/dy into dy when dy is not NULL.
     * Returns NN_OK, or an error code with the message (bad classes, widths) in ctx. */
    int (*loss)(struct nn_ctx *ctx, int kind, const float *y, int B, int k, const float *t,
                int tcols, float delta, double *loss, float *dy);
    /* gy += g[0] d, with g the one-element gradient of the loss and d the dy the
     * forward saved. */
    void (*loss_back)(const float *d, const float *g, float *gy, int64_t n);

    /* ---- recurrent cells (mod_rnn.c; the kernels in rnn_cpu.c) ---- */
    /* One time step of a recurrent cell (an nn_cell_kind) over B rows of H units, given
     * the input part xp of its pre-activations (row b at xp + b ldx, G H floats: gates in
     * the order of nn_cell_kind's comment, bias included) and the recurrent part hp =
     * h0 W_h ([B, G H], contiguous). A row whose mask is 0 (mask row b at mask[b ldm]; NULL:
     * none is) is padding: it carries h0 (and c0) through and outputs zeros. Writes
     * gates[B, G H] (the activated gates; RNN: none), hpn[B, H] (GRU: hp's candidate
     * part, which the reset gate scales), h1, c1 (LSTM) and, when out is not NULL, the
     * step's output (row b at out + b ldo). act: the vanilla cell's nn_act_kind. */
    void (*rnn_cell)(int cell, int act, int B, int H, const float *xp, int64_t ldx, const float *hp,
                     const float *h0, const float *c0, const float *mask, int64_t ldm, float *gates,
                     float *hpn, float *h1, float *c1, float *out, int64_t ldo);
    /* Its backward: dh (d(loss)/dh1, [B, H]) first gets dy's row b (at dy + b ldy, when dy
     * is not NULL) where the mask is 1; then dxp (row b at b ldx) and dhp ([B, G H]) are
     * assigned d(loss)/d(pre-activation) of the input and recurrent parts, and dh, dc
     * (LSTM) are replaced by the direct parts of d(loss)/dh0 and d(loss)/dc0 (dh0's part
     * through W_h is the caller's gemm). Padding rows pass dh, dc through, zero dxp, dhp. */
    void (*rnn_cell_back)(int cell, int act, int B, int H, const float *gates, const float *hpn,
                          const float *h0, const float *c0, const float *h1, const float *c1,
                          const float *mask, int64_t ldm, const float *dy, int64_t ldy, float *dh,
                          float *dc, float *dxp, int64_t ldx, float *dhp);
    /* The LSTM's whole recurrence of one lane (q's comment), forward (assigns hs, cs, gates,
     * tc and out from slot 0 of hs, cs) or backward (dhp, rowsq; dh, dc from the last
     * step's to the first's), W_h packed once for all its steps. Optional (NULL: the module
     * runs rnn_cell and a gemm a step); returns false, having done nothing, where
     * lstm_seq_takes is false. */
    bool (*lstm_seq)(const nn_lstm_seq *q, bool backward);
    /* Whether lstm_seq runs B rows of H units (optional with it); its backward's dx also
     * wants F a multiple of 16 (it declines otherwise). */
    bool (*lstm_seq_takes)(int B, int H);
    /* After lstm_seq's backward: dW [H + F, 4H] += [h_k, x_k]^T dA_k and db [4H] += the
     * sums of dA_k's rows, over every step k (q's hs, x in processing order, dhp).
     * Optional; false, having done nothing, where it has no kernel (the module then runs
     * three gemms). */
    bool (*lstm_seq_grads)(const nn_lstm_seq *q, float *dW, float *db);
} nn_backend;

extern const nn_backend nn_backend_cpu;

#endif
