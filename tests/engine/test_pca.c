/* test_pca.c: principal components of points whose axes are known, their signs,
 * and the refusal of impossible sizes. */
#include "testutil.h"

#include "nn_text.h"

static void test_pca_finds_known_axes_and_variances(void **state) {
    nn_ctx *ctx = *state;
    /* two points along (3, 4) and two along (-4, 3)/10: mean 0, covariance with
     * eigenvectors (0.6, 0.8) (variance 2*25/4) and (-0.8, 0.6) (2*0.25/4), the
     * second signed to (0.8, -0.6) so that its largest entry is positive */
    float x[8] = {3, 4, -3, -4, -0.4f, 0.3f, 0.4f, -0.3f}, proj[8], var[2];
    assert_int_equal(nn_pca(ctx, x, 4, 2, 2, proj, var), NN_OK);
    float want[8] = {5, 0, -5, 0, 0, -0.5f, 0, 0.5f};
    double worst = 0;
    for (int i = 0; i < 8; i++) worst = fmax(worst, fabs(proj[i] - want[i]));
    if (worst > 1e-5) print_error("largest difference %g\n", worst);
    assert_true(worst <= 1e-5);
    assert_true(fabsf(var[0] - 12.5f) < 1e-4f);
    assert_true(fabsf(var[1] - 0.125f) < 1e-5f);
}

static void test_pca_refuses_more_components_than_columns(void **state) {
    nn_ctx *ctx = *state;
    float x[4] = {1, 2, 3, 4}, proj[12];
    assert_int_equal(nn_pca(ctx, x, 2, 2, 3, proj, NULL), NN_EARG);
    assert_non_null(strstr(nn_error(ctx), "pca: 3 components of 2 rows of 2 columns"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pca_finds_known_axes_and_variances, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_pca_refuses_more_components_than_columns, tu_setup,
                                        tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
