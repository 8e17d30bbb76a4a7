/* pca.c: the first principal components of a few thousand rows of a few hundred
 * columns (word vectors for a 2-D map): the covariance matrix, then power iteration
 * with deflation. Deterministic: the start vector is fixed, and each component's
 * sign is chosen so that its largest entry is positive. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "nn_text.h"

#define PCA_ITERS 500
#define PCA_TOL   1e-12

/* v = C v normalised, for the d x d matrix C; returns the Rayleigh quotient. */
static double power_step(const double *c, int d, double *v, double *tmp) {
    for (int i = 0; i < d; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) s += c[(size_t)i * d + j] * v[j];
        tmp[i] = s;
    }
    double lambda = 0, norm = 0;
    for (int i = 0; i < d; i++) {
        lambda += v[i] * tmp[i];
        norm += tmp[i] * tmp[i];
    }
    norm = sqrt(norm);
    for (int i = 0; i < d; i++) v[i] = norm > 0 ? tmp[i] / norm : 0;
    return lambda;
}

int nn_pca(nn_ctx *ctx, const float *x, int n, int d, int k, float *proj, float *var) {
    if (n < 1 || d < 1 || k < 1 || k > d)
        return nn_errorf(ctx, NN_EARG, "pca: %d components of %d rows of %d columns", k, n, d);
    double *mean = nn_calloc(ctx, (size_t)d, sizeof(double));
    double *c = nn_calloc(ctx, (size_t)d * d, sizeof(double));
    double *comp = nn_calloc(ctx, (size_t)k * d, sizeof(double));
    double *tmp = nn_calloc(ctx, (size_t)d, sizeof(double));
    if (!mean || !c || !comp || !tmp) {
        nn_mfree(mean), nn_mfree(c), nn_mfree(comp), nn_mfree(tmp);
        return NN_ENOMEM;
    }
    for (int r = 0; r < n; r++)
        for (int j = 0; j < d; j++) mean[j] += x[(size_t)r * d + j] / n;
    for (int r = 0; r < n; r++) /* C = sum_r (x_r - mean)(x_r - mean)^T / n */
        for (int i = 0; i < d; i++) {
            double a = x[(size_t)r * d + i] - mean[i];
            for (int j = 0; j < d; j++)
                c[(size_t)i * d + j] += a * (x[(size_t)r * d + j] - mean[j]) / n;
        }
    for (int p = 0; p < k; p++) {
        double *v = comp + (size_t)p * d, lambda = 0;
        for (int i = 0; i < d; i++) v[i] = 1.0 / sqrt(d) + 1e-3 * i; /* fixed start */
        for (int it = 0; it < PCA_ITERS; it++) {
            double l = power_step(c, d, v, tmp);
            bool done = fabs(l - lambda) <= PCA_TOL * (1 + fabs(l));
            lambda = l;
            if (done && it > 10) break;
        }
        int big = 0;
        for (int i = 1; i < d; i++)
            if (fabs(v[i]) > fabs(v[big])) big = i;
        if (v[big] < 0)
            for (int i = 0; i < d; i++) v[i] = -v[i];
        if (var) var[p] = (float)lambda;
        for (int i = 0; i < d; i++) /* deflate: C -= lambda v v^T */
            for (int j = 0; j < d; j++) c[(size_t)i * d + j] -= lambda * v[i] * v[j];
    }
    for (int r = 0; r < n; r++)
        for (int p = 0; p < k; p++) {
            double s = 0;
            for (int j = 0; j < d; j++)
                s += (x[(size_t)r * d + j] - mean[j]) * comp[(size_t)p * d + j];
            proj[(size_t)r * k + p] = (float)s;
        }
    nn_mfree(mean), nn_mfree(c), nn_mfree(comp), nn_mfree(tmp);
    return NN_OK;
}
