/* test_module_graph.c: modules built from autograd ops (nn_module_graph) and the
 * training ops (activation, PReLU, dropout, fused loss): gradients against finite
 * differences with the core's gradcheck, and the direct kernels of module.c against
 * the op-by-op autograd result (outputs and every gradient). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gradcheck.h"
#include "nn.h"

#define KERNEL_TOL 1e-5

static nn_tensor *graph_fn(nn_ctx *ctx, nn_tensor **in, void *ud) {
    nn_seed(ctx, 3); /* dropout draws the same mask every time */
    return nn_module_graph(ctx, ud, in[0]);
}

/* gradcheck over x and every parameter tensor of the leaves of m. */
static double check_module(nn_ctx *ctx, nn_module *m, nn_tensor *x, nn_module **leaves, int nl) {
    nn_tensor *in[16] = {x};
    int n = 1;
    for (int l = 0; l < nl; l++)
        for (int i = 0; i < 2; i++) {
            nn_tensor *p = nn_module_param_tensor(leaves[l], i);
            if (p) in[n++] = p;
        }
    nn_clear_error(ctx);
    return gradcheck(ctx, graph_fn, in, n, m);
}

static nn_tensor *rand_x(nn_ctx *ctx, int B, int w) {
    int shape[2] = {B, w};
    nn_tensor *x = nn_randn(ctx, 2, shape, 0, 1.5f);
    for (int64_t i = 0; i < x->size; i++) /* away from the kinks at 0 and +-1 */
        if (fabsf(x->data[i]) < 0.15f || fabsf(fabsf(x->data[i]) - 1) < 0.15f) x->data[i] += 0.4f;
    return x;
}

static void test_activation_ops_gradcheck(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_tensor *x = rand_x(ctx, 3, 4);
    for (int k = 0; k < NN_ACT_COUNT; k++) {
        nn_module *m = nn_activation_new(ctx, (nn_act_kind)k, nn_act_default_arg((nn_act_kind)k));
        double e = check_module(ctx, m, x, &m, 1);
        if (e > GC_TOL) fail_msg("%s op: gradient error %.3g", nn_act_name((nn_act_kind)k), e);
        nn_module_free(m);
    }
    nn_tensor_free(x);
    nn_ctx_free(ctx);
}

static void test_layers_gradcheck(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 2);
    nn_tensor *x = rand_x(ctx, 5, 3);
    nn_init xu = {NN_INIT_XAVIER_UNIFORM, 0, 0}, bn = {NN_INIT_NORMAL, 0, 0.3f};
    nn_module *lin = nn_linear_new(ctx, 3, 4, xu, bn);
    assert_true(check_module(ctx, lin, x, &lin, 1) < GC_TOL);
    nn_module *b = nn_batchnorm_new(ctx, 3, 0.1f, 1e-5f);
    nn_module_params(b)[0] = 1.3f;
    assert_true(check_module(ctx, b, x, &b, 1) < GC_TOL);
    nn_module_train(b, false);
    assert_true(check_module(ctx, b, x, &b, 1) < GC_TOL);
    nn_module *d = nn_dropout_new(ctx, 0.5f);
    assert_true(check_module(ctx, d, x, &d, 1) < GC_TOL);
    nn_module_free(lin);
    nn_module_free(b);
    nn_module_free(d);
    nn_tensor_free(x);
    nn_ctx_free(ctx);
}

/* A net with every kind of module: the kernels' output, dx and parameter gradients
 * equal the autograd graph's (same seed, so dropout's mask is the same). */
static void test_kernels_match_autograd(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 4);
    nn_init xu = {NN_INIT_XAVIER_UNIFORM, 0, 0}, bn = {NN_INIT_NORMAL, 0, 0.3f};
    nn_module *in2[2] = {nn_linear_new(ctx, 5, 5, xu, bn), nn_activation_new(ctx, NN_ACT_GELU, 0)};
    nn_module *blk = nn_sequential_new(ctx, in2, 2), *res = nn_residual_new(ctx, blk);
    nn_module *p[7] = {nn_linear_new(ctx, 3, 5, xu, bn),
                       nn_batchnorm_new(ctx, 5, 0.1f, 1e-5f),
                       nn_activation_new(ctx, NN_ACT_PRELU, 0.25f),
                       res,
                       nn_dropout_new(ctx, 0.3f),
                       nn_linear_new(ctx, 5, 4, xu, bn),
                       nn_activation_new(ctx, NN_ACT_SOFTMAX, 0)};
    nn_module *m = nn_sequential_new(ctx, p, 7);
    int B = 6;
    nn_tensor *x = rand_x(ctx, B, 3);
    nn_requires_grad(x, true);
    int64_t np = nn_module_nparams(m);
    float r[24], dx_k[18], g_k[128], y_k[24];
    assert_true(np <= 128);
    for (int i = 0; i < B * 4; i++) r[i] = (float)cos(0.7 * i);
    /* kernels */
    const float *y;
    nn_seed(ctx, 9);
    nn_module_zero_grad(m);
    assert_int_equal(nn_module_forward(m, x->data, 2, (int[]){B, 3}, &y), NN_OK);
    memcpy(y_k, y, sizeof y_k);
    assert_int_equal(nn_module_backward(m, x->data, r, dx_k, B), NN_OK);
    memcpy(g_k, nn_module_grads(m), (size_t)np * sizeof(float));
    /* autograd: L = sum(y * r) */
    nn_seed(ctx, 9);
    nn_module_zero_grad(m);
    int shape[2] = {B, 4};
    nn_tensor *rt = nn_from_array(ctx, 2, shape, r);
    nn_step_begin(ctx);
    nn_tensor *yg = nn_module_graph(ctx, m, x);
    assert_non_null(yg);
    nn_tensor *L = nn_sum(ctx, nn_mul(ctx, yg, rt), NN_ALL, false);
    assert_int_equal(nn_backward(ctx, L), NN_OK);
    double worst = 0;
    for (int i = 0; i < B * 4; i++) worst = fmax(worst, fabs(yg->data[i] - y_k[i]));
    for (int i = 0; i < B * 3; i++) worst = fmax(worst, fabs(x->grad->data[i] - dx_k[i]));
    for (int64_t i = 0; i < np; i++) worst = fmax(worst, fabs(nn_module_grads(m)[i] - g_k[i]));
    nn_step_end(ctx);
    if (worst > KERNEL_TOL) fail_msg("kernels and autograd differ by %.3g", worst);
    nn_tensor_free(rt);
    nn_tensor_free(x);
    for (int i = 0; i < 7; i++) nn_module_free(p[i]);
    nn_module_free(in2[0]);
    nn_module_free(in2[1]);
    nn_module_free(blk);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

typedef struct loss_case {
    nn_loss_kind kind;
    nn_tensor *t;
} loss_case;

static nn_tensor *loss_fn(nn_ctx *ctx, nn_tensor **in, void *ud) {
    loss_case *c = ud;
    return nn_loss_graph(ctx, c->kind, in[0], c->t, 0.7f);
}

/* Every loss op against finite differences; CE and MSE against their op-by-op
 * forms: mean(-sum(onehot * log_softmax(y))) and mean((y - t)^2). */
static void test_loss_ops(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    int s43[2] = {4, 3}, s41[2] = {4, 1};
    float yv[12] = {0.3f,  -1.2f, 2.1f,  0.45f, -0.35f, 1.6f,
                    -2.2f, 0.9f,  0.15f, -0.6f, 1.25f,  -1.55f};
    float tv[12] = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0}, cv[4] = {2, 0, 1, 2};
    nn_tensor *y = nn_from_array(ctx, 2, s43, yv), *t = nn_from_array(ctx, 2, s43, tv);
    nn_tensor *c = nn_from_array(ctx, 2, s41, cv);
    for (int k = 0; k < NN_LOSS_COUNT; k++) {
        bool idx = k == NN_LOSS_CE || k == NN_LOSS_MULTI_HINGE || k == NN_LOSS_SEQ_CE;
        loss_case lc = {(nn_loss_kind)k, idx ? c : t};
        double e = gradcheck(ctx, loss_fn, &y, 1, &lc);
        if (e > GC_TOL) fail_msg("%s op: gradient error %.3g", nn_loss_name((nn_loss_kind)k), e);
    }
    float oh[12] = {0};
    for (int r = 0; r < 4; r++) oh[r * 3 + (int)cv[r]] = 1;
    nn_tensor *oht = nn_from_array(ctx, 2, s43, oh);
    nn_step_begin(ctx);
    nn_tensor *ce = nn_loss_graph(ctx, NN_LOSS_CE, y, c, 1);
    nn_tensor *ref =
        nn_neg(ctx, nn_mean(ctx, nn_sum(ctx, nn_mul(ctx, oht, nn_log_softmax(ctx, y, 1)), 1, false),
                            NN_ALL, false));
    assert_float_equal(ce->data[0], ref->data[0], 1e-6);
    nn_tensor *mse = nn_loss_graph(ctx, NN_LOSS_MSE, y, t, 1);
    nn_tensor *mref = nn_mean(ctx, nn_pow(ctx, nn_sub(ctx, y, t), 2), NN_ALL, false);
    assert_float_equal(mse->data[0], mref->data[0], 1e-6);
    nn_step_end(ctx);
    nn_tensor *bad = nn_loss_graph(ctx, NN_LOSS_MSE, y, c, 1);
    assert_null(bad);
    assert_string_equal(nn_error(ctx), "mse: predictions [4,3] and targets [4,1] differ");
    nn_tensor_free(oht);
    nn_tensor_free(y);
    nn_tensor_free(t);
    nn_tensor_free(c);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_activation_ops_gradcheck),
        cmocka_unit_test(test_layers_gradcheck),
        cmocka_unit_test(test_kernels_match_autograd),
        cmocka_unit_test(test_loss_ops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
