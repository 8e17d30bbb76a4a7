/* sgemm_floor.c: the physical floor of one training epoch of the Fashion-MNIST MLP
 * (784-256-128-10, batch 64, 60000 images: 938 steps, the last of 32 rows): the time
 * cblas_sgemm alone takes for the epoch's matrix products, at the shapes training
 * uses, on this machine now. Per step and layer (in -> out, batch b):
 *   forward   Y[b,out]   = X[b,in] W[in,out]
 *   backward  dW[in,out] = X^T dY       and, except the first layer,
 *             dX[b,in]   = dY W^T
 * so 2 b in out flops each: 3 products a layer, 2 for the first. The rest of a step
 * (bias, ReLU, softmax, Adam) is memory-bound and left out: the floor is what no
 * implementation on BLAS can beat. Prints "sgemm mlp_floor_s S" and "sgemm gflops G"
 * (the rate the products reached), the best of ROUNDS epochs.
 * Usage: sgemm_floor [rounds, default 3]; OPENBLAS_NUM_THREADS sets the threads. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

enum { NLAYERS = 3, BATCH = 64, IMAGES = 60000 };
static const int widths[NLAYERS + 1] = {784, 256, 128, 10};

static float *filled(size_t n) {
    float *p = malloc(n * sizeof *p);
    if (!p) {
        fprintf(stderr, "sgemm_floor: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) p[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
    return p;
}

/* The products of one training step of b rows; returns its flops. */
static double step(int b, float *const *act, float *const *w, float *const *grad,
                   float *const *dw) {
    double flops = 0;
    for (int l = 0; l < NLAYERS; l++) { /* forward */
        int in = widths[l], out = widths[l + 1];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, b, out, in, 1.0f, act[l], in, w[l],
                    out, 0.0f, act[l + 1], out);
        flops += 2.0 * b * in * out;
    }
    for (int l = NLAYERS - 1; l >= 0; l--) { /* backward */
        int in = widths[l], out = widths[l + 1];
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, b, 1.0f, act[l], in,
                    grad[l + 1], out, 0.0f, dw[l], out);
        flops += 2.0 * b * in * out;
        if (l > 0) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b, in, out, 1.0f, grad[l + 1], out,
                        w[l], out, 0.0f, grad[l], in);
            flops += 2.0 * b * in * out;
        }
    }
    return flops;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    if (rounds < 1) {
        fprintf(stderr, "usage: sgemm_floor [rounds >= 1]\n");
        return 2;
    }
    float *act[NLAYERS + 1], *grad[NLAYERS + 1], *w[NLAYERS], *dw[NLAYERS];
    for (int l = 0; l <= NLAYERS; l++) {
        act[l] = filled((size_t)BATCH * widths[l]);
        grad[l] = filled((size_t)BATCH * widths[l]);
    }
    for (int l = 0; l < NLAYERS; l++) {
        w[l] = filled((size_t)widths[l] * widths[l + 1]);
        dw[l] = filled((size_t)widths[l] * widths[l + 1]);
    }
    for (int i = 0; i < 100; i++) step(BATCH, act, w, grad, dw); /* warm-up, as bench_train */
    double best = 1e30, flops = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        flops = 0;
        for (int done = 0; done < IMAGES; done += BATCH)
            flops += step(IMAGES - done < BATCH ? IMAGES - done : BATCH, act, w, grad, dw);
        double t = now() - t0;
        if (t < best) best = t;
    }
    printf("sgemm mlp_floor_s %.4f\n", best);
    printf("sgemm gflops %.2f\n", flops / best / 1e9);
    printf("# sgemm_floor: %.2f GFLOP an epoch, best of %d epochs\n", flops / 1e9, rounds);
    for (int l = 0; l <= NLAYERS; l++) free(act[l]), free(grad[l]);
    for (int l = 0; l < NLAYERS; l++) free(w[l]), free(dw[l]);
    return 0;
}
