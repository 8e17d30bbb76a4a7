/* test_colormap.c: the colour maps and the series palette (colormap.c): map ends are
 * the published end colours, and series colours stay distinct for a ten-optimizer
 * race. */
#include <stdlib.h>

#include "vizt.h"

/* Largest channel difference between two 0xAARRGGBB colours. */
static int channel_distance(uint32_t a, uint32_t b) {
    int d = 0;
    for (int shift = 0; shift < 24; shift += 8) {
        int x = abs((int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff));
        if (x > d) d = x;
    }
    return d;
}

static void test_colormap_ends_are_the_published_colours(void **state) {
    (void)state;
    assert_int_equal(cmap_viridis(0), 0xff440154u);
    assert_int_equal(cmap_viridis(1), 0xfffde725u);
    assert_int_equal(cmap_viridis(-1), 0xff440154u); /* clamped */
    assert_int_equal(cmap_diverging(0), 0xff053061u);
    assert_int_equal(cmap_diverging(1), 0xff67001fu);
}

static void test_colormap_series_starts_with_okabe_ito(void **state) {
    (void)state;
    assert_int_equal(cmap_series(0), 0xff0072b2u);
    assert_int_equal(cmap_series(1), 0xffd55e00u);
    assert_int_equal(cmap_series(7), 0xfff0e442u);
}

static void test_colormap_series_distinct_for_fourteen(void **state) {
    (void)state;
    for (int i = 0; i < 14; i++)
        for (int j = i + 1; j < 14; j++) {
            int d = channel_distance(cmap_series(i), cmap_series(j));
            if (d < 48)
                fail_msg("series %d and %d are too alike (%06x, %06x)", i, j,
                         cmap_series(i) & 0xffffff, cmap_series(j) & 0xffffff);
        }
    assert_int_equal(cmap_series(14), cmap_series(0)); /* then it cycles */
    assert_int_equal(cmap_series(-3), cmap_series(3));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colormap_ends_are_the_published_colours),
        cmocka_unit_test(test_colormap_series_starts_with_okabe_ito),
        cmocka_unit_test(test_colormap_series_distinct_for_fourteen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
