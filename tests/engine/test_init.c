/* test_init.c: the variance-scaling initialisers (Xavier/Glorot, He, LeCun, uniform
 * and normal) on a large non-square matrix with a fixed seed: the sample mean and
 * standard deviation against each formula, uniform draws inside their bounds and
 * reaching them, fan_in taken as the rows; and the same seed gives the same numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nn.h"

/* W [in, out]: fan_in 200 and fan_out 1000 differ by 5x, so a formula that takes
 * the wrong fan is off by sqrt(5) or more, far beyond STD_TOL. */
#define FAN_IN  200
#define FAN_OUT 1000
#define N       ((int64_t)FAN_IN * FAN_OUT)
#define STD_TOL 0.01 /* relative; the sample std of 200000 draws is within ~0.2% */
#define SEED    17

typedef struct case_ {
    nn_init_kind kind;
    double std;   /* the formula's standard deviation */
    double limit; /* uniform: the bound; 0 for normal */
} case_;

static void check_stats(const case_ *c) {
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, SEED);
    float *w = malloc((size_t)N * sizeof(float));
    assert_non_null(w);
    assert_int_equal(nn_init_fill(ctx, (nn_init){c->kind, 0, 0}, w, FAN_IN, FAN_OUT), NN_OK);
    double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < N; i++) {
        sum += w[i];
        sq += (double)w[i] * w[i];
        lo = fmin(lo, w[i]), hi = fmax(hi, w[i]);
    }
    double mean = sum / N, std = sqrt(sq / N - mean * mean);
    const char *name = nn_init_name(c->kind);
    if (fabs(mean) > 4 * c->std / sqrt((double)N))
        fail_msg("%s: mean %.3g, want 0 (+- %.3g)", name, mean, 4 * c->std / sqrt((double)N));
    if (fabs(std / c->std - 1) > STD_TOL)
        fail_msg("%s: std %.6g, formula %.6g (%.2f%% off)", name, std, c->std,
                 100 * fabs(std / c->std - 1));
    if (c->limit > 0) {
        if (lo < -c->limit || hi > c->limit)
            fail_msg("%s: values in [%.6g, %.6g], bound %.6g", name, lo, hi, c->limit);
        if (hi < 0.999 * c->limit || lo > -0.999 * c->limit)
            fail_msg("%s: values in [%.6g, %.6g] do not reach the bound %.6g", name, lo, hi,
                     c->limit);
    } else if (hi < 4 * c->std || lo > -4 * c->std) {
        fail_msg("%s: a normal's 200000 draws reach past 4 std, got [%.6g, %.6g]", name, lo, hi);
    }
    free(w);
    nn_ctx_free(ctx);
}

/* U(-l, l) has std l/sqrt(3). */
static case_ uniform_case(nn_init_kind k, double limit) {
    return (case_){k, limit / sqrt(3.0), limit};
}

static void test_xavier_normal_std(void **state) {
    (void)state;
    check_stats(&(case_){NN_INIT_XAVIER_NORMAL, sqrt(2.0 / (FAN_IN + FAN_OUT)), 0});
}

static void test_xavier_uniform_bounds_and_std(void **state) {
    (void)state;
    case_ c = uniform_case(NN_INIT_XAVIER_UNIFORM, sqrt(6.0 / (FAN_IN + FAN_OUT)));
    check_stats(&c);
}

static void test_he_uniform_bounds_and_std(void **state) {
    (void)state;
    case_ c = uniform_case(NN_INIT_HE_UNIFORM, sqrt(6.0 / FAN_IN));
    check_stats(&c);
}

static void test_he_normal_std(void **state) {
    (void)state;
    check_stats(&(case_){NN_INIT_HE_NORMAL, sqrt(2.0 / FAN_IN), 0});
}

static void test_lecun_uniform_bounds_and_std(void **state) {
    (void)state;
    case_ c = uniform_case(NN_INIT_LECUN_UNIFORM, sqrt(3.0 / FAN_IN));
    check_stats(&c);
}

static void test_lecun_normal_std(void **state) {
    (void)state;
    check_stats(&(case_){NN_INIT_LECUN_NORMAL, sqrt(1.0 / FAN_IN), 0});
}

/* The same seed draws the same matrix; another seed another one. */
static void test_same_seed_same_numbers(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float a[600], b[600];
    nn_init in = {NN_INIT_HE_NORMAL, 0, 0};
    nn_seed(ctx, SEED);
    assert_int_equal(nn_init_fill(ctx, in, a, 20, 30), NN_OK);
    nn_seed(ctx, SEED);
    assert_int_equal(nn_init_fill(ctx, in, b, 20, 30), NN_OK);
    assert_memory_equal(a, b, sizeof a);
    nn_seed(ctx, SEED + 1);
    assert_int_equal(nn_init_fill(ctx, in, b, 20, 30), NN_OK);
    assert_memory_not_equal(a, b, sizeof a);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xavier_normal_std),
        cmocka_unit_test(test_xavier_uniform_bounds_and_std),
        cmocka_unit_test(test_he_uniform_bounds_and_std),
        cmocka_unit_test(test_he_normal_std),
        cmocka_unit_test(test_lecun_uniform_bounds_and_std),
        cmocka_unit_test(test_lecun_normal_std),
        cmocka_unit_test(test_same_seed_same_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
