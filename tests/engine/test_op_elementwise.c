/* Tests of op_elementwise.c: values by hand (broadcasting a row, a column, a scalar;
 * one element; one row), gradients by finite differences, shape errors. */
#include "gradcheck.h"
#include "testutil.h"

static void test_add_same_shape_and_row_bias(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 2, 3, 4, 5, 6));
    nn_tensor *b = tu_t(ctx, 1, TU_SHAPE(3), TU_VALS(10, 20, 30));
    nn_tensor *r = nn_add(ctx, a, b);
    tu_expect(r, 2, TU_SHAPE(2, 3), TU_VALS(11, 22, 33, 14, 25, 36), 0);
    nn_tensor *s = nn_add(ctx, a, a);
    tu_expect(s, 2, TU_SHAPE(2, 3), TU_VALS(2, 4, 6, 8, 10, 12), 0);
    nn_tensor *rb = nn_add(ctx, b, a); /* broadcast on the left side too */
    tu_expect(rb, 2, TU_SHAPE(2, 3), TU_VALS(11, 22, 33, 14, 25, 36), 0);
    nn_tensor_free(a), nn_tensor_free(b), nn_tensor_free(r), nn_tensor_free(s);
    nn_tensor_free(rb);
}

static void test_sub_mul_div_broadcast_column_and_scalar(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(2, 3), TU_VALS(1, 2, 3, 4, 5, 6));
    nn_tensor *col = tu_t(ctx, 2, TU_SHAPE(2, 1), TU_VALS(1, 2));
    nn_tensor *one = tu_t(ctx, 1, TU_SHAPE(1), TU_VALS(4));
    nn_tensor *r1 = nn_sub(ctx, a, col);
    tu_expect(r1, 2, TU_SHAPE(2, 3), TU_VALS(0, 1, 2, 2, 3, 4), 0);
    nn_tensor *r2 = nn_mul(ctx, a, col);
    tu_expect(r2, 2, TU_SHAPE(2, 3), TU_VALS(1, 2, 3, 8, 10, 12), 0);
    nn_tensor *r3 = nn_div(ctx, a, one);
    tu_expect(r3, 2, TU_SHAPE(2, 3), TU_VALS(0.25f, 0.5f, 0.75f, 1, 1.25f, 1.5f), 1e-7);
    nn_tensor *r4 = nn_div(ctx, one, a);
    tu_expect(r4, 2, TU_SHAPE(2, 3), TU_VALS(4, 2, 4.0f / 3, 1, 0.8f, 4.0f / 6), 1e-6);
    nn_tensor *r5 = nn_sub(ctx, one, one); /* one element */
    tu_expect(r5, 1, TU_SHAPE(1), TU_VALS(0), 0);
    nn_tensor *t[] = {a, col, one, r1, r2, r3, r4, r5};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) nn_tensor_free(t[i]);
}

static void test_broadcast_outer_product_and_3d(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *col = tu_t(ctx, 2, TU_SHAPE(3, 1), TU_VALS(1, 2, 3));
    nn_tensor *row = tu_t(ctx, 2, TU_SHAPE(1, 2), TU_VALS(10, 100));
    nn_tensor *r = nn_mul(ctx, col, row);
    tu_expect(r, 2, TU_SHAPE(3, 2), TU_VALS(10, 100, 20, 200, 30, 300), 0);
    nn_tensor *a3 = tu_t(ctx, 3, TU_SHAPE(2, 1, 2), TU_VALS(1, 2, 3, 4));
    nn_tensor *b2 = tu_t(ctx, 2, TU_SHAPE(3, 1), TU_VALS(0, 10, 20));
    nn_tensor *r3 = nn_add(ctx, a3, b2); /* [2,1,2] + [3,1] -> [2,3,2] */
    tu_expect(r3, 3, TU_SHAPE(2, 3, 2), TU_VALS(1, 2, 11, 12, 21, 22, 3, 4, 13, 14, 23, 24), 0);
    nn_tensor *t[] = {col, row, r, a3, b2, r3};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) nn_tensor_free(t[i]);
}

static void test_add_rejects_shapes_that_do_not_broadcast(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_zeros(ctx, 2, TU_SHAPE(2, 3));
    nn_tensor *b = nn_zeros(ctx, 1, TU_SHAPE(4));
    uint64_t before = nn_heap_allocs(ctx);
    assert_null(nn_add(ctx, a, b));
    assert_int_equal(nn_heap_allocs(ctx), before); /* nothing allocated on failure */
    assert_string_equal(nn_error(ctx),
                        "add: [2,3] and [4] do not broadcast: sizes 3 and 4 differ (axis -1)");
    nn_tensor *c = nn_zeros(ctx, 2, TU_SHAPE(3, 1));
    assert_null(nn_mul(ctx, a, c));
    assert_string_equal(nn_error(ctx),
                        "mul: [2,3] and [3,1] do not broadcast: sizes 2 and 3 differ (axis -2)");
    nn_tensor_free(a), nn_tensor_free(b), nn_tensor_free(c);
}

static void test_unary_values(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = tu_t(ctx, 1, TU_SHAPE(4), TU_VALS(-2, -0.5f, 1, 4));
    nn_tensor *r;
    r = nn_neg(ctx, x), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(2, 0.5f, -1, -4), 0),
    nn_tensor_free(r);
    r = nn_scale(ctx, x, 3), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(-6, -1.5f, 3, 12), 0),
    nn_tensor_free(r);
    r = nn_add_scalar(ctx, x, 1), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(-1, 0.5f, 2, 5), 0),
    nn_tensor_free(r);
    r = nn_pow(ctx, x, 2), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(4, 0.25f, 1, 16), 0),
    nn_tensor_free(r);
    r = nn_pow(ctx, x, 3), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(-8, -0.125f, 1, 64), 1e-5),
    nn_tensor_free(r);
    r = nn_abs(ctx, x), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(2, 0.5f, 1, 4), 0), nn_tensor_free(r);
    r = nn_relu(ctx, x), tu_expect(r, 1, TU_SHAPE(4), TU_VALS(0, 0, 1, 4), 0), nn_tensor_free(r);
    r = nn_exp(ctx, x);
    tu_expect(r, 1, TU_SHAPE(4), TU_VALS(0.13533528f, 0.60653066f, 2.7182817f, 54.59815f), 1e-5);
    nn_tensor_free(r);
    r = nn_tanh(ctx, x);
    tu_expect(r, 1, TU_SHAPE(4), TU_VALS(-0.96402758f, -0.46211716f, 0.76159416f, 0.99932930f),
              1e-6);
    nn_tensor_free(r);
    r = nn_sigmoid(ctx, x);
    tu_expect(r, 1, TU_SHAPE(4), TU_VALS(0.11920292f, 0.37754067f, 0.73105858f, 0.98201379f), 1e-6);
    nn_tensor_free(r);
    nn_tensor *p = tu_t(ctx, 2, TU_SHAPE(1, 3), TU_VALS(1, 4, 2.7182817f));
    r = nn_sqrt(ctx, p), tu_expect(r, 2, TU_SHAPE(1, 3), TU_VALS(1, 2, 1.6487212f), 1e-6),
    nn_tensor_free(r);
    r = nn_log(ctx, p), tu_expect(r, 2, TU_SHAPE(1, 3), TU_VALS(0, 1.3862944f, 1), 1e-6),
    nn_tensor_free(r);
    nn_tensor_free(x), nn_tensor_free(p);
}

/* ---- gradients --------------------------------------------------------------------- */

typedef nn_tensor *(*bin_op)(nn_ctx *, nn_tensor *, nn_tensor *);
typedef nn_tensor *(*un_op)(nn_ctx *, nn_tensor *);

static nn_tensor *apply_bin(nn_ctx *ctx, nn_tensor **in, void *ud) {
    return (*(bin_op *)ud)(ctx, in[0], in[1]);
}
static nn_tensor *apply_un(nn_ctx *ctx, nn_tensor **in, void *ud) {
    return (*(un_op *)ud)(ctx, in[0]);
}

/* Each binary op over same shapes, a row, a column, a scalar, and [2,1,3] x [4,1]. */
static void check_binary_grads(nn_ctx *ctx, bin_op op) {
    struct {
        int na, sa[3], nb, sb[3];
    } cases[] = {
        {2, {3, 4}, 2, {3, 4}}, {2, {3, 4}, 1, {4}}, {2, {3, 4}, 2, {3, 1}},
        {2, {3, 4}, 1, {1}},    {1, {4}, 2, {3, 4}}, {3, {2, 1, 3}, 2, {4, 1}},
        {1, {1}, 1, {1}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        nn_tensor *a = nn_rand(ctx, cases[c].na, cases[c].sa, 0.5f, 2.0f);
        nn_tensor *b = nn_rand(ctx, cases[c].nb, cases[c].sb, 0.5f, 2.0f);
        nn_tensor *in[2] = {a, b};
        double err = gradcheck(ctx, apply_bin, in, 2, &op);
        if (err > GC_TOL) print_message("case %zu: error %g\n", c, err);
        assert_true(err <= GC_TOL);
        nn_tensor_free(a), nn_tensor_free(b);
    }
}

static void test_add_grad_matches_finite_difference(void **state) {
    check_binary_grads(*state, nn_add);
}
static void test_sub_grad_matches_finite_difference(void **state) {
    check_binary_grads(*state, nn_sub);
}
static void test_mul_grad_matches_finite_difference(void **state) {
    check_binary_grads(*state, nn_mul);
}
static void test_div_grad_matches_finite_difference(void **state) {
    check_binary_grads(*state, nn_div);
}

static nn_tensor *scale_by_3(nn_ctx *c, nn_tensor *a) {
    return nn_scale(c, a, 3.0f);
}
static nn_tensor *add_2(nn_ctx *c, nn_tensor *a) {
    return nn_add_scalar(c, a, 2.0f);
}
static nn_tensor *pow_2(nn_ctx *c, nn_tensor *a) {
    return nn_pow(c, a, 2.0f);
}
static nn_tensor *pow_1_5(nn_ctx *c, nn_tensor *a) {
    return nn_pow(c, a, 1.5f);
}
static nn_tensor *pow_m1(nn_ctx *c, nn_tensor *a) {
    return nn_pow(c, a, -1.0f);
}

/* Unary ops at random points; positive inputs for log/sqrt/pow, and values away
 * from 0 for abs and relu (their kink). */
static void test_unary_grads_match_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    struct {
        un_op op;
        float lo, hi;
        const char *name;
    } cases[] = {
        {nn_neg, -2, 2, "neg"},       {scale_by_3, -2, 2, "scale"},   {add_2, -2, 2, "add_scalar"},
        {pow_2, -2, 2, "pow 2"},      {pow_1_5, 0.5f, 2, "pow 1.5"},  {pow_m1, 0.5f, 2, "pow -1"},
        {nn_exp, -2, 2, "exp"},       {nn_log, 0.5f, 3, "log"},       {nn_sqrt, 0.5f, 3, "sqrt"},
        {nn_tanh, -2, 2, "tanh"},     {nn_sigmoid, -3, 3, "sigmoid"}, {nn_abs, 0.1f, 2, "abs +"},
        {nn_relu, 0.1f, 2, "relu +"}, {nn_relu, -2, -0.1f, "relu -"}, {nn_abs, -2, -0.1f, "abs -"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        nn_tensor *x = nn_rand(ctx, 2, TU_SHAPE(3, 4), cases[c].lo, cases[c].hi);
        double err = gradcheck(ctx, apply_un, &x, 1, &cases[c].op);
        if (err > GC_TOL) print_message("%s: error %g\n", cases[c].name, err);
        assert_true(err <= GC_TOL);
        nn_tensor_free(x);
    }
}

static void test_sub_and_div_reject_mismatched_shapes_naming_both(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = nn_zeros(ctx, 2, TU_SHAPE(2, 3));
    nn_tensor *b = nn_zeros(ctx, 1, TU_SHAPE(4));
    nn_tensor *c = nn_zeros(ctx, 2, TU_SHAPE(5, 3));
    assert_null(nn_sub(ctx, a, b));
    assert_string_equal(nn_error(ctx),
                        "sub: [2,3] and [4] do not broadcast: sizes 3 and 4 differ (axis -1)");
    assert_null(nn_div(ctx, c, a));
    assert_string_equal(nn_error(ctx),
                        "div: [5,3] and [2,3] do not broadcast: sizes 5 and 2 differ (axis -2)");
    nn_tensor_free(a), nn_tensor_free(b), nn_tensor_free(c);
}

/* [1,3] + [3]: the row broadcasts onto one row; both gradients are the output's. */
static void test_add_one_row_and_vector(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *a = tu_t(ctx, 2, TU_SHAPE(1, 3), TU_VALS(1, 2, 3));
    nn_tensor *b = tu_t(ctx, 1, TU_SHAPE(3), TU_VALS(10, 20, 30));
    nn_requires_grad(a, true), nn_requires_grad(b, true);
    nn_tensor *r = nn_add(ctx, a, b);
    tu_expect(r, 2, TU_SHAPE(1, 3), TU_VALS(11, 22, 33), 0);
    nn_tensor *w = tu_t(ctx, 2, TU_SHAPE(1, 3), TU_VALS(1, -2, 5)); /* L = sum(r w) */
    nn_tensor *rw = nn_mul(ctx, r, w), *l = nn_sum(ctx, rw, NN_ALL, false);
    assert_int_equal(nn_backward(ctx, l), NN_OK);
    tu_expect(a->grad, 2, TU_SHAPE(1, 3), TU_VALS(1, -2, 5), 0);
    tu_expect(b->grad, 1, TU_SHAPE(3), TU_VALS(1, -2, 5), 0);
    nn_tensor *all[] = {l, rw, w, r, a, b};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) nn_tensor_free(all[i]);
}

/* d|x|/dx and drelu/dx at the kink: 0 by convention, as PyTorch (also relu through the
 * activation op of lesson 03). Values beside the kink pin the sign. */
static void test_abs_and_relu_grads_at_zero_are_zero(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = tu_t(ctx, 1, TU_SHAPE(3), TU_VALS(-1.5f, 0, 2));
    nn_requires_grad(x, true);
    struct {
        int which;
        float want[3];
    } cases[] = {{0, {-1, 0, 1}}, {1, {0, 0, 1}}, {2, {0, 0, 1}}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        nn_zero_grad(x);
        nn_tensor *y = cases[c].which == 0   ? nn_abs(ctx, x)
                       : cases[c].which == 1 ? nn_relu(ctx, x)
                                             : nn_activation(ctx, x, NN_ACT_RELU, 0);
        nn_tensor *l = nn_sum(ctx, y, NN_ALL, false);
        assert_int_equal(nn_backward(ctx, l), NN_OK);
        tu_expect(x->grad, 1, TU_SHAPE(3), cases[c].want, 0);
        nn_tensor_free(l), nn_tensor_free(y);
    }
    nn_tensor_free(x);
}

/* Every unary op on a [1] and a [1,4] input: values and derivatives against the
 * formulas in double (the derivative written out, not taken from the kernel). */
static double unary_ref(int op, double x, double *dydx) {
    double y;
    switch (op) {
    case 0:
        y = -x, *dydx = -1;
        break;
    case 1:
        y = 3 * x, *dydx = 3;
        break;
    case 2:
        y = x + 2, *dydx = 1;
        break;
    case 3:
        y = x * x, *dydx = 2 * x;
        break;
    case 4:
        y = exp(x), *dydx = exp(x);
        break;
    case 5:
        y = log(x), *dydx = 1 / x;
        break;
    case 6:
        y = sqrt(x), *dydx = 0.5 / sqrt(x);
        break;
    case 7:
        y = fabs(x), *dydx = x > 0 ? 1 : -1;
        break;
    case 8:
        y = tanh(x), *dydx = 1 - tanh(x) * tanh(x);
        break;
    case 9:
        y = 1 / (1 + exp(-x)), *dydx = y * (1 - y);
        break;
    default:
        y = x > 0 ? x : 0, *dydx = x > 0 ? 1 : 0;
        break;
    }
    return y;
}

static void test_unary_ops_on_one_element_and_one_row(void **state) {
    nn_ctx *ctx = *state;
    un_op ops[] = {nn_neg,  scale_by_3, add_2,   pow_2,      nn_exp, nn_log,
                   nn_sqrt, nn_abs,     nn_tanh, nn_sigmoid, nn_relu};
    const char *names[] = {"neg",  "scale", "add_scalar", "pow 2",   "exp", "log",
                           "sqrt", "abs",   "tanh",       "sigmoid", "relu"};
    const float vals[4] = {0.7f, 1.9f, 0.25f, 3.5f}; /* positive: log and sqrt take all */
    const float neg[4] = {-0.7f, -1.9f, -0.25f, -3.5f};
    for (size_t o = 0; o < sizeof ops / sizeof *ops; o++) {
        for (int sign = 0; sign < 2; sign++) {
            if (sign && (o == 5 || o == 6)) continue; /* log and sqrt of negatives */
            const float *v = sign ? neg : vals;
            int shapes[2][2] = {{1, 1}, {1, 4}};
            for (int s = 0; s < 2; s++) {
                nn_tensor *x = tu_t(ctx, s + 1, s ? shapes[1] : shapes[0], v);
                nn_requires_grad(x, true);
                nn_tensor *y = ops[o](ctx, x);
                nn_tensor *l = nn_sum(ctx, y, NN_ALL, false);
                assert_int_equal(nn_backward(ctx, l), NN_OK);
                float want_y[4], want_g[4];
                for (int64_t i = 0; i < x->size; i++) {
                    double d;
                    want_y[i] = (float)unary_ref((int)o, v[i], &d);
                    want_g[i] = (float)d;
                }
                double worst = 0; /* relative: exp(3.5) is 33 */
                for (int64_t i = 0; i < x->size; i++) {
                    worst = fmax(worst, fabs(y->data[i] - want_y[i]) / (1 + fabs(want_y[i])));
                    worst = fmax(worst, fabs(x->grad->data[i] - want_g[i]) / (1 + fabs(want_g[i])));
                }
                if (!(worst <= 1e-6))
                    print_message("%s on %s: relative error %g\n", names[o], s ? "[1,4]" : "[1]",
                                  worst);
                assert_true(worst <= 1e-6);
                assert_true(nn_same_shape(y, x));
                nn_tensor_free(l), nn_tensor_free(y), nn_tensor_free(x);
            }
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_same_shape_and_row_bias, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_sub_mul_div_broadcast_column_and_scalar, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_broadcast_outer_product_and_3d, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_add_rejects_shapes_that_do_not_broadcast, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_unary_values, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_add_grad_matches_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_sub_grad_matches_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_mul_grad_matches_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_div_grad_matches_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_unary_grads_match_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_sub_and_div_reject_mismatched_shapes_naming_both,
                                        tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_add_one_row_and_vector, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_abs_and_relu_grads_at_zero_are_zero, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_unary_ops_on_one_element_and_one_row, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
