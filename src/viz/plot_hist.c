/* plot_hist.c: a histogram: the counts of values in equal bins (viz_hist_set counts
 * them) as bars on a numeric x axis, with the value axis of bar charts (plot_bars.c). */
#include <math.h>
#include <stdio.h>

#include "vizint.h"

static void plot_hist(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                      viz_layout *lay) {
    viz_frame *f = &lay->f;
    lay->has = p->bars != NULL;
    if (p->bars) {
        f->ax = (viz_axis){p->hlo, p->hhi, 0};
        bars_value_range(p, &f->ay);
        axes_layout(f, a, t, p, cv->cx0, cv->cy0, cv->cx1, cv->cy1, 0, 0, 0);
        axes_grid(cv, t, f);
        double bw = (p->hhi - p->hlo) / p->ngroups;
        uint32_t col = cmap_series(0);
        for (int b = 0; b < p->ngroups; b++) {
            int xa = (int)lround(frame_px(f, p->hlo + b * bw));
            int xb = (int)lround(frame_px(f, p->hlo + (b + 1) * bw));
            int ya = (int)lround(frame_py(f, p->bars[b])), yb = (int)lround(frame_py(f, 0));
            /* one pixel gap between bins when they are wide enough to afford it */
            cv_fill_rect(cv, xa, ya, xb - xa - (xb - xa > 4), yb - ya, col);
        }
        bars_zero_line(cv, t, f);
        axes_draw(cv, a, t, p, f);
    }
    title_draw(cv, a, t, p, cv->cx0, cv->cx1, cv->cy0 + t->pad);
}

/* The bin under the cursor and its count; elsewhere on the plot area x and y. */
static int hist_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                      size_t n) {
    const viz_frame *f = &lay->f;
    if (!lay->has || px < f->x0 || px >= f->x1 || py < f->y0 || py >= f->y1) return 0;
    double bw = (p->hhi - p->hlo) / p->ngroups;
    int b = p->bars ? (int)floor((frame_dx(f, px + 0.5) - p->hlo) / bw) : -1;
    if (b < 0 || b >= p->ngroups) return hover_xy(lay, px, py, buf, n);
    /* the last bin holds its upper end too (viz_hist_set) */
    snprintf(buf, n, "%.0f in [%.4g, %.4g%c", p->bars[b], p->hlo + b * bw, p->hlo + (b + 1) * bw,
             b == p->ngroups - 1 ? ']' : ')');
    return 1;
}

const viz_kind_def plot_hist_kind = {
    .name = "hist",
    .width = 720,
    .height = 480,
    .takes = VIZ_TAKES_HIST,
    .draw = plot_hist,
    .hover = hist_hover,
};
