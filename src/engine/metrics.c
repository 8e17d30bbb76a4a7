/* metrics.c: the confusion matrix of a classifier's scores and the metrics read
 * from it: accuracy and the macro averages of precision, recall and F1. */
#include "train_internal.h"

static int predicted(const float *yr, int k, float threshold) {
    if (k == 1) return yr[0] > threshold;
    int c = 0;
    for (int j = 1; j < k; j++) c = yr[j] > yr[c] ? j : c;
    return c;
}

void nn_confusion_add(const float *y, int batch, int k, const float *labels, int classes,
                      float threshold, int64_t *cm) {
    for (int r = 0; r < batch; r++) {
        int p = predicted(y + (int64_t)r * k, k, threshold), t = (int)labels[r];
        if (t >= 0 && t < classes && p < classes) cm[(int64_t)t * classes + p]++;
    }
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
