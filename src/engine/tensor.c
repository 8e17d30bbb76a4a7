/* tensor.c: tensor creation, reference counting, gradients' buffers, copies, fills
 * and shape helpers. Ops are in op_*.c, the graph walk in autograd.c.
 *
 * A heap tensor is its struct (counted heap) and its data from the backend's alloc, on
 * the device (no data for views and wrapped memory). An arena tensor is one arena
 * block: the struct, padded to NN_ALIGN, then its data. Its saved buffer, grad and
 * inputs are released when its refcount drops to zero. Values cross between host and
 * device only through the backend's upload and download. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define HEADER_BYTES ((sizeof(nn_tnode) + NN_ALIGN - 1) / NN_ALIGN * NN_ALIGN)

char *nn_dims_str(int ndim, const int *shape, char *buf, size_t len) {
    size_t n = 0;
    if (len == 0) return buf;
    buf[0] = '\0';
    n += (size_t)snprintf(buf + n, len - n, "[");
    for (int i = 0; i < ndim && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, i ? ",%d" : "%d", shape[i]);
    if (n < len) snprintf(buf + n, len - n, "]");
    return buf;
}

char *nn_shape_str(const nn_tensor *t, char *buf, size_t len) {
    return nn_dims_str(t->ndim, t->shape, buf, len);
}

bool nn_same_shape(const nn_tensor *a, const nn_tensor *b) {
    if (a->ndim != b->ndim) return false;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != b->shape[i]) return false;
    return true;
}

int nn_check_shape(nn_ctx *ctx, const char *who, int ndim, const int *shape) {
    if (ndim < 1 || ndim > NN_MAX_DIMS)
        return nn_errorf(ctx, NN_ESHAPE, "%s: %d dimensions; tensors have 1 to %d", who, ndim,
                         NN_MAX_DIMS);
    int64_t size = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 1) {
            char s[64];
            return nn_errorf(ctx, NN_ESHAPE, "%s: shape %s: size %d of dimension %d is not >= 1",
                             who, nn_dims_str(ndim, shape, s, sizeof s), shape[i], i + 1);
        }
        size *= shape[i];
        if (size > ((int64_t)1 << 40)) {
            char s[64];
            return nn_errorf(ctx, NN_ESHAPE, "%s: shape %s is too large", who,
                             nn_dims_str(ndim, shape, s, sizeof s));
        }
    }
    return NN_OK;
}

nn_tensor *nn_tensor_alloc(nn_ctx *ctx, int ndim, const int *shape, bool in_arena, bool with_data) {
    int64_t size = 1;
    for (int i = 0; i < ndim; i++) size *= shape[i];
    float *data = NULL;
    unsigned char *mem;
    if (in_arena) {
        mem = nn_arena_alloc(ctx, HEADER_BYTES + (with_data ? nn_float_bytes(size) : 0));
        if (!mem) return NULL;
        if (with_data) data = (float *)(mem + HEADER_BYTES);
    } else {
        if (with_data) {
            size_t bytes = nn_float_bytes(size);
            if (!(data = ctx->backend->alloc(bytes))) {
                nn_errorf(ctx, NN_ENOMEM, "out of %s memory (%zu bytes)", ctx->backend->name,
                          bytes);
                return NULL;
            }
            ctx->heap_allocs++;
        }
        if (!(mem = nn_malloc(ctx, HEADER_BYTES))) {
            ctx->backend->free(data);
            return NULL;
        }
    }
    nn_tensor *t = (nn_tensor *)mem;
    memset(nn_tn(t), 0, sizeof(nn_tnode));
    t->data = data;
    nn_tn(t)->owns_data = data && !in_arena;
    t->ndim = ndim;
    for (int i = 0; i < NN_MAX_DIMS; i++) t->shape[i] = i < ndim ? shape[i] : 1;
    t->size = size;
    t->device = NN_CPU;
    nn_tn(t)->in_arena = in_arena;
    nn_tn(t)->refcount = 1;
    nn_tn(t)->op = NN_OP_LEAF;
    nn_tn(t)->ctx = ctx;
    return t;
}

bool nn_tensor_in_arena(const nn_tensor *t) {
    return nn_tn(t)->in_arena;
}

int nn_tensor_op(const nn_tensor *t) {
    return nn_tn(t)->op;
}

nn_tensor *nn_tensor_input(const nn_tensor *t, int i) {
    return i >= 0 && i < NN_MAX_INPUTS ? nn_tn(t)->inputs[i] : NULL;
}

nn_tensor *nn_tensor_retain(nn_tensor *t) {
    if (t && !nn_tn(t)->in_arena) nn_tn(t)->refcount++;
    return t;
}

/* Drops one reference; a tensor that reaches zero goes on the to-free list, linked
 * through its `saved` field (its saved buffer is freed first). */
static void drop(nn_tensor *t, nn_tensor **list) {
    if (!t || nn_tn(t)->in_arena) return;
    if (--nn_tn(t)->refcount > 0) return;
    nn_mfree(nn_tn(t)->saved);
    nn_tn(t)->saved = *list;
    *list = t;
}

/* Iterative, not recursive: freeing the last result of a long chain (an RNN unrolled
 * over a thousand steps) frees the whole chain without deep recursion. */
void nn_tensor_free(nn_tensor *t) {
    nn_tensor *list = NULL;
    drop(t, &list);
    while (list) {
        nn_tensor *d = list;
        list = nn_tn(d)->saved;
        for (int i = 0; i < NN_MAX_INPUTS; i++) drop(nn_tn(d)->inputs[i], &list);
        drop(nn_tn(d)->base, &list);
        drop(d->grad, &list);
        if (nn_tn(d)->owns_data) nn_tn(d)->ctx->backend->free(d->data);
        nn_mfree(d);
    }
}

int nn_ensure_grad(nn_ctx *ctx, nn_tensor *t) {
    if (t->grad) return NN_OK;
    bool arena = nn_tn(t)->in_arena && nn_tn(t)->op != NN_OP_LEAF;
    nn_tensor *g = nn_tensor_alloc(ctx, t->ndim, t->shape, arena, true);
    if (!g) return NN_ENOMEM;
    ctx->backend->fill(g->data, g->size, 0.0f);
    t->grad = g;
    return NN_OK;
}

int nn_norm_axis(nn_ctx *ctx, const char *who, const nn_tensor *t, int axis, int *out) {
    int a = axis < 0 ? axis + t->ndim : axis;
    if (a < 0 || a >= t->ndim) {
        char s[64];
        return nn_errorf(ctx, NN_EARG, "%s: axis %d is out of range for shape %s", who, axis,
                         nn_shape_str(t, s, sizeof s));
    }
    *out = a;
    return NN_OK;
}

/* ---- creation ---------------------------------------------------------------- */

static nn_tensor *new_leaf(nn_ctx *ctx, const char *who, int ndim, const int *shape) {
    if (!shape && ndim > 0) {
        nn_errorf(ctx, NN_EARG, "%s: no shape given", who);
        return NULL;
    }
    if (nn_check_shape(ctx, who, ndim, shape) != NN_OK) return NULL;
    return nn_tensor_alloc(ctx, ndim, shape, false, true);
}

/* Zeros come from the backend's zeroed memory, not a fill: on the CPU a large tensor of
 * zeros then takes no memory until it is written (a model's gradients before training,
 * its parameters before their initialisation writes them). */
static nn_tensor *filled(nn_ctx *ctx, const char *who, int ndim, const int *shape, float v) {
    if (v != 0.0f || signbit(v)) {
        nn_tensor *t = new_leaf(ctx, who, ndim, shape);
        if (t) ctx->backend->fill(t->data, t->size, v);
        return t;
    }
    if (!shape && ndim > 0) return new_leaf(ctx, who, ndim, shape); /* its message */
    if (nn_check_shape(ctx, who, ndim, shape) != NN_OK) return NULL;
    nn_tensor *t = nn_tensor_alloc(ctx, ndim, shape, false, false);
    if (!t) return NULL;
    size_t bytes = nn_float_bytes(t->size);
    if (!(t->data = ctx->backend->alloc_zeros(bytes))) {
        nn_errorf(ctx, NN_ENOMEM, "out of %s memory (%zu bytes)", ctx->backend->name, bytes);
        nn_tensor_free(t);
        return NULL;
    }
    nn_tn(t)->owns_data = true;
    ctx->heap_allocs++;
    return t;
}

nn_tensor *nn_full(nn_ctx *ctx, int ndim, const int *shape, float value) {
    return filled(ctx, "full", ndim, shape, value);
}

nn_tensor *nn_zeros(nn_ctx *ctx, int ndim, const int *shape) {
    return filled(ctx, "zeros", ndim, shape, 0.0f);
}

nn_tensor *nn_ones(nn_ctx *ctx, int ndim, const int *shape) {
    return filled(ctx, "ones", ndim, shape, 1.0f);
}

nn_tensor *nn_from_array(nn_ctx *ctx, int ndim, const int *shape, const float *values) {
    if (!values) {
        nn_errorf(ctx, NN_EARG, "tensor: no values given");
        return NULL;
    }
    nn_tensor *t = new_leaf(ctx, "tensor", ndim, shape);
    if (t) ctx->backend->upload(t->data, values, t->size);
    return t;
}

/* Values made on the host (ranges, random numbers) go to the device in chunks through
 * a buffer on the stack: no allocation, one upload per chunk. */
enum { HOST_CHUNK = 256 };

typedef float (*host_value_fn)(nn_ctx *ctx, int64_t i, const void *ud);

static void upload_values(nn_ctx *ctx, nn_tensor *t, host_value_fn value, const void *ud) {
    float buf[HOST_CHUNK];
    for (int64_t at = 0; at < t->size; at += HOST_CHUNK) {
        int64_t n = t->size - at < HOST_CHUNK ? t->size - at : HOST_CHUNK;
        for (int64_t i = 0; i < n; i++) buf[i] = value(ctx, at + i, ud);
        ctx->backend->upload(t->data + at, buf, n);
    }
}

/* start + i step, and a + i step (end exact), as doubles {start, step[, n, end]} */
static float ramp_value(nn_ctx *ctx, int64_t i, const void *ud) {
    (void)ctx;
    const double *r = ud;
    if (r[2] > 1 && (double)i == r[2] - 1) return (float)r[3];
    return (float)(r[0] + (double)i * r[1]);
}

/* lo + (hi - lo) u, and mean + std n, as doubles {lo, hi} and {mean, std} */
static float uniform_value(nn_ctx *ctx, int64_t i, const void *ud) {
    (void)i;
    const double *r = ud;
    return (float)(r[0] + (r[1] - r[0]) * nn_rand_uniform(ctx));
}

static float normal_value(nn_ctx *ctx, int64_t i, const void *ud) {
    (void)i;
    const double *r = ud;
    return (float)(r[0] + r[1] * nn_rand_normal(ctx));
}

nn_tensor *nn_arange(nn_ctx *ctx, float start, float stop, float step) {
    if (step == 0.0f || !(step == step)) {
        nn_errorf(ctx, NN_EARG, "arange: step %g must be a nonzero number", (double)step);
        return NULL;
    }
    double n = ceil(((double)stop - (double)start) / (double)step); /* NumPy's count */
    if (!(n >= 1)) {
        nn_errorf(ctx, NN_EARG, "arange: [%g, %g) in steps of %g is empty", (double)start,
                  (double)stop, (double)step);
        return NULL;
    }
    if (n > (double)((int64_t)1 << 31) - 1) {
        nn_errorf(ctx, NN_EARG, "arange: [%g, %g) in steps of %g has too many values",
                  (double)start, (double)stop, (double)step);
        return NULL;
    }
    int shape[1] = {(int)n};
    nn_tensor *t = new_leaf(ctx, "arange", 1, shape);
    const double ramp[4] = {start, step, 0, 0};
    if (t) upload_values(ctx, t, ramp_value, ramp);
    return t;
}

nn_tensor *nn_linspace(nn_ctx *ctx, float a, float b, int n) {
    if (n < 1) {
        nn_errorf(ctx, NN_EARG, "linspace: count %d must be >= 1", n);
        return NULL;
    }
    int shape[1] = {n};
    nn_tensor *t = new_leaf(ctx, "linspace", 1, shape);
    if (!t) return NULL;
    double step = n > 1 ? ((double)b - (double)a) / (n - 1) : 0.0;
    const double ramp[4] = {a, step, n, b}; /* exact end point, as NumPy */
    upload_values(ctx, t, ramp_value, ramp);
    return t;
}

nn_tensor *nn_rand(nn_ctx *ctx, int ndim, const int *shape, float lo, float hi) {
    nn_tensor *t = new_leaf(ctx, "rand", ndim, shape);
    const double range[2] = {lo, hi};
    if (t) upload_values(ctx, t, uniform_value, range);
    return t;
}

nn_tensor *nn_randn(nn_ctx *ctx, int ndim, const int *shape, float mean, float std) {
    nn_tensor *t = new_leaf(ctx, "randn", ndim, shape);
    const double dist[2] = {mean, std};
    if (t) upload_values(ctx, t, normal_value, dist);
    return t;
}

nn_tensor *nn_wrap(nn_ctx *ctx, int ndim, const int *shape, float *data) {
    if (!data) {
        nn_errorf(ctx, NN_EARG, "wrap: no memory given");
        return NULL;
    }
    if (nn_check_shape(ctx, "wrap", ndim, shape) != NN_OK) return NULL;
    nn_tensor *t = nn_tensor_alloc(ctx, ndim, shape, false, false);
    if (t) t->data = data;
    return t;
}

/* ---- leaves, gradients, copies ----------------------------------------------- */

int nn_requires_grad(nn_tensor *t, bool on) {
    if (!t) return NN_EARG;
    if (nn_tn(t)->op != NN_OP_LEAF)
        return nn_errorf(nn_tn(t)->ctx, NN_ESTATE,
                         "requires_grad: only leaves can require grad; this is the result of %s "
                         "(use copy() or detach() for a new leaf)",
                         nn_op_name(nn_tn(t)->op));
    t->requires_grad = on;
    return NN_OK;
}

void nn_zero_grad(nn_tensor *t) {
    if (t && t->grad) nn_tn(t)->ctx->backend->fill(t->grad->data, t->grad->size, 0.0f);
}

nn_tensor *nn_copy(nn_ctx *ctx, const nn_tensor *t) {
    if (!t) {
        nn_errorf(ctx, NN_EARG, "copy: no tensor given");
        return NULL;
    }
    nn_tensor *c = nn_tensor_alloc(ctx, t->ndim, t->shape, false, true);
    if (c) ctx->backend->copy(c->data, t->data, t->size);
    return c;
}

int nn_copy_into(nn_tensor *dst, const nn_tensor *src) {
    if (!dst || !src) {
        nn_ctx *ctx = dst ? nn_tn(dst)->ctx : src ? nn_tn(src)->ctx : NULL;
        return nn_errorf(ctx, NN_EARG, "copy: no %s tensor given", dst ? "source" : "destination");
    }
    if (dst->size != src->size) {
        char a[64], b[64];
        return nn_errorf(nn_tn(dst)->ctx, NN_ESHAPE, "copy: %s into %s: sizes %lld and %lld differ",
                         nn_shape_str(src, a, sizeof a), nn_shape_str(dst, b, sizeof b),
                         (long long)src->size, (long long)dst->size);
    }
    nn_tn(dst)->ctx->backend->copy(dst->data, src->data, src->size);
    return NN_OK;
}

int nn_fill(nn_tensor *t, float value) {
    if (!t) return NN_EARG; /* no context to hold a message */
    nn_tn(t)->ctx->backend->fill(t->data, t->size, value);
    return NN_OK;
}

float nn_get(const nn_tensor *t, int64_t index) {
    if (!t) return NAN;
    if (index < 0 || index >= t->size) {
        char s[64];
        nn_errorf(nn_tn(t)->ctx, NN_EARG,
                  "get: index %lld is out of range for shape %s (%lld values)", (long long)index,
                  nn_shape_str(t, s, sizeof s), (long long)t->size);
        return NAN;
    }
    float v;
    nn_tn(t)->ctx->backend->download(&v, t->data + index, 1);
    return v;
}

int nn_read(const nn_tensor *t, float *out) {
    if (!t) return NN_EARG;
    if (!out) return nn_errorf(nn_tn(t)->ctx, NN_EARG, "read: no memory to read into");
    nn_tn(t)->ctx->backend->download(out, t->data, t->size);
    return NN_OK;
}
