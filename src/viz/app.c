/* app.c: the viz's shared state: whether a display exists (SDL's video starts on
 * demand), the list of windows, the queue of events for the program, and the pump that
 * hands SDL's events to the windows. The fonts it holds are font.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

viz_app *viz_app_new(char *err, size_t errlen) {
    viz_app *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "viz: out of memory");
        return NULL;
    }
    if (fonts_init(&a->fonts, err, errlen) != VIZ_OK) {
        free(a);
        return NULL;
    }
    return a;
}

void viz_app_free(viz_app *a) {
    if (!a) return;
    while (a->nwins > 0) viz_window_close(a->wins[--a->nwins]);
    free(a->wins);
    free(a->scratch);
    fonts_free(&a->fonts);
    if (a->video == 1) SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(a);
}

const char *viz_app_error(const viz_app *a) {
    return a->err;
}

int viz_app_has_display(viz_app *a) {
    if (a->video) return a->video == 1;
    const char *d = getenv("DISPLAY"), *wd = getenv("WAYLAND_DISPLAY"),
               *drv = getenv("SDL_VIDEODRIVER");
    if ((!d || !*d) && (!wd || !*wd) && (!drv || !*drv)) {
        snprintf(a->err, sizeof a->err, "no display (DISPLAY and WAYLAND_DISPLAY are unset)");
        a->video = -1;
        return 0;
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(a->err, sizeof a->err, "no display: %s", SDL_GetError());
        a->video = -1;
        return 0;
    }
    a->video = 1;
    return 1;
}

void app_push_event(viz_app *a, const viz_event *ev) {
    if (a->evcount == VIZ_MAX_EVENTS) { /* nobody reads them: keep the newest */
        a->evhead = (a->evhead + 1) % VIZ_MAX_EVENTS;
        a->evcount--;
    }
    a->events[(a->evhead + a->evcount) % VIZ_MAX_EVENTS] = *ev;
    a->evcount++;
}

int viz_app_next_event(viz_app *a, viz_event *ev) {
    if (!a->evcount) return 0;
    *ev = a->events[a->evhead];
    a->evhead = (a->evhead + 1) % VIZ_MAX_EVENTS;
    a->evcount--;
    return 1;
}

/* Drops queued events of a window that is going away. */
static void forget_events(viz_app *a, viz_window *w) {
    int n = a->evcount, k = 0;
    viz_event keep[VIZ_MAX_EVENTS];
    for (int i = 0; i < n; i++) {
        viz_event *e = &a->events[(a->evhead + i) % VIZ_MAX_EVENTS];
        if (e->win != w) keep[k++] = *e;
    }
    a->evhead = 0, a->evcount = k;
    memcpy(a->events, keep, (size_t)k * sizeof *keep);
}

int app_add_window(viz_app *a, viz_window *w) {
    if (a->nwins == a->capwins) {
        int cap = a->capwins ? 2 * a->capwins : 8;
        viz_window **nw = realloc(a->wins, (size_t)cap * sizeof *nw);
        if (!nw) return VIZ_ENOMEM;
        a->wins = nw, a->capwins = cap;
    }
    a->wins[a->nwins++] = w;
    return VIZ_OK;
}

void app_remove_window(viz_app *a, viz_window *w) {
    for (int i = 0; i < a->nwins; i++)
        if (a->wins[i] == w) {
            memmove(a->wins + i, a->wins + i + 1, (size_t)(a->nwins - i - 1) * sizeof *a->wins);
            a->nwins--;
            break;
        }
    forget_events(a, w);
}

static viz_window *window_of(viz_app *a, uint32_t id) {
    for (int i = 0; i < a->nwins; i++)
        if (viz_window_id(a->wins[i]) == id) return a->wins[i];
    return NULL;
}

int viz_app_pump(viz_app *a, double now_ms) {
    if (a->video != 1) return a->evcount;
    /* The events are taken in batches, and a window's focus is noted before its batch
     * is handed out: X11 may queue the focus after the click that brought it. */
    enum { BATCH = 128 };
    SDL_Event batch[BATCH];
    int n;
    do {
        n = 0;
        SDL_Event e;
        while (n < BATCH && SDL_PollEvent(&e)) batch[n++] = e;
        for (int k = 0; k < n; k++)
            if (batch[k].type == SDL_WINDOWEVENT &&
                batch[k].window.event == SDL_WINDOWEVENT_FOCUS_GAINED) {
                viz_window *w = window_of(a, batch[k].window.windowID);
                if (w) window_focus_gained(w, batch[k].window.timestamp);
            }
        for (int k = 0; k < n; k++) {
            const SDL_Event *ev = &batch[k];
            uint32_t id = 0;
            switch (ev->type) {
            case SDL_WINDOWEVENT:
                id = ev->window.windowID;
                break;
            case SDL_KEYDOWN:
                id = ev->key.windowID;
                break;
            case SDL_MOUSEMOTION:
                id = ev->motion.windowID;
                break;
            case SDL_MOUSEBUTTONDOWN:
            case SDL_MOUSEBUTTONUP:
                id = ev->button.windowID;
                break;
            default:
                continue; /* SDL_QUIT included: closing windows never ends nnlab */
            }
            viz_window *w = window_of(a, id);
            if (w) window_handle(w, ev);
        }
    } while (n == BATCH);
    for (int i = 0; i < a->nwins; i++) {
        window_redraw(a->wins[i], now_ms);
        window_motion(a->wins[i], now_ms); /* after the redraw: layouts are current */
    }
    return a->evcount;
}
