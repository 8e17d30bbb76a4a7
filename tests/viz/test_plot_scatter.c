/* test_plot_scatter.c: the scatter legend names every class and keeps off the points,
 * going beside the plot when no place inside is free. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define W 640
#define H 440

/* No point (a disc of about 7 pixels) lies under the legend. */
static void check_clear(const viz_layout *lay, const float *x, const float *y, int n,
                        const char *what) {
    const int *L = lay->legend;
    assert_true(L[2] > 0);
    for (int i = 0; i < n; i++) {
        int X = (int)frame_px(&lay->f, x[i]), Y = (int)frame_py(&lay->f, y[i]);
        if (vt_overlap(L, X - 7, Y - 7, 15, 15))
            fail_msg("%s: legend (%d %d %d %d) over point %d at (%d, %d)", what, L[0], L[1], L[2],
                     L[3], i, X, Y);
    }
}

static void test_scatter_legend_names_ten_classes(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_SCATTER);
    enum { N = 100 };
    float x[N], y[N];
    int c[N];
    for (int i = 0; i < N; i++) /* ten small clusters on a diagonal */
        c[i] = i % 10, x[i] = (float)(c[i] + 0.2 * sin(i)), y[i] = (float)(c[i] + 0.2 * cos(i));
    viz_points_add(p, x, y, c, N, 0);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "scatter_ten_classes");
    const int *L = lay.legend; /* none before at 9 classes or more */
    assert_true(L[2] > 0);
    for (int k = 0; k < 10; k++)
        if (vt_count(px, W, L[0], L[1], L[0] + L[2], L[1] + L[3], cmap_series(k), 12) < 8)
            fail_msg("class %d's colour is missing from the legend", k + 1);
    check_clear(&lay, x, y, N, "ten classes");
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_scatter_legend_goes_beside_when_every_place_is_taken(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_SCATTER);
    enum { N = 400 };
    float x[N], y[N];
    int c[N];
    for (int i = 0; i < N; i++) { /* a grid of points over the whole plane */
        x[i] = (float)(i % 20), y[i] = (float)(i / 20), c[i] = i % 3;
    }
    viz_points_add(p, x, y, c, N, 0);
    for (int proj = 0; proj <= 1; proj++) {
        viz_layout lay;
        uint32_t *px = vt_render_mode(a, p, W, H, proj, &lay);
        vt_look(px, W, H, proj ? "scatter_full_projector" : "scatter_full");
        check_clear(&lay, x, y, N, proj ? "full plane, projector" : "full plane");
        assert_true(lay.legend[0] >= lay.f.x1); /* beside the plot area */
        assert_true(lay.legend[0] + lay.legend[2] <= W);
        free(px);
    }
    viz_panel_free(p);
    viz_app_free(a);
}

/* Class names replace "class 1", ...: a legend of long names is wider than one of the
 * defaults, and the names stay when the points are cleared and added again. */
static void test_scatter_legend_takes_class_names(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_SCATTER);
    float x[3] = {0, 1, 2}, y[3] = {0, 1, 4};
    int c[3] = {0, 1, 1};
    viz_points_add(p, x, y, c, 3, 0);
    viz_layout plain, named;
    free(vt_render(a, p, W, H, &plain));
    static const char *const names[] = {"a very long first name", "a very long second name"};
    assert_int_equal(viz_points_set_class_names(p, names, 2), VIZ_OK);
    viz_points_clear(p);
    viz_points_add(p, x, y, c, 3, 0);
    free(vt_render(a, p, W, H, &named));
    if (named.legend[2] <= plain.legend[2] + 40)
        fail_msg("legend %d pixels wide with the names, %d without", named.legend[2],
                 plain.legend[2]);
    viz_panel *l = viz_panel_new(VIZ_LINES);
    assert_int_equal(viz_points_set_class_names(l, names, 2), VIZ_EINVAL);
    viz_panel_free(l);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scatter_legend_names_ten_classes),
        cmocka_unit_test(test_scatter_legend_goes_beside_when_every_place_is_taken),
        cmocka_unit_test(test_scatter_legend_takes_class_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
