/* test_plot_graph.c: a graph panel draws each node's box where its layout says, with
 * the label inside, an arrow between the boxes of each edge, depth from left to right
 * (leaves next to their first user), and refuses cycles and edges out of range. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define W 800
#define H 560

/* lesson 02's E = 0.5 * sum((T - sigmoid(sigmoid(X V + V0) W + W0))^2) */
static const char *lab[] = {"X\n1×3",   "V\n3×3",       "matmul\n1×3",  "V0\n1×3",
                            "add\n1×3", "sigmoid\n1×3", "W\n3×2",       "matmul\n1×2",
                            "W0\n1×2",  "add\n1×2",     "sigmoid\n1×2", "T\n1×2",
                            "sub\n1×2", "pow\n1×2",     "sum\n1",       "mul\n1"};
static const int sty[] = {2, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 2, 0, 0, 0, 0};
static const int from[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10, 12, 13, 14};
static const int to[] = {2, 2, 4, 4, 5, 7, 7, 9, 9, 10, 12, 12, 13, 14, 15};
enum { N = 16, E = 15 };

static viz_panel *graph(void) {
    viz_panel *p = viz_panel_new(VIZ_GRAPH);
    viz_panel_set_label(p, VIZ_TITLE, "graph");
    assert_int_equal(viz_graph_set(p, lab, sty, N, from, to, E), VIZ_OK);
    return p;
}

static void area(viz_app *a, const viz_theme *t, const viz_panel *p, graph_geom *g) {
    int top = 2 * t->pad + title_height(a, t, p);
    graph_geometry(a, t, p, t->pad, top, W - t->pad, H - t->pad, g);
}

static void test_graph_layout_goes_by_depth(void **state) {
    (void)state;
    viz_panel *p = graph();
    for (int e = 0; e < E; e++) assert_true(p->ncol[from[e]] < p->ncol[to[e]]);
    /* leaves sit just before their user: W beside the second matmul, T beside sub */
    assert_int_equal(p->ncol[6], p->ncol[7] - 1);
    assert_int_equal(p->ncol[11], p->ncol[12] - 1);
    assert_int_equal(p->ncol[15], p->gcols - 1); /* the result is last */
    /* nodes of one column are at least one place apart */
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            if (p->ncol[i] == p->ncol[j]) assert_true(fabs(p->npos[i] - p->npos[j]) >= 1 - 1e-9);
    viz_panel_free(p);
}

static void test_graph_draws_boxes_labels_and_arrows(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = graph();
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "graph_content");
    viz_theme t;
    theme_make(&t, 1, 0);
    graph_geom g;
    area(a, &t, p, &g);
    int box[N][4];
    for (int i = 0; i < N; i++) {
        int *b = box[i];
        assert_true(graph_box(a, &t, p, &g, i, &b[0], &b[1], &b[2], &b[3]));
        assert_true(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= W && b[1] + b[3] <= H);
        assert_true(b[2] > 20 && b[3] > 20);
        /* the box's fill covers much of it, the label's ink is inside */
        uint32_t edge = sty[i] == 2 ? t.box : cmap_series(sty[i]);
        uint32_t fill = sty[i] == 2 ? viz_rgb(238, 238, 238) : viz_mix(t.bg, edge, 0.16);
        int inner = (b[2] - 4) * (b[3] - 4);
        int filled = vt_count(px, W, b[0] + 2, b[1] + 2, b[0] + b[2] - 2, b[1] + b[3] - 2, fill, 3);
        int ink = vt_dark(px, W, b[0] + 2, b[1] + 2, b[0] + b[2] - 2, b[1] + b[3] - 2, 100);
        if (filled < inner / 3 || ink < 15)
            fail_msg("node %d (%s): %d of %d pixels filled, %d of ink", i, lab[i], filled, inner,
                     ink);
        /* its border in the style's colour, on the left edge's middle */
        assert_true(vt_dist(px[(b[1] + b[3] / 2) * W + b[0]], edge) < 60);
        /* boxes do not overlap */
        for (int j = 0; j < i; j++) {
            int *c = box[j];
            int apart = b[0] + b[2] <= c[0] || c[0] + c[2] <= b[0] || b[1] + b[3] <= c[1] ||
                        c[1] + c[3] <= b[1];
            if (!apart) fail_msg("boxes of %s and %s overlap", lab[i], lab[j]);
        }
    }
    /* hover over a box names its node, with the whole label */
    char buf[128];
    int *m = box[7];
    assert_true(panel_hover_text(p, &lay, m[0] + m[2] / 2, m[1] + m[3] / 2, buf, sizeof buf));
    assert_string_equal(buf, "matmul 1×2");
    /* each edge: dark pixels midway between its two boxes, on the arrow */
    for (int e = 0; e < E; e++) {
        int *s = box[from[e]], *d = box[to[e]];
        double x0 = g.down ? s[0] + s[2] / 2.0 : s[0] + s[2],
               y0 = g.down ? s[1] + s[3] : s[1] + s[3] / 2.0;
        double x1 = g.down ? d[0] + d[2] / 2.0 : d[0], y1 = g.down ? d[1] : d[1] + d[3] / 2.0;
        int mx = (int)((x0 + x1) / 2), my = (int)((y0 + y1) / 2);
        int n = vt_dark(px, W, mx - 2, my - 2, mx + 3, my + 3, 160);
        if (n < 2)
            fail_msg("edge %s -> %s: no arrow at (%d, %d)", lab[from[e]], lab[to[e]], mx, my);
    }
    /* and none between two nodes that are not joined: X and V0 */
    int *x = box[0], *v0 = box[3];
    int mx = (x[0] + x[2] + v0[0]) / 2, my = (x[1] + x[3] / 2 + v0[1] + v0[3] / 2) / 2;
    int empty = 1;
    for (int i = 0; i < N; i++) /* unless a box happens to lie there */
        if (mx >= box[i][0] - 3 && mx < box[i][0] + box[i][2] + 3 && my >= box[i][1] - 3 &&
            my < box[i][1] + box[i][3] + 3)
            empty = 0;
    if (empty) assert_int_equal(vt_dark(px, W, mx - 1, my - 1, mx + 2, my + 2, 200), 0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_graph_refuses_cycles_and_bad_edges(void **state) {
    (void)state;
    viz_panel *p = viz_panel_new(VIZ_GRAPH);
    const char *l3[] = {"a", "b", "c"};
    int f[] = {0, 1, 2}, t[] = {1, 2, 0};
    assert_int_equal(viz_graph_set(p, l3, NULL, 3, f, t, 3), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "cycle"));
    int f2[] = {0}, t2[] = {5};
    assert_int_equal(viz_graph_set(p, l3, NULL, 3, f2, t2, 1), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "edge 1 goes from node 1 to node 6 (3 nodes)"));
    /* a good graph after the refusals; styles default to op (has inputs) or data */
    int f3[] = {0, 1}, t3[] = {2, 2};
    assert_int_equal(viz_graph_set(p, l3, NULL, 3, f3, t3, 2), VIZ_OK);
    assert_int_equal(p->nstyle[0], 2);
    assert_int_equal(p->nstyle[2], 0);
    viz_panel *q = viz_panel_new(VIZ_FIELD);
    assert_int_equal(viz_graph_set(q, l3, NULL, 3, f3, t3, 2), VIZ_EINVAL);
    viz_panel_free(q);
    viz_panel_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graph_layout_goes_by_depth),
        cmocka_unit_test(test_graph_draws_boxes_labels_and_arrows),
        cmocka_unit_test(test_graph_refuses_cycles_and_bad_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
