/* Tests of tensor.c: makers, shape errors, copies and fills, wrapping caller memory,
 * reference counting (results keep inputs alive), leaves and their gradients. */
#include "internal.h" /* nn_tn: the private part of a tensor */
#include "testutil.h"

static void test_makers_fill_values(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *z = nn_zeros(ctx, 2, TU_SHAPE(2, 2));
    tu_expect(z, 2, TU_SHAPE(2, 2), TU_VALS(0, 0, 0, 0), 0);
    nn_tensor *o = nn_ones(ctx, 1, TU_SHAPE(1));
    tu_expect(o, 1, TU_SHAPE(1), TU_VALS(1), 0);
    nn_tensor *f = nn_full(ctx, 3, TU_SHAPE(1, 2, 1), 2.5f);
    tu_expect(f, 3, TU_SHAPE(1, 2, 1), TU_VALS(2.5f, 2.5f), 0);
    assert_int_equal(f->shape[3], 1);
    assert_int_equal(f->size, 2);
    nn_tensor *a = nn_arange(ctx, 0, 5, 2);
    tu_expect(a, 1, TU_SHAPE(3), TU_VALS(0, 2, 4), 0);
    nn_tensor *d = nn_arange(ctx, 1, 0, -0.25f);
    tu_expect(d, 1, TU_SHAPE(4), TU_VALS(1, 0.75f, 0.5f, 0.25f), 0);
    nn_tensor *l = nn_linspace(ctx, -1, 1, 5);
    tu_expect(l, 1, TU_SHAPE(5), TU_VALS(-1, -0.5f, 0, 0.5f, 1), 0);
    nn_tensor *l1 = nn_linspace(ctx, 3, 9, 1);
    tu_expect(l1, 1, TU_SHAPE(1), TU_VALS(3), 0);
    nn_tensor *t[] = {z, o, f, a, d, l, l1};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) nn_tensor_free(t[i]);
}

static void test_rand_stays_in_range(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *r = nn_rand(ctx, 2, TU_SHAPE(50, 40), -3, -2);
    for (int64_t i = 0; i < r->size; i++) assert_true(r->data[i] >= -3 && r->data[i] < -2);
    nn_tensor *n = nn_randn(ctx, 1, TU_SHAPE(20000), 5, 0.5f);
    double s = 0;
    for (int64_t i = 0; i < n->size; i++) s += n->data[i];
    assert_true(fabs(s / 20000 - 5) < 0.02);
    nn_tensor_free(r), nn_tensor_free(n);
}

static void test_makers_reject_bad_shapes_and_ranges(void **state) {
    nn_ctx *ctx = *state;
    assert_null(nn_zeros(ctx, 2, TU_SHAPE(2, 0)));
    assert_string_equal(nn_error(ctx), "zeros: shape [2,0]: size 0 of dimension 2 is not >= 1");
    assert_null(nn_ones(ctx, 5, TU_SHAPE(1, 1, 1, 1, 1)));
    assert_string_equal(nn_error(ctx), "ones: 5 dimensions; tensors have 1 to 4");
    assert_null(nn_arange(ctx, 0, 1, 0));
    assert_string_equal(nn_error(ctx), "arange: step 0 must be a nonzero number");
    assert_null(nn_arange(ctx, 2, 1, 1));
    assert_string_equal(nn_error(ctx), "arange: [2, 1) in steps of 1 is empty");
    assert_null(nn_linspace(ctx, 0, 1, 0));
    assert_string_equal(nn_error(ctx), "linspace: count 0 must be >= 1");
    assert_null(nn_randn(ctx, 1, TU_SHAPE(-3), 0, 1));
    assert_string_equal(nn_error(ctx), "randn: shape [-3]: size -3 of dimension 1 is not >= 1");
}

static void test_shape_str_and_same_shape(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_zeros(ctx, 2, TU_SHAPE(32, 3));
    nn_tensor *b = nn_zeros(ctx, 1, TU_SHAPE(96));
    char buf[32];
    assert_string_equal(nn_shape_str(a, buf, sizeof buf), "[32,3]");
    assert_string_equal(nn_shape_str(b, buf, 4), "[96"); /* truncated, still terminated */
    assert_true(nn_same_shape(a, a));
    assert_false(nn_same_shape(a, b));
    nn_tensor_free(a), nn_tensor_free(b);
}

static void test_copy_fill_get_read(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 2), TU_VALS(1, 2, 3, 4));
    nn_tensor *c = nn_copy(ctx, a);
    nn_fill(a, 7);
    tu_expect(c, 2, TU_SHAPE(2, 2), TU_VALS(1, 2, 3, 4), 0);
    tu_expect(a, 2, TU_SHAPE(2, 2), TU_VALS(7, 7, 7, 7), 0);
    nn_tensor *flat = nn_zeros(ctx, 1, TU_SHAPE(4));
    assert_int_equal(nn_copy_into(flat, c), NN_OK); /* equal sizes are enough */
    assert_float_equal(nn_get(flat, 3), 4, 0);
    float out[4];
    assert_int_equal(nn_read(c, out), NN_OK);
    assert_float_equal(out[2], 3, 0);
    nn_tensor *small = nn_zeros(ctx, 1, TU_SHAPE(3));
    assert_int_equal(nn_copy_into(small, c), NN_ESHAPE);
    assert_string_equal(nn_error(ctx), "copy: [2,2] into [3]: sizes 4 and 3 differ");
    nn_tensor_free(a), nn_tensor_free(c), nn_tensor_free(flat), nn_tensor_free(small);
}

/* C API hygiene: a missing tensor or an index outside it is an error, not a crash. */
static void test_copy_fill_get_read_refuse_null_and_out_of_range(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 2, 3, 4, 5, 6));
    assert_null(nn_copy(ctx, NULL));
    assert_string_equal(nn_error(ctx), "copy: no tensor given");
    assert_int_equal(nn_copy_into(NULL, a), NN_EARG);
    assert_string_equal(nn_error(ctx), "copy: no destination tensor given");
    assert_int_equal(nn_copy_into(a, NULL), NN_EARG);
    assert_string_equal(nn_error(ctx), "copy: no source tensor given");
    assert_int_equal(nn_copy_into(NULL, NULL), NN_EARG);
    assert_int_equal(nn_fill(NULL, 1), NN_EARG);
    assert_int_equal(nn_fill(a, 2), NN_OK);
    nn_fill(a, 5);
    assert_true(isnan(nn_get(NULL, 0)));
    assert_true(isnan(nn_get(a, 6)));
    assert_string_equal(nn_error(ctx), "get: index 6 is out of range for shape [2,3] (6 values)");
    assert_true(isnan(nn_get(a, -1)));
    assert_string_equal(nn_error(ctx), "get: index -1 is out of range for shape [2,3] (6 values)");
    assert_float_equal(nn_get(a, 5), 5, 0);
    assert_int_equal(nn_read(NULL, (float[1]){0}), NN_EARG);
    assert_int_equal(nn_read(a, NULL), NN_EARG);
    assert_string_equal(nn_error(ctx), "read: no memory to read into");
    assert_null(nn_from_array(ctx, 1, TU_SHAPE(2), NULL));
    assert_string_equal(nn_error(ctx), "tensor: no values given");
    nn_tensor_free(a);
}

static void test_wrap_uses_caller_memory(void **state) {
    nn_ctx *ctx = *state;
    float mem[6] = {1, 2, 3, 4, 5, 6};
    nn_tensor *w = nn_wrap(ctx, 2, TU_SHAPE(3, 2), mem);
    assert_ptr_equal(w->data, mem);
    nn_fill(w, 0.5f);
    assert_float_equal(mem[5], 0.5f, 0);
    nn_tensor_free(w); /* mem is the caller's; ASan would flag a free of it */
    assert_null(nn_wrap(ctx, 1, TU_SHAPE(2), NULL));
}

static void test_result_keeps_freed_input_alive(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = tu_t(ctx, 1, TU_SHAPE(3), TU_VALS(1, 2, 3));
    nn_requires_grad(x, true);
    nn_tensor *y = nn_mul(ctx, x, x);
    nn_tensor *s = nn_sum(ctx, y, NN_ALL, false);
    nn_tensor_free(y);                       /* s still needs y, and y needs x */
    assert_int_equal(nn_tn(x)->refcount, 3); /* y holds x twice (x * x) */
    nn_tensor *xg_owner = nn_tensor_retain(x);
    nn_tensor_free(x);
    x = xg_owner;
    assert_int_equal(nn_backward(ctx, s), NN_OK);
    tu_expect(x->grad, 1, TU_SHAPE(3), TU_VALS(2, 4, 6), 0);
    nn_tensor_free(s); /* drops y, which drops its references to x */
    assert_int_equal(nn_tn(x)->refcount, 1);
    nn_tensor_free(x);
}

static void test_results_without_grad_keep_no_inputs(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_ones(ctx, 1, TU_SHAPE(3));
    nn_tensor *y = nn_exp(ctx, x);
    assert_null(nn_tensor_input(y, 0));
    assert_int_equal(nn_tn(x)->refcount, 1);
    assert_false(y->requires_grad);
    assert_string_equal(nn_op_name(nn_tensor_op(y)), "exp");
    nn_tensor_free(y), nn_tensor_free(x);
}

static void test_requires_grad_only_on_leaves(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_ones(ctx, 1, TU_SHAPE(2));
    assert_int_equal(nn_requires_grad(x, true), NN_OK);
    nn_tensor *y = nn_neg(ctx, x);
    assert_true(y->requires_grad);
    assert_int_equal(nn_requires_grad(y, true), NN_ESTATE);
    assert_string_equal(nn_error(ctx), "requires_grad: only leaves can require grad; this is the "
                                       "result of neg (use copy() or detach() for a new leaf)");
    nn_tensor *c = nn_copy(ctx, y); /* a new leaf, out of the graph */
    assert_false(c->requires_grad);
    assert_int_equal(nn_tensor_op(c), NN_OP_LEAF);
    assert_null(nn_tensor_input(c, 0));
    nn_tensor_free(c), nn_tensor_free(y), nn_tensor_free(x);
}

static void test_zero_grad_keeps_the_buffer(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = tu_t(ctx, 1, TU_SHAPE(2), TU_VALS(1, 2));
    nn_requires_grad(x, true);
    nn_tensor *s = nn_sum(ctx, x, NN_ALL, false);
    nn_backward(ctx, s);
    nn_backward(ctx, s); /* accumulates */
    tu_expect(x->grad, 1, TU_SHAPE(2), TU_VALS(2, 2), 0);
    nn_tensor *g = x->grad;
    nn_zero_grad(x);
    assert_ptr_equal(x->grad, g);
    tu_expect(x->grad, 1, TU_SHAPE(2), TU_VALS(0, 0), 0);
    nn_tensor_free(s), nn_tensor_free(x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_makers_fill_values, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_rand_stays_in_range, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_makers_reject_bad_shapes_and_ranges, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_shape_str_and_same_shape, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_copy_fill_get_read, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_copy_fill_get_read_refuse_null_and_out_of_range,
                                        tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_wrap_uses_caller_memory, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_result_keeps_freed_input_alive, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_results_without_grad_keep_no_inputs, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_requires_grad_only_on_leaves, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_zero_grad_keeps_the_buffer, tu_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
