/* test_field_layer.c: a field's heat map and contours rendered away from the panel
 * (viz_field_layer, on a thread of its own as the decision view's worker renders it)
 * give the very pixels the panel draws itself from the same grid: two classes, three
 * classes, a scalar grid with a colour bar and automatic contours; the markers over
 * them too for classes. The panel really copies the layer (its background key stays
 * the one adopt set), a layer of another size, grid or points is never shown, and one
 * that does not match the panel is refused. */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "vizt.h"

#define N 60
#define W 640
#define H 560

/* A field of k values a node (k == 1: scalar) over [-2, 2]^2, varying with phase;
 * scalar grids keep their corners (min and max) so the colour bar stays the same. */
static float *field_grid(int k, double phase) {
    float *g = malloc((size_t)N * N * k * sizeof *g);
    assert_non_null(g);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            double x = -2 + 4.0 * i / (N - 1), y = -2 + 4.0 * j / (N - 1);
            float *o = g + ((size_t)j * N + i) * k;
            if (k == 1) {
                o[0] = (float)(sin(x * 1.7 + phase) * cos(y * 1.3 - phase) * 0.8);
                continue;
            }
            double sum = 0, e[8];
            for (int c = 0; c < k; c++)
                sum += e[c] = exp(2 * sin(x * (c + 1) + y * (c - 1) + phase));
            for (int c = 0; c < k; c++) o[c] = (float)(e[c] / sum);
        }
    if (k == 1) g[0] = -1, g[(size_t)N * N - 1] = 1;
    return g;
}

static void set_grid(viz_panel *p, const float *g, int k) {
    if (k == 1)
        assert_int_equal(viz_field_set(p, g, N, N, -2, 2, -2, 2), VIZ_OK);
    else
        assert_int_equal(viz_field_set_classes(p, g, N, N, k, -2, 2, -2, 2), VIZ_OK);
}

static viz_panel *field_panel(int k) {
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    assert_non_null(p);
    assert_int_equal(viz_panel_set_label(p, VIZ_TITLE, "decision surface"), VIZ_OK);
    float x[3] = {-1, 0.5f, 1.2f}, y[3] = {0.3f, -1, 1.5f};
    int cls[3] = {0, 1, 0};
    assert_int_equal(viz_points_add(p, x, y, cls, 3, 0), VIZ_OK);
    if (k == 1) assert_int_equal(viz_field_set_levels(p, NULL, 0, 8), VIZ_OK);
    return p;
}

typedef struct {
    viz_field_layer *l;
    const float *g;
    int k, rc;
} render_job;

static void *render_thread(void *arg) {
    render_job *j = arg;
    j->rc = viz_field_layer_render(j->l, j->g, N, N, j->k, -2, 2, -2, 2);
    return NULL;
}

/* The panel draws g1, a layer rendered on another thread takes the plot's look, the
 * panel gets g2 and the layer (and one more point when moved is set): its pixels at
 * w x h are compared with a fresh panel's drawing of g2. Returns whether the layer was
 * the one shown (its key kept); *marks: whether its markers were (classes only). */
static int layer_vs_panel(int k, int w, int h, int moved, int *marks) {
    viz_app *a = vt_app();
    viz_layout lay;
    float *g1 = field_grid(k, 0), *g2 = field_grid(k, 0.7);
    viz_panel *p = field_panel(k), *fresh = field_panel(k);
    set_grid(p, g1, k);
    free(vt_render(a, p, W, H, &lay)); /* the look the layer copies */
    viz_field_layer *l = viz_field_layer_new();
    assert_non_null(l);
    assert_int_equal(viz_field_layer_capture(l, p), 1);
    render_job j = {l, g2, k, -9};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, render_thread, &j), 0);
    pthread_join(th, NULL);
    assert_int_equal(j.rc, VIZ_OK);
    set_grid(p, g2, k);
    assert_int_equal(viz_field_layer_adopt(p, l), 1);
    uint64_t adopted = p->bgkey, painted = p->bgmarks;
    float x = 0.2f, y = -0.4f;
    int cls = 1;
    if (moved) { /* the layer's markers are not the panel's now */
        assert_int_equal(viz_points_add(p, &x, &y, &cls, 1, 0), VIZ_OK);
        assert_int_equal(viz_points_add(fresh, &x, &y, &cls, 1, 0), VIZ_OK);
    }
    uint32_t *got = vt_render(a, p, w, h, &lay);
    *marks = painted && p->bgmarks == painted;
    set_grid(fresh, g2, k);
    uint32_t *want = vt_render(a, fresh, w, h, &lay);
    size_t diff = 0;
    for (size_t i = 0; i < (size_t)w * h; i++) diff += got[i] != want[i];
    if (diff) print_message("k = %d at %d x %d: %zu pixels differ\n", k, w, h, diff);
    assert_int_equal(diff, 0);
    int shown = p->bgkey == adopted;
    free(got), free(want), free(g1), free(g2);
    viz_field_layer_free(l);
    viz_panel_free(p), viz_panel_free(fresh);
    viz_app_free(a);
    return shown;
}

/* Classes: the heat map, the boundary and the markers come with the layer. */
static void test_two_classes_same_pixels(void **state) {
    (void)state;
    int marks;
    assert_true(layer_vs_panel(2, W, H, 0, &marks));
    assert_true(marks);
}

static void test_three_classes_same_pixels(void **state) {
    (void)state;
    int marks;
    assert_true(layer_vs_panel(3, W, H, 0, &marks));
    assert_true(marks);
}

/* A scalar grid: heat map and contours; its markers (coloured on its scale) the panel
 * paints itself. */
static void test_scalar_same_pixels(void **state) {
    (void)state;
    int marks;
    assert_true(layer_vs_panel(1, W, H, 0, &marks));
    assert_false(marks);
}

/* A layer made for 640 x 560 and a panel drawn at 500 x 400 (a resized window): the
 * panel draws its own, and the pixels are still right. */
static void test_stale_size_drawn_afresh(void **state) {
    (void)state;
    int marks;
    assert_false(layer_vs_panel(2, 500, 400, 0, &marks));
    assert_false(marks);
}

/* A point added after the layer was made: its markers are stale, the panel draws the
 * background afresh under the new ones. */
static void test_moved_points_drawn_afresh(void **state) {
    (void)state;
    int marks;
    layer_vs_panel(2, W, H, 1, &marks); /* its key is the layer's: the same background */
    assert_false(marks);
}

/* Another grid, box or kind than the layer's: adopt refuses; nothing captured: render
 * refuses. */
static void test_mismatch_refused(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_layout lay;
    float *g1 = field_grid(2, 0), *g2 = field_grid(2, 0.7);
    viz_panel *p = field_panel(2);
    viz_field_layer *l = viz_field_layer_new();
    assert_non_null(l);
    set_grid(p, g1, 2);
    assert_int_equal(viz_field_layer_capture(l, p), 0); /* never drawn yet */
    assert_int_equal(viz_field_layer_render(l, g2, N, N, 2, -2, 2, -2, 2), VIZ_EINVAL);
    free(vt_render(a, p, W, H, &lay));
    assert_int_equal(viz_field_layer_capture(l, p), 1);
    assert_int_equal(viz_field_layer_render(l, g2, N, N, 2, -2, 2, -2, 2), VIZ_OK);
    assert_int_equal(viz_field_layer_adopt(p, l), 0); /* p still has g1 */
    set_grid(p, g2, 2);
    assert_int_equal(viz_field_layer_adopt(p, l), 0); /* taken once only: refused above */
    assert_int_equal(viz_field_layer_render(l, g2, N, N, 2, -2, 2, -2, 2), VIZ_OK);
    assert_int_equal(viz_field_set_classes(p, g2, N, N, 2, -2, 2, -2, 3), VIZ_OK);
    assert_int_equal(viz_field_layer_adopt(p, l), 0); /* another box */
    viz_panel *lines = viz_panel_new(VIZ_LINES);
    assert_int_equal(viz_field_layer_capture(l, lines), 0);
    viz_panel_free(lines);
    free(g1), free(g2);
    viz_field_layer_free(l);
    viz_panel_free(p);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_classes_same_pixels),
        cmocka_unit_test(test_three_classes_same_pixels),
        cmocka_unit_test(test_scalar_same_pixels),
        cmocka_unit_test(test_stale_size_drawn_afresh),
        cmocka_unit_test(test_moved_points_drawn_afresh),
        cmocka_unit_test(test_mismatch_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
