/* Tests of op_reduce.c: sum, mean, max, argmax over each axis and over all, with and
 * without keepdim; gradients by finite differences; axis errors. */
#include "gradcheck.h"
#include "testutil.h"

static void test_sum_mean_over_axes_and_all(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 2, 3, 4, 5, 6));
    nn_tensor *r;
    r = nn_sum(ctx, a, 0, false), tu_expect(r, 1, TU_SHAPE(3), TU_VALS(5, 7, 9), 0);
    nn_tensor_free(r);
    r = nn_sum(ctx, a, 1, true), tu_expect(r, 2, TU_SHAPE(2, 1), TU_VALS(6, 15), 0);
    nn_tensor_free(r);
    r = nn_sum(ctx, a, -1, false), tu_expect(r, 1, TU_SHAPE(2), TU_VALS(6, 15), 0);
    nn_tensor_free(r);
    r = nn_sum(ctx, a, NN_ALL, false), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(21), 0);
    nn_tensor_free(r);
    r = nn_sum(ctx, a, NN_ALL, true), tu_expect(r, 2, TU_SHAPE(1, 1), TU_VALS(21), 0);
    nn_tensor_free(r);
    r = nn_mean(ctx, a, 0, true), tu_expect(r, 2, TU_SHAPE(1, 3), TU_VALS(2.5f, 3.5f, 4.5f), 0);
    nn_tensor_free(r);
    r = nn_mean(ctx, a, NN_ALL, false), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(3.5f), 0);
    nn_tensor_free(r);
    nn_tensor *one = tu_t(ctx, 1, TU_SHAPE(1), TU_VALS(-4)); /* one element */
    r = nn_mean(ctx, one, 0, false), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(-4), 0);
    nn_tensor_free(r);
    nn_tensor_free(a), nn_tensor_free(one);
}

static void test_max_argmax_pick_the_first_largest(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 9, 9, 7, -1, 2));
    nn_tensor *r;
    r = nn_max(ctx, a, 1, false), tu_expect(r, 1, TU_SHAPE(2), TU_VALS(9, 7), 0);
    nn_tensor_free(r);
    r = nn_argmax(ctx, a, 1, false), tu_expect(r, 1, TU_SHAPE(2), TU_VALS(1, 0), 0);
    nn_tensor_free(r);
    r = nn_argmax(ctx, a, 0, true), tu_expect(r, 2, TU_SHAPE(1, 3), TU_VALS(1, 0, 0), 0);
    nn_tensor_free(r);
    r = nn_max(ctx, a, NN_ALL, false), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(9), 0);
    nn_tensor_free(r);
    r = nn_argmax(ctx, a, NN_ALL, false), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(1), 0);
    nn_tensor_free(r);
    nn_tensor_free(a);
}

static void test_max_grad_goes_to_the_first_maximum(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 9, 9, 7, -1, 2));
    nn_requires_grad(a, true);
    nn_tensor *m = nn_max(ctx, a, 1, false);
    nn_tensor *s = nn_sum(ctx, m, NN_ALL, false);
    nn_backward(ctx, s);
    tu_expect(a->grad, 2, TU_SHAPE(2, 3), TU_VALS(0, 1, 0, 1, 0, 0), 0);
    nn_tensor *am = nn_argmax(ctx, a, 1, false);
    assert_false(am->requires_grad); /* indices have no gradient */
    nn_tensor_free(am), nn_tensor_free(m), nn_tensor_free(s), nn_tensor_free(a);
}

/* One element and one row: max and argmax of [1] and of [1,n] along each axis (along
 * axis 0 of [1,n] every element is its own maximum), and the gradient of each max. */
static void test_max_argmax_of_one_element_and_one_row(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *one = tu_t(ctx, 1, TU_SHAPE(1), TU_VALS(-3));
    nn_requires_grad(one, true);
    nn_tensor *r = nn_max(ctx, one, 0, false);
    tu_expect(r, 1, TU_SHAPE(1), TU_VALS(-3), 0);
    assert_int_equal(nn_backward(ctx, r), NN_OK);
    tu_expect(one->grad, 1, TU_SHAPE(1), TU_VALS(1), 0);
    nn_tensor_free(r);
    r = nn_argmax(ctx, one, NN_ALL, false), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(0), 0);
    nn_tensor_free(r);

    nn_tensor *row = tu_t(ctx, 2, TU_SHAPE(1, 4), TU_VALS(2, -1, 5, 5));
    nn_requires_grad(row, true);
    r = nn_max(ctx, row, 1, false), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(5), 0);
    assert_int_equal(nn_backward(ctx, r), NN_OK);
    tu_expect(row->grad, 2, TU_SHAPE(1, 4), TU_VALS(0, 0, 1, 0), 0); /* the first of the tie */
    nn_tensor_free(r);
    r = nn_argmax(ctx, row, 1, true), tu_expect(r, 2, TU_SHAPE(1, 1), TU_VALS(2), 0);
    nn_tensor_free(r);
    r = nn_argmax(ctx, row, -1, false), tu_expect(r, 1, TU_SHAPE(1), TU_VALS(2), 0);
    nn_tensor_free(r);
    r = nn_max(ctx, row, 0, false), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(2, -1, 5, 5), 0);
    nn_zero_grad(row);
    nn_tensor *s = nn_sum(ctx, r, NN_ALL, false);
    assert_int_equal(nn_backward(ctx, s), NN_OK);
    tu_expect(row->grad, 2, TU_SHAPE(1, 4), TU_VALS(1, 1, 1, 1), 0);
    nn_tensor_free(s), nn_tensor_free(r);
    r = nn_argmax(ctx, row, 0, false), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(0, 0, 0, 0), 0);
    nn_tensor_free(r);
    r = nn_max(ctx, row, NN_ALL, true), tu_expect(r, 2, TU_SHAPE(1, 1), TU_VALS(5), 0);
    nn_tensor_free(r);
    nn_tensor_free(one), nn_tensor_free(row);
}

static void test_reduce_rejects_bad_axis(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_zeros(ctx, 2, TU_SHAPE(2, 3));
    assert_null(nn_sum(ctx, a, 2, false));
    assert_string_equal(nn_error(ctx), "sum: axis 2 is out of range for shape [2,3]");
    assert_null(nn_argmax(ctx, a, -3, false));
    assert_string_equal(nn_error(ctx), "argmax: axis -3 is out of range for shape [2,3]");
    nn_tensor_free(a);
}

struct rcase {
    nn_tensor *(*op)(nn_ctx *, nn_tensor *, int, bool);
    int axis;
    bool keep;
};

static nn_tensor *apply_reduce(nn_ctx *ctx, nn_tensor **in, void *ud) {
    struct rcase *c = ud;
    return c->op(ctx, in[0], c->axis, c->keep);
}

static void test_reduce_grads_match_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    struct rcase cases[] = {
        {nn_sum, 0, false}, {nn_sum, 1, true},    {nn_sum, 2, false},   {nn_sum, NN_ALL, false},
        {nn_mean, 0, true}, {nn_mean, -1, false}, {nn_mean, NN_ALL, 0}, {nn_max, 0, false},
        {nn_max, 1, false}, {nn_max, 2, true},    {nn_max, NN_ALL, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        /* distinct values, far apart relative to the step, so max has no near-ties */
        nn_tensor *x = nn_randn(ctx, 3, TU_SHAPE(2, 3, 4), 0, 1);
        for (int64_t i = 0; i < x->size; i++) x->data[i] += 0.2f * (float)((i * 7) % 24);
        double err = gradcheck(ctx, apply_reduce, &x, 1, &cases[c]);
        if (err > GC_TOL) print_message("case %zu: error %g\n", c, err);
        assert_true(err <= GC_TOL);
        nn_tensor_free(x);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sum_mean_over_axes_and_all, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_max_argmax_pick_the_first_largest, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_max_argmax_of_one_element_and_one_row, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_max_grad_goes_to_the_first_maximum, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_reduce_rejects_bad_axis, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_reduce_grads_match_finite_difference, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
