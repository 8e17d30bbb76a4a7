/* test_rbm.c: restricted Boltzmann machines (rbm.c) and the digits loader
 * (digits.c): one CD-1 update against the update computed by hand from the formulas
 * (the same uniforms drawn by a second generator with the same seed), persistent
 * CD's chain, free energy and pseudo-likelihood against brute-force sums over every
 * hidden (and visible) state, Gibbs sampling's state frequencies on a 2-visible,
 * 1-hidden RBM against its exact distribution, CD learning two patterns, and the
 * digits file format. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "nn.h"

#define TOL 1e-5

static double sig(double x) {
    return 1 / (1 + exp(-x));
}

/* An RBM of nv x nh with the given parameters (row-major W [nv, nh]). */
static nn_rbm *rbm_with(nn_ctx *ctx, int nv, int nh, bool gaussian, const float *w, const float *b,
                        const float *c) {
    nn_rbm *r = nn_rbm_new(ctx, nv, nh, gaussian);
    assert_non_null(r);
    memcpy(r->w, w, sizeof(float) * (size_t)(nv * nh));
    memcpy(r->b, b, sizeof(float) * (size_t)nv);
    memcpy(r->c, c, sizeof(float) * (size_t)nh);
    return r;
}

/* E(v, h) = -b.v - c.h - v W h (Bernoulli) or |v - b|^2/2 - c.h - v W h (Gaussian) */
static double energy(const nn_rbm *r, const float *v, const int *h) {
    double e = 0;
    for (int i = 0; i < r->nv; i++)
        e += r->gaussian ? 0.5 * (v[i] - r->b[i]) * (v[i] - r->b[i]) : -r->b[i] * v[i];
    for (int j = 0; j < r->nh; j++) {
        e -= r->c[j] * h[j];
        for (int i = 0; i < r->nv; i++) e -= v[i] * r->w[i * r->nh + j] * h[j];
    }
    return e;
}

/* F(v) = -log sum_h exp(-E(v, h)), summed over all 2^nh hidden states */
static double brute_free_energy(const nn_rbm *r, const float *v) {
    double z = 0;
    for (int s = 0; s < 1 << r->nh; s++) {
        int h[8];
        for (int j = 0; j < r->nh; j++) h[j] = (s >> j) & 1;
        z += exp(-energy(r, v, h));
    }
    return -log(z);
}

static void test_rbm_cd1_matches_hand_computed_update(void **state) {
    (void)state;
    enum { NV = 3, NH = 2, N = 2 };
    const float w[NV * NH] = {0.5f, -0.3f, 0.2f, 0.8f, -0.6f, 0.1f};
    const float b[NV] = {0.1f, -0.2f, 0.05f}, c[NH] = {-0.1f, 0.3f};
    const float v0[N * NV] = {1, 0, 1, 0, 1, 1};
    const float lr = 0.1f;
    nn_ctx *ctx = nn_ctx_new(), *hand = nn_ctx_new();
    nn_rbm *r = rbm_with(ctx, NV, NH, false, w, b, c);
    nn_seed(ctx, 11), nn_seed(hand, 11);
    double recon;
    assert_int_equal(nn_rbm_cd(r, ctx, v0, N, 1, lr, false, &recon), NN_OK);
    /* by hand: ph0 = sig(c + v0 W); h ~ ph0 (same uniforms); v1 = sig(b + h W');
     * ph1 = sig(c + v1 W); dW = lr/N (v0' ph0 - v1' ph1) */
    double ph0[N][NH], h[N][NH], v1[N][NV], ph1[N][NH], rec[N][NV], err = 0;
    for (int n = 0; n < N; n++)
        for (int j = 0; j < NH; j++) {
            double a = c[j];
            for (int i = 0; i < NV; i++) a += v0[n * NV + i] * w[i * NH + j];
            ph0[n][j] = sig(a);
        }
    for (int n = 0; n < N; n++)
        for (int j = 0; j < NH; j++) h[n][j] = nn_rand_uniform(hand) < ph0[n][j] ? 1 : 0;
    for (int n = 0; n < N; n++)
        for (int i = 0; i < NV; i++) {
            double a = b[i], m = b[i];
            for (int j = 0; j < NH; j++)
                a += h[n][j] * w[i * NH + j], m += ph0[n][j] * w[i * NH + j];
            v1[n][i] = sig(a), rec[n][i] = sig(m);
            err += (v0[n * NV + i] - rec[n][i]) * (v0[n * NV + i] - rec[n][i]);
        }
    for (int n = 0; n < N; n++)
        for (int j = 0; j < NH; j++) {
            double a = c[j];
            for (int i = 0; i < NV; i++) a += v1[n][i] * w[i * NH + j];
            ph1[n][j] = sig(a);
        }
    assert_true(fabs(recon - err / (N * NV)) < TOL);
    for (int i = 0; i < NV; i++) {
        double db = 0;
        for (int n = 0; n < N; n++) db += v0[n * NV + i] - v1[n][i];
        assert_true(fabs(r->b[i] - (b[i] + lr * db / N)) < TOL);
        for (int j = 0; j < NH; j++) {
            double g = 0;
            for (int n = 0; n < N; n++) g += v0[n * NV + i] * ph0[n][j] - v1[n][i] * ph1[n][j];
            double want = w[i * NH + j] + lr * g / N;
            if (fabs(r->w[i * NH + j] - want) >= TOL)
                fail_msg("W[%d,%d] = %.7f, by hand %.7f", i, j, r->w[i * NH + j], want);
        }
    }
    for (int j = 0; j < NH; j++) {
        double dc = 0;
        for (int n = 0; n < N; n++) dc += ph0[n][j] - ph1[n][j];
        assert_true(fabs(r->c[j] - (c[j] + lr * dc / N)) < TOL);
    }
    nn_rbm_free(r);
    nn_ctx_free(ctx), nn_ctx_free(hand);
}

static void test_rbm_cd_refuses_bad_arguments_and_pcd_keeps_its_chain(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    assert_null(nn_rbm_new(ctx, 0, 3, false));
    assert_non_null(strstr(nn_error(ctx), "0 visible"));
    nn_rbm *r = nn_rbm_new(ctx, 4, 3, false);
    const float v[8] = {1, 0, 1, 0, 0, 1, 0, 1};
    assert_int_equal(nn_rbm_cd(r, ctx, v, 2, 0, 0.1f, false, NULL), NN_EARG);
    assert_non_null(strstr(nn_error(ctx), "k = 0"));
    assert_null(r->chain);
    assert_int_equal(nn_rbm_cd(r, ctx, v, 2, 1, 0.1f, true, NULL), NN_OK);
    assert_non_null(r->chain);
    assert_int_equal(r->chain_n, 2);
    float before[8];
    memcpy(before, r->chain, sizeof before);
    assert_int_equal(nn_rbm_cd(r, ctx, v, 2, 3, 0.1f, true, NULL), NN_OK);
    assert_memory_not_equal(before, r->chain, sizeof before); /* the chain moved on */
    nn_rbm_free(r);
    nn_ctx_free(ctx);
}

static void test_rbm_free_energy_matches_sum_over_hidden_states(void **state) {
    (void)state;
    enum { NV = 3, NH = 3 };
    const float w[NV * NH] = {0.5f, -1.3f, 0.2f, 0.8f, -0.6f, 1.1f, 0.3f, 0.4f, -0.9f};
    const float b[NV] = {0.1f, -0.2f, 0.5f}, c[NH] = {-0.1f, 0.3f, 0.7f};
    const float v[2 * NV] = {1, 0, 1, 0.3f, -1.2f, 2.0f};
    nn_ctx *ctx = nn_ctx_new();
    for (int g = 0; g < 2; g++) {
        nn_rbm *r = rbm_with(ctx, NV, NH, g == 1, w, b, c);
        float f[2];
        assert_int_equal(nn_rbm_free_energy(r, ctx, v, 2, f), NN_OK);
        for (int n = 0; n < 2; n++) {
            double want = brute_free_energy(r, v + n * NV);
            if (fabs(f[n] - want) >= 1e-5)
                fail_msg("%s F(v%d) = %.7f, sum over h %.7f", g ? "gaussian" : "bernoulli", n, f[n],
                         want);
        }
        nn_rbm_free(r);
    }
    nn_ctx_free(ctx);
}

static void test_rbm_pseudo_likelihood_matches_conditionals(void **state) {
    (void)state;
    enum { NV = 3, NH = 2 };
    const float w[NV * NH] = {0.5f, -1.3f, 0.2f, 0.8f, -0.6f, 1.1f};
    const float b[NV] = {0.1f, -0.2f, 0.5f}, c[NH] = {-0.1f, 0.3f};
    const float v[2 * NV] = {1, 0, 1, 0, 1, 1};
    nn_ctx *ctx = nn_ctx_new();
    nn_rbm *r = rbm_with(ctx, NV, NH, false, w, b, c);
    double pl, want = 0;
    assert_int_equal(nn_rbm_pseudo_likelihood(r, ctx, v, 2, &pl), NN_OK);
    for (int n = 0; n < 2; n++)
        for (int i = 0; i < NV; i++) { /* log p(v_i | v_-i) from the two free energies */
            float flip[NV];
            memcpy(flip, v + n * NV, sizeof flip);
            flip[i] = 1 - flip[i];
            double f = brute_free_energy(r, v + n * NV), ff = brute_free_energy(r, flip);
            want += -f - log(exp(-f) + exp(-ff));
        }
    want /= 2;
    if (fabs(pl - want) >= 1e-5) fail_msg("pseudo-likelihood %.7f, by conditionals %.7f", pl, want);
    nn_rbm_free(r);
    nn_rbm *gauss = rbm_with(ctx, NV, NH, true, w, b, c);
    assert_int_equal(nn_rbm_pseudo_likelihood(gauss, ctx, v, 2, &pl), NN_ESTATE);
    nn_rbm_free(gauss);
    nn_ctx_free(ctx);
}

/* p(v) = exp(-F(v)) / Z over the 4 states of 2 binary visible units; Gibbs chains
 * run long enough visit them at those rates. */
static void test_rbm_gibbs_samples_the_exact_distribution(void **state) {
    (void)state;
    enum { CHAINS = 20000, STEPS = 30 };
    const float w[2] = {2.0f, -1.5f}, b[2] = {-0.5f, 0.8f}, c[1] = {0.3f};
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 3);
    nn_rbm *r = rbm_with(ctx, 2, 1, false, w, b, c);
    double p[4], z = 0;
    for (int s = 0; s < 4; s++) {
        float v[2] = {(float)(s & 1), (float)(s >> 1)};
        z += p[s] = exp(-brute_free_energy(r, v));
    }
    float *v = calloc(2 * CHAINS, sizeof *v); /* all chains start at (0, 0) */
    assert_int_equal(nn_rbm_gibbs(r, ctx, v, CHAINS, STEPS, false), NN_OK);
    int count[4] = {0};
    for (int i = 0; i < CHAINS; i++) count[(int)v[2 * i] + 2 * (int)v[2 * i + 1]]++;
    for (int s = 0; s < 4; s++) {
        double got = (double)count[s] / CHAINS, want = p[s] / z;
        /* 4 standard errors of a frequency from 20000 draws (at most 0.0035 each) */
        if (fabs(got - want) > 0.014) fail_msg("state %d: sampled %.4f, exact %.4f", s, got, want);
    }
    free(v);
    nn_rbm_free(r);
    nn_ctx_free(ctx);
}

static void test_rbm_cd_learns_two_patterns(void **state) {
    (void)state;
    enum { NV = 6, NH = 4, N = 8 };
    float v[N * NV];
    for (int n = 0; n < N; n++)
        for (int i = 0; i < NV; i++) v[n * NV + i] = (float)((n % 2) ? i < 3 : i >= 3);
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 4);
    for (int pcd = 0; pcd < 2; pcd++) {
        nn_rbm *r = nn_rbm_new(ctx, NV, NH, false);
        float f0[N], f1[N];
        double pl0, pl1, recon = 0;
        nn_rbm_free_energy(r, ctx, v, N, f0);
        nn_rbm_pseudo_likelihood(r, ctx, v, N, &pl0);
        for (int e = 0; e < 300; e++) nn_rbm_cd(r, ctx, v, N, 1, 0.1f, pcd, &recon);
        nn_rbm_free_energy(r, ctx, v, N, f1);
        nn_rbm_pseudo_likelihood(r, ctx, v, N, &pl1);
        assert_true(f1[0] < f0[0] - 1); /* the data's free energy falls */
        assert_true(pl1 > pl0 + 1);
        assert_true(recon < 0.05);
        nn_rbm_free(r);
    }
    nn_ctx_free(ctx);
}

static void test_digits_reads_the_format_and_refuses_others(void **state) {
    (void)state;
    char path[] = "/tmp/nnlab_digits_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    gzFile f = gzopen(path, "wb");
    for (int n = 0; n < 2; n++) {
        for (int i = 0; i < 64; i++) gzprintf(f, "%d,", i % 17);
        gzprintf(f, "%d\n", 7 + n);
    }
    gzclose(f);
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_digits_load(ctx, path);
    assert_non_null(d);
    assert_int_equal(d->n, 2);
    assert_int_equal(d->nx, 64);
    assert_int_equal(d->classes, 10);
    assert_true(fabs(d->x[16] - 16 / 16.0f) < 1e-7 && fabs(d->x[5] - 5 / 16.0f) < 1e-7);
    assert_true(d->y[1] == 8.0f);
    nn_dataset_free(d);
    f = gzopen(path, "wb");
    gzprintf(f, "1,2,3\n");
    gzclose(f);
    assert_null(nn_digits_load(ctx, path));
    assert_non_null(strstr(nn_error(ctx), "line 1 is not 64 grey levels"));
    unlink(path);
    assert_null(nn_digits_load(ctx, path));
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rbm_cd1_matches_hand_computed_update),
        cmocka_unit_test(test_rbm_cd_refuses_bad_arguments_and_pcd_keeps_its_chain),
        cmocka_unit_test(test_rbm_free_energy_matches_sum_over_hidden_states),
        cmocka_unit_test(test_rbm_pseudo_likelihood_matches_conditionals),
        cmocka_unit_test(test_rbm_gibbs_samples_the_exact_distribution),
        cmocka_unit_test(test_rbm_cd_learns_two_patterns),
        cmocka_unit_test(test_digits_reads_the_format_and_refuses_others),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
