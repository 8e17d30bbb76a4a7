/* Tests of op_softmax.c: values (PyTorch's torch.softmax of [[1,2,3],[1,1,1]] etc.),
 * stability with large logits, axes, gradients by finite differences. */
#include "gradcheck.h"
#include "testutil.h"

static void test_softmax_values_by_row_and_column(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 2, 3, 1, 1, 1));
    nn_tensor *r = nn_softmax(ctx, a, -1);
    tu_expect(r, 2, TU_SHAPE(2, 3),
              TU_VALS(0.09003057f, 0.24472847f, 0.66524096f, 1 / 3.0f, 1 / 3.0f, 1 / 3.0f), 1e-6);
    nn_tensor_free(r);
    r = nn_log_softmax(ctx, a, 1);
    tu_expect(
        r, 2, TU_SHAPE(2, 3),
        TU_VALS(-2.40760596f, -1.40760596f, -0.40760596f, -1.09861229f, -1.09861229f, -1.09861229f),
        1e-6);
    nn_tensor_free(r);
    r = nn_softmax(ctx, a, 0); /* down the columns */
    tu_expect(r, 2, TU_SHAPE(2, 3),
              TU_VALS(0.5f, 0.73105858f, 0.88079708f, 0.5f, 0.26894142f, 0.11920292f), 1e-6);
    nn_tensor_free(r);
    nn_tensor *one = tu_t(ctx, 1, TU_SHAPE(1), TU_VALS(5));
    r = nn_softmax(ctx, one, 0), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(1), 0);
    nn_tensor_free(r), nn_tensor_free(one), nn_tensor_free(a);
}

static void test_softmax_is_stable_for_large_logits(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 1, TU_SHAPE(3), TU_VALS(1000, 1001, 1002));
    nn_tensor *r = nn_softmax(ctx, a, 0);
    tu_expect(r, 1, TU_SHAPE(3), TU_VALS(0.09003057f, 0.24472847f, 0.66524096f), 1e-6);
    nn_tensor *l = nn_log_softmax(ctx, a, 0);
    tu_expect(l, 1, TU_SHAPE(3), TU_VALS(-2.40760596f, -1.40760596f, -0.40760596f), 1e-5);
    nn_tensor_free(r), nn_tensor_free(l), nn_tensor_free(a);
}

static void test_softmax_rejects_bad_axis(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_zeros(ctx, 2, TU_SHAPE(2, 3));
    assert_null(nn_log_softmax(ctx, a, 2));
    assert_string_equal(nn_error(ctx), "log_softmax: axis 2 is out of range for shape [2,3]");
    nn_tensor_free(a);
}

struct scase {
    nn_tensor *(*op)(nn_ctx *, nn_tensor *, int);
    int axis;
};

static nn_tensor *apply_sm(nn_ctx *ctx, nn_tensor **in, void *ud) {
    struct scase *c = ud;
    return c->op(ctx, in[0], c->axis);
}

static void test_softmax_grads_match_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    struct scase cases[] = {{nn_softmax, -1},     {nn_softmax, 0},     {nn_softmax, 1},
                            {nn_log_softmax, -1}, {nn_log_softmax, 0}, {nn_log_softmax, 1}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        nn_tensor *x = nn_randn(ctx, 3, TU_SHAPE(2, 3, 4), 0, 2);
        double err = gradcheck(ctx, apply_sm, &x, 1, &cases[c]);
        if (err > GC_TOL) print_message("case %zu: error %g\n", c, err);
        assert_true(err <= GC_TOL);
        nn_tensor_free(x);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_softmax_values_by_row_and_column, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_softmax_is_stable_for_large_logits, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_softmax_rejects_bad_axis, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_softmax_grads_match_finite_difference, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
