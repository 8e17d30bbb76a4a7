/* plot_matrix.c: a small matrix with its numbers written in its cells (the convolution
 * playground's input, kernel and output grids). The numbers are the first image set
 * with viz_images_set (one channel, rows x cols); each cell is coloured by its value
 * (signed values on the diverging map centred on 0, others in gray, as image grids do)
 * and its number written in black or white, whichever reads on that colour, in the
 * largest type up to the theme's at which every number fits its cell (none when even
 * small type does not: a 28 x 28 image then reads as an image). Points mark cells:
 * x the column and y the row (0-based, row 0 at the top), class 0 outlines the cells
 * as one shape (the kernel's window), 1 greys them as padding, 2 leaves them blank (an
 * output not computed yet), 3 outlines them in a second colour (the maximum a pooling
 * window chose). Row and column numbers (1-based) run along the left and the top. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

enum { MARK_WINDOW = 0, MARK_PAD = 1, MARK_BLANK = 2, MARK_PICK = 3, MARK_STYLES = 4 };
/* The window in orange and the pick in green (Okabe-Ito's): neither is on the gray or
 * the diverging map, so an outline reads on any cell. */
#define WINDOW_COLOUR 0xffe69f00u
#define PICK_COLOUR   0xff009e73u

/* The number of a cell as written: whole numbers without a point, others in 4
 * significant digits. */
static void cell_text(float v, char *buf, size_t n) {
    if (!isfinite(v))
        snprintf(buf, n, "%s", isnan(v) ? "" : v > 0 ? "inf" : "-inf");
    else if (v == floorf(v) && fabsf(v) < 1e7f)
        snprintf(buf, n, "%.0f", (double)v);
    else
        snprintf(buf, n, "%.4g", (double)v);
}

/* Where the cells go in (x0, y0, x1, y1): room for the row numbers on the left and the
 * column numbers on top, square cells of a whole number of pixels, centred. */
static void matrix_layout(viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int y0,
                          int x1, int y1, viz_layout *g) {
    char num[16];
    int lw, lh;
    snprintf(num, sizeof num, "%d", p->ih > p->iw ? p->ih : p->iw);
    text_size(a, FONT_SANS, t->small, num, &lw, &lh);
    int left = lw + t->pad, top = lh + t->pad / 2;
    int W = x1 - x0 - left, H = y1 - y0 - top;
    int s = (int)fmin((double)W / p->iw, (double)H / p->ih);
    if (s < 1) s = 1;
    g->cellw = g->cellh = s;
    g->cols = p->iw, g->iw = p->iw, g->ih = p->ih;
    g->gx = x0 + left + (W - s * p->iw) / 2;
    g->gy = y0 + top + (H - s * p->ih) / 2;
}

/* Each cell's mark style bits (1 << MARK_*), from the panel's points; NULL when there
 * are no marks or no memory (then nothing is marked). */
static unsigned char *cell_marks(const viz_panel *p) {
    if (!p->npts) return NULL;
    unsigned char *m = calloc((size_t)p->ih * p->iw, 1);
    if (!m) return NULL;
    for (size_t i = 0; i < p->npts; i++) {
        int c = (int)lroundf(p->ptx[i]), r = (int)lroundf(p->pty[i]);
        int k = p->ptcls ? p->ptcls[i] : 0;
        if (r >= 0 && r < p->ih && c >= 0 && c < p->iw && k >= 0 && k < MARK_STYLES)
            m[(size_t)r * p->iw + c] |= (unsigned char)(1u << k);
    }
    return m;
}

/* The largest type (at most the theme's, at least two thirds of its small type) in
 * which every number fits a cell of s pixels; 0 when none does. */
static int number_px(viz_app *a, const viz_theme *t, const viz_panel *p, int s) {
    int widest = 0, w, h;
    char buf[32];
    size_t n = (size_t)p->ih * p->iw;
    for (int px = t->font; px >= t->small * 2 / 3 && px >= 4; px -= 1) {
        widest = 0;
        for (size_t i = 0; i < n; i++) {
            cell_text(p->img[i], buf, sizeof buf);
            text_size(a, FONT_SANS, px, buf, &w, &h);
            if (w > widest) widest = w;
        }
        text_size(a, FONT_SANS, px, "0", &w, &h);
        if (widest <= s - 4 && h <= s - 2) return px;
    }
    return 0;
}

/* The colour of each value: lo..hi of the finite values on the panel's map (AUTO:
 * diverging centred on 0 for signed values, else gray). */
static void value_scale(const viz_panel *p, viz_map *m, double *lo, double *hi) {
    size_t n = (size_t)p->ih * p->iw;
    *lo = INFINITY, *hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(p->img[i])) *lo = fmin(*lo, p->img[i]), *hi = fmax(*hi, p->img[i]);
    if (!(*lo <= *hi)) *lo = 0, *hi = 1;
    *m = p->map == VIZ_MAP_AUTO ? (*lo < 0 ? VIZ_MAP_DIVERGING : VIZ_MAP_GRAY) : p->map;
    if (*m == VIZ_MAP_DIVERGING) *hi = fmax(fabs(*lo), fabs(*hi)), *lo = -*hi;
    if (!(*hi > *lo)) *hi = *lo + 1;
}

/* 1 when text in black reads on c (its luminance is high). */
static int is_light(uint32_t c) {
    return 0.299 * viz_r(c) + 0.587 * viz_g(c) + 0.114 * viz_b(c) > 140;
}

static int in_shape(const unsigned char *m, int rows, int cols, int k, int r, int c) {
    return r >= 0 && r < rows && c >= 0 && c < cols && (m[r * cols + c] >> k & 1);
}

/* The outline of the cells whose mark has bit k, as one shape: an edge is drawn where
 * the neighbour across it is not in the shape. */
static void outline(viz_canvas *cv, const viz_layout *g, const unsigned char *m, int rows, int cols,
                    int k, double wd, uint32_t col) {
    int s = g->cellw;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            if (!in_shape(m, rows, cols, k, r, c)) continue;
            double x0 = g->gx + c * s, y0 = g->gy + r * s, x1 = x0 + s, y1 = y0 + s;
            if (!in_shape(m, rows, cols, k, r - 1, c)) cv_line(cv, x0, y0, x1, y0, wd, col, 1);
            if (!in_shape(m, rows, cols, k, r + 1, c)) cv_line(cv, x0, y1, x1, y1, wd, col, 1);
            if (!in_shape(m, rows, cols, k, r, c - 1)) cv_line(cv, x0, y0, x0, y1, wd, col, 1);
            if (!in_shape(m, rows, cols, k, r, c + 1)) cv_line(cv, x1, y0, x1, y1, wd, col, 1);
        }
}

static void plot_matrix(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                        viz_layout *lay) {
    int x0 = cv->cx0, y0 = cv->cy0, x1 = cv->cx1, y1 = cv->cy1;
    lay->has = 0;
    title_draw(cv, a, t, p, x0, x1, y0 + t->pad);
    if (!p->img) return;
    int top = y0 + t->pad + title_height(a, t, p);
    matrix_layout(a, t, p, x0 + t->pad, top, x1 - t->pad, y1 - t->pad, lay);
    int rows = p->ih, cols = p->iw, s = lay->cellw;
    viz_map map;
    double lo, hi;
    value_scale(p, &map, &lo, &hi);
    unsigned char *m = cell_marks(p);
    int px = number_px(a, t, p, s);
    uint32_t pad_fill = viz_mix(t->bg, t->grid, 0.6);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            float v = p->img[(size_t)r * cols + c];
            unsigned mk = m ? m[(size_t)r * cols + c] : 0;
            int cx = lay->gx + c * s, cy = lay->gy + r * s;
            uint32_t fill = isfinite(v) ? cmap_apply(map, (v - lo) / (hi - lo)) : t->bg;
            if (mk >> MARK_BLANK & 1) fill = t->bg;
            if (mk >> MARK_PAD & 1) fill = viz_mix(fill, pad_fill, 0.75);
            cv_fill_rect(cv, cx, cy, s, s, fill);
            if (!px || (mk >> MARK_BLANK & 1)) continue;
            char buf[32];
            cell_text(v, buf, sizeof buf);
            uint32_t ink = is_light(fill) ? 0xff000000u : 0xffffffffu;
            if (mk >> MARK_PAD & 1) ink = t->muted;
            text_draw(cv, a, FONT_SANS, px, buf, cx + s / 2, cy + s / 2,
                      ALIGN_CENTER | ALIGN_MIDDLE, ink, 0);
        }
    /* cell borders only where cells are big enough to be read one by one */
    if (s >= 6) {
        for (int r = 0; r <= rows; r++)
            cv_line(cv, lay->gx, lay->gy + r * s, lay->gx + cols * s, lay->gy + r * s, 1, t->grid,
                    1);
        for (int c = 0; c <= cols; c++)
            cv_line(cv, lay->gx + c * s, lay->gy, lay->gx + c * s, lay->gy + rows * s, 1, t->grid,
                    1);
    }
    if (m) {
        outline(cv, lay, m, rows, cols, MARK_PICK, fmax(2, 3 * t->scale), PICK_COLOUR);
        outline(cv, lay, m, rows, cols, MARK_WINDOW, fmax(3, 4 * t->scale), WINDOW_COLOUR);
        free(m);
    }
    /* row and column numbers, every step-th so that they do not collide */
    char num[16];
    int nw, nh;
    snprintf(num, sizeof num, "%d", rows > cols ? rows : cols);
    text_size(a, FONT_SANS, t->small, num, &nw, &nh);
    int step = 1;
    while (step * s < nw + 2 || step * s < nh) step++;
    for (int c = 0; c < cols; c += step) {
        snprintf(num, sizeof num, "%d", c + 1);
        text_draw(cv, a, FONT_SANS, t->small, num, lay->gx + c * s + s / 2, lay->gy - 1,
                  ALIGN_CENTER | ALIGN_BOTTOM, t->muted, 0);
    }
    for (int r = 0; r < rows; r += step) {
        snprintf(num, sizeof num, "%d", r + 1);
        text_draw(cv, a, FONT_SANS, t->small, num, lay->gx - t->pad / 2, lay->gy + r * s + s / 2,
                  ALIGN_RIGHT | ALIGN_MIDDLE, t->muted, 0);
    }
}

/* The cell under the cursor: "row 2  col 3  value 30". */
static int matrix_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                        size_t n) {
    if (!p->img || lay->cellw <= 0) return 0;
    int dx = px - lay->gx, dy = py - lay->gy;
    if (dx < 0 || dy < 0) return 0;
    int c = dx / lay->cellw, r = dy / lay->cellh;
    if (c >= p->iw || r >= p->ih) return 0;
    snprintf(buf, n, "row %d  col %d  value %.6g", r + 1, c + 1,
             (double)p->img[(size_t)r * p->iw + c]);
    return 1;
}

const viz_kind_def plot_matrix_kind = {
    .name = "matrix",
    .width = 420,
    .height = 420,
    .takes = VIZ_TAKES_IMAGES | VIZ_TAKES_POINTS,
    .draw = plot_matrix,
    .hover = matrix_hover,
};
