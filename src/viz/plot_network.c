/* plot_network.c: a network diagram: layers as columns of nodes, edges coloured by the
 * sign of their weight and thickened by its size, optionally a tiny heat map inside each
 * node (what the neuron computes over the input plane). Maps and edges share the
 * decision surface's two-class colours (cmap_two_class): as in the TensorFlow
 * Playground, one pair of hues says "class 1" and "class 2" everywhere. */
#include <math.h>
#include <stdio.h>

#include "vizint.h"

/* Each layer is spaced on its own over (top, bottom): a row of (bottom - top) / size,
 * at most 2.5 of the largest node, so that a 10-node layer beside a 64-node one is not
 * squeezed into the 64's spacing; nodes fill 80% of their row, at most lay->node. */
static void layer_place(const viz_panel *p, const viz_layout *lay, int l, double *rowh, double *cy0,
                        double *node) {
    *rowh = fmin((lay->bottom - lay->top) / (double)p->sizes[l], 2.5 * lay->node);
    *node = fmin(lay->node, *rowh * 0.8);
    if (*node < 3) *node = 3;
    *cy0 = (lay->top + lay->bottom) / 2.0 - (p->sizes[l] - 1) * *rowh / 2;
}

int network_node_centre(const viz_panel *p, const viz_layout *lay, int l, int i, double *x,
                        double *y, double *node) {
    if (l < 0 || l >= p->nlayers || i < 0 || i >= p->sizes[l] || lay->nx1 <= lay->nx0) return 0;
    double rowh, cy0;
    layer_place(p, lay, l, &rowh, &cy0, node);
    *x = lay->nx0 + (l + 0.5) * (lay->nx1 - lay->nx0) / (double)p->nlayers;
    *y = cy0 + i * rowh;
    return 1;
}

/* A neuron's map value v in -1..1: the two-class colours, or the diverging map of a
 * regression's surface when the panel's map is set to it (VIZ_MAP_DIVERGING), so the
 * maps always match the surface beside them. */
static uint32_t node_colour(const viz_panel *p, double v) {
    return p->map == VIZ_MAP_DIVERGING ? cmap_diverging(0.5 + 0.5 * v) : cmap_two_class(v);
}

/* An edge of weight w relative to the largest |weight| (-1..1): its colour, its width
 * and its opacity; the key draws with the same three. */
static uint32_t edge_colour(const viz_panel *p, double w) {
    return node_colour(p, w);
}
static double edge_width(const viz_theme *t, double w) {
    return t->thin * 0.6 + 4 * t->scale * fabs(w);
}
#define EDGE_ALPHA  0.9
#define MAP_RES_MAX 256 /* a map row's colours kept on the stack up to this */

/* The key of the edge colours from (x, y): the edges' own colours and widths from the
 * strongest negative weight through 0 to the strongest positive, between its words, in
 * words short enough for width w. */
static void weight_key(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p, int x,
                       int y, int w) {
    static const char *const words[3][2] = {
        {"negative weight", "positive weight"}, {"negative", "positive"}, {"\xe2\x88\x92", "+"}};
    int len = (int)lround(60 * t->scale), tw[2], th, k = 0;
    for (; k < 2; k++) { /* the longest words that fit */
        text_size(a, FONT_SANS, t->small, words[k][0], &tw[0], &th);
        text_size(a, FONT_SANS, t->small, words[k][1], &tw[1], &th);
        if (tw[0] + tw[1] + len + 2 * t->pad <= w) break;
    }
    text_size(a, FONT_SANS, t->small, words[k][0], &tw[0], &th);
    text_size(a, FONT_SANS, t->small, words[k][1], &tw[1], &th);
    text_draw(cv, a, FONT_SANS, t->small, words[k][0], x, y, ALIGN_LEFT | ALIGN_TOP, t->muted, 0);
    double x0 = x + tw[0] + t->pad, cy = y + th / 2.0;
    enum { STEPS = 24 };
    for (int i = 0; i < STEPS; i++) { /* pieces of the ramp, each at its weight */
        double wv = -1 + 2 * (i + 0.5) / STEPS;
        cv_line(cv, x0 + i * len / (double)STEPS, cy, x0 + (i + 1) * len / (double)STEPS, cy,
                edge_width(t, wv), edge_colour(p, wv), EDGE_ALPHA);
    }
    text_draw(cv, a, FONT_SANS, t->small, words[k][1], (int)(x0 + len + t->pad), y,
              ALIGN_LEFT | ALIGN_TOP, t->muted, 0);
}

static void plot_network(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                         viz_layout *lay) {
    lay->has = 0;
    int x0 = cv->cx0, x1 = cv->cx1, y1 = cv->cy1;
    title_draw(cv, a, t, p, x0, x1, cv->cy0 + t->pad);
    if (!p->nlayers) return;
    int sw, sh;
    text_size(a, FONT_SANS, t->small, "Ag", &sw, &sh);
    int top = cv->cy0 + t->pad + title_height(a, t, p) + t->pad;
    if (p->weights) { /* the key goes under the title */
        weight_key(cv, a, t, p, x0 + 2 * t->pad, top, x1 - x0 - 2 * t->pad);
        top += sh + t->pad;
    }
    int bottom = y1 - 2 * t->pad - sh;
    double colw = (x1 - x0) / (double)p->nlayers;
    lay->nx0 = x0, lay->nx1 = x1, lay->top = top, lay->bottom = bottom;
    lay->node = fmin(colw * 0.3, 64 * t->scale);
    /* node centres and sizes */
    double cx[64], cy0[64], dy[64], nd[64];
    for (int l = 0; l < p->nlayers; l++) {
        cx[l] = x0 + (l + 0.5) * colw;
        layer_place(p, lay, l, &dy[l], &cy0[l], &nd[l]);
    }
    double wmax = 0;
    for (size_t i = 0; i < p->nweights; i++) wmax = fmax(wmax, fabs(p->weights[i]));
    size_t off = 0;
    for (int l = 0; l + 1 < p->nlayers; l++) {
        int ni = p->sizes[l], nj = p->sizes[l + 1];
        for (int i = 0; i < ni; i++)
            for (int j = 0; j < nj; j++) {
                double x0e = cx[l] + nd[l] / 2, y0e = cy0[l] + i * dy[l];
                double x1e = cx[l + 1] - nd[l + 1] / 2, y1e = cy0[l + 1] + j * dy[l + 1];
                if (p->weights && wmax > 0) {
                    double w = p->weights[off + (size_t)i * nj + j] / wmax;
                    /* weak weights fade towards white */
                    cv_line(cv, x0e, y0e, x1e, y1e, edge_width(t, w), edge_colour(p, w),
                            EDGE_ALPHA);
                } else {
                    cv_line(cv, x0e, y0e, x1e, y1e, t->thin, t->grid, 1);
                }
            }
        off += (size_t)ni * nj;
    }
    double mabs = 0;
    size_t nm = (size_t)p->nmaps * p->mapres * p->mapres;
    for (size_t i = 0; i < nm; i++) mabs = fmax(mabs, fabs(p->maps[i]));
    /* maps within -1..1 (the Playground's scale: 2p - 1 for the output) are shown as
     * they are, so the output's map has the decision surface's colours; larger ones are
     * scaled down together */
    double div = mabs > 1 ? mabs : 1; /* fmax(mabs, 1) without the call (never NaN) */
    int k = 0;
    for (int l = 0; l < p->nlayers; l++) {
        double node = nd[l];
        for (int i = 0; i < p->sizes[l]; i++, k++) {
            double x = cx[l], y = cy0[l] + i * dy[l];
            if (p->maps && k < p->nmaps && mabs > 0) {
                int n = (int)node, res = p->mapres;
                const float *m = p->maps + (size_t)k * res * res;
                int bx = (int)lround(x - node / 2), by = (int)lround(y - node / 2);
                /* each map row's colours once, then the pixels straight in (cv_fill_rect
                 * and a colour per pixel cost a live network view most of its time) */
                uint32_t rowc[MAP_RES_MAX];
                int rprev = -1, xa = bx > cv->cx0 ? 0 : cv->cx0 - bx;
                int xb = bx + n < cv->cx1 ? n : cv->cx1 - bx;
                for (int yy = 0; yy < n && res <= MAP_RES_MAX; yy++) {
                    if (by + yy < cv->cy0 || by + yy >= cv->cy1) continue;
                    int r = (n - 1 - yy) * res / n; /* row 0 at bottom */
                    if (r != rprev)
                        for (int c = 0; c < res; c++)
                            rowc[c] = node_colour(p, m[(size_t)r * res + c] / div) | 0xff000000u;
                    rprev = r;
                    uint32_t *out = cv->px + (size_t)(by + yy) * cv->w + bx;
                    for (int xx = xa; xx < xb; xx++) out[xx] = rowc[xx * res / n];
                }
                for (int yy = 0; yy < n && res > MAP_RES_MAX; yy++)
                    for (int xx = 0; xx < n; xx++) {
                        int r = (n - 1 - yy) * res / n, c = xx * res / n;
                        cv_fill_rect(cv, bx + xx, by + yy, 1, 1,
                                     node_colour(p, m[(size_t)r * res + c] / div));
                    }
                cv_line(cv, bx - 0.5, by - 0.5, bx + n + 0.5, by - 0.5, t->thin, t->box, 1);
                cv_line(cv, bx - 0.5, by + n + 0.5, bx + n + 0.5, by + n + 0.5, t->thin, t->box, 1);
                cv_line(cv, bx - 0.5, by - 0.5, bx - 0.5, by + n + 0.5, t->thin, t->box, 1);
                cv_line(cv, bx + n + 0.5, by - 0.5, bx + n + 0.5, by + n + 0.5, t->thin, t->box, 1);
            } else {
                cv_disc(cv, x, y, node / 2, t->box);
                cv_disc(cv, x, y, node / 2 - t->axis, viz_rgb(255, 255, 255));
            }
        }
        char buf[64];
        if (p->lname && p->lname[l])
            snprintf(buf, sizeof buf, "%s", p->lname[l]);
        else if (l == 0)
            snprintf(buf, sizeof buf, "input %d", p->sizes[l]);
        else if (l == p->nlayers - 1)
            snprintf(buf, sizeof buf, "output %d", p->sizes[l]);
        else
            snprintf(buf, sizeof buf, "%d", p->sizes[l]);
        text_draw(cv, a, FONT_SANS, t->small, buf, (int)cx[l], bottom + t->pad,
                  ALIGN_CENTER | ALIGN_TOP, t->muted, 0);
    }
}

int network_node_at(const viz_panel *p, const viz_layout *lay, int px, int py, int *layer,
                    int *node) {
    if (!p->nlayers || lay->node <= 0 || lay->nx1 <= lay->nx0) return 0;
    double colw = (lay->nx1 - lay->nx0) / (double)p->nlayers;
    int l = (int)floor((px + 0.5 - lay->nx0) / colw);
    if (l < 0 || l >= p->nlayers) return 0;
    double rowh, cy0, size, cx, cy;
    layer_place(p, lay, l, &rowh, &cy0, &size);
    if (!(rowh > 0)) return 0;
    int i = (int)lround((py + 0.5 - cy0) / rowh);
    if (!network_node_centre(p, lay, l, i, &cx, &cy, &size)) return 0;
    /* the node's box, and a few pixels around it: small nodes stay easy to hit */
    double half = size / 2 + 3;
    if (fabs(px + 0.5 - cx) > half || fabs(py + 0.5 - cy) > half) return 0;
    *layer = l, *node = i;
    return 1;
}

/* The node under the cursor, by its place in the network. */
static int network_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                         size_t n) {
    int l, i;
    if (!network_node_at(p, lay, px, py, &l, &i)) return 0;
    if (l == 0)
        snprintf(buf, n, "input %d", i + 1);
    else if (l == p->nlayers - 1)
        snprintf(buf, n, "output %d", i + 1);
    else
        snprintf(buf, n, "layer %d, neuron %d", l, i + 1);
    return 1;
}

const viz_kind_def plot_network_kind = {
    .name = "network",
    .width = 720,
    .height = 520,
    .takes = VIZ_TAKES_NETWORK,
    .draw = plot_network,
    .hover = network_hover,
    .item_at = network_node_at,
};
