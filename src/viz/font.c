/* font.c: the fonts text is drawn in: DejaVu Sans, bold and mono found on disk once,
 * and one TTF_Font per face and pixel size opened on first use and kept (type sizes
 * follow the scale and projector mode, so a few sizes serve every render). SDL2_ttf's
 * start and stop are here too; drawing is text.c's, and the app only holds the cache. */
#include <stdio.h>
#include <string.h>

#include "vizint.h"

static const char *font_dirs[] = {"/usr/share/fonts/truetype/dejavu/", "/usr/share/fonts/dejavu/",
                                  "/usr/local/share/fonts/dejavu/", NULL};
static const char *font_files[3] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"};

static int find_font(const char *file, char *out, size_t n) {
    for (int d = 0; font_dirs[d]; d++) {
        snprintf(out, n, "%s%s", font_dirs[d], file);
        FILE *f = fopen(out, "rb");
        if (f) {
            fclose(f);
            return 1;
        }
    }
    return 0;
}

int fonts_init(viz_fonts *fs, char *err, size_t errlen) {
    memset(fs, 0, sizeof *fs);
    if (!find_font(font_files[0], fs->path[0], sizeof fs->path[0])) {
        snprintf(err, errlen, "viz: DejaVuSans.ttf not found in %s (install fonts-dejavu-core)",
                 font_dirs[0]);
        return VIZ_EIO;
    }
    for (int i = 1; i < 3; i++) /* bold and mono fall back to the regular face */
        if (!find_font(font_files[i], fs->path[i], sizeof fs->path[i]))
            snprintf(fs->path[i], sizeof fs->path[i], "%s", fs->path[0]);
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "viz: SDL2_ttf: %s", TTF_GetError());
        return VIZ_EIO;
    }
    return VIZ_OK;
}

void fonts_free(viz_fonts *fs) {
    for (int i = 0; i < fs->n; i++) TTF_CloseFont(fs->open[i].font);
    fs->n = 0;
    TTF_Quit();
}

TTF_Font *font_get(viz_fonts *fs, viz_face face, int px) {
    if (px < 4) px = 4;
    for (int i = 0; i < fs->n; i++)
        if (fs->open[i].face == face && fs->open[i].px == px) return fs->open[i].font;
    TTF_Font *f = TTF_OpenFont(fs->path[face], px);
    if (!f) return NULL;
    if (fs->n == VIZ_MAX_FONTS) { /* full: drop the oldest size */
        TTF_CloseFont(fs->open[0].font);
        memmove(fs->open, fs->open + 1, (VIZ_MAX_FONTS - 1) * sizeof *fs->open);
        fs->n--;
    }
    fs->open[fs->n++] = (viz_font){face, px, f};
    return f;
}
