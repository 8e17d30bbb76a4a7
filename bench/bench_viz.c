/* bench_viz.c: render time of the viz's heaviest everyday panel: a 200 x 200 field
 * with automatic contours (8 levels) and 500 points, at 800 x 560 pixels, offscreen.
 * Also a lines panel of 100 000 points. Prints the median of repeated renders. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "viz.h"

#define REPS 41

static double now_ms(clockid_t clk) {
    struct timespec ts;
    clock_gettime(clk, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double d = *(const double *)a - *(const double *)b;
    return d < 0 ? -1 : d > 0;
}

/* Median render time of p at w x h in milliseconds, wall clock and CPU time of this
 * thread (the CPU time stays meaningful on a loaded machine). With grid, the field's
 * grid is set anew (one value changed) before each render, outside the timing, so that
 * its kept heat map and contours cannot be reused: a decision surface being trained. */
static void time_render(viz_app *a, viz_panel *p, uint32_t *px, int w, int h, float *grid, int g,
                        double *wall, double *cpu) {
    double t[REPS], c[REPS];
    for (int r = 0; r < REPS; r++) {
        if (grid) {
            grid[0] += 1e-3f;
            viz_field_set(p, grid, g, g, -2, 2, -2, 2);
        }
        double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
        viz_panel_render(a, p, px, w, h, 1, 0);
        t[r] = now_ms(CLOCK_MONOTONIC) - t0;
        c[r] = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
    }
    qsort(t, REPS, sizeof *t, cmp);
    qsort(c, REPS, sizeof *c, cmp);
    *wall = t[REPS / 2], *cpu = c[REPS / 2];
}

int main(void) {
    char err[256];
    viz_app *a = viz_app_new(err, sizeof err);
    if (!a) {
        fprintf(stderr, "bench_viz: %s\n", err);
        return 1;
    }
    enum { G = 200, NP = 500, W = 800, H = 560, NL = 100000 };
    static float v[G * G], x[NP], y[NP], ly[NL];
    static int c[NP];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            double u = -2 + 4.0 * i / (G - 1), w = -2 + 4.0 * j / (G - 1);
            v[j * G + i] = (float)(u * u - w * w + 0.5 * sin(3 * u) * cos(2 * w));
        }
    unsigned s = 1;
    for (int k = 0; k < NP; k++) {
        s = s * 1664525u + 1013904223u;
        x[k] = (float)((s >> 8) / 16777216.0 * 4 - 2);
        s = s * 1664525u + 1013904223u;
        y[k] = (float)((s >> 8) / 16777216.0 * 4 - 2);
        c[k] = x[k] * x[k] > y[k] * y[k];
    }
    for (int k = 0; k < NL; k++) ly[k] = (float)(exp(-k / 20000.0) + 0.05 * sin(k * 0.7));
    uint32_t *px = malloc((size_t)W * H * sizeof *px);
    viz_panel *f = viz_panel_new(VIZ_FIELD), *l = viz_panel_new(VIZ_LINES);
    if (!px || !f || !l) return 1;
    viz_panel_set_label(f, VIZ_TITLE, "bench");
    viz_field_set(f, v, G, G, -2, 2, -2, 2);
    viz_field_set_levels(f, NULL, 0, 8);
    viz_points_add(f, x, y, c, NP, 0);
    viz_series_add(l, "train", NULL, ly, NL);
    double wall, cpu;
    time_render(a, f, px, W, H, v, G, &wall, &cpu);
    printf("viz field %dx%d + 8 contour levels + %d points at %dx%d: %.2f ms per render "
           "(CPU %.2f ms; median of %d)\n",
           G, G, NP, W, H, wall, cpu, REPS);
    time_render(a, f, px, W, H, NULL, 0, &wall, &cpu);
    printf("  the same field unchanged (points or paths moving over it, as in a race): %.2f ms "
           "(CPU %.2f ms)\n",
           wall, cpu);
    time_render(a, l, px, W, H, NULL, 0, &wall, &cpu);
    printf("viz lines, %d points at %dx%d: %.2f ms per render (CPU %.2f ms; median of %d)\n", NL, W,
           H, wall, cpu, REPS);
    viz_panel_free(f);
    viz_panel_free(l);
    free(px);
    viz_app_free(a);
    return 0;
}
