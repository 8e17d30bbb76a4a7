/* axes.c: what plots with data axes share: the theme, mapping data to pixels, the
 * layout of title, tick labels and axis labels around the plot area (choosing as many
 * ticks as fit without overlapping labels), the legend and the colour bar. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

void theme_make(viz_theme *t, double scale, int projector) {
    if (!(scale > 0)) scale = 1;
    double s = scale * (projector ? 1.4 : 1);
    double l = scale * (projector ? 2 : 1);
    t->scale = scale;
    t->projector = projector;
    t->font = (int)lround(15 * s);
    t->small = (int)lround(13 * s);
    t->title = (int)lround(17 * s);
    t->line = 2.2 * l;
    t->thin = 1.0 * l;
    t->axis = 1.3 * l;
    t->point = 4.0 * (projector ? 1.5 : 1) * scale;
    t->pad = (int)lround(6 * s);
    t->bg = viz_rgb(255, 255, 255);
    t->fg = projector ? viz_rgb(0, 0, 0) : viz_rgb(26, 26, 26);
    t->muted = projector ? viz_rgb(20, 20, 20) : viz_rgb(70, 70, 70);
    t->grid = projector ? viz_rgb(200, 200, 200) : viz_rgb(228, 228, 228);
    t->box = projector ? viz_rgb(0, 0, 0) : viz_rgb(60, 60, 60);
}

static double tr(const viz_axis *a, double v) {
    return a->log ? log10(v) : v;
}

double frame_px(const viz_frame *f, double x) {
    double a = tr(&f->ax, f->ax.min), b = tr(&f->ax, f->ax.max);
    return f->x0 + (tr(&f->ax, x) - a) / (b - a) * (f->x1 - f->x0);
}

double frame_py(const viz_frame *f, double y) {
    double a = tr(&f->ay, f->ay.min), b = tr(&f->ay, f->ay.max);
    return f->y1 - (tr(&f->ay, y) - a) / (b - a) * (f->y1 - f->y0);
}

static double untr(const viz_axis *a, double u) {
    return a->log ? pow(10, u) : u;
}

double frame_dx(const viz_frame *f, double px) {
    double a = tr(&f->ax, f->ax.min), b = tr(&f->ax, f->ax.max);
    return untr(&f->ax, a + (px - f->x0) / (f->x1 - f->x0) * (b - a));
}

double frame_dy(const viz_frame *f, double py) {
    double a = tr(&f->ay, f->ay.min), b = tr(&f->ay, f->ay.max);
    return untr(&f->ay, a + (f->y1 - py) / (f->y1 - f->y0) * (b - a));
}

static int make_ticks(const viz_axis *a, int maxn, double *out, double *step) {
    *step = 0;
    if (a->log) return ticks_log(a->min, a->max, maxn, out);
    return ticks_nice(a->min, a->max, maxn, out, step);
}

/* A cell field's ticks (no names given) on an axis whose cells are one unit wide (by
 * default, centred on 1, 2, ...) count cells: whole numbers, never 0.75 or 1.25, since
 * a cell has no halves; fewer ticks (a step of 2, 5, ...) when whole numbers would
 * crowd the axis. Cells over another range (0 to 1 in ten) keep the nice ticks. */
static int axis_ticks(const viz_panel *p, int axis, const viz_axis *a, int maxn, double *out,
                      double *step) {
    int n = make_ticks(a, maxn, out, step);
    double cell = !p->gcells ? 0 : axis ? (p->gy1 - p->gy0) / p->gh : (p->gx1 - p->gx0) / p->gw;
    if (fabs(cell - 1) > 1e-9 || a->log || *step >= 1) return n;
    double lo = ceil(fmin(a->min, a->max) - 1e-9), hi = floor(fmax(a->min, a->max) + 1e-9);
    n = 0;
    for (double v = lo; v <= hi && n < VIZ_MAX_TICKS; v++) out[n++] = v;
    *step = 1;
    return n;
}

static int tick_tail(const viz_theme *t) {
    return (int)lround(5 * t->scale);
}

int title_height(viz_app *a, const viz_theme *t, const viz_panel *p) {
    int w, h;
    text_size(a, FONT_BOLD, t->title, p->label[VIZ_TITLE], &w, &h);
    return h ? h + t->pad : 0;
}

void title_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int x1,
                int y0) {
    char buf[512]; /* shortened to the panel, as captions are, instead of cut at both ends */
    text_fit(a, FONT_BOLD, t->title, p->label[VIZ_TITLE], x1 - x0 - 2 * t->pad, buf, sizeof buf);
    text_draw(cv, a, FONT_BOLD, t->title, buf, (x0 + x1) / 2, y0, ALIGN_CENTER | ALIGN_TOP, t->fg,
              0);
}

/* Named tick i of axis (0 x, 1 y) is drawn: inside the axis range, and one of every k. */
static int named_drawn(const viz_panel *p, const viz_axis *ax, int axis, int k, int i);

/* Widest tick label of the y axis. */
static int ylabels_width(viz_app *a, const viz_theme *t, const viz_panel *p, const viz_frame *f) {
    int wmax = 0;
    if (f->yk > 0) {
        for (int i = 0; i < p->ntick[1]; i++) {
            int w, h;
            if (!named_drawn(p, &f->ay, 1, f->yk, i)) continue;
            text_size(a, FONT_SANS, t->small, p->ticklab[1][i], &w, &h);
            if (w > wmax) wmax = w;
        }
        return wmax;
    }
    char lab[VIZ_MAX_TICKS][VIZ_TICK_LABEL];
    ticks_labels(f->yt, f->nyt, f->ystep, f->ay.log, 0, lab);
    for (int i = 0; i < f->nyt; i++) {
        int w, h;
        text_size(a, FONT_SANS, t->small, lab[i], &w, &h);
        if (w > wmax) wmax = w;
    }
    return wmax;
}

/* True when the x tick labels, centred on their ticks, leave a gap between them. */
static int xlabels_fit(viz_app *a, const viz_theme *t, const viz_frame *f) {
    double prev_right = -1e9;
    char lab[VIZ_MAX_TICKS][VIZ_TICK_LABEL];
    ticks_labels(f->xt, f->nxt, f->xstep, f->ax.log, 0, lab);
    for (int i = 0; i < f->nxt; i++) {
        int w, h;
        text_size(a, FONT_SANS, t->small, lab[i], &w, &h);
        double c = frame_px(f, f->xt[i]);
        if (c - w / 2.0 < prev_right + t->small) return 0;
        prev_right = c + w / 2.0;
    }
    return 1;
}

/* How far the last x tick label reaches right of xmax (negative: room to spare). */
static int xlabels_overrun(viz_app *a, const viz_theme *t, const viz_frame *f, int xmax) {
    if (f->nxt < 1) return 0;
    char lab[VIZ_MAX_TICKS][VIZ_TICK_LABEL];
    ticks_labels(f->xt, f->nxt, f->xstep, f->ax.log, 0, lab);
    int w, h;
    text_size(a, FONT_SANS, t->small, lab[f->nxt - 1], &w, &h);
    return (int)ceil(frame_px(f, f->xt[f->nxt - 1]) + w / 2.0) - xmax;
}

static int named_drawn(const viz_panel *p, const viz_axis *ax, int axis, int k, int i) {
    double v = p->tickpos[axis][i], lo = fmin(ax->min, ax->max), hi = fmax(ax->min, ax->max);
    double e = (hi - lo) * 1e-9;
    return v >= lo - e && v <= hi + e && i % k == 0;
}

/* The least k such that every k-th named tick label of the axis, drawn, leaves a gap to
 * the next: on x one letter wide between the centred labels, on y a fifth of a line. */
static int named_stride(viz_app *a, const viz_theme *t, const viz_panel *p, const viz_frame *f,
                        int axis) {
    int n = p->ntick[axis];
    for (int k = 1; k < n; k++) {
        int ok = 1, any = 0;
        double prev_c = 0, prev_half = 0;
        for (int i = 0; ok && i < n; i++) {
            if (!named_drawn(p, axis ? &f->ay : &f->ax, axis, k, i)) continue;
            int w, h;
            text_size(a, FONT_SANS, t->small, p->ticklab[axis][i], &w, &h);
            double c = axis ? frame_py(f, p->tickpos[1][i]) : frame_px(f, p->tickpos[0][i]);
            double half = axis ? h / 2.0 : w / 2.0, gap = axis ? h / 5.0 : t->small / 2.0;
            if (any && fabs(c - prev_c) < prev_half + half + gap) ok = 0;
            any = 1, prev_c = c, prev_half = half;
        }
        if (ok) return k;
    }
    return n > 0 ? n : 1;
}

/* The step between staggered rows of x tick labels: one line of tick text. */
static int xrow_height(viz_app *a, const viz_theme *t) {
    int w, h;
    text_size(a, FONT_SANS, t->small, "0", &w, &h);
    return h;
}

/* True when the named x tick labels, odd ones a row lower, leave named_stride's gap
 * to the next label of their row. */
static int staggered_fit(viz_app *a, const viz_theme *t, const viz_panel *p, const viz_frame *f) {
    int n = p->ntick[0];
    for (int i = 0; i < n; i++)
        if (!named_drawn(p, &f->ax, 0, 1, i)) return 0;
    for (int i = 2; i < n; i++) {
        int w0, w1, h;
        text_size(a, FONT_SANS, t->small, p->ticklab[0][i - 2], &w0, &h);
        text_size(a, FONT_SANS, t->small, p->ticklab[0][i], &w1, &h);
        double d = fabs(frame_px(f, p->tickpos[0][i]) - frame_px(f, p->tickpos[0][i - 2]));
        if (d < (w0 + w1) / 2.0 + t->small / 2.0) return 0;
    }
    return 1;
}

/* The height the named x tick labels take turned (their widest), when turned they all
 * leave named_stride's gap between them and take at most a third of the plot's height;
 * else 0. */
static int turned_height(viz_app *a, const viz_theme *t, const viz_panel *p, const viz_frame *f) {
    int n = p->ntick[0], wmax = 0, w, h;
    for (int i = 0; i < n; i++) {
        if (!named_drawn(p, &f->ax, 0, 1, i)) return 0;
        text_size(a, FONT_SANS, t->small, p->ticklab[0][i], &w, &h);
        wmax = w > wmax ? w : wmax;
        double d =
            i ? fabs(frame_px(f, p->tickpos[0][i]) - frame_px(f, p->tickpos[0][i - 1])) : 1e9;
        if (d < h + t->small / 2.0) return 0;
    }
    return wmax <= (f->y1 - f->y0) / 3 ? wmax : 0;
}

int viz_tick_label_room(viz_app *a, const char *label, int projector) {
    if (!label || !*label) return 0;
    viz_theme t;
    theme_make(&t, 1, projector);
    int w, h;
    text_size(a, FONT_SANS, t.small, label, &w, &h);
    return (int)ceil(w + t.small / 2.0); /* named_stride's gap on x */
}

void axes_layout(viz_frame *f, viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int y0,
                 int x1, int y1, int right, int below, int equal) {
    int fw, fh, sw, sh;
    text_size(a, FONT_SANS, t->font, "Ag", &fw, &fh);
    text_size(a, FONT_SANS, t->small, "0", &sw, &sh);
    int top = y0 + t->pad + title_height(a, t, p) + sh / 2;
    int bottom = y1 - t->pad - sh - tick_tail(t) - t->pad / 2;
    if (p->label[VIZ_XLABEL]) bottom -= fh + t->pad / 2;
    bottom -= below;
    if (bottom < top + 10) bottom = top + 10;
    /* y ticks: about one per 3.5 lines of tick text */
    int ny = (int)((bottom - top) / (3.5 * sh)) + 1;
    f->nyt = axis_ticks(p, 1, &f->ay, ny < 2 ? 2 : ny, f->yt, &f->ystep);
    f->xk = f->yk = 0, f->xrows = 1, f->xturn = 0;
    f->y0 = top, f->y1 = bottom;
    if (p->ntick[1] > 0) f->nyt = 0, f->yk = named_stride(a, t, p, f, 1);
    int lw0 = ylabels_width(a, t, p, f);
    int left = x0 + t->pad + lw0 + tick_tail(t) + t->pad / 2;
    if (p->label[VIZ_YLABEL]) left += fh + t->pad / 2;
    int rgt = x1 - t->pad - right - 2 * sw; /* room for half the last x tick label */
    if (rgt < left + 10) rgt = left + 10;
    f->x0 = left, f->x1 = rgt, f->y0 = top, f->y1 = bottom;
    double ra = (f->ay.max - f->ay.min) / (f->ax.max - f->ax.min);
    /* one data unit as long on both axes, when the axes measure comparable things (a
     * range 1000 times longer than the other is a different unit: fill the panel) */
    double pa = (double)(bottom - top) / (rgt - left);
    if (equal && ra > 0 && isfinite(ra) && ra / pa < 5 && pa / ra < 5) {
        int w = rgt - left, h = bottom - top;
        if (h > w * ra) {
            int nh = (int)lround(w * ra);
            f->y0 = top + (h - nh) / 2, f->y1 = f->y0 + nh;
            ny = (int)((f->y1 - f->y0) / (3.5 * sh)) + 1;
            f->nyt = axis_ticks(p, 1, &f->ay, ny < 2 ? 2 : ny, f->yt, &f->ystep);
            if (f->yk) f->nyt = 0, f->yk = named_stride(a, t, p, f, 1);
            /* the new ticks may need more digits ("1.05525"): make room, keeping the
             * aspect, so that their labels are not cut at the panel's edge */
            int more = ylabels_width(a, t, p, f) - lw0;
            if (more > 0 && f->x1 - f->x0 - more > 10) {
                f->x0 += more;
                nh = (int)lround((f->x1 - f->x0) * ra);
                f->y0 = top + (h - nh) / 2, f->y1 = f->y0 + nh;
            }
        } else {
            int nw = (int)lround(h / ra);
            f->x0 = left + (w - nw) / 2, f->x1 = f->x0 + nw;
        }
        left = f->x0, rgt = f->x1;
    }
    /* x ticks: start generous and drop until the labels do not overlap; then, when the
     * last label (a long "1.0010e6") runs past the panel, narrow the plot and again */
    if (p->ntick[0] > 0) {
        f->nxt = 0, f->xk = named_stride(a, t, p, f, 0);
        /* names too wide for one row (a confusion matrix's ten classes at 640 pixels):
         * on two staggered rows, every name written, rather than every second */
        int turn = f->xk > 1 && !equal ? turned_height(a, t, p, f) : 0;
        if (f->xk > 1 && !equal && staggered_fit(a, t, p, f))
            f->xk = 1, f->xrows = 2, f->y1 -= sh;
        else if (turn) /* else turned to read upwards, ending at the axis (as bars do) */
            f->xk = 1, f->xturn = turn, f->y1 -= turn - sh;
        if (f->y1 < f->y0 + 10) f->y1 = f->y0 + 10;
        if (f->yk) f->yk = named_stride(a, t, p, f, 1);
        return;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int nx = (f->x1 - f->x0) / (4 * sw) + 1; nx >= 2; nx--) {
            f->nxt = axis_ticks(p, 0, &f->ax, nx, f->xt, &f->xstep);
            if (xlabels_fit(a, t, f)) break;
        }
        int over = xlabels_overrun(a, t, f, x1 - t->pad / 2);
        if (pass || over <= 0 || f->x1 - over < f->x0 + 10 || equal) break;
        f->x1 -= over;
    }
}

static int inside(const viz_frame *f, double v, const viz_axis *a) {
    double lo = fmin(a->min, a->max), hi = fmax(a->min, a->max), e = (hi - lo) * 1e-9;
    (void)f;
    return v >= lo - e && v <= hi + e;
}

void axes_grid(viz_canvas *cv, const viz_theme *t, const viz_frame *f) {
    for (int i = 0; i < f->nxt; i++) {
        if (!inside(f, f->xt[i], &f->ax)) continue;
        double x = floor(frame_px(f, f->xt[i])) + 0.5;
        cv_line(cv, x, f->y0, x, f->y1, t->thin, t->grid, 1);
    }
    for (int i = 0; i < f->nyt; i++) {
        if (!inside(f, f->yt[i], &f->ay)) continue;
        double y = floor(frame_py(f, f->yt[i])) + 0.5;
        cv_line(cv, f->x0, y, f->x1, y, t->thin, t->grid, 1);
    }
}

void axes_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p,
               const viz_frame *f) {
    int tail = tick_tail(t);
    double ax = t->axis / 2;
    cv_line(cv, f->x0 - ax, f->y1 + ax, f->x1, f->y1 + ax, t->axis, t->box, 1);
    cv_line(cv, f->x0 - ax, f->y0, f->x0 - ax, f->y1 + ax, t->axis, t->box, 1);
    char lab[VIZ_MAX_TICKS][VIZ_TICK_LABEL];
    ticks_labels(f->xt, f->nxt, f->xstep, f->ax.log, 0, lab);
    for (int i = 0; i < f->nxt; i++) {
        if (!inside(f, f->xt[i], &f->ax)) continue;
        double x = floor(frame_px(f, f->xt[i])) + 0.5;
        cv_line(cv, x, f->y1, x, f->y1 + tail, t->axis, t->box, 1);
        text_draw(cv, a, FONT_SANS, t->small, lab[i], (int)x, f->y1 + tail + 1,
                  ALIGN_CENTER | ALIGN_TOP, t->muted, 0);
    }
    ticks_labels(f->yt, f->nyt, f->ystep, f->ay.log, 0, lab);
    for (int i = 0; i < f->nyt; i++) {
        if (!inside(f, f->yt[i], &f->ay)) continue;
        double y = floor(frame_py(f, f->yt[i])) + 0.5;
        cv_line(cv, f->x0 - tail, y, f->x0, y, t->axis, t->box, 1);
        text_draw(cv, a, FONT_SANS, t->small, lab[i], f->x0 - tail - t->pad / 2, (int)y,
                  ALIGN_RIGHT | ALIGN_MIDDLE, t->muted, 0);
    }
    for (int i = 0; f->xk && i < p->ntick[0]; i++) {
        if (!named_drawn(p, &f->ax, 0, f->xk, i)) continue;
        double x = floor(frame_px(f, p->tickpos[0][i])) + 0.5;
        int low = f->xrows > 1 && i % 2 ? xrow_height(a, t) : 0; /* a staggered name */
        cv_line(cv, x, f->y1, x, f->y1 + tail + low, t->axis, t->box, 1);
        text_draw(cv, a, FONT_SANS, t->small, p->ticklab[0][i], (int)x, f->y1 + tail + 1 + low,
                  ALIGN_CENTER | ALIGN_TOP, t->muted, f->xturn > 0);
    }
    for (int i = 0; f->yk && i < p->ntick[1]; i++) {
        if (!named_drawn(p, &f->ay, 1, f->yk, i)) continue;
        double y = floor(frame_py(f, p->tickpos[1][i])) + 0.5;
        cv_line(cv, f->x0 - tail, y, f->x0, y, t->axis, t->box, 1);
        text_draw(cv, a, FONT_SANS, t->small, p->ticklab[1][i], f->x0 - tail - t->pad / 2, (int)y,
                  ALIGN_RIGHT | ALIGN_MIDDLE, t->muted, 0);
    }
    int w, h;
    char fit[256];
    if (p->label[VIZ_XLABEL]) {
        text_size(a, FONT_SANS, t->small, "0", &w, &h);
        text_fit(a, FONT_SANS, t->font, p->label[VIZ_XLABEL], f->x1 - f->x0, fit, sizeof fit);
        text_draw(cv, a, FONT_SANS, t->font, fit, (f->x0 + f->x1) / 2,
                  f->y1 + tail + (f->xturn ? f->xturn : f->xrows * h) + t->pad / 2,
                  ALIGN_CENTER | ALIGN_TOP, t->fg, 0);
    }
    if (p->label[VIZ_YLABEL]) {
        /* no taller than the plot, or it runs into the title: shortened, or dropped when
         * fewer than three letters would be left */
        int lw = ylabels_width(a, t, p, f);
        text_size(a, FONT_SANS, t->font, "Ag", &w, &h);
        text_fit(a, FONT_SANS, t->font, p->label[VIZ_YLABEL], f->y1 - f->y0, fit, sizeof fit);
        if (strlen(fit) < strlen(p->label[VIZ_YLABEL]) && strlen(fit) < 3 + 3) fit[0] = 0;
        text_draw(cv, a, FONT_SANS, t->font, fit, f->x0 - tail - t->pad / 2 - lw - t->pad / 2,
                  (f->y0 + f->y1) / 2, ALIGN_RIGHT | ALIGN_MIDDLE, t->fg, 1);
    }
}

/* The legend's box size and its row height. */
static void legend_size(viz_app *a, const viz_theme *t, const char *const *names, int n, int *bw,
                        int *bh, int *rowh) {
    int wmax = 0, w, h;
    for (int i = 0; i < n; i++) {
        text_size(a, FONT_SANS, t->small, names[i], &w, &h);
        if (w > wmax) wmax = w;
    }
    text_size(a, FONT_SANS, t->small, "Ag", &w, rowh);
    int sample = (int)lround(22 * t->scale);
    *bw = t->pad + sample + t->pad + wmax + t->pad, *bh = t->pad + n * *rowh + t->pad;
}

int legend_width(viz_app *a, const viz_theme *t, const char *const *names, int n) {
    int bw, bh, rowh;
    if (n <= 0) return 0;
    legend_size(a, t, names, n, &bw, &bh, &rowh);
    return bw + t->pad;
}

uint32_t *frame_snapshot(const viz_canvas *cv, const viz_frame *f) {
    int w = f->x1 - f->x0, h = f->y1 - f->y0;
    if (w <= 0 || h <= 0 || f->x0 < 0 || f->y0 < 0 || f->x1 > cv->w || f->y1 > cv->h) return NULL;
    uint32_t *s = malloc((size_t)w * h * sizeof *s);
    for (int y = 0; s && y < h; y++)
        memcpy(s + (size_t)y * w, cv->px + (size_t)(f->y0 + y) * cv->w + f->x0, w * sizeof *s);
    return s;
}

/* Pixels of the frame in the box (x, y, w, h) drawn since base: what a legend there
 * would hide. Without base, anything that is not background or grid counts. */
static int ink_in(const viz_canvas *cv, const viz_theme *t, const viz_frame *f,
                  const uint32_t *base, int x, int y, int w, int h) {
    int x0 = x > f->x0 ? x : f->x0, x1 = x + w < f->x1 ? x + w : f->x1;
    int y0 = y > f->y0 ? y : f->y0, y1 = y + h < f->y1 ? y + h : f->y1;
    int ink = 0, fw = f->x1 - f->x0;
    for (int yy = y0; yy < y1; yy++)
        for (int xx = x0; xx < x1; xx++) {
            if (xx < cv->cx0 || yy < cv->cy0 || xx >= cv->cx1 || yy >= cv->cy1) continue;
            uint32_t c = cv->px[(size_t)yy * cv->w + xx] | 0xff000000u;
            if (base)
                ink += c != (base[(size_t)(yy - f->y0) * fw + xx - f->x0] | 0xff000000u);
            else
                ink += c != (t->bg | 0xff000000u) && c != (t->grid | 0xff000000u);
        }
    return ink;
}

void legend_draw_at(viz_canvas *cv, viz_app *a, const viz_theme *t, int bx, int by,
                    const char *const *names, const uint32_t *cols, int n, int lines, int *box) {
    int bw, bh, h, pad = t->pad, sample = (int)lround(22 * t->scale);
    legend_size(a, t, names, n, &bw, &bh, &h);
    if (box) box[0] = bx, box[1] = by, box[2] = bw, box[3] = bh;
    cv_blend_rect(cv, bx, by, bw, bh, t->bg, 0.88);
    cv_line(cv, bx + 0.5, by + 0.5, bx + bw - 0.5, by + 0.5, 1, t->grid, 1);
    cv_line(cv, bx + bw - 0.5, by + 0.5, bx + bw - 0.5, by + bh - 0.5, 1, t->grid, 1);
    cv_line(cv, bx + 0.5, by + bh - 0.5, bx + bw - 0.5, by + bh - 0.5, 1, t->grid, 1);
    cv_line(cv, bx + 0.5, by + 0.5, bx + 0.5, by + bh - 0.5, 1, t->grid, 1);
    for (int i = 0; i < n; i++) {
        double cy = by + pad + i * h + h / 2.0;
        if (lines == 1 && cmap_is_light(cols[i]))
            cv_line(cv, bx + pad, cy, bx + pad + sample, cy, t->line * 1.3 + 2.4 * t->scale,
                    LIGHT_EDGE, 1);
        if (lines == 1)
            cv_line(cv, bx + pad, cy, bx + pad + sample, cy, t->line * 1.3, cols[i], 1);
        else if (lines == 2)
            cv_fill_rect(cv, bx + pad + sample / 4, (int)(cy - sample / 4.0), sample / 2,
                         sample / 2, cols[i]);
        else
            cv_disc(cv, bx + pad + sample / 2.0, cy, t->point * 1.2, cols[i]);
        text_draw(cv, a, FONT_SANS, t->small, names[i], bx + 2 * pad + sample, (int)cy,
                  ALIGN_LEFT | ALIGN_MIDDLE, t->fg, 0);
    }
}

int legend_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_frame *f,
                const char *const *names, const uint32_t *cols, int n, int lines,
                const uint32_t *base, int *box) {
    if (n <= 0) return 0;
    int bw, bh, h, pad = t->pad;
    legend_size(a, t, names, n, &bw, &bh, &h);
    /* corners first (ties keep the earlier), then the middles of the edges; each box is
     * judged with a pad of headroom around it, so the legend does not touch the data */
    int xl = f->x0 + pad + (int)lround(t->axis), xr = f->x1 - bw - pad, xm = (xl + xr) / 2;
    int yt = f->y0 + pad, yb = f->y1 - bh - pad, ym = (yt + yb) / 2;
    const int cand[8][2] = {{xr, yt}, {xl, yt}, {xr, yb}, {xl, yb},
                            {xm, yt}, {xm, yb}, {xr, ym}, {xl, ym}};
    int bx = xr, by = yt, least = -1;
    for (int c = 0; c < 8; c++) {
        if (cand[c][0] < f->x0 || cand[c][1] < f->y0) continue; /* larger than the frame */
        int ink =
            ink_in(cv, t, f, base, cand[c][0] - pad, cand[c][1] - pad, bw + 2 * pad, bh + 2 * pad);
        if (least < 0 || ink < least) least = ink, bx = cand[c][0], by = cand[c][1];
    }
    /* every place hides data: tell the caller, who makes room beside the plot */
    if (least < 0 || least > (bw + 2 * pad) * (bh + 2 * pad) / 100) return 1;
    legend_draw_at(cv, a, t, bx, by, names, cols, n, lines, box);
    return 0;
}

static int bar_ticks(double lo, double hi, int log, int maxn, double *out, double *step) {
    viz_axis ax = {lo, hi, log};
    return make_ticks(&ax, maxn, out, step);
}

int colorbar_width(viz_app *a, const viz_theme *t, double lo, double hi, int log) {
    double tk[VIZ_MAX_TICKS + 2], step;
    int n = bar_ticks(lo, hi, log, 8, tk, &step), wmax = 0, w, h;
    tk[n++] = lo, tk[n++] = hi;
    char lab[VIZ_MAX_TICKS + 2][VIZ_TICK_LABEL];
    ticks_labels(tk, n, step, log, 2, lab);
    for (int i = 0; i < n; i++) {
        text_size(a, FONT_SANS, t->small, lab[i], &w, &h);
        if (w > wmax) wmax = w;
    }
    return 2 * t->pad + (int)lround(16 * t->scale) + tick_tail(t) + t->pad / 2 + wmax;
}

void colorbar_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_frame *f, int x,
                   int bw, viz_map m, double lo, double hi, int log, const double *levels,
                   int nlevels) {
    int y0 = f->y0, y1 = f->y1;
    double l0 = log ? log10(lo) : lo, l1 = log ? log10(hi) : hi;
    for (int y = y0; y < y1; y++) {
        double u = 1 - (y + 0.5 - y0) / (y1 - y0);
        cv_fill_rect(cv, x, y, bw, 1, cmap_apply(m, u));
    }
    /* contour levels as white-edged dark marks across the bar */
    for (int i = 0; i < nlevels; i++) {
        double v = log ? log10(levels[i]) : levels[i];
        double y = y1 - (v - l0) / (l1 - l0) * (y1 - y0);
        if (y >= y0 && y <= y1) cv_line(cv, x, y, x + bw, y, t->thin, t->fg, 0.8);
    }
    cv_line(cv, x - 0.5, y0 - 0.5, x + bw + 0.5, y0 - 0.5, 1, t->box, 1);
    cv_line(cv, x - 0.5, y1 + 0.5, x + bw + 0.5, y1 + 0.5, 1, t->box, 1);
    cv_line(cv, x - 0.5, y0 - 0.5, x - 0.5, y1 + 0.5, 1, t->box, 1);
    cv_line(cv, x + bw + 0.5, y0 - 0.5, x + bw + 0.5, y1 + 0.5, 1, t->box, 1);
    double tk[VIZ_MAX_TICKS + 2], step;
    int sw, sh;
    text_size(a, FONT_SANS, t->small, "0", &sw, &sh);
    int maxn = (int)((y1 - y0) / (3.0 * sh)) + 1;
    int n = bar_ticks(lo, hi, log, maxn < 2 ? 2 : maxn, tk, &step);
    /* both ends are always labelled (the range of the data): nice ticks too close to
     * an end make way for it */
    int kept = 0;
    for (int i = 0; i < n; i++) {
        double v = log ? log10(tk[i]) : tk[i];
        double py = y1 - (v - l0) / (l1 - l0) * (y1 - y0);
        if (py > y0 + 1.2 * sh && py < y1 - 1.2 * sh) tk[kept++] = tk[i];
    }
    n = kept;
    tk[n++] = lo, tk[n++] = hi;
    char lab[VIZ_MAX_TICKS + 2][VIZ_TICK_LABEL];
    ticks_labels(tk, n, step, log, 2, lab);
    for (int i = 0; i < n; i++) {
        double v = log ? log10(tk[i]) : tk[i];
        if (v < fmin(l0, l1) - 1e-9 * fabs(l1 - l0) || v > fmax(l0, l1) + 1e-9 * fabs(l1 - l0))
            continue;
        double y = floor(y1 - (v - l0) / (l1 - l0) * (y1 - y0)) + 0.5;
        if (i >= n - 2) y = i == n - 2 ? y1 - 0.5 : y0 + 0.5;
        cv_line(cv, x + bw, y, x + bw + tick_tail(t), y, t->axis, t->box, 1);
        text_draw(cv, a, FONT_SANS, t->small, lab[i], x + bw + tick_tail(t) + t->pad / 2, (int)y,
                  ALIGN_LEFT | ALIGN_MIDDLE, t->muted, 0);
    }
}

void draw_with_legend_room(legend_room_draw draw, viz_canvas *cv, viz_app *a, const viz_theme *t,
                           viz_panel *p, viz_layout *lay) {
    int room = draw(cv, a, t, p, lay, 0);
    if (!room) return;
    cv_fill_rect(cv, cv->cx0, cv->cy0, cv->cx1 - cv->cx0, cv->cy1 - cv->cy0, t->bg);
    draw(cv, a, t, p, lay, room);
}
