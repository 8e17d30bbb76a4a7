/* test_canvas.c: the anti-aliased primitives put colour where the geometry says. */
#include "vizt.h"

#define W 100

static uint32_t *white(void) {
    uint32_t *px = malloc(W * W * sizeof *px);
    assert_non_null(px);
    for (int i = 0; i < W * W; i++) px[i] = viz_rgb(255, 255, 255);
    return px;
}

static void test_canvas_diagonal_line_colours_diagonal_pixels(void **state) {
    (void)state;
    uint32_t *px = white();
    viz_canvas cv;
    cv_init(&cv, px, W, W);
    cv_line(&cv, 0.5, 0.5, W - 0.5, W - 0.5, 1.5, viz_rgb(0, 0, 0), 1);
    int worst_on = 0, worst_off = 255;
    for (int i = 0; i < W; i++) {
        int on = vt_luma(px[i * W + i]);
        if (on > worst_on) worst_on = on;
        if (i + 3 < W) {
            int off = vt_luma(px[i * W + i + 3]);
            if (off < worst_off) worst_off = off;
            off = vt_luma(px[(i + 3) * W + i]);
            if (off < worst_off) worst_off = off;
        }
    }
    if (worst_on > 60 || worst_off < 250)
        fail_msg("diagonal: lightest on-line pixel %d (want < 60), darkest off-line %d (want 250+)",
                 worst_on, worst_off);
    free(px);
}

static void test_canvas_thick_line_has_its_width(void **state) {
    (void)state;
    uint32_t *px = white();
    viz_canvas cv;
    cv_init(&cv, px, W, W);
    cv_line(&cv, 10, 50, 90, 50, 6, viz_rgb(0, 0, 0), 1);
    /* column 50: rows 47..52 dark (|y+0.5-50| <= 3), 45 and 54 untouched */
    for (int y = 47; y <= 52; y++) assert_true(vt_luma(px[y * W + 50]) < 40);
    assert_int_equal(vt_luma(px[45 * W + 50]), 255);
    assert_int_equal(vt_luma(px[54 * W + 50]), 255);
    free(px);
}

static void test_canvas_clip_keeps_pixels_outside(void **state) {
    (void)state;
    uint32_t *px = white();
    viz_canvas cv;
    cv_init(&cv, px, W, W);
    cv_clip(&cv, 0, 0, 50, W);
    cv_line(&cv, 0, 20, W, 20, 4, viz_rgb(0, 0, 0), 1);
    assert_true(vt_luma(px[20 * W + 25]) < 40);
    assert_int_equal(vt_dark(px, W, 50, 0, W, W, 255), 0);
    free(px);
}

static void test_canvas_disc_is_round(void **state) {
    (void)state;
    uint32_t *px = white();
    viz_canvas cv;
    cv_init(&cv, px, W, W);
    cv_disc(&cv, 50, 50, 10, viz_rgb(0, 0, 0));
    int n = vt_dark(px, W, 0, 0, W, W, 128);
    /* pi r^2 = 314 */
    if (n < 300 || n > 330) fail_msg("disc of radius 10 covers %d pixels, want about 314", n);
    free(px);
}

/* Discs and rings recorded on one canvas and replayed on another with the same
 * background paint exactly what drawing them there paints (a field's markers are kept
 * this way and replayed over each new heat map); a clip keeps the same pixels out. */
static void test_canvas_replayed_discs_and_rings_paint_the_same(void **state) {
    (void)state;
    uint32_t *direct = malloc(W * W * sizeof *direct), *again = malloc(W * W * sizeof *again);
    assert_non_null(direct), assert_non_null(again);
    for (int i = 0; i < W * W; i++) direct[i] = again[i] = viz_rgb(i % 251, (7 * i) % 253, 90);
    viz_canvas cv, rc;
    cv_init(&cv, direct, W, W);
    cv_init(&rc, again, W, W);
    cv_clip(&cv, 5, 5, W - 5, W - 5);
    cv_clip(&rc, 5, 5, W - 5, W - 5);
    viz_blend_log log = {NULL, 0, 0, 1};
    rc.rec = &log;
    for (int k = 0; k < 2; k++) {
        viz_canvas *c = k ? &rc : &cv;
        for (int i = 0; i < 12; i++) {
            double x = 3.3 + i * 8.1, y = 97 - i * 7.7;
            cv_disc(c, x, y, 6.4, viz_rgb(255, 255, 255));
            cv_disc(c, x, y, 4.9, viz_rgb(30, 30, 30));
            cv_disc(c, x, y, 3.7, viz_rgb(200, 40, 10));
            cv_ring(c, y, x, 5.2, 1.9, viz_rgb(20, 90, 220));
        }
    }
    rc.rec = NULL;
    assert_true(log.ok && log.n > 0);
    for (int i = 0; i < W * W; i++) /* recording painted nothing */
        assert_int_equal(again[i], viz_rgb(i % 251, (7 * i) % 253, 90));
    cv_replay(&rc, &log);
    assert_memory_equal(direct, again, W * W * sizeof *direct);
    free(log.op), free(direct), free(again);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canvas_diagonal_line_colours_diagonal_pixels),
        cmocka_unit_test(test_canvas_thick_line_has_its_width),
        cmocka_unit_test(test_canvas_clip_keeps_pixels_outside),
        cmocka_unit_test(test_canvas_disc_is_round),
        cmocka_unit_test(test_canvas_replayed_discs_and_rings_paint_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
