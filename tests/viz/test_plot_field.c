/* test_plot_field.c: the rendered field: contour lines where the level is, colour bar
 * ends in the map's end colours, points in their class colours, clicks map back; flat
 * cells with sharp edges on a fixed colour range. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define G 201
#define W 640
#define H 560

static viz_panel *paraboloid(void) {
    static float v[G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            double x = -1 + 2.0 * i / (G - 1), y = -1 + 2.0 * j / (G - 1);
            v[j * G + i] = (float)(x * x + y * y);
        }
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_non_null(p);
    assert_int_equal(viz_field_set(p, v, G, G, -1, 1, -1, 1), VIZ_OK);
    return p;
}

static void test_field_contour_passes_at_radius(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = paraboloid();
    double r = 0.6, lv = r * r;
    /* the same field without and with the one contour: the line is where they differ */
    assert_int_equal(viz_field_set_levels(p, NULL, 0, 0), VIZ_OK);
    viz_layout lay;
    uint32_t *bare = vt_render(a, p, W, H, &lay);
    assert_int_equal(viz_field_set_levels(p, &lv, 1, 0), VIZ_OK);
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "field_contour");
    const viz_frame *f = &lay.f;
    double cx = frame_px(f, 0), cy = frame_py(f, 0), rx = frame_px(f, r) - cx;
    double ry = cy - frame_py(f, r);
    int misses = 0;
    for (int k = 0; k < 72; k++) {
        double th = k * 2 * M_PI / 72;
        /* along the ray, the band the contour changed (dark line in a pale halo) is
         * centred on the circle */
        int best = 0;
        double sum = 0, wsum = 0;
        for (double s = 0.8; s <= 1.2; s += 0.002) {
            int x = (int)floor(cx + s * rx * cos(th)), y = (int)floor(cy - s * ry * sin(th));
            int d = vt_dist(px[y * W + x], bare[y * W + x]);
            if (d > best) best = d;
            sum += s * d, wsum += d;
        }
        double at = wsum > 0 ? sum / wsum : 0;
        double off = fabs(at - 1) * rx; /* pixels */
        if (best < 60 || off > 1.0) {
            print_message("angle %d: largest change %d at %.2f px from the circle\n", k * 5, best,
                          off);
            misses++;
        }
    }
    assert_int_equal(misses, 0);
    /* and nothing changed far from it */
    int far = 0;
    for (int y = f->y0; y < f->y1; y++)
        for (int x = f->x0; x < f->x1; x++) {
            double d = hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry);
            if (fabs(d - 1) * rx > 4) far += px[y * W + x] != bare[y * W + x];
        }
    assert_int_equal(far, 0);
    free(px), free(bare);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_field_colorbar_ends_have_map_end_colours(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = paraboloid();
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    viz_theme t;
    theme_make(&t, 1, 0);
    int bx = lay.f.x1 + 2 * t.pad + 8; /* middle of the bar */
    uint32_t top = px[(lay.f.y0 + 1) * W + bx], bottom = px[(lay.f.y1 - 2) * W + bx];
    if (vt_dist(top, cmap_viridis(1)) > 6 || vt_dist(bottom, cmap_viridis(0)) > 6)
        fail_msg("colour bar ends %06x / %06x, want %06x / %06x", top & 0xffffff, bottom & 0xffffff,
                 cmap_viridis(1) & 0xffffff, cmap_viridis(0) & 0xffffff);
    /* signed values get the diverging map: blue below, red above */
    static float s[4] = {-2, 1, -1, 2};
    viz_panel *q = viz_panel_new(VIZ_FIELD);
    viz_field_set(q, s, 2, 2, 0, 1, 0, 1);
    free(px);
    px = vt_render(a, q, W, H, &lay);
    top = px[(lay.f.y0 + 1) * W + lay.f.x1 + 2 * t.pad + 8];
    bottom = px[(lay.f.y1 - 2) * W + lay.f.x1 + 2 * t.pad + 8];
    assert_true(vt_dist(top, cmap_diverging(1)) <= 6);
    assert_true(vt_dist(bottom, cmap_diverging(0)) <= 6);
    free(px);
    viz_panel_free(q);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_field_points_take_class_colours(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = paraboloid();
    float x[2] = {-0.5f, 0.5f}, y[2] = {0.5f, -0.5f};
    int cls[2] = {1, 2};
    assert_int_equal(viz_points_add(p, x, y, cls, 2, 0), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    for (int i = 0; i < 2; i++) {
        int X = (int)frame_px(&lay.f, x[i]), Y = (int)frame_py(&lay.f, y[i]);
        assert_true(vt_dist(px[Y * W + X], cmap_series(cls[i])) <= 3);
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_field_pixel_and_data_round_trip(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = paraboloid();
    double px, py, x, y;
    assert_int_equal(viz_panel_to_pixel(a, p, W, H, 0.25, -0.5, &px, &py), VIZ_OK);
    assert_int_equal(viz_panel_to_data(a, p, W, H, px, py, &x, &y), VIZ_OK);
    assert_true(fabs(x - 0.25) < 1e-9 && fabs(y + 0.5) < 1e-9);
    assert_int_equal(viz_panel_to_data(a, p, W, H, 1, 1, &x, &y), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "outside"));
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_field_rejects_bad_grid(void **state) {
    (void)state;
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    float v[4] = {0};
    assert_int_equal(viz_field_set(p, v, 1, 4, 0, 1, 0, 1), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "1 x 4"));
    assert_int_equal(viz_field_set(p, v, 2, 2, 1, 1, 0, 1), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "[1, 1]"));
    viz_panel_free(p);
}

/* f sampled on an n x n grid over the box, contours off. */
static viz_panel *sampled(double (*f)(double, double), int n, double x0, double x1, double y0,
                          double y1) {
    float *v = malloc((size_t)n * n * sizeof *v);
    assert_non_null(v);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            v[j * n + i] = (float)f(x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * j / (n - 1));
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_non_null(p);
    assert_int_equal(viz_field_set(p, v, n, n, x0, x1, y0, y1), VIZ_OK);
    assert_int_equal(viz_field_set_levels(p, NULL, 0, 0), VIZ_OK);
    free(v);
    return p;
}

static double bowl(double x, double y) {
    return x * x + y * y;
}

static double rosenbrock(double x, double y) {
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}

/* Where on the map (0..1) the heat colour at data (x, y) lies: the nearest of 256. */
static double map_place(viz_app *a, viz_panel *p, double x, double y) {
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    uint32_t c = px[(size_t)lround(frame_py(&lay.f, y)) * W + lround(frame_px(&lay.f, x))];
    free(px);
    int best = 0, bd = 1 << 30;
    for (int k = 0; k < 256; k++) {
        uint32_t m = cmap_viridis(k / 255.0);
        int d = abs(viz_r(m) - viz_r(c)) + abs(viz_g(m) - viz_g(c)) + abs(viz_b(m) - viz_b(c));
        if (d < bd) bd = d, best = k;
    }
    return best / 255.0;
}

static void test_field_log_colours_follow_the_spread_not_the_sampling(void **state) {
    (void)state;
    viz_app *a = vt_app();
    /* x^2 + y^2 over [-2, 2]^2: min 8e-4 at n = 100, 0 at n = 101; both linear, so the
     * value 2 (a quarter of 8) sits a quarter up the map */
    for (int n = 100; n <= 101; n++) {
        viz_panel *p = sampled(bowl, n, -2, 2, -2, 2);
        double u = map_place(a, p, 1, 1);
        if (fabs(u - 0.25) > 0.03) fail_msg("paraboloid n=%d: value 2 at %.3f of the map", n, u);
        viz_panel_free(p);
    }
    /* Rosenbrock: half its values in the lowest tenth, log on either sampling, so a
     * value near 1% of the top (25 of 2509, at x = 0.5, y = 0.75) sits well up the map */
    for (int n = 100; n <= 101; n++) {
        viz_panel *p = sampled(rosenbrock, n, -2, 2, -1, 3);
        double u = map_place(a, p, 0.5, 0.75);
        if (u < 0.5) fail_msg("rosenbrock n=%d: value 25 at %.3f of the map", n, u);
        viz_panel_free(p);
    }
    /* explicit levels spaced by decades ask for log colours on the paraboloid too */
    viz_panel *p = sampled(bowl, 100, -2, 2, -2, 2);
    double lv[4] = {0.01, 0.1, 1, 10};
    assert_int_equal(viz_field_set_levels(p, lv, 4, 0), VIZ_OK);
    double u = map_place(a, p, 0.5, 0); /* 0.25: far above a quarter in log */
    if (u < 0.5) fail_msg("paraboloid with decade levels: value 0.25 at %.3f of the map", u);
    viz_panel_free(p);
    viz_app_free(a);
}

/* A two-class field sure of class cls everywhere, with a training point at (-0.5, 0)
 * and a test point at (0.5, 0) of class cls (none when points is 0). */
static viz_panel *one_class_field(int cls, int points) {
    enum { N = 20 };
    static float prob[N * N * 2];
    for (int i = 0; i < N * N; i++) prob[2 * i + cls] = 0.95f, prob[2 * i + 1 - cls] = 0.05f;
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_non_null(p);
    assert_int_equal(viz_field_set_classes(p, prob, N, N, 2, -1, 1, -1, 1), VIZ_OK);
    float x[2] = {-0.5f, 0.5f}, y[2] = {0, 0};
    int c[2] = {cls, cls};
    if (points) {
        viz_points_add(p, x, y, c, 1, 0);
        viz_points_add(p, x + 1, y + 1, c + 1, 1, 1);
    }
    return p;
}

static void test_field_training_points_filled_test_points_hollow(void **state) {
    (void)state;
    viz_app *a = vt_app();
    for (int proj = 0; proj <= 1; proj++)
        for (int cls = 0; cls < 2; cls++) {
            viz_layout lay;
            viz_panel *bare = one_class_field(cls, 0), *p = one_class_field(cls, 1);
            uint32_t *b = vt_render_mode(a, bare, W, H, proj, &lay);
            uint32_t *px = vt_render_mode(a, p, W, H, proj, &lay);
            vt_look(px, W, H, proj ? "field_points_projector" : "field_points");
            viz_theme t;
            theme_make(&t, 1, proj);
            double r = t.point, edge = 1.2 * (proj ? 1.5 : 1);
            /* training: the class colour at the centre inside a dark outline */
            double cx = frame_px(&lay.f, -0.5), cy = frame_py(&lay.f, 0);
            uint32_t mid = px[(size_t)cy * W + (size_t)cx];
            if (vt_dist(mid, cmap_series(cls)) > 12)
                fail_msg("projector %d class %d: training point centre %06x, not its class colour",
                         proj, cls, mid & 0xffffff);
            int dark = 0;
            for (int k = 0; k < 16; k++) {
                double th = k * M_PI / 8, rr = r + edge / 2;
                dark += vt_luma(px[(size_t)(cy + rr * sin(th)) * W + (size_t)(cx + rr * cos(th))]) <
                        110;
            }
            if (dark < 12)
                fail_msg("projector %d class %d: %d of 16 outline pixels dark", proj, cls, dark);
            /* test: the background shows through the middle, a dark ring around it */
            cx = frame_px(&lay.f, 0.5);
            double R = 2.2 * r, hole = 0.25 * R;
            int changed = 0, darkring = 0;
            for (int y = (int)(cy - R - 2); y <= (int)(cy + R + 2); y++)
                for (int x = (int)(cx - R - 2); x <= (int)(cx + R + 2); x++) {
                    size_t i = (size_t)y * W + x;
                    if (hypot(x + 0.5 - cx, y + 0.5 - cy) < hole)
                        changed += vt_dist(px[i], b[i]) > 6;
                    darkring += vt_luma(px[i]) < 80;
                }
            if (changed)
                fail_msg("projector %d class %d: the test point's middle is not hollow (%d px)",
                         proj, cls, changed);
            if (darkring < 4 * R)
                fail_msg("projector %d class %d: test ring has %d dark pixels", proj, cls,
                         darkring);
            free(b), free(px);
            viz_panel_free(bare), viz_panel_free(p);
        }
    viz_app_free(a);
}

static void test_field_legend_keeps_off_the_paths_start(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = sampled(bowl, 60, -2, 2, -2, 2);
    enum { N = 40 };
    float x[2][N], y[2][N];
    for (int i = 0; i < N; i++) { /* from the top-right corner towards the minimum */
        double k = pow(0.9, i);
        x[0][i] = (float)(1.8 * k), y[0][i] = (float)(1.8 * k);
        x[1][i] = (float)(1.2 * k), y[1][i] = (float)(1.9 * k * k);
    }
    viz_series_add(p, "sgd", x[0], y[0], N);
    viz_series_add(p, "momentum", x[1], y[1], N);
    for (int proj = 0; proj <= 1; proj++) {
        viz_layout lay;
        uint32_t *px = vt_render_mode(a, p, W, H, proj, &lay);
        vt_look(px, W, H, proj ? "field_race_legend_projector" : "field_race_legend");
        int *L = lay.legend;
        assert_true(L[2] > 0);
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < N; i++) {
                int X = (int)frame_px(&lay.f, x[s][i]), Y = (int)frame_py(&lay.f, y[s][i]);
                if (vt_overlap(L, X - 3, Y - 3, 7, 7))
                    fail_msg("projector %d: legend (%d %d %d %d) over path %d at point %d", proj,
                             L[0], L[1], L[2], L[3], s, i);
            }
        free(px);
    }
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_field_trajectory_heads_and_legend(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = sampled(bowl, 40, -2, 2, -2, 2);
    float x[2][3] = {{-1.5f, -1.0f, -0.5f}, {1.5f, 1.0f, 0.6f}};
    float y[2][3] = {{-1.5f, -1.2f, -0.8f}, {-1.5f, -1.0f, -0.6f}};
    viz_series_add(p, "sgd", x[0], y[0], 3);
    viz_series_add(p, "adam", x[1], y[1], 3);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "field_heads");
    viz_theme t;
    theme_make(&t, 1, 0);
    for (int s = 0; s < 2; s++) { /* the head: a disc of the series colour in a white edge */
        double hx = frame_px(&lay.f, x[s][2]), hy = frame_py(&lay.f, y[s][2]);
        double r = t.point * 1.6;
        assert_true(vt_count(px, W, (int)(hx - r / 2), (int)(hy - r / 2), (int)(hx + r / 2) + 1,
                             (int)(hy + r / 2) + 1, cmap_series(s), 10) >= (int)(r * r / 2));
        int white = 0;
        for (int k = 0; k < 16; k++) {
            double th = k * M_PI / 8, rr = r + 0.7;
            white +=
                vt_luma(px[(size_t)(hy + rr * sin(th)) * W + (size_t)(hx + rr * cos(th))]) > 200;
        }
        if (white < 8) fail_msg("series %d: %d of 16 edge pixels white", s, white);
    }
    const int *L = lay.legend; /* both names, each beside its colour */
    assert_true(L[2] > 0);
    for (int s = 0; s < 2; s++)
        assert_true(vt_count(px, W, L[0], L[1], L[0] + L[2], L[1] + L[3], cmap_series(s), 10) > 15);
    assert_true(vt_dark(px, W, L[0], L[1], L[0] + L[2], L[1] + L[3], 100) > 20);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_field_classes_confidence_is_lightness(void **state) {
    (void)state;
    viz_app *a = vt_app();
    enum { N = 30, K = 3 };
    static float prob[N * N * K];
    for (int j = 0; j < N; j++) /* columns: sure of class 1, half sure, undecided */
        for (int i = 0; i < N; i++) {
            float *q = &prob[(j * N + i) * K];
            double c0 = i < 10 ? 1 : i < 20 ? 2.0 / 3 : 1.0 / 3;
            q[0] = (float)c0, q[1] = q[2] = (float)((1 - c0) / 2);
        }
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_int_equal(viz_field_set_classes(p, prob, N, N, K, 0, 3, 0, 3), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "field_confidence");
    int Y = (int)frame_py(&lay.f, 1.5), luma[3];
    for (int b = 0; b < 3; b++) {
        uint32_t c = px[(size_t)Y * W + (int)frame_px(&lay.f, 0.5 + b)];
        double conf = b == 0 ? 1 : b == 1 ? 0.5 : 0; /* (p - 1/k) / (1 - 1/k) */
        uint32_t want = viz_mix(viz_rgb(255, 255, 255), cmap_series(0), 0.15 + 0.55 * conf);
        if (vt_dist(c, want) > 6)
            fail_msg("confidence %.1f: %06x, %06x expected", conf, c & 0xffffff, want & 0xffffff);
        luma[b] = vt_luma(c);
    }
    assert_true(luma[0] < luma[1] && luma[1] < luma[2]); /* surer is darker */
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_field_y_labels_of_a_tiny_box_are_not_cut(void **state) {
    (void)state;
    viz_app *a = vt_app();
    /* a race's step view: a box 1e-3 wide far from zero, one unit as long on both axes */
    enum { N = 20 };
    static float v[N * N];
    for (int i = 0; i < N * N; i++) v[i] = (float)(4.1 + 1e-4 * (i % N) + 1e-4 * (i / N));
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_int_equal(viz_field_set(p, v, N, N, -1.0241, -1.0231, 1.0552, 1.0561), VIZ_OK);
    for (int w = 300; w <= 500; w += 50) {
        viz_layout lay;
        uint32_t *px = vt_render(a, p, w, 360, &lay);
        vt_look(px, w, 360, "field_tiny_box");
        int cut = vt_dark(px, w, 0, lay.f.y0 - 10, 2, lay.f.y1 + 10, 200);
        if (cut) fail_msg("width %d: y tick labels cut at the left edge (%d px)", w, cut);
        free(px);
    }
    viz_panel_free(p);
    viz_app_free(a);
}

/* The heat map and contours of a frame whose field did not change are copied back from
 * the panel's kept background (a race redraws its paths 60 times a second over the
 * same contours); any change of what they are drawn from draws them again. */
static void test_field_background_is_kept_until_the_field_changes(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = paraboloid();
    viz_layout lay;
    uint32_t *first = vt_render(a, p, W, H, &lay);
    assert_non_null(p->bg);
    /* mark the kept copy: the next render of the same field shows the mark */
    const uint32_t mark = viz_rgb(1, 2, 3);
    for (size_t i = 0; i < p->bgcap; i++) p->bg[i] = mark;
    int cx = (lay.f.x0 + lay.f.x1) / 2, cy = (lay.f.y0 + lay.f.y1) / 2;
    uint32_t *again = vt_render(a, p, W, H, &lay);
    assert_int_equal(again[cy * W + cx], mark);
    /* new levels, a new grid, another size: drawn afresh, as a new panel draws them */
    double lv = 0.5;
    assert_int_equal(viz_field_set_levels(p, &lv, 1, 0), VIZ_OK);
    uint32_t *relevel = vt_render(a, p, W, H, &lay);
    assert_int_not_equal(relevel[cy * W + cx], mark);
    viz_panel *fresh = paraboloid();
    assert_int_equal(viz_field_set_levels(fresh, &lv, 1, 0), VIZ_OK);
    uint32_t *want = vt_render(a, fresh, W, H, &lay);
    assert_memory_equal(relevel, want, (size_t)W * H * sizeof *want);
    static float flat[4] = {1, 1, 1, 1};
    for (size_t i = 0; i < p->bgcap; i++) p->bg[i] = mark;
    assert_int_equal(viz_field_set(p, flat, 2, 2, -1, 1, -1, 1), VIZ_OK);
    uint32_t *regrid = vt_render(a, p, W, H, &lay);
    assert_int_not_equal(regrid[cy * W + cx], mark);
    /* a new grid of the same size (a live view's next frame): drawn afresh too */
    static float tilted[4] = {0, 1, 1, 2};
    for (size_t i = 0; i < p->bgcap; i++) p->bg[i] = mark;
    assert_int_equal(viz_field_set(p, tilted, 2, 2, -1, 1, -1, 1), VIZ_OK);
    uint32_t *next = vt_render(a, p, W, H, &lay);
    assert_int_not_equal(next[cy * W + cx], mark);
    free(next);
    for (size_t i = 0; i < p->bgcap; i++) p->bg[i] = mark;
    uint32_t *small = vt_render(a, p, W / 2, H / 2, &lay);
    assert_int_not_equal(small[(H / 4) * (W / 2) + W / 4], mark);
    (void)first;
    free(first), free(again), free(relevel), free(want), free(regrid), free(small);
    viz_panel_free(fresh);
    viz_panel_free(p);
    viz_app_free(a);
}

/* A field's markers are recorded once and replayed over each new heat map: a frame
 * with a new grid, or with a point moved, is what a new panel draws from the same
 * grid and points. */
static viz_panel *field_with_points(const float *grid, float x0) {
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_int_equal(viz_field_set(p, grid, G, G, -1, 1, -1, 1), VIZ_OK);
    float x[] = {x0, 0.5f, -0.2f, 0.1f}, y[] = {0.3f, -0.4f, 0.6f, 0.05f};
    int cls[] = {0, 1, 0, 1};
    assert_int_equal(viz_points_add(p, x, y, cls, 2, 0), VIZ_OK);
    assert_int_equal(viz_points_add(p, x + 2, y + 2, cls + 2, 2, 1), VIZ_OK);
    return p;
}

static void test_field_markers_are_kept_and_follow_their_points(void **state) {
    (void)state;
    viz_app *a = vt_app();
    static float g1[G * G], g2[G * G];
    for (int i = 0; i < G * G; i++) g1[i] = (float)(i % G), g2[i] = (float)(i / G);
    viz_panel *p = field_with_points(g1, -0.5f);
    viz_layout lay;
    uint32_t *first = vt_render(a, p, W, H, &lay);
    assert_true(p->ptkey != 0 && p->ptlog.n > 0);
    /* the next frame: a new grid under the same points */
    assert_int_equal(viz_field_set(p, g2, G, G, -1, 1, -1, 1), VIZ_OK);
    uint32_t *next = vt_render(a, p, W, H, &lay);
    viz_panel *fresh = field_with_points(g2, -0.5f);
    uint32_t *want = vt_render(a, fresh, W, H, &lay);
    assert_memory_equal(next, want, (size_t)W * H * sizeof *want);
    /* a point moved: its marker moves */
    viz_points_clear(p);
    float x[] = {0.7f, 0.5f, -0.2f, 0.1f}, y[] = {0.3f, -0.4f, 0.6f, 0.05f};
    int cls[] = {0, 1, 0, 1};
    assert_int_equal(viz_points_add(p, x, y, cls, 2, 0), VIZ_OK);
    assert_int_equal(viz_points_add(p, x + 2, y + 2, cls + 2, 2, 1), VIZ_OK);
    uint32_t *moved = vt_render(a, p, W, H, &lay);
    viz_panel *fresh2 = field_with_points(g2, 0.7f);
    uint32_t *want2 = vt_render(a, fresh2, W, H, &lay);
    assert_memory_equal(moved, want2, (size_t)W * H * sizeof *want2);
    assert_memory_not_equal(moved, want, (size_t)W * H * sizeof *want);
    free(first), free(next), free(want), free(moved), free(want2);
    viz_panel_free(fresh), viz_panel_free(fresh2), viz_panel_free(p);
    viz_app_free(a);
}

/* Ink (dark pixels) of the x tick label band under data x, and of the y tick label band
 * left of data y, of a field over 0..10 rendered W x H. */
static int xband_ink(viz_app *a, viz_panel *p, const uint32_t *px, double x) {
    double cx, cy;
    assert_int_equal(viz_panel_to_pixel(a, p, W, H, x, 0, &cx, &cy), VIZ_OK);
    return vt_dark(px, W, (int)cx - 4, (int)cy + 3, (int)cx + 5, (int)cy + 24, 160);
}
static int yband_ink(viz_app *a, viz_panel *p, const uint32_t *px, double y) {
    double cx, cy;
    assert_int_equal(viz_panel_to_pixel(a, p, W, H, 0, y, &cx, &cy), VIZ_OK);
    return vt_dark(px, W, (int)cx - 40, (int)cy - 4, (int)cx - 3, (int)cy + 5, 160);
}

static void test_field_tick_labels_replace_the_numbers(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = sampled(bowl, 41, 0, 10, 0, 10);
    viz_layout lay;
    uint32_t *numbers = vt_render(a, p, W, H, &lay);
    /* numbered: 0, 2, 4, ... on both axes */
    assert_true(xband_ink(a, p, numbers, 4) > 5 && yband_ink(a, p, numbers, 4) > 5);
    const double pos[2] = {2.5, 7.5};
    const char *const names[2] = {"Ab", "Cd"};
    assert_int_equal(viz_panel_set_tick_labels(p, 0, 2, pos, names), VIZ_OK);
    assert_int_equal(viz_panel_set_tick_labels(p, 1, 2, pos, names), VIZ_OK);
    uint32_t *named = vt_render(a, p, W, H, &lay);
    vt_look(named, W, H, "field_tick_labels");
    for (int i = 0; i < 2; i++) /* the names where they were put */
        assert_true(xband_ink(a, p, named, pos[i]) > 5 && yband_ink(a, p, named, pos[i]) > 5);
    for (double v = 0; v <= 10; v += 2) /* and no number, no tick mark of one */
        assert_int_equal(xband_ink(a, p, named, v) + yband_ink(a, p, named, v), 0);
    /* n = 0: numbers again */
    assert_int_equal(viz_panel_set_tick_labels(p, 0, 0, NULL, NULL), VIZ_OK);
    uint32_t *again = vt_render(a, p, W, H, &lay);
    assert_true(xband_ink(a, p, again, 4) > 5 && xband_ink(a, p, again, 2.5) == 0);
    assert_int_equal(viz_panel_set_tick_labels(p, 2, 2, pos, names), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "axis 2"));
    assert_int_equal(viz_panel_set_tick_labels(p, 0, 2, pos, NULL), VIZ_EINVAL);
    free(numbers), free(named), free(again);
    viz_panel_free(p);
    viz_app_free(a);
}

/* A 3 x 2 matrix as flat cells centred on whole numbers, colours fixed to 0..10: each
 * cell's centre has its own value's colour (1 is a tenth up the map, not its bottom),
 * and the pixels next to an edge, on either side, have their cell's colour, nothing
 * between (no interpolation, no contour line). */
static void test_field_cells_are_flat_with_sharp_edges(void **state) {
    (void)state;
    viz_app *a = vt_app();
    static const float v[6] = {1, 2, 3, 4, 5, 6}; /* row 0 (bottom) 1 2 3, row 1 4 5 6 */
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_non_null(p);
    assert_int_equal(viz_field_set_cells(p, v, 3, 2, 0.5, 3.5, 0.5, 2.5), VIZ_OK);
    assert_int_equal(viz_field_set_value_range(p, 0, 10), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "field_cells");
    const viz_frame *f = &lay.f;
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 3; i++) {
            uint32_t want = cmap_viridis(v[j * 3 + i] / 10.0);
            int x = (int)frame_px(f, i + 1), y = (int)frame_py(f, j + 1);
            if (vt_dist(px[y * W + x], want) > 2)
                fail_msg("cell %d,%d: centre %06x, want %06x", i, j, px[y * W + x] & 0xffffff,
                         want & 0xffffff);
        }
    /* the edges x = 1.5 and 2.5 on row 0, and y = 1.5 on column 1: one pixel either side */
    for (int e = 0; e < 3; e++) {
        int vertical = e < 2;
        double at = vertical ? frame_px(f, 1.5 + e) : frame_py(f, 1.5);
        int before = (int)floor(at) - 1, after = (int)floor(at) + 1; /* centres either side */
        int across = vertical ? (int)frame_py(f, 1) : (int)frame_px(f, 2);
        /* cells either side: (e, 0) | (e + 1, 0); upward (x = 2): (1, 1) above (1, 0) */
        float lo = vertical ? v[e] : v[4], hi = vertical ? v[e + 1] : v[1];
        uint32_t c0 = vertical ? px[across * W + before] : px[before * W + across];
        uint32_t c1 = vertical ? px[across * W + after] : px[after * W + across];
        if (vt_dist(c0, cmap_viridis(lo / 10.0)) > 2 || vt_dist(c1, cmap_viridis(hi / 10.0)) > 2)
            fail_msg("edge %d at %.1f px: %06x | %06x, want %06x | %06x", e, at, c0 & 0xffffff,
                     c1 & 0xffffff, cmap_viridis(lo / 10.0) & 0xffffff,
                     cmap_viridis(hi / 10.0) & 0xffffff);
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_field_cells_and_value_range_reject_bad_input(void **state) {
    (void)state;
    viz_panel *p = viz_panel_new(VIZ_FIELD), *s = viz_panel_new(VIZ_SURFACE);
    float v[4] = {0};
    assert_int_equal(viz_field_set_cells(p, v, 1, 1, 0, 1, 0, 1), VIZ_OK); /* one cell */
    assert_int_equal(viz_field_set_cells(p, v, 0, 4, 0, 1, 0, 1), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "0 x 4"));
    assert_int_equal(viz_field_set_cells(p, v, 2, 2, 0, 1, 1, 1), VIZ_EINVAL);
    assert_int_equal(viz_field_set_value_range(p, 2, 1), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(p), "[2, 1]"));
    assert_int_equal(viz_field_set_value_range(p, NAN, NAN), VIZ_OK); /* automatic again */
    assert_int_equal(viz_field_set_cells(s, v, 2, 2, 0, 1, 0, 1), VIZ_EINVAL);
    assert_non_null(strstr(viz_panel_error(s), "surface"));
    assert_int_equal(viz_field_set_value_range(s, 0, 1), VIZ_EINVAL);
    viz_panel_free(p);
    viz_panel_free(s);
}

/* A confusion matrix as plot.confusion draws it (lua/views_data.lua): k x k flat cells,
 * the classes named on both axes (the first at the top), each non-zero cell annotated
 * "count percent%" at its centre. At the default 640 x 560 window, in both modes, for
 * 2, 3 and 10 classes (Fashion-MNIST's names, a trained MLP's counts): no two texts'
 * ink overlaps, every class is named below the x axis and left of the y axis, and every
 * annotation shows at least its percentage inside its own cell. */
static const char *const fashion[10] = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                        "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                        "Bag",         "Ankle boot"};
static const int fashion_cm[10][10] = {
    {812, 3, 14, 42, 5, 1, 113, 0, 10, 0},   {4, 955, 3, 28, 6, 0, 3, 0, 1, 0},
    {15, 1, 781, 11, 111, 0, 79, 0, 2, 0},   {27, 12, 12, 870, 38, 0, 37, 0, 4, 0},
    {0, 1, 98, 34, 800, 0, 64, 0, 3, 0},     {0, 0, 0, 1, 0, 935, 0, 41, 2, 21},
    {158, 2, 109, 36, 84, 0, 597, 0, 14, 0}, {0, 0, 0, 0, 0, 22, 0, 946, 0, 32},
    {4, 1, 6, 6, 4, 3, 12, 5, 959, 0},       {0, 0, 0, 0, 0, 9, 1, 39, 0, 951}};

static int ink_apart(const viz_text_ink *a, const viz_text_ink *b) {
    return a->x1 <= b->x0 || b->x1 <= a->x0 || a->y1 <= b->y0 || b->y1 <= a->y0;
}

static void check_confusion(viz_app *a, int k, int proj) {
    static const char *const two[2] = {"cat", "dog"}, *const three[3] = {"setosa", "versicolor",
                                                                         "virginica"};
    const char *const *names = k == 2 ? two : k == 3 ? three : fashion;
    float v[100];
    double pos[10];
    const char *down[10];
    char text[100][32];
    const char *labels[100];
    float px_[100], py_[100];
    size_t n = 0;
    for (int i = 0; i < k; i++) {
        int sum = 0;
        for (int j = 0; j < k; j++) sum += k == 10 ? fashion_cm[i][j] : (i == j ? 40 : 5 + j);
        pos[i] = i + 1, down[k - 1 - i] = names[i];
        for (int j = 0; j < k; j++) {
            int c = k == 10 ? fashion_cm[i][j] : (i == j ? 40 : 5 + j);
            v[(k - 1 - i) * k + j] = (float)(100.0 * c / sum); /* row 0 at the bottom */
            if (!c) continue;
            snprintf(text[n], sizeof text[n], "%d %.0f%%", c, 100.0 * c / sum);
            labels[n] = text[n], px_[n] = (float)(j + 1), py_[n] = (float)(k - i), n++;
        }
    }
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_non_null(p);
    assert_int_equal(viz_field_set_cells(p, v, k, k, 0.5, k + 0.5, 0.5, k + 0.5), VIZ_OK);
    assert_int_equal(viz_field_set_value_range(p, 0, 100), VIZ_OK);
    assert_int_equal(viz_panel_set_tick_labels(p, 0, k, pos, names), VIZ_OK);
    assert_int_equal(viz_panel_set_tick_labels(p, 1, k, pos, down), VIZ_OK);
    viz_panel_set_label(p, VIZ_TITLE,
                        "confusion matrix (10000 samples; colour: % of the true class)");
    viz_panel_set_label(p, VIZ_XLABEL, "predicted");
    viz_panel_set_label(p, VIZ_YLABEL, "true");
    assert_int_equal(viz_points_add(p, px_, py_, NULL, n, 0), VIZ_OK);
    assert_int_equal(viz_points_set_labels(p, labels, n), VIZ_OK);
    viz_text_ink log[1200];
    a->text_log = log, a->text_log_cap = 1200, a->text_log_n = 0;
    viz_layout lay;
    uint32_t *px = vt_render_mode(a, p, W, H, proj, &lay);
    a->text_log = NULL;
    char name[64];
    snprintf(name, sizeof name, "field_confusion_%d%s", k, proj ? "_projector" : "");
    vt_look(px, W, H, name);
    assert_true(a->text_log_n < 1200);
    /* the halo draws each text eight times a pixel off: one box per text (the kept one
     * may lie two pixels off another copy) */
    viz_text_ink kept[400];
    int nk = 0;
    for (int i = 0; i < a->text_log_n; i++) {
        const viz_text_ink *t = &log[i];
        if (t->x1 <= t->x0) continue;
        int dup = 0;
        for (int q = 0; q < nk && !dup; q++)
            dup = !strcmp(kept[q].s, t->s) && abs(kept[q].x0 - t->x0) <= 2 &&
                  abs(kept[q].y0 - t->y0) <= 2;
        if (!dup && nk < 400) kept[nk++] = *t;
    }
    for (int i = 0; i < nk; i++)
        for (int j = i + 1; j < nk; j++)
            if (!ink_apart(&kept[i], &kept[j]))
                fail_msg("%d classes, projector %d: \"%s\" (%d %d %d %d) overlaps \"%s\" (%d %d %d "
                         "%d)",
                         k, proj, kept[i].s, kept[i].x0, kept[i].y0, kept[i].x1, kept[i].y1,
                         kept[j].s, kept[j].x0, kept[j].y0, kept[j].x1, kept[j].y1);
    const viz_frame *f = &lay.f;
    for (int c = 0; c < k; c++) {
        int onx = 0, ony = 0;
        for (int i = 0; i < nk; i++) {
            if (strcmp(kept[i].s, names[c])) continue;
            onx |= kept[i].y0 >= f->y1 && kept[i].x0 < frame_px(f, c + 1) &&
                   kept[i].x1 > frame_px(f, c + 1);
            ony |= kept[i].x1 <= f->x0 && kept[i].y0 < frame_py(f, k - c) &&
                   kept[i].y1 > frame_py(f, k - c);
        }
        if (!onx || !ony)
            fail_msg("%d classes, projector %d: \"%s\" not named on the %s axis", k, proj, names[c],
                     onx ? "y" : "x");
    }
    for (size_t q = 0; q < n; q++) { /* the percentage, at least, inside its own cell */
        const char *pct = strrchr(labels[q], ' ') + 1;
        double cx0 = frame_px(f, px_[q] - 0.5), cx1 = frame_px(f, px_[q] + 0.5);
        double cy0 = frame_py(f, py_[q] + 0.5), cy1 = frame_py(f, py_[q] - 0.5);
        int shown = 0;
        for (int i = 0; i < nk && !shown; i++)
            shown = (strstr(kept[i].s, pct) || !strcmp(kept[i].s, labels[q])) &&
                    kept[i].x0 >= cx0 && kept[i].x1 <= cx1 + 1 && kept[i].y0 >= cy0 &&
                    kept[i].y1 <= cy1 + 1;
        if (!shown)
            fail_msg("%d classes, projector %d: cell \"%s\" shows no percentage inside it", k, proj,
                     labels[q]);
    }
    if (k == 10) { /* hovering a cell that shows its percentage alone gives its count */
        char buf[256];
        int x = (int)frame_px(f, 2), y = (int)frame_py(f, 10); /* "3 0%": T-shirt as Trouser */
        assert_true(panel_hover_text(p, &lay, x, y, buf, sizeof buf));
        if (!strstr(buf, "3 0%")) fail_msg("projector %d: hover says \"%s\"", proj, buf);
    }
    free(px);
    viz_panel_free(p);
}

static void test_field_confusion_texts_apart_every_class_named(void **state) {
    (void)state;
    viz_app *a = vt_app();
    static const int ks[3] = {2, 3, 10};
    for (int proj = 0; proj <= 1; proj++)
        for (int i = 0; i < 3; i++) check_confusion(a, ks[i], proj);
    viz_app_free(a);
}

/* A cell field without names counts its cells: whole-number ticks on both axes (three
 * by two cells at 640 x 560 once had 0.75, 1.25, ... on y). */
static void test_field_cells_ticks_are_whole_numbers(void **state) {
    (void)state;
    viz_app *a = vt_app();
    static const float v[6] = {1, 2, 3, 4, 5, 6};
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_non_null(p);
    assert_int_equal(viz_field_set_cells(p, v, 3, 2, 0.5, 3.5, 0.5, 2.5), VIZ_OK);
    for (int proj = 0; proj <= 1; proj++) {
        viz_layout lay;
        uint32_t *px = vt_render_mode(a, p, W, H, proj, &lay);
        const viz_frame *f = &lay.f;
        assert_true(f->nxt >= 2 && f->nyt >= 2);
        for (int i = 0; i < f->nxt; i++)
            if (f->xt[i] != floor(f->xt[i])) fail_msg("projector %d: x tick %g", proj, f->xt[i]);
        for (int i = 0; i < f->nyt; i++)
            if (f->yt[i] != floor(f->yt[i])) fail_msg("projector %d: y tick %g", proj, f->yt[i]);
        free(px);
    }
    /* cells over 0..1 are not counted: their ticks stay fractions (0, 0.2, ...) */
    assert_int_equal(viz_field_set_cells(p, v, 3, 2, 0, 1, 0, 1), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    assert_true(lay.f.nxt >= 3 && lay.f.nyt >= 3 && lay.f.xt[1] - lay.f.xt[0] < 1);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_contour_passes_at_radius),
        cmocka_unit_test(test_field_colorbar_ends_have_map_end_colours),
        cmocka_unit_test(test_field_points_take_class_colours),
        cmocka_unit_test(test_field_pixel_and_data_round_trip),
        cmocka_unit_test(test_field_rejects_bad_grid),
        cmocka_unit_test(test_field_log_colours_follow_the_spread_not_the_sampling),
        cmocka_unit_test(test_field_training_points_filled_test_points_hollow),
        cmocka_unit_test(test_field_legend_keeps_off_the_paths_start),
        cmocka_unit_test(test_field_trajectory_heads_and_legend),
        cmocka_unit_test(test_field_classes_confidence_is_lightness),
        cmocka_unit_test(test_field_y_labels_of_a_tiny_box_are_not_cut),
        cmocka_unit_test(test_field_background_is_kept_until_the_field_changes),
        cmocka_unit_test(test_field_markers_are_kept_and_follow_their_points),
        cmocka_unit_test(test_field_tick_labels_replace_the_numbers),
        cmocka_unit_test(test_field_cells_are_flat_with_sharp_edges),
        cmocka_unit_test(test_field_cells_and_value_range_reject_bad_input),
        cmocka_unit_test(test_field_confusion_texts_apart_every_class_named),
        cmocka_unit_test(test_field_cells_ticks_are_whole_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
