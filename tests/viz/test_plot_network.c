/* test_plot_network.c: each layer spaced on its own, edges coloured by the sign of
 * their weight (the decision surface's two class colours) and widened by its size, the
 * key that says which colour is which in the edges' own colours, and names under the
 * layers. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define W 440
#define H 440

static void test_network_layers_are_spaced_on_their_own(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_NETWORK);
    int sizes[3] = {64, 16, 10};
    assert_int_equal(viz_network_set(p, sizes, 3, NULL), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "network_64_16_10");
    for (int l = 1; l < 3; l++) { /* 16 and 10 nodes were squeezed into 100 of 440 px */
        double xa, ya, xb, yb, node;
        assert_true(network_node_centre(p, &lay, l, 0, &xa, &ya, &node));
        assert_true(network_node_centre(p, &lay, l, sizes[l] - 1, &xb, &yb, &node));
        if (yb - ya < 0.6 * (lay.bottom - lay.top))
            fail_msg("layer %d spans %.0f of %d px", l, yb - ya, lay.bottom - lay.top);
        /* a node is drawn there (dark outline), and hover finds it */
        assert_true(vt_dark(px, W, (int)xb - (int)node, (int)yb - (int)node, (int)xb + (int)node,
                            (int)yb + (int)node, 120) > 4);
        int hl, hi;
        assert_true(network_node_at(p, &lay, (int)xb, (int)yb, &hl, &hi));
        assert_int_equal(hl, l);
        assert_int_equal(hi, sizes[l] - 1);
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

/* Pixels of the vertical run through (x, y) that are not white, and the colour at y. */
static int run_width(const uint32_t *px, int x, int y, uint32_t *mid) {
    *mid = px[(size_t)y * W + x];
    int n = 0;
    for (int d = -8; d <= 8; d++)
        n += vt_dist(px[(size_t)(y + d) * W + x], viz_rgb(255, 255, 255)) > 25;
    return n;
}

static void test_network_edges_by_weight_sign_and_size(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_NETWORK);
    int sizes[2] = {2, 1};
    float w[2] = {1.0f, -0.25f};
    assert_int_equal(viz_network_set(p, sizes, 2, w), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "network_edges");
    double ox, oy, on, wid[2];
    uint32_t seen[2];
    assert_true(network_node_centre(p, &lay, 1, 0, &ox, &oy, &on));
    for (int i = 0; i < 2; i++) {
        double ix, iy, in;
        assert_true(network_node_centre(p, &lay, 0, i, &ix, &iy, &in));
        double x0 = ix + in / 2, x1 = ox - on / 2, mx = (x0 + x1) / 2;
        double my = iy + (oy - iy) * (mx - x0) / (x1 - x0);
        uint32_t mid;
        wid[i] = run_width(px, (int)mx, (int)my, &mid);
        seen[i] = mid;
        uint32_t want = viz_mix(viz_rgb(255, 255, 255), cmap_two_class(w[i]), 0.9);
        if (vt_dist(mid, want) > 30)
            fail_msg("edge of weight %g: colour %06x, %06x expected", w[i], mid & 0xffffff,
                     want & 0xffffff);
    }
    uint32_t pos = cmap_two_class(1), neg = cmap_two_class(-1);
    assert_true(viz_r(pos) > viz_b(pos)); /* orange (class 2) for positive, blue for negative */
    assert_true(viz_b(neg) > viz_r(neg));
    assert_int_equal(neg, viz_mix(viz_rgb(255, 255, 255), cmap_series(0), 0.7)); /* class 1's */
    if (!(wid[0] > wid[1] + 1.5))
        fail_msg("edge widths %.0f (|w| = 1) and %.0f (|w| = 0.25)", wid[0], wid[1]);
    /* the key above the nodes shows both colours: the very colours the edges have */
    assert_true(vt_count(px, W, 0, 0, W, lay.top, seen[0], 12) > 3);
    assert_true(vt_count(px, W, 0, 0, W, lay.top, seen[1], 12) > 3);
    assert_true(vt_count(px, W, 0, 0, W, lay.top, viz_mix(viz_rgb(255, 255, 255), neg, 0.9), 12) >
                3);
    assert_true(vt_dark(px, W, 0, 0, W, lay.top, 140) > 40); /* and its words */
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_network_key_fits_a_narrow_panel(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_NETWORK);
    int sizes[2] = {2, 1};
    float w[2] = {1.0f, -1.0f};
    assert_int_equal(viz_network_set(p, sizes, 2, w), VIZ_OK);
    enum { NW = 180 };
    for (int proj = 0; proj <= 1; proj++) {
        viz_layout lay;
        uint32_t *px = vt_render_mode(a, p, NW, 240, proj, &lay);
        vt_look(px, NW, 240, proj ? "network_narrow_projector" : "network_narrow");
        /* the key's words end inside the panel */
        assert_int_equal(vt_dark(px, NW, NW - 3, 0, NW, lay.top, 200), 0);
        assert_true(vt_count(px, NW, 0, 0, NW, lay.top,
                             viz_mix(viz_rgb(255, 255, 255), cmap_two_class(-1), 0.9), 20) > 4);
        free(px);
    }
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_network_names_its_layers(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_NETWORK);
    int sizes[3] = {2, 4, 1};
    assert_int_equal(viz_network_set(p, sizes, 3, NULL), VIZ_OK);
    viz_layout lay;
    uint32_t *plain = vt_render(a, p, W, H, &lay);
    const char *names[3] = {"input 2", "4 tanh", "output 1 sigmoid"};
    assert_int_equal(viz_network_set_names(p, names, 2), VIZ_EINVAL); /* one a layer */
    assert_int_equal(viz_network_set_names(p, names, 3), VIZ_OK);
    uint32_t *named = vt_render(a, p, W, H, &lay);
    vt_look(named, W, H, "network_names");
    /* under the hidden layer "4 tanh" has more ink than "4" */
    int cx = W / 2, y0 = lay.bottom, y1 = H;
    int ink0 = vt_dark(plain, W, cx - 60, y0, cx + 60, y1, 160);
    int ink1 = vt_dark(named, W, cx - 60, y0, cx + 60, y1, 160);
    if (!(ink1 > 2 * ink0)) fail_msg("ink under the hidden layer: %d, named %d", ink0, ink1);
    /* a new network drops them */
    assert_int_equal(viz_network_set(p, sizes, 3, NULL), VIZ_OK);
    uint32_t *again = vt_render(a, p, W, H, &lay);
    assert_int_equal(vt_dark(again, W, cx - 60, y0, cx + 60, y1, 160), ink0);
    free(plain), free(named), free(again);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_layers_are_spaced_on_their_own),
        cmocka_unit_test(test_network_edges_by_weight_sign_and_size),
        cmocka_unit_test(test_network_key_fits_a_narrow_panel),
        cmocka_unit_test(test_network_names_its_layers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
