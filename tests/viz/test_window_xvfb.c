/* test_window_xvfb.c: a real X11 window (under xvfb-run, fixed 1024x768x24 screen)
 * shows exactly what the offscreen renderer draws: the window's pixels are read back
 * from the X server with XGetImage and compared with viz_panel_render of the same panel
 * at the same size. Run with --skip (no xvfb-run on this machine): says so, exits 77. */
#include <math.h>
#include <string.h>

#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "vizt.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* SDL's X11 start-up (video init, first window, its input method) keeps D-Bus and Xlib
 * state for the life of the process, partly in libraries it unloads again (frames LSan
 * cannot name, so no suppression file can match them): leak checking is paused while
 * the back-end starts. Our window code is leak-checked by test_window (dummy driver). */
static void lsan_pause(int on) {
    if (on)
        __lsan_disable();
    else
        __lsan_enable();
}
#else
static void lsan_pause(int on) {
    (void)on;
}
#endif

#define W 480
#define H 360

static void test_window_screenshot_matches_offscreen_render(void **state) {
    (void)state;
    if (!getenv("DISPLAY")) skip();
    viz_app *a = vt_app();
    lsan_pause(1);
    int shown = viz_app_has_display(a);
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    enum { G = 50 };
    static float v[G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) v[j * G + i] = (float)(hypot(i - 25.0, j - 20.0) / 25);
    viz_field_set(p, v, G, G, -1, 1, -1, 1);
    viz_panel_set_label(p, VIZ_TITLE, "xvfb");
    float x[2] = {0.2f, -0.5f}, y[2] = {0.3f, 0.1f};
    viz_points_add(p, x, y, NULL, 2, 0);
    viz_window *w = viz_window_new(a, "xvfb test", W, H);
    viz_window_add(w, p);
    int rc = shown ? viz_window_show(w) : VIZ_ENODISPLAY;
    double t = 0;
    for (int k = 0; rc == VIZ_OK && k < 30; k++) { /* let the window map, expose, draw */
        t += 100;
        viz_app_pump(a, t);
        SDL_Delay(10);
    }
    lsan_pause(0);
    assert_true(shown);
    assert_int_equal(rc, VIZ_OK);
    SDL_Window *sw = SDL_GetWindowFromID(viz_window_id(w));
    assert_non_null(sw);
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    assert_true(SDL_GetWindowWMInfo(sw, &info));
    assert_int_equal(info.subsystem, SDL_SYSWM_X11);
    Display *d = info.info.x11.display;
    XSync(d, False);
    XImage *im = XGetImage(d, info.info.x11.window, 0, 0, W, H, AllPlanes, ZPixmap);
    assert_non_null(im);
    uint32_t *off = malloc(W * H * sizeof *off);
    assert_int_equal(viz_panel_render(a, p, off, W, H, 1, 0), VIZ_OK);
    vt_look(off, W, H, "xvfb_offscreen");
    int bad = 0, worst = 0;
    for (int yy = 0; yy < H; yy++)
        for (int xx = 0; xx < W; xx++) {
            unsigned long s = XGetPixel(im, xx, yy);
            uint32_t got = viz_rgb((int)((s & im->red_mask) >> 16),
                                   (int)((s & im->green_mask) >> 8), (int)(s & im->blue_mask));
            int dd = vt_dist(got, off[yy * W + xx]);
            if (dd > worst) worst = dd;
            bad += dd > 2;
        }
    if (bad)
        fail_msg("%d of %d screen pixels differ from the offscreen render (worst %d)", bad, W * H,
                 worst);
    XDestroyImage(im);
    free(off);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--skip") == 0) {
        printf("xvfb-run is not installed: the real-window test is skipped\n");
        return 77; /* meson's code for a skipped test */
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_screenshot_matches_offscreen_render),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
