/* test_surface_paths.c: series on a surface panel drawn as paths lying on the surface
 * (surface_paths.c): they appear in their series colour with a head, their height
 * follows the grid, points outside the box are left out, and surface panels accept
 * series while the other kinds without axes still refuse them. */
#include <math.h>

#include "vizt.h"

#define W   480
#define H   400
#define G   40
#define TOL 40 /* colour distance of anti-aliased path pixels to the series colour */

/* A surface panel of x^2 + y^2 over [-2, 2]^2 plus a bump of height bump at (1, 1),
 * seen from yaw 0. The bump leaves the range (0 to 8) and so the projection as they
 * are. */
static viz_panel *bowl(double bump) {
    static float v[G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            double x = -2 + 4.0 * i / (G - 1), y = -2 + 4.0 * j / (G - 1);
            double r2 = (x - 1) * (x - 1) + (y - 1) * (y - 1);
            v[j * G + i] = (float)(x * x + y * y + bump * exp(-r2 / 0.1));
        }
    viz_panel *p = viz_panel_new(VIZ_SURFACE);
    assert_non_null(p);
    assert_int_equal(viz_surface_set(p, v, G, G, -2, 2, -2, 2), VIZ_OK);
    assert_int_equal(viz_surface_set_view(p, 0, 30, 1), VIZ_OK);
    return p;
}

/* Mean row of the pixels that differ between two renders (what a series added), or -1
 * when fewer than min differ. Independent of the surface's colours and shading. */
static double mean_row(const uint32_t *a, const uint32_t *b, int min) {
    double sum = 0;
    int n = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (vt_dist(a[(size_t)y * W + x], b[(size_t)y * W + x]) > TOL) sum += y, n++;
    return n >= min ? sum / n : -1;
}

static void test_surface_paths_draws_series_in_their_colours(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = bowl(0);
    viz_layout lay;
    uint32_t *before = vt_render(a, p, W, H, &lay);
    uint32_t orange = cmap_series(1);
    int base = vt_count(before, W, 0, 0, W, H, orange, TOL); /* the surface's own */
    float x0[2] = {-1.5f, 1.5f}, y0[2] = {-1.5f, -1.5f};
    float x1[3] = {-1.5f, 0.0f, 1.5f}, y1[3] = {1.5f, 0.0f, 1.5f};
    assert_int_equal(viz_series_add(p, "first", x0, y0, 2), VIZ_OK);
    assert_int_equal(viz_series_add(p, "second", x1, y1, 3), VIZ_OK);
    uint32_t *after = vt_render(a, p, W, H, &lay);
    vt_look(after, W, H, "surface_paths");
    int drawn = vt_count(after, W, 0, 0, W, H, orange, TOL);
    if (drawn - base < 200)
        fail_msg("second path: %d pixels of its colour, %d before", drawn, base);
    free(before), free(after);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_surface_paths_follow_the_height_of_the_grid(void **state) {
    (void)state;
    viz_app *a = vt_app();
    /* the point (1, 1) sits at height 2 on the bowl and 5 on the bowl with the bump:
     * the same projection draws the head higher on the second */
    float x[1] = {1}, y[1] = {1};
    double row[2];
    for (int k = 0; k < 2; k++) {
        viz_panel *p = bowl(k ? 3 : 0);
        viz_layout lay;
        uint32_t *plain = vt_render(a, p, W, H, &lay);
        assert_int_equal(viz_series_add(p, "head", x, y, 1), VIZ_OK);
        uint32_t *px = vt_render(a, p, W, H, &lay);
        row[k] = mean_row(plain, px, 20);
        free(plain), free(px);
        viz_panel_free(p);
    }
    if (!(row[0] > 0 && row[1] > 0 && row[1] < row[0] - 20))
        fail_msg("head rows: %.1f on the bowl, %.1f on the bump", row[0], row[1]);
    viz_app_free(a);
}

static void test_surface_paths_leave_out_points_off_the_box(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = bowl(0);
    float x[3] = {5, 6, NAN}, y[3] = {5, -6, 0};
    viz_layout lay;
    uint32_t *plain = vt_render(a, p, W, H, &lay);
    assert_int_equal(viz_series_add(p, "away", x, y, 3), VIZ_OK);
    uint32_t *px = vt_render(a, p, W, H, &lay);
    int n = 0;
    for (int i = 0; i < W * H; i++) n += plain[i] != px[i];
    if (n > 0) fail_msg("%d pixels changed by a path that lies off the box", n);
    free(plain), free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_surface_paths_only_where_series_fit(void **state) {
    (void)state;
    float x[2] = {0, 1}, y[2] = {0, 1};
    viz_panel *s = viz_panel_new(VIZ_SURFACE);
    assert_int_equal(viz_series_add(s, "path", x, y, 2), VIZ_OK);
    viz_panel_free(s);
    viz_panel *b = viz_panel_new(VIZ_BARS);
    assert_int_equal(viz_series_add(b, "path", x, y, 2), VIZ_EINVAL);
    viz_panel_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surface_paths_draws_series_in_their_colours),
        cmocka_unit_test(test_surface_paths_follow_the_height_of_the_grid),
        cmocka_unit_test(test_surface_paths_leave_out_points_off_the_box),
        cmocka_unit_test(test_surface_paths_only_where_series_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
