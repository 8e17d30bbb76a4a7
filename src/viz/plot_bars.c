/* plot_bars.c: grouped bars with category labels under each group (class
 * probabilities, gradient norm per layer); the value axis and zero line that
 * histograms (plot_hist.c) share. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "vizint.h"

void bars_value_range(const viz_panel *p, viz_axis *ay) {
    double lo = 0, hi = 0;
    size_t n = (size_t)p->ngroups * p->nbseries;
    for (size_t i = 0; i < n; i++)
        if (isfinite(p->bars[i])) lo = fmin(lo, p->bars[i]), hi = fmax(hi, p->bars[i]);
    if (hi == lo) hi = lo + 1;
    double pad = (hi - lo) * 0.05; /* bars start at zero: pad only away from it */
    *ay = (viz_axis){lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0, 0};
    if (p->fix[1][0] < p->fix[1][1]) ay->min = p->fix[1][0], ay->max = p->fix[1][1];
}

/* As draw_lines (plot_lines.c): room kept right of the plot for the legend; returns the
 * room it needs there when no place inside was free of bars, else 0. */
static int draw_bars(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p, viz_layout *lay,
                     int room) {
    viz_frame *f = &lay->f;
    uint32_t *base = NULL;
    int busy = 0;
    int cx0 = cv->cx0, cy0 = cv->cy0, cx1 = cv->cx1;
    lay->has = p->bars != NULL;
    if (!p->bars) {
        title_draw(cv, a, t, p, cx0, cx1, cy0 + t->pad);
        return 0;
    }
    /* groups at x = 1..ngroups; category labels replace the numeric x ticks */
    f->ax = (viz_axis){0.5, p->ngroups + 0.5, 0};
    bars_value_range(p, &f->ay);
    int sw, sh, wmax = 0, w, h;
    text_size(a, FONT_SANS, t->small, "Ag", &sw, &sh);
    for (int g = 0; p->glabels && g < p->ngroups; g++) {
        text_size(a, FONT_SANS, t->small, p->glabels[g], &w, &h);
        if (w > wmax) wmax = w;
    }
    axes_layout(f, a, t, p, cv->cx0, cv->cy0, cv->cx1, cv->cy1, room, 0, 0);
    double gw = (f->x1 - f->x0) / (double)p->ngroups;
    /* every bar gets its label: one row when they fit, else two staggered rows, else
     * turned to read upwards, ending at the axis (shortened with an ellipsis when
     * even that is too long for a third of the panel) */
    int rows = wmax + t->pad > gw ? 2 : 1, turned = 0, tall = 0;
    if (rows == 2) {
        axes_layout(f, a, t, p, cv->cx0, cv->cy0, cv->cx1, cv->cy1, room, sh, 0);
        gw = (f->x1 - f->x0) / (double)p->ngroups;
        if (wmax + t->pad > 2 * gw) {
            turned = 1, rows = 1;
            tall = wmax < (cv->cy1 - cv->cy0) / 3 ? wmax : (cv->cy1 - cv->cy0) / 3;
            axes_layout(f, a, t, p, cv->cx0, cv->cy0, cv->cx1, cv->cy1, room,
                        tall > sh ? tall - sh : 0, 0);
            gw = (f->x1 - f->x0) / (double)p->ngroups;
        }
    }
    f->nxt = 0;
    axes_grid(cv, t, f);
    base = room ? NULL : frame_snapshot(cv, f);
    double inner = gw * 0.8 / p->nbseries;
    for (int g = 0; g < p->ngroups; g++) {
        double gx = f->x0 + g * gw + gw * 0.1;
        for (int s = 0; s < p->nbseries; s++) {
            float v = p->bars[(size_t)g * p->nbseries + s];
            int xa = (int)lround(gx + s * inner), xb = (int)lround(gx + (s + 1) * inner);
            int ya = (int)lround(frame_py(f, fmax(v, 0)));
            int yb = (int)lround(frame_py(f, fmin(v, 0)));
            cv_fill_rect(cv, xa, ya, xb - xa - (p->nbseries > 1 && xb - xa > 4), yb - ya,
                         series_colour(p, s));
        }
        int row = rows == 2 ? g % 2 : 0;
        if (p->glabels) {
            int tx = (int)(f->x0 + (g + 0.5) * gw), ty = f->y1 + (int)lround(5 * t->scale) + 1;
            char fit[256];
            text_fit(a, FONT_SANS, t->small, p->glabels[g], turned ? tall : 2 * (int)gw, fit,
                     sizeof fit);
            if (row) cv_line(cv, tx + 0.5, f->y1, tx + 0.5, ty + sh - 2, 1, t->grid, 1);
            text_draw(cv, a, FONT_SANS, t->small, fit, tx, ty + row * sh, ALIGN_CENTER | ALIGN_TOP,
                      t->muted, turned);
        }
    }
    bars_zero_line(cv, t, f);
    axes_draw(cv, a, t, p, f);
    if (p->nbseries > 1 && p->snames) {
        const char *names[32];
        uint32_t cols[32];
        int n = p->nbseries < 32 ? p->nbseries : 32;
        for (int s = 0; s < n; s++)
            names[s] = p->snames[s] ? p->snames[s] : "", cols[s] = series_colour(p, s);
        if (room)
            legend_draw_at(cv, a, t, f->x1 + t->pad, f->y0, names, cols, n, 2, lay->legend);
        else if (legend_draw(cv, a, t, f, names, cols, n, 2, base, lay->legend))
            busy = legend_width(a, t, names, n);
    }
    free(base);
    title_draw(cv, a, t, p, cx0, cx1, cy0 + t->pad);
    return busy;
}

void bars_zero_line(viz_canvas *cv, const viz_theme *t, const viz_frame *f) {
    if (f->ay.min >= 0) return;
    double y = floor(frame_py(f, 0)) + 0.5;
    cv_line(cv, f->x0, y, f->x1, y, t->axis, t->box, 1);
}

static void plot_bars(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                      viz_layout *lay) {
    draw_with_legend_room(draw_bars, cv, a, t, p, lay);
}

/* The values of the group under the cursor; elsewhere on the plot area x and y. */
static int bars_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                      size_t n) {
    const viz_frame *f = &lay->f;
    if (!lay->has || px < f->x0 || px >= f->x1 || py < f->y0 || py >= f->y1) return 0;
    int g = (int)floor(frame_dx(f, px + 0.5) - 0.5); /* groups sit at x = 1..ngroups */
    if (!p->bars || g < 0 || g >= p->ngroups) return hover_xy(lay, px, py, buf, n);
    int k = snprintf(buf, n, "%s:", p->glabels && p->glabels[g] ? p->glabels[g] : "");
    for (int s = 0; s < p->nbseries && k > 0 && (size_t)k < n; s++)
        k += snprintf(buf + k, n - k, " %.4g", p->bars[(size_t)g * p->nbseries + s]);
    return 1;
}

const viz_kind_def plot_bars_kind = {
    .name = "bars",
    .width = 720,
    .height = 480,
    .takes = VIZ_TAKES_BARS,
    .draw = plot_bars,
    .hover = bars_hover,
};
