/* surface.c: built-in 2-D loss surfaces for optimizer races. Each surface gives
 * f(x, y), its exact gradient and Hessian, a view box, start points and its known
 * minima; plus a grid evaluator for contour plots and the closed-form eigen-
 * decomposition of a symmetric 2x2 matrix (the curvature view). Optimizers and
 * drawing live elsewhere. Arithmetic is in double: the races step float32
 * parameters, and the surfaces must not add error of their own. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

enum surface_kind {
    SURF_BOWL,
    SURF_VALLEY,
    SURF_ROSENBROCK,
    SURF_BEALE,
    SURF_SADDLE,
    SURF_MONKEY,
    SURF_PLATEAU,
    SURF_HIMMELBLAU,
    SURF_RASTRIGIN,
    SURF_BOOTH,
    SURF_CAMEL,
    SURF_BUMPY,
    SURF_COUNT
};

#define VALLEY_KAPPA 10.0 /* default condition number: GD zig-zags visibly at lr 0.15 */
#define ROSEN_B      100.0
#define PLATEAU_A    0.25 /* plateau q = a x^2 + b y^2; f = 1 - exp(-q) */
#define PLATEAU_B    0.5
#define TWO_PI       6.283185307179586476925

/* The bumpy surface: a shallow bowl with two Gaussian wells, the deeper (global)
 * one up-right and a shallower (local) one down-left of it, a barrier between. */
#define BUMPY_BOWL 0.05
static const double bumpy_well[2][4] = {
    /* centre x, centre y, depth, width s in exp(-r^2/s) */
    {1.5, 1.0, 1.5, 0.8},
    {-0.5, -0.5, 1.0, 0.5},
};

/* ---- the functions: value, gradient g = {fx, fy}, Hessian h = {fxx, fxy, fyy} -- */

static double quad(double a, double b, double x, double y, double *g, double *h) {
    /* f = a x^2 + b y^2 */
    g[0] = 2 * a * x, g[1] = 2 * b * y;
    h[0] = 2 * a, h[1] = 0, h[2] = 2 * b;
    return a * x * x + b * y * y;
}

static double rosenbrock(double x, double y, double *g, double *h) {
    /* f = (1-x)^2 + B (y - x^2)^2 */
    double u = y - x * x;
    g[0] = -2 * (1 - x) - 4 * ROSEN_B * x * u;
    g[1] = 2 * ROSEN_B * u;
    h[0] = 2 - 4 * ROSEN_B * u + 8 * ROSEN_B * x * x;
    h[1] = -4 * ROSEN_B * x;
    h[2] = 2 * ROSEN_B;
    return (1 - x) * (1 - x) + ROSEN_B * u * u;
}

static double beale(double x, double y, double *g, double *h) {
    /* f = sum_i a_i^2, a_i = c_i - x + x y^i, c = {1.5, 2.25, 2.625}:
     * da_i/dx = y^i - 1, da_i/dy = i x y^(i-1), d2a_i/dxdy = i y^(i-1),
     * d2a_i/dy2 = i (i-1) x y^(i-2). */
    static const double c[3] = {1.5, 2.25, 2.625};
    double f = 0;
    g[0] = g[1] = h[0] = h[1] = h[2] = 0;
    for (int i = 1; i <= 3; i++) {
        double yi = pow(y, i), yi1 = pow(y, i - 1), yi2 = i >= 2 ? pow(y, i - 2) : 0;
        double a = c[i - 1] - x + x * yi;
        double ax = yi - 1, ay = i * x * yi1;
        double axy = i * yi1, ayy = i * (i - 1) * x * yi2;
        f += a * a;
        g[0] += 2 * a * ax, g[1] += 2 * a * ay;
        h[0] += 2 * ax * ax;
        h[1] += 2 * (ax * ay + a * axy);
        h[2] += 2 * (ay * ay + a * ayy);
    }
    return f;
}

static double monkey(double x, double y, double *g, double *h) {
    /* f = x^3 - 3 x y^2 */
    g[0] = 3 * x * x - 3 * y * y, g[1] = -6 * x * y;
    h[0] = 6 * x, h[1] = -6 * y, h[2] = -6 * x;
    return x * x * x - 3 * x * y * y;
}

static double plateau(double x, double y, double *g, double *h) {
    /* f = 1 - e, e = exp(-q), q = a x^2 + b y^2: fx = e qx, fxx = e (2a - qx^2),
     * fxy = -e qx qy. Far from the centre the gradient vanishes: a plateau. */
    double e = exp(-(PLATEAU_A * x * x + PLATEAU_B * y * y));
    double qx = 2 * PLATEAU_A * x, qy = 2 * PLATEAU_B * y;
    g[0] = e * qx, g[1] = e * qy;
    h[0] = e * (2 * PLATEAU_A - qx * qx);
    h[1] = -e * qx * qy;
    h[2] = e * (2 * PLATEAU_B - qy * qy);
    return 1 - e;
}

static double himmelblau(double x, double y, double *g, double *h) {
    /* f = u^2 + v^2, u = x^2 + y - 11, v = x + y^2 - 7 */
    double u = x * x + y - 11, v = x + y * y - 7;
    g[0] = 4 * x * u + 2 * v, g[1] = 2 * u + 4 * y * v;
    h[0] = 4 * u + 8 * x * x + 2;
    h[1] = 4 * x + 4 * y;
    h[2] = 2 + 4 * v + 8 * y * y;
    return u * u + v * v;
}

static double rastrigin(double x, double y, double *g, double *h) {
    /* f = 20 + sum over t in {x, y} of t^2 - 10 cos(2 pi t) */
    double cx = cos(TWO_PI * x), cy = cos(TWO_PI * y);
    g[0] = 2 * x + 10 * TWO_PI * sin(TWO_PI * x);
    g[1] = 2 * y + 10 * TWO_PI * sin(TWO_PI * y);
    h[0] = 2 + 10 * TWO_PI * TWO_PI * cx;
    h[1] = 0;
    h[2] = 2 + 10 * TWO_PI * TWO_PI * cy;
    return 20 + x * x - 10 * cx + y * y - 10 * cy;
}

static double booth(double x, double y, double *g, double *h) {
    /* f = (x + 2y - 7)^2 + (2x + y - 5)^2 */
    double u = x + 2 * y - 7, v = 2 * x + y - 5;
    g[0] = 2 * u + 4 * v, g[1] = 4 * u + 2 * v;
    h[0] = 10, h[1] = 8, h[2] = 10;
    return u * u + v * v;
}

static double camel(double x, double y, double *g, double *h) {
    /* f = (4 - 2.1 x^2 + x^4/3) x^2 + x y + (-4 + 4 y^2) y^2 */
    double x2 = x * x, y2 = y * y;
    g[0] = 8 * x - 8.4 * x2 * x + 2 * x2 * x2 * x + y;
    g[1] = x - 8 * y + 16 * y2 * y;
    h[0] = 8 - 25.2 * x2 + 10 * x2 * x2;
    h[1] = 1;
    h[2] = -8 + 48 * y2;
    return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2;
}

static double bumpy(double x, double y, double *g, double *h) {
    /* f = k (x^2 + y^2) - sum_w A_w e_w, e_w = exp(-r_w^2 / s_w):
     * d(-A e)/dx = 2 A dx e / s, d2(-A e)/dx2 = A e (2/s - 4 dx^2/s^2),
     * d2(-A e)/dxdy = -4 A dx dy e / s^2. */
    double f = quad(BUMPY_BOWL, BUMPY_BOWL, x, y, g, h);
    for (int w = 0; w < 2; w++) {
        double dx = x - bumpy_well[w][0], dy = y - bumpy_well[w][1];
        double A = bumpy_well[w][2], s = bumpy_well[w][3];
        double e = exp(-(dx * dx + dy * dy) / s);
        f -= A * e;
        g[0] += 2 * A * dx * e / s, g[1] += 2 * A * dy * e / s;
        h[0] += A * e * (2 / s - 4 * dx * dx / (s * s));
        h[1] -= 4 * A * dx * dy * e / (s * s);
        h[2] += A * e * (2 / s - 4 * dy * dy / (s * s));
    }
    return f;
}

/* ---- the table ---------------------------------------------------------------- */

/* Minima of camel, bumpy and three of Himmelblau's were found by Newton's method on
 * the functions above (gradient below 1e-13 there); the test checks the gradient and
 * Hessian at each, and the literature values where there are some (camel:
 * -1.0316284535 at (+-0.0898420, -+0.7126564)). */
static const nn_surface builtin[SURF_COUNT] = {
    [SURF_BOWL] = {.name = "bowl",
                   .formula = "x^2 + y^2",
                   .kind = SURF_BOWL,
                   .xmin = -2,
                   .xmax = 2,
                   .ymin = -2,
                   .ymax = 2,
                   .nstarts = 2,
                   .starts = {{-1.5, 1.7}, {1.8, -0.5}},
                   .nminima = 1,
                   .nglobal = 1,
                   .minima = {{0, 0}},
                   .minval = {0}},
    [SURF_VALLEY] = {.name = "valley",
                     .formula = "(x^2 + kappa y^2)/2",
                     .kind = SURF_VALLEY,
                     .param = VALLEY_KAPPA,
                     .param_name = "kappa",
                     .xmin = -4,
                     .xmax = 4,
                     .ymin = -2,
                     .ymax = 2,
                     .nstarts = 2,
                     .starts = {{-3.5, 1.5}, {3.5, -1.0}},
                     .nminima = 1,
                     .nglobal = 1,
                     .minima = {{0, 0}},
                     .minval = {0}},
    [SURF_ROSENBROCK] = {.name = "rosenbrock",
                         .formula = "(1-x)^2 + 100(y-x^2)^2",
                         .kind = SURF_ROSENBROCK,
                         .xmin = -2,
                         .xmax = 2,
                         .ymin = -1,
                         .ymax = 3,
                         .log_levels = true,
                         .nstarts = 2,
                         .starts = {{-1.2, 1.0}, {-1.5, 2.5}},
                         .nminima = 1,
                         .nglobal = 1,
                         .minima = {{1, 1}},
                         .minval = {0}},
    [SURF_BEALE] = {.name = "beale",
                    .formula = "(1.5-x+xy)^2 + (2.25-x+xy^2)^2 + (2.625-x+xy^3)^2",
                    .kind = SURF_BEALE,
                    .xmin = -4.5,
                    .xmax = 4.5,
                    .ymin = -4.5,
                    .ymax = 4.5,
                    .log_levels = true,
                    .nstarts = 2,
                    .starts = {{1.0, 1.4}, {-2.0, 2.0}},
                    .nminima = 1,
                    .nglobal = 1,
                    .minima = {{3, 0.5}},
                    .minval = {0}},
    [SURF_SADDLE] = {.name = "saddle",
                     .formula = "x^2 - y^2",
                     .kind = SURF_SADDLE,
                     .xmin = -2,
                     .xmax = 2,
                     .ymin = -2,
                     .ymax = 2,
                     .nstarts = 2,
                     .starts = {{-1.8, 0.01}, {-1.5, 0.5}}},
    [SURF_MONKEY] = {.name = "monkey",
                     .formula = "x^3 - 3xy^2",
                     .kind = SURF_MONKEY,
                     .xmin = -2,
                     .xmax = 2,
                     .ymin = -2,
                     .ymax = 2,
                     .nstarts = 2,
                     .starts = {{1.5, 0.05}, {1.2, 0.6}}},
    [SURF_PLATEAU] = {.name = "plateau",
                      .formula = "1 - exp(-(x^2/4 + y^2/2))",
                      .kind = SURF_PLATEAU,
                      .xmin = -5,
                      .xmax = 5,
                      .ymin = -4,
                      .ymax = 4,
                      .nstarts = 2,
                      .starts = {{-4.0, 2.5}, {-3.0, 1.5}},
                      .nminima = 1,
                      .nglobal = 1,
                      .minima = {{0, 0}},
                      .minval = {0}},
    [SURF_HIMMELBLAU] = {.name = "himmelblau",
                         .formula = "(x^2+y-11)^2 + (x+y^2-7)^2",
                         .kind = SURF_HIMMELBLAU,
                         .xmin = -5,
                         .xmax = 5,
                         .ymin = -5,
                         .ymax = 5,
                         .log_levels = true,
                         .nstarts = 2,
                         .starts = {{0.0, 0.0}, {-0.3, -0.9}},
                         .nminima = 4,
                         .nglobal = 4,
                         .minima = {{3.0, 2.0},
                                    {-2.805118086952745, 3.131312518250573},
                                    {-3.779310253377747, -3.283185991286169},
                                    {3.584428340330492, -1.848126526964403}},
                         .minval = {0, 0, 0, 0}},
    [SURF_RASTRIGIN] = {.name = "rastrigin",
                        .formula = "20 + x^2 - 10cos(2 pi x) + y^2 - 10cos(2 pi y)",
                        .kind = SURF_RASTRIGIN,
                        .xmin = -5.12,
                        .xmax = 5.12,
                        .ymin = -5.12,
                        .ymax = 5.12,
                        .nstarts = 2,
                        .starts = {{-4.5, 3.8}, {2.2, 2.7}},
                        .nminima = 1,
                        .nglobal = 1,
                        .minima = {{0, 0}},
                        .minval = {0}},
    [SURF_BOOTH] = {.name = "booth",
                    .formula = "(x+2y-7)^2 + (2x+y-5)^2",
                    .kind = SURF_BOOTH,
                    .xmin = -10,
                    .xmax = 10,
                    .ymin = -10,
                    .ymax = 10,
                    .log_levels = true,
                    .nstarts = 2,
                    .starts = {{-8.0, -6.0}, {8.0, 8.0}},
                    .nminima = 1,
                    .nglobal = 1,
                    .minima = {{1, 3}},
                    .minval = {0}},
    [SURF_CAMEL] = {.name = "camel",
                    .formula = "(4 - 2.1x^2 + x^4/3)x^2 + xy + (4y^2 - 4)y^2",
                    .kind = SURF_CAMEL,
                    .xmin = -3,
                    .xmax = 3,
                    .ymin = -2,
                    .ymax = 2,
                    .log_levels = true,
                    .nstarts = 2,
                    .starts = {{-2.5, 1.5}, {2.0, -1.5}},
                    .nminima = 6,
                    .nglobal = 2,
                    .minima = {{0.089842013100318, -0.712656403020740},
                               {-0.089842013100318, 0.712656403020740},
                               {-1.703606714969981, 0.796083568672625},
                               {1.703606714969981, -0.796083568672625},
                               {1.607104752920197, 0.568651454884131},
                               {-1.607104752920197, -0.568651454884131}},
                    .minval = {-1.031628453489877, -1.031628453489877, -0.215463824383717,
                               -0.215463824383717, 2.104250310311259, 2.104250310311259}},
    [SURF_BUMPY] = {.name = "bumpy",
                    .formula = "(x^2+y^2)/20 - 1.5e^(-((x-1.5)^2+(y-1)^2)/0.8)"
                               " - e^(-((x+0.5)^2+(y+0.5)^2)/0.5)",
                    .kind = SURF_BUMPY,
                    .xmin = -3,
                    .xmax = 3,
                    .ymin = -3,
                    .ymax = 3,
                    .nstarts = 2,
                    .starts = {{-2.5, -2.5}, {-2.5, 2.0}},
                    .nminima = 2,
                    .nglobal = 1,
                    .minima = {{1.460922073105147, 0.973947019125490},
                               {-0.486973204504553, -0.487180399317897}},
                    .minval = {-1.341732367815960, -0.976287199556418}},
};

/* ---- the API -------------------------------------------------------------------- */

int nn_surface_count(void) {
    return SURF_COUNT;
}

int nn_surface_get(nn_ctx *ctx, int i, nn_surface *out) {
    if (i < 0 || i >= SURF_COUNT)
        return nn_errorf(ctx, NN_EARG, "surface: index %d is not in 0..%d", i, SURF_COUNT - 1);
    *out = builtin[i];
    return NN_OK;
}

int nn_surface_find(nn_ctx *ctx, const char *name, nn_surface *out) {
    char names[256] = "";
    size_t len = 0;
    for (int i = 0; i < SURF_COUNT; i++) {
        if (name && strcmp(name, builtin[i].name) == 0) {
            *out = builtin[i];
            return NN_OK;
        }
        int n = snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", builtin[i].name);
        if (n > 0 && (size_t)n < sizeof names - len) len += (size_t)n;
    }
    return nn_errorf(ctx, NN_EARG, "surface: no surface called '%s' (there are: %s)",
                     name ? name : "(null)", names);
}

int nn_surface_set_param(nn_ctx *ctx, nn_surface *s, double value) {
    if (!s->param_name)
        return nn_errorf(ctx, NN_EARG, "surface %s: has no parameter to set to %g", s->name, value);
    if (!isfinite(value) || value < 1)
        return nn_errorf(ctx, NN_EARG, "surface %s: %s = %g, must be a number >= 1", s->name,
                         s->param_name, value);
    s->param = value;
    return NN_OK;
}

double nn_surface_eval(const nn_surface *s, double x, double y, double grad[2], double hess[3]) {
    double g[2], h[3];
    double f = 0;
    switch (s->kind) {
    case SURF_BOWL:
        f = quad(1, 1, x, y, g, h);
        break;
    case SURF_VALLEY:
        f = quad(0.5, 0.5 * s->param, x, y, g, h);
        break;
    case SURF_ROSENBROCK:
        f = rosenbrock(x, y, g, h);
        break;
    case SURF_BEALE:
        f = beale(x, y, g, h);
        break;
    case SURF_SADDLE:
        f = quad(1, -1, x, y, g, h);
        break;
    case SURF_MONKEY:
        f = monkey(x, y, g, h);
        break;
    case SURF_PLATEAU:
        f = plateau(x, y, g, h);
        break;
    case SURF_HIMMELBLAU:
        f = himmelblau(x, y, g, h);
        break;
    case SURF_RASTRIGIN:
        f = rastrigin(x, y, g, h);
        break;
    case SURF_BOOTH:
        f = booth(x, y, g, h);
        break;
    case SURF_CAMEL:
        f = camel(x, y, g, h);
        break;
    case SURF_BUMPY:
        f = bumpy(x, y, g, h);
        break;
    default: /* a surface not from the table: NaN tells the race to stop the racer */
        f = g[0] = g[1] = h[0] = h[1] = h[2] = NAN;
    }
    if (grad) grad[0] = g[0], grad[1] = g[1];
    if (hess) hess[0] = h[0], hess[1] = h[1], hess[2] = h[2];
    return f;
}

int nn_surface_grid(nn_ctx *ctx, const nn_surface *s, double x0, double x1, double y0, double y1,
                    int nx, int ny, float *out) {
    if (nx < 2 || ny < 2)
        return nn_errorf(ctx, NN_EARG, "surface grid: %d x %d points, need at least 2 x 2", nx, ny);
    double dx = (x1 - x0) / (nx - 1), dy = (y1 - y0) / (ny - 1);
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++)
            out[(size_t)j * nx + i] =
                (float)nn_surface_eval(s, x0 + i * dx, y0 + j * dy, NULL, NULL);
    return NN_OK;
}

void nn_sym2_eig(const double h[3], double val[2], double vec[2][2]) {
    /* {a b; b c}: eigenvalues m +- d with m = (a+c)/2, d = sqrt(((a-c)/2)^2 + b^2);
     * the larger one's eigenvector is at angle t = atan2(2b, a-c)/2, which stays
     * exact where a formula like (l - c, b) would divide 0 by 0 (b = 0). */
    double a = h[0], b = h[1], c = h[2];
    double m = 0.5 * (a + c), d = hypot(0.5 * (a - c), b);
    double t = 0.5 * atan2(2 * b, a - c);
    val[0] = m + d, val[1] = m - d;
    vec[0][0] = cos(t), vec[0][1] = sin(t);
    vec[1][0] = -sin(t), vec[1][1] = cos(t);
}
