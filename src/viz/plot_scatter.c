/* plot_scatter.c: points with class colours and optional text labels (2-D codes,
 * word maps) on autoscaled axes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

#define LEGEND_MAX 32 /* classes named in the legend */

/* As draw_lines (plot_lines.c): room kept right of the plot for the legend; returns the
 * room it needs there when no place inside was free, else 0. */
static int draw_scatter(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                        viz_layout *lay, int room) {
    viz_frame *f = &lay->f;
    f->ax = (viz_axis){INFINITY, -INFINITY, p->xlog};
    f->ay = (viz_axis){INFINITY, -INFINITY, p->ylog};
    int maxcls = 0;
    for (size_t i = 0; i < p->npts; i++) {
        if (!isfinite(p->ptx[i]) || !isfinite(p->pty[i])) continue;
        f->ax.min = fmin(f->ax.min, p->ptx[i]), f->ax.max = fmax(f->ax.max, p->ptx[i]);
        f->ay.min = fmin(f->ay.min, p->pty[i]), f->ay.max = fmax(f->ay.max, p->pty[i]);
        if (p->ptcls[i] > maxcls) maxcls = p->ptcls[i];
    }
    if (!(f->ax.min <= f->ax.max)) f->ax.min = f->ay.min = 0, f->ax.max = f->ay.max = 1;
    range_nice(&f->ax.min, &f->ax.max, p->xlog);
    range_nice(&f->ay.min, &f->ay.max, p->ylog);
    for (int ax = 0; ax < 2; ax++) {
        viz_axis *A = ax ? &f->ay : &f->ax;
        if (p->fix[ax][0] < p->fix[ax][1]) A->min = p->fix[ax][0], A->max = p->fix[ax][1];
    }
    axes_layout(f, a, t, p, cv->cx0, cv->cy0, cv->cx1, cv->cy1, room, 0, 0);
    lay->has = 1;
    axes_grid(cv, t, f);
    uint32_t *base = room ? NULL : frame_snapshot(cv, f);
    int cx0 = cv->cx0, cy0 = cv->cy0, cx1 = cv->cx1, cy1 = cv->cy1;
    cv_clip(cv, f->x0, f->y0, cx1, f->y1); /* labels may run right of the plot area */
    points_draw(cv, a, t, p, f);
    cv_clip(cv, cx0, cy0, cx1, cy1);
    axes_draw(cv, a, t, p, f);
    int n = maxcls + 1 < LEGEND_MAX ? maxcls + 1 : LEGEND_MAX, busy = 0;
    char buf[LEGEND_MAX][16];
    const char *names[LEGEND_MAX];
    uint32_t cols[LEGEND_MAX];
    for (int c = 0; c < n; c++) {
        snprintf(buf[c], sizeof buf[c], "class %d", c + 1);
        names[c] = c < p->nclsname && p->clsname[c] ? p->clsname[c] : buf[c];
        cols[c] = cmap_series(c);
    }
    if (maxcls >= 1 && room)
        legend_draw_at(cv, a, t, f->x1 + t->pad, f->y0, names, cols, n, 0, lay->legend);
    else if (maxcls >= 1)
        busy = legend_draw(cv, a, t, f, names, cols, n, 0, base, lay->legend);
    free(base);
    title_draw(cv, a, t, p, cx0, cx1, cy0 + t->pad);
    return busy ? legend_width(a, t, names, n) : 0;
}

static void plot_scatter(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                         viz_layout *lay) {
    draw_with_legend_room(draw_scatter, cv, a, t, p, lay);
}

/* The cursor's x and y: a point's own values are where it is drawn. */
static int scatter_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                         size_t n) {
    (void)p;
    return hover_xy(lay, px, py, buf, n);
}

const viz_kind_def plot_scatter_kind = {
    .name = "scatter",
    .width = 640,
    .height = 560,
    .takes = VIZ_TAKES_POINTS,
    .draw = plot_scatter,
    .hover = scatter_hover,
};
