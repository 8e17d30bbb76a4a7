/* Tests of autograd.c: backward over shared inputs and deep chains, accumulation,
 * no-grad scopes, the graph walk, backward's errors, a two-layer MLP's gradient
 * against finite differences, and a steady-state training step that makes no heap
 * allocation (the arena's point). */
#include "gradcheck.h"
#include "internal.h" /* nn_tn: the private part of a tensor */
#include "testutil.h"

static void test_backward_through_shared_input(void **state) {
    nn_ctx *ctx = *state;
    /* y = x*x + 3x, the two uses of x meet again: dy/dx = 2x + 3 */
    nn_tensor *x = tu_t(ctx, 1, TU_SHAPE(2), TU_VALS(1, -2));
    nn_requires_grad(x, true);
    nn_tensor *sq = nn_mul(ctx, x, x), *t3 = nn_scale(ctx, x, 3);
    nn_tensor *y = nn_add(ctx, sq, t3);
    nn_tensor *s = nn_sum(ctx, y, NN_ALL, false);
    assert_int_equal(nn_backward(ctx, s), NN_OK);
    tu_expect(x->grad, 1, TU_SHAPE(2), TU_VALS(5, -1), 1e-6);
    assert_null(y->grad); /* intermediates keep no gradient, as in PyTorch */
    nn_tensor *t[] = {sq, t3, y, s, x};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) nn_tensor_free(t[i]);
}

static void test_backward_accumulates_and_leaves_without_grad_get_none(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *w = tu_t(ctx, 1, TU_SHAPE(1), TU_VALS(3));
    nn_tensor *c = tu_t(ctx, 1, TU_SHAPE(1), TU_VALS(5)); /* a constant */
    nn_requires_grad(w, true);
    nn_tensor *y = nn_mul(ctx, w, c);
    nn_backward(ctx, y);
    nn_backward(ctx, y);
    tu_expect(w->grad, 1, TU_SHAPE(1), TU_VALS(10), 0);
    assert_null(c->grad);
    nn_tensor_free(y), nn_tensor_free(w), nn_tensor_free(c);
}

static void test_backward_through_a_deep_chain(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = tu_t(ctx, 1, TU_SHAPE(1), TU_VALS(1));
    nn_requires_grad(x, true);
    nn_tensor *y = nn_tensor_retain(x);
    for (int i = 0; i < 100000; i++) { /* y = x + 100000 * 0.001: dy/dx = 1 */
        nn_tensor *next = nn_add_scalar(ctx, y, 0.001f);
        nn_tensor_free(y);
        y = next;
    }
    assert_int_equal(nn_backward(ctx, y), NN_OK);
    tu_expect(x->grad, 1, TU_SHAPE(1), TU_VALS(1), 0);
    assert_int_equal(nn_graph(ctx, y, NULL, 0), 100001);
    nn_tensor_free(y); /* frees the chain: iteratively, so no deep recursion */
    assert_int_equal(nn_tn(x)->refcount, 1);
    nn_tensor_free(x);
}

/* A balanced tree of adds over 1024 leaves: many more nodes than stack depth. */
static void test_backward_through_a_wide_tree(void **state) {
    nn_ctx *ctx = *state;
    enum { N = 1024 };
    nn_tensor *level[N], *leaves[N];
    for (int i = 0; i < N; i++) {
        leaves[i] = level[i] = nn_full(ctx, 1, TU_SHAPE(1), (float)i);
        nn_requires_grad(leaves[i], true);
        nn_tensor_retain(leaves[i]);
    }
    for (int n = N; n > 1; n /= 2)
        for (int i = 0; i < n / 2; i++) {
            nn_tensor *s = nn_add(ctx, level[2 * i], level[2 * i + 1]);
            nn_tensor_free(level[2 * i]), nn_tensor_free(level[2 * i + 1]);
            level[i] = s;
        }
    assert_float_equal(level[0]->data[0], N * (N - 1) / 2, 0);
    assert_int_equal(nn_graph(ctx, level[0], NULL, 0), 2 * N - 1);
    assert_int_equal(nn_backward(ctx, level[0]), NN_OK);
    for (int i = 0; i < N; i++) assert_float_equal(leaves[i]->grad->data[0], 1, 0);
    nn_tensor_free(level[0]);
    for (int i = 0; i < N; i++) nn_tensor_free(leaves[i]);
}

static void test_no_grad_records_nothing(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_ones(ctx, 1, TU_SHAPE(2));
    nn_requires_grad(x, true);
    bool was = nn_set_grad_enabled(ctx, false);
    nn_tensor *y = nn_sum(ctx, x, NN_ALL, false);
    nn_set_grad_enabled(ctx, was);
    assert_false(y->requires_grad);
    assert_int_equal(nn_backward(ctx, y), NN_ESTATE);
    assert_string_equal(nn_error(ctx), "backward: the loss does not require grad (no input of it "
                                       "requires grad, or it was computed with grad off)");
    nn_tensor_free(y), nn_tensor_free(x);
}

static void test_backward_rejects_a_loss_with_many_elements(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_ones(ctx, 2, TU_SHAPE(2, 3));
    nn_requires_grad(x, true);
    nn_tensor *y = nn_exp(ctx, x);
    assert_int_equal(nn_backward(ctx, y), NN_ESHAPE);
    assert_string_equal(nn_error(ctx), "backward: the loss has shape [2,3]; it must have one "
                                       "element (take sum() or mean() first)");
    nn_tensor_free(y), nn_tensor_free(x);
}

static void test_graph_lists_nodes_inputs_first(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_ones(ctx, 2, TU_SHAPE(2, 2)), *w = nn_ones(ctx, 2, TU_SHAPE(2, 1));
    nn_requires_grad(w, true);
    nn_tensor *h = nn_matmul(ctx, x, w, false, false);
    nn_tensor *r = nn_relu(ctx, h);
    nn_tensor *m = nn_mean(ctx, r, NN_ALL, false);
    nn_tensor *nodes[8];
    int n = nn_graph(ctx, m, nodes, 8);
    assert_int_equal(n, 5);
    assert_ptr_equal(nodes[0], x); /* inputs in order, before their results */
    assert_ptr_equal(nodes[1], w);
    assert_ptr_equal(nodes[2], h);
    assert_ptr_equal(nodes[3], r);
    assert_ptr_equal(nodes[4], m);
    assert_int_equal(nn_graph(ctx, m, nodes, 2), 5); /* the count even when max is less */
    assert_string_equal(nn_op_name(nn_tensor_op(m)), "mean");
    assert_string_equal(nn_op_name(NN_OP_LEAF), "leaf");
    nn_tensor *t[] = {x, w, h, r, m};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) nn_tensor_free(t[i]);
}

static void test_graph_refuses_no_array_and_counts_with_none(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_ones(ctx, 1, TU_SHAPE(3));
    nn_requires_grad(x, true);
    nn_tensor *y = nn_exp(ctx, x);
    assert_int_equal(nn_graph(ctx, y, NULL, 4), NN_EARG);
    assert_string_equal(nn_error(ctx), "graph: no array given for 4 nodes");
    nn_tensor *nodes[2];
    assert_int_equal(nn_graph(ctx, y, nodes, -1), NN_EARG);
    assert_string_equal(nn_error(ctx), "graph: room for -1 nodes is not >= 0");
    assert_int_equal(nn_graph(ctx, y, NULL, 0), 2); /* only the count */
    assert_int_equal(nn_graph(ctx, NULL, nodes, 2), NN_EARG);
    assert_string_equal(nn_error(ctx), "graph: no tensor given");
    nn_tensor_free(y), nn_tensor_free(x);
}

/* ---- a two-layer MLP: in = {x, w1, b1, w2, b2}, ud = one-hot targets ----------------- */

static nn_tensor *mlp_loss(nn_ctx *ctx, nn_tensor **in, void *ud) {
    /* loss = -mean over rows of sum(onehot * log_softmax(tanh(x w1 + b1) w2 + b2)).
     * Each intermediate is freed at once: on the heap the graph keeps it alive until
     * the loss is freed; in a step the frees do nothing. */
    nn_tensor *onehot = ud, *t[9];
    t[0] = nn_matmul(ctx, in[0], in[1], false, false);
    t[1] = nn_add(ctx, t[0], in[2]);
    t[2] = nn_tanh(ctx, t[1]);
    t[3] = nn_matmul(ctx, t[2], in[3], false, false);
    t[4] = nn_add(ctx, t[3], in[4]);
    t[5] = nn_log_softmax(ctx, t[4], -1);
    t[6] = nn_mul(ctx, t[5], onehot);
    t[7] = nn_sum(ctx, t[6], 1, false);
    t[8] = nn_mean(ctx, t[7], NN_ALL, false);
    nn_tensor *loss = nn_neg(ctx, t[8]);
    for (int i = 0; i < 9; i++) nn_tensor_free(t[i]);
    return loss;
}

static void test_mlp_loss_grad_matches_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_randn(ctx, 2, TU_SHAPE(5, 4), 0, 1);
    nn_tensor *w1 = nn_randn(ctx, 2, TU_SHAPE(4, 6), 0, 0.5f);
    nn_tensor *b1 = nn_randn(ctx, 1, TU_SHAPE(6), 0, 0.1f);
    nn_tensor *w2 = nn_randn(ctx, 2, TU_SHAPE(6, 3), 0, 0.5f);
    nn_tensor *b2 = nn_randn(ctx, 1, TU_SHAPE(3), 0, 0.1f);
    float oh[15] = {0};
    for (int i = 0; i < 5; i++) oh[i * 3 + i % 3] = 1;
    nn_tensor *onehot = tu_t(ctx, 2, TU_SHAPE(5, 3), oh);
    nn_tensor *in[5] = {x, w1, b1, w2, b2};
    double err = gradcheck(ctx, mlp_loss, in, 5, onehot);
    print_message("mlp gradcheck: largest error %g\n", err);
    assert_true(err <= GC_TOL);
    /* the same gradient with every result on the heap (references instead of arena) */
    for (int i = 0; i < 5; i++) nn_zero_grad(in[i]);
    nn_step_begin(ctx);
    assert_int_equal(nn_backward(ctx, mlp_loss(ctx, in, onehot)), NN_OK);
    nn_step_end(ctx);
    float keep[24];
    memcpy(keep, w1->grad->data, sizeof keep);
    for (int i = 0; i < 5; i++) nn_zero_grad(in[i]);
    nn_tensor *loss = mlp_loss(ctx, in, onehot);
    assert_false(nn_tensor_in_arena(loss));
    assert_int_equal(nn_backward(ctx, loss), NN_OK);
    assert_memory_equal(keep, w1->grad->data, sizeof keep);
    nn_tensor_free(loss); /* frees the whole graph; ASan checks nothing leaks */
    for (int i = 0; i < 5; i++) nn_tensor_free(in[i]);
    nn_tensor_free(onehot);
}

/* ---- the steady-state step ------------------------------------------------------- */

static void test_training_step_makes_no_heap_allocation(void **state) {
    nn_ctx *ctx = *state;
    enum { N = 64, B = 16, D = 4, H = 8, C = 3 };
    /* parameters in one block, as the training code keeps them */
    static float params[D * H + H + H * C + C];
    nn_tensor *data = nn_randn(ctx, 2, TU_SHAPE(N, D), 0, 1);
    float oh[N * C] = {0};
    for (int i = 0; i < N; i++)
        oh[i * C + (data->data[i * D] > 0) + (data->data[i * D + 1] > 0)] = 1;
    nn_tensor *target = tu_t(ctx, 2, TU_SHAPE(N, C), oh);
    for (size_t i = 0; i < sizeof params / sizeof *params; i++)
        params[i] = (float)nn_rand_normal(ctx) * 0.3f;
    nn_tensor *w1 = nn_wrap(ctx, 2, TU_SHAPE(D, H), params);
    nn_tensor *b1 = nn_wrap(ctx, 1, TU_SHAPE(H), params + D * H);
    nn_tensor *w2 = nn_wrap(ctx, 2, TU_SHAPE(H, C), params + D * H + H);
    nn_tensor *b2 = nn_wrap(ctx, 1, TU_SHAPE(C), params + D * H + H + H * C);
    nn_tensor *p[4] = {w1, b1, w2, b2};
    for (int i = 0; i < 4; i++) nn_requires_grad(p[i], true);
    uint64_t allocs = 0;
    double first = 0, last = 0;
    for (int step = 0; step < 40; step++) {
        if (step == 4) allocs = nn_heap_allocs(ctx); /* after warm-up: arena and grads exist */
        int start = (step * B) % N;
        nn_step_begin(ctx);
        nn_tensor *x = nn_slice_rows(ctx, data, start, B);
        nn_tensor *y = nn_slice_rows(ctx, target, start, B);
        nn_tensor *h = nn_relu(ctx, nn_add(ctx, nn_matmul(ctx, x, w1, false, false), b1));
        nn_tensor *z = nn_add(ctx, nn_matmul(ctx, h, w2, false, false), b2);
        nn_tensor *ll = nn_sum(ctx, nn_mul(ctx, nn_log_softmax(ctx, z, -1), y), 1, false);
        nn_tensor *loss = nn_neg(ctx, nn_mean(ctx, ll, NN_ALL, false));
        assert_non_null(loss);
        assert_int_equal(nn_backward(ctx, loss), NN_OK);
        for (int i = 0; i < 4; i++) { /* SGD */
            for (int64_t k = 0; k < p[i]->size; k++) p[i]->data[k] -= 0.5f * p[i]->grad->data[k];
            nn_zero_grad(p[i]);
        }
        if (step == 0) first = loss->data[0];
        last = loss->data[0];
        nn_step_end(ctx);
    }
    print_message("loss %g -> %g; heap allocations in 36 steady steps: %llu\n", first, last,
                  (unsigned long long)(nn_heap_allocs(ctx) - allocs));
    assert_int_equal(nn_heap_allocs(ctx), allocs);
    assert_true(last < first); /* and it learns */
    for (int i = 0; i < 4; i++) nn_tensor_free(p[i]);
    nn_tensor_free(data), nn_tensor_free(target);
}

/* Two contexts with one seed: the same initial weights, the same gradients and the
 * same weights after a few steps, bit for bit. */
static void train_a_little(nn_ctx *ctx, float out[12]) {
    nn_seed(ctx, 99);
    nn_tensor *x = nn_randn(ctx, 2, TU_SHAPE(8, 3), 0, 1);
    nn_tensor *w = nn_randn(ctx, 2, TU_SHAPE(3, 4), 0, 1);
    nn_requires_grad(w, true);
    for (int step = 0; step < 5; step++) {
        nn_step_begin(ctx);
        nn_tensor *loss =
            nn_mean(ctx, nn_tanh(ctx, nn_matmul(ctx, x, w, false, false)), NN_ALL, false);
        nn_backward(ctx, loss);
        for (int k = 0; k < 12; k++) w->data[k] -= 0.1f * w->grad->data[k];
        nn_zero_grad(w);
        nn_step_end(ctx);
    }
    memcpy(out, w->data, 12 * sizeof(float));
    nn_tensor_free(x), nn_tensor_free(w);
}

static void test_training_is_deterministic_for_a_seed(void **state) {
    float a[12], b[12];
    train_a_little(*state, a);
    nn_ctx *other = nn_ctx_new();
    train_a_little(other, b);
    nn_ctx_free(other);
    assert_memory_equal(a, b, sizeof a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backward_through_shared_input, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_backward_accumulates_and_leaves_without_grad_get_none,
                                        tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_backward_through_a_deep_chain, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_backward_through_a_wide_tree, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_no_grad_records_nothing, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_backward_rejects_a_loss_with_many_elements, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_graph_lists_nodes_inputs_first, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_graph_refuses_no_array_and_counts_with_none, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_mlp_loss_grad_matches_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_training_step_makes_no_heap_allocation, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_training_is_deterministic_for_a_seed, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
