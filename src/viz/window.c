/* window.c: windows holding panels in a grid that reflows on resize (its columns chosen
 * from the window's shape unless set). A window draws offscreen (save, record) and,
 * once shown, into an SDL window: only panels whose version moved (or under a cursor
 * that moved, for the tooltip) are redrawn, at most 60 times a second
 * (and a window takes at most a fifth of the time, when drawing is slow).
 * Keys s (save PNG), f (full screen), p (projector) act here; every key, click and
 * close is also queued for the program, and so are minimising and restoring. HiDPI:
 * drawn at the window's pixel size with type and lines scaled by pixels per point and
 * by the display's DPI, and grown with a window beyond 1280 x 720 (a projector's full
 * screen). A status line above the panels and a caption under them take their own
 * strips (redrawn alone when their text changes); an overlay box goes over all. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

#define FRAME_MS (1000.0 / 60)
/* The shape (width over height) automatic columns aim each panel at: that of a plot
 * with room for its axes, legend and colour bar, between the kinds' default sizes. */
#define PANEL_ASPECT (4.0 / 3)
/* Rectangles a redraw copies to the screen one by one; more than this: the window. */
#define MAX_RECTS 8

struct viz_window {
    viz_app *a;
    char err[VIZ_ERRLEN];
    char *title;
    int w, h; /* points */
    viz_panel **panels;
    unsigned *drawn; /* version of each panel on screen */
    viz_layout *lays;
    int n, cap, cols;
    SDL_Window *sdl;
    uint32_t id;
    int projector, fullscreen, dirty;
    uint32_t *px;
    int pw, ph;
    double scale, last_ms;
    double gap_ms; /* least time between redraws: 1/60 s, more when drawing is slow */
    int frames;    /* redraws since shown */
    int mx, my, hover, hover_drawn; /* cursor in pixels; panel under it */
    int hover_moved;                /* the cursor moved (or left) since the tooltip was drawn */
    int drag, dragx, dragy;
    int moved;        /* the cursor moved since the last motion event */
    int held;         /* the button held down at the last move (1 left, 2 middle, 3 right; 0) */
    double motion_ms; /* when the last motion event was queued */
    char *rec;
    int recn;
    viz_gif *gif;                     /* recording to an animated GIF, or NULL */
    int gw, gh;                       /* its frame size: the window's pixels when recording began */
    double gif_gap_ms;                /* least time between its frames (1 / fps) */
    double gif_last_ms;               /* when its last frame was taken */
    uint32_t *gifpx;                  /* a frame cut or padded to gw x gh after a resize */
    char *caption, *status, *overlay; /* strips under and above the panels; a box over them */
    int top, bottom;                  /* the strips' heights in pixels at the last layout */
    int strips_dirty;                 /* a strip's text changed since it was drawn on screen */
    int place_full, place_display;    /* where viz_window_show opens it */
    int hidden;                       /* minimised or hidden (SDL window events) */
    uint32_t focus_ms;                /* SDL time the window last gained the focus; 0 never */
    int slider_n, slider_pos;         /* the scrubbing slider's positions and knob; n 0: none */
    char *slider_text;                /* what it says on its left */
    int slider_h;                     /* its strip's height at the last layout */
    int sliding, slid;                /* the left button went down in it; the last position sent */
    int pressed, pressed_button;      /* 1 + the panel a CLICK went to, until its RELEASE */
    /* what the last render drew: n_rects rectangles, or the whole window (n_rects -1),
     * so that a redraw of a strip or a panel copies that alone to the screen */
    SDL_Rect rects[MAX_RECTS];
    int n_rects;
};

viz_window *viz_window_new(viz_app *a, const char *title, int w, int h) {
    if (w < 64 || h < 64 || w > 8192 || h > 8192) {
        snprintf(a->err, sizeof a->err, "window: size %d x %d (64 to 8192)", w, h);
        return NULL;
    }
    viz_window *win = calloc(1, sizeof *win);
    if (!win) return NULL;
    win->a = a;
    win->title = strdup(title ? title : "nnlab");
    win->w = w, win->h = h;
    win->hover = win->hover_drawn = -1;
    win->last_ms = win->motion_ms = -1e18;
    win->place_display = -1;
    if (!win->title || app_add_window(a, win) != VIZ_OK) {
        free(win->title);
        free(win);
        snprintf(a->err, sizeof a->err, "window: out of memory");
        return NULL;
    }
    return win;
}

void viz_window_free(viz_window *win) {
    if (!win) return;
    viz_window_close(win);
    app_remove_window(win->a, win);
    for (int i = 0; i < win->n; i++) viz_panel_free(win->panels[i]);
    free(win->panels), free(win->drawn), free(win->lays);
    free(win->px), free(win->title), free(win->rec);
    free(win->caption), free(win->status), free(win->overlay), free(win->slider_text);
    viz_window_record_gif(win, NULL, 0);
    free(win);
}

const char *viz_window_error(const viz_window *win) {
    return win->err;
}

int viz_window_add(viz_window *win, viz_panel *p) {
    if (win->n == win->cap) {
        int cap = win->cap ? 2 * win->cap : 4;
        viz_panel **np = realloc(win->panels, (size_t)cap * sizeof *np);
        if (np) win->panels = np;
        unsigned *nd = realloc(win->drawn, (size_t)cap * sizeof *nd);
        if (nd) win->drawn = nd;
        viz_layout *nl = realloc(win->lays, (size_t)cap * sizeof *nl);
        if (nl) win->lays = nl;
        if (!np || !nd || !nl) {
            snprintf(win->err, sizeof win->err, "window: out of memory for %d panels", cap);
            return VIZ_ENOMEM;
        }
        win->cap = cap;
    }
    panel_retain(p);
    win->panels[win->n] = p;
    win->drawn[win->n] = 0;
    memset(&win->lays[win->n], 0, sizeof *win->lays);
    win->n++;
    win->dirty = 1;
    return VIZ_OK;
}

int viz_window_set_cols(viz_window *win, int cols) {
    if (cols < 0 || cols > 64) {
        snprintf(win->err, sizeof win->err, "window: %d columns (0 to 64)", cols);
        return VIZ_EINVAL;
    }
    win->cols = cols;
    win->dirty = 1;
    return VIZ_OK;
}

int viz_window_npanels(const viz_window *win) {
    return win->n;
}

/* Columns for n panels in a W x H window: the count whose cells come closest to
 * PANEL_ASPECT (by ratio), so that a tall window stacks panels, a wide one sets them
 * side by side, and a square one makes a square grid. Ties go to fewer columns. */
static int auto_cols(int n, int W, int H) {
    int best = 1;
    double best_err = INFINITY;
    for (int c = 1; c <= n && H > 0; c++) {
        int r = (n + c - 1) / c;
        double err = fabs(log((double)W * r / ((double)H * c) / PANEL_ASPECT));
        if (err < best_err - 1e-9) best = c, best_err = err;
    }
    return best;
}

/* Columns and rows of the grid in a W x H window (at least one cell). */
static void grid_shape(const viz_window *win, int W, int H, int *cols, int *rows) {
    *cols = win->cols > 0 ? win->cols : auto_cols(win->n, W, H);
    if (*cols < 1) *cols = 1;
    *rows = (win->n + *cols - 1) / *cols;
    if (*rows < 1) *rows = 1;
}

/* Cell i of the grid in a W x H window: panel i's, or an empty one past the last. */
static void cell(const viz_window *win, int W, int H, int i, int *x, int *y, int *w, int *h) {
    int top = win->top, GH = H - win->top - win->bottom - win->slider_h;
    if (GH < 1) top = 0, GH = H; /* strips taller than the window: panels go under */
    int cols, rows;
    grid_shape(win, W, GH, &cols, &rows);
    int c = i % cols, r = i / cols;
    *x = c * W / cols, *y = top + r * GH / rows;
    *w = (c + 1) * W / cols - *x, *h = top + (r + 1) * GH / rows - *y;
}

static int panel_at(const viz_window *win, int px, int py) {
    for (int i = 0; i < win->n; i++) {
        int x, y, w, h;
        cell(win, win->pw, win->ph, i, &x, &y, &w, &h);
        if (px >= x && px < x + w && py >= y && py < y + h) return i;
    }
    return -1;
}

static void draw_tooltip(viz_canvas *cv, viz_app *a, const viz_theme *t, const char *s, int x,
                         int y) {
    int w, h, pad = t->pad / 2 + 1;
    text_size(a, FONT_SANS, t->small, s, &w, &h);
    int bx = x + 12, by = y + 14; /* below right of the cursor, flipped at the edges */
    if (bx + w + 2 * pad > cv->cx1) bx = x - 8 - w - 2 * pad;
    if (by + h + 2 * pad > cv->cy1) by = y - 8 - h - 2 * pad;
    cv_blend_rect(cv, bx, by, w + 2 * pad, h + 2 * pad, t->bg, 0.92);
    cv_line(cv, bx + 0.5, by + 0.5, bx + w + 2 * pad - 0.5, by + 0.5, 1, t->box, 1);
    cv_line(cv, bx + 0.5, by + h + 2 * pad - 0.5, bx + w + 2 * pad - 0.5, by + h + 2 * pad - 0.5, 1,
            t->box, 1);
    cv_line(cv, bx + 0.5, by + 0.5, bx + 0.5, by + h + 2 * pad - 0.5, 1, t->box, 1);
    cv_line(cv, bx + w + 2 * pad - 0.5, by + 0.5, bx + w + 2 * pad - 0.5, by + h + 2 * pad - 0.5, 1,
            t->box, 1);
    text_draw(cv, a, FONT_SANS, t->small, s, bx + pad, by + pad, ALIGN_LEFT | ALIGN_TOP, t->fg, 0);
}

double window_size_scale(int w, int h) {
    double f = fmin(w / 1280.0, h / 720.0);
    return f < 1 ? 1 : f > 3 ? 3 : f;
}

/* The theme at pixel scale `scale`, grown by the window's size; data points grow
 * less (with the square root), or a full-screen scatter becomes one blot. */
static void size_theme(const viz_window *win, int pw, int ph, double scale, viz_theme *t) {
    double f = window_size_scale((int)(pw / scale), (int)(ph / scale));
    theme_make(t, scale * f, win->projector);
    t->point /= sqrt(f);
}

void window_theme(const viz_window *win, int pw, int ph, viz_theme *t) {
    double scale = win->pw == pw && win->ph == ph && win->pw ? win->scale : 1;
    if (!(scale > 0)) scale = 1;
    size_theme(win, pw, ph, scale, t);
}

/* The type size at which every line of s fits in width w: from px down to a third of
 * it (then the lines are shortened with an ellipsis by strip_draw). */
static int fit_px(viz_app *a, viz_face face, int px, const char *s, int w, int *lines) {
    int size = px;
    for (;;) {
        int widest = 0, n = 0;
        for (const char *p = s; *p;) {
            size_t k = strcspn(p, "\n");
            char line[512];
            snprintf(line, sizeof line, "%.*s", (int)(k < 511 ? k : 511), p);
            int tw, th;
            text_size(a, face, size, line, &tw, &th);
            if (tw > widest) widest = tw;
            n++;
            p += k;
            if (*p) p++;
        }
        *lines = n;
        if (widest <= w || size <= px / 3 || size <= 6) return size;
        size = size * 9 / 10;
    }
}

/* Height of a strip holding s at px (before fitting), in a window pw wide. */
static int strip_height(viz_app *a, const viz_theme *t, viz_face face, int px, const char *s,
                        int pw) {
    if (!s || !*s) return 0;
    int lines, w, h;
    int size = fit_px(a, face, px, s, pw - 4 * t->pad, &lines);
    text_size(a, face, size, "Ag", &w, &h);
    return lines * h + 2 * t->pad;
}

/* Draws the strip s in (0, y, pw, h): its lines centred, in fg on a light band. */
static void strip_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_face face, int px,
                       const char *s, int y, int pw, int h) {
    cv_clip(cv, 0, y, pw, y + h);
    cv_fill_rect(cv, 0, y, pw, h, viz_rgb(244, 244, 240));
    int lines, w, lh;
    int size = fit_px(a, face, px, s, pw - 4 * t->pad, &lines);
    text_size(a, face, size, "Ag", &w, &lh);
    int ly = y + t->pad;
    for (const char *p = s; *p;) {
        size_t k = strcspn(p, "\n");
        char line[512], fitted[520];
        snprintf(line, sizeof line, "%.*s", (int)(k < 511 ? k : 511), p);
        text_fit(a, face, size, line, pw - 4 * t->pad, fitted, sizeof fitted);
        text_draw(cv, a, face, size, fitted, pw / 2, ly, ALIGN_CENTER | ALIGN_TOP, t->fg, 0);
        ly += lh;
        p += k;
        if (*p) p++;
    }
    cv_noclip(cv);
}

/* The overlay: a box of lines in the middle of the window, over the panels. */
static void overlay_draw(viz_canvas *cv, viz_app *a, const viz_theme *t, const char *s, int pw,
                         int ph) {
    int lines, w, lh;
    int size = fit_px(a, FONT_MONO, t->font, s, pw - 8 * t->pad, &lines);
    int widest = 0;
    for (const char *p = s; *p;) {
        size_t k = strcspn(p, "\n");
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(k < 511 ? k : 511), p);
        int tw, th;
        text_size(a, FONT_MONO, size, line, &tw, &th);
        if (tw > widest) widest = tw;
        p += k;
        if (*p) p++;
    }
    text_size(a, FONT_MONO, size, "Ag", &w, &lh);
    int bw = widest + 4 * t->pad, bh = lines * lh + 4 * t->pad;
    if (bw > pw) bw = pw;
    if (bh > ph) bh = ph;
    int bx = (pw - bw) / 2, by = (ph - bh) / 2;
    cv_noclip(cv);
    cv_blend_rect(cv, bx, by, bw, bh, t->bg, 0.95);
    for (int k = 0; k < 2; k++) { /* a frame two lines thick, inside the box */
        cv_line(cv, bx + k + 0.5, by + k + 0.5, bx + bw - k - 0.5, by + k + 0.5, 1, t->box, 1);
        cv_line(cv, bx + k + 0.5, by + bh - k - 0.5, bx + bw - k - 0.5, by + bh - k - 0.5, 1,
                t->box, 1);
        cv_line(cv, bx + k + 0.5, by + k + 0.5, bx + k + 0.5, by + bh - k - 0.5, 1, t->box, 1);
        cv_line(cv, bx + bw - k - 0.5, by + k + 0.5, bx + bw - k - 0.5, by + bh - k - 0.5, 1,
                t->box, 1);
    }
    cv_clip(cv, bx, by, bx + bw, by + bh);
    int ly = by + 2 * t->pad;
    for (const char *p = s; *p;) {
        size_t k = strcspn(p, "\n");
        char line[512], fitted[520];
        snprintf(line, sizeof line, "%.*s", (int)(k < 511 ? k : 511), p);
        text_fit(a, FONT_MONO, size, line, bw - 4 * t->pad, fitted, sizeof fitted);
        text_draw(cv, a, FONT_MONO, size, fitted, bx + 2 * t->pad, ly, ALIGN_LEFT | ALIGN_TOP,
                  t->fg, 0);
        ly += lh;
        p += k;
        if (*p) p++;
    }
    cv_noclip(cv);
}

#define STATUS_PX(t)  ((int)lround((t)->title * 1.2))
#define CAPTION_PX(t) ((int)lround((t)->title * 1.5))

/* The heights of the status and caption strips of a window pw x ph drawn with t. */
static void strip_layout(const viz_window *win, const viz_theme *t, int pw, int ph, int *top,
                         int *bottom) {
    *top = strip_height(win->a, t, FONT_BOLD, STATUS_PX(t), win->status, pw);
    *bottom = strip_height(win->a, t, FONT_SANS, CAPTION_PX(t), win->caption, pw);
    if (*top + *bottom >= ph) *top = *bottom = 0; /* a window too small for them */
}

/* The slider strip's height in a window ph pixels high drawn with t (0: none). */
static int slider_height(const viz_window *win, const viz_theme *t, int ph) {
    int h = win->slider_n >= 2 ? (int)lround(t->font * 2.6) : 0;
    return h * 4 < ph ? h : 0;
}

/* The slider's track in a window pw x ph: from x0 to x1 on the row y (its text left of
 * x0). */
static void slider_track(const viz_window *win, const viz_theme *t, int pw, int ph, int *x0,
                         int *x1, int *y) {
    int tw = 0, th = 0;
    if (win->slider_text) text_size(win->a, FONT_BOLD, t->font, win->slider_text, &tw, &th);
    *x0 = 3 * t->pad + tw + 3 * t->pad + win->slider_h / 4; /* the knob clears the text */
    *x1 = pw - 3 * t->pad;
    if (*x1 - *x0 < 40) *x0 = 3 * t->pad; /* too narrow for text and track: track only */
    *y = ph - win->slider_h / 2;
}

/* The position whose place on the track is nearest to pixel column px. */
static int slider_position(const viz_window *win, const viz_theme *t, int px) {
    int x0, x1, y;
    slider_track(win, t, win->pw, win->ph, &x0, &x1, &y);
    double u = x1 > x0 ? (double)(px - x0) / (x1 - x0) : 0;
    int i = (int)lround(u * (win->slider_n - 1));
    return i < 0 ? 0 : i >= win->slider_n ? win->slider_n - 1 : i;
}

/* The strip: a band, the text, the track with a tick a position (when they are far
 * enough apart) and the knob. */
static void slider_draw(viz_canvas *cv, const viz_window *win, const viz_theme *t, int pw, int ph) {
    int h = win->slider_h, x0, x1, y;
    cv_noclip(cv);
    cv_fill_rect(cv, 0, ph - h, pw, h, viz_mix(t->bg, t->grid, 0.5));
    slider_track(win, t, pw, ph, &x0, &x1, &y);
    if (win->slider_text && x0 > 3 * t->pad)
        text_draw(cv, win->a, FONT_BOLD, t->font, win->slider_text, 3 * t->pad, y,
                  ALIGN_LEFT | ALIGN_MIDDLE, t->fg, 0);
    double step = (double)(x1 - x0) / (win->slider_n - 1);
    cv_line(cv, x0, y, x1, y, fmax(2, 3 * t->scale), t->muted, 1);
    if (step >= 4)
        for (int i = 0; i < win->slider_n; i++)
            cv_line(cv, x0 + i * step, y - h / 5.0, x0 + i * step, y + h / 5.0, 1, t->muted, 1);
    double kx = x0 + win->slider_pos * step, r = h / 4.0;
    cv_disc(cv, kx, y, r, cmap_series(0));
    cv_ring(cv, kx, y, r, fmax(1, t->scale), t->fg);
}

/* Notes that the rectangle x, y, w, h was drawn (see viz_window.rects). */
static void drawn_rect(viz_window *win, int x, int y, int w, int h) {
    if (win->n_rects < 0) return;
    if (win->n_rects == MAX_RECTS) {
        win->n_rects = -1;
        return;
    }
    win->rects[win->n_rects++] = (SDL_Rect){x, y, w, h};
}

/* Draws the panels that need it into px (pw x ph); all of them when all is set, the
 * strips when strips is set (or all). Returns how many things were drawn. */
static int render(viz_window *win, uint32_t *px, int pw, int ph, double scale, int all, int hover,
                  int strips) {
    viz_canvas cv;
    viz_theme t;
    cv_init(&cv, px, pw, ph);
    win->scale = scale;
    size_theme(win, pw, ph, scale, &t);
    int top, bottom, sh = slider_height(win, &t, ph);
    strip_layout(win, &t, pw, ph - sh, &top, &bottom);
    if (top != win->top || bottom != win->bottom || sh != win->slider_h) all = 1;
    win->top = top, win->bottom = bottom, win->slider_h = sh;
    if (win->overlay) all = 1; /* panels drawn alone would cover the box */
    win->n_rects = all ? -1 : 0;
    int drawn = 0;
    if ((all || strips) && top) {
        strip_draw(&cv, win->a, &t, FONT_BOLD, STATUS_PX(&t), win->status, 0, pw, top), drawn++;
        drawn_rect(win, 0, 0, pw, top);
    }
    if ((all || strips) && bottom) {
        strip_draw(&cv, win->a, &t, FONT_SANS, CAPTION_PX(&t), win->caption, ph - sh - bottom, pw,
                   bottom),
            drawn++;
        drawn_rect(win, 0, ph - sh - bottom, pw, bottom);
    }
    if ((all || strips) && sh) {
        slider_draw(&cv, win, &t, pw, ph), drawn++;
        drawn_rect(win, 0, ph - sh, pw, sh);
    }
    for (int i = 0; i < win->n; i++) {
        viz_panel *p = win->panels[i];
        int need = all || p->version != win->drawn[i] ||
                   (win->hover_moved && (i == hover || i == win->hover_drawn));
        if (!need) continue;
        int x, y, w, h;
        cell(win, pw, ph, i, &x, &y, &w, &h);
        cv_clip(&cv, x, y, x + w, y + h);
        panel_draw(&cv, win->a, &t, p, &win->lays[i]);
        char buf[128];
        if (i == hover && panel_hover_text(p, &win->lays[i], win->mx, win->my, buf, sizeof buf))
            draw_tooltip(&cv, win->a, &t, buf, win->mx, win->my);
        win->drawn[i] = p->version;
        drawn++;
        drawn_rect(win, x, y, w, h);
    }
    int cols, rows;
    grid_shape(win, pw, ph - top - bottom - sh > 0 ? ph - top - bottom - sh : ph, &cols, &rows);
    for (int i = win->n; all && i < cols * rows; i++) { /* empty cells (or window) */
        int x, y, w, h;
        cell(win, pw, ph, i, &x, &y, &w, &h);
        cv_noclip(&cv);
        cv_fill_rect(&cv, x, y, w, h, t.bg);
    }
    if (win->overlay) overlay_draw(&cv, win->a, &t, win->overlay, pw, ph);
    return drawn;
}

/* Renders the whole window offscreen at its pixel size, with no tooltip, into a new
 * buffer (caller frees); NULL with win->err filled when memory runs out. */
static uint32_t *render_offscreen(viz_window *win, const char *what, int *pwp, int *php) {
    int pw = win->pw ? win->pw : win->w, ph = win->ph ? win->ph : win->h;
    double scale = win->pw ? win->scale : 1;
    uint32_t *px = malloc((size_t)pw * ph * sizeof *px);
    /* what is on screen stays as drawn: the versions and layouts are put back after */
    unsigned *keep = malloc((size_t)(win->n ? win->n : 1) * sizeof *keep);
    viz_layout *lkeep = malloc((size_t)(win->n ? win->n : 1) * sizeof *lkeep);
    if (!px || !keep || !lkeep) {
        free(px), free(keep), free(lkeep);
        snprintf(win->err, sizeof win->err, "%s: out of memory for %d x %d", what, pw, ph);
        return NULL;
    }
    if (win->n) {
        memcpy(keep, win->drawn, (size_t)win->n * sizeof *keep);
        memcpy(lkeep, win->lays, (size_t)win->n * sizeof *lkeep);
    }
    int hd = win->hover_drawn;
    win->hover_drawn = -1;
    double keep_scale = win->scale;
    int keep_top = win->top, keep_bottom = win->bottom;
    render(win, px, pw, ph, scale, 1, -1, 1);
    win->scale = keep_scale, win->top = keep_top, win->bottom = keep_bottom;
    win->hover_drawn = hd;
    if (win->n) {
        memcpy(win->drawn, keep, (size_t)win->n * sizeof *keep);
        memcpy(win->lays, lkeep, (size_t)win->n * sizeof *lkeep);
    }
    free(keep), free(lkeep);
    *pwp = pw, *php = ph;
    return px;
}

int viz_window_save_png(viz_window *win, const char *path) {
    int pw, ph;
    uint32_t *px = render_offscreen(win, "save", &pw, &ph);
    if (!px) return VIZ_ENOMEM;
    int rc = viz_png_write(path, px, pw, ph, win->err, sizeof win->err);
    free(px);
    return rc;
}

int viz_window_record(viz_window *win, const char *prefix) {
    free(win->rec);
    win->rec = NULL;
    win->recn = 0;
    if (prefix && !(win->rec = strdup(prefix))) {
        snprintf(win->err, sizeof win->err, "record: out of memory");
        return VIZ_ENOMEM;
    }
    return VIZ_OK;
}

int viz_window_record_gif(viz_window *win, const char *path, int fps) {
    int rc = VIZ_OK;
    if (win->gif && viz_gif_close(win->gif, win->err, sizeof win->err) != VIZ_OK) rc = VIZ_EIO;
    win->gif = NULL;
    free(win->gifpx);
    win->gifpx = NULL;
    if (!path || rc != VIZ_OK) return rc;
    if (fps < 1 || fps > 50) {
        snprintf(win->err, sizeof win->err,
                 "record %s: fps %d (1 to 50: GIF delays are "
                 "hundredths of a second, and under 2 play as 10)",
                 path, fps);
        return VIZ_EINVAL;
    }
    win->gw = win->pw ? win->pw : win->w, win->gh = win->ph ? win->ph : win->h;
    win->gif =
        viz_gif_open(path, win->gw, win->gh, (100 + fps / 2) / fps, 0, win->err, sizeof win->err);
    if (!win->gif) return VIZ_EIO;
    win->gif_gap_ms = 1000.0 / fps;
    win->gif_last_ms = -1e18;
    return VIZ_OK;
}

/* Adds pixels of pw x ph to the GIF, cut or padded (with the top-left pixel, the
 * window's background) to the recording's size when the window was resized. */
static int gif_frame(viz_window *win, const uint32_t *px, int pw, int ph) {
    if (pw != win->gw || ph != win->gh) {
        if (!win->gifpx && !(win->gifpx = malloc((size_t)win->gw * win->gh * sizeof *px))) {
            snprintf(win->err, sizeof win->err, "record: out of memory");
            return VIZ_ENOMEM;
        }
        for (int y = 0; y < win->gh; y++)
            for (int x = 0; x < win->gw; x++)
                win->gifpx[(size_t)y * win->gw + x] =
                    x < pw && y < ph ? px[(size_t)y * pw + x] : px[0];
        px = win->gifpx;
    }
    if (viz_gif_add(win->gif, px, win->gw, win->gh) != VIZ_OK) {
        snprintf(win->err, sizeof win->err, "%s", viz_gif_error(win->gif));
        return VIZ_EIO;
    }
    return VIZ_OK;
}

int viz_window_record_frame(viz_window *win) {
    if (!win->gif && !win->rec) {
        snprintf(win->err, sizeof win->err, "record: the window is not recording");
        return VIZ_EINVAL;
    }
    int pw, ph, rc = VIZ_OK;
    uint32_t *px = render_offscreen(win, "record", &pw, &ph);
    if (!px) return VIZ_ENOMEM;
    if (win->gif) rc = gif_frame(win, px, pw, ph);
    if (!rc && win->rec) {
        char path[1024];
        snprintf(path, sizeof path, "%s-%06d.png", win->rec, ++win->recn);
        rc = viz_png_write(path, px, pw, ph, win->err, sizeof win->err);
    }
    free(px);
    return rc;
}

int viz_window_frames_drawn(const viz_window *win) {
    return win->frames;
}

int viz_window_gif_frames(const viz_window *win) {
    return win->gif ? viz_gif_frames(win->gif) : 0;
}

const uint32_t *viz_window_pixels(const viz_window *win, int *w, int *h) {
    *w = win->pw, *h = win->ph;
    return win->px;
}

uint32_t viz_window_id(const viz_window *win) {
    return win->id;
}

int viz_window_is_open(const viz_window *win) {
    return win->sdl != NULL;
}

int viz_window_projector(const viz_window *win) {
    return win->projector;
}

void viz_window_set_projector(viz_window *win, int on) {
    win->projector = !!on;
    win->dirty = 1;
}

/* Replaces *slot with a copy of text (NULL for NULL or ""). */
static int set_text(viz_window *win, char **slot, const char *text, const char *what) {
    char *d = NULL;
    if (text && *text && !(d = strdup(text))) {
        snprintf(win->err, sizeof win->err, "%s: out of memory", what);
        return VIZ_ENOMEM;
    }
    free(*slot);
    *slot = d;
    return VIZ_OK;
}

int viz_window_set_caption(viz_window *win, const char *text) {
    int rc = set_text(win, &win->caption, text, "caption");
    win->strips_dirty = 1;
    return rc;
}

int viz_window_set_status(viz_window *win, const char *text) {
    int rc = set_text(win, &win->status, text, "status");
    win->strips_dirty = 1;
    return rc;
}

int viz_window_set_overlay(viz_window *win, const char *text) {
    int rc = set_text(win, &win->overlay, text, "overlay");
    win->dirty = 1;
    return rc;
}

int viz_window_set_placement(viz_window *win, int fullscreen, int display) {
    if (display < -1) {
        snprintf(win->err, sizeof win->err, "window: display %d (0 and up, or -1 for any)",
                 display);
        return VIZ_EINVAL;
    }
    win->place_full = !!fullscreen, win->place_display = display;
    if (win->sdl && win->fullscreen != win->place_full) {
        win->fullscreen = win->place_full;
        SDL_SetWindowFullscreen(win->sdl, win->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
        win->dirty = 1;
    }
    return VIZ_OK;
}

int viz_window_cell(const viz_window *win, int i, int *x, int *y, int *w, int *h) {
    if (i < 0 || i >= win->n) return VIZ_EINVAL;
    int pw = win->pw ? win->pw : win->w, ph = win->ph ? win->ph : win->h;
    viz_theme t;
    window_theme(win, pw, ph, &t);
    viz_window laid = *win; /* the strips as they are now, drawn or not yet */
    laid.slider_h = slider_height(win, &t, ph);
    strip_layout(win, &t, pw, ph - laid.slider_h, &laid.top, &laid.bottom);
    cell(&laid, pw, ph, i, x, y, w, h);
    return VIZ_OK;
}

int viz_window_set_slider(viz_window *win, int n, int pos, const char *text) {
    if (n < 0 || n == 1 || (n >= 2 && (pos < 0 || pos >= n))) {
        snprintf(win->err, sizeof win->err,
                 "slider: position %d of %d (n 0 or at least 2, 0 <= pos < n)", pos, n);
        return VIZ_EINVAL;
    }
    if (n == 0) text = NULL;
    int rc = set_text(win, &win->slider_text, text, "slider");
    if (rc) return rc;
    /* the panels move when the strip comes or goes; a new count of positions (a run's
     * new snapshot, ten times a second) redraws the strip alone */
    if ((n >= 2) != (win->slider_n >= 2)) win->dirty = 1;
    win->slider_n = n, win->slider_pos = pos;
    win->strips_dirty = 1;
    return VIZ_OK;
}

int viz_window_slider(const viz_window *win, int *pos) {
    *pos = win->slider_pos;
    return win->slider_n;
}

int viz_window_slider_at(const viz_window *win, int i, int *x, int *y, int *w, int *h, int *px) {
    int pw = win->pw ? win->pw : win->w, ph = win->ph ? win->ph : win->h;
    viz_theme t;
    window_theme(win, pw, ph, &t);
    viz_window laid = *win;
    laid.slider_h = slider_height(win, &t, ph);
    if (!laid.slider_h || i < 0 || i >= win->slider_n) return VIZ_EINVAL;
    int x0, x1, yy;
    slider_track(&laid, &t, pw, ph, &x0, &x1, &yy);
    *x = 0, *y = ph - laid.slider_h, *w = pw, *h = laid.slider_h;
    *px = (int)lround(x0 + (double)i * (x1 - x0) / (win->slider_n - 1));
    return VIZ_OK;
}

int viz_window_visible(const viz_window *win) {
    if (!win->sdl || win->hidden) return 0;
    return !(SDL_GetWindowFlags(win->sdl) & (SDL_WINDOW_HIDDEN | SDL_WINDOW_MINIMIZED));
}

void window_focus_gained(viz_window *win, uint32_t ms) {
    win->focus_ms = ms ? ms : 1;
}

int viz_window_show(viz_window *win) {
    if (win->sdl) return VIZ_OK;
    if (!viz_app_has_display(win->a)) {
        snprintf(win->err, sizeof win->err, "%s", win->a->err);
        return VIZ_ENODISPLAY;
    }
    int pos = SDL_WINDOWPOS_UNDEFINED;
    if (win->place_display >= 0) {
        int nd = SDL_GetNumVideoDisplays();
        if (win->place_display >= nd) {
            snprintf(win->err, sizeof win->err, "window %s: display %d, but there %s %d",
                     win->title, win->place_display + 1, nd == 1 ? "is" : "are", nd);
            return VIZ_EINVAL;
        }
        pos = SDL_WINDOWPOS_CENTERED_DISPLAY(win->place_display);
    }
    uint32_t flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (win->place_full) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    win->sdl = SDL_CreateWindow(win->title, pos, pos, win->w, win->h, flags);
    if (!win->sdl) {
        snprintf(win->err, sizeof win->err, "window %s: %s", win->title, SDL_GetError());
        return VIZ_ENODISPLAY;
    }
    win->fullscreen = win->place_full;
    win->hidden = 0, win->focus_ms = 0;
    SDL_RaiseWindow(win->sdl);
    win->id = SDL_GetWindowID(win->sdl);
    win->dirty = 1;
    win->frames = 0, win->gap_ms = 0;
    win->last_ms = -1e18;
    return VIZ_OK;
}

void viz_window_close(viz_window *win) {
    if (!win->sdl) return;
    SDL_DestroyWindow(win->sdl);
    win->sdl = NULL;
    win->id = 0;
    win->fullscreen = 0;
}

double window_pixel_scale(int pixel_w, int point_w, float ddpi) {
    double s = point_w > 0 && pixel_w > 0 ? (double)pixel_w / point_w : 1;
    if (ddpi > 120 && s < 1.5) s *= ddpi / 96.0 > 3 ? 3 : ddpi / 96.0;
    return s;
}

static double window_scale(viz_window *win, int pw) {
    int ww, wh;
    SDL_GetWindowSize(win->sdl, &ww, &wh);
    float ddpi = 0;
    int d = SDL_GetWindowDisplayIndex(win->sdl);
    if (d < 0 || SDL_GetDisplayDPI(d, &ddpi, NULL, NULL) != 0) ddpi = 0;
    return window_pixel_scale(pw, ww, ddpi);
}

void window_redraw(viz_window *win, double now_ms) {
    if (!win->sdl || now_ms - win->last_ms < (win->gap_ms > FRAME_MS ? win->gap_ms : FRAME_MS))
        return;
    uint64_t t0 = SDL_GetPerformanceCounter();
    SDL_Surface *surf = SDL_GetWindowSurface(win->sdl);
    if (!surf) return;
    int all = win->dirty;
    if (surf->w != win->pw || surf->h != win->ph || !win->px) {
        uint32_t *px = realloc(win->px, (size_t)surf->w * surf->h * sizeof *px);
        if (!px) return;
        win->px = px, win->pw = surf->w, win->ph = surf->h;
        all = 1;
    }
    int hover = win->hover;
    int drawn = render(win, win->px, win->pw, win->ph, window_scale(win, win->pw), all, hover,
                       win->strips_dirty);
    win->strips_dirty = 0;
    win->hover_drawn = hover; /* a change of hovered panel always comes with hover_moved */
    win->hover_moved = 0;
    if (!drawn && !all) return; /* all: an empty window still shows its background */
    win->dirty = 0;
    win->last_ms = now_ms;
    SDL_Surface *src = SDL_CreateRGBSurfaceWithFormatFrom(win->px, win->pw, win->ph, 32,
                                                          win->pw * 4, SDL_PIXELFORMAT_ARGB8888);
    if (!src) return;
    SDL_SetSurfaceBlendMode(src, SDL_BLENDMODE_NONE);
    /* only what was drawn goes to the screen: a new status line or slider position (ten
     * times a second while a small net trains) copies its strip, not the whole window */
    if (all || win->n_rects < 0) {
        SDL_BlitSurface(src, NULL, surf, NULL);
        SDL_UpdateWindowSurface(win->sdl);
    } else {
        for (int i = 0; i < win->n_rects; i++) {
            SDL_Rect r = win->rects[i];
            SDL_BlitSurface(src, &r, surf, &r);
        }
        SDL_UpdateWindowSurfaceRects(win->sdl, win->rects, win->n_rects);
    }
    SDL_FreeSurface(src);
    /* a window may take at most a fifth of the time, so training is never starved; the
     * first frame opens fonts and the window's surface, and does not set the pace */
    if (win->frames++ > 0)
        win->gap_ms =
            5e3 * (double)(SDL_GetPerformanceCounter() - t0) / SDL_GetPerformanceFrequency();
    if (win->rec) {
        char path[1024];
        snprintf(path, sizeof path, "%s-%06d.png", win->rec, ++win->recn);
        viz_png_write(path, win->px, win->pw, win->ph, win->err, sizeof win->err);
    }
    if (win->gif && now_ms - win->gif_last_ms >= win->gif_gap_ms) {
        win->gif_last_ms = now_ms;
        gif_frame(win, win->px, win->pw, win->ph); /* a failure stays in win->err */
    }
}

/* The 's' key: nnlab-<title>-<k>.png in the current folder. */
static void save_key(viz_window *win) {
    viz_event ev = {.type = VIZ_EV_SAVED, .win = win, .panel = -1};
    char name[64];
    size_t k = 0;
    for (const char *s = win->title; *s && k < sizeof name - 1; s++)
        name[k++] = isalnum((unsigned char)*s) ? *s : '-';
    name[k] = 0;
    snprintf(ev.path, sizeof ev.path, "nnlab-%s-%d.png", name, ++win->a->saves);
    if (viz_window_save_png(win, ev.path) != VIZ_OK)
        snprintf(ev.path, sizeof ev.path, "(not saved: %.200s)", win->err);
    app_push_event(win->a, &ev);
}

/* Cursor in pixels from event coordinates in points. */
static void to_pixels(viz_window *win, int x, int y, int *px, int *py) {
    int ww, wh;
    SDL_GetWindowSize(win->sdl, &ww, &wh);
    *px = ww > 0 && win->pw ? x * win->pw / ww : x;
    *py = wh > 0 && win->ph ? y * win->ph / wh : y;
}

static int mods_now(void) {
    SDL_Keymod m = SDL_GetModState();
    return (m & KMOD_SHIFT ? VIZ_MOD_SHIFT : 0) | (m & KMOD_CTRL ? VIZ_MOD_CTRL : 0) |
           (m & KMOD_ALT ? VIZ_MOD_ALT : 0);
}

/* A press this close to the window gaining the focus (before or after it) is the
 * click that focused it. */
#define FOCUS_CLICK_MS 250

/* A VIZ_EV_SLIDE for the slider's position under pixel column px, unless the last
 * one sent said it already. */
static void slide_to(viz_window *win, int px) {
    viz_theme t;
    window_theme(win, win->pw, win->ph, &t);
    int pos = slider_position(win, &t, px);
    if (pos == win->slid) return;
    win->slid = pos;
    viz_event ev = {.type = VIZ_EV_SLIDE, .win = win, .panel = -1, .position = pos};
    app_push_event(win->a, &ev);
}

static void mouse_down(viz_window *win, const SDL_MouseButtonEvent *b) {
    if (win->focus_ms &&
        (uint32_t)(b->timestamp - win->focus_ms + FOCUS_CLICK_MS) <= 2 * FOCUS_CLICK_MS) {
        win->focus_ms = 0; /* only the one click */
        return;
    }
    int px, py;
    to_pixels(win, b->x, b->y, &px, &py);
    /* the strip where it is now: a slider set since the last frame (a redraw may wait
     * while drawing is slow) takes the click already; setting it made the window dirty */
    viz_theme t;
    window_theme(win, win->pw, win->ph, &t);
    int sh = win->pw > 0 ? slider_height(win, &t, win->ph) : 0;
    if (sh && py >= win->ph - sh && b->button == SDL_BUTTON_LEFT) {
        win->slider_h = sh;
        win->sliding = 1, win->slid = win->slider_pos;
        slide_to(win, px);
        return;
    }
    int i = panel_at(win, px, py);
    if (i < 0) return;
    viz_panel *p = win->panels[i];
    if (kind_def(p->kind)->drag) { /* a drag moves the view (turns a surface) */
        win->drag = 1, win->dragx = px, win->dragy = py;
        return;
    }
    const viz_layout *lay = &win->lays[i];
    const viz_frame *f = &lay->f;
    viz_event ev = {.type = VIZ_EV_CLICK,
                    .win = win,
                    .panel = i,
                    .button = b->button,
                    .mods = mods_now(),
                    .x = NAN,
                    .y = NAN};
    /* a click counts on the data axes, or on an image's pixel (images have no axes) */
    int on_axes = lay->has && px >= f->x0 && px < f->x1 && py >= f->y0 && py < f->y1;
    const viz_kind_def *k = kind_def(p->kind);
    int on_pixel = k->pixel_at && k->pixel_at(p, lay, px, py, &ev.image, &ev.row, &ev.col);
    if (!on_axes && !on_pixel) return;
    if (on_axes) ev.x = frame_dx(f, px + 0.5), ev.y = frame_dy(f, py + 0.5);
    app_push_event(win->a, &ev);
    win->pressed = i + 1, win->pressed_button = b->button;
}

/* The end of a click (or of a drag that began with one): a VIZ_EV_RELEASE to the panel
 * clicked, in its coordinates wherever the cursor has gone. */
static void mouse_up(viz_window *win, const SDL_MouseButtonEvent *b) {
    int i = win->pressed - 1;
    if (i < 0 || i >= win->n || b->button != win->pressed_button) return;
    win->pressed = 0;
    int px, py;
    to_pixels(win, b->x, b->y, &px, &py);
    const viz_layout *lay = &win->lays[i];
    viz_event ev = {.type = VIZ_EV_RELEASE,
                    .win = win,
                    .panel = i,
                    .button = b->button,
                    .mods = mods_now(),
                    .x = NAN,
                    .y = NAN};
    if (lay->has) ev.x = frame_dx(&lay->f, px + 0.5), ev.y = frame_dy(&lay->f, py + 0.5);
    const viz_kind_def *k = kind_def(win->panels[i]->kind);
    if (!(k->pixel_at && k->pixel_at(win->panels[i], lay, px, py, &ev.image, &ev.row, &ev.col)))
        ev.image = ev.row = ev.col = 0;
    app_push_event(win->a, &ev);
}

static void mouse_move(viz_window *win, const SDL_MouseMotionEvent *m) {
    int px, py;
    to_pixels(win, m->x, m->y, &px, &py);
    if (win->sliding && (m->state & SDL_BUTTON_LMASK)) {
        slide_to(win, px);
        return;
    }
    win->sliding = 0;
    if (win->drag && (m->state & SDL_BUTTON_LMASK)) {
        int i = panel_at(win, win->dragx, win->dragy);
        if (i >= 0 && kind_def(win->panels[i]->kind)->drag)
            kind_def(win->panels[i]->kind)->drag(win->panels[i], px - win->dragx, py - win->dragy);
        win->dragx = px, win->dragy = py;
    } else {
        win->drag = 0;
    }
    win->mx = px, win->my = py;
    win->held = m->state & SDL_BUTTON_LMASK   ? 1
                : m->state & SDL_BUTTON_MMASK ? 2
                : m->state & SDL_BUTTON_RMASK ? 3
                                              : 0;
    win->hover = panel_at(win, px, py);
    win->moved = 1;
    win->hover_moved = 1;
}

void window_motion(viz_window *win, double now_ms) {
    if (!win->moved || now_ms - win->motion_ms < VIZ_MOTION_MS) return;
    win->moved = 0;
    int i = win->hover;
    if (i < 0 || i >= win->n || win->drag) return; /* a drag rotates; it is not hovering */
    win->motion_ms = now_ms;
    viz_event ev = {.type = VIZ_EV_MOTION,
                    .win = win,
                    .panel = i,
                    .button = win->held,
                    .mods = mods_now(),
                    .x = NAN,
                    .y = NAN,
                    .layer = -1,
                    .node = -1};
    viz_panel *p = win->panels[i];
    const viz_layout *lay = &win->lays[i];
    const viz_frame *f = &lay->f;
    int px = win->mx, py = win->my;
    if (lay->has && px >= f->x0 && px < f->x1 && py >= f->y0 && py < f->y1)
        ev.x = frame_dx(f, px + 0.5), ev.y = frame_dy(f, py + 0.5);
    const viz_kind_def *k = kind_def(p->kind);
    if (k->item_at && !k->item_at(p, lay, px, py, &ev.layer, &ev.node)) ev.layer = ev.node = -1;
    if (k->pixel_at && !k->pixel_at(p, lay, px, py, &ev.image, &ev.row, &ev.col))
        ev.image = ev.row = ev.col = 0;
    if (!panel_hover_text(p, lay, px, py, ev.text, sizeof ev.text)) ev.text[0] = 0;
    app_push_event(win->a, &ev);
}

void window_handle(viz_window *win, const SDL_Event *e) {
    if (e->type == SDL_WINDOWEVENT) {
        switch (e->window.event) {
        case SDL_WINDOWEVENT_CLOSE: {
            viz_window_close(win);
            viz_event ev = {.type = VIZ_EV_CLOSE, .win = win, .panel = -1};
            app_push_event(win->a, &ev);
            break;
        }
        case SDL_WINDOWEVENT_LEAVE:
            win->hover = -1;
            win->hover_moved = 1;
            break;
        case SDL_WINDOWEVENT_SIZE_CHANGED:
            win->dirty = 1;
            break;
        case SDL_WINDOWEVENT_HIDDEN:
        case SDL_WINDOWEVENT_MINIMIZED:
            if (!win->hidden) {
                win->hidden = 1;
                viz_event ev = {.type = VIZ_EV_HIDDEN, .win = win, .panel = -1};
                app_push_event(win->a, &ev);
            }
            break;
        case SDL_WINDOWEVENT_SHOWN:
        case SDL_WINDOWEVENT_RESTORED:
        case SDL_WINDOWEVENT_EXPOSED:
            win->dirty = 1;
            if (win->hidden) {
                win->hidden = 0;
                viz_event ev = {.type = VIZ_EV_SHOWN, .win = win, .panel = -1};
                app_push_event(win->a, &ev);
            }
            break;
        default:
            break;
        }
    } else if (e->type == SDL_KEYDOWN && !e->key.repeat) {
        int key = e->key.keysym.sym;
        if (key == SDLK_s) save_key(win);
        if (key == SDLK_f) {
            win->fullscreen = !win->fullscreen;
            SDL_SetWindowFullscreen(win->sdl, win->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
            win->dirty = 1;
        }
        if (key == SDLK_p) viz_window_set_projector(win, !win->projector);
        viz_event ev = {
            .type = VIZ_EV_KEY, .win = win, .panel = win->hover, .key = key, .mods = mods_now()};
        app_push_event(win->a, &ev);
    } else if (e->type == SDL_MOUSEBUTTONDOWN) {
        mouse_down(win, &e->button);
    } else if (e->type == SDL_MOUSEBUTTONUP) {
        win->drag = 0, win->sliding = 0;
        mouse_up(win, &e->button);
    } else if (e->type == SDL_MOUSEMOTION) {
        mouse_move(win, &e->motion);
    }
}
