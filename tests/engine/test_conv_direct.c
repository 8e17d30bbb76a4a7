/* test_conv_direct.c: the direct kernels of thin convs (conv_direct.c) against the im2col
 * and sgemm path, pass by pass (forward with bias and fused ReLU, weight, bias and input
 * gradients with the ReLU's mask), over LeNet-5's two convs and paddings (per side),
 * dilations, kernel widths, channel counts and map widths that select them, and shapes
 * that must not (strides, groups, wide maps), which then give the same bits; the
 * weight and bias gradients without the input gradient equal those with it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conv_cpu.h"
#include "internal.h"
#include "parallel.h"

typedef struct conv_case {
    int B, C, K, H, W, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, groups;
} conv_case;

static nn_conv_geom geom_of(const conv_case *c) {
    nn_conv_geom g = {.B = c->B,
                      .C = c->C,
                      .H = c->H,
                      .W = c->W,
                      .K = c->K,
                      .kh = c->kh,
                      .kw = c->kw,
                      .sh = c->sh,
                      .sw = c->sw,
                      .dh = c->dh,
                      .dw = c->dw,
                      .pt = c->pt,
                      .pl = c->pl,
                      .groups = c->groups};
    g.OH = (c->H + c->pt + c->pb - (c->dh * (c->kh - 1) + 1)) / c->sh + 1;
    g.OW = (c->W + c->pl + c->pr - (c->dw * (c->kw - 1) + 1)) / c->sw + 1;
    return g;
}

static float *randoms(int64_t n, unsigned *seed) {
    float *p = malloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        p[i] = (float)((*seed >> 8) & 0xffff) / 32768.0f - 1.0f;
    }
    return p;
}

/* The largest |a - b| / max(1, |b|) over n. */
static double worst(const float *a, const float *b, int64_t n) {
    double w = 0;
    for (int64_t i = 0; i < n; i++) w = fmax(w, fabs(a[i] - b[i]) / fmax(1.0, fabs(b[i])));
    return w;
}

/* Both paths on one case; returns the worst difference over every pass. */
static double compare(const conv_case *c, bool relu, bool *direct) {
    nn_conv_geom g = geom_of(c);
    unsigned seed = 7u + (unsigned)c->C * 31u + (unsigned)c->K;
    int patch = c->C / c->groups * c->kh * c->kw;
    int64_t nx = (int64_t)c->B * c->C * c->H * c->W, ny = (int64_t)c->B * c->K * g.OH * g.OW,
            nw = (int64_t)c->K * patch;
    float *x = randoms(nx, &seed), *w = randoms(nw, &seed), *bias = randoms(c->K, &seed),
          *dy = randoms(ny, &seed);
    float *y[2], *dw[2], *db[2], *dx[2];
    float *col = malloc(sizeof(float) * (size_t)nn_cpu_conv2d_scratch(&g));
    for (int path = 0; path < 2; path++) {
        nn_cpu_conv_direct_enable(path == 1);
        if (path == 1) *direct = nn_cpu_conv_direct_applies(&g);
        y[path] = malloc(sizeof(float) * (size_t)ny);
        dw[path] = calloc((size_t)nw, sizeof(float));
        db[path] = calloc((size_t)c->K, sizeof(float));
        dx[path] = calloc((size_t)nx, sizeof(float));
        for (int64_t i = 0; i < nw; i++) dw[path][i] = 0.25f; /* added to, not assigned */
        for (int64_t i = 0; i < nx; i++) dx[path][i] = -0.5f;
        nn_cpu_conv2d(&g, x, w, bias, relu, y[path], col);
        /* the ReLU's mask comes from the im2col path's output: the same on both */
        nn_cpu_conv2d_back(&g, x, w, relu ? y[0] : NULL, dy, dw[path], db[path], dx[path], col);
        /* without dx (a first layer's: the direct path lays dy out unpadded then): the
         * same dw and db, bit for bit, on either path */
        float *dw1 = malloc(sizeof(float) * (size_t)nw), *db1 = calloc((size_t)c->K, sizeof(float));
        for (int64_t i = 0; i < nw; i++) dw1[i] = 0.25f;
        nn_cpu_conv2d_back(&g, x, w, relu ? y[0] : NULL, dy, dw1, db1, NULL, col);
        assert_memory_equal(dw1, dw[path], sizeof(float) * (size_t)nw);
        assert_memory_equal(db1, db[path], sizeof(float) * (size_t)c->K);
        free(dw1), free(db1);
    }
    nn_cpu_conv_direct_enable(true);
    if (getenv("CONV_DIRECT_VERBOSE"))
        printf("  y %.2e dw %.2e db %.2e dx %.2e\n", worst(y[1], y[0], ny), worst(dw[1], dw[0], nw),
               worst(db[1], db[0], c->K), worst(dx[1], dx[0], nx));
    double e = fmax(fmax(worst(y[1], y[0], ny), worst(dw[1], dw[0], nw)),
                    fmax(worst(db[1], db[0], c->K), worst(dx[1], dx[0], nx)));
    if (!*direct) /* not selected: the very same kernels ran twice */
        assert_true(memcmp(y[0], y[1], sizeof(float) * (size_t)ny) == 0 &&
                    memcmp(dw[0], dw[1], sizeof(float) * (size_t)nw) == 0 &&
                    memcmp(dx[0], dx[1], sizeof(float) * (size_t)nx) == 0);
    for (int p = 0; p < 2; p++) free(y[p]), free(dw[p]), free(db[p]), free(dx[p]);
    free(x), free(w), free(bias), free(dy), free(col);
    return e;
}

static void test_direct_equals_im2col(void **state) {
    (void)state;
    /* B C K H W kh kw sh sw dh dw pt pb pl pr groups */
    static const conv_case direct[] = {
        {3, 1, 6, 28, 28, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1},   /* LeNet's conv1 */
        {3, 6, 16, 14, 14, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1},  /* LeNet's conv2 */
        {2, 3, 4, 24, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},   /* 3x3 same */
        {2, 2, 3, 6, 5, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1},     /* tiny maps */
        {2, 1, 2, 7, 6, 3, 3, 1, 1, 2, 1, 2, 0, 1, 0, 1},     /* dilation, one-sided pads */
        {2, 5, 9, 17, 31, 2, 7, 1, 1, 1, 2, 3, 1, 0, 4, 1},   /* wide kernel, dilated */
        {2, 32, 32, 12, 32, 3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1}, /* the most channels */
        {1, 7, 13, 9, 20, 4, 6, 1, 1, 2, 1, 4, 3, 5, 2, 1},   /* pads past the span */
        {2, 2, 24, 5, 16, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1},   /* 1x1 */
        /* over output channels (more channels than a row's positions fill lanes) */
        {2, 3, 12, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},   /* 3x3, blocks overlap */
        {3, 4, 16, 12, 12, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1}, /* 5x5 padded, one block */
        {2, 2, 10, 6, 8, 3, 3, 1, 1, 2, 2, 2, 1, 2, 1, 1},   /* dilated: forward only */
        {2, 5, 7, 7, 6, 2, 2, 1, 1, 1, 1, 0, 1, 0, 0, 1},    /* 2x2: forward only */
        /* the input gradient over output channels (kdx) too: one-sided pads, fewer
         * channels than lanes; a row one column past its 16 sums (the correlation) */
        {2, 3, 13, 7, 11, 5, 5, 1, 1, 1, 1, 3, 0, 1, 4, 1}, /* 5x5, sums' row full */
        {2, 2, 16, 6, 10, 3, 3, 1, 1, 1, 1, 0, 2, 2, 0, 1}, /* 3x3, pads on one side */
        {1, 2, 16, 6, 17, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1}, /* 17 columns: not kdx */
    };
    static const conv_case im2col[] = {
        {2, 2, 2, 7, 7, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1},  /* strided */
        {2, 4, 4, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4},  /* depthwise */
        {2, 2, 3, 8, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, /* wide maps */
        {1, 40, 8, 6, 6, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1}, /* many input channels */
    };
    for (int relu = 0; relu < 2; relu++) {
        for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++) {
            bool on = false;
            double e = compare(&direct[i], relu, &on);
            printf("direct case %zu relu %d: worst %.2e\n", i, relu, e);
            assert_true(on);
            assert_true(e < 3e-5);
        }
        for (size_t i = 0; i < sizeof im2col / sizeof im2col[0]; i++) {
            bool on = true;
            compare(&im2col[i], relu, &on);
            assert_false(on);
        }
    }
}

/* The direct path on one thread and on two (the batch's halves, the second on the
 * engine's worker) gives the same bits: the halves are fixed and their partial sums are
 * added in half order. An odd batch makes the halves uneven. */
static void test_direct_same_bits_on_one_thread_or_two(void **state) {
    (void)state;
    static const conv_case cases[] = {
        {5, 6, 16, 14, 14, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1}, /* LeNet's conv2 */
        {3, 1, 6, 28, 28, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 1},  /* LeNet's conv1 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const conv_case *c = &cases[i];
        nn_conv_geom g = geom_of(c);
        assert_true(nn_cpu_conv_direct_applies(&g));
        unsigned seed = 99u;
        int64_t nx = (int64_t)c->B * c->C * c->H * c->W, ny = (int64_t)c->B * c->K * g.OH * g.OW,
                nw = (int64_t)c->K * c->C * c->kh * c->kw;
        float *x = randoms(nx, &seed), *w = randoms(nw, &seed), *bias = randoms(c->K, &seed),
              *dy = randoms(ny, &seed);
        float *col = malloc(sizeof(float) * (size_t)nn_cpu_conv2d_scratch(&g));
        float *y[2], *dw[2], *db[2], *dx[2];
        for (int t = 0; t < 2; t++) {
            nn_par_set_threads(t + 1);
            y[t] = malloc(sizeof(float) * (size_t)ny);
            dw[t] = calloc((size_t)nw, sizeof(float));
            db[t] = calloc((size_t)c->K, sizeof(float));
            dx[t] = calloc((size_t)nx, sizeof(float));
            nn_cpu_conv2d(&g, x, w, bias, true, y[t], col);
            nn_cpu_conv2d_back(&g, x, w, y[t], dy, dw[t], db[t], dx[t], col);
        }
        nn_par_set_threads(0);
        assert_memory_equal(y[0], y[1], sizeof(float) * (size_t)ny);
        assert_memory_equal(dw[0], dw[1], sizeof(float) * (size_t)nw);
        assert_memory_equal(db[0], db[1], sizeof(float) * (size_t)c->K);
        assert_memory_equal(dx[0], dx[1], sizeof(float) * (size_t)nx);
        for (int t = 0; t < 2; t++) free(y[t]), free(dw[t]), free(db[t]), free(dx[t]);
        free(x), free(w), free(bias), free(dy), free(col);
    }
}

/* 2x2 max pooling a row of vectors at a time against the loop: the same values, argmax
 * positions (ties, with values drawn from a few levels, go to the first in row-major
 * order) and input gradients, bit for bit, over map widths up to 32, odd sizes (the
 * last row or column left out) and LeNet's; the rows on one thread and on two (the
 * maps' halves, the second on the engine's worker). */
static void test_pool_rows_equal_loop(void **state) {
    (void)state;
    static const int shapes[][4] = {{3, 6, 28, 28}, {3, 16, 10, 10}, {2, 3, 7, 9},  {1, 2, 2, 2},
                                    {2, 1, 6, 32},  {2, 5, 5, 17},   {1, 4, 12, 30}};
    unsigned seed = 11u;
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        nn_conv_geom g = {.B = shapes[t][0],
                          .C = shapes[t][1],
                          .H = shapes[t][2],
                          .W = shapes[t][3],
                          .kh = 2,
                          .kw = 2,
                          .sh = 2,
                          .sw = 2,
                          .dh = 1,
                          .dw = 1};
        g.K = g.C, g.groups = g.C, g.OH = g.H / 2, g.OW = g.W / 2;
        int64_t nx = (int64_t)g.B * g.C * g.H * g.W, ny = (int64_t)g.B * g.C * g.OH * g.OW;
        float *x = randoms(nx, &seed), *dy = randoms(ny, &seed);
        for (int64_t i = 0; i < nx; i++) x[i] = floorf(x[i] * 2.0f); /* ties */
        float *y[3], *idx[3], *dx[3];
        for (int path = 0; path < 3; path++) { /* the loop, the rows on 1 and 2 threads */
            nn_cpu_pool_rows_enable(path > 0);
            nn_par_set_threads(path == 2 ? 2 : 1);
            y[path] = malloc(sizeof(float) * (size_t)ny);
            idx[path] = malloc(sizeof(float) * (size_t)ny);
            dx[path] = malloc(sizeof(float) * (size_t)nx);
            for (int64_t i = 0; i < nx; i++) dx[path][i] = 7.0f; /* assigned where tiled */
            nn_cpu_pool2d(NN_POOL_MAX, &g, x, y[path], idx[path]);
            nn_cpu_pool2d_back(NN_POOL_MAX, &g, dy, idx[path], dx[path], true);
        }
        nn_cpu_pool_rows_enable(true);
        nn_par_set_threads(0);
        for (int p = 1; p < 3; p++) {
            assert_memory_equal(y[0], y[p], sizeof(float) * (size_t)ny);
            assert_memory_equal(idx[0], idx[p], sizeof(float) * (size_t)ny);
            assert_memory_equal(dx[0], dx[p], sizeof(float) * (size_t)nx);
        }
        for (int p = 0; p < 3; p++) free(y[p]), free(idx[p]), free(dx[p]);
        free(x), free(dy);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_direct_equals_im2col),
                                       cmocka_unit_test(test_direct_same_bits_on_one_thread_or_two),
                                       cmocka_unit_test(test_pool_rows_equal_loop)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
