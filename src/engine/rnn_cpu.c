/* rnn_cpu.c: the CPU kernels of one time step of the recurrent cells (vanilla RNN,
 * LSTM, GRU) and their backward, elementwise over a batch: the matrix products around
 * them (the input projection of every step, h W_h of a step) are the caller's gemms.
 * Legend: B rows, H units, G gates; a row's gates lie side by side, G H floats. */
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The cell loops vectorize only when fminf/fmaxf may be plain min/max instructions (no
 * NaN rules) and the cost model lets GCC version the loops: the gates never see a NaN
 * that matters (a NaN loss stops a run first). */
#if defined(__GNUC__) && !defined(__clang__) /* clang (the fuzz build) has no such pragma */
#pragma GCC optimize("finite-math-only", "vect-cost-model=dynamic")
#endif

#include "rnn_cpu.h"
#include "train_internal.h"

static inline __attribute__((always_inline)) float sigm(float x) {
    return 1.0f / (1.0f + nn_fexp(-x));
}

/* tanh x = 1 - 2 / (e^{2x} + 1): absolute error about 1e-7 */
static inline __attribute__((always_inline)) float ftanh(float x) {
    return 1.0f - 2.0f / (nn_fexp(2.0f * x) + 1.0f);
}

static bool is_pad(const float *mask, int64_t ldm, int b) {
    return mask && mask[b * ldm] == 0.0f;
}

/* One row (b) of each cell; a, p: the row's xp and hp. */
NN_VECTOR_CLONES
static void rnn_row(int act, int H, const float *restrict a, const float *restrict p,
                    float *restrict h1) {
    for (int j = 0; j < H; j++) {
        float v = a[j] + p[j];
        h1[j] = act == NN_ACT_RELU ? (v > 0 ? v : 0) : ftanh(v);
    }
}

/* gates f, i, C~, o: C_t = f C_{t-1} + i C~, h_t = o tanh(C_t) */
NN_VECTOR_CLONES
static void lstm_row(int H, const float *restrict a, const float *restrict p,
                     const float *restrict c0, float *restrict g, float *restrict h1,
                     float *restrict c1) {
    for (int j = 0; j < H; j++) {
        float f = sigm(a[j] + p[j]), i = sigm(a[H + j] + p[H + j]);
        float cc = ftanh(a[2 * H + j] + p[2 * H + j]), o = sigm(a[3 * H + j] + p[3 * H + j]);
        g[j] = f, g[H + j] = i, g[2 * H + j] = cc, g[3 * H + j] = o;
        float c = f * c0[j] + i * cc;
        c1[j] = c;
        h1[j] = o * ftanh(c);
    }
}

/* gates r, z, h~: h~ = tanh(xp_h + r hp_h), h_t = (1 - z) h_{t-1} + z h~ */
NN_VECTOR_CLONES
static void gru_row(int H, const float *restrict a, const float *restrict p,
                    const float *restrict h0, float *restrict g, float *restrict hpn,
                    float *restrict h1) {
    for (int j = 0; j < H; j++) {
        float r = sigm(a[j] + p[j]), z = sigm(a[H + j] + p[H + j]);
        float n = ftanh(a[2 * H + j] + r * p[2 * H + j]);
        g[j] = r, g[H + j] = z, g[2 * H + j] = n;
        hpn[j] = p[2 * H + j];
        h1[j] = (1 - z) * h0[j] + z * n;
    }
}

NN_VECTOR_CLONES
void nn_cpu_rnn_cell(int cell, int act, int B, int H, const float *xp, int64_t ldx, const float *hp,
                     const float *h0, const float *c0, const float *mask, int64_t ldm, float *gates,
                     float *hpn, float *h1, float *c1, float *out, int64_t ldo) {
    int G = cell == NN_CELL_LSTM ? 4 : cell == NN_CELL_GRU ? 3 : 1;
    for (int b = 0; b < B; b++) {
        const float *a = xp + b * ldx, *p = hp + (int64_t)b * G * H;
        float *hb = h1 + (int64_t)b * H, *o = out ? out + b * ldo : NULL;
        if (is_pad(mask, ldm, b)) {
            memcpy(hb, h0 + (int64_t)b * H, sizeof(float) * H);
            if (cell == NN_CELL_LSTM)
                memcpy(c1 + (int64_t)b * H, c0 + (int64_t)b * H, sizeof(float) * H);
            if (o) memset(o, 0, sizeof(float) * H);
            continue;
        }
        if (cell == NN_CELL_LSTM)
            lstm_row(H, a, p, c0 + (int64_t)b * H, gates + (int64_t)b * G * H, hb,
                     c1 + (int64_t)b * H);
        else if (cell == NN_CELL_GRU)
            gru_row(H, a, p, h0 + (int64_t)b * H, gates + (int64_t)b * G * H, hpn + (int64_t)b * H,
                    hb);
        else
            rnn_row(act, H, a, p, hb);
        if (o) memcpy(o, hb, sizeof(float) * H);
    }
}

/* forward: h1 = act(a); so da = dh act'(a), from h1 (tanh: 1 - h1^2; relu: h1 > 0) */
NN_VECTOR_CLONES
static void rnn_row_back(int act, int H, const float *restrict h1, float *restrict dh,
                         float *restrict dxp, float *restrict dhp) {
    for (int j = 0; j < H; j++) {
        float d = dh[j] * (act == NN_ACT_RELU ? (h1[j] > 0 ? 1.0f : 0.0f) : 1 - h1[j] * h1[j]);
        dxp[j] = dhp[j] = d;
        dh[j] = 0; /* h0 reaches h1 only through W_h: the caller's gemm */
    }
}

/* forward: C_t = f C_{t-1} + i C~, h_t = o tanh(C_t); so with tc = tanh(C_t):
 * dC += dh o (1 - tc^2), do = dh tc, df = dC C_{t-1}, di = dC C~, dC~ = dC i,
 * dC_{t-1} = dC f, and each gate's pre-activation gets d s'(.) */
NN_VECTOR_CLONES
static void lstm_row_back(int H, const float *restrict g, const float *restrict c0,
                          const float *restrict c1, float *restrict dh, float *restrict dc,
                          float *restrict da) {
    for (int j = 0; j < H; j++) {
        float f = g[j], i = g[H + j], cc = g[2 * H + j], o = g[3 * H + j];
        float tc = ftanh(c1[j]);
        float dC = dc[j] + dh[j] * o * (1 - tc * tc);
        da[j] = dC * c0[j] * f * (1 - f);
        da[H + j] = dC * cc * i * (1 - i);
        da[2 * H + j] = dC * i * (1 - cc * cc);
        da[3 * H + j] = dh[j] * tc * o * (1 - o);
        dc[j] = dC * f;
        dh[j] = 0;
    }
}

/* forward: n = tanh(xp_n + r hpn), h1 = (1 - z) h0 + z n; so dn = dh z, dz = dh (n - h0),
 * dh0 = dh (1 - z) directly; dxp_n = dn (1 - n^2), dhp_n = dxp_n r,
 * dr = dxp_n hpn; r and z's pre-activations get d s(1 - s) in both parts */
NN_VECTOR_CLONES
static void gru_row_back(int H, const float *restrict g, const float *restrict hpn,
                         const float *restrict h0, float *restrict dh, float *restrict dxp,
                         float *restrict dhp) {
    for (int j = 0; j < H; j++) {
        float r = g[j], z = g[H + j], n = g[2 * H + j];
        float dn = dh[j] * z * (1 - n * n);
        float dz = dh[j] * (n - h0[j]) * z * (1 - z);
        float dr = dn * hpn[j] * r * (1 - r);
        dxp[j] = dhp[j] = dr;
        dxp[H + j] = dhp[H + j] = dz;
        dxp[2 * H + j] = dn;
        dhp[2 * H + j] = dn * r;
        dh[j] *= 1 - z;
    }
}

NN_VECTOR_CLONES
void nn_cpu_rnn_cell_back(int cell, int act, int B, int H, const float *gates, const float *hpn,
                          const float *h0, const float *c0, const float *h1, const float *c1,
                          const float *mask, int64_t ldm, const float *dy, int64_t ldy, float *dh,
                          float *dc, float *dxp, int64_t ldx, float *dhp) {
    int G = cell == NN_CELL_LSTM ? 4 : cell == NN_CELL_GRU ? 3 : 1;
    int64_t GH = (int64_t)G * H;
    for (int b = 0; b < B; b++) {
        float *dhb = dh + (int64_t)b * H, *dx = dxp + b * ldx, *dp = dhp + b * GH;
        if (is_pad(mask, ldm, b)) {
            memset(dx, 0, sizeof(float) * GH);
            memset(dp, 0, sizeof(float) * GH);
            continue;
        }
        if (dy)
            for (int j = 0; j < H; j++) dhb[j] += dy[b * ldy + j];
        const float *g = gates + b * GH;
        if (cell == NN_CELL_LSTM) {
            lstm_row_back(H, g, c0 + (int64_t)b * H, c1 + (int64_t)b * H, dhb, dc + (int64_t)b * H,
                          dp);
            memcpy(dx, dp, sizeof(float) * GH);
        } else if (cell == NN_CELL_GRU) {
            gru_row_back(H, g, hpn + (int64_t)b * H, h0 + (int64_t)b * H, dhb, dx, dp);
        } else {
            rnn_row_back(act, H, h1 + (int64_t)b * H, dhb, dx, dp);
        }
    }
}
