/* test_text.c: reading a text file whole, plain or gzip-compressed, and the refusal
 * of a missing file or a folder naming the path. */
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "testutil.h"

#include "nn_text.h"

static void test_text_reads_plain_and_gzip(void **state) {
    nn_ctx *ctx = *state;
    char plain[] = "/tmp/nnlab_test_text_XXXXXX";
    int fd = mkstemp(plain);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "in the beginning\n", 17), 17);
    close(fd);
    size_t len = 0;
    char *t = nn_text_read(ctx, plain, &len);
    assert_non_null(t);
    assert_int_equal(len, 17);
    assert_string_equal(t, "in the beginning\n");
    nn_text_free(t);
    gzFile g = gzopen(plain, "wb");
    assert_non_null(g);
    assert_int_equal(gzputs(g, "ravi de vous rencontrer"), 23);
    gzclose(g);
    t = nn_text_read(ctx, plain, &len);
    assert_non_null(t);
    assert_string_equal(t, "ravi de vous rencontrer");
    nn_text_free(t);
    unlink(plain);
}

static void test_text_refuses_missing_file_and_folder(void **state) {
    nn_ctx *ctx = *state;
    size_t len;
    assert_null(nn_text_read(ctx, "/nonexistent/corpus.txt", &len));
    assert_non_null(strstr(nn_error(ctx), "cannot open /nonexistent/corpus.txt"));
    assert_null(nn_text_read(ctx, "/tmp", &len));
    assert_non_null(strstr(nn_error(ctx), "not a regular file"));
}

#define BIBLE "/usr/lib/bible.data"

/* The real file (Debian's bible-kjv-text, which dev.sh installs): 4 404 475 bytes of
 * text, Genesis first and Revelation last. Skipped where the package is missing. */
static void test_kjv_decodes_the_packaged_bible(void **state) {
    nn_ctx *ctx = *state;
    if (access(BIBLE, R_OK) != 0) skip();
    size_t len = 0;
    char *t = nn_kjv_read(ctx, BIBLE, &len);
    if (!t) print_error("%s\n", nn_error(ctx));
    assert_non_null(t);
    assert_int_equal(len, 4404475);
    assert_non_null(strstr(t, "\nGe1:1 In the beginning God created the heaven and the earth.\n"));
    const char *end = "Rev22:21 The grace of our Lord Jesus Christ be with you all. Amen.\n";
    assert_string_equal(t + len - strlen(end), end);
    nn_text_free(t);
}

/* A file with the magic but windows that are not LZW, or offsets past its end, or
 * no magic at all, is refused with a message; nothing is read out of bounds. */
static void test_kjv_refuses_corrupt_files(void **state) {
    nn_ctx *ctx = *state;
    char path[] = "/tmp/nnlab_test_kjv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unsigned char head[0x5c + 8 + 40] = "EC02Compressed Data File";
    head[0x56] = 1;                                               /* windows of 65536 bytes */
    head[0x5b] = 1;                                               /* one window */
    head[0x5f] = 0x64, head[0x63] = 0x64 + 40;                    /* offsets 100 and 140 */
    for (int i = 0x64; i < (int)sizeof head; i++) head[i] = 0xff; /* codes 511: impossible */
    assert_int_equal(write(fd, head, sizeof head), (ssize_t)sizeof head);
    close(fd);
    size_t len;
    assert_null(nn_kjv_read(ctx, path, &len));
    assert_non_null(strstr(nn_error(ctx), "window 1 of 1 is corrupt"));
    fd = open(path, O_WRONLY | O_TRUNC);
    head[0x63] = 0xf0; /* the second offset past the end */
    assert_int_equal(write(fd, head, sizeof head), (ssize_t)sizeof head);
    close(fd);
    assert_null(nn_kjv_read(ctx, path, &len));
    assert_non_null(strstr(nn_error(ctx), "corrupt"));
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_int_equal(write(fd, "plain text, not a bible\n", 24), 24);
    close(fd);
    assert_null(nn_kjv_read(ctx, path, &len));
    assert_non_null(strstr(nn_error(ctx), "is not bible-kjv's compressed data file"));
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_reads_plain_and_gzip, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_text_refuses_missing_file_and_folder, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_kjv_decodes_the_packaged_bible, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_kjv_refuses_corrupt_files, tu_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
