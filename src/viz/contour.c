/* contour.c: contour lines by marching squares, and the choice of automatic levels.
 * Works in grid coordinates; axes and pixels are the caller's business. */
#include <math.h>

#include "vizint.h"

/* Where the level crosses the edge from a (value va) to b (vb), as a fraction. */
static double cross(double va, double vb, double level) {
    double d = vb - va;
    return d != 0 ? (level - va) / d : 0.5;
}

/* Emits the segments of one cell (corners c, counter-clockwise from bottom-left at
 * grid point (i, j)) for one level. */
static void cell_level(const double *c, int i, int j, double level, contour_emit emit, void *ud) {
    int up[4], nup = 0;
    for (int k = 0; k < 4; k++) nup += up[k] = c[k] >= level;
    if (nup == 0 || nup == 4) return;
    /* crossing point on edge k, from corner k to corner k+1 */
    static const double cx[4] = {0, 1, 1, 0}, cy[4] = {0, 0, 1, 1};
    double px[4], py[4];
    int edges[4], ne = 0;
    for (int k = 0; k < 4; k++) {
        int k1 = (k + 1) & 3;
        if (up[k] == up[k1]) continue;
        double t = cross(c[k], c[k1], level);
        px[k] = i + cx[k] + t * (cx[k1] - cx[k]);
        py[k] = j + cy[k] + t * (cy[k1] - cy[k]);
        edges[ne++] = k;
    }
    if (ne == 2) {
        emit(ud, px[edges[0]], py[edges[0]], px[edges[1]], py[edges[1]]);
        return;
    }
    /* saddle: the centre value decides which corners connect */
    int centre_up = (c[0] + c[1] + c[2] + c[3]) / 4 >= level;
    if (centre_up == up[0]) { /* corner 0 joins corner 2 through the centre */
        emit(ud, px[0], py[0], px[1], py[1]);
        emit(ud, px[2], py[2], px[3], py[3]);
    } else {
        emit(ud, px[3], py[3], px[0], py[0]);
        emit(ud, px[1], py[1], px[2], py[2]);
    }
}

/* One pass over the cells for all levels: a cell is looked at only for the levels
 * between its lowest and highest corner. */
void contour_levels(const float *v, int w, int h, const double *levels, int n, contour_emit emit,
                    void *ud) {
    for (int j = 0; j + 1 < h; j++)
        for (int i = 0; i + 1 < w; i++) {
            double c[4] = {v[(size_t)j * w + i], v[(size_t)j * w + i + 1],
                           v[(size_t)(j + 1) * w + i + 1], v[(size_t)(j + 1) * w + i]};
            if (!isfinite(c[0]) || !isfinite(c[1]) || !isfinite(c[2]) || !isfinite(c[3])) continue;
            /* finite corners: plain comparisons (fmin and fmax are calls, for NaN's sake,
             * and this runs over a live decision view's 40 000 cells at every frame) */
            double lo = c[0] < c[1] ? c[0] : c[1], hi = c[0] < c[1] ? c[1] : c[0];
            lo = c[2] < lo ? c[2] : lo, hi = c[2] > hi ? c[2] : hi;
            lo = c[3] < lo ? c[3] : lo, hi = c[3] > hi ? c[3] : hi;
            for (int l = 0; l < n; l++)
                if (levels[l] > lo && levels[l] <= hi) cell_level(c, i, j, levels[l], emit, ud);
        }
}

void contour_level(const float *v, int w, int h, double level, contour_emit emit, void *ud) {
    contour_levels(v, w, h, &level, 1, emit, ud);
}

int contour_auto_levels(double lo, double hi, int count, int log, double *levels) {
    if (count <= 0 || !(hi > lo) || !isfinite(lo) || !isfinite(hi)) return 0;
    if (count > VIZ_MAX_TICKS - 2) count = VIZ_MAX_TICKS - 2;
    if (log && lo > 0) { /* log-spaced: a loss surface's valley needs them */
        double l0 = log10(lo), l1 = log10(hi);
        int n = 0;
        for (int k = 1; k <= count; k++) {
            double e = l0 + (l1 - l0) * k / (count + 1);
            /* round to 1, 2 or 5 times a power of ten so the colour bar reads well */
            double p = pow(10, floor(e)), m = pow(10, e) / p;
            double v = (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
            if (n == 0 || v > levels[n - 1]) levels[n++] = v;
        }
        return n;
    }
    double t[VIZ_MAX_TICKS], step;
    int nt = ticks_nice(lo, hi, count + 2, t, &step), n = 0;
    for (int k = 0; k < nt; k++)
        if (t[k] > lo && t[k] < hi) levels[n++] = t[k];
    return n;
}
