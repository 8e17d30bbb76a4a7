/* test_plot_images.c: an image grid places each image in its cell, in its colours, with
 * square pixels, and a colour bar for images on one shared scale. */
#include <math.h>

#include "vizt.h"

#define W 600
#define H 400

static void test_images_grid_places_each_image(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_IMAGES);
    enum { N = 6, S = 4 };
    float data[N * S * S];
    for (int i = 0; i < N; i++)
        for (int k = 0; k < S * S; k++) data[i * S * S + k] = (float)i;
    assert_int_equal(viz_images_set(p, data, N, S, S, 1, 1, 0), VIZ_OK);
    viz_images_set_caption(p, 0, "zero");
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "images_grid");
    viz_theme t;
    theme_make(&t, 1, 0);
    int top = t.pad + title_height(a, &t, p);
    int prev_x = -1, prev_y = -1;
    for (int i = 0; i < N; i++) {
        int x, y, w, h;
        assert_true(images_cell(a, &t, p, t.pad, top, W - t.pad, H - t.pad, i, &x, &y, &w, &h));
        assert_true(w > 40 && h > 40 && x >= 0 && y >= 0 && x + w <= W && y + h <= H);
        /* row-major order: each cell right of the last, or on a lower row */
        assert_true(y > prev_y || (y == prev_y && x > prev_x));
        prev_x = x, prev_y = y;
        uint32_t want = cmap_gray(i / (N - 1.0));
        int n = vt_count(px, W, x + 1, y + 1, x + w - 1, y + h - 1, want, 2);
        if (n != (w - 2) * (h - 2))
            fail_msg("image %d: %d of %d pixels in %06x", i, n, (w - 2) * (h - 2), want & 0xffffff);
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_images_signed_values_use_diverging_map(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_IMAGES);
    float data[8] = {-1, -1, 1, 1, 0, 0, 0, 0}; /* two 2x2 images, per-image scale */
    viz_images_set(p, data, 2, 2, 2, 1, 1, 2);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    viz_theme t;
    theme_make(&t, 1, 0);
    int x, y, w, h, top = t.pad + title_height(a, &t, p);
    images_cell(a, &t, p, t.pad, top, W - t.pad, H - t.pad, 0, &x, &y, &w, &h);
    assert_true(vt_dist(px[(y + 2) * W + x + 2], cmap_diverging(0)) <= 2);
    assert_true(vt_dist(px[(y + h - 2) * W + x + 2], cmap_diverging(1)) <= 2);
    images_cell(a, &t, p, t.pad, top, W - t.pad, H - t.pad, 1, &x, &y, &w, &h);
    assert_true(vt_dist(px[(y + h / 2) * W + x + w / 2], cmap_diverging(0.5)) <= 2);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_images_long_caption_stays_under_its_image(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_IMAGES);
    float data[3 * 4] = {0};
    viz_images_set(p, data, 3, 2, 2, 1, 1, 3);
    viz_images_set_caption(p, 0, "a caption far longer than the little image above it");
    viz_layout lay;
    uint32_t *px = vt_render(a, p, 300, 120, &lay);
    viz_theme t;
    theme_make(&t, 1, 0);
    int x, y, w, h, top = t.pad + title_height(a, &t, p);
    images_cell(a, &t, p, t.pad, top, 300 - t.pad, 120 - t.pad, 0, &x, &y, &w, &h);
    /* text of image 1's caption ends within half a gap of its image's right edge */
    int right = x + w + t.pad / 2 + 1;
    assert_true(vt_dark(px, 300, x, y + h + 1, x + w, 120, 160) > 10);
    assert_int_equal(vt_dark(px, 300, right, y + h + 1, right + 20, 120, 160), 0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_images_hover_names_the_pixel_value(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_IMAGES);
    enum { N = 3, S = 4 };
    float data[N * S * S];
    for (int k = 0; k < N * S * S; k++) data[k] = 0.25f * k; /* each pixel its own value */
    assert_int_equal(viz_images_set(p, data, N, S, S, 1, 1, 0), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    viz_theme t;
    theme_make(&t, 1, 0);
    int top = t.pad + title_height(a, &t, p);
    char buf[128], want[128];
    for (int i = 0; i < N; i++) {
        int x, y, w, h;
        assert_true(images_cell(a, &t, p, t.pad, top, W - t.pad, H - t.pad, i, &x, &y, &w, &h));
        /* the centre of image pixel (row 2, col 3), 0-based (1, 2) */
        int cx = x + (2 * w + w / 2) / S, cy = y + (1 * h + h / 2) / S;
        assert_true(panel_hover_text(p, &lay, cx, cy, buf, sizeof buf));
        snprintf(want, sizeof want, "image %d  row 2  col 3  value %.4g", i + 1,
                 0.25 * (i * S * S + 1 * S + 2));
        assert_string_equal(buf, want);
        /* the gap right of an image is no pixel */
        assert_false(panel_hover_text(p, &lay, x + w + 1, cy, buf, sizeof buf));
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_images_keep_their_aspect_and_have_a_colour_bar(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_IMAGES);
    enum { IH = 10, IW = 30 };
    float data[2 * IH * IW];
    for (int k = 0; k < 2 * IH * IW; k++) data[k] = (float)(k % IW) / (IW - 1) * 2 - 1;
    assert_int_equal(viz_images_set(p, data, 2, IH, IW, 1, 1, 0), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "images_wide");
    viz_theme t;
    theme_make(&t, 1, 0);
    int x, y, w, h, top = t.pad + title_height(a, &t, p);
    assert_true(images_cell(a, &t, p, t.pad, top, W - t.pad, H - t.pad, 0, &x, &y, &w, &h));
    /* 10 x 30 stays three times as wide as tall */
    if (fabs((double)w / h - 3.0) > 0.05) fail_msg("a 10 x 30 image drawn %d x %d", w, h);
    /* right of the grid, a bar from the map's top (1: dark red) to its bottom (-1) */
    int right = x + w + 1;
    int top_red = vt_count(px, W, right, 0, W, H, cmap_diverging(1), 4);
    int bottom_blue = vt_count(px, W, right, 0, W, H, cmap_diverging(0), 4);
    if (top_red < 10 || bottom_blue < 10)
        fail_msg("colour bar: %d pixels of its top colour, %d of its bottom", top_red, bottom_blue);
    /* per-image scales have no one bar */
    assert_int_equal(viz_images_set(p, data, 2, IH, IW, 1, 0, 0), VIZ_OK);
    uint32_t *own = vt_render(a, p, W, H, &lay);
    assert_true(images_cell(a, &t, p, t.pad, top, W - t.pad, H - t.pad, 0, &x, &y, &w, &h));
    assert_int_equal(vt_count(own, W, x + w + 1, 0, W, H, cmap_diverging(0.5), 4), 0);
    free(px), free(own);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_images_hover_names_the_pixel_value),
        cmocka_unit_test(test_images_grid_places_each_image),
        cmocka_unit_test(test_images_keep_their_aspect_and_have_a_colour_bar),
        cmocka_unit_test(test_images_signed_values_use_diverging_map),
        cmocka_unit_test(test_images_long_caption_stays_under_its_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
