/* canvas.c: drawing primitives on ARGB8888 pixels: blending, rectangles, anti-aliased
 * thick lines and discs (coverage from the exact distance to the shape), triangles.
 * No text (text.c) and no knowledge of plots. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

void cv_init(viz_canvas *cv, uint32_t *px, int w, int h) {
    cv->px = px;
    cv->w = w;
    cv->h = h;
    cv->rec = NULL;
    cv_noclip(cv);
}

/* A blend of a disc or ring: painted, or recorded when the canvas records (the clip
 * test and the cover as cv_blend has them, so that a replay paints the same). */
static void disc_blend(viz_canvas *cv, int x, int y, uint32_t col, double cover) {
    viz_blend_log *log = cv->rec;
    if (!log) {
        cv_blend(cv, x, y, col, cover);
        return;
    }
    if (x < cv->cx0 || y < cv->cy0 || x >= cv->cx1 || y >= cv->cy1 || cover <= 0 || !log->ok)
        return;
    if (log->n == log->cap) {
        size_t cap = log->cap ? 2 * log->cap : 4096;
        viz_blend_op *op = realloc(log->op, cap * sizeof *op);
        if (!op) {
            log->ok = 0;
            return;
        }
        log->op = op, log->cap = cap;
    }
    /* viz_mix's weight, or 256 for an opaque blend (the same pixel either way) */
    uint32_t w = cover >= 1 ? 256 : (uint32_t)(int)(cover * 256 + 0.5);
    log->op[log->n++] = (viz_blend_op){(uint32_t)((size_t)y * cv->w + x), col, w};
}

void cv_replay(viz_canvas *cv, const viz_blend_log *log) {
    for (size_t i = 0; i < log->n; i++) {
        const viz_blend_op *o = &log->op[i];
        uint32_t *d = &cv->px[o->idx];
        *d = o->w >= 256 ? (o->col | 0xff000000u) : viz_mix_w(*d, o->col, o->w);
    }
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

/* A segment prepared for rasterising: endpoints in (u, v), where u is the major axis
 * (x when the segment is more horizontal than vertical), ordered so that u0 <= u1. */
typedef struct {
    double u0, v0, u1, v1, du, dv, inv_l2, slope, band;
    int xmajor;
} seg;

static void seg_make(seg *s, double x0, double y0, double x1, double y1, double reach) {
    double dx = x1 - x0, dy = y1 - y0;
    s->xmajor = fabs(dx) >= fabs(dy);
    if (!s->xmajor) { /* swap roles of x and y */
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
    double l2 = dx * dx + dy * dy;
    s->u0 = x0, s->v0 = y0, s->u1 = x1, s->v1 = y1, s->du = dx, s->dv = dy;
    s->inv_l2 = l2 > 0 ? 1 / l2 : 0;
    s->slope = dx != 0 ? dy / dx : 0;
    /* vertical half-extent of the band of pixels within reach of the line */
    s->band = dx != 0 ? reach * sqrt(l2) / fabs(dx) : reach;
}

/* Squared distance from (u, v) to the segment. */
static inline double seg_d2(const seg *s, double u, double v) {
    double t = ((u - s->u0) * s->du + (v - s->v0) * s->dv) * s->inv_l2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double qu = s->u0 + t * s->du - u, qv = s->v0 + t * s->dv - v;
    return qu * qu + qv * qv;
}

/* Calls fn(ud, x, y, distance) for each pixel of the clip rectangle whose centre lies
 * within reach of the segment: along the major axis, a band stretched by the slope, so
 * long diagonal lines stay cheap. Pixel (i, j) covers [i, i+1) x [j, j+1). Always
 * inlined, and fn with it: an indirect call per pixel cost as much as the pixel. */
static inline __attribute__((always_inline)) void seg_visit(const seg *s, double reach, int cx0,
                                                            int cy0, int cx1, int cy1,
                                                            void (*fn)(void *, int, int, double),
                                                            void *ud) {
    double r2 = reach * reach;
    double lo = s->u0 - reach, hi = s->u1 + reach;
    int clo = s->xmajor ? cx0 : cy0, chi = s->xmajor ? cx1 : cy1;
    int vlo = s->xmajor ? cy0 : cx0, vhi = s->xmajor ? cy1 : cx1;
    int ua = (int)floor(lo), ub = (int)ceil(hi);
    if (ua < clo) ua = clo;
    if (ub > chi - 1) ub = chi - 1;
    for (int u = ua; u <= ub; u++) {
        double uc = u + 0.5, t = uc < s->u0 ? s->u0 : uc > s->u1 ? s->u1 : uc;
        double vc = s->v0 + (t - s->u0) * s->slope;
        int va = (int)floor(vc - s->band - 0.5), vb = (int)ceil(vc + s->band);
        if (va < vlo) va = vlo;
        if (vb > vhi - 1) vb = vhi - 1;
        for (int v = va; v <= vb; v++) {
            double d2 = seg_d2(s, uc, v + 0.5);
            if (d2 >= r2) continue;
            if (s->xmajor)
                fn(ud, u, v, sqrt(d2));
            else
                fn(ud, v, u, sqrt(d2));
        }
    }
}

typedef struct {
    viz_canvas *cv;
    double r, alpha;
    uint32_t col;
} line_paint;

static inline void paint_px(void *ud, int x, int y, double d) {
    line_paint *lp = ud;
    double c = lp->r + 0.5 - d;
    if (c > 1) c = 1;
    if (lp->r < 0.5) c *= 2 * lp->r; /* hairlines: fainter, not thicker */
    cv_blend(lp->cv, x, y, lp->col, c * lp->alpha);
}

void cv_line(viz_canvas *cv, double x0, double y0, double x1, double y1, double wd, uint32_t col,
             double alpha) {
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) return;
    double r = wd / 2, reach = r + 0.5;
    seg s;
    seg_make(&s, x0, y0, x1, y1, reach);
    line_paint lp = {cv, r, alpha, col};
    seg_visit(&s, reach, cv->cx0, cv->cy0, cv->cx1, cv->cy1, paint_px, &lp);
}

/* ---- masks: coverage accumulated with max, composited once ---- */

int mask_init(viz_mask *m, const viz_canvas *cv, viz_app *a) {
    m->x0 = cv->cx0, m->y0 = cv->cy0;
    m->w = cv->cx1 - cv->cx0, m->h = cv->cy1 - cv->cy0;
    if (m->w <= 0 || m->h <= 0) m->w = m->h = 0;
    size_t n = (size_t)m->w * m->h + 1;
    /* the app's scratch memory: fresh pages on every render would cost page faults */
    if (a->scratch_n < 2 * n) {
        float *s = realloc(a->scratch, 2 * n * sizeof *s);
        if (!s) {
            m->a = m->b = NULL;
            return VIZ_ENOMEM;
        }
        a->scratch = s, a->scratch_n = 2 * n;
    }
    m->a = a->scratch, m->b = a->scratch + n;
    memset(a->scratch, 0, 2 * n * sizeof *a->scratch);
    return VIZ_OK;
}

void mask_free(viz_mask *m) {
    m->a = m->b = NULL; /* the memory stays with the app */
}

typedef struct {
    viz_mask *m;
    double ra, rb;
} mask_paint;

static inline void mask_px(void *ud, int x, int y, double d) {
    mask_paint *mp = ud;
    viz_mask *m = mp->m;
    size_t k = (size_t)(y - m->y0) * m->w + (x - m->x0);
    double ca = mp->ra + 0.5 - d, cb = mp->rb + 0.5 - d;
    float fa = (float)(ca > 1 ? 1 : ca), fb = (float)(cb > 1 ? 1 : cb);
    if (fa > m->a[k]) m->a[k] = fa;
    if (fb > m->b[k]) m->b[k] = fb;
}

void mask_line(viz_mask *m, double x0, double y0, double x1, double y1, double wa, double wb) {
    if (!m->a || !isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) return;
    double ra = wa / 2, rb = wb / 2, reach = (ra > rb ? ra : rb) + 0.5;
    seg s;
    seg_make(&s, x0, y0, x1, y1, reach);
    mask_paint mp = {m, ra, rb};
    seg_visit(&s, reach, m->x0, m->y0, m->x0 + m->w, m->y0 + m->h, mask_px, &mp);
}

void mask_composite(viz_canvas *cv, const viz_mask *m, uint32_t ca, double aa, uint32_t cb,
                    double ab) {
    if (!m->a) return;
    for (int j = 0; j < m->h; j++)
        for (int i = 0; i < m->w; i++) {
            size_t k = (size_t)j * m->w + i;
            if (m->a[k] > 0) cv_blend(cv, m->x0 + i, m->y0 + j, ca, m->a[k] * aa);
            if (m->b[k] > 0) cv_blend(cv, m->x0 + i, m->y0 + j, cb, m->b[k] * ab);
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
    double in2 = r > 0.5 ? (r - 0.5) * (r - 0.5) : -1, out2 = (r + 0.5) * (r + 0.5);
    for (int j = (int)floor(cy - r - 1); j <= (int)ceil(cy + r + 1); j++)
        for (int i = (int)floor(cx - r - 1); i <= (int)ceil(cx + r + 1); i++) {
            double dx = i + 0.5 - cx, dy = j + 0.5 - cy, d2 = dx * dx + dy * dy;
            if (d2 >= out2) continue;
            disc_blend(cv, i, j, col, d2 <= in2 ? 1 : r + 0.5 - sqrt(d2));
        }
}

/* Coverage wd/2 + 0.5 - |d - r| at distance d from the centre: only pixels whose
 * squared distance lies inside (r -+ (wd/2 + 0.5))^2 get some, so each pixel row visits
 * the spans of the annulus (a pixel more on each end for rounding, tested again), not
 * its box and hole (a decision view's 400 test rings, redrawn at 15 frames a second,
 * spent most of their time in hypot on pixels they do not touch). */
static void ring_span(viz_canvas *cv, double cx, double cy, double r, double h, double lo,
                      double hi, int j, int i0, int i1, uint32_t col) {
    for (int i = i0; i <= i1; i++) {
        double dx = i + 0.5 - cx, dy = j + 0.5 - cy, d2 = dx * dx + dy * dy;
        if (d2 <= lo || d2 >= hi) continue;
        double c = h - fabs(sqrt(d2) - r);
        disc_blend(cv, i, j, col, c > 1 ? 1 : c);
    }
}

void cv_ring(viz_canvas *cv, double cx, double cy, double r, double wd, uint32_t col) {
    if (!isfinite(cx) || !isfinite(cy)) return;
    double h = wd / 2 + 0.5, lo = r - h > 0 ? (r - h) * (r - h) * (1 - 1e-9) : -1,
           hi = (r + h) * (r + h) * (1 + 1e-9);
    int bx0 = (int)floor(cx - r - wd), bx1 = (int)ceil(cx + r + wd);
    for (int j = (int)floor(cy - r - wd); j <= (int)ceil(cy + r + wd); j++) {
        double dy = j + 0.5 - cy, out = hi - dy * dy, in = lo - dy * dy;
        if (out <= 0) continue;
        double wo = sqrt(out);
        int o0 = (int)floor(cx - 0.5 - wo) - 1, o1 = (int)ceil(cx - 0.5 + wo) + 1;
        o0 = o0 < bx0 ? bx0 : o0, o1 = o1 > bx1 ? bx1 : o1;
        if (in <= 0) { /* above or below the hole: one span */
            ring_span(cv, cx, cy, r, h, lo, hi, j, o0, o1, col);
            continue;
        }
        double wi = sqrt(in); /* the hole's pixels, centres within wi of cx, are skipped */
        int h0 = (int)ceil(cx - 0.5 - wi) + 1, h1 = (int)floor(cx - 0.5 + wi) - 1;
        if (h0 > h1) {
            ring_span(cv, cx, cy, r, h, lo, hi, j, o0, o1, col);
            continue;
        }
        ring_span(cv, cx, cy, r, h, lo, hi, j, o0, h0 - 1, col);
        ring_span(cv, cx, cy, r, h, lo, hi, j, h1 + 1, o1, col);
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
