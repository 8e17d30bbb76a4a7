/* test_embed.c: PCA against a decomposition known exactly (points on two orthogonal
 * directions with uncorrelated coordinates), t-SNE separating well-separated clusters
 * with a fixed seed, both deterministic, and the refusals naming the values. Barnes-Hut
 * t-SNE: its gradient equals the exact one when theta is tiny and the neighbours are
 * every point, is close at theta 0.5, its maps separate clusters as the exact ones do,
 * with a KL divergence close to theirs, and it is the method above 1000 points. */
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

/* Points varying along axes 3, 4 and 5 only: the covariance has rank 3 and its range
 * holds the very axes orthogonal iteration falls back on for the spare vectors (it
 * looped for ever on such data, a net's features with dead ReLU units). */
static void test_pca_of_rank_deficient_points(void **state) {
    nn_ctx *ctx = *state;
    enum { N = 40, D = 12 };
    float x[N * D] = {0}, out[N * 2], comps[2 * D], var[2];
    uint32_t s = 3;
    for (int i = 0; i < N; i++)
        for (int j = 3; j < 6; j++)
            s = s * 1664525u + 1013904223u, x[i * D + j] = (float)((s >> 8) / 16777216.0) * (j - 2);
    assert_int_equal(nn_pca(ctx, x, N, D, 2, out, comps, var), NN_OK);
    double outside = 0, unit0 = 0, unit1 = 0, dot = 0;
    for (int j = 0; j < D; j++) {
        if (j < 3 || j > 5) outside = fmax(outside, fabs(comps[j]) + fabs(comps[D + j]));
        unit0 += comps[j] * comps[j], unit1 += comps[D + j] * comps[D + j];
        dot += comps[j] * comps[D + j];
    }
    if (outside > 1e-5 || fabs(unit0 - 1) > 1e-5 || fabs(unit1 - 1) > 1e-5 || fabs(dot) > 1e-5)
        fail_msg("components: %g outside axes 3-5, norms %g %g, dot %g", outside, unit0, unit1,
                 dot);
    assert_true(var[0] >= var[1] && var[1] > 0);
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
    nn_tsne_opts o = {.perplexity = 20, .iterations = 600, .seed = 3};
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
    nn_tsne_opts o = {.perplexity = 10, .iterations = 300, .seed = 42};
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

/* The fraction of points whose k nearest neighbours in the map y are of their class. */
static double map_agreement(const float *y, const int *cls, int n, int k) {
    int agree = 0;
    for (int i = 0; i < n; i++) {
        double bd[16];
        int bi[16], m = 0;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1],
                   dd = dx * dx + dy * dy;
            if (m < k)
                m++;
            else if (dd >= bd[k - 1])
                continue;
            int at = m - 1; /* insertion into the sorted k nearest */
            while (at > 0 && bd[at - 1] > dd) bd[at] = bd[at - 1], bi[at] = bi[at - 1], at--;
            bd[at] = dd, bi[at] = j;
        }
        for (int c = 0; c < k; c++) agree += cls[bi[c]] == cls[i];
    }
    return agree / (double)(n * k);
}

/* A map of n points spread over a few units (a fixed LCG), not a t-SNE result. */
static void some_map(float *y, int n) {
    uint32_t s = 11;
    for (int i = 0; i < 2 * n; i++)
        s = s * 1664525u + 1013904223u, y[i] = (float)((s >> 8) / 16777216.0 * 8 - 4);
}

static double largest(const float *a, int m) {
    double w = 0;
    for (int i = 0; i < m; i++) w = fmax(w, fabs(a[i]));
    return w;
}

static double largest_difference(const float *a, const float *b, int m) {
    double w = 0;
    for (int i = 0; i < m; i++) w = fmax(w, fabs(a[i] - b[i]));
    return w;
}

static void test_tsne_barnes_hut_gradient_matches_the_exact_one(void **state) {
    nn_ctx *ctx = *state;
    /* perplexity 19.9: k = floor(3 * 19.9) = 59 neighbours, every other point, so the
     * sparse P is the dense one and only the tree can differ */
    enum { N = 60, D = 10 };
    static float x[N * D], y[N * 2], ge[N * 2], gb[N * 2], gh[N * 2];
    int cls[N];
    clusters(x, cls, N, D);
    some_map(y, N);
    nn_tsne_opts exact = {.perplexity = 19.9, .method = NN_TSNE_EXACT};
    nn_tsne_opts bh = {.perplexity = 19.9, .method = NN_TSNE_BARNES_HUT, .theta = 1e-6};
    double kle, klb;
    assert_int_equal(nn_tsne_gradient(ctx, x, N, D, &exact, y, ge, &kle), NN_OK);
    assert_int_equal(nn_tsne_gradient(ctx, x, N, D, &bh, y, gb, &klb), NN_OK);
    double scale = largest(ge, 2 * N), diff = largest_difference(ge, gb, 2 * N);
    /* the affinities' distances come by sgemm in one and by differences in the other:
     * float rounding of about 1e-6 of the gradient's size */
    if (diff > 1e-4 * scale)
        fail_msg("theta 1e-6: gradients differ by %g (largest %g)", diff, scale);
    if (fabs(kle - klb) > 1e-5 * kle) fail_msg("KL %.8g exact, %.8g Barnes-Hut", kle, klb);
    /* larger theta, an approximation: the error's norm over the gradient's, measured
     * 0.0015 at theta 0.1 and 0.185 at 0.5 (the net force is a small difference of
     * attraction and repulsion, so its relative error is the larger) */
    static const double thetas[2] = {0.1, 0.5}, within[2] = {0.01, 0.25};
    for (int k = 0; k < 2; k++) {
        bh.theta = thetas[k];
        assert_int_equal(nn_tsne_gradient(ctx, x, N, D, &bh, y, gh, NULL), NN_OK);
        double err = 0, norm = 0;
        for (int i = 0; i < 2 * N; i++)
            err += (gh[i] - ge[i]) * (gh[i] - ge[i]), norm += ge[i] * ge[i];
        if (sqrt(err / norm) > within[k])
            fail_msg("theta %g: |error| / |gradient| = %g, over %g", thetas[k], sqrt(err / norm),
                     within[k]);
        if (largest_difference(gb, gh, 2 * N) == 0)
            fail_msg("theta %g summarised no cell", thetas[k]);
    }
}

static void test_tsne_barnes_hut_and_exact_both_separate_clusters(void **state) {
    nn_ctx *ctx = *state;
    enum { N = 450, D = 10 };
    static float x[N * D], ye[N * 2], yb[N * 2];
    int cls[N];
    clusters(x, cls, N, D);
    nn_tsne_opts o = {.perplexity = 30, .iterations = 500, .seed = 1, .method = NN_TSNE_EXACT};
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, ye), NN_OK);
    o.method = NN_TSNE_BARNES_HUT;
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, yb), NN_OK);
    double ae = map_agreement(ye, cls, N, 10), ab = map_agreement(yb, cls, N, 10);
    if (ae < 0.95 || ab < 0.95)
        fail_msg("10-NN class agreement: exact %.3f, Barnes-Hut %.3f", ae, ab);
    /* both maps judged by the exact P: Barnes-Hut's KL within 0.1 nats of exact's */
    float g[N * 2];
    double kle, klb;
    o.method = NN_TSNE_EXACT;
    assert_int_equal(nn_tsne_gradient(ctx, x, N, D, &o, ye, g, &kle), NN_OK);
    assert_int_equal(nn_tsne_gradient(ctx, x, N, D, &o, yb, g, &klb), NN_OK);
    print_message("KL: exact %.4f, Barnes-Hut %.4f\n", kle, klb);
    if (klb > kle + 0.1) fail_msg("KL: exact %.4f, Barnes-Hut %.4f", kle, klb);
}

static void test_tsne_picks_barnes_hut_above_1000_points_deterministically(void **state) {
    nn_ctx *ctx = *state;
    enum { N = NN_TSNE_BH_ABOVE + 2, D = 5 };
    static float x[N * D], a[N * 2], b[N * 2], c[N * 2];
    int cls[N];
    clusters(x, cls, N, D);
    nn_tsne_opts o = {.perplexity = 10, .iterations = 250, .seed = 8};
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, a), NN_OK); /* auto */
    o.method = NN_TSNE_BARNES_HUT;
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, b), NN_OK);
    assert_memory_equal(a, b, sizeof a);
    o.seed = 9;
    assert_int_equal(nn_tsne(ctx, x, N, D, &o, c), NN_OK);
    assert_true(memcmp(a, c, sizeof a) != 0);
    /* 1000 points and fewer: exact */
    static float e1[(N - 2) * 2], e2[(N - 2) * 2];
    o.method = NN_TSNE_AUTO, o.seed = 8;
    assert_int_equal(nn_tsne(ctx, x, N - 2, D, &o, e1), NN_OK);
    o.method = NN_TSNE_EXACT;
    assert_int_equal(nn_tsne(ctx, x, N - 2, D, &o, e2), NN_OK);
    assert_memory_equal(e1, e2, sizeof e1);
}

static void test_embed_refuses_what_it_cannot_do(void **state) {
    nn_ctx *ctx = *state;
    float x[40] = {0}, y[20];
    assert_int_equal(nn_pca(ctx, x, 10, 4, 5, y, NULL, NULL), NN_EARG);
    assert_string_equal(
        nn_error(ctx),
        "pca: 10 points of 4 values, 5 components: need at least 2 points and 1 <= k <= 4");
    nn_tsne_opts o = {.perplexity = 30, .iterations = 1000};
    assert_int_equal(nn_tsne(ctx, x, 10, 4, &o, y), NN_EARG);
    assert_string_equal(
        nn_error(ctx),
        "tsne: perplexity 30 for 10 points: it must be from 1 to below n / 3 = 3.33333");
    assert_int_equal(nn_tsne(ctx, x, NN_TSNE_BH_MAX + 1, 4, &o, y), NN_EARG);
    assert_string_equal(
        nn_error(ctx),
        "tsne: 20001 points of 4 values: Barnes-Hut t-SNE here takes 4 to 20000 points");
    o.method = NN_TSNE_EXACT;
    assert_int_equal(nn_tsne(ctx, x, NN_TSNE_MAX + 1, 4, &o, y), NN_EARG);
    assert_string_equal(nn_error(ctx),
                        "tsne: 5001 points of 4 values: exact t-SNE here takes 4 to 5000 points");
    o.method = 7;
    assert_int_equal(nn_tsne(ctx, x, 10, 4, &o, y), NN_EARG);
    o.method = NN_TSNE_BARNES_HUT, o.perplexity = 2, o.theta = 1.5;
    assert_int_equal(nn_tsne(ctx, x, 10, 4, &o, y), NN_EARG);
    assert_string_equal(nn_error(ctx), "tsne: theta 1.5: it must be above 0 and at most 1");
    o.theta = 0, o.iterations = 100;
    assert_int_equal(nn_tsne(ctx, x, 10, 4, &o, y), NN_EARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pca_finds_a_known_decomposition, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_pca_matches_a_2x2_covariance_solved_by_hand, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_pca_of_rank_deficient_points, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_tsne_separates_well_separated_clusters, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_tsne_and_pca_are_deterministic, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_tsne_barnes_hut_gradient_matches_the_exact_one,
                                        tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_tsne_barnes_hut_and_exact_both_separate_clusters,
                                        tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(
            test_tsne_picks_barnes_hut_above_1000_points_deterministically, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_embed_refuses_what_it_cannot_do, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
