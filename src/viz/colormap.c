/* colormap.c: colour maps for values (viridis-like sequential, a blue-white-red
 * diverging map for signed values, gray) and the Okabe-Ito palette for series and
 * classes. Maps interpolate linearly between 11 samples of the reference maps. */
#include <math.h>

#include "vizint.h"

/* matplotlib's viridis at t = 0, 0.1, ..., 1: perceptually uniform, colour-blind safe,
 * readable in gray. */
static const uint32_t viridis[11] = {0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c,
                                     0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725};
/* ColorBrewer RdBu reversed: blue for negative, red for positive, near white at 0. */
static const uint32_t diverging[11] = {0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
                                       0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f};
/* Okabe & Ito (2008): blue, vermillion, bluish green, reddish purple, orange, sky blue,
 * black, yellow. Yellow is last because it vanishes on white under a projector.
 * A race of ten optimizers needs more than eight, so six darker colours of Paul Tol's
 * muted scheme follow (wine, dark green, indigo, olive, purple, brown); only the first
 * eight are safe for every colour-blind viewer. */
#define NSERIES 14
static const uint32_t series[NSERIES] = {0x0072b2, 0xd55e00, 0x009e73, 0xcc79a7, 0xe69f00,
                                         0x56b4e9, 0x000000, 0xf0e442, 0x882255, 0x117733,
                                         0x332288, 0x999933, 0xaa4499, 0x661100};

static uint32_t sample(const uint32_t *tab, double t) {
    if (!(t >= 0)) t = 0; /* NaN maps to the low end */
    if (t > 1) t = 1;
    double u = t * 10;
    int i = (int)floor(u);
    if (i >= 10) i = 9;
    return viz_mix(tab[i] | 0xff000000u, tab[i + 1] | 0xff000000u, u - i);
}

uint32_t cmap_viridis(double t) {
    return sample(viridis, t);
}

uint32_t cmap_diverging(double t) {
    return sample(diverging, t);
}

uint32_t cmap_gray(double t) {
    if (!(t >= 0)) t = 0;
    if (t > 1) t = 1;
    int v = (int)(t * 255 + 0.5);
    return viz_rgb(v, v, v);
}

uint32_t cmap_apply(viz_map m, double t) {
    switch (m) {
    case VIZ_MAP_DIVERGING:
        return cmap_diverging(t);
    case VIZ_MAP_GRAY:
        return cmap_gray(t);
    default:
        return cmap_viridis(t);
    }
}

uint32_t cmap_series(int i) {
    if (i < 0) i = -i;
    return series[i % NSERIES] | 0xff000000u;
}

/* Far from every series colour and from each other: near-black gray, magenta
 * (ColorBrewer Dark2's), white (bars of two series take the first two, which read on
 * white). */
static const uint32_t marks[3] = {0x4d4d4d, 0xe7298a, 0xffffff};

uint32_t cmap_mark(int i) {
    if (i < 0) i = -i;
    return marks[i % 3] | 0xff000000u;
}

uint32_t cmap_two_class(double v) {
    if (!(v == v)) v = 0;
    if (v > 1) v = 1;
    if (v < -1) v = -1;
    return viz_mix(viz_rgb(255, 255, 255), cmap_series(v > 0 ? 1 : 0), 0.15 + 0.55 * fabs(v));
}

uint32_t series_colour(const viz_panel *p, int s) {
    return p->palette == 1 ? cmap_mark(s) : cmap_series(s);
}

/* Whether a colour is light enough to vanish on white (Okabe-Ito's yellow, 0.85 in
 * relative luminance; orange, 0.6, is not): such lines get a dark edge. */
int cmap_is_light(uint32_t c) {
    return 0.2126 * viz_r(c) + 0.7152 * viz_g(c) + 0.0722 * viz_b(c) > 0.75 * 255;
}
