/* test_render.c: offscreen rendering and PNG files: what is written reads back equal;
 * bad sizes and paths are refused with a message. */
#include <string.h>
#include <unistd.h>

#include "vizt.h"

static void test_render_png_round_trip(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float y[5] = {3, 1, 4, 1, 5};
    viz_series_add(p, "pi", NULL, y, 5);
    viz_panel_set_label(p, VIZ_TITLE, "round trip");
    enum { W = 320, H = 200 };
    uint32_t *px = malloc(W * H * sizeof *px);
    assert_int_equal(viz_panel_render(a, p, px, W, H, 1, 0), VIZ_OK);
    char path[] = "/tmp/nnlab-viz-rt-XXXXXX.png";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(viz_panel_save_png(a, p, path, W, H, 0), VIZ_OK);
    uint32_t *back;
    int w, h;
    char err[256];
    assert_int_equal(viz_png_read(path, &back, &w, &h, err, sizeof err), VIZ_OK);
    assert_int_equal(w, W);
    assert_int_equal(h, H);
    assert_memory_equal(px, back, W * H * sizeof *px);
    unlink(path);
    free(back), free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_render_refuses_bad_size_and_path(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_TEXT);
    assert_int_equal(viz_panel_save_png(a, p, "/tmp/x.png", 0, 100, 0), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "0 x 100"));
    assert_int_equal(viz_panel_save_png(a, p, "/no/such/dir/x.png", 100, 100, 0), VIZ_EIO);
    assert_non_null(strstr(viz_panel_error(p), "/no/such/dir/x.png"));
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_render_projector_draws_thicker(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float x[2] = {0, 1}, y[2] = {0, 1};
    viz_series_add(p, "d", x, y, 2);
    enum { W = 400, H = 300 };
    uint32_t *n = malloc(W * H * 4), *q = malloc(W * H * 4);
    viz_panel_render(a, p, n, W, H, 1, 0);
    viz_panel_render(a, p, q, W, H, 1, 1);
    int cn = vt_count(n, W, 0, 0, W, H, cmap_series(0), 20);
    int cq = vt_count(q, W, 0, 0, W, H, cmap_series(0), 20);
    if (cq < cn * 3 / 2) fail_msg("projector line pixels %d vs normal %d", cq, cn);
    free(n), free(q);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_png_round_trip),
        cmocka_unit_test(test_render_refuses_bad_size_and_path),
        cmocka_unit_test(test_render_projector_draws_thicker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
