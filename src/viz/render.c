/* render.c: offscreen rendering of a panel into ARGB pixels (by its kind's draw), the
 * tooltip text at a pixel (by its kind's hover), the mapping between data and pixels of
 * a rendered panel, and PNG files through SDL2_image. No display needed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "vizint.h"

void panel_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p, viz_layout *lay) {
    memset(lay, 0, sizeof *lay);
    /* one row filled, then copied to the others (memcpy's wide stores; the plain loop
     * stored a pixel at a time, and a live view clears its whole panel at every frame) */
    int x0 = cv->cx0, n = cv->cx1 - cv->cx0;
    size_t w = (size_t)cv->w;
    if (n > 0 && cv->cy1 > cv->cy0) {
        uint32_t bg = t->bg, *first = cv->px + (size_t)cv->cy0 * w + x0;
        for (int x = 0; x < n; x++) first[x] = bg;
        for (int y = cv->cy0 + 1; y < cv->cy1; y++)
            memcpy(cv->px + (size_t)y * w + x0, first, (size_t)n * sizeof *first);
    }
    kind_def(p->kind)->draw(cv, a, t, p, lay);
}

int panel_hover_text(viz_panel *p, const viz_layout *lay, int px, int py, char *buf, size_t n) {
    return kind_def(p->kind)->hover(p, lay, px, py, buf, n);
}

int hover_xy(const viz_layout *lay, int px, int py, char *buf, size_t n) {
    const viz_frame *f = &lay->f;
    if (!lay->has || px < f->x0 || px >= f->x1 || py < f->y0 || py >= f->y1) return 0;
    snprintf(buf, n, "x %.4g  y %.4g", frame_dx(f, px + 0.5), frame_dy(f, py + 0.5));
    return 1;
}

static int check_size(viz_panel *p, int w, int h) {
    if (w < 16 || h < 16 || w > 16384 || h > 16384)
        return panel_fail(p, VIZ_EINVAL, "render: size %d x %d (16 to 16384 pixels a side)", w, h);
    return VIZ_OK;
}

int viz_panel_render(viz_app *a, viz_panel *p, uint32_t *argb, int w, int h, double scale,
                     int projector) {
    int rc = check_size(p, w, h);
    if (rc) return rc;
    viz_canvas cv;
    viz_theme t;
    viz_layout lay;
    cv_init(&cv, argb, w, h);
    theme_make(&t, scale, projector);
    panel_draw(&cv, a, &t, p, &lay);
    return VIZ_OK;
}

int viz_panel_save_png(viz_app *a, viz_panel *p, const char *path, int w, int h, int projector) {
    int rc = check_size(p, w, h);
    if (rc) return rc;
    uint32_t *px = malloc((size_t)w * h * sizeof *px);
    if (!px) return panel_fail(p, VIZ_ENOMEM, "save: out of memory for %d x %d", w, h);
    viz_panel_render(a, p, px, w, h, 1, projector);
    rc = viz_png_write(path, px, w, h, p->err, sizeof p->err);
    free(px);
    return rc;
}

/* Renders once to learn the layout, then maps. */
static int layout_of(viz_app *a, viz_panel *p, int w, int h, viz_layout *lay) {
    int rc = check_size(p, w, h);
    if (rc) return rc;
    uint32_t *px = malloc((size_t)w * h * sizeof *px);
    if (!px) return panel_fail(p, VIZ_ENOMEM, "layout: out of memory");
    viz_canvas cv;
    viz_theme t;
    cv_init(&cv, px, w, h);
    theme_make(&t, 1, 0);
    panel_draw(&cv, a, &t, p, lay);
    free(px);
    if (!lay->has) return panel_fail(p, VIZ_EINVAL, "this panel has no data axes");
    return VIZ_OK;
}

int viz_panel_to_pixel(viz_app *a, viz_panel *p, int w, int h, double x, double y, double *px,
                       double *py) {
    viz_layout lay;
    int rc = layout_of(a, p, w, h, &lay);
    if (rc) return rc;
    *px = frame_px(&lay.f, x), *py = frame_py(&lay.f, y);
    return VIZ_OK;
}

int viz_panel_to_data(viz_app *a, viz_panel *p, int w, int h, double px, double py, double *x,
                      double *y) {
    viz_layout lay;
    int rc = layout_of(a, p, w, h, &lay);
    if (rc) return rc;
    const viz_frame *f = &lay.f;
    if (px < f->x0 || px > f->x1 || py < f->y0 || py > f->y1)
        return panel_fail(p, VIZ_EINVAL, "pixel (%g, %g) is outside the plot area", px, py);
    *x = frame_dx(f, px), *y = frame_dy(f, py);
    return VIZ_OK;
}

int viz_png_write(const char *path, const uint32_t *argb, int w, int h, char *err, size_t errlen) {
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormatFrom((void *)argb, w, h, 32, w * 4, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        snprintf(err, errlen, "png %s: %s", path, SDL_GetError());
        return VIZ_ENOMEM;
    }
    int rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
    if (rc != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, IMG_GetError());
        return VIZ_EIO;
    }
    return VIZ_OK;
}

int viz_png_read(const char *path, uint32_t **argb, int *w, int *h, char *err, size_t errlen) {
    SDL_Surface *s = IMG_Load(path);
    if (!s) {
        snprintf(err, errlen, "cannot read %s: %s", path, IMG_GetError());
        return VIZ_EIO;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    if (!c) {
        snprintf(err, errlen, "%s: %s", path, SDL_GetError());
        return VIZ_EIO;
    }
    uint32_t *px = malloc((size_t)c->w * c->h * sizeof *px);
    if (!px) {
        SDL_FreeSurface(c);
        snprintf(err, errlen, "%s: out of memory", path);
        return VIZ_ENOMEM;
    }
    SDL_LockSurface(c);
    for (int y = 0; y < c->h; y++)
        memcpy(px + (size_t)y * c->w, (uint8_t *)c->pixels + (size_t)y * c->pitch,
               (size_t)c->w * 4);
    SDL_UnlockSurface(c);
    *argb = px, *w = c->w, *h = c->h;
    SDL_FreeSurface(c);
    return VIZ_OK;
}
