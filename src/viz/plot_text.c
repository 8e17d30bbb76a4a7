/* plot_text.c: a readout: lines of text in the mono face under the title (a run's
 * progress, a model's summary, a race's table), in the largest type up to 1.4 times the
 * body's at which every line fits the panel (down to 3/4 of the small type); a line
 * still too wide ends in an ellipsis, and lines past the bottom are replaced by one,
 * never drawn past the panel's edge. */
#include <math.h>
#include <string.h>

#include "vizint.h"

static void plot_text(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                      viz_layout *lay) {
    lay->has = 0;
    int x0 = cv->cx0, x1 = cv->cx1;
    title_draw(cv, a, t, p, x0, x1, cv->cy0 + t->pad);
    if (!p->text) return;
    int y = cv->cy0 + t->pad + title_height(a, t, p) + t->pad;
    int room_w = x1 - x0 - 3 * t->pad, room_h = cv->cy1 - y - t->pad;
    int px = (int)lround(t->font * 1.4), w, h;
    int least = (int)fmax(8, 0.75 * t->small);
    for (; px > least; px--) { /* the largest type at which it all fits */
        int lines = 0, widest = 0;
        for (const char *s = p->text; *s;) {
            size_t n = strcspn(s, "\n");
            char line[512];
            size_t m = n < sizeof line - 1 ? n : sizeof line - 1;
            memcpy(line, s, m);
            line[m] = 0;
            text_size(a, FONT_MONO, px, line, &w, &h);
            widest = w > widest ? w : widest, lines++;
            s += n;
            if (*s) s++;
        }
        text_size(a, FONT_MONO, px, "Ag", &w, &h);
        if (widest <= room_w && lines * h <= room_h) break;
    }
    text_size(a, FONT_MONO, px, "Ag", &w, &h);
    const char *s = p->text;
    char line[512], fit[512];
    while (*s) {
        if (y + 2 * h > cv->cy1 - t->pad / 2 && strchr(s, '\n')) { /* no room for the rest */
            text_draw(cv, a, FONT_MONO, px, "\xe2\x80\xa6", x0 + 2 * t->pad, y,
                      ALIGN_LEFT | ALIGN_TOP, t->muted, 0);
            break;
        }
        size_t n = strcspn(s, "\n");
        size_t m = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, s, m);
        line[m] = 0;
        text_fit(a, FONT_MONO, px, line, room_w, fit, sizeof fit);
        if (m)
            text_draw(cv, a, FONT_MONO, px, fit, x0 + 2 * t->pad, y, ALIGN_LEFT | ALIGN_TOP, t->fg,
                      0);
        y += h;
        s += n;
        if (*s) s++;
    }
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
