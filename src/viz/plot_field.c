/* plot_field.c: a scalar grid as a heat map with a colour bar and contour lines (or as
 * flat cells, a matrix's, without them), or a
 * multi-class grid (hue per class, lightness by confidence), with points and
 * trajectories (series, with a moving head) on top. Also the point markers that
 * scatter plots share. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

typedef struct {
    double *xy; /* segments x0 y0 x1 y1 in pixels */
    size_t n, cap;
    const viz_frame *f;
    const viz_panel *p;
} segs;

static void collect(void *ud, double x0, double y0, double x1, double y1) {
    segs *s = ud;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        double *nxy = realloc(s->xy, cap * 4 * sizeof *nxy);
        if (!nxy) return;
        s->xy = nxy, s->cap = cap;
    }
    const viz_panel *p = s->p;
    double sx = (p->gx1 - p->gx0) / (p->gw - 1), sy = (p->gy1 - p->gy0) / (p->gh - 1);
    double *o = &s->xy[4 * s->n++];
    o[0] = frame_px(s->f, p->gx0 + x0 * sx), o[1] = frame_py(s->f, p->gy0 + y0 * sy);
    o[2] = frame_px(s->f, p->gx0 + x1 * sx), o[3] = frame_py(s->f, p->gy0 + y1 * sy);
}

/* Bilinear sample of channel c of the grid at fractional grid coordinates. */
static double sample(const viz_panel *p, double gi, double gj, int c) {
    if (gi < 0) gi = 0;
    if (gj < 0) gj = 0;
    if (gi > p->gw - 1) gi = p->gw - 1;
    if (gj > p->gh - 1) gj = p->gh - 1;
    int i = (int)gi, j = (int)gj;
    if (i > p->gw - 2) i = p->gw - 2;
    if (j > p->gh - 2) j = p->gh - 2;
    double u = gi - i, v = gj - j;
    int k = p->gk;
    const float *g = p->grid;
    double a = g[((size_t)j * p->gw + i) * k + c], b = g[((size_t)j * p->gw + i + 1) * k + c];
    double d = g[((size_t)(j + 1) * p->gw + i) * k + c];
    double e = g[((size_t)(j + 1) * p->gw + i + 1) * k + c];
    return (a * (1 - u) + b * u) * (1 - v) + (d * (1 - u) + e * u) * v;
}

/* Value range of a scalar grid, and how to colour it. */
typedef struct {
    double lo, hi;
    int log;
    viz_map map;
} field_scale;

/* Whether a non-negative grid reads better in log colours, decided by how its values
 * are spread and not by whether the sampling hit the minimum (x^2 + y^2 has min 8e-4 on
 * a 100-point grid and 0 on a 101-point one): log when more than half of the values lie
 * in the lowest tenth of the range (a Rosenbrock valley: 63%; a paraboloid: 15%). The
 * explicit levels, when given, decide instead: all positive and spanning two decades or
 * more, more even in log than linear spacing. On log, s->lo becomes the smallest
 * positive value (at least hi / 1e6), where zero is drawn too. */
static int wants_log(const viz_panel *p, field_scale *s) {
    if (s->lo < 0 || !(s->hi > 0)) return 0;
    size_t n = (size_t)p->gw * p->gh, low = 0, finite = 0;
    double cut = s->lo + 0.1 * (s->hi - s->lo), minpos = INFINITY;
    for (size_t i = 0; i < n; i++) {
        float v = p->grid[i];
        if (!isfinite(v)) continue;
        finite++;
        low += v < cut;
        if (v > 0 && v < minpos) minpos = v;
    }
    minpos = fmax(minpos, s->hi * 1e-6);
    int log = 2 * low > finite && s->hi / minpos >= 100;
    if (p->nlevels >= 2) {
        const double *l = p->levels;
        int k = p->nlevels, pos = 1;
        for (int i = 0; i < k; i++) pos &= l[i] > 0;
        log = pos && l[k - 1] / l[0] >= 100 && l[k / 2] - l[0] < (l[k - 1] - l[0]) / 4;
        if (log) minpos = fmin(minpos, l[0]);
    }
    if (log) s->lo = minpos;
    return log;
}

static field_scale field_range(const viz_panel *p) {
    field_scale s = {INFINITY, -INFINITY, 0, p->map};
    int fixed = p->vfix[0] < p->vfix[1]; /* viz_field_set_value_range: as given, linear */
    size_t n = fixed ? 0 : (size_t)p->gw * p->gh;
    if (fixed) s.lo = p->vfix[0], s.hi = p->vfix[1];
    for (size_t i = 0; i < n; i++)
        if (isfinite(p->grid[i])) s.lo = fmin(s.lo, p->grid[i]), s.hi = fmax(s.hi, p->grid[i]);
    if (!(s.lo <= s.hi)) s.lo = 0, s.hi = 1;
    if (s.hi == s.lo) s.lo -= 0.5, s.hi += 0.5;
    if (s.map == VIZ_MAP_AUTO) s.map = s.lo < 0 && s.hi > 0 ? VIZ_MAP_DIVERGING : VIZ_MAP_VIRIDIS;
    if (fixed) return s;
    if (s.map == VIZ_MAP_DIVERGING && s.lo < 0 && s.hi > 0) { /* white stays at zero */
        double m = fmax(-s.lo, s.hi);
        s.lo = -m, s.hi = m;
    }
    s.log = s.map != VIZ_MAP_DIVERGING && wants_log(p, &s);
    return s;
}

/* Bilinear weights of one pixel row or column: cell index and fraction. */
typedef struct {
    int i;
    float u;
} lerp_at;

static void lerp_table(lerp_at *t, int n, double g0, double dg, int size) {
    for (int k = 0; k < n; k++) {
        double g = g0 + k * dg;
        if (g < 0) g = 0;
        if (g > size - 1) g = size - 1;
        int i = (int)g;
        if (i > size - 2) i = size - 2;
        t[k] = (lerp_at){i, (float)(g - i)};
    }
}

static void draw_heat(viz_canvas *cv, const viz_panel *p, const viz_frame *f,
                      const field_scale *s) {
    uint32_t lut[256];
    for (int i = 0; i < 256; i++) lut[i] = cmap_apply(s->map, i / 255.0);
    double l0 = s->log ? log10(s->lo) : s->lo, l1 = s->log ? log10(s->hi) : s->hi;
    int x0 = f->x0 > cv->cx0 ? f->x0 : cv->cx0, x1 = f->x1 < cv->cx1 ? f->x1 : cv->cx1;
    int y0 = f->y0 > cv->cy0 ? f->y0 : cv->cy0, y1 = f->y1 < cv->cy1 ? f->y1 : cv->cy1;
    if (x1 <= x0 || y1 <= y0) return;
    double sx = (p->gw - 1) / (p->gx1 - p->gx0), sy = (p->gh - 1) / (p->gy1 - p->gy0);
    /* field axes are linear: grid coordinates step evenly across pixels */
    double gx = (frame_dx(f, x0 + 0.5) - p->gx0) * sx,
           dgx = (frame_dx(f, x0 + 1.5) - frame_dx(f, x0 + 0.5)) * sx;
    lerp_at *cols = malloc((size_t)(x1 - x0) * sizeof *cols);
    if (!cols) return;
    lerp_table(cols, x1 - x0, gx, dgx, p->gw);
    /* classes: the grid lerped along the two grid rows around the pixel row (top, bot;
     * pixel rows between the same grid rows share them), and the colour of each class
     * at each of viz_mix's 257 weights; the same sums in the same order as sample() */
    double *top = NULL, *bot = NULL;
    uint32_t *mix = NULL;
    int row_j = -1;
    if (p->gk > 1) {
        size_t n = (size_t)(x1 - x0) * p->gk;
        top = malloc((2 * n) * sizeof *top + (size_t)p->gk * 257 * sizeof *mix);
        if (!top) {
            free(cols);
            return;
        }
        bot = top + n;
        mix = (uint32_t *)(bot + n);
        for (int k = 0; k < p->gk; k++)
            for (int w = 0; w <= 256; w++)
                mix[k * 257 + w] = viz_mix(viz_rgb(255, 255, 255), cmap_series(k), w / 256.0);
    }
    double scale = 255 / (l1 - l0);
    for (int y = y0; y < y1; y++) {
        lerp_at r;
        lerp_table(&r, 1, (frame_dy(f, y + 0.5) - p->gy0) * sy, 0, p->gh);
        uint32_t *out = cv->px + (size_t)y * cv->w;
        if (p->gk == 1) {
            const float *g0 = p->grid + (size_t)r.i * p->gw, *g1 = g0 + p->gw;
            for (int x = x0; x < x1; x++) {
                lerp_at c = cols[x - x0];
                float a = g0[c.i] + (g0[c.i + 1] - g0[c.i]) * c.u;
                float b = g1[c.i] + (g1[c.i + 1] - g1[c.i]) * c.u;
                double v = a + (b - a) * r.u;
                if (s->log) v = v > 0 ? log10(v) : l0;
                if (!isfinite(v)) {
                    out[x] = viz_rgb(200, 200, 200);
                    continue;
                }
                int k = (int)((v - l0) * scale + 0.5);
                out[x] = lut[k < 0 ? 0 : k > 255 ? 255 : k];
            }
            continue;
        }
        /* hue of the likeliest class, paler where unsure */
        if (r.i != row_j) { /* a new pair of grid rows: lerp both across the pixel columns */
            row_j = r.i;
            const float *g = p->grid;
            size_t k = (size_t)p->gk, gw = (size_t)p->gw;
            for (int x = x0; x < x1; x++) {
                lerp_at c = cols[x - x0];
                double u = c.u;
                const float *a = g + ((size_t)r.i * gw + c.i) * k, *d = a + gw * k;
                for (size_t q = 0; q < k; q++) {
                    top[(size_t)(x - x0) * k + q] = a[q] * (1 - u) + a[q + k] * u;
                    bot[(size_t)(x - x0) * k + q] = d[q] * (1 - u) + d[q + k] * u;
                }
            }
        }
        double v = r.u;
        if (p->gk == 2) { /* the loop below for two classes, the same sums unrolled */
            for (int x = x0; x < x1; x++) {
                const double *tq = top + (size_t)(x - x0) * 2, *bq = bot + (size_t)(x - x0) * 2;
                double p0 = tq[0] * (1 - v) + bq[0] * v, p1 = tq[1] * (1 - v) + bq[1] * v;
                double bp = -INFINITY;
                int best = 0;
                if (p0 > bp) bp = p0;
                if (p1 > bp) bp = p1, best = 1;
                double conf = (bp - 0.5) / 0.5;
                conf = conf < 0 ? 0 : conf > 1 ? 1 : conf;
                out[x] = mix[best * 257 + (int)((0.15 + 0.55 * conf) * 256 + 0.5)];
            }
            continue;
        }
        for (int x = x0; x < x1; x++) {
            const double *tq = top + (size_t)(x - x0) * p->gk, *bq = bot + (size_t)(x - x0) * p->gk;
            int best = 0;
            double bp = -INFINITY;
            for (int k = 0; k < p->gk; k++) {
                double pc = tq[k] * (1 - v) + bq[k] * v;
                if (pc > bp) bp = pc, best = k;
            }
            double conf = (bp - 1.0 / p->gk) / (1 - 1.0 / p->gk);
            conf = conf < 0 ? 0 : conf > 1 ? 1 : conf;
            /* viz_mix's own weight, so the table gives its colour exactly */
            out[x] = mix[best * 257 + (int)((0.15 + 0.55 * conf) * 256 + 0.5)];
        }
    }
    free(cols);
    free(top);
}

/* A grid of flat cells (viz_field_set_cells): each pixel takes the colour of the cell
 * its centre lies in, so cells are rectangles with sharp edges on pixel boundaries. */
static void draw_cells(viz_canvas *cv, const viz_panel *p, const viz_frame *f,
                       const field_scale *s) {
    int x0 = f->x0 > cv->cx0 ? f->x0 : cv->cx0, x1 = f->x1 < cv->cx1 ? f->x1 : cv->cx1;
    int y0 = f->y0 > cv->cy0 ? f->y0 : cv->cy0, y1 = f->y1 < cv->cy1 ? f->y1 : cv->cy1;
    if (x1 <= x0 || y1 <= y0) return;
    size_t n = (size_t)p->gw * p->gh;
    int *col = malloc((size_t)(x1 - x0) * sizeof *col);
    uint32_t *colour = malloc(n * sizeof *colour); /* of each cell */
    if (!col || !colour) {
        free(col), free(colour);
        return;
    }
    double l0 = s->log ? log10(s->lo) : s->lo, l1 = s->log ? log10(s->hi) : s->hi;
    for (size_t i = 0; i < n; i++) {
        double v = p->grid[i];
        if (s->log) v = v > 0 ? log10(v) : l0;
        colour[i] = isfinite(v) ? cmap_apply(s->map, (v - l0) / (l1 - l0)) : viz_rgb(200, 200, 200);
    }
    for (int x = x0; x < x1; x++) {
        int i = (int)floor((frame_dx(f, x + 0.5) - p->gx0) / (p->gx1 - p->gx0) * p->gw);
        col[x - x0] = i < 0 ? 0 : i >= p->gw ? p->gw - 1 : i;
    }
    for (int y = y0; y < y1; y++) {
        int j = (int)floor((frame_dy(f, y + 0.5) - p->gy0) / (p->gy1 - p->gy0) * p->gh);
        const uint32_t *row = colour + (size_t)(j < 0 ? 0 : j >= p->gh ? p->gh - 1 : j) * p->gw;
        uint32_t *out = cv->px + (size_t)y * cv->w;
        for (int x = x0; x < x1; x++) out[x] = row[col[x - x0]];
    }
    free(col), free(colour);
}

static void draw_contours(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p,
                          const viz_frame *f, const double *levels, int n) {
    segs s = {NULL, 0, 0, f, p};
    float *g = p->grid, *tmp = NULL;
    if (p->gk == 2) { /* two classes: the decision boundary p1 = 0.5 */
        size_t m = (size_t)p->gw * p->gh;
        if (!(tmp = malloc(m * sizeof *tmp))) return;
        for (size_t i = 0; i < m; i++) tmp[i] = p->grid[2 * i + 1];
        g = tmp;
    }
    contour_levels(g, p->gw, p->gh, levels, n, collect, &s);
    free(tmp);
    /* a pale halo under a dark line reads on both ends of the colour map */
    double wd = t->thin * (p->gk == 2 ? 2.2 : 1.6);
    viz_mask m;
    if (mask_init(&m, cv, a) == VIZ_OK) {
        for (size_t i = 0; i < s.n; i++) {
            double *o = &s.xy[4 * i];
            mask_line(&m, o[0], o[1], o[2], o[3], wd + 2 * t->scale, wd);
        }
        mask_composite(cv, &m, viz_rgb(255, 255, 255), 0.45, viz_rgb(20, 20, 20), 0.85);
    }
    mask_free(&m);
    free(s.xy);
}

/* The annulus between radii r0 < r1. */
static void band(viz_canvas *cv, double x, double y, double r0, double r1, uint32_t col) {
    cv_ring(cv, x, y, (r0 + r1) / 2, r1 - r0, col);
}

/* One point marker at (x, y): a disc, or a ring when hollow (see points_draw). */
static void marker_draw(viz_canvas *cv, const viz_theme *t, double x, double y, uint32_t col,
                        int hollow) {
    double r = t->point, edge = 1.2 * t->scale * (t->projector ? 1.5 : 1);
    double rim = 0.9 * t->scale;
    uint32_t white = viz_rgb(255, 255, 255), dark = viz_rgb(30, 30, 30);
    double R = 2.2 * r, cw = 0.5 * r, ri = R - rim - edge - cw - 0.6 * edge;
    if (hollow) {
        band(cv, x, y, ri - rim, R, white);
        band(cv, x, y, ri, R - rim, dark);
        band(cv, x, y, ri + 0.6 * edge, R - rim - edge, col);
    } else {
        cv_disc(cv, x, y, r + edge + rim, white);
        cv_disc(cv, x, y, r + edge, dark);
        cv_disc(cv, x, y, r, col);
    }
}

/* The colour of point i: its value on the field's scale s when it has one, else its
 * class colour. */
static uint32_t point_colour(const viz_panel *p, size_t i, const field_scale *s) {
    double v = p->ptval ? p->ptval[i] : NAN;
    if (!s || !isfinite(v)) return cmap_series(p->ptcls[i]);
    double l0 = s->log ? log10(s->lo) : s->lo, l1 = s->log ? log10(s->hi) : s->hi;
    if (s->log) v = v > 0 ? log10(v) : l0;
    return cmap_apply(s->map, (v - l0) / (l1 - l0));
}

static void points_draw_scaled(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p,
                               const viz_frame *f, const field_scale *s, int on_field,
                               uint64_t painted);

/* How a cell's annotation ("158 79%") fits a cell cw x ch pixels, its halo inside
 * the cell: on one line; else its words on two lines (split at the last space); else
 * its last word alone (the percentage; the whole text shows on hover); each in the
 * small type, else in four fifths of it (projector type in a ten-class matrix at 640
 * pixels); else nothing. Fills line, *px (the type) and *lh (the step between lines);
 * returns the count of lines. */
static int cell_lines(viz_app *a, const viz_theme *t, const char *s, double cw, double ch,
                      char line[2][64], int *px, int *lh) {
    double roomw = cw - 2 - t->pad / 2.0, roomh = ch - 2;
    const char *sp = strrchr(s, ' ');
    for (int k = 0; k < 2; k++) {
        int w, h, w2, h2;
        *px = k ? (int)lround(t->small * 0.8) : t->small;
        text_size(a, FONT_SANS, *px, s, &w, &h);
        *lh = h;
        snprintf(line[0], 64, "%s", s);
        if (w <= roomw && h <= roomh) return 1;
        if (!sp) continue;
        snprintf(line[0], 64, "%.*s", (int)(sp - s), s);
        snprintf(line[1], 64, "%s", sp + 1);
        text_size(a, FONT_SANS, *px, line[0], &w, &h);
        text_size(a, FONT_SANS, *px, line[1], &w2, &h2);
        /* two lines a line apart: their ink keeps clear of each other and of the edges */
        if (w <= roomw && w2 <= roomw && 2 * h <= roomh + h / 4) return 2;
        snprintf(line[0], 64, "%s", sp + 1);
        if (w2 <= roomw && h2 <= roomh) return 1;
    }
    return 0;
}

void points_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p,
                 const viz_frame *f) {
    points_draw_scaled(cv, a, t, p, f, NULL, 0, 0);
}

static void markers_draw(viz_canvas *cv, const viz_theme *t, const viz_panel *p, const viz_frame *f,
                         const field_scale *s, int on_field) {
    for (size_t i = 0; i < p->npts; i++) {
        double x = frame_px(f, p->ptx[i]), y = frame_py(f, p->pty[i]);
        if (!isfinite(x) || !isfinite(y)) continue;
        if (on_field && p->ptlabel && p->ptlabel[i]) continue; /* on a field: text alone */
        marker_draw(cv, t, x, y, point_colour(p, i, s), p->pthollow[i]);
    }
}

static uint64_t fnv(uint64_t h, const void *data, size_t n);

/* A field's markers: their blends are recorded once and replayed while the points,
 * their colours, the frame and the theme stay (a live decision view draws the same 400
 * points over a new heat map 15 times a second; replaying their blends paints the same
 * pixels as drawing them, at a fraction of the cost). */
/* The key of everything the markers' blends are recorded from (drawn on cv's clip). */
static uint64_t markers_key(const viz_canvas *cv, const viz_theme *t, const viz_panel *p,
                            const viz_frame *f, const field_scale *s) {
    uint64_t h = 14695981039346656037u;
    h = fnv(h, p->ptx, p->npts * sizeof *p->ptx);
    h = fnv(h, p->pty, p->npts * sizeof *p->pty);
    h = fnv(h, p->ptcls, p->npts * sizeof *p->ptcls);
    h = fnv(h, p->pthollow, p->npts * sizeof *p->pthollow);
    if (p->ptval) h = fnv(h, p->ptval, p->npts * sizeof *p->ptval);
    for (size_t i = 0; p->ptlabel && i < p->npts; i++) h = fnv(h, &(int){!!p->ptlabel[i]}, 1);
    int ints[] = {f->x0,   f->y0,   f->x1, f->y1,        cv->cx0,         cv->cy0,
                  cv->cx1, cv->cy1, cv->w, t->projector, s ? s->log : -1, s ? (int)s->map : -1};
    double reals[] = {f->ax.min, f->ax.max,       f->ay.min,     f->ay.max,    t->point,
                      t->scale,  (double)p->npts, s ? s->lo : 0, s ? s->hi : 0};
    h = fnv(h, ints, sizeof ints);
    h = fnv(h, reals, sizeof reals);
    return h ? h : 1; /* 0 is "none kept" */
}

/* painted: the key of the markers whose blends the background restored holds already
 * (a field layer's, see viz_field_layer_render), 0 when none: those are not painted
 * twice. */
static void markers_kept(viz_canvas *cv, const viz_theme *t, const viz_panel *p, const viz_frame *f,
                         const field_scale *s, uint64_t painted) {
    viz_panel *kp = (viz_panel *)p; /* the kept blends are a cache, not the panel's data */
    uint64_t h = markers_key(cv, t, p, f, s);
    if (painted && painted == h) return;
    if (kp->ptkey != h || !kp->ptlog.ok) {
        kp->ptlog.n = 0, kp->ptlog.ok = 1;
        cv->rec = &kp->ptlog;
        markers_draw(cv, t, p, f, s, 1);
        cv->rec = NULL;
        kp->ptkey = kp->ptlog.ok ? h : 0;
        if (!kp->ptlog.ok) { /* out of memory: painted directly */
            markers_draw(cv, t, p, f, s, 1);
            return;
        }
    }
    cv_replay(cv, &kp->ptlog);
}

static void points_draw_scaled(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p,
                               const viz_frame *f, const field_scale *s, int on_field,
                               uint64_t painted) {
    /* Training points are discs of their class colour in a dark outline, so that they
     * read on a background of their own class; a pale rim outside keeps the outline
     * apart from dark backgrounds. Test points are larger rings of the class colour
     * between dark edges with the background showing through the middle: hollow on
     * any background, in projector mode too. */
    uint32_t white = viz_rgb(255, 255, 255);
    if (on_field)
        markers_kept(cv, t, p, f, s, painted);
    else
        markers_draw(cv, t, p, f, s, 0);
    /* labels after all points, so none hides under a point, with a white halo; on a
     * field a label is the annotation of a place (a confusion matrix's cell, a class
     * name in the margin): its text starts at the point, no marker beside it; in a
     * scatter it names its point, right of the marker */
    int cells = on_field && p->gcells && p->grid;
    double cw = cells ? fabs(frame_px(f, p->gx1) - frame_px(f, p->gx0)) / p->gw : 0;
    double ch = cells ? fabs(frame_py(f, p->gy1) - frame_py(f, p->gy0)) / p->gh : 0;
    for (size_t i = 0; p->ptlabel && i < p->npts; i++) {
        double x = frame_px(f, p->ptx[i]), y = frame_py(f, p->pty[i]);
        if (!p->ptlabel[i] || !isfinite(x) || !isfinite(y)) continue;
        double r = t->point, edge = 1.2 * t->scale * (t->projector ? 1.5 : 1);
        int lx = on_field ? (int)x : (int)(x + r + edge + t->pad / 2), ly = (int)y;
        char line[2][64];
        int nl = 1, lh = 0, align = ALIGN_LEFT | ALIGN_MIDDLE, px = t->small;
        snprintf(line[0], sizeof line[0], "%s", p->ptlabel[i]);
        if (cells) { /* a cell's annotation, centred in it, kept inside it */
            nl = cell_lines(a, t, p->ptlabel[i], cw, ch, line, &px, &lh);
            align = ALIGN_CENTER | ALIGN_MIDDLE;
        }
        for (int l = 0; l < nl; l++) {
            int yl = (int)lround(ly + (l - (nl - 1) / 2.0) * lh);
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    if (dx || dy)
                        text_draw(cv, a, FONT_SANS, px, line[l], lx + dx, yl + dy, align, white, 0);
            text_draw(cv, a, FONT_SANS, px, line[l], lx, yl, align, t->fg, 0);
        }
    }
}

/* Paths of several series (a race's racers) often run on top of each other: earlier
 * series are drawn wider, so a path under a later one still shows as its edges (gd
 * under sgd: same path, both colours), and a head that would land on an earlier head
 * moves aside by most of a radius, so every racer's place stays visible. */
#define PATH_TAPER 0.9 /* the first path is this much wider than the last */
#define MAX_PATHS  64
static void draw_trajectories(viz_canvas *cv, const viz_theme *t, const viz_panel *p,
                              const viz_frame *f) {
    int n = p->nseries < MAX_PATHS ? p->nseries : MAX_PATHS;
    double *xy[MAX_PATHS], wd[MAX_PATHS], hx[MAX_PATHS], hy[MAX_PATHS];
    uint32_t col[MAX_PATHS], halo[MAX_PATHS];
    for (int s = 0; s < n; s++) {
        const viz_series *se = &p->series[s];
        col[s] = series_colour(p, s);
        halo[s] = cmap_is_light(col[s]) ? LIGHT_EDGE : viz_rgb(255, 255, 255);
        wd[s] = t->line;
        if (n > 1 && p->palette == 0) wd[s] *= 1 + PATH_TAPER * (n - 1 - s) / (n - 1.0);
        xy[s] = malloc((se->n ? se->n : 1) * 2 * sizeof *xy[s]);
        for (size_t i = 0; xy[s] && i < se->n; i++)
            xy[s][2 * i] = frame_px(f, se->x[i]), xy[s][2 * i + 1] = frame_py(f, se->y[i]);
    }
    /* halos first, then the lines, then the heads: a later path's halo must not hide
     * the edges of an earlier, wider path under it */
    for (int s = 0; s < n; s++)
        if (xy[s])
            cv_polyline(cv, xy[s], p->series[s].n, wd[s] + 2 * t->scale, halo[s],
                        cmap_is_light(col[s]) ? 0.9 : 0.6);
    for (int s = 0; s < n; s++)
        if (xy[s]) cv_polyline(cv, xy[s], p->series[s].n, wd[s], col[s], 1);
    int nh = 0;
    for (int s = 0; s < n; s++) {
        size_t m = p->series[s].n;
        if (!xy[s] || !m) continue;
        double x = xy[s][2 * m - 2], y = xy[s][2 * m - 1], rad = t->point * 1.6;
        int near = 0;
        for (int k = 0; k < nh; k++)
            near += (hx[k] - x) * (hx[k] - x) + (hy[k] - y) * (hy[k] - y) < rad * rad;
        hx[nh] = x, hy[nh] = y, nh++;
        /* a crowded head moves aside, each in another direction (the golden angle) */
        if (near) {
            double ang = near * 2.399963;
            x += 1.2 * rad * cos(ang), y += 1.2 * rad * sin(ang);
        }
        cv_disc(cv, x, y, rad + 1.5 * t->scale, halo[s]);
        cv_disc(cv, x, y, rad, col[s]);
    }
    for (int s = 0; s < n; s++) free(xy[s]);
}

/* The points' legend: the classes present (when the points are coloured by class),
 * then training points (discs) and test points (rings) when both are there. Drawn
 * beside the plot, right of the colour bar: over a decision surface every place
 * inside hides part of it. Returns its width, 0 when it has nothing to say; draws only
 * when draw is set. */
static int points_legend(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p, int x,
                         int y, int draw) {
    int valued = 0, hollow = 0, solid = 0, maxc = -1;
    for (size_t i = 0; i < p->npts; i++) {
        valued |= p->ptval && isfinite(p->ptval[i]);
        hollow |= p->pthollow[i], solid |= !p->pthollow[i];
        if (p->ptcls[i] > maxc) maxc = p->ptcls[i];
    }
    if (!p->npts || (p->gk < 2 && !valued) || maxc > 31) return 0;
    char names[40][16];
    uint32_t cols[40];
    unsigned char ring[40];
    int n = 0;
    for (int c = 0; !valued && c <= maxc; c++) {
        int seen = 0;
        for (size_t i = 0; i < p->npts && !seen; i++) seen = p->ptcls[i] == c;
        if (!seen) continue;
        snprintf(names[n], sizeof names[n], "class %d", c + 1);
        cols[n] = cmap_series(c), ring[n++] = 0;
    }
    if (hollow && solid) {
        snprintf(names[n], sizeof names[n], "train");
        cols[n] = t->muted, ring[n++] = 0;
    }
    if (hollow) {
        snprintf(names[n], sizeof names[n], "test");
        cols[n] = t->muted, ring[n++] = 1;
    }
    if (!n) return 0;
    int tw = 0, th = 0, w, h;
    for (int i = 0; i < n; i++) {
        text_size(a, FONT_SANS, t->small, names[i], &w, &h);
        tw = w > tw ? w : tw, th = h > th ? h : th;
    }
    int sample = (int)lround(4.4 * t->point + 2 * t->scale), rowh = (th > sample ? th : sample) + 2;
    int width = 2 * t->pad + sample + t->pad + tw;
    if (!draw) return width + t->pad;
    for (int i = 0; i < n; i++) {
        double cy = y + t->pad + i * rowh + rowh / 2.0;
        marker_draw(cv, t, x + t->pad + sample / 2.0, cy, cols[i], ring[i]);
        text_draw(cv, a, FONT_SANS, t->small, names[i], x + t->pad + sample + t->pad, (int)cy,
                  ALIGN_LEFT | ALIGN_MIDDLE, t->fg, 0);
    }
    return width + t->pad;
}

/* As draw_lines (plot_lines.c): room kept right of the colour bar for the legend of
 * the trajectories; returns the room it needs there when no place inside was free of
 * points and paths, else 0. */
/* FNV-1a over n bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const void *data, size_t n) {
    const unsigned char *c = data;
    for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 1099511628211u;
    return h;
}

/* Everything the heat map and the contours are drawn from: the grid (its generation: a
 * live view sets a new grid at every frame, and hashing its values cost as much as the
 * heat map; a grid set again is drawn again) and its box, the scale, the levels, the
 * plot area and clip, the theme. Drawing it again costs milliseconds at 1500 x 900. */
static uint64_t background_key(const viz_canvas *cv, const viz_theme *t, const viz_panel *p,
                               const viz_frame *f, const field_scale *s, const double *levels,
                               int nl) {
    uint64_t h = 14695981039346656037u;
    h = fnv(h, &p->grid_gen, sizeof p->grid_gen);
    int ints[] = {p->gw, p->gh,   p->gk,       f->x0,   f->y0,        f->x1,
                  f->y1, cv->cx0, cv->cy0,     cv->cx1, cv->cy1,      cv->w,
                  cv->h, s->log,  (int)s->map, nl,      t->projector, p->gcells};
    double reals[] = {p->gx0,    p->gx1,    p->gy0, p->gy1, f->ax.min, f->ax.max,
                      f->ay.min, f->ay.max, s->lo,  s->hi,  t->scale,  t->thin};
    h = fnv(h, ints, sizeof ints);
    h = fnv(h, reals, sizeof reals);
    return fnv(h, levels, (size_t)nl * sizeof *levels);
}

/* The plot area clipped to the canvas's clip, where the background is drawn. */
static int background_rect(const viz_canvas *cv, const viz_frame *f, int *x0, int *y0, int *x1,
                           int *y1) {
    *x0 = f->x0 > cv->cx0 ? f->x0 : cv->cx0, *x1 = f->x1 < cv->cx1 ? f->x1 : cv->cx1;
    *y0 = f->y0 > cv->cy0 ? f->y0 : cv->cy0, *y1 = f->y1 < cv->cy1 ? f->y1 : cv->cy1;
    return *x1 > *x0 && *y1 > *y0;
}

/* Copies the background kept for key back into the plot area; 0 when there is none. */
static int background_restore(viz_canvas *cv, const viz_panel *p, const viz_frame *f,
                              uint64_t key) {
    int x0, y0, x1, y1;
    if (!p->bg || p->bgkey != key || !background_rect(cv, f, &x0, &y0, &x1, &y1)) return 0;
    size_t w = (size_t)(x1 - x0);
    for (int y = y0; y < y1; y++)
        memcpy(cv->px + (size_t)y * cv->w + x0, p->bg + (size_t)(y - y0) * w, w * sizeof *p->bg);
    return 1;
}

/* Keeps the plot area's pixels as the background for key (nothing when out of memory:
 * the next frame just draws it again). */
static void background_keep(const viz_canvas *cv, viz_panel *p, const viz_frame *f, uint64_t key) {
    int x0, y0, x1, y1;
    p->bgkey = 0, p->bgmarks = 0;
    if (!background_rect(cv, f, &x0, &y0, &x1, &y1)) return;
    size_t w = (size_t)(x1 - x0), n = w * (size_t)(y1 - y0);
    if (n > p->bgcap) {
        uint32_t *bg = realloc(p->bg, n * sizeof *bg);
        if (!bg) return;
        p->bg = bg, p->bgcap = n;
    }
    for (int y = y0; y < y1; y++)
        memcpy(p->bg + (size_t)(y - y0) * w, cv->px + (size_t)y * cv->w + x0, w * sizeof *p->bg);
    p->bgkey = key;
}

/* The contour levels of p's grid on scale s (none for flat cells; the decision
 * boundary p1 = 0.5 for two classes); returns their number. */
static int field_levels(const viz_panel *p, const field_scale *s, double levels[256]) {
    if (p->gcells) return 0; /* flat cells: no contours (a level between two cells is their edge) */
    if (p->gk == 1 && p->nlevels > 0) {
        int nl = p->nlevels < 256 ? p->nlevels : 256;
        memcpy(levels, p->levels, (size_t)nl * sizeof *levels);
        return nl;
    }
    if (p->gk == 1) return contour_auto_levels(s->lo, s->hi, p->nauto, s->log, levels);
    if (p->gk == 2) return levels[0] = 0.5, 1;
    return 0;
}

/* The heat map (or cells) and the contours over the plot area of f: what the key is of.
 * Reads p's grid and settings and writes cv alone (a (layer's) app's scratch for the
 * contours' masks): a worker thread renders layers with it. */
static void draw_background(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p,
                            const viz_frame *f, const field_scale *s, const double *levels,
                            int nl) {
    if (p->gcells)
        draw_cells(cv, p, f, s);
    else
        draw_heat(cv, p, f, s);
    int cx0 = cv->cx0, cy0 = cv->cy0, cx1 = cv->cx1, cy1 = cv->cy1;
    cv_clip(cv, f->x0, f->y0, f->x1, f->y1);
    if (nl) draw_contours(cv, a, t, p, f, levels, nl);
    cv_clip(cv, cx0, cy0, cx1, cy1);
}

static int draw_field(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p, viz_layout *lay,
                      int room) {
    viz_frame *f = &lay->f;
    int has = p->grid != NULL;
    f->ax = (viz_axis){has ? p->gx0 : 0, has ? p->gx1 : 1, 0};
    f->ay = (viz_axis){has ? p->gy0 : 0, has ? p->gy1 : 1, 0};
    if (!has && p->npts) { /* points alone: fit them */
        f->ax.min = f->ay.min = INFINITY, f->ax.max = f->ay.max = -INFINITY;
        for (size_t i = 0; i < p->npts; i++)
            f->ax.min = fmin(f->ax.min, p->ptx[i]), f->ax.max = fmax(f->ax.max, p->ptx[i]),
            f->ay.min = fmin(f->ay.min, p->pty[i]), f->ay.max = fmax(f->ay.max, p->pty[i]);
        range_nice(&f->ax.min, &f->ax.max, 0);
        range_nice(&f->ay.min, &f->ay.max, 0);
    }
    for (int ax = 0; ax < 2; ax++) {
        viz_axis *A = ax ? &f->ay : &f->ax;
        if (p->fix[ax][0] < p->fix[ax][1]) A->min = p->fix[ax][0], A->max = p->fix[ax][1];
    }
    field_scale s = {0, 1, 0, VIZ_MAP_VIRIDIS};
    int scalar = has && p->gk == 1;
    if (scalar) s = field_range(p);
    int bar = scalar ? colorbar_width(a, t, s.lo, s.hi, s.log) : 0;
    int plw = points_legend(cv, a, t, p, 0, 0, 0);
    /* one data unit as long on both axes, for a plane; a matrix's cells fill the panel */
    axes_layout(f, a, t, p, cv->cx0, cv->cy0, cv->cx1, cv->cy1, bar + room + plw, 0, !p->gcells);
    lay->has = 1;
    double levels[256];
    int nl = has ? field_levels(p, &s, levels) : 0;
    /* the heat map covers the plot area with opaque pixels and the contours go on top,
     * so the area's pixels depend on the key alone: kept, they are copied back */
    uint64_t key = has ? background_key(cv, t, p, f, &s, levels, nl) : 0;
    if (p->bgmarks) { /* a layer's background holds markers: are they the ones to draw? */
        int cx0 = cv->cx0, cy0 = cv->cy0, cx1 = cv->cx1, cy1 = cv->cy1;
        cv_clip(cv, f->x0, f->y0, f->x1, f->y1); /* as when they are drawn */
        uint64_t now = markers_key(cv, t, p, f, scalar ? &s : NULL);
        cv_clip(cv, cx0, cy0, cx1, cy1);
        /* other markers, or a legend that must see them apart: drawn afresh */
        if (now != p->bgmarks || p->nseries) p->bgkey = 0, p->bgmarks = 0;
    }
    int kept = has && background_restore(cv, p, f, key);
    if (has) { /* what a layer rendered elsewhere needs to draw the next grid so */
        int spec[6] = {cv->w, cv->h, cv->cx0, cv->cy0, cv->cx1, cv->cy1};
        memcpy(p->bgcv, spec, sizeof spec);
        p->bgframe = *f, p->bgtheme = *t, p->bgspec_ok = 1;
    }
    if (has && !kept) {
        draw_background(cv, a, t, p, f, &s, levels, nl);
        background_keep(cv, p, f, key);
    } else if (!has)
        axes_grid(cv, t, f);
    int cx0 = cv->cx0, cy0 = cv->cy0, cx1 = cv->cx1, cy1 = cv->cy1;
    cv_clip(cv, f->x0, f->y0, f->x1, f->y1);
    /* the legend placed inside may hide contours: what lies under it is read from a copy
     * of the plot area, taken only when such a legend is drawn (a live decision view has
     * none, and copying its area at 15 Hz cost a fresh page-faulted megabyte a frame) */
    int inside = !room && p->nseries > 0 && p->nseries <= LEGEND_INSIDE_MAX;
    uint32_t *base = inside ? frame_snapshot(cv, f) : NULL;
    points_draw_scaled(cv, a, t, p, f, scalar ? &s : NULL, 1, kept ? p->bgmarks : 0);
    draw_trajectories(cv, t, p, f);
    cv_clip(cv, cx0, cy0, cx1, cy1);
    axes_draw(cv, a, t, p, f);
    if (scalar)
        colorbar_draw(cv, a, t, f, f->x1 + 2 * t->pad, (int)lround(16 * t->scale), s.map, s.lo,
                      s.hi, s.log, levels, p->gk == 1 ? nl : 0);
    const char *names[64];
    uint32_t cols[64];
    int n = p->nseries < 64 ? p->nseries : 64, busy = 0;
    for (int k = 0; k < n; k++) names[k] = p->series[k].name, cols[k] = series_colour(p, k);
    if (plw) points_legend(cv, a, t, p, f->x1 + bar + room + (bar ? 0 : t->pad), f->y0, 1);
    if (n > LEGEND_INSIDE_MAX && !room)
        busy = 1; /* a long legend hides too much wherever it goes: beside the plot */
    else if (n && room)
        legend_draw_at(cv, a, t, f->x1 + bar + t->pad, f->y0, names, cols, n, 1, lay->legend);
    else if (n)
        busy = legend_draw(cv, a, t, f, names, cols, n, 1, base, lay->legend);
    free(base);
    title_draw(cv, a, t, p, cx0, cx1, cy0 + t->pad);
    return busy ? legend_width(a, t, names, n) : 0;
}

static void plot_field(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                       viz_layout *lay) {
    draw_with_legend_room(draw_field, cv, a, t, p, lay);
}

/* The grid's value under the cursor (the likeliest class and its probability on a
 * multi-class grid); elsewhere on the plot area the cursor's x and y. */
static int field_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                       size_t n) {
    const viz_frame *f = &lay->f;
    if (!lay->has || px < f->x0 || px >= f->x1 || py < f->y0 || py >= f->y1) return 0;
    double x = frame_dx(f, px + 0.5), y = frame_dy(f, py + 0.5);
    if (!p->grid || x < p->gx0 || x > p->gx1 || y < p->gy0 || y > p->gy1)
        return hover_xy(lay, px, py, buf, n);
    if (p->gcells) { /* the cell's own value */
        int i = (int)((x - p->gx0) / (p->gx1 - p->gx0) * p->gw);
        int j = (int)((y - p->gy0) / (p->gy1 - p->gy0) * p->gh);
        i = i < p->gw ? i : p->gw - 1, j = j < p->gh ? j : p->gh - 1;
        int w =
            snprintf(buf, n, "x %.4g  y %.4g  value %.4g", x, y, p->grid[(size_t)j * p->gw + i]);
        /* and the cell's annotation: the whole of it, when the cell shows only a part */
        double dx = (p->gx1 - p->gx0) / p->gw, dy = (p->gy1 - p->gy0) / p->gh;
        for (size_t k = 0; p->ptlabel && w >= 0 && (size_t)w < n && k < p->npts; k++)
            if (p->ptlabel[k] && (int)floor((p->ptx[k] - p->gx0) / dx) == i &&
                (int)floor((p->pty[k] - p->gy0) / dy) == j) {
                snprintf(buf + w, n - (size_t)w, "  %s", p->ptlabel[k]);
                break;
            }
        return 1;
    }
    double gi = (x - p->gx0) / (p->gx1 - p->gx0) * (p->gw - 1);
    double gj = (y - p->gy0) / (p->gy1 - p->gy0) * (p->gh - 1);
    if (p->gk == 1) {
        snprintf(buf, n, "x %.4g  y %.4g  value %.4g", x, y, sample(p, gi, gj, 0));
        return 1;
    }
    int best = 0;
    double bp = -INFINITY;
    for (int c = 0; c < p->gk; c++) {
        double pc = sample(p, gi, gj, c);
        if (pc > bp) bp = pc, best = c;
    }
    snprintf(buf, n, "x %.4g  y %.4g  class %d (%.0f%%)", x, y, best + 1, 100 * bp);
    return 1;
}

const viz_kind_def plot_field_kind = {
    .name = "field",
    .width = 640,
    .height = 560,
    .takes = VIZ_TAKES_GRID | VIZ_TAKES_CLASSES | VIZ_TAKES_LEVELS | VIZ_TAKES_POINTS |
             VIZ_TAKES_SERIES, /* series: trajectories over it */
    .draw = plot_field,
    .hover = field_hover,
};

/* ---- a field's background rendered off the panel's thread (viz.h) ---------------- */

struct viz_field_layer {
    /* captured from the panel (its thread): how its background was last drawn */
    int captured;
    int cv[6]; /* canvas w, h, clip */
    viz_frame f;
    viz_theme t;
    viz_map map;
    double vfix[2], levels[256];
    int nlevels, nauto;
    /* the panel's markers' blends as last recorded, and their key (0: none taken):
     * copied again only when the key moved */
    viz_blend_log marks;
    uint64_t markkey;
    /* rendered (the worker's thread): the grid, its scale and levels, the pixels of the
     * plot area clipped (background_rect), as background_keep keeps them */
    int rendered;
    float *grid;
    size_t gridcap;
    int gw, gh, gk;
    double box[4];
    field_scale s;
    double lv[256];
    int nl;
    uint64_t painted; /* markers' key of the blends replayed over the render, 0: none */
    uint32_t *bg;
    size_t bgcap;
    uint32_t *canvas; /* the panel's whole canvas, drawn into as the panel would be */
    size_t canvascap;
    viz_app app; /* only its scratch (the contours' masks): the panel's app is not ours */
};

viz_field_layer *viz_field_layer_new(void) {
    return calloc(1, sizeof(viz_field_layer));
}

void viz_field_layer_free(viz_field_layer *l) {
    if (!l) return;
    free(l->grid), free(l->bg), free(l->canvas), free(l->app.scratch), free(l->marks.op);
    free(l);
}

int viz_field_layer_capture(viz_field_layer *l, const viz_panel *p) {
    l->captured = l->rendered = 0;
    if (p->kind != VIZ_FIELD || !p->bgspec_ok) return 0;
    memcpy(l->cv, p->bgcv, sizeof l->cv);
    l->f = p->bgframe, l->t = p->bgtheme, l->map = p->map;
    l->vfix[0] = p->vfix[0], l->vfix[1] = p->vfix[1];
    l->nlevels = p->nlevels < 256 ? p->nlevels : 256, l->nauto = p->nauto;
    if (l->nlevels > 0) memcpy(l->levels, p->levels, (size_t)l->nlevels * sizeof *l->levels);
    /* the markers go over the layer too (a frame then only copies it), unless a legend
     * drawn inside must tell them from the background */
    int marks = p->ptkey && p->ptlog.ok && p->ptlog.n && !p->nseries;
    if (marks && l->markkey != p->ptkey) {
        l->markkey = 0;
        if (p->ptlog.n > l->marks.cap) {
            viz_blend_op *op = realloc(l->marks.op, p->ptlog.n * sizeof *op);
            if (!op) return l->captured = 1; /* no markers: the panel paints them */
            l->marks.op = op, l->marks.cap = p->ptlog.n;
        }
        memcpy(l->marks.op, p->ptlog.op, p->ptlog.n * sizeof *l->marks.op);
        l->marks.n = p->ptlog.n, l->markkey = p->ptkey;
    } else if (!marks)
        l->markkey = 0;
    return l->captured = 1;
}

/* The panel the layer's grid and settings make: what draw_field reads of a panel. */
static viz_panel layer_panel(const viz_field_layer *l) {
    viz_panel q;
    memset(&q, 0, sizeof q);
    q.kind = VIZ_FIELD, q.map = l->map;
    q.vfix[0] = l->vfix[0], q.vfix[1] = l->vfix[1];
    q.levels = (double *)l->levels, q.nlevels = l->nlevels, q.nauto = l->nauto;
    q.grid = l->grid, q.gw = l->gw, q.gh = l->gh, q.gk = l->gk;
    q.gx0 = l->box[0], q.gx1 = l->box[1], q.gy0 = l->box[2], q.gy1 = l->box[3];
    return q;
}

int viz_field_layer_render(viz_field_layer *l, const float *grid, int w, int h, int k, double xmin,
                           double xmax, double ymin, double ymax) {
    l->rendered = 0;
    if (!l->captured || w < 2 || h < 2 || k < 1 || !(xmax > xmin) || !(ymax > ymin))
        return VIZ_EINVAL;
    size_t n = (size_t)w * h * k, cvn = (size_t)l->cv[0] * l->cv[1];
    if (n > l->gridcap) {
        float *g = realloc(l->grid, n * sizeof *g);
        if (!g) return VIZ_ENOMEM;
        l->grid = g, l->gridcap = n;
    }
    if (cvn > l->canvascap) { /* zeroed once: the contours blend over the plot area */
        free(l->canvas);
        l->canvascap = 0;
        if (!(l->canvas = calloc(cvn, sizeof *l->canvas))) return VIZ_ENOMEM;
        l->canvascap = cvn;
    }
    memcpy(l->grid, grid, n * sizeof *grid);
    l->gw = w, l->gh = h, l->gk = k;
    l->box[0] = xmin, l->box[1] = xmax, l->box[2] = ymin, l->box[3] = ymax;
    viz_panel q = layer_panel(l);
    /* as draw_field: the scale, the levels, then the background in the same canvas */
    l->s = (field_scale){0, 1, 0, VIZ_MAP_VIRIDIS};
    if (k == 1) l->s = field_range(&q);
    l->nl = field_levels(&q, &l->s, l->lv);
    viz_canvas cv;
    cv_init(&cv, l->canvas, l->cv[0], l->cv[1]);
    cv_clip(&cv, l->cv[2], l->cv[3], l->cv[4], l->cv[5]);
    int x0, y0, x1, y1;
    if (!background_rect(&cv, &l->f, &x0, &y0, &x1, &y1)) return VIZ_EINVAL;
    size_t bw = (size_t)(x1 - x0), bn = bw * (size_t)(y1 - y0);
    if (bn > l->bgcap) {
        uint32_t *bg = realloc(l->bg, bn * sizeof *bg);
        if (!bg) return VIZ_ENOMEM;
        l->bg = bg, l->bgcap = bn;
    }
    draw_background(&cv, &l->app, &l->t, &q, &l->f, &l->s, l->lv, l->nl);
    /* the markers' blends as the panel replays them next (classes only: a scalar grid's
     * markers take their colours from its scale, which moves with each grid); only when
     * all of them land in the pixels kept, the plot area whole */
    l->painted = 0;
    if (l->markkey && k >= 2 && x0 == l->f.x0 && y0 == l->f.y0 && x1 == l->f.x1 && y1 == l->f.y1) {
        cv_replay(&cv, &l->marks);
        l->painted = l->markkey;
    }
    for (int y = y0; y < y1; y++)
        memcpy(l->bg + (size_t)(y - y0) * bw, cv.px + (size_t)y * cv.w + x0, bw * sizeof *l->bg);
    l->rendered = 1;
    return VIZ_OK;
}

int viz_field_layer_adopt(viz_panel *p, viz_field_layer *l) {
    int ok = l->rendered && p->kind == VIZ_FIELD && p->grid && !p->gcells && p->gw == l->gw &&
             p->gh == l->gh && p->gk == l->gk && p->gx0 == l->box[0] && p->gx1 == l->box[1] &&
             p->gy0 == l->box[2] && p->gy1 == l->box[3] &&
             !memcmp(p->grid, l->grid, (size_t)l->gw * l->gh * l->gk * sizeof *l->grid);
    l->rendered = 0;
    if (!ok) return 0;
    /* the key draw_field will compute when nothing changed since the capture: the
     * layer's canvas, frame, theme, scale and levels, and the panel's grid generation */
    viz_panel q = layer_panel(l);
    q.grid_gen = p->grid_gen;
    viz_canvas cv;
    cv_init(&cv, NULL, l->cv[0], l->cv[1]);
    cv_clip(&cv, l->cv[2], l->cv[3], l->cv[4], l->cv[5]);
    /* the pixels change hands: the panel's old background becomes the layer's buffer */
    uint32_t *bg = p->bg;
    size_t cap = p->bgcap;
    p->bg = l->bg, p->bgcap = l->bgcap;
    l->bg = bg, l->bgcap = cap;
    p->bgkey = background_key(&cv, &l->t, &q, &l->f, &l->s, l->lv, l->nl);
    p->bgmarks = l->painted;
    return 1;
}
