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
    int n = contour_auto_levels(0.001, 100, 6, 1, l);
    assert_true(n >= 4);
    for (int i = 1; i < n; i++) assert_true(l[i] / l[i - 1] > 1.9); /* geometric spacing */
    n = contour_auto_levels(0, 10, 6, 0, l);
    assert_true(n >= 3);
    assert_true(fabs((l[2] - l[1]) - (l[1] - l[0])) < 1e-9); /* even spacing */
}

/* Labels of nice ticks over [lo, hi]: they must all differ. */
static void check_distinct(double lo, double hi, int maxn) {
    double t[VIZ_MAX_TICKS], step;
    int n = ticks_nice(lo, hi, maxn, t, &step);
    char lab[VIZ_MAX_TICKS][VIZ_TICK_LABEL];
    ticks_labels(t, n, step, 0, 0, lab);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(lab[i], lab[j]) == 0)
                fail_msg("[%.17g, %.17g]: ticks %.17g and %.17g both read \"%s\"", lo, hi, t[i],
                         t[j], lab[i]);
}

static void test_tick_labels_differ_on_narrow_ranges_away_from_zero(void **state) {
    (void)state;
    check_distinct(1e6 + 1, 1e6 + 1000, 6); /* all read "1.0e6" before */
    check_distinct(1e-6, 1.1e-6, 4);        /* "1e-6, 1.1e-6, 1.1e-6" before */
    static const double offs[] = {0,    1,   -1,   3.7,  1e3,  1e5,    1e6,
                                  -1e6, 1e8, 1e-6, 5e-5, 0.01, 123.456};
    static const double rel[] = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10};
    for (size_t o = 0; o < sizeof offs / sizeof *offs; o++)
        for (size_t r = 0; r < sizeof rel / sizeof *rel; r++)
            for (int maxn = 3; maxn <= 10; maxn += 3) {
                double base = offs[o] != 0 ? fabs(offs[o]) : 1, w = base * rel[r];
                check_distinct(offs[o], offs[o] + w, maxn);
                check_distinct(offs[o] - w / 3, offs[o] + w, maxn);
            }
}

/* One notation per axis: either every nonzero label has an exponent or none has. */
static void check_one_notation(const char (*lab)[VIZ_TICK_LABEL], int n, const char *what) {
    int sci = 0, plain = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(lab[i], "0") == 0) continue;
        if (strchr(lab[i], 'e'))
            sci++;
        else
            plain++;
    }
    if (sci && plain) {
        char all[512] = "";
        for (int i = 0; i < n; i++) strcat(strcat(all, lab[i]), " ");
        fail_msg("%s mixes notations: %s", what, all);
    }
}

static void test_tick_labels_use_one_format_per_axis(void **state) {
    (void)state;
    char lab[VIZ_MAX_TICKS + 2][VIZ_TICK_LABEL];
    double t[VIZ_MAX_TICKS + 2], step;
    int n = ticks_log(100, 1e5, 8, t); /* "100 1000 1e4 1e5" before */
    ticks_labels(t, n, 0, 1, 0, lab);
    check_one_notation(lab, n, "log axis 100..1e5");
    assert_string_equal(lab[0], "1e2");
    /* a log colour bar from 0.000816 to 4.87e8: ticks and its two ends */
    n = ticks_log(0.000816, 4.87e8, 8, t);
    t[n++] = 0.000816, t[n++] = 4.87e8;
    ticks_labels(t, n, 0, 1, 2, lab);
    check_one_notation(lab, n, "log colour bar");
    assert_string_equal(lab[n - 2], "8.2e-4");
    assert_string_equal(lab[n - 1], "4.9e8");
    /* a linear colour bar: the ends get one digit more than the ticks, no "%g" */
    n = ticks_nice(0.000816, 7.93, 6, t, &step);
    t[n++] = 0.000816, t[n++] = 7.93;
    ticks_labels(t, n, step, 0, 2, lab);
    check_one_notation(lab, n, "linear colour bar");
    assert_string_equal(lab[n - 1], "7.9");
    assert_string_equal(lab[n - 2], "0.0");
    /* linear big numbers: one unit for the axis, not "500k" beside "1M" */
    n = ticks_nice(0, 2e6, 5, t, &step);
    ticks_labels(t, n, step, 0, 0, lab);
    for (int i = 1; i < n; i++) assert_non_null(strchr(lab[i], lab[n - 1][strlen(lab[n - 1]) - 1]));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_nice_are_round_and_inside),
        cmocka_unit_test(test_ticks_nice_respects_max_count),
        cmocka_unit_test(test_ticks_log_are_decades),
        cmocka_unit_test(test_tick_format_uses_the_step_decimals),
        cmocka_unit_test(test_contour_levels_go_log_over_three_decades),
        cmocka_unit_test(test_tick_labels_differ_on_narrow_ranges_away_from_zero),
        cmocka_unit_test(test_tick_labels_use_one_format_per_axis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
