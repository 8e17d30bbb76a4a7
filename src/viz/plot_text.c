/* plot_text.c: a readout: lines of text in the mono face under the title (a run's
 * progress, a model's summary, a race's table), sized to fit the panel; a line still
 * too wide ends in an ellipsis, and lines past the bottom are replaced by one, never
 * drawn past the panel's edge. */
#include <math.h>
#include <string.h>

#include "vizint.h"

/* Calls line(ud, text) for each line of s (at most 511 bytes each). */
static void each_line(const char *s, void (*fn)(void *, const char *), void *ud) {
    char line[512];
    while (*s) {
        size_t n = strcspn(s, "\n");
        size_t m = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, s, m);
        line[m] = 0;
        fn(ud, line);
        s += n;
        if (*s) s++;
    }
}

typedef struct {
    viz_app *a;
    int px, widest, lines;
} text_measure;

static void measure_line(void *ud, const char *line) {
    text_measure *m = ud;
    int w, h;
    text_size(m->a, FONT_MONO, m->px, line, &w, &h);
    if (w > m->widest) m->widest = w;
    m->lines++;
}

typedef struct {
    viz_canvas *cv;
    viz_app *a;
    const viz_theme *t;
    int px, x, y, w, lh, bottom;
    int left, room; /* lines still to draw, and lines the panel has room for */
} text_lines;

static void draw_line(void *ud, const char *line) {
    text_lines *d = ud;
    if (d->room <= 0) return;
    if (d->room == 1 && d->left > 1) { /* the rest does not fit: one ellipsis says so */
        text_draw(d->cv, d->a, FONT_MONO, d->px, "\xe2\x80\xa6", d->x, d->y, ALIGN_LEFT | ALIGN_TOP,
                  d->t->muted, 0);
        d->room = 0;
        return;
    }
    d->room--, d->left--;
    char fitted[520];
    text_fit(d->a, FONT_MONO, d->px, line, d->w, fitted, sizeof fitted);
    if (*fitted)
        text_draw(d->cv, d->a, FONT_MONO, d->px, fitted, d->x, d->y, ALIGN_LEFT | ALIGN_TOP,
                  d->t->fg, 0);
    d->y += d->lh;
}

/* The lines in the mono face, at the largest size up to 1.4 x the theme's type at which
 * they fit the panel (down to two thirds of the small type; a table in projector
 * lettering would run past its panel); then too long a line ends in an ellipsis. */
static void plot_text(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                      viz_layout *lay) {
    lay->has = 0;
    int x0 = cv->cx0, x1 = cv->cx1;
    title_draw(cv, a, t, p, x0, x1, cv->cy0 + t->pad);
    if (!p->text) return;
    int y = cv->cy0 + t->pad + title_height(a, t, p) + t->pad;
    int room_w = x1 - x0 - 4 * t->pad, room_h = cv->cy1 - y - t->pad;
    int px = (int)lround(t->font * 1.4), least = t->small * 2 / 3, w, h;
    text_measure m;
    for (;;) {
        m = (text_measure){a, px, 0, 0};
        each_line(p->text, measure_line, &m);
        text_size(a, FONT_MONO, px, "Ag", &w, &h);
        if ((m.widest <= room_w && m.lines * h <= room_h) || px <= least) break;
        px = px * 9 / 10 > least ? px * 9 / 10 : least;
    }
    text_lines d = {cv,     a, t,       px,      x0 + 2 * t->pad,       y,
                    room_w, h, cv->cy1, m.lines, h > 0 ? room_h / h : 0};
    each_line(p->text, draw_line, &d);
}

/* Nothing: the readout says all it has to say already. */
static int text_hover(const viz_panel *p, const viz_layout *lay, int px, int py, char *buf,
                      size_t n) {
    (void)p, (void)lay, (void)px, (void)py, (void)buf, (void)n;
    return 0;
}

const viz_kind_def plot_text_kind = {
    .name = "text",
    .width = 480,
    .height = 300,
    .takes = VIZ_TAKES_TEXT,
    .draw = plot_text,
    .hover = text_hover,
};
