/* test_embed.c: PCA against a decomposition known exactly (points on two orthogonal
 * directions with uncorrelated coordinates), t-SNE separating well-separated clusters
 * with a fixed seed, both deterministic, and the refusals naming the values. */
#include "testutil.h"

#include "nn_embed.h"

/* u = (1, 2, 2) / 3 and v = (2, 1, -2) / 3 are orthonormal; the 8 points
 * c + a u + b v + e w (a = ±3, b = ±1, e = ±0.25 with w = u x v, every sign combination)
 * have uncorrelated a, b, e, so the components are u, v, w with variances
 * 8·9/7, 8/7 and 8·0.0625/7. */
static void make_points(float *x) {
    static const double u[3] = {1 / 3.0, 2 / 3.0, 2 / 3.0}, v[3] = {2 / 3.0, 1 / 3.0, -2 / 3.0};
    double w[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
    static const double c[3] = {5, -1, 2};
    for (int i = 0; i < 8; i++) {
        double a = i & 1 ? 3 : -3, b = i & 2 ? 1 : -1, e = i & 4 ? 0.25 : -0.25;
        for (int j = 0; j < 3; j++) x[i * 3 + j] = (float)(c[j] + a * u[j] + b * v[j] + e * w[j]);
    }
}

static void test_pca_finds_a_known_decomposition(void **state) {
    nn_ctx *ctx = *state;
    float x[24], out[16], comps[6], var[2];
    make_points(x);
    assert_int_equal(nn_pca(ctx, x, 8, 3, 2, out, comps, var), NN_OK);
    static const float u[3] = {1 / 3.0f, 2 / 3.0f, 2 / 3.0f},
                       v[3] = {2 / 3.0f, 1 / 3.0f, -2 / 3.0f};
    double worst = 0;
    for (int j = 0; j < 3; j++) { /* signs: entries summing above 0 */
        worst = fmax(worst, fabs(comps[j] - u[j]));
        worst = fmax(worst, fabs(comps[3 + j] - v[j]));
    }
    if (worst > 1e-5) fail_msg("components differ from u, v by %g", worst);
    assert_true(fabs(var[0] - 72 / 7.0) < 1e-4);
    assert_true(fabs(var[1] - 8 / 7.0) < 1e-5);
    /* point i's scores are its a and b */
    for (int i = 0; i < 8; i++) {
        assert_true(fabs(out[2 * i] - (i & 1 ? 3 : -3)) < 1e-4);
        assert_true(fabs(out[2 * i + 1] - (i & 2 ? 1 : -1)) < 1e-4);
    }
}

static void test_pca_matches_a_2x2_covariance_solved_by_hand(void **state) {
    nn_ctx *ctx = *state;
    /* covariance [[2, 1], [1, 2]]: eigenvalues 3 and 1, vectors (1, 1) and (1, -1) / sqrt 2 */
    float x[8] = {1, 1, -1, -1, 1, -1, -1, 1}, out[8], comps[4], var[2];
    /* points (1,1), (-1,-1), (1,-1), (-1,1): covariance diag(4/3, 4/3), stretched below */
    for (int i = 0; i < 4; i++) {
        float a = x[2 * i], b = x[2 * i + 1];
        x[2 * i] = a * 1.5f + b * 0.5f, x[2 * i + 1] = a * 0.5f + b * 1.5f; /* symmetric sqrt */
    }
    assert_int_equal(nn_pca(ctx, x, 4, 2, 2, out, comps, var), NN_OK);
    double r = sqrt(0.5);
    assert_true(fabs(comps[0] - r) < 1e-5 && fabs(comps[1] - r) < 1e-5);
    assert_true(fabs(fabs(comps[2]) - r) < 1e-5 && fabs(comps[2] + comps[3]) < 1e-5);
    /* the stretch scales (1,1) by 2 and (1,-1) by 1: variances 4 * 4/3 and 4/3 */
    assert_true(fabs(var[0] - 16 / 3.0) < 1e-4 && fabs(var[1] - 4 / 3.0) < 1e-4);
}

/* n points in 3 clusters of d values, centres 12 apart, unit spread (a fixed LCG). */
static void clusters(float *x, int *cls, int n, int d) {
    uint32_t s = 7;
    for (int i = 0; i < n; i++) {
        cls[i] = i % 3;
        for (int j = 0; j < d; j++) {
            double g = 0;
            for (int k = 0; k < 12; k++) s = s * 1664525u + 1013904223u, g += (s >> 8) / 16777216.0;
            x[i * d + j] = (float)(g - 6 + (j == cls[i] ? 12 : 0));
        }
    }
}

static void test_tsne_separates_well_separated_clusters(void **state) {
    nn_ctx *ctx = *state;
    enum { N = 150, D = 10 };
    static float x[N * D], y[N * 2];
    int cls[N];
    clusters(x, cls, N, D);
    nn_tsne_opts o = {20, 600, 3};
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, y), NN_OK);
    /* each point's nearest neighbour in the map is of its own cluster */
    int right = 0;
    for (int i = 0; i < N; i++) {
        int best = -1;
        double bd = INFINITY;
        for (int j = 0; j < N; j++) {
            double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
            if (j != i && dx * dx + dy * dy < bd) bd = dx * dx + dy * dy, best = j;
        }
        right += cls[best] == cls[i];
    }
    if (right < N)
        fail_msg("%d of %d points have a nearest neighbour of another cluster", N - right, N);
    /* the clusters lie apart: the smallest distance between centroids is several times
     * the largest spread of a cluster around its centroid */
    double cx[3] = {0}, cy[3] = {0}, spread = 0, apart = INFINITY;
    for (int i = 0; i < N; i++)
        cx[cls[i]] += y[2 * i] / (N / 3), cy[cls[i]] += y[2 * i + 1] / (N / 3);
    for (int i = 0; i < N; i++)
        spread = fmax(spread, hypot(y[2 * i] - cx[cls[i]], y[2 * i + 1] - cy[cls[i]]));
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++) apart = fmin(apart, hypot(cx[a] - cx[b], cy[a] - cy[b]));
    if (apart < 2 * spread) fail_msg("centroids %.3g apart, clusters spread %.3g", apart, spread);
}

static void test_tsne_and_pca_are_deterministic(void **state) {
    nn_ctx *ctx = *state;
    enum { N = 60, D = 70 }; /* over 50 values: the PCA step runs too */
    static float x[N * D], a[N * 2], b[N * 2], c[N * 2];
    int cls[N];
    clusters(x, cls, N, D);
    nn_tsne_opts o = {10, 300, 42};
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, a), NN_OK);
    nn_seed(ctx, 99); /* the engine's generator plays no part */
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, b), NN_OK);
    assert_memory_equal(a, b, sizeof a);
    o.seed = 43;
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, c), NN_OK);
    assert_true(memcmp(a, c, sizeof a) != 0);
    float p1[N * 3], p2[N * 3];
    assert_int_equal(nn_pca(ctx, x, N, D, 3, p1, NULL, NULL), NN_OK);
    assert_int_equal(nn_pca(ctx, x, N, D, 3, p2, NULL, NULL), NN_OK);
    assert_memory_equal(p1, p2, sizeof p1);
}

static void test_embed_refuses_what_it_cannot_do(void **state) {
    nn_ctx *ctx = *state;
    float x[40] = {0}, y[20];
    assert_int_equal(nn_pca(ctx, x, 10, 4, 5, y, NULL, NULL), NN_EARG);
    assert_string_equal(
        nn_error(ctx),
        "pca: 10 points of 4 values, 5 components: need at least 2 points and 1 <= k <= 4");
    nn_tsne_opts o = {30, 1000, 0};
    assert_int_equal(nn_tsne(ctx, x, 10, 4, &o, y), NN_EARG);
    assert_string_equal(
        nn_error(ctx),
        "tsne: perplexity 30 for 10 points: it must be from 1 to below n / 3 = 3.33333");
    assert_int_equal(nn_tsne(ctx, x, NN_TSNE_MAX + 1, 4, &o, y), NN_EARG);
    o.perplexity = 2, o.iterations = 100;
    assert_int_equal(nn_tsne(ctx, x, 10, 4, &o, y), NN_EARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pca_finds_a_known_decomposition, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_pca_matches_a_2x2_covariance_solved_by_hand, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_tsne_separates_well_separated_clusters, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_tsne_and_pca_are_deterministic, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_embed_refuses_what_it_cannot_do, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
