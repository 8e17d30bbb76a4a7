/* Tests of op_shape.c: reshape (with -1) and row slices as views, transpose, row
 * gathers (repeated rows add their gradients), their errors and gradients. */
#include "gradcheck.h"
#include "internal.h" /* nn_tn: the private part of a tensor */
#include "testutil.h"

static void test_reshape_is_a_view_and_infers_one_size(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_arange(ctx, 0, 6, 1);
    nn_tensor *r = nn_reshape(ctx, a, 2, TU_SHAPE(-1, 3));
    tu_expect(r, 2, TU_SHAPE(2, 3), TU_VALS(0, 1, 2, 3, 4, 5), 0);
    assert_ptr_equal(r->data, a->data);
    nn_tensor_free(a); /* the view keeps its memory alive */
    assert_float_equal(r->data[5], 5, 0);
    nn_tensor *r2 = nn_reshape(ctx, r, 4, TU_SHAPE(1, 3, 1, 2));
    assert_ptr_equal(nn_tn(r2)->base, nn_tn(r)->base); /* a view of a view points at the owner */
    nn_tensor_free(r), nn_tensor_free(r2);
}

static void test_reshape_rejects_other_sizes(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_zeros(ctx, 2, TU_SHAPE(2, 3));
    assert_null(nn_reshape(ctx, a, 2, TU_SHAPE(4, 2)));
    assert_string_equal(nn_error(ctx), "reshape: [2,3] to [4,2]: sizes 6 and 8 differ");
    assert_null(nn_reshape(ctx, a, 2, TU_SHAPE(-1, 4)));
    assert_string_equal(nn_error(ctx), "reshape: [2,3] to [-1,4]: 6 elements do not divide by 4");
    assert_null(nn_reshape(ctx, a, 2, TU_SHAPE(-1, -1)));
    assert_string_equal(nn_error(ctx),
                        "reshape: [2,3] to [-1,-1]: sizes must be >= 1 (one may be -1)");
    nn_tensor_free(a);
}

static void test_rows_slice_and_gather(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(3, 2), TU_VALS(1, 2, 3, 4, 5, 6));
    nn_tensor *s = nn_slice_rows(ctx, a, 1, 2);
    tu_expect(s, 2, TU_SHAPE(2, 2), TU_VALS(3, 4, 5, 6), 0);
    assert_ptr_equal(s->data, a->data + 2);
    nn_tensor *one = nn_slice_rows(ctx, a, 2, 1);
    tu_expect(one, 2, TU_SHAPE(1, 2), TU_VALS(5, 6), 0);
    nn_tensor *g = nn_gather_rows(ctx, a, TU_SHAPE(2, 0, 2), 3);
    tu_expect(g, 2, TU_SHAPE(3, 2), TU_VALS(5, 6, 1, 2, 5, 6), 0);
    assert_null(nn_slice_rows(ctx, a, 2, 2));
    assert_string_equal(nn_error(ctx),
                        "rows: 2 rows from row 2 do not fit in [3,2] (row indices 0 to 2)");
    assert_null(nn_gather_rows(ctx, a, TU_SHAPE(0, 3), 2));
    assert_string_equal(nn_error(ctx),
                        "gather: row index 3 (position 2) is out of range for [3,2]");
    nn_tensor_free(a), nn_tensor_free(s), nn_tensor_free(one), nn_tensor_free(g);
}

static void test_transpose_values_and_error(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 2, 3, 4, 5, 6));
    nn_tensor *t = nn_transpose(ctx, a);
    tu_expect(t, 2, TU_SHAPE(3, 2), TU_VALS(1, 4, 2, 5, 3, 6), 0);
    nn_tensor *v = nn_zeros(ctx, 1, TU_SHAPE(3));
    assert_null(nn_transpose(ctx, v));
    assert_string_equal(nn_error(ctx), "transpose: [3]: only 2-D tensors transpose");
    nn_tensor_free(a), nn_tensor_free(t), nn_tensor_free(v);
}

/* [1,n] -> [n,1] and back, with the gradient routed to the right elements. */
static void test_transpose_of_one_row(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(1, 3), TU_VALS(7, 8, 9));
    nn_requires_grad(a, true);
    nn_tensor *t = nn_transpose(ctx, a);
    tu_expect(t, 2, TU_SHAPE(3, 1), TU_VALS(7, 8, 9), 0);
    nn_tensor *back = nn_transpose(ctx, t);
    tu_expect(back, 2, TU_SHAPE(1, 3), TU_VALS(7, 8, 9), 0);
    nn_tensor *w = tu_t(ctx, 2, TU_SHAPE(3, 1), TU_VALS(1, 10, 100));
    nn_tensor *tw = nn_mul(ctx, t, w), *l = nn_sum(ctx, tw, NN_ALL, false);
    assert_int_equal(nn_backward(ctx, l), NN_OK);
    tu_expect(a->grad, 2, TU_SHAPE(1, 3), TU_VALS(1, 10, 100), 0);
    nn_tensor *one = tu_t(ctx, 2, TU_SHAPE(1, 1), TU_VALS(4));
    nn_tensor *t1 = nn_transpose(ctx, one);
    tu_expect(t1, 2, TU_SHAPE(1, 1), TU_VALS(4), 0);
    nn_tensor *all[] = {a, t, back, w, tw, l, one, t1};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) nn_tensor_free(all[i]);
}

static nn_tensor *apply_reshape(nn_ctx *ctx, nn_tensor **in, void *ud) {
    (void)ud;
    return nn_reshape(ctx, in[0], 2, TU_SHAPE(4, -1));
}
static nn_tensor *apply_slice(nn_ctx *ctx, nn_tensor **in, void *ud) {
    (void)ud;
    return nn_slice_rows(ctx, in[0], 1, 2);
}
static nn_tensor *apply_gather(nn_ctx *ctx, nn_tensor **in, void *ud) {
    (void)ud;
    return nn_gather_rows(ctx, in[0], TU_SHAPE(3, 0, 3, 1), 4);
}
static nn_tensor *apply_transpose(nn_ctx *ctx, nn_tensor **in, void *ud) {
    (void)ud;
    return nn_transpose(ctx, in[0]);
}

static void test_shape_op_grads_match_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    gc_fn fns[] = {apply_reshape, apply_slice, apply_gather, apply_transpose};
    for (size_t c = 0; c < sizeof fns / sizeof *fns; c++) {
        nn_tensor *x = nn_randn(ctx, 2, TU_SHAPE(4, 3), 0, 1);
        double err = gradcheck(ctx, fns[c], &x, 1, NULL);
        if (err > GC_TOL) print_message("case %zu: error %g\n", c, err);
        assert_true(err <= GC_TOL);
        nn_tensor_free(x);
    }
}

static void test_gather_grad_adds_repeated_rows(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_zeros(ctx, 2, TU_SHAPE(3, 1));
    nn_requires_grad(a, true);
    nn_tensor *g = nn_gather_rows(ctx, a, TU_SHAPE(2, 2, 0), 3);
    nn_tensor *s = nn_sum(ctx, g, NN_ALL, false);
    nn_backward(ctx, s);
    tu_expect(a->grad, 2, TU_SHAPE(3, 1), TU_VALS(1, 0, 2), 0);
    nn_tensor_free(s), nn_tensor_free(g), nn_tensor_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reshape_is_a_view_and_infers_one_size, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_reshape_rejects_other_sizes, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_rows_slice_and_gather, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_transpose_values_and_error, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_transpose_of_one_row, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_shape_op_grads_match_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_gather_grad_adds_repeated_rows, tu_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
