/* test_window.c: windows on SDL's dummy video driver (no display needed): panels are
 * laid out in a grid that follows the window's shape, the window shows what the
 * offscreen renderer draws, only changed panels are redrawn (a resting cursor redraws
 * nothing), keys and clicks come back as events, closing is reported, several windows
 * live side by side; redraws are recorded to numbered PNGs or an animated GIF; the
 * HiDPI scale. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gif_lib.h>

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

/* A slider whose count of positions grows (a snapshot taken while training) repaints
 * its strip only: the panels above it stay as drawn; the strip coming or going moves the
 * panels, and they are redrawn. */
static void test_window_slider_count_redraws_the_strip_only(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "t", 400, 300);
    viz_panel *p = lines();
    viz_window_add(w, p);
    viz_window_show(w);
    assert_int_equal(viz_window_set_slider(w, 3, 2, "epoch 2 (latest)"), VIZ_OK);
    double t = 0;
    pump(a, &t);
    int pw, ph, x, y, sw, sh, knob;
    uint32_t *px = (uint32_t *)viz_window_pixels(w, &pw, &ph);
    assert_int_equal(viz_window_slider_at(w, 2, &x, &y, &sw, &sh, &knob), VIZ_OK);
    int panel_at = 10 * pw + 10, strip_at = (y + sh / 2) * pw + knob;
    px[panel_at] = 0xff123456u;
    px[strip_at] = 0xff123456u;
    assert_int_equal(viz_window_set_slider(w, 4, 3, "epoch 3 (latest)"), VIZ_OK);
    pump(a, &t);
    assert_int_equal(px[panel_at], 0xff123456u);     /* the panel was not redrawn */
    assert_int_not_equal(px[strip_at], 0xff123456u); /* the strip was */
    /* what is on screen is what a window drawn whole gives */
    viz_window *whole = viz_window_new(a, "t", 400, 300);
    viz_window_add(whole, p);
    viz_window_show(whole);
    viz_window_set_slider(whole, 4, 3, "epoch 3 (latest)");
    pump(a, &t);
    int ww, wh;
    const uint32_t *wpx = viz_window_pixels(whole, &ww, &wh);
    assert_int_equal(ww, pw);
    assert_int_equal(wh, ph);
    px[panel_at] = wpx[panel_at]; /* the scribble aside */
    assert_memory_equal(px, wpx, (size_t)pw * ph * 4);
    viz_window_free(whole);
    /* the strip going away moves the panel: redrawn */
    assert_int_equal(viz_window_set_slider(w, 0, 0, NULL), VIZ_OK);
    px[panel_at] = 0xff123456u;
    pump(a, &t);
    assert_int_not_equal(px[panel_at], 0xff123456u);
    viz_panel_free(p);
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
    vt_look(shown, 400, 400, "window_tooltip");
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

/* Redraws go into the GIF (not a pass with nothing changed), w:frame adds one now, and
 * stopping finishes a file giflib reads back at the window's size. */
static void test_window_records_a_gif_of_redraws(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "gif", 200, 150);
    viz_panel *p = lines();
    viz_window_add(w, p);
    viz_window_show(w);
    char path[] = "/tmp/nnlab-viz-rec-XXXXXX.gif";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(viz_window_record_gif(w, path, 60), VIZ_EINVAL);
    if (!strstr(viz_window_error(w), "fps 60")) fail_msg("message: %s", viz_window_error(w));
    assert_int_equal(viz_window_record_gif(w, path, 10), VIZ_OK);
    double t = 0;
    float y = 4;
    pump(a, &t);
    viz_series_add(p, "a", NULL, &y, 1);
    pump(a, &t);
    pump(a, &t); /* nothing changed: no frame */
    assert_int_equal(viz_window_gif_frames(w), 2);
    assert_int_equal(viz_window_record_frame(w), VIZ_OK);
    assert_int_equal(viz_window_gif_frames(w), 3);
    int pw, ph;
    viz_window_pixels(w, &pw, &ph);
    assert_int_equal(viz_window_record_gif(w, NULL, 0), VIZ_OK);
    assert_int_equal(viz_window_record_frame(w), VIZ_EINVAL);
    int e;
    GifFileType *f = DGifOpenFileName(path, &e);
    assert_non_null(f);
    assert_int_equal(DGifSlurp(f), GIF_OK);
    assert_int_equal(f->ImageCount, 3);
    assert_int_equal(f->SWidth, pw);
    assert_int_equal(f->SHeight, ph);
    GraphicsControlBlock gcb;
    assert_int_equal(DGifSavedExtensionToGCB(f, 0, &gcb), GIF_OK);
    assert_int_equal(gcb.DelayTime, 10);
    DGifCloseFile(f, &e);
    unlink(path);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void motion(viz_window *w, int x, int y, uint32_t state) {
    SDL_Event m = {0};
    m.type = SDL_MOUSEMOTION;
    m.motion.windowID = viz_window_id(w);
    m.motion.x = x, m.motion.y = y;
    m.motion.state = state;
    SDL_PushEvent(&m);
}

static int drain(viz_app *a, viz_event_type type, viz_event *last) {
    viz_event ev;
    int n = 0;
    while (viz_app_next_event(a, &ev))
        if (ev.type == type) n++, *last = ev;
    return n;
}

static void test_window_motion_is_coalesced_and_carries_data_coordinates(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "motion", 400, 400);
    viz_panel *p = field();
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    viz_event ev;
    drain(a, VIZ_EV_MOTION, &ev);
    /* a sweep of 30 moves within one pass: one event, at the last place */
    double px, py;
    viz_panel_to_pixel(a, p, 400, 400, 0.5, -0.5, &px, &py);
    for (int k = 0; k < 30; k++) motion(w, 100 + k, 120 + k, 0);
    motion(w, (int)px, (int)py, 0);
    pump(a, &t);
    assert_int_equal(drain(a, VIZ_EV_MOTION, &ev), 1);
    assert_int_equal(ev.panel, 0);
    assert_true(fabs(ev.x - 0.5) < 0.02 && fabs(ev.y + 0.5) < 0.02);
    assert_non_null(strstr(ev.text, "value"));
    assert_int_equal(ev.layer, -1);
    /* within VIZ_MOTION_MS of it nothing more; after it, the cursor's latest place */
    motion(w, 3, 3, 0);
    viz_app_pump(a, t + VIZ_MOTION_MS / 2);
    assert_int_equal(drain(a, VIZ_EV_MOTION, &ev), 0);
    viz_app_pump(a, t + VIZ_MOTION_MS + 1);
    assert_int_equal(drain(a, VIZ_EV_MOTION, &ev), 1);
    assert_true(isnan(ev.x)); /* (3, 3) is outside the plot area */
    /* no move, no event */
    pump(a, &t);
    assert_int_equal(drain(a, VIZ_EV_MOTION, &ev), 0);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_click_carries_modifier_keys(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "mods", 400, 400);
    viz_panel *p = field();
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    viz_event ev;
    int mods[] = {KMOD_NONE, KMOD_LSHIFT, KMOD_RCTRL, KMOD_LSHIFT | KMOD_LCTRL};
    int want[] = {0, VIZ_MOD_SHIFT, VIZ_MOD_CTRL, VIZ_MOD_SHIFT | VIZ_MOD_CTRL};
    for (int k = 0; k < 4; k++) {
        SDL_SetModState((SDL_Keymod)mods[k]);
        SDL_Event c = {0};
        c.type = SDL_MOUSEBUTTONDOWN;
        c.button.windowID = viz_window_id(w);
        c.button.button = SDL_BUTTON_LEFT;
        c.button.x = 200, c.button.y = 200;
        SDL_PushEvent(&c);
        pump(a, &t);
        assert_int_equal(drain(a, VIZ_EV_CLICK, &ev), 1);
        assert_int_equal(ev.mods, want[k]);
    }
    SDL_SetModState(KMOD_NONE);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_motion_names_the_network_node(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "net", 600, 400);
    viz_panel *p = viz_panel_new(VIZ_NETWORK);
    int sizes[3] = {2, 3, 1};
    viz_network_set(p, sizes, 3, NULL);
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    viz_event ev;
    drain(a, VIZ_EV_MOTION, &ev);
    /* render offscreen with the layout to find node 3 of layer 1 (the middle column) */
    viz_layout lay;
    uint32_t *px = vt_render(a, p, 600, 400, &lay);
    int found = 0, fx = 0, fy = 0;
    for (int y = 0; y < 400 && !found; y++)
        for (int x = 0; x < 600 && !found; x++) {
            int l, i;
            if (network_node_at(p, &lay, x, y, &l, &i) && l == 1 && i == 2)
                found = 1, fx = x, fy = y;
        }
    assert_true(found);
    /* the hit area is the node's box: a node (dark ring) is drawn there */
    assert_true(vt_dark(px, 600, fx, fy, fx + (int)lay.node + 6, fy + (int)lay.node + 6, 120) > 10);
    free(px);
    motion(w, fx + 4, fy + 4, 0);
    pump(a, &t);
    assert_int_equal(drain(a, VIZ_EV_MOTION, &ev), 1);
    assert_int_equal(ev.layer, 1);
    assert_int_equal(ev.node, 2);
    assert_string_equal(ev.text, "layer 1, neuron 3");
    motion(w, 5, 5, 0); /* the corner: no node */
    pump(a, &t);
    assert_int_equal(drain(a, VIZ_EV_MOTION, &ev), 1);
    assert_int_equal(ev.layer, -1);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void key(viz_window *w, int sym) {
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.windowID = viz_window_id(w);
    e.key.keysym.sym = sym;
    SDL_PushEvent(&e);
}

static void test_window_slow_first_frame_does_not_set_the_pace(void **state) {
    (void)state;
    viz_app *a = vt_app();
    /* a large window and a fine field: the first frame (fonts opened too) takes more
     * than a fifth of a frame's time, so it would hold the next one back */
    viz_window *w = viz_window_new(a, "pace", 1600, 1200);
    enum { G = 300 };
    float *v = malloc(G * G * sizeof *v);
    for (int k = 0; k < G * G; k++) v[k] = (float)sin(k * 0.01);
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    viz_field_set(p, v, G, G, -1, 1, -1, 1);
    free(v);
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 1e6;
    uint64_t t0 = SDL_GetPerformanceCounter();
    viz_app_pump(a, t);
    double first = 1e3 * (SDL_GetPerformanceCounter() - t0) / SDL_GetPerformanceFrequency();
    if (first * 5 < 1000.0 / 60) skip(); /* too fast a machine to tell */
    int pw, ph;
    uint32_t *px = (uint32_t *)viz_window_pixels(w, &pw, &ph);
    assert_non_null(px);
    px[5 * pw + 5] = 0xff123456u;
    viz_panel_set_label(p, VIZ_TITLE, "moved");
    viz_app_pump(a, t + 1000.0 / 60 + 1); /* the next frame's time: drawn */
    assert_int_not_equal(px[5 * pw + 5], 0xff123456u);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_f_toggles_full_screen(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "full", 300, 200);
    viz_panel *p = lines();
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    SDL_Window *sw = SDL_GetWindowFromID(viz_window_id(w));
    assert_non_null(sw);
    assert_false(SDL_GetWindowFlags(sw) & SDL_WINDOW_FULLSCREEN_DESKTOP);
    key(w, SDLK_f);
    pump(a, &t);
    assert_true((SDL_GetWindowFlags(sw) & SDL_WINDOW_FULLSCREEN_DESKTOP) ==
                SDL_WINDOW_FULLSCREEN_DESKTOP);
    key(w, SDLK_f);
    pump(a, &t);
    assert_false(SDL_GetWindowFlags(sw) & SDL_WINDOW_FULLSCREEN);
    viz_event ev;
    assert_int_equal(drain(a, VIZ_EV_KEY, &ev), 2);
    assert_int_equal(ev.key, 'f');
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_s_saves_what_the_window_shows(void **state) {
    (void)state;
    char dir[] = "/tmp/nnlab-viz-s-XXXXXX", old[1024];
    assert_non_null(mkdtemp(dir));
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(dir), 0);
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "my plot", 320, 240);
    viz_panel *p = field();
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    viz_event ev;
    drain(a, VIZ_EV_SAVED, &ev);
    key(w, SDLK_s);
    pump(a, &t);
    assert_int_equal(drain(a, VIZ_EV_SAVED, &ev), 1);
    assert_string_equal(ev.path, "nnlab-my-plot-1.png"); /* the title, made a file name */
    uint32_t *back;
    int bw, bh;
    char err[256];
    assert_int_equal(viz_png_read(ev.path, &back, &bw, &bh, err, sizeof err), VIZ_OK);
    int pw, ph;
    const uint32_t *shown = viz_window_pixels(w, &pw, &ph);
    assert_int_equal(bw, pw);
    assert_int_equal(bh, ph);
    assert_memory_equal(back, shown, (size_t)pw * ph * 4);
    free(back);
    unlink(ev.path);
    assert_int_equal(chdir(old), 0);
    rmdir(dir);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_dragging_a_surface_rotates_it(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "surf", 400, 400);
    viz_panel *p = viz_panel_new(VIZ_SURFACE);
    float v[16];
    for (int k = 0; k < 16; k++) v[k] = (float)((k % 4) * (k / 4));
    viz_surface_set(p, v, 4, 4, -1, 1, -1, 1);
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    int pw, ph;
    const uint32_t *shown = viz_window_pixels(w, &pw, &ph);
    uint32_t *before = malloc((size_t)pw * ph * 4);
    memcpy(before, shown, (size_t)pw * ph * 4);
    double yaw = p->yaw, pitch = p->pitch;
    SDL_Event c = {0};
    c.type = SDL_MOUSEBUTTONDOWN;
    c.button.windowID = viz_window_id(w);
    c.button.button = SDL_BUTTON_LEFT;
    c.button.x = 200, c.button.y = 200;
    SDL_PushEvent(&c);
    motion(w, 240, 210, SDL_BUTTON_LMASK); /* 40 pixels right, 10 down */
    pump(a, &t);
    assert_true(fabs(p->yaw - (yaw + 40 * 0.5)) < 1e-9);
    assert_true(fabs(p->pitch - (pitch + 10 * 0.3)) < 1e-9);
    shown = viz_window_pixels(w, &pw, &ph);
    int changed = 0;
    for (int k = 0; k < pw * ph; k++) changed += shown[k] != before[k];
    assert_true(changed > 1000); /* the window shows the turned surface */
    /* a drag is no click, and moving without the button held does not turn it */
    viz_event ev;
    assert_int_equal(drain(a, VIZ_EV_CLICK, &ev), 0);
    motion(w, 300, 300, 0);
    pump(a, &t);
    assert_true(fabs(p->yaw - (yaw + 40 * 0.5)) < 1e-9);
    free(before);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

/* Scribbles on pixel (x, y) of the window, pumps once, and says whether that pass
 * repainted it: 1 for a redraw of the panel there, 0 for none (the pixel is then put
 * back as it was). */
static int redrawn(viz_app *a, viz_window *w, double *t, int x, int y) {
    int pw, ph;
    uint32_t *px = (uint32_t *)viz_window_pixels(w, &pw, &ph);
    uint32_t was = px[y * pw + x];
    px[y * pw + x] = 0xff123456u;
    pump(a, t);
    px = (uint32_t *)viz_window_pixels(w, &pw, &ph);
    if (px[y * pw + x] != 0xff123456u) return 1;
    px[y * pw + x] = was;
    return 0;
}

static int idle_redraws(viz_app *a, viz_window *w, double *t, int passes) {
    int n = 0;
    for (int k = 0; k < passes; k++) n += redrawn(a, w, t, 5, 5);
    return n;
}

static void test_window_resting_cursor_redraws_only_on_a_move_or_a_change(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "rest", 400, 400);
    viz_panel *p = field();
    viz_window_add(w, p);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    assert_int_equal(idle_redraws(a, w, &t, 30), 0);
    /* the cursor comes to rest on the panel: one redraw (the tooltip), then none */
    motion(w, 200, 200, 0);
    assert_int_equal(redrawn(a, w, &t, 5, 5), 1);
    assert_int_equal(idle_redraws(a, w, &t, 30), 0);
    /* each move redraws once */
    motion(w, 210, 205, 0);
    assert_int_equal(idle_redraws(a, w, &t, 30), 1);
    /* the panel changes under the resting cursor: redrawn, with the tooltip still there */
    float v[4] = {3, 2, 1, 0};
    viz_field_set(p, v, 2, 2, -1, 1, -1, 1);
    assert_int_equal(idle_redraws(a, w, &t, 30), 1);
    int pw, ph;
    const uint32_t *shown = viz_window_pixels(w, &pw, &ph);
    uint32_t *off = malloc(400 * 400 * 4);
    viz_panel_render(a, p, off, 400, 400, 1, 0);
    int tip = 0, elsewhere = 0; /* the tooltip: beside the cursor (flipped at the edges) */
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 400; x++) {
            int diff = shown[y * 400 + x] != off[y * 400 + x];
            int beside = y > 205 - 80 && y < 205 + 80;
            tip += diff && beside, elsewhere += diff && !beside;
        }
    assert_true(tip > 100);
    assert_int_equal(elsewhere, 0);
    /* leaving the window takes the tooltip away: one redraw */
    SDL_Event lv = {0};
    lv.type = SDL_WINDOWEVENT;
    lv.window.windowID = viz_window_id(w);
    lv.window.event = SDL_WINDOWEVENT_LEAVE;
    SDL_PushEvent(&lv);
    assert_int_equal(idle_redraws(a, w, &t, 30), 1);
    shown = viz_window_pixels(w, &pw, &ph);
    assert_memory_equal(shown, off, 400 * 400 * 4);
    free(off);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

/* Asserts that rows [y0, y0 + h) and columns [x0, x0 + w) of the window's pixels are
 * what the offscreen renderer draws for p at w x h. */
static void assert_cell_shows(viz_app *a, viz_window *win, viz_panel *p, int x0, int y0, int w,
                              int h) {
    int pw, ph;
    const uint32_t *px = viz_window_pixels(win, &pw, &ph);
    uint32_t *off = malloc((size_t)w * h * 4);
    viz_panel_render(a, p, off, w, h, 1, 0);
    for (int y = 0; y < h; y++)
        if (memcmp(px + (size_t)(y0 + y) * pw + x0, off + (size_t)y * w, (size_t)w * 4))
            fail_msg("cell at (%d, %d) of %d x %d: row %d differs from the panel's render", x0, y0,
                     w, h, y);
    free(off);
}

static void test_window_grid_reflows_to_the_window_shape(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "reflow", 600, 300);
    viz_panel *p = field(), *q = lines();
    viz_window_add(w, p);
    viz_window_add(w, q);
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    assert_cell_shows(a, w, p, 0, 0, 300, 300); /* wide: side by side */
    assert_cell_shows(a, w, q, 300, 0, 300, 300);
    SDL_SetWindowSize(SDL_GetWindowFromID(viz_window_id(w)), 200, 600);
    pump(a, &t);
    int pw, ph;
    viz_window_pixels(w, &pw, &ph);
    assert_int_equal(pw, 200);
    assert_int_equal(ph, 600);
    vt_look(viz_window_pixels(w, &pw, &ph), pw, ph, "window_reflowed");
    assert_cell_shows(a, w, p, 0, 0, 200, 300); /* tall: one above the other */
    assert_cell_shows(a, w, q, 0, 300, 200, 300);
    /* clicks follow the new grid */
    SDL_Event c = {0};
    c.type = SDL_MOUSEBUTTONDOWN;
    c.button.windowID = viz_window_id(w);
    c.button.button = SDL_BUTTON_LEFT;
    c.button.x = 100, c.button.y = 450;
    SDL_PushEvent(&c);
    pump(a, &t);
    viz_event ev;
    assert_int_equal(drain(a, VIZ_EV_CLICK, &ev), 1);
    assert_int_equal(ev.panel, 1);
    /* four panels in a square window: two by two; set columns win over the shape */
    viz_panel *r = lines(), *s = field();
    viz_window_add(w, r);
    viz_window_add(w, s);
    SDL_SetWindowSize(SDL_GetWindowFromID(viz_window_id(w)), 600, 480);
    pump(a, &t);
    assert_cell_shows(a, w, s, 300, 240, 300, 240);
    viz_window_set_cols(w, 4);
    pump(a, &t);
    assert_cell_shows(a, w, s, 450, 0, 150, 480);
    viz_panel_free(p), viz_panel_free(q), viz_panel_free(r), viz_panel_free(s);
    viz_window_free(w);
    viz_app_free(a);
}

static void test_window_several_windows_draw_and_report_on_their_own(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w1 = viz_window_new(a, "one", 300, 200), *w2 = viz_window_new(a, "two", 320, 240);
    viz_panel *p = lines(), *q = field();
    viz_window_add(w1, p);
    viz_window_add(w2, q);
    assert_int_equal(viz_window_show(w1), VIZ_OK);
    assert_int_equal(viz_window_show(w2), VIZ_OK);
    assert_int_not_equal(viz_window_id(w1), viz_window_id(w2));
    double t = 0;
    pump(a, &t);
    assert_cell_shows(a, w1, p, 0, 0, 300, 200);
    assert_cell_shows(a, w2, q, 0, 0, 320, 240);
    /* a change in one window's panel redraws that window only */
    int pw1, ph1, pw2, ph2;
    uint32_t *px1 = (uint32_t *)viz_window_pixels(w1, &pw1, &ph1);
    uint32_t *px2 = (uint32_t *)viz_window_pixels(w2, &pw2, &ph2);
    px1[5 * pw1 + 5] = px2[5 * pw2 + 5] = 0xff123456u;
    float y = 7;
    viz_series_add(p, "a", NULL, &y, 1);
    pump(a, &t);
    assert_int_not_equal(px1[5 * pw1 + 5], 0xff123456u);
    assert_int_equal(px2[5 * pw2 + 5], 0xff123456u);
    /* keys and clicks name the window they happened in */
    key(w2, SDLK_x);
    SDL_Event c = {0};
    c.type = SDL_MOUSEBUTTONDOWN;
    c.button.windowID = viz_window_id(w1);
    c.button.button = SDL_BUTTON_LEFT;
    c.button.x = 150, c.button.y = 100;
    SDL_PushEvent(&c);
    pump(a, &t);
    viz_event ev;
    assert_true(viz_app_next_event(a, &ev));
    assert_int_equal(ev.type, VIZ_EV_KEY);
    assert_true(ev.win == w2);
    assert_true(viz_app_next_event(a, &ev));
    assert_int_equal(ev.type, VIZ_EV_CLICK);
    assert_true(ev.win == w1);
    /* closing one leaves the other open and drawing */
    SDL_Event cl = {0};
    cl.type = SDL_WINDOWEVENT;
    cl.window.windowID = viz_window_id(w1);
    cl.window.event = SDL_WINDOWEVENT_CLOSE;
    SDL_PushEvent(&cl);
    pump(a, &t);
    assert_true(viz_app_next_event(a, &ev));
    assert_int_equal(ev.type, VIZ_EV_CLOSE);
    assert_true(ev.win == w1);
    assert_false(viz_window_is_open(w1));
    assert_true(viz_window_is_open(w2));
    px2 = (uint32_t *)viz_window_pixels(w2, &pw2, &ph2);
    px2[5 * pw2 + 5] = 0xff123456u;
    viz_panel_set_label(q, VIZ_TITLE, "still here");
    pump(a, &t);
    assert_int_not_equal(px2[5 * pw2 + 5], 0xff123456u);
    viz_panel_free(p), viz_panel_free(q);
    viz_window_free(w1);
    viz_window_free(w2);
    viz_app_free(a);
}

/* Dark pixels of a text panel rendered at w x h with the given scale. */
static int text_ink(viz_app *a, viz_panel *p, int w, int h, double scale) {
    uint32_t *px = malloc((size_t)w * h * 4);
    assert_int_equal(viz_panel_render(a, p, px, w, h, scale, 0), VIZ_OK);
    int n = vt_dark(px, w, 0, 0, w, h, 128);
    free(px);
    return n;
}

static void test_window_hidpi_scale_follows_pixels_per_point_and_dpi(void **state) {
    (void)state;
    /* a back-end that gives 2 pixels a point (renderer output twice the window size) */
    assert_true(fabs(window_pixel_scale(1600, 800, 96) - 2) < 1e-12);
    assert_true(fabs(window_pixel_scale(1600, 800, 192) - 2) < 1e-12); /* not twice over */
    /* one pixel a point: the display's DPI decides, capped at 3 */
    assert_true(fabs(window_pixel_scale(800, 800, 96) - 1) < 1e-12);
    assert_true(fabs(window_pixel_scale(800, 800, 0) - 1) < 1e-12); /* DPI unknown */
    assert_true(fabs(window_pixel_scale(800, 800, 144) - 1.5) < 1e-12);
    assert_true(fabs(window_pixel_scale(800, 800, 600) - 3) < 1e-12);
    assert_true(fabs(window_pixel_scale(800, 0, 96) - 1) < 1e-12); /* not mapped yet */
    /* at scale 2 on twice the pixels, type and lines are twice as large: about four
     * times the ink of scale 1 */
    viz_app *a = vt_app();
    viz_panel *p = viz_panel_new(VIZ_TEXT);
    viz_text_set(p, "epoch 12\nloss 0.25");
    int one = text_ink(a, p, 400, 300, 1), two = text_ink(a, p, 800, 600, 2);
    if (two < 3 * one || two > 5 * one) fail_msg("ink at scale 1: %d, at scale 2: %d", one, two);
    viz_panel_free(p);
    viz_app_free(a);
}

/* The colour of pixel (x, y) of the SDL window's own surface (what is on screen). */
static void screen_rgb(viz_window *w, int x, int y, uint8_t *r, uint8_t *g, uint8_t *b) {
    SDL_Surface *s = SDL_GetWindowSurface(SDL_GetWindowFromID(viz_window_id(w)));
    assert_non_null(s);
    SDL_LockSurface(s);
    const uint8_t *row = (const uint8_t *)s->pixels + (size_t)y * s->pitch;
    uint32_t v = 0;
    memcpy(&v, row + (size_t)x * s->format->BytesPerPixel, s->format->BytesPerPixel);
    SDL_GetRGB(v, s->format, r, g, b);
    SDL_UnlockSurface(s);
}

static void test_window_empty_window_shows_its_background(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "empty", 200, 150);
    viz_window_show(w);
    SDL_Surface *s = SDL_GetWindowSurface(SDL_GetWindowFromID(viz_window_id(w)));
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 0, 0, 0)); /* black before the first frame */
    double t = 0;
    pump(a, &t);
    int pw, ph;
    const uint32_t *px = viz_window_pixels(w, &pw, &ph);
    assert_non_null(px);
    uint8_t r, g, b;
    screen_rgb(w, 100, 75, &r, &g, &b);
    assert_int_equal(viz_rgb(r, g, b), px[75 * pw + 100] | 0xff000000u);
    assert_true(r > 200 && g > 200 && b > 200); /* the light background, not black */
    /* a panel added later is shown */
    viz_panel *p = lines();
    viz_window_add(w, p);
    pump(a, &t);
    assert_cell_shows(a, w, p, 0, 0, 200, 150);
    viz_panel_free(p);
    viz_window_free(w);
    viz_app_free(a);
}

/* Pixels of the screen that differ from what the window drew into its buffer, and
 * how many of them are black (the screen was painted black before the redraw). */
static int screen_vs_drawn(viz_window *w, int *black) {
    SDL_Surface *s = SDL_GetWindowSurface(SDL_GetWindowFromID(viz_window_id(w)));
    int pw, ph, differ = 0;
    const uint32_t *px = viz_window_pixels(w, &pw, &ph);
    assert_non_null(px);
    assert_int_equal(s->w, pw);
    *black = 0;
    for (int y = 0; y < ph; y++)
        for (int x = 0; x < pw; x++) {
            uint8_t r, g, b;
            screen_rgb(w, x, y, &r, &g, &b);
            if (viz_rgb(r, g, b) != (px[(size_t)y * pw + x] | 0xff000000u)) differ++;
            if (!r && !g && !b) (*black)++;
        }
    return differ;
}

/* A redraw copies to the screen what it drew, and only that: a new status line and
 * slider text (ten times a second while a small net trains) copy their strips, a
 * panel with new data its cell; the rest of the screen is left as it was. */
static void test_window_redraw_copies_what_it_drew(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "parts", 300, 200);
    viz_panel *p = lines(), *q = lines();
    viz_window_add(w, p);
    viz_window_add(w, q);
    viz_window_set_status(w, "epoch 1");
    viz_window_set_slider(w, 3, 2, "epoch 1 (latest)");
    viz_window_show(w);
    double t = 0;
    pump(a, &t);
    int black, panel_x, panel_y, panel_w, panel_h;
    assert_int_equal(screen_vs_drawn(w, &black), 0);
    SDL_Surface *s = SDL_GetWindowSurface(SDL_GetWindowFromID(viz_window_id(w)));
    /* the strips alone: the screen outside them stays black */
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, 0, 0, 0));
    viz_window_set_status(w, "epoch 2");
    viz_window_set_slider(w, 3, 2, "epoch 2 (latest)");
    pump(a, &t);
    int differ = screen_vs_drawn(w, &black);
    assert_int_equal(viz_window_cell(w, 0, &panel_x, &panel_y, &panel_w, &panel_h), VIZ_OK);
    /* both panels still black, the strips (status above, slider below) drawn */
    assert_true(black >= 2 * panel_w * panel_h * 9 / 10);
    assert_int_equal(differ, black);
    uint8_t r, g, b;
    screen_rgb(w, 150, 2, &r, &g, &b);
    assert_true(r > 200 && g > 200 && b > 200); /* the status strip's light band */
    screen_rgb(w, 298, 198, &r, &g, &b);
    assert_true(r > 150 && g > 150 && b > 150); /* the slider's band */
    /* one panel's new data: its cell, and the cell beside it stays black */
    float y[2] = {5, 0};
    viz_series_add(q, "a", NULL, y, 2);
    pump(a, &t);
    int qx, qy, qw, qh;
    assert_int_equal(viz_window_cell(w, 1, &qx, &qy, &qw, &qh), VIZ_OK);
    differ = screen_vs_drawn(w, &black);
    assert_true(black >= panel_w * panel_h * 9 / 10 && black < 2 * panel_w * panel_h * 9 / 10);
    assert_int_equal(differ, black);
    screen_rgb(w, panel_x + panel_w / 2, panel_y + panel_h / 2, &r, &g, &b);
    assert_true(!r && !g && !b);
    /* a change of layout (the slider goes): the whole window */
    viz_window_set_slider(w, 0, 0, NULL);
    pump(a, &t);
    assert_int_equal(screen_vs_drawn(w, &black), 0);
    viz_window_free(w);
    viz_panel_free(p);
    viz_panel_free(q);
    viz_app_free(a);
}

/* Cells past the last panel (three panels in two by two) show the background, on
 * screen and in a saved PNG, not black or stale pixels. */
static void test_window_empty_cells_show_the_background(void **state) {
    (void)state;
    viz_app *a = vt_app();
    viz_window *w = viz_window_new(a, "three", 400, 300);
    viz_panel *p = lines(), *q = field(), *r = lines();
    viz_window_add(w, p);
    viz_window_add(w, q);
    viz_window_add(w, r);
    char path[] = "/tmp/nnlab-viz-cells-XXXXXX.png";
    close(mkstemps(path, 4));
    assert_int_equal(viz_window_save_png(w, path), VIZ_OK);
    uint32_t *back;
    int bw, bh;
    char err[256];
    assert_int_equal(viz_png_read(path, &back, &bw, &bh, err, sizeof err), VIZ_OK);
    unlink(path);
    uint32_t bg = back[0]; /* the top-left corner of panel 1 is background */
    assert_true(vt_luma(bg) > 200 && (bg >> 24) == 0xff);
    assert_int_equal(vt_count(back, 400, 200, 150, 400, 300, bg, 0), 200 * 150);
    free(back);
    viz_window_show(w);
    int pw, ph;
    double t = 0;
    pump(a, &t);
    const uint32_t *px = viz_window_pixels(w, &pw, &ph);
    assert_int_equal(vt_count(px, pw, 200, 150, 400, 300, bg, 0), 200 * 150);
    viz_panel_free(p), viz_panel_free(q), viz_panel_free(r);
    viz_window_free(w);
    viz_app_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_matches_offscreen_render),
        cmocka_unit_test(test_window_redraws_only_changed_panels),
        cmocka_unit_test(test_window_slider_count_redraws_the_strip_only),
        cmocka_unit_test(test_window_keys_clicks_and_close_become_events),
        cmocka_unit_test(test_window_without_display_still_saves),
        cmocka_unit_test(test_window_hover_shows_value_but_not_in_saved_png),
        cmocka_unit_test(test_window_records_numbered_frames),
        cmocka_unit_test(test_window_records_a_gif_of_redraws),
        cmocka_unit_test(test_window_motion_is_coalesced_and_carries_data_coordinates),
        cmocka_unit_test(test_window_click_carries_modifier_keys),
        cmocka_unit_test(test_window_motion_names_the_network_node),
        cmocka_unit_test(test_window_slow_first_frame_does_not_set_the_pace),
        cmocka_unit_test(test_window_f_toggles_full_screen),
        cmocka_unit_test(test_window_s_saves_what_the_window_shows),
        cmocka_unit_test(test_window_dragging_a_surface_rotates_it),
        cmocka_unit_test(test_window_resting_cursor_redraws_only_on_a_move_or_a_change),
        cmocka_unit_test(test_window_grid_reflows_to_the_window_shape),
        cmocka_unit_test(test_window_several_windows_draw_and_report_on_their_own),
        cmocka_unit_test(test_window_hidpi_scale_follows_pixels_per_point_and_dpi),
        cmocka_unit_test(test_window_empty_window_shows_its_background),
        cmocka_unit_test(test_window_redraw_copies_what_it_drew),
        cmocka_unit_test(test_window_empty_cells_show_the_background),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
