/* text.c: reading a whole text file, plain or gzip-compressed (dictzip's .dict.dz is
 * gzip), for the corpora of lua/text.lua. Tokenising and vocabularies are Lua's:
 * this only gets the bytes in, refusing folders, FIFOs and files too big to hold. */
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
