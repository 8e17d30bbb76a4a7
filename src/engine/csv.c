/* csv.c: a CSV file with a header row as a data set: numeric columns become x, the
 * label column (chosen by header name or index) becomes y, a number or a class
 * index; text labels are numbered in order of first appearance. The header's names
 * and the label names come back in an nn_csv_names. Quotes and escaped commas are
 * not supported: fields are split at every comma. A loader may be handed any file
 * (a student's typo, /etc/passwd): its messages give the file, line and column of
 * a problem and never quote the file's text; zero bytes, non-finite numbers (nan,
 * inf, 1e999), repeated column names and a single class are refused. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train_internal.h"

/* More distinct text labels than this means the wrong column, not a class list. */
#define MAX_LABELS 1024

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

static int count_fields(const char *line) {
    int n = 1;
    for (; *line; line++) n += *line == ',';
    return n;
}

/* n strings copied into one allocation: the pointer array, then the bytes; freed
 * with one nn_mfree. NULL (with NN_ENOMEM) on failure. */
static char **copy_strings(nn_ctx *ctx, char *const *s, int n) {
    size_t bytes = (size_t)n * sizeof(char *);
    for (int i = 0; i < n; i++) bytes += strlen(s[i]) + 1;
    char **out = nn_malloc(ctx, bytes ? bytes : 1);
    if (!out) return NULL;
    char *at = (char *)(out + n);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(s[i]) + 1;
        out[i] = memcpy(at, s[i], len);
        at += len;
    }
    return out;
}

typedef enum { NUM_OK, NUM_NOT, NUM_NONFINITE } num_kind;

/* A finite float, or why not: text, or nan/inf/out of float range (1e999). */
static num_kind parse_number(const char *s, float *v) {
    char *end;
    *v = strtof(s, &end);
    if (end == s || *end) return NUM_NOT;
    return isfinite(*v) ? NUM_OK : NUM_NONFINITE;
}

/* The 0-based column called name, or -1 with a message (the name asked for is the
 * caller's; the header's names are the file's, and stay out of it). */
static int column_of(nn_ctx *ctx, const char *path, char **cols, int n, const char *name) {
    for (int c = 0; c < n; c++)
        if (!strcmp(cols[c], name)) return c;
    nn_errorf(ctx, NN_EARG, "csv: %s has no column '%s' (its header, line %d, has %d columns)",
              path, name, 1, n);
    return -1;
}

/* NN_OK, or NN_EFORMAT naming the two columns (1-based) that share a name. */
static int check_unique(nn_ctx *ctx, const char *path, int lineno, char **cols, int n) {
    for (int c = 1; c < n; c++)
        for (int d = 0; d < c; d++)
            if (!strcmp(cols[c], cols[d]))
                return nn_errorf(ctx, NN_EFORMAT,
                                 "csv: %s line %d: columns %d and %d have the same name", path,
                                 lineno, d + 1, c + 1);
    return NN_OK;
}

/* The label fields of every row, kept as text until all rows are read: whether the
 * column is numbers or class names is known only then. */
typedef struct label_text {
    char *pool; /* the fields, each '\0'-terminated */
    size_t len, cap;
    size_t *at; /* row r's field starts at pool + at[r] */
    int *line;  /* row r is line line[r] of the file */
    int rowcap;
    int col; /* the label column, 0-based */
} label_text;

static bool keep_label(nn_ctx *ctx, label_text *lt, int row, int lineno, const char *field) {
    size_t n = strlen(field) + 1;
    if (lt->len + n > lt->cap) {
        size_t cap = lt->cap ? lt->cap : 4096;
        while (cap < lt->len + n) cap *= 2;
        char *p = nn_realloc(ctx, lt->pool, cap);
        if (!p) return false;
        lt->pool = p, lt->cap = cap;
    }
    if (row == lt->rowcap) {
        int rc = lt->rowcap ? 2 * lt->rowcap : 256;
        size_t *a = nn_realloc(ctx, lt->at, (size_t)rc * sizeof *a);
        if (!a) return false;
        lt->at = a;
        int *l = nn_realloc(ctx, lt->line, (size_t)rc * sizeof *l);
        if (!l) return false;
        lt->line = l, lt->rowcap = rc;
    }
    lt->at[row] = lt->len;
    lt->line[row] = lineno;
    memcpy(lt->pool + lt->len, field, n);
    lt->len += n;
    return true;
}

/* Reads one line (of any length, with its '\n' when there is one) into *buf,
 * grown with nn_realloc, and NUL-terminates it: 1 for a line, 0 at the end of the
 * file, NN_ENOMEM when memory runs out. *zero is the offset of the first zero byte
 * in the line, or -1 (fgets would silently cut the line there and glue the rest
 * onto the next one). */
static int read_line(nn_ctx *ctx, FILE *fp, char **buf, size_t *cap, long *zero) {
    size_t len = 0;
    *zero = -1;
    for (;;) {
        if (*cap - len < 2) {
            size_t c = *cap ? 2 * *cap : 1024;
            char *b = nn_realloc(ctx, *buf, c);
            if (!b) return NN_ENOMEM;
            *buf = b, *cap = c;
        }
        int ch = getc(fp);
        if (ch == EOF) {
            (*buf)[len] = '\0';
            return len > 0;
        }
        if (ch == '\0' && *zero < 0) *zero = (long)len;
        (*buf)[len++] = (char)ch;
        if (ch == '\n') {
            (*buf)[len] = '\0';
            return 1;
        }
    }
}

/* The 1-based column of byte offset at in line: one more than the commas before it. */
static int column_at(const char *line, long at) {
    int c = 1;
    for (long i = 0; i < at; i++) c += line[i] == ',';
    return c;
}

/* Turns the kept label text into y values: all numbers stay numbers (class indices
 * with classify); text (all of it, or any with classify) becomes class ids in order
 * of first appearance, whose names go to *classes. Returns the class count (0 for
 * regression) or a negative code. */
static int labels_to_values(nn_ctx *ctx, const char *path, const label_text *lt, int rows,
                            bool classify, float *y, char ***classes, int *nclasses) {
    int numbers = 0, first_text = -1, col = lt->col + 1;
    for (int r = 0; r < rows; r++) {
        num_kind k = parse_number(lt->pool + lt->at[r], &y[r]);
        if (k == NUM_OK)
            numbers++;
        else if (k == NUM_NONFINITE && !classify)
            return nn_errorf(ctx, NN_EFORMAT,
                             "csv: %s line %d column %d: the label is not a finite number (nan, "
                             "inf or beyond float range)",
                             path, lt->line[r], col);
        else if (first_text < 0)
            first_text = r;
    }
    if (numbers == rows) {
        if (!classify) return 0;
        int k = 0;
        for (int r = 0; r < rows; r++) {
            if (!(y[r] >= 0 && y[r] == floorf(y[r]) && y[r] < MAX_LABELS))
                return nn_errorf(ctx, NN_EFORMAT,
                                 "csv: %s line %d column %d: the label is not a class index 0..%d",
                                 path, lt->line[r], col, MAX_LABELS - 1);
            k = (int)y[r] + 1 > k ? (int)y[r] + 1 : k;
        }
        if (k < 2)
            return nn_errorf(ctx, NN_EFORMAT,
                             "csv: %s column %d: every label is class 0; a classifier needs two "
                             "classes or more",
                             path, col);
        return k;
    }
    if (numbers && !classify)
        return nn_errorf(ctx, NN_EFORMAT,
                         "csv: %s column %d mixes numbers and text (text at line %d); pass "
                         "classify = true to treat every label as a class name",
                         path, col, lt->line[first_text]);
    char *names[MAX_LABELS];
    int k = 0;
    for (int r = 0; r < rows; r++) {
        char *s = lt->pool + lt->at[r];
        int c = 0;
        while (c < k && strcmp(names[c], s)) c++;
        if (c == k) {
            if (k == MAX_LABELS)
                return nn_errorf(ctx, NN_EFORMAT,
                                 "csv: %s column %d has more than %d distinct labels (at line "
                                 "%d): is it the label column?",
                                 path, col, MAX_LABELS, lt->line[r]);
            names[k++] = s;
        }
        y[r] = (float)c;
    }
    if (k < 2)
        return nn_errorf(ctx, NN_EFORMAT,
                         "csv: %s column %d: every row has the same label; a classifier needs two "
                         "classes or more",
                         path, col);
    if (!(*classes = copy_strings(ctx, names, k))) return NN_ENOMEM;
    *nclasses = k;
    return k;
}

void nn_csv_names_free(nn_csv_names *names) {
    if (!names) return;
    nn_mfree(names->columns);
    nn_mfree(names->classes);
    memset(names, 0, sizeof *names);
    names->label_col = -1;
}

nn_dataset *nn_csv_load(nn_ctx *ctx, const char *path, const char *label, int label_col,
                        bool classify, nn_csv_names *names) {
    nn_csv_names got = {.label_col = -1};
    if (names) *names = got;
    FILE *fp = nn_open_regular(ctx, path, "r");
    if (!fp) return NULL;
    char *line = NULL, **f = NULL;
    size_t cap = 0;
    int cols = 0, rows = 0, lineno = 0, rowcap = 0, nx = 0, got_line;
    long zero;
    float *vals = NULL, *y = NULL;
    label_text lt = {0};
    nn_dataset *d = NULL;
    while ((got_line = read_line(ctx, fp, &line, &cap, &zero)) > 0) {
        if (lineno == INT_MAX) {
            nn_errorf(ctx, NN_EFORMAT, "csv: %s has more than %d lines", path, INT_MAX - 1);
            goto done;
        }
        lineno++;
        if (zero >= 0) {
            nn_errorf(ctx, NN_EFORMAT, "csv: %s line %d column %d: a zero byte (not a text file?)",
                      path, lineno, column_at(line, zero));
            goto done;
        }
        char *s = line;
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
        if (!*s) continue; /* blank lines */
        if (!cols) {       /* the header */
            cols = count_fields(line);
            if (!(f = nn_malloc(ctx, (size_t)cols * sizeof *f))) goto done;
            split(line, f, cols);
            if (!(got.columns = copy_strings(ctx, f, cols))) goto done;
            got.ncols = cols;
            if (check_unique(ctx, path, lineno, got.columns, cols)) goto done;
            got.label_col = label ? column_of(ctx, path, got.columns, cols, label) : label_col;
            if (label && got.label_col < 0) goto done;
            if (got.label_col >= cols || got.label_col < -1) {
                nn_errorf(ctx, NN_EARG, "csv: %s has %d columns, no column %d", path, cols,
                          got.label_col + 1);
                goto done;
            }
            nx = got.label_col >= 0 ? cols - 1 : cols;
            if (nx < 1) {
                nn_errorf(ctx, NN_EFORMAT, "csv: %s has only the label column (column %d)", path,
                          got.label_col + 1);
                goto done;
            }
            continue;
        }
        int n = split(line, f, cols);
        if (n != cols) {
            nn_errorf(ctx, NN_EFORMAT, "csv: %s line %d has %d fields, the header %d", path, lineno,
                      n, cols);
            goto done;
        }
        if (rows == INT_MAX) {
            nn_errorf(ctx, NN_EFORMAT, "csv: %s has more than %d rows", path, INT_MAX - 1);
            goto done;
        }
        if (rows == rowcap) {
            rowcap = rowcap > INT_MAX / 2 ? INT_MAX : rowcap ? rowcap * 2 : 256;
            float *v = nn_realloc(ctx, vals, (size_t)rowcap * nx * sizeof(float));
            if (!v) goto done;
            vals = v;
        }
        for (int c = 0, j = 0; c < cols; c++) {
            if (c == got.label_col) {
                if (!keep_label(ctx, &lt, rows, lineno, f[c])) goto done;
                continue;
            }
            num_kind k = parse_number(f[c], &vals[(int64_t)rows * nx + j++]);
            if (k != NUM_OK) {
                nn_errorf(ctx, NN_EFORMAT, "csv: %s line %d column %d: %s", path, lineno, c + 1,
                          k == NUM_NOT ? "not a number"
                                       : "not a finite number (nan, inf or beyond float range)");
                goto done;
            }
        }
        rows++;
    }
    if (got_line < 0) goto done;
    if (ferror(fp)) {
        nn_errorf(ctx, NN_EIO, "csv: cannot read %s: %s", path, strerror(errno));
        goto done;
    }
    if (rows == 0) {
        nn_errorf(ctx, NN_EFORMAT, "csv: %s has no data rows", path);
        goto done;
    }
    int classes = 0;
    if (got.label_col >= 0) {
        if (!(y = nn_malloc(ctx, (size_t)rows * sizeof *y))) goto done;
        lt.col = got.label_col;
        classes = labels_to_values(ctx, path, &lt, rows, classify, y, &got.classes, &got.nclasses);
        if (classes < 0) goto done;
    }
    if (!(d = nn_dataset_new(ctx, rows, nx, 1, classes))) goto done;
    memcpy(d->x, vals, (size_t)rows * nx * sizeof(float));
    if (y) memcpy(d->y, y, (size_t)rows * sizeof(float));
done:
    nn_mfree(line);
    nn_mfree(f);
    nn_mfree(vals);
    nn_mfree(y);
    nn_mfree(lt.pool);
    nn_mfree(lt.at);
    nn_mfree(lt.line);
    fclose(fp);
    if (d && names)
        *names = got;
    else
        nn_csv_names_free(&got);
    return d;
}
