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

static void test_lines_lone_point_between_invalid_ones_is_a_dot(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float x[7] = {1, 2, 3, 4, 5, 6, 7}, y[7] = {1, NAN, 2, NAN, 3, -1, 5};
    viz_series_add(p, "data", x, y, 7);
    viz_panel_set_log(p, 0, 1); /* -1 is invalid on the log axis: 5 stands alone too */
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "lines_lone_points");
    for (int k = 0; k < 3; k++) {
        double xv = k == 2 ? 7 : 3 + 2 * k, yv = k == 2 ? 5 : 2 + k;
        int X = (int)frame_px(&lay.f, xv), Y = (int)frame_py(&lay.f, yv);
        int n = vt_count(px, W, X - 4, Y - 4, X + 5, Y + 5, cmap_series(0), 40);
        if (n < 9) fail_msg("lone point (%g, %g): %d pixels of the series colour", xv, yv, n);
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

/* A loss curve with an "early stop" marker whose label sits in the top-right corner,
 * and curves through the other three corners. */
static viz_panel *busy_lines(void) {
    viz_panel *p = viz_panel_new(VIZ_LINES);
    enum { N = 101 };
    float x[N], y1[N], y2[N];
    for (int i = 0; i < N; i++) {
        x[i] = (float)i;
        y1[i] = (float)(1 - i / 100.0);       /* top left to bottom right */
        y2[i] = (float)(i < 50 ? 0.02 : 0.6); /* bottom left, then the middle right */
    }
    viz_series_add(p, "train", x, y1, N);
    viz_series_add(p, "validation", x, y2, N);
    viz_panel_add_marker(p, 92, "early stop");
    viz_panel_set_label(p, VIZ_TITLE, "loss");
    return p;
}

static void test_lines_legend_keeps_clear_of_marker_label_and_data(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = busy_lines();
    for (int proj = 0; proj <= 1; proj++) {
        viz_layout lay;
        uint32_t *px = vt_render_mode(a, p, 640, 400, proj, &lay);
        vt_look(px, 640, 400, proj ? "lines_legend_busy_projector" : "lines_legend_busy");
        const viz_frame *f = &lay.f;
        viz_theme t;
        theme_make(&t, 1, proj);
        int *L = lay.legend, w, h;
        assert_true(L[2] > 0);
        text_size(a, FONT_SANS, t.small, "early stop", &w, &h);
        int mx = (int)frame_px(f, 92);
        if (vt_overlap(L, mx - w - t.pad, f->y0 + t.pad / 2, w + t.pad, h + t.pad))
            fail_msg("projector %d: legend (%d %d %d %d) over the marker label", proj, L[0], L[1],
                     L[2], L[3]);
        if (L[0] < f->x1 && vt_overlap(L, mx - 2, f->y0, 5, f->y1 - f->y0))
            fail_msg("projector %d: legend over the marker line", proj);
        for (int i = 0; i <= 100; i++) { /* and over no point of either curve */
            int X = (int)frame_px(f, i);
            if (vt_overlap(L, X - 2, (int)frame_py(f, 1 - i / 100.0) - 2, 5, 5) ||
                vt_overlap(L, X - 2, (int)frame_py(f, i < 50 ? 0.02 : 0.6) - 2, 5, 5))
                fail_msg("projector %d: legend over the curves at x = %d", proj, i);
        }
        free(px);
    }
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_lines_long_title_is_shortened_not_clipped(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float y[3] = {1, 2, 3};
    viz_series_add(p, "data", NULL, y, 3);
    viz_panel_set_label(p, VIZ_TITLE,
                        "a rather long title for a loss curve that is wider than its panel");
    enum { PW = 300, PH = 200 };
    viz_layout lay;
    uint32_t *px = vt_render(a, p, PW, PH, &lay);
    vt_look(px, PW, PH, "lines_long_title");
    /* the title band: ink in the middle, none in the outer pad (it was cut there) */
    assert_true(vt_dark(px, PW, PW / 2 - 40, 0, PW / 2 + 40, lay.f.y0 - 4, 120) > 20);
    assert_int_equal(vt_dark(px, PW, 0, 0, 3, lay.f.y0 - 4, 200), 0);
    assert_int_equal(vt_dark(px, PW, PW - 3, 0, PW, lay.f.y0 - 4, 200), 0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_lines_y_label_no_taller_than_the_plot(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float y[3] = {1, 2, 3};
    viz_series_add(p, "data", NULL, y, 3);
    viz_panel_set_label(p, VIZ_YLABEL, "cross-entropy loss per example");
    viz_panel_set_label(p, VIZ_XLABEL, "step");
    enum { PW = 300, PH = 150 };
    for (int proj = 0; proj <= 1; proj++) {
        viz_layout lay;
        uint32_t *px = vt_render_mode(a, p, PW, PH, proj, &lay);
        vt_look(px, PW, PH, proj ? "lines_small_ylabel_projector" : "lines_small_ylabel");
        viz_theme t;
        theme_make(&t, 1, proj);
        int fw, fh;
        text_size(a, FONT_SANS, t.font, "Ag", &fw, &fh);
        /* the y label's column: no ink above or below the plot area */
        int above = vt_dark(px, PW, 0, 0, t.pad + fh, lay.f.y0 - 2, 200);
        int below = vt_dark(px, PW, 0, lay.f.y1 + 2, t.pad + fh, PH, 200);
        if (above || below)
            fail_msg("projector %d: y label runs %d px above and %d below the plot", proj, above,
                     below);
        free(px);
    }
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_lines_marker_is_a_dashed_line_with_its_label(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float y[101];
    for (int i = 0; i <= 100; i++) y[i] = 0.1f; /* low, out of the marker label's way */
    float x[101];
    for (int i = 0; i <= 100; i++) x[i] = (float)i;
    viz_series_add(p, "data", x, y, 101);
    viz_panel_set_range(p, 1, 0, 1);
    viz_panel_add_marker(p, 60, "early stop");
    viz_panel_add_marker(p, 500, "beyond"); /* outside the x range: not drawn */
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "lines_marker");
    const viz_frame *f = &lay.f;
    int X = (int)frame_px(f, 60), on = 0, off = 0;
    for (int yy = f->y0 + 40; yy < frame_py(f, 0.3); yy++) /* dashes: dark and light runs */
        if (vt_luma(px[(size_t)yy * W + X]) < 140)
            on++;
        else
            off++;
    if (on < 20 || off < 10) fail_msg("marker column: %d dark, %d light pixels", on, off);
    viz_theme t;
    theme_make(&t, 1, 0);
    int w, h;
    text_size(a, FONT_SANS, t.small, "early stop", &w, &h);
    assert_true(vt_dark(px, W, X - w - t.pad, f->y0, X - 1, f->y0 + t.pad + h + 2, 120) > 30);
    assert_int_equal(vt_dark(px, W, X + 3, f->y0, X + w, f->y0 + t.pad + h + 2, 120), 0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

/* A band shades its range of x (ends given in either order, on a log axis too) under
 * the series, and nothing outside it; a band needs finite ends and a lines panel. */
static void test_lines_band_shades_its_range_only(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    float x[61], y[61];
    for (int i = 0; i <= 60; i++) x[i] = powf(10.0f, -5.0f + i / 10.0f), y[i] = 0.1f;
    viz_series_add(p, "data", x, y, 61);
    viz_panel_set_log(p, 1, 0);
    viz_panel_set_range(p, 1, 0, 1);
    assert_int_equal(viz_panel_add_band(p, 1e-2, 1e-4), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "lines_band");
    const viz_frame *f = &lay.f;
    uint32_t bg = px[(size_t)(f->y0 + 20) * W + (int)frame_px(f, pow(10, -0.5))]; /* off the grid */
    int row = (f->y0 + f->y1) / 2, shaded = 0, tried = 0;
    for (int k = 1; k < 20; k++) { /* inside (1e-4 to 1e-2): a shade darker, off the grid */
        if (k == 10) continue;     /* the grid line at 1e-3 */
        uint32_t c = px[(size_t)row * W + (int)frame_px(f, pow(10, -4 + k / 10.0))];
        shaded += vt_luma(c) < vt_luma(bg) - 10 && vt_luma(c) > vt_luma(bg) - 80;
        tried++;
    }
    if (shaded != tried)
        fail_msg("%d of %d points in the band shaded (bg luma %d, at 1e-3.5 %d)", shaded, tried,
                 vt_luma(bg), vt_luma(px[(size_t)row * W + (int)frame_px(f, pow(10, -3.5))]));
    for (int k = 1; k < 10; k++) { /* outside: the background, 1e-5 to 1e-4 and 1e-2 to 1e-1 */
        double lo = pow(10, -5 + k / 10.0), hi = pow(10, -2 + k / 10.0);
        assert_true(vt_luma(px[(size_t)row * W + (int)frame_px(f, lo)]) > vt_luma(bg) - 8);
        assert_true(vt_luma(px[(size_t)row * W + (int)frame_px(f, hi)]) > vt_luma(bg) - 8);
    }
    /* the series is drawn over the band */
    int X = (int)frame_px(f, 1e-3), Y = (int)frame_py(f, 0.1);
    assert_true(vt_dist(px[(size_t)Y * W + X], cmap_series(0)) < 40);
    free(px);
    assert_int_equal(viz_panel_add_band(p, NAN, 1), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "band: the ends must be finite"));
    viz_panel_free(p);
    viz_panel *field = viz_panel_new(VIZ_FIELD);
    assert_int_not_equal(viz_panel_add_band(field, 0, 1), VIZ_OK);
    viz_panel_free(field);
    viz_app_free(a);
}

static void test_lines_smoothing_draws_the_average_over_faint_data(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_LINES);
    enum { N = 101 };
    float x[N], y[N];
    for (int i = 0; i < N; i++) x[i] = (float)i, y[i] = i < 50 ? 0.0f : 1.0f; /* a step */
    viz_series_add(p, "data", x, y, N);
    viz_series_set_smooth(p, 0.9);
    viz_panel_set_range(p, 1, -0.1, 1.1);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "lines_smooth");
    const viz_frame *f = &lay.f;
    /* the debiased moving average five steps after the step */
    double s = 0, wsum = 0;
    for (int i = 0; i <= 55; i++) s = 0.9 * s + 0.1 * y[i], wsum = 0.9 * wsum + 0.1;
    double avg = s / wsum;
    int X = (int)frame_px(f, 55), Ys = (int)lround(frame_py(f, avg)), Yr = (int)frame_py(f, 1);
    uint32_t col = cmap_series(0), faint = viz_mix(viz_rgb(255, 255, 255), col, 0.3);
    assert_true(vt_count(px, W, X, Ys - 2, X + 1, Ys + 3, col, 30) > 0);   /* the average */
    assert_true(vt_count(px, W, X, Yr - 2, X + 1, Yr + 3, faint, 30) > 0); /* the raw data */
    assert_int_equal(vt_count(px, W, X, Yr - 2, X + 1, Yr + 3, col, 30), 0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_lines_long_last_x_label_stays_in_the_panel(void **state) {
    (void)state;
    viz_app *a = vt_app();
    for (int k = 0; k < 6; k++) { /* labels like 1.0010e6, for several panel widths */
        int pw = 500 + 37 * k;
        viz_panel *p = viz_panel_new(VIZ_LINES);
        float x[2] = {1e6f + 1, 1e6f + 1000}, y[2] = {0, 1};
        viz_series_add(p, "data", x, y, 2);
        viz_layout lay;
        uint32_t *px = vt_render(a, p, pw, H, &lay);
        int edge = 0;
        for (int yy = lay.f.y1 + 3; yy < H; yy++)
            edge += vt_luma(px[(size_t)yy * pw + pw - 1]) < 200;
        if (edge) fail_msg("width %d: the last x label is cut at the panel's edge", pw);
        free(px);
        viz_panel_free(p);
    }
    viz_app_free(a);
}

/* A series pushed to 10^6 times (hours of a live loss curve) stays bounded: at most
 * VIZ_SERIES_CAP points, the first and the last kept, x counting every push, and a
 * spike early on (the maximum) and the dip (the minimum) survive the halving. */
static void test_lines_long_push_stays_bounded_and_keeps_shape(void **state) {
    (void)state;
    viz_panel *p = viz_panel_new(VIZ_LINES);
    size_t most = 0;
    for (int i = 0; i < 1000000; i++) {
        float y = 1.0f + 1.0f / (1 + i * 0.001f);
        if (i == 12345) y = 50; /* one spike, long gone from the whole part */
        if (i == 777777) y = -3;
        assert_int_equal(viz_series_add(p, "loss", NULL, &y, 1), VIZ_OK);
        if (p->series[0].n > most) most = p->series[0].n;
    }
    const viz_series *s = &p->series[0];
    assert_true(most <= VIZ_SERIES_CAP);
    assert_true(s->n >= VIZ_SERIES_CAP / 2 && s->n <= VIZ_SERIES_CAP);
    assert_true(s->cap <= 2 * VIZ_SERIES_CAP);
    assert_true(s->x[0] == 1 && s->y[0] == 2); /* the first point */
    assert_true(s->x[s->n - 1] == 1000000);    /* the last, x counting every push */
    assert_true(fabsf(s->y[s->n - 1] - 1.001f) < 1e-4f);
    float ymax = -INFINITY, ymin = INFINITY, xmax = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->y[i] > ymax) ymax = s->y[i], xmax = s->x[i];
        ymin = fminf(ymin, s->y[i]);
        if (i) assert_true(s->x[i] > s->x[i - 1]); /* still in order */
    }
    assert_true(ymax == 50 && xmax == 12346);
    assert_true(ymin == -3);
    /* a long p:add at once ends bounded too, its memory shrunk back */
    static float many[100000];
    for (int i = 0; i < 100000; i++) many[i] = (float)i;
    assert_int_equal(viz_series_add(p, "bulk", NULL, many, 100000), VIZ_OK);
    assert_true(p->series[1].n <= VIZ_SERIES_CAP && p->series[1].cap <= VIZ_SERIES_CAP);
    assert_true(p->series[1].y[p->series[1].n - 1] == 99999);
    viz_panel_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_title_and_legend_are_placed),
        cmocka_unit_test(test_lines_long_push_stays_bounded_and_keeps_shape),
        cmocka_unit_test(test_lines_series_pixels_follow_data),
        cmocka_unit_test(test_lines_log_axis_maps_decades_evenly),
        cmocka_unit_test(test_lines_many_points_render),
        cmocka_unit_test(test_lines_rejects_setters_of_other_kinds),
        cmocka_unit_test(test_lines_hover_names_nearest_point),
        cmocka_unit_test(test_lines_lone_point_between_invalid_ones_is_a_dot),
        cmocka_unit_test(test_lines_legend_keeps_clear_of_marker_label_and_data),
        cmocka_unit_test(test_lines_long_title_is_shortened_not_clipped),
        cmocka_unit_test(test_lines_y_label_no_taller_than_the_plot),
        cmocka_unit_test(test_lines_marker_is_a_dashed_line_with_its_label),
        cmocka_unit_test(test_lines_band_shades_its_range_only),
        cmocka_unit_test(test_lines_smoothing_draws_the_average_over_faint_data),
        cmocka_unit_test(test_lines_long_last_x_label_stays_in_the_panel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
