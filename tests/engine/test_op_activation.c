/* Tests of op_activation.c: PReLU with one shared slope and with one slope per feature
 * (values by hand, gradients of input and slopes by finite differences, slope shapes
 * refused), the PReLU module with per-feature slopes (nn_prelu_new) against the same
 * op graph, and activation ops against finite differences. */
#include "gradcheck.h"
#include "testutil.h"

static nn_tensor *apply_prelu(nn_ctx *ctx, nn_tensor **in, void *ud) {
    (void)ud;
    return nn_prelu(ctx, in[0], in[1]);
}

static void test_prelu_per_feature_values_and_grads_by_hand(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = tu_t(ctx, 2, TU_SHAPE(2, 2), TU_VALS(1, -2, -3, 4));
    nn_tensor *a = tu_t(ctx, 1, TU_SHAPE(2), TU_VALS(0.1f, 0.5f));
    nn_requires_grad(x, true), nn_requires_grad(a, true);
    nn_tensor *y = nn_prelu(ctx, x, a);
    tu_expect(y, 2, TU_SHAPE(2, 2), TU_VALS(1, -1, -0.3f, 4), 1e-7);
    nn_tensor *l = nn_sum(ctx, y, NN_ALL, false);
    assert_int_equal(nn_backward(ctx, l), NN_OK);
    tu_expect(x->grad, 2, TU_SHAPE(2, 2), TU_VALS(1, 0.5f, 0.1f, 1), 1e-7);
    tu_expect(a->grad, 1, TU_SHAPE(2), TU_VALS(-3, -2), 0); /* column sums of x where x <= 0 */
    nn_tensor *shared = tu_t(ctx, 1, TU_SHAPE(1), TU_VALS(0.25f));
    nn_requires_grad(shared, true);
    nn_zero_grad(x);
    nn_tensor *y1 = nn_prelu(ctx, x, shared), *l1 = nn_sum(ctx, y1, NN_ALL, false);
    tu_expect(y1, 2, TU_SHAPE(2, 2), TU_VALS(1, -0.5f, -0.75f, 4), 1e-7);
    assert_int_equal(nn_backward(ctx, l1), NN_OK);
    tu_expect(shared->grad, 1, TU_SHAPE(1), TU_VALS(-5), 0);
    nn_tensor *all[] = {l, y, l1, y1, shared, a, x};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) nn_tensor_free(all[i]);
}

/* [B, features] and [B, T, features] with per-feature and shared slopes; inputs kept
 * away from the kink at 0. */
static void test_prelu_grads_match_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    struct {
        int nx, sx[3], na;
    } cases[] = {{2, {4, 3}, 3}, {2, {4, 3}, 1}, {3, {2, 3, 5}, 5}, {1, {6}, 6}, {2, {1, 1}, 1}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        nn_tensor *x = nn_rand(ctx, cases[c].nx, cases[c].sx, 0.2f, 2.0f);
        for (int64_t i = 0; i < x->size; i += 2) x->data[i] = -x->data[i]; /* both sides */
        nn_tensor *a = nn_rand(ctx, 1, &cases[c].na, 0.05f, 0.6f);
        nn_tensor *in[2] = {x, a};
        double err = gradcheck(ctx, apply_prelu, in, 2, NULL);
        if (err > GC_TOL) print_message("case %zu: error %g\n", c, err);
        assert_true(err <= GC_TOL);
        nn_tensor_free(x), nn_tensor_free(a);
    }
}

static void test_prelu_rejects_slopes_of_another_width(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_zeros(ctx, 2, TU_SHAPE(4, 3));
    nn_tensor *a = nn_zeros(ctx, 1, TU_SHAPE(2));
    assert_null(nn_prelu(ctx, x, a));
    assert_string_equal(
        nn_error(ctx), "prelu: [2] slopes for input [4,3]: give one slope, or one per feature (3)");
    nn_tensor_free(x), nn_tensor_free(a);
}

/* The module with per-feature slopes: its kernels give the op graph's output and
 * gradients (the graph is checked by finite differences above). */
static void test_prelu_module_learns_one_slope_per_feature(void **state) {
    nn_ctx *ctx = *state;
    nn_module *m = nn_prelu_new(ctx, 3, 0.25f);
    assert_non_null(m);
    assert_int_equal(nn_module_nparams(m), 3);
    assert_int_equal(nn_module_in(m), 3);
    float *p = nn_module_params(m);
    for (int j = 0; j < 3; j++) assert_float_equal(p[j], 0.25f, 0); /* every slope at init */
    p[1] = 0.5f, p[2] = 0.125f;
    const float x[6] = {1, -2, -4, -1, 3, -8};
    const float dy[6] = {1, 2, 3, 4, 5, 6};
    const float *y;
    float dx[6];
    assert_int_equal(nn_module_forward(m, x, 2, (int[]){2, 3}, &y), NN_OK);
    const float want_y[6] = {1, -1, -0.5f, -0.25f, 3, -1};
    for (int i = 0; i < 6; i++) assert_float_equal(y[i], want_y[i], 1e-7);
    nn_module_zero_grad(m);
    assert_int_equal(nn_module_backward(m, x, dy, dx, 2), NN_OK);
    const float want_dx[6] = {1, 1, 0.375f, 1, 5, 0.75f};
    for (int i = 0; i < 6; i++) assert_float_equal(dx[i], want_dx[i], 1e-7);
    /* da_j = sum over rows of x dy where x <= 0: (-1*4), (-2*2), (-4*3 + -8*6) */
    const float want_da[3] = {-4, -4, -60};
    float *g = nn_module_grads(m);
    for (int j = 0; j < 3; j++) assert_float_equal(g[j], want_da[j], 1e-6);
    /* the slopes' gradient even when no dx is asked for */
    nn_module_zero_grad(m);
    assert_int_equal(nn_module_backward(m, x, dy, NULL, 2), NN_OK);
    for (int j = 0; j < 3; j++) assert_float_equal(g[j], want_da[j], 1e-6);
    /* the same through the op graph over the module's parameter tensor */
    nn_module_zero_grad(m);
    nn_tensor *xt = tu_t(ctx, 2, TU_SHAPE(2, 3), x);
    nn_tensor *yt = nn_module_graph(ctx, m, xt);
    tu_expect(yt, 2, TU_SHAPE(2, 3), want_y, 1e-7);
    nn_tensor *w = tu_t(ctx, 2, TU_SHAPE(2, 3), dy);
    nn_tensor *yw = nn_mul(ctx, yt, w), *l = nn_sum(ctx, yw, NN_ALL, false);
    assert_int_equal(nn_backward(ctx, l), NN_OK);
    for (int j = 0; j < 3; j++) assert_float_equal(g[j], want_da[j], 1e-6);
    nn_tensor *all[] = {l, yw, w, yt, xt};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) nn_tensor_free(all[i]);
    nn_module_free(m);
}

static void test_prelu_module_checks_width_and_features(void **state) {
    nn_ctx *ctx = *state;
    assert_null(nn_prelu_new(ctx, -1, 0.25f));
    assert_string_equal(nn_error(ctx),
                        "prelu: features must be >= 1 (or 0 for one shared slope), got -1");
    nn_module *m = nn_prelu_new(ctx, 3, 0.25f);
    const float x[4] = {1, 2, 3, 4};
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 2, (int[]){1, 4}, &y), NN_ESHAPE);
    assert_string_equal(nn_error(ctx), "prelu expects [batch, 3], got [batch, 4]");
    nn_module_free(m);
    nn_module *shared = nn_prelu_new(ctx, 0, 0.2f); /* any width, one slope */
    assert_int_equal(nn_module_nparams(shared), 1);
    assert_int_equal(nn_module_forward(shared, x, 2, (int[]){1, 4}, &y), NN_OK);
    assert_int_equal(nn_module_forward(shared, x, 2, (int[]){2, 2}, &y), NN_OK);
    nn_module_free(shared);
    nn_module *old = nn_activation_new(ctx, NN_ACT_PRELU, 0.3f); /* the same as features 0 */
    assert_int_equal(nn_module_nparams(old), 1);
    assert_float_equal(nn_module_arg(old), 0.3f, 0);
    nn_module_free(old);
}

/* Activation ops (through the backend's act entries) against finite differences. */
static nn_tensor *apply_act(nn_ctx *ctx, nn_tensor **in, void *ud) {
    return nn_activation(ctx, in[0], *(const nn_act_kind *)ud,
                         nn_act_default_arg(*(const nn_act_kind *)ud));
}

static void test_activation_op_grads_match_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    nn_act_kind kinds[] = {NN_ACT_SIGMOID, NN_ACT_TANH,      NN_ACT_BIPOLAR, NN_ACT_LECUN_TANH,
                           NN_ACT_ELU,     NN_ACT_SWISH,     NN_ACT_GELU,    NN_ACT_SOFTPLUS,
                           NN_ACT_SOFTMAX, NN_ACT_LEAKY_RELU};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        nn_tensor *x = nn_rand(ctx, 2, TU_SHAPE(3, 4), 0.2f, 2.0f);
        for (int64_t i = 0; i < x->size; i += 3) x->data[i] = -x->data[i];
        double err = gradcheck(ctx, apply_act, &x, 1, &kinds[k]);
        if (err > GC_TOL) print_message("%s: error %g\n", nn_act_name(kinds[k]), err);
        assert_true(err <= GC_TOL);
        nn_tensor_free(x);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prelu_per_feature_values_and_grads_by_hand, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_prelu_grads_match_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_prelu_rejects_slopes_of_another_width, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_prelu_module_learns_one_slope_per_feature, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_prelu_module_checks_width_and_features, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_activation_op_grads_match_finite_difference, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
