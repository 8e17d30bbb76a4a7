/* internal.h: what the engine's .c files share and nobody outside the engine sees.
 *
 * Errors (nn_errorf), the counted heap allocator, the step arena, the op kinds and
 * the op table (shape check, forward and backward side by side per op), the context
 * struct, and tensor helpers used by ops. Public API and contracts are in nn.h.
 *
 * Memory rules for engine code:
 *  - Every heap allocation goes through nn_malloc/nn_calloc/nn_realloc (counted, so
 *    a test can prove a steady-state step allocates nothing) and is freed with
 *    nn_mfree.
 *  - Between nn_step_begin and nn_step_end (ctx->in_step) op results, their saved
 *    buffers and intermediate gradients come from the arena (nn_arena_alloc). Arena
 *    results do NOT take references to their inputs: the caller keeps parameters and
 *    inputs alive for the step. Heap results do take references.
 */
#ifndef NN_INTERNAL_H
#define NN_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backend.h"
#include "nn.h"

#define NN_ERR_LEN 256
#define NN_ALIGN   64 /* bytes; arena blocks and tensor data are aligned for SIMD loads */

/* ---- errors --------------------------------------------------------------- */

/* Writes a one-line message into ctx's error buffer and returns code, so that
 * `return nn_errorf(ctx, NN_ESHAPE, "add: %s and %s do not broadcast", sa, sb);`
 * works. Accepts a NULL ctx (then only returns code). */
int nn_errorf(nn_ctx *ctx, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- names of kinds ---------------------------------------------------------- */

/* Another name of a kind ("glorot_uniform" for xavier_uniform). */
typedef struct nn_name_alias {
    const char *name;
    int kind;
} nn_name_alias;

/* The kind called name: its index in names[0..n), else the kind of its entry in
 * aliases (ended by a NULL name; aliases itself may be NULL), else -1 (also for a
 * NULL name). Every nn_<thing>_from_name is this over its table. */
int nn_kind_from_name(const char *name, const char *const *names, int n,
                      const nn_name_alias *aliases);
/* ---- files (fileio.c) -------------------------------------------------------- */

/* fopen(path, mode) for reading ("r", "rb") that refuses at once what is not a
 * regular file (a folder, a FIFO, a device): NULL with an NN_EIO message
 * "cannot open PATH: not a regular file (a folder)" or "cannot open PATH: <reason>".
 * The caller fcloses the result. */
FILE *nn_open_regular(nn_ctx *ctx, const char *path, const char *mode);

/* ---- counted heap ---------------------------------------------------------- */

/* malloc/calloc/realloc that count into ctx->heap_allocs and, on failure, set an
 * NN_ENOMEM message and return NULL. nn_malloc returns NN_ALIGN-aligned memory. */
void *nn_malloc(nn_ctx *ctx, size_t bytes);
void *nn_calloc(nn_ctx *ctx, size_t n, size_t size);
void *nn_realloc(nn_ctx *ctx, void *p, size_t bytes);
/* Frees memory from the three above. Accepts NULL. */
void nn_mfree(void *p);

/* ---- arena ------------------------------------------------------------------ */

/* A list of blocks. Allocation bumps a pointer in the current block and moves to
 * the next block (or adds one, on the heap) when it does not fit. A reset rewinds to
 * the first block and keeps every block, so the second step of the same shape
 * allocates nothing. */
typedef struct nn_arena_block nn_arena_block;
typedef struct nn_arena {
    nn_arena_block *head; /* first block */
    nn_arena_block *cur;  /* block being filled */
} nn_arena;

/* NN_ALIGN-aligned memory that lives until the next nn_arena_reset; NULL with an
 * NN_ENOMEM message when a new block cannot be had. Not zeroed. */
void *nn_arena_alloc(nn_ctx *ctx, size_t bytes);
/* Rewinds the arena; every earlier arena pointer becomes invalid. */
void nn_arena_reset(nn_ctx *ctx);
/* Bytes held by the arena's blocks (for tests and the REPL's memory report). */
size_t nn_arena_capacity(const nn_ctx *ctx);

/* ---- the context ------------------------------------------------------------ */

struct nn_ctx {
    char err[NN_ERR_LEN]; /* last message, "" if none */
    uint64_t rng[4];      /* xoshiro256** state, seeded through splitmix64 */
    bool grad_enabled;    /* false inside a no-grad scope */
    bool in_step;         /* between nn_step_begin and nn_step_end */
    nn_arena arena;
    uint64_t heap_allocs;      /* counted by nn_malloc & co */
    nn_tensor **topo;          /* backward's scratch list, grown, never shrunk */
    size_t topo_cap;           /* entries in topo */
    nn_tensor **stack;         /* backward's DFS stack, same capacity as topo */
    unsigned mark;             /* traversal generation, compared with tensor->mark */
    const nn_backend *backend; /* kernels of the device in use */
};

/* ---- ops -------------------------------------------------------------------- */

/* Op kinds: index into nn_ops. NN_OP_LEAF (0, in nn.h) marks leaves. Training ops
 * (layers, fused losses) are added before NN_OP_COUNT, with an entry in nn_ops. */
enum nn_op_kind {
    /* views and data movement (op_shape.c) */
    NN_OP_RESHAPE = NN_OP_LEAF + 1,
    NN_OP_TRANSPOSE,
    NN_OP_SLICE_ROWS,
    NN_OP_GATHER_ROWS,
    /* elementwise with broadcasting (op_elementwise.c) */
    NN_OP_ADD,
    NN_OP_SUB,
    NN_OP_MUL,
    NN_OP_DIV,
    /* elementwise with a scalar, and unary (op_elementwise.c) */
    NN_OP_SCALE,
    NN_OP_ADD_SCALAR,
    NN_OP_POW,
    NN_OP_NEG,
    NN_OP_EXP,
    NN_OP_LOG,
    NN_OP_SQRT,
    NN_OP_ABS,
    NN_OP_TANH,
    NN_OP_SIGMOID,
    NN_OP_RELU,
    /* reductions (op_reduce.c) */
    NN_OP_SUM,
    NN_OP_MEAN,
    NN_OP_MAX,
    NN_OP_ARGMAX,
    /* matmul (op_matmul.c), softmax (op_softmax.c) */
    NN_OP_MATMUL,
    NN_OP_SOFTMAX,
    NN_OP_LOG_SOFTMAX,
    /* training ops go here */
    NN_OP_ACTIVATION, /* op_activation.c (issue 5) */
    NN_OP_PRELU,
    NN_OP_DROPOUT, /* op_dropout.c */
    NN_OP_LOSS,    /* op_loss.c: every loss of loss.c, fused */
    NN_OP_CONV2D,  /* op_conv.c: x [B,C,H,W] and w [K, C/groups*kh*kw] */
    NN_OP_POOL2D,  /* op_conv.c: max or average pooling */
    /* op_conv.c: conv2d's adjoint; op_concat.c: joining along axis 1 */
    NN_OP_CONV_TRANSPOSE2D,
    NN_OP_CONCAT,
    NN_OP_COUNT
};

/* One op: everything about it side by side. The op's inputs and arguments are in
 * the result tensor (out->inputs, out->fargs, out->iargs) when these are called. */
typedef struct nn_op_def {
    const char *name;
    int ninputs;         /* 1..NN_MAX_INPUTS */
    bool view;           /* the result shares input 0's memory: forward sets out->data */
    bool differentiable; /* false: the result never requires grad (argmax) */
    size_t extra_bytes;  /* bytes of nn_op_apply's extra copied into saved; 0: all of it */
    /* Sets out->ndim and out->shape (trailing entries 1) and *saved, the number of
     * floats forward wants to keep for backward (0 if none). Returns NN_OK or an
     * nn_errorf code naming the shapes. */
    int (*shape)(nn_ctx *ctx, nn_tensor *out, size_t *saved);
    /* Computes out->data (or points it into input 0 for views). Cannot fail. */
    void (*forward)(nn_ctx *ctx, nn_tensor *out);
    /* Adds d(loss)/d(input) into inputs[i]->grad->data for every input that
     * requires grad (those grads exist and are zeroed or accumulating), reading
     * out->grad. NULL for non-differentiable ops. */
    void (*backward)(nn_ctx *ctx, nn_tensor *out);
} nn_op_def;

/* The op table, indexed by enum nn_op_kind (autograd.c). */
extern const nn_op_def *const nn_ops[NN_OP_COUNT];

/* The defs, one per op, defined in the op_*.c files. */
extern const nn_op_def nn_op_reshape, nn_op_transpose, nn_op_slice_rows, nn_op_gather_rows;
extern const nn_op_def nn_op_add, nn_op_sub, nn_op_mul, nn_op_div;
extern const nn_op_def nn_op_scale, nn_op_add_scalar, nn_op_pow, nn_op_neg, nn_op_exp, nn_op_log,
    nn_op_sqrt, nn_op_abs, nn_op_tanh, nn_op_sigmoid, nn_op_relu;
extern const nn_op_def nn_op_sum, nn_op_mean, nn_op_max, nn_op_argmax;
extern const nn_op_def nn_op_matmul, nn_op_softmax, nn_op_log_softmax;
extern const nn_op_def nn_op_activation, nn_op_prelu, nn_op_dropout, nn_op_loss; /* training */
extern const nn_op_def nn_op_conv2d, nn_op_pool2d;
extern const nn_op_def nn_op_conv_transpose2d, nn_op_concat;

/* Runs op on inputs[0..n) with arguments (fargs: 2 floats, iargs: 3 ints; either may
 * be NULL for zeros): checks inputs (live, same device), calls shape, allocates the
 * result (arena in a step, else heap) and its saved buffer, calls forward, and
 * records the result in the graph when grad is enabled and an input requires grad.
 * Returns NULL with the message set on failure, allocating nothing that stays.
 * extra: constructor data that does not fit the args (a target shape, a row list):
 * out->saved points to it while shape() runs, and the first *saved floats' worth of
 * bytes are copied into the allocated saved buffer before forward. May be NULL. */
nn_tensor *nn_op_apply(nn_ctx *ctx, int op, nn_tensor *const *inputs, int n, const float *fargs,
                       const int *iargs, const void *extra);

/* Conv2d and pooling ops (op_conv.c) over a geometry resolved by the caller (the
 * modules' graphs): x [B,C,H,W] (B..W as g says) -> [B,K,OH,OW]; conv's w is
 * [K, C/groups*kh*kw], no bias (an add after it); pool's kind an nn_pool_kind. */
nn_tensor *nn_conv2d_op(nn_ctx *ctx, nn_tensor *x, nn_tensor *w, const nn_conv_geom *g);
nn_tensor *nn_pool2d_op(nn_ctx *ctx, nn_tensor *x, int kind, const nn_conv_geom *g);
/* Transposed conv2d: x [B,K,OH,OW] -> [B,C,H,W], the adjoint of the conv2d of g (whose
 * input is [B,C,H,W]) with the same w [K, C/groups*kh*kw]; no bias. */
nn_tensor *nn_conv_transpose2d_op(nn_ctx *ctx, nn_tensor *x, nn_tensor *w, const nn_conv_geom *g);
/* xs[0..n) [B, c_i, ...] (the same B and trailing sizes) -> [B, sum c_i, ...]. */
nn_tensor *nn_concat_op(nn_ctx *ctx, nn_tensor *const *xs, int n);

/* ---- the engine's tensor ------------------------------------------------------ */

/* The public part (nn.h) first, then what only the engine uses. Every tensor the
 * engine hands out is the pub of one of these (nn_tensor_alloc), so nn_tn is a cast:
 * nothing on a hot path. */
typedef struct nn_tnode {
    nn_tensor pub;
    bool in_arena;  /* memory belongs to the step arena */
    bool owns_data; /* data came from the backend's alloc */
    int refcount;
    int op;                           /* kind of the op that made it; NN_OP_LEAF for leaves */
    nn_tensor *inputs[NN_MAX_INPUTS]; /* the op's inputs (referenced), NULL-padded */
    float fargs[2];                   /* op arguments (scalar, exponent, slope...) */
    int iargs[3];                     /* op arguments (axis, flags...) */
    void *saved;                      /* what backward needs, owned like data */
    nn_tensor *base;                  /* for views: the tensor that owns data */
    nn_ctx *ctx;
    unsigned mark; /* traversal generation of backward/graph walks */
} nn_tnode;

static inline nn_tnode *nn_tn(const nn_tensor *t) {
    return (nn_tnode *)t;
}

/* ---- tensor helpers (tensor.c) ---------------------------------------------- */

/* Checks ndim and sizes (1..NN_MAX_DIMS dims, each >= 1, size fits); `who` names
 * the caller in the message. */
int nn_check_shape(nn_ctx *ctx, const char *who, int ndim, const int *shape);
/* A new tensor struct with the given shape and uninitialised data (none when
 * with_data is false), from the arena when in_arena, else from the heap with
 * refcount 1. A leaf: op NN_OP_LEAF, no inputs. NULL on failure. */
nn_tensor *nn_tensor_alloc(nn_ctx *ctx, int ndim, const int *shape, bool in_arena, bool with_data);
/* Ensures t->grad exists with t's shape: a leaf's on the heap, zeroed once and kept
 * for accumulation; an intermediate's from the arena when t is an arena tensor, else
 * the heap; zeroed. Returns NN_OK or NN_ENOMEM. */
int nn_ensure_grad(nn_ctx *ctx, nn_tensor *t);
/* Resolves a possibly negative axis of t into 0..ndim-1; `who` names the op. */
int nn_norm_axis(nn_ctx *ctx, const char *who, const nn_tensor *t, int axis, int *out);
/* "[32,3]"-style string of an (ndim, shape) pair into buf. */
char *nn_dims_str(int ndim, const int *shape, char *buf, size_t len);

/* Bytes for `size` floats rounded up to NN_ALIGN. */
static inline size_t nn_float_bytes(int64_t size) {
    size_t b = (size_t)size * sizeof(float);
    return (b + NN_ALIGN - 1) / NN_ALIGN * NN_ALIGN;
}

#endif
