/* test_surface.c: the built-in loss surfaces of the optimizer races: exact gradient
 * and Hessian against central differences, minima against the literature and
 * against a dense grid of the view box, lookup and parameter errors, the grid, and
 * the closed-form eigen-decomposition of a symmetric 2x2 matrix. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "nn.h"

#define FD_STEP  1e-5 /* central-difference step, relative to max(1, |x|) */
#define FD_REL   1e-6 /* the truncation error of a central difference at this step */
#define GRID_N   23   /* points per side where derivatives are checked */
#define MIN_GRAD 1e-9 /* |grad| at a listed minimum */
#define DENSE_N  601  /* points per side of the grid that looks for lower values */

/* |a - b| <= tol, printing both values when not (cmocka's float check rounds to
 * float). */
static bool near(double a, double b, double tol) {
    if (fabs(a - b) <= tol) return true;
    print_error("%.17g and %.17g differ by %.3g, more than %.3g\n", a, b, fabs(a - b), tol);
    return false;
}

/* The tolerance for comparing an exact derivative d with a central difference made
 * of values of size |f|: truncation (FD_REL relative) plus the rounding of the two
 * values, divided by the step. */
static double fd_tol(double d, double f, double h) {
    return FD_REL * (1 + fabs(d)) + 16 * DBL_EPSILON * (1 + fabs(f)) / h;
}

static void check_point(const nn_surface *s, double x, double y, double *worst) {
    double g[2], hs[3], gp[2], gm[2];
    double f = nn_surface_eval(s, x, y, g, hs);
    double hx = FD_STEP * fmax(1, fabs(x)), hy = FD_STEP * fmax(1, fabs(y));
    double fxp = nn_surface_eval(s, x + hx, y, NULL, NULL);
    double fxm = nn_surface_eval(s, x - hx, y, NULL, NULL);
    double fyp = nn_surface_eval(s, x, y + hy, NULL, NULL);
    double fym = nn_surface_eval(s, x, y - hy, NULL, NULL);
    double num[2] = {(fxp - fxm) / (2 * hx), (fyp - fym) / (2 * hy)};
    double step[2] = {hx, hy};
    for (int k = 0; k < 2; k++) {
        double err = fabs(g[k] - num[k]) / fd_tol(g[k], f, step[k]);
        if (err > *worst) *worst = err;
        if (err > 1)
            print_error("%s at (%g, %g): grad[%d] = %.12g, central difference %.12g\n", s->name, x,
                        y, k, g[k], num[k]);
    }
    /* Hessian columns from central differences of the exact gradient */
    nn_surface_eval(s, x + hx, y, gp, NULL);
    nn_surface_eval(s, x - hx, y, gm, NULL);
    double hxx = (gp[0] - gm[0]) / (2 * hx), hyx = (gp[1] - gm[1]) / (2 * hx);
    nn_surface_eval(s, x, y + hy, gp, NULL);
    nn_surface_eval(s, x, y - hy, gm, NULL);
    double hxy = (gp[0] - gm[0]) / (2 * hy), hyy = (gp[1] - gm[1]) / (2 * hy);
    double exact[4] = {hs[0], hs[1], hs[1], hs[2]};
    double numh[4] = {hxx, hxy, hyx, hyy};
    double gscale = 1 + fabs(g[0]) + fabs(g[1]);
    for (int k = 0; k < 4; k++) {
        double err = fabs(exact[k] - numh[k]) / fd_tol(exact[k], gscale, fmin(hx, hy));
        if (err > *worst) *worst = err;
        if (err > 1)
            print_error("%s at (%g, %g): hess[%d] = %.12g, central difference %.12g\n", s->name, x,
                        y, k, exact[k], numh[k]);
    }
}

static void test_surface_grad_and_hessian_match_central_difference(void **state) {
    (void)state;
    nn_surface s;
    for (int i = 0; i < nn_surface_count(); i++) {
        assert_int_equal(nn_surface_get(NULL, i, &s), NN_OK);
        double worst = 0;
        /* a grid over the view box, offset so no point sits on a symmetry axis */
        for (int a = 0; a < GRID_N; a++)
            for (int b = 0; b < GRID_N; b++) {
                double x = s.xmin + (s.xmax - s.xmin) * (a + 0.37) / GRID_N;
                double y = s.ymin + (s.ymax - s.ymin) * (b + 0.61) / GRID_N;
                check_point(&s, x, y, &worst);
            }
        for (int k = 0; k < s.nstarts; k++) check_point(&s, s.starts[k][0], s.starts[k][1], &worst);
        if (worst > 1) print_error("%s: worst error %.3g of tolerance\n", s.name, worst);
        assert_true(worst <= 1);
    }
}

static void test_surface_valley_hessian_follows_kappa(void **state) {
    (void)state;
    nn_surface s;
    assert_int_equal(nn_surface_find(NULL, "valley", &s), NN_OK);
    assert_int_equal(nn_surface_set_param(NULL, &s, 50), NN_OK);
    double h[3], g[2];
    double f = nn_surface_eval(&s, 0.3, -0.2, g, h);
    assert_true(near(f, 0.5 * (0.09 + 50 * 0.04), 1e-14));
    assert_true(near(h[0], 1, 0));
    assert_true(near(h[1], 0, 0));
    assert_true(near(h[2], 50, 0));
    double worst = 0;
    check_point(&s, 1.3, -0.7, &worst);
    assert_true(worst <= 1);
}

/* The literature's minima, written here independently of surface.c's table. */
static const struct {
    const char *name;
    double x, y, f;
} known[] = {
    {"bowl", 0, 0, 0},
    {"valley", 0, 0, 0},
    {"rosenbrock", 1, 1, 0},
    {"beale", 3, 0.5, 0},
    {"plateau", 0, 0, 0},
    {"himmelblau", 3, 2, 0},
    {"himmelblau", -2.805118, 3.131312, 0},
    {"himmelblau", -3.779310, -3.283186, 0},
    {"himmelblau", 3.584428, -1.848126, 0},
    {"rastrigin", 0, 0, 0},
    {"booth", 1, 3, 0},
    {"camel", 0.0898, -0.7126, -1.0316284535},
    {"camel", -0.0898, 0.7126, -1.0316284535},
};

static void test_surface_minima_match_known_values(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        nn_surface s;
        assert_int_equal(nn_surface_find(NULL, known[k].name, &s), NN_OK);
        /* the table lists a global minimum within 1e-4 of the literature's place */
        int found = -1;
        for (int m = 0; m < s.nglobal; m++)
            if (fabs(s.minima[m][0] - known[k].x) < 1e-4 &&
                fabs(s.minima[m][1] - known[k].y) < 1e-4)
                found = m;
        if (found < 0)
            print_error("%s: no global minimum near (%g, %g)\n", s.name, known[k].x, known[k].y);
        assert_true(found >= 0);
        assert_true(near(s.minval[found], known[k].f, 1e-9));
        double f = nn_surface_eval(&s, s.minima[found][0], s.minima[found][1], NULL, NULL);
        assert_true(near(f, known[k].f, 1e-9));
    }
}

static void test_surface_listed_minima_are_minima(void **state) {
    (void)state;
    nn_surface s;
    for (int i = 0; i < nn_surface_count(); i++) {
        assert_int_equal(nn_surface_get(NULL, i, &s), NN_OK);
        assert_true(s.nglobal <= s.nminima);
        for (int m = 0; m < s.nminima; m++) {
            double g[2], h[3], val[2], vec[2][2];
            double f = nn_surface_eval(&s, s.minima[m][0], s.minima[m][1], g, h);
            nn_sym2_eig(h, val, vec);
            if (hypot(g[0], g[1]) > MIN_GRAD || val[1] <= 0 || fabs(f - s.minval[m]) > 1e-12)
                print_error("%s minimum %d (%.15g, %.15g): f %.15g listed %.15g, |grad| %g, "
                            "eigenvalues %g %g\n",
                            s.name, m, s.minima[m][0], s.minima[m][1], f, s.minval[m],
                            hypot(g[0], g[1]), val[0], val[1]);
            assert_true(hypot(g[0], g[1]) <= MIN_GRAD);
            assert_true(val[1] > 0); /* a strict minimum, not a saddle */
            assert_true(near(f, s.minval[m], 1e-12));
            /* global ones share the lowest value, local ones lie above it */
            if (m < s.nglobal)
                assert_true(near(s.minval[m], s.minval[0], 1e-12));
            else
                assert_true(s.minval[m] > s.minval[0] + 1e-6);
        }
    }
}

static void test_surface_global_minima_are_lowest_in_view(void **state) {
    (void)state;
    nn_surface s;
    for (int i = 0; i < nn_surface_count(); i++) {
        assert_int_equal(nn_surface_get(NULL, i, &s), NN_OK);
        if (!s.nminima) continue;
        double lowest = INFINITY, lx = 0, ly = 0;
        for (int a = 0; a < DENSE_N; a++)
            for (int b = 0; b < DENSE_N; b++) {
                double x = s.xmin + (s.xmax - s.xmin) * a / (DENSE_N - 1);
                double y = s.ymin + (s.ymax - s.ymin) * b / (DENSE_N - 1);
                double f = nn_surface_eval(&s, x, y, NULL, NULL);
                if (f < lowest) lowest = f, lx = x, ly = y;
            }
        if (lowest < s.minval[0] - 1e-12)
            print_error("%s: f(%g, %g) = %.15g is below the global minimum %.15g\n", s.name, lx, ly,
                        lowest, s.minval[0]);
        assert_true(lowest >= s.minval[0] - 1e-12);
        for (int m = 0; m < s.nminima; m++) {
            assert_true(s.minima[m][0] >= s.xmin && s.minima[m][0] <= s.xmax);
            assert_true(s.minima[m][1] >= s.ymin && s.minima[m][1] <= s.ymax);
        }
    }
}

static void test_surface_starts_lie_in_view_and_above_minimum(void **state) {
    (void)state;
    nn_surface s;
    for (int i = 0; i < nn_surface_count(); i++) {
        assert_int_equal(nn_surface_get(NULL, i, &s), NN_OK);
        assert_true(s.nstarts >= 1 && s.nstarts <= NN_SURFACE_MAX_STARTS);
        assert_true(s.xmin < s.xmax && s.ymin < s.ymax);
        for (int k = 0; k < s.nstarts; k++) {
            double x = s.starts[k][0], y = s.starts[k][1], g[2];
            assert_true(x > s.xmin && x < s.xmax && y > s.ymin && y < s.ymax);
            double f = nn_surface_eval(&s, x, y, g, NULL);
            assert_true(isfinite(f));
            if (s.nminima) assert_true(f > s.minval[0]);
        }
    }
}

static void test_surface_saddles_have_no_minima(void **state) {
    (void)state;
    nn_surface s;
    const char *names[] = {"saddle", "monkey"};
    const double down[2][2] = {{0, 10}, {-10, 0}}; /* a direction where f keeps falling */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(nn_surface_find(NULL, names[k], &s), NN_OK);
        assert_int_equal(s.nminima, 0);
        double g[2];
        double f0 = nn_surface_eval(&s, 0, 0, g, NULL);
        assert_true(near(g[0], 0, 0));
        assert_true(near(g[1], 0, 0));
        assert_true(nn_surface_eval(&s, down[k][0], down[k][1], NULL, NULL) < f0 - 10);
    }
    /* the saddle's curvature: +2 along x, -2 along y */
    double h[3], val[2], vec[2][2];
    assert_int_equal(nn_surface_find(NULL, "saddle", &s), NN_OK);
    nn_surface_eval(&s, 0, 0, NULL, h);
    nn_sym2_eig(h, val, vec);
    assert_true(near(val[0], 2, 1e-15));
    assert_true(near(val[1], -2, 1e-15));
    assert_true(near(fabs(vec[0][0]), 1, 1e-15));
    assert_true(near(fabs(vec[1][1]), 1, 1e-15));
}

static void check_eig(double a, double b, double c) {
    double h[3] = {a, b, c}, val[2], vec[2][2];
    nn_sym2_eig(h, val, vec);
    double scale = fabs(a) + fabs(b) + fabs(c) + 1;
    assert_true(val[0] >= val[1]);
    assert_true(near(val[0] + val[1], a + c, 1e-13 * scale));                 /* trace */
    assert_true(near(val[0] * val[1], a * c - b * b, 1e-12 * scale * scale)); /* det */
    for (int k = 0; k < 2; k++) {
        double vx = vec[k][0], vy = vec[k][1];
        assert_true(near(hypot(vx, vy), 1, 1e-14));
        /* H v = lambda v */
        assert_true(near(a * vx + b * vy, val[k] * vx, 1e-13 * scale));
        assert_true(near(b * vx + c * vy, val[k] * vy, 1e-13 * scale));
    }
    assert_true(near(vec[0][0] * vec[1][0] + vec[0][1] * vec[1][1], 0, 1e-14));
}

static void test_sym2_eig_satisfies_eigen_equation(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    assert_non_null(ctx);
    nn_seed(ctx, 7);
    for (int k = 0; k < 2000; k++) {
        double s = pow(10, 4 * nn_rand_uniform(ctx) - 2);
        check_eig(s * nn_rand_normal(ctx), s * nn_rand_normal(ctx), s * nn_rand_normal(ctx));
    }
    /* the cases a formula with a division would get wrong */
    check_eig(3, 0, 1);
    check_eig(1, 0, 3);
    check_eig(2, 0, 2);
    check_eig(2, 1e-300, 2);
    check_eig(5, 2, 5);
    check_eig(0, 0, 0);
    check_eig(-1, 4, -1);
    nn_ctx_free(ctx);
}

static void test_surface_find_rejects_unknown_name(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    assert_non_null(ctx);
    nn_surface s = {0};
    assert_int_equal(nn_surface_find(ctx, "rosenbrok", &s), NN_EARG);
    assert_null(s.name); /* unchanged */
    assert_non_null(strstr(nn_error(ctx), "'rosenbrok'"));
    assert_non_null(strstr(nn_error(ctx), "rosenbrock"));
    assert_non_null(strstr(nn_error(ctx), "bumpy")); /* lists all of them */
    assert_int_equal(nn_surface_get(ctx, nn_surface_count(), &s), NN_EARG);
    assert_int_equal(nn_surface_get(ctx, -1, &s), NN_EARG);
    assert_non_null(strstr(nn_error(ctx), "-1"));
    nn_ctx_free(ctx);
}

static void test_surface_set_param_rejects_bad_values(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    assert_non_null(ctx);
    nn_surface s;
    assert_int_equal(nn_surface_find(ctx, "valley", &s), NN_OK);
    double before = s.param;
    assert_int_equal(nn_surface_set_param(ctx, &s, 0.5), NN_EARG);
    assert_non_null(strstr(nn_error(ctx), "kappa = 0.5"));
    assert_int_equal(nn_surface_set_param(ctx, &s, NAN), NN_EARG);
    assert_true(near(s.param, before, 0));
    assert_int_equal(nn_surface_find(ctx, "bowl", &s), NN_OK);
    assert_int_equal(nn_surface_set_param(ctx, &s, 3), NN_EARG);
    assert_non_null(strstr(nn_error(ctx), "bowl"));
    nn_ctx_free(ctx);
}

static void test_surface_grid_equals_eval(void **state) {
    (void)state;
    nn_ctx *ctx = nn_ctx_new();
    assert_non_null(ctx);
    nn_surface s;
    assert_int_equal(nn_surface_find(ctx, "rosenbrock", &s), NN_OK);
    float out[7 * 5];
    assert_int_equal(nn_surface_grid(ctx, &s, -2, 2, -1, 3, 7, 5, out), NN_OK);
    for (int j = 0; j < 5; j++)
        for (int i = 0; i < 7; i++) {
            double f = nn_surface_eval(&s, -2 + i * 4.0 / 6, -1 + j * 1.0, NULL, NULL);
            assert_float_equal(out[j * 7 + i], (float)f, 0);
        }
    assert_int_equal(nn_surface_grid(ctx, &s, -2, 2, -1, 3, 1, 5, out), NN_EARG);
    assert_non_null(strstr(nn_error(ctx), "1 x 5"));
    nn_ctx_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surface_grad_and_hessian_match_central_difference),
        cmocka_unit_test(test_surface_valley_hessian_follows_kappa),
        cmocka_unit_test(test_surface_minima_match_known_values),
        cmocka_unit_test(test_surface_listed_minima_are_minima),
        cmocka_unit_test(test_surface_global_minima_are_lowest_in_view),
        cmocka_unit_test(test_surface_starts_lie_in_view_and_above_minimum),
        cmocka_unit_test(test_surface_saddles_have_no_minima),
        cmocka_unit_test(test_sym2_eig_satisfies_eigen_equation),
        cmocka_unit_test(test_surface_find_rejects_unknown_name),
        cmocka_unit_test(test_surface_set_param_rejects_bad_values),
        cmocka_unit_test(test_surface_grid_equals_eval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
