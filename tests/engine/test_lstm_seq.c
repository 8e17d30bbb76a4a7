/* test_lstm_seq.c: the LSTM's whole-sequence kernel (rnn_lstm_cpu.c, the backend's
 * lstm_seq) against the per-step path it replaces (rnn_cpu.c's cell and a gemm a step):
 * outputs, input and weight gradients and the gradient-norm view, over stacked,
 * bidirectional, masked (pre and post) and truncated cases and row counts that leave a
 * partial row block; its own finite-difference check; the same numbers on one thread and
 * on two; the weight-gradient pass against the sums written out. */
#include <cblas.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gradcheck.h"
#include "module_internal.h"
#include "parallel.h"
#include "rnn_cpu.h"

typedef struct seq_case {
    int F, H, B, T;
    nn_rnn_opts o;
    int pads; /* every third sample has this many padding steps */
    bool pre;
} seq_case;

static const seq_case cases[] = {
    {3, 16, 9, 6, {NN_ACT_TANH, 1, false, true, false, 0}, 0, false},
    {5, 64, 10, 4, {NN_ACT_TANH, 1, false, true, false, 0}, 0, false},  /* 4 unit blocks */
    {4, 80, 6, 3, {NN_ACT_TANH, 1, false, false, false, 0}, 0, false},  /* 4 + 1 blocks */
    {3, 32, 17, 5, {NN_ACT_TANH, 2, true, true, true, 0}, 2, false},    /* stacked, bi, post */
    {2, 16, 5, 6, {NN_ACT_TANH, 1, false, false, true, 2}, 3, true},    /* pre-padding, bptt 2 */
    {3, 16, 33, 5, {NN_ACT_TANH, 1, true, true, false, 3}, 0, false},   /* two threads' halves */
    {16, 16, 9, 5, {NN_ACT_TANH, 1, false, true, true, 0}, 1, false},   /* dx in the kernel */
    {48, 64, 20, 3, {NN_ACT_TANH, 1, true, false, false, 0}, 0, false}, /* 3 blocks of dx */
};

typedef struct run_out {
    float *y, *dx, *g, gn[16];
    int64_t ny, nx, np;
} run_out;

static void run_free(run_out *r) {
    free(r->y), free(r->dx), free(r->g);
}

/* One forward and backward of case c from fixed parameters, input and output gradient. */
static run_out run_case(const seq_case *c, bool fast, int threads) {
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 11);
    nn_module *m =
        nn_rnn_new(ctx, NN_CELL_LSTM, c->F, c->H, &c->o, gc_init(NN_INIT_XAVIER_UNIFORM));
    assert_non_null(m);
    float *p = nn_module_params(m);
    for (int64_t j = 0; j < nn_module_nparams(m); j++)
        p[j] = (float)(nn_rand_uniform(ctx) * 1.2 - 0.6);
    int shape[3] = {c->B, c->T, c->F};
    run_out r = {.nx = (int64_t)c->B * c->T * c->F, .np = nn_module_nparams(m)};
    float *x = malloc(sizeof(float) * r.nx);
    for (int64_t i = 0; i < r.nx; i++) x[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
    for (int b = 0; b < c->B; b += 3)
        for (int k = 0; k < c->pads; k++)
            memset(x + ((int64_t)b * c->T + (c->pre ? k : c->T - 1 - k)) * c->F, 0,
                   sizeof(float) * c->F);
    nn_cpu_lstm_fast = fast;
    nn_par_set_threads(threads); /* OpenBLAS stays at one: its own threads change bits */
    openblas_set_num_threads(1);
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 3, shape, &y), NN_OK);
    r.ny = m->nout;
    r.y = malloc(sizeof(float) * r.ny);
    memcpy(r.y, y, sizeof(float) * r.ny);
    float *dy = malloc(sizeof(float) * r.ny);
    for (int64_t i = 0; i < r.ny; i++) dy[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
    r.dx = malloc(sizeof(float) * r.nx);
    nn_module_zero_grad(m);
    assert_int_equal(nn_module_backward(m, x, dy, r.dx, c->B), NN_OK);
    r.g = malloc(sizeof(float) * r.np);
    memcpy(r.g, nn_module_grads(m), sizeof(float) * r.np);
    assert_int_equal(nn_rnn_grad_norms(m, r.gn, 16), c->T);
    nn_cpu_lstm_fast = true;
    nn_par_set_threads(0);
    free(x), free(dy);
    nn_module_free(m);
    nn_ctx_free(ctx);
    return r;
}

/* max |a - b| / max(1, |b|) */
static double worst(const float *a, const float *b, int64_t n) {
    double w = 0;
    for (int64_t i = 0; i < n; i++) w = fmax(w, fabs(a[i] - b[i]) / fmax(1.0, fabs(b[i])));
    return w;
}

static bool have_kernel(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
#else
    return false;
#endif
}

/* The kernel takes the shapes it should (so the comparisons below compare two paths) and
 * declines a width that is not a multiple of 16 and the tests' switch. */
static void test_lstm_seq_takes_multiples_of_16_units(void **state) {
    (void)state;
    float W[4 * 3 * 3] = {0}, pack[4 * 3 * 3], h[4 * 3] = {0};
    nn_lstm_seq q = {.B = 1, .T = 1, .H = 3, .W = W, .pack = pack, .hs = h, .cs = h};
    assert_false(nn_cpu_lstm_seq(&q, false));
    float W16[4 * 16 * 17] = {0}, pack16[4 * 16 * 17], hs[2 * 16] = {0}, cs[2 * 16] = {0},
                       x[1] = {0}, bias[64] = {0}, g[64], tc[16];
    q = (nn_lstm_seq){.B = 1,
                      .T = 1,
                      .H = 16,
                      .W = W16,
                      .pack = pack16,
                      .F = 1,
                      .x = x,
                      .bias = bias,
                      .hs = hs,
                      .cs = cs,
                      .gates = g,
                      .tc = tc};
    nn_cpu_lstm_fast = false;
    assert_false(nn_cpu_lstm_seq(&q, false));
    nn_cpu_lstm_fast = true;
    if (!have_kernel()) {
        printf("no AVX-512 here: the kernel declines and the per-step path runs\n");
        assert_false(nn_cpu_lstm_seq(&q, false));
        return;
    }
    assert_true(nn_cpu_lstm_seq(&q, false));
    /* zero weights, inputs and bias: gates 1/2, C~ 0, so c = 0 and h = 0 */
    for (int j = 0; j < 16; j++) {
        assert_float_equal(g[j], 0.5f, 1e-7);
        assert_float_equal(g[32 + j], 0.0f, 1e-7);
        assert_float_equal(hs[16 + j], 0.0f, 1e-7);
    }
}

static void test_lstm_seq_matches_the_per_step_path(void **state) {
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        run_out a = run_case(&cases[c], true, 1), b = run_case(&cases[c], false, 1);
        double wy = worst(a.y, b.y, a.ny), wx = worst(a.dx, b.dx, a.nx), wg = worst(a.g, b.g, a.np),
               wn = worst(a.gn, b.gn, cases[c].T);
        printf("case %zu (H %d, B %d): y %.1e dx %.1e grads %.1e norms %.1e\n", c, cases[c].H,
               cases[c].B, wy, wx, wg, wn);
        assert_true(wy < 1e-5 && wx < 1e-5 && wg < 1e-5 && wn < 1e-5);
        double gsize = 0;
        for (int64_t i = 0; i < a.np; i++) gsize = fmax(gsize, fabs(a.g[i]));
        assert_true(gsize > 1e-2); /* the comparison compares something */
        run_free(&a), run_free(&b);
    }
}

/* Each thread runs a half of the rows through every step: a row's numbers are those
 * of one thread, to the bit (with OpenBLAS's gemms on one thread: on two, its own
 * blocking changes the last bits of the bigger products, in either path). */
static void test_lstm_seq_two_threads_give_the_same_numbers(void **state) {
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        run_out a = run_case(&cases[c], true, 1), b = run_case(&cases[c], true, 2);
        assert_memory_equal(a.y, b.y, sizeof(float) * a.ny);
        assert_memory_equal(a.dx, b.dx, sizeof(float) * a.nx);
        assert_memory_equal(a.g, b.g, sizeof(float) * a.np);
        assert_memory_equal(a.gn, b.gn, sizeof(float) * cases[c].T);
        run_free(&a), run_free(&b);
    }
}

/* The weight-gradient pass (nn_cpu_lstm_seq_grads) against the sums written out in
 * double, over row counts that leave a partial block of 64 rows and every remainder of
 * its 6-row tiles (inputs 1 to 13), on one thread and on two (the same bits). */
static void test_lstm_seq_grads_match_the_sums(void **state) {
    (void)state;
    if (!have_kernel()) {
        printf("no AVX-512 here: the grads pass declines\n");
        return;
    }
    const int shapes[][4] = {{16, 1, 5, 7}, {32, 7, 3, 40}, {80, 13, 9, 11}, {16, 12, 2, 1}};
    for (size_t c = 0; c < sizeof shapes / sizeof shapes[0]; c++) {
        int H = shapes[c][0], F = shapes[c][1], B = shapes[c][2], T = shapes[c][3];
        int64_t GH = 4 * (int64_t)H, BT = (int64_t)B * T, nw = (H + F) * GH;
        float *hs = malloc(sizeof(float) * (BT + B) * H), *x = malloc(sizeof(float) * BT * F),
              *dA = malloc(sizeof(float) * BT * GH), *dW[2], *db[2];
        uint64_t r = 12345 + c;
        float *all[] = {hs, x, dA};
        int64_t n[] = {(BT + B) * H, BT * F, BT * GH};
        for (int a = 0; a < 3; a++)
            for (int64_t i = 0; i < n[a]; i++) {
                r = r * 6364136223846793005ull + 1442695040888963407ull;
                all[a][i] = (float)((double)(r >> 11) * 0x1.0p-53 * 2 - 1);
            }
        for (int th = 0; th < 2; th++) {
            dW[th] = malloc(sizeof(float) * nw), db[th] = malloc(sizeof(float) * GH);
            for (int64_t i = 0; i < nw; i++) dW[th][i] = 0.25f; /* it adds to what is there */
            for (int64_t i = 0; i < GH; i++) db[th][i] = -0.5f;
            nn_lstm_seq q = {.B = B, .T = T, .H = H, .F = F, .x = x, .hs = hs, .dhp = dA};
            nn_par_set_threads(th + 1);
            assert_true(nn_cpu_lstm_seq_grads(&q, dW[th], db[th]));
            nn_par_set_threads(0);
        }
        double w = 0;
        for (int i = 0; i < H + F; i++)
            for (int64_t j = 0; j < GH; j++) {
                double sum = 0.25;
                for (int64_t k = 0; k < BT; k++)
                    sum += (double)(i < H ? hs[k * H + i] : x[k * F + i - H]) * dA[k * GH + j];
                w = fmax(w, fabs(dW[0][i * GH + j] - sum));
            }
        for (int64_t j = 0; j < GH; j++) {
            double sum = -0.5;
            for (int64_t k = 0; k < BT; k++) sum += dA[k * GH + j];
            w = fmax(w, fabs(db[0][j] - sum));
        }
        printf("grads H %d F %d rows %lld: %.1e\n", H, F, (long long)BT, w);
        assert_true(w < 1e-4);
        assert_memory_equal(dW[0], dW[1], sizeof(float) * nw);
        assert_memory_equal(db[0], db[1], sizeof(float) * GH);
        for (int th = 0; th < 2; th++) free(dW[th]), free(db[th]);
        free(hs), free(x), free(dA);
    }
}

/* The kernel's gradients against central differences of its forward, over five steps
 * (the cell-state path), two directions and post-padding. */
static void test_lstm_seq_gradients_match_finite_differences(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 3);
    nn_rnn_opts o = {NN_ACT_TANH, 1, true, true, true, 0};
    nn_module *m = nn_rnn_new(ctx, NN_CELL_LSTM, 16, 16, &o, gc_init(NN_INIT_XAVIER_UNIFORM));
    float *p = nn_module_params(m);
    for (int64_t j = 0; j < nn_module_nparams(m); j++)
        p[j] = (float)(nn_rand_uniform(ctx) * 1.2 - 0.6);
    int shape[3] = {3, 5, 16}; /* 16 inputs: dx comes from the kernel */
    float x[240];
    for (int i = 0; i < 240; i++) x[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
    memset(x + (1 * 5 + 4) * 16, 0, sizeof(float) * 16); /* sample 1's last step is padding */
    double w = gc_module_fd(ctx, m, x, 3, shape, 2e-3, true);
    printf("lstm_seq vs finite differences %.2e\n", w);
    assert_true(w < 1e-3);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lstm_seq_takes_multiples_of_16_units),
        cmocka_unit_test(test_lstm_seq_matches_the_per_step_path),
        cmocka_unit_test(test_lstm_seq_two_threads_give_the_same_numbers),
        cmocka_unit_test(test_lstm_seq_grads_match_the_sums),
        cmocka_unit_test(test_lstm_seq_gradients_match_finite_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
