/* text.c: reading a whole text file, plain or gzip-compressed (dictzip's .dict.dz is
 * gzip), and the King James Bible of Debian's bible-kjv-text (its own windows of
 * LZW), for the corpora of lua/text.lua. Tokenising and vocabularies are Lua's:
 * this only gets the bytes in, refusing folders, FIFOs, files too big to hold and
 * streams that do not decode. */
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "internal.h"
#include "nn_text.h"

#define TEXT_CHUNK (1u << 20)
#define TEXT_MAX   ((size_t)1 << 30) /* 1 GiB of text: more is refused, not read */

char *nn_text_read(nn_ctx *ctx, const char *path, size_t *len) {
    FILE *fp = nn_open_regular(ctx, path, "rb");
    if (!fp) return NULL;
    int fd = dup(fileno(fp));
    fclose(fp);
    gzFile f = fd >= 0 ? gzdopen(fd, "rb") : NULL; /* reads plain files unchanged */
    if (!f) {
        if (fd >= 0) close(fd);
        nn_errorf(ctx, NN_ENOMEM, "text: cannot open %s: out of memory", path);
        return NULL;
    }
    size_t cap = TEXT_CHUNK, got = 0;
    char *buf = nn_malloc(ctx, cap + 1);
    while (buf) {
        if (got == cap) {
            if (cap >= TEXT_MAX) {
                nn_errorf(ctx, NN_EFORMAT, "text: %s holds more than %zu bytes", path, TEXT_MAX);
                break;
            }
            char *b = nn_realloc(ctx, buf, 2 * cap + 1);
            if (!b) break;
            buf = b;
            cap *= 2;
        }
        int r = gzread(f, buf + got, (unsigned)(cap - got));
        if (r < 0) {
            int err;
            nn_errorf(ctx, NN_EFORMAT, "text: cannot read %s: %s", path, gzerror(f, &err));
            break;
        }
        if (r == 0) {
            gzclose(f);
            buf[got] = '\0';
            *len = got;
            return buf;
        }
        got += (size_t)r;
    }
    gzclose(f);
    nn_mfree(buf);
    return NULL;
}

void nn_text_free(char *text) {
    nn_mfree(text);
}

/* ---- bible-kjv's compressed data file ------------------------------------------
 * Debian's bible-kjv-text keeps the King James text in /usr/lib/bible.data: the
 * magic "EC02Compressed Data File", at 0x54 the window size (65536) and at 0x58 the
 * number of windows n (both big-endian), then n + 1 file offsets; window i is the
 * bytes [off[i], off[i+1]), each an independent stream of Unix compress's LZW
 * (block mode, up to 16-bit codes) without compress's 3-byte header, which stands
 * once before the first window. */

#define KJV_MAGIC    "EC02Compressed Data File"
#define KJV_HEAD     0x5c
#define LZW_FIRST    257 /* first free code in block mode; 256 clears the table */
#define LZW_CLEAR    256
#define LZW_MAX_BITS 16
#define KJV_MAX_WIN  (1u << 20)

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

typedef struct lzw_table {
    uint16_t prefix[1 << LZW_MAX_BITS];
    unsigned char suffix[1 << LZW_MAX_BITS];
    unsigned char stack[1 << LZW_MAX_BITS];
} lzw_table;

/* Decodes one window in[0..n) into out (at most cap bytes); returns the bytes written
 * or -1 on a code that cannot occur (a corrupt stream). compress reads codes in
 * groups of eight (bits bytes); when the width grows or the table is cleared, the
 * rest of the current group is padding. */
static long lzw_window(lzw_table *t, const unsigned char *in, size_t n, int maxbits, char *out,
                       size_t cap) {
    uint64_t nbits = (uint64_t)n * 8, pos = 0, group = 0;
    int bits = 9;
    uint32_t next = LZW_FIRST, limit = 1u << maxbits;
    long prev = -1;
    unsigned char first = 0;
    size_t w = 0;
    while (pos + (uint64_t)bits <= nbits) {
        size_t byte = (size_t)(pos >> 3);
        uint32_t v = in[byte] | (byte + 1 < n ? (uint32_t)in[byte + 1] << 8 : 0) |
                     (byte + 2 < n ? (uint32_t)in[byte + 2] << 16 : 0);
        uint32_t code = (v >> (pos & 7)) & ((1u << bits) - 1);
        pos += (uint64_t)bits;
        if (code == LZW_CLEAR) {
            uint64_t span = (uint64_t)bits * 8, rem = (pos - group) % span;
            if (rem) pos += span - rem;
            group = pos, bits = 9, next = LZW_FIRST, prev = -1;
            continue;
        }
        if (prev < 0) {
            if (code > 255) return -1;
            if (w >= cap) return -1;
            out[w++] = (char)code;
            first = (unsigned char)code, prev = code;
        } else {
            if (code > next) return -1;
            int sp = 0;
            uint32_t c = code;
            if (code == next) { /* the KwKwK case: prev's string and its first byte */
                t->stack[sp++] = first;
                c = (uint32_t)prev;
            }
            while (c > 255) {
                if (sp >= (1 << LZW_MAX_BITS) - 1) return -1;
                t->stack[sp++] = t->suffix[c];
                c = t->prefix[c];
            }
            t->stack[sp++] = (unsigned char)c;
            first = (unsigned char)c;
            if (w + (size_t)sp > cap) return -1;
            while (sp > 0) out[w++] = (char)t->stack[--sp];
            if (next < limit) {
                t->prefix[next] = (uint16_t)prev;
                t->suffix[next] = first;
                next++;
            }
            prev = code;
        }
        if (next > (1u << bits) - 1 && bits < maxbits) {
            uint64_t span = (uint64_t)bits * 8, rem = (pos - group) % span;
            if (rem) pos += span - rem;
            group = pos, bits++;
        }
    }
    return (long)w;
}

char *nn_kjv_read(nn_ctx *ctx, const char *path, size_t *len) {
    size_t n;
    char *raw = nn_text_read(ctx, path, &n);
    if (!raw) return NULL;
    const unsigned char *d = (const unsigned char *)raw;
    char *out = NULL;
    lzw_table *t = NULL;
    uint32_t win = n >= KJV_HEAD ? be32(d + 0x54) : 0, count = n >= KJV_HEAD ? be32(d + 0x58) : 0;
    if (n < KJV_HEAD || memcmp(d, KJV_MAGIC, sizeof KJV_MAGIC - 1) != 0) {
        nn_errorf(ctx, NN_EFORMAT, "bible: %s is not bible-kjv's compressed data file", path);
        goto done;
    }
    if (win == 0 || win > KJV_MAX_WIN || count == 0 || count > 4096 ||
        KJV_HEAD + 4 * ((size_t)count + 1) > n) {
        nn_errorf(ctx, NN_EFORMAT, "bible: %s: %u windows of %u bytes do not fit its %zu bytes",
                  path, count, win, n);
        goto done;
    }
    const unsigned char *off = d + KJV_HEAD;
    uint32_t first = be32(off);
    int maxbits = LZW_MAX_BITS;
    if (first >= 3 && first <= n && d[first - 3] == 0x1f && d[first - 2] == 0x9d)
        maxbits = d[first - 1] & 0x1f;
    if (maxbits < 9 || maxbits > LZW_MAX_BITS) maxbits = LZW_MAX_BITS;
    out = nn_malloc(ctx, (size_t)count * win + 1);
    t = nn_malloc(ctx, sizeof *t);
    if (!out || !t) goto fail;
    size_t w = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t a = be32(off + 4 * i), b = be32(off + 4 * (i + 1));
        long got = a <= b && b <= n ? lzw_window(t, d + a, b - a, maxbits, out + w, win) : -1;
        if (got < 0) {
            nn_errorf(ctx, NN_EFORMAT, "bible: %s: window %u of %u is corrupt", path, i + 1, count);
            goto fail;
        }
        w += (size_t)got;
    }
    out[w] = '\0';
    *len = w;
    goto done;
fail:
    nn_mfree(out);
    out = NULL;
done:
    nn_mfree(t);
    nn_text_free(raw);
    return out;
}
