/* vizint.h: what the files of src/viz share and nothing outside uses: the canvas and
 * its primitives, fonts and text, colour maps, ticks, contours, axes, the panel's data,
 * the table of plot kinds and the app's state. Tests include it to check layouts
 * against pixels.
 *
 * Adding a plot kind (say "heatmap") touches, when it draws data a setter takes already:
 *  1. viz.h: VIZ_HEATMAP in viz_kind, before VIZ_NKINDS.
 *  2. src/viz/plot_heatmap.c (and its line in src/viz/meson.build): draw and hover,
 *     static, then its record `const viz_kind_def plot_heatmap_kind = {.name =
 *     "heatmap", .width =, .height =, .takes = VIZ_TAKES_..., .draw =, .hover =}`
 *     (free, item_at, drag when it needs them: the window asks the record).
 *  3. kinds.c: the record's extern and its line in the table.
 *  4. lua/doc/plot.lua: the help entry of plot.heatmap, which exists as soon as the
 *     kind does (plot.lua reads names and sizes from the table through "viz.core").
 *  5. Tests: tests/viz/test_plot_heatmap.c (in tests/viz/meson.build), and its case in
 *     tests/viz/test_plots.c's panel of every kind (a missing case does not compile).
 * Data no setter takes yet also needs its setter (viz.h, panel.c, its fields in struct
 * viz_panel below, a VIZ_TAKES_* flag), its method in src/repl/bind_plot.c and its
 * options in lua/plot.lua's `options` table. */
#ifndef VIZINT_H
#define VIZINT_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "viz.h"

#define VIZ_ERRLEN     256
#define VIZ_MAX_FONTS  24
#define VIZ_MAX_EVENTS 64

/* ---- canvas.c: ARGB8888 pixels with a clip rectangle, anti-aliased primitives ---- */
/* One blend of a recorded drawing: pixel idx (y * w + x) mixed with col at viz_mix's
 * weight w of 256 (256: col itself), computed once when recorded. */
typedef struct {
    uint32_t idx, col, w;
} viz_blend_op;

/* Blends recorded instead of painted (cv_disc, cv_ring), to be replayed over another
 * background with the same result: a field's markers over a heat map that changes
 * every frame. ok 0: out of memory, nothing usable. */
typedef struct {
    viz_blend_op *op;
    size_t n, cap;
    int ok;
} viz_blend_log;

typedef struct {
    uint32_t *px;
    int w, h;               /* stride is w */
    int cx0, cy0, cx1, cy1; /* clip, half-open: cx0 <= x < cx1 */
    viz_blend_log *rec;     /* when set, discs and rings are recorded here, not painted */
} viz_canvas;

static inline uint32_t viz_rgb(int r, int g, int b) {
    return 0xff000000u | (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
}
static inline int viz_r(uint32_t c) {
    return (c >> 16) & 255;
}
static inline int viz_g(uint32_t c) {
    return (c >> 8) & 255;
}
static inline int viz_b(uint32_t c) {
    return c & 255;
}
/* (1-t) a + t b, per channel; inline because every anti-aliased pixel goes through it */
/* a and b mixed at weight w of 256 (0 <= w <= 256), opaque */
static inline uint32_t viz_mix_w(uint32_t a, uint32_t b, uint32_t w) {
    uint32_t iw = 256 - w;
    uint32_t rb = (((a & 0xff00ffu) * iw + (b & 0xff00ffu) * w + 0x800080u) >> 8) & 0xff00ffu;
    uint32_t g = (((a & 0x00ff00u) * iw + (b & 0x00ff00u) * w + 0x008000u) >> 8) & 0x00ff00u;
    return 0xff000000u | rb | g;
}

static inline uint32_t viz_mix(uint32_t a, uint32_t b, double t) {
    if (t <= 0) return a;
    if (t >= 1) return b;
    return viz_mix_w(a, b, (uint32_t)(int)(t * 256 + 0.5));
}

void cv_init(viz_canvas *cv, uint32_t *px, int w, int h);
void cv_clip(viz_canvas *cv, int x0, int y0, int x1, int y1); /* intersected with the canvas */
void cv_noclip(viz_canvas *cv);
static inline void cv_blend(viz_canvas *cv, int x, int y, uint32_t col, double cover) {
    if (x < cv->cx0 || y < cv->cy0 || x >= cv->cx1 || y >= cv->cy1 || cover <= 0) return;
    uint32_t *d = &cv->px[(size_t)y * cv->w + x];
    *d = cover >= 1 ? (col | 0xff000000u) : viz_mix(*d, col, cover);
}
void cv_fill_rect(viz_canvas *cv, int x, int y, int w, int h, uint32_t col);
/* Paints the blends of log onto cv (the canvas it was recorded on, or one as large). */
void cv_replay(viz_canvas *cv, const viz_blend_log *log);
void cv_blend_rect(viz_canvas *cv, int x, int y, int w, int h, uint32_t col, double alpha);
/* Segment of width wd (pixels) with round caps, anti-aliased; coordinates are pixel
 * centres at +0.5. alpha < 1 makes it translucent. */
void cv_line(viz_canvas *cv, double x0, double y0, double x1, double y1, double wd, uint32_t col,
             double alpha);
/* Dashed segment: dash and gap lengths in pixels. */
void cv_dashed(viz_canvas *cv, double x0, double y0, double x1, double y1, double wd, uint32_t col,
               double dash, double gap);
void cv_polyline(viz_canvas *cv, const double *xy, size_t n, double wd, uint32_t col, double alpha);
/* Coverage masks over the clip rectangle of a canvas, two channels (e.g. a pale halo
 * and a dark line): strokes accumulate with max, so joints of many short segments are
 * not darker, then one composite blends channel a and then b onto the canvas. */
typedef struct {
    float *a, *b;
    int x0, y0, w, h;
} viz_mask;
int mask_init(viz_mask *m, const viz_canvas *cv, viz_app *a); /* VIZ_ENOMEM: a, b NULL */
void mask_free(viz_mask *m);
void mask_line(viz_mask *m, double x0, double y0, double x1, double y1, double wa, double wb);
void mask_composite(viz_canvas *cv, const viz_mask *m, uint32_t ca, double aa, uint32_t cb,
                    double ab);
void cv_disc(viz_canvas *cv, double cx, double cy, double r, uint32_t col);
void cv_ring(viz_canvas *cv, double cx, double cy, double r, double wd, uint32_t col);
void cv_triangle(viz_canvas *cv, const double *p, uint32_t col); /* p = x0,y0,x1,y1,x2,y2 */

/* ---- font.c: DejaVu Sans, bold and mono, one TTF_Font per face and size ---- */
typedef enum { FONT_SANS, FONT_BOLD, FONT_MONO } viz_face;
typedef struct {
    viz_face face;
    int px;
    TTF_Font *font;
} viz_font;
typedef struct {
    char path[3][512]; /* by viz_face */
    viz_font open[VIZ_MAX_FONTS];
    int n;
} viz_fonts;
/* Finds the font files and starts SDL2_ttf; VIZ_EIO with err filled when it cannot. */
int fonts_init(viz_fonts *fs, char *err, size_t errlen);
void fonts_free(viz_fonts *fs); /* closes every font and stops SDL2_ttf */
/* The font of face at px pixels (at least 4), opened on first use; NULL when SDL2_ttf
 * cannot open it. */
TTF_Font *font_get(viz_fonts *fs, viz_face face, int px);

/* ---- text.c: text drawn in those fonts ---- */
enum { ALIGN_LEFT = 0, ALIGN_CENTER = 1, ALIGN_RIGHT = 2 };
enum { ALIGN_TOP = 0, ALIGN_MIDDLE = 4, ALIGN_BOTTOM = 8 };
/* Width and height of text in pixels at size px; 0, 0 for an empty string. */
void text_size(viz_app *a, viz_face face, int px, const char *s, int *w, int *h);
/* Draws text anchored at (x, y) by align (ALIGN_* | ALIGN_*); rotated: 90 degrees
 * counter-clockwise (y-axis labels), anchor applies to the rotated box. A text whose
 * ink falls partly outside the clip rectangle counts in the app's text_cut (tests
 * check that nothing is cut off at projector sizes). */
void text_draw(viz_canvas *cv, viz_app *a, viz_face face, int px, const char *s, int x, int y,
               int align, uint32_t col, int rotated);
/* Where one drawn text's ink went (text_log, for tests that check text apart). */
typedef struct {
    int x0, y0, x1, y1; /* half-open ink box; x1 <= x0 when no ink */
    char s[48];
} viz_text_ink;
/* Copies s into out, shortened with an ellipsis until it is at most w pixels wide (a
 * label cut at an edge mid-letter reads as another word); "" when not even "…" fits.
 * Cuts only between UTF-8 characters. */
void text_fit(viz_app *a, viz_face face, int px, const char *s, int w, char *out, size_t n);

/* ---- theme: sizes and colours for one render ---- */
typedef struct {
    double scale;
    int projector;
    int font, small, title;         /* type sizes in pixels */
    double line, thin, axis, point; /* widths and radius in pixels */
    int pad;                        /* spacing unit */
    uint32_t bg, fg, muted, grid, box;
} viz_theme;
void theme_make(viz_theme *t, double scale, int projector);

/* ---- colormap.c ---- */
uint32_t cmap_viridis(double t);   /* t in [0, 1] */
uint32_t cmap_diverging(double t); /* 0 blue, 0.5 near white, 1 red */
uint32_t cmap_gray(double t);
uint32_t cmap_apply(viz_map m, double t);
/* Series and class colour i: 14 distinct colours, Okabe-Ito's eight first (ordered so
 * that neighbours contrast and yellow, which vanishes on white, comes last). */
uint32_t cmap_series(int i);
/* Colour i of three marks that are no series' colour (the race's step view draws its
 * arrows in them, beside racers drawn in the series colours). */
uint32_t cmap_mark(int i);
/* A two-class value v in [-1, 1] (2p - 1, a neuron's output, a weight): white mixed
 * with class 1's colour below 0 and class 2's above, by |v|; the decision surface's
 * shading of two classes, so neurons, weights and the output read in one map. */
uint32_t cmap_two_class(double v);
/* Series s of panel p: its palette's colour s. */
uint32_t series_colour(const viz_panel *p, int s);
/* 1 when c is light enough to vanish on white (yellow): lines in it get a dark edge. */
int cmap_is_light(uint32_t c);
#define LIGHT_EDGE 0xff505050u /* the dark edge of light lines */
/* Legends of more entries than this go beside the plot: inside they hide too much (a
 * race of ten optimizers). */
#define LEGEND_INSIDE_MAX 6

/* ---- ticks.c ---- */
#define VIZ_MAX_TICKS 32
/* Nice ticks covering [lo, hi], at most maxn; returns their count and *step. */
int ticks_nice(double lo, double hi, int maxn, double *out, double *step);
/* Ticks at powers of ten (or 1-2-5 within a decade when the range is small). */
int ticks_log(double lo, double hi, int maxn, double *out);
/* Formats v for a tick with spacing step ("0.25", "1e-5", "200"). */
void tick_format(double v, double step, int log, char *buf, size_t n);
/* The labels of one axis's n ticks, all in one format (plain, "20k", or "1.0002e6"
 * with as many digits as tell ticks step apart); the last ends values are the data's
 * own ends (a colour bar's), written one digit finer. */
#define VIZ_TICK_LABEL 32
void ticks_labels(const double *v, int n, double step, int log, int ends,
                  char (*out)[VIZ_TICK_LABEL]);
/* Expands [*lo, *hi] to nice round ends (linear) or decades (log). */
void range_nice(double *lo, double *hi, int log);

/* ---- contour.c: marching squares ---- */
/* Calls emit(ud, x0, y0, x1, y1) for each segment of the level set v == level, in grid
 * coordinates (i across, j up; cell corners at integers). */
typedef void (*contour_emit)(void *ud, double x0, double y0, double x1, double y1);
void contour_level(const float *v, int w, int h, double level, contour_emit emit, void *ud);
/* The same for n levels in one pass over the grid. */
void contour_levels(const float *v, int w, int h, const double *levels, int n, contour_emit emit,
                    void *ud);
/* Automatic levels: about count nice levels in (lo, hi), log-spaced when log (and
 * lo > 0; the field decides, by how its values spread). Returns their number
 * (<= VIZ_MAX_TICKS). */
int contour_auto_levels(double lo, double hi, int count, int log, double *levels);

/* ---- axes.c: plot frame, ticks, labels, title, legend, colour bar ---- */
typedef struct {
    double min, max;
    int log;
} viz_axis;
typedef struct {
    int x0, y0, x1, y1; /* plot area in pixels, half-open */
    viz_axis ax, ay;
    double xt[VIZ_MAX_TICKS], yt[VIZ_MAX_TICKS], xstep, ystep; /* ticks chosen by layout */
    int nxt, nyt;
    int xk, yk; /* named ticks (the panel's tick labels): every k-th is drawn; 0: numeric */
    int xrows;  /* named x ticks on this many staggered rows (2: odd ones one line lower) */
    int xturn;  /* named x ticks turned to read upwards: their band's height; 0: level */
} viz_frame;
double frame_px(const viz_frame *f, double x);
double frame_py(const viz_frame *f, double y);
double frame_dx(const viz_frame *f, double px); /* inverse of frame_px */
double frame_dy(const viz_frame *f, double py);
/* Space taken by the title above the plot (0 without title). */
int title_height(viz_app *a, const viz_theme *t, const viz_panel *p);
void title_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int x1,
                int y0);
/* Fits the frame in the rectangle (x0, y0, x1, y1) leaving room for title, axis labels,
 * tick labels, right (e.g. colour bar width) and below (extra rows of x labels); equal
 * keeps one data unit equally long on both axes (fields). Axis ranges must be set. */
void axes_layout(viz_frame *f, viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int y0,
                 int x1, int y1, int right, int below, int equal);
/* Grid lines (below data) and the frame, ticks, labels (above data). */
void axes_grid(viz_canvas *cv, const viz_theme *t, const viz_frame *f);
void axes_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p,
               const viz_frame *f);
/* Legend with samples a disc (lines 0), a line (1) or a square (2). legend_draw puts
 * it inside the plot area where it hides least of what was drawn since base (a
 * frame_snapshot; NULL: whatever is not background or grid), marker and point labels
 * included, with headroom. It returns 1 and draws nothing when every place would hide
 * data: the caller then lays out again with legend_width more room on the right and
 * draws it there with legend_draw_at. box (x, y, w, h; NULL ok) gets where it went. */
int legend_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_frame *f,
                const char *const *names, const uint32_t *cols, int n, int lines,
                const uint32_t *base, int *box);
void legend_draw_at(viz_canvas *cv, viz_app *a, const viz_theme *t, int x, int y,
                    const char *const *names, const uint32_t *cols, int n, int lines, int *box);
int legend_width(viz_app *a, const viz_theme *t, const char *const *names, int n);
/* A copy of the canvas over the plot area of f (caller frees; NULL when out of memory). */
uint32_t *frame_snapshot(const viz_canvas *cv, const viz_frame *f);
/* Colour bar for values lo..hi with map m, placed at x (width bar), beside frame f. */
void colorbar_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_frame *f, int x,
                   int bw, viz_map m, double lo, double hi, int log, const double *levels,
                   int nlevels);
int colorbar_width(viz_app *a, const viz_theme *t, double lo, double hi, int log);

/* ---- panel.c: the panel's data ---- */
typedef struct {
    char *name;
    float *x, *y;
    size_t n, cap;
    size_t pushed; /* points ever appended: x of the next when none is given */
} viz_series;

/* Points a series keeps: past it the older part is halved (see panel.c). */
#define VIZ_SERIES_CAP 20000

typedef struct {
    double x;
    double x1; /* a band's other end (x to x1, shaded); NAN: a dashed line at x */
    char *label;
} viz_marker;

struct viz_panel {
    viz_kind kind;
    int refs;
    unsigned version;
    char err[VIZ_ERRLEN];
    char *label[3];
    int xlog, ylog;
    double fix[2][2];   /* fixed ranges [axis][min,max], NAN when automatic */
    double *tickpos[2]; /* named ticks [axis]: ntick labels at tickpos instead of numbers */
    char **ticklab[2];
    int ntick[2];
    viz_map map;
    /* lines and trajectories */
    viz_series *series;
    int nseries;
    double smooth;
    int palette; /* series colours: 0 the series palette, 1 marks (cmap_mark) */
    viz_marker *markers;
    int nmarkers;
    /* field, surface */
    float *grid;       /* w*h values, or w*h*k class probabilities */
    uint64_t grid_gen; /* bumped by each grid set: what the background's key is of */
    int gw, gh, gk;
    int gcells;     /* 1: the grid is w x h flat cells filling the box, not nodes to lerp */
    double vfix[2]; /* fixed colour range of the values (lo, hi), NAN when automatic */
    double gx0, gx1, gy0, gy1;
    double *levels;
    int nlevels, nauto;
    /* a field's heat map and contours as last drawn, with the key of what they were
     * drawn from: a frame that only moves points or paths copies them back */
    uint32_t *bg;
    size_t bgcap;
    uint64_t bgkey;
    uint64_t bgmarks; /* the markers' key (ptkey) whose blends that background holds
                       * already (a field layer's, viz_field_layer_adopt); 0: none */
    /* where and how that background was last drawn (canvas size and clip, frame,
     * theme): what a field layer rendered on another thread copies to draw the next
     * grid the same way (viz_field_layer_capture) */
    int bgspec_ok;
    int bgcv[6]; /* canvas w, h, clip cx0, cy0, cx1, cy1 */
    viz_frame bgframe;
    viz_theme bgtheme;
    double yaw, pitch;
    int shaded;
    int labels_drawn, labels_left_out; /* the last draw's axis labels (a crowded box leaves
                                        * out those that would touch one drawn) */
    /* points */
    float *ptx, *pty;
    int *ptcls;
    unsigned char *pthollow;
    char **ptlabel;
    viz_blend_log ptlog; /* a field's markers as last drawn (plot_field.c), and the key */
    uint64_t ptkey;      /* of what they were drawn from; 0: none kept */
    float *ptval;        /* a value coloured on the field's scale, NAN: by class */
    size_t npts, ptcap;
    char **clsname; /* the legend's name of class i (nclsname of them), or NULL */
    int nclsname;
    /* images */
    float *img;
    int in, ih, iw, ic, ishared, icols;
    char **caption;
    /* bars, hist */
    float *bars;
    int ngroups, nbseries;
    char **glabels, **snames;
    double hlo, hhi; /* histogram bin range */
    /* network */
    int *sizes;
    int nlayers;
    float *weights;
    size_t nweights;
    float *maps;
    int nmaps, mapres;
    char **lname; /* a name under each layer (nlayers of them), or NULL */
    /* text */
    char *text;
    /* graph: labels, styles, edges, and the layout made when it is set */
    char **nlabel;
    int *nstyle, *efrom, *eto, *ncol; /* ncol: depth */
    double *npos, gspan;              /* place along the column, from 0 to gspan */
    int gnodes, nedges, gcols;
};

void panel_retain(viz_panel *p);
int panel_fail(viz_panel *p, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- plot_*.c: what the kinds share with each other and with tests ---- */
/* Where a graph drawn in (x0, y0, x1, y1) (title space removed) puts its nodes: depth
 * across (or down, when that gives the boxes more room), dstep pixels a column, pstep
 * a place along it, from the origin (ox, oy); boxes at most maxw x maxh. */
typedef struct {
    int down, compact; /* compact 1, 2: smaller type, for many columns in a narrow panel */
    double dstep, pstep, ox, oy, maxw, maxh;
} graph_geom;
/* How plot_surface projected a surface panel, for what surface_paths.c draws on it. */
typedef struct {
    double yaw, pitch; /* radians */
    double lo, hi;     /* the grid's value range, drawn as heights 0..1 */
    double s, ox, oy;  /* pixels per unit and the screen origin */
} surface_proj;
typedef struct {
    int has; /* frame valid (panel has data axes) */
    viz_frame f;
    /* Where panels without data axes put their items, so that hover can name one.
     * Image grid: first cell at (gx, gy), cells of cellw x cellh in cols columns,
     * images of iw x ih pixels. Network: nodes in columns across (nx0, nx1), rows
     * centred in (top, bottom), node boxes of node pixels; graph: its columns and
     * rows spread over the same area. */
    int gx, gy, cols, cellw, cellh, iw, ih;
    int nx0, nx1, top, bottom;
    double node;
    graph_geom gg;   /* graph: where its nodes went */
    int legend[4];   /* where the legend went: x, y, w, h (w 0: none) */
    surface_proj sp; /* surface: how it was projected, when has_sp */
    int has_sp;
} viz_layout;
/* A plot drawn by draw(..., room): room 0 first; when that returns the width its legend
 * needs beside the plot (every place inside was busy), the panel is cleared and drawn
 * again with that room on the right. */
typedef int (*legend_room_draw)(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                                viz_layout *lay, int room);
void draw_with_legend_room(legend_room_draw draw, viz_canvas *cv, viz_app *a, const viz_theme *t,
                           viz_panel *p, viz_layout *lay);
void graph_geometry(viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int y0, int x1,
                    int y1, graph_geom *g);
/* Box of node i; 0 when i is out of range. */
int graph_box(viz_app *a, const viz_theme *t, const viz_panel *p, const graph_geom *g, int i,
              int *bx, int *by, int *bw, int *bh);
/* The panel's series as paths lying on its surface, with heads (surface_paths.c). */
void surface_paths_draw(viz_canvas *cv, const viz_theme *t, const viz_panel *p,
                        const surface_proj *pr);
/* Cell rectangle of image i in an image grid rendered in (x0, y0, x1, y1) with title
 * space already removed; returns 0 when i is out of range. */
int images_cell(viz_app *a, const viz_theme *t, const viz_panel *p, int x0, int y0, int x1, int y1,
                int i, int *rx, int *ry, int *rw, int *rh);
/* The node under (px, py) of a network diagram laid out as lay: 1 and its layer and
 * index (0-based), or 0 when the cursor is on no node. */
int network_node_at(const viz_panel *p, const viz_layout *lay, int px, int py, int *layer,
                    int *node);
/* Centre and size in pixels of node i of layer l (0-based) of a network laid out as lay;
 * 0 when out of range. */
int network_node_centre(const viz_panel *p, const viz_layout *lay, int l, int i, double *x,
                        double *y, double *node);
/* The value axis of bars and histograms: from 0 (or below, for negative values) to the
 * largest value, padded away from zero, or the fixed y range (plot_bars.c). */
void bars_value_range(const viz_panel *p, viz_axis *ay);
/* The zero line of a value axis that goes below zero. */
void bars_zero_line(viz_canvas *cv, const viz_theme *t, const viz_frame *f);
/* Points drawn on a frame (field and scatter). */
void points_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const viz_panel *p,
                 const viz_frame *f);
/* "x .. y .." of the data point under pixel (px, py): the hover of kinds with data axes
 * where the cursor is over nothing in particular; 0 off the plot area (render.c). */
int hover_xy(const viz_layout *lay, int px, int py, char *buf, size_t n);

/* ---- kinds.c: the table of plot kinds ---- */
/* What a panel of a kind takes beyond labels, log scales, ranges and the colour map:
 * each setter refuses a panel whose kind lacks its flag. */
enum {
    VIZ_TAKES_SERIES = 1 << 0,  /* viz_series_add */
    VIZ_TAKES_MARKERS = 1 << 1, /* viz_panel_add_marker */
    VIZ_TAKES_GRID = 1 << 2,    /* viz_field_set, viz_surface_set */
    VIZ_TAKES_CLASSES = 1 << 3, /* viz_field_set_classes */
    VIZ_TAKES_LEVELS = 1 << 4,  /* viz_field_set_levels */
    VIZ_TAKES_POINTS = 1 << 5,  /* viz_points_add */
    VIZ_TAKES_IMAGES = 1 << 6,  /* viz_images_set */
    VIZ_TAKES_BARS = 1 << 7,    /* viz_bars_set */
    VIZ_TAKES_HIST = 1 << 8,    /* viz_hist_set */
    VIZ_TAKES_NETWORK = 1 << 9, /* viz_network_set, _set_maps */
    VIZ_TAKES_TEXT = 1 << 10,   /* viz_text_set */
    VIZ_TAKES_GRAPH = 1 << 11,  /* viz_graph_set */
};
/* One plot kind: everything in which kinds differ. Each plot_<kind>.c ends in its
 * record, named plot_<kind>_kind. */
typedef struct {
    const char *name;  /* its Lua name: plot.<name>{...}, unique */
    int width, height; /* default window size, in points */
    unsigned takes;    /* VIZ_TAKES_* */
    /* Draws p into the canvas clip rectangle (already filled with the background) and
     * fills lay (zeroed before) with where things went, for hover and clicks. */
    void (*draw)(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p, viz_layout *lay);
    /* The tooltip's text for the cursor at pixel (px, py) of p drawn as lay; 0 when the
     * cursor is over nothing the kind names. */
    int (*hover)(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf, size_t n);
    /* Frees what the kind keeps in the panel beyond the setters' data (NULL: nothing). */
    void (*free)(viz_panel *p);
    /* The item (layer and node, 0-based) under (px, py), reported with motion events;
     * 1 when there is one. NULL: the kind has no items. */
    int (*item_at)(const viz_panel *p, const viz_layout *lay, int px, int py, int *layer,
                   int *node);
    /* A drag of the left button by (dx, dy) pixels: moves the view (a surface turns);
     * NULL: the kind takes clicks instead. */
    void (*drag)(viz_panel *p, int dx, int dy);
    /* The image pixel (image, row, col, 1-based) under (px, py), reported with clicks
     * and motion; 1 when there is one. NULL: the kind draws no images. */
    int (*pixel_at)(const viz_panel *p, const viz_layout *lay, int px, int py, int *image, int *row,
                    int *col);
} viz_kind_def;
/* The record of kind k (0 <= k < VIZ_NKINDS). */
const viz_kind_def *kind_def(viz_kind k);
/* VIZ_OK when p's kind takes what (VIZ_TAKES_*), else VIZ_EINVAL with "<setter>: not
 * available on a <kind> panel" in p's error. */
int panel_want(viz_panel *p, const char *setter, unsigned what);

/* Value text under the cursor at pixel (px, py), or 0 when there is none: the kind's
 * hover (render.c). */
int panel_hover_text(viz_panel *p, const viz_layout *lay, int px, int py, char *buf, size_t n);
/* Renders into the canvas clip rectangle; fills lay. */
void panel_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p, viz_layout *lay);

/* ---- app.c, window.c ---- */
struct viz_app {
    char err[VIZ_ERRLEN];
    viz_fonts fonts;
    int video; /* 0 untried, 1 up, -1 unavailable */
    viz_window **wins;
    int nwins, capwins;
    viz_event events[VIZ_MAX_EVENTS];
    int evhead, evcount;
    int saves;              /* counter for the 's' key's file names */
    int text_cut;           /* texts drawn with ink outside their clip rectangle, since start */
    viz_text_ink *text_log; /* when set (tests): the ink box of each text drawn, up to cap */
    int text_log_n, text_log_cap;
    float *scratch; /* masks' memory, kept between renders */
    size_t scratch_n;
};

void app_push_event(viz_app *a, const viz_event *ev);
int app_add_window(viz_app *a, viz_window *w);
void app_remove_window(viz_app *a, viz_window *w);
/* Window-side handlers called by viz_app_pump. */
void window_handle(viz_window *w, const SDL_Event *e);
void window_redraw(viz_window *w, double now_ms);
/* Queues a motion event when the cursor moved and VIZ_MOTION_MS have passed. */
void window_motion(viz_window *w, double now_ms);
/* Type and line scale of a window pixel_w pixels wide on point_w points: pixels per
 * point (HiDPI back-ends), times the display's DPI over 96 (at most 3) when the screen
 * is dense (ddpi > 120, X11 reports it that way) but the back-end did not scale. */
double window_pixel_scale(int pixel_w, int point_w, float ddpi);
/* How much type and lines grow with a window of w x h points: 1 up to 1280 x 720, then
 * with the smaller of w / 1280 and h / 720, at most 3 (a full-screen window on a
 * projector reads from the back of the room). */
double window_size_scale(int w, int h);
/* The theme a window of pw x ph pixels draws its panels with (tests check sizes). */
void window_theme(const viz_window *win, int pw, int ph, viz_theme *t);
/* Notes that win gained the input focus at SDL time ms (app.c, before the batch of
 * events that holds it is handed out): a click that only focuses is not a click. */
void window_focus_gained(viz_window *win, uint32_t ms);

#endif
