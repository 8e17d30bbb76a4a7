/* test_modelfile.c: save and load give bit-identical outputs (and optimizer state),
 * and training resumed from a saved model and optimizer goes on bit for bit as if
 * never stopped; truncated, corrupted, foreign and missing files are refused with
 * the reason; a save that fails part-way leaves the old file; saved files get the
 * mode of a normal file. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
    nn_module_forward(m, x, 2, (int[]){10, 3}, &y); /* moves batch norm's running statistics */
    nn_module_train(m, false);
    float y1[20];
    nn_module_forward(m, x, 2, (int[]){10, 3}, &y);
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
    nn_module_forward(m2, x, 2, (int[]){10, 3}, &y);
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

/* A saved optimizer whose learning rate is NaN (a file from an older nnlab, or one
 * written by hand with a valid CRC) is refused on load naming the setting; the same
 * file loads without the optimizer when it is not asked for. */
static void test_nonfinite_saved_setting_refused(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = model(ctx);
    nn_optim *o =
        nn_optim_new(ctx, NN_OPT_ADAM, nn_optim_defaults(NN_OPT_ADAM), nn_module_nparams(m));
    nn_optim_hparams(o)->lr = NAN;
    assert_int_equal(nn_model_save(ctx, m, o, path), NN_OK);
    nn_optim *back = NULL;
    assert_null(nn_model_load(ctx, path, &back));
    assert_null(back);
    assert_non_null(strstr(nn_error(ctx), "the saved optimizer (adam) has lr = nan; settings "
                                          "must be finite and >= 0"));
    nn_module *only = nn_model_load(ctx, path, NULL);
    assert_non_null(only);
    nn_module_free(only);
    nn_optim_free(o);
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

static mode_t mode_of(const char *p) {
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    return st.st_mode & 07777;
}

/* A new file gets 0666 less the umask, as a file made by fopen would (mkstemp alone
 * gives 0600); saving over a file keeps that file's mode. */
static void test_saved_file_has_normal_mode(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_module *m = model(ctx);
    mode_t old = umask(022);
    unlink(path);
    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    assert_int_equal(mode_of(path), 0644);
    umask(027);
    unlink(path);
    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    assert_int_equal(mode_of(path), 0640);
    assert_int_equal(chmod(path, 0604), 0);
    assert_int_equal(nn_model_save(ctx, m, NULL, path), NN_OK);
    assert_int_equal(mode_of(path), 0604);
    umask(old);
    nn_module_free(m);
    nn_ctx_free(ctx);
}

static unsigned char *read_all(const char *p, long *n) {
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    rewind(f);
    unsigned char *b = malloc((size_t)*n);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)*n, f), (size_t)*n);
    fclose(f);
    return b;
}

/* Files in /tmp whose names start with the model file's: the temporary ones. */
static int leftover_temp_files(void) {
    const char *base = strrchr(path, '/') + 1;
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s.tmp-", base);
    DIR *dir = opendir("/tmp");
    assert_non_null(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(dir));) n += !strncmp(e->d_name, prefix, strlen(prefix));
    closedir(dir);
    return n;
}

/* A save that fails part-way through writing (the file size limit is lower than
 * the file, so write(2) fails with EFBIG after some bytes) reports the error,
 * removes its temporary file and leaves the previous file as it was. */
static void test_failed_save_leaves_old_file(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 3);
    nn_module *a = model(ctx), *b = model(ctx);
    assert_int_equal(nn_model_save(ctx, a, NULL, path), NN_OK);
    long n_before;
    unsigned char *before = read_all(path, &n_before);
    assert_true(n_before > 256);

    struct rlimit keep, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &keep), 0);
    small = keep;
    small.rlim_cur = (rlim_t)n_before / 2; /* the header and some parameters get written */
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = nn_model_save(ctx, b, NULL, path);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &keep), 0);
    signal(SIGXFSZ, was);
    assert_int_equal(rc, NN_EIO);
    assert_non_null(strstr(nn_error(ctx), "cannot write"));
    assert_non_null(strstr(nn_error(ctx), path));

    long n_after;
    unsigned char *after = read_all(path, &n_after);
    assert_int_equal(n_after, n_before);
    assert_memory_equal(after, before, (size_t)n_before);
    assert_int_equal(leftover_temp_files(), 0);
    nn_module *back = nn_model_load(ctx, path, NULL); /* still a's parameters */
    assert_non_null(back);
    assert_memory_equal(nn_module_params(back), nn_module_params(a),
                        (size_t)nn_module_nparams(a) * sizeof(float));
    free(before);
    free(after);
    nn_module_free(back);
    nn_module_free(a);
    nn_module_free(b);
    nn_ctx_free(ctx);
}

/* A small net with batch norm and a bipolar sigmoid of slope 2 (state beyond the
 * weights: running statistics, the activation's argument). */
static nn_module *resume_model(nn_ctx *ctx) {
    nn_init xu = {NN_INIT_XAVIER_UNIFORM, 0, 0}, z = {NN_INIT_ZEROS, 0, 0};
    nn_module *p[4] = {nn_linear_new(ctx, 2, 8, xu, z), nn_batchnorm_new(ctx, 8, 0.1f, 1e-5f),
                       nn_activation_new(ctx, NN_ACT_BIPOLAR, 2), nn_linear_new(ctx, 8, 1, xu, z)};
    nn_module *m = nn_sequential_new(ctx, p, 4);
    for (int i = 0; i < 4; i++) nn_module_free(p[i]);
    return m;
}

static void train_epochs(nn_ctx *ctx, nn_module *m, nn_optim *o, const nn_dataset *d, int epochs) {
    nn_fit_opts fo = {.loss = NN_LOSS_BCE, .epochs = epochs, .batch = 16, .huber_delta = 1};
    nn_run *r = nn_run_new(ctx, m, o, d, NULL, &fo);
    assert_non_null(r);
    assert_int_equal(nn_run_for(r, 0), NN_RUN_DONE);
    nn_run_free(r);
}

/* Six epochs of Adam in one go, and three, a save of model and optimizer, a load
 * and three more: the same parameters and running statistics bit for bit (Adam's
 * moments and step count travel in the file). Without shuffling: a new run starts
 * its row order afresh, so a shuffled run is not resumed exactly. */
static void test_resumed_training_is_bit_identical(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_seed(ctx, 21);
    nn_dataset *d = nn_synth(ctx, NN_SYN_CIRCLE, 80, 0, 0.1f);
    nn_seed(ctx, 5);
    nn_module *whole = resume_model(ctx);
    nn_seed(ctx, 5);
    nn_module *first = resume_model(ctx);
    assert_memory_equal(nn_module_params(whole), nn_module_params(first),
                        (size_t)nn_module_nparams(whole) * sizeof(float));
    nn_optim_hp hp = nn_optim_defaults(NN_OPT_ADAM);
    hp.lr = 0.01f;
    nn_optim *ow = nn_optim_new(ctx, NN_OPT_ADAM, hp, nn_module_nparams(whole));
    nn_optim *of = nn_optim_new(ctx, NN_OPT_ADAM, hp, nn_module_nparams(first));
    train_epochs(ctx, whole, ow, d, 6);

    train_epochs(ctx, first, of, d, 3);
    assert_int_equal(nn_model_save(ctx, first, of, path), NN_OK);
    nn_optim_free(of);
    nn_module_free(first);
    nn_optim *o2;
    nn_module *resumed = nn_model_load(ctx, path, &o2);
    assert_non_null(resumed);
    assert_non_null(o2);
    train_epochs(ctx, resumed, o2, d, 3);

    assert_int_equal(nn_optim_steps(o2), nn_optim_steps(ow));
    int64_t np = nn_module_nparams(whole);
    const float *pw = nn_module_params(whole), *pr = nn_module_params(resumed);
    for (int64_t i = 0; i < np; i++)
        if (memcmp(&pw[i], &pr[i], sizeof(float)))
            fail_msg("parameter %lld: uninterrupted %.9g, resumed %.9g", (long long)i, pw[i],
                     pr[i]);
    for (int i = 0; i < nn_optim_nstate(ow); i++)
        assert_memory_equal(nn_optim_state(ow, i), nn_optim_state(o2, i),
                            (size_t)np * sizeof(float));
    /* the running statistics: the same outputs in evaluation mode */
    nn_module_train(whole, false);
    nn_module_train(resumed, false);
    const float *y;
    float yw[80];
    assert_int_equal(nn_module_forward(whole, d->x, 2, (int[]){80, 2}, &y), NN_OK);
    memcpy(yw, y, sizeof yw);
    assert_int_equal(nn_module_forward(resumed, d->x, 2, (int[]){80, 2}, &y), NN_OK);
    assert_memory_equal(y, yw, sizeof yw);
    nn_optim_free(o2);
    nn_module_free(resumed);
    nn_optim_free(ow);
    nn_module_free(whole);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_save_load_identical_outputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupted_truncated_foreign_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nonfinite_saved_setting_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_saved_file_has_normal_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_save_leaves_old_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resumed_training_is_bit_identical, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
