/* test_plot_surface.c: the surface's box carries its axis labels ("x" and "y" when none
 * are set), which turn with the view, and hover reads the value under the cursor. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define W 640
#define H 440
#define G 41

static viz_panel *bowl(const char *xlabel, const char *ylabel, double yaw) {
    static float v[G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            double x = -2 + 4.0 * i / (G - 1), y = -1 + 2.0 * j / (G - 1);
            v[j * G + i] = (float)(x * x + 3 * y * y);
        }
    viz_panel *p = viz_panel_new(VIZ_SURFACE);
    assert_non_null(p);
    assert_int_equal(viz_surface_set(p, v, G, G, -2, 2, -1, 1), VIZ_OK);
    assert_int_equal(viz_surface_set_view(p, yaw, 30, 1), VIZ_OK);
    if (xlabel) viz_panel_set_label(p, VIZ_XLABEL, xlabel);
    if (ylabel) viz_panel_set_label(p, VIZ_YLABEL, ylabel);
    return p;
}

/* Centre of the pixels that differ between the renders with and without the x label;
 * returns their number. */
static int label_diff(viz_app *a, double yaw, double *cx, double *cy) {
    viz_panel *with = bowl("weight one", NULL, yaw), *bare = bowl(NULL, NULL, yaw);
    viz_layout lay;
    uint32_t *pw = vt_render(a, with, W, H, &lay), *pb = vt_render(a, bare, W, H, &lay);
    char name[32];
    snprintf(name, sizeof name, "surface_yaw_%d", (int)yaw);
    vt_look(pw, W, H, name);
    int n = 0;
    double sx = 0, sy = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (vt_dist(pw[y * W + x], pb[y * W + x]) > 60) n++, sx += x, sy += y;
    *cx = n ? sx / n : 0, *cy = n ? sy / n : 0;
    free(pw), free(pb);
    viz_panel_free(with), viz_panel_free(bare);
    return n;
}

static void test_surface_axis_labels_are_drawn_and_turn_with_the_view(void **state) {
    (void)state;
    viz_app *a = vt_app();
    double x0, y0, x1, y1;
    int n0 = label_diff(a, 35, &x0, &y0), n1 = label_diff(a, 125, &x1, &y1);
    if (n0 < 60 || n1 < 60) fail_msg("axis labels drew %d and %d pixels", n0, n1);
    if (hypot(x1 - x0, y1 - y0) < 20)
        fail_msg("labels stayed at (%.0f, %.0f) and (%.0f, %.0f) as the view turned", x0, y0, x1,
                 y1);
    viz_app_free(a);
}

static void test_surface_names_its_axes_x_and_y_by_default(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *bare = bowl(NULL, NULL, 35), *named = bowl("x", "y", 35),
              *blank = bowl(" ", " ", 35);
    viz_layout lay;
    uint32_t *pb = vt_render(a, bare, W, H, &lay), *pn = vt_render(a, named, W, H, &lay);
    uint32_t *pk = vt_render(a, blank, W, H, &lay);
    int same = 1, differ = 0;
    for (int i = 0; i < W * H; i++) {
        same &= pb[i] == pn[i];
        differ += vt_dist(pb[i], pk[i]) > 60;
    }
    assert_true(same); /* unlabelled axes are called x and y */
    if (differ < 20) fail_msg("the default names drew %d pixels", differ);
    free(pb), free(pn), free(pk);
    viz_panel_free(bare), viz_panel_free(named), viz_panel_free(blank);
    viz_app_free(a);
}

/* In a small panel the tick labels of the three axes would run into each other: those
 * that would touch a label already drawn are left out; a roomy panel draws more. */
static void test_surface_tick_labels_do_not_collide(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = bowl("weight one", "weight two", 35);
    viz_layout lay;
    free(vt_render(a, p, W, H, &lay));
    int roomy_drawn = p->labels_drawn, roomy_out = p->labels_left_out;
    free(vt_render(a, p, 200, 150, &lay));
    print_message("tick and axis labels: %d drawn (%d left out) at %dx%d, %d (%d) at 200x150\n",
                  roomy_drawn, roomy_out, W, H, p->labels_drawn, p->labels_left_out);
    assert_true(roomy_drawn >= 9);
    assert_true(p->labels_left_out > roomy_out); /* crowded: more left out */
    assert_true(p->labels_drawn >= 3 && p->labels_drawn < roomy_drawn);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_surface_hover_reads_the_value(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = bowl("x", "y", 35);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    char buf[128];
    int hits = 0;
    for (int y = H / 4; y < 3 * H / 4; y += 20)
        for (int x = W / 4; x < 3 * W / 4; x += 20) {
            if (!panel_hover_text(p, &lay, x, y, buf, sizeof buf)) continue;
            double hx, hy, hv;
            if (sscanf(buf, "x %lf y %lf value %lf", &hx, &hy, &hv) != 3)
                fail_msg("hover text \"%s\"", buf);
            if (fabs(hv - (hx * hx + 3 * hy * hy)) > 1e-3 * (1 + hv))
                fail_msg("hover \"%s\": value is not f(x, y)", buf);
            hits++;
        }
    if (hits < 20) fail_msg("hover answered at %d points over the surface", hits);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surface_axis_labels_are_drawn_and_turn_with_the_view),
        cmocka_unit_test(test_surface_names_its_axes_x_and_y_by_default),
        cmocka_unit_test(test_surface_tick_labels_do_not_collide),
        cmocka_unit_test(test_surface_hover_reads_the_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
