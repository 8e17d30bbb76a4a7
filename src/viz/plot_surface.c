/* plot_surface.c: a grid as a 3-D surface (loss surfaces), orthographic view from a
 * yaw and a pitch, shaded facets drawn back to front (painter's algorithm) or a
 * wireframe coloured by height. At most 64 x 64 facets are drawn; the data stay whole. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

void plot_surface(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p, viz_layout *lay) {
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
    int lw, lh; /* the line of text under the surface */
    text_size(a, FONT_SANS, t->small, "Ag", &lw, &lh);
    int bottom = y1 - lh - t->pad;
    double W = x1 - x0 - 4 * t->pad, H = bottom - top - 2 * t->pad;
    double s = fmin(W / (sxmax - sxmin), H / (symax - symin));
    double ox = (x0 + x1) / 2.0 - s * (sxmin + sxmax) / 2,
           oy = (top + bottom) / 2.0 + s * (symin + symax) / 2;
    for (size_t k = 0; k < (size_t)nx * ny; k++) {
        P[4 * k] = ox + s * P[4 * k];
        P[4 * k + 1] = oy - s * P[4 * k + 1];
    }
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
    surface_proj pr = {yaw, pitch, lo, hi, s, ox, oy};
    surface_paths_draw(cv, t, p, &pr); /* trajectories over the facets */
    free(P), free(F);
    /* no z axis on an isometric view: the height range in words, and the colour map */
    char buf[96];
    snprintf(buf, sizeof buf, "height %.3g (purple) to %.3g (yellow)", lo, hi);
    text_draw(cv, a, FONT_SANS, t->small, buf, x0 + t->pad, y1 - t->pad, ALIGN_LEFT | ALIGN_BOTTOM,
              t->muted, 0);
}
