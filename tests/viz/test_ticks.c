/* test_ticks.c: nice ticks are round, cover the range, and their labels read well. */
#include <math.h>
#include <string.h>

#include "vizt.h"

static void test_ticks_nice_are_round_and_inside(void **state) {
    (void)state;
    double t[VIZ_MAX_TICKS], step;
    int n = ticks_nice(0.013, 0.97, 6, t, &step);
    assert_true(n >= 3 && n <= 6);
    assert_true(step == 0.2 || step == 0.25);
    for (int i = 0; i < n; i++) {
        assert_true(t[i] >= 0.013 && t[i] <= 0.97);
        double k = t[i] / step;
        assert_true(fabs(k - round(k)) < 1e-9);
    }
}

static void test_ticks_nice_respects_max_count(void **state) {
    (void)state;
    double t[VIZ_MAX_TICKS], step;
    for (int maxn = 2; maxn < 12; maxn++) {
        int n = ticks_nice(-3.7, 1234.5, maxn, t, &step);
        if (n > maxn) fail_msg("maxn %d gave %d ticks", maxn, n);
    }
}

static void test_ticks_log_are_decades(void **state) {
    (void)state;
    double t[VIZ_MAX_TICKS];
    int n = ticks_log(0.003, 20, 8, t);
    assert_int_equal(n, 4); /* 0.01 0.1 1 10 */
    assert_true(fabs(t[0] - 0.01) < 1e-12 && fabs(t[3] - 10) < 1e-9);
}

static void test_tick_format_uses_the_step_decimals(void **state) {
    (void)state;
    char buf[32];
    tick_format(0.25, 0.25, 0, buf, sizeof buf);
    assert_string_equal(buf, "0.25");
    tick_format(200, 50, 0, buf, sizeof buf);
    assert_string_equal(buf, "200");
    tick_format(1e-5, 0, 1, buf, sizeof buf);
    assert_string_equal(buf, "1e-5");
    tick_format(0.1 + 0.2, 0.1, 0, buf, sizeof buf);
    assert_string_equal(buf, "0.3");
}

static void test_contour_levels_go_log_over_three_decades(void **state) {
    (void)state;
    double l[VIZ_MAX_TICKS];
    int n = contour_auto_levels(0.001, 100, 6, l);
    assert_true(n >= 4);
    for (int i = 1; i < n; i++) assert_true(l[i] / l[i - 1] > 1.9); /* geometric spacing */
    n = contour_auto_levels(0, 10, 6, l);
    assert_true(n >= 3);
    assert_true(fabs((l[2] - l[1]) - (l[1] - l[0])) < 1e-9); /* even spacing */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_nice_are_round_and_inside),
        cmocka_unit_test(test_ticks_nice_respects_max_count),
        cmocka_unit_test(test_ticks_log_are_decades),
        cmocka_unit_test(test_tick_format_uses_the_step_decimals),
        cmocka_unit_test(test_contour_levels_go_log_over_three_decades),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
