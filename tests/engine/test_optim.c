/* test_optim.c: each optimizer's first three steps on f(w) = w^2 (g = 2w) from
 * w = 1, against values worked by hand in the comments; defaults, clipping,
 * effective learning rates, frozen modules; SGD's momentum, nesterov and weight decay
 * as PyTorch writes them, and the settings each kind takes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nn.h"
#include "parallel.h"

#define TOL 1e-6

/* Runs three steps of kind with hp on f(w) = w^2 and checks w after each. */
static void three_steps(nn_optim_kind kind, nn_optim_hp hp, const double want[3]) {
    nn_ctx *ctx = nn_ctx_new();
    nn_optim *o = nn_optim_new(ctx, kind, hp, 1);
    assert_non_null(o);
    float w = 1, g;
    for (int t = 0; t < 3; t++) {
        g = 2 * w;
        nn_optim_step(o, &w, &g);
        if (fabs(w - want[t]) > TOL)
            fail_msg("%s step %d: w = %.9g, want %.9g (diff %.3g)", nn_optim_name(kind), t + 1, w,
                     want[t], fabs(w - want[t]));
    }
    assert_int_equal(nn_optim_steps(o), 3);
    nn_optim_free(o);
    nn_ctx_free(ctx);
}

static nn_optim_hp hp_lr(nn_optim_kind k, float lr) {
    nn_optim_hp h = nn_optim_defaults(k);
    h.lr = lr;
    return h;
}

/* w <- w - lr g, lr 0.1: 1 - 0.1*2 = 0.8; 0.8 - 0.1*1.6 = 0.64; 0.64 - 0.1*1.28 = 0.512 */
static void test_sgd_three_steps(void **state) {
    (void)state;
    three_steps(NN_OPT_SGD, hp_lr(NN_OPT_SGD, 0.1f), (double[]){0.8, 0.64, 0.512});
    three_steps(NN_OPT_GD, hp_lr(NN_OPT_GD, 0.1f), (double[]){0.8, 0.64, 0.512});
}

/* v <- 0.9 v - 0.1 g; w <- w + v:
 * g=2:    v = -0.2,                     w = 0.8
 * g=1.6:  v = -0.18 - 0.16 = -0.34,     w = 0.46
 * g=0.92: v = -0.306 - 0.092 = -0.398,  w = 0.062 */
static void test_momentum_three_steps(void **state) {
    (void)state;
    three_steps(NN_OPT_MOMENTUM, hp_lr(NN_OPT_MOMENTUM, 0.1f), (double[]){0.8, 0.46, 0.062});
}

/* v <- 0.9 v - 0.1 g; w <- w + 0.9 v - 0.1 g:
 * g=2:      v = -0.2,                        w = 1 - 0.18 - 0.2 = 0.62
 * g=1.24:   v = -0.18 - 0.124 = -0.304,      w = 0.62 - 0.2736 - 0.124 = 0.2224
 * g=0.4448: v = -0.2736 - 0.04448 = -0.31808, w = 0.2224 - 0.286272 - 0.04448 = -0.108352 */
static void test_nesterov_three_steps(void **state) {
    (void)state;
    three_steps(NN_OPT_NESTEROV, hp_lr(NN_OPT_NESTEROV, 0.1f), (double[]){0.62, 0.2224, -0.108352});
}

/* a <- a + g^2; w <- w - 0.1 g / sqrt(a + 1e-10):
 * g=2:       a = 4,        w = 1 - 0.1*2/2 = 0.9
 * g=1.8:     a = 7.24,     w = 0.9 - 0.18/2.6907248 = 0.83310353
 * g=1.666207: a = 10.016246, w = 0.83310353 - 0.1666207/3.1648453 = 0.78045618 */
static void test_adagrad_three_steps(void **state) {
    (void)state;
    three_steps(NN_OPT_ADAGRAD, hp_lr(NN_OPT_ADAGRAD, 0.1f),
                (double[]){0.9, 0.833103527, 0.780456181});
}

/* The course's RMSProp (rho 0.9, eps 1e-10 by default): v <- 0.9 v + 0.1 g^2;
 * w <- w - 0.01 g / sqrt(v + eps):
 * g=2:        v = 0.4,       w = 1 - 0.02/0.6324555 = 0.96837722
 * g=1.936754: v = 0.7351021, w = 0.96837722 - 0.01936754/0.8573809 = 0.94578803
 * g=1.891576: v = 1.0193970, w = 0.94578803 - 0.01891576/1.0096519 = 0.92705310 */
static void test_rmsprop_three_steps(void **state) {
    (void)state;
    nn_optim_hp d = nn_optim_defaults(NN_OPT_RMSPROP);
    assert_float_equal(d.rho, 0.9f, 0);
    assert_float_equal(d.eps, 1e-10f, 0);
    three_steps(NN_OPT_RMSPROP, hp_lr(NN_OPT_RMSPROP, 0.01f),
                (double[]){0.968377223, 0.945788025, 0.927053098});
}

/* s <- 0.9 s + 0.1 g^2; g' = sqrt(dx + 1e-6)/sqrt(s + 1e-6) g; w <- w - g';
 * dx <- 0.9 dx + 0.1 g'^2 (lr 1):
 * g=2:       s = 0.4,      g' = 0.001/0.6324563*2 = 0.0031623,  w = 0.99683773, dx = 1.0e-6
 * g=1.993675: s = 0.757474, g' = 0.0014142/0.8703297*1.993675 = 0.0032396, w = 0.99359817
 * g=1.987196: s = 1.076616, w = 0.99030905 */
static void test_adadelta_three_steps(void **state) {
    (void)state;
    three_steps(NN_OPT_ADADELTA, nn_optim_defaults(NN_OPT_ADADELTA),
                (double[]){0.996837726, 0.993598174, 0.990309046});
}

/* m <- 0.9 m + 0.1 g; v <- 0.999 v + 0.001 g^2; w <- w - 0.1 m^/(sqrt(v^) + 1e-8):
 * g=2:        m = 0.2,      v = 0.004,     m^ = 2,        v^ = 4,        w = 0.9
 * g=1.8:      m = 0.36,     v = 0.007236,  m^ = 1.8947368, v^ = 3.6198099, w = 0.80041223
 * g=1.6008245: m = 0.4840825, v = 0.0097914, m^ = 1.7867434, v^ = 3.2682296, w = 0.70158627 */
static void test_adam_three_steps(void **state) {
    (void)state;
    three_steps(NN_OPT_ADAM, hp_lr(NN_OPT_ADAM, 0.1f), (double[]){0.9, 0.800412229, 0.701586273});
}

/* AdamW, decay 0.1: first w <- w - 0.1*0.1 w, then Adam on the gradient at the old w:
 * step 1: w = 0.99, g = 2 (at w = 1): w = 0.99 - 0.1 = 0.89
 * step 2: w = 0.8811, g = 1.78: m = 0.358, v = 0.0071644, w = 0.78157186
 * step 3: g = 1.5631437, w = 0.67510122 */
static void test_adamw_three_steps(void **state) {
    (void)state;
    nn_optim_hp h = hp_lr(NN_OPT_ADAMW, 0.1f);
    h.weight_decay = 0.1f;
    three_steps(NN_OPT_ADAMW, h, (double[]){0.89, 0.781571856, 0.675101222});
}

/* Nadam: w <- w - 0.1 (0.9 m^ + 0.1 g/(1 - 0.9^t)) / (sqrt(v^) + 1e-8):
 * g=2:    m = 0.2,   m^ = 2, v^ = 4: step = 0.1 (1.8 + 0.2)/2 = 0.19, w = 0.81
 * g=1.62: m = 0.342, m^ = 1.8, v^ = 3.3118559: w = 0.67412997
 * g=1.34826: w = 0.55682914 */
static void test_nadam_three_steps(void **state) {
    (void)state;
    three_steps(NN_OPT_NADAM, hp_lr(NN_OPT_NADAM, 0.1f),
                (double[]){0.810000001, 0.674129965, 0.556829144});
}

/* Rprop, first step 0.1, eta+ 1.2: the sign of g never changes, so the step grows:
 * w = 1 - 0.1 = 0.9; 0.9 - 0.12 = 0.78; 0.78 - 0.144 = 0.636 */
static void test_rprop_three_steps(void **state) {
    (void)state;
    three_steps(NN_OPT_RPROP, hp_lr(NN_OPT_RPROP, 0.1f), (double[]){0.9, 0.78, 0.636});
}

/* Feeds Rprop the gradients g[t] (not of any function, to steer the signs) from
 * w = 0 and checks w and the step size after each update. */
static void rprop_steps(nn_optim_hp hp, int n, const float *g, const double *want_w,
                        const double *want_step) {
    nn_ctx *ctx = nn_ctx_new();
    nn_optim *o = nn_optim_new(ctx, NN_OPT_RPROP, hp, 1);
    assert_non_null(o);
    float w = 0;
    for (int t = 0; t < n; t++) {
        float gt = g[t];
        nn_optim_step(o, &w, &gt);
        double step = nn_optim_state(o, 1)[0];
        if (fabs(w - want_w[t]) > TOL || fabs(step - want_step[t]) > TOL)
            fail_msg("rprop step %d (g %g): w = %.9g, want %.9g; step %.9g, want %.9g", t + 1, g[t],
                     w, want_w[t], step, want_step[t]);
    }
    nn_optim_free(o);
    nn_ctx_free(ctx);
}

/* iRprop-, first step 0.1, eta+ 1.2, eta- 0.5. A sign change shrinks the step and
 * skips the update (w stays), and the next gradient counts as having no previous
 * one (neither grows nor shrinks):
 *   g +1: w = -0.1 (step 0.1); g +1: step 0.12, w = -0.22;
 *   g -1: step 0.06, w stays -0.22; g -1: step 0.06, w = -0.16; g -1: 0.072, -0.088 */
static void test_rprop_sign_change_shrinks_and_skips(void **state) {
    (void)state;
    const float g[5] = {1, 1, -1, -1, -1};
    rprop_steps(hp_lr(NN_OPT_RPROP, 0.1f), 5, g, (double[]){-0.1, -0.22, -0.22, -0.16, -0.088},
                (double[]){0.1, 0.12, 0.06, 0.06, 0.072});
}

/* The step is clamped: growing stops at step_max 0.15 (0.1, 0.12, 0.144, 0.15, 0.15),
 * and shrinking at step_min 0.04 (alternating signs: 0.075, skip, 0.075, 0.0375 ->
 * 0.04, skip, 0.04). */
static void test_rprop_step_clamped_to_min_and_max(void **state) {
    (void)state;
    nn_optim_hp hp = hp_lr(NN_OPT_RPROP, 0.1f);
    hp.step_max = 0.15f;
    hp.step_min = 0.04f;
    const float up[5] = {1, 1, 1, 1, 1};
    rprop_steps(hp, 5, up, (double[]){-0.1, -0.22, -0.364, -0.514, -0.664},
                (double[]){0.1, 0.12, 0.144, 0.15, 0.15});
    /* from w = 0: -0.1 (0.1), -0.22 (0.12), -0.364 (0.144), -0.514 (0.15); then the sign
     * flips: step 0.075 and no move; g -1 again: w += 0.075; flip: 0.0375 -> clamped 0.04,
     * no move; g +1 again: w -= 0.04 */
    const float flip[8] = {1, 1, 1, 1, -1, -1, 1, 1};
    rprop_steps(hp, 8, flip,
                (double[]){-0.1, -0.22, -0.364, -0.514, -0.514, -0.439, -0.439, -0.479},
                (double[]){0.1, 0.12, 0.144, 0.15, 0.075, 0.075, 0.04, 0.04});
}

/* g = (3, 4) has norm 5; clip_norm 1 scales it to (0.6, 0.8); SGD lr 1 from (0, 0)
 * gives (-0.6, -0.8). clip_value 0.5 gives (-0.5, -0.5). */
static void test_clipping_by_norm_and_value(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_optim_hp h = hp_lr(NN_OPT_SGD, 1);
    h.clip_norm = 1;
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, h, 2);
    float p[2] = {0, 0}, g[2] = {3, 4};
    assert_float_equal(nn_optim_step(o, p, g), 5.0, 1e-6);
    assert_float_equal(p[0], -0.6f, 1e-6);
    assert_float_equal(p[1], -0.8f, 1e-6);
    nn_optim_hparams(o)->clip_norm = 0;
    nn_optim_hparams(o)->clip_value = 0.5f;
    p[0] = p[1] = 0, g[0] = 3, g[1] = -4;
    nn_optim_step(o, p, g);
    assert_float_equal(p[0], -0.5f, 1e-6);
    assert_float_equal(p[1], 0.5f, 1e-6);
    nn_optim_free(o);
    nn_ctx_free(ctx);
}

/* Adagrad's effective rate after g = 2: 0.1/sqrt(4) = 0.05; the state is readable. */
static void test_effective_lr_and_state(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_optim *o = nn_optim_new(ctx, NN_OPT_ADAGRAD, hp_lr(NN_OPT_ADAGRAD, 0.1f), 1);
    float w = 1, g = 2, e;
    nn_optim_effective_lr(o, &e);
    assert_true(e > 1000); /* 0.1/sqrt(1e-10) before any gradient */
    nn_optim_step(o, &w, &g);
    nn_optim_effective_lr(o, &e);
    assert_float_equal(e, 0.05f, 1e-6);
    assert_string_equal(nn_optim_state_name(o, 0), "sum_sq");
    assert_float_equal(nn_optim_state(o, 0)[0], 4.0f, 0);
    nn_optim_free(o);
    nn_ctx_free(ctx);
}

/* A frozen layer keeps its weights; the other is updated. */
static void test_frozen_module_is_not_updated(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_init c = {NN_INIT_CONSTANT, 1, 0};
    nn_module *l[2] = {nn_linear_new(ctx, 1, 1, c, c), nn_linear_new(ctx, 1, 1, c, c)};
    nn_module *m = nn_sequential_new(ctx, l, 2);
    nn_module_freeze(l[0], true);
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, hp_lr(NN_OPT_SGD, 0.1f), nn_module_nparams(m));
    for (int i = 0; i < 4; i++) nn_module_grads(m)[i] = 1;
    nn_optim_step_module(o, m);
    const float *p = nn_module_params(m);
    assert_float_equal(p[0], 1, 0);
    assert_float_equal(p[1], 1, 0);
    assert_float_equal(p[2], 0.9f, 1e-7);
    assert_float_equal(p[3], 0.9f, 1e-7);
    nn_optim_free(o);
    nn_module_free(l[0]);
    nn_module_free(l[1]);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

/* Parameters that are many (over the size from which a step's passes run as two fixed
 * halves), frozen in the middle: the middle layer's range is skipped and the span of
 * each half crosses range ends. */
static nn_module *three_layers(nn_ctx *ctx, nn_module *l[3]) {
    nn_init u = {NN_INIT_UNIFORM, -1, 1};
    l[0] = nn_linear_new(ctx, 300, 200, u, u); /* 60200 parameters */
    l[1] = nn_linear_new(ctx, 200, 10, u, u);  /* 2010, frozen */
    l[2] = nn_linear_new(ctx, 10, 3001, u, u); /* 33011 */
    nn_module_freeze(l[1], true);
    return nn_sequential_new(ctx, l, 3);
}

/* Three Adam steps of the three layers on `threads` threads from one seed: the
 * parameters, both moments and each step's gradient norm, into the caller's arrays. */
static void adam_three_steps_big(int threads, float *p, float *mv, double *norms) {
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 7);
    nn_module *l[3], *m = three_layers(ctx, l);
    int64_t n = nn_module_nparams(m);
    nn_optim *o = nn_optim_new(ctx, NN_OPT_ADAM, hp_lr(NN_OPT_ADAM, 0.01f), n);
    nn_par_set_threads(threads);
    for (int t = 0; t < 3; t++) {
        float *g = nn_module_grads(m);
        for (int64_t i = 0; i < n; i++) g[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        norms[t] = nn_optim_step_module(o, m);
    }
    nn_par_set_threads(0);
    memcpy(p, nn_module_params(m), sizeof(float) * (size_t)n);
    memcpy(mv, nn_optim_state(o, 0), sizeof(float) * (size_t)n);
    memcpy(mv + n, nn_optim_state(o, 1), sizeof(float) * (size_t)n);
    nn_optim_free(o);
    for (int i = 0; i < 3; i++) nn_module_free(l[i]);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

/* A step over many parameters runs its sum of squares and its update as two halves:
 * the same bits on one thread or two, and Adam's first step as worked by hand for every
 * parameter (m^ = g, v^ = g^2: w <- w - lr g/(|g| + eps)), the frozen ones unchanged,
 * the gradient norm that of the trainable ones. */
static void test_big_step_same_bits_on_one_thread_or_two(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 7);
    nn_module *l[3], *m = three_layers(ctx, l);
    int64_t n = nn_module_nparams(m), frozen0 = 60200, frozen1 = 62210;
    assert_int_equal(n, 95221);
    float *w0 = malloc(sizeof(float) * (size_t)n), *g = nn_module_grads(m);
    memcpy(w0, nn_module_params(m), sizeof(float) * (size_t)n);
    double ss = 0;
    for (int64_t i = 0; i < n; i++) {
        g[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        if (i < frozen0 || i >= frozen1) ss += (double)g[i] * g[i];
    }
    nn_optim *o = nn_optim_new(ctx, NN_OPT_ADAM, hp_lr(NN_OPT_ADAM, 0.01f), n);
    nn_par_set_threads(2);
    double norm = nn_optim_step_module(o, m);
    nn_par_set_threads(0);
    assert_true(fabs(norm - sqrt(ss)) <= 1e-6 * sqrt(ss)); /* float sums in blocks */
    const float *w = nn_module_params(m);
    for (int64_t i = 0; i < n; i++) {
        double want =
            i >= frozen0 && i < frozen1 ? w0[i] : w0[i] - 0.01 * g[i] / (fabs(g[i]) + 1e-8);
        if (fabs(w[i] - want) > 1e-6)
            fail_msg("w[%lld] = %.9g, want %.9g", (long long)i, w[i], want);
    }
    nn_optim_free(o);
    for (int i = 0; i < 3; i++) nn_module_free(l[i]);
    nn_module_free(m);
    nn_ctx_free(ctx);
    free(w0);
    float *p[2], *mv[2];
    double norms[2][3];
    for (int t = 0; t < 2; t++) {
        p[t] = malloc(sizeof(float) * (size_t)n), mv[t] = malloc(sizeof(float) * 2 * (size_t)n);
        adam_three_steps_big(t + 1, p[t], mv[t], norms[t]);
    }
    assert_memory_equal(p[0], p[1], sizeof(float) * (size_t)n);
    assert_memory_equal(mv[0], mv[1], sizeof(float) * 2 * (size_t)n);
    assert_memory_equal(norms[0], norms[1], sizeof norms[0]);
    for (int t = 0; t < 2; t++) free(p[t]), free(mv[t]);
}

/* A subnormal first moment (a weight whose gradient has been zero for some steps: its
 * m decays by beta1 a step) is flushed to zero by the update, on one thread and on the
 * worker's half of a big step, while the normal ones follow the rule exactly; the
 * caller's floating-point mode is put back after (subnormal results again). Without the
 * flush (another CPU) m becomes beta1 m, still subnormal. */
static void test_adam_flushes_subnormal_moments(void **state) {
    (void)state;
    enum { N = 100000 }; /* above the size that splits a step in halves */
    const float b1 = 0.9f;
    nn_ctx *ctx = nn_ctx_new();
    for (int threads = 1; threads <= 2; threads++) {
        nn_optim *o = nn_optim_new(ctx, NN_OPT_ADAM, hp_lr(NN_OPT_ADAM, 0.01f), N);
        float *p = calloc(N, sizeof(float)), *g = calloc(N, sizeof(float));
        float *m = nn_optim_state(o, 0), *v = nn_optim_state(o, 1);
        const int64_t at[2] = {10, N - 10}; /* one in each half */
        for (int k = 0; k < 2; k++) {
            m[at[k]] = 1e-39f, v[at[k]] = 1e-6f; /* m subnormal, v normal */
            m[at[k] + 1] = 1e-3f, v[at[k] + 1] = 1e-6f, g[at[k] + 1] = 0.5f;
        }
        nn_par_set_threads(threads);
        nn_optim_step(o, p, g);
        nn_par_set_threads(0);
        for (int k = 0; k < 2; k++) {
            int64_t i = at[k];
#if defined(__x86_64__) || defined(__i386__)
            if (m[i] != 0.0f)
                fail_msg("%d thread(s): m[%lld] = %g, want 0", threads, (long long)i, m[i]);
            assert_true(p[i] == 0.0f); /* no step */
#else
            assert_true(m[i] == 0.9f * 1e-39f);
#endif
            assert_true(v[i] == 0.999f * 1e-6f);
            assert_true(m[i + 1] == b1 * 1e-3f + (1 - b1) * 0.5f); /* the rule's own floats */
            assert_true(p[i + 1] < -0.009f && p[i + 1] > -0.011f);
        }
        free(p), free(g);
        nn_optim_free(o);
    }
    volatile float tiny = 1e-38f, half = 0.5f;
    assert_true(tiny * half > 0); /* the caller's mode is back: subnormal results */
    nn_ctx_free(ctx);
}

static void test_rejects_bad_kind_and_size(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    assert_null(nn_optim_new(ctx, NN_OPT_COUNT, nn_optim_defaults(NN_OPT_SGD), 3));
    assert_null(nn_optim_new(ctx, NN_OPT_SGD, nn_optim_defaults(NN_OPT_SGD), 0));
    assert_non_null(strstr(nn_error(ctx), "nothing to optimize"));
    assert_int_equal(nn_optim_from_name("adam"), NN_OPT_ADAM);
    assert_int_equal(nn_optim_from_name("bogus"), -1);
    nn_ctx_free(ctx);
}

/* A NaN or negative setting is refused at creation naming it (a model file's too). */
static void test_rejects_nonfinite_settings(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_optim_hp h = nn_optim_defaults(NN_OPT_ADAM);
    h.lr = NAN;
    assert_null(nn_optim_new(ctx, NN_OPT_ADAM, h, 3));
    assert_string_equal(nn_error(ctx), "adam: lr must be a finite number >= 0, got nan");
    h = nn_optim_defaults(NN_OPT_SGD), h.momentum = INFINITY;
    assert_null(nn_optim_new(ctx, NN_OPT_SGD, h, 3));
    assert_non_null(strstr(nn_error(ctx), "sgd: momentum must be a finite number >= 0, got inf"));
    h = nn_optim_defaults(NN_OPT_SGD), h.clip_norm = -1;
    assert_null(nn_optim_new(ctx, NN_OPT_SGD, h, 3));
    assert_non_null(strstr(nn_error(ctx), "clip_norm"));
    nn_ctx_free(ctx);
}

/* A NaN (or an unclamped infinity) in the gradient is refused with a message naming
 * the component, and nothing changes: parameters, state, step count. With clip_value
 * an infinity is clamped as before. */
static void test_nonfinite_gradient_refused_unchanged(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_optim *o = nn_optim_new(ctx, NN_OPT_ADAM, hp_lr(NN_OPT_ADAM, 0.1f), 3);
    float w[3] = {1, 2, 3}, g[3] = {0.5f, NAN, 1};
    assert_true(isnan(nn_optim_step(o, w, g)));
    assert_string_equal(nn_error(ctx),
                        "adam: the gradient has a NaN at component 2, so the parameters were left "
                        "unchanged; look for a NaN in the data or the loss, or a learning rate so "
                        "high that the weights overflowed (try a smaller lr or clip_norm)");
    assert_true(w[0] == 1 && w[1] == 2 && w[2] == 3);
    assert_int_equal(nn_optim_steps(o), 0);
    assert_true(nn_optim_state(o, 0)[0] == 0);
    g[1] = INFINITY;
    assert_true(isnan(nn_optim_step(o, w, g)));
    assert_non_null(strstr(nn_error(ctx), "an infinity at component 2"));
    /* across parts: component 2 of the second part is the 3rd overall */
    float p1[1] = {1}, p2[2] = {2, 3}, g1[1] = {1}, g2[2] = {1, NAN};
    float *ps[2] = {p1, p2}, *gs[2] = {g1, g2};
    int64_t ns[2] = {1, 2};
    assert_true(isnan(nn_optim_step_parts(o, ps, gs, ns, 2)));
    assert_non_null(strstr(nn_error(ctx), "a NaN at component 3"));
    assert_true(p1[0] == 1 && p2[0] == 2);
    nn_optim_hp h = hp_lr(NN_OPT_SGD, 0.1f);
    h.clip_value = 1;
    nn_optim *c = nn_optim_new(ctx, NN_OPT_SGD, h, 3);
    g[0] = 0.5f, g[1] = INFINITY, g[2] = 1;
    assert_false(isnan(nn_optim_step(c, w, g)));
    assert_true(fabsf(w[1] - 1.9f) < 1e-6f);
    nn_optim_free(c);
    nn_optim_free(o);
    nn_ctx_free(ctx);
}

/* Schedules: step halves every 10, cosine reaches lr_min at the period, the
 * triangle peaks at the half cycle, warm-up ramps linearly. */
static void test_schedules(void **state) {
    (void)state;
    nn_sched s = {NN_SCHED_STEP, 1, 0, 0.5f, 10};
    assert_float_equal(nn_sched_lr(&s, 9), 1, 0);
    assert_float_equal(nn_sched_lr(&s, 10), 0.5f, 0);
    s = (nn_sched){NN_SCHED_COSINE, 1, 0.1f, 0, 100};
    assert_float_equal(nn_sched_lr(&s, 0), 1, 1e-6);
    assert_float_equal(nn_sched_lr(&s, 50), 0.55f, 1e-6);
    assert_float_equal(nn_sched_lr(&s, 200), 0.1f, 1e-6);
    s = (nn_sched){NN_SCHED_CYCLIC, 1, 0, 0, 4};
    assert_float_equal(nn_sched_lr(&s, 2), 0.5f, 1e-6);
    assert_float_equal(nn_sched_lr(&s, 4), 1, 1e-6);
    assert_float_equal(nn_sched_lr(&s, 8), 0, 1e-6);
    s = (nn_sched){NN_SCHED_WARMUP, 1, 0, 0, 4};
    assert_float_equal(nn_sched_lr(&s, 0), 0.25f, 1e-6);
    assert_float_equal(nn_sched_lr(&s, 10), 1, 1e-6);
    s = (nn_sched){NN_SCHED_EXPONENTIAL, 2, 0, 0.5f, 0};
    assert_float_equal(nn_sched_lr(&s, 3), 0.25f, 1e-6);
}

/* Hyper-parameters by name, as the bindings set them (opt.lr = 0.01). */
static void test_optim_hp_fields_by_name(void **state) {
    (void)state;
    nn_optim_hp hp = nn_optim_defaults(NN_OPT_ADAM);
    float *lr = nn_optim_hp_field(&hp, "lr");
    assert_ptr_equal(lr, &hp.lr);
    assert_ptr_equal(nn_optim_hp_field(&hp, "beta2"), &hp.beta2);
    assert_ptr_equal(nn_optim_hp_field(&hp, "step_max"), &hp.step_max);
    assert_null(nn_optim_hp_field(&hp, "learning_rate"));
    int n = 0;
    for (const char *name; (name = nn_optim_hp_name(n)); n++)
        assert_non_null(nn_optim_hp_field(&hp, name));     /* every listed name resolves */
    assert_int_equal(n, (int)(sizeof hp / sizeof(float))); /* and every field is listed */
    assert_null(nn_optim_hp_name(-1));
}

/* SGD with PyTorch's options, lr 0.1, mu 0.9 (v <- mu v + g; w <- w - lr v):
 * g=2:    v = 2,                   w = 1 - 0.2 = 0.8
 * g=1.6:  v = 1.8 + 1.6 = 3.4,     w = 0.8 - 0.34 = 0.46
 * g=0.92: v = 3.06 + 0.92 = 3.98,  w = 0.46 - 0.398 = 0.062
 * nesterov (w <- w - lr (g + mu v)):
 * g=2:      v = 2,                     w = 1 - 0.1 (2 + 1.8) = 0.62
 * g=1.24:   v = 1.8 + 1.24 = 3.04,     w = 0.62 - 0.1 (1.24 + 2.736) = 0.2224
 * g=0.4448: v = 2.736 + 0.4448 = 3.1808, w = 0.2224 - 0.1 (0.4448 + 2.86272) = -0.108352
 * weight_decay 0.1 with mu 0.9 (g' = g + 0.1 w first):
 * g'=2.1:     v = 2.1,                  w = 1 - 0.21 = 0.79
 * g'=1.659:   v = 1.89 + 1.659 = 3.549, w = 0.79 - 0.3549 = 0.4351
 * g'=0.91371: v = 3.1941 + 0.91371 = 4.10781, w = 0.4351 - 0.410781 = 0.024319 */
static void test_sgd_momentum_nesterov_weight_decay(void **state) {
    (void)state;
    nn_optim_hp h = hp_lr(NN_OPT_SGD, 0.1f);
    assert_float_equal(h.momentum, 0, 0); /* plain unless asked, as PyTorch */
    h.momentum = 0.9f;
    three_steps(NN_OPT_SGD, h, (double[]){0.8, 0.46, 0.062});
    h.nesterov = 1;
    three_steps(NN_OPT_SGD, h, (double[]){0.62, 0.2224, -0.108352});
    h.nesterov = 0, h.weight_decay = 0.1f;
    three_steps(NN_OPT_SGD, h, (double[]){0.79, 0.4351, 0.024319});
}

/* The velocity is a sum of gradients (PyTorch), not of steps (the course's momentum):
 * after a first step at lr 0.1 (v = 2, w = 0.8), a second at lr 0.05 moves
 * w by 0.05 (0.9 2 + 1.6) = 0.17 to 0.63, where "momentum" gives 0.8 - 0.26 = 0.54. */
static void test_sgd_velocity_is_in_gradient_units(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_optim_hp h = hp_lr(NN_OPT_SGD, 0.1f);
    h.momentum = 0.9f;
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, h, 1);
    float w = 1, g = 2;
    nn_optim_step(o, &w, &g);
    assert_string_equal(nn_optim_state_name(o, 0), "velocity");
    assert_float_equal(nn_optim_state(o, 0)[0], 2, 1e-7);
    nn_optim_hparams(o)->lr = 0.05f;
    g = 2 * w;
    nn_optim_step(o, &w, &g);
    assert_float_equal(w, 0.63, 1e-6);
    nn_optim_free(o);
    nn_ctx_free(ctx);
}

/* Each kind lists the settings its rule reads; nesterov without momentum is refused. */
static void test_options_each_kind_takes(void **state) {
    (void)state;
    assert_true(nn_optim_takes(NN_OPT_SGD, "momentum"));
    assert_true(nn_optim_takes(NN_OPT_SGD, "nesterov"));
    assert_true(nn_optim_takes(NN_OPT_SGD, "weight_decay"));
    assert_false(nn_optim_takes(NN_OPT_GD, "momentum"));
    assert_false(nn_optim_takes(NN_OPT_ADAM, "momentum"));
    assert_true(nn_optim_takes(NN_OPT_ADAM, "beta2"));
    assert_false(nn_optim_takes(NN_OPT_MOMENTUM, "nesterov"));
    assert_true(nn_optim_takes(NN_OPT_RPROP, "step_max"));
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        nn_optim_hp hp = nn_optim_defaults((nn_optim_kind)k);
        assert_string_equal(nn_optim_option((nn_optim_kind)k, 0), "lr");
        for (int i = 0; nn_optim_option((nn_optim_kind)k, i); i++) /* each is a real field */
            assert_non_null(nn_optim_hp_field(&hp, nn_optim_option((nn_optim_kind)k, i)));
    }
    assert_null(nn_optim_option(NN_OPT_COUNT, 0));
    nn_ctx *ctx = nn_ctx_new();
    nn_optim_hp h = nn_optim_defaults(NN_OPT_SGD);
    h.nesterov = 1;
    assert_null(nn_optim_new(ctx, NN_OPT_SGD, h, 3));
    assert_string_equal(nn_error(ctx), "sgd: nesterov needs a momentum > 0, got momentum 0");
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sgd_three_steps),
        cmocka_unit_test(test_momentum_three_steps),
        cmocka_unit_test(test_nesterov_three_steps),
        cmocka_unit_test(test_adagrad_three_steps),
        cmocka_unit_test(test_rmsprop_three_steps),
        cmocka_unit_test(test_adadelta_three_steps),
        cmocka_unit_test(test_adam_three_steps),
        cmocka_unit_test(test_adamw_three_steps),
        cmocka_unit_test(test_nadam_three_steps),
        cmocka_unit_test(test_rprop_three_steps),
        cmocka_unit_test(test_rprop_sign_change_shrinks_and_skips),
        cmocka_unit_test(test_rprop_step_clamped_to_min_and_max),
        cmocka_unit_test(test_clipping_by_norm_and_value),
        cmocka_unit_test(test_effective_lr_and_state),
        cmocka_unit_test(test_frozen_module_is_not_updated),
        cmocka_unit_test(test_big_step_same_bits_on_one_thread_or_two),
        cmocka_unit_test(test_rejects_bad_kind_and_size),
        cmocka_unit_test(test_rejects_nonfinite_settings),
        cmocka_unit_test(test_nonfinite_gradient_refused_unchanged),
        cmocka_unit_test(test_schedules),
        cmocka_unit_test(test_optim_hp_fields_by_name),
        cmocka_unit_test(test_sgd_momentum_nesterov_weight_decay),
        cmocka_unit_test(test_sgd_velocity_is_in_gradient_units),
        cmocka_unit_test(test_options_each_kind_takes),
        cmocka_unit_test(test_adam_flushes_subnormal_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
