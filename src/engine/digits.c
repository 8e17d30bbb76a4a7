/* digits.c: the 8x8 handwritten digits that scikit-learn ships (Debian's
 * python3-sklearn: sklearn/datasets/data/digits.csv.gz, the UCI "optical recognition
 * of handwritten digits" test set): 1797 lines of 64 grey levels 0..16 and the
 * label, comma-separated, gzip-compressed, no header. A data set x [n, 64] in [0, 1]
 * and y [n, 1] a class 0..9; anything else is refused naming the file and line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "train_internal.h"

#define DIGIT_PIXELS 64
#define DIGIT_LEVELS 16.0f /* grey levels 0..16 */
#define DIGIT_LINE   512   /* a line is at most 65 * 3 characters */
#define DIGIT_MAX    100000

/* Parses one line's 65 numbers into px[64] and *label; false when it is not that. */
static bool parse_line(char *line, float *px, int *label) {
    char *p = line;
    for (int i = 0; i <= DIGIT_PIXELS; i++) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v > (i < DIGIT_PIXELS ? 16 : 9)) return false;
        if (i < DIGIT_PIXELS) {
            if (*end != ',') return false;
            px[i] = (float)v / DIGIT_LEVELS;
        } else {
            *label = (int)v;
            while (*end == '\r' || *end == '\n' || *end == ' ') end++;
            if (*end) return false;
        }
        p = end + 1;
    }
    return true;
}

nn_dataset *nn_digits_load(nn_ctx *ctx, const char *path) {
    FILE *fp = nn_open_regular(ctx, path, "rb");
    if (!fp) return NULL;
    int fd = dup(fileno(fp));
    fclose(fp);
    gzFile f = fd >= 0 ? gzdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        nn_errorf(ctx, NN_ENOMEM, "digits: cannot open %s: out of memory", path);
        return NULL;
    }
    float *x = malloc((size_t)DIGIT_MAX * DIGIT_PIXELS * sizeof *x);
    int *y = malloc((size_t)DIGIT_MAX * sizeof *y), n = 0;
    char line[DIGIT_LINE];
    nn_dataset *d = NULL;
    if (!x || !y) {
        nn_errorf(ctx, NN_ENOMEM, "digits: out of memory");
        goto done;
    }
    while (gzgets(f, line, sizeof line)) {
        if (n == DIGIT_MAX || !parse_line(line, x + (size_t)n * DIGIT_PIXELS, y + n)) {
            nn_errorf(ctx, NN_EFORMAT,
                      "digits: %s line %d is not 64 grey levels 0..16 and a label 0..9", path,
                      n + 1);
            goto done;
        }
        n++;
    }
    if (n == 0) {
        nn_errorf(ctx, NN_EFORMAT, "digits: %s holds no digits", path);
        goto done;
    }
    d = nn_dataset_new(ctx, n, DIGIT_PIXELS, 1, 10);
    if (!d) goto done;
    memcpy(d->x, x, (size_t)n * DIGIT_PIXELS * sizeof *x);
    for (int i = 0; i < n; i++) d->y[i] = (float)y[i];
done:
    gzclose(f);
    free(x), free(y);
    return d;
}
