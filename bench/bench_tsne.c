/* bench_tsne.c: exact against Barnes-Hut t-SNE (nn_embed.h) on n points of 50 values
 * in 10 Gaussian clusters, for each n given (default 2000 5000): the seconds of each
 * (1000 iterations, perplexity 30, theta 0.5; wall clock and CPU time, the latter
 * the fairer on a shared machine), and the KL divergence of both maps under the exact
 * affinities, so that speed is not bought with a worse map.
 *   ./build/bench/bench_tsne [n ...] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nn.h"
#include "nn_embed.h"

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* cluster c = i % 10 centred 8 units along axis c, unit spread (a fixed LCG) */
static void clusters(float *x, int n, int d) {
    unsigned s = 5;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < d; j++) {
            double g = 0;
            for (int k = 0; k < 12; k++) s = s * 1664525u + 1013904223u, g += (s >> 8) / 16777216.0;
            x[(size_t)i * d + j] = (float)(g - 6 + (j == i % 10 ? 8 : 0));
        }
}

/* Maps x with the method, prints its time and KL; -1 on failure. */
static int one(nn_ctx *ctx, const float *x, int n, int d, int method, const char *name) {
    float *y = malloc(sizeof *y * 2 * (size_t)n), *g = malloc(sizeof *g * 2 * (size_t)n);
    nn_tsne_opts o = {.perplexity = 30, .iterations = 1000, .seed = 1, .method = method};
    double t0 = seconds(), kl = 0;
    clock_t c0 = clock();
    int rc = y && g ? nn_tsne(ctx, x, n, d, &o, y) : NN_ENOMEM;
    double t = seconds() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    o.method = NN_TSNE_EXACT;
    if (rc == NN_OK) rc = nn_tsne_gradient(ctx, x, n, d, &o, y, g, &kl);
    if (rc == NN_OK)
        printf("n %5d  %-10s %7.2f s (%.2f s of CPU)  KL %.4f\n", n, name, t, cpu, kl);
    else
        printf("n %5d  %-10s failed: %s\n", n, name, nn_error(ctx));
    free(y), free(g);
    return rc == NN_OK ? 0 : -1;
}

int main(int argc, char **argv) {
    int sizes[16] = {2000, 5000}, count = 2;
    if (argc > 1) {
        count = 0;
        for (int a = 1; a < argc && count < 16; a++) sizes[count++] = atoi(argv[a]);
    }
    nn_ctx *ctx = nn_ctx_new();
    int bad = 0;
    for (int c = 0; c < count; c++) {
        int n = sizes[c], d = 50;
        float *x = malloc(sizeof *x * (size_t)n * d);
        if (!x) return 1;
        clusters(x, n, d);
        bad |= one(ctx, x, n, d, NN_TSNE_EXACT, "exact");
        bad |= one(ctx, x, n, d, NN_TSNE_BARNES_HUT, "Barnes-Hut");
        free(x);
    }
    nn_ctx_free(ctx);
    return bad ? 1 : 0;
}
