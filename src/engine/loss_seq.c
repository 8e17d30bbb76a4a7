/* loss_seq.c: the sequence loss: cross-entropy at every step of [batch, T, C] logits
 * against [batch, T] class indices, padding (a negative target) ignored, as a language
 * model or a tagger trains. The mean is over the real steps, so that padding changes
 * neither the loss nor the size of the gradient. Fused with log-softmax (stable). */
#include <math.h>
#include <stdint.h>

#include "train_internal.h"

/* Classes up to this many keep their e^(y - max) for the gradient (one exp an element,
 * not two: the char-LSTM's loss spent a fifth of its step in exp); wider rows recompute
 * them. 4 KiB of stack. */
#define SEQ_CE_KEEP 1024

/* The row loops' copies: train_internal.h's, and one for AVX-512 (16 lanes: e^x over a
 * 128-class row ran at half the speed on 8). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) &&       \
    !defined(__SANITIZE_THREAD__)
#define SEQ_CE_CLONES __attribute__((target_clones("avx512f", "avx2,fma", "default")))
#else
#define SEQ_CE_CLONES NN_VECTOR_CLONES
#endif

/* e^(y_j - mx) into ex (a map, on the widest vectors), then their sum in 8 float lanes
 * summed in double at the end (a double sum in order does not vectorize). */
SEQ_CE_CLONES
static double row_exp(const float *restrict y, float mx, int C, float *restrict ex) {
    for (int j = 0; j < C; j++) ex[j] = nn_fexp(y[j] - mx);
    float acc[8] = {0};
    int j = 0;
    for (; j + 8 <= C; j += 8)
        for (int v = 0; v < 8; v++) acc[v] += ex[j + v];
    for (; j < C; j++) acc[0] += ex[j];
    double z = 0;
    for (int v = 0; v < 8; v++) z += acc[v];
    return z;
}

/* The largest of y[0..C), in 8 lanes so that it vectorizes (a maximum in order does
 * not; the same value either way). */
SEQ_CE_CLONES
static float row_max(const float *restrict y, int C) {
    float m[8];
    int j = 0;
    for (int v = 0; v < 8; v++) m[v] = y[0];
    for (; j + 8 <= C; j += 8)
        for (int v = 0; v < 8; v++) m[v] = y[j + v] > m[v] ? y[j + v] : m[v];
    for (; j < C; j++) m[0] = y[j] > m[0] ? y[j] : m[0];
    float mx = m[0];
    for (int v = 1; v < 8; v++) mx = m[v] > mx ? m[v] : mx;
    return mx;
}

/* d[j] = e[j] s over a row, vectorized on the CPU's widest vectors. */
SEQ_CE_CLONES
static void row_scale(float *restrict d, const float *restrict e, float s, int C) {
    for (int j = 0; j < C; j++) d[j] = e[j] * s;
}

int nn_seq_ce(nn_ctx *ctx, const float *y, int B, int k, const float *t, int tcols, double *loss,
              float *dy) {
    if (tcols < 1 || k % tcols || k / tcols < 2)
        return nn_errorf(ctx, NN_ESHAPE,
                         "seq_cross_entropy: predictions of %d values a sample and targets of %d "
                         "steps: expected [batch, T, C] logits (C >= 2) and [batch, T] classes",
                         k, tcols);
    int C = k / tcols;
    int64_t rows = (int64_t)B * tcols, real = 0;
    for (int64_t r = 0; r < rows; r++) {
        float c = t[r];
        if (c < 0) continue;
        if (c >= C || c != floorf(c))
            return nn_errorf(ctx, NN_EARG,
                             "seq_cross_entropy: target %g at [%lld, %lld] is not a class 0..%d "
                             "(or negative for padding)",
                             c, (long long)(r / tcols) + 1, (long long)(r % tcols) + 1, C - 1);
        real++;
    }
    double s = 0;
    float ex[SEQ_CE_KEEP];
    for (int64_t r = 0; r < rows; r++) {
        const float *yr = y + r * C;
        float *dr = dy ? dy + r * C : NULL;
        if (t[r] < 0) {
            for (int j = 0; dr && j < C; j++) dr[j] = 0;
            continue;
        }
        /* l = logsumexp(y) - y_c; dl/dy_j = softmax_j - [j == c], over the real steps */
        float mx = row_max(yr, C);
        int c = (int)t[r];
        if (C <= SEQ_CE_KEEP) { /* the gradient reuses each e^(y - max) */
            double z = row_exp(yr, mx, C, ex);
            s += log(z) + mx - yr[c];
            if (dr) { /* no calls or branches in the loop: it vectorizes */
                row_scale(dr, ex, (float)(1.0 / (z * (double)real)), C);
                dr[c] = (float)((ex[c] / z - 1) / (double)real);
            }
            continue;
        }
        double z = 0;
        for (int j = 0; j < C; j++) z += exp((double)yr[j] - mx);
        s += log(z) + mx - yr[c];
        for (int j = 0; dr && j < C; j++)
            dr[j] = (float)((exp((double)yr[j] - mx) / z - (j == c)) / (double)real);
    }
    *loss = real ? s / (double)real : 0.0;
    return NN_OK;
}
