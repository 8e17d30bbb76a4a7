/* plot_surface.c: a grid as a 3-D surface (loss surfaces), orthographic view from a
 * yaw and a pitch, shaded facets drawn back to front (painter's algorithm) or a
 * wireframe coloured by height, in a box whose front edges carry ticks and labels of x,
 * y and the value, turning with the view. The axes are named ("x", "y" unless labelled);
 * a tick label that would touch one already drawn (where the axes meet at a corner) is
 * left out. At most 64 x 64 facets are drawn; the data
 * stay whole. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

#define SURF_MAX 64

typedef struct {
    double depth;
    int i, j;
} facet;

static int by_depth(const void *a, const void *b) {
    double d = ((const facet *)a)->depth - ((const facet *)b)->depth;
    return d < 0 ? -1 : d > 0;
}

/* Screen point of box coordinates (X, Y in [-1, 1], Z in [-0.6, 0.6]) under pr, and
 * its depth (larger: nearer the viewer). */
static void box_point(const surface_proj *pr, double X, double Y, double Z, double *sx, double *sy,
                      double *depth) {
    double xr = X * cos(pr->yaw) - Y * sin(pr->yaw), yr = X * sin(pr->yaw) + Y * cos(pr->yaw);
    *sx = pr->ox + pr->s * xr;
    *sy = pr->oy - pr->s * (Z * cos(pr->pitch) + yr * sin(pr->pitch));
    if (depth) *depth = -yr * cos(pr->pitch) + Z * sin(pr->pitch);
}

static void box_line(viz_canvas *cv, const surface_proj *pr, const double *a, const double *b,
                     double wd, uint32_t col) {
    double x0, y0, x1, y1;
    box_point(pr, a[0], a[1], a[2], &x0, &y0, NULL);
    box_point(pr, b[0], b[1], b[2], &x1, &y1, NULL);
    cv_line(cv, x0, y0, x1, y1, wd, col, 1);
}

/* The floor corners (X, Y) = (+-1, +-1) nearest to and farthest from the viewer. */
static void floor_corners(const surface_proj *pr, int *nearest, int *farthest) {
    double best = -INFINITY, worst = INFINITY;
    for (int c = 0; c < 4; c++) {
        double sx, sy, d;
        box_point(pr, c & 1 ? 1 : -1, c & 2 ? 1 : -1, -0.6, &sx, &sy, &d);
        if (d > best) best = d, *nearest = c;
        if (d < worst) worst = d, *farthest = c;
    }
}

/* Text at screen point (x, y) pushed out along (dx, dy) (a unit vector) by pad plus
 * half the text's extent that way, so that it clears the edge it labels. */
/* The boxes of the labels drawn so far on the three axes, so that none is drawn over
 * another. */
#define SURF_LABELS 64
typedef struct {
    int n, left_out;
    double box[SURF_LABELS][4]; /* x0, y0, x1, y1 */
} label_boxes;

/* Draws the label unless it would come within a third of a pad of one in drawn;
 * returns whether it drew it. */
static int label_out(viz_canvas *cv, viz_app *a, const viz_theme *t, label_boxes *drawn,
                     const char *s, double x, double y, double dx, double dy, int px,
                     uint32_t col) {
    int w, h;
    text_size(a, FONT_SANS, px, s, &w, &h);
    double push = t->pad / 2.0 + fabs(dx) * w / 2.0 + fabs(dy) * h / 2.0;
    double cx = lround(x + dx * push), cy = lround(y + dy * push), m = t->pad / 3.0;
    double b[4] = {cx - w / 2.0 - m, cy - h / 2.0 - m, cx + w / 2.0 + m, cy + h / 2.0 + m};
    for (int i = 0; i < drawn->n; i++) {
        const double *o = drawn->box[i];
        if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) {
            drawn->left_out++;
            return 0;
        }
    }
    if (drawn->n < SURF_LABELS) memcpy(drawn->box[drawn->n++], b, sizeof b);
    text_draw(cv, a, FONT_SANS, px, s, (int)cx, (int)cy, ALIGN_CENTER | ALIGN_MIDDLE, col, 0);
    return 1;
}

/* The back edges of the box (behind the surface): the two floor edges and the upright
 * at the farthest corner. */
static void box_back(viz_canvas *cv, const viz_theme *t, const surface_proj *pr) {
    int near, far;
    floor_corners(pr, &near, &far);
    double fx = far & 1 ? 1 : -1, fy = far & 2 ? 1 : -1;
    double c[3] = {fx, fy, -0.6}, ax[3] = {-fx, fy, -0.6}, ay[3] = {fx, -fy, -0.6};
    double up[3] = {fx, fy, 0.6};
    box_line(cv, pr, c, ax, t->thin, t->grid);
    box_line(cv, pr, c, ay, t->thin, t->grid);
    box_line(cv, pr, c, up, t->thin, t->grid);
}

/* One axis along the box edge from a to b (box coordinates) for data lo..hi, ticks
 * pointing out along the box direction out (or, when out is NULL, left on the screen),
 * with tick labels and the axis label. */
static void box_axis(viz_canvas *cv, viz_app *a, const viz_theme *t, label_boxes *drawn,
                     const surface_proj *pr, const double *ea, const double *eb, const double *out,
                     double lo, double hi, const char *label) {
    box_line(cv, pr, ea, eb, t->axis, t->box);
    double tk[VIZ_MAX_TICKS], step;
    double sa[2], sb[2];
    box_point(pr, ea[0], ea[1], ea[2], &sa[0], &sa[1], NULL);
    box_point(pr, eb[0], eb[1], eb[2], &sb[0], &sb[1], NULL);
    int sw, sh;
    text_size(a, FONT_SANS, t->small, "0.0", &sw, &sh);
    double len = hypot(sb[0] - sa[0], sb[1] - sa[1]);
    /* as many ticks as their labels have room along the edge: widths across the screen,
     * line heights up it */
    double room = len > 0 ? 1.3 * (fabs(sb[0] - sa[0]) * sw + fabs(sb[1] - sa[1]) * sh) / len : 1;
    int maxn = (int)(len / room) + 1;
    int n = ticks_nice(lo, hi, maxn < 3 ? 3 : maxn > 6 ? 6 : maxn, tk, &step);
    char lab[VIZ_MAX_TICKS][VIZ_TICK_LABEL];
    ticks_labels(tk, n, step, 0, 0, lab);
    /* the outward direction on the screen */
    double dx = -1, dy = 0, tail = 5 * t->scale;
    if (out) {
        double mx = (ea[0] + eb[0]) / 2, my = (ea[1] + eb[1]) / 2, mz = (ea[2] + eb[2]) / 2;
        double x0, y0, x1, y1;
        box_point(pr, mx, my, mz, &x0, &y0, NULL);
        box_point(pr, mx + out[0], my + out[1], mz + out[2], &x1, &y1, NULL);
        double d = hypot(x1 - x0, y1 - y0);
        if (d > 1e-6) dx = (x1 - x0) / d, dy = (y1 - y0) / d;
    }
    for (int i = 0; i < n; i++) {
        double u = (tk[i] - lo) / (hi - lo);
        if (u < -1e-9 || u > 1 + 1e-9) continue;
        double x = sa[0] + u * (sb[0] - sa[0]), y = sa[1] + u * (sb[1] - sa[1]);
        cv_line(cv, x, y, x + dx * tail, y + dy * tail, t->axis, t->box, 1);
        label_out(cv, a, t, drawn, lab[i], x + dx * tail, y + dy * tail, dx, dy, t->small,
                  t->muted);
    }
    if (!label || !*label) return;
    /* the axis label beyond the widest tick label */
    int wmax = 0, w, h;
    for (int i = 0; i < n; i++) {
        text_size(a, FONT_SANS, t->small, lab[i], &w, &h);
        if (w > wmax) wmax = w;
    }
    double push = tail + t->pad + fabs(dx) * wmax + fabs(dy) * sh;
    double cx = (sa[0] + sb[0]) / 2 + dx * push, cy = (sa[1] + sb[1]) / 2 + dy * push;
    label_out(cv, a, t, drawn, label, cx, cy, dx, dy, t->font, t->fg);
}

/* The front of the box: x and y along the floor edges that meet at the nearest corner,
 * the value up the upright at the side corner farther left on the screen. */
static void box_front(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                      const surface_proj *pr) {
    int near, far;
    floor_corners(pr, &near, &far);
    double nx = near & 1 ? 1 : -1, ny = near & 2 ? 1 : -1;
    double x0[3] = {-1, ny, -0.6}, x1[3] = {1, ny, -0.6}, ox[3] = {0, ny, 0};
    double y0[3] = {nx, -1, -0.6}, y1[3] = {nx, 1, -0.6}, oy[3] = {nx, 0, 0};
    label_boxes drawn = {0};
    const char *xl = p->label[VIZ_XLABEL], *yl = p->label[VIZ_YLABEL];
    box_axis(cv, a, t, &drawn, pr, x0, x1, ox, p->gx0, p->gx1, xl && *xl ? xl : "x");
    box_axis(cv, a, t, &drawn, pr, y0, y1, oy, p->gy0, p->gy1, yl && *yl ? yl : "y");
    /* the two side corners: (-nx, ny) and (nx, -ny); the value axis on the left one */
    double ax, ay, bx, by;
    box_point(pr, -nx, ny, -0.6, &ax, &ay, NULL);
    box_point(pr, nx, -ny, -0.6, &bx, &by, NULL);
    double cx = ax < bx ? -nx : nx, cy = ax < bx ? ny : -ny;
    double z0[3] = {cx, cy, -0.6}, z1[3] = {cx, cy, 0.6};
    box_axis(cv, a, t, &drawn, pr, z0, z1, NULL, pr->lo, pr->hi, "value");
    p->labels_drawn = drawn.n;
    p->labels_left_out = drawn.left_out;
}

static void plot_surface(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                         viz_layout *lay) {
    lay->has = 0;
    int x0 = cv->cx0, x1 = cv->cx1, y1 = cv->cy1;
    title_draw(cv, a, t, p, x0, x1, cv->cy0 + t->pad);
    if (!p->grid) return;
    int top = cv->cy0 + t->pad + title_height(a, t, p);
    int nx = p->gw < SURF_MAX ? p->gw : SURF_MAX, ny = p->gh < SURF_MAX ? p->gh : SURF_MAX;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < (size_t)p->gw * p->gh; i++)
        if (isfinite(p->grid[i])) lo = fmin(lo, p->grid[i]), hi = fmax(hi, p->grid[i]);
    if (!(hi > lo)) hi = lo + 1;
    double *P = malloc((size_t)nx * ny * 4 * sizeof *P); /* screen x, y, depth, height 0..1 */
    facet *F = malloc((size_t)(nx - 1) * (ny - 1) * sizeof *F);
    if (!P || !F) {
        free(P), free(F);
        return;
    }
    double yaw = p->yaw * M_PI / 180, pitch = p->pitch * M_PI / 180;
    double sxmin = INFINITY, sxmax = -INFINITY, symin = INFINITY, symax = -INFINITY;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            int gi = i * (p->gw - 1) / (nx - 1), gj = j * (p->gh - 1) / (ny - 1);
            double v = p->grid[(size_t)gj * p->gw + gi];
            double h = isfinite(v) ? (v - lo) / (hi - lo) : 0;
            double X = 2.0 * i / (nx - 1) - 1, Y = 2.0 * j / (ny - 1) - 1, Z = 1.2 * h - 0.6;
            double xr = X * cos(yaw) - Y * sin(yaw), yr = X * sin(yaw) + Y * cos(yaw);
            double *q = &P[((size_t)j * nx + i) * 4];
            q[0] = xr;
            q[1] = Z * cos(pitch) + yr * sin(pitch);  /* up on screen */
            q[2] = -yr * cos(pitch) + Z * sin(pitch); /* towards the viewer */
            q[3] = h;
            sxmin = fmin(sxmin, q[0]), sxmax = fmax(sxmax, q[0]);
            symin = fmin(symin, q[1]), symax = fmax(symax, q[1]);
        }
    for (int c = 0; c < 8; c++) { /* the box's corners fit too */
        double X = c & 1 ? 1 : -1, Y = c & 2 ? 1 : -1, Z = c & 4 ? 0.6 : -0.6;
        double xr = X * cos(yaw) - Y * sin(yaw), yr = X * sin(yaw) + Y * cos(yaw);
        double up = Z * cos(pitch) + yr * sin(pitch);
        sxmin = fmin(sxmin, xr), sxmax = fmax(sxmax, xr);
        symin = fmin(symin, up), symax = fmax(symax, up);
    }
    /* room around the box for tick labels and axis labels */
    int lw, lh, fw, fh;
    text_size(a, FONT_SANS, t->small, "-0.000", &lw, &lh);
    text_size(a, FONT_SANS, t->font, "Ag", &fw, &fh);
    int bottom = y1 - t->pad, side = lw + fh + 3 * t->pad;
    double W = x1 - x0 - 2 * side, H = bottom - top - 2 * (lh + fh + 2 * t->pad);
    if (W < 20) W = 20;
    if (H < 20) H = 20;
    double s = fmin(W / (sxmax - sxmin), H / (symax - symin));
    double ox = (x0 + x1) / 2.0 - s * (sxmin + sxmax) / 2,
           oy = (top + bottom) / 2.0 + s * (symin + symax) / 2;
    for (size_t k = 0; k < (size_t)nx * ny; k++) {
        P[4 * k] = ox + s * P[4 * k];
        P[4 * k + 1] = oy - s * P[4 * k + 1];
    }
    surface_proj pr = {yaw, pitch, lo, hi, s, ox, oy};
    box_back(cv, t, &pr);
    size_t nf = 0;
    for (int j = 0; j + 1 < ny; j++)
        for (int i = 0; i + 1 < nx; i++) {
            double d = 0;
            for (int c = 0; c < 4; c++) d += P[((size_t)(j + c / 2) * nx + i + c % 2) * 4 + 2];
            F[nf++] = (facet){d, i, j};
        }
    qsort(F, nf, sizeof *F, by_depth);
    for (size_t k = 0; k < nf; k++) {
        int i = F[k].i, j = F[k].j;
        const double *a0 = &P[((size_t)j * nx + i) * 4], *a1 = &P[((size_t)j * nx + i + 1) * 4];
        const double *a2 = &P[((size_t)(j + 1) * nx + i + 1) * 4];
        const double *a3 = &P[((size_t)(j + 1) * nx + i) * 4];
        double h = (a0[3] + a1[3] + a2[3] + a3[3]) / 4;
        uint32_t col = cmap_viridis(h);
        if (p->shaded) {
            /* Lambert shading, light from the viewer's upper left: the facet's normal in
             * grid space (Z = 1.2 h over cells 2/(n-1) wide), turned by the yaw */
            double dzx = (a1[3] - a0[3] + a2[3] - a3[3]) / 2 * 1.2 * (nx - 1) / 2;
            double dzy = (a3[3] - a0[3] + a2[3] - a1[3]) / 2 * 1.2 * (ny - 1) / 2;
            double nn = sqrt(dzx * dzx + dzy * dzy + 1);
            double nxg = -dzx / nn, nyg = -dzy / nn, nz = 1 / nn;
            double nxv = nxg * cos(yaw) - nyg * sin(yaw), nyv = nxg * sin(yaw) + nyg * cos(yaw);
            double lambert = -0.5 * nxv - 0.5 * nyv + 0.707 * nz; /* light (-.5, -.5, .707) */
            double shade = 0.55 + 0.55 * (lambert > 0 ? lambert : 0);
            col = shade <= 1 ? viz_mix(viz_rgb(0, 0, 0), col, shade)
                             : viz_mix(col, viz_rgb(255, 255, 255), shade - 1);
            double t1[6] = {a0[0], a0[1], a1[0], a1[1], a2[0], a2[1]};
            double t2[6] = {a0[0], a0[1], a2[0], a2[1], a3[0], a3[1]};
            cv_triangle(cv, t1, col);
            cv_triangle(cv, t2, col);
            cv_line(cv, a0[0], a0[1], a1[0], a1[1], t->thin * 0.8, viz_rgb(0, 0, 0), 0.18);
            cv_line(cv, a0[0], a0[1], a3[0], a3[1], t->thin * 0.8, viz_rgb(0, 0, 0), 0.18);
        } else {
            cv_line(cv, a0[0], a0[1], a1[0], a1[1], t->thin, col, 1);
            cv_line(cv, a0[0], a0[1], a3[0], a3[1], t->thin, col, 1);
            if (i + 2 == nx) cv_line(cv, a1[0], a1[1], a2[0], a2[1], t->thin, col, 1);
            if (j + 2 == ny) cv_line(cv, a3[0], a3[1], a2[0], a2[1], t->thin, col, 1);
        }
    }
    box_front(cv, a, t, p, &pr);
    lay->sp = pr, lay->has_sp = 1;
    surface_paths_draw(cv, t, p, &pr); /* trajectories over the facets */
    free(P), free(F);
}

/* The surface point under the cursor: the grid node nearest the viewer within a cell
 * of the cursor; 0 when the cursor is off the surface. */
static int surface_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                         size_t n) {
    if (!lay->has_sp || !p->grid) return 0;
    const surface_proj *pr = &lay->sp;
    /* the grid node nearest the viewer among those within a cell of the cursor */
    double cell = pr->s * 2.0 / (p->gw < p->gh ? p->gw - 1 : p->gh - 1), reach = fmax(cell, 3);
    double best = -INFINITY;
    int bi = -1, bj = -1;
    for (int j = 0; j < p->gh; j++)
        for (int i = 0; i < p->gw; i++) {
            double v = p->grid[(size_t)j * p->gw + i];
            if (!isfinite(v)) continue;
            double X = 2.0 * i / (p->gw - 1) - 1, Y = 2.0 * j / (p->gh - 1) - 1;
            double Z = 1.2 * (v - pr->lo) / (pr->hi - pr->lo) - 0.6, sx, sy, d;
            box_point(pr, X, Y, Z, &sx, &sy, &d);
            if (fabs(sx - px - 0.5) <= reach && fabs(sy - py - 0.5) <= reach && d > best)
                best = d, bi = i, bj = j;
        }
    if (bi < 0) return 0;
    snprintf(buf, n, "x %.4g  y %.4g  value %.4g", p->gx0 + (p->gx1 - p->gx0) * bi / (p->gw - 1),
             p->gy0 + (p->gy1 - p->gy0) * bj / (p->gh - 1), p->grid[(size_t)bj * p->gw + bi]);
    return 1;
}

/* A drag turns the surface: half a degree of yaw a pixel across, 0.3 of pitch down. */
static void surface_drag(viz_panel *p, int dx, int dy) {
    viz_surface_set_view(p, p->yaw + dx * 0.5, p->pitch + dy * 0.3, p->shaded);
}

const viz_kind_def plot_surface_kind = {
    .name = "surface",
    .width = 640,
    .height = 560,
    .takes = VIZ_TAKES_GRID | VIZ_TAKES_SERIES, /* series: paths lying on it */
    .draw = plot_surface,
    .hover = surface_hover,
    .drag = surface_drag,
};
