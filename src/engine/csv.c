/* csv.c: a CSV file with a header row as a data set: numeric columns become x, the
 * chosen label column becomes y (a number, or for classification a class index,
 * with text labels numbered in order of first appearance). Quotes and escaped
 * commas are not supported: fields are split at every comma. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train_internal.h"

#define MAX_LABELS 1024

static int count_fields(const char *line) {
    int n = 1;
    for (; *line && *line != '\n'; line++) n += *line == ',';
    return n;
}

/* Splits the line in place at commas, trimming spaces and \r; returns the count. */
static int split(char *line, char **f, int max) {
    int n = 0;
    char *s = line;
    for (;;) {
        char *e = s;
        while (*e && *e != ',') e++;
        char end = *e;
        *e = '\0';
        while (*s == ' ' || *s == '\t') s++;
        char *t = e;
        while (t > s && (t[-1] == ' ' || t[-1] == '\r' || t[-1] == '\t' || t[-1] == '\n'))
            *--t = '\0';
        if (n < max) f[n] = s;
        n++;
        if (!end) break;
        s = e + 1;
    }
    return n;
}

nn_dataset *nn_csv_load(nn_ctx *ctx, const char *path, int label_col, bool classify, char **names) {
    if (names) *names = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        nn_errorf(ctx, NN_EIO, "csv: cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    char *line = NULL, **f = NULL, *labels[MAX_LABELS];
    size_t cap = 0;
    int nlabels = 0, cols = 0, rows = 0, lineno = 0, rowcap = 0;
    float *vals = NULL;
    nn_dataset *d = NULL;
    while (getline(&line, &cap, fp) > 0) {
        lineno++;
        char *s = line;
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
        if (!*s) continue; /* blank lines */
        if (!cols) {       /* the header */
            cols = count_fields(line);
            if (label_col >= cols) {
                nn_errorf(ctx, NN_EARG, "csv: %s has %d columns, no label column %d", path, cols,
                          label_col + 1);
                goto done;
            }
            if (!(f = nn_malloc(ctx, (size_t)cols * sizeof *f))) goto done;
            continue;
        }
        int n = split(line, f, cols);
        if (n != cols) {
            nn_errorf(ctx, NN_EFORMAT, "csv: %s line %d has %d fields, the header %d", path, lineno,
                      n, cols);
            goto done;
        }
        if (rows == rowcap) {
            rowcap = rowcap ? rowcap * 2 : 256;
            float *v = nn_realloc(ctx, vals, (size_t)rowcap * cols * sizeof(float));
            if (!v) goto done;
            vals = v;
        }
        for (int c = 0; c < cols; c++) {
            char *end;
            errno = 0;
            float v = strtof(f[c], &end);
            if (end == f[c] || *end) {
                if (c != label_col || !classify) {
                    nn_errorf(ctx, NN_EFORMAT, "csv: %s line %d column %d: '%s' is not a number",
                              path, lineno, c + 1, f[c]);
                    goto done;
                }
                int k = 0;
                while (k < nlabels && strcmp(labels[k], f[c])) k++;
                if (k == nlabels) {
                    if (nlabels == MAX_LABELS || !(labels[k] = strdup(f[c]))) {
                        nn_errorf(ctx, NN_EFORMAT, "csv: %s: more than %d distinct labels", path,
                                  MAX_LABELS);
                        goto done;
                    }
                    nlabels++;
                }
                v = (float)k;
            }
            vals[(int64_t)rows * cols + c] = v;
        }
        rows++;
    }
    if (rows == 0) {
        nn_errorf(ctx, NN_EFORMAT, "csv: %s has no data rows", path);
        goto done;
    }
    int nx = label_col >= 0 ? cols - 1 : cols;
    int classes = 0;
    if (classify && label_col >= 0) {
        for (int r = 0; r < rows; r++) {
            float v = vals[(int64_t)r * cols + label_col];
            if (!(v >= 0 && v == floorf(v))) {
                nn_errorf(ctx, NN_EFORMAT, "csv: %s row %d: label %g is not a class index", path,
                          r + 1, v);
                goto done;
            }
            classes = (int)v + 1 > classes ? (int)v + 1 : classes;
        }
        if (classes < 2) classes = 2;
    }
    if (nx < 1 || !(d = nn_dataset_new(ctx, rows, nx, 1, classes))) goto done;
    for (int r = 0; r < rows; r++) {
        const float *src = vals + (int64_t)r * cols;
        float *dst = d->x + (int64_t)r * nx;
        for (int c = 0, j = 0; c < cols; c++) {
            if (c == label_col)
                d->y[r] = src[c];
            else
                dst[j++] = src[c];
        }
    }
    if (names && nlabels) {
        size_t len = 1;
        for (int k = 0; k < nlabels; k++) len += strlen(labels[k]) + 1;
        if ((*names = malloc(len))) {
            (*names)[0] = '\0';
            for (int k = 0; k < nlabels; k++) strcat(strcat(*names, labels[k]), "\n");
        }
    }
done:
    for (int k = 0; k < nlabels; k++) free(labels[k]);
    free(line);
    nn_mfree(f);
    nn_mfree(vals);
    fclose(fp);
    return d;
}
