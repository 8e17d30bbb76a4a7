/* test_mod_flatten.c: the module-kind table (every kind has a complete line), the
 * flatten and reshape layers (mod_flatten.c, mod_reshape.c) and modules over inputs
 * of any rank: output shapes, the messages of shapes that do
 * not fit (at build time and when data meets the model), the kernels against finite
 * differences and against the autograd graph (gradcheck), the model file, and an
 * image-shaped set N x 1 x 28 x 28 trained through flatten + linear with the loss
 * falling and a steady-state step that allocates nothing. */
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
#include "module_internal.h" /* the module-kind table */

#define FD_H   1e-2
#define FD_TOL 1e-2 /* |kernel - numeric| / max(1, |numeric|) */
#define SEED   5

static nn_init I(nn_init_kind k) {
    return (nn_init){k, 0, 0};
}

static nn_module *seq(nn_ctx *ctx, nn_module **p, int n) {
    nn_module *m = nn_sequential_new(ctx, p, n);
    for (int i = 0; i < n; i++) nn_module_free(p[i]);
    return m;
}

static void test_flatten_and_reshape_shapes_and_values(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *f = nn_flatten_new(ctx);
    int in[4] = {2, 1, 28, 28}, out[4];
    assert_int_equal(nn_module_out_shape(f, 4, in, out), 2);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 784);
    int rs[2] = {2, -1};
    nn_module *r = nn_reshape_new(ctx, 2, rs);
    int in2[2] = {3, 6};
    assert_int_equal(nn_module_out_shape(r, 2, in2, out), 3);
    assert_int_equal(out[0], 3);
    assert_int_equal(out[1], 2);
    assert_int_equal(out[2], 3);
    /* the output is the input itself, read in the new shape */
    float x[18];
    for (int i = 0; i < 18; i++) x[i] = (float)i;
    const float *y;
    assert_int_equal(nn_module_forward(r, x, 2, in2, &y), NN_OK);
    assert_ptr_equal(y, x);
    int in3[3] = {3, 2, 3};
    assert_int_equal(nn_module_forward(f, x, 3, in3, &y), NN_OK);
    assert_ptr_equal(y, x);
    assert_string_equal(nn_module_name(f), "flatten");
    assert_string_equal(nn_module_kind_name(r), "reshape");
    assert_int_equal(nn_module_nparams(f), 0);
    nn_module_free(f);
    nn_module_free(r);
    nn_ctx_free(ctx);
}

static void test_shapes_that_do_not_fit_name_both(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_init z = I(NN_INIT_ZEROS);
    float x[2 * 784] = {0};
    const float *y;
    /* data meets the model */
    nn_module *lin = nn_linear_new(ctx, 784, 10, z, z);
    int img[4] = {2, 1, 28, 28};
    assert_int_equal(nn_module_forward(lin, x, 4, img, &y), NN_ESHAPE);
    assert_string_equal(nn_error(ctx), "linear expects [batch, 784], got [batch, 1, 28, 28]: it "
                                       "takes 2-D input; put nn.flatten() before it");
    /* a shape that passed does not let another through (shapes are kept between steps) */
    int rows[2] = {2, 784}, wide[2] = {2, 785};
    assert_int_equal(nn_module_forward(lin, x, 2, rows, &y), NN_OK);
    assert_int_equal(nn_module_forward(lin, x, 2, wide, &y), NN_ESHAPE);
    assert_string_equal(nn_error(ctx), "linear expects [batch, 784], got [batch, 785]");
    assert_int_equal(nn_module_forward(lin, x, 4, img, &y), NN_ESHAPE);
    assert_int_equal(nn_module_forward(lin, x, 2, rows, &y), NN_OK);
    nn_module *bn = nn_batchnorm_new(ctx, 4, 0.1f, 1e-5f);
    int seq3[3] = {2, 3, 4};
    assert_int_equal(nn_module_forward(bn, x, 3, seq3, &y), NN_ESHAPE);
    assert_string_equal(nn_error(ctx), "batchnorm expects [batch, 4], got [batch, 3, 4]");
    nn_module *p[2] = {nn_flatten_new(ctx), lin};
    nn_module *m = nn_sequential_new(ctx, p, 2);
    int odd[4] = {2, 1, 28, 27}, out[4];
    assert_int_equal(nn_module_out_shape(m, 4, odd, out), NN_ESHAPE);
    /* with the width the linear needs, worked out from the maps the flatten takes */
    assert_string_equal(nn_error(ctx),
                        "sequential: module 2: linear expects [batch, 784], got [batch, 756]; the "
                        "flatten before it gives 1x28x27 = 756: nn.linear(756, 10)");
    nn_module_free(p[0]);
    nn_module_free(lin);
    nn_module_free(m);
    nn_module_free(bn);
    /* the model is built */
    int four[1] = {4};
    nn_module *q[2] = {nn_linear_new(ctx, 3, 6, z, z), nn_reshape_new(ctx, 1, four)};
    assert_null(nn_sequential_new(ctx, q, 2));
    assert_string_equal(nn_error(ctx), "sequential: module 2: reshape expects 4 values a sample "
                                       "(to make [batch, 4]), got [batch, 6]");
    nn_module_free(q[0]);
    nn_module_free(q[1]);
    int bad[2] = {0, 3}, two_free[2] = {-1, -1}, many[4] = {1, 1, 1, 1};
    assert_null(nn_reshape_new(ctx, 2, bad));
    assert_null(nn_reshape_new(ctx, 2, two_free));
    assert_null(nn_reshape_new(ctx, 4, many));
    assert_string_equal(nn_error(ctx), "reshape: a sample's shape has 1 to 3 sizes, got 4");
    /* sizes from a model file: a product past a size is refused, not overflowed */
    int huge[3] = {65536, -1, 65536};
    assert_null(nn_reshape_new(ctx, 3, huge));
    assert_non_null(strstr(nn_error(ctx), "reshape: a sample of more than 2147483647 values"));
    /* a residual's inner module must keep the shape it is given */
    int twelve[1] = {12};
    nn_module *inner = nn_reshape_new(ctx, 1, twelve);
    nn_module *res = nn_residual_new(ctx, inner);
    nn_module_free(inner); /* the residual holds it */
    int sh[3] = {2, 3, 4};
    assert_int_equal(nn_module_forward(res, x, 3, sh, &y), NN_ESHAPE);
    assert_string_equal(nn_error(ctx),
                        "residual: x + f(x) needs f to keep the shape, got [batch, 3, 4] -> "
                        "[batch, 12]");
    nn_module_free(res);
    nn_ctx_free(ctx);
}

/* L = sum(y * r) of the kernels' forward. */
static double loss_of(nn_ctx *ctx, nn_module *m, const float *x, int nd, const int *shape,
                      const float *r, int64_t ny) {
    const float *y;
    nn_seed(ctx, SEED);
    assert_int_equal(nn_module_forward(m, x, nd, shape, &y), NN_OK);
    double s = 0;
    for (int64_t i = 0; i < ny; i++) s += (double)y[i] * r[i];
    return s;
}

/* The worst error of the kernels' dx and parameter gradients against finite
 * differences, for x of shape (nd, shape). */
static double fd_check(nn_ctx *ctx, nn_module *m, float *x, int nd, const int *shape) {
    int out[NN_MAX_DIMS], ond = nn_module_out_shape(m, nd, shape, out);
    assert_true(ond > 0);
    int64_t nx = 1, ny = 1;
    for (int i = 0; i < nd; i++) nx *= shape[i];
    for (int i = 0; i < ond; i++) ny *= out[i];
    float r[256], dx[256];
    assert_true(nx <= 256 && ny <= 256);
    for (int64_t i = 0; i < ny; i++) r[i] = (float)sin(1.3 * i + 0.2);
    nn_module_zero_grad(m);
    loss_of(ctx, m, x, nd, shape, r, ny);
    assert_int_equal(nn_module_backward(m, x, r, dx, shape[0]), NN_OK);
    double worst = 0;
    for (int64_t i = 0; i < nx; i++) {
        float keep = x[i];
        x[i] = keep + (float)FD_H;
        double lp = loss_of(ctx, m, x, nd, shape, r, ny);
        x[i] = keep - (float)FD_H;
        double lm = loss_of(ctx, m, x, nd, shape, r, ny);
        x[i] = keep;
        double num = (lp - lm) / (2 * FD_H);
        worst = fmax(worst, fabs(dx[i] - num) / fmax(1, fabs(num)));
    }
    float *p = nn_module_params(m), *g = nn_module_grads(m);
    for (int64_t i = 0; i < nn_module_nparams(m); i++) {
        float keep = p[i];
        p[i] = keep + (float)FD_H;
        double lp = loss_of(ctx, m, x, nd, shape, r, ny);
        p[i] = keep - (float)FD_H;
        double lm = loss_of(ctx, m, x, nd, shape, r, ny);
        p[i] = keep;
        double num = (lp - lm) / (2 * FD_H);
        worst = fmax(worst, fabs(g[i] - num) / fmax(1, fabs(num)));
    }
    return worst;
}

/* [B, 3, 4] -> flatten -> linear 12x5 -> reshape {5, 1} -> tanh -> dropout -> reshape {-1}
 * -> softmax: every kind of this file among the others, on a 3-D input. */
static nn_module *shaped_model(nn_ctx *ctx) {
    int r51[2] = {5, 1}, rfree[1] = {-1};
    nn_module *p[7] = {nn_flatten_new(ctx),
                       nn_linear_new(ctx, 12, 5, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS)),
                       nn_reshape_new(ctx, 2, r51),
                       nn_activation_new(ctx, NN_ACT_TANH, 0),
                       nn_dropout_new(ctx, 0.3f),
                       nn_reshape_new(ctx, 1, rfree),
                       nn_activation_new(ctx, NN_ACT_SOFTMAX, 0)};
    return seq(ctx, p, 7);
}

static void test_kernels_match_finite_difference(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 1);
    nn_module *m = shaped_model(ctx);
    float x[2 * 12];
    for (int i = 0; i < 24; i++) x[i] = (float)(1.2 * nn_rand_normal(ctx));
    int shape[3] = {2, 3, 4};
    double e = fd_check(ctx, m, x, 3, shape);
    if (e > FD_TOL) fail_msg("flatten/reshape model: worst gradient error %.3g", e);
    /* flatten alone, and reshape alone, pass the gradient through */
    nn_module *f = nn_flatten_new(ctx);
    e = fd_check(ctx, f, x, 3, shape);
    if (e > FD_TOL) fail_msg("flatten: worst gradient error %.3g", e);
    int t[3] = {4, 1, 3};
    nn_module *r = nn_reshape_new(ctx, 3, t);
    e = fd_check(ctx, r, x, 3, shape);
    if (e > FD_TOL) fail_msg("reshape: worst gradient error %.3g", e);
    nn_module_free(f);
    nn_module_free(r);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static nn_tensor *graph_fn(nn_ctx *ctx, nn_tensor **in, void *ud) {
    nn_seed(ctx, 3); /* dropout draws the same mask every time */
    return nn_module_graph(ctx, ud, in[0]);
}

static void test_graph_gradcheck_and_kernels_agree(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 2);
    nn_module *m = shaped_model(ctx);
    int shape[3] = {3, 3, 4};
    nn_tensor *x = nn_randn(ctx, 3, shape, 0, 1.2f);
    nn_module *kids[8];
    int nk = nn_module_children(m, kids, 8);
    nn_tensor *in[4] = {x, nn_module_param_tensor(kids[1], 0), nn_module_param_tensor(kids[1], 1)};
    assert_int_equal(nk, 7);
    double e = gradcheck(ctx, graph_fn, in, 3, m);
    if (e > GC_TOL) fail_msg("graph of flatten/reshape: gradient error %.3g", e);
    /* the graph's output has the kernels' shape and values */
    nn_module_train(m, false);
    const float *y;
    assert_int_equal(nn_module_forward(m, x->data, 3, shape, &y), NN_OK);
    nn_tensor *yg = nn_module_graph(ctx, m, x);
    assert_non_null(yg);
    assert_int_equal(yg->ndim, 2);
    assert_int_equal(yg->shape[1], 5);
    for (int i = 0; i < 15; i++) assert_float_equal(yg->data[i], y[i], 1e-6);
    nn_tensor_free(yg);
    nn_tensor_free(x);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static void test_model_file_keeps_flatten_and_reshape(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 4);
    nn_module *m = shaped_model(ctx);
    char path[] = "/tmp/nnlab_flatten_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    nn_module *m2 = nn_model_load(ctx, path, NULL);
    unlink(path);
    assert_non_null(m2);
    nn_module *kids[8];
    assert_int_equal(nn_module_children(m2, kids, 8), 7);
    assert_string_equal(nn_module_name(kids[0]), "flatten");
    assert_string_equal(nn_module_name(kids[2]), "reshape");
    nn_module_train(m, false);
    nn_module_train(m2, false);
    int shape[3] = {2, 3, 4}, o1[4], o2[4];
    float x[24];
    for (int i = 0; i < 24; i++) x[i] = (float)cos(i);
    assert_int_equal(nn_module_out_shape(m2, 3, shape, o2), nn_module_out_shape(m, 3, shape, o1));
    const float *y1, *y2;
    float keep[10];
    assert_int_equal(nn_module_forward(m, x, 3, shape, &y1), NN_OK);
    memcpy(keep, y1, sizeof keep);
    assert_int_equal(nn_module_forward(m2, x, 3, shape, &y2), NN_OK);
    for (int i = 0; i < 10; i++) assert_float_equal(keep[i], y2[i], 0);
    nn_module_free(m);
    nn_module_free(m2);
    nn_ctx_free(ctx);
}

static void test_dataset_samples_of_any_shape(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    int xs[3] = {1, 28, 28}, ys[1] = {1};
    nn_dataset *d = nn_dataset_new_shaped(ctx, 5, 3, xs, 1, ys, 10);
    assert_non_null(d);
    assert_int_equal(d->nx, 784);
    assert_int_equal(d->x_ndim, 3);
    nn_dataset *s = nn_dataset_slice(ctx, d, 1, 2); /* keeps the sample shape */
    assert_int_equal(s->x_ndim, 3);
    assert_int_equal(s->x_shape[2], 28);
    int flat[1] = {784}, wrong[2] = {28, 27};
    assert_int_equal(nn_dataset_reshape(ctx, s, false, 1, flat), NN_OK);
    assert_int_equal(s->x_ndim, 1);
    assert_int_equal(nn_dataset_reshape(ctx, s, false, 2, wrong), NN_ESHAPE);
    assert_string_equal(nn_error(ctx),
                        "dataset: samples of x have 784 values, the shape [28,27] has 756");
    assert_int_equal(s->x_ndim, 1); /* unchanged */
    nn_dataset *plain = nn_dataset_new(ctx, 4, 2, 1, 2);
    assert_int_equal(plain->x_ndim, 1);
    assert_int_equal(plain->x_shape[0], 2);
    nn_dataset_free(plain);
    nn_dataset_free(s);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* N images 1 x 28 x 28 of 10 classes: class c is a bright band of rows 2c+4 .. 2c+5 over
 * noise in [0, 0.3). */
static nn_dataset *band_images(nn_ctx *ctx, int n) {
    int xs[3] = {1, 28, 28}, ys[1] = {1};
    nn_dataset *d = nn_dataset_new_shaped(ctx, n, 3, xs, 1, ys, 10);
    for (int i = 0; i < n; i++) {
        int c = i % 10;
        float *img = d->x + (int64_t)i * 784;
        for (int p = 0; p < 784; p++) img[p] = (float)(0.3 * nn_rand_uniform(ctx));
        for (int row = 2 * c + 4; row < 2 * c + 6; row++)
            for (int col = 0; col < 28; col++) img[row * 28 + col] += 0.7f;
        d->y[i] = (float)c;
    }
    return d;
}

static void test_image_set_trains_through_flatten_linear(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 11);
    nn_dataset *d = band_images(ctx, 200);
    nn_module *p[2] = {nn_flatten_new(ctx),
                       nn_linear_new(ctx, 784, 10, I(NN_INIT_XAVIER_UNIFORM), I(NN_INIT_ZEROS))};
    nn_module *m = seq(ctx, p, 2);
    /* a linear layer alone refuses the images, naming both shapes */
    nn_module *lin = nn_linear_new(ctx, 784, 10, I(NN_INIT_ZEROS), I(NN_INIT_ZEROS));
    nn_optim_hp h = nn_optim_defaults(NN_OPT_SGD);
    h.lr = 0.1f;
    nn_optim *o = nn_optim_new(ctx, NN_OPT_SGD, h, nn_module_nparams(m));
    nn_fit_opts fo = {.loss = NN_LOSS_CE, .epochs = 6, .batch = 20, .shuffle = true};
    assert_null(nn_run_new(ctx, lin, o, d, NULL, &fo));
    assert_string_equal(nn_error(ctx), "fit: linear expects [batch, 784], got [batch, 1, 28, 28]: "
                                       "it takes 2-D input; put nn.flatten() before it");
    nn_module_free(lin);
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_non_null(r);
    /* one epoch warms the buffers; the rest allocate nothing */
    while (nn_run_epoch(r) < 1) nn_run_for(r, 1);
    uint64_t allocs = nn_heap_allocs(ctx);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    assert_int_equal(nn_heap_allocs(ctx), allocs);
    int n;
    const nn_epoch_rec *hist = nn_run_history(r, &n);
    assert_int_equal(n, 6);
    printf("image set: loss %.4f -> %.4f, accuracy %.3f\n", hist[0].loss, hist[5].loss,
           hist[5].acc);
    assert_true(hist[5].loss < 0.5 * hist[0].loss);
    assert_true(hist[5].acc > 0.9);
    double loss, acc;
    assert_int_equal(nn_evaluate(ctx, m, d, NN_LOSS_CE, 1, &loss, &acc, NULL), NN_OK);
    assert_true(acc > 0.9);
    nn_run_free(r);
    nn_optim_free(o);
    nn_module_free(m);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* A kind added to the enum without its line in the table, or a def missing a part
 * every kind needs, is caught here rather than by a crash at the prompt. */
static void test_every_kind_has_a_complete_table_entry(void **state) {
    (void)state;
    for (int k = 0; k < NN_MOD_COUNT; k++) {
        const nn_module_def *d = nn_module_defs[k];
        if (!d) fail_msg("module kind %d has no line in nn_module_defs", k);
        if (!d->kind || !d->shape || !d->forward || !d->backward || !d->graph)
            fail_msg("module kind %d (%s) lacks kind, shape, forward, backward or graph", k,
                     d->kind ? d->kind : "?");
        for (int j = 0; j < k; j++)
            if (!strcmp(nn_module_defs[j]->kind, d->kind))
                fail_msg("two kinds are called %s", d->kind);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind_has_a_complete_table_entry),
        cmocka_unit_test(test_flatten_and_reshape_shapes_and_values),
        cmocka_unit_test(test_shapes_that_do_not_fit_name_both),
        cmocka_unit_test(test_kernels_match_finite_difference),
        cmocka_unit_test(test_graph_gradcheck_and_kernels_agree),
        cmocka_unit_test(test_model_file_keeps_flatten_and_reshape),
        cmocka_unit_test(test_dataset_samples_of_any_shape),
        cmocka_unit_test(test_image_set_trains_through_flatten_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
