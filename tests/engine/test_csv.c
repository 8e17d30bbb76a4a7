/* test_csv.c: the CSV loader given hostile or careless files: a zero byte, nan,
 * inf and 1e999, repeated column names, a single class, and messages that give
 * positions (file, line, column) and never the file's text. The ordinary cases are
 * in test_data.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "nn.h"

static char path[64];

static void write_bytes(const char *text, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    fclose(f);
}

static void write_text(const char *text) {
    write_bytes(text, strlen(text));
}

/* Loads path (label column 3, classify) and asserts failure with a message that
 * holds want and none of the secret words in the file. */
static void refused(nn_ctx *ctx, int label_col, bool classify, const char *want) {
    nn_dataset *d = nn_csv_load(ctx, path, NULL, label_col, classify, NULL);
    if (d) nn_dataset_free(d);
    assert_null(d);
    const char *msg = nn_error(ctx);
    if (!strstr(msg, want)) fail_msg("expected \"%s\" in \"%s\"", want, msg);
    assert_null(strstr(msg, "secret"));
}

static void test_csv_refuses_a_zero_byte_with_its_position(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    /* the zero byte once made "2,3" and "4,5,1" one row "2,4,5,1" */
    static const char text[] = "a,b,c\n1,2,0\n2,3\0secret\n4,5,1\n";
    write_bytes(text, sizeof text - 1);
    refused(ctx, 2, true, "line 3 column 2: a zero byte");
    nn_ctx_free(ctx);
}

static void test_csv_refuses_nan_inf_and_out_of_range_numbers(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    const char *bad[] = {"nan", "inf", "-inf", "1e999", "NaN", "-1e39"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "a,b,c\n1,2,0\n3,%s,1\n", bad[i]);
        write_text(text);
        refused(ctx, 2, true, "line 3 column 2: not a finite number");
        snprintf(text, sizeof text, "a,b,c\n1,2,0.5\n3,4,%s\n", bad[i]); /* a label */
        write_text(text);
        refused(ctx, 2, false, "line 3 column 3: the label is not a finite number");
    }
    write_text("a,b,c\n1,2,0.5\n3,1e38,1\n"); /* large but finite: fine */
    nn_dataset *d = nn_csv_load(ctx, path, NULL, 2, false, NULL);
    assert_non_null(d);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

static void test_csv_refuses_repeated_column_names(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    write_text("x,y,x,label\n1,2,3,0\n4,5,6,1\n");
    refused(ctx, 3, true, "line 1: columns 1 and 3 have the same name");
    write_text("\n\nx, y ,y\n1,2,0\n"); /* after blank lines, and trimmed */
    refused(ctx, 2, true, "line 3: columns 2 and 3 have the same name");
    nn_ctx_free(ctx);
}

static void test_csv_refuses_a_single_class(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    write_text("a,b,kind\n1,2,cat\n3,4,cat\n");
    refused(ctx, 2, false, "column 3: every row has the same label");
    write_text("a,b,kind\n1,2,0\n3,4,0\n");
    refused(ctx, 2, true, "column 3: every label is class 0");
    write_text("a,b,kind\n1,2,1\n3,4,1\n"); /* class 1 of 0..1: two classes, one present */
    nn_dataset *d = nn_csv_load(ctx, path, NULL, 2, true, NULL);
    assert_non_null(d);
    assert_int_equal(d->classes, 2);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

/* Any file the user names may be handed to the loader: what it says about it is
 * where, never what. */
static void test_csv_messages_quote_positions_not_contents(void **unused) {
    (void)unused;
    nn_ctx *ctx = nn_ctx_new();
    write_text("root:x:0:0:secret:/root:/bin/bash\nsecret:x:1:1\n");
    refused(ctx, -1, false, "line 2 column 1: not a number");
    nn_dataset *d = nn_csv_load(ctx, path, "label", -1, false, NULL);
    assert_null(d);
    assert_non_null(strstr(nn_error(ctx), "no column 'label' (its header, line 1, has 1 columns)"));
    assert_null(strstr(nn_error(ctx), "secret"));
    write_text("a,secret\n1,2\n3,secret\n");
    refused(ctx, 1, false, "column 2 mixes numbers and text (text at line 3)");
    write_text("a,secret\n1,2\n3,-1\n");
    refused(ctx, 1, true, "line 3 column 2: the label is not a class index 0..1023");
    write_text("secret\n1\n");
    refused(ctx, 0, false, "has only the label column (column 1)");
    write_text("a,b\n1,secret,3\n");
    refused(ctx, 1, false, "line 2 has 3 fields, the header 2");
    nn_ctx_free(ctx);
}

int main(void) {
    snprintf(path, sizeof path, "/tmp/nnlab_test_csv_%d.csv", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_refuses_a_zero_byte_with_its_position),
        cmocka_unit_test(test_csv_refuses_nan_inf_and_out_of_range_numbers),
        cmocka_unit_test(test_csv_refuses_repeated_column_names),
        cmocka_unit_test(test_csv_refuses_a_single_class),
        cmocka_unit_test(test_csv_messages_quote_positions_not_contents),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(path);
    return failed;
}
