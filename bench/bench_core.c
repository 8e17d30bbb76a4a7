/* bench_core.c: the engine core against raw OpenBLAS, and one MLP training step.
 *
 *  1. matmul through the engine (nn_matmul inside a step, so the result comes from
 *     the arena as in training) against cblas_sgemm into a preallocated buffer, for
 *     square sizes 64..1024: GFLOP/s side by side and their ratio.
 *  2. a 784-256-128-10 ReLU MLP, batch 64, softmax cross-entropy composed from the
 *     core ops (log_softmax, mul by one-hot, sum, mean), forward + backward + SGD:
 *     time per step and steps per second.
 * Usage: bench_core [seconds per measurement, default 0.5] [wall|cpu, default wall]. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn.h"

/* Wall-clock time, or the process's CPU time (all threads) with the "cpu" argument:
 * on a machine shared with other work, CPU time with OPENBLAS_NUM_THREADS=1 leaves
 * out the time other processes held the core. */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now(void) {
    struct timespec ts;
    clock_gettime(bench_clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef void (*work_fn)(void *ud);

/* Seconds per call: repeats fn until `budget` seconds pass (after one warm-up call)
 * and takes the best of three such rounds, to damp noise from other processes. */
static double time_per_call(work_fn fn, void *ud, double budget) {
    fn(ud);
    double best = 1e30;
    for (int round = 0; round < 3; round++) {
        int calls = 0;
        double t0 = now(), t;
        do {
            fn(ud);
            calls++;
            t = now() - t0;
        } while (t < budget / 3);
        if (t / calls < best) best = t / calls;
    }
    return best;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define MAX_SAMPLES 100000

/* Median seconds per call of f and of g, timed one call each in turn until `budget`
 * seconds pass: on a busy machine both see the same moments, and the median ignores
 * the calls that another process interrupted. */
static void paired_medians(work_fn f, work_fn g, void *ud, double budget, double *tf, double *tg) {
    static double sf[MAX_SAMPLES], sg[MAX_SAMPLES];
    f(ud), g(ud); /* warm up caches and OpenBLAS's buffers */
    int n = 0;
    double start = now();
    while (n < MAX_SAMPLES && (n < 5 || now() - start < budget)) {
        double t0 = now();
        f(ud);
        double t1 = now();
        g(ud);
        double t2 = now();
        sf[n] = t1 - t0, sg[n] = t2 - t1, n++;
    }
    qsort(sf, (size_t)n, sizeof *sf, cmp_double);
    qsort(sg, (size_t)n, sizeof *sg, cmp_double);
    *tf = sf[n / 2], *tg = sg[n / 2];
}

/* ---- matmul ---------------------------------------------------------------------- */

typedef struct {
    nn_ctx *ctx;
    nn_tensor *a, *b;
    float *c;
    int n;
} mm_case;

static void engine_mm(void *ud) {
    mm_case *m = ud;
    nn_step_begin(m->ctx);
    nn_tensor *c = nn_matmul(m->ctx, m->a, m->b, false, false);
    if (!c) {
        fprintf(stderr, "matmul failed: %s\n", nn_error(m->ctx));
        exit(1);
    }
    nn_step_end(m->ctx);
}

static void raw_mm(void *ud) {
    mm_case *m = ud;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m->n, m->n, m->n, 1.0f, m->a->data, m->n,
                m->b->data, m->n, 0.0f, m->c, m->n);
}

static void bench_matmul(nn_ctx *ctx, double budget) {
    /* the engine's fixed cost per op (checks, arena tensor, dispatch) at 2x2 */
    mm_case t = {ctx, nn_ones(ctx, 2, (int[]){2, 2}), nn_ones(ctx, 2, (int[]){2, 2}),
                 malloc(sizeof(float) * 4), 2};
    double oe, orw;
    paired_medians(engine_mm, raw_mm, &t, budget / 4, &oe, &orw);
    printf("matmul 2x2: engine %.0f ns per call, sgemm %.0f ns: %.0f ns of engine overhead\n",
           oe * 1e9, orw * 1e9, (oe - orw) * 1e9);
    nn_tensor_free(t.a);
    nn_tensor_free(t.b);
    free(t.c);
    printf("matmul, square n x n (float32), medians of paired calls:\n");
    printf("%6s %14s %14s %8s\n", "n", "engine GFLOP/s", "sgemm GFLOP/s", "ratio");
    for (int n = 64; n <= 1024; n *= 2) {
        mm_case m = {ctx, nn_randn(ctx, 2, (int[]){n, n}, 0, 1),
                     nn_randn(ctx, 2, (int[]){n, n}, 0, 1), malloc(sizeof(float) * n * n), n};
        double flops = 2.0 * n * n * n;
        double te, tr;
        paired_medians(engine_mm, raw_mm, &m, budget, &te, &tr);
        printf("%6d %14.1f %14.1f %8.3f\n", n, flops / te * 1e-9, flops / tr * 1e-9, tr / te);
        nn_tensor_free(m.a);
        nn_tensor_free(m.b);
        free(m.c);
    }
}

/* ---- MLP step --------------------------------------------------------------------- */

enum { BATCH = 64, IN = 784, H1 = 256, H2 = 128, OUT = 10, NDATA = 1024 };

typedef struct {
    nn_ctx *ctx;
    nn_tensor *x, *y; /* NDATA examples and one-hot targets */
    nn_tensor *p[6];  /* w1 b1 w2 b2 w3 b3, wrapping one block */
    float *params;
    int step;
    float loss;
} mlp_case;

static const int mlp_shapes[6][2] = {{IN, H1}, {H1, 1}, {H1, H2}, {H2, 1}, {H2, OUT}, {OUT, 1}};

static nn_tensor *linear(nn_ctx *ctx, nn_tensor *x, nn_tensor *w, nn_tensor *b) {
    return nn_add(ctx, nn_matmul(ctx, x, w, false, false), b);
}

static void mlp_step(void *ud) {
    mlp_case *m = ud;
    nn_ctx *ctx = m->ctx;
    int start = (m->step++ * BATCH) % NDATA;
    nn_step_begin(ctx);
    nn_tensor *x = nn_slice_rows(ctx, m->x, start, BATCH);
    nn_tensor *y = nn_slice_rows(ctx, m->y, start, BATCH);
    nn_tensor *h = nn_relu(ctx, linear(ctx, x, m->p[0], m->p[1]));
    h = nn_relu(ctx, linear(ctx, h, m->p[2], m->p[3]));
    nn_tensor *z = linear(ctx, h, m->p[4], m->p[5]);
    /* cross-entropy = -mean over rows of sum(onehot * log_softmax(z)) */
    nn_tensor *ll = nn_sum(ctx, nn_mul(ctx, nn_log_softmax(ctx, z, -1), y), 1, false);
    nn_tensor *loss = nn_neg(ctx, nn_mean(ctx, ll, NN_ALL, false));
    if (!loss || nn_backward(ctx, loss) != NN_OK) {
        fprintf(stderr, "mlp step failed: %s\n", nn_error(ctx));
        exit(1);
    }
    for (int i = 0; i < 6; i++) { /* SGD, lr 0.05 */
        float *w = m->p[i]->data, *g = m->p[i]->grad->data;
        for (int64_t k = 0; k < m->p[i]->size; k++) w[k] -= 0.05f * g[k];
        nn_zero_grad(m->p[i]);
    }
    m->loss = loss->data[0];
    nn_step_end(ctx);
}

static void bench_mlp(nn_ctx *ctx, double budget) {
    mlp_case m = {.ctx = ctx};
    int64_t total = 0;
    for (int i = 0; i < 6; i++) total += (int64_t)mlp_shapes[i][0] * mlp_shapes[i][1];
    m.params = malloc(sizeof(float) * (size_t)total);
    float *at = m.params;
    for (int i = 0; i < 6; i++) {
        bool bias = i % 2 == 1;
        int shape[2] = {mlp_shapes[i][0], mlp_shapes[i][1]};
        m.p[i] = nn_wrap(ctx, bias ? 1 : 2, shape, at);
        double scale = bias ? 0.0 : 1.0 / sqrt((double)shape[0]); /* LeCun-style init */
        for (int64_t k = 0; k < m.p[i]->size; k++) at[k] = (float)(scale * nn_rand_normal(ctx));
        nn_requires_grad(m.p[i], true);
        at += m.p[i]->size;
    }
    m.x = nn_randn(ctx, 2, (int[]){NDATA, IN}, 0, 1);
    float *oh = calloc((size_t)NDATA * OUT, sizeof(float));
    for (int i = 0; i < NDATA; i++) oh[i * OUT + nn_rand_below(ctx, OUT)] = 1.0f;
    m.y = nn_from_array(ctx, 2, (int[]){NDATA, OUT}, oh);
    free(oh);
    uint64_t allocs0 = nn_heap_allocs(ctx);
    mlp_step(&m);
    float first = m.loss;
    allocs0 = nn_heap_allocs(ctx);
    double t = time_per_call(mlp_step, &m, budget);
    printf("\nMLP %d-%d-%d-%d ReLU, batch %d, softmax cross-entropy, forward+backward+SGD:\n", IN,
           H1, H2, OUT, BATCH);
    printf("  %.3f ms per step, %.0f steps/s (%d steps timed; loss %.3f -> %.3f; heap "
           "allocations after the first step: %llu)\n",
           t * 1e3, 1.0 / t, m.step, first, m.loss,
           (unsigned long long)(nn_heap_allocs(ctx) - allocs0));
    for (int i = 0; i < 6; i++) nn_tensor_free(m.p[i]);
    nn_tensor_free(m.x);
    nn_tensor_free(m.y);
    free(m.params);
}

int main(int argc, char **argv) {
    double budget = argc > 1 ? atof(argv[1]) : 0.5;
    bool cpu = argc > 2 && strcmp(argv[2], "cpu") == 0;
    if (!(budget > 0) || (argc > 2 && !cpu && strcmp(argv[2], "wall") != 0)) {
        fprintf(stderr, "usage: bench_core [seconds per measurement] [wall|cpu]\n");
        return 2;
    }
    if (cpu) bench_clock = CLOCK_PROCESS_CPUTIME_ID;
    printf("timing with %s\n", cpu ? "process CPU time" : "wall-clock time");
    nn_ctx *ctx = nn_ctx_new();
    if (!ctx) return 1;
    nn_seed(ctx, 1);
    bench_matmul(ctx, budget);
    bench_mlp(ctx, budget);
    nn_ctx_free(ctx);
    return 0;
}
