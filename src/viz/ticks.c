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

void tick_format(double v, double step, int log, char *buf, size_t n) {
    if (v == 0) {
        snprintf(buf, n, "0");
        return;
    }
    double a = fabs(v);
    /* big round steps read best with a suffix: 20k, 40k, ... 100k; 1.5M */
    if (!log && step >= 1000 && a >= 1000) {
        double unit = step >= 1e6 && a >= 1e6 ? 1e6 : 1e3;
        double m = v / unit, sm = step / unit;
        int dec = sm >= 1 ? 0 : (int)ceil(-log10(sm) - 1e-9);
        snprintf(buf, n, "%.*f%s", dec > 3 ? 3 : dec, m, unit == 1e6 ? "M" : "k");
        return;
    }
    if (log || a >= 1e5 || a < 1e-4) {
        if (log && a >= 1e-3 && a < 1e4) {
            snprintf(buf, n, "%g", v);
            return;
        }
        int e = (int)floor(log10(a) + 1e-9);
        double m = v / pow(10, e);
        if (fabs(m - round(m)) < 1e-6)
            snprintf(buf, n, "%.0fe%d", m, e);
        else
            snprintf(buf, n, "%.1fe%d", m, e);
        return;
    }
    /* as many decimals as the step needs */
    int dec = step > 0 ? (int)ceil(-log10(step) - 1e-9) : 3;
    if (step > 0 && fabs(step * pow(10, dec) - round(step * pow(10, dec))) > 1e-6) dec++;
    if (dec < 0) dec = 0;
    if (dec > 6) dec = 6;
    snprintf(buf, n, "%.*f", dec, v);
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
