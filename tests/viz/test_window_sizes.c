/* test_window_sizes.c: lettering for a lecture hall. Windows rendered offscreen at the
 * projector's 1920 x 1080 and at 1280 x 720: type grows with the window (measured on
 * the pixels: the ink height of digits), more in projector mode; captions, status
 * lines and the key overlay fit; and no text of any panel is cut off at its cell's
 * edge (the app counts texts whose ink crossed a clip rectangle). */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "vizt.h"

/* Renders win at its size through a PNG (what w:save writes); caller frees. */
static uint32_t *window_pixels(viz_window *win, int w, int h) {
    char path[] = "/tmp/nnlab-test-sizes-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(viz_window_save_png(win, path), VIZ_OK);
    uint32_t *px;
    int pw, ph;
    char err[256];
    assert_int_equal(viz_png_read(path, &px, &pw, &ph, err, sizeof err), VIZ_OK);
    unlink(path);
    assert_int_equal(pw, w);
    assert_int_equal(ph, h);
    return px;
}

/* Height of the first run of rows in [x0, x1) x [y0, y1) holding dark ink (luma < 100):
 * a line of digits' cap height. 0 when there is none. */
static int ink_height(const uint32_t *px, int w, int x0, int y0, int x1, int y1) {
    int first = -1;
    for (int y = y0; y < y1; y++) {
        int dark = vt_dark(px, w, x0, y, x1, y + 1, 100);
        if (dark && first < 0) first = y;
        if (!dark && first >= 0) return y - first;
    }
    return first >= 0 ? y1 - first : 0;
}

/* A window of one text panel of digits at w x h; the digits' height in pixels. */
static int digits_height(viz_app *a, int w, int h, int projector) {
    viz_panel *p = viz_panel_new(VIZ_TEXT);
    viz_text_set(p, "0123456789");
    viz_window *win = viz_window_new(a, "sizes", w, h);
    viz_window_add(win, p);
    viz_window_set_projector(win, projector);
    uint32_t *px = window_pixels(win, w, h);
    int x0, y0, cw, ch;
    assert_int_equal(viz_window_cell(win, 0, &x0, &y0, &cw, &ch), VIZ_OK);
    int height = ink_height(px, w, x0, y0, x0 + cw, y0 + ch);
    free(px);
    viz_window_free(win);
    viz_panel_free(p);
    return height;
}

static void test_sizes_lettering_grows_with_the_window(void **state) {
    (void)state;
    viz_app *a = vt_app();
    int small = digits_height(a, 800, 560, 0);
    int hd = digits_height(a, 1280, 720, 0);
    int full = digits_height(a, 1920, 1080, 0);
    int proj = digits_height(a, 1920, 1080, 1);
    print_message("digit heights: 800x560 %d, 1280x720 %d, 1920x1080 %d, projector %d px\n", small,
                  hd, full, proj);
    assert_true(small > 8);
    assert_int_equal(hd, small); /* up to 1280 x 720 nothing changes */
    /* 1080 lines: one and a half times the type of 720 lines */
    assert_true(full * 10 >= hd * 14);
    assert_true(proj * 10 >= full * 13); /* projector mode: larger again */
    assert_true(proj >= 30);
    /* the theme's small type (tick labels) follows: 13 px at 720 lines, 20 at 1080 */
    viz_window *win = viz_window_new(a, "theme", 1920, 1080);
    viz_theme t;
    window_theme(win, 1920, 1080, &t);
    assert_true(t.small >= 19);
    window_theme(win, 1280, 720, &t);
    assert_int_equal(t.small, 13);
    viz_window_free(win);
    viz_app_free(a);
}

/* The caption's digits at the bottom of the window: large, and larger at 1080 lines. */
static void test_sizes_caption_is_large_and_fits(void **state) {
    (void)state;
    viz_app *a = vt_app();
    int heights[2];
    const int sizes[2][2] = {{1280, 720}, {1920, 1080}};
    for (int k = 0; k < 2; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        viz_panel *p = viz_panel_new(VIZ_LINES);
        float y[3] = {1, 3, 2};
        viz_series_add(p, "train", NULL, y, 3);
        viz_window *win = viz_window_new(a, "caption", w, h);
        viz_window_add(win, p);
        viz_window_set_projector(win, 1);
        assert_int_equal(viz_window_set_caption(win, "0123456789"), VIZ_OK);
        int cut = a->text_cut;
        uint32_t *px = window_pixels(win, w, h);
        int x0, y0, cw, ch;
        viz_window_cell(win, 0, &x0, &y0, &cw, &ch);
        assert_true(y0 + ch < h); /* the caption's strip is below the panel */
        heights[k] = ink_height(px, w, 0, y0 + ch, w, h);
        free(px);
        /* a caption far too long for one line shrinks, and is shortened, never cut */
        char longer[400];
        memset(longer, 0, sizeof longer);
        for (int i = 0; i < 30; i++) strcat(longer, "gradient ");
        viz_window_set_caption(win, longer);
        viz_window_set_status(win, "epoch 12    train loss 0.2310    test loss 0.2540    lr 0.03");
        viz_window_set_overlay(win, "Keys\n  space  pause\n  s      save a PNG");
        px = window_pixels(win, w, h);
        free(px);
        assert_int_equal(a->text_cut, cut);
        viz_window_free(win);
        viz_panel_free(p);
    }
    print_message("caption digits: %d px at 720 lines, %d px at 1080\n", heights[0], heights[1]);
    assert_true(heights[0] >= 24);
    assert_true(heights[1] * 10 >= heights[0] * 14);
    viz_app_free(a);
}

/* A lecture's window in projector mode: lines with a legend, a field with its colour
 * bar, bars with labels, a network, and a text table like a race's; at both sizes no
 * text is cut at its panel's edge. */
static void test_sizes_nothing_cut_off_in_projector_mode(void **state) {
    (void)state;
    viz_app *a = vt_app();
    const int sizes[3][2] = {{1280, 720}, {1920, 1080}, {800, 560}};
    for (int k = 0; k < 3; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        viz_panel *lines = viz_panel_new(VIZ_LINES);
        float y1[4] = {2, 1, 0.5f, 0.3f}, y2[4] = {2.2f, 1.4f, 0.9f, 0.8f};
        viz_series_add(lines, "train", NULL, y1, 4);
        viz_series_add(lines, "test", NULL, y2, 4);
        viz_panel_set_label(lines, VIZ_TITLE, "loss");
        viz_panel_set_label(lines, VIZ_XLABEL, "epoch");
        viz_panel_set_label(lines, VIZ_YLABEL, "loss");
        viz_panel *field = viz_panel_new(VIZ_FIELD);
        static float v[40 * 40];
        for (int j = 0; j < 40; j++)
            for (int i = 0; i < 40; i++) v[j * 40 + i] = (float)(hypot(i - 20, j - 20) * 100);
        viz_field_set(field, v, 40, 40, -1.5, 1.5, -1.5, 1.5);
        viz_panel_set_label(field, VIZ_TITLE, "Rosenbrock");
        viz_panel *bars = viz_panel_new(VIZ_BARS);
        float bv[3] = {0.9f, 0.4f, 0.2f};
        const char *names[3] = {"sgd", "momentum", "adam"};
        viz_bars_set(bars, bv, 3, 1, names, NULL);
        viz_panel_set_label(bars, VIZ_TITLE, "final loss");
        viz_panel *net = viz_panel_new(VIZ_NETWORK);
        int sz[3] = {2, 4, 1};
        viz_network_set(net, sz, 3, NULL);
        viz_panel *text = viz_panel_new(VIZ_TEXT);
        viz_text_set(text, "racer        loss      steps  state\n"
                           "sgd          0.00231   1200   ok\n"
                           "momentum     0.000112  1200   ok\n"
                           "adam (lr 0.1) 0.0412   1200   stalled");
        viz_panel_set_label(text, VIZ_TITLE, "race");
        viz_panel *all[5] = {lines, field, bars, net, text};
        viz_window *win = viz_window_new(a, "lecture", w, h);
        for (int i = 0; i < 5; i++) viz_window_add(win, all[i]);
        viz_window_set_cols(win, 3);
        viz_window_set_projector(win, 1);
        viz_window_set_status(win, "epoch 40    train loss 0.0123    test loss 0.0456");
        viz_window_set_caption(win, "w_new = w_old − η · dL/dw");
        int cut = a->text_cut;
        uint32_t *px = window_pixels(win, w, h);
        if (a->text_cut != cut) vt_look(px, w, h, "sizes_cut");
        free(px);
        print_message("%d x %d: %d texts cut\n", w, h, a->text_cut - cut);
        assert_int_equal(a->text_cut, cut);
        viz_window_free(win);
        for (int i = 0; i < 5; i++) viz_panel_free(all[i]);
    }
    viz_app_free(a);
}

/* The counter itself: a label drawn across a clip edge counts (the test above would
 * otherwise pass with a counter that never moves). */
static void test_sizes_cut_text_is_counted(void **state) {
    (void)state;
    viz_app *a = vt_app();
    uint32_t px[200 * 50];
    viz_canvas cv;
    cv_init(&cv, px, 200, 50);
    cv_clip(&cv, 0, 0, 100, 50);
    int cut = a->text_cut;
    text_draw(&cv, a, FONT_SANS, 20, "inside", 4, 4, ALIGN_LEFT | ALIGN_TOP, 0, 0);
    assert_int_equal(a->text_cut, cut);
    text_draw(&cv, a, FONT_SANS, 20, "across the edge", 60, 4, ALIGN_LEFT | ALIGN_TOP, 0, 0);
    assert_int_equal(a->text_cut, cut + 1);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_cut_text_is_counted),
        cmocka_unit_test(test_sizes_lettering_grows_with_the_window),
        cmocka_unit_test(test_sizes_caption_is_large_and_fits),
        cmocka_unit_test(test_sizes_nothing_cut_off_in_projector_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
