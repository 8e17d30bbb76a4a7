/* test_kinds.c: the table of plot kinds (kinds.c) is complete and consistent: every
 * kind has a unique name, a window size, a draw and a hover; a setter refuses a kind
 * that does not take it, naming the kind; and kinds other than the field answer hover
 * themselves (bars, scatter, network, text). */
#include <math.h>
#include <string.h>

#include "vizt.h"

static void test_kinds_every_kind_has_a_record(void **state) {
    (void)state;
    for (int k = 0; k < VIZ_NKINDS; k++) {
        const viz_kind_def *d = kind_def((viz_kind)k);
        if (!d) fail_msg("kind %d has no record in kinds.c's table", k);
        if (!d->name || !*d->name) fail_msg("kind %d has no name", k);
        if (!d->draw || !d->hover) fail_msg("kind %s lacks draw or hover", d->name);
        /* a window that a panel can render into (16 to 16384 pixels a side) */
        if (d->width < 16 || d->height < 16 || d->width > 4096 || d->height > 4096)
            fail_msg("kind %s: window %d x %d", d->name, d->width, d->height);
        assert_string_equal(viz_kind_name((viz_kind)k), d->name);
        int w, h;
        assert_int_equal(viz_kind_size((viz_kind)k, &w, &h), VIZ_OK);
        assert_int_equal(w, d->width);
        assert_int_equal(h, d->height);
        for (int j = 0; j < k; j++)
            if (strcmp(viz_kind_name((viz_kind)j), d->name) == 0)
                fail_msg("kinds %d and %d are both called %s", j, k, d->name);
        viz_panel *p = viz_panel_new((viz_kind)k);
        assert_non_null(p);
        assert_int_equal(viz_panel_kind(p), k);
        viz_panel_free(p);
    }
    /* past the end is no kind */
    int w, h;
    assert_null(kind_def(VIZ_NKINDS));
    assert_null(viz_kind_name(VIZ_NKINDS));
    assert_null(viz_kind_name((viz_kind)-1));
    assert_int_equal(viz_kind_size(VIZ_NKINDS, &w, &h), VIZ_EINVAL);
    assert_null(viz_panel_new(VIZ_NKINDS));
}

/* The names the Lua side has always used, by their enum values. */
static void test_kinds_names_match_the_enum(void **state) {
    (void)state;
    assert_string_equal(viz_kind_name(VIZ_LINES), "lines");
    assert_string_equal(viz_kind_name(VIZ_FIELD), "field");
    assert_string_equal(viz_kind_name(VIZ_HIST), "hist");
    assert_string_equal(viz_kind_name(VIZ_SURFACE), "surface");
    assert_string_equal(viz_kind_name(VIZ_GRAPH), "graph");
}

/* Each setter goes with a VIZ_TAKES_* flag: taken where the record says so, refused
 * with the kind's name everywhere else. */
static void test_kinds_setters_follow_the_takes_flags(void **state) {
    (void)state;
    float v[4] = {0, 1, 2, 3};
    for (int k = 0; k < VIZ_NKINDS; k++) {
        const viz_kind_def *d = kind_def((viz_kind)k);
        viz_panel *p = viz_panel_new((viz_kind)k);
        int rc = viz_text_set(p, "readout");
        assert_int_equal(rc, d->takes & VIZ_TAKES_TEXT ? VIZ_OK : VIZ_EINVAL);
        rc = viz_field_set(p, v, 2, 2, 0, 1, 0, 1);
        assert_int_equal(rc, d->takes & VIZ_TAKES_GRID ? VIZ_OK : VIZ_EINVAL);
        rc = viz_series_add(p, "s", NULL, v, 4);
        assert_int_equal(rc, d->takes & VIZ_TAKES_SERIES ? VIZ_OK : VIZ_EINVAL);
        rc = viz_hist_set(p, v, 4, 2);
        assert_int_equal(rc, d->takes & VIZ_TAKES_HIST ? VIZ_OK : VIZ_EINVAL);
        if (rc) {
            char want[96];
            snprintf(want, sizeof want, "hist: not available on a %s panel", d->name);
            assert_string_equal(viz_panel_error(p), want);
        }
        viz_panel_free(p);
    }
}

static void test_kinds_bars_hover_names_the_group_values(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_BARS);
    float v[6] = {0.1f, 0.7f, 0.5f, 0.25f, 0.9f, 0.05f}; /* 3 groups of 2 series */
    const char *groups[] = {"cat", "dog", "cow"}, *series[] = {"a", "b"};
    assert_int_equal(viz_bars_set(p, v, 3, 2, groups, series), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, 500, 400, &lay);
    char buf[128];
    const char *want[3] = {"cat: 0.1 0.7", "dog: 0.5 0.25", "cow: 0.9 0.05"};
    for (int g = 0; g < 3; g++) { /* group g sits at x = g + 1 */
        int x = (int)frame_px(&lay.f, g + 1.2), y = (int)frame_py(&lay.f, 0.02);
        assert_true(panel_hover_text(p, &lay, x, y, buf, sizeof buf));
        assert_string_equal(buf, want[g]);
    }
    /* off the plot area: nothing */
    assert_false(panel_hover_text(p, &lay, lay.f.x0 - 5, lay.f.y0 + 5, buf, sizeof buf));
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_kinds_scatter_hover_reads_the_coordinates(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_SCATTER);
    float x[3] = {0, 1, 2}, y[3] = {0, 4, 2};
    assert_int_equal(viz_points_add(p, x, y, NULL, 3, 0), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, 500, 400, &lay);
    char buf[128];
    int cx = (int)frame_px(&lay.f, 1.5), cy = (int)frame_py(&lay.f, 3);
    assert_true(panel_hover_text(p, &lay, cx, cy, buf, sizeof buf));
    double hx, hy;
    assert_int_equal(sscanf(buf, "x %lf  y %lf", &hx, &hy), 2);
    if (fabs(hx - 1.5) > 0.05 || fabs(hy - 3) > 0.05) fail_msg("hover at (1.5, 3) says %s", buf);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_kinds_network_hover_names_the_neuron(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_NETWORK);
    int sizes[3] = {2, 3, 1};
    assert_int_equal(viz_network_set(p, sizes, 3, NULL), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, 600, 400, &lay);
    const char *want[3][3] = {{"input 1", "input 2", NULL},
                              {"layer 1, neuron 1", "layer 1, neuron 2", "layer 1, neuron 3"},
                              {"output 1", NULL, NULL}};
    char buf[128];
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < sizes[l]; i++) {
            double cx, cy, node;
            assert_true(network_node_centre(p, &lay, l, i, &cx, &cy, &node));
            assert_true(panel_hover_text(p, &lay, (int)cx, (int)cy, buf, sizeof buf));
            assert_string_equal(buf, want[l][i]);
            int hl, hi; /* the same node is the item that motion events report */
            assert_true(kind_def(VIZ_NETWORK)->item_at(p, &lay, (int)cx, (int)cy, &hl, &hi));
            assert_int_equal(hl, l);
            assert_int_equal(hi, i);
        }
    assert_false(panel_hover_text(p, &lay, 2, 398, buf, sizeof buf)); /* a corner */
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_kinds_text_hover_says_nothing(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_TEXT);
    assert_int_equal(viz_text_set(p, "loss 0.25"), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, 300, 200, &lay);
    char buf[128] = "";
    for (int y = 0; y < 200; y += 20)
        for (int x = 0; x < 300; x += 20) assert_false(panel_hover_text(p, &lay, x, y, buf, 128));
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_every_kind_has_a_record),
        cmocka_unit_test(test_kinds_names_match_the_enum),
        cmocka_unit_test(test_kinds_setters_follow_the_takes_flags),
        cmocka_unit_test(test_kinds_bars_hover_names_the_group_values),
        cmocka_unit_test(test_kinds_scatter_hover_reads_the_coordinates),
        cmocka_unit_test(test_kinds_network_hover_names_the_neuron),
        cmocka_unit_test(test_kinds_text_hover_says_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
