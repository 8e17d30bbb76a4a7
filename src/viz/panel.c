/* panel.c: a panel's data and its setters. Every setter validates, copies what it is
 * given, and bumps the version so that windows redraw. Drawing is in plot_*.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vizint.h"

int panel_fail(viz_panel *p, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, sizeof p->err, fmt, ap);
    va_end(ap);
    return code;
}

static char *dupstr(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static void free_strings(char **s, size_t n) {
    if (!s) return;
    for (size_t i = 0; i < n; i++) free(s[i]);
    free(s);
}

viz_panel *viz_panel_new(viz_kind kind) {
    if (!kind_def(kind)) return NULL;
    viz_panel *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->kind = kind;
    p->refs = 1;
    p->version = 1;
    for (int a = 0; a < 2; a++) p->fix[a][0] = p->fix[a][1] = NAN;
    p->vfix[0] = p->vfix[1] = NAN;
    p->nauto = 8; /* automatic contour levels, for the kinds that take levels */
    p->yaw = 35, p->pitch = 30, p->shaded = 1;
    return p;
}

void panel_retain(viz_panel *p) {
    p->refs++;
}

static void clear_series(viz_panel *p) {
    for (int i = 0; i < p->nseries; i++) {
        free(p->series[i].name);
        free(p->series[i].x);
        free(p->series[i].y);
    }
    free(p->series);
    p->series = NULL;
    p->nseries = 0;
    for (int i = 0; i < p->nmarkers; i++) free(p->markers[i].label);
    free(p->markers);
    p->markers = NULL;
    p->nmarkers = 0;
}

static void clear_points(viz_panel *p) {
    free(p->ptx), free(p->pty), free(p->ptcls), free(p->pthollow), free(p->ptval);
    free_strings(p->ptlabel, p->npts);
    p->ptx = p->pty = NULL, p->ptcls = NULL, p->pthollow = NULL, p->ptlabel = NULL;
    p->ptval = NULL;
    p->npts = p->ptcap = 0;
}

static void clear_images(viz_panel *p) {
    free(p->img);
    free_strings(p->caption, (size_t)p->in);
    p->img = NULL, p->caption = NULL, p->in = 0;
}

static void clear_bars(viz_panel *p) {
    free(p->bars);
    free_strings(p->glabels, (size_t)p->ngroups);
    free_strings(p->snames, (size_t)p->nbseries);
    p->bars = NULL, p->glabels = p->snames = NULL, p->ngroups = p->nbseries = 0;
}

void viz_panel_free(viz_panel *p) {
    if (!p || --p->refs > 0) return;
    for (int i = 0; i < 3; i++) free(p->label[i]);
    clear_series(p);
    clear_points(p);
    clear_images(p);
    clear_bars(p);
    free(p->ptlog.op);
    free(p->grid), free(p->levels), free(p->bg), free(p->sizes), free(p->weights), free(p->maps);
    free_strings(p->lname, (size_t)p->nlayers);
    free_strings(p->clsname, (size_t)p->nclsname);
    free(p->text);
    for (int i = 0; i < 2; i++)
        free(p->tickpos[i]), free_strings(p->ticklab[i], (size_t)p->ntick[i]);
    const viz_kind_def *k = kind_def(p->kind);
    if (k->free) k->free(p);
    free(p);
}

viz_kind viz_panel_kind(const viz_panel *p) {
    return p->kind;
}
const char *viz_panel_error(const viz_panel *p) {
    return p->err;
}
unsigned viz_panel_version(const viz_panel *p) {
    return p->version;
}

int panel_want(viz_panel *p, const char *setter, unsigned what) {
    const viz_kind_def *k = kind_def(p->kind);
    if (k->takes & what) return VIZ_OK;
    return panel_fail(p, VIZ_EINVAL, "%s: not available on a %s panel", setter, k->name);
}

int viz_panel_set_label(viz_panel *p, viz_label which, const char *text) {
    if ((int)which < 0 || which > VIZ_YLABEL)
        return panel_fail(p, VIZ_EINVAL, "label: unknown label %d", (int)which);
    char *d = NULL;
    if (text && !(d = dupstr(text))) return panel_fail(p, VIZ_ENOMEM, "label: out of memory");
    free(p->label[which]);
    p->label[which] = d;
    p->version++;
    return VIZ_OK;
}

int viz_panel_set_log(viz_panel *p, int xlog, int ylog) {
    p->xlog = !!xlog, p->ylog = !!ylog;
    p->version++;
    return VIZ_OK;
}

int viz_panel_set_range(viz_panel *p, int axis, double min, double max) {
    if (axis != 0 && axis != 1)
        return panel_fail(p, VIZ_EINVAL, "range: axis %d is not 0 or 1", axis);
    if (min > max) return panel_fail(p, VIZ_EINVAL, "range: min %g is above max %g", min, max);
    p->fix[axis][0] = min, p->fix[axis][1] = max;
    p->version++;
    return VIZ_OK;
}

int viz_panel_set_tick_labels(viz_panel *p, int axis, int n, const double *pos,
                              const char *const *labels) {
    if (axis != 0 && axis != 1)
        return panel_fail(p, VIZ_EINVAL, "tick labels: axis %d is not 0 or 1", axis);
    if (n < 0 || (n > 0 && (!pos || !labels)))
        return panel_fail(p, VIZ_EINVAL, "tick labels: %d labels without positions or names", n);
    for (int i = 0; i < n; i++)
        if (!isfinite(pos[i]) || !labels[i])
            return panel_fail(p, VIZ_EINVAL, "tick labels: label %d has no name or position %g", i,
                              pos[i]);
    double *np = NULL;
    char **nl = NULL;
    if (n > 0) {
        np = malloc((size_t)n * sizeof *np);
        nl = calloc((size_t)n, sizeof *nl);
        for (int i = 0; np && nl && i < n; i++)
            if (!(nl[i] = dupstr(labels[i]))) {
                free_strings(nl, (size_t)n);
                nl = NULL;
            }
        if (!np || !nl) {
            free(np), free_strings(nl, (size_t)n);
            return panel_fail(p, VIZ_ENOMEM, "tick labels: out of memory");
        }
        memcpy(np, pos, (size_t)n * sizeof *np);
    }
    free(p->tickpos[axis]), free_strings(p->ticklab[axis], (size_t)p->ntick[axis]);
    p->tickpos[axis] = np, p->ticklab[axis] = nl, p->ntick[axis] = n;
    p->version++;
    return VIZ_OK;
}

int viz_panel_set_map(viz_panel *p, viz_map map) {
    if ((int)map < VIZ_MAP_AUTO || map > VIZ_MAP_GRAY)
        return panel_fail(p, VIZ_EINVAL, "map: unknown colour map %d", (int)map);
    p->map = map;
    p->version++;
    return VIZ_OK;
}

/* ---- series ---- */

static viz_series *find_series(viz_panel *p, const char *name) {
    for (int i = 0; i < p->nseries; i++)
        if (strcmp(p->series[i].name, name) == 0) return &p->series[i];
    viz_series *ns = realloc(p->series, (size_t)(p->nseries + 1) * sizeof *ns);
    if (!ns) return NULL;
    p->series = ns;
    viz_series *s = &ns[p->nseries];
    memset(s, 0, sizeof *s);
    if (!(s->name = dupstr(name))) return NULL;
    p->nseries++;
    return s;
}

/* A series pushed to for hours stays bounded: the newest VIZ_SERIES_CAP/2 points stay
 * whole and the older ones (all but the very first) are halved. A line keeps, of each
 * four, the lowest and the highest in their order, so spikes and the curve's envelope
 * survive (drawing reduces to min/max per pixel column anyway); a trajectory (field,
 * surface) keeps every other point, as min/max of y means nothing for a path. Older
 * parts are halved again at each pass, so resolution falls off with age. */
static void decimate(viz_series *s, bool minmax) {
    size_t old_end = s->n - VIZ_SERIES_CAP / 2, w = 1; /* point 0 stays */
    size_t i = 1;
    for (; i + 4 <= old_end; i += 4) {
        size_t lo = SIZE_MAX, hi = SIZE_MAX;
        for (size_t k = i; k < i + 4; k++) {
            if (!minmax) break;
            if (!isfinite(s->y[k])) continue;
            if (lo == SIZE_MAX || s->y[k] < s->y[lo]) lo = k;
            if (hi == SIZE_MAX || s->y[k] > s->y[hi]) hi = k;
        }
        if (lo == SIZE_MAX) lo = i, hi = i + 2; /* a path, or a gap of NaNs: kept a gap */
        if (lo == hi) hi = lo == i ? i + 1 : i;
        size_t a = lo < hi ? lo : hi, b = lo < hi ? hi : lo;
        s->x[w] = s->x[a], s->y[w] = s->y[a], w++;
        s->x[w] = s->x[b], s->y[w] = s->y[b], w++;
    }
    memmove(s->x + w, s->x + i, (s->n - i) * sizeof *s->x);
    memmove(s->y + w, s->y + i, (s->n - i) * sizeof *s->y);
    s->n -= i - w;
}

int viz_series_add(viz_panel *p, const char *name, const float *x, const float *y, size_t n) {
    int rc = panel_want(p, "series", VIZ_TAKES_SERIES);
    if (rc) return rc;
    if (!name || !*name) name = "data";
    if (!y && n) return panel_fail(p, VIZ_EINVAL, "series %s: no y values", name);
    viz_series *s = find_series(p, name);
    if (!s) return panel_fail(p, VIZ_ENOMEM, "series %s: out of memory", name);
    if (s->n + n > s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap < s->n + n) cap *= 2;
        float *nx = realloc(s->x, cap * sizeof *nx);
        if (nx) s->x = nx;
        float *ny = realloc(s->y, cap * sizeof *ny);
        if (ny) s->y = ny;
        if (!nx || !ny) return panel_fail(p, VIZ_ENOMEM, "series %s: out of memory", name);
        s->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        s->x[s->n + i] = x ? x[i] : (float)(s->pushed + i + 1);
        s->y[s->n + i] = y[i];
    }
    s->n += n, s->pushed += n;
    while (s->n > VIZ_SERIES_CAP) decimate(s, p->kind == VIZ_LINES);
    if (s->cap > 2 * VIZ_SERIES_CAP) { /* a long p:add shrinks back; failing keeps it */
        float *nx = realloc(s->x, VIZ_SERIES_CAP * sizeof *nx);
        if (nx) s->x = nx;
        float *ny = nx ? realloc(s->y, VIZ_SERIES_CAP * sizeof *ny) : NULL;
        if (ny) s->y = ny, s->cap = VIZ_SERIES_CAP;
    }
    p->version++;
    return VIZ_OK;
}

int viz_series_set_smooth(viz_panel *p, double alpha) {
    if (!(alpha >= 0 && alpha < 1))
        return panel_fail(p, VIZ_EINVAL, "smooth: %g is not in [0, 1)", alpha);
    p->smooth = alpha;
    p->version++;
    return VIZ_OK;
}

int viz_panel_add_marker(viz_panel *p, double x, const char *label) {
    int rc = panel_want(p, "marker", VIZ_TAKES_MARKERS);
    if (rc) return rc;
    viz_marker *m = realloc(p->markers, (size_t)(p->nmarkers + 1) * sizeof *m);
    if (!m) return panel_fail(p, VIZ_ENOMEM, "marker: out of memory");
    p->markers = m;
    m[p->nmarkers].x = x;
    m[p->nmarkers].x1 = NAN;
    m[p->nmarkers].label = dupstr(label ? label : "");
    p->nmarkers++;
    p->version++;
    return VIZ_OK;
}

int viz_panel_add_band(viz_panel *p, double x0, double x1) {
    if (!isfinite(x0) || !isfinite(x1)) { /* NaN, not the "-nan" printf writes for 0/0 */
        char a[32], b[32];
        snprintf(a, sizeof a, isnan(x0) ? "NaN" : "%g", x0);
        snprintf(b, sizeof b, isnan(x1) ? "NaN" : "%g", x1);
        return panel_fail(p, VIZ_EINVAL, "band: the ends must be finite numbers, got %s and %s", a,
                          b);
    }
    int rc = viz_panel_add_marker(p, fmin(x0, x1), NULL);
    if (rc) return rc;
    p->markers[p->nmarkers - 1].x1 = fmax(x0, x1);
    return VIZ_OK;
}

int viz_series_clear(viz_panel *p) {
    clear_series(p);
    p->version++;
    return VIZ_OK;
}

/* ---- grids: field and surface ---- */

static int set_grid(viz_panel *p, const char *what, const float *v, int w, int h, int k, int cells,
                    double xmin, double xmax, double ymin, double ymax) {
    int least = cells ? 1 : 2; /* nodes to lerp between need two a side, cells one */
    if (w < least || h < least || k < 1)
        return panel_fail(p, VIZ_EINVAL, "%s: grid %d x %d is too small (at least %d x %d)", what,
                          w, h, least, least);
    if (!(xmax > xmin) || !(ymax > ymin))
        return panel_fail(p, VIZ_EINVAL, "%s: empty range x [%g, %g], y [%g, %g]", what, xmin, xmax,
                          ymin, ymax);
    size_t n = (size_t)w * h * k;
    float *g = malloc(n * sizeof *g);
    if (!g) return panel_fail(p, VIZ_ENOMEM, "%s: out of memory for %d x %d", what, w, h);
    memcpy(g, v, n * sizeof *g);
    free(p->grid);
    p->grid = g;
    p->grid_gen++;
    p->gw = w, p->gh = h, p->gk = k, p->gcells = cells;
    p->gx0 = xmin, p->gx1 = xmax, p->gy0 = ymin, p->gy1 = ymax;
    p->version++;
    return VIZ_OK;
}

int viz_field_set(viz_panel *p, const float *v, int w, int h, double xmin, double xmax, double ymin,
                  double ymax) {
    int rc = panel_want(p, "field", VIZ_TAKES_GRID);
    return rc ? rc : set_grid(p, "field", v, w, h, 1, 0, xmin, xmax, ymin, ymax);
}

int viz_field_set_cells(viz_panel *p, const float *v, int w, int h, double xmin, double xmax,
                        double ymin, double ymax) {
    if (p->kind != VIZ_FIELD)
        return panel_fail(p, VIZ_EINVAL, "field cells: not available on a %s panel",
                          viz_kind_name(p->kind));
    return set_grid(p, "field cells", v, w, h, 1, 1, xmin, xmax, ymin, ymax);
}

int viz_field_set_value_range(viz_panel *p, double lo, double hi) {
    if (p->kind != VIZ_FIELD)
        return panel_fail(p, VIZ_EINVAL, "value range: not available on a %s panel",
                          viz_kind_name(p->kind));
    int automatic = isnan(lo) || isnan(hi) || lo == hi;
    if (!automatic && (!(lo < hi) || !isfinite(lo) || !isfinite(hi)))
        return panel_fail(p, VIZ_EINVAL, "value range: [%g, %g] is not lo < hi", lo, hi);
    p->vfix[0] = automatic ? NAN : lo, p->vfix[1] = automatic ? NAN : hi;
    p->version++;
    return VIZ_OK;
}

int viz_field_set_classes(viz_panel *p, const float *prob, int w, int h, int k, double xmin,
                          double xmax, double ymin, double ymax) {
    int rc = panel_want(p, "field classes", VIZ_TAKES_CLASSES);
    if (rc) return rc;
    if (k < 2) return panel_fail(p, VIZ_EINVAL, "field classes: %d classes, need at least 2", k);
    return set_grid(p, "field classes", prob, w, h, k, 0, xmin, xmax, ymin, ymax);
}

int viz_field_set_levels(viz_panel *p, const double *levels, int n, int count) {
    int rc = panel_want(p, "levels", VIZ_TAKES_LEVELS);
    if (rc) return rc;
    if (n < 0 || count < 0 || n > 256 || count > 30)
        return panel_fail(p, VIZ_EINVAL, "levels: %d levels / count %d out of range", n, count);
    double *l = NULL;
    if (n > 0) {
        if (!(l = malloc((size_t)n * sizeof *l))) return panel_fail(p, VIZ_ENOMEM, "levels");
        memcpy(l, levels, (size_t)n * sizeof *l);
    }
    free(p->levels);
    p->levels = l;
    p->nlevels = n;
    p->nauto = count;
    p->version++;
    return VIZ_OK;
}

int viz_surface_set(viz_panel *p, const float *v, int w, int h, double xmin, double xmax,
                    double ymin, double ymax) {
    int rc = panel_want(p, "surface", VIZ_TAKES_GRID);
    return rc ? rc : set_grid(p, "surface", v, w, h, 1, 0, xmin, xmax, ymin, ymax);
}

int viz_surface_set_view(viz_panel *p, double yaw, double pitch, int shaded) {
    if (!isfinite(yaw) || !isfinite(pitch))
        return panel_fail(p, VIZ_EINVAL, "view: yaw %g, pitch %g", yaw, pitch);
    p->yaw = fmod(yaw, 360);
    p->pitch = pitch < 5 ? 5 : pitch > 89 ? 89 : pitch;
    p->shaded = !!shaded;
    p->version++;
    return VIZ_OK;
}

/* ---- points ---- */

int viz_points_add(viz_panel *p, const float *x, const float *y, const int *cls, size_t n,
                   int hollow) {
    int rc = panel_want(p, "points", VIZ_TAKES_POINTS);
    if (rc) return rc;
    if (p->npts + n > p->ptcap) {
        size_t cap = p->ptcap ? p->ptcap : 64;
        while (cap < p->npts + n) cap *= 2;
        float *nx = realloc(p->ptx, cap * sizeof *nx);
        if (nx) p->ptx = nx;
        float *ny = realloc(p->pty, cap * sizeof *ny);
        if (ny) p->pty = ny;
        int *nc = realloc(p->ptcls, cap * sizeof *nc);
        if (nc) p->ptcls = nc;
        unsigned char *nh = realloc(p->pthollow, cap);
        if (nh) p->pthollow = nh;
        char **nl = realloc(p->ptlabel, cap * sizeof *nl);
        if (nl) p->ptlabel = nl;
        float *nv = realloc(p->ptval, cap * sizeof *nv);
        if (nv) p->ptval = nv;
        if (!nx || !ny || !nc || !nh || !nl || !nv)
            return panel_fail(p, VIZ_ENOMEM, "points: out of memory for %zu", p->npts + n);
        p->ptcap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = p->npts + i;
        p->ptx[k] = x[i], p->pty[k] = y[i];
        p->ptcls[k] = cls ? cls[i] : 0;
        p->pthollow[k] = !!hollow;
        p->ptlabel[k] = NULL;
        p->ptval[k] = NAN;
    }
    p->npts += n;
    p->version++;
    return VIZ_OK;
}

int viz_points_set_labels(viz_panel *p, const char *const *labels, size_t n) {
    if (n > p->npts)
        return panel_fail(p, VIZ_EINVAL, "labels: %zu labels for %zu points", n, p->npts);
    for (size_t i = 0; i < n; i++) {
        char *d = labels[i] ? dupstr(labels[i]) : NULL;
        free(p->ptlabel[i]);
        p->ptlabel[i] = d;
    }
    p->version++;
    return VIZ_OK;
}

int viz_points_set_values(viz_panel *p, const float *v, size_t n) {
    if (n > p->npts)
        return panel_fail(p, VIZ_EINVAL, "values: %zu values for %zu points", n, p->npts);
    for (size_t i = 0; i < n; i++) p->ptval[i] = v[i];
    p->version++;
    return VIZ_OK;
}

int viz_points_set_class_names(viz_panel *p, const char *const *names, int n) {
    int rc = panel_want(p, "class names", VIZ_TAKES_POINTS);
    if (rc) return rc;
    if (n < 0) return panel_fail(p, VIZ_EINVAL, "class names: %d names", n);
    char **d = n ? calloc((size_t)n, sizeof *d) : NULL;
    if (n && !d) return panel_fail(p, VIZ_ENOMEM, "class names: out of memory");
    for (int i = 0; i < n; i++)
        if (names[i] && !(d[i] = dupstr(names[i]))) {
            free_strings(d, (size_t)n);
            return panel_fail(p, VIZ_ENOMEM, "class names: out of memory");
        }
    free_strings(p->clsname, (size_t)p->nclsname);
    p->clsname = d, p->nclsname = n;
    p->version++;
    return VIZ_OK;
}

int viz_points_clear(viz_panel *p) {
    clear_points(p);
    p->version++;
    return VIZ_OK;
}

/* ---- images ---- */

int viz_images_set(viz_panel *p, const float *data, int n, int h, int w, int channels, int shared,
                   int cols) {
    int rc = panel_want(p, "images", VIZ_TAKES_IMAGES);
    if (rc) return rc;
    if (n < 1 || h < 1 || w < 1 || (channels != 1 && channels != 3) || cols < 0)
        return panel_fail(p, VIZ_EINVAL,
                          "images: %d images of %d x %d with %d channels (need 1 or 3)", n, h, w,
                          channels);
    size_t sz = (size_t)n * h * w * channels;
    float *img = malloc(sz * sizeof *img);
    char **cap = calloc((size_t)n, sizeof *cap);
    if (!img || !cap) {
        free(img), free(cap);
        return panel_fail(p, VIZ_ENOMEM, "images: out of memory for %d images", n);
    }
    memcpy(img, data, sz * sizeof *img);
    /* keep captions when the same number of images comes again (live feature maps) */
    if (p->in == n && p->caption) {
        free(cap);
        cap = p->caption;
        p->caption = NULL;
    }
    clear_images(p);
    p->img = img, p->caption = cap;
    p->in = n, p->ih = h, p->iw = w, p->ic = channels, p->ishared = !!shared, p->icols = cols;
    p->version++;
    return VIZ_OK;
}

int viz_images_set_caption(viz_panel *p, int i, const char *text) {
    if (i < 0 || i >= p->in)
        return panel_fail(p, VIZ_EINVAL, "caption: image %d of %d", i + 1, p->in);
    char *d = text ? dupstr(text) : NULL;
    free(p->caption[i]);
    p->caption[i] = d;
    p->version++;
    return VIZ_OK;
}

/* ---- bars, histogram ---- */

static char **dup_strings(const char *const *s, int n) {
    if (!s) return NULL;
    char **d = calloc((size_t)n, sizeof *d);
    if (!d) return NULL;
    for (int i = 0; i < n; i++) d[i] = dupstr(s[i]);
    return d;
}

int viz_bars_set(viz_panel *p, const float *v, int ngroups, int nseries,
                 const char *const *group_labels, const char *const *series_names) {
    int rc = panel_want(p, "bars", VIZ_TAKES_BARS);
    if (rc) return rc;
    if (ngroups < 1 || nseries < 1)
        return panel_fail(p, VIZ_EINVAL, "bars: %d groups of %d bars", ngroups, nseries);
    size_t n = (size_t)ngroups * nseries;
    float *b = malloc(n * sizeof *b);
    if (!b) return panel_fail(p, VIZ_ENOMEM, "bars: out of memory");
    memcpy(b, v, n * sizeof *b);
    clear_bars(p);
    p->bars = b, p->ngroups = ngroups, p->nbseries = nseries;
    p->glabels = dup_strings(group_labels, ngroups);
    p->snames = dup_strings(series_names, nseries);
    p->version++;
    return VIZ_OK;
}

int viz_hist_set(viz_panel *p, const float *v, size_t n, int bins) {
    int rc = panel_want(p, "hist", VIZ_TAKES_HIST);
    if (rc) return rc;
    if (bins < 1 || bins > 10000) return panel_fail(p, VIZ_EINVAL, "hist: %d bins", bins);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
    if (!(lo <= hi)) return panel_fail(p, VIZ_EINVAL, "hist: no finite values among %zu", n);
    if (hi == lo) lo -= 0.5, hi += 0.5;
    float *b = calloc((size_t)bins, sizeof *b);
    if (!b) return panel_fail(p, VIZ_ENOMEM, "hist: out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) continue;
        int k = (int)((v[i] - lo) / (hi - lo) * bins);
        b[k >= bins ? bins - 1 : k] += 1;
    }
    clear_bars(p);
    p->bars = b, p->ngroups = bins, p->nbseries = 1;
    p->hlo = lo, p->hhi = hi;
    p->version++;
    return VIZ_OK;
}

/* ---- network ---- */

int viz_network_set(viz_panel *p, const int *sizes, int nlayers, const float *weights) {
    int rc = panel_want(p, "network", VIZ_TAKES_NETWORK);
    if (rc) return rc;
    if (nlayers < 1 || nlayers > 64)
        return panel_fail(p, VIZ_EINVAL, "network: %d layers (1 to 64)", nlayers);
    size_t nw = 0;
    for (int l = 0; l < nlayers; l++) {
        if (sizes[l] < 1 || sizes[l] > 512)
            return panel_fail(p, VIZ_EINVAL, "network: layer %d has %d nodes (1 to 512)", l + 1,
                              sizes[l]);
        if (l + 1 < nlayers) nw += (size_t)sizes[l] * sizes[l + 1];
    }
    int *s = malloc((size_t)nlayers * sizeof *s);
    float *w = weights && nw ? malloc(nw * sizeof *w) : NULL;
    if (!s || (weights && nw && !w)) {
        free(s), free(w);
        return panel_fail(p, VIZ_ENOMEM, "network: out of memory");
    }
    memcpy(s, sizes, (size_t)nlayers * sizeof *s);
    if (w) memcpy(w, weights, nw * sizeof *w);
    free(p->sizes), free(p->weights);
    free_strings(p->lname, (size_t)p->nlayers);
    p->lname = NULL;
    p->sizes = s, p->nlayers = nlayers, p->weights = w, p->nweights = w ? nw : 0;
    p->version++;
    return VIZ_OK;
}

int viz_network_set_names(viz_panel *p, const char *const *names, int n) {
    int rc = panel_want(p, "network names", VIZ_TAKES_NETWORK);
    if (rc) return rc;
    if (n != p->nlayers)
        return panel_fail(p, VIZ_EINVAL, "network names: %d names for %d layers", n, p->nlayers);
    char **s = calloc((size_t)n, sizeof *s);
    if (!s) return panel_fail(p, VIZ_ENOMEM, "network names: out of memory");
    for (int l = 0; l < n; l++)
        if (names[l] && !(s[l] = dupstr(names[l]))) {
            free_strings(s, (size_t)n);
            return panel_fail(p, VIZ_ENOMEM, "network names: out of memory");
        }
    free_strings(p->lname, (size_t)p->nlayers);
    p->lname = s;
    p->version++;
    return VIZ_OK;
}

int viz_panel_set_palette(viz_panel *p, int palette) {
    if (palette != 0 && palette != 1)
        return panel_fail(p, VIZ_EINVAL, "palette: %d (0 series, 1 marks)", palette);
    p->palette = palette;
    p->version++;
    return VIZ_OK;
}

int viz_network_set_maps(viz_panel *p, const float *maps, int nnodes, int res) {
    int rc = panel_want(p, "network maps", VIZ_TAKES_NETWORK);
    if (rc) return rc;
    int total = 0;
    for (int l = 0; l < p->nlayers; l++) total += p->sizes[l];
    if (nnodes != total || res < 2 || res > 256)
        return panel_fail(p, VIZ_EINVAL, "network maps: %d maps of %d x %d for %d nodes", nnodes,
                          res, res, total);
    size_t n = (size_t)nnodes * res * res;
    float *m = malloc(n * sizeof *m);
    if (!m) return panel_fail(p, VIZ_ENOMEM, "network maps: out of memory");
    memcpy(m, maps, n * sizeof *m);
    free(p->maps);
    p->maps = m, p->nmaps = nnodes, p->mapres = res;
    p->version++;
    return VIZ_OK;
}

int viz_text_set(viz_panel *p, const char *text) {
    int rc = panel_want(p, "text", VIZ_TAKES_TEXT);
    if (rc) return rc;
    char *d = dupstr(text ? text : "");
    if (!d) return panel_fail(p, VIZ_ENOMEM, "text: out of memory");
    free(p->text);
    p->text = d;
    p->version++;
    return VIZ_OK;
}
