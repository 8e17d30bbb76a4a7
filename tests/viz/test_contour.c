/* test_contour.c: marching squares finds the level set where it is. */
#include <math.h>

#include "vizt.h"

#define N 41 /* grid over [-1, 1]: spacing 0.05 */

typedef struct {
    int n;
    double worst; /* largest |radius - r| in grid cells */
    double r;
} circle;

static void check(void *ud, double x0, double y0, double x1, double y1) {
    circle *c = ud;
    double pts[2][2] = {{x0, y0}, {x1, y1}};
    for (int k = 0; k < 2; k++) {
        double x = pts[k][0] - (N - 1) / 2.0, y = pts[k][1] - (N - 1) / 2.0;
        double d = fabs(hypot(x, y) - c->r);
        if (d > c->worst) c->worst = d;
    }
    c->n++;
}

static void test_contour_of_paraboloid_is_circle(void **state) {
    (void)state;
    static float v[N * N];
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            double x = -1 + 2.0 * i / (N - 1), y = -1 + 2.0 * j / (N - 1);
            v[j * N + i] = (float)(x * x + y * y);
        }
    double r = 0.6;
    circle c = {0, 0, r * (N - 1) / 2.0};
    contour_level(v, N, N, r * r, check, &c);
    /* a circle of radius 12 cells crosses about 2 * pi * 12 * 4 / pi edges */
    assert_true(c.n > 60);
    if (c.worst > 0.1) fail_msg("contour strays %.3f cells from radius %.1f", c.worst, c.r);
}

static void test_contour_skips_cells_with_nan(void **state) {
    (void)state;
    float v[9] = {0, 1, 0, 1, NAN, 1, 0, 1, 0};
    circle c = {0, 0, 0};
    contour_level(v, 3, 3, 0.5, check, &c);
    assert_int_equal(c.n, 0);
}

static void test_contour_saddle_gives_two_segments(void **state) {
    (void)state;
    float v[4] = {1, 0, 1, 0}; /* corners (0,0)=1 (1,0)=0 (0,1)=1 (1,1)=0? rows: */
    float s[4] = {1, 0, 0, 1}; /* row 0: 1 0; row 1: 0 1 -> diagonal saddle */
    circle c = {0, 0, 0};
    contour_level(s, 2, 2, 0.5, check, &c);
    assert_int_equal(c.n, 2);
    c.n = 0;
    contour_level(v, 2, 2, 0.5, check, &c);
    assert_int_equal(c.n, 1); /* a straight boundary */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contour_of_paraboloid_is_circle),
        cmocka_unit_test(test_contour_skips_cells_with_nan),
        cmocka_unit_test(test_contour_saddle_gives_two_segments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
