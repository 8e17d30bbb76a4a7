/* Tests of backend_cpu.c and of the dispatch through the backend table: memory entries
 * (aligned alloc, upload/download), the training kernels (PReLU slopes, dropout's mask
 * from the context's generator, the linear layer's small-matrix loops against its
 * sgemm path and its two halves on one thread or two, the loss's backward), and that the ops and
 * built-in modules that used to compute on host memory behind the table's back now call its
 * entries: a table that is the CPU one with each entry counted is put into the context. */
#include <cblas.h>

#include "internal.h"
#include "parallel.h"
#include "testutil.h"

/* ---- a counting copy of the CPU table ------------------------------------------ */

static struct {
    int alloc, free, upload, download, act, act_back, prelu, prelu_back, dropout, dropout_back,
        linear, linear_back, batchnorm, batchnorm_back, penalty_back, loss, loss_back;
} calls;

static void *count_alloc(size_t bytes) {
    calls.alloc++;
    return nn_backend_cpu.alloc(bytes);
}
static void count_free(void *p) {
    if (p) calls.free++;
    nn_backend_cpu.free(p);
}
static void count_upload(float *dst, const float *src, int64_t n) {
    calls.upload++;
    nn_backend_cpu.upload(dst, src, n);
}
static void count_download(float *dst, const float *src, int64_t n) {
    calls.download++;
    nn_backend_cpu.download(dst, src, n);
}
static void count_act(int kind, float a, const float *x, float *y, int64_t rows, int cols) {
    calls.act++;
    nn_backend_cpu.act(kind, a, x, y, rows, cols);
}
static void count_act_back(int kind, float a, const float *x, const float *y, const float *gy,
                           float *gx, int64_t rows, int cols) {
    calls.act_back++;
    nn_backend_cpu.act_back(kind, a, x, y, gy, gx, rows, cols);
}
static void count_prelu(const float *x, const float *alpha, int nalpha, float *y, int64_t rows,
                        int cols) {
    calls.prelu++;
    nn_backend_cpu.prelu(x, alpha, nalpha, y, rows, cols);
}
static void count_prelu_back(const float *x, const float *alpha, int nalpha, const float *gy,
                             float *gx, float *galpha, int64_t rows, int cols) {
    calls.prelu_back++;
    nn_backend_cpu.prelu_back(x, alpha, nalpha, gy, gx, galpha, rows, cols);
}
static void count_dropout(const float *x, float *mask, float *y, int64_t n, float keep,
                          uint64_t rng[4]) {
    calls.dropout++;
    nn_backend_cpu.dropout(x, mask, y, n, keep, rng);
}
static void count_dropout_back(const float *gy, const float *mask, float *gx, int64_t n,
                               bool assign) {
    calls.dropout_back++;
    nn_backend_cpu.dropout_back(gy, mask, gx, n, assign);
}
static void count_linear(const float *x, const float *w, const float *b, float *y, int B, int in,
                         int out) {
    calls.linear++;
    nn_backend_cpu.linear(x, w, b, y, B, in, out);
}
static void count_linear_back(const float *x, const float *w, const float *dy, float *dw, float *db,
                              float *dx, int B, int in, int out) {
    calls.linear_back++;
    nn_backend_cpu.linear_back(x, w, dy, dw, db, dx, B, in, out);
}
static void count_batchnorm(const float *x, const float *gamma, const float *beta, float *running,
                            float *xhat, float *rstd, float *y, int B, int F, bool training,
                            float momentum, float eps) {
    calls.batchnorm++;
    nn_backend_cpu.batchnorm(x, gamma, beta, running, xhat, rstd, y, B, F, training, momentum, eps);
}
static void count_batchnorm_back(const float *dy, const float *gamma, const float *xhat,
                                 const float *rstd, float *dgamma, float *dbeta, float *dx, int B,
                                 int F, bool training) {
    calls.batchnorm_back++;
    nn_backend_cpu.batchnorm_back(dy, gamma, xhat, rstd, dgamma, dbeta, dx, B, F, training);
}
static void count_penalty_back(const float *w, float *dw, int64_t n, float l1, float l2) {
    calls.penalty_back++;
    nn_backend_cpu.penalty_back(w, dw, n, l1, l2);
}
static int count_loss(struct nn_ctx *ctx, int kind, const float *y, int B, int k, const float *t,
                      int tcols, float delta, double *loss, float *dy) {
    calls.loss++;
    return nn_backend_cpu.loss(ctx, kind, y, B, k, t, tcols, delta, loss, dy);
}
static void count_loss_back(const float *d, const float *g, float *gy, int64_t n) {
    calls.loss_back++;
    nn_backend_cpu.loss_back(d, g, gy, n);
}

static nn_backend counting;

static int counting_setup(void **state) {
    counting = nn_backend_cpu;
    counting.name = "counting cpu";
    counting.alloc = count_alloc, counting.free = count_free;
    counting.upload = count_upload, counting.download = count_download;
    counting.act = count_act, counting.act_back = count_act_back;
    counting.prelu = count_prelu, counting.prelu_back = count_prelu_back;
    counting.dropout = count_dropout, counting.dropout_back = count_dropout_back;
    counting.linear = count_linear, counting.linear_back = count_linear_back;
    counting.batchnorm = count_batchnorm, counting.batchnorm_back = count_batchnorm_back;
    counting.penalty_back = count_penalty_back;
    counting.loss = count_loss, counting.loss_back = count_loss_back;
    memset(&calls, 0, sizeof calls);
    int rc = tu_setup(state);
    if (rc == 0) ((nn_ctx *)*state)->backend = &counting;
    return rc;
}

/* ---- memory --------------------------------------------------------------------- */

static void test_cpu_memory_is_aligned_and_round_trips(void **state) {
    (void)state;
    const nn_backend *be = &nn_backend_cpu;
    float *d = be->alloc(5 * sizeof(float));
    assert_non_null(d);
    assert_true((uintptr_t)d % NN_ALIGN == 0);
    const float host[5] = {1, -2, 3.5f, 0, 1e-30f};
    float back[5] = {0};
    be->upload(d, host, 5);
    be->download(back, d, 5);
    assert_memory_equal(back, host, sizeof host);
    be->free(d);
    be->free(NULL);
}

/* A heap tensor's data comes from the backend and goes back to it; values are written
 * with upload and read with download (nn_get and nn_read say "copies from the
 * device"). */
static void test_tensors_get_memory_and_values_through_the_backend(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *t = nn_from_array(ctx, 2, TU_SHAPE(2, 2), TU_VALS(1, 2, 3, 4));
    assert_int_equal(calls.alloc, 1);
    assert_int_equal(calls.upload, 1);
    assert_float_equal(nn_get(t, 3), 4, 0);
    assert_int_equal(calls.download, 1);
    float out[4];
    assert_int_equal(nn_read(t, out), NN_OK);
    assert_int_equal(calls.download, 2);
    assert_float_equal(out[2], 3, 0);
    nn_tensor *r = nn_randn(ctx, 1, TU_SHAPE(600), 0, 1); /* made on the host, uploaded */
    assert_int_equal(calls.alloc, 2);
    assert_true(calls.upload >= 2);
    nn_tensor_free(r);
    nn_tensor_free(t);
    assert_int_equal(calls.free, 2);
    /* step results come from the arena, not from alloc */
    nn_tensor *a = nn_ones(ctx, 1, TU_SHAPE(4));
    int before = calls.alloc;
    nn_step_begin(ctx);
    assert_non_null(nn_add(ctx, a, a));
    nn_step_end(ctx);
    assert_int_equal(calls.alloc, before);
    nn_tensor_free(a);
}

/* ---- the ops that used to bypass the table ------------------------------------------ */

static void test_training_ops_dispatch_through_the_backend(void **state) {
    nn_ctx *ctx = *state;
    nn_tensor *x = nn_randn(ctx, 2, TU_SHAPE(4, 3), 0, 1);
    nn_tensor *alpha = nn_full(ctx, 1, TU_SHAPE(3), 0.2f);
    nn_tensor *t = nn_from_array(ctx, 2, TU_SHAPE(4, 1), TU_VALS(0, 2, 1, 1));
    nn_requires_grad(x, true), nn_requires_grad(alpha, true);
    nn_step_begin(ctx);
    nn_tensor *h = nn_activation(ctx, x, NN_ACT_TANH, 0);
    nn_tensor *p = nn_prelu(ctx, h, alpha);
    nn_tensor *d = nn_dropout(ctx, p, 0.5f, true);
    nn_tensor *l = nn_loss_graph(ctx, NN_LOSS_CE, d, t, 0);
    assert_non_null(l);
    assert_int_equal(nn_backward(ctx, l), NN_OK);
    nn_step_end(ctx);
    assert_int_equal(calls.act, 1);
    assert_int_equal(calls.act_back, 1);
    assert_int_equal(calls.prelu, 1);
    assert_int_equal(calls.prelu_back, 1);
    assert_int_equal(calls.dropout, 1);
    assert_int_equal(calls.dropout_back, 1);
    assert_true(calls.loss >= 1); /* the shape check validates targets through it too */
    assert_int_equal(calls.loss_back, 1);
    nn_tensor_free(x), nn_tensor_free(alpha), nn_tensor_free(t);
}

static void test_modules_dispatch_through_the_backend(void **state) {
    nn_ctx *ctx = *state;
    nn_init he = {NN_INIT_HE_NORMAL, 0, 0}, zero = {NN_INIT_ZEROS, 0, 0};
    nn_module *kids[] = {
        nn_linear_new(ctx, 3, 4, he, zero),    nn_activation_new(ctx, NN_ACT_RELU, 0),
        nn_prelu_new(ctx, 4, 0.25f),           nn_dropout_new(ctx, 0.3f),
        nn_batchnorm_new(ctx, 4, 0.1f, 1e-5f), nn_linear_new(ctx, 4, 2, he, zero)};
    nn_module *m = nn_sequential_new(ctx, kids, 6);
    for (int i = 0; i < 6; i++) nn_module_free(kids[i]);
    assert_non_null(m);
    nn_module_regularize(m, 0, 0.01f);
    float x[6] = {0.5f, -1, 2, 1, 0.25f, -0.5f}, dy[4] = {1, -1, 0.5f, 2}, dx[6];
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 2, (int[]){2, 3}, &y), NN_OK);
    assert_int_equal(nn_module_backward(m, x, dy, dx, 2), NN_OK);
    assert_int_equal(calls.linear, 2);
    assert_int_equal(calls.linear_back, 2);
    assert_int_equal(calls.act, 1);
    assert_int_equal(calls.act_back, 1);
    assert_int_equal(calls.prelu, 1);
    assert_int_equal(calls.prelu_back, 1);
    assert_int_equal(calls.dropout, 1);
    assert_int_equal(calls.dropout_back, 1);
    assert_int_equal(calls.batchnorm, 1);
    assert_int_equal(calls.batchnorm_back, 1);
    assert_int_equal(calls.penalty_back, 2); /* one per linear layer */
    nn_module_free(m);
}

/* ---- kernels ------------------------------------------------------------------------ */

/* The mask is the one nn_rand_uniform's numbers give, and the context's generator moves
 * on exactly as far. */
static void test_dropout_mask_draws_the_context_numbers(void **state) {
    nn_ctx *ctx = *state;
    enum { N = 64 };
    float x[N], mask[N], y[N], want[N];
    for (int i = 0; i < N; i++) x[i] = (float)i - 20;
    nn_seed(ctx, 99);
    for (int i = 0; i < N; i++) want[i] = nn_rand_uniform(ctx) < 0.75f ? 1 / 0.75f : 0;
    double next = nn_rand_uniform(ctx);
    nn_seed(ctx, 99);
    nn_backend_cpu.dropout(x, mask, y, N, 0.75f, ctx->rng);
    int kept = 0;
    for (int i = 0; i < N; i++) {
        assert_float_equal(mask[i], want[i], 0);
        assert_float_equal(y[i], x[i] * want[i], 0);
        kept += mask[i] != 0;
    }
    assert_true(kept > 0 && kept < N);
    assert_true(nn_rand_uniform(ctx) == next);
    float g[N], gx[N];
    for (int i = 0; i < N; i++) g[i] = 1, gx[i] = 1;
    nn_backend_cpu.dropout_back(g, mask, gx, N, false); /* adds */
    for (int i = 0; i < N; i++) assert_float_equal(gx[i], 1 + mask[i], 0);
    nn_backend_cpu.dropout_back(g, mask, gx, N, true); /* assigns */
    for (int i = 0; i < N; i++) assert_float_equal(gx[i], mask[i], 0);
}

/* y = x W + b and its gradients in double, to compare both paths of the kernel with. */
static void linear_reference(const float *x, const float *w, const float *b, const float *dy, int B,
                             int in, int out, double *y, double *dw, double *db, double *dx) {
    for (int r = 0; r < B; r++)
        for (int j = 0; j < out; j++) {
            double s = b[j];
            for (int k = 0; k < in; k++) s += (double)x[r * in + k] * w[k * out + j];
            y[r * out + j] = s;
        }
    for (int k = 0; k < in; k++)
        for (int j = 0; j < out; j++) {
            double s = 0;
            for (int r = 0; r < B; r++) s += (double)x[r * in + k] * dy[r * out + j];
            dw[k * out + j] = s;
        }
    for (int j = 0; j < out; j++) {
        double s = 0;
        for (int r = 0; r < B; r++) s += dy[r * out + j];
        db[j] = s;
    }
    for (int r = 0; r < B; r++)
        for (int k = 0; k < in; k++) {
            double s = 0;
            for (int j = 0; j < out; j++) s += (double)dy[r * out + j] * w[k * out + j];
            dx[r * in + k] = s;
        }
}

static double worst_rel(const float *got, const double *want, int64_t n) {
    double worst = 0;
    for (int64_t i = 0; i < n; i++)
        worst = fmax(worst, fabs(got[i] - want[i]) / (1 + fabs(want[i])));
    return worst;
}

/* 2x3x4 runs the small-matrix loops, 64x32x16 (32768 multiply-adds) OpenBLAS, 33x300x201
 * (about 2M) OpenBLAS in two halves. */
static void test_linear_small_loops_and_sgemm_agree_with_reference(void **state) {
    nn_ctx *ctx = *state;
    int sizes[3][3] = {{2, 3, 4}, {64, 32, 16}, {33, 300, 201}};
    for (int s = 0; s < 3; s++) {
        int B = sizes[s][0], in = sizes[s][1], out = sizes[s][2];
        int64_t nx = (int64_t)B * in, nw = (int64_t)in * out, ny = (int64_t)B * out;
        float *buf = calloc((size_t)(2 * nx + 2 * nw + 2 * out + 2 * ny), sizeof(float));
        double *ref = calloc((size_t)(ny + nw + out + nx), sizeof(double));
        float *x = buf, *w = x + nx, *b = w + nw, *dy = b + out, *y = dy + ny, *dw = y + ny,
              *db = dw + nw, *dx = db + out;
        for (int64_t i = 0; i < nx; i++) x[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        for (int64_t i = 0; i < nw; i++) w[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        for (int j = 0; j < out; j++) b[j] = (float)j / 4;
        for (int64_t i = 0; i < ny; i++) dy[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        double *ry = ref, *rdw = ry + ny, *rdb = rdw + nw, *rdx = rdb + out;
        linear_reference(x, w, b, dy, B, in, out, ry, rdw, rdb, rdx);
        nn_backend_cpu.linear(x, w, b, y, B, in, out);
        for (int64_t i = 0; i < nw; i++) dw[i] = 1; /* dW and db are added to */
        for (int j = 0; j < out; j++) db[j] = 1;
        for (int64_t i = 0; i < nx; i++) dx[i] = 99; /* dx is assigned */
        nn_backend_cpu.linear_back(x, w, dy, dw, db, dx, B, in, out);
        for (int64_t i = 0; i < nw; i++) rdw[i] += 1;
        for (int j = 0; j < out; j++) rdb[j] += 1;
        double e = fmax(fmax(worst_rel(y, ry, ny), worst_rel(dw, rdw, nw)),
                        fmax(worst_rel(db, rdb, out), worst_rel(dx, rdx, nx)));
        if (e > 1e-5) print_message("%dx%dx%d: relative error %g\n", B, in, out, e);
        assert_true(e <= 1e-5);
        nn_backend_cpu.linear_back(x, w, dy, NULL, NULL, NULL, B, in, out); /* nothing asked */
        free(buf), free(ref);
    }
}

/* The linear layer of one shape with its gradients asked as `ask` (bit 1 dW and db,
 * bit 2 dx), run on `threads` engine threads, OpenBLAS on as many: y, then dW and db
 * added to ones and dx. */
typedef struct linear_out {
    float *y, *dw, *db, *dx;
} linear_out;

static linear_out linear_run(const float *x, const float *w, const float *b, const float *dy, int B,
                             int in, int out, int ask, int threads) {
    linear_out r = {malloc(sizeof(float) * (size_t)B * out),
                    malloc(sizeof(float) * (size_t)in * out), malloc(sizeof(float) * (size_t)out),
                    malloc(sizeof(float) * (size_t)B * in)};
    for (int64_t i = 0; i < (int64_t)in * out; i++) r.dw[i] = 1;
    for (int j = 0; j < out; j++) r.db[j] = 1;
    for (int64_t i = 0; i < (int64_t)B * in; i++) r.dx[i] = 99;
    nn_par_set_threads(threads);
    openblas_set_num_threads(threads); /* the halves' own guard keeps it at one inside */
    nn_backend_cpu.linear(x, w, b, r.y, B, in, out);
    nn_backend_cpu.linear_back(x, w, dy, ask & 1 ? r.dw : NULL, ask & 1 ? r.db : NULL,
                               ask & 2 ? r.dx : NULL, B, in, out);
    assert_int_equal(openblas_get_num_threads(), threads); /* restored after each product */
    nn_par_set_threads(0);
    openblas_set_num_threads(1);
    return r;
}

static void linear_out_free(linear_out r) {
    free(r.y), free(r.dw), free(r.db), free(r.dx);
}

static double worst_rel_f(const float *got, const float *want, int64_t n) {
    double worst = 0;
    for (int64_t i = 0; i < n; i++)
        worst = fmax(worst, fabs((double)got[i] - want[i]) / (1 + fabs(want[i])));
    return worst;
}

/* The linear layer's products above the split size run as two fixed halves (columns of
 * y; rows of dW and columns of dx): the same bits on one thread or two, and the old
 * whole-matrix sgemm calls' values within float rounding, for the MLP benchmark's
 * layers (784-256, 256-128, batch 64) and odd sizes, with all gradients, dW alone (a
 * first layer: no dx) and dx alone (a frozen layer). LeNet's last batch of 40 through
 * 120-84 (403k multiply-adds) stays whole, OpenBLAS on one thread inside. */
static void test_linear_halves_same_bits_on_one_thread_or_two(void **state) {
    nn_ctx *ctx = *state;
    int sizes[4][3] = {{64, 784, 256}, {64, 256, 128}, {37, 301, 203}, {40, 120, 84}};
    for (int s = 0; s < 4; s++) {
        int B = sizes[s][0], in = sizes[s][1], out = sizes[s][2];
        int64_t nx = (int64_t)B * in, nw = (int64_t)in * out, ny = (int64_t)B * out;
        float *x = malloc(sizeof(float) * (size_t)nx), *w = malloc(sizeof(float) * (size_t)nw),
              *b = malloc(sizeof(float) * (size_t)out), *dy = malloc(sizeof(float) * (size_t)ny);
        for (int64_t i = 0; i < nx; i++) x[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        for (int64_t i = 0; i < nw; i++) w[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        for (int j = 0; j < out; j++) b[j] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        for (int64_t i = 0; i < ny; i++) dy[i] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        /* the old path: one sgemm a product over the whole matrices */
        float *oy = malloc(sizeof(float) * (size_t)ny), *odw = malloc(sizeof(float) * (size_t)nw),
              *odx = malloc(sizeof(float) * (size_t)nx);
        for (int r = 0; r < B; r++) memcpy(oy + (int64_t)r * out, b, sizeof(float) * (size_t)out);
        for (int64_t i = 0; i < nw; i++) odw[i] = 1;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, out, in, 1, x, in, w, out, 1, oy,
                    out);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, B, 1, x, in, dy, out, 1, odw,
                    out);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, in, out, 1, dy, out, w, out, 0, odx,
                    in);
        for (int ask = 1; ask <= 3; ask++) {
            linear_out one = linear_run(x, w, b, dy, B, in, out, ask, 1);
            linear_out two = linear_run(x, w, b, dy, B, in, out, ask, 2);
            assert_memory_equal(one.y, two.y, sizeof(float) * (size_t)ny);
            assert_memory_equal(one.dw, two.dw, sizeof(float) * (size_t)nw);
            assert_memory_equal(one.db, two.db, sizeof(float) * (size_t)out);
            assert_memory_equal(one.dx, two.dx, sizeof(float) * (size_t)nx);
            double e = worst_rel_f(one.y, oy, ny);
            if (ask & 1)
                e = fmax(e, worst_rel_f(one.dw, odw, nw));
            else
                for (int64_t i = 0; i < nw; i++) assert_true(one.dw[i] == 1); /* not asked */
            if (ask & 2)
                e = fmax(e, worst_rel_f(one.dx, odx, nx));
            else
                for (int64_t i = 0; i < nx; i++) assert_true(one.dx[i] == 99);
            if (e > 1e-6) print_message("%dx%dx%d ask %d: relative error %g\n", B, in, out, ask, e);
            assert_true(e <= 1e-6);
            linear_out_free(one), linear_out_free(two);
        }
        free(x), free(w), free(b), free(dy), free(oy), free(odw), free(odx);
    }
}

static void test_prelu_kernel_shared_and_per_feature_slopes(void **state) {
    (void)state;
    const float x[6] = {-1, 2, -3, 4, -5, -6}, gy[6] = {1, 1, 2, 2, 3, 3};
    const float per[3] = {0.1f, 0.2f, 0.3f}, shared[1] = {0.5f};
    float y[6], gx[6] = {0}, ga[3] = {0};
    nn_backend_cpu.prelu(x, per, 3, y, 2, 3);
    const float want_y[6] = {-0.1f, 2, -0.9f, 4, -1, -1.8f};
    for (int i = 0; i < 6; i++) assert_float_equal(y[i], want_y[i], 1e-7);
    nn_backend_cpu.prelu_back(x, per, 3, gy, gx, ga, 2, 3);
    const float want_gx[6] = {0.1f, 1, 0.6f, 2, 0.6f, 0.9f}, want_ga[3] = {-1, -15, -24};
    for (int i = 0; i < 6; i++) assert_float_equal(gx[i], want_gx[i], 1e-7);
    for (int j = 0; j < 3; j++) assert_float_equal(ga[j], want_ga[j], 1e-6);
    float g1[1] = {0};
    nn_backend_cpu.prelu_back(x, shared, 1, gy, NULL, g1, 2, 3);
    assert_float_equal(g1[0], -40, 1e-6);
}

static void test_loss_back_scales_the_saved_gradient(void **state) {
    (void)state;
    const float d[3] = {0.5f, -1, 2}, g[1] = {3};
    float gy[3] = {1, 1, 1};
    nn_backend_cpu.loss_back(d, g, gy, 3);
    assert_float_equal(gy[0], 2.5f, 0);
    assert_float_equal(gy[1], -2, 0);
    assert_float_equal(gy[2], 7, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_memory_is_aligned_and_round_trips),
        cmocka_unit_test_setup_teardown(test_tensors_get_memory_and_values_through_the_backend,
                                        counting_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_training_ops_dispatch_through_the_backend,
                                        counting_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_modules_dispatch_through_the_backend, counting_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_dropout_mask_draws_the_context_numbers, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_linear_small_loops_and_sgemm_agree_with_reference,
                                        tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_linear_halves_same_bits_on_one_thread_or_two, tu_setup,
                                        tu_teardown),
        cmocka_unit_test(test_prelu_kernel_shared_and_per_feature_slopes),
        cmocka_unit_test(test_loss_back_scales_the_saved_gradient),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
