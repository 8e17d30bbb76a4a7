/* test_train.c: the training loop end to end: XOR to 100%, the spiral to >= 95% test
 * accuracy with a fixed seed, early stopping restoring the best epoch, a NaN run
 * stopped with its message, time slicing and callbacks, a run that allocates nothing
 * per step, and the LR range test; training mode, per-step rates, epoch metrics,
 * timed callbacks on a fake clock, and deep nets of many separate trainable parts;
 * a model whose forward is a callback (the kind a model written in Lua is) trains as its
 * built-in twin, is put back at a NaN, and names a failing forward. */
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

#include "nn.h"
#include "parallel.h"
#undef I /* complex.h's, through cblas.h: this file's I is the initialiser below */

static nn_init I(nn_init_kind k) {
    return (nn_init){k, 0, 0};
}

/* in -> hidden (act) [-> hidden (act)] -> out */
static nn_module *mlp(nn_ctx *ctx, int in, int hidden, int layers, int out, nn_act_kind act) {
    nn_module *p[8];
    int n = 0, w = in;
    for (int l = 0; l < layers; l++) {
        p[n++] = nn_linear_new(ctx, w, hidden, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS));
        p[n++] = nn_activation_new(ctx, act, nn_act_default_arg(act));
        w = hidden;
    }
    p[n++] = nn_linear_new(ctx, w, out, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS));
    nn_module *m = nn_sequential_new(ctx, p, n);
    for (int i = 0; i < n; i++) nn_module_free(p[i]);
    return m;
}

static nn_optim *adam(nn_ctx *ctx, nn_module *m, float lr) {
    nn_optim_hp h = nn_optim_defaults(NN_OPT_ADAM);
    h.lr = lr;
    return nn_optim_new(ctx, NN_OPT_ADAM, h, nn_module_nparams(m));
}

/* The four XOR points, 2-4-1 tanh, BCE with logits, full batch. */
static void test_xor_learned_to_100_percent(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 1);
    nn_dataset *d = nn_dataset_new(ctx, 4, 2, 1, 2);
    float x[8] = {0, 0, 0, 1, 1, 0, 1, 1}, y[4] = {0, 1, 1, 0};
    memcpy(d->x, x, sizeof x);
    memcpy(d->y, y, sizeof y);
    nn_module *m = mlp(ctx, 2, 4, 1, 1, NN_ACT_TANH);
    nn_optim *o = adam(ctx, m, 0.05f);
    nn_fit_opts fo = {.loss = NN_LOSS_BCE, .epochs = 500, .batch = 0};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    double loss, acc;
    assert_int_equal(nn_evaluate(ctx, m, d, NN_LOSS_BCE, 1, &loss, &acc, NULL), NN_OK);
    assert_float_equal(acc, 1.0, 0);
    assert_true(loss < 0.05);
    int n;
    const nn_epoch_rec *h = nn_run_history(r, &n);
    assert_int_equal(n, 500);
    assert_true(h[499].loss < h[0].loss);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* The course's spiral: 3 arms of 400 points, 30% held out, 2-32-32-3 tanh, Adam. */
static void test_spiral_reaches_95_percent(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 42);
    nn_dataset *all = nn_synth(ctx, NN_SYN_SPIRAL, 400, 3, 0.1f), *tr, *te;
    nn_dataset_shuffle(ctx, all);
    assert_int_equal(nn_dataset_split(ctx, all, 0.3f, &tr, &te), NN_OK);
    float st[4];
    nn_fit_standardize(tr, st);
    nn_apply_scaling(tr, st);
    nn_apply_scaling(te, st);
    nn_module *m = mlp(ctx, 2, 32, 2, 3, NN_ACT_TANH);
    nn_optim *o = adam(ctx, m, 0.01f);
    nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 300, .batch = 32, .shuffle = true};
    nn_run *r = nn_run_new(ctx, m, o, tr, te, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    double loss, acc;
    int64_t cm[9] = {0};
    nn_evaluate(ctx, m, te, NN_LOSS_CE, 1, &loss, &acc, cm);
    printf("spiral: test accuracy %.3f, loss %.4f\n", acc, loss);
    assert_true(acc >= 0.95);
    nn_metrics mt = nn_metrics_from_confusion(cm, 3);
    assert_float_equal(mt.accuracy, acc, 1e-9);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(all);
    nn_dataset_free(tr);
    nn_dataset_free(te);
    nn_ctx_free(ctx);
}

/* Validation = a set whose labels contradict the training set, so validation loss
 * rises after the first epochs: the run stops after `patience` epochs without
 * improvement and the weights are those saved at the best epoch. */
typedef struct snaps {
    nn_module *m;
    float w[40][64];
} snaps;

static int keep_weights(nn_run *r, bool epoch_end, void *user) {
    snaps *s = user;
    if (epoch_end && nn_run_epoch(r) <= 40)
        memcpy(s->w[nn_run_epoch(r) - 1], nn_module_params(s->m),
               (size_t)nn_module_nparams(s->m) * sizeof(float));
    return 0;
}

static void test_early_stopping_restores_best_epoch(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 5);
    nn_dataset *tr = nn_synth(ctx, NN_SYN_GAUSS, 200, 2, 0.0f);
    nn_dataset *va = nn_dataset_slice(ctx, tr, 0, 100);
    for (int i = 0; i < va->n; i++) va->y[i] = 1 - va->y[i]; /* flipped labels */
    nn_module *m = mlp(ctx, 2, 4, 1, 2, NN_ACT_TANH);
    assert_true(nn_module_nparams(m) <= 64);
    nn_optim *o = adam(ctx, m, 0.01f);
    static snaps s;
    s.m = m;
    nn_fit_opts fo = {.loss = NN_LOSS_CE,
                      .epochs = 40,
                      .batch = 20,
                      .shuffle = true,
                      .patience = 3,
                      .callback = keep_weights,
                      .user = &s};
    nn_run *r = nn_run_new(ctx, m, o, tr, va, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_STOPPED);
    int n, best = nn_run_best_epoch(r);
    const nn_epoch_rec *h = nn_run_history(r, &n);
    assert_true(n < 40);
    assert_int_equal(n, best + 3);
    for (int e = 0; e < n; e++) assert_true(h[e].val_loss >= h[best - 1].val_loss);
    assert_memory_equal(nn_module_params(m), s.w[best - 1],
                        (size_t)nn_module_nparams(m) * sizeof(float));
    assert_non_null(strstr(nn_run_message(r), "early stopping"));
    char want[64];
    snprintf(want, sizeof want, "restored the weights of epoch %d", best);
    assert_non_null(strstr(nn_run_message(r), want));
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(tr);
    nn_dataset_free(va);
    nn_ctx_free(ctx);
}

/* SGD with lr 1e6 on a regression blows up: the run fails naming the step. */
/* With a batch norm inside, the restored epoch brings back its running statistics
 * too: evaluation after the stop equals evaluation at the best epoch. */
typedef struct bn_snap {
    nn_ctx *ctx;
    nn_module *m;
    const nn_dataset *va;
    double val[40];
} bn_snap;

static int eval_each_epoch(nn_run *r, bool epoch_end, void *user) {
    bn_snap *s = user;
    if (epoch_end && nn_run_epoch(r) <= 40)
        nn_evaluate(s->ctx, s->m, s->va, NN_LOSS_CE, 1, &s->val[nn_run_epoch(r) - 1], NULL, NULL);
    return 0;
}

static void test_early_stopping_restores_batchnorm_stats(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 6);
    nn_dataset *tr = nn_synth(ctx, NN_SYN_GAUSS, 200, 2, 0.3f);
    nn_dataset *va = nn_dataset_slice(ctx, tr, 0, 100);
    for (int i = 0; i < va->n; i++) va->y[i] = 1 - va->y[i];
    nn_init xu = {NN_INIT_XAVIER_UNIFORM, 0, 0}, z = {NN_INIT_ZEROS, 0, 0};
    nn_module *p[4] = {nn_linear_new(ctx, 2, 4, xu, z), nn_batchnorm_new(ctx, 4, 0.3f, 1e-5f),
                       nn_activation_new(ctx, NN_ACT_TANH, 0), nn_linear_new(ctx, 4, 2, xu, z)};
    nn_module *m = nn_sequential_new(ctx, p, 4);
    nn_optim *o = adam(ctx, m, 0.01f);
    static bn_snap s;
    s.ctx = ctx, s.m = m, s.va = va;
    nn_fit_opts fo = {.loss = NN_LOSS_CE,
                      .epochs = 40,
                      .batch = 20,
                      .shuffle = true,
                      .patience = 3,
                      .callback = eval_each_epoch,
                      .user = &s};
    nn_run *r = nn_run_new(ctx, m, o, tr, va, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_STOPPED);
    int best = nn_run_best_epoch(r);
    double now;
    nn_evaluate(ctx, m, va, NN_LOSS_CE, 1, &now, NULL, NULL);
    assert_float_equal(now, s.val[best - 1], 1e-12);
    nn_run_free(r);
    nn_optim_free(o);
    for (int i = 0; i < 4; i++) nn_module_free(p[i]);
    nn_module_free(m);
    nn_dataset_free(tr);
    nn_dataset_free(va);
    nn_ctx_free(ctx);
}

static void test_nan_run_stopped_with_message(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_PLANE, 100, 0, 0.0f);
    nn_module *m = mlp(ctx, 2, 8, 1, 1, NN_ACT_RELU);
    nn_optim_hp h = nn_optim_defaults(NN_OPT_SGD);
    h.lr = 1e6f;
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, h, nn_module_nparams(m));
    nn_fit_opts fo = {.loss = NN_LOSS_MSE, .epochs = 50, .batch = 10};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_FAILED);
    const char *msg = nn_run_message(r);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "at step"));
    assert_non_null(strstr(msg, "learning rate (1e+06) may be too high"));
    assert_non_null(strstr(msg, "clip"));
    assert_true(nn_run_step(r) < 50 * 10);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* A NaN or an infinity in the data is named by set, row and column before the run
 * starts, not blamed on the learning rate later. */
static void test_nonfinite_data_named_before_the_run(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_PLANE, 100, 0, 0.0f);
    nn_dataset *v = nn_synth(ctx, NN_SYN_PLANE, 20, 0, 0.0f);
    nn_module *m = mlp(ctx, 2, 8, 1, 1, NN_ACT_RELU);
    nn_optim *o = adam(ctx, m, 0.01f);
    nn_fit_opts fo = {.loss = NN_LOSS_MSE, .epochs = 2, .batch = 10};
    d->x[16 * 2 + 1] = NAN; /* row 17, column 2 */
    assert_null(nn_run_new(ctx, m, o, d, v, &fo));
    assert_string_equal(nn_error(ctx), "fit: the training data has a NaN at row 17, column 2");
    d->x[16 * 2 + 1] = 0, d->y[99] = -INFINITY;
    assert_null(nn_run_new(ctx, m, o, d, v, &fo));
    assert_string_equal(nn_error(ctx),
                        "fit: the training targets have a -inf at row 100, column 1");
    d->y[99] = 0, v->x[5] = INFINITY;
    assert_null(nn_run_new(ctx, m, o, d, v, &fo));
    assert_string_equal(nn_error(ctx), "fit: the validation data has a +inf at row 3, column 2");
    v->x[5] = 0;
    nn_run *r = nn_run_new(ctx, m, o, d, v, &fo);
    assert_non_null(r);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(v);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* Adam at lr 1e6 keeps a finite loss that grows to ~1e10: the run ends "failed" (the
 * loss diverged) naming the learning rate, with the weights put back; a working run
 * (lr 0.01) ends "done". */
static void test_diverging_loss_fails_naming_lr(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_PLANE, 100, 0, 0.0f);
    nn_module *m = mlp(ctx, 2, 8, 1, 1, NN_ACT_RELU);
    float start[64];
    int64_t np = nn_module_nparams(m);
    memcpy(start, nn_module_params(m), (size_t)np * sizeof(float));
    nn_optim *o = adam(ctx, m, 1e6f);
    nn_fit_opts fo = {.loss = NN_LOSS_MSE, .epochs = 20, .batch = 10};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_FAILED);
    const char *msg = nn_run_message(r);
    printf("%s\n", msg);
    assert_non_null(strstr(msg, "the loss diverged: epoch 1's loss"));
    assert_non_null(strstr(msg, "over 1000 times the first step's"));
    assert_non_null(strstr(msg, "learning rate (1e+06) is too high"));
    assert_memory_equal(nn_module_params(m), start, (size_t)np * sizeof(float));
    nn_run_free(r);
    nn_optim_hparams(o)->lr = 0.01f;
    r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* After two good epochs the learning rate jumps to 1e6; the weights, the optimizer's
 * state and its step count at that moment are kept to compare with. */
typedef struct {
    nn_module *m;
    nn_optim *o;
    float params[64], velocity[64];
    int64_t steps;
} diverge_at_3;

static int raise_lr_after_epoch_2(nn_run *r, bool epoch_end, void *user) {
    diverge_at_3 *d = user;
    if (!epoch_end || nn_run_epoch(r) != 2) return 0;
    int64_t np = nn_module_nparams(d->m);
    memcpy(d->params, nn_module_params(d->m), (size_t)np * sizeof(float));
    memcpy(d->velocity, nn_optim_state(d->o, 0), (size_t)np * sizeof(float));
    d->steps = nn_optim_steps(d->o);
    nn_optim_hparams(d->o)->lr = 1e6f;
    return 0;
}

/* A loss that stops being finite puts the weights and the optimizer back as they were
 * at the start of the epoch, so that the message's advice (a smaller learning rate)
 * works on the same model and optimizer instead of failing again at once. */
static void test_nan_run_puts_back_the_epochs_start(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_PLANE, 100, 0, 0.0f);
    nn_module *m = mlp(ctx, 2, 4, 1, 1, NN_ACT_RELU);
    int64_t np = nn_module_nparams(m);
    assert_true(np <= 64);
    nn_optim *o = nn_optim_new(ctx, NN_OPT_MOMENTUM, nn_optim_defaults(NN_OPT_MOMENTUM), np);
    diverge_at_3 dv = {.m = m, .o = o};
    nn_fit_opts fo = {.loss = NN_LOSS_MSE,
                      .epochs = 10,
                      .batch = 10,
                      .callback = raise_lr_after_epoch_2,
                      .user = &dv};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_FAILED);
    assert_int_equal(nn_run_epoch(r), 2);
    assert_non_null(strstr(nn_run_message(r), "put back as they were at the start of epoch 3"));
    assert_memory_equal(nn_module_params(m), dv.params, (size_t)np * sizeof(float));
    assert_memory_equal(nn_optim_state(o, 0), dv.velocity, (size_t)np * sizeof(float));
    assert_int_equal(nn_optim_steps(o), dv.steps);
    nn_run_free(r);
    /* the advice followed: a smaller rate trains on */
    nn_optim_hparams(o)->lr = 1e-4f;
    nn_fit_opts again = {.loss = NN_LOSS_MSE, .epochs = 2, .batch = 10};
    r = nn_run_new(ctx, m, o, d, NULL, &again);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    assert_true(isfinite(nn_run_epoch_loss(r)) || isfinite(nn_run_last_loss(r)));
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

static int count_calls(nn_run *r, bool epoch_end, void *user) {
    (void)r;
    int *c = user;
    c[epoch_end ? 1 : 0]++;
    return 0;
}

/* run_for returns after its slice and resumes where it left off; callbacks come
 * every N steps and at each epoch end; the steady state allocates nothing. */
static void test_time_slices_callbacks_no_allocation(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_CIRCLE, 500, 0, 0.0f);
    nn_module *m = mlp(ctx, 2, 8, 2, 1, NN_ACT_TANH);
    nn_optim_hp h = nn_optim_defaults(NN_OPT_SGD);
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, h, nn_module_nparams(m));
    int calls[2] = {0, 0};
    nn_fit_opts fo = {.loss = NN_LOSS_BCE,
                      .epochs = 200,
                      .batch = 10,
                      .shuffle = true,
                      .every_steps = 100,
                      .callback = count_calls,
                      .user = calls};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 1), NN_RUN_RUNNING);
    int64_t s1 = nn_run_step(r);
    assert_true(s1 > 0);
    uint64_t a0 = nn_heap_allocs(ctx);
    nn_run_for(r, 1);
    assert_true(nn_run_step(r) > s1);
    assert_int_equal(nn_heap_allocs(ctx), a0); /* no validation set: steps only */
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    assert_int_equal(nn_run_step(r), 200 * 50);
    assert_int_equal(calls[0], 200 * 50 / 100);
    assert_int_equal(calls[1], 200);
    int64_t n;
    const float *ls = nn_run_step_losses(r, &n);
    assert_int_equal(n, 10000);
    assert_true(ls[n - 1] < ls[0]);
    nn_run_free(r);

    /* stop from outside */
    r = nn_run_new(ctx, m, o, d, NULL, &fo);
    nn_run_for(r, 1);
    nn_run_stop(r);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_STOPPED);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* With an L2 penalty the reported loss is the data loss plus l2 sum w^2: a model
 * with zero weights and constant bias 1 on targets 0 has MSE 1 and penalty 0 at the
 * first step, then SGD moves only the bias. */
static void test_penalty_in_reported_loss(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_dataset_new(ctx, 4, 1, 1, 0); /* x = 0, y = 0 */
    nn_init w = {NN_INIT_CONSTANT, 0.5f, 0}, b = {NN_INIT_CONSTANT, 1, 0};
    nn_module *m = nn_linear_new(ctx, 1, 1, w, b);
    nn_module_regularize(m, 0, 0.1f);
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, nn_optim_defaults(NN_OPT_SGD), 2);
    nn_fit_opts fo = {.loss = NN_LOSS_MSE, .epochs = 1, .batch = 4};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    /* MSE (1 - 0)^2 = 1, penalty 0.1 * 0.5^2 = 0.025 */
    assert_float_equal(nn_run_last_loss(r), 1.025, 1e-6);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

static void test_rejects_mismatched_data(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_SINE, 50, 0, 0.1f);
    nn_module *m = mlp(ctx, 2, 4, 1, 1, NN_ACT_TANH);
    nn_optim *o = adam(ctx, m, 0.01f);
    nn_fit_opts fo = {.loss = NN_LOSS_MSE, .epochs = 1};
    assert_null(nn_run_new(ctx, m, o, d, NULL, &fo));
    assert_string_equal(nn_error(ctx), "fit: the model takes 2 features, the data has 1");
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* The LR range test: the rate grows by a constant factor per batch from lr_min, the
 * loss is recorded, and the weights are put back. */
static void test_lr_range_test(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_GAUSS, 200, 2, 0.0f);
    nn_module *m = mlp(ctx, 2, 8, 1, 2, NN_ACT_RELU);
    float before[64], lr[100], loss[100];
    memcpy(before, nn_module_params(m), (size_t)nn_module_nparams(m) * sizeof(float));
    int n = nn_lr_range_test(ctx, m, NULL, d, NN_LOSS_CE, 10, 1e-4f, 10.0f, 100, lr, loss);
    assert_true(n >= 50 && n <= 100);
    assert_float_equal(lr[0], 1e-4f, 1e-9);
    assert_float_equal(lr[1] / lr[0], pow(1e5, 1.0 / 99), 1e-4);
    double mn = 1e9;
    for (int i = 0; i < n; i++) mn = fmin(mn, loss[i]);
    assert_true(mn < loss[0]);
    assert_memory_equal(before, nn_module_params(m), (size_t)nn_module_nparams(m) * sizeof(float));
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* A net with batch norm: 2 -> 4 -> batch norm -> tanh -> 2 (p[1] is the batch norm). */
static nn_module *bn_net(nn_ctx *ctx, nn_module *p[4]) {
    p[0] = nn_linear_new(ctx, 2, 4, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS));
    p[1] = nn_batchnorm_new(ctx, 4, 0.3f, 1e-5f);
    p[2] = nn_activation_new(ctx, NN_ACT_TANH, 0);
    p[3] = nn_linear_new(ctx, 4, 2, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS));
    return nn_sequential_new(ctx, p, 4);
}

static void free_all(nn_module *p[], int n) {
    for (int i = 0; i < n; i++) nn_module_free(p[i]);
}

/* After m:eval(), fit still trains in training mode (batch norm's running statistics
 * move off 0/1) and the model gets its evaluation mode back when the run ends. */
static void test_run_trains_in_training_mode_and_restores_mode(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 2);
    nn_dataset *d = nn_synth(ctx, NN_SYN_GAUSS, 100, 2, 0.3f);
    nn_module *p[4], *m = bn_net(ctx, p);
    nn_optim *o = adam(ctx, m, 0.01f);
    nn_module_train(m, false);
    nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 2, .batch = 20};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    const float *run = nn_module_running(p[1]);
    double moved = 0;
    for (int i = 0; i < 4; i++) moved += fabs(run[i]) + fabs(run[4 + i] - 1);
    assert_true(moved > 1e-3);
    assert_false(nn_module_training(m));
    nn_run_free(r);
    nn_optim_free(o);
    free_all(p, 4);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* The LR range test with the user's optimizer puts back its state and step count,
 * its rate, the batch-norm statistics and the weights. */
static void test_lr_range_test_restores_optimizer_and_batchnorm(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 4);
    nn_dataset *d = nn_synth(ctx, NN_SYN_GAUSS, 100, 2, 0.3f);
    nn_module *p[4], *m = bn_net(ctx, p);
    nn_optim *o = adam(ctx, m, 0.01f);
    nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 1, .batch = 20};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE); /* the optimizer has state now */
    nn_run_free(r);
    int64_t np = nn_module_nparams(m), steps = nn_optim_steps(o);
    assert_true(steps == 5 && np <= 64);
    float params[64], m1[64], v2[64], running[8], lr[40], loss[40];
    memcpy(params, nn_module_params(m), (size_t)np * sizeof(float));
    memcpy(m1, nn_optim_state(o, 0), (size_t)np * sizeof(float));
    memcpy(v2, nn_optim_state(o, 1), (size_t)np * sizeof(float));
    memcpy(running, nn_module_running(p[1]), sizeof running);
    int n = nn_lr_range_test(ctx, m, o, d, NN_LOSS_CE, 10, 1e-4f, 1.0f, 40, lr, loss);
    assert_true(n >= 2);
    assert_int_equal(nn_optim_steps(o), steps);
    assert_float_equal(nn_optim_hparams(o)->lr, 0.01f, 0);
    assert_memory_equal(m1, nn_optim_state(o, 0), (size_t)np * sizeof(float));
    assert_memory_equal(v2, nn_optim_state(o, 1), (size_t)np * sizeof(float));
    assert_memory_equal(running, nn_module_running(p[1]), sizeof running);
    assert_memory_equal(params, nn_module_params(m), (size_t)np * sizeof(float));
    nn_optim_free(o);
    free_all(p, 4);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* A fake clock: every reading is 1 ms after the last. */
typedef struct fake_clock {
    double ms;
    int calls[2]; /* callbacks by time, at epoch ends */
} fake_clock;

static double fake_ms(void *user) {
    fake_clock *c = user;
    return c->ms += 1;
}

static int count_fake(nn_run *r, bool epoch_end, void *user) {
    (void)r;
    ((fake_clock *)user)->calls[epoch_end]++;
    return 0;
}

/* every_ms = 5 on a clock that moves 1 ms a reading: a step reads it once to three
 * times (the step, an epoch's start and end), so a callback comes every 2 to 5 steps. */
static void test_every_ms_callbacks_follow_the_clock(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_CIRCLE, 100, 0, 0.0f);
    nn_module *m = mlp(ctx, 2, 4, 1, 1, NN_ACT_TANH);
    nn_optim *o =
        nn_optim_new(ctx, NN_OPT_SGD, nn_optim_defaults(NN_OPT_SGD), nn_module_nparams(m));
    fake_clock c = {0};
    nn_fit_opts fo = {.loss = NN_LOSS_BCE,
                      .epochs = 20,
                      .batch = 10,
                      .every_ms = 5,
                      .callback = count_fake,
                      .clock_ms = fake_ms,
                      .user = &c};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    int steps = 20 * 10;
    printf("%d timed callbacks over %d steps\n", c.calls[0], steps);
    assert_true(c.calls[0] >= steps / 5 - 1 && c.calls[0] <= steps / 2 + 1);
    assert_int_equal(c.calls[1], 20);
    nn_run_free(r);
    /* no time passes: no timed callback, only the epoch ends */
    fake_clock still = {0};
    fo.clock_ms = NULL, fo.every_ms = 1e12, fo.user = &still;
    r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    assert_int_equal(still.calls[0], 0);
    assert_int_equal(still.calls[1], 20);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

#define DEEP 140 /* residual linear layers, every other one frozen: 70 trainable parts */

/* A deep net with interleaved frozen layers trains: the layers not frozen move, the
 * frozen ones do not (this was "more than 64 separate trainable parts", ignored).
 * Residual blocks x + (x W + b) with W = 0 at first carry the signal through all. */
static void test_many_separate_trainable_parts_train(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 5);
    nn_dataset *d = nn_synth(ctx, NN_SYN_GAUSS, 40, 2, 0.3f);
    static nn_module *lin[DEEP], *res[DEEP];
    for (int i = 0; i < DEEP; i++) {
        lin[i] = nn_linear_new(ctx, 2, 2, I(NN_INIT_ZEROS), I(NN_INIT_ZEROS));
        if (i % 2) nn_module_freeze(lin[i], true);
        res[i] = nn_residual_new(ctx, lin[i]);
    }
    nn_module *m = nn_sequential_new(ctx, res, DEEP);
    nn_optim *o = adam(ctx, m, 0.01f);
    int64_t np = nn_module_nparams(m);
    assert_int_equal(np, DEEP * 6);
    static float before[DEEP * 6];
    memcpy(before, nn_module_params(m), (size_t)np * sizeof(float));
    nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 2, .batch = 20};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    const float *after = nn_module_params(m);
    for (int i = 0; i < DEEP; i++) {
        bool moved = memcmp(before + 6 * i, after + 6 * i, 6 * sizeof(float)) != 0;
        if (moved != (i % 2 == 0)) fail_msg("layer %d: moved %d, frozen %d", i, moved, i % 2);
    }
    nn_run_free(r);
    nn_optim_free(o);
    free_all(res, DEEP);
    free_all(lin, DEEP);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* One epoch of the MLP benchmark's net (784-256-128-10 ReLU, batch 64, Adam) on 256
 * random images, on `threads` threads (OpenBLAS on as many, as OPENBLAS_NUM_THREADS
 * would set them): the parameters after it into p, and the epoch's loss. */
static double mlp_epoch_on(int threads, float *p) {
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 3);
    nn_dataset *d = nn_dataset_new(ctx, 256, 784, 1, 10);
    for (int64_t i = 0; i < 256 * 784; i++) d->x[i] = (float)nn_rand_uniform(ctx);
    for (int i = 0; i < 256; i++) d->y[i] = (float)nn_rand_below(ctx, 10);
    nn_module *l[5] = {nn_linear_new(ctx, 784, 256, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS)),
                       nn_activation_new(ctx, NN_ACT_RELU, 0),
                       nn_linear_new(ctx, 256, 128, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS)),
                       nn_activation_new(ctx, NN_ACT_RELU, 0),
                       nn_linear_new(ctx, 128, 10, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS))};
    nn_module *m = nn_sequential_new(ctx, l, 5);
    nn_optim *o = adam(ctx, m, 1e-3f);
    nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 1, .batch = 64, .shuffle = true};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    nn_par_set_threads(threads);
    openblas_set_num_threads(threads);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    nn_par_set_threads(0);
    openblas_set_num_threads(1);
    memcpy(p, nn_module_params(m), sizeof(float) * (size_t)nn_module_nparams(m));
    int n;
    double loss = nn_run_history(r, &n)[0].loss;
    nn_run_free(r);
    nn_optim_free(o);
    free_all(l, 5);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
    return loss;
}

/* The MLP benchmark's training gives the same numbers on one thread or two: its big
 * products and its Adam passes run as fixed halves whatever the thread count, and
 * OpenBLAS's own threads never split its products. */
static void test_mlp_same_bits_on_one_thread_or_two(void **state) {
    (void)state;
    int64_t np = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
    float *p[2] = {malloc(sizeof(float) * (size_t)np), malloc(sizeof(float) * (size_t)np)};
    double loss[2];
    for (int t = 0; t < 2; t++) loss[t] = mlp_epoch_on(t + 1, p[t]);
    assert_true(loss[0] == loss[1] && isfinite(loss[0]));
    assert_memory_equal(p[0], p[1], sizeof(float) * (size_t)np);
    free(p[0]), free(p[1]);
}

static int record_lr(nn_run *r, bool epoch_end, void *user) {
    (void)r;
    if (!epoch_end) {
        float **at = user;
        *(*at)++ = 0; /* marks a step; the rate is read through the optimizer below */
    }
    return 0;
}

/* Per-step rates (a schedule function sampled by the binding) are applied in order,
 * and the last one holds after them. */
static void test_lr_steps_applied_each_step(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_CIRCLE, 40, 0, 0.0f);
    nn_module *m = mlp(ctx, 2, 4, 1, 1, NN_ACT_TANH);
    nn_optim *o =
        nn_optim_new(ctx, NN_OPT_SGD, nn_optim_defaults(NN_OPT_SGD), nn_module_nparams(m));
    float lrs[3] = {0.5f, 0.25f, 0.125f}, marks[16], *at = marks;
    nn_fit_opts fo = {.loss = NN_LOSS_BCE,
                      .epochs = 2,
                      .batch = 10,
                      .lr_steps = lrs,
                      .n_lr_steps = 3,
                      .every_steps = 1,
                      .callback = record_lr,
                      .user = &at};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    lrs[0] = 9; /* copied when the run was made */
    const float want[8] = {0.5f, 0.25f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f};
    for (int s = 0; s < 8; s++) {
        nn_run_for(r, 1e-9); /* one step */
        assert_float_equal(nn_optim_hparams(o)->lr, want[s], 0);
    }
    assert_int_equal(nn_run_status(r), NN_RUN_DONE);
    assert_int_equal(at - marks, 8);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* Per-epoch precision, recall and F1 come from the epoch's confusion matrices: binary
 * (class 1) for two classes; the validation ones equal nn_evaluate's matrix. */
static void test_epoch_metrics_and_confusion(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 8);
    nn_dataset *tr = nn_synth(ctx, NN_SYN_GAUSS, 200, 2, 0.3f);
    nn_dataset *va = nn_dataset_slice(ctx, tr, 0, 60);
    nn_module *m = mlp(ctx, 2, 8, 1, 2, NN_ACT_TANH);
    nn_optim *o = adam(ctx, m, 0.02f);
    nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 3, .batch = 25, .shuffle = true};
    nn_run *r = nn_run_new(ctx, m, o, tr, va, &fo);
    int c;
    assert_null(nn_run_confusion(r, false, &c));
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    int n;
    const nn_epoch_rec *h = nn_run_history(r, &n);
    const int64_t *ct = nn_run_confusion(r, false, &c), *cv = nn_run_confusion(r, true, &c);
    assert_non_null(ct);
    assert_non_null(cv);
    assert_int_equal(c, 2);
    assert_int_equal(ct[0] + ct[1] + ct[2] + ct[3], 200);
    double tp = (double)ct[3], prec = tp / (tp + ct[1]),
           rec = tp / (tp + ct[2]); /* [true][predicted] */
    assert_float_equal(h[2].precision, prec, 1e-12);
    assert_float_equal(h[2].recall, rec, 1e-12);
    assert_float_equal(h[2].f1, 2 * prec * rec / (prec + rec), 1e-12);
    int64_t cm[4] = {0};
    double loss, acc;
    assert_int_equal(nn_evaluate(ctx, m, va, NN_LOSS_CE, 1, &loss, &acc, cm), NN_OK);
    assert_memory_equal(cm, cv, sizeof cm);
    nn_metrics mt = nn_metrics_reported(cm, 2);
    assert_float_equal(h[2].val_f1, mt.f1, 1e-12);
    assert_float_equal(h[2].val_acc, acc, 1e-12);
    /* three classes: the macro averages */
    int64_t c3[9] = {5, 1, 0, 2, 6, 0, 0, 0, 4};
    nn_metrics m3 = nn_metrics_reported(c3, 3), mm = nn_metrics_from_confusion(c3, 3);
    assert_float_equal(m3.f1, mm.f1, 0);
    assert_float_equal(m3.precision, (5.0 / 7 + 6.0 / 7 + 1) / 3, 1e-12);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(tr);
    nn_dataset_free(va);
    nn_ctx_free(ctx);
}

/* ---- a model whose forward is a callback (the kind a model written in Lua is) ---- */

/* Its forward is the graph of a built-in module (nn_module_graph), recorded by
 * autograd and called back by the loop as a Lua model's forward is; it must train as
 * the same built-in module trained by the kernels does. */
typedef struct {
    nn_ctx *ctx;
    nn_module *inner;
    int calls;
    bool training;
} graph_model;

static nn_tensor *graph_forward(void *user, nn_tensor *x, char *err, size_t errlen) {
    graph_model *g = user;
    g->calls++;
    nn_tensor *y = nn_module_graph(g->ctx, g->inner, x);
    if (!y) snprintf(err, errlen, "%s", nn_error(g->ctx));
    return y;
}

static void graph_train(void *user, bool on) {
    ((graph_model *)user)->training = on;
}

static bool graph_training(void *user) {
    return ((graph_model *)user)->training;
}

/* The parameter tensors of m's leaves, in block order, into out; returns the count. */
static int param_tensors(nn_module *m, nn_tensor **out, int n) {
    nn_module *kids[16];
    int nk = nn_module_children(m, kids, 16);
    for (int i = 0; i < nk; i++) n = param_tensors(kids[i], out, n);
    for (int i = 0; nk == 0 && i < 2; i++)
        if (nn_module_param(m, i, NULL, NULL, NULL, NULL, NULL) == NN_OK)
            out[n++] = nn_module_param_tensor(m, i);
    return n;
}

/* linear (L1 and L2) -> batch norm -> tanh -> linear, the same weights for a seed */
static nn_module *bn_twin_net(nn_ctx *ctx, int classes) {
    nn_seed(ctx, 3);
    nn_init xu = {NN_INIT_XAVIER_UNIFORM, 0, 0}, z = {NN_INIT_ZEROS, 0, 0};
    nn_module *p[4] = {nn_linear_new(ctx, 2, 8, xu, z), nn_batchnorm_new(ctx, 8, 0.3f, 1e-5f),
                       nn_activation_new(ctx, NN_ACT_TANH, 0),
                       nn_linear_new(ctx, 8, classes, xu, z)};
    nn_module_regularize(p[0], 0.001f, 0.01f);
    nn_module *m = nn_sequential_new(ctx, p, 4);
    for (int i = 0; i < 4; i++) nn_module_free(p[i]);
    return m;
}

static nn_module *callback_of(nn_ctx *ctx, graph_model *g, nn_module *inner, int out) {
    static const nn_callback_fns fns = {graph_forward, graph_train, graph_training};
    nn_tensor *ps[16];
    int np = param_tensors(inner, ps, 0);
    *g = (graph_model){ctx, inner, 0, false};
    return nn_callback_new(ctx, &fns, g, ps, np, &inner, 1, out);
}

/* Class weights, L1/L2 of the layer inside, batch norm, validation metrics, early
 * stopping that restores the best epoch's weights and batch-norm statistics: the
 * callback model and its built-in twin give the same numbers, step after step. */
static void test_callback_model_trains_as_its_builtin_twin(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 4);
    nn_dataset *tr = nn_synth(ctx, NN_SYN_SPIRAL, 150, 3, 0.1f);
    nn_dataset *va = nn_synth(ctx, NN_SYN_SPIRAL, 60, 3, 0.1f);
    nn_module *twin = bn_twin_net(ctx, 3), *inner = bn_twin_net(ctx, 3);
    graph_model g;
    nn_module *cb = callback_of(ctx, &g, inner, 3);
    assert_non_null(cb);
    assert_int_equal(nn_module_nparams(cb), nn_module_nparams(twin));
    float cw[3] = {1, 2, 0.5f};
    nn_module *ms[2] = {twin, cb};
    nn_run *runs[2];
    nn_optim *os[2];
    for (int k = 0; k < 2; k++) {
        nn_optim_hp h = nn_optim_defaults(NN_OPT_MOMENTUM);
        h.lr = 0.05f;
        os[k] = nn_optim_new(ctx, NN_OPT_MOMENTUM, h, nn_module_nparams(ms[k]));
        /* a min_delta no epoch beats: stops after epoch 3, back to epoch 1 */
        nn_fit_opts fo = {.loss = NN_LOSS_CE,
                          .epochs = 6,
                          .batch = 16,
                          .shuffle = true,
                          .class_weights = cw,
                          .patience = 2,
                          .min_delta = 100};
        runs[k] = nn_run_new(ctx, ms[k], os[k], tr, va, &fo);
        assert_non_null(runs[k]);
        nn_seed(ctx, 9); /* the same shuffles */
        assert_int_equal(nn_run_for(runs[k], 0), NN_RUN_STOPPED);
    }
    assert_true(g.calls > 0);
    assert_false(g.training); /* the user's mode (evaluation) is given back */
    int64_t n0, n1;
    const float *l0 = nn_run_step_losses(runs[0], &n0), *l1 = nn_run_step_losses(runs[1], &n1);
    assert_int_equal(n0, n1);
    assert_int_equal(n0, 3 * 10);
    double worst = 0;
    for (int64_t i = 0; i < n0; i++) worst = fmax(worst, fabs(l0[i] - l1[i]));
    printf("callback vs built-in: largest step-loss difference %g\n", worst);
    assert_true(worst < 1e-4);
    assert_true(nn_module_penalty(inner) > 0); /* the reported losses include it */
    int h0n, h1n, c;
    const nn_epoch_rec *h0 = nn_run_history(runs[0], &h0n), *h1 = nn_run_history(runs[1], &h1n);
    assert_int_equal(h0n, h1n);
    for (int e = 0; e < h0n; e++) {
        assert_float_equal(h0[e].val_loss, h1[e].val_loss, 1e-4);
        assert_float_equal(h0[e].f1, h1[e].f1, 1e-12);
        assert_float_equal(h0[e].val_f1, h1[e].val_f1, 1e-12);
    }
    assert_memory_equal(nn_run_confusion(runs[0], true, &c), nn_run_confusion(runs[1], true, &c),
                        9 * sizeof(int64_t));
    assert_int_equal(nn_run_best_epoch(runs[1]), 1);
    /* both restored epoch 1: weights and batch-norm statistics */
    const float *p0 = nn_module_params(twin), *p1 = nn_module_params(inner);
    for (int64_t i = 0; i < nn_module_nparams(twin); i++) assert_float_equal(p0[i], p1[i], 1e-4);
    nn_module *k0[4], *k1[4];
    nn_module_children(twin, k0, 4);
    nn_module_children(inner, k1, 4);
    for (int j = 0; j < 16; j++)
        assert_float_equal(nn_module_running(k0[1])[j], nn_module_running(k1[1])[j], 1e-4);
    for (int k = 0; k < 2; k++) {
        nn_run_free(runs[k]);
        nn_optim_free(os[k]);
        nn_module_free(ms[k]);
    }
    nn_module_free(inner);
    nn_dataset_free(tr);
    nn_dataset_free(va);
    nn_ctx_free(ctx);
}

/* A NaN loss puts the callback model's own tensors back at the safe point. */
static void test_callback_model_nan_puts_weights_back(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_PLANE, 100, 0, 0.0f);
    nn_module *inner = mlp(ctx, 2, 8, 1, 1, NN_ACT_RELU);
    graph_model g;
    nn_module *cb = callback_of(ctx, &g, inner, 1);
    int64_t np = nn_module_nparams(inner);
    float w0[64];
    memcpy(w0, nn_module_params(inner), (size_t)np * sizeof(float));
    nn_optim_hp h = nn_optim_defaults(NN_OPT_SGD);
    h.lr = 1e6f;
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, h, np);
    nn_fit_opts fo = {.loss = NN_LOSS_MSE, .epochs = 50, .batch = 10};
    nn_run *r = nn_run_new(ctx, cb, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_FAILED);
    assert_non_null(strstr(nn_run_message(r), "learning rate (1e+06) may be too high"));
    assert_memory_equal(nn_module_params(inner), w0, (size_t)np * sizeof(float));
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(cb);
    nn_module_free(inner);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* A forward that fails (or gives the wrong shape) fails the step with its reason. */
static nn_tensor *failing_forward(void *user, nn_tensor *x, char *err, size_t errlen) {
    (void)user, (void)x;
    snprintf(err, errlen, "boom in the forward");
    return NULL;
}

static void test_callback_model_forward_errors_named(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_synth(ctx, NN_SYN_PLANE, 20, 0, 0.0f);
    nn_tensor *w = nn_ones(ctx, 1, (int[]){1});
    nn_requires_grad(w, true);
    nn_callback_fns fns = {failing_forward, NULL, NULL};
    nn_module *cb = nn_callback_new(ctx, &fns, NULL, &w, 1, NULL, 0, 1);
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, nn_optim_defaults(NN_OPT_SGD), 1);
    nn_fit_opts fo = {.loss = NN_LOSS_MSE, .epochs = 1, .batch = 10};
    nn_run *r = nn_run_new(ctx, cb, o, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_FAILED);
    assert_string_equal(nn_run_message(r), "step 1: boom in the forward");
    nn_run_free(r);
    graph_model g;
    nn_module *inner = mlp(ctx, 2, 4, 1, 2, NN_ACT_TANH); /* gives 2 columns, said 1 */
    nn_module *bad = callback_of(ctx, &g, inner, 1);
    nn_optim *o2 =
        nn_optim_new(ctx, NN_OPT_SGD, nn_optim_defaults(NN_OPT_SGD), nn_module_nparams(bad));
    r = nn_run_new(ctx, bad, o2, d, NULL, &fo);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_FAILED);
    assert_string_equal(nn_run_message(r), "step 1: the model's forward gave [10,2] for a batch "
                                           "of 10 rows; expected [10,1]");
    nn_run_free(r);
    nn_optim_free(o2);
    assert_null(nn_callback_new(ctx, &fns, NULL, &w, 1, NULL, 0, 0));
    assert_non_null(strstr(nn_error(ctx), "out 0"));
    nn_optim_free(o);
    nn_module_free(bad);
    nn_module_free(inner);
    nn_module_free(cb);
    nn_tensor_free(w);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xor_learned_to_100_percent),
        cmocka_unit_test(test_spiral_reaches_95_percent),
        cmocka_unit_test(test_early_stopping_restores_best_epoch),
        cmocka_unit_test(test_early_stopping_restores_batchnorm_stats),
        cmocka_unit_test(test_nan_run_stopped_with_message),
        cmocka_unit_test(test_nonfinite_data_named_before_the_run),
        cmocka_unit_test(test_diverging_loss_fails_naming_lr),
        cmocka_unit_test(test_nan_run_puts_back_the_epochs_start),
        cmocka_unit_test(test_time_slices_callbacks_no_allocation),
        cmocka_unit_test(test_penalty_in_reported_loss),
        cmocka_unit_test(test_rejects_mismatched_data),
        cmocka_unit_test(test_lr_range_test),
        cmocka_unit_test(test_run_trains_in_training_mode_and_restores_mode),
        cmocka_unit_test(test_lr_range_test_restores_optimizer_and_batchnorm),
        cmocka_unit_test(test_every_ms_callbacks_follow_the_clock),
        cmocka_unit_test(test_many_separate_trainable_parts_train),
        cmocka_unit_test(test_mlp_same_bits_on_one_thread_or_two),
        cmocka_unit_test(test_lr_steps_applied_each_step),
        cmocka_unit_test(test_epoch_metrics_and_confusion),
        cmocka_unit_test(test_callback_model_trains_as_its_builtin_twin),
        cmocka_unit_test(test_callback_model_nan_puts_weights_back),
        cmocka_unit_test(test_callback_model_forward_errors_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
