/* plot_images.c: a grid of small images (filters, feature maps, samples) with a caption
 * under each; one normalisation shared by all images or one per image; signed values
 * on the diverging map centred on zero, others in gray, 3 channels as RGB. Pixels stay
 * square (one scale for both axes); one-channel images on a shared scale get a colour
 * bar, which says what the colours mean. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vizint.h"

static int has_captions(const viz_panel *p) {
    for (int i = 0; i < p->in; i++)
        if (p->caption[i] && p->caption[i][0]) return 1;
    return 0;
}

/* Columns that give the images the largest scale in a W x H area. */
static int best_cols(const viz_panel *p, int W, int H, int gap, int caph, double *scale) {
    int best = 1;
    double bs = 0;
    int c0 = p->icols > 0 ? p->icols : 1, c1 = p->icols > 0 ? p->icols : p->in;
    for (int c = c0; c <= c1; c++) {
        int rows = (p->in + c - 1) / c;
        double cw = (W - (c + 1.0) * gap) / c, chh = (H - (rows + 1.0) * gap) / rows - caph;
        double s = fmin(cw / p->iw, chh / p->ih);
        if (s > bs) bs = s, best = c;
    }
    *scale = bs;
    return best;
}

static void minmax(const float *v, size_t n, double *lo, double *hi) {
    *lo = INFINITY, *hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) *lo = fmin(*lo, v[i]), *hi = fmax(*hi, v[i]);
    if (!(*lo <= *hi)) *lo = 0, *hi = 1;
}

/* The colour bar of one-channel images on a shared scale: its map and range, and its
 * width (0: no bar). */
static int bar_of(viz_app *a, const viz_theme *t, const viz_panel *p, viz_map *m, double *lo,
                  double *hi) {
    if (!p->img || !p->ishared || p->ic != 1) return 0;
    minmax(p->img, (size_t)p->in * p->ih * p->iw, lo, hi);
    *m = p->map;
    if (*m == VIZ_MAP_AUTO) *m = *lo < 0 ? VIZ_MAP_DIVERGING : VIZ_MAP_GRAY;
    if (*m == VIZ_MAP_DIVERGING) *lo = -fmax(fabs(*lo), fabs(*hi)), *hi = -*lo;
    if (!(*hi > *lo)) *hi = *lo + 1;
    return colorbar_width(a, t, *lo, *hi, 0);
}

/* The grid's geometry in (x0, y0, x1, y1), less the colour bar on the right: first
 * cell, cell steps, image size. */
static void grid_of(viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int y0, int x1,
                    int y1, viz_layout *g) {
    viz_map m;
    double lo, hi;
    x1 -= bar_of(a, t, p, &m, &lo, &hi);
    int gap = t->pad, cw, ch = 0;
    if (has_captions(p)) text_size(a, FONT_SANS, t->small, "Ag", &cw, &ch);
    double s;
    int cols = best_cols(p, x1 - x0, y1 - y0, gap, ch, &s);
    if (s <= 0) s = 0.01;
    if (s >= 1) s = floor(s); /* whole pixels per image pixel: no uneven blocks */
    int rows = (p->in + cols - 1) / cols;
    g->cols = cols;
    g->iw = (int)(p->iw * s), g->ih = (int)(p->ih * s);
    g->cellw = g->iw + gap, g->cellh = g->ih + ch + gap;
    /* centre the grid in the area */
    g->gx = x0 + (x1 - x0 - cols * g->cellw + gap) / 2;
    g->gy = y0 + (y1 - y0 - rows * g->cellh + gap) / 2;
}

int images_cell(viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int y0, int x1, int y1,
                int i, int *rx, int *ry, int *rw, int *rh) {
    if (i < 0 || i >= p->in) return 0;
    viz_layout g;
    grid_of(a, t, p, x0, y0, x1, y1, &g);
    *rx = g.gx + (i % g.cols) * g.cellw;
    *ry = g.gy + (i / g.cols) * g.cellh;
    *rw = g.iw, *rh = g.ih;
    return 1;
}

/* The image pixel under the cursor (1-based image, row and column); 0 off them. */
static int images_pixel_at(const viz_panel *p, const viz_layout *lay, int px, int py, int *image,
                           int *row, int *col) {
    if (!p->img || lay->cellw <= 0 || lay->cellh <= 0 || lay->iw <= 0 || lay->ih <= 0) return 0;
    int dx = px - lay->gx, dy = py - lay->gy;
    if (dx < 0 || dy < 0) return 0;
    int c = dx / lay->cellw, r = dy / lay->cellh, i = r * lay->cols + c;
    int ix = dx - c * lay->cellw, iy = dy - r * lay->cellh;
    if (c >= lay->cols || i >= p->in || ix >= lay->iw || iy >= lay->ih) return 0;
    *image = i + 1, *row = iy * p->ih / lay->ih + 1, *col = ix * p->iw / lay->iw + 1;
    return 1;
}

/* The image pixel under the cursor: which image, its row and column, and its value. */
static int images_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                        size_t n) {
    int i, row, col;
    if (!images_pixel_at(p, lay, px, py, &i, &row, &col)) return 0;
    const float *v = p->img + (((size_t)(i - 1) * p->ih + row - 1) * p->iw + col - 1) * p->ic;
    int k = snprintf(buf, n, "image %d  row %d  col %d  ", i, row, col);
    if (k < 0 || (size_t)k >= n) return 1;
    if (p->ic == 3)
        snprintf(buf + k, n - k, "rgb %.4g %.4g %.4g", v[0], v[1], v[2]);
    else
        snprintf(buf + k, n - k, "value %.4g", v[0]);
    return 1;
}

static void plot_images(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                        viz_layout *lay) {
    int x0 = cv->cx0, y0 = cv->cy0, x1 = cv->cx1, y1 = cv->cy1;
    lay->has = 0;
    title_draw(cv, a, t, p, x0, x1, y0 + t->pad);
    if (!p->img) return;
    int top = y0 + t->pad + title_height(a, t, p);
    size_t per = (size_t)p->ih * p->iw * p->ic;
    double glo, ghi;
    minmax(p->img, per * p->in, &glo, &ghi);
    viz_map bar_map;
    double blo, bhi;
    int bar = bar_of(a, t, p, &bar_map, &blo, &bhi);
    grid_of(a, t, p, x0 + t->pad, top, x1 - t->pad, y1 - t->pad, lay);
    for (int i = 0; i < p->in; i++) {
        int rx, ry, rw, rh;
        if (!images_cell(a, t, p, x0 + t->pad, top, x1 - t->pad, y1 - t->pad, i, &rx, &ry, &rw,
                         &rh))
            continue;
        const float *im = p->img + per * i;
        double lo = glo, hi = ghi;
        if (!p->ishared) minmax(im, per, &lo, &hi);
        viz_map m = p->map;
        if (m == VIZ_MAP_AUTO) m = lo < 0 && p->ic == 1 ? VIZ_MAP_DIVERGING : VIZ_MAP_GRAY;
        if (m == VIZ_MAP_DIVERGING) { /* zero stays white */
            double mm = fmax(fabs(lo), fabs(hi));
            lo = -mm, hi = mm;
        }
        double span = hi > lo ? hi - lo : 1;
        for (int y = 0; y < rh; y++) {
            int r = y * p->ih / rh;
            for (int x = 0; x < rw; x++) {
                int c = x * p->iw / rw;
                const float *px = im + ((size_t)r * p->iw + c) * p->ic;
                uint32_t col;
                if (p->ic == 3) {
                    int rgb[3];
                    for (int k = 0; k < 3; k++) {
                        double u = (px[k] - lo) / span;
                        rgb[k] = (int)((u < 0 ? 0 : u > 1 ? 1 : u) * 255 + 0.5);
                    }
                    col = viz_rgb(rgb[0], rgb[1], rgb[2]);
                } else {
                    col = cmap_apply(m, (px[0] - lo) / span);
                }
                cv_fill_rect(cv, rx + x, ry + y, 1, 1, col);
            }
        }
        /* a hairline frame so white-on-white and black-on-black images keep their edge */
        cv_line(cv, rx - 0.5, ry - 0.5, rx + rw + 0.5, ry - 0.5, 1, t->grid, 1);
        cv_line(cv, rx - 0.5, ry + rh + 0.5, rx + rw + 0.5, ry + rh + 0.5, 1, t->grid, 1);
        cv_line(cv, rx - 0.5, ry - 0.5, rx - 0.5, ry + rh + 0.5, 1, t->grid, 1);
        cv_line(cv, rx + rw + 0.5, ry - 0.5, rx + rw + 0.5, ry + rh + 0.5, 1, t->grid, 1);
        if (p->caption[i]) {
            char cap[256];
            text_fit(a, FONT_SANS, t->small, p->caption[i], rw + t->pad, cap, sizeof cap);
            text_draw(cv, a, FONT_SANS, t->small, cap, rx + rw / 2, ry + rh + 1,
                      ALIGN_CENTER | ALIGN_TOP, t->fg, 0);
        }
    }
    if (!bar) return;
    /* beside the grid, as tall as its images (at least a few lines of text, so that the
     * bar can show its ends' values) */
    int rows = (p->in + lay->cols - 1) / lay->cols, sw, sh;
    text_size(a, FONT_SANS, t->small, "0", &sw, &sh);
    viz_frame fb = {0};
    fb.y0 = lay->gy, fb.y1 = lay->gy + (rows - 1) * lay->cellh + lay->ih;
    if (fb.y1 - fb.y0 < 4 * sh) {
        int mid = (fb.y0 + fb.y1) / 2;
        fb.y0 = mid - 2 * sh, fb.y1 = mid + 2 * sh;
    }
    int bx = lay->gx + lay->cols * lay->cellw - t->pad + 2 * t->pad;
    colorbar_draw(cv, a, t, &fb, bx, (int)lround(16 * t->scale), bar_map, blo, bhi, 0, NULL, 0);
}

const viz_kind_def plot_images_kind = {
    .name = "images",
    .width = 720,
    .height = 520,
    .takes = VIZ_TAKES_IMAGES,
    .draw = plot_images,
    .hover = images_hover,
    .pixel_at = images_pixel_at,
};
