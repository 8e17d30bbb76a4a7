/* test_idx.c: the IDX loader given files whose header lies: sizes past the file's
 * end (raw and gzip), sizes whose product overflows 32 bits, zero and oversized
 * dimensions, counts that disagree, a limit; each refused with a reason and
 * without allocating what the header claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "nn.h"

static char img[64], lab[64];

/* Writes an IDX file of bytes (gzip when gz) with ndims sizes and n data bytes. */
static void write_idx(const char *p, bool gz, int ndims, const uint32_t *dims, size_t n) {
    unsigned char head[4 + 12] = {0, 0, 8, (unsigned char)ndims};
    for (int i = 0; i < ndims; i++) {
        head[4 + 4 * i] = (unsigned char)(dims[i] >> 24);
        head[5 + 4 * i] = (unsigned char)(dims[i] >> 16);
        head[6 + 4 * i] = (unsigned char)(dims[i] >> 8);
        head[7 + 4 * i] = (unsigned char)dims[i];
    }
    gzFile f = gzopen(p, gz ? "wb" : "wbT"); /* T: plain, not compressed */
    assert_non_null(f);
    gzwrite(f, head, (unsigned)(4 + 4 * ndims));
    for (size_t i = 0; i < n; i++) gzputc(f, (int)(i % 10));
    gzclose(f);
}

static void refused(nn_ctx *ctx, const char *want) {
    nn_dataset *d = nn_idx_load(ctx, img, lab, 0);
    if (d) nn_dataset_free(d);
    assert_null(d);
    if (!strstr(nn_error(ctx), want)) fail_msg("expected \"%s\" in \"%s\"", want, nn_error(ctx));
}

static void test_idx_refuses_sizes_past_the_end_of_the_file(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    for (int gz = 0; gz < 2; gz++) {
        uint32_t di[3] = {1u << 26, 28, 28}, dl[1] = {1u << 26};
        write_idx(img, gz, 3, di, 100); /* claims 52 GB of pixels, holds 100 bytes */
        write_idx(lab, gz, 1, dl, 100);
        refused(ctx, "is truncated: its header promises 52613349376 bytes of data, it holds 100");
        uint32_t ok_i[3] = {3, 2, 2}, ok_l[1] = {3};
        write_idx(img, gz, 3, ok_i, 12);
        write_idx(lab, gz, 1, ok_l, 2); /* one label short */
        refused(ctx, "is truncated: its header promises 3 bytes of data, it holds 2");
    }
    nn_ctx_free(ctx);
}

/* 2^26 images of 4096 x 4096 are 2^50 bytes: once cast to 32 bits that was 0. */
static void test_idx_sizes_that_overflow_32_bits_are_not_wrapped(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    uint32_t di[3] = {1u << 26, 4096, 4096}, dl[1] = {1u << 26};
    write_idx(img, true, 3, di, 0);
    write_idx(lab, true, 1, dl, 0);
    refused(ctx, "is truncated");
    nn_ctx_free(ctx);
}

static void test_idx_refuses_impossible_dimensions(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    uint32_t cases[][3] = {{0, 2, 2}, {3, 0, 2}, {3, 2, 4097}, {(1u << 26) + 1, 1, 1}, {4, 2, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t dl[1] = {cases[i][0] == 4 ? 3 : cases[i][0]};
        write_idx(img, false, 3, cases[i], 64);
        write_idx(lab, false, 1, dl, 64);
        refused(ctx, "are not images and their labels");
    }
    nn_ctx_free(ctx);
}

static void test_idx_limit_reads_only_what_it_needs(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    uint32_t di[3] = {1000, 2, 2}, dl[1] = {1000};
    write_idx(img, true, 3, di, 8); /* two images present of 1000 */
    write_idx(lab, true, 1, dl, 2);
    nn_dataset *d = nn_idx_load(ctx, img, lab, 2);
    assert_non_null(d);
    assert_int_equal(d->n, 2);
    assert_float_equal(d->x[5], 5 / 255.0f, 1e-7);
    nn_dataset_free(d);
    refused(ctx, "is truncated");
    nn_ctx_free(ctx);
}

int main(void) {
    snprintf(img, sizeof img, "/tmp/nnlab_test_idx_%d_img", (int)getpid());
    snprintf(lab, sizeof lab, "/tmp/nnlab_test_idx_%d_lab", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idx_refuses_sizes_past_the_end_of_the_file),
        cmocka_unit_test(test_idx_sizes_that_overflow_32_bits_are_not_wrapped),
        cmocka_unit_test(test_idx_refuses_impossible_dimensions),
        cmocka_unit_test(test_idx_limit_reads_only_what_it_needs),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(img);
    unlink(lab);
    return failed;
}
