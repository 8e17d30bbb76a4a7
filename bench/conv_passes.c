/* conv_passes.c: LeNet-5's conv and pool passes one at a time, as a training step calls
 * them (batch 64), through the im2col + sgemm path and the direct kernels
 * (conv_direct.c), in one run: the per-pass figures of bench/lenet.sh's epoch.
 *   build/bench/conv_passes [REPS]   (default 300 batches a pass)
 * prints, per pass and path, the wall milliseconds of a batch and the seconds of an
 * epoch's 938 batches (CONV_PASSES_CPU=1: CPU seconds instead). OPENBLAS_NUM_THREADS
 * sets the threads of both paths. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "conv_cpu.h"

/* wall time; CONV_PASSES_CPU=1: the process's CPU time (all threads), which a loaded
 * machine inflates less */
static double now(void) {
    static int cpu = -1;
    if (cpu < 0) cpu = getenv("CONV_PASSES_CPU") && *getenv("CONV_PASSES_CPU") == '1';
    struct timespec t;
    clock_gettime(cpu ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static float *filled(int64_t n, float scale) {
    float *p = malloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++) p[i] = scale * (float)((i * 7919) % 211 - 105) / 105.0f;
    return p;
}

enum { PASS_FWD, PASS_DW, PASS_DX, PASS_POOL, PASS_POOL_BACK };

static double run(int pass, const nn_conv_geom *g, const nn_conv_geom *pg, int reps, float **buf) {
    double t0 = now();
    for (int r = 0; r < reps; r++) switch (pass) {
        case PASS_FWD:
            nn_cpu_conv2d(g, buf[0], buf[1], buf[2], true, buf[3], buf[7]);
            break;
        case PASS_DW:
            nn_cpu_conv2d_back(g, buf[0], buf[1], buf[3], buf[4], buf[5], buf[6], NULL, buf[7]);
            break;
        case PASS_DX:
            nn_cpu_conv2d_back(g, buf[0], buf[1], buf[3], buf[4], NULL, NULL, buf[8], buf[7]);
            break;
        case PASS_POOL:
            nn_cpu_pool2d(NN_POOL_MAX, pg, buf[3], buf[9], buf[10]);
            break;
        default:
            nn_cpu_pool2d_back(NN_POOL_MAX, pg, buf[9], buf[10], buf[4], true);
            break;
        }
    return (now() - t0) / reps;
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 300;
    if (reps < 1) reps = 1;
    const nn_conv_geom convs[2] = {{.B = 64,
                                    .C = 1,
                                    .H = 28,
                                    .W = 28,
                                    .K = 6,
                                    .OH = 28,
                                    .OW = 28,
                                    .kh = 5,
                                    .kw = 5,
                                    .sh = 1,
                                    .sw = 1,
                                    .dh = 1,
                                    .dw = 1,
                                    .pt = 2,
                                    .pl = 2,
                                    .groups = 1},
                                   {.B = 64,
                                    .C = 6,
                                    .H = 14,
                                    .W = 14,
                                    .K = 16,
                                    .OH = 10,
                                    .OW = 10,
                                    .kh = 5,
                                    .kw = 5,
                                    .sh = 1,
                                    .sw = 1,
                                    .dh = 1,
                                    .dw = 1,
                                    .groups = 1}};
    static const char *names[] = {"forward+bias+relu", "weight+bias grad", "input grad",
                                  "maxpool 2x2", "maxpool 2x2 back"};
    for (int l = 0; l < 2; l++) {
        const nn_conv_geom *g = &convs[l];
        nn_conv_geom pg = {.B = g->B,
                           .C = g->K,
                           .H = g->OH,
                           .W = g->OW,
                           .K = g->K,
                           .OH = g->OH / 2,
                           .OW = g->OW / 2,
                           .kh = 2,
                           .kw = 2,
                           .sh = 2,
                           .sw = 2,
                           .dh = 1,
                           .dw = 1,
                           .groups = g->K};
        int64_t nx = (int64_t)g->B * g->C * g->H * g->W, ny = (int64_t)g->B * g->K * g->OH * g->OW;
        int64_t nw = (int64_t)g->K * g->C * g->kh * g->kw;
        float *buf[11] = {filled(nx, 1.0f),    filled(nw, 0.2f),
                          filled(g->K, 0.1f),  filled(ny, 1.0f),
                          filled(ny, 0.01f),   filled(nw, 0.0f),
                          filled(g->K, 0.0f),  filled(nn_cpu_conv2d_scratch(g), 0.0f),
                          filled(nx, 0.0f),    filled(ny / 4, 0.0f),
                          filled(ny / 4, 0.0f)};
        for (int pass = PASS_FWD; pass <= PASS_POOL_BACK; pass++) {
            if (pass == PASS_DX && l == 0) continue; /* the data needs no gradient */
            double t[2];
            for (int direct = 0; direct < 2; direct++) {
                nn_cpu_conv_direct_enable(direct);
                nn_cpu_pool_rows_enable(direct);
                run(pass, g, &pg, reps / 10 + 1, buf); /* warm */
                t[direct] = run(pass, g, &pg, reps, buf);
            }
            printf("conv%d %-18s im2col/loop %7.3f ms  direct/rows %7.3f ms  (epoch %6.3f -> "
                   "%6.3f s, x%.1f)\n",
                   l + 1, names[pass], 1e3 * t[0], 1e3 * t[1], 938 * t[0], 938 * t[1], t[0] / t[1]);
        }
        for (int i = 0; i < 11; i++) free(buf[i]);
    }
    return 0;
}
