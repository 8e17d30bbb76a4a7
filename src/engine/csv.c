/* csv.c: a CSV file with a header row as a data set: numeric columns become x, the
 * label column (chosen by header name or index) becomes y, a number or a class
 * index; text labels are numbered in order of first appearance. The header's names
 * and the label names come back in an nn_csv_names. Quotes and escaped commas are
 * not supported: fields are split at every comma. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train_internal.h"

/* More distinct text labels than this means the wrong column, not a class list. */
#define MAX_LABELS 1024
/* The longest list of column names an error message quotes. */
#define COLUMNS_SHOWN 160

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

static bool parse_number(const char *s, float *v) {
    char *end;
    *v = strtof(s, &end);
    return end != s && !*end;
}

/* The 0-based column called name, or -1 with a message that lists the columns. */
static int column_of(nn_ctx *ctx, const char *path, char **cols, int n, const char *name) {
    for (int c = 0; c < n; c++)
        if (!strcmp(cols[c], name)) return c;
    char list[COLUMNS_SHOWN + 4] = "";
    size_t len = 0;
    for (int c = 0; c < n && len < COLUMNS_SHOWN; c++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", c ? ", " : "", cols[c]);
    if (len >= COLUMNS_SHOWN) strcpy(list + COLUMNS_SHOWN, "...");
    nn_errorf(ctx, NN_EARG, "csv: %s has no column '%s' (its columns: %s)", path, name, list);
    return -1;
}

/* The label fields of every row, kept as text until all rows are read: whether the
 * column is numbers or class names is known only then. */
typedef struct label_text {
    char *pool; /* the fields, each '\0'-terminated */
    size_t len, cap;
    size_t *at; /* row r's field starts at pool + at[r] */
    int rowcap;
} label_text;

static bool keep_label(nn_ctx *ctx, label_text *lt, int row, const char *field) {
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
        lt->at = a, lt->rowcap = rc;
    }
    lt->at[row] = lt->len;
    memcpy(lt->pool + lt->len, field, n);
    lt->len += n;
    return true;
}

/* Reads one line (of any length) into *buf, grown with nn_realloc: 1 for a line,
 * 0 at the end of the file, NN_ENOMEM when memory runs out. */
static int read_line(nn_ctx *ctx, FILE *fp, char **buf, size_t *cap) {
    size_t len = 0;
    for (;;) {
        if (*cap - len < 2) {
            size_t c = *cap ? 2 * *cap : 1024;
            char *b = nn_realloc(ctx, *buf, c);
            if (!b) return NN_ENOMEM;
            *buf = b, *cap = c;
        }
        if (!fgets(*buf + len, (int)(*cap - len), fp)) return len > 0;
        len += strlen(*buf + len);
        if ((*buf)[len - 1] == '\n') return 1;
    }
}

/* Turns the kept label text into y values: all numbers stay numbers (class indices
 * with classify); text (all of it, or any with classify) becomes class ids in order
 * of first appearance, whose names go to *classes. Returns the class count (0 for
 * regression) or a negative code. */
static int labels_to_values(nn_ctx *ctx, const char *path, const char *colname,
                            const label_text *lt, int rows, bool classify, float *y,
                            char ***classes, int *nclasses) {
    int numbers = 0, first_text = -1;
    for (int r = 0; r < rows; r++) {
        if (parse_number(lt->pool + lt->at[r], &y[r]))
            numbers++;
        else if (first_text < 0)
            first_text = r;
    }
    if (numbers == rows) {
        if (!classify) return 0;
        int k = 0;
        for (int r = 0; r < rows; r++) {
            if (!(y[r] >= 0 && y[r] == floorf(y[r]) && y[r] < MAX_LABELS))
                return nn_errorf(ctx, NN_EFORMAT,
                                 "csv: %s row %d: label %g of column '%s' is not a class index "
                                 "0..%d",
                                 path, r + 1, y[r], colname, MAX_LABELS - 1);
            k = (int)y[r] + 1 > k ? (int)y[r] + 1 : k;
        }
        return k < 2 ? 2 : k;
    }
    if (numbers && !classify)
        return nn_errorf(ctx, NN_EFORMAT,
                         "csv: %s column '%s' mixes numbers and text ('%s' in data row %d); "
                         "pass classify = true to treat every label as a class name",
                         path, colname, lt->pool + lt->at[first_text], first_text + 1);
    char *names[MAX_LABELS];
    int k = 0;
    for (int r = 0; r < rows; r++) {
        char *s = lt->pool + lt->at[r];
        int c = 0;
        while (c < k && strcmp(names[c], s)) c++;
        if (c == k) {
            if (k == MAX_LABELS)
                return nn_errorf(ctx, NN_EFORMAT,
                                 "csv: %s column '%s' has more than %d distinct labels: is it "
                                 "the label column?",
                                 path, colname, MAX_LABELS);
            names[k++] = s;
        }
        y[r] = (float)c;
    }
    if (!(*classes = copy_strings(ctx, names, k))) return NN_ENOMEM;
    *nclasses = k;
    return k < 2 ? 2 : k;
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
    FILE *fp = fopen(path, "r");
    if (!fp) {
        nn_errorf(ctx, NN_EIO, "csv: cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    char *line = NULL, **f = NULL;
    size_t cap = 0;
    int cols = 0, rows = 0, lineno = 0, rowcap = 0, nx = 0, got_line;
    float *vals = NULL, *y = NULL;
    label_text lt = {0};
    nn_dataset *d = NULL;
    while ((got_line = read_line(ctx, fp, &line, &cap)) > 0) {
        lineno++;
        char *s = line;
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
        if (!*s) continue; /* blank lines */
        if (!cols) {       /* the header */
            cols = count_fields(line);
            if (!(f = nn_malloc(ctx, (size_t)cols * sizeof *f))) goto done;
            split(line, f, cols);
            if (!(got.columns = copy_strings(ctx, f, cols))) goto done;
            got.ncols = cols;
            got.label_col = label ? column_of(ctx, path, got.columns, cols, label) : label_col;
            if (label && got.label_col < 0) goto done;
            if (got.label_col >= cols || got.label_col < -1) {
                nn_errorf(ctx, NN_EARG, "csv: %s has %d columns, no column %d", path, cols,
                          got.label_col + 1);
                goto done;
            }
            nx = got.label_col >= 0 ? cols - 1 : cols;
            if (nx < 1) {
                nn_errorf(ctx, NN_EFORMAT, "csv: %s has only the label column '%s'", path,
                          got.columns[got.label_col]);
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
        if (rows == rowcap) {
            rowcap = rowcap ? rowcap * 2 : 256;
            float *v = nn_realloc(ctx, vals, (size_t)rowcap * nx * sizeof(float));
            if (!v) goto done;
            vals = v;
        }
        for (int c = 0, j = 0; c < cols; c++) {
            if (c == got.label_col) {
                if (!keep_label(ctx, &lt, rows, f[c])) goto done;
                continue;
            }
            if (!parse_number(f[c], &vals[(int64_t)rows * nx + j++])) {
                nn_errorf(ctx, NN_EFORMAT, "csv: %s line %d column %d ('%s'): '%s' is not a number",
                          path, lineno, c + 1, got.columns[c], f[c]);
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
        classes = labels_to_values(ctx, path, got.columns[got.label_col], &lt, rows, classify, y,
                                   &got.classes, &got.nclasses);
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
    fclose(fp);
    if (d && names)
        *names = got;
    else
        nn_csv_names_free(&got);
    return d;
}
