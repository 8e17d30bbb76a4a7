/* canvas.c: drawing primitives on ARGB8888 pixels: blending, rectangles, anti-aliased
 * thick lines and discs (coverage from the exact distance to the shape), triangles.
 * No text (text.c) and no knowledge of plots. */
#include <math.h>

#include "vizint.h"

uint32_t viz_mix(uint32_t a, uint32_t b, double t) {
    if (t <= 0) return a;
    if (t >= 1) return b;
    int r = (int)(viz_r(a) + (viz_r(b) - viz_r(a)) * t + 0.5);
    int g = (int)(viz_g(a) + (viz_g(b) - viz_g(a)) * t + 0.5);
    int bl = (int)(viz_b(a) + (viz_b(b) - viz_b(a)) * t + 0.5);
    return viz_rgb(r, g, bl);
}

void cv_init(viz_canvas *cv, uint32_t *px, int w, int h) {
    cv->px = px;
    cv->w = w;
    cv->h = h;
    cv_noclip(cv);
}

void cv_noclip(viz_canvas *cv) {
    cv->cx0 = cv->cy0 = 0;
    cv->cx1 = cv->w;
    cv->cy1 = cv->h;
}

void cv_clip(viz_canvas *cv, int x0, int y0, int x1, int y1) {
    cv->cx0 = x0 < 0 ? 0 : x0;
    cv->cy0 = y0 < 0 ? 0 : y0;
    cv->cx1 = x1 > cv->w ? cv->w : x1;
    cv->cy1 = y1 > cv->h ? cv->h : y1;
}

void cv_blend(viz_canvas *cv, int x, int y, uint32_t col, double cover) {
    if (x < cv->cx0 || y < cv->cy0 || x >= cv->cx1 || y >= cv->cy1 || cover <= 0) return;
    uint32_t *d = &cv->px[(size_t)y * cv->w + x];
    *d = cover >= 1 ? (col | 0xff000000u) : viz_mix(*d, col, cover);
}

void cv_fill_rect(viz_canvas *cv, int x, int y, int w, int h, uint32_t col) {
    int x0 = x < cv->cx0 ? cv->cx0 : x, y0 = y < cv->cy0 ? cv->cy0 : y;
    int x1 = x + w > cv->cx1 ? cv->cx1 : x + w, y1 = y + h > cv->cy1 ? cv->cy1 : y + h;
    for (int j = y0; j < y1; j++)
        for (int i = x0; i < x1; i++) cv->px[(size_t)j * cv->w + i] = col | 0xff000000u;
}

void cv_blend_rect(viz_canvas *cv, int x, int y, int w, int h, uint32_t col, double alpha) {
    for (int j = y; j < y + h; j++)
        for (int i = x; i < x + w; i++) cv_blend(cv, i, j, col, alpha);
}

/* Distance from (px, py) to the segment a-b. */
static double seg_dist(double px, double py, double ax, double ay, double bx, double by) {
    double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double qx = ax + t * dx - px, qy = ay + t * dy - py;
    return sqrt(qx * qx + qy * qy);
}

/* Visits only the pixels near the segment: along its major axis, a band of the
 * half-width stretched by the slope, so long diagonal lines stay cheap. Pixel (i, j)
 * covers [i, i+1) x [j, j+1); its centre is (i+0.5, j+0.5). */
void cv_line(viz_canvas *cv, double x0, double y0, double x1, double y1, double wd, uint32_t col,
             double alpha) {
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) return;
    double r = wd / 2;
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
    int xmajor = fabs(dx) >= fabs(dy);
    if (!xmajor) { /* swap roles of x and y */
        double t;
        t = x0, x0 = y0, y0 = t;
        t = x1, x1 = y1, y1 = t;
        t = dx, dx = dy, dy = t;
    }
    if (x0 > x1) {
        double t;
        t = x0, x0 = x1, x1 = t;
        t = y0, y0 = y1, y1 = t;
        dx = -dx, dy = -dy;
    }
    double slope = dx != 0 ? dy / dx : 0;
    double band = len > 0 && dx != 0 ? (r + 1) * len / fabs(dx) : r + 1;
    /* clip the major range to the canvas so huge coordinates cost nothing */
    double lo = x0 - r - 1, hi = x1 + r + 1;
    double clo = xmajor ? cv->cx0 : cv->cy0, chi = xmajor ? cv->cx1 : cv->cy1;
    if (lo < clo - 1) lo = clo - 1;
    if (hi > chi + 1) hi = chi + 1;
    for (int u = (int)floor(lo); u <= (int)ceil(hi); u++) {
        double uc = u + 0.5, t = uc < x0 ? x0 : uc > x1 ? x1 : uc;
        double vc = y0 + (t - x0) * slope;
        for (int v = (int)floor(vc - band - 0.5); v <= (int)ceil(vc + band); v++) {
            double d = seg_dist(uc, v + 0.5, x0, y0, x1, y1);
            double c = r + 0.5 - d;
            if (c <= 0) continue;
            if (c > 1) c = 1;
            if (r < 0.5) c *= 2 * r; /* hairlines: fainter, not thicker */
            if (xmajor)
                cv_blend(cv, u, v, col, c * alpha);
            else
                cv_blend(cv, v, u, col, c * alpha);
        }
    }
}

void cv_dashed(viz_canvas *cv, double x0, double y0, double x1, double y1, double wd, uint32_t col,
               double dash, double gap) {
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
    if (len <= 0) return;
    for (double s = 0; s < len; s += dash + gap) {
        double e = s + dash > len ? len : s + dash;
        cv_line(cv, x0 + dx * s / len, y0 + dy * s / len, x0 + dx * e / len, y0 + dy * e / len, wd,
                col, 1);
    }
}

void cv_polyline(viz_canvas *cv, const double *xy, size_t n, double wd, uint32_t col,
                 double alpha) {
    if (n == 1) cv_disc(cv, xy[0], xy[1], wd / 2, col);
    for (size_t i = 1; i < n; i++)
        cv_line(cv, xy[2 * i - 2], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1], wd, col, alpha);
}

void cv_disc(viz_canvas *cv, double cx, double cy, double r, uint32_t col) {
    if (!isfinite(cx) || !isfinite(cy)) return;
    for (int j = (int)floor(cy - r - 1); j <= (int)ceil(cy + r + 1); j++)
        for (int i = (int)floor(cx - r - 1); i <= (int)ceil(cx + r + 1); i++) {
            double d = hypot(i + 0.5 - cx, j + 0.5 - cy);
            double c = r + 0.5 - d;
            cv_blend(cv, i, j, col, c > 1 ? 1 : c);
        }
}

void cv_ring(viz_canvas *cv, double cx, double cy, double r, double wd, uint32_t col) {
    if (!isfinite(cx) || !isfinite(cy)) return;
    for (int j = (int)floor(cy - r - wd); j <= (int)ceil(cy + r + wd); j++)
        for (int i = (int)floor(cx - r - wd); i <= (int)ceil(cx + r + wd); i++) {
            double d = fabs(hypot(i + 0.5 - cx, j + 0.5 - cy) - r);
            double c = wd / 2 + 0.5 - d;
            cv_blend(cv, i, j, col, c > 1 ? 1 : c);
        }
}

static double edge(double ax, double ay, double bx, double by, double px, double py) {
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
}

/* Filled triangle without anti-aliasing: pixel centres inside (or on) all three edges.
 * Used for shaded surfaces, where neighbouring facets hide the missing smoothing. */
void cv_triangle(viz_canvas *cv, const double *p, uint32_t col) {
    double xmin = fmin(p[0], fmin(p[2], p[4])), xmax = fmax(p[0], fmax(p[2], p[4]));
    double ymin = fmin(p[1], fmin(p[3], p[5])), ymax = fmax(p[1], fmax(p[3], p[5]));
    double area = edge(p[0], p[1], p[2], p[3], p[4], p[5]);
    if (area == 0 || !isfinite(area)) return;
    int i0 = (int)floor(xmin), i1 = (int)ceil(xmax), j0 = (int)floor(ymin), j1 = (int)ceil(ymax);
    if (i0 < cv->cx0) i0 = cv->cx0;
    if (j0 < cv->cy0) j0 = cv->cy0;
    if (i1 > cv->cx1 - 1) i1 = cv->cx1 - 1;
    if (j1 > cv->cy1 - 1) j1 = cv->cy1 - 1;
    for (int j = j0; j <= j1; j++)
        for (int i = i0; i <= i1; i++) {
            double x = i + 0.5, y = j + 0.5;
            double w0 = edge(p[2], p[3], p[4], p[5], x, y) * area;
            double w1 = edge(p[4], p[5], p[0], p[1], x, y) * area;
            double w2 = edge(p[0], p[1], p[2], p[3], x, y) * area;
            if (w0 >= 0 && w1 >= 0 && w2 >= 0) cv->px[(size_t)j * cv->w + i] = col | 0xff000000u;
        }
}
