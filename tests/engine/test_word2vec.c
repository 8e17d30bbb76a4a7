/* test_word2vec.c: word2vec's negative-sampling loss against finite differences,
 * CBOW and skip-gram on a tiny synthetic corpus (words seen in the same contexts end
 * up nearest), determinism under one seed, nearest neighbours by cosine, and the
 * refusal of bad options and ids. */
#include "testutil.h"

#include "nn_text.h"

#define FD_H   1e-3 /* central-difference step (the loss is computed in float dots) */
#define FD_TOL 2e-3 /* absolute tolerance of dL/dx against the difference */

static void test_w2v_ns_loss_grad_matches_finite_difference(void **state) {
    nn_ctx *ctx = *state;
    enum { DIM = 5, K = 4 };
    float h[DIM], rows[K][DIM], y[K] = {1, 0, 0, 0}, dh[DIM], du[K * DIM];
    const float *u[K];
    for (int d = 0; d < DIM; d++) h[d] = (float)nn_rand_normal(ctx);
    for (int j = 0; j < K; j++) {
        for (int d = 0; d < DIM; d++) rows[j][d] = (float)nn_rand_normal(ctx);
        u[j] = rows[j];
    }
    nn_w2v_ns_loss(h, u, y, K, DIM, dh, du);
    double worst = 0;
    for (int d = 0; d < DIM; d++) {
        float keep = h[d];
        h[d] = keep + (float)FD_H;
        double lp = nn_w2v_ns_loss(h, u, y, K, DIM, NULL, NULL);
        h[d] = keep - (float)FD_H;
        double lm = nn_w2v_ns_loss(h, u, y, K, DIM, NULL, NULL);
        h[d] = keep;
        worst = fmax(worst, fabs((lp - lm) / (2 * FD_H) - dh[d]));
    }
    for (int j = 0; j < K; j++)
        for (int d = 0; d < DIM; d++) {
            float keep = rows[j][d];
            rows[j][d] = keep + (float)FD_H;
            double lp = nn_w2v_ns_loss(h, u, y, K, DIM, NULL, NULL);
            rows[j][d] = keep - (float)FD_H;
            double lm = nn_w2v_ns_loss(h, u, y, K, DIM, NULL, NULL);
            rows[j][d] = keep;
            worst = fmax(worst, fabs((lp - lm) / (2 * FD_H) - du[j * DIM + d]));
        }
    if (worst > FD_TOL) print_error("largest difference %g\n", worst);
    assert_true(worst <= FD_TOL);
}

static void test_w2v_ns_loss_known_value(void **state) {
    (void)state;
    /* h = (1, 0), u0 = (2, 0) true, u1 = (-1, 0) negative:
     * L = -log s(2) - log s(1) = log(1 + e^-2) + log(1 + e^-1) */
    float h[2] = {1, 0}, a[2] = {2, 0}, b[2] = {-1, 0}, y[2] = {1, 0};
    const float *u[2] = {a, b};
    double want = log1p(exp(-2.0)) + log1p(exp(-1.0));
    assert_true(fabs(nn_w2v_ns_loss(h, u, y, 2, 2, NULL, NULL) - want) < 1e-6);
}

/* A corpus of sentences "A x B" where x is one of two interchangeable groups:
 * {cat, dog} always appear between "the" and "runs", {red, blue} between "a" and
 * "car": same contexts, so cat's nearest word must be dog and red's blue. */
enum { THE, RUNS, A, CAR, CAT, DOG, RED, BLUE, NWORDS };

static int make_corpus(nn_ctx *ctx, int *tokens, int64_t *counts, int sentences) {
    int n = 0;
    memset(counts, 0, sizeof(int64_t) * NWORDS);
    for (int s = 0; s < sentences; s++) {
        int animal = nn_rand_below(ctx, 2) ? CAT : DOG, colour = nn_rand_below(ctx, 2) ? RED : BLUE;
        int sent[6] = {THE, animal, RUNS, A, colour, CAR};
        for (int i = 0; i < 6; i++) {
            tokens[n++] = sent[i];
            counts[sent[i]]++;
        }
        tokens[n++] = -1;
    }
    return n;
}

static void check_neighbours(nn_ctx *ctx, bool cbow) {
    enum { SENTENCES = 300 };
    int tokens[SENTENCES * 7];
    int64_t counts[NWORDS];
    int n = make_corpus(ctx, tokens, counts, SENTENCES);
    nn_w2v_opts o = {.cbow = cbow, .dim = 10, .window = 2, .negative = 3, .lr = 0.05f};
    nn_w2v *m = nn_w2v_new(ctx, NWORDS, counts, &o);
    assert_non_null(m);
    double loss;
    assert_int_equal(nn_w2v_train(ctx, m, tokens, n, 20, &loss), NN_OK);
    int vocab, dim, ids[1];
    float sims[1];
    float *v = nn_w2v_vectors(m, &vocab, &dim);
    int pairs[4][2] = {{CAT, DOG}, {DOG, CAT}, {RED, BLUE}, {BLUE, RED}};
    for (int p = 0; p < 4; p++) {
        int self = pairs[p][0];
        assert_int_equal(nn_nearest_cosine(v, vocab, dim, v + self * dim, &self, 1, 1, ids, sims),
                         1);
        if (ids[0] != pairs[p][1])
            print_error("%s: word %d's nearest is %d\n", cbow ? "cbow" : "sg", self, ids[0]);
        assert_int_equal(ids[0], pairs[p][1]);
    }
    assert_true(loss < 2.0); /* 1 + 3 terms at chance would be 4 log 2 = 2.77 */
    nn_w2v_free(m);
}

static void test_w2v_skipgram_same_contexts_are_nearest(void **state) {
    check_neighbours(*state, false);
}
static void test_w2v_cbow_same_contexts_are_nearest(void **state) {
    check_neighbours(*state, true);
}

static void train_once(nn_ctx *ctx, bool cbow, float *out, int *tokens, int64_t *counts) {
    nn_seed(ctx, 7);
    int n = make_corpus(ctx, tokens, counts, 50);
    nn_w2v_opts o = {
        .cbow = cbow, .dim = 4, .window = 2, .negative = 2, .lr = 0.05f, .subsample = 0.01f};
    nn_w2v *m = nn_w2v_new(ctx, NWORDS, counts, &o);
    assert_non_null(m);
    assert_int_equal(nn_w2v_train(ctx, m, tokens, n, 3, NULL), NN_OK);
    memcpy(out, nn_w2v_vectors(m, NULL, NULL), sizeof(float) * NWORDS * 4);
    nn_w2v_free(m);
}

static void test_w2v_same_seed_same_vectors(void **state) {
    nn_ctx *ctx = *state;
    int tokens[50 * 7];
    int64_t counts[NWORDS];
    for (int cbow = 0; cbow < 2; cbow++) {
        float a[NWORDS * 4], b[NWORDS * 4];
        train_once(ctx, cbow, a, tokens, counts);
        train_once(ctx, cbow, b, tokens, counts);
        assert_memory_equal(a, b, sizeof a);
        nn_seed(ctx, 8); /* another seed: other vectors */
        nn_w2v_opts o = {.cbow = cbow, .dim = 4, .window = 2, .negative = 2, .lr = 0.05f};
        nn_w2v *m = nn_w2v_new(ctx, NWORDS, counts, &o);
        assert_memory_not_equal(a, nn_w2v_vectors(m, NULL, NULL), sizeof a);
        nn_w2v_free(m);
    }
}

static void test_nearest_cosine_orders_by_angle(void **state) {
    (void)state;
    /* query (1, 0): row 2 (same direction, longer) 1, row 0 (45 degrees) 0.707,
     * row 3 zero vector 0, row 1 (opposite) -1 */
    float v[4 * 2] = {1, 1, -1, 0, 5, 0, 0, 0}, q[2] = {1, 0}, sims[4];
    int ids[4];
    assert_int_equal(nn_nearest_cosine(v, 4, 2, q, NULL, 0, 4, ids, sims), 4);
    int want[4] = {2, 0, 3, 1};
    assert_memory_equal(ids, want, sizeof want);
    assert_true(fabsf(sims[1] - 0.70710678f) < 1e-6f);
    int skip = 2;
    assert_int_equal(nn_nearest_cosine(v, 4, 2, q, &skip, 1, 2, ids, sims), 2);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 3);
}

static void test_w2v_refuses_bad_options_and_ids(void **state) {
    nn_ctx *ctx = *state;
    int64_t counts[2] = {3, 1};
    nn_w2v_opts o = {.dim = 0, .window = 2, .negative = 2, .lr = 0.05f};
    assert_null(nn_w2v_new(ctx, 2, counts, &o));
    assert_non_null(strstr(nn_error(ctx), "dim must be 1..4096, got 0"));
    o.dim = 3;
    o.window = 0;
    assert_null(nn_w2v_new(ctx, 2, counts, &o));
    assert_non_null(strstr(nn_error(ctx), "window"));
    o.window = 2;
    int64_t zero[2] = {0, 0};
    assert_null(nn_w2v_new(ctx, 2, zero, &o));
    assert_non_null(strstr(nn_error(ctx), "no word has a count"));
    nn_w2v *m = nn_w2v_new(ctx, 2, counts, &o);
    assert_non_null(m);
    int tokens[3] = {0, 2, 1};
    assert_int_equal(nn_w2v_train(ctx, m, tokens, 3, 1, NULL), NN_EARG);
    assert_non_null(strstr(nn_error(ctx), "token 2 is id 2, outside the vocabulary 0..1"));
    nn_w2v_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_w2v_ns_loss_grad_matches_finite_difference, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_w2v_ns_loss_known_value, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_w2v_skipgram_same_contexts_are_nearest, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_w2v_cbow_same_contexts_are_nearest, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_w2v_same_seed_same_vectors, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_nearest_cosine_orders_by_angle, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_w2v_refuses_bad_options_and_ids, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
