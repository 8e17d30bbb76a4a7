/* bench_train.c: the training loop of nnlab on the two workloads of issue 5, timed
 * the way m:fit runs them (nn_run over C modules, no Lua per step):
 *   playground  2-8-8-1 tanh, 500 points (circle), batch 10, SGD lr 0.03, BCE on the
 *               logit: training steps per second over about `seconds` seconds;
 *   mlp         784-256-128-10 ReLU on Fashion-MNIST's 60000 training images (a
 *               generated stand-in of the same shape if the files are missing),
 *               batch 64, Adam lr 1e-3, cross-entropy: seconds for one epoch (best
 *               of `rounds`).
 * Prints one "nnlab <workload> <metric> <value>" line each, for bench/run.sh.
 * Usage: bench_train [playground|mlp|all] [seconds, default 2] [rounds, default 3] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn.h"

#define FASHION "/usr/share/datasets/fashion-mnist/"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static nn_module *mlp(nn_ctx *ctx, const int *sizes, int n, nn_act_kind act) {
    nn_module *p[16];
    int k = 0;
    nn_init w = {NN_INIT_XAVIER_UNIFORM, 0, 0}, b = {NN_INIT_ZEROS, 0, 0};
    for (int i = 0; i + 1 < n; i++) {
        p[k++] = nn_linear_new(ctx, sizes[i], sizes[i + 1], w, b);
        if (i + 2 < n) p[k++] = nn_activation_new(ctx, act, 0);
    }
    nn_module *m = nn_sequential_new(ctx, p, k);
    for (int i = 0; i < k; i++) nn_module_free(p[i]);
    return m;
}

static int playground(nn_ctx *ctx, double seconds) {
    nn_seed(ctx, 1);
    nn_dataset *d = nn_synth(ctx, NN_SYN_CIRCLE, 500, 0, 0.1f);
    int sizes[4] = {2, 8, 8, 1};
    nn_module *m = mlp(ctx, sizes, 4, NN_ACT_TANH);
    nn_optim_hp hp = nn_optim_defaults(NN_OPT_SGD);
    hp.lr = 0.03f;
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, hp, nn_module_nparams(m));
    nn_fit_opts fo = {.loss = NN_LOSS_BCE, .epochs = 1000000, .batch = 10, .shuffle = true};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    if (!r) {
        fprintf(stderr, "bench_train: %s\n", nn_error(ctx));
        return 1;
    }
    nn_run_for(r, 200); /* warm-up */
    int64_t s0 = nn_run_step(r);
    double t0 = now();
    nn_run_for(r, seconds * 1e3);
    double t = now() - t0;
    int64_t steps = nn_run_step(r) - s0;
    printf("nnlab playground steps_per_s %.0f\n", steps / t);
    printf("# playground: %lld steps in %.2f s (%.2f us/step), last loss %.4f\n", (long long)steps,
           t, 1e6 * t / steps, nn_run_last_loss(r));
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    return 0;
}

static int mlp_epoch(nn_ctx *ctx, int rounds) {
    nn_seed(ctx, 1);
    nn_dataset *d = nn_idx_load(ctx, FASHION "train-images-idx3-ubyte.gz",
                                FASHION "train-labels-idx1-ubyte.gz", 0);
    if (!d) { /* a stand-in of the same shape */
        fprintf(stderr, "# %s: using generated data\n", nn_error(ctx));
        d = nn_dataset_new(ctx, 60000, 784, 1, 10);
        for (int64_t i = 0; i < 60000LL * 784; i++) d->x[i] = (float)nn_rand_uniform(ctx);
        for (int i = 0; i < 60000; i++) d->y[i] = (float)nn_rand_below(ctx, 10);
    }
    int sizes[4] = {784, 256, 128, 10};
    double best = 1e30, acc = 0, loss = 0;
    for (int round = 0; round < rounds; round++) {
        nn_module *m = mlp(ctx, sizes, 4, NN_ACT_RELU);
        nn_optim *o =
            nn_optim_new(ctx, NN_OPT_ADAM, nn_optim_defaults(NN_OPT_ADAM), nn_module_nparams(m));
        nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 1, .batch = 64, .shuffle = true};
        nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
        double t0 = now();
        nn_run_for(r, 0);
        double t = now() - t0;
        if (t < best) best = t;
        int n;
        const nn_epoch_rec *h = nn_run_history(r, &n);
        loss = h[0].loss, acc = h[0].acc;
        nn_run_free(r);
        nn_optim_free(o);
        nn_module_free(m);
    }
    printf("nnlab mlp epoch_s %.3f\n", best);
    printf("# mlp: %d images, best of %d epochs %.3f s, epoch loss %.4f, accuracy %.4f\n", d->n,
           rounds, best, loss, acc);
    nn_dataset_free(d);
    return 0;
}

int main(int argc, char **argv) {
    const char *which = argc > 1 ? argv[1] : "all";
    double seconds = argc > 2 ? atof(argv[2]) : 2.0;
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    nn_ctx *ctx = nn_ctx_new();
    int rc = 0;
    if (!strcmp(which, "playground") || !strcmp(which, "all")) rc |= playground(ctx, seconds);
    if (!strcmp(which, "mlp") || !strcmp(which, "all")) rc |= mlp_epoch(ctx, rounds);
    nn_ctx_free(ctx);
    return rc;
}
