/* test_modelfile.c: save and load give bit-identical outputs (and optimizer state);
 * truncated, corrupted, foreign and missing files are refused with the reason; a
 * failed save leaves the old file. */
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

#include "nn.h"

static char path[256];

static int setup(void **state) {
    (void)state;
    snprintf(path, sizeof path, "/tmp/nnlab_test_model_%d.nnl", (int)getpid());
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(path);
    return 0;
}

static nn_module *model(nn_ctx *ctx) {
    nn_init xu = {NN_INIT_XAVIER_UNIFORM, 0, 0}, b = {NN_INIT_CONSTANT, 0.01f, 0};
    nn_module *inner[2] = {nn_linear_new(ctx, 6, 6, xu, b),
                           nn_activation_new(ctx, NN_ACT_ELU, 0.7f)};
    nn_module *blk = nn_sequential_new(ctx, inner, 2);
    nn_module *res = nn_residual_new(ctx, blk);
    nn_module *p[6] = {nn_linear_new(ctx, 3, 6, xu, b),
                       nn_batchnorm_new(ctx, 6, 0.1f, 1e-5f),
                       nn_activation_new(ctx, NN_ACT_PRELU, 0.2f),
                       res,
                       nn_dropout_new(ctx, 0.3f),
                       nn_linear_new(ctx, 6, 2, xu, b)};
    nn_module *m = nn_sequential_new(ctx, p, 6);
    for (int i = 0; i < 6; i++) nn_module_free(p[i]);
    nn_module_free(inner[0]);
    nn_module_free(inner[1]);
    nn_module_free(blk);
    return m;
}

static void test_save_load_identical_outputs(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 11);
    nn_module *m = model(ctx);
    float x[30];
    for (int i = 0; i < 30; i++) x[i] = (float)nn_rand_normal(ctx);
    const float *y;
    nn_module_forward(m, x, 10, 3, &y); /* moves batch norm's running statistics */
    nn_module_train(m, false);
    float y1[20];
    nn_module_forward(m, x, 10, 3, &y);
    memcpy(y1, y, sizeof y1);
    nn_module_freeze(m, false);
    nn_optim *o =
        nn_optim_new(ctx, NN_OPT_ADAM, nn_optim_defaults(NN_OPT_ADAM), nn_module_nparams(m));
    for (int64_t i = 0; i < nn_module_nparams(m); i++) nn_module_grads(m)[i] = 0.1f;
    nn_optim_state(o, 0)[3] = 0.5f;
    nn_optim_set_steps(o, 7);
    assert_int_equal(nn_model_save(ctx, m, o, path), NN_OK);

    nn_optim *o2;
    nn_module *m2 = nn_model_load(ctx, path, &o2);
    assert_non_null(m2);
    assert_non_null(o2);
    assert_int_equal(nn_module_nparams(m2), nn_module_nparams(m));
    assert_memory_equal(nn_module_params(m2), nn_module_params(m),
                        (size_t)nn_module_nparams(m) * sizeof(float));
    nn_module_train(m2, false);
    nn_module_forward(m2, x, 10, 3, &y);
    assert_memory_equal(y, y1, sizeof y1); /* bit for bit */
    assert_int_equal(nn_optim_kind_of(o2), NN_OPT_ADAM);
    assert_int_equal(nn_optim_steps(o2), 7);
    assert_float_equal(nn_optim_state(o2, 0)[3], 0.5f, 0);
    assert_float_equal(nn_optim_hparams(o2)->lr, 0.001f, 0);
    nn_optim_free(o2);
    nn_module_free(m2);
    /* without asking for the optimizer */
    m2 = nn_model_load(ctx, path, NULL);
    assert_non_null(m2);
    nn_module_free(m2);
    nn_optim_free(o);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static long file_size(void) {
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void flip_byte(long at) {
    FILE *f = fopen(path, "r+b");
    fseek(f, at, SEEK_SET);
    int c = fgetc(f);
    fseek(f, at, SEEK_SET);
    fputc(c ^ 0x40, f);
    fclose(f);
}

static void test_corrupted_truncated_foreign_refused(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = model(ctx);
    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    long n = file_size();
    flip_byte(n / 2);
    assert_null(nn_model_load(ctx, path, NULL));
    assert_non_null(strstr(nn_error(ctx), "corrupted (CRC-32 mismatch)"));

    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    assert_int_equal(truncate(path, n - 10), 0);
    assert_null(nn_model_load(ctx, path, NULL));
    assert_non_null(strstr(nn_error(ctx), "truncated"));

    FILE *f = fopen(path, "wb");
    fputs("x,y\n1,2\n", f);
    fclose(f);
    assert_null(nn_model_load(ctx, path, NULL));
    assert_non_null(strstr(nn_error(ctx), "is not an nnlab model"));

    assert_null(nn_model_load(ctx, "/nonexistent/m.nnl", NULL));
    assert_non_null(strstr(nn_error(ctx), "cannot open /nonexistent/m.nnl"));

    /* a save that cannot write leaves no file behind and says why */
    assert_int_equal(nn_model_save(ctx, m, NULL, "/nonexistent/m.nnl"), NN_EIO);
    assert_non_null(strstr(nn_error(ctx), "/nonexistent/m.nnl"));
    nn_module_free(m);
    nn_ctx_free(ctx);
}

/* A file from a later version is refused by its version number. */
static void test_other_version_refused(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = model(ctx);
    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    FILE *f = fopen(path, "r+b");
    fseek(f, 8, SEEK_SET);
    fputc(9, f);
    fclose(f);
    assert_null(nn_model_load(ctx, path, NULL));
    assert_non_null(strstr(nn_error(ctx), "format version 9"));
    nn_module_free(m);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_save_load_identical_outputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupted_truncated_foreign_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_version_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
