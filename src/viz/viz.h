/* viz.h: nnlab's plots. Panels draw arrays of floats (lines, fields with contours,
 * image grids, bars, histograms, scatter, network diagrams, text readouts, 3-D
 * surfaces) into ARGB pixels, offscreen or in SDL2 windows that group panels in a grid.
 * The viz knows nothing of Lua or the engine: every setter copies the numbers it gets.
 *
 * Errors: fallible calls return VIZ_OK or a negative VIZ_E* code and leave a one-line
 * message naming the values in viz_panel_error / viz_window_error / viz_app_error.
 * Nothing here prints, exits or aborts. */
#ifndef VIZ_H
#define VIZ_H

#include <stddef.h>
#include <stdint.h>

enum { VIZ_OK = 0, VIZ_EINVAL = -1, VIZ_ENOMEM = -2, VIZ_EIO = -3, VIZ_ENODISPLAY = -4 };

typedef struct viz_app viz_app;       /* fonts, open windows, pending events */
typedef struct viz_panel viz_panel;   /* one plot; reference counted */
typedef struct viz_window viz_window; /* panels in a grid, shown or offscreen */

typedef enum {
    VIZ_LINES,   /* series y(x) appended live; log axes, smoothing, markers */
    VIZ_FIELD,   /* heat map of a grid + colour bar, contours, points, trajectories */
    VIZ_IMAGES,  /* grid of small images with captions */
    VIZ_BARS,    /* grouped bars with category labels */
    VIZ_HIST,    /* histogram of values */
    VIZ_SCATTER, /* points with class colours and optional labels */
    VIZ_NETWORK, /* layers of nodes, edges by weight, optional heat map per node */
    VIZ_TEXT,    /* a readout of lines of text */
    VIZ_SURFACE, /* 3-D surface of a grid, rotatable */
    VIZ_GRAPH,   /* boxes with labels in columns by depth, arrows from inputs to results */
    VIZ_MATRIX,  /* a small matrix with its numbers in its cells, marked cells outlined */
    VIZ_NKINDS   /* the number of kinds (not a kind); a new kind goes before it */
} viz_kind;

typedef enum { VIZ_MAP_AUTO, VIZ_MAP_VIRIDIS, VIZ_MAP_DIVERGING, VIZ_MAP_GRAY } viz_map;
typedef enum { VIZ_TITLE, VIZ_XLABEL, VIZ_YLABEL } viz_label;

/* ---- the app: one per program (or Lua state) ---- */

/* Opens SDL (no video yet) and SDL2_ttf with DejaVu Sans. NULL with err filled on
 * failure. */
viz_app *viz_app_new(char *err, size_t errlen);
/* Closes every window and the fonts. Panels and windows must be freed before. */
void viz_app_free(viz_app *a);
const char *viz_app_error(const viz_app *a);
/* 1 when windows can be shown: DISPLAY, WAYLAND_DISPLAY or SDL_VIDEODRIVER is set and
 * SDL's video starts. Tries once. */
int viz_app_has_display(viz_app *a);

/* ---- plot kinds ---- */

/* The name of kind k ("lines", "field", ...), unique; NULL when k is not a kind. */
const char *viz_kind_name(viz_kind k);
/* The default window size of kind k, in points; VIZ_EINVAL when k is not a kind. */
int viz_kind_size(viz_kind k, int *width, int *height);

/* ---- panels ---- */

viz_panel *viz_panel_new(viz_kind kind); /* NULL on lack of memory */
void viz_panel_free(viz_panel *p);       /* drops the caller's reference; NULL ok */
viz_kind viz_panel_kind(const viz_panel *p);
const char *viz_panel_error(const viz_panel *p);
/* Counts changes; a window redraws a panel when its version moved. */
unsigned viz_panel_version(const viz_panel *p);

int viz_panel_set_label(viz_panel *p, viz_label which, const char *text);
int viz_panel_set_log(viz_panel *p, int xlog, int ylog);
/* Fixed axis range (axis 0 = x, 1 = y); min == max (e.g. both NAN) means automatic. */
int viz_panel_set_range(viz_panel *p, int axis, double min, double max);
int viz_panel_set_map(viz_panel *p, viz_map map);
/* Named (categorical) ticks on axis 0 (x) or 1 (y): labels[i] at data position pos[i]
 * instead of numbers (copied); n = 0 goes back to numbers. Drawn centred under x
 * positions, right-aligned beside y ones; when they would touch, every k-th is drawn. */
int viz_panel_set_tick_labels(viz_panel *p, int axis, int n, const double *pos,
                              const char *const *labels);
/* The room in points that a named x tick label takes: its width and the gap kept to the
 * next (in the projector's larger type when projector is set); 0 for NULL or "". Ticks
 * spaced by (room(a) + room(b)) / 2 or more all get their labels. */
int viz_tick_label_room(viz_app *a, const char *label, int projector);

/* Series (lines; trajectories over a field): appends n points to the series called
 * name, creating it. x NULL means x = 1, 2, 3, ... continuing the series. */
int viz_series_add(viz_panel *p, const char *name, const float *x, const float *y, size_t n);
/* Exponential smoothing of drawn lines, 0 (off) <= alpha < 1; raw data shown faint. */
int viz_series_set_smooth(viz_panel *p, double alpha);
/* A vertical marker at data x with a label (e.g. "early stop"). */
int viz_panel_add_marker(viz_panel *p, double x, const char *label);
/* A shaded band from data x0 to x1 behind the series (a suggested range), finite ends
 * in either order. */
int viz_panel_add_band(viz_panel *p, double x0, double x1);
int viz_series_clear(viz_panel *p);

/* Field (or surface): v[j*w + i] is the value at x = xmin + i*(xmax-xmin)/(w-1),
 * y = ymin + j*(ymax-ymin)/(h-1) (row 0 at the bottom); w, h >= 2. */
int viz_field_set(viz_panel *p, const float *v, int w, int h, double xmin, double xmax, double ymin,
                  double ymax);
/* Multi-class field: prob[(j*w + i)*k + c], each class its hue, confidence as lightness. */
int viz_field_set_classes(viz_panel *p, const float *prob, int w, int h, int k, double xmin,
                          double xmax, double ymin, double ymax);
/* Field of flat cells (a matrix: confusion counts, attention weights): v[j*w + i] fills
 * the cell x in [xmin + i*dx, xmin + (i+1)*dx], y in [ymin + j*dy, ymin + (j+1)*dy],
 * dx = (xmax-xmin)/w, dy = (ymax-ymin)/h (row 0 at the bottom): one colour each, sharp
 * edges, no interpolation and no contours; w, h >= 1. viz_field_set goes back to nodes. */
int viz_field_set_cells(viz_panel *p, const float *v, int w, int h, double xmin, double xmax,
                        double ymin, double ymax);
/* Fixed colour range of a field's values: lo and hi take the map's ends on a linear scale
 * (values beyond take the end colours); NAN or lo == hi goes back to the grid's range. */
int viz_field_set_value_range(viz_panel *p, double lo, double hi);
/* Contour levels: n explicit levels, or n == 0 with count > 0 for automatic levels
 * (log-spaced, with log colours, when the values are >= 0 and more than half of them
 * lie in the lowest tenth of their range, as in a Rosenbrock valley; explicit levels a
 * decade apart ask for log colours too), count == 0 for none. */
int viz_field_set_levels(viz_panel *p, const double *levels, int n, int count);

/* A field's heat map and contours rendered away from the panel, on any thread, for
 * the panel's next grid: a live view computes its grid on a worker thread and renders
 * this layer there too, so the thread that owns the panel only copies it. capture
 * (panel's thread) copies how p last drew its field (canvas size and clip, plot area,
 * theme, colour map, value range, levels); 0 when p has drawn none yet. render (any
 * one thread; touches nothing but l and grid) draws a grid as viz_field_set (k == 1)
 * or viz_field_set_classes would be drawn with that; VIZ_OK, VIZ_EINVAL without a
 * capture or for a bad grid, VIZ_ENOMEM. adopt (panel's thread, right after the same
 * grid was set) hands the pixels to p; 1 when p's grid, size, box and kind match the
 * render, else 0 and p draws as always. A layer drawn for another window size, state
 * of the panel or theme is never shown: p draws its own then. */
typedef struct viz_field_layer viz_field_layer;
viz_field_layer *viz_field_layer_new(void);    /* NULL on lack of memory */
void viz_field_layer_free(viz_field_layer *l); /* NULL ok */
int viz_field_layer_capture(viz_field_layer *l, const viz_panel *p);
int viz_field_layer_render(viz_field_layer *l, const float *grid, int w, int h, int k, double xmin,
                           double xmax, double ymin, double ymax);
int viz_field_layer_adopt(viz_panel *p, viz_field_layer *l);

/* Points on fields and scatter plots; cls NULL means class 0; hollow marks test points. */
int viz_points_add(viz_panel *p, const float *x, const float *y, const int *cls, size_t n,
                   int hollow);
/* Text labels of the points, in the order they were added (scatter). */
int viz_points_set_labels(viz_panel *p, const char *const *labels, size_t n);
/* Values of the first n points: on a field with a value grid each is drawn in the grid's
 * colour map and scale (a regression's targets on its predicted surface); NAN keeps
 * the class colour. */
int viz_points_set_values(viz_panel *p, const float *v, size_t n);
int viz_points_clear(viz_panel *p);
/* The names of classes 0..n-1 in a scatter plot's legend (else "class 1", ...); they
 * stay when points are cleared. */
int viz_points_set_class_names(viz_panel *p, const char *const *names, int n);

/* Images: n images of h x w with channels 1 or 3, data[((i*h + r)*w + c)*channels + ch].
 * shared: one normalisation for all images, else each its own. Signed values use the
 * diverging map centred on 0 (VIZ_MAP_AUTO), others gray. cols 0 = automatic. */
int viz_images_set(viz_panel *p, const float *data, int n, int h, int w, int channels, int shared,
                   int cols);
int viz_images_set_caption(viz_panel *p, int i, const char *text);

/* Bars: v[g*nseries + s] for group g and series s; labels and names may be NULL. */
int viz_bars_set(viz_panel *p, const float *v, int ngroups, int nseries,
                 const char *const *group_labels, const char *const *series_names);
/* Histogram of n values in bins equal bins over [min, max] of the values. */
int viz_hist_set(viz_panel *p, const float *v, size_t n, int bins);

/* Network: nlayers layers of sizes[l] nodes; weights holds, layer after layer, the
 * sizes[l] x sizes[l+1] matrix w[i*sizes[l+1] + j] from node i to node j (may be NULL). */
int viz_network_set(viz_panel *p, const int *sizes, int nlayers, const float *weights);
/* One res x res map per node, nodes in layer order (as the TensorFlow Playground). */
int viz_network_set_maps(viz_panel *p, const float *maps, int nnodes, int res);
/* A name under each of the n == nlayers layers ("4 tanh"), replacing the sizes; a NULL
 * name keeps its size. viz_network_set drops them. */
int viz_network_set_names(viz_panel *p, const char *const *names, int n);
/* Series colours: 0 the series palette (as classes), 1 three marks that no series or
 * class uses (arrows beside racers). */
int viz_panel_set_palette(viz_panel *p, int palette);

int viz_text_set(viz_panel *p, const char *text); /* lines separated by '\n' */

/* Graph: n nodes, each a label (lines separated by '\n': a name, then e.g. a shape)
 * and a style (0 an operation, 1 a leaf that needs a gradient, 2 data; styles NULL:
 * operations are the nodes with inputs); edges from[e] -> to[e], 0-based. Laid out
 * left to right by depth. VIZ_EINVAL for an edge out of range or a cycle. */
int viz_graph_set(viz_panel *p, const char *const *labels, const int *styles, int n,
                  const int *from, const int *to, int nedges);

/* Surface: a grid as in viz_field_set, seen from yaw and pitch (degrees). */
int viz_surface_set(viz_panel *p, const float *v, int w, int h, double xmin, double xmax,
                    double ymin, double ymax);
int viz_surface_set_view(viz_panel *p, double yaw, double pitch, int shaded);

/* ---- rendering and export ---- */

/* Renders p into w x h ARGB8888 pixels (row-major, stride w). scale multiplies type
 * and line sizes (HiDPI); projector: larger type, thicker lines, more contrast. */
int viz_panel_render(viz_app *a, viz_panel *p, uint32_t *argb, int w, int h, double scale,
                     int projector);
int viz_panel_save_png(viz_app *a, viz_panel *p, const char *path, int w, int h, int projector);
/* Maps between data and pixel coordinates of p rendered at w x h; VIZ_EINVAL when the
 * panel has no data axes, or (to_data) the pixel lies outside the plot area. */
int viz_panel_to_pixel(viz_app *a, viz_panel *p, int w, int h, double x, double y, double *px,
                       double *py);
int viz_panel_to_data(viz_app *a, viz_panel *p, int w, int h, double px, double py, double *x,
                      double *y);
/* Writes w x h ARGB pixels to a PNG file, and reads one back (caller frees *argb). */
int viz_png_write(const char *path, const uint32_t *argb, int w, int h, char *err, size_t errlen);
int viz_png_read(const char *path, uint32_t **argb, int *w, int *h, char *err, size_t errlen);

/* Animated GIFs of w x h ARGB frames, each shown delay_cs hundredths of a second
 * (browsers show delays under 2 as 10); loop: the times it plays, 0 forever, -1 once
 * with no loop extension. Each frame gets its own 256-colour palette, exact when the
 * frame has at most 256 colours (see gif.c). open: NULL with err filled on failure;
 * add: VIZ_EINVAL for a frame of another size, VIZ_EIO when writing fails, message in
 * viz_gif_error; close writes the end of the file and frees g (NULL ok). */
typedef struct viz_gif viz_gif;
viz_gif *viz_gif_open(const char *path, int w, int h, int delay_cs, int loop, char *err,
                      size_t errlen);
int viz_gif_add(viz_gif *g, const uint32_t *argb, int w, int h);
int viz_gif_frames(const viz_gif *g);
const char *viz_gif_error(const viz_gif *g);
int viz_gif_close(viz_gif *g, char *err, size_t errlen);

/* ---- windows ---- */

/* A window of w x h points holding panels in a grid (cols 0 = automatic). It is drawn
 * offscreen until viz_window_show. */
viz_window *viz_window_new(viz_app *a, const char *title, int w, int h);
void viz_window_free(viz_window *win); /* closes it, releases its panels; NULL ok */
const char *viz_window_error(const viz_window *win);
int viz_window_add(viz_window *win, viz_panel *p); /* takes a reference to p */
int viz_window_set_cols(viz_window *win, int cols);
int viz_window_npanels(const viz_window *win);
/* Opens the SDL window and raises it above the others (a window opened behind a
 * full-screen one would play unseen); VIZ_ENODISPLAY when there is no display. */
int viz_window_show(viz_window *win);
int viz_window_is_open(const viz_window *win);
void viz_window_close(viz_window *win);
void viz_window_set_projector(viz_window *win, int on);
int viz_window_projector(const viz_window *win);
/* Where the window opens when shown: full screen (on 1) and on display (0-based; -1
 * the default one). VIZ_EINVAL for a display below -1; a display that does not exist
 * when shown makes viz_window_show fail with VIZ_EINVAL naming how many there are. */
int viz_window_set_placement(viz_window *win, int fullscreen, int display);
/* A caption: lines of large type under the panels (a lesson's key sentence); a status:
 * one line above them (a run's epoch and losses). Both shrink to the window's width,
 * never cut. NULL or "" removes them. Only the strip redraws when its text changes. */
int viz_window_set_caption(viz_window *win, const char *text);
int viz_window_set_status(viz_window *win, const char *text);
/* A box of lines drawn over the middle of the window (the keys it takes); NULL hides. */
int viz_window_set_overlay(viz_window *win, const char *text);
/* The rectangle of panel i (0-based) in the window's pixels, as laid out at its size
 * now (strips taken off); VIZ_EINVAL when i is out of range. */
int viz_window_cell(const viz_window *win, int i, int *x, int *y, int *w, int *h);
/* A slider in a strip along the bottom of the window (a run's snapshots to scrub
 * through): n positions (n >= 2; n = 0 removes it), the knob at pos (0-based), text
 * on its left ("epoch 12 of 40"). A press of the left button in the strip, and each
 * move of the cursor while it is held, queue a VIZ_EV_SLIDE event with the position
 * under the cursor when it differs from the knob's; the program moves the knob (it
 * may refuse). VIZ_EINVAL for pos outside 0..n-1. */
int viz_window_set_slider(viz_window *win, int n, int pos, const char *text);
/* The slider strip's rectangle in the window's pixels and the x of position i's
 * centre; VIZ_EINVAL when there is no slider (for tests that click it). */
int viz_window_slider_at(const viz_window *win, int i, int *x, int *y, int *w, int *h, int *px);
/* The slider's number of positions (0: none) and, in *pos, its knob. */
int viz_window_slider(const viz_window *win, int *pos);
/* 1 when the window is shown and neither hidden nor minimised. */
int viz_window_visible(const viz_window *win);
/* Renders the whole window (its size, all panels) into a PNG. */
int viz_window_save_png(viz_window *win, const char *path);
/* Records each redraw to prefix-000001.png, ...; NULL prefix stops. */
int viz_window_record(viz_window *win, const char *prefix);
/* Records redraws to an animated GIF at path, at most fps (1 to 50) frames a second,
 * each shown 1/fps s (time without redraws is left out), looping forever; frames are
 * the window's pixel size when recording began (cut or padded after a resize). NULL
 * path stops and finishes the file (VIZ_EIO when that fails). */
int viz_window_record_gif(viz_window *win, const char *path, int fps);
/* Renders the window offscreen now and adds it to the recordings (GIF, PNG frames):
 * for scripted animations that do not wait for redraws; VIZ_EINVAL when not recording. */
int viz_window_record_frame(viz_window *win);
int viz_window_gif_frames(const viz_window *win);   /* frames in the GIF being recorded */
int viz_window_frames_drawn(const viz_window *win); /* frames drawn since it opened */
/* The pixels last drawn (w x h ARGB), or NULL before the first redraw. */
const uint32_t *viz_window_pixels(const viz_window *win, int *w, int *h);
/* The SDL window id, 0 when not shown (for tests that read the screen). */
uint32_t viz_window_id(const viz_window *win);

/* ---- events ---- */

/* HIDDEN: the window was minimised or hidden; SHOWN: it is back. RELEASE: the
 * button of a CLICK was let go, wherever the cursor is (the end of a drag): x, y in
 * the clicked panel's data coordinates, beyond its axes too (NAN: no data axes). */
typedef enum {
    VIZ_EV_KEY,
    VIZ_EV_CLICK,
    VIZ_EV_CLOSE,
    VIZ_EV_SAVED,
    VIZ_EV_MOTION,
    VIZ_EV_HIDDEN,
    VIZ_EV_SHOWN,
    VIZ_EV_SLIDE,
    VIZ_EV_RELEASE
} viz_event_type;
enum { VIZ_MOD_SHIFT = 1, VIZ_MOD_CTRL = 2, VIZ_MOD_ALT = 4 };
typedef struct {
    viz_event_type type;
    viz_window *win;
    int panel;       /* 0-based index in win, -1 if none */
    int key;         /* VIZ_EV_KEY: the SDL keycode ("space" is ' ') */
    int button;      /* VIZ_EV_CLICK, VIZ_EV_RELEASE: 1 left, 2 middle, 3 right;
                      * VIZ_EV_MOTION: the button held down while moving (a drag), 0 none */
    int mods;        /* VIZ_EV_CLICK, VIZ_EV_KEY: VIZ_MOD_* held down */
    double x, y;     /* VIZ_EV_CLICK, VIZ_EV_MOTION: data coordinates (NAN: no data axes
                      * or outside the plot area) */
    int layer, node; /* VIZ_EV_MOTION on a network panel: the node under the cursor
                      * (0-based; layer 0 the inputs), else -1 */
    char text[128];  /* VIZ_EV_MOTION: what the tooltip says ("" when nothing) */
    char path[256];  /* VIZ_EV_SAVED: the PNG written by the 's' key */
    int position;    /* VIZ_EV_SLIDE: the slider's position under the cursor (0-based) */
    /* VIZ_EV_CLICK, VIZ_EV_MOTION on an images panel: the pixel under the cursor
     * (image, row, col, 1-based); 0 when none */
    int image, row, col;
} viz_event;

/* Motion is reported at most once per VIZ_MOTION_MS per window, with the cursor's
 * latest place, so that a sweep of the mouse cannot flood the program. */
#define VIZ_MOTION_MS 50

/* Handles pending SDL events (keys s, f, p are acted on here and also reported; a
 * click that only brought its window the focus is dropped),
 * then redraws the panels that changed, at most 60 times a second per window.
 * now_ms is a monotonic clock. Returns the number of events waiting. */
int viz_app_pump(viz_app *a, double now_ms);
/* Pops the oldest event into *ev; 0 when there is none. */
int viz_app_next_event(viz_app *a, viz_event *ev);

#endif
