/* surface_paths.c: the series of a surface panel drawn as paths lying on the surface
 * (an optimizer race's trajectories in its 3-D view), each with a round head at its
 * last point, in the series colours of the field and lines panels. Heights come from
 * the panel's grid (bilinear), and long segments are cut into pieces of at most a
 * grid cell so that they follow the surface instead of cutting through it; points
 * outside the grid's box break the path. The
 * paths are drawn over the facets without hidden-line removal: a path behind a hill
 * shows through it, slightly paler, which on the smooth loss surfaces the races use
 * is what a student wants to see anyway. */
#include <math.h>
#include <stdlib.h>

#include "vizint.h"

/* Height of the grid at data (x, y), bilinear; NAN outside the box. */
static double height_at(const viz_panel *p, double x, double y) {
    if (!(x >= p->gx0 && x <= p->gx1 && y >= p->gy0 && y <= p->gy1)) return NAN;
    double gi = (x - p->gx0) / (p->gx1 - p->gx0) * (p->gw - 1);
    double gj = (y - p->gy0) / (p->gy1 - p->gy0) * (p->gh - 1);
    int i = (int)gi, j = (int)gj;
    if (i > p->gw - 2) i = p->gw - 2;
    if (j > p->gh - 2) j = p->gh - 2;
    double u = gi - i, v = gj - j;
    const float *g = p->grid;
    double a = g[(size_t)j * p->gw + i], b = g[(size_t)j * p->gw + i + 1];
    double c = g[(size_t)(j + 1) * p->gw + i], d = g[(size_t)(j + 1) * p->gw + i + 1];
    return (a * (1 - u) + b * u) * (1 - v) + (c * (1 - u) + d * u) * v;
}

/* Screen position of data (x, y) on the surface, as plot_surface projects grid nodes:
 * X, Y in [-1, 1] across the box, Z = 1.2 h - 0.6 with h the height scaled to [0, 1]. */
static int project(const viz_panel *p, const surface_proj *pr, double x, double y, double *sx,
                   double *sy) {
    double v = height_at(p, x, y);
    if (!isfinite(v)) return 0;
    double h = (v - pr->lo) / (pr->hi - pr->lo);
    double X = 2 * (x - p->gx0) / (p->gx1 - p->gx0) - 1;
    double Y = 2 * (y - p->gy0) / (p->gy1 - p->gy0) - 1;
    double Z = 1.2 * h - 0.6;
    double xr = X * cos(pr->yaw) - Y * sin(pr->yaw), yr = X * sin(pr->yaw) + Y * cos(pr->yaw);
    *sx = pr->ox + pr->s * xr;
    *sy = pr->oy - pr->s * (Z * cos(pr->pitch) + yr * sin(pr->pitch));
    return 1;
}

/* One segment from data (x0, y0) to (x1, y1), cut into pieces no longer than a grid
 * cell, each drawn as a halo and a line; *px, *py carry the last screen point. */
static void segment(viz_canvas *cv, const viz_theme *t, const viz_panel *p, const surface_proj *pr,
                    double x0, double y0, double x1, double y1, uint32_t col, double *px,
                    double *py) {
    double cw = (p->gx1 - p->gx0) / (p->gw - 1), ch = (p->gy1 - p->gy0) / (p->gh - 1);
    double cells = fmax(fabs(x1 - x0) / cw, fabs(y1 - y0) / ch);
    int n = cells > 1 ? (int)ceil(cells) : 1;
    if (n > 4 * (p->gw + p->gh)) n = 4 * (p->gw + p->gh); /* a segment across the box */
    for (int k = 1; k <= n; k++) {
        double u = (double)k / n, qx, qy;
        if (!project(p, pr, x0 + u * (x1 - x0), y0 + u * (y1 - y0), &qx, &qy)) continue;
        cv_line(cv, *px, *py, qx, qy, t->line + 2 * t->scale, viz_rgb(255, 255, 255), 0.5);
        cv_line(cv, *px, *py, qx, qy, t->line, col, 1);
        *px = qx, *py = qy;
    }
}

void surface_paths_draw(viz_canvas *cv, const viz_theme *t, const viz_panel *p,
                        const surface_proj *pr) {
    enum { MAX_HEADS = 64 };
    double headx[MAX_HEADS], heady[MAX_HEADS];
    int nheads = p->nseries < MAX_HEADS ? p->nseries : MAX_HEADS;
    for (int s = 0; s < p->nseries; s++) {
        const viz_series *se = &p->series[s];
        uint32_t col = series_colour(p, s);
        double px = 0, py = 0, hx = NAN, hy = NAN;
        int have = 0;
        for (size_t i = 0; i < se->n; i++) {
            double qx, qy;
            if (!project(p, pr, se->x[i], se->y[i], &qx, &qy)) {
                have = 0; /* off the box: the path breaks */
                continue;
            }
            if (have)
                segment(cv, t, p, pr, se->x[i - 1], se->y[i - 1], se->x[i], se->y[i], col, &px,
                        &py);
            px = qx, py = qy, have = 1;
            hx = qx, hy = qy;
        }
        if (s < MAX_HEADS) headx[s] = hx, heady[s] = hy;
    }
    /* the heads, where the racers are now, after every path so that no path hides one;
     * a head on an earlier head moves aside (as on the contour view, plot_field.c) */
    double rad = t->point * 1.4;
    for (int s = 0; s < nheads; s++) {
        double x = headx[s], y = heady[s];
        if (!isfinite(x)) continue;
        int near = 0;
        for (int k = 0; k < s; k++)
            near += isfinite(headx[k]) && hypot(headx[k] - headx[s], heady[k] - heady[s]) < rad;
        if (near) {
            double ang = near * 2.399963; /* the golden angle: no two alike */
            x += 1.2 * rad * cos(ang), y += 1.2 * rad * sin(ang);
        }
        cv_disc(cv, x, y, rad + 1.5 * t->scale, viz_rgb(255, 255, 255));
        cv_disc(cv, x, y, rad, series_colour(p, s));
    }
}
