/* test_module.c: the direct forward/backward kernels of every module against
 * central finite differences (L = sum(y * R), R fixed random), shapes and errors,
 * parameter sharing of containers, and a steady-state step that allocates nothing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "nn.h"

#define FD_H   1e-2 /* float forward: a larger step keeps rounding below the tolerance */
#define FD_TOL 1e-2 /* |auto - numeric| / max(1, |numeric|) */
#define SEED   7

/* L = sum(y * r) for input x; dropout's mask is drawn again from the same seed. */
static double loss_of(nn_ctx *ctx, nn_module *m, const float *x, int B, int w, const float *r) {
    const float *y;
    nn_seed(ctx, SEED);
    assert_int_equal(nn_module_forward(m, x, 2, (int[]){B, w}, &y), NN_OK);
    int ow = nn_module_out(m) ? nn_module_out(m) : w;
    double s = 0;
    for (int64_t i = 0; i < (int64_t)B * ow; i++) s += (double)y[i] * r[i];
    return s;
}

/* The worst error of dx and of every parameter gradient against finite differences. */
static double fd_check(nn_ctx *ctx, nn_module *m, float *x, int B, int w) {
    int ow = nn_module_out(m) ? nn_module_out(m) : w;
    float r[512], dx[512];
    assert_true(B * ow <= 512 && B * w <= 512);
    for (int i = 0; i < B * ow; i++) r[i] = (float)sin(1.7 * i + 0.3);
    nn_module_zero_grad(m);
    loss_of(ctx, m, x, B, w, r);
    assert_int_equal(nn_module_backward(m, x, r, dx, B), NN_OK);
    double worst = 0;
    const char *where = "";
    int wi = -1;
    for (int i = 0; i < B * w; i++) {
        float keep = x[i];
        x[i] = keep + (float)FD_H;
        double lp = loss_of(ctx, m, x, B, w, r);
        x[i] = keep - (float)FD_H;
        double lm = loss_of(ctx, m, x, B, w, r);
        x[i] = keep;
        double num = (lp - lm) / (2 * FD_H), err = fabs(dx[i] - num) / fmax(1, fabs(num));
        if (err > worst) worst = err, where = "x", wi = i;
    }
    float *p = nn_module_params(m), *g = nn_module_grads(m);
    for (int64_t i = 0; i < nn_module_nparams(m); i++) {
        float keep = p[i];
        p[i] = keep + (float)FD_H;
        double lp = loss_of(ctx, m, x, B, w, r);
        p[i] = keep - (float)FD_H;
        double lm = loss_of(ctx, m, x, B, w, r);
        p[i] = keep;
        double num = (lp - lm) / (2 * FD_H), err = fabs(g[i] - num) / fmax(1, fabs(num));
        if (err > worst) worst = err, where = "param", wi = (int)i;
    }
    if (worst > FD_TOL)
        printf("%s: worst error %.3g at %s[%d]\n", nn_module_name(m), worst, where, wi);
    return worst;
}

/* Inputs kept 0.1 away from the kinks at 0 and +-1 (relu, hard tanh, step). */
static void fill_x(nn_ctx *ctx, float *x, int n) {
    for (int i = 0; i < n; i++) {
        float v = (float)(1.5 * nn_rand_normal(ctx));
        if (fabsf(v) < 0.1f) v = v < 0 ? -0.1f - 0.3f : 0.1f + 0.3f;
        if (fabsf(fabsf(v) - 1) < 0.1f) v *= 1.3f;
        x[i] = v;
    }
}

static void test_every_activation_grad_matches_finite_difference(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float x[24];
    for (int k = 0; k < NN_ACT_COUNT; k++) {
        nn_module *m = nn_activation_new(ctx, (nn_act_kind)k, nn_act_default_arg((nn_act_kind)k));
        assert_non_null(m);
        fill_x(ctx, x, 24);
        double e = fd_check(ctx, m, x, 4, 6);
        if (e > FD_TOL) fail_msg("%s: gradient error %.3g", nn_act_name((nn_act_kind)k), e);
        nn_module_free(m);
    }
    /* sigmoid and bipolar sigmoid with a slope, leaky ReLU and ELU with other arguments */
    float args[4] = {2.5f, 2, 0.2f, 0.5f};
    nn_act_kind kinds[4] = {NN_ACT_SIGMOID, NN_ACT_BIPOLAR, NN_ACT_LEAKY_RELU, NN_ACT_ELU};
    for (int i = 0; i < 4; i++) {
        nn_module *m = nn_activation_new(ctx, kinds[i], args[i]);
        fill_x(ctx, x, 24);
        assert_true(fd_check(ctx, m, x, 4, 6) < FD_TOL);
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

/* The bipolar sigmoid with slope lambda (course ACT-06): f(x) = 2/(1 + e^(-lambda x)) - 1
 * and f'(x) = (lambda/2)(1 - f(x)^2), so f'(0) = lambda/2. */
static void test_bipolar_sigmoid_slope_value_and_grad(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    const float lambdas[3] = {0.5f, 2, 3};
    const float xs[4] = {-1.5f, 0, 0.7f, 2};
    for (int l = 0; l < 3; l++) {
        nn_module *m = nn_activation_new(ctx, NN_ACT_BIPOLAR, lambdas[l]);
        assert_non_null(m);
        const float *y;
        assert_int_equal(nn_module_forward(m, xs, 2, (int[]){4, 1}, &y), NN_OK);
        float ones[4] = {1, 1, 1, 1}, dx[4];
        nn_module_zero_grad(m);
        assert_int_equal(nn_module_backward(m, xs, ones, dx, 4), NN_OK);
        for (int i = 0; i < 4; i++) {
            double f = 2 / (1 + exp(-(double)lambdas[l] * xs[i])) - 1;
            double df = lambdas[l] / 2 * (1 - f * f);
            if (fabs(y[i] - f) > 1e-6 || fabs(dx[i] - df) > 1e-6)
                fail_msg("bipolar slope %g at %g: f %.8g want %.8g, f' %.8g want %.8g", lambdas[l],
                         xs[i], y[i], f, dx[i], df);
        }
        assert_float_equal(dx[1], lambdas[l] / 2, 1e-7); /* the slope at the origin */
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

/* Known values: lecun tanh(1) = 1.7159 tanh(2/3), bipolar(1) = tanh(1/2), gelu(1) =
 * 0.8413447, softplus(0) = log 2, swish(1) = 0.7310586, elu(-1) = e^-1 - 1. */
static void test_activation_values(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    struct {
        nn_act_kind k;
        float x, want;
    } cases[] = {
        {NN_ACT_LECUN_TANH, 1, 1.7159f * tanhf(2.0f / 3)},
        {NN_ACT_BIPOLAR, 1, tanhf(0.5f)},
        {NN_ACT_GELU, 1, 0.8413447f},
        {NN_ACT_SOFTPLUS, 0, 0.6931472f},
        {NN_ACT_SWISH, 1, 0.7310586f},
        {NN_ACT_ELU, -1, 0.36787944f - 1},
        {NN_ACT_STEP, 0.5f, 1},
        {NN_ACT_STEP, -0.5f, 0},
        {NN_ACT_HARD_TANH, 3, 1},
        {NN_ACT_LEAKY_RELU, -2, -0.02f},
        {NN_ACT_SIGMOID, 0, 0.5f},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_module *m = nn_activation_new(ctx, cases[i].k, nn_act_default_arg(cases[i].k));
        const float *y;
        assert_int_equal(nn_module_forward(m, &cases[i].x, 2, (int[]){1, 1}, &y), NN_OK);
        if (fabsf(y[0] - cases[i].want) > 1e-6f)
            fail_msg("%s(%g) = %.8g, want %.8g", nn_act_name(cases[i].k), cases[i].x, y[0],
                     cases[i].want);
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

static nn_init I(nn_init_kind k, float a, float b) {
    return (nn_init){k, a, b};
}

static void test_linear_batchnorm_dropout_grads(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float x[40];
    fill_x(ctx, x, 40);
    nn_module *lin =
        nn_linear_new(ctx, 5, 3, I(NN_INIT_XAVIER_UNIFORM, 0, 0), I(NN_INIT_NORMAL, 0, 0.5f));
    assert_true(fd_check(ctx, lin, x, 8, 5) < FD_TOL);
    /* with L1 0.01 and L2 0.02 the penalty is 0.01 sum|w| + 0.02 sum w^2 over the 15
     * weights (not the 3 biases), and backward adds 0.01 sign(w) + 0.04 w to their
     * gradients on top of the data's: with dy = 0 only the penalty's remain */
    nn_module_regularize(lin, 0.01f, 0.02f);
    const float *w = nn_module_params(lin), *g = nn_module_grads(lin);
    double want = 0;
    for (int i = 0; i < 15; i++) want += 0.01 * fabs(w[i]) + 0.02 * (double)w[i] * w[i];
    assert_float_equal(nn_module_penalty(lin), want, 1e-9);
    assert_true(want > 0);
    float zeros[24] = {0}, dx[40];
    const float *y;
    nn_module_zero_grad(lin);
    assert_int_equal(nn_module_forward(lin, x, 2, (int[]){8, 5}, &y), NN_OK);
    assert_int_equal(nn_module_backward(lin, x, zeros, dx, 8), NN_OK);
    for (int i = 0; i < 18; i++) {
        double gw = i < 15 ? 0.01 * ((w[i] > 0) - (w[i] < 0)) + 0.04 * w[i] : 0;
        if (fabs(g[i] - gw) > 1e-7) fail_msg("penalty gradient %d: %.8g, want %.8g", i, g[i], gw);
    }
    nn_module_free(lin);

    nn_module *bn = nn_batchnorm_new(ctx, 5, 0.1f, 1e-5f);
    nn_module_params(bn)[1] = 1.5f; /* gamma and beta away from 1 and 0 */
    nn_module_params(bn)[7] = -0.5f;
    assert_true(fd_check(ctx, bn, x, 8, 5) < FD_TOL);
    nn_module_train(bn, false);
    assert_true(fd_check(ctx, bn, x, 8, 5) < FD_TOL);
    nn_module_free(bn);

    nn_module *dr = nn_dropout_new(ctx, 0.4f);
    assert_true(fd_check(ctx, dr, x, 8, 5) < FD_TOL);
    nn_module_free(dr);
    nn_ctx_free(ctx);
}

/* Linear's penalty gradient: loss + l1 sum|w| + l2 sum w^2 checked numerically. */
static void test_regularizer_gradient(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *lin = nn_linear_new(ctx, 2, 2, I(NN_INIT_CONSTANT, 0.5f, 0), I(NN_INIT_ZEROS, 0, 0));
    nn_module_params(lin)[1] = -0.25f;
    nn_module_regularize(lin, 0.1f, 0.2f);
    /* penalty = 0.1 (0.5+0.25+0.5+0.5) + 0.2 (0.25+0.0625+0.25+0.25) = 0.175 + 0.1625 */
    assert_float_equal(nn_module_penalty(lin), 0.3375, 1e-6);
    float x[2] = {0, 0}, dy[2] = {0, 0};
    const float *y;
    nn_module_zero_grad(lin);
    nn_module_forward(lin, x, 2, (int[]){1, 2}, &y);
    nn_module_backward(lin, x, dy, NULL, 1);
    /* d/dw = 0.1 sign(w) + 0.4 w: 0.1 + 0.2 = 0.3; -0.1 - 0.1 = -0.2 */
    assert_float_equal(nn_module_grads(lin)[0], 0.3f, 1e-6);
    assert_float_equal(nn_module_grads(lin)[1], -0.2f, 1e-6);
    nn_module_free(lin);
    nn_ctx_free(ctx);
}

static void test_sequential_and_residual_grads(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 3);
    nn_init xu = I(NN_INIT_XAVIER_UNIFORM, 0, 0), bz = I(NN_INIT_NORMAL, 0, 0.1f);
    nn_module *inner[3] = {nn_linear_new(ctx, 4, 4, xu, bz), nn_activation_new(ctx, NN_ACT_TANH, 0),
                           nn_linear_new(ctx, 4, 4, xu, bz)};
    nn_module *block = nn_sequential_new(ctx, inner, 3);
    nn_module *res = nn_residual_new(ctx, block);
    nn_module *parts[4] = {nn_linear_new(ctx, 3, 4, xu, bz),
                           nn_activation_new(ctx, NN_ACT_PRELU, 0.25f), res,
                           nn_linear_new(ctx, 4, 2, xu, bz)};
    nn_module *m = nn_sequential_new(ctx, parts, 4);
    assert_non_null(m);
    assert_int_equal(nn_module_in(m), 3);
    assert_int_equal(nn_module_out(m), 2);
    assert_int_equal(nn_module_nparams(m), 16 + 1 + 40 + 10);
    float x[18];
    fill_x(ctx, x, 18);
    assert_true(fd_check(ctx, m, x, 6, 3) < FD_TOL);
    /* the children are views of the container's block: a change shows in both */
    nn_module_params(m)[0] = 42;
    assert_float_equal(nn_module_params(parts[0])[0], 42, 0);
    for (int i = 0; i < 3; i++) nn_module_free(inner[i]);
    for (int i = 0; i < 4; i++) nn_module_free(parts[i]);
    nn_module_free(block);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static void test_rejects_mismatched_widths(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_init z = I(NN_INIT_ZEROS, 0, 0);
    nn_module *a[2] = {nn_linear_new(ctx, 2, 3, z, z), nn_linear_new(ctx, 4, 1, z, z)};
    assert_null(nn_sequential_new(ctx, a, 2));
    assert_string_equal(nn_error(ctx),
                        "sequential: module 2: linear expects [batch, 4], got [batch, 3]");
    float x[4] = {0};
    const float *y;
    assert_int_equal(nn_module_forward(a[1], x, 2, (int[]){1, 2}, &y), NN_ESHAPE);
    assert_string_equal(nn_error(ctx), "linear expects [batch, 4], got [batch, 2]");
    assert_null(nn_linear_new(ctx, 0, 3, z, z));
    assert_null(nn_dropout_new(ctx, 1.0f));
    assert_null(nn_residual_new(ctx, a[0]));
    nn_module_free(a[0]);
    nn_module_free(a[1]);
    nn_ctx_free(ctx);
}

/* Dropout: evaluation is the identity; training zeroes about p and scales the rest by
 * 1/(1-p), so the mean is kept. */
static void test_dropout_scaling(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *d = nn_dropout_new(ctx, 0.25f);
    static float x[4000], *yv;
    const float *y;
    for (int i = 0; i < 4000; i++) x[i] = 1;
    nn_module_forward(d, x, 2, (int[]){1000, 4}, &y);
    int zeros = 0;
    double s = 0;
    for (int i = 0; i < 4000; i++) {
        zeros += y[i] == 0;
        s += y[i];
        if (y[i] != 0) assert_float_equal(y[i], 1 / 0.75f, 1e-6);
    }
    assert_true(zeros > 850 && zeros < 1150);
    assert_true(fabs(s / 4000 - 1) < 0.05);
    nn_module_train(d, false);
    nn_module_forward(d, x, 2, (int[]){1000, 4}, &y);
    yv = (float *)y;
    assert_ptr_equal(yv, x);
    nn_module_free(d);
    nn_ctx_free(ctx);
}

/* Batch norm in training: each feature of the output has mean beta and std gamma. */
static void test_batchnorm_normalises(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *bn = nn_batchnorm_new(ctx, 2, 0.1f, 1e-5f);
    float x[200];
    for (int i = 0; i < 100; i++)
        x[2 * i] = 5 + 3 * (float)nn_rand_normal(ctx), x[2 * i + 1] = -2 + 0.1f * i;
    const float *y;
    nn_module_forward(bn, x, 2, (int[]){100, 2}, &y);
    for (int j = 0; j < 2; j++) {
        double s = 0, s2 = 0;
        for (int i = 0; i < 100; i++) s += y[2 * i + j], s2 += y[2 * i + j] * y[2 * i + j];
        assert_true(fabs(s / 100) < 1e-4);
        assert_true(fabs(s2 / 100 - 1) < 1e-3);
    }
    assert_true(nn_module_running(bn)[0] > 0.3f); /* moved towards the batch mean 5 */
    nn_module_free(bn);
    nn_ctx_free(ctx);
}

/* Initialisers: Xavier's bound, He's std, orthogonal rows. */
static void test_initialisers(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    static float w[200 * 100];
    nn_init_fill(ctx, I(NN_INIT_XAVIER_UNIFORM, 0, 0), w, 200, 100);
    float lim = sqrtf(6.0f / 300), mx = 0;
    for (int i = 0; i < 20000; i++) mx = fmaxf(mx, fabsf(w[i]));
    assert_true(mx <= lim && mx > 0.95f * lim);
    nn_init_fill(ctx, I(NN_INIT_HE_NORMAL, 0, 0), w, 200, 100);
    double s2 = 0;
    for (int i = 0; i < 20000; i++) s2 += w[i] * w[i];
    assert_true(fabs(sqrt(s2 / 20000) - sqrt(2.0 / 200)) < 0.005);
    nn_init_fill(ctx, I(NN_INIT_ORTHOGONAL, 0, 0), w, 3, 5);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            double d = 0;
            for (int k = 0; k < 5; k++) d += w[a * 5 + k] * w[b * 5 + k];
            assert_true(fabs(d - (a == b)) < 1e-5);
        }
    assert_int_equal(nn_init_fill(ctx, I(NN_INIT_UNIFORM, 1, 0), w, 2, 2), NN_EARG);
    assert_int_equal(nn_init_from_name("glorot_uniform"), NN_INIT_XAVIER_UNIFORM);
    nn_ctx_free(ctx);
}

/* A module sits in one model, once; parameter tensors taken before it moved into a
 * container follow it into the container's block. */
static void test_reuse_refused_and_param_tensors_follow(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_init c = {NN_INIT_CONSTANT, 2, 0};
    nn_module *l = nn_linear_new(ctx, 2, 2, c, c), *t = nn_activation_new(ctx, NN_ACT_TANH, 0);
    nn_tensor *w = nn_tensor_retain(nn_module_param_tensor(l, 0));
    nn_module *twice[3] = {l, t, t};
    assert_null(nn_sequential_new(ctx, twice, 3));
    assert_string_equal(
        nn_error(ctx), "sequential: module 3 (tanh) is already part of a model; make a new one for "
                       "each place");
    nn_module *m = nn_sequential_new(ctx, twice, 2);
    assert_non_null(m);
    assert_ptr_equal(w->data, nn_module_params(m)); /* followed into the new block */
    assert_ptr_equal(w->grad->data, nn_module_grads(m));
    assert_float_equal(w->data[3], 2, 0);
    assert_null(nn_sequential_new(ctx, twice, 1)); /* l is inside m */
    nn_module *r = nn_residual_new(ctx, m);        /* m itself is free to use, once */
    assert_non_null(r);
    assert_ptr_equal(w->data, nn_module_params(r));
    assert_null(nn_residual_new(ctx, m));
    nn_module_free(r);
    nn_module_free(l);
    nn_module_free(t);
    nn_module_free(m);
    nn_tensor_free(w);
    nn_ctx_free(ctx);
}

/* After the first step has sized the buffers, forward + backward allocate nothing. */
static void test_steady_state_allocates_nothing(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_init xu = I(NN_INIT_XAVIER_UNIFORM, 0, 0), z = I(NN_INIT_ZEROS, 0, 0);
    nn_module *p[5] = {nn_linear_new(ctx, 2, 8, xu, z), nn_activation_new(ctx, NN_ACT_TANH, 0),
                       nn_batchnorm_new(ctx, 8, 0.1f, 1e-5f), nn_dropout_new(ctx, 0.2f),
                       nn_linear_new(ctx, 8, 1, xu, z)};
    nn_module *m = nn_sequential_new(ctx, p, 5);
    float x[20] = {0}, dy[10] = {0};
    const float *y;
    nn_module_forward(m, x, 2, (int[]){10, 2}, &y);
    nn_module_backward(m, x, dy, NULL, 10);
    uint64_t before = nn_heap_allocs(ctx);
    for (int i = 0; i < 10; i++) {
        nn_module_zero_grad(m);
        nn_module_forward(m, x, 2, (int[]){10, 2}, &y);
        nn_module_backward(m, x, dy, NULL, 10);
    }
    assert_int_equal(nn_heap_allocs(ctx), before);
    for (int i = 0; i < 5; i++) nn_module_free(p[i]);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_activation_grad_matches_finite_difference),
        cmocka_unit_test(test_activation_values),
        cmocka_unit_test(test_bipolar_sigmoid_slope_value_and_grad),
        cmocka_unit_test(test_linear_batchnorm_dropout_grads),
        cmocka_unit_test(test_regularizer_gradient),
        cmocka_unit_test(test_sequential_and_residual_grads),
        cmocka_unit_test(test_rejects_mismatched_widths),
        cmocka_unit_test(test_dropout_scaling),
        cmocka_unit_test(test_batchnorm_normalises),
        cmocka_unit_test(test_initialisers),
        cmocka_unit_test(test_steady_state_allocates_nothing),
        cmocka_unit_test(test_reuse_refused_and_param_tensors_follow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
