/* plot_lines.c: line series (loss and accuracy curves): autoscaled or fixed axes, log
 * scales, exponential smoothing, labelled vertical markers, a legend. Long series are
 * decimated per pixel column (first, min, max, last) for drawing; the data stay whole. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

static int usable(const viz_frame *f, double x, double y) {
    return isfinite(x) && isfinite(y) && (!f->ax.log || x > 0) && (!f->ay.log || y > 0);
}

/* Ends a stretch of the polyline; a stretch of one point (a valid value between
 * invalid ones) has no segment to draw, so it becomes a dot. */
static void flush_run(viz_canvas *cv, const double *xy, size_t m, size_t run, double wd,
                      uint32_t col, double alpha) {
    if (run == 1 && m == 1 && alpha >= 1)
        cv_disc(cv, xy[0], xy[1], 1.2 * wd, col);
    else
        cv_polyline(cv, xy, m, wd, col, alpha);
}

/* Draws one series as polylines broken at unusable points; at most four points per
 * pixel column reach the rasteriser, which keeps 100 000 points fast. */
static void draw_series(viz_canvas *cv, const viz_frame *f, const float *x, const double *y,
                        size_t n, double wd, uint32_t col, double alpha) {
    double *xy = malloc(8 * sizeof(double) * ((size_t)(f->x1 - f->x0) + 8));
    size_t cap = 4 * ((size_t)(f->x1 - f->x0) + 8), m = 0;
    if (!xy) return;
    size_t i = 0, run = 0; /* run: points since the last break */
    while (i < n) {
        if (!usable(f, x[i], y[i])) {
            flush_run(cv, xy, m, run, wd, col, alpha);
            m = run = 0;
            i++;
            continue;
        }
        double px = frame_px(f, x[i]);
        int colx = (int)floor(px);
        /* gather the run of points in this pixel column */
        size_t k = i, kmin = i, kmax = i;
        double pmin = frame_py(f, y[i]), pmax = pmin;
        while (k + 1 < n && usable(f, x[k + 1], y[k + 1]) &&
               (int)floor(frame_px(f, x[k + 1])) == colx) {
            k++;
            double py = frame_py(f, y[k]);
            if (py < pmin) pmin = py, kmin = k;
            if (py > pmax) pmax = py, kmax = k;
        }
        size_t order[4] = {i, kmin < kmax ? kmin : kmax, kmin < kmax ? kmax : kmin, k};
        for (int q = 0; q < 4; q++) {
            if (q > 0 && order[q] == order[q - 1]) continue;
            if (m + 1 >= cap) { /* flush, keeping the last point to stay connected */
                cv_polyline(cv, xy, m, wd, col, alpha);
                xy[0] = xy[2 * m - 2], xy[1] = xy[2 * m - 1];
                m = 1;
            }
            xy[2 * m] = frame_px(f, x[order[q]]);
            xy[2 * m + 1] = frame_py(f, y[order[q]]);
            m++, run++;
        }
        i = k + 1;
    }
    flush_run(cv, xy, m, run, wd, col, alpha);
    free(xy);
}

/* Debiased exponential moving average (as TensorBoard smooths). */
static void smooth(const float *y, size_t n, double alpha, double *out) {
    double s = 0, w = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(y[i])) {
            out[i] = y[i];
            continue;
        }
        s = alpha * s + (1 - alpha) * y[i];
        w = alpha * w + (1 - alpha);
        out[i] = s / w;
    }
}

/* Draws the panel with room pixels kept right of the plot for the legend (0: the
 * legend goes inside); returns the room the legend needs when no place inside was free
 * of data, else 0. */
/* The bands (viz_panel_add_band): a light shade from one end to the other across the
 * plot area, under the grid's lines and the series, cut at the frame. */
static void draw_bands(viz_canvas *cv, const viz_theme *t, const viz_panel *p, const viz_frame *f) {
    double lo = fmin(f->ax.min, f->ax.max), hi = fmax(f->ax.min, f->ax.max);
    for (int m = 0; m < p->nmarkers; m++) {
        const viz_marker *b = &p->markers[m];
        if (isnan(b->x1) || b->x1 < lo || b->x > hi) continue;
        if (f->ax.log && b->x1 <= 0) continue;
        double x0 = b->x < lo || (f->ax.log && b->x <= 0) ? lo : b->x, x1 = fmin(b->x1, hi);
        int px0 = (int)lround(frame_px(f, x0)), px1 = (int)lround(frame_px(f, x1));
        if (px1 < px0) {
            int swap = px0;
            px0 = px1, px1 = swap;
        }
        px0 = px0 < f->x0 ? f->x0 : px0, px1 = px1 > f->x1 ? f->x1 : px1;
        if (px1 <= px0) px1 = px0 + 1; /* a band thinner than a pixel still shows */
        cv_blend_rect(cv, px0, f->y0, px1 - px0, f->y1 - f->y0, t->muted, 0.15);
    }
}

static int draw_lines(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p, viz_layout *lay,
                      int room) {
    viz_frame *f = &lay->f;
    f->ax = (viz_axis){INFINITY, -INFINITY, p->xlog};
    f->ay = (viz_axis){INFINITY, -INFINITY, p->ylog};
    size_t total = 0;
    for (int s = 0; s < p->nseries; s++) {
        viz_series *se = &p->series[s];
        for (size_t i = 0; i < se->n; i++) {
            if (!isfinite(se->x[i]) || !isfinite(se->y[i])) continue;
            if ((p->xlog && se->x[i] <= 0) || (p->ylog && se->y[i] <= 0)) continue;
            f->ax.min = fmin(f->ax.min, se->x[i]), f->ax.max = fmax(f->ax.max, se->x[i]);
            f->ay.min = fmin(f->ay.min, se->y[i]), f->ay.max = fmax(f->ay.max, se->y[i]);
            total++;
        }
    }
    for (int m = 0; m < p->nmarkers; m++)
        for (int end = 0; end < 2; end++) { /* a line's x, or a band's two ends */
            double x = end ? p->markers[m].x1 : p->markers[m].x;
            if (isfinite(x) && (!p->xlog || x > 0))
                f->ax.min = fmin(f->ax.min, x), f->ax.max = fmax(f->ax.max, x);
        }
    if (total == 0)
        f->ax.min = f->ay.min = p->xlog ? 1 : 0, f->ax.max = f->ay.max = p->xlog ? 10 : 1;
    if (f->ax.max == f->ax.min) range_nice(&f->ax.min, &f->ax.max, p->xlog);
    range_nice(&f->ay.min, &f->ay.max, p->ylog);
    for (int ax = 0; ax < 2; ax++) {
        viz_axis *A = ax ? &f->ay : &f->ax;
        if (p->fix[ax][0] < p->fix[ax][1]) A->min = p->fix[ax][0], A->max = p->fix[ax][1];
    }
    axes_layout(f, a, t, p, cv->cx0, cv->cy0, cv->cx1, cv->cy1, room, 0, 0);
    lay->has = 1;
    axes_grid(cv, t, f);
    draw_bands(cv, t, p, f);
    uint32_t *base = room ? NULL : frame_snapshot(cv, f); /* bands are background */
    int cx0 = cv->cx0, cy0 = cv->cy0, cx1 = cv->cx1, cy1 = cv->cy1;
    cv_clip(cv, f->x0, f->y0 - 1, f->x1 + 1, f->y1 + 1);
    const char *names[64];
    uint32_t cols[64];
    size_t longest = 1;
    for (int s = 0; s < p->nseries; s++)
        if (p->series[s].n > longest) longest = p->series[s].n;
    for (int s = 0; s < p->nseries; s++) {
        viz_series *se = &p->series[s];
        uint32_t col = series_colour(p, s);
        double *ys = malloc((se->n ? se->n : 1) * sizeof *ys);
        if (!ys) continue;
        for (size_t i = 0; i < se->n; i++) ys[i] = se->y[i];
        /* Smoothing spans the same stretch of x for every series: a sparse validation
         * curve beside a dense training curve gets alpha^(longest/n), not a lagging mess. */
        double alpha = p->smooth > 0 && se->n ? pow(p->smooth, (double)longest / se->n) : 0;
        if (alpha > 0.01) {
            draw_series(cv, f, se->x, ys, se->n, t->thin * 1.2, col, 0.3);
            smooth(se->y, se->n, alpha, ys);
        }
        if (cmap_is_light(col)) /* a dark edge: yellow on white vanishes on a projector */
            draw_series(cv, f, se->x, ys, se->n, t->line + 2.4 * t->scale, LIGHT_EDGE, 1);
        draw_series(cv, f, se->x, ys, se->n, t->line, col, 1);
        free(ys);
        if (s < 64) names[s] = se->name, cols[s] = col;
    }
    cv_clip(cv, cx0, cy0, cx1, cy1);
    for (int m = 0; m < p->nmarkers; m++) {
        double x = p->markers[m].x;
        if (!isnan(p->markers[m].x1)) continue; /* a band, drawn under the series */
        if (!(x >= fmin(f->ax.min, f->ax.max) && x <= fmax(f->ax.min, f->ax.max))) continue;
        double px = floor(frame_px(f, x)) + 0.5;
        cv_dashed(cv, px, f->y0, px, f->y1, t->thin * 1.5, t->muted, 6 * t->scale, 4 * t->scale);
        /* label left of the line near the top, or right when it would leave the plot */
        int w, h;
        text_size(a, FONT_SANS, t->small, p->markers[m].label, &w, &h);
        int right = px - w - t->pad / 2 < f->x0;
        text_draw(cv, a, FONT_SANS, t->small, p->markers[m].label,
                  (int)px + (right ? t->pad / 2 : -t->pad / 2), f->y0 + t->pad + m % 3 * h,
                  (right ? ALIGN_LEFT : ALIGN_RIGHT) | ALIGN_TOP, t->fg, 0);
    }
    axes_draw(cv, a, t, p, f);
    int n = p->nseries < 64 ? p->nseries : 64, busy = 0;
    int shows = n > 1 || (n == 1 && p->series[0].name[0] && strcmp(p->series[0].name, "data") != 0);
    if (shows && !room && n > LEGEND_INSIDE_MAX) {
        busy = 1; /* a long legend hides too much wherever it goes: beside the plot */
    } else if (shows) {
        if (room)
            legend_draw_at(cv, a, t, f->x1 + t->pad, f->y0, names, cols, n, 1, lay->legend);
        else
            busy = legend_draw(cv, a, t, f, names, cols, n, 1, base, lay->legend);
    }
    free(base);
    if (total == 0)
        text_draw(cv, a, FONT_SANS, t->font, "no data yet", (f->x0 + f->x1) / 2,
                  (f->y0 + f->y1) / 2, ALIGN_CENTER | ALIGN_MIDDLE, t->muted, 0);
    title_draw(cv, a, t, p, cx0, cx1, cy0 + t->pad);
    return busy ? legend_width(a, t, names, n) : 0;
}

static void plot_lines(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                       viz_layout *lay) {
    draw_with_legend_room(draw_lines, cv, a, t, p, lay);
}

/* The data point nearest the cursor, within 24 pixels; elsewhere on the plot area the
 * cursor's x and y. */
static int lines_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                       size_t n) {
    const viz_frame *f = &lay->f;
    if (!lay->has || px < f->x0 || px >= f->x1 || py < f->y0 || py >= f->y1) return 0;
    double best = 24 * 24;
    const viz_series *bs = NULL;
    size_t bi = 0;
    for (int s = 0; s < p->nseries; s++) {
        const viz_series *se = &p->series[s];
        for (size_t i = 0; i < se->n; i++) {
            double dx = frame_px(f, se->x[i]) - px, dy = frame_py(f, se->y[i]) - py;
            if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, bs = se, bi = i;
        }
    }
    if (!bs) return hover_xy(lay, px, py, buf, n);
    snprintf(buf, n, "%s: x %.6g  y %.4g", bs->name, bs->x[bi], bs->y[bi]);
    return 1;
}

const viz_kind_def plot_lines_kind = {
    .name = "lines",
    .width = 760,
    .height = 480,
    .takes = VIZ_TAKES_SERIES | VIZ_TAKES_MARKERS,
    .draw = plot_lines,
    .hover = lines_hover,
};
