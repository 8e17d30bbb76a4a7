/* test_window.c: windows on SDL's dummy video driver (no display needed): panels are
 * laid out in a grid, the window shows what the offscreen renderer draws, only changed
 * panels are redrawn, keys and clicks come back as events, closing is reported. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "vizt.h"

static viz_panel *field(void) {
    float v[4] = {0, 1, 2, 3};
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    viz_field_set(p, v, 2, 2, -1, 1, -1, 1);
    return p;
}

static viz_panel *lines(void) {
    float y[3] = {1, 3, 2};
    viz_panel *p = viz_panel_new(VIZ_LINES);
    viz_series_add(p, "a", NULL, y, 3);
    return p;
}

static void pump(viz_app *a, double *t) {
    *t += 1000; /* past the 60/s limit, and the slow-drawing limit under sanitizers */
    viz_app_pump(a, *t);
}

static void test_window_matches_offscreen_render(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "test", 640, 300);
    viz_panel *p = field(), *q = lines();
    viz_window_add(w, p);
    viz_window_add(w, q);
    viz_panel_free(p); /* the window keeps them */
    viz_panel_free(q);
    assert_int_equal(viz_window_show(w), VIZ_OK);
    double t = 0;
    pump(a, &t);
    int pw, ph;
    const uint32_t *px = viz_window_pixels(w, &pw, &ph);
    assert_non_null(px);
    assert_int_equal(pw, 640);
    assert_int_equal(ph, 300);
    /* two panels side by side, each as the offscreen renderer draws it at 320 x 300 */
    uint32_t *off = malloc(320 * 300 * 4);
    viz_panel_render(a, p, off, 320, 300, 1, 0);
    for (int y = 0; y < 300; y++) assert_memory_equal(px + y * 640, off + y * 320, 320 * 4);
    viz_panel_render(a, q, off, 320, 300, 1, 0);
    for (int y = 0; y < 300; y++) assert_memory_equal(px + y * 640 + 320, off + y * 320, 320 * 4);
    free(off);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_redraws_only_changed_panels(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "t", 400, 200);
    viz_panel *p = lines(), *q = lines();
    viz_window_add(w, p);
    viz_window_add(w, q);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    int pw, ph;
    uint32_t *px = (uint32_t *)viz_window_pixels(w, &pw, &ph);
    /* scribble on both halves; a change to q must repaint q only */
    px[10 * pw + 10] = 0xff123456u;
    px[10 * pw + 210] = 0xff123456u;
    float y = 5;
    viz_series_add(q, "a", NULL, &y, 1);
    pump(a, &t);
    assert_int_equal(px[10 * pw + 10], 0xff123456u);
    assert_int_not_equal(px[10 * pw + 210], 0xff123456u);
    /* within 1/60 s nothing is drawn */
    viz_series_add(p, "a", NULL, &y, 1);
    viz_app_pump(a, t + 5);
    assert_int_equal(px[10 * pw + 10], 0xff123456u);
    viz_panel_free(p), viz_panel_free(q);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_keys_clicks_and_close_become_events(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "ev", 400, 400);
    viz_panel *p = field();
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    viz_event ev;
    while (viz_app_next_event(a, &ev)) {}
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.windowID = viz_window_id(w);
    e.key.keysym.sym = SDLK_p;
    SDL_PushEvent(&e);
    e.key.keysym.sym = SDLK_SPACE;
    SDL_PushEvent(&e);
    double px, py;
    viz_panel_to_pixel(a, p, 400, 400, 0.5, -0.25, &px, &py);
    SDL_Event c = {0};
    c.type = SDL_MOUSEBUTTONDOWN;
    c.button.windowID = viz_window_id(w);
    c.button.button = SDL_BUTTON_RIGHT;
    c.button.x = (int)px, c.button.y = (int)py;
    SDL_PushEvent(&c);
    pump(a, &t);
    assert_true(viz_window_projector(w));
    assert_true(viz_app_next_event(a, &ev));
    assert_int_equal(ev.type, VIZ_EV_KEY);
    assert_int_equal(ev.key, 'p');
    assert_true(viz_app_next_event(a, &ev));
    assert_int_equal(ev.key, ' ');
    assert_true(ev.win == w);
    assert_true(viz_app_next_event(a, &ev));
    assert_int_equal(ev.type, VIZ_EV_CLICK);
    assert_int_equal(ev.button, 3);
    assert_int_equal(ev.panel, 0);
    /* projector mode changed the layout, so compare with a projector-mode mapping */
    assert_true(fabs(ev.x) < 1.01 && fabs(ev.y) < 1.01);
    SDL_Event cl = {0};
    cl.type = SDL_WINDOWEVENT;
    cl.window.windowID = viz_window_id(w);
    cl.window.event = SDL_WINDOWEVENT_CLOSE;
    SDL_PushEvent(&cl);
    pump(a, &t);
    assert_true(viz_app_next_event(a, &ev));
    assert_int_equal(ev.type, VIZ_EV_CLOSE);
    assert_false(viz_window_is_open(w));
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_without_display_still_saves(void **state) {
    (void)state;
    const char *drv = getenv("SDL_VIDEODRIVER");
    char keep[64] = "";
    if (drv) snprintf(keep, sizeof keep, "%s", drv);
    unsetenv("SDL_VIDEODRIVER"), unsetenv("DISPLAY"), unsetenv("WAYLAND_DISPLAY");
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "headless", 300, 200);
    viz_panel *p = lines();
    viz_window_add(w, p);
    assert_int_equal(viz_window_show(w), VIZ_ENODISPLAY);
    assert_non_null(strstr(viz_window_error(w), "no display"));
    char path[] = "/tmp/nnlab-viz-win-XXXXXX.png";
    int fd = mkstemps(path, 4);
    close(fd);
    assert_int_equal(viz_window_save_png(w, path), VIZ_OK);
    uint32_t *back;
    int bw, bh;
    char err[256];
    assert_int_equal(viz_png_read(path, &back, &bw, &bh, err, sizeof err), VIZ_OK);
    assert_int_equal(bw, 300);
    assert_int_equal(bh, 200);
    free(back);
    unlink(path);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
    if (*keep) setenv("SDL_VIDEODRIVER", keep, 1);
}

static void test_window_hover_shows_value_but_not_in_saved_png(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "hover", 400, 400);
    viz_panel *p = field();
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    double px, py;
    viz_panel_to_pixel(a, p, 400, 400, 0, 0, &px, &py);
    SDL_Event m = {0};
    m.type = SDL_MOUSEMOTION;
    m.motion.windowID = viz_window_id(w);
    m.motion.x = (int)px, m.motion.y = (int)py;
    SDL_PushEvent(&m);
    pump(a, &t);
    int pw, ph;
    const uint32_t *shown = viz_window_pixels(w, &pw, &ph);
    uint32_t *off = malloc(400 * 400 * 4);
    viz_panel_render(a, p, off, 400, 400, 1, 0);
    /* a tooltip box below right of the cursor, nowhere else */
    int near = 0, far = 0;
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            int diff = shown[y * 400 + x] != off[y * 400 + x];
            int in = x >= px && x < px + 200 && y >= py && y < py + 60;
            near += diff && in, far += diff && !in;
        }
    assert_true(near > 100);
    assert_int_equal(far, 0);
    char path[] = "/tmp/nnlab-viz-hover-XXXXXX.png";
    close(mkstemps(path, 4));
    assert_int_equal(viz_window_save_png(w, path), VIZ_OK);
    uint32_t *back;
    int bw, bh;
    char err[256];
    assert_int_equal(viz_png_read(path, &back, &bw, &bh, err, sizeof err), VIZ_OK);
    assert_memory_equal(back, off, 400 * 400 * 4);
    unlink(path);
    free(back), free(off);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_records_numbered_frames(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "rec", 200, 150);
    viz_panel *p = lines();
    viz_window_add(w, p);
    viz_window_show(w);
    char dir[] = "/tmp/nnlab-viz-rec-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char prefix[64], path[96];
    snprintf(prefix, sizeof prefix, "%s/run", dir);
    assert_int_equal(viz_window_record(w, prefix), VIZ_OK);
    double t = 0;
    float y = 4;
    pump(a, &t);
    viz_series_add(p, "a", NULL, &y, 1);
    pump(a, &t);
    pump(a, &t); /* nothing changed: no frame */
    viz_window_record(w, NULL);
    for (int k = 1; k <= 3; k++) {
        snprintf(path, sizeof path, "%s-%06d.png", prefix, k);
        FILE *f = fopen(path, "rb");
        assert_true(k <= 2 ? f != NULL : f == NULL);
        if (f) fclose(f), unlink(path);
    }
    rmdir(dir);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_matches_offscreen_render),
        cmocka_unit_test(test_window_redraws_only_changed_panels),
        cmocka_unit_test(test_window_keys_clicks_and_close_become_events),
        cmocka_unit_test(test_window_without_display_still_saves),
        cmocka_unit_test(test_window_hover_shows_value_but_not_in_saved_png),
        cmocka_unit_test(test_window_records_numbered_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
