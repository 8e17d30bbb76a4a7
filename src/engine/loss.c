/* loss.c: the losses as direct kernels: the mean over the batch (a weighted mean
 * with class weights) and its gradient with respect to the predictions in one pass.
 * Cross-entropies take logits and are fused with log-softmax/log-sigmoid so that no
 * exp overflows. The same losses built from ops are in loss_graph.c. */
#include <math.h>
#include <string.h>

#include "train_internal.h"

static const char *const loss_names[NN_LOSS_COUNT] = {
    "mse", "mae", "huber", "bce", "cross_entropy", "hinge", "multi_hinge", "seq_cross_entropy",
};

const char *nn_loss_name(nn_loss_kind kind) {
    return (unsigned)kind < NN_LOSS_COUNT ? loss_names[kind] : NULL;
}

static const nn_name_alias loss_aliases[] = {
    {"ce", NN_LOSS_CE},
    {"categorical_crossentropy", NN_LOSS_CE},
    {"binary_cross_entropy", NN_LOSS_BCE},
    {"binary_crossentropy", NN_LOSS_BCE},
    {NULL, 0},
};

int nn_loss_from_name(const char *name) {
    return nn_kind_from_name(name, loss_names, NN_LOSS_COUNT, loss_aliases);
}

/* The class of row r of t: an index column, or the argmax of a one-hot row. */
static int target_class(const float *t, int r, int tcols, int k) {
    if (tcols == 1) return (int)t[r];
    const float *tr = t + (int64_t)r * k;
    int c = 0;
    for (int j = 1; j < k; j++) c = tr[j] > tr[c] ? j : c;
    return c;
}

static int check_classes(nn_ctx *ctx, const char *who, const float *t, int B, int tcols, int k) {
    if (tcols != 1 && tcols != k)
        return nn_errorf(ctx, NN_ESHAPE,
                         "%s: targets must be [%d,1] class indices or [%d,%d], got [%d,%d]", who, B,
                         B, k, B, tcols);
    if (tcols == 1)
        for (int r = 0; r < B; r++)
            if (!(t[r] >= 0 && t[r] < k) || t[r] != floorf(t[r]))
                return nn_errorf(ctx, NN_EARG, "%s: target %g of row %d is not a class 0..%d", who,
                                 t[r], r + 1, k - 1);
    return NN_OK;
}

/* Cross-entropy with logits, per row: l = logsumexp(y) - sum_j t_j y_j (t one-hot or
 * a distribution; an index c means t = e_c); dl/dy_j = softmax_j sum(t) - t_j. */
static double ce(const float *y, int B, int k, const float *t, int tcols, const float *cw,
                 float *dy) {
    double tot = 0, wsum = 0;
    for (int r = 0; r < B; r++) {
        const float *yr = y + (int64_t)r * k;
        float mx = yr[0];
        for (int j = 1; j < k; j++) mx = yr[j] > mx ? yr[j] : mx;
        double se = 0;
        for (int j = 0; j < k; j++) se += exp((double)yr[j] - mx);
        double lse = mx + log(se), l = 0, w = 0, ts = 0;
        if (tcols == 1) {
            int c = (int)t[r];
            l = lse - yr[c];
            w = cw ? cw[c] : 1;
            ts = 1;
        } else {
            const float *tr = t + (int64_t)r * k;
            for (int j = 0; j < k; j++) {
                l -= tr[j] * (yr[j] - lse);
                w += cw ? tr[j] * cw[j] : tr[j];
                ts += tr[j];
            }
            if (!cw) w = 1;
        }
        tot += w * l;
        wsum += w;
        if (dy) {
            float *dr = dy + (int64_t)r * k;
            for (int j = 0; j < k; j++) {
                double tj = tcols == 1 ? (j == (int)t[r]) : t[(int64_t)r * k + j];
                dr[j] = (float)(w * (exp((double)yr[j] - lse) * ts - tj)); /* scaled below */
            }
        }
    }
    return wsum > 0 ? tot / wsum : 0;
}

/* A regression target has no class to weigh by: class weights are refused for it
 * rather than ignored. */
int nn_loss_check_weights(nn_ctx *ctx, nn_loss_kind kind, const float *weights) {
    if (!weights || (kind != NN_LOSS_MSE && kind != NN_LOSS_MAE && kind != NN_LOSS_HUBER))
        return NN_OK;
    const char *who = nn_loss_name(kind);
    return nn_errorf(ctx, NN_EARG,
                     "%s: class weights need a classification loss (bce, cross_entropy, hinge, "
                     "multi_hinge); %s is a regression loss",
                     who, who);
}

int nn_loss(nn_ctx *ctx, nn_loss_kind kind, const float *y, int B, int k, const float *t, int tcols,
            const float *weights, float delta, double *loss, float *dy) {
    int64_t n = (int64_t)B * k;
    const char *who = nn_loss_name(kind);
    if (!who) return nn_errorf(ctx, NN_EARG, "unknown loss kind %d", (int)kind);
    if (B < 1 || k < 1) return nn_errorf(ctx, NN_EARG, "%s: empty predictions [%d,%d]", who, B, k);
    if (kind == NN_LOSS_SEQ_CE) return nn_seq_ce(ctx, y, B, k, t, tcols, loss, dy); /* loss_seq.c */
    bool per_class = kind == NN_LOSS_CE || kind == NN_LOSS_MULTI_HINGE;
    if (per_class) {
        int rc = check_classes(ctx, who, t, B, tcols, k);
        if (rc) return rc;
        if (kind == NN_LOSS_CE && k < 2)
            return nn_errorf(ctx, NN_ESHAPE,
                             "cross_entropy: needs one logit per class (>= 2 columns), got %d; use "
                             "bce for one output",
                             k);
    } else if (tcols != k) {
        return nn_errorf(ctx, NN_ESHAPE, "%s: predictions [%d,%d] and targets [%d,%d] differ", who,
                         B, k, B, tcols);
    }
    int wrc = nn_loss_check_weights(ctx, kind, weights);
    if (wrc) return wrc;
    double s = 0, wsum = 0;
    switch (kind) {
    case NN_LOSS_MSE:
        for (int64_t i = 0; i < n; i++) {
            double d = (double)y[i] - t[i];
            s += d * d;
            if (dy) dy[i] = (float)(2 * d / n);
        }
        *loss = s / n;
        return NN_OK;
    case NN_LOSS_MAE:
        for (int64_t i = 0; i < n; i++) {
            double d = (double)y[i] - t[i];
            s += fabs(d);
            if (dy) dy[i] = (float)(((d > 0) - (d < 0)) / (double)n);
        }
        *loss = s / n;
        return NN_OK;
    case NN_LOSS_HUBER:
        if (!(delta > 0)) return nn_errorf(ctx, NN_EARG, "huber: delta must be > 0, got %g", delta);
        for (int64_t i = 0; i < n; i++) {
            double d = (double)y[i] - t[i], a = fabs(d);
            s += a <= delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
            if (dy) dy[i] = (float)((a <= delta ? d : delta * ((d > 0) - (d < 0))) / n);
        }
        *loss = s / n;
        return NN_OK;
    case NN_LOSS_BCE:
        /* l = max(y,0) - y t + log(1 + exp(-|y|)); dl/dy = sigmoid(y) - t */
        for (int64_t i = 0; i < n; i++) {
            double yi = y[i], w = weights ? weights[0] * (1 - t[i]) + weights[1] * t[i] : 1;
            s += w * (fmax(yi, 0) - yi * t[i] + log1p(exp(-fabs(yi))));
            wsum += w;
            if (dy) dy[i] = (float)(w * (1 / (1 + exp(-yi)) - t[i]));
        }
        break;
    case NN_LOSS_CE:
        *loss = ce(y, B, k, t, tcols, weights, dy);
        if (dy) {
            double ws = 0;
            for (int r = 0; r < B; r++) {
                if (tcols == 1)
                    ws += weights ? weights[(int)t[r]] : 1;
                else if (!weights)
                    ws += 1;
                else
                    for (int j = 0; j < k; j++) ws += t[(int64_t)r * k + j] * weights[j];
            }
            float inv = ws > 0 ? (float)(1 / ws) : 0;
            for (int64_t i = 0; i < n; i++) dy[i] *= inv;
        }
        return NN_OK;
    case NN_LOSS_HINGE:
        /* targets 0/1 or -1/+1 map to s = -1/+1; l = max(0, 1 - s y), weighted as BCE
         * by the target's class: w0 for s = -1, w1 for s = +1 */
        for (int64_t i = 0; i < n; i++) {
            double sgn = t[i] > 0 ? 1 : -1, m = 1 - sgn * y[i];
            double w = weights ? weights[t[i] > 0] : 1;
            s += w * (m > 0 ? m : 0);
            wsum += w;
            if (dy) dy[i] = (float)(m > 0 ? -sgn * w : 0);
        }
        break;
    case NN_LOSS_MULTI_HINGE:
        /* l = sum_{j != c} max(0, 1 + y_j - y_c) (Weston-Watkins, as CS231n) */
        for (int r = 0; r < B; r++) {
            const float *yr = y + (int64_t)r * k;
            int c = target_class(t, r, tcols, k);
            double w = weights ? weights[c] : 1, l = 0;
            float *dr = dy ? dy + (int64_t)r * k : NULL;
            if (dr) memset(dr, 0, (size_t)k * sizeof(float));
            for (int j = 0; j < k; j++) {
                if (j == c) continue;
                double m = 1 + yr[j] - yr[c];
                if (m > 0) {
                    l += m;
                    if (dr) dr[j] += (float)w, dr[c] -= (float)w;
                }
            }
            s += w * l;
            wsum += w;
        }
        break;
    case NN_LOSS_SEQ_CE: /* returned above */
    case NN_LOSS_COUNT:
        break;
    }
    /* the weighted means of BCE and the hinges */
    *loss = wsum > 0 ? s / wsum : 0;
    if (dy) {
        float inv = wsum > 0 ? (float)(1 / wsum) : 0;
        for (int64_t i = 0; i < n; i++) dy[i] *= inv;
    }
    return NN_OK;
}
