/* test_data.c: synthetic sets (shapes, labels, determinism), Playground features,
 * shuffle/split, scaling fitted on one set, one-hot, the CSV and IDX loaders. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "nn.h"

#define FASHION "/usr/share/datasets/fashion-mnist/"

static void test_synthetic_sets(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    for (int k = 0; k < NN_SYN_COUNT; k++) {
        nn_seed(ctx, 9);
        nn_dataset *d = nn_synth(ctx, (nn_synth_kind)k, 301, 3, 0.1f);
        assert_non_null(d);
        assert_int_equal(d->n, 301);
        assert_int_equal(d->nx, k == NN_SYN_SINE ? 1 : 2);
        int counts[3] = {0};
        for (int i = 0; i < d->n; i++) {
            for (int j = 0; j < d->nx; j++) assert_true(fabsf(d->x[i * d->nx + j]) < 12);
            if (d->classes) counts[(int)d->y[i]]++;
        }
        if (d->classes) assert_true(abs(counts[0] - counts[1]) <= 1); /* balanced */
        nn_seed(ctx, 9);
        nn_dataset *e = nn_synth(ctx, (nn_synth_kind)k, 301, 3, 0.1f);
        assert_memory_equal(d->x, e->x, (size_t)d->n * d->nx * sizeof(float)); /* same seed */
        nn_dataset_free(d);
        nn_dataset_free(e);
    }
    nn_dataset *s = nn_synth(ctx, NN_SYN_SPIRAL, 300, 3, 0);
    assert_int_equal(s->classes, 3);
    nn_dataset_free(s);
    /* the circle: class 1 inside radius 2.5, class 0 outside 3.5 (no noise) */
    nn_dataset *c = nn_synth(ctx, NN_SYN_CIRCLE, 200, 0, 0);
    for (int i = 0; i < 200; i++) {
        float r = hypotf(c->x[2 * i], c->x[2 * i + 1]);
        assert_true(c->y[i] == 1 ? r <= 2.5f : r >= 3.5f);
    }
    nn_dataset_free(c);
    assert_null(nn_synth(ctx, NN_SYN_XOR, 10, 0, -1));
    nn_ctx_free(ctx);
}

static void test_features_split_scaling_one_hot(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_dataset_new(ctx, 4, 2, 1, 2);
    float x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, y[4] = {0, 1, 0, 1};
    memcpy(d->x, x, sizeof x);
    memcpy(d->y, y, sizeof y);
    nn_dataset *f = nn_features(ctx, d, 0x7f);
    assert_int_equal(f->nx, 7);
    float want[7] = {1, 2, 1, 4, 2, sinf(1), sinf(2)};
    assert_memory_equal(f->x, want, sizeof want);
    nn_dataset_free(f);

    nn_dataset *a, *b;
    assert_int_equal(nn_dataset_split(ctx, d, 0.25f, &a, &b), NN_OK);
    assert_int_equal(a->n, 3);
    assert_int_equal(b->n, 1);
    assert_float_equal(b->x[0], 7, 0);
    float st[4];
    nn_fit_standardize(a, st); /* column 0 of a: 1, 3, 5 -> mean 3, std sqrt(8/3) */
    assert_float_equal(st[0], 3, 1e-6);
    assert_float_equal(st[2], sqrtf(8.0f / 3), 1e-6);
    nn_apply_scaling(b, st); /* fitted on a, applied to b: (7 - 3)/1.633 */
    assert_float_equal(b->x[0], 4 / sqrtf(8.0f / 3), 1e-5);
    nn_fit_minmax(a, st);
    nn_apply_scaling(a, st);
    assert_float_equal(a->x[0], 0, 0);
    assert_float_equal(a->x[4], 1, 0);
    float oh[8];
    assert_int_equal(nn_one_hot(ctx, y, 4, 2, oh), NN_OK);
    assert_float_equal(oh[0], 1, 0); /* label 0 */
    assert_float_equal(oh[1], 0, 0);
    assert_float_equal(oh[3], 1, 0); /* label 1 */
    float bad[1] = {2};
    assert_int_equal(nn_one_hot(ctx, bad, 1, 2, oh), NN_EARG);
    assert_int_equal(nn_dataset_split(ctx, d, 0.01f, &a, &b) < 0, 1);
    nn_dataset_shuffle(ctx, d);
    double sum = 0;
    for (int i = 0; i < 4; i++) sum += d->x[2 * i] * 10 + d->y[i];
    assert_float_equal(sum, 10 + 30 + 50 + 70 + 2, 1e-6); /* rows move with their labels */
    nn_dataset_free(a);
    nn_dataset_free(b);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

static void write_file(const char *p, const char *text) {
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_csv(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    char p[64];
    snprintf(p, sizeof p, "/tmp/nnlab_test_%d.csv", (int)getpid());
    write_file(p,
               "sepal, petal, species\n5.1, 1.4, setosa\r\n7.0,4.7,versicolor\n\n6.3,6.0,setosa\n");
    nn_csv_names names;
    nn_dataset *d = nn_csv_load(ctx, p, NULL, 2, true, &names);
    assert_non_null(d);
    assert_int_equal(d->n, 3);
    assert_int_equal(d->nx, 2);
    assert_int_equal(d->classes, 2);
    assert_float_equal(d->x[2], 7.0f, 0);
    assert_float_equal(d->y[2], 0, 0);
    assert_float_equal(d->y[1], 1, 0);
    assert_int_equal(names.nclasses, 2);
    assert_string_equal(names.classes[0], "setosa");
    assert_string_equal(names.classes[1], "versicolor");
    nn_csv_names_free(&names);
    nn_dataset_free(d);
    write_file(p, "a,b,c\n1,2,3\n3,x,4\n");
    assert_null(nn_csv_load(ctx, p, NULL, 2, false, NULL));
    assert_non_null(strstr(nn_error(ctx), "line 3 column 2: not a number"));
    unlink(p);
    nn_ctx_free(ctx);
}

/* The label by header name, wherever it is; the header's names kept; text labels
 * become classes without classify; the label's name goes into errors. */
static void test_csv_label_by_name_keeps_names(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    char p[64];
    snprintf(p, sizeof p, "/tmp/nnlab_test_names_%d.csv", (int)getpid());
    write_file(p, "species,sepal,petal\nvirginica,6.3,6.0\nsetosa,5.1,1.4\nvirginica,7.1,5.9\n");
    uint64_t heap0 = nn_heap_allocs(ctx);
    nn_csv_names names;
    nn_dataset *d = nn_csv_load(ctx, p, "species", -1, false, &names);
    assert_non_null(d);
    assert_int_equal(d->nx, 2);
    assert_int_equal(d->classes, 2);
    assert_float_equal(d->x[0], 6.3f, 0);
    assert_float_equal(d->x[3], 1.4f, 0);
    assert_float_equal(d->y[0], 0, 0);
    assert_float_equal(d->y[1], 1, 0);
    assert_float_equal(d->y[2], 0, 0);
    assert_int_equal(names.ncols, 3);
    assert_int_equal(names.label_col, 0);
    assert_string_equal(names.columns[0], "species");
    assert_string_equal(names.columns[2], "petal");
    assert_int_equal(names.nclasses, 2);
    assert_string_equal(names.classes[0], "virginica");
    assert_string_equal(names.classes[1], "setosa");
    nn_csv_names_free(&names);
    nn_dataset_free(d);
    assert_true(nn_heap_allocs(ctx) > heap0); /* the names too come from the counted heap */

    assert_null(nn_csv_load(ctx, p, "kind", -1, true, &names));
    assert_non_null(strstr(nn_error(ctx), p));
    assert_non_null(strstr(nn_error(ctx), "no column 'kind' (its header, line 1, has 3 columns)"));
    assert_null(names.columns);

    write_file(p, "x,y\n1,2\n2,oops\n3,4\n");
    assert_null(nn_csv_load(ctx, p, "y", -1, false, NULL));
    assert_non_null(strstr(nn_error(ctx), "column 2 mixes numbers and text (text at line 3)"));
    d = nn_csv_load(ctx, p, "y", -1, true, &names); /* with classify every label is a name */
    assert_non_null(d);
    assert_int_equal(d->classes, 3);
    assert_string_equal(names.classes[1], "oops");
    nn_csv_names_free(&names);
    nn_dataset_free(d);
    unlink(p);
    nn_ctx_free(ctx);
}

static void write_be32(gzFile f, uint32_t v) {
    unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
    gzwrite(f, b, 4);
}

static void test_idx_gzip(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    char pi[64], pl[64];
    snprintf(pi, sizeof pi, "/tmp/nnlab_test_%d_img.gz", (int)getpid());
    snprintf(pl, sizeof pl, "/tmp/nnlab_test_%d_lab.gz", (int)getpid());
    gzFile f = gzopen(pi, "wb");
    unsigned char magic[4] = {0, 0, 8, 3}, px[12] = {0, 255, 51, 102, 0, 0, 0, 0, 0, 0, 0, 255};
    gzwrite(f, magic, 4);
    write_be32(f, 3);
    write_be32(f, 2);
    write_be32(f, 2);
    gzwrite(f, px, 12);
    gzclose(f);
    f = gzopen(pl, "wb");
    unsigned char lm[4] = {0, 0, 8, 1}, lab[3] = {7, 0, 9};
    gzwrite(f, lm, 4);
    write_be32(f, 3);
    gzwrite(f, lab, 3);
    gzclose(f);
    nn_dataset *d = nn_idx_load(ctx, pi, pl, 0);
    assert_non_null(d);
    assert_int_equal(d->n, 3);
    assert_int_equal(d->nx, 4);
    assert_float_equal(d->x[1], 1.0f, 0);
    assert_float_equal(d->x[2], 0.2f, 1e-7);
    assert_float_equal(d->y[2], 9, 0);
    nn_dataset_free(d);
    assert_null(nn_idx_load(ctx, pl, pi, 0)); /* labels as images: refused */
    assert_non_null(strstr(nn_error(ctx), "are not images and their labels"));
    unlink(pi);
    unlink(pl);
    nn_ctx_free(ctx);
}

/* Debian's Fashion-MNIST, when installed: 10000 test images of 28x28. */
static void test_fashion_mnist(void **state) {
    (void)state;
    if (access(FASHION "t10k-images-idx3-ubyte.gz", R_OK) != 0) skip();
    nn_ctx *ctx = nn_ctx_new();
    nn_dataset *d = nn_idx_load(ctx, FASHION "t10k-images-idx3-ubyte.gz",
                                FASHION "t10k-labels-idx1-ubyte.gz", 500);
    assert_non_null(d);
    assert_int_equal(d->n, 500);
    assert_int_equal(d->nx, 784);
    assert_int_equal(d->classes, 10);
    int seen[10] = {0};
    for (int i = 0; i < 500; i++) seen[(int)d->y[i]] = 1;
    for (int c = 0; c < 10; c++) assert_true(seen[c]);
    nn_dataset_free(d);
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synthetic_sets),
        cmocka_unit_test(test_features_split_scaling_one_hot),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_label_by_name_keeps_names),
        cmocka_unit_test(test_idx_gzip),
        cmocka_unit_test(test_fashion_mnist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
