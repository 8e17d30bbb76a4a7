/* Tests of op_matmul.c: values by hand with each side transposed, one-row and
 * one-element shapes, gradients by finite differences, inner-size errors. */
#include "gradcheck.h"
#include "testutil.h"

static void test_matmul_values_with_transposes(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 2, 3, 4, 5, 6));
    nn_tensor *b = tu_t(ctx, 2, TU_SHAPE(3, 2), TU_VALS(7, 8, 9, 10, 11, 12));
    nn_tensor *at = tu_t(ctx, 2, TU_SHAPE(3, 2), TU_VALS(1, 4, 2, 5, 3, 6));
    nn_tensor *bt = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(7, 9, 11, 8, 10, 12));
    const float want[] = {58, 64, 139, 154};
    nn_tensor *r;
    r = nn_matmul(ctx, a, b, false, false), tu_expect(r, 2, TU_SHAPE(2, 2), want, 0);
    nn_tensor_free(r);
    r = nn_matmul(ctx, at, b, true, false), tu_expect(r, 2, TU_SHAPE(2, 2), want, 0);
    nn_tensor_free(r);
    r = nn_matmul(ctx, a, bt, false, true), tu_expect(r, 2, TU_SHAPE(2, 2), want, 0);
    nn_tensor_free(r);
    r = nn_matmul(ctx, at, bt, true, true), tu_expect(r, 2, TU_SHAPE(2, 2), want, 0);
    nn_tensor_free(r);
    r = nn_matmul(ctx, b, a, false, false); /* [3,2] x [2,3] */
    tu_expect(r, 2, TU_SHAPE(3, 3), TU_VALS(39, 54, 69, 49, 68, 87, 59, 82, 105), 0);
    nn_tensor_free(r);
    nn_tensor *row = tu_t(ctx, 2, TU_SHAPE(1, 3), TU_VALS(1, 0, -1));
    r = nn_matmul(ctx, row, b, false, false), tu_expect(r, 2, TU_SHAPE(1, 2), TU_VALS(-4, -4), 0);
    nn_tensor_free(r);
    nn_tensor *s1 = tu_t(ctx, 2, TU_SHAPE(1, 1), TU_VALS(3));
    nn_tensor *s2 = tu_t(ctx, 2, TU_SHAPE(1, 1), TU_VALS(-2));
    r = nn_matmul(ctx, s1, s2, false, false), tu_expect(r, 2, TU_SHAPE(1, 1), TU_VALS(-6), 0);
    nn_tensor_free(r);
    nn_tensor *t[] = {a, b, at, bt, row, s1, s2};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) nn_tensor_free(t[i]);
}

static void test_matmul_rejects_mismatched_inner_sizes(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_zeros(ctx, 2, TU_SHAPE(32, 3));
    nn_tensor *b = nn_zeros(ctx, 2, TU_SHAPE(4, 8));
    nn_tensor *v = nn_zeros(ctx, 1, TU_SHAPE(3));
    assert_null(nn_matmul(ctx, a, b, false, false));
    assert_string_equal(nn_error(ctx), "matmul: [32,3] x [4,8]: inner sizes 3 and 4 differ");
    assert_null(nn_matmul(ctx, a, b, true, false));
    assert_string_equal(nn_error(ctx),
                        "matmul: [32,3] x [4,8] (first transposed): inner sizes 32 and 4 differ");
    assert_null(nn_matmul(ctx, v, b, false, false));
    assert_string_equal(nn_error(ctx), "matmul: [3] x [4,8]: both must be 2-D");
    nn_tensor_free(a), nn_tensor_free(b), nn_tensor_free(v);
}

static nn_tensor *apply_matmul(nn_ctx *ctx, nn_tensor **in, void *ud) {
    const bool *t = ud;
    return nn_matmul(ctx, in[0], in[1], t[0], t[1]);
}

static void test_matmul_grad_matches_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            bool t[2] = {ta, tb};
            int m = 3, k = 4, n = 5;
            nn_tensor *a = nn_randn(ctx, 2, ta ? TU_SHAPE(k, m) : TU_SHAPE(m, k), 0, 1);
            nn_tensor *b = nn_randn(ctx, 2, tb ? TU_SHAPE(n, k) : TU_SHAPE(k, n), 0, 1);
            nn_tensor *in[2] = {a, b};
            double err = gradcheck(ctx, apply_matmul, in, 2, t);
            if (err > GC_TOL) print_message("ta %d tb %d: error %g\n", ta, tb, err);
            assert_true(err <= GC_TOL);
            nn_tensor_free(a), nn_tensor_free(b);
        }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_matmul_values_with_transposes, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_matmul_rejects_mismatched_inner_sizes, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_matmul_grad_matches_finite_difference, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
