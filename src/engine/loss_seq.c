/* loss_seq.c: the sequence loss: cross-entropy at every step of [batch, T, C] logits
 * against [batch, T] class indices, padding (a negative target) ignored, as a language
 * model or a tagger trains. The mean is over the real steps, so that padding changes
 * neither the loss nor the size of the gradient. Fused with log-softmax (stable). */
#include <math.h>

#include "train_internal.h"

/* Classes up to this many keep their e^(y - max) for the gradient (one exp an element,
 * not two: the char-LSTM's loss spent a fifth of its step in exp); wider rows recompute
 * them. 8 KiB of stack. */
#define SEQ_CE_KEEP 1024

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
    double s = 0, ex[SEQ_CE_KEEP];
    for (int64_t r = 0; r < rows; r++) {
        const float *yr = y + r * C;
        float *dr = dy ? dy + r * C : NULL;
        if (t[r] < 0) {
            for (int j = 0; dr && j < C; j++) dr[j] = 0;
            continue;
        }
        /* l = logsumexp(y) - y_c; dl/dy_j = softmax_j - [j == c], over the real steps */
        float mx = yr[0];
        for (int j = 1; j < C; j++) mx = yr[j] > mx ? yr[j] : mx;
        double z = 0;
        bool keep = dr && C <= SEQ_CE_KEEP; /* the gradient reuses each e^(y - max) */
        for (int j = 0; j < C; j++) {
            double e = exp((double)yr[j] - mx);
            if (keep) ex[j] = e;
            z += e;
        }
        int c = (int)t[r];
        s += log(z) + mx - yr[c];
        if (keep) { /* no calls or branches in the loop: it vectorizes (x - 0 is x) */
            for (int j = 0; j < C; j++) dr[j] = (float)(ex[j] / z / (double)real);
            dr[c] = (float)((ex[c] / z - 1) / (double)real);
        } else {
            for (int j = 0; dr && j < C; j++)
                dr[j] = (float)((exp((double)yr[j] - mx) / z - (j == c)) / (double)real);
        }
    }
    *loss = real ? s / (double)real : 0.0;
    return NN_OK;
}
