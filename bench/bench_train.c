/* bench_train.c: the training loop of nnlab on the two workloads of issue 5, timed
 * the way m:fit runs them (nn_run over C modules, no Lua per step). PyTorch runs the
 * same workloads in bench/playground.py and bench/mlp.py: the same data, the same
 * initialisation (Xavier-uniform weights, zero biases), the same warm-up and the
 * best of the same number of rounds.
 *   playground  2-8-8-1 tanh, 500 points (circle, noise 0.1, seed 1; written to DATA
 *               as CSV when given, for playground.py to read), batch 10, SGD lr 0.03,
 *               BCE on the logit, shuffled each epoch: after WARMUP_STEPS steps, the
 *               best training steps per second of `rounds` rounds of `seconds` each;
 *   mlp         784-256-128-10 ReLU on Fashion-MNIST's 60000 training images (a
 *               generated stand-in of the same shape if the files are missing),
 *               batch 64, Adam lr 1e-3, cross-entropy: after WARMUP_STEPS steps of a
 *               throwaway model, the best of `rounds` epochs, each of a new model;
 *   adam        the mlp epoch's optimizer pass alone: 938 Adam steps (nn_optim_step,
 *               its finiteness check included) over the model's 235146 parameters,
 *               no forward or backward. The pass is bound by memory (it reads w, g,
 *               m and v and writes w, m and v: 28 bytes a parameter, 6.6 MB a step,
 *               more than a core's L2), so it is a floor of its own beside the
 *               sgemm floor (bench/sgemm_floor.c): the best of `rounds` epochs.
 * Prints one "nnlab <workload> <metric> <value>" line each, for bench/run.sh.
 * Usage: bench_train [playground|mlp|adam|all] [seconds, default 2] [rounds, default 3]
 *                    [DATA.csv] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn.h"

#define FASHION "/usr/share/datasets/fashion-mnist/"
/* Steps before timing starts, here and in playground.py and mlp.py: caches, the arena's blocks,
 * BLAS's threads and PyTorch's allocator all settle in the first steps. */
#define WARMUP_STEPS 100

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
        if (i + 2 < n) p[k++] = nn_activation_new(ctx, act, nn_act_default_arg(act));
    }
    nn_module *m = nn_sequential_new(ctx, p, k);
    for (int i = 0; i < k; i++) nn_module_free(p[i]);
    return m;
}

/* Writes the points as "x1,x2,label" lines under a header, for bench/playground.py. */
static int write_points(const nn_dataset *d, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "x1,x2,label\n");
    for (int i = 0; i < d->n; i++)
        fprintf(f, "%.9g,%.9g,%g\n", d->x[2 * i], d->x[2 * i + 1], d->y[i]);
    return fclose(f) != 0;
}

/* fit's callback every WARMUP_STEPS steps: the first one ends the warm-up run. */
static int end_warm_up(nn_run *r, bool epoch_end, void *user) {
    (void)r, (void)user;
    return !epoch_end;
}

/* Trains m with o for exactly WARMUP_STEPS steps in a run of its own (fo's loss,
 * batch and shuffling), as the Python side does before its clock starts. */
static int warm_up(nn_ctx *ctx, nn_module *m, nn_optim *o, const nn_dataset *d, nn_fit_opts fo) {
    fo.epochs = WARMUP_STEPS; /* enough: at least one step an epoch */
    fo.every_steps = WARMUP_STEPS;
    fo.callback = end_warm_up;
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    if (!r) {
        fprintf(stderr, "bench_train: %s\n", nn_error(ctx));
        return 1;
    }
    nn_run_for(r, 0);
    int rc = nn_run_step(r) != WARMUP_STEPS;
    if (rc) fprintf(stderr, "bench_train: the warm-up ran %lld steps\n", (long long)nn_run_step(r));
    nn_run_free(r);
    return rc;
}

static int playground(nn_ctx *ctx, double seconds, int rounds, const char *data_out) {
    nn_seed(ctx, 1);
    nn_dataset *d = nn_synth(ctx, NN_SYN_CIRCLE, 500, 0, 0.1f);
    if (data_out && write_points(d, data_out)) return 1;
    int sizes[4] = {2, 8, 8, 1};
    nn_module *m = mlp(ctx, sizes, 4, NN_ACT_TANH);
    nn_optim_hp hp = nn_optim_defaults(NN_OPT_SGD);
    hp.lr = 0.03f;
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, hp, nn_module_nparams(m));
    nn_fit_opts fo = {.loss = NN_LOSS_BCE, .epochs = 1000000, .batch = 10, .shuffle = true};
    if (warm_up(ctx, m, o, d, fo)) return 1;
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    if (!r) {
        fprintf(stderr, "bench_train: %s\n", nn_error(ctx));
        return 1;
    }
    double best = 0, best_t = 0;
    int64_t best_steps = 0;
    for (int round = 0; round < rounds; round++) {
        int64_t s0 = nn_run_step(r);
        double t0 = now();
        nn_run_for(r, seconds * 1e3);
        double t = now() - t0;
        int64_t steps = nn_run_step(r) - s0;
        if (steps / t > best) best = steps / t, best_t = t, best_steps = steps;
    }
    printf("nnlab playground steps_per_s %.0f\n", best);
    printf("# playground: best of %d rounds: %lld steps in %.2f s (%.2f us/step), last loss "
           "%.4f\n",
           rounds, (long long)best_steps, best_t, 1e6 * best_t / best_steps, nn_run_last_loss(r));
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
    { /* the warm-up, on a model thrown away */
        nn_module *m = mlp(ctx, sizes, 4, NN_ACT_RELU);
        nn_optim *o =
            nn_optim_new(ctx, NN_OPT_ADAM, nn_optim_defaults(NN_OPT_ADAM), nn_module_nparams(m));
        nn_fit_opts fo = {.loss = NN_LOSS_CE, .batch = 64, .shuffle = true};
        int rc = warm_up(ctx, m, o, d, fo);
        nn_optim_free(o);
        nn_module_free(m);
        if (rc) return 1;
    }
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
    printf("# mlp: %d images, best of %d epochs %.3f s (after %d warm-up steps), epoch loss "
           "%.4f, accuracy %.4f\n",
           d->n, rounds, best, WARMUP_STEPS, loss, acc);
    nn_dataset_free(d);
    return 0;
}

/* The MLP's parameter count: 784-256-128-10, weights and biases. */
#define MLP_PARAMS (784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10)
#define MLP_STEPS  938 /* 60000 images in batches of 64 */

static int adam_epoch(nn_ctx *ctx, int rounds) {
    nn_seed(ctx, 1);
    float *w = malloc(MLP_PARAMS * sizeof(float)), *g = malloc(MLP_PARAMS * sizeof(float));
    if (!w || !g) {
        free(w), free(g);
        fprintf(stderr, "bench_train: out of memory\n");
        return 1;
    }
    for (int i = 0; i < MLP_PARAMS; i++) { /* gradients of a trained net's size */
        w[i] = 0.1f * ((float)nn_rand_uniform(ctx) - 0.5f);
        g[i] = 2e-3f * ((float)nn_rand_uniform(ctx) - 0.5f);
    }
    double best = 1e30;
    for (int round = 0; round < rounds; round++) {
        nn_optim *o = nn_optim_new(ctx, NN_OPT_ADAM, nn_optim_defaults(NN_OPT_ADAM), MLP_PARAMS);
        if (!o) break;
        double t0 = now();
        for (int s = 0; s < MLP_STEPS; s++) nn_optim_step(o, w, g);
        double t = now() - t0;
        if (t < best) best = t;
        nn_optim_free(o);
    }
    free(w), free(g);
    if (best == 1e30) {
        fprintf(stderr, "bench_train: %s\n", nn_error(ctx));
        return 1;
    }
    printf("nnlab adam epoch_s %.3f\n", best);
    printf("# adam: %d steps over %d parameters alone, best of %d: %.3f s (%.2f ns a "
           "parameter a step)\n",
           MLP_STEPS, MLP_PARAMS, rounds, best, 1e9 * best / MLP_STEPS / MLP_PARAMS);
    return 0;
}

int main(int argc, char **argv) {
    const char *which = argc > 1 ? argv[1] : "all";
    double seconds = argc > 2 ? atof(argv[2]) : 2.0;
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    const char *data_out = argc > 4 ? argv[4] : NULL;
    if (rounds < 1 || !(seconds > 0)) {
        fprintf(stderr, "usage: bench_train [playground|mlp|adam|all] [seconds > 0] [rounds >= 1] "
                        "[DATA.csv]\n");
        return 2;
    }
    nn_ctx *ctx = nn_ctx_new();
    int rc = 0;
    if (!strcmp(which, "playground") || !strcmp(which, "all"))
        rc |= playground(ctx, seconds, rounds, data_out);
    if (!strcmp(which, "mlp") || !strcmp(which, "all")) rc |= mlp_epoch(ctx, rounds);
    if (!strcmp(which, "adam")) rc |= adam_epoch(ctx, rounds);
    nn_ctx_free(ctx);
    return rc;
}
