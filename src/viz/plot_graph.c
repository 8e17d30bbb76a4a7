/* plot_graph.c: a directed graph (the computational graph autograd records) as boxes
 * with labels in columns by depth, left to right, and arrows from each node's inputs
 * to it. The layout is made when the graph is set: a node sits one column right of
 * its deepest input, a leaf just left of its first user, and rows are ordered by the
 * mean row of their neighbours (a few barycentre sweeps) so that arrows cross less. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

#define GRAPH_MAX_NODES 1000
#define GRAPH_MAX_EDGES 8000
#define GRAPH_SWEEPS    8

static void graph_clear(viz_panel *p) {
    for (int i = 0; i < p->gnodes; i++) free(p->nlabel[i]);
    free(p->nlabel), free(p->nstyle), free(p->efrom), free(p->eto), free(p->ncol), free(p->npos);
    p->nlabel = NULL, p->nstyle = p->efrom = p->eto = p->ncol = NULL, p->npos = NULL;
    p->gnodes = p->nedges = p->gcols = 0, p->gspan = 0;
}

/* Columns by depth (Kahn's order); VIZ_EINVAL when the edges make a cycle. */
static int depths(viz_panel *p, int n, const int *from, const int *to, int ne, int *col) {
    int *indeg = calloc((size_t)n, sizeof *indeg), *queue = malloc((size_t)n * sizeof *queue);
    if (!indeg || !queue) {
        free(indeg), free(queue);
        return panel_fail(p, VIZ_ENOMEM, "graph: out of memory for %d nodes", n);
    }
    for (int e = 0; e < ne; e++) indeg[to[e]]++;
    int head = 0, tail = 0;
    for (int i = 0; i < n; i++) {
        col[i] = 0;
        if (!indeg[i]) queue[tail++] = i;
    }
    while (head < tail) { /* O(n * edges): graphs drawn for people are small */
        int u = queue[head++];
        for (int e = 0; e < ne; e++)
            if (from[e] == u) {
                int v = to[e];
                if (col[u] + 1 > col[v]) col[v] = col[u] + 1;
                if (--indeg[v] == 0) queue[tail++] = v;
            }
    }
    free(indeg), free(queue);
    if (tail < n)
        return panel_fail(p, VIZ_EINVAL,
                          "graph: the edges form a cycle (%d of %d nodes "
                          "are on or after it)",
                          n - tail, n);
    /* a leaf moves next to its first user: weights sit beside the op that reads them */
    for (int i = 0; i < n; i++) {
        int has_in = 0, first = -1;
        for (int e = 0; e < ne; e++) {
            if (to[e] == i) has_in = 1;
            if (from[e] == i && (first < 0 || col[to[e]] < first)) first = col[to[e]];
        }
        if (!has_in && first > 0) col[i] = first - 1;
    }
    return VIZ_OK;
}

/* Places the nodes of each column along it (pos, in units of one box and its gap)
 * near the mean place of their neighbours in the column before (forward sweeps) or
 * after (backward sweeps), at least one unit apart: a chain of ops stays on a line
 * and the leaves it reads sit beside it. */
static void place(int n, const int *from, const int *to, int ne, const int *col, int ncols,
                  double *pos, int *ids, double *want) {
    for (int s = 0; s < GRAPH_SWEEPS; s++) {
        int fwd = s % 2 == 0;
        for (int k = 0; k < ncols; k++) {
            int c = fwd ? k : ncols - 1 - k, m = 0;
            for (int i = 0; i < n; i++)
                if (col[i] == c) ids[m++] = i;
            for (int a = 0; a < m; a++) {
                int i = ids[a], nn = 0;
                double sum = 0;
                for (int e = 0; e < ne; e++) {
                    int other = fwd ? (to[e] == i ? from[e] : -1) : (from[e] == i ? to[e] : -1);
                    if (other >= 0) sum += pos[other], nn++;
                }
                want[i] = nn ? sum / nn : pos[i];
            }
            for (int a = 1; a < m; a++) /* insertion sort: stable, and columns are short */
                for (int b = a; b > 0 && want[ids[b]] < want[ids[b - 1]]; b--) {
                    int tmp = ids[b];
                    ids[b] = ids[b - 1], ids[b - 1] = tmp;
                }
            double shift = 0;
            for (int a = 0; a < m; a++) {
                int i = ids[a];
                pos[i] = a ? fmax(want[i], pos[ids[a - 1]] + 1) : want[i];
                shift += want[i] - pos[i];
            }
            for (int a = 0; a < m; a++) pos[ids[a]] += shift / m; /* back towards the wishes */
        }
    }
    double lo = INFINITY;
    for (int i = 0; i < n; i++) lo = fmin(lo, pos[i]);
    for (int i = 0; i < n; i++) pos[i] -= lo;
}

int viz_graph_set(viz_panel *p, const char *const *labels, const int *styles, int n,
                  const int *from, const int *to, int nedges) {
    if (panel_want(p, "graph", VIZ_TAKES_GRAPH)) return VIZ_EINVAL;
    if (n < 1 || n > GRAPH_MAX_NODES || nedges < 0 || nedges > GRAPH_MAX_EDGES)
        return panel_fail(p, VIZ_EINVAL, "graph: %d nodes and %d edges (1 to %d nodes, %d edges)",
                          n, nedges, GRAPH_MAX_NODES, GRAPH_MAX_EDGES);
    for (int e = 0; e < nedges; e++)
        if (from[e] < 0 || from[e] >= n || to[e] < 0 || to[e] >= n || from[e] == to[e])
            return panel_fail(p, VIZ_EINVAL,
                              "graph: edge %d goes from node %d to node %d (%d nodes)", e + 1,
                              from[e] + 1, to[e] + 1, n);
    char **lab = calloc((size_t)n, sizeof *lab);
    int *sty = malloc((size_t)n * sizeof *sty), *ef = malloc((size_t)(nedges + 1) * sizeof *ef);
    int *et = malloc((size_t)(nedges + 1) * sizeof *et), *col = malloc((size_t)n * sizeof *col);
    double *pos = calloc((size_t)n, sizeof *pos), *want = malloc((size_t)n * sizeof *want);
    int *ids = malloc((size_t)n * sizeof *ids);
    int rc = VIZ_ENOMEM, ncols = 0, count[GRAPH_MAX_NODES] = {0};
    if (!lab || !sty || !ef || !et || !col || !pos || !ids || !want) {
        panel_fail(p, VIZ_ENOMEM, "graph: out of memory for %d nodes", n);
        goto err;
    }
    for (int i = 0; i < n; i++) {
        const char *s = labels && labels[i] ? labels[i] : "";
        if (!(lab[i] = strdup(s))) {
            panel_fail(p, VIZ_ENOMEM, "graph: out of memory for labels");
            goto err;
        }
    }
    memcpy(ef, from, (size_t)nedges * sizeof *ef);
    memcpy(et, to, (size_t)nedges * sizeof *et);
    if ((rc = depths(p, n, from, to, nedges, col)) != VIZ_OK) goto err;
    for (int i = 0; i < n; i++) {
        int has_in = 0;
        for (int e = 0; e < nedges && !has_in; e++) has_in = to[e] == i;
        /* without styles: operations (with inputs) and leaves */
        sty[i] = styles ? (styles[i] < 0 || styles[i] > 2 ? 0 : styles[i]) : (has_in ? 0 : 2);
        pos[i] = count[col[i]]++;
        if (col[i] + 1 > ncols) ncols = col[i] + 1;
    }
    place(n, from, to, nedges, col, ncols, pos, ids, want);
    graph_clear(p);
    p->nlabel = lab, p->nstyle = sty, p->efrom = ef, p->eto = et, p->ncol = col, p->npos = pos;
    p->gnodes = n, p->nedges = nedges, p->gcols = ncols, p->gspan = 0;
    for (int i = 0; i < n; i++) p->gspan = fmax(p->gspan, pos[i]);
    free(ids), free(want);
    p->version++;
    return VIZ_OK;
err:
    for (int i = 0; lab && i < n; i++) free(lab[i]);
    free(lab), free(sty), free(ef), free(et), free(col), free(pos), free(ids), free(want);
    return rc;
}

/* Lines of a label: up to 3, split at '\n', each copied into line[k]. */
static int label_lines(const char *s, char line[3][96]) {
    int k = 0;
    while (k < 3) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len > 95) len = 95;
        memcpy(line[k], s, len);
        line[k++][len] = 0;
        if (!nl) break;
        s = nl + 1;
    }
    return k;
}

/* The first line is the node's name (bold), the rest (its shape) smaller; compact
 * (many columns in a narrow panel: 1 or 2) a size or two smaller each. */
static int line_px(const viz_theme *t, int k, int compact) {
    int px = k ? t->small : t->font;
    return px - compact * (int)lround(2 * t->scale);
}

static void line_size(viz_app *a, const viz_theme *t, int compact, int k, const char *s, int *w,
                      int *h) {
    text_size(a, k ? FONT_SANS : FONT_BOLD, line_px(t, k, compact), s, w, h);
}

static void label_size(viz_app *a, const viz_theme *t, int compact, const char *label, int *w,
                       int *h) {
    char line[3][96];
    int nl = label_lines(label, line);
    *w = *h = 0;
    for (int k = 0; k < nl; k++) {
        int lw, lh;
        line_size(a, t, compact, k, line[k], &lw, &lh);
        if (lw > *w) *w = lw;
        *h += lh;
    }
    *w += (compact ? 1 : 2) * t->pad, *h += compact ? t->pad / 2 : t->pad;
}

void graph_geometry(viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int y0, int x1,
                    int y1, graph_geom *g) {
    int bw = 0, bh = 0;
    double W = x1 - x0, H = y1 - y0, slots = p->gspan + 1, across = 0, down = 0;
    for (g->compact = 0; g->compact < 3; g->compact++) {
        bw = bh = 0;
        for (int i = 0; i < p->gnodes; i++) {
            int w, h;
            label_size(a, t, g->compact, p->nlabel[i], &w, &h);
            if (w > bw) bw = w;
            if (h > bh) bh = h;
        }
        /* depth runs across or down, whichever gives the boxes more room */
        across = fmin(W / p->gcols / (bw * 1.2), H / slots / (bh * 1.6));
        down = fmin(W / slots / (bw * 1.15), H / p->gcols / (bh * 1.8));
        if (fmax(across, down) >= 1) break; /* the labels fit at full size */
    }
    if (g->compact > 2) g->compact = 2;
    g->down = down > across;
    double depth_len = g->down ? H : W, place_len = g->down ? W : H;
    g->dstep = depth_len / p->gcols, g->pstep = place_len / slots;
    /* a small graph keeps its boxes together instead of spreading over the panel */
    double dmax = (g->down ? bh : bw) * 2.6, pmax = (g->down ? bw : bh) * 2.2;
    if (g->dstep > dmax) g->dstep = dmax;
    if (g->pstep > pmax) g->pstep = pmax;
    double dw = g->dstep * p->gcols, pw = g->pstep * slots;
    g->ox = x0 + ((g->down ? pw : dw) < W ? (W - (g->down ? pw : dw)) / 2 : 0);
    g->oy = y0 + ((g->down ? dw : pw) < H ? (H - (g->down ? dw : pw)) / 2 : 0);
    g->maxw = (g->down ? g->pstep * 0.92 : g->dstep * 0.88);
    g->maxh = (g->down ? g->dstep * 0.62 : g->pstep * 0.85);
}

int graph_box(viz_app *a, const viz_theme *t, const viz_panel *p, const graph_geom *g, int i,
              int *bx, int *by, int *bw, int *bh) {
    if (i < 0 || i >= p->gnodes) return 0;
    double d = (p->ncol[i] + 0.5) * g->dstep, q = (p->npos[i] + 0.5) * g->pstep;
    double cx = g->ox + (g->down ? q : d), cy = g->oy + (g->down ? d : q);
    int w, h;
    label_size(a, t, g->compact, p->nlabel[i], &w, &h);
    if (w > g->maxw) w = (int)g->maxw; /* room for the arrows between boxes */
    if (h > g->maxh) h = (int)g->maxh;
    *bw = w, *bh = h;
    *bx = (int)lround(cx - w / 2.0), *by = (int)lround(cy - h / 2.0);
    return 1;
}

/* Shortens s with an ellipsis until it is at most w pixels wide: a label cut at the
 * box's edge mid-letter reads as another word. Cuts only between UTF-8 characters. */
static void fit_line(viz_app *a, const viz_theme *t, int compact, int k, char *s, size_t n, int w) {
    int tw, th;
    line_size(a, t, compact, k, s, &tw, &th);
    size_t len = strlen(s);
    while (tw > w && len > 1) {
        do len--;
        while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80);
        if (len + 4 > n) continue;
        memcpy(s + len, "\xe2\x80\xa6", 4); /* U+2026 and the terminating zero */
        line_size(a, t, compact, k, s, &tw, &th);
    }
}

/* The graph node whose place (a box's room) holds (px, py), or -1. */
static int graph_node_at(const viz_panel *p, const viz_layout *lay, int px, int py) {
    const graph_geom *g = &lay->gg;
    if (!p->gnodes || g->dstep <= 0) return -1;
    for (int i = 0; i < p->gnodes; i++) {
        double d = (p->ncol[i] + 0.5) * g->dstep, q = (p->npos[i] + 0.5) * g->pstep;
        double cx = g->ox + (g->down ? q : d), cy = g->oy + (g->down ? d : q);
        if (fabs(px + 0.5 - cx) <= g->maxw / 2 && fabs(py + 0.5 - cy) <= g->maxh / 2) return i;
    }
    return -1;
}

static void frame_rect(viz_canvas *cv, int x, int y, int w, int h, double wd, uint32_t col) {
    double l = x + 0.5, r = x + w - 0.5, tp = y + 0.5, b = y + h - 0.5;
    cv_line(cv, l, tp, r, tp, wd, col, 1);
    cv_line(cv, l, b, r, b, wd, col, 1);
    cv_line(cv, l, tp, l, b, wd, col, 1);
    cv_line(cv, r, tp, r, b, wd, col, 1);
}

static void arrow(viz_canvas *cv, const viz_theme *t, double x0, double y0, double x1, double y1,
                  uint32_t col) {
    double dx = x1 - x0, dy = y1 - y0, len = hypot(dx, dy);
    if (len < 1) return;
    dx /= len, dy /= len;
    double head = 8 * t->scale * (t->projector ? 1.5 : 1), half = head * 0.45;
    double bx = x1 - dx * head, by = y1 - dy * head;
    cv_line(cv, x0, y0, bx + dx, by + dy, t->thin * 1.4, col, 1);
    double tri[6] = {x1, y1, bx - dy * half, by + dx * half, bx + dy * half, by - dx * half};
    cv_triangle(cv, tri, col);
}

static void plot_graph(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                       viz_layout *lay) {
    lay->has = 0;
    title_draw(cv, a, t, p, cv->cx0, cv->cx1, cv->cy0 + t->pad);
    if (!p->gnodes) return;
    int x0 = cv->cx0 + t->pad, x1 = cv->cx1 - t->pad;
    int y0 = cv->cy0 + 2 * t->pad + title_height(a, t, p), y1 = cv->cy1 - t->pad;
    lay->nx0 = x0, lay->nx1 = x1, lay->top = y0, lay->bottom = y1;
    graph_geom g;
    graph_geometry(a, t, p, x0, y0, x1, y1, &g);
    lay->gg = g;
    for (int e = 0; e < p->nedges; e++) { /* arrows below the boxes */
        int ax, ay, aw, ah, bx, by, bw, bh;
        graph_box(a, t, p, &g, p->efrom[e], &ax, &ay, &aw, &ah);
        graph_box(a, t, p, &g, p->eto[e], &bx, &by, &bw, &bh);
        if (g.down)
            arrow(cv, t, ax + aw / 2.0, ay + ah, bx + bw / 2.0, by - 1, t->muted);
        else
            arrow(cv, t, ax + aw, ay + ah / 2.0, bx - 1, by + bh / 2.0, t->muted);
    }
    /* operations in the first series colour, weights (need a gradient) in the second,
     * data in gray: the three kinds of node the lessons talk about */
    uint32_t edge[3] = {cmap_series(0), cmap_series(1), t->box};
    for (int i = 0; i < p->gnodes; i++) {
        int bx, by, bw, bh;
        graph_box(a, t, p, &g, i, &bx, &by, &bw, &bh);
        int s = p->nstyle[i];
        uint32_t fill = s == 2 ? viz_rgb(238, 238, 238) : viz_mix(t->bg, edge[s], 0.16);
        cv_fill_rect(cv, bx, by, bw, bh, fill);
        frame_rect(cv, bx, by, bw, bh, t->axis, edge[s]);
        char line[3][96];
        int nl = label_lines(p->nlabel[i], line), th = 0, lh[3];
        for (int k = 0; k < nl; k++) {
            int lw;
            fit_line(a, t, g.compact, k, line[k], sizeof line[k], bw - 2);
            line_size(a, t, g.compact, k, line[k], &lw, &lh[k]);
            th += lh[k];
        }
        int cx0 = cv->cx0, cy0 = cv->cy0, cx1 = cv->cx1, cy1 = cv->cy1;
        /* long labels stay inside their box, and the box inside the panel */
        cv_clip(cv, bx + 1 > cx0 ? bx + 1 : cx0, by + 1 > cy0 ? by + 1 : cy0,
                bx + bw - 1 < cx1 ? bx + bw - 1 : cx1, by + bh - 1 < cy1 ? by + bh - 1 : cy1);
        int y = by + (bh - th) / 2;
        for (int k = 0; k < nl; k++) {
            text_draw(cv, a, k ? FONT_SANS : FONT_BOLD, line_px(t, k, g.compact), line[k],
                      bx + bw / 2, y, ALIGN_CENTER | ALIGN_TOP, k ? t->muted : t->fg, 0);
            y += lh[k];
        }
        cv_clip(cv, cx0, cy0, cx1, cy1);
    }
}

/* The node's whole label, on one line: boxes may shorten it. */
static int graph_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                       size_t n) {
    int g = graph_node_at(p, lay, px, py);
    if (g < 0) return 0;
    snprintf(buf, n, "%s", p->nlabel[g]);
    for (char *c = buf; *c; c++)
        if (*c == '\n') *c = ' ';
    return 1;
}

const viz_kind_def plot_graph_kind = {
    .name = "graph",
    .width = 980,
    .height = 480,
    .takes = VIZ_TAKES_GRAPH,
    .draw = plot_graph,
    .hover = graph_hover,
    .free = graph_clear, /* labels, styles, edges and the layout made when it is set */
};
