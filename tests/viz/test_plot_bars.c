/* test_plot_bars.c: bar and histogram geometry (heights proportional to the values),
 * and a label under every bar however many there are. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define W 400
#define H 300

/* The far end of the bar of colour col in column x: its top row, or its bottom row
 * when down (a bar below zero), as the pixel edge it ends on. */
static int bar_end(const uint32_t *px, int x, uint32_t col, int down) {
    int end = -1;
    for (int y = 0; y < H; y++)
        if (vt_dist(px[(size_t)y * W + x], col) <= 8) {
            if (!down) return y;
            end = y + 1;
        }
    return end;
}

static void test_bars_heights_are_proportional_to_values(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_BARS);
    float v[5] = {1, 2, 3, 4, -2};
    assert_int_equal(viz_bars_set(p, v, 5, 1, NULL, NULL), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "bars_heights");
    /* each bar ends where its value is on the y axis, so heights go as the values */
    for (int g = 0; g < 5; g++) {
        int x = (int)frame_px(&lay.f, g + 1), e = bar_end(px, x, cmap_series(0), v[g] < 0);
        if (fabs(e - frame_py(&lay.f, v[g])) > 1)
            fail_msg("bar %d (value %g) ends at row %d, %.1f expected", g, v[g], e,
                     frame_py(&lay.f, v[g]));
    }
    /* the negative bar hangs below the zero line */
    int x = (int)frame_px(&lay.f, 5), y0 = (int)frame_py(&lay.f, 0);
    assert_true(vt_dist(px[(size_t)(y0 + 5) * W + x], cmap_series(0)) <= 8);
    assert_true(vt_dist(px[(size_t)(y0 - 5) * W + x], cmap_series(0)) > 8);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_hist_heights_follow_the_counts(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_HIST);
    float v[10] = {0.5f, 1.5f, 1.5f, 2.5f, 2.5f, 2.5f, 2.5f, 3.5f, 3.5f, 4};
    assert_int_equal(viz_hist_set(p, v, 10, 4), VIZ_OK); /* bins of [0.5, 4]: 1 2 4 3 */
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "hist_heights");
    static const int counts[4] = {1, 2, 4, 3};
    double bw = 3.5 / 4;
    for (int b = 0; b < 4; b++) {
        int x = (int)frame_px(&lay.f, 0.5 + (b + 0.5) * bw), e = bar_end(px, x, cmap_series(0), 0);
        if (fabs(e - frame_py(&lay.f, counts[b])) > 1)
            fail_msg("bin %d (count %d) ends at row %d, %.1f expected", b, counts[b], e,
                     frame_py(&lay.f, counts[b]));
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_bars_every_category_is_labelled(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_BARS);
    static const char *lab[10] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                  "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    float v[10] = {0.1f, 0.05f, 0.2f, 0.05f, 0.1f, 0.02f, 0.3f, 0.03f, 0.1f, 0.05f};
    assert_int_equal(viz_bars_set(p, v, 10, 1, lab, NULL), VIZ_OK);
    viz_panel_set_label(p, VIZ_TITLE, "Fashion-MNIST");
    for (int proj = 0; proj <= 1; proj++) {
        viz_layout lay;
        uint32_t *px = vt_render_mode(a, p, W, H, proj, &lay);
        vt_look(px, W, H, proj ? "bars_fashion_projector" : "bars_fashion");
        double gw = (lay.f.x1 - lay.f.x0) / 10.0;
        for (int g = 0; g < 10; g++) { /* text under each bar (6 of 10 before) */
            int x0 = (int)(lay.f.x0 + g * gw + 2), x1 = (int)(lay.f.x0 + (g + 1) * gw - 2);
            int ink = vt_dark(px, W, x0, lay.f.y1 + 4, x1, H, 160);
            if (ink < 15) fail_msg("projector %d: \"%s\" has %d px of text", proj, lab[g], ink);
        }
        free(px);
    }
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bars_heights_are_proportional_to_values),
        cmocka_unit_test(test_hist_heights_follow_the_counts),
        cmocka_unit_test(test_bars_every_category_is_labelled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
