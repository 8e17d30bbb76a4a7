/* test_text.c: reading a text file whole, plain or gzip-compressed, and the refusal
 * of a missing file or a folder naming the path. */
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_reads_plain_and_gzip, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_text_refuses_missing_file_and_folder, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
