/* testutil.h: small helpers shared by the engine's cmocka tests: a context per test,
 * tensors from literals, and value comparisons that print the largest difference. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nn.h"

static int tu_setup(void **state) {
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 1234);
    *state = ctx;
    return ctx ? 0 : -1;
}

static int tu_teardown(void **state) {
    nn_ctx_free(*state);
    return 0;
}

/* A tensor of shape {d0[, d1...]} (ndim given) from values. */
static inline nn_tensor *tu_t(nn_ctx *ctx, int ndim, const int *shape, const float *v) {
    nn_tensor *t = nn_from_array(ctx, ndim, shape, v);
    assert_non_null(t);
    return t;
}

/* Asserts t has the shape and values within tol; prints the largest difference. */
static inline void tu_expect(const nn_tensor *t, int ndim, const int *shape, const float *want,
                             double tol) {
    assert_non_null(t);
    assert_int_equal(t->ndim, ndim);
    for (int k = 0; k < ndim; k++) assert_int_equal(t->shape[k], shape[k]);
    double worst = 0.0;
    int64_t at = 0;
    for (int64_t i = 0; i < t->size; i++) {
        double d = fabs((double)t->data[i] - want[i]);
        if (!(d <= worst)) worst = isnan(d) ? INFINITY : d, at = i;
    }
    if (worst > tol)
        print_message("largest difference %g at %lld: got %g, want %g\n", worst, (long long)at,
                      (double)t->data[at], (double)want[at]);
    assert_true(worst <= tol);
}

#define TU_SHAPE(...) ((const int[]){__VA_ARGS__})
#define TU_VALS(...)  ((const float[]){__VA_ARGS__})

#endif
