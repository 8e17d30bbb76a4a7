/* idx.c: the IDX format of MNIST and Fashion-MNIST (gzip-compressed or raw; zlib's
 * gzread reads both): a magic of two zero bytes, a type byte (0x08 = unsigned byte)
 * and a dimension count, then big-endian u32 sizes and the data. Images become
 * rows of floats in [0, 1], labels a column of class indices. */
#include <string.h>
#include <zlib.h>

#include "train_internal.h"

#define IDX_UBYTE 0x08

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

static gzFile open_idx(nn_ctx *ctx, const char *path) {
    gzFile f = gzopen(path, "rb");
    if (!f)
        nn_errorf(ctx, NN_EIO, "idx: cannot open %s", path);
    else
        gzbuffer(f, 1 << 17);
    return f;
}

nn_dataset *nn_idx_load(nn_ctx *ctx, const char *images, const char *labels, int limit) {
    uint32_t di[4] = {0}, dl[4] = {0};
    gzFile fi = open_idx(ctx, images), fl = fi ? open_idx(ctx, labels) : NULL;
    nn_dataset *d = NULL;
    unsigned char *tmp = NULL;
    if (!fi || !fl) goto done;
    int ni = read_header(ctx, fi, images, di), nl = read_header(ctx, fl, labels, dl);
    if (ni < 0 || nl < 0) goto done;
    if (ni != 3 || nl != 1 || di[0] != dl[0] || di[0] == 0 || di[1] * di[2] == 0 || di[1] > 4096 ||
        di[2] > 4096 || di[0] > (1u << 26)) {
        nn_errorf(ctx, NN_EFORMAT,
                  "idx: %s (%d dims, %u items) and %s (%d dims, %u items) are not images and "
                  "their labels",
                  images, ni, di[0], labels, nl, dl[0]);
        goto done;
    }
    int n = (int)di[0], px = (int)(di[1] * di[2]);
    if (limit > 0 && limit < n) n = limit;
    if (!(d = nn_dataset_new(ctx, n, px, 1, 10)) || !(tmp = nn_malloc(ctx, (size_t)n * px)))
        goto done;
    if (gzread(fi, tmp, (unsigned)((size_t)n * px)) != (int)((size_t)n * px)) {
        nn_errorf(ctx, NN_EFORMAT, "idx: %s is truncated", images);
        goto fail;
    }
    for (size_t i = 0; i < (size_t)n * px; i++) d->x[i] = tmp[i] / 255.0f;
    if (gzread(fl, tmp, (unsigned)n) != n) {
        nn_errorf(ctx, NN_EFORMAT, "idx: %s is truncated", labels);
        goto fail;
    }
    int maxl = 0;
    for (int i = 0; i < n; i++) {
        d->y[i] = tmp[i];
        maxl = tmp[i] > maxl ? tmp[i] : maxl;
    }
    d->classes = maxl + 1 > 10 ? maxl + 1 : 10;
    goto done;
fail:
    nn_dataset_free(d);
    d = NULL;
done:
    nn_mfree(tmp);
    if (fi) gzclose(fi);
    if (fl) gzclose(fl);
    return d;
}
