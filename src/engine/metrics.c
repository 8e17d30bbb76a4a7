/* metrics.c: the confusion matrix of a classifier's scores and the metrics read
 * from it: accuracy and the macro averages of precision, recall and F1; labels one a
 * sample or one a step of a sequence (a tagger's), padding steps left out. */
#include "train_internal.h"

static int predicted(const float *yr, int k, float threshold) {
    if (k == 1) return yr[0] > threshold;
    int c = 0;
    for (int j = 1; j < k; j++) c = yr[j] > yr[c] ? j : c;
    return c;
}

void nn_confusion_add(const float *y, int batch, int k, const float *labels, int classes,
                      float threshold, int64_t *cm) {
    int64_t right;
    nn_labels_score(y, batch, k, labels, 1, classes, threshold, cm, &right);
}

/* Label j of sample r is labels[r ny + j], scored by the w = k / ny outputs at
 * y[r k + j w ...]: a tagger's [batch, T, C] logits against [batch, T] tags. */
int64_t nn_labels_score(const float *y, int batch, int k, const float *labels, int ny, int classes,
                        float threshold, int64_t *cm, int64_t *right) {
    int w = ny > 0 && k % ny == 0 ? k / ny : 0;
    int64_t counted = 0;
    *right = 0;
    if (w == 0) return 0;
    for (int64_t r = 0; r < (int64_t)batch * ny; r++) {
        float l = labels[r];
        if (l < 0) continue; /* padding */
        int p = predicted(y + r * w, w, threshold), t = (int)l;
        counted++;
        *right += p == t;
        if (cm && t < classes && p < classes) cm[(int64_t)t * classes + p]++;
    }
    return counted;
}

/* Precision of class c = cm[c][c] / column sum, recall = cm[c][c] / row sum, F1
 * their harmonic mean; a class with an empty column or row counts 0 there. */
nn_metrics nn_metrics_from_confusion(const int64_t *cm, int classes) {
    nn_metrics m = {0};
    int64_t tot = 0, diag = 0;
    double ps = 0, rs = 0, fs = 0;
    for (int c = 0; c < classes; c++) {
        int64_t row = 0, col = 0, tp = cm[(int64_t)c * classes + c];
        for (int j = 0; j < classes; j++) {
            row += cm[(int64_t)c * classes + j];
            col += cm[(int64_t)j * classes + c];
        }
        tot += row;
        diag += tp;
        double p = col ? (double)tp / col : 0, r = row ? (double)tp / row : 0;
        ps += p;
        rs += r;
        fs += p + r > 0 ? 2 * p * r / (p + r) : 0;
    }
    m.accuracy = tot ? (double)diag / tot : 0;
    m.precision = ps / classes;
    m.recall = rs / classes;
    m.f1 = fs / classes;
    return m;
}
