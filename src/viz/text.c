/* text.c: text through SDL2_ttf, blended onto a canvas with anti-aliasing, straight or
 * turned 90 degrees for y-axis labels. The fonts come from font.c's cache. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "vizint.h"

void text_size(viz_app *a, viz_face face, int px, const char *s, int *w, int *h) {
    *w = *h = 0;
    if (!s || !*s) return;
    TTF_Font *f = font_get(&a->fonts, face, px);
    if (!f || TTF_SizeUTF8(f, s, w, h) != 0) *w = *h = 0;
}

void text_draw(viz_canvas *cv, viz_app *a, viz_face face, int px, const char *s, int x, int y,
               int align, uint32_t col, int rotated) {
    if (!s || !*s) return;
    TTF_Font *f = font_get(&a->fonts, face, px);
    if (!f) return;
    SDL_Color white = {255, 255, 255, 255};
    /* Blended gives ARGB8888 with coverage in alpha; we use only the alpha. */
    SDL_Surface *src = TTF_RenderUTF8_Blended(f, s, white);
    if (!src) return;
    SDL_Surface *s32 = src->format->format == SDL_PIXELFORMAT_ARGB8888
                           ? src
                           : SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!s32) {
        SDL_FreeSurface(src);
        return;
    }
    int tw = s32->w, th = s32->h;
    int bw = rotated ? th : tw, bh = rotated ? tw : th;
    int hx = align & 3, vy = align & 12;
    int ox = hx == ALIGN_CENTER ? x - bw / 2 : hx == ALIGN_RIGHT ? x - bw : x;
    int oy = vy == ALIGN_MIDDLE ? y - bh / 2 : vy == ALIGN_BOTTOM ? y - bh : y;
    if (SDL_LockSurface(s32) == 0) {
        int cut = 0, ix0 = INT_MAX, iy0 = INT_MAX, ix1 = INT_MIN, iy1 = INT_MIN;
        for (int j = 0; j < th; j++) {
            const uint32_t *row = (const uint32_t *)((const uint8_t *)s32->pixels + j * s32->pitch);
            for (int i = 0; i < tw; i++) {
                int al = row[i] >> 24;
                if (!al) continue;
                /* rotated 90 degrees counter-clockwise: text reads bottom to top */
                int dx = rotated ? ox + j : ox + i, dy = rotated ? oy + (tw - 1 - i) : oy + j;
                /* faint anti-aliasing at an edge is not a letter cut off */
                if (al > 64 && (dx < cv->cx0 || dx >= cv->cx1 || dy < cv->cy0 || dy >= cv->cy1))
                    cut = 1;
                if (al > 64) /* the ink, as for cut */
                    ix0 = dx < ix0 ? dx : ix0, ix1 = dx + 1 > ix1 ? dx + 1 : ix1,
                    iy0 = dy < iy0 ? dy : iy0, iy1 = dy + 1 > iy1 ? dy + 1 : iy1;
                cv_blend(cv, dx, dy, col, al / 255.0);
            }
        }
        a->text_cut += cut;
        if (a->text_log && a->text_log_n < a->text_log_cap) {
            viz_text_ink *k = &a->text_log[a->text_log_n++];
            *k = (viz_text_ink){ix0, iy0, ix1, iy1, ""};
            snprintf(k->s, sizeof k->s, "%s", s);
        }
        SDL_UnlockSurface(s32);
    }
    if (s32 != src) SDL_FreeSurface(s32);
    SDL_FreeSurface(src);
}

void text_fit(viz_app *a, viz_face face, int px, const char *s, int w, char *out, size_t n) {
    snprintf(out, n, "%s", s ? s : "");
    int tw, th;
    text_size(a, face, px, out, &tw, &th);
    size_t len = strlen(out);
    while (tw > w && len > 0) {
        do len--;
        while (len > 0 && ((unsigned char)out[len] & 0xc0) == 0x80);
        if (len + 4 > n) continue;
        memcpy(out + len, "\xe2\x80\xa6", 4); /* U+2026 and the terminating zero */
        text_size(a, face, px, out, &tw, &th);
    }
    if (tw > w) out[0] = 0; /* not even the ellipsis fits */
}
