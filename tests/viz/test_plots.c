/* test_plots.c: every plot kind renders offscreen with its parts in place, in normal
 * and projector mode. With NNLAB_VIZ_LOOK=folder the renders are written there as PNG
 * for a person to look at. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define W 800
#define H 560

/* Small deterministic noise (no global generator). */
static double noise(unsigned *s) {
    *s = *s * 1664525u + 1013904223u;
    return (*s >> 8) / 16777216.0 - 0.5;
}

static viz_panel *make(viz_kind k) {
    unsigned seed = 7;
    viz_panel *p = viz_panel_new(k);
    assert_non_null(p);
    switch (k) {
    case VIZ_LINES: {
        enum { N = 3000 };
        static float tr[N], va[N], vx[N / 100];
        for (int i = 0; i < N; i++)
            tr[i] = (float)(2.0 * exp(-i / 600.0) + 0.02 + 0.05 * fabs(noise(&seed)));
        for (int i = 0; i < N / 100; i++) {
            vx[i] = (float)(i * 100 + 100);
            va[i] = (float)(2.0 * exp(-vx[i] / 700.0) + 0.06 + 0.0000004 * vx[i] * vx[i] / 100);
        }
        viz_panel_set_label(p, VIZ_TITLE, "Loss");
        viz_panel_set_label(p, VIZ_XLABEL, "step");
        viz_panel_set_label(p, VIZ_YLABEL, "cross-entropy");
        viz_series_add(p, "train", NULL, tr, N);
        viz_series_add(p, "validation", vx, va, N / 100);
        viz_series_set_smooth(p, 0.9);
        viz_panel_set_log(p, 0, 1);
        viz_panel_add_marker(p, 2200, "early stop");
        break;
    }
    case VIZ_FIELD: {
        enum { G = 120 };
        static float v[G * G];
        for (int j = 0; j < G; j++)
            for (int i = 0; i < G; i++) {
                double x = -2 + 4.0 * i / (G - 1), y = -2 + 4.0 * j / (G - 1);
                v[j * G + i] = (float)(x * x - y * y + 0.3 * sin(3 * x));
            }
        viz_panel_set_label(p, VIZ_TITLE, "x² − y² + 0.3 sin 3x");
        viz_panel_set_label(p, VIZ_XLABEL, "x");
        viz_panel_set_label(p, VIZ_YLABEL, "y");
        viz_field_set(p, v, G, G, -2, 2, -2, 2);
        float px[40], py[40];
        int c[40];
        for (int i = 0; i < 40; i++)
            px[i] = (float)(3.6 * noise(&seed)), py[i] = (float)(3.6 * noise(&seed)),
            c[i] = px[i] * px[i] > py[i] * py[i];
        viz_points_add(p, px, py, c, 30, 0);
        viz_points_add(p, px + 30, py + 30, c + 30, 10, 1);
        float tx[30], ty[30], ux[30], uy[30];
        for (int i = 0; i < 30; i++) {
            tx[i] = (float)(-1.5 + 0.05 * i), ty[i] = (float)(1.5 * pow(0.9, i));
            ux[i] = (float)(1.5 - 0.04 * i), uy[i] = (float)(-1.2 * pow(0.85, i) + 0.02 * i);
        }
        viz_series_add(p, "sgd", tx, ty, 30);
        viz_series_add(p, "adam", ux, uy, 30);
        break;
    }
    case VIZ_IMAGES: {
        enum { N = 16, S = 5 };
        static float im[N * S * S];
        for (int i = 0; i < N * S * S; i++) im[i] = (float)noise(&seed);
        viz_panel_set_label(p, VIZ_TITLE, "conv1 filters");
        viz_images_set(p, im, N, S, S, 1, 1, 0);
        for (int i = 0; i < N; i++) {
            char buf[16];
            snprintf(buf, sizeof buf, "f%d", i + 1);
            viz_images_set_caption(p, i, buf);
        }
        break;
    }
    case VIZ_BARS: {
        static float v[20];
        static const char *g[10] = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal",  "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
        static const char *s[2] = {"model A", "model B"};
        for (int i = 0; i < 20; i++) v[i] = (float)(0.5 + noise(&seed)) * (i == 14 ? 3 : 0.3f);
        viz_panel_set_label(p, VIZ_TITLE, "class probabilities");
        viz_bars_set(p, v, 10, 2, g, s);
        break;
    }
    case VIZ_HIST: {
        static float v[5000];
        for (int i = 0; i < 5000; i++) {
            double s = 0;
            for (int k = 0; k < 6; k++) s += noise(&seed);
            v[i] = (float)s;
        }
        viz_panel_set_label(p, VIZ_TITLE, "activations, layer 2");
        viz_panel_set_label(p, VIZ_XLABEL, "value");
        viz_hist_set(p, v, 5000, 40);
        break;
    }
    case VIZ_SCATTER: {
        float x[90], y[90];
        int c[90];
        for (int i = 0; i < 90; i++) {
            c[i] = i % 3;
            x[i] = (float)(c[i] * 2 + noise(&seed) * 1.5),
            y[i] = (float)(c[i] % 2 * 2 + noise(&seed) * 1.5);
        }
        viz_panel_set_label(p, VIZ_TITLE, "2-D codes");
        viz_points_add(p, x, y, c, 90, 0);
        const char *lab[3] = {"king", "queen", "apple"};
        viz_points_set_labels(p, lab, 3);
        break;
    }
    case VIZ_NETWORK: {
        int sizes[4] = {2, 4, 4, 3};
        static float w[2 * 4 + 4 * 4 + 4 * 3];
        for (size_t i = 0; i < sizeof w / sizeof *w; i++) w[i] = (float)(2 * noise(&seed));
        viz_panel_set_label(p, VIZ_TITLE, "2-4-4-3 net");
        viz_network_set(p, sizes, 4, w);
        enum { R = 12, NN = 13 };
        static float m[NN * R * R];
        for (int n = 0; n < NN; n++)
            for (int j = 0; j < R; j++)
                for (int i = 0; i < R; i++)
                    m[(n * R + j) * R + i] = (float)tanh((i - 5.5) * cos(n) + (j - 5.5) * sin(n));
        viz_network_set_maps(p, m, NN, R);
        break;
    }
    case VIZ_TEXT:
        viz_panel_set_label(p, VIZ_TITLE, "training");
        viz_text_set(p, "epoch  12 / 200\nstep   3 840\nloss   0.0831\nlr     0.003");
        break;
    case VIZ_SURFACE: {
        enum { G = 50 };
        static float v[G * G];
        for (int j = 0; j < G; j++)
            for (int i = 0; i < G; i++) {
                double x = -2 + 4.0 * i / (G - 1), y = -2 + 4.0 * j / (G - 1);
                v[j * G + i] = (float)(x * x + 3 * y * y + sin(3 * x) * 0.7);
            }
        viz_panel_set_label(p, VIZ_TITLE, "loss surface");
        viz_surface_set(p, v, G, G, -2, 2, -2, 2);
        break;
    }
    case VIZ_GRAPH: { /* lesson 02's E = 0.5 * sum((T - sigmoid(sigmoid(X V + V0) W + W0))^2) */
        static const char *lab[] = {"X\n1×3",   "V\n3×3",       "matmul\n1×3",  "V0\n1×3",
                                    "add\n1×3", "sigmoid\n1×3", "W\n3×2",       "matmul\n1×2",
                                    "W0\n1×2",  "add\n1×2",     "sigmoid\n1×2", "T\n1×2",
                                    "sub\n1×2", "pow\n1×2",     "sum\n1",       "mul\n1"};
        static const int sty[] = {2, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 2, 0, 0, 0, 0};
        static const int from[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10, 12, 13, 14};
        static const int to[] = {2, 2, 4, 4, 5, 7, 7, 9, 9, 10, 12, 12, 13, 14, 15};
        viz_panel_set_label(p, VIZ_TITLE, "the recorded graph of E");
        viz_graph_set(p, lab, sty, 16, from, to, 15);
        break;
    }
    case VIZ_MATRIX: { /* the course's TV-01 output with the kernel's window marked */
        static const float v[16] = {0, 30, 30, 0, 0, 30, 30, 0, 0, 30, 30, 0, 0, 30, 30, 0};
        static const float mx[4] = {0, 1, 0, 1}, my[4] = {0, 0, 1, 1};
        viz_panel_set_label(p, VIZ_TITLE, "output");
        viz_images_set(p, v, 1, 4, 4, 1, 1, 0);
        viz_points_add(p, mx, my, NULL, 4, 0);
        break;
    }
    case VIZ_NKINDS: /* not a kind; a new kind without a case here fails to compile */
        break;
    }
    return p;
}

static void test_plots_every_kind_renders(void **state) {
    (void)state;
    viz_app *a = vt_app();
    for (int k = 0; k < VIZ_NKINDS; k++) {
        for (int proj = 0; proj < 2; proj++) {
            viz_panel *p = make((viz_kind)k);
            uint32_t *px = malloc(W * H * sizeof *px);
            assert_int_equal(viz_panel_render(a, p, px, W, H, 1, proj), VIZ_OK);
            char name[64];
            snprintf(name, sizeof name, "%s%s", viz_kind_name((viz_kind)k),
                     proj ? "_projector" : "");
            vt_look(px, W, H, name);
            /* drawn: a title at the top and some ink below it */
            int title = vt_dark(px, W, W / 2 - 60, 0, W / 2 + 60, 40, 100);
            int ink = W * H - vt_count(px, W, 0, 40, W, H, viz_rgb(255, 255, 255), 0);
            if (title < 20 || ink < 2000)
                fail_msg("%s: %d title pixels, %d drawn", name, title, ink);
            free(px);
            viz_panel_free(p);
        }
    }
    viz_app_free(a);
}

static void test_plots_multiclass_field_uses_class_hues(void **state) {
    (void)state;
    viz_app *a = vt_app();
    enum { G = 60 };
    static float pr[G * G * 3];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            double ang = atan2(j - G / 2.0, i - G / 2.0) + M_PI, e[3], s = 0;
            for (int c = 0; c < 3; c++)
                s += e[c] = exp(4 * cos(ang - c * 2 * M_PI / 3 + 0.5 * hypot(i - 30, j - 30) / 6));
            for (int c = 0; c < 3; c++) pr[(j * G + i) * 3 + c] = (float)(e[c] / s);
        }
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    viz_panel_set_label(p, VIZ_TITLE, "decision regions, 3 classes");
    assert_int_equal(viz_field_set_classes(p, pr, G, G, 3, -1, 1, -1, 1), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "field_classes");
    /* each class hue shows up somewhere (as a pale tint of its colour) */
    for (int c = 0; c < 3; c++) {
        int best = 255;
        for (int i = 0; i < W * H; i += 7) {
            uint32_t want = viz_mix(viz_rgb(255, 255, 255), cmap_series(c), 0.7);
            int d = vt_dist(px[i], want);
            if (d < best) best = d;
        }
        if (best > 12) fail_msg("class %d hue missing (closest %d)", c, best);
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_plots_hist_hover_names_the_bin_count(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_HIST);
    /* bins of width 1 over [0, 4]: counts 1, 2, 3, 4 */
    float v[10] = {0, 1, 1, 2, 2, 2, 4, 4, 4, 4};
    assert_int_equal(viz_hist_set(p, v, 10, 4), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, 500, 400, &lay);
    char buf[128];
    const char *want[4] = {"1 in [0, 1)", "2 in [1, 2)", "3 in [2, 3)", "4 in [3, 4]"};
    for (int b = 0; b < 4; b++) {
        int x = (int)frame_px(&lay.f, b + 0.5), y = (int)frame_py(&lay.f, 0.5);
        assert_true(panel_hover_text(p, &lay, x, y, buf, sizeof buf));
        assert_string_equal(buf, want[b]);
    }
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plots_every_kind_renders),
        cmocka_unit_test(test_plots_multiclass_field_uses_class_hues),
        cmocka_unit_test(test_plots_hist_hover_names_the_bin_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
