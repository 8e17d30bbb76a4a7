/* kinds.c: the table of plot kinds, indexed by viz_kind. A kind's record (name, window
 * size, setters it takes, draw, hover...) is at the end of its plot_<kind>.c; this file
 * only lists them, and answers the public questions about them. */
#include "vizint.h"

extern const viz_kind_def plot_lines_kind;
extern const viz_kind_def plot_field_kind;
extern const viz_kind_def plot_images_kind;
extern const viz_kind_def plot_bars_kind;
extern const viz_kind_def plot_hist_kind;
extern const viz_kind_def plot_scatter_kind;
extern const viz_kind_def plot_network_kind;
extern const viz_kind_def plot_text_kind;
extern const viz_kind_def plot_surface_kind;
extern const viz_kind_def plot_graph_kind;
extern const viz_kind_def plot_matrix_kind;

/* A kind left out of this table is NULL here: tests/viz/test_kinds.c catches it. */
static const viz_kind_def *const kinds[VIZ_NKINDS] = {
    [VIZ_LINES] = &plot_lines_kind,     /* plot_lines.c */
    [VIZ_FIELD] = &plot_field_kind,     /* plot_field.c */
    [VIZ_IMAGES] = &plot_images_kind,   /* plot_images.c */
    [VIZ_BARS] = &plot_bars_kind,       /* plot_bars.c */
    [VIZ_HIST] = &plot_hist_kind,       /* plot_hist.c */
    [VIZ_SCATTER] = &plot_scatter_kind, /* plot_scatter.c */
    [VIZ_NETWORK] = &plot_network_kind, /* plot_network.c */
    [VIZ_TEXT] = &plot_text_kind,       /* plot_text.c */
    [VIZ_SURFACE] = &plot_surface_kind, /* plot_surface.c */
    [VIZ_GRAPH] = &plot_graph_kind,     /* plot_graph.c */
    [VIZ_MATRIX] = &plot_matrix_kind,   /* plot_matrix.c */
};

const viz_kind_def *kind_def(viz_kind k) {
    return (int)k >= 0 && k < VIZ_NKINDS ? kinds[k] : NULL;
}

const char *viz_kind_name(viz_kind k) {
    const viz_kind_def *d = kind_def(k);
    return d ? d->name : NULL;
}

int viz_kind_size(viz_kind k, int *width, int *height) {
    const viz_kind_def *d = kind_def(k);
    if (!d) return VIZ_EINVAL;
    *width = d->width, *height = d->height;
    return VIZ_OK;
}
