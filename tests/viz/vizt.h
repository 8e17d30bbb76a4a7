/* vizt.h: helpers shared by the viz tests: an app per test, pixel access, colour
 * distance. Header-only so that each test stays one executable per source file. */
#ifndef VIZT_H
#define VIZT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "vizint.h"

static inline viz_app *vt_app(void) {
    char err[256];
    viz_app *a = viz_app_new(err, sizeof err);
    if (!a) fail_msg("viz_app_new: %s", err);
    return a;
}

/* Largest difference of the three channels. */
static inline int vt_dist(uint32_t a, uint32_t b) {
    int d = abs(viz_r(a) - viz_r(b));
    int g = abs(viz_g(a) - viz_g(b));
    int bl = abs(viz_b(a) - viz_b(b));
    return d > g ? (d > bl ? d : bl) : (g > bl ? g : bl);
}

static inline int vt_luma(uint32_t c) {
    return (299 * viz_r(c) + 587 * viz_g(c) + 114 * viz_b(c)) / 1000;
}

/* Counts pixels in [x0, x1) x [y0, y1) within tol of col. */
static inline int vt_count(const uint32_t *px, int w, int x0, int y0, int x1, int y1, uint32_t col,
                           int tol) {
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) n += vt_dist(px[(size_t)y * w + x], col) <= tol;
    return n;
}

/* Counts pixels darker than luma lim. */
static inline int vt_dark(const uint32_t *px, int w, int x0, int y0, int x1, int y1, int lim) {
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) n += vt_luma(px[(size_t)y * w + x]) < lim;
    return n;
}

/* Renders p at w x h with the layout, scale 1, no projector; caller frees. */
static inline uint32_t *vt_render(viz_app *a, viz_panel *p, int w, int h, viz_layout *lay) {
    uint32_t *px = malloc((size_t)w * h * sizeof *px);
    assert_non_null(px);
    viz_canvas cv;
    viz_theme t;
    cv_init(&cv, px, w, h);
    theme_make(&t, 1, 0);
    panel_draw(&cv, a, &t, p, lay);
    return px;
}

/* As vt_render, in projector mode when projector is set. */
static inline uint32_t *vt_render_mode(viz_app *a, viz_panel *p, int w, int h, int projector,
                                       viz_layout *lay) {
    uint32_t *px = malloc((size_t)w * h * sizeof *px);
    assert_non_null(px);
    viz_canvas cv;
    viz_theme t;
    cv_init(&cv, px, w, h);
    theme_make(&t, 1, projector);
    panel_draw(&cv, a, &t, p, lay);
    return px;
}

/* 1 when the rectangles (x, y, w, h) overlap. */
static inline int vt_overlap(const int *r, int x, int y, int w, int h) {
    return r[0] < x + w && x < r[0] + r[2] && r[1] < y + h && y < r[1] + r[3];
}

/* Writes the render to $NNLAB_VIZ_LOOK/name.png when that folder is given, so that a
 * person can look at what the tests draw. */
static inline void vt_look(const uint32_t *px, int w, int h, const char *name) {
    const char *dir = getenv("NNLAB_VIZ_LOOK");
    if (!dir) return;
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    if (viz_png_write(path, px, w, h, err, sizeof err) != VIZ_OK) fail_msg("%s", err);
}

#endif
