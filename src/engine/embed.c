/* embed.c: principal component analysis and t-SNE (nn_embed.h), the 2-D maps of a
 * layer's features. PCA: the covariance by one sgemm, then orthogonal iteration with a
 * Rayleigh-Ritz step (Jacobi on the small block) so that each component, not only their
 * span, converges. t-SNE: van der Maaten's exact algorithm, O(n^2) a step, and his
 * Barnes-Hut one (sparse nearest-neighbour affinities, a quadtree), O(n log n) a step. */
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

/* Orthonormalises the m <= d columns of q (d x m, row-major) by modified Gram-Schmidt,
 * twice (one pass loses orthogonality when a column nearly lies in the others' span).
 * A column that lies in the others' span (rank-deficient data: dead units) is replaced
 * by a unit vector along the next axis not yet tried; an axis that fails lies in the
 * span for good, so after at most d tries every column stands. */
static void orthonormalise(double *q, int d, int m) {
    for (int c = 0, axis = 0; c < m; c++) {
        double before = 0, norm = 0;
        for (int j = 0; j < d; j++) before += q[j * m + c] * q[j * m + c];
        for (int pass = 0; pass < 2; pass++)
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += q[j * m + c] * q[j * m + p];
                for (int j = 0; j < d; j++) q[j * m + c] -= dot * q[j * m + p];
            }
        for (int j = 0; j < d; j++) norm += q[j * m + c] * q[j * m + c];
        if (!(norm > 1e-20 * before) || norm < 1e-300) {
            for (int j = 0; j < d; j++) q[j * m + c] = j == axis % d;
            axis++;
            c--; /* orthonormalise that axis against the others instead */
            continue;
        }
        norm = sqrt(norm);
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

/* ---- input affinities ------------------------------------------------------------ */

/* The input affinities P, symmetric and summing to 1: dense (p[i*n + j], the exact
 * algorithm's) or sparse (Barnes-Hut's: row i's entries col[row[i] .. row[i+1] - 1]
 * with values val[...], a point's nearest neighbours and the points it is one of). */
typedef struct {
    float *p;
    int *row, *col;
    float *val;
} affinities;

static void affinities_free(affinities *a) {
    nn_mfree(a->p), nn_mfree(a->row), nn_mfree(a->col), nn_mfree(a->val);
    *a = (affinities){0};
}

/* p[j] = p(j | i) over the m candidates whose squared distances from point i are
 * di[0..m-1] (the entry skip, point i itself, left out and set to 0; -1 for none): a
 * Gaussian whose width is found by bisection so that the row's perplexity 2^H is perp. */
static void row_affinities(const float *di, int m, int skip, double perp, float *p) {
    double dmin = INFINITY;
    for (int j = 0; j < m; j++)
        if (j != skip && di[j] < dmin) dmin = di[j];
    double beta = 1, lo = -INFINITY, hi = INFINITY, target = log(perp);
    for (int it = 0; it < 100; it++) {
        double sum = 0, dsum = 0;
        for (int j = 0; j < m; j++) {
            if (j == skip) continue;
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
    for (int j = 0; j < m; j++) sum += j == skip ? 0 : exp(-(di[j] - dmin) * beta);
    for (int j = 0; j < m; j++)
        p[j] = j == skip ? 0.0f : (float)(exp(-(di[j] - dmin) * beta) / sum);
}

/* The dense P = (P(j|i) + P(i|j)) / 2n of the n points, over all pairs. */
static int dense_affinities(nn_ctx *ctx, const float *x, int n, int d, double perp, affinities *a) {
    float *dist = nn_malloc(ctx, sizeof *dist * (size_t)n * n);
    float *p = a->p = nn_malloc(ctx, sizeof *p * (size_t)n * n);
    if (!dist || !p) {
        nn_mfree(dist);
        return NN_ENOMEM;
    }
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                double t = (double)x[(size_t)i * d + c] - x[(size_t)j * d + c];
                s += t * t;
            }
            dist[(size_t)i * n + j] = dist[(size_t)j * n + i] = (float)s;
        }
    for (int i = 0; i < n; i++) row_affinities(dist + (size_t)i * n, n, i, perp, p + (size_t)i * n);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double v = (p[(size_t)i * n + j] + p[(size_t)j * n + i]) / (2.0 * n);
            p[(size_t)i * n + j] = p[(size_t)j * n + i] = (float)fmax(v, 1e-12);
        }
    nn_mfree(dist);
    return NN_OK;
}

/* A max-heap of (distance, index) of size m, the farthest on top: moves entry at down. */
static void heap_down(float *hd, int *hi, int m, int at) {
    for (;;) {
        int big = at, l = 2 * at + 1, r = l + 1;
        if (l < m && hd[l] > hd[big]) big = l;
        if (r < m && hd[r] > hd[big]) big = r;
        if (big == at) return;
        float td = hd[at];
        int ti = hi[at];
        hd[at] = hd[big], hi[at] = hi[big], hd[big] = td, hi[big] = ti;
        at = big;
    }
}

/* Each point's k nearest neighbours by brute force: nb[i*k + c] and their squared
 * distances nd[i*k + c] (in no order). The distances |a|^2 + |b|^2 - 2 a.b of the
 * centred points (centred so that the difference loses few digits), a block of rows
 * at a time by sgemm; the k smallest of a row kept in a max-heap. O(n^2 d) once. */
static int nearest_neighbours(nn_ctx *ctx, const float *x, int n, int d, int k, int *nb,
                              float *nd) {
    enum { BLOCK = 256 };
    float *xc = nn_malloc(ctx, sizeof *xc * (size_t)n * d);
    float *sq = nn_malloc(ctx, sizeof *sq * (size_t)n);
    float *blk = nn_malloc(ctx, sizeof *blk * (size_t)BLOCK * n);
    double *mean = nn_calloc(ctx, (size_t)d, sizeof *mean);
    if (!xc || !sq || !blk || !mean) {
        nn_mfree(xc), nn_mfree(sq), nn_mfree(blk), nn_mfree(mean);
        return NN_ENOMEM;
    }
    for (int i = 0; i < n; i++)
        for (int c = 0; c < d; c++) mean[c] += x[(size_t)i * d + c];
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            float v = (float)(x[(size_t)i * d + c] - mean[c] / n);
            xc[(size_t)i * d + c] = v;
            s += (double)v * v;
        }
        sq[i] = (float)s;
    }
    for (int i0 = 0; i0 < n; i0 += BLOCK) {
        int rows = n - i0 < BLOCK ? n - i0 : BLOCK;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n, d, -2.0f, xc + (size_t)i0 * d,
                    d, xc, d, 0.0f, blk, n); /* blk = -2 a.b */
        for (int r = 0; r < rows; r++) {
            int i = i0 + r, m = 0;
            float *hd = nd + (size_t)i * k;
            int *hi = nb + (size_t)i * k;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                float dist = fmaxf(blk[(size_t)r * n + j] + sq[i] + sq[j], 0.0f);
                if (m < k) { /* fill, then heapify once full */
                    hd[m] = dist, hi[m] = j;
                    if (++m == k)
                        for (int at = k / 2 - 1; at >= 0; at--) heap_down(hd, hi, k, at);
                } else if (dist < hd[0]) {
                    hd[0] = dist, hi[0] = j;
                    heap_down(hd, hi, k, 0);
                }
            }
        }
    }
    nn_mfree(xc), nn_mfree(sq), nn_mfree(blk), nn_mfree(mean);
    return NN_OK;
}

typedef struct {
    int col;
    float val;
} sparse_entry;

static int by_col(const void *a, const void *b) {
    int x = ((const sparse_entry *)a)->col, y = ((const sparse_entry *)b)->col;
    return (x > y) - (x < y);
}

/* The sparse P of Barnes-Hut t-SNE: p(j | i) over point i's k = floor(3 perp) nearest
 * neighbours (0 elsewhere), then P = (P(j|i) + P(i|j)) / 2n, each pair once per row. */
static int sparse_affinities(nn_ctx *ctx, const float *x, int n, int d, double perp,
                             affinities *a) {
    int k = (int)(3 * perp) < n - 1 ? (int)(3 * perp) : n - 1;
    size_t nk = (size_t)n * k;
    int *nb = nn_malloc(ctx, sizeof *nb * nk), *fill = nn_calloc(ctx, (size_t)n + 1, sizeof *fill);
    float *nd = nn_malloc(ctx, sizeof *nd * nk), *pc = nn_malloc(ctx, sizeof *pc * nk);
    sparse_entry *e = nn_malloc(ctx, sizeof *e * 2 * nk);
    a->row = nn_calloc(ctx, (size_t)n + 1, sizeof *a->row);
    a->col = nn_malloc(ctx, sizeof *a->col * 2 * nk);
    a->val = nn_malloc(ctx, sizeof *a->val * 2 * nk);
    int rc = NN_ENOMEM;
    if (!nb || !fill || !nd || !pc || !e || !a->row || !a->col || !a->val) goto done;
    if ((rc = nearest_neighbours(ctx, x, n, d, k, nb, nd)) != NN_OK) goto done;
    for (int i = 0; i < n; i++) row_affinities(nd + (size_t)i * k, k, -1, perp, pc + (size_t)i * k);
    /* each p(j|i) goes to row i (column j) and to row j (column i) */
    for (size_t t = 0; t < nk; t++) fill[t / k + 1]++, fill[nb[t] + 1]++;
    for (int i = 0; i < n; i++) fill[i + 1] += fill[i];
    for (size_t t = 0; t < nk; t++) {
        int i = (int)(t / k), j = nb[t];
        e[fill[i]++] = (sparse_entry){j, pc[t]};
        e[fill[j]++] = (sparse_entry){i, pc[t]};
    }
    /* fill[i] is now row i's end; a row's entries sorted by column, a pair met twice
     * (each among the other's neighbours) summed into one */
    size_t out = 0;
    for (int i = 0, from = 0; i < n; from = fill[i], i++) {
        qsort(e + from, (size_t)(fill[i] - from), sizeof *e, by_col);
        for (int t = from; t < fill[i]; t++) {
            if (out > (size_t)a->row[i] && a->col[out - 1] == e[t].col) {
                a->val[out - 1] += e[t].val;
                continue;
            }
            a->col[out] = e[t].col, a->val[out] = e[t].val;
            out++;
        }
        a->row[i + 1] = (int)out;
    }
    for (size_t t = 0; t < out; t++) a->val[t] = (float)(a->val[t] / (2.0 * n));
    rc = NN_OK;
done:
    nn_mfree(nb), nn_mfree(fill), nn_mfree(nd), nn_mfree(pc), nn_mfree(e);
    return rc;
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

/* ---- Barnes-Hut's quadtree -------------------------------------------------------- */

/* A cell of the quadtree over the map: a square with its points' count and centre of
 * mass; four children, or (a leaf) a chain of points through next[]. A leaf holds one
 * point, or several at the same place (or below MAX_DEPTH, close enough to be). */
typedef struct {
    double sx, sy;      /* the sums of its points' coordinates while building */
    float cx, cy, half; /* the square: its centre and half its side */
    float mx, my;       /* its points' centre of mass (sx, sy / count once built) */
    int count;          /* points inside */
    int child; /* the first of its 4 children (quadrant x >= cx, + 2 if y >= cy); -1: a leaf */
    int first; /* a leaf's first point (-1: none), the others through next[] */
} quad_cell;

typedef struct {
    quad_cell *cell;
    int used, cap;
    int *next; /* next[i]: the point after point i in its leaf */
} quadtree;

enum { MAX_DEPTH = 40 };

/* Splits leaf k into 4 empty children and moves its points (all at one place) into the
 * child of their quadrant. NN_ENOMEM when the cells cannot grow. */
/* Room for m more cells (doubling: a tree rebuilt each iteration soon stops growing). */
static int quad_reserve(nn_ctx *ctx, quadtree *t, int m) {
    if (t->used + m <= t->cap) return NN_OK;
    int cap = 2 * t->cap > t->used + m ? 2 * t->cap : t->used + m;
    quad_cell *grown = nn_realloc(ctx, t->cell, sizeof *grown * (size_t)cap);
    if (!grown) return NN_ENOMEM;
    t->cell = grown, t->cap = cap;
    return NN_OK;
}

static int quad_split(nn_ctx *ctx, quadtree *t, int k, const float *yx, const float *yy) {
    if (quad_reserve(ctx, t, 4) != NN_OK) return NN_ENOMEM;
    quad_cell *c = &t->cell[k];
    int base = t->used;
    t->used += 4;
    float h = c->half / 2;
    for (int q = 0; q < 4; q++)
        t->cell[base + q] = (quad_cell){.cx = c->cx + (q & 1 ? h : -h),
                                        .cy = c->cy + (q & 2 ? h : -h),
                                        .half = h,
                                        .child = -1,
                                        .first = -1};
    int f = c->first, q = (yx[f] >= c->cx) + 2 * (yy[f] >= c->cy);
    quad_cell *to = &t->cell[base + q];
    to->sx = c->sx, to->sy = c->sy, to->count = c->count, to->first = f;
    c->first = -1, c->child = base;
    return NN_OK;
}

/* Adds point i, walking down from the root and splitting an occupied leaf on the way
 * unless the point sits where the leaf's points do. */
static int quad_insert(nn_ctx *ctx, quadtree *t, int i, const float *yx, const float *yy) {
    float x = yx[i], y = yy[i];
    for (int k = 0, depth = 0;; depth++) {
        quad_cell *c = &t->cell[k];
        if (c->child < 0 && c->count > 0 && depth < MAX_DEPTH &&
            !(yx[c->first] == x && yy[c->first] == y)) {
            if (quad_split(ctx, t, k, yx, yy) != NN_OK) return NN_ENOMEM;
            c = &t->cell[k];
        }
        c->sx += x, c->sy += y, c->count++;
        if (c->child < 0) {
            t->next[i] = c->first, c->first = i;
            return NN_OK;
        }
        k = c->child + (x >= c->cx) + 2 * (y >= c->cy);
    }
}

/* The tree of the map's n points (the cells kept from the last build are reused). */
static int quad_build(nn_ctx *ctx, quadtree *t, const float *yx, const float *yy, int n) {
    float x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i = 0; i < n; i++)
        x0 = fminf(x0, yx[i]), x1 = fmaxf(x1, yx[i]), y0 = fminf(y0, yy[i]), y1 = fmaxf(y1, yy[i]);
    t->used = 0;
    if (quad_reserve(ctx, t, 1) != NN_OK) return NN_ENOMEM;
    t->used = 1;
    float half = fmaxf(x1 - x0, y1 - y0) / 2 * 1.0001f + 1e-20f;
    t->cell[0] = (quad_cell){
        .cx = (x0 + x1) / 2, .cy = (y0 + y1) / 2, .half = half, .child = -1, .first = -1};
    for (int i = 0; i < n; i++)
        if (quad_insert(ctx, t, i, yx, yy) != NN_OK) return NN_ENOMEM;
    for (int k = 0; k < t->used; k++) {
        quad_cell *c = &t->cell[k];
        if (c->count) c->mx = (float)(c->sx / c->count), c->my = (float)(c->sy / c->count);
    }
    return NN_OK;
}

/* Point i's repulsion from the other points, into acc: acc[0] = sum_j w_ij and
 * acc[1..2] = sum_j w_ij^2 (y_i - y_j) (j != i). A cell whose half side h and whose
 * centre of mass at distance r from i have h < theta r, i not inside it, stands for
 * all its points (van der Maaten's criterion, the half side as in his bhtsne); a
 * leaf's points count one by one. Depth first, on a stack: at most 3 cells wait at
 * each level. */
static void quad_repel(const quadtree *t, int i, const float *yx, const float *yy, float theta2,
                       double *acc) {
    int stack[3 * MAX_DEPTH + 8], top = 0;
    float x = yx[i], y = yy[i];
    double z = 0, fx = 0, fy = 0;
    stack[top++] = 0;
    while (top > 0) {
        const quad_cell *c = &t->cell[stack[--top]];
        if (c->child < 0) {
            for (int j = c->first; j >= 0; j = t->next[j]) {
                if (j == i) continue;
                float dx = x - yx[j], dy = y - yy[j], w = 1.0f / (1.0f + dx * dx + dy * dy);
                z += w, fx += w * w * dx, fy += w * w * dy;
            }
            continue;
        }
        float dx = x - c->mx, dy = y - c->my, d2 = dx * dx + dy * dy;
        float reach = c->half * 1.0001f; /* rounding of the centres: a margin, never a miss */
        int inside = fabsf(x - c->cx) <= reach && fabsf(y - c->cy) <= reach;
        if (!inside && c->half * c->half < theta2 * d2) {
            float w = 1.0f / (1.0f + d2), cw = c->count * w;
            z += cw, fx += cw * w * dx, fy += cw * w * dy;
            continue;
        }
        for (int q = 0; q < 4; q++)
            if (t->cell[c->child + q].count) stack[top++] = c->child + q;
    }
    acc[0] = z, acc[1] = fx, acc[2] = fy;
}

/* ---- t-SNE ------------------------------------------------------------------------ */

/* What an optimisation keeps: the affinities, the method's choice, the scratch. */
typedef struct {
    int n, barnes_hut;
    float theta;
    affinities p;
    quadtree tree;
    float *buf; /* per point: y (x, y apart), gradient, A and R sums, update, gain */
} tsne_state;

static void tsne_free(tsne_state *s) {
    affinities_free(&s->p);
    nn_mfree(s->tree.cell), nn_mfree(s->tree.next), nn_mfree(s->buf);
}

/* Checks the arguments, picks the method, reduces inputs of over 50 values to 50 by
 * PCA and computes the affinities. On failure the message is in ctx and s holds
 * nothing to free beyond what tsne_free frees. */
static int tsne_prepare(nn_ctx *ctx, const float *x, int n, int d, const nn_tsne_opts *o,
                        tsne_state *s) {
    double perp = o && o->perplexity > 0 ? o->perplexity : 30;
    int iters = o && o->iterations > 0 ? o->iterations : 1000;
    int method = o ? o->method : NN_TSNE_AUTO;
    double theta = o && o->theta != 0 ? o->theta : 0.5;
    *s = (tsne_state){.n = n};
    if (method < NN_TSNE_AUTO || method > NN_TSNE_BARNES_HUT)
        return nn_errorf(ctx, NN_EARG,
                         "tsne: method %d: expected auto (%d), exact (%d) or "
                         "Barnes-Hut (%d)",
                         method, NN_TSNE_AUTO, NN_TSNE_EXACT, NN_TSNE_BARNES_HUT);
    s->barnes_hut =
        method == NN_TSNE_BARNES_HUT || (method == NN_TSNE_AUTO && n > NN_TSNE_BH_ABOVE);
    int most = s->barnes_hut ? NN_TSNE_BH_MAX : NN_TSNE_MAX;
    if (n < 4 || n > most || d < 1)
        return nn_errorf(ctx, NN_EARG,
                         "tsne: %d points of %d values: %s t-SNE here takes 4 to %d points", n, d,
                         s->barnes_hut ? "Barnes-Hut" : "exact", most);
    if (!(perp >= 1) || perp >= n / 3.0)
        return nn_errorf(ctx, NN_EARG,
                         "tsne: perplexity %g for %d points: it must be from 1 to below n / 3 = %g",
                         perp, n, n / 3.0);
    if (iters < 250)
        return nn_errorf(ctx, NN_EARG,
                         "tsne: %d iterations: at least 250 (the early exaggeration's)", iters);
    if (!(theta > 0 && theta <= 1))
        return nn_errorf(ctx, NN_EARG, "tsne: theta %g: it must be above 0 and at most 1", theta);
    s->theta = (float)theta;
    int dr = d > 50 ? 50 : d, rc = NN_ENOMEM;
    float *xr = d > 50 ? nn_malloc(ctx, sizeof *xr * (size_t)n * dr) : NULL;
    s->buf = nn_calloc(ctx, 14 * (size_t)n, sizeof *s->buf);
    s->tree.next = s->barnes_hut ? nn_malloc(ctx, sizeof *s->tree.next * (size_t)n) : NULL;
    if ((d > 50 && !xr) || !s->buf || (s->barnes_hut && !s->tree.next)) goto done;
    if (xr && (rc = nn_pca(ctx, x, n, d, dr, xr, NULL, NULL)) != NN_OK) goto done;
    rc = s->barnes_hut ? sparse_affinities(ctx, xr ? xr : x, n, dr, perp, &s->p)
                       : dense_affinities(ctx, xr ? xr : x, n, dr, perp, &s->p);
done:
    if (rc == NN_ENOMEM) nn_errorf(ctx, rc, "tsne: out of memory for %d points", n);
    nn_mfree(xr);
    return rc;
}

/* The gradient of KL(P || Q) by Barnes-Hut: as tsne_gradient, A_i over the sparse P's
 * entries, R_i and Z through the quadtree. */
static int bh_gradient(nn_ctx *ctx, tsne_state *s, const float *yx, const float *yy, float exag,
                       float *gx, float *gy) {
    int n = s->n;
    const affinities *p = &s->p;
    if (quad_build(ctx, &s->tree, yx, yy, n) != NN_OK)
        return nn_errorf(ctx, NN_ENOMEM, "tsne: out of memory for the tree of %d points", n);
    double z = 0;
    float *ax = s->buf + 4 * (size_t)n, *ay = s->buf + 5 * (size_t)n, *rx = s->buf + 6 * (size_t)n,
          *ry = s->buf + 7 * (size_t)n;
    float theta2 = s->theta * s->theta;
    for (int i = 0; i < n; i++) {
        double sax = 0, say = 0, acc[3] = {0, 0, 0};
        for (int e = p->row[i]; e < p->row[i + 1]; e++) {
            int j = p->col[e];
            float dx = yx[i] - yx[j], dy = yy[i] - yy[j];
            float a = p->val[e] / (1.0f + dx * dx + dy * dy);
            sax += a * dx, say += a * dy;
        }
        quad_repel(&s->tree, i, yx, yy, theta2, acc);
        ax[i] = (float)sax, ay[i] = (float)say, rx[i] = (float)acc[1], ry[i] = (float)acc[2];
        z += acc[0];
    }
    float iz = (float)(1 / z);
    for (int i = 0; i < n; i++) {
        gx[i] = 4 * (exag * ax[i] - rx[i] * iz);
        gy[i] = 4 * (exag * ay[i] - ry[i] * iz);
    }
    return NN_OK;
}

/* The gradient at (yx, yy) by the state's method into gx, gy. */
static int tsne_step_gradient(nn_ctx *ctx, tsne_state *s, const float *yx, const float *yy,
                              float exag, float *gx, float *gy) {
    int n = s->n;
    if (s->barnes_hut) return bh_gradient(ctx, s, yx, yy, exag, gx, gy);
    tsne_gradient(s->p.p, yx, yy, n, exag, s->buf + 4 * (size_t)n, s->buf + 5 * (size_t)n,
                  s->buf + 6 * (size_t)n, s->buf + 7 * (size_t)n, gx, gy);
    return NN_OK;
}

/* KL(P || Q) = sum p_ij log(p_ij / q_ij) over P's entries, Q exact (O(n^2)). */
static double tsne_kl(const tsne_state *s, const float *yx, const float *yy) {
    int n = s->n;
    double z = 0, kl = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double dx = yx[i] - yx[j], dy = yy[i] - yy[j];
            z += 2 / (1 + dx * dx + dy * dy);
        }
    for (int i = 0; i < n; i++) {
        int from = s->barnes_hut ? s->p.row[i] : 0, to = s->barnes_hut ? s->p.row[i + 1] : n;
        for (int e = from; e < to; e++) {
            int j = s->barnes_hut ? s->p.col[e] : e;
            double pij = s->barnes_hut ? s->p.val[e] : s->p.p[(size_t)i * n + j];
            if (j == i || pij <= 0) continue;
            double dx = yx[i] - yx[j], dy = yy[i] - yy[j];
            kl += pij * log(pij * z * (1 + dx * dx + dy * dy));
        }
    }
    return kl;
}

int nn_tsne(nn_ctx *ctx, const float *x, int n, int d, const nn_tsne_opts *o, float *out) {
    int iters = o && o->iterations > 0 ? o->iterations : 1000;
    tsne_state st;
    int rc = tsne_prepare(ctx, x, n, d, o, &st);
    if (rc != NN_OK) goto done;
    float *buf = st.buf;
    float *yv[2] = {buf, buf + n}, *g[2] = {buf + 2 * n, buf + 3 * n};
    float *upd = buf + 8 * (size_t)n, *gain = buf + 10 * (size_t)n;
    uint64_t s = o ? o->seed : 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < 2; c++) yv[c][i] = (float)(1e-4 * mix_normal(&s)), gain[c * n + i] = 1;
    float eta = (float)fmax(n / 12.0, 200);
    for (int it = 0; it < iters; it++) {
        float exag = it < 250 ? 12 : 1, mom = it < 250 ? 0.5f : 0.8f;
        if ((rc = tsne_step_gradient(ctx, &st, yv[0], yv[1], exag, g[0], g[1])) != NN_OK) goto done;
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
done:
    tsne_free(&st);
    return rc;
}

int nn_tsne_gradient(nn_ctx *ctx, const float *x, int n, int d, const nn_tsne_opts *o,
                     const float *y, float *grad, double *kl) {
    tsne_state st;
    int rc = tsne_prepare(ctx, x, n, d, o, &st);
    if (rc != NN_OK) goto done;
    float *yx = st.buf, *yy = st.buf + n, *gx = st.buf + 2 * (size_t)n,
          *gy = st.buf + 3 * (size_t)n;
    for (int i = 0; i < n; i++) yx[i] = y[2 * i], yy[i] = y[2 * i + 1];
    if ((rc = tsne_step_gradient(ctx, &st, yx, yy, 1, gx, gy)) != NN_OK) goto done;
    for (int i = 0; i < n; i++) grad[2 * i] = gx[i], grad[2 * i + 1] = gy[i];
    if (kl) *kl = tsne_kl(&st, yx, yy);
done:
    tsne_free(&st);
    return rc;
}
