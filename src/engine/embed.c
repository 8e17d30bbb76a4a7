/* embed.c: principal component analysis and exact t-SNE (nn_embed.h), the 2-D maps
 * of a layer's features. PCA: the covariance by one sgemm, then orthogonal iteration
 * with a Rayleigh-Ritz step (Jacobi on the small block) so that each component, not
 * only their span, converges. t-SNE: van der Maaten's exact algorithm, O(n^2) a step;
 * no Barnes-Hut tree, hence NN_TSNE_MAX points. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "nn_embed.h"

/* ---- PCA ------------------------------------------------------------------------ */

/* Eigen-decomposition of the symmetric m x m matrix a (destroyed) by cyclic Jacobi:
 * eigenvalues in w, eigenvectors in the columns of v (row-major m x m). */
static void jacobi_eigen(double *a, int m, double *w, double *v) {
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) v[i * m + j] = i == j;
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0;
        for (int p = 0; p < m; p++)
            for (int q = p + 1; q < m; q++) off += a[p * m + q] * a[p * m + q];
        if (off < 1e-30) break;
        for (int p = 0; p < m; p++)
            for (int q = p + 1; q < m; q++) {
                double apq = a[p * m + q];
                if (fabs(apq) < 1e-300) continue;
                double theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
                double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < m; k++) { /* columns p and q of a */
                    double akp = a[k * m + p], akq = a[k * m + q];
                    a[k * m + p] = c * akp - s * akq, a[k * m + q] = s * akp + c * akq;
                }
                for (int k = 0; k < m; k++) { /* rows p and q */
                    double apk = a[p * m + k], aqk = a[q * m + k];
                    a[p * m + k] = c * apk - s * aqk, a[q * m + k] = s * apk + c * aqk;
                }
                for (int k = 0; k < m; k++) {
                    double vkp = v[k * m + p], vkq = v[k * m + q];
                    v[k * m + p] = c * vkp - s * vkq, v[k * m + q] = s * vkp + c * vkq;
                }
            }
    }
    for (int i = 0; i < m; i++) w[i] = a[i * m + i];
}

/* Orthonormalises the m columns of q (d x m, row-major) by modified Gram-Schmidt; a
 * column that vanishes becomes a unit vector along an axis. */
static void orthonormalise(double *q, int d, int m) {
    for (int c = 0; c < m; c++) {
        for (int p = 0; p < c; p++) {
            double dot = 0;
            for (int j = 0; j < d; j++) dot += q[j * m + c] * q[j * m + p];
            for (int j = 0; j < d; j++) q[j * m + c] -= dot * q[j * m + p];
        }
        double norm = 0;
        for (int j = 0; j < d; j++) norm += q[j * m + c] * q[j * m + c];
        norm = sqrt(norm);
        if (norm < 1e-12) {
            for (int j = 0; j < d; j++) q[j * m + c] = j == c % d;
            c--; /* orthonormalise that axis against the others instead */
            continue;
        }
        for (int j = 0; j < d; j++) q[j * m + c] /= norm;
    }
}

/* The top m eigenpairs of the symmetric d x d matrix cov: vectors in the columns of q
 * (d x m), values in w, largest first. */
static int top_eigen(nn_ctx *ctx, const float *cov, int d, int m, double *q, double *w) {
    double *z = nn_malloc(ctx, sizeof *z * (size_t)d * m);
    double *h = nn_malloc(ctx, sizeof *h * (size_t)m * m);
    double *v = nn_malloc(ctx, sizeof *v * (size_t)m * m);
    double *prev = nn_malloc(ctx, sizeof *prev * (size_t)m);
    float *qf = nn_malloc(ctx, sizeof *qf * (size_t)d * m),
          *zf = nn_malloc(ctx, sizeof *zf * (size_t)d * m);
    if (!z || !h || !v || !prev || !qf || !zf) {
        nn_mfree(z), nn_mfree(h), nn_mfree(v), nn_mfree(prev), nn_mfree(qf), nn_mfree(zf);
        return NN_ENOMEM;
    }
    /* a fixed start with no symmetry a covariance could share */
    for (int j = 0; j < d; j++)
        for (int c = 0; c < m; c++) q[j * m + c] = sin(1.0 + j * 0.7071 + c * 1.618 + j * c * 0.31);
    orthonormalise(q, d, m);
    for (int c = 0; c < m; c++) prev[c] = 0;
    for (int it = 0; it < 500; it++) {
        for (size_t i = 0; i < (size_t)d * m; i++) qf[i] = (float)q[i];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, d, m, d, 1.0f, cov, d, qf, m, 0.0f,
                    zf, m); /* z = cov q */
        for (size_t i = 0; i < (size_t)d * m; i++) z[i] = zf[i];
        for (int a = 0; a < m; a++) /* h = q' cov q: the Rayleigh-Ritz block */
            for (int b = 0; b < m; b++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += q[j * m + a] * z[j * m + b];
                h[a * m + b] = s;
            }
        jacobi_eigen(h, m, w, v);
        /* the Ritz vectors: z v, sorted by value, largest first */
        int order[m];
        for (int c = 0; c < m; c++) order[c] = c;
        for (int a = 1; a < m; a++)
            for (int b = a; b > 0 && w[order[b]] > w[order[b - 1]]; b--) {
                int t = order[b];
                order[b] = order[b - 1], order[b - 1] = t;
            }
        double ws[m], change = 0, scale = fabs(w[order[0]]) + 1e-30;
        for (int c = 0; c < m; c++) ws[c] = w[order[c]];
        for (int j = 0; j < d; j++) {
            double row[m];
            for (int c = 0; c < m; c++) {
                double s = 0;
                for (int b = 0; b < m; b++) s += z[j * m + b] * v[b * m + order[c]];
                row[c] = s;
            }
            for (int c = 0; c < m; c++) q[j * m + c] = row[c];
        }
        orthonormalise(q, d, m);
        for (int c = 0; c < m; c++) {
            change = fmax(change, fabs(ws[c] - prev[c]) / scale);
            prev[c] = w[c] = ws[c];
        }
        if (it > 2 && change < 1e-7) break; /* float covariance: values to about 1e-7 */
    }
    /* one more Rayleigh quotient per vector, for the values of the final vectors */
    for (int c = 0; c < m; c++) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            double ci = 0;
            for (int j = 0; j < d; j++) ci += cov[(size_t)i * d + j] * q[j * m + c];
            s += q[i * m + c] * ci;
        }
        w[c] = s;
    }
    nn_mfree(z), nn_mfree(h), nn_mfree(v), nn_mfree(prev), nn_mfree(qf), nn_mfree(zf);
    return NN_OK;
}

int nn_pca(nn_ctx *ctx, const float *x, int n, int d, int k, float *out, float *comps, float *var) {
    if (n < 2 || d < 1 || k < 1 || k > d)
        return nn_errorf(
            ctx, NN_EARG,
            "pca: %d points of %d values, %d components: need at least 2 points and 1 <= k <= %d",
            n, d, k, d);
    int m = k + 8 < d ? k + 8 : d; /* a few spare vectors speed the top k's convergence */
    float *xc = nn_malloc(ctx, sizeof *xc * (size_t)n * d);
    float *cov = nn_malloc(ctx, sizeof *cov * (size_t)d * d);
    double *mean = nn_calloc(ctx, (size_t)d, sizeof *mean);
    double *q = nn_malloc(ctx, sizeof *q * (size_t)d * m);
    double *w = nn_malloc(ctx, sizeof *w * (size_t)m);
    int rc = NN_ENOMEM;
    if (!xc || !cov || !mean || !q || !w) goto done;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++) mean[j] += x[(size_t)i * d + j];
    for (int j = 0; j < d; j++) mean[j] /= n;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++) xc[(size_t)i * d + j] = (float)(x[(size_t)i * d + j] - mean[j]);
    /* cov = xc' xc / (n - 1) */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0f / (float)(n - 1), xc, d, xc,
                d, 0.0f, cov, d);
    if ((rc = top_eigen(ctx, cov, d, m, q, w)) != NN_OK) goto done;
    for (int c = 0; c < k; c++) { /* the sign: entries summing above 0 (else the largest) */
        int big = 0;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            sum += q[j * m + c];
            if (fabs(q[j * m + c]) > fabs(q[big * m + c]) + 1e-6) big = j;
        }
        if (fabs(sum) > 1e-6 ? sum < 0 : q[big * m + c] < 0)
            for (int j = 0; j < d; j++) q[j * m + c] = -q[j * m + c];
        if (comps)
            for (int j = 0; j < d; j++) comps[(size_t)c * d + j] = (float)q[j * m + c];
        if (var) var[c] = (float)w[c];
    }
    for (int i = 0; i < n; i++)
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += xc[(size_t)i * d + j] * q[j * m + c];
            out[(size_t)i * k + c] = (float)s;
        }
    rc = NN_OK;
done:
    if (rc == NN_ENOMEM) nn_errorf(ctx, rc, "pca: out of memory for %d points of %d values", n, d);
    nn_mfree(xc), nn_mfree(cov), nn_mfree(mean), nn_mfree(q), nn_mfree(w);
    return rc;
}

/* ---- t-SNE ------------------------------------------------------------------------ */

/* splitmix64: the start's own generator, so that a map depends on its seed only */
static uint64_t mix_next(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double mix_normal(uint64_t *s) {
    double u1 = ((mix_next(s) >> 11) + 0.5) / 9007199254740992.0;
    double u2 = ((mix_next(s) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* p[i*n + j] = p(j | i): row i's Gaussian affinities, its width found by bisection so
 * that the row's perplexity 2^H is perp. dist holds squared distances. */
static void row_affinities(const float *dist, int n, int i, double perp, float *p) {
    const float *di = dist + (size_t)i * n;
    double dmin = INFINITY;
    for (int j = 0; j < n; j++)
        if (j != i && di[j] < dmin) dmin = di[j];
    double beta = 1, lo = -INFINITY, hi = INFINITY, target = log(perp);
    for (int it = 0; it < 100; it++) {
        double sum = 0, dsum = 0;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            double e = exp(-(di[j] - dmin) * beta);
            sum += e, dsum += (di[j] - dmin) * e;
        }
        double h = log(sum) + beta * dsum / sum; /* the row's entropy in nats */
        if (fabs(h - target) < 1e-5) break;
        if (h > target) { /* too flat: narrower */
            lo = beta;
            beta = isinf(hi) ? beta * 2 : (beta + hi) / 2;
        } else {
            hi = beta;
            beta = isinf(lo) ? beta / 2 : (beta + lo) / 2;
        }
    }
    double sum = 0;
    for (int j = 0; j < n; j++) sum += j == i ? 0 : exp(-(di[j] - dmin) * beta);
    for (int j = 0; j < n; j++)
        p[(size_t)i * n + j] = j == i ? 0.0f : (float)(exp(-(di[j] - dmin) * beta) / sum);
}

/* The symmetric joint affinities P = (P(j|i) + P(i|j)) / 2n of the n points. */
static int joint_affinities(nn_ctx *ctx, const float *x, int n, int d, double perp, float *p) {
    float *dist = nn_malloc(ctx, sizeof *dist * (size_t)n * n);
    if (!dist) return NN_ENOMEM;
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                double t = (double)x[(size_t)i * d + c] - x[(size_t)j * d + c];
                s += t * t;
            }
            dist[(size_t)i * n + j] = dist[(size_t)j * n + i] = (float)s;
        }
    for (int i = 0; i < n; i++) row_affinities(dist, n, i, perp, p);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double v = (p[(size_t)i * n + j] + p[(size_t)j * n + i]) / (2.0 * n);
            p[(size_t)i * n + j] = p[(size_t)j * n + i] = (float)fmax(v, 1e-12);
        }
    nn_mfree(dist);
    return NN_OK;
}

/* One gradient of KL(P || Q) at y (x and y coordinates apart), into gx, gy:
 * grad_i = 4 sum_j (exag p_ij - q_ij) w_ij (y_i - y_j) with w_ij = 1 / (1 + |y_i - y_j|^2)
 * and q_ij = w_ij / Z, Z = sum_{i != j} w_ij; written as 4 (exag A_i - R_i / Z) with
 * A_i = sum_j p_ij w_ij (y_i - y_j) and R_i = sum_j w_ij^2 (y_i - y_j), so that one
 * pass over the pairs (j > i, each adding to both ends) gathers A, R and Z. */
static void tsne_gradient(const float *p, const float *yx, const float *yy, int n, float exag,
                          float *ax, float *ay, float *rx, float *ry, float *gx, float *gy) {
    double z = 0;
    memset(ax, 0, sizeof *ax * (size_t)n), memset(ay, 0, sizeof *ay * (size_t)n);
    memset(rx, 0, sizeof *rx * (size_t)n), memset(ry, 0, sizeof *ry * (size_t)n);
    for (int i = 0; i < n; i++) {
        const float *pi = p + (size_t)i * n;
        float xi = yx[i], yi = yy[i], sax = 0, say = 0, srx = 0, sry = 0, sz = 0;
        for (int j = i + 1; j < n; j++) {
            float dx = xi - yx[j], dy = yi - yy[j];
            float w = 1.0f / (1.0f + dx * dx + dy * dy), a = pi[j] * w, r = w * w;
            sz += w;
            sax += a * dx, say += a * dy, srx += r * dx, sry += r * dy;
            ax[j] -= a * dx, ay[j] -= a * dy, rx[j] -= r * dx, ry[j] -= r * dy;
        }
        ax[i] += sax, ay[i] += say, rx[i] += srx, ry[i] += sry;
        z += 2.0 * sz;
    }
    float iz = (float)(1 / z);
    for (int i = 0; i < n; i++) {
        gx[i] = 4 * (exag * ax[i] - rx[i] * iz);
        gy[i] = 4 * (exag * ay[i] - ry[i] * iz);
    }
}

int nn_tsne(nn_ctx *ctx, const float *x, int n, int d, const nn_tsne_opts *o, float *out) {
    double perp = o && o->perplexity > 0 ? o->perplexity : 30;
    int iters = o && o->iterations > 0 ? o->iterations : 1000;
    if (n < 4 || n > NN_TSNE_MAX || d < 1)
        return nn_errorf(ctx, NN_EARG,
                         "tsne: %d points of %d values: t-SNE here takes 4 to %d points", n, d,
                         NN_TSNE_MAX);
    if (!(perp >= 1) || perp >= n / 3.0)
        return nn_errorf(ctx, NN_EARG,
                         "tsne: perplexity %g for %d points: it must be from 1 to below n / 3 = %g",
                         perp, n, n / 3.0);
    if (iters < 250)
        return nn_errorf(ctx, NN_EARG,
                         "tsne: %d iterations: at least 250 (the early exaggeration's)", iters);
    int dr = d > 50 ? 50 : d, rc = NN_ENOMEM;
    float *xr = d > 50 ? nn_malloc(ctx, sizeof *xr * (size_t)n * dr) : NULL;
    float *p = nn_malloc(ctx, sizeof *p * (size_t)n * n);
    /* per point: y (x, y apart), gradient, A and R sums, update and gain of each */
    float *buf = nn_calloc(ctx, 14 * (size_t)n, sizeof *buf);
    if ((d > 50 && !xr) || !p || !buf) goto done;
    float *yv[2] = {buf, buf + n}, *g[2] = {buf + 2 * n, buf + 3 * n};
    float *ax = buf + 4 * (size_t)n, *ay = buf + 5 * (size_t)n, *rx = buf + 6 * (size_t)n,
          *ry = buf + 7 * (size_t)n, *upd = buf + 8 * (size_t)n, *gain = buf + 10 * (size_t)n;
    if (xr && (rc = nn_pca(ctx, x, n, d, dr, xr, NULL, NULL)) != NN_OK) goto done;
    if ((rc = joint_affinities(ctx, xr ? xr : x, n, dr, perp, p)) != NN_OK) goto done;
    uint64_t s = o ? o->seed : 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < 2; c++) yv[c][i] = (float)(1e-4 * mix_normal(&s)), gain[c * n + i] = 1;
    float eta = (float)fmax(n / 12.0, 200);
    for (int it = 0; it < iters; it++) {
        float exag = it < 250 ? 12 : 1, mom = it < 250 ? 0.5f : 0.8f;
        tsne_gradient(p, yv[0], yv[1], n, exag, ax, ay, rx, ry, g[0], g[1]);
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                /* gains (Jacobs' delta-bar-delta): grow where the step keeps its direction */
                float *gn = &gain[c * n + i], *u = &upd[c * n + i];
                *gn = (g[c][i] > 0) != (*u > 0) ? *gn + 0.2f : fmaxf(*gn * 0.8f, 0.01f);
                *u = mom * *u - eta * *gn * g[c][i];
                yv[c][i] += *u;
                mean += yv[c][i];
            }
            for (int i = 0; i < n; i++) yv[c][i] -= (float)(mean / n);
        }
    }
    for (int i = 0; i < n; i++) out[2 * i] = yv[0][i], out[2 * i + 1] = yv[1][i];
    rc = NN_OK;
done:
    if (rc == NN_ENOMEM) nn_errorf(ctx, rc, "tsne: out of memory for %d points", n);
    nn_mfree(xr), nn_mfree(p), nn_mfree(buf);
    return rc;
}
