/* test_plot_lines.c: title, legend and series land where the layout puts them; log
 * axes and long series work. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define W 800
#define H 500

static void test_lines_title_and_legend_are_placed(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    viz_panel_set_label(p, VIZ_TITLE, "Loss");
    float y1[50], y2[50];
    for (int i = 0; i < 50; i++) y1[i] = 1.0f / (i + 1), y2[i] = 0.5f / (i + 1);
    viz_series_add(p, "train", NULL, y1, 50);
    viz_series_add(p, "validation", NULL, y2, 50);
    viz_panel_set_range(p, 1, 0, 10); /* curves hug the bottom, away from the legend */
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "lines_legend");
    const viz_frame *f = &lay.f;
    /* title: dark pixels centred above the plot area, none in the corners of its band */
    assert_true(vt_dark(px, W, W / 2 - 40, 0, W / 2 + 40, f->y0, 100) > 20);
    assert_int_equal(vt_dark(px, W, 0, 0, W / 4, f->y0 - 10, 200), 0);
    assert_int_equal(vt_dark(px, W, 3 * W / 4, 0, W, f->y0 - 10, 200), 0);
    /* legend: both series colours and dark text in the top-right corner of the plot */
    int lx0 = f->x1 - 220, ly1 = f->y0 + 70;
    assert_true(vt_count(px, W, lx0, f->y0, f->x1, ly1, cmap_series(0), 10) > 20);
    assert_true(vt_count(px, W, lx0, f->y0, f->x1, ly1, cmap_series(1), 10) > 20);
    assert_true(vt_dark(px, W, lx0, f->y0, f->x1, ly1, 100) > 30);
    /* and not in the top-left corner */
    assert_int_equal(vt_count(px, W, f->x0 + 5, f->y0 + 2, f->x0 + 200, ly1, cmap_series(1), 10),
                     0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_lines_series_pixels_follow_data(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float x[2] = {0, 10}, y[2] = {0, 10};
    viz_series_add(p, "data", x, y, 2);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    for (double v = 1; v < 10; v += 0.5) {
        int X = (int)frame_px(&lay.f, v), Y = (int)frame_py(&lay.f, v);
        assert_true(vt_dist(px[Y * W + X], cmap_series(0)) < 40);
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_lines_log_axis_maps_decades_evenly(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float y[4] = {1000, 100, 10, 1};
    viz_series_add(p, "loss", NULL, y, 4);
    viz_panel_set_log(p, 0, 1);
    viz_layout lay;
    free(vt_render(a, p, W, H, &lay));
    double d1 = frame_py(&lay.f, 10) - frame_py(&lay.f, 100);
    double d2 = frame_py(&lay.f, 100) - frame_py(&lay.f, 1000);
    assert_true(fabs(d1 - d2) < 1e-6 && d1 > 50);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_lines_many_points_render(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    enum { N = 100000 };
    float *y = malloc(N * sizeof *y);
    for (int i = 0; i < N; i++) y[i] = (float)(exp(-i / 20000.0) + 0.05 * sin(i * 0.7));
    assert_int_equal(viz_series_add(p, "train", NULL, y, N), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "lines_100k");
    /* decimation keeps the extremes: the band of the wiggle is drawn, not a thin line */
    int X = (int)frame_px(&lay.f, 50000);
    int n = vt_count(px, W, X, lay.f.y0, X + 1, lay.f.y1, cmap_series(0), 30);
    assert_true(n >= 10);
    free(px), free(y);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_lines_rejects_setters_of_other_kinds(void **state) {
    (void)state;
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float v[4] = {0};
    assert_int_equal(viz_field_set(p, v, 2, 2, 0, 1, 0, 1), VIZ_EINVAL);
    assert_string_equal(viz_panel_error(p), "field: not available on a lines panel");
    assert_int_equal(viz_series_set_smooth(p, 1.5), VIZ_EINVAL);
    viz_panel_free(p);
}

static void test_lines_hover_names_nearest_point(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float x[3] = {10, 20, 30}, y[3] = {0.5f, 0.25f, 0.125f};
    viz_series_add(p, "train", x, y, 3);
    viz_layout lay;
    free(vt_render(a, p, W, H, &lay));
    char buf[128];
    int px = (int)frame_px(&lay.f, 20) + 3, py = (int)frame_py(&lay.f, 0.25) - 2;
    assert_true(panel_hover_text(p, &lay, px, py, buf, sizeof buf));
    assert_string_equal(buf, "train: x 20  y 0.25");
    /* far from every point: the cursor's own coordinates */
    assert_true(
        panel_hover_text(p, &lay, (int)frame_px(&lay.f, 15), lay.f.y1 - 5, buf, sizeof buf));
    assert_non_null(strstr(buf, "x "));
    assert_null(strstr(buf, "train"));
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_title_and_legend_are_placed),
        cmocka_unit_test(test_lines_series_pixels_follow_data),
        cmocka_unit_test(test_lines_log_axis_maps_decades_evenly),
        cmocka_unit_test(test_lines_many_points_render),
        cmocka_unit_test(test_lines_rejects_setters_of_other_kinds),
        cmocka_unit_test(test_lines_hover_names_nearest_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
