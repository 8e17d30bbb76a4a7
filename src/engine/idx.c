/* idx.c: the IDX format of MNIST and Fashion-MNIST (gzip-compressed or raw; zlib's
 * gzread reads both): a magic of two zero bytes, a type byte (0x08 = unsigned byte)
 * and a dimension count, then big-endian u32 sizes and the data. Images become
 * rows of floats in [0, 1], labels a column of class indices.
 *
 * The sizes come from the file, so none is trusted: each is checked against its
 * bounds, and the data is read in growing chunks before anything is allocated at
 * the size the header claims, so a 40-byte file that claims 2^26 images fails as
 * "truncated" having allocated about what it holds. */
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "train_internal.h"

#define IDX_UBYTE    0x08
#define IDX_MAX_SIDE 4096u      /* pixels a side */
#define IDX_MAX_N    (1u << 26) /* items */
#define IDX_CHUNK    (1u << 20) /* first read; then doubled */

/* Reads the header of f: the dims into d[4]; returns the count of dims or < 0. */
static int read_header(nn_ctx *ctx, gzFile f, const char *path, uint32_t *d) {
    unsigned char h[4];
    if (gzread(f, h, 4) != 4)
        return nn_errorf(ctx, NN_EFORMAT, "idx: %s is too short for an IDX header", path);
    if (h[0] || h[1] || h[2] != IDX_UBYTE || h[3] < 1 || h[3] > 3)
        return nn_errorf(ctx, NN_EFORMAT,
                         "idx: %s is not an IDX file of bytes (magic %02x %02x %02x %02x)", path,
                         h[0], h[1], h[2], h[3]);
    for (int i = 0; i < h[3]; i++) {
        unsigned char b[4];
        if (gzread(f, b, 4) != 4)
            return nn_errorf(ctx, NN_EFORMAT, "idx: %s: header cut short", path);
        d[i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    }
    return h[3];
}

/* Opens a regular file (nn_open_regular refuses folders and FIFOs) for gzread. */
static gzFile open_idx(nn_ctx *ctx, const char *path) {
    FILE *fp = nn_open_regular(ctx, path, "rb");
    if (!fp) return NULL;
    int fd = dup(fileno(fp));
    fclose(fp);
    gzFile f = fd >= 0 ? gzdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        nn_errorf(ctx, NN_ENOMEM, "idx: cannot open %s: out of memory", path);
        return NULL;
    }
    gzbuffer(f, 1 << 17);
    return f;
}

/* Reads exactly n bytes of f into a buffer that grows as data arrives (so a header
 * that lies costs no more memory than the file holds); NULL with "truncated" (or
 * out of memory) otherwise. */
static unsigned char *read_exact(nn_ctx *ctx, gzFile f, const char *path, size_t n) {
    size_t cap = n < IDX_CHUNK ? n : IDX_CHUNK, got = 0;
    unsigned char *buf = nn_malloc(ctx, cap ? cap : 1);
    while (buf && got < n) {
        if (got == cap) {
            cap = cap > n / 2 ? n : 2 * cap;
            unsigned char *b = nn_realloc(ctx, buf, cap);
            if (!b) break;
            buf = b;
        }
        size_t want = cap - got;
        int r = gzread(f, buf + got, (unsigned)(want < (1u << 30) ? want : (1u << 30)));
        if (r <= 0) {
            nn_errorf(ctx, NN_EFORMAT,
                      "idx: %s is truncated: its header promises %zu bytes of "
                      "data, it holds %zu",
                      path, n, got);
            nn_mfree(buf);
            return NULL;
        }
        got += (size_t)r;
    }
    if (buf && got < n) { /* realloc failed */
        nn_mfree(buf);
        return NULL;
    }
    return buf;
}

nn_dataset *nn_idx_load(nn_ctx *ctx, const char *images, const char *labels, int limit) {
    uint32_t di[4] = {0}, dl[4] = {0};
    gzFile fi = open_idx(ctx, images), fl = fi ? open_idx(ctx, labels) : NULL;
    nn_dataset *d = NULL;
    unsigned char *pix = NULL, *lab = NULL;
    if (!fi || !fl) goto done;
    int ni = read_header(ctx, fi, images, di);
    if (ni < 0) goto done;
    int nl = read_header(ctx, fl, labels, dl);
    if (nl < 0) goto done;
    if (ni != 3 || nl != 1 || di[0] != dl[0] || di[0] == 0 || di[0] > IDX_MAX_N || di[1] == 0 ||
        di[2] == 0 || di[1] > IDX_MAX_SIDE || di[2] > IDX_MAX_SIDE) {
        nn_errorf(ctx, NN_EFORMAT,
                  "idx: %s (%d dims, %u items) and %s (%d dims, %u items) are not images and "
                  "their labels (1 to %u items of 1 to %u x %u pixels)",
                  images, ni, di[0], labels, nl, dl[0], IDX_MAX_N, IDX_MAX_SIDE, IDX_MAX_SIDE);
        goto done;
    }
    size_t n = di[0], px = (size_t)di[1] * di[2];
    if (limit > 0 && (size_t)limit < n) n = (size_t)limit;
    if (!(pix = read_exact(ctx, fi, images, n * px)) || !(lab = read_exact(ctx, fl, labels, n)))
        goto done;
    if (!(d = nn_dataset_new(ctx, (int)n, (int)px, 1, 10))) goto done;
    for (size_t i = 0; i < n * px; i++) d->x[i] = pix[i] / 255.0f;
    int maxl = 0;
    for (size_t i = 0; i < n; i++) {
        d->y[i] = lab[i];
        maxl = lab[i] > maxl ? lab[i] : maxl;
    }
    d->classes = maxl + 1 > 10 ? maxl + 1 : 10;
done:
    nn_mfree(pix);
    nn_mfree(lab);
    if (fi) gzclose(fi);
    if (fl) gzclose(fl);
    return d;
}
