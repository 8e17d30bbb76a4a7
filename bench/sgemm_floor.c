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
 * With "lenet", the same for LeNet-5's epoch (see lenet_step): "sgemm lenet_floor_s S".
 * Usage: sgemm_floor [rounds, default 3] [mlp|lenet]; OPENBLAS_NUM_THREADS sets the threads. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* LeNet-5 (bench/lenet.sh): conv 6@5x5 pad 2 on 28x28, pool, conv 16@5x5 on 14x14,
 * pool, 400-120-84-10. A conv layer (C -> K maps of P positions, patch C*25) is, for a
 * batch of b as one im2col product over all b*P positions,
 *   forward   Y[K, bP]     = W[K, patch] col[patch, bP]
 *   backward  dW[K, patch] = dY col^T     and, except the first layer,
 *             dcol[patch, bP] = W^T dY
 * and the linear layers are as the mlp's (all three with dX: a conv lies below). */
enum { LENET_CONVS = 2, LENET_FCS = 3 };
static const int conv_k[LENET_CONVS] = {6, 16}, conv_patch[LENET_CONVS] = {25, 150},
                 conv_pos[LENET_CONVS] = {784, 100};
static const int fc_widths[LENET_FCS + 1] = {400, 120, 84, 10};

/* The buffers of lenet_step, each large enough for every layer; outputs are never read
 * back as inputs, so no value drifts towards overflow or denormals over an epoch. */
typedef struct lenet_bufs {
    float *x, *dy, *w, *y, *dw, *dx;
} lenet_bufs;

static double lenet_step(int b, const lenet_bufs *m) {
    double flops = 0;
    for (int l = 0; l < LENET_CONVS; l++) {
        int k = conv_k[l], p = conv_patch[l], n = b * conv_pos[l];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k, n, p, 1.0f, m->w, p, m->x, n,
                    0.0f, m->y, n);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, k, p, n, 1.0f, m->dy, n, m->x, n, 0.0f,
                    m->dw, p);
        flops += 2 * 2.0 * k * p * n;
        if (l > 0) {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, p, n, k, 1.0f, m->w, p, m->dy, n,
                        0.0f, m->dx, n);
            flops += 2.0 * k * p * n;
        }
    }
    for (int l = 0; l < LENET_FCS; l++) {
        int in = fc_widths[l], out = fc_widths[l + 1];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, b, out, in, 1.0f, m->x, in, m->w,
                    out, 0.0f, m->y, out);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, b, 1.0f, m->x, in, m->dy, out,
                    0.0f, m->dw, out);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b, in, out, 1.0f, m->dy, out, m->w,
                    out, 0.0f, m->dx, in);
        flops += 3 * 2.0 * b * in * out;
    }
    return flops;
}

/* The LeNet epoch's products at the sgemm rate of now. */
static int lenet_floor(int rounds) {
    size_t most = (size_t)BATCH * 784 * 25 > (size_t)BATCH * 100 * 150 ? (size_t)BATCH * 784 * 25
                                                                       : (size_t)BATCH * 100 * 150;
    size_t wmost = 400 * 120;
    lenet_bufs m = {filled(most), filled(most),  filled(wmost),
                    filled(most), filled(wmost), filled(most)};
    for (int i = 0; i < 100; i++) lenet_step(BATCH, &m);
    double best = 1e30, flops = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        flops = 0;
        for (int done = 0; done < IMAGES; done += BATCH)
            flops += lenet_step(IMAGES - done < BATCH ? IMAGES - done : BATCH, &m);
        double t = now() - t0;
        if (t < best) best = t;
    }
    printf("sgemm lenet_floor_s %.4f\n", best);
    printf("sgemm lenet_gflops %.2f\n", flops / best / 1e9);
    printf("# sgemm_floor lenet: %.2f GFLOP an epoch, best of %d epochs\n", flops / 1e9, rounds);
    free(m.x), free(m.dy), free(m.w), free(m.y), free(m.dw), free(m.dx);
    return 0;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    if (rounds < 1 || (argc > 2 && strcmp(argv[2], "mlp") && strcmp(argv[2], "lenet"))) {
        fprintf(stderr, "usage: sgemm_floor [rounds >= 1] [mlp|lenet]\n");
        return 2;
    }
    if (argc > 2 && !strcmp(argv[2], "lenet")) return lenet_floor(rounds);
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
