/* test_mod_cnnlayers.c: issue 13's layers: conv2d's flip option (true convolution)
 * against a grid computed by hand, transposed conv2d (known answers, the output-size
 * arithmetic, refusals), batch norm over the channels of [batch, C, H, W], dropout2d
 * (whole maps kept or dropped, the keep rate), the residual container with a
 * projection shortcut and the concat of branches: every module's backward against
 * finite differences of its forward, the graphs (autograd ops) against the modules and
 * gradcheck, and the model file. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "gradcheck.h"
#include "module_internal.h"

#define FD_H   1e-2
#define FD_TOL 1e-2 /* |kernel - numeric| / max(1, |numeric|) */

static void assert_grid(const float *y, const float *want, int n, float tol) {
    for (int i = 0; i < n; i++) {
        if (fabsf(y[i] - want[i]) > tol) fprintf(stderr, "at %d: %g, want %g\n", i, y[i], want[i]);
        assert_true(fabsf(y[i] - want[i]) <= tol);
    }
}

static void random_params(nn_ctx *ctx, nn_module *m) {
    float *p = nn_module_params(m);
    for (int64_t j = 0; j < nn_module_nparams(m); j++) p[j] = (float)(nn_rand_uniform(ctx) * 2 - 1);
}

/* The module's backward (dx, parameter gradients) against central differences of its
 * forward, L = sum(y r) for a fixed random r, on distinct inputs. */
static double module_fd(nn_ctx *ctx, nn_module *m, int nd, int *shape) {
    int64_t nx = nn_dims_prod(nd, shape, 0);
    float *x = malloc(sizeof(float) * nx);
    gc_distinct(ctx, x, (int)nx);
    double w = gc_module_fd(ctx, m, x, nd, shape, FD_H, false);
    free(x);
    return w;
}

/* The module's graph gives its forward, on x of the shape. */
static void assert_graph_matches(nn_ctx *ctx, nn_module *m, int nd, int *shape) {
    nn_tensor *x = nn_zeros(ctx, nd, shape);
    gc_distinct(ctx, x->data, (int)x->size);
    nn_tensor *yg = nn_module_graph(ctx, m, x);
    if (!yg) fprintf(stderr, "graph: %s\n", nn_error(ctx));
    assert_non_null(yg);
    const float *y;
    assert_int_equal(nn_module_forward(m, x->data, nd, shape, &y), NN_OK);
    assert_int_equal(yg->size, m->nout);
    assert_grid(yg->data, y, (int)yg->size, 1e-4f);
    nn_tensor_free(yg);
    nn_tensor_free(x);
}

/* Saved and loaded, m gives the same output for x of the shape (evaluation mode). */
static void assert_model_file_keeps(nn_ctx *ctx, nn_module *m, int nd, int *shape) {
    char path[] = "/tmp/nnlab_cnnl_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    nn_module *back = nn_model_load(ctx, path, NULL);
    unlink(path);
    if (!back) fprintf(stderr, "load: %s\n", nn_error(ctx));
    assert_non_null(back);
    nn_module_train(m, false);
    nn_module_train(back, false);
    int64_t n = nn_dims_prod(nd, shape, 0);
    float *x = malloc(sizeof(float) * n);
    gc_distinct(ctx, x, (int)n);
    const float *y1, *y2;
    assert_int_equal(nn_module_forward(m, x, nd, shape, &y1), NN_OK);
    int64_t ny = m->nout;
    float *keep = malloc(sizeof(float) * ny);
    memcpy(keep, y1, sizeof(float) * ny);
    assert_int_equal(nn_module_forward(back, x, nd, shape, &y2), NN_OK);
    assert_int_equal(back->nout, ny);
    for (int64_t i = 0; i < ny; i++) assert_true(keep[i] == y2[i]);
    free(x), free(keep);
    nn_module_free(back);
}

/* ---- conv2d's flip option ---- */

/* x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2],[3,4]]: true convolution y[r][c] = sum
 * w[i][j] x[r+1-i][c+1-j]: y[0][0] = 1*5 + 2*4 + 3*2 + 4*1 = 23, then 33, 53, 63
 * (cross-correlation gives 37 47 67 77) */
static void test_flip_is_true_convolution(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_window w = gc_window(2, 1, 0, 1);
    nn_module *m =
        nn_conv2d_new(ctx, 1, 1, &w, 1, false, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS));
    float k[4] = {1, 2, 3, 4}, x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    memcpy(nn_module_params(m), k, sizeof k);
    int shape[4] = {1, 1, 3, 3};
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    float corr[4] = {37, 47, 67, 77}, conv[4] = {23, 33, 53, 63};
    assert_grid(y, corr, 4, 1e-5f);
    assert_false(nn_conv2d_flipped(m));
    nn_conv2d_flip(m, true);
    assert_true(nn_conv2d_flipped(m));
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    assert_grid(y, conv, 4, 1e-5f);
    assert_graph_matches(ctx, m, 4, shape);
    assert_model_file_keeps(ctx, m, 4, shape);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static void test_flip_gradients(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 11);
    nn_window ws[] = {gc_window(3, 1, 1, 1), {3, 2, 2, 1, 1, 2, {1, 0, 2, 1}, false}};
    int groups[] = {1, 2};
    for (int i = 0; i < 2; i++) {
        nn_module *m = nn_conv2d_new(ctx, 2, 4, &ws[i], groups[i], true, gc_init(NN_INIT_ZEROS),
                                     gc_init(NN_INIT_ZEROS));
        nn_conv2d_flip(m, true);
        random_params(ctx, m);
        int shape[4] = {2, 2, 6, 7};
        double fd = module_fd(ctx, m, 4, shape);
        printf("flipped conv case %d: module vs finite differences %.2e\n", i, fd);
        assert_true(fd < FD_TOL);
        assert_graph_matches(ctx, m, 4, shape);
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

/* ---- transposed conv2d ---- */

static nn_module *convt(nn_ctx *ctx, int in, int out, nn_window w, int oph, int groups, bool bias) {
    nn_module *m = nn_conv_transpose2d_new(ctx, in, out, &w, oph, oph, groups, bias,
                                           gc_init(NN_INIT_HE_UNIFORM), gc_init(NN_INIT_ZEROS));
    if (!m) fprintf(stderr, "%s\n", nn_error(ctx));
    assert_non_null(m);
    return m;
}

/* By hand: each input value stamps the kernel times itself onto the output at (S i, S
 * j), overlapping stamps add. */
static void test_convt_known_answers(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    float x[4] = {1, 2, 3, 4}, k[4] = {1, 2, 3, 4}, ones[4] = {1, 1, 1, 1};
    int shape[4] = {1, 1, 2, 2}, out[4];
    const float *y;
    /* stride 2: the four stamps side by side, 4x4 */
    nn_module *m = convt(ctx, 1, 1, gc_window(2, 2, 0, 1), 0, 1, false);
    memcpy(nn_module_params(m), k, sizeof k);
    assert_int_equal(nn_module_out_shape(m, 4, shape, out), 4);
    assert_int_equal(out[2], 4);
    assert_int_equal(out[3], 4);
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    float s2[16] = {1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16};
    assert_grid(y, s2, 16, 1e-5f);
    nn_module_free(m);
    /* stride 1, a kernel of ones and a bias of 0.5: overlaps add, 3x3 */
    m = convt(ctx, 1, 1, gc_window(2, 1, 0, 1), 0, 1, true);
    memcpy(nn_module_params(m), ones, sizeof ones);
    nn_module_params(m)[4] = 0.5f;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    float s1[9] = {1.5f, 3.5f, 2.5f, 4.5f, 10.5f, 6.5f, 3.5f, 7.5f, 4.5f};
    assert_grid(y, s1, 9, 1e-5f);
    nn_module_free(m);
    /* padding 1 crops a row and a column on each side: the centre, 10 */
    m = convt(ctx, 1, 1, gc_window(2, 1, 1, 1), 0, 1, false);
    memcpy(nn_module_params(m), ones, sizeof ones);
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    assert_int_equal(m->nout, 1);
    assert_true(fabsf(y[0] - 10) < 1e-5f);
    nn_module_free(m);
    /* two in channels summed, two out channels: w [in=2, out=2, 1, 1] */
    m = convt(ctx, 2, 2, gc_window(1, 1, 0, 1), 0, 1, false);
    float w2[4] = {1, 10, 100, 1000}, x2[2] = {2, 3}; /* 1x1 maps */
    memcpy(nn_module_params(m), w2, sizeof w2);
    int s11[4] = {1, 2, 1, 1};
    assert_int_equal(nn_module_forward(m, x2, 4, s11, &y), NN_OK);
    float want2[2] = {2 * 1 + 3 * 100, 2 * 10 + 3 * 1000};
    assert_grid(y, want2, 2, 1e-3f);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

/* OH = (H - 1) S - 2 P + D (K - 1) + output_padding + 1 */
static void test_convt_output_sizes_and_refusals(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    struct {
        int h, k, s, p, d, op, want;
    } cases[] = {
        {5, 3, 2, 1, 1, 1, 10}, {5, 3, 2, 1, 1, 0, 9}, {7, 4, 2, 1, 1, 0, 14},
        {3, 3, 1, 0, 2, 0, 7},  {1, 5, 3, 2, 1, 2, 3}, {14, 2, 2, 0, 1, 0, 28},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_module *m = convt(ctx, 3, 2, gc_window(cases[i].k, cases[i].s, cases[i].p, cases[i].d),
                             cases[i].op, 1, true);
        int shape[4] = {2, 3, cases[i].h, cases[i].h}, out[4];
        assert_int_equal(nn_module_out_shape(m, 4, shape, out), 4);
        assert_int_equal(out[1], 2);
        assert_int_equal(out[2], cases[i].want);
        assert_int_equal(out[3], cases[i].want);
        nn_module_free(m);
    }
    nn_window w = gc_window(3, 2, 0, 1);
    assert_null(nn_conv_transpose2d_new(ctx, 2, 2, &w, 2, 0, 1, true, gc_init(NN_INIT_ZEROS),
                                        gc_init(NN_INIT_ZEROS)));
    assert_non_null(strstr(nn_error(ctx), "output_padding must be >= 0 and smaller than the "
                                          "stride or the dilation, got 2x0 with stride 2x2"));
    nn_window lop = {3, 3, 1, 1, 1, 1, {1, 0, 1, 1}, false};
    assert_null(nn_conv_transpose2d_new(ctx, 2, 2, &lop, 0, 0, 1, true, gc_init(NN_INIT_ZEROS),
                                        gc_init(NN_INIT_ZEROS)));
    assert_non_null(strstr(nn_error(ctx), "same on both sides"));
    assert_null(nn_conv_transpose2d_new(ctx, 3, 2, &w, 0, 0, 2, true, gc_init(NN_INIT_ZEROS),
                                        gc_init(NN_INIT_ZEROS)));
    assert_non_null(strstr(nn_error(ctx), "groups divide both, got in=3 out=2 groups=2"));
    /* padding that eats the whole output, and the wrong channels, name the shapes */
    nn_module *m = convt(ctx, 2, 2, gc_window(1, 1, 1, 1), 0, 1, false);
    int small[4] = {1, 2, 2, 2}, wrong[4] = {1, 3, 2, 2}, out[4];
    assert_true(nn_module_out_shape(m, 4, small, out) < 0);
    assert_non_null(strstr(nn_error(ctx), "got [batch, 2, 2, 2]"));
    assert_non_null(strstr(nn_error(ctx), "= 0 is out of range"));
    assert_true(nn_module_out_shape(m, 4, wrong, out) < 0);
    assert_non_null(strstr(nn_error(ctx), "expects [batch, 2, H, W], got [batch, 3, 2, 2]"));
    nn_module_free(m);
    nn_ctx_free(ctx);
}

typedef struct gc_convt {
    nn_conv_geom g;
} gc_convt;

static nn_tensor *convt_fn(nn_ctx *ctx, nn_tensor **in, void *ud) {
    return nn_conv_transpose2d_op(ctx, in[0], in[1], &((gc_convt *)ud)->g);
}

static void test_convt_gradients(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 5);
    struct {
        int c, k, h, w;
        nn_window win;
        int op, groups;
        bool bias;
    } cases[] = {
        {2, 3, 3, 4, {2, 2, 2, 2, 1, 1, {0, 0, 0, 0}, false}, 0, 1, true},
        {2, 2, 4, 3, {3, 3, 2, 2, 1, 1, {1, 1, 1, 1}, false}, 1, 1, true},
        {1, 2, 3, 3, {3, 2, 1, 2, 2, 1, {1, 1, 0, 0}, false}, 0, 1, false},
        {4, 4, 3, 3, {3, 3, 2, 2, 1, 1, {1, 1, 1, 1}, false}, 1, 4, true},
        {4, 6, 3, 4, {2, 2, 1, 2, 2, 1, {0, 0, 0, 0}, false}, 0, 2, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_module *m = nn_conv_transpose2d_new(
            ctx, cases[i].c, cases[i].k, &cases[i].win, cases[i].op, cases[i].op, cases[i].groups,
            cases[i].bias, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS));
        assert_non_null(m);
        random_params(ctx, m);
        int shape[4] = {2, cases[i].c, cases[i].h, cases[i].w};
        double fd = module_fd(ctx, m, 4, shape);
        printf("conv_transpose2d case %zu: module vs finite differences %.2e\n", i, fd);
        assert_true(fd < FD_TOL);
        assert_graph_matches(ctx, m, 4, shape);
        /* the op through gradcheck: input and weight */
        int out[4];
        assert_int_equal(nn_module_out_shape(m, 4, shape, out), 4);
        gc_convt gc = {{.B = 2,
                        .C = cases[i].k,
                        .H = out[2],
                        .W = out[3],
                        .K = cases[i].c,
                        .OH = cases[i].h,
                        .OW = cases[i].w,
                        .kh = cases[i].win.kh,
                        .kw = cases[i].win.kw,
                        .sh = cases[i].win.sh,
                        .sw = cases[i].win.sw,
                        .dh = cases[i].win.dh,
                        .dw = cases[i].win.dw,
                        .pt = cases[i].win.pad[0],
                        .pl = cases[i].win.pad[2],
                        .groups = cases[i].groups}};
        int wshape[2] = {cases[i].c,
                         cases[i].k / cases[i].groups * cases[i].win.kh * cases[i].win.kw};
        nn_tensor *x = nn_zeros(ctx, 4, shape), *w = nn_zeros(ctx, 2, wshape);
        gc_distinct(ctx, x->data, (int)x->size);
        memcpy(w->data, nn_module_params(m), sizeof(float) * w->size);
        nn_tensor *in[2] = {x, w};
        double err = gradcheck(ctx, convt_fn, in, 2, &gc);
        printf("conv_transpose2d case %zu: gradcheck %.3f\n", i, err);
        assert_true(err <= GC_TOL);
        nn_tensor_free(x), nn_tensor_free(w);
        if (i == 1) assert_model_file_keeps(ctx, m, 4, shape);
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

static nn_window same_win(int k, int s, int d) {
    return (nn_window){k, k, s, s, d, d, {0, 0, 0, 0}, true};
}

/* padding "same": the output is the input times the stride. By hand, x = {1, 2; 3, 4}
 * and a kernel of ones: the unpadded 3x3 stride-2 output is 5x5, and "same" crops
 * (3 - 2) / 2 = 0 rows above and the one left over below (Keras's rule); a 4x4 kernel
 * overshoots by 2, cropped one a side; a 1x1 kernel of stride 2 falls short, and the
 * rows and columns no input reaches are zeros. Then sizes, refusals, finite
 * differences of the module, its graph and its model file. */
static void test_convt_same_padding(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 6);
    float x[4] = {1, 2, 3, 4}, ones[16];
    for (int i = 0; i < 16; i++) ones[i] = 1;
    int shape[4] = {1, 1, 2, 2};
    const float *y;
    nn_module *m = convt(ctx, 1, 1, same_win(3, 2, 1), 0, 1, false);
    memcpy(nn_module_params(m), ones, 9 * sizeof(float));
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    assert_int_equal(m->oshape[2], 4);
    assert_int_equal(m->oshape[3], 4);
    float k3[16] = {1, 1, 3, 2, 1, 1, 3, 2, 4, 4, 10, 6, 3, 3, 7, 4};
    assert_grid(y, k3, 16, 1e-5f);
    nn_module_free(m);
    m = convt(ctx, 1, 1, same_win(4, 2, 1), 0, 1, false);
    memcpy(nn_module_params(m), ones, 16 * sizeof(float));
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    /* the unpadded 6x6 has rows {1,1,3,3,2,2}-wise sums; its centre 4x4 */
    float k4[16] = {1, 3, 3, 2, 4, 10, 10, 6, 4, 10, 10, 6, 3, 7, 7, 4};
    assert_grid(y, k4, 16, 1e-5f);
    nn_module_free(m);
    m = convt(ctx, 1, 1, same_win(1, 2, 1), 0, 1, false);
    nn_module_params(m)[0] = 1;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    float k1[16] = {1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0};
    assert_grid(y, k1, 16, 1e-5f);
    nn_module_free(m);
    /* sizes: H S whatever the kernel, stride and dilation */
    int sizes[][4] = {{5, 3, 2, 1}, {7, 4, 2, 1}, {3, 5, 3, 1}, {4, 3, 1, 2}, {6, 1, 3, 1}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        nn_module *t =
            convt(ctx, 2, 3, same_win(sizes[i][1], sizes[i][2], sizes[i][3]), 0, 1, true);
        int in[4] = {2, 2, sizes[i][0], sizes[i][0] + 1}, out[4];
        assert_int_equal(nn_module_out_shape(t, 4, in, out), 4);
        assert_int_equal(out[2], sizes[i][0] * sizes[i][2]);
        assert_int_equal(out[3], (sizes[i][0] + 1) * sizes[i][2]);
        nn_module_free(t);
    }
    nn_window sw = same_win(3, 2, 1);
    assert_null(nn_conv_transpose2d_new(ctx, 2, 2, &sw, 1, 1, 1, true, gc_init(NN_INIT_ZEROS),
                                        gc_init(NN_INIT_ZEROS)));
    assert_non_null(strstr(nn_error(ctx), "no output_padding, got 1x1"));
    /* gradients: odd and even overshoots, a short window, dilation, groups */
    struct {
        int c, k, h, w;
        nn_window win;
        int groups;
    } cases[] = {
        {2, 3, 3, 4, same_win(3, 2, 1), 1},
        {2, 2, 3, 3, same_win(4, 2, 1), 1},
        {1, 2, 2, 3, same_win(1, 3, 1), 1},
        {4, 4, 3, 3, same_win(3, 1, 2), 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        m = convt(ctx, cases[i].c, cases[i].k, cases[i].win, 0, cases[i].groups, true);
        random_params(ctx, m);
        int xs[4] = {2, cases[i].c, cases[i].h, cases[i].w};
        double fd = module_fd(ctx, m, 4, xs);
        printf("conv_transpose2d same case %zu: module vs finite differences %.2e\n", i, fd);
        assert_true(fd < FD_TOL);
        assert_graph_matches(ctx, m, 4, xs);
        if (i == 1) assert_model_file_keeps(ctx, m, 4, xs);
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static long maxrss_kb(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/* nn.arch's models are built and never trained: building one must not cost twice its
 * parameters (it cost four times: every layer's parameters and gradients, then the
 * container's copies of both). Two 4000x4000 layers (128 MB of weights) into a
 * sequential raise the peak by less than 1.6 times that (weights, and one layer's
 * copy while it moves); the gradients stay untouched until a backward, which then
 * gives the right ones, and a layer's gradient written before it moves moves with it. */
static void test_building_costs_the_parameters_once(void **state) {
    (void)state;
#ifdef M_PERTURB
    mallopt(M_PERTURB, 0); /* meson's MALLOC_PERTURB_ makes calloc write every page */
#endif
    nn_ctx *ctx = nn_ctx_new();
    nn_init xu = gc_init(NN_INIT_XAVIER_UNIFORM), z = gc_init(NN_INIT_ZEROS);
    long before = maxrss_kb();
    nn_module *kids[2] = {nn_linear_new(ctx, 4000, 4000, xu, z),
                          nn_linear_new(ctx, 4000, 4000, xu, z)};
    nn_module *m = nn_sequential_new(ctx, kids, 2);
    assert_non_null(m);
    double mb = (double)nn_module_nparams(m) * 4 / 1e6, grew = (double)(maxrss_kb() - before) / 1e3;
    printf("a sequential of %.0f MB of parameters raised the peak by %.0f MB\n", mb, grew);
#ifdef UNDER_ASAN
    (void)grew; /* AddressSanitizer keeps freed blocks in quarantine: no peak to measure */
#else
    assert_true(grew < 1.6 * mb);
#endif
    assert_false(m->blk->g_used);
    /* one row through it: the gradient of the last layer's bias is dy */
    float *x = calloc(4000, sizeof(float)), *dy = calloc(4000, sizeof(float));
    x[0] = 1, dy[7] = 2;
    int shape[2] = {1, 4000};
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 2, shape, &y), NN_OK);
    assert_int_equal(nn_module_backward(m, x, dy, NULL, 1), NN_OK);
    assert_true(m->blk->g_used);
    const float *g = nn_module_grads(m);
    int64_t bias2 = nn_module_nparams(m) - 4000;
    assert_true(g[bias2 + 7] == 2 && g[bias2 + 6] == 0);
    free(x), free(dy);
    for (int i = 0; i < 2; i++) nn_module_free(kids[i]);
    nn_module_free(m);
    /* a gradient written before its layer moves into a container moves with it */
    nn_module *a = nn_linear_new(ctx, 2, 2, xu, z), *b = nn_linear_new(ctx, 2, 2, xu, z);
    nn_module_grads(b)[1] = 5;
    nn_module *pair[2] = {a, b}, *s = nn_sequential_new(ctx, pair, 2);
    assert_true(s->blk->g_used);
    assert_true(nn_module_grads(s)[nn_module_nparams(a) + 1] == 5);
    nn_module_free(a), nn_module_free(b), nn_module_free(s);
    nn_ctx_free(ctx);
}

/* A transposed conv of stride 2 undoes a conv2d's halving: 7 -> 4 -> 7 with
 * output_padding 0, 8 -> 4 -> 8 with 1. */
static void test_convt_inverts_conv_sizes(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_window w = gc_window(3, 2, 1, 1);
    nn_module *c =
        nn_conv2d_new(ctx, 1, 1, &w, 1, false, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS));
    for (int h = 7; h <= 8; h++) {
        nn_module *t = convt(ctx, 1, 1, w, h - 7, 1, false);
        int shape[4] = {1, 1, h, h}, mid[4], back[4];
        assert_int_equal(nn_module_out_shape(c, 4, shape, mid), 4);
        assert_int_equal(mid[2], 4);
        assert_int_equal(nn_module_out_shape(t, 4, mid, back), 4);
        assert_int_equal(back[2], h);
        nn_module_free(t);
    }
    nn_module_free(c);
    nn_ctx_free(ctx);
}

/* ---- batch norm over channels ---- */

/* x [2, 2, 1, 2]: channel 0 holds 1 2 (sample 1) and 3 4 (sample 2): mean 2.5, biased
 * variance 1.25; channel 1 holds 10 10 10 30: mean 15, variance 75 */
static void test_batchnorm_maps_known_answer(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = nn_batchnorm_new(ctx, 2, 0.1f, 1e-5f);
    float x[8] = {1, 2, 10, 10, 3, 4, 10, 30};
    int shape[4] = {2, 2, 1, 2};
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    float r0 = 1 / sqrtf(1.25f + 1e-5f), r1 = 1 / sqrtf(75 + 1e-5f);
    float want[8] = {-1.5f * r0, -0.5f * r0, -5 * r1, -5 * r1,
                     0.5f * r0,  1.5f * r0,  -5 * r1, 15 * r1};
    assert_grid(y, want, 8, 1e-5f);
    /* running: mean 0.1 * 2.5, variance 0.9 + 0.1 * (unbiased 5/3) */
    const float *run = nn_module_running(m);
    assert_true(fabsf(run[0] - 0.25f) < 1e-6f);
    assert_true(fabsf(run[1] - 1.5f) < 1e-6f);
    assert_true(fabsf(run[2] - (0.9f + 0.1f * 5.0f / 3.0f)) < 1e-5f);
    assert_true(fabsf(run[3] - (0.9f + 0.1f * 100.0f)) < 1e-4f);
    /* evaluation: the running statistics, y = (x - 0.25) / sqrt(1.0667 + eps) on channel 0 */
    nn_module_train(m, false);
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    assert_true(fabsf(y[0] - (1 - 0.25f) / sqrtf(run[2] + 1e-5f)) < 1e-5f);
    assert_true(fabsf(y[7] - (30 - 1.5f) / sqrtf(run[3] + 1e-5f)) < 1e-5f);
    /* [batch, 3, 1, 2] does not fit: the message names the maps */
    int wrong[4] = {2, 3, 1, 2}, out[4];
    assert_true(nn_module_out_shape(m, 4, wrong, out) < 0);
    assert_non_null(
        strstr(nn_error(ctx), "batchnorm expects [batch, 2, H, W], got [batch, 3, 1, 2]"));
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static void test_batchnorm_maps_gradients(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 7);
    for (int training = 1; training >= 0; training--) {
        nn_module *m = nn_batchnorm_new(ctx, 3, 0.1f, 1e-3f);
        random_params(ctx, m);
        nn_module_train(m, training);
        int shape[4] = {2, 3, 3, 2};
        double fd = module_fd(ctx, m, 4, shape);
        printf("batchnorm maps (training %d): module vs finite differences %.2e\n", training, fd);
        assert_true(fd < FD_TOL);
        assert_graph_matches(ctx, m, 4, shape);
        nn_module *seq = nn_sequential_new(ctx, &m, 1);
        assert_model_file_keeps(ctx, seq, 4, shape);
        nn_module_free(seq);
        nn_module_free(m);
    }
    nn_ctx_free(ctx);
}

/* ---- dropout2d ---- */

static void test_dropout2d_drops_whole_maps(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 9);
    nn_module *m = nn_dropout2d_new(ctx, 0.3f);
    int B = 64, C = 32, HW = 16, shape[4] = {B, C, 4, 4};
    int64_t n = (int64_t)B * C * HW;
    float *x = malloc(sizeof(float) * n), *dx = malloc(sizeof(float) * n);
    for (int64_t i = 0; i < n; i++) x[i] = 1.0f + (float)(i % 7);
    const float *y;
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    int kept = 0;
    for (int bc = 0; bc < B * C; bc++) {
        int zeros = 0;
        for (int j = 0; j < HW; j++) {
            int64_t i = (int64_t)bc * HW + j;
            if (y[i] == 0)
                zeros++;
            else
                assert_true(fabsf(y[i] - x[i] / 0.7f) < 1e-5f);
        }
        assert_true(zeros == 0 || zeros == HW); /* a map is kept or dropped whole */
        kept += zeros == 0;
    }
    double rate = (double)kept / (B * C); /* 2048 maps: std of the rate 0.01 */
    printf("dropout2d p = 0.3: kept %.3f of the maps\n", rate);
    assert_true(fabs(rate - 0.7) < 0.04);
    /* backward: dy masked and scaled the same way */
    float *dy = malloc(sizeof(float) * n);
    for (int64_t i = 0; i < n; i++) dy[i] = 1.0f;
    assert_int_equal(nn_module_backward(m, x, dy, dx, B), NN_OK);
    for (int64_t i = 0; i < n; i++) assert_true(fabsf(dx[i] - (y[i] == 0 ? 0 : 1 / 0.7f)) < 1e-5f);
    /* evaluation: the identity, no copy */
    nn_module_train(m, false);
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    assert_ptr_equal(y, x);
    /* [batch, features] is refused with the way out */
    int flat[2] = {4, 8}, out[2];
    assert_true(nn_module_out_shape(m, 2, flat, out) < 0);
    assert_non_null(strstr(nn_error(ctx), "for [batch, features] use nn.dropout"));
    assert_null(nn_dropout2d_new(ctx, 1.0f));
    /* the same seed, the same maps */
    nn_module_train(m, true);
    nn_seed(ctx, 9);
    assert_int_equal(nn_module_forward(m, x, 4, shape, &y), NN_OK);
    for (int64_t i = 0; i < n; i++) assert_true((y[i] == 0) == (dx[i] == 0));
    free(x), free(dx), free(dy);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

/* ---- residual with a shortcut, concat ---- */

static nn_module *seq(nn_ctx *ctx, nn_module **kids, int n) {
    nn_module *s = nn_sequential_new(ctx, kids, n);
    for (int i = 0; i < n; i++) nn_module_free(kids[i]);
    assert_non_null(s);
    return s;
}

/* ResNet's downsampling basic block: conv3x3/2, bn, relu, conv3x3, bn, plus the
 * shortcut conv1x1/2, bn. */
static nn_module *down_block(nn_ctx *ctx, int in, int out) {
    nn_window w3s = gc_window(3, 2, 1, 1), w3 = gc_window(3, 1, 1, 1), w1s = gc_window(1, 2, 0, 1);
    nn_module *f[5] = {nn_conv2d_new(ctx, in, out, &w3s, 1, false, gc_init(NN_INIT_HE_UNIFORM),
                                     gc_init(NN_INIT_ZEROS)),
                       nn_batchnorm_new(ctx, out, 0.1f, 1e-3f),
                       nn_activation_new(ctx, NN_ACT_TANH, 0),
                       nn_conv2d_new(ctx, out, out, &w3, 1, false, gc_init(NN_INIT_HE_UNIFORM),
                                     gc_init(NN_INIT_ZEROS)),
                       nn_batchnorm_new(ctx, out, 0.1f, 1e-3f)};
    nn_module *s[2] = {nn_conv2d_new(ctx, in, out, &w1s, 1, false, gc_init(NN_INIT_HE_UNIFORM),
                                     gc_init(NN_INIT_ZEROS)),
                       nn_batchnorm_new(ctx, out, 0.1f, 1e-3f)};
    nn_module *fs = seq(ctx, f, 5), *ss = seq(ctx, s, 2);
    nn_module *r = nn_residual_shortcut_new(ctx, fs, ss);
    nn_module_free(fs), nn_module_free(ss);
    assert_non_null(r);
    return r;
}

static void test_residual_shortcut(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 12);
    nn_module *r = down_block(ctx, 2, 4);
    int shape[4] = {2, 2, 4, 4}, out[4];
    assert_int_equal(nn_module_out_shape(r, 4, shape, out), 4);
    assert_int_equal(out[1], 4);
    assert_int_equal(out[2], 2);
    /* 2*4*9 + 8 + 4*4*9 + 8 + 2*4 + 8 = 248 parameters */
    assert_int_equal(nn_module_nparams(r), 248);
    double fd = module_fd(ctx, r, 4, shape);
    printf("residual block with a projection: module vs finite differences %.2e\n", fd);
    assert_true(fd < FD_TOL);
    assert_graph_matches(ctx, r, 4, shape);
    assert_model_file_keeps(ctx, r, 4, shape);
    nn_module_free(r);
    /* y = f(x) + s(x) by hand: f = 2x (a 1x1 conv), s = 3x */
    nn_window w1 = gc_window(1, 1, 0, 1);
    nn_module *f = nn_conv2d_new(ctx, 1, 1, &w1, 1, false, gc_init(NN_INIT_ZEROS),
                                 gc_init(NN_INIT_ZEROS)),
              *s = nn_conv2d_new(ctx, 1, 1, &w1, 1, false, gc_init(NN_INIT_ZEROS),
                                 gc_init(NN_INIT_ZEROS));
    r = nn_residual_shortcut_new(ctx, f, s);
    nn_module_free(f), nn_module_free(s);
    nn_module_params(r)[0] = 2, nn_module_params(r)[1] = 3;
    float x[2] = {1, -2};
    int s12[4] = {1, 1, 1, 2};
    const float *y;
    assert_int_equal(nn_module_forward(r, x, 4, s12, &y), NN_OK);
    assert_true(y[0] == 5 && y[1] == -10);
    nn_module_free(r);
    /* shapes that do not add are named */
    nn_window w3s = gc_window(3, 2, 1, 1);
    f = nn_conv2d_new(ctx, 2, 4, &w3s, 1, false, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS));
    s = nn_conv2d_new(ctx, 2, 4, &w1, 1, false, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS));
    r = nn_residual_shortcut_new(ctx, f, s);
    nn_module_free(f), nn_module_free(s);
    assert_true(nn_module_out_shape(r, 4, shape, out) < 0);
    assert_non_null(strstr(nn_error(ctx), "residual: f(x) + shortcut(x) needs one shape, got "
                                          "[batch, 2, 4, 4] -> [batch, 4, 2, 2] and [batch, 4, 4, "
                                          "4]"));
    nn_module_free(r);
    nn_ctx_free(ctx);
}

static void test_concat_branches(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 13);
    nn_window w1 = gc_window(1, 1, 0, 1), w3 = gc_window(3, 1, 1, 1), p3 = gc_window(3, 1, 1, 1);
    nn_module *b3[2] = {
        nn_conv2d_new(ctx, 3, 2, &w1, 1, true, gc_init(NN_INIT_HE_UNIFORM), gc_init(NN_INIT_ZEROS)),
        nn_conv2d_new(ctx, 2, 3, &w3, 1, true, gc_init(NN_INIT_HE_UNIFORM),
                      gc_init(NN_INIT_ZEROS))};
    nn_module *b4[2] = {nn_pool2d_new(ctx, NN_POOL2D_MAX, &p3),
                        nn_conv2d_new(ctx, 3, 1, &w1, 1, true, gc_init(NN_INIT_HE_UNIFORM),
                                      gc_init(NN_INIT_ZEROS))};
    nn_module *br[3] = {
        nn_conv2d_new(ctx, 3, 2, &w1, 1, true, gc_init(NN_INIT_HE_UNIFORM), gc_init(NN_INIT_ZEROS)),
        seq(ctx, b3, 2), seq(ctx, b4, 2)};
    nn_module *c = nn_concat_new(ctx, br, 3);
    for (int i = 0; i < 3; i++) nn_module_free(br[i]);
    assert_non_null(c);
    random_params(ctx, c);
    int shape[4] = {2, 3, 4, 3}, out[4];
    assert_int_equal(nn_module_out_shape(c, 4, shape, out), 4);
    assert_int_equal(out[1], 2 + 3 + 1);
    assert_int_equal(out[2], 4);
    double fd = module_fd(ctx, c, 4, shape);
    printf("concat of three branches: module vs finite differences %.2e\n", fd);
    assert_true(fd < FD_TOL);
    assert_graph_matches(ctx, c, 4, shape);
    assert_model_file_keeps(ctx, c, 4, shape);
    /* the joined output holds branch 1's maps first, per sample */
    float x[72];
    gc_distinct(ctx, x, 72);
    const float *y;
    assert_int_equal(nn_module_forward(c, x, 4, shape, &y), NN_OK);
    const nn_module *k0 = c->kids[0];
    for (int b = 0; b < 2; b++)
        for (int j = 0; j < 24; j++) assert_true(y[b * 72 + j] == k0->yout[b * 24 + j]);
    nn_module_free(c);
    /* branches whose maps differ in size are named */
    nn_window s2 = gc_window(1, 2, 0, 1);
    nn_module *bad[2] = {
        nn_conv2d_new(ctx, 3, 2, &w1, 1, true, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS)),
        nn_conv2d_new(ctx, 3, 2, &s2, 1, true, gc_init(NN_INIT_ZEROS), gc_init(NN_INIT_ZEROS))};
    c = nn_concat_new(ctx, bad, 2);
    nn_module_free(bad[0]), nn_module_free(bad[1]);
    assert_true(nn_module_out_shape(c, 4, shape, out) < 0);
    assert_non_null(strstr(nn_error(ctx), "concat: branch 2 gives [batch, 2, 2, 2], branch 1 "
                                          "[batch, 2, 4, 3]"));
    nn_module_free(c);
    nn_ctx_free(ctx);
}

static nn_tensor *concat_fn(nn_ctx *ctx, nn_tensor **in, void *ud) {
    (void)ud;
    return nn_concat_op(ctx, in, 3);
}

static void test_concat_op_gradcheck(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 14);
    int s1[4] = {2, 1, 2, 3}, s2[4] = {2, 3, 2, 3}, s3[4] = {2, 2, 2, 3};
    nn_tensor *in[3] = {nn_randn(ctx, 4, s1, 0, 1), nn_randn(ctx, 4, s2, 0, 1),
                        nn_randn(ctx, 4, s3, 0, 1)};
    double err = gradcheck(ctx, concat_fn, in, 3, NULL);
    assert_true(err <= GC_TOL);
    nn_tensor *y = nn_concat_op(ctx, in, 3);
    assert_int_equal(y->shape[1], 6);
    assert_true(y->data[6] == in[1]->data[0]);  /* sample 0: 6 of a, then b */
    assert_true(y->data[36] == in[0]->data[6]); /* sample 1 starts at 36 */
    nn_tensor_free(y);
    int bad[4] = {2, 1, 3, 3};
    nn_tensor *c = nn_zeros(ctx, 4, bad), *two[2] = {in[0], c};
    assert_null(nn_concat_op(ctx, two, 2));
    assert_non_null(strstr(nn_error(ctx), "concat: [2,1,2,3] and [2,1,3,3] differ"));
    nn_tensor_free(c);
    for (int i = 0; i < 3; i++) nn_tensor_free(in[i]);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flip_is_true_convolution),
        cmocka_unit_test(test_flip_gradients),
        cmocka_unit_test(test_convt_known_answers),
        cmocka_unit_test(test_convt_output_sizes_and_refusals),
        cmocka_unit_test(test_convt_gradients),
        cmocka_unit_test(test_convt_same_padding),
        cmocka_unit_test(test_building_costs_the_parameters_once),
        cmocka_unit_test(test_convt_inverts_conv_sizes),
        cmocka_unit_test(test_batchnorm_maps_known_answer),
        cmocka_unit_test(test_batchnorm_maps_gradients),
        cmocka_unit_test(test_dropout2d_drops_whole_maps),
        cmocka_unit_test(test_residual_shortcut),
        cmocka_unit_test(test_concat_branches),
        cmocka_unit_test(test_concat_op_gradcheck),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
