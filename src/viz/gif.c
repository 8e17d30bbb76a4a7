/* gif.c: animated GIF files through giflib. Each frame gets its own 256-colour
 * palette: a frame of at most 256 colours (flat plots) is written exactly; otherwise
 * the frame's most frequent colours are kept exactly (background, lines, text) and a
 * median cut of the remaining colours (colour maps, anti-aliasing) fills the rest, each
 * pixel mapped to its nearest palette colour. No dithering: plots are mostly flat.
 * After the first frame only the rectangle that changed is written, its unchanged
 * pixels transparent (they show the frame before): a race's frames shrink several times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

#include "viz.h"

#define GIF_COLOURS 256
#define GIF_EXACT   32 /* at most this many frequent colours kept exactly */
#define GIF_ERRLEN  256
#define EMPTY       0xffffffffu /* hash slot marker: real keys are 24-bit */

struct viz_gif {
    GifFileType *f;
    char *path;
    int w, h, delay_cs, frames;
    char err[GIF_ERRLEN];
    uint32_t *keys, *vals; /* colour hash: rgb -> count, then -> palette index */
    uint32_t hmask;
    uint32_t *cols, *cnts; /* the distinct colours of a frame and their counts */
    GifByteType *idx;      /* w * h palette indices */
    uint32_t *prev;        /* the last frame added, to find what changed */
};

/* Palette index of pixels unchanged since the last frame (255 colours left for them). */
#define KEEP (GIF_COLOURS - 1)

static int changed(const viz_gif *g, const uint32_t *argb, size_t i) {
    return !g->frames || ((argb[i] ^ g->prev[i]) & 0xffffff);
}

/* ---- colour hash (open addressing, sized for every pixel being distinct) ---- */

static uint32_t slot_of(const viz_gif *g, uint32_t rgb) {
    uint32_t s = (rgb * 2654435761u) & g->hmask;
    while (g->keys[s] != EMPTY && g->keys[s] != rgb) s = (s + 1) & g->hmask;
    return s;
}

/* Counts the frame's colours into cols/cnts; returns how many are distinct. */
static size_t count_colours(viz_gif *g, const uint32_t *argb) {
    memset(g->keys, 0xff, ((size_t)g->hmask + 1) * sizeof *g->keys);
    size_t n = 0, np = (size_t)g->w * g->h;
    for (size_t i = 0; i < np; i++) {
        if (!changed(g, argb, i)) continue;
        uint32_t rgb = argb[i] & 0xffffff, s = slot_of(g, rgb);
        if (g->keys[s] == EMPTY) g->keys[s] = rgb, g->vals[s] = 0, g->cols[n++] = rgb;
        g->vals[s]++;
    }
    for (size_t i = 0; i < n; i++) g->cnts[i] = g->vals[slot_of(g, g->cols[i])];
    return n;
}

static int chan(uint32_t rgb, int c) {
    return (int)(rgb >> (16 - 8 * c)) & 0xff;
}

/* ---- median cut ---- */

typedef struct {
    size_t lo, hi; /* a range of cols/cnts */
} box;

static int by_key(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The channel of widest range in b, and that range. */
static int widest(const uint32_t *cols, box b, int *range) {
    int lo[3] = {255, 255, 255}, hi[3] = {0, 0, 0}, best = 0;
    for (size_t i = b.lo; i < b.hi; i++)
        for (int c = 0; c < 3; c++) {
            int v = chan(cols[i], c);
            if (v < lo[c]) lo[c] = v;
            if (v > hi[c]) hi[c] = v;
        }
    for (int c = 1; c < 3; c++)
        if (hi[c] - lo[c] > hi[best] - lo[best]) best = c;
    *range = hi[best] - lo[best];
    return best;
}

/* Sorts cols[b] (with counts) along channel c: keys are the channel value above the
 * index, so qsort needs no context. */
static int sort_box(uint32_t *cols, uint32_t *cnts, box b, int c) {
    size_t n = b.hi - b.lo;
    uint64_t *key = malloc(n * sizeof *key);
    uint32_t *tmp = malloc(2 * n * sizeof *tmp);
    if (!key || !tmp) {
        free(key), free(tmp);
        return VIZ_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) key[i] = (uint64_t)chan(cols[b.lo + i], c) << 32 | (b.lo + i);
    qsort(key, n, sizeof *key, by_key);
    for (size_t i = 0; i < n; i++) {
        size_t j = key[i] & 0xffffffffu;
        tmp[i] = cols[j], tmp[n + i] = cnts[j];
    }
    memcpy(cols + b.lo, tmp, n * sizeof *tmp);
    memcpy(cnts + b.lo, tmp + n, n * sizeof *tmp);
    free(key), free(tmp);
    return VIZ_OK;
}

/* Splits cols[lo, hi) into at most k boxes, each averaged (by pixel count) into pal. */
static int median_cut(uint32_t *cols, uint32_t *cnts, size_t lo, size_t hi, int k, uint32_t *pal,
                      int *npal) {
    box boxes[GIF_COLOURS];
    int nb = 0;
    if (hi > lo && k > 0) boxes[nb++] = (box){lo, hi};
    while (nb < k) {
        int pick = -1, pc = 0, best = 0;
        for (int i = 0; i < nb; i++) {
            if (boxes[i].hi - boxes[i].lo < 2) continue;
            int r, c = widest(cols, boxes[i], &r);
            if (r > best) best = r, pick = i, pc = c;
        }
        if (pick < 0) break;
        box b = boxes[pick];
        if (sort_box(cols, cnts, b, pc)) return VIZ_ENOMEM;
        /* cut at the middle of the range, not the weighted median: boxes even in colour
         * space keep gradients (colour bars, shaded surfaces) free of wide bands */
        int mid = (chan(cols[b.lo], pc) + chan(cols[b.hi - 1], pc)) / 2;
        size_t cut = b.lo + 1;
        while (cut < b.hi - 1 && chan(cols[cut], pc) <= mid) cut++;
        boxes[pick] = (box){b.lo, cut};
        boxes[nb++] = (box){cut, b.hi};
    }
    for (int i = 0; i < nb; i++) {
        uint64_t s[3] = {0, 0, 0}, n = 0;
        for (size_t j = boxes[i].lo; j < boxes[i].hi; j++) {
            for (int c = 0; c < 3; c++) s[c] += (uint64_t)chan(cols[j], c) * cnts[j];
            n += cnts[j];
        }
        pal[(*npal)++] =
            (uint32_t)((s[0] + n / 2) / n << 16 | (s[1] + n / 2) / n << 8 | (s[2] + n / 2) / n);
    }
    return VIZ_OK;
}

/* ---- palette and mapping ---- */

static int by_count_desc(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Orders cols/cnts by count, most frequent first. */
static int sort_by_count(uint32_t *cols, uint32_t *cnts, size_t n) {
    uint64_t *pk = malloc(n * sizeof *pk);
    if (!pk) return VIZ_ENOMEM;
    for (size_t i = 0; i < n; i++) pk[i] = (uint64_t)cnts[i] << 24 | cols[i];
    qsort(pk, n, sizeof *pk, by_count_desc);
    for (size_t i = 0; i < n; i++) cols[i] = pk[i] & 0xffffff, cnts[i] = (uint32_t)(pk[i] >> 24);
    free(pk);
    return VIZ_OK;
}

static int nearest(const uint32_t *pal, int npal, uint32_t rgb) {
    int best = 0;
    long bd = -1;
    for (int i = 0; i < npal; i++) {
        long d = 0;
        for (int c = 0; c < 3; c++) {
            long e = chan(pal[i], c) - chan(rgb, c);
            d += e * e;
        }
        if (bd < 0 || d < bd) bd = d, best = i;
        if (d == 0) break;
    }
    return best;
}

/* Fills pal (GIF_COLOURS entries) and g->idx for one frame. */
static int quantise(viz_gif *g, const uint32_t *argb, uint32_t *pal) {
    size_t n = count_colours(g, argb), np = (size_t)g->w * g->h, nch = 0;
    int npal = 0, room = g->frames ? KEEP : GIF_COLOURS;
    memset(pal, 0, GIF_COLOURS * sizeof *pal);
    for (size_t i = 0; i < n; i++) nch += g->cnts[i];
    if (n <= (size_t)room) {
        for (size_t i = 0; i < n; i++) pal[npal++] = g->cols[i];
    } else {
        if (sort_by_count(g->cols, g->cnts, n)) return VIZ_ENOMEM;
        /* exact colours: frequent ones, each covering at least 1/4000 of what changed */
        size_t k = 0;
        while (k < GIF_EXACT && g->cnts[k] * 4000 >= nch) pal[npal++] = g->cols[k++];
        if (median_cut(g->cols, g->cnts, k, n, room - npal, pal, &npal)) return VIZ_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) g->vals[slot_of(g, g->cols[i])] = nearest(pal, npal, g->cols[i]);
    for (size_t i = 0; i < np; i++)
        g->idx[i] =
            changed(g, argb, i) ? (GifByteType)g->vals[slot_of(g, argb[i] & 0xffffff)] : KEEP;
    return VIZ_OK;
}

/* The smallest rectangle holding every changed pixel (1 x 1 when none changed). */
static void changed_rect(const viz_gif *g, const uint32_t *argb, int *x0, int *y0, int *x1,
                         int *y1) {
    *x0 = g->w, *y0 = g->h, *x1 = *y1 = 0;
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++)
            if (changed(g, argb, (size_t)y * g->w + x)) {
                if (x < *x0) *x0 = x;
                if (x >= *x1) *x1 = x + 1;
                if (y < *y0) *y0 = y;
                if (y >= *y1) *y1 = y + 1;
            }
    if (*x1 == 0) *x0 = *y0 = 0, *x1 = *y1 = 1;
}

/* ---- the file ---- */

static int gif_fail(viz_gif *g, int code, int gif_err, const char *what) {
    snprintf(g->err, sizeof g->err, "gif %s: %s: %s", g->path, what, GifErrorString(gif_err));
    return code;
}

/* The NETSCAPE2.0 application extension: loop count, 0 forever. */
static int put_loop(GifFileType *f, int loop) {
    unsigned char sub[3] = {1, loop & 0xff, (loop >> 8) & 0xff};
    if (EGifPutExtensionLeader(f, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(f, 11, "NETSCAPE2.0") == GIF_ERROR ||
        EGifPutExtensionBlock(f, 3, sub) == GIF_ERROR || EGifPutExtensionTrailer(f) == GIF_ERROR)
        return GIF_ERROR;
    return GIF_OK;
}

viz_gif *viz_gif_open(const char *path, int w, int h, int delay_cs, int loop, char *err,
                      size_t errlen) {
    if (w < 1 || h < 1 || w > 65535 || h > 65535 || delay_cs < 0 || delay_cs > 65535 || loop < -1 ||
        loop > 65535) {
        snprintf(err, errlen, "gif %s: size %d x %d (1 to 65535), delay %d cs, loop %d", path, w, h,
                 delay_cs, loop);
        return NULL;
    }
    viz_gif *g = calloc(1, sizeof *g);
    size_t np = (size_t)w * h, hn = 1024;
    while (hn < 2 * np) hn *= 2;
    if (!g || !(g->path = strdup(path)) || !(g->keys = malloc(hn * sizeof *g->keys)) ||
        !(g->vals = malloc(hn * sizeof *g->vals)) || !(g->cols = malloc(np * sizeof *g->cols)) ||
        !(g->cnts = malloc(np * sizeof *g->cnts)) || !(g->idx = malloc(np)) ||
        !(g->prev = malloc(np * sizeof *g->prev))) {
        snprintf(err, errlen, "gif %s: out of memory for %d x %d", path, w, h);
        goto fail;
    }
    g->hmask = (uint32_t)(hn - 1);
    g->w = w, g->h = h, g->delay_cs = delay_cs;
    int e = 0;
    g->f = EGifOpenFileName(path, false, &e);
    if (!g->f) {
        snprintf(err, errlen, "cannot write %s: %s", path, GifErrorString(e));
        goto fail;
    }
    EGifSetGifVersion(g->f, true); /* GIF89a: delays and the loop extension */
    if (EGifPutScreenDesc(g->f, w, h, 8, 0, NULL) == GIF_ERROR ||
        (loop >= 0 && put_loop(g->f, loop) == GIF_ERROR)) {
        snprintf(err, errlen, "cannot write %s: %s", path, GifErrorString(g->f->Error));
        goto fail;
    }
    return g;
fail:
    if (g && g->f) EGifCloseFile(g->f, &e);
    if (g)
        free(g->path), free(g->keys), free(g->vals), free(g->cols), free(g->cnts), free(g->idx),
            free(g->prev);
    free(g);
    return NULL;
}

int viz_gif_add(viz_gif *g, const uint32_t *argb, int w, int h) {
    if (w != g->w || h != g->h) {
        snprintf(g->err, sizeof g->err, "gif %s: frame %d is %d x %d, the animation %d x %d",
                 g->path, g->frames + 1, w, h, g->w, g->h);
        return VIZ_EINVAL;
    }
    uint32_t pal[GIF_COLOURS];
    if (quantise(g, argb, pal)) {
        snprintf(g->err, sizeof g->err, "gif %s: out of memory", g->path);
        return VIZ_ENOMEM;
    }
    GifColorType cm[GIF_COLOURS];
    for (int i = 0; i < GIF_COLOURS; i++)
        cm[i] = (GifColorType){chan(pal[i], 0), chan(pal[i], 1), chan(pal[i], 2)};
    ColorMapObject *map = GifMakeMapObject(GIF_COLOURS, cm);
    if (!map) {
        snprintf(g->err, sizeof g->err, "gif %s: out of memory", g->path);
        return VIZ_ENOMEM;
    }
    int x0, y0, x1, y1;
    changed_rect(g, argb, &x0, &y0, &x1, &y1);
    GraphicsControlBlock gcb = {.DisposalMode = DISPOSE_DO_NOT,
                                .DelayTime = g->delay_cs,
                                .TransparentColor = g->frames ? KEEP : NO_TRANSPARENT_COLOR};
    GifByteType ext[4];
    size_t len = EGifGCBToExtension(&gcb, ext);
    int ok = EGifPutExtension(g->f, GRAPHICS_EXT_FUNC_CODE, (int)len, ext) != GIF_ERROR &&
             EGifPutImageDesc(g->f, x0, y0, x1 - x0, y1 - y0, false, map) != GIF_ERROR;
    for (int y = y0; ok && y < y1; y++)
        ok = EGifPutLine(g->f, g->idx + (size_t)y * w + x0, x1 - x0) != GIF_ERROR;
    GifFreeMapObject(map);
    if (!ok) return gif_fail(g, VIZ_EIO, g->f->Error, "frame");
    memcpy(g->prev, argb, (size_t)w * h * sizeof *argb);
    g->frames++;
    return VIZ_OK;
}

const char *viz_gif_error(const viz_gif *g) {
    return g->err;
}

int viz_gif_frames(const viz_gif *g) {
    return g->frames;
}

int viz_gif_close(viz_gif *g, char *err, size_t errlen) {
    if (!g) return VIZ_OK;
    int e = 0, rc = VIZ_OK;
    if (EGifCloseFile(g->f, &e) == GIF_ERROR) {
        snprintf(err, errlen, "cannot finish %s: %s", g->path, GifErrorString(e));
        rc = VIZ_EIO;
    }
    free(g->path), free(g->keys), free(g->vals), free(g->cols), free(g->cnts), free(g->idx),
        free(g->prev);
    free(g);
    return rc;
}
