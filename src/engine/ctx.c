/* ctx.c: the engine context: error messages, the random generator, grad mode, the
 * counted heap allocator and the step arena. Tensors and ops live elsewhere. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- errors --------------------------------------------------------------- */

int nn_errorf(nn_ctx *ctx, int code, const char *fmt, ...) {
    if (!ctx) return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err, sizeof ctx->err, fmt, ap);
    va_end(ap);
    return code;
}

const char *nn_error(const nn_ctx *ctx) {
    return ctx ? ctx->err : "no context";
}

void nn_clear_error(nn_ctx *ctx) {
    if (ctx) ctx->err[0] = '\0';
}

/* ---- counted heap ---------------------------------------------------------- */

void *nn_malloc(nn_ctx *ctx, size_t bytes) {
    void *p = NULL;
    if (posix_memalign(&p, NN_ALIGN, bytes ? bytes : 1) != 0) {
        nn_errorf(ctx, NN_ENOMEM, "out of memory (%zu bytes)", bytes);
        return NULL;
    }
    if (ctx) ctx->heap_allocs++;
    return p;
}

void *nn_calloc(nn_ctx *ctx, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) {
        nn_errorf(ctx, NN_ENOMEM, "out of memory (%zu x %zu bytes)", n, size);
        return NULL;
    }
    void *p = nn_malloc(ctx, n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void *nn_realloc(nn_ctx *ctx, void *p, size_t bytes) {
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q) {
        nn_errorf(ctx, NN_ENOMEM, "out of memory (%zu bytes)", bytes);
        return NULL;
    }
    if (ctx) ctx->heap_allocs++;
    return q;
}

void nn_mfree(void *p) {
    free(p);
}

uint64_t nn_heap_allocs(const nn_ctx *ctx) {
    return ctx ? ctx->heap_allocs : 0;
}

/* ---- arena ------------------------------------------------------------------ */

#define ARENA_MIN_BLOCK ((size_t)1 << 20) /* 1 MiB: a few blocks cover a small MLP step */

struct nn_arena_block {
    nn_arena_block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    /* data follows, at offset NN_ALIGN */
};

static unsigned char *block_data(nn_arena_block *b) {
    return (unsigned char *)b + NN_ALIGN;
}

void *nn_arena_alloc(nn_ctx *ctx, size_t bytes) {
    nn_arena *a = &ctx->arena;
    bytes = (bytes + NN_ALIGN - 1) / NN_ALIGN * NN_ALIGN;
    if (bytes == 0) bytes = NN_ALIGN;
    /* Skip to a block with room; after a reset the same requests land in the same
     * blocks, so a step of a fixed shape reuses them all. */
    nn_arena_block *prev = a->cur;
    for (nn_arena_block *b = a->cur; b; prev = b, b = b->next) {
        if (b->size - b->used >= bytes) {
            void *p = block_data(b) + b->used;
            b->used += bytes;
            a->cur = b;
            return p;
        }
    }
    size_t size = bytes > ARENA_MIN_BLOCK ? bytes : ARENA_MIN_BLOCK;
    nn_arena_block *b = nn_malloc(ctx, NN_ALIGN + size);
    if (!b) return NULL;
    b->next = NULL;
    b->size = size;
    b->used = bytes;
    if (prev)
        prev->next = b;
    else
        a->head = b;
    a->cur = b;
    return block_data(b);
}

void nn_arena_reset(nn_ctx *ctx) {
    for (nn_arena_block *b = ctx->arena.head; b; b = b->next) b->used = 0;
    ctx->arena.cur = ctx->arena.head;
}

size_t nn_arena_capacity(const nn_ctx *ctx) {
    size_t n = 0;
    for (nn_arena_block *b = ctx->arena.head; b; b = b->next) n += b->size;
    return n;
}

void nn_step_begin(nn_ctx *ctx) {
    nn_arena_reset(ctx);
    ctx->in_step = true;
}

void nn_step_end(nn_ctx *ctx) {
    ctx->in_step = false;
}

/* ---- context ---------------------------------------------------------------- */

nn_ctx *nn_ctx_new(void) {
    nn_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    ctx->grad_enabled = true;
    ctx->backend = &nn_backend_cpu;
    ctx->heap_allocs = 1; /* the context itself */
    nn_seed(ctx, 0);
    return ctx;
}

void nn_ctx_free(nn_ctx *ctx) {
    if (!ctx) return;
    nn_arena_block *b = ctx->arena.head;
    while (b) {
        nn_arena_block *next = b->next;
        nn_mfree(b);
        b = next;
    }
    nn_mfree(ctx->topo);
    nn_mfree(ctx->stack);
    free(ctx);
}

bool nn_set_grad_enabled(nn_ctx *ctx, bool enabled) {
    if (!ctx) return false;
    bool old = ctx->grad_enabled;
    ctx->grad_enabled = enabled;
    return old;
}

bool nn_grad_enabled(const nn_ctx *ctx) {
    return ctx && ctx->grad_enabled;
}

/* ---- random generator ------------------------------------------------------- */

/* xoshiro256** (nn_xoshiro_next in backend.h), seeded by splitmix64 as its authors
 * recommend: four state words from one 64-bit seed, never all zero. */
static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void nn_seed(nn_ctx *ctx, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) ctx->rng[i] = splitmix64(&x);
}

double nn_rand_uniform(nn_ctx *ctx) {
    return nn_xoshiro_uniform(ctx->rng);
}

/* Box-Muller, one value per call (no cached spare, so the state is only the four
 * words and a reseed fully restarts the sequence). */
double nn_rand_normal(nn_ctx *ctx) {
    const double two_pi = 6.283185307179586476925;
    double u1 = 1.0 - nn_rand_uniform(ctx); /* (0, 1]: log is finite */
    double u2 = nn_rand_uniform(ctx);
    return sqrt(-2.0 * log(u1)) * cos(two_pi * u2);
}

/* Rejection of the low values that would bias r % n. */
uint32_t nn_rand_below(nn_ctx *ctx, uint32_t n) {
    if (n <= 1) return 0;
    uint32_t threshold = (uint32_t)(-n) % n;
    for (;;) {
        uint32_t r = (uint32_t)(nn_xoshiro_next(ctx->rng) >> 32);
        if (r >= threshold) return r % n;
    }
}

int nn_kind_from_name(const char *name, const char *const *names, int n,
                      const nn_name_alias *aliases) {
    if (!name) return -1;
    for (int i = 0; i < n; i++)
        if (names[i] && !strcmp(name, names[i])) return i;
    for (const nn_name_alias *a = aliases; a && a->name; a++)
        if (!strcmp(name, a->name)) return a->kind;
    return -1;
}
