/* test_window_wm.c: real X11 windows under a window manager (openbox on Xvfb, started by
 * run_wm.sh): a new window comes to the front, above a full-screen one; minimising a
 * window reports it hidden and restoring it shown; a key typed in the window (PageDown,
 * by xdotool) reaches the program; the click that only focuses a window is not a click,
 * the next one is. Skips without a display. */
#include <string.h>
#include <unistd.h>

#include <SDL_syswm.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>

#include "vizt.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* SDL's X11 back-end keeps D-Bus and Xlib state for the life of the process, partly in
 * libraries it unloads (see test_window_xvfb.c): leaks are not checked here; our window
 * code is leak-checked by test_window and test_window_sizes. */
#define LSAN_OFF() __lsan_disable()
#else
#define LSAN_OFF() ((void)0)
#endif

static double clock_ms;

/* Pumps for ms milliseconds, collecting the events of type want for win. */
static int pump_for(viz_app *a, int ms, viz_window *win, viz_event_type want, viz_event *got) {
    int n = 0;
    for (int t = 0; t < ms; t += 20) {
        clock_ms += 20;
        viz_app_pump(a, clock_ms);
        viz_event ev;
        while (viz_app_next_event(a, &ev))
            if (ev.win == win && ev.type == want) {
                if (got) *got = ev;
                n++;
            }
        SDL_Delay(20);
    }
    return n;
}

static Window xwin(viz_window *w, Display **d) {
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    assert_true(SDL_GetWindowWMInfo(SDL_GetWindowFromID(viz_window_id(w)), &info));
    *d = info.info.x11.display;
    return info.info.x11.window;
}

/* The top-level client the window manager stacks last (topmost), by
 * _NET_CLIENT_LIST_STACKING. */
static Window topmost(Display *d) {
    Atom prop = XInternAtom(d, "_NET_CLIENT_LIST_STACKING", False), type;
    int format;
    unsigned long n, after;
    unsigned char *data = NULL;
    Window top = 0;
    if (XGetWindowProperty(d, DefaultRootWindow(d), prop, 0, 1024, False, XA_WINDOW, &type, &format,
                           &n, &after, &data) == Success &&
        data && n > 0)
        top = ((Window *)data)[n - 1];
    if (data) XFree(data);
    return top;
}

static void sh(const char *fmt, unsigned long a, int b, int c) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, fmt, a, b, c);
    assert_int_equal(system(cmd), 0);
}

static viz_window *field_window(viz_app *a, const char *title, int w, int h, viz_panel **pp) {
    viz_panel *p = viz_panel_new(VIZ_FIELD);
    static float v[20 * 20];
    for (int i = 0; i < 400; i++) v[i] = (float)(i % 20);
    viz_field_set(p, v, 20, 20, -1, 1, -1, 1);
    viz_window *win = viz_window_new(a, title, w, h);
    viz_window_add(win, p);
    *pp = p;
    return win;
}

static void test_wm_new_window_comes_to_the_front(void **state) {
    (void)state;
    if (!getenv("DISPLAY")) skip();
    viz_app *a = vt_app();
    assert_true(viz_app_has_display(a));
    viz_panel *pa, *pb;
    viz_window *full = field_window(a, "full screen", 800, 600, &pa);
    assert_int_equal(viz_window_set_placement(full, 1, 0), VIZ_OK);
    assert_int_equal(viz_window_show(full), VIZ_OK);
    pump_for(a, 800, full, VIZ_EV_KEY, NULL);
    Display *d;
    Window xf = xwin(full, &d);
    int fw, fh;
    SDL_GetWindowSize(SDL_GetWindowFromID(viz_window_id(full)), &fw, &fh);
    print_message("full-screen window: %d x %d\n", fw, fh);
    assert_int_equal(fw, 1920);
    assert_int_equal(topmost(d), xf);
    /* the lecturer was working in the full-screen window just before */
    sh("xdotool windowactivate --sync %lu key --clearmodifiers x%.0d%.0d", xf, 0, 0);
    pump_for(a, 200, full, VIZ_EV_CLICK, NULL);
    viz_window *late = field_window(a, "opened later", 640, 480, &pb);
    assert_int_equal(viz_window_show(late), VIZ_OK);
    pump_for(a, 800, late, VIZ_EV_KEY, NULL);
    Window xl = xwin(late, &d);
    assert_int_equal(topmost(d), xl); /* above the full-screen window */
    /* a display that does not exist is refused, naming how many there are */
    viz_panel *pc;
    viz_window *nowhere = field_window(a, "nowhere", 300, 200, &pc);
    viz_window_set_placement(nowhere, 0, 5);
    assert_int_equal(viz_window_show(nowhere), VIZ_EINVAL);
    assert_non_null(strstr(viz_window_error(nowhere), "display 6, but there is 1"));
    viz_window_free(nowhere), viz_window_free(late), viz_window_free(full);
    viz_panel_free(pa), viz_panel_free(pb), viz_panel_free(pc);
    viz_app_free(a);
}

static void test_wm_minimise_keys_and_focus_clicks(void **state) {
    (void)state;
    if (!getenv("DISPLAY")) skip();
    viz_app *a = vt_app();
    assert_true(viz_app_has_display(a));
    viz_panel *pa, *pb;
    viz_window *one = field_window(a, "one", 640, 480, &pa);
    viz_window *two = field_window(a, "two", 640, 480, &pb);
    assert_int_equal(viz_window_show(one), VIZ_OK);
    pump_for(a, 500, one, VIZ_EV_KEY, NULL);
    assert_int_equal(viz_window_show(two), VIZ_OK);
    pump_for(a, 500, two, VIZ_EV_KEY, NULL);
    Display *d;
    Window x1 = xwin(one, &d), x2 = xwin(two, &d);
    /* side by side: two to the right, so that a click can reach one */
    sh("xdotool windowmove %lu %d %d", x2, 1200, 100);
    pump_for(a, 400, two, VIZ_EV_KEY, NULL);
    assert_true(viz_window_visible(one) && viz_window_visible(two));
    /* minimise two: reported hidden; activate it: shown again */
    sh("xdotool windowminimize %lu%.0d%.0d", x2, 0, 0);
    assert_int_equal(pump_for(a, 800, two, VIZ_EV_HIDDEN, NULL), 1);
    assert_false(viz_window_visible(two));
    sh("xdotool windowactivate %lu%.0d%.0d", x2, 0, 0);
    assert_int_equal(pump_for(a, 800, two, VIZ_EV_SHOWN, NULL), 1);
    assert_true(viz_window_visible(two));
    /* PageDown typed in two reaches the program as its key */
    viz_event ev;
    sh("xdotool windowactivate --sync %lu key Next%.0d%.0d", x2, 0, 0);
    assert_int_equal(pump_for(a, 500, two, VIZ_EV_KEY, &ev), 1);
    assert_int_equal(ev.key, SDLK_PAGEDOWN);
    /* a click into one, which two has the focus from: it focuses one and is dropped; a
     * click a moment later is a click */
    int ox, oy;
    SDL_GetWindowPosition(SDL_GetWindowFromID(viz_window_id(one)), &ox, &oy);
    int tx, ty;
    SDL_GetWindowPosition(SDL_GetWindowFromID(viz_window_id(two)), &tx, &ty);
    print_message("windows at (%d, %d) and (%d, %d)\n", ox, oy, tx, ty);
    int cx = ox + 320, cy = oy + 260; /* inside one's plot area */
    assert_false(cx >= tx && cx < tx + 640 && cy >= ty && cy < ty + 480); /* not under two */
    sh("xdotool mousemove %lu %d click 1", (unsigned long)cx, cy, 0);
    int first = pump_for(a, 600, one, VIZ_EV_CLICK, NULL);
    sh("xdotool mousemove %lu %d click 1", (unsigned long)cx, cy, 0);
    int second = pump_for(a, 400, one, VIZ_EV_CLICK, NULL);
    print_message("clicks reported: %d for the focusing click, %d for the next\n", first, second);
    assert_int_equal(first, 0);
    assert_int_equal(second, 1);
    (void)x1;
    viz_window_free(two), viz_window_free(one);
    viz_panel_free(pa), viz_panel_free(pb);
    viz_app_free(a);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--skip") == 0) {
        printf("test_window_wm skipped: no xvfb-run\n");
        return 77;
    }
    LSAN_OFF();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wm_new_window_comes_to_the_front),
        cmocka_unit_test(test_wm_minimise_keys_and_focus_clicks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
