/* test_plot_matrix.c: the matrix kind writes each cell's number in it (the ink of a
 * cell with a number differs from an empty one's), colours cells by value, greys
 * padding, blanks cells not computed yet, outlines the marked window, and its hover
 * names the cell under the cursor. */
#include <math.h>
#include <string.h>

#include "vizt.h"

#define W 400
#define H 400

/* Pixels inside cell (r, c) whose colour differs from its fill (near its corner) by
 * more than 60: the ink of its number. */
static int ink(const uint32_t *px, const viz_layout *g, int r, int c) {
    int x0 = g->gx + c * g->cellw, y0 = g->gy + r * g->cellh, s = g->cellw;
    uint32_t fill = px[(size_t)(y0 + 3) * W + x0 + 3];
    int area = (s - 8) * (s - 8);
    return area - vt_count(px, W, x0 + 4, y0 + 4, x0 + s - 4, y0 + s - 4, fill, 60);
}

static viz_panel *tv01_output(void) {
    static const float v[16] = {0, 30, 30, 0, 0, 30, 30, 0, 0, 30, 30, 0, 0, 30, 30, 0};
    viz_panel *p = viz_panel_new(VIZ_MATRIX);
    assert_int_equal(viz_images_set(p, v, 1, 4, 4, 1, 1, 0), VIZ_OK);
    return p;
}

static void test_matrix_writes_each_number_in_its_cell(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = tv01_output();
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "matrix_numbers");
    assert_true(lay.cellw >= 60); /* 4 x 4 cells in 400 x 400 */
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            if (ink(px, &lay, r, c) < 10) fail_msg("cell %d,%d has no number written", r, c);
    /* 0 is drawn black (gray map: low values dark), 30 white */
    uint32_t c0 = px[(size_t)(lay.gy + 3) * W + lay.gx + 3];
    uint32_t c1 = px[(size_t)(lay.gy + 3) * W + lay.gx + lay.cellw + 3];
    assert_true(vt_luma(c0) < 40);
    assert_true(vt_luma(c1) > 215);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_matrix_blank_cells_have_no_number_and_padding_is_grey(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = tv01_output();
    float x[2] = {1, 2}, y[2] = {0, 3};
    int cls[2] = {2, 1}; /* cell (0,1) blank, cell (3,2) padding */
    assert_int_equal(viz_points_add(p, x, y, cls, 2, 0), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    assert_int_equal(ink(px, &lay, 0, 1), 0);
    assert_true(ink(px, &lay, 0, 2) >= 10);
    /* the padding cell is neither the white of 30 nor the background */
    uint32_t pad = px[(size_t)(lay.gy + 3 * lay.cellh + 3) * W + lay.gx + 2 * lay.cellw + 3];
    assert_true(vt_luma(pad) < 245 && vt_luma(pad) > 120);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_matrix_outlines_the_marked_window(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = tv01_output();
    float x[4] = {1, 2, 1, 2}, y[4] = {1, 1, 2, 2};
    assert_int_equal(viz_points_add(p, x, y, NULL, 4, 0), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    vt_look(px, W, H, "matrix_window");
    int s = lay.cellw, x0 = lay.gx + s, y0 = lay.gy + s;
    /* the window's outer edge in the mark colour, not the edge between its cells */
    int edge = vt_count(px, W, x0 + 5, y0 - 1, x0 + 2 * s - 5, y0 + 2, 0xffe69f00u, 40);
    int inner = vt_count(px, W, x0 + 5, y0 + s - 1, x0 + 2 * s - 5, y0 + s + 2, 0xffe69f00u, 40);
    assert_true(edge > s);
    assert_int_equal(inner, 0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_matrix_hover_names_the_cell(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = tv01_output();
    viz_layout lay;
    uint32_t *px = vt_render(a, p, W, H, &lay);
    char buf[128];
    const viz_kind_def *d = kind_def(VIZ_MATRIX);
    assert_int_equal(
        d->hover(p, &lay, lay.gx + lay.cellw + 5, lay.gy + 2 * lay.cellh + 5, buf, sizeof buf), 1);
    assert_string_equal(buf, "row 3  col 2  value 30");
    assert_int_equal(d->hover(p, &lay, lay.gx - 5, lay.gy + 5, buf, sizeof buf), 0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

static void test_matrix_big_grids_leave_the_numbers_out(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_MATRIX);
    static float v[28 * 28];
    for (int i = 0; i < 28 * 28; i++) v[i] = (float)(i % 28) * 9.1f;
    assert_int_equal(viz_images_set(p, v, 1, 28, 28, 1, 1, 0), VIZ_OK);
    viz_layout lay;
    uint32_t *px = vt_render(a, p, 200, 200, &lay);
    assert_true(lay.cellw >= 1 && lay.cellw < 8);
    assert_int_equal(a->text_cut, 0);
    free(px);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_writes_each_number_in_its_cell),
        cmocka_unit_test(test_matrix_blank_cells_have_no_number_and_padding_is_grey),
        cmocka_unit_test(test_matrix_outlines_the_marked_window),
        cmocka_unit_test(test_matrix_hover_names_the_cell),
        cmocka_unit_test(test_matrix_big_grids_leave_the_numbers_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
