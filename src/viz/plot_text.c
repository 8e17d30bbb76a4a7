/* plot_text.c: a readout: lines of text in the mono face under the title (a run's
 * progress, a model's summary), cut at the panel's edges. */
#include <math.h>
#include <string.h>

#include "vizint.h"

static void plot_text(viz_canvas *cv, viz_app *a, const viz_theme *t, viz_panel *p,
                      viz_layout *lay) {
    lay->has = 0;
    int x0 = cv->cx0, x1 = cv->cx1;
    title_draw(cv, a, t, p, x0, x1, cv->cy0 + t->pad);
    if (!p->text) return;
    int px = (int)lround(t->font * 1.4), w, h;
    text_size(a, FONT_MONO, px, "Ag", &w, &h);
    int y = cv->cy0 + t->pad + title_height(a, t, p) + t->pad;
    const char *s = p->text;
    char line[512];
    while (*s) {
        size_t n = strcspn(s, "\n");
        size_t m = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, s, m);
        line[m] = 0;
        if (m)
            text_draw(cv, a, FONT_MONO, px, line, x0 + 2 * t->pad, y, ALIGN_LEFT | ALIGN_TOP, t->fg,
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
