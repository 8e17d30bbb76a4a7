/* test_mod_conv2d.c: the conv2d and pooling layers (mod_conv2d.c, mod_pool2d.c,
 * op_conv.c, the backend's kernels): the course's worked grids TV-01 to TV-04 as
 * cross-correlation, the output-size arithmetic of TV-05 and the parameter counts of
 * TV-06, refusals naming the shapes, the modules' backward passes against finite
 * differences and the graph's (autograd ops) against gradcheck over strides,
 * paddings, dilations and groups, the model file, and a small CNN that trains with
 * the loss falling and a steady-state epoch that allocates nothing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gradcheck.h"
#include "module_internal.h"

#define FD_H   1e-2
#define FD_TOL 1e-2 /* |kernel - numeric| / max(1, |numeric|) */

static nn_module *conv(nn_ctx *ctx, int in, int out, nn_window w, int groups, bool bias) {
    nn_module *m = nn_conv2d_new(ctx, in, out, &w, groups, bias, gc_init(NN_INIT_HE_UNIFORM),
                                 gc_init(NN_INIT_ZEROS));
    assert_non_null(m);
    return m;
}

static void assert_grid(const float *y, const float *want, int n) {
    for (int i = 0; i < n; i++) {
        if (fabsf(y[i] - want[i]) > 1e-5f)
            fprintf(stderr, "at %d: %g, want %g\n", i, y[i], want[i]);
        assert_true(fabsf(y[i] - want[i]) <= 1e-5f);
    }
}

/* TV-01: the 6x6 step image and the vertical-edge kernel give columns 0 30 30 0 */
static void test_tv01_vertical_edge(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = conv(ctx, 1, 1, gc_window(3, 1, 0, 1), 1, false);
    float k[9] = {1, 0, -1, 1, 0, -1, 1, 0, -1};
    memcpy(nn_module_params(m), k, sizeof k);
    float x[36];
    for (int i = 0; i < 36; i++) x[i] = i % 6 < 3 ? 10.0f : 0.0f;
    int shape[4] = {1, 1, 6, 6}, out[4];
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    assert_int_equal(nn_module_out_shape(m, 4, shape, out), 4);
    assert_int_equal(out[2], 4);
    assert_int_equal(out[3], 4);
    float want[16];
    for (int i = 0; i < 16; i++) want[i] = i % 4 == 1 || i % 4 == 2 ? 30.0f : 0.0f;
    assert_grid(y, want, 16);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

/* TV-02: [[0,1,2],[3,4,5],[6,7,8]] padded by 1 with the 2x2 kernel [[0,1],[2,3]] */
static void test_tv02_zero_padding(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = conv(ctx, 1, 1, gc_window(2, 1, 1, 1), 1, true);
    float k[5] = {0, 1, 2, 3, 0}; /* the kernel, then a bias of 0 */
    memcpy(nn_module_params(m), k, sizeof k);
    float x[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    int shape[4] = {1, 1, 3, 3};
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    float want[16] = {0, 3, 8, 4, 9, 19, 25, 10, 21, 37, 43, 16, 6, 7, 8, 0};
    assert_grid(y, want, 16);
    /* the bias adds to every position */
    nn_module_params(m)[4] = 0.5f;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    assert_true(fabsf(y[5] - 19.5f) < 1e-5f);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static const float *pool(nn_module *m, const float *x, int h, int w) {
    int shape[4] = {1, 1, h, w};
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    return y;
}

/* TV-03 and TV-04: 2x2 windows, stride 2; the global average of the TV-04 grid */
static void test_tv03_tv04_pooling(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_window w = gc_window(2, 2, 0, 1);
    nn_module *mx = nn_pool2d_new(ctx, NN_POOL2D_MAX, &w);
    nn_module *av = nn_pool2d_new(ctx, NN_POOL2D_AVG, &w);
    nn_module *gl = nn_pool2d_new(ctx, NN_POOL2D_GLOBAL_AVG, NULL);
    float tv03[16] = {1, 2, 2, 3, 4, 6, 6, 8, 3, 1, 1, 0, 1, 2, 2, 4};
    float want03[4] = {6, 8, 3, 4};
    assert_grid(pool(mx, tv03, 4, 4), want03, 4);
    float tv04[16] = {4, 3, 1, 5, 1, 3, 4, 8, 4, 5, 4, 3, 6, 5, 9, 4};
    float avg[4] = {2.75f, 4.5f, 5.0f, 5.0f}, max[4] = {4, 8, 6, 9};
    assert_grid(pool(av, tv04, 4, 4), avg, 4);
    assert_grid(pool(mx, tv04, 4, 4), max, 4);
    float mean = 69.0f / 16.0f;
    assert_grid(pool(gl, tv04, 4, 4), &mean, 1);
    int shape[4] = {3, 5, 7, 7}, out[4];
    assert_int_equal(nn_module_out_shape(gl, 4, shape, out), 2);
    assert_int_equal(out[1], 5);
    assert_string_equal(nn_module_name(mx), "maxpool2d");
    assert_string_equal(nn_module_name(gl), "global_avgpool");
    nn_module_free(mx);
    nn_module_free(av);
    nn_module_free(gl);
    nn_ctx_free(ctx);
}

static void out_hw(nn_module *m, int c, int h, int w, int *oh, int *ow) {
    int shape[4] = {2, c, h, w}, out[4];
    assert_int_equal(nn_module_out_shape(m, 4, shape, out), 4);
    *oh = out[2], *ow = out[3];
}

/* TV-05: floor((n + 2P - d(f-1) - 1)/S) + 1, "same", and the LeNet chain */
static void test_tv05_output_sizes(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    struct {
        int n, k, s, p, d, want;
    } cases[] = {{8, 3, 1, 0, 1, 6}, {6, 3, 1, 0, 1, 4}, {3, 2, 1, 1, 1, 4}, {5, 3, 2, 0, 1, 2},
                 {7, 3, 2, 0, 1, 3}, {7, 3, 1, 1, 1, 7}, {7, 3, 1, 0, 2, 3}, {32, 5, 1, 0, 1, 28}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_module *m =
            conv(ctx, 1, 1, gc_window(cases[i].k, cases[i].s, cases[i].p, cases[i].d), 1, true);
        int oh, ow;
        out_hw(m, 1, cases[i].n, cases[i].n, &oh, &ow);
        assert_int_equal(oh, cases[i].want);
        assert_int_equal(ow, cases[i].want);
        nn_module_free(m);
    }
    /* same: ceil(n / s) whatever the kernel, with dilation too */
    nn_window same = gc_window(4, 2, 0, 2);
    same.same = true;
    nn_module *m = conv(ctx, 3, 2, same, 1, true);
    int oh, ow;
    out_hw(m, 3, 9, 10, &oh, &ow);
    assert_int_equal(oh, 5);
    assert_int_equal(ow, 5);
    nn_module_free(m);
    /* LeNet: 32 -> 28 -> 14 -> 10 -> 5 */
    nn_window p2 = gc_window(2, 2, 0, 1);
    nn_module *c1 = conv(ctx, 1, 6, gc_window(5, 1, 0, 1), 1, true),
              *c3 = conv(ctx, 6, 16, gc_window(5, 1, 0, 1), 1, true);
    nn_module *s2 = nn_pool2d_new(ctx, NN_POOL2D_AVG, &p2);
    out_hw(c1, 1, 32, 32, &oh, &ow);
    assert_int_equal(oh, 28);
    out_hw(s2, 6, 28, 28, &oh, &ow);
    assert_int_equal(oh, 14);
    out_hw(c3, 6, 14, 14, &oh, &ow);
    assert_int_equal(oh, 10);
    out_hw(s2, 16, 10, 10, &oh, &ow);
    assert_int_equal(oh, 5);
    nn_module_free(c1);
    nn_module_free(c3);
    nn_module_free(s2);
    nn_ctx_free(ctx);
}

/* TV-06: LeNet-5's C5 as a conv of 16 maps 5x5 to 120 is (400 x 120) + 120; C1 6 (25 + 1);
 * a dilated 3x3 kernel keeps 9 weights; groups divide the weights */
static void test_tv06_parameter_counts(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *c5 = conv(ctx, 16, 120, gc_window(5, 1, 0, 1), 1, true);
    assert_int_equal(nn_module_nparams(c5), 48120);
    int shape[4] = {2, 16, 5, 5}, out[4];
    assert_int_equal(nn_module_out_shape(c5, 4, shape, out), 4);
    assert_int_equal(out[1] * out[2] * out[3], 120);
    nn_module *f6 = nn_linear_new(ctx, 120, 84, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS));
    assert_int_equal(nn_module_nparams(f6), 10164);
    nn_module *c1 = conv(ctx, 1, 6, gc_window(5, 1, 0, 1), 1, true);
    assert_int_equal(nn_module_nparams(c1), 156);
    nn_module *dil = conv(ctx, 1, 1, gc_window(3, 1, 0, 2), 1, false);
    assert_int_equal(nn_module_nparams(dil), 9);
    nn_module *dw = conv(ctx, 8, 16, gc_window(3, 1, 1, 1), 8, true); /* 16 kernels of 1x3x3 */
    assert_int_equal(nn_module_nparams(dw), 16 * 9 + 16);
    nn_module *ms[] = {c5, f6, c1, dil, dw};
    for (int i = 0; i < 5; i++) nn_module_free(ms[i]);
    nn_ctx_free(ctx);
}

static void test_refusals_name_the_shapes(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = conv(ctx, 3, 4, gc_window(5, 1, 0, 1), 1, true);
    float x[2 * 784] = {0};
    const float *y;
    int flat[2] = {2, 784};
    assert_int_equal(nn_module_forward(m, x, 2, flat, &y), NN_ESHAPE);
    assert_non_null(strstr(nn_error(ctx), "conv2d expects [batch, 3, H, W], got [batch, 784]"));
    int gray[4] = {2, 1, 28, 28};
    assert_int_equal(nn_module_forward(m, x, 4, gray, &y), NN_ESHAPE);
    assert_non_null(
        strstr(nn_error(ctx), "conv2d expects [batch, 3, H, W], got [batch, 1, 28, 28]"));
    int tiny[4] = {2, 3, 4, 4};
    assert_int_equal(nn_module_forward(m, x, 4, tiny, &y), NN_ESHAPE);
    assert_non_null(strstr(nn_error(ctx), "got [batch, 3, 4, 4]"));
    assert_non_null(strstr(nn_error(ctx), "floor((4 - 5 + 0)/1) + 1 < 1"));
    nn_module_free(m);
    nn_window w = gc_window(3, 1, 0, 1);
    assert_null(
        nn_conv2d_new(ctx, 6, 4, &w, 4, true, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS)));
    assert_string_equal(nn_error(ctx),
                        "conv2d: groups (4) must divide in (6) and out (4) channels");
    nn_window bad = gc_window(3, 0, 0, 1);
    assert_null(
        nn_conv2d_new(ctx, 1, 1, &bad, 1, true, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS)));
    assert_non_null(strstr(nn_error(ctx), "stride 0x0"));
    nn_window wide = gc_window(2, 2, 2, 1);
    assert_null(nn_pool2d_new(ctx, NN_POOL2D_MAX, &wide));
    assert_non_null(strstr(nn_error(ctx), "maxpool2d: padding must be 0 to half"));
    nn_ctx_free(ctx);
}

/* The module's backward (dx and the parameter gradients) against central differences of
 * its forward, on distinct inputs. */
static double module_fd(nn_ctx *ctx, nn_module *m, int *shape) {
    int64_t nx = nn_dims_prod(4, shape, 0);
    float *x = malloc(sizeof(float) * nx);
    gc_distinct(ctx, x, (int)nx);
    double w = gc_module_fd(ctx, m, x, 4, shape, FD_H, false);
    free(x);
    return w;
}

typedef struct gc_conv {
    nn_conv_geom g;
    bool bias;
} gc_conv;

static nn_tensor *conv_fn(nn_ctx *ctx, nn_tensor **in, void *ud) {
    gc_conv *c = ud;
    nn_tensor *y = nn_conv2d_op(ctx, in[0], in[1], &c->g);
    if (!c->bias) return y;
    int bs[4] = {1, c->g.K, 1, 1};
    return nn_add(ctx, y, nn_reshape(ctx, in[2], 4, bs));
}

/* Strides, paddings (one side each too), dilations, groups: the module's kernels
 * against finite differences, the op's gradients against gradcheck. */
static void test_conv_gradients(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 3);
    struct {
        int c, k, h, w;
        nn_window win;
        int groups;
        bool bias;
    } cases[] = {
        {2, 3, 6, 5, {3, 3, 1, 1, 1, 1, {0, 0, 0, 0}, false}, 1, true},
        {2, 2, 7, 7, {3, 2, 2, 2, 1, 1, {1, 1, 1, 1}, false}, 1, true},
        {1, 2, 7, 6, {3, 3, 1, 2, 2, 1, {2, 0, 1, 0}, false}, 1, false},
        {4, 4, 5, 5, {3, 3, 1, 1, 1, 1, {1, 1, 1, 1}, false}, 4, true}, /* depthwise */
        {4, 6, 6, 6, {2, 2, 2, 1, 1, 2, {0, 0, 0, 0}, true}, 2, true},
        /* more channels than positions in a row: the direct kernels over channels */
        {1, 5, 4, 4, {3, 3, 1, 1, 1, 1, {1, 1, 1, 1}, false}, 1, true},
        {1, 5, 6, 6, {5, 5, 1, 1, 1, 1, {1, 1, 1, 1}, false}, 1, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_module *m =
            nn_conv2d_new(ctx, cases[i].c, cases[i].k, &cases[i].win, cases[i].groups,
                          cases[i].bias, gc_init(NN_INIT_HE_UNIFORM), gc_init(NN_INIT_ZEROS));
        assert_non_null(m);
        float *p = nn_module_params(m);
        for (int64_t j = 0; j < nn_module_nparams(m); j++)
            p[j] = (float)(nn_rand_uniform(ctx) * 2 - 1);
        int shape[4] = {2, cases[i].c, cases[i].h, cases[i].w};
        double fd = module_fd(ctx, m, shape);
        printf("conv case %zu: module vs finite differences %.2e\n", i, fd);
        assert_true(fd < FD_TOL);
        /* the op (the module's graph), through gradcheck */
        gc_conv gc = {.bias = cases[i].bias};
        assert_int_equal(nn_window_geom(m, &cases[i].win, cases[i].c, 4, shape, &gc.g), NN_OK);
        gc.g.K = cases[i].k, gc.g.groups = cases[i].groups;
        int pshape[2] = {cases[i].k,
                         cases[i].c / cases[i].groups * cases[i].win.kh * cases[i].win.kw};
        int bshape[1] = {cases[i].k};
        nn_tensor *x = nn_zeros(ctx, 4, shape), *w = nn_zeros(ctx, 2, pshape),
                  *b = nn_zeros(ctx, 1, bshape);
        gc_distinct(ctx, x->data, (int)x->size);
        memcpy(w->data, p, sizeof(float) * w->size);
        for (int j = 0; j < cases[i].k; j++) b->data[j] = (float)nn_rand_uniform(ctx);
        nn_tensor *in[3] = {x, w, b};
        double err = gradcheck(ctx, conv_fn, in, cases[i].bias ? 3 : 2, &gc);
        printf("conv case %zu: gradcheck %.3f\n", i, err);
        assert_true(err <= GC_TOL);
        /* the module's graph gives the module's forward */
        nn_tensor *yg = nn_module_graph(ctx, m, x);
        assert_non_null(yg);
        const float *y;
        assert_int_equal(nn_module_forward(m, x->data, 4, shape, &y), NN_OK);
        assert_int_equal(yg->size, m->nout);
        for (int64_t j = 0; j < yg->size; j++) assert_true(fabsf(yg->data[j] - y[j]) < 1e-5f);
        nn_tensor_free(yg);
        nn_tensor_free(x), nn_tensor_free(w), nn_tensor_free(b);
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

/* conv, ReLU, max pool, conv, ReLU in a sequential: the conv + ReLU pairs run fused
 * (one pass, the ReLU passed through) over a batch of 5, the backward a sample a chunk
 * in a scratch of one sample. Their outputs and gradients (dx, every parameter) against
 * the graph's, whose ops run unfused and pass gradcheck above (finite differences of
 * the whole net would cross the ReLUs' kinks). */
static void test_fused_conv_relu_in_chunks(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 5);
    nn_window w3 = gc_window(3, 1, 1, 1), w3v = gc_window(3, 1, 0, 1), p2 = gc_window(2, 2, 0, 1);
    nn_module *kids[5] = {conv(ctx, 3, 4, w3, 1, true), nn_activation_new(ctx, NN_ACT_RELU, 0),
                          nn_pool2d_new(ctx, NN_POOL2D_MAX, &p2), conv(ctx, 4, 5, w3v, 1, true),
                          nn_activation_new(ctx, NN_ACT_RELU, 0)};
    nn_module *m = nn_sequential_new(ctx, kids, 5);
    assert_non_null(m);
    float *p = nn_module_params(m);
    int64_t np = nn_module_nparams(m);
    for (int64_t j = 0; j < np; j++) p[j] = (float)(nn_rand_uniform(ctx) * 2 - 1) * 0.5f;
    int B = 5, shape[4] = {B, 3, 24, 24};
    nn_conv_geom g;
    assert_int_equal(nn_window_geom(kids[0], &w3, 3, 4, shape, &g), NN_OK);
    g.K = 4, g.groups = 1;
    assert_int_equal(nn_backend_cpu.conv2d_scratch(&g), ((int64_t)27 + 4) * 24 * 24);
    nn_tensor *x = nn_zeros(ctx, 4, shape);
    gc_distinct(ctx, x->data, (int)x->size);
    nn_requires_grad(x, true);
    const float *y;
    assert_int_equal(nn_module_forward(m, x->data, 4, shape, &y), NN_OK);
    assert_true(nn_conv2d_relu_fused(kids[0]) && nn_conv2d_relu_fused(kids[3]));
    assert_ptr_equal(kids[1]->yout, kids[0]->yout); /* passed through */
    int64_t ny = m->nout, nx = x->size;
    float *r = malloc(sizeof(float) * ny), *yk = malloc(sizeof(float) * ny),
          *dxk = malloc(sizeof(float) * nx), *gk = malloc(sizeof(float) * np);
    memcpy(yk, y, sizeof(float) * ny);
    for (int64_t i = 0; i < ny; i++) r[i] = (float)cos(0.37 * i);
    nn_module_zero_grad(m);
    assert_int_equal(nn_module_backward(m, x->data, r, dxk, B), NN_OK);
    memcpy(gk, nn_module_grads(m), sizeof(float) * np);
    nn_module_zero_grad(m);
    nn_tensor *rt = nn_from_array(ctx, m->out_nd, m->oshape, r);
    nn_step_begin(ctx);
    nn_tensor *yg = nn_module_graph(ctx, m, x);
    assert_non_null(yg);
    assert_int_equal(yg->size, ny);
    assert_int_equal(nn_backward(ctx, nn_sum(ctx, nn_mul(ctx, yg, rt), NN_ALL, false)), NN_OK);
    /* relative past 1: the direct kernels add the bias first, the graph last, and the
     * gradients reach thousands */
    double worst = 0;
    for (int64_t i = 0; i < ny; i++)
        worst = fmax(worst, fabs(yg->data[i] - yk[i]) / fmax(1.0, fabs(yk[i])));
    for (int64_t i = 0; i < nx; i++)
        worst = fmax(worst, fabs(x->grad->data[i] - dxk[i]) / fmax(1.0, fabs(dxk[i])));
    for (int64_t i = 0; i < np; i++)
        worst = fmax(worst, fabs(nn_module_grads(m)[i] - gk[i]) / fmax(1.0, fabs(gk[i])));
    nn_step_end(ctx);
    printf("fused conv + relu: kernels vs autograd %.2e\n", worst);
    assert_true(worst < 1e-4);
    free(r), free(yk), free(dxk), free(gk);
    nn_tensor_free(rt), nn_tensor_free(x);
    for (int i = 0; i < 5; i++) nn_module_free(kids[i]);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

typedef struct gc_pool {
    nn_conv_geom g;
    int kind;
} gc_pool;

static nn_tensor *pool_fn(nn_ctx *ctx, nn_tensor **in, void *ud) {
    gc_pool *p = ud;
    return nn_pool2d_op(ctx, in[0], p->kind, &p->g);
}

static void test_pool_gradients(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 4);
    nn_window ws[] = {
        gc_window(2, 2, 0, 1), gc_window(3, 2, 1, 1), {3, 2, 1, 2, 2, 1, {2, 2, 0, 1}, false}};
    for (int kind = 0; kind < 3; kind++)
        for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
            nn_module *m = nn_pool2d_new(ctx, (nn_pool2d_kind)kind, &ws[i]);
            assert_non_null(m);
            int shape[4] = {2, 3, 7, 6};
            double fd = module_fd(ctx, m, shape);
            assert_true(fd < FD_TOL);
            gc_pool gp = {.kind = kind == NN_POOL2D_MAX ? NN_POOL_MAX : NN_POOL_AVG};
            nn_window w = ws[i];
            if (kind == NN_POOL2D_GLOBAL_AVG)
                w = (nn_window){7, 6, 7, 6, 1, 1, {0, 0, 0, 0}, false};
            assert_int_equal(nn_window_geom(m, &w, 0, 4, shape, &gp.g), NN_OK);
            nn_tensor *x = nn_zeros(ctx, 4, shape);
            gc_distinct(ctx, x->data, (int)x->size);
            double err = gradcheck(ctx, pool_fn, &x, 1, &gp);
            printf("pool kind %d case %zu: fd %.2e gradcheck %.3f\n", kind, i, fd, err);
            assert_true(err <= GC_TOL);
            nn_tensor_free(x);
            nn_module_free(m);
        }
    nn_ctx_free(ctx);
}

static void test_model_file_keeps_conv_and_pool(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 6);
    nn_window same = {3, 3, 2, 1, 1, 2, {0, 0, 0, 0}, true}, p = gc_window(2, 2, 0, 1);
    nn_module *kids[4] = {conv(ctx, 2, 4, same, 2, true), nn_pool2d_new(ctx, NN_POOL2D_MAX, &p),
                          nn_pool2d_new(ctx, NN_POOL2D_GLOBAL_AVG, NULL), nn_flatten_new(ctx)};
    nn_module *m = nn_sequential_new(ctx, kids, 4);
    for (int i = 0; i < 4; i++) nn_module_free(kids[i]);
    char path[] = "/tmp/nnlab_conv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    nn_module *back = nn_model_load(ctx, path, NULL);
    unlink(path);
    assert_non_null(back);
    int shape[4] = {2, 2, 8, 9};
    float x[2 * 2 * 8 * 9];
    gc_distinct(ctx, x, 2 * 2 * 8 * 9);
    const float *y1, *y2;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y1), NN_OK);
    assert_int_equal(nn_module_forward(back, x, 4, shape, &y2), NN_OK);
    assert_int_equal(m->nout, 8);
    for (int i = 0; i < 8; i++) assert_true(y1[i] == y2[i]);
    nn_module_free(m);
    nn_module_free(back);
    nn_ctx_free(ctx);
}

/* 1x12x12 images of 4 classes: a bright bar (horizontal or vertical) in the top or
 * bottom half, over noise */
static nn_dataset *bars(nn_ctx *ctx, int n) {
    int xs[3] = {1, 12, 12}, ys[1] = {1};
    nn_dataset *d = nn_dataset_new_shaped(ctx, n, 3, xs, 1, ys, 4);
    for (int i = 0; i < n; i++) {
        int c = i % 4;
        float *img = d->x + (int64_t)i * 144;
        for (int p = 0; p < 144; p++) img[p] = (float)(0.3 * nn_rand_uniform(ctx));
        int at = 1 + (int)(nn_rand_uniform(ctx) * 4) + (c >= 2 ? 6 : 0);
        for (int j = 0; j < 12; j++) img[c % 2 ? j * 12 + at : at * 12 + j] += 0.7f;
        d->y[i] = (float)c;
    }
    return d;
}

static void test_small_cnn_trains_without_allocating(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 12);
    nn_dataset *d = bars(ctx, 160);
    nn_window p2 = gc_window(2, 2, 0, 1);
    nn_module *kids[6] = {
        conv(ctx, 1, 4, gc_window(3, 1, 1, 1), 1, true),
        nn_activation_new(ctx, NN_ACT_RELU, 0),
        nn_pool2d_new(ctx, NN_POOL2D_MAX, &p2),
        conv(ctx, 4, 8, gc_window(3, 1, 0, 1), 1, true),
        nn_pool2d_new(ctx, NN_POOL2D_GLOBAL_AVG, NULL),
        nn_linear_new(ctx, 8, 4, gc_init(NN_INIT_XAVIER_UNIFORM), gc_init(NN_INIT_ZEROS))};
    nn_module *m = nn_sequential_new(ctx, kids, 6);
    for (int i = 0; i < 6; i++) nn_module_free(kids[i]);
    nn_optim_hp h = nn_optim_defaults(NN_OPT_ADAM);
    h.lr = 0.02f;
    nn_optim *o = nn_optim_new(ctx, NN_OPT_ADAM, h, nn_module_nparams(m));
    nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 8, .batch = 16, .shuffle = true};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_non_null(r);
    while (nn_run_epoch(r) < 1) nn_run_for(r, 1);
    uint64_t allocs = nn_heap_allocs(ctx);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    assert_int_equal(nn_heap_allocs(ctx), allocs);
    int n;
    const nn_epoch_rec *hist = nn_run_history(r, &n);
    printf("small cnn: loss %.4f -> %.4f, accuracy %.3f\n", hist[0].loss, hist[n - 1].loss,
           hist[n - 1].acc);
    assert_true(hist[n - 1].loss < 0.5 * hist[0].loss);
    assert_true(hist[n - 1].acc > 0.9);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tv01_vertical_edge),
        cmocka_unit_test(test_tv02_zero_padding),
        cmocka_unit_test(test_tv03_tv04_pooling),
        cmocka_unit_test(test_tv05_output_sizes),
        cmocka_unit_test(test_tv06_parameter_counts),
        cmocka_unit_test(test_refusals_name_the_shapes),
        cmocka_unit_test(test_conv_gradients),
        cmocka_unit_test(test_pool_gradients),
        cmocka_unit_test(test_fused_conv_relu_in_chunks),
        cmocka_unit_test(test_model_file_keeps_conv_and_pool),
        cmocka_unit_test(test_small_cnn_trains_without_allocating),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
