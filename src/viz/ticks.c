/* ticks.c: nice axis ticks (1-2-5 steps, Heckbert's "nice numbers"), decade ticks for
 * log axes, and their labels. Says nothing of pixels: axes.c chooses how many fit. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vizint.h"

static double nice_step(double range, int n) {
    double raw = range / (n > 1 ? n : 1);
    double e = pow(10, floor(log10(raw)));
    double f = raw / e;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
}

/* The next nice step above s: 1, 2, 2.5, 5, 10 times a power of ten. */
static double next_step(double s) {
    double e = pow(10, floor(log10(s) + 1e-9)), f = s / e;
    return (f < 1.5 ? 2 : f < 2.25 ? 2.5 : f < 3.5 ? 5 : 10) * e;
}

int ticks_nice(double lo, double hi, int maxn, double *out, double *step) {
    if (!(hi > lo) || !isfinite(lo) || !isfinite(hi)) {
        out[0] = lo;
        *step = 1;
        return 1;
    }
    if (maxn < 2) maxn = 2;
    if (maxn > VIZ_MAX_TICKS) maxn = VIZ_MAX_TICKS;
    double s = nice_step(hi - lo, maxn - 1);
    int n;
    for (;;) { /* rounding the ends can leave one tick too many: take the next step */
        n = 0;
        double eps = s * 1e-9;
        double k0 = ceil(lo / s - 1e-9);
        for (double v = k0 * s; v <= hi + eps && n < VIZ_MAX_TICKS; v = (k0 + n) * s)
            out[n++] = fabs(v) < eps ? 0 : v;
        if (n <= maxn) break;
        s = next_step(s);
    }
    *step = s;
    return n;
}

int ticks_log(double lo, double hi, int maxn, double *out) {
    if (!(lo > 0) || !(hi > lo)) return ticks_nice(lo, hi, maxn, out, &(double){0});
    int e0 = (int)ceil(log10(lo) - 1e-9), e1 = (int)floor(log10(hi) + 1e-9);
    int n = 0;
    if (e1 - e0 + 1 >= 3) { /* three decades or more: powers of ten are enough */
        int every = (e1 - e0) / (maxn > 1 ? maxn : 1) + 1; /* every k-th decade */
        for (int e = e0; e <= e1 && n < VIZ_MAX_TICKS; e++)
            if ((e - e0) % every == 0) out[n++] = pow(10, e);
        return n;
    }
    /* under three decades: 1, 2, 5 times powers of ten, thinned to fit */
    static const double m[3] = {1, 2, 5};
    for (int e = e0 - 1; e <= e1 + 1; e++)
        for (int k = 0; k < 3 && n < VIZ_MAX_TICKS; k++) {
            double v = m[k] * pow(10, e);
            if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out[n++] = v;
        }
    if (n < 2) return ticks_nice(lo, hi, maxn, out, &(double){0});
    if (n > maxn) { /* keep the powers of ten only */
        int k = 0;
        for (int i = 0; i < n; i++) {
            double m0 = out[i] / pow(10, floor(log10(out[i]) + 1e-9));
            if (fabs(m0 - 1) < 1e-6) out[k++] = out[i];
        }
        if (k >= 2) n = k;
    }
    return n;
}

/* How one axis writes its numbers: plain decimals, a k or M suffix, or mantissa and
 * exponent ("2.5e-6"), with dec decimals. One format a axis, so that "1000" never sits
 * next to "1e4". */
typedef enum { FMT_FIXED, FMT_SUFFIX, FMT_SCI, FMT_G } fmt_kind;
typedef struct {
    fmt_kind kind;
    int dec;
    double unit; /* FMT_SUFFIX: 1e3 or 1e6 */
} label_fmt;

static int decade(double a) {
    return (int)floor(log10(a) + 1e-9);
}

/* Decimals that write every multiple of step exactly: 0.25 -> 2, 2.5 -> 1, 200 -> 0. */
static int step_decimals(double step) {
    int dec = (int)ceil(-log10(step) - 1e-9);
    if (fabs(step * pow(10, dec) - round(step * pow(10, dec))) > 1e-6) dec++;
    return dec < 0 ? 0 : dec;
}

/* Mantissa decimals that tell v from v + step in the v's own decade. */
static int sci_decimals(double v, double step) {
    if (!(step > 0)) return 2; /* a lone value: three significant digits */
    int es = decade(step);
    return decade(fabs(v)) - es + step_decimals(step / pow(10, es));
}

/* The format of n values, the last ends of them the data's ends: those choose between
 * notations but not the decimals of the ticks. */
static label_fmt choose_format(const double *v, int n, int ends, double step, int log) {
    double amax = 0, amin = INFINITY;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] != 0)
            amax = fmax(amax, fabs(v[i])), amin = fmin(amin, fabs(v[i]));
    label_fmt f = {FMT_FIXED, 0, 1};
    if (amax == 0) return f;
    if (log) {
        if (amin >= 1e-3 && amax < 1e4) return (label_fmt){FMT_G, 0, 1};
        f.kind = FMT_SCI;
        for (int i = 0; i < n - ends; i++) {
            if (!isfinite(v[i]) || v[i] == 0) continue;
            double m = fabs(v[i]) / pow(10, decade(fabs(v[i])));
            if (fabs(m - round(m)) > 1e-6) f.dec = 1;
        }
        return f;
    }
    if (step >= 1000 && amax >= 1000 && amax < 1e9) {
        f.kind = FMT_SUFFIX;
        f.unit = amax >= 1e6 && step >= 1e5 ? 1e6 : 1e3;
        f.dec = step_decimals(step / f.unit);
        return f;
    }
    f.dec = step > 0 ? step_decimals(step) : 3;
    if (amax < 1e5 && amax >= 1e-4 && f.dec <= 6) return f;
    f.kind = FMT_SCI, f.dec = 0;
    for (int i = 0; i < n - ends; i++)
        if (isfinite(v[i]) && v[i] != 0 && sci_decimals(v[i], step) > f.dec)
            f.dec = sci_decimals(v[i], step);
    if (f.dec > 8) f.dec = 8;
    return f;
}

/* Writes v in format f; fine: one more digit (the data's own ends on a colour bar). */
static void format_one(const label_fmt *f, double v, int fine, char *buf, size_t n) {
    if (v == 0 || !isfinite(v)) {
        snprintf(buf, n, v == 0 ? "0" : "%g", v);
        return;
    }
    double a = fabs(v);
    int dec = f->dec;
    if (fine) { /* the finer digit only where the end is not already exact ("2.0", not "2.00") */
        double u = f->kind == FMT_SUFFIX ? v / f->unit
                   : f->kind == FMT_SCI  ? v / pow(10, decade(a))
                                         : v;
        double q = u * pow(10, dec);
        if (f->kind == FMT_G || fabs(q - round(q)) > 1e-6 * fmax(1, fabs(q))) dec++;
    }
    switch (f->kind) {
    case FMT_SUFFIX:
        snprintf(buf, n, "%.*f%s", dec, v / f->unit, f->unit == 1e6 ? "M" : "k");
        return;
    case FMT_G:
        if (fine) /* two significant digits, never an exponent */
            snprintf(buf, n, "%.*f", decade(a) < 1 ? 1 - decade(a) : 0, v);
        else
            snprintf(buf, n, "%g", v);
        return;
    case FMT_SCI: {
        int e = decade(a);
        double m = v / pow(10, e);
        if (fabs(m) >= 10 - 0.5 * pow(10, -dec)) m /= 10, e++; /* 9.97 would read "10.0" */
        snprintf(buf, n, "%.*fe%d", dec, m, e);
        return;
    }
    case FMT_FIXED:
        snprintf(buf, n, "%.*f", dec, v);
        return;
    }
}

void ticks_labels(const double *v, int n, double step, int log, int ends,
                  char (*out)[VIZ_TICK_LABEL]) {
    label_fmt f = choose_format(v, n, ends, step, log);
    for (int i = 0; i < n; i++) format_one(&f, v[i], i >= n - ends, out[i], VIZ_TICK_LABEL);
}

void tick_format(double v, double step, int log, char *buf, size_t n) {
    char out[1][VIZ_TICK_LABEL];
    ticks_labels(&v, 1, step, log, 0, out);
    snprintf(buf, n, "%s", out[0]);
}

void range_nice(double *lo, double *hi, int log) {
    if (!isfinite(*lo) || !isfinite(*hi)) {
        *lo = 0, *hi = 1;
        return;
    }
    if (log) {
        if (!(*lo > 0)) *lo = *hi > 0 ? *hi / 10 : 1;
        if (!(*hi > *lo)) *hi = *lo * 10;
        double pad = pow(*hi / *lo, 0.04); /* 4% of the decades on each side */
        *lo /= pad, *hi *= pad;
        return;
    }
    if (*hi == *lo) {
        double d = *lo == 0 ? 1 : fabs(*lo) * 0.1;
        *lo -= d, *hi += d;
        return;
    }
    double pad = (*hi - *lo) * 0.04;
    *lo -= pad;
    *hi += pad;
}
