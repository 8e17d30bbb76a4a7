/* modelfile.c: saving and loading models (and optionally an optimizer's state).
 *
 * The format, version 1, all numbers little-endian (the host order; a big-endian
 * host reads a wrong version and refuses the file):
 *
 *   offset  size  field
 *   0       8     magic "NNLABMDL"
 *   8       4     u32 version = 1
 *   12      4     u32 flags: bit 0 = an optimizer's state follows the parameters
 *   16      8     u64 payload length P
 *   24      P     payload
 *   24+P    4     u32 CRC-32 (zlib's crc32) of bytes [0, 24+P)
 *
 * Payload: the module tree in pre-order, one node each:
 *   u32 kind (nn_module_kind), i32 in, i32 out, u32 activation, f32 a, f32 eps,
 *   u32 children, u32 frozen, f32 l1, f32 l2, then the children's nodes, then what
 *   the kind's def saves (batch norm: f32 running[2*out], mean then var; reshape:
 *   u32 k, i32 shape[k]); each kind builds itself back in its def's load, which
 *   reads that (mod_<kind>.c);
 * then u64 n and the parameter block f32[n]; then, with flag bit 0, the optimizer:
 *   u32 kind, f32 hp[13] (lr, momentum, beta1, beta2, rho, eps, weight_decay,
 *   clip_norm, clip_value, eta_plus, eta_minus, step_min, step_max), i64 steps,
 *   u32 nstate, f32 state[nstate*n].
 * A file is written to "<path>.tmp-XXXXXX" in the same folder, flushed and renamed
 * over path, so a crash leaves the old file or the new one, never half of one. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "module_internal.h"

#define MAGIC     "NNLABMDL"
#define VERSION   1
#define HEAD      24
#define MAX_DEPTH 64
#define N_HP      13

struct nn_mfile_out {
    nn_ctx *ctx;
    unsigned char *p;
    size_t len, cap;
    bool oom;
};
typedef nn_mfile_out buf;

static void put(buf *b, const void *src, size_t n) {
    if (b->oom) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n) cap *= 2;
        unsigned char *q = nn_realloc(b->ctx, b->p, cap);
        if (!q) {
            b->oom = true;
            return;
        }
        b->p = q, b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}
void nn_mfile_write(nn_mfile_out *w, const void *src, size_t bytes) {
    put(w, src, bytes);
}
static void put_u32(buf *b, uint32_t v) {
    put(b, &v, 4);
}
static void put_f32(buf *b, float v) {
    put(b, &v, 4);
}

static void put_node(buf *b, const nn_module *m) {
    put_u32(b, (uint32_t)m->kind);
    put_u32(b, (uint32_t)m->in);
    put_u32(b, (uint32_t)m->out);
    put_u32(b, (uint32_t)m->act);
    put_f32(b, m->a);
    put_f32(b, m->eps);
    put_u32(b, (uint32_t)m->nkids);
    put_u32(b, m->frozen);
    put_f32(b, m->l1);
    put_f32(b, m->l2);
    for (int i = 0; i < m->nkids; i++) put_node(b, m->kids[i]);
    if (nn_module_def_of(m)->save) nn_module_def_of(m)->save(m, b); /* after the children */
}

/* The first module of m's tree whose kind has no record in model files (no load),
 * or NULL when the whole tree can be saved. */
static const nn_module *unsaveable(const nn_module *m) {
    if (!nn_module_def_of(m)->load) return m;
    for (int i = 0; i < m->nkids; i++) {
        const nn_module *k = unsaveable(m->kids[i]);
        if (k) return k;
    }
    return NULL;
}

static void hp_array(const nn_optim_hp *h, float *a) {
    float v[N_HP] = {h->lr,        h->momentum,     h->beta1,     h->beta2,      h->rho,
                     h->eps,       h->weight_decay, h->clip_norm, h->clip_value, h->eta_plus,
                     h->eta_minus, h->step_min,     h->step_max};
    memcpy(a, v, sizeof v);
}

/* sgd's nesterov flag is not in the record (its 13 floats predate it): it loads off. */
static nn_optim_hp hp_from(const float *a) {
    nn_optim_hp h = {a[0], a[1], a[2], a[3],  a[4],  a[5],  a[6],
                     a[7], a[8], a[9], a[10], a[11], a[12], 0};
    return h;
}

/* The mode the saved file gets: an existing file's own, else what open(2) gives a
 * new file, 0666 less the umask (mkstemp makes its file 0600, which would keep a
 * model from the others who read the folder). umask can only be read by setting
 * it, so it is set back at once; the engine runs on one thread. */
static mode_t file_mode(const char *path) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

int nn_model_save(nn_ctx *ctx, nn_module *m, const nn_optim *o, const char *path) {
    if (o && nn_optim_size(o) != m->np)
        return nn_errorf(ctx, NN_EARG,
                         "save: the optimizer is for %lld parameters, the model has %lld",
                         (long long)nn_optim_size(o), (long long)m->np);
    const nn_module *bad = unsaveable(m);
    if (bad)
        return nn_errorf(ctx, NN_EARG, "save: a %s module cannot be kept in a model file",
                         nn_module_name(bad));
    buf b = {.ctx = ctx};
    uint64_t zero = 0;
    put(&b, MAGIC, 8);
    put_u32(&b, VERSION);
    put_u32(&b, o ? 1 : 0);
    put(&b, &zero, 8);
    put_node(&b, m);
    uint64_t n = (uint64_t)m->np;
    put(&b, &n, 8);
    if (n) put(&b, m->blk->p + m->off, n * sizeof(float));
    if (o) {
        float hp[N_HP];
        nn_optim *oo = (nn_optim *)o; /* read-only use of the state getters */
        hp_array(nn_optim_hparams(oo), hp);
        int64_t t = nn_optim_steps(o);
        put_u32(&b, (uint32_t)nn_optim_kind_of(o));
        put(&b, hp, sizeof hp);
        put(&b, &t, 8);
        put_u32(&b, (uint32_t)nn_optim_nstate(o));
        for (int i = 0; i < nn_optim_nstate(o); i++)
            put(&b, nn_optim_state(oo, i), n * sizeof(float));
    }
    if (b.oom) {
        nn_mfree(b.p);
        return NN_ENOMEM;
    }
    uint64_t plen = b.len - HEAD;
    memcpy(b.p + 16, &plen, 8);
    uint32_t crc = (uint32_t)crc32(0L, b.p, (uInt)b.len);
    put_u32(&b, crc);
    if (b.oom) {
        nn_mfree(b.p);
        return NN_ENOMEM;
    }
    size_t plen_path = strlen(path);
    char *tmp = nn_malloc(ctx, plen_path + 16);
    if (!tmp) {
        nn_mfree(b.p);
        return NN_ENOMEM;
    }
    snprintf(tmp, plen_path + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    int rc = NN_OK;
    if (fd < 0) {
        rc = nn_errorf(ctx, NN_EIO, "save: cannot create a file beside %s: %s", path,
                       strerror(errno));
    } else {
        FILE *f = fdopen(fd, "wb");
        bool ok = f && fchmod(fd, file_mode(path)) == 0 && fwrite(b.p, 1, b.len, f) == b.len &&
                  fflush(f) == 0 && fsync(fd) == 0;
        int err = errno;
        if (f)
            ok = fclose(f) == 0 && ok;
        else
            close(fd);
        if (!ok || rename(tmp, path) != 0) {
            if (ok) err = errno;
            unlink(tmp);
            rc = nn_errorf(ctx, NN_EIO, "save: cannot write %s: %s", path, strerror(err));
        }
    }
    nn_mfree(tmp);
    nn_mfree(b.p);
    return rc;
}

/* ---- loading ----------------------------------------------------------------- */

struct nn_mfile_in {
    nn_ctx *ctx;
    const unsigned char *p;
    size_t len, at;
    const char *path;
    bool bad;
    int64_t claimed; /* floats the records read so far say follow in the file */
};
typedef nn_mfile_in rd;

static bool get(rd *r, void *dst, size_t n) {
    if (r->bad || n > r->len - r->at) {
        r->bad = true;
        return false;
    }
    memcpy(dst, r->p + r->at, n);
    r->at += n;
    return true;
}
bool nn_mfile_read(nn_mfile_in *r, void *dst, size_t bytes) {
    return get(r, dst, bytes);
}
bool nn_mfile_claim(nn_mfile_in *r, int64_t floats, const char *what) {
    if (floats >= 0) r->claimed += floats;
    if (floats < 0 || r->claimed > (int64_t)((r->len - r->at) / sizeof(float))) {
        if (!r->bad)
            nn_errorf(r->ctx, NN_EFORMAT, "load: %s: a %s record's sizes do not fit the file",
                      r->path, what);
        r->bad = true;
        return false;
    }
    return true;
}
static uint32_t get_u32(rd *r) {
    uint32_t v = 0;
    get(r, &v, 4);
    return v;
}
static float get_f32(rd *r) {
    float v = 0;
    get(r, &v, 4);
    return v;
}

static nn_module *read_node(rd *r, int depth) {
    nn_ctx *ctx = r->ctx;
    uint32_t kind = get_u32(r);
    int in = (int)get_u32(r), out = (int)get_u32(r);
    uint32_t act = get_u32(r);
    float a = get_f32(r), eps = get_f32(r);
    uint32_t nk = get_u32(r), frozen = get_u32(r);
    float l1 = get_f32(r), l2 = get_f32(r);
    if (r->bad) return NULL;
    const nn_module_def *def = kind < NN_MOD_COUNT ? nn_module_defs[kind] : NULL;
    if (!def || !def->load || depth > MAX_DEPTH ||
        (def->container ? nk < 1 || nk > 1u << 16 : nk != 0)) {
        nn_errorf(ctx, NN_EFORMAT, "load: %s: a module record is not valid (kind %u, %u children)",
                  r->path, kind, nk);
        r->bad = true;
        return NULL;
    }
    nn_module_rec rec = {(int)kind, in, out, (int)act, a, eps, (int)nk};
    nn_module *m = NULL, **kids = NULL;
    uint32_t got = 0;
    if (nk && !(kids = nn_calloc(ctx, nk, sizeof *kids))) return NULL;
    while (got < nk && (kids[got] = read_node(r, depth + 1))) got++;
    if (got == nk) m = def->load(ctx, &rec, kids, r);
    for (uint32_t j = 0; j < got; j++) nn_module_free(kids[j]);
    nn_mfree(kids);
    if (!m) {
        r->bad = true;
        return NULL;
    }
    if (m->in != in || m->out != out) {
        nn_errorf(ctx, NN_EFORMAT,
                  "load: %s: a %s module says %d -> %d but its parts give %d -> %d", r->path,
                  nn_module_name(m), in, out, m->in, m->out);
        nn_module_free(m);
        r->bad = true;
        return NULL;
    }
    m->frozen = frozen != 0, m->l1 = l1, m->l2 = l2;
    return m;
}

static unsigned char *slurp(nn_ctx *ctx, const char *path, size_t *len) {
    FILE *f = nn_open_regular(ctx, path, "rb"); /* its message: folders, FIFOs refused */
    if (!f) {
        return NULL;
    }
    unsigned char *p = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (p = nn_malloc(ctx, (size_t)n + 1)) && fread(p, 1, (size_t)n, f) != (size_t)n) {
        nn_errorf(ctx, NN_EIO, "load: cannot read %s", path);
        nn_mfree(p);
        p = NULL;
    }
    if (n < 0) nn_errorf(ctx, NN_EIO, "load: cannot read %s: %s", path, strerror(errno));
    fclose(f);
    *len = n < 0 ? 0 : (size_t)n;
    return p;
}

static nn_optim *read_optim(rd *r, int64_t n) {
    uint32_t kind = get_u32(r);
    float hp[N_HP];
    int64_t t = 0;
    get(r, hp, sizeof hp);
    get(r, &t, 8);
    uint32_t ns = get_u32(r);
    if (r->bad || kind >= NN_OPT_COUNT) {
        r->bad = true;
        return NULL;
    }
    nn_optim_hp h = hp_from(hp);
    const char *name; /* a NaN lr would pass for a number until the first step */
    for (int i = 0; (name = nn_optim_hp_name(i)); i++) {
        float v = *nn_optim_hp_field(&h, name);
        if (!isfinite(v) || v < 0) {
            nn_errorf(r->ctx, NN_EFORMAT,
                      "load: %s: the saved optimizer (%s) has %s = %g; settings must be finite "
                      "and >= 0",
                      r->path, nn_optim_name((nn_optim_kind)kind), name, v);
            r->bad = true;
            return NULL;
        }
    }
    nn_optim *o = nn_optim_new(r->ctx, (nn_optim_kind)kind, h, n);
    if (!o) return NULL;
    if (ns != (uint32_t)nn_optim_nstate(o)) {
        nn_optim_free(o);
        r->bad = true;
        return NULL;
    }
    for (uint32_t i = 0; i < ns; i++) get(r, nn_optim_state(o, (int)i), (size_t)n * sizeof(float));
    nn_optim_set_steps(o, t);
    return o;
}

nn_module *nn_model_load(nn_ctx *ctx, const char *path, nn_optim **o) {
    if (o) *o = NULL;
    nn_clear_error(ctx);
    size_t len;
    unsigned char *p = slurp(ctx, path, &len);
    if (!p) return NULL;
    nn_module *m = NULL;
    uint32_t version, flags, crc;
    uint64_t plen;
    if (len < 8 || memcmp(p, MAGIC, 8) != 0) {
        nn_errorf(ctx, NN_EFORMAT, "load: %s is not an nnlab model (no NNLABMDL header)", path);
        goto done;
    }
    if (len < HEAD + 4) {
        nn_errorf(ctx, NN_EFORMAT, "load: %s is truncated (%zu bytes)", path, len);
        goto done;
    }
    memcpy(&version, p + 8, 4);
    memcpy(&flags, p + 12, 4);
    memcpy(&plen, p + 16, 8);
    if (version != VERSION) {
        nn_errorf(ctx, NN_EFORMAT, "load: %s has format version %u; this nnlab reads version %d",
                  path, version, VERSION);
        goto done;
    }
    if (plen != len - HEAD - 4) {
        nn_errorf(ctx, NN_EFORMAT,
                  "load: %s is %s: the header says %llu payload bytes, there are %zu", path,
                  plen > len - HEAD - 4 ? "truncated" : "longer than it says",
                  (unsigned long long)plen, len - HEAD - 4);
        goto done;
    }
    memcpy(&crc, p + len - 4, 4);
    if (crc != (uint32_t)crc32(0L, p, (uInt)(len - 4))) {
        nn_errorf(ctx, NN_EFORMAT, "load: %s is corrupted (CRC-32 mismatch)", path);
        goto done;
    }
    rd r = {.ctx = ctx, .p = p, .len = len - 4, .at = HEAD, .path = path};
    m = read_node(&r, 0);
    uint64_t n = 0;
    get(&r, &n, 8);
    if (m && !r.bad && n == (uint64_t)m->np) {
        if (n) get(&r, m->blk->p + m->off, n * sizeof(float));
        if ((flags & 1) && o && n) *o = read_optim(&r, (int64_t)n);
        if ((flags & 1) && !o) r.at = r.len; /* the optimizer is not wanted */
    } else if (m) {
        r.bad = true;
    }
    if (r.bad || r.at != r.len) {
        if (!nn_error(ctx)[0])
            nn_errorf(ctx, NN_EFORMAT, "load: %s: the contents do not match their description",
                      path);
        nn_module_free(m);
        m = NULL;
        if (o) {
            nn_optim_free(*o);
            *o = NULL;
        }
    }
done:
    nn_mfree(p);
    return m;
}

/* A deep copy through the file format in memory: every kind that can be saved
 * (batch norm with its running statistics, residual blocks, containers) is rebuilt
 * by its own load, so a copy needs no code per kind. */
nn_module *nn_model_copy(nn_ctx *ctx, nn_module *m) {
    nn_clear_error(ctx);
    const nn_module *bad = unsaveable(m);
    if (bad) {
        nn_errorf(ctx, NN_EARG, "copy: a %s module cannot be copied", nn_module_name(bad));
        return NULL;
    }
    buf b = {.ctx = ctx};
    put_node(&b, m);
    if (m->np) put(&b, m->blk->p + m->off, (size_t)m->np * sizeof(float));
    if (b.oom) {
        nn_mfree(b.p);
        nn_errorf(ctx, NN_ENOMEM, "copy: out of memory");
        return NULL;
    }
    rd r = {.ctx = ctx, .p = b.p, .len = b.len, .path = "(copy)"};
    nn_module *c = read_node(&r, 0);
    if (c && !r.bad && c->np == m->np) {
        if (c->np) get(&r, c->blk->p + c->off, (size_t)c->np * sizeof(float));
    } else if (c) {
        r.bad = true;
    }
    if (c && (r.bad || r.at != r.len)) {
        if (!nn_error(ctx)[0])
            nn_errorf(ctx, NN_EFORMAT, "copy: the copy of a %s does not match it",
                      nn_module_name(m));
        nn_module_free(c);
        c = NULL;
    }
    nn_mfree(b.p);
    return c;
}
