/* Tests of ctx.c: error messages, the random generator (reference values of
 * xoshiro256** seeded by splitmix64, computed by an independent Python version),
 * grad mode, the counted allocator and the arena. */
#include "internal.h"
#include "testutil.h"

static void test_errorf_formats_and_clears(void **state) {
    nn_ctx *ctx = *state;
    assert_string_equal(nn_error(ctx), "");
    assert_int_equal(nn_errorf(ctx, NN_EARG, "x: %d and %s", 3, "[2,2]"), NN_EARG);
    assert_string_equal(nn_error(ctx), "x: 3 and [2,2]");
    nn_clear_error(ctx);
    assert_string_equal(nn_error(ctx), "");
    assert_int_equal(nn_errorf(NULL, NN_ESHAPE, "no context"), NN_ESHAPE);
}

static void test_rng_matches_reference_sequence(void **state) {
    nn_ctx *ctx = *state;
    nn_seed(ctx, 42);
    /* (x >> 11) * 2^-53 of the first three outputs 0x15780b2e0c2ec716,
     * 0x6104d9866d113a7e, 0xae17533239e499a1 */
    assert_true(nn_rand_uniform(ctx) == 0.08386297105988216);
    assert_true(nn_rand_uniform(ctx) == 0.3789802506626686);
    assert_true(nn_rand_uniform(ctx) == 0.6800434110281394);
}

static void test_rng_same_seed_same_bits(void **state) {
    nn_ctx *ctx = *state;
    nn_ctx *other = nn_ctx_new();
    nn_seed(ctx, 7);
    nn_seed(other, 7);
    nn_tensor *a = nn_randn(ctx, 2, TU_SHAPE(16, 16), 0, 1);
    nn_tensor *b = nn_randn(other, 2, TU_SHAPE(16, 16), 0, 1);
    nn_tensor *c = nn_rand(ctx, 1, TU_SHAPE(100), -1, 1);
    nn_tensor *d = nn_rand(other, 1, TU_SHAPE(100), -1, 1);
    assert_memory_equal(a->data, b->data, sizeof(float) * 256);
    assert_memory_equal(c->data, d->data, sizeof(float) * 100);
    nn_seed(ctx, 8); /* another seed, other numbers */
    nn_tensor *e = nn_randn(ctx, 2, TU_SHAPE(16, 16), 0, 1);
    assert_memory_not_equal(a->data, e->data, sizeof(float) * 256);
    nn_tensor_free(a), nn_tensor_free(b), nn_tensor_free(c), nn_tensor_free(d);
    nn_tensor_free(e);
    nn_ctx_free(other);
}

static void test_rng_distributions_have_the_right_moments(void **state) {
    nn_ctx *ctx = *state;
    const int n = 200000;
    double s = 0, s2 = 0, lo = 1, hi = 0;
    for (int i = 0; i < n; i++) {
        double u = nn_rand_uniform(ctx);
        s += u, lo = u < lo ? u : lo, hi = u > hi ? u : hi;
    }
    assert_true(lo >= 0.0 && hi < 1.0);
    assert_true(fabs(s / n - 0.5) < 0.005);
    s = 0;
    for (int i = 0; i < n; i++) {
        double z = nn_rand_normal(ctx);
        s += z, s2 += z * z;
    }
    assert_true(fabs(s / n) < 0.01);
    assert_true(fabs(s2 / n - 1.0) < 0.02);
    int counts[5] = {0};
    for (int i = 0; i < 50000; i++) {
        uint32_t k = nn_rand_below(ctx, 5);
        assert_true(k < 5);
        counts[k]++;
    }
    for (int k = 0; k < 5; k++) assert_true(abs(counts[k] - 10000) < 500);
    assert_int_equal(nn_rand_below(ctx, 1), 0);
}

static void test_grad_mode_toggles(void **state) {
    nn_ctx *ctx = *state;
    assert_true(nn_grad_enabled(ctx));
    assert_true(nn_set_grad_enabled(ctx, false));
    assert_false(nn_grad_enabled(ctx));
    assert_false(nn_set_grad_enabled(ctx, true));
    assert_true(nn_grad_enabled(ctx));
}

/* No context: nothing to change and no crash. */
static void test_grad_mode_without_context_is_off(void **state) {
    (void)state;
    assert_false(nn_set_grad_enabled(NULL, true));
    assert_false(nn_grad_enabled(NULL));
}

static void test_heap_allocs_counts_allocations(void **state) {
    nn_ctx *ctx = *state;
    uint64_t before = nn_heap_allocs(ctx);
    nn_tensor *t = nn_zeros(ctx, 1, TU_SHAPE(10));
    /* the struct on the host, the data from the backend's alloc (the device's memory) */
    assert_int_equal(nn_heap_allocs(ctx), before + 2);
    nn_tensor_free(t);
    void *p = nn_malloc(ctx, 100);
    assert_int_equal(nn_heap_allocs(ctx), before + 3);
    assert_true(((uintptr_t)p % NN_ALIGN) == 0);
    nn_mfree(p);
}

static void test_arena_reset_reuses_blocks(void **state) {
    nn_ctx *ctx = *state;
    assert_int_equal(nn_arena_capacity(ctx), 0);
    nn_step_begin(ctx);
    float *a = nn_arena_alloc(ctx, 1000);
    float *b = nn_arena_alloc(ctx, 3u << 20); /* bigger than a block: its own block */
    float *c = nn_arena_alloc(ctx, 10);
    assert_non_null(a), assert_non_null(b), assert_non_null(c);
    assert_true((uintptr_t)a % NN_ALIGN == 0 && (uintptr_t)c % NN_ALIGN == 0);
    memset(b, 0, 3u << 20); /* all of it is usable (ASan would object otherwise) */
    nn_step_end(ctx);
    size_t cap = nn_arena_capacity(ctx);
    uint64_t allocs = nn_heap_allocs(ctx);
    for (int round = 0; round < 3; round++) {
        nn_step_begin(ctx);
        assert_ptr_equal(nn_arena_alloc(ctx, 1000), a); /* same requests, same places */
        assert_ptr_equal(nn_arena_alloc(ctx, 3u << 20), b);
        assert_ptr_equal(nn_arena_alloc(ctx, 10), c);
        nn_step_end(ctx);
    }
    assert_int_equal(nn_arena_capacity(ctx), cap);
    assert_int_equal(nn_heap_allocs(ctx), allocs);
}

static void test_op_results_in_a_step_come_from_the_arena(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_ones(ctx, 2, TU_SHAPE(4, 4));
    nn_step_begin(ctx);
    nn_tensor *y = nn_add(ctx, x, x);
    assert_true(nn_tensor_in_arena(y));
    nn_tensor_free(y); /* does nothing for arena tensors */
    assert_float_equal(y->data[5], 2.0f, 0);
    nn_tensor *z = nn_zeros(ctx, 1, TU_SHAPE(3)); /* makers always use the heap */
    assert_false(nn_tensor_in_arena(z));
    nn_step_end(ctx);
    assert_float_equal(y->data[0], 2.0f, 0); /* readable until the next step begins */
    nn_tensor *w = nn_add(ctx, x, x);
    assert_false(nn_tensor_in_arena(w));
    nn_tensor_free(w), nn_tensor_free(z), nn_tensor_free(x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_errorf_formats_and_clears, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_rng_matches_reference_sequence, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_rng_same_seed_same_bits, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_rng_distributions_have_the_right_moments, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_grad_mode_toggles, tu_setup, tu_teardown),
        cmocka_unit_test(test_grad_mode_without_context_is_off),
        cmocka_unit_test_setup_teardown(test_heap_allocs_counts_allocations, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_arena_reset_reuses_blocks, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_op_results_in_a_step_come_from_the_arena, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
