/* data.c: data sets in memory (x [n, ...], y [n, ...], samples stored as rows of nx
 * and ny floats) and what is done to them:
 * the synthetic 2-D sets of TensorFlow Playground and the course, Playground's input
 * features, shuffling, splitting, scaling fitted on one set, one-hot. Loaders of
 * files are in csv.c and idx.c. */
#include <math.h>
#include <string.h>

#include "train_internal.h"

#define PG_RADIUS 5.0 /* Playground's sets live in [-6, 6]^2 with this radius */

nn_dataset *nn_dataset_new(nn_ctx *ctx, int n, int nx, int ny, int classes) {
    return nn_dataset_new_shaped(ctx, n, 1, &nx, 1, &ny, classes);
}

/* Checks a sample's shape; its product into *size. */
static int sample_shape(nn_ctx *ctx, const char *what, int ndim, const int *shape, int *size) {
    if (ndim < 1 || ndim > NN_MAX_DIMS - 1)
        return nn_errorf(ctx, NN_EARG, "dataset: a sample of %s has 1 to %d sizes, got %d", what,
                         NN_MAX_DIMS - 1, ndim);
    int64_t p = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 1)
            return nn_errorf(ctx, NN_EARG, "dataset: sizes of %s must be >= 1, got %d", what,
                             shape[i]);
        p *= shape[i];
    }
    if (p > INT32_MAX) return nn_errorf(ctx, NN_EARG, "dataset: samples of %s are too large", what);
    *size = (int)p;
    return NN_OK;
}

static void set_shape(int *ndim_out, int *shape_out, int ndim, const int *shape) {
    *ndim_out = ndim;
    for (int i = 0; i < NN_MAX_DIMS - 1; i++) shape_out[i] = i < ndim ? shape[i] : 1;
}

nn_dataset *nn_dataset_new_shaped(nn_ctx *ctx, int n, int x_ndim, const int *x_shape, int y_ndim,
                                  const int *y_shape, int classes) {
    int nx = 0, ny = 0;
    if (x_ndim == 1 && y_ndim == 1 && (n < 1 || x_shape[0] < 1 || y_shape[0] < 1 || classes < 0)) {
        nn_errorf(ctx, NN_EARG, "dataset: need n, nx, ny >= 1, got %d, %d, %d", n, x_shape[0],
                  y_shape[0]);
        return NULL;
    }
    if (sample_shape(ctx, "x", x_ndim, x_shape, &nx) ||
        sample_shape(ctx, "y", y_ndim, y_shape, &ny))
        return NULL;
    if (n < 1 || classes < 0) {
        nn_errorf(ctx, NN_EARG, "dataset: need n >= 1 and classes >= 0, got %d and %d", n, classes);
        return NULL;
    }
    nn_dataset *d = nn_calloc(ctx, 1, sizeof *d);
    if (!d) return NULL;
    d->x = nn_calloc(ctx, (size_t)n * nx, sizeof(float));
    d->y = nn_calloc(ctx, (size_t)n * ny, sizeof(float));
    if (!d->x || !d->y) {
        nn_dataset_free(d);
        return NULL;
    }
    d->n = n, d->nx = nx, d->ny = ny, d->classes = classes;
    set_shape(&d->x_ndim, d->x_shape, x_ndim, x_shape);
    set_shape(&d->y_ndim, d->y_shape, y_ndim, y_shape);
    return d;
}

int nn_dataset_reshape(nn_ctx *ctx, nn_dataset *d, bool of_y, int ndim, const int *shape) {
    int size = 0, rc = sample_shape(ctx, of_y ? "y" : "x", ndim, shape, &size);
    if (rc) return rc;
    int have = of_y ? d->ny : d->nx;
    if (size != have) {
        char s[64];
        return nn_errorf(ctx, NN_ESHAPE,
                         "dataset: samples of %s have %d values, the shape %s has %d",
                         of_y ? "y" : "x", have, nn_dims_str(ndim, shape, s, sizeof s), size);
    }
    if (of_y)
        set_shape(&d->y_ndim, d->y_shape, ndim, shape);
    else
        set_shape(&d->x_ndim, d->x_shape, ndim, shape);
    return NN_OK;
}

void nn_dataset_free(nn_dataset *d) {
    if (!d) return;
    nn_mfree(d->x);
    nn_mfree(d->y);
    nn_mfree(d);
}

static const char *const synth_names[NN_SYN_COUNT] = {
    "circle", "xor", "gauss", "spiral", "moons", "blobs", "plane", "gauss_sum", "sine",
};

const char *nn_synth_name(nn_synth_kind kind) {
    return (unsigned)kind < NN_SYN_COUNT ? synth_names[kind] : NULL;
}

int nn_synth_from_name(const char *name) {
    return nn_kind_from_name(name, synth_names, NN_SYN_COUNT, NULL);
}

static double unif(nn_ctx *ctx, double lo, double hi) {
    return lo + (hi - lo) * nn_rand_uniform(ctx);
}

/* One point of class c (of k) at index i (of the class's m points). Noise is in the
 * Playground's sense for circle/xor (a fraction of the radius, uniform) and a
 * standard deviation in data units for the others (spiral: of the angle, x2). */
static void point(nn_ctx *ctx, nn_synth_kind kind, int c, int k, int i, int m, double noise,
                  float *x, float *y) {
    double px = 0, py = 0, lab = c, ang, r;
    switch (kind) {
    case NN_SYN_CIRCLE: /* class 1 inside r < R/2, class 0 in the ring 0.7R..R */
        ang = unif(ctx, 0, 2 * M_PI);
        r = c == 1 ? unif(ctx, 0, PG_RADIUS * 0.5) : unif(ctx, PG_RADIUS * 0.7, PG_RADIUS);
        px = r * sin(ang) + noise * unif(ctx, -PG_RADIUS, PG_RADIUS);
        py = r * cos(ang) + noise * unif(ctx, -PG_RADIUS, PG_RADIUS);
        break;
    case NN_SYN_XOR: { /* class 1 where x1 x2 >= 0; kept 0.3 off the axes, as Playground */
        double ax = unif(ctx, 0.3, PG_RADIUS), ay = unif(ctx, 0.3, PG_RADIUS);
        int q = (int)nn_rand_below(ctx, 2);
        px = (q ? ax : -ax), py = (c == 1) == (q == 1) ? ay : -ay;
        px += noise * unif(ctx, -PG_RADIUS, PG_RADIUS);
        py += noise * unif(ctx, -PG_RADIUS, PG_RADIUS);
        break;
    }
    case NN_SYN_GAUSS: /* class 1 around (2,2), class 0 around (-2,-2) */
        px = (c ? 2 : -2) + (1 + 6 * noise) * nn_rand_normal(ctx);
        py = (c ? 2 : -2) + (1 + 6 * noise) * nn_rand_normal(ctx);
        break;
    case NN_SYN_SPIRAL: /* k arms of 4 radians each (CS231n's spiral), radius 0..R */
        r = PG_RADIUS * (i + 0.5) / m;
        ang = 4.0 * i / m + 2 * M_PI * c / k + 2 * noise * nn_rand_normal(ctx);
        px = r * sin(ang), py = r * cos(ang);
        break;
    case NN_SYN_MOONS: /* scikit-learn's two moons, scaled 2.5x and centred */
        ang = M_PI * (i + 0.5) / m;
        px = c ? 1 - cos(ang) : cos(ang);
        py = c ? 0.5 - sin(ang) : sin(ang);
        px = 2.5 * (px - 0.5 + noise * nn_rand_normal(ctx));
        py = 2.5 * (py - 0.25 + noise * nn_rand_normal(ctx));
        break;
    case NN_SYN_BLOBS: /* k clusters on a circle of radius 3.5 */
        px = 3.5 * cos(2 * M_PI * c / k) + (0.8 + 4 * noise) * nn_rand_normal(ctx);
        py = 3.5 * sin(2 * M_PI * c / k) + (0.8 + 4 * noise) * nn_rand_normal(ctx);
        break;
    case NN_SYN_PLANE: /* y = (x1 + x2)/10, in [-1, 1] */
        px = unif(ctx, -PG_RADIUS, PG_RADIUS), py = unif(ctx, -PG_RADIUS, PG_RADIUS);
        lab = (px + py) / (2 * PG_RADIUS) + noise * nn_rand_normal(ctx);
        break;
    case NN_SYN_GAUSS_SUM: { /* six bumps of alternating sign, as Playground's */
        static const double g[6][3] = {{-4, 2.5, 1},   {0, 2.5, -1}, {4, 2.5, 1},
                                       {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
        px = unif(ctx, -PG_RADIUS, PG_RADIUS), py = unif(ctx, -PG_RADIUS, PG_RADIUS);
        lab = 0;
        for (int j = 0; j < 6; j++) {
            double dx = px - g[j][0], dy = py - g[j][1];
            lab += g[j][2] * exp(-(dx * dx + dy * dy) / 2);
        }
        lab += noise * nn_rand_normal(ctx);
        break;
    }
    case NN_SYN_SINE: /* 1-D: y = sin x on [-pi, pi] */
        px = unif(ctx, -M_PI, M_PI);
        lab = sin(px) + noise * nn_rand_normal(ctx);
        x[0] = (float)px;
        y[0] = (float)lab;
        return;
    case NN_SYN_COUNT:
        break;
    }
    x[0] = (float)px, x[1] = (float)py;
    y[0] = (float)lab;
}

nn_dataset *nn_synth(nn_ctx *ctx, nn_synth_kind kind, int n, int classes, float noise) {
    const char *name = nn_synth_name(kind);
    if (!name) {
        nn_errorf(ctx, NN_EARG, "synthetic data: unknown kind %d", (int)kind);
        return NULL;
    }
    bool classify = kind <= NN_SYN_BLOBS;
    bool many = kind == NN_SYN_SPIRAL || kind == NN_SYN_BLOBS;
    int k = classify ? (many && classes > 0 ? classes : 2) : 1;
    if (!(noise >= 0) || (classify && k < 2) || n < k) {
        nn_errorf(ctx, NN_EARG,
                  "%s: need n >= classes >= 2 and noise >= 0, got n=%d classes=%d noise=%g", name,
                  n, k, noise);
        return NULL;
    }
    nn_dataset *d = nn_dataset_new(ctx, n, kind == NN_SYN_SINE ? 1 : 2, 1, classify ? k : 0);
    if (!d) return NULL;
    for (int i = 0; i < n; i++) {
        int c = classify ? i % k : 0, m = classify ? (n + k - 1 - c) / k : n;
        point(ctx, kind, c, k, classify ? i / k : i, m, noise, d->x + (int64_t)i * d->nx, d->y + i);
    }
    return d;
}

nn_dataset *nn_features(nn_ctx *ctx, const nn_dataset *d, unsigned flags) {
    int nf = 0;
    for (int b = 0; b < 7; b++) nf += (flags >> b) & 1;
    if (d->nx != 2 || nf == 0) {
        nn_errorf(ctx, NN_EARG,
                  "features: need 2-D points and at least one feature, got %d columns", d->nx);
        return NULL;
    }
    nn_dataset *o = nn_dataset_new(ctx, d->n, nf, d->ny, d->classes);
    if (!o) return NULL;
    memcpy(o->y, d->y, (size_t)d->n * d->ny * sizeof(float));
    for (int i = 0; i < d->n; i++) {
        float a = d->x[2 * i], b = d->x[2 * i + 1];
        float f[7] = {a, b, a * a, b * b, a * b, sinf(a), sinf(b)};
        float *row = o->x + (int64_t)i * nf;
        for (int bit = 0, j = 0; bit < 7; bit++)
            if ((flags >> bit) & 1) row[j++] = f[bit];
    }
    return o;
}

static void swap_rows(float *a, int i, int j, int w) {
    for (int k = 0; k < w; k++) {
        float t = a[(int64_t)i * w + k];
        a[(int64_t)i * w + k] = a[(int64_t)j * w + k];
        a[(int64_t)j * w + k] = t;
    }
}

void nn_dataset_shuffle(nn_ctx *ctx, nn_dataset *d) {
    for (int i = d->n - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)nn_rand_below(ctx, (uint32_t)i + 1);
        swap_rows(d->x, i, j, d->nx);
        swap_rows(d->y, i, j, d->ny);
    }
}

nn_dataset *nn_dataset_slice(nn_ctx *ctx, const nn_dataset *d, int start, int count) {
    if (start < 0 || count < 1 || start + count > d->n) {
        nn_errorf(ctx, NN_EARG, "slice: rows %d..%d outside 1..%d", start + 1, start + count, d->n);
        return NULL;
    }
    nn_dataset *o =
        nn_dataset_new_shaped(ctx, count, d->x_ndim, d->x_shape, d->y_ndim, d->y_shape, d->classes);
    if (!o) return NULL;
    memcpy(o->x, d->x + (int64_t)start * d->nx, (size_t)count * d->nx * sizeof(float));
    memcpy(o->y, d->y + (int64_t)start * d->ny, (size_t)count * d->ny * sizeof(float));
    return o;
}

int nn_dataset_split(nn_ctx *ctx, const nn_dataset *d, float frac, nn_dataset **a, nn_dataset **b) {
    int nb = (int)lround((double)d->n * frac);
    if (!(frac > 0 && frac < 1) || nb < 1 || nb >= d->n)
        return nn_errorf(ctx, NN_EARG, "split: %g of %d rows leaves a part empty", frac, d->n);
    *a = nn_dataset_slice(ctx, d, 0, d->n - nb);
    *b = *a ? nn_dataset_slice(ctx, d, d->n - nb, nb) : NULL;
    if (!*b) {
        nn_dataset_free(*a);
        *a = NULL;
        return NN_ENOMEM;
    }
    return NN_OK;
}

void nn_fit_standardize(const nn_dataset *d, float *stats) {
    for (int j = 0; j < d->nx; j++) {
        double s = 0, s2 = 0;
        for (int i = 0; i < d->n; i++) s += d->x[(int64_t)i * d->nx + j];
        double mean = s / d->n;
        for (int i = 0; i < d->n; i++) {
            double v = d->x[(int64_t)i * d->nx + j] - mean;
            s2 += v * v;
        }
        double sd = sqrt(s2 / d->n);
        stats[j] = (float)mean;
        stats[d->nx + j] = sd > 0 ? (float)sd : 1.0f; /* a constant column stays put */
    }
}

void nn_fit_minmax(const nn_dataset *d, float *stats) {
    for (int j = 0; j < d->nx; j++) {
        float lo = d->x[j], hi = d->x[j];
        for (int i = 1; i < d->n; i++) {
            float v = d->x[(int64_t)i * d->nx + j];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        stats[j] = lo;
        stats[d->nx + j] = hi > lo ? hi - lo : 1.0f;
    }
}

void nn_apply_scaling(nn_dataset *d, const float *stats) {
    for (int i = 0; i < d->n; i++)
        for (int j = 0; j < d->nx; j++) {
            float *v = d->x + (int64_t)i * d->nx + j;
            *v = (*v - stats[j]) / stats[d->nx + j];
        }
}

int nn_one_hot(nn_ctx *ctx, const float *labels, int n, int classes, float *out) {
    for (int i = 0; i < n; i++) {
        float l = labels[i];
        if (!(l >= 0 && l < classes) || l != floorf(l))
            return nn_errorf(ctx, NN_EARG, "one_hot: label %g of row %d is not a class 0..%d", l,
                             i + 1, classes - 1);
    }
    memset(out, 0, (size_t)n * classes * sizeof(float));
    for (int i = 0; i < n; i++) out[(int64_t)i * classes + (int)labels[i]] = 1;
    return NN_OK;
}
