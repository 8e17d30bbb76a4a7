/* test_fileio.c: every loader (CSV, IDX, model files) refuses a folder or a FIFO
 * at once, "not a regular file", instead of reading garbage, running out of
 * memory or waiting for a writer that never comes (an alarm fails the test if a
 * loader blocks). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "nn.h"

#define BLOCK_LIMIT_S 10 /* a loader that waits on the FIFO is killed by SIGALRM */

static void expect_refused(nn_ctx *ctx, const char *path, const char *kind) {
    char want[160];
    snprintf(want, sizeof want, "cannot open %s: not a regular file (%s)", path, kind);
    alarm(BLOCK_LIMIT_S);
    nn_dataset *d = nn_csv_load(ctx, path, NULL, -1, false, NULL);
    assert_null(d);
    if (!strstr(nn_error(ctx), want)) fail_msg("csv: \"%s\"", nn_error(ctx));
    d = nn_idx_load(ctx, path, path, 0);
    assert_null(d);
    if (!strstr(nn_error(ctx), want)) fail_msg("idx: \"%s\"", nn_error(ctx));
    nn_optim *o = NULL;
    nn_module *m = nn_model_load(ctx, path, &o);
    assert_null(m);
    if (!strstr(nn_error(ctx), want)) fail_msg("model: \"%s\"", nn_error(ctx));
    alarm(0);
}

static void test_loaders_refuse_a_folder(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    expect_refused(ctx, "/tmp", "a folder");
    nn_ctx_free(ctx);
}

static void test_loaders_refuse_a_fifo_without_waiting(void **unused) {
    (void)unused;
    char p[64];
    snprintf(p, sizeof p, "/tmp/nnlab_test_fifo_%d", (int)getpid());
    unlink(p);
    assert_int_equal(mkfifo(p, 0600), 0);
    nn_ctx *ctx = nn_ctx_new();
    expect_refused(ctx, p, "a FIFO");
    nn_ctx_free(ctx);
    unlink(p);
}

static void test_loaders_name_a_missing_file(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    assert_null(nn_csv_load(ctx, "/nonexistent/x.csv", NULL, -1, false, NULL));
    assert_non_null(strstr(nn_error(ctx), "cannot open /nonexistent/x.csv: No such file"));
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loaders_refuse_a_folder),
        cmocka_unit_test(test_loaders_refuse_a_fifo_without_waiting),
        cmocka_unit_test(test_loaders_name_a_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
